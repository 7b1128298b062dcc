#ifndef OVERLAY_FABRIC_SCENARIO_RUNNER_H
#define OVERLAY_FABRIC_SCENARIO_RUNNER_H

#include "scenario-config.h"

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace ns3
{

/// \brief Options of one run that are not part of the scenario (they never change results).
struct RunOptions
{
    std::string outDir;     //!< where pcap files go ("" = no pcap even if the scenario asks)
    bool allowLarge{false}; //!< run even when the estimate exceeds ScenarioLimits
};

/// \brief What a run produced: results (simulation only) and wall-clock figures (kept apart).
struct ScenarioRun
{
    nlohmann::ordered_json results; //!< the content of results.json
    double buildWallSeconds{0};     //!< building topology, overlay, traffic
    double runWallSeconds{0};       //!< Simulator::Run
    std::vector<std::pair<std::string, std::string>> pcapFiles; //!< (port, file) written
};

/**
 * \ingroup overlay-fabric
 * \brief Build, run and measure one scenario: the single runner behind the CLI, the benchmark and
 * the tests. The config must be valid (Validate() is called again here and throws ConfigError).
 * Only one run per process: ns-3 has one simulator; the runner calls Simulator::Destroy() at the
 * end, after which another run in the same process is allowed.
 */
ScenarioRun RunScenario(const ScenarioConfig& config, const RunOptions& options = {});

/// \brief The scenario as JSON (the "scenario" echo of results.json).
nlohmann::ordered_json ScenarioToJson(const ScenarioConfig& config);

/**
 * \brief Check the scenario's expect bounds, and the accounting identity of every flow, against
 * results.
 * \return one message per broken bound (figure, value, bound, scenario line); empty if all hold
 */
std::vector<std::string> CheckExpectations(const ScenarioConfig& config,
                                           const nlohmann::ordered_json& results);

} // namespace ns3

#endif
