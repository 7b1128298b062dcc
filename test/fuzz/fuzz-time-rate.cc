// libFuzzer harness: ParseTime and ParseDataRate, the scenario file's time and rate syntax, on
// arbitrary text. std::invalid_argument is the expected refusal; anything else escaping (e.g.
// std::out_of_range from a number conversion), a crash or a sanitizer report is a finding.
#include "scenario-loader.h"

#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>

extern "C" int
LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    std::string text(reinterpret_cast<const char*>(data), size);
    try
    {
        ns3::ParseTime(text);
    }
    catch (const std::invalid_argument&)
    {
    }
    try
    {
        ns3::ParseDataRate(text);
    }
    catch (const std::invalid_argument&)
    {
    }
    return 0;
}
