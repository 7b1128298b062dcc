#include "service-classifier.h"

#include "service-plane.h"

#include "ns3/abort.h"
#include "ns3/log.h"

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("ServiceClassifier");
NS_OBJECT_ENSURE_REGISTERED(ServiceClassifier);

TypeId
ServiceClassifier::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::ServiceClassifier")
            .SetParent<PortStage>()
            .SetGroupName("OverlayFabric")
            .AddConstructor<ServiceClassifier>()
            .AddTraceSource("PathSelected",
                            "The path a chain's packets take changed: (chain, SPI or NO_PATH, "
                            "cause).",
                            MakeTraceSourceAccessor(&ServiceClassifier::m_pathSelectedTrace),
                            "ns3::ServiceClassifier::PathSelectedTracedCallback");
    return tid;
}

void
ServiceClassifier::DoDispose()
{
    m_plane = nullptr;
    PortStage::DoDispose();
}

void
ServiceClassifier::SetServicePlane(Ptr<ServicePlane> plane)
{
    m_plane = plane;
}

void
ServiceClassifier::AddChain(uint32_t chain, const std::vector<ServicePathSpec>& paths)
{
    NS_ABORT_MSG_IF(paths.empty(), "chain " << chain << " without a path");
    std::vector<uint32_t>& indexes = m_chains[chain];
    for (const ServicePathSpec& spec : paths)
    {
        NS_ABORT_MSG_IF(m_pathOfSpi.count(spec.spi) != 0, "SPI " << spec.spi << " twice");
        m_pathOfSpi[spec.spi] = m_paths.size();
        indexes.push_back(m_paths.size());
        m_paths.push_back(Path{spec, chain});
    }
    m_selected[chain] = indexes.front();
}

void
ServiceClassifier::AddRule(const ServiceRule& rule)
{
    NS_ABORT_MSG_IF(m_chains.count(rule.chain) == 0, "rule for unknown chain " << rule.chain);
    m_rules.push_back(rule);
    m_flowChain.clear(); // flows classified before would see the new rule
}

uint32_t
ServiceClassifier::GetSelectedPath(uint32_t chain) const
{
    const uint32_t p = m_selected.at(chain);
    return p == NO_PATH ? NO_PATH : m_paths[p].spec.spi;
}

void
ServiceClassifier::Reselect(uint32_t chain, Cause cause)
{
    uint32_t chosen = NO_PATH;
    for (uint32_t p : m_chains.at(chain))
    {
        if (m_paths[p].controllerUp && !m_paths[p].reflectedDown)
        {
            chosen = p;
            break;
        }
    }
    uint32_t& selected = m_selected[chain];
    if (chosen == selected)
    {
        return;
    }
    selected = chosen;
    const uint32_t spi = chosen == NO_PATH ? NO_PATH : m_paths[chosen].spec.spi;
    NS_LOG_INFO("chain " << chain << " now on SPI " << spi << " cause " << +cause);
    m_pathSelectedTrace(chain, spi, cause);
}

void
ServiceClassifier::SetPathStatus(const std::vector<std::pair<uint32_t, bool>>& statuses)
{
    std::vector<uint32_t> chains;
    for (const auto& [spi, up] : statuses)
    {
        auto p = m_pathOfSpi.find(spi);
        if (p == m_pathOfSpi.end())
        {
            continue; // a path of a chain this host's VMs do not use
        }
        Path& path = m_paths[p->second];
        path.controllerUp = up;
        // The controller has the last word: what a reflection said is superseded by its push.
        path.reflectedDown = false;
        chains.push_back(path.chain);
    }
    for (uint32_t chain : chains)
    {
        Reselect(chain, CAUSE_CONTROLLER);
    }
}

void
ServiceClassifier::Reflected(Ptr<Packet> inner, const NshHeader& nsh, uint32_t flowHash)
{
    auto p = m_pathOfSpi.find(nsh.GetSpi());
    const uint32_t offset = p == m_pathOfSpi.end()
                                ? UINT32_MAX
                                : uint32_t{m_paths[p->second].spec.firstSi} - nsh.GetServiceIndex();
    if (p == m_pathOfSpi.end() || offset >= m_paths[p->second].spec.svms.size())
    {
        m_plane->Drop(inner, DropReason::NO_SERVICE_HOP);
        return;
    }
    const Path& reflectedPath = m_paths[p->second];
    const uint32_t failed = reflectedPath.spec.svms[offset];
    const uint32_t chain = reflectedPath.chain;
    if (reflectedPath.reflectedDown)
    {
        // A packet that was on its way when the first reflection switched the chain: no rescan.
        if (!Steer(chain, inner, nsh.GetSourceVni(), flowHash))
        {
            m_plane->Drop(inner, DropReason::NO_SERVICE_PATH);
        }
        return;
    }
    // Every path through the failed SVM (paragraph 0064), not only the one reported.
    for (Path& path : m_paths)
    {
        for (uint32_t svm : path.spec.svms)
        {
            if (svm == failed)
            {
                path.reflectedDown = true;
                break;
            }
        }
    }
    for (const auto& [id, indexes] : m_chains)
    {
        Reselect(id, CAUSE_REFLECTION);
    }
    if (!Steer(chain, inner, nsh.GetSourceVni(), flowHash))
    {
        m_plane->Drop(inner, DropReason::NO_SERVICE_PATH);
    }
}

uint32_t
ServiceClassifier::Classify(const FiveTuple& key) const
{
    for (const ServiceRule& rule : m_rules)
    {
        if ((rule.source == 0 || rule.source == key.src) &&
            (rule.destination == 0 || rule.destination == key.dst) &&
            (rule.protocol == 0 || rule.protocol == key.proto) &&
            (rule.dstPort == 0 || rule.dstPort == key.dport))
        {
            return rule.chain;
        }
    }
    return NO_CHAIN;
}

bool
ServiceClassifier::Steer(uint32_t chain, Ptr<Packet> inner, uint32_t vni, uint32_t flowHash)
{
    const uint32_t p = m_selected[chain];
    if (p == NO_PATH)
    {
        return false;
    }
    const ServicePathSpec& spec = m_paths[p].spec;
    NshHeader nsh;
    nsh.SetSpi(spec.spi);
    nsh.SetServiceIndex(spec.firstSi);
    nsh.SetSourceVtep(m_plane->GetLocalAddress());
    nsh.SetSourceVni(vni);
    m_plane->Forward(inner, nsh, flowHash);
    return true;
}

PortVerdict
ServiceClassifier::Process(PortContext& ctx)
{
    if (!ctx.hasFiveTuple)
    {
        return PortVerdict::Continue();
    }
    auto cached = m_flowChain.find(ctx.key);
    if (cached == m_flowChain.end())
    {
        cached = m_flowChain.emplace(ctx.key, Classify(ctx.key)).first;
    }
    if (cached->second == NO_CHAIN)
    {
        return PortVerdict::Continue();
    }
    if (!Steer(cached->second, ctx.frame, ctx.vni, ctx.flowHash))
    {
        return PortVerdict::Drop(DropReason::NO_SERVICE_PATH);
    }
    return PortVerdict::Consumed();
}

} // namespace ns3
