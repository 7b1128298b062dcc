// overlay-fabric-bench: the workload of ../shared/bench/leaf-spine-baseline run over the overlay.
//
// Same knobs under the same names (--spines --leafPairs --hostsPerPair --pps --simTime: a "pair" is
// a rack, of two leaves unless --leavesPerRack says otherwise); dual-homed hosts unless
// --uplinksPerHost says otherwise, one VM per host on one GENEVE segment, one UDP constant-rate
// flow per VM to a VM in another rack (drawn with an ns-3 random variable), 1000-byte inner
// payload. Prints one JSON line: hosts, packet_hops (delivered inner packets x 4 underlay links),
// run_s, build_s, hops_per_s, peak_rss_mb. --monitoring PRESET adds uplink monitoring of every
// tunnel (a full mesh: every host shares the segment), seamless by default so that echoes run from
// time 0 even in short runs; its echo and BFD packets cross the fabric too but count in packet_hops
// only as data would not: packet_hops stays data packets, so the figure shows what monitoring costs
// the data path. --chainSvms N puts every flow through a service chain of its own: N pass-through
// SVMs on the flow's source host (seed 001 paragraph 0051: SVMs of one host exchange the NSH
// without an outer header), so the underlay path and packet_hops stay the same and the figure
// shows what classification, the NSH and N proxy and SVM passes cost per packet. --offload puts
// an offloading NIC on every uplink (seed 002: every remote VM in its table, no gateway), so the
// figure shows what tagging, the NIC's lookup and its receive checks cost per packet.
#include "scenario-runner.h"

#include "ns3/core-module.h"

#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <sys/resource.h>

using namespace ns3;

int
main(int argc, char** argv)
{
    uint32_t spines = 4;
    uint32_t leafPairs = 4;
    uint32_t hostsPerPair = 16;
    uint32_t leavesPerRack = 2;
    uint32_t uplinksPerHost = 2;
    uint32_t pps = 10000;
    double simTime = 1.0;
    std::string encap = "geneve";
    std::string monitoring = "off";
    std::string mode = "seamless";
    uint32_t chainSvms = 0;
    bool offload = false;

    CLI::App app{"overlay-fabric benchmark (workload of shared/bench/leaf-spine-baseline)"};
    app.add_option("--spines", spines, "spine switches")->check(CLI::Range(1u, 64u));
    app.add_option("--leafPairs", leafPairs, "racks (named after the baseline's leaf pairs)")
        ->check(CLI::Range(2u, 256u));
    app.add_option("--hostsPerPair", hostsPerPair, "hosts per rack")->check(CLI::Range(1u, 256u));
    app.add_option("--leavesPerRack", leavesPerRack, "leaves of each rack")
        ->check(CLI::Range(1u, 8u));
    app.add_option("--uplinksPerHost", uplinksPerHost, "uplinks per host, at most --leavesPerRack")
        ->check(CLI::Range(1u, 8u));
    app.add_option("--pps", pps, "packets per second per host")->check(CLI::Range(1u, 10000000u));
    app.add_option("--simTime", simTime, "seconds of traffic")->check(CLI::Range(0.001, 1000.0));
    app.add_option("--encap", encap, "geneve or vxlan")->check(CLI::IsMember({"geneve", "vxlan"}));
    std::vector<std::string> presets = MonitoringPresetNames();
    presets.insert(presets.begin(), "off");
    app.add_option("--monitoring", monitoring, "monitoring preset, or off")
        ->check(CLI::IsMember(presets));
    app.add_option("--monitoringMode",
                   mode,
                   "seamless (echoes from time 0) or async (BFD sessions first: 1 s slow start)")
        ->check(CLI::IsMember({"seamless", "async"}));
    app.add_option("--chainSvms", chainSvms, "SVMs of each flow's service chain, 0 = no chains")
        ->check(CLI::Range(0u, 8u));
    app.add_flag("--offload", offload, "NIC offload of the encapsulation on every host");
    try
    {
        app.parse(argc, argv);
    }
    catch (const CLI::ParseError& e)
    {
        return app.exit(e) == 0 ? 0 : 2;
    }
    if (chainSvms == 1)
    {
        fmt::print(stderr, "--chainSvms 1: a service path chains two or more SVMs (or 0: none)\n");
        return 2;
    }
    if (uplinksPerHost > leavesPerRack)
    {
        fmt::print(stderr,
                   "--uplinksPerHost {} is more than --leavesPerRack {}: each uplink goes to a "
                   "different leaf of the rack\n",
                   uplinksPerHost,
                   leavesPerRack);
        return 2;
    }

    ScenarioConfig cfg;
    cfg.name = "bench";
    cfg.seed = 1;
    cfg.duration = Seconds(simTime + 0.01);
    cfg.statsBin = cfg.duration;
    cfg.fabric.spines = spines;
    cfg.fabric.racks = leafPairs;
    cfg.fabric.leavesPerRack = leavesPerRack;
    cfg.fabric.hostsPerRack = hostsPerPair;
    cfg.fabric.uplinksPerHost = uplinksPerHost;
    cfg.fabric.access.rate = DataRate("25Gbps");
    cfg.fabric.access.delay = MicroSeconds(1);
    cfg.fabric.core.rate = DataRate("100Gbps");
    cfg.fabric.core.delay = MicroSeconds(1);
    cfg.overlay.encap = encap == "vxlan" ? Encapsulation::VXLAN : Encapsulation::GENEVE;
    cfg.overlay.policy = UplinkPolicy::FLOW_HASH;
    if (monitoring != "off")
    {
        cfg.monitoring.enabled = true;
        ApplyMonitoringPreset(cfg.monitoring, monitoring);
        cfg.monitoring.mode = mode == "async" ? BfdMode::ASYNC : BfdMode::SEAMLESS;
    }
    const uint32_t hosts = cfg.fabric.NumHosts();
    SegmentConfig segment;
    segment.vni = 5000;
    for (uint32_t h = 0; h < hosts; ++h)
    {
        segment.vms.push_back(fmt::format("host{}/vm0", h));
    }
    cfg.overlay.segments.push_back(segment);

    Ptr<UniformRandomVariable> pick = CreateObject<UniformRandomVariable>();
    pick->SetStream(1);
    for (uint32_t h = 0; h < hosts; ++h)
    {
        uint32_t dst;
        do
        {
            dst = pick->GetInteger(0, hosts - 1);
        } while (dst / hostsPerPair == h / hostsPerPair);
        FlowConfig f;
        f.name = fmt::format("flow{}", h);
        f.from = fmt::format("host{}/vm0", h);
        f.to = fmt::format("host{}/vm0", dst);
        f.kind = FlowKind::UDP_CBR;
        f.rate = DataRate(uint64_t{pps} * 1000 * 8);
        f.size = 1000;
        f.start = Seconds(0.01);
        f.stop = Seconds(simTime);
        cfg.traffic.push_back(f);
        if (chainSvms == 0)
        {
            continue;
        }
        ChainConfig chain;
        chain.name = fmt::format("chain{}", h);
        ServicePathConfig path;
        path.spi = h + 1;
        for (uint32_t k = 0; k < chainSvms; ++k)
        {
            SvmConfig svm;
            svm.name = fmt::format("svm{}-{}", h, k);
            svm.host = HostRef(h);
            path.svms.push_back(svm.name);
            cfg.svms.push_back(svm);
        }
        chain.paths.push_back(path);
        ChainRuleConfig rule;
        rule.from = f.from;
        chain.match.push_back(rule);
        cfg.chains.push_back(chain);
    }

    cfg.offload.enabled = offload;

    // A deliberate stress test: the cost guard is for scenario files, not for the benchmark.
    ScenarioRun run = RunScenario(cfg, RunOptions{"", true});
    // Every flow crosses racks: host-leaf, leaf-spine, spine-leaf, leaf-host.
    constexpr uint64_t LINKS_PER_PACKET = 4;
    const uint64_t delivered = run.results["totals"]["delivered"].get<uint64_t>();
    const uint64_t hops = delivered * LINKS_PER_PACKET;
    struct rusage usage;
    getrusage(RUSAGE_SELF, &usage);
    fmt::print("{{\"hosts\": {}, \"encap\": \"{}\", \"monitoring\": \"{}\", \"chain_svms\": {}, "
               "\"offload\": {}, \"delivered\": {}, "
               "\"packet_hops\": {}, \"build_s\": {:.3f}, \"run_s\": {:.3f}, "
               "\"hops_per_s\": {:.0f}, \"peak_rss_mb\": {:.1f}}}\n",
               hosts,
               encap,
               monitoring == "off" ? monitoring : monitoring + "/" + mode,
               chainSvms,
               offload,
               delivered,
               hops,
               run.buildWallSeconds,
               run.runWallSeconds,
               static_cast<double>(hops) / run.runWallSeconds,
               usage.ru_maxrss / 1024.0);
    return 0;
}
