// Honest blame per fault (DESIGN principle 6): the flows a fault hit come from the frames that met
// it, detection only from a DOWN whose echoes met it on a host that sends such a flow, recovery
// only from a packet that avoided it; DOWNs whose echoes met no fault are false positives. The
// flow ledger's per-fault arithmetic on its own, then the cases of issue 10 on the whole model.
#include "flow-ledger.h"
#include "flow-tag.h"
#include "scenario-estimate.h"
#include "scenario-loader.h"
#include "scenario-runner.h"

#include "ns3/simulator.h"

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <set>

using namespace ns3;
using Json = nlohmann::ordered_json;

namespace
{

const std::string SCENARIOS = std::string(OVERLAY_FABRIC_SOURCE_DIR) + "/scenarios/";

/// A packet of flow 0 with sequence \p seq, sent now.
Ptr<Packet>
FlowPacket(uint32_t seq)
{
    Ptr<Packet> p = Create<Packet>(100);
    p->AddPacketTag(FlowTag(0, seq, Simulator::Now()));
    return p;
}

/// A packet of flow 0 with sequence \p seq, sent now through \p ledger (FlowTx).
Ptr<Packet>
Sent(FlowLedger& ledger, uint32_t seq)
{
    Ptr<Packet> p = FlowPacket(seq);
    ledger.FlowTx(p);
    return p;
}

/// Run monitored-silent-blackhole.yaml with overrides.
Json
Blackhole(const std::vector<ScenarioOverride>& overrides)
{
    return RunScenario(LoadScenarioFile(SCENARIOS + "monitored-silent-blackhole.yaml", overrides))
        .results;
}

} // namespace

TEST(FlowLedgerBlame, LossAndRecoveryFollowThePacketsThatMetTheFault)
{
    FlowLedger ledger(1, Seconds(1), MilliSeconds(100));
    ledger.SetFaultCount(1);
    // Packets 0-2 sent and delivered before any fault: nothing is owed.
    for (uint32_t s = 0; s < 3; ++s)
    {
        ledger.FlowRx(Sent(ledger, s));
    }
    EXPECT_FALSE(ledger.GetFaultRecord(0, 0).hit);
    // Packets 3 and 4 meet the fault; the fault drops 3 (Drop first, as the devices call them),
    // 4 is delayed but delivered: it met the fault, so it is no recovery.
    Ptr<Packet> p3 = Sent(ledger, 3);
    Ptr<Packet> p4 = Sent(ledger, 4);
    ledger.FaultHit(0, p3, false); // accepted onto the faulted link
    ledger.FaultHit(0, p4, false);
    ledger.Drop(p3, DropReason::SILENT_DROP);
    ledger.FaultHit(0, p3, true);
    ledger.FlowRx(p4);
    const FlowLedger::FlowFaultRecord& r = ledger.GetFaultRecord(0, 0);
    EXPECT_TRUE(r.hit);
    EXPECT_EQ(r.highestHitSeq, 4u);
    EXPECT_EQ(r.droppedByFault, 1u);
    EXPECT_TRUE(r.waiting);
    EXPECT_FALSE(r.recoveredAt.has_value());
    // Packet 5 is lost elsewhere while the flow waits: lost to the fault, not dropped by it.
    Ptr<Packet> p5 = Sent(ledger, 5);
    ledger.Drop(p5, DropReason::QUEUE_OVERFLOW);
    EXPECT_EQ(ledger.GetLostToFault(0, 0), 2u);
    // Packet 6 took another path and is delivered: recovery.
    Ptr<Packet> p6 = Sent(ledger, 6);
    ledger.FlowRx(p6);
    EXPECT_TRUE(r.recoveredAt.has_value());
    EXPECT_FALSE(r.waiting);
    // A loss after the recovery is not the fault's.
    Ptr<Packet> p7 = Sent(ledger, 7);
    ledger.Drop(p7, DropReason::QUEUE_OVERFLOW);
    EXPECT_EQ(ledger.GetLostToFault(0, 0), 2u);
    // Packet 8 meets the fault again (the flow went back): a new wait, its own loss added.
    Ptr<Packet> p8 = Sent(ledger, 8);
    ledger.Drop(p8, DropReason::SILENT_DROP);
    ledger.FaultHit(0, p8, true);
    EXPECT_TRUE(r.waiting);
    EXPECT_FALSE(r.recoveredAt.has_value());
    EXPECT_EQ(r.droppedByFault, 2u);
    EXPECT_EQ(ledger.GetLostToFault(0, 0), 3u);
    // Nothing vanished: 9 sent = 5 delivered + 4 dropped.
    EXPECT_EQ(ledger.GetFlow(0).sent, 9u);
    EXPECT_EQ(ledger.GetFlow(0).delivered, 5u);
    EXPECT_EQ(ledger.GetFlow(0).DroppedTotal(), 4u);
}

TEST(FlowLedgerBlame, ALinkDownHitsTheFlowsOnItsPathByTheirDropsElsewhere)
{
    FlowLedger ledger(1, Seconds(1), MilliSeconds(100));
    ledger.SetFaultCount(2);
    // Packet 0 crossed both links while they were healthy; it is still on its way.
    Ptr<Packet> p0 = Sent(ledger, 0);
    ledger.ElementCrossed(0, p0);
    ledger.ElementCrossed(1, p0);
    // Fault 1 is a silent drop: only frames that meet it count. Fault 0 is a link-down.
    ledger.FaultStarted(1, false);
    ledger.FaultStarted(0, true);
    // Packet 1 dies at a switch left without a route: the link-down hit it, the silent drop not.
    Ptr<Packet> p1 = Sent(ledger, 1);
    ledger.Drop(p1, DropReason::NO_ROUTE);
    EXPECT_TRUE(ledger.GetFaultRecord(0, 0).hit);
    EXPECT_EQ(ledger.GetFaultRecord(0, 0).droppedByFault, 0u);
    EXPECT_EQ(ledger.GetLostToFault(0, 0), 1u);
    EXPECT_FALSE(ledger.GetFaultRecord(1, 0).hit);
    // Routing converges: packet 2 is delivered, the flow has recovered and is off the link.
    Ptr<Packet> p2 = Sent(ledger, 2);
    ledger.FlowRx(p0);
    ledger.FlowRx(p2);
    EXPECT_TRUE(ledger.GetFaultRecord(0, 0).recoveredAt.has_value());
    // A later loss elsewhere is not the link-down's.
    Ptr<Packet> p3 = Sent(ledger, 3);
    ledger.Drop(p3, DropReason::QUEUE_OVERFLOW);
    EXPECT_EQ(ledger.GetLostToFault(0, 0), 1u);
    EXPECT_FALSE(ledger.GetFaultRecord(0, 0).waiting);
}

TEST(FlowLedgerBlame, AFlowThatLeftTheLinkBeforeItWentDownIsNotOnItsPath)
{
    FlowLedger ledger(1, Seconds(1), MilliSeconds(100));
    ledger.SetFaultCount(1);
    Ptr<Packet> p0 = Sent(ledger, 0);
    ledger.ElementCrossed(0, p0);
    ledger.FlowRx(p0);
    Ptr<Packet> p1 = Sent(ledger, 1); // on another path, delivered before the fault
    ledger.FlowRx(p1);
    ledger.FaultStarted(0, true);
    Ptr<Packet> p2 = Sent(ledger, 2);
    ledger.Drop(p2, DropReason::QUEUE_OVERFLOW);
    EXPECT_FALSE(ledger.GetFaultRecord(0, 0).hit);
    EXPECT_EQ(ledger.GetLostToFault(0, 0), 0u);
}

TEST(FaultBlame, HostUplinkBlackholeCreditsHost0AndCountsHost3sFalsePositives)
{
    Json r = Blackhole({});
    const Json& fault = r["faults"][0];
    EXPECT_EQ(fault["verdict"], "recovered");
    EXPECT_EQ(fault["hit_flows"], 1);
    EXPECT_EQ(fault["detected_by"], "host0/uplink0->host3");
    // Echo detection: 3 x 50 ms after the last answered echo (jitter only shortens intervals),
    // plus at most one RTT (well under 0.1 ms here).
    double detection = fault["detection_ms"];
    EXPECT_GE(detection, 100.0);
    EXPECT_LE(detection, 150.1);
    const Json& victim = fault["flows"]["victim"];
    EXPECT_EQ(victim["recovered_by"], "reroute");
    // Every packet the victim lost, the blackhole dropped: one every 40 us until the failover.
    EXPECT_EQ(victim["lost"], victim["dropped_by_fault"]);
    EXPECT_NEAR(victim["lost"].get<double>(), fault["failover_ms"].get<double>() / 0.04, 2.0);
    EXPECT_TRUE(fault["unaffected_host_reactions"].empty());
    // host3's echoes reach host0 fine; host0 loops them back over its dead uplink: both of
    // host3's streams go DOWN although nothing on their way out is broken.
    const Json& audit = r["status_audit"];
    EXPECT_EQ(audit["true_downs"], 1);
    EXPECT_EQ(audit["false_positives"], 2);
    EXPECT_EQ(audit["downs"].get<int>(),
              audit["true_downs"].get<int>() + audit["false_positives"].get<int>());
    const Json& fps = audit["false_positive_downs"];
    ASSERT_EQ(fps.size(), 2u);
    EXPECT_EQ(fps[0]["stream"], "host3/uplink0->host0");
    EXPECT_EQ(fps[1]["stream"], "host3/uplink1->host0");
    for (const Json& fp : fps)
    {
        EXPECT_EQ(fp["replies_met_fault"], 0); // the replies met fault 0
        // DOWN after the fault, UP again once host0 stopped looping replies over its dead uplink
        EXPECT_GE(fp["t_s"].get<double>(), 3.1);
        EXPECT_GE(fp["up_s"].get<double>(), fault["uplink_switch_s"].get<double>());
    }
    EXPECT_EQ(fault["false_positives"], 2);
}

TEST(FaultBlame, CoreLinkBlackholeTheProbesMissIsNotDetectedAndNeverRecovers)
{
    Json r = Blackhole({{"faults.0.target", "leaf0-spine0"}, {"faults.0.direction", "both"}});
    const Json& fault = r["faults"][0];
    EXPECT_EQ(fault["verdict"], "not-detected");
    EXPECT_FALSE(fault["detected"].get<bool>());
    EXPECT_TRUE(fault["detection_ms"].is_null());
    EXPECT_TRUE(fault["failover_ms"].is_null());
    const Json& victim = fault["flows"]["victim"];
    EXPECT_FALSE(victim["recovered"].get<bool>());
    EXPECT_TRUE(victim["recovery_ms"].is_null());
    // Every packet after the fault: (4 s - 3 s) / 40 us.
    EXPECT_EQ(victim["lost"], 25000);
    EXPECT_EQ(victim["dropped_by_fault"], 25000);
    EXPECT_EQ(r["flows"]["victim"]["lost"], 25000);
    // No DOWN is on the fault's path: none can be credited.
    EXPECT_EQ(r["status_audit"]["true_downs"], 0);
}

TEST(FaultBlame, EchoesThatCoverTheEcmpPathsSeeTheCoreLinkBlackholeAndTheVictimRecovers)
{
    const std::vector<ScenarioOverride> fault{{"faults.0.target", "leaf0-spine0"},
                                              {"faults.0.direction", "both"},
                                              {"monitoring.cover_ecmp_paths", "true"}};
    const Json base =
        Blackhole({{"faults.0.target", "leaf0-spine0"}, {"faults.0.direction", "both"}});
    for (bool reselect : {false, true})
    {
        std::vector<ScenarioOverride> o = fault;
        o.push_back({"overlay.path_reselection", reselect ? "true" : "false"});
        const Json r = Blackhole(o);
        SCOPED_TRACE(reselect ? "with re-selection" : "moving the tunnel");
        // Four paths leave each uplink (2 spines x the remote rack's 2 leaves): a stream on each.
        const Json& tunnel = r["monitoring"]["tunnels"]["host0->host3"];
        EXPECT_EQ(tunnel["ecmp_paths"], 8);
        EXPECT_EQ(tunnel["ecmp_paths_probed"], 8);
        std::set<std::string> paths;
        for (const Json& uplink : tunnel["uplinks"])
        {
            ASSERT_EQ(uplink["paths"].size(), 4u);
            EXPECT_EQ(uplink["paths"][0]["echo_path"], uplink["echo_path"]); // stream 0: the seed's
            for (const Json& stream : uplink["paths"])
            {
                paths.insert(stream["echo_path"].get<std::string>());
            }
        }
        EXPECT_EQ(paths.size(), 8u);
        // The cost: four streams per uplink instead of one, each looped back.
        const double ratio =
            r["monitoring"]["overhead"]["echo_packets_per_s_per_host"].get<double>() /
            base["monitoring"]["overhead"]["echo_packets_per_s_per_host"].get<double>();
        EXPECT_NEAR(ratio, 4.0, 0.1);
        // Detected by host0's own stream over the dead link, within DetectMult x 50 ms (with
        // jitter: more than 2 intervals, at most 3 and an RTT).
        const Json& f = r["faults"][0];
        EXPECT_EQ(f["verdict"], "recovered");
        EXPECT_EQ(f["detected_by"].get<std::string>().rfind("host0/uplink0/path", 0), 0u)
            << f["detected_by"];
        EXPECT_GE(f["detection_ms"].get<double>(), 100.0);
        EXPECT_LE(f["detection_ms"].get<double>(), 150.1);
        const Json& victim = f["flows"]["victim"];
        EXPECT_TRUE(victim["recovered"].get<bool>());
        EXPECT_EQ(victim["recovered_by"], "reroute");
        EXPECT_GE(victim["recovery_ms"].get<double>(), victim["detection_ms"].get<double>());
        // One packet every 40 us was lost from the fault to the recovery, and only then.
        const double lost = victim["lost"].get<double>();
        EXPECT_EQ(victim["lost"], victim["dropped_by_fault"]);
        EXPECT_NEAR(lost, victim["recovery_ms"].get<double>() / 0.04, 2.0);
        EXPECT_EQ(r["flows"]["victim"]["lost"], victim["lost"]);
        // Re-selection keeps the tunnel on uplink 0 (stream 0, via spine1, lives); moving the
        // tunnel leaves it, since a dead path makes uplink 0 DOWN for it.
        const auto live = r["monitoring"]["tunnels"]["host0->host3"]["uplinks"][0]["paths"];
        EXPECT_EQ(live[0]["status"], "up");
        EXPECT_EQ(live[1]["status"], "down");
    }
}

TEST(FaultBlame, CoreLinkFaultOffTheDataPathIsNoFlowHitAndItsFailoverUnneeded)
{
    Json r = Blackhole({{"faults.0.target", "leaf0-spine1"}, {"faults.0.direction", "both"}});
    const Json& fault = r["faults"][0];
    EXPECT_EQ(fault["verdict"], "no-flow-hit");
    EXPECT_EQ(fault["hit_flows"], 0);
    EXPECT_TRUE(fault["detection_ms"].is_null());
    EXPECT_TRUE(fault["flows"].empty());
    EXPECT_EQ(r["flows"]["victim"]["lost"], 0);
    // host0's uplink-0 echoes do cross the dead link: a true DOWN, but of no data of host0's.
    ASSERT_EQ(fault["unaffected_host_reactions"].size(), 1u);
    const Json& reaction = fault["unaffected_host_reactions"][0];
    EXPECT_EQ(reaction["stream"], "host0/uplink0->host3");
    EXPECT_GE(reaction["ms_after_fault"].get<double>(), 100.0);
    EXPECT_LE(reaction["ms_after_fault"].get<double>(), 150.1);
    EXPECT_FALSE(reaction["failover_s"].is_null());
    EXPECT_EQ(fault["unneeded_failovers"], 1);
}

TEST(FaultBlame, LocalizationKeepsTheRemoteHostsProblemOffHost3sUplinks)
{
    for (const char* direction : {"forward", "both"})
    {
        SCOPED_TRACE(direction);
        Json r = Blackhole({{"monitoring.localize", "true"}, {"faults.0.direction", direction}});
        const Json& fault = r["faults"][0];
        // host0's own detection: the same instant as without localization (it hears every echo
        // of host3's on its healthy uplink, or none on the dead one when the fault is both ways).
        Json plain = Blackhole({{"faults.0.direction", direction}});
        EXPECT_EQ(fault["detected_s"], plain["faults"][0]["detected_s"]);
        EXPECT_EQ(fault["detected_by"], "host0/uplink0->host3");
        EXPECT_EQ(r["status_audit"]["false_positives"], 0);
        EXPECT_EQ(plain["status_audit"]["false_positives"], 2);
        bool host0Local = false;
        uint32_t host3Remote = 0;
        for (const Json& l : r["monitoring"]["localizations"])
        {
            if (l["host"] == "host0")
            {
                EXPECT_EQ(l["locus"], "local-uplink");
                host0Local = true;
            }
            else
            {
                EXPECT_EQ(l["locus"], "remote-host");
                host3Remote++;
            }
        }
        EXPECT_TRUE(host0Local);
        EXPECT_GE(host3Remote, 2u); // both of host3's streams
    }
}

TEST(FaultBlame, LocalizationWithFourUplinksKeepsHost3sUplinksUpAndHost0sDetections)
{
    // Racks of four leaves: each of host3's uplinks hears only some of host0's streams, so the
    // evidence that its own downlink still works is where our replies came in, not any packet.
    for (const char* seed : {"1", "2", "4"})
    {
        SCOPED_TRACE(seed);
        auto run = [&](bool localize) {
            return RunScenario(
                       LoadScenarioFile(
                           SCENARIOS + "four-uplink-host.yaml",
                           {{"seed", seed}, {"monitoring.localize", localize ? "true" : "false"}}))
                .results;
        };
        const Json plain = run(false);
        const Json localized = run(true);
        EXPECT_GT(plain["status_audit"]["false_positives"].get<int>(), 0);
        EXPECT_EQ(localized["status_audit"]["false_positives"], 0);
        for (int f : {0, 1})
        {
            // host0's own detections are the same instants, true DOWNs on the cut uplinks.
            EXPECT_EQ(localized["faults"][f]["detection_ms"], plain["faults"][f]["detection_ms"]);
            EXPECT_EQ(localized["faults"][f]["detected_by"],
                      fmt::format("host0/uplink{}->host3", f));
        }
        EXPECT_EQ(localized["status_audit"]["true_downs"], 2);
    }
}

TEST(FaultBlame, TheCostEstimateCountsOneLedgerRecordPerFaultAndFlow)
{
    ScenarioConfig one = LoadScenarioFile(SCENARIOS + "monitored-silent-blackhole.yaml");
    ScenarioConfig many = one;
    many.faults.assign(100, one.faults[0]);
    many.traffic.assign(3, one.traffic[0]);
    one.traffic.assign(3, one.traffic[0]);
    // Only the faults differ: 99 more faults x 3 flows x one record each.
    EXPECT_DOUBLE_EQ(EstimateScenario(many).memoryBytes - EstimateScenario(one).memoryBytes,
                     99.0 * 3.0 * sizeof(FlowLedger::FlowFaultRecord));
    EXPECT_EQ(EstimateScenario(many).events, EstimateScenario(one).events);
}
