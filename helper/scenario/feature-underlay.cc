#include "feature-underlay.h"

namespace ns3
{

void
UnderlayFeature::Install(const ScenarioConfig& config, ScenarioNetwork& network)
{
    network.fabric = CreateObject<LeafSpineFabric>();
    network.fabric->Build(config.fabric, config.seed);
    network.nextStream += network.fabric->AssignStreams(network.nextStream);
}

} // namespace ns3
