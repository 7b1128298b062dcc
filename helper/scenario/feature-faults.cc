#include "feature-faults.h"

#include "results-json.h"

namespace ns3
{

using Json = nlohmann::ordered_json;
using namespace results_json;

void
FaultsFeature::Install(const ScenarioConfig& config, ScenarioNetwork& network)
{
    m_ledger = network.ledger.get();
    m_ledger->SetFaultCount(config.faults.size());
    network.injector = CreateObject<FaultInjector>();
    network.injector->Install(config.faults, network.fabric, network.overlay);
    network.injector->TraceConnectWithoutContext("FaultStarted",
                                                 MakeCallback(&FaultsFeature::FaultStarted, this));
}

void
FaultsFeature::FaultStarted(uint32_t index)
{
    m_ledger->StartFault(index);
}

void
FaultsFeature::Collect(const ScenarioConfig& config, const ScenarioNetwork& network, Json& results)
{
    Json faults = Json::array();
    const auto& timelines = network.injector->GetTimelines();
    for (uint32_t k = 0; k < config.faults.size(); ++k)
    {
        const FaultConfig& f = config.faults[k];
        const FaultInjector::Timeline& t = timelines[k];
        Json affected = Json::object();
        uint64_t lostTotal = 0;
        for (uint32_t i = 0; i < config.traffic.size(); ++i)
        {
            const FlowLedger::FlowFaultRecord& r = network.ledger->GetFaultRecord(k, i);
            if (r.lost == 0)
            {
                continue;
            }
            lostTotal += r.lost;
            affected[config.traffic[i].name] =
                Json{{"lost", r.lost},
                     {"recovered_s", OptSec(r.recoveredAt)},
                     {"recovery_ms", OptMsSince(r.recoveredAt, t.at)}};
        }
        faults.push_back(Json{{"kind", ToString(f.kind)},
                              {"target", f.target.Format()},
                              {"at_s", Sec(t.at)},
                              {"end_s", OptSec(t.end)},
                              {"detected_s", OptSec(t.detected)},
                              {"detection_ms", OptMsSince(t.detected, t.at)},
                              {"uplink_switch_s", OptSec(t.uplinkSwitched)},
                              {"failover_ms", OptMsSince(t.uplinkSwitched, t.at)},
                              {"routes_converged_s", OptSec(t.routesConverged)},
                              {"lost", lostTotal},
                              {"flows", affected}});
    }
    results["faults"] = faults;
}

} // namespace ns3
