#include "virtual-switch.h"

#include "flow-tag.h"
#include "vnic-net-device.h"
#include "vtep.h"

#include "ns3/arp-header.h"
#include "ns3/ethernet-header.h"
#include "ns3/log.h"
#include "ns3/node.h"
#include "ns3/simulator.h"

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("VirtualSwitch");
NS_OBJECT_ENSURE_REGISTERED(VirtualSwitch);

TypeId
VirtualSwitch::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::VirtualSwitch")
            .SetParent<Object>()
            .SetGroupName("OverlayFabric")
            .AddConstructor<VirtualSwitch>()
            .AddTraceSource("Drop",
                            "A frame dropped by the virtual switch, with the reason.",
                            MakeTraceSourceAccessor(&VirtualSwitch::m_dropTrace),
                            "ns3::VirtualSwitch::DropTracedCallback")
            .AddTraceSource("FlowTx",
                            "A packet of a measured flow left its VM (FlowTag attached).",
                            MakeTraceSourceAccessor(&VirtualSwitch::m_flowTxTrace),
                            "ns3::Packet::TracedCallback")
            .AddTraceSource("FlowRx",
                            "A packet of a measured flow was handed to its destination vNIC.",
                            MakeTraceSourceAccessor(&VirtualSwitch::m_flowRxTrace),
                            "ns3::Packet::TracedCallback");
    return tid;
}

VirtualSwitch::VirtualSwitch() = default;

void
VirtualSwitch::DoDispose()
{
    m_vtep = nullptr;
    m_ports.clear();
    Object::DoDispose();
}

void
VirtualSwitch::SetVtep(Ptr<Vtep> vtep)
{
    m_vtep = vtep;
}

uint64_t
VirtualSwitch::MacToInt(const uint8_t* b)
{
    uint64_t v = 0;
    for (int i = 0; i < 6; ++i)
    {
        v = (v << 8) | b[i];
    }
    return v;
}

uint32_t
VirtualSwitch::AddPort(Ptr<VnicNetDevice> vnic, uint32_t vni)
{
    uint32_t port = m_ports.size();
    m_ports.push_back(vnic);
    m_portVni.push_back(vni);
    vnic->Connect(port, MakeCallback(&VirtualSwitch::FromVnic, this));
    uint8_t mac[6];
    Mac48Address::ConvertFrom(vnic->GetAddress()).CopyTo(mac);
    m_l2[L2Key{vni, MacToInt(mac)}] = L2Entry{true, port};
    return port;
}

void
VirtualSwitch::AddRemoteEntry(uint32_t vni, Mac48Address mac, uint32_t tunnel)
{
    uint8_t b[6];
    mac.CopyTo(b);
    m_l2[L2Key{vni, MacToInt(b)}] = L2Entry{false, tunnel};
}

void
VirtualSwitch::AddArpEntry(uint32_t vni, Ipv4Address ip, Mac48Address mac)
{
    m_arp[L2Key{vni, ip.Get()}] = mac;
}

void
VirtualSwitch::RegisterFlow(const FiveTuple& key, uint32_t flowId)
{
    m_flows[key] = FlowState{flowId, 0};
}

void
VirtualSwitch::Drop(Ptr<const Packet> frame, DropReason reason)
{
    NS_LOG_LOGIC("drop " << ToString(reason));
    m_dropTrace(frame, reason);
}

void
VirtualSwitch::FromVnic(uint32_t port, Ptr<Packet> frame)
{
    uint32_t vni = m_portVni[port];
    uint8_t eth[14];
    if (frame->CopyData(eth, 14) < 14)
    {
        Drop(frame, DropReason::MALFORMED);
        return;
    }
    uint16_t type = static_cast<uint16_t>(eth[12] << 8 | eth[13]);
    if (type == 0x0806)
    {
        HandleArp(port, vni, frame);
        return;
    }
    FiveTuple key;
    uint32_t flowHash = 0;
    if (ParseFiveTuple(frame, key))
    {
        flowHash = FlowEntropy(key);
        if (!m_flows.empty())
        {
            auto f = m_flows.find(key);
            if (f != m_flows.end())
            {
                frame->AddPacketTag(FlowTag(f->second.id, f->second.nextSeq++, Simulator::Now()));
                m_flowTxTrace(frame);
            }
        }
    }
    auto it = m_l2.find(L2Key{vni, MacToInt(eth)});
    if (it == m_l2.end())
    {
        Drop(frame, DropReason::UNKNOWN_DESTINATION);
        return;
    }
    if (it->second.local)
    {
        m_flowRxTrace(frame);
        Deliver(it->second.index, frame);
        return;
    }
    m_vtep->Encapsulate(frame, vni, it->second.index, flowHash);
}

void
VirtualSwitch::FromTunnel(uint32_t vni, Ptr<Packet> frame)
{
    uint8_t dst[6];
    if (frame->CopyData(dst, 6) < 6)
    {
        Drop(frame, DropReason::MALFORMED);
        return;
    }
    auto it = m_l2.find(L2Key{vni, MacToInt(dst)});
    if (it == m_l2.end() || !it->second.local)
    {
        Drop(frame, DropReason::UNKNOWN_DESTINATION);
        return;
    }
    m_flowRxTrace(frame);
    Deliver(it->second.index, frame);
}

void
VirtualSwitch::Deliver(uint32_t port, Ptr<Packet> frame)
{
    Ptr<VnicNetDevice> vnic = m_ports[port];
    Simulator::ScheduleWithContext(vnic->GetNode()->GetId(),
                                   Time(0),
                                   &VnicNetDevice::Receive,
                                   vnic,
                                   frame);
}

void
VirtualSwitch::HandleArp(uint32_t port, uint32_t vni, Ptr<Packet> frame)
{
    Ptr<Packet> copy = frame->Copy();
    EthernetHeader eth(false);
    ArpHeader arp;
    copy->RemoveHeader(eth);
    if (copy->GetSize() < 28)
    {
        Drop(frame, DropReason::MALFORMED);
        return;
    }
    copy->RemoveHeader(arp);
    if (!arp.IsRequest())
    {
        // Replies are never needed: every request is answered here.
        Drop(frame, DropReason::UNKNOWN_DESTINATION);
        return;
    }
    auto it = m_arp.find(L2Key{vni, arp.GetDestinationIpv4Address().Get()});
    if (it == m_arp.end())
    {
        Drop(frame, DropReason::UNKNOWN_DESTINATION);
        return;
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
    replyEth.SetLengthType(0x0806);
    out->AddHeader(replyEth);
    Deliver(port, out);
}

} // namespace ns3
