#ifndef OVERLAY_FABRIC_TEST_FUZZ_HEADER_H
#define OVERLAY_FABRIC_TEST_FUZZ_HEADER_H

// The body shared by the header harnesses (fuzz-geneve.cc, fuzz-vxlan.cc, fuzz-bfd.cc,
// fuzz-echo.cc): received bytes go through Deserialize and the static ParseFrom, which must agree;
// a header that was accepted must serialize to bytes that read back to the same header.

#include "ns3/buffer.h"
#include "ns3/header.h"

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <sstream>
#include <vector>

namespace ns3
{
namespace fuzz
{

/**
 * \brief Stop the run with a message: a broken invariant is a finding, so abort() lets
 * libFuzzer (or the replay driver) report it with the input that caused it.
 * \param header name of the header under test
 * \param what the invariant that failed
 */
[[noreturn]] inline void
Finding(const char* header, const char* what)
{
    std::fprintf(stderr, "fuzz-%s: %s\n", header, what);
    std::abort();
}

/**
 * \param header header to serialize
 * \return the bytes Serialize writes (GetSerializedSize() of them)
 */
inline std::vector<uint8_t>
SerializeToBytes(const Header& header)
{
    Buffer buffer;
    buffer.AddAtStart(header.GetSerializedSize());
    header.Serialize(buffer.Begin());
    std::vector<uint8_t> bytes(buffer.GetSize());
    buffer.CopyData(bytes.data(), buffer.GetSize());
    return bytes;
}

/**
 * \param bytes received bytes
 * \param size how many
 * \return a Buffer holding exactly those bytes
 */
inline Buffer
BufferFrom(const uint8_t* bytes, size_t size)
{
    Buffer buffer;
    buffer.AddAtStart(static_cast<uint32_t>(size));
    if (size > 0)
    {
        buffer.Begin().Write(bytes, static_cast<uint32_t>(size));
    }
    return buffer;
}

/**
 * \brief One fuzz input against header type T (T has a static ParseFrom(data, length, out)).
 *
 * Checks:
 * - Deserialize(start) and Deserialize(start, end) read the same count, at most \p size bytes
 *   and, when they accept, at least GetSerializedSize() (BFD may consume a longer Length);
 * - ParseFrom on the raw bytes (an exact-size heap copy: ASan sees any read past it) returns the
 *   same count and the same header;
 * - an accepted header serializes to bytes that Deserialize reads back whole (exactly
 *   GetSerializedSize()) into a header serializing to the same bytes.
 * Print() is exercised too.
 * \param name header name for messages
 * \param data fuzz input
 * \param size its length
 */
template <typename T>
void
CheckHeaderInput(const char* name, const uint8_t* data, size_t size)
{
    if (size > 65535)
    {
        return;
    }
    // An exact-size copy: libFuzzer's own buffer is exact too, but the replay driver's need not be.
    std::vector<uint8_t> input(data, data + size);
    Buffer buffer = BufferFrom(input.data(), input.size());

    T header;
    uint32_t consumed = header.Deserialize(buffer.Begin());
    T bounded;
    // Through Header&: a header that only overrides Deserialize(start) hides the other overload.
    uint32_t consumedBounded =
        static_cast<Header&>(bounded).Deserialize(buffer.Begin(), buffer.End());
    T parsed;
    uint32_t consumedParse =
        T::ParseFrom(input.empty() ? nullptr : input.data(), static_cast<uint32_t>(size), parsed);
    if (consumed != consumedBounded)
    {
        Finding(name, "Deserialize(start) and Deserialize(start, end) disagree");
    }
    if (consumed != consumedParse)
    {
        Finding(name, "Deserialize and ParseFrom disagree");
    }
    if (consumed == 0)
    {
        return;
    }
    if (consumed > size)
    {
        Finding(name, "Deserialize claims more bytes than it was given");
    }
    if (consumed < header.GetSerializedSize())
    {
        Finding(name, "Deserialize consumed fewer bytes than the header serializes to");
    }
    std::ostringstream printed;
    header.Print(printed);

    std::vector<uint8_t> first = SerializeToBytes(header);
    if (first != SerializeToBytes(bounded) || first != SerializeToBytes(parsed))
    {
        Finding(name, "Deserialize and ParseFrom read different headers");
    }
    Buffer again = BufferFrom(first.data(), first.size());
    T copy;
    if (copy.Deserialize(again.Begin()) != first.size())
    {
        Finding(name, "a serialized header does not deserialize whole");
    }
    if (SerializeToBytes(copy) != first)
    {
        Finding(name, "serialize -> deserialize -> serialize changed the bytes");
    }
}

} // namespace fuzz
} // namespace ns3

#endif
