#include "virtual-switch.h"

#include "flow-tag.h"
#include "vnic-net-device.h"
#include "vtep.h"

#include "ns3/abort.h"
#include "ns3/log.h"
#include "ns3/node.h"
#include "ns3/simulator.h"

#include <algorithm>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("VirtualSwitch");
NS_OBJECT_ENSURE_REGISTERED(VirtualSwitch);

namespace
{
constexpr uint32_t ETH_LEN = 14;

/// Hand \p frame to \p vnic as a new event in the VM node's context.
inline void
ScheduleReceive(const Ptr<VnicNetDevice>& vnic, Ptr<Packet> frame)
{
    Simulator::ScheduleWithContext(vnic->GetNode()->GetId(),
                                   Time(0),
                                   &VnicNetDevice::Receive,
                                   vnic,
                                   frame);
}
} // namespace

TypeId
VirtualSwitch::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::VirtualSwitch")
            .SetParent<Object>()
            .SetGroupName("OverlayFabric")
            .AddConstructor<VirtualSwitch>()
            .AddTraceSource("Drop",
                            "A frame dropped by the virtual switch, with the reason.",
                            MakeTraceSourceAccessor(&VirtualSwitch::m_dropTrace),
                            "ns3::VirtualSwitch::DropTracedCallback")
            .AddTraceSource("FlowTx",
                            "A packet of a measured flow left its VM (FlowTag attached).",
                            MakeTraceSourceAccessor(&VirtualSwitch::m_flowTxTrace),
                            "ns3::Packet::TracedCallback")
            .AddTraceSource("FlowRx",
                            "A packet of a measured flow was handed to its destination vNIC.",
                            MakeTraceSourceAccessor(&VirtualSwitch::m_flowRxTrace),
                            "ns3::Packet::TracedCallback");
    return tid;
}

VirtualSwitch::VirtualSwitch()
    : m_arp(CreateObject<ArpSuppressionStage>()),
      m_l2(CreateObject<L2LookupStage>()),
      m_allPortsStages{m_arp, m_l2}
{
}

void
VirtualSwitch::DoDispose()
{
    m_vtep = nullptr;
    m_arp = nullptr;
    m_l2->Dispose(); // it points at the VTEP
    m_l2 = nullptr;
    m_allPortsStages.clear();
    m_portStages.clear();
    m_ports.clear();
    Object::DoDispose();
}

void
VirtualSwitch::SetVtep(Ptr<Vtep> vtep)
{
    m_vtep = vtep;
    m_l2->SetVtep(vtep);
}

uint32_t
VirtualSwitch::AddPort(Ptr<VnicNetDevice> vnic, uint32_t vni)
{
    uint32_t port = m_ports.size();
    m_ports.push_back(vnic);
    m_portVni.push_back(vni);
    m_portStages.push_back(m_allPortsStages);
    m_passThrough.emplace_back();
    m_floodPorts[vni].push_back(port);
    vnic->Connect(port, MakeCallback(&VirtualSwitch::FromVnic, this));
    m_l2->SetEntry(vni, Mac48Address::ConvertFrom(vnic->GetAddress()), {true, port});
    return port;
}

void
VirtualSwitch::DetachPort(uint32_t port, uint32_t tunnel)
{
    const Mac48Address mac = Mac48Address::ConvertFrom(m_ports[port]->GetAddress());
    m_l2->SetEntry(m_portVni[port], mac, {false, tunnel});
    uint8_t bytes[6];
    mac.CopyTo(bytes);
    m_departed.insert(PortContext::MacToInt(bytes));
    StopFlooding(port);
}

inline uint32_t
VirtualSwitch::MeasureEgress(const Ptr<Packet>& frame, PortContext& ctx)
{
    ctx.hasFiveTuple = ParseFiveTuple(ctx.head, ctx.headLength, ctx.key);
    if (!ctx.hasFiveTuple)
    {
        return 0;
    }
    if (!m_flows.empty())
    {
        auto f = m_flows.find(ctx.key);
        if (f != m_flows.end())
        {
            frame->AddPacketTag(FlowTag(f->second.id, f->second.nextSeq++, Simulator::Now()));
            m_flowTxTrace(frame);
        }
    }
    return FlowEntropy(ctx.key);
}

void
VirtualSwitch::StopFlooding(uint32_t port)
{
    std::vector<uint32_t>& ports = m_floodPorts[m_portVni[port]];
    ports.erase(std::remove(ports.begin(), ports.end(), port), ports.end());
}

void
VirtualSwitch::SetPassThrough(uint32_t port, PassThrough toFunction)
{
    NS_ABORT_MSG_IF(port >= m_ports.size(), "no port " << port);
    m_passThrough[port] = toFunction;
    StopFlooding(port);
    m_ports[port]->Connect(port, MakeCallback(&VirtualSwitch::FromPassThroughPort, this));
}

void
VirtualSwitch::FromPassThroughPort(uint32_t port, Ptr<Packet> frame)
{
    PortContext ctx;
    ctx.headLength = frame->CopyData(ctx.head, sizeof(ctx.head));
    if (ctx.headLength < ETH_LEN)
    {
        Drop(frame, DropReason::MALFORMED);
        return;
    }
    MeasureEgress(frame, ctx);
    m_passThrough[port](frame);
}

void
VirtualSwitch::Flood(uint32_t vni, Ptr<Packet> frame)
{
    auto it = m_floodPorts.find(vni);
    if (it == m_floodPorts.end() || it->second.empty())
    {
        Drop(frame, DropReason::UNKNOWN_DESTINATION);
        return;
    }
    for (uint32_t port : it->second)
    {
        ScheduleReceive(m_ports[port], frame->Copy());
    }
}

void
VirtualSwitch::SetMirrorVni(uint32_t vni)
{
    m_capturePorts[vni];
}

void
VirtualSwitch::AddCapturePort(uint32_t port)
{
    m_capturePorts[m_portVni[port]].push_back(port);
}

void
VirtualSwitch::ToCapturePorts(uint32_t vni, Ptr<Packet> frame)
{
    auto it = m_capturePorts.find(vni);
    if (it == m_capturePorts.end() || it->second.empty())
    {
        Drop(frame, DropReason::NO_MONITOR);
        return;
    }
    const std::vector<uint32_t>& ports = it->second;
    for (size_t i = 0; i < ports.size(); ++i)
    {
        ScheduleReceive(m_ports[ports[i]], i + 1 == ports.size() ? frame : frame->Copy());
    }
}

void
VirtualSwitch::AddRemoteEntry(uint32_t vni, Mac48Address mac, uint32_t tunnel)
{
    m_l2->SetEntry(vni, mac, {false, tunnel});
}

void
VirtualSwitch::AddArpEntry(uint32_t vni, Ipv4Address ip, Mac48Address mac)
{
    m_arp->AddEntry(vni, ip, mac);
}

void
VirtualSwitch::RegisterFlow(const FiveTuple& key, uint32_t flowId)
{
    m_flows[key] = FlowState{flowId, 0};
}

void
VirtualSwitch::InsertInto(StageList& list, Ptr<PortStage> stage, uint32_t position)
{
    NS_ABORT_MSG_IF(!stage, "null port stage");
    // The L2 lookup is the last stage: it consumes or drops every frame.
    uint32_t last = list.size() - 1;
    if (position == BEFORE_L2_LOOKUP)
    {
        position = last;
    }
    NS_ABORT_MSG_IF(position > last,
                    "stage position " << position << " is after the L2 lookup (index " << last
                                      << ")");
    list.insert(list.begin() + position, stage);
}

void
VirtualSwitch::InsertStage(uint32_t port, Ptr<PortStage> stage, uint32_t position)
{
    NS_ABORT_MSG_IF(port >= m_portStages.size(), "no port " << port);
    InsertInto(m_portStages[port], stage, position);
}

void
VirtualSwitch::InsertStageOnAllPorts(Ptr<PortStage> stage, uint32_t position)
{
    InsertInto(m_allPortsStages, stage, position);
    for (StageList& list : m_portStages)
    {
        InsertInto(list, stage, position);
    }
}

const std::vector<Ptr<PortStage>>&
VirtualSwitch::GetStages(uint32_t port) const
{
    NS_ABORT_MSG_IF(port >= m_portStages.size(), "no port " << port);
    return m_portStages[port];
}

Ptr<ArpSuppressionStage>
VirtualSwitch::GetArpSuppression() const
{
    return m_arp;
}

Ptr<L2LookupStage>
VirtualSwitch::GetL2Lookup() const
{
    return m_l2;
}

void
VirtualSwitch::Drop(Ptr<const Packet> frame, DropReason reason)
{
    NS_LOG_LOGIC("drop " << ToString(reason));
    m_dropTrace(frame, reason);
}

void
VirtualSwitch::FromVnic(uint32_t port, Ptr<Packet> frame)
{
    PortContext ctx;
    // One copy of the first bytes serves every stage: MAC, Ethernet type, 5-tuple.
    ctx.headLength = frame->CopyData(ctx.head, sizeof(ctx.head));
    if (ctx.headLength < ETH_LEN)
    {
        Drop(frame, DropReason::MALFORMED);
        return;
    }
    ctx.vswitch = this;
    ctx.frame = frame;
    ctx.port = port;
    ctx.vni = m_portVni[port];
    ctx.dstMac = PortContext::MacToInt(ctx.head);
    ctx.etherType = static_cast<uint16_t>(ctx.head[12] << 8 | ctx.head[13]);
    // Tagged before any stage runs, so a drop anywhere in the pipeline counts for the flow.
    ctx.flowHash = MeasureEgress(frame, ctx);
    for (const Ptr<PortStage>& stage : m_portStages[port])
    {
        PortVerdict v = stage->Process(ctx);
        if (v.action == PortVerdict::CONTINUE)
        {
            continue;
        }
        if (v.action == PortVerdict::DROP)
        {
            Drop(frame, v.reason);
        }
        return;
    }
    // Unreachable while the L2 lookup is last (it consumes or drops); nothing vanishes anyway.
    Drop(frame, DropReason::UNKNOWN_DESTINATION);
}

void
VirtualSwitch::FromTunnel(uint32_t vni, Ptr<Packet> frame)
{
    uint8_t dst[6];
    if (frame->CopyData(dst, 6) < 6)
    {
        Drop(frame, DropReason::MALFORMED);
        return;
    }
    const L2LookupStage::Entry* e = m_l2->Lookup(vni, PortContext::MacToInt(dst));
    if (e && !e->local && m_relay)
    {
        uint8_t head[FIVE_TUPLE_BYTES];
        const uint32_t n = frame->CopyData(head, sizeof(head));
        FiveTuple key;
        ++m_relayed;
        m_vtep->Encapsulate(frame,
                            vni,
                            e->index,
                            ParseFiveTuple(head, n, key) ? FlowEntropy(key) : 0);
        return;
    }
    if (!e && !m_capturePorts.empty() && m_capturePorts.count(vni) != 0)
    {
        ToCapturePorts(vni, frame);
        return;
    }
    if (!e && (dst[0] & 0x01) != 0)
    {
        Flood(vni, frame);
        return;
    }
    if (!e || !e->local)
    {
        Drop(frame,
             m_departed.count(PortContext::MacToInt(dst)) ? DropReason::VM_MIGRATED
                                                          : DropReason::UNKNOWN_DESTINATION);
        return;
    }
    m_flowRxTrace(frame);
    ScheduleReceive(m_ports[e->index], frame);
}

void
VirtualSwitch::SetRelay(bool relay)
{
    m_relay = relay;
}

uint64_t
VirtualSwitch::GetRelayed() const
{
    return m_relayed;
}

void
VirtualSwitch::DeliverToPort(uint32_t port, Ptr<Packet> frame)
{
    m_flowRxTrace(frame);
    ScheduleReceive(m_ports[port], frame);
}

void
VirtualSwitch::ReplyToPort(uint32_t port, Ptr<Packet> frame)
{
    ScheduleReceive(m_ports[port], frame);
}

void
VirtualSwitch::SendToServicePort(uint32_t port, Ptr<Packet> frame)
{
    ScheduleReceive(m_ports[port], frame);
}

void
VirtualSwitch::ForwardOnSegment(uint32_t vni, Ptr<Packet> frame, uint32_t flowHash)
{
    uint8_t dst[6];
    if (frame->CopyData(dst, 6) < 6)
    {
        Drop(frame, DropReason::MALFORMED);
        return;
    }
    // The L2 lookup stage decides, as for a port's frame: one place for local vs tunnel.
    PortContext ctx;
    ctx.vswitch = this;
    ctx.frame = frame;
    ctx.vni = vni;
    ctx.dstMac = PortContext::MacToInt(dst);
    ctx.flowHash = flowHash;
    const PortVerdict v = m_l2->Process(ctx);
    if (v.action == PortVerdict::DROP)
    {
        Drop(frame, v.reason);
    }
}

void
VirtualSwitch::SendToTunnel(Ptr<Packet> frame, uint32_t vni, uint32_t tunnel, uint32_t flowHash)
{
    m_vtep->Encapsulate(frame, vni, tunnel, flowHash);
}

} // namespace ns3
