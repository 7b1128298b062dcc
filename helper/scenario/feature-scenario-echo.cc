#include "feature-scenario-echo.h"

#include "scenario-runner.h"

namespace ns3
{

void
ScenarioEchoFeature::Install(const ScenarioConfig& config, ScenarioNetwork& network)
{
}

void
ScenarioEchoFeature::Collect(const ScenarioConfig& config,
                             const ScenarioNetwork& network,
                             nlohmann::ordered_json& results)
{
    results["scenario"] = ScenarioToJson(config);
}

} // namespace ns3
