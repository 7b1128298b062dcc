#ifndef OVERLAY_FABRIC_FEATURE_SCENARIO_ECHO_H
#define OVERLAY_FABRIC_FEATURE_SCENARIO_ECHO_H

#include "scenario-feature.h"

namespace ns3
{

/**
 * \ingroup overlay-fabric
 * \brief The "scenario" section of results.json: the scenario as it was run (ScenarioToJson()).
 * Builds nothing.
 */
class ScenarioEchoFeature : public ScenarioFeature
{
  public:
    void Install(const ScenarioConfig& config, ScenarioNetwork& network) override;
    void Collect(const ScenarioConfig& config,
                 const ScenarioNetwork& network,
                 nlohmann::ordered_json& results) override;

    std::vector<ResultsField> ResultsSections() const override;
};

} // namespace ns3

#endif
