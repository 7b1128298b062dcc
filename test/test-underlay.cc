// Tests of the underlay: FabricNetDevice/FabricChannel links, FabricSwitch forwarding and ECMP,
// LeafSpineFabric graph, routing and faults. Real frames (Ethernet + IPv4 + UDP built with the
// ns-3 header classes) are injected from host NICs and captured at the destination host's uplink
// frame handlers.

#include "fabric-channel.h"
#include "fabric-helper.h"
#include "fabric-net-device.h"
#include "fabric-switch.h"
#include "five-tuple.h"
#include "leaf-spine-topology.h"
#include "routing-controller.h"

#include "ns3/core-module.h"
#include "ns3/ethernet-header.h"
#include "ns3/ipv4-header.h"
#include "ns3/ipv4.h"
#include "ns3/network-module.h"
#include "ns3/pcap-file.h"
#include "ns3/udp-header.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <gtest/gtest.h>
#include <limits>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

using namespace ns3;

namespace
{

constexpr uint16_t ETHERTYPE_IPV4 = 0x0800;

/// An IPv4 + UDP packet (no Ethernet header) with a valid IPv4 header checksum.
Ptr<Packet>
MakeUdp(Ipv4Address src,
        Ipv4Address dst,
        uint16_t sport,
        uint16_t dport,
        uint32_t payload,
        uint8_t ttl = 64)
{
    Ptr<Packet> p = Create<Packet>(payload);
    UdpHeader udp;
    udp.SetSourcePort(sport);
    udp.SetDestinationPort(dport);
    p->AddHeader(udp);
    Ipv4Header ip;
    ip.SetSource(src);
    ip.SetDestination(dst);
    ip.SetProtocol(17);
    ip.SetTtl(ttl);
    ip.SetPayloadSize(p->GetSize());
    ip.SetIdentification(static_cast<uint16_t>(p->GetUid()));
    ip.EnableChecksum();
    p->AddHeader(ip);
    return p;
}

/// What the VTEP does: send to the leaf on the other end of the uplink.
bool
Inject(Ptr<FabricNetDevice> nic, Ptr<Packet> ipPacket)
{
    return nic->Send(ipPacket, nic->GetPeer()->GetAddress(), ETHERTYPE_IPV4);
}

/// The headers of a captured frame.
struct Parsed
{
    EthernetHeader eth;
    Ipv4Header ip;
    UdpHeader udp;
};

Parsed
Parse(Ptr<const Packet> frame)
{
    Parsed out;
    Ptr<Packet> copy = frame->Copy();
    copy->RemoveHeader(out.eth);
    out.ip.EnableChecksum(); // makes Deserialize verify the checksum
    copy->RemoveHeader(out.ip);
    copy->RemoveHeader(out.udp);
    return out;
}

/// One's-complement sum over the IPv4 header of a frame: 0xffff iff the checksum is valid.
uint16_t
Ipv4HeaderSum(Ptr<const Packet> frame)
{
    uint8_t b[34];
    frame->CopyData(b, sizeof(b));
    uint32_t sum = 0;
    for (int i = 14; i < 34; i += 2)
    {
        sum += (b[i] << 8) | b[i + 1];
    }
    while (sum >> 16)
    {
        sum = (sum & 0xffff) + (sum >> 16);
    }
    return static_cast<uint16_t>(sum);
}

/// Outer IPv4 destination of a frame.
uint32_t
FrameDestination(Ptr<const Packet> frame)
{
    uint8_t b[34];
    frame->CopyData(b, sizeof(b));
    return (uint32_t(b[30]) << 24) | (uint32_t(b[31]) << 16) | (uint32_t(b[32]) << 8) | b[33];
}

/// Time of a frame on an idle link with the layer-1 overhead (the default): max(bytes, 60) + 24
/// bytes of wire time at the rate, rounded like DataRate.
Time
Ser(DataRate rate, uint32_t bytes)
{
    return rate.CalculateBytesTxTime(std::max(bytes, 60u) + 24);
}

} // namespace

/// Fixture: a fabric with capture at every host uplink and every drop recorded.
class UnderlayTest : public ::testing::Test
{
  protected:
    struct Arrival
    {
        Time at;
        uint32_t host;
        uint32_t uplink;
        Ptr<Packet> frame;
    };

    struct DropRecord
    {
        Time at;
        DropReason reason;
        std::string where; //!< link name (device drops) or switch name
        uint64_t uid;
        Ptr<const Packet> frame;
    };

    void TearDown() override
    {
        Simulator::Destroy();
    }

    Ptr<LeafSpineFabric> Build(const FabricConfig& cfg, uint32_t seed = 1)
    {
        m_fabric = CreateObject<LeafSpineFabric>(cfg, seed);
        m_fabric->AssignStreams(100);
        for (uint32_t h = 0; h < m_fabric->GetNumHosts(); ++h)
        {
            for (uint32_t k = 0; k < cfg.uplinksPerHost; ++k)
            {
                m_fabric->GetHostUplink(h, k)->SetFrameHandler(FabricNetDevice::FrameHandler(
                    [this, h, k](Ptr<FabricNetDevice>, Ptr<Packet> frame) {
                        m_arrivals.push_back({Simulator::Now(), h, k, frame});
                    }));
            }
        }
        for (const auto& dev : m_fabric->GetDevices())
        {
            const std::string where = m_fabric->GetLinkName(dev);
            dev->TraceConnectWithoutContext(
                "Drop",
                Callback<void, Ptr<const Packet>, DropReason>(
                    [this, where](Ptr<const Packet> p, DropReason r) {
                        m_drops.push_back({Simulator::Now(), r, where, p->GetUid(), p});
                    }));
        }
        for (uint32_t i = 0; i < m_fabric->GetSwitches().size(); ++i)
        {
            const std::string where = m_fabric->GetGraph()[i].name;
            m_fabric->GetSwitches()[i]->TraceConnectWithoutContext(
                "Drop",
                Callback<void, Ptr<const Packet>, DropReason>(
                    [this, where](Ptr<const Packet> p, DropReason r) {
                        m_drops.push_back({Simulator::Now(), r, where, p->GetUid(), p});
                    }));
        }
        m_fabric->TraceConnectWithoutContext(
            "RoutesConverged",
            Callback<void, Time>([this](Time at) { m_converged.push_back(at); }));
        return m_fabric;
    }

    /// Schedule an injection of host h's uplink k at time t; counts injections.
    void InjectAt(Time t, uint32_t h, uint32_t k, Ptr<Packet> p)
    {
        Simulator::Schedule(t, [this, h, k, p]() {
            ++m_injected;
            Inject(m_fabric->GetHostUplink(h, k), p);
        });
    }

    /// CBR from host src uplink k to host dst, one packet per interval in [from, to), the
    /// UDP source port cycling over `ports` values from 10000.
    void Cbr(uint32_t src,
             uint32_t k,
             uint32_t dst,
             Time from,
             Time to,
             Time interval,
             uint32_t ports,
             uint32_t payload = 200)
    {
        uint32_t i = 0;
        for (Time t = from; t < to; t += interval, ++i)
        {
            InjectAt(t,
                     src,
                     k,
                     MakeUdp(m_fabric->GetVtepAddress(src),
                             m_fabric->GetVtepAddress(dst),
                             static_cast<uint16_t>(10000 + i % ports),
                             6081,
                             payload));
        }
    }

    uint32_t CountDrops(DropReason reason, const std::string& where = "") const
    {
        uint32_t n = 0;
        for (const auto& d : m_drops)
        {
            n += (d.reason == reason && (where.empty() || d.where == where)) ? 1 : 0;
        }
        return n;
    }

    Ptr<LeafSpineFabric> m_fabric;
    std::vector<Arrival> m_arrivals;
    std::vector<DropRecord> m_drops;
    std::vector<Time> m_converged;
    uint64_t m_injected{0};
};

// ------------------------------------------------------------------------------------------
// Graph
// ------------------------------------------------------------------------------------------

TEST(UnderlayGraph, CountsNamesAndEndpointsOfTwoSpinesTwoRacksFourHostsTwoUplinks)
{
    FabricConfig cfg;
    cfg.spines = 2;
    cfg.racks = 2;
    cfg.hostsPerRack = 4;
    cfg.uplinksPerHost = 2;
    FabricGraph g = BuildLeafSpineGraph(cfg);
    ASSERT_EQ(boost::num_vertices(g), 2u + 4u + 8u);
    ASSERT_EQ(boost::num_edges(g), 4u * 2u + 8u * 2u);

    EXPECT_EQ(g[0].name, "spine0");
    EXPECT_EQ(g[1].name, "spine1");
    EXPECT_EQ(g[1].kind, FabricNodeKind::SPINE);
    EXPECT_EQ(g[2].name, "leaf0");
    EXPECT_EQ(g[5].name, "leaf3");
    EXPECT_EQ(g[5].kind, FabricNodeKind::LEAF);
    EXPECT_EQ(g[5].index, 3u);
    EXPECT_EQ(g[6].name, "host0");
    EXPECT_EQ(g[13].name, "host7");
    EXPECT_EQ(g[13].kind, FabricNodeKind::HOST);

    std::map<std::string, std::pair<std::string, std::string>> edges;
    uint32_t core = 0;
    uint32_t access = 0;
    std::set<uint32_t> linkIndices;
    for (auto [it, last] = boost::edges(g); it != last; ++it)
    {
        const FabricEdge& e = g[*it];
        edges[e.name] = {g[boost::source(*it, g)].name, g[boost::target(*it, g)].name};
        (e.tier == FabricLinkTier::CORE ? core : access)++;
        linkIndices.insert(e.link);
    }
    EXPECT_EQ(core, 8u);
    EXPECT_EQ(access, 16u);
    EXPECT_EQ(linkIndices.size(), 24u);
    EXPECT_EQ(*linkIndices.rbegin(), 23u);
    // Every leaf to every spine, leaf first.
    for (int l = 0; l < 4; ++l)
    {
        for (int s = 0; s < 2; ++s)
        {
            const std::string name = "leaf" + std::to_string(l) + "-spine" + std::to_string(s);
            ASSERT_EQ(edges.count(name), 1u) << name;
            EXPECT_EQ(edges[name].first, "leaf" + std::to_string(l));
            EXPECT_EQ(edges[name].second, "spine" + std::to_string(s));
        }
    }
    // Host h uplink k goes to leaf 2r+k, r = h / hostsPerRack; host first.
    EXPECT_EQ(edges["host0/uplink0"], std::make_pair(std::string("host0"), std::string("leaf0")));
    EXPECT_EQ(edges["host3/uplink1"], std::make_pair(std::string("host3"), std::string("leaf1")));
    EXPECT_EQ(edges["host5/uplink0"], std::make_pair(std::string("host5"), std::string("leaf2")));
    EXPECT_EQ(edges["host5/uplink1"], std::make_pair(std::string("host5"), std::string("leaf3")));
    EXPECT_EQ(edges.count("host5/uplink2"), 0u);
}

TEST(UnderlayGraph, SingleHomedHostsUseTheFirstLeafOfTheirRack)
{
    FabricConfig cfg;
    cfg.spines = 3;
    cfg.racks = 3;
    cfg.hostsPerRack = 2;
    cfg.uplinksPerHost = 1;
    FabricGraph g = BuildLeafSpineGraph(cfg);
    EXPECT_EQ(boost::num_vertices(g), 3u + 6u + 6u);
    EXPECT_EQ(boost::num_edges(g), 6u * 3u + 6u);
    const uint32_t leaf4 = 3 + 4;
    EXPECT_EQ(g[leaf4].name, "leaf4");
    EXPECT_EQ(boost::degree(leaf4, g), 3u + 2u); // spines + hosts 4 and 5
    EXPECT_EQ(boost::degree(leaf4 + 1, g), 3u);  // leaf5: spines only
}

TEST(UnderlayGraph, RacksOfFourLeavesPutUplinkKOfAHostOnLeafFourRPlusK)
{
    FabricConfig cfg;
    cfg.spines = 2;
    cfg.racks = 3;
    cfg.leavesPerRack = 4;
    cfg.hostsPerRack = 2;
    cfg.uplinksPerHost = 4;
    FabricGraph g = BuildLeafSpineGraph(cfg);
    // 2 spines + 12 leaves + 6 hosts; 12 x 2 core links + 6 x 4 uplinks.
    ASSERT_EQ(boost::num_vertices(g), 2u + 12u + 6u);
    ASSERT_EQ(boost::num_edges(g), 12u * 2u + 6u * 4u);
    EXPECT_EQ(g[2 + 11].name, "leaf11");
    EXPECT_EQ(g[2 + 12].name, "host0");

    std::map<std::string, std::pair<std::string, uint32_t>> uplinks; // name -> (leaf, link)
    for (auto [it, last] = boost::edges(g); it != last; ++it)
    {
        const FabricEdge& e = g[*it];
        if (e.tier == FabricLinkTier::ACCESS)
        {
            EXPECT_EQ(g[boost::source(*it, g)].kind, FabricNodeKind::HOST) << e.name;
            uplinks[e.name] = {g[boost::target(*it, g)].name, e.link};
            EXPECT_EQ(e.name, g[boost::source(*it, g)].name + "/uplink" + std::to_string(e.uplink));
        }
    }
    ASSERT_EQ(uplinks.size(), 24u);
    // Rack r = h / 2 has leaves 4r..4r+3; uplink k of host h goes to leaf 4r + k (with pairs of
    // leaves, 2r + k, host3/uplink2 would land on leaf4, in the wrong rack's range).
    for (uint32_t h = 0; h < 6; ++h)
    {
        for (uint32_t k = 0; k < 4; ++k)
        {
            const std::string name = "host" + std::to_string(h) + "/uplink" + std::to_string(k);
            ASSERT_EQ(uplinks.count(name), 1u) << name;
            EXPECT_EQ(uplinks[name].first, "leaf" + std::to_string(4 * (h / 2) + k)) << name;
            EXPECT_EQ(cfg.LeafOfUplink(h, k), 4 * (h / 2) + k);
            // Link index: the 24 core links, then the uplinks host-major.
            EXPECT_EQ(uplinks[name].second, 24u + 4 * h + k) << name;
        }
    }
    EXPECT_EQ(uplinks["host3/uplink2"].first, "leaf6");
    EXPECT_EQ(uplinks["host5/uplink3"].first, "leaf11");
    EXPECT_EQ(uplinks.count("host0/uplink4"), 0u);
    // Every leaf: both spines and the two hosts of its rack, one uplink each.
    for (uint32_t l = 0; l < 12; ++l)
    {
        EXPECT_EQ(boost::degree(2 + l, g), 2u + 2u) << "leaf" << l;
    }

    // Two uplinks on racks of four: the last two leaves of each rack have only spines.
    cfg.uplinksPerHost = 2;
    g = BuildLeafSpineGraph(cfg);
    EXPECT_EQ(boost::num_edges(g), 12u * 2u + 6u * 2u);
    EXPECT_EQ(boost::degree(2 + 5, g), 2u + 2u); // leaf5 = rack 1, leaf 1: hosts 2 and 3
    EXPECT_EQ(boost::degree(2 + 6, g), 2u);      // leaf6 = rack 1, leaf 2: spines only
}

TEST(UnderlayGraph, OneLeafPerRackTakesSingleHomedHostsOnly)
{
    FabricConfig cfg;
    cfg.racks = 3;
    cfg.leavesPerRack = 1;
    cfg.hostsPerRack = 2;
    cfg.uplinksPerHost = 1;
    FabricGraph g = BuildLeafSpineGraph(cfg);
    EXPECT_EQ(boost::num_vertices(g), 2u + 3u + 6u);
    EXPECT_EQ(boost::degree(2 + 2, g), 2u + 2u); // leaf2: spines + hosts 4 and 5
    cfg.uplinksPerHost = 2;
    EXPECT_THROW(BuildLeafSpineGraph(cfg), ConfigError);
}

TEST(UnderlayGraph, UplinksBeyondTheLeavesOfTheRackOrNineLeavesAreRefused)
{
    FabricConfig cfg;
    cfg.leavesPerRack = 4;
    cfg.uplinksPerHost = 5;
    try
    {
        BuildLeafSpineGraph(cfg);
        FAIL() << "five uplinks on racks of four leaves built";
    }
    catch (const ConfigError& e)
    {
        EXPECT_EQ(std::string(e.what()),
                  "fabric.uplinks_per_host: 5 is out of range; allowed: 1..4 "
                  "(fabric.leaves_per_rack is 4: each uplink goes to a different leaf of the "
                  "host's rack)");
    }
    cfg.uplinksPerHost = 4;
    EXPECT_NO_THROW(BuildLeafSpineGraph(cfg));
    cfg.leavesPerRack = 9;
    try
    {
        BuildLeafSpineGraph(cfg);
        FAIL() << "racks of nine leaves built";
    }
    catch (const ConfigError& e)
    {
        EXPECT_EQ(std::string(e.what()),
                  "fabric.leaves_per_rack: 9 is out of range; allowed: 1..8");
    }
    cfg.leavesPerRack = 8;
    cfg.uplinksPerHost = 9;
    try
    {
        BuildLeafSpineGraph(cfg);
        FAIL() << "nine uplinks built";
    }
    catch (const ConfigError& e)
    {
        EXPECT_EQ(e.GetField(), "fabric.uplinks_per_host");
    }
}

TEST(UnderlayGraph, InvalidConfigThrowsNamingTheField)
{
    FabricConfig cfg;
    cfg.uplinksPerHost = 3;
    try
    {
        BuildLeafSpineGraph(cfg);
        FAIL() << "no exception";
    }
    catch (const ConfigError& e)
    {
        EXPECT_EQ(e.GetField(), "fabric.uplinks_per_host");
    }
    cfg = FabricConfig();
    cfg.spines = 0;
    EXPECT_THROW(BuildLeafSpineGraph(cfg), ConfigError);
    cfg = FabricConfig();
    cfg.access.mtu = 70000;
    EXPECT_THROW(BuildLeafSpineGraph(cfg), ConfigError);
}

// ------------------------------------------------------------------------------------------
// Fabric construction
// ------------------------------------------------------------------------------------------

TEST_F(UnderlayTest, FabricExposesHostsVtepsLinksAndEnds)
{
    FabricConfig cfg;
    Build(cfg);
    ASSERT_EQ(m_fabric->GetNumHosts(), 8u);
    EXPECT_EQ(m_fabric->GetVtepAddress(0), Ipv4Address("10.1.0.1"));
    EXPECT_EQ(m_fabric->GetVtepAddress(5), Ipv4Address("10.1.0.6"));
    EXPECT_EQ(m_fabric->GetHostByVtep(Ipv4Address("10.1.0.6")), 5);
    EXPECT_EQ(m_fabric->GetHostByVtep(Ipv4Address("10.1.0.9")), -1);
    EXPECT_EQ(m_fabric->GetSwitches().size(), 6u);
    EXPECT_EQ(m_fabric->GetDevices().size(), 48u);
    EXPECT_EQ(m_fabric->GetLinkNames().size(), 24u);
    // A link reference finds its link by arithmetic on the indices; every name round-trips.
    std::vector<std::string> names = m_fabric->GetLinkNames();
    for (uint32_t i = 0; i < names.size(); ++i)
    {
        LinkRef ref(names[i]);
        ASSERT_TRUE(ref.IsValid()) << names[i];
        EXPECT_EQ(ref.Format(), names[i]);
        EXPECT_EQ(m_fabric->GetLink(ref), m_fabric->GetDevices()[2 * i]->GetFabricChannel())
            << names[i];
    }
    EXPECT_EQ(m_fabric->GetLink(LinkRef(LinkRef::Kind::HOST_UPLINK, 8, 0)), nullptr);
    EXPECT_EQ(m_fabric->GetLink(LinkRef(LinkRef::Kind::HOST_UPLINK, 0, 2)), nullptr);
    EXPECT_EQ(m_fabric->GetLink(LinkRef(LinkRef::Kind::LEAF_SPINE, 0, 2)), nullptr);

    // Hosts: only their uplinks, no IP stack.
    for (uint32_t h = 0; h < 8; ++h)
    {
        Ptr<Node> node = m_fabric->GetHostNode(h);
        EXPECT_EQ(node->GetNDevices(), 2u);
        EXPECT_EQ(node->GetObject<Ipv4>(), nullptr);
        EXPECT_EQ(node->GetDevice(0), m_fabric->GetHostUplink(h, 0));
    }
    // Switch nodes: only ports, no IP stack.
    EXPECT_EQ(m_fabric->GetLeaf(0)->GetNode()->GetObject<Ipv4>(), nullptr);
    EXPECT_EQ(m_fabric->GetLeaf(0)->GetNPorts(), 2u + 4u);
    EXPECT_EQ(m_fabric->GetSpine(1)->GetNPorts(), 4u);

    auto [nic, leafPort] = m_fabric->GetLinkEnds("host5/uplink1");
    EXPECT_EQ(nic, m_fabric->GetHostUplink(5, 1));
    EXPECT_EQ(leafPort->GetNode(), m_fabric->GetLeaf(3)->GetNode());
    EXPECT_EQ(nic->GetPeer(), leafPort);
    EXPECT_EQ(m_fabric->GetLink("host5/uplink1"), nic->GetFabricChannel());

    auto [leafEnd, spineEnd] = m_fabric->GetLinkEnds("leaf2-spine1");
    EXPECT_EQ(leafEnd->GetNode(), m_fabric->GetLeaf(2)->GetNode());
    EXPECT_EQ(spineEnd->GetNode(), m_fabric->GetSpine(1)->GetNode());
    EXPECT_EQ(m_fabric->GetLinkName(spineEnd), "leaf2-spine1");

    EXPECT_EQ(m_fabric->GetLink("leaf9-spine0"), nullptr);
    EXPECT_EQ(m_fabric->GetLinkEnds("nope").first, nullptr);
    EXPECT_THROW(m_fabric->SetLinkCarrier("nope", false), std::invalid_argument);

    // Access tier and core tier settings reached the devices and channels.
    EXPECT_EQ(nic->GetDataRate(), cfg.access.rate);
    EXPECT_EQ(leafEnd->GetDataRate(), cfg.core.rate);
    EXPECT_EQ(leafEnd->GetQueueBytes(), cfg.core.queueBytes);
    EXPECT_EQ(nic->GetMtu(), cfg.access.mtu);
    EXPECT_EQ(m_fabric->GetLink("leaf2-spine1")->GetDelay(), cfg.core.delay);
}

TEST_F(UnderlayTest, InitialRoutesAreShortestPathsWithAllEcmpNextHops)
{
    FabricConfig cfg;
    Build(cfg);
    const Ipv4Address vtep5 = m_fabric->GetVtepAddress(5);
    // leaf0 (rack 0): to host5 over both spines (ports 0, 1).
    const NextHopGroup* g = m_fabric->GetLeaf(0)->GetRoute(vtep5);
    ASSERT_NE(g, nullptr);
    EXPECT_EQ(g->ports, (std::vector<uint32_t>{0, 1}));
    // leaf2 (rack 1): host5 directly through host5/uplink0 (the static route to the loopback).
    g = m_fabric->GetLeaf(2)->GetRoute(vtep5);
    ASSERT_NE(g, nullptr);
    ASSERT_EQ(g->ports.size(), 1u);
    EXPECT_EQ(m_fabric->GetLeaf(2)->GetPort(g->ports[0]),
              m_fabric->GetLinkEnds("host5/uplink0").second);
    // spine0: to host5 over leaf2 and leaf3.
    g = m_fabric->GetSpine(0)->GetRoute(vtep5);
    ASSERT_NE(g, nullptr);
    EXPECT_EQ(g->ports, (std::vector<uint32_t>{2, 3}));
    // Every switch has a route to every host.
    for (const auto& sw : m_fabric->GetSwitches())
    {
        EXPECT_EQ(sw->GetRoutes().size(), 8u);
    }
}

// ------------------------------------------------------------------------------------------
// Forwarding
// ------------------------------------------------------------------------------------------

TEST_F(UnderlayTest, ArrivalTimeIsSumOfSerializationAndPropagationOverFourHops)
{
    FabricConfig cfg;
    Build(cfg);
    // 958 bytes of payload: 1000-byte frames, 1024 bytes on the wire with preamble + SFD, FCS
    // and gap: 327.68 ns at 25 Gb/s, 81.92 ns at 100 Gb/s, each hop rounded to the ns.
    InjectAt(MicroSeconds(10),
             0,
             0,
             MakeUdp(m_fabric->GetVtepAddress(0), m_fabric->GetVtepAddress(5), 5000, 6081, 958));
    // An odd size whose serialisation times are not whole nanoseconds.
    InjectAt(MicroSeconds(20),
             0,
             1,
             MakeUdp(m_fabric->GetVtepAddress(0), m_fabric->GetVtepAddress(6), 5001, 6081, 1001));
    Simulator::Run();
    ASSERT_EQ(m_arrivals.size(), 2u);

    EXPECT_EQ(m_arrivals[0].host, 5u);
    EXPECT_EQ(m_arrivals[0].frame->GetSize(), 1000u);
    EXPECT_EQ(m_arrivals[0].at, MicroSeconds(10) + NanoSeconds(2 * 328 + 2 * 82 + 4 * 1000));

    const uint32_t f = 14 + 20 + 8 + 1001;
    EXPECT_EQ(m_arrivals[1].host, 6u);
    EXPECT_EQ(m_arrivals[1].frame->GetSize(), f);
    EXPECT_EQ(m_arrivals[1].at,
              MicroSeconds(20) + Ser(cfg.access.rate, f) * 2 + Ser(cfg.core.rate, f) * 2 +
                  cfg.access.delay * 2 + cfg.core.delay * 2);
    EXPECT_TRUE(m_drops.empty());
}

TEST_F(UnderlayTest, SameRackPathIsTwoHopsThroughOneLeaf)
{
    FabricConfig cfg;
    Build(cfg);
    InjectAt(MicroSeconds(1),
             0,
             1,
             MakeUdp(m_fabric->GetVtepAddress(0), m_fabric->GetVtepAddress(1), 5000, 6081, 958));
    Simulator::Run();
    ASSERT_EQ(m_arrivals.size(), 1u);
    EXPECT_EQ(m_arrivals[0].host, 1u);
    EXPECT_EQ(m_arrivals[0].uplink, 1u); // leaf1 reaches host1 through host1/uplink1
    EXPECT_EQ(m_arrivals[0].at, MicroSeconds(1) + NanoSeconds(2 * 328 + 2 * 1000)); // 327.68
    EXPECT_EQ(Parse(m_arrivals[0].frame).ip.GetTtl(), 63);
}

TEST_F(UnderlayTest, TtlDecrementedByThreeAndChecksumValidAtArrival)
{
    FabricConfig cfg;
    Build(cfg);
    for (uint16_t i = 0; i < 20; ++i)
    {
        InjectAt(MicroSeconds(1 + i),
                 0,
                 i % 2,
                 MakeUdp(m_fabric->GetVtepAddress(0),
                         m_fabric->GetVtepAddress(4 + i % 4),
                         static_cast<uint16_t>(7000 + i),
                         6081,
                         100 + i,
                         static_cast<uint8_t>(64 + i)));
    }
    Simulator::Run();
    ASSERT_EQ(m_arrivals.size(), 20u);
    for (const auto& a : m_arrivals)
    {
        Parsed p = Parse(a.frame);
        EXPECT_TRUE(p.ip.IsChecksumOk());
        EXPECT_EQ(Ipv4HeaderSum(a.frame), 0xffff);
        const uint16_t i = p.udp.GetSourcePort() - 7000;
        EXPECT_EQ(p.ip.GetTtl(), 64 + i - 3);
        EXPECT_EQ(p.ip.GetSource(), m_fabric->GetVtepAddress(0));
        EXPECT_EQ(p.ip.GetDestination(), m_fabric->GetVtepAddress(a.host));
        EXPECT_EQ(p.udp.GetDestinationPort(), 6081);
        EXPECT_EQ(a.frame->GetSize(), 14u + 20u + 8u + 100u + i);
    }
}

TEST_F(UnderlayTest, EthernetSourceAndDestinationRewrittenAtEveryHop)
{
    FabricConfig cfg;
    Build(cfg);

    struct Hop
    {
        Ptr<FabricNetDevice> rx;
        Mac48Address src;
        Mac48Address dst;
        uint16_t type;
    };

    std::vector<Hop> hops;
    const auto& devices = m_fabric->GetDevices();
    for (std::size_t i = 0; i < devices.size(); ++i)
    {
        // The callback names its device by index: a Ptr captured in a callback the device holds
        // would be a reference cycle, and the device (with its node and fabric) would never go.
        devices[i]->TraceConnectWithoutContext(
            "WireRx",
            Callback<void, Ptr<const Packet>>([this, &hops, i](Ptr<const Packet> frame) {
                EthernetHeader eth;
                frame->Copy()->RemoveHeader(eth);
                hops.push_back({m_fabric->GetDevices()[i],
                                eth.GetSource(),
                                eth.GetDestination(),
                                eth.GetLengthType()});
            }));
    }
    InjectAt(MicroSeconds(1),
             2,
             0,
             MakeUdp(m_fabric->GetVtepAddress(2), m_fabric->GetVtepAddress(7), 5000, 6081, 500));
    Simulator::Run();
    ASSERT_EQ(hops.size(), 4u);
    EXPECT_EQ(hops[0].src, m_fabric->GetHostUplink(2, 0)->GetMacAddress());
    for (const auto& hop : hops)
    {
        EXPECT_EQ(hop.dst, hop.rx->GetMacAddress());
        EXPECT_EQ(hop.src, hop.rx->GetPeer()->GetMacAddress());
        EXPECT_EQ(hop.type, ETHERTYPE_IPV4);
    }
    // The hops are host2 -> leaf0 -> spine -> leaf2|leaf3 -> host7.
    EXPECT_EQ(hops[0].rx->GetNode(), m_fabric->GetLeaf(0)->GetNode());
    EXPECT_EQ(hops[3].rx->GetNode(), m_fabric->GetHostNode(7));
    // All MACs along the way differ (each port has its own).
    std::set<Mac48Address> macs;
    for (const auto& hop : hops)
    {
        macs.insert(hop.src);
        macs.insert(hop.dst);
    }
    EXPECT_EQ(macs.size(), 8u);
}

TEST_F(UnderlayTest, SameFiveTupleAlwaysTakesTheSamePath)
{
    FabricConfig cfg;
    cfg.spines = 4;
    Build(cfg);
    std::map<uint64_t, std::vector<std::string>> path; // uid -> links crossed
    for (const auto& dev : m_fabric->GetDevices())
    {
        const std::string link = m_fabric->GetLinkName(dev);
        dev->TraceConnectWithoutContext(
            "WireRx",
            Callback<void, Ptr<const Packet>>(
                [&path, link](Ptr<const Packet> frame) { path[frame->GetUid()].push_back(link); }));
    }
    for (uint32_t i = 0; i < 200; ++i)
    {
        InjectAt(
            MicroSeconds(1) + NanoSeconds(500 * i),
            0,
            0,
            MakeUdp(m_fabric->GetVtepAddress(0), m_fabric->GetVtepAddress(5), 40000, 6081, 64 + i));
    }
    Simulator::Run();
    ASSERT_EQ(path.size(), 200u);
    std::set<std::vector<std::string>> distinct;
    for (const auto& [uid, links] : path)
    {
        EXPECT_EQ(links.size(), 4u);
        distinct.insert(links);
    }
    EXPECT_EQ(distinct.size(), 1u);
}

TEST_F(UnderlayTest, PathCalculatorPredictsTheLinksEveryFrameCrossesAndEnumeratesAllEcmpPaths)
{
    FabricConfig cfg;
    cfg.spines = 4;
    Build(cfg);
    const std::vector<std::string> names = m_fabric->GetLinkNames();
    std::map<uint64_t, std::vector<std::string>> crossed; // uid -> links, in order
    for (const auto& dev : m_fabric->GetDevices())
    {
        const std::string link = m_fabric->GetLinkName(dev);
        dev->TraceConnectWithoutContext(
            "WireRx",
            Callback<void, Ptr<const Packet>>([&crossed, link](Ptr<const Packet> frame) {
                crossed[frame->GetUid()].push_back(link);
            }));
    }
    const Ipv4Address src = m_fabric->GetVtepAddress(0);
    const Ipv4Address dst = m_fabric->GetVtepAddress(5);
    std::map<uint64_t, std::pair<uint32_t, uint16_t>> sent; // uid -> (uplink, source port)
    for (uint32_t i = 0; i < 300; ++i)
    {
        const uint32_t uplink = i % 2;
        const uint16_t sport = static_cast<uint16_t>(49152 + 7 * i);
        Ptr<Packet> p = MakeUdp(src, dst, sport, 6081, 100);
        sent[p->GetUid()] = {uplink, sport};
        InjectAt(MicroSeconds(1) + NanoSeconds(500 * i), 0, uplink, p);
    }
    Simulator::Run();
    // Every ECMP path host0 -> host5: 2 uplinks x 4 spines x 2 leaves of host5's rack.
    std::set<std::vector<std::string>> all;
    for (const auto& hops : m_fabric->EnumeratePaths(0, dst))
    {
        std::vector<std::string> links;
        for (const auto& hop : hops)
        {
            links.push_back(names[hop.link]);
        }
        all.insert(links);
    }
    EXPECT_EQ(all.size(), 16u);
    std::set<std::vector<std::string>> seen;
    ASSERT_EQ(crossed.size(), 300u);
    for (const auto& [uid, links] : crossed)
    {
        const auto [uplink, sport] = sent.at(uid);
        LeafSpineFabric::FabricPath path =
            m_fabric->TracePath(0, uplink, FiveTuple{src.Get(), dst.Get(), sport, 6081, 17});
        EXPECT_EQ(path.arrivedAt, 5);
        std::vector<std::string> predicted;
        for (const auto& hop : path.hops)
        {
            predicted.push_back(names[hop.link]);
        }
        EXPECT_EQ(predicted, links) << path.Format(*m_fabric);
        EXPECT_EQ(all.count(links), 1u);
        seen.insert(links);
    }
    EXPECT_EQ(seen.size(), 16u); // 300 source ports reach every path
    // A destination without a route: the path ends at the first switch, which says so.
    LeafSpineFabric::FabricPath lost =
        m_fabric->TracePath(0, 0, FiveTuple{src.Get(), 0x0b000001, 1, 6081, 17});
    EXPECT_EQ(lost.arrivedAt, -1);
    EXPECT_EQ(lost.stop, "no route at leaf0");
    EXPECT_EQ(lost.Format(*m_fabric), "host0 -host0/uplink0-> leaf0 (no route at leaf0)");
}

TEST_F(UnderlayTest, FourLeafRacksRouteFromUplinkThreeToTheRemoteHostOverEveryLeafOfItsRack)
{
    FabricConfig cfg;
    cfg.spines = 2;
    cfg.racks = 2;
    cfg.leavesPerRack = 4;
    cfg.hostsPerRack = 2;
    cfg.uplinksPerHost = 4;
    Build(cfg);
    ASSERT_EQ(m_fabric->GetNumHosts(), 4u);
    ASSERT_EQ(m_fabric->GetNumLeaves(), 8u);
    EXPECT_EQ(m_fabric->GetHostNode(0)->GetNDevices(), 4u);
    // host0/uplink3 ends at leaf3, host3/uplink2 at leaf6.
    EXPECT_EQ(m_fabric->GetLinkEnds("host0/uplink3").second->GetNode(),
              m_fabric->GetLeaf(3)->GetNode());
    EXPECT_EQ(m_fabric->GetLinkEnds("host3/uplink2").second->GetNode(),
              m_fabric->GetLeaf(6)->GetNode());
    const Ipv4Address src = m_fabric->GetVtepAddress(0);
    const Ipv4Address dst = m_fabric->GetVtepAddress(3);
    // leaf3 reaches host3 over both spines; each spine over the four leaves of rack 1 (its ports
    // 4..7, one per leaf in leaf order: leaves 2r+k would make them 2..5).
    const NextHopGroup* g = m_fabric->GetLeaf(3)->GetRoute(dst);
    ASSERT_NE(g, nullptr);
    EXPECT_EQ(g->ports, (std::vector<uint32_t>{0, 1}));
    for (uint32_t s = 0; s < 2; ++s)
    {
        g = m_fabric->GetSpine(s)->GetRoute(dst);
        ASSERT_NE(g, nullptr);
        EXPECT_EQ(g->ports, (std::vector<uint32_t>{4, 5, 6, 7})) << "spine" << s;
    }
    // The remote leaves reach host3 through its own uplink only.
    for (uint32_t k = 0; k < 4; ++k)
    {
        g = m_fabric->GetLeaf(4 + k)->GetRoute(dst);
        ASSERT_NE(g, nullptr);
        ASSERT_EQ(g->ports.size(), 1u);
        EXPECT_EQ(m_fabric->GetLeaf(4 + k)->GetPort(g->ports[0]),
                  m_fabric->GetLinkEnds("host3/uplink" + std::to_string(k)).second);
    }
    // Every ECMP path host0 -> host3: 4 uplinks x 2 spines x 4 leaves of rack 1.
    EXPECT_EQ(m_fabric->EnumeratePaths(0, dst).size(), 32u);

    // Frames from uplink 3, many source ports: all arrive, four hops each, spread over the four
    // uplinks of host3 (ECMP at the spines over rack 1's leaves).
    const uint32_t frames = 2000;
    std::map<uint64_t, uint16_t> sportOf;
    for (uint32_t i = 0; i < frames; ++i)
    {
        const uint16_t sport = static_cast<uint16_t>(20000 + i);
        Ptr<Packet> p = MakeUdp(src, dst, sport, 6081, 58);
        sportOf[p->GetUid()] = sport;
        InjectAt(MicroSeconds(1) + NanoSeconds(200 * i), 0, 3, p);
    }
    Simulator::Run();
    ASSERT_EQ(m_arrivals.size(), frames);
    EXPECT_TRUE(m_drops.empty());
    std::array<uint32_t, 4> perUplink{};
    for (const auto& a : m_arrivals)
    {
        ASSERT_EQ(a.host, 3u);
        ++perUplink[a.uplink];
        const uint16_t sport = sportOf.at(a.frame->GetUid());
        LeafSpineFabric::FabricPath path =
            m_fabric->TracePath(0, 3, FiveTuple{src.Get(), dst.Get(), sport, 6081, 17});
        ASSERT_EQ(path.arrivedAt, 3);
        ASSERT_EQ(path.hops.size(), 4u);
        // The path calculator agrees on the uplink the frame arrived on.
        EXPECT_EQ(m_fabric->GetLinkNames()[path.hops.back().link],
                  "host3/uplink" + std::to_string(a.uplink));
        EXPECT_EQ(Parse(a.frame).ip.GetTtl(), 64 - 3);
    }
    for (uint32_t k = 0; k < 4; ++k)
    {
        EXPECT_NEAR(perUplink[k], frames / 4.0, frames / 4.0 * 0.2) << "host3/uplink" << k;
    }
}

TEST_F(UnderlayTest, ManyFiveTuplesSpreadEvenlyOverAllSpinesAndLeaves)
{
    FabricConfig cfg;
    cfg.spines = 4;
    Build(cfg);
    std::array<uint32_t, 4> perSpine{};
    for (uint32_t s = 0; s < 4; ++s)
    {
        Ptr<FabricSwitch> spine = m_fabric->GetSpine(s);
        for (uint32_t p = 0; p < spine->GetNPorts(); ++p)
        {
            spine->GetPort(p)->TraceConnectWithoutContext(
                "WireRx",
                Callback<void, Ptr<const Packet>>(
                    [&perSpine, s](Ptr<const Packet>) { ++perSpine[s]; }));
        }
    }
    const uint32_t flows = 4000;
    for (uint32_t i = 0; i < flows; ++i)
    {
        InjectAt(MicroSeconds(1) + NanoSeconds(100 * i),
                 0,
                 0,
                 MakeUdp(m_fabric->GetVtepAddress(0),
                         m_fabric->GetVtepAddress(5),
                         static_cast<uint16_t>(20000 + i),
                         6081,
                         50));
    }
    Simulator::Run();
    ASSERT_EQ(m_arrivals.size(), flows);
    for (uint32_t s = 0; s < 4; ++s)
    {
        EXPECT_NEAR(perSpine[s], flows / 4.0, flows / 4.0 * 0.15) << "spine" << s;
    }
    // The spines spread over the two leaves of rack 1, i.e. over host5's two uplinks.
    std::array<uint32_t, 2> perUplink{};
    for (const auto& a : m_arrivals)
    {
        ++perUplink[a.uplink];
    }
    EXPECT_NEAR(perUplink[0], flows / 2.0, flows / 2.0 * 0.1);
    EXPECT_NEAR(perUplink[1], flows / 2.0, flows / 2.0 * 0.1);
}

TEST_F(UnderlayTest, EcmpSeedsDifferPerSwitchAndFollowTheScenarioSeed)
{
    FabricConfig cfg;
    cfg.spines = 4;
    Ptr<LeafSpineFabric> a = CreateObject<LeafSpineFabric>(cfg, 7);
    Ptr<LeafSpineFabric> b = CreateObject<LeafSpineFabric>(cfg, 7);
    Ptr<LeafSpineFabric> c = CreateObject<LeafSpineFabric>(cfg, 8);
    std::set<uint64_t> seedsA;
    std::set<uint64_t> seedsC;
    for (uint32_t i = 0; i < a->GetSwitches().size(); ++i)
    {
        seedsA.insert(a->GetSwitches()[i]->GetEcmpSeed());
        seedsC.insert(c->GetSwitches()[i]->GetEcmpSeed());
        EXPECT_EQ(a->GetSwitches()[i]->GetEcmpSeed(), b->GetSwitches()[i]->GetEcmpSeed());
    }
    EXPECT_EQ(seedsA.size(), a->GetSwitches().size());
    for (uint64_t s : seedsC)
    {
        EXPECT_EQ(seedsA.count(s), 0u);
    }

    // Different seeds decorrelate the choices: leaf0 and leaf1 have the same port layout
    // (port s = spine s) and agree on about 1/4 of the flows, not on all of them.
    Ptr<FabricSwitch> leaf0 = a->GetLeaf(0);
    Ptr<FabricSwitch> leaf1 = a->GetLeaf(1);
    uint32_t agree = 0;
    const uint32_t flows = 4000;
    for (uint32_t i = 0; i < flows; ++i)
    {
        Ptr<Packet> frame = MakeUdp(a->GetVtepAddress(0),
                                    a->GetVtepAddress(5),
                                    static_cast<uint16_t>(20000 + i),
                                    6081,
                                    10);
        EthernetHeader eth;
        eth.SetLengthType(ETHERTYPE_IPV4);
        frame->AddHeader(eth);
        const int32_t p0 = leaf0->GetEgressPort(frame);
        const int32_t p1 = leaf1->GetEgressPort(frame);
        ASSERT_GE(p0, 0);
        ASSERT_LT(p0, 4);
        ASSERT_EQ(p0, leaf0->GetEgressPort(frame));
        agree += p0 == p1 ? 1 : 0;
    }
    EXPECT_NEAR(agree, flows / 4.0, flows / 4.0 * 0.2);
}

TEST_F(UnderlayTest, EcmpIgnoresPortsOfFragments)
{
    const uint64_t seed = 99;
    // Same addresses, protocol: the hash of a fragment must not depend on (garbage) ports.
    Ptr<FabricSwitch> sw = CreateObject<FabricSwitch>();
    sw->SetEcmpSeed(seed);
    EXPECT_EQ(HashFiveTuple(FiveTuple{1, 2, 0, 0, 17}, seed),
              HashFiveTuple(FiveTuple{1, 2, 0, 0, 17}, seed));
    EXPECT_NE(HashFiveTuple(FiveTuple{1, 2, 1, 0, 17}, seed),
              HashFiveTuple(FiveTuple{1, 2, 0, 0, 17}, seed));
    EXPECT_NE(HashFiveTuple(FiveTuple{1, 2, 0, 0, 17}, seed),
              HashFiveTuple(FiveTuple{1, 2, 0, 0, 17}, seed + 1));

    FabricConfig cfg;
    cfg.spines = 8;
    Build(cfg);
    Ptr<FabricSwitch> leaf0 = m_fabric->GetLeaf(0);
    std::set<int32_t> portsFragments;
    std::set<int32_t> portsWhole;
    for (uint32_t i = 0; i < 64; ++i)
    {
        Ipv4Header ip;
        ip.SetSource(m_fabric->GetVtepAddress(0));
        ip.SetDestination(m_fabric->GetVtepAddress(5));
        ip.SetProtocol(17);
        ip.SetTtl(64);
        ip.SetPayloadSize(8);
        Ipv4Header frag = ip;
        frag.SetMoreFragments();
        UdpHeader udp;
        udp.SetSourcePort(static_cast<uint16_t>(1000 + i));
        udp.SetDestinationPort(6081);
        EthernetHeader eth;
        eth.SetLengthType(ETHERTYPE_IPV4);
        Ptr<Packet> whole = Create<Packet>();
        whole->AddHeader(udp);
        whole->AddHeader(ip);
        whole->AddHeader(eth);
        Ptr<Packet> first = Create<Packet>();
        first->AddHeader(udp);
        first->AddHeader(frag);
        first->AddHeader(eth);
        portsWhole.insert(leaf0->GetEgressPort(whole));
        portsFragments.insert(leaf0->GetEgressPort(first));
    }
    EXPECT_GT(portsWhole.size(), 4u);
    EXPECT_EQ(portsFragments.size(), 1u);
}

TEST_F(UnderlayTest, TtlExpiresInTheFabricWithReason)
{
    FabricConfig cfg;
    Build(cfg);
    // TTL 1: leaf0 would send it out with 0. TTL 2: spine drops. TTL 3: leaf2/3 drops.
    // TTL 4: delivered with 1.
    for (uint8_t ttl = 1; ttl <= 4; ++ttl)
    {
        InjectAt(MicroSeconds(ttl),
                 0,
                 0,
                 MakeUdp(m_fabric->GetVtepAddress(0),
                         m_fabric->GetVtepAddress(5),
                         5000,
                         6081,
                         100,
                         ttl));
    }
    Simulator::Run();
    ASSERT_EQ(m_drops.size(), 3u);
    EXPECT_EQ(m_drops[0].reason, DropReason::TTL_EXPIRED);
    EXPECT_EQ(m_drops[0].where, "leaf0");
    EXPECT_EQ(m_drops[1].reason, DropReason::TTL_EXPIRED);
    EXPECT_EQ(m_drops[1].where.substr(0, 5), "spine");
    EXPECT_EQ(m_drops[2].reason, DropReason::TTL_EXPIRED);
    EXPECT_EQ(m_drops[2].where.substr(0, 4), "leaf");
    ASSERT_EQ(m_arrivals.size(), 1u);
    EXPECT_EQ(Parse(m_arrivals[0].frame).ip.GetTtl(), 1);
}

TEST_F(UnderlayTest, NonIpv4FramesAndUnknownDestinationsAreDroppedWithReason)
{
    FabricConfig cfg;
    Build(cfg);
    Simulator::Schedule(MicroSeconds(1), [this]() {
        Ptr<FabricNetDevice> nic = m_fabric->GetHostUplink(0, 0);
        nic->Send(Create<Packet>(100), nic->GetPeer()->GetAddress(), 0x86dd); // IPv6 type
        Inject(nic, MakeUdp(m_fabric->GetVtepAddress(0), Ipv4Address("10.9.9.9"), 1, 2, 100));
    });
    Simulator::Run();
    ASSERT_EQ(m_drops.size(), 2u);
    EXPECT_EQ(m_drops[0].reason, DropReason::MALFORMED);
    EXPECT_EQ(m_drops[1].reason, DropReason::NO_ROUTE);
    EXPECT_EQ(m_drops[1].where, "leaf0");
    EXPECT_TRUE(m_arrivals.empty());
}

// ------------------------------------------------------------------------------------------
// Queue and MTU
// ------------------------------------------------------------------------------------------

TEST_F(UnderlayTest, BurstLargerThanQueueDropsExactlyTheExcess)
{
    FabricConfig cfg;
    Build(cfg);
    Ptr<FabricNetDevice> nic = m_fabric->GetHostUplink(0, 0);
    // Ten 1000-byte frames (1004 bytes with the FCS), the one being serialised included.
    nic->SetQueueBytes(10040);
    std::vector<bool> accepted;
    auto burst = [this, nic, &accepted](uint32_t n, uint16_t sport) {
        for (uint32_t i = 0; i < n; ++i)
        {
            ++m_injected;
            accepted.push_back(Inject(nic,
                                      MakeUdp(m_fabric->GetVtepAddress(0),
                                              m_fabric->GetVtepAddress(5),
                                              sport,
                                              6081,
                                              958)));
        }
    };
    const Time t0 = MicroSeconds(5);
    Simulator::Schedule(t0, [&burst]() { burst(25, 1); });
    // Two frames serialised (1024 wire bytes each: 2 x 327.68 = 655.36 ns): room for exactly
    // two more.
    Simulator::Schedule(t0 + NanoSeconds(656), [&burst]() { burst(5, 2); });
    // Everything serialised (12 x 327.68 = 3932.16 ns): room for ten again.
    Simulator::Schedule(t0 + NanoSeconds(3933), [&burst]() { burst(12, 3); });
    Simulator::Run();

    ASSERT_EQ(accepted.size(), 42u);
    uint32_t ok = 0;
    for (uint32_t i = 0; i < accepted.size(); ++i)
    {
        const bool expected = i < 10 || (i >= 25 && i < 27) || (i >= 30 && i < 40);
        EXPECT_EQ(accepted[i], expected) << "frame " << i;
        ok += accepted[i] ? 1 : 0;
    }
    EXPECT_EQ(ok, 22u);
    EXPECT_EQ(CountDrops(DropReason::QUEUE_OVERFLOW, "host0/uplink0"), 20u);
    EXPECT_EQ(m_drops.size(), 20u);
    ASSERT_EQ(m_arrivals.size(), 22u);
    // The first burst leaves back to back, one frame every 327.68 ns: each arrival at a whole
    // ns (327 or 328 ns apart), and no rounding error accumulated over the nine gaps.
    for (uint32_t i = 1; i < 10; ++i)
    {
        const Time gap = m_arrivals[i].at - m_arrivals[i - 1].at;
        EXPECT_TRUE(gap == NanoSeconds(327) || gap == NanoSeconds(328)) << gap;
    }
    EXPECT_NEAR((m_arrivals[9].at - m_arrivals[0].at).GetNanoSeconds(), 9 * 327.68, 1.0);
}

TEST_F(UnderlayTest, FrameLargerThanMtuIsDroppedWithReason)
{
    FabricConfig cfg;
    cfg.access.mtu = 1500;
    Build(cfg);
    Simulator::Schedule(MicroSeconds(1), [this]() {
        Ptr<FabricNetDevice> nic = m_fabric->GetHostUplink(0, 0);
        // 1500-byte IP packet: fits. 1501: does not.
        EXPECT_TRUE(Inject(
            nic,
            MakeUdp(m_fabric->GetVtepAddress(0), m_fabric->GetVtepAddress(5), 1, 2, 1500 - 28)));
        EXPECT_FALSE(Inject(
            nic,
            MakeUdp(m_fabric->GetVtepAddress(0), m_fabric->GetVtepAddress(5), 1, 2, 1501 - 28)));
    });
    Simulator::Run();
    EXPECT_EQ(m_arrivals.size(), 1u);
    ASSERT_EQ(m_drops.size(), 1u);
    EXPECT_EQ(m_drops[0].reason, DropReason::MTU_EXCEEDED);
    EXPECT_EQ(m_drops[0].where, "host0/uplink0");
}

// ------------------------------------------------------------------------------------------
// Link faults and routing
// ------------------------------------------------------------------------------------------

TEST_F(UnderlayTest, CoreLinkDownAdjacentSwitchesAtOnceRemoteLeavesAfterExactlyConvergence)
{
    FabricConfig cfg;
    cfg.uplinksPerHost = 1; // rack 1's hosts hang off leaf2 only: spine0 has no way around
    cfg.routingConvergence = MilliSeconds(1);
    Build(cfg);
    const Time tDown = MilliSeconds(2);
    const Time tUp = MilliSeconds(4);
    const Time conv = cfg.routingConvergence;
    const uint32_t vtep5 = m_fabric->GetVtepAddress(5).Get();

    // host0 (leaf0) <-> host5 (leaf2), many flows both ways, one packet every 1 us each way.
    Cbr(0, 0, 5, MilliSeconds(1), MilliSeconds(6), MicroSeconds(1), 64);
    Cbr(5, 0, 0, MilliSeconds(1), MilliSeconds(6), MicroSeconds(1), 64);
    Simulator::Schedule(tDown, [this]() { m_fabric->SetLinkCarrier("leaf2-spine0", false); });
    Simulator::Schedule(tUp, [this]() { m_fabric->SetLinkCarrier("leaf2-spine0", true); });

    // What leaf0 sends to spine0 for host5, and what leaf2 sends to spine0, over time.
    std::vector<Time> leaf0ToSpine0For5;
    std::vector<Time> spine0FromLeaf0For5;
    std::vector<Time> leaf2ToSpine0;
    m_fabric->GetLinkEnds("leaf0-spine0")
        .second->TraceConnectWithoutContext(
            "WireRx",
            Callback<void, Ptr<const Packet>>([&](Ptr<const Packet> f) {
                if (FrameDestination(f) == vtep5)
                {
                    spine0FromLeaf0For5.push_back(Simulator::Now());
                }
            }));
    m_fabric->GetLinkEnds("leaf0-spine0")
        .first->TraceConnectWithoutContext(
            "WireTx",
            Callback<void, Ptr<const Packet>>([&](Ptr<const Packet> f) {
                if (FrameDestination(f) == vtep5)
                {
                    leaf0ToSpine0For5.push_back(Simulator::Now());
                }
            }));
    m_fabric->GetLinkEnds("leaf2-spine0")
        .first->TraceConnectWithoutContext(
            "WireTx",
            Callback<void, Ptr<const Packet>>(
                [&](Ptr<const Packet>) { leaf2ToSpine0.push_back(Simulator::Now()); }));
    // Adjacent switches, right after the event: the link is out of their tables.
    Ptr<FabricSwitch> spine0 = m_fabric->GetSpine(0);
    Ptr<FabricSwitch> leaf2 = m_fabric->GetLeaf(2);
    Ptr<FabricSwitch> leaf0 = m_fabric->GetLeaf(0);
    Simulator::Schedule(tDown, [&]() {
        EXPECT_EQ(spine0->GetRoute(Ipv4Address(vtep5)), nullptr);
        const NextHopGroup* g = leaf2->GetRoute(m_fabric->GetVtepAddress(0));
        ASSERT_NE(g, nullptr);
        EXPECT_EQ(g->ports, (std::vector<uint32_t>{1})); // spine1 only
        // Remote leaf0 still uses both spines.
        EXPECT_EQ(leaf0->GetRoute(Ipv4Address(vtep5))->ports.size(), 2u);
        EXPECT_TRUE(m_fabric->IsLinkUpForRouting("leaf2-spine0")); // not learnt yet
    });
    Simulator::Schedule(tDown + conv - NanoSeconds(1), [&]() {
        EXPECT_EQ(leaf0->GetRoute(Ipv4Address(vtep5))->ports.size(), 2u);
    });
    Simulator::Schedule(tDown + conv + NanoSeconds(1), [&]() {
        EXPECT_EQ(leaf0->GetRoute(Ipv4Address(vtep5))->ports, (std::vector<uint32_t>{1}));
        EXPECT_FALSE(m_fabric->IsLinkUpForRouting("leaf2-spine0"));
    });
    // Carrier back: nobody uses the link before tUp + conv, not even the adjacent switches.
    Simulator::Schedule(tUp + conv - NanoSeconds(1), [&]() {
        // Shortest paths on the graph: since convergence spine0 reaches rack 1 through another
        // leaf and spine1 (4 hops), never through the link that was down.
        EXPECT_EQ(spine0->GetRoute(Ipv4Address(vtep5))->ports, (std::vector<uint32_t>{0, 1, 3}));
        EXPECT_EQ(leaf2->GetRoute(m_fabric->GetVtepAddress(0))->ports.size(), 1u);
        EXPECT_EQ(leaf0->GetRoute(Ipv4Address(vtep5))->ports.size(), 1u);
    });
    Simulator::Schedule(tUp + conv + NanoSeconds(1), [&]() {
        EXPECT_EQ(spine0->GetRoute(Ipv4Address(vtep5))->ports, (std::vector<uint32_t>{2}));
        EXPECT_EQ(leaf2->GetRoute(m_fabric->GetVtepAddress(0))->ports.size(), 2u);
        EXPECT_EQ(leaf0->GetRoute(Ipv4Address(vtep5))->ports.size(), 2u);
    });
    Simulator::Run();

    // Routing converged exactly twice, at exactly event + convergence.
    ASSERT_EQ(m_converged.size(), 2u);
    EXPECT_EQ(m_converged[0], tDown + conv);
    EXPECT_EQ(m_converged[1], tUp + conv);

    // leaf2 stopped using the link at once.
    for (Time t : leaf2ToSpine0)
    {
        EXPECT_TRUE(t < tDown || t >= tUp + conv) << t;
    }
    // leaf0 kept sending to spine0 for host5 until exactly the convergence, then never until
    // the link was re-learnt.
    uint32_t duringWindow = 0;
    Time lastInWindow;
    for (Time t : leaf0ToSpine0For5)
    {
        EXPECT_TRUE(t < tDown + conv || t >= tUp + conv) << t;
        if (t >= tDown && t < tDown + conv)
        {
            ++duringWindow;
            lastInWindow = t;
        }
    }
    EXPECT_GT(duringWindow, 300u);
    EXPECT_GT(lastInWindow, tDown + conv - MicroSeconds(10));

    // Every frame for host5 that reached spine0 while it had no route died there with NO_ROUTE
    // (spine0's reverse traffic has another way: none of its drops are for host0). A frame
    // leaf0 sent just before convergence reaches spine0 after it and takes spine0's new path.
    uint32_t arrivedWithoutRoute = 0;
    for (Time t : spine0FromLeaf0For5)
    {
        arrivedWithoutRoute += (t >= tDown && t < tDown + conv) ? 1 : 0;
    }
    const uint32_t noRoute = CountDrops(DropReason::NO_ROUTE, "spine0");
    EXPECT_EQ(noRoute, arrivedWithoutRoute);
    EXPECT_LE(noRoute, duringWindow + 2);
    EXPECT_GE(noRoute + 2, duringWindow);
    for (const auto& d : m_drops)
    {
        if (d.reason == DropReason::NO_ROUTE)
        {
            EXPECT_EQ(d.where, "spine0");
            EXPECT_EQ(FrameDestination(d.frame), vtep5);
            EXPECT_GE(d.at, tDown);
            EXPECT_LT(d.at, tDown + conv + MicroSeconds(2));
        }
        else
        {
            // Frames on the wire of the failed link when the carrier went.
            EXPECT_EQ(d.reason, DropReason::LINK_DOWN);
            EXPECT_EQ(d.where, "leaf2-spine0");
            EXPECT_LT(d.at, tDown + MicroSeconds(2));
        }
    }
    // Nothing vanished: everything injected was delivered or dropped with a reason.
    EXPECT_EQ(m_injected, m_arrivals.size() + m_drops.size());
    EXPECT_EQ(m_injected, 2u * 5000u);
}

TEST_F(UnderlayTest, HostUplinkDownLeafReactsAtOnceSpinesAfterConvergence)
{
    FabricConfig cfg;
    cfg.routingConvergence = MicroSeconds(500);
    Build(cfg);
    const Time tDown = MilliSeconds(1);
    const Ipv4Address vtep5 = m_fabric->GetVtepAddress(5);
    Cbr(0, 0, 5, MicroSeconds(100), MilliSeconds(2), MicroSeconds(1), 64);
    Simulator::Schedule(tDown, [this]() { m_fabric->SetLinkCarrier("host5/uplink0", false); });
    bool sendFailed = false;
    Simulator::Schedule(tDown + MicroSeconds(1), [&]() {
        // The host side sees the carrier too: sending on it fails with LINK_DOWN.
        EXPECT_FALSE(m_fabric->GetHostUplink(5, 0)->IsLinkUp());
        ++m_injected;
        sendFailed = !Inject(m_fabric->GetHostUplink(5, 0),
                             MakeUdp(vtep5, m_fabric->GetVtepAddress(0), 1, 2, 100));
        // leaf2 has no way to host5 until routing converges.
        EXPECT_EQ(m_fabric->GetLeaf(2)->GetRoute(vtep5), nullptr);
    });
    Simulator::Schedule(tDown + cfg.routingConvergence + NanoSeconds(1), [&]() {
        // After convergence leaf2 reaches host5 through the spines and leaf3.
        const NextHopGroup* g = m_fabric->GetLeaf(2)->GetRoute(vtep5);
        ASSERT_NE(g, nullptr);
        EXPECT_EQ(g->ports, (std::vector<uint32_t>{0, 1}));
        EXPECT_EQ(m_fabric->GetSpine(0)->GetRoute(vtep5)->ports, (std::vector<uint32_t>{3}));
    });
    Simulator::Run();
    EXPECT_TRUE(sendFailed);
    ASSERT_EQ(m_converged.size(), 1u);
    EXPECT_EQ(m_converged[0], tDown + cfg.routingConvergence);
    uint32_t noRoute = 0;
    for (const auto& d : m_drops)
    {
        if (d.reason == DropReason::NO_ROUTE)
        {
            ++noRoute;
            EXPECT_EQ(d.where, "leaf2");
            EXPECT_GE(d.at, tDown);
            EXPECT_LT(d.at, tDown + cfg.routingConvergence + MicroSeconds(3));
        }
        else
        {
            EXPECT_EQ(d.reason, DropReason::LINK_DOWN);
        }
    }
    EXPECT_GT(noRoute, 100u);
    // After convergence every packet arrives on uplink1.
    for (const auto& a : m_arrivals)
    {
        if (a.at > tDown)
        {
            EXPECT_EQ(a.uplink, 1u);
        }
    }
    EXPECT_EQ(m_injected, m_arrivals.size() + m_drops.size());
}

TEST_F(UnderlayTest, EventsMaturingTogetherShareOneRecomputation)
{
    FabricConfig cfg;
    cfg.routingConvergence = MilliSeconds(1);
    Build(cfg);
    Simulator::Schedule(MilliSeconds(1), [this]() {
        m_fabric->SetLinkCarrier("leaf0-spine0", false);
        m_fabric->SetLinkCarrier("leaf1-spine1", false);
    });
    Simulator::Schedule(MilliSeconds(1) + MicroSeconds(300),
                        [this]() { m_fabric->SetLinkCarrier("leaf0-spine0", true); });
    Simulator::Run();
    ASSERT_EQ(m_converged.size(), 2u);
    EXPECT_EQ(m_converged[0], MilliSeconds(2));
    EXPECT_EQ(m_converged[1], MilliSeconds(2) + MicroSeconds(300));
    EXPECT_TRUE(m_fabric->IsLinkUpForRouting("leaf0-spine0"));
    EXPECT_FALSE(m_fabric->IsLinkUpForRouting("leaf1-spine1"));
}

TEST_F(UnderlayTest, SilentDropOfOneDropsEverythingAndRoutingNeverChanges)
{
    FabricConfig cfg;
    cfg.routingConvergence = MicroSeconds(100);
    Build(cfg);
    const auto leaf0Before = m_fabric->GetLeaf(0)->GetRoutes().size();
    const NextHopGroup before = *m_fabric->GetSpine(0)->GetRoute(m_fabric->GetVtepAddress(0));
    m_fabric->SetSilentDrop("host0/uplink0", FaultDirection::FORWARD, 1.0);
    Cbr(0, 0, 5, MicroSeconds(10), MicroSeconds(1010), MicroSeconds(1), 16); // 1000 frames
    Cbr(5, 1, 0, MicroSeconds(10), MicroSeconds(1010), MicroSeconds(1), 16); // reverse traffic
    Simulator::Run();
    EXPECT_EQ(CountDrops(DropReason::SILENT_DROP, "host0/uplink0"), 1000u);
    EXPECT_EQ(m_drops.size(), 1000u);
    // The reverse direction of the same link is untouched: everything reaches host0.
    EXPECT_EQ(m_arrivals.size(), 1000u);
    for (const auto& a : m_arrivals)
    {
        EXPECT_EQ(a.host, 0u);
    }
    EXPECT_TRUE(m_converged.empty());
    EXPECT_TRUE(m_fabric->IsLinkUpForRouting("host0/uplink0"));
    EXPECT_TRUE(m_fabric->GetHostUplink(0, 0)->IsLinkUp());
    EXPECT_EQ(m_fabric->GetLeaf(0)->GetRoutes().size(), leaf0Before);
    EXPECT_EQ(m_fabric->GetSpine(0)->GetRoute(m_fabric->GetVtepAddress(0))->ports, before.ports);
}

TEST_F(UnderlayTest, PartialSilentDropIsDeterministicForAssignedStreams)
{
    auto run = [this](int64_t stream) {
        FabricConfig cfg;
        Build(cfg);
        m_fabric->AssignStreams(stream);
        m_fabric->SetSilentDrop("leaf0-spine1", FaultDirection::BOTH, 0.3);
        Cbr(0, 0, 5, MicroSeconds(10), MicroSeconds(4010), MicroSeconds(1), 256);
        Simulator::Run();
        const uint32_t drops = CountDrops(DropReason::SILENT_DROP, "leaf0-spine1");
        EXPECT_EQ(m_injected, m_arrivals.size() + m_drops.size());
        Simulator::Destroy();
        m_arrivals.clear();
        m_drops.clear();
        m_injected = 0;
        return drops;
    };
    const uint32_t a = run(5);
    const uint32_t b = run(5);
    const uint32_t c = run(6);
    EXPECT_EQ(a, b);
    EXPECT_NE(a, c);
    // About half the flows hash onto spine1, 30 % of those are dropped.
    EXPECT_NEAR(a, 4000 * 0.5 * 0.3, 150);
}

TEST_F(UnderlayTest, AddedDelayDelaysOnlyItsDirection)
{
    FabricConfig cfg;
    Build(cfg);
    m_fabric->SetAddedDelay("host0/uplink0", FaultDirection::FORWARD, MicroSeconds(7));
    InjectAt(MicroSeconds(1),
             0,
             0,
             MakeUdp(m_fabric->GetVtepAddress(0), m_fabric->GetVtepAddress(1), 5000, 6081, 958));
    Simulator::Run();
    ASSERT_EQ(m_arrivals.size(), 1u);
    EXPECT_EQ(m_arrivals[0].at,
              MicroSeconds(1) + NanoSeconds(2 * 328 + 2 * 1000) + MicroSeconds(7));
    EXPECT_EQ(m_fabric->GetLinkEnds("host0/uplink0").second->GetAddedDelay(), Time(0));
}

// ------------------------------------------------------------------------------------------
// Accounting
// ------------------------------------------------------------------------------------------

TEST_F(UnderlayTest, PerDeviceWireTxEqualsPeerWireRxPlusOnWireAndLossesLeaveTheWireFirst)
{
    FabricConfig cfg;
    cfg.routingConvergence = MicroSeconds(200);
    Build(cfg);
    m_fabric->GetHostUplink(1, 0)->SetQueueBytes(3000);

    // Per device: frames it accepted and that are not resolved yet (uid set), counters.
    struct Counters
    {
        uint64_t wireTx{0};
        uint64_t peerWireRx{0};
        uint64_t dropsAfterAccept{0};
        uint64_t dropsBeforeAccept{0};
        std::set<uint64_t> onWire;
        uint64_t lastLeft{UINT64_MAX}; //!< uid of the frame whose WireRx fired last
    };

    const auto& devices = m_fabric->GetDevices();
    std::vector<Counters> c(devices.size());
    std::map<const FabricNetDevice*, std::size_t> index;
    for (std::size_t i = 0; i < devices.size(); ++i)
    {
        index[PeekPointer(devices[i])] = i;
    }
    for (std::size_t i = 0; i < devices.size(); ++i)
    {
        Counters* me = &c[i];
        Counters* sender = &c[index[PeekPointer(devices[i]->GetPeer())]];
        devices[i]->TraceConnectWithoutContext(
            "WireTx",
            Callback<void, Ptr<const Packet>>([me](Ptr<const Packet> p) {
                ++me->wireTx;
                me->onWire.insert(p->GetUid());
            }));
        devices[i]->TraceConnectWithoutContext(
            "WireRx",
            Callback<void, Ptr<const Packet>>([sender](Ptr<const Packet> p) {
                ++sender->peerWireRx;
                sender->lastLeft = p->GetUid();
                ASSERT_EQ(sender->onWire.erase(p->GetUid()), 1u);
            }));
        devices[i]->TraceConnectWithoutContext(
            "Drop",
            Callback<void, Ptr<const Packet>, DropReason>([me](Ptr<const Packet> p, DropReason) {
                // A frame lost on the link leaves it (peer's WireRx) just before its Drop.
                ASSERT_EQ(me->onWire.count(p->GetUid()), 0u);
                if (me->lastLeft == p->GetUid())
                {
                    ++me->dropsAfterAccept;
                }
                else
                {
                    ++me->dropsBeforeAccept;
                }
            }));
    }

    // Traffic both ways between the racks, bursts from host1 into a small queue, a partial
    // silent drop, and a core link lost while frames are on it.
    for (uint32_t h = 0; h < 4; ++h)
    {
        Cbr(h, h % 2, 4 + h, MicroSeconds(10), MicroSeconds(1500), MicroSeconds(1), 32, 1200);
        Cbr(4 + h, h % 2, h, MicroSeconds(10), MicroSeconds(1500), MicroSeconds(1), 32, 1200);
    }
    for (uint32_t b = 0; b < 50; ++b)
    {
        for (uint32_t i = 0; i < 6; ++i)
        {
            InjectAt(MicroSeconds(20 + 20 * b),
                     1,
                     0,
                     MakeUdp(m_fabric->GetVtepAddress(1),
                             m_fabric->GetVtepAddress(6),
                             static_cast<uint16_t>(3000 + i),
                             6081,
                             958));
        }
    }
    m_fabric->SetSilentDrop("leaf1-spine0", FaultDirection::FORWARD, 0.2);
    Simulator::Schedule(MicroSeconds(700) + NanoSeconds(500),
                        [this]() { m_fabric->SetLinkCarrier("leaf2-spine1", false); });

    auto check = [&](bool expectOnWire) {
        uint64_t onWire = 0;
        uint64_t after = 0;
        uint64_t before = 0;
        for (std::size_t i = 0; i < c.size(); ++i)
        {
            EXPECT_EQ(c[i].wireTx, c[i].peerWireRx + c[i].onWire.size())
                << m_fabric->GetLinkName(devices[i]);
            onWire += c[i].onWire.size();
            after += c[i].dropsAfterAccept;
            before += c[i].dropsBeforeAccept;
        }
        EXPECT_EQ(onWire > 0, expectOnWire);
        EXPECT_GT(after, 0u);  // silent drops and in-flight link-down drops
        EXPECT_GT(before, 0u); // queue overflows
        return onWire;
    };

    // Stop in the middle of the traffic, with frames on the wire.
    Simulator::Stop(MicroSeconds(701));
    Simulator::Run();
    std::vector<std::set<uint64_t>> pending;
    for (const auto& x : c)
    {
        pending.push_back(x.onWire);
    }
    const uint64_t onWireMid = check(true);
    EXPECT_GT(onWireMid, 8u);

    // Run to the end: every frame that was on the wire is resolved (received or dropped).
    Simulator::Stop(MilliSeconds(100));
    Simulator::Run();
    check(false);
    EXPECT_GT(CountDrops(DropReason::LINK_DOWN, "leaf2-spine1"), 0u);
    EXPECT_GT(CountDrops(DropReason::SILENT_DROP, "leaf1-spine0"), 0u);
    EXPECT_GT(CountDrops(DropReason::QUEUE_OVERFLOW, "host1/uplink0"), 0u);
    // Whole fabric: injected = delivered + dropped with a reason (devices and switches).
    EXPECT_EQ(m_injected, m_arrivals.size() + m_drops.size());
}

// ------------------------------------------------------------------------------------------
// The link on its own
// ------------------------------------------------------------------------------------------

class FabricLinkTest : public ::testing::Test
{
  protected:
    void SetUp() override
    {
        m_a = CreateObject<FabricNetDevice>();
        m_b = CreateObject<FabricNetDevice>();
        m_na = CreateObject<Node>();
        m_nb = CreateObject<Node>();
        m_na->AddDevice(m_a);
        m_nb->AddDevice(m_b);
        m_channel = CreateObject<FabricChannel>();
        m_channel->SetDelay(MicroSeconds(1));
        ASSERT_TRUE(m_a->Attach(m_channel));
        ASSERT_TRUE(m_b->Attach(m_channel));
        m_b->SetFrameHandler(
            FabricNetDevice::FrameHandler([this](Ptr<FabricNetDevice> dev, Ptr<Packet> frame) {
                EXPECT_EQ(dev, m_b);
                m_rx.emplace_back(Simulator::Now(), frame);
            }));
        m_a->TraceConnectWithoutContext(
            "Drop",
            Callback<void, Ptr<const Packet>, DropReason>([this](Ptr<const Packet>, DropReason r) {
                m_dropTimes.emplace_back(Simulator::Now(), r);
            }));
    }

    void TearDown() override
    {
        Simulator::Destroy();
    }

    bool SendFromA(uint32_t frameBytes)
    {
        return m_a->Send(Create<Packet>(frameBytes - 14), m_b->GetAddress(), ETHERTYPE_IPV4);
    }

    Ptr<FabricNetDevice> m_a;
    Ptr<FabricNetDevice> m_b;
    Ptr<Node> m_na;
    Ptr<Node> m_nb;
    Ptr<FabricChannel> m_channel;
    std::vector<std::pair<Time, Ptr<Packet>>> m_rx;
    std::vector<std::pair<Time, DropReason>> m_dropTimes;
};

TEST_F(FabricLinkTest, SerializationTimeMatchesDataRateRounding)
{
    m_a->SetLayer1Overhead(false); // frame bytes only, the time DataRate gives
    for (const char* rate : {"25Gbps", "100Gbps", "16Gbps", "7Gbps", "1Mbps", "40Gbps"})
    {
        m_a->SetDataRate(DataRate(rate));
        for (uint32_t bytes : {1u, 3u, 64u, 999u, 1000u, 1001u, 1503u, 9014u})
        {
            EXPECT_EQ(m_a->GetSerializationTime(bytes), DataRate(rate).CalculateBytesTxTime(bytes))
                << rate << " " << bytes;
        }
    }
    // Through the attribute system too.
    m_a->SetAttribute("DataRate", DataRateValue(DataRate("10Gbps")));
    EXPECT_EQ(m_a->GetSerializationTime(1000), NanoSeconds(800));
}

TEST_F(FabricLinkTest, FramesCarryEthernetHeaderAndArriveAfterSerializationPlusDelay)
{
    Simulator::Schedule(NanoSeconds(100), [this]() {
        EXPECT_TRUE(SendFromA(1000));
        EXPECT_TRUE(SendFromA(1000));             // waits for the first: FIFO
        EXPECT_EQ(m_a->GetBacklogBytes(), 2008u); // 2 x (1000 + FCS 4)
    });
    Simulator::Schedule(NanoSeconds(100 + 160), [this]() {
        // 160 ns = 500 bytes of wire time: the preamble + SFD (8), then 492 bytes of the frame.
        EXPECT_EQ(m_a->GetBacklogBytes(), 1516u);
    });
    Simulator::Run();
    ASSERT_EQ(m_rx.size(), 2u);
    // 1024 bytes of wire time each: 327.68 ns, ends at 327.68 and 655.36 rounded to the ns.
    EXPECT_EQ(m_rx[0].first, NanoSeconds(100 + 328 + 1000));
    EXPECT_EQ(m_rx[1].first, NanoSeconds(100 + 655 + 1000));
    EthernetHeader eth;
    EXPECT_EQ(m_rx[0].second->GetSize(), 1000u);
    m_rx[0].second->RemoveHeader(eth);
    EXPECT_EQ(eth.GetSource(), m_a->GetMacAddress());
    EXPECT_EQ(eth.GetDestination(), m_b->GetMacAddress());
    EXPECT_EQ(eth.GetLengthType(), ETHERTYPE_IPV4);
}

TEST_F(FabricLinkTest, CarrierLossSeenByBothEndsAtOnceAndInFlightFramesDropped)
{
    std::vector<std::string> calls;
    m_a->AddLinkChangeCallback(Callback<void>([&]() {
        calls.push_back(std::string("a:") + (m_a->IsLinkUp() ? "up" : "down") +
                        (m_b->IsLinkUp() ? "/up" : "/down"));
    }));
    m_b->AddLinkChangeCallback(Callback<void>([&]() {
        calls.push_back(std::string("b:") + (m_b->IsLinkUp() ? "up" : "down") +
                        (m_a->IsLinkUp() ? "/up" : "/down"));
    }));
    bool sentWhileDown = true;
    Simulator::Schedule(Time(0), [this]() {
        SendFromA(1000); // on the wire at 100 ns
        SendFromA(1000); // still queued at 100 ns
    });
    Simulator::Schedule(NanoSeconds(100), [this]() { m_channel->SetCarrier(false); });
    Simulator::Schedule(NanoSeconds(150), [&]() { sentWhileDown = SendFromA(1000); });
    // Carrier back before the first frame would have arrived: it is still lost (epoch).
    Simulator::Schedule(NanoSeconds(200), [this]() { m_channel->SetCarrier(true); });
    // The transmitter was emptied at carrier loss: a new frame leaves at once.
    Simulator::Schedule(NanoSeconds(300), [this]() { EXPECT_TRUE(SendFromA(1000)); });
    Simulator::Run();

    EXPECT_EQ(calls,
              (std::vector<std::string>{"a:down/down", "b:down/down", "a:up/up", "b:up/up"}));
    EXPECT_FALSE(sentWhileDown);
    ASSERT_EQ(m_dropTimes.size(), 3u);
    EXPECT_EQ(m_dropTimes[0], std::make_pair(Time(NanoSeconds(150)), DropReason::LINK_DOWN));
    // 1024 wire bytes take 327.68 ns: would-be arrivals at 327.68 and 655.36 + 1000, rounded.
    EXPECT_EQ(m_dropTimes[1], std::make_pair(Time(NanoSeconds(1328)), DropReason::LINK_DOWN));
    EXPECT_EQ(m_dropTimes[2], std::make_pair(Time(NanoSeconds(1655)), DropReason::LINK_DOWN));
    ASSERT_EQ(m_rx.size(), 1u);
    EXPECT_EQ(m_rx[0].first, NanoSeconds(300 + 328 + 1000));
}

TEST_F(FabricLinkTest, WithoutFrameHandlerTheStandardReceiveCallbackGetsThePayload)
{
    m_b->SetFrameHandler(FabricNetDevice::FrameHandler());
    uint32_t received = 0;
    m_b->SetReceiveCallback(NetDevice::ReceiveCallback(
        [&](Ptr<NetDevice> dev, Ptr<const Packet> p, uint16_t proto, const Address& from) {
            ++received;
            EXPECT_EQ(p->GetSize(), 986u);
            EXPECT_EQ(proto, ETHERTYPE_IPV4);
            EXPECT_EQ(Mac48Address::ConvertFrom(from), m_a->GetMacAddress());
            return true;
        }));
    Simulator::Schedule(Time(0), [this]() { SendFromA(1000); });
    Simulator::Run();
    EXPECT_EQ(received, 1u);
}

// ------------------------------------------------------------------------------------------
// Wire-exact timing
// ------------------------------------------------------------------------------------------

TEST_F(FabricLinkTest, WireAndQueuedBytesAddLayer1OverheadAndPadShortFrames)
{
    ASSERT_TRUE(m_a->GetLayer1Overhead()); // the default
    // 8 preamble + SFD, the frame padded to 60, 4 FCS, 12 gap; the FIFO holds the MAC frame.
    EXPECT_EQ(m_a->GetWireBytes(1400), 1424u);
    EXPECT_EQ(m_a->GetQueuedBytes(1400), 1404u);
    EXPECT_EQ(m_a->GetWireBytes(60), 84u);
    EXPECT_EQ(m_a->GetWireBytes(20), 84u); // padded to the 64-byte minimum frame
    EXPECT_EQ(m_a->GetQueuedBytes(20), 64u);
    EXPECT_EQ(m_a->GetWireBytes(61), 85u);
    m_a->SetAttribute("Layer1Overhead", BooleanValue(false));
    EXPECT_EQ(m_a->GetWireBytes(1400), 1400u);
    EXPECT_EQ(m_a->GetQueuedBytes(1400), 1400u);
    EXPECT_EQ(m_a->GetWireBytes(20), 20u);
}

TEST_F(FabricLinkTest, Layer1OverheadOffRestoresTheOldPerFrameTime)
{
    // Per frame (SerializationTimeMatchesDataRateRounding above), and on the link: a frame on
    // an idle transmitter arrives when it did before, 1442 bytes at 25 Gb/s taking 461.44 ns,
    // rounded to 461; 1000-byte frames sent back to back take 320 ns each, and the backlog is
    // the frame bytes.
    m_a->SetLayer1Overhead(false);
    Simulator::Schedule(NanoSeconds(100), [this]() { EXPECT_TRUE(SendFromA(1442)); });
    Simulator::Schedule(NanoSeconds(5000), [this]() {
        EXPECT_TRUE(SendFromA(1000));
        EXPECT_TRUE(SendFromA(1000));
        EXPECT_EQ(m_a->GetBacklogBytes(), 2000u);
    });
    Simulator::Schedule(NanoSeconds(5000 + 160),
                        [this]() { EXPECT_EQ(m_a->GetBacklogBytes(), 1500u); });
    Simulator::Run();
    ASSERT_EQ(m_rx.size(), 3u);
    EXPECT_EQ(m_rx[0].first, NanoSeconds(100 + 461 + 1000));
    EXPECT_EQ(m_rx[1].first, NanoSeconds(5000 + 320 + 1000));
    EXPECT_EQ(m_rx[2].first, NanoSeconds(5000 + 640 + 1000));
}

TEST_F(FabricLinkTest, SerializationTimeWithLayer1OverheadIsTheWireSizeAtTheRate)
{
    for (const char* rate : {"25Gbps", "100Gbps", "7Gbps", "1Mbps"})
    {
        m_a->SetDataRate(DataRate(rate));
        for (uint32_t bytes : {14u, 59u, 60u, 61u, 1000u, 1400u, 9014u})
        {
            const uint32_t wire = std::max(bytes, 60u) + 24;
            EXPECT_EQ(m_a->GetSerializationTime(bytes), DataRate(rate).CalculateBytesTxTime(wire))
                << rate << " " << bytes;
        }
    }
    m_a->SetDataRate(DataRate("25Gbps"));
    EXPECT_EQ(m_a->GetSerializationTime(1400), NanoSeconds(456)); // 455.68 ns, rounded
}

/// One burst or saturation case: frame size, line rate, overhead, and what follows from them.
struct WireCase
{
    uint32_t frameBytes; //!< Ethernet header + payload
    const char* rate;    //!< line rate
    bool layer1;         //!< Layer1Overhead
    uint32_t wireBytes;  //!< wire bytes of one frame
    int64_t burstEndNs;  //!< 10,000 frames: 10000 * wireBytes * 8 / rate, rounded to the ns
};

/// How gtest and ctest show a WireCase.
void
PrintTo(const WireCase& c, std::ostream* os)
{
    *os << c.frameBytes << " bytes at " << c.rate << (c.layer1 ? " with" : " without")
        << " layer-1 overhead";
}

/// The link on its own, for each WireCase.
class WireTimingTest : public FabricLinkTest, public ::testing::WithParamInterface<WireCase>
{
  protected:
    void SetUp() override
    {
        FabricLinkTest::SetUp();
        m_a->SetDataRate(DataRate(GetParam().rate));
        m_a->SetLayer1Overhead(GetParam().layer1);
        ASSERT_EQ(m_a->GetWireBytes(GetParam().frameBytes), GetParam().wireBytes);
    }
};

// Per frame, the old model rounded each frame's time to the ns: 1424 bytes at 25 Gb/s took 456
// ns instead of 455.68, 1442 bytes 461 instead of 461.44, 64 + 24 bytes at 100 Gb/s 7 instead
// of 7.04, 1401 bytes at 7 Gb/s 1601 instead of 1601.142857...; 10,000 frames added that up.
INSTANTIATE_TEST_SUITE_P(
    Cases,
    WireTimingTest,
    ::testing::Values(WireCase{1400, "25Gbps", true, 1424, 4556800},  // 10^4 x 455.68
                      WireCase{1400, "25Gbps", false, 1400, 4480000}, // 10^4 x 448
                      WireCase{1442, "25Gbps", false, 1442, 4614400}, // 10^4 x 461.44
                      WireCase{64, "100Gbps", true, 88, 70400},       // 10^4 x 7.04
                      WireCase{64, "100Gbps", false, 64, 51200},      // 10^4 x 5.12
                      WireCase{1401, "7Gbps", false, 1401, 16011429}, // 16011428.571...
                      WireCase{1401, "7Gbps", true, 1425, 16285714}), // 16285714.285...
    [](const ::testing::TestParamInfo<WireCase>& info) {
        return std::to_string(info.param.frameBytes) + "B_" + info.param.rate +
               (info.param.layer1 ? "_Layer1" : "_NoLayer1");
    });

TEST_P(WireTimingTest, BurstOf10000FramesEndsWithinOneNanosecondOfTheAnalyticTime)
{
    const WireCase& c = GetParam();
    const uint64_t n = 10000;
    m_a->SetQueueBytes(std::numeric_limits<uint32_t>::max());
    Simulator::Schedule(Time(0), [this, &c]() {
        for (uint64_t i = 0; i < n; ++i)
        {
            ASSERT_TRUE(SendFromA(c.frameBytes));
        }
    });
    Simulator::Run();
    ASSERT_EQ(m_rx.size(), n);
    // Frame i (from 1) ends exactly at i * wire * 8 / rate s; its arrival minus the channel
    // delay is that rounded to the ns: off by at most half a ns, for every frame, never more.
    const uint64_t bps = DataRate(c.rate).GetBitRate();
    __int128 worst = 0; // in 1/bps ns
    for (uint64_t i = 1; i <= n; ++i)
    {
        const int64_t endNs = (m_rx[i - 1].first - MicroSeconds(1)).GetNanoSeconds();
        const __int128 exact = static_cast<__int128>(i) * c.wireBytes * 8 * 1000000000;
        const __int128 err = static_cast<__int128>(endNs) * bps - exact;
        worst = std::max(worst, err < 0 ? -err : err);
    }
    EXPECT_LE(worst * 2, static_cast<__int128>(bps));
    const __int128 lastExact = static_cast<__int128>(n) * c.wireBytes * 8 * 1000000000;
    const __int128 lastErr = static_cast<__int128>(c.burstEndNs) * bps - lastExact;
    ASSERT_LE((lastErr < 0 ? -lastErr : lastErr) * 2, static_cast<__int128>(bps)); // the table
    EXPECT_EQ(m_a->GetBusyUntil(), NanoSeconds(c.burstEndNs));
    EXPECT_EQ(m_rx.back().first, NanoSeconds(c.burstEndNs) + MicroSeconds(1));
    std::printf("burst of %llu x %u bytes at %s%s: last bit at %lld ns, analytic %.3f ns\n",
                static_cast<unsigned long long>(n),
                c.frameBytes,
                c.rate,
                c.layer1 ? " with layer-1 overhead" : "",
                static_cast<long long>(c.burstEndNs),
                static_cast<double>(lastExact) / static_cast<double>(bps));
}

TEST_P(WireTimingTest, SaturatedLinkGoodputEqualsTheAnalyticValue)
{
    const WireCase& c = GetParam();
    const uint64_t bps = DataRate(c.rate).GetBitRate();
    m_a->SetQueueBytes(100000);
    // Offer frames faster than the line rate carries them even without the overhead (every
    // 90% of the frame time), for 20,000 frames: the transmitter never idles, the queue
    // overflows.
    const int64_t intervalNs =
        std::max<int64_t>(1, static_cast<int64_t>(c.frameBytes * 8e9 * 0.9 / bps));
    const uint64_t offered = 20000;
    uint64_t accepted = 0;
    for (uint64_t i = 0; i < offered; ++i)
    {
        Simulator::Schedule(NanoSeconds(intervalNs * i), [this, &c, &accepted]() {
            accepted += SendFromA(c.frameBytes) ? 1 : 0;
        });
    }
    Simulator::Run();
    ASSERT_EQ(m_rx.size(), accepted);
    ASSERT_GT(m_dropTimes.size(), 0u); // saturated
    ASSERT_GT(m_rx.size(), 1000u);
    // Goodput (frame bytes, header included) between the first and the last arrival.
    const double seconds = (m_rx.back().first - m_rx.front().first).GetSeconds();
    const double goodput = static_cast<double>(m_rx.size() - 1) * c.frameBytes * 8 / seconds;
    const double analytic = static_cast<double>(bps) * c.frameBytes / c.wireBytes;
    const double error = goodput / analytic - 1;
    EXPECT_LT(std::abs(error), 1e-4) << "goodput " << goodput << " analytic " << analytic;
    std::printf("saturated %u bytes at %s%s: goodput %.6f Gb/s, analytic %.6f, error %.2e%%\n",
                c.frameBytes,
                c.rate,
                c.layer1 ? " with layer-1 overhead" : "",
                goodput / 1e9,
                analytic / 1e9,
                error * 100);
}

TEST_F(FabricLinkTest, QueueLimitAdmitsExactlyTheFramesItsByteCountAllows)
{
    struct Case
    {
        bool layer1;
        uint32_t frameBytes;
        uint32_t queueBytes;
        uint32_t admitted;
    };

    const std::vector<Case> cases = {
        {true, 1400, 14040, 10}, // 10 x (1400 + FCS 4)
        {true, 1400, 14039, 9},
        {false, 1400, 14000, 10}, // 10 x 1400
        {false, 1400, 13999, 9},
        {true, 20, 640, 10}, // padded to 60, + FCS: 64 each
        {true, 20, 639, 9},
        {false, 20, 640, 32},
        {true, 9014, 9018, 1}, // one full frame at MTU 9000: mtu + 18
        {true, 9014, 9017, 0},
        {false, 9014, 9014, 1}, // mtu + 14 without the FCS
    };
    std::vector<uint32_t> admitted(cases.size(), 0);
    for (size_t k = 0; k < cases.size(); ++k)
    {
        // One burst per millisecond: the previous one has left.
        Simulator::Schedule(MilliSeconds(k), [this, &cases, &admitted, k]() {
            m_a->SetLayer1Overhead(cases[k].layer1);
            m_a->SetQueueBytes(cases[k].queueBytes);
            EXPECT_EQ(m_a->GetBacklogBytes(), 0u);
            for (int i = 0; i < 40; ++i)
            {
                admitted[k] += SendFromA(cases[k].frameBytes) ? 1 : 0;
            }
        });
    }
    Simulator::Run();
    for (size_t k = 0; k < cases.size(); ++k)
    {
        EXPECT_EQ(admitted[k], cases[k].admitted) << "case " << k;
    }
}

TEST_F(FabricLinkTest, BacklogCountsTheMacFrameBytesNotYetSentNeverThePreambleOrTheGap)
{
    // 25 Gb/s: a byte takes 0.32 ns. Frame 1 (1400 + FCS 4 queued): preamble + SFD until
    // 2.56 ns, its bytes until 451.84 ns, the gap until 455.68 ns; frame 2 from there to 911.36.
    std::vector<std::pair<int64_t, uint64_t>> expected = {
        {0, 2808},   // both frames whole
        {2, 2808},   // preamble: no frame byte sent yet
        {35, 2707},  // 109.375 bytes of wire time: 101 frame bytes whole out
        {451, 1407}, // 1401 out
        {452, 1404}, // frame 1 all out, its gap left: frame 2 only
        {455, 1404}, // still in the gap
        {458, 1404}, // frame 2's preamble
        {459, 1402}, // (459 - 455.68) / 0.32 - 8 = 2.375: 2 bytes of frame 2 out
        {911, 0},    // frame 2's gap
        {912, 0},    // idle
    };
    Simulator::Schedule(Time(0), [this]() {
        EXPECT_TRUE(SendFromA(1400));
        EXPECT_TRUE(SendFromA(1400));
    });
    for (const auto& [at, backlog] : expected)
    {
        Simulator::Schedule(NanoSeconds(at), [this, at = at, backlog = backlog]() {
            EXPECT_EQ(m_a->GetBacklogBytes(), backlog) << "at " << at << " ns";
        });
    }
    Simulator::Run();
    ASSERT_EQ(m_rx.size(), 2u);
    EXPECT_EQ(m_rx[0].first, NanoSeconds(456 + 1000));
    EXPECT_EQ(m_rx[1].first, NanoSeconds(911 + 1000)); // 911.36, not 2 x 456
    EXPECT_EQ(m_rx[0].second->GetSize(), 1400u);       // no FCS in the packet
}

TEST_F(FabricLinkTest, FramesAcceptedWhileBusyStartAtTheExactEndOfThePreviousOne)
{
    // 1424 wire bytes take 455.68 ns: frames sent at 0 and at 300 ns (while the first is on
    // the wire) end at 455.68 and 911.36; a frame at 2000 ns (idle) starts at 2000 exactly.
    Simulator::Schedule(Time(0), [this]() { SendFromA(1400); });
    Simulator::Schedule(NanoSeconds(300), [this]() { SendFromA(1400); });
    Simulator::Schedule(NanoSeconds(2000), [this]() { SendFromA(1400); });
    Simulator::Run();
    ASSERT_EQ(m_rx.size(), 3u);
    EXPECT_EQ(m_rx[0].first, NanoSeconds(456 + 1000));
    EXPECT_EQ(m_rx[1].first, NanoSeconds(911 + 1000));
    EXPECT_EQ(m_rx[2].first, NanoSeconds(2000 + 456 + 1000));
}

TEST(FabricLayer1Overhead, FabricConfigAndHelperSetItOnEveryDevice)
{
    {
        FabricConfig cfg;
        EXPECT_TRUE(cfg.layer1Overhead);
        cfg.layer1Overhead = false;
        Ptr<LeafSpineFabric> fabric = CreateObject<LeafSpineFabric>(cfg, 1);
        for (const Ptr<FabricNetDevice>& dev : fabric->GetDevices())
        {
            EXPECT_FALSE(dev->GetLayer1Overhead());
        }
        fabric->Dispose();
    }
    {
        FabricHelper helper;
        EXPECT_TRUE(helper.GetConfig().layer1Overhead);
        helper.SetDeviceAttribute("Layer1Overhead", BooleanValue(false));
        EXPECT_FALSE(helper.GetConfig().layer1Overhead);
        FabricContainer c = helper.Install(1);
        for (uint32_t i = 0; i < c.devices.GetN(); ++i)
        {
            EXPECT_FALSE(DynamicCast<FabricNetDevice>(c.devices.Get(i))->GetLayer1Overhead());
        }
        c.fabric->Dispose();
    }
    {
        Config::SetDefault("ns3::FabricNetDevice::Layer1Overhead", BooleanValue(false));
        FabricHelper helper;
        EXPECT_FALSE(helper.GetConfig().layer1Overhead);
        Config::SetDefault("ns3::FabricNetDevice::Layer1Overhead", BooleanValue(true));
    }
    Simulator::Destroy();
}

// ------------------------------------------------------------------------------------------
// Pcap
// ------------------------------------------------------------------------------------------

TEST_F(UnderlayTest, PcapOfFirstNamedEndIsEthernetAndDecodesWithTshark)
{
    FabricConfig cfg;
    Build(cfg);
    const std::string dir = std::string(OVERLAY_FABRIC_BINARY_DIR) + "/test-out";
    std::filesystem::create_directories(dir);
    const std::string prefix = dir + "/underlay";
    m_fabric->EnablePcap(prefix, "host0/uplink0");
    const std::string file =
        PcapHelper().GetFilenameFromDevice(prefix, m_fabric->GetHostUplink(0, 0));
    Ptr<Packet> sent =
        MakeUdp(m_fabric->GetVtepAddress(0), m_fabric->GetVtepAddress(5), 5555, 6081, 300);
    InjectAt(MicroSeconds(1), 0, 0, sent);
    Simulator::Run();
    Simulator::Destroy();
    m_fabric = nullptr; // closes the file

    PcapFile pcap;
    pcap.Open(file, std::ios::in);
    ASSERT_FALSE(pcap.Fail()) << file;
    EXPECT_EQ(pcap.GetDataLinkType(), PcapHelper::DLT_EN10MB);
    uint8_t data[2000];
    uint32_t tsSec;
    uint32_t tsUsec;
    uint32_t inclLen;
    uint32_t origLen;
    uint32_t readLen;
    pcap.Read(data, sizeof(data), tsSec, tsUsec, inclLen, origLen, readLen);
    ASSERT_FALSE(pcap.Fail());
    EXPECT_EQ(inclLen, 14u + 20u + 8u + 300u);
    EXPECT_EQ(tsUsec, 1u);
    EXPECT_EQ(data[12], 0x08);
    EXPECT_EQ(data[13], 0x00);
    pcap.Close();

    if (std::system("command -v tshark > /dev/null 2>&1") != 0)
    {
        GTEST_SKIP() << "tshark not installed";
    }
    const std::string cmd =
        "tshark -r " + file + " -T fields -e frame.protocols -e ip.dst 2>/dev/null";
    FILE* pipe = popen(cmd.c_str(), "r");
    ASSERT_NE(pipe, nullptr);
    char line[512] = {0};
    ASSERT_NE(fgets(line, sizeof(line), pipe), nullptr);
    pclose(pipe);
    const std::string out(line);
    EXPECT_NE(out.find("eth:ethertype:ip:udp"), std::string::npos) << out;
    EXPECT_NE(out.find("10.1.0.6"), std::string::npos) << out;
}

// ------------------------------------------------------------------------------------------
// Routing controller
// ------------------------------------------------------------------------------------------

/// A RoutingController watching bare channels (no topology), recording what it does.
class RoutingControllerTest : public ::testing::Test
{
  protected:
    void TearDown() override
    {
        Simulator::Destroy();
        Config::Reset(); // the Config::SetDefault of a test must not leak into the next
    }

    /// Create the controller (after any Config::SetDefault) watching \p links channels.
    void Create(uint32_t links)
    {
        m_routing = CreateObject<RoutingController>();
        for (uint32_t i = 0; i < links; ++i)
        {
            m_channels.push_back(CreateObject<FabricChannel>());
            EXPECT_EQ(m_routing->AddLink(m_channels.back()), i);
        }
        m_routing->SetRecomputeCallback(
            RoutingController::RecomputeCallback([this](const std::vector<bool>& up) {
                m_recomputed.emplace_back(Simulator::Now(), up);
            }));
        m_routing->TraceConnectWithoutContext(
            "RoutesConverged",
            Callback<void, Time>([this](Time at) { m_converged.push_back(at); }));
    }

    /// Schedule a carrier change of link \p i at \p t.
    void CarrierAt(Time t, uint32_t i, bool up)
    {
        Simulator::Schedule(t, [this, i, up]() { m_channels[i]->SetCarrier(up); });
    }

    Ptr<RoutingController> m_routing;
    std::vector<Ptr<FabricChannel>> m_channels;
    std::vector<std::pair<Time, std::vector<bool>>> m_recomputed;
    std::vector<Time> m_converged;
};

TEST_F(RoutingControllerTest, ConvergenceDelayDefaultsTo200MsAndRefusesNegative)
{
    Create(1);
    EXPECT_EQ(m_routing->GetConvergenceDelay(), MilliSeconds(200));
    EXPECT_FALSE(m_routing->SetAttributeFailSafe("ConvergenceDelay", TimeValue(NanoSeconds(-1))));
    EXPECT_EQ(m_routing->GetConvergenceDelay(), MilliSeconds(200));
    EXPECT_TRUE(m_routing->SetAttributeFailSafe("ConvergenceDelay", TimeValue(Time(0))));
    EXPECT_EQ(m_routing->GetConvergenceDelay(), Time(0));
    EXPECT_EQ(FabricConfig().routingConvergence, MilliSeconds(200));
}

TEST_F(RoutingControllerTest, ConfigSetDefaultDecidesWhenRoutesConvergeAfterLinkDown)
{
    Config::SetDefault("ns3::RoutingController::ConvergenceDelay", TimeValue(MilliSeconds(35)));
    Create(3);
    EXPECT_EQ(m_routing->GetConvergenceDelay(), MilliSeconds(35));
    const Time tDown = MilliSeconds(10);
    CarrierAt(tDown, 1, false);
    bool upJustBefore = false;
    Simulator::Schedule(tDown + MilliSeconds(35) - NanoSeconds(1), [&]() {
        upJustBefore = m_routing->IsLinkUp(1);
        EXPECT_EQ(m_routing->GetNPendingChanges(), 1u);
    });
    Simulator::Run();
    EXPECT_TRUE(upJustBefore);
    ASSERT_EQ(m_converged.size(), 1u);
    EXPECT_EQ(m_converged[0], tDown + MilliSeconds(35));
    ASSERT_EQ(m_recomputed.size(), 1u);
    EXPECT_EQ(m_recomputed[0].first, tDown + MilliSeconds(35));
    EXPECT_EQ(m_recomputed[0].second, (std::vector<bool>{true, false, true}));
    EXPECT_FALSE(m_routing->IsLinkUp(1));
    EXPECT_EQ(m_routing->GetNPendingChanges(), 0u);
}

TEST_F(RoutingControllerTest, ChangesMaturingAtTheSameInstantShareOneRecomputation)
{
    Config::SetDefault("ns3::RoutingController::ConvergenceDelay", TimeValue(MilliSeconds(1)));
    Create(3);
    CarrierAt(MilliSeconds(1), 0, false);
    CarrierAt(MilliSeconds(1), 2, false);
    CarrierAt(MilliSeconds(1) + MicroSeconds(300), 0, true);
    Simulator::Run();
    ASSERT_EQ(m_recomputed.size(), 2u);
    EXPECT_EQ(m_recomputed[0].first, MilliSeconds(2));
    EXPECT_EQ(m_recomputed[0].second, (std::vector<bool>{false, true, false}));
    EXPECT_EQ(m_recomputed[1].first, MilliSeconds(2) + MicroSeconds(300));
    EXPECT_EQ(m_recomputed[1].second, (std::vector<bool>{true, true, false}));
    EXPECT_EQ(m_converged,
              (std::vector<Time>{MilliSeconds(2), MilliSeconds(2) + MicroSeconds(300)}));
}

TEST_F(RoutingControllerTest, ZeroDelayConvergesAtTheInstantOfTheEvent)
{
    Config::SetDefault("ns3::RoutingController::ConvergenceDelay", TimeValue(Time(0)));
    Create(1);
    CarrierAt(MilliSeconds(3), 0, false);
    Simulator::Run();
    EXPECT_EQ(m_converged, (std::vector<Time>{MilliSeconds(3)}));
    EXPECT_FALSE(m_routing->IsLinkUp(0));
}

TEST_F(RoutingControllerTest, FabricSetsConvergenceDelayFromFabricConfigOverTheDefault)
{
    Config::SetDefault("ns3::RoutingController::ConvergenceDelay", TimeValue(MilliSeconds(35)));
    FabricConfig cfg;
    cfg.routingConvergence = MicroSeconds(700);
    Ptr<LeafSpineFabric> fabric = CreateObject<LeafSpineFabric>(cfg, 1);
    EXPECT_EQ(fabric->GetRoutingController()->GetConvergenceDelay(), MicroSeconds(700));
    EXPECT_EQ(fabric->GetRoutingController()->GetNLinks(), fabric->GetLinkNames().size());
    std::vector<Time> converged;
    fabric->TraceConnectWithoutContext("RoutesConverged", Callback<void, Time>([&](Time at) {
                                           converged.push_back(at);
                                       }));
    Simulator::Schedule(MilliSeconds(1), [&]() { fabric->SetLinkCarrier("host0/uplink0", false); });
    Simulator::Run();
    EXPECT_EQ(converged, (std::vector<Time>{MilliSeconds(1) + MicroSeconds(700)}));
    EXPECT_FALSE(fabric->IsLinkUpForRouting("host0/uplink0"));
    fabric->Dispose();
}

TEST_F(RoutingControllerTest, FabricHelperTakesConvergenceDelayFromConfigSetDefault)
{
    Config::SetDefault("ns3::RoutingController::ConvergenceDelay", TimeValue(MilliSeconds(35)));
    FabricHelper helper;
    helper.SetTopology(1, 1, 2, 2);
    FabricContainer fabric = helper.Install(1);
    EXPECT_EQ(fabric.fabric->GetConfig().routingConvergence, MilliSeconds(35));
    EXPECT_EQ(fabric.hosts.GetN(), 2u);
    EXPECT_EQ(fabric.uplinks.GetN(), 4u);
    EXPECT_EQ(fabric.uplinks.Get(3), fabric.fabric->GetHostUplink(1, 1));
    EXPECT_EQ(fabric.devices.GetN(), 2u * fabric.fabric->GetLinkNames().size());
    std::vector<Time> converged;
    fabric.fabric->TraceConnectWithoutContext("RoutesConverged", Callback<void, Time>([&](Time at) {
                                                  converged.push_back(at);
                                              }));
    Simulator::Schedule(MilliSeconds(1),
                        [&]() { fabric.fabric->SetLinkCarrier("host1/uplink0", false); });
    Simulator::Run();
    EXPECT_EQ(converged, (std::vector<Time>{MilliSeconds(36)}));
    fabric.fabric->Dispose();
}

TEST_F(RoutingControllerTest, FabricHelperAttributesOverrideDefaultsPerTier)
{
    FabricHelper helper;
    helper.SetTopology(1, 1, 1, 2);
    helper.SetRoutingAttribute("ConvergenceDelay", StringValue("5ms"));
    helper.SetDeviceAttribute("Mtu", UintegerValue(1500));
    helper.SetDeviceAttribute(FabricLinkTier::ACCESS, "DataRate", StringValue("10Gbps"));
    helper.SetChannelAttribute(FabricLinkTier::CORE, "Delay", TimeValue(MicroSeconds(3)));
    FabricContainer fabric = helper.Install(1);
    const FabricConfig& cfg = fabric.fabric->GetConfig();
    EXPECT_EQ(cfg.routingConvergence, MilliSeconds(5));
    EXPECT_EQ(fabric.fabric->GetRoutingController()->GetConvergenceDelay(), MilliSeconds(5));
    EXPECT_EQ(cfg.access.mtu, 1500u);
    EXPECT_EQ(cfg.core.mtu, 1500u);
    EXPECT_EQ(cfg.access.rate, DataRate("10Gbps"));
    EXPECT_EQ(cfg.core.rate, DataRate("100Gbps"));
    EXPECT_EQ(fabric.fabric->GetHostUplink(0, 0)->GetMtu(), 1500u);
    EXPECT_EQ(fabric.fabric->GetLink("leaf0-spine0")->GetDelay(), MicroSeconds(3));
    EXPECT_EQ(fabric.fabric->GetLink("host0/uplink0")->GetDelay(), MicroSeconds(1));
    fabric.fabric->Dispose();
}
