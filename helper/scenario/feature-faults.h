#ifndef OVERLAY_FABRIC_FEATURE_FAULTS_H
#define OVERLAY_FABRIC_FEATURE_FAULTS_H

#include "scenario-feature.h"

namespace ns3
{

/**
 * \ingroup overlay-fabric
 * \brief The scenario's faults (ScenarioConfig::faults) and honest blame for them (DESIGN
 * principle 6). network.injector applies them and records which frames and echoes met each one;
 * its "FaultHit" feeds network.ledger, which tells per (fault, flow) whether the flow was hit, what
 * it lost and when a packet of it first got through on a path avoiding the fault.
 *
 * Collects "faults": per fault its timeline, the flows it hit, and per flow detection (the first
 * DOWN, on the flow's sending host, of an echo stream whose unanswered echoes met the fault on
 * their way out; for a link-down, the carrier loss itself), failover (that host's next change of
 * uplink choice), recovery or `recovered: false`, and a verdict. DOWNs of hosts that send no
 * flow the fault hit are listed apart and never become its detection. Collects "status_audit"
 * (with monitoring on): every DOWN judged against the faults, false positives and flaps.
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
    /// Trace sinks of the injector's FaultStarted and FaultEnded: tell the ledger.
    void FaultStarted(uint32_t index);
    void FaultEnded(uint32_t index);

    FlowLedger* m_ledger{nullptr}; //!< network.ledger
    std::vector<bool> m_routed;    //!< per fault: a link-down (routing reacts to it)
};

} // namespace ns3

#endif
