"""The config structs as Python sees them: plain fields, times in seconds, rates in bit/s, enums
by their scenario-file names, errors naming the field."""

from __future__ import annotations

import copy
import os
import subprocess
import sys
from pathlib import Path

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
    assert cfg.overlay.uplink_policy == of.UplinkPolicy.FLOW_HASH
    assert cfg.overlay.uplink_policy.label == "flow-hash"
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
    cfg.overlay.uplink_policy = "flow-hash"            # enum from its scenario-file name
    cfg.fabric.spines = 4
    assert cfg.traffic[0].rate == 2_500_000_000 and cfg.traffic[1].rate == 1_000_000
    assert cfg.faults[0].at == pytest.approx(0.1505)
    assert cfg.faults[0].end == pytest.approx(0.25)
    assert cfg.overlay.uplink_policy == of.UplinkPolicy.FLOW_HASH
    assert cfg.fabric.spines == 4
    cfg.validate()
    echo = of.load(SMALL).to_dict()
    assert echo["overlay"]["uplink_policy"] == "carrier-only"  # the loaded one is untouched


def test_layer1_overhead_is_a_fabric_property_and_sets_the_queue_minimum():
    cfg = of.load(SMALL).config
    assert cfg.fabric.layer1_overhead is True
    cfg.fabric.core.mtu = 9000
    cfg.fabric.core.queue_bytes = 9014      # header + payload, without the FCS
    with pytest.raises(of.ConfigError, match=r"at least mtu \+ 18 = 9018"):
        cfg.validate()
    cfg.fabric.layer1_overhead = False      # no FCS on the wire: one frame is mtu + 14
    cfg.validate()
    assert of.load(SMALL, ["fabric.layer1_overhead=false"]).config.fabric.layer1_overhead is False


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


def test_a_router_joins_two_segments_and_a_flow_crosses_it():
    cfg = of.ScenarioConfig(name="routed", duration="200ms")
    cfg.overlay.segments = [of.SegmentConfig(vni=5000, vms=["host0/vm0"]),
                            of.SegmentConfig(vni=6000, vms=["host3/vm0"])]
    cfg.traffic = [of.FlowConfig(name="f", from_="host0/vm0", to="host3/vm0", rate="10Mbps")]
    with pytest.raises(of.ConfigError, match="one router of overlay.routers joins"):
        cfg.validate()
    cfg.overlay.routers = [of.RouterConfig(name="dr", segments=[5000, 6000])]
    cfg.validate()
    assert list(cfg.overlay.routers[0].segments) == [5000, 6000]
    loaded = of.load(SCENARIOS / "routed-flow-failover.yaml").config.overlay.routers
    assert [(x.name, list(x.segments)) for x in loaded] == [("dr", [5000, 6000])]


def test_a_service_chain_built_in_python_validates_and_names_its_bad_fields():
    cfg = of.ScenarioConfig(name="chain", duration="500ms")
    cfg.overlay.segments = [of.SegmentConfig(vni=5000, vms=["host0/vm0", "host3/vm0"])]
    cfg.traffic = [of.FlowConfig(name="f", from_="host0/vm0", to="host3/vm0", rate="10Mbps")]
    cfg.svms = [of.SvmConfig(name="fw", host="host1", function="firewall", block_port=22),
                of.SvmConfig(name="ids", host="host2",
                             failures=[of.SvmFailureConfig(kind="crash", at="200ms")])]
    cfg.chains = [of.ChainConfig(name="c", paths=[of.ServicePathConfig(spi=7, svms=["fw", "ids"])],
                                 match=[of.ChainRuleConfig(from_="host0/vm0", protocol="udp")])]
    cfg.service_plane.reflection = True
    cfg.validate()
    assert cfg.svms[1].failures[0].at == pytest.approx(0.2)
    assert cfg.chains[0].match[0].to is None  # unset: any destination
    assert cfg.service_plane.query_interval == pytest.approx(0.05)
    cfg.chains[0].paths[0].indexes = [5, 3]
    with pytest.raises(of.ConfigError, match="decreases by one at every hop") as err:
        cfg.validate()
    assert err.value.field == "chains[0].paths[0].indexes[1]"
    cfg.chains[0].paths[0].indexes = []
    cfg.chains[0].paths[0].svms = ["fw", "idss"]
    with pytest.raises(of.ConfigError, match=r"did you mean ids\?"):
        cfg.validate()


def test_a_vf_built_in_python_validates_and_names_its_bad_fields():
    cfg = of.ScenarioConfig(name="vf", duration="200ms")
    cfg.overlay.segments = [
        of.SegmentConfig(vni=5000, vms=["host0/vm0", "host0/vm1", "host3/vm0"])]
    cfg.vfs = [of.VfConfig(vm="host0/vm0", mtu=8950, source_port=49152, at="10ms")]
    with pytest.raises(of.ConfigError, match="need offload") as err:
        cfg.validate()
    assert err.value.field == "vfs"
    cfg.offload = of.OffloadConfig(enabled=True, max_vfs=1, arp_proxy=True)
    cfg.validate()
    vf = cfg.vfs[0]
    assert (vf.vm, vf.uplink, vf.mtu, vf.source_port) == ("host0/vm0", 0, 8950, 49152)
    assert vf.at == pytest.approx(0.01)
    assert of.VfConfig().source_port is None and of.VfConfig().mtu == 1500
    assert cfg.offload.max_vfs == 1 and cfg.offload.arp_proxy is True
    cfg.vfs[0].mtu = 8951
    with pytest.raises(of.ConfigError, match="a VF's MTU is at most 8950") as err:
        cfg.validate()
    assert err.value.field == "vfs[0].mtu"
    cfg.vfs[0].mtu = 1500
    cfg.vfs = [cfg.vfs[0], of.VfConfig(vm="host0/vm1")]  # a second VF on host0's uplink0
    with pytest.raises(of.ConfigError, match="its PF supports offload.max_vfs = 1"):
        cfg.validate()


def test_racks_of_four_leaves_and_leaf_pairs_as_the_name_of_racks():
    f = of.FabricConfig(racks=3, leaves_per_rack=4, hosts_per_rack=2, uplinks_per_host=4)
    assert (f.num_leaves, f.num_hosts, f.leaf_pairs) == (12, 6, 3)
    f.validate()
    f.leaf_pairs = 2  # the same member under its two-leaf name
    assert f.racks == 2 and f.num_leaves == 8
    f.uplinks_per_host = 5
    with pytest.raises(of.ConfigError, match=r"allowed: 1\.\.4 \(fabric.leaves_per_rack is 4") as err:
        f.validate()
    assert err.value.field == "fabric.uplinks_per_host"
    assert of.load(SCENARIOS / "four-uplink-host.yaml").config.fabric.num_leaves == 8


def test_bad_values_are_refused_with_the_field_name():
    f = of.FlowConfig()
    with pytest.raises(ValueError, match="rate"):
        f.rate = "fast"
    with pytest.raises(ValueError, match="start"):
        f.start = "10 parsecs"
    with pytest.raises(ValueError, match="allowed: .*carrier-only"):
        of.OverlayConfig().uplink_policy = "teleport"
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


SMALL_COMPARE = SMALL.parent / "small-compare.yaml"


def test_monitoring_and_variant_fields():
    cfg = of.load(SMALL.parent / "small-monitored.yaml").config
    m = cfg.monitoring
    assert (m.enabled, m.preset, m.detect_mult, m.up_after, m.jitter) == (
        True, "aggressive", 3, 3, True)
    assert m.mode == of.BfdMode.ASYNC and m.mode.label == "async"
    assert m.echo_interval == pytest.approx(0.05)
    assert m.rtt_threshold is None and m.loss_threshold is None
    assert m.rtt_hysteresis == pytest.approx(20e-6)
    m.mode = "seamless"
    m.rtt_threshold = "500us"
    m.loss_threshold = 0.05
    m.tx_interval = 0.02
    assert (m.mode, m.rtt_threshold, m.loss_threshold, m.tx_interval) == (
        of.BfdMode.SEAMLESS, pytest.approx(500e-6), 0.05, pytest.approx(0.02))
    m.rtt_threshold = None
    assert m.rtt_threshold is None
    assert "up_after=3" in repr(m) and "loss_threshold=0.05" in repr(m)
    assert cfg.overlay.preferred_uplink == 0
    cfg.overlay.preferred_uplink = 1
    cfg.validate()
    assert cfg.variant == ""
    fresh = of.MonitoringConfig(enabled=True, preset="hardware", detect_mult=5)
    assert fresh.enabled and fresh.detect_mult == 5
    assert set(of.UplinkPolicy.__members__) >= {"CARRIER_ONLY", "ACTIVE_STANDBY", "LOWEST_RTT",
                                                "LOSS_WEIGHTED", "FLOW_HASH"}


def test_load_scenario_variants_binding():
    configs = of.load_scenario_variants(str(SMALL_COMPARE), ["seed=4"])
    assert [c.variant for c in configs] == ["aggressive", "frr", "bond"]
    assert [c.name for c in configs] == ["small-compare.aggressive", "small-compare.frr",
                                        "small-compare.bond"]
    assert all(c.seed == 4 for c in configs)
    assert configs[1].monitoring.preset == "frr-default"
    assert not configs[2].monitoring.enabled and str(configs[2].overlay.uplink_policy) == "carrier-only"
    bounds = {b.path: (b.min, b.max) for b in configs[1].expect}
    assert bounds["faults.0.detection_ms"] == (600, 900.1)  # the variant's bound replaces the file's
    assert "variant='frr'" in repr(configs[1])
    text = SMALL_COMPARE.read_text()
    again = of.load_scenario_variants_string(text, "x.yaml")
    assert [c.variant for c in again] == ["aggressive", "frr", "bond"]
    assert [c.variant for c in of.load_scenario_variants(str(SMALL))] == [""]
    with pytest.raises(of.ConfigError) as err:
        of.load_scenario_file(str(SMALL_COMPARE))
    assert err.value.field == "compare"


def test_load_refuses_a_compare_file_and_points_to_load_variants():
    with pytest.raises(of.ConfigError) as err:
        of.load(SMALL_COMPARE)
    e = err.value
    assert (e.file, e.field) == (str(SMALL_COMPARE), "compare")
    assert e.line == SMALL_COMPARE.read_text().splitlines().index("compare:") + 1
    assert "3 variants" in e.message and "load_variants()" in e.message
    assert str(e) == f"{SMALL_COMPARE}:{e.line}: compare: {e.message}"
    with pytest.raises(of.ConfigError, match="no variant labelled 'fast'.*aggressive, frr, bond"):
        of.load(SMALL_COMPARE, variant="fast")


def test_load_variants_gives_one_scenario_per_variant():
    variants = of.load_variants(SMALL_COMPARE, ["fabric.spines=3"], seed=5)
    assert [v.variant for v in variants] == ["aggressive", "frr", "bond"]
    assert all(v.config.fabric.spines == 3 and v.seed == 5 for v in variants)
    frr = variants[1]
    assert frr.name == "small-compare.frr" and frr.spec()["variant"] == "frr"
    # Overrides apply before the variant's own set entries, as the CLI's --set.
    assert frr.set("monitoring.preset=hardware").config.monitoring.preset == "frr-default"
    assert frr.set("fabric.spines=4").variant == "frr"
    assert of.load(SMALL_COMPARE, variant="frr").config.monitoring.preset == "frr-default"
    # Text and dict sources too; a plain file is a list of one.
    text = SMALL_COMPARE.read_text()
    assert [v.variant for v in of.load_variants(text)] == ["aggressive", "frr", "bond"]
    import yaml

    d = yaml.safe_load(text)
    assert [v.name for v in of.load_variants(d, name="d")][2] == "small-compare.bond"
    [plain] = of.load_variants(SMALL)
    assert plain.variant == "" and plain.name == "small-failover"


BROKEN = Path(os.environ["OVERLAY_FABRIC_SOURCE_DIR"]) / "test" / "data" / "broken"


@pytest.mark.parametrize("name, fragment", [
    ("utf16.yaml", "the file is UTF-16 (byte order mark FF FE)"),
    ("not-utf8.yaml", "byte 27 (0xff, column 7) is not valid UTF-8"),
    ("empty-document.yaml", "the document is empty"),
    ("name-dot-dot.yaml", "'..' is not allowed"),
])
def test_bad_files_raise_scenario_error_with_the_cli_message(name, fragment):
    with pytest.raises(of.ScenarioError) as err:
        of.load(BROKEN / name)
    assert isinstance(err.value, ValueError) and of.ScenarioError is of.ConfigError
    assert fragment in str(err.value) and str(err.value).startswith(str(BROKEN / name))


def test_python_cli_prints_the_message_and_exits_2_without_a_traceback():
    p = subprocess.run([sys.executable, "-m", "overlay_fabric", "validate", str(BROKEN / "utf16.yaml")],
                       capture_output=True, text=True)
    assert p.returncode == 2
    assert "UTF-16" in p.stderr and "Traceback" not in p.stderr + p.stdout


def test_a_scenario_above_the_cost_limits_is_refused_unless_allowed():
    sc = of.load(BROKEN / "full-mesh-hardware-bfd.yaml")  # valid: the guard runs before building
    assert "489300 monitoring sessions" in of._core.estimate_scenario(sc.config)
    with pytest.raises(of.ScenarioError, match="489300 BFD sessions.*allow_large=True"):
        sc.run(in_process=True)
    assert of._core.runs_in_this_process() == 0  # refused before anything was built


def test_python_cli_refuses_a_large_scenario_before_creating_its_folder(tmp_path):
    out = tmp_path / "big"
    p = subprocess.run([sys.executable, "-m", "overlay_fabric", "run",
                        str(BROKEN / "full-mesh-hardware-bfd.yaml"), "--out", str(out)],
                       capture_output=True, text=True)
    assert p.returncode == 2 and "too large" in p.stderr and "Traceback" not in p.stderr
    assert not out.exists()
