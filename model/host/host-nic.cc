#include "host-nic.h"

#include "fabric-net-device.h"

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
    m_receive = ReceiveCallback();
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
HostNic::SetReceiveCallback(ReceiveCallback callback)
{
    m_receive = callback;
}

bool
HostNic::Send(Ptr<Packet> packet)
{
    return m_device->Send(packet, m_device->GetPeerMacAddress(), ETHERTYPE_IPV4);
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
    m_receive(frame);
}

} // namespace ns3
