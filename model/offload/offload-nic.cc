#include "offload-nic.h"

#include "fabric-net-device.h"
#include "port-stage.h"
#include "software-encapsulation.h"
#include "vtep.h"

#include "ns3/boolean.h"
#include "ns3/double.h"
#include "ns3/ethernet-header.h"
#include "ns3/log.h"
#include "ns3/simulator.h"
#include "ns3/uinteger.h"

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("OffloadNic");
NS_OBJECT_ENSURE_REGISTERED(OffloadNic);

namespace
{
constexpr uint32_t ETH_LEN = 14;
constexpr uint16_t ETHERTYPE_VLAN = 0x8100;
} // namespace

TypeId
OffloadNic::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::OffloadNic")
            .SetParent<HostNic>()
            .SetGroupName("OverlayFabric")
            .AddConstructor<OffloadNic>()
            .AddAttribute("SourceVtepPrefix",
                          "Prefix length of the source VTEP's network: a destination VTEP on it "
                          "gets its own MAC as outer destination, others the gateway's "
                          "(paragraph 0069). 32: the VTEP is a loopback, every VTEP is routed.",
                          UintegerValue(32),
                          MakeUintegerAccessor(&OffloadNic::m_sourcePrefix),
                          MakeUintegerChecker<uint8_t>(0, 32))
            .AddAttribute("Vlan",
                          "The outer VLAN ID the NIC accepts on tagged frames (0: untagged "
                          "only); a tagged frame with another ID is dropped (Fig. 14).",
                          UintegerValue(0),
                          MakeUintegerAccessor(&OffloadNic::m_vlan),
                          MakeUintegerChecker<uint16_t>(0, 4094))
            .AddAttribute("ValidateInnerChecksum",
                          "Check the inner IPv4 header checksum of decapsulated packets (when "
                          "it is not zero) and drop those that are wrong (Fig. 8, 820).",
                          BooleanValue(true),
                          MakeBooleanAccessor(&OffloadNic::m_checkInner),
                          MakeBooleanChecker())
            .AddAttribute("PipelineLatency",
                          "Time a frame spends in the NIC's offload pipeline after its lookup "
                          "slot (transmit and receive); an assumption, seed 002 gives none.",
                          TimeValue(MicroSeconds(1)),
                          MakeTimeAccessor(&OffloadNic::m_latency),
                          MakeTimeChecker(NanoSeconds(1)))
            .AddAttribute(
                "LookupRate",
                "Lookups per second of the NIC's engine, transmit and receive together "
                "(default: 10 GbE line rate of 64-byte frames both ways).",
                DoubleValue(30e6),
                MakeDoubleAccessor(&OffloadNic::SetLookupRate, &OffloadNic::GetLookupRate),
                MakeDoubleChecker<double>(1e3, 1e10))
            .AddAttribute("Ring",
                          "Frames the pipeline holds waiting for the engine; one more is dropped "
                          "(nic_pipeline).",
                          UintegerValue(1024),
                          MakeUintegerAccessor(&OffloadNic::SetRing, &OffloadNic::GetRing),
                          MakeUintegerChecker<uint32_t>(1, 1048576))
            .AddTraceSource("Drop",
                            "A tagged frame the NIC dropped (a miss on a VNI without gateway, "
                            "a full pipeline).",
                            MakeTraceSourceAccessor(&OffloadNic::m_dropTrace),
                            "ns3::OffloadNic::DropTracedCallback")
            .AddTraceSource("PipelineHold",
                            "A frame entered (true) or left (false) the NIC's pipeline, so a "
                            "ledger counts it as in flight meanwhile.",
                            MakeTraceSourceAccessor(&OffloadNic::m_holdTrace),
                            "ns3::OffloadNic::HoldTracedCallback");
    return tid;
}

OffloadNic::OffloadNic() = default;

void
OffloadNic::SetLookupRate(double rate)
{
    m_lookupRate = rate;
    m_slot = Seconds(1.0 / rate);
    m_ringSpan = m_slot * m_ring;
}

double
OffloadNic::GetLookupRate() const
{
    return m_lookupRate;
}

void
OffloadNic::SetRing(uint32_t ring)
{
    m_ring = ring;
    m_ringSpan = m_slot * m_ring;
}

uint32_t
OffloadNic::GetRing() const
{
    return m_ring;
}

Time
OffloadNic::EnterPipeline()
{
    const Time now = Simulator::Now();
    if (m_engineFree <= now)
    {
        m_engineFree = now + m_slot;
        return m_latency;
    }
    if (m_engineFree - now >= m_ringSpan)
    {
        return Time(-1);
    }
    const Time start = m_engineFree;
    m_engineFree += m_slot;
    return start - now + m_latency;
}

void
OffloadNic::SetEncapFailed(bool failed)
{
    m_encapFailed = failed;
}

void
OffloadNic::SendOut(Ptr<Packet> packet, Mac48Address destination)
{
    m_holdTrace(packet, false);
    SendTo(packet, destination);
}

void
OffloadNic::HandUp(Ptr<Packet> frame, const RxDescriptor& descriptor)
{
    m_rx = descriptor;
    m_holdTrace(frame, false);
    m_vtep->Receive(m_uplink, frame);
}

void
OffloadNic::DoDispose()
{
    m_table = nullptr;
    m_miss = MissCallback();
    HostNic::DoDispose();
}

void
OffloadNic::SetProtocol(Vtep::Encap protocol)
{
    m_protocol = protocol;
}

void
OffloadNic::SetLocalAddress(Ipv4Address local)
{
    m_local = local;
}

void
OffloadNic::SetTable(Ptr<NicMappingTable> table)
{
    m_table = table;
}

Ptr<NicMappingTable>
OffloadNic::GetTable() const
{
    return m_table;
}

void
OffloadNic::SetMissCallback(MissCallback callback)
{
    m_miss = callback;
}

const OffloadNic::Counters&
OffloadNic::GetCounters() const
{
    return m_counters;
}

bool
OffloadNic::OnSourceSubnet(Ipv4Address destination) const
{
    if (m_sourcePrefix == 0)
    {
        return true;
    }
    const uint32_t mask = m_sourcePrefix >= 32 ? 0xffffffffu : ~(0xffffffffu >> m_sourcePrefix);
    return (destination.Get() & mask) == (m_local.Get() & mask);
}

bool
OffloadNic::Send(Ptr<Packet> packet)
{
    if (!m_tagged)
    {
        ++m_counters.passedThrough;
        return HostNic::Send(packet);
    }
    m_tagged = false;
    if (m_encapFailed)
    {
        ++m_counters.encapFailed;
        m_dropTrace(packet, DropReason::NIC_ENCAP_FAILED);
        return false;
    }
    const Time delay = EnterPipeline();
    if (delay.IsStrictlyNegative())
    {
        ++m_counters.pipelineDropped;
        m_dropTrace(packet, DropReason::NIC_PIPELINE);
        return false;
    }
    uint8_t dst[6];
    packet->CopyData(dst, 6);
    const uint64_t innerDst = PortContext::MacToInt(dst);
    Mac48Address outerDst = GetDevice()->GetPeerMacAddress(); // the gateway: the leaf port
    if (m_tx.oam)
    {
        ++m_counters.oamEncapsulated; // to the session's peer, as the descriptor says
    }
    else if (const VtepMapping* entry = m_table->Lookup(m_tx.vni, innerDst))
    {
        m_tx.destination = entry->vtepIp;
        if (OnSourceSubnet(entry->vtepIp))
        {
            outerDst = entry->vtepMac;
        }
        ++m_counters.encapsulated;
    }
    else
    {
        if (!m_miss.IsNull())
        {
            m_miss(m_tx.vni, innerDst);
        }
        const NicMappingTable::SegmentInfo* segment = m_table->GetSegment(m_tx.vni);
        if (!segment || segment->gatewayIp == Ipv4Address::GetAny())
        {
            ++m_counters.missDropped;
            m_dropTrace(packet, DropReason::NIC_MISS);
            return false;
        }
        m_tx.destination = segment->gatewayIp;
        ++m_counters.gatewayBound;
    }
    SoftwareEncapsulation::AddTunnelHeaders(packet, m_tx, m_protocol);
    if (delay.IsZero())
    {
        return SendTo(packet, outerDst);
    }
    m_holdTrace(packet, true);
    Simulator::Schedule(delay, &OffloadNic::SendOut, this, packet, outerDst);
    return true;
}

bool
OffloadNic::InnerChecksumValid(Ptr<const Packet> frame)
{
    uint8_t b[ETH_LEN + 60];
    const uint32_t n = frame->CopyData(b, sizeof(b));
    if (n < ETH_LEN + 20 || b[12] != 0x08 || b[13] != 0x00 || (b[14] >> 4) != 4)
    {
        return true; // not IPv4: nothing the NIC checks
    }
    const uint32_t ihl = (b[14] & 0x0f) * 4u;
    if (ihl < 20 || n < ETH_LEN + ihl || (b[24] == 0 && b[25] == 0))
    {
        return true; // cut short (the stack will refuse it), or no checksum computed
    }
    uint32_t sum = 0;
    for (uint32_t i = 0; i < ihl; i += 2)
    {
        sum += uint32_t{b[ETH_LEN + i]} << 8 | b[ETH_LEN + i + 1];
    }
    while (sum >> 16)
    {
        sum = (sum & 0xffff) + (sum >> 16);
    }
    return sum == 0xffff;
}

void
OffloadNic::Receive(Ptr<FabricNetDevice> device, Ptr<Packet> frame)
{
    m_rx = RxDescriptor{};
    uint8_t eth[ETH_LEN + 4];
    const uint32_t n = frame->CopyData(eth, sizeof(eth));
    if (n >= ETH_LEN + 4 && (uint16_t{eth[12]} << 8 | eth[13]) == ETHERTYPE_VLAN)
    {
        const uint16_t vlan = (uint16_t{eth[14]} << 8 | eth[15]) & 0x0fff;
        if (vlan != m_vlan || m_vlan == 0)
        {
            m_rx.refused = true;
            m_rx.rx.reason = DropReason::VLAN_MISMATCH;
            ++m_counters.rxRefused;
            m_vtep->Receive(m_uplink, frame);
            return;
        }
        // The NIC's VLAN: strip the tag (never on this underlay's untagged links).
        frame->RemoveAtStart(ETH_LEN + 4);
        Mac48Address dst;
        Mac48Address src;
        dst.CopyFrom(eth);
        src.CopyFrom(eth + 6);
        EthernetHeader untagged;
        untagged.SetDestination(dst);
        untagged.SetSource(src);
        untagged.SetLengthType(uint16_t{eth[16]} << 8 | eth[17]);
        frame->AddHeader(untagged);
    }
    if (n >= ETH_LEN)
    {
        std::array<uint8_t, 6> src{};
        std::copy(eth + 6, eth + 12, src.begin());
        m_rx.sourceMac.CopyFrom(src.data());
    }
    if (!SoftwareEncapsulation::StripTunnelHeaders(frame, m_local, m_protocol, m_rx.rx))
    {
        // Not a tunnel packet for this VTEP: up untouched, the software decides.
        ++m_counters.passedThrough;
        m_vtep->Receive(m_uplink, frame);
        return;
    }
    const Time delay = EnterPipeline();
    if (delay.IsStrictlyNegative())
    {
        m_rx.refused = true;
        m_rx.rx.reason = DropReason::NIC_PIPELINE;
        ++m_counters.pipelineDropped;
        m_vtep->Receive(m_uplink, frame);
        return;
    }
    m_rx.decapsulated = true;
    ++m_counters.decapsulated;
    if (!m_rx.rx.oam && !m_rx.rx.nsh)
    {
        if (m_checkInner && !InnerChecksumValid(frame))
        {
            m_rx.refused = true;
            m_rx.rx.reason = DropReason::INNER_CHECKSUM;
            ++m_counters.rxRefused;
            m_vtep->Receive(m_uplink, frame);
            return;
        }
        uint8_t inner[12];
        if (frame->CopyData(inner, 12) == 12)
        {
            m_rx.innerSource = PortContext::MacToInt(inner + 6);
            const VtepMapping* entry = m_table->Find(m_rx.rx.vni, m_rx.innerSource);
            if (!entry || entry->vtepIp.Get() != m_rx.rx.source)
            {
                // Relayed by the gateway: its address says nothing of where the VM is.
                const NicMappingTable::SegmentInfo* segment = m_table->GetSegment(m_rx.rx.vni);
                m_rx.learn = !segment || segment->gatewayIp.Get() != m_rx.rx.source;
                m_counters.learnNotices += m_rx.learn ? 1 : 0;
            }
        }
    }
    if (delay.IsZero())
    {
        m_vtep->Receive(m_uplink, frame);
        return;
    }
    m_holdTrace(frame, true);
    Simulator::Schedule(delay, &OffloadNic::HandUp, this, frame, m_rx);
}

} // namespace ns3
