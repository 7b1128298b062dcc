#ifndef OVERLAY_FABRIC_FEATURE_OVERLAY_H
#define OVERLAY_FABRIC_FEATURE_OVERLAY_H

#include "scenario-feature.h"

namespace ns3
{

/**
 * \ingroup overlay-fabric
 * \brief The overlay (ScenarioConfig::overlay): hosts, VTEPs and VMs on the underlay, in
 * network.overlay.
 */
class OverlayFeature : public ScenarioFeature
{
  public:
    void Install(const ScenarioConfig& config, ScenarioNetwork& network) override;
};

} // namespace ns3

#endif
