/*
 * Uplink-aware tunnel monitoring (seed 000): a silent blackhole on the uplink a flow uses,
 * detected by the per-uplink encapsulated BFD echo and repaired by the uplink policy.
 *
 *            spine0     spine1
 *             |   \   /   |
 *           leaf0 leaf1  leaf2 leaf3
 *            \   /         \   /
 *            host0         host3          host0/vm0 --UDP--> host3/vm0 (VNI 5000)
 *
 * host0's uplink 0 silently drops everything it sends from --faultAt on. Each VTEP runs a BFD
 * session per tunnel and, once it is Up, an echo per uplink every interval of the --preset; the
 * --policy decides what host0 does with the DOWN it declares (carrier-only: nothing).
 *
 *   ./uplink-monitoring --preset=hardware --policy=active-standby
 */
#include "scenario-runner.h"

#include "ns3/command-line.h"

#include <iostream>

using namespace ns3;

int
main(int argc, char* argv[])
{
    std::string preset = "aggressive";
    std::string policy = "active-standby";
    double faultAt = 3.0;
    bool seamless = false;

    CommandLine cmd(__FILE__);
    cmd.AddValue("preset", "frr-default, ovs-default, aggressive or hardware", preset);
    cmd.AddValue("policy", "carrier-only or active-standby", policy);
    cmd.AddValue("faultAt", "fault time in seconds (after the session is Up, ~2 s)", faultAt);
    cmd.AddValue("seamless", "RFC 7880 S-BFD instead of an RFC 5880 session", seamless);
    cmd.Parse(argc, argv);
    if (policy != "carrier-only" && policy != "active-standby")
    {
        std::cerr << "--policy: '" << policy << "' is not allowed; use carrier-only or "
                  << "active-standby\n";
        return 2;
    }

    ScenarioConfig c;
    c.name = "uplink-monitoring-example";
    c.duration = Seconds(faultAt + 1);
    c.fabric.spines = 2;
    c.fabric.racks = 2;
    c.fabric.hostsPerRack = 2;
    c.overlay.policy =
        policy == "carrier-only" ? UplinkPolicy::CARRIER_ONLY : UplinkPolicy::ACTIVE_STANDBY;
    c.overlay.segments.push_back(SegmentConfig{5000, {"host0/vm0", "host3/vm0"}});
    c.monitoring.enabled = true;
    if (!ApplyMonitoringPreset(c.monitoring, preset))
    {
        std::cerr << "--preset: '" << preset << "' is not a preset; use frr-default, "
                  << "ovs-default, aggressive or hardware\n";
        return 2;
    }
    c.monitoring.mode = seamless ? BfdMode::SEAMLESS : BfdMode::ASYNC;
    FlowConfig flow;
    flow.name = "f0";
    flow.from = "host0/vm0";
    flow.to = "host3/vm0";
    flow.rate = DataRate("200Mbps");
    flow.size = 1000;
    c.traffic.push_back(flow);
    FaultConfig f;
    f.kind = FaultKind::SILENT_DROP;
    f.target = "host0/uplink0";
    f.direction = FaultDirection::FORWARD;
    f.at = Seconds(faultAt);
    c.faults.push_back(f);

    try
    {
        auto results = RunScenario(c).results;
        std::cout << "fault:      " << results["faults"][0].dump(2) << "\n"
                  << "monitoring: " << results["monitoring"]["overhead"].dump(2) << "\n"
                  << "tunnel:     " << results["monitoring"]["tunnels"]["host0->host3"].dump(2)
                  << "\n";
    }
    catch (const ConfigError& e)
    {
        std::cerr << "error: " << e.what() << "\n";
        return 2;
    }
    return 0;
}
