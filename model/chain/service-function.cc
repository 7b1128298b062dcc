#include "service-function.h"

#include "five-tuple.h"
#include "vnic-net-device.h"

#include "ns3/abort.h"
#include "ns3/double.h"
#include "ns3/enum.h"
#include "ns3/ethernet-header.h"
#include "ns3/ipv4-address.h"
#include "ns3/ipv4-header.h"
#include "ns3/log.h"
#include "ns3/node.h"
#include "ns3/simulator.h"

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("ServiceFunction");
NS_OBJECT_ENSURE_REGISTERED(ServiceFunction);

namespace
{
constexpr uint32_t ETH_LEN = 14;
constexpr uint32_t IPV4_CHECKSUM = ETH_LEN + 10; //!< offset of the inner header checksum
} // namespace

TypeId
ServiceFunction::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::ServiceFunction")
            .SetParent<Application>()
            .SetGroupName("OverlayFabric")
            .AddConstructor<ServiceFunction>()
            .AddAttribute("Function",
                          "The service the SVM performs.",
                          EnumValue(PASS_THROUGH),
                          MakeEnumAccessor(&ServiceFunction::m_function),
                          MakeEnumChecker(PASS_THROUGH,
                                          "pass-through",
                                          FIREWALL,
                                          "firewall",
                                          DROP_ALL,
                                          "drop-all",
                                          NAT,
                                          "nat"))
            .AddAttribute("ProcessingDelay",
                          "Time the SVM takes per packet (no figure in seed 001: 0).",
                          TimeValue(Time(0)),
                          MakeTimeAccessor(&ServiceFunction::m_processingDelay),
                          MakeTimeChecker(Time(0)))
            .AddAttribute("SlowDelay",
                          "Extra time per packet while the SVM is SLOW.",
                          TimeValue(MilliSeconds(10)),
                          MakeTimeAccessor(&ServiceFunction::m_slowDelay),
                          MakeTimeChecker(NanoSeconds(1)))
            .AddAttribute("AnswerProbability",
                          "Probability that a FLAKY SVM answers a query.",
                          DoubleValue(0.5),
                          MakeDoubleAccessor(&ServiceFunction::m_answerProbability),
                          MakeDoubleChecker<double>(0.0, 1.0))
            .AddAttribute("NatAddress",
                          "NAT: the inner source address the SVM writes.",
                          Ipv4AddressValue(Ipv4Address("10.250.0.1")),
                          MakeIpv4AddressAccessor(&ServiceFunction::m_natAddress),
                          MakeIpv4AddressChecker())
            .AddTraceSource("Drop",
                            "A packet the SVM dropped (its function) or lost (crashed, hung).",
                            MakeTraceSourceAccessor(&ServiceFunction::m_dropTrace),
                            "ns3::ServiceFunction::DropTracedCallback")
            .AddTraceSource("Hold",
                            "A packet starts (true) or ends (false) its processing delay inside "
                            "the SVM: it is in flight there.",
                            MakeTraceSourceAccessor(&ServiceFunction::m_holdTrace),
                            "ns3::ServiceFunction::HoldTracedCallback");
    return tid;
}

ServiceFunction::ServiceFunction()
    : m_random(CreateObject<UniformRandomVariable>())
{
}

void
ServiceFunction::DoDispose()
{
    m_vnic = nullptr;
    m_random = nullptr;
    Application::DoDispose();
}

void
ServiceFunction::SetVnic(Ptr<VnicNetDevice> vnic)
{
    m_vnic = vnic;
}

void
ServiceFunction::AddFirewallRule(uint8_t protocol, uint16_t dstPort)
{
    m_rules.push_back(Rule{protocol, dstPort});
}

void
ServiceFunction::SetHealth(Health health)
{
    NS_LOG_INFO("SVM on node " << GetNode()->GetId() << " health " << +health);
    m_health = health;
}

ServiceFunction::Health
ServiceFunction::GetHealth() const
{
    return m_health;
}

int64_t
ServiceFunction::AssignStreams(int64_t stream)
{
    m_random->SetStream(stream);
    return 1;
}

const ServiceFunction::Counters&
ServiceFunction::GetCounters() const
{
    return m_counters;
}

void
ServiceFunction::StartApplication()
{
    NS_ABORT_MSG_IF(!m_vnic, "ServiceFunction without a vNIC");
    GetNode()->RegisterProtocolHandler(MakeCallback(&ServiceFunction::Receive, this),
                                       NshHeader::ETHERTYPE,
                                       m_vnic);
}

void
ServiceFunction::StopApplication()
{
    GetNode()->UnregisterProtocolHandler(MakeCallback(&ServiceFunction::Receive, this));
}

bool
ServiceFunction::Apply(Ptr<Packet> inner)
{
    switch (m_function)
    {
    case PASS_THROUGH:
        return true;
    case DROP_ALL:
        return false;
    case FIREWALL: {
        FiveTuple key;
        if (!ParseFiveTuple(inner, key))
        {
            return true;
        }
        for (const Rule& rule : m_rules)
        {
            if ((rule.protocol == 0 || rule.protocol == key.proto) &&
                (rule.port == 0 || rule.port == key.dport))
            {
                return false;
            }
        }
        return true;
    }
    case NAT: {
        uint8_t head[ETH_LEN + 20];
        if (inner->CopyData(head, sizeof(head)) < sizeof(head) || head[12] != 0x08 ||
            head[13] != 0x00)
        {
            return true; // not IPv4: nothing to translate
        }
        EthernetHeader eth(false);
        inner->RemoveHeader(eth);
        Ipv4Header ip;
        inner->RemoveHeader(ip);
        ip.SetSource(m_natAddress);
        if (head[IPV4_CHECKSUM] != 0 || head[IPV4_CHECKSUM + 1] != 0 || Node::ChecksumEnabled())
        {
            ip.EnableChecksum();
        }
        inner->AddHeader(ip);
        inner->AddHeader(eth);
        return true;
    }
    }
    return true;
}

void
ServiceFunction::Receive(Ptr<NetDevice> device,
                         Ptr<const Packet> received,
                         uint16_t protocol,
                         const Address& from,
                         const Address& to,
                         NetDevice::PacketType type)
{
    Ptr<Packet> packet = received->Copy();
    if (m_health == CRASHED || m_health == HUNG)
    {
        m_dropTrace(packet, DropReason::SERVICE_VM_FAILED);
        return;
    }
    NshHeader nsh;
    if (packet->RemoveHeader(nsh) == 0)
    {
        m_dropTrace(packet, DropReason::MALFORMED);
        return;
    }
    const bool query = nsh.IsLivenessQuery();
    bool answer = false;
    if (query)
    {
        ++m_counters.queries;
        answer = m_health != FLAKY || m_random->GetValue() < m_answerProbability;
        m_counters.answered += answer ? 1 : 0;
    }
    const uint8_t seq = nsh.GetSequence();
    const bool data = nsh.GetNextProtocol() == NshHeader::NEXT_ETHERNET;
    if (data && Apply(packet))
    {
        ++m_counters.processed;
        if (answer)
        {
            nsh.SetLivenessReply(seq);
        }
        else
        {
            nsh.ClearLiveness();
        }
        packet->AddHeader(nsh);
        Return(packet, from);
        return;
    }
    if (data)
    {
        ++m_counters.dropped;
        m_dropTrace(packet, DropReason::SERVICE_FUNCTION);
    }
    if (answer)
    {
        // The answer alone (paragraph 0045: "only the liveness check response will be sent").
        NshHeader reply = nsh;
        reply.SetOam(true);
        reply.SetNextProtocol(NshHeader::NEXT_NONE);
        reply.SetLivenessReply(seq);
        Ptr<Packet> alone = Create<Packet>();
        alone->AddHeader(reply);
        Return(alone, from);
    }
}

void
ServiceFunction::Return(Ptr<Packet> packet, Address to)
{
    Time delay = m_processingDelay + (m_health == SLOW ? m_slowDelay : Time(0));
    if (delay.IsZero())
    {
        Emit(packet, to, false);
        return;
    }
    m_holdTrace(packet, true);
    Simulator::Schedule(delay, &ServiceFunction::Emit, this, packet, to, true);
}

void
ServiceFunction::Emit(Ptr<Packet> packet, Address to, bool held)
{
    if (held)
    {
        m_holdTrace(packet, false);
    }
    if (m_health == CRASHED || m_health == HUNG)
    {
        // It failed while the packet was inside it.
        m_dropTrace(packet, DropReason::SERVICE_VM_FAILED);
        return;
    }
    // A disconnected vNIC reports the frame itself (VNIC_DOWN).
    m_vnic->Send(packet, to, NshHeader::ETHERTYPE);
}

} // namespace ns3
