"""Figures of merit taken from results.json, shared by ``compare`` and the plots.

A :class:`Metric` reads one number out of a run's results through dotted paths where ``*``
matches every key or index (``faults.*.detection_ms``), aggregated over the matches (the worst
fault, the sum over flows...). Paths are tried in order: the first that exists in the results is
used, so a figure another module will add later (fast-path cost) is picked up without changing
this code, and shows as missing ('-') until then.

A value is a float, ``None`` when the figure exists but is null (the event never happened: a
silent drop nobody detected), or :data:`MISSING` when no path exists in these results.
"""

from __future__ import annotations

import math
import statistics
from dataclasses import dataclass, field
from typing import Any, Iterable, Sequence


class _Missing:
    def __repr__(self) -> str:
        return "MISSING"

    def __bool__(self) -> bool:
        return False


MISSING = _Missing()


def collect(node: Any, path: str) -> list:
    """Every value at ``path`` ('*' matches all keys or indices); [] if none exists."""
    parts = path.split(".") if path else []

    def walk(n: Any, i: int) -> Iterable[Any]:
        if i == len(parts):
            yield n
            return
        p = parts[i]
        if isinstance(n, dict):
            if p == "*":
                for v in n.values():
                    yield from walk(v, i + 1)
            elif p in n:
                yield from walk(n[p], i + 1)
            else:
                # a key that itself contains dots ("delay_us.max" is two levels; but be lenient)
                for j in range(len(parts), i + 1, -1):
                    joined = ".".join(parts[i:j])
                    if joined in n:
                        yield from walk(n[joined], j)
                        return
        elif isinstance(n, list):
            if p == "*":
                for v in n:
                    yield from walk(v, i + 1)
            elif p.isdigit() and int(p) < len(n):
                yield from walk(n[int(p)], i + 1)

    return list(walk(node, 0))


@dataclass
class Metric:
    """One figure: name, candidate paths, aggregation over '*' matches, scale, format."""

    name: str
    paths: Sequence[str]
    agg: str = "max"  # max | min | sum | mean | first
    scale: float = 1.0
    fmt: str = "{:.3f}"
    doc: str = ""
    lower_is_better: bool = True

    def value(self, results: dict | None) -> Any:
        """float, None (null: never happened) or MISSING."""
        if results is None:
            return MISSING
        for path in self.paths:
            values = collect(results, path)
            if values:
                break
        else:
            return MISSING
        if any(v is None for v in values) and self.agg in ("max", "first"):
            return None  # the worst case never happened
        nums = [float(v) for v in values if isinstance(v, (int, float)) and v is not None]
        if not nums:
            return None if any(v is None for v in values) else MISSING
        if self.agg == "max":
            x = max(nums)
        elif self.agg == "min":
            x = min(nums)
        elif self.agg == "sum":
            x = math.fsum(nums)
        elif self.agg == "mean":
            x = statistics.fmean(nums)
        else:
            x = nums[0]
        return x * self.scale

    def path_found(self, results: dict | None) -> str | None:
        """The first candidate path present in ``results`` (None if none)."""
        for path in self.paths:
            if results is not None and collect(results, path):
                return path
        return None


DEFAULT_METRICS = [
    Metric("detection_ms", ["faults.*.detection_ms"], "max",
           doc="fault -> detected (worst fault); 'never' if nobody detected it"),
    Metric("failover_ms", ["faults.*.failover_ms"], "max",
           doc="fault -> traffic moved to another uplink (worst fault)"),
    Metric("recovery_ms", ["faults.*.flows.*.recovery_ms"], "max",
           doc="fault -> first delivery after a flow's last loss (worst flow)"),
    Metric("lost", ["totals.lost"], "first", fmt="{:.0f}", doc="packets lost, all flows"),
    Metric("goodput_mbps", ["flows.*.goodput_bps"], "sum", scale=1e-6,
           doc="sum of the flows' goodput, Mb/s", lower_is_better=False),
    Metric("overhead_bytes_per_s_per_host", ["monitoring.overhead.bytes_per_s_per_host"],
           "first", fmt="{:.1f}",
           doc="monitoring packets (BFD control, echoes, loopback), bytes/s per host; '-' "
               "without monitoring"),
    # Not in results.json yet (offload issue); shown as '-' until it is.
    Metric("fast_path_cost", ["cost.fast_path", "totals.fast_path_cost", "offload.cost",
                              "cost.total"], "sum",
           doc="modeled hardware cost of the fast path"),
]

METRICS_BY_NAME = {m.name: m for m in DEFAULT_METRICS}


def metric(spec: str | Metric) -> Metric:
    """A metric by name (``detection_ms``), or ad hoc from ``PATH`` or ``NAME=PATH[:agg]``."""
    if isinstance(spec, Metric):
        return spec
    if spec in METRICS_BY_NAME:
        return METRICS_BY_NAME[spec]
    name, _, rest = spec.partition("=") if "=" in spec else (spec, "", spec)
    path, _, agg = rest.partition(":")
    return Metric(name, [path], agg or "max")


def format_cell(values: Sequence[Any], m: Metric) -> str:
    """Across seeds: the mean of the numbers; 'never' if every run had null; '-' if missing.
    Some nulls among numbers: 'mean (k/n never)'."""
    present = [v for v in values if v is not MISSING]
    if not present:
        return "-"
    nums = [v for v in present if v is not None]
    nulls = len(present) - len(nums)
    if not nums:
        return "never"
    text = m.fmt.format(statistics.fmean(nums))
    if nulls:
        text += f" ({nulls}/{len(present)} never)"
    return text


def group_label(params: dict) -> str:
    """A short label for a run's grid values ({"overlay.uplink_policy": "x"} -> "uplink_policy=x")."""
    if not params:
        return "all"
    if list(params) == ["variant"]:
        return str(params["variant"])
    return ", ".join(f"{k.rsplit('.', 1)[-1]}={v}" for k, v in params.items())


def group_records(records: Iterable[dict]) -> dict[str, list[dict]]:
    """Records grouped by grid values (every seed of a combination in one group), in order."""
    groups: dict[str, list[dict]] = {}
    for r in records:
        groups.setdefault(group_label(r.get("params", {})), []).append(r)
    return groups


@dataclass
class Table:
    """Rows (one per group/variant) x metrics, with the per-run values behind each cell."""

    labels: list
    metrics: list
    values: dict = field(default_factory=dict)  # (label, metric name) -> [values]
    runs: dict = field(default_factory=dict)    # label -> (ok, failed)

    def cell(self, label: str, m: Metric) -> str:
        return format_cell(self.values.get((label, m.name), []), m)

    def header(self) -> list:
        return ["variant", "runs"] + [m.name for m in self.metrics]

    def rows(self) -> list[list[str]]:
        out = []
        for label in self.labels:
            ok, failed = self.runs.get(label, (0, 0))
            runs = f"{ok}" + (f" (+{failed} failed)" if failed else "")
            out.append([label, runs] + [self.cell(label, m) for m in self.metrics])
        return out

    def to_text(self) -> str:
        """Side by side: one column per variant, one line per figure."""
        cols = [["figure"] + self.labels]
        body = self.rows()
        names = ["runs"] + [m.name for m in self.metrics]
        lines_by_fig = [[name] + [row[i + 1] for row in body] for i, name in enumerate(names)]
        table = [cols[0]] + lines_by_fig
        widths = [max(len(r[c]) for r in table) for c in range(len(table[0]))]
        out = []
        for i, r in enumerate(table):
            out.append("  ".join(r[0].ljust(widths[0]) if c == 0 else r[c].rjust(widths[c])
                                 for c in range(len(r))).rstrip())
            if i == 0:
                out.append("  ".join("-" * w for w in widths))
        return "\n".join(out)

    def write_csv(self, path) -> None:
        """One row per variant, one column per figure (same cells as the printed table)."""
        import csv

        from .scenario import write_atomically
        import io

        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        w.writerow(self.header())
        w.writerows(self.rows())
        write_atomically(path, buf.getvalue())


def make_table(records: Iterable[dict], metrics: Sequence[Metric] | None = None,
               labels: Sequence[str] | None = None) -> Table:
    metrics = list(metrics or DEFAULT_METRICS)
    groups = group_records(records)
    order = list(labels) if labels else list(groups)
    t = Table(order, metrics)
    for label in order:
        recs = groups.get(label, [])
        ok = [r for r in recs if r.get("status") == "ok"]
        t.runs[label] = (len(ok), len(recs) - len(ok))
        for m in metrics:
            t.values[(label, m.name)] = [m.value(r.get("results")) for r in ok]
    return t
