#ifndef OVERLAY_FABRIC_FEATURE_OFFLOAD_H
#define OVERLAY_FABRIC_FEATURE_OFFLOAD_H

#include "nic-mapping-table.h"
#include "offload-encapsulation.h"
#include "offload-nic.h"
#include "scenario-feature.h"

#include <cstdint>
#include <optional>
#include <vector>

namespace ns3
{

/**
 * \ingroup overlay-fabric
 * \brief NIC offload of the overlay encapsulation (seed 002 section I; ScenarioConfig::offload).
 *
 * Installed after the chains and before monitoring (so a gateway's tunnels get sessions). On
 * every offloading host: the hypervisor's master table (HostMappingTable), an
 * OffloadEncapsulation strategy on the VTEP, and on every uplink an OffloadNic with its own
 * NicMappingTable in place of the plain NIC. The VTEP-created event programs the master with
 * every remote VM the host's virtual switch has an L2 entry for (what the controller programmed,
 * segments and distributed routers alike) and pushes it, so the NICs' copies are stale until the
 * push is applied. Each NIC knows, per VNI of the fabric, the gateway that relays its misses:
 * the gateway host's VTEP, whose virtual switch gets an L2 entry for every VM on another host
 * and relays (VirtualSwitch::SetRelay) on its software path: the gateway host does not offload
 * (offload.hosts may not name it; an empty list means every other host). Setup costs O(VMs x
 * offloading hosts) lookups.
 *
 * Results: section "offload" (per host: the master's control events and each NIC's counters;
 * totals; the gateway's relayed frames).
 */
class OffloadFeature : public ScenarioFeature
{
  public:
    void Install(const ScenarioConfig& config, ScenarioNetwork& network) override;
    void Collect(const ScenarioConfig& config,
                 const ScenarioNetwork& network,
                 nlohmann::ordered_json& results) override;
    std::vector<ResultsField> ResultsSections() const override;

  private:
    /// One offloading host as built.
    struct Host
    {
        uint32_t host;                      //!< its index
        Ptr<HostMappingTable> master;       //!< the hypervisor's table
        Ptr<OffloadEncapsulation> strategy; //!< the VTEP's strategy
        std::vector<Ptr<OffloadNic>> nics;  //!< per uplink
    };

    std::vector<Host> m_hosts;         //!< in host order
    std::optional<uint32_t> m_gateway; //!< the gateway host
};

} // namespace ns3

#endif
