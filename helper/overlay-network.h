#ifndef OVERLAY_FABRIC_OVERLAY_NETWORK_H
#define OVERLAY_FABRIC_OVERLAY_NETWORK_H

#include "distributed-router-stage.h"
#include "scenario-config.h"
#include "virtual-switch.h"
#include "vnic-net-device.h"
#include "vtep.h"

#include "ns3/ipv4-address.h"
#include "ns3/mac48-address.h"
#include "ns3/node.h"
#include "ns3/object-factory.h"
#include "ns3/object.h"

#include <map>
#include <string>
#include <vector>

namespace ns3
{

class LeafSpineFabric;

/**
 * \ingroup overlay-fabric
 * \brief The overlay on top of a leaf-spine fabric: per host a virtual switch and a VTEP; per VM
 * an ns-3 node with its own IPv4 stack and a vNIC on its logical switch.
 *
 * Addressing: segment s (in scenario order) is the IPv4 subnet 10.(128+s).0.0/16 and its j-th VM
 * gets 10.(128+s).0.0 + j + 1, so at most 127 segments of 65534 VMs; VTEP loopbacks live in
 * 10.1.0.0/16 and never collide. The controller's view (every VM's MAC, IP and host) is programmed
 * into the virtual switches at build time: L2 entries (local or remote VTEP) and ARP entries for
 * every VM of the segments the host takes part in.
 */
class OverlayNetwork : public Object
{
  public:
    /// One VM.
    struct Vm
    {
        VmRef name;              //!< "host3/vm0"
        uint32_t host;           //!< hypervisor host index
        uint32_t vni;            //!< logical switch
        Ptr<Node> node;          //!< the VM node
        Ptr<VnicNetDevice> vnic; //!< its vNIC
        Ipv4Address ip;          //!< inner address
        Mac48Address mac;        //!< vNIC MAC
        uint32_t port;           //!< its port on the host's virtual switch
    };

    /// One host's instance of a distributed router.
    struct RouterInstance
    {
        uint32_t router;                   //!< index in OverlayConfig::routers
        uint32_t host;                     //!< the host
        Ptr<DistributedRouterStage> stage; //!< the instance
    };

    /// \return the gateway address of segment index \p segment (its subnet's .255.254)
    static Ipv4Address GatewayOf(uint32_t segment);
    /// \return the MAC of router index \p router: 02:50:56:56:44:52 + router
    static Mac48Address RouterMacOf(uint32_t router);

    static TypeId GetTypeId();

    /**
     * \brief Create the VTEPs with this factory (before Build; default: ns3::Vtep). Build sets
     * Encapsulation from OverlayConfig::encap.
     * \param factory the factory
     */
    void SetVtepFactory(const ObjectFactory& factory)
    {
        m_vtepFactory = factory;
    }

    /**
     * \brief Create the virtual switches with this factory (before Build; default:
     * ns3::VirtualSwitch).
     * \param factory the factory
     */
    void SetVirtualSwitchFactory(const ObjectFactory& factory)
    {
        m_virtualSwitchFactory = factory;
    }

    /**
     * \brief Create the uplink selectors with this factory (before Build; default:
     * ns3::UplinkSelector). Build sets Policy and PreferredUplink from the OverlayConfig.
     * \param factory the factory
     */
    void SetUplinkSelectorFactory(const ObjectFactory& factory)
    {
        m_uplinkSelectorFactory = factory;
    }

    /**
     * \brief Build VTEPs, virtual switches and VMs.
     * \param config validated overlay configuration
     * \param fabric the underlay (hosts, uplinks, VTEP addresses)
     */
    void Build(const OverlayConfig& config, Ptr<LeafSpineFabric> fabric);

    /// \return the VM called \p name; aborts if unknown (names are validated before)
    const Vm& GetVm(const VmRef& name) const;

    /// \return all VMs in creation order
    const std::vector<Vm>& GetVms() const
    {
        return m_vms;
    }

    /// \return every router instance, by router then host
    const std::vector<RouterInstance>& GetRouterInstances() const
    {
        return m_routers;
    }

    /// \return host \p h's virtual switch
    Ptr<VirtualSwitch> GetVirtualSwitch(uint32_t h) const
    {
        return m_vswitches[h];
    }

    /// \return host \p h's VTEP
    Ptr<Vtep> GetVtep(uint32_t h) const
    {
        return m_vteps[h];
    }

    /// \return number of hosts
    uint32_t GetHostCount() const
    {
        return m_vteps.size();
    }

  protected:
    void DoDispose() override;

  private:
    /// Router instances on the hosts of each router's segments (after the segments are built).
    void BuildRouters(const OverlayConfig& config);

    std::vector<Ptr<VirtualSwitch>> m_vswitches; //!< per host
    std::vector<Ptr<Vtep>> m_vteps;              //!< per host
    std::vector<Vm> m_vms;                       //!< all VMs
    std::vector<RouterInstance> m_routers;       //!< distributed router instances
    std::map<VmRef, uint32_t> m_vmIndex;         //!< name -> index in m_vms

    ObjectFactory m_vtepFactory{"ns3::Vtep"};                     //!< creates the VTEPs
    ObjectFactory m_virtualSwitchFactory{"ns3::VirtualSwitch"};   //!< creates the vswitches
    ObjectFactory m_uplinkSelectorFactory{"ns3::UplinkSelector"}; //!< creates the selectors
};

} // namespace ns3

#endif
