#ifndef OVERLAY_FABRIC_FEATURE_FAULTS_H
#define OVERLAY_FABRIC_FEATURE_FAULTS_H

#include "scenario-feature.h"

namespace ns3
{

/**
 * \ingroup overlay-fabric
 * \brief The scenario's faults (ScenarioConfig::faults): network.injector applies them and times
 * the reactions; each fault's start opens its loss window in network.ledger. Collects "faults":
 * per fault its timeline and the flows it cost packets, with their recovery.
 */
class FaultsFeature : public ScenarioFeature
{
  public:
    void Install(const ScenarioConfig& config, ScenarioNetwork& network) override;
    void Collect(const ScenarioConfig& config,
                 const ScenarioNetwork& network,
                 nlohmann::ordered_json& results) override;

    std::vector<ResultsField> ResultsSections() const override;

  private:
    /// Trace sink of the injector's FaultStarted.
    void FaultStarted(uint32_t index);

    FlowLedger* m_ledger{nullptr}; //!< network.ledger
};

} // namespace ns3

#endif
