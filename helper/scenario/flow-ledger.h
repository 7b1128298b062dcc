#ifndef OVERLAY_FABRIC_FLOW_LEDGER_H
#define OVERLAY_FABRIC_FLOW_LEDGER_H

#include "drop-reason.h"
#include "flow-tag.h"

#include "ns3/callback.h"
#include "ns3/nstime.h"
#include "ns3/packet.h"

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace ns3
{

/**
 * \ingroup overlay-fabric
 * \brief Per-flow and per-fault accounting computed only from trace sources.
 *
 * Connected by the scenario runner to the virtual switches (FlowTx, FlowRx, Drop), VTEPs (Drop),
 * fabric devices (WireTx, WireRx, Drop), switches (Drop) and sink applications (Rx). Packets of a
 * measured flow carry a FlowTag; every other packet still counts in the totals by drop reason.
 *
 * The in-flight figure is measured, not derived: it is the number of a flow's frames that entered
 * an underlay link (WireTx) and have not left it (WireRx). So "sent = delivered + dropped +
 * in flight" is a real check: a packet lost without a Drop report, or reported twice, breaks it.
 * Per-packet work is O(1): vectors indexed by flow id, no maps, no allocation (a delivery or a
 * drop also takes one step per fault the flow awaits recovery from, usually none).
 */
class FlowLedger
{
  public:
    /// Counters of one flow.
    struct Flow
    {
        uint64_t sent{0};      //!< packets that left the source VM (FlowTx)
        uint64_t delivered{0}; //!< packets handed to the destination vNIC (FlowRx)
        int64_t onWire{0};     //!< packets currently on an underlay link
        int64_t inService{0};  //!< packets held inside a service VM or waiting for a host CPU
        std::array<uint64_t, static_cast<size_t>(DropReason::COUNT)> dropped{}; //!< by reason
        uint64_t reordered{0};  //!< delivered with a sequence lower than one delivered before
        int64_t highestSeq{-1}; //!< highest sequence delivered
        uint64_t appRxBytes{0}; //!< bytes received by the sink application
        std::vector<uint64_t> rxBytesPerBin; //!< sink bytes per statistics bin
        std::optional<Time> firstDelivery;   //!< first FlowRx
        std::optional<Time> lastDelivery;    //!< last FlowRx
        Time minDelay{Time::Max()};          //!< smallest one-way delay, VM to vNIC
        Time maxDelay{0};                    //!< largest one-way delay
        int64_t delaySumTs{0};               //!< sum of one-way delays in time steps (for the mean)
        uint64_t DroppedTotal() const;

        /// \return packets in flight: on an underlay link, held inside a service VM or waiting
        /// for a host CPU core
        int64_t InFlight() const
        {
            return onWire + inService;
        }

        /// \return whether sent = delivered + dropped + in flight (nothing vanished)
        bool AccountingHolds() const;
    };

    /**
     * \brief What one fault did to one flow, from the frames that met it (FaultInjector's
     * "FaultHit"): the flow is affected once one of its packets met the fault.
     *
     * A link-down also hits what routing can no longer carry: a flow on the link's path when the
     * carrier went (it crossed the link, and no later packet of it was delivered before) is hit by
     * each of its packets dropped anywhere while the fault lasts, until one of its packets is
     * delivered on a path avoiding the link (so a flow that routing moves at once is not hit, and
     * one whose packets die at a switch left without a route is).
     *
     * From its first packet that met the fault, the flow awaits recovery: the first delivery of a
     * packet with a higher sequence number than every packet that met the fault -- a packet that
     * took a path avoiding it. A later packet meeting the fault again opens a new wait. Packets
     * of the flow dropped anywhere while it waits are lost to the fault (a packet lost while the
     * flow awaits recovery from two faults counts for both).
     */
    struct FlowFaultRecord
    {
        int64_t lastCrossedSeq{-1};      //!< highest sequence on the link while it was healthy
        bool hit{false};                 //!< a packet of the flow met the fault
        Time firstHitAt;                 //!< when the first did
        uint32_t highestHitSeq{0};       //!< highest sequence number that met it
        uint64_t droppedByFault{0};      //!< of the flow's packets, those the fault itself dropped
        uint64_t lostClosed{0};          //!< packets lost in waits that ended in a recovery
        uint64_t dropsAtWaitStart{0};    //!< the flow's drop count when the open wait began
        bool waiting{false};             //!< awaiting recovery now
        std::optional<Time> recoveredAt; //!< delivery that ended the last wait; null while waiting
        Time recoveredSentAt;            //!< that packet's send time
    };

    /**
     * \param flows number of measured flows
     * \param duration simulated time (for the bins)
     * \param bin width of a goodput bin
     */
    FlowLedger(uint32_t flows, Time duration, Time bin);

    /// \brief Size the per-fault records: call once, before the run, with the scenario's faults.
    void SetFaultCount(uint32_t faults);
    /**
     * \brief Trace sink of FaultInjector's "FaultHit": a frame met fault \p fault.
     *
     * Connected after Drop() to the same devices, so that a frame the fault drops reaches Drop()
     * first (the order ns-3 trace sinks are called in is the order they were connected in).
     */
    void FaultHit(uint32_t fault, Ptr<const Packet> frame, bool dropped);
    /// \brief Trace sink of FaultInjector's "ElementCrossed".
    void ElementCrossed(uint32_t fault, Ptr<const Packet> frame);
    /**
     * \brief Fault \p fault starts now; \p routed: it is a link-down, which also hits the flows on
     * the link's path by their drops elsewhere.
     */
    void FaultStarted(uint32_t fault, bool routed);
    /// \brief Fault \p fault was removed now.
    void FaultEnded(uint32_t fault);

    // Trace sinks.
    void FlowTx(Ptr<const Packet> packet);
    void FlowRx(Ptr<const Packet> packet);
    void Drop(Ptr<const Packet> packet, DropReason reason);
    void WireTx(Ptr<const Packet> packet);
    void WireRx(Ptr<const Packet> packet);
    /// \brief Trace sink of ServiceFunction's "Hold" and Vtep's "CpuHold": a packet enters (\p
    /// start) or leaves an SVM's delay or a host CPU's queue.
    void ServiceHold(Ptr<const Packet> packet, bool start);
    /// \brief Sink application of flow \p flow received \p bytes now.
    void AppRx(uint32_t flow, uint32_t bytes);

    const Flow& GetFlow(uint32_t flow) const
    {
        return m_flows[flow];
    }

    uint32_t GetFlowCount() const
    {
        return m_flows.size();
    }

    /// Receives the drops of packets that are no measured flow's (a mirror copy's...).
    using OtherDropSink = Callback<void, Ptr<const Packet>, DropReason>;

    /// \param sink called for each drop of a packet without a FlowTag (mirrors module)
    void SetOtherDropSink(OtherDropSink sink)
    {
        m_otherDrops = sink;
    }

    /// \param sink called for each drop of a measured flow's packet (trace module)
    void SetFlowDropSink(OtherDropSink sink)
    {
        m_flowDrops = sink;
    }

    /// \return drops of all packets (measured or not) by reason
    const std::array<uint64_t, static_cast<size_t>(DropReason::COUNT)>& GetAllDrops() const
    {
        return m_allDrops;
    }

    /// \return the record of (fault, flow)
    const FlowFaultRecord& GetFaultRecord(uint32_t fault, uint32_t flow) const
    {
        return m_faultRecords[fault][flow];
    }

    /// \return packets of \p flow lost to \p fault so far, the open wait included
    uint64_t GetLostToFault(uint32_t fault, uint32_t flow) const;

    Time GetBin() const
    {
        return m_bin;
    }

    /// \return the number of statistics bins of a run of \p duration: duration / bin, rounded up
    /// (the last bin may be partial)
    static uint64_t BinCount(Time duration, Time bin)
    {
        return static_cast<uint64_t>((duration.GetTimeStep() + bin.GetTimeStep() - 1) /
                                     bin.GetTimeStep());
    }

  private:
    std::vector<Flow> m_flows;                                                 //!< by flow id
    std::array<uint64_t, static_cast<size_t>(DropReason::COUNT)> m_allDrops{}; //!< all packets
    std::vector<std::vector<FlowFaultRecord>> m_faultRecords;                  //!< [fault][flow]
    /**
     * \brief Flow \p flow met \p fault with its packet \p tag.
     * \param counted the packet is being dropped and Drop() has counted it already
     * \param byFault the fault itself dropped it
     */
    void Hit(uint32_t fault, uint32_t flow, const FlowTag& tag, bool counted, bool byFault);

    std::vector<std::vector<uint32_t>> m_waiting; //!< per flow: faults it awaits recovery from
    std::vector<std::vector<uint32_t>> m_onPath;  //!< per flow: active link-downs it was on
    uint64_t m_lastDropUid{UINT64_MAX};           //!< uid of the last packet Drop() counted
    OtherDropSink m_otherDrops;                   //!< drops of packets of no measured flow
    OtherDropSink m_flowDrops;                    //!< drops of measured flows' packets (trace)
    Time m_bin;                                   //!< goodput bin
};

} // namespace ns3

#endif
