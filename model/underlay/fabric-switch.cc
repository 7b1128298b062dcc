#include "fabric-switch.h"

#include "fabric-raw-header.h"
#include "five-tuple.h"
#include "igmp-header.h"

#include "ns3/ethernet-header.h"
#include "ns3/ipv4-header.h"
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
constexpr uint8_t IP_PROTO_IGMP = 2;  //!< IPv4 protocol number of IGMP
/// IGMPv3 reports go to all IGMPv3-capable multicast routers (RFC 3376 section 4.2.14).
const Ipv4Address ALL_IGMPV3_ROUTERS("224.0.0.22");

/// \return whether \p address (host order) is an IPv4 multicast address, 224.0.0.0/4
inline bool
IsMulticast(uint32_t address)
{
    return (address >> 28) == 0xe;
}

/// \return the group's hash: the same on every leaf, so that they agree on the root spine
inline uint32_t
GroupHash(uint32_t group)
{
    uint64_t x = group + 0x9e3779b97f4a7c15ULL;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
    return static_cast<uint32_t>(x ^ (x >> 31));
}

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

/// \brief TTL - 1 and the checksum patched as in RFC 1624 eqn 3: HC' = ~(~HC + ~m + m').
inline void
DecrementTtl(uint8_t* ip)
{
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
                            "ns3::FabricSwitch::RoutesProgrammedTracedCallback")
            .AddTraceSource("Membership",
                            "A port joined or left a multicast group (IGMP snooping, carrier loss)",
                            MakeTraceSourceAccessor(&FabricSwitch::m_membershipTrace),
                            "ns3::FabricSwitch::MembershipTracedCallback")
            .AddTraceSource("MulticastPruned",
                            "A multicast frame no port but its ingress had members for: consumed",
                            MakeTraceSourceAccessor(&FabricSwitch::m_prunedTrace),
                            "ns3::Packet::TracedCallback");
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
    m_groupPorts.clear();
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
        // Neither can be a unicast frame's: no unicast route holds a multicast destination, and
        // IGMP is never routed (TTL 1).
        if (verdict == DropReason::NO_ROUTE && IsMulticast(ReadU32(b + ETH_LEN + 16)))
        {
            DecrementTtl(b + ETH_LEN);
            header.SetSize(headerLength);
            ForwardMulticast(in->GetIfIndex(), frame, header, ReadU32(b + ETH_LEN + 16));
            return;
        }
        if (verdict == DropReason::TTL_EXPIRED && b[ETH_LEN + 9] == IP_PROTO_IGMP)
        {
            SnoopIgmp(in->GetIfIndex(), frame, headerLength);
            return;
        }
        m_dropTrace(frame, verdict);
        return;
    }

    DecrementTtl(b + ETH_LEN);

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
    if (port >= m_ports.size())
    {
        return;
    }
    if (m_ports[port]->IsLinkUp())
    {
        // Carrier back: the port is used again when routes are next programmed; a leaf tells the
        // spine behind it (which dropped the leaf's memberships with the carrier) its groups.
        if (IsUpstream(port))
        {
            for (const auto& [group, members] : m_groupPorts)
            {
                SendReport(port, group, true);
            }
        }
        return;
    }
    NS_LOG_FUNCTION(this << port);
    m_rootPorts.erase(std::remove(m_rootPorts.begin(), m_rootPorts.end(), port), m_rootPorts.end());
    std::vector<uint32_t> left;
    for (const auto& [group, members] : m_groupPorts)
    {
        if (std::binary_search(members.begin(), members.end(), port))
        {
            left.push_back(group);
        }
    }
    std::sort(left.begin(), left.end()); // reports in a fixed order
    for (uint32_t group : left)
    {
        SetMember(port, group, false);
    }
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

void
FabricSwitch::SetMulticastLeaf(const std::vector<uint32_t>& upstream)
{
    m_leaf = true;
    m_upstream.assign(m_ports.size(), false);
    for (uint32_t p : upstream)
    {
        m_upstream.at(p) = true;
    }
}

void
FabricSwitch::SetMulticastRoots(std::vector<uint32_t> ports)
{
    ports.erase(std::remove_if(
                    ports.begin(),
                    ports.end(),
                    [this](uint32_t p) { return p >= m_ports.size() || !m_ports[p]->IsLinkUp(); }),
                ports.end());
    m_rootPorts = std::move(ports);
}

bool
FabricSwitch::IsUpstream(uint32_t port) const
{
    return m_leaf && port < m_upstream.size() && m_upstream[port];
}

std::vector<uint32_t>
FabricSwitch::GetGroupPorts(Ipv4Address group) const
{
    auto it = m_groupPorts.find(group.Get());
    return it == m_groupPorts.end() ? std::vector<uint32_t>{} : it->second;
}

int32_t
FabricSwitch::GetGroupRoot(Ipv4Address group) const
{
    if (!m_leaf || m_rootPorts.empty())
    {
        return -1;
    }
    return static_cast<int32_t>(m_rootPorts[GroupHash(group.Get()) % m_rootPorts.size()]);
}

void
FabricSwitch::ForwardMulticast(uint32_t in,
                               Ptr<Packet> frame,
                               FabricRawHeader& header,
                               uint32_t group)
{
    // Egress: the member ports but the ingress; from a host, also up to the group's root.
    std::vector<uint32_t>& out = m_multicastOut; // reused: no allocation per frame
    out.clear();
    auto members = m_groupPorts.find(group);
    if (members != m_groupPorts.end())
    {
        for (uint32_t p : members->second)
        {
            if (p != in)
            {
                out.push_back(p);
            }
        }
    }
    if (m_leaf && !IsUpstream(in) && !m_rootPorts.empty())
    {
        out.push_back(m_rootPorts[GroupHash(group) % m_rootPorts.size()]);
    }
    if (out.empty())
    {
        m_prunedTrace(frame); // nobody below asked for the group: pruned here, not a drop
        return;
    }
    frame->RemoveAtStart(header.GetSerializedSize());
    for (size_t i = 0; i < out.size(); ++i)
    {
        FabricNetDevice* dev = m_portRaw[out[i]];
        Ptr<Packet> copy = i + 1 == out.size() ? frame : frame->Copy();
        FabricRawHeader h = header;
        // Source: the egress port; the destination stays the group's MAC (01:00:5e + 23 bits).
        dev->GetMacAddress().CopyTo(h.GetMutableBytes() + 6);
        copy->AddHeader(h);
        dev->SendFrame(copy);
    }
}

void
FabricSwitch::SnoopIgmp(uint32_t in, Ptr<Packet> frame, uint32_t headerLength)
{
    std::vector<uint8_t> bytes(frame->GetSize()); // control traffic: a copy is fine
    frame->CopyData(bytes.data(), bytes.size());
    const uint32_t total = ReadU16(bytes.data() + ETH_LEN + 2); // Decide checked the header
    const uint32_t ihl = headerLength - ETH_LEN;
    IgmpHeader igmp;
    if (total < ihl || ETH_LEN + total > bytes.size() ||
        IgmpHeader::ParseFrom(bytes.data() + headerLength, total - ihl, igmp) == 0)
    {
        m_dropTrace(frame, DropReason::MALFORMED);
        return;
    }
    switch (igmp.GetType())
    {
    case IgmpHeader::V2_REPORT:
        SetMember(in, igmp.GetGroup().Get(), true);
        break;
    case IgmpHeader::LEAVE_GROUP:
        SetMember(in, igmp.GetGroup().Get(), false);
        break;
    case IgmpHeader::V3_REPORT:
        for (const IgmpHeader::GroupRecord& r : igmp.GetRecords())
        {
            // INCLUDE {} is a leave; any other record a join of the whole group.
            const bool include = r.type == IgmpHeader::MODE_IS_INCLUDE ||
                                 r.type == IgmpHeader::CHANGE_TO_INCLUDE_MODE;
            SetMember(in, r.group.Get(), !(include && r.sources.empty()));
        }
        break;
    default:
        break; // a query: no querier in this model answers or needs it
    }
}

void
FabricSwitch::SetMember(uint32_t port, uint32_t group, bool member)
{
    if (!IsMulticast(group))
    {
        return;
    }
    std::vector<uint32_t>& members = m_groupPorts[group];
    auto pos = std::lower_bound(members.begin(), members.end(), port);
    const bool present = pos != members.end() && *pos == port;
    if (present == member)
    {
        if (members.empty())
        {
            m_groupPorts.erase(group);
        }
        return;
    }
    // A leaf proxies its hosts' membership upwards; the spines' own copies are not counted.
    bool hostMembersBefore = false;
    bool hostMembersAfter = false;
    if (m_leaf && !IsUpstream(port))
    {
        for (uint32_t p : members)
        {
            hostMembersBefore = hostMembersBefore || !IsUpstream(p);
        }
    }
    if (member)
    {
        members.insert(pos, port);
    }
    else
    {
        members.erase(pos);
    }
    if (m_leaf && !IsUpstream(port))
    {
        for (uint32_t p : members)
        {
            hostMembersAfter = hostMembersAfter || !IsUpstream(p);
        }
    }
    const bool empty = members.empty();
    if (empty)
    {
        m_groupPorts.erase(group);
    }
    m_membershipTrace(port, Ipv4Address(group), member);
    if (hostMembersBefore != hostMembersAfter)
    {
        for (uint32_t p = 0; p < m_ports.size(); ++p)
        {
            if (IsUpstream(p) && m_ports[p]->IsLinkUp())
            {
                SendReport(p, group, hostMembersAfter);
            }
        }
    }
}

void
FabricSwitch::SendReport(uint32_t port, uint32_t group, bool join)
{
    const IgmpHeader igmp = IgmpHeader::V3Report(
        {{join ? IgmpHeader::CHANGE_TO_EXCLUDE_MODE : IgmpHeader::CHANGE_TO_INCLUDE_MODE,
          Ipv4Address(group),
          {}}});
    Ptr<Packet> p = Create<Packet>();
    p->AddHeader(igmp);
    Ipv4Header ip;
    ip.SetSource(Ipv4Address::GetAny());
    ip.SetDestination(ALL_IGMPV3_ROUTERS);
    ip.SetProtocol(IP_PROTO_IGMP);
    ip.SetTtl(1);
    ip.SetTos(0xc0); // Internetwork Control (RFC 3376 section 4)
    ip.SetPayloadSize(igmp.GetSerializedSize());
    ip.EnableChecksum();
    p->AddHeader(ip);
    EthernetHeader eth;
    eth.SetSource(m_ports[port]->GetMacAddress());
    eth.SetDestination(Mac48Address::GetMulticast(ALL_IGMPV3_ROUTERS));
    eth.SetLengthType(0x0800);
    p->AddHeader(eth);
    m_ports[port]->SendFrame(p);
}

} // namespace ns3
