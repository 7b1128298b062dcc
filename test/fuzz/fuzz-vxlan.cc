// libFuzzer harness: VxlanHeader::Deserialize on untrusted bytes (see fuzz-header.h for the
// checks).
#include "fuzz-header.h"
#include "vxlan-header.h"

#include <cstddef>
#include <cstdint>

extern "C" int
LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    ns3::fuzz::CheckHeaderInput<ns3::VxlanHeader>("vxlan", data, size);
    return 0;
}
