#ifndef OVERLAY_FABRIC_GENEVE_HEADER_H
#define OVERLAY_FABRIC_GENEVE_HEADER_H

#include "ns3/buffer.h"
#include "ns3/header.h"

#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

namespace ns3
{

/**
 * \ingroup overlay-fabric
 * \brief One GENEVE option TLV (RFC 8926 section 3.5).
 *
 * \verbatim
    0                   1                   2                   3
    0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
   |          Option Class         |      Type     |R|R|R| Length  |
   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
   |                 Variable-Length Option Data                   |
   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
   \endverbatim
 *
 * The Length field is not stored: it is data.size() / 4. The three R bits are sent as zero and
 * ignored on receipt, as RFC 8926 requires, so they are not stored either.
 */
struct GeneveOption
{
    static constexpr uint8_t TYPE_CRITICAL = 0x80; //!< high bit of Type: the option is critical

    uint16_t optionClass{0};   //!< Option Class (namespace of Type)
    uint8_t type{0};           //!< Type; the high bit (TYPE_CRITICAL) marks a critical option
    std::vector<uint8_t> data; //!< option data; length a multiple of 4, at most 124 bytes

    /**
     * \return true if the critical bit (high bit of Type) is set
     */
    bool IsCritical() const
    {
        return (type & TYPE_CRITICAL) != 0;
    }

    /**
     * \return bytes this option takes on the wire: 4-byte TLV header plus data
     */
    uint32_t GetSerializedSize() const
    {
        return 4 + static_cast<uint32_t>(data.size());
    }

    /**
     * \param other option to compare with
     * \return true if class, type and data are equal
     */
    bool operator==(const GeneveOption& other) const
    {
        return optionClass == other.optionClass && type == other.type && data == other.data;
    }
};

/**
 * \param os output stream
 * \param option option to print
 * \return os
 */
std::ostream& operator<<(std::ostream& os, const GeneveOption& option);

/**
 * \ingroup overlay-fabric
 * \brief GENEVE header (RFC 8926 section 3.4), including its option TLVs.
 *
 * \verbatim
    0                   1                   2                   3
    0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
   |Ver|  Opt Len  |O|C|    Rsvd.  |          Protocol Type        |
   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
   |        Virtual Network Identifier (VNI)       |    Reserved   |
   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
   |                    Variable-Length Options                    |
   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
   \endverbatim
 *
 * Ver is always sent as 0 and any other version is refused on receipt. Opt Len is derived from
 * the options added. Rsvd and Reserved are sent as 0 and ignored on receipt.
 *
 * Error handling, decided once for the whole class:
 * - SetVni() with a value above 24 bits is a programming error (VNIs come from validated
 *   configuration) and aborts with NS_ABORT_MSG: a silently truncated VNI would deliver traffic
 *   to another tenant.
 * - AddOption() returns false for an option that does not fit, because whether it fits depends
 *   on the options already present, which the caller may not control.
 * - Received bytes are never trusted: ParseFrom() and Deserialize() check every length and refuse
 *   (return 0) instead of reading past the end of the buffer or of the option area.
 *
 * C bit: AddOption() sets it when the added option is critical and never clears it. SetCritical()
 * writes the bit directly (so a test can build a non-conforming header), and Deserialize() keeps
 * the bit as received; HasCriticalOption() reports what the options actually say.
 *
 * A header without options never allocates: the option list is an empty std::vector, filled
 * only when options are present.
 */
class GeneveHeader : public Header
{
  public:
    static constexpr uint16_t UDP_PORT = 6081;              //!< IANA UDP destination port
    static constexpr uint16_t PROTOCOL_TEB = 0x6558;        //!< Transparent Ethernet Bridging
    static constexpr uint32_t BASE_SIZE = 8;                //!< fixed part, bytes
    static constexpr uint32_t MAX_VNI = 0xFFFFFF;           //!< largest 24-bit VNI
    static constexpr uint32_t MAX_OPTIONS_LENGTH = 252;     //!< 6-bit Opt Len x 4 bytes
    static constexpr uint32_t MAX_OPTION_DATA_LENGTH = 124; //!< 5-bit option Length x 4 bytes
    static constexpr uint32_t MAX_SERIALIZED_SIZE = BASE_SIZE + MAX_OPTIONS_LENGTH; //!< 260

    /**
     * \brief Version 0, no flags, protocol PROTOCOL_TEB, VNI 0, no options.
     */
    GeneveHeader();

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
     * \brief Read a header, refusing malformed or truncated input.
     *
     * Reads at most start.GetRemainingSize() bytes, with the same checks as ParseFrom().
     * \param start where the header begins
     * \return bytes read (8 plus the option area), or 0 if the input was refused; on refusal
     *         this header is left unchanged and nothing past the end of the buffer was read
     */
    uint32_t Deserialize(Buffer::Iterator start) override;

    /**
     * \brief As Deserialize(Buffer::Iterator), reading no further than \p end.
     *
     * Used by Packet::RemoveHeader(Header&, uint32_t) and Packet::PeekHeader with a size.
     * \param start where the header begins
     * \param end first byte not to read
     * \return bytes read, or 0 if the input was refused (this header then unchanged)
     */
    uint32_t Deserialize(Buffer::Iterator start, Buffer::Iterator end) override;

    /**
     * \brief Validating parser for received bytes.
     *
     * Checks, in order: at least 8 bytes; Ver is 0; the option area (Opt Len words) lies inside
     * the buffer; every option TLV's data lies inside the option area. Rsvd, Reserved and the
     * options' R bits are ignored. Bytes after the option area (the payload) are not examined.
     * \param data first byte of the GENEVE header; may be null only if \p length is 0
     * \param length bytes available at \p data; nothing at or past data + length is read
     * \param out receives the header; left unchanged on refusal
     * \param error if not null, set to the reason on refusal (e.g. "unsupported version 1")
     * \return bytes consumed (8 plus the option area), or 0 if the input was refused
     */
    static uint32_t ParseFrom(const uint8_t* data,
                              uint32_t length,
                              GeneveHeader& out,
                              std::string* error = nullptr);

    /**
     * \param vni virtual network identifier, 0 .. MAX_VNI; aborts (NS_ABORT_MSG) if larger
     */
    void SetVni(uint32_t vni);
    /**
     * \return the 24-bit virtual network identifier
     */
    uint32_t GetVni() const;

    /**
     * \param oam true to mark the packet as an OAM (control) frame (O bit)
     */
    void SetOam(bool oam);
    /**
     * \return the O bit
     */
    bool GetOam() const;

    /**
     * \brief Write the C bit (critical options present) directly.
     *
     * Normally not needed: AddOption() sets the bit for a critical option. Clearing it while a
     * critical option is present produces a header that violates RFC 8926; that is allowed so
     * that receivers can be tested against it.
     * \param critical the C bit to send
     */
    void SetCritical(bool critical);
    /**
     * \return the C bit as it will be sent, or as it was received
     */
    bool GetCritical() const;

    /**
     * \param protocolType EtherType of the payload (PROTOCOL_TEB for Ethernet frames)
     */
    void SetProtocolType(uint16_t protocolType);
    /**
     * \return EtherType of the payload
     */
    uint16_t GetProtocolType() const;

    /**
     * \brief Append an option TLV; sets the C bit if the option is critical.
     * \param option option to append; its data length must be a multiple of 4 and at most
     *        MAX_OPTION_DATA_LENGTH, and all options together at most MAX_OPTIONS_LENGTH bytes
     * \param error if not null, set to the reason when the option is refused
     * \return true if added; false (header unchanged) otherwise
     */
    bool AddOption(const GeneveOption& option, std::string* error = nullptr);
    /**
     * \return the options, in wire order
     */
    const std::vector<GeneveOption>& GetOptions() const;
    /**
     * \return length of the option area in bytes (the Opt Len field times 4), 0 .. 252
     */
    uint32_t GetOptionsLength() const;
    /**
     * \return true if any option has its critical bit set (whatever the C bit says)
     */
    bool HasCriticalOption() const;

  private:
    /**
     * \brief Shared body of both Deserialize overloads.
     * \param start where the header begins
     * \param available bytes that may be read from \p start
     * \return bytes read, or 0 on refusal
     */
    uint32_t DeserializeBounded(Buffer::Iterator start, uint32_t available);

    bool m_oam{false};                     //!< O bit
    bool m_critical{false};                //!< C bit
    uint16_t m_protocolType{PROTOCOL_TEB}; //!< Protocol Type
    uint32_t m_vni{0};                     //!< 24-bit VNI
    uint32_t m_optionsLength{0};           //!< bytes of option area (sum of option sizes)
    std::vector<GeneveOption> m_options;   //!< option TLVs in wire order; empty when none
};

} // namespace ns3

#endif
