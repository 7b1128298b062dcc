#include "virtual-function.h"

#include "offload-nic.h"

#include "ns3/simulator.h"

namespace ns3
{

NS_OBJECT_ENSURE_REGISTERED(VirtualFunction);

TypeId
VirtualFunction::GetTypeId()
{
    static TypeId tid = TypeId("ns3::VirtualFunction")
                            .SetParent<Object>()
                            .SetGroupName("OverlayFabric")
                            .AddConstructor<VirtualFunction>();
    return tid;
}

VirtualFunction::VirtualFunction() = default;

void
VirtualFunction::DoDispose()
{
    m_pf = nullptr;
    m_table = nullptr;
    m_toVm = ReceiveCallback();
    m_miss = Callback<void, uint32_t, uint64_t>();
    Object::DoDispose();
}

void
VirtualFunction::Configure(Ptr<OffloadNic> pf,
                           Mac48Address mac,
                           uint32_t vni,
                           uint16_t sourcePort,
                           Ptr<NicMappingTable> table)
{
    m_pf = pf;
    m_mac = mac;
    m_macInt = NicMappingTable::MacToInt(mac);
    m_vni = vni;
    m_sourcePort = sourcePort;
    m_table = table;
}

void
VirtualFunction::SetReceiveCallback(ReceiveCallback callback)
{
    m_toVm = callback;
}

void
VirtualFunction::SetMissCallback(Callback<void, uint32_t, uint64_t> callback)
{
    m_miss = callback;
}

void
VirtualFunction::RaiseMiss(uint32_t vni, uint64_t mac)
{
    if (!m_miss.IsNull())
    {
        m_miss(vni, mac);
    }
}

void
VirtualFunction::Send(Ptr<Packet> frame)
{
    m_pf->SendFromVf(*this, frame);
}

void
VirtualFunction::Deliver(Ptr<Packet> frame)
{
    ++m_counters.rxDelivered;
    m_toVm(frame);
}

Mac48Address
VirtualFunction::GetMac() const
{
    return m_mac;
}

Ptr<OffloadNic>
VirtualFunction::GetPf() const
{
    return m_pf;
}

std::optional<Time>
VirtualFunction::GetFirstArpRequest() const
{
    return m_firstArpRequest;
}

std::optional<Time>
VirtualFunction::GetFirstArpReply() const
{
    return m_firstArpReply;
}

void
VirtualFunction::NoteArpRequest()
{
    ++m_counters.arpRequests;
    if (!m_firstArpRequest)
    {
        m_firstArpRequest = Simulator::Now();
    }
}

void
VirtualFunction::NoteArpReply()
{
    if (!m_firstArpReply)
    {
        m_firstArpReply = Simulator::Now();
    }
}

} // namespace ns3
