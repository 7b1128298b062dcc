#include "encapsulation-strategy.h"

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

} // namespace ns3
