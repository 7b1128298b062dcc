#include "fabric-switch.h"

#include "fabric-raw-header.h"
#include "five-tuple.h"

#include "ns3/log.h"
#include "ns3/trace-source-accessor.h"
#include "ns3/uinteger.h"

#include <algorithm>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("FabricSwitch");

NS_OBJECT_ENSURE_REGISTERED(FabricSwitch);

namespace
{

constexpr uint32_t ETH_LEN = 14;      //!< Ethernet II header
constexpr uint32_t IPV4_MIN_LEN = 20; //!< IPv4 header without options
constexpr uint32_t IPV4_MAX_LEN = 60; //!< IPv4 header with the most options
constexpr uint32_t L4_PORTS_LEN = 4;  //!< source + destination port

inline uint32_t
ReadU32(const uint8_t* p)
{
    return (static_cast<uint32_t>(p[0]) << 24) | (static_cast<uint32_t>(p[1]) << 16) |
           (static_cast<uint32_t>(p[2]) << 8) | static_cast<uint32_t>(p[3]);
}

inline uint16_t
ReadU16(const uint8_t* p)
{
    return static_cast<uint16_t>((p[0] << 8) | p[1]);
}

} // namespace

TypeId
FabricSwitch::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::FabricSwitch")
            .SetParent<Object>()
            .SetGroupName("OverlayFabric")
            .AddConstructor<FabricSwitch>()
            .AddAttribute("EcmpSeed",
                          "Seed of the ECMP hash of the outer 5-tuple",
                          UintegerValue(0),
                          MakeUintegerAccessor(&FabricSwitch::m_ecmpSeed),
                          MakeUintegerChecker<uint64_t>())
            .AddTraceSource("Drop",
                            "The switch dropped a frame",
                            MakeTraceSourceAccessor(&FabricSwitch::m_dropTrace),
                            "ns3::FabricSwitch::DropTracedCallback")
            .AddTraceSource("LocalRepair",
                            "A port lost its carrier and was pulled out of every next-hop group",
                            MakeTraceSourceAccessor(&FabricSwitch::m_localRepairTrace),
                            "ns3::FabricSwitch::LocalRepairTracedCallback")
            .AddTraceSource("RoutesProgrammed",
                            "The routing table was replaced",
                            MakeTraceSourceAccessor(&FabricSwitch::m_routesProgrammedTrace),
                            "ns3::FabricSwitch::RoutesProgrammedTracedCallback");
    return tid;
}

FabricSwitch::FabricSwitch()
    : m_node(CreateObject<Node>())
{
    NS_LOG_FUNCTION(this);
}

FabricSwitch::~FabricSwitch()
{
    NS_LOG_FUNCTION(this);
}

void
FabricSwitch::DoDispose()
{
    NS_LOG_FUNCTION(this);
    for (auto& port : m_ports)
    {
        port->SetFrameHandler(FabricNetDevice::FrameHandler());
    }
    m_ports.clear();
    m_portRaw.clear();
    m_routes.clear();
    m_node = nullptr;
    Object::DoDispose();
}

Ptr<Node>
FabricSwitch::GetNode() const
{
    return m_node;
}

uint32_t
FabricSwitch::AddPort(Ptr<FabricNetDevice> device)
{
    NS_LOG_FUNCTION(this << device);
    NS_ASSERT(device);
    uint32_t index = static_cast<uint32_t>(m_ports.size());
    m_node->AddDevice(device);
    m_ports.push_back(device);
    m_portRaw.push_back(PeekPointer(device));
    // The callbacks hold a Ptr to the switch: it lives as long as its ports do; the cycle is
    // broken when the devices are disposed (Simulator::Destroy) or by DoDispose.
    Ptr<FabricSwitch> self(this);
    device->SetFrameHandler(MakeCallback(&FabricSwitch::ReceiveFrame, self));
    device->AddLinkChangeCallback(MakeCallback(&FabricSwitch::PortLinkChanged, self, index));
    return index;
}

uint32_t
FabricSwitch::GetNPorts() const
{
    return static_cast<uint32_t>(m_ports.size());
}

Ptr<FabricNetDevice>
FabricSwitch::GetPort(uint32_t port) const
{
    return port < m_ports.size() ? m_ports[port] : nullptr;
}

int32_t
FabricSwitch::GetPortIndex(Ptr<const NetDevice> device) const
{
    for (uint32_t i = 0; i < m_ports.size(); ++i)
    {
        if (PeekPointer(m_ports[i]) == PeekPointer(device))
        {
            return static_cast<int32_t>(i);
        }
    }
    return -1;
}

void
FabricSwitch::SetEcmpSeed(uint64_t seed)
{
    m_ecmpSeed = seed;
}

uint64_t
FabricSwitch::GetEcmpSeed() const
{
    return m_ecmpSeed;
}

void
FabricSwitch::SetRoutes(RouteTable routes)
{
    NS_LOG_FUNCTION(this << routes.size());
    for (auto it = routes.begin(); it != routes.end();)
    {
        auto& ports = it->second.ports;
        ports.erase(std::remove_if(ports.begin(),
                                   ports.end(),
                                   [this](uint32_t p) {
                                       return p >= m_ports.size() || !m_ports[p]->IsLinkUp();
                                   }),
                    ports.end());
        it = ports.empty() ? routes.erase(it) : std::next(it);
    }
    m_routes = std::move(routes);
    m_routesProgrammedTrace(static_cast<uint32_t>(m_routes.size()));
}

void
FabricSwitch::SetRoute(Ipv4Address destination, std::vector<uint32_t> ports)
{
    NS_LOG_FUNCTION(this << destination);
    ports.erase(std::remove_if(
                    ports.begin(),
                    ports.end(),
                    [this](uint32_t p) { return p >= m_ports.size() || !m_ports[p]->IsLinkUp(); }),
                ports.end());
    if (ports.empty())
    {
        m_routes.erase(destination.Get());
        return;
    }
    m_routes[destination.Get()].ports = std::move(ports);
}

void
FabricSwitch::RemoveRoute(Ipv4Address destination)
{
    m_routes.erase(destination.Get());
}

const FabricSwitch::RouteTable&
FabricSwitch::GetRoutes() const
{
    return m_routes;
}

const NextHopGroup*
FabricSwitch::GetRoute(Ipv4Address destination) const
{
    auto it = m_routes.find(destination.Get());
    return it == m_routes.end() ? nullptr : &it->second;
}

DropReason
FabricSwitch::Decide(const uint8_t* b, uint32_t n, uint32_t& headerLength, uint32_t& port) const
{
    if (n < ETH_LEN + IPV4_MIN_LEN || b[12] != 0x08 || b[13] != 0x00 || (b[14] >> 4) != 4)
    {
        return DropReason::MALFORMED;
    }
    const uint8_t* ip = b + ETH_LEN;
    const uint32_t ihl = (ip[0] & 0x0f) * 4u;
    if (ihl < IPV4_MIN_LEN || n < ETH_LEN + ihl)
    {
        return DropReason::MALFORMED;
    }
    headerLength = ETH_LEN + ihl;
    if (ip[8] <= 1)
    {
        return DropReason::TTL_EXPIRED;
    }
    const uint32_t dst = ReadU32(ip + 16);
    auto it = m_routes.find(dst);
    if (it == m_routes.end() || it->second.ports.empty())
    {
        return DropReason::NO_ROUTE;
    }
    const std::vector<uint32_t>& ports = it->second.ports;
    if (ports.size() == 1)
    {
        port = ports[0]; // no hash to compute, no 5-tuple to parse
        return DropReason::COUNT;
    }
    FiveTuple key;
    ParseFiveTuple(b, n, key); // cannot fail: the IPv4 header was checked above
    port = EcmpMember(it->second, key, m_ecmpSeed);
    return DropReason::COUNT;
}

int32_t
FabricSwitch::GetEgressPort(Ptr<const Packet> frame) const
{
    uint8_t b[ETH_LEN + IPV4_MAX_LEN + L4_PORTS_LEN];
    uint32_t n = frame->CopyData(b, sizeof(b));
    uint32_t headerLength = 0;
    uint32_t port = 0;
    return Decide(b, n, headerLength, port) == DropReason::COUNT ? static_cast<int32_t>(port) : -1;
}

void
FabricSwitch::ReceiveFrame(Ptr<FabricNetDevice> in, Ptr<Packet> frame)
{
    // The leading bytes are copied straight into the header that will put them back, and
    // patched there: one copy out, one copy in.
    FabricRawHeader header;
    uint8_t* b = header.GetMutableBytes();
    static_assert(FabricRawHeader::MAX_SIZE >= ETH_LEN + IPV4_MAX_LEN + L4_PORTS_LEN);
    uint32_t n = frame->CopyData(b, ETH_LEN + IPV4_MIN_LEN + L4_PORTS_LEN);
    if (n >= ETH_LEN + 1 && (b[ETH_LEN] & 0x0f) > 5)
    {
        n = frame->CopyData(b, ETH_LEN + IPV4_MAX_LEN + L4_PORTS_LEN); // IPv4 options: rare
    }
    uint32_t headerLength = 0;
    uint32_t port = 0;
    const DropReason verdict = Decide(b, n, headerLength, port);
    if (verdict != DropReason::COUNT)
    {
        m_dropTrace(frame, verdict);
        return;
    }

    // TTL - 1 and the checksum patched as in RFC 1624 eqn 3: HC' = ~(~HC + ~m + m').
    uint8_t* ip = b + ETH_LEN;
    const uint16_t oldWord = static_cast<uint16_t>((ip[8] << 8) | ip[9]);
    ip[8] = static_cast<uint8_t>(ip[8] - 1);
    const uint16_t newWord = static_cast<uint16_t>((ip[8] << 8) | ip[9]);
    uint32_t sum = static_cast<uint16_t>(~ReadU16(ip + 10)) +
                   static_cast<uint32_t>(static_cast<uint16_t>(~oldWord)) + newWord;
    sum = (sum & 0xffff) + (sum >> 16);
    sum = (sum & 0xffff) + (sum >> 16);
    const uint16_t checksum = static_cast<uint16_t>(~sum);
    ip[10] = static_cast<uint8_t>(checksum >> 8);
    ip[11] = static_cast<uint8_t>(checksum);

    // Ethernet: destination = the peer of the egress port, source = the egress port.
    FabricNetDevice* out = m_portRaw[port];
    out->GetPeerMacAddress().CopyTo(b);
    out->GetMacAddress().CopyTo(b + 6);

    header.SetSize(headerLength);
    frame->RemoveAtStart(headerLength);
    frame->AddHeader(header);
    out->SendFrame(frame);
}

void
FabricSwitch::PortLinkChanged(uint32_t port)
{
    if (port >= m_ports.size() || m_ports[port]->IsLinkUp())
    {
        return; // carrier back: the port is used again when routes are next programmed
    }
    NS_LOG_FUNCTION(this << port);
    uint32_t affected = 0;
    for (auto it = m_routes.begin(); it != m_routes.end();)
    {
        auto& ports = it->second.ports;
        auto pos = std::find(ports.begin(), ports.end(), port);
        if (pos != ports.end())
        {
            ports.erase(pos);
            ++affected;
        }
        it = ports.empty() ? m_routes.erase(it) : std::next(it);
    }
    m_localRepairTrace(port, affected);
}

} // namespace ns3
