#ifndef OVERLAY_FABRIC_FAULT_INJECTOR_H
#define OVERLAY_FABRIC_FAULT_INJECTOR_H

#include "scenario-config.h"

#include "ns3/nstime.h"
#include "ns3/object.h"
#include "ns3/traced-callback.h"

#include <optional>
#include <vector>

namespace ns3
{

class LeafSpineFabric;
class OverlayNetwork;

/**
 * \ingroup overlay-fabric
 * \brief Applies the scenario's faults to the fabric at their times and records, per fault, when
 * each stage of the reaction happened (DESIGN principle 6): the fault, its detection (a carrier
 * loss seen by the host's uplink selector or by the switches at the link's ends), the host's
 * uplink switch, and the fabric's routing convergence. Silent drops are seen by nobody: their
 * detection stays empty until monitoring exists (issue 3).
 */
class FaultInjector : public Object
{
  public:
    /// What happened for one fault, in simulated time.
    struct Timeline
    {
        Time at;                             //!< fault applied
        std::optional<Time> end;             //!< fault removed
        std::optional<Time> detected;        //!< first element that noticed it
        std::optional<Time> uplinkSwitched;  //!< host changed its usable uplinks
        std::optional<Time> routesConverged; //!< fabric-wide routes recomputed after it
    };

    static TypeId GetTypeId();

    /**
     * \brief Schedule every fault and connect the traces that time the reactions.
     * \param faults validated faults
     * \param fabric the underlay
     * \param overlay the overlay (uplink selectors of the hosts)
     */
    void Install(const std::vector<FaultConfig>& faults,
                 Ptr<LeafSpineFabric> fabric,
                 Ptr<OverlayNetwork> overlay);

    /// \return the timeline of every fault, in scenario order
    const std::vector<Timeline>& GetTimelines() const
    {
        return m_timelines;
    }

    /// Signature of "FaultStarted": index of the fault in the scenario.
    typedef void (*FaultTracedCallback)(uint32_t index);

  protected:
    void DoDispose() override;

  private:
    void Apply(uint32_t index, bool active);
    void HostUplinksChanged(uint32_t host, uint64_t usableMask);
    void RoutesConverged(Time when);

    /// \return the latest started fault, or -1
    int64_t LatestFault() const
    {
        return m_started - 1;
    }

    std::vector<FaultConfig> m_faults;       //!< in scenario order
    std::vector<uint32_t> m_order;           //!< fault indices sorted by start time
    std::vector<Timeline> m_timelines;       //!< per fault
    std::vector<int64_t> m_hostOfFault;      //!< host of a hostN/uplinkK target, or -1
    Ptr<LeafSpineFabric> m_fabric;           //!< the underlay
    uint32_t m_started{0};                   //!< faults started so far (in m_order)
    TracedCallback<uint32_t> m_faultStarted; //!< fires when a fault is applied
};

} // namespace ns3

#endif
