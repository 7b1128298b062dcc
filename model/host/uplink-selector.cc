#include "uplink-selector.h"

#include "ns3/abort.h"
#include "ns3/boolean.h"
#include "ns3/enum.h"
#include "ns3/log.h"
#include "ns3/uinteger.h"

#include <cmath>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("UplinkSelector");
NS_OBJECT_ENSURE_REGISTERED(UplinkSelector);

TypeId
UplinkSelector::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::UplinkSelector")
            .SetParent<Object>()
            .SetGroupName("OverlayFabric")
            .AddConstructor<UplinkSelector>()
            .AddAttribute("Policy",
                          "Uplink selection policy.",
                          EnumValue(UplinkSelector::FLOW_HASH),
                          MakeEnumAccessor(&UplinkSelector::m_policy),
                          MakeEnumChecker(UplinkSelector::CARRIER_ONLY,
                                          "carrier-only",
                                          UplinkSelector::ACTIVE_STANDBY,
                                          "active-standby",
                                          UplinkSelector::LOWEST_RTT,
                                          "lowest-rtt",
                                          UplinkSelector::LOSS_WEIGHTED,
                                          "loss-weighted",
                                          UplinkSelector::FLOW_HASH,
                                          "flow-hash"))
            .AddAttribute("PreferredUplink",
                          "First uplink in order (CARRIER_ONLY, ACTIVE_STANDBY).",
                          UintegerValue(0),
                          MakeUintegerAccessor(&UplinkSelector::m_preferred),
                          MakeUintegerChecker<uint32_t>(0, 63))
            .AddAttribute("RttHysteresis",
                          "LOWEST_RTT moves only to an uplink whose smoothed RTT is lower by "
                          "more than this.",
                          TimeValue(MicroSeconds(20)),
                          MakeTimeAccessor(&UplinkSelector::m_hysteresis),
                          MakeTimeChecker(Time(0)))
            .AddAttribute("PathReselection",
                          "Move only the flows whose path died to another live path of the same "
                          "uplink, by their outer source port (see the class doc); needs SetPaths.",
                          BooleanValue(false),
                          MakeBooleanAccessor(&UplinkSelector::m_reselect),
                          MakeBooleanChecker())
            .AddTraceSource("PathsChanged",
                            "The live paths of (tunnel, uplink) changed (tunnel, uplink, old, new "
                            "mask).",
                            MakeTraceSourceAccessor(&UplinkSelector::m_pathsChanged),
                            "ns3::UplinkSelector::PathsTracedCallback")
            .AddTraceSource("CandidatesChanged",
                            "The candidate uplinks of a tunnel changed (tunnel, old, new mask).",
                            MakeTraceSourceAccessor(&UplinkSelector::m_candidatesChanged),
                            "ns3::UplinkSelector::CandidatesTracedCallback")
            .AddTraceSource("ActiveChanged",
                            "The uplink a single-choice policy uses for a tunnel changed.",
                            MakeTraceSourceAccessor(&UplinkSelector::m_activeChanged),
                            "ns3::UplinkSelector::ActiveTracedCallback");
    return tid;
}

void
UplinkSelector::SetUplinkCount(uint32_t count)
{
    NS_ABORT_MSG_IF(count == 0 || count > 64, "uplink count must be in 1..64");
    NS_ABORT_MSG_IF(!m_tunnels.empty(), "set the uplink count before adding tunnels");
    m_carrier.assign(count, true);
}

uint32_t
UplinkSelector::GetUplinkCount() const
{
    return m_carrier.size();
}

uint32_t
UplinkSelector::AddTunnel()
{
    NS_ABORT_MSG_IF(m_carrier.empty(), "set the uplink count first");
    Tunnel t;
    uint32_t n = m_carrier.size();
    t.healthy.assign(n, true);
    t.degraded.assign(n, false);
    t.srtt.assign(n, Time::Max());
    t.loss.assign(n, 0.0);
    m_tunnels.push_back(t);
    m_choices.emplace_back();
    if (!m_paths.empty())
    {
        m_paths.resize(m_tunnels.size() * n); // a new tunnel has no probed paths yet
    }
    Recompute(m_tunnels.size() - 1);
    return m_tunnels.size() - 1;
}

uint32_t
UplinkSelector::GetTunnelCount() const
{
    return m_tunnels.size();
}

void
UplinkSelector::SetCarrier(uint32_t uplink, bool up)
{
    NS_ABORT_MSG_IF(uplink >= m_carrier.size(), "no uplink " << uplink);
    if (m_carrier[uplink] == up)
    {
        return;
    }
    m_carrier[uplink] = up;
    for (uint32_t t = 0; t < m_tunnels.size(); ++t)
    {
        Recompute(t);
    }
}

void
UplinkSelector::SetHealth(uint32_t tunnel, uint32_t uplink, bool up)
{
    Tunnel& t = m_tunnels.at(tunnel);
    if (t.healthy.at(uplink) != up)
    {
        t.healthy[uplink] = up;
        Recompute(tunnel);
    }
}

void
UplinkSelector::SetPaths(uint32_t tunnel, uint32_t uplink, const std::vector<uint32_t>& flowHashes)
{
    const uint32_t n = m_carrier.size();
    NS_ABORT_MSG_IF(tunnel >= m_tunnels.size() || uplink >= n, "SetPaths: no such tunnel/uplink");
    NS_ABORT_MSG_IF(flowHashes.empty() || flowHashes.size() > 64, "SetPaths: 1..64 paths");
    m_paths.resize(m_tunnels.size() * n);
    PathSet& set = m_paths[tunnel * n + uplink];
    set.flowHashes = flowHashes;
    set.live = flowHashes.size() == 64 ? ~uint64_t{0} : (uint64_t{1} << flowHashes.size()) - 1;
    set.liveCount = flowHashes.size();
    for (uint32_t p = 0; p < flowHashes.size(); ++p)
    {
        set.liveList[p] = static_cast<uint8_t>(p);
    }
}

void
UplinkSelector::SetPathHealth(uint32_t tunnel, uint32_t uplink, uint32_t path, bool up)
{
    const uint32_t n = m_carrier.size();
    if (m_paths.empty() || m_paths[tunnel * n + uplink].flowHashes.empty())
    {
        NS_ABORT_MSG_IF(path != 0, "SetPathHealth: path " << path << " without SetPaths");
        SetHealth(tunnel, uplink, up);
        return;
    }
    PathSet& set = m_paths[tunnel * n + uplink];
    NS_ABORT_MSG_IF(path >= set.flowHashes.size(), "SetPathHealth: no path " << path);
    const uint64_t old = set.live;
    set.live = up ? old | uint64_t{1} << path : old & ~(uint64_t{1} << path);
    if (set.live == old)
    {
        return;
    }
    set.liveCount = 0;
    for (uint32_t p = 0; p < set.flowHashes.size(); ++p)
    {
        if (set.live >> p & 1)
        {
            set.liveList[set.liveCount++] = static_cast<uint8_t>(p);
        }
    }
    const uint64_t all =
        set.flowHashes.size() == 64 ? ~uint64_t{0} : (uint64_t{1} << set.flowHashes.size()) - 1;
    if (m_reselect)
    {
        m_pathsChanged(tunnel, uplink, old, set.live);
    }
    // Re-selection keeps an uplink while one of its paths lives; otherwise any dead path is the
    // uplink's for this tunnel.
    SetHealth(tunnel, uplink, m_reselect ? set.live != 0 : set.live == all);
}

uint64_t
UplinkSelector::GetLivePaths(uint32_t tunnel, uint32_t uplink) const
{
    const uint32_t n = m_carrier.size();
    if (m_paths.empty() || m_paths.at(tunnel * n + uplink).flowHashes.empty())
    {
        return ~uint64_t{0};
    }
    return m_paths[tunnel * n + uplink].live;
}

uint32_t
UplinkSelector::PathFlowHash(uint32_t tunnel, uint32_t uplink, uint32_t flowHash) const
{
    if (!m_reselect || m_paths.empty())
    {
        return flowHash;
    }
    const PathSet& set = m_paths[tunnel * m_carrier.size() + uplink];
    const uint32_t n = set.flowHashes.size();
    if (n == 0)
    {
        return flowHash;
    }
    // A flow keeps its own path while it lives; the flows of a dead one spread over the live.
    const uint32_t own = flowHash % n;
    if ((set.live >> own & 1) || set.liveCount == 0)
    {
        return set.flowHashes[own];
    }
    return set.flowHashes[set.liveList[(flowHash / n) % set.liveCount]];
}

void
UplinkSelector::SetDegraded(uint32_t tunnel, uint32_t uplink, bool degraded)
{
    Tunnel& t = m_tunnels.at(tunnel);
    if (t.degraded.at(uplink) != degraded)
    {
        t.degraded[uplink] = degraded;
        Recompute(tunnel);
    }
}

void
UplinkSelector::SetRtt(uint32_t tunnel, uint32_t uplink, Time smoothedRtt)
{
    Tunnel& t = m_tunnels.at(tunnel);
    t.srtt.at(uplink) = smoothedRtt;
    if (m_policy == LOWEST_RTT)
    {
        Recompute(tunnel);
    }
}

void
UplinkSelector::SetLoss(uint32_t tunnel, uint32_t uplink, double loss)
{
    Tunnel& t = m_tunnels.at(tunnel);
    // The table only changes with whole percent steps: no recomputation churn per echo.
    bool changed = std::lround(t.loss.at(uplink) * 100) != std::lround(loss * 100);
    t.loss[uplink] = loss;
    if (m_policy == LOSS_WEIGHTED && changed)
    {
        Recompute(tunnel);
    }
}

uint64_t
UplinkSelector::GetCandidates(uint32_t tunnel) const
{
    return m_choices.at(tunnel).candidates;
}

uint32_t
UplinkSelector::FirstInOrder(uint64_t mask) const
{
    uint32_t n = m_carrier.size();
    for (uint32_t i = 0; i < n; ++i)
    {
        uint32_t u = (m_preferred + i) % n;
        if (mask >> u & 1)
        {
            return u;
        }
    }
    return NO_UPLINK;
}

uint32_t
UplinkSelector::LowestRtt(const Tunnel& t, uint32_t active, uint64_t mask) const
{
    uint32_t best = FirstInOrder(mask);
    if (best == NO_UPLINK)
    {
        return best;
    }
    for (uint32_t u = 0; u < m_carrier.size(); ++u)
    {
        if ((mask >> u & 1) && t.srtt[u] < t.srtt[best])
        {
            best = u;
        }
    }
    // Hysteresis: stay on the current uplink unless the best is better by more than it.
    if (active != NO_UPLINK && (mask >> active & 1) && t.srtt[active] != Time::Max() &&
        t.srtt[active] <= t.srtt[best] + m_hysteresis)
    {
        return active;
    }
    return best;
}

void
UplinkSelector::Recompute(uint32_t tunnel)
{
    const Tunnel& t = m_tunnels[tunnel];
    Choice& c = m_choices[tunnel];
    uint64_t carrier = 0;
    uint64_t usable = 0;
    uint64_t good = 0;
    for (uint32_t u = 0; u < m_carrier.size(); ++u)
    {
        if (!m_carrier[u])
        {
            continue;
        }
        carrier |= uint64_t{1} << u;
        if (m_policy == CARRIER_ONLY || t.healthy[u])
        {
            usable |= uint64_t{1} << u;
            if (m_policy == CARRIER_ONLY || !t.degraded[u])
            {
                good |= uint64_t{1} << u;
            }
        }
    }
    uint64_t mask = good != 0 ? good : usable != 0 ? usable : carrier;

    uint32_t active = NO_UPLINK;
    std::vector<uint32_t> spread;
    switch (m_policy)
    {
    case CARRIER_ONLY:
    case ACTIVE_STANDBY:
        active = FirstInOrder(mask);
        break;
    case LOWEST_RTT:
        active = LowestRtt(t, c.active, mask);
        break;
    case FLOW_HASH:
        for (uint32_t u = 0; u < m_carrier.size(); ++u)
        {
            if (mask >> u & 1)
            {
                spread.push_back(u);
            }
        }
        break;
    case LOSS_WEIGHTED: {
        // Largest-remainder apportionment of the slots by weight 1 - loss (at least 1%).
        std::vector<double> w(m_carrier.size(), 0.0);
        double total = 0;
        for (uint32_t u = 0; u < m_carrier.size(); ++u)
        {
            if (mask >> u & 1)
            {
                w[u] = std::max(0.01, 1.0 - t.loss[u]);
                total += w[u];
            }
        }
        if (total > 0)
        {
            std::vector<std::pair<double, uint32_t>> remainders;
            for (uint32_t u = 0; u < m_carrier.size(); ++u)
            {
                double share = w[u] / total * SPREAD_SLOTS;
                uint32_t whole = static_cast<uint32_t>(share);
                spread.insert(spread.end(), whole, u);
                if (w[u] > 0)
                {
                    remainders.emplace_back(share - whole, u);
                }
            }
            std::stable_sort(remainders.begin(), remainders.end(), [](auto& a, auto& b) {
                return a.first > b.first;
            });
            for (size_t i = 0; spread.size() < SPREAD_SLOTS; ++i)
            {
                spread.push_back(remainders[i % remainders.size()].second);
            }
        }
        break;
    }
    }

    c.spreadSize = spread.size();
    std::copy(spread.begin(), spread.end(), c.spread.begin());
    if (mask != c.candidates)
    {
        uint64_t old = c.candidates;
        c.candidates = mask;
        NS_LOG_INFO("tunnel " << tunnel << " candidates " << old << " -> " << mask);
        m_candidatesChanged(tunnel, old, mask);
    }
    if (active != c.active)
    {
        uint32_t old = c.active;
        c.active = active;
        m_activeChanged(tunnel, old, active);
    }
}

uint32_t
UplinkSelector::Select(uint32_t tunnel, uint32_t flowHash) const
{
    const Choice& c = m_choices[tunnel];
    switch (m_policy)
    {
    case CARRIER_ONLY:
    case ACTIVE_STANDBY:
    case LOWEST_RTT:
        return c.active;
    case FLOW_HASH: {
        if (c.spreadSize == 0)
        {
            return NO_UPLINK;
        }
        uint32_t own = flowHash % m_carrier.size();
        return (c.candidates >> own & 1) ? own : c.spread[flowHash % c.spreadSize];
    }
    case LOSS_WEIGHTED:
        return c.spreadSize == 0 ? NO_UPLINK : c.spread[flowHash % SPREAD_SLOTS];
    }
    return NO_UPLINK;
}

} // namespace ns3
