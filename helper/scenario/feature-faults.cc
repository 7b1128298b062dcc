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

std::vector<ResultsField>
FaultsFeature::ResultsSections() const
{
    ResultsShape::CountOf faultCount = [](const ScenarioConfig& c) {
        return std::optional<size_t>(c.faults.size());
    };
    ResultsShape fault = ResultsObject(
        "One fault and the reactions to it.",
        {
            {"kind", ResultsText("Fault kind (link-down, silent-drop, ...).")},
            {"target", ResultsText("The link or port it hits.")},
            {"at_s", ResultsNumber("s", "When it was applied.")},
            {"end_s", ResultsNumber("s", "When it was removed; null if it lasts.").Nullable()},
            {"detected_s",
             ResultsNumber("s", "When the first element noticed it; null if none did.").Nullable()},
            {"detection_ms", ResultsNumber("ms", "detected_s - at_s.").Nullable()},
            {"uplink_switch_s",
             ResultsNumber("s", "When a host changed its usable uplinks; null if none did.")
                 .Nullable()},
            {"failover_ms", ResultsNumber("ms", "uplink_switch_s - at_s.").Nullable()},
            {"routes_converged_s",
             ResultsNumber("s", "When the fabric's routes were recomputed; null if never.")
                 .Nullable()},
            {"lost",
             ResultsNumber("",
                           "Packets of every flow dropped while it was the latest "
                           "fault.")},
            {"flows",
             ResultsNamed(
                 "The flows that lost packets to it (the others are left out).",
                 "flow",
                 ResultsFlowNames(),
                 ResultsObject(
                     "Loss and recovery of one flow.",
                     {{"lost", ResultsNumber("", "Packets it lost.")},
                      {"recovered_s",
                       ResultsNumber("s",
                                     "First delivery of a packet sent after "
                                     "its last loss; null if never.")
                           .Nullable()},
                      {"recovery_ms", ResultsNumber("ms", "recovered_s - at_s.").Nullable()}}))},
        });
    return {
        {"faults",
         ResultsList("Every fault, in the order of the file.", "fault index", faultCount, fault)}};
}

} // namespace ns3
