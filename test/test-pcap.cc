// Pcap written by the module decodes in tshark: outer Ethernet/IPv4/UDP 6081/GENEVE with the
// scenario's VNI, inner Ethernet/IPv4/UDP to the flow's port, no malformed frames; the NSH of a
// service chain inside GENEVE and on the SVMs' vNICs, its SI decreasing hop by hop; the NIC
// offload's frames byte-identical to the software path's (1 us later: the NIC's pipeline); IGMP.
#include "igmp-header.h"
#include "scenario-loader.h"
#include "scenario-runner.h"
#include "shell-capture.h"

#include "ns3/ethernet-header.h"
#include "ns3/ipv4-header.h"
#include "ns3/trace-helper.h"

#include <array>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>
#include <map>
#include <set>
#include <sstream>

using namespace ns3;

namespace
{

ScenarioConfig
PcapConfig(Encapsulation encap)
{
    ScenarioConfig c;
    c.name = encap == Encapsulation::GENEVE ? "pcap-geneve" : "pcap-vxlan";
    c.duration = MilliSeconds(50);
    c.fabric.spines = 2;
    c.fabric.racks = 2;
    c.fabric.hostsPerRack = 2;
    c.overlay.encap = encap;
    c.overlay.policy = UplinkPolicy::CARRIER_ONLY;
    SegmentConfig seg;
    seg.vni = 7000;
    seg.vms = {"host0/vm0", "host2/vm0"};
    c.overlay.segments.push_back(seg);
    FlowConfig f;
    f.name = "probe";
    f.from = "host0/vm0";
    f.to = "host2/vm0";
    f.rate = DataRate("1Mbps");
    f.size = 500;
    f.start = MilliSeconds(10);
    f.dstPort = 7777;
    c.traffic.push_back(f);
    c.pcapPorts = {"host0/uplink0"};
    return c;
}

std::string
FindPcap(const std::string& dir)
{
    for (const auto& e : std::filesystem::directory_iterator(dir))
    {
        if (e.path().extension() == ".pcap")
        {
            return e.path().string();
        }
    }
    return "";
}

} // namespace

class PcapTshark : public ::testing::TestWithParam<Encapsulation>
{
};

TEST_P(PcapTshark, TsharkDecodesOuterAndInnerHeadersWithoutMalformedFrames)
{
    if (Capture("command -v tshark").empty())
    {
        GTEST_SKIP() << "tshark not installed (scripts/setup.sh installs it)";
    }
    Encapsulation encap = GetParam();
    ScenarioConfig c = PcapConfig(encap);
    std::string dir = std::string(OVERLAY_FABRIC_BINARY_DIR) + "/test-out/" + c.name;
    std::filesystem::remove_all(dir);
    auto run = RunScenario(c, RunOptions{dir});
    uint64_t delivered = run.results["flows"]["probe"]["delivered"];
    ASSERT_GT(delivered, 0u);
    std::string pcap = FindPcap(dir);
    ASSERT_FALSE(pcap.empty()) << "no pcap written in " << dir;

    const bool geneve = encap == Encapsulation::GENEVE;
    const std::string proto = geneve ? "geneve" : "vxlan";
    const std::string vniField = geneve ? "geneve.vni" : "vxlan.vni";
    std::string fields = Capture("tshark -r '" + pcap + "' -Y '" + proto +
                                 "' -T fields -E 'separator=;' -e udp.dstport -e " + vniField +
                                 " -e eth.src -e ip.dst 2>/dev/null");
    std::vector<std::string> lines = Lines(fields);
    // 1 Mb/s of 500-byte payloads from 10 ms to 50 ms: one every 4 ms, the first at 14 ms: 9
    // packets leave host0 on uplink 0 (carrier-only policy).
    ASSERT_EQ(lines.size(), 9u) << fields;
    // tshark shows the GENEVE VNI in hex, the VXLAN VNI in decimal: 7000 = 0x001b58.
    const std::string prefix = geneve ? "6081,7777;0x001b58;" : "4789,7777;7000;";
    for (const auto& l : lines)
    {
        // outer,inner UDP ports; VNI; outer,inner Ethernet source; outer,inner IPv4 destination
        EXPECT_EQ(l.rfind(prefix, 0), 0u) << l;
        EXPECT_NE(l.find(",02:00:00:00:00:00;"), std::string::npos) << l;  // VM MAC (seg 0, #0)
        EXPECT_NE(l.find(";10.1.0.3,10.128.0.2"), std::string::npos) << l; // host2 VTEP, its VM
    }
    std::string malformed =
        Capture("tshark -r '" + pcap +
                "' -Y '_ws.malformed || _ws.expert.severity >= warning' 2>/dev/null");
    EXPECT_TRUE(Lines(malformed).empty()) << malformed;
    if (geneve)
    {
        std::string bits = Capture("tshark -r '" + pcap +
                                   "' -Y geneve -T fields -e geneve.version -e geneve.flags.oam "
                                   "-e geneve.proto_type 2>/dev/null");
        for (const auto& l : Lines(bits))
        {
            EXPECT_EQ(l, "0\t0\t0x6558") << l; // version 0, O bit clear, TEB
        }
    }
}

INSTANTIATE_TEST_SUITE_P(Encapsulations,
                         PcapTshark,
                         ::testing::Values(Encapsulation::GENEVE, Encapsulation::VXLAN),
                         [](const auto& info) {
                             return info.param == Encapsulation::GENEVE ? std::string("Geneve")
                                                                        : std::string("Vxlan");
                         });

TEST(PcapTsharkOam, EchoAndBfdControlDecodeAsGeneveOamWithVniZero)
{
    if (Capture("command -v tshark").empty())
    {
        GTEST_SKIP() << "tshark not installed (scripts/setup.sh installs it)";
    }
    ScenarioConfig c = PcapConfig(Encapsulation::GENEVE);
    c.name = "pcap-oam";
    c.duration = MilliSeconds(2500);
    c.overlay.policy = UplinkPolicy::ACTIVE_STANDBY;
    c.monitoring.enabled = true;
    ApplyMonitoringPreset(c.monitoring, "frr-default");
    std::string dir = std::string(OVERLAY_FABRIC_BINARY_DIR) + "/test-out/" + c.name;
    std::filesystem::remove_all(dir);
    RunScenario(c, RunOptions{dir});
    std::string pcap = FindPcap(dir);
    ASSERT_FALSE(pcap.empty());
    // Every OAM frame: GENEVE O bit, VNI 0; inner BFD control on 3784 with TTL 255, or a BFD
    // echo on 3785 with TTL 1 addressed from and to the sender's VTEP.
    std::string oam = Capture("tshark -r '" + pcap +
                              "' -Y 'geneve.flags.oam == 1' -T fields -E 'separator=;' -e "
                              "geneve.vni -e udp.dstport -e ip.ttl -e ip.src -e ip.dst -e "
                              "bfd.version 2>/dev/null");
    std::vector<std::string> lines = Lines(oam);
    size_t control = 0;
    size_t echo = 0;
    for (const auto& l : lines)
    {
        EXPECT_EQ(l.rfind("0x000000;6081,", 0), 0u) << l;
        if (l.find("6081,3784;") != std::string::npos)
        {
            ++control;
            EXPECT_NE(l.find(",255;"), std::string::npos) << l; // inner TTL 255
            EXPECT_EQ(l.substr(l.size() - 2), ";1") << l;       // BFD version 1
        }
        else if (l.find("6081,3785;") != std::string::npos)
        {
            ++echo;
            EXPECT_NE(l.find(",1;"), std::string::npos) << l; // inner TTL 1
        }
        else
        {
            ADD_FAILURE() << "unexpected OAM frame " << l;
        }
    }
    EXPECT_GE(control, 4u); // bring-up and Up packets both ways
    EXPECT_GE(echo, 4u);    // echoes sent on uplink 0 and replies arriving on it
    // What leaves host0 (10.1.0.1) for host2 (10.1.0.3) on port 3785: host0's own echoes
    // (inner from and to itself) and host2's echoes looped back unchanged (inner from and to
    // host2) -- outer source, inner source / outer destination, inner destination.
    std::string sent = Capture("tshark -r '" + pcap +
                               "' -Y 'udp.dstport == 3785 && ip.src == 10.1.0.1 && "
                               "ip.dst == 10.1.0.3' -T fields -e ip.src -e ip.dst 2>/dev/null");
    const std::string ownEcho = "10.1.0.1,10.1.0.1\t10.1.0.3,10.1.0.1";
    const std::string loopback = "10.1.0.1,10.1.0.3\t10.1.0.3,10.1.0.3";
    std::map<std::string, size_t> kinds;
    for (const auto& l : Lines(sent))
    {
        EXPECT_TRUE(l == ownEcho || l == loopback) << l;
        kinds[l]++;
    }
    EXPECT_GT(kinds[ownEcho], 0u);
    EXPECT_GT(kinds[loopback], 0u);
    std::string malformed = Capture("tshark -r '" + pcap +
                                    "' -Y '_ws.malformed || _ws.expert.severity >= warning' "
                                    "2>/dev/null");
    EXPECT_TRUE(Lines(malformed).empty()) << malformed;
}

/// One record of a pcap file: its time and its bytes.
struct PcapRecord
{
    int64_t timeNs;   //!< capture time
    std::string data; //!< the frame
};

/// \return the records of the classic pcap file \p bytes (microsecond or nanosecond magic)
std::vector<PcapRecord>
PcapRecords(const std::string& bytes)
{
    auto u32 = [&bytes](size_t at) {
        uint32_t v = 0;
        std::memcpy(&v, bytes.data() + at, 4);
        return v;
    };
    std::vector<PcapRecord> records;
    if (bytes.size() < 24)
    {
        return records;
    }
    const int64_t fractionNs = u32(0) == 0xa1b23c4du ? 1 : 1000;
    for (size_t at = 24; at + 16 <= bytes.size();)
    {
        const uint32_t length = u32(at + 8);
        records.push_back({int64_t{u32(at)} * 1000000000 + int64_t{u32(at + 4)} * fractionNs,
                           bytes.substr(at + 16, length)});
        at += 16 + length;
    }
    return records;
}

/// \return \p decoded (tshark -V) without its lines of times
std::string
WithoutTimes(const std::string& decoded)
{
    std::string out;
    for (const std::string& line : Lines(decoded))
    {
        if (line.find("Time") == std::string::npos)
        {
            out += line + "\n";
        }
    }
    return out;
}

/// What the NIC encapsulates is what the software encapsulates: the same scenario with offload
/// on every host captures byte-identical frames (both directions of host0's uplinks: the NIC
/// encapsulates what leaves, decapsulates what arrives), each exactly the pipeline latency later,
/// which tshark decodes identically but for the times and without a malformed frame; every data
/// frame that left host0 was encapsulated by its NIC.
class PcapOffload : public ::testing::TestWithParam<Encapsulation>
{
};

TEST_P(PcapOffload, NicEncapsulatedFramesAreByteIdenticalToSoftwareOnesAndDecodeTheSame)
{
    if (Capture("command -v tshark").empty())
    {
        GTEST_SKIP() << "tshark not installed (scripts/setup.sh installs it)";
    }
    std::map<bool, std::vector<std::string>> decoded; // offload -> per file: tshark -V
    std::map<bool, std::vector<std::string>> bytes;   // offload -> per file: the pcap's bytes
    for (bool offload : {false, true})
    {
        ScenarioConfig c = PcapConfig(GetParam());
        c.name += offload ? "-offload" : "-software";
        FlowConfig back = c.traffic[0];
        back.name = "back";
        std::swap(back.from, back.to);
        c.traffic.push_back(back);
        c.pcapPorts = {"host0/uplink0", "host0/uplink1", "host2/uplink0"};
        c.offload.enabled = offload;
        std::string dir = std::string(OVERLAY_FABRIC_BINARY_DIR) + "/test-out/" + c.name;
        std::filesystem::remove_all(dir);
        ScenarioRun run = RunScenario(c, RunOptions{dir});
        ASSERT_EQ(run.results["flows"]["probe"]["delivered"], 9u);
        ASSERT_EQ(run.results["flows"]["back"]["delivered"], 9u);
        if (offload)
        {
            const auto& host0 = run.results["offload"]["hosts"]["host0"];
            EXPECT_EQ(host0["tagged"], 9u);
            EXPECT_EQ(host0["nics"][0]["encapsulated"], 9u);
            EXPECT_EQ(host0["nics"][0]["misses"], 0u);
            EXPECT_EQ(host0["nics"][0]["decapsulated"], 9u); // carrier-only: uplink 0 both ways
            EXPECT_EQ(host0["learned"], 0u) << "the controller programmed both VMs";
        }
        for (const auto& [port, file] : run.pcapFiles)
        {
            std::ifstream in(file, std::ios::binary);
            bytes[offload].emplace_back(std::istreambuf_iterator<char>(in),
                                        std::istreambuf_iterator<char>());
            decoded[offload].push_back(Capture("tshark -r '" + file + "' -V 2>/dev/null"));
            std::string malformed =
                Capture("tshark -r '" + file +
                        "' -Y '_ws.malformed || _ws.expert.severity >= warning' 2>/dev/null");
            EXPECT_TRUE(Lines(malformed).empty()) << file << ": " << malformed;
        }
    }
    ASSERT_EQ(bytes[true].size(), 3u);
    ASSERT_GT(bytes[false][0].size(), 24u + 18u * 16u) << "18 frames on host0/uplink0";
    for (size_t i = 0; i < bytes[true].size(); ++i)
    {
        const std::vector<PcapRecord> nic = PcapRecords(bytes[true][i]);
        const std::vector<PcapRecord> software = PcapRecords(bytes[false][i]);
        ASSERT_EQ(nic.size(), software.size()) << "capture " << i;
        for (size_t r = 0; r < nic.size(); ++r)
        {
            EXPECT_EQ(nic[r].data, software[r].data) << "capture " << i << " frame " << r;
            // Every frame on the wire left a NIC's pipeline (offload.pipeline_latency, 1 us).
            EXPECT_EQ(nic[r].timeNs - software[r].timeNs, 1000)
                << "capture " << i << " frame " << r;
        }
        EXPECT_EQ(WithoutTimes(decoded[true][i]), WithoutTimes(decoded[false][i]))
            << "capture " << i;
    }
}

INSTANTIATE_TEST_SUITE_P(Encapsulations,
                         PcapOffload,
                         ::testing::Values(Encapsulation::GENEVE, Encapsulation::VXLAN),
                         [](const auto& info) {
                             return info.param == Encapsulation::GENEVE ? std::string("Geneve")
                                                                        : std::string("Vxlan");
                         });

/// tshark decodes every frame of every capture without a malformed one; between hosts the NSH
/// rides in GENEVE (protocol type 0x894F) with SPI 1 and the next SVM's SI (2 from host0, 1 from
/// host1); on the vNICs each data packet (inner IP ID) reaches SVM1 with SI 3, then SVM2 with SI
/// 2, then SVM3 with SI 1, in that order in time; queries carry the PING bit and the answers the
/// reply bit with the same 6-bit sequence, and the source VTEP and segment in the context.
TEST(PcapTsharkNsh, NshDecodesInGeneveAndOnSvmVnicsWithSiDecreasingHopByHop)
{
    if (Capture("command -v tshark").empty())
    {
        GTEST_SKIP() << "tshark not installed (scripts/setup.sh installs it)";
    }
    ScenarioConfig c =
        LoadScenarioFile(std::string(OVERLAY_FABRIC_SOURCE_DIR) + "/scenarios/pcap-nsh.yaml");
    const std::string dir = std::string(OVERLAY_FABRIC_BINARY_DIR) + "/test-out/" + c.name;
    std::filesystem::remove_all(dir);
    ScenarioRun run = RunScenario(c, RunOptions{dir});
    std::map<std::string, std::string> fileOf(run.pcapFiles.begin(), run.pcapFiles.end());
    ASSERT_EQ(fileOf.size(), 8u) << "4 uplinks and 4 SVM vNICs";
    for (const auto& [port, file] : fileOf)
    {
        SCOPED_TRACE(port);
        std::string malformed = Capture("tshark -r '" + file +
                                        "' -Y '_ws.malformed || _ws.expert.severity >= warning' "
                                        "2>/dev/null");
        EXPECT_TRUE(Lines(malformed).empty()) << malformed;
    }
    // Between hosts: GENEVE protocol type NSH, SPI 1, the SI of the SVM the packet goes to, in
    // what each host sends (its VTEP the outer source; the captures also hold what it receives).
    const std::map<std::string, std::pair<std::string, std::string>> sent{
        {"host0", {"10.1.0.1", "2"}},
        {"host1", {"10.1.0.2", "1"}}};
    for (const auto& [host, vtepAndSi] : sent)
    {
        const auto& [vtep, si] = vtepAndSi;
        size_t frames = 0;
        for (const char* uplink : {"/uplink0", "/uplink1"})
        {
            for (const std::string& l : Lines(
                     Capture("tshark -r '" + fileOf.at(host + uplink) + "' -Y 'ip.src == " + vtep +
                             "' -T fields -E separator=';' -e geneve.proto_type -e nsh.spi -e "
                             "nsh.si -e nsh.nextproto 2>/dev/null")))
            {
                EXPECT_EQ(l, "0x894f;1;" + si + ";3") << host << uplink;
                ++frames;
            }
        }
        EXPECT_GE(frames, 70u) << host;
    }
    // On the vNICs: per data packet (inner IP ID), the time it reached each SVM and with which SI.
    std::map<std::string, std::map<std::string, std::pair<double, std::string>>> arrivals;
    const std::map<std::string, std::string> macOf{{"svm1", "02:53:56:56:00:00"},
                                                   {"svm2", "02:53:56:56:00:01"},
                                                   {"svm3", "02:53:56:56:00:02"}};
    for (const auto& [svm, mac] : macOf)
    {
        size_t queries = 0;
        for (const std::string& l :
             Lines(Capture("tshark -r '" + fileOf.at(svm) + "' -Y 'eth.dst == " + mac +
                           " && nsh.nextproto == 3' -T fields -E separator=';' -e "
                           "frame.time_epoch -e nsh.spi -e nsh.si -e ip.id -e "
                           "nsh.contextheader 2>/dev/null")))
        {
            std::vector<std::string> f;
            std::stringstream in(l);
            for (std::string x; std::getline(in, x, ';');)
            {
                f.push_back(x);
            }
            ASSERT_EQ(f.size(), 5u) << l;
            EXPECT_EQ(f[1], "1") << l;
            arrivals[f[3]][svm] = {std::stod(f[0]), f[2]};
            // Context: PING bit (0x80) and sequence, source VTEP 10.1.0.1, segment 5000.
            EXPECT_EQ(f[4].substr(8), ",0a010001,00001388,00000000") << l;
            queries +=
                (std::stoul(f[4].substr(0, 2), nullptr, 16) & 0xc0) == 0x80 /* PING */ ? 1 : 0;
        }
        EXPECT_GE(queries, 4u) << svm << ": in-band queries, one per 50 ms";
    }
    ASSERT_GE(arrivals.size(), 70u);
    for (const auto& [id, at] : arrivals)
    {
        ASSERT_EQ(at.size(), 3u) << "IP ID " << id;
        EXPECT_EQ(at.at("svm1").second, "3");
        EXPECT_EQ(at.at("svm2").second, "2");
        EXPECT_EQ(at.at("svm3").second, "1");
        EXPECT_LT(at.at("svm1").first, at.at("svm2").first) << "IP ID " << id;
        EXPECT_LT(at.at("svm2").first, at.at("svm3").first) << "IP ID " << id;
    }
    // Every answer the SVMs sent carries the reply bit and the sequence of a query they got.
    for (const char* svm : {"svm1", "svm2", "svm3", "svm4"})
    {
        std::set<std::string> asked;
        std::set<std::string> answered;
        for (const std::string& l : Lines(Capture("tshark -r '" + fileOf.at(svm) +
                                                  "' -T fields -e nsh.contextheader 2>/dev/null")))
        {
            const unsigned first = std::stoul(l.substr(0, 2), nullptr, 16);
            if ((first & 0xc0) == 0x80 /* PING */)
            {
                asked.insert(std::to_string(first & 0x3f));
            }
            if ((first & 0xc0) == 0x40 /* reply */)
            {
                answered.insert(std::to_string(first & 0x3f));
            }
        }
        EXPECT_FALSE(answered.empty()) << svm;
        EXPECT_EQ(asked, answered) << svm;
    }
}

/// What a VF's NIC encapsulates decodes as the PF's does (seed 002 Figs. 12-13): host0/vm0 on an
/// SR-IOV VF with source port 50000. Its ARP request leaves in the tunnel (inner ARP to the
/// broadcast MAC, nothing suppresses it), then its 9 datagrams,
/// each with the same layers as when its virtual switch tags them for the NIC, the VF's VNI and the
/// VF's source port; no malformed frame either way.
TEST_P(PcapTshark, AVfsFramesDecodeAsThePfsWithTheVfsVniAndSourcePort)
{
    if (Capture("command -v tshark").empty())
    {
        GTEST_SKIP() << "tshark not installed (scripts/setup.sh installs it)";
    }
    const Encapsulation encap = GetParam();
    const bool geneve = encap == Encapsulation::GENEVE;
    const std::string proto = geneve ? "geneve" : "vxlan";
    std::map<bool, std::vector<std::string>> layers; // VF -> per data frame: frame.protocols
    for (bool vf : {false, true})
    {
        ScenarioConfig c = PcapConfig(encap);
        c.name += vf ? "-vf" : "-pf";
        c.offload.enabled = true;
        if (vf)
        {
            VfConfig f;
            f.vm = "host0/vm0";
            f.sourcePort = 50000;
            c.vfs.push_back(f);
        }
        const std::string dir = std::string(OVERLAY_FABRIC_BINARY_DIR) + "/test-out/" + c.name;
        std::filesystem::remove_all(dir);
        ScenarioRun run = RunScenario(c, RunOptions{dir});
        ASSERT_EQ(run.results["flows"]["probe"]["delivered"], 9u);
        const std::string pcap = FindPcap(dir);
        ASSERT_FALSE(pcap.empty()) << "no pcap written in " << dir;
        const std::string malformed =
            Capture("tshark -r '" + pcap +
                    "' -Y '_ws.malformed || _ws.expert.severity >= warning' 2>/dev/null");
        EXPECT_TRUE(Lines(malformed).empty()) << malformed;
        const std::vector<std::string> data =
            Lines(Capture("tshark -r '" + pcap + "' -Y '" + proto +
                          " && !arp' -T fields -e frame.protocols -e udp.srcport 2>/dev/null"));
        ASSERT_EQ(data.size(), 9u);
        for (const std::string& l : data)
        {
            layers[vf].push_back(l.substr(0, l.find('\t')));
            if (vf)
            {
                EXPECT_EQ(l.substr(l.find('\t') + 1, 6), "50000,") << l;
            }
        }
        const std::vector<std::string> arp =
            Lines(Capture("tshark -r '" + pcap + "' -Y '" + proto +
                          " && arp.opcode == 1' -T fields -e eth.dst -e ip.dst 2>/dev/null"));
        if (vf)
        {
            ASSERT_EQ(arp.size(), 1u) << "the VF's ARP request, to host2's VTEP";
            // outer,inner Ethernet destination (the leaf port, broadcast); the outer IP one
            EXPECT_NE(arp[0].find(",ff:ff:ff:ff:ff:ff\t10.1.0.3"), std::string::npos) << arp[0];
        }
        else
        {
            EXPECT_TRUE(arp.empty()) << "the virtual switch answers ARP";
        }
    }
    EXPECT_EQ(layers[true], layers[false]);
}

/// tshark decodes the IGMP messages the module writes (RFC 2236, RFC 3376): a v3 report with
/// two group records and a v2 leave, each in IPv4 (protocol 2, TTL 1) in Ethernet to the IPv4
/// multicast MAC of its destination, with a right checksum and no malformed frame.
TEST(PcapTsharkIgmp, ReportsAndLeavesDecodeWithTheirGroupsAndAGoodChecksum)
{
    if (Capture("command -v tshark").empty())
    {
        GTEST_SKIP() << "tshark not installed (scripts/setup.sh installs it)";
    }
    const std::string dir = std::string(OVERLAY_FABRIC_BINARY_DIR) + "/test-out/igmp";
    std::filesystem::create_directories(dir);
    const std::string pcap = dir + "/igmp.pcap";
    PcapHelper helper;
    Ptr<PcapFileWrapper> file = helper.CreateFile(pcap, std::ios::out, PcapHelper::DLT_EN10MB);
    auto write = [&file](const IgmpHeader& igmp, Ipv4Address dst, const char* dstMac) {
        Ptr<Packet> p = Create<Packet>();
        p->AddHeader(igmp);
        Ipv4Header ip;
        ip.SetSource(Ipv4Address("10.1.0.1"));
        ip.SetDestination(dst);
        ip.SetProtocol(2);
        ip.SetTtl(1);
        ip.SetPayloadSize(igmp.GetSerializedSize());
        ip.EnableChecksum();
        p->AddHeader(ip);
        EthernetHeader eth;
        eth.SetSource(Mac48Address("02:00:00:00:00:01"));
        eth.SetDestination(Mac48Address(dstMac));
        eth.SetLengthType(0x0800);
        p->AddHeader(eth);
        file->Write(Seconds(0), p);
    };
    write(IgmpHeader::V3Report(
              {{IgmpHeader::CHANGE_TO_EXCLUDE_MODE, Ipv4Address("239.0.0.1"), {}},
               {IgmpHeader::MODE_IS_INCLUDE, Ipv4Address("239.1.2.3"), {Ipv4Address("10.1.0.3")}}}),
          Ipv4Address("224.0.0.22"),
          "01:00:5e:00:00:16");
    write(IgmpHeader::V2(IgmpHeader::LEAVE_GROUP, Ipv4Address("239.0.0.1")),
          Ipv4Address("224.0.0.2"),
          "01:00:5e:00:00:02");
    file->Close();

    const std::vector<std::string> lines =
        Lines(Capture("tshark -r '" + pcap +
                      "' -T fields -E 'separator=;' -e "
                      "igmp.version -e igmp.type -e igmp.maddr -e igmp.checksum.status "
                      "2>/dev/null"));
    ASSERT_EQ(lines.size(), 2u);
    EXPECT_EQ(lines[0], "3;0x22;239.0.0.1,239.1.2.3;1") << lines[0];
    EXPECT_EQ(lines[1], "2;0x17;239.0.0.1;1") << lines[1];
    const std::string malformed =
        Capture("tshark -r '" + pcap +
                "' -Y '_ws.malformed || _ws.expert.severity >= warning' 2>/dev/null");
    EXPECT_TRUE(Lines(malformed).empty()) << malformed;
}
