/*
 * A monitored leaf-spine overlay written as a plain ns-3 program with the module's helpers
 * (FabricHelper, OverlayHelper, UplinkMonitorHelper), without the scenario runner.
 *
 *                 spine0               spine1          every leaf to every spine (100 Gbps)
 *              /    |    \   ...    /    |    \
 *          leaf0  leaf1         leaf2  leaf3
 *             \   /                \   /               every host to both leaves of its rack
 *       host0 .. host{n-1}    host{n} .. host{2n-1}    n = --hostsPerRack (25 Gbps)
 *
 *       host0/vm0 ---- UDP CBR, VNI 5000, GENEVE ----> host{2n-1}/vm0
 *
 * Every VTEP runs an uplink monitor (S-BFD and a per-uplink encapsulated echo every
 * --txInterval) and an active-standby uplink selector preferring uplink 0. At --faultAt host0's
 * uplink 0 silently drops what host0 sends (--fault=silent-drop) or loses its carrier
 * (--fault=link-down). The program prints the packets sent and received, when host0's monitor
 * declared uplink 0 DOWN, and when the fabric's routing converged after a link-down; the routing
 * delay is an ns-3 attribute: --ns3::RoutingController::ConvergenceDelay=50ms.
 *
 *   ./monitored-leaf-spine --hostsPerRack=4 --fault=link-down --faultAt=1s --simTime=2s
 */
#include "fabric-helper.h"
#include "overlay-helper.h"
#include "uplink-monitor-helper.h"

#include "ns3/applications-module.h"
#include "ns3/core-module.h"
#include "ns3/internet-module.h"

#include <iostream>

using namespace ns3;

int
main(int argc, char* argv[])
{
    uint32_t hostsPerRack = 2;
    Time txInterval = MilliSeconds(50);
    uint32_t detectMult = 3;
    DataRate rate("100Mbps");
    std::string fault = "silent-drop";
    Time faultAt = Seconds(1);
    Time simTime = Seconds(2);

    CommandLine cmd(__FILE__);
    cmd.AddValue("hostsPerRack", "hypervisor hosts in each of the two racks", hostsPerRack);
    cmd.AddValue("txInterval", "monitoring interval (S-BFD and echo)", txInterval);
    cmd.AddValue("detectMult",
                 "echo intervals without a reply before an uplink is DOWN",
                 detectMult);
    cmd.AddValue("rate", "rate of the UDP flow (1000-byte packets)", rate);
    cmd.AddValue("fault", "silent-drop or link-down, on host0/uplink0", fault);
    cmd.AddValue("faultAt", "time of the fault", faultAt);
    cmd.AddValue("simTime", "simulated time", simTime);
    cmd.Parse(argc, argv);
    if (fault != "silent-drop" && fault != "link-down")
    {
        std::cerr << "--fault: '" << fault << "' is not allowed; use silent-drop or link-down\n";
        return 2;
    }

    // Underlay: 2 spines, 2 racks of two leaves, two uplinks per host.
    FabricHelper fabricHelper;
    fabricHelper.SetTopology(2, 2, hostsPerRack, 2);
    FabricContainer fabric = fabricHelper.Install();

    // Overlay: one segment with a VM on the first and on the last host.
    const std::string client = "host0/vm0";
    const std::string server = "host" + std::to_string(2 * hostsPerRack - 1) + "/vm0";
    OverlayHelper overlayHelper;
    overlayHelper.SetUplinkSelectorAttribute("Policy", StringValue("active-standby"));
    OverlayContainer overlay =
        overlayHelper.Install(fabric, {SegmentConfig{5000, {client, server}}});

    // Monitoring on every VTEP.
    UplinkMonitorHelper monitorHelper;
    monitorHelper.SetMonitorAttribute("Mode", StringValue("seamless"));
    monitorHelper.SetMonitorAttribute("TxInterval", TimeValue(txInterval));
    monitorHelper.SetMonitorAttribute("RxInterval", TimeValue(txInterval));
    monitorHelper.SetMonitorAttribute("DetectMult", UintegerValue(detectMult));
    UplinkMonitorContainer monitors = monitorHelper.Install(overlay);
    int64_t stream = fabricHelper.AssignStreams(fabric, 0);
    monitorHelper.AssignStreams(monitors, stream);
    monitorHelper.Start(monitors, Seconds(0));

    // UDP constant bit rate from the client VM to the server VM.
    const OverlayNetwork::Vm& src = overlay.overlay->GetVm(client);
    const OverlayNetwork::Vm& dst = overlay.overlay->GetVm(server);
    PacketSinkHelper sinkHelper("ns3::UdpSocketFactory",
                                InetSocketAddress(Ipv4Address::GetAny(), 9));
    ApplicationContainer sink = sinkHelper.Install(dst.node);
    OnOffHelper onoff("ns3::UdpSocketFactory", InetSocketAddress(dst.ip, 9));
    onoff.SetConstantRate(rate, 1000);
    ApplicationContainer app = onoff.Install(src.node);
    app.Start(MilliSeconds(100));
    app.Stop(simTime);

    // The fault, and the traces that time the reaction.
    Ptr<LeafSpineFabric> underlay = fabric.fabric;
    Simulator::Schedule(faultAt, [underlay, fault]() {
        if (fault == "link-down")
        {
            underlay->SetLinkCarrier("host0/uplink0", false);
        }
        else
        {
            underlay->SetSilentDrop("host0/uplink0", FaultDirection::FORWARD, 1.0);
        }
    });
    uint64_t sent = 0;
    app.Get(0)->TraceConnectWithoutContext(
        "Tx",
        Callback<void, Ptr<const Packet>>([&sent](Ptr<const Packet>) { ++sent; }));
    Time detected = Time::Max();
    monitors[0]->TraceConnectWithoutContext(
        "StatusChanged",
        Callback<void, uint32_t, uint32_t, bool>([&](uint32_t, uint32_t uplink, bool up) {
            if (!up && uplink == 0 && Simulator::Now() >= faultAt && detected == Time::Max())
            {
                detected = Simulator::Now();
            }
        }));
    Time converged = Time::Max();
    underlay->TraceConnectWithoutContext("RoutesConverged", Callback<void, Time>([&](Time at) {
                                             converged = std::min(converged, at);
                                         }));

    Simulator::Stop(simTime);
    Simulator::Run();

    const uint64_t received = DynamicCast<PacketSink>(sink.Get(0))->GetTotalRx() / 1000;
    std::cout << "fabric:            2 spines, 4 leaves, " << 2 * hostsPerRack
              << " hosts with 2 uplinks; " << client << " -> " << server << "\n"
              << "fault:             " << fault << " on host0/uplink0 at " << faultAt.GetSeconds()
              << " s"
              << "\n"
              << "packets sent:      " << sent << "\n"
              << "packets received:  " << received << "\n"
              << "packets lost:      " << sent - received << "\n";
    if (detected != Time::Max())
    {
        std::cout << "detection time:    " << (detected - faultAt).GetMicroSeconds() / 1000.0
                  << " ms (host0's monitor: uplink 0 DOWN)\n";
    }
    else
    {
        std::cout << "detection time:    none (uplink 0 never declared DOWN)\n";
    }
    if (converged != Time::Max())
    {
        std::cout << "routes converged:  " << (converged - faultAt).GetMicroSeconds() / 1000.0
                  << " ms after the fault\n";
    }
    Simulator::Destroy();
    return 0;
}
