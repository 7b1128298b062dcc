#include "port-stage.h"

namespace ns3
{

NS_OBJECT_ENSURE_REGISTERED(PortStage);

TypeId
PortStage::GetTypeId()
{
    static TypeId tid = TypeId("ns3::PortStage").SetParent<Object>().SetGroupName("OverlayFabric");
    return tid;
}

} // namespace ns3
