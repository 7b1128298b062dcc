#include "feature-monitoring.h"

#include "bfd-session.h"
#include "results-json.h"
#include "scenario-schema.h"
#include "uplink-selector.h"
#include "vtep.h"

#include "ns3/simulator.h"

#include <fmt/format.h>
#include <set>

namespace ns3
{

using Json = nlohmann::ordered_json;
using namespace results_json;

void
MonitoringFeature::Install(const ScenarioConfig& config, ScenarioNetwork& network)
{
    if (!config.monitoring.enabled)
    {
        return;
    }
    m_injector = PeekPointer(network.injector);
    m_oamPackets.assign(3, 0);
    m_oamBytes.assign(3, 0);
    // The hosts that source or sink a flow: their tunnels are the ones results.json lists.
    m_endpoint.assign(network.overlay->GetHostCount(), false);
    for (const FlowConfig& f : config.traffic)
    {
        m_endpoint[f.from.GetHostIndex()] = true;
        m_endpoint[f.to.GetHostIndex()] = true;
    }
    // Hosts with a clock of their own (Validate: each host at most once).
    std::vector<const ClockConfig*> clockOf(network.overlay->GetHostCount(), nullptr);
    for (const ClockConfig& clock : config.monitoring.clocks)
    {
        clockOf.at(clock.host.GetIndex()) = &clock;
    }
    for (uint32_t h = 0; h < network.overlay->GetHostCount(); ++h)
    {
        Ptr<Vtep> vtep = network.overlay->GetVtep(h);
        Ptr<UplinkMonitor> m = CreateObject<UplinkMonitor>();
        // Every monitoring key that names an Attribute, from the schema table.
        const schema::Section& section = *schema::FindSection("monitoring");
        schema::ApplyAttributes(section, &config.monitoring, m);
        schema::ApplyAttributes(section, &config.monitoring, vtep->GetUplinkSelector());
        if (clockOf[h] != nullptr)
        {
            schema::ApplyAttributes(*schema::FindSection("clocks"), clockOf[h], m);
        }
        m->Install(vtep);
        if (config.monitoring.coverEcmpPaths)
        {
            CoverEcmpPaths(network, h, *m);
        }
        network.nextStream += m->AssignStreams(network.nextStream);
        m->TraceConnectWithoutContext(
            "StatusChanged",
            MakeBoundCallback(
                +[](MonitoringFeature* self, uint32_t host, uint32_t t, uint32_t u, bool up) {
                    self->StatusChanged(host, t, u, 0, up);
                },
                this,
                h));
        m->TraceConnectWithoutContext("PathStatusChanged",
                                      MakeCallback(&MonitoringFeature::StatusChanged, this, h));
        m->TraceConnectWithoutContext("DegradedChanged",
                                      MakeCallback(&MonitoringFeature::DegradedChanged, this, h));
        m->TraceConnectWithoutContext("Localized",
                                      MakeCallback(&MonitoringFeature::Localized, this, h));
        m->TraceConnectWithoutContext(
            "SessionStateChanged",
            MakeCallback(&MonitoringFeature::SessionStateChanged, this, h));
        vtep->TraceConnectWithoutContext("OamTx", MakeCallback(&MonitoringFeature::OamTx, this));
        m->Start();
        network.monitors.push_back(m);
        RecordPaths(config, network, h, *m);
        m_monitors.push_back(PeekPointer(m));
        m_vtepAddresses.push_back(vtep->GetLocalAddress().Get());
    }
}

void
MonitoringFeature::CoverEcmpPaths(const ScenarioNetwork& network,
                                  uint32_t host,
                                  UplinkMonitor& monitor)
{
    const LeafSpineFabric& fabric = *network.fabric;
    Ptr<Vtep> vtep = network.overlay->GetVtep(host);
    const Ipv4Address me = vtep->GetLocalAddress();
    const uint16_t dport = Vtep::TunnelUdpPort(vtep->GetEncapsulation());
    using PathKey = std::vector<std::pair<uint32_t, bool>>;
    auto keyOf = [](const std::vector<LeafSpineFabric::PathHop>& hops) {
        PathKey key;
        for (const auto& hop : hops)
        {
            key.emplace_back(hop.link, hop.forward);
        }
        return key;
    };
    for (uint32_t t = 0; t < monitor.GetTunnelCount(); ++t)
    {
        const Ipv4Address remote = vtep->GetTunnelRemote(t);
        const auto all = fabric.EnumeratePaths(host, remote);
        for (uint32_t u = 0; u < vtep->GetUplinks().size(); ++u)
        {
            auto trace = [&](uint16_t sport) {
                const FiveTuple outer{me.Get(),
                                      remote.Get(),
                                      TunnelSourcePort(UplinkMonitor::EchoFlowHash(me, sport)),
                                      dport,
                                      17};
                return fabric.TracePath(host, u, outer);
            };
            // The paths that leave on this uplink: those that start on its access link.
            const LeafSpineFabric::FabricPath seed = trace(UplinkMonitor::EchoInnerPort(u, 0));
            std::set<PathKey> wanted;
            for (const auto& hops : all)
            {
                if (!seed.hops.empty() && !hops.empty() && hops[0].link == seed.hops[0].link)
                {
                    wanted.insert(keyOf(hops));
                }
            }
            // Stream 0 is the seed's; then the first candidate port that lands on each path not
            // yet covered, in port order (deterministic: the hash and seeds decide).
            std::vector<uint16_t> ports{UplinkMonitor::EchoInnerPort(u, 0)};
            std::set<PathKey> covered;
            if (seed.arrivedAt >= 0)
            {
                covered.insert(keyOf(seed.hops));
            }
            for (uint32_t c = 1;
                 covered.size() < wanted.size() && ports.size() < UplinkMonitor::MAX_PATHS &&
                 UplinkMonitor::EchoInnerPort(u, c) != 0;
                 ++c)
            {
                const LeafSpineFabric::FabricPath p = trace(UplinkMonitor::EchoInnerPort(u, c));
                const PathKey key = keyOf(p.hops);
                if (p.arrivedAt >= 0 && wanted.count(key) && covered.insert(key).second)
                {
                    ports.push_back(UplinkMonitor::EchoInnerPort(u, c));
                }
            }
            monitor.SetEchoPorts(t, u, ports);
        }
    }
}

void
MonitoringFeature::RecordPaths(const ScenarioConfig& config,
                               const ScenarioNetwork& network,
                               uint32_t host,
                               const UplinkMonitor& monitor)
{
    if (!m_endpoint[host])
    {
        return;
    }
    Ptr<Vtep> vtep = network.overlay->GetVtep(host);
    for (uint32_t t = 0; t < monitor.GetTunnelCount(); ++t)
    {
        const Ipv4Address remote = vtep->GetTunnelRemote(t);
        const int32_t remoteHost = network.fabric->GetHostByVtep(remote);
        if (remoteHost < 0 || !m_endpoint[static_cast<uint32_t>(remoteHost)])
        {
            continue;
        }
        TunnelPaths& paths = m_paths[{host, t}];
        paths.total = network.fabric->EnumeratePaths(host, remote).size();
        for (uint32_t u = 0; u < vtep->GetUplinks().size(); ++u)
        {
            paths.echo.emplace_back();
            for (uint32_t p = 0; p < monitor.GetPathCount(t, u); ++p)
            {
                const FiveTuple outer{vtep->GetLocalAddress().Get(),
                                      remote.Get(),
                                      TunnelSourcePort(monitor.GetEchoFlowHash(t, u, p)),
                                      Vtep::TunnelUdpPort(vtep->GetEncapsulation()),
                                      17};
                paths.echo.back().push_back(network.fabric->TracePath(host, u, outer));
            }
        }
    }
}

void
MonitoringFeature::StatusChanged(uint32_t host,
                                 uint32_t tunnel,
                                 uint32_t uplink,
                                 uint32_t path,
                                 bool up)
{
    m_events.push_back({Simulator::Now(), host, tunnel, uplink, path, up ? "up" : "down"});
    Report(host,
           tunnel,
           uplink,
           path,
           up ? FaultInjector::Status::UP : FaultInjector::Status::DOWN);
}

void
MonitoringFeature::DegradedChanged(uint32_t host, uint32_t tunnel, uint32_t uplink, bool degraded)
{
    m_events.push_back(
        {Simulator::Now(), host, tunnel, uplink, 0, degraded ? "degraded" : "not-degraded"});
    Report(host,
           tunnel,
           uplink,
           0,
           degraded ? FaultInjector::Status::DEGRADED : FaultInjector::Status::NOT_DEGRADED);
}

void
MonitoringFeature::Report(uint32_t host,
                          uint32_t tunnel,
                          uint32_t uplink,
                          uint32_t path,
                          FaultInjector::Status status)
{
    if (m_injector != nullptr)
    {
        m_injector->UplinkStatusChanged(
            host,
            m_vtepAddresses[host],
            tunnel,
            uplink,
            path,
            status,
            m_monitors[host]->GetHighestRepliedSeq(tunnel, uplink, path));
    }
}

void
MonitoringFeature::Localized(uint32_t host, uint32_t tunnel, uint32_t uplink, uint32_t locus)
{
    m_localizations.push_back({Simulator::Now(), host, tunnel, uplink, locus});
}

void
MonitoringFeature::SessionStateChanged(uint32_t host,
                                       uint32_t tunnel,
                                       uint32_t from,
                                       uint32_t to,
                                       uint8_t diag)
{
    m_sessions.push_back({Simulator::Now(), host, tunnel, from, to, diag});
}

void
MonitoringFeature::OamTx(Ptr<const Packet> packet, uint8_t kind)
{
    // On the wire: + outer Ethernet 14, IPv4 20, UDP 8 and the 8-byte GENEVE (no options) or
    // VXLAN header, whichever path (software, host CPU, NIC) adds them.
    constexpr uint32_t OUTER_HEADERS = 14 + 20 + 8 + 8;
    m_oamPackets[kind]++;
    m_oamBytes[kind] += packet->GetSize() + OUTER_HEADERS;
}

void
MonitoringFeature::Collect(const ScenarioConfig& config,
                           const ScenarioNetwork& network,
                           Json& results)
{
    const std::vector<Ptr<UplinkMonitor>>& monitors = network.monitors;
    if (monitors.empty())
    {
        results["monitoring"] = Json{{"enabled", false}};
        return;
    }
    Ptr<LeafSpineFabric> fabric = network.fabric;
    Ptr<OverlayNetwork> overlay = network.overlay;
    auto hostOf = [&](uint32_t host, uint32_t tunnel) {
        return fabric->GetHostByVtep(overlay->GetVtep(host)->GetTunnelRemote(tunnel));
    };
    const bool covering = config.monitoring.coverEcmpPaths;
    Json events = Json::array();
    for (const auto& e : m_events)
    {
        Json event{{"t_s", Sec(e.at)},
                   {"host", fmt::format("host{}", e.host)},
                   {"remote", fmt::format("host{}", hostOf(e.host, e.tunnel))},
                   {"uplink", e.uplink}};
        if (covering)
        {
            event["path"] = e.path;
        }
        event["status"] = e.status;
        events.push_back(std::move(event));
    }
    Json sessionEvents = Json::array();
    for (const auto& e : m_sessions)
    {
        sessionEvents.push_back(
            Json{{"t_s", Sec(e.at)},
                 {"host", fmt::format("host{}", e.host)},
                 {"remote", fmt::format("host{}", hostOf(e.host, e.tunnel))},
                 {"from", BfdSession::StateToString(static_cast<BfdSession::State>(e.from))},
                 {"to", BfdSession::StateToString(static_cast<BfdSession::State>(e.to))},
                 {"diag", e.diag}});
    }
    Json localizations = Json::array();
    for (const auto& e : m_localizations)
    {
        localizations.push_back(Json{
            {"t_s", Sec(e.at)},
            {"host", fmt::format("host{}", e.host)},
            {"remote", fmt::format("host{}", hostOf(e.host, e.tunnel))},
            {"uplink", e.uplink},
            {"locus", UplinkMonitor::LocusToString(static_cast<UplinkMonitor::Locus>(e.locus))}});
    }
    Json tunnels = Json::object();
    for (uint32_t h = 0; h < m_endpoint.size(); ++h)
    {
        if (!m_endpoint[h])
        {
            continue;
        }
        const Ptr<UplinkMonitor>& m = monitors[h];
        for (uint32_t t = 0; t < m->GetTunnelCount(); ++t)
        {
            uint32_t remote = hostOf(h, t);
            if (remote >= m_endpoint.size() || !m_endpoint[remote])
            {
                continue;
            }
            // ECMP coverage, in the fabric as built: every path between the two VTEPs, and the
            // ones the echoes take (their outer 5-tuple through the switches' hash).
            Ptr<Vtep> vtep = overlay->GetVtep(h);
            const uint32_t uplinkCount = vtep->GetUplinks().size();
            const auto& paths = m_paths.at({h, t});
            std::set<std::vector<std::pair<uint32_t, bool>>> probed;
            for (const auto& streams : paths.echo)
            {
                for (const LeafSpineFabric::FabricPath& p : streams)
                {
                    if (p.arrivedAt >= 0)
                    {
                        std::vector<std::pair<uint32_t, bool>> key;
                        for (const auto& hop : p.hops)
                        {
                            key.emplace_back(hop.link, hop.forward);
                        }
                        probed.insert(key);
                    }
                }
            }
            // The forward one-way delay of our echoes is what the remote end measured from their
            // timestamps when it looped them back: its tunnel to us.
            const Ptr<UplinkMonitor>& far = monitors[remote];
            const Ipv4Address me = vtep->GetLocalAddress();
            std::optional<uint32_t> farTunnel;
            for (uint32_t k = 0; k < far->GetTunnelCount(); ++k)
            {
                if (overlay->GetVtep(remote)->GetTunnelRemote(k) == me)
                {
                    farTunnel = k;
                }
            }
            Json uplinks = Json::array();
            for (uint32_t u = 0; u < uplinkCount; ++u)
            {
                const UplinkMonitor::UplinkMetrics& x = m->GetMetrics(t, u);
                UplinkMonitor::ForwardDelay forward;
                if (farTunnel && u < UplinkMonitor::MAX_PEER_UPLINKS)
                {
                    forward = far->GetForwardDelay(*farTunnel, u);
                }
                auto forwardUs = [&forward](Time v) {
                    return forward.measured ? Json(Us(v)) : Json(nullptr);
                };
                Json uplink{
                    {"echo_path", paths.echo[u][0].Format(*fabric)},
                    {"status", x.up ? "up" : "down"},
                    {"degraded", x.degraded},
                    {"echoes_sent", x.echoesSent},
                    {"replies", x.replies},
                    {"replies_via_other_uplink", x.repliesViaOther},
                    {"down_events", x.downEvents},
                    {"loss", x.loss},
                    {"rtt_last_us", x.measured ? Json(Us(x.rttLast)) : Json(nullptr)},
                    {"rtt_smoothed_us", x.measured ? Json(Us(x.rttSmoothed)) : Json(nullptr)},
                    {"rtt_min_us", x.measured ? Json(Us(x.rttMin)) : Json(nullptr)},
                    {"rtt_max_us", x.measured ? Json(Us(x.rttMax)) : Json(nullptr)},
                    {"one_way_delay_us", x.measured ? Json(Us(x.OneWayDelay())) : Json(nullptr)},
                    {"forward_delay_us", forwardUs(forward.smoothed)},
                    {"forward_delay_min_us", forwardUs(forward.min)},
                    {"forward_delay_max_us", forwardUs(forward.max)},
                    {"jitter_us", x.measured ? Json(Us(x.jitter)) : Json(nullptr)}};
                if (covering)
                {
                    Json streams = Json::array();
                    for (uint32_t p = 0; p < m->GetPathCount(t, u); ++p)
                    {
                        const UplinkMonitor::UplinkMetrics& y = m->GetMetrics(t, u, p);
                        streams.push_back(Json{
                            {"echo_path", paths.echo[u][p].Format(*fabric)},
                            {"outer_source_port", TunnelSourcePort(m->GetEchoFlowHash(t, u, p))},
                            {"status", y.up ? "up" : "down"},
                            {"echoes_sent", y.echoesSent},
                            {"replies", y.replies},
                            {"down_events", y.downEvents}});
                    }
                    uplink["paths"] = std::move(streams);
                }
                uplinks.push_back(std::move(uplink));
            }
            Ptr<BfdSession> session = m->GetSession(t);
            tunnels[fmt::format("host{}->host{}", h, remote)] = Json{
                {"session",
                 session ? Json(BfdSession::StateToString(session->GetState())) : Json(nullptr)},
                {"ecmp_paths", paths.total},
                {"ecmp_paths_probed", probed.size()},
                {"uplinks", uplinks}};
        }
    }
    const double seconds = config.duration.GetSeconds();
    const double hosts = overlay->GetHostCount();
    auto perHostPerSecond = [&](uint64_t n) { return static_cast<double>(n) / hosts / seconds; };
    uint64_t bytes = m_oamBytes[0] + m_oamBytes[1] + m_oamBytes[2];
    results["monitoring"] = Json{
        {"enabled", true},
        {"echo_interval_s", Sec(monitors[0]->GetEchoInterval())},
        {"detection_time_s", Sec(monitors[0]->GetDetectionTime())},
        {"overhead",
         Json{{"echo_packets_per_s_per_host", perHostPerSecond(m_oamPackets[Vtep::OAM_ECHO])},
              {"loopback_packets_per_s_per_host",
               perHostPerSecond(m_oamPackets[Vtep::OAM_LOOPBACK])},
              {"control_packets_per_s_per_host", perHostPerSecond(m_oamPackets[Vtep::OAM_CONTROL])},
              {"bytes_per_s_per_host", perHostPerSecond(bytes)}}},
        {"status_changes", events},
        {"session_changes", sessionEvents},
        {"localizations", localizations},
        {"tunnels", tunnels}};
}

std::vector<ResultsField>
MonitoringFeature::ResultsSections() const
{
    ResultsShape::AbsentIf off = [](const ScenarioConfig& c) {
        return c.monitoring.enabled ? std::string() : std::string("monitoring is off");
    };
    auto rtt = [](std::string doc) { return ResultsNumber("us", std::move(doc)).Nullable(); };
    ResultsShape::AbsentIf oneStream = [](const ScenarioConfig& c) {
        return c.monitoring.coverEcmpPaths ? std::string()
                                           : std::string("monitoring.cover_ecmp_paths is off");
    };
    ResultsShape stream = ResultsObject(
        "One echo stream of the uplink (monitoring.cover_ecmp_paths), stream 0 the seed's.",
        {{"echo_path", ResultsText("The fabric path its echoes take, as built.")},
         {"outer_source_port",
          ResultsNumber("", "The outer UDP source port that puts it on that path.")},
         {"status", ResultsText("up or down at the end.")},
         {"echoes_sent", ResultsNumber("", "Echoes sent on it.")},
         {"replies", ResultsNumber("", "Replies to them.")},
         {"down_events", ResultsNumber("", "UP to DOWN transitions.")}});
    ResultsShape uplink = ResultsObject(
        "The echo metrics of one uplink, as the sender sees them.",
        {
            {"echo_path",
             ResultsText("The path its echoes take through the fabric as built: nodes and "
                         "links, from the path calculator.")},
            {"status", ResultsText("up or down at the end.")},
            {"degraded", ResultsBoolean("Over a QoS threshold at the end.")},
            {"echoes_sent", ResultsNumber("", "Echoes sent on this uplink.")},
            {"replies", ResultsNumber("", "Replies credited to this uplink.")},
            {"replies_via_other_uplink",
             ResultsNumber("", "Of those, arrived on another uplink (seed 000, Fig. 6).")},
            {"down_events", ResultsNumber("", "UP to DOWN transitions.")},
            {"loss", ResultsNumber("", "Loss fraction over the last (up to) 100 matured echoes.")},
            {"rtt_last_us", rtt("Last RTT; null before the first reply.")},
            {"rtt_smoothed_us", rtt("Smoothed RTT; null before the first reply.")},
            {"rtt_min_us", rtt("Smallest RTT; null before the first reply.")},
            {"rtt_max_us", rtt("Largest RTT; null before the first reply.")},
            {"one_way_delay_us",
             rtt("Smoothed RTT / 2 (half the round trip, whatever each way took); null before "
                 "the first reply.")},
            {"forward_delay_us",
             rtt("One-way delay of this uplink's echoes (stream 0) from their timestamps, as the "
                 "remote host measured it when it looped them back: its clock minus the "
                 "timestamp, smoothed with gain 1/8 (seed 000, paragraphs 0046 and 0057). "
                 "Includes the remote clock minus this host's (monitoring.clocks); null when "
                 "none arrived.")},
            {"forward_delay_min_us", rtt("Smallest such one-way delay; null when none arrived.")},
            {"forward_delay_max_us", rtt("Largest such one-way delay; null when none arrived.")},
            {"jitter_us", rtt("Mean RTT deviation; null before the first reply.")},
            {"paths",
             ResultsList("One echo stream per ECMP path from this uplink to the remote VTEP, "
                         "as the path calculator chose their ports.",
                         "stream index",
                         nullptr,
                         stream)
                 .AbsentWhen(oneStream)},
        });
    ResultsShape::CountOf uplinkCount = [](const ScenarioConfig& c) {
        return std::optional<size_t>(c.fabric.uplinksPerHost);
    };
    ResultsShape tunnel = ResultsObject(
        "One tunnel between two hosts that source or sink a flow.",
        {{"session", ResultsText("Its BFD session state at the end; null without one.").Nullable()},
         {"ecmp_paths",
          ResultsNumber("", "Distinct fabric paths between the two VTEPs, as built.")},
         {"ecmp_paths_probed",
          ResultsNumber("",
                        "Of those, the ones the echoes take (one outer source port per "
                        "uplink, or per path with monitoring.cover_ecmp_paths): a fault on "
                        "another path is invisible to them.")},
         {"uplinks",
          ResultsList("Per uplink of the sending host.", "uplink index", uplinkCount, uplink)}});
    // As Collect() writes them: "hostA->hostB" for two hosts that source or sink a flow and share
    // a segment, or segments one router joins (a VTEP has a tunnel to every VTEP it shares a
    // segment or a router with: OverlayConfig::TunnelDomains).
    ResultsShape::NamesOf tunnelNames = [](const ScenarioConfig& c) {
        std::set<uint32_t> endpoints;
        for (const FlowConfig& f : c.traffic)
        {
            endpoints.insert(f.from.GetHostIndex());
            endpoints.insert(f.to.GetHostIndex());
        }
        std::set<std::pair<uint32_t, uint32_t>> pairs;
        for (const std::vector<size_t>& domain : c.overlay.TunnelDomains())
        {
            std::set<uint32_t> hosts;
            for (size_t s : domain)
            {
                for (const VmRef& vm : c.overlay.segments[s].vms)
                {
                    if (endpoints.count(vm.GetHostIndex()))
                    {
                        hosts.insert(vm.GetHostIndex());
                    }
                }
            }
            for (uint32_t a : hosts)
            {
                for (uint32_t b : hosts)
                {
                    if (a != b)
                    {
                        pairs.emplace(a, b);
                    }
                }
            }
        }
        std::vector<std::string> names;
        for (const auto& [a, b] : pairs)
        {
            names.push_back(fmt::format("host{}->host{}", a, b));
        }
        return std::optional<std::vector<std::string>>(names);
    };
    ResultsShape statusChange =
        ResultsObject("An uplink's status changed.",
                      {{"t_s", ResultsNumber("s", "When.")},
                       {"host", ResultsText("The host whose monitor changed it.")},
                       {"remote", ResultsText("The tunnel's other end.")},
                       {"uplink", ResultsNumber("", "Uplink index.")},
                       {"path",
                        ResultsNumber("", "Its echo stream (0: the seed's; see tunnels.*.paths).")
                            .AbsentWhen(oneStream)},
                       {"status", ResultsText("up, down, degraded or not-degraded.")}});
    ResultsShape sessionChange =
        ResultsObject("A BFD session changed state.",
                      {{"t_s", ResultsNumber("s", "When.")},
                       {"host", ResultsText("The host of the session.")},
                       {"remote", ResultsText("The tunnel's other end.")},
                       {"from", ResultsText("State before.")},
                       {"to", ResultsText("State after.")},
                       {"diag", ResultsNumber("", "RFC 5880 diagnostic code.")}});
    ResultsShape localization = ResultsObject(
        "A missing-reply detection classified (monitoring.localize).",
        {{"t_s", ResultsNumber("s", "When the detection time ran out.")},
         {"host", ResultsText("The host whose monitor judged it.")},
         {"remote", ResultsText("The tunnel's other end.")},
         {"uplink", ResultsNumber("", "Uplink index.")},
         {"locus",
          ResultsText("local-uplink or fabric-path (made DOWN), or remote-host (left UP).")}});
    ResultsShape overhead = ResultsObject(
        "Monitoring traffic, averaged over the hosts and the duration.",
        {{"echo_packets_per_s_per_host", ResultsNumber("1/s", "Echoes sent.")},
         {"loopback_packets_per_s_per_host", ResultsNumber("1/s", "Echoes looped back.")},
         {"control_packets_per_s_per_host", ResultsNumber("1/s", "BFD control packets.")},
         {"bytes_per_s_per_host", ResultsNumber("B/s", "Bytes of all three on the wire.")}});
    return {{"monitoring",
             ResultsObject(
                 "Uplink monitoring (with monitoring off, only enabled is written).",
                 {{"enabled", ResultsBoolean("Monitoring on.")},
                  {"echo_interval_s",
                   ResultsNumber("s", "Mean interval between echoes.").AbsentWhen(off)},
                  {"detection_time_s", ResultsNumber("s", "Echo detection time.").AbsentWhen(off)},
                  {"overhead", overhead.AbsentWhen(off)},
                  {"status_changes",
                   ResultsList("Every uplink status change, in time order.",
                               "change index",
                               nullptr,
                               statusChange)
                       .AbsentWhen(off)},
                  {"session_changes",
                   ResultsList("Every BFD session state change, in time order.",
                               "change index",
                               nullptr,
                               sessionChange)
                       .AbsentWhen(off)},
                  {"localizations",
                   ResultsList("Every localization verdict, in time order; empty without "
                               "monitoring.localize.",
                               "verdict index",
                               nullptr,
                               localization)
                       .AbsentWhen(off)},
                  {"tunnels",
                   ResultsNamed("Tunnels between hosts that source or sink a flow and share "
                                "a segment (or a router), by \"hostA->hostB\".",
                                "tunnel",
                                tunnelNames,
                                tunnel)
                       .AbsentWhen(off)}})}};
}

} // namespace ns3
