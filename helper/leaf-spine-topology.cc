#include "leaf-spine-topology.h"

#include "ns3/abort.h"
#include "ns3/log.h"
#include "ns3/simulator.h"
#include "ns3/trace-helper.h"
#include "ns3/trace-source-accessor.h"

#include <boost/graph/breadth_first_search.hpp>
#include <boost/graph/filtered_graph.hpp>
#include <boost/graph/visitors.hpp>
#include <fmt/format.h>
#include <functional>
#include <limits>
#include <stdexcept>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("LeafSpineFabric");

NS_OBJECT_ENSURE_REGISTERED(LeafSpineFabric);

namespace
{

constexpr uint32_t UNREACHED = std::numeric_limits<uint32_t>::max();

/// First VTEP address: host h has VTEP_BASE + h + 1 (10.1.0.1 for host0).
constexpr uint32_t VTEP_BASE = 0x0a010000;

/// Most hosts the 10.1.0.0/16 VTEP range holds.
constexpr uint32_t MAX_HOSTS = 65534;

/// splitmix64: derives well-spread seeds from (scenario seed, switch index).
uint64_t
SplitMix64(uint64_t x)
{
    x += 0x9e3779b97f4a7c15ULL;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}

/// Edge filter of the routing BFS: links routing believes are up.
struct RoutingEdgeFilter
{
    const std::vector<bool>* up{nullptr}; //!< routing view by link index
    const FabricGraph* graph{nullptr};    //!< the graph

    bool operator()(FabricGraph::edge_descriptor e) const
    {
        return (*up)[(*graph)[e].link];
    }
};

/// Vertex filter of the routing BFS: switches and the destination host only.
struct RoutingVertexFilter
{
    const FabricGraph* graph{nullptr};             //!< the graph
    FabricGraph::vertex_descriptor destination{0}; //!< the only host that may be visited

    bool operator()(FabricGraph::vertex_descriptor v) const
    {
        return v == destination || (*graph)[v].kind != FabricNodeKind::HOST;
    }
};

} // namespace

FabricGraph
BuildLeafSpineGraph(const FabricConfig& cfg)
{
    cfg.Validate();
    const uint32_t spines = cfg.spines;
    const uint32_t leaves = cfg.NumLeaves();
    const uint32_t hosts = cfg.NumHosts();
    FabricGraph g(spines + leaves + hosts);
    for (uint32_t s = 0; s < spines; ++s)
    {
        g[s] = FabricVertex{FabricNodeKind::SPINE, s, fmt::format("spine{}", s)};
    }
    for (uint32_t l = 0; l < leaves; ++l)
    {
        g[spines + l] = FabricVertex{FabricNodeKind::LEAF, l, fmt::format("leaf{}", l)};
    }
    for (uint32_t h = 0; h < hosts; ++h)
    {
        g[spines + leaves + h] = FabricVertex{FabricNodeKind::HOST, h, fmt::format("host{}", h)};
    }
    uint32_t link = 0;
    for (uint32_t l = 0; l < leaves; ++l)
    {
        for (uint32_t s = 0; s < spines; ++s)
        {
            boost::add_edge(
                spines + l,
                s,
                FabricEdge{FabricLinkTier::CORE, fmt::format("leaf{}-spine{}", l, s), link++, 0},
                g);
        }
    }
    for (uint32_t h = 0; h < hosts; ++h)
    {
        for (uint32_t k = 0; k < cfg.uplinksPerHost; ++k)
        {
            boost::add_edge(
                spines + leaves + h,
                spines + cfg.LeafOfUplink(h, k),
                FabricEdge{FabricLinkTier::ACCESS, fmt::format("host{}/uplink{}", h, k), link++, k},
                g);
        }
    }
    return g;
}

TypeId
LeafSpineFabric::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::LeafSpineFabric")
            .SetParent<Object>()
            .SetGroupName("OverlayFabric")
            .AddConstructor<LeafSpineFabric>()
            .AddTraceSource("RoutesConverged",
                            "Routing tables were recomputed and applied after link events",
                            MakeTraceSourceAccessor(&LeafSpineFabric::m_routesConvergedTrace),
                            "ns3::LeafSpineFabric::RoutesConvergedTracedCallback");
    return tid;
}

LeafSpineFabric::LeafSpineFabric()
    : m_switchFactory("ns3::FabricSwitch"),
      m_deviceFactory("ns3::FabricNetDevice"),
      m_channelFactory("ns3::FabricChannel"),
      m_routingFactory("ns3::RoutingController")
{
    NS_LOG_FUNCTION(this);
}

LeafSpineFabric::LeafSpineFabric(const FabricConfig& cfg, uint32_t seed)
    : LeafSpineFabric()
{
    NS_LOG_FUNCTION(this);
    Build(cfg, seed);
}

LeafSpineFabric::~LeafSpineFabric()
{
    NS_LOG_FUNCTION(this);
}

void
LeafSpineFabric::DoDispose()
{
    NS_LOG_FUNCTION(this);
    if (m_routing)
    {
        m_routing->Dispose(); // cancels its event, disconnects from the channels
        m_routing = nullptr;
    }
    for (auto& sw : m_switches)
    {
        sw->Dispose();
    }
    m_switches.clear();
    m_hosts.clear();
    m_uplinks.clear();
    m_devices.clear();
    m_links.clear();
    m_linkByDevice.clear();
    Object::DoDispose();
}

void
LeafSpineFabric::Build(const FabricConfig& cfg, uint32_t seed)
{
    NS_LOG_FUNCTION(this << seed);
    NS_ABORT_MSG_IF(!m_links.empty(), "LeafSpineFabric::Build called twice");
    m_graph = BuildLeafSpineGraph(cfg); // validates
    m_config = cfg;
    m_seed = seed;

    m_routing = m_routingFactory.Create<RoutingController>();
    m_routing->SetAttribute("ConvergenceDelay", TimeValue(cfg.routingConvergence));
    m_routing->SetRecomputeCallback(MakeCallback(&LeafSpineFabric::ProgramRoutes, this));
    m_routing->TraceConnectWithoutContext("RoutesConverged",
                                          MakeCallback(&LeafSpineFabric::RoutesConverged, this));

    const uint32_t numSwitches = cfg.spines + cfg.NumLeaves();
    const uint32_t numHosts = cfg.NumHosts();
    for (uint32_t i = 0; i < numSwitches; ++i)
    {
        Ptr<FabricSwitch> sw = m_switchFactory.Create<FabricSwitch>();
        sw->SetEcmpSeed(SplitMix64(SplitMix64(seed) ^ (0x5157ULL << 32) ^ i));
        m_switches.push_back(sw);
    }
    m_uplinks.assign(numHosts, {});
    for (uint32_t h = 0; h < numHosts; ++h)
    {
        m_hosts.push_back(CreateObject<Node>());
    }

    const uint32_t numLinks = static_cast<uint32_t>(boost::num_edges(m_graph));
    m_links.resize(numLinks);
    for (auto [it, last] = boost::edges(m_graph); it != last; ++it)
    {
        const FabricEdge& e = m_graph[*it];
        Link& link = m_links[e.link];
        const LinkTierConfig& tier = e.tier == FabricLinkTier::CORE ? cfg.core : cfg.access;
        link.name = e.name;
        link.tier = e.tier;
        link.vertex[0] = static_cast<uint32_t>(boost::source(*it, m_graph));
        link.vertex[1] = static_cast<uint32_t>(boost::target(*it, m_graph));
        link.channel = m_channelFactory.Create<FabricChannel>();
        link.channel->SetDelay(tier.delay);
        for (int end = 0; end < 2; ++end)
        {
            Ptr<FabricNetDevice> dev = m_deviceFactory.Create<FabricNetDevice>();
            dev->SetDataRate(tier.rate);
            dev->SetMtu(static_cast<uint16_t>(tier.mtu));
            dev->SetQueueBytes(tier.queueBytes);
            dev->SetLayer1Overhead(cfg.layer1Overhead);
            dev->Attach(link.channel);
            link.ends[end] = dev;
        }
    }
    // Devices join their nodes/switches in link order, so port numbers are predictable: a leaf's
    // ports are spine0.. then its hosts, a spine's ports are leaf0...
    for (uint32_t i = 0; i < numLinks; ++i)
    {
        Link& link = m_links[i];
        for (int end = 0; end < 2; ++end)
        {
            const FabricVertex& v = m_graph[link.vertex[end]];
            if (v.kind == FabricNodeKind::HOST)
            {
                m_hosts[v.index]->AddDevice(link.ends[end]);
                m_uplinks[v.index].push_back(link.ends[end]);
                link.port[end] = -1;
            }
            else
            {
                link.port[end] =
                    static_cast<int32_t>(m_switches[link.vertex[end]]->AddPort(link.ends[end]));
            }
            m_devices.push_back(link.ends[end]);
            m_linkByDevice[PeekPointer(link.ends[end])] = i;
        }
        const uint32_t routingLink = m_routing->AddLink(link.channel);
        NS_ABORT_MSG_IF(routingLink != i, "routing link index " << routingLink << " != " << i);
    }
    // Multicast trees: a leaf's ports 0 .. spines - 1 are its ports to spine0, spine1, ...
    std::vector<uint32_t> spinePorts(cfg.spines);
    for (uint32_t s = 0; s < cfg.spines; ++s)
    {
        spinePorts[s] = s;
    }
    for (uint32_t l = 0; l < cfg.NumLeaves(); ++l)
    {
        m_switches[cfg.spines + l]->SetMulticastLeaf(spinePorts);
    }
    RecomputeRoutes();
}

void
LeafSpineFabric::SetSwitchFactory(const ObjectFactory& factory)
{
    NS_ABORT_MSG_IF(!m_links.empty(), "LeafSpineFabric::SetSwitchFactory after Build");
    m_switchFactory = factory;
}

void
LeafSpineFabric::SetDeviceFactory(const ObjectFactory& factory)
{
    NS_ABORT_MSG_IF(!m_links.empty(), "LeafSpineFabric::SetDeviceFactory after Build");
    m_deviceFactory = factory;
}

void
LeafSpineFabric::SetChannelFactory(const ObjectFactory& factory)
{
    NS_ABORT_MSG_IF(!m_links.empty(), "LeafSpineFabric::SetChannelFactory after Build");
    m_channelFactory = factory;
}

void
LeafSpineFabric::SetRoutingFactory(const ObjectFactory& factory)
{
    NS_ABORT_MSG_IF(!m_links.empty(), "LeafSpineFabric::SetRoutingFactory after Build");
    m_routingFactory = factory;
}

Ptr<RoutingController>
LeafSpineFabric::GetRoutingController() const
{
    return m_routing;
}

void
LeafSpineFabric::RecomputeRoutes()
{
    NS_LOG_FUNCTION(this);
    NS_ABORT_MSG_IF(!m_routing, "LeafSpineFabric::RecomputeRoutes before Build");
    m_routing->Recompute();
}

void
LeafSpineFabric::RoutesConverged(Time at)
{
    m_routesConvergedTrace(at);
}

void
LeafSpineFabric::ProgramRoutes(const std::vector<bool>& up)
{
    NS_LOG_FUNCTION(this);
    const uint32_t numSwitches = static_cast<uint32_t>(m_switches.size());
    const uint32_t numVertices = static_cast<uint32_t>(boost::num_vertices(m_graph));
    std::vector<FabricSwitch::RouteTable> tables(numSwitches);
    std::vector<uint32_t> dist(numVertices);
    auto distMap =
        boost::make_iterator_property_map(dist.begin(), boost::get(boost::vertex_index, m_graph));
    for (uint32_t h = 0; h < m_hosts.size(); ++h)
    {
        const uint32_t dstVertex = numSwitches + h;
        RoutingEdgeFilter ef{&up, &m_graph};
        RoutingVertexFilter vf{&m_graph, dstVertex};
        boost::filtered_graph<FabricGraph, RoutingEdgeFilter, RoutingVertexFilter> fg(m_graph,
                                                                                      ef,
                                                                                      vf);
        std::fill(dist.begin(), dist.end(), UNREACHED);
        dist[dstVertex] = 0;
        boost::breadth_first_search(fg,
                                    dstVertex,
                                    boost::visitor(boost::make_bfs_visitor(
                                        boost::record_distances(distMap, boost::on_tree_edge()))));
        const uint32_t vtep = VTEP_BASE + h + 1;
        for (uint32_t v = 0; v < numSwitches; ++v)
        {
            if (dist[v] == UNREACHED || dist[v] == 0)
            {
                continue;
            }
            NextHopGroup group;
            for (auto [it, last] = boost::out_edges(v, fg); it != last; ++it)
            {
                const uint32_t u = static_cast<uint32_t>(boost::target(*it, fg));
                if (dist[u] + 1 != dist[v])
                {
                    continue;
                }
                const Link& link = m_links[m_graph[*it].link];
                const int side = link.vertex[0] == v ? 0 : 1;
                group.ports.push_back(static_cast<uint32_t>(link.port[side]));
            }
            if (!group.ports.empty())
            {
                tables[v].emplace(vtep, std::move(group));
            }
        }
    }
    for (uint32_t v = 0; v < numSwitches; ++v)
    {
        m_switches[v]->SetRoutes(std::move(tables[v]));
    }
    ProgramMulticastRoots(up);
}

void
LeafSpineFabric::ProgramMulticastRoots(const std::vector<bool>& up)
{
    // A group's root may be a spine that routing believes reaches every leaf (then the tree
    // through it reaches every member); with none, each leaf uses the spines it reaches.
    const uint32_t spines = m_config.spines;
    const uint32_t leaves = m_config.NumLeaves();
    auto linkUp = [&](uint32_t leaf, uint32_t spine) { return up[leaf * spines + spine]; };
    std::vector<uint32_t> everywhere;
    for (uint32_t s = 0; s < spines; ++s)
    {
        bool all = true;
        for (uint32_t l = 0; l < leaves && all; ++l)
        {
            all = linkUp(l, s);
        }
        if (all)
        {
            everywhere.push_back(s);
        }
    }
    for (uint32_t l = 0; l < leaves; ++l)
    {
        std::vector<uint32_t> roots;
        for (uint32_t s = 0; s < spines; ++s)
        {
            const bool eligible = everywhere.empty()
                                      ? linkUp(l, s)
                                      : std::binary_search(everywhere.begin(), everywhere.end(), s);
            if (eligible)
            {
                roots.push_back(s); // the leaf's port to spine s
            }
        }
        m_switches[spines + l]->SetMulticastRoots(std::move(roots));
    }
}

const FabricConfig&
LeafSpineFabric::GetConfig() const
{
    return m_config;
}

const FabricGraph&
LeafSpineFabric::GetGraph() const
{
    return m_graph;
}

uint32_t
LeafSpineFabric::GetNumHosts() const
{
    return static_cast<uint32_t>(m_hosts.size());
}

uint32_t
LeafSpineFabric::GetNumSpines() const
{
    return m_config.spines;
}

uint32_t
LeafSpineFabric::GetNumLeaves() const
{
    return m_config.NumLeaves();
}

Ptr<Node>
LeafSpineFabric::GetHostNode(uint32_t h) const
{
    return h < m_hosts.size() ? m_hosts[h] : nullptr;
}

Ptr<FabricNetDevice>
LeafSpineFabric::GetHostUplink(uint32_t h, uint32_t k) const
{
    if (h >= m_uplinks.size() || k >= m_uplinks[h].size())
    {
        return nullptr;
    }
    return m_uplinks[h][k];
}

Ipv4Address
LeafSpineFabric::GetVtepAddress(uint32_t h) const
{
    return Ipv4Address(VTEP_BASE + h + 1);
}

int32_t
LeafSpineFabric::GetHostByVtep(Ipv4Address address) const
{
    const uint32_t a = address.Get();
    if (a <= VTEP_BASE || a > VTEP_BASE + m_hosts.size())
    {
        return -1;
    }
    return static_cast<int32_t>(a - VTEP_BASE - 1);
}

Ptr<FabricSwitch>
LeafSpineFabric::GetSpine(uint32_t s) const
{
    return s < m_config.spines && s < m_switches.size() ? m_switches[s] : nullptr;
}

Ptr<FabricSwitch>
LeafSpineFabric::GetLeaf(uint32_t l) const
{
    const std::size_t i = static_cast<std::size_t>(m_config.spines) + l;
    return l < m_config.NumLeaves() && i < m_switches.size() ? m_switches[i] : nullptr;
}

const std::vector<Ptr<FabricSwitch>>&
LeafSpineFabric::GetSwitches() const
{
    return m_switches;
}

const std::vector<Ptr<FabricNetDevice>>&
LeafSpineFabric::GetDevices() const
{
    return m_devices;
}

std::vector<std::string>
LeafSpineFabric::GetLinkNames() const
{
    std::vector<std::string> names;
    names.reserve(m_links.size());
    for (const auto& link : m_links)
    {
        names.push_back(link.name);
    }
    return names;
}

std::optional<uint32_t>
LeafSpineFabric::LinkIndex(const LinkRef& link) const
{
    // Link order of BuildLeafSpineGraph: leaf-major leaf-spine links, then host-major uplinks.
    const FabricConfig& c = m_config;
    if (!link.IsValid())
    {
        return std::nullopt;
    }
    uint32_t a = link.GetFirst();
    uint32_t b = link.GetSecond();
    if (link.GetKind() == LinkRef::Kind::LEAF_SPINE)
    {
        if (a >= c.NumLeaves() || b >= c.spines)
        {
            return std::nullopt;
        }
        return a * c.spines + b;
    }
    if (a >= c.NumHosts() || b >= c.uplinksPerHost)
    {
        return std::nullopt;
    }
    return c.NumLeaves() * c.spines + a * c.uplinksPerHost + b;
}

uint32_t
LeafSpineFabric::FindLink(const LinkRef& name) const
{
    std::optional<uint32_t> index = LinkIndex(name);
    if (!index || *index >= m_links.size())
    {
        throw std::invalid_argument(
            fmt::format("unknown fabric link '{}' (expected e.g. 'host0/uplink1' or "
                        "'leaf0-spine1')",
                        name.Format()));
    }
    return *index;
}

Ptr<FabricChannel>
LeafSpineFabric::GetLink(const LinkRef& name) const
{
    std::optional<uint32_t> index = LinkIndex(name);
    return index && *index < m_links.size() ? m_links[*index].channel : nullptr;
}

std::pair<Ptr<FabricNetDevice>, Ptr<FabricNetDevice>>
LeafSpineFabric::GetLinkEnds(const LinkRef& name) const
{
    std::optional<uint32_t> index = LinkIndex(name);
    if (!index || *index >= m_links.size())
    {
        return {nullptr, nullptr};
    }
    const Link& link = m_links[*index];
    return {link.ends[0], link.ends[1]};
}

std::string
LeafSpineFabric::GetLinkName(Ptr<const NetDevice> device) const
{
    auto it = m_linkByDevice.find(PeekPointer(device));
    return it == m_linkByDevice.end() ? std::string() : m_links[it->second].name;
}

bool
LeafSpineFabric::IsLinkUpForRouting(const LinkRef& name) const
{
    return m_routing->IsLinkUp(FindLink(name));
}

void
LeafSpineFabric::SetLinkCarrier(const LinkRef& name, bool up)
{
    NS_LOG_FUNCTION(this << name << up);
    m_links[FindLink(name)].channel->SetCarrier(up); // CarrierChanged follows via the trace
}

void
LeafSpineFabric::SetSilentDrop(const LinkRef& name, FaultDirection direction, double fraction)
{
    NS_LOG_FUNCTION(this << name << fraction);
    const Link& link = m_links[FindLink(name)];
    if (fraction < 0.0 || fraction > 1.0)
    {
        throw std::invalid_argument(
            fmt::format("silent drop on '{}': fraction must be in [0, 1] (got {})",
                        name,
                        fraction));
    }
    if (direction != FaultDirection::REVERSE)
    {
        link.ends[0]->SetSilentDrop(fraction);
    }
    if (direction != FaultDirection::FORWARD)
    {
        link.ends[1]->SetSilentDrop(fraction);
    }
}

void
LeafSpineFabric::SetAddedDelay(const LinkRef& name, FaultDirection direction, Time delay)
{
    NS_LOG_FUNCTION(this << name << delay);
    const Link& link = m_links[FindLink(name)];
    if (delay.IsStrictlyNegative())
    {
        throw std::invalid_argument(fmt::format("added delay on '{}': must be >= 0", name));
    }
    if (direction != FaultDirection::REVERSE)
    {
        link.ends[0]->SetAddedDelay(delay);
    }
    if (direction != FaultDirection::FORWARD)
    {
        link.ends[1]->SetAddedDelay(delay);
    }
}

std::string
LeafSpineFabric::EnablePcap(const std::string& prefix, const LinkRef& linkName)
{
    NS_LOG_FUNCTION(this << prefix << linkName);
    Ptr<FabricNetDevice> device = m_links[FindLink(linkName)].ends[0];
    PcapHelper helper;
    const std::string file = helper.GetFilenameFromDevice(prefix, device);
    Ptr<PcapFileWrapper> wrapper = helper.CreateFile(file, std::ios::out, PcapHelper::DLT_EN10MB);
    helper.HookDefaultSink<FabricNetDevice>(device, "PromiscSniffer", wrapper);
    return file;
}

int64_t
LeafSpineFabric::AssignStreams(int64_t stream)
{
    NS_LOG_FUNCTION(this << stream);
    int64_t used = 0;
    for (auto& dev : m_devices)
    {
        used += dev->AssignStreams(stream + used);
    }
    return used;
}

} // namespace ns3

namespace ns3
{

std::string
LeafSpineFabric::VertexName(uint32_t v) const
{
    return m_graph[v].name;
}

LeafSpineFabric::FabricPath
LeafSpineFabric::TracePath(uint32_t host, uint32_t uplink, const FiveTuple& outer) const
{
    FabricPath path;
    if (host >= m_uplinks.size() || uplink >= m_uplinks[host].size())
    {
        path.stop = "no such uplink";
        return path;
    }
    const NetDevice* device = PeekPointer(m_uplinks[host][uplink]);
    // A leaf-spine path has at most 4 links; the bound only guards against a routing loop.
    for (uint32_t hop = 0; hop < 16; ++hop)
    {
        const uint32_t li = m_linkByDevice.at(device);
        const Link& link = m_links[li];
        const uint32_t from = PeekPointer(link.ends[0]) == device ? 0 : 1;
        const uint32_t to = 1 - from;
        path.hops.push_back({li, from == 0});
        if (!link.channel->IsCarrierUp())
        {
            path.stop = fmt::format("link down: {}", link.name);
            return path;
        }
        const FabricVertex& next = m_graph[link.vertex[to]];
        if (next.kind == FabricNodeKind::HOST)
        {
            path.arrivedAt = static_cast<int32_t>(next.index);
            return path;
        }
        const Ptr<FabricSwitch>& sw = m_switches[link.vertex[to]];
        const NextHopGroup* group = sw->GetRoute(Ipv4Address(outer.dst));
        if (group == nullptr || group->ports.empty())
        {
            path.stop = fmt::format("no route at {}", next.name);
            return path;
        }
        device =
            PeekPointer(sw->GetPort(FabricSwitch::EcmpMember(*group, outer, sw->GetEcmpSeed())));
    }
    path.stop = "routing loop";
    return path;
}

std::vector<std::vector<LeafSpineFabric::PathHop>>
LeafSpineFabric::EnumeratePaths(uint32_t host, Ipv4Address destination) const
{
    std::vector<std::vector<PathHop>> paths;
    std::vector<PathHop> hops;
    // Depth-first over every member of every next-hop group (a handful of paths per pair of
    // hosts: not a per-packet tool).
    std::function<void(const NetDevice*)> walk = [&](const NetDevice* device) {
        const uint32_t li = m_linkByDevice.at(device);
        const Link& link = m_links[li];
        const uint32_t from = PeekPointer(link.ends[0]) == device ? 0 : 1;
        const uint32_t to = 1 - from;
        if (!link.channel->IsCarrierUp() || hops.size() >= 16)
        {
            return;
        }
        hops.push_back({li, from == 0});
        const FabricVertex& next = m_graph[link.vertex[to]];
        if (next.kind == FabricNodeKind::HOST)
        {
            paths.push_back(hops);
        }
        else if (const NextHopGroup* group = m_switches[link.vertex[to]]->GetRoute(destination))
        {
            for (uint32_t port : group->ports)
            {
                walk(PeekPointer(m_switches[link.vertex[to]]->GetPort(port)));
            }
        }
        hops.pop_back();
    };
    for (const Ptr<FabricNetDevice>& nic : m_uplinks.at(host))
    {
        walk(PeekPointer(nic));
    }
    return paths;
}

std::vector<std::string>
LeafSpineFabric::FabricPath::Nodes(const LeafSpineFabric& fabric) const
{
    std::vector<std::string> nodes;
    for (size_t i = 0; i < hops.size(); ++i)
    {
        const Link& link = fabric.m_links[hops[i].link];
        const uint32_t from = hops[i].forward ? 0 : 1;
        if (i == 0)
        {
            nodes.push_back(fabric.VertexName(link.vertex[from]));
        }
        nodes.push_back(fabric.VertexName(link.vertex[1 - from]));
    }
    return nodes;
}

std::string
LeafSpineFabric::FabricPath::Format(const LeafSpineFabric& fabric) const
{
    const std::vector<std::string> nodes = Nodes(fabric);
    std::string out = nodes.empty() ? std::string() : nodes[0];
    for (size_t i = 0; i < hops.size(); ++i)
    {
        out += fmt::format(" -{}-> {}", fabric.m_links[hops[i].link].name, nodes[i + 1]);
    }
    if (arrivedAt < 0)
    {
        out += fmt::format(" ({})", stop);
    }
    return out;
}

} // namespace ns3
