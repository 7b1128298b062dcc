"""Compare: one scenario under several variants (policies, monitoring presets, offload settings:
any ``--set`` overrides), across seeds, side by side.

Each variant x seed is one run in its own process (through the sweep machinery, so
``--workers``/``--scheduler`` and resuming from ``--out`` work the same). The table shows, per
variant, the mean over seeds of each figure in :data:`overlay_fabric.figures.DEFAULT_METRICS`
(detection, failover, recovery, lost packets, goodput, monitoring overhead, fast-path cost); a
figure the results do not have is '-', a figure that is null in every run (the event never
happened) is 'never'.

A scenario file with a ``compare:`` section brings its own variants: compared without
``variants``, they are the columns (across ``seeds``). Giving variants as well is refused (their
overrides would apply before, and be overwritten by, the file variants' ``set`` entries): load
one variant (``load(FILE, variant=LABEL)``) to compare variations of it.
"""

from __future__ import annotations

import itertools
import os
import tempfile
from dataclasses import dataclass
from typing import Any, Mapping, Sequence

from .figures import DEFAULT_METRICS, Metric, Table, make_table, metric
from .scenario import Scenario, normalize_overrides
from .sweeps import (SweepResult, file_variant_points, parse_seeds, run_points,
                     scenario_and_variants, variant_points)


def parse_variant(text: str) -> tuple[str, list[str]]:
    """``"LABEL: path=value; path=value"`` or ``"path=value; ..."`` -> (label, overrides)."""
    head, sep, tail = text.partition(":")
    if sep and "=" not in head:
        label, body = head.strip(), tail
    else:
        label, body = "", text
    overrides = [o.strip() for o in body.split(";") if o.strip()]
    if not overrides:
        raise ValueError(f"--variant {text!r}: no overrides (expected 'label: path=value; ...')")
    normalize_overrides(overrides)  # ConfigError if one is malformed
    return label or "; ".join(overrides), overrides


def build_variants(policies: Sequence[str] = (), presets: Sequence[str] = (),
                   variants: Sequence[str] = ()) -> dict[str, list[str]]:
    """Variants from the shorthands (``policies`` -> overlay.uplink_policy, ``presets`` ->
    monitoring.preset; both given: every pair) and from explicit ``variants`` strings."""
    out: dict[str, list[str]] = {}
    axes = []
    if policies:
        axes.append([(f"{p}", f"overlay.uplink_policy={p}") for p in policies])
    if presets:
        axes.append([(f"{p}", f"monitoring.preset={p}") for p in presets])
    if axes:
        for combo in itertools.product(*axes):
            out[" + ".join(lbl for lbl, _ in combo)] = [o for _, o in combo]
    for v in variants:
        label, overrides = parse_variant(v)
        if label in out:
            raise ValueError(f"two variants are labelled {label!r}")
        out[label] = overrides
    return out


@dataclass
class Comparison:
    """The outcome of :func:`run_compare`: the table, and the sweep underneath."""

    table: Table
    sweep: SweepResult
    variants: dict

    def to_text(self) -> str:
        return self.table.to_text()

    def write_csv(self, path) -> None:
        self.table.write_csv(path)


def run_compare(scenario: Scenario | str | os.PathLike | Mapping,
                variants: Mapping[str, Sequence[str] | Mapping[str, Any]], *,
                seeds: Sequence[int] | str | int | None = None, out_dir: str | os.PathLike = "",
                overrides=None, workers: int | None = None, scheduler: Any = None,
                metrics: Sequence[Metric | str] | None = None, progress: bool = True,
                log=None) -> Comparison:
    """Run ``scenario`` under each variant (label -> overrides) for each seed; tabulate.

    A scenario file with a ``compare:`` section and no ``variants``: its own variants.
    ``out_dir`` keeps the run records (and resumes); without it they go to a temporary folder.
    """
    sc, file_variants = scenario_and_variants(scenario, overrides)
    seed_list = parse_seeds(seeds) if seeds is not None else [sc.seed]
    if len(file_variants) > 1:
        if variants:
            raise ValueError(
                f"{sc.source_name} defines its own variants to compare ({len(file_variants)}, "
                "in its compare section): compare them without --policies/--presets/--variant, "
                "or load one (overlay_fabric.load(FILE, variant=LABEL)) and vary that")
        var = {label: [] for label in file_variants}
        points = file_variant_points(file_variants, seed_list, sc.overrides)
    else:
        if not variants:
            raise ValueError("compare needs at least one variant")
        var = {label: normalize_overrides(o) for label, o in variants.items()}
        # each carries every override
        points = variant_points(var, seed_list, sc.overrides, file_variants[0])
    manifest = {"kind": "compare", "base_overrides": sc.overrides, "variants": var,
                "seeds": seed_list}
    if any(file_variants):
        manifest["file_variants"] = file_variants
    ms = [metric(m) for m in (metrics or DEFAULT_METRICS)]
    tmp = None
    if not out_dir:
        tmp = tempfile.TemporaryDirectory(prefix="overlay-fabric-compare-")
        out_dir = tmp.name
    try:
        result = run_points(sc, points, out_dir, manifest=manifest, workers=workers,
                            scheduler=scheduler, progress=progress, label="compare", log=log)
        table = make_table(result.records(), ms, labels=list(var))
    finally:
        if tmp is not None:
            tmp.cleanup()
    return Comparison(table, result, var)


__all__ = ["run_compare", "build_variants", "parse_variant", "Comparison"]
