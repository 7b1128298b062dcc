/*
 * Uplink failover on a dual-homed host, built in C++ from the same config structs the scenario
 * files fill.
 *
 *            spine0     spine1
 *             |   \   /   |
 *           leaf0 leaf1  leaf2 leaf3
 *            \   /         \   /
 *            host0         host2          host0/vm0 --UDP--> host2/vm0 (VNI 5000)
 *
 * At --faultAt the uplink host0 uses (uplink 0, carrier-only policy) fails: `link-down` loses
 * carrier (the host moves to uplink 1 at once), `silent-drop` keeps carrier (no monitoring:
 * blackhole).
 *
 *   ./uplink-failover --fault=silent-drop
 */
#include "scenario-runner.h"

#include "ns3/command-line.h"

#include <iostream>

using namespace ns3;

int
main(int argc, char* argv[])
{
    std::string fault = "link-down";
    double faultAt = 0.5;
    std::string rate = "500Mbps";

    CommandLine cmd(__FILE__);
    cmd.AddValue("fault", "link-down or silent-drop", fault);
    cmd.AddValue("faultAt", "fault time in seconds", faultAt);
    cmd.AddValue("rate", "UDP rate of the flow", rate);
    cmd.Parse(argc, argv);
    if (fault != "link-down" && fault != "silent-drop")
    {
        std::cerr << "--fault: '" << fault << "' is not allowed; use link-down or silent-drop\n";
        return 2;
    }

    ScenarioConfig c;
    c.name = "uplink-failover-example";
    c.duration = Seconds(1);
    c.fabric.spines = 2;
    c.fabric.racks = 2;
    c.fabric.hostsPerRack = 2;
    c.overlay.policy = UplinkPolicy::CARRIER_ONLY;
    c.overlay.segments.push_back(SegmentConfig{5000, {"host0/vm0", "host2/vm0"}});
    FlowConfig flow;
    flow.name = "f0";
    flow.from = "host0/vm0";
    flow.to = "host2/vm0";
    flow.rate = DataRate(rate);
    c.traffic.push_back(flow);
    FaultConfig f;
    f.kind = fault == "link-down" ? FaultKind::LINK_DOWN : FaultKind::SILENT_DROP;
    f.target = "host0/uplink0";
    f.at = Seconds(faultAt);
    c.faults.push_back(f);

    try
    {
        auto results = RunScenario(c).results;
        std::cout << results["flows"].dump(2) << "\n" << results["faults"].dump(2) << "\n";
    }
    catch (const ConfigError& e)
    {
        std::cerr << "error: " << e.what() << "\n";
        return 2;
    }
    return 0;
}
