#include "flow-tag.h"

namespace ns3
{

NS_OBJECT_ENSURE_REGISTERED(FlowTag);

FlowTag::FlowTag(uint32_t flowId, uint32_t seq, Time sentAt)
    : m_flowId(flowId),
      m_seq(seq),
      m_sentAtTs(sentAt.GetTimeStep())
{
}

TypeId
FlowTag::GetTypeId()
{
    static TypeId tid = TypeId("ns3::FlowTag")
                            .SetParent<Tag>()
                            .SetGroupName("OverlayFabric")
                            .AddConstructor<FlowTag>();
    return tid;
}

TypeId
FlowTag::GetInstanceTypeId() const
{
    return GetTypeId();
}

uint32_t
FlowTag::GetSerializedSize() const
{
    return 16;
}

void
FlowTag::Serialize(TagBuffer buf) const
{
    buf.WriteU32(m_flowId);
    buf.WriteU32(m_seq);
    buf.WriteU64(static_cast<uint64_t>(m_sentAtTs));
}

void
FlowTag::Deserialize(TagBuffer buf)
{
    m_flowId = buf.ReadU32();
    m_seq = buf.ReadU32();
    m_sentAtTs = static_cast<int64_t>(buf.ReadU64());
}

void
FlowTag::Print(std::ostream& os) const
{
    os << "flow=" << m_flowId << " seq=" << m_seq << " sentAt=" << GetSentAt();
}

} // namespace ns3
