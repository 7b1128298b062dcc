#include "uplink-monitor-helper.h"

#include "ns3/abort.h"
#include "ns3/log.h"
#include "ns3/simulator.h"

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("UplinkMonitorHelper");

UplinkMonitorHelper::UplinkMonitorHelper()
    : m_factory("ns3::UplinkMonitor")
{
}

void
UplinkMonitorHelper::SetMonitorAttribute(const std::string& name, const AttributeValue& value)
{
    m_factory.Set(name, value);
}

Ptr<UplinkMonitor>
UplinkMonitorHelper::Install(Ptr<Vtep> vtep) const
{
    NS_LOG_FUNCTION(this << vtep);
    NS_ABORT_MSG_IF(!vtep, "UplinkMonitorHelper::Install: no VTEP");
    Ptr<UplinkMonitor> monitor = m_factory.Create<UplinkMonitor>();
    monitor->Install(vtep);
    return monitor;
}

UplinkMonitorContainer
UplinkMonitorHelper::Install(const std::vector<Ptr<Vtep>>& vteps) const
{
    UplinkMonitorContainer monitors;
    monitors.reserve(vteps.size());
    for (const Ptr<Vtep>& vtep : vteps)
    {
        monitors.push_back(Install(vtep));
    }
    return monitors;
}

UplinkMonitorContainer
UplinkMonitorHelper::Install(const OverlayContainer& overlay) const
{
    return Install(overlay.vteps);
}

int64_t
UplinkMonitorHelper::AssignStreams(const UplinkMonitorContainer& monitors, int64_t stream) const
{
    int64_t used = 0;
    for (const Ptr<UplinkMonitor>& m : monitors)
    {
        used += m->AssignStreams(stream + used);
    }
    return used;
}

void
UplinkMonitorHelper::Start(const UplinkMonitorContainer& monitors, Time at) const
{
    NS_ABORT_MSG_IF(at < Simulator::Now(), "UplinkMonitorHelper::Start: " << at << " is past");
    for (const Ptr<UplinkMonitor>& m : monitors)
    {
        Simulator::Schedule(at - Simulator::Now(), &UplinkMonitor::Start, m);
    }
}

} // namespace ns3
