#include "feature-cost.h"

#include "host-cpu.h"
#include "scenario-schema.h"

#include <algorithm>

namespace ns3
{

using Json = nlohmann::ordered_json;

void
CostFeature::Install(const ScenarioConfig& /* config */, ScenarioNetwork& /* network */)
{
}

FastPathResources
CostFeature::Resources(const ScenarioConfig& config, const ScenarioNetwork& network)
{
    const FastPathInventory& inventory = network.fastPath;
    FastPathResources r = inventory.nics;
    const uint32_t numHosts = network.overlay->GetHostCount();
    auto offloads = [&inventory](uint32_t h) {
        return !inventory.offloading.empty() && inventory.offloading[h];
    };

    // The cycles of each stage, as the host CPU model counts them.
    Ptr<HostCpu> cycles = CreateObject<HostCpu>();
    schema::ApplyAttributes(*schema::FindSection("host_cpu"), &config.hostCpu, cycles);
    std::vector<double> cyclesPerSecond(numHosts, 0.0);
    // LRO: an offloading NIC hands TCP segments up in aggregates, paid once each.
    uint64_t lroAggregates = 0;
    uint64_t lroSegments = 0;
    for (const Ptr<OffloadNic>& nic : inventory.offloadNics)
    {
        lroAggregates += nic->GetCounters().lroAggregates;
        lroSegments += nic->GetCounters().lroSegments;
    }
    const double segmentsPerAggregate =
        lroAggregates ? double(lroSegments) / double(lroAggregates) : 1.0;
    Time firstStart = config.duration;
    Time lastStop = Seconds(0);
    for (uint32_t i = 0; i < config.traffic.size(); ++i)
    {
        const FlowConfig& f = config.traffic[i];
        const uint32_t src = f.from.GetHostIndex();
        const uint32_t dst = f.to.GetHostIndex();
        const Time active = f.stop.value_or(config.duration) - f.start;
        firstStart = std::min(firstStart, f.start);
        lastStop = std::max(lastStop, f.stop.value_or(config.duration));
        if (src == dst || !active.IsStrictlyPositive())
        {
            continue;
        }
        const double pps = network.ledger->GetFlow(i).sent / active.GetSeconds();
        // A VM on an SR-IOV VF bypasses its hypervisor: its host spends nothing on its frames.
        if (!inventory.functionVms.count(f.from))
        {
            cyclesPerSecond[src] += pps * cycles->TransmitCycles(offloads(src));
        }
        if (!inventory.functionVms.count(f.to))
        {
            const double perAggregate =
                f.kind == FlowKind::TCP_BULK && offloads(dst) ? segmentsPerAggregate : 1.0;
            cyclesPerSecond[dst] +=
                pps * cycles->ReceiveCycles(offloads(dst), !offloads(dst)) / perAggregate;
        }
    }
    const Time trafficTime = lastStop - firstStart;
    if (inventory.gateway && trafficTime.IsStrictlyPositive())
    {
        const uint32_t g = *inventory.gateway;
        uint64_t gatewayBound = 0; // offered to the gateway, relayed or not
        for (const Ptr<OffloadNic>& nic : inventory.offloadNics)
        {
            gatewayBound += nic->GetCounters().gatewayBound;
        }
        const double relayPps = gatewayBound / trafficTime.GetSeconds();
        cyclesPerSecond[g] +=
            relayPps * (cycles->ReceiveCycles(false, true) + cycles->TransmitCycles(false));
    }
    const double clockHz = config.hostCpu.clockGhz * 1e9;
    for (uint32_t h = 0; h < numHosts; ++h)
    {
        const double needed = cyclesPerSecond[h] / clockHz;
        const double reserved =
            inventory.reservedCores.empty() ? 0.0 : double(inventory.reservedCores[h]);
        r.hostCoresNeeded += needed;
        r.hostCoresReserved += reserved;
        r.hostCores += std::max(needed, reserved);
    }
    return r;
}

void
CostFeature::Collect(const ScenarioConfig& config,
                     const ScenarioNetwork& network,
                     nlohmann::ordered_json& results)
{
    const FastPathResources r = Resources(config, network);
    const FastPathCost cost = FastPathCost::Of(r, config.cost);
    Json weights = Json::object();
    for (const schema::Key& key : schema::FindSection("cost")->keys)
    {
        weights[key.name] = key.get(&config.cost);
    }
    results["cost"] = {{"fast_path", cost.total},
                       {"formula", FastPathCost::Formula()},
                       {"resources",
                        {{"offloading_nics", r.nics},
                         {"table_entries", r.tableEntries},
                         {"table_memory_mib", r.tableMemoryMib},
                         {"lookup_rate_mpps", r.lookupRateMpps},
                         {"pipeline_speed", r.pipelineSpeed},
                         {"update_rate_mps", r.updateRateMps},
                         {"vfs", r.vfs},
                         {"host_cores_needed", r.hostCoresNeeded},
                         {"host_cores_reserved", r.hostCoresReserved},
                         {"host_cores", r.hostCores}}},
                       {"weights", weights},
                       {"terms",
                        {{"table_memory", cost.tableMemory},
                         {"lookup_rate", cost.lookupRate},
                         {"pipeline", cost.pipeline},
                         {"update_rate", cost.updateRate},
                         {"vfs", cost.vfs},
                         {"host_cores", cost.hostCores}}}};
}

std::vector<ResultsField>
CostFeature::ResultsSections() const
{
    std::vector<ResultsField> weights;
    for (const schema::Key& key : schema::FindSection("cost")->keys)
    {
        weights.push_back({key.name, ResultsNumber("", "Weight " + key.doc + ".")});
    }
    return {
        {"cost",
         ResultsObject(
             "The modeled hardware cost of the fast path, in host cores (the cost section's "
             "weights).",
             {{"fast_path", ResultsNumber("", "The scalar cost: the sum of the terms (formula).")},
              {"formula", ResultsText("How fast_path is computed, in these names.")},
              {"resources",
               ResultsObject(
                   "What the fast path is made of, summed over the fabric.",
                   {{"offloading_nics", ResultsNumber("", "Offloading NICs (one per uplink).")},
                    {"table_entries",
                     ResultsNumber("", "Entries their table memories are sized for.")},
                    {"table_memory_mib",
                     ResultsNumber("MiB", "Their table memory: entries x offload.entry_bytes.")},
                    {"lookup_rate_mpps",
                     ResultsNumber("Mlookups/s", "Their lookup engines (offload.lookup_rate).")},
                    {"pipeline_speed",
                     ResultsNumber("1/us", "Sum of 1 / offload.pipeline_latency.")},
                    {"update_rate_mps",
                     ResultsNumber("Mentries/s",
                                   "Table updates they apply (1 / offload.push_entry_latency).")},
                    {"vfs", ResultsNumber("", "SR-IOV virtual functions.")},
                    {"host_cores_needed",
                     ResultsNumber("cores",
                                   "Cores the software data path needs at the offered load "
                                   "(flows' packets/s x cycles per packet / clock).")},
                    {"host_cores_reserved",
                     ResultsNumber("cores", "Cores the host CPU model gives the data path.")},
                    {"host_cores",
                     ResultsNumber("cores",
                                   "Cores charged: per host the larger of needed and "
                                   "reserved.")}})},
              {"weights", ResultsObject("The weights (cost section).", weights)},
              {"terms",
               ResultsObject(
                   "Each weight x its resource.",
                   {{"table_memory", ResultsNumber("", "memory_weight x table_memory_mib.")},
                    {"lookup_rate", ResultsNumber("", "lookup_weight x lookup_rate_mpps.")},
                    {"pipeline", ResultsNumber("", "pipeline_weight x pipeline_speed.")},
                    {"update_rate", ResultsNumber("", "update_weight x update_rate_mps.")},
                    {"vfs", ResultsNumber("", "vf_weight x vfs.")},
                    {"host_cores", ResultsNumber("", "host_core_weight x host_cores.")}})}})}};
}

} // namespace ns3
