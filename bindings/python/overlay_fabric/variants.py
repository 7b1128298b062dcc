"""The variants of a scenario file's ``compare:`` section, run side by side as the C++ CLI runs
them (``overlay-fabric run FILE`` on such a file).

:func:`run_variants` runs every variant in a fresh process of its own (like every run from
Python), writes ``OUT/<label>/results.json`` (byte for byte the CLI's) and ``run-info.json``,
and builds the CLI's comparison: one row per variant, :data:`COMPARISON_COLUMNS`, the same cells
as the CLI's table and ``OUT/comparison.csv`` (:func:`comparison_row`, :func:`format_table`,
:func:`comparison_csv`).
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from typing import Any, Callable, Sequence

from .scenario import Results, Scenario, write_atomically

#: Columns of the comparison table and of comparison.csv (the C++ CLI's).
COMPARISON_COLUMNS = ["label", "policy", "preset", "detection_ms", "failover_ms", "lost",
                      "worst_recovery_ms", "goodput_mbps", "overhead_bytes_per_s_per_host"]

#: Printed under the table, as the CLI does.
TABLE_NOTE = ("  (times of fault 0; lost and goodput over all flows; '-': no such figure or "
              "event; never: a flow hit by fault 0 never recovered)")


def _lookup(root: Any, path: Sequence[str]) -> Any:
    """The value at ``path`` (keys, list indices as text), or KeyError when a step is missing."""
    v = root
    for key in path:
        if isinstance(v, dict) and key in v:
            v = v[key]
        elif isinstance(v, list) and key.isdigit() and int(key) < len(v):
            v = v[int(key)]
        else:
            raise KeyError(key)
    return v


def _is_number(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def _figure(root: dict, path: Sequence[str], decimals: int) -> str:
    try:
        v = _lookup(root, path)
    except KeyError:
        return "-"
    return f"{float(v):.{decimals}f}" if _is_number(v) else "-"


def comparison_row(config, results: dict) -> list[str]:
    """One row of the comparison (cells as :data:`COMPARISON_COLUMNS`): the variant's label,
    policy and preset (``off`` without monitoring, ``-`` without preset), then from its results
    fault 0's detection and failover, lost packets, the worst recovery over the flows fault 0
    hit (``never`` if one never recovered), goodput summed over flows and the monitoring
    overhead; ``-`` where a figure is absent or null. The C++ CLI's cells, character for
    character."""
    mon = config.monitoring
    preset = "off" if not mon.enabled else (mon.preset or "-")
    recovery = "-"
    try:
        flows = _lookup(results, ["faults", "0", "flows"])
    except KeyError:
        flows = None
    if isinstance(flows, dict):
        worst, never = None, False
        for f in flows.values():
            ms = f.get("recovery_ms", "absent") if isinstance(f, dict) else "absent"
            if _is_number(ms):
                worst = float(ms) if worst is None else max(worst, float(ms))
            never = never or ms is None
        recovery = "never" if never else f"{worst:.3f}" if worst is not None else "-"
    goodput = "-"
    if isinstance(results.get("flows"), dict):
        bps = 0.0
        for f in results["flows"].values():
            g = f.get("goodput_bps") if isinstance(f, dict) else None
            bps += float(g) if _is_number(g) else 0.0
        goodput = f"{bps / 1e6:.3f}"
    try:
        lost = _lookup(results, ["totals", "lost"])
        lost = json.dumps(lost) if _is_number(lost) else "-"
    except KeyError:
        lost = "-"
    return [config.variant, str(config.overlay.uplink_policy), preset,
            _figure(results, ["faults", "0", "detection_ms"], 3),
            _figure(results, ["faults", "0", "failover_ms"], 3),
            lost, recovery, goodput,
            _figure(results, ["monitoring", "overhead", "bytes_per_s_per_host"], 1)]


def format_table(rows: Sequence[Sequence[str]]) -> str:
    """The rows as the CLI prints them: a header, a rule, text columns left-aligned, figures
    right-aligned, two blanks before each cell."""
    width = [max([len(COMPARISON_COLUMNS[c])] + [len(r[c]) for r in rows])
             for c in range(len(COMPARISON_COLUMNS))]

    def line(cells):
        return "".join("  " + (cell.ljust(width[c]) if c < 3 else cell.rjust(width[c]))
                       for c, cell in enumerate(cells)).rstrip(" ")

    return "\n".join([line(COMPARISON_COLUMNS), line(["-" * w for w in width])]
                     + [line(r) for r in rows])


def comparison_csv(rows: Sequence[Sequence[str]]) -> str:
    """comparison.csv as the CLI writes it (cells never hold commas)."""
    return "".join(",".join(r) + "\n" for r in [COMPARISON_COLUMNS, *rows])


@dataclass
class VariantsRun:
    """What :func:`run_variants` did: the scenarios, their results and rows, in compare order."""

    out_dir: str
    scenarios: list
    results: list = field(default_factory=list)
    rows: list = field(default_factory=list)

    @property
    def failed(self) -> list[str]:
        """Every broken bound, as the CLI prints it after ``FAILED``: ``[label] message``."""
        return [f"[{sc.variant}] {b}" for sc, r in zip(self.scenarios, self.results)
                for b in (r.expect_broken or [])]

    @property
    def ok(self) -> bool:
        return not self.failed

    def table(self) -> str:
        return format_table(self.rows)

    @property
    def csv_path(self) -> str:
        return os.path.join(self.out_dir, "comparison.csv")


def default_out_dir(scenarios: Sequence[Scenario]) -> str:
    """``out/<scenario name>``: a variant's name is ``<name>.<label>``, the folder the name's."""
    c = scenarios[0].config
    name = c.name[: len(c.name) - len(c.variant) - 1] if c.variant else c.name
    return os.path.join("out", name)


def run_variants(scenarios: Sequence[Scenario], out_dir: str | os.PathLike, *,
                 workers: int = 1,
                 on_result: Callable[[int, Scenario, Results], None] | None = None) -> VariantsRun:
    """Run each scenario (typically :func:`overlay_fabric.load_variants`) in a fresh process,
    ``workers`` at a time, write ``OUT/<label>/results.json`` and ``run-info.json`` and
    ``OUT/comparison.csv``; return the runs, in the given order.

    ``on_result(i, scenario, results)`` is called as each finishes (in order with one worker).
    A failed run raises (ConfigError for bad input, RunError otherwise) once the others are
    stopped; Ctrl-C kills the running workers and raises KeyboardInterrupt.
    """
    from .runner import results_from_envelope
    from .sweeps import LocalExecutor

    out = os.fspath(out_dir)
    scenarios = list(scenarios)
    labels = [sc.variant for sc in scenarios]
    if len(set(labels)) != len(labels) or not all(labels):
        raise ValueError("run_variants: every scenario must be a variant with its own label "
                         "(see overlay_fabric.load_variants)")
    dirs = [os.path.join(out, label) for label in labels]
    for d in dirs:
        os.makedirs(d, exist_ok=True)
    items = [(i, sc.spec(d)) for i, (sc, d) in enumerate(zip(scenarios, dirs))]
    done: dict[int, Results] = {}
    executor = LocalExecutor(max(1, workers))
    it = executor.map_unordered(items)
    try:
        for i, envelope in it:
            res = results_from_envelope(envelope, config=scenarios[i].config)
            res.write(dirs[i])
            done[i] = res
            if on_result is not None:
                on_result(i, scenarios[i], res)
    finally:
        it.close()  # stops queued runs and kills running ones when leaving early
    run = VariantsRun(out, scenarios)
    run.results = [done[i] for i in range(len(scenarios))]
    run.rows = [comparison_row(sc.config, r.data) for sc, r in zip(scenarios, run.results)]
    write_atomically(run.csv_path, comparison_csv(run.rows))
    return run


__all__ = ["run_variants", "VariantsRun", "comparison_row", "format_table", "comparison_csv",
           "COMPARISON_COLUMNS", "TABLE_NOTE", "default_out_dir"]
