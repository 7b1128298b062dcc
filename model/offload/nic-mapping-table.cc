#include "nic-mapping-table.h"

#include "port-stage.h"

#include "ns3/enum.h"
#include "ns3/log.h"
#include "ns3/nstime.h"
#include "ns3/simulator.h"
#include "ns3/uinteger.h"

#include <algorithm>
#include <unordered_set>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("NicMappingTable");
NS_OBJECT_ENSURE_REGISTERED(NicMappingTable);
NS_OBJECT_ENSURE_REGISTERED(HostMappingTable);

TypeId
NicMappingTable::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::NicMappingTable")
            .SetParent<Object>()
            .SetGroupName("OverlayFabric")
            .AddConstructor<NicMappingTable>()
            .AddAttribute("Layout",
                          "One table for all VNIs (seed 002 Fig. 3) or one per VNI (Fig. 4).",
                          EnumValue(SINGLE),
                          MakeEnumAccessor(&NicMappingTable::m_layout),
                          MakeEnumChecker(SINGLE, "single", PER_VNI, "per-vni"))
            .AddAttribute("Capacity",
                          "Entries a table holds (per VNI with the per-vni layout); at most 2^24, "
                          "far above any NIC's exact-match memory.",
                          UintegerValue(16384),
                          MakeUintegerAccessor(&NicMappingTable::m_capacity),
                          MakeUintegerChecker<uint32_t>(1, 16777216))
            .AddAttribute("EntryBytes",
                          "Memory of one entry, for the fast path's cost: the 19 bytes of Fig. "
                          "3's fields in a 32-byte word.",
                          UintegerValue(32),
                          MakeUintegerAccessor(&NicMappingTable::m_entryBytes),
                          MakeUintegerChecker<uint32_t>(19, 4096))
            .AddAttribute("PushBatchLatency",
                          "Time to apply a push, whatever its size (one driver command).",
                          TimeValue(MicroSeconds(20)),
                          MakeTimeAccessor(&NicMappingTable::m_batchLatency),
                          MakeTimeChecker(Time(0)))
            .AddAttribute(
                "PushEntryLatency",
                "Time to apply each entry of a push (more than 0: the update rate is its inverse).",
                TimeValue(MicroSeconds(1)),
                MakeTimeAccessor(&NicMappingTable::m_entryLatency),
                MakeTimeChecker(NanoSeconds(1)))
            .AddTraceSource("Applied",
                            "A pushed batch is applied: (updates, of them refused).",
                            MakeTraceSourceAccessor(&NicMappingTable::m_appliedTrace),
                            "ns3::NicMappingTable::AppliedTracedCallback")
            .AddTraceSource("Miss",
                            "A lookup found no entry: (VNI, VM MAC).",
                            MakeTraceSourceAccessor(&NicMappingTable::m_missTrace),
                            "ns3::NicMappingTable::EntryTracedCallback")
            .AddTraceSource("Refused",
                            "A new entry was not installed, its table being full: (VNI, VM MAC).",
                            MakeTraceSourceAccessor(&NicMappingTable::m_refusedTrace),
                            "ns3::NicMappingTable::EntryTracedCallback");
    return tid;
}

NicMappingTable::NicMappingTable()
    : m_layout(SINGLE),
      m_capacity(16384)
{
}

void
NicMappingTable::DoDispose()
{
    Simulator::Cancel(m_applyEvent);
    m_pending.clear();
    m_table.clear();
    Object::DoDispose();
}

uint64_t
NicMappingTable::MacToInt(Mac48Address mac)
{
    uint8_t b[6];
    mac.CopyTo(b);
    return PortContext::MacToInt(b); // the key the virtual switch's L2 table uses too
}

void
NicMappingTable::Push(const std::vector<MappingUpdate>& batch, bool wholeTable)
{
    const Time now = Simulator::Now();
    const Time start = std::max(now, m_settledAt);
    m_settledAt = start + m_batchLatency + m_entryLatency * static_cast<int64_t>(batch.size());
    m_pending.push_back(Pending{batch, wholeTable});
    if (m_pending.size() == 1)
    {
        m_applyEvent = Simulator::Schedule(m_settledAt - now, &NicMappingTable::ApplyNext, this);
    }
}

Mac48Address
NicMappingTable::IntToMac(uint64_t mac)
{
    uint8_t b[6];
    for (int i = 0; i < 6; ++i)
    {
        b[i] = static_cast<uint8_t>(mac >> (40 - 8 * i));
    }
    Mac48Address m;
    m.CopyFrom(b);
    return m;
}

bool
NicMappingTable::HasRoom(uint32_t vni) const
{
    if (m_layout == SINGLE)
    {
        return m_table.size() < m_capacity;
    }
    auto it = m_perVni.find(vni);
    return it == m_perVni.end() || it->second < m_capacity;
}

void
NicMappingTable::ApplyNext()
{
    Pending pending = std::move(m_pending.front());
    m_pending.pop_front();
    if (pending.wholeTable)
    {
        m_table.clear();
        m_perVni.clear();
    }
    uint32_t refused = 0;
    for (const MappingUpdate& u : pending.batch)
    {
        const Key key{u.vni, MacToInt(u.vm)};
        auto it = m_table.find(key);
        if (u.remove)
        {
            if (it != m_table.end())
            {
                m_table.erase(it);
                m_perVni[u.vni]--;
            }
            continue;
        }
        if (it != m_table.end())
        {
            it->second = u.mapping;
            continue;
        }
        if (!HasRoom(u.vni))
        {
            ++refused;
            ++m_counters.refused;
            m_refusedTrace(u.vni, key.vm);
            continue;
        }
        m_table.emplace(key, u.mapping);
        m_perVni[u.vni]++;
    }
    ++m_counters.pushes;
    m_counters.entriesApplied += pending.batch.size();
    m_appliedTrace(pending.batch.size(), refused);
    if (!m_pending.empty())
    {
        // The next batch started when this one ended: its latency runs from now.
        const Pending& next = m_pending.front();
        m_applyEvent = Simulator::Schedule(
            m_batchLatency + m_entryLatency * static_cast<int64_t>(next.batch.size()),
            &NicMappingTable::ApplyNext,
            this);
    }
}

void
NicMappingTable::SetSegment(uint32_t vni, const SegmentInfo& info)
{
    m_segments[vni] = info;
}

const VtepMapping*
NicMappingTable::Lookup(uint32_t vni, uint64_t vm)
{
    ++m_counters.lookups;
    auto it = m_table.find(Key{vni, vm});
    if (it == m_table.end())
    {
        ++m_counters.misses;
        m_missTrace(vni, vm);
        return nullptr;
    }
    return &it->second;
}

const NicMappingTable::SegmentInfo*
NicMappingTable::GetSegment(uint32_t vni) const
{
    auto it = m_segments.find(vni);
    return it == m_segments.end() ? nullptr : &it->second;
}

uint64_t
NicMappingTable::GetProvisionedEntries() const
{
    const uint64_t tables = m_layout == PER_VNI ? m_segments.size() : 1;
    return tables * m_capacity;
}

uint64_t
NicMappingTable::GetMemoryBytes() const
{
    return GetProvisionedEntries() * m_entryBytes;
}

uint32_t
NicMappingTable::GetSize() const
{
    return m_table.size();
}

uint32_t
NicMappingTable::GetSize(uint32_t vni) const
{
    auto it = m_perVni.find(vni);
    return it == m_perVni.end() ? 0 : it->second;
}

Time
NicMappingTable::GetSettledAt() const
{
    return std::max(m_settledAt, Simulator::Now());
}

const NicMappingTable::Counters&
NicMappingTable::GetCounters() const
{
    return m_counters;
}

TypeId
HostMappingTable::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::HostMappingTable")
            .SetParent<Object>()
            .SetGroupName("OverlayFabric")
            .AddConstructor<HostMappingTable>()
            .AddAttribute("PushMode",
                          "Push the changed entries, or the whole table (seed 002 0055).",
                          EnumValue(DELTA),
                          MakeEnumAccessor(&HostMappingTable::m_mode),
                          MakeEnumChecker(DELTA, "delta", WHOLE_TABLE, "whole-table"));
    return tid;
}

HostMappingTable::HostMappingTable()
    : m_mode(DELTA)
{
}

void
HostMappingTable::DoDispose()
{
    m_nics.clear();
    m_master.clear();
    m_order.clear();
    Object::DoDispose();
}

void
HostMappingTable::RegisterNic(Ptr<NicMappingTable> nic)
{
    m_nics.push_back({nic, true, 0});
}

std::vector<MappingUpdate>
HostMappingTable::OfVni(const std::vector<MappingUpdate>& updates, uint32_t vni)
{
    std::vector<MappingUpdate> of;
    for (const MappingUpdate& u : updates)
    {
        if (u.vni == vni)
        {
            of.push_back(u);
        }
    }
    return of;
}

void
HostMappingTable::ConfigureFunction(Ptr<NicMappingTable> table, uint32_t vni)
{
    m_nics.push_back({table, false, vni});
    std::vector<MappingUpdate> entries;
    for (const NicMappingTable::Key& key : m_order)
    {
        if (key.vni == vni)
        {
            entries.push_back(m_master.at(key));
        }
    }
    table->Push(entries, true);
}

void
HostMappingTable::Update(const std::vector<MappingUpdate>& changes)
{
    ++m_counters.updates;
    for (const MappingUpdate& u : changes)
    {
        const NicMappingTable::Key key{u.vni, NicMappingTable::MacToInt(u.vm)};
        auto it = m_master.find(key);
        if (u.remove)
        {
            if (it != m_master.end())
            {
                m_master.erase(it);
                m_order.erase(std::find(m_order.begin(), m_order.end(), key));
            }
            continue;
        }
        if (it == m_master.end())
        {
            m_order.push_back(key);
        }
        m_master[key] = u;
    }
    std::vector<MappingUpdate> whole;
    if (m_mode == WHOLE_TABLE)
    {
        for (const NicMappingTable::Key& key : m_order)
        {
            whole.push_back(m_master.at(key));
        }
    }
    for (const Copy& nic : m_nics)
    {
        const std::vector<MappingUpdate>& all = m_mode == WHOLE_TABLE ? whole : changes;
        if (nic.allVnis)
        {
            nic.table->Push(all, m_mode == WHOLE_TABLE);
            continue;
        }
        const std::vector<MappingUpdate> of = OfVni(all, nic.vni);
        if (!of.empty() || m_mode == WHOLE_TABLE)
        {
            nic.table->Push(of, m_mode == WHOLE_TABLE);
        }
    }
}

bool
HostMappingTable::Learn(uint32_t vni, Mac48Address vm, const VtepMapping& at)
{
    const VtepMapping* known = Find(vni, vm);
    if (known && known->vtepIp == at.vtepIp)
    {
        return false;
    }
    ++m_counters.learned;
    Update({MappingUpdate{vni, vm, false, at}});
    return true;
}

void
HostMappingTable::NicMiss(Ptr<NicMappingTable> nic, uint32_t vni, uint64_t vm)
{
    ++m_counters.missEvents;
    auto it = m_master.find(NicMappingTable::Key{vni, vm});
    if (it == m_master.end() || !nic->HasRoom(vni) || nic->GetSettledAt() > Simulator::Now())
    {
        return;
    }
    ++m_counters.missRepushes;
    nic->Push({it->second}, false);
}

const HostMappingTable::Counters&
HostMappingTable::GetCounters() const
{
    return m_counters;
}

const VtepMapping*
HostMappingTable::Find(uint32_t vni, Mac48Address vm) const
{
    auto it = m_master.find(NicMappingTable::Key{vni, NicMappingTable::MacToInt(vm)});
    return it == m_master.end() ? nullptr : &it->second.mapping;
}

Time
HostMappingTable::GetSettledAt() const
{
    Time settled = Simulator::Now();
    for (const Copy& nic : m_nics)
    {
        settled = std::max(settled, nic.table->GetSettledAt());
    }
    return settled;
}

uint32_t
HostMappingTable::GetSize() const
{
    return m_master.size();
}

} // namespace ns3
