#ifndef OVERLAY_FABRIC_FEATURE_TOTALS_H
#define OVERLAY_FABRIC_FEATURE_TOTALS_H

#include "scenario-feature.h"

namespace ns3
{

/**
 * \ingroup overlay-fabric
 * \brief The "totals" section of results.json, from network.ledger: the accounting identity summed
 * over every flow, and every packet the models dropped (flows or not) by reason. Builds nothing.
 */
class TotalsFeature : public ScenarioFeature
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
