#include "scenario-estimate.h"

#include <algorithm>
#include <fmt/format.h>
#include <map>
#include <set>
#include <vector>

namespace ns3
{

namespace
{

constexpr double EVENTS_PER_PACKET = 6;    //!< vNIC, virtual switch, 4 underlay links
constexpr double NODE_BYTES = 64 * 1024;   //!< an ns-3 node with its devices and stack
constexpr double TUNNEL_BYTES = 1024;      //!< per tunnel end: selector, L2 and ARP entries
constexpr double SESSION_BYTES = 2048;     //!< per BFD session and its echo state
constexpr double BIN_BYTES = 8;            //!< one goodput counter
constexpr double TCP_SEGMENT_BYTES = 1448; //!< the runner's TCP segment size

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
    return fmt::format("{} hosts, {} nodes, {} tunnel ends, {} monitoring sessions, {} events, {} "
                       "stats bins, ~{:.0f} MB",
                       hosts,
                       nodes,
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
    const double seconds = config.duration.GetSeconds();
    double packets = 0;
    for (const FlowConfig& flow : config.traffic)
    {
        double active = (flow.stop.value_or(config.duration) - flow.start).GetSeconds();
        if (flow.kind == FlowKind::UDP_CBR)
        {
            packets += static_cast<double>(flow.rate.GetBitRate()) * active / (8.0 * flow.size);
        }
        else
        {
            double bytes = flow.maxBytes > 0
                               ? static_cast<double>(flow.maxBytes)
                               : static_cast<double>(f.access.rate.GetBitRate()) * active / 8.0;
            packets += 1.5 * bytes / TCP_SEGMENT_BYTES; // segments and one ACK per two
        }
        e.statsBins += static_cast<uint64_t>(
            std::ceil(config.duration.GetSeconds() / config.statsBin.GetSeconds()));
    }
    if (config.monitoring.enabled)
    {
        e.monitoringSessions = e.tunnels;
        double echo = config.monitoring.EchoInterval().GetSeconds();
        double tx = config.monitoring.txInterval.GetSeconds();
        packets +=
            static_cast<double>(e.tunnels) * seconds * (1.0 / tx + 2.0 * f.uplinksPerHost / echo);
    }
    e.events = packets * EVENTS_PER_PACKET;
    e.memoryBytes = NODE_BYTES * static_cast<double>(e.nodes) +
                    TUNNEL_BYTES * static_cast<double>(e.tunnels) +
                    SESSION_BYTES * static_cast<double>(e.monitoringSessions) +
                    BIN_BYTES * static_cast<double>(e.statsBins);
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
