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
    for (uint32_t i = 0; i < faults.size(); ++i)
    {
        if (faults[i].target.IsHostUplink())
        {
            m_hostOfFault[i] = faults[i].target.GetFirst();
        }
    }
    m_order.resize(faults.size());
    for (uint32_t i = 0; i < faults.size(); ++i)
    {
        m_order[i] = i;
    }
    // Stable: faults at the same instant start in scenario order.
    std::stable_sort(m_order.begin(), m_order.end(), [&](uint32_t a, uint32_t b) {
        return faults[a].at < faults[b].at;
    });
    for (uint32_t i = 0; i < faults.size(); ++i)
    {
        Simulator::Schedule(faults[i].at, &FaultInjector::Apply, this, i, true);
        if (faults[i].end)
        {
            Simulator::Schedule(*faults[i].end, &FaultInjector::Apply, this, i, false);
        }
    }
    if (faults.empty())
    {
        return;
    }
    for (uint32_t h = 0; h < overlay->GetHostCount(); ++h)
    {
        Ptr<UplinkSelector> selector = overlay->GetVtep(h)->GetUplinkSelector();
        selector->TraceConnectWithoutContext(
            "CandidatesChanged",
            MakeBoundCallback(
                +[](FaultInjector* self, uint32_t host, uint32_t, uint64_t, uint64_t) {
                    self->UplinkChoiceChanged(host);
                },
                this,
                h));
        selector->TraceConnectWithoutContext(
            "ActiveChanged",
            MakeBoundCallback(
                +[](FaultInjector* self, uint32_t host, uint32_t, uint32_t, uint32_t) {
                    self->UplinkChoiceChanged(host);
                },
                this,
                h));
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

bool
FaultInjector::Concerns(uint32_t index, uint32_t host) const
{
    return m_hostOfFault[index] < 0 || m_hostOfFault[index] == static_cast<int64_t>(host);
}

void
FaultInjector::UplinkChoiceChanged(uint32_t host)
{
    for (int64_t k = static_cast<int64_t>(m_started) - 1; k >= 0; --k)
    {
        Timeline& t = m_timelines[m_order[k]];
        if (!t.uplinkSwitched && !t.end && Concerns(m_order[k], host))
        {
            t.uplinkSwitched = Simulator::Now();
            return;
        }
    }
}

void
FaultInjector::UplinkStatusChanged(uint32_t host, bool up)
{
    if (up)
    {
        return;
    }
    for (int64_t k = static_cast<int64_t>(m_started) - 1; k >= 0; --k)
    {
        Timeline& t = m_timelines[m_order[k]];
        if (!t.detected && !t.end && Concerns(m_order[k], host))
        {
            t.detected = Simulator::Now();
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
