"""Sweeps: one process per run, one record per run, resume after a kill without redoing finished
runs, and the same results on a Dask cluster as with local workers."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

import overlay_fabric as of
from overlay_fabric.sweeps import SweepError, SweepStore, expand_grid, parse_seeds, split_values
from conftest import SMALL, package_env, run_cli, run_py

POLICIES = {"overlay.uplink_policy": ["carrier-only", "flow-hash"]}


@pytest.fixture(scope="module")
def local_sweep(tmp_path_factory):
    out = tmp_path_factory.mktemp("sweep-local")
    res = of.sweep(SMALL, POLICIES, "1-3", out, workers=2, progress=False)
    return out, res


def test_grid_and_seed_parsing():
    assert parse_seeds("1-3,7") == [1, 2, 3, 7]
    assert split_values("a,[1,2],{min: 1, max: 2}") == ["a", "[1,2]", "{min: 1, max: 2}"]
    points = expand_grid({"a.b": ["x", "y"], "c": [1, 2]}, [1, 5], ["fabric.spines=4"])
    assert len(points) == 8 and len({p.run_id for p in points}) == 8
    assert points[0].overrides == ["fabric.spines=4", "a.b=x", "c=1", "seed=1"]


def test_sweep_runs_each_point_once_in_its_own_process(local_sweep):
    out, res = local_sweep
    assert (res.total, res.done, res.failed, res.skipped) == (6, 6, 0, 0)
    records = res.records()
    files = sorted((out / "runs").glob("*.json"))
    assert len(files) == 6 and not list((out / "runs").glob(".*.tmp"))
    assert len({r["pid"] for r in records}) == 6  # a fresh process per run
    assert {(r["params"]["overlay.uplink_policy"], r["seed"]) for r in records} == {
        (p, s) for p in POLICIES["overlay.uplink_policy"] for s in (1, 2, 3)}
    assert all(r["status"] == "ok" and r["expect_broken"] == [] for r in records)


def test_sweep_results_equal_the_cli_runs(local_sweep, tmp_path):
    _, res = local_sweep
    for r in res.records():
        out = tmp_path / r["run_id"]
        args = [a for o in r["overrides"] if not o.startswith("seed=") for a in ("--set", o)]
        run_cli("run", SMALL, "--out", out, "--seed", r["seed"], *args)
        assert json.loads((out / "results.json").read_text()) == r["results"], r["run_id"]


def test_sweep_again_skips_finished_runs_and_extends(local_sweep):
    out, _ = local_sweep
    before = {p.name: p.stat().st_mtime_ns for p in (out / "runs").glob("*.json")}
    res = of.sweep(SMALL, POLICIES, "1-4", out, workers=2, progress=False)
    assert (res.total, res.skipped, res.done) == (8, 6, 2)
    after = {p.name: p.stat().st_mtime_ns for p in (out / "runs").glob("*.json")}
    assert len(after) == 8 and all(after[n] == m for n, m in before.items())


def _marked_processes(marker: str) -> list[int]:
    pids = []
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            try:
                if marker.encode() in Path(entry.path, "environ").read_bytes():
                    pids.append(int(entry.name))
            except OSError:
                pass
    return pids


def test_killed_sweep_resumes_without_redoing_or_losing_finished_runs(tmp_path):
    out = tmp_path / "sweep"
    marker = f"OVERLAY_FABRIC_TEST_MARK={uuid.uuid4().hex}"
    key, value = marker.split("=")
    # Runs of ~0.5 s so the kill lands while some are done and others are going.
    args = ["-m", "overlay_fabric", "sweep", SMALL, "--grid",
            "overlay.uplink_policy=carrier-only,flow-hash", "--seeds", "1-4", "--workers", "2",
            "--out", out, "--no-progress", "--set", "duration=1s",
            "--set", "traffic.0.rate=300Mbps", "--set", "traffic.1.rate=300Mbps"]
    proc = subprocess.Popen([sys.executable, *map(str, args)], env=package_env(**{key: value}),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and len(list((out / "runs").glob("*.json"))) < 2:
        time.sleep(0.02)
    proc.send_signal(signal.SIGKILL)
    proc.communicate()
    finished = {p.name: (p.stat().st_mtime_ns, p.read_bytes())
                for p in (out / "runs").glob("*.json")}
    assert 2 <= len(finished) < 8, "the kill should land in the middle of the sweep"
    for name, (_, data) in finished.items():
        assert json.loads(data)["status"] == "ok", name  # whole records only
    # The killed sweep's worker processes died with it (no orphan keeps running).
    deadline = time.monotonic() + 10
    while _marked_processes(value) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert _marked_processes(value) == []

    p = subprocess.run([sys.executable, *map(str, args)], env=package_env(),
                       capture_output=True, text=True, timeout=600)
    assert p.returncode == 0, p.stderr
    assert f"{len(finished)} already done, {8 - len(finished)} done now, 0 failed" in p.stdout
    now = {p.name: (p.stat().st_mtime_ns, p.read_bytes()) for p in (out / "runs").glob("*.json")}
    assert len(now) == 8
    for name, (mtime, data) in finished.items():
        assert now[name] == (mtime, data), f"{name} was redone"


def test_dask_cluster_gives_the_same_results_as_local_workers(local_sweep, tmp_path,
                                                              monkeypatch):
    distributed = pytest.importorskip("distributed")
    _, local = local_sweep
    # Dask workers import overlay_fabric: give them the package path.
    monkeypatch.setenv("PYTHONPATH", package_env()["PYTHONPATH"])
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster:
        res = of.sweep(SMALL, POLICIES, "1-3", tmp_path / "dask",
                       scheduler=cluster.scheduler_address, progress=False)
        assert (res.total, res.done, res.failed) == (6, 6, 0)
        with distributed.Client(cluster.scheduler_address) as client:
            worker_pids = set(client.run(os.getpid).values())
        # The command line takes the scheduler address.
        cli_out = run_py_sweep(tmp_path / "dask-cli", "--scheduler", cluster.scheduler_address)
        assert "6 done now, 0 failed" in cli_out
    dask_records = {r["run_id"]: r for r in res.records()}
    local_records = {r["run_id"]: r for r in local.records()}
    assert dask_records.keys() == local_records.keys()
    for rid, r in dask_records.items():
        assert r["results"] == local_records[rid]["results"], rid
        assert r["pid"] not in worker_pids  # a fresh process under the Dask worker
    cli_records = {r["run_id"]: r["results"] for r in SweepStore(tmp_path / "dask-cli").records()}
    assert cli_records == {rid: r["results"] for rid, r in local_records.items()}


def run_py_sweep(out, *extra) -> str:
    p = run_py("sweep", SMALL, "--grid", "overlay.uplink_policy=carrier-only,flow-hash",
               "--seeds", "1-3", "--out", out, "--no-progress", *extra)
    return p.stdout


def test_bad_grid_value_fails_before_anything_runs(tmp_path):
    with pytest.raises(of.ConfigError, match="overlay.uplink_policy"):
        of.sweep(SMALL, {"overlay.uplink_policy": ["carrier-only", "teleport"]}, "1-2",
                 tmp_path / "bad", progress=False)
    assert not list(tmp_path.glob("bad/runs/*.json"))
    p = run_py("sweep", SMALL, "--grid", "fabric.spines=2,0", "--out", tmp_path / "bad2",
               check=False)
    assert p.returncode == 2 and "fabric.spines" in p.stderr


def test_unwritable_output_paths_are_refused_before_anything_runs(tmp_path):
    plain = tmp_path / "plain"
    plain.write_text("x")
    # The sweep folder under a plain file: a ScenarioError naming the option and the path.
    with pytest.raises(of.ScenarioError, match=f"--out {plain}/sweep: "):
        of.sweep(SMALL, {"overlay.uplink_policy": ["carrier-only"]}, "1", plain / "sweep",
                 progress=False)
    # "runs" inside the folder is a plain file.
    (tmp_path / "s").mkdir()
    (tmp_path / "s" / "runs").write_text("x")
    with pytest.raises(of.ScenarioError, match="runs: exists and is not a folder"):
        of.sweep(SMALL, {"overlay.uplink_policy": ["carrier-only"]}, "1", tmp_path / "s",
                 progress=False)
    # compare's CSV and a plot's PNG are checked before the runs and the reading.
    p = run_py("compare", SMALL, "--policies", "carrier-only", "--seeds", "1",
               "--out", tmp_path / "cmp", "--csv", plain / "x.csv", check=False)
    assert p.returncode == 2 and f"--csv {plain}: " in p.stderr, p.stderr
    assert "Traceback" not in p.stderr and not (tmp_path / "cmp" / "runs").exists()
    p = run_py("plot", "timeline", tmp_path / "missing.json", "--out", plain / "t.png",
               check=False)
    assert p.returncode == 2 and f"--out {plain}: " in p.stderr and "Traceback" not in p.stderr


def test_folder_of_another_scenario_is_refused(local_sweep):
    out, _ = local_sweep
    other = of.load(SMALL.read_text().replace("duration: 300ms", "duration: 200ms"), name="x")
    with pytest.raises(SweepError, match="another scenario"):
        of.sweep(other, POLICIES, "1", out, progress=False)
    assert len(SweepStore(out).records()) >= 6


def test_ctrl_c_stops_a_sweep_keeping_finished_runs(tmp_path):
    out = tmp_path / "sweep"
    marker = uuid.uuid4().hex
    args = ["-m", "overlay_fabric", "sweep", SMALL, "--grid",
            "overlay.uplink_policy=carrier-only,flow-hash", "--seeds", "1-6", "--workers", "2",
            "--out", out, "--no-progress", "--set", "duration=2s"]
    proc = subprocess.Popen([sys.executable, *map(str, args)],
                            env=package_env(OVERLAY_FABRIC_TEST_MARK=marker),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and not list((out / "runs").glob("*.json")):
        time.sleep(0.02)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    assert "interrupted:" in err and "run the same command again to resume" in err
    records = list((out / "runs").glob("*.json"))
    assert 1 <= len(records) < 12
    assert all(json.loads(p.read_text())["status"] == "ok" for p in records)
    deadline = time.monotonic() + 10
    while _marked_processes(marker) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert _marked_processes(marker) == []  # its running workers were killed
