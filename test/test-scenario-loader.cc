// Scenario files -> ScenarioConfig: values, defaults, --set overrides, and the error (file, line,
// field, message) for each kind of bad input.

#include "results-shape.h"
#include "scenario-config.h"
#include "scenario-feature.h"
#include "scenario-loader.h"
#include "scenario-schema.h"

#include <algorithm>
#include <gtest/gtest.h>
#include <initializer_list>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace
{

using namespace ns3;

const std::string DATA_DIR = std::string(OVERLAY_FABRIC_SOURCE_DIR) + "/test/data/";

/**
 * \param cfg a configuration
 * \return its operator<< text (the whole struct, as scenario YAML)
 */
std::string
Print(const ScenarioConfig& cfg)
{
    std::ostringstream os;
    os << cfg;
    return os.str();
}

/**
 * \brief Load a file and return the ConfigError it must raise.
 * \param path the file
 * \param overrides --set overrides
 * \return the error
 */
ConfigError
LoadError(const std::string& path, const std::vector<ScenarioOverride>& overrides = {})
{
    try
    {
        LoadScenarioFile(path, overrides);
    }
    catch (const ConfigError& e)
    {
        return e;
    }
    ADD_FAILURE() << path << " loaded without error";
    return ConfigError("", 0, "", "");
}

/**
 * \param overrides "PATH=VALUE" strings
 * \return the parsed overrides
 */
std::vector<ScenarioOverride>
Overrides(const std::vector<std::string>& overrides)
{
    std::vector<ScenarioOverride> out;
    for (const std::string& text : overrides)
    {
        out.push_back(ParseOverride(text));
    }
    return out;
}

// ---------------------------------------------------------------------------------------------
// Valid files.

TEST(ScenarioLoader, FullFileFillsEveryField)
{
    ScenarioConfig cfg = LoadScenarioFile(DATA_DIR + "valid-full.yaml");

    EXPECT_EQ(cfg.sourceFile, DATA_DIR + "valid-full.yaml");
    EXPECT_EQ(cfg.name, "uplink-silent-blackhole");
    EXPECT_EQ(cfg.seed, 7u);
    EXPECT_EQ(cfg.duration, Seconds(5));
    EXPECT_EQ(cfg.statsBin, MilliSeconds(20));

    EXPECT_EQ(cfg.fabric.spines, 4u);
    EXPECT_EQ(cfg.fabric.racks, 3u);
    EXPECT_EQ(cfg.fabric.hostsPerRack, 4u);
    EXPECT_EQ(cfg.fabric.uplinksPerHost, 2u);
    EXPECT_EQ(cfg.fabric.access.rate.GetBitRate(), 25000000000ull);
    EXPECT_EQ(cfg.fabric.access.delay, MicroSeconds(1));
    EXPECT_EQ(cfg.fabric.access.mtu, 9000u);
    EXPECT_EQ(cfg.fabric.access.queueBytes, 1000000u);
    EXPECT_EQ(cfg.fabric.core.rate.GetBitRate(), 2500000000ull);
    EXPECT_EQ(cfg.fabric.core.delay, MicroSeconds(2));
    EXPECT_EQ(cfg.fabric.core.mtu, 1500u);
    EXPECT_EQ(cfg.fabric.core.queueBytes, 64000u);
    EXPECT_EQ(cfg.fabric.routingConvergence, MilliSeconds(150));

    EXPECT_EQ(cfg.overlay.encap, Encapsulation::VXLAN);
    EXPECT_EQ(cfg.overlay.policy, UplinkPolicy::ACTIVE_STANDBY);
    EXPECT_EQ(cfg.overlay.preferredUplink, 1u);
    ASSERT_EQ(cfg.overlay.segments.size(), 2u);
    EXPECT_EQ(cfg.overlay.segments[0].vni, 5000u);
    EXPECT_EQ(cfg.overlay.segments[0].vms,
              (std::vector<VmRef>{"host0/vm0", "host5/vm0", "host11/vm2"}));
    EXPECT_EQ(cfg.overlay.segments[1].vni, 16777215u);
    EXPECT_EQ(cfg.overlay.segments[1].vms, (std::vector<VmRef>{"host1/vm0", "host2/vm1"}));

    // preset aggressive (50ms x 3), tx_interval overridden; the rest of the preset stays.
    EXPECT_TRUE(cfg.monitoring.enabled);
    EXPECT_EQ(cfg.monitoring.preset, "aggressive");
    EXPECT_EQ(cfg.monitoring.txInterval, MilliSeconds(20));
    EXPECT_EQ(cfg.monitoring.rxInterval, MilliSeconds(50));
    EXPECT_EQ(cfg.monitoring.detectMult, 3u);
    EXPECT_EQ(cfg.monitoring.upAfter, 5u);
    EXPECT_EQ(cfg.monitoring.mode, BfdMode::SEAMLESS);
    EXPECT_FALSE(cfg.monitoring.jitter);
    EXPECT_EQ(cfg.monitoring.rttThreshold, std::optional<Time>(MicroSeconds(500)));
    EXPECT_EQ(cfg.monitoring.lossThreshold, std::optional<double>(0.05));
    EXPECT_EQ(cfg.monitoring.rttHysteresis, MicroSeconds(50));
    EXPECT_EQ(cfg.monitoring.EchoInterval(), MilliSeconds(50));

    ASSERT_EQ(cfg.traffic.size(), 2u);
    const FlowConfig& f0 = cfg.traffic[0];
    EXPECT_EQ(f0.name, "f0");
    EXPECT_EQ(f0.from, "host0/vm0");
    EXPECT_EQ(f0.to, "host5/vm0");
    EXPECT_EQ(f0.kind, FlowKind::UDP_CBR);
    EXPECT_EQ(f0.rate.GetBitRate(), 1000000000ull);
    EXPECT_EQ(f0.size, 1400u);
    EXPECT_EQ(f0.maxBytes, 0u);
    EXPECT_EQ(f0.start, MilliSeconds(100));
    ASSERT_TRUE(f0.stop.has_value());
    EXPECT_EQ(*f0.stop, Seconds(4));
    EXPECT_EQ(f0.dstPort, 5000u);
    const FlowConfig& f1 = cfg.traffic[1];
    EXPECT_EQ(f1.name, "flow1"); // default name: flow<index>
    EXPECT_EQ(f1.from, "host2/vm1");
    EXPECT_EQ(f1.to, "host1/vm0");
    EXPECT_EQ(f1.kind, FlowKind::TCP_BULK);
    EXPECT_EQ(f1.size, 8000u);
    EXPECT_EQ(f1.maxBytes, 10000000u);
    EXPECT_EQ(f1.start, MilliSeconds(500));
    EXPECT_FALSE(f1.stop.has_value());
    EXPECT_EQ(f1.dstPort, 0u);

    ASSERT_EQ(cfg.faults.size(), 3u);
    EXPECT_EQ(cfg.faults[0].kind, FaultKind::SILENT_DROP);
    EXPECT_EQ(cfg.faults[0].target, "host0/uplink0");
    EXPECT_EQ(cfg.faults[0].at, Seconds(2));
    ASSERT_TRUE(cfg.faults[0].end.has_value());
    EXPECT_EQ(*cfg.faults[0].end, Seconds(3));
    EXPECT_EQ(cfg.faults[0].direction, FaultDirection::FORWARD);
    EXPECT_DOUBLE_EQ(cfg.faults[0].dropFraction, 0.25);
    EXPECT_EQ(cfg.faults[1].kind, FaultKind::LINK_DOWN);
    EXPECT_EQ(cfg.faults[1].target, "leaf5-spine3");
    EXPECT_EQ(cfg.faults[1].at, Seconds(1));
    EXPECT_FALSE(cfg.faults[1].end.has_value());
    EXPECT_EQ(cfg.faults[2].kind, FaultKind::ADDED_DELAY);
    EXPECT_EQ(cfg.faults[2].target, "host11/uplink1");
    EXPECT_EQ(cfg.faults[2].at, MilliSeconds(2500));
    EXPECT_EQ(cfg.faults[2].direction, FaultDirection::REVERSE);
    EXPECT_EQ(cfg.faults[2].delay, MilliSeconds(5));

    EXPECT_EQ(cfg.pcapPorts, (std::vector<LinkRef>{"host0/uplink0", "leaf0-spine1"}));

    // Dotted keys and nested mappings both give dotted results paths; lines are the keys' lines.
    ASSERT_EQ(cfg.expect.size(), 3u);
    EXPECT_EQ(cfg.expect[0].path, "flows.f0.delivered");
    EXPECT_EQ(cfg.expect[0].min, std::optional<double>(100));
    EXPECT_FALSE(cfg.expect[0].max.has_value());
    EXPECT_EQ(cfg.expect[0].line, 47);
    EXPECT_EQ(cfg.expect[1].path, "faults.0.failover_ms");
    EXPECT_FALSE(cfg.expect[1].min.has_value());
    EXPECT_EQ(cfg.expect[1].max, std::optional<double>(5));
    EXPECT_EQ(cfg.expect[1].line, 48);
    EXPECT_EQ(cfg.expect[2].path, "flows.flow1.goodput_bps");
    EXPECT_EQ(cfg.expect[2].min, std::optional<double>(0.5e9));
    EXPECT_EQ(cfg.expect[2].max, std::optional<double>(2.5e9));
    EXPECT_EQ(cfg.expect[2].line, 51);
}

TEST(ScenarioLoader, MinimalFileTakesStructDefaults)
{
    ScenarioConfig cfg = LoadScenarioFile(DATA_DIR + "valid-minimal.yaml");
    ScenarioConfig expected;
    expected.sourceFile = DATA_DIR + "valid-minimal.yaml";
    expected.overlay.segments.push_back(SegmentConfig{100, {"host0/vm0", "host1/vm0"}});
    FlowConfig flow;
    flow.name = "flow0";
    flow.from = "host0/vm0";
    flow.to = "host1/vm0";
    expected.traffic.push_back(flow);
    EXPECT_EQ(Print(cfg), Print(expected));
    EXPECT_EQ(cfg.duration, Seconds(2));
    EXPECT_EQ(cfg.fabric.core.queueBytes, 4000000u);
    EXPECT_FALSE(cfg.monitoring.enabled); // no monitoring section: off
    EXPECT_EQ(cfg.overlay.policy, UplinkPolicy::FLOW_HASH);
}

TEST(ScenarioLoader, EmptyDocumentIsRefused)
{
    // Almost surely a mistake (a wrong or truncated file): running every default would hide it.
    for (const char* text : {"", "# nothing but a comment\n", "\n\n"})
    {
        try
        {
            LoadScenarioString(text, "empty.yaml");
            ADD_FAILURE() << "accepted '" << text << "'";
        }
        catch (const ConfigError& e)
        {
            EXPECT_EQ(e.GetFile(), "empty.yaml");
            EXPECT_EQ(e.GetLine(), 1);
            EXPECT_NE(e.GetMessage().find("the document is empty"), std::string::npos);
        }
    }
    // A minimal mapping still takes every other default.
    ScenarioConfig cfg = LoadScenarioString("name: scenario\n");
    ScenarioConfig expected;
    expected.sourceFile = "<string>";
    EXPECT_EQ(Print(cfg), Print(expected));
}

TEST(ScenarioLoader, TextThatIsNotUtf8IsRefusedWithItsByteAndLine)
{
    struct Case
    {
        std::string text;
        int line;
        std::string fragment;
    };

    for (const Case& c :
         {Case{"name: a\nseed: \xff\n", 2, "byte 14 (0xff, column 7) is not valid UTF-8"},
          Case{"\xff\xfen\0a\0", 1, "UTF-16 (byte order mark FF FE)"},
          Case{std::string("name: a\0b\n", 10), 1, "byte 7 is NUL"},
          Case{"name: \xc3\x28\n", 1, "byte 6 (0xc3, column 7)"},
          Case{"name: " + std::string(70000, 'a') + "\n", 1, "longer than 65536"}})
    {
        try
        {
            LoadScenarioString(c.text, "bad.yaml");
            ADD_FAILURE() << "accepted";
        }
        catch (const ConfigError& e)
        {
            EXPECT_EQ(e.GetLine(), c.line) << e.what();
            EXPECT_NE(e.GetMessage().find(c.fragment), std::string::npos) << e.what();
        }
    }
    // UTF-8 beyond ASCII is fine where text is free (comments).
    EXPECT_NO_THROW(LoadScenarioString("name: cafe # caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80\n"));
}

TEST(ScenarioLoader, PrintedConfigLoadsBackToTheSameConfig)
{
    ScenarioConfig cfg = LoadScenarioFile(DATA_DIR + "valid-full.yaml");
    std::string text = Print(cfg);
    EXPECT_NE(text.find("monitoring:\n  enabled: true\n  preset: aggressive\n  tx_interval: 20ms\n"
                        "  rx_interval: 50ms\n  detect_mult: 3\n  up_after: 5\n  mode: seamless\n"
                        "  jitter: false\n  rtt_threshold: 500us\n  loss_threshold: 0.05\n"
                        "  rtt_hysteresis: 50us\n"),
              std::string::npos)
        << text;
    ScenarioConfig again = LoadScenarioString(text, cfg.sourceFile);
    EXPECT_EQ(Print(again), text);

    // Built in code: monitoring off with non-default timers, and with each policy.
    ScenarioConfig built;
    built.sourceFile = "<string>"; // what LoadScenarioString() names it, for the "# from" line
    built.overlay.segments.push_back(SegmentConfig{100, {"host0/vm0", "host1/vm0"}});
    built.monitoring.txInterval = MicroSeconds(1500);
    built.monitoring.rxInterval = Seconds(2);
    built.monitoring.detectMult = 255;
    built.monitoring.upAfter = 1;
    built.monitoring.jitter = false;
    text = Print(built);
    EXPECT_NE(text.find("monitoring:\n  enabled: false\n  tx_interval: 1500us\n"),
              std::string::npos)
        << text;
    EXPECT_EQ(text.find("rtt_hysteresis"), std::string::npos) << text; // default, and off
    EXPECT_EQ(Print(LoadScenarioString(text)), text);
    built.monitoring.enabled = true;
    for (UplinkPolicy policy : {UplinkPolicy::CARRIER_ONLY,
                                UplinkPolicy::ACTIVE_STANDBY,
                                UplinkPolicy::LOWEST_RTT,
                                UplinkPolicy::LOSS_WEIGHTED,
                                UplinkPolicy::FLOW_HASH})
    {
        built.overlay.policy = policy;
        text = Print(built);
        ASSERT_NO_THROW(built.Validate()) << text;
        EXPECT_EQ(Print(LoadScenarioString(text)), text);
    }
}

TEST(ScenarioLoader, RoutersJoinExistingSegmentsOnceAndLetFlowsCrossThem)
{
    const std::string segments =
        "overlay:\n  segments: [{vni: 5000, vms: [host0/vm0]}, {vni: 6000, vms: [host3/vm0]}, "
        "{vni: 7000, vms: [host1/vm0]}]\n";
    const std::string flow = "traffic: [{from: host0/vm0, to: host3/vm0}]\n";
    ScenarioConfig cfg =
        LoadScenarioString(segments + "  routers: [{segments: [5000, 6000]}]\n" + flow);
    ASSERT_EQ(cfg.overlay.routers.size(), 1u);
    EXPECT_EQ(cfg.overlay.routers[0].name, "dr0");
    EXPECT_EQ(cfg.overlay.RouterOf(1), 0);
    EXPECT_EQ(cfg.overlay.RouterOf(2), -1);
    const std::vector<std::vector<size_t>> domains{{0, 1}, {2}};
    EXPECT_EQ(cfg.overlay.TunnelDomains(), domains);

    struct Case
    {
        std::string text;
        std::string error;
    };

    for (const Case& c :
         {Case{segments + flow,
               "inline.yaml:3: traffic[0].to: host3/vm0 is on segment VNI 6000, but from "
               "(host0/vm0) is on VNI 5000; a flow stays inside one segment, or goes between two "
               "segments that one router of overlay.routers joins"},
          Case{segments + "  routers: [{segments: [5000, 8000]}]\n",
               "inline.yaml:3: overlay.routers[0].segments[1]: VNI 8000 is not a segment; "
               "allowed: the VNIs of overlay.segments"},
          Case{segments + "  routers: [{segments: [5000, 6000]}, {segments: [6000, 7000]}]\n",
               "inline.yaml:3: overlay.routers[1].segments[0]: VNI 6000 is already joined by "
               "overlay.routers[0]; a segment has one router"},
          Case{segments + "  routers: [{segments: [5000]}]\n",
               "inline.yaml:3: overlay.routers[0].segments: 1 segment(s); a router joins two or "
               "more segments (their VNIs)"}})
    {
        try
        {
            LoadScenarioString(c.text, "inline.yaml");
            ADD_FAILURE() << "loaded: " << c.text;
        }
        catch (const ConfigError& e)
        {
            EXPECT_EQ(std::string(e.what()), c.error);
        }
    }
}

TEST(ScenarioLoader, VfsAndTheOffloadKeysOfVfsAreReadAndEchoedOnlyWhenWritten)
{
    const std::string segments =
        "overlay:\n  segments: [{vni: 5000, vms: [host0/vm0, host0/vm1, host2/vm0]}]\n";
    ScenarioConfig cfg =
        LoadScenarioString(segments + "offload: {max_vfs: 8, arp_proxy: true}\n"
                                      "vfs:\n"
                                      "  - {vm: host0/vm1, uplink: 1, mtu: 8950, source_port: "
                                      "49152, at: 20ms}\n"
                                      "  - {vm: host2/vm0}\n");
    EXPECT_EQ(cfg.offload.maxVfs, 8u);
    EXPECT_TRUE(cfg.offload.arpProxy);
    ASSERT_EQ(cfg.vfs.size(), 2u);
    EXPECT_EQ(cfg.vfs[0].vm, "host0/vm1");
    EXPECT_EQ(cfg.vfs[0].uplink, 1u);
    EXPECT_EQ(cfg.vfs[0].mtu, 8950u); // 8950 + 50 bytes of encapsulation = fabric.access.mtu
    EXPECT_EQ(cfg.vfs[0].sourcePort, std::optional<uint32_t>(49152));
    EXPECT_EQ(cfg.vfs[0].at, MilliSeconds(20));
    // The struct's defaults: uplink 0, a 1500-byte MTU, the source port from the inner flow.
    EXPECT_EQ(cfg.vfs[1].vm, "host2/vm0");
    EXPECT_EQ(cfg.vfs[1].uplink, 0u);
    EXPECT_EQ(cfg.vfs[1].mtu, 1500u);
    EXPECT_FALSE(cfg.vfs[1].sourcePort.has_value());
    EXPECT_EQ(cfg.vfs[1].at, Time(0));
    std::string text = Print(cfg);
    EXPECT_NE(text.find("\nvfs:\n"), std::string::npos) << text;
    EXPECT_NE(text.find("max_vfs: 8"), std::string::npos) << text;
    EXPECT_NE(text.find("arp_proxy: true"), std::string::npos) << text;
    EXPECT_EQ(Print(LoadScenarioString(text)), text);

    // Without vfs, and with max_vfs and arp_proxy at their defaults, the echo is what it was
    // before they existed (results.json of older scenarios stay byte-identical).
    ScenarioConfig plain = LoadScenarioString(segments + "offload: {}\n");
    EXPECT_EQ(plain.offload.maxVfs, 64u);
    EXPECT_FALSE(plain.offload.arpProxy);
    EXPECT_TRUE(plain.vfs.empty());
    text = Print(plain);
    EXPECT_EQ(text.find("vfs"), std::string::npos) << text;
    EXPECT_EQ(text.find("arp_proxy"), std::string::npos) << text;
}

TEST(ScenarioLoader, AVfMtuLeavesRoomForFiftyBytesOfEitherEncapsulation)
{
    const std::string base = "fabric: {access: {mtu: 1550}}\n"
                             "overlay:\n"
                             "  encap: vxlan\n"
                             "  segments: [{vni: 5000, vms: [host0/vm0, host2/vm0]}]\n"
                             "offload: {}\n";
    ScenarioConfig cfg = LoadScenarioString(base + "vfs: [{vm: host0/vm0}]\n");
    EXPECT_EQ(cfg.vfs[0].mtu, 1500u); // the default fits a 1550-byte access link exactly
    try
    {
        LoadScenarioString(base + "vfs: [{vm: host0/vm0, mtu: 1501}]\n", "inline.yaml");
        ADD_FAILURE() << "loaded";
    }
    catch (const ConfigError& e)
    {
        EXPECT_EQ(std::string(e.what()),
                  "inline.yaml:6: vfs[0].mtu: 1501 for the VF of host0/vm0 leaves no room for the "
                  "VXLAN encapsulation: access links carry IP packets of at most 1550 bytes "
                  "(fabric.access.mtu), so a VF's MTU is at most 1500 (50 bytes of inner "
                  "Ethernet, VXLAN, outer UDP and outer IPv4 headers; paragraph 0106)");
    }
}

TEST(ScenarioLoader, PathReselectionNeedsEchoesThatCoverTheEcmpPaths)
{
    const std::string base = "overlay: {segments: [{vni: 1, vms: [host0/vm0, host1/vm0]}], "
                             "path_reselection: true}\n";
    ScenarioConfig cfg =
        LoadScenarioString(base + "monitoring: {preset: aggressive, cover_ecmp_paths: true}\n");
    EXPECT_TRUE(cfg.overlay.pathReselection);
    EXPECT_TRUE(cfg.monitoring.coverEcmpPaths);
    for (const std::string& monitoring :
         {std::string("monitoring: {preset: aggressive}\n"), std::string()})
    {
        try
        {
            LoadScenarioString(base + monitoring, "inline.yaml");
            ADD_FAILURE() << "loaded: " << monitoring;
        }
        catch (const ConfigError& e)
        {
            EXPECT_EQ(std::string(e.what()),
                      "inline.yaml:1: overlay.path_reselection: needs echoes on every ECMP path, "
                      "which tell which paths are alive: set monitoring.cover_ecmp_paths: true "
                      "(with monitoring on), or leave path_reselection off");
        }
    }
}

TEST(ScenarioLoader, EveryUplinkPolicyNameIsRead)
{
    const std::string base = "overlay: {segments: [{vni: 1, vms: [host0/vm0, host1/vm0]}], "
                             "uplink_policy: ";

    struct Case
    {
        const char* name;
        UplinkPolicy policy;
    };

    for (const Case& c : {Case{"carrier-only", UplinkPolicy::CARRIER_ONLY},
                          Case{"active-standby", UplinkPolicy::ACTIVE_STANDBY},
                          Case{"lowest-rtt", UplinkPolicy::LOWEST_RTT},
                          Case{"loss-weighted", UplinkPolicy::LOSS_WEIGHTED},
                          Case{"flow-hash", UplinkPolicy::FLOW_HASH}})
    {
        ScenarioConfig cfg = LoadScenarioString(base + c.name + "}\nmonitoring: {}\n");
        EXPECT_EQ(cfg.overlay.policy, c.policy) << c.name;
        EXPECT_EQ(ToString(cfg.overlay.policy), c.name);
    }
    // preferred_uplink goes with carrier-only and active-standby, within uplinks_per_host.
    ScenarioConfig cfg =
        LoadScenarioString(base + "active-standby, preferred_uplink: 1}\nmonitoring: {}\n");
    EXPECT_EQ(cfg.overlay.preferredUplink, 1u);
    cfg = LoadScenarioString(base + "carrier-only, preferred_uplink: 1}\n");
    EXPECT_EQ(cfg.overlay.preferredUplink, 1u);
    try
    {
        LoadScenarioString(base + "active-standby, preferred_uplink: 2}\nmonitoring: {}\n",
                           "inline.yaml");
        ADD_FAILURE() << "loaded";
    }
    catch (const ConfigError& e)
    {
        EXPECT_EQ(std::string(e.what()),
                  "inline.yaml:1: overlay.preferred_uplink: 2 is out of range; allowed: 0..1 "
                  "(fabric.uplinks_per_host is 2)");
    }
    // The old name is refused, with the allowed ones.
    try
    {
        LoadScenarioString(base + "static}\n", "inline.yaml");
        ADD_FAILURE() << "loaded";
    }
    catch (const ConfigError& e)
    {
        EXPECT_EQ(std::string(e.what()),
                  "inline.yaml:1: overlay.uplink_policy: 'static' is not allowed; allowed: "
                  "carrier-only, active-standby, lowest-rtt, loss-weighted, flow-hash");
    }
}

TEST(ScenarioLoader, MonitoringSectionTurnsMonitoringOnAndPresetComesFirst)
{
    // The section alone turns monitoring on with the struct's timers.
    ScenarioConfig cfg = LoadScenarioString("monitoring: {}\n");
    MonitoringConfig defaults;
    EXPECT_TRUE(cfg.monitoring.enabled);
    EXPECT_EQ(cfg.monitoring.preset, "");
    EXPECT_EQ(cfg.monitoring.txInterval, defaults.txInterval);
    EXPECT_FALSE(cfg.monitoring.rttThreshold.has_value());
    EXPECT_FALSE(cfg.monitoring.lossThreshold.has_value());

    cfg = LoadScenarioString("monitoring: {enabled: false, preset: hardware}\n");
    EXPECT_FALSE(cfg.monitoring.enabled);
    EXPECT_EQ(cfg.monitoring.txInterval, MicroSeconds(3300));

    // Explicit keys override the preset wherever the preset is written.
    cfg = LoadScenarioString("monitoring:\n"
                             "  rx_interval: 200ms\n"
                             "  detect_mult: 5\n"
                             "  preset: ovs-default\n");
    EXPECT_EQ(cfg.monitoring.preset, "ovs-default");
    EXPECT_EQ(cfg.monitoring.txInterval, MilliSeconds(100));
    EXPECT_EQ(cfg.monitoring.rxInterval, MilliSeconds(200));
    EXPECT_EQ(cfg.monitoring.detectMult, 5u);

    // Each preset, by name.
    struct Case
    {
        const char* name;
        Time tx;
        Time rx;
    };

    for (const Case& c : {Case{"frr-default", MilliSeconds(300), MilliSeconds(300)},
                          Case{"ovs-default", MilliSeconds(100), MilliSeconds(1000)},
                          Case{"aggressive", MilliSeconds(50), MilliSeconds(50)},
                          Case{"hardware", MicroSeconds(3300), MicroSeconds(3300)}})
    {
        cfg = LoadScenarioString(std::string("monitoring: {preset: ") + c.name + "}\n");
        EXPECT_EQ(cfg.monitoring.txInterval, c.tx) << c.name;
        EXPECT_EQ(cfg.monitoring.rxInterval, c.rx) << c.name;
        EXPECT_EQ(cfg.monitoring.detectMult, 3u) << c.name;
    }
    EXPECT_EQ(MonitoringPresetNames(),
              (std::vector<std::string>{"frr-default", "ovs-default", "aggressive", "hardware"}));
}

TEST(ScenarioLoader, MonitoringBooleansAreTrueOrFalse)
{
    struct Case
    {
        const char* yaml;
        const char* what;
    };

    for (const Case& c :
         {Case{"monitoring: {enabled: yes}",
               "inline.yaml:1: monitoring.enabled: expected true or false, got 'yes'"},
          Case{"monitoring: {jitter: \"true\"}",
               "inline.yaml:1: monitoring.jitter: expected true or false, got the string "
               "\"true\"; write it without quotes"},
          Case{"monitoring: {jitter: [true]}",
               "inline.yaml:1: monitoring.jitter: expected true or false, got a list"},
          Case{"monitoring: {mode: echo}",
               "inline.yaml:1: monitoring.mode: 'echo' is not allowed; allowed: async, seamless"},
          Case{"monitoring: {tx_interval: 50}",
               "inline.yaml:1: monitoring.tx_interval: '50' has no unit; expected a number "
               "followed by ns, us, ms or s, e.g. 1us, 0.5s, 200ms"},
          Case{"monitoring: {txinterval: 50ms}",
               "inline.yaml:1: monitoring.txinterval: unknown key (did you mean tx_interval?); "
               "allowed: enabled, preset, tx_interval, rx_interval, detect_mult, up_after, mode, "
               "echo_path, jitter, rtt_threshold, loss_threshold, rtt_hysteresis, localize, "
               "cover_ecmp_paths, clocks"},
          Case{"monitoring: [preset]",
               "inline.yaml:1: monitoring: expected the monitoring section (a mapping with keys "
               "enabled, preset, tx_interval, rx_interval, detect_mult, up_after, mode, echo_path, "
               "jitter, rtt_threshold, loss_threshold, rtt_hysteresis, localize, cover_ecmp_paths, "
               "clocks), got a list"}})
    {
        try
        {
            LoadScenarioString(c.yaml, "inline.yaml");
            ADD_FAILURE() << c.yaml << " loaded";
        }
        catch (const ConfigError& e)
        {
            EXPECT_EQ(std::string(e.what()), c.what);
        }
    }
}

TEST(ScenarioLoader, AliasesAreExpandedAndOverridesChangeOneCopy)
{
    const std::string yaml = "fabric:\n"
                             "  access: &tier {rate: 40Gbps, delay: 3us, mtu: 9000, queue_bytes: "
                             "500000}\n"
                             "  core: *tier\n";
    ScenarioConfig cfg =
        LoadScenarioString(yaml, "<alias>", Overrides({"fabric.core.rate=100Gbps"}));
    EXPECT_EQ(cfg.fabric.access.rate.GetBitRate(), 40000000000ull);
    EXPECT_EQ(cfg.fabric.core.rate.GetBitRate(), 100000000000ull);
    EXPECT_EQ(cfg.fabric.core.delay, MicroSeconds(3));
}

// ---------------------------------------------------------------------------------------------
// Broken files: each gives one error with its file, line, field and a message saying what is
// allowed.

/// \brief A broken file and the error it must give.
struct BrokenCase
{
    const char* file;     //!< under test/data/broken/
    int line;             //!< expected line (0: none)
    const char* field;    //!< expected field path
    const char* fragment; //!< expected part of the message
};

void
PrintTo(const BrokenCase& c, std::ostream* os)
{
    *os << c.file;
}

/// GoogleTest name of a broken-file case: the file name without extension, '-' as '_'.
std::string
BrokenCaseName(const testing::TestParamInfo<BrokenCase>& info)
{
    std::string name = info.param.file;
    name = name.substr(0, name.find('.'));
    std::replace(name.begin(), name.end(), '-', '_');
    return name;
}

class BrokenFile : public testing::TestWithParam<BrokenCase>
{
};

TEST_P(BrokenFile, GivesFileLineFieldAndMessage)
{
    const BrokenCase& c = GetParam();
    std::string path = DATA_DIR + "broken/" + c.file;
    ConfigError e = LoadError(path);
    EXPECT_EQ(e.GetFile(), path);
    EXPECT_EQ(e.GetLine(), c.line);
    EXPECT_EQ(e.GetField(), c.field);
    EXPECT_NE(e.GetMessage().find(c.fragment), std::string::npos) << e.what();
    // what() is FILE:LINE: FIELD: MESSAGE
    std::string prefix = path + (c.line > 0 ? ":" + std::to_string(c.line) : "") + ": " +
                         (*c.field ? std::string(c.field) + ": " : "");
    EXPECT_EQ(std::string(e.what()), prefix + e.GetMessage());
}

INSTANTIATE_TEST_SUITE_P(
    ScenarioLoader,
    BrokenFile,
    testing::Values(
        BrokenCase{"unknown-key.yaml",
                   4,
                   "fabric.leaf_pair",
                   "unknown key (did you mean leaf_pairs?); allowed: spines, racks, leaf_pairs, "
                   "leaves_per_rack, hosts_per_rack, uplinks_per_host, access, core, "
                   "routing_convergence, layer1_overhead"},
        BrokenCase{"wrong-type.yaml", 3, "fabric.spines", "expected a whole number, got '2.5'"},
        BrokenCase{"out-of-range.yaml",
                   4,
                   "fabric.uplinks_per_host",
                   "3 is out of range; allowed: 1 or 2 (fabric.leaves_per_rack is 2: each "
                   "uplink goes to a different leaf of the host's rack)"},
        BrokenCase{"fault-target-missing.yaml",
                   6,
                   "faults[1].target",
                   "host9/uplink0 names host 9, but the fabric has 8 hosts (host0..host7)"},
        BrokenCase{"not-yaml.yaml", 3, "", "not valid YAML: end of sequence flow not found"},
        BrokenCase{"not-a-mapping.yaml", 1, "", "the top level is a list; a scenario is a mapping"},
        BrokenCase{"two-documents.yaml", 3, "", "the file holds 2 YAML documents"},
        BrokenCase{"vm-on-two-segments.yaml",
                   9,
                   "overlay.segments[1].vms[1]",
                   "host5/vm0 is already on overlay.segments[0] (VNI 5000); each VM is on exactly "
                   "one segment"},
        BrokenCase{"flow-between-segments.yaml",
                   10,
                   "traffic[1].to",
                   "host1/vm0 is on segment VNI 6000, but from (host0/vm0) is on VNI 5000"},
        BrokenCase{"flow-unknown-vm.yaml", 6, "traffic[0].to", "host5/vm1 is not on any segment"},
        BrokenCase{"bad-time-unit.yaml",
                   3,
                   "duration",
                   "'5sec' has unknown unit 'sec'; expected a number followed by ns, us, ms or s"},
        BrokenCase{"bare-number-time.yaml", 3, "stats_bin", "'10' has no unit"},
        BrokenCase{"duplicate-vni.yaml",
                   5,
                   "overlay.segments[1].vni",
                   "5000 is already the VNI of overlay.segments[0]"},
        BrokenCase{"duplicate-key.yaml", 4, "seed", "duplicate key (first at line 2)"},
        BrokenCase{"negative-integer.yaml", 3, "fabric.access.mtu", "-1500 is negative"},
        BrokenCase{"quoted-integer.yaml",
                   4,
                   "overlay.segments[0].vni",
                   "expected a whole number, got the string \"5000\""},
        BrokenCase{"fraction-on-link-down.yaml",
                   6,
                   "faults[0].fraction",
                   "only meaningful when kind is silent-drop (here kind is link-down); remove it"},
        BrokenCase{"fraction-out-of-range.yaml",
                   3,
                   "faults[0].fraction",
                   "1.5 is out of range; allowed: 0 < fraction <= 1"},
        BrokenCase{"stop-after-duration.yaml",
                   9,
                   "traffic[0].stop",
                   "3s is after the end of the scenario; allowed: at most duration (2s)"},
        BrokenCase{"expect-min-above-max.yaml",
                   8,
                   "expect.flows.f0.delivered",
                   "min 10 is greater than max 5"},
        BrokenCase{"unknown-preset.yaml",
                   3,
                   "monitoring.preset",
                   "'turbo' is not allowed; allowed: frr-default, ovs-default, aggressive, "
                   "hardware"},
        BrokenCase{"detect-mult-zero.yaml",
                   4,
                   "monitoring.detect_mult",
                   "0 is out of range; allowed: 1..255"},
        BrokenCase{"lowest-rtt-without-monitoring.yaml",
                   4,
                   "overlay.uplink_policy",
                   "lowest-rtt picks uplinks from the uplink monitor's metrics, but monitoring is "
                   "off; turn it on"},
        BrokenCase{"rtt-threshold-without-monitoring.yaml",
                   5,
                   "monitoring.rtt_threshold",
                   "only meaningful when enabled is true (here enabled is false); remove it"},
        BrokenCase{"sub-microsecond-interval.yaml",
                   4,
                   "monitoring.rx_interval",
                   "1500ns is not a whole number of microseconds: write 1us or 2us"},
        BrokenCase{"loss-threshold-out-of-range.yaml",
                   2,
                   "monitoring.loss_threshold",
                   "1.5 is out of range; allowed: 0 <= loss_threshold < 1"}),
    BrokenCaseName);

TEST(ScenarioLoader, MissingFileNamesThePath)
{
    std::string path = DATA_DIR + "no-such-file.yaml";
    ConfigError e = LoadError(path);
    EXPECT_EQ(e.GetFile(), path);
    EXPECT_EQ(e.GetLine(), 0);
    EXPECT_EQ(std::string(e.what()),
              path + ": cannot open the scenario file: No such file or directory");
}

TEST(ScenarioLoader, DirectoryIsRefused)
{
    ConfigError e = LoadError(DATA_DIR + "broken");
    EXPECT_EQ(e.GetMessage(), "is a directory, not a scenario file");
}

TEST(ScenarioLoader, ValidateErrorFallsBackToParentLine)
{
    // start (default 100ms) is not in the file: the error points at the flow's line.
    const std::string yaml = "duration: 50ms\n"
                             "overlay: {segments: [{vni: 1, vms: [host0/vm0, host1/vm0]}]}\n"
                             "traffic:\n"
                             "  - {from: host0/vm0, to: host1/vm0}\n";
    try
    {
        LoadScenarioString(yaml, "inline.yaml");
        FAIL() << "loaded";
    }
    catch (const ConfigError& e)
    {
        EXPECT_EQ(e.GetLine(), 4);
        EXPECT_EQ(e.GetField(), "traffic[0].start");
        EXPECT_EQ(std::string(e.what()),
                  "inline.yaml:4: traffic[0].start: 100ms is not before stop (50ms, the scenario "
                  "duration); a flow must start before it stops");
    }
}

TEST(ScenarioLoader, KindSpecificKeysAreRefusedForOtherKinds)
{
    const std::string base = "overlay: {segments: [{vni: 1, vms: [host0/vm0, host1/vm0]}]}\n";

    struct Case
    {
        std::string yaml;
        std::string field;
    };

    std::vector<Case> cases{
        {"traffic: [{from: host0/vm0, to: host1/vm0, kind: tcp-bulk, rate: 1Gbps}]",
         "traffic[0].rate"},
        {"faults: [{kind: link-down, target: host0/uplink0, direction: forward}]",
         "faults[0].direction"},
        {"faults: [{kind: silent-drop, target: host0/uplink0, delay: 5ms}]", "faults[0].delay"},
        {"overlay: {uplink_policy: flow-hash, preferred_uplink: 1}", "overlay.preferred_uplink"},
        {"overlay: {uplink_policy: lowest-rtt, preferred_uplink: 0}\nmonitoring: {}",
         "overlay.preferred_uplink"},
        {"monitoring: {enabled: false, rtt_hysteresis: 20us}", "monitoring.rtt_hysteresis"},
        {"monitoring: {loss_threshold: 0.1, enabled: false}", "monitoring.loss_threshold"},
    };
    for (const Case& c : cases)
    {
        try
        {
            bool ownOverlay = c.yaml.rfind("overlay", 0) == 0 || c.yaml.rfind("monitoring", 0) == 0;
            LoadScenarioString(ownOverlay ? c.yaml : base + c.yaml);
            ADD_FAILURE() << c.yaml << " loaded";
        }
        catch (const ConfigError& e)
        {
            EXPECT_EQ(e.GetField(), c.field) << e.what();
            EXPECT_NE(e.GetMessage().find("only meaningful"), std::string::npos) << e.what();
        }
    }
}

// ---------------------------------------------------------------------------------------------
// --set overrides.

TEST(ScenarioOverrides, ChangeExactlyTheTargetedField)
{
    const std::string file = DATA_DIR + "valid-full.yaml";
    const ScenarioConfig base = LoadScenarioFile(file);

    ScenarioConfig cfg = LoadScenarioFile(file, Overrides({"fabric.spines=5"}));
    ScenarioConfig expected = base;
    expected.fabric.spines = 5;
    EXPECT_EQ(cfg.fabric.spines, 5u);
    EXPECT_EQ(Print(cfg), Print(expected));

    cfg = LoadScenarioFile(file, Overrides({"overlay.encap=geneve"}));
    expected = base;
    expected.overlay.encap = Encapsulation::GENEVE;
    EXPECT_EQ(Print(cfg), Print(expected));

    cfg = LoadScenarioFile(file, Overrides({"traffic.0.rate=2.5Gbps"}));
    expected = base;
    expected.traffic[0].rate = DataRate(2500000000ull);
    EXPECT_EQ(cfg.traffic[0].rate.GetBitRate(), 2500000000ull);
    EXPECT_EQ(Print(cfg), Print(expected));

    // A key that contains dots (an expect bound) is addressed through its dotted name.
    cfg = LoadScenarioFile(file, Overrides({"expect.flows.f0.delivered.min=50"}));
    expected = base;
    expected.expect[0].min = 50;
    EXPECT_EQ(Print(cfg), Print(expected));
    EXPECT_EQ(cfg.expect[0].line, 47);

    // Several overrides apply in order; a whole flow value replaces a list item.
    cfg = LoadScenarioFile(file,
                           Overrides({"faults.1={at: 1s, target: leaf0-spine0}",
                                      "faults.1.at=1.5s",
                                      "pcap=[leaf1-spine2]"}));
    expected = base;
    expected.faults[1] = FaultConfig{};
    expected.faults[1].target = "leaf0-spine0";
    expected.faults[1].at = MilliSeconds(1500);
    expected.pcapPorts = {"leaf1-spine2"};
    EXPECT_EQ(Print(cfg), Print(expected));

    // Another preset under the file's explicit tx_interval: only the preset's other timers change.
    cfg = LoadScenarioFile(file, Overrides({"monitoring.preset=hardware"}));
    expected = base;
    expected.monitoring.preset = "hardware";
    expected.monitoring.rxInterval = MicroSeconds(3300);
    EXPECT_EQ(cfg.monitoring.txInterval, MilliSeconds(20));
    EXPECT_EQ(Print(cfg), Print(expected));
}

TEST(ScenarioOverrides, CreateMissingMapKeys)
{
    const std::string file = DATA_DIR + "valid-minimal.yaml";
    ScenarioConfig cfg = LoadScenarioFile(
        file,
        Overrides({"seed=7", "fabric.access.rate=10Gbps", "expect.flows.flow0.lost.max=0"}));
    EXPECT_EQ(cfg.seed, 7u);
    EXPECT_EQ(cfg.fabric.access.rate.GetBitRate(), 10000000000ull);
    EXPECT_EQ(cfg.fabric.access.delay, MicroSeconds(1)); // the rest of the tier keeps its default
    ASSERT_EQ(cfg.expect.size(), 1u);
    EXPECT_EQ(cfg.expect[0].path, "flows.flow0.lost");
    EXPECT_EQ(cfg.expect[0].max, std::optional<double>(0));
    EXPECT_EQ(cfg.expect[0].line, 0);
}

TEST(ScenarioOverrides, PresetCreatesTheMonitoringSection)
{
    const std::string file = DATA_DIR + "valid-minimal.yaml";
    ScenarioConfig cfg = LoadScenarioFile(file, Overrides({"monitoring.preset=hardware"}));
    EXPECT_TRUE(cfg.monitoring.enabled);
    EXPECT_EQ(cfg.monitoring.preset, "hardware");
    EXPECT_EQ(cfg.monitoring.txInterval, MicroSeconds(3300));
    EXPECT_EQ(cfg.monitoring.rxInterval, MicroSeconds(3300));
    EXPECT_EQ(cfg.monitoring.detectMult, 3u);

    // A policy that needs monitoring, with the section switched on from the command line.
    cfg = LoadScenarioFile(
        file,
        Overrides({"overlay.uplink_policy=lowest-rtt", "monitoring.preset=aggressive"}));
    EXPECT_EQ(cfg.overlay.policy, UplinkPolicy::LOWEST_RTT);
    EXPECT_EQ(cfg.monitoring.txInterval, MilliSeconds(50));

    // Without it, the error is on the policy and names monitoring.
    ConfigError e = LoadError(file, Overrides({"overlay.uplink_policy=loss-weighted"}));
    EXPECT_EQ(e.GetFile(), "--set overlay.uplink_policy");
    EXPECT_EQ(e.GetField(), "overlay.uplink_policy");
    EXPECT_NE(e.GetMessage().find("loss-weighted picks uplinks from the uplink monitor's metrics, "
                                  "but monitoring is off"),
              std::string::npos)
        << e.what();
}

TEST(ScenarioOverrides, ValueIsParsedAsYaml)
{
    const std::string file = DATA_DIR + "valid-minimal.yaml";
    ConfigError e = LoadError(file, Overrides({"fabric.spines=two"}));
    EXPECT_EQ(std::string(e.what()),
              "--set fabric.spines: fabric.spines: expected a whole number, got 'two'");
    e = LoadError(file, Overrides({"fabric.spines='4'"}));
    EXPECT_EQ(e.GetField(), "fabric.spines");
    EXPECT_NE(e.GetMessage().find("the string \"4\""), std::string::npos) << e.what();
    e = LoadError(file, Overrides({"name=[a"}));
    EXPECT_EQ(std::string(e.what()),
              "--set name: value '[a' is not valid YAML: end of sequence flow not found");
}

/// \brief An override and the error it must give on valid-full.yaml.
struct BadOverrideCase
{
    const char* override; //!< PATH=VALUE
    const char* what;     //!< the whole expected message
};

void
PrintTo(const BadOverrideCase& c, std::ostream* os)
{
    *os << c.override;
}

class BadOverride : public testing::TestWithParam<BadOverrideCase>
{
};

TEST_P(BadOverride, NamesTheOverride)
{
    const BadOverrideCase& c = GetParam();
    ScenarioOverride ov = ParseOverride(c.override);
    ConfigError e = LoadError(DATA_DIR + "valid-full.yaml", {ov});
    EXPECT_EQ(e.GetFile(), "--set " + ov.path);
    EXPECT_EQ(e.GetLine(), 0);
    EXPECT_EQ(std::string(e.what()), c.what);
}

INSTANTIATE_TEST_SUITE_P(
    ScenarioOverrides,
    BadOverride,
    testing::Values(
        BadOverrideCase{"traffic.5.rate=2Gbps",
                        "--set traffic.5.rate: traffic: index 5 is past the end of the list (2 "
                        "items: 0..1); --set changes existing items only"},
        BadOverrideCase{"traffic.x.rate=2Gbps",
                        "--set traffic.x.rate: traffic: 'x' is not a list index; traffic is a "
                        "list, address its items as traffic.0, traffic.1..."},
        BadOverrideCase{"seed.x=1",
                        "--set seed.x: seed: '7' is a single value, not a mapping or a list; "
                        "there is no 'x' inside it"},
        BadOverrideCase{"fabric.spinez=4",
                        "--set fabric.spinez: fabric.spinez: unknown key (did you mean spines?); "
                        "allowed: spines, racks, leaf_pairs, leaves_per_rack, hosts_per_rack, "
                        "uplinks_per_host, access, core, routing_convergence, layer1_overhead"},
        BadOverrideCase{"fabric.spines=0",
                        "--set fabric.spines: fabric.spines: 0 is out of range; allowed: 1..256"},
        BadOverrideCase{"fabric.uplinks_per_host=3",
                        "--set fabric.uplinks_per_host: fabric.uplinks_per_host: 3 is out of "
                        "range; allowed: 1 or 2 (fabric.leaves_per_rack is 2: each uplink goes "
                        "to a different leaf of the host's rack)"},
        BadOverrideCase{"faults.1.fraction=0.5",
                        "--set faults.1.fraction: faults[1].fraction: only meaningful when kind "
                        "is silent-drop (here kind is link-down); remove it"},
        BadOverrideCase{"overlay.segments.0.vms.1=host99/vm0",
                        "--set overlay.segments.0.vms.1: overlay.segments[0].vms[1]: host99/vm0 "
                        "is on host 99, but the fabric has 12 hosts (host0..host11: racks x "
                        "hosts_per_rack)"},
        BadOverrideCase{"monitoring.preset=turbo",
                        "--set monitoring.preset: monitoring.preset: 'turbo' is not allowed; "
                        "allowed: frr-default, ovs-default, aggressive, hardware"},
        BadOverrideCase{"monitoring.detect_mult=256",
                        "--set monitoring.detect_mult: monitoring.detect_mult: 256 is out of "
                        "range; allowed: 1..255 (an 8-bit field in RFC 5880)"},
        BadOverrideCase{"overlay.uplink_policy=static",
                        "--set overlay.uplink_policy: overlay.uplink_policy: 'static' is not "
                        "allowed; allowed: carrier-only, active-standby, lowest-rtt, "
                        "loss-weighted, flow-hash"},
        BadOverrideCase{"pcap.2=leaf0-spine0",
                        "--set pcap.2: pcap: index 2 is past the end of the list (2 items: 0..1); "
                        "--set changes existing items only"},
        BadOverrideCase{"compare.0.label=x",
                        "--set compare.0.label: compare: the file has no compare list, so there "
                        "is no item 0; --set changes existing items only"}),
    [](const testing::TestParamInfo<BadOverrideCase>& info) {
        return "case" + std::to_string(info.index);
    });

TEST(ScenarioOverrides, ErrorInFileValueStillPointsAtTheFile)
{
    // The override shrinks the fabric; the VM that no longer exists is reported at its line.
    ConfigError e = LoadError(DATA_DIR + "valid-full.yaml", Overrides({"fabric.leaf_pairs=2"}));
    EXPECT_EQ(e.GetFile(), DATA_DIR + "valid-full.yaml");
    EXPECT_EQ(e.GetLine(), 20);
    EXPECT_EQ(e.GetField(), "overlay.segments[0].vms[2]");

    // Switching monitoring off leaves the file's QoS keys without meaning: they are named.
    e = LoadError(DATA_DIR + "valid-full.yaml", Overrides({"monitoring.enabled=false"}));
    EXPECT_EQ(std::string(e.what()),
              DATA_DIR + "valid-full.yaml:29: monitoring.rtt_threshold: only meaningful when "
                         "enabled is true (here enabled is false); remove it");
    // So does a policy without a preferred uplink.
    e = LoadError(DATA_DIR + "valid-full.yaml", Overrides({"overlay.uplink_policy=flow-hash"}));
    EXPECT_EQ(std::string(e.what()),
              DATA_DIR + "valid-full.yaml:17: overlay.preferred_uplink: only meaningful when "
                         "uplink_policy is carrier-only or active-standby (here uplink_policy is "
                         "flow-hash); remove it");
}

TEST(ScenarioOverrides, ParseOverrideSplitsAtFirstEquals)
{
    ScenarioOverride ov = ParseOverride(" traffic.0.name = a=b");
    EXPECT_EQ(ov.path, "traffic.0.name");
    EXPECT_EQ(ov.value, " a=b");
    ov = ParseOverride("name=");
    EXPECT_EQ(ov.path, "name");
    EXPECT_EQ(ov.value, "");
}

TEST(ScenarioOverrides, ParseOverrideRefusesBadSyntax)
{
    struct Case
    {
        const char* text;
        const char* what;
    };

    for (const Case& c : {
             Case{"fabric.spines",
                  "--set fabric.spines: there is no '='; expected PATH=VALUE, where PATH is keys "
                  "and list indices separated by '.', e.g. fabric.spines=4 or "
                  "traffic.0.rate=2Gbps"},
             Case{"=4", "--set =4: the path is empty; expected PATH=VALUE"},
             Case{"fabric..spines=4",
                  "--set fabric..spines=4: 'fabric..spines' is not a valid path (empty segment)"},
             Case{".seed=4", "--set .seed=4: '.seed' is not a valid path (empty segment)"},
         })
    {
        try
        {
            ParseOverride(c.text);
            ADD_FAILURE() << c.text << " parsed";
        }
        catch (const ConfigError& e)
        {
            EXPECT_EQ(std::string(e.what()).rfind(c.what, 0), 0u) << e.what();
            EXPECT_EQ(e.GetLine(), 0);
        }
    }
}

// ---------------------------------------------------------------------------------------------
// compare: variants of one scenario.

/**
 * \brief Load variants and return the ConfigError they must raise.
 * \param yaml scenario text, loaded as "inline.yaml"
 * \param overrides --set overrides
 * \return the error
 */
ConfigError
VariantsError(const std::string& yaml, const std::vector<ScenarioOverride>& overrides = {})
{
    try
    {
        LoadScenarioVariantsString(yaml, "inline.yaml", overrides);
    }
    catch (const ConfigError& e)
    {
        return e;
    }
    ADD_FAILURE() << yaml << "\nloaded without error";
    return ConfigError("", 0, "", "");
}

TEST(ScenarioVariants, ExpandWithTheirSetEntriesAndMergedBounds)
{
    const std::string file = DATA_DIR + "valid-compare.yaml";
    std::vector<ScenarioConfig> v = LoadScenarioVariants(file);
    ASSERT_EQ(v.size(), 3u);

    // Labels, names and the file.
    EXPECT_EQ(v[0].variant, "bond");
    EXPECT_EQ(v[1].variant, "bfd-aggressive");
    EXPECT_EQ(v[2].variant, "bfd_hardware");
    EXPECT_EQ(v[0].name, "policies.bond");
    EXPECT_EQ(v[1].name, "policies.bfd-aggressive");
    EXPECT_EQ(v[2].name, "policies.bfd_hardware");
    for (const ScenarioConfig& c : v)
    {
        EXPECT_EQ(c.sourceFile, file);
        EXPECT_EQ(c.duration, Seconds(1));
        EXPECT_EQ(c.faults.size(), 1u);
    }

    // bond: the file as written.
    EXPECT_EQ(v[0].overlay.policy, UplinkPolicy::CARRIER_ONLY);
    EXPECT_FALSE(v[0].monitoring.enabled);
    EXPECT_EQ(v[0].traffic[0].rate.GetBitRate(), 200000000ull);
    ASSERT_EQ(v[0].expect.size(), 2u);
    EXPECT_EQ(v[0].expect[0].path, "faults.0.failover_ms");
    EXPECT_EQ(v[0].expect[0].max, std::optional<double>(1000));
    EXPECT_EQ(v[0].expect[0].line, 14);
    EXPECT_EQ(v[0].expect[1].path, "flows.f0.lost");
    EXPECT_EQ(v[0].expect[1].max, std::optional<double>(20000));
    EXPECT_EQ(v[0].expect[1].line, 15);

    // bfd-aggressive: two set entries; its failover bound replaces the file's, delivered is added.
    EXPECT_EQ(v[1].overlay.policy, UplinkPolicy::ACTIVE_STANDBY);
    EXPECT_EQ(v[1].overlay.preferredUplink, 0u);
    EXPECT_TRUE(v[1].monitoring.enabled);
    EXPECT_EQ(v[1].monitoring.preset, "aggressive");
    EXPECT_EQ(v[1].monitoring.txInterval, MilliSeconds(50));
    EXPECT_EQ(v[1].traffic[0].rate.GetBitRate(), 200000000ull);
    ASSERT_EQ(v[1].expect.size(), 3u);
    EXPECT_EQ(v[1].expect[0].path, "faults.0.failover_ms");
    EXPECT_FALSE(v[1].expect[0].min.has_value());
    EXPECT_EQ(v[1].expect[0].max, std::optional<double>(200));
    EXPECT_EQ(v[1].expect[0].line, 21);
    EXPECT_EQ(v[1].expect[1].path, "flows.f0.lost");
    EXPECT_EQ(v[1].expect[1].max, std::optional<double>(20000));
    EXPECT_EQ(v[1].expect[1].line, 15);
    EXPECT_EQ(v[1].expect[2].path, "flows.f0.delivered");
    EXPECT_EQ(v[1].expect[2].min, std::optional<double>(1));
    EXPECT_FALSE(v[1].expect[2].max.has_value());
    EXPECT_EQ(v[1].expect[2].line, 22);

    // bfd_hardware: a whole mapping replaces the monitoring section (like --set); the variant's
    // lost bound replaces the file's whole (min and max), written as nested mappings.
    EXPECT_EQ(v[2].overlay.policy, UplinkPolicy::ACTIVE_STANDBY);
    EXPECT_EQ(v[2].monitoring.preset, "hardware");
    EXPECT_EQ(v[2].monitoring.txInterval, MicroSeconds(3300));
    EXPECT_EQ(v[2].traffic[0].rate.GetBitRate(), 400000000ull);
    ASSERT_EQ(v[2].expect.size(), 2u);
    EXPECT_EQ(v[2].expect[0].path, "faults.0.failover_ms");
    EXPECT_EQ(v[2].expect[0].max, std::optional<double>(1000));
    EXPECT_EQ(v[2].expect[0].line, 14);
    EXPECT_EQ(v[2].expect[1].path, "flows.f0.lost");
    EXPECT_EQ(v[2].expect[1].min, std::optional<double>(1));
    EXPECT_EQ(v[2].expect[1].max, std::optional<double>(100));
    EXPECT_EQ(v[2].expect[1].line, 28);
}

TEST(ScenarioVariants, SetEntriesActExactlyLikeOverrides)
{
    // The file without its compare section, with the variant's set entries as --set overrides,
    // gives the same configuration (apart from name, label and bounds).
    const std::string yaml = "name: s\n"
                             "overlay: {uplink_policy: carrier-only,\n"
                             "          segments: [{vni: 1, vms: [host0/vm0, host1/vm0]}]}\n"
                             "traffic: [{from: host0/vm0, to: host1/vm0, rate: 1Gbps}]\n"
                             "faults: [{at: 1s, target: host0/uplink0}]\n";
    const std::string compare = "compare:\n"
                                "  - label: x\n"
                                "    set:\n"
                                "      faults.0: {at: 1.5s, kind: silent-drop, target: "
                                "host0/uplink1, fraction: 0.5}\n"
                                "      traffic.0.rate: 2Gbps\n"
                                "      overlay.uplink_policy: lowest-rtt\n"
                                "      monitoring: {preset: hardware, detect_mult: 5}\n"
                                "      fabric.access: {rate: 40Gbps}\n";
    std::vector<ScenarioConfig> v = LoadScenarioVariantsString(yaml + compare, "inline.yaml");
    ASSERT_EQ(v.size(), 1u);
    ScenarioConfig expected = LoadScenarioString(
        yaml,
        "inline.yaml",
        Overrides({"faults.0={at: 1.5s, kind: silent-drop, target: host0/uplink1, fraction: 0.5}",
                   "traffic.0.rate=2Gbps",
                   "overlay.uplink_policy=lowest-rtt",
                   "monitoring={preset: hardware, detect_mult: 5}",
                   "fabric.access={rate: 40Gbps}"}));
    expected.name = "s.x";
    expected.variant = "x";
    EXPECT_EQ(Print(v[0]), Print(expected));
    EXPECT_NE(Print(v[0]).find("# variant x"), std::string::npos);
    EXPECT_EQ(v[0].faults[0].dropFraction, 0.5);
    EXPECT_EQ(v[0].monitoring.detectMult, 5u);
    EXPECT_EQ(v[0].fabric.access.rate.GetBitRate(), 40000000000ull);
    EXPECT_EQ(v[0].fabric.access.delay, MicroSeconds(1)); // a replaced mapping: defaults
}

TEST(ScenarioVariants, CommandLineOverridesComeFirst)
{
    const std::string file = DATA_DIR + "valid-compare.yaml";
    std::vector<ScenarioConfig> v = LoadScenarioVariants(file,
                                                         Overrides({"seed=9",
                                                                    "traffic.0.rate=300Mbps",
                                                                    "monitoring.preset=frr-default",
                                                                    "compare.0.label=carrier"}));
    ASSERT_EQ(v.size(), 3u);
    EXPECT_EQ(v[0].variant, "carrier");
    EXPECT_EQ(v[0].name, "policies.carrier");
    for (const ScenarioConfig& c : v)
    {
        EXPECT_EQ(c.seed, 9u);
    }
    // Where a variant sets the same field, the variant wins.
    EXPECT_EQ(v[0].monitoring.preset, "frr-default");
    EXPECT_EQ(v[0].monitoring.txInterval, MilliSeconds(300));
    EXPECT_EQ(v[1].monitoring.preset, "aggressive");
    EXPECT_EQ(v[2].monitoring.preset, "hardware");
    EXPECT_EQ(v[0].traffic[0].rate.GetBitRate(), 300000000ull);
    EXPECT_EQ(v[1].traffic[0].rate.GetBitRate(), 300000000ull);
    EXPECT_EQ(v[2].traffic[0].rate.GetBitRate(), 400000000ull);
}

TEST(ScenarioVariants, OverridesCanEditTheCompareSection)
{
    const std::string file = DATA_DIR + "valid-compare.yaml";
    // A new set entry is one dotted key (not a nested fabric mapping that would replace the
    // whole fabric section); an existing entry's value can be edited inside.
    std::vector<ScenarioConfig> v =
        LoadScenarioVariants(file,
                             Overrides({"compare.1.set.fabric.spines=4",
                                        "compare.2.set.monitoring.preset=aggressive",
                                        "compare.2.expect.flows.f0.lost.max=50"}));
    ASSERT_EQ(v.size(), 3u);
    EXPECT_EQ(v[0].fabric.spines, 2u);
    EXPECT_EQ(v[1].fabric.spines, 4u);
    EXPECT_EQ(v[1].fabric.racks, 2u);
    EXPECT_EQ(v[1].fabric.hostsPerRack, 2u);
    EXPECT_EQ(v[2].monitoring.preset, "aggressive");
    ASSERT_EQ(v[2].expect.size(), 2u);
    EXPECT_EQ(v[2].expect[1].path, "flows.f0.lost");
    EXPECT_EQ(v[2].expect[1].min, std::optional<double>(1));
    EXPECT_EQ(v[2].expect[1].max, std::optional<double>(50));

    // An error in a set entry the command line wrote names the override.
    try
    {
        LoadScenarioVariants(file, Overrides({"compare.1.set.fabric.spines=0"}));
        ADD_FAILURE() << "loaded";
    }
    catch (const ConfigError& e)
    {
        EXPECT_EQ(std::string(e.what()),
                  "--set compare.1.set.fabric.spines: compare[1].set.fabric.spines: 0 is out of "
                  "range; allowed: 1..256");
    }
}

TEST(ScenarioVariants, FileWithoutCompareIsOneConfiguration)
{
    const std::string file = DATA_DIR + "valid-minimal.yaml";
    std::vector<ScenarioConfig> v = LoadScenarioVariants(file, Overrides({"fabric.spines=3"}));
    ASSERT_EQ(v.size(), 1u);
    EXPECT_EQ(v[0].variant, "");
    EXPECT_EQ(v[0].name, "scenario");
    EXPECT_EQ(Print(v[0]), Print(LoadScenarioFile(file, Overrides({"fabric.spines=3"}))));
}

TEST(ScenarioVariants, LoadScenarioFileRefusesACompareSection)
{
    ConfigError e = LoadError(DATA_DIR + "valid-compare.yaml");
    EXPECT_EQ(e.GetLine(), 16);
    EXPECT_EQ(e.GetField(), "compare");
    EXPECT_NE(e.GetMessage().find("load it with LoadScenarioVariants()"), std::string::npos)
        << e.what();
}

TEST(ScenarioVariants, BaseNeedNotBeValidOnItsOwn)
{
    // lowest-rtt needs monitoring: the file alone is invalid, each variant adds it.
    const std::string yaml = "overlay: {uplink_policy: lowest-rtt,\n"
                             "          segments: [{vni: 1, vms: [host0/vm0, host1/vm0]}]}\n"
                             "compare:\n"
                             "  - {label: fast, set: {monitoring.preset: aggressive}}\n"
                             "  - {label: slow, set: {monitoring.preset: frr-default}}\n";
    std::vector<ScenarioConfig> v = LoadScenarioVariantsString(yaml);
    ASSERT_EQ(v.size(), 2u);
    EXPECT_EQ(v[0].monitoring.txInterval, MilliSeconds(50));
    EXPECT_EQ(v[1].monitoring.txInterval, MilliSeconds(300));
}

/// \brief The second variant of a small scenario and the error it must give.
struct BadVariantCase
{
    const char* item;  //!< text of compare[1], from line 6
    const char* what;  //!< the whole expected message (file inline.yaml)
    int line;          //!< expected line
    const char* field; //!< expected field
};

void
PrintTo(const BadVariantCase& c, std::ostream* os)
{
    *os << c.item;
}

class BadVariant : public testing::TestWithParam<BadVariantCase>
{
};

TEST_P(BadVariant, NamesTheVariantAndTheLine)
{
    const BadVariantCase& c = GetParam();
    const std::string yaml = std::string("overlay: {segments: [{vni: 1, vms: [host0/vm0, "
                                         "host1/vm0]}]}\n" // 1
                                         "traffic: [{name: f0, from: host0/vm0, to: host1/vm0}]\n"
                                         "faults: [{at: 1s, target: host0/uplink0}]\n"
                                         "compare:\n"
                                         "  - {label: a}\n") + // 5
                             c.item;
    ConfigError e = VariantsError(yaml);
    EXPECT_EQ(std::string(e.what()), c.what);
    EXPECT_EQ(e.GetFile(), "inline.yaml");
    EXPECT_EQ(e.GetLine(), c.line);
    EXPECT_EQ(e.GetField(), c.field);
}

INSTANTIATE_TEST_SUITE_P(
    ScenarioVariants,
    BadVariant,
    testing::Values(
        BadVariantCase{"  - label: b\n"
                       "    set:\n"
                       "      fabric.spines: 2\n"
                       "      overlay.uplink_policy: static\n",
                       "inline.yaml:9: compare[1].set.overlay.uplink_policy: 'static' is not "
                       "allowed; allowed: carrier-only, active-standby, lowest-rtt, "
                       "loss-weighted, flow-hash",
                       9,
                       "compare[1].set.overlay.uplink_policy"},
        BadVariantCase{"  - label: b\n"
                       "    set:\n"
                       "      overlay.uplink_polcy: flow-hash\n",
                       "inline.yaml:8: compare[1].set.overlay.uplink_polcy: unknown key (did you "
                       "mean uplink_policy?); allowed: encap, uplink_policy, preferred_uplink, "
                       "path_reselection, segments, routers",
                       8,
                       "compare[1].set.overlay.uplink_polcy"},
        BadVariantCase{
            "  - {label: b, set: {fabrik.spines: 4}}\n",
            "inline.yaml:6: compare[1].set.fabrik.spines: fabrik: unknown key (did you "
            "mean fabric?); allowed: name, seed, duration, stats_bin, fabric, overlay, "
            "monitoring, traffic, faults, migrations, vfs, mirrors, trace, pcap, svms, chains, "
            "service_plane, offload, host_cpu, cost, expect, compare",
            6,
            "compare[1].set.fabrik.spines"},
        BadVariantCase{"  - label: b\n"
                       "    set: {traffic.3.rate: 1Gbps}\n",
                       "inline.yaml:7: compare[1].set.traffic.3.rate: traffic: index 3 is past "
                       "the end of the list (1 item: 0..0); a set entry changes existing items "
                       "only",
                       7,
                       "compare[1].set.traffic.3.rate"},
        BadVariantCase{"  - label: b\n"
                       "    set: {fabric.spines: 0}\n",
                       "inline.yaml:7: compare[1].set.fabric.spines: 0 is out of range; allowed: "
                       "1..256",
                       7,
                       "compare[1].set.fabric.spines"},
        BadVariantCase{"  - label: b\n"
                       "    set:\n"
                       "      faults.0:\n"
                       "        at: 1s\n"
                       "        target: host9/uplink0\n",
                       "inline.yaml:10: compare[1].set.faults.0.target: host9/uplink0 names host "
                       "9, but the fabric has 8 hosts (host0..host7)",
                       10,
                       "compare[1].set.faults.0.target"},
        BadVariantCase{"  - {label: b, lable: c}\n",
                       "inline.yaml:6: compare[1].lable: unknown key (did you mean label?); "
                       "allowed: label, set, expect",
                       6,
                       "compare[1].lable"},
        BadVariantCase{"  - {set: {fabric.spines: 4}}\n",
                       "inline.yaml:6: compare[1]: missing key label; a variant is {label: NAME, "
                       "set: {PATH: VALUE, ...}, expect: {PATH: {min, max}, ...}}",
                       6,
                       "compare[1]"},
        BadVariantCase{"  - label: a\n",
                       "inline.yaml:6: compare[1].label: 'a' is already the label of compare[0]; "
                       "labels are unique",
                       6,
                       "compare[1].label"},
        BadVariantCase{"  - {label: \"a b\"}\n",
                       "inline.yaml:6: compare[1].label: the string \"a b\" is not allowed; a "
                       "label is 1 to 64 letters, digits, '_' and '-', starting with a letter or "
                       "digit (it names the variant's output folder and its row of the "
                       "comparison)",
                       6,
                       "compare[1].label"},
        BadVariantCase{"  -\n"
                       "    label: a.b\n",
                       "inline.yaml:7: compare[1].label: 'a.b' is not allowed; a label is 1 to "
                       "64 letters, digits, '_' and '-', starting with a letter or digit (it "
                       "names the variant's output folder and its row of the comparison)",
                       7,
                       "compare[1].label"},
        BadVariantCase{"  - {label: b, set: [fabric.spines]}\n",
                       "inline.yaml:6: compare[1].set: expected a mapping of dotted paths to "
                       "values, e.g. {overlay.uplink_policy: active-standby, traffic.0.rate: "
                       "2Gbps}, got a list",
                       6,
                       "compare[1].set"},
        BadVariantCase{"  - label: b\n"
                       "    set: {compare.0.label: c}\n",
                       "inline.yaml:7: compare[1].set.compare.0.label: a variant cannot change "
                       "the compare section; set fields of the scenario",
                       7,
                       "compare[1].set.compare.0.label"},
        BadVariantCase{"  - label: b\n"
                       "    set: {fabric..spines: 4}\n",
                       "inline.yaml:7: compare[1].set.fabric..spines: not a valid path (empty "
                       "segment); a set key is keys and list indices separated by '.', e.g. "
                       "fabric.spines or traffic.0.rate",
                       7,
                       "compare[1].set.fabric..spines"},
        BadVariantCase{"  - label: b\n"
                       "    expect:\n"
                       "      flows.f0.lost: {max: 1}\n"
                       "      flows.fx.lost: {max: 1}\n",
                       "inline.yaml:9: compare[1].expect.flows.fx.lost: there is no flow named "
                       "'fx' in flows (did you mean f0?); flows: f0",
                       9,
                       "compare[1].expect.flows.fx.lost"},
        BadVariantCase{"  - label: b\n"
                       "    expect: {flows.f0.lost: {max: lots}}\n",
                       "inline.yaml:7: compare[1].expect.flows.f0.lost.max: expected a finite "
                       "number, got 'lots'",
                       7,
                       "compare[1].expect.flows.f0.lost.max"},
        BadVariantCase{"  - label: b\n"
                       "    expect:\n"
                       "      flows.f0.lost: {max: 1}\n"
                       "      flows: {f0: {lost: {min: 0}}}\n",
                       "inline.yaml:9: compare[1].expect.flows.f0.lost: is listed twice; give "
                       "each results path one bound with min and/or max",
                       9,
                       "compare[1].expect.flows.f0.lost"},
        BadVariantCase{"  - label: b\n"
                       "    expect: {faults.0.failover_ms: {min: 5, max: 1}}\n",
                       "inline.yaml:7: compare[1].expect.faults.0.failover_ms: min 5 is greater "
                       "than max 1; no value can pass",
                       7,
                       "compare[1].expect.faults.0.failover_ms"},
        // A value of the file that this variant's set entries make invalid: the file's line,
        // and the variant named at the end.
        BadVariantCase{"  - label: b\n"
                       "    set: {fabric.leaf_pairs: 1, fabric.hosts_per_rack: 1}\n",
                       "inline.yaml:1: overlay.segments[0].vms[1]: host1/vm0 is on host 1, but "
                       "the fabric has 1 hosts (host0..host0: racks x hosts_per_rack) "
                       "(variant compare[1], label b)",
                       1,
                       "overlay.segments[0].vms[1]"}),
    [](const testing::TestParamInfo<BadVariantCase>& info) {
        return "case" + std::to_string(info.index);
    });

TEST(ScenarioVariants, CompareMustBeANonEmptyList)
{
    const std::string base = "name: s\n";
    ConfigError e = VariantsError(base + "compare: []\n");
    EXPECT_EQ(std::string(e.what()),
              "inline.yaml:2: compare: the list is empty; give at least one variant {label: "
              "NAME, set: {PATH: VALUE}}, or remove the section");
    e = VariantsError(base + "compare: {label: a}\n");
    EXPECT_EQ(std::string(e.what()),
              "inline.yaml:2: compare: expected a list of variants, got a mapping");
    e = VariantsError(base + "compare:\n  - label: a\n    set:\n");
    EXPECT_EQ(e.GetField(), "compare[0].set");
    EXPECT_EQ(e.GetLine(), 4);
}

TEST(ScenarioVariants, ErrorInAnOverrideNamesTheOverrideAndTheVariant)
{
    const std::string yaml = "overlay: {segments: [{vni: 1, vms: [host0/vm0, host1/vm0]}]}\n"
                             "compare:\n"
                             "  - {label: monitored, set: {monitoring.preset: aggressive}}\n"
                             "  - {label: unmonitored}\n";
    // Fine for the first variant, which turns monitoring on; the second has none.
    ConfigError e = VariantsError(yaml, Overrides({"overlay.uplink_policy=lowest-rtt"}));
    EXPECT_EQ(e.GetFile(), "--set overlay.uplink_policy");
    EXPECT_EQ(e.GetField(), "overlay.uplink_policy");
    EXPECT_EQ(e.GetMessage().rfind("lowest-rtt picks uplinks from the uplink monitor's metrics, "
                                   "but monitoring is off",
                                   0),
              0u)
        << e.what();
    EXPECT_NE(e.GetMessage().find("(variant compare[1], label unmonitored)"), std::string::npos)
        << e.what();
}

/// \brief A broken file with a compare section and the error it must give.
class BrokenVariantFile : public testing::TestWithParam<BrokenCase>
{
};

TEST_P(BrokenVariantFile, GivesFileLineFieldAndMessage)
{
    const BrokenCase& c = GetParam();
    std::string path = DATA_DIR + "broken/" + c.file;
    try
    {
        LoadScenarioVariants(path);
        FAIL() << path << " loaded without error";
    }
    catch (const ConfigError& e)
    {
        EXPECT_EQ(e.GetFile(), path);
        EXPECT_EQ(e.GetLine(), c.line);
        EXPECT_EQ(e.GetField(), c.field);
        EXPECT_NE(e.GetMessage().find(c.fragment), std::string::npos) << e.what();
    }
}

INSTANTIATE_TEST_SUITE_P(
    ScenarioVariants,
    BrokenVariantFile,
    testing::Values(BrokenCase{"compare-unknown-key.yaml",
                               7,
                               "compare[1].sett",
                               "unknown key (did you mean set?); allowed: label, set, expect"},
                    BrokenCase{"compare-unknown-path.yaml",
                               10,
                               "compare[1].set.overlay.uplink_polcy",
                               "unknown key (did you mean uplink_policy?)"},
                    BrokenCase{"compare-duplicate-label.yaml",
                               8,
                               "compare[2].label",
                               "'fast' is already the label of compare[0]; labels are unique"}),
    BrokenCaseName);

// ---------------------------------------------------------------------------------------------
// Validate() from code, ConfigError format, names.

TEST(ScenarioValidate, DefaultsAreValid)
{
    EXPECT_NO_THROW(ScenarioConfig{}.Validate());
}

TEST(ScenarioValidate, ErrorFromCodeHasNoFileOrLine)
{
    ScenarioConfig cfg;
    cfg.fabric.uplinksPerHost = 3;
    try
    {
        cfg.Validate();
        FAIL() << "validated";
    }
    catch (const ConfigError& e)
    {
        EXPECT_EQ(e.GetFile(), "");
        EXPECT_EQ(e.GetLine(), 0);
        EXPECT_EQ(std::string(e.what()),
                  "fabric.uplinks_per_host: 3 is out of range; allowed: 1 or 2 "
                  "(fabric.leaves_per_rack is 2: each uplink goes to a different leaf of the "
                  "host's rack)");
    }
}

/// \brief Expect cfg.Validate() to fail on a field with a message containing a fragment.
void
ExpectInvalid(const ScenarioConfig& cfg, const std::string& field, const std::string& fragment)
{
    try
    {
        cfg.Validate();
        ADD_FAILURE() << "validated; expected an error on " << field;
    }
    catch (const ConfigError& e)
    {
        EXPECT_EQ(e.GetField(), field) << e.what();
        EXPECT_NE(e.GetMessage().find(fragment), std::string::npos) << e.what();
    }
}

TEST(ScenarioValidate, RefusesEachOutOfRangeField)
{
    ScenarioConfig base;
    base.duration = Seconds(5);
    base.overlay.segments = {SegmentConfig{5000, {"host0/vm0", "host5/vm0"}},
                             SegmentConfig{6000, {"host1/vm0"}}};
    FlowConfig flow;
    flow.name = "f0";
    flow.from = "host0/vm0";
    flow.to = "host5/vm0";
    base.traffic = {flow};
    FaultConfig fault;
    fault.target = "host0/uplink0";
    base.faults = {fault};
    ASSERT_NO_THROW(base.Validate());

    ScenarioConfig c = base;
    c.seed = 0;
    ExpectInvalid(c, "seed", "0 is out of range; allowed: 1..4294967295");
    c = base;
    c.name = "two words";
    ExpectInvalid(c, "name", "is not allowed");
    c = base;
    c.statsBin = Seconds(6);
    ExpectInvalid(c, "stats_bin", "at most duration (5s)");
    c = base;
    c.fabric.spines = 0;
    ExpectInvalid(c, "fabric.spines", "allowed: 1..256");
    c = base;
    c.fabric.racks = 100;
    c.fabric.hostsPerRack = 100;
    ExpectInvalid(c, "fabric.hosts_per_rack", "at most 4096 hosts");
    c = base;
    c.fabric.core.rate = DataRate(uint64_t{0});
    ExpectInvalid(c, "fabric.core.rate", "0bps is out of range; allowed: more than 0");
    c = base;
    c.fabric.access.delay = MicroSeconds(-1);
    ExpectInvalid(c, "fabric.access.delay", "-1us is out of range; allowed: 0 or more");
    c = base;
    c.fabric.access.mtu = 500;
    ExpectInvalid(c, "fabric.access.mtu", "allowed: 576..65535");
    c = base;
    // The queue counts what is sent and stored of a frame: header 14 + payload + FCS 4 with
    // the layer-1 overhead (the default), header + payload without it.
    c.fabric.core.queueBytes = 9017;
    ExpectInvalid(c,
                  "fabric.core.queue_bytes",
                  "at least mtu + 18 = 9018 bytes (one full frame "
                  "as the queue counts it: Ethernet header 14 + "
                  "FCS 4)");
    c = base;
    c.fabric.layer1Overhead = false;
    c.fabric.core.queueBytes = 9013;
    ExpectInvalid(c, "fabric.core.queue_bytes", "at least mtu + 14 = 9014");
    c.fabric.core.queueBytes = 9014;
    EXPECT_NO_THROW(c.Validate());
    c = base;
    c.overlay.segments[1].vni = 0;
    ExpectInvalid(c, "overlay.segments[1].vni", "0 is reserved for OAM");
    c = base;
    c.overlay.segments[1].vni = 16777216;
    ExpectInvalid(c, "overlay.segments[1].vni", "allowed: 1..16777215");
    c = base;
    c.overlay.segments[1].vms = {"host01/vm0"};
    ExpectInvalid(c, "overlay.segments[1].vms[0]", "is not a VM name");
    c = base;
    c.overlay.segments[1].vms = {};
    ExpectInvalid(c, "overlay.segments[1].vms", "at least one VM");
    c = base;
    c.overlay.segments[0].vms.push_back("host0/vm0");
    ExpectInvalid(c, "overlay.segments[0].vms[2]", "listed twice");
    c = base;
    c.overlay.policy = UplinkPolicy::CARRIER_ONLY;
    c.overlay.preferredUplink = 2;
    ExpectInvalid(c, "overlay.preferred_uplink", "allowed: 0..1");
    c = base;
    c.overlay.policy = UplinkPolicy::ACTIVE_STANDBY;
    c.monitoring.enabled = true;
    c.overlay.preferredUplink = 2;
    ExpectInvalid(c, "overlay.preferred_uplink", "allowed: 0..1");
    c = base;
    c.overlay.policy = UplinkPolicy::LOWEST_RTT;
    c.monitoring.enabled = true;
    c.overlay.preferredUplink = 1;
    ExpectInvalid(c,
                  "overlay.preferred_uplink",
                  "only meaningful when uplink_policy is carrier-only or active-standby (here "
                  "uplink_policy is lowest-rtt)");
    for (UplinkPolicy policy :
         {UplinkPolicy::ACTIVE_STANDBY, UplinkPolicy::LOWEST_RTT, UplinkPolicy::LOSS_WEIGHTED})
    {
        c = base;
        c.overlay.policy = policy;
        ExpectInvalid(c,
                      "overlay.uplink_policy",
                      ToString(policy) + " picks uplinks from the uplink monitor's metrics, but "
                                         "monitoring is off");
        c.monitoring.enabled = true;
        EXPECT_NO_THROW(c.Validate()) << ToString(policy);
    }
    c = base;
    c.monitoring.enabled = true;
    c.monitoring.preset = "fast";
    ExpectInvalid(c, "monitoring.preset", "'fast' is not allowed; allowed: frr-default,");
    c = base;
    c.monitoring.txInterval = Time(0);
    ExpectInvalid(c, "monitoring.tx_interval", "0ns is out of range; allowed: 1us..60s");
    c = base;
    c.monitoring.rxInterval = NanoSeconds(999);
    ExpectInvalid(c, "monitoring.rx_interval", "999ns is out of range; allowed: 1us..60s");
    c = base;
    c.monitoring.rxInterval = MicroSeconds(60000001);
    ExpectInvalid(c, "monitoring.rx_interval", "60000001us is out of range");
    c = base;
    c.monitoring.txInterval = NanoSeconds(3300500);
    ExpectInvalid(c, "monitoring.tx_interval", "write 3300us or 3301us");
    c = base;
    c.monitoring.detectMult = 256;
    ExpectInvalid(c, "monitoring.detect_mult", "allowed: 1..255");
    c = base;
    c.monitoring.upAfter = 0;
    ExpectInvalid(c, "monitoring.up_after", "0 is out of range; allowed: 1..255");
    c = base;
    c.monitoring.enabled = true;
    c.monitoring.rttThreshold = Time(0);
    ExpectInvalid(c, "monitoring.rtt_threshold", "allowed: more than 0");
    c = base;
    c.monitoring.enabled = true;
    c.monitoring.lossThreshold = 1.0;
    ExpectInvalid(c, "monitoring.loss_threshold", "allowed: 0 <= loss_threshold < 1");
    c = base;
    c.monitoring.enabled = true;
    c.monitoring.lossThreshold = -0.1;
    ExpectInvalid(c, "monitoring.loss_threshold", "-0.1 is out of range");
    c = base;
    c.monitoring.enabled = true;
    c.monitoring.rttHysteresis = MicroSeconds(-1);
    ExpectInvalid(c, "monitoring.rtt_hysteresis", "-1us is out of range; allowed: 0 or more");
    c = base;
    c.monitoring.rttThreshold = MicroSeconds(500);
    ExpectInvalid(c,
                  "monitoring.rtt_threshold",
                  "only meaningful when enabled is true (here enabled is false)");
    c = base;
    c.monitoring.lossThreshold = 0.05;
    ExpectInvalid(c, "monitoring.loss_threshold", "only meaningful when enabled is true");
    c = base;
    c.monitoring.rttHysteresis = MicroSeconds(50);
    ExpectInvalid(c, "monitoring.rtt_hysteresis", "only meaningful when enabled is true");
    c = base;
    c.monitoring.enabled = true;
    c.monitoring.preset = "hardware";
    c.monitoring.txInterval = MicroSeconds(1);
    c.monitoring.rxInterval = Seconds(60);
    c.monitoring.detectMult = 255;
    c.monitoring.lossThreshold = 0.0;
    c.monitoring.rttHysteresis = Time(0);
    EXPECT_NO_THROW(c.Validate()); // the bounds themselves are allowed
    c = base;
    c.traffic.push_back(flow);
    ExpectInvalid(c, "traffic[1].name", "f0 is already the name of traffic[0]");
    c = base;
    c.traffic[0].name = "a.b";
    ExpectInvalid(c, "traffic[0].name", "is not allowed");
    c = base;
    c.traffic[0].to = "host0/vm0";
    ExpectInvalid(c, "traffic[0].to", "is also the source");
    c = base;
    c.traffic[0].size = 8973;
    ExpectInvalid(c, "traffic[0].size", "allowed for udp-cbr: 1..8972");
    c = base;
    c.traffic[0].rate = DataRate(uint64_t{0});
    ExpectInvalid(c, "traffic[0].rate", "0bps is out of range; allowed: more than 0");
    c = base;
    c.traffic[0].kind = FlowKind::TCP_BULK;
    c.traffic[0].rate = DataRate(uint64_t{5});
    ExpectInvalid(c,
                  "traffic[0].rate",
                  "only meaningful when kind is udp-cbr (here kind is tcp-bulk)");
    c = base;
    c.traffic[0].start = Seconds(5);
    ExpectInvalid(c, "traffic[0].start", "is not before stop");
    c = base;
    c.traffic.push_back(flow);
    c.traffic[1].name = "f1";
    c.traffic[1].dstPort = 5000; // flow 0 got 5000 + 0 by default
    ExpectInvalid(c, "traffic[1].dst_port", "port 5000 on host5/vm0 is already used by traffic[0]");
    c = base;
    c.faults[0].target = "host0/uplink2";
    ExpectInvalid(c, "faults[0].target", "fabric.uplinks_per_host is 2 (uplink0..uplink1)");
    c = base;
    c.faults[0].target = "leaf4-spine0";
    ExpectInvalid(c, "faults[0].target", "the fabric has 4 leaves");
    c = base;
    c.faults[0].target = "leaf0-spine2";
    ExpectInvalid(c, "faults[0].target", "the fabric has 2 spines");
    c = base;
    c.faults[0].target = "spine0";
    ExpectInvalid(c, "faults[0].target", "is not a link name; allowed: host<N>/uplink<K>");
    c = base;
    c.faults[0].at = Seconds(5);
    ExpectInvalid(c, "faults[0].at", "allowed: 0 <= at < duration (5s)");
    c = base;
    c.faults[0].end = c.faults[0].at;
    ExpectInvalid(c, "faults[0].end", "is not after at");
    c = base;
    c.faults[0].direction = FaultDirection::FORWARD;
    ExpectInvalid(
        c,
        "faults[0].direction",
        "only meaningful when kind is silent-drop or added-delay (here kind is link-down)");
    c = base;
    c.faults[0].kind = FaultKind::SILENT_DROP;
    c.faults[0].dropFraction = 0;
    ExpectInvalid(c, "faults[0].fraction", "allowed: 0 < fraction <= 1");
    c = base;
    c.faults[0].kind = FaultKind::ADDED_DELAY;
    c.faults[0].delay = Time(0);
    ExpectInvalid(c, "faults[0].delay", "allowed: more than 0");
    c = base;
    c.faults[0].delay = MilliSeconds(5);
    ExpectInvalid(c,
                  "faults[0].delay",
                  "only meaningful when kind is added-delay (here kind is link-down)");
    c = base;
    c.pcapPorts = {"host8/uplink0"};
    ExpectInvalid(c, "pcap[0]", "the fabric has 8 hosts");
    c = base;
    c.expect = {ExpectBound{"flows.f0.delivered", std::nullopt, std::nullopt, 0}};
    ExpectInvalid(c, "expect.flows.f0.delivered", "neither min nor max");
    c = base;
    c.expect = {ExpectBound{"", 1.0, std::nullopt, 0}};
    ExpectInvalid(c, "expect", "is not a results path");
    c = base;
    c.expect = {ExpectBound{"flows.f9.delivered", 1.0, std::nullopt, 0}};
    ExpectInvalid(c,
                  "expect.flows.f9.delivered",
                  "there is no flow named 'f9' in flows (did you mean f0?); flows: f0");
    c = base;
    c.expect = {ExpectBound{"faults.1.recovery_ms", std::nullopt, 5.0, 0}};
    ExpectInvalid(c, "expect.faults.1.recovery_ms", "allowed: 0..0");
}

TEST(ScenarioValidate, ExpectPathsNameAFigureOfTheResultsSchema)
{
    ScenarioConfig base;
    base.duration = Seconds(2);
    base.statsBin = MilliSeconds(100);
    base.overlay.segments = {SegmentConfig{5000, {"host0/vm0", "host5/vm0"}}};
    FlowConfig flow;
    flow.name = "f0";
    flow.from = "host0/vm0";
    flow.to = "host5/vm0";
    base.traffic = {flow};
    FaultConfig fault;
    fault.target = "host0/uplink0";
    base.faults = {fault};
    auto withBound = [&base](const std::string& path) {
        ScenarioConfig c = base;
        c.expect = {ExpectBound{path, 0.0, std::nullopt, 0}};
        return c;
    };
    // Figures a run writes, at every depth, with the member names the scenario configures.
    for (const char* path : {"flows.f0.delivered",
                             "flows.f0.accounting_ok",
                             "flows.f0.delay_us.max",
                             "flows.f0.dropped.silent_drop",
                             "flows.f0.goodput.bps.19",
                             "faults.0.flows.f0.recovery_ms",
                             "monitoring.enabled",
                             "totals.dropped_all_packets.link_down"})
    {
        EXPECT_NO_THROW(withBound(path).Validate()) << path;
    }
    ExpectInvalid(withBound("flows.f0.deliverd"),
                  "expect.flows.f0.deliverd",
                  "'deliverd' is not a figure of flows.f0 (did you mean delivered?); there: from, "
                  "to, kind, vni, same_host, app_tx_packets, sent, delivered, in_flight, lost, "
                  "dropped, reordered, accounting_ok, app_rx_bytes, goodput_bps, delay_us, "
                  "first_delivery_s, last_delivery_s, goodput");
    ExpectInvalid(withBound("flows.f0"),
                  "expect.flows.f0",
                  "flows.f0 is a section, not a figure; figures there: from, to");
    ExpectInvalid(withBound("flows.f0.kind"),
                  "expect.flows.f0.kind",
                  "flows.f0.kind is a text, not a figure; a bound needs a number");
    ExpectInvalid(withBound("flows.f0.sent.x"),
                  "expect.flows.f0.sent.x",
                  "flows.f0.sent is a number; nothing lies below it");
    ExpectInvalid(withBound("flows.f0.dropped.link-down"),
                  "expect.flows.f0.dropped.link-down",
                  "there is no drop reason named 'link-down' in flows.f0.dropped (did you mean "
                  "link_down?)");
    // 2 s / 100 ms = 20 bins: 0..19.
    ExpectInvalid(withBound("scenario.duration"),
                  "expect.scenario.duration",
                  "the scenario section is the input written back, not a measured figure");
    ExpectInvalid(withBound("faults.00.lost"),
                  "expect.faults.00.lost",
                  "'00' is not a fault index of faults; allowed: 0..0");
    ExpectInvalid(withBound("flows.f0.goodput.bps.20"),
                  "expect.flows.f0.goodput.bps.20",
                  "'20' is not a bin index of flows.f0.goodput.bps; allowed: 0..19");
    ExpectInvalid(withBound("faults.0.flows.g1.lost"),
                  "expect.faults.0.flows.g1.lost",
                  "there is no flow named 'g1' in faults.0.flows");
    ExpectInvalid(withBound("faults.0"),
                  "expect.faults.0",
                  "faults.0 is a section, not a figure; figures there: kind, target, at_s");
    ExpectInvalid(withBound("faults"),
                  "expect.faults",
                  "faults is a section, not a figure; add a fault index and a figure");
    ExpectInvalid(withBound("monitoring.detection_time_s"),
                  "expect.monitoring.detection_time_s",
                  "monitoring.detection_time_s is not in the results of this scenario: "
                  "monitoring is off");
    ScenarioConfig monitored = withBound("monitoring.detection_time_s");
    monitored.monitoring.enabled = true;
    EXPECT_NO_THROW(monitored.Validate());
    // Tunnels are the flows' endpoints that share a segment; status changes are known only
    // after the run: any index passes.
    monitored.expect = {ExpectBound{"monitoring.tunnels.host0->host5.uplinks.1.loss", 0.0, {}, 0},
                        ExpectBound{"monitoring.status_changes.7.t_s", 0.0, {}, 0}};
    EXPECT_NO_THROW(monitored.Validate());
    // '*' stands for every member only where asked (comparison columns); a bound names one.
    EXPECT_EQ(WhyNotAResultsFigure(ResultsSchema(), "faults.*.flows.*.recovery_ms", base, true),
              "");
    EXPECT_EQ(WhyNotAResultsFigure(ResultsSchema(), "flows.*.lost", base, false),
              "there is no flow named '*' in flows; flows: f0");
    monitored.expect = {ExpectBound{"monitoring.tunnels.host0->host9.uplinks.0.loss", 0.0, {}, 0}};
    ExpectInvalid(monitored,
                  "expect.monitoring.tunnels.host0->host9.uplinks.0.loss",
                  "there is no tunnel named 'host0->host9' in monitoring.tunnels (did you mean "
                  "host0->host5?); tunnels: host0->host5, host5->host0");
    monitored.expect = {ExpectBound{"monitoring.tunnels.host0->host5.uplinks.2.loss", 0.0, {}, 0}};
    ExpectInvalid(monitored,
                  "expect.monitoring.tunnels.host0->host5.uplinks.2.loss",
                  "allowed: 0..1");
    monitored.expect = {ExpectBound{"monitoring.tunnels.host0->host5.uplinks.1.lost", 0.0, {}, 0}};
    ExpectInvalid(monitored,
                  "expect.monitoring.tunnels.host0->host5.uplinks.1.lost",
                  "(did you mean loss?)");
}

TEST(ConfigErrorFormat, OmitsEmptyParts)
{
    EXPECT_STREQ(ConfigError("a.yaml", 3, "seed", "bad").what(), "a.yaml:3: seed: bad");
    EXPECT_STREQ(ConfigError("a.yaml", 0, "seed", "bad").what(), "a.yaml: seed: bad");
    EXPECT_STREQ(ConfigError("a.yaml", 3, "", "bad").what(), "a.yaml:3: bad");
    EXPECT_STREQ(ConfigError("", 0, "seed", "bad").what(), "seed: bad");
    EXPECT_STREQ(ConfigError("", 0, "", "bad").what(), "bad");
    ConfigError e("a.yaml", 3, "seed", "bad");
    EXPECT_EQ(e.GetFile(), "a.yaml");
    EXPECT_EQ(e.GetLine(), 3);
    EXPECT_EQ(e.GetField(), "seed");
    EXPECT_EQ(e.GetMessage(), "bad");
}

TEST(ScenarioNames, ToStringGivesFileNames)
{
    EXPECT_EQ(ToString(Encapsulation::GENEVE), "geneve");
    EXPECT_EQ(ToString(Encapsulation::VXLAN), "vxlan");
    EXPECT_EQ(ToString(UplinkPolicy::CARRIER_ONLY), "carrier-only");
    EXPECT_EQ(ToString(UplinkPolicy::ACTIVE_STANDBY), "active-standby");
    EXPECT_EQ(ToString(UplinkPolicy::LOWEST_RTT), "lowest-rtt");
    EXPECT_EQ(ToString(UplinkPolicy::LOSS_WEIGHTED), "loss-weighted");
    EXPECT_EQ(ToString(UplinkPolicy::FLOW_HASH), "flow-hash");
    EXPECT_EQ(ToString(BfdMode::ASYNC), "async");
    EXPECT_EQ(ToString(BfdMode::SEAMLESS), "seamless");
    EXPECT_EQ(ToString(FlowKind::UDP_CBR), "udp-cbr");
    EXPECT_EQ(ToString(FlowKind::TCP_BULK), "tcp-bulk");
    EXPECT_EQ(ToString(FaultKind::LINK_DOWN), "link-down");
    EXPECT_EQ(ToString(FaultKind::SILENT_DROP), "silent-drop");
    EXPECT_EQ(ToString(FaultKind::ADDED_DELAY), "added-delay");
    EXPECT_EQ(ToString(FaultDirection::BOTH), "both");
    EXPECT_EQ(ToString(FaultDirection::FORWARD), "forward");
    EXPECT_EQ(ToString(FaultDirection::REVERSE), "reverse");
}

// ---------------------------------------------------------------------------------------------
// Times and rates.

/// \brief A text a parser must refuse, and how its message must start.
struct RefusedText
{
    const char* text;   //!< input
    const char* prefix; //!< start of the expected what()
};

/**
 * \brief Expect parse(text) to throw std::invalid_argument whose message starts with prefix.
 * \param parse ParseTime or ParseDataRate
 * \param cases inputs and expected message starts
 */
template <typename Parse>
void
ExpectRefused(Parse parse, std::initializer_list<RefusedText> cases)
{
    for (const RefusedText& c : cases)
    {
        try
        {
            parse(c.text);
            ADD_FAILURE() << "'" << c.text << "' parsed";
        }
        catch (const std::invalid_argument& e)
        {
            EXPECT_EQ(std::string(e.what()).rfind(c.prefix, 0), 0u) << e.what();
        }
    }
}

TEST(ParseTime, AcceptsNumberAndUnitExactly)
{
    EXPECT_EQ(ParseTime("1us"), NanoSeconds(1000));
    EXPECT_EQ(ParseTime("0.5s"), MilliSeconds(500));
    EXPECT_EQ(ParseTime("200ms"), MilliSeconds(200));
    EXPECT_EQ(ParseTime("7ns"), NanoSeconds(7));
    EXPECT_EQ(ParseTime("0.1s"), NanoSeconds(100000000)); // exact, no binary rounding
    EXPECT_EQ(ParseTime(".25ms"), MicroSeconds(250));
    EXPECT_EQ(ParseTime("1e3ms"), Seconds(1));
    EXPECT_EQ(ParseTime("2.5E-3s"), MicroSeconds(2500));
    EXPECT_EQ(ParseTime("1.5 ms"), MicroSeconds(1500));
    EXPECT_EQ(ParseTime("+2s"), Seconds(2));
    EXPECT_EQ(ParseTime("-1ms"), MilliSeconds(-1)); // sign is syntax; Validate() checks ranges
    EXPECT_EQ(ParseTime("0s"), Time(0));
    EXPECT_EQ(ParseTime("9223372036854775807ns"), NanoSeconds(INT64_MAX));
}

TEST(ParseTime, RefusesWithAllowedSyntax)
{
    ExpectRefused(
        ParseTime,
        {
            {"5",
             "'5' has no unit; expected a number followed by ns, us, ms or s, e.g. 1us, 0.5s, "
             "200ms"},
            {"5sec", "'5sec' has unknown unit 'sec'; expected a number followed by"},
            {"5S", "'5S' has unknown unit 'S' (units are case-sensitive); expected"},
            {"ms", "'ms' does not start with a number; expected"},
            {"", "the value is empty; expected a number followed by"},
            {"1.2.3s", "'1.2.3s' has unknown unit '.3s'"},
            {"0.5ns", "'0.5ns' is not a whole number of nanoseconds"},
            {"1e30s", "'1e30s' is too large; at most 9223372036854775807 nanoseconds"},
            {"9223372036854775808ns", "'9223372036854775808ns' is too large"},
        });
}

TEST(ParseDataRate, AcceptsDecimalSiUnits)
{
    EXPECT_EQ(ParseDataRate("2.5Gbps").GetBitRate(), 2500000000ull);
    EXPECT_EQ(ParseDataRate("25Gbps").GetBitRate(), 25000000000ull);
    EXPECT_EQ(ParseDataRate("100Mbps").GetBitRate(), 100000000ull);
    EXPECT_EQ(ParseDataRate("1kbps").GetBitRate(), 1000ull);
    EXPECT_EQ(ParseDataRate("64bps").GetBitRate(), 64ull);
    EXPECT_EQ(ParseDataRate("0.001Gbps").GetBitRate(), 1000000ull);
    EXPECT_EQ(ParseDataRate("0bps").GetBitRate(), 0ull);
    EXPECT_EQ(ParseDataRate("18446744073709551615bps").GetBitRate(), UINT64_MAX);
}

TEST(ParseDataRate, RefusesWithAllowedSyntax)
{
    ExpectRefused(ParseDataRate,
                  {
                      {"25",
                       "'25' has no unit; expected a number followed by bps, kbps, Mbps or Gbps "
                       "(decimal: 1kbps = 1000bps), e.g. 2.5Gbps"},
                      {"25GBps", "'25GBps' has unknown unit 'GBps' (units are case-sensitive)"},
                      {"25Gb/s", "'25Gb/s' has unknown unit 'Gb/s'"},
                      {"fast", "'fast' does not start with a number"},
                      {"-1Gbps", "'-1Gbps' is negative"},
                      {"1.5bps", "'1.5bps' is not a whole number of bits per second"},
                      {"18446744073709551616bps", "'18446744073709551616bps' is too large"},
                      {"1e20Gbps", "'1e20Gbps' is too large"},
                  });
}

} // namespace

// ---------------------------------------------------------------------------------------------
// Racks of N leaves: racks, its name leaf_pairs for N = 2, leaves_per_rack.

namespace
{

/// \return the error of loading \p text (as "rack.yaml"), after \p overrides
ConfigError
TextError(const std::string& text, const std::vector<ScenarioOverride>& overrides = {})
{
    try
    {
        LoadScenarioString(text, "rack.yaml", overrides);
    }
    catch (const ConfigError& e)
    {
        return e;
    }
    ADD_FAILURE() << text << " loaded without error";
    return ConfigError("", 0, "", "");
}

/// \return the keys of the echo's fabric section, in order
std::vector<std::string>
EchoedFabricKeys(const ScenarioConfig& cfg)
{
    std::vector<std::string> keys;
    const schema::Json fabric = schema::EchoScenario(cfg)["fabric"];
    for (auto it = fabric.begin(); it != fabric.end(); ++it)
    {
        keys.push_back(it.key());
    }
    return keys;
}

} // namespace

TEST(ScenarioRacks, RacksOfFourLeavesAreReadAndEchoedUnderRacks)
{
    ScenarioConfig cfg = LoadScenarioString(
        "fabric: {racks: 3, leaves_per_rack: 4, hosts_per_rack: 2, uplinks_per_host: 4}\n");
    EXPECT_EQ(cfg.fabric.racks, 3u);
    EXPECT_EQ(cfg.fabric.leavesPerRack, 4u);
    EXPECT_EQ(cfg.fabric.uplinksPerHost, 4u);
    EXPECT_EQ(cfg.fabric.NumLeaves(), 12u);
    EXPECT_EQ(cfg.fabric.NumHosts(), 6u);
    schema::Json fabric = schema::EchoScenario(cfg)["fabric"];
    EXPECT_EQ(fabric["racks"], 3);
    EXPECT_EQ(fabric["leaves_per_rack"], 4);
    EXPECT_FALSE(fabric.contains("leaf_pairs"));
    // The echo reads back into the same fabric.
    std::ostringstream yaml;
    yaml << cfg;
    ScenarioConfig back = LoadScenarioString(yaml.str());
    EXPECT_EQ(back.fabric.racks, 3u);
    EXPECT_EQ(back.fabric.leavesPerRack, 4u);
}

TEST(ScenarioRacks, PairsOfLeavesEchoAsBeforeTheKeyExisted)
{
    // What every results.json said before leaves_per_rack: leaf_pairs, no leaves_per_rack, in
    // this order; written as leaf_pairs or as racks.
    const std::vector<std::string> before{"spines",
                                          "leaf_pairs",
                                          "hosts_per_rack",
                                          "uplinks_per_host",
                                          "access",
                                          "core",
                                          "routing_convergence",
                                          "layer1_overhead"};
    ScenarioConfig pairs = LoadScenarioString("fabric: {leaf_pairs: 3}\n");
    EXPECT_EQ(pairs.fabric.racks, 3u);
    EXPECT_EQ(pairs.fabric.leavesPerRack, 2u);
    EXPECT_EQ(EchoedFabricKeys(pairs), before);
    ScenarioConfig racks = LoadScenarioString("fabric: {racks: 3, leaves_per_rack: 2}\n");
    EXPECT_EQ(EchoedFabricKeys(racks), before);
    EXPECT_EQ(schema::EchoScenario(racks).dump(), schema::EchoScenario(pairs).dump());
    EXPECT_EQ(EchoedFabricKeys(ScenarioConfig{}), before);
}

TEST(ScenarioRacks, LeafPairsWithOtherThanTwoLeavesIsRefusedAtItsLine)
{
    ConfigError e = TextError("fabric:\n  leaves_per_rack: 4\n  leaf_pairs: 2\n");
    EXPECT_EQ(std::string(e.what()),
              "rack.yaml:3: fabric.leaf_pairs: leaf_pairs is the name of racks when "
              "leaves_per_rack is 2 (here leaves_per_rack is 4); write racks");
    e = TextError("fabric:\n  racks: 2\n  leaf_pairs: 2\n");
    EXPECT_EQ(std::string(e.what()),
              "rack.yaml:3: fabric.leaf_pairs: leaf_pairs is another name of racks; write one "
              "of them");
}

TEST(ScenarioRacks, AnOverrideOfEitherNameReplacesTheFilesValue)
{
    const std::string file = "fabric: {leaf_pairs: 2, hosts_per_rack: 1}\n";
    ScenarioConfig cfg = LoadScenarioString(file, "rack.yaml", Overrides({"fabric.racks=5"}));
    EXPECT_EQ(cfg.fabric.racks, 5u);
    cfg =
        LoadScenarioString("fabric: {racks: 2}\n", "rack.yaml", Overrides({"fabric.leaf_pairs=4"}));
    EXPECT_EQ(cfg.fabric.racks, 4u);
    cfg = LoadScenarioString(file,
                             "rack.yaml",
                             Overrides({"fabric.racks=3", "fabric.leaves_per_rack=4"}));
    EXPECT_EQ(cfg.fabric.NumLeaves(), 12u);
    // The file's leaf_pairs with four leaves per rack from the command line: named at its line.
    ConfigError e = TextError(file, Overrides({"fabric.leaves_per_rack=4"}));
    EXPECT_EQ(e.GetLine(), 1);
    EXPECT_EQ(e.GetField(), "fabric.leaf_pairs");
}

TEST(ScenarioRacks, UplinksBeyondTheRacksLeavesAndNineLeavesAreRefusedAtTheirLines)
{
    ConfigError e = TextError("name: r\nfabric:\n  leaves_per_rack: 3\n  uplinks_per_host: 4\n");
    EXPECT_EQ(std::string(e.what()),
              "rack.yaml:4: fabric.uplinks_per_host: 4 is out of range; allowed: 1..3 "
              "(fabric.leaves_per_rack is 3: each uplink goes to a different leaf of the host's "
              "rack)");
    e = TextError("fabric:\n  leaves_per_rack: 1\n  uplinks_per_host: 2\n");
    EXPECT_EQ(e.GetMessage(),
              "2 is out of range; allowed: 1 (fabric.leaves_per_rack is 1: each uplink goes to a "
              "different leaf of the host's rack)");
    e = TextError("fabric:\n  racks: 2\n  leaves_per_rack: 9\n");
    EXPECT_EQ(std::string(e.what()),
              "rack.yaml:3: fabric.leaves_per_rack: 9 is out of range; allowed: 1..8");
    e = TextError("fabric: {leaves_per_rack: 8, uplinks_per_host: 9}\n");
    EXPECT_EQ(std::string(e.what()),
              "rack.yaml:1: fabric.uplinks_per_host: 9 is out of range; allowed: 1..8 (and at "
              "most fabric.leaves_per_rack: each uplink goes to a different leaf of the rack)");
}

TEST(ScenarioRacks, LinkNamesAreCheckedAgainstTheLeavesOfFourLeafRacks)
{
    const std::string fabric =
        "fabric: {racks: 2, leaves_per_rack: 4, hosts_per_rack: 1, uplinks_per_host: 4}\n";
    ScenarioConfig cfg = LoadScenarioString(
        fabric + "faults: [{at: 1s, target: host1/uplink3}, {at: 1s, target: leaf7-spine1}]\n");
    EXPECT_EQ(cfg.faults[0].target.Format(), "host1/uplink3");
    ConfigError e = TextError(fabric + "faults: [{at: 1s, target: leaf8-spine0}]\n");
    EXPECT_EQ(e.GetMessage(),
              "leaf8-spine0 names leaf 8, but the fabric has 8 leaves (leaf0..leaf7: 4 per rack)");
    e = TextError(fabric + "faults: [{at: 1s, target: host0/uplink4}]\n");
    EXPECT_EQ(e.GetMessage(),
              "host0/uplink4 names uplink 4, but fabric.uplinks_per_host is 4 (uplink0..uplink3)");
}
