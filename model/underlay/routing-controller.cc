#include "routing-controller.h"

#include "ns3/abort.h"
#include "ns3/log.h"
#include "ns3/nstime.h"
#include "ns3/simulator.h"
#include "ns3/trace-source-accessor.h"

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("RoutingController");

NS_OBJECT_ENSURE_REGISTERED(RoutingController);

TypeId
RoutingController::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::RoutingController")
            .SetParent<Object>()
            .SetGroupName("OverlayFabric")
            .AddConstructor<RoutingController>()
            .AddAttribute("ConvergenceDelay",
                          "Time between a link's carrier change and the rest of the fabric "
                          "rerouting around it (or using it again)",
                          TimeValue(MilliSeconds(200)),
                          MakeTimeAccessor(&RoutingController::m_convergenceDelay),
                          MakeTimeChecker(Time(0)))
            .AddTraceSource("RoutesConverged",
                            "Routing tables were recomputed and applied after link events",
                            MakeTraceSourceAccessor(&RoutingController::m_routesConvergedTrace),
                            "ns3::RoutingController::RoutesConvergedTracedCallback");
    return tid;
}

RoutingController::RoutingController()
{
    NS_LOG_FUNCTION(this);
}

RoutingController::~RoutingController()
{
    NS_LOG_FUNCTION(this);
}

void
RoutingController::DoDispose()
{
    NS_LOG_FUNCTION(this);
    Simulator::Cancel(m_convergenceEvent);
    for (std::size_t i = 0; i < m_channels.size(); ++i)
    {
        m_channels[i]->TraceDisconnectWithoutContext("CarrierChanged", m_carrierSinks[i]);
    }
    m_carrierSinks.clear();
    m_channels.clear();
    m_up.clear();
    m_pending.clear();
    m_recompute = RecomputeCallback();
    Object::DoDispose();
}

uint32_t
RoutingController::AddLink(Ptr<FabricChannel> channel)
{
    NS_LOG_FUNCTION(this << channel);
    NS_ABORT_MSG_IF(!channel, "RoutingController::AddLink: no channel");
    const auto link = static_cast<uint32_t>(m_channels.size());
    Callback<void, bool> sink = MakeCallback(&RoutingController::CarrierChanged, this, link);
    channel->TraceConnectWithoutContext("CarrierChanged", sink);
    m_channels.push_back(channel);
    m_carrierSinks.push_back(sink);
    m_up.push_back(true);
    return link;
}

uint32_t
RoutingController::GetNLinks() const
{
    return static_cast<uint32_t>(m_channels.size());
}

void
RoutingController::SetRecomputeCallback(RecomputeCallback callback)
{
    m_recompute = callback;
}

bool
RoutingController::IsLinkUp(uint32_t link) const
{
    NS_ABORT_MSG_IF(link >= m_up.size(), "RoutingController: no link " << link);
    return m_up[link];
}

const std::vector<bool>&
RoutingController::GetLinkView() const
{
    return m_up;
}

Time
RoutingController::GetConvergenceDelay() const
{
    return m_convergenceDelay;
}

uint32_t
RoutingController::GetNPendingChanges() const
{
    return static_cast<uint32_t>(m_pending.size());
}

void
RoutingController::Recompute()
{
    NS_LOG_FUNCTION(this);
    if (!m_recompute.IsNull())
    {
        m_recompute(m_up);
    }
}

void
RoutingController::CarrierChanged(uint32_t link, bool up)
{
    NS_LOG_FUNCTION(this << link << up);
    const Time matures = Simulator::Now() + m_convergenceDelay;
    m_pending.push_back(PendingChange{matures, link, up});
    if (!m_convergenceEvent.IsRunning())
    {
        m_convergenceEvent =
            Simulator::Schedule(m_convergenceDelay, &RoutingController::ApplyMaturedChanges, this);
    }
}

void
RoutingController::ApplyMaturedChanges()
{
    NS_LOG_FUNCTION(this);
    const Time now = Simulator::Now();
    while (!m_pending.empty() && m_pending.front().matures <= now)
    {
        m_up[m_pending.front().link] = m_pending.front().up;
        m_pending.pop_front();
    }
    Recompute();
    m_routesConvergedTrace(now);
    if (!m_pending.empty())
    {
        m_convergenceEvent = Simulator::Schedule(m_pending.front().matures - now,
                                                 &RoutingController::ApplyMaturedChanges,
                                                 this);
    }
}

} // namespace ns3
