#ifndef OVERLAY_FABRIC_VXLAN_HEADER_H
#define OVERLAY_FABRIC_VXLAN_HEADER_H

#include "ns3/buffer.h"
#include "ns3/header.h"

#include <cstdint>
#include <ostream>
#include <string>

namespace ns3
{

/**
 * \ingroup overlay-fabric
 * \brief VXLAN header (RFC 7348 section 5).
 *
 * \verbatim
    0                   1                   2                   3
    0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
   |R|R|R|R|I|R|R|R|            Reserved                           |
   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
   |                VXLAN Network Identifier (VNI) |   Reserved    |
   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
   \endverbatim
 *
 * Always sent with the I flag set and every reserved bit 0. On receipt the reserved bits are
 * ignored (RFC 7348: "ignored on receipt") but a clear I flag is refused, since the VNI is then
 * not valid. SetVni() above 24 bits is a programming error and aborts (NS_ABORT_MSG), as in
 * GeneveHeader.
 */
class VxlanHeader : public Header
{
  public:
    static constexpr uint16_t UDP_PORT = 4789;     //!< IANA UDP destination port
    static constexpr uint32_t SERIALIZED_SIZE = 8; //!< header size, bytes
    static constexpr uint32_t MAX_VNI = 0xFFFFFF;  //!< largest 24-bit VNI
    static constexpr uint8_t FLAG_I = 0x08;        //!< "valid VNI" flag in the first byte

    /**
     * \brief I flag set, VNI 0.
     */
    VxlanHeader();

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
     * \brief Read a header, refusing truncated input and a clear I flag.
     *
     * Reads at most start.GetRemainingSize() bytes, with the same checks as ParseFrom().
     * \param start where the header begins
     * \return 8, or 0 if the input was refused; on refusal this header is left unchanged and
     *         nothing past the end of the buffer was read
     */
    uint32_t Deserialize(Buffer::Iterator start) override;

    /**
     * \brief As Deserialize(Buffer::Iterator), reading no further than \p end.
     * \param start where the header begins
     * \param end first byte not to read
     * \return 8, or 0 if the input was refused (this header then unchanged)
     */
    uint32_t Deserialize(Buffer::Iterator start, Buffer::Iterator end) override;

    /**
     * \brief Validating parser for received bytes.
     * \param data first byte of the VXLAN header; may be null only if \p length is 0
     * \param length bytes available at \p data; nothing at or past data + length is read
     * \param out receives the header; left unchanged on refusal
     * \param error if not null, set to the reason on refusal (e.g. "short buffer: need 8 bytes,
     *        have 5")
     * \return bytes consumed (8), or 0 if the input was refused
     */
    static uint32_t ParseFrom(const uint8_t* data,
                              uint32_t length,
                              VxlanHeader& out,
                              std::string* error = nullptr);

    /**
     * \param vni VXLAN network identifier, 0 .. MAX_VNI; aborts (NS_ABORT_MSG) if larger
     */
    void SetVni(uint32_t vni);
    /**
     * \return the 24-bit VXLAN network identifier
     */
    uint32_t GetVni() const;

  private:
    /**
     * \brief Shared body of both Deserialize overloads.
     * \param start where the header begins
     * \param available bytes that may be read from \p start
     * \return 8, or 0 on refusal
     */
    uint32_t DeserializeBounded(Buffer::Iterator start, uint32_t available);

    uint32_t m_vni{0}; //!< 24-bit VNI
};

} // namespace ns3

#endif
