"""The path calculator from Python: the C++ calculator through _core.trace_path, the same answer
as the C++ CLI's `path`, the path the echoes really take, and no ns-3 state left behind."""

from __future__ import annotations

import json

import pytest

import overlay_fabric as of
from conftest import SCENARIOS, SMALL, run_cli, run_py, run_py_code

BLACKHOLE = SCENARIOS / "core-link-blackhole.yaml"


def test_trace_path_names_every_hop_of_a_leaf_spine_path():
    c = of.load(BLACKHOLE).config
    p = of._core.trace_path(c, "host0/uplink1", "host3", 50001)
    assert p["arrived"] and p["stop"] == "" and p["dport"] == 6081  # GENEVE by default
    assert p["nodes"][0] == "host0" and p["nodes"][-1] == "host3"
    assert p["nodes"][1] == "leaf1"                      # uplink 1 goes to the rack's 2nd leaf
    assert p["nodes"][2].startswith("spine") and p["nodes"][3] in ("leaf2", "leaf3")
    assert p["links"][0] == "host0/uplink1" and len(p["links"]) == 4
    assert p["ecmp_paths"] == 8  # 2 uplinks x 2 spines x 2 leaves of host3's rack
    assert p["text"] == " -".join([p["nodes"][0]] + [f"{l}-> {n}" for l, n in
                                                      zip(p["links"], p["nodes"][1:])])


def test_trace_path_agrees_with_the_echo_paths_of_a_run(cli_results):
    # results.json says which path each uplink's echoes took (same calculator, in the run);
    # the source ports the echoes use are not an input here, so check the set of paths instead:
    # every echo path is one of the paths trace_path finds over all source ports.
    r = json.loads(cli_results(BLACKHOLE))
    c = of.load(BLACKHOLE).config
    found = {of._core.trace_path(c, f"host0/uplink{u}", "host3", sport)["text"]
             for u in (0, 1) for sport in range(49152, 49152 + 64)}
    assert len(found) == 8
    tunnel = r["monitoring"]["tunnels"]["host0->host3"]
    assert {u["echo_path"] for u in tunnel["uplinks"]} <= found
    assert tunnel["ecmp_paths"] == 8 and tunnel["ecmp_paths_probed"] == 2
    # The victim's blackhole is on a path none of the echoes takes.
    assert not any("leaf0-spine0" in u["echo_path"] for u in tunnel["uplinks"])


def test_python_and_cpp_cli_print_the_same_path():
    args = ["path", BLACKHOLE, "--from", "host0/uplink0", "--to", "host3", "--sport", "50000"]
    assert run_py(*args).stdout == run_cli(*args).stdout
    vx = ["path", SCENARIOS / "vxlan-core-link-down.yaml", "--from", "host2/uplink0", "--to",
          "host0", "--sport", "50000"]
    out = run_cli(*vx).stdout
    assert "outer UDP 50000 -> 4789" in out and out == run_py(*vx).stdout


@pytest.mark.parametrize("args, fragment", [
    (["--from", "leaf0-spine0", "--to", "host3", "--sport", "1"], "--from: 'leaf0-spine0' is not a host uplink"),
    (["--from", "host0/uplink2", "--to", "host3", "--sport", "1"], "--from: host0/uplink2 is not in this fabric"),
    (["--from", "host0/uplink0", "--to", "host9", "--sport", "1"], "--to: host9 is not in this fabric"),
    (["--from", "host0/uplink0", "--to", "vm3", "--sport", "1"], "--to: 'vm3' is not a host"),
])
def test_bad_path_questions_exit_2_naming_the_option(args, fragment):
    for p in (run_cli("path", BLACKHOLE, *args, check=False),
              run_py("path", BLACKHOLE, *args, check=False)):
        assert p.returncode == 2 and fragment in p.stderr and "Traceback" not in p.stderr


def test_a_run_after_path_questions_is_unchanged(cli_results):
    code = f"""
import overlay_fabric as of
c = of.load({str(BLACKHOLE)!r}).config
for port in range(3):
    of._core.trace_path(c, "host0/uplink0", "host3", 50000 + port)
assert of._core.runs_in_this_process() == 0
print(of.load({str(SMALL)!r}).run(in_process=True).text)
"""
    p = run_py_code(code)
    assert p.returncode == 0, p.stderr
    assert json.loads(p.stdout) == json.loads(cli_results(SMALL))
