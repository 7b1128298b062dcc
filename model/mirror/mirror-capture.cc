#include "mirror-capture.h"

#include "mirror-tag.h"
#include "vnic-net-device.h"

#include "ns3/node.h"
#include "ns3/simulator.h"

namespace ns3
{

NS_OBJECT_ENSURE_REGISTERED(MirrorCapture);

TypeId
MirrorCapture::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::MirrorCapture")
            .SetParent<Object>()
            .SetGroupName("OverlayFabric")
            .AddConstructor<MirrorCapture>()
            .AddTraceSource("Capture",
                            "A mirrored packet of the session received (Ethernet header off).",
                            MakeTraceSourceAccessor(&MirrorCapture::m_captureTrace),
                            "ns3::Packet::TracedCallback");
    return tid;
}

void
MirrorCapture::Attach(Ptr<VnicNetDevice> vnic, uint16_t session)
{
    m_session = session;
    vnic->GetNode()->RegisterProtocolHandler(MakeCallback(&MirrorCapture::Capture, this),
                                             0,
                                             vnic,
                                             true);
}

const MirrorCapture::Counters&
MirrorCapture::GetCounters() const
{
    return m_counters;
}

void
MirrorCapture::Capture(Ptr<NetDevice> device,
                       Ptr<const Packet> packet,
                       uint16_t protocol,
                       const Address& from,
                       const Address& to,
                       NetDevice::PacketType type)
{
    MirrorTag tag;
    if (!packet->PeekPacketTag(tag) || tag.GetSession() != m_session)
    {
        ++m_counters.other;
        return;
    }
    Counters& c = m_counters;
    ++c.packets;
    c.bytes += packet->GetSize() + 14; // the Ethernet header the vNIC took off
    ++(tag.GetDirection() == MirrorTag::RECEIVED ? c.received : c.transmitted);
    const Time latency = Simulator::Now() - tag.GetClonedAt();
    c.minLatency = std::min(c.minLatency, latency);
    c.maxLatency = std::max(c.maxLatency, latency);
    c.latencySumTs += latency.GetTimeStep();
    if (tag.GetList() >= m_lists.size())
    {
        m_lists.resize(tag.GetList() + 1);
    }
    ListState& list = m_lists[tag.GetList()];
    const uint64_t seq = tag.GetSeq();
    if (seq >= list.seen.size())
    {
        list.seen.resize(std::max<uint64_t>(seq + 1, 2 * list.seen.size()), false);
    }
    if (list.seen[seq])
    {
        ++c.duplicates;
    }
    else
    {
        list.seen[seq] = true;
        if (static_cast<int64_t>(seq) < list.highest)
        {
            ++c.reordered;
        }
    }
    list.highest = std::max(list.highest, static_cast<int64_t>(seq));
    m_captureTrace(packet);
}

void
MirrorCapture::DoDispose()
{
    m_lists.clear();
    Object::DoDispose();
}

} // namespace ns3
