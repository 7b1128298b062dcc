// Tests of the host CPU cost model (HostCpu): service time = cycles / clock, first come first
// served per core, flows spread over the cores by their hash, a bounded backlog, and the cycles of
// the software and offloaded paths from the stage attributes.
#include "host-cpu.h"

#include "ns3/core-module.h"

#include <gtest/gtest.h>

using namespace ns3;

namespace
{

class HostCpuTest : public ::testing::Test
{
  protected:
    void TearDown() override
    {
        Simulator::Destroy();
    }
};

} // namespace

TEST_F(HostCpuTest, PathCyclesAreTheSumsOfTheirStages)
{
    Ptr<HostCpu> cpu = CreateObject<HostCpu>();
    EXPECT_EQ(cpu->TransmitCycles(false), 2000u + 100 + 200 + 120 + 0);
    EXPECT_EQ(cpu->TransmitCycles(true), 2000u + 20);
    EXPECT_EQ(cpu->ReceiveCycles(false, false), 2000u + 1100 + 120 + 100);
    EXPECT_EQ(cpu->ReceiveCycles(true, false), 2000u);
    EXPECT_EQ(cpu->ReceiveCycles(true, true), 2000u + 100);
    cpu->SetAttribute("EncapCycles", UintegerValue(1000));
    EXPECT_EQ(cpu->TransmitCycles(false), 2000u + 100 + 1000 + 120);
}

TEST_F(HostCpuTest, ACoreServesItsPacketsInOrderAndRefusesBeyondItsBacklog)
{
    Ptr<HostCpu> cpu = CreateObject<HostCpu>();
    cpu->SetAttribute("Cores", UintegerValue(2));
    cpu->SetAttribute("ClockGhz", DoubleValue(2.5));
    cpu->SetAttribute("Backlog", UintegerValue(3));
    std::vector<Time> done;
    Simulator::Schedule(MicroSeconds(10), [&]() {
        // 2,000 cycles at 2.5 GHz: 800 ns each. Hash 4 and 6: core 0; hash 5: core 1.
        done.push_back(cpu->Admit(4, 2000));
        done.push_back(cpu->Admit(6, 2000));
        done.push_back(cpu->Admit(5, 2000));
        done.push_back(cpu->Admit(4, 2000));
        done.push_back(cpu->Admit(4, 2000)); // core 0 holds 3: refused
    });
    Simulator::Schedule(MicroSeconds(10) + NanoSeconds(800), [&]() {
        // The first packet of core 0 is done: room for one more, behind the two left.
        done.push_back(cpu->Admit(4, 2000));
    });
    Simulator::Schedule(MicroSeconds(20), [&]() {
        done.push_back(cpu->Admit(4, 2000)); // idle again: no wait
    });
    Simulator::Run();
    ASSERT_EQ(done.size(), 7u);
    EXPECT_EQ(done[0], NanoSeconds(800));
    EXPECT_EQ(done[1], NanoSeconds(1600));
    EXPECT_EQ(done[2], NanoSeconds(800)) << "the other core";
    EXPECT_EQ(done[3], NanoSeconds(2400));
    EXPECT_TRUE(done[4].IsNegative()) << "backlog full";
    EXPECT_EQ(done[5], NanoSeconds(2400)) << "behind packets 2 and 4: 3,200 - 800";
    EXPECT_EQ(done[6], NanoSeconds(800));
    const HostCpu::Counters& c = cpu->GetCounters();
    EXPECT_EQ(c.packets, 6u);
    EXPECT_EQ(c.refused, 1u);
    EXPECT_EQ(c.cycles, 6u * 2000);
    EXPECT_EQ(c.busy, NanoSeconds(6 * 800));
    EXPECT_EQ(c.maxQueueing, NanoSeconds(1600));
}
