// Integration tests of the overlay on the leaf-spine fabric: delivery, accounting, failover,
// determinism, encapsulation bytes on the wire. Each runs a whole scenario through RunScenario.
#include "scenario-runner.h"

#include <gtest/gtest.h>

using namespace ns3;
using Json = nlohmann::ordered_json;

namespace
{

/// Two racks of two dual-homed hosts, one segment, one cross-rack UDP flow host0 -> host3 of
/// 200 Mb/s with 1000-byte payloads: one packet every 40 us from 100 ms.
ScenarioConfig
CrossRackConfig()
{
    ScenarioConfig c;
    c.name = "test";
    c.duration = Seconds(1);
    c.fabric.spines = 2;
    c.fabric.racks = 2;
    c.fabric.hostsPerRack = 2;
    c.fabric.uplinksPerHost = 2;
    c.overlay.policy = UplinkPolicy::CARRIER_ONLY;
    c.overlay.preferredUplink = 0;
    SegmentConfig seg;
    seg.vni = 5000;
    seg.vms = {"host0/vm0", "host3/vm0", "host0/vm1"};
    c.overlay.segments.push_back(seg);
    FlowConfig f;
    f.name = "f0";
    f.from = "host0/vm0";
    f.to = "host3/vm0";
    f.rate = DataRate("200Mbps");
    f.size = 1000;
    f.start = MilliSeconds(100);
    c.traffic.push_back(f);
    return c;
}

/// Packets an ns-3 OnOff CBR source started at \p start sends before \p stop: one per interval,
/// the first one interval after the start.
uint64_t
CbrPackets(Time start, Time stop, Time interval)
{
    return (stop - start - TimeStep(1)).GetTimeStep() / interval.GetTimeStep();
}

const Time kInterval = MicroSeconds(40); // 1000 bytes * 8 / 200 Mb/s

void
ExpectAccounting(const Json& flow)
{
    uint64_t sent = flow["sent"];
    uint64_t delivered = flow["delivered"];
    uint64_t lost = flow["lost"];
    int64_t inFlight = flow["in_flight"];
    uint64_t droppedSum = 0;
    for (const auto& [reason, n] : flow["dropped"].items())
    {
        droppedSum += n.get<uint64_t>();
    }
    EXPECT_EQ(lost, droppedSum);
    EXPECT_GE(inFlight, 0);
    EXPECT_EQ(sent, delivered + lost + static_cast<uint64_t>(inFlight));
    EXPECT_TRUE(flow["accounting_ok"].get<bool>());
}

} // namespace

TEST(OverlayDelivery, CrossRackUdpDeliversEveryPacketInOrder)
{
    ScenarioConfig c = CrossRackConfig();
    Json r = RunScenario(c).results;
    const Json& f = r["flows"]["f0"];
    uint64_t expected = CbrPackets(MilliSeconds(100), Seconds(1), kInterval);
    EXPECT_EQ(f["app_tx_packets"].get<uint64_t>(), expected);
    EXPECT_EQ(f["sent"].get<uint64_t>(), expected);
    EXPECT_EQ(f["lost"].get<uint64_t>(), 0u);
    EXPECT_EQ(f["reordered"].get<uint64_t>(), 0u);
    // At most the packets of the last few microseconds are still on the wire at the end.
    EXPECT_LE(f["in_flight"].get<int64_t>(), 1);
    EXPECT_GE(f["delivered"].get<uint64_t>(), expected - 1);
    EXPECT_EQ(f["app_rx_bytes"].get<uint64_t>(), f["delivered"].get<uint64_t>() * 1000);
    EXPECT_FALSE(f["same_host"].get<bool>());
    ExpectAccounting(f);
}

TEST(OverlayDelivery, SameHostFlowNeverLeavesTheHost)
{
    ScenarioConfig c = CrossRackConfig();
    c.traffic[0].to = "host0/vm1";
    // A silent drop on every uplink of host0 would kill anything that left the host.
    for (int k = 0; k < 2; ++k)
    {
        FaultConfig fault;
        fault.kind = FaultKind::SILENT_DROP;
        fault.target = "host0/uplink" + std::to_string(k);
        fault.at = MilliSeconds(50);
        c.faults.push_back(fault);
    }
    Json r = RunScenario(c).results;
    const Json& f = r["flows"]["f0"];
    EXPECT_TRUE(f["same_host"].get<bool>());
    EXPECT_EQ(f["lost"].get<uint64_t>(), 0u);
    EXPECT_EQ(f["in_flight"].get<int64_t>(), 0);
    EXPECT_EQ(f["delivered"].get<uint64_t>(), f["sent"].get<uint64_t>());
    EXPECT_EQ(f["sent"].get<uint64_t>(), CbrPackets(MilliSeconds(100), Seconds(1), kInterval));
}

TEST(OverlayFaults, SilentDropOnUsedUplinkBlackholesFlowUntilFaultEnds)
{
    ScenarioConfig c = CrossRackConfig();
    FaultConfig fault;
    fault.kind = FaultKind::SILENT_DROP;
    fault.target = "host0/uplink0";
    fault.direction = FaultDirection::FORWARD;
    fault.at = MilliSeconds(500);
    fault.end = MilliSeconds(800);
    c.faults.push_back(fault);
    Json r = RunScenario(c).results;
    const Json& f = r["flows"]["f0"];
    const Json& fr = r["faults"][0];
    // Every packet handed to uplink 0 in [500 ms, 800 ms) is dropped: the host never notices.
    uint64_t inWindow = CbrPackets(MilliSeconds(100), MilliSeconds(800), kInterval) -
                        CbrPackets(MilliSeconds(100), MilliSeconds(500), kInterval);
    EXPECT_EQ(f["dropped"]["silent_drop"].get<uint64_t>(), inWindow);
    EXPECT_EQ(f["lost"].get<uint64_t>(), inWindow);
    EXPECT_EQ(fr["flows"]["f0"]["lost"].get<uint64_t>(), inWindow);
    EXPECT_TRUE(fr["detected_s"].is_null());
    EXPECT_TRUE(fr["uplink_switch_s"].is_null());
    EXPECT_TRUE(fr["routes_converged_s"].is_null());
    // Recovery: the first packet sent after the fault ends, one path latency later.
    double recovered = fr["flows"]["f0"]["recovered_s"];
    EXPECT_GE(recovered, 0.8);
    EXPECT_LT(recovered, 0.8 + 40e-6 + 50e-6);
    ExpectAccounting(f);
}

TEST(OverlayFaults, LinkDownMovesFlowToOtherUplinkAtOnce)
{
    ScenarioConfig c = CrossRackConfig();
    FaultConfig fault;
    fault.kind = FaultKind::LINK_DOWN;
    fault.target = "host0/uplink0";
    fault.at = MilliSeconds(500) + MicroSeconds(7); // between two packets
    c.faults.push_back(fault);
    Json r = RunScenario(c).results;
    const Json& f = r["flows"]["f0"];
    const Json& fr = r["faults"][0];
    EXPECT_DOUBLE_EQ(fr["detection_ms"].get<double>(), 0.0);
    EXPECT_DOUBLE_EQ(fr["failover_ms"].get<double>(), 0.0);
    EXPECT_DOUBLE_EQ(fr["routes_converged_s"].get<double>(), 0.5 + 7e-6 + 0.2);
    // The packet sent at 500 us (7 us before) was already past the access link: nothing lost.
    EXPECT_EQ(f["lost"].get<uint64_t>(), 0u);
    EXPECT_GT(f["last_delivery_s"].get<double>(), 0.999);
    ExpectAccounting(f);
}

TEST(OverlayFaults, FourUplinkHostFailsOverThroughItsUplinksInOrderAsEachGoesDown)
{
    // Racks of four leaves, four uplinks per host: carrier-only takes the first uplink with
    // carrier, so cutting uplinks 0, 1 and 2 in turn moves the flow to 1, 2 and 3 at once. Each
    // cut comes 1 us after a packet left, while that frame is on the access link's wire: it dies
    // with the carrier, so the fault hit the flow (it was on the cut uplink) and costs exactly it.
    ScenarioConfig c = CrossRackConfig();
    c.fabric.leavesPerRack = 4;
    c.fabric.uplinksPerHost = 4;
    for (uint32_t k = 0; k < 3; ++k)
    {
        FaultConfig fault;
        fault.kind = FaultKind::LINK_DOWN;
        fault.target = "host0/uplink" + std::to_string(k);
        fault.at = MilliSeconds(300 + 200 * k) + MicroSeconds(1);
        c.faults.push_back(fault);
    }
    Json r = RunScenario(c).results;
    const Json& f = r["flows"]["f0"];
    ASSERT_EQ(r["faults"].size(), 3u);
    for (uint32_t k = 0; k < 3; ++k)
    {
        // Had the selector known two uplinks only, the second cut would leave it none and the
        // flow would never recover.
        const Json& fr = r["faults"][k];
        EXPECT_EQ(fr["hit_flows"].get<uint64_t>(), 1u) << fr["target"];
        EXPECT_DOUBLE_EQ(fr["failover_ms"].get<double>(), 0.0) << fr["target"];
        EXPECT_EQ(fr["flows"]["f0"]["lost"].get<uint64_t>(), 1u) << fr["target"];
        EXPECT_TRUE(fr["flows"]["f0"]["recovered"].get<bool>()) << fr["target"];
        EXPECT_LT(fr["flows"]["f0"]["recovery_ms"].get<double>(), 0.1) << fr["target"];
    }
    EXPECT_EQ(f["lost"].get<uint64_t>(), 3u);
    EXPECT_EQ(f["sent"].get<uint64_t>(), CbrPackets(MilliSeconds(100), Seconds(1), kInterval));
    EXPECT_GT(f["last_delivery_s"].get<double>(), 0.999);
    ExpectAccounting(f);
}

TEST(OverlayFaults, LinkDownTowardsHostLosesPacketsUntilRoutingConverges)
{
    ScenarioConfig c = CrossRackConfig();
    c.traffic[0].from = "host3/vm0";
    c.traffic[0].to = "host0/vm0";
    // Several flows so that ECMP at the spines sends some of them through leaf0.
    for (int i = 1; i < 8; ++i)
    {
        FlowConfig f = c.traffic[0];
        f.name = "f" + std::to_string(i);
        c.traffic.push_back(f);
    }
    FaultConfig fault;
    fault.kind = FaultKind::LINK_DOWN;
    fault.target = "host0/uplink0";
    fault.at = MilliSeconds(500);
    c.faults.push_back(fault);
    c.fabric.routingConvergence = MilliSeconds(100);
    Json r = RunScenario(c).results;
    const Json& fr = r["faults"][0];
    ASSERT_FALSE(fr["flows"].empty()) << "no flow crossed leaf0 towards host0";
    for (const auto& [name, a] : fr["flows"].items())
    {
        // Packets reaching leaf0 die for exactly the convergence delay (+ one packet interval).
        double recovery = a["recovery_ms"];
        EXPECT_GE(recovery, 100.0 - 0.05) << name;
        EXPECT_LE(recovery, 100.0 + 0.1) << name;
        EXPECT_NEAR(a["lost"].get<double>(), 100e-3 / 40e-6, 3) << name;
    }
    EXPECT_TRUE(r["totals"]["accounting_ok"].get<bool>());
}

TEST(OverlayDeterminism, SameScenarioAndSeedGiveIdenticalResults)
{
    ScenarioConfig c = CrossRackConfig();
    c.overlay.policy = UplinkPolicy::FLOW_HASH;
    FaultConfig fault;
    fault.kind = FaultKind::SILENT_DROP;
    fault.target = "leaf0-spine0";
    fault.dropFraction = 0.3;
    fault.at = MilliSeconds(300);
    c.faults.push_back(fault);
    std::string a = RunScenario(c).results.dump();
    std::string b = RunScenario(c).results.dump();
    EXPECT_EQ(a, b);
    c.seed = 2;
    std::string d = RunScenario(c).results.dump();
    EXPECT_NE(a, d); // a different seed draws different partial-loss decisions
}

TEST(OverlayEncap, VxlanCarriesTheFlowToo)
{
    ScenarioConfig c = CrossRackConfig();
    c.overlay.encap = Encapsulation::VXLAN;
    Json r = RunScenario(c).results;
    const Json& f = r["flows"]["f0"];
    EXPECT_EQ(f["lost"].get<uint64_t>(), 0u);
    EXPECT_GE(f["delivered"].get<uint64_t>(), f["sent"].get<uint64_t>() - 1);
}

TEST(OverlayTraffic, TcpBulkTransfersExactlyMaxBytes)
{
    ScenarioConfig c = CrossRackConfig();
    c.traffic[0].kind = FlowKind::TCP_BULK;
    c.traffic[0].rate = FlowConfig{}.rate; // rate is a udp-cbr knob
    c.traffic[0].size = 1448;
    c.traffic[0].maxBytes = 5000000;
    Json r = RunScenario(c).results;
    const Json& f = r["flows"]["f0"];
    EXPECT_EQ(f["app_rx_bytes"].get<uint64_t>(), 5000000u);
    EXPECT_EQ(f["lost"].get<uint64_t>(), 0u);
    ExpectAccounting(f);
}

TEST(OverlayFaults, AddedDelayRaisesOneWayDelayOfTheFlowOnlyInItsDirection)
{
    ScenarioConfig c = CrossRackConfig();
    FlowConfig back = c.traffic[0];
    back.name = "back";
    back.from = "host3/vm0";
    back.to = "host0/vm0";
    c.traffic.push_back(back);
    FaultConfig fault;
    fault.kind = FaultKind::ADDED_DELAY;
    fault.target = "host0/uplink0";
    fault.direction = FaultDirection::FORWARD;
    fault.delay = MilliSeconds(5);
    fault.at = MilliSeconds(500);
    fault.end = MilliSeconds(600);
    c.faults.push_back(fault);
    Json r = RunScenario(c).results;
    const Json& f = r["flows"]["f0"];
    // Unloaded path: 4 hops of serialisation (1078-byte frames at 25/100 Gb/s) + 4 us propagation.
    double base = f["delay_us"]["min"];
    EXPECT_GT(base, 4.0);
    EXPECT_LT(base, 6.0);
    EXPECT_NEAR(f["delay_us"]["max"].get<double>(), base + 5000.0, 0.5);
    // 100 ms of 2500 packets at +5 ms among 22499: the mean rises by about 5000 * 2500 / 22499.
    EXPECT_NEAR(f["delay_us"]["mean"].get<double>(), base + 5000.0 * 2500 / 22499, 5.0);
    EXPECT_EQ(f["lost"].get<uint64_t>(), 0u);
    // Delay on a link is not loss and not reordering on a single path... except that packets
    // sent after the fault ends overtake the delayed ones still on the wire.
    EXPECT_GT(f["reordered"].get<uint64_t>(), 0u);
    // The reverse direction is untouched.
    EXPECT_LT(r["flows"]["back"]["delay_us"]["max"].get<double>(), 20.0);
    ExpectAccounting(f);
}
