#include "fast-path-cost.h"

namespace ns3
{

FastPathCost
FastPathCost::Of(const FastPathResources& r, const FastPathWeights& w)
{
    FastPathCost c;
    c.tableMemory = w.memoryPerMib * r.tableMemoryMib;
    c.lookupRate = w.lookupPerMpps * r.lookupRateMpps;
    c.pipeline = w.pipelinePerSpeed * r.pipelineSpeed;
    c.updateRate = w.updatePerMps * r.updateRateMps;
    c.vfs = w.perVf * r.vfs;
    c.hostCores = w.perHostCore * r.hostCores;
    c.total = c.tableMemory + c.lookupRate + c.pipeline + c.updateRate + c.vfs + c.hostCores;
    return c;
}

std::string
FastPathCost::Formula()
{
    return "memory_weight x table_memory_mib + lookup_weight x lookup_rate_mpps + "
           "pipeline_weight x pipeline_speed + update_weight x update_rate_mps + vf_weight x vfs "
           "+ host_core_weight x host_cores";
}

} // namespace ns3
