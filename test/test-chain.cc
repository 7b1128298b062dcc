// Tests of the service chain model (seed 001): the path of Fig. 3 through the classifier, the
// service plane, the proxies and the service VMs, hop by hop; liveness queries in-band and as
// probes, detection within K x k, stale answers, drop-all SVMs, interface watch, reflection; the
// control messages, and the controller's status table and pushes over the management network.
#include "header-round-trip.h"
#include "leaf-spine-topology.h"
#include "management-network.h"
#include "nsh-header.h"
#include "overlay-network.h"
#include "service-agent.h"
#include "service-classifier.h"
#include "service-control-header.h"
#include "service-controller.h"
#include "service-function.h"
#include "service-plane.h"
#include "service-proxy.h"
#include "virtual-switch.h"
#include "vnic-net-device.h"

#include "ns3/boolean.h"
#include "ns3/core-module.h"
#include "ns3/ethernet-header.h"
#include "ns3/internet-module.h"
#include "ns3/network-module.h"

#include <gtest/gtest.h>
#include <map>
#include <vector>

using namespace ns3;

namespace
{

constexpr uint32_t VNI = 5000;

/// One SVM of the test: where it is and what it is made of.
struct TestSvm
{
    uint32_t id;
    uint32_t host;
    Ptr<Node> node;
    Ptr<VnicNetDevice> vnic;
    Ptr<ServiceFunction> function;
    Ptr<ServiceProxy> proxy;
};

/// What an SVM's vNIC saw arrive: (time, SPI, SI, query).
struct SvmRx
{
    Time at;
    uint32_t spi;
    uint8_t si;
    bool query;
};

/**
 * Seed 001 Fig. 3 on a 2 x 2 x 2 fabric: VM5 = host0/vm0 sends to VM6 = host3/vm0; SVM1, SVM2
 * and SVM8 on host1, SVM3, SVM4 and SVM7 on host2. SPI 1 = SVM1 (SI 3), SVM2 (2), SVM3 (1);
 * SPI 2 = SVM1, SVM4, SVM3; SPI 3 = SVM1 (4), SVM7 (3), SVM8 (2), SVM3 (1). The controller is
 * stood in for by a direct call (no delay) from each proxy's status callback to the classifier,
 * unless a test turns it off: the controller and its messages are tested on their own.
 */
class ChainTest : public ::testing::Test
{
  protected:
    /// How path status reaches the classifier.
    enum Control
    {
        DIRECT,    //!< a direct call from the proxy's status callback (no delay)
        NONE,      //!< nothing: reflection alone
        CONTROLLER //!< agents and the controller over the management network
    };

    void Build(bool reflect = false, Control control = DIRECT)
    {
        FabricConfig fc;
        fc.spines = 2;
        fc.racks = 2;
        fc.hostsPerRack = 2;
        m_fabric = CreateObject<LeafSpineFabric>(fc, 1);
        OverlayConfig oc;
        oc.segments.push_back(SegmentConfig{VNI, {"host0/vm0", "host3/vm0"}});
        m_overlay = CreateObject<OverlayNetwork>();
        m_overlay->Build(oc, m_fabric);
        for (uint32_t h = 0; h < 4; ++h)
        {
            Ptr<ServicePlane> plane = CreateObject<ServicePlane>();
            plane->Attach(m_overlay->GetVirtualSwitch(h), m_overlay->GetVtep(h));
            plane->TraceConnectWithoutContext("Drop", MakeCallback(&ChainTest::Dropped, this));
            m_planes.push_back(plane);
            auto sink = MakeCallback(&ChainTest::Dropped, this);
            m_overlay->GetVtep(h)->TraceConnectWithoutContext("Drop", sink);
            m_overlay->GetVirtualSwitch(h)->TraceConnectWithoutContext("Drop", sink);
        }
        // The SVM hosts deliver at the end of a path: they know VM6 as the segment's hosts do.
        const auto& vm6 = m_overlay->GetVm(*VmRef::Parse("host3/vm0"));
        for (uint32_t h : {1u, 2u})
        {
            Ptr<Vtep> vtep = m_overlay->GetVtep(h);
            m_overlay->GetVirtualSwitch(h)->AddRemoteEntry(
                VNI,
                vm6.mac,
                vtep->AddTunnel(m_overlay->GetVtep(3)->GetLocalAddress()));
        }
        const std::map<uint32_t, uint32_t> hostOf{{1, 1}, {2, 1}, {8, 1}, {3, 2}, {4, 2}, {7, 2}};
        for (const auto& [id, host] : hostOf)
        {
            AddSvm(id, host, reflect);
        }
        m_paths = {ServicePathSpec{1, 3, {1, 2, 3}},
                   ServicePathSpec{2, 3, {1, 4, 3}},
                   ServicePathSpec{3, 4, {1, 7, 8, 3}}};
        for (const ServicePathSpec& path : m_paths)
        {
            for (uint32_t hop = 0; hop < path.svms.size(); ++hop)
            {
                const TestSvm& svm = m_svms.at(path.svms[hop]);
                const uint8_t si = path.firstSi - hop;
                for (uint32_t h = 0; h < 4; ++h)
                {
                    if (h == svm.host)
                    {
                        m_planes[h]->AddLocalHop(path.spi, si, svm.proxy);
                    }
                    else
                    {
                        m_planes[h]->AddRemoteHop(path.spi,
                                                  si,
                                                  m_overlay->GetVtep(svm.host)->GetLocalAddress());
                    }
                }
            }
            for (uint32_t h = 0; h < 4; ++h)
            {
                m_planes[h]->SetPathEnd(path.spi, path.firstSi - path.svms.size(), false);
                m_planes[h]->AddSourceHost(m_overlay->GetVtep(0)->GetLocalAddress());
            }
        }
        m_classifier = CreateObject<ServiceClassifier>();
        m_classifier->SetServicePlane(m_planes[0]);
        m_classifier->AddChain(1, m_paths);
        m_classifier->AddRule(ServiceRule{0, 0, 17, 0, 1});
        m_classifier->TraceConnectWithoutContext(
            "PathSelected",
            Callback<void, uint32_t, uint32_t, uint8_t>(
                [this](uint32_t chain, uint32_t spi, uint8_t cause) {
                    m_selected.push_back({Simulator::Now(), spi, cause});
                }));
        m_planes[0]->SetClassifier(m_classifier);
        const auto& vm5 = m_overlay->GetVm(*VmRef::Parse("host0/vm0"));
        m_overlay->GetVirtualSwitch(0)->InsertStage(vm5.port, m_classifier);
        if (control == CONTROLLER)
        {
            BuildController();
        }
        for (auto& [id, svm] : m_svms)
        {
            if (control == DIRECT)
            {
                svm.proxy->SetStatusCallback(
                    Callback<void, uint32_t, bool, uint8_t>([this](uint32_t s, bool up, uint8_t) {
                        std::vector<std::pair<uint32_t, bool>> push;
                        for (const ServicePathSpec& path : m_paths)
                        {
                            bool through = false;
                            for (uint32_t v : path.svms)
                            {
                                through = through || v == s;
                            }
                            if (through)
                            {
                                push.emplace_back(path.spi, up);
                            }
                        }
                        m_classifier->SetPathStatus(push);
                    }));
            }
            svm.proxy->TraceConnectWithoutContext(
                "Status",
                Callback<void, uint32_t, bool, uint8_t>([this](uint32_t s, bool up, uint8_t c) {
                    m_status.push_back({Simulator::Now(), s, up, c});
                }));
            svm.proxy->Start();
        }
        m_sink = Socket::CreateSocket(vm6.node, UdpSocketFactory::GetTypeId());
        m_sink->Bind(InetSocketAddress(Ipv4Address::GetAny(), 9));
        m_sink->SetRecvCallback(MakeCallback(&ChainTest::Received, this));
        m_source = Socket::CreateSocket(vm5.node, UdpSocketFactory::GetTypeId());
        m_source->Bind(InetSocketAddress(vm5.ip, 4000));
    }

    /// The controller with the status table of Fig. 3, and one agent per host.
    void BuildController()
    {
        m_management = CreateObject<ManagementNetwork>();
        m_management->Build({0, 1, 2, 3});
        m_controller = CreateObject<ServiceController>();
        m_management->GetControllerNode()->AddApplication(m_controller);
        for (const ServicePathSpec& path : m_paths)
        {
            m_controller->AddPath(path.spi, path.svms);
        }
        for (uint32_t h = 0; h < 4; ++h)
        {
            Ptr<ServiceAgent> agent = CreateObject<ServiceAgent>();
            agent->SetAttribute("ControllerAddress",
                                Ipv4AddressValue(m_management->GetControllerAddress(h)));
            agent->SetAttribute("HeartbeatInterval", TimeValue(m_heartbeatInterval));
            m_management->GetHostNode(h)->AddApplication(agent);
            m_controller->AddAgent(m_management->GetHostAddress(h));
            for (auto& [id, svm] : m_svms)
            {
                if (svm.host == h)
                {
                    agent->AddProxy(svm.proxy);
                    agent->AddHeartbeatSource(id, svm.function, svm.vnic);
                    if (m_heartbeatInterval.IsStrictlyPositive())
                    {
                        m_controller->WatchHeartbeats(id);
                    }
                }
            }
            m_agents.push_back(agent);
        }
        m_agents[0]->SetClassifier(m_classifier);
        m_controller->TraceConnectWithoutContext(
            "Report",
            Callback<void, uint32_t, bool, uint8_t, uint8_t>(
                [this](uint32_t svm, bool up, uint8_t, uint8_t mechanism) {
                    m_reports.push_back({Simulator::Now(), svm, up, mechanism});
                }));
    }

    void AddSvm(uint32_t id, uint32_t host, bool reflect)
    {
        TestSvm svm{id, host};
        svm.node = CreateObject<Node>();
        svm.vnic = CreateObject<VnicNetDevice>();
        svm.node->AddDevice(svm.vnic);
        Ptr<VirtualSwitch> vswitch = m_overlay->GetVirtualSwitch(host);
        const uint32_t port = vswitch->AddPort(svm.vnic, VNI);
        svm.function = CreateObject<ServiceFunction>();
        svm.function->SetVnic(svm.vnic);
        svm.function->AssignStreams(100 + id);
        svm.node->AddApplication(svm.function);
        svm.function->TraceConnectWithoutContext("Drop", MakeCallback(&ChainTest::Dropped, this));
        svm.vnic->TraceConnectWithoutContext("Drop", MakeCallback(&ChainTest::Dropped, this));
        svm.proxy = CreateObject<ServiceProxy>();
        svm.proxy->SetAttribute("Reflect", BooleanValue(reflect));
        svm.proxy->Attach(m_planes[host], vswitch, port, svm.vnic, id);
        vswitch->InsertStage(port, svm.proxy, 0);
        svm.vnic->TraceConnectWithoutContext(
            "Sniffer",
            Callback<void, Ptr<const Packet>>(
                [this, id, mac = svm.vnic->GetAddress()](Ptr<const Packet> frame) {
                    Ptr<Packet> copy = frame->Copy();
                    EthernetHeader eth(false);
                    copy->RemoveHeader(eth);
                    NshHeader nsh;
                    if (eth.GetDestination() == Mac48Address::ConvertFrom(mac) &&
                        copy->RemoveHeader(nsh) != 0)
                    {
                        m_svmRx[id].push_back({Simulator::Now(),
                                               nsh.GetSpi(),
                                               nsh.GetServiceIndex(),
                                               nsh.IsLivenessQuery()});
                    }
                }));
        m_svms[id] = svm;
    }

    /// One datagram of 200 bytes from VM5 to VM6 every \p gap from \p start to \p stop.
    void SendStream(Time start, Time stop, Time gap)
    {
        const Ipv4Address dst = m_overlay->GetVm(*VmRef::Parse("host3/vm0")).ip;
        for (Time t = start; t < stop; t += gap)
        {
            Simulator::Schedule(t, [this, dst]() {
                m_source->SendTo(Create<Packet>(200), 0, InetSocketAddress(dst, 9));
                ++m_sent;
            });
        }
    }

    void Received(Ptr<Socket> s)
    {
        while (Ptr<Packet> p = s->Recv())
        {
            m_received.push_back(Simulator::Now());
        }
    }

    /// Counts data packets only: probes and answers (no inner frame) lost at a failed SVM are
    /// not traffic.
    void Dropped(Ptr<const Packet> p, DropReason reason)
    {
        if (p->GetSize() >= 200)
        {
            m_drops[reason]++;
        }
    }

    void TearDown() override
    {
        Simulator::Destroy();
    }

    /// \return how many packets SVM \p id received for (spi, si)
    uint32_t Count(uint32_t id, uint32_t spi, uint8_t si) const
    {
        uint32_t n = 0;
        auto rx = m_svmRx.find(id);
        if (rx != m_svmRx.end())
        {
            for (const SvmRx& r : rx->second)
            {
                n += (r.spi == spi && r.si == si) ? 1 : 0;
            }
        }
        return n;
    }

    struct StatusChange
    {
        Time at;
        uint32_t svm;
        bool up;
        uint8_t cause;
    };

    struct Selection
    {
        Time at;
        uint32_t spi;
        uint8_t cause;
    };

    Ptr<LeafSpineFabric> m_fabric;
    Ptr<OverlayNetwork> m_overlay;
    Ptr<ManagementNetwork> m_management;
    Ptr<ServiceController> m_controller;
    std::vector<Ptr<ServiceAgent>> m_agents;
    Time m_heartbeatInterval{Time(0)};
    std::vector<StatusChange> m_reports; // the controller's: (at, svm, up, mechanism)
    std::vector<Ptr<ServicePlane>> m_planes;
    std::map<uint32_t, TestSvm> m_svms;
    std::vector<ServicePathSpec> m_paths;
    Ptr<ServiceClassifier> m_classifier;
    Ptr<Socket> m_source;
    Ptr<Socket> m_sink;
    uint32_t m_sent{0};
    std::vector<Time> m_received;
    std::map<DropReason, uint32_t> m_drops;
    std::map<uint32_t, std::vector<SvmRx>> m_svmRx;
    std::vector<StatusChange> m_status;
    std::vector<Selection> m_selected;
};

} // namespace

TEST_F(ChainTest, PacketTakesSpi1ThroughSvm1Svm2Svm3WithSiDecrementedAtEveryHop)
{
    Build();
    SendStream(MilliSeconds(10), MilliSeconds(11), MilliSeconds(1));
    Simulator::Stop(MilliSeconds(20));
    Simulator::Run();

    ASSERT_EQ(m_received.size(), 1u);
    EXPECT_EQ(Count(1, 1, 3), 1u);
    EXPECT_EQ(Count(2, 1, 2), 1u);
    EXPECT_EQ(Count(3, 1, 1), 1u);
    EXPECT_EQ(Count(4, 2, 2), 0u) << "SVM4 is on SPI 2, not taken while SPI 1 is UP";
    // SVM1 saw it before SVM2, SVM2 before SVM3, and VM6 last.
    EXPECT_LE(m_svmRx[1][0].at, m_svmRx[2][0].at);
    EXPECT_LT(m_svmRx[2][0].at, m_svmRx[3][0].at) << "host1 -> host2 crosses the fabric";
    EXPECT_LT(m_svmRx[3][0].at, m_received[0]);
    EXPECT_TRUE(m_drops.empty());
    EXPECT_TRUE(m_status.empty());
}

TEST_F(ChainTest, TunnelPacketsBetweenHostsAreGeneveWithProtocolNshAndTheNshInside)
{
    Build();
    std::vector<std::vector<uint8_t>> frames;
    m_fabric->GetHostUplink(0, 0)->TraceConnectWithoutContext(
        "WireTx",
        Callback<void, Ptr<const Packet>>([&](Ptr<const Packet> p) {
            std::vector<uint8_t> b(p->GetSize());
            p->CopyData(b.data(), b.size());
            frames.push_back(b);
        }));
    m_fabric->GetHostUplink(0, 1)->TraceConnectWithoutContext(
        "WireTx",
        Callback<void, Ptr<const Packet>>([&](Ptr<const Packet> p) {
            std::vector<uint8_t> b(p->GetSize());
            p->CopyData(b.data(), b.size());
            frames.push_back(b);
        }));
    SendStream(MilliSeconds(10), MilliSeconds(11), MilliSeconds(1));
    Simulator::Stop(MilliSeconds(20));
    Simulator::Run();

    ASSERT_EQ(frames.size(), 1u) << "host0 sends the classified packet once, to host1";
    const std::vector<uint8_t>& b = frames[0];
    // Ethernet 14 + IPv4 20 + UDP 8 = 42: GENEVE, then NSH at 50, then VM5's frame at 74.
    EXPECT_EQ(b[36] << 8 | b[37], 6081);
    EXPECT_EQ(b[44] << 8 | b[45], 0x894F) << "GENEVE protocol type: NSH";
    EXPECT_EQ(b[50], 0x0f);
    EXPECT_EQ(b[51], 0xc6) << "TTL 63, length 6";
    EXPECT_EQ(b[53], NshHeader::NEXT_ETHERNET);
    EXPECT_EQ(b[54] << 16 | b[55] << 8 | b[56], 1) << "SPI 1";
    EXPECT_EQ(b[57], 3) << "SI 3: SVM1";
    EXPECT_EQ(b[74 + 12] << 8 | b[74 + 13], 0x0800) << "the inner frame is VM5's IPv4 frame";
}

TEST_F(ChainTest, CrashedSvm2UnderTrafficIsDownWithinKIntervalsAndTrafficMovesToSpi2)
{
    Build();
    SendStream(MilliSeconds(10), MilliSeconds(1000), MilliSeconds(1));
    Simulator::Schedule(MilliSeconds(300),
                        [this]() { m_svms[2].function->SetHealth(ServiceFunction::CRASHED); });
    Simulator::Stop(MilliSeconds(1100));
    Simulator::Run();

    ASSERT_EQ(m_status.size(), 1u);
    EXPECT_EQ(m_status[0].svm, 2u);
    EXPECT_FALSE(m_status[0].up);
    EXPECT_EQ(m_status[0].cause, ServiceProxy::CAUSE_QUERIES_MISSED);
    // Queries every k = 50 ms from t = 50 ms; the first one after the crash is missed at the
    // tick after it, the third miss makes it DOWN: between 300 + 2k and 300 + 3k + k.
    EXPECT_GE(m_status[0].at, MilliSeconds(400));
    EXPECT_LE(m_status[0].at, MilliSeconds(500));
    ASSERT_EQ(m_selected.size(), 1u);
    EXPECT_EQ(m_selected[0].spi, 2u);
    EXPECT_EQ(m_selected[0].at, m_status[0].at);
    EXPECT_GT(Count(4, 2, 2), 400u) << "SVM4 takes the traffic after the switch";
    EXPECT_EQ(Count(1, 2, 3), Count(4, 2, 2)) << "SPI 2 starts at SVM1 too: no service skipped";
    // Every packet sent is delivered or dropped with a reason, and the drops are SVM2's.
    // Lost inside SVM2 until DOWN, and at SVM2's proxy what SVM1 had already sent on: no other.
    uint32_t lost = 0;
    for (const auto& [reason, n] : m_drops)
    {
        EXPECT_TRUE(reason == DropReason::SERVICE_VM_FAILED ||
                    reason == DropReason::SERVICE_VM_DOWN)
            << ToString(reason);
        lost += n;
    }
    EXPECT_LE(m_drops[DropReason::SERVICE_VM_DOWN], 1u);
    EXPECT_EQ(m_received.size() + lost, m_sent);
    const double detectMs = (m_status[0].at - MilliSeconds(300)).GetSeconds() * 1e3;
    EXPECT_NEAR(lost, detectMs, 1.5) << "one packet per ms lost until the switch";
}

TEST_F(ChainTest, IdleCrashedSvmIsFoundByTheProbesAloneWithinKTimesK)
{
    Build();
    Simulator::Schedule(MilliSeconds(120),
                        [this]() { m_svms[2].function->SetHealth(ServiceFunction::CRASHED); });
    Simulator::Stop(MilliSeconds(600));
    Simulator::Run();

    ASSERT_EQ(m_status.size(), 1u);
    EXPECT_EQ(m_status[0].svm, 2u);
    // Probes at 50, 100, 150, ...: 150, 200 and 250 unanswered, judged at 200, 250, 300.
    EXPECT_EQ(m_status[0].at, MilliSeconds(300));
    EXPECT_LE(m_status[0].at - MilliSeconds(120), MilliSeconds(3 * 50 + 50));
    EXPECT_EQ(m_svms[2].proxy->GetCounters().inBandQueries, 0u);
    EXPECT_EQ(m_svms[1].proxy->GetCounters().probes, 11u) << "one probe per 50 ms up to 550 ms";
    EXPECT_EQ(m_svms[1].proxy->GetCounters().answers, 11u);
}

TEST_F(ChainTest, QueriesRideOnDataWhenThereIsTrafficAndProbesOnlyWhenThereIsNone)
{
    Build();
    SendStream(MilliSeconds(10), MilliSeconds(300), MilliSeconds(1));
    Simulator::Stop(MilliSeconds(600));
    Simulator::Run();

    const ServiceProxy::Counters& c = m_svms[1].proxy->GetCounters();
    // Ticks at 50 .. 550. The queries of ticks 50 .. 250 ride on data (5); the one of tick 300
    // finds no more data and is never sent; ticks 350 .. 550 send probes (5).
    EXPECT_EQ(c.inBandQueries, 5u);
    EXPECT_EQ(c.probes, 5u);
    EXPECT_EQ(c.answers, 10u);
    EXPECT_EQ(c.stale, 0u);
    EXPECT_EQ(m_svms[1].function->GetCounters().queries, 10u);
    uint32_t queriesOnData = 0;
    for (const SvmRx& r : m_svmRx[1])
    {
        queriesOnData += (r.query && r.spi == 1) ? 1 : 0;
    }
    EXPECT_EQ(queriesOnData, 5u) << "in-band queries are on SPI 1 data packets";
    EXPECT_EQ(m_received.size(), m_sent);
}

TEST_F(ChainTest, DropAllSvmAnswersEveryQueryAndStaysUpWhileDroppingAllData)
{
    Build();
    m_svms[2].function->SetAttribute("Function", EnumValue(ServiceFunction::DROP_ALL));
    SendStream(MilliSeconds(10), MilliSeconds(500), MilliSeconds(1));
    Simulator::Stop(MilliSeconds(600));
    Simulator::Run();

    EXPECT_TRUE(m_status.empty()) << "a drop-all SVM is alive";
    EXPECT_TRUE(m_received.empty());
    EXPECT_EQ(m_drops[DropReason::SERVICE_FUNCTION], m_sent);
    const ServiceProxy::Counters& c = m_svms[2].proxy->GetCounters();
    EXPECT_EQ(c.answers, c.inBandQueries + c.probes);
    EXPECT_EQ(c.missed, 0u);
    EXPECT_GE(c.inBandQueries, 9u);
    EXPECT_EQ(Count(3, 1, 1), 0u) << "nothing reaches SVM3";
}

TEST_F(ChainTest, SlowSvmAnswersLateAndOnlyTheLatestSequenceCounts)
{
    Build();
    m_svms[2].function->SetAttribute("SlowDelay", TimeValue(MilliSeconds(80)));
    m_svms[2].function->SetHealth(ServiceFunction::SLOW);
    Simulator::Stop(MilliSeconds(600));
    Simulator::Run();

    const ServiceProxy::Counters& c = m_svms[2].proxy->GetCounters();
    // Each answer comes 80 ms after its probe: after the next tick judged it missed and sent a
    // newer query, so it is stale and ignored.
    EXPECT_EQ(c.answers, 0u);
    EXPECT_GE(c.stale, 3u);
    ASSERT_GE(m_status.size(), 1u);
    EXPECT_EQ(m_status[0].svm, 2u);
    EXPECT_FALSE(m_status[0].up);
    EXPECT_EQ(m_status[0].at, MilliSeconds(200)) << "probes 50, 100, 150 missed at 100, 150, 200";
}

TEST_F(ChainTest, InterfaceDownIsDownAtOnceAndItsFramesAreCounted)
{
    Build();
    SendStream(MilliSeconds(10), MilliSeconds(300), MilliSeconds(1));
    Simulator::Schedule(MilliSeconds(100) + MicroSeconds(500),
                        [this]() { m_svms[2].vnic->SetLinkUp(false); });
    Simulator::Stop(MilliSeconds(400));
    Simulator::Run();

    ASSERT_EQ(m_status.size(), 1u);
    EXPECT_EQ(m_status[0].at, MilliSeconds(100) + MicroSeconds(500));
    EXPECT_EQ(m_status[0].cause, ServiceProxy::CAUSE_INTERFACE_DOWN);
    EXPECT_EQ(m_classifier->GetSelectedPath(1), 2u);
    uint32_t lost = 0;
    for (const auto& [reason, n] : m_drops)
    {
        lost += n;
    }
    EXPECT_EQ(m_received.size() + lost, m_sent);
    EXPECT_LE(lost, 1u) << "at most the packet inside SVM2 when its vNIC went down";
}

TEST_F(ChainTest, ReflectionSwitchesTheClassifierAndReSteersTheReflectedPackets)
{
    Build(true, NONE); // reflection, no controller: the data plane alone
    SendStream(MilliSeconds(10), MilliSeconds(800), MilliSeconds(1));
    Simulator::Schedule(MilliSeconds(300),
                        [this]() { m_svms[2].function->SetHealth(ServiceFunction::CRASHED); });
    Simulator::Stop(MilliSeconds(900));
    Simulator::Run();

    ASSERT_EQ(m_status.size(), 1u);
    ASSERT_EQ(m_selected.size(), 1u);
    EXPECT_EQ(m_selected[0].spi, 2u);
    EXPECT_EQ(m_selected[0].cause, ServiceClassifier::CAUSE_REFLECTION);
    // The first packet after DOWN is reflected from host1 to host0: one fabric round trip later.
    EXPECT_GT(m_selected[0].at, m_status[0].at);
    EXPECT_LT(m_selected[0].at, m_status[0].at + MilliSeconds(1) + MicroSeconds(50));
    // Lost: only what went into the crashed SVM before DOWN; reflected packets are re-steered.
    EXPECT_EQ(m_drops.size(), 1u);
    const uint32_t lost = m_drops[DropReason::SERVICE_VM_FAILED];
    EXPECT_EQ(m_received.size() + lost, m_sent);
    EXPECT_EQ(m_drops.count(DropReason::SERVICE_VM_DOWN), 0u);
}

TEST_F(ChainTest, EveryPathDownDropsWithNoServicePathInsteadOfSkippingAService)
{
    Build();
    SendStream(MilliSeconds(10), MilliSeconds(500), MilliSeconds(1));
    Simulator::Schedule(MilliSeconds(200), [this]() {
        m_svms[1].function->SetHealth(ServiceFunction::CRASHED); // SVM1 is on every path
    });
    Simulator::Stop(MilliSeconds(600));
    Simulator::Run();

    ASSERT_EQ(m_selected.size(), 1u);
    EXPECT_EQ(m_selected[0].spi, ServiceClassifier::NO_PATH);
    EXPECT_GE(m_drops[DropReason::NO_SERVICE_PATH], 148u) << "every packet from DOWN (350 ms) on";
    EXPECT_EQ(Count(3, 1, 1) + Count(3, 2, 1) + Count(3, 3, 1), m_received.size())
        << "nothing reached VM6 without passing SVM3";
    uint32_t lost = 0;
    for (const auto& [reason, n] : m_drops)
    {
        lost += n;
    }
    EXPECT_EQ(m_received.size() + lost, m_sent);
}

// ---------------------------------------------------------------------------------------------
// Control messages, the controller and the agents

TEST(ServiceControlHeader, ReportSerializesToGoldenBytesAndRoundTrips)
{
    ServiceControlHeader report;
    report.SetType(ServiceControlHeader::REPORT);
    report.SetSequence(7);
    report.AddEntry({2, 0, ServiceProxy::CAUSE_QUERIES_MISSED});
    report.AddEntry({0x01020304, 1, ServiceProxy::CAUSE_ANSWER});
    // clang-format off
    const std::vector<uint8_t> golden{
        0x01, 0x02, 0x00, 0x00,  // REPORT, 2 entries, reserved
        0x00, 0x00, 0x00, 0x07,  // sequence 7
        0x00, 0x00, 0x00, 0x02,  // SVM 2
        0x00, 0x00, 0x00, 0x00,  //   DOWN, queries missed, reserved
        0x01, 0x02, 0x03, 0x04,  // SVM 0x01020304
        0x01, 0x03, 0x00, 0x00}; //   UP, answer, reserved
    // clang-format on
    ServiceControlHeader decoded;

    EXPECT_EQ(CheckHeaderRoundTrip(report, &decoded), golden);

    EXPECT_EQ(decoded.GetType(), ServiceControlHeader::REPORT);
    EXPECT_EQ(decoded.GetSequence(), 7u);
    EXPECT_EQ(decoded.GetEntries(), report.GetEntries());
}

TEST(ServiceControlHeader, ParseFromRefusesShortBuffersUnknownTypesAndMissingEntries)
{
    const std::vector<uint8_t> push{0x02, 0x01, 0, 0, 0, 0, 0, 1, 0, 0, 0, 1, 1, 0, 0, 0};
    ServiceControlHeader out;
    std::string error;

    EXPECT_EQ(ServiceControlHeader::ParseFrom(push.data(), 16, out), 16u);
    EXPECT_EQ(ServiceControlHeader::ParseFrom(push.data(), 7, out, &error), 0u);
    EXPECT_EQ(error, "short buffer: need 8 bytes, have 7");
    EXPECT_EQ(ServiceControlHeader::ParseFrom(push.data(), 15, out, &error), 0u);
    EXPECT_EQ(error, "1 entries need 16 bytes, have 15");
    std::vector<uint8_t> bad = push;
    bad[0] = 9;
    EXPECT_EQ(ServiceControlHeader::ParseFrom(bad.data(), 16, out, &error), 0u);
    EXPECT_EQ(error, "unknown type 9");
}

TEST_F(ChainTest, ControllerTableShowsSpi1DownWithSvm2AndItsPushMovesTheClassifierToSpi2)
{
    Build(false, CONTROLLER);
    SendStream(MilliSeconds(10), MilliSeconds(2500), MilliSeconds(1));
    Simulator::Schedule(MilliSeconds(300),
                        [this]() { m_svms[2].function->SetHealth(ServiceFunction::CRASHED); });
    Simulator::Stop(MilliSeconds(2600));
    Simulator::Run();

    ASSERT_EQ(m_status.size(), 1u);
    const Time detected = m_status[0].at;
    ASSERT_EQ(m_reports.size(), 1u);
    EXPECT_EQ(m_reports[0].svm, 2u);
    EXPECT_EQ(m_reports[0].cause, ServiceController::PROXY);
    // Report: one management link (100 us + 32 bytes of UDP at 1 Gb/s), then 1 s processing.
    const Time reported = m_reports[0].at;
    EXPECT_GT(reported - detected, Seconds(1) + MicroSeconds(100));
    EXPECT_LT(reported - detected, Seconds(1) + MicroSeconds(101));
    // Fig. 3's table 340: SPI 1 DOWN(SVM2), SPI 2 and SPI 3 UP.
    ASSERT_EQ(m_controller->GetHistory().size(), 1u);
    const ServiceController::TableChange& change = m_controller->GetHistory()[0];
    EXPECT_EQ(change.spi, 1u);
    EXPECT_FALSE(change.up);
    EXPECT_EQ(change.failed, std::vector<uint32_t>{2});
    EXPECT_EQ(change.at, reported);
    EXPECT_FALSE(m_controller->IsPathUp(1));
    EXPECT_TRUE(m_controller->IsPathUp(2));
    EXPECT_TRUE(m_controller->IsPathUp(3));
    // The push crosses one more management link to host0's agent, which reprograms at once.
    ASSERT_EQ(m_selected.size(), 1u);
    EXPECT_EQ(m_selected[0].spi, 2u);
    EXPECT_EQ(m_selected[0].cause, ServiceClassifier::CAUSE_CONTROLLER);
    EXPECT_GT(m_selected[0].at - reported, MicroSeconds(100));
    EXPECT_LT(m_selected[0].at - reported, MicroSeconds(101));
    EXPECT_EQ(m_controller->GetPushes(), 4u) << "one PUSH to each host's agent";
    EXPECT_EQ(m_agents[0]->GetPushesApplied(), 1u);
    // Everything sent between the crash and the switch was lost, nothing after.
    uint32_t lost = 0;
    for (const auto& [reason, n] : m_drops)
    {
        lost += n;
    }
    EXPECT_EQ(m_received.size() + lost, m_sent);
    const double outageMs = (m_selected[0].at - MilliSeconds(300)).GetSeconds() * 1e3;
    EXPECT_NEAR(lost, outageMs, 2.0);
    EXPECT_GT(m_drops[DropReason::SERVICE_VM_DOWN], 990u) << "while the controller works";
}

TEST_F(ChainTest, ReflectionRecoversFasterThanTheControllerByTheControllersDelay)
{
    Build(true, CONTROLLER);
    SendStream(MilliSeconds(10), MilliSeconds(2500), MilliSeconds(1));
    Simulator::Schedule(MilliSeconds(300),
                        [this]() { m_svms[2].function->SetHealth(ServiceFunction::CRASHED); });
    Simulator::Stop(MilliSeconds(2600));
    Simulator::Run();

    ASSERT_EQ(m_selected.size(), 1u) << "the controller's later push changes nothing";
    EXPECT_EQ(m_selected[0].cause, ServiceClassifier::CAUSE_REFLECTION);
    EXPECT_LT(m_selected[0].at - m_status[0].at, MilliSeconds(2));
    EXPECT_EQ(m_controller->GetHistory().size(), 1u) << "the table still learns of it";
    EXPECT_EQ(m_drops.count(DropReason::SERVICE_VM_DOWN), 0u);
    EXPECT_EQ(m_classifier->GetSelectedPath(1), 2u);
}

TEST_F(ChainTest, ControllerAloneFindsACrashByMissedHeartbeatsButNeverAHang)
{
    m_heartbeatInterval = Seconds(1);
    Config::SetDefault("ns3::ServiceProxy::InBandQueries", BooleanValue(false));
    Config::SetDefault("ns3::ServiceProxy::IdleProbes", BooleanValue(false));
    Config::SetDefault("ns3::ServiceProxy::WatchInterface", BooleanValue(false));
    Build(false, CONTROLLER);
    Config::Reset();
    Simulator::Schedule(MilliSeconds(300), [this]() {
        m_svms[2].function->SetHealth(ServiceFunction::CRASHED);
        m_svms[4].function->SetHealth(ServiceFunction::HUNG);
    });
    Simulator::Stop(Seconds(8));
    Simulator::Run();

    EXPECT_TRUE(m_status.empty()) << "no proxy detector runs";
    ASSERT_EQ(m_reports.size(), 1u);
    EXPECT_EQ(m_reports[0].svm, 2u);
    EXPECT_EQ(m_reports[0].cause, ServiceController::HEARTBEAT);
    // SVM2 last listed by the heartbeat at 0 s (start); checks every 0.75 s: 3 s is the first
    // at least 3 s later; acted on 1 s after that.
    EXPECT_EQ(m_reports[0].at, Seconds(4));
    ASSERT_EQ(m_controller->GetHistory().size(), 1u);
    EXPECT_EQ(m_controller->GetHistory()[0].spi, 1u);
    EXPECT_TRUE(m_controller->IsPathUp(2)) << "the hung SVM4 still sends heartbeats";
}

TEST_F(ChainTest, AdministratorFailsAnSvmThroughTheControllerAndUnfailsIt)
{
    Build(false, CONTROLLER);
    Simulator::Schedule(MilliSeconds(100), [this]() { m_controller->AdminFail(7, true); });
    Simulator::Schedule(MilliSeconds(2000), [this]() { m_controller->AdminFail(7, false); });
    Simulator::Stop(Seconds(4));
    Simulator::Run();

    ASSERT_EQ(m_controller->GetHistory().size(), 2u);
    EXPECT_EQ(m_controller->GetHistory()[0].spi, 3u);
    EXPECT_FALSE(m_controller->GetHistory()[0].up);
    EXPECT_EQ(m_controller->GetHistory()[0].at, MilliSeconds(1100));
    EXPECT_TRUE(m_controller->GetHistory()[1].up);
    EXPECT_EQ(m_controller->GetHistory()[1].at, MilliSeconds(3000));
    EXPECT_TRUE(m_selected.empty()) << "SPI 3 was never the chosen path";
}
