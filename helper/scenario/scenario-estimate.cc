#include "scenario-estimate.h"

#include "flow-ledger.h"
#include "uplink-monitor.h"

#include <algorithm>
#include <fmt/format.h>
#include <map>
#include <set>
#include <vector>

namespace ns3
{

namespace
{

// Memory figures fitted on 2026-12-02 to the peak RSS (GNU time %M) of Release runs of 10 ms
// without traffic, from 4 spines x 8 leaves x 16 hosts to 256 spines x 256 leaves (65,792 links)
// and 4 spines x 1024 leaves x 2048 hosts (4.2M route entries); the estimate was within
// 0.9-1.5x of every measurement (above it in all but one).
constexpr double EVENTS_PER_PACKET = 6;    //!< vNIC, virtual switch, 4 underlay links
constexpr double PROCESS_BYTES = 40e6;     //!< ns-3 and this module loaded, nothing built
constexpr double NODE_BYTES = 16 * 1024;   //!< an ns-3 node with its stack
constexpr double LINK_BYTES = 6 * 1024;    //!< two devices, their queues and the channel
constexpr double ROUTE_BYTES = 16;         //!< one route entry of a switch
constexpr double NEXT_HOP_BYTES = 4;       //!< one ECMP next hop of a leaf's route
constexpr double TUNNEL_BYTES = 1024;      //!< per tunnel end: selector, L2 and ARP entries
constexpr double SESSION_BYTES = 2048;     //!< per BFD session and its echo state
constexpr double BIN_BYTES = 8;            //!< one goodput counter
constexpr double TCP_SEGMENT_BYTES = 1448; //!< the runner's TCP segment size
/// What one fault did to one flow (the ledger keeps one per pair: faults x flows of them).
constexpr double FAULT_RECORD_BYTES = sizeof(FlowLedger::FlowFaultRecord);

/// \return "1.2e+10" style for large figures, plain for small ones
std::string
Figure(double x)
{
    return x < 1e7 ? fmt::format("{:.0f}", x) : fmt::format("{:.2e}", x);
}

} // namespace

std::string
ScenarioEstimate::Summary() const
{
    return fmt::format("{} hosts, {} nodes, {} links, {} routes, {} tunnel ends, {} monitoring "
                       "sessions, {} events, {} stats bins, ~{:.0f} MB",
                       hosts,
                       nodes,
                       links,
                       routes,
                       tunnels,
                       monitoringSessions,
                       Figure(events),
                       statsBins,
                       memoryBytes / 1e6);
}

ScenarioEstimate
EstimateScenario(const ScenarioConfig& config)
{
    ScenarioEstimate e;
    const FabricConfig& f = config.fabric;
    e.hosts = f.NumHosts();
    uint64_t vms = 0;
    std::map<uint32_t, std::set<uint32_t>> reach; // host -> hosts it shares a segment with
    for (const SegmentConfig& s : config.overlay.segments)
    {
        std::set<uint32_t> hosts;
        for (const VmRef& vm : s.vms)
        {
            hosts.insert(vm.GetHostIndex());
        }
        vms += s.vms.size();
        for (uint32_t h : hosts)
        {
            reach[h].insert(hosts.begin(), hosts.end());
        }
    }
    for (const auto& [host, peers] : reach)
    {
        e.tunnels += peers.size() - 1;
    }
    e.nodes = f.spines + f.NumLeaves() + e.hosts + vms;
    const uint64_t addresses = e.hosts * f.uplinksPerHost; // one VTEP address per uplink
    e.links = uint64_t{f.NumLeaves()} * f.spines + addresses;
    e.routes = (uint64_t{f.spines} + f.NumLeaves()) * addresses;
    const double nextHops = static_cast<double>(f.NumLeaves()) * addresses * f.spines;
    const double seconds = config.duration.GetSeconds();
    double packets = 0;
    for (uint32_t i = 0; i < config.traffic.size(); ++i)
    {
        const FlowConfig& flow = config.traffic[i];
        double active = (flow.stop.value_or(config.duration) - flow.start).GetSeconds();
        double flowPackets = 0;
        if (flow.kind == FlowKind::UDP_CBR)
        {
            flowPackets = static_cast<double>(flow.rate.GetBitRate()) * active / (8.0 * flow.size);
        }
        else
        {
            double bytes = flow.maxBytes > 0
                               ? static_cast<double>(flow.maxBytes)
                               : static_cast<double>(f.access.rate.GetBitRate()) * active / 8.0;
            flowPackets = 1.5 * bytes / TCP_SEGMENT_BYTES; // segments and one ACK per two
        }
        // Through a chain: one more packet's worth per SVM of its first path (the pass through
        // the SVM and, between hosts, the tunnel to the next).
        const int32_t chain = config.chains.empty() ? -1 : ChainOfFlow(config, i);
        const double svmPasses =
            chain < 0 ? 0.0 : static_cast<double>(config.chains[chain].paths.front().svms.size());
        packets += flowPackets * (1.0 + svmPasses);
        e.statsBins += static_cast<uint64_t>(
            std::ceil(config.duration.GetSeconds() / config.statsBin.GetSeconds()));
    }
    if (config.monitoring.enabled)
    {
        e.monitoringSessions = e.tunnels;
        double echo = config.monitoring.EchoInterval().GetSeconds();
        double tx = config.monitoring.txInterval.GetSeconds();
        // Echo streams per (tunnel, uplink): one, or with cover_ecmp_paths one per path from the
        // uplink's leaf: spines x the remote host's uplinks (each on its own leaf).
        const double streams =
            config.monitoring.coverEcmpPaths
                ? std::min<double>(UplinkMonitor::MAX_PATHS,
                                   static_cast<double>(f.spines) * f.uplinksPerHost)
                : 1.0;
        packets += static_cast<double>(e.tunnels) * seconds *
                   (1.0 / tx + 2.0 * f.uplinksPerHost * streams / echo);
    }
    if (!config.chains.empty())
    {
        // SVMs, the controller and a management node per host; a query and its answer per SVM
        // and query interval.
        e.nodes += config.svms.size() + 1 + e.hosts;
        packets += 2.0 * static_cast<double>(config.svms.size()) * seconds /
                   config.servicePlane.queryInterval.GetSeconds();
    }
    e.events = packets * EVENTS_PER_PACKET;
    e.memoryBytes = PROCESS_BYTES + NODE_BYTES * static_cast<double>(e.nodes) +
                    LINK_BYTES * static_cast<double>(e.links) +
                    ROUTE_BYTES * static_cast<double>(e.routes) + NEXT_HOP_BYTES * nextHops +
                    TUNNEL_BYTES * static_cast<double>(e.tunnels) +
                    SESSION_BYTES * static_cast<double>(e.monitoringSessions) +
                    BIN_BYTES * static_cast<double>(e.statsBins) +
                    FAULT_RECORD_BYTES * static_cast<double>(config.faults.size()) *
                        static_cast<double>(config.traffic.size());
    return e;
}

void
CheckScenarioCost(const ScenarioConfig& config,
                  const ScenarioEstimate& e,
                  const ScenarioLimits& limits)
{
    const char* how = "run it anyway with --allow-large (Python: allow_large=True), or make the "
                      "scenario smaller";
    auto refuse = [&](const std::string& quantity,
                      const std::string& estimate,
                      const std::string& limit,
                      const std::string& hint) {
        throw ConfigError(config.sourceFile,
                          0,
                          "",
                          fmt::format("too large: {} would be about {}, above the limit of {}{}; "
                                      "{} (estimate: {})",
                                      quantity,
                                      estimate,
                                      limit,
                                      hint,
                                      how,
                                      e.Summary()));
    };
    if (e.statsBins > limits.statsBins)
    {
        refuse("the goodput statistics",
               fmt::format("{} bins", e.statsBins),
               fmt::format("{} bins", limits.statsBins),
               " (flows x duration / stats_bin: a larger stats_bin or a shorter duration)");
    }
    if (e.monitoringSessions > limits.monitoringSessions)
    {
        refuse("monitoring",
               fmt::format("{} BFD sessions", e.monitoringSessions),
               fmt::format("{}", limits.monitoringSessions),
               " (one per tunnel end: every pair of hosts sharing a segment)");
    }
    if (e.events > limits.events)
    {
        refuse("the simulation",
               fmt::format("{} events", Figure(e.events)),
               Figure(limits.events),
               " (packets x hops of the flows and the monitoring over the duration)");
    }
    if (e.memoryBytes > limits.memoryBytes)
    {
        refuse("memory",
               fmt::format("{:.1f} GB", e.memoryBytes / 1e9),
               fmt::format("{:.1f} GB", limits.memoryBytes / 1e9),
               "");
    }
}

} // namespace ns3
