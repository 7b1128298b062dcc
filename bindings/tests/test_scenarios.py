"""Regression suite: every scenario file in scenarios/ runs (in its own process) and its
``expect:`` bounds hold, checked by the C++ CheckExpectations through the binding, so a failure
reads exactly as the CLI's (file:line, figure, measured value, bound)."""

from __future__ import annotations

from pathlib import Path

import pytest

import overlay_fabric as of
from conftest import SCENARIOS

SCENARIO_FILES = sorted(SCENARIOS.glob("*.yaml"))


def check_scenario(path: Path, out_dir: Path, overrides=None) -> of.Results:
    """Run ``path`` and fail with every broken bound's message if any."""
    sc = of.load(path, overrides)
    res = sc.run(out_dir)
    broken = of.check_expectations(sc.config, res.text)
    if broken:
        pytest.fail(f"{path.name}: {len(broken)} bound(s) broken:\n  " + "\n  ".join(broken),
                    pytrace=False)
    return res


def test_there_are_scenarios():
    assert len(SCENARIO_FILES) >= 1, f"no scenario files in {SCENARIOS}"


@pytest.mark.parametrize("path", SCENARIO_FILES, ids=lambda p: p.stem)
def test_scenario_holds_its_bounds(path, tmp_path):
    res = check_scenario(path, tmp_path)
    assert res.totals["accounting_ok"]


def test_results_outside_a_bound_fail_with_the_figure_and_the_bound(tmp_path):
    path = SCENARIOS / "pcap-geneve.yaml"
    with pytest.raises(pytest.fail.Exception) as failure:
        check_scenario(path, tmp_path, ["expect.flows.probe.delivered.min=1000000"])
    msg = str(failure.value)
    assert "pcap-geneve.yaml: 1 bound(s) broken" in msg
    assert "expect flows.probe.delivered: measured " in msg
    assert "is below min 1000000" in msg
    assert f"{path}:" in msg  # the scenario file and the bound's line, as the CLI prints
