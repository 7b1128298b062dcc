// libFuzzer harness: BfdHeader::Deserialize on untrusted bytes (see fuzz-header.h for the checks).
#include "bfd-header.h"
#include "fuzz-header.h"

#include <cstddef>
#include <cstdint>

extern "C" int
LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    ns3::fuzz::CheckHeaderInput<ns3::BfdHeader>("bfd", data, size);
    return 0;
}
