"""compare: a side-by-side table and CSV of the figures results.json has ('-' for the ones it has
not, or has not yet); monitoring presets side by side; a file's own compare variants; plots: PNG
files of goodput over time, detection per policy, cost vs failover."""

from __future__ import annotations

import csv
import json
import statistics

import pytest

import overlay_fabric as of
from overlay_fabric.comparison import build_variants, parse_variant
from overlay_fabric.figures import METRICS_BY_NAME, MISSING, collect, format_cell, resolve
from overlay_fabric.plots import distribution, pareto, timeline
from conftest import SCENARIOS, SMALL, run_cli, run_py

MONITORED = SMALL.parent / "small-monitored.yaml"
SMALL_COMPARE = SMALL.parent / "small-compare.yaml"

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


def test_results_paths_are_the_cpp_resolver():
    r = {"faults": [{"detection_ms": 3.0, "flows": {}}, {"detection_ms": None}],
         "flows": {"a.b": {"lost": 2}}}
    assert resolve(r, "faults.0.detection_ms") == 3.0
    assert resolve(r, "faults.1.detection_ms") is None      # null is a value
    assert resolve(json.dumps(r), "flows.a.b.lost") == 2     # JSON text; a key with a dot
    for missing in ("faults.2.detection_ms", "faults.99999999999999999999999.detection_ms",
                    "faults.0.detection_ms.x", "nothing"):
        with pytest.raises(KeyError):
            resolve(r, missing)
        assert collect(r, missing) == []
    assert of._core.resolve_results_path is not None and collect(r, "faults.*.flows") == [{}]


def test_cells_are_the_cpp_cells():
    m = METRICS_BY_NAME["detection_ms"]
    assert format_cell([1.0, 2.0], m) == "1.500"
    assert format_cell([1.0, None, MISSING], m) == "1.000 (1/2 never)"
    assert format_cell([None, MISSING], m) == "never"
    assert format_cell([MISSING], m) == "-"
    assert METRICS_BY_NAME["goodput_mbps"].value({"flows": {}}) == 0.0  # no flows: 0, not '-'
    with pytest.raises(ValueError):
        of.figures.metric("x=flows.*.lost:median")


def test_variant_table_through_the_bindings_is_the_cli_table(tmp_path):
    run_cli("run", SMALL_COMPARE, "--out", tmp_path, check=False)
    table = of._core.ComparisonTable.for_variants()
    for sc in of.load_variants(SMALL_COMPARE):
        table.add_variant(sc.config, (tmp_path / sc.variant / "results.json").read_text())
    assert table.to_csv() == (tmp_path / "comparison.csv").read_text()
    assert table.cell(2, "detection_ms") == "-" and table.cell(2, "label") == "bond"


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
                         "goodput_mbps", "overhead_bytes_per_s_per_host", "fast_path_cost",
                         "back_lost"}
    assert rows["runs"] == ["2", "2", "2"]
    assert rows["overhead_bytes_per_s_per_host"] == ["-", "-", "-"]  # no monitoring
    # No offload: the cost is the host cores the offered load needs, the mean over seeds.
    records = of.sweeps.load_records(out)
    for label, cell in zip(["carrier-only", "flow-hash", "slow-routing"], rows["fast_path_cost"]):
        costs = [r["results"]["cost"]["fast_path"] for r in records
                 if r["params"]["variant"] == label]
        assert len(costs) == 2 and costs[0] > 0
        assert cell == f"{sum(costs) / len(costs):.3f}"
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


@pytest.mark.parametrize("column, fragment", [
    ("x=flows.back.lots", "'lots' is not a figure of flows.back (did you mean lost?)"),
    ("x=flows.bak.lost", "there is no flow named 'bak' in flows (did you mean back?)"),
    ("x=faults.*.kind", "faults.*.kind is a text, not a figure"),
])
def test_compare_column_naming_no_figure_is_refused_before_the_runs(column, fragment, tmp_path):
    p = run_py("compare", SMALL, "--policies", "carrier-only", "--seeds", "1", "--column", column,
               "--out", tmp_path / "cmp", "--no-progress", check=False)
    assert p.returncode == 2 and f"--column {column}: " in p.stderr and fragment in p.stderr, \
        p.stderr
    assert "Traceback" not in p.stderr and not (tmp_path / "cmp" / "runs").exists()


def test_compare_again_reuses_the_runs(comparison):
    out, _ = comparison
    before = {p.name: p.stat().st_mtime_ns for p in (out / "runs").glob("*.json")}
    p = run_py("compare", SMALL, "--policies", "carrier-only,flow-hash", "--variant",
               "slow-routing: fabric.routing_convergence=150ms", "--seeds", "1-2",
               "--column", "back_lost=flows.back.lost", "--out", out, "--no-progress")
    assert p.stdout == comparison[1].stdout
    assert {p.name: p.stat().st_mtime_ns for p in (out / "runs").glob("*.json")} == before


def _table_rows(stdout: str) -> dict:
    lines = stdout.splitlines()
    header = next(l for l in lines if l.startswith("figure"))
    rows = {l.split()[0]: l.split()[1:] for l in lines[lines.index(header) + 2:]
            if l and not l.startswith("csv:")}
    return {"figure": header.split()[1:], **rows}


def test_compare_presets_changes_the_detection_time(tmp_path):
    out = tmp_path / "presets"
    p = run_py("compare", MONITORED, "--presets", "aggressive,frr-default", "--out", out,
               "--workers", "2", "--no-progress")
    rows = _table_rows(p.stdout)
    assert rows["figure"] == ["aggressive", "frr-default"]
    # RFC 5880: detected DetectMult x interval after the last reply: (2, 3] intervals (+ an RTT)
    aggressive, frr = (float(v) for v in rows["detection_ms"])
    assert 100 < aggressive <= 150.1 and 600 < frr <= 900.1
    assert [float(v) for v in rows["failover_ms"]] == [aggressive, frr]  # active-standby
    # Monitoring overhead from results.json: slower timers, fewer packets.
    overhead = [float(v) for v in rows["overhead_bytes_per_s_per_host"]]
    assert overhead[0] > overhead[1] > 0
    for rec in of.sweeps.SweepStore(out).records():
        r = rec["results"]
        preset = rec["params"]["variant"]
        assert r["scenario"]["monitoring"]["preset"] == preset
        assert r["monitoring"]["overhead"]["bytes_per_s_per_host"] == pytest.approx(
            overhead[0 if preset == "aggressive" else 1], abs=0.05)
        assert r["monitoring"]["detection_time_s"] == pytest.approx(
            0.15 if preset == "aggressive" else 0.9)


def test_compare_of_a_file_with_its_own_variants(tmp_path):
    p = run_py("compare", SMALL_COMPARE, "--seeds", "1-2", "--out", tmp_path / "own",
               "--no-progress")
    rows = _table_rows(p.stdout)
    assert rows["figure"] == ["aggressive", "frr", "bond"]
    assert rows["runs"] == ["2", "2", "2"]
    assert rows["detection_ms"][2] == "never" and rows["overhead_bytes_per_s_per_host"][2] == "-"
    assert 100 < float(rows["detection_ms"][0]) <= 150.1
    assert 600 < float(rows["detection_ms"][1]) <= 900.1
    records = of.sweeps.SweepStore(tmp_path / "own").records()
    assert sorted((r["variant"], r["seed"]) for r in records) == sorted(
        (v, s) for v in ("aggressive", "frr", "bond") for s in (1, 2))
    assert all(r["results"]["scenario"]["name"] == f"small-compare.{r['variant']}"
               for r in records)
    # Variants on top of the file's variants would be overwritten by their set entries: refused.
    p = run_py("compare", SMALL_COMPARE, "--presets", "hardware", check=False)
    assert p.returncode == 2 and "defines its own variants" in p.stderr
    # One variant of the file, varied.
    cmp = of.compare(of.load(SMALL_COMPARE, variant="frr"),
                     {"slow": ["traffic.0.rate=5Mbps"]}, out_dir=tmp_path / "one",
                     progress=False)
    [rec] = cmp.sweep.records()
    assert cmp.table.labels == ["slow"] and rec["variant"] == "frr"
    assert rec["results"]["scenario"]["monitoring"]["preset"] == "frr-default"
    assert rec["results"]["scenario"]["traffic"][0]["rate"] == "5Mbps"


def test_sweep_of_a_file_with_variants_runs_each(tmp_path):
    res = of.sweep(SMALL_COMPARE, {"traffic.0.rate": ["5Mbps"]}, "1", tmp_path / "sw",
                   progress=False)
    assert (res.total, res.done, res.failed) == (3, 3, 0)
    by_variant = {r["params"]["variant"]: r for r in res.records()}
    assert list(by_variant) == ["aggressive", "frr", "bond"]
    assert by_variant["bond"]["expect_broken"]  # its bound breaks on purpose
    cli = tmp_path / "cli"  # the C++ CLI writes OUT/<label>/results.json
    run_cli("run", SMALL_COMPARE, "--out", cli, "--set", "traffic.0.rate=5Mbps", check=False)
    for label, rec in by_variant.items():
        assert rec["results"] == json.loads((cli / label / "results.json").read_text()), label


def test_timeline_marks_detection_and_failover_from_their_delays(tmp_path, monkeypatch):
    res = of.load(MONITORED).run()
    data = json.loads(res.text)
    fault = data["faults"][0]
    for key in ("detected_s", "uplink_switch_s"):  # only the delays left: at_s + delay
        del fault[key]
    for a in fault["flows"].values():
        del a["recovered_s"]
    import matplotlib.axes

    lines = []
    real = matplotlib.axes.Axes.axvline

    def spy(self, x=0, *args, **kwargs):
        lines.append((x, kwargs.get("label", "")))
        return real(self, x, *args, **kwargs)

    monkeypatch.setattr(matplotlib.axes.Axes, "axvline", spy)
    assert timeline(data, tmp_path / "t.png") == []
    _png(tmp_path / "t.png")
    marks = dict((label, x) for x, label in lines)
    ms = fault["detection_ms"]
    detected = f"fault 0 detected ({ms:.3f} ms)"
    assert marks[detected] == pytest.approx(fault["at_s"] + ms / 1e3)
    assert marks[f"fault 0 uplink switch ({fault['failover_ms']:.3f} ms)"] == pytest.approx(
        fault["at_s"] + fault["failover_ms"] / 1e3)
    assert any(label.startswith("f0 recovered (") for label in marks)


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
    assert "not in these results" not in p.stdout
    assert "note: fast_path_cost vs failover_ms: non-dominated " in p.stdout
    rec = next((out / "runs").glob("*.json"))
    run_py("plot", "timeline", rec, "--out", tmp_path / "t.png")
    _png(tmp_path / "t.png")


def test_distribution_of_a_figure_nobody_has(comparison, tmp_path):
    out, _ = comparison
    notes = distribution(of.sweeps.load_records(out), tmp_path / "x.png", "false_positives")
    assert any("not in these results" in n for n in notes)
    notes = pareto(of.sweeps.load_records(out), tmp_path / "y.png", x="detection_ms",
                   ys=["lost"])
    assert len(notes) == 1 and notes[0].startswith("detection_ms vs lost: non-dominated ")
    _png(tmp_path / "y.png")
