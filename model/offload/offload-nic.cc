#include "offload-nic.h"

#include "fabric-net-device.h"
#include "five-tuple.h"
#include "port-stage.h"
#include "software-encapsulation.h"
#include "vtep.h"

#include "ns3/arp-header.h"
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
constexpr uint16_t ETHERTYPE_ARP = 0x0806;
constexpr uint32_t ARP_LEN = 28; //!< an Ethernet/IPv4 ARP message (RFC 826)

/// \return whether a MAC (its first byte) is broadcast or multicast: the I/G bit
bool
IsGroupMac(uint8_t first)
{
    return (first & 0x01) != 0;
}
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
            .AddAttribute("ArpProxy",
                          "The hypervisor's ARP agent answers a VF's VM whose ARP reply the "
                          "NIC could not validate, once the VF's table has the entry (seed 002 "
                          "paragraph 0126); false: the VM times out and retries (0125).",
                          BooleanValue(false),
                          MakeBooleanAccessor(&OffloadNic::m_arpProxy),
                          MakeBooleanChecker())
            .AddAttribute("Lro",
                          "Aggregate in-order TCP segments of an inner flow before handing them "
                          "to the software (LRO, Fig. 14, 1440).",
                          BooleanValue(false),
                          MakeBooleanAccessor(&OffloadNic::m_lro),
                          MakeBooleanChecker())
            .AddAttribute("LroMaxBytes",
                          "Largest LRO aggregate, in IPv4 packet bytes (the IPv4 maximum).",
                          UintegerValue(65535),
                          MakeUintegerAccessor(&OffloadNic::m_lroMaxBytes),
                          MakeUintegerChecker<uint32_t>(1500, 65535))
            .AddAttribute("LroTimeout",
                          "Longest an LRO aggregate waits for its next segment (the order of "
                          "a NIC's receive interrupt moderation; an assumption).",
                          TimeValue(MicroSeconds(8)),
                          MakeTimeAccessor(&OffloadNic::m_lroTimeout),
                          MakeTimeChecker(NanoSeconds(1)))
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
    m_functions.clear();
    m_functionsOfVni.clear();
    for (auto& [key, session] : m_lroSessions)
    {
        session.timeout.Cancel();
    }
    m_lroSessions.clear();
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
    return Transmit(packet, m_tx, outerDst, delay);
}

bool
OffloadNic::Transmit(Ptr<Packet> packet,
                     const TunnelTxInfo& tx,
                     Mac48Address destination,
                     Time delay)
{
    SoftwareEncapsulation::AddTunnelHeaders(packet, tx, m_protocol);
    if (delay.IsZero())
    {
        return SendTo(packet, destination);
    }
    m_holdTrace(packet, true);
    Simulator::Schedule(delay, &OffloadNic::SendOut, this, packet, destination);
    return true;
}

void
OffloadNic::AddFunction(Ptr<VirtualFunction> vf)
{
    m_functions[vf->GetMacInt()] = vf;
    m_functionsOfVni[vf->GetVni()].push_back(vf);
    if (m_vtep)
    {
        UintegerValue ttl;
        m_vtep->GetAttribute("Ttl", ttl);
        m_ttl = static_cast<uint8_t>(ttl.Get());
    }
}

void
OffloadNic::SetFloodList(uint32_t vni, std::vector<Ipv4Address> vteps)
{
    m_floodLists[vni] = std::move(vteps);
}

void
OffloadNic::SetFloodGroup(uint32_t vni, Ipv4Address group)
{
    m_floodGroups[vni] = group;
}

bool
OffloadNic::SendFromVf(VirtualFunction& vf, Ptr<Packet> frame)
{
    VirtualFunction::Counters& c = vf.GetCounters();
    ++c.txFrames;
    uint8_t head[FIVE_TUPLE_BYTES];
    const uint32_t n = frame->CopyData(head, sizeof(head));
    if (n < ETH_LEN)
    {
        m_dropTrace(frame, DropReason::MALFORMED);
        return false;
    }
    if (m_encapFailed)
    {
        ++m_counters.encapFailed;
        m_dropTrace(frame, DropReason::NIC_ENCAP_FAILED);
        return false;
    }
    const uint16_t etherType = uint16_t{head[12]} << 8 | head[13];
    if (etherType == ETHERTYPE_ARP && n >= ETH_LEN + 8 &&
        head[ETH_LEN + 7] == ArpHeader::ARP_TYPE_REQUEST)
    {
        vf.NoteArpRequest();
    }
    FiveTuple key;
    const uint32_t flowHash =
        vf.GetSourcePort() == 0 && ParseFiveTuple(head, n, key) ? FlowEntropy(key) : 0;
    TunnelTxInfo tx{m_local,
                    Ipv4Address::GetAny(),
                    vf.GetVni(),
                    false,
                    flowHash,
                    m_ttl,
                    0,
                    0,
                    m_uplink,
                    false,
                    vf.GetSourcePort()};
    const Mac48Address leafPort = GetDevice()->GetPeerMacAddress();
    if (IsGroupMac(head[0]))
    {
        // Broadcast / multicast (paragraph 0122): one copy per other VTEP of the VNI.
        ++c.txFlooded;
        auto group = m_floodGroups.find(vf.GetVni());
        if (group != m_floodGroups.end())
        {
            const Time delay = EnterPipeline();
            if (delay.IsStrictlyNegative())
            {
                ++m_counters.pipelineDropped;
                m_dropTrace(frame, DropReason::NIC_PIPELINE);
                return false;
            }
            tx.destination = group->second;
            tx.identification = m_vfIpId++;
            ++c.txFloodCopies;
            Transmit(frame, tx, Mac48Address::GetMulticast(group->second), delay);
            return true;
        }
        auto list = m_floodLists.find(vf.GetVni());
        if (list == m_floodLists.end() || list->second.empty())
        {
            m_dropTrace(frame, DropReason::UNKNOWN_DESTINATION);
            return false;
        }
        for (const Ipv4Address& vtep : list->second)
        {
            Ptr<Packet> copy = frame->Copy();
            const Time delay = EnterPipeline();
            if (delay.IsStrictlyNegative())
            {
                ++m_counters.pipelineDropped;
                m_dropTrace(copy, DropReason::NIC_PIPELINE);
                continue;
            }
            tx.destination = vtep;
            tx.identification = m_vfIpId++;
            ++c.txFloodCopies;
            Transmit(copy, tx, leafPort, delay); // every VTEP is routed (/32 loopbacks)
        }
        return true;
    }
    const Time delay = EnterPipeline();
    if (delay.IsStrictlyNegative())
    {
        ++m_counters.pipelineDropped;
        m_dropTrace(frame, DropReason::NIC_PIPELINE);
        return false;
    }
    Mac48Address outerDst = leafPort;
    const uint64_t innerDst = PortContext::MacToInt(head);
    Ptr<NicMappingTable> table = vf.GetTable();
    if (const VtepMapping* entry = table->Lookup(vf.GetVni(), innerDst))
    {
        tx.destination = entry->vtepIp;
        if (OnSourceSubnet(entry->vtepIp))
        {
            outerDst = entry->vtepMac;
        }
        ++c.txEncapsulated;
    }
    else
    {
        vf.RaiseMiss(vf.GetVni(), innerDst);
        const NicMappingTable::SegmentInfo* segment = table->GetSegment(vf.GetVni());
        if (!segment || segment->gatewayIp == Ipv4Address::GetAny())
        {
            ++c.txMissDropped;
            m_dropTrace(frame, DropReason::NIC_MISS);
            return false;
        }
        tx.destination = segment->gatewayIp;
        ++c.txGatewayBound;
    }
    tx.identification = m_vfIpId++;
    return Transmit(frame, tx, outerDst, delay);
}

bool
OffloadNic::ToFunctions(Ptr<Packet> frame, Time delay)
{
    uint8_t inner[ETH_LEN + ARP_LEN];
    const uint32_t n = frame->CopyData(inner, sizeof(inner));
    if (n < ETH_LEN)
    {
        return false;
    }
    const uint32_t vni = m_rx.rx.vni;
    if (IsGroupMac(inner[0]))
    {
        // Every VF of the VNI (Fig. 14, 1450), and the PF: the caller goes on.
        auto vfs = m_functionsOfVni.find(vni);
        if (vfs != m_functionsOfVni.end())
        {
            for (const Ptr<VirtualFunction>& vf : vfs->second)
            {
                ++vf->GetCounters().rxFlooded;
                Ptr<Packet> copy = frame->Copy();
                m_holdTrace(copy, true);
                Simulator::Schedule(delay, &OffloadNic::DeliverToFunction, this, vf, copy, false);
            }
        }
        return false;
    }
    auto it = m_functions.find(PortContext::MacToInt(inner));
    if (it == m_functions.end() || it->second->GetVni() != vni)
    {
        return false; // not a VF's (Fig. 14, 1465): the PF
    }
    Ptr<VirtualFunction> vf = it->second;
    const uint16_t etherType = uint16_t{inner[12]} << 8 | inner[13];
    const bool arpReply = etherType == ETHERTYPE_ARP && n >= ETH_LEN + ARP_LEN &&
                          inner[ETH_LEN + 7] == ArpHeader::ARP_TYPE_REPLY;
    const uint64_t innerSource = PortContext::MacToInt(inner + 6);
    Ptr<NicMappingTable> table = vf->GetTable();
    const VtepMapping* entry = table->Find(vni, innerSource);
    const NicMappingTable::SegmentInfo* segment = table->GetSegment(vni);
    const bool fromGateway = segment && segment->gatewayIp.Get() == m_rx.rx.source;
    if ((entry && entry->vtepIp.Get() == m_rx.rx.source) || fromGateway)
    {
        m_holdTrace(frame, true);
        Simulator::Schedule(delay, &OffloadNic::DeliverToFunction, this, vf, frame, arpReply);
        return true;
    }
    // Not validated (Fig. 14, 1425; Fig. 15, 1530): to the PF, which learns; not to the VM.
    VirtualFunction::Counters& c = vf->GetCounters();
    ++c.rxUnvalidated;
    std::optional<ArpAnswer> answer;
    if (arpReply)
    {
        ++c.arpToPf;
        if (m_arpProxy)
        {
            ArpAnswer a;
            a.senderMac.CopyFrom(inner + ETH_LEN + 8);
            a.senderIp = Ipv4Address::Deserialize(inner + ETH_LEN + 14);
            a.targetIp = Ipv4Address::Deserialize(inner + ETH_LEN + 24);
            a.sourceVtep = Ipv4Address(m_rx.rx.source);
            answer = a;
        }
    }
    m_rx.refused = true;
    m_rx.rx.reason = DropReason::VTEP_MISMATCH;
    m_rx.learn = true;
    m_rx.innerSource = innerSource;
    ++m_counters.learnNotices;
    m_holdTrace(frame, true);
    Simulator::Schedule(delay, &OffloadNic::HandUpRefused, this, frame, m_rx, vf, answer);
    return true;
}

bool
OffloadNic::Aggregate(Ptr<Packet> frame, Time delay)
{
    uint8_t b[ETH_LEN + 60 + 20];
    const uint32_t n = frame->CopyData(b, sizeof(b));
    FiveTuple key;
    if (!ParseFiveTuple(b, n, key) || key.proto != 6 || key.sport == 0)
    {
        return false; // not TCP, or a fragment
    }
    const uint32_t ihl = (b[ETH_LEN] & 0x0f) * 4u;
    if (n < ETH_LEN + ihl + 20)
    {
        return false;
    }
    const uint8_t* tcp = b + ETH_LEN + ihl;
    const uint32_t ipBytes = uint32_t{b[ETH_LEN + 2]} << 8 | b[ETH_LEN + 3];
    const uint32_t headers = ihl + (tcp[12] >> 4) * 4u;
    const uint32_t payload = ipBytes > headers ? ipBytes - headers : 0;
    const uint32_t seq =
        uint32_t{tcp[4]} << 24 | uint32_t{tcp[5]} << 16 | uint32_t{tcp[6]} << 8 | tcp[7];
    const uint8_t flags = tcp[13];
    constexpr uint8_t ACK = 0x10;
    constexpr uint8_t PSH = 0x08;
    auto it = m_lroSessions.find(key);
    if (payload == 0 || (flags & ACK) == 0 || (flags & ~(ACK | PSH)) != 0)
    {
        // Not aggregated (SYN, FIN, RST, a pure ACK): what the flow holds goes up first.
        if (it != m_lroSessions.end())
        {
            FlushAggregate(key);
        }
        return false;
    }
    if (it != m_lroSessions.end() &&
        (seq != it->second.nextSeq || it->second.bytes + ipBytes > m_lroMaxBytes))
    {
        FlushAggregate(key);
        it = m_lroSessions.end();
    }
    if (it == m_lroSessions.end())
    {
        it = m_lroSessions.emplace(key, LroSession{}).first;
        it->second.timeout =
            Simulator::Schedule(m_lroTimeout, &OffloadNic::FlushAggregate, this, key);
    }
    LroSession& session = it->second;
    session.segments.emplace_back(frame, m_rx);
    session.leaves.push_back(Simulator::Now() + delay);
    session.nextSeq = seq + payload;
    session.bytes += ipBytes;
    m_holdTrace(frame, true);
    if ((flags & PSH) != 0)
    {
        FlushAggregate(key);
    }
    return true;
}

void
OffloadNic::FlushAggregate(FiveTuple key)
{
    auto it = m_lroSessions.find(key);
    if (it == m_lroSessions.end())
    {
        return;
    }
    LroSession session = std::move(it->second);
    m_lroSessions.erase(it);
    session.timeout.Cancel();
    ++m_counters.lroAggregates;
    m_counters.lroSegments += session.segments.size();
    const Time now = Simulator::Now();
    for (size_t i = 0; i < session.segments.size(); ++i)
    {
        RxDescriptor& descriptor = session.segments[i].second;
        descriptor.aggregated = i > 0;
        // In order, each once it has left the pipeline.
        Simulator::Schedule(std::max(session.leaves[i], now) - now,
                            &OffloadNic::HandUp,
                            this,
                            session.segments[i].first,
                            descriptor);
    }
}

void
OffloadNic::DeliverToFunction(Ptr<VirtualFunction> vf, Ptr<Packet> frame, bool arpReply)
{
    m_holdTrace(frame, false);
    if (arpReply)
    {
        ++vf->GetCounters().arpReplies;
        vf->NoteArpReply();
    }
    vf->Deliver(frame);
}

void
OffloadNic::HandUpRefused(Ptr<Packet> frame,
                          const RxDescriptor& descriptor,
                          Ptr<VirtualFunction> vf,
                          std::optional<ArpAnswer> answer)
{
    HandUp(frame, descriptor); // the hypervisor learns and pushes, then drops it
    if (answer)
    {
        // The agent answers once the push that carries the entry is in the VF's table.
        const Time settled = vf->GetTable()->GetSettledAt();
        Simulator::Schedule(settled - Simulator::Now(),
                            &OffloadNic::ProxyArpReply,
                            this,
                            vf,
                            *answer);
    }
}

void
OffloadNic::ProxyArpReply(Ptr<VirtualFunction> vf, ArpAnswer answer)
{
    const VtepMapping* entry =
        vf->GetTable()->Find(vf->GetVni(), NicMappingTable::MacToInt(answer.senderMac));
    if (!entry || entry->vtepIp != answer.sourceVtep)
    {
        ++vf->GetCounters().proxyUnresolved; // refused by a full table, or moved meanwhile
        return;
    }
    Ptr<Packet> reply = Create<Packet>();
    ArpHeader arp;
    arp.SetReply(answer.senderMac, answer.senderIp, vf->GetMac(), answer.targetIp);
    reply->AddHeader(arp);
    EthernetHeader eth;
    eth.SetSource(answer.senderMac);
    eth.SetDestination(vf->GetMac());
    eth.SetLengthType(ETHERTYPE_ARP);
    reply->AddHeader(eth);
    VirtualFunction::Counters& c = vf->GetCounters();
    ++c.proxyReplies;
    ++c.arpReplies;
    vf->NoteArpReply();
    vf->Deliver(reply);
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
        if (!m_functions.empty() && ToFunctions(frame, delay))
        {
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
        if (m_lro && Aggregate(frame, delay))
        {
            return;
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
