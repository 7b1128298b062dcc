// libFuzzer harness: the --set parser. Each line of the input is one "PATH=VALUE" override
// (ParseOverride); the overrides that parse are applied, in order, to a small valid scenario
// (LoadScenarioString). ConfigError is the expected refusal at either step; any other exception
// escaping, a crash or a sanitizer report is a finding.
#include "scenario-loader.h"

#include <cstddef>
#include <cstdint>
#include <sstream>
#include <string>
#include <vector>

namespace
{

/// A valid scenario with every section an override is likely to reach.
const char* const BASE_SCENARIO = R"(name: fuzz-base
seed: 1
duration: 100ms
fabric: {spines: 2, leaf_pairs: 2, hosts_per_rack: 2}
overlay:
  encap: geneve
  segments: [{vni: 7000, vms: [host0/vm0, host2/vm0]}]
traffic:
  - {name: f0, from: host0/vm0, to: host2/vm0, kind: udp-cbr, rate: 1Mbps, size: 500, start: 10ms}
faults:
  - {kind: link-down, target: host0/uplink0, at: 50ms}
expect:
  flows.f0.delivered: {min: 1}
)";

/// At most this many overrides per input: enough for interactions, short enough to stay fast.
constexpr size_t MAX_OVERRIDES = 8;

} // namespace

extern "C" int
LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    std::istringstream lines(std::string(reinterpret_cast<const char*>(data), size));
    std::vector<ns3::ScenarioOverride> overrides;
    std::string line;
    while (overrides.size() < MAX_OVERRIDES && std::getline(lines, line))
    {
        try
        {
            ns3::ScenarioOverride override = ns3::ParseOverride(line);
            overrides.push_back(override);
        }
        catch (const ns3::ConfigError&)
        {
        }
    }
    try
    {
        ns3::LoadScenarioString(BASE_SCENARIO, "<fuzz>", overrides);
    }
    catch (const ns3::ConfigError&)
    {
    }
    return 0;
}
