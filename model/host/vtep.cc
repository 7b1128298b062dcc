#include "vtep.h"

#include "fabric-net-device.h"
#include "geneve-header.h"
#include "virtual-switch.h"
#include "vxlan-header.h"

#include "ns3/abort.h"
#include "ns3/enum.h"
#include "ns3/ipv4-header.h"
#include "ns3/log.h"
#include "ns3/packet.h"
#include "ns3/udp-header.h"
#include "ns3/uinteger.h"

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("Vtep");
NS_OBJECT_ENSURE_REGISTERED(Vtep);

namespace
{
constexpr uint16_t ETHERTYPE_IPV4 = 0x0800;
constexpr uint32_t ETH_LEN = 14;
constexpr uint32_t UDP_LEN = 8;
} // namespace

TypeId
Vtep::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::Vtep")
            .SetParent<Object>()
            .SetGroupName("OverlayFabric")
            .AddConstructor<Vtep>()
            .AddAttribute("Encapsulation",
                          "Tunnel encapsulation.",
                          EnumValue(Vtep::GENEVE),
                          MakeEnumAccessor(&Vtep::m_encap),
                          MakeEnumChecker(Vtep::GENEVE, "Geneve", Vtep::VXLAN, "Vxlan"))
            .AddAttribute("Ttl",
                          "Outer IPv4 TTL.",
                          UintegerValue(64),
                          MakeUintegerAccessor(&Vtep::m_ttl),
                          MakeUintegerChecker<uint8_t>(1))
            .AddTraceSource("Drop",
                            "A packet dropped by the VTEP, with the reason.",
                            MakeTraceSourceAccessor(&Vtep::m_dropTrace),
                            "ns3::Vtep::DropTracedCallback")
            .AddTraceSource("UplinkTx",
                            "An encapsulated data packet handed to an uplink (packet, uplink).",
                            MakeTraceSourceAccessor(&Vtep::m_uplinkTxTrace),
                            "ns3::Vtep::UplinkTxTracedCallback")
            .AddTraceSource("OamTx",
                            "An OAM packet handed to an uplink (packet, kind).",
                            MakeTraceSourceAccessor(&Vtep::m_oamTxTrace),
                            "ns3::Vtep::OamTxTracedCallback");
    return tid;
}

Vtep::Vtep()
    : m_mac(Mac48Address::Allocate())
{
}

void
Vtep::DoDispose()
{
    m_vswitch = nullptr;
    m_selector = nullptr;
    m_uplinks.clear();
    m_oamHandler = OamHandler();
    Object::DoDispose();
}

void
Vtep::SetLocalAddress(Ipv4Address address)
{
    m_address = address;
}

Ipv4Address
Vtep::GetLocalAddress() const
{
    return m_address;
}

void
Vtep::SetVirtualSwitch(Ptr<VirtualSwitch> vswitch)
{
    m_vswitch = vswitch;
}

void
Vtep::SetUplinkSelector(Ptr<UplinkSelector> selector)
{
    NS_ABORT_MSG_IF(m_uplinks.empty() || !m_tunnels.empty(),
                    "set the selector after the uplinks and before the tunnels");
    m_selector = selector;
    m_selector->SetUplinkCount(m_uplinks.size());
    for (uint32_t i = 0; i < m_uplinks.size(); ++i)
    {
        m_selector->SetCarrier(i, m_uplinks[i]->IsLinkUp());
    }
}

Mac48Address
Vtep::GetMacAddress() const
{
    return m_mac;
}

uint32_t
Vtep::AddTunnel(Ipv4Address remote)
{
    auto it = m_tunnelOf.find(remote.Get());
    if (it != m_tunnelOf.end())
    {
        return it->second;
    }
    NS_ABORT_MSG_IF(!m_selector, "set the uplink selector before adding tunnels");
    uint32_t index = m_selector->AddTunnel();
    NS_ASSERT(index == m_tunnels.size());
    m_tunnels.push_back(remote);
    m_tunnelOf[remote.Get()] = index;
    return index;
}

uint32_t
Vtep::GetTunnelCount() const
{
    return m_tunnels.size();
}

Ipv4Address
Vtep::GetTunnelRemote(uint32_t tunnel) const
{
    return m_tunnels.at(tunnel);
}

void
Vtep::SetOamHandler(OamHandler handler)
{
    m_oamHandler = handler;
}

Ptr<UplinkSelector>
Vtep::GetUplinkSelector() const
{
    return m_selector;
}

const std::vector<Ptr<FabricNetDevice>>&
Vtep::GetUplinks() const
{
    return m_uplinks;
}

uint32_t
Vtep::AddUplink(Ptr<FabricNetDevice> uplink)
{
    uint32_t index = m_uplinks.size();
    m_uplinks.push_back(uplink);
    uplink->SetFrameHandler(MakeCallback(&Vtep::Receive, this));
    uplink->AddLinkChangeCallback(MakeBoundCallback(
        +[](Vtep* vtep, uint32_t i) { vtep->CarrierChanged(i); },
        this,
        index));
    return index;
}

void
Vtep::CarrierChanged(uint32_t uplink)
{
    bool up = m_uplinks[uplink]->IsLinkUp();
    NS_LOG_INFO(m_address << " uplink " << uplink << (up ? " carrier up" : " carrier lost"));
    m_selector->SetCarrier(uplink, up);
}

void
Vtep::Drop(Ptr<const Packet> packet, DropReason reason)
{
    NS_LOG_LOGIC("drop " << ToString(reason));
    m_dropTrace(packet, reason);
}

void
Vtep::Encapsulate(Ptr<Packet> frame, uint32_t vni, uint32_t tunnel, uint32_t innerFlowHash)
{
    uint32_t uplink = m_selector->Select(tunnel, innerFlowHash);
    if (uplink == UplinkSelector::NO_UPLINK)
    {
        Drop(frame, DropReason::NO_UPLINK);
        return;
    }
    SendOn(frame, vni, false, tunnel, uplink, innerFlowHash);
}

void
Vtep::SendOam(Ptr<Packet> frame, uint32_t tunnel, uint32_t uplink, uint32_t flowHash, OamKind kind)
{
    if (uplink == UplinkSelector::NO_UPLINK)
    {
        uplink = m_selector->Select(tunnel, flowHash);
        if (uplink == UplinkSelector::NO_UPLINK)
        {
            Drop(frame, DropReason::NO_UPLINK);
            return;
        }
    }
    SendOn(frame, 0, true, tunnel, uplink, flowHash);
    m_oamTxTrace(frame, kind);
}

void
Vtep::SendOn(Ptr<Packet> frame,
             uint32_t vni,
             bool oam,
             uint32_t tunnel,
             uint32_t uplink,
             uint32_t flowHash)
{
    uint16_t udpPort;
    if (m_encap == GENEVE)
    {
        GeneveHeader geneve;
        geneve.SetVni(vni);
        geneve.SetOam(oam);
        geneve.SetProtocolType(GeneveHeader::PROTOCOL_TEB);
        frame->AddHeader(geneve);
        udpPort = GeneveHeader::UDP_PORT;
    }
    else
    {
        VxlanHeader vxlan;
        vxlan.SetVni(vni);
        frame->AddHeader(vxlan);
        udpPort = VxlanHeader::UDP_PORT;
    }
    UdpHeader udp;
    udp.SetSourcePort(static_cast<uint16_t>(49152 + flowHash % 16384));
    udp.SetDestinationPort(udpPort);
    frame->AddHeader(udp); // length from the payload; checksum 0 (RFC 7348 / RFC 8926, IPv4)

    Ipv4Header ip;
    ip.SetSource(m_address);
    ip.SetDestination(m_tunnels[tunnel]);
    ip.SetProtocol(17);
    ip.SetTtl(m_ttl);
    ip.SetPayloadSize(frame->GetSize());
    ip.SetIdentification(m_ipId++);
    ip.SetDontFragment();
    ip.EnableChecksum();
    frame->AddHeader(ip);

    if (!oam)
    {
        m_uplinkTxTrace(frame, uplink);
    }
    Ptr<FabricNetDevice> dev = m_uplinks[uplink];
    // The device reports its own drops (carrier, queue, MTU, faults) through its Drop trace.
    dev->Send(frame, dev->GetPeerMacAddress(), ETHERTYPE_IPV4);
}

void
Vtep::Receive(Ptr<FabricNetDevice> device, Ptr<Packet> frame)
{
    // Outer Ethernet + IPv4 (options allowed) + UDP + tunnel header (+ GENEVE options, copied
    // only when the header declares some): stack buffers, no allocation per packet.
    constexpr uint32_t MAX_TUNNEL = 8 + 252;
    uint8_t b[ETH_LEN + 60 + UDP_LEN + MAX_TUNNEL];
    uint32_t n = frame->CopyData(b, ETH_LEN + 60 + UDP_LEN + 8);
    if (n < ETH_LEN + 20 + UDP_LEN || b[12] != 0x08 || b[13] != 0x00 || (b[14] >> 4) != 4)
    {
        Drop(frame, DropReason::MALFORMED);
        return;
    }
    uint32_t ihl = (b[14] & 0x0f) * 4u;
    if (ihl < 20 || n < ETH_LEN + ihl + UDP_LEN)
    {
        Drop(frame, DropReason::MALFORMED);
        return;
    }
    const uint8_t* ipb = b + ETH_LEN;
    uint32_t dst =
        uint32_t{ipb[16]} << 24 | uint32_t{ipb[17]} << 16 | uint32_t{ipb[18]} << 8 | ipb[19];
    const uint8_t* udpb = ipb + ihl;
    uint16_t dport = static_cast<uint16_t>(udpb[2] << 8 | udpb[3]);
    if (dst != m_address.Get() || ipb[9] != 17 ||
        dport != (m_encap == GENEVE ? GeneveHeader::UDP_PORT : VxlanHeader::UDP_PORT))
    {
        Drop(frame, DropReason::NOT_FOR_US);
        return;
    }
    uint32_t outerLen = ETH_LEN + ihl + UDP_LEN;
    uint32_t vni;
    uint32_t tunnelLen;
    bool oam = false;
    if (m_encap == GENEVE)
    {
        uint32_t optWords = n > outerLen ? (b[outerLen] & 0x3f) : 0;
        if (optWords > 0)
        {
            n = frame->CopyData(b, outerLen + 8 + optWords * 4);
        }
        GeneveHeader geneve;
        tunnelLen = GeneveHeader::ParseFrom(b + outerLen, n - outerLen, geneve);
        if (tunnelLen == 0 || geneve.GetProtocolType() != GeneveHeader::PROTOCOL_TEB)
        {
            Drop(frame, DropReason::MALFORMED);
            return;
        }
        vni = geneve.GetVni();
        oam = geneve.GetOam();
    }
    else
    {
        VxlanHeader vxlan;
        tunnelLen = VxlanHeader::ParseFrom(b + outerLen, n - outerLen, vxlan);
        if (tunnelLen == 0)
        {
            Drop(frame, DropReason::MALFORMED);
            return;
        }
        vni = vxlan.GetVni();
    }
    frame->RemoveAtStart(outerLen + tunnelLen);
    if (oam || vni == 0)
    {
        // Monitoring only: never handed to the virtual switch, so no VM sees it.
        uint32_t src =
            uint32_t{ipb[12]} << 24 | uint32_t{ipb[13]} << 16 | uint32_t{ipb[14]} << 8 | ipb[15];
        auto tunnel = m_tunnelOf.find(src);
        if (tunnel == m_tunnelOf.end() || m_oamHandler.IsNull())
        {
            Drop(frame, DropReason::NOT_FOR_US);
            return;
        }
        uint32_t uplink = 0;
        while (m_uplinks[uplink] != device)
        {
            ++uplink; // at most the number of uplinks, and only on the OAM path
        }
        m_oamHandler(tunnel->second, uplink, frame);
        return;
    }
    m_vswitch->FromTunnel(vni, frame);
}

} // namespace ns3
