// libFuzzer harness: NshHeader::Deserialize on untrusted bytes (see fuzz-header.h for the
// checks).
#include "fuzz-header.h"
#include "nsh-header.h"

#include <cstddef>
#include <cstdint>

extern "C" int
LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    ns3::fuzz::CheckHeaderInput<ns3::NshHeader>("nsh", data, size);
    return 0;
}
