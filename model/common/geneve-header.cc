#include "geneve-header.h"

#include "ns3/abort.h"
#include "ns3/log.h"

#include <algorithm>
#include <iomanip>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("GeneveHeader");

NS_OBJECT_ENSURE_REGISTERED(GeneveHeader);

namespace
{

/**
 * \brief Hand \p reason to the caller if it asked for it.
 * \param error where the caller wants the reason, or null
 * \param reason why the input was refused
 */
void
SetError(std::string* error, std::string reason)
{
    NS_LOG_LOGIC("refused: " << reason);
    if (error != nullptr)
    {
        *error = std::move(reason);
    }
}

} // namespace

std::ostream&
operator<<(std::ostream& os, const GeneveOption& option)
{
    std::ios_base::fmtflags flags = os.flags();
    char fill = os.fill('0');
    os << "class=0x" << std::hex << std::setw(4) << option.optionClass << " type=0x" << std::setw(2)
       << static_cast<uint32_t>(option.type) << std::dec << " len=" << option.data.size();
    os.fill(fill);
    os.flags(flags);
    return os;
}

GeneveHeader::GeneveHeader()
{
}

TypeId
GeneveHeader::GetTypeId()
{
    static TypeId tid = TypeId("ns3::GeneveHeader")
                            .SetParent<Header>()
                            .SetGroupName("OverlayFabric")
                            .AddConstructor<GeneveHeader>();
    return tid;
}

TypeId
GeneveHeader::GetInstanceTypeId() const
{
    return GetTypeId();
}

void
GeneveHeader::Print(std::ostream& os) const
{
    std::ios_base::fmtflags flags = os.flags();
    char fill = os.fill('0');
    os << "GENEVE vni=" << std::dec << m_vni << " proto=0x" << std::hex << std::setw(4)
       << m_protocolType << std::dec << " O=" << m_oam << " C=" << m_critical
       << " optlen=" << m_optionsLength;
    os.fill(fill);
    os.flags(flags);
    for (const GeneveOption& option : m_options)
    {
        os << " [" << option << "]";
    }
}

uint32_t
GeneveHeader::GetSerializedSize() const
{
    return BASE_SIZE + m_optionsLength;
}

void
GeneveHeader::Serialize(Buffer::Iterator start) const
{
    Buffer::Iterator i = start;
    // Ver (0) in the top 2 bits, Opt Len in 4-byte words in the low 6 bits.
    i.WriteU8(static_cast<uint8_t>(m_optionsLength / 4));
    // O, C, then 6 reserved bits sent as 0.
    i.WriteU8(static_cast<uint8_t>((m_oam ? 0x80 : 0x00) | (m_critical ? 0x40 : 0x00)));
    i.WriteHtonU16(m_protocolType);
    // VNI in the top 24 bits, the 8-bit Reserved field (0) below it.
    i.WriteHtonU32(m_vni << 8);
    for (const GeneveOption& option : m_options)
    {
        i.WriteHtonU16(option.optionClass);
        i.WriteU8(option.type);
        // R bits 0; Length in 4-byte words in the low 5 bits.
        i.WriteU8(static_cast<uint8_t>(option.data.size() / 4));
        if (!option.data.empty())
        {
            i.Write(option.data.data(), static_cast<uint32_t>(option.data.size()));
        }
    }
}

uint32_t
GeneveHeader::Deserialize(Buffer::Iterator start)
{
    return DeserializeBounded(start, start.GetRemainingSize());
}

uint32_t
GeneveHeader::Deserialize(Buffer::Iterator start, Buffer::Iterator end)
{
    return DeserializeBounded(start,
                              std::min(start.GetRemainingSize(), end.GetDistanceFrom(start)));
}

uint32_t
GeneveHeader::DeserializeBounded(Buffer::Iterator start, uint32_t available)
{
    // Copy the fixed part, then as much of the announced option area as is really there, into a
    // stack buffer and let ParseFrom decide; reads never go beyond 'available'.
    uint8_t bytes[MAX_SERIALIZED_SIZE];
    uint32_t count = std::min(available, BASE_SIZE);
    start.Read(bytes, count);
    if (count == BASE_SIZE)
    {
        uint32_t announced = (bytes[0] & 0x3f) * 4u;
        uint32_t extra = std::min(announced, available - BASE_SIZE);
        start.Read(bytes + BASE_SIZE, extra);
        count += extra;
    }
    return ParseFrom(bytes, count, *this);
}

uint32_t
GeneveHeader::ParseFrom(const uint8_t* data, uint32_t length, GeneveHeader& out, std::string* error)
{
    if (length < BASE_SIZE)
    {
        SetError(error,
                 "short buffer: need " + std::to_string(BASE_SIZE) + " bytes, have " +
                     std::to_string(length));
        return 0;
    }
    uint32_t version = data[0] >> 6;
    if (version != 0)
    {
        SetError(error, "unsupported version " + std::to_string(version));
        return 0;
    }
    uint32_t optWords = data[0] & 0x3f;
    uint32_t optBytes = optWords * 4;
    if (optBytes > length - BASE_SIZE)
    {
        SetError(error,
                 "option length " + std::to_string(optWords) +
                     " words runs past end of buffer (have " + std::to_string(length) + " bytes)");
        return 0;
    }

    // First pass: check every TLV against the option area, without touching 'out'.
    const uint8_t* area = data + BASE_SIZE;
    uint32_t offset = 0;
    uint32_t optionCount = 0;
    while (offset < optBytes)
    {
        // offset and optBytes are both multiples of 4, so the 4-byte TLV header is inside.
        uint32_t dataWords = area[offset + 3] & 0x1f;
        uint32_t left = optBytes - offset - 4;
        if (dataWords * 4 > left)
        {
            SetError(error,
                     "option TLV length runs past option area: option at offset " +
                         std::to_string(offset) + " declares " + std::to_string(dataWords) +
                         " words, " + std::to_string(left) + " bytes left");
            return 0;
        }
        offset += 4 + dataWords * 4;
        ++optionCount;
    }

    // Second pass: commit. No allocation when there are no options.
    out.m_oam = (data[1] & 0x80) != 0;
    out.m_critical = (data[1] & 0x40) != 0;
    out.m_protocolType = static_cast<uint16_t>((data[2] << 8) | data[3]);
    out.m_vni =
        (static_cast<uint32_t>(data[4]) << 16) | (static_cast<uint32_t>(data[5]) << 8) | data[6];
    out.m_optionsLength = optBytes;
    out.m_options.clear();
    if (optionCount > 0)
    {
        out.m_options.reserve(optionCount);
        offset = 0;
        while (offset < optBytes)
        {
            const uint8_t* tlv = area + offset;
            uint32_t dataBytes = (tlv[3] & 0x1f) * 4u;
            GeneveOption option;
            option.optionClass = static_cast<uint16_t>((tlv[0] << 8) | tlv[1]);
            option.type = tlv[2];
            option.data.assign(tlv + 4, tlv + 4 + dataBytes);
            out.m_options.push_back(std::move(option));
            offset += 4 + dataBytes;
        }
    }
    return BASE_SIZE + optBytes;
}

void
GeneveHeader::SetVni(uint32_t vni)
{
    NS_ABORT_MSG_IF(vni > MAX_VNI, "GENEVE VNI " << vni << " does not fit in 24 bits");
    m_vni = vni;
}

uint32_t
GeneveHeader::GetVni() const
{
    return m_vni;
}

void
GeneveHeader::SetOam(bool oam)
{
    m_oam = oam;
}

bool
GeneveHeader::GetOam() const
{
    return m_oam;
}

void
GeneveHeader::SetCritical(bool critical)
{
    m_critical = critical;
}

bool
GeneveHeader::GetCritical() const
{
    return m_critical;
}

void
GeneveHeader::SetProtocolType(uint16_t protocolType)
{
    m_protocolType = protocolType;
}

uint16_t
GeneveHeader::GetProtocolType() const
{
    return m_protocolType;
}

bool
GeneveHeader::AddOption(const GeneveOption& option, std::string* error)
{
    uint32_t dataBytes = static_cast<uint32_t>(option.data.size());
    if (dataBytes % 4 != 0)
    {
        SetError(error,
                 "option data length " + std::to_string(dataBytes) +
                     " bytes is not a multiple of 4");
        return false;
    }
    if (dataBytes > MAX_OPTION_DATA_LENGTH)
    {
        SetError(error,
                 "option data length " + std::to_string(dataBytes) + " bytes exceeds " +
                     std::to_string(MAX_OPTION_DATA_LENGTH));
        return false;
    }
    uint32_t total = m_optionsLength + option.GetSerializedSize();
    if (total > MAX_OPTIONS_LENGTH)
    {
        SetError(error,
                 "options would total " + std::to_string(total) + " bytes, more than " +
                     std::to_string(MAX_OPTIONS_LENGTH));
        return false;
    }
    m_options.push_back(option);
    m_optionsLength = total;
    if (option.IsCritical())
    {
        m_critical = true;
    }
    return true;
}

const std::vector<GeneveOption>&
GeneveHeader::GetOptions() const
{
    return m_options;
}

uint32_t
GeneveHeader::GetOptionsLength() const
{
    return m_optionsLength;
}

bool
GeneveHeader::HasCriticalOption() const
{
    return std::any_of(m_options.begin(), m_options.end(), [](const GeneveOption& option) {
        return option.IsCritical();
    });
}

} // namespace ns3
