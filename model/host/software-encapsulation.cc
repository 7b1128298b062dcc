#include "software-encapsulation.h"

#include "five-tuple.h"
#include "geneve-header.h"
#include "nsh-header.h"
#include "vxlan-header.h"

#include "ns3/abort.h"
#include "ns3/ipv4-header.h"
#include "ns3/log.h"
#include "ns3/udp-header.h"

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("SoftwareEncapsulation");
NS_OBJECT_ENSURE_REGISTERED(SoftwareEncapsulation);

namespace
{
constexpr uint32_t ETH_LEN = 14;
constexpr uint32_t UDP_LEN = 8;
constexpr uint8_t IP_PROTO_UDP = 17;
} // namespace

TypeId
SoftwareEncapsulation::GetTypeId()
{
    static TypeId tid = TypeId("ns3::SoftwareEncapsulation")
                            .SetParent<EncapsulationStrategy>()
                            .SetGroupName("OverlayFabric")
                            .AddConstructor<SoftwareEncapsulation>();
    return tid;
}

SoftwareEncapsulation::SoftwareEncapsulation() = default;

void
SoftwareEncapsulation::Encapsulate(Ptr<Packet> frame,
                                   const TunnelTxInfo& tx,
                                   const Ptr<HostNic>& /* nic */)
{
    AddTunnelHeaders(frame, tx, m_protocol);
}

bool
SoftwareEncapsulation::Decapsulate(Ptr<Packet> frame,
                                   Ipv4Address local,
                                   const Ptr<HostNic>& /* nic */,
                                   TunnelRxInfo& rx)
{
    return StripTunnelHeaders(frame, local, m_protocol, rx);
}

void
SoftwareEncapsulation::AddTunnelHeaders(const Ptr<Packet>& frame,
                                        const TunnelTxInfo& tx,
                                        Vtep::Encap protocol)
{
    const uint16_t udpPort = Vtep::TunnelUdpPort(protocol);
    if (protocol == Vtep::GENEVE)
    {
        GeneveHeader geneve;
        geneve.SetVni(tx.vni);
        geneve.SetOam(tx.oam);
        geneve.SetProtocolType(tx.nsh ? NshHeader::ETHERTYPE : GeneveHeader::PROTOCOL_TEB);
        frame->AddHeader(geneve);
    }
    else
    {
        // VXLAN has no protocol field: chains are refused with it before a run is built.
        NS_ABORT_MSG_IF(tx.nsh, "NSH over plain VXLAN (it needs VXLAN-GPE or GENEVE)");
        VxlanHeader vxlan;
        vxlan.SetVni(tx.vni);
        frame->AddHeader(vxlan);
    }
    UdpHeader udp;
    udp.SetSourcePort(tx.sourcePort != 0 ? tx.sourcePort : TunnelSourcePort(tx.flowHash));
    udp.SetDestinationPort(udpPort);
    frame->AddHeader(udp); // length from the payload; checksum 0 (RFC 7348 / RFC 8926, IPv4)

    Ipv4Header ip;
    ip.SetSource(tx.source);
    ip.SetDestination(tx.destination);
    ip.SetProtocol(IP_PROTO_UDP);
    ip.SetTtl(tx.ttl);
    ip.SetPayloadSize(frame->GetSize());
    ip.SetIdentification(tx.identification);
    ip.SetDontFragment();
    ip.EnableChecksum();
    frame->AddHeader(ip);
}

bool
SoftwareEncapsulation::StripTunnelHeaders(const Ptr<Packet>& frame,
                                          Ipv4Address local,
                                          Vtep::Encap protocol,
                                          TunnelRxInfo& rx)
{
    constexpr uint32_t MAX_TUNNEL = 8 + 252;
    uint8_t b[ETH_LEN + 60 + UDP_LEN + MAX_TUNNEL];
    uint32_t n = frame->CopyData(b, ETH_LEN + 60 + UDP_LEN + 8);
    if (n < ETH_LEN + 20 + UDP_LEN || b[12] != 0x08 || b[13] != 0x00 || (b[14] >> 4) != 4)
    {
        rx.reason = DropReason::MALFORMED;
        return false;
    }
    uint32_t ihl = (b[14] & 0x0f) * 4u;
    if (ihl < 20 || n < ETH_LEN + ihl + UDP_LEN)
    {
        rx.reason = DropReason::MALFORMED;
        return false;
    }
    const uint8_t* ipb = b + ETH_LEN;
    uint32_t dst =
        uint32_t{ipb[16]} << 24 | uint32_t{ipb[17]} << 16 | uint32_t{ipb[18]} << 8 | ipb[19];
    const uint8_t* udpb = ipb + ihl;
    uint16_t dport = static_cast<uint16_t>(udpb[2] << 8 | udpb[3]);
    const bool geneve = protocol == Vtep::GENEVE;
    rx.destination = dst;
    if (dst != local.Get() || ipb[9] != IP_PROTO_UDP ||
        dport != (geneve ? GeneveHeader::UDP_PORT : VxlanHeader::UDP_PORT))
    {
        rx.reason = DropReason::NOT_FOR_US;
        return false;
    }
    uint32_t outerLen = ETH_LEN + ihl + UDP_LEN;
    uint32_t tunnelLen;
    rx.oam = false;
    rx.nsh = false;
    if (geneve)
    {
        uint32_t optWords = n > outerLen ? (b[outerLen] & 0x3f) : 0;
        if (optWords > 0)
        {
            n = frame->CopyData(b, outerLen + 8 + optWords * 4);
        }
        GeneveHeader header;
        tunnelLen = GeneveHeader::ParseFrom(b + outerLen, n - outerLen, header);
        const uint16_t protocol = header.GetProtocolType();
        if (tunnelLen == 0 ||
            (protocol != GeneveHeader::PROTOCOL_TEB && protocol != NshHeader::ETHERTYPE))
        {
            rx.reason = DropReason::MALFORMED;
            return false;
        }
        rx.vni = header.GetVni();
        rx.oam = header.GetOam();
        rx.nsh = protocol == NshHeader::ETHERTYPE;
    }
    else
    {
        VxlanHeader header;
        tunnelLen = VxlanHeader::ParseFrom(b + outerLen, n - outerLen, header);
        if (tunnelLen == 0)
        {
            rx.reason = DropReason::MALFORMED;
            return false;
        }
        rx.vni = header.GetVni();
    }
    rx.source =
        uint32_t{ipb[12]} << 24 | uint32_t{ipb[13]} << 16 | uint32_t{ipb[14]} << 8 | ipb[15];
    rx.entropy = static_cast<uint16_t>(udpb[0] << 8 | udpb[1]);
    frame->RemoveAtStart(outerLen + tunnelLen);
    return true;
}

} // namespace ns3
