#ifndef OVERLAY_FABRIC_UPLINK_MONITOR_HELPER_H
#define OVERLAY_FABRIC_UPLINK_MONITOR_HELPER_H

#include "overlay-helper.h"
#include "uplink-monitor.h"
#include "vtep.h"

#include "ns3/attribute.h"
#include "ns3/nstime.h"
#include "ns3/object-factory.h"
#include "ns3/ptr.h"

#include <cstdint>
#include <string>
#include <vector>

namespace ns3
{

/// The monitors UplinkMonitorHelper::Install created, in the order of the VTEPs.
using UplinkMonitorContainer = std::vector<Ptr<UplinkMonitor>>;

/**
 * \ingroup overlay-fabric
 * \brief Install uplink-aware tunnel monitoring (ns3::UplinkMonitor: a BFD session or S-BFD
 * initiator per tunnel and a per-uplink encapsulated echo) on VTEPs, the ns-3 way.
 *
 * Install after the overlay: a monitor watches the tunnels its VTEP has when it is installed,
 * and pushes the uplinks' status and metrics to the VTEP's uplink selector.
 *
 * \code
 *   UplinkMonitorHelper monitorHelper;
 *   monitorHelper.SetMonitorAttribute("Mode", StringValue("seamless"));
 *   monitorHelper.SetMonitorAttribute("TxInterval", TimeValue(MilliSeconds(50)));
 *   UplinkMonitorContainer monitors = monitorHelper.Install(overlay);
 *   monitorHelper.AssignStreams(monitors, 100);
 *   monitorHelper.Start(monitors, Seconds(0));
 * \endcode
 */
class UplinkMonitorHelper
{
  public:
    UplinkMonitorHelper();

    /**
     * \brief Set an attribute of every monitor created.
     * \param name attribute name
     * \param value attribute value
     */
    void SetMonitorAttribute(const std::string& name, const AttributeValue& value);

    /**
     * \brief Monitor one VTEP's tunnels.
     * \param vtep the VTEP (uplinks, selector and tunnels in place)
     * \return its monitor
     */
    Ptr<UplinkMonitor> Install(Ptr<Vtep> vtep) const;

    /**
     * \brief Monitor every VTEP's tunnels.
     * \param vteps the VTEPs
     * \return one monitor per VTEP, in the same order
     */
    UplinkMonitorContainer Install(const std::vector<Ptr<Vtep>>& vteps) const;

    /**
     * \brief Monitor every VTEP of an overlay.
     * \param overlay what OverlayHelper::Install returned
     * \return one monitor per host, host h's at index h
     */
    UplinkMonitorContainer Install(const OverlayContainer& overlay) const;

    /**
     * \brief Assign fixed random streams to the monitors' jitter variables.
     * \param monitors the monitors
     * \param stream first stream index
     * \return the number of streams used
     */
    int64_t AssignStreams(const UplinkMonitorContainer& monitors, int64_t stream) const;

    /**
     * \brief Start the monitors' sessions (or echoes, in seamless mode) at a time.
     * \param monitors the monitors
     * \param at absolute simulation time, not before now
     */
    void Start(const UplinkMonitorContainer& monitors, Time at = Seconds(0)) const;

  private:
    ObjectFactory m_factory; //!< ns3::UplinkMonitor
};

} // namespace ns3

#endif
