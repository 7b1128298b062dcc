"""Figures of merit taken from results.json, shared by ``compare`` and the plots.

A :class:`Metric` reads one number out of a run's results through dotted paths where ``*``
matches every key or index (``faults.*.detection_ms``), aggregated over the matches (the worst
fault, the sum over flows...). Paths are tried in order: the first that exists in the results is
used; a figure the results do not have (a fault's times in a run without faults) shows as
missing ('-').

A value is a float, ``None`` when the figure exists but is null (the event never happened: a
silent drop nobody detected), or :data:`MISSING` when no path exists in these results.

Paths, figures, cells and the table are the C++ ones (``helper/scenario/results-path.h`` and
``comparison.h`` through ``overlay_fabric._core``): the expect bounds, the C++ CLI and this
module read results the same way, and :data:`DEFAULT_METRICS` are the C++ ``FigureColumns()``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable, Sequence

from . import _core


class _Missing:
    def __repr__(self) -> str:
        return "MISSING"

    def __bool__(self) -> bool:
        return False


MISSING = _Missing()

AGGREGATES = ("max", "min", "sum", "mean", "first")


def collect(node: Any, path: str) -> list:
    """Every value at ``path`` ('*' matches all keys or indices); [] if none exists."""
    return _core.collect_results_path(node, path)


def resolve(node: Any, path: str) -> Any:
    """The value at ``path`` (no wildcards), as the expect bounds read it; KeyError if none."""
    return _core.resolve_results_path(node, path)


@dataclass
class Metric:
    """One figure: name, candidate paths, aggregation over '*' matches, unit (the figure is
    divided by it), decimals shown."""

    name: str
    paths: Sequence[str]
    agg: str = "max"  # max | min | sum | mean | first
    unit: float = 1.0
    decimals: int = 3
    doc: str = ""
    lower_is_better: bool = True

    def column(self) -> _core.ComparisonColumn:
        """This figure as the C++ comparison column (ValueError for an unknown aggregate)."""
        return _core.ComparisonColumn(self.name, list(self.paths), self.agg, unit=self.unit,
                                      decimals=self.decimals,
                                      lower_is_better=self.lower_is_better, doc=self.doc)

    @classmethod
    def from_column(cls, c: _core.ComparisonColumn) -> "Metric":
        return cls(c.name, list(c.paths), c.aggregate, unit=c.unit, decimals=c.decimals,
                   doc=c.doc, lower_is_better=c.lower_is_better)

    def value(self, results: dict | None) -> Any:
        """float, None (null: never happened) or MISSING."""
        if results is None:
            return MISSING
        return _from_figure(_core.read_figure(self.column(), results))

    def path_found(self, results: dict | None) -> str | None:
        """The first candidate path present in ``results`` (None if none)."""
        for path in self.paths:
            if results is not None and collect(results, path):
                return path
        return None


def _from_figure(v) -> Any:
    return v.value if v.kind == "number" else None if v.kind == "never" else MISSING


def _to_figure(v: Any):
    if v is MISSING:
        return _core.FigureValue.missing()
    if v is None:
        return _core.FigureValue.never()
    return _core.FigureValue.number(float(v))


DEFAULT_METRICS = [Metric.from_column(c) for c in _core.figure_columns()]

METRICS_BY_NAME = {m.name: m for m in DEFAULT_METRICS}


def metric(spec: str | Metric) -> Metric:
    """A metric by name (``detection_ms``), or ad hoc from ``PATH`` or ``NAME=PATH[:agg]``."""
    if isinstance(spec, Metric):
        return spec
    if spec in METRICS_BY_NAME:
        return METRICS_BY_NAME[spec]
    name, _, rest = spec.partition("=") if "=" in spec else (spec, "", spec)
    path, _, agg = rest.partition(":")
    if agg and agg not in AGGREGATES:
        raise ValueError(f"{spec!r}: unknown aggregate {agg!r}; allowed: {', '.join(AGGREGATES)}")
    return Metric(name, [path], agg or "max")


def format_cell(values: Sequence[Any], m: Metric) -> str:
    """Across seeds: the mean of the numbers; 'never' if every run had null; '-' if missing.
    Some nulls among numbers: 'mean (k/n never)'."""
    return _core.format_cell(m.column(), [_to_figure(v) for v in values])


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


class Table:
    """Rows (one per group/variant) x metrics: the C++ comparison table, each cell from every
    finished run of its row."""

    def __init__(self, labels: Sequence[str], metrics: Sequence[Metric]):
        self.labels = list(labels)
        self.metrics = list(metrics)
        self.runs: dict = {}  # label -> (ok, failed)
        self._table = _core.ComparisonTable(["variant", "runs"], [m.column() for m in metrics])
        self._row_of: dict = {}

    def add(self, label: str, results: Sequence[dict | None], failed: int = 0) -> None:
        """The row of ``label`` from the results of its finished runs (and how many failed)."""
        self.runs[label] = (len(results), failed)
        runs = f"{len(results)}" + (f" (+{failed} failed)" if failed else "")
        self._row_of[label] = len(self._row_of)
        self._table.add_row([label, runs], list(results))

    def cell(self, label: str, m: Metric) -> str:
        return self._table.cell(self._row_of[label], m.name)

    def header(self) -> list:
        return self._table.header()

    def rows(self) -> list[list[str]]:
        return [list(r) for r in self._table.rows]

    def to_text(self) -> str:
        """Side by side: one column per variant, one line per figure."""
        return self._table.to_side_by_side_text().rstrip("\n")

    def write_csv(self, path) -> None:
        """One row per variant, one column per figure (same cells as the printed table)."""
        from .scenario import write_atomically

        write_atomically(path, self._table.to_csv())


def make_table(records: Iterable[dict], metrics: Sequence[Metric] | None = None,
               labels: Sequence[str] | None = None) -> Table:
    metrics = list(metrics or DEFAULT_METRICS)
    groups = group_records(records)
    order = list(labels) if labels else list(groups)
    t = Table(order, metrics)
    for label in order:
        recs = groups.get(label, [])
        ok = [r for r in recs if r.get("status") == "ok"]
        t.add(label, [r.get("results") for r in ok], len(recs) - len(ok))
    return t
