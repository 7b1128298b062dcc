#ifndef OVERLAY_FABRIC_FABRIC_HELPER_H
#define OVERLAY_FABRIC_FABRIC_HELPER_H

#include "leaf-spine-topology.h"
#include "scenario-config.h"

#include "ns3/attribute.h"
#include "ns3/net-device-container.h"
#include "ns3/node-container.h"
#include "ns3/object-factory.h"
#include "ns3/ptr.h"

#include <cstdint>
#include <string>

namespace ns3
{

/**
 * \ingroup overlay-fabric
 * \brief What FabricHelper::Install built.
 */
struct FabricContainer
{
    Ptr<LeafSpineFabric> fabric; //!< the underlay: switches, links, routing, fault knobs
    NodeContainer hosts;         //!< host h is hosts.Get(h)
    NetDeviceContainer uplinks;  //!< host uplinks, host-major: host h's uplink k is Get(h * U + k)
    NetDeviceContainer devices;  //!< every fabric device, by link index, first-named end first
};

/**
 * \ingroup overlay-fabric
 * \brief Build a leaf-spine underlay (LeafSpineFabric) the ns-3 way.
 *
 * One ObjectFactory per created type: ns3::FabricSwitch, ns3::FabricNetDevice,
 * ns3::FabricChannel and ns3::RoutingController. Attributes the fabric decides itself are kept
 * with the topology instead of in the factories, and applied to each object when it is created:
 * a device's DataRate, Mtu and QueueBytes and a channel's Delay are per tier (access host-leaf,
 * core leaf-spine; the FabricConfig defaults unless set here, for both tiers or one), a switch's
 * EcmpSeed comes from the seed. A device's Layer1Overhead is the same on every link: set here
 * (SetDeviceAttribute("Layer1Overhead", ...)), or its attribute's default, which
 * Config::SetDefault reaches. The routing controller's ConvergenceDelay is its attribute's
 * value: set here, or its default, which Config::SetDefault and the command line
 * (--ns3::RoutingController::ConvergenceDelay=50ms) reach.
 *
 * \code
 *   FabricHelper fabricHelper;
 *   fabricHelper.SetTopology(2, 2, 4, 2);
 *   fabricHelper.SetDeviceAttribute(FabricLinkTier::ACCESS, "DataRate", StringValue("10Gbps"));
 *   fabricHelper.SetRoutingAttribute("ConvergenceDelay", TimeValue(MilliSeconds(50)));
 *   FabricContainer fabric = fabricHelper.Install();
 *   fabricHelper.AssignStreams(fabric, 0);
 * \endcode
 */
class FabricHelper
{
  public:
    /// Two spines, two racks of four hosts with two uplinks each, FabricConfig's link tiers.
    FabricHelper();

    /**
     * \brief Set the shape of the fabric (checked by Install).
     * \param spines number of spine switches (>= 1)
     * \param racks number of racks (>= 1)
     * \param hostsPerRack hypervisor hosts per rack (>= 1)
     * \param uplinksPerHost uplinks per host, each to a different leaf of its rack (1 to
     * leavesPerRack)
     * \param leavesPerRack leaves of each rack (1 to 8; last, so that calls written for racks of
     * two leaves keep their meaning)
     */
    void SetTopology(uint32_t spines,
                     uint32_t racks,
                     uint32_t hostsPerRack,
                     uint32_t uplinksPerHost,
                     uint32_t leavesPerRack = 2);

    /**
     * \brief Set an attribute of every switch (not EcmpSeed: derived from the seed).
     * \param name attribute name
     * \param value attribute value
     */
    void SetSwitchAttribute(const std::string& name, const AttributeValue& value);

    /**
     * \brief Set an attribute of every device, both tiers.
     * \param name attribute name
     * \param value attribute value
     */
    void SetDeviceAttribute(const std::string& name, const AttributeValue& value);

    /**
     * \brief Set a per-tier attribute of the devices of one tier.
     * \param tier ACCESS (host-leaf) or CORE (leaf-spine)
     * \param name DataRate, Mtu or QueueBytes
     * \param value attribute value
     */
    void SetDeviceAttribute(FabricLinkTier tier,
                            const std::string& name,
                            const AttributeValue& value);

    /**
     * \brief Set an attribute of every channel, both tiers.
     * \param name attribute name
     * \param value attribute value
     */
    void SetChannelAttribute(const std::string& name, const AttributeValue& value);

    /**
     * \brief Set a per-tier attribute of the channels of one tier.
     * \param tier ACCESS (host-leaf) or CORE (leaf-spine)
     * \param name Delay
     * \param value attribute value
     */
    void SetChannelAttribute(FabricLinkTier tier,
                             const std::string& name,
                             const AttributeValue& value);

    /**
     * \brief Set an attribute of the routing controller (ConvergenceDelay).
     * \param name attribute name
     * \param value attribute value
     */
    void SetRoutingAttribute(const std::string& name, const AttributeValue& value);

    /**
     * \return the configuration Install would build now: the topology, the tiers,
     * routingConvergence from the routing controller's ConvergenceDelay and layer1Overhead
     * from the devices' Layer1Overhead
     */
    FabricConfig GetConfig() const;

    /**
     * \brief Build the fabric, with the ns-3 run number (RngSeedManager::GetRun(), --RngRun) as
     * the seed of the switches' ECMP hashes, as the scenario runner does.
     * \return the fabric and its containers (throws ConfigError naming a bad field)
     */
    FabricContainer Install() const;

    /**
     * \brief Build the fabric.
     * \param seed seed the switches' ECMP seeds are derived from
     * \return the fabric and its containers (throws ConfigError naming a bad field)
     */
    FabricContainer Install(uint32_t seed) const;

    /**
     * \brief Assign fixed random streams to the fabric's random variables (the devices'
     * silent-drop variables).
     * \param fabric what Install returned
     * \param stream first stream index
     * \return the number of streams used
     */
    int64_t AssignStreams(const FabricContainer& fabric, int64_t stream) const;

  private:
    /**
     * \param tier a tier
     * \return its part of m_config
     */
    LinkTierConfig& Tier(FabricLinkTier tier);

    /**
     * \brief Keep a per-tier device or channel attribute in m_config.
     * \param tid ns3::FabricNetDevice or ns3::FabricChannel
     * \param tier the tier
     * \param name attribute name
     * \param value attribute value
     * \return false if the attribute is not a per-tier one
     */
    bool SetTierAttribute(TypeId tid,
                          FabricLinkTier tier,
                          const std::string& name,
                          const AttributeValue& value);

    FabricConfig m_config;             //!< topology and tiers (routingConvergence unused)
    ObjectFactory m_switchFactory;     //!< ns3::FabricSwitch
    ObjectFactory m_deviceFactory;     //!< ns3::FabricNetDevice
    ObjectFactory m_channelFactory;    //!< ns3::FabricChannel
    ObjectFactory m_routingFactory;    //!< ns3::RoutingController
    Ptr<AttributeValue> m_convergence; //!< ConvergenceDelay if set here, else null
    Ptr<AttributeValue> m_layer1;      //!< devices' Layer1Overhead if set here, else null
};

} // namespace ns3

#endif
