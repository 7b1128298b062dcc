#ifndef OVERLAY_FABRIC_UPLINK_ECHO_HEADER_H
#define OVERLAY_FABRIC_UPLINK_ECHO_HEADER_H

#include "ns3/header.h"
#include "ns3/nstime.h"

#include <string>

namespace ns3
{

/**
 * \ingroup overlay-fabric
 * \brief Payload of a per-uplink encapsulated echo (seed 000, paragraph 0046 and Fig. 5): the
 * uplink that sent it (32 bits), a monotonically increasing sequence number (64 bits) and the
 * send timestamp (64 bits, nanoseconds of simulated time), 20 bytes in network byte order.
 *
 * It rides as the UDP payload of the inner echo packet (inner UDP destination port 3785); the
 * remote VTEP loops it back unchanged, so the sender credits the reply to the uplink named here
 * whichever uplink the reply arrives on (Fig. 6).
 */
class UplinkEchoHeader : public Header
{
  public:
    static constexpr uint32_t SIZE = 20; //!< serialized size

    UplinkEchoHeader() = default;
    /**
     * \param uplink sending uplink
     * \param seq sequence number
     * \param sentAt send time
     */
    UplinkEchoHeader(uint32_t uplink, uint64_t seq, Time sentAt);

    static TypeId GetTypeId();
    TypeId GetInstanceTypeId() const override;
    void Print(std::ostream& os) const override;
    uint32_t GetSerializedSize() const override;
    void Serialize(Buffer::Iterator start) const override;
    uint32_t Deserialize(Buffer::Iterator start) override;

    /**
     * \brief Validating parser for received bytes.
     * \return SIZE, or 0 if \p length is too short (then \p out is untouched)
     */
    static uint32_t ParseFrom(const uint8_t* data,
                              uint32_t length,
                              UplinkEchoHeader& out,
                              std::string* error = nullptr);

    uint32_t GetUplink() const
    {
        return m_uplink;
    }

    uint64_t GetSeq() const
    {
        return m_seq;
    }

    Time GetSentAt() const
    {
        return NanoSeconds(static_cast<int64_t>(m_timestampNs));
    }

  private:
    uint32_t m_uplink{0};      //!< uplink identifier
    uint64_t m_seq{0};         //!< sequence number
    uint64_t m_timestampNs{0}; //!< send time, ns
};

} // namespace ns3

#endif
