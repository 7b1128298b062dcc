#ifndef OVERLAY_FABRIC_FEATURE_UNDERLAY_H
#define OVERLAY_FABRIC_FEATURE_UNDERLAY_H

#include "scenario-feature.h"

namespace ns3
{

/**
 * \ingroup overlay-fabric
 * \brief The leaf-spine underlay (ScenarioConfig::fabric): builds network.fabric and assigns its
 * random streams first.
 */
class UnderlayFeature : public ScenarioFeature
{
  public:
    void Install(const ScenarioConfig& config, ScenarioNetwork& network) override;
};

} // namespace ns3

#endif
