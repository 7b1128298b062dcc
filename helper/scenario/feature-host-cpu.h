#ifndef OVERLAY_FABRIC_FEATURE_HOST_CPU_H
#define OVERLAY_FABRIC_FEATURE_HOST_CPU_H

#include "host-cpu.h"
#include "scenario-feature.h"

#include <cstdint>
#include <vector>

namespace ns3
{

/**
 * \ingroup overlay-fabric
 * \brief The host CPU cost model of the software data path (ScenarioConfig::hostCpu): a HostCpu
 * on the VTEP of every listed host (every host when none is listed), its attributes from the
 * section. Results: section "host_cpu" (per host: packets served and refused, cycles, the cores
 * busy on average over the run and the longest wait; totals).
 */
class HostCpuFeature : public ScenarioFeature
{
  public:
    void Install(const ScenarioConfig& config, ScenarioNetwork& network) override;
    void Collect(const ScenarioConfig& config,
                 const ScenarioNetwork& network,
                 nlohmann::ordered_json& results) override;
    std::vector<ResultsField> ResultsSections() const override;

  private:
    std::vector<std::pair<uint32_t, Ptr<HostCpu>>> m_cpus; //!< (host, its CPU), in host order
};

} // namespace ns3

#endif
