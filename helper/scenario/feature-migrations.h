#ifndef OVERLAY_FABRIC_FEATURE_MIGRATIONS_H
#define OVERLAY_FABRIC_FEATURE_MIGRATIONS_H

#include "scenario-feature.h"

#include "ns3/nstime.h"

#include <cstdint>
#include <map>
#include <optional>
#include <vector>

namespace ns3
{

/**
 * \ingroup overlay-fabric
 * \brief VM migration under traffic (ScenarioConfig::migrations; seed 002 Fig. 6, 620).
 *
 * Installed after offload and before monitoring, so the tunnels it adds have sessions. At
 * install the controller prepares the new host (the segment's ARP and L2 entries, pushed to its
 * NICs when it offloads) and every host that holds an entry for the VM (the segment's hosts and
 * the offload gateway) gets a tunnel to it. At the switchover the VM's vNIC leaves its host's
 * switch (VirtualSwitch::DetachPort: the old host drops what still arrives, vm_migrated) for the
 * new host's; both hypervisors change their master tables (migrated out: the VM is behind the
 * new VTEP; migrated in: local, its NIC entry removed). notify_delay later every other host's
 * switch entry names the new host and an offloading host's master pushes the change to its
 * NICs, which are stale until the push is applied: their data path is updated then.
 *
 * Results: section "migrations", per migration the times (switchover, notification, each host's
 * data path updated, the first delivery at the new host), the packets that went the wrong way
 * (dropped at the old host, vm_migrated) per flow to the VM, and the window to the last update.
 */
class MigrationsFeature : public ScenarioFeature
{
  public:
    void Install(const ScenarioConfig& config, ScenarioNetwork& network) override;
    void Collect(const ScenarioConfig& config,
                 const ScenarioNetwork& network,
                 nlohmann::ordered_json& results) override;
    std::vector<ResultsField> ResultsSections() const override;

  private:
    /// One migration as built and as it happened.
    struct Migration
    {
        uint32_t vm;                          //!< index in OverlayNetwork::GetVms()
        uint32_t from;                        //!< old host
        uint32_t to;                          //!< new host
        std::map<uint32_t, uint32_t> tunnels; //!< host holding an entry -> its tunnel to `to`
        std::vector<uint32_t> flows;          //!< flows to the VM
        std::map<uint32_t, Time> updated;     //!< host -> when its data path names `to`
        std::optional<Time> firstAtNewHost;   //!< first delivery there after the switchover
    };

    /// The switchover of migration \p i.
    void Switchover(uint32_t i);
    /// The controller's update of the other hosts for migration \p i.
    void Notify(uint32_t i);
    /// A frame delivered by migration \p i's new host's switch.
    void DeliveredAtNewHost(uint32_t i, Ptr<const Packet> frame);
    /// Host \p h's data path now names the new host of \p m (its NICs once they apply the push).
    void Update(Migration& m, uint32_t h);
    /**
     * \brief Host \p h's master table (if it offloads) names the new host of \p m and pushes it.
     * \return when \p h's NICs have applied it (now without offload)
     */
    Time MasterToNewHost(const Migration& m, uint32_t h);

    Ptr<OverlayNetwork> m_overlay;                //!< the overlay
    std::vector<Ptr<HostMappingTable>> m_masters; //!< per host, or null
    std::vector<Migration> m_migrations;          //!< in config order
};

} // namespace ns3

#endif
