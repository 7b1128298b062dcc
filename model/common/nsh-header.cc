#include "nsh-header.h"

#include "ns3/abort.h"
#include "ns3/log.h"

#include <algorithm>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("NshHeader");

NS_OBJECT_ENSURE_REGISTERED(NshHeader);

NshHeader::NshHeader()
{
}

TypeId
NshHeader::GetTypeId()
{
    static TypeId tid = TypeId("ns3::NshHeader")
                            .SetParent<Header>()
                            .SetGroupName("OverlayFabric")
                            .AddConstructor<NshHeader>();
    return tid;
}

TypeId
NshHeader::GetInstanceTypeId() const
{
    return GetTypeId();
}

void
NshHeader::Print(std::ostream& os) const
{
    os << "NSH spi=" << m_spi << " si=" << static_cast<uint32_t>(m_si)
       << " ttl=" << static_cast<uint32_t>(m_ttl)
       << " next=" << static_cast<uint32_t>(m_nextProtocol) << " O=" << m_oam;
    if (IsLivenessQuery())
    {
        os << " ping seq=" << static_cast<uint32_t>(GetSequence());
    }
    if (IsLivenessReply())
    {
        os << " reply seq=" << static_cast<uint32_t>(GetSequence());
    }
    if (GetAction() == ACTION_FAILED)
    {
        os << " action=failed";
    }
    os << " src=" << GetSourceVtep() << " vni=" << GetSourceVni();
}

uint32_t
NshHeader::GetSerializedSize() const
{
    return SERIALIZED_SIZE;
}

void
NshHeader::Serialize(Buffer::Iterator start) const
{
    Buffer::Iterator i = start;
    // Ver (0) | O | U (0) | TTL (6 bits) | Length (6 bits) | U U U U (0) | MD Type (4 bits).
    const uint16_t first =
        static_cast<uint16_t>((m_oam ? 0x2000 : 0) | (m_ttl & 0x3f) << 6 | MD_TYPE_1_LENGTH);
    i.WriteHtonU16(first);
    i.WriteU8(MD_TYPE_1);
    i.WriteU8(m_nextProtocol);
    i.WriteHtonU32(m_spi << 8 | m_si);
    for (uint32_t word : m_context)
    {
        i.WriteHtonU32(word);
    }
}

uint32_t
NshHeader::Deserialize(Buffer::Iterator start)
{
    return DeserializeBounded(start, start.GetRemainingSize());
}

uint32_t
NshHeader::Deserialize(Buffer::Iterator start, Buffer::Iterator end)
{
    return DeserializeBounded(start,
                              std::min(start.GetRemainingSize(), end.GetDistanceFrom(start)));
}

uint32_t
NshHeader::DeserializeBounded(Buffer::Iterator start, uint32_t available)
{
    uint8_t bytes[SERIALIZED_SIZE];
    const uint32_t count = std::min(available, SERIALIZED_SIZE);
    start.Read(bytes, count);
    return ParseFrom(bytes, count, *this);
}

uint32_t
NshHeader::ParseFrom(const uint8_t* data, uint32_t length, NshHeader& out, std::string* error)
{
    std::string reason;
    if (length < SERIALIZED_SIZE)
    {
        reason = "short buffer: need " + std::to_string(SERIALIZED_SIZE) + " bytes, have " +
                 std::to_string(length);
    }
    else if ((data[0] >> 6) != 0)
    {
        reason = "version " + std::to_string(data[0] >> 6) + " (only 0 is defined)";
    }
    else if ((data[2] & 0x0f) != MD_TYPE_1)
    {
        reason = "MD type " + std::to_string(data[2] & 0x0f) + " (only MD type 1 is modelled)";
    }
    else if ((data[1] & 0x3f) != MD_TYPE_1_LENGTH)
    {
        reason = "length " + std::to_string(data[1] & 0x3f) +
                 " words with MD type 1 (RFC 8300 section 2.5.1: must be 6)";
    }
    if (!reason.empty())
    {
        NS_LOG_LOGIC("refused NSH: " << reason);
        if (error != nullptr)
        {
            *error = std::move(reason);
        }
        return 0;
    }
    auto word = [data](uint32_t offset) {
        return uint32_t{data[offset]} << 24 | uint32_t{data[offset + 1]} << 16 |
               uint32_t{data[offset + 2]} << 8 | data[offset + 3];
    };
    out.m_oam = (data[0] & 0x20) != 0;
    out.m_ttl = static_cast<uint8_t>((data[0] & 0x0f) << 2 | data[1] >> 6);
    out.m_nextProtocol = data[3];
    out.m_spi = word(4) >> 8;
    out.m_si = data[7];
    for (uint32_t w = 0; w < 4; ++w)
    {
        out.m_context[w] = word(8 + 4 * w);
    }
    return SERIALIZED_SIZE;
}

void
NshHeader::SetOam(bool oam)
{
    m_oam = oam;
}

bool
NshHeader::GetOam() const
{
    return m_oam;
}

void
NshHeader::SetTtl(uint8_t ttl)
{
    NS_ABORT_MSG_IF(ttl > MAX_TTL, "NSH TTL " << +ttl << " does not fit in 6 bits");
    m_ttl = ttl;
}

uint8_t
NshHeader::GetTtl() const
{
    return m_ttl;
}

void
NshHeader::SetNextProtocol(uint8_t next)
{
    m_nextProtocol = next;
}

uint8_t
NshHeader::GetNextProtocol() const
{
    return m_nextProtocol;
}

void
NshHeader::SetSpi(uint32_t spi)
{
    NS_ABORT_MSG_IF(spi > MAX_SPI, "NSH SPI " << spi << " does not fit in 24 bits");
    m_spi = spi;
}

uint32_t
NshHeader::GetSpi() const
{
    return m_spi;
}

void
NshHeader::SetServiceIndex(uint8_t si)
{
    m_si = si;
}

uint8_t
NshHeader::GetServiceIndex() const
{
    return m_si;
}

void
NshHeader::SetLivenessQuery(uint8_t seq)
{
    NS_ABORT_MSG_IF(seq > MAX_SEQUENCE, "liveness sequence " << +seq << " does not fit in 6 bits");
    m_context[0] = (m_context[0] & 0x00ffffff) | uint32_t{static_cast<uint8_t>(PING_BIT | seq)}
                                                     << 24;
}

void
NshHeader::SetLivenessReply(uint8_t seq)
{
    NS_ABORT_MSG_IF(seq > MAX_SEQUENCE, "liveness sequence " << +seq << " does not fit in 6 bits");
    m_context[0] = (m_context[0] & 0x00ffffff) | uint32_t{static_cast<uint8_t>(REPLY_BIT | seq)}
                                                     << 24;
}

void
NshHeader::ClearLiveness()
{
    m_context[0] &= 0x00ffffff;
}

bool
NshHeader::IsLivenessQuery() const
{
    return ((m_context[0] >> 24) & PING_BIT) != 0;
}

bool
NshHeader::IsLivenessReply() const
{
    return ((m_context[0] >> 24) & REPLY_BIT) != 0;
}

uint8_t
NshHeader::GetSequence() const
{
    return static_cast<uint8_t>((m_context[0] >> 24) & SEQ_MASK);
}

void
NshHeader::SetAction(Action action)
{
    m_context[0] = (m_context[0] & 0xff00ffff) | uint32_t{action} << 16;
}

NshHeader::Action
NshHeader::GetAction() const
{
    return static_cast<Action>((m_context[0] >> 16) & 0xff);
}

void
NshHeader::SetSourceVtep(Ipv4Address vtep)
{
    m_context[1] = vtep.Get();
}

Ipv4Address
NshHeader::GetSourceVtep() const
{
    return Ipv4Address(m_context[1]);
}

void
NshHeader::SetSourceVni(uint32_t vni)
{
    NS_ABORT_MSG_IF(vni > MAX_VNI, "NSH source segment " << vni << " does not fit in 24 bits");
    m_context[2] = vni;
}

uint32_t
NshHeader::GetSourceVni() const
{
    return m_context[2] & MAX_VNI;
}

uint32_t
NshHeader::GetContextWord(uint32_t word) const
{
    NS_ABORT_MSG_IF(word >= m_context.size(), "NSH context word " << word << " of 4");
    return m_context[word];
}

} // namespace ns3
