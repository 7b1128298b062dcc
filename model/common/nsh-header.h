#ifndef OVERLAY_FABRIC_NSH_HEADER_H
#define OVERLAY_FABRIC_NSH_HEADER_H

#include "ns3/buffer.h"
#include "ns3/header.h"
#include "ns3/ipv4-address.h"

#include <array>
#include <cstdint>
#include <ostream>
#include <string>

namespace ns3
{

/**
 * \ingroup overlay-fabric
 * \brief Network Service Header, MD type 1 (RFC 8300 sections 2.2-2.4), as the service plane of
 * seed 001 carries it (paragraphs 0040, 0043-0044, 0065).
 *
 * \verbatim
    0                   1                   2                   3
    0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
   |Ver|O|U|    TTL    |   Length  |U|U|U|U|MD Type| Next Protocol |
   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
   |          Service Path Identifier (SPI)        | Service Index |
   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
   |P|R|  Sequence |    Action     |           Reserved            |  fixed context,
   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+  16 bytes
   |                 Source VTEP (classifier's host)               |  (MD type 1,
   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+   RFC 8300
   |   Reserved    |           Source segment (VNI)                |   section 2.4)
   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
   |                          Reserved                             |
   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
   \endverbatim
 *
 * The base and service path headers are RFC 8300's: version 0, the O bit, a 6-bit TTL (63 by
 * default, section 2.2), Length 6 words (MD type 1 always has it, section 2.5.1), MD type 1 and
 * the next protocol (Ethernet: the service plane carries the VM's whole frame), a 24-bit SPI and
 * an 8-bit SI. The fixed context is opaque to RFC 8300 ("the format of the context is outside
 * its scope"); this model gives it the meaning the seed asks of it:
 * - P (PING bit) and a 6-bit sequence: the liveness query of paragraphs 0043-0044, set by an
 *   SVM's proxy; R is set on the SVM's answer (paragraph 0045: the answer need not share the
 *   query's format, here it does, with the query's sequence echoed);
 * - Action: FAILED marks a packet a proxy reflects to the source classifier because its SVM is
 *   down (paragraph 0065's "special action ... in an action field of the metadata");
 * - Source VTEP and source segment: where the source classifier is, so that a reflection and an
 *   orthogonal service plane's return (paragraph 0054) find it, and on which logical switch the
 *   frame goes on after the last SVM.
 *
 * Error handling, as in GeneveHeader: setters given out-of-range values (an SPI above 24 bits, a
 * TTL above 63, a sequence above 63) abort, since the values come from validated configuration;
 * received bytes are never trusted: ParseFrom() refuses a short buffer, a version other than 0,
 * an MD type other than 1 (MD type 2's TLVs are not modelled) and a Length other than 6, and the
 * unassigned bits are sent as 0 and ignored on receipt (section 2.2).
 */
class NshHeader : public Header
{
  public:
    static constexpr uint16_t ETHERTYPE = 0x894F;      //!< IEEE EtherType; GENEVE protocol type
    static constexpr uint8_t VXLAN_GPE_NEXT_PROTO = 4; //!< VXLAN-GPE next protocol for NSH
    static constexpr uint32_t SERIALIZED_SIZE = 24;    //!< MD type 1: 8 bytes + 16 of context
    static constexpr uint8_t MD_TYPE_1 = 1;            //!< fixed-length context
    static constexpr uint8_t MD_TYPE_1_LENGTH = 6;     //!< Length field of MD type 1, words
    static constexpr uint8_t DEFAULT_TTL = 63;         //!< RFC 8300 section 2.2
    static constexpr uint8_t MAX_TTL = 63;             //!< 6-bit TTL
    static constexpr uint32_t MAX_SPI = 0xFFFFFF;      //!< 24-bit SPI
    static constexpr uint8_t MAX_SEQUENCE = 63;        //!< 6-bit liveness sequence (0043)
    static constexpr uint32_t MAX_VNI = 0xFFFFFF;      //!< 24-bit source segment

    /// Next Protocol values (RFC 8300 section 11.2.5).
    enum NextProtocol : uint8_t
    {
        NEXT_IPV4 = 0x1,     //!< IPv4
        NEXT_IPV6 = 0x2,     //!< IPv6
        NEXT_ETHERNET = 0x3, //!< Ethernet (what this model carries)
        NEXT_NSH = 0x4,      //!< NSH
        NEXT_MPLS = 0x5,     //!< MPLS
        NEXT_NONE = 0xFE     //!< "Experiment 1" (section 11.2.5); here: nothing follows (a
                             //!< liveness probe, or an answer without data)
    };

    /// Action field of the context (seed 001 paragraph 0065).
    enum Action : uint8_t
    {
        ACTION_FORWARD = 0, //!< a packet on its service path
        ACTION_FAILED = 1   //!< reflected to the source classifier: the SVM at SI is down
    };

    /// TTL 63, next protocol Ethernet, SPI 0, SI 0, context all zero.
    NshHeader();

    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();
    TypeId GetInstanceTypeId() const override;
    void Print(std::ostream& os) const override;
    uint32_t GetSerializedSize() const override;
    void Serialize(Buffer::Iterator start) const override;

    /**
     * \brief Read a header, with the checks of ParseFrom().
     * \param start where the header begins
     * \return 24, or 0 if the input was refused (this header then unchanged)
     */
    uint32_t Deserialize(Buffer::Iterator start) override;
    /**
     * \brief As Deserialize(Buffer::Iterator), reading no further than \p end.
     * \param start where the header begins
     * \param end first byte not to read
     * \return 24, or 0 if the input was refused
     */
    uint32_t Deserialize(Buffer::Iterator start, Buffer::Iterator end) override;

    /**
     * \brief Validating parser for received bytes.
     * \param data first byte of the NSH; may be null only if \p length is 0
     * \param length bytes available at \p data; nothing at or past data + length is read
     * \param out receives the header; unchanged on refusal
     * \param error if not null, set to the reason on refusal
     * \return bytes consumed (24), or 0 if the input was refused
     */
    static uint32_t ParseFrom(const uint8_t* data,
                              uint32_t length,
                              NshHeader& out,
                              std::string* error = nullptr);

    /// \param oam the O bit (an OAM packet, RFC 8300 section 2.2)
    void SetOam(bool oam);
    /// \return the O bit
    bool GetOam() const;
    /// \param ttl the 6-bit TTL, 0 .. 63; aborts if larger
    void SetTtl(uint8_t ttl);
    /// \return the TTL
    uint8_t GetTtl() const;
    /// \param next the protocol after the NSH
    void SetNextProtocol(uint8_t next);
    /// \return the protocol after the NSH
    uint8_t GetNextProtocol() const;
    /// \param spi the service path, 0 .. MAX_SPI; aborts if larger
    void SetSpi(uint32_t spi);
    /// \return the service path identifier
    uint32_t GetSpi() const;
    /// \param si the service index (the hop on the path, decremented by every SVM's proxy)
    void SetServiceIndex(uint8_t si);
    /// \return the service index
    uint8_t GetServiceIndex() const;

    /**
     * \brief Make this a liveness query (PING bit set, reply bit clear) with sequence \p seq.
     * \param seq the query's sequence, 0 .. MAX_SEQUENCE; aborts if larger
     */
    void SetLivenessQuery(uint8_t seq);
    /**
     * \brief Make this the answer to query \p seq (reply bit set, PING bit clear).
     * \param seq the sequence of the query answered
     */
    void SetLivenessReply(uint8_t seq);
    /// Clear the PING and reply bits and the sequence (a plain data packet).
    void ClearLiveness();
    /// \return the PING bit: the packet carries a liveness query
    bool IsLivenessQuery() const;
    /// \return the reply bit: the packet carries a liveness answer
    bool IsLivenessReply() const;
    /// \return the 6-bit sequence of the query or reply
    uint8_t GetSequence() const;
    /// \param action what the packet is (on its path, or reflected as failed)
    void SetAction(Action action);
    /// \return the action field
    Action GetAction() const;
    /// \param vtep the source classifier's host VTEP address
    void SetSourceVtep(Ipv4Address vtep);
    /// \return the source classifier's host VTEP address
    Ipv4Address GetSourceVtep() const;
    /// \param vni the source segment, 0 .. MAX_VNI; aborts if larger
    void SetSourceVni(uint32_t vni);
    /// \return the source segment
    uint32_t GetSourceVni() const;

    /**
     * \param word 0 .. 3
     * \return that 32-bit word of the fixed context, as on the wire
     */
    uint32_t GetContextWord(uint32_t word) const;

  private:
    static constexpr uint8_t PING_BIT = 0x80;  //!< context byte 0: liveness query
    static constexpr uint8_t REPLY_BIT = 0x40; //!< context byte 0: liveness answer
    static constexpr uint8_t SEQ_MASK = 0x3f;  //!< context byte 0: 6-bit sequence

    /**
     * \brief Shared body of both Deserialize overloads.
     * \param start where the header begins
     * \param available bytes that may be read
     * \return 24, or 0 on refusal
     */
    uint32_t DeserializeBounded(Buffer::Iterator start, uint32_t available);

    bool m_oam{false};                     //!< O bit
    uint8_t m_ttl{DEFAULT_TTL};            //!< 6-bit TTL
    uint8_t m_nextProtocol{NEXT_ETHERNET}; //!< Next Protocol
    uint32_t m_spi{0};                     //!< 24-bit service path identifier
    uint8_t m_si{0};                       //!< service index
    std::array<uint32_t, 4> m_context{};   //!< fixed context words, host order
};

} // namespace ns3

#endif
