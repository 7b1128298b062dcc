#include "vnic-net-device.h"

#include "ns3/abort.h"
#include "ns3/channel.h"
#include "ns3/ethernet-header.h"
#include "ns3/log.h"
#include "ns3/node.h"
#include "ns3/packet.h"
#include "ns3/uinteger.h"

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("VnicNetDevice");
NS_OBJECT_ENSURE_REGISTERED(VnicNetDevice);

TypeId
VnicNetDevice::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::VnicNetDevice")
            .SetParent<NetDevice>()
            .SetGroupName("OverlayFabric")
            .AddConstructor<VnicNetDevice>()
            .AddAttribute("Mtu",
                          "Inner (VM) MTU in bytes.",
                          UintegerValue(1500),
                          MakeUintegerAccessor(&VnicNetDevice::SetMtu, &VnicNetDevice::GetMtu),
                          MakeUintegerChecker<uint16_t>(576, 9000))
            .AddTraceSource("Sniffer",
                            "Whole Ethernet frames sent or received by the VM.",
                            MakeTraceSourceAccessor(&VnicNetDevice::m_sniffer),
                            "ns3::Packet::TracedCallback")
            .AddTraceSource("MacRx",
                            "A whole Ethernet frame handed to the VM (a mirror filter's "
                            "received side).",
                            MakeTraceSourceAccessor(&VnicNetDevice::m_macRxTrace),
                            "ns3::Packet::TracedCallback")
            .AddTraceSource("Drop",
                            "A frame lost because the vNIC is disconnected (SetLinkUp(false)).",
                            MakeTraceSourceAccessor(&VnicNetDevice::m_dropTrace),
                            "ns3::VnicNetDevice::DropTracedCallback");
    return tid;
}

VnicNetDevice::VnicNetDevice()
    : m_address(Mac48Address::Allocate())
{
}

void
VnicNetDevice::DoDispose()
{
    m_node = nullptr;
    m_toSwitch = MakeNullCallback<void, uint32_t, Ptr<Packet>>();
    m_rxCallback =
        MakeNullCallback<bool, Ptr<NetDevice>, Ptr<const Packet>, uint16_t, const Address&>();
    m_promiscCallback = NetDevice::PromiscReceiveCallback();
    NetDevice::DoDispose();
}

void
VnicNetDevice::Connect(uint32_t port, SwitchPort toSwitch)
{
    m_port = port;
    m_toSwitch = toSwitch;
}

bool
VnicNetDevice::Send(Ptr<Packet> packet, const Address& dest, uint16_t protocolNumber)
{
    return SendFrom(packet, m_address, dest, protocolNumber);
}

bool
VnicNetDevice::SendFrom(Ptr<Packet> packet,
                        const Address& source,
                        const Address& dest,
                        uint16_t protocolNumber)
{
    NS_ABORT_MSG_IF(m_toSwitch.IsNull(), "vNIC not connected to a virtual switch");
    if (!m_linkUp)
    {
        m_dropTrace(packet, DropReason::VNIC_DOWN);
        return false;
    }
    EthernetHeader eth(false);
    eth.SetSource(Mac48Address::ConvertFrom(source));
    eth.SetDestination(Mac48Address::ConvertFrom(dest));
    eth.SetLengthType(protocolNumber);
    packet->AddHeader(eth);
    m_sniffer(packet);
    m_toSwitch(m_port, packet);
    return true;
}

void
VnicNetDevice::Receive(Ptr<Packet> frame)
{
    if (!m_linkUp)
    {
        m_dropTrace(frame, DropReason::VNIC_DOWN);
        return;
    }
    m_sniffer(frame);
    if (!m_macRxTrace.IsEmpty()) // a mirrored port's only: no Ptr copy on every other frame
    {
        m_macRxTrace(frame);
    }
    EthernetHeader eth(false);
    frame->RemoveHeader(eth);
    Mac48Address dst = eth.GetDestination();
    NetDevice::PacketType type = dst.IsBroadcast()  ? NetDevice::PACKET_BROADCAST
                                 : dst.IsGroup()    ? NetDevice::PACKET_MULTICAST
                                 : dst == m_address ? NetDevice::PACKET_HOST
                                                    : NetDevice::PACKET_OTHERHOST;
    if (!m_promiscCallback.IsNull())
    {
        m_promiscCallback(this, frame, eth.GetLengthType(), eth.GetSource(), dst, type);
    }
    if (type != NetDevice::PACKET_OTHERHOST)
    {
        m_rxCallback(this, frame, eth.GetLengthType(), eth.GetSource());
    }
}

void
VnicNetDevice::SetIfIndex(const uint32_t index)
{
    m_ifIndex = index;
}

uint32_t
VnicNetDevice::GetIfIndex() const
{
    return m_ifIndex;
}

Ptr<Channel>
VnicNetDevice::GetChannel() const
{
    return nullptr;
}

void
VnicNetDevice::SetAddress(Address address)
{
    m_address = Mac48Address::ConvertFrom(address);
}

Address
VnicNetDevice::GetAddress() const
{
    return m_address;
}

bool
VnicNetDevice::SetMtu(const uint16_t mtu)
{
    m_mtu = mtu;
    return true;
}

uint16_t
VnicNetDevice::GetMtu() const
{
    return m_mtu;
}

bool
VnicNetDevice::IsLinkUp() const
{
    return m_linkUp;
}

void
VnicNetDevice::SetLinkUp(bool up)
{
    if (up == m_linkUp)
    {
        return;
    }
    m_linkUp = up;
    m_linkChange();
}

void
VnicNetDevice::AddLinkChangeCallback(Callback<void> callback)
{
    m_linkChange.ConnectWithoutContext(callback);
}

bool
VnicNetDevice::IsBroadcast() const
{
    return true;
}

Address
VnicNetDevice::GetBroadcast() const
{
    return Mac48Address::GetBroadcast();
}

bool
VnicNetDevice::IsMulticast() const
{
    return true;
}

Address
VnicNetDevice::GetMulticast(Ipv4Address multicastGroup) const
{
    return Mac48Address::GetMulticast(multicastGroup);
}

Address
VnicNetDevice::GetMulticast(Ipv6Address addr) const
{
    return Mac48Address::GetMulticast(addr);
}

bool
VnicNetDevice::IsBridge() const
{
    return false;
}

bool
VnicNetDevice::IsPointToPoint() const
{
    return false;
}

Ptr<Node>
VnicNetDevice::GetNode() const
{
    return m_node;
}

void
VnicNetDevice::SetNode(Ptr<Node> node)
{
    m_node = node;
}

bool
VnicNetDevice::NeedsArp() const
{
    return true;
}

void
VnicNetDevice::SetReceiveCallback(NetDevice::ReceiveCallback cb)
{
    m_rxCallback = cb;
}

void
VnicNetDevice::SetPromiscReceiveCallback(PromiscReceiveCallback cb)
{
    m_promiscCallback = cb;
}

bool
VnicNetDevice::SupportsSendFrom() const
{
    return true;
}

} // namespace ns3
