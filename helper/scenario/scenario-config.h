#ifndef OVERLAY_FABRIC_SCENARIO_CONFIG_H
#define OVERLAY_FABRIC_SCENARIO_CONFIG_H

#include "fast-path-cost.h"
#include "nic-mapping-table.h"
#include "service-function.h"
#include "topology-ref.h"
#include "uplink-monitor.h"
#include "uplink-selector.h"
#include "vtep.h"

#include "ns3/data-rate.h"
#include "ns3/nstime.h"

#include <algorithm>
#include <cstdint>
#include <optional>
#include <ostream>
#include <stdexcept>
#include <string>
#include <vector>

namespace ns3
{

/**
 * \ingroup overlay-fabric
 * \brief A configuration error: which field, where, and what is allowed.
 *
 * Thrown by the scenario loader and by every Validate(). The CLI prints what() and exits with 2.
 * Every part is kept printable: control characters are written as \n, \t, \xNN.
 */
class ConfigError : public std::runtime_error
{
  public:
    /**
     * \param file scenario file ("" when the struct was filled from code)
     * \param line 1-based line in the file (0 when unknown)
     * \param field dotted path of the field, e.g. "fabric.access.rate" or "faults[0].target"
     * \param message what is wrong and what is allowed
     */
    ConfigError(std::string file, int line, std::string field, std::string message);

    const std::string& GetFile() const
    {
        return m_file;
    }

    int GetLine() const
    {
        return m_line;
    }

    const std::string& GetField() const
    {
        return m_field;
    }

    const std::string& GetMessage() const
    {
        return m_message;
    }

  private:
    static std::string Format(const std::string& file,
                              int line,
                              const std::string& field,
                              const std::string& message);
    std::string m_file;    //!< file name, may be empty
    int m_line;            //!< 1-based line, 0 if unknown
    std::string m_field;   //!< dotted field path
    std::string m_message; //!< explanation with the allowed values
};

/**
 * \brief The suggestion of an error about an unknown name: the candidate closest to \p word,
 * if it is close (an edit distance below 3 and below the word's length).
 * \param word what the user wrote
 * \param candidates what is allowed there
 * \return " (did you mean CANDIDATE?)", or "" when no candidate is close
 */
std::string DidYouMean(const std::string& word, const std::vector<std::string>& candidates);

/// \brief Rate, delay, MTU and queue of one tier of underlay links.
struct LinkTierConfig
{
    DataRate rate{"25Gbps"};      //!< line rate of each direction
    Time delay{MicroSeconds(1)};  //!< propagation delay
    uint32_t mtu{9000};           //!< largest IP packet (outer) the link carries, bytes
    uint32_t queueBytes{1000000}; //!< transmit queue of each port, bytes (MAC frames, FCS too)
};

/**
 * \brief Leaf-spine underlay: S spines, R racks of N leaves, H hosts per rack, U uplinks per host.
 * Rack r has leaves r*N .. r*N+N-1 and host uplink k goes to leaf r*N+k, so a host's uplinks
 * land on different leaves of its rack (U <= N) and losing one leaf costs it one uplink only.
 */
struct FabricConfig
{
    uint32_t spines{2};         //!< number of spine switches (>= 1)
    uint32_t racks{2};          //!< number of racks (>= 1); leaf_pairs in files with N = 2
    uint32_t leavesPerRack{2};  //!< leaves of each rack, N (1..8)
    uint32_t hostsPerRack{4};   //!< hypervisor hosts per rack (>= 1)
    uint32_t uplinksPerHost{2}; //!< uplinks per host, each to a different leaf of its rack (1..N)
    LinkTierConfig access{DataRate("25Gbps"), MicroSeconds(1), 9000, 1000000}; //!< host-leaf
    LinkTierConfig core{DataRate("100Gbps"), MicroSeconds(1), 9000, 4000000};  //!< leaf-spine
    Time routingConvergence{MilliSeconds(200)}; //!< carrier loss -> rest of fabric reroutes
    bool layer1Overhead{true}; //!< preamble + SFD, padding, FCS and gap on every link's wire

    uint32_t NumHosts() const
    {
        return racks * hostsPerRack;
    }

    uint32_t NumLeaves() const
    {
        return racks * leavesPerRack;
    }

    /// \return the leaf that uplink \p uplink of host \p host goes to: rack * N + uplink
    uint32_t LeafOfUplink(uint32_t host, uint32_t uplink) const
    {
        return host / hostsPerRack * leavesPerRack + uplink;
    }

    /// \brief Check every field; throws ConfigError naming "fabric.<field>" and what is allowed.
    void Validate() const;
};

/**
 * \brief Tunnel encapsulation used by every VTEP of a scenario: the model's own enum,
 * Vtep::Encap (geneve: RFC 8926, UDP 6081; vxlan: RFC 7348, UDP 4789), named as its
 * "Encapsulation" Attribute names it.
 */
using Encapsulation = Vtep::Encap;

/**
 * \brief How a VTEP picks the uplink of a tunnel packet (compare them side by side): the model's
 * own enum, UplinkSelector::Policy. Its names in scenario files are the names its "Policy"
 * Attribute registers (carrier-only, active-standby, lowest-rtt, loss-weighted, flow-hash).
 */
using UplinkPolicy = UplinkSelector::Policy;

/**
 * \brief Tunnel monitoring protocol mode: the model's own enum, UplinkMonitor::Mode (async, or
 * seamless for RFC 7880 S-BFD), named as its "Mode" Attribute names it.
 */
using BfdMode = UplinkMonitor::Mode;

/**
 * \brief Which data path the monitor's BFD packets take on an offloading host (seed 002: the
 * fate sharing of monitor and data).
 */
enum class EchoPath
{
    SOFTWARE, //!< software BFD: the host builds them, the NIC sends them as they are
    NIC       //!< hardware BFD: the NIC encapsulates them like data, sharing its fate
};

/**
 * \brief The clock of one host's monitor (UplinkMonitor ClockOffset and ClockDrift): its echo
 * timestamps, so the one-way delay its peers measure from them, are read on it (seed 000,
 * paragraphs 0046 and 0057).
 */
struct ClockConfig
{
    HostRef host;       //!< "host3"
    Time offset;        //!< clock - simulated time at t = 0 (may be negative)
    double driftPpm{0}; //!< rate error, ppm: clock(t) = t + offset + driftPpm x 1e-6 x t
};

/**
 * \brief Uplink-aware tunnel monitoring (seed 000): a BFD session per tunnel and a per-uplink
 * encapsulated echo with per-uplink metrics. A preset fills the three timers; explicit keys in
 * the scenario override the preset's values.
 */
struct MonitoringConfig
{
    bool enabled{false};                   //!< monitoring on
    std::string preset;                    //!< "", frr-default, ovs-default, aggressive, hardware
    Time txInterval{MilliSeconds(300)};    //!< DesiredMinTxInterval (control and echo)
    Time rxInterval{MilliSeconds(300)};    //!< RequiredMinRxInterval and RequiredMinEchoRxInterval
    uint32_t detectMult{3};                //!< DetectMult, 1..255
    uint32_t upAfter{3};                   //!< consecutive echo replies to mark an uplink UP again
    BfdMode mode{BfdMode::ASYNC};          //!< async session + echo, or seamless
    EchoPath echoPath{EchoPath::SOFTWARE}; //!< on an offloading host: software or NIC path
    bool jitter{true};                     //!< RFC 5880 6.8.7 transmit jitter (75-100% of interval)
    std::optional<Time> rttThreshold;      //!< QoS threshold: uplink degraded while RTT above it
    std::optional<double> lossThreshold;  //!< degraded while loss over the last 100 echoes above it
    Time rttHysteresis{MicroSeconds(20)}; //!< lowest-rtt moves only to an uplink better by this
    bool localize{false};                 //!< classify missing replies before a DOWN
    bool coverEcmpPaths{false};           //!< one echo stream per ECMP path of every uplink
    std::vector<ClockConfig> clocks;      //!< hosts whose clock is not the simulator's

    /// \return the echo interval both ends agree on: max(txInterval, rxInterval)
    Time EchoInterval() const
    {
        return std::max(txInterval, rxInterval);
    }
};

/**
 * \brief Fill \p m's timers from a named preset: frr-default (300 ms x 3), ovs-default (100 ms
 * tx, 1000 ms rx, x 3), aggressive (50 ms x 3), hardware (3.3 ms x 3).
 * \return false if \p name is not a preset
 */
bool ApplyMonitoringPreset(MonitoringConfig& m, const std::string& name);

/// \return the preset names, in the order above
std::vector<std::string> MonitoringPresetNames();

/// \brief One logical switch: a VNI and the VMs attached to it ("host3/vm0").
struct SegmentConfig
{
    uint32_t vni{0};        //!< 24-bit virtual network identifier, 1..16777215
    std::vector<VmRef> vms; //!< VMs ("hostN/vmM"), each on exactly one segment
    /// the segment's underlay multicast group: its VTEPs join it, and its VFs' broadcasts go to
    /// it (one copy) instead of to each VTEP (seed 002 paragraph 0122, seed 003 Fig. 2)
    std::optional<Ipv4Address> group;
};

/**
 * \brief A distributed logical router joining segments (seed 000, Fig. 2: DR 205 joins VNI 5000
 * and 6000), with an instance on every host that has a VM on one of them (DistributedRouterStage).
 */
struct RouterConfig
{
    std::string name;               //!< unique router name; defaults to "dr<i>"
    std::vector<uint32_t> segments; //!< VNIs of the segments it joins (two or more)
};

/// \brief The overlay: encapsulation, uplink policy, segments.
struct OverlayConfig
{
    Encapsulation encap{Encapsulation::GENEVE};   //!< tunnel encapsulation
    UplinkPolicy policy{UplinkPolicy::FLOW_HASH}; //!< uplink selection
    uint32_t preferredUplink{0};         //!< first uplink of CARRIER_ONLY and ACTIVE_STANDBY
    bool pathReselection{false};         //!< move only the flows of a dead path (new sport)
    std::vector<SegmentConfig> segments; //!< logical switches
    std::vector<RouterConfig> routers;   //!< distributed routers joining segments

    /**
     * \brief The groups of segments whose hosts have tunnels to each other: a router's segments
     * (its instances route between them at the source host), and every segment no router joins,
     * alone. Each segment is in one group.
     * \return per group, indexes into segments, in segment order; groups in order of first index
     */
    std::vector<std::vector<size_t>> TunnelDomains() const;
    /// \return the router joining segment index \p segment, or -1
    int32_t RouterOf(size_t segment) const;
};

/// \brief Traffic kind of a flow.
enum class FlowKind
{
    UDP_CBR, //!< UDP constant bit rate (ns-3 OnOffApplication, always on)
    TCP_BULK //!< TCP bulk transfer (ns-3 BulkSendApplication)
};

/// \brief One inner flow between two VMs of the same segment.
struct FlowConfig
{
    std::string name;                 //!< unique flow name; defaults to "flow<i>"
    VmRef from;                       //!< source VM "hostN/vmM"
    VmRef to;                         //!< destination VM
    FlowKind kind{FlowKind::UDP_CBR}; //!< traffic kind
    DataRate rate{"1Gbps"};           //!< UDP_CBR: application rate
    uint32_t size{1400};              //!< UDP_CBR: payload bytes; TCP_BULK: send size
    uint64_t maxBytes{0};             //!< TCP_BULK: bytes to send, 0 = unlimited
    Time start{MilliSeconds(100)};    //!< application start
    std::optional<Time> stop;         //!< application stop (default: scenario duration)
    uint16_t dstPort{0};              //!< destination port; 0 = 5000 + flow index
};

/// \brief Kind of injected fault.
enum class FaultKind
{
    LINK_DOWN,        //!< carrier lost: both ends see it at once, routing converges after a delay
    SILENT_DROP,      //!< carrier stays up, a fraction of frames is dropped (never seen by routing)
    ADDED_DELAY,      //!< extra one-way delay on the link
    NIC_ENCAP_FAILURE //!< the uplink's offloading NIC drops what it should encapsulate
};

/// \brief Which directions of a link a fault affects.
enum class FaultDirection
{
    BOTH,    //!< both directions
    FORWARD, //!< from the first-named end (host for hostN/uplinkK, leaf for leafL-spineS)
    REVERSE  //!< towards the first-named end
};

/// \brief One fault with its target link and times.
struct FaultConfig
{
    FaultKind kind{FaultKind::LINK_DOWN};           //!< what breaks
    LinkRef target;                                 //!< "host3/uplink1" or "leaf2-spine1"
    Time at{Seconds(1)};                            //!< start
    std::optional<Time> end;                        //!< end (default: never)
    FaultDirection direction{FaultDirection::BOTH}; //!< SILENT_DROP / ADDED_DELAY direction
    double dropFraction{1.0};                       //!< SILENT_DROP: fraction dropped, (0, 1]
    Time delay{MilliSeconds(1)};                    //!< ADDED_DELAY: extra delay
};

/**
 * \brief The service a service VM performs: the model's own enum, ServiceFunction::Function
 * (pass-through, firewall, drop-all, nat), named as its "Function" Attribute names it.
 */
using SvmFunction = ServiceFunction::Function;

/// \brief What fails in a service VM (seed 001 paragraphs 0032, 0046-0047, 0071).
enum class SvmFailureKind
{
    CRASH,          //!< silent: takes packets, answers nothing, returns nothing
    HANG,           //!< receives, never answers, never returns a packet (heartbeats go on)
    FLAKY,          //!< answers each query with probability answer_probability; data unaffected
    SLOW,           //!< everything it returns waits delay more
    INTERFACE_DOWN, //!< its vNIC loses its link
    ADMIN_FAIL      //!< the administrator marks it failed at the controller (paragraph 0071)
};

/// \brief One failure of a service VM, with its times.
struct SvmFailureConfig
{
    SvmFailureKind kind{SvmFailureKind::CRASH}; //!< what fails
    Time at{Seconds(1)};                        //!< start
    std::optional<Time> end;                    //!< the SVM is healthy again (default: never)
    double answerProbability{0.5};              //!< FLAKY: probability a query is answered
    Time delay{MilliSeconds(10)};               //!< SLOW: added latency
};

/// \brief One service VM: an ns-3 node with one vNIC on its host's virtual switch.
struct SvmConfig
{
    std::string name;                                //!< unique name, e.g. "svm2"
    HostRef host;                                    //!< the host it runs on
    SvmFunction function{SvmFunction::PASS_THROUGH}; //!< the service
    uint16_t blockPort{0};                           //!< FIREWALL: destination port dropped
    Time processingDelay{0};                         //!< every packet it returns waits this
    std::vector<SvmFailureConfig> failures;          //!< injected failures, in time order
};

/**
 * \brief One path of a chain: its SPI and its SVMs in order, with their service indexes
 * (default: the number of SVMs down to 1, so that the last hop has SI 1, as in Fig. 3).
 */
struct ServicePathConfig
{
    uint32_t spi{0};               //!< service path identifier, 24 bits
    std::vector<std::string> svms; //!< SVM names in path order
    std::vector<uint32_t> indexes; //!< SI of each SVM; empty: n, n-1, ..., 1

    /// \return the service index of each SVM (indexes, or n..1)
    std::vector<uint32_t> ServiceIndexes() const;
};

/// \brief The IP protocol a chain rule matches.
enum class RuleProtocol
{
    ANY, //!< every protocol
    UDP, //!< 17
    TCP  //!< 6
};

/// \brief A service insertion rule (seed 001 paragraph 0039): flows it matches take the chain.
struct ChainRuleConfig
{
    std::optional<VmRef> from;                //!< source VM (default: any)
    std::optional<VmRef> to;                  //!< destination VM (default: any)
    RuleProtocol protocol{RuleProtocol::ANY}; //!< IP protocol
    uint16_t dstPort{0};                      //!< destination port, 0 = any
};

/// \brief A service chain (SCID): its paths, in order of preference, and the flows it takes.
struct ChainConfig
{
    std::string name;                     //!< unique name; defaults to "chain<i>"
    std::vector<ServicePathConfig> paths; //!< the paths, the first UP one is used
    std::vector<ChainRuleConfig> match;   //!< the rules; a flow matching one takes the chain
    bool orthogonal{false}; //!< after the last SVM the packet returns to the source host (0054)
};

/**
 * \brief How service VMs are watched and their failures reported (seed 001): the proxies'
 * liveness queries, the controller and its agents over the management network, reflection.
 */
struct ServicePlaneConfig
{
    Time queryInterval{MilliSeconds(50)};    //!< k
    uint32_t detectMult{3};                  //!< K
    Time deadTime{0};                        //!< T, 0 = off
    bool inBand{true};                       //!< queries ride on data packets
    bool idleProbes{true};                   //!< a query without data goes as a probe of its own
    bool interfaceWatch{true};               //!< a vNIC link loss is DOWN at once
    bool reflection{false};                  //!< a DOWN SVM's packets go back to the classifier
    bool controller{true};                   //!< proxies report to the controller, which pushes
    Time heartbeatInterval{0};               //!< agents' heartbeats of running SVMs, 0 = none
    Time heartbeatTimeout{Seconds(3)};       //!< controller: no heartbeat for this long is DOWN
    Time controllerDelay{Seconds(1)};        //!< controller processing, report -> push
    Time agentDelay{0};                      //!< agent processing, push -> classifier
    DataRate managementRate{"1Gbps"};        //!< each host's management link
    Time managementDelay{MicroSeconds(100)}; //!< host <-> controller, one way
    bool pcap{false};                        //!< capture every SVM's vNIC
};

/**
 * \brief A VM that moves to another host under traffic (seed 002 Fig. 6, 620: "VM migrates in or
 * out"). At `at` the VM's vNIC leaves its host's virtual switch and joins `to`'s (the switchover
 * of a live migration, no downtime modelled); both hypervisors change their tables at once. The
 * controller tells every other host of the segment notify_delay later; until then their data
 * path still sends to the old host, which drops what arrives for the VM (vm_migrated).
 */
struct MigrationConfig
{
    VmRef vm;                           //!< the VM (it keeps its name)
    HostRef to;                         //!< the host it moves to
    Time at{Seconds(1)};                //!< the switchover
    Time notifyDelay{MilliSeconds(10)}; //!< the controller's update of the other hosts
};

/**
 * \brief A VM that uses an SR-IOV virtual function (VF) of its host's NIC directly instead of a
 * virtual switch port (seed 002 section III.A, Figs. 9, 12-15). The VF's frames bypass the
 * hypervisor: the NIC encapsulates every frame of the VF with the VF's VNI (its VM's segment)
 * and source UDP port, from the VF's own copy of the mapping table (paragraph 0098), which the
 * hypervisor pushes when the VM powers on (paragraph 0101).
 */
struct VfConfig
{
    VmRef vm;                           //!< the VM (on a host whose NICs offload)
    uint32_t uplink{0};                 //!< the PF: the NIC of this uplink of the VM's host
    uint32_t mtu{1500};                 //!< the VF's MTU (the VM's), bytes
    std::optional<uint32_t> sourcePort; //!< the VF's source UDP port; none: from the inner flow
    Time at{0};                         //!< VM power-on: the VF is configured, its table pushed
};

/// \brief How a mirror session's worker sends the copies (seed 003).
enum class MirrorMode
{
    UNICAST,  //!< one copy per VTEP of the mirroring overlay on another host (Figs. 6-9)
    MULTICAST //!< one copy to the mirror VNI's underlay multicast group (Figs. 2-5)
};

/// \brief Which traffic of a mirrored port a session copies.
enum class MirrorDirection
{
    BOTH,       //!< received and transmitted (paragraph 0041: "received and transmitted by VM 241")
    RECEIVED,   //!< handed to the VM
    TRANSMITTED //!< sent by the VM
};

/// \brief Which hosts are the VTEPs of the mirroring overlay in unicast mode.
enum class MirrorVteps
{
    OVERLAY, //!< every host with a VM (the logical switch spans them all: Fig. 6, host 603)
    MONITORS //!< only the hosts of the session's monitor VMs
};

/**
 * \brief A mirror session (seed 003): a dedicated overlay (VNI) for mirrored packets, the
 * mirrored VMs' ports whose packets are copied to it, and the monitor VMs on it that receive the
 * copies through promiscuous capture ports. Each host with a mirrored port has the session's
 * mirror filter, mirrored-packet list and worker.
 */
struct MirrorConfig
{
    std::string name;                                 //!< unique name (default mirror<i>)
    uint32_t vni{0};                                  //!< the mirror VNI (seed: 5001)
    MirrorMode mode{MirrorMode::UNICAST};             //!< how copies are sent
    std::vector<VmRef> ports;                         //!< mirrored VMs (their vNIC ports)
    MirrorDirection direction{MirrorDirection::BOTH}; //!< which of their traffic
    std::vector<VmRef> monitors;                      //!< monitor VMs, on the mirror VNI
    MirrorVteps unicastTo{MirrorVteps::OVERLAY};      //!< unicast: the overlay's VTEPs
    Ipv4Address group{"239.0.0.1"};                   //!< multicast: the group (the seed's)
    uint32_t listLength{1024};                        //!< mirrored-packet list capacity
    Time copyTime{MicroSeconds(1)};                   //!< the worker's time per copy
};

/**
 * \brief The path trace (seed 004: in an overlay nobody sees which underlay path a tenant's
 * packet took): every hop of every packet of the chosen flows, recorded during the run and
 * written as the distinct paths each flow took, in time order (results: trace).
 */
struct TraceConfig
{
    bool enabled{false};            //!< on when the section is written
    std::vector<std::string> flows; //!< names of traffic flows to trace
};

/// The NIC mapping table's layout (NicMappingTable "Layout": single, per-vni).
using NicTableLayout = NicMappingTable::Layout;
/// How the hypervisor pushes table changes (HostMappingTable "PushMode": delta, whole-table).
using NicPushMode = HostMappingTable::PushMode;

/**
 * \brief NIC offload of the overlay encapsulation (seed 002): the hosts whose NICs encapsulate
 * from their own mapping table, the table and how the hypervisor keeps it, the gateway of misses,
 * and the SR-IOV virtual functions of their NICs (ScenarioConfig::vfs).
 */
struct OffloadConfig
{
    bool enabled{false};                            //!< offload on
    std::vector<HostRef> hosts;                     //!< hosts that offload; empty: every host
    NicTableLayout layout{NicMappingTable::SINGLE}; //!< one table or one per VNI
    uint32_t capacity{16384};                       //!< entries per table
    Time pushBatchLatency{MicroSeconds(20)};        //!< per push
    Time pushEntryLatency{MicroSeconds(1)};         //!< per entry of a push
    NicPushMode push{HostMappingTable::DELTA};      //!< delta or whole table
    std::optional<HostRef> gateway;                 //!< relays the NICs' misses (none: dropped)
    uint32_t entryBytes{32};                        //!< memory of one entry (cost only)
    Time pipelineLatency{MicroSeconds(1)};          //!< each frame in the NIC's pipeline
    double lookupRate{30e6};                        //!< lookups per second of a NIC's engine
    uint32_t ring{1024};                            //!< frames waiting for the engine
    uint32_t maxVfs{64};                            //!< VFs one PF supports
    /// the hypervisor's ARP agent answers a VF's VM once its table has the entry
    bool arpProxy{false};
    bool lro{false};                  //!< receive aggregation of TCP segments (LRO)
    uint32_t lroMaxBytes{65535};      //!< largest aggregate (IPv4 packet bytes)
    Time lroTimeout{MicroSeconds(8)}; //!< longest an aggregate waits for more segments
};

/**
 * \brief The host CPU cost model of the software data path (HostCpu): which hosts have one, their
 * cores and clock, the cycles of each stage. Off: packets cost no host time.
 */
struct HostCpuConfig
{
    bool enabled{false};            //!< the model on
    std::vector<HostRef> hosts;     //!< hosts with the model; empty: every host
    uint32_t cores{1};              //!< cores of the data path
    double clockGhz{2.5};           //!< clock
    uint32_t backlog{1000};         //!< packets a core holds
    uint32_t switchCycles{2000};    //!< virtual switch, every tunnel packet
    uint32_t lookupCycles{100};     //!< software transmit: mapping-table lookup
    uint32_t encapCycles{200};      //!< software transmit: outer headers
    uint32_t checksumCycles{120};   //!< software transmit and receive: checksums
    uint32_t segmentationCycles{0}; //!< software transmit: segmentation
    uint32_t decapCycles{1100};     //!< software receive: parse and strip
    uint32_t learningCycles{100};   //!< software receive: learning
    uint32_t tagCycles{20};         //!< offloaded transmit: the NIC's descriptor
};

/**
 * \brief The hosts a per-host section applies to (offload.hosts, host_cpu.hosts).
 * \param hosts the section's list; empty: every host
 * \param numHosts hosts of the fabric
 * \return per host index, whether it is selected
 */
std::vector<bool> SelectedHosts(const std::vector<HostRef>& hosts, uint64_t numHosts);

struct ScenarioConfig;

/**
 * \brief The hosts whose NICs offload: those offload.hosts lists (every host when none is),
 * never the gateway, which relays on its software path by its full table.
 * \return per host index, whether it offloads (all false when offload is off)
 */
std::vector<bool> OffloadingHosts(const ScenarioConfig& config);

/// \brief Expected bound on one results figure, addressed by a dotted path into results.json.
struct ExpectBound
{
    std::string path;          //!< e.g. "flows.f0.delivered" or "faults.0.recovery_ms"
    std::optional<double> min; //!< inclusive lower bound
    std::optional<double> max; //!< inclusive upper bound
    int line{0};               //!< line in the scenario file, for messages
};

/// \brief A whole scenario: what the scenario file, the C++ API and (later) Python all fill.
struct ScenarioConfig
{
    std::string name{"scenario"};    //!< scenario name ("<name>.<label>" for a variant)
    std::string variant;             //!< label of the compare variant, "" when not a variant
    std::string sourceFile;          //!< file it came from ("" if built in code)
    uint32_t seed{1};                //!< ns-3 RngRun; same seed = byte-identical results
    Time duration{Seconds(2)};       //!< simulated time
    Time statsBin{MilliSeconds(10)}; //!< goodput time-series bin width
    FabricConfig fabric;             //!< underlay
    OverlayConfig overlay;           //!< overlay
    MonitoringConfig monitoring;     //!< tunnel monitoring (off by default)
    std::vector<FlowConfig> traffic; //!< flows
    std::vector<FaultConfig> faults; //!< faults
    std::vector<MigrationConfig> migrations; //!< VMs moving to other hosts
    std::vector<VfConfig> vfs;               //!< VMs on SR-IOV virtual functions
    std::vector<MirrorConfig> mirrors;       //!< mirror sessions
    TraceConfig trace;                       //!< path trace of chosen flows (off by default)
    std::vector<SvmConfig> svms;             //!< service VMs
    std::vector<ChainConfig> chains;         //!< service chains (need svms)
    ServicePlaneConfig servicePlane;         //!< how SVMs are watched and failures reported
    OffloadConfig offload;                   //!< NIC offload of the encapsulation (off by default)
    HostCpuConfig hostCpu;                   //!< host CPU cost model (off by default)
    FastPathWeights cost;                    //!< weights of the fast path's cost
    std::vector<LinkRef> pcapPorts;  //!< ports to capture: "host0/uplink0", "leaf0-spine1"...
    std::vector<ExpectBound> expect; //!< bounds checked by `overlay-fabric run`

    /**
     * \brief Check every field and every cross-reference (VM names, targets, flow endpoints on
     * one segment...). Throws ConfigError naming the field and what is allowed.
     */
    void Validate() const;
};

std::ostream& operator<<(std::ostream& os, const ScenarioConfig& cfg);

/// \return the destination port flow \p index listens on: dstPort, or 5000 + index when 0
uint32_t EffectiveDstPort(const FlowConfig& flow, uint32_t index);

/// Names used in scenario files and results.
std::string ToString(Encapsulation e);
std::string ToString(UplinkPolicy p);
std::string ToString(FlowKind k);
std::string ToString(FaultKind k);
std::string ToString(EchoPath p);
std::string ToString(FaultDirection d);
std::string ToString(MirrorMode m);
std::string ToString(MirrorDirection d);
std::string ToString(MirrorVteps v);
std::string ToString(BfdMode m);
std::string ToString(SvmFunction f);
/// \return the scenario name of a table layout ("single", "per-vni")
std::string ToString(NicTableLayout layout);
/// \return the scenario name of a push mode ("delta", "whole-table")
std::string ToString(NicPushMode mode);
std::string ToString(SvmFailureKind k);
std::string ToString(RuleProtocol p);

/// \return whether chain rule \p rule matches \p flow, traffic[\p index] (its port)
bool RuleMatches(const ChainRuleConfig& rule, const FlowConfig& flow, uint32_t index);

/// \return the index of the first chain with a rule matching traffic[\p flow], or -1
int32_t ChainOfFlow(const ScenarioConfig& cfg, uint32_t flow);

} // namespace ns3

#endif
