#include "vxlan-header.h"

#include "ns3/abort.h"
#include "ns3/log.h"

#include <algorithm>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("VxlanHeader");

NS_OBJECT_ENSURE_REGISTERED(VxlanHeader);

VxlanHeader::VxlanHeader()
{
}

TypeId
VxlanHeader::GetTypeId()
{
    static TypeId tid = TypeId("ns3::VxlanHeader")
                            .SetParent<Header>()
                            .SetGroupName("OverlayFabric")
                            .AddConstructor<VxlanHeader>();
    return tid;
}

TypeId
VxlanHeader::GetInstanceTypeId() const
{
    return GetTypeId();
}

void
VxlanHeader::Print(std::ostream& os) const
{
    os << "VXLAN vni=" << m_vni;
}

uint32_t
VxlanHeader::GetSerializedSize() const
{
    return SERIALIZED_SIZE;
}

void
VxlanHeader::Serialize(Buffer::Iterator start) const
{
    Buffer::Iterator i = start;
    // Flags (only I set), then 24 reserved bits.
    i.WriteHtonU32(static_cast<uint32_t>(FLAG_I) << 24);
    // VNI in the top 24 bits, 8 reserved bits below it.
    i.WriteHtonU32(m_vni << 8);
}

uint32_t
VxlanHeader::Deserialize(Buffer::Iterator start)
{
    return DeserializeBounded(start, start.GetRemainingSize());
}

uint32_t
VxlanHeader::Deserialize(Buffer::Iterator start, Buffer::Iterator end)
{
    return DeserializeBounded(start,
                              std::min(start.GetRemainingSize(), end.GetDistanceFrom(start)));
}

uint32_t
VxlanHeader::DeserializeBounded(Buffer::Iterator start, uint32_t available)
{
    uint8_t bytes[SERIALIZED_SIZE];
    uint32_t count = std::min(available, SERIALIZED_SIZE);
    start.Read(bytes, count);
    return ParseFrom(bytes, count, *this);
}

uint32_t
VxlanHeader::ParseFrom(const uint8_t* data, uint32_t length, VxlanHeader& out, std::string* error)
{
    std::string reason;
    if (length < SERIALIZED_SIZE)
    {
        reason = "short buffer: need " + std::to_string(SERIALIZED_SIZE) + " bytes, have " +
                 std::to_string(length);
    }
    else if ((data[0] & FLAG_I) == 0)
    {
        const char* hex = "0123456789abcdef";
        reason = std::string("I flag clear (flags 0x") + hex[data[0] >> 4] + hex[data[0] & 0xf] +
                 "): VNI not valid";
    }
    if (!reason.empty())
    {
        NS_LOG_LOGIC("refused VXLAN header: " << reason);
        if (error != nullptr)
        {
            *error = std::move(reason);
        }
        return 0;
    }
    out.m_vni =
        (static_cast<uint32_t>(data[4]) << 16) | (static_cast<uint32_t>(data[5]) << 8) | data[6];
    return SERIALIZED_SIZE;
}

void
VxlanHeader::SetVni(uint32_t vni)
{
    NS_ABORT_MSG_IF(vni > MAX_VNI, "VXLAN VNI " << vni << " does not fit in 24 bits");
    m_vni = vni;
}

uint32_t
VxlanHeader::GetVni() const
{
    return m_vni;
}

} // namespace ns3
