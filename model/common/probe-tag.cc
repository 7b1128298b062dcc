#include "probe-tag.h"

#include "ns3/abort.h"

namespace ns3
{

NS_OBJECT_ENSURE_REGISTERED(ProbeTag);

ProbeTag::ProbeTag(uint32_t vtep, uint32_t tunnel, uint8_t uplink, uint8_t path, uint64_t seq)
    : m_vtep(vtep),
      m_tunnel(tunnel),
      m_uplink(uplink),
      m_path(path),
      m_seq(seq)
{
    NS_ABORT_MSG_IF(tunnel >= (1u << 16), "ProbeTag: tunnel index " << tunnel << " >= 2^16");
}

TypeId
ProbeTag::GetTypeId()
{
    static TypeId tid = TypeId("ns3::ProbeTag")
                            .SetParent<Tag>()
                            .SetGroupName("OverlayFabric")
                            .AddConstructor<ProbeTag>();
    return tid;
}

TypeId
ProbeTag::GetInstanceTypeId() const
{
    return GetTypeId();
}

uint32_t
ProbeTag::GetSerializedSize() const
{
    return 4 + 4 + 1 + 1 + 8 + 1;
}

void
ProbeTag::Serialize(TagBuffer buf) const
{
    buf.WriteU32(m_vtep);
    buf.WriteU32(m_tunnel);
    buf.WriteU8(m_uplink);
    buf.WriteU8(m_path);
    buf.WriteU64(m_seq);
    buf.WriteU8(m_reply ? 1 : 0);
}

void
ProbeTag::Deserialize(TagBuffer buf)
{
    m_vtep = buf.ReadU32();
    m_tunnel = buf.ReadU32();
    m_uplink = buf.ReadU8();
    m_path = buf.ReadU8();
    m_seq = buf.ReadU64();
    m_reply = buf.ReadU8() != 0;
}

void
ProbeTag::Print(std::ostream& os) const
{
    os << "vtep=" << m_vtep << " tunnel=" << m_tunnel << " uplink=" << unsigned{m_uplink}
       << " path=" << unsigned{m_path} << " seq=" << m_seq << (m_reply ? " reply" : " request");
}

} // namespace ns3
