#ifndef OVERLAY_FABRIC_OVERLAY_HELPER_H
#define OVERLAY_FABRIC_OVERLAY_HELPER_H

#include "fabric-helper.h"
#include "overlay-network.h"
#include "scenario-config.h"
#include "vtep.h"

#include "ns3/attribute.h"
#include "ns3/node-container.h"
#include "ns3/object-factory.h"
#include "ns3/ptr.h"

#include <string>
#include <vector>

namespace ns3
{

class LeafSpineFabric;

/**
 * \ingroup overlay-fabric
 * \brief What OverlayHelper::Install built.
 */
struct OverlayContainer
{
    Ptr<OverlayNetwork> overlay;  //!< the overlay; GetVm("host3/vm0") gives a VM's node and IP
    std::vector<Ptr<Vtep>> vteps; //!< host h's VTEP is vteps[h] (virtual switch and selector on it)
    NodeContainer vms;            //!< every VM node, segment by segment in the order given
};

/**
 * \ingroup overlay-fabric
 * \brief Build the overlay (OverlayNetwork) on a fabric the ns-3 way: per host a VTEP with its
 * uplink selector and a virtual switch, per VM a node with an IPv4 stack and a vNIC.
 *
 * One ObjectFactory per created type: ns3::Vtep, ns3::VirtualSwitch, ns3::UplinkSelector. The
 * attributes of these set here, or their defaults (Config::SetDefault, the command line), decide
 * the overlay: Vtep::Encapsulation, UplinkSelector::Policy and UplinkSelector::PreferredUplink
 * become the OverlayConfig the network is built from, the others go to every object created.
 * Addressing is OverlayNetwork's: segment s is 10.(128+s).0.0/16, its j-th VM 10.(128+s).0.(j+1).
 *
 * \code
 *   OverlayHelper overlayHelper;
 *   overlayHelper.SetUplinkSelectorAttribute("Policy", StringValue("active-standby"));
 *   OverlayContainer overlay =
 *       overlayHelper.Install(fabric, {SegmentConfig{5000, {"host0/vm0", "host5/vm0"}}});
 * \endcode
 */
class OverlayHelper
{
  public:
    OverlayHelper();

    /**
     * \brief Set an attribute of every VTEP.
     * \param name attribute name
     * \param value attribute value
     */
    void SetVtepAttribute(const std::string& name, const AttributeValue& value);

    /**
     * \brief Set an attribute of every virtual switch.
     * \param name attribute name
     * \param value attribute value
     */
    void SetVirtualSwitchAttribute(const std::string& name, const AttributeValue& value);

    /**
     * \brief Set an attribute of every uplink selector.
     * \param name attribute name
     * \param value attribute value
     */
    void SetUplinkSelectorAttribute(const std::string& name, const AttributeValue& value);

    /**
     * \param segments the logical switches
     * \return the configuration Install builds: encapsulation, policy and preferred uplink from
     * the attributes, and the segments
     */
    OverlayConfig GetConfig(const std::vector<SegmentConfig>& segments) const;

    /**
     * \brief Build the overlay on a fabric. A policy other than carrier-only and flow-hash
     * follows the uplink monitors' metrics: install them (UplinkMonitorHelper) on the VTEPs.
     * \param fabric the underlay
     * \param segments the logical switches: a VNI and its VMs "hostN/vmM", each VM on one
     * segment (throws ConfigError naming "overlay.segments[i]..." if not)
     * \return the overlay, its VTEPs and VM nodes
     */
    OverlayContainer Install(Ptr<LeafSpineFabric> fabric,
                             const std::vector<SegmentConfig>& segments) const;

    /**
     * \brief Build the overlay on what FabricHelper::Install returned (see above).
     * \param fabric the underlay
     * \param segments the logical switches
     * \return the overlay, its VTEPs and VM nodes
     */
    OverlayContainer Install(const FabricContainer& fabric,
                             const std::vector<SegmentConfig>& segments) const;

  private:
    ObjectFactory m_vtepFactory;           //!< ns3::Vtep
    ObjectFactory m_virtualSwitchFactory;  //!< ns3::VirtualSwitch
    ObjectFactory m_uplinkSelectorFactory; //!< ns3::UplinkSelector
    Ptr<AttributeValue> m_encapsulation;   //!< Vtep::Encapsulation if set here
    Ptr<AttributeValue> m_policy;          //!< UplinkSelector::Policy if set here
    Ptr<AttributeValue> m_preferredUplink; //!< UplinkSelector::PreferredUplink if set here
    Ptr<AttributeValue> m_pathReselection; //!< UplinkSelector::PathReselection if set here
};

} // namespace ns3

#endif
