#ifndef OVERLAY_FABRIC_TEST_HEADER_ROUND_TRIP_H
#define OVERLAY_FABRIC_TEST_HEADER_ROUND_TRIP_H

#include "ns3/packet.h"
#include "ns3/ptr.h"

#include <cstdint>
#include <gtest/gtest.h>
#include <vector>

namespace ns3
{

/**
 * \brief Serialize \p header the way a sender does (Packet::AddHeader) and return its bytes.
 * \param header header to serialize
 * \return the bytes on the wire
 */
template <typename T>
std::vector<uint8_t>
SerializeHeader(const T& header)
{
    Ptr<Packet> packet = Create<Packet>();
    packet->AddHeader(header);
    std::vector<uint8_t> bytes(packet->GetSize());
    packet->CopyData(bytes.data(), static_cast<uint32_t>(bytes.size()));
    return bytes;
}

/**
 * \brief Round-trip check shared by every header test.
 *
 * Serializes \p header in front of a payload, removes it into a fresh T (checking that exactly
 * GetSerializedSize() bytes were consumed and the payload is left intact), serializes the copy
 * again and expects the same bytes. Failures are reported through GoogleTest EXPECTs; wrap the
 * call in SCOPED_TRACE to tell cases apart.
 * \param header header to check
 * \param decoded if not null, receives the deserialized copy for field checks
 * \return the serialized bytes (header only)
 */
template <typename T>
std::vector<uint8_t>
CheckHeaderRoundTrip(const T& header, T* decoded = nullptr)
{
    std::vector<uint8_t> first = SerializeHeader(header);
    EXPECT_EQ(first.size(), header.GetSerializedSize());

    const std::vector<uint8_t> payload{0xa5, 0x5a, 0xa5, 0x5a, 0x01, 0x02, 0x03};
    Ptr<Packet> packet = Create<Packet>(payload.data(), static_cast<uint32_t>(payload.size()));
    packet->AddHeader(header);
    T copy;
    uint32_t consumed = packet->RemoveHeader(copy);
    EXPECT_EQ(consumed, first.size()) << "Deserialize must consume exactly the header";
    std::vector<uint8_t> rest(packet->GetSize());
    packet->CopyData(rest.data(), static_cast<uint32_t>(rest.size()));
    EXPECT_EQ(rest, payload) << "payload after the header must be left untouched";

    std::vector<uint8_t> second = SerializeHeader(copy);
    EXPECT_EQ(first, second) << "serialize -> deserialize -> serialize changed the bytes";
    if (decoded != nullptr)
    {
        *decoded = copy;
    }
    return first;
}

} // namespace ns3

#endif
