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
    return onWire >= 0 && inService >= 0 &&
           sent == delivered + DroppedTotal() + static_cast<uint64_t>(InFlight());
}

FlowLedger::FlowLedger(uint32_t flows, Time duration, Time bin)
    : m_flows(flows),
      m_waiting(flows),
      m_onPath(flows),
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
FlowLedger::FaultHit(uint32_t fault, Ptr<const Packet> frame, bool dropped)
{
    FlowTag tag;
    if (frame->PeekPacketTag(tag))
    {
        // A frame the fault drops was counted by Drop() a moment ago.
        Hit(fault, tag.GetFlowId(), tag, dropped && frame->GetUid() == m_lastDropUid, dropped);
    }
}

void
FlowLedger::ElementCrossed(uint32_t fault, Ptr<const Packet> frame)
{
    FlowTag tag;
    if (frame->PeekPacketTag(tag))
    {
        FlowFaultRecord& r = m_faultRecords[fault][tag.GetFlowId()];
        r.lastCrossedSeq = std::max<int64_t>(r.lastCrossedSeq, tag.GetSeq());
    }
}

void
FlowLedger::FaultStarted(uint32_t fault, bool routed)
{
    if (!routed)
    {
        return;
    }
    for (uint32_t id = 0; id < m_flows.size(); ++id)
    {
        const FlowFaultRecord& r = m_faultRecords[fault][id];
        // On the link's path: it crossed, and nothing it sent later has arrived yet.
        if (r.lastCrossedSeq >= 0 && m_flows[id].highestSeq <= r.lastCrossedSeq)
        {
            m_onPath[id].push_back(fault);
        }
    }
}

void
FlowLedger::FaultEnded(uint32_t fault)
{
    for (std::vector<uint32_t>& faults : m_onPath)
    {
        faults.erase(std::remove(faults.begin(), faults.end(), fault), faults.end());
    }
}

void
FlowLedger::Hit(uint32_t fault, uint32_t id, const FlowTag& tag, bool counted, bool byFault)
{
    FlowFaultRecord& r = m_faultRecords[fault][id];
    if (!r.hit)
    {
        r.hit = true;
        r.firstHitAt = Simulator::Now();
        r.highestHitSeq = tag.GetSeq();
    }
    r.highestHitSeq = std::max(r.highestHitSeq, tag.GetSeq());
    if (byFault)
    {
        r.droppedByFault++;
    }
    if (!r.waiting)
    {
        r.waiting = true;
        r.recoveredAt.reset();
        uint64_t drops = m_flows[id].DroppedTotal();
        r.dropsAtWaitStart = counted ? drops - 1 : drops; // that drop is this wait's first loss
        m_waiting[id].push_back(fault);
    }
}

uint64_t
FlowLedger::GetLostToFault(uint32_t fault, uint32_t flow) const
{
    const FlowFaultRecord& r = m_faultRecords[fault][flow];
    return r.lostClosed + (r.waiting ? m_flows[flow].DroppedTotal() - r.dropsAtWaitStart : 0);
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
    std::vector<uint32_t>& onPath = m_onPath[id];
    for (size_t k = 0; k < onPath.size();)
    {
        // Delivered on a path avoiding the link: no longer on it.
        if (tag.GetSeq() > m_faultRecords[onPath[k]][id].lastCrossedSeq &&
            (!m_faultRecords[onPath[k]][id].hit ||
             tag.GetSeq() > m_faultRecords[onPath[k]][id].highestHitSeq))
        {
            onPath[k] = onPath.back();
            onPath.pop_back();
            continue;
        }
        ++k;
    }
    std::vector<uint32_t>& waiting = m_waiting[id];
    for (size_t k = 0; k < waiting.size();)
    {
        FlowFaultRecord& r = m_faultRecords[waiting[k]][id];
        if (tag.GetSeq() <= r.highestHitSeq)
        {
            ++k;
            continue;
        }
        // Sent after every packet that met the fault and delivered: its path avoided it.
        r.recoveredAt = now;
        r.recoveredSentAt = tag.GetSentAt();
        r.lostClosed += f.DroppedTotal() - r.dropsAtWaitStart;
        r.waiting = false;
        waiting[k] = waiting.back();
        waiting.pop_back();
    }
}

void
FlowLedger::Drop(Ptr<const Packet> packet, DropReason reason)
{
    m_allDrops[static_cast<size_t>(reason)]++;
    FlowTag tag;
    if (!packet->PeekPacketTag(tag))
    {
        if (!m_otherDrops.IsNull())
        {
            m_otherDrops(packet, reason);
        }
        return;
    }
    uint32_t id = tag.GetFlowId();
    m_flows[id].dropped[static_cast<size_t>(reason)]++;
    m_lastDropUid = packet->GetUid();
    if (!m_flowDrops.IsNull())
    {
        m_flowDrops(packet, reason);
    }
    for (uint32_t fault : m_onPath[id])
    {
        Hit(fault, id, tag, true, false); // lost because a link on its path is gone
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
FlowLedger::ServiceHold(Ptr<const Packet> packet, bool start)
{
    FlowTag tag;
    if (packet->PeekPacketTag(tag))
    {
        m_flows[tag.GetFlowId()].inService += start ? 1 : -1;
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
