#ifndef OVERLAY_FABRIC_PROBE_TAG_H
#define OVERLAY_FABRIC_PROBE_TAG_H

#include "ns3/tag.h"

#include <cstdint>

namespace ns3
{

/**
 * \ingroup overlay-fabric
 * \brief Packet tag on an uplink echo (seed 000, paragraph 0046): which echo stream it belongs
 * to and whether it is still the request or already the looped-back reply.
 *
 * The sending monitor adds it; the remote VTEP's loopback marks it a reply. Like FlowTag it is
 * not header bytes: nothing on the wire changes. It lets a trace sink at a faulted link tell
 * which echo streams' probes crossed the fault, and in which direction, so that an uplink DOWN can
 * be judged against what really happened (true detection, or a false positive).
 */
class ProbeTag : public Tag
{
  public:
    ProbeTag() = default;
    /**
     * \param vtep the sending VTEP's address (host byte order)
     * \param tunnel the sender's tunnel index
     * \param uplink the uplink the echo monitors
     * \param path which of the uplink's echo streams (0: the seed's one per uplink; more with
     * echoes that cover the ECMP paths, UplinkMonitor::SetEchoPorts)
     * \param seq the echo's sequence number on that stream
     */
    ProbeTag(uint32_t vtep, uint32_t tunnel, uint8_t uplink, uint8_t path, uint64_t seq);

    static TypeId GetTypeId();
    TypeId GetInstanceTypeId() const override;
    uint32_t GetSerializedSize() const override;
    void Serialize(TagBuffer buf) const override;
    void Deserialize(TagBuffer buf) override;
    void Print(std::ostream& os) const override;

    /// \return one number per echo stream: (VTEP address, tunnel, uplink, path)
    static uint64_t StreamKey(uint32_t vtep, uint32_t tunnel, uint8_t uplink, uint8_t path)
    {
        return (static_cast<uint64_t>(vtep) << 32) | (static_cast<uint64_t>(tunnel) << 16) |
               (static_cast<uint64_t>(path) << 8) | uplink;
    }

    /// \return this echo's stream key
    uint64_t GetStreamKey() const
    {
        return StreamKey(m_vtep, m_tunnel, m_uplink, m_path);
    }

    uint64_t GetSeq() const
    {
        return m_seq;
    }

    /// \return whether the remote VTEP has looped the echo back
    bool IsReply() const
    {
        return m_reply;
    }

    /// \brief The remote VTEP looped it back.
    void SetReply()
    {
        m_reply = true;
    }

  private:
    uint32_t m_vtep{0};   //!< sending VTEP
    uint32_t m_tunnel{0}; //!< sender's tunnel index (below 2^16)
    uint8_t m_uplink{0};  //!< monitored uplink
    uint8_t m_path{0};    //!< echo stream of that uplink
    uint64_t m_seq{0};    //!< echo sequence number
    bool m_reply{false};  //!< looped back
};

} // namespace ns3

#endif
