#include "path-query.h"

#include "leaf-spine-topology.h"
#include "topology-ref.h"
#include "vtep.h"

#include "ns3/simulator.h"

#include <fmt/format.h>

namespace ns3
{

PathAnswer
TracePathOf(const ScenarioConfig& config,
            uint32_t host,
            uint32_t uplink,
            uint32_t to,
            uint16_t sport,
            uint16_t dport)
{
    const uint32_t hosts = config.fabric.NumHosts();
    if (host >= hosts || uplink >= config.fabric.uplinksPerHost)
    {
        throw ConfigError("",
                          0,
                          "--from",
                          fmt::format("host{}/uplink{} is not in this fabric; allowed: host0.."
                                      "host{}, uplink0..uplink{}",
                                      host,
                                      uplink,
                                      hosts - 1,
                                      config.fabric.uplinksPerHost - 1));
    }
    if (to >= hosts)
    {
        throw ConfigError(
            "",
            0,
            "--to",
            fmt::format("host{} is not in this fabric; allowed: host0..host{}", to, hosts - 1));
    }
    PathAnswer answer;
    {
        Ptr<LeafSpineFabric> fabric = CreateObject<LeafSpineFabric>(config.fabric, config.seed);
        const Ipv4Address destination = fabric->GetVtepAddress(to);
        const FiveTuple outer{fabric->GetVtepAddress(host).Get(),
                              destination.Get(),
                              sport,
                              dport,
                              17};
        const LeafSpineFabric::FabricPath path = fabric->TracePath(host, uplink, outer);
        const std::vector<std::string> names = fabric->GetLinkNames();
        answer.nodes = path.Nodes(*fabric);
        for (const LeafSpineFabric::PathHop& hop : path.hops)
        {
            answer.links.push_back(names[hop.link]);
        }
        answer.arrived = path.arrivedAt == static_cast<int32_t>(to);
        answer.stop = path.arrivedAt >= 0 && !answer.arrived
                          ? fmt::format("arrived at host{}", path.arrivedAt)
                          : path.stop;
        answer.text = path.Format(*fabric);
        answer.ecmpPaths = fabric->EnumeratePaths(host, destination).size();
        answer.dport = dport;
        fabric->Dispose();
    }
    Simulator::Destroy(); // the nodes go: a run can follow in this process
    return answer;
}

PathAnswer
TracePathOf(const ScenarioConfig& config,
            const std::string& from,
            const std::string& to,
            uint16_t sport,
            std::optional<uint16_t> dport)
{
    std::optional<LinkRef> uplink = LinkRef::Parse(from);
    if (!uplink || !uplink->IsHostUplink())
    {
        throw ConfigError(
            "",
            0,
            "--from",
            fmt::format("'{}' is not a host uplink; allowed: hostN/uplinkK, e.g. host0/uplink1",
                        from));
    }
    std::optional<HostRef> host = HostRef::Parse(to);
    if (!host)
    {
        throw ConfigError("",
                          0,
                          "--to",
                          fmt::format("'{}' is not a host; allowed: hostN, e.g. host3", to));
    }
    return TracePathOf(config,
                       uplink->GetFirst(),
                       uplink->GetSecond(),
                       host->GetIndex(),
                       sport,
                       dport ? *dport : Vtep::TunnelUdpPort(config.overlay.encap));
}

} // namespace ns3
