// Tests of the hypervisor host: uplink selectors, the VTEP's encapsulation bytes on the wire and
// its refusal of bad tunnel packets, the virtual switch's ARP suppression and L2 misses, the port
// pipeline (verdicts, order, insertion), the encapsulation strategy and the pass-through NIC.
#include "distributed-router-stage.h"
#include "fabric-net-device.h"
#include "five-tuple.h"
#include "flow-tag.h"
#include "geneve-header.h"
#include "host-nic.h"
#include "leaf-spine-topology.h"
#include "overlay-network.h"
#include "port-stage.h"
#include "software-encapsulation.h"
#include "uplink-selector.h"

#include "ns3/boolean.h"
#include "ns3/core-module.h"
#include "ns3/enum.h"
#include "ns3/internet-module.h"
#include "ns3/network-module.h"
#include "ns3/pointer.h"

#include <functional>
#include <gtest/gtest.h>
#include <map>
#include <vector>

using namespace ns3;

// ---------------------------------------------------------------------------------------------
// Uplink selectors

namespace
{

Ptr<UplinkSelector>
MakeSelector(UplinkSelector::Policy policy, uint32_t uplinks, uint32_t preferred = 0)
{
    Ptr<UplinkSelector> s = CreateObject<UplinkSelector>();
    s->SetAttribute("Policy", EnumValue(policy));
    s->SetAttribute("PreferredUplink", UintegerValue(preferred));
    s->SetUplinkCount(uplinks);
    s->AddTunnel();
    return s;
}

} // namespace

TEST(UplinkSelector, CarrierOnlyFollowsCarrierAndIgnoresMonitoring)
{
    Ptr<UplinkSelector> s = MakeSelector(UplinkSelector::CARRIER_ONLY, 3, 1);
    std::vector<std::pair<uint32_t, uint32_t>> changes;
    s->TraceConnectWithoutContext(
        "ActiveChanged",
        Callback<void, uint32_t, uint32_t, uint32_t>(
            [&](uint32_t, uint32_t a, uint32_t b) { changes.emplace_back(a, b); }));
    EXPECT_EQ(s->Select(0, 123), 1u);
    s->SetHealth(0, 1, false); // a bond does not read monitoring
    s->SetDegraded(0, 1, true);
    EXPECT_EQ(s->Select(0, 123), 1u);
    s->SetCarrier(1, false);
    EXPECT_EQ(s->Select(0, 123), 2u); // next in order after the preferred one
    s->SetCarrier(2, false);
    EXPECT_EQ(s->Select(0, 7), 0u);
    s->SetCarrier(0, false);
    EXPECT_EQ(s->Select(0, 7), UplinkSelector::NO_UPLINK);
    s->SetCarrier(1, true);
    EXPECT_EQ(s->Select(0, 7), 1u);
    std::vector<std::pair<uint32_t, uint32_t>> expected{{1, 2},
                                                        {2, 0},
                                                        {0, UplinkSelector::NO_UPLINK},
                                                        {UplinkSelector::NO_UPLINK, 1}};
    EXPECT_EQ(changes, expected);
}

TEST(UplinkSelector, ActiveStandbyAvoidsDownAndDegradedUplinksPerTunnel)
{
    Ptr<UplinkSelector> s = MakeSelector(UplinkSelector::ACTIVE_STANDBY, 2);
    s->AddTunnel(); // tunnel 1
    s->SetHealth(0, 0, false);
    EXPECT_EQ(s->Select(0, 5), 1u);
    EXPECT_EQ(s->Select(1, 5), 0u); // another tunnel keeps uplink 0
    s->SetHealth(0, 0, true);
    EXPECT_EQ(s->Select(0, 5), 0u);
    s->SetDegraded(0, 0, true);
    EXPECT_EQ(s->Select(0, 5), 1u); // degraded avoided while a good one exists
    s->SetHealth(0, 1, false);
    EXPECT_EQ(s->Select(0, 5), 0u); // degraded beats down
    s->SetHealth(0, 0, false);
    // Every uplink DOWN for this tunnel: fall back to carrier, never worse than a bond.
    EXPECT_EQ(s->GetCandidates(0), 0b11u);
    EXPECT_EQ(s->Select(0, 5), 0u);
    s->SetCarrier(0, false);
    EXPECT_EQ(s->Select(0, 5), 1u);
}

TEST(UplinkSelector, LowestRttMovesOnlyWhenBetterByMoreThanTheHysteresis)
{
    Ptr<UplinkSelector> s = MakeSelector(UplinkSelector::LOWEST_RTT, 2);
    s->SetAttribute("RttHysteresis", TimeValue(MicroSeconds(20)));
    EXPECT_EQ(s->Select(0, 1), 0u); // nothing measured: order
    s->SetRtt(0, 0, MicroSeconds(100));
    s->SetRtt(0, 1, MicroSeconds(90));
    EXPECT_EQ(s->Select(0, 1), 0u); // 10 us better: within the hysteresis
    s->SetRtt(0, 1, MicroSeconds(79));
    EXPECT_EQ(s->Select(0, 1), 1u); // 21 us better
    s->SetRtt(0, 0, MicroSeconds(70));
    EXPECT_EQ(s->Select(0, 1), 1u); // 9 us better: stays
    s->SetHealth(0, 1, false);
    EXPECT_EQ(s->Select(0, 1), 0u);
}

TEST(UplinkSelector, LossWeightedSharesFlowsInProportionToDelivery)
{
    Ptr<UplinkSelector> s = MakeSelector(UplinkSelector::LOSS_WEIGHTED, 2);
    s->SetLoss(0, 0, 0.5); // weights 0.5 : 1.0 -> 21.33 : 42.67 of 64 slots -> 21 : 43
    std::map<uint32_t, uint32_t> slots;
    for (uint32_t h = 0; h < 64; ++h)
    {
        slots[s->Select(0, h)]++;
    }
    EXPECT_EQ(slots[0], 21u);
    EXPECT_EQ(slots[1], 43u);
    s->SetHealth(0, 1, false);
    for (uint32_t h = 0; h < 64; ++h)
    {
        EXPECT_EQ(s->Select(0, h), 0u);
    }
}

TEST(UplinkSelector, WithoutReselectionADeadPathMakesItsUplinkDownForTheTunnel)
{
    Ptr<UplinkSelector> s = MakeSelector(UplinkSelector::ACTIVE_STANDBY, 2);
    s->SetPaths(0, 0, {11, 22, 33, 44});
    EXPECT_EQ(s->Select(0, 7), 0u);
    // Data keeps its own entropy: only re-selection pins it to the probed ports.
    EXPECT_EQ(s->PathFlowHash(0, 0, 7), 7u);
    s->SetPathHealth(0, 0, 2, false);
    EXPECT_EQ(s->GetLivePaths(0, 0), 0b1011u);
    EXPECT_EQ(s->GetCandidates(0), 0b10u);
    EXPECT_EQ(s->Select(0, 7), 1u); // the tunnel moves to the other uplink
    s->SetPathHealth(0, 0, 2, true);
    EXPECT_EQ(s->Select(0, 7), 0u);
    // Path 0 alone (no SetPaths) is the uplink's health itself.
    s->SetPathHealth(0, 1, 0, false);
    EXPECT_EQ(s->GetCandidates(0), 0b01u);
}

TEST(UplinkSelector, ReselectionMovesOnlyTheFlowsOfTheDeadPathAndKeepsTheUplink)
{
    Ptr<UplinkSelector> s = MakeSelector(UplinkSelector::ACTIVE_STANDBY, 2);
    s->SetAttribute("PathReselection", BooleanValue(true));
    const std::vector<uint32_t> paths{1001, 1002, 1003, 1004};
    s->SetPaths(0, 0, paths);
    std::vector<std::pair<uint32_t, uint32_t>> changes;
    s->TraceConnectWithoutContext("PathsChanged",
                                  MakeBoundCallback(
                                      +[](std::vector<std::pair<uint32_t, uint32_t>>* out,
                                          uint32_t,
                                          uint32_t uplink,
                                          uint64_t,
                                          uint64_t live) { out->emplace_back(uplink, live); },
                                      &changes));
    // Every flow leaves on the probed port of path hash mod 4.
    std::map<uint32_t, uint32_t> before;
    for (uint32_t h = 0; h < 4000; ++h)
    {
        before[h] = s->PathFlowHash(0, 0, h);
        ASSERT_EQ(before[h], paths[h % 4]);
    }
    s->SetPathHealth(0, 0, 1, false);
    ASSERT_EQ(changes.size(), 1u);
    EXPECT_EQ(changes[0], std::make_pair(0u, 0b1101u));
    EXPECT_EQ(s->GetCandidates(0), 0b11u); // the uplink stays: three paths live
    EXPECT_EQ(s->Select(0, 5), 0u);
    std::map<uint32_t, uint32_t> movedTo;
    for (const auto& [h, port] : before)
    {
        const uint32_t now = s->PathFlowHash(0, 0, h);
        if (h % 4 != 1)
        {
            EXPECT_EQ(now, port); // flows on live paths stay
        }
        else
        {
            EXPECT_NE(now, paths[1]);
            movedTo[now]++;
        }
    }
    // The 1000 flows of path 1 spread over the three live paths.
    ASSERT_EQ(movedTo.size(), 3u);
    for (const auto& [port, n] : movedTo)
    {
        EXPECT_NEAR(n, 333, 60) << port;
    }
    // All paths dead: the uplink is DOWN for the tunnel, the tunnel moves.
    s->SetPathHealth(0, 0, 0, false);
    s->SetPathHealth(0, 0, 2, false);
    EXPECT_EQ(s->GetCandidates(0), 0b11u);
    s->SetPathHealth(0, 0, 3, false);
    EXPECT_EQ(s->GetCandidates(0), 0b10u);
    EXPECT_EQ(s->Select(0, 5), 1u);
    EXPECT_EQ(changes.size(), 4u);
}

TEST(UplinkSelector, FlowHashKeepsFlowsOnHealthyUplinksAndMovesOnlyThoseOfTheFailedOne)
{
    Ptr<UplinkSelector> s = MakeSelector(UplinkSelector::FLOW_HASH, 3);
    std::map<uint32_t, uint32_t> perUplink;
    std::map<uint32_t, uint32_t> choice;
    for (uint16_t port = 0; port < 3000; ++port)
    {
        FiveTuple k{0x0a800001, 0x0a800002, static_cast<uint16_t>(10000 + port), 5000, 17};
        uint32_t h = FlowEntropy(k);
        uint32_t u = s->Select(0, h);
        perUplink[u]++;
        choice[h] = u;
        EXPECT_EQ(s->Select(0, h), u); // same flow, same uplink
    }
    EXPECT_NEAR(perUplink[0], 1000, 100);
    EXPECT_NEAR(perUplink[1], 1000, 100);
    EXPECT_NEAR(perUplink[2], 1000, 100);
    s->SetHealth(0, 2, false);
    std::map<uint32_t, uint32_t> moved;
    for (const auto& [h, u] : choice)
    {
        uint32_t now = s->Select(0, h);
        if (u != 2)
        {
            EXPECT_EQ(now, u); // flows on healthy uplinks stay
        }
        else
        {
            EXPECT_NE(now, 2u);
            moved[now]++;
        }
    }
    EXPECT_GT(moved[0], 300u);
    EXPECT_GT(moved[1], 300u);
    s->SetHealth(0, 2, true);
    for (const auto& [h, u] : choice)
    {
        EXPECT_EQ(s->Select(0, h), u); // back where each flow was
    }
}

// ---------------------------------------------------------------------------------------------
// A built host: fabric 2 spines x 2 racks x 2 hosts, one segment host0/vm0 + host3/vm0.

namespace
{

class HostTest : public ::testing::Test
{
  protected:
    void SetUp() override
    {
        FabricConfig fc;
        fc.spines = 2;
        fc.racks = 2;
        fc.hostsPerRack = 2;
        m_fabric = CreateObject<LeafSpineFabric>(fc, 1);
        OverlayConfig oc;
        oc.policy = UplinkPolicy::CARRIER_ONLY;
        oc.segments.push_back(SegmentConfig{5000, {"host0/vm0", "host3/vm0"}});
        m_overlay = CreateObject<OverlayNetwork>();
        m_overlay->Build(oc, m_fabric);
        for (uint32_t h = 0; h < 4; ++h)
        {
            for (const char* src : {"Drop"})
            {
                auto sink = Callback<void, Ptr<const Packet>, DropReason>(
                    [this](Ptr<const Packet> p, DropReason r) { m_drops.push_back(r); });
                m_overlay->GetVtep(h)->TraceConnectWithoutContext(src, sink);
                m_overlay->GetVirtualSwitch(h)->TraceConnectWithoutContext(src, sink);
            }
        }
    }

    void TearDown() override
    {
        Simulator::Destroy();
    }

    /// Send one UDP datagram of \p size bytes from VM \p from to VM \p to at \p at.
    void SendUdp(const std::string& from, const std::string& to, uint16_t sport, Time at)
    {
        const auto& src = m_overlay->GetVm(from);
        const auto& dst = m_overlay->GetVm(to);
        Ptr<Socket> rx = Socket::CreateSocket(dst.node, UdpSocketFactory::GetTypeId());
        rx->Bind(InetSocketAddress(Ipv4Address::GetAny(), 5000));
        rx->SetRecvCallback(MakeCallback(&HostTest::Received, this));
        Ptr<Socket> tx = Socket::CreateSocket(src.node, UdpSocketFactory::GetTypeId());
        tx->Bind(InetSocketAddress(src.ip, sport));
        Simulator::Schedule(at, [tx, dst]() {
            tx->SendTo(Create<Packet>(100), 0, InetSocketAddress(dst.ip, 5000));
        });
    }

    void Received(Ptr<Socket> s)
    {
        while (Ptr<Packet> p = s->Recv())
        {
            m_received.push_back(p->GetSize());
        }
    }

    Ptr<LeafSpineFabric> m_fabric;
    Ptr<OverlayNetwork> m_overlay;
    std::vector<DropReason> m_drops;
    std::vector<uint32_t> m_received;
};

uint16_t
Be16(const std::vector<uint8_t>& b, size_t at)
{
    return static_cast<uint16_t>(b[at] << 8 | b[at + 1]);
}

std::vector<uint8_t>
Bytes(Ptr<const Packet> p)
{
    std::vector<uint8_t> b(p->GetSize());
    p->CopyData(b.data(), b.size());
    return b;
}

} // namespace

TEST_F(HostTest, VtepEncapsulatesWithGeneveFromTheUplinkMacAndFlowHashedSourcePort)
{
    Ptr<FabricNetDevice> uplink = m_fabric->GetHostUplink(0, 0);
    std::vector<std::vector<uint8_t>> frames;
    uplink->TraceConnectWithoutContext("WireTx",
                                       Callback<void, Ptr<const Packet>>([&](Ptr<const Packet> p) {
                                           frames.push_back(Bytes(p));
                                       }));
    SendUdp("host0/vm0", "host3/vm0", 4242, MilliSeconds(1));
    Simulator::Stop(MilliSeconds(10));
    Simulator::Run();
    ASSERT_EQ(m_received, std::vector<uint32_t>{100});
    ASSERT_EQ(frames.size(), 1u); // ARP was answered inside host0: only the datagram left
    const std::vector<uint8_t>& f = frames[0];
    const auto& vm0 = m_overlay->GetVm("host0/vm0");
    const auto& vm3 = m_overlay->GetVm("host3/vm0");
    // 14 outer Ethernet + 20 IPv4 + 8 UDP + 8 GENEVE + 14 inner Ethernet + 20 + 8 + 100.
    ASSERT_EQ(f.size(), 14u + 20 + 8 + 8 + 14 + 20 + 8 + 100);
    uint8_t mac[6];
    uplink->GetMacAddress().CopyTo(mac);
    EXPECT_TRUE(std::equal(mac, mac + 6, f.begin() + 6)); // per-uplink source MAC
    uplink->GetPeerMacAddress().CopyTo(mac);
    EXPECT_TRUE(std::equal(mac, mac + 6, f.begin())); // the leaf port
    EXPECT_EQ(Be16(f, 12), 0x0800);
    // Outer IPv4: 0x45, total length, DF, TTL 64, UDP, VTEP addresses, valid checksum.
    EXPECT_EQ(f[14], 0x45);
    EXPECT_EQ(Be16(f, 16), f.size() - 14);
    EXPECT_EQ(Be16(f, 20), 0x4000);
    EXPECT_EQ(f[22], 64);
    EXPECT_EQ(f[23], 17);
    EXPECT_EQ(Be16(f, 26), 0x0a01);
    EXPECT_EQ(Be16(f, 28), 0x0001); // host0 VTEP 10.1.0.1
    EXPECT_EQ(Be16(f, 30), 0x0a01);
    EXPECT_EQ(Be16(f, 32), 0x0004); // host3 VTEP 10.1.0.4
    uint32_t sum = 0;
    for (size_t i = 14; i < 34; i += 2)
    {
        sum += Be16(f, i);
    }
    while (sum >> 16)
    {
        sum = (sum & 0xffff) + (sum >> 16);
    }
    EXPECT_EQ(sum, 0xffffu);
    // Outer UDP: source port from the inner 5-tuple hash, GENEVE port, length, zero checksum.
    FiveTuple key{vm0.ip.Get(), vm3.ip.Get(), 4242, 5000, 17};
    EXPECT_EQ(Be16(f, 34), 49152 + FlowEntropy(key) % 16384);
    EXPECT_EQ(Be16(f, 36), 6081);
    EXPECT_EQ(Be16(f, 38), f.size() - 34);
    EXPECT_EQ(Be16(f, 40), 0);
    // GENEVE: version 0, no options, O and C clear, protocol 0x6558, VNI 5000 (0x001388).
    const std::vector<uint8_t> geneve{0x00, 0x00, 0x65, 0x58, 0x00, 0x13, 0x88, 0x00};
    EXPECT_EQ(std::vector<uint8_t>(f.begin() + 42, f.begin() + 50), geneve);
    // Inner Ethernet: VM MACs, IPv4.
    vm3.mac.CopyTo(mac);
    EXPECT_TRUE(std::equal(mac, mac + 6, f.begin() + 50));
    vm0.mac.CopyTo(mac);
    EXPECT_TRUE(std::equal(mac, mac + 6, f.begin() + 56));
    EXPECT_EQ(Be16(f, 62), 0x0800);
    EXPECT_TRUE(m_drops.empty());
}

TEST_F(HostTest, VtepRefusesBadTunnelPacketsWithReasons)
{
    // Frames from host1's NIC to host3's VTEP: a GENEVE version 1 header, a packet to the wrong
    // UDP port, and a GENEVE header cut short.
    Ipv4Address vtep3 = m_fabric->GetVtepAddress(3);
    auto make = [&](uint16_t dport, std::vector<uint8_t> tunnel) {
        Ptr<Packet> p = Create<Packet>(tunnel.data(), tunnel.size());
        UdpHeader udp;
        udp.SetSourcePort(50000);
        udp.SetDestinationPort(dport);
        p->AddHeader(udp);
        Ipv4Header ip;
        ip.SetSource(m_fabric->GetVtepAddress(1));
        ip.SetDestination(vtep3);
        ip.SetProtocol(17);
        ip.SetTtl(64);
        ip.SetPayloadSize(p->GetSize());
        ip.EnableChecksum();
        p->AddHeader(ip);
        return p;
    };
    Ptr<FabricNetDevice> nic = m_fabric->GetHostUplink(1, 0);
    std::vector<Ptr<Packet>> packets{
        make(6081, {0x40, 0x00, 0x65, 0x58, 0x00, 0x13, 0x88, 0x00}), // version 1
        make(4789, {0x08, 0x00, 0x00, 0x00, 0x00, 0x13, 0x88, 0x00}), // VXLAN to a GENEVE VTEP
        make(6081, {0x00, 0x00, 0x65}),                               // 3 of 8 bytes
        make(6081, {0x02, 0x00, 0x65, 0x58, 0x00, 0x13, 0x88, 0x00}), // 8 option bytes missing
    };
    for (size_t i = 0; i < packets.size(); ++i)
    {
        Simulator::Schedule(MicroSeconds(10 * (i + 1)), [nic, p = packets[i]]() {
            nic->Send(p, nic->GetPeerMacAddress(), 0x0800);
        });
    }
    Simulator::Stop(MilliSeconds(1));
    Simulator::Run();
    std::vector<DropReason> expected{DropReason::MALFORMED,
                                     DropReason::NOT_FOR_US,
                                     DropReason::MALFORMED,
                                     DropReason::MALFORMED};
    EXPECT_EQ(m_drops, expected);
}

TEST_F(HostTest, ArpForAnAddressOutsideTheSegmentIsDroppedAsUnknownDestination)
{
    const auto& vm0 = m_overlay->GetVm("host0/vm0");
    Ptr<Socket> tx = Socket::CreateSocket(vm0.node, UdpSocketFactory::GetTypeId());
    Simulator::Schedule(MilliSeconds(1), [tx]() {
        tx->SendTo(Create<Packet>(10), 0, InetSocketAddress(Ipv4Address("10.128.0.99"), 9));
    });
    Simulator::Stop(MilliSeconds(500));
    Simulator::Run();
    // The request is refused by the virtual switch, which knows every VM of the segment (ns-3
    // ARP would retry after its 1 s WaitReplyTimeout, past the end of this run).
    EXPECT_EQ(m_drops, std::vector<DropReason>{DropReason::UNKNOWN_DESTINATION});
}

// ---------------------------------------------------------------------------------------------
// The port pipeline of host0's port 0 (host0/vm0), on the same built hosts.

namespace
{

/// A stage that logs what it saw and returns a fixed verdict.
class RecordingStage : public PortStage
{
  public:
    RecordingStage(int id, PortVerdict verdict, std::vector<int>* order)
        : m_id(id),
          m_verdict(verdict),
          m_order(order)
    {
    }

    PortVerdict Process(PortContext& ctx) override
    {
        m_order->push_back(m_id);
        m_seen.push_back(ctx);
        m_seen.back().frame = ctx.frame->Copy(); // the frame as it was when the stage ran
        return m_verdict;
    }

    std::vector<PortContext> m_seen; //!< context and frame of every call

  private:
    int m_id;
    PortVerdict m_verdict;
    std::vector<int>* m_order;
};

class PortPipelineTest : public HostTest
{
  protected:
    Ptr<RecordingStage> Stage(int id, PortVerdict verdict)
    {
        return CreateObject<RecordingStage>(id, verdict, &m_order);
    }

    /// host0/vm0 -> host3/vm0, one 100-byte UDP datagram from port 4242 at 1 ms, then run.
    void RunOneDatagram()
    {
        SendUdp("host0/vm0", "host3/vm0", 4242, MilliSeconds(1));
        Simulator::Stop(MilliSeconds(10));
        Simulator::Run();
    }

    FiveTuple Key() const
    {
        return FiveTuple{m_overlay->GetVm("host0/vm0").ip.Get(),
                         m_overlay->GetVm("host3/vm0").ip.Get(),
                         4242,
                         5000,
                         17};
    }

    Ptr<VirtualSwitch> Switch0() const
    {
        return m_overlay->GetVirtualSwitch(0);
    }

    uint32_t CountUplinkTx(uint32_t host)
    {
        return m_uplinkTx[host];
    }

    void CountUplinkTxOf(uint32_t host)
    {
        m_overlay->GetVtep(host)->TraceConnectWithoutContext(
            "UplinkTx",
            Callback<void, Ptr<const Packet>, uint32_t>(
                [this, host](Ptr<const Packet>, uint32_t) { m_uplinkTx[host]++; }));
    }

    std::vector<int> m_order;
    std::map<uint32_t, uint32_t> m_uplinkTx;
};

constexpr uint16_t ETHERTYPE_ARP = 0x0806;
constexpr uint16_t ETHERTYPE_IPV4 = 0x0800;
constexpr uint32_t INNER_FRAME = 14 + 20 + 8 + 100; // the datagram as the VM sends it

} // namespace

TEST_F(PortPipelineTest, EveryPortStartsWithArpSuppressionAndEndsWithTheL2Lookup)
{
    const auto& stages = Switch0()->GetStages(0);
    ASSERT_EQ(stages.size(), 2u);
    EXPECT_EQ(stages[0], Ptr<PortStage>(Switch0()->GetArpSuppression()));
    EXPECT_EQ(stages[1], Ptr<PortStage>(Switch0()->GetL2Lookup()));
    // Programmed by the overlay: both VMs' ARP entries; host0's own VM and the remote one.
    EXPECT_EQ(Switch0()->GetArpSuppression()->GetSize(), 2u);
    EXPECT_EQ(Switch0()->GetL2Lookup()->GetSize(), 2u);
}

TEST_F(PortPipelineTest, DroppingStageReportsItsReasonOnceAndStopsThePipeline)
{
    Ptr<RecordingStage> dropper = Stage(1, PortVerdict::Drop(DropReason::NO_ROUTE));
    Ptr<RecordingStage> after = Stage(2, PortVerdict::Continue());
    Switch0()->InsertStage(0, dropper);
    Switch0()->InsertStage(0, after);
    Switch0()->RegisterFlow(Key(), 7);
    std::vector<std::string> events;
    Switch0()->TraceConnectWithoutContext(
        "FlowTx",
        Callback<void, Ptr<const Packet>>([&](Ptr<const Packet>) { events.push_back("tx"); }));
    std::vector<uint32_t> droppedFlows;
    Switch0()->TraceConnectWithoutContext(
        "Drop",
        Callback<void, Ptr<const Packet>, DropReason>([&](Ptr<const Packet> p, DropReason r) {
            events.push_back("drop " + ToString(r));
            FlowTag tag;
            droppedFlows.push_back(p->PeekPacketTag(tag) ? tag.GetFlowId() : 999);
        }));
    CountUplinkTxOf(0);
    RunOneDatagram();
    // The ARP request never reached the inserted stages (suppressed first); the datagram did.
    EXPECT_EQ(m_order, std::vector<int>{1});
    ASSERT_EQ(dropper->m_seen.size(), 1u);
    EXPECT_EQ(dropper->m_seen[0].etherType, ETHERTYPE_IPV4);
    EXPECT_TRUE(after->m_seen.empty());
    // Reported once, with the stage's reason, after the flow tag: the drop counts for flow 7.
    EXPECT_EQ(m_drops, std::vector<DropReason>{DropReason::NO_ROUTE});
    EXPECT_EQ(events, (std::vector<std::string>{"tx", "drop no_route"}));
    EXPECT_EQ(droppedFlows, std::vector<uint32_t>{7});
    EXPECT_EQ(CountUplinkTx(0), 0u);
    EXPECT_TRUE(m_received.empty());
}

TEST_F(PortPipelineTest, ConsumedVerdictStopsLaterStagesWithoutADrop)
{
    Ptr<RecordingStage> consumer = Stage(1, PortVerdict::Consumed());
    Ptr<RecordingStage> after = Stage(2, PortVerdict::Continue());
    Switch0()->InsertStage(0, consumer);
    Switch0()->InsertStage(0, after);
    CountUplinkTxOf(0);
    RunOneDatagram();
    EXPECT_EQ(consumer->m_seen.size(), 1u);
    EXPECT_TRUE(after->m_seen.empty());
    EXPECT_EQ(CountUplinkTx(0), 0u); // the L2 lookup never ran
    EXPECT_TRUE(m_drops.empty());
    EXPECT_TRUE(m_received.empty());
}

TEST_F(PortPipelineTest, StagesRunInListOrderAndPositionZeroRunsBeforeArpSuppression)
{
    Ptr<RecordingStage> s1 = Stage(1, PortVerdict::Continue());
    Ptr<RecordingStage> s2 = Stage(2, PortVerdict::Continue());
    Ptr<RecordingStage> s3 = Stage(3, PortVerdict::Continue());
    Ptr<RecordingStage> s0 = Stage(0, PortVerdict::Continue());
    Switch0()->InsertStage(0, s2);    // [arp, 2, l2]
    Switch0()->InsertStage(0, s3);    // [arp, 2, 3, l2]
    Switch0()->InsertStage(0, s1, 1); // [arp, 1, 2, 3, l2]
    Switch0()->InsertStage(0, s0, 0); // [0, arp, 1, 2, 3, l2]
    std::vector<Ptr<PortStage>> expected{s0,
                                         Switch0()->GetArpSuppression(),
                                         s1,
                                         s2,
                                         s3,
                                         Switch0()->GetL2Lookup()};
    EXPECT_EQ(Switch0()->GetStages(0), expected);
    RunOneDatagram();
    // ARP request: stage 0, then ARP suppression answers it. Datagram: 0, 1, 2, 3, then L2.
    EXPECT_EQ(m_order, (std::vector<int>{0, 0, 1, 2, 3}));
    ASSERT_EQ(s0->m_seen.size(), 2u);
    EXPECT_EQ(s0->m_seen[0].etherType, ETHERTYPE_ARP);
    EXPECT_FALSE(s0->m_seen[0].hasFiveTuple);
    EXPECT_EQ(s0->m_seen[1].etherType, ETHERTYPE_IPV4);
    EXPECT_EQ(m_received, std::vector<uint32_t>{100});
    EXPECT_TRUE(m_drops.empty());
    // Other ports keep the default pipeline.
    EXPECT_EQ(m_overlay->GetVirtualSwitch(3)->GetStages(0).size(), 2u);
}

TEST_F(PortPipelineTest, InsertedStageSeesTheInnerFrameBeforeTheL2Lookup)
{
    CountUplinkTxOf(0);
    uint32_t uplinkTxWhenRun = 99;

    struct Probe : public PortStage
    {
        std::function<void(PortContext&)> f;

        PortVerdict Process(PortContext& ctx) override
        {
            f(ctx);
            return PortVerdict::Continue();
        }
    };

    Ptr<Probe> probe = CreateObject<Probe>();
    std::vector<PortContext> seen;
    probe->f = [&](PortContext& ctx) {
        uplinkTxWhenRun = CountUplinkTx(0);
        seen.push_back(ctx);
        seen.back().frame = ctx.frame->Copy();
    };
    Switch0()->InsertStageOnAllPorts(probe);
    RunOneDatagram();
    ASSERT_EQ(seen.size(), 1u); // the datagram; ARP suppression took the request
    const PortContext& c = seen[0];
    const auto& vm0 = m_overlay->GetVm("host0/vm0");
    const auto& vm3 = m_overlay->GetVm("host3/vm0");
    EXPECT_EQ(uplinkTxWhenRun, 0u); // not yet handed to the VTEP
    EXPECT_EQ(CountUplinkTx(0), 1u);
    EXPECT_EQ(c.port, 0u);
    EXPECT_EQ(c.vni, 5000u);
    uint8_t mac[6];
    vm3.mac.CopyTo(mac);
    EXPECT_EQ(c.dstMac, PortContext::MacToInt(mac));
    ASSERT_TRUE(c.hasFiveTuple);
    EXPECT_EQ(c.key, Key());
    EXPECT_EQ(c.flowHash, FlowEntropy(Key()));
    // The frame is the VM's: inner Ethernet, no tunnel header yet.
    EXPECT_EQ(c.frame->GetSize(), INNER_FRAME);
    std::vector<uint8_t> f = Bytes(c.frame);
    EXPECT_TRUE(std::equal(mac, mac + 6, f.begin()));
    vm0.mac.CopyTo(mac);
    EXPECT_TRUE(std::equal(mac, mac + 6, f.begin() + 6));
    EXPECT_EQ(Be16(f, 12), ETHERTYPE_IPV4);
    EXPECT_EQ(m_received, std::vector<uint32_t>{100});
}

TEST_F(PortPipelineTest, StageOnAllPortsIsInEveryPortIncludingLaterOnes)
{
    Ptr<RecordingStage> s = Stage(1, PortVerdict::Continue());
    Switch0()->InsertStageOnAllPorts(s);
    Ptr<VnicNetDevice> vnic = CreateObject<VnicNetDevice>();
    vnic->SetAddress(Mac48Address("02:00:00:00:00:99"));
    uint32_t port = Switch0()->AddPort(vnic, 5000);
    for (uint32_t p : {0u, port})
    {
        std::vector<Ptr<PortStage>> expected{Switch0()->GetArpSuppression(),
                                             s,
                                             Switch0()->GetL2Lookup()};
        EXPECT_EQ(Switch0()->GetStages(p), expected) << "port " << p;
    }
}

// ---------------------------------------------------------------------------------------------
// Encapsulation strategy and NIC

namespace
{

/// Software encapsulation that records what the VTEP hands it.
class RecordingEncapsulation : public SoftwareEncapsulation
{
  public:
    void Encapsulate(Ptr<Packet> frame, const TunnelTxInfo& tx, const Ptr<HostNic>& nic) override
    {
        m_tx.push_back(tx);
        m_txNics.push_back(nic);
        SoftwareEncapsulation::Encapsulate(frame, tx, nic);
        m_txBytes.push_back(Bytes(frame));
    }

    bool Decapsulate(Ptr<Packet> frame,
                     Ipv4Address local,
                     const Ptr<HostNic>& nic,
                     TunnelRxInfo& rx) override
    {
        m_rxBytes.push_back(Bytes(frame));
        m_rxNics.push_back(nic);
        bool ok = SoftwareEncapsulation::Decapsulate(frame, local, nic, rx);
        m_rx.push_back(rx);
        return ok;
    }

    std::vector<TunnelTxInfo> m_tx;
    std::vector<Ptr<HostNic>> m_txNics;
    std::vector<std::vector<uint8_t>> m_txBytes; //!< what the NIC is given
    std::vector<std::vector<uint8_t>> m_rxBytes; //!< what the NIC handed up
    std::vector<Ptr<HostNic>> m_rxNics;
    std::vector<TunnelRxInfo> m_rx;
};

} // namespace

TEST_F(HostTest, EncapsulationAttributeSetsTheProtocolOfAnyStrategy)
{
    Ptr<Vtep> vtep = CreateObject<Vtep>();
    Ptr<EncapsulationStrategy> initial = vtep->GetEncapsulationStrategy();
    ASSERT_TRUE(initial);
    EXPECT_EQ(initial->GetInstanceTypeId(), SoftwareEncapsulation::GetTypeId());
    EXPECT_EQ(initial->GetProtocol(), Vtep::GENEVE);
    vtep->SetAttribute("Encapsulation", EnumValue(Vtep::VXLAN));
    EXPECT_EQ(initial->GetProtocol(), Vtep::VXLAN);
    Ptr<RecordingEncapsulation> mine = CreateObject<RecordingEncapsulation>();
    vtep->SetAttribute("EncapsulationStrategy", PointerValue(mine));
    EXPECT_EQ(vtep->GetEncapsulationStrategy(), Ptr<EncapsulationStrategy>(mine));
    EXPECT_EQ(mine->GetProtocol(), Vtep::VXLAN); // the VTEP's protocol, not the strategy's own
    vtep->SetEncapsulationStrategy(nullptr); // back to software (a null PointerValue is refused)
    EXPECT_EQ(vtep->GetEncapsulationStrategy()->GetInstanceTypeId(),
              SoftwareEncapsulation::GetTypeId());
    EXPECT_EQ(vtep->GetEncapsulationStrategy()->GetProtocol(), Vtep::VXLAN);
}

TEST_F(HostTest, NicIsAPassThroughBetweenTheVtepStrategyAndTheUplink)
{
    Ptr<RecordingEncapsulation> tx0 = CreateObject<RecordingEncapsulation>();
    Ptr<RecordingEncapsulation> rx3 = CreateObject<RecordingEncapsulation>();
    m_overlay->GetVtep(0)->SetAttribute("EncapsulationStrategy", PointerValue(tx0));
    m_overlay->GetVtep(3)->SetAttribute("EncapsulationStrategy", PointerValue(rx3));
    Ptr<Vtep> vtep0 = m_overlay->GetVtep(0);
    Ptr<Vtep> vtep3 = m_overlay->GetVtep(3);
    for (uint32_t k = 0; k < 2; ++k)
    {
        EXPECT_EQ(vtep0->GetNic(k)->GetDevice(), m_fabric->GetHostUplink(0, k));
        EXPECT_EQ(vtep0->GetUplinks()[k], m_fabric->GetHostUplink(0, k));
    }
    std::vector<std::vector<uint8_t>> wireTx;
    m_fabric->GetHostUplink(0, 0)->TraceConnectWithoutContext(
        "WireTx",
        Callback<void, Ptr<const Packet>>(
            [&](Ptr<const Packet> p) { wireTx.push_back(Bytes(p)); }));
    std::map<uint32_t, std::vector<std::vector<uint8_t>>> wireRx; // by host3 uplink
    for (uint32_t k = 0; k < 2; ++k)
    {
        m_fabric->GetHostUplink(3, k)->TraceConnectWithoutContext(
            "WireRx",
            Callback<void, Ptr<const Packet>>(
                [&wireRx, k](Ptr<const Packet> p) { wireRx[k].push_back(Bytes(p)); }));
    }
    SendUdp("host0/vm0", "host3/vm0", 4242, MilliSeconds(1));
    Simulator::Stop(MilliSeconds(10));
    Simulator::Run();
    ASSERT_EQ(m_received, std::vector<uint32_t>{100});

    // Send: what the strategy built, the NIC put on the wire behind one Ethernet header.
    ASSERT_EQ(tx0->m_tx.size(), 1u);
    const TunnelTxInfo& tx = tx0->m_tx[0];
    EXPECT_EQ(tx.vni, 5000u);
    EXPECT_FALSE(tx.oam);
    EXPECT_EQ(tx.uplink, 0u); // carrier-only, preferred uplink 0
    EXPECT_EQ(tx.source, m_fabric->GetVtepAddress(0));
    EXPECT_EQ(tx.destination, m_fabric->GetVtepAddress(3));
    EXPECT_EQ(tx.ttl, 64);
    EXPECT_EQ(tx.flowHash,
              FlowEntropy(FiveTuple{m_overlay->GetVm("host0/vm0").ip.Get(),
                                    m_overlay->GetVm("host3/vm0").ip.Get(),
                                    4242,
                                    5000,
                                    17}));
    EXPECT_EQ(tx0->m_txNics[0], vtep0->GetNic(0));
    ASSERT_EQ(wireTx.size(), 1u);
    const std::vector<uint8_t>& w = wireTx[0];
    ASSERT_EQ(w.size(), 14 + tx0->m_txBytes[0].size());
    EXPECT_EQ(std::vector<uint8_t>(w.begin() + 14, w.end()), tx0->m_txBytes[0]);
    uint8_t mac[6];
    m_fabric->GetHostUplink(0, 0)->GetPeerMacAddress().CopyTo(mac);
    EXPECT_TRUE(std::equal(mac, mac + 6, w.begin()));
    m_fabric->GetHostUplink(0, 0)->GetMacAddress().CopyTo(mac);
    EXPECT_TRUE(std::equal(mac, mac + 6, w.begin() + 6));
    EXPECT_EQ(Be16(w, 12), 0x0800);
    // GENEVE header bytes as the strategy wrote them: after outer IPv4 (20) and UDP (8).
    const std::vector<uint8_t> geneve{0x00, 0x00, 0x65, 0x58, 0x00, 0x13, 0x88, 0x00};
    EXPECT_EQ(std::vector<uint8_t>(w.begin() + 42, w.begin() + 50), geneve);

    // Receive: the strategy got exactly the frame that left the link, from that uplink's NIC.
    ASSERT_EQ(rx3->m_rxBytes.size(), 1u);
    uint32_t arrivedOn = wireRx[0].empty() ? 1 : 0;
    ASSERT_EQ(wireRx[arrivedOn].size(), 1u);
    EXPECT_TRUE(wireRx[1 - arrivedOn].empty());
    EXPECT_EQ(rx3->m_rxBytes[0], wireRx[arrivedOn][0]);
    EXPECT_EQ(rx3->m_rxNics[0], vtep3->GetNic(arrivedOn));
    EXPECT_EQ(rx3->m_rx[0].vni, 5000u);
    EXPECT_FALSE(rx3->m_rx[0].oam);
    EXPECT_EQ(rx3->m_rx[0].source, m_fabric->GetVtepAddress(0).Get());
    EXPECT_TRUE(m_drops.empty());
}

// ---------------------------------------------------------------------------------------------
// The distributed router (seed 000, Fig. 2): one host's instance, on its own.

namespace
{

/// A UDP frame from 10.128.0.1 (VNI 5000's VM) to \p dst, sent to MAC \p to with TTL \p ttl.
Ptr<Packet>
RoutedFrame(Mac48Address to, Ipv4Address dst, uint8_t ttl)
{
    Ptr<Packet> p = Create<Packet>(100);
    UdpHeader udp;
    udp.SetSourcePort(4000);
    udp.SetDestinationPort(5000);
    p->AddHeader(udp);
    Ipv4Header ip;
    ip.SetSource(Ipv4Address("10.128.0.1"));
    ip.SetDestination(dst);
    ip.SetProtocol(17);
    ip.SetTtl(ttl);
    ip.SetPayloadSize(p->GetSize());
    ip.EnableChecksum();
    p->AddHeader(ip);
    EthernetHeader eth(false);
    eth.SetSource(Mac48Address("02:00:00:00:00:00"));
    eth.SetDestination(to);
    eth.SetLengthType(0x0800);
    p->AddHeader(eth);
    return p;
}

/// The context the virtual switch would build for \p frame on a VNI-5000 port.
PortContext
ContextOf(Ptr<Packet> frame)
{
    PortContext ctx{};
    ctx.frame = frame;
    ctx.vni = 5000;
    ctx.headLength = frame->CopyData(ctx.head, sizeof(ctx.head));
    ctx.dstMac = PortContext::MacToInt(ctx.head);
    ctx.etherType = static_cast<uint16_t>(ctx.head[12] << 8 | ctx.head[13]);
    ctx.hasFiveTuple = ParseFiveTuple(ctx.head, ctx.headLength, ctx.key);
    ctx.flowHash = FlowEntropy(ctx.key);
    return ctx;
}

Ptr<DistributedRouterStage>
MakeRouter()
{
    Ptr<DistributedRouterStage> r = CreateObject<DistributedRouterStage>();
    r->SetRouterMac(Mac48Address("02:50:56:56:44:52"));
    r->AddInterface(5000, Ipv4Address("10.128.255.254"));
    r->AddInterface(6000, Ipv4Address("10.129.255.254"));
    r->AddNeighbor(6000, Ipv4Address("10.129.0.1"), Mac48Address("02:00:01:00:00:00"));
    return r;
}

} // namespace

TEST(DistributedRouter, RoutesAtTheSourceOntoTheDestinationSegmentAsARouterRewrites)
{
    Ptr<DistributedRouterStage> r = MakeRouter();
    Ptr<Packet> frame = RoutedFrame(r->GetRouterMac(), Ipv4Address("10.129.0.1"), 64);
    PortContext ctx = ContextOf(frame);
    const uint32_t flowHash = ctx.flowHash;
    EXPECT_EQ(r->Process(ctx).action, PortVerdict::CONTINUE);
    // It goes on on VNI 6000, to the VM's MAC, from the router's; the 5-tuple is the same.
    EXPECT_EQ(ctx.vni, 6000u);
    EXPECT_EQ(ctx.dstMac, 0x020001000000u);
    EXPECT_EQ(ctx.flowHash, flowHash);
    EthernetHeader eth(false);
    frame->RemoveHeader(eth);
    EXPECT_EQ(eth.GetSource(), r->GetRouterMac());
    EXPECT_EQ(eth.GetDestination(), Mac48Address("02:00:01:00:00:00"));
    EXPECT_EQ(eth.GetLengthType(), 0x0800);
    // TTL 63, and the header checksum over the new TTL: bytes 10-11 of the IPv4 header.
    uint8_t ip[20];
    frame->CopyData(ip, 20);
    EXPECT_EQ(ip[8], 63);
    uint32_t sum = 0;
    for (int i = 0; i < 20; i += 2)
    {
        sum += uint32_t{ip[i]} << 8 | ip[i + 1];
    }
    while (sum >> 16)
    {
        sum = (sum & 0xffff) + (sum >> 16);
    }
    EXPECT_EQ(sum, 0xffffu); // a valid header sums to all ones
    EXPECT_EQ(frame->GetSize(), 20u + 8u + 100u);
    EXPECT_EQ(r->GetRoutedFrames(), 1u);
}

TEST(DistributedRouter, LeavesOtherFramesAndDropsWhatItCannotRoute)
{
    Ptr<DistributedRouterStage> r = MakeRouter();
    // Not to the router MAC: untouched.
    Ptr<Packet> bridged =
        RoutedFrame(Mac48Address("02:00:00:00:00:07"), Ipv4Address("10.128.0.7"), 64);
    PortContext ctx = ContextOf(bridged);
    const uint32_t size = bridged->GetSize();
    EXPECT_EQ(r->Process(ctx).action, PortVerdict::CONTINUE);
    EXPECT_EQ(ctx.vni, 5000u);
    EXPECT_EQ(bridged->GetSize(), size);
    // TTL 1 would reach zero.
    PortContext expiring = ContextOf(RoutedFrame(r->GetRouterMac(), Ipv4Address("10.129.0.1"), 1));
    PortVerdict v = r->Process(expiring);
    EXPECT_EQ(v.action, PortVerdict::DROP);
    EXPECT_EQ(v.reason, DropReason::INNER_TTL_EXPIRED);
    // A subnet the router has no port on, an address with no neighbour, the gateway itself.
    for (const char* dst : {"10.130.0.1", "10.129.0.2", "10.129.255.254"})
    {
        PortContext c = ContextOf(RoutedFrame(r->GetRouterMac(), Ipv4Address(dst), 64));
        v = r->Process(c);
        EXPECT_EQ(v.action, PortVerdict::DROP) << dst;
        EXPECT_EQ(v.reason, DropReason::NO_LOGICAL_ROUTE) << dst;
    }
    EXPECT_EQ(r->GetRoutedFrames(), 0u);
}
