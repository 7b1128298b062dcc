#include "arp-suppression-stage.h"

#include "virtual-switch.h"

#include "ns3/arp-header.h"
#include "ns3/ethernet-header.h"
#include "ns3/log.h"

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("ArpSuppressionStage");
NS_OBJECT_ENSURE_REGISTERED(ArpSuppressionStage);

namespace
{
constexpr uint16_t ETHERTYPE_ARP = 0x0806;
constexpr uint32_t ARP_LEN = 28;
} // namespace

TypeId
ArpSuppressionStage::GetTypeId()
{
    static TypeId tid = TypeId("ns3::ArpSuppressionStage")
                            .SetParent<PortStage>()
                            .SetGroupName("OverlayFabric")
                            .AddConstructor<ArpSuppressionStage>();
    return tid;
}

void
ArpSuppressionStage::AddEntry(uint32_t vni, Ipv4Address ip, Mac48Address mac)
{
    m_table[Key{vni, ip.Get()}] = mac;
}

uint32_t
ArpSuppressionStage::GetSize() const
{
    return m_table.size();
}

PortVerdict
ArpSuppressionStage::Process(PortContext& ctx)
{
    if (ctx.etherType != ETHERTYPE_ARP)
    {
        return PortVerdict::Continue();
    }
    Ptr<Packet> copy = ctx.frame->Copy();
    EthernetHeader eth(false);
    ArpHeader arp;
    copy->RemoveHeader(eth);
    if (copy->GetSize() < ARP_LEN)
    {
        return PortVerdict::Drop(DropReason::MALFORMED);
    }
    copy->RemoveHeader(arp);
    if (!arp.IsRequest())
    {
        return PortVerdict::Continue(); // the answer to a VF's VM (its request came by tunnel)
    }
    auto it = m_table.find(Key{ctx.vni, arp.GetDestinationIpv4Address().Get()});
    if (it == m_table.end())
    {
        return PortVerdict::Drop(DropReason::UNKNOWN_DESTINATION);
    }
    Mac48Address requester = Mac48Address::ConvertFrom(arp.GetSourceHardwareAddress());
    ArpHeader reply;
    reply.SetReply(it->second,
                   arp.GetDestinationIpv4Address(),
                   requester,
                   arp.GetSourceIpv4Address());
    Ptr<Packet> out = Create<Packet>();
    out->AddHeader(reply);
    EthernetHeader replyEth(false);
    replyEth.SetSource(it->second);
    replyEth.SetDestination(requester);
    replyEth.SetLengthType(ETHERTYPE_ARP);
    out->AddHeader(replyEth);
    NS_LOG_LOGIC("ARP reply on port " << ctx.port);
    ctx.vswitch->ReplyToPort(ctx.port, out);
    return PortVerdict::Consumed();
}

} // namespace ns3
