#ifndef OVERLAY_FABRIC_FABRIC_RAW_HEADER_H
#define OVERLAY_FABRIC_FABRIC_RAW_HEADER_H

#include "ns3/header.h"

#include <cstdint>
#include <cstring>

namespace ns3
{

/**
 * \ingroup overlay-fabric
 * \brief A header that is just a run of bytes, written verbatim.
 *
 * The fabric switches rewrite the first bytes of every frame they forward (Ethernet source and
 * destination, IPv4 TTL and checksum). Parsing and re-serialising EthernetHeader and Ipv4Header
 * objects for that costs several times more than the forwarding decision itself, so a switch
 * copies the leading bytes out with Packet::CopyData, patches them, removes them with
 * Packet::RemoveAtStart and puts them back with Packet::AddHeader of this header. When the packet
 * buffer is not shared, AddHeader reuses the bytes just removed: no allocation, no copy of the
 * payload.
 *
 * Deserialize reads back as many bytes as the header was set up to hold (SetSize), so that the
 * header also round-trips like any other ns3::Header.
 */
class FabricRawHeader : public Header
{
  public:
    /// Largest number of bytes the header carries.
    static constexpr uint32_t MAX_SIZE = 80;

    FabricRawHeader() = default;

    /**
     * \brief Copy the bytes the header will serialize.
     * \param bytes the bytes
     * \param size how many, at most MAX_SIZE
     */
    FabricRawHeader(const uint8_t* bytes, uint32_t size);

    /**
     * \brief Register this type.
     * \return the object TypeId
     */
    static TypeId GetTypeId();
    TypeId GetInstanceTypeId() const override;
    void Print(std::ostream& os) const override;
    uint32_t GetSerializedSize() const override;
    void Serialize(Buffer::Iterator start) const override;
    uint32_t Deserialize(Buffer::Iterator start) override;

    /**
     * \brief Set the bytes the header will serialize.
     * \param bytes the bytes
     * \param size how many, at most MAX_SIZE
     */
    void SetBytes(const uint8_t* bytes, uint32_t size)
    {
        m_size = size <= MAX_SIZE ? size : MAX_SIZE;
        std::memcpy(m_bytes, bytes, m_size);
    }

    /**
     * \brief Set how many bytes Deserialize reads.
     * \param size number of bytes, at most MAX_SIZE
     */
    void SetSize(uint32_t size)
    {
        m_size = size <= MAX_SIZE ? size : MAX_SIZE;
    }

    /// \return the bytes of the header
    const uint8_t* GetBytes() const
    {
        return m_bytes;
    }

    /**
     * \brief Direct access to the bytes, to fill or patch them in place (the forwarding path
     * copies the frame's leading bytes straight in here).
     * \return the byte array (MAX_SIZE bytes)
     */
    uint8_t* GetMutableBytes()
    {
        return m_bytes;
    }

    /// \return the number of bytes of the header
    uint32_t GetSize() const
    {
        return m_size;
    }

  private:
    uint8_t m_bytes[MAX_SIZE]; //!< header bytes, in network order
    uint32_t m_size{0};        //!< number of valid bytes in m_bytes
};

} // namespace ns3

#endif
