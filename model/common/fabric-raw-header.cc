#include "fabric-raw-header.h"

#include <algorithm>
#include <iomanip>

namespace ns3
{

NS_OBJECT_ENSURE_REGISTERED(FabricRawHeader);

FabricRawHeader::FabricRawHeader(const uint8_t* bytes, uint32_t size)
{
    SetBytes(bytes, size);
}

TypeId
FabricRawHeader::GetTypeId()
{
    static TypeId tid = TypeId("ns3::FabricRawHeader")
                            .SetParent<Header>()
                            .SetGroupName("OverlayFabric")
                            .AddConstructor<FabricRawHeader>();
    return tid;
}

TypeId
FabricRawHeader::GetInstanceTypeId() const
{
    return GetTypeId();
}

void
FabricRawHeader::Print(std::ostream& os) const
{
    std::ios::fmtflags flags = os.flags();
    os << "raw " << m_size << " bytes:" << std::hex << std::setfill('0');
    for (uint32_t i = 0; i < m_size; ++i)
    {
        os << ' ' << std::setw(2) << static_cast<uint32_t>(m_bytes[i]);
    }
    os.flags(flags);
}

uint32_t
FabricRawHeader::GetSerializedSize() const
{
    return m_size;
}

void
FabricRawHeader::Serialize(Buffer::Iterator start) const
{
    start.Write(m_bytes, m_size);
}

uint32_t
FabricRawHeader::Deserialize(Buffer::Iterator start)
{
    uint32_t n = std::min(m_size, start.GetRemainingSize());
    start.Read(m_bytes, n);
    m_size = n;
    return n;
}

} // namespace ns3
