#ifndef OVERLAY_FABRIC_SCENARIO_FEATURE_H
#define OVERLAY_FABRIC_SCENARIO_FEATURE_H

#include "fault-injector.h"
#include "flow-ledger.h"
#include "leaf-spine-topology.h"
#include "offload-nic.h"
#include "overlay-network.h"
#include "results-shape.h"
#include "scenario-config.h"
#include "uplink-monitor.h"

#include "ns3/ptr.h"

#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace ns3
{

/**
 * \ingroup overlay-fabric
 * \brief What the fast path is built of: the modules that build it (offload, host_cpu) fill it at
 * Install, and the cost module prices it after the run.
 */
struct FastPathInventory
{
    FastPathResources nics;              //!< NIC hardware, summed over the offloading NICs
    std::vector<bool> offloading;        //!< per host: its NICs offload (empty: none does)
    std::vector<uint32_t> reservedCores; //!< per host: cores of its CPU model (empty: no model)
    std::optional<uint32_t> gateway;     //!< the host that relays the NICs' misses
    std::vector<Ptr<OffloadNic>> offloadNics; //!< every offloading NIC (their miss traffic)
    std::set<VmRef> functionVms; //!< VMs on SR-IOV VFs: their frames cost their host no cycles
};

/**
 * \ingroup overlay-fabric
 * \brief What the feature modules of a run build and share: each module fills its part in
 * Install() and later modules (and every Collect()) read it.
 */
struct ScenarioNetwork
{
    Ptr<LeafSpineFabric> fabric;              //!< the underlay (underlay module)
    Ptr<OverlayNetwork> overlay;              //!< hosts, VTEPs, VMs (overlay module)
    std::unique_ptr<FlowLedger> ledger;       //!< per-flow accounting (traffic module)
    Ptr<FaultInjector> injector;              //!< faults and their timelines (faults module)
    std::vector<Ptr<UplinkMonitor>> monitors; //!< one per host; empty without monitoring
    int64_t nextStream{0};                    //!< first random stream not assigned yet
    std::string outDir;                       //!< output folder of the run ("" = none)
    std::vector<std::pair<std::string, std::string>> pcapFiles; //!< (port, file) written
    FastPathInventory fastPath; //!< what the fast path is built of (offload, host_cpu modules)
    std::vector<Ptr<HostMappingTable>> offloadMasters; //!< per host: its master table or null
};

/**
 * \ingroup overlay-fabric
 * \brief One capability of the scenario runner (underlay, overlay, traffic, faults, monitoring,
 * pcap, ...). RunScenario() calls every module's Install() in list order before the simulation,
 * and every module's Collect() in the same order after it, so results.json has its sections in
 * the order of the list. A module keeps what it records from traces in its own members; its trace
 * sinks are its member functions. Adding a capability is a new module in ScenarioFeatures().
 */
class ScenarioFeature
{
  public:
    virtual ~ScenarioFeature() = default;

    /**
     * \brief Build this capability into the network and connect its traces.
     * \param config the validated scenario
     * \param network what earlier modules built; this module adds its part
     */
    virtual void Install(const ScenarioConfig& config, ScenarioNetwork& network) = 0;

    /**
     * \brief Append this module's sections to results (nothing by default).
     * \param config the scenario
     * \param network the network after the run
     * \param results results.json so far: sections of the modules before this one
     */
    virtual void Collect(const ScenarioConfig& config,
                         const ScenarioNetwork& network,
                         nlohmann::ordered_json& results);
    /// \return the top-level sections of results.json this module writes, with their declared
    /// shape (none by default): what an expect path may name, checked against every run
    virtual std::vector<ResultsField> ResultsSections() const;
};

/**
 * \brief The runner's modules, in the order they are installed and collected: the one place that
 * lists them.
 * \return new modules for one run
 */
std::vector<std::unique_ptr<ScenarioFeature>> ScenarioFeatures();

/// \return the sections of results.json with their shapes, in order, from the modules'
/// ResultsSections(): the results schema
std::vector<ResultsField> ResultsSchema();

} // namespace ns3

#endif
