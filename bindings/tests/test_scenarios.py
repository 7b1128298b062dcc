"""Regression suite: every scenario of every file in scenarios/ runs (in its own process) and its
``expect:`` bounds hold, checked by the C++ CheckExpectations through the binding, so a failure
reads exactly as the CLI's (file:line, figure, measured value, bound). A file with a ``compare:``
section is one test per variant, against that variant's bounds (the file's merged with its own)."""

from __future__ import annotations

from pathlib import Path

import pytest

import overlay_fabric as of
from conftest import SCENARIOS

SCENARIO_FILES = sorted(SCENARIOS.glob("*.yaml"))


def _cases():
    """(file, variant label or '') for every scenario to run; a file that does not load is one
    case that fails with the loader's message."""
    cases = []
    for path in SCENARIO_FILES:
        try:
            labels = [sc.variant for sc in of.load_variants(path)]
        except of.ConfigError:
            labels = [""]
        cases += [pytest.param(path, label, id=f"{path.stem}.{label}" if label else path.stem)
                  for label in labels]
    return cases


def check_scenario(path: Path, out_dir: Path, overrides=None, variant: str = "") -> of.Results:
    """Run ``path`` (its variant ``variant``) and fail with every broken bound's message if any."""
    sc = of.load(path, overrides, variant=variant)
    res = sc.run(out_dir)
    broken = of.check_expectations(sc.config, res.text)
    if broken:
        name = path.name + (f" [{variant}]" if variant else "")
        pytest.fail(f"{name}: {len(broken)} bound(s) broken:\n  " + "\n  ".join(broken),
                    pytrace=False)
    return res


def test_there_are_scenarios():
    assert len(SCENARIO_FILES) >= 1, f"no scenario files in {SCENARIOS}"


@pytest.mark.parametrize("path, variant", _cases())
def test_scenario_holds_its_bounds(path, variant, tmp_path):
    res = check_scenario(path, tmp_path, variant=variant)
    assert res.totals["accounting_ok"]
    assert res.scenario["name"].endswith(f".{variant}") if variant else True


def test_every_variant_of_a_compare_file_is_a_case():
    ids = [p.id for p in _cases()]
    compare = [i for i in ids if i.startswith("compare-silent-blackhole.")]
    assert len(compare) == 17 and "compare-silent-blackhole.bond" in compare
    assert "default" in ids


def test_results_outside_a_bound_fail_with_the_figure_and_the_bound(tmp_path):
    path = SCENARIOS / "pcap-geneve.yaml"
    with pytest.raises(pytest.fail.Exception) as failure:
        check_scenario(path, tmp_path, ["expect.flows.probe.delivered.min=1000000"])
    msg = str(failure.value)
    assert "pcap-geneve.yaml: 1 bound(s) broken" in msg
    assert "expect flows.probe.delivered: measured " in msg
    assert "is below min 1000000" in msg
    assert f"{path}:" in msg  # the scenario file and the bound's line, as the CLI prints


def test_a_variant_bound_outside_the_results_fails_naming_the_variant(tmp_path):
    path = SCENARIOS / "compare-silent-blackhole.yaml"
    with pytest.raises(pytest.fail.Exception) as failure:
        # --set applies before the variant's own set: this edits compare[1]'s bound itself
        check_scenario(path, tmp_path, ["compare.1.expect.faults.0.detection_ms.max=120"],
                       variant="active-standby-aggressive")
    msg = str(failure.value)
    assert "compare-silent-blackhole.yaml [active-standby-aggressive]: 1 bound(s) broken" in msg
    assert "expect faults.0.detection_ms: measured 142.8" in msg and "above max 120" in msg
