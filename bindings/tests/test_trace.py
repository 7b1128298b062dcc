"""The path trace from Python: Results.trace gives, hop by hop, the paths the victim of
monitored-silent-blackhole took (uplink 0, dropped on it, uplink 1), the same links as the path
calculator and as the CLI's `trace`; `plot path` draws them."""

from __future__ import annotations

import overlay_fabric as of
from conftest import SCENARIOS, run_cli

TRACE = SCENARIOS / "trace-silent-blackhole.yaml"


def test_trace_table_shows_the_move_from_uplink_0_to_uplink_1(cli_results):
    res = of.Results(cli_results(TRACE))
    rows = res.trace("victim")
    paths = sorted({r["path"] for r in rows})
    assert paths == [0, 1, 2]
    by_path = {i: [r for r in rows if r["path"] == i] for i in paths}
    assert [r["uplink"] for r in rows if r["hop"] == 0] == [0, 0, 1]
    assert [by_path[i][0]["fate"] for i in paths] == ["delivered", "silent_drop", "delivered"]
    # every packet once: the paths' packets add up to the flow's sent packets
    assert sum(by_path[i][0]["packets"] for i in paths) == res.flows["victim"]["sent"]
    # VM, VTEP, then host0 -> leaf -> spine -> leaf on the wire
    assert [r["node"] for r in by_path[0]][2:] == ["host0", "leaf0", "spine0", "leaf3"]
    assert [r["node"] for r in by_path[2]][2:] == ["host0", "leaf1", "spine1", "leaf3"]
    assert [r["via"] for r in by_path[1]] == ["vm host0/vm0", "vtep, uplink0", "host0/uplink0"]
    # at 3.5 s the flow is on uplink 1; before its first packet there is no path
    assert {r["path"] for r in res.trace("victim", at=3.5)} == {2}
    assert res.trace("victim", at=0.05) == []


def test_trace_agrees_with_the_path_calculator(cli_results):
    res = of.Results(cli_results(TRACE))
    c = of.load(TRACE).config
    for i, uplink in ((0, 0), (2, 1)):
        path = res.data["trace"]["victim"]["paths"][i]
        calc = of._core.trace_path(c, f"host0/uplink{uplink}", "host3", path["outer"]["sport"])
        # the hops on the wire: each node and the link it sent the packet on
        assert [h["via"] for h in path["hops"][2:]] == calc["links"]
        assert [h["node"] for h in path["hops"][2:]] == calc["nodes"][:-1]


def test_cli_trace_prints_the_same_paths(tmp_path):
    run_cli("run", TRACE, "--out", tmp_path)
    out = run_cli("trace", tmp_path, "--flow", "victim").stdout
    assert "3 paths" in out
    assert "-host0/uplink0-> leaf0 -leaf0-spine0-> spine0" in out
    assert "dropped (silent_drop) after host0" in out
    at = run_cli("trace", tmp_path, "--flow", "victim", "--at", "3.5s").stdout
    assert "[2]" in at and "[0]" not in at and "uplink1" in at
    bad = run_cli("trace", tmp_path, "--flow", "nope", check=False)
    assert bad.returncode == 2 and "allowed: victim" in bad.stderr


def test_plot_path_draws_the_paths_and_refuses_an_untraced_flow(tmp_path):
    from conftest import run_py

    run_cli("run", TRACE, "--out", tmp_path / "run")
    p = run_py("plot", "path", tmp_path / "run", "--flow", "victim", "--out", tmp_path / "p.png")
    assert "note:" not in p.stdout  # the fault's link is on the traced paths
    png = (tmp_path / "p.png").read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 10_000
    bad = run_py("plot", "path", tmp_path / "run", "--flow", "nope", "--out",
                 tmp_path / "q.png", check=False)
    assert bad.returncode == 2 and "not traced" in bad.stderr and "victim" in bad.stderr
