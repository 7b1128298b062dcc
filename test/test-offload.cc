// Tests of the NIC's overlay address mapping table (seed 002 Figs. 3-6): pushes from the
// hypervisor's master copy applied after their modeled latency, in order; a stale copy until
// then; capacity of one table or of one table per VNI, with new entries refused when full;
// whole-table and delta pushes.
#include "nic-mapping-table.h"

#include "ns3/core-module.h"

#include <gtest/gtest.h>
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
Vtep(uint32_t host)
{
    uint8_t b[6] = {0x02, 0x56, 0x54, 0x45, 0x50, static_cast<uint8_t>(host)};
    Mac48Address mac;
    mac.CopyFrom(b);
    return VtepMapping{Ipv4Address((10u << 24) | (1u << 16) | host), mac};
}

MappingUpdate
Add(uint32_t vni, uint32_t vm, uint32_t host)
{
    return MappingUpdate{vni, VmMac(vm), false, Vtep(host)};
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
    EXPECT_EQ(after, Vtep(4).vtepIp);
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
    EXPECT_EQ(at40, Vtep(1).vtepIp) << "the migration's push is still pending";
    EXPECT_EQ(at60, Vtep(2).vtepIp);
    EXPECT_EQ(vm2at60, Vtep(2).vtepIp);
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
    EXPECT_EQ(m_nic->Lookup(1, NicMappingTable::MacToInt(VmMac(1)))->vtepIp, Vtep(9).vtepIp);
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
    EXPECT_EQ(m_nic->Lookup(0x10000, vm)->vtepIp, Vtep(1).vtepIp);
    EXPECT_EQ(m_nic->Lookup(0x20000, vm)->vtepIp, Vtep(2).vtepIp);
    EXPECT_EQ(m_nic->Lookup(0xFFFFFF, vm)->vtepIp, Vtep(3).vtepIp);
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
    EXPECT_EQ(host->Find(5, VmMac(3))->vtepIp, Vtep(2).vtepIp);
}
