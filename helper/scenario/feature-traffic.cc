#include "feature-traffic.h"

#include "fabric-net-device.h"
#include "fabric-switch.h"
#include "five-tuple.h"
#include "results-json.h"
#include "virtual-switch.h"
#include "vtep.h"

#include "ns3/applications-module.h"
#include "ns3/arp-l3-protocol.h"
#include "ns3/core-module.h"
#include "ns3/inet-socket-address.h"

namespace ns3
{

using Json = nlohmann::ordered_json;
using namespace results_json;

namespace
{

/// Source port of flow \p i: fixed, so the flow's 5-tuple (and its ECMP path) is known up front.
uint16_t
SrcPort(uint32_t i)
{
    return static_cast<uint16_t>(10000 + i);
}

} // namespace

void
TrafficFeature::Install(const ScenarioConfig& config, ScenarioNetwork& network)
{
    Config::SetDefault("ns3::TcpSocket::SegmentSize", UintegerValue(1448));
    network.ledger =
        std::make_unique<FlowLedger>(config.traffic.size(), config.duration, config.statsBin);
    m_ledger = network.ledger.get();
    ConnectLedger(network);
    m_appTx.assign(config.traffic.size(), 0);
    for (uint32_t i = 0; i < config.traffic.size(); ++i)
    {
        InstallFlow(config, network, i);
    }
}

void
TrafficFeature::ConnectLedger(ScenarioNetwork& network)
{
    // Traces -> ledger. Results are computed from these alone.
    FlowLedger* ledger = m_ledger;
    Ptr<OverlayNetwork> overlay = network.overlay;
    for (uint32_t h = 0; h < overlay->GetHostCount(); ++h)
    {
        Ptr<VirtualSwitch> vs = overlay->GetVirtualSwitch(h);
        vs->TraceConnectWithoutContext("FlowTx", MakeCallback(&FlowLedger::FlowTx, ledger));
        vs->TraceConnectWithoutContext("FlowRx", MakeCallback(&FlowLedger::FlowRx, ledger));
        vs->TraceConnectWithoutContext("Drop", MakeCallback(&FlowLedger::Drop, ledger));
        overlay->GetVtep(h)->TraceConnectWithoutContext("Drop",
                                                        MakeCallback(&FlowLedger::Drop, ledger));
    }
    for (const Ptr<FabricNetDevice>& dev : network.fabric->GetDevices())
    {
        dev->TraceConnectWithoutContext("Drop", MakeCallback(&FlowLedger::Drop, ledger));
        dev->TraceConnectWithoutContext("WireTx", MakeCallback(&FlowLedger::WireTx, ledger));
        dev->TraceConnectWithoutContext("WireRx", MakeCallback(&FlowLedger::WireRx, ledger));
    }
    for (const Ptr<FabricSwitch>& sw : network.fabric->GetSwitches())
    {
        sw->TraceConnectWithoutContext("Drop", MakeCallback(&FlowLedger::Drop, ledger));
    }
    for (const auto& vm : overlay->GetVms())
    {
        vm.node->GetObject<Ipv4L3Protocol>()->TraceConnectWithoutContext(
            "Drop",
            MakeCallback(&TrafficFeature::VmIpDrop, this));
        vm.node->GetObject<ArpL3Protocol>()->TraceConnectWithoutContext(
            "Drop",
            MakeCallback(&TrafficFeature::VmArpDrop, this));
    }
}

void
TrafficFeature::InstallFlow(const ScenarioConfig& config, ScenarioNetwork& network, uint32_t i)
{
    const FlowConfig& f = config.traffic[i];
    const auto& src = network.overlay->GetVm(f.from);
    const auto& dst = network.overlay->GetVm(f.to);
    const bool udp = f.kind == FlowKind::UDP_CBR;
    const std::string factory = udp ? "ns3::UdpSocketFactory" : "ns3::TcpSocketFactory";
    const uint16_t dport = DstPort(f, i);
    const Time stop = f.stop.value_or(config.duration);

    PacketSinkHelper sinkHelper(factory, InetSocketAddress(Ipv4Address::GetAny(), dport));
    ApplicationContainer sink = sinkHelper.Install(dst.node);
    sink.Start(Time(0));
    sink.Get(0)->TraceConnectWithoutContext("Rx", MakeCallback(&TrafficFeature::AppRx, this, i));

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
    app.Get(0)->TraceConnectWithoutContext("Tx", MakeCallback(&TrafficFeature::AppTx, this, i));

    FiveTuple key;
    key.src = src.ip.Get();
    key.dst = dst.ip.Get();
    key.sport = SrcPort(i);
    key.dport = dport;
    key.proto = udp ? 17 : 6;
    network.overlay->GetVirtualSwitch(src.host)->RegisterFlow(key, i);
}

void
TrafficFeature::AppTx(uint32_t flow, Ptr<const Packet> packet)
{
    ++m_appTx[flow];
}

void
TrafficFeature::AppRx(uint32_t flow, Ptr<const Packet> packet, const Address& from)
{
    m_ledger->AppRx(flow, packet->GetSize());
}

void
TrafficFeature::VmIpDrop(const Ipv4Header& header,
                         Ptr<const Packet> packet,
                         Ipv4L3Protocol::DropReason reason,
                         Ptr<Ipv4> ipv4,
                         uint32_t interface)
{
    m_ledger->Drop(packet, DropReason::VM_STACK);
}

void
TrafficFeature::VmArpDrop(Ptr<const Packet> packet)
{
    m_ledger->Drop(packet, DropReason::VM_STACK);
}

void
TrafficFeature::Collect(const ScenarioConfig& config, const ScenarioNetwork& network, Json& results)
{
    Json flows = Json::object();
    for (uint32_t i = 0; i < config.traffic.size(); ++i)
    {
        const FlowConfig& f = config.traffic[i];
        const FlowLedger::Flow& s = network.ledger->GetFlow(i);
        Json dropped = Json::object();
        for (size_t r = 0; r < s.dropped.size(); ++r)
        {
            if (s.dropped[r] > 0)
            {
                dropped[ToString(static_cast<DropReason>(r))] = s.dropped[r];
            }
        }
        Time active = f.stop.value_or(config.duration) - f.start;
        Json bins = Json::array();
        for (uint64_t bytes : s.rxBytesPerBin)
        {
            bins.push_back(static_cast<double>(bytes) * 8.0 / config.statsBin.GetSeconds());
        }
        const auto& src = network.overlay->GetVm(f.from);
        const auto& dst = network.overlay->GetVm(f.to);
        flows[f.name] =
            Json{{"from", f.from.Format()},
                 {"to", f.to.Format()},
                 {"kind", ToString(f.kind)},
                 {"vni", src.vni},
                 {"same_host", src.host == dst.host},
                 {"app_tx_packets", m_appTx[i]},
                 {"sent", s.sent},
                 {"delivered", s.delivered},
                 {"in_flight", s.InFlight()},
                 {"lost", s.DroppedTotal()},
                 {"dropped", dropped},
                 {"reordered", s.reordered},
                 {"accounting_ok", s.AccountingHolds()},
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
        if (!config.overlay.routers.empty())
        {
            flows[f.name]["to_vni"] = dst.vni;
            flows[f.name]["routed"] = dst.vni != src.vni;
        }
    }
    results["flows"] = flows;
}

std::vector<ResultsField>
TrafficFeature::ResultsSections() const
{
    ResultsShape::CountOf binCount = [](const ScenarioConfig& c) {
        return std::optional<size_t>(FlowLedger::BinCount(c.duration, c.statsBin));
    };
    ResultsShape::AbsentIf noRouters = [](const ScenarioConfig& c) {
        return c.overlay.routers.empty() ? std::string("overlay.routers is empty") : std::string();
    };
    ResultsShape flow = ResultsObject(
        "One measured flow.",
        {
            {"from", ResultsText("Source VM (host/vm).")},
            {"to", ResultsText("Destination VM.")},
            {"kind", ResultsText("udp-cbr or tcp-bulk.")},
            {"vni", ResultsNumber("", "Segment (VNI) of the flow.")},
            {"same_host", ResultsBoolean("Both VMs on one host: no tunnel is crossed.")},
            {"app_tx_packets", ResultsNumber("", "Packets the source application sent.")},
            {"sent", ResultsNumber("", "Packets that left the source VM.")},
            {"delivered", ResultsNumber("", "Packets handed to the destination VM's vNIC.")},
            {"in_flight",
             ResultsNumber("",
                           "Packets still on an underlay link or inside a service VM at the end.")},
            {"lost",
             ResultsNumber("",
                           "Packets dropped, all reasons: sent = delivered + lost + "
                           "in_flight.")},
            {"dropped",
             ResultsNamed(
                 "Drops by reason (reasons with none are left out; a bound reads them as 0).",
                 "drop reason",
                 ResultsDropReasons(),
                 ResultsNumber("", "Packets dropped for this reason."))
                 .ZeroWhenAbsent()},
            {"reordered",
             ResultsNumber("", "Delivered with a lower sequence than one delivered before.")},
            {"accounting_ok", ResultsBoolean("sent = delivered + lost + in_flight holds.")},
            {"app_rx_bytes", ResultsNumber("bytes", "Bytes the sink application received.")},
            {"goodput_bps",
             ResultsNumber("bps", "app_rx_bytes x 8 over the flow's active time (start..stop).")},
            {"delay_us",
             ResultsObject("One-way delay, source VM to destination vNIC; null if none arrived.",
                           {{"min", ResultsNumber("us", "Smallest.")},
                            {"mean", ResultsNumber("us", "Mean over the delivered packets.")},
                            {"max", ResultsNumber("us", "Largest.")}})
                 .Nullable()},
            {"first_delivery_s", ResultsNumber("s", "First delivery; null if none.").Nullable()},
            {"last_delivery_s", ResultsNumber("s", "Last delivery; null if none.").Nullable()},
            {"goodput",
             ResultsObject(
                 "Goodput over time.",
                 {{"bin_s", ResultsNumber("s", "Width of a bin (stats_bin).")},
                  {"bps",
                   ResultsList("Sink goodput per bin, duration / stats_bin bins (rounded up).",
                               "bin index",
                               binCount,
                               ResultsNumber("bps", "Goodput in that bin."))}})},
            {"to_vni",
             ResultsNumber("", "Segment (VNI) of the destination VM.").AbsentWhen(noRouters)},
            {"routed",
             ResultsBoolean("It crosses a distributed router: encapsulated with to_vni.")
                 .AbsentWhen(noRouters)},
        });
    return {{"flows",
             ResultsNamed("Every flow of traffic, by name.", "flow", ResultsFlowNames(), flow)}};
}

} // namespace ns3
