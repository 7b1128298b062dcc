#include "scenario-feature.h"

#include "feature-chains.h"
#include "feature-cost.h"
#include "feature-faults.h"
#include "feature-host-cpu.h"
#include "feature-migrations.h"
#include "feature-mirrors.h"
#include "feature-monitoring.h"
#include "feature-offload.h"
#include "feature-overlay.h"
#include "feature-pcap.h"
#include "feature-scenario-echo.h"
#include "feature-totals.h"
#include "feature-trace.h"
#include "feature-traffic.h"
#include "feature-underlay.h"
#include "feature-vfs.h"

namespace ns3
{

void
ScenarioFeature::Collect(const ScenarioConfig& config,
                         const ScenarioNetwork& network,
                         nlohmann::ordered_json& results)
{
}

std::vector<ResultsField>
ScenarioFeature::ResultsSections() const
{
    return {};
}

std::vector<ResultsField>
ResultsSchema()
{
    std::vector<ResultsField> sections;
    for (const auto& feature : ScenarioFeatures())
    {
        for (ResultsField& section : feature->ResultsSections())
        {
            sections.push_back(std::move(section));
        }
    }
    return sections;
}

std::vector<std::unique_ptr<ScenarioFeature>>
ScenarioFeatures()
{
    // Install order is build order (node ids, random streams); Collect order is the order of the
    // sections of results.json: scenario, flows, faults, chains, monitoring, totals. Chains come
    // before monitoring, so that the tunnels they add have sessions too.
    std::vector<std::unique_ptr<ScenarioFeature>> features;
    features.push_back(std::make_unique<ScenarioEchoFeature>()); // "scenario"
    features.push_back(std::make_unique<UnderlayFeature>());
    features.push_back(std::make_unique<OverlayFeature>());
    features.push_back(std::make_unique<TrafficFeature>());    // "flows"
    features.push_back(std::make_unique<FaultsFeature>());     // "faults"
    features.push_back(std::make_unique<ChainsFeature>());     // "chains"
    features.push_back(std::make_unique<OffloadFeature>());    // "offload"
    features.push_back(std::make_unique<VfsFeature>());        // "vfs"
    features.push_back(std::make_unique<MigrationsFeature>()); // "migrations"
    features.push_back(std::make_unique<MirrorsFeature>());    // "mirrors"
    features.push_back(std::make_unique<TraceFeature>());      // "trace"
    features.push_back(std::make_unique<HostCpuFeature>());    // "host_cpu"
    features.push_back(std::make_unique<MonitoringFeature>()); // "monitoring"
    features.push_back(std::make_unique<PcapFeature>());
    features.push_back(std::make_unique<TotalsFeature>()); // "totals"
    features.push_back(std::make_unique<CostFeature>());   // "cost"
    return features;
}

} // namespace ns3
