#ifndef OVERLAY_FABRIC_FEATURE_COST_H
#define OVERLAY_FABRIC_FEATURE_COST_H

#include "fast-path-cost.h"
#include "scenario-feature.h"

namespace ns3
{

/**
 * \ingroup overlay-fabric
 * \brief The modeled hardware cost of the fast path (ScenarioConfig::cost, FastPathCost), in
 * every run's results.
 *
 * Prices what the offload and host_cpu modules built (ScenarioNetwork::fastPath) plus the host
 * cores the software data path needs at the offered load. The cores needed are estimated from
 * the run's offered load, not measured, so they count even where the run saturated or had no CPU
 * model: per host, its flows' packets per second (sent / active time) times the cycles of each
 * packet on its path (HostCpu::TransmitCycles at the source, ReceiveCycles at the destination,
 * offloaded or not, from the host_cpu section's cycles, defaults when it is off), plus what
 * the NICs sent to the gateway (relayed or not: received and transmitted again on its software
 * path, from the first flow's start to the last one's stop), over the clock. The end of a flow
 * at a VM on an SR-IOV VF costs its host nothing (the VF bypasses the hypervisor; the VF is
 * priced by vf_weight instead). With offload.lro, a TCP flow's receive cycles at an offloading
 * host are divided by the segments per aggregate the NICs measured (their average over the
 * run). The ACKs of a TCP flow are not counted. Flows within one host cross no tunnel and are
 * not counted; neither
 * are monitoring packets, a chain flow's extra hops through SVMs on other hosts, or the move of a
 * migrated VM (its flows count at the hosts the scenario names). A host is charged the larger of
 * the cores it needs and the cores its CPU model reserves. Results: section "cost" (the resources,
 * the weights, the formula, each term and the scalar fast_path, which the comparison's
 * fast_path_cost column reads).
 */
class CostFeature : public ScenarioFeature
{
  public:
    void Install(const ScenarioConfig& config, ScenarioNetwork& network) override;
    void Collect(const ScenarioConfig& config,
                 const ScenarioNetwork& network,
                 nlohmann::ordered_json& results) override;
    std::vector<ResultsField> ResultsSections() const override;

    /**
     * \brief The resources of a run: the NIC hardware built and the host cores charged.
     * \param config the scenario
     * \param network the network after the run
     * \return the resources
     */
    static FastPathResources Resources(const ScenarioConfig& config,
                                       const ScenarioNetwork& network);
};

} // namespace ns3

#endif
