#ifndef OVERLAY_FABRIC_FABRIC_SWITCH_H
#define OVERLAY_FABRIC_FABRIC_SWITCH_H

#include "drop-reason.h"
#include "fabric-net-device.h"
#include "fabric-raw-header.h"
#include "five-tuple.h"

#include "ns3/ipv4-address.h"
#include "ns3/node.h"
#include "ns3/object.h"
#include "ns3/packet.h"
#include "ns3/ptr.h"
#include "ns3/traced-callback.h"

#include <cstdint>
#include <unordered_map>
#include <vector>

namespace ns3
{

/**
 * \ingroup overlay-fabric
 * \brief The ports among which a switch spreads the traffic to one destination (ECMP).
 */
struct NextHopGroup
{
    std::vector<uint32_t> ports; //!< port indices of the switch, in a fixed order
};

/**
 * \ingroup overlay-fabric
 * \brief An L3 leaf or spine switch that forwards on the outer IPv4 destination, with no IP
 * stack: a frame handler on every port, a hash map from destination to next-hop group, ECMP by a
 * seeded hash of the outer 5-tuple.
 *
 * Per frame: copy the first 14 + 20 + 4 bytes out (Packet::CopyData, no header objects); drop
 * MALFORMED unless it is Ethernet II + IPv4; drop TTL_EXPIRED if the TTL would reach 0; look the
 * destination up (one hash lookup; NO_ROUTE if missing or empty); pick a port of the group by
 * hashing (src, dst, protocol, source port, destination port) with the switch's ECMP seed (ports
 * only for UDP and TCP packets that are not fragments) so that a flow keeps one path; decrement
 * the TTL and patch the header checksum incrementally (RFC 1624); rewrite the Ethernet source to
 * the egress port's MAC and the destination to its peer's MAC (remove the leading bytes and add
 * them back as a FabricRawHeader); transmit with FabricNetDevice::SendFrame.
 *
 * Routes are programmed from outside (SetRoutes, at build time and when routing converges). The
 * switch itself reacts at once to a carrier loss on one of its ports: it pulls the port out of
 * every group ("LocalRepair"), and SetRoutes never installs a port without carrier. A port whose
 * carrier comes back is used again only when routes are next programmed.
 *
 * Underlay multicast (seed 003 Figs. 2-5: the mirror VNI's group 239.0.0.1), on frames to a
 * 224.0.0.0/4 destination, which no unicast route holds, so the unicast path pays nothing:
 * - Membership is learnt from IGMP on the wire (a leaf snoops its hosts' IGMPv2/v3 reports and
 *   leaves, RFC 4541): a leaf's member ports are host ports, a spine's are leaf ports. A leaf is
 *   an IGMP proxy towards the spines (RFC 4605): when a group gets its first member port it
 *   sends its own IGMPv3 report to every spine, and a leave when it loses its last, so that every
 *   spine knows which leaves have members of every group.
 * - The tree of a group: a frame from a host goes to the leaf's other member ports and up to one
 *   spine, the group's root, chosen by a hash of the group among the leaf's root ports; the
 *   spine copies it to every member leaf but the one it came from; a leaf copies a frame from a
 *   spine to its member host ports. One copy per egress port with members, never back.
 * - Root ports (SetMulticastRoots) are the spines routing believes reach every leaf
 *   (LeafSpineFabric, recomputed when routing converges after a link change: the tree is
 *   rebuilt); a root port that loses carrier is pulled out at once (local repair), and a member
 *   port that loses carrier stops being a member (the leaf sends the leave upwards if it was the
 *   last). A leaf whose spine port comes back re-sends its reports on it.
 * Simplifications: no IGMP queries or timers (membership lasts until a leave or a carrier
 * loss); an IGMPv3 record with sources joins the whole group (source filtering is not modelled);
 * the leaf's own reports have source 0.0.0.0 (RFC 3376 section 4.2.13 accepts it: a leaf has no
 * IP address in this model) and, like the hosts', no Router Alert option (ns-3's Ipv4Header has
 * no options); a frame to a group with no member port is consumed without a drop
 * ("MulticastPruned": normal for the copy up to a root spine when every member is below the
 * sending leaf, a loss when a link failure has cut a member leaf off a root spine until routing
 * converges and the tree is rebuilt).
 *
 * The switch's node holds only the ports (no IP stack).
 */
class FabricSwitch : public Object
{
  public:
    /// Routing table: IPv4 destination (host order) -> next-hop group.
    using RouteTable = std::unordered_map<uint32_t, NextHopGroup>;

    /**
     * \brief Signature of the "Drop" trace source.
     * \param frame the dropped frame (Ethernet header on)
     * \param reason why it was dropped
     */
    typedef void (*DropTracedCallback)(Ptr<const Packet> frame, DropReason reason);

    /**
     * \brief Signature of the "LocalRepair" trace source.
     * \param port the port whose carrier was lost
     * \param routes number of routes that used the port
     */
    typedef void (*LocalRepairTracedCallback)(uint32_t port, uint32_t routes);

    /**
     * \brief Signature of the "RoutesProgrammed" trace source.
     * \param routes number of routes installed
     */
    typedef void (*RoutesProgrammedTracedCallback)(uint32_t routes);

    /**
     * \brief Get the TypeId.
     * \return the object TypeId
     */
    static TypeId GetTypeId();

    /// Creates the switch's node.
    FabricSwitch();
    ~FabricSwitch() override;

    /// \return the node of the switch
    Ptr<Node> GetNode() const;

    /**
     * \brief Add a port: install the device on the switch's node and make the switch its frame
     * handler and link-change listener.
     * \param device the device
     * \return the port index
     */
    uint32_t AddPort(Ptr<FabricNetDevice> device);

    /// \return the number of ports
    uint32_t GetNPorts() const;

    /**
     * \param port port index
     * \return the device of the port
     */
    Ptr<FabricNetDevice> GetPort(uint32_t port) const;

    /**
     * \param device a device
     * \return its port index, or -1 if it is not a port of this switch
     */
    int32_t GetPortIndex(Ptr<const NetDevice> device) const;

    /**
     * \brief Set the ECMP hash seed.
     * \param seed the seed
     */
    void SetEcmpSeed(uint64_t seed);
    /// \return the ECMP hash seed
    uint64_t GetEcmpSeed() const;

    /**
     * \brief Replace the whole routing table. Ports without carrier are left out of the groups;
     * routes left without a port are not installed.
     * \param routes the new table
     */
    void SetRoutes(RouteTable routes);

    /**
     * \brief Install or replace one route (ports without carrier are left out).
     * \param destination IPv4 destination
     * \param ports next-hop ports
     */
    void SetRoute(Ipv4Address destination, std::vector<uint32_t> ports);

    /**
     * \brief Remove one route.
     * \param destination IPv4 destination
     */
    void RemoveRoute(Ipv4Address destination);

    /// \return the routing table
    const RouteTable& GetRoutes() const;

    /**
     * \param destination IPv4 destination
     * \return the next-hop group, or nullptr if there is no route
     */
    const NextHopGroup* GetRoute(Ipv4Address destination) const;

    /**
     * \brief The member of a next-hop group a 5-tuple hashes to: the one ECMP rule, used by the
     * forwarding path and by path calculators.
     * \param group a non-empty group
     * \param key the outer 5-tuple
     * \param seed the switch's ECMP seed
     * \return a port of the group
     */
    static uint32_t EcmpMember(const NextHopGroup& group, const FiveTuple& key, uint64_t seed)
    {
        const std::vector<uint32_t>& ports = group.ports;
        if (ports.size() == 1)
        {
            return ports[0];
        }
        const uint64_t h = HashFiveTuple(key, seed);
        return ports[static_cast<uint32_t>(((h >> 32) * ports.size()) >> 32)];
    }

    /**
     * \brief The port the switch would send this frame out of now (path traces, tests).
     * \param frame an Ethernet II + IPv4 frame
     * \return the port index, or -1 if the frame would be dropped
     */
    int32_t GetEgressPort(Ptr<const Packet> frame) const;

    /**
     * \brief Make this switch a leaf of the multicast tree (otherwise it is a spine).
     * \param upstream its ports to spines
     */
    void SetMulticastLeaf(const std::vector<uint32_t>& upstream);

    /**
     * \brief A leaf's root ports: the spines a group's frames from hosts may go up to, in a fixed
     * order (ports without carrier are left out).
     * \param ports ports to spines
     */
    void SetMulticastRoots(std::vector<uint32_t> ports);

    /**
     * \param group a multicast address
     * \return the member ports of \p group here, in increasing order (empty: none)
     */
    std::vector<uint32_t> GetGroupPorts(Ipv4Address group) const;

    /**
     * \param group a multicast address
     * \return the port a leaf sends \p group's frames from hosts up to, or -1 (none, or a spine)
     */
    int32_t GetGroupRoot(Ipv4Address group) const;

    /**
     * \brief Signature of the "Membership" trace source.
     * \param port the port
     * \param group the group
     * \param member true: joined; false: left
     */
    typedef void (*MembershipTracedCallback)(uint32_t port, Ipv4Address group, bool member);

  private:
    void DoDispose() override;

    /**
     * \brief Frame handler of every port: the forwarding path.
     * \param in the port the frame arrived on
     * \param frame the frame
     */
    void ReceiveFrame(Ptr<FabricNetDevice> in, Ptr<Packet> frame);

    /**
     * \brief Forwarding decision on the leading bytes of a frame.
     * \param bytes the bytes (at least 14 + IPv4 header length + 4 available, see \p n)
     * \param n number of bytes copied
     * \param[out] headerLength Ethernet + IPv4 header length
     * \param[out] port egress port
     * \return COUNT if the frame is to be forwarded, else the drop reason
     */
    DropReason Decide(const uint8_t* bytes,
                      uint32_t n,
                      uint32_t& headerLength,
                      uint32_t& port) const;

    /**
     * \brief Link change callback of a port.
     * \param port port index
     */
    void PortLinkChanged(uint32_t port);

    /**
     * \brief Forward a frame to a multicast group along its tree.
     * \param in the port it arrived on
     * \param frame the frame
     * \param header its leading bytes (Ethernet + IPv4, SetSize done), TTL already decremented
     * \param group the destination group (host order)
     */
    void ForwardMulticast(uint32_t in, Ptr<Packet> frame, FabricRawHeader& header, uint32_t group);

    /**
     * \brief An IGMP message addressed to the routers of the link (TTL 1): snoop it.
     * \param in the port it arrived on
     * \param frame the frame (Ethernet header on)
     * \param headerLength Ethernet + IPv4 header length
     */
    void SnoopIgmp(uint32_t in, Ptr<Packet> frame, uint32_t headerLength);

    /// \brief Port \p port joins or leaves \p group; a leaf reports a change of its own upwards.
    void SetMember(uint32_t port, uint32_t group, bool member);

    /// \brief A leaf's own IGMPv3 report (join or leave of \p group) on spine port \p port.
    void SendReport(uint32_t port, uint32_t group, bool join);

    /// \return whether \p port is a leaf's port to a spine
    bool IsUpstream(uint32_t port) const;

    Ptr<Node> m_node;                          //!< the switch's node
    std::vector<Ptr<FabricNetDevice>> m_ports; //!< ports by index
    std::vector<FabricNetDevice*> m_portRaw;   //!< same, unowned, for the forwarding path
    RouteTable m_routes;                       //!< destination -> next hops
    uint64_t m_ecmpSeed{0};                    //!< ECMP hash seed
    bool m_leaf{false};                        //!< a leaf of the multicast tree
    std::vector<bool> m_upstream;              //!< per port: a leaf's port to a spine
    std::vector<uint32_t> m_rootPorts;         //!< a leaf's candidate roots, with carrier
    /// group (host order) -> member ports, in increasing order
    std::unordered_map<uint32_t, std::vector<uint32_t>> m_groupPorts;
    std::vector<uint32_t> m_multicastOut; //!< ForwardMulticast's egress ports
    TracedCallback<uint32_t, Ipv4Address, bool> m_membershipTrace; //!< "Membership"
    TracedCallback<Ptr<const Packet>> m_prunedTrace;               //!< "MulticastPruned"

    TracedCallback<Ptr<const Packet>, DropReason> m_dropTrace; //!< "Drop"
    TracedCallback<uint32_t, uint32_t> m_localRepairTrace;     //!< "LocalRepair"
    TracedCallback<uint32_t> m_routesProgrammedTrace;          //!< "RoutesProgrammed"
};

} // namespace ns3

#endif
