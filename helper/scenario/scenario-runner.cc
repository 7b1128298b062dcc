#include "scenario-runner.h"

#include "scenario-schema.h"

#include "bfd-session.h"
#include "fabric-net-device.h"
#include "fabric-switch.h"
#include "fault-injector.h"
#include "flow-ledger.h"
#include "leaf-spine-topology.h"
#include "overlay-network.h"
#include "uplink-monitor.h"
#include "virtual-switch.h"
#include "vtep.h"

#include "ns3/applications-module.h"
#include "ns3/arp-l3-protocol.h"
#include "ns3/core-module.h"
#include "ns3/inet-socket-address.h"
#include "ns3/ipv4-l3-protocol.h"

#include <chrono>
#include <cmath>
#include <filesystem>
#include <fmt/format.h>
#include <set>

namespace ns3
{

using Json = nlohmann::ordered_json;

namespace
{

/// Seconds of a Time as a JSON number.
double
Sec(Time t)
{
    return static_cast<double>(t.GetNanoSeconds()) / 1e9;
}

Json
OptSec(const std::optional<Time>& t)
{
    return t ? Json(Sec(*t)) : Json(nullptr);
}

Json
OptMsSince(const std::optional<Time>& t, Time since)
{
    return t ? Json(static_cast<double>((*t - since).GetNanoSeconds()) / 1e6) : Json(nullptr);
}

std::string
RateString(const DataRate& r)
{
    return fmt::format("{}bps", r.GetBitRate());
}

Json
TierToJson(const LinkTierConfig& t)
{
    return Json{{"rate", RateString(t.rate)},
                {"delay_s", Sec(t.delay)},
                {"mtu", t.mtu},
                {"queue_bytes", t.queueBytes}};
}

/// Destination port of flow \p i (validated to fit in 16 bits).
uint16_t
DstPort(const FlowConfig& f, uint32_t i)
{
    return static_cast<uint16_t>(EffectiveDstPort(f, i));
}

/// Source port of flow \p i: fixed, so the flow's 5-tuple (and its ECMP path) is known up front.
uint16_t
SrcPort(uint32_t i)
{
    return static_cast<uint16_t>(10000 + i);
}

/// What the runner records from the monitors' traces.
struct MonitoringRecord
{
    /// One change of an uplink's status: "up", "down", "degraded" or "not-degraded".
    struct Event
    {
        Time at;            //!< when
        uint32_t host;      //!< monitoring host
        uint32_t tunnel;    //!< tunnel of that host
        uint32_t uplink;    //!< uplink
        const char* status; //!< new status
    };

    std::vector<Event> events; //!< in time order

    /// One BFD session state change.
    struct SessionEvent
    {
        Time at;         //!< when
        uint32_t host;   //!< host of the session
        uint32_t tunnel; //!< tunnel of that host
        uint32_t from;   //!< old state
        uint32_t to;     //!< new state
        uint8_t diag;    //!< RFC 5880 diagnostic
    };

    std::vector<SessionEvent> sessionEvents; //!< in time order
    std::vector<uint64_t> oamPackets;        //!< by Vtep::OamKind
    std::vector<uint64_t> oamBytes;          //!< by Vtep::OamKind, with outer Ethernet
};

double
Us(Time t)
{
    return static_cast<double>(t.GetNanoSeconds()) / 1e3;
}

/// "monitoring" of results.json: overhead, every status change, and the metrics of the tunnels
/// between hosts that source or sink a flow (all tunnels would be quadratic in the hosts).
Json
MonitoringToJson(const ScenarioConfig& config,
                 Ptr<LeafSpineFabric> fabric,
                 Ptr<OverlayNetwork> overlay,
                 const std::vector<Ptr<UplinkMonitor>>& monitors,
                 const MonitoringRecord& rec)
{
    if (monitors.empty())
    {
        return Json{{"enabled", false}};
    }
    auto hostOf = [&](uint32_t host, uint32_t tunnel) {
        return fabric->GetHostByVtep(overlay->GetVtep(host)->GetTunnelRemote(tunnel));
    };
    Json events = Json::array();
    for (const auto& e : rec.events)
    {
        events.push_back(Json{{"t_s", Sec(e.at)},
                              {"host", fmt::format("host{}", e.host)},
                              {"remote", fmt::format("host{}", hostOf(e.host, e.tunnel))},
                              {"uplink", e.uplink},
                              {"status", e.status}});
    }
    Json sessionEvents = Json::array();
    for (const auto& e : rec.sessionEvents)
    {
        sessionEvents.push_back(
            Json{{"t_s", Sec(e.at)},
                 {"host", fmt::format("host{}", e.host)},
                 {"remote", fmt::format("host{}", hostOf(e.host, e.tunnel))},
                 {"from", BfdSession::StateToString(static_cast<BfdSession::State>(e.from))},
                 {"to", BfdSession::StateToString(static_cast<BfdSession::State>(e.to))},
                 {"diag", e.diag}});
    }
    std::set<uint32_t> endpoints;
    for (const auto& f : config.traffic)
    {
        endpoints.insert(overlay->GetVm(f.from).host);
        endpoints.insert(overlay->GetVm(f.to).host);
    }
    Json tunnels = Json::object();
    for (uint32_t h : endpoints)
    {
        const Ptr<UplinkMonitor>& m = monitors[h];
        for (uint32_t t = 0; t < m->GetTunnelCount(); ++t)
        {
            uint32_t remote = hostOf(h, t);
            if (endpoints.count(remote) == 0)
            {
                continue;
            }
            Json uplinks = Json::array();
            for (uint32_t u = 0; u < overlay->GetVtep(h)->GetUplinks().size(); ++u)
            {
                const UplinkMonitor::UplinkMetrics& x = m->GetMetrics(t, u);
                uplinks.push_back(Json{
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
                    {"jitter_us", x.measured ? Json(Us(x.jitter)) : Json(nullptr)}});
            }
            Ptr<BfdSession> session = m->GetSession(t);
            tunnels[fmt::format("host{}->host{}", h, remote)] = Json{
                {"session",
                 session ? Json(BfdSession::StateToString(session->GetState())) : Json(nullptr)},
                {"uplinks", uplinks}};
        }
    }
    const double seconds = config.duration.GetSeconds();
    const double hosts = overlay->GetHostCount();
    auto perHostPerSecond = [&](uint64_t n) { return static_cast<double>(n) / hosts / seconds; };
    uint64_t bytes = rec.oamBytes[0] + rec.oamBytes[1] + rec.oamBytes[2];
    return Json{
        {"enabled", true},
        {"echo_interval_s", Sec(monitors[0]->GetEchoInterval())},
        {"detection_time_s", Sec(monitors[0]->GetDetectionTime())},
        {"overhead",
         Json{{"echo_packets_per_s_per_host", perHostPerSecond(rec.oamPackets[Vtep::OAM_ECHO])},
              {"loopback_packets_per_s_per_host",
               perHostPerSecond(rec.oamPackets[Vtep::OAM_LOOPBACK])},
              {"control_packets_per_s_per_host",
               perHostPerSecond(rec.oamPackets[Vtep::OAM_CONTROL])},
              {"bytes_per_s_per_host", perHostPerSecond(bytes)}}},
        {"status_changes", events},
        {"session_changes", sessionEvents},
        {"tunnels", tunnels}};
}

} // namespace

Json
ScenarioToJson(const ScenarioConfig& c)
{
    return schema::EchoScenario(c);
}

ScenarioRun
RunScenario(const ScenarioConfig& config, const RunOptions& options)
{
    config.Validate();
    auto wallStart = std::chrono::steady_clock::now();
    Config::SetDefault("ns3::TcpSocket::SegmentSize", UintegerValue(1448));
    RngSeedManager::SetSeed(1);
    RngSeedManager::SetRun(config.seed);

    Ptr<LeafSpineFabric> fabric = CreateObject<LeafSpineFabric>();
    fabric->Build(config.fabric, config.seed);
    int64_t stream = 0;
    stream += fabric->AssignStreams(stream);

    Ptr<OverlayNetwork> overlay = CreateObject<OverlayNetwork>();
    overlay->Build(config.overlay, fabric);

    const uint32_t nFlows = config.traffic.size();
    FlowLedger ledger(nFlows, config.duration, config.statsBin);
    ledger.SetFaultCount(config.faults.size());

    // Traces -> ledger. Results are computed from these alone.
    for (uint32_t h = 0; h < overlay->GetHostCount(); ++h)
    {
        Ptr<VirtualSwitch> vs = overlay->GetVirtualSwitch(h);
        vs->TraceConnectWithoutContext("FlowTx", MakeCallback(&FlowLedger::FlowTx, &ledger));
        vs->TraceConnectWithoutContext("FlowRx", MakeCallback(&FlowLedger::FlowRx, &ledger));
        vs->TraceConnectWithoutContext("Drop", MakeCallback(&FlowLedger::Drop, &ledger));
        overlay->GetVtep(h)->TraceConnectWithoutContext("Drop",
                                                        MakeCallback(&FlowLedger::Drop, &ledger));
    }
    for (const Ptr<FabricNetDevice>& dev : fabric->GetDevices())
    {
        dev->TraceConnectWithoutContext("Drop", MakeCallback(&FlowLedger::Drop, &ledger));
        dev->TraceConnectWithoutContext("WireTx", MakeCallback(&FlowLedger::WireTx, &ledger));
        dev->TraceConnectWithoutContext("WireRx", MakeCallback(&FlowLedger::WireRx, &ledger));
    }
    for (const Ptr<FabricSwitch>& sw : fabric->GetSwitches())
    {
        sw->TraceConnectWithoutContext("Drop", MakeCallback(&FlowLedger::Drop, &ledger));
    }
    for (const auto& vm : overlay->GetVms())
    {
        vm.node->GetObject<Ipv4L3Protocol>()->TraceConnectWithoutContext(
            "Drop",
            MakeBoundCallback(
                +[](FlowLedger* l,
                    const Ipv4Header&,
                    Ptr<const Packet> p,
                    Ipv4L3Protocol::DropReason,
                    Ptr<Ipv4>,
                    uint32_t) { l->Drop(p, DropReason::VM_STACK); },
                &ledger));
        vm.node->GetObject<ArpL3Protocol>()->TraceConnectWithoutContext(
            "Drop",
            MakeBoundCallback(
                +[](FlowLedger* l, Ptr<const Packet> p) { l->Drop(p, DropReason::VM_STACK); },
                &ledger));
    }

    // Traffic.
    std::vector<uint64_t> appTx(nFlows, 0);
    for (uint32_t i = 0; i < nFlows; ++i)
    {
        const FlowConfig& f = config.traffic[i];
        const auto& src = overlay->GetVm(f.from);
        const auto& dst = overlay->GetVm(f.to);
        const bool udp = f.kind == FlowKind::UDP_CBR;
        const std::string factory = udp ? "ns3::UdpSocketFactory" : "ns3::TcpSocketFactory";
        const uint16_t dport = DstPort(f, i);
        const Time stop = f.stop.value_or(config.duration);

        PacketSinkHelper sinkHelper(factory, InetSocketAddress(Ipv4Address::GetAny(), dport));
        ApplicationContainer sink = sinkHelper.Install(dst.node);
        sink.Start(Time(0));
        sink.Get(0)->TraceConnectWithoutContext(
            "Rx",
            MakeBoundCallback(
                +[](FlowLedger* l, uint32_t flow, Ptr<const Packet> p, const Address&) {
                    l->AppRx(flow, p->GetSize());
                },
                &ledger,
                i));

        ApplicationContainer app;
        InetSocketAddress local(src.ip, SrcPort(i));
        if (udp)
        {
            OnOffHelper onoff(factory, InetSocketAddress(dst.ip, dport));
            onoff.SetConstantRate(f.rate, f.size);
            onoff.SetAttribute("Local", AddressValue(local));
            app = onoff.Install(src.node);
        }
        else
        {
            BulkSendHelper bulk(factory, InetSocketAddress(dst.ip, dport));
            bulk.SetAttribute("SendSize", UintegerValue(f.size));
            bulk.SetAttribute("MaxBytes", UintegerValue(f.maxBytes));
            bulk.SetAttribute("Local", AddressValue(local));
            app = bulk.Install(src.node);
        }
        app.Start(f.start);
        app.Stop(stop);
        app.Get(0)->TraceConnectWithoutContext("Tx",
                                               MakeBoundCallback(
                                                   +[](uint64_t* n, Ptr<const Packet>) { ++*n; },
                                                   &appTx[i]));

        FiveTuple key;
        key.src = src.ip.Get();
        key.dst = dst.ip.Get();
        key.sport = SrcPort(i);
        key.dport = dport;
        key.proto = udp ? 17 : 6;
        overlay->GetVirtualSwitch(src.host)->RegisterFlow(key, i);
    }

    // Faults.
    Ptr<FaultInjector> injector = CreateObject<FaultInjector>();
    injector->Install(config.faults, fabric, overlay);
    injector->TraceConnectWithoutContext("FaultStarted",
                                         MakeBoundCallback(
                                             +[](FlowLedger* l, uint32_t i) { l->StartFault(i); },
                                             &ledger));

    // Monitoring: one uplink monitor per VTEP, started at time 0.
    MonitoringRecord monitoring;
    std::vector<Ptr<UplinkMonitor>> monitors;
    if (config.monitoring.enabled)
    {
        const MonitoringConfig& mc = config.monitoring;
        monitoring.oamPackets.assign(3, 0);
        monitoring.oamBytes.assign(3, 0);
        for (uint32_t h = 0; h < overlay->GetHostCount(); ++h)
        {
            Ptr<UplinkMonitor> m = CreateObject<UplinkMonitor>();
            m->SetAttribute("Mode",
                            EnumValue(mc.mode == BfdMode::ASYNC ? UplinkMonitor::ASYNC
                                                                : UplinkMonitor::SEAMLESS));
            m->SetAttribute("TxInterval", TimeValue(mc.txInterval));
            m->SetAttribute("RxInterval", TimeValue(mc.rxInterval));
            m->SetAttribute("DetectMult", UintegerValue(mc.detectMult));
            m->SetAttribute("UpAfter", UintegerValue(mc.upAfter));
            m->SetAttribute("Jitter", BooleanValue(mc.jitter));
            m->SetAttribute("RttThreshold", TimeValue(mc.rttThreshold.value_or(Time(0))));
            m->SetAttribute("LossThreshold", DoubleValue(mc.lossThreshold.value_or(1.0)));
            overlay->GetVtep(h)->GetUplinkSelector()->SetAttribute("RttHysteresis",
                                                                   TimeValue(mc.rttHysteresis));
            m->Install(overlay->GetVtep(h));
            stream += m->AssignStreams(stream);
            m->TraceConnectWithoutContext(
                "StatusChanged",
                MakeBoundCallback(
                    +[](MonitoringRecord* rec,
                        FaultInjector* inj,
                        uint32_t host,
                        uint32_t tunnel,
                        uint32_t uplink,
                        bool up) {
                        rec->events.push_back(
                            {Simulator::Now(), host, tunnel, uplink, up ? "up" : "down"});
                        inj->UplinkStatusChanged(host, up);
                    },
                    &monitoring,
                    PeekPointer(injector),
                    h));
            m->TraceConnectWithoutContext("DegradedChanged",
                                          MakeBoundCallback(
                                              +[](MonitoringRecord* rec,
                                                  uint32_t host,
                                                  uint32_t tunnel,
                                                  uint32_t uplink,
                                                  bool degraded) {
                                                  rec->events.push_back(
                                                      {Simulator::Now(),
                                                       host,
                                                       tunnel,
                                                       uplink,
                                                       degraded ? "degraded" : "not-degraded"});
                                              },
                                              &monitoring,
                                              h));
            m->TraceConnectWithoutContext(
                "SessionStateChanged",
                MakeBoundCallback(
                    +[](MonitoringRecord* rec,
                        uint32_t host,
                        uint32_t tunnel,
                        uint32_t from,
                        uint32_t to,
                        uint8_t diag) {
                        rec->sessionEvents.push_back(
                            {Simulator::Now(), host, tunnel, from, to, diag});
                    },
                    &monitoring,
                    h));
            overlay->GetVtep(h)->TraceConnectWithoutContext(
                "OamTx",
                MakeBoundCallback(
                    +[](MonitoringRecord* rec, Ptr<const Packet> p, uint8_t kind) {
                        rec->oamPackets[kind]++;
                        rec->oamBytes[kind] += p->GetSize() + 14; // + outer Ethernet
                    },
                    &monitoring));
            m->Start();
            monitors.push_back(m);
        }
    }

    // Pcap.
    ScenarioRun run;
    if (!options.outDir.empty() && !config.pcapPorts.empty())
    {
        std::filesystem::create_directories(options.outDir);
        for (const auto& port : config.pcapPorts)
        {
            run.pcapFiles.emplace_back(
                port,
                fabric->EnablePcap(options.outDir + "/" + config.name, port));
        }
    }

    auto wallBuilt = std::chrono::steady_clock::now();
    Simulator::Stop(config.duration);
    Simulator::Run();
    auto wallRun = std::chrono::steady_clock::now();

    // Results.
    Json flows = Json::object();
    uint64_t tSent = 0;
    uint64_t tDelivered = 0;
    uint64_t tDropped = 0;
    int64_t tOnWire = 0;
    bool allOk = true;
    for (uint32_t i = 0; i < nFlows; ++i)
    {
        const FlowConfig& f = config.traffic[i];
        const FlowLedger::Flow& s = ledger.GetFlow(i);
        Json dropped = Json::object();
        for (size_t r = 0; r < s.dropped.size(); ++r)
        {
            if (s.dropped[r] > 0)
            {
                dropped[ToString(static_cast<DropReason>(r))] = s.dropped[r];
            }
        }
        uint64_t lost = s.DroppedTotal();
        bool ok = s.onWire >= 0 && s.sent == s.delivered + lost + static_cast<uint64_t>(s.onWire);
        allOk = allOk && ok;
        Time active = f.stop.value_or(config.duration) - f.start;
        Json bins = Json::array();
        for (uint64_t bytes : s.rxBytesPerBin)
        {
            bins.push_back(static_cast<double>(bytes) * 8.0 / config.statsBin.GetSeconds());
        }
        const auto& src = overlay->GetVm(f.from);
        const auto& dst = overlay->GetVm(f.to);
        flows[f.name] =
            Json{{"from", f.from},
                 {"to", f.to},
                 {"kind", ToString(f.kind)},
                 {"vni", src.vni},
                 {"same_host", src.host == dst.host},
                 {"app_tx_packets", appTx[i]},
                 {"sent", s.sent},
                 {"delivered", s.delivered},
                 {"in_flight", s.onWire},
                 {"lost", lost},
                 {"dropped", dropped},
                 {"reordered", s.reordered},
                 {"accounting_ok", ok},
                 {"app_rx_bytes", s.appRxBytes},
                 {"goodput_bps", static_cast<double>(s.appRxBytes) * 8.0 / active.GetSeconds()},
                 {"delay_us",
                  s.delivered == 0
                      ? Json(nullptr)
                      : Json{{"min", s.minDelay.GetSeconds() * 1e6},
                             {"mean",
                              static_cast<double>(s.delaySumTs) / static_cast<double>(s.delivered) /
                                  static_cast<double>(MicroSeconds(1).GetTimeStep())},
                             {"max", s.maxDelay.GetSeconds() * 1e6}}},
                 {"first_delivery_s", OptSec(s.firstDelivery)},
                 {"last_delivery_s", OptSec(s.lastDelivery)},
                 {"goodput", Json{{"bin_s", Sec(config.statsBin)}, {"bps", bins}}}};
        tSent += s.sent;
        tDelivered += s.delivered;
        tDropped += lost;
        tOnWire += s.onWire;
    }

    Json faults = Json::array();
    const auto& timelines = injector->GetTimelines();
    for (uint32_t k = 0; k < config.faults.size(); ++k)
    {
        const FaultConfig& f = config.faults[k];
        const FaultInjector::Timeline& t = timelines[k];
        Json affected = Json::object();
        uint64_t lostTotal = 0;
        for (uint32_t i = 0; i < nFlows; ++i)
        {
            const FlowLedger::FlowFaultRecord& r = ledger.GetFaultRecord(k, i);
            if (r.lost == 0)
            {
                continue;
            }
            lostTotal += r.lost;
            affected[config.traffic[i].name] =
                Json{{"lost", r.lost},
                     {"recovered_s", OptSec(r.recoveredAt)},
                     {"recovery_ms", OptMsSince(r.recoveredAt, t.at)}};
        }
        faults.push_back(Json{{"kind", ToString(f.kind)},
                              {"target", f.target},
                              {"at_s", Sec(t.at)},
                              {"end_s", OptSec(t.end)},
                              {"detected_s", OptSec(t.detected)},
                              {"detection_ms", OptMsSince(t.detected, t.at)},
                              {"uplink_switch_s", OptSec(t.uplinkSwitched)},
                              {"failover_ms", OptMsSince(t.uplinkSwitched, t.at)},
                              {"routes_converged_s", OptSec(t.routesConverged)},
                              {"lost", lostTotal},
                              {"flows", affected}});
    }

    Json allDrops = Json::object();
    for (size_t r = 0; r < ledger.GetAllDrops().size(); ++r)
    {
        if (ledger.GetAllDrops()[r] > 0)
        {
            allDrops[ToString(static_cast<DropReason>(r))] = ledger.GetAllDrops()[r];
        }
    }

    run.results =
        Json{{"scenario", ScenarioToJson(config)},
             {"flows", flows},
             {"faults", faults},
             {"monitoring", MonitoringToJson(config, fabric, overlay, monitors, monitoring)},
             {"totals",
              Json{{"sent", tSent},
                   {"delivered", tDelivered},
                   {"lost", tDropped},
                   {"in_flight", tOnWire},
                   {"accounting_ok", allOk},
                   {"dropped_all_packets", allDrops}}}};
    run.buildWallSeconds = std::chrono::duration<double>(wallBuilt - wallStart).count();
    run.runWallSeconds = std::chrono::duration<double>(wallRun - wallBuilt).count();
    Simulator::Destroy();
    return run;
}

namespace
{

/// Follow a dotted path ("flows.f0.lost", "faults.0.recovery_ms") into results.
const Json*
Resolve(const Json& root, const std::string& path)
{
    const Json* node = &root;
    size_t pos = 0;
    while (pos <= path.size())
    {
        size_t dot = path.find('.', pos);
        std::string part =
            path.substr(pos, dot == std::string::npos ? std::string::npos : dot - pos);
        if (node->is_object())
        {
            auto it = node->find(part);
            if (it == node->end())
            {
                return nullptr;
            }
            node = &*it;
        }
        else if (node->is_array())
        {
            if (part.empty() || part.find_first_not_of("0123456789") != std::string::npos)
            {
                return nullptr;
            }
            size_t idx = std::stoul(part);
            if (idx >= node->size())
            {
                return nullptr;
            }
            node = &(*node)[idx];
        }
        else
        {
            return nullptr;
        }
        if (dot == std::string::npos)
        {
            break;
        }
        pos = dot + 1;
    }
    return node;
}

} // namespace

std::vector<std::string>
CheckExpectations(const ScenarioConfig& config, const Json& results)
{
    std::vector<std::string> broken;
    // "Nothing vanishes" is a bound every scenario carries without stating it.
    for (const auto& [name, f] : results["flows"].items())
    {
        if (!f["accounting_ok"].get<bool>())
        {
            broken.push_back(
                fmt::format("flow {}: sent {} != delivered {} + lost {} + in flight {}",
                            name,
                            f["sent"].dump(),
                            f["delivered"].dump(),
                            f["lost"].dump(),
                            f["in_flight"].dump()));
        }
    }
    for (const ExpectBound& e : config.expect)
    {
        std::string where =
            config.sourceFile.empty() ? "" : fmt::format("{}:{}: ", config.sourceFile, e.line);
        const Json* v = Resolve(results, e.path);
        if (v == nullptr)
        {
            broken.push_back(fmt::format("{}expect {}: no such figure in results", where, e.path));
            continue;
        }
        if (v->is_null())
        {
            broken.push_back(
                fmt::format("{}expect {}: is null (the event never happened)", where, e.path));
            continue;
        }
        if (!v->is_number() && !v->is_boolean())
        {
            broken.push_back(
                fmt::format("{}expect {}: is not a number ({})", where, e.path, v->dump()));
            continue;
        }
        double x = v->is_boolean() ? (v->get<bool>() ? 1.0 : 0.0) : v->get<double>();
        if (e.min && x < *e.min)
        {
            broken.push_back(
                fmt::format("{}expect {}: measured {} is below min {}", where, e.path, x, *e.min));
        }
        if (e.max && x > *e.max)
        {
            broken.push_back(
                fmt::format("{}expect {}: measured {} is above max {}", where, e.path, x, *e.max));
        }
    }
    return broken;
}

} // namespace ns3
