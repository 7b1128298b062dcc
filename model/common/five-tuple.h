#ifndef OVERLAY_FABRIC_FIVE_TUPLE_H
#define OVERLAY_FABRIC_FIVE_TUPLE_H

#include "ns3/packet.h"

#include <cstdint>

namespace ns3
{

/**
 * \ingroup overlay-fabric
 * \brief The 5-tuple of an IPv4 packet: what ECMP hashes (outer headers, in the fabric) and what
 * a flow is (inner headers, at the virtual switch and the VTEP). The one parser and the one hash
 * of the module.
 */
struct FiveTuple
{
    uint32_t src{0};   //!< IPv4 source, host order
    uint32_t dst{0};   //!< IPv4 destination, host order
    uint16_t sport{0}; //!< L4 source port (0 if not UDP/TCP, or a fragment)
    uint16_t dport{0}; //!< L4 destination port (0 if not UDP/TCP, or a fragment)
    uint8_t proto{0};  //!< IP protocol

    bool operator==(const FiveTuple& o) const
    {
        return src == o.src && dst == o.dst && sport == o.sport && dport == o.dport &&
               proto == o.proto;
    }
};

/// \brief murmur3's 64-bit finaliser: cheap and well spread.
inline uint64_t
MixHash64(uint64_t k)
{
    k ^= k >> 33;
    k *= 0xff51afd7ed558ccdULL;
    k ^= k >> 33;
    k *= 0xc4ceb9fe1a85ec53ULL;
    k ^= k >> 33;
    return k;
}

/**
 * \brief Seeded hash of a 5-tuple: the same tuple and seed give the same value on every platform.
 * \param k the tuple
 * \param seed per-switch ECMP seed, or 0 for the VTEP's inner-flow entropy
 * \return 64 well-mixed bits (use the high ones)
 */
inline uint64_t
HashFiveTuple(const FiveTuple& k, uint64_t seed)
{
    const uint64_t addresses = (uint64_t{k.src} << 32) | k.dst;
    const uint64_t rest = (uint64_t{k.proto} << 32) | (uint64_t{k.sport} << 16) | k.dport;
    uint64_t h = MixHash64(seed ^ (addresses * 0x9e3779b97f4a7c15ULL));
    return MixHash64(h ^ (rest + 0x632be59bd9b4e019ULL));
}

/// \return 32 bits of flow entropy of an inner flow (VTEP source port, uplink choice)
inline uint32_t
FlowEntropy(const FiveTuple& k)
{
    return static_cast<uint32_t>(HashFiveTuple(k, 0) >> 32);
}

/**
 * \return the outer UDP source port a VTEP gives a tunnelled packet of inner-flow entropy
 * \p flowHash: 49152 + flowHash mod 16384, in the dynamic range, so that the fabric's ECMP hash
 * spreads inner flows (RFC 8926 section 3.3, RFC 7348 section 5)
 */
inline uint16_t
TunnelSourcePort(uint32_t flowHash)
{
    return static_cast<uint16_t>(49152 + flowHash % 16384);
}

/// \brief Hash functor for unordered containers keyed by FiveTuple.
struct FiveTupleHash
{
    size_t operator()(const FiveTuple& k) const
    {
        return HashFiveTuple(k, 0);
    }
};

/// Bytes to copy from the start of an Ethernet frame to parse its 5-tuple: 14 + 60 + 4.
constexpr uint32_t FIVE_TUPLE_BYTES = 14 + 60 + 4;

/**
 * \brief Read the 5-tuple of an Ethernet II frame carrying IPv4 from its first bytes (no header
 * objects, no allocation).
 * \param b the frame's first bytes
 * \param n how many there are (FIVE_TUPLE_BYTES is always enough)
 * \param key filled on success; ports are 0 unless UDP/TCP and not a fragment (MF or offset set)
 * \return false if the frame is not IPv4 or its IPv4 header is cut short or malformed
 */
inline bool
ParseFiveTuple(const uint8_t* b, uint32_t n, FiveTuple& key)
{
    if (n < 14 + 20 || b[12] != 0x08 || b[13] != 0x00 || (b[14] >> 4) != 4)
    {
        return false;
    }
    const uint8_t* ip = b + 14;
    const uint32_t ihl = (ip[0] & 0x0f) * 4u;
    if (ihl < 20 || n < 14 + ihl)
    {
        return false;
    }
    key.proto = ip[9];
    key.src =
        (uint32_t{ip[12]} << 24) | (uint32_t{ip[13]} << 16) | (uint32_t{ip[14]} << 8) | ip[15];
    key.dst =
        (uint32_t{ip[16]} << 24) | (uint32_t{ip[17]} << 16) | (uint32_t{ip[18]} << 8) | ip[19];
    const bool fragment = ((uint32_t{ip[6]} << 8 | ip[7]) & 0x3fff) != 0;
    if ((key.proto == 6 || key.proto == 17) && !fragment && n >= 14 + ihl + 4)
    {
        const uint8_t* l4 = ip + ihl;
        key.sport = static_cast<uint16_t>(l4[0] << 8 | l4[1]);
        key.dport = static_cast<uint16_t>(l4[2] << 8 | l4[3]);
    }
    else
    {
        key.sport = 0;
        key.dport = 0;
    }
    return true;
}

/// \brief ParseFiveTuple() on a packet that starts with an Ethernet II header.
inline bool
ParseFiveTuple(const Ptr<const Packet>& frame, FiveTuple& key)
{
    uint8_t b[FIVE_TUPLE_BYTES];
    return ParseFiveTuple(b, frame->CopyData(b, sizeof(b)), key);
}

} // namespace ns3

#endif
