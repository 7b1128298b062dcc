#include "feature-totals.h"

namespace ns3
{

using Json = nlohmann::ordered_json;

void
TotalsFeature::Install(const ScenarioConfig& config, ScenarioNetwork& network)
{
}

void
TotalsFeature::Collect(const ScenarioConfig& config, const ScenarioNetwork& network, Json& results)
{
    const FlowLedger& ledger = *network.ledger;
    uint64_t sent = 0;
    uint64_t delivered = 0;
    uint64_t lost = 0;
    int64_t inFlight = 0;
    bool allOk = true;
    for (uint32_t i = 0; i < ledger.GetFlowCount(); ++i)
    {
        const FlowLedger::Flow& s = ledger.GetFlow(i);
        sent += s.sent;
        delivered += s.delivered;
        lost += s.DroppedTotal();
        inFlight += s.InFlight();
        allOk = allOk && s.AccountingHolds();
    }
    Json allDrops = Json::object();
    for (size_t r = 0; r < ledger.GetAllDrops().size(); ++r)
    {
        if (ledger.GetAllDrops()[r] > 0)
        {
            allDrops[ToString(static_cast<DropReason>(r))] = ledger.GetAllDrops()[r];
        }
    }
    results["totals"] = Json{{"sent", sent},
                             {"delivered", delivered},
                             {"lost", lost},
                             {"in_flight", inFlight},
                             {"accounting_ok", allOk},
                             {"dropped_all_packets", allDrops}};
}

std::vector<ResultsField>
TotalsFeature::ResultsSections() const
{
    return {
        {"totals",
         ResultsObject("Sums over every flow.",
                       {{"sent", ResultsNumber("", "Packets sent.")},
                        {"delivered", ResultsNumber("", "Packets delivered.")},
                        {"lost", ResultsNumber("", "Packets dropped.")},
                        {"in_flight",
                         ResultsNumber("", "Packets on a link or inside a service VM at the end.")},
                        {"accounting_ok", ResultsBoolean("Every flow's accounting holds.")},
                        {"dropped_all_packets",
                         ResultsNamed("Every packet dropped anywhere (flows, echoes, control), by "
                                      "reason (as flows.<flow>.dropped).",
                                      "drop reason",
                                      ResultsDropReasons(),
                                      ResultsNumber("", "Packets dropped for this reason."))
                             .ZeroWhenAbsent()}})}};
}

} // namespace ns3
