#include "mirror-tag.h"

namespace ns3
{

NS_OBJECT_ENSURE_REGISTERED(MirrorTag);

MirrorTag::MirrorTag(uint16_t session,
                     uint16_t list,
                     uint64_t seq,
                     Time clonedAt,
                     Direction direction)
    : m_session(session),
      m_list(list),
      m_seq(seq),
      m_clonedAt(clonedAt.GetTimeStep()),
      m_direction(direction)
{
}

TypeId
MirrorTag::GetTypeId()
{
    static TypeId tid = TypeId("ns3::MirrorTag")
                            .SetParent<Tag>()
                            .SetGroupName("OverlayFabric")
                            .AddConstructor<MirrorTag>();
    return tid;
}

TypeId
MirrorTag::GetInstanceTypeId() const
{
    return GetTypeId();
}

uint32_t
MirrorTag::GetSerializedSize() const
{
    return 2 + 2 + 8 + 8 + 1 + 4;
}

void
MirrorTag::Serialize(TagBuffer buf) const
{
    buf.WriteU16(m_session);
    buf.WriteU16(m_list);
    buf.WriteU64(m_seq);
    buf.WriteU64(static_cast<uint64_t>(m_clonedAt));
    buf.WriteU8(m_direction);
    buf.WriteU32(m_toHost);
}

void
MirrorTag::Deserialize(TagBuffer buf)
{
    m_session = buf.ReadU16();
    m_list = buf.ReadU16();
    m_seq = buf.ReadU64();
    m_clonedAt = static_cast<int64_t>(buf.ReadU64());
    m_direction = buf.ReadU8();
    m_toHost = buf.ReadU32();
}

void
MirrorTag::Print(std::ostream& os) const
{
    os << "session=" << m_session << " list=" << m_list << " seq=" << m_seq
       << (m_direction == TRANSMITTED ? " tx" : " rx");
    if (m_toHost != ANY_HOST)
    {
        os << " to=host" << m_toHost;
    }
}

} // namespace ns3
