// Tests of the NIC's overlay address mapping table (seed 002 Figs. 3-6): pushes from the
// hypervisor's master copy applied after their modeled latency, in order; a stale copy until
// then; capacity of one table or of one table per VNI, with new entries refused when full;
// whole-table and delta pushes; the offloading NIC's transmit and receive paths (Figs. 7, 8);
// SR-IOV virtual functions: their encapsulation, broadcasts and ARP validation (Figs. 13-15);
// LRO (Fig. 14).
#include "fabric-net-device.h"
#include "leaf-spine-topology.h"
#include "nic-mapping-table.h"
#include "offload-encapsulation.h"
#include "offload-nic.h"
#include "overlay-network.h"
#include "software-encapsulation.h"
#include "virtual-function.h"
#include "virtual-switch.h"

#include "ns3/applications-module.h"
#include "ns3/core-module.h"
#include "ns3/internet-module.h"
#include "ns3/network-module.h"

#include <gtest/gtest.h>
#include <map>
#include <vector>

using namespace ns3;

namespace
{

Mac48Address
VmMac(uint32_t i)
{
    uint8_t b[6] = {0x02, 0, 0, 0, static_cast<uint8_t>(i >> 8), static_cast<uint8_t>(i)};
    Mac48Address mac;
    mac.CopyFrom(b);
    return mac;
}

VtepMapping
VtepOf(uint32_t host)
{
    uint8_t b[6] = {0x02, 0x56, 0x54, 0x45, 0x50, static_cast<uint8_t>(host)};
    Mac48Address mac;
    mac.CopyFrom(b);
    return VtepMapping{Ipv4Address((10u << 24) | (1u << 16) | host), mac};
}

MappingUpdate
Add(uint32_t vni, uint32_t vm, uint32_t host)
{
    return MappingUpdate{vni, VmMac(vm), false, VtepOf(host)};
}

MappingUpdate
Remove(uint32_t vni, uint32_t vm)
{
    return MappingUpdate{vni, VmMac(vm), true, {}};
}

class NicMappingTableTest : public ::testing::Test
{
  protected:
    void SetUp() override
    {
        m_nic = CreateObject<NicMappingTable>();
        m_nic->TraceConnectWithoutContext(
            "Applied",
            Callback<void, uint32_t, uint32_t>([this](uint32_t n, uint32_t refused) {
                m_applied.push_back({Simulator::Now(), n, refused});
            }));
        m_nic->TraceConnectWithoutContext(
            "Refused",
            Callback<void, uint32_t, uint64_t>(
                [this](uint32_t vni, uint64_t vm) { m_refused.emplace_back(vni, vm); }));
    }

    void TearDown() override
    {
        Simulator::Destroy();
    }

    /// \return the VTEP IP the NIC has for (vni, vm) at \p at, or 0.0.0.0 on a miss
    void LookupAt(Time at, uint32_t vni, uint32_t vm, Ipv4Address* out)
    {
        Simulator::Schedule(at, [this, vni, vm, out]() {
            const VtepMapping* m = m_nic->Lookup(vni, NicMappingTable::MacToInt(VmMac(vm)));
            *out = m ? m->vtepIp : Ipv4Address::GetAny();
        });
    }

    struct Applied
    {
        Time at;
        uint32_t entries;
        uint32_t refused;
    };

    Ptr<NicMappingTable> m_nic;
    std::vector<Applied> m_applied;
    std::vector<std::pair<uint32_t, uint64_t>> m_refused;
};

} // namespace

TEST_F(NicMappingTableTest, ADeltaPushIsAppliedAfterTheBatchAndPerEntryLatency)
{
    Simulator::Schedule(MicroSeconds(100), [this]() {
        m_nic->Push({Add(5000, 1, 3), Add(5000, 2, 3), Add(5000, 3, 4)}, false);
        EXPECT_EQ(m_nic->GetSettledAt(), MicroSeconds(123)) << "20 us + 3 x 1 us";
    });
    Ipv4Address before;
    Ipv4Address after;
    // 1 ns before and after: at 123 us itself, a lookup scheduled earlier runs first.
    LookupAt(NanoSeconds(122999), 5000, 3, &before);
    LookupAt(NanoSeconds(123001), 5000, 3, &after);
    Simulator::Run();
    ASSERT_EQ(m_applied.size(), 1u);
    EXPECT_EQ(m_applied[0].at, MicroSeconds(123));
    EXPECT_EQ(m_applied[0].entries, 3u);
    EXPECT_EQ(before, Ipv4Address::GetAny()) << "stale: not applied yet";
    EXPECT_EQ(after, VtepOf(4).vtepIp);
    EXPECT_EQ(m_nic->GetSize(), 3u);
    EXPECT_EQ(m_nic->GetCounters().misses, 1u);
    EXPECT_EQ(m_nic->GetCounters().lookups, 2u);
}

TEST_F(NicMappingTableTest, PushesAreAppliedOneAfterTheOtherInOrder)
{
    Simulator::Schedule(MicroSeconds(10), [this]() {
        m_nic->Push({Add(7, 1, 1)}, false);               // applied at 10 + 21 = 31 us
        m_nic->Push({Add(7, 1, 2), Add(7, 2, 2)}, false); // starts at 31: 31 + 22 = 53 us
        m_nic->Push({Remove(7, 2)}, false);               // 53 + 21 = 74 us
        EXPECT_EQ(m_nic->GetSettledAt(), MicroSeconds(74));
    });
    Ipv4Address at40;
    Ipv4Address at60;
    Ipv4Address vm2at60;
    Ipv4Address vm2at80;
    LookupAt(MicroSeconds(40), 7, 1, &at40);
    LookupAt(MicroSeconds(60), 7, 1, &at60);
    LookupAt(MicroSeconds(60), 7, 2, &vm2at60);
    LookupAt(MicroSeconds(80), 7, 2, &vm2at80);
    Simulator::Run();
    ASSERT_EQ(m_applied.size(), 3u);
    EXPECT_EQ(m_applied[0].at, MicroSeconds(31));
    EXPECT_EQ(m_applied[1].at, MicroSeconds(53));
    EXPECT_EQ(m_applied[2].at, MicroSeconds(74));
    EXPECT_EQ(at40, VtepOf(1).vtepIp) << "the migration's push is still pending";
    EXPECT_EQ(at60, VtepOf(2).vtepIp);
    EXPECT_EQ(vm2at60, VtepOf(2).vtepIp);
    EXPECT_EQ(vm2at80, Ipv4Address::GetAny()) << "removed";
    EXPECT_EQ(m_nic->GetSize(), 1u);
}

TEST_F(NicMappingTableTest, AFullSingleTableRefusesNewEntriesUntilARemovalFreesRoom)
{
    m_nic->SetAttribute("Capacity", UintegerValue(2));
    m_nic->Push({Add(1, 1, 1), Add(2, 2, 1), Add(1, 3, 1)}, false);
    Simulator::Run();
    ASSERT_EQ(m_applied.size(), 1u);
    EXPECT_EQ(m_applied[0].refused, 1u);
    ASSERT_EQ(m_refused.size(), 1u);
    EXPECT_EQ(m_refused[0].first, 1u);
    EXPECT_EQ(m_refused[0].second, NicMappingTable::MacToInt(VmMac(3)));
    EXPECT_EQ(m_nic->GetSize(), 2u) << "one table for both VNIs: its capacity bounds all";
    // Modifying an installed entry needs no room; a removal frees one.
    m_nic->Push({Add(1, 1, 9), Remove(2, 2), Add(1, 3, 1)}, false);
    Simulator::Run();
    EXPECT_EQ(m_applied.back().refused, 0u);
    EXPECT_NE(m_nic->Lookup(1, NicMappingTable::MacToInt(VmMac(3))), nullptr);
    EXPECT_EQ(m_nic->Lookup(1, NicMappingTable::MacToInt(VmMac(1)))->vtepIp, VtepOf(9).vtepIp);
    EXPECT_EQ(m_nic->GetCounters().refused, 1u);
}

TEST_F(NicMappingTableTest, PerVniTablesEachHaveTheCapacity)
{
    m_nic->SetAttribute("Layout", EnumValue(NicMappingTable::PER_VNI));
    m_nic->SetAttribute("Capacity", UintegerValue(1));
    m_nic->Push({Add(1, 1, 1), Add(2, 2, 1), Add(1, 3, 1)}, false);
    Simulator::Run();
    EXPECT_EQ(m_nic->GetSize(1), 1u);
    EXPECT_EQ(m_nic->GetSize(2), 1u);
    ASSERT_EQ(m_refused.size(), 1u);
    EXPECT_EQ(m_refused[0].first, 1u) << "VNI 1's table is full, VNI 2's has its own room";
}

TEST_F(NicMappingTableTest, VnisThatDifferAboveSixteenBitsAreDifferentKeys)
{
    m_nic->Push({Add(0x10000, 1, 1), Add(0x20000, 1, 2), Add(0xFFFFFF, 1, 3)}, false);
    Simulator::Run();
    const uint64_t vm = NicMappingTable::MacToInt(VmMac(1));
    EXPECT_EQ(m_nic->Lookup(0x10000, vm)->vtepIp, VtepOf(1).vtepIp);
    EXPECT_EQ(m_nic->Lookup(0x20000, vm)->vtepIp, VtepOf(2).vtepIp);
    EXPECT_EQ(m_nic->Lookup(0xFFFFFF, vm)->vtepIp, VtepOf(3).vtepIp);
    EXPECT_EQ(m_nic->Lookup(0x30000, vm), nullptr);
}

TEST_F(NicMappingTableTest, TheHostPushesDeltasOrTheWholeTableToEveryRegisteredNic)
{
    Ptr<HostMappingTable> host = CreateObject<HostMappingTable>();
    Ptr<NicMappingTable> second = CreateObject<NicMappingTable>();
    host->RegisterNic(m_nic);
    host->RegisterNic(second);
    host->Update({Add(5, 1, 1), Add(5, 2, 1)});
    host->Update({Add(5, 3, 2)});
    Simulator::Run();
    ASSERT_EQ(m_applied.size(), 2u);
    EXPECT_EQ(m_applied[1].entries, 1u) << "delta: the changed entry only";
    EXPECT_EQ(second->GetSize(), 3u);

    host->SetAttribute("PushMode", EnumValue(HostMappingTable::WHOLE_TABLE));
    host->Update({Remove(5, 1)});
    const Time start = Simulator::Now();
    Simulator::Run();
    ASSERT_EQ(m_applied.size(), 3u);
    EXPECT_EQ(m_applied[2].entries, 2u) << "whole table: the two entries left";
    EXPECT_EQ(m_applied[2].at - start, MicroSeconds(22));
    EXPECT_EQ(m_nic->GetSize(), 2u) << "the whole table replaces the NIC's copy";
    EXPECT_EQ(m_nic->Lookup(5, NicMappingTable::MacToInt(VmMac(1))), nullptr);
    EXPECT_EQ(host->GetSize(), 2u);
    EXPECT_EQ(host->Find(5, VmMac(3))->vtepIp, VtepOf(2).vtepIp);
}

// ---------------------------------------------------------------------------------------------
// The offloading NIC between a VTEP and its uplinks (Figs. 7 and 8).

namespace
{

uint16_t
Be16(const std::vector<uint8_t>& b, size_t at)
{
    return static_cast<uint16_t>(b[at] << 8 | b[at + 1]);
}

uint32_t
Be32(const std::vector<uint8_t>& b, size_t at)
{
    return uint32_t{b[at]} << 24 | uint32_t{b[at + 1]} << 16 | uint32_t{b[at + 2]} << 8 | b[at + 3];
}

/// Four hosts on two racks, VNI 5000 with host0/vm0 and host3/vm0; host0 and host3 offload.
class OffloadNicTest : public ::testing::Test
{
  protected:
    struct Offload
    {
        Ptr<HostMappingTable> master;
        std::vector<Ptr<OffloadNic>> nics;
    };

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
            auto sink = Callback<void, Ptr<const Packet>, DropReason>(
                [this](Ptr<const Packet>, DropReason r) { m_drops.push_back(r); });
            m_overlay->GetVtep(h)->TraceConnectWithoutContext("Drop", sink);
            m_overlay->GetVirtualSwitch(h)->TraceConnectWithoutContext("Drop", sink);
        }
        m_rx =
            Socket::CreateSocket(m_overlay->GetVm("host3/vm0").node, UdpSocketFactory::GetTypeId());
        m_rx->Bind(InetSocketAddress(Ipv4Address::GetAny(), 5000));
        m_rx->SetRecvCallback(Callback<void, Ptr<Socket>>([this](Ptr<Socket> s) {
            while (s->Recv())
            {
                ++m_delivered3;
            }
        }));
    }

    void TearDown() override
    {
        Simulator::Destroy();
    }

    /// Offloading NICs on every uplink of host \p h, its master table holding \p programmed.
    Offload Install(uint32_t h, const std::vector<MappingUpdate>& programmed, Ipv4Address gateway)
    {
        Offload o{CreateObject<HostMappingTable>(), {}};
        Ptr<Vtep> vtep = m_overlay->GetVtep(h);
        Ptr<OffloadEncapsulation> strategy = CreateObject<OffloadEncapsulation>();
        strategy->SetHostTable(o.master);
        vtep->SetEncapsulationStrategy(strategy);
        for (uint32_t k = 0; k < 2; ++k)
        {
            Ptr<NicMappingTable> table = CreateObject<NicMappingTable>();
            Ptr<OffloadNic> nic = CreateObject<OffloadNic>();
            nic->SetProtocol(vtep->GetEncapsulation());
            nic->SetLocalAddress(vtep->GetLocalAddress());
            nic->SetTable(table);
            HostMappingTable* master = PeekPointer(o.master);
            nic->SetMissCallback(
                OffloadNic::MissCallback([this, master, table](uint32_t vni, uint64_t vm) {
                    m_misses.push_back({vni, vm});
                    master->NicMiss(table, vni, vm);
                }));
            nic->TraceConnectWithoutContext(
                "Drop",
                Callback<void, Ptr<const Packet>, DropReason>(
                    [this](Ptr<const Packet>, DropReason r) { m_drops.push_back(r); }));
            vtep->ReplaceNic(k, nic);
            o.master->RegisterNic(table);
            table->SetSegment(
                5000,
                {Ipv4Address::GetAny(), gateway, vtep->GetUplinks()[k]->GetPeerMacAddress()});
            o.nics.push_back(nic);
        }
        if (!programmed.empty())
        {
            o.master->Update(programmed);
        }
        return o;
    }

    /// Give VM \p vm of host \p h (offloading as \p o) an SR-IOV VF on uplink 0, configured (its
    /// table pushed) at \p configureAt with a push batch latency of \p batch.
    Ptr<VirtualFunction> MakeVf(const Offload& o,
                                const std::string& vm,
                                uint16_t sourcePort,
                                Time configureAt,
                                Time batch)
    {
        const OverlayNetwork::Vm& v = m_overlay->GetVm(vm);
        Ptr<NicMappingTable> table = CreateObject<NicMappingTable>();
        table->SetAttribute("PushBatchLatency", TimeValue(batch));
        Ptr<VirtualFunction> vf = CreateObject<VirtualFunction>();
        vf->Configure(o.nics[0], v.mac, v.vni, sourcePort, table);
        Ptr<VirtualSwitch> sw = m_overlay->GetVirtualSwitch(v.host);
        const uint32_t port = v.port;
        vf->SetReceiveCallback(VirtualFunction::ReceiveCallback(
            [sw, port](Ptr<Packet> f) { sw->DeliverToPort(port, f); }));
        VirtualFunction* function = PeekPointer(vf);
        sw->SetPassThrough(port, VirtualSwitch::PassThrough([function](Ptr<Packet> f) {
                               function->Send(f);
                           }));
        for (const Ptr<OffloadNic>& nic : o.nics)
        {
            nic->AddFunction(vf);
        }
        // The segment's other host: host3 for host0's VM, host0 for host3's.
        o.nics[0]->SetFloodList(v.vni, {m_fabric->GetVtepAddress(v.host == 0 ? 3 : 0)});
        Simulator::Schedule(configureAt,
                            &HostMappingTable::ConfigureFunction,
                            o.master,
                            table,
                            v.vni);
        return vf;
    }

    /// The controller's entry of VM \p vm: its host's VTEP.
    MappingUpdate EntryOf(const std::string& vm)
    {
        const OverlayNetwork::Vm& v = m_overlay->GetVm(vm);
        Ptr<Vtep> at = m_overlay->GetVtep(v.host);
        return MappingUpdate{v.vni, v.mac, false, {at->GetLocalAddress(), at->GetMacAddress()}};
    }

    /// One 100-byte UDP datagram from \p from to \p to at \p at.
    void SendUdp(const std::string& from, const std::string& to, Time at)
    {
        const auto& src = m_overlay->GetVm(from);
        const auto& dst = m_overlay->GetVm(to);
        Ptr<Socket> tx = Socket::CreateSocket(src.node, UdpSocketFactory::GetTypeId());
        tx->Bind(InetSocketAddress(src.ip, static_cast<uint16_t>(4242 + m_sockets++)));
        Simulator::Schedule(at, [tx, dst]() {
            tx->SendTo(Create<Packet>(100), 0, InetSocketAddress(dst.ip, 5000));
        });
    }

    /// Record what leaves host \p h on uplink 0.
    void RecordWire(uint32_t h)
    {
        m_fabric->GetHostUplink(h, 0)->TraceConnectWithoutContext(
            "WireTx",
            Callback<void, Ptr<const Packet>>([this](Ptr<const Packet> p) {
                std::vector<uint8_t> b(p->GetSize());
                p->CopyData(b.data(), b.size());
                m_wire.push_back(b);
            }));
    }

    Ptr<LeafSpineFabric> m_fabric;
    Ptr<OverlayNetwork> m_overlay;
    std::vector<DropReason> m_drops;
    std::vector<std::pair<uint32_t, uint64_t>> m_misses;
    std::vector<std::vector<uint8_t>> m_wire;
    uint16_t m_sockets{0};    //!< sending sockets made
    Ptr<Socket> m_rx;         //!< host3/vm0's UDP port 5000
    uint32_t m_delivered3{0}; //!< datagrams it received
};

} // namespace

TEST_F(OffloadNicTest, TheNicEncapsulatesTaggedFramesFromItsTableAndIsStaleUntilThePush)
{
    // host0's push of one entry is applied 20 us + 1 us after it: a frame at 5 us misses (no
    // gateway: dropped, one miss event), a frame at 1 ms is encapsulated from the entry.
    Offload host0 = Install(0, {EntryOf("host3/vm0")}, Ipv4Address::GetAny());
    EXPECT_EQ(host0.nics[0]->GetTable()->GetSettledAt(), MicroSeconds(21));
    RecordWire(0);
    // ARP is answered by the virtual switch: the VM's first datagram leaves at once.
    SendUdp("host0/vm0", "host3/vm0", MicroSeconds(5));
    SendUdp("host0/vm0", "host3/vm0", MilliSeconds(1));
    Simulator::Stop(MilliSeconds(5));
    Simulator::Run();

    EXPECT_EQ(m_drops, std::vector<DropReason>{DropReason::NIC_MISS});
    ASSERT_EQ(m_misses.size(), 1u);
    EXPECT_EQ(m_misses[0].first, 5000u);
    EXPECT_EQ(m_misses[0].second, NicMappingTable::MacToInt(m_overlay->GetVm("host3/vm0").mac));
    EXPECT_EQ(host0.master->GetCounters().missEvents, 1u);
    EXPECT_EQ(host0.master->GetCounters().missRepushes, 0u) << "the entry was on its way";
    const OffloadNic::Counters& c = host0.nics[0]->GetCounters();
    EXPECT_EQ(c.encapsulated, 1u);
    EXPECT_EQ(c.missDropped, 1u);
    EXPECT_EQ(host0.nics[1]->GetCounters().encapsulated, 0u) << "carrier-only: uplink 0";
    EXPECT_EQ(m_delivered3, 1u);

    // The frame on the wire: outer Ethernet to the leaf port, IPv4 to host3's VTEP with a valid
    // header checksum and DF, UDP 6081, GENEVE VNI 5000 protocol 0x6558.
    ASSERT_EQ(m_wire.size(), 1u);
    const std::vector<uint8_t>& w = m_wire[0];
    uint8_t mac[6];
    m_fabric->GetHostUplink(0, 0)->GetPeerMacAddress().CopyTo(mac);
    EXPECT_TRUE(std::equal(mac, mac + 6, w.begin()));
    EXPECT_EQ(Be16(w, 12), 0x0800);
    EXPECT_EQ(Be32(w, 14 + 12), m_fabric->GetVtepAddress(0).Get());
    EXPECT_EQ(Be32(w, 14 + 16), m_fabric->GetVtepAddress(3).Get());
    EXPECT_EQ(w[14 + 6] & 0x40, 0x40) << "DF";
    uint32_t sum = 0;
    for (size_t i = 14; i < 34; i += 2)
    {
        sum += Be16(w, i);
    }
    while (sum >> 16)
    {
        sum = (sum & 0xffff) + (sum >> 16);
    }
    EXPECT_EQ(sum, 0xffffu) << "outer IPv4 header checksum";
    EXPECT_EQ(Be16(w, 36), 6081);
    const std::vector<uint8_t> geneve{0x00, 0x00, 0x65, 0x58, 0x00, 0x13, 0x88, 0x00};
    EXPECT_EQ(std::vector<uint8_t>(w.begin() + 42, w.begin() + 50), geneve);
}

TEST_F(OffloadNicTest, ThePipelineServesOneLookupPerSlotAndDropsWhatItsRingCannotHold)
{
    // Engine of 100k lookups/s (a 10 us slot), 3 us latency, a ring of 2 (waiting or in the
    // engine): of five frames tagged at 1 ms, the first leaves at 1 ms + 3 us, the second a slot
    // later, the other three find the ring full (nic_pipeline).
    Offload host0 = Install(0, {EntryOf("host3/vm0")}, Ipv4Address::GetAny());
    for (const Ptr<OffloadNic>& nic : host0.nics)
    {
        nic->SetAttribute("LookupRate", DoubleValue(1e5));
        nic->SetAttribute("PipelineLatency", TimeValue(MicroSeconds(3)));
        nic->SetAttribute("Ring", UintegerValue(2));
    }
    std::vector<Time> wire;
    m_fabric->GetHostUplink(0, 0)->TraceConnectWithoutContext(
        "WireTx",
        Callback<void, Ptr<const Packet>>(
            [&wire](Ptr<const Packet>) { wire.push_back(Simulator::Now()); }));
    SendUdp("host0/vm0", "host3/vm0", MicroSeconds(500)); // the VM's ARP entry (3 frames wait)
    for (int i = 0; i < 5; ++i)
    {
        SendUdp("host0/vm0", "host3/vm0", MilliSeconds(1));
    }
    Simulator::Stop(MilliSeconds(5));
    Simulator::Run();

    ASSERT_EQ(wire.size(), 3u);
    EXPECT_EQ(wire[0], MicroSeconds(500) + MicroSeconds(3));
    EXPECT_EQ(wire[1], MilliSeconds(1) + MicroSeconds(3));
    EXPECT_EQ(wire[2], MilliSeconds(1) + MicroSeconds(13));
    EXPECT_EQ(m_drops, std::vector<DropReason>(3, DropReason::NIC_PIPELINE));
    EXPECT_EQ(host0.nics[0]->GetCounters().pipelineDropped, 3u);
    EXPECT_EQ(host0.nics[0]->GetCounters().encapsulated, 3u);
    EXPECT_EQ(m_delivered3, 3u);
}

TEST_F(OffloadNicTest, AFailedEncapsulationEngineDropsTaggedFramesNotTheSoftwaresOam)
{
    // With its engine failed, host0's NIC drops the data frame (nic_encap_failed) but sends the
    // OAM frame the software encapsulated (software BFD: GENEVE with the O bit). Once OAM is
    // tagged for the NIC too (hardware BFD), the next OAM frame dies with the data.
    Offload host0 = Install(0, {EntryOf("host3/vm0")}, Ipv4Address::GetAny());
    RecordWire(0);
    Ptr<Vtep> vtep = m_overlay->GetVtep(0);
    const uint32_t tunnel = vtep->FindTunnel(m_fabric->GetVtepAddress(3));
    Simulator::Schedule(MicroSeconds(500), [&host0]() { host0.nics[0]->SetEncapFailed(true); });
    SendUdp("host0/vm0", "host3/vm0", MilliSeconds(1));
    Simulator::Schedule(MilliSeconds(2), [vtep, tunnel]() {
        vtep->SendOam(Create<Packet>(64), tunnel, 0, 0, Vtep::OAM_ECHO);
    });
    Simulator::Schedule(MilliSeconds(3), [vtep, tunnel]() {
        DynamicCast<OffloadEncapsulation>(vtep->GetEncapsulationStrategy())->SetNicOam(true);
        vtep->SendOam(Create<Packet>(64), tunnel, 0, 0, Vtep::OAM_ECHO);
    });
    Simulator::Stop(MilliSeconds(5));
    Simulator::Run();

    EXPECT_EQ(m_delivered3, 0u);
    // host3 refuses the test's OAM frame, 64 bytes that are no echo (not_for_us).
    EXPECT_EQ(m_drops,
              (std::vector<DropReason>{DropReason::NIC_ENCAP_FAILED,
                                       DropReason::NOT_FOR_US,
                                       DropReason::NIC_ENCAP_FAILED}));
    EXPECT_EQ(host0.nics[0]->GetCounters().encapFailed, 2u);
    ASSERT_EQ(m_wire.size(), 1u) << "only the software's OAM frame left";
    EXPECT_EQ(Be16(m_wire[0], 36), 6081);
    EXPECT_EQ(m_wire[0][43] & 0x80, 0x80) << "GENEVE O bit";
}

TEST_F(OffloadNicTest, AMissGoesToTheGatewayWhichRelaysByItsOwnTable)
{
    // host0's NIC has an empty table; host1 is the gateway: its switch knows host3/vm0.
    Offload host0 = Install(0, {}, m_fabric->GetVtepAddress(1));
    Ptr<VirtualSwitch> gateway = m_overlay->GetVirtualSwitch(1);
    gateway->SetRelay(true);
    const uint32_t tunnel = m_overlay->GetVtep(1)->AddTunnel(m_fabric->GetVtepAddress(3));
    gateway->AddRemoteEntry(5000, m_overlay->GetVm("host3/vm0").mac, tunnel);
    RecordWire(0);
    SendUdp("host0/vm0", "host3/vm0", MilliSeconds(1));
    SendUdp("host0/vm0", "host3/vm0", MilliSeconds(2));
    Simulator::Stop(MilliSeconds(5));
    Simulator::Run();

    EXPECT_TRUE(m_drops.empty());
    EXPECT_EQ(m_delivered3, 2u);
    EXPECT_EQ(gateway->GetRelayed(), 2u);
    EXPECT_EQ(host0.nics[0]->GetCounters().gatewayBound, 2u);
    EXPECT_EQ(m_misses.size(), 2u) << "one miss event per packet";
    EXPECT_EQ(host0.master->GetCounters().missRepushes, 0u) << "the master has no entry";
    ASSERT_EQ(m_wire.size(), 2u);
    EXPECT_EQ(Be32(m_wire[0], 14 + 16), m_fabric->GetVtepAddress(1).Get()) << "to the gateway";
}

TEST_F(OffloadNicTest, TheReceivingNicDecapsulatesAndTheSoftwareLearnsWhatItsTableLacks)
{
    // host3 offloads with an empty table: the packet from host0/vm0 is decapsulated by its NIC,
    // delivered, and learned: the master and, one push later, the NIC place it at host0.
    Offload host3 = Install(3, {}, Ipv4Address::GetAny());
    SendUdp("host0/vm0", "host3/vm0", MilliSeconds(1));
    SendUdp("host0/vm0", "host3/vm0", MilliSeconds(2));
    Simulator::Stop(MilliSeconds(5));
    Simulator::Run();

    EXPECT_TRUE(m_drops.empty()) << ToString(m_drops.front());
    EXPECT_EQ(m_delivered3, 2u);
    uint64_t decapsulated = 0;
    uint64_t notices = 0;
    for (const Ptr<OffloadNic>& nic : host3.nics)
    {
        decapsulated += nic->GetCounters().decapsulated;
        notices += nic->GetCounters().learnNotices;
    }
    EXPECT_EQ(decapsulated, 2u);
    EXPECT_EQ(notices, 1u) << "the second packet found the learned entry";
    EXPECT_EQ(host3.master->GetCounters().learned, 1u);
    const Mac48Address vm0 = m_overlay->GetVm("host0/vm0").mac;
    ASSERT_NE(host3.master->Find(5000, vm0), nullptr);
    EXPECT_EQ(host3.master->Find(5000, vm0)->vtepIp, m_fabric->GetVtepAddress(0));
    for (const Ptr<OffloadNic>& nic : host3.nics)
    {
        const VtepMapping* e = nic->GetTable()->Find(5000, NicMappingTable::MacToInt(vm0));
        ASSERT_NE(e, nullptr);
        EXPECT_EQ(e->vtepIp, m_fabric->GetVtepAddress(0));
    }
}

TEST_F(OffloadNicTest, TheReceivingNicRefusesAForeignVlanAndAWrongInnerChecksum)
{
    Offload host3 = Install(3, {EntryOf("host0/vm0")}, Ipv4Address::GetAny());
    // GENEVE frames from host0's VTEP to host3's: inner Ethernet + IPv4 (checksum right,
    // wrong, or not computed) to host3/vm0.
    auto make = [&](int checksum) {
        Ptr<Packet> p = Create<Packet>(8);
        UdpHeader inUdp;
        inUdp.SetSourcePort(1);
        inUdp.SetDestinationPort(5000);
        p->AddHeader(inUdp);
        Ipv4Header in;
        in.SetSource(m_overlay->GetVm("host0/vm0").ip);
        in.SetDestination(m_overlay->GetVm("host3/vm0").ip);
        in.SetProtocol(17);
        in.SetPayloadSize(p->GetSize());
        if (checksum != 0)
        {
            in.EnableChecksum();
        }
        p->AddHeader(in);
        if (checksum < 0)
        {
            std::vector<uint8_t> b(p->GetSize());
            p->CopyData(b.data(), b.size());
            b[10] ^= 0xff;
            p = Create<Packet>(b.data(), b.size());
        }
        EthernetHeader eth;
        eth.SetSource(m_overlay->GetVm("host0/vm0").mac);
        eth.SetDestination(m_overlay->GetVm("host3/vm0").mac);
        eth.SetLengthType(0x0800);
        p->AddHeader(eth);
        TunnelTxInfo tx{m_fabric->GetVtepAddress(0),
                        m_fabric->GetVtepAddress(3),
                        5000,
                        false,
                        1,
                        64,
                        0,
                        0,
                        0,
                        false,
                        0};
        SoftwareEncapsulation::AddTunnelHeaders(p, tx, Vtep::GENEVE);
        return p;
    };
    Ptr<FabricNetDevice> from = m_fabric->GetHostUplink(0, 0);
    Simulator::Schedule(MicroSeconds(100), [=]() {
        from->Send(make(-1), from->GetPeerMacAddress(), 0x0800); // wrong checksum
    });
    Simulator::Schedule(MicroSeconds(200), [=]() {
        from->Send(make(1), from->GetPeerMacAddress(), 0x0800); // right checksum
    });
    Simulator::Schedule(MicroSeconds(300), [=]() {
        from->Send(make(0), from->GetPeerMacAddress(), 0x0800); // none computed
    });
    // An 802.1Q-tagged frame (VLAN 7) straight onto host3's link: the NIC accepts none.
    Ptr<FabricNetDevice> uplink3 = m_fabric->GetHostUplink(3, 0);
    Ptr<Channel> link = uplink3->GetChannel();
    Ptr<FabricNetDevice> leafPort =
        DynamicCast<FabricNetDevice>(link->GetDevice(link->GetDevice(0) == uplink3 ? 1 : 0));
    Simulator::Schedule(MicroSeconds(400), [=]() {
        const uint8_t tag[4] = {0x00, 0x07, 0x08, 0x00}; // TCI VLAN 7, then IPv4
        Ptr<Packet> tagged = Create<Packet>(tag, 4);
        tagged->AddAtEnd(make(1));
        leafPort->Send(tagged, uplink3->GetMacAddress(), 0x8100);
    });
    Simulator::Stop(MilliSeconds(2));
    Simulator::Run();

    EXPECT_EQ(m_drops,
              (std::vector<DropReason>{DropReason::INNER_CHECKSUM, DropReason::VLAN_MISMATCH}));
    uint64_t refused = 0;
    uint64_t decapsulated = 0;
    for (const Ptr<OffloadNic>& nic : host3.nics)
    {
        refused += nic->GetCounters().rxRefused;
        decapsulated += nic->GetCounters().decapsulated;
    }
    EXPECT_EQ(refused, 2u);
    EXPECT_EQ(decapsulated, 3u) << "the VLAN frame is refused before decapsulation";
    EXPECT_EQ(m_delivered3, 2u) << "right checksum, and none computed";
}

// ---------------------------------------------------------------------------------------------
// SR-IOV virtual functions (seed 002 section III.A, Figs. 12-15).

TEST_F(NicMappingTableTest, AVfsTableGetsItsVniOnlyWhenConfiguredAndEveryChangeOfItAfter)
{
    Ptr<HostMappingTable> host = CreateObject<HostMappingTable>();
    host->RegisterNic(m_nic);
    host->Update({Add(5, 1, 1), Add(6, 2, 1), Add(5, 3, 2)});
    Ptr<NicMappingTable> vf = CreateObject<NicMappingTable>();
    host->ConfigureFunction(vf, 5);
    Simulator::Run();
    EXPECT_EQ(m_nic->GetSize(), 3u);
    EXPECT_EQ(vf->GetSize(), 2u) << "VNI 5's entries only (paragraph 0095)";
    EXPECT_EQ(vf->GetCounters().pushes, 1u);
    host->Update({Add(6, 4, 2)});
    Simulator::Run();
    EXPECT_EQ(vf->GetCounters().pushes, 1u) << "a change of VNI 6 is not pushed to the VF";
    host->Update({Add(5, 5, 2), Add(6, 6, 2)});
    Simulator::Run();
    EXPECT_EQ(vf->GetCounters().pushes, 2u);
    EXPECT_EQ(vf->GetCounters().entriesApplied, 3u) << "two at configuration, one delta";
    EXPECT_NE(vf->Find(5, NicMappingTable::MacToInt(VmMac(5))), nullptr);
    EXPECT_EQ(vf->Find(6, NicMappingTable::MacToInt(VmMac(6))), nullptr);
}

TEST_F(OffloadNicTest, AVfsFramesLeaveWithItsVniAndSourcePortAndItsArpReachesTheVnisVteps)
{
    // host0/vm0 uses a VF with source port 50000. Its ARP request (no virtual switch to suppress
    // it) goes to each other VTEP of the fabric's flood list, one copy each; host3/vm0 answers,
    // the VF's table (settled at 21 us) validates the reply, then the datagram leaves.
    Offload host0 = Install(0, {EntryOf("host3/vm0")}, Ipv4Address::GetAny());
    Offload host3 = Install(3, {EntryOf("host0/vm0")}, Ipv4Address::GetAny());
    Ptr<VirtualFunction> vf = MakeVf(host0, "host0/vm0", 50000, Seconds(0), MicroSeconds(20));
    RecordWire(0);
    SendUdp("host0/vm0", "host3/vm0", MilliSeconds(1));
    Simulator::Stop(MilliSeconds(5));
    Simulator::Run();

    EXPECT_TRUE(m_drops.empty()) << ToString(m_drops.front());
    EXPECT_EQ(m_delivered3, 1u);
    const VirtualFunction::Counters& c = vf->GetCounters();
    EXPECT_EQ(c.txFrames, 2u) << "the ARP request and the datagram";
    EXPECT_EQ(c.txFlooded, 1u);
    EXPECT_EQ(c.txFloodCopies, 1u) << "host3, the segment's other host";
    EXPECT_EQ(c.txEncapsulated, 1u);
    EXPECT_EQ(c.arpRequests, 1u);
    EXPECT_EQ(c.arpReplies, 1u);
    EXPECT_EQ(c.arpToPf, 0u);
    EXPECT_EQ(c.rxDelivered, 1u) << "the ARP reply";
    ASSERT_EQ(m_wire.size(), 2u);
    for (uint32_t i = 0; i < 2; ++i)
    {
        const std::vector<uint8_t>& w = m_wire[i];
        EXPECT_EQ(Be16(w, 34), 50000) << "the VF's source port, frame " << i;
        EXPECT_EQ(Be16(w, 36), 6081);
        EXPECT_EQ(Be32(w, 14 + 28 + 4) >> 8, 5000u) << "the VF's VNI";
    }
    EXPECT_EQ(Be32(m_wire[0], 14 + 16), m_fabric->GetVtepAddress(3).Get());
    EXPECT_EQ(Be16(m_wire[0], 50 + 12), 0x0806) << "inner ARP";
    EXPECT_EQ(Be32(m_wire[0], 50), 0xffffffffu) << "inner broadcast";
    EXPECT_EQ(Be32(m_wire[1], 14 + 16), m_fabric->GetVtepAddress(3).Get());
    EXPECT_EQ(Be16(m_wire[1], 50 + 12), 0x0800) << "the datagram";
    Ptr<OffloadEncapsulation> strategy =
        DynamicCast<OffloadEncapsulation>(m_overlay->GetVtep(0)->GetEncapsulationStrategy());
    EXPECT_EQ(strategy->GetTagged(), 0u) << "the VF's frames bypass the hypervisor";
}

/// An ARP reply that beats the VF's table push (Fig. 15, 1540): with or without the ARP agent.
class VfArpTest : public OffloadNicTest, public ::testing::WithParamInterface<bool>
{
};

TEST_P(VfArpTest, AReplyTheTableCannotValidateGoesToThePfAndTheAgentSavesTheTimeout)
{
    // The VF is configured at 1 ms, when its VM first sends; its table's push takes 200 us +
    // 1 us, longer than the ARP round trip, so the first reply is refused (to the PF, learned
    // from, dropped: vtep_mismatch). Without the agent the VM retries after ns-3's 1 s
    // WaitReplyTimeout; with it, the agent answers when the push is applied, at 1.201 ms.
    const bool proxy = GetParam();
    Offload host0 = Install(0, {EntryOf("host3/vm0")}, Ipv4Address::GetAny());
    Offload host3 = Install(3, {EntryOf("host0/vm0")}, Ipv4Address::GetAny());
    for (const Ptr<OffloadNic>& nic : host0.nics)
    {
        nic->SetAttribute("ArpProxy", BooleanValue(proxy));
    }
    Ptr<VirtualFunction> vf = MakeVf(host0, "host0/vm0", 0, MilliSeconds(1), MicroSeconds(200));
    SendUdp("host0/vm0", "host3/vm0", MilliSeconds(1));
    Simulator::Stop(Seconds(3));
    Simulator::Run();

    EXPECT_EQ(m_drops, std::vector<DropReason>{DropReason::VTEP_MISMATCH});
    EXPECT_EQ(m_delivered3, 1u);
    const VirtualFunction::Counters& c = vf->GetCounters();
    EXPECT_EQ(c.arpToPf, 1u);
    EXPECT_EQ(c.rxUnvalidated, 1u);
    EXPECT_EQ(c.arpReplies, 1u);
    EXPECT_EQ(c.proxyReplies, proxy ? 1u : 0u);
    EXPECT_EQ(c.arpRequests, proxy ? 1u : 2u) << "without the agent, the VM retries once";
    ASSERT_TRUE(vf->GetFirstArpRequest() && vf->GetFirstArpReply());
    EXPECT_EQ(*vf->GetFirstArpRequest(), MilliSeconds(1));
    const Time resolution = *vf->GetFirstArpReply() - *vf->GetFirstArpRequest();
    if (proxy)
    {
        EXPECT_EQ(resolution, MicroSeconds(201)) << "when the push is applied";
    }
    else
    {
        EXPECT_GE(resolution, Seconds(1));
        EXPECT_LT(resolution, Seconds(1) + MicroSeconds(100)) << "the timeout and a round trip";
    }
    EXPECT_EQ(host0.master->GetCounters().learned, 0u) << "the master had the entry already";
}

INSTANTIATE_TEST_SUITE_P(WithAndWithoutTheAgent, VfArpTest, ::testing::Bool());

// ---------------------------------------------------------------------------------------------
// LRO on the receiving NIC (Fig. 14, 1440).

TEST_F(OffloadNicTest, LroHandsInOrderSegmentsUpInAggregatesAndLosesNone)
{
    // host3's NICs aggregate host0/vm0's TCP segments (up to 8 us, 64 KB): all 144,800 bytes
    // reach the sink, in order, in fewer aggregates than segments and none larger than 64 KB
    // allows (113 segments of ns-3's default MSS, 536 bytes, in 576-byte IPv4 packets); the
    // handshake, the FIN and a UDP datagram are not aggregated.
    Offload host3 = Install(3, {EntryOf("host0/vm0")}, Ipv4Address::GetAny());
    for (const Ptr<OffloadNic>& nic : host3.nics)
    {
        nic->SetAttribute("Lro", BooleanValue(true));
    }
    const OverlayNetwork::Vm& dst = m_overlay->GetVm("host3/vm0");
    PacketSinkHelper sinkHelper("ns3::TcpSocketFactory",
                                InetSocketAddress(Ipv4Address::GetAny(), 6000));
    ApplicationContainer sink = sinkHelper.Install(dst.node);
    BulkSendHelper bulk("ns3::TcpSocketFactory", InetSocketAddress(dst.ip, 6000));
    bulk.SetAttribute("MaxBytes", UintegerValue(100 * 1448));
    bulk.SetAttribute("SendSize", UintegerValue(1448));
    ApplicationContainer source = bulk.Install(m_overlay->GetVm("host0/vm0").node);
    source.Start(MilliSeconds(1));
    SendUdp("host0/vm0", "host3/vm0", MilliSeconds(2));
    Simulator::Stop(MilliSeconds(50));
    Simulator::Run();

    EXPECT_EQ(DynamicCast<PacketSink>(sink.Get(0))->GetTotalRx(), 100u * 1448u);
    EXPECT_EQ(m_delivered3, 1u) << "the datagram";
    EXPECT_TRUE(m_drops.empty()) << ToString(m_drops.front());
    uint64_t aggregates = 0;
    uint64_t segments = 0;
    uint64_t decapsulated = 0;
    for (const Ptr<OffloadNic>& nic : host3.nics)
    {
        aggregates += nic->GetCounters().lroAggregates;
        segments += nic->GetCounters().lroSegments;
        decapsulated += nic->GetCounters().decapsulated;
    }
    // 270 full segments; the last 80 bytes ride with the FIN, which ends an aggregate.
    EXPECT_EQ(segments, 270u) << "every data segment without FIN, once";
    EXPECT_GT(decapsulated, segments) << "and the handshake, the FIN, the datagram";
    EXPECT_GE(aggregates, 270u / 113u + 1u);
    EXPECT_LT(aggregates, 270u / 2) << "back-to-back segments share aggregates: " << aggregates;
}
