// libFuzzer harness: the scenario reader and validator (LoadScenarioVariantsString) on arbitrary
// text. A ConfigError is the expected way to refuse input; any other exception escaping, a crash
// or a sanitizer report is a finding. Every configuration accepted must also survive its own echo
// (the scenario.yaml a run folder gets): it reads back, and for a file without variants the echo
// of what was read back is the same text.
#include "scenario-loader.h"
#include "scenario-schema.h"

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

extern "C" int
LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    std::string yaml(reinterpret_cast<const char*>(data), size);
    std::vector<ns3::ScenarioConfig> configs;
    try
    {
        configs = ns3::LoadScenarioVariantsString(yaml, "<fuzz>");
    }
    catch (const ns3::ConfigError&)
    {
        return 0;
    }
    for (const ns3::ScenarioConfig& config : configs)
    {
        std::string echo = ns3::schema::EchoScenarioYaml(config);
        ns3::ScenarioConfig again;
        try
        {
            again = ns3::LoadScenarioString(echo, "<echo>");
        }
        catch (const ns3::ConfigError& e)
        {
            std::fprintf(
                stderr,
                "fuzz-scenario: the echo of an accepted scenario is refused: %s\n--- echo:\n%s\n",
                e.what(),
                echo.c_str());
            std::abort();
        }
        if (config.variant.empty() && ns3::schema::EchoScenarioYaml(again) != echo)
        {
            std::fprintf(stderr,
                         "fuzz-scenario: the echo does not read back the same:\n%s\n",
                         echo.c_str());
            std::abort();
        }
    }
    return 0;
}
