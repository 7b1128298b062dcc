"""The variants of a scenario file's ``compare:`` section, run side by side as the C++ CLI runs
them (``overlay-fabric run FILE`` on such a file).

:func:`run_variants` runs every variant in a fresh process of its own (like every run from
Python), writes ``OUT/<label>/results.json`` (byte for byte the CLI's) and ``run-info.json``,
and builds the CLI's comparison through the C++ table (:func:`comparison_table`): one row per
variant, the same cells as the CLI's table and ``OUT/comparison.csv``.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Callable, Sequence

from . import _core
from .scenario import Results, Scenario, write_atomically

#: Printed under the table, as the CLI does.
TABLE_NOTE = ("  (times of fault 0; lost and goodput over all flows; '-': no such figure or "
              "event; never: a flow hit by fault 0 never recovered)")


def comparison_table(scenarios: Sequence[Scenario], results: Sequence[Results]):
    """The CLI's comparison of the variants (``_core.ComparisonTable``, computed in C++): one
    row per variant, ``to_text()`` the printed table, ``to_csv()`` comparison.csv."""
    table = _core.ComparisonTable.for_variants()
    for sc, res in zip(scenarios, results):
        table.add_variant(sc.config, res.text)
    return table


@dataclass
class VariantsRun:
    """What :func:`run_variants` did: the scenarios, their results and rows, in compare order."""

    out_dir: str
    scenarios: list
    results: list = field(default_factory=list)

    @property
    def rows(self) -> list[list[str]]:
        """The table's rows: label, policy, preset, then the figures (the CLI's cells)."""
        return [list(r) for r in comparison_table(self.scenarios, self.results).rows]

    @property
    def failed(self) -> list[str]:
        """Every broken bound, as the CLI prints it after ``FAILED``: ``[label] message``."""
        return [f"[{sc.variant}] {b}" for sc, r in zip(self.scenarios, self.results)
                for b in (r.expect_broken or [])]

    @property
    def ok(self) -> bool:
        return not self.failed

    def table(self) -> str:
        return comparison_table(self.scenarios, self.results).to_text().rstrip("\n")

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
    # Every folder is checked before any variant runs (ConfigError naming the path).
    _core.prepare_output_folder(out, ["comparison.csv"])
    for d in dirs:
        _core.prepare_output_folder(d, ["results.json", "run-info.json"])
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
    write_atomically(run.csv_path, comparison_table(scenarios, run.results).to_csv())
    return run


__all__ = ["run_variants", "VariantsRun", "comparison_table", "TABLE_NOTE", "default_out_dir"]
