#include "fabric-channel.h"

#include "ns3/log.h"
#include "ns3/simulator.h"
#include "ns3/trace-source-accessor.h"

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("FabricChannel");

NS_OBJECT_ENSURE_REGISTERED(FabricChannel);

TypeId
FabricChannel::GetTypeId()
{
    static TypeId tid = TypeId("ns3::FabricChannel")
                            .SetParent<Channel>()
                            .SetGroupName("OverlayFabric")
                            .AddConstructor<FabricChannel>()
                            .AddAttribute("Delay",
                                          "One-way propagation delay of the link",
                                          TimeValue(MicroSeconds(1)),
                                          MakeTimeAccessor(&FabricChannel::m_delay),
                                          MakeTimeChecker(Seconds(0)))
                            .AddTraceSource("CarrierChanged",
                                            "The carrier of the link went up or down",
                                            MakeTraceSourceAccessor(&FabricChannel::m_carrierTrace),
                                            "ns3::FabricChannel::CarrierTracedCallback");
    return tid;
}

FabricChannel::FabricChannel()
{
    NS_LOG_FUNCTION(this);
}

bool
FabricChannel::Attach(Ptr<FabricNetDevice> device)
{
    NS_LOG_FUNCTION(this << device);
    if (m_nDevices >= 2 || !device)
    {
        return false;
    }
    m_devices[m_nDevices++] = device;
    if (m_nDevices == 2)
    {
        m_devices[0]->SetPeer(m_devices[1]);
        m_devices[1]->SetPeer(m_devices[0]);
    }
    return true;
}

std::size_t
FabricChannel::GetNDevices() const
{
    return m_nDevices;
}

Ptr<NetDevice>
FabricChannel::GetDevice(std::size_t i) const
{
    return GetFabricDevice(i);
}

Ptr<FabricNetDevice>
FabricChannel::GetFabricDevice(std::size_t i) const
{
    return i < m_nDevices ? m_devices[i] : nullptr;
}

void
FabricChannel::SetDelay(Time delay)
{
    NS_LOG_FUNCTION(this << delay);
    m_delay = delay;
}

void
FabricChannel::SetCarrier(bool up)
{
    NS_LOG_FUNCTION(this << up);
    if (up == m_carrier)
    {
        return;
    }
    m_carrier = up;
    if (!up)
    {
        ++m_epoch;
    }
    // State first, then notifications: every callback sees both ends in the new state.
    for (std::size_t i = 0; i < m_nDevices; ++i)
    {
        m_devices[i]->CarrierChanged(up);
    }
    for (std::size_t i = 0; i < m_nDevices; ++i)
    {
        m_devices[i]->NotifyLinkChange();
    }
    m_carrierTrace(up);
}

void
FabricChannel::DoDispose()
{
    NS_LOG_FUNCTION(this);
    m_devices[0] = nullptr;
    m_devices[1] = nullptr;
    m_nDevices = 0;
    Channel::DoDispose();
}

} // namespace ns3
