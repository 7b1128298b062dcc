#include "host-cpu.h"

#include "ns3/double.h"
#include "ns3/simulator.h"
#include "ns3/uinteger.h"

#include <algorithm>

namespace ns3
{

NS_OBJECT_ENSURE_REGISTERED(HostCpu);

TypeId
HostCpu::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::HostCpu")
            .SetParent<Object>()
            .SetGroupName("OverlayFabric")
            .AddConstructor<HostCpu>()
            .AddAttribute("Cores",
                          "Cores that run the software data path (flows spread by their hash).",
                          UintegerValue(1),
                          MakeUintegerAccessor(&HostCpu::m_cores),
                          MakeUintegerChecker<uint32_t>(1, 256))
            .AddAttribute("ClockGhz",
                          "Clock of each core, GHz.",
                          DoubleValue(2.5),
                          MakeDoubleAccessor(&HostCpu::m_clockGhz),
                          MakeDoubleChecker<double>(0.01, 100))
            .AddAttribute("Backlog",
                          "Packets a core holds, waiting or in service (Linux "
                          "netdev_max_backlog); more are refused.",
                          UintegerValue(1000),
                          MakeUintegerAccessor(&HostCpu::m_backlog),
                          MakeUintegerChecker<uint32_t>(1, 1000000))
            .AddAttribute("SwitchCycles",
                          "Virtual switch forwarding, every tunnel packet.",
                          UintegerValue(2000),
                          MakeUintegerAccessor(&HostCpu::m_switch),
                          MakeUintegerChecker<uint32_t>(0, 10000000))
            .AddAttribute("LookupCycles",
                          "Mapping-table lookup, software transmit.",
                          UintegerValue(100),
                          MakeUintegerAccessor(&HostCpu::m_lookup),
                          MakeUintegerChecker<uint32_t>(0, 10000000))
            .AddAttribute("EncapCycles",
                          "Building the outer headers, software transmit.",
                          UintegerValue(200),
                          MakeUintegerAccessor(&HostCpu::m_encap),
                          MakeUintegerChecker<uint32_t>(0, 10000000))
            .AddAttribute("ChecksumCycles",
                          "Checksums, software transmit and receive.",
                          UintegerValue(120),
                          MakeUintegerAccessor(&HostCpu::m_checksum),
                          MakeUintegerChecker<uint32_t>(0, 10000000))
            .AddAttribute("SegmentationCycles",
                          "Segmentation in software, software transmit.",
                          UintegerValue(0),
                          MakeUintegerAccessor(&HostCpu::m_segmentation),
                          MakeUintegerChecker<uint32_t>(0, 10000000))
            .AddAttribute("DecapCycles",
                          "Parsing and stripping the outer headers, software receive.",
                          UintegerValue(1100),
                          MakeUintegerAccessor(&HostCpu::m_decap),
                          MakeUintegerChecker<uint32_t>(0, 10000000))
            .AddAttribute("LearningCycles",
                          "Learning the inner source's VTEP, software receive.",
                          UintegerValue(100),
                          MakeUintegerAccessor(&HostCpu::m_learning),
                          MakeUintegerChecker<uint32_t>(0, 10000000))
            .AddAttribute("TagCycles",
                          "Writing the NIC's descriptor, offloaded transmit.",
                          UintegerValue(20),
                          MakeUintegerAccessor(&HostCpu::m_tag),
                          MakeUintegerChecker<uint32_t>(0, 10000000));
    return tid;
}

HostCpu::HostCpu()
    : m_cores(1),
      m_clockGhz(2.5),
      m_backlog(1000),
      m_switch(2000),
      m_lookup(100),
      m_encap(200),
      m_checksum(120),
      m_segmentation(0),
      m_decap(1100),
      m_learning(100),
      m_tag(20)
{
}

uint32_t
HostCpu::TransmitCycles(bool offloaded) const
{
    return offloaded ? m_switch + m_tag
                     : m_switch + m_lookup + m_encap + m_checksum + m_segmentation;
}

uint32_t
HostCpu::ReceiveCycles(bool offloaded, bool learn) const
{
    return offloaded ? m_switch + (learn ? m_learning : 0)
                     : m_switch + m_decap + m_checksum + m_learning;
}

uint32_t
HostCpu::GetCores() const
{
    return m_cores;
}

const HostCpu::Counters&
HostCpu::GetCounters() const
{
    return m_counters;
}

Time
HostCpu::Admit(uint32_t flowHash, uint32_t cycles)
{
    if (m_queued.size() != m_cores)
    {
        m_queued.assign(m_cores, {});
    }
    const uint32_t core = flowHash % m_cores;
    const Time now = Simulator::Now();
    std::deque<Time>& queued = m_queued[core];
    while (!queued.empty() && queued.front() <= now)
    {
        queued.pop_front();
    }
    if (queued.size() >= m_backlog)
    {
        ++m_counters.refused;
        return Time(-1);
    }
    // The core is free when its last packet not done yet is, or now.
    const Time start = queued.empty() ? now : queued.back();
    const Time service = NanoSeconds(cycles / m_clockGhz);
    const Time done = start + service;
    queued.push_back(done);
    ++m_counters.packets;
    m_counters.cycles += cycles;
    m_counters.busy += service;
    m_counters.maxQueueing = std::max(m_counters.maxQueueing, start - now);
    return done - now;
}

} // namespace ns3
