"""compare: a side-by-side table and CSV of the figures results.json has ('-' for the ones it has
not yet); plots: PNG files of goodput over time, detection per policy, cost vs failover."""

from __future__ import annotations

import csv
import statistics

import pytest

import overlay_fabric as of
from overlay_fabric.comparison import build_variants, parse_variant
from overlay_fabric.figures import METRICS_BY_NAME, MISSING, collect
from overlay_fabric.plots import distribution, pareto, timeline
from conftest import SCENARIOS, SMALL, run_py

PNG = b"\x89PNG\r\n\x1a\n"


def test_variant_parsing():
    assert parse_variant("slow: fabric.routing_convergence=150ms; fabric.spines=4") == (
        "slow", ["fabric.routing_convergence=150ms", "fabric.spines=4"])
    assert parse_variant("fabric.spines=4")[0] == "fabric.spines=4"
    v = build_variants(["carrier-only", "flow-hash"], ["aggressive"], ["x: fabric.spines=4"])
    assert v == {"carrier-only + aggressive": ["overlay.uplink_policy=carrier-only",
                                               "monitoring.preset=aggressive"],
                 "flow-hash + aggressive": ["overlay.uplink_policy=flow-hash",
                                            "monitoring.preset=aggressive"],
                 "x": ["fabric.spines=4"]}


def test_figures_follow_paths_with_wildcards():
    r = {"faults": [{"detection_ms": 3.0, "flows": {"a": {"recovery_ms": 5.0},
                                                    "b": {"recovery_ms": None}}},
                    {"detection_ms": 7.0, "flows": {}}],
         "flows": {"a": {"goodput_bps": 1e6}, "b": {"goodput_bps": 2e6}}}
    assert collect(r, "faults.*.detection_ms") == [3.0, 7.0]
    assert METRICS_BY_NAME["detection_ms"].value(r) == 7.0
    assert METRICS_BY_NAME["recovery_ms"].value(r) is None      # a flow never recovered
    assert METRICS_BY_NAME["goodput_mbps"].value(r) == pytest.approx(3.0)
    assert METRICS_BY_NAME["fast_path_cost"].value(r) is MISSING


@pytest.fixture(scope="module")
def comparison(tmp_path_factory):
    out = tmp_path_factory.mktemp("compare")
    p = run_py("compare", SMALL, "--policies", "carrier-only,flow-hash", "--variant",
               "slow-routing: fabric.routing_convergence=150ms", "--seeds", "1-2",
               "--column", "back_lost=flows.back.lost", "--out", out, "--workers", "2",
               "--no-progress")
    return out, p


def test_compare_prints_side_by_side_table_and_writes_csv(comparison):
    out, p = comparison
    lines = p.stdout.splitlines()
    header = next(l for l in lines if l.startswith("figure"))
    assert header.split() == ["figure", "carrier-only", "flow-hash", "slow-routing"]
    rows = {l.split()[0]: l.split()[1:] for l in lines[lines.index(header) + 2:]
            if l and not l.startswith("csv:")}
    assert set(rows) >= {"runs", "detection_ms", "failover_ms", "recovery_ms", "lost",
                         "goodput_mbps", "overhead_bps", "fast_path_cost", "back_lost"}
    assert rows["runs"] == ["2", "2", "2"]
    assert rows["overhead_bps"] == ["-", "-", "-"]      # not in results.json yet
    assert rows["fast_path_cost"] == ["-", "-", "-"]
    assert rows["recovery_ms"][2] == "never"            # 150 ms of convergence outlasts the run
    with open(out / "compare.csv", newline="") as f:
        table = list(csv.DictReader(f))
    assert [r["variant"] for r in table] == ["carrier-only", "flow-hash", "slow-routing"]
    # Cells are means over seeds of the records' figures.
    records = of.sweeps.SweepStore(out).records()
    for row in table:
        recs = [r for r in records if r["params"]["variant"] == row["variant"]]
        lost = statistics.fmean(r["results"]["totals"]["lost"] for r in recs)
        assert row["lost"] == f"{lost:.0f}"
        goodput = statistics.fmean(sum(f["goodput_bps"] for f in r["results"]["flows"].values())
                                   for r in recs) / 1e6
        assert float(row["goodput_mbps"]) == pytest.approx(goodput, abs=5e-4)


def test_compare_again_reuses_the_runs(comparison):
    out, _ = comparison
    before = {p.name: p.stat().st_mtime_ns for p in (out / "runs").glob("*.json")}
    p = run_py("compare", SMALL, "--policies", "carrier-only,flow-hash", "--variant",
               "slow-routing: fabric.routing_convergence=150ms", "--seeds", "1-2",
               "--column", "back_lost=flows.back.lost", "--out", out, "--no-progress")
    assert p.stdout == comparison[1].stdout
    assert {p.name: p.stat().st_mtime_ns for p in (out / "runs").glob("*.json")} == before


def _png(path) -> bytes:
    data = path.read_bytes()
    assert data.startswith(PNG) and len(data) > 10_000, path
    return data


def test_timeline_plot_marks_fault_detection_and_recovery(tmp_path):
    res = of.load(SCENARIOS / "link-down-failover.yaml").run()
    notes = timeline(res.data, tmp_path / "t.png")
    _png(tmp_path / "t.png")
    assert notes == []
    # A silent drop nobody detects: the plot says so.
    res = of.load(SCENARIOS / "silent-blackhole-no-monitoring.yaml").run()
    notes = timeline(res.data, tmp_path / "s.png")
    assert any("never detected" in n for n in notes)
    assert any("never recovered" in n for n in notes)


def test_plot_commands_from_a_sweep(comparison, tmp_path):
    out, _ = comparison
    p = run_py("plot", "detection", out, "--out", tmp_path / "d.png")
    _png(tmp_path / "d.png")
    p = run_py("plot", "pareto", out, "--out", tmp_path / "p.png")
    _png(tmp_path / "p.png")
    assert "note: fast_path_cost is not in these results yet" in p.stdout
    rec = next((out / "runs").glob("*.json"))
    run_py("plot", "timeline", rec, "--out", tmp_path / "t.png")
    _png(tmp_path / "t.png")


def test_distribution_of_a_figure_nobody_has(comparison, tmp_path):
    out, _ = comparison
    notes = distribution(of.sweeps.load_records(out), tmp_path / "x.png", "fast_path_cost")
    assert any("not in these results" in n for n in notes)
    notes = pareto(of.sweeps.load_records(out), tmp_path / "y.png", x="detection_ms",
                   ys=["lost"])
    assert notes == []
    _png(tmp_path / "y.png")
