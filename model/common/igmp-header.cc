#include "igmp-header.h"

#include <fmt/format.h>

namespace ns3
{

NS_OBJECT_ENSURE_REGISTERED(IgmpHeader);

namespace
{
constexpr uint32_t V2_SIZE = 8;      //!< an IGMPv2 message
constexpr uint32_t V3_FIXED = 8;     //!< an IGMPv3 report before its records
constexpr uint32_t RECORD_FIXED = 8; //!< a group record before its sources

/// \return the IGMP checksum of \p n bytes (RFC 1071), the checksum field read as zero
uint16_t
Checksum(const uint8_t* d, uint32_t n)
{
    uint32_t sum = 0;
    for (uint32_t i = 0; i + 1 < n; i += 2)
    {
        sum += i == 2 ? 0 : (uint32_t{d[i]} << 8 | d[i + 1]);
    }
    if (n % 2 != 0)
    {
        sum += uint32_t{d[n - 1]} << 8;
    }
    while (sum >> 16)
    {
        sum = (sum & 0xffff) + (sum >> 16);
    }
    return static_cast<uint16_t>(~sum);
}

/// \return the big-endian 16 or 32 bits at \p d
uint32_t
Be(const uint8_t* d, uint32_t bytes)
{
    uint32_t v = 0;
    for (uint32_t i = 0; i < bytes; ++i)
    {
        v = v << 8 | d[i];
    }
    return v;
}
} // namespace

IgmpHeader
IgmpHeader::V2(Type type, Ipv4Address group, uint8_t maxRespTime)
{
    IgmpHeader h;
    h.m_type = type;
    h.m_group = group;
    h.m_maxRespTime = maxRespTime;
    return h;
}

IgmpHeader
IgmpHeader::V3Report(std::vector<GroupRecord> records)
{
    IgmpHeader h;
    h.m_type = V3_REPORT;
    h.m_records = std::move(records);
    return h;
}

TypeId
IgmpHeader::GetTypeId()
{
    static TypeId tid = TypeId("ns3::IgmpHeader")
                            .SetParent<Header>()
                            .SetGroupName("OverlayFabric")
                            .AddConstructor<IgmpHeader>();
    return tid;
}

TypeId
IgmpHeader::GetInstanceTypeId() const
{
    return GetTypeId();
}

void
IgmpHeader::Print(std::ostream& os) const
{
    os << fmt::format("type=0x{:02x}", m_type);
    if (m_type != V3_REPORT)
    {
        os << " group=" << m_group << " maxResp=" << unsigned(m_maxRespTime);
        return;
    }
    for (const GroupRecord& r : m_records)
    {
        os << " [record " << unsigned(r.type) << " " << r.group << " sources=" << r.sources.size()
           << "]";
    }
}

uint32_t
IgmpHeader::GetSerializedSize() const
{
    if (m_type != V3_REPORT)
    {
        return V2_SIZE;
    }
    uint32_t size = V3_FIXED;
    for (const GroupRecord& r : m_records)
    {
        size += RECORD_FIXED + 4 * static_cast<uint32_t>(r.sources.size());
    }
    return size;
}

void
IgmpHeader::Serialize(Buffer::Iterator start) const
{
    std::vector<uint8_t> b;
    b.reserve(GetSerializedSize());
    auto put16 = [&b](uint32_t v) {
        b.push_back(static_cast<uint8_t>(v >> 8));
        b.push_back(static_cast<uint8_t>(v));
    };
    auto put32 = [&put16](uint32_t v) {
        put16(v >> 16);
        put16(v & 0xffff);
    };
    b.push_back(m_type);
    if (m_type != V3_REPORT)
    {
        b.push_back(m_maxRespTime);
        put16(0);
        put32(m_group.Get());
    }
    else
    {
        b.push_back(0); // reserved
        put16(0);       // checksum, below
        put16(0);       // reserved
        put16(static_cast<uint32_t>(m_records.size()));
        for (const GroupRecord& r : m_records)
        {
            b.push_back(r.type);
            b.push_back(0); // aux data length
            put16(static_cast<uint32_t>(r.sources.size()));
            put32(r.group.Get());
            for (const Ipv4Address& s : r.sources)
            {
                put32(s.Get());
            }
        }
    }
    const uint16_t checksum = Checksum(b.data(), static_cast<uint32_t>(b.size()));
    b[2] = static_cast<uint8_t>(checksum >> 8);
    b[3] = static_cast<uint8_t>(checksum);
    start.Write(b.data(), static_cast<uint32_t>(b.size()));
}

uint32_t
IgmpHeader::Deserialize(Buffer::Iterator start)
{
    const uint32_t available = start.GetRemainingSize();
    std::vector<uint8_t> b(available);
    start.Read(b.data(), available);
    return ParseFrom(b.data(), available, *this);
}

uint32_t
IgmpHeader::ParseFrom(const uint8_t* d, uint32_t length, IgmpHeader& out, std::string* error)
{
    auto fail = [error](const std::string& why) {
        if (error)
        {
            *error = why;
        }
        return 0u;
    };
    if (d == nullptr || length < V2_SIZE)
    {
        return fail(fmt::format("short buffer: need {} bytes, have {}", V2_SIZE, length));
    }
    IgmpHeader h;
    h.m_type = d[0];
    uint32_t size = V2_SIZE;
    if (h.m_type == MEMBERSHIP_QUERY || h.m_type == V2_REPORT || h.m_type == LEAVE_GROUP)
    {
        h.m_maxRespTime = d[1];
        h.m_group = Ipv4Address(Be(d + 4, 4));
    }
    else if (h.m_type == V3_REPORT)
    {
        const uint32_t records = Be(d + 6, 2);
        size = V3_FIXED;
        for (uint32_t r = 0; r < records; ++r)
        {
            if (length < size + RECORD_FIXED)
            {
                return fail(fmt::format("group record {} is cut short", r));
            }
            const uint8_t* rec = d + size;
            if (rec[1] != 0)
            {
                return fail(fmt::format("group record {} has aux data (length {})", r, rec[1]));
            }
            GroupRecord g;
            g.type = rec[0];
            if (g.type < MODE_IS_INCLUDE || g.type > BLOCK_OLD_SOURCES)
            {
                return fail(fmt::format("group record {} has unknown type {}", r, rec[0]));
            }
            const uint32_t sources = Be(rec + 2, 2);
            g.group = Ipv4Address(Be(rec + 4, 4));
            if (length < size + RECORD_FIXED + 4 * sources)
            {
                return fail(fmt::format("group record {}'s {} sources are cut short", r, sources));
            }
            for (uint32_t s = 0; s < sources; ++s)
            {
                g.sources.emplace_back(Be(rec + RECORD_FIXED + 4 * s, 4));
            }
            size += RECORD_FIXED + 4 * sources;
            h.m_records.push_back(std::move(g));
        }
    }
    else
    {
        return fail(fmt::format("unknown IGMP type 0x{:02x}", d[0]));
    }
    const uint16_t expected = Checksum(d, size);
    if (Be(d + 2, 2) != expected)
    {
        return fail(fmt::format("checksum 0x{:04x}, expected 0x{:04x}", Be(d + 2, 2), expected));
    }
    out = std::move(h);
    return size;
}

} // namespace ns3
