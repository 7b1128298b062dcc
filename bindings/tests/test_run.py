"""Running from Python gives the C++ CLI's results.json byte for byte; Ctrl-C stops a run; a
second in-process run fails with a clear error."""

from __future__ import annotations

import json
import re
import signal
import subprocess
import sys
import time

import pytest

import overlay_fabric as of
from conftest import SCENARIOS, SMALL, package_env, run_cli, run_py, run_py_code

DEFAULT = SCENARIOS / "default.yaml"
LDF = SCENARIOS / "link-down-failover.yaml"


def test_default_scenario_from_python_is_byte_identical_to_cli(cli_results):
    res = of.load(DEFAULT).run()
    assert res.text == cli_results(DEFAULT)
    assert res.ok and res.expect_broken == []


def test_one_changed_field_in_a_fresh_process_matches_cli_with_same_set_and_seed(cli_results):
    base = of.load(DEFAULT).run()
    changed = of.load(DEFAULT, ["fabric.spines=4", "traffic.0.rate=500Mbps"], seed=3).run()
    cli = cli_results(DEFAULT, "--set", "fabric.spines=4", "--set", "traffic.0.rate=500Mbps",
                      "--seed", "3")
    assert changed.text == cli
    assert changed.text != base.text
    assert changed.scenario["fabric"]["spines"] == 4
    assert changed.scenario["seed"] == 3
    # And running the first one again (another fresh process) still gives the CLI's bytes.
    assert of.load(DEFAULT).run().text == cli_results(DEFAULT)


def test_dict_override_and_list_override_are_the_same_run():
    a = of.load(SMALL, {"fabric.spines": 4, "overlay.uplink_policy": "flow-hash"})
    b = of.load(SMALL, ["fabric.spines=4", "overlay.uplink_policy=flow-hash"])
    assert a.overrides == b.overrides
    assert a.run().text == b.run().text


def test_python_cli_run_writes_the_same_results_json(tmp_path, cli_results):
    out = tmp_path / "py"
    p = run_py("run", LDF, "--out", out, "--set", "fabric.routing_convergence=100ms",
               check=False)
    # The file's recovery bound expects 200 ms of convergence: exit 1, the figure and the bound.
    assert p.returncode == 1
    assert re.search(r"link-down-failover.yaml:\d+: expect faults.0.flows.inbound.recovery_ms: "
                     r"measured 100\.00\d* is below min 199", p.stderr), p.stderr
    assert (out / "results.json").read_text() == cli_results(
        LDF, "--set", "fabric.routing_convergence=100ms")
    assert set(json.loads((out / "run-info.json").read_text())) == {"build_wall_s", "run_wall_s"}


def test_python_cli_exit_status_and_messages_match_cli(tmp_path):
    # A broken bound: exit 1, the same FAILED line as the C++ CLI.
    args = ["run", DEFAULT, "--set", "expect.flows.cross-rack-udp.lost.max=-1"]
    py = run_py(*args, "--out", tmp_path / "py", check=False)
    cpp = run_cli(*args, "--out", tmp_path / "cpp", check=False)
    assert py.returncode == cpp.returncode == 1
    failed = [l for l in cpp.stderr.splitlines() if l.startswith("FAILED")]
    assert failed and failed == [l for l in py.stderr.splitlines() if l.startswith("FAILED")]
    assert "measured 0 is above max -1" in failed[0]
    # Bad input: exit 2 and the same message.
    py = run_py("run", DEFAULT, "--set", "fabric.spines=0", check=False)
    cpp = run_cli("run", DEFAULT, "--set", "fabric.spines=0", check=False)
    assert py.returncode == cpp.returncode == 2
    assert py.stderr.strip() == cpp.stderr.strip()


@pytest.mark.parametrize("broken", sorted((SCENARIOS.parent / "test/data/broken").glob("*.yaml")),
                         ids=lambda p: p.stem)
def test_config_error_is_the_cli_message_with_its_parts(broken):
    cpp = run_cli("validate", broken, check=False)
    assert cpp.returncode == 2
    if "too large:" in cpp.stderr:
        # Valid, but above the cost limits: refused by run (and validate), not by load; see
        # test_a_scenario_above_the_cost_limits_is_refused_unless_allowed.
        assert "--allow-large" in cpp.stderr
        return
    with pytest.raises(of.ConfigError) as err:
        of.load(broken)
    assert f"error: {err.value}" == cpp.stderr.strip()
    assert err.value.file == str(broken)
    assert isinstance(err.value.line, int) and isinstance(err.value.field, str)
    assert err.value.message and err.value.message in str(err.value)


def test_edited_struct_runs_like_the_same_set_override(cli_results):
    cfg = of.load(LDF).config
    cfg.faults[0].at = "300ms"          # a time field takes a string with a unit...
    cfg.fabric.routing_convergence = 0.1  # ...or seconds
    res = of.run_config(cfg)
    assert res.text == cli_results(LDF, "--set", "faults.0.at=300ms",
                                   "--set", "fabric.routing_convergence=100ms")


def test_in_process_run_is_byte_identical_and_a_second_run_is_refused_clearly(cli_results):
    code = f"""
import overlay_fabric as of, sys
cfg = of.load({str(SMALL)!r}).config
first = of.run_config(cfg, in_process=True)
sys.stdout.write(first.text)
try:
    of.run_config(cfg, in_process=True)
except RuntimeError as e:
    sys.stderr.write("REFUSED: " + str(e))
again = of.run_config(cfg, in_process=True, allow_rerun=True)
assert again.totals["accounting_ok"]
"""
    p = run_py_code(code)
    assert p.returncode == 0, p.stderr
    assert p.stdout == cli_results(SMALL)
    assert "REFUSED: this process already ran 1 scenario(s)" in p.stderr
    assert "overlay_fabric.run()" in p.stderr and "allow_rerun=True" in p.stderr


LONG = ["duration=60s"]  # far longer than the test waits: only Ctrl-C ends it early


def _interrupt_after(code: str, seconds: float) -> tuple[subprocess.CompletedProcess, float]:
    proc = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=package_env())
    first = proc.stdout.readline()  # "started": imports done, the run is about to begin
    time.sleep(seconds)
    t0 = time.monotonic()
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=60)
    return (subprocess.CompletedProcess(proc.args, proc.returncode, first + out, err),
            time.monotonic() - t0)


@pytest.mark.parametrize("in_process", [True, False], ids=["in-process", "fresh-process"])
def test_ctrl_c_stops_a_run_cleanly(in_process):
    code = f"""
import os, signal, sys
signal.signal(signal.SIGINT, signal.default_int_handler)
import overlay_fabric as of
sc = of.load({str(DEFAULT)!r}, {LONG!r})
print("started", flush=True)
try:
    sc.run(in_process={in_process})
except KeyboardInterrupt:
    print("KeyboardInterrupt", flush=True)
    # Nothing left running: no child of ours is alive. (A process of the machine may end
    # between listdir and open: it is not ours.)
    def parent(pid):
        try:
            with open(f"/proc/{{pid}}/stat") as f:
                return f.read().rsplit(")", 1)[1].split()[1]
        except OSError:
            return None
    kids = [p for p in os.listdir("/proc") if p.isdigit() and parent(p) == str(os.getpid())]
    print("children", len(kids), flush=True)
    sys.exit(3)
"""
    p, took = _interrupt_after(code, 1.5)
    assert p.returncode == 3, p.stderr
    assert "KeyboardInterrupt" in p.stdout and "children 0" in p.stdout
    assert took < 10, f"Ctrl-C took {took:.1f} s to stop the run"


COMPARE = SCENARIOS / "compare-silent-blackhole.yaml"
SMALL_COMPARE = SMALL.parent / "small-compare.yaml"


def _normalized(text: str, out) -> list[str]:
    """Printed lines without the output folder and the wall-clock figures."""
    return [re.sub(r"\(\d+\.\d s\)", "(T s)", line.replace(str(out), "OUT"))
            for line in text.splitlines()]


@pytest.mark.parametrize("path", [COMPARE, SMALL_COMPARE], ids=lambda p: p.stem)
def test_python_cli_runs_every_variant_of_a_compare_file_as_the_cli(path, tmp_path):
    py = run_py("run", path, "--out", tmp_path / "py", check=False)
    cpp = run_cli("run", path, "--out", tmp_path / "cpp", check=False)
    assert py.returncode == cpp.returncode, py.stderr
    labels = [sc.variant for sc in of.load_variants(path)]
    assert sorted(p.name for p in (tmp_path / "py").iterdir() if p.is_dir()) == sorted(labels)
    for label in labels:  # each variant ran in a fresh process: still the CLI's bytes
        assert ((tmp_path / "py" / label / "results.json").read_bytes() ==
                (tmp_path / "cpp" / label / "results.json").read_bytes()), label
        assert (tmp_path / "py" / label / "run-info.json").exists()
    assert ((tmp_path / "py" / "comparison.csv").read_bytes() ==
            (tmp_path / "cpp" / "comparison.csv").read_bytes())
    # The same lines, table and FAILED lines (the C++ CLI prints its table the same way).
    assert _normalized(py.stdout, tmp_path / "py") == _normalized(cpp.stdout, tmp_path / "cpp")
    assert py.stderr == cpp.stderr


def test_a_broken_variant_bound_exits_1_naming_the_variant(tmp_path):
    p = run_py("run", SMALL_COMPARE, "--out", tmp_path, "--workers", "2", check=False)
    assert p.returncode == 1
    assert re.fullmatch(r"FAILED \[bond\] .*small-compare.yaml:\d+: expect faults.0.detection_ms: "
                        r"is null \(the event never happened\)\n", p.stderr), p.stderr
    table = (tmp_path / "comparison.csv").read_text().splitlines()
    assert [row.split(",")[0] for row in table] == ["label", "aggressive", "frr", "bond"]


def test_variants_run_from_python_give_the_cli_bytes(tmp_path):
    cpp = run_cli("run", SMALL_COMPARE, "--out", tmp_path / "cpp", "--seed", "2", check=False)
    assert cpp.returncode == 1
    variants = of.load_variants(SMALL_COMPARE, seed=2)
    res = variants[1].run()
    assert res.text == (tmp_path / "cpp" / "frr" / "results.json").read_text()
    assert res.scenario["name"] == "small-compare.frr" and res.ok
    run = of.run_variants(variants, tmp_path / "py", workers=2)
    assert [r.text for r in run.results] == [
        (tmp_path / "cpp" / v.variant / "results.json").read_text() for v in variants]
    assert run.failed and run.failed[0].startswith("[bond] ")
    assert (tmp_path / "py" / "comparison.csv").read_text() == (
        tmp_path / "cpp" / "comparison.csv").read_text()


def test_python_cli_validates_every_variant_as_the_cli():
    py = run_py("validate", COMPARE)
    assert py.stdout == run_cli("validate", COMPARE).stdout
    assert "valid scenario with 17 variants" in py.stdout
