#include "feature-overlay.h"

namespace ns3
{

void
OverlayFeature::Install(const ScenarioConfig& config, ScenarioNetwork& network)
{
    network.overlay = CreateObject<OverlayNetwork>();
    network.overlay->Build(config.overlay, network.fabric);
}

} // namespace ns3
