#include "scenario-runner.h"

#include "results-json.h"
#include "results-path.h"
#include "scenario-feature.h"

#include "ns3/core-module.h"

#include <chrono>
#include <fmt/format.h>

namespace ns3
{

using Json = nlohmann::ordered_json;
using namespace results_json;

namespace
{

Json
TierToJson(const LinkTierConfig& t)
{
    return Json{{"rate", RateString(t.rate)},
                {"delay_s", Sec(t.delay)},
                {"mtu", t.mtu},
                {"queue_bytes", t.queueBytes}};
}

} // namespace

Json
ScenarioToJson(const ScenarioConfig& c)
{
    Json segments = Json::array();
    for (const auto& s : c.overlay.segments)
    {
        segments.push_back(Json{{"vni", s.vni}, {"vms", s.vms}});
    }
    Json traffic = Json::array();
    for (uint32_t i = 0; i < c.traffic.size(); ++i)
    {
        const FlowConfig& f = c.traffic[i];
        traffic.push_back(Json{{"name", f.name},
                               {"from", f.from},
                               {"to", f.to},
                               {"kind", ToString(f.kind)},
                               {"rate", RateString(f.rate)},
                               {"size", f.size},
                               {"max_bytes", f.maxBytes},
                               {"start_s", Sec(f.start)},
                               {"stop_s", Sec(f.stop.value_or(c.duration))},
                               {"dst_port", DstPort(f, i)}});
    }
    Json faults = Json::array();
    for (const auto& f : c.faults)
    {
        faults.push_back(Json{{"kind", ToString(f.kind)},
                              {"target", f.target},
                              {"at_s", Sec(f.at)},
                              {"end_s", OptSec(f.end)},
                              {"direction", ToString(f.direction)},
                              {"fraction", f.dropFraction},
                              {"delay_s", Sec(f.delay)}});
    }
    const MonitoringConfig& m = c.monitoring;
    Json monitoring{{"enabled", m.enabled},
                    {"preset", m.preset.empty() ? Json(nullptr) : Json(m.preset)},
                    {"mode", ToString(m.mode)},
                    {"tx_interval_s", Sec(m.txInterval)},
                    {"rx_interval_s", Sec(m.rxInterval)},
                    {"detect_mult", m.detectMult},
                    {"up_after", m.upAfter},
                    {"jitter", m.jitter},
                    {"rtt_threshold_s", OptSec(m.rttThreshold)},
                    {"loss_threshold", m.lossThreshold ? Json(*m.lossThreshold) : Json(nullptr)},
                    {"rtt_hysteresis_s", Sec(m.rttHysteresis)}};
    Json expect = Json::object();
    for (const auto& e : c.expect)
    {
        Json b = Json::object();
        if (e.min)
        {
            b["min"] = *e.min;
        }
        if (e.max)
        {
            b["max"] = *e.max;
        }
        expect[e.path] = b;
    }
    return Json{{"name", c.name},
                {"seed", c.seed},
                {"duration_s", Sec(c.duration)},
                {"stats_bin_s", Sec(c.statsBin)},
                {"fabric",
                 Json{{"spines", c.fabric.spines},
                      {"leaf_pairs", c.fabric.leafPairs},
                      {"hosts_per_rack", c.fabric.hostsPerRack},
                      {"uplinks_per_host", c.fabric.uplinksPerHost},
                      {"access", TierToJson(c.fabric.access)},
                      {"core", TierToJson(c.fabric.core)},
                      {"routing_convergence_s", Sec(c.fabric.routingConvergence)}}},
                {"overlay",
                 Json{{"encap", ToString(c.overlay.encap)},
                      {"uplink_policy", ToString(c.overlay.policy)},
                      {"preferred_uplink", c.overlay.preferredUplink},
                      {"segments", segments}}},
                {"monitoring", monitoring},
                {"traffic", traffic},
                {"faults", faults},
                {"pcap", c.pcapPorts},
                {"expect", expect}};
}

ScenarioRun
RunScenario(const ScenarioConfig& config, const RunOptions& options)
{
    config.Validate();
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
