#ifndef OVERLAY_FABRIC_FLOW_LEDGER_H
#define OVERLAY_FABRIC_FLOW_LEDGER_H

#include "drop-reason.h"

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
 * Per-packet work is O(1): vectors indexed by flow id, no maps, no allocation.
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
        /// \return whether sent = delivered + dropped + in flight (nothing vanished)
        bool AccountingHolds() const;
    };

    /// Loss and recovery of one flow during one fault.
    struct FlowFaultRecord
    {
        uint64_t lost{0};                //!< packets dropped while this fault was the latest
        Time lastDropSentAt;             //!< send time of the last of them
        std::optional<Time> recoveredAt; //!< first delivery of a packet sent after the last drop
    };

    /**
     * \param flows number of measured flows
     * \param duration simulated time (for the bins)
     * \param bin width of a goodput bin
     */
    FlowLedger(uint32_t flows, Time duration, Time bin);

    /// \brief A fault starts now; later drops are attributed to it (faults start in index order).
    void StartFault(uint32_t faultIndex);
    /// \brief Size the per-fault records: call once, before the run, with the scenario's faults.
    void SetFaultCount(uint32_t faults);

    // Trace sinks.
    void FlowTx(Ptr<const Packet> packet);
    void FlowRx(Ptr<const Packet> packet);
    void Drop(Ptr<const Packet> packet, DropReason reason);
    void WireTx(Ptr<const Packet> packet);
    void WireRx(Ptr<const Packet> packet);
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
    std::vector<uint32_t> m_pendingFault; //!< per flow: fault awaiting recovery, or NONE
    int64_t m_currentFault{-1};           //!< latest started fault
    Time m_bin;                           //!< goodput bin
    static constexpr uint32_t NONE = UINT32_MAX;
};

} // namespace ns3

#endif
