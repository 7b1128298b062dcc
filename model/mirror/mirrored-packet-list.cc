#include "mirrored-packet-list.h"

#include "five-tuple.h"
#include "flow-tag.h"
#include "virtual-switch.h"
#include "vtep.h"

#include "ns3/simulator.h"
#include "ns3/uinteger.h"

namespace ns3
{

NS_OBJECT_ENSURE_REGISTERED(MirroredPacketList);

TypeId
MirroredPacketList::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::MirroredPacketList")
            .SetParent<Object>()
            .SetGroupName("OverlayFabric")
            .AddConstructor<MirroredPacketList>()
            .AddAttribute("MaxLength",
                          "Most clones the list holds (the one being copied included); a clone "
                          "that finds it full is dropped (assumed: 1,024, a transmit ring).",
                          UintegerValue(1024),
                          MakeUintegerAccessor(&MirroredPacketList::m_maxLength),
                          MakeUintegerChecker<uint32_t>(1, 1000000))
            .AddAttribute("CopyTime",
                          "The worker's time to encapsulate and send one copy (assumed: 1 us, "
                          "about a million copies a second on one thread).",
                          TimeValue(MicroSeconds(1)),
                          MakeTimeAccessor(&MirroredPacketList::m_copyTime),
                          MakeTimeChecker(NanoSeconds(1)))
            .AddTraceSource("Drop",
                            "A clone dropped because the list was full (MIRROR_LIST_OVERFLOW).",
                            MakeTraceSourceAccessor(&MirroredPacketList::m_dropTrace),
                            "ns3::MirroredPacketList::DropTracedCallback")
            .AddTraceSource("CopySent",
                            "A copy the worker handed to the VTEP or the local capture ports.",
                            MakeTraceSourceAccessor(&MirroredPacketList::m_copyTrace),
                            "ns3::Packet::TracedCallback");
    return tid;
}

MirroredPacketList::MirroredPacketList()
    : m_copyTime(MicroSeconds(1))
{
}

void
MirroredPacketList::Configure(Ptr<Vtep> vtep,
                              Ptr<VirtualSwitch> vswitch,
                              uint32_t mirrorVni,
                              uint16_t session,
                              uint16_t list)
{
    m_vtep = vtep;
    m_vswitch = vswitch;
    m_vni = mirrorVni;
    m_session = session;
    m_listIndex = list;
}

void
MirroredPacketList::SetUnicastDestinations(std::vector<Destination> destinations)
{
    m_destinations = std::move(destinations);
}

void
MirroredPacketList::SetMulticastGroup(Ipv4Address group, std::optional<uint32_t> localHost)
{
    m_group = group;
    m_destinations.clear();
    if (localHost)
    {
        m_destinations.push_back({LOCAL, *localHost});
    }
    m_destinations.push_back({GROUP, MirrorTag::ANY_HOST});
}

void
MirroredPacketList::Add(Ptr<const Packet> frame, MirrorTag::Direction direction)
{
    Ptr<Packet> clone = frame->Copy();
    FlowTag flow;
    clone->RemovePacketTag(flow); // a clone is not the flow's packet
    clone->AddPacketTag(
        MirrorTag(m_session, m_listIndex, m_nextSeq++, Simulator::Now(), direction));
    ++m_counters.cloned;
    m_counters.clonedBytes += clone->GetSize();
    if (m_list.size() >= m_maxLength)
    {
        ++m_counters.overflowed;
        m_dropTrace(clone, DropReason::MIRROR_LIST_OVERFLOW);
        return;
    }
    m_list.push_back(clone);
    if (m_list.size() > m_counters.peakLength)
    {
        m_counters.peakLength = static_cast<uint32_t>(m_list.size());
    }
    StartWorker();
}

void
MirroredPacketList::StartWorker()
{
    if (m_worker.IsRunning() || m_list.empty())
    {
        return;
    }
    if (m_destinations.empty())
    {
        // No VTEP of the mirroring overlay to send to: every clone is done at once.
        m_counters.serviced += m_list.size();
        m_list.clear();
        return;
    }
    FiveTuple key;
    m_headFlowHash = ParseFiveTuple(m_list.front(), key) ? FlowEntropy(key) : 0;
    m_nextCopy = 0;
    m_worker = Simulator::Schedule(m_copyTime, &MirroredPacketList::MakeCopy, this);
}

void
MirroredPacketList::MakeCopy()
{
    const Destination& d = m_destinations[m_nextCopy];
    const bool last = m_nextCopy + 1 == m_destinations.size();
    Ptr<Packet> copy = last ? m_list.front() : m_list.front()->Copy();
    MirrorTag tag;
    copy->RemovePacketTag(tag);
    tag.SetToHost(d.host);
    copy->AddPacketTag(tag);
    ++m_counters.copiesSent;
    m_counters.copyBytes += copy->GetSize();
    m_copyTrace(copy);
    if (d.tunnel == LOCAL)
    {
        m_vswitch->ToCapturePorts(m_vni, copy);
    }
    else if (d.tunnel == GROUP)
    {
        m_vtep->SendToGroup(copy, m_vni, m_group, m_headFlowHash);
    }
    else
    {
        m_vtep->EncapsulateHeadEnd(copy, m_vni, d.tunnel, m_headFlowHash);
    }
    if (!last)
    {
        ++m_nextCopy;
        m_worker = Simulator::Schedule(m_copyTime, &MirroredPacketList::MakeCopy, this);
        return;
    }
    m_list.pop_front();
    ++m_counters.serviced;
    StartWorker();
}

const MirroredPacketList::Counters&
MirroredPacketList::GetCounters() const
{
    return m_counters;
}

uint32_t
MirroredPacketList::GetLength() const
{
    return static_cast<uint32_t>(m_list.size());
}

uint32_t
MirroredPacketList::GetCopiesPerClone() const
{
    return static_cast<uint32_t>(m_destinations.size());
}

uint32_t
MirroredPacketList::GetMirrorVni() const
{
    return m_vni;
}

void
MirroredPacketList::DoDispose()
{
    m_worker.Cancel();
    m_list.clear();
    m_vtep = nullptr;
    m_vswitch = nullptr;
    Object::DoDispose();
}

} // namespace ns3
