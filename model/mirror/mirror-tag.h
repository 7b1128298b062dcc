#ifndef OVERLAY_FABRIC_MIRROR_TAG_H
#define OVERLAY_FABRIC_MIRROR_TAG_H

#include "ns3/nstime.h"
#include "ns3/tag.h"

#include <cstdint>

namespace ns3
{

/**
 * \ingroup overlay-fabric
 * \brief Packet tag on a mirrored packet: the metadata a mirror filter marks its clone with (seed
 * 003 paragraphs 0045, 0054: "marks the packet metadata to indicate the packet is intended to
 * mirror to the mirroring overlay network").
 *
 * The clone's mirror VNI is the session's (the list's worker encapsulates with it); the tag says
 * which session and which mirrored-packet list made the clone, the clone's sequence number on
 * that list (0, 1, 2, ... in the order the filter cloned), when it was cloned, from which
 * direction of the port, and, once the worker has made one copy per remote VTEP, which host the
 * copy is for. Like FlowTag it is not header bytes: nothing on the wire changes. A monitor reads
 * it to count duplicates and reordering and the port-to-monitor latency; drop traces read it to
 * attribute a lost copy to its session and destination.
 */
class MirrorTag : public Tag
{
  public:
    /// Which traffic of the mirrored port a clone is.
    enum Direction : uint8_t
    {
        RECEIVED = 0,   //!< handed to the mirrored VM
        TRANSMITTED = 1 //!< sent by the mirrored VM
    };

    /// toHost of a copy that is not for one host (a multicast copy, or not yet replicated).
    static constexpr uint32_t ANY_HOST = 0xffffffff;

    MirrorTag() = default;
    /**
     * \param session the session's index
     * \param list the mirrored-packet list's index within the session
     * \param seq the clone's sequence number on the list
     * \param clonedAt when the filter cloned it
     * \param direction received or transmitted at the mirrored port
     */
    MirrorTag(uint16_t session, uint16_t list, uint64_t seq, Time clonedAt, Direction direction);

    static TypeId GetTypeId();
    TypeId GetInstanceTypeId() const override;
    uint32_t GetSerializedSize() const override;
    void Serialize(TagBuffer buf) const override;
    void Deserialize(TagBuffer buf) override;
    void Print(std::ostream& os) const override;

    /// \return the session's index
    uint16_t GetSession() const
    {
        return m_session;
    }

    /// \return the list's index within its session
    uint16_t GetList() const
    {
        return m_list;
    }

    /// \return the clone's sequence number on its list
    uint64_t GetSeq() const
    {
        return m_seq;
    }

    /// \return when the filter cloned the packet
    Time GetClonedAt() const
    {
        return TimeStep(m_clonedAt);
    }

    /// \return received or transmitted
    Direction GetDirection() const
    {
        return static_cast<Direction>(m_direction);
    }

    /// \return the host a unicast copy is for, or ANY_HOST
    uint32_t GetToHost() const
    {
        return m_toHost;
    }

    /// \param host the host a unicast copy is for
    void SetToHost(uint32_t host)
    {
        m_toHost = host;
    }

  private:
    uint16_t m_session{0};       //!< session index
    uint16_t m_list{0};          //!< list index within the session
    uint64_t m_seq{0};           //!< sequence number on the list
    int64_t m_clonedAt{0};       //!< clone time, in time steps
    uint8_t m_direction{0};      //!< Direction
    uint32_t m_toHost{ANY_HOST}; //!< destination host of a unicast copy
};

} // namespace ns3

#endif
