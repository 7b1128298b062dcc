#include "scenario-runner.h"

#include "results-json.h"
#include "results-path.h"
#include "results-shape.h"
#include "scenario-estimate.h"
#include "scenario-feature.h"
#include "scenario-schema.h"

#include "ns3/core-module.h"

#include <chrono>
#include <fmt/format.h>
#include <fmt/ranges.h>
#include <stdexcept>

namespace ns3
{

using Json = nlohmann::ordered_json;

Json
ScenarioToJson(const ScenarioConfig& c)
{
    return schema::EchoScenario(c);
}

ScenarioRun
RunScenario(const ScenarioConfig& config, const RunOptions& options)
{
    config.Validate();
    if (!options.allowLarge)
    {
        CheckScenarioCost(config, EstimateScenario(config));
    }
    auto wallStart = std::chrono::steady_clock::now();
    RngSeedManager::SetSeed(1);
    RngSeedManager::SetRun(config.seed);

    ScenarioNetwork network;
    network.outDir = options.outDir;
    std::vector<std::unique_ptr<ScenarioFeature>> features = ScenarioFeatures();
    for (const auto& feature : features)
    {
        feature->Install(config, network);
    }

    auto wallBuilt = std::chrono::steady_clock::now();
    Simulator::Stop(config.duration);
    Simulator::Run();
    auto wallRun = std::chrono::steady_clock::now();

    ScenarioRun run;
    run.results = Json::object();
    for (const auto& feature : features)
    {
        feature->Collect(config, network, run.results);
    }
    // The results schema is what `validate` checks expect paths against: a writer that departs
    // from it is a bug, caught on every run rather than in a user's bound.
    std::vector<std::string> departures =
        ResultsShapeDepartures(ResultsSchema(), run.results, config, false);
    if (!departures.empty())
    {
        Simulator::Destroy();
        throw std::logic_error(fmt::format("results.json departs from its declared schema: {}",
                                           fmt::join(departures, "; ")));
    }
    run.pcapFiles = network.pcapFiles;
    run.buildWallSeconds = std::chrono::duration<double>(wallBuilt - wallStart).count();
    run.runWallSeconds = std::chrono::duration<double>(wallRun - wallBuilt).count();
    Simulator::Destroy();
    return run;
}

std::vector<std::string>
CheckExpectations(const ScenarioConfig& config, const Json& results)
{
    std::vector<std::string> broken;
    // "Nothing vanishes" is a bound every scenario carries without stating it.
    static const Json noFlows = Json::object();
    const Json* flows = ResolveResultsPath(results, "flows");
    if (flows == nullptr || !flows->is_object())
    {
        flows = &noFlows;
    }
    for (const auto& [name, f] : flows->items())
    {
        const Json* ok = ResolveResultsPath(f, "accounting_ok");
        if (ok != nullptr && ok->is_boolean() && !ok->get<bool>())
        {
            auto figure = [&f = f](const char* key) {
                const Json* v = ResolveResultsPath(f, key);
                return v == nullptr ? std::string("?") : v->dump();
            };
            broken.push_back(
                fmt::format("flow {}: sent {} != delivered {} + lost {} + in flight {}",
                            name,
                            figure("sent"),
                            figure("delivered"),
                            figure("lost"),
                            figure("in_flight")));
        }
    }
    for (const ExpectBound& e : config.expect)
    {
        std::string where =
            config.sourceFile.empty() ? "" : fmt::format("{}:{}: ", config.sourceFile, e.line);
        const Json* v = ResolveResultsPath(results, e.path);
        static const Json zero = 0;
        if (v == nullptr && ResultsFigureIsZeroWhenAbsent(ResultsSchema(), e.path))
        {
            v = &zero; // a drop reason without drops is left out of results.json
        }
        if (v == nullptr)
        {
            broken.push_back(fmt::format("{}expect {}: no such figure in results", where, e.path));
            continue;
        }
        if (v->is_null())
        {
            broken.push_back(
                fmt::format("{}expect {}: is null (the event never happened)", where, e.path));
            continue;
        }
        if (!v->is_number() && !v->is_boolean())
        {
            broken.push_back(
                fmt::format("{}expect {}: is not a number ({})", where, e.path, v->dump()));
            continue;
        }
        double x = v->is_boolean() ? (v->get<bool>() ? 1.0 : 0.0) : v->get<double>();
        if (e.min && x < *e.min)
        {
            broken.push_back(
                fmt::format("{}expect {}: measured {} is below min {}", where, e.path, x, *e.min));
        }
        if (e.max && x > *e.max)
        {
            broken.push_back(
                fmt::format("{}expect {}: measured {} is above max {}", where, e.path, x, *e.max));
        }
    }
    return broken;
}

} // namespace ns3
