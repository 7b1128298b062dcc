#include "encapsulation-strategy.h"

#include "host-cpu.h"

namespace ns3
{

NS_OBJECT_ENSURE_REGISTERED(EncapsulationStrategy);

TypeId
EncapsulationStrategy::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::EncapsulationStrategy").SetParent<Object>().SetGroupName("OverlayFabric");
    return tid;
}

void
EncapsulationStrategy::SetProtocol(Vtep::Encap protocol)
{
    m_protocol = protocol;
}

Vtep::Encap
EncapsulationStrategy::GetProtocol() const
{
    return m_protocol;
}

uint32_t
EncapsulationStrategy::TransmitCycles(const HostCpu& cpu, const TunnelTxInfo& /* tx */) const
{
    return cpu.TransmitCycles(false);
}

uint32_t
EncapsulationStrategy::ReceiveCycles(const HostCpu& cpu, const Ptr<HostNic>& /* nic */) const
{
    return cpu.ReceiveCycles(false, true);
}

} // namespace ns3
