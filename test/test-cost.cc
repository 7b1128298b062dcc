// The fast path's cost (results "cost"): the NIC hardware the offload module built and the host
// cores the offered load needs, priced by the cost section's weights.
#include "fast-path-cost.h"
#include "scenario-loader.h"
#include "scenario-runner.h"

#include <gtest/gtest.h>

using namespace ns3;
using Json = nlohmann::ordered_json;

namespace
{

/// host0/vm0 -> host2/vm0 at 800 Mb/s of 1000-byte payloads (100 kpps) for 50 ms; four hosts of
/// two uplinks. \p extra is appended (offload, host_cpu, cost sections).
ScenarioConfig
Scenario(const std::string& extra)
{
    return LoadScenarioString("name: cost\n"
                              "duration: 60ms\n"
                              "fabric: {spines: 2, leaf_pairs: 2, hosts_per_rack: 2,"
                              " uplinks_per_host: 2}\n"
                              "overlay:\n"
                              "  segments:\n"
                              "    - {vni: 5000, vms: [host0/vm0, host2/vm0]}\n"
                              "    - {vni: 5001, vms: [host1/vm0, host3/vm0]}\n"
                              "traffic:\n"
                              "  - {name: f, from: host0/vm0, to: host2/vm0, rate: 800Mbps,"
                              " size: 1000, start: 10ms}\n" +
                                  extra,
                              "cost.yaml");
}

} // namespace

TEST(FastPathCost, IsTheWeightedSumOfItsResources)
{
    FastPathResources r;
    r.tableMemoryMib = 4;
    r.lookupRateMpps = 240;
    r.pipelineSpeed = 8;
    r.updateRateMps = 8;
    r.vfs = 10;
    r.hostCores = 1.5;
    const FastPathCost c = FastPathCost::Of(r, FastPathWeights{});
    EXPECT_DOUBLE_EQ(c.tableMemory, 2.0);
    EXPECT_DOUBLE_EQ(c.lookupRate, 2.4);
    EXPECT_DOUBLE_EQ(c.pipeline, 0.8);
    EXPECT_DOUBLE_EQ(c.updateRate, 0.4);
    EXPECT_DOUBLE_EQ(c.vfs, 0.2);
    EXPECT_DOUBLE_EQ(c.hostCores, 1.5);
    EXPECT_DOUBLE_EQ(c.total, 2.0 + 2.4 + 0.8 + 0.4 + 0.2 + 1.5);
}

TEST(FastPathCost, SoftwarePathPaysTheCoresItsOfferedLoadNeeds)
{
    // No offload, no CPU model: the sender needs pps x 2,420 cycles (switch 2,000 + lookup,
    // encapsulation, checksum 420), the receiver pps x 3,320 (switch + decapsulation,
    // checksum, learning 1,320), at 2.5 GHz.
    ScenarioRun run = RunScenario(Scenario(""));
    const Json& cost = run.results["cost"];
    const double pps = run.results["flows"]["f"]["sent"].get<double>() / 0.05;
    EXPECT_NEAR(pps, 100000, 100);
    const double needed = pps * (2420 + 3320) / 2.5e9;
    EXPECT_EQ(cost["resources"]["offloading_nics"], 0);
    EXPECT_DOUBLE_EQ(cost["resources"]["host_cores_needed"].get<double>(), needed);
    EXPECT_DOUBLE_EQ(cost["resources"]["host_cores"].get<double>(), needed);
    EXPECT_DOUBLE_EQ(cost["fast_path"].get<double>(), needed);
    EXPECT_EQ(cost["weights"]["host_core_weight"], 1.0);
}

TEST(FastPathCost, OffloadPaysItsNicsAndFewerCoresAndAReservedCoreIsCharged)
{
    // Eight offloading NICs of 16,384 32-byte entries (0.5 MiB each), 30 Mlookups/s, a 1 us
    // pipeline, 1 M updates/s; the sender needs pps x 2,020 cycles (switch + tag), the receiver
    // pps x 2,000; host0 reserves one core, more than it needs, and is charged it.
    ScenarioRun run = RunScenario(Scenario("offload: {}\nhost_cpu: {hosts: [host0]}\n"
                                           "cost: {memory_weight: 1.0}\n"));
    const Json& r = run.results["cost"]["resources"];
    const double pps = run.results["flows"]["f"]["sent"].get<double>() / 0.05;
    EXPECT_EQ(r["offloading_nics"], 8);
    EXPECT_EQ(r["table_entries"], 8 * 16384);
    EXPECT_DOUBLE_EQ(r["table_memory_mib"].get<double>(), 4.0);
    EXPECT_DOUBLE_EQ(r["lookup_rate_mpps"].get<double>(), 240.0);
    EXPECT_DOUBLE_EQ(r["pipeline_speed"].get<double>(), 8.0);
    EXPECT_DOUBLE_EQ(r["update_rate_mps"].get<double>(), 8.0);
    const double sender = pps * 2020 / 2.5e9;
    const double receiver = pps * 2000 / 2.5e9;
    EXPECT_DOUBLE_EQ(r["host_cores_needed"].get<double>(), sender + receiver);
    EXPECT_DOUBLE_EQ(r["host_cores_reserved"].get<double>(), 1.0);
    EXPECT_DOUBLE_EQ(r["host_cores"].get<double>(), 1.0 + receiver);
    const Json& terms = run.results["cost"]["terms"];
    EXPECT_DOUBLE_EQ(terms["table_memory"].get<double>(), 4.0) << "memory_weight 1 x 4 MiB";
    EXPECT_DOUBLE_EQ(run.results["cost"]["fast_path"].get<double>(),
                     4.0 + 2.4 + 0.8 + 0.4 + 1.0 + receiver);
}

TEST(FastPathCost, PerVniTablesAreSizedForEveryVni)
{
    // Two VNIs in the fabric: each NIC has two tables of 1,000 entries.
    ScenarioRun run = RunScenario(Scenario("offload: {layout: per-vni, capacity: 1000}\n"));
    const Json& r = run.results["cost"]["resources"];
    EXPECT_EQ(r["table_entries"], 8 * 2 * 1000);
    EXPECT_DOUBLE_EQ(r["table_memory_mib"].get<double>(), 8 * 2 * 1000 * 32 / 1048576.0);
}
