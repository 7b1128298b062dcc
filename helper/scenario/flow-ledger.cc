#include "flow-ledger.h"

#include "flow-tag.h"

#include "ns3/simulator.h"

#include <algorithm>

namespace ns3
{

uint64_t
FlowLedger::Flow::DroppedTotal() const
{
    uint64_t total = 0;
    for (uint64_t d : dropped)
    {
        total += d;
    }
    return total;
}

bool
FlowLedger::Flow::AccountingHolds() const
{
    return onWire >= 0 && sent == delivered + DroppedTotal() + static_cast<uint64_t>(onWire);
}

FlowLedger::FlowLedger(uint32_t flows, Time duration, Time bin)
    : m_flows(flows),
      m_pendingFault(flows, NONE),
      m_bin(bin)
{
    uint64_t bins = BinCount(duration, bin);
    for (auto& f : m_flows)
    {
        f.rxBytesPerBin.assign(bins, 0);
    }
}

void
FlowLedger::SetFaultCount(uint32_t faults)
{
    m_faultRecords.assign(faults, std::vector<FlowFaultRecord>(m_flows.size()));
}

void
FlowLedger::StartFault(uint32_t faultIndex)
{
    m_currentFault = faultIndex;
}

void
FlowLedger::FlowTx(Ptr<const Packet> packet)
{
    FlowTag tag;
    if (packet->PeekPacketTag(tag))
    {
        m_flows[tag.GetFlowId()].sent++;
    }
}

void
FlowLedger::FlowRx(Ptr<const Packet> packet)
{
    FlowTag tag;
    if (!packet->PeekPacketTag(tag))
    {
        return;
    }
    uint32_t id = tag.GetFlowId();
    Flow& f = m_flows[id];
    Time now = Simulator::Now();
    f.delivered++;
    if (!f.firstDelivery)
    {
        f.firstDelivery = now;
    }
    f.lastDelivery = now;
    Time delay = now - tag.GetSentAt();
    f.minDelay = std::min(f.minDelay, delay);
    f.maxDelay = std::max(f.maxDelay, delay);
    f.delaySumTs += delay.GetTimeStep();
    int64_t seq = tag.GetSeq();
    if (seq < f.highestSeq)
    {
        f.reordered++;
    }
    else
    {
        f.highestSeq = seq;
    }
    uint32_t fault = m_pendingFault[id];
    if (fault != NONE)
    {
        FlowFaultRecord& r = m_faultRecords[fault][id];
        if (tag.GetSentAt() > r.lastDropSentAt)
        {
            r.recoveredAt = now;
            m_pendingFault[id] = NONE;
        }
    }
}

void
FlowLedger::Drop(Ptr<const Packet> packet, DropReason reason)
{
    m_allDrops[static_cast<size_t>(reason)]++;
    FlowTag tag;
    if (!packet->PeekPacketTag(tag))
    {
        return;
    }
    uint32_t id = tag.GetFlowId();
    m_flows[id].dropped[static_cast<size_t>(reason)]++;
    if (m_currentFault >= 0)
    {
        FlowFaultRecord& r = m_faultRecords[m_currentFault][id];
        r.lost++;
        if (tag.GetSentAt() > r.lastDropSentAt)
        {
            r.lastDropSentAt = tag.GetSentAt();
        }
        r.recoveredAt.reset();
        m_pendingFault[id] = m_currentFault;
    }
}

void
FlowLedger::WireTx(Ptr<const Packet> packet)
{
    FlowTag tag;
    if (packet->PeekPacketTag(tag))
    {
        m_flows[tag.GetFlowId()].onWire++;
    }
}

void
FlowLedger::WireRx(Ptr<const Packet> packet)
{
    FlowTag tag;
    if (packet->PeekPacketTag(tag))
    {
        m_flows[tag.GetFlowId()].onWire--;
    }
}

void
FlowLedger::AppRx(uint32_t flow, uint32_t bytes)
{
    Flow& f = m_flows[flow];
    f.appRxBytes += bytes;
    uint64_t bin = Simulator::Now().GetTimeStep() / m_bin.GetTimeStep();
    if (bin < f.rxBytesPerBin.size())
    {
        f.rxBytesPerBin[bin] += bytes;
    }
}

} // namespace ns3
