#include "distributed-router-stage.h"

#include "virtual-switch.h"

#include "ns3/ethernet-header.h"
#include "ns3/ipv4-header.h"
#include "ns3/log.h"
#include "ns3/node.h"
#include "ns3/packet.h"

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("DistributedRouterStage");
NS_OBJECT_ENSURE_REGISTERED(DistributedRouterStage);

namespace
{
constexpr uint16_t ETHERTYPE_IPV4 = 0x0800;
constexpr uint32_t ETH_LEN = 14;
constexpr uint32_t IPV4_TTL = ETH_LEN + 8;       //!< offset of the TTL in the frame
constexpr uint32_t IPV4_CHECKSUM = ETH_LEN + 10; //!< offset of the header checksum
constexpr uint32_t IPV4_DST = ETH_LEN + 16;      //!< offset of the destination address
} // namespace

TypeId
DistributedRouterStage::GetTypeId()
{
    static TypeId tid = TypeId("ns3::DistributedRouterStage")
                            .SetParent<PortStage>()
                            .SetGroupName("OverlayFabric")
                            .AddConstructor<DistributedRouterStage>();
    return tid;
}

void
DistributedRouterStage::SetRouterMac(Mac48Address mac)
{
    m_mac = mac;
    uint8_t b[6];
    mac.CopyTo(b);
    m_routerMac = PortContext::MacToInt(b);
}

Mac48Address
DistributedRouterStage::GetRouterMac() const
{
    return m_mac;
}

void
DistributedRouterStage::AddInterface(uint32_t vni, Ipv4Address gateway)
{
    m_subnetVni[gateway.Get() >> (32 - PREFIX_LENGTH)] = vni;
    m_gateways[vni] = gateway.Get();
}

void
DistributedRouterStage::AddNeighbor(uint32_t vni, Ipv4Address ip, Mac48Address mac)
{
    m_neighbors[uint64_t{vni} << 32 | ip.Get()] = mac;
}

uint64_t
DistributedRouterStage::GetRoutedFrames() const
{
    return m_routed;
}

PortVerdict
DistributedRouterStage::Process(PortContext& ctx)
{
    if (ctx.dstMac != m_routerMac)
    {
        return PortVerdict::Continue();
    }
    auto gateway = m_gateways.find(ctx.vni);
    if (ctx.etherType != ETHERTYPE_IPV4 || ctx.headLength < IPV4_DST + 4 ||
        gateway == m_gateways.end())
    {
        return PortVerdict::Drop(DropReason::NO_LOGICAL_ROUTE);
    }
    const uint8_t* d = ctx.head + IPV4_DST;
    const uint32_t dst = uint32_t{d[0]} << 24 | uint32_t{d[1]} << 16 | uint32_t{d[2]} << 8 | d[3];
    auto subnet = m_subnetVni.find(dst >> (32 - PREFIX_LENGTH));
    if (subnet == m_subnetVni.end() || dst == m_gateways.at(subnet->second))
    {
        return PortVerdict::Drop(DropReason::NO_LOGICAL_ROUTE);
    }
    auto neighbor = m_neighbors.find(uint64_t{subnet->second} << 32 | dst);
    if (neighbor == m_neighbors.end())
    {
        return PortVerdict::Drop(DropReason::NO_LOGICAL_ROUTE);
    }
    if (ctx.head[IPV4_TTL] <= 1)
    {
        return PortVerdict::Drop(DropReason::INNER_TTL_EXPIRED);
    }
    // Rewrite as a router does: new Ethernet addresses, TTL - 1, header checksum again.
    EthernetHeader eth(false);
    ctx.frame->RemoveHeader(eth);
    Ipv4Header ip;
    ctx.frame->RemoveHeader(ip);
    ip.SetTtl(ip.GetTtl() - 1);
    // A header that carried a checksum gets a valid one again; the VMs' ns-3 stacks send none
    // (zero) unless ns-3 checksums are on, and a zero stays zero.
    if (ctx.head[IPV4_CHECKSUM] != 0 || ctx.head[IPV4_CHECKSUM + 1] != 0 || Node::ChecksumEnabled())
    {
        ip.EnableChecksum();
    }
    ctx.frame->AddHeader(ip);
    eth.SetSource(m_mac);
    eth.SetDestination(neighbor->second);
    ctx.frame->AddHeader(eth);
    // The frame goes on on the destination segment: later stages and the L2 lookup see it there.
    ctx.vni = subnet->second;
    ctx.headLength = ctx.frame->CopyData(ctx.head, sizeof(ctx.head));
    ctx.dstMac = PortContext::MacToInt(ctx.head);
    m_routed++;
    return PortVerdict::Continue();
}

} // namespace ns3
