// libFuzzer harness: GeneveHeader::Deserialize on untrusted bytes (see fuzz-header.h for the
// checks).
#include "fuzz-header.h"
#include "geneve-header.h"

#include <cstddef>
#include <cstdint>

extern "C" int
LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    ns3::fuzz::CheckHeaderInput<ns3::GeneveHeader>("geneve", data, size);
    return 0;
}
