#ifndef OVERLAY_FABRIC_INNER_FLOW_KEY_H
#define OVERLAY_FABRIC_INNER_FLOW_KEY_H

#include "ns3/packet.h"

#include <cstdint>
#include <functional>

namespace ns3
{

/**
 * \ingroup overlay-fabric
 * \brief The 5-tuple of an inner IPv4 packet inside an Ethernet frame.
 */
struct InnerFlowKey
{
    uint32_t src{0};   //!< IPv4 source, host order
    uint32_t dst{0};   //!< IPv4 destination, host order
    uint16_t sport{0}; //!< L4 source port (0 if not UDP/TCP or a non-first fragment)
    uint16_t dport{0}; //!< L4 destination port
    uint8_t proto{0};  //!< IP protocol

    bool operator==(const InnerFlowKey& o) const
    {
        return src == o.src && dst == o.dst && sport == o.sport && dport == o.dport &&
               proto == o.proto;
    }
};

/// \brief 32-bit mix of a 64-bit value (SplitMix64 finaliser): cheap and well spread.
inline uint32_t
MixHash(uint64_t x)
{
    x ^= x >> 30;
    x *= 0xbf58476d1ce4e5b9ULL;
    x ^= x >> 27;
    x *= 0x94d049bb133111ebULL;
    x ^= x >> 31;
    return static_cast<uint32_t>(x);
}

/// \return a deterministic hash of the 5-tuple (same flow, same value, on every platform)
inline uint32_t
HashInnerFlow(const InnerFlowKey& k)
{
    uint64_t a = (uint64_t{k.src} << 32) | k.dst;
    uint64_t b = (uint64_t{k.sport} << 24) | (uint64_t{k.dport} << 8) | k.proto;
    return MixHash(a ^ MixHash(b));
}

/// \brief std::hash-compatible functor for unordered containers.
struct InnerFlowKeyHash
{
    size_t operator()(const InnerFlowKey& k) const
    {
        return HashInnerFlow(k);
    }
};

/**
 * \brief Read the inner 5-tuple of an Ethernet II frame carrying IPv4, copying at most 14 + 60 + 4
 * bytes (no header objects, no allocation).
 * \param frame the frame, Ethernet header first
 * \param key filled on success
 * \return false if the frame is not IPv4 or too short
 */
inline bool
ParseInnerFlowKey(const Ptr<const Packet>& frame, InnerFlowKey& key)
{
    uint8_t b[14 + 60 + 4];
    uint32_t n = frame->CopyData(b, sizeof(b));
    if (n < 34 || b[12] != 0x08 || b[13] != 0x00 || (b[14] >> 4) != 4)
    {
        return false;
    }
    uint32_t ihl = (b[14] & 0x0f) * 4u;
    if (ihl < 20 || n < 14 + ihl)
    {
        return false;
    }
    key.proto = b[14 + 9];
    key.src = (uint32_t{b[26]} << 24) | (uint32_t{b[27]} << 16) | (uint32_t{b[28]} << 8) | b[29];
    key.dst = (uint32_t{b[30]} << 24) | (uint32_t{b[31]} << 16) | (uint32_t{b[32]} << 8) | b[33];
    bool firstFragment = ((uint32_t{b[20]} & 0x1f) << 8 | b[21]) == 0;
    if ((key.proto == 6 || key.proto == 17) && firstFragment && n >= 14 + ihl + 4)
    {
        const uint8_t* l4 = b + 14 + ihl;
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

} // namespace ns3

#endif
