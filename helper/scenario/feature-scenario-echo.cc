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

std::vector<ResultsField>
ScenarioEchoFeature::ResultsSections() const
{
    return {{"scenario",
             ResultsEcho("The scenario as run, every default written out (the scenario "
                         "reference).")}};
}

} // namespace ns3
