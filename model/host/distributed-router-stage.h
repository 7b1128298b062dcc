#ifndef OVERLAY_FABRIC_DISTRIBUTED_ROUTER_STAGE_H
#define OVERLAY_FABRIC_DISTRIBUTED_ROUTER_STAGE_H

#include "port-stage.h"

#include "ns3/ipv4-address.h"
#include "ns3/mac48-address.h"

#include <cstdint>
#include <unordered_map>

namespace ns3
{

/**
 * \ingroup overlay-fabric
 * \brief One host's instance of a distributed logical router (seed 000, Fig. 2 and paragraphs
 * 0021-0022: DR 205 joins logical switches LS1, VNI 5000, and LS2, VNI 6000, and runs on every
 * host as DR instances 117A-B), as a port stage before the L2 lookup.
 *
 * The router has one MAC on every segment (a virtual MAC shared by all its instances, as NSX's
 * 02:50:56:56:44:52) and on each segment a gateway address (a logical router port). A VM sends a
 * frame for another subnet to its gateway's MAC (the ARP suppression table answers for the
 * gateway with the router MAC); this stage routes it at the source host: the destination subnet
 * gives the destination segment, the router's neighbour table (programmed by the controller, as
 * the ARP table is) the destination VM's MAC; the inner Ethernet source becomes the router MAC,
 * the destination the VM's, the inner TTL drops by one (the IPv4 header checksum recomputed
 * when the frame carried one), and the frame continues on the destination segment: the L2 lookup
 * delivers it locally or encapsulates it with the destination segment's VNI. The destination host
 * does no routing (one hop, as in NSX). Frames not addressed to the router MAC pass untouched.
 *
 * Simplifications: every subnet of the overlay is a /16 (the overlay network's addressing), so
 * the route lookup is one hashed lookup on the destination's /16; the router answers nothing
 * addressed to itself (no ICMP), and a frame for a subnet it has no port on, or for an address
 * it has no neighbour entry for, is dropped (NO_LOGICAL_ROUTE), one whose TTL would reach zero
 * too (INNER_TTL_EXPIRED).
 */
class DistributedRouterStage : public PortStage
{
  public:
    /// Prefix length of every overlay subnet.
    static constexpr uint32_t PREFIX_LENGTH = 16;

    static TypeId GetTypeId();

    /// \param mac the router's MAC on every segment
    void SetRouterMac(Mac48Address mac);
    /// \return the router's MAC
    Mac48Address GetRouterMac() const;
    /**
     * \brief A logical router port: segment \p vni, subnet \p gateway / PREFIX_LENGTH.
     * \param vni the segment
     * \param gateway the router's address on it
     */
    void AddInterface(uint32_t vni, Ipv4Address gateway);
    /**
     * \brief Neighbour entry: on segment \p vni, \p ip is at \p mac.
     */
    void AddNeighbor(uint32_t vni, Ipv4Address ip, Mac48Address mac);
    /// \return frames routed so far
    uint64_t GetRoutedFrames() const;

    PortVerdict Process(PortContext& ctx) override;

  private:
    uint64_t m_routerMac{0};                                //!< MacToInt of the router MAC
    Mac48Address m_mac;                                     //!< the router MAC
    std::unordered_map<uint32_t, uint32_t> m_subnetVni;     //!< subnet (address >> 16) -> segment
    std::unordered_map<uint32_t, uint32_t> m_gateways;      //!< segment -> gateway address
    std::unordered_map<uint64_t, Mac48Address> m_neighbors; //!< (segment << 32 | ip) -> MAC
    uint64_t m_routed{0};                                   //!< frames routed
};

} // namespace ns3

#endif
