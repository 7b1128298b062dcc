#ifndef OVERLAY_FABRIC_FLOW_TAG_H
#define OVERLAY_FABRIC_FLOW_TAG_H

#include "ns3/nstime.h"
#include "ns3/tag.h"

namespace ns3
{

/**
 * \ingroup overlay-fabric
 * \brief Packet tag that follows an inner packet of a measured flow through the overlay.
 *
 * The source virtual switch adds it when a packet of a registered flow leaves its VM; it survives
 * encapsulation (packet tags are not header bytes, so nothing on the wire changes). Traces read it
 * to attribute drops, wire occupancy and deliveries to the flow.
 */
class FlowTag : public Tag
{
  public:
    FlowTag() = default;
    /**
     * \param flowId index of the flow in the scenario's traffic list
     * \param seq per-flow sequence number given at the source vNIC (0, 1, 2...)
     * \param sentAt time the packet left the source VM
     */
    FlowTag(uint32_t flowId, uint32_t seq, Time sentAt);

    static TypeId GetTypeId();
    TypeId GetInstanceTypeId() const override;
    uint32_t GetSerializedSize() const override;
    void Serialize(TagBuffer buf) const override;
    void Deserialize(TagBuffer buf) override;
    void Print(std::ostream& os) const override;

    uint32_t GetFlowId() const
    {
        return m_flowId;
    }

    uint32_t GetSeq() const
    {
        return m_seq;
    }

    Time GetSentAt() const
    {
        return TimeStep(m_sentAtTs);
    }

  private:
    uint32_t m_flowId{0};  //!< flow index
    uint32_t m_seq{0};     //!< per-flow sequence number
    int64_t m_sentAtTs{0}; //!< send time in simulator time steps
};

} // namespace ns3

#endif
