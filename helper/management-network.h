#ifndef OVERLAY_FABRIC_MANAGEMENT_NETWORK_H
#define OVERLAY_FABRIC_MANAGEMENT_NETWORK_H

#include "ns3/data-rate.h"
#include "ns3/ipv4-address.h"
#include "ns3/node.h"
#include "ns3/nstime.h"
#include "ns3/object.h"

#include <map>
#include <vector>

namespace ns3
{

/**
 * \ingroup overlay-fabric
 * \brief The out-of-band management network between the hosts' agents and the controller (seed
 * 001 Fig. 1: control-plane channels 101-103 between LCP agents 119A-C and SDN controller 182).
 *
 * A controller node and one management node per host that takes part in the service plane (the
 * hypervisor's management stack, where its agent runs), each joined to the controller by its own
 * ns-3 point-to-point link with an IPv4 /30 (172.16.0.0/16: host h's link is
 * 172.16.h/64.(h%64)*4, the controller .1, the host .2), so a message's time is its link's
 * serialization and propagation, and reports from different hosts do not queue behind each
 * other (a star through a non-blocking switch, collapsed into one link per host). Defaults:
 * 1 Gb/s (a management port) and 100 us one way (the controller a few switch hops away in
 * another rack); both are attributes of the network.
 * The data fabric is not used, so a fabric fault never cuts a report (out-of-band management).
 */
class ManagementNetwork : public Object
{
  public:
    static TypeId GetTypeId();

    /**
     * \brief Build the controller node, the management nodes of \p hosts and their links: only
     * the hosts that take part in the service plane (SVMs, classifiers) have one.
     * \param hosts host indexes, each once, each below 16384
     */
    void Build(const std::vector<uint32_t>& hosts);

    /// \return the controller node
    Ptr<Node> GetControllerNode() const;
    /// \return host \p h's management node
    Ptr<Node> GetHostNode(uint32_t h) const;
    /// \return the controller's address on host \p h's link (a host passed to Build())
    Ipv4Address GetControllerAddress(uint32_t h) const;
    /// \return host \p h's management address
    Ipv4Address GetHostAddress(uint32_t h) const;

  protected:
    void DoDispose() override;

  private:
    DataRate m_rate;                                //!< link rate
    Time m_delay;                                   //!< one-way propagation delay
    Ptr<Node> m_controller;                         //!< the controller node
    std::map<uint32_t, size_t> m_slotOfHost;        //!< host index -> slot of the vectors
    std::vector<Ptr<Node>> m_hosts;                 //!< per slot
    std::vector<Ipv4Address> m_controllerAddresses; //!< per host link
    std::vector<Ipv4Address> m_hostAddresses;       //!< per host link
};

} // namespace ns3

#endif
