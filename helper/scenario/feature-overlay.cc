#include "feature-overlay.h"

#include "vtep.h"

#include "ns3/simulator.h"

#include <set>

namespace ns3
{

void
OverlayFeature::Install(const ScenarioConfig& config, ScenarioNetwork& network)
{
    network.overlay = CreateObject<OverlayNetwork>();
    network.overlay->Build(config.overlay, network.fabric);
    // A segment's group: the hosts of its VMs join it at the start (IGMPv3 reports on the wire).
    for (const SegmentConfig& segment : config.overlay.segments)
    {
        if (!segment.group)
        {
            continue;
        }
        std::set<uint32_t> hosts;
        for (const VmRef& vm : segment.vms)
        {
            hosts.insert(vm.GetHostIndex());
        }
        for (uint32_t h : hosts)
        {
            Simulator::ScheduleNow(&Vtep::JoinGroup, network.overlay->GetVtep(h), *segment.group);
        }
    }
}

} // namespace ns3
