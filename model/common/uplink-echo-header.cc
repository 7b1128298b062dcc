#include "uplink-echo-header.h"

#include <fmt/format.h>

namespace ns3
{

NS_OBJECT_ENSURE_REGISTERED(UplinkEchoHeader);

UplinkEchoHeader::UplinkEchoHeader(uint32_t uplink, uint64_t seq, Time sentAt)
    : m_uplink(uplink),
      m_seq(seq),
      m_timestampNs(static_cast<uint64_t>(sentAt.GetNanoSeconds()))
{
}

TypeId
UplinkEchoHeader::GetTypeId()
{
    static TypeId tid = TypeId("ns3::UplinkEchoHeader")
                            .SetParent<Header>()
                            .SetGroupName("OverlayFabric")
                            .AddConstructor<UplinkEchoHeader>();
    return tid;
}

TypeId
UplinkEchoHeader::GetInstanceTypeId() const
{
    return GetTypeId();
}

void
UplinkEchoHeader::Print(std::ostream& os) const
{
    os << "uplink=" << m_uplink << " seq=" << m_seq << " ts=" << m_timestampNs << "ns";
}

uint32_t
UplinkEchoHeader::GetSerializedSize() const
{
    return SIZE;
}

void
UplinkEchoHeader::Serialize(Buffer::Iterator start) const
{
    start.WriteHtonU32(m_uplink);
    start.WriteHtonU64(m_seq);
    start.WriteHtonU64(m_timestampNs);
}

uint32_t
UplinkEchoHeader::Deserialize(Buffer::Iterator start)
{
    if (start.GetRemainingSize() < SIZE)
    {
        return 0;
    }
    m_uplink = start.ReadNtohU32();
    m_seq = start.ReadNtohU64();
    m_timestampNs = start.ReadNtohU64();
    return SIZE;
}

uint32_t
UplinkEchoHeader::ParseFrom(const uint8_t* d,
                            uint32_t length,
                            UplinkEchoHeader& out,
                            std::string* error)
{
    if (d == nullptr || length < SIZE)
    {
        if (error)
        {
            *error = fmt::format("short buffer: need {} bytes, have {}", SIZE, length);
        }
        return 0;
    }
    auto be = [d](uint32_t at, uint32_t n) {
        uint64_t v = 0;
        for (uint32_t i = 0; i < n; ++i)
        {
            v = (v << 8) | d[at + i];
        }
        return v;
    };
    out.m_uplink = static_cast<uint32_t>(be(0, 4));
    out.m_seq = be(4, 8);
    out.m_timestampNs = be(12, 8);
    return SIZE;
}

} // namespace ns3
