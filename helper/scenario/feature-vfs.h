#ifndef OVERLAY_FABRIC_FEATURE_VFS_H
#define OVERLAY_FABRIC_FEATURE_VFS_H

#include "scenario-feature.h"
#include "virtual-function.h"

#include <cstdint>
#include <deque>
#include <vector>

namespace ns3
{

/**
 * \ingroup overlay-fabric
 * \brief VMs on SR-IOV virtual functions (ScenarioConfig::vfs; seed 002 section III.A).
 *
 * Installed after offload (a VF is a function of an offloading NIC). For each VF: a
 * VirtualFunction on the NIC of its uplink (the PF), with its own mapping table (offload's table
 * keys) holding the entries of its VNI only; every NIC of the host receives for it; the VM's
 * virtual switch port becomes a pass-through port (VirtualSwitch::SetPassThrough) and its vNIC
 * takes the VF's MTU. At `at` (VM power-on) the hypervisor configures the VF and pushes it its
 * VNI's entries (HostMappingTable::ConfigureFunction): until that push is applied the VF's table
 * is empty, so the VM's first ARP reply can beat it (Fig. 15, 1540), which is what the ARP agent
 * (offload.arp_proxy) is for. The PF replicates a VF's broadcasts to the VNI's other VTEPs (the
 * hosts of the segment; OffloadNic::SetFloodList). Each VF adds its table's memory and one VF to
 * the fast path's cost.
 *
 * Results: section "vfs", per VF its data path counters and its ARP: requests, replies
 * validated, replies refused to the PF, the agent's replies, and the time from the first request
 * to the first reply (resolution_ms: the ARP timeout the agent avoids shows here).
 */
class VfsFeature : public ScenarioFeature
{
  public:
    void Install(const ScenarioConfig& config, ScenarioNetwork& network) override;
    void Collect(const ScenarioConfig& config,
                 const ScenarioNetwork& network,
                 nlohmann::ordered_json& results) override;
    std::vector<ResultsField> ResultsSections() const override;

  private:
    /// One VF as built.
    struct Function
    {
        uint32_t host;               //!< the VM's host
        Ptr<VirtualFunction> vf;     //!< the function
        uint64_t arpQueueDropped{0}; //!< packets the VM's ARP queue dropped
    };

    std::deque<Function> m_functions; //!< in the order of vfs (stable addresses)
};

} // namespace ns3

#endif
