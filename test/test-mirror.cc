// Tests of the mirror sessions (seed 003): every packet of a mirrored port reaches each monitor VM
// once, in order, while the mirrored flow's statistics do not change (Figs. 2 and 6); unicast
// head-end replication makes one copy per remote VTEP, each crossing the hops to its host, while
// multicast sends one copy that the underlay replicates once per leaf with members; a link failure
// cuts a leaf off the multicast tree until routing rebuilds it; a burst faster than the worker
// overflows the mirrored-packet list, and every clone is delivered or counted as dropped; the
// copies on the wire (GENEVE with the mirror VNI around the original frame) and the IGMP reports
// decode in tshark without a malformed frame.
#include "scenario-loader.h"
#include "scenario-runner.h"
#include "shell-capture.h"

#include <algorithm>
#include <filesystem>
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <string>
#include <vector>

using namespace ns3;
using Json = nlohmann::ordered_json;

namespace
{

const std::string SCENARIOS = std::string(OVERLAY_FABRIC_SOURCE_DIR) + "/scenarios/";
const std::string FIG6 = SCENARIOS + "mirror-unicast-fig6.yaml";
const std::string FIG2 = SCENARIOS + "mirror-multicast-fig2.yaml";

/// \return \p config's results, with its pcaps (if any) written to \p dir
Json
ResultsOf(const ScenarioConfig& config, const std::string& dir = "")
{
    RunOptions options;
    if (!dir.empty())
    {
        std::filesystem::remove_all(dir);
        options.outDir = dir;
    }
    return RunScenario(config, options).results;
}

/**
 * host0/vm0 on VNI 5002 sends \p rate of 1000-byte payloads to host2/vm0 from 10 ms to 20 ms;
 * its transmitted frames are mirrored to one monitor on each of \p monitorHosts (VNI 5001).
 */
std::string
OneWayYaml(const std::vector<int>& monitorHosts, const std::string& rate, const std::string& extra)
{
    std::string monitors;
    for (int h : monitorHosts)
    {
        monitors += fmt::format("{}host{}/vm0", monitors.empty() ? "" : ", ", h);
    }
    return fmt::format(R"(name: mirror-test
duration: 40ms
fabric: {{spines: 2, racks: 4, hosts_per_rack: 4}}
overlay:
  segments:
    - {{vni: 5002, vms: [host0/vm0, host2/vm0]}}
    - {{vni: 5001, vms: [{}]}}
mirrors:
  - {{name: m, vni: 5001, ports: [host0/vm0], direction: tx, monitors: [{}]{}}}
traffic:
  - {{name: f, from: host0/vm0, to: host2/vm0, rate: {}, size: 1000, start: 10ms, stop: 20ms}}
)",
                       monitors,
                       monitors,
                       extra,
                       rate);
}

uint64_t
U(const Json& j)
{
    return j.get<uint64_t>();
}

} // namespace

TEST(MirrorUnicast, Fig6EveryPacketReachesBothMonitorsOnceAndTheFlowsAreUnchanged)
{
    ScenarioConfig config = LoadScenarioFile(FIG6);
    const Json mirrored = ResultsOf(config);
    config.mirrors.clear();
    config.expect.clear(); // its bounds are on the mirrors
    const Json plain = ResultsOf(config);

    EXPECT_EQ(mirrored["flows"], plain["flows"]) << "the originals go on unchanged";
    const Json& s = mirrored["mirrors"][0];
    // 499 data packets each way + host0/vm0's ARP request and the reply handed to it.
    const uint64_t sent = U(mirrored["flows"]["to-643"]["sent"]);
    ASSERT_EQ(sent, 499u);
    EXPECT_EQ(U(s["mirrored_packets"]), 2 * sent + 2);
    for (const Json& m : s["monitors"])
    {
        EXPECT_EQ(U(m["delivered_packets"]), 2 * sent + 2) << m["vm"];
        EXPECT_EQ(U(m["received_side"]), sent + 1) << m["vm"];
        EXPECT_EQ(U(m["transmitted_side"]), sent + 1) << m["vm"];
        EXPECT_EQ(U(m["duplicates"]), 0u);
        EXPECT_EQ(U(m["reordered"]), 0u);
        EXPECT_EQ(U(m["missing"]), 0u);
        EXPECT_EQ(U(m["delivered_bytes"]), U(s["mirrored_bytes"]));
    }
    // One copy to each other VTEP of the overlay (host1, host2, host3); host2 has no monitor.
    EXPECT_EQ(U(s["lists"][0]["copies_per_packet"]), 3u);
    EXPECT_EQ(U(s["copies_sent"]), 3 * U(s["mirrored_packets"]));
    EXPECT_EQ(U(s["copies_no_monitor"]), U(s["mirrored_packets"]));
    EXPECT_EQ(U(mirrored["totals"]["dropped_all_packets"]["no_monitor"]), U(s["mirrored_packets"]));
    // host1 shares host0's leaf: 2 hops; host2 and host3 are in the other rack: 4 hops.
    const uint64_t n = U(s["mirrored_packets"]);
    const Json& tiers = s["underlay_frames_by_tier"];
    EXPECT_EQ(U(tiers["host_to_leaf"]), 3 * n);
    EXPECT_EQ(U(tiers["leaf_to_spine"]), 2 * n);
    EXPECT_EQ(U(tiers["spine_to_leaf"]), 2 * n);
    EXPECT_EQ(U(tiers["leaf_to_host"]), 3 * n);
    // Each copy carries the 50 bytes of outer Ethernet, IPv4, UDP and GENEVE around the frame.
    EXPECT_EQ(U(s["underlay_bytes"]), 10 * (U(s["mirrored_bytes"]) + 50 * n));
    // The first copy leaves 1 us (CopyTime) after the clone, the third 3 us.
    EXPECT_GE(s["monitors"][0]["latency_ms"]["min"].get<double>(), 0.003);
    EXPECT_GE(s["monitors"][1]["latency_ms"]["min"].get<double>(), 0.007);
}

TEST(MirrorUnicast, CopiesOnTheWireGrowWithTheRemoteVteps)
{
    // Monitors in racks 1, 2 and 3 (4 hosts a rack): every copy crosses a spine.
    const std::vector<std::vector<int>> monitorSets = {{4}, {4, 8}, {4, 8, 12, 13}};
    for (const std::vector<int>& hosts : monitorSets)
    {
        ScenarioConfig config =
            LoadScenarioString(OneWayYaml(hosts, "80Mbps", ", unicast_to: monitors"), "test.yaml");
        const Json r = ResultsOf(config);
        const Json& s = r["mirrors"][0];
        const uint64_t n = U(s["mirrored_packets"]);
        const uint64_t k = hosts.size();
        ASSERT_EQ(n, U(r["flows"]["f"]["sent"]) + 1) << "the data packets and one ARP request";
        EXPECT_EQ(U(s["lists"][0]["copies_per_packet"]), k);
        EXPECT_EQ(U(s["underlay_frames_by_tier"]["host_to_leaf"]), k * n);
        EXPECT_EQ(U(s["underlay_frames"]), 4 * k * n);
        EXPECT_EQ(U(s["copies_no_monitor"]), 0u);
        for (const Json& m : s["monitors"])
        {
            EXPECT_EQ(U(m["delivered_packets"]), n) << m["vm"];
        }
    }
}

TEST(MirrorList, ABurstAboveTheWorkersRateOverflowsAndEveryCloneIsAccountedFor)
{
    // 800 Mb/s of 1000-byte payloads: a clone every 10 us for 10 ms; 2 copies of 20 us each:
    // the worker finishes a clone every 40 us, a quarter of them.
    ScenarioConfig config = LoadScenarioString(
        OneWayYaml({4, 8}, "800Mbps", ", unicast_to: monitors, list_length: 16, copy_time: 20us"),
        "test.yaml");
    const Json r = ResultsOf(config);
    const Json& s = r["mirrors"][0];
    const uint64_t cloned = U(s["mirrored_packets"]);
    const uint64_t overflowed = U(s["list_overflowed"]);
    const uint64_t sent = U(r["flows"]["f"]["sent"]);
    ASSERT_EQ(cloned, sent + 1);
    EXPECT_EQ(U(s["lists"][0]["peak_length"]), 16u);
    EXPECT_EQ(U(s["queued_at_end"]), 0u) << "the list drains after the burst";
    // Clones that found room: those the worker finished while the burst lasted (10 ms / 40 us,
    // give or take the one in progress), plus the 16 waiting when it ended.
    const uint64_t listed = cloned - overflowed;
    EXPECT_GE(listed, 250u + 16u - 2u);
    EXPECT_LE(listed, 250u + 16u + 2u);
    EXPECT_EQ(U(s["copies_sent"]), 2 * listed);
    for (const Json& m : s["monitors"])
    {
        const uint64_t delivered = U(m["delivered_packets"]);
        EXPECT_EQ(delivered, listed) << m["vm"];
        EXPECT_EQ(U(m["dropped"]["mirror_list_overflow"]), overflowed);
        EXPECT_EQ(delivered + overflowed + U(m["missing"]), cloned)
            << "mirrored = delivered + dropped";
        EXPECT_EQ(U(m["missing"]), 0u);
    }
    EXPECT_EQ(U(r["flows"]["f"]["lost"]), 0u) << "the original flow loses nothing";
}

TEST(MirrorPcap, CopiesAreGeneveWithTheMirrorVniAroundTheOriginalFrame)
{
    if (Capture("command -v tshark").empty())
    {
        GTEST_SKIP() << "tshark not installed (scripts/setup.sh installs it)";
    }
    ScenarioConfig config = LoadScenarioFile(FIG6);
    config.pcapPorts = {"host3/uplink0", "host3/uplink1"};
    const std::string dir = std::string(OVERLAY_FABRIC_BINARY_DIR) + "/test-out/mirror-pcap";
    const Json r = ResultsOf(config, dir);
    const uint64_t mirrored = U(r["mirrors"][0]["mirrored_packets"]);
    std::vector<std::string> lines;
    for (const auto& e : std::filesystem::directory_iterator(dir))
    {
        if (e.path().extension() != ".pcap")
        {
            continue;
        }
        const std::string pcap = e.path().string();
        // The leaf's frames to host3 are the pcap's received side: copies and nothing else.
        for (const std::string& l : Lines(Capture(
                 "tshark -r '" + pcap +
                 "' -T fields -E separator=';' -e geneve.vni -e ip.src -e ip.dst -e eth.src "
                 "-e eth.type 2>/dev/null")))
        {
            lines.push_back(l);
        }
        const std::string malformed =
            Capture("tshark -r '" + pcap +
                    "' -Y '_ws.malformed || _ws.expert.severity >= warning' 2>/dev/null");
        EXPECT_TRUE(Lines(malformed).empty()) << pcap << ":\n" << malformed;
    }
    ASSERT_EQ(lines.size(), mirrored) << "every mirrored packet once on host3's uplinks";
    uint64_t receivedByVm = 0;
    uint64_t sentByVm = 0;
    for (const std::string& l : lines)
    {
        // VNI 5001 = 0x001389; outer IPv4 host0's VTEP (10.1.0.1) to host3's (10.1.0.4)
        ASSERT_EQ(l.rfind("0x001389;10.1.0.1", 0), 0u) << l;
        EXPECT_NE(l.find(";10.1.0.4"), std::string::npos) << l;
        // inner Ethernet source: host0/vm0 (02:00:00:00:00:00) or host2/vm0 (...:01)
        if (l.find(",02:00:00:00:00:00;") != std::string::npos)
        {
            ++sentByVm;
        }
        else if (l.find(",02:00:00:00:00:01;") != std::string::npos)
        {
            ++receivedByVm;
        }
    }
    EXPECT_EQ(sentByVm, mirrored / 2) << "host0/vm0's frames: its data and ARP request";
    EXPECT_EQ(receivedByVm, mirrored / 2) << "frames to host0/vm0: data and the ARP reply";
}

TEST(MirrorMulticast, Fig2EveryPacketReachesBothMonitorsOnceWithOneCopyPerLeaf)
{
    ScenarioConfig config = LoadScenarioFile(FIG2);
    config.pcapPorts.clear();
    const Json mirrored = ResultsOf(config);
    config.mirrors.clear();
    config.expect.clear();
    const Json plain = ResultsOf(config);

    EXPECT_EQ(mirrored["flows"], plain["flows"]) << "the originals go on unchanged";
    const Json& s = mirrored["mirrors"][0];
    const uint64_t n = U(s["mirrored_packets"]);
    ASSERT_EQ(n, 2 * U(mirrored["flows"]["to-243"]["sent"]) + 2);
    EXPECT_EQ(U(s["copies_sent"]), n) << "one copy a packet, to 239.0.0.1";
    EXPECT_EQ(U(s["igmp_reports"]), 2u) << "host1 and host3 join once each";
    EXPECT_EQ(U(s["copies_no_monitor"]), 0u) << "host2 never joined: it gets nothing";
    for (const Json& m : s["monitors"])
    {
        EXPECT_EQ(U(m["delivered_packets"]), n) << m["vm"];
        EXPECT_EQ(U(m["duplicates"]), 0u) << m["vm"];
        EXPECT_EQ(U(m["reordered"]), 0u) << m["vm"];
    }
    // host0 -> its leaf; the leaf -> host1 and up to the root spine; the spine -> host3's leaf ->
    // host3.
    const Json& tiers = s["underlay_frames_by_tier"];
    EXPECT_EQ(U(tiers["host_to_leaf"]), n);
    EXPECT_EQ(U(tiers["leaf_to_spine"]), n);
    EXPECT_EQ(U(tiers["spine_to_leaf"]), n);
    EXPECT_EQ(U(tiers["leaf_to_host"]), 2 * n);
    EXPECT_EQ(U(s["underlay_bytes"]), 5 * (U(s["mirrored_bytes"]) + 50 * n));
}

TEST(MirrorMulticast, CopiesPerLeafDoNotGrowWithTheMonitors)
{
    // (monitor hosts, leaves with members): racks of 4 hosts, one leaf each.
    const std::vector<std::pair<std::vector<int>, uint64_t>> cases = {{{4}, 1},
                                                                      {{4, 5, 6, 7}, 1},
                                                                      {{4, 8, 12}, 3},
                                                                      {{4, 5, 8, 9, 12, 13}, 3}};
    for (const auto& [hosts, leaves] : cases)
    {
        ScenarioConfig config =
            LoadScenarioString(OneWayYaml(hosts, "80Mbps", ", mode: multicast"), "test.yaml");
        const Json r = ResultsOf(config);
        const Json& s = r["mirrors"][0];
        const uint64_t n = U(s["mirrored_packets"]);
        const Json& tiers = s["underlay_frames_by_tier"];
        EXPECT_EQ(U(s["copies_sent"]), n);
        EXPECT_EQ(U(tiers["host_to_leaf"]), n);
        EXPECT_EQ(U(tiers["leaf_to_spine"]), n) << "one copy up to the root spine";
        EXPECT_EQ(U(tiers["spine_to_leaf"]), leaves * n) << hosts.size() << " monitors";
        EXPECT_EQ(U(tiers["leaf_to_host"]), hosts.size() * n);
        for (const Json& m : s["monitors"])
        {
            EXPECT_EQ(U(m["delivered_packets"]), n) << m["vm"];
        }
    }
}

TEST(MirrorMulticast, ALinkFailureCutsALeafOffTheTreeUntilRoutingRebuildsIt)
{
    const Json r = ResultsOf(LoadScenarioFile(SCENARIOS + "mirror-multicast-tree-rebuild.yaml"));
    const Json& s = r["mirrors"][0];
    const uint64_t n = U(s["mirrored_packets"]);
    // leaf2-spine0 down at 100 ms, routing converges 200 ms later: one copy every 100 us lost
    // to host3 in between, pruned at spine0 (nothing dropped on a link).
    EXPECT_EQ(U(s["copies_pruned"]), 2000u);
    EXPECT_EQ(s["copies_dropped"], Json::object());
    EXPECT_EQ(U(s["monitors"][0]["delivered_packets"]), n) << "host1 is below the sending leaf";
    EXPECT_EQ(U(s["monitors"][1]["delivered_packets"]), n - 2000);
    EXPECT_EQ(U(s["monitors"][1]["missing"]), 2000u);
    EXPECT_EQ(U(s["monitors"][1]["duplicates"]), 0u);
    EXPECT_DOUBLE_EQ(r["faults"][0]["routes_converged_s"].get<double>(), 0.3);
}

TEST(MirrorPcap, IgmpReportsOfTheMonitorsHostsAndTheirLeavesAndTheMulticastCopiesDecode)
{
    if (Capture("command -v tshark").empty())
    {
        GTEST_SKIP() << "tshark not installed (scripts/setup.sh installs it)";
    }
    ScenarioConfig config = LoadScenarioFile(FIG2);
    config.pcapPorts = {"host1/uplink0", "leaf0-spine0", "leaf0-spine1"};
    const std::string dir = std::string(OVERLAY_FABRIC_BINARY_DIR) + "/test-out/mirror-igmp";
    const Json r = ResultsOf(config, dir);
    const uint64_t n = U(r["mirrors"][0]["mirrored_packets"]);
    std::vector<std::string> igmp;
    std::vector<std::string> copies;
    for (const auto& e : std::filesystem::directory_iterator(dir))
    {
        if (e.path().extension() != ".pcap")
        {
            continue;
        }
        const std::string pcap = e.path().string();
        for (const std::string& l :
             Lines(Capture("tshark -r '" + pcap +
                           "' -Y igmp -T fields -E separator=';' -e ip.src -e ip.dst -e ip.ttl "
                           "-e igmp.version -e igmp.maddr -e igmp.record_type "
                           "-e igmp.checksum.status 2>/dev/null")))
        {
            igmp.push_back(l);
        }
        for (const std::string& l : Lines(Capture(
                 "tshark -r '" + pcap +
                 "' -Y 'ip.dst == 239.0.0.1' -T fields -E separator=';' -e eth.dst -e geneve.vni "
                 "2>/dev/null")))
        {
            copies.push_back(l);
        }
        const std::string malformed =
            Capture("tshark -r '" + pcap +
                    "' -Y '_ws.malformed || _ws.expert.severity >= warning' 2>/dev/null");
        EXPECT_TRUE(Lines(malformed).empty()) << pcap << ":\n" << malformed;
    }
    std::sort(igmp.begin(), igmp.end());
    // leaf0 proxies host1's membership to both spines (source 0.0.0.0); host1 (10.1.0.2) joins
    // on its uplink 0: IGMPv3, record 4 (CHANGE_TO_EXCLUDE {}: any source), good checksums.
    EXPECT_EQ(igmp,
              (std::vector<std::string>{"0.0.0.0;224.0.0.22;1;3;239.0.0.1;4;1",
                                        "0.0.0.0;224.0.0.22;1;3;239.0.0.1;4;1",
                                        "10.1.0.2;224.0.0.22;1;3;239.0.0.1;4;1"}));
    // Every copy once to host1 and once up to the root spine (on one of leaf0's spine links).
    ASSERT_EQ(copies.size(), 2 * n);
    for (const std::string& l : copies)
    {
        EXPECT_EQ(l.rfind("01:00:5e:00:00:01,", 0), 0u) << l;   // the group's MAC, outer
        EXPECT_NE(l.find(";0x001389"), std::string::npos) << l; // VNI 5001
    }
}
