#include "fault-injector.h"

#include "leaf-spine-topology.h"
#include "overlay-network.h"
#include "uplink-selector.h"
#include "virtual-switch.h"
#include "vtep.h"

#include "ns3/log.h"
#include "ns3/simulator.h"

#include <algorithm>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("FaultInjector");
NS_OBJECT_ENSURE_REGISTERED(FaultInjector);

TypeId
FaultInjector::GetTypeId()
{
    static TypeId tid = TypeId("ns3::FaultInjector")
                            .SetParent<Object>()
                            .SetGroupName("OverlayFabric")
                            .AddConstructor<FaultInjector>()
                            .AddTraceSource("FaultStarted",
                                            "A fault was applied (index in the scenario).",
                                            MakeTraceSourceAccessor(&FaultInjector::m_faultStarted),
                                            "ns3::FaultInjector::FaultTracedCallback");
    return tid;
}

void
FaultInjector::DoDispose()
{
    m_fabric = nullptr;
    Object::DoDispose();
}

void
FaultInjector::Install(const std::vector<FaultConfig>& faults,
                       Ptr<LeafSpineFabric> fabric,
                       Ptr<OverlayNetwork> overlay)
{
    m_faults = faults;
    m_fabric = fabric;
    m_timelines.assign(faults.size(), Timeline{});
    m_hostOfFault.assign(faults.size(), -1);
    m_order.resize(faults.size());
    for (uint32_t i = 0; i < faults.size(); ++i)
    {
        m_order[i] = i;
    }
    // Stable: faults at the same instant start in scenario order.
    std::stable_sort(m_order.begin(), m_order.end(), [&](uint32_t a, uint32_t b) {
        return faults[a].at < faults[b].at;
    });
    std::vector<bool> watched(overlay->GetHostCount(), false);
    for (uint32_t i = 0; i < faults.size(); ++i)
    {
        const FaultConfig& f = faults[i];
        Simulator::Schedule(f.at, &FaultInjector::Apply, this, i, true);
        if (f.end)
        {
            Simulator::Schedule(*f.end, &FaultInjector::Apply, this, i, false);
        }
        if (f.target.rfind("host", 0) == 0)
        {
            uint32_t host = std::stoul(f.target.substr(4, f.target.find('/') - 4));
            m_hostOfFault[i] = host;
            if (!watched[host])
            {
                watched[host] = true;
                overlay->GetVtep(host)->GetUplinkSelector()->TraceConnectWithoutContext(
                    "UsableSetChanged",
                    MakeBoundCallback(
                        +[](FaultInjector* self, uint32_t h, uint64_t mask) {
                            self->HostUplinksChanged(h, mask);
                        },
                        this,
                        host));
            }
        }
    }
    fabric->TraceConnectWithoutContext("RoutesConverged",
                                       MakeCallback(&FaultInjector::RoutesConverged, this));
}

void
FaultInjector::Apply(uint32_t index, bool active)
{
    const FaultConfig& f = m_faults[index];
    Timeline& t = m_timelines[index];
    Time now = Simulator::Now();
    NS_LOG_INFO(now.As(Time::MS) << " fault " << index << " " << ToString(f.kind) << " on "
                                 << f.target << (active ? " starts" : " ends"));
    if (active)
    {
        t.at = now;
        m_started++;
        m_faultStarted(index);
    }
    else
    {
        t.end = now;
    }
    switch (f.kind)
    {
    case FaultKind::LINK_DOWN:
        m_fabric->SetLinkCarrier(f.target, !active);
        if (active && !t.detected)
        {
            // Carrier loss is seen by both ends of the link in the same instant.
            t.detected = now;
        }
        break;
    case FaultKind::SILENT_DROP:
        m_fabric->SetSilentDrop(f.target, f.direction, active ? f.dropFraction : 0.0);
        break;
    case FaultKind::ADDED_DELAY:
        m_fabric->SetAddedDelay(f.target, f.direction, active ? f.delay : Time(0));
        break;
    }
}

void
FaultInjector::HostUplinksChanged(uint32_t host, uint64_t usableMask)
{
    // Credit the change to the latest started fault on this host that has none yet.
    for (int64_t k = static_cast<int64_t>(m_started) - 1; k >= 0; --k)
    {
        uint32_t i = m_order[k];
        if (m_hostOfFault[i] == static_cast<int64_t>(host))
        {
            if (!m_timelines[i].uplinkSwitched)
            {
                m_timelines[i].uplinkSwitched = Simulator::Now();
            }
            return;
        }
    }
}

void
FaultInjector::RoutesConverged(Time when)
{
    for (uint32_t k = 0; k < m_started; ++k)
    {
        uint32_t i = m_order[k];
        if (m_faults[i].kind == FaultKind::LINK_DOWN && !m_timelines[i].routesConverged &&
            when >= m_timelines[i].at)
        {
            m_timelines[i].routesConverged = when;
        }
    }
}

} // namespace ns3
