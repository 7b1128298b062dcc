// Uplink-aware tunnel monitoring on the whole model: detection and failover times of a silent
// blackhole against the RFC 5880 bounds, presets, no false DOWN under load, replies credited to
// the uplink named in the payload, and monitoring overhead.
#include "scenario-runner.h"
#include "test-budget.h"
#include "uplink-echo-header.h"
#include "uplink-monitor.h"

#include "ns3/double.h"
#include "ns3/packet.h"

#include <cmath>
#include <gtest/gtest.h>

using namespace ns3;
using Json = nlohmann::ordered_json;

namespace
{

/// host0/vm0 -> host3/vm0, 200 Mb/s of 1000-byte payloads (one packet every 40 us), monitoring
/// with the given preset, a silent drop on host0's uplink 0 towards its leaf at \p faultAt.
ScenarioConfig
BlackholeConfig(UplinkPolicy policy, const std::string& preset, Time faultAt, Time duration)
{
    ScenarioConfig c;
    c.name = "monitoring-test";
    c.duration = duration;
    c.statsBin = MilliSeconds(10);
    c.fabric.spines = 2;
    c.fabric.racks = 2;
    c.fabric.hostsPerRack = 2;
    c.overlay.policy = policy;
    c.overlay.segments.push_back(SegmentConfig{5000, {"host0/vm0", "host3/vm0"}});
    c.monitoring.enabled = true;
    EXPECT_TRUE(ApplyMonitoringPreset(c.monitoring, preset));
    FlowConfig f;
    f.name = "f0";
    f.from = "host0/vm0";
    f.to = "host3/vm0";
    f.rate = DataRate("200Mbps");
    f.size = 1000;
    f.start = MilliSeconds(100);
    c.traffic.push_back(f);
    FaultConfig fault;
    fault.kind = FaultKind::SILENT_DROP;
    fault.target = "host0/uplink0";
    fault.direction = FaultDirection::FORWARD;
    fault.at = faultAt;
    c.faults.push_back(fault);
    return c;
}

/// Largest echo RTT seen on any monitored uplink, in ms.
double
MaxRttMs(const Json& r)
{
    double worst = 0;
    for (const auto& [name, t] : r["monitoring"]["tunnels"].items())
    {
        for (const auto& u : t["uplinks"])
        {
            if (!u["rtt_max_us"].is_null())
            {
                worst = std::max(worst, u["rtt_max_us"].get<double>() / 1e3);
            }
        }
    }
    return worst;
}

} // namespace

TEST(Monitoring, SilentBlackholeIsDetectedAndActiveStandbyRecovers)
{
    ScenarioConfig c =
        BlackholeConfig(UplinkPolicy::ACTIVE_STANDBY, "aggressive", Seconds(3), Seconds(4));
    Json r = RunScenario(c).results;
    const Json& fault = r["faults"][0];
    double rtt = MaxRttMs(r);
    ASSERT_GT(rtt, 0.0);
    EXPECT_LT(rtt, 0.1);
    // Echo detection: no reply for 3 x 50 ms after the last reply, which answered an echo sent
    // at most one interval (jitter only shortens it) before the fault.
    double detection = fault["detection_ms"];
    EXPECT_GE(detection, 100.0);
    EXPECT_LE(detection, 150.0 + rtt);
    // The selector moves the tunnel off uplink 0 the moment host0 declares it DOWN.
    double failover = fault["failover_ms"];
    EXPECT_GE(failover, detection);
    EXPECT_LE(failover, 150.0 + rtt);
    const Json& victim = fault["flows"]["f0"];
    double recovery = victim["recovery_ms"];
    EXPECT_GE(recovery, failover);
    EXPECT_LE(recovery, failover + 0.04 + 0.05); // next packet (40 us) + one path latency
    // Packets lost: one every 40 us between the fault and the failover.
    EXPECT_NEAR(victim["lost"].get<double>(), failover / 0.04, 2.0);
    EXPECT_TRUE(r["totals"]["accounting_ok"].get<bool>());
    EXPECT_GT(r["flows"]["f0"]["last_delivery_s"].get<double>(), 3.99);
}

TEST(Monitoring, CarrierOnlyLosesEverythingWhileMonitoringStillDetects)
{
    ScenarioConfig c =
        BlackholeConfig(UplinkPolicy::CARRIER_ONLY, "aggressive", Seconds(3), Seconds(4));
    Json r = RunScenario(c).results;
    const Json& fault = r["faults"][0];
    EXPECT_FALSE(fault["detection_ms"].is_null()); // monitoring sees it...
    EXPECT_TRUE(fault["failover_ms"].is_null());   // ...but a bond does not listen
    // Every packet sent after the fault is lost: (4 s - 3 s) / 40 us.
    EXPECT_NEAR(fault["flows"]["f0"]["lost"].get<double>(), 25000, 1);
    EXPECT_TRUE(fault["flows"]["f0"]["recovery_ms"].is_null());
}

class MonitoringDetectionSeeds : public ::testing::TestWithParam<uint32_t>
{
};

TEST_P(MonitoringDetectionSeeds, DetectionTimeWithinRfc5880BoundAtRandomFaultInstants)
{
    uint32_t seed = GetParam();
    if (SeedSkipped(seed - 1))
    {
        GTEST_SKIP() << "seed " << seed << " beyond OVERLAY_FABRIC_TEST_SEEDS";
    }
    // A fault instant spread over one echo interval, different for every seed (7919 is prime).
    Time at = Seconds(3) + MicroSeconds((seed * 7919) % 50000);
    ScenarioConfig c =
        BlackholeConfig(UplinkPolicy::ACTIVE_STANDBY, "aggressive", at, at + MilliSeconds(300));
    c.seed = seed;
    c.traffic[0].rate = DataRate("10Mbps"); // detection does not depend on the data rate
    Json r = RunScenario(c).results;
    double rtt = MaxRttMs(r);
    double detection = r["faults"][0]["detection_ms"];
    // RFC 5880: detection time = DetectMult x interval after the last packet received; with
    // jitter every interval is 75-100% of nominal, so the last reply before the fault answered
    // an echo sent less than one interval before it.
    EXPECT_GT(detection, 3 * 50.0 - 50.0) << "seed " << seed;
    EXPECT_LE(detection, 3 * 50.0 + rtt) << "seed " << seed;
}

INSTANTIATE_TEST_SUITE_P(FiftySeeds, MonitoringDetectionSeeds, ::testing::Range(1u, 51u));

struct PresetCase
{
    std::string preset;
    double intervalMs; //!< echo interval
    double faultAtS;   //!< after the session is Up
};

class MonitoringPresets : public ::testing::TestWithParam<PresetCase>
{
};

TEST_P(MonitoringPresets, PresetReproducesItsTextbookDetectionTimeWithinOneInterval)
{
    const PresetCase& p = GetParam();
    ScenarioConfig c = BlackholeConfig(UplinkPolicy::ACTIVE_STANDBY,
                                       p.preset,
                                       Seconds(p.faultAtS),
                                       Seconds(p.faultAtS) + MilliSeconds(4 * p.intervalMs));
    c.traffic[0].rate = DataRate("10Mbps");
    Json r = RunScenario(c).results;
    EXPECT_DOUBLE_EQ(r["monitoring"]["echo_interval_s"].get<double>(), p.intervalMs / 1e3);
    double textbook = 3 * p.intervalMs;
    double detection = r["faults"][0]["detection_ms"];
    EXPECT_GT(detection, textbook - p.intervalMs) << p.preset;
    EXPECT_LE(detection, textbook + MaxRttMs(r)) << p.preset;
}

INSTANTIATE_TEST_SUITE_P(Presets,
                         MonitoringPresets,
                         ::testing::Values(PresetCase{"frr-default", 300, 4},
                                           PresetCase{"ovs-default", 1000, 6},
                                           PresetCase{"aggressive", 50, 3},
                                           PresetCase{"hardware", 3.3, 3}),
                         [](const auto& info) {
                             std::string n = info.param.preset;
                             std::replace(n.begin(), n.end(), '-', '_');
                             return n;
                         });

TEST(Monitoring, RepliesAreCreditedToTheUplinkInThePayloadWhateverUplinkTheyArriveOn)
{
    ScenarioConfig c =
        BlackholeConfig(UplinkPolicy::FLOW_HASH, "aggressive", Seconds(3), Seconds(3));
    c.faults.clear();
    c.duration = Seconds(3);
    Json r = RunScenario(c).results;
    const Json& uplinks = r["monitoring"]["tunnels"]["host0->host3"]["uplinks"];
    ASSERT_EQ(uplinks.size(), 2u);
    uint64_t viaOther = 0;
    for (const auto& u : uplinks)
    {
        uint64_t sent = u["echoes_sent"];
        uint64_t replies = u["replies"];
        EXPECT_GT(sent, 20u);
        EXPECT_GE(replies + 1, sent); // every echo answered but maybe the last one in flight
        EXPECT_EQ(u["status"], "up");
        EXPECT_EQ(u["down_events"].get<uint32_t>(), 0u);
        EXPECT_DOUBLE_EQ(u["loss"].get<double>(), 0.0);
        viaOther += u["replies_via_other_uplink"].get<uint64_t>();
    }
    // host3 loops replies back on its own choice and the spines hash them to either of host0's
    // leaves: some replies to uplink-0 echoes arrive on uplink 1 and vice versa (Fig. 6).
    EXPECT_GT(viaOther, 0u);
    // The VMs never see an echo or a control packet: nothing reaches a virtual switch or a VM
    // stack that it would have to drop, and the flow counts only its own packets.
    EXPECT_TRUE(r["totals"]["dropped_all_packets"].empty()) << r["totals"]["dropped_all_packets"];
    EXPECT_EQ(r["flows"]["f0"]["sent"], r["flows"]["f0"]["app_tx_packets"]);
    EXPECT_EQ(r["flows"]["f0"]["app_rx_bytes"].get<uint64_t>(),
              r["flows"]["f0"]["delivered"].get<uint64_t>() * 1000);
}

TEST(Monitoring, FourUplinksEachCarryTheirOwnEchoStreamAndCreditTheirOwnReplies)
{
    ScenarioConfig c =
        BlackholeConfig(UplinkPolicy::FLOW_HASH, "aggressive", Seconds(3), Seconds(3));
    c.faults.clear();
    c.fabric.leavesPerRack = 4;
    c.fabric.uplinksPerHost = 4;
    Json r = RunScenario(c).results;
    for (const std::string tunnel : {"host0->host3", "host3->host0"})
    {
        const Json& uplinks = r["monitoring"]["tunnels"][tunnel]["uplinks"];
        ASSERT_EQ(uplinks.size(), 4u) << tunnel;
        for (const auto& u : uplinks)
        {
            uint64_t sent = u["echoes_sent"];
            EXPECT_GT(sent, 20u) << tunnel;
            EXPECT_GE(u["replies"].get<uint64_t>() + 1, sent) << tunnel;
            EXPECT_EQ(u["status"], "up") << tunnel;
            EXPECT_EQ(u["down_events"].get<uint32_t>(), 0u) << tunnel;
        }
    }
    EXPECT_TRUE(r["monitoring"]["status_changes"].empty()) << r["monitoring"]["status_changes"];
    // 2 of the 4 hosts share a segment: one tunnel each, 4 uplinks, one echo per uplink every
    // 43.75 ms on average, from when the session is Up: twice the rate of two uplinks.
    const double perHost = 2.0 * 4.0 / 0.04375 / 4.0;
    const Json& o = r["monitoring"]["overhead"];
    EXPECT_GT(o["echo_packets_per_s_per_host"].get<double>(), perHost * 0.5);
    EXPECT_LT(o["echo_packets_per_s_per_host"].get<double>(), perHost * 1.01);
}

TEST(Monitoring, NoFalseDownInSixtySecondsWithUplinksLoadedToNinetyPercent)
{
    // 60 s in the normal suite; shorter under OVERLAY_FABRIC_TEST_MAX_SIM_SECONDS (test-budget.h).
    ScenarioConfig c = BlackholeConfig(UplinkPolicy::ACTIVE_STANDBY,
                                       "aggressive",
                                       Seconds(1),
                                       LongRunDuration(Seconds(60)));
    c.faults.clear();
    c.fabric.access.rate = DataRate("1Gbps");
    c.fabric.core.rate = DataRate("4Gbps");
    // 850 Mb/s of 1400-byte payloads is 920 Mb/s on the wire (1492-byte frames with the inner
    // UDP/IPv4/Ethernet and outer GENEVE/UDP/IPv4/Ethernet headers, + 24 bytes of preamble, FCS
    // and gap: 75,893 packets/s x 1516 x 8): 92.0% of host0's active uplink and of host3's
    // downlink.
    c.traffic[0].rate = DataRate("850Mbps");
    c.traffic[0].size = 1400;
    Json r = RunScenario(c).results;
    EXPECT_TRUE(r["monitoring"]["status_changes"].empty()) << r["monitoring"]["status_changes"];
    EXPECT_EQ(r["flows"]["f0"]["lost"].get<uint64_t>(), 0u);
    EXPECT_GT(r["flows"]["f0"]["goodput_bps"].get<double>(), 0.84e9);
}

TEST(Monitoring, OverheadMatchesTheEchoAndControlRates)
{
    ScenarioConfig c =
        BlackholeConfig(UplinkPolicy::ACTIVE_STANDBY, "aggressive", Seconds(3), Seconds(10));
    c.faults.clear();
    c.traffic.clear();
    Json r = RunScenario(c).results;
    const Json& o = r["monitoring"]["overhead"];
    // 2 of the 4 hosts share a segment: one tunnel each, 2 uplinks, one echo per uplink every
    // 43.75 ms on average (jitter 75-100% of 50 ms), from when the session is Up (~1-2 s).
    double perHost = 2.0 * 2.0 / 0.04375 / 4.0; // averaged over the 4 hosts
    EXPECT_GT(o["echo_packets_per_s_per_host"].get<double>(), perHost * 0.75);
    EXPECT_LT(o["echo_packets_per_s_per_host"].get<double>(), perHost * 1.01);
    // Every echo is looped back once by the other end.
    EXPECT_NEAR(o["loopback_packets_per_s_per_host"].get<double>(),
                o["echo_packets_per_s_per_host"].get<double>(),
                1.0);
    EXPECT_GT(o["control_packets_per_s_per_host"].get<double>(), 0.0);
}

TEST(Monitoring, SeamlessModeEchoesFromTheStartAndItsInitiatorsComeUp)
{
    // S-BFD needs no handshake: the echoes run from time 0, so a fault at 400 ms -- before an
    // RFC 5880 session could even leave its 1 s slow start -- is detected within the bound.
    ScenarioConfig c =
        BlackholeConfig(UplinkPolicy::ACTIVE_STANDBY, "aggressive", MilliSeconds(400), Seconds(3));
    c.monitoring.mode = BfdMode::SEAMLESS;
    Json r = RunScenario(c).results;
    double detection = r["faults"][0]["detection_ms"];
    EXPECT_GT(detection, 100.0);
    EXPECT_LE(detection, 150.0 + MaxRttMs(r));
    // Each VTEP's initiator was answered by the other's reflector.
    EXPECT_EQ(r["monitoring"]["tunnels"]["host0->host3"]["session"], "Up");
    EXPECT_EQ(r["monitoring"]["tunnels"]["host3->host0"]["session"], "Up");
    EXPECT_GT(r["monitoring"]["overhead"]["control_packets_per_s_per_host"].get<double>(), 0.0);
}

TEST(Monitoring, AsyncModeWaitsForTheSessionBeforeEchoing)
{
    ScenarioConfig c =
        BlackholeConfig(UplinkPolicy::ACTIVE_STANDBY, "aggressive", MilliSeconds(400), Seconds(3));
    Json r = RunScenario(c).results;
    // RFC 5880 6.8.3: the first control packet goes after a 0.75-1 s slow-start interval, so no
    // echo is running at 400 ms and nothing detects the fault until the echoes start.
    EXPECT_TRUE(r["faults"][0]["detection_ms"].get<double>() > 600.0);
    EXPECT_EQ(r["monitoring"]["tunnels"]["host0->host3"]["session"], "Up");
}

/// A host clock: t + offset + drift x 1e-6 x t, the drift term rounded to the nearest ns.
TEST(MonitoringClock, LocalClockIsOffsetPlusDriftToTheNanosecond)
{
    Ptr<UplinkMonitor> m = CreateObject<UplinkMonitor>();
    EXPECT_EQ(m->LocalClock(Seconds(3)), Seconds(3)); // the default clock is the simulator's
    m->SetAttribute("ClockOffset", TimeValue(MicroSeconds(-40)));
    m->SetAttribute("ClockDrift", DoubleValue(20));
    EXPECT_EQ(m->LocalClock(Time(0)), MicroSeconds(-40)); // negative before its epoch
    // 20 ppm of 1 s is 20 us exactly; of 1234567 ns, 24.69134 ns -> 25 ns.
    EXPECT_EQ(m->LocalClock(Seconds(1)).GetNanoSeconds(), 1000000000 - 40000 + 20000);
    EXPECT_EQ(m->LocalClock(NanoSeconds(1234567)).GetNanoSeconds(), 1234567 - 40000 + 25);
    m->SetAttribute("ClockDrift", DoubleValue(-1000));
    EXPECT_EQ(m->LocalClock(Seconds(2)).GetNanoSeconds(), 2000000000 - 40000 - 2000000);
    // The bounds of the schema keys hold in the Attributes too.
    EXPECT_FALSE(m->SetAttributeFailSafe("ClockDrift", DoubleValue(1000.5)));
    EXPECT_FALSE(m->SetAttributeFailSafe("ClockOffset", TimeValue(Seconds(86401))));
}

/// A negative clock reading travels modulo 2^64 in the unsigned field and reads back exactly.
TEST(MonitoringClock, NegativeTimestampRoundTripsThroughTheEchoPayload)
{
    UplinkEchoHeader h(1, 7, NanoSeconds(-40000));
    Ptr<Packet> p = Create<Packet>();
    p->AddHeader(h);
    UplinkEchoHeader back;
    p->RemoveHeader(back);
    EXPECT_EQ(back.GetSentAt(), NanoSeconds(-40000));
    EXPECT_EQ((NanoSeconds(4110 - 40000) - back.GetSentAt()).GetNanoSeconds(), 4110);
}

namespace
{
/// Per-hop time of one echo frame on an idle link: propagation + its wire bytes (112-byte frame
/// + 24 of layer-1 overhead) at the link rate, rounded up to the ns as the device schedules it.
int64_t
HopNs(const LinkTierConfig& tier)
{
    const double bits = (112 + 24) * 8.0;
    return tier.delay.GetNanoSeconds() +
           static_cast<int64_t>(std::ceil(bits * 1e9 / tier.rate.GetBitRate()));
}

double
Field(const Json& r, const std::string& tunnel, uint32_t uplink, const char* key)
{
    return r["monitoring"]["tunnels"][tunnel]["uplinks"][uplink][key].get<double>();
}
} // namespace

/// The forward delay is the analytic path (2 access + 2 core hops) plus the clock difference;
/// an added delay one way shows whole in it and halved in RTT / 2.
TEST(MonitoringClock, ForwardDelayIsThePathPlusTheClockOffsetAndSeesAsymmetricDelay)
{
    ScenarioConfig c =
        BlackholeConfig(UplinkPolicy::CARRIER_ONLY, "aggressive", Seconds(0), Seconds(2));
    c.traffic.clear(); // no data: no queueing in front of an echo
    FlowConfig f;
    f.name = "f0";
    f.from = "host0/vm0";
    f.to = "host3/vm0";
    f.rate = DataRate("1kbps");
    f.size = 10;
    f.start = Seconds(1.99);
    c.traffic.push_back(f);
    c.faults[0].kind = FaultKind::ADDED_DELAY;
    c.faults[0].delay = MicroSeconds(500);
    ClockConfig clock;
    clock.host = HostRef(3);
    clock.offset = MicroSeconds(40);
    c.monitoring.clocks.push_back(clock);
    Json r = RunScenario(c).results;
    const int64_t path = 2 * HopNs(c.fabric.access) + 2 * HopNs(c.fabric.core);
    ASSERT_EQ(path, 4110);
    // host0's uplink-1 echoes, measured on host3's clock (40 us ahead): the path + 40 us.
    EXPECT_NEAR(Field(r, "host0->host3", 1, "forward_delay_min_us"), (path + 40000) / 1e3, 1e-3);
    EXPECT_NEAR(Field(r, "host0->host3", 1, "forward_delay_max_us"), (path + 40000) / 1e3, 1e-3);
    // host3's echoes on host0's clock: the path - 40 us, negative.
    EXPECT_NEAR(Field(r, "host3->host0", 0, "forward_delay_us"), (path - 40000) / 1e3, 1e-3);
    // Uplink 0 has 500 us more on the way out only: whole in the forward delay (min: BFD control
    // packets share uplink 0 and can delay an echo by a frame time)...
    EXPECT_NEAR(Field(r, "host0->host3", 0, "forward_delay_min_us"),
                (path + 500000 + 40000) / 1e3,
                1e-3);
    // ...halved in RTT / 2, where the offset cancels (the reply path is the plain one).
    EXPECT_NEAR(Field(r, "host0->host3", 0, "rtt_min_us") / 2, (2 * path + 500000) / 2e3, 1e-3);
    EXPECT_NEAR(Field(r, "host0->host3", 0, "one_way_delay_us"), (2 * path + 500000) / 2e3, 0.01);
}

/// Drift: the forward delay grows by drift x elapsed time, and the drifting host's own RTT is
/// scaled by (1 + drift x 1e-6).
TEST(MonitoringClock, DriftShiftsTheForwardDelayByDriftTimesElapsedAndScalesRtt)
{
    ScenarioConfig c =
        BlackholeConfig(UplinkPolicy::CARRIER_ONLY, "aggressive", Seconds(0), Seconds(2));
    c.faults.clear();
    c.traffic[0].rate = DataRate("1kbps");
    c.traffic[0].size = 10;
    c.traffic[0].start = Seconds(1.99);
    ClockConfig clock;
    clock.host = HostRef(3);
    clock.driftPpm = 1000;
    c.monitoring.clocks.push_back(clock);
    Json r = RunScenario(c).results;
    // Echoes run from the session's Up (~0.8 s) to the end: 1000 ppm adds ~0.8 ms .. 2 ms.
    const double lo = Field(r, "host0->host3", 1, "forward_delay_min_us") - 4.110;
    const double hi = Field(r, "host0->host3", 1, "forward_delay_max_us") - 4.110;
    EXPECT_GT(lo, 500.0);
    EXPECT_LT(lo, 1200.0);
    EXPECT_GT(hi, 1940.0);
    EXPECT_LE(hi, 2000.0);
    // host3's RTT (8.220 us true) reads 1000 ppm long: 8.228 us, within the two readings' 1 ns.
    EXPECT_NEAR(Field(r, "host3->host0", 0, "rtt_min_us"), 8.220 * 1.001, 1.5e-3);
    EXPECT_NEAR(Field(r, "host0->host3", 0, "rtt_min_us"), 8.220, 1e-9);
}
