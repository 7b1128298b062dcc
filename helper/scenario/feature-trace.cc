#include "feature-trace.h"

#include "flow-ledger.h"
#include "flow-tag.h"
#include "leaf-spine-topology.h"
#include "overlay-network.h"
#include "virtual-switch.h"
#include "vtep.h"

#include "ns3/simulator.h"

#include <boost/graph/adjacency_list.hpp>
#include <fmt/format.h>

namespace ns3
{

using Json = nlohmann::ordered_json;

namespace
{

/// \return \p a (host order) as dotted-quad text
std::string
Dotted(uint32_t a)
{
    return fmt::format("{}.{}.{}.{}", a >> 24, (a >> 16) & 0xff, (a >> 8) & 0xff, a & 0xff);
}

/// \return \p t in seconds, for results.json
double
Seconds(Time t)
{
    return t.GetNanoSeconds() / 1e9;
}

} // namespace

bool
TraceFeature::KeyOf(Ptr<const Packet> p, uint64_t& key, uint32_t& flow)
{
    FlowTag tag;
    if (!p->PeekPacketTag(tag))
    {
        return false;
    }
    flow = tag.GetFlowId();
    key = (static_cast<uint64_t>(flow) << 32) | tag.GetSeq();
    return true;
}

void
TraceFeature::Install(const ScenarioConfig& config, ScenarioNetwork& network)
{
    if (!config.trace.enabled)
    {
        return;
    }
    m_traced.assign(config.traffic.size(), false);
    m_paths.assign(config.traffic.size(), {});
    for (const std::string& name : config.trace.flows)
    {
        for (size_t f = 0; f < config.traffic.size(); ++f)
        {
            if (config.traffic[f].name == name)
            {
                m_traced[f] = true;
            }
        }
    }
    Ptr<OverlayNetwork> overlay = network.overlay;
    for (uint32_t h = 0; h < overlay->GetHostCount(); ++h)
    {
        overlay->GetVirtualSwitch(h)->TraceConnectWithoutContext(
            "FlowTx",
            MakeCallback(&TraceFeature::Sent, this));
        overlay->GetVirtualSwitch(h)->TraceConnectWithoutContext(
            "FlowRx",
            Callback<void, Ptr<const Packet>>(
                [this](Ptr<const Packet> p) { Closed(p, "delivered"); }));
        overlay->GetVtep(h)->TraceConnectWithoutContext(
            "UplinkTx",
            MakeCallback(&TraceFeature::Encapsulated, this));
    }
    if (network.ledger)
    {
        network.ledger->SetFlowDropSink(Callback<void, Ptr<const Packet>, DropReason>(
            [this](Ptr<const Packet> p, DropReason reason) { Closed(p, ToString(reason)); }));
    }
    // Links in index order, each with its devices first-named end first (LeafSpineFabric).
    const FabricGraph& graph = network.fabric->GetGraph();
    m_linkNames = network.fabric->GetLinkNames();
    m_ends.assign(m_linkNames.size(), {});
    for (auto [it, last] = boost::edges(graph); it != last; ++it)
    {
        const uint32_t link = graph[*it].link;
        m_ends[link] = {graph[boost::source(*it, graph)].name,
                        graph[boost::target(*it, graph)].name};
    }
    const std::vector<Ptr<FabricNetDevice>>& devices = network.fabric->GetDevices();
    for (uint32_t l = 0; l < m_linkNames.size(); ++l)
    {
        for (uint8_t end = 0; end < 2; ++end)
        {
            devices[2 * l + end]->TraceConnectWithoutContext(
                "WireTx",
                Callback<void, Ptr<const Packet>>(
                    [this, l, end](Ptr<const Packet> p) { OnWire(l, end, p); }));
        }
    }
}

void
TraceFeature::Sent(Ptr<const Packet> p)
{
    uint64_t key;
    uint32_t flow;
    if (KeyOf(p, key, flow) && flow < m_traced.size() && m_traced[flow])
    {
        Record& r = m_open[key];
        r = Record{};
        r.sent = Simulator::Now();
    }
}

void
TraceFeature::Encapsulated(Ptr<const Packet> p, uint32_t uplink)
{
    uint64_t key;
    uint32_t flow;
    if (!KeyOf(p, key, flow))
    {
        return;
    }
    auto it = m_open.find(key);
    if (it == m_open.end())
    {
        return;
    }
    Record& r = it->second;
    r.encapsulated = true;
    r.uplink = uplink;
    // The frame as the VTEP hands it to the NIC: outer IPv4 + UDP in software (the NIC adds
    // Ethernet); an offloading NIC builds them later, so they stay unknown here.
    uint8_t b[20 + 8];
    if (p->CopyData(b, sizeof(b)) < sizeof(b) || (b[0] >> 4) != 4)
    {
        return;
    }
    const uint32_t ihl = (b[0] & 0x0f) * 4u;
    r.outerSrc = uint32_t{b[12]} << 24 | uint32_t{b[13]} << 16 | uint32_t{b[14]} << 8 | b[15];
    r.outerDst = uint32_t{b[16]} << 24 | uint32_t{b[17]} << 16 | uint32_t{b[18]} << 8 | b[19];
    if (ihl == 20)
    {
        r.sport = static_cast<uint16_t>(b[20] << 8 | b[21]);
        r.dport = static_cast<uint16_t>(b[22] << 8 | b[23]);
    }
}

void
TraceFeature::OnWire(uint32_t link, uint8_t end, Ptr<const Packet> p)
{
    uint64_t key;
    uint32_t flow;
    if (m_open.empty() || !KeyOf(p, key, flow))
    {
        return;
    }
    auto it = m_open.find(key);
    if (it != m_open.end())
    {
        it->second.hops.push_back({link, end, Simulator::Now()});
    }
}

void
TraceFeature::Closed(Ptr<const Packet> p, const std::string& fate)
{
    uint64_t key;
    uint32_t flow;
    if (m_open.empty() || !KeyOf(p, key, flow))
    {
        return;
    }
    auto it = m_open.find(key);
    if (it == m_open.end())
    {
        return;
    }
    Record& r = it->second;
    std::vector<Path>& paths = m_paths[flow];
    auto same = [&r, &fate](const Path& path) {
        const Record& q = path.first;
        if (path.fate != fate || q.encapsulated != r.encapsulated || q.uplink != r.uplink ||
            q.sport != r.sport || q.hops.size() != r.hops.size())
        {
            return false;
        }
        for (size_t i = 0; i < q.hops.size(); ++i)
        {
            if (q.hops[i].link != r.hops[i].link || q.hops[i].end != r.hops[i].end)
            {
                return false;
            }
        }
        return true;
    };
    const Time sent = r.sent;
    if (paths.empty() || !same(paths.back()))
    {
        paths.push_back(Path{std::move(r), fate, Simulator::Now(), sent, 0});
    }
    Path& path = paths.back();
    path.lastSent = sent;
    ++path.packets;
    m_open.erase(it);
}

void
TraceFeature::Collect(const ScenarioConfig& config,
                      const ScenarioNetwork& /* network */,
                      nlohmann::ordered_json& results)
{
    if (!config.trace.enabled)
    {
        return;
    }
    Json trace = Json::object();
    for (const std::string& name : config.trace.flows)
    {
        size_t f = 0;
        while (config.traffic[f].name != name)
        {
            ++f;
        }
        Json paths = Json::array();
        for (const Path& path : m_paths[f])
        {
            const Record& r = path.first;
            Json hops = Json::array();
            const FlowConfig& flow = config.traffic[f];
            hops.push_back({{"node", flow.from.GetHost().Format()},
                            {"via", fmt::format("vm {}", flow.from.Format())},
                            {"t_us", 0.0}});
            if (r.encapsulated)
            {
                hops.push_back({{"node", flow.from.GetHost().Format()},
                                {"via", fmt::format("vtep, uplink{}", r.uplink)},
                                {"t_us", 0.0}});
            }
            for (const Hop& h : r.hops)
            {
                hops.push_back({{"node", m_ends[h.link][h.end]},
                                {"via", m_linkNames[h.link]},
                                {"t_us", (h.at - r.sent).GetNanoSeconds() / 1e3}});
            }
            const std::string at = path.fate == "delivered" ? flow.to.Format()
                                   : r.hops.empty()         ? flow.from.GetHost().Format()
                                                    : m_ends[r.hops.back().link][r.hops.back().end];
            Json entry = {{"first_s", Seconds(r.sent)},
                          {"last_s", Seconds(path.lastSent)},
                          {"packets", path.packets},
                          {"fate", path.fate},
                          {"at", at},
                          {"uplink", r.encapsulated ? Json(r.uplink) : Json(nullptr)},
                          {"outer",
                           r.encapsulated ? Json({{"src", Dotted(r.outerSrc)},
                                                  {"dst", Dotted(r.outerDst)},
                                                  {"sport", r.sport},
                                                  {"dport", r.dport}})
                                          : Json(nullptr)},
                          {"hops", hops},
                          {"latency_us", (path.at - r.sent).GetNanoSeconds() / 1e3}};
            paths.push_back(entry);
        }
        trace[name] = {{"paths", paths}};
    }
    results["trace"] = trace;
}

std::vector<ResultsField>
TraceFeature::ResultsSections() const
{
    ResultsShape hop = ResultsObject(
        "One hop of the path's first packet.",
        {{"node", ResultsText("Where it was: host<N>, leaf<N>, spine<N>.")},
         {"via",
          ResultsText("What it passed there: its VM (\"vm host0/vm0\"), the VTEP and uplink "
                      "(\"vtep, uplink0\"), or the link the node sent it on.")},
         {"t_us", ResultsNumber("us", "Since it left its VM.")}});
    ResultsShape outer = ResultsObject(
        "The outer IPv4 and UDP header: the 5-tuple the underlay hashed (protocol UDP); null: "
        "not encapsulated (a same-host flow).",
        {{"src", ResultsText("Source VTEP.")},
         {"dst", ResultsText("Destination VTEP (or group).")},
         {"sport", ResultsNumber("", "UDP source port (the inner flow's entropy).")},
         {"dport", ResultsNumber("", "UDP destination port (6081 GENEVE, 4789 VXLAN).")}});
    ResultsShape path = ResultsObject(
        "A path the flow took: consecutive packets with the same uplink, outer source port, links "
        "and fate.",
        {{"first_s", ResultsNumber("s", "The first packet left its VM.")},
         {"last_s", ResultsNumber("s", "The last packet left its VM.")},
         {"packets", ResultsNumber("", "Packets that took it.")},
         {"fate", ResultsText("delivered, or the drop reason (silent_drop, link_down, ...).")},
         {"at",
          ResultsText("Delivered: the destination VM; dropped: the last node that sent it (or "
                      "its source host), the drop on or after its link.")},
         {"uplink", ResultsNumber("", "The VTEP's uplink; null: not encapsulated.").Nullable()},
         {"outer", outer.Nullable()},
         {"hops", ResultsList("The first packet's hops, in order.", "hop index", nullptr, hop)},
         {"latency_us", ResultsNumber("us", "The first packet's time from its VM to its fate.")}});
    ResultsShape flow = ResultsObject(
        "One traced flow.",
        {{"paths",
          ResultsList("Its distinct paths, in time order (a path taken again after another is "
                      "listed again).",
                      "path index",
                      nullptr,
                      path)}});
    return {{"trace",
             ResultsNamed(
                 "The path trace, by traced flow (trace.flows).",
                 "traced flow",
                 [](const ScenarioConfig& c) {
                     return std::optional<std::vector<std::string>>(c.trace.flows);
                 },
                 flow)
                 .AbsentWhen([](const ScenarioConfig& c) {
                     return c.trace.enabled ? std::string() : std::string("no trace section");
                 })}};
}

} // namespace ns3
