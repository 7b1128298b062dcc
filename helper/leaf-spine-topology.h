#ifndef OVERLAY_FABRIC_LEAF_SPINE_TOPOLOGY_H
#define OVERLAY_FABRIC_LEAF_SPINE_TOPOLOGY_H

#include "fabric-channel.h"
#include "fabric-net-device.h"
#include "fabric-switch.h"
#include "routing-controller.h"
#include "scenario-config.h"
#include "topology-ref.h"

#include "ns3/ipv4-address.h"
#include "ns3/node.h"
#include "ns3/nstime.h"
#include "ns3/object-factory.h"
#include "ns3/object.h"
#include "ns3/traced-callback.h"

#include <boost/graph/adjacency_list.hpp>
#include <cstdint>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

namespace ns3
{

/// \brief What a vertex of the fabric graph is.
enum class FabricNodeKind : uint8_t
{
    SPINE, //!< spine switch
    LEAF,  //!< leaf (top-of-rack) switch
    HOST   //!< hypervisor host (never transit)
};

/// \brief Which tier an edge of the fabric graph belongs to.
enum class FabricLinkTier : uint8_t
{
    CORE,  //!< leaf - spine
    ACCESS //!< host - leaf
};

/// \brief Vertex property of the fabric graph.
struct FabricVertex
{
    FabricNodeKind kind{FabricNodeKind::HOST}; //!< spine, leaf or host
    uint32_t index{0};                         //!< index within its kind ("leaf2" -> 2)
    std::string name;                          //!< "spine1", "leaf2", "host5"
};

/// \brief Edge property of the fabric graph. source(e) is the first-named end of the link.
struct FabricEdge
{
    FabricLinkTier tier{FabricLinkTier::CORE}; //!< core or access
    std::string name;                          //!< "leaf2-spine1", "host5/uplink1"
    uint32_t link{0};                          //!< link index (creation order)
    uint32_t uplink{0};                        //!< access links: uplink index k of the host
};

/// The fabric as an undirected Boost.Graph graph.
using FabricGraph =
    boost::adjacency_list<boost::vecS, boost::vecS, boost::undirectedS, FabricVertex, FabricEdge>;

/**
 * \ingroup overlay-fabric
 * \brief Describe a leaf-spine fabric as a graph.
 *
 * Vertices, in this order: spine0..spine{S-1}, leaf0..leaf{R*N-1} (rack r has leaves r*N ..
 * r*N+N-1, N = leavesPerRack), host0..host{H-1} (host h is in rack h / hostsPerRack). Edges, in
 * this order (the link index): every leaf to every spine ("leafL-spineS", leaf-major, source =
 * leaf), then every host uplink k to leaf r*N+k ("hostH/uplinkK", host-major, source = host).
 *
 * \param cfg the fabric configuration (checked with FabricConfig::Validate(): throws ConfigError)
 * \return the graph
 */
FabricGraph BuildLeafSpineGraph(const FabricConfig& cfg);

/**
 * \ingroup overlay-fabric
 * \brief The underlay: the leaf-spine graph instantiated with FabricSwitches, FabricNetDevices
 * and FabricChannels, and its routing.
 *
 * Switch nodes carry only their ports; host nodes carry only their uplink devices (the host
 * VTEP sets the uplinks' frame handlers and sends frames whose payload starts with the outer
 * IPv4 header to the peer leaf's MAC). Host h's VTEP address is 10.1.0.0 + h + 1.
 *
 * \par Routing
 * Destinations are the host VTEP addresses. Next hops come from a breadth-first search on the
 * graph from each host over the links routing believes are up, hosts other than the destination
 * never being transit; a leaf thus reaches an attached host through the host's uplink (the static
 * route of the seed's [0044]) and everything else over the shortest paths, with every
 * shortest-path next hop in the ECMP group. Shortest paths are taken on the graph as it is: a
 * spine that lost its only link into a rack reaches that rack, after convergence, through another
 * leaf and spine (4 switch hops) rather than not at all (no valley-free rule as with eBGP).
 * - Carrier loss: the switches at the two ends of the link stop using it at once
 *   (FabricSwitch::LocalRepair). The rest of the fabric learns it exactly
 *   FabricConfig::routingConvergence after the event: then routing's view of the link changes and
 *   every table is recomputed and reprogrammed at once. Events maturing at the same instant share
 *   one recomputation.
 * - Carrier restored: the link is used again, by everybody, routingConvergence after the event.
 * - Silent drops and added delays are never seen by routing.
 * "RoutesConverged" fires every time a recomputation is applied.
 *
 * The timing is the fabric's RoutingController (its ConvergenceDelay attribute is set from
 * FabricConfig::routingConvergence by Build); the fabric gives it the links and computes the
 * tables when it asks. The objects are created from ObjectFactories that may be replaced before
 * Build (FabricHelper does): the fabric then sets on them what the FabricConfig and the seed
 * decide (tier rate, MTU, queue and delay, layer-1 overhead, ECMP seed, convergence delay).
 */
class LeafSpineFabric : public Object
{
  public:
    /**
     * \brief Signature of the "RoutesConverged" trace source.
     * \param at the time the new routes were applied (now)
     */
    typedef void (*RoutesConvergedTracedCallback)(Time at);

    /**
     * \brief Get the TypeId.
     * \return the object TypeId
     */
    static TypeId GetTypeId();

    /// An empty fabric; call Build.
    LeafSpineFabric();

    /**
     * \brief Build the fabric (see Build).
     * \param cfg the configuration
     * \param seed scenario seed (ECMP seeds of the switches are derived from it)
     */
    LeafSpineFabric(const FabricConfig& cfg, uint32_t seed = 1);

    ~LeafSpineFabric() override;

    /**
     * \brief Create nodes, devices, channels and switches, and program the routes.
     * \param cfg the configuration (throws std::invalid_argument naming a bad field)
     * \param seed scenario seed
     */
    void Build(const FabricConfig& cfg, uint32_t seed);

    /**
     * \brief Create the switches with this factory (before Build; default: ns3::FabricSwitch).
     * Build sets each switch's EcmpSeed from the seed.
     * \param factory the factory
     */
    void SetSwitchFactory(const ObjectFactory& factory);

    /**
     * \brief Create the devices with this factory (before Build; default: ns3::FabricNetDevice).
     * Build sets DataRate, Mtu and QueueBytes from the link's tier, and Layer1Overhead from
     * FabricConfig::layer1Overhead.
     * \param factory the factory
     */
    void SetDeviceFactory(const ObjectFactory& factory);

    /**
     * \brief Create the channels with this factory (before Build; default: ns3::FabricChannel).
     * Build sets Delay from the link's tier.
     * \param factory the factory
     */
    void SetChannelFactory(const ObjectFactory& factory);

    /**
     * \brief Create the routing controller with this factory (before Build; default:
     * ns3::RoutingController). Build sets ConvergenceDelay from FabricConfig::routingConvergence.
     * \param factory the factory
     */
    void SetRoutingFactory(const ObjectFactory& factory);

    /// \return the routing controller (nullptr before Build)
    Ptr<RoutingController> GetRoutingController() const;

    /// \return the configuration the fabric was built from
    const FabricConfig& GetConfig() const;
    /// \return the graph the fabric was built from
    const FabricGraph& GetGraph() const;

    /// \return the number of hosts
    uint32_t GetNumHosts() const;
    /// \return the number of spines
    uint32_t GetNumSpines() const;
    /// \return the number of leaves
    uint32_t GetNumLeaves() const;

    /**
     * \param h host index
     * \return the host's node (only uplink devices on it)
     */
    Ptr<Node> GetHostNode(uint32_t h) const;

    /**
     * \param h host index
     * \param k uplink index
     * \return the host's NIC of uplink k
     */
    Ptr<FabricNetDevice> GetHostUplink(uint32_t h, uint32_t k) const;

    /**
     * \param h host index
     * \return the host's loopback VTEP address, 10.1.0.0 + h + 1
     */
    Ipv4Address GetVtepAddress(uint32_t h) const;

    /**
     * \param address an address
     * \return the host whose VTEP address it is, or -1
     */
    int32_t GetHostByVtep(Ipv4Address address) const;

    /**
     * \param s spine index
     * \return the spine switch
     */
    Ptr<FabricSwitch> GetSpine(uint32_t s) const;

    /**
     * \param l leaf index
     * \return the leaf switch
     */
    Ptr<FabricSwitch> GetLeaf(uint32_t l) const;

    /// \return every switch: spines, then leaves
    const std::vector<Ptr<FabricSwitch>>& GetSwitches() const;

    /// \return every device, by link index, the first-named end of each link first
    const std::vector<Ptr<FabricNetDevice>>& GetDevices() const;

    /// \return the names of every link, by link index
    std::vector<std::string> GetLinkNames() const;

    /**
     * \param name link name, "leaf2-spine1" or "host5/uplink1"
     * \return the link's channel, or nullptr if there is no such link
     */
    Ptr<FabricChannel> GetLink(const LinkRef& name) const;

    /**
     * \param name link name
     * \return the two devices, first-named end first (the host's NIC for hostN/uplinkK, the
     * leaf's port for leafL-spineS); two nullptrs if there is no such link
     */
    std::pair<Ptr<FabricNetDevice>, Ptr<FabricNetDevice>> GetLinkEnds(const LinkRef& name) const;

    /**
     * \param device a device of the fabric
     * \return the name of its link, or "" if it is not a fabric device
     */
    std::string GetLinkName(Ptr<const NetDevice> device) const;

    /**
     * \param name link name
     * \return whether routing (the rest of the fabric) currently believes the link is up
     */
    bool IsLinkUpForRouting(const LinkRef& name) const;

    /**
     * \brief Raise or lose a link's carrier (routing follows as described above).
     * \param name link name (throws std::invalid_argument if unknown)
     * \param up carrier state
     */
    void SetLinkCarrier(const LinkRef& name, bool up);

    /**
     * \brief Silent-drop fault on a link (never seen by routing).
     * \param name link name (throws std::invalid_argument if unknown)
     * \param direction FORWARD = frames sent by the first-named end
     * \param fraction fraction dropped, [0, 1]; 0 turns the fault off
     */
    void SetSilentDrop(const LinkRef& name, FaultDirection direction, double fraction);

    /**
     * \brief Added-delay fault on a link.
     * \param name link name (throws std::invalid_argument if unknown)
     * \param direction FORWARD = frames sent by the first-named end
     * \param delay extra one-way delay (zero turns the fault off)
     */
    void SetAddedDelay(const LinkRef& name, FaultDirection direction, Time delay);

    /// One hop of a path: the link crossed and in which direction.
    struct PathHop
    {
        uint32_t link; //!< link index
        bool forward;  //!< from the link's first-named end
    };

    /// The path an outer 5-tuple takes through the fabric, from a host's uplink.
    struct FabricPath
    {
        std::vector<PathHop> hops; //!< links crossed, in order
        int32_t arrivedAt{-1};     //!< host reached, -1 if the path ends in the fabric
        std::string stop;          //!< why it ends there: "no-route at leaf0", "link down", ...

        /// \return the nodes in order, the source host first: "host0", "leaf0", "spine1", ...
        std::vector<std::string> Nodes(const LeafSpineFabric& fabric) const;
        /// \return the nodes and links in order: "host0 -host0/uplink0-> leaf0 -..."
        std::string Format(const LeafSpineFabric& fabric) const;
    };

    /**
     * \brief Path calculator: the links a frame with outer 5-tuple \p outer takes when host
     * \p host sends it on uplink \p uplink, from the switches' routes and ECMP seeds now (the
     * rule of FabricSwitch::EcmpMember, the one the forwarding path uses).
     * \param host source host index
     * \param uplink its uplink index
     * \param outer outer IPv4/UDP 5-tuple
     * \return the path
     */
    FabricPath TracePath(uint32_t host, uint32_t uplink, const FiveTuple& outer) const;

    /**
     * \brief Every distinct path from host \p host (any uplink) to \p destination through the
     * switches' next-hop groups now: the ECMP paths between two VTEPs.
     * \param host source host index
     * \param destination outer destination address (a VTEP)
     * \return the paths that reach a host, each as its sequence of hops
     */
    std::vector<std::vector<PathHop>> EnumeratePaths(uint32_t host, Ipv4Address destination) const;

    /// \return the name of fabric vertex \p v ("spine0", "leaf3", "host5")
    std::string VertexName(uint32_t v) const;

    /**
     * \brief Capture the first-named end's device of a link in
     * PcapHelper::GetFilenameFromDevice(prefix, device) (DLT_EN10MB).
     * \param prefix file name prefix
     * \param linkName link name (throws std::invalid_argument if unknown)
     * \return the file name ("<prefix>-<node id>-<interface>.pcap", the ns-3 convention)
     */
    std::string EnablePcap(const std::string& prefix, const LinkRef& linkName);

    /**
     * \brief Recompute every routing table from routing's current view of the links and
     * program the switches now (done automatically on link events).
     */
    void RecomputeRoutes();

    /**
     * \brief Assign fixed random streams to the devices (silent-drop variables).
     * \param stream first stream index
     * \return the number of streams used
     */
    int64_t AssignStreams(int64_t stream);

  private:
    /// One link of the fabric.
    struct Link
    {
        std::string name;             //!< link name
        FabricLinkTier tier;          //!< core or access
        Ptr<FabricChannel> channel;   //!< the wire
        Ptr<FabricNetDevice> ends[2]; //!< first-named end, second end
        uint32_t vertex[2];           //!< graph vertices of the ends
        int32_t port[2];              //!< switch port index of each end, -1 for a host
    };

    void DoDispose() override;

    /**
     * \param name link name
     * \return the link index (throws std::invalid_argument if unknown)
     */
    uint32_t FindLink(const LinkRef& name) const;
    /**
     * \param link a link reference
     * \return its link index, computed from the indices (no lookup), or nothing if the fabric has
     * no such link
     */
    std::optional<uint32_t> LinkIndex(const LinkRef& link) const;

    /**
     * \brief Compute every routing table and program the switches (the routing controller's
     * recompute callback).
     * \param up routing's view of the links, by link index
     */
    void ProgramRoutes(const std::vector<bool>& up);
    /**
     * \brief Give every leaf its multicast root ports from routing's view of the links
     * (FabricSwitch: a group's frames go up to the root its hash picks).
     * \param up routing's view, by link index
     */
    void ProgramMulticastRoots(const std::vector<bool>& up);

    /**
     * \brief Forwards the routing controller's "RoutesConverged".
     * \param at when the routes were applied
     */
    void RoutesConverged(Time at);

    FabricConfig m_config;                     //!< configuration
    uint32_t m_seed{1};                        //!< scenario seed
    FabricGraph m_graph;                       //!< the fabric graph
    std::vector<Ptr<FabricSwitch>> m_switches; //!< spines then leaves (= vertex index)
    std::vector<Ptr<Node>> m_hosts;            //!< host nodes
    std::vector<std::vector<Ptr<FabricNetDevice>>> m_uplinks;      //!< [host][k]
    std::vector<Ptr<FabricNetDevice>> m_devices;                   //!< every device, by link
    std::vector<Link> m_links;                                     //!< links by index
    std::unordered_map<const NetDevice*, uint32_t> m_linkByDevice; //!< device -> link index
    ObjectFactory m_switchFactory;                                 //!< creates the switches
    ObjectFactory m_deviceFactory;                                 //!< creates the devices
    ObjectFactory m_channelFactory;                                //!< creates the channels
    ObjectFactory m_routingFactory;                                //!< creates the controller
    Ptr<RoutingController> m_routing;                              //!< routing's view, timing
    TracedCallback<Time> m_routesConvergedTrace;                   //!< "RoutesConverged"
};

} // namespace ns3

#endif
