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
 * each stage of the reaction happened (DESIGN principle 6): the fault; its detection (a carrier
 * loss is seen by both ends of the link at once; anything else only when an uplink monitor
 * declares an uplink DOWN); the first change of any host's uplink choice (failover); and the
 * fabric's routing convergence. Each reaction is credited to the latest active fault started
 * before it that has none of that kind yet; for a fault on a host's uplink only that host's
 * reactions count (other hosts may react too, e.g. when the faulty host loops their echoes back
 * on the faulty uplink, but that is not the failover of this fault). Without monitoring, a silent
 * drop is detected by nobody.
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

    /**
     * \brief An uplink monitor changed an uplink's status (trace sink; DOWN counts as detection).
     * \param host the monitoring host
     * \param up the new status
     */
    void UplinkStatusChanged(uint32_t host, bool up);

    /// Signature of "FaultStarted": index of the fault in the scenario.
    typedef void (*FaultTracedCallback)(uint32_t index);

  protected:
    void DoDispose() override;

  private:
    void Apply(uint32_t index, bool active);
    void UplinkChoiceChanged(uint32_t host);
    /// \return whether a reaction on \p host may be credited to fault \p index
    bool Concerns(uint32_t index, uint32_t host) const;
    void RoutesConverged(Time when);

    std::vector<FaultConfig> m_faults;       //!< in scenario order
    std::vector<uint32_t> m_order;           //!< fault indices sorted by start time
    std::vector<Timeline> m_timelines;       //!< per fault
    std::vector<int64_t> m_hostOfFault;      //!< host of a hostN/uplinkK target, else -1
    Ptr<LeafSpineFabric> m_fabric;           //!< the underlay
    uint32_t m_started{0};                   //!< faults started so far (in m_order)
    TracedCallback<uint32_t> m_faultStarted; //!< fires when a fault is applied
};

} // namespace ns3

#endif
