#include "service-control-header.h"

#include "ns3/abort.h"
#include "ns3/log.h"

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("ServiceControlHeader");
NS_OBJECT_ENSURE_REGISTERED(ServiceControlHeader);

ServiceControlHeader::ServiceControlHeader() = default;

TypeId
ServiceControlHeader::GetTypeId()
{
    static TypeId tid = TypeId("ns3::ServiceControlHeader")
                            .SetParent<Header>()
                            .SetGroupName("OverlayFabric")
                            .AddConstructor<ServiceControlHeader>();
    return tid;
}

TypeId
ServiceControlHeader::GetInstanceTypeId() const
{
    return GetTypeId();
}

void
ServiceControlHeader::Print(std::ostream& os) const
{
    static const char* const NAMES[] = {"?", "REPORT", "PUSH", "HEARTBEAT"};
    os << "SERVICE-CONTROL " << NAMES[m_type <= HEARTBEAT ? m_type : 0] << " seq=" << m_sequence;
    for (const Entry& e : m_entries)
    {
        os << " [" << e.id << (e.status ? " up" : " down") << " cause=" << +e.cause << "]";
    }
}

uint32_t
ServiceControlHeader::GetSerializedSize() const
{
    return BASE_SIZE + ENTRY_SIZE * m_entries.size();
}

void
ServiceControlHeader::Serialize(Buffer::Iterator start) const
{
    Buffer::Iterator i = start;
    i.WriteU8(m_type);
    i.WriteU8(static_cast<uint8_t>(m_entries.size()));
    i.WriteHtonU16(0);
    i.WriteHtonU32(m_sequence);
    for (const Entry& e : m_entries)
    {
        i.WriteHtonU32(e.id);
        i.WriteU8(e.status);
        i.WriteU8(e.cause);
        i.WriteHtonU16(0);
    }
}

uint32_t
ServiceControlHeader::Deserialize(Buffer::Iterator start)
{
    const uint32_t available = start.GetRemainingSize();
    const uint32_t count = std::min(available, BASE_SIZE + ENTRY_SIZE * MAX_ENTRIES);
    std::vector<uint8_t> bytes(count);
    start.Read(bytes.data(), count);
    return ParseFrom(bytes.data(), count, *this);
}

uint32_t
ServiceControlHeader::ParseFrom(const uint8_t* data,
                                uint32_t length,
                                ServiceControlHeader& out,
                                std::string* error)
{
    std::string reason;
    if (length < BASE_SIZE)
    {
        reason = "short buffer: need 8 bytes, have " + std::to_string(length);
    }
    else if (data[0] < REPORT || data[0] > HEARTBEAT)
    {
        reason = "unknown type " + std::to_string(data[0]);
    }
    else if (length < BASE_SIZE + ENTRY_SIZE * data[1])
    {
        reason = std::to_string(data[1]) + " entries need " +
                 std::to_string(BASE_SIZE + ENTRY_SIZE * data[1]) + " bytes, have " +
                 std::to_string(length);
    }
    if (!reason.empty())
    {
        NS_LOG_LOGIC("refused service control message: " << reason);
        if (error != nullptr)
        {
            *error = std::move(reason);
        }
        return 0;
    }
    auto word = [data](uint32_t at) {
        return uint32_t{data[at]} << 24 | uint32_t{data[at + 1]} << 16 |
               uint32_t{data[at + 2]} << 8 | data[at + 3];
    };
    out.m_type = static_cast<Type>(data[0]);
    out.m_sequence = word(4);
    out.m_entries.clear();
    for (uint32_t e = 0; e < data[1]; ++e)
    {
        const uint32_t at = BASE_SIZE + ENTRY_SIZE * e;
        out.m_entries.push_back(Entry{word(at), data[at + 4], data[at + 5]});
    }
    return BASE_SIZE + ENTRY_SIZE * data[1];
}

void
ServiceControlHeader::SetType(Type type)
{
    m_type = type;
}

ServiceControlHeader::Type
ServiceControlHeader::GetType() const
{
    return m_type;
}

void
ServiceControlHeader::SetSequence(uint32_t sequence)
{
    m_sequence = sequence;
}

uint32_t
ServiceControlHeader::GetSequence() const
{
    return m_sequence;
}

void
ServiceControlHeader::AddEntry(const Entry& entry)
{
    NS_ABORT_MSG_IF(m_entries.size() >= MAX_ENTRIES, "more than 255 entries in one message");
    m_entries.push_back(entry);
}

const std::vector<ServiceControlHeader::Entry>&
ServiceControlHeader::GetEntries() const
{
    return m_entries;
}

} // namespace ns3
