"""The config structs as Python sees them: plain fields, times in seconds, rates in bit/s, enums
by their scenario-file names, errors naming the field."""

from __future__ import annotations

import copy

import pytest

import overlay_fabric as of
from conftest import SCENARIOS, SMALL


def test_loaded_config_exposes_fields_in_seconds_and_bps():
    cfg = of.load(SCENARIOS / "default.yaml").config
    assert isinstance(cfg, of.ScenarioConfig)
    assert cfg.name == "default" and cfg.seed == 1
    assert cfg.duration == pytest.approx(1.0)
    assert cfg.stats_bin == pytest.approx(0.01)
    assert cfg.fabric.access.rate == 25_000_000_000
    assert cfg.fabric.core.delay == pytest.approx(1e-6)
    assert cfg.fabric.num_hosts == 8
    assert cfg.overlay.policy == of.UplinkPolicy.FLOW_HASH
    assert cfg.overlay.policy.label == "flow-hash"
    assert [s.vni for s in cfg.overlay.segments] == [5000, 6000]
    flow = cfg.traffic[0]
    assert (flow.name, flow.from_, flow.to, flow.kind) == (
        "cross-rack-udp", "host0/vm0", "host5/vm0", of.FlowKind.UDP_CBR)
    assert flow.rate == 1_000_000_000 and flow.stop is None
    assert [e.path for e in cfg.expect][0] == "flows.cross-rack-udp.delivered"
    assert "default" in repr(cfg) and "flows=3" in repr(cfg)


def test_fields_take_units_and_edit_in_place():
    cfg = of.load(SMALL).config
    cfg.traffic[0].rate = "2.5Gbps"
    cfg.traffic[1].rate = 1e6
    cfg.faults[0].at = "150500us"
    cfg.faults[0].end = 0.25
    cfg.overlay.policy = "flow-hash"            # enum from its scenario-file name
    cfg.fabric.spines = 4
    assert cfg.traffic[0].rate == 2_500_000_000 and cfg.traffic[1].rate == 1_000_000
    assert cfg.faults[0].at == pytest.approx(0.1505)
    assert cfg.faults[0].end == pytest.approx(0.25)
    assert cfg.overlay.policy == of.UplinkPolicy.FLOW_HASH
    assert cfg.fabric.spines == 4
    cfg.validate()
    echo = of.load(SMALL).to_dict()
    assert echo["overlay"]["uplink_policy"] == "carrier-only"  # the loaded one is untouched


def test_struct_built_from_scratch_validates_and_names_bad_fields():
    cfg = of.ScenarioConfig(name="scratch", duration="200ms")
    cfg.overlay.segments = [of.SegmentConfig(vni=10, vms=["host0/vm0", "host3/vm0"])]
    cfg.traffic = [of.FlowConfig(name="f", from_="host0/vm0", to="host3/vm0", rate="10Mbps")]
    cfg.validate()
    cfg.traffic[0].to = "host99/vm0"
    with pytest.raises(of.ConfigError) as err:
        cfg.validate()
    assert err.value.field.startswith("traffic")
    assert "host99/vm0" in str(err.value)


def test_bad_values_are_refused_with_the_field_name():
    f = of.FlowConfig()
    with pytest.raises(ValueError, match="rate"):
        f.rate = "fast"
    with pytest.raises(ValueError, match="start"):
        f.start = "10 parsecs"
    with pytest.raises(ValueError, match="allowed: .*carrier-only"):
        of.OverlayConfig().policy = "teleport"
    with pytest.raises(AttributeError, match="no field 'color'"):
        of.FlowConfig(color="red")
    with pytest.raises(of.ConfigError) as err:
        of.load(SCENARIOS / "default.yaml", ["fabric.spines=0"])
    assert (err.value.file, err.value.line, err.value.field) == (
        "--set fabric.spines", 0, "fabric.spines")


def test_enums_follow_the_cpp_names():
    assert of.UplinkPolicy("carrier-only") == of.UplinkPolicy.CARRIER_ONLY
    assert {e.label for e in of.FaultKind.__members__.values()} >= {
        "link-down", "silent-drop", "added-delay"}
    assert str(of.Encapsulation.VXLAN) == "vxlan"


def test_monitoring_presets_fill_the_timers():
    m = of.MonitoringConfig()
    m.apply_preset("aggressive")
    assert (m.tx_interval, m.rx_interval, m.detect_mult) == (pytest.approx(0.05),
                                                             pytest.approx(0.05), 3)
    assert "hardware" in of.monitoring_preset_names()
    with pytest.raises(ValueError, match="allowed"):
        m.apply_preset("warp")


def test_copies_are_independent():
    cfg = of.load(SMALL).config
    other = copy.deepcopy(cfg)
    other.fabric.spines = 8
    other.traffic[0].name = "renamed"
    assert cfg.fabric.spines == 2 and cfg.traffic[0].name == "out-a"


def test_scenario_is_immutable_and_overrides_accumulate():
    sc = of.load(SMALL)
    sc2 = sc.set("fabric.spines=4").with_seed(7)
    assert sc.overrides == [] and sc.config.fabric.spines == 2
    assert sc2.overrides == ["fabric.spines=4", "seed=7"]
    assert sc2.config.fabric.spines == 4 and sc2.seed == 7


def test_dict_and_yaml_sources():
    d = {"name": "from-dict", "duration": "300ms",
         "overlay": {"segments": [{"vni": 1, "vms": ["host0/vm0", "host1/vm0"]}]},
         "traffic": [{"name": "f", "from": "host0/vm0", "to": "host1/vm0", "rate": "1Mbps"}]}
    sc = of.load(d)
    assert sc.name == "from-dict" and sc.source_name == "<dict>"
    assert of.load(sc.text, name="again").config.traffic[0].rate == 1_000_000
    with pytest.raises(of.ConfigError, match="duration"):
        of.load(dict(d, duration=5))  # a bare number is not a time, as in a file


def test_parse_helpers():
    assert of.parse_time("200ms") == pytest.approx(0.2)
    assert of.parse_data_rate("2.5Gbps") == 2_500_000_000
    o = of.parse_override("traffic.0.rate=2Gbps")
    assert (o.path, o.value) == ("traffic.0.rate", "2Gbps")
