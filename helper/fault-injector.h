#ifndef OVERLAY_FABRIC_FAULT_INJECTOR_H
#define OVERLAY_FABRIC_FAULT_INJECTOR_H

#include "scenario-config.h"

#include "ns3/nstime.h"
#include "ns3/object.h"
#include "ns3/packet.h"
#include "ns3/traced-callback.h"

#include <optional>
#include <set>
#include <unordered_map>
#include <vector>

namespace ns3
{

class LeafSpineFabric;
class OverlayNetwork;

/**
 * \ingroup overlay-fabric
 * \brief Applies the scenario's faults to the fabric at their times and records the ground truth
 * that honest blame needs (DESIGN principle 6): which frames met each fault, and, for every uplink
 * status change the monitors report, which faults its evidence really crossed.
 *
 * A fault's element is the transmit side of the devices it acts on: both ends of a link for
 * link-down (the carrier is the link's), the ends of the chosen directions for silent-drop and
 * added-delay. While the fault is active, every frame such a device accepts onto the link
 * (WireTx) or loses to the fault itself (Drop with LINK_DOWN or SILENT_DROP) has met it:
 * - a data frame fires "FaultHit" (the flow ledger reads its FlowTag: that is how a fault's
 *   affected flows come from what the data saw, not from a topology guess);
 * - an uplink echo (ProbeTag) is remembered per (fault, echo stream) with the highest sequence
 *   number that met it, separately for requests and for looped-back replies.
 * When a monitor declares (host, tunnel, uplink) DOWN, the echoes that made it DOWN are those after
 * the highest one answered; the DOWN is on the path of fault k if one of those requests met k on
 * its way out (the monitored uplink and the fabric path behind it), and is due to the remote side
 * if only their replies met a fault. A DEGRADED is on the path of k if any request of the stream
 * met k. An active link-down k is also on the path of a DOWN whose stream crossed k's link while
 * it was healthy and has had no echo answered since (routing left its echoes without a path: they
 * die at a switch, not on the link). A DOWN whose unanswered requests met no fault is a false
 * positive. While a link-down is not active, data frames its devices accept fire "ElementCrossed",
 * so that the ledger knows which flows were on its path when it began (echo requests are
 * remembered for the same reason). Only frames on the devices
 * of the scenario's faults are looked at, so the cost is nil elsewhere.
 */
class FaultInjector : public Object
{
  public:
    /// When one fault started, ended and was routed around, in simulated time.
    struct Timeline
    {
        Time at;                             //!< fault applied
        std::optional<Time> end;             //!< fault removed
        std::optional<Time> routesConverged; //!< fabric-wide routes recomputed after a link-down
    };

    /// What a monitor said about one echo stream.
    enum class Status
    {
        DOWN,        //!< no reply for the detection time
        UP,          //!< replies again
        DEGRADED,    //!< over a QoS threshold (seed 000, paragraph 0061)
        NOT_DEGRADED //!< under it again
    };

    /// One status change of one echo stream, judged against the faults.
    struct StatusChange
    {
        Time at;                           //!< when the monitor changed it
        uint32_t host;                     //!< monitoring host
        uint32_t tunnel;                   //!< its tunnel index
        uint32_t uplink;                   //!< uplink index
        uint32_t path;                     //!< its echo stream (0: the seed's)
        Status status;                     //!< new status
        std::vector<uint32_t> onPath;      //!< DOWN / DEGRADED: faults its evidence met going out
        std::vector<uint32_t> onReplyPath; //!< DOWN / DEGRADED: faults only its replies met

        /// \return whether it is a DOWN or a DEGRADED: a detection if a fault is on its path
        bool IsAlarm() const
        {
            return status == Status::DOWN || status == Status::DEGRADED;
        }
    };

    /// A host changed its usable uplinks, its active one, or (path re-selection) the live paths
    /// of one of its uplinks.
    struct UplinkChoiceChange
    {
        Time at;       //!< when
        uint32_t host; //!< which host
    };

    static TypeId GetTypeId();

    /**
     * \brief Schedule every fault and connect the traces that observe it.
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

    /// \return every uplink status change reported, in time order
    const std::vector<StatusChange>& GetStatusChanges() const
    {
        return m_statusChanges;
    }

    /// \return every change of a host's uplink choice, in time order
    const std::vector<UplinkChoiceChange>& GetUplinkChoiceChanges() const
    {
        return m_choiceChanges;
    }

    /**
     * \brief An uplink monitor changed the status of one of its echo streams.
     *
     * The evidence of a DOWN is the echoes after the highest one answered; that of a DEGRADED
     * (a slow or lossy path) is every echo the stream sent while a fault was active.
     * \param host the monitoring host
     * \param vtep its VTEP address (host byte order), as in the echoes' ProbeTag
     * \param tunnel tunnel index
     * \param uplink uplink index
     * \param path the uplink's echo stream (0: the seed's)
     * \param status the new status
     * \param highestReplied the highest echo sequence answered on it (-1: none)
     */
    void UplinkStatusChanged(uint32_t host,
                             uint32_t vtep,
                             uint32_t tunnel,
                             uint32_t uplink,
                             uint32_t path,
                             Status status,
                             int64_t highestReplied);

    /// Signature of "FaultStarted" and "FaultEnded": index of the fault in the scenario.
    typedef void (*FaultTracedCallback)(uint32_t index);
    /// Signature of "ElementCrossed": fault index, the frame.
    typedef void (*ElementCrossedTracedCallback)(uint32_t index, Ptr<const Packet> frame);
    /// Signature of "FaultHit": fault index, the frame, whether the fault dropped it.
    typedef void (*FaultHitTracedCallback)(uint32_t index, Ptr<const Packet> frame, bool dropped);

  protected:
    void DoDispose() override;

  private:
    void Apply(uint32_t index, bool active);
    void FrameAtFault(uint32_t index, Ptr<const Packet> frame, bool dropped);
    /// \brief Fault \p index (a nic-encap-failure) starts (\p failed) or ends.
    void FailNic(uint32_t index, bool failed);
    void UplinkChoiceChanged(uint32_t host);
    void RoutesConverged(Time when);

    /// Highest echo sequence that met a fault, by ProbeTag stream key.
    using ProbeHits = std::unordered_map<uint64_t, uint64_t>;

    std::vector<FaultConfig> m_faults;         //!< in scenario order
    std::vector<Timeline> m_timelines;         //!< per fault
    std::vector<bool> m_active;                //!< per fault: applied and not removed
    std::vector<bool> m_started;               //!< per fault: applied (maybe removed since)
    std::vector<ProbeHits> m_requestHits;      //!< per fault: echo requests that met it
    std::vector<ProbeHits> m_replyHits;        //!< per fault: echo replies that met it
    std::vector<ProbeHits> m_healthyRequests;  //!< per link-down: echo requests on it while up
    std::vector<StatusChange> m_statusChanges; //!< in time order
    std::vector<UplinkChoiceChange> m_choiceChanges; //!< in time order
    Ptr<LeafSpineFabric> m_fabric;                   //!< the underlay
    Ptr<OverlayNetwork> m_overlay;                   //!< hosts and their NICs
    std::set<uint32_t> m_nicTraced; //!< nic-encap-failure faults whose NIC's drops are traced
    TracedCallback<uint32_t> m_faultStarted;                      //!< fires when a fault is applied
    TracedCallback<uint32_t> m_faultEnded;                        //!< fires when a fault is removed
    TracedCallback<uint32_t, Ptr<const Packet>, bool> m_faultHit; //!< a frame met a fault
    TracedCallback<uint32_t, Ptr<const Packet>> m_elementCrossed; //!< crossed an inactive one
};

} // namespace ns3

#endif
