#include "uplink-selector.h"

#include "ns3/log.h"
#include "ns3/uinteger.h"

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("UplinkSelector");
NS_OBJECT_ENSURE_REGISTERED(UplinkSelector);
NS_OBJECT_ENSURE_REGISTERED(StaticUplinkSelector);
NS_OBJECT_ENSURE_REGISTERED(FlowHashUplinkSelector);

TypeId
UplinkSelector::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::UplinkSelector")
            .SetParent<Object>()
            .SetGroupName("OverlayFabric")
            .AddTraceSource("UsableSetChanged",
                            "The set of usable uplinks changed (bit i = uplink i usable).",
                            MakeTraceSourceAccessor(&UplinkSelector::m_usableSetChanged),
                            "ns3::UplinkSelector::UsableSetTracedCallback");
    return tid;
}

void
UplinkSelector::SetUplinkCount(uint32_t count)
{
    NS_ABORT_MSG_IF(count == 0 || count > 64, "uplink count must be in 1..64");
    m_usable.assign(count, true);
    m_upList.clear();
    for (uint32_t i = 0; i < count; ++i)
    {
        m_upList.push_back(i);
    }
    Update();
}

uint32_t
UplinkSelector::GetUplinkCount() const
{
    return m_usable.size();
}

void
UplinkSelector::SetUsable(uint32_t uplink, bool usable)
{
    NS_ABORT_MSG_IF(uplink >= m_usable.size(), "no uplink " << uplink);
    if (m_usable[uplink] == usable)
    {
        return;
    }
    m_usable[uplink] = usable;
    m_upList.clear();
    uint64_t mask = 0;
    for (uint32_t i = 0; i < m_usable.size(); ++i)
    {
        if (m_usable[i])
        {
            m_upList.push_back(i);
            mask |= uint64_t{1} << i;
        }
    }
    NS_LOG_INFO("uplink " << uplink << (usable ? " usable" : " unusable") << ", mask " << mask);
    Update();
    m_usableSetChanged(mask);
}

bool
UplinkSelector::IsUsable(uint32_t uplink) const
{
    return uplink < m_usable.size() && m_usable[uplink];
}

TypeId
StaticUplinkSelector::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::StaticUplinkSelector")
            .SetParent<UplinkSelector>()
            .SetGroupName("OverlayFabric")
            .AddConstructor<StaticUplinkSelector>()
            .AddAttribute("PreferredUplink",
                          "Uplink used while it is usable.",
                          UintegerValue(0),
                          MakeUintegerAccessor(&StaticUplinkSelector::m_preferred),
                          MakeUintegerChecker<uint32_t>(0, 63))
            .AddTraceSource("ActiveUplinkChanged",
                            "The uplink all flows use changed (old, new).",
                            MakeTraceSourceAccessor(&StaticUplinkSelector::m_activeChanged),
                            "ns3::StaticUplinkSelector::ActiveUplinkTracedCallback");
    return tid;
}

uint32_t
StaticUplinkSelector::Select(uint32_t) const
{
    return m_active;
}

uint32_t
StaticUplinkSelector::GetActiveUplink() const
{
    return m_active;
}

void
StaticUplinkSelector::Update()
{
    uint32_t next = NO_UPLINK;
    if (IsUsable(m_preferred))
    {
        next = m_preferred;
    }
    else if (!m_upList.empty())
    {
        next = m_upList.front();
    }
    if (next != m_active)
    {
        uint32_t old = m_active;
        m_active = next;
        m_activeChanged(old, next);
    }
}

TypeId
FlowHashUplinkSelector::GetTypeId()
{
    static TypeId tid = TypeId("ns3::FlowHashUplinkSelector")
                            .SetParent<UplinkSelector>()
                            .SetGroupName("OverlayFabric")
                            .AddConstructor<FlowHashUplinkSelector>();
    return tid;
}

uint32_t
FlowHashUplinkSelector::Select(uint32_t innerFlowHash) const
{
    if (m_upList.empty())
    {
        return NO_UPLINK;
    }
    return m_upList[innerFlowHash % m_upList.size()];
}

void
FlowHashUplinkSelector::Update()
{
    // Select() reads m_upList directly; nothing else to precompute.
}

} // namespace ns3
