#include "host-nic.h"

#include "fabric-net-device.h"
#include "vtep.h"

#include "ns3/ethernet-header.h"
#include "ns3/log.h"

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("HostNic");
NS_OBJECT_ENSURE_REGISTERED(HostNic);

namespace
{
constexpr uint16_t ETHERTYPE_IPV4 = 0x0800;
} // namespace

TypeId
HostNic::GetTypeId()
{
    static TypeId tid = TypeId("ns3::HostNic")
                            .SetParent<Object>()
                            .SetGroupName("OverlayFabric")
                            .AddConstructor<HostNic>();
    return tid;
}

HostNic::HostNic() = default;

void
HostNic::DoDispose()
{
    m_device = nullptr;
    m_vtep = nullptr;
    Object::DoDispose();
}

void
HostNic::SetDevice(Ptr<FabricNetDevice> device)
{
    m_device = device;
    m_device->SetFrameHandler(MakeCallback(&HostNic::Receive, this));
}

Ptr<FabricNetDevice>
HostNic::GetDevice() const
{
    return m_device;
}

void
HostNic::SetVtep(Ptr<Vtep> vtep, uint32_t uplink)
{
    m_vtep = vtep;
    m_uplink = uplink;
}

uint32_t
HostNic::GetUplinkIndex() const
{
    return m_uplink;
}

bool
HostNic::Send(Ptr<Packet> packet)
{
    return SendTo(packet, m_device->GetPeerMacAddress());
}

bool
HostNic::SendMulticast(const Ptr<Packet>& packet, Ipv4Address group)
{
    return SendTo(packet, Mac48Address::GetMulticast(group));
}

bool
HostNic::SendTo(const Ptr<Packet>& packet, const Mac48Address& destination)
{
    // What FabricNetDevice::Send does, without the round trip through ns3::Address.
    EthernetHeader eth;
    eth.SetSource(m_device->GetMacAddress());
    eth.SetDestination(destination);
    eth.SetLengthType(ETHERTYPE_IPV4);
    packet->AddHeader(eth);
    return m_device->SendFrame(packet);
}

bool
HostNic::IsLinkUp() const
{
    return m_device->IsLinkUp();
}

void
HostNic::AddLinkChangeCallback(Callback<void> callback)
{
    m_device->AddLinkChangeCallback(callback);
}

void
HostNic::Receive(Ptr<FabricNetDevice> device, Ptr<Packet> frame)
{
    m_vtep->Receive(m_uplink, frame);
}

} // namespace ns3
