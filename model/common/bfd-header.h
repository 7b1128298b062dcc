#ifndef OVERLAY_FABRIC_BFD_HEADER_H
#define OVERLAY_FABRIC_BFD_HEADER_H

#include "ns3/buffer.h"
#include "ns3/header.h"
#include "ns3/nstime.h"

#include <cstdint>
#include <ostream>
#include <string>

namespace ns3
{

/**
 * \ingroup overlay-fabric
 * \brief Generic BFD Control packet, mandatory section (RFC 5880 section 4.1), 24 bytes.
 *
 * \verbatim
    0                   1                   2                   3
    0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
   |Vers |  Diag   |Sta|P|F|C|A|D|M|  Detect Mult  |    Length     |
   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
   |                       My Discriminator                        |
   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
   |                      Your Discriminator                       |
   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
   |                    Desired Min TX Interval                    |
   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
   |                   Required Min RX Interval                    |
   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
   |                 Required Min Echo RX Interval                 |
   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
   \endverbatim
 *
 * No Authentication Section is supported. Vers is always sent as 1 and Length always as 24;
 * neither is stored. The three intervals are carried in microseconds; the Time-valued accessors
 * convert, rounding down to a whole microsecond.
 *
 * Error handling, decided once for the whole class (as GeneveHeader):
 * - A Time setter given a negative interval or one above 2^32 - 1 microseconds, or SetDiag()
 *   with a code above 31, is a programming error and aborts (NS_ABORT_MSG): a silently
 *   truncated interval would change the negotiated timers.
 * - The flag setters write the bit as given, including A and M, so that a test can build a
 *   packet that a receiver must refuse. BfdSession never sets A or M.
 * - Received bytes are never trusted: ParseFrom() and Deserialize() apply the packet-level
 *   reception checks of RFC 5880 section 6.8.6 and refuse (return 0) instead of reading past
 *   the end of the buffer. The checks that need session state (Your Discriminator lookup, Your
 *   Discriminator 0 while the State field is not Down or AdminDown) belong to BfdSession.
 *
 * A default-constructed header has State Down and every other field 0; it is not a valid packet
 * until Detect Mult and My Discriminator are set.
 */
class BfdHeader : public Header
{
  public:
    static constexpr uint16_t UDP_PORT = 3784;        //!< single-hop control (RFC 5881)
    static constexpr uint16_t ECHO_PORT = 3785;       //!< echo (RFC 5881)
    static constexpr uint16_t SBFD_PORT = 7784;       //!< S-BFD control (RFC 7881)
    static constexpr uint8_t VERSION = 1;             //!< the only version sent and accepted
    static constexpr uint32_t SERIALIZED_SIZE = 24;   //!< mandatory section, bytes
    static constexpr uint8_t MAX_DIAG = 31;           //!< largest 5-bit diagnostic code
    static constexpr uint32_t MAX_PARSE_LENGTH = 255; //!< largest Length the 8-bit field allows
    static constexpr uint64_t MAX_INTERVAL_US = 0xFFFFFFFF; //!< largest 32-bit interval, us

    /// Session state carried in the Sta field (RFC 5880 section 4.1).
    enum State : uint8_t
    {
        ADMIN_DOWN = 0, //!< AdminDown
        DOWN = 1,       //!< Down
        INIT = 2,       //!< Init
        UP = 3          //!< Up
    };

    /// Diagnostic codes (RFC 5880 section 4.1); 9-31 are reserved and kept as received.
    enum Diag : uint8_t
    {
        NO_DIAGNOSTIC = 0,                  //!< No Diagnostic
        CONTROL_DETECTION_TIME_EXPIRED = 1, //!< Control Detection Time Expired
        ECHO_FUNCTION_FAILED = 2,           //!< Echo Function Failed
        NEIGHBOR_SIGNALED_DOWN = 3,         //!< Neighbor Signaled Session Down
        FORWARDING_PLANE_RESET = 4,         //!< Forwarding Plane Reset
        PATH_DOWN = 5,                      //!< Path Down
        CONCATENATED_PATH_DOWN = 6,         //!< Concatenated Path Down
        ADMINISTRATIVELY_DOWN = 7,          //!< Administratively Down
        REVERSE_CONCATENATED_PATH_DOWN = 8  //!< Reverse Concatenated Path Down
    };

    /**
     * \param state a Sta value, 0..3
     * \return "AdminDown", "Down", "Init" or "Up"
     */
    static std::string StateToString(State state);

    /**
     * \brief State Down, every other field 0.
     */
    BfdHeader();

    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();
    TypeId GetInstanceTypeId() const override;
    void Print(std::ostream& os) const override;
    /**
     * \return SERIALIZED_SIZE (24): no Authentication Section is ever written
     */
    uint32_t GetSerializedSize() const override;
    void Serialize(Buffer::Iterator start) const override;

    /**
     * \brief Read a control packet, with the checks of ParseFrom().
     *
     * The bytes from \p start to the end of the buffer are taken as the payload of the
     * encapsulating protocol (the UDP payload), against which the Length field is checked.
     * \param start where the BFD packet begins
     * \return bytes read (the Length field), or 0 if the input was refused; on refusal this
     *         header is left unchanged
     */
    uint32_t Deserialize(Buffer::Iterator start) override;

    /**
     * \brief As Deserialize(Buffer::Iterator), reading no further than \p end.
     * \param start where the BFD packet begins
     * \param end first byte not to read
     * \return bytes read, or 0 if the input was refused (this header then unchanged)
     */
    uint32_t Deserialize(Buffer::Iterator start, Buffer::Iterator end) override;

    /**
     * \brief Validating parser: the packet-level reception checks of RFC 5880 section 6.8.6.
     *
     * Refuses, in this order (the RFC's order, with the A bit last): fewer than 24 bytes;
     * Vers not 1; Length below the minimum (24 with A clear, 26 with A set); Length greater
     * than \p length; Detect Mult 0; M bit set; My Discriminator 0; A bit set (no
     * authentication is supported, so a packet announcing an Authentication Section is refused).
     *
     * A Length above 24 with A clear is accepted: the bytes after the mandatory section, up to
     * Length, are consumed and ignored.
     * \param data first byte of the BFD packet; may be null only if \p length is 0
     * \param length bytes of the encapsulating protocol's payload at \p data; nothing at or past
     *        data + length is read
     * \param out receives the fields; left unchanged on refusal
     * \param error if not null, set to the reason on refusal (e.g. "unsupported version 2")
     * \return bytes consumed (the Length field), or 0 if the input was refused
     */
    static uint32_t ParseFrom(const uint8_t* data,
                              uint32_t length,
                              BfdHeader& out,
                              std::string* error = nullptr);

    /// \param diag Diag field, 0..MAX_DIAG; aborts if larger
    void SetDiag(Diag diag);
    /// \return the Diag field (reserved codes 9..31 are returned as received)
    Diag GetDiag() const;
    /// \param state Sta field
    void SetState(State state);
    /// \return the Sta field
    State GetState() const;

    /// \param poll P bit: the sender asks for verification (Poll Sequence, section 6.5)
    void SetPoll(bool poll);
    /// \return P bit
    bool GetPoll() const;
    /// \param final F bit: the sender answers a packet that had P set
    void SetFinal(bool final);
    /// \return F bit
    bool GetFinal() const;
    /// \param independent C bit: BFD does not share fate with the control plane
    void SetControlPlaneIndependent(bool independent);
    /// \return C bit
    bool GetControlPlaneIndependent() const;
    /**
     * \brief Write the A bit. Only for building packets that must be refused: this header never
     * carries an Authentication Section, and ParseFrom() refuses a set A bit.
     * \param present A bit
     */
    void SetAuthenticationPresent(bool present);
    /// \return A bit
    bool GetAuthenticationPresent() const;
    /// \param demand D bit: the sender wishes to operate in Demand mode
    void SetDemand(bool demand);
    /// \return D bit
    bool GetDemand() const;
    /**
     * \brief Write the M bit (reserved for multipoint, RFC 5880 says 0). Only for building
     * packets that must be refused.
     * \param multipoint M bit
     */
    void SetMultipoint(bool multipoint);
    /// \return M bit
    bool GetMultipoint() const;

    /// \param detectMult Detect Mult field (0 only to build a packet that must be refused)
    void SetDetectMult(uint8_t detectMult);
    /// \return Detect Mult field
    uint8_t GetDetectMult() const;
    /// \param discriminator My Discriminator field
    void SetMyDiscriminator(uint32_t discriminator);
    /// \return My Discriminator field
    uint32_t GetMyDiscriminator() const;
    /// \param discriminator Your Discriminator field (0 while the remote one is unknown)
    void SetYourDiscriminator(uint32_t discriminator);
    /// \return Your Discriminator field
    uint32_t GetYourDiscriminator() const;

    /// \param interval Desired Min TX Interval, 0 .. 2^32-1 us, rounded down to whole us
    void SetDesiredMinTxInterval(Time interval);
    /// \return Desired Min TX Interval
    Time GetDesiredMinTxInterval() const;
    /// \param interval Required Min RX Interval, 0 .. 2^32-1 us, rounded down to whole us
    void SetRequiredMinRxInterval(Time interval);
    /// \return Required Min RX Interval
    Time GetRequiredMinRxInterval() const;
    /// \param interval Required Min Echo RX Interval (0: no echo), rounded down to whole us
    void SetRequiredMinEchoRxInterval(Time interval);
    /// \return Required Min Echo RX Interval
    Time GetRequiredMinEchoRxInterval() const;

  private:
    /**
     * \brief Shared body of both Deserialize overloads.
     * \param start where the packet begins
     * \param available bytes that may be read from \p start
     * \return bytes read, or 0 on refusal
     */
    uint32_t DeserializeBounded(Buffer::Iterator start, uint32_t available);

    /**
     * \param interval a time interval
     * \param field field name for the abort message
     * \return \p interval in whole microseconds; aborts if it does not fit in 32 bits
     */
    static uint32_t ToMicroseconds(Time interval, const char* field);

    uint8_t m_diag{NO_DIAGNOSTIC};     //!< Diag, 5 bits
    uint8_t m_state{DOWN};             //!< Sta, 2 bits
    bool m_poll{false};                //!< P
    bool m_final{false};               //!< F
    bool m_independent{false};         //!< C
    bool m_authentication{false};      //!< A
    bool m_demand{false};              //!< D
    bool m_multipoint{false};          //!< M
    uint8_t m_detectMult{0};           //!< Detect Mult
    uint32_t m_myDiscriminator{0};     //!< My Discriminator
    uint32_t m_yourDiscriminator{0};   //!< Your Discriminator
    uint32_t m_desiredMinTxUs{0};      //!< Desired Min TX Interval, us
    uint32_t m_requiredMinRxUs{0};     //!< Required Min RX Interval, us
    uint32_t m_requiredMinEchoRxUs{0}; //!< Required Min Echo RX Interval, us
};

} // namespace ns3

#endif
