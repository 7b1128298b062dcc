#include "feature-pcap.h"

#include <filesystem>

namespace ns3
{

void
PcapFeature::Install(const ScenarioConfig& config, ScenarioNetwork& network)
{
    if (network.outDir.empty() || config.pcapPorts.empty())
    {
        return;
    }
    std::filesystem::create_directories(network.outDir);
    for (const auto& port : config.pcapPorts)
    {
        network.pcapFiles.emplace_back(
            port.Format(),
            network.fabric->EnablePcap(network.outDir + "/" + config.name, port));
    }
}

} // namespace ns3
