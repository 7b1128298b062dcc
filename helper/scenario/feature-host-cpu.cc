#include "feature-host-cpu.h"

#include "scenario-schema.h"

namespace ns3
{

void
HostCpuFeature::Install(const ScenarioConfig& config, ScenarioNetwork& network)
{
    const HostCpuConfig& cfg = config.hostCpu;
    if (!cfg.enabled)
    {
        return;
    }
    const schema::Section& section = *schema::FindSection("host_cpu");
    const uint32_t numHosts = network.overlay->GetHostCount();
    const std::vector<bool> modelled = SelectedHosts(cfg.hosts, numHosts);
    network.fastPath.reservedCores.assign(numHosts, 0);
    for (uint32_t h = 0; h < numHosts; ++h)
    {
        if (!modelled[h])
        {
            continue;
        }
        network.fastPath.reservedCores[h] = cfg.cores;
        Ptr<HostCpu> cpu = CreateObject<HostCpu>();
        schema::ApplyAttributes(section, &cfg, cpu);
        Ptr<Vtep> vtep = network.overlay->GetVtep(h);
        vtep->SetHostCpu(cpu);
        vtep->TraceConnectWithoutContext(
            "CpuHold",
            MakeCallback(&FlowLedger::ServiceHold, network.ledger.get()));
        m_cpus.emplace_back(h, cpu);
    }
}

void
HostCpuFeature::Collect(const ScenarioConfig& config,
                        const ScenarioNetwork& /* network */,
                        nlohmann::ordered_json& results)
{
    if (!config.hostCpu.enabled)
    {
        return;
    }
    const double duration = config.duration.GetSeconds();
    nlohmann::ordered_json hosts = nlohmann::ordered_json::object();
    uint64_t packets = 0;
    uint64_t refused = 0;
    double coresBusy = 0;
    for (const auto& [h, cpu] : m_cpus)
    {
        const HostCpu::Counters& c = cpu->GetCounters();
        const double busy = c.busy.GetSeconds() / duration;
        hosts[HostRef(h).Format()] = {{"packets", c.packets},
                                      {"refused", c.refused},
                                      {"cycles", c.cycles},
                                      {"cores_busy", busy},
                                      {"utilization", busy / cpu->GetCores()},
                                      {"max_wait_us", c.maxQueueing.GetNanoSeconds() / 1e3}};
        packets += c.packets;
        refused += c.refused;
        coresBusy += busy;
    }
    results["host_cpu"] = {
        {"hosts", hosts},
        {"totals", {{"packets", packets}, {"refused", refused}, {"cores_busy", coresBusy}}}};
}

std::vector<ResultsField>
HostCpuFeature::ResultsSections() const
{
    ResultsShape::NamesOf hostNames = [](const ScenarioConfig& c) {
        std::vector<std::string> names;
        const std::vector<bool> modelled = SelectedHosts(c.hostCpu.hosts, c.fabric.NumHosts());
        for (uint32_t h = 0; h < modelled.size(); ++h)
        {
            if (modelled[h])
            {
                names.push_back(HostRef(h).Format());
            }
        }
        return std::optional<std::vector<std::string>>(names);
    };
    ResultsShape host = ResultsObject(
        "One host's data-path cores.",
        {{"packets", ResultsNumber("", "Tunnel packets its cores served (sent and received).")},
         {"refused", ResultsNumber("", "Packets refused: a core's backlog was full.")},
         {"cycles", ResultsNumber("", "Cycles of the packets served.")},
         {"cores_busy",
          ResultsNumber("", "Cores busy on average over the run (busy time / duration).")},
         {"utilization", ResultsNumber("", "cores_busy / cores.")},
         {"max_wait_us", ResultsNumber("us", "The longest a packet waited for its core.")}});
    return {{"host_cpu",
             ResultsObject(
                 "The host CPU cost model of the software data path.",
                 {{"hosts", ResultsNamed("Per host with the model.", "host", hostNames, host)},
                  {"totals",
                   ResultsObject("Sums over the hosts.",
                                 {{"packets", ResultsNumber("", "Packets served.")},
                                  {"refused", ResultsNumber("", "Packets refused.")},
                                  {"cores_busy", ResultsNumber("", "Cores busy on average.")}})}})
                 .AbsentWhen([](const ScenarioConfig& c) {
                     return c.hostCpu.enabled ? std::string() : std::string("host_cpu is off");
                 })}};
}

} // namespace ns3
