#include "scenario-config.h"

#include "scenario-feature.h"
#include "scenario-schema.h"

#include "ns3/enum.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <fmt/format.h>
#include <fmt/ranges.h>
#include <limits>
#include <map>
#include <set>
#include <sstream>
#include <unordered_map>
#include <utility>

namespace ns3
{

namespace
{

/// Upper bounds that keep a scenario within what the models are meant for.
const uint64_t MAX_HOSTS = 4096;       //!< hosts in the whole fabric
const uint32_t ETHERNET_HEADER = 14;   //!< Ethernet II header, queued with every frame
const uint32_t ETHERNET_FCS = 4;       //!< FCS, queued when fabric.layer1_overhead is on
const uint32_t MAX_UDP_PAYLOAD = 8972; //!< 9000-byte inner MTU - IPv4 (20) - UDP (8)
const uint32_t FIRST_AUTO_PORT = 5000; //!< dst_port 0 means FIRST_AUTO_PORT + flow index
/// Bytes a VF's IP packet grows by in the NIC's encapsulation: inner Ethernet 14, GENEVE without
/// options or VXLAN 8, outer UDP 8, outer IPv4 20 (the outer Ethernet is not in a link's MTU).
const uint32_t VF_ENCAP_OVERHEAD = ETHERNET_HEADER + 8 + 8 + 20;

/**
 * \brief Throw a ConfigError without file or line: the loader adds them.
 * \param field dotted field path
 * \param message what is wrong and what is allowed
 */
[[noreturn]] void
Fail(const std::string& field, const std::string& message)
{
    throw ConfigError("", 0, field, message);
}

/**
 * \param t a time
 * \return the time in the largest unit that shows it exactly, e.g. "200ms", "1500us"
 */
std::string
FormatTime(const Time& t)
{
    int64_t ns = t.GetNanoSeconds();
    if (ns != 0 && ns % 1000000000 == 0)
    {
        return fmt::format("{}s", ns / 1000000000);
    }
    if (ns != 0 && ns % 1000000 == 0)
    {
        return fmt::format("{}ms", ns / 1000000);
    }
    if (ns != 0 && ns % 1000 == 0)
    {
        return fmt::format("{}us", ns / 1000);
    }
    return fmt::format("{}ns", ns);
}

/**
 * \brief Record list item \p index's name, and refuse a name an earlier item has.
 * \param seen names so far -> item index
 * \param name the item's name
 * \param index the item's index
 * \param list the list's field path, e.g. "traffic"
 * \param what what the items are, e.g. "flow"
 */
void
CheckUniqueName(std::map<std::string, size_t>& seen,
                const std::string& name,
                size_t index,
                const std::string& list,
                const char* what)
{
    auto [it, isNew] = seen.emplace(name, index);
    if (!isNew)
    {
        Fail(fmt::format("{}[{}].name", list, index),
             fmt::format("{} is already the name of {}[{}]; {} names are unique",
                         name,
                         list,
                         it->second,
                         what));
    }
}

/**
 * \brief Check a VM name "host<N>/vm<M>" against the fabric.
 * \param field field path for the error
 * \param vm the name
 * \param numHosts number of hosts in the fabric
 */
void
CheckVmName(const std::string& field, const VmRef& ref, uint64_t numHosts)
{
    std::string vm = ref.Format();
    uint32_t host = ref.GetHostIndex();
    if (!ref.IsValid())
    {
        Fail(field,
             fmt::format("'{}' is not a VM name; allowed: host<N>/vm<M> with N < {} (the number "
                         "of hosts), decimal without leading zeros, e.g. host0/vm0",
                         vm,
                         numHosts));
    }
    if (host >= numHosts)
    {
        Fail(field,
             fmt::format("{} is on host {}, but the fabric has {} hosts (host0..host{}: "
                         "racks x hosts_per_rack)",
                         vm,
                         host,
                         numHosts,
                         numHosts - 1));
    }
}

/**
 * \brief Check a link name "host<N>/uplink<K>" or "leaf<L>-spine<S>" against the fabric.
 * \param field field path for the error
 * \param link the name
 * \param fabric the fabric
 */
void
CheckLinkName(const std::string& field, const LinkRef& ref, const FabricConfig& fabric)
{
    uint64_t numHosts = uint64_t{fabric.racks} * fabric.hostsPerRack;
    uint32_t numLeaves = fabric.NumLeaves();
    std::string link = ref.Format();
    uint32_t a = ref.GetFirst();
    uint32_t b = ref.GetSecond();
    if (ref.IsHostUplink())
    {
        if (a >= numHosts)
        {
            Fail(field,
                 fmt::format("{} names host {}, but the fabric has {} hosts (host0..host{})",
                             link,
                             a,
                             numHosts,
                             numHosts - 1));
        }
        if (b >= fabric.uplinksPerHost)
        {
            Fail(field,
                 fmt::format(
                     "{} names uplink {}, but fabric.uplinks_per_host is {} (uplink0..uplink{})",
                     link,
                     b,
                     fabric.uplinksPerHost,
                     fabric.uplinksPerHost - 1));
        }
        return;
    }
    if (ref.IsValid())
    {
        if (a >= numLeaves)
        {
            Fail(field,
                 fmt::format("{} names leaf {}, but the fabric has {} leaves (leaf0..leaf{}: {} "
                             "per rack)",
                             link,
                             a,
                             numLeaves,
                             numLeaves - 1,
                             fabric.leavesPerRack));
        }
        if (b >= fabric.spines)
        {
            Fail(field,
                 fmt::format("{} names spine {}, but the fabric has {} spines (spine0..spine{})",
                             link,
                             b,
                             fabric.spines,
                             fabric.spines - 1));
        }
        return;
    }
    Fail(field,
         fmt::format("'{}' is not a link name; allowed: host<N>/uplink<K> (N < {}, K < {}) or "
                     "leaf<L>-spine<S> (L < {}, S < {})",
                     link,
                     numHosts,
                     fabric.uplinksPerHost,
                     numLeaves,
                     fabric.spines));
}

/**
 * \brief Check one tier of links.
 * \param field "fabric.access" or "fabric.core"
 * \param tier the tier
 * \param layer1Overhead fabric.layer1_overhead: the FCS is sent and counts in the queue
 */
void
CheckTier(const std::string& field, const LinkTierConfig& tier, bool layer1Overhead)
{
    // The queue counts the bytes of each frame that are sent and stored (FabricNetDevice):
    // header + payload, and the FCS when it is on the wire; never the preamble or the gap.
    const uint32_t perFrame = ETHERNET_HEADER + (layer1Overhead ? ETHERNET_FCS : 0);
    if (uint64_t{tier.queueBytes} < uint64_t{tier.mtu} + perFrame)
    {
        Fail(field + ".queue_bytes",
             fmt::format("{} is too small; allowed: at least mtu + {} = {} bytes (one full frame "
                         "as the queue counts it: Ethernet header 14{})",
                         tier.queueBytes,
                         perFrame,
                         uint64_t{tier.mtu} + perFrame,
                         layer1Overhead ? " + FCS 4" : ", no FCS with fabric.layer1_overhead off"));
    }
}

/**
 * \brief Check the underlay.
 * \param f the fabric
 */
void
CheckFabric(const FabricConfig& f)
{
    uint64_t numHosts = uint64_t{f.racks} * f.hostsPerRack;
    if (numHosts > MAX_HOSTS)
    {
        Fail("fabric.hosts_per_rack",
             fmt::format("{} racks x {} hosts = {} hosts is too many; allowed: at most {} hosts "
                         "in the fabric",
                         f.racks,
                         f.hostsPerRack,
                         numHosts,
                         MAX_HOSTS));
    }
    CheckTier("fabric.access", f.access, f.layer1Overhead);
    CheckTier("fabric.core", f.core, f.layer1Overhead);
}

/**
 * \param p a policy
 * \return whether the policy has a preferred uplink (overlay.preferred_uplink)
 */
bool
HasPreferredUplink(UplinkPolicy p)
{
    return p == UplinkPolicy::CARRIER_ONLY || p == UplinkPolicy::ACTIVE_STANDBY;
}

/**
 * \brief Check the overlay and index its VMs.
 * \param o the overlay
 * \param fabric the fabric (for host counts and uplinks)
 * \param monitoring the monitoring (policies that read its metrics need it enabled)
 * \return VM name -> index of its segment
 */
std::map<VmRef, size_t>
CheckOverlay(const OverlayConfig& o, const FabricConfig& fabric, const MonitoringConfig& monitoring)
{
    if (o.policy != UplinkPolicy::CARRIER_ONLY && o.policy != UplinkPolicy::FLOW_HASH &&
        !monitoring.enabled)
    {
        Fail(
            "overlay.uplink_policy",
            fmt::format("{} picks uplinks from the uplink monitor's metrics, but monitoring is "
                        "off; turn it on (monitoring: {{preset: frr-default}}, or enabled: true in "
                        "the monitoring section) or use carrier-only or flow-hash, which need "
                        "only carrier",
                        ToString(o.policy)));
    }
    if (HasPreferredUplink(o.policy) && o.preferredUplink >= fabric.uplinksPerHost)
    {
        Fail("overlay.preferred_uplink",
             fmt::format("{} is out of range; allowed: 0..{} (fabric.uplinks_per_host is {})",
                         o.preferredUplink,
                         fabric.uplinksPerHost - 1,
                         fabric.uplinksPerHost));
    }
    if (o.pathReselection && !(monitoring.enabled && monitoring.coverEcmpPaths))
    {
        Fail("overlay.path_reselection",
             "needs echoes on every ECMP path, which tell which paths are alive: set "
             "monitoring.cover_ecmp_paths: true (with monitoring on), or leave "
             "path_reselection off");
    }
    uint64_t numHosts = uint64_t{fabric.racks} * fabric.hostsPerRack;
    std::unordered_map<uint32_t, size_t> segmentOfVni;
    std::map<VmRef, size_t> segmentOfVm;
    for (size_t s = 0; s < o.segments.size(); ++s)
    {
        const SegmentConfig& seg = o.segments[s];
        std::string field = fmt::format("overlay.segments[{}]", s);
        auto [vniIt, newVni] = segmentOfVni.emplace(seg.vni, s);
        if (!newVni)
        {
            Fail(field + ".vni",
                 fmt::format("{} is already the VNI of overlay.segments[{}]; each segment needs "
                             "its own VNI",
                             seg.vni,
                             vniIt->second));
        }
        if (seg.vms.empty())
        {
            Fail(field + ".vms", "the list is empty; a segment needs at least one VM");
        }
        for (size_t v = 0; v < seg.vms.size(); ++v)
        {
            std::string vmField = fmt::format("{}.vms[{}]", field, v);
            CheckVmName(vmField, seg.vms[v], numHosts);
            auto [vmIt, newVm] = segmentOfVm.emplace(seg.vms[v], s);
            if (!newVm)
            {
                if (vmIt->second == s)
                {
                    Fail(vmField, fmt::format("{} is listed twice in this segment", seg.vms[v]));
                }
                Fail(vmField,
                     fmt::format("{} is already on overlay.segments[{}] (VNI {}); each VM is on "
                                 "exactly one segment",
                                 seg.vms[v],
                                 vmIt->second,
                                 o.segments[vmIt->second].vni));
            }
        }
    }
    // Routers: unique names, two or more existing segments each, a segment in one router only
    // (its gateway address and the router MAC answer for one router).
    std::map<std::string, size_t> routerOfName;
    std::map<uint32_t, size_t> routerOfVni;
    for (size_t r = 0; r < o.routers.size(); ++r)
    {
        const RouterConfig& router = o.routers[r];
        const std::string field = fmt::format("overlay.routers[{}]", r);
        const std::string name = router.name.empty() ? fmt::format("dr{}", r) : router.name;
        CheckUniqueName(routerOfName, name, r, "overlay.routers", "router");
        if (router.segments.size() < 2)
        {
            Fail(field + ".segments",
                 fmt::format("{} segment(s); a router joins two or more segments (their VNIs)",
                             router.segments.size()));
        }
        for (size_t i = 0; i < router.segments.size(); ++i)
        {
            const uint32_t vni = router.segments[i];
            const std::string item = fmt::format("{}.segments[{}]", field, i);
            if (segmentOfVni.count(vni) == 0)
            {
                Fail(item,
                     fmt::format("VNI {} is not a segment; allowed: the VNIs of overlay.segments",
                                 vni));
            }
            auto [vniIt, newVni] = routerOfVni.emplace(vni, r);
            if (!newVni)
            {
                Fail(item,
                     vniIt->second == r
                         ? fmt::format("VNI {} is listed twice in this router", vni)
                         : fmt::format("VNI {} is already joined by overlay.routers[{}]; a "
                                       "segment has one router",
                                       vni,
                                       vniIt->second));
            }
        }
    }
    return segmentOfVm;
}

/**
 * \brief Check one endpoint of a flow.
 * \param field "traffic[i].from" or "traffic[i].to"
 * \param vm the VM name
 * \param numHosts hosts in the fabric
 * \param segmentOfVm VM name -> segment index
 * \return the VM's segment index
 */
size_t
CheckEndpoint(const std::string& field,
              const VmRef& vm,
              uint64_t numHosts,
              const std::map<VmRef, size_t>& segmentOfVm)
{
    CheckVmName(field, vm, numHosts);
    auto it = segmentOfVm.find(vm);
    if (it == segmentOfVm.end())
    {
        Fail(field,
             fmt::format("{} is not on any segment; a VM exists only as a member of "
                         "overlay.segments[*].vms",
                         vm));
    }
    return it->second;
}

/**
 * \brief Check the flows.
 * \param cfg the scenario (flows, overlay, fabric, duration)
 * \param segmentOfVm VM name -> segment index
 */
void
CheckTraffic(const ScenarioConfig& cfg, const std::map<VmRef, size_t>& segmentOfVm)
{
    uint64_t numHosts = uint64_t{cfg.fabric.racks} * cfg.fabric.hostsPerRack;
    const FlowConfig defaults;
    std::map<std::string, size_t> flowOfName;
    std::map<std::pair<VmRef, uint32_t>, size_t> flowOfPort;
    for (size_t i = 0; i < cfg.traffic.size(); ++i)
    {
        const FlowConfig& flow = cfg.traffic[i];
        std::string field = fmt::format("traffic[{}]", i);
        std::string name = flow.name.empty() ? fmt::format("flow{}", i) : flow.name;
        CheckUniqueName(flowOfName, name, i, "traffic", "flow");
        size_t fromSegment = CheckEndpoint(field + ".from", flow.from, numHosts, segmentOfVm);
        size_t toSegment = CheckEndpoint(field + ".to", flow.to, numHosts, segmentOfVm);
        if (flow.from == flow.to)
        {
            Fail(field + ".to",
                 fmt::format("{} is also the source; a flow goes between two different VMs",
                             flow.to));
        }
        const int32_t router = cfg.overlay.RouterOf(fromSegment);
        if (fromSegment != toSegment && (router < 0 || cfg.overlay.RouterOf(toSegment) != router))
        {
            Fail(field + ".to",
                 fmt::format("{} is on segment VNI {}, but from ({}) is on VNI {}; a flow stays "
                             "inside one segment, or goes between two segments that one router "
                             "of overlay.routers joins",
                             flow.to,
                             cfg.overlay.segments[toSegment].vni,
                             flow.from,
                             cfg.overlay.segments[fromSegment].vni));
        }
        if (flow.kind == FlowKind::UDP_CBR && flow.size > MAX_UDP_PAYLOAD)
        {
            Fail(field + ".size",
                 fmt::format("{} is out of range; allowed for udp-cbr: 1..{} bytes of UDP payload",
                             flow.size,
                             MAX_UDP_PAYLOAD));
        }
        Time stop = flow.stop.value_or(cfg.duration);
        if (flow.stop && *flow.stop > cfg.duration)
        {
            Fail(field + ".stop",
                 fmt::format("{} is after the end of the scenario; allowed: at most duration ({})",
                             FormatTime(stop),
                             FormatTime(cfg.duration)));
        }
        if (flow.stop && flow.stop->IsStrictlyNegative())
        {
            Fail(field + ".stop",
                 fmt::format("{} is negative; allowed: after start ({}) and at most duration ({})",
                             FormatTime(*flow.stop),
                             FormatTime(flow.start),
                             FormatTime(cfg.duration)));
        }
        if (flow.stop && flow.start >= stop)
        {
            // The stop as written is what is wrong when start is its default.
            Fail(field + ".stop",
                 fmt::format("{} is not after start ({}); a flow must start before it stops",
                             FormatTime(stop),
                             FormatTime(flow.start)));
        }
        if (flow.start >= stop)
        {
            Fail(field + ".start",
                 fmt::format("{} is not before stop ({}{}); a flow must start before it stops",
                             FormatTime(flow.start),
                             FormatTime(stop),
                             flow.stop ? "" : ", the scenario duration"));
        }
        uint64_t port = EffectiveDstPort(flow, i);
        if (port > 65535)
        {
            Fail(field + ".dst_port",
                 fmt::format("0 picks port {} + flow index = {}, past 65535; set dst_port "
                             "explicitly",
                             FIRST_AUTO_PORT,
                             port));
        }
        auto [portIt, newPort] = flowOfPort.emplace(std::make_pair(flow.to, uint32_t(port)), i);
        if (!newPort)
        {
            Fail(field + ".dst_port",
                 fmt::format("port {} on {} is already used by traffic[{}]; each flow to a VM "
                             "needs its own port (0 = {} + flow index)",
                             port,
                             flow.to,
                             portIt->second,
                             FIRST_AUTO_PORT));
        }
    }
}

/**
 * \brief Check the faults.
 * \param cfg the scenario (faults, fabric, duration)
 */
void
CheckFaults(const ScenarioConfig& cfg)
{
    const FaultConfig defaults;
    for (size_t i = 0; i < cfg.faults.size(); ++i)
    {
        const FaultConfig& fault = cfg.faults[i];
        std::string field = fmt::format("faults[{}]", i);
        CheckLinkName(field + ".target", fault.target, cfg.fabric);
        if (fault.at.IsStrictlyNegative() || fault.at >= cfg.duration)
        {
            Fail(field + ".at",
                 fmt::format("{} is out of range; allowed: 0 <= at < duration ({})",
                             FormatTime(fault.at),
                             FormatTime(cfg.duration)));
        }
        if (fault.kind == FaultKind::NIC_ENCAP_FAILURE)
        {
            if (!fault.target.IsHostUplink())
            {
                Fail(field + ".target",
                     fmt::format("{} is a fabric link; a nic-encap-failure breaks the NIC of a "
                                 "host uplink, host<N>/uplink<K>",
                                 fault.target));
            }
            if (!OffloadingHosts(cfg)[fault.target.GetFirst()])
            {
                Fail(field + ".target",
                     fmt::format("host{}'s NICs do not offload the encapsulation; a "
                                 "nic-encap-failure needs an offloading host (offload.enabled, "
                                 "offload.hosts, not the gateway)",
                                 fault.target.GetFirst()));
            }
        }
        if (fault.end && *fault.end <= fault.at)
        {
            Fail(field + ".end",
                 fmt::format("{} is not after at ({}); leave end out for a fault that lasts",
                             FormatTime(*fault.end),
                             FormatTime(fault.at)));
        }
    }
}

void CheckHostName(const std::string& field, const HostRef& host, uint64_t numHosts);

/**
 * \brief Check the migrations: VMs of a segment without a router, each once, to another host of
 * the fabric, within the run, and no flow's source.
 * \param cfg the scenario
 * \param segmentOfVm VM name -> segment index
 */
void
CheckMigrations(const ScenarioConfig& cfg, const std::map<VmRef, size_t>& segmentOfVm)
{
    std::set<VmRef> moved;
    for (size_t i = 0; i < cfg.migrations.size(); ++i)
    {
        const MigrationConfig& m = cfg.migrations[i];
        const std::string field = fmt::format("migrations[{}]", i);
        auto segment = segmentOfVm.find(m.vm);
        if (segment == segmentOfVm.end())
        {
            Fail(field + ".vm",
                 fmt::format("{} is not a VM of any segment; allowed: a VM listed in "
                             "overlay.segments",
                             m.vm));
        }
        if (cfg.overlay.RouterOf(segment->second) >= 0)
        {
            Fail(field + ".vm",
                 fmt::format("{} is on segment VNI {}, which a router joins; migrating a VM of "
                             "a routed segment is not modelled",
                             m.vm,
                             cfg.overlay.segments[segment->second].vni));
        }
        if (!moved.insert(m.vm).second)
        {
            Fail(field + ".vm", fmt::format("{} already migrates; a VM migrates once", m.vm));
        }
        CheckHostName(field + ".to", m.to, cfg.fabric.NumHosts());
        if (m.to == m.vm.GetHost())
        {
            Fail(field + ".to", fmt::format("{} is already on {}", m.vm, m.to));
        }
        if (m.at >= cfg.duration)
        {
            Fail(field + ".at",
                 fmt::format("{} is out of range; allowed: 0 <= at < duration ({})",
                             FormatTime(m.at),
                             FormatTime(cfg.duration)));
        }
        for (size_t f = 0; f < cfg.traffic.size(); ++f)
        {
            if (cfg.traffic[f].from == m.vm)
            {
                Fail(field + ".vm",
                     fmt::format("{} is the source of flow traffic[{}]; a migrating VM only "
                                 "receives (its flows are classified on its first host)",
                                 m.vm,
                                 f));
            }
        }
    }
}

/**
 * \brief Check a host name "host<N>" against the fabric.
 * \param field field path for the error
 * \param host the name
 * \param numHosts number of hosts in the fabric
 */
void
CheckHostName(const std::string& field, const HostRef& host, uint64_t numHosts)
{
    if (!host.IsValid())
    {
        Fail(field,
             fmt::format("'{}' is not a host name; allowed: host<N> with N < {} (the number "
                         "of hosts), decimal without leading zeros, e.g. host0",
                         host.Format(),
                         numHosts));
    }
    if (host.GetIndex() >= numHosts)
    {
        Fail(field,
             fmt::format("{} is not in the fabric, which has {} hosts (host0..host{}: racks x "
                         "hosts_per_rack)",
                         host,
                         numHosts,
                         numHosts - 1));
    }
}

/**
 * \brief Check monitoring.clocks: each names a host of the fabric, at most once (the ranges of
 * offset and drift_ppm are the schema table's).
 * \param cfg the scenario (monitoring, fabric)
 */
void
CheckClocks(const ScenarioConfig& cfg)
{
    const uint64_t numHosts = cfg.fabric.NumHosts();
    std::map<uint32_t, size_t> clockOfHost;
    for (size_t i = 0; i < cfg.monitoring.clocks.size(); ++i)
    {
        const ClockConfig& clock = cfg.monitoring.clocks[i];
        const std::string field = fmt::format("monitoring.clocks[{}].host", i);
        CheckHostName(field, clock.host, numHosts);
        auto [it, isNew] = clockOfHost.emplace(clock.host.GetIndex(), i);
        if (!isNew)
        {
            Fail(field,
                 fmt::format("{} already has a clock (monitoring.clocks[{}]); give each host one",
                             clock.host,
                             it->second));
        }
    }
}

} // namespace

std::vector<bool>
SelectedHosts(const std::vector<HostRef>& hosts, uint64_t numHosts)
{
    std::vector<bool> selected(numHosts, hosts.empty());
    for (const HostRef& host : hosts)
    {
        selected[host.GetIndex()] = true;
    }
    return selected;
}

std::vector<bool>
OffloadingHosts(const ScenarioConfig& config)
{
    if (!config.offload.enabled)
    {
        return std::vector<bool>(config.fabric.NumHosts(), false);
    }
    std::vector<bool> offloads = SelectedHosts(config.offload.hosts, config.fabric.NumHosts());
    if (config.offload.gateway)
    {
        offloads[config.offload.gateway->GetIndex()] = false;
    }
    return offloads;
}

namespace
{

/**
 * \brief Check a list of hosts: each in the fabric, each once.
 * \param field the list's field ("offload.hosts")
 * \param hosts the list
 * \param numHosts hosts of the fabric
 * \return the hosts' indexes
 */
std::set<uint32_t>
CheckHostList(const std::string& field, const std::vector<HostRef>& hosts, uint64_t numHosts)
{
    std::set<uint32_t> indexes;
    for (size_t i = 0; i < hosts.size(); ++i)
    {
        const std::string item = fmt::format("{}[{}]", field, i);
        CheckHostName(item, hosts[i], numHosts);
        if (!indexes.insert(hosts[i].GetIndex()).second)
        {
            Fail(item, fmt::format("{} is listed twice", hosts[i]));
        }
    }
    return indexes;
}

/**
 * \brief Check the offload section: offloading hosts and the gateway in the fabric, each host
 * listed once, the gateway not among them.
 * \param cfg the scenario
 */
void
CheckOffload(const ScenarioConfig& cfg)
{
    if (!cfg.offload.enabled)
    {
        return;
    }
    const uint64_t numHosts = cfg.fabric.NumHosts();
    const std::set<uint32_t> hosts = CheckHostList("offload.hosts", cfg.offload.hosts, numHosts);
    if (cfg.offload.gateway)
    {
        CheckHostName("offload.gateway", *cfg.offload.gateway, numHosts);
        if (hosts.count(cfg.offload.gateway->GetIndex()))
        {
            Fail("offload.gateway",
                 fmt::format("{} is also in offload.hosts; the gateway relays the NICs' misses "
                             "by its own full table on its software path, so it does not "
                             "offload: remove it from offload.hosts or choose another gateway",
                             *cfg.offload.gateway));
        }
    }
}

/**
 * \brief Check the mirror sessions (seed 003): a mirror VNI is a segment of its own that holds
 * the session's monitor VMs only (paragraph 0039: the mirroring overlay carries no regular
 * traffic), so no flow touches it and no other session shares it; the mirrored ports are VMs of
 * other segments, each mirrored by one session, not on an SR-IOV VF (its frames bypass the
 * virtual switch), never migrating; every monitor is a VM of the mirror VNI's segment.
 */
/// \return \p a as dotted-quad text
std::string AddressText(Ipv4Address a);

/**
 * \brief An underlay multicast group of a segment or a mirror session: a multicast address
 * outside the link-local control block, and no other segment's or session's.
 */
void
CheckGroup(const std::string& field,
           Ipv4Address group,
           const std::string& owner,
           std::map<uint32_t, std::string>& groupOwner)
{
    // 224.0.0.0/24 is the local network control block (RFC 5771): never forwarded.
    if (!group.IsMulticast() || (group.Get() >> 8) == 0xe00000)
    {
        Fail(field,
             fmt::format("{} is not a multicast group address; allowed: 224.0.1.0 to "
                         "239.255.255.255 (the seed's is 239.0.0.1; 224.0.0.0/24 is link-local)",
                         AddressText(group)));
    }
    auto [other, isNew] = groupOwner.emplace(group.Get(), owner);
    if (!isNew)
    {
        Fail(field,
             fmt::format("{} is already the group of {}; each segment and mirror session has a "
                         "group of its own",
                         AddressText(group),
                         other->second));
    }
}

/// \brief The traced flows exist, each once.
void
CheckTrace(const ScenarioConfig& cfg)
{
    if (!cfg.trace.enabled)
    {
        return;
    }
    std::vector<std::string> names;
    for (const FlowConfig& f : cfg.traffic)
    {
        names.push_back(f.name);
    }
    if (cfg.trace.flows.empty())
    {
        Fail("trace.flows",
             fmt::format("is empty; allowed: one or more names of traffic flows ({})",
                         fmt::join(names, ", ")));
    }
    std::set<std::string> seen;
    for (size_t i = 0; i < cfg.trace.flows.size(); ++i)
    {
        const std::string& name = cfg.trace.flows[i];
        const std::string field = fmt::format("trace.flows[{}]", i);
        if (std::find(names.begin(), names.end(), name) == names.end())
        {
            Fail(field,
                 fmt::format("{} is not a flow; allowed: the names of traffic ({})",
                             name,
                             names.empty() ? std::string("none")
                                           : fmt::format("{}", fmt::join(names, ", "))));
        }
        if (!seen.insert(name).second)
        {
            Fail(field, fmt::format("{} is listed twice", name));
        }
    }
}

/// \return \p a as dotted-quad text
std::string
AddressText(Ipv4Address a)
{
    std::ostringstream text;
    a.Print(text);
    return text.str();
}

void
CheckMirrors(const ScenarioConfig& cfg, const std::map<VmRef, size_t>& segmentOfVm)
{
    std::map<std::string, size_t> mirrorOfName;
    std::map<uint32_t, size_t> mirrorOfVni;
    std::map<VmRef, size_t> mirrorOfPort;
    std::map<VmRef, size_t> mirrorOfMonitor;
    std::map<uint32_t, std::string> groupOwner; // group -> the segment or session that has it
    for (size_t g = 0; g < cfg.overlay.segments.size(); ++g)
    {
        if (const auto& group = cfg.overlay.segments[g].group)
        {
            const std::string owner = fmt::format("overlay.segments[{}]", g);
            CheckGroup(owner + ".group", *group, owner, groupOwner);
        }
    }
    for (size_t i = 0; i < cfg.mirrors.size(); ++i)
    {
        const MirrorConfig& m = cfg.mirrors[i];
        const std::string field = fmt::format("mirrors[{}]", i);
        CheckUniqueName(mirrorOfName, m.name, i, "mirrors", "mirror session");
        if (m.mode == MirrorMode::MULTICAST)
        {
            CheckGroup(field + ".group", m.group, field, groupOwner);
        }
        auto [otherVni, newVni] = mirrorOfVni.emplace(m.vni, i);
        if (!newVni)
        {
            Fail(field + ".vni",
                 fmt::format("{} is already the mirror VNI of mirrors[{}]; each session has its "
                             "own mirroring overlay",
                             m.vni,
                             otherVni->second));
        }
        const std::vector<SegmentConfig>& segments = cfg.overlay.segments;
        auto segment = std::find_if(segments.begin(), segments.end(), [&m](const SegmentConfig& g) {
            return g.vni == m.vni;
        });
        if (segment == segments.end())
        {
            Fail(field + ".vni",
                 fmt::format("no segment has VNI {}: the mirroring overlay is a segment of "
                             "overlay.segments that holds the session's monitor VMs (paragraph "
                             "0052); add {{vni: {}, vms: [<the monitors>]}}",
                             m.vni,
                             m.vni));
        }
        const size_t mirrorSegment = static_cast<size_t>(segment - segments.begin());
        if (cfg.overlay.RouterOf(mirrorSegment) >= 0)
        {
            Fail(field + ".vni",
                 fmt::format("{} is joined by overlay.routers[{}]: the mirroring overlay is not "
                             "routed to tenant segments (paragraph 0039)",
                             m.vni,
                             cfg.overlay.RouterOf(mirrorSegment)));
        }
        const std::set<VmRef> monitors(m.monitors.begin(), m.monitors.end());
        for (const VmRef& vm : segment->vms)
        {
            if (monitors.count(vm) == 0)
            {
                Fail(field + ".vni",
                     fmt::format("{} is a tenant VNI: overlay.segments[{}] has {}, which is not "
                                 "a monitor of this session; the mirroring overlay is dedicated "
                                 "to mirrored packets (paragraph 0039): give the session a VNI "
                                 "of its own (5001 in the seed) whose segment holds only its "
                                 "monitors",
                                 m.vni,
                                 mirrorSegment,
                                 vm));
            }
        }
        for (size_t f = 0; f < cfg.traffic.size(); ++f)
        {
            const FlowConfig& flow = cfg.traffic[f];
            for (const VmRef& end : {flow.from, flow.to})
            {
                if (monitors.count(end) != 0)
                {
                    Fail(field + ".vni",
                         fmt::format("{} is a tenant VNI: traffic[{}] ({}) runs to or from {} on "
                                     "it; the mirroring overlay carries no regular traffic "
                                     "(paragraph 0039)",
                                     m.vni,
                                     f,
                                     flow.name,
                                     end));
                }
            }
        }
        if (m.ports.empty())
        {
            Fail(field + ".ports", "is empty; allowed: one or more VMs of tenant segments");
        }
        for (size_t p = 0; p < m.ports.size(); ++p)
        {
            const VmRef& vm = m.ports[p];
            const std::string portField = fmt::format("{}.ports[{}]", field, p);
            auto seg = segmentOfVm.find(vm);
            if (seg == segmentOfVm.end())
            {
                Fail(portField,
                     fmt::format("{} is not a VM of any segment, so it has no vNIC port to "
                                 "mirror; allowed: a VM listed in overlay.segments",
                                 vm));
            }
            if (seg->second == mirrorSegment)
            {
                Fail(portField,
                     fmt::format("{} is a monitor VM of this session (VNI {}); a mirrored port "
                                 "is a tenant VM's",
                                 vm,
                                 m.vni));
            }
            auto [other, isNew] = mirrorOfPort.emplace(vm, i);
            if (!isNew)
            {
                Fail(portField,
                     fmt::format("{} is already mirrored by mirrors[{}] ({}); a port has one "
                                 "mirror session",
                                 vm,
                                 other->second,
                                 cfg.mirrors[other->second].name));
            }
            for (size_t v = 0; v < cfg.vfs.size(); ++v)
            {
                if (cfg.vfs[v].vm == vm)
                {
                    Fail(portField,
                         fmt::format("{} uses an SR-IOV VF (vfs[{}]), whose frames bypass the "
                                     "virtual switch and its mirror filter (seed 002 paragraph "
                                     "0093); mirroring a VF is not modelled",
                                     vm,
                                     v));
                }
            }
            for (size_t g = 0; g < cfg.migrations.size(); ++g)
            {
                if (cfg.migrations[g].vm == vm)
                {
                    Fail(portField,
                         fmt::format("{} migrates (migrations[{}]); moving a mirrored port's "
                                     "filter with its VM is not modelled",
                                     vm,
                                     g));
                }
            }
        }
        if (m.monitors.empty())
        {
            Fail(field + ".monitors", "is empty; allowed: one or more VMs of the mirror VNI");
        }
        for (size_t k = 0; k < m.monitors.size(); ++k)
        {
            const VmRef& vm = m.monitors[k];
            const std::string monitorField = fmt::format("{}.monitors[{}]", field, k);
            auto seg = segmentOfVm.find(vm);
            if (seg == segmentOfVm.end())
            {
                Fail(monitorField,
                     fmt::format("{} is not a VM of any segment; allowed: a VM of the mirror "
                                 "VNI's segment (VNI {})",
                                 vm,
                                 m.vni));
            }
            if (seg->second != mirrorSegment)
            {
                Fail(monitorField,
                     fmt::format("{} is on VNI {}, not on the mirror VNI {}: a monitor VM's "
                                 "capture port is on the mirroring overlay (paragraph 0052); "
                                 "list it in the segment of VNI {}",
                                 vm,
                                 segments[seg->second].vni,
                                 m.vni,
                                 m.vni));
            }
            auto [other, isNew] = mirrorOfMonitor.emplace(vm, i);
            if (!isNew)
            {
                Fail(monitorField, fmt::format("{} is listed twice", vm));
            }
            for (size_t g = 0; g < cfg.migrations.size(); ++g)
            {
                if (cfg.migrations[g].vm == vm)
                {
                    Fail(monitorField,
                         fmt::format("{} migrates (migrations[{}]); a migrating monitor is not "
                                     "modelled",
                                     vm,
                                     g));
                }
            }
            for (size_t v = 0; v < cfg.vfs.size(); ++v)
            {
                if (cfg.vfs[v].vm == vm)
                {
                    Fail(monitorField,
                         fmt::format("{} uses an SR-IOV VF (vfs[{}]); a capture port is a "
                                     "virtual switch port in promiscuous mode",
                                     vm,
                                     v));
                }
            }
        }
    }
}

/**
 * \brief Check the VFs (seed 002 section III.A): offload on, VMs of a segment on offloading hosts,
 * each once, on an uplink of the host, an MTU that leaves room for the encapsulation (paragraph
 * 0106), at most offload.max_vfs per PF, within the run; and none of what a VF's frames would
 * need the virtual switch for (migration, a router, a chain) or the NIC's embedded switch (a flow
 * to another VM of the host).
 * \param cfg the scenario
 * \param segmentOfVm VM name -> segment index
 */
void
CheckVfs(const ScenarioConfig& cfg, const std::map<VmRef, size_t>& segmentOfVm)
{
    if (cfg.vfs.empty())
    {
        return;
    }
    if (!cfg.offload.enabled)
    {
        Fail("vfs",
             "need offload (the offload section): a VF is a function of an offloading NIC, "
             "which encapsulates its frames from its own copy of the mapping table");
    }
    const std::vector<bool> offloads = OffloadingHosts(cfg);
    std::string encap = ToString(cfg.overlay.encap);
    std::transform(encap.begin(), encap.end(), encap.begin(), [](unsigned char c) {
        return static_cast<char>(std::toupper(c));
    });
    std::map<VmRef, size_t> vfOfVm;
    std::map<std::pair<uint32_t, uint32_t>, uint32_t> vfsOfPf;
    for (size_t i = 0; i < cfg.vfs.size(); ++i)
    {
        const VfConfig& vf = cfg.vfs[i];
        const std::string field = fmt::format("vfs[{}]", i);
        auto segment = segmentOfVm.find(vf.vm);
        if (segment == segmentOfVm.end())
        {
            Fail(field + ".vm",
                 fmt::format("{} is not a VM of any segment; allowed: a VM listed in "
                             "overlay.segments",
                             vf.vm));
        }
        auto [other, isNew] = vfOfVm.emplace(vf.vm, i);
        if (!isNew)
        {
            Fail(field + ".vm",
                 fmt::format("{} already has a VF (vfs[{}]); a VM uses one VF (paragraph 0103)",
                             vf.vm,
                             other->second));
        }
        const HostRef host = vf.vm.GetHost();
        if (!offloads[host.GetIndex()])
        {
            if (cfg.offload.gateway && *cfg.offload.gateway == host)
            {
                Fail(field + ".vm",
                     fmt::format("{} is on {}, the offload.gateway, which relays the NICs' "
                                 "misses on its software path and does not offload; a VF is a "
                                 "function of an offloading NIC: give the VF to a VM of an "
                                 "offloading host",
                                 vf.vm,
                                 host));
            }
            std::string listed;
            for (const HostRef& h : cfg.offload.hosts)
            {
                listed += (listed.empty() ? "" : ", ") + h.Format();
            }
            Fail(field + ".vm",
                 fmt::format("{} is on {}, whose NICs do not offload (offload.hosts: {}); a VF "
                             "is a function of an offloading NIC: add {} to offload.hosts or "
                             "give the VF to a VM of an offloading host",
                             vf.vm,
                             host,
                             listed,
                             host));
        }
        if (vf.uplink >= cfg.fabric.uplinksPerHost)
        {
            Fail(field + ".uplink",
                 fmt::format("{} is out of range; allowed: 0..{} (fabric.uplinks_per_host is {})",
                             vf.uplink,
                             cfg.fabric.uplinksPerHost - 1,
                             cfg.fabric.uplinksPerHost));
        }
        const uint32_t accessMtu = cfg.fabric.access.mtu;
        if (uint64_t{vf.mtu} + VF_ENCAP_OVERHEAD > accessMtu)
        {
            Fail(field + ".mtu",
                 fmt::format("{} for the VF of {} leaves no room for the {} encapsulation: access "
                             "links carry IP packets of at most {} bytes (fabric.access.mtu), so "
                             "a VF's MTU is at most {} ({} bytes of inner Ethernet, {}, outer UDP "
                             "and outer IPv4 headers; paragraph 0106)",
                             vf.mtu,
                             vf.vm,
                             encap,
                             accessMtu,
                             accessMtu - VF_ENCAP_OVERHEAD,
                             VF_ENCAP_OVERHEAD,
                             encap));
        }
        const uint32_t onPf = ++vfsOfPf[{host.GetIndex(), vf.uplink}];
        if (onPf > cfg.offload.maxVfs)
        {
            Fail(field,
                 fmt::format("{} uplink{} would have {} VFs; its PF supports offload.max_vfs = {}: "
                             "give the VMs other uplinks or hosts, or raise offload.max_vfs",
                             host,
                             vf.uplink,
                             onPf,
                             cfg.offload.maxVfs));
        }
        if (vf.at >= cfg.duration)
        {
            Fail(field + ".at",
                 fmt::format("{} is out of range; allowed: 0 <= at < duration ({})",
                             FormatTime(vf.at),
                             FormatTime(cfg.duration)));
        }
        for (size_t m = 0; m < cfg.migrations.size(); ++m)
        {
            if (cfg.migrations[m].vm == vf.vm)
            {
                Fail(field + ".vm",
                     fmt::format("{} migrates (migrations[{}]); a VF pins its VM to the host's "
                                 "NIC, and migrating a VM with a VF is not modelled",
                                 vf.vm,
                                 m));
            }
        }
        if (cfg.overlay.RouterOf(segment->second) >= 0)
        {
            Fail(field + ".vm",
                 fmt::format("{} is on segment VNI {}, which a router joins; the distributed "
                             "router is a stage of the virtual switch, which a VF's frames "
                             "bypass: a VF on a routed segment is not modelled",
                             vf.vm,
                             cfg.overlay.segments[segment->second].vni));
        }
        for (size_t f = 0; f < cfg.traffic.size(); ++f)
        {
            const FlowConfig& flow = cfg.traffic[f];
            if (flow.from != vf.vm && flow.to != vf.vm)
            {
                continue;
            }
            const VmRef& peer = flow.from == vf.vm ? flow.to : flow.from;
            const int32_t chain = ChainOfFlow(cfg, f);
            if (chain >= 0)
            {
                Fail(field + ".vm",
                     fmt::format("{} is an end of flow traffic[{}], which chain {} takes; the "
                                 "classifier and the SVM proxies are stages of the virtual "
                                 "switch, which a VF's frames bypass: a VF in a service chain is "
                                 "not modelled",
                                 vf.vm,
                                 f,
                                 cfg.chains[chain].name));
            }
            if (peer.GetHost() == host)
            {
                Fail(field + ".vm",
                     fmt::format("{} and {}, the ends of flow traffic[{}], are both on {}; "
                                 "frames between a VF and another VM of its host would cross "
                                 "the NIC's embedded switch, which is not modelled: put the two "
                                 "VMs on different hosts",
                                 vf.vm,
                                 peer,
                                 f,
                                 host));
            }
        }
    }
}

/**
 * \brief Check the service VMs: unique names, hosts of the fabric, a firewall's rule, failures
 * inside the run, in time order and not overlapping.
 * \param cfg the scenario
 * \return SVM name -> index
 */
std::map<std::string, size_t>
CheckSvms(const ScenarioConfig& cfg)
{
    std::map<std::string, size_t> svmOfName;
    for (size_t i = 0; i < cfg.svms.size(); ++i)
    {
        const SvmConfig& svm = cfg.svms[i];
        const std::string field = fmt::format("svms[{}]", i);
        CheckUniqueName(svmOfName, svm.name, i, "svms", "SVM");
        CheckHostName(field + ".host", svm.host, cfg.fabric.NumHosts());
        if (svm.function == SvmFunction::FIREWALL && svm.blockPort == 0)
        {
            Fail(field + ".block_port",
                 "is missing; a firewall drops the packets to one destination port: give it "
                 "(1..65535), or use function: drop-all to drop every packet");
        }
        for (size_t f = 0; f < svm.failures.size(); ++f)
        {
            const SvmFailureConfig& failure = svm.failures[f];
            const std::string ff = fmt::format("{}.failures[{}]", field, f);
            if (failure.at >= cfg.duration)
            {
                Fail(ff + ".at",
                     fmt::format("{} is out of range; allowed: 0 <= at < duration ({})",
                                 FormatTime(failure.at),
                                 FormatTime(cfg.duration)));
            }
            if (failure.end && *failure.end <= failure.at)
            {
                Fail(ff + ".end",
                     fmt::format("{} is not after at ({}); leave end out for a failure that "
                                 "lasts",
                                 FormatTime(*failure.end),
                                 FormatTime(failure.at)));
            }
            if (f > 0)
            {
                const SvmFailureConfig& before = svm.failures[f - 1];
                if (!before.end || failure.at < *before.end)
                {
                    Fail(ff + ".at",
                         fmt::format("{} is before the end of failures[{}] ({}); an SVM has one "
                                     "failure at a time: list them in time order, each starting "
                                     "at or after the previous one's end",
                                     FormatTime(failure.at),
                                     f - 1,
                                     before.end ? FormatTime(*before.end) : "never"));
                }
            }
            if (failure.kind == SvmFailureKind::ADMIN_FAIL && !cfg.servicePlane.controller)
            {
                Fail(ff + ".kind",
                     "admin-fail is an administrator's fail at the controller, and "
                     "service_plane.controller is false; turn the controller on");
            }
        }
    }
    return svmOfName;
}

/**
 * \brief Check the chains: GENEVE, unique names and SPIs, paths of two or more existing SVMs,
 * each once per path, indexes that decrease by one, rules that match a flow of one segment.
 * \param cfg the scenario
 * \param segmentOfVm VM name -> segment index
 */
void
CheckChains(const ScenarioConfig& cfg, const std::map<VmRef, size_t>& segmentOfVm)
{
    const std::map<std::string, size_t> svmOfName = CheckSvms(cfg);
    if (cfg.chains.empty())
    {
        if (!cfg.svms.empty())
        {
            Fail("svms",
                 "no chain uses them; a service VM serves the paths of chains: add a chain "
                 "whose paths name them, or remove svms");
        }
        return;
    }
    if (cfg.overlay.encap != Encapsulation::GENEVE)
    {
        Fail("chains",
             fmt::format("need overlay.encap: geneve (its protocol type 0x894F carries the NSH "
                         "between hosts); this scenario has {}",
                         ToString(cfg.overlay.encap)));
    }
    std::vector<std::string> svmNames;
    for (const SvmConfig& svm : cfg.svms)
    {
        svmNames.push_back(svm.name);
    }
    std::map<std::string, size_t> chainOfName;
    std::map<uint32_t, std::string> pathOfSpi;
    for (size_t c = 0; c < cfg.chains.size(); ++c)
    {
        const ChainConfig& chain = cfg.chains[c];
        const std::string field = fmt::format("chains[{}]", c);
        CheckUniqueName(chainOfName, chain.name, c, "chains", "chain");
        if (chain.paths.empty())
        {
            Fail(field + ".paths", "the list is empty; a chain needs at least one path");
        }
        for (size_t p = 0; p < chain.paths.size(); ++p)
        {
            const ServicePathConfig& path = chain.paths[p];
            const std::string pf = fmt::format("{}.paths[{}]", field, p);
            auto [spiIt, newSpi] = pathOfSpi.emplace(path.spi, pf);
            if (!newSpi)
            {
                Fail(pf + ".spi",
                     fmt::format("{} is already the SPI of {}; every path has its own SPI",
                                 path.spi,
                                 spiIt->second));
            }
            if (path.svms.size() < 2)
            {
                Fail(pf + ".svms",
                     fmt::format("has {} SVM{}; a service path chains two or more service "
                                 "functions",
                                 path.svms.size(),
                                 path.svms.size() == 1 ? "" : "s"));
            }
            std::map<std::string, size_t> hopOfSvm;
            for (size_t h = 0; h < path.svms.size(); ++h)
            {
                const std::string& name = path.svms[h];
                const std::string hf = fmt::format("{}.svms[{}]", pf, h);
                if (svmOfName.count(name) == 0)
                {
                    Fail(hf,
                         fmt::format("{} is not an SVM; allowed: the names of svms ({}){}",
                                     name,
                                     svmNames.empty()
                                         ? std::string("none is declared")
                                         : fmt::format("{}", fmt::join(svmNames, ", ")),
                                     DidYouMean(name, svmNames)));
                }
                auto [hopIt, newHop] = hopOfSvm.emplace(name, h);
                if (!newHop)
                {
                    Fail(hf,
                         fmt::format("{} is already hop {} of this path; an SVM has one service "
                                     "index on a path (on different paths it may have different "
                                     "ones, as SVM1 in seed 001 Fig. 3)",
                                     name,
                                     hopIt->second));
                }
            }
            if (!path.indexes.empty())
            {
                if (path.indexes.size() != path.svms.size())
                {
                    Fail(pf + ".indexes",
                         fmt::format("has {} indexes for {} SVMs; give one per SVM, or leave it "
                                     "out for {}..1",
                                     path.indexes.size(),
                                     path.svms.size(),
                                     path.svms.size()));
                }
                for (size_t h = 1; h < path.indexes.size(); ++h)
                {
                    if (path.indexes[h] + 1 != path.indexes[h - 1])
                    {
                        Fail(fmt::format("{}.indexes[{}]", pf, h),
                             fmt::format("{} after {}; the service index decreases by one at "
                                         "every hop (RFC 8300 section 2.3), so it must be {}",
                                         path.indexes[h],
                                         path.indexes[h - 1],
                                         static_cast<int64_t>(path.indexes[h - 1]) - 1));
                    }
                }
                if (path.indexes.back() < 1)
                {
                    Fail(pf + ".indexes",
                         "ends at 0; the last SVM's index is at least 1 (0 is the end of the "
                         "path)");
                }
            }
        }
        if (chain.match.empty())
        {
            Fail(field + ".match", "the list is empty; a chain needs a rule that matches a flow");
        }
        for (size_t r = 0; r < chain.match.size(); ++r)
        {
            const ChainRuleConfig& rule = chain.match[r];
            const std::string rf = fmt::format("{}.match[{}]", field, r);
            if (rule.from)
            {
                CheckEndpoint(rf + ".from", *rule.from, cfg.fabric.NumHosts(), segmentOfVm);
            }
            if (rule.to)
            {
                CheckEndpoint(rf + ".to", *rule.to, cfg.fabric.NumHosts(), segmentOfVm);
            }
            bool matches = false;
            for (size_t i = 0; i < cfg.traffic.size(); ++i)
            {
                matches = matches || RuleMatches(rule, cfg.traffic[i], i);
            }
            if (!matches)
            {
                Fail(rf,
                     "matches no flow of traffic; a rule steers flows into the chain: name the "
                     "from, to, protocol (udp for udp-cbr, tcp for tcp-bulk) or dst_port of a "
                     "flow");
            }
        }
    }
    for (size_t i = 0; i < cfg.traffic.size(); ++i)
    {
        const FlowConfig& flow = cfg.traffic[i];
        if (ChainOfFlow(cfg, i) >= 0 && segmentOfVm.at(flow.from) != segmentOfVm.at(flow.to))
        {
            Fail(fmt::format("traffic[{}]", i),
                 fmt::format("is routed between segments and matches chain {}; a chain's flows "
                             "stay in one segment (the classifier sits before the L2 lookup, "
                             "the router after it)",
                             cfg.chains[ChainOfFlow(cfg, i)].name));
        }
    }
}

/**
 * \brief Check the expected bounds: each path names a figure a run can write
 * (WhyNotAResultsFigure()), once, with a finite min and/or max.
 * \param cfg the scenario
 */
void
CheckExpect(const ScenarioConfig& cfg)
{
    std::map<std::string, size_t> boundOfPath;
    const std::vector<ResultsField> sections = ResultsSchema();
    for (size_t i = 0; i < cfg.expect.size(); ++i)
    {
        const ExpectBound& bound = cfg.expect[i];
        std::string field = bound.path.empty() ? "expect" : "expect." + bound.path;
        std::vector<std::string> segments;
        size_t start = 0;
        while (true)
        {
            size_t dot = bound.path.find('.', start);
            segments.push_back(bound.path.substr(start, dot - start));
            if (dot == std::string::npos)
            {
                break;
            }
            start = dot + 1;
        }
        for (const std::string& segment : segments)
        {
            if (segment.empty())
            {
                Fail(field,
                     fmt::format("'{}' is not a results path; allowed: dot-separated non-empty "
                                 "names, e.g. flows.f0.delivered",
                                 bound.path));
            }
        }
        std::string why = WhyNotAResultsFigure(sections, bound.path, cfg);
        if (!why.empty())
        {
            Fail(field, why);
        }
        auto [it, isNew] = boundOfPath.emplace(bound.path, i);
        if (!isNew)
        {
            Fail(field, "is listed twice; give each results path one bound with min and/or max");
        }
        if (!bound.min && !bound.max)
        {
            Fail(field, "has neither min nor max; give at least one");
        }
        if (bound.min && !std::isfinite(*bound.min))
        {
            Fail(field + ".min", fmt::format("{} is not a finite number", *bound.min));
        }
        if (bound.max && !std::isfinite(*bound.max))
        {
            Fail(field + ".max", fmt::format("{} is not a finite number", *bound.max));
        }
        if (bound.min && bound.max && *bound.min > *bound.max)
        {
            Fail(field,
                 fmt::format("min {} is greater than max {}; no value can pass",
                             *bound.min,
                             *bound.max));
        }
    }
}

} // namespace

std::string
DidYouMean(const std::string& word, const std::vector<std::string>& candidates)
{
    // Levenshtein distance, one row at a time.
    auto distance = [](const std::string& a, const std::string& b) {
        std::vector<size_t> row(b.size() + 1);
        for (size_t j = 0; j <= b.size(); ++j)
        {
            row[j] = j;
        }
        for (size_t i = 1; i <= a.size(); ++i)
        {
            size_t diagonal = row[0];
            row[0] = i;
            for (size_t j = 1; j <= b.size(); ++j)
            {
                size_t above = row[j];
                row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] != b[j - 1])});
                diagonal = above;
            }
        }
        return row[b.size()];
    };
    std::string suggestion;
    // Suggest only close matches: fewer than 3 edits, and fewer than the word has characters
    // (any 1-character word is 1 edit from any other).
    size_t best = std::min<size_t>(3, word.size());
    for (const std::string& candidate : candidates)
    {
        size_t d = distance(word, candidate);
        if (d < best)
        {
            best = d;
            suggestion = fmt::format(" (did you mean {}?)", candidate);
        }
    }
    return suggestion;
}

namespace
{

/**
 * \brief \p text as one printable line: control characters as \n, \t or \xNN and a byte order
 * mark as <U+FEFF>, so that a value quoted in a message shows what the file holds (a NUL no
 * longer ends what() early; a newline no longer splits the message).
 */
std::string
Printable(const std::string& text)
{
    std::string out;
    for (size_t i = 0; i < text.size(); ++i)
    {
        auto c = static_cast<unsigned char>(text[i]);
        if (c == '\n')
        {
            out += "\\n";
        }
        else if (c == '\t')
        {
            out += "\\t";
        }
        else if (c < 0x20 || c == 0x7f)
        {
            out += fmt::format("\\x{:02x}", c);
        }
        else if (text.compare(i, 3, "\xEF\xBB\xBF") == 0)
        {
            out += "<U+FEFF>";
            i += 2;
        }
        else
        {
            out += text[i];
        }
    }
    return out;
}

} // namespace

ConfigError::ConfigError(std::string file, int line, std::string field, std::string message)
    : std::runtime_error(Format(Printable(file), line, Printable(field), Printable(message))),
      m_file(Printable(file)),
      m_line(line),
      m_field(Printable(field)),
      m_message(Printable(message))
{
}

std::string
ConfigError::Format(const std::string& file,
                    int line,
                    const std::string& field,
                    const std::string& message)
{
    std::string out;
    if (!file.empty())
    {
        out += file;
        if (line > 0)
        {
            out += ":" + std::to_string(line);
        }
        out += ": ";
    }
    else if (line > 0)
    {
        out += "line " + std::to_string(line) + ": ";
    }
    if (!field.empty())
    {
        out += field + ": ";
    }
    return out + message;
}

void
ScenarioConfig::Validate() const
{
    const ScenarioConfig defaults;
    if (!variant.empty() && !schema::IsSimpleName(variant, false))
    {
        Fail("variant",
             fmt::format("'{}' is not allowed; a variant label is 1 to 64 letters, digits, '_' "
                         "and '-', starting with a letter or digit (it names the variant's output "
                         "folder)",
                         variant.substr(0, 80)));
    }
    // A variant is named "<name>.<label>": the name rule applies to the name as written.
    const std::string suffix = "." + variant;
    if (!variant.empty() && name.size() > suffix.size() &&
        name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0)
    {
        // The variant's own name (its scenario.yaml, its results' echo) follows the name rule
        // too, so that `run DIR/<label>/scenario.yaml` reads back.
        if (name.size() > schema::MAX_NAME_LENGTH)
        {
            Fail("variant",
                 fmt::format("'{}' makes the variant's name '{}' {} characters long; the name and "
                             "the label together are at most {} (with the '.' between them)",
                             variant,
                             name.substr(0, 80),
                             name.size(),
                             schema::MAX_NAME_LENGTH));
        }
        ScenarioConfig written = *this;
        written.name = name.substr(0, name.size() - suffix.size());
        schema::CheckSection(schema::ScenarioSection(), &written, &defaults, "");
    }
    else
    {
        schema::CheckSection(schema::ScenarioSection(), this, &defaults, "");
    }
    if (statsBin > duration)
    {
        Fail("stats_bin",
             fmt::format("{} is out of range; allowed: more than 0 and at most duration ({})",
                         FormatTime(statsBin),
                         FormatTime(duration)));
    }
    CheckFabric(fabric);
    auto segmentOfVm = CheckOverlay(overlay, fabric, monitoring);
    CheckTraffic(*this, segmentOfVm);
    CheckFaults(*this);
    CheckMigrations(*this, segmentOfVm);
    CheckClocks(*this);
    CheckChains(*this, segmentOfVm);
    CheckOffload(*this);
    if (monitoring.enabled && monitoring.echoPath == EchoPath::NIC && !offload.enabled)
    {
        Fail("monitoring.echo_path",
             "nic needs NICs that offload (offload.enabled); without them BFD takes the software "
             "path: leave echo_path out or set it to software");
    }
    CheckVfs(*this, segmentOfVm);
    CheckMirrors(*this, segmentOfVm);
    CheckTrace(*this);
    if (hostCpu.enabled)
    {
        CheckHostList("host_cpu.hosts", hostCpu.hosts, fabric.NumHosts());
    }
    std::set<LinkRef> ports;
    for (size_t i = 0; i < pcapPorts.size(); ++i)
    {
        std::string field = fmt::format("pcap[{}]", i);
        CheckLinkName(field, pcapPorts[i], fabric);
        if (!ports.insert(pcapPorts[i]).second)
        {
            Fail(field, fmt::format("{} is listed twice", pcapPorts[i]));
        }
    }
    CheckExpect(*this);
}

namespace
{

/**
 * \brief The name an enum Attribute registers for a value: the one string form of a model enum.
 * \param tid the class
 * \param attribute the Attribute
 * \param value the value
 * \return its name, or "unknown" if the Attribute has no such value
 */
std::string
EnumAttributeName(TypeId tid, const std::string& attribute, int value)
{
    TypeId::AttributeInformation info;
    if (!tid.LookupAttributeByName(attribute, &info))
    {
        return "unknown";
    }
    auto checker = DynamicCast<const EnumChecker>(info.checker);
    if (checker == nullptr || !checker->Check(EnumValue(value)))
    {
        return "unknown";
    }
    return checker->GetName(value);
}

} // namespace

std::string
ToString(UplinkPolicy p)
{
    return EnumAttributeName(UplinkSelector::GetTypeId(), "Policy", p);
}

std::string
ToString(Encapsulation e)
{
    return EnumAttributeName(Vtep::GetTypeId(), "Encapsulation", e);
}

std::string
ToString(BfdMode m)
{
    return EnumAttributeName(UplinkMonitor::GetTypeId(), "Mode", m);
}

std::vector<std::string>
MonitoringPresetNames()
{
    return {"frr-default", "ovs-default", "aggressive", "hardware"};
}

bool
ApplyMonitoringPreset(MonitoringConfig& m, const std::string& name)
{
    // FRR bfdd: 300 ms x 3. Open vSwitch BFD: min_tx 100 ms, min_rx 1000 ms, x 3. A hardware
    // (NIC or ASIC) BFD engine: 3.3 ms x 3, the usual ~10 ms carrier-grade target.
    struct Preset
    {
        const char* name;
        Time tx;
        Time rx;
        uint32_t mult;
    };

    const Preset presets[] = {
        {"frr-default", MilliSeconds(300), MilliSeconds(300), 3},
        {"ovs-default", MilliSeconds(100), MilliSeconds(1000), 3},
        {"aggressive", MilliSeconds(50), MilliSeconds(50), 3},
        {"hardware", MicroSeconds(3300), MicroSeconds(3300), 3},
    };
    for (const Preset& p : presets)
    {
        if (name == p.name)
        {
            m.preset = name;
            m.txInterval = p.tx;
            m.rxInterval = p.rx;
            m.detectMult = p.mult;
            return true;
        }
    }
    return false;
}

std::string
ToString(FlowKind k)
{
    switch (k)
    {
    case FlowKind::UDP_CBR:
        return "udp-cbr";
    case FlowKind::TCP_BULK:
        return "tcp-bulk";
    }
    return "unknown";
}

std::string
ToString(FaultKind k)
{
    switch (k)
    {
    case FaultKind::LINK_DOWN:
        return "link-down";
    case FaultKind::SILENT_DROP:
        return "silent-drop";
    case FaultKind::ADDED_DELAY:
        return "added-delay";
    case FaultKind::NIC_ENCAP_FAILURE:
        return "nic-encap-failure";
    }
    return "unknown";
}

std::string
ToString(EchoPath p)
{
    switch (p)
    {
    case EchoPath::SOFTWARE:
        return "software";
    case EchoPath::NIC:
        return "nic";
    }
    return "unknown";
}

std::string
ToString(MirrorMode m)
{
    switch (m)
    {
    case MirrorMode::UNICAST:
        return "unicast";
    case MirrorMode::MULTICAST:
        return "multicast";
    }
    return "unknown";
}

std::string
ToString(MirrorDirection d)
{
    switch (d)
    {
    case MirrorDirection::BOTH:
        return "both";
    case MirrorDirection::RECEIVED:
        return "rx";
    case MirrorDirection::TRANSMITTED:
        return "tx";
    }
    return "unknown";
}

std::string
ToString(MirrorVteps v)
{
    switch (v)
    {
    case MirrorVteps::OVERLAY:
        return "overlay";
    case MirrorVteps::MONITORS:
        return "monitors";
    }
    return "unknown";
}

std::string
ToString(FaultDirection d)
{
    switch (d)
    {
    case FaultDirection::BOTH:
        return "both";
    case FaultDirection::FORWARD:
        return "forward";
    case FaultDirection::REVERSE:
        return "reverse";
    }
    return "unknown";
}

std::string
ToString(SvmFunction f)
{
    return EnumAttributeName(ServiceFunction::GetTypeId(), "Function", f);
}

std::string
ToString(NicTableLayout layout)
{
    return EnumAttributeName(NicMappingTable::GetTypeId(), "Layout", layout);
}

std::string
ToString(NicPushMode mode)
{
    return EnumAttributeName(HostMappingTable::GetTypeId(), "PushMode", mode);
}

std::string
ToString(SvmFailureKind k)
{
    switch (k)
    {
    case SvmFailureKind::CRASH:
        return "crash";
    case SvmFailureKind::HANG:
        return "hang";
    case SvmFailureKind::FLAKY:
        return "flaky";
    case SvmFailureKind::SLOW:
        return "slow";
    case SvmFailureKind::INTERFACE_DOWN:
        return "interface-down";
    case SvmFailureKind::ADMIN_FAIL:
        return "admin-fail";
    }
    return "unknown";
}

std::string
ToString(RuleProtocol p)
{
    switch (p)
    {
    case RuleProtocol::ANY:
        return "any";
    case RuleProtocol::UDP:
        return "udp";
    case RuleProtocol::TCP:
        return "tcp";
    }
    return "unknown";
}

std::vector<uint32_t>
ServicePathConfig::ServiceIndexes() const
{
    if (!indexes.empty())
    {
        return indexes;
    }
    std::vector<uint32_t> out;
    for (size_t h = 0; h < svms.size(); ++h)
    {
        out.push_back(static_cast<uint32_t>(svms.size() - h));
    }
    return out;
}

bool
RuleMatches(const ChainRuleConfig& rule, const FlowConfig& flow, uint32_t index)
{
    const bool protocol = rule.protocol == RuleProtocol::ANY ||
                          (rule.protocol == RuleProtocol::UDP && flow.kind == FlowKind::UDP_CBR) ||
                          (rule.protocol == RuleProtocol::TCP && flow.kind == FlowKind::TCP_BULK);
    return protocol && (!rule.from || *rule.from == flow.from) &&
           (!rule.to || *rule.to == flow.to) &&
           (rule.dstPort == 0 || rule.dstPort == EffectiveDstPort(flow, index));
}

int32_t
ChainOfFlow(const ScenarioConfig& cfg, uint32_t flow)
{
    for (size_t c = 0; c < cfg.chains.size(); ++c)
    {
        for (const ChainRuleConfig& rule : cfg.chains[c].match)
        {
            if (RuleMatches(rule, cfg.traffic[flow], flow))
            {
                return static_cast<int32_t>(c);
            }
        }
    }
    return -1;
}

std::ostream&
operator<<(std::ostream& os, const ScenarioConfig& cfg)
{
    if (!cfg.sourceFile.empty())
    {
        os << "# from " << cfg.sourceFile << "\n";
    }
    if (!cfg.variant.empty())
    {
        os << "# variant " << cfg.variant << " (from the file's compare section)\n";
    }
    return os << schema::EchoScenarioYaml(cfg);
}

uint32_t
EffectiveDstPort(const FlowConfig& flow, uint32_t index)
{
    return flow.dstPort != 0 ? flow.dstPort : FIRST_AUTO_PORT + index;
}

void
FabricConfig::Validate() const
{
    const FabricConfig defaults;
    schema::CheckSection(*schema::FindSection("fabric"), this, &defaults, "fabric");
    CheckFabric(*this);
}

std::vector<std::vector<size_t>>
OverlayConfig::TunnelDomains() const
{
    std::vector<std::vector<size_t>> domains;
    std::vector<int32_t> domainOfRouter(routers.size(), -1);
    for (size_t s = 0; s < segments.size(); ++s)
    {
        const int32_t r = RouterOf(s);
        if (r < 0)
        {
            domains.push_back({s});
            continue;
        }
        if (domainOfRouter[r] < 0)
        {
            domainOfRouter[r] = static_cast<int32_t>(domains.size());
            domains.emplace_back();
        }
        domains[domainOfRouter[r]].push_back(s);
    }
    return domains;
}

int32_t
OverlayConfig::RouterOf(size_t segment) const
{
    for (size_t r = 0; r < routers.size(); ++r)
    {
        for (uint32_t vni : routers[r].segments)
        {
            if (vni == segments[segment].vni)
            {
                return static_cast<int32_t>(r);
            }
        }
    }
    return -1;
}

} // namespace ns3
