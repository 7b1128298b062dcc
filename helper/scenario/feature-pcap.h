#ifndef OVERLAY_FABRIC_FEATURE_PCAP_H
#define OVERLAY_FABRIC_FEATURE_PCAP_H

#include "scenario-feature.h"

namespace ns3
{

/**
 * \ingroup overlay-fabric
 * \brief Pcap capture of the scenario's ports (ScenarioConfig::pcapPorts) into the run's output
 * folder; the files written go to network.pcapFiles (not into results.json). Nothing without an
 * output folder.
 */
class PcapFeature : public ScenarioFeature
{
  public:
    void Install(const ScenarioConfig& config, ScenarioNetwork& network) override;
};

} // namespace ns3

#endif
