#include "service-proxy.h"

#include "service-plane.h"
#include "virtual-switch.h"
#include "vnic-net-device.h"

#include "ns3/abort.h"
#include "ns3/boolean.h"
#include "ns3/ethernet-header.h"
#include "ns3/log.h"
#include "ns3/simulator.h"
#include "ns3/uinteger.h"

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("ServiceProxy");
NS_OBJECT_ENSURE_REGISTERED(ServiceProxy);

TypeId
ServiceProxy::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::ServiceProxy")
            .SetParent<PortStage>()
            .SetGroupName("OverlayFabric")
            .AddConstructor<ServiceProxy>()
            .AddAttribute("QueryInterval",
                          "k: a new liveness query every interval (seed 001 paragraph 0055).",
                          TimeValue(MilliSeconds(50)),
                          MakeTimeAccessor(&ServiceProxy::m_interval),
                          MakeTimeChecker(MicroSeconds(10), Seconds(60)))
            .AddAttribute("DetectMult",
                          "K: this many missed queries in a row make the SVM DOWN (0060).",
                          UintegerValue(3),
                          MakeUintegerAccessor(&ServiceProxy::m_detectMult),
                          MakeUintegerChecker<uint32_t>(1, 255))
            .AddAttribute("DeadTime",
                          "T: no valid answer for this long makes the SVM DOWN (0060); 0: off.",
                          TimeValue(Time(0)),
                          MakeTimeAccessor(&ServiceProxy::m_deadTime),
                          MakeTimeChecker(Time(0)))
            .AddAttribute("InBandQueries",
                          "Queries ride on data packets to the SVM (PING bit, 0043).",
                          BooleanValue(true),
                          MakeBooleanAccessor(&ServiceProxy::m_inBand),
                          MakeBooleanChecker())
            .AddAttribute("IdleProbes",
                          "A query with no data to ride on goes as a probe of its own (0055).",
                          BooleanValue(true),
                          MakeBooleanAccessor(&ServiceProxy::m_idleProbes),
                          MakeBooleanChecker())
            .AddAttribute("WatchInterface",
                          "The SVM's vNIC losing its link makes it DOWN at once (0071).",
                          BooleanValue(true),
                          MakeBooleanAccessor(&ServiceProxy::m_watchInterface),
                          MakeBooleanChecker())
            .AddAttribute("Reflect",
                          "A DOWN SVM's packets go back to the source classifier, action FAILED "
                          "(0065); else they are dropped.",
                          BooleanValue(false),
                          MakeBooleanAccessor(&ServiceProxy::m_reflect),
                          MakeBooleanChecker())
            .AddTraceSource("Status",
                            "The SVM's status changed: (SVM id, up, cause).",
                            MakeTraceSourceAccessor(&ServiceProxy::m_statusTrace),
                            "ns3::ServiceProxy::StatusTracedCallback")
            .AddTraceSource("Query",
                            "A liveness query was sent: (SVM id, sequence, in-band).",
                            MakeTraceSourceAccessor(&ServiceProxy::m_queryTrace),
                            "ns3::ServiceProxy::QueryTracedCallback");
    return tid;
}

ServiceProxy::ServiceProxy() = default;

void
ServiceProxy::DoDispose()
{
    Simulator::Cancel(m_tick);
    m_plane = nullptr;
    m_vswitch = nullptr;
    m_vnic = nullptr;
    m_statusCallback = StatusCallback();
    PortStage::DoDispose();
}

void
ServiceProxy::Attach(Ptr<ServicePlane> plane,
                     Ptr<VirtualSwitch> vswitch,
                     uint32_t port,
                     Ptr<VnicNetDevice> vnic,
                     uint32_t svm)
{
    m_plane = plane;
    m_vswitch = vswitch;
    m_port = port;
    m_vnic = vnic;
    m_svm = svm;
    m_svmMac = Mac48Address::ConvertFrom(vnic->GetAddress());
    // A locally administered MAC per SVM (02:53:56:50 + id): not taken from the global
    // allocator, so adding a chain does not renumber the VMs' MACs.
    uint8_t mac[6] =
        {0x02, 0x53, 0x56, 0x50, static_cast<uint8_t>(svm >> 8), static_cast<uint8_t>(svm)};
    m_mac.CopyFrom(mac);
    vnic->AddLinkChangeCallback(MakeCallback(&ServiceProxy::LinkChanged, this));
}

void
ServiceProxy::Start()
{
    m_lastAnswer = Simulator::Now();
    m_tick = Simulator::Schedule(m_interval, &ServiceProxy::Tick, this);
}

void
ServiceProxy::SetStatusCallback(StatusCallback cb)
{
    m_statusCallback = cb;
}

Mac48Address
ServiceProxy::GetMac() const
{
    return m_mac;
}

bool
ServiceProxy::IsUp() const
{
    return m_up;
}

uint32_t
ServiceProxy::GetSvm() const
{
    return m_svm;
}

const ServiceProxy::Counters&
ServiceProxy::GetCounters() const
{
    return m_counters;
}

void
ServiceProxy::SetStatus(bool up, Cause cause)
{
    if (up == m_up)
    {
        return;
    }
    m_up = up;
    NS_LOG_INFO("SVM " << m_svm << (up ? " UP" : " DOWN") << " cause " << +cause);
    m_statusTrace(m_svm, up, cause);
    if (!m_statusCallback.IsNull())
    {
        m_statusCallback(m_svm, up, cause);
    }
}

void
ServiceProxy::LinkChanged()
{
    if (!m_watchInterface)
    {
        return;
    }
    if (!m_vnic->IsLinkUp())
    {
        SetStatus(false, CAUSE_INTERFACE_DOWN);
    }
    else if (!QueriesRun())
    {
        SetStatus(true, CAUSE_INTERFACE_UP);
    }
}

void
ServiceProxy::Tick()
{
    const Time now = Simulator::Now();
    if (m_outstanding && now - m_sentAt >= m_interval / 2)
    {
        m_outstanding = false;
        ++m_counters.missed;
        ++m_missedInRow;
        if (m_missedInRow >= m_detectMult)
        {
            SetStatus(false, CAUSE_QUERIES_MISSED);
        }
    }
    if (m_deadTime.IsStrictlyPositive() && QueriesRun() && now - m_lastAnswer >= m_deadTime)
    {
        SetStatus(false, CAUSE_DEAD_TIME);
    }
    if (QueriesRun() && !m_outstanding)
    {
        m_seq = (m_seq + 1) & NshHeader::MAX_SEQUENCE;
        m_armed = false;
        if (m_up && m_inBand && m_dataSinceTick)
        {
            m_armed = true; // sent with the next data packet
        }
        else if (m_idleProbes || !m_up)
        {
            SendProbe();
        }
    }
    m_dataSinceTick = false;
    m_tick = Simulator::Schedule(m_interval, &ServiceProxy::Tick, this);
}

void
ServiceProxy::SendProbe()
{
    NshHeader nsh;
    nsh.SetOam(true);
    nsh.SetNextProtocol(NshHeader::NEXT_NONE);
    nsh.SetLivenessQuery(m_seq);
    nsh.SetSourceVtep(m_plane->GetLocalAddress());
    m_outstanding = true;
    m_sentAt = Simulator::Now();
    ++m_counters.probes;
    m_queryTrace(m_svm, m_seq, false);
    ToSvm(Create<Packet>(), nsh);
}

void
ServiceProxy::ToSvm(Ptr<Packet> inner, const NshHeader& nsh)
{
    inner->AddHeader(nsh);
    EthernetHeader eth(false);
    eth.SetSource(m_mac);
    eth.SetDestination(m_svmMac);
    eth.SetLengthType(NshHeader::ETHERTYPE);
    inner->AddHeader(eth);
    // A disconnected vNIC reports the frame itself (VNIC_DOWN).
    m_vswitch->SendToServicePort(m_port, inner);
}

void
ServiceProxy::FromServicePlane(Ptr<Packet> inner, NshHeader nsh, uint32_t flowHash)
{
    if (!m_up)
    {
        if (m_reflect)
        {
            m_plane->Reflect(inner, nsh, flowHash);
        }
        else
        {
            m_plane->Drop(inner, DropReason::SERVICE_VM_DOWN);
        }
        return;
    }
    m_dataSinceTick = true;
    if (m_armed)
    {
        m_armed = false;
        nsh.SetLivenessQuery(m_seq);
        m_outstanding = true;
        m_sentAt = Simulator::Now();
        ++m_counters.inBandQueries;
        m_queryTrace(m_svm, m_seq, true);
    }
    else
    {
        nsh.ClearLiveness();
    }
    ToSvm(inner, nsh);
}

void
ServiceProxy::HandleAnswer(uint8_t seq)
{
    if (seq != m_seq)
    {
        ++m_counters.stale;
        return;
    }
    if (!m_outstanding)
    {
        ++m_counters.duplicates;
        return;
    }
    m_outstanding = false;
    m_missedInRow = 0;
    m_lastAnswer = Simulator::Now();
    ++m_counters.answers;
    if (!m_watchInterface || m_vnic->IsLinkUp())
    {
        SetStatus(true, CAUSE_ANSWER);
    }
}

PortVerdict
ServiceProxy::Process(PortContext& ctx)
{
    if (ctx.etherType != NshHeader::ETHERTYPE)
    {
        return PortVerdict::Continue();
    }
    Ptr<Packet> packet = ctx.frame;
    EthernetHeader eth(false);
    packet->RemoveHeader(eth);
    NshHeader nsh;
    if (packet->RemoveHeader(nsh) == 0)
    {
        return PortVerdict::Drop(DropReason::MALFORMED);
    }
    if (nsh.IsLivenessReply())
    {
        HandleAnswer(nsh.GetSequence());
    }
    if (nsh.GetNextProtocol() != NshHeader::NEXT_ETHERNET)
    {
        return PortVerdict::Consumed(); // an answer without data
    }
    if (nsh.GetTtl() <= 1)
    {
        return PortVerdict::Drop(DropReason::NSH_TTL_EXPIRED);
    }
    nsh.SetTtl(nsh.GetTtl() - 1);
    nsh.SetServiceIndex(nsh.GetServiceIndex() - 1);
    nsh.ClearLiveness();
    m_plane->Forward(packet, nsh, ServicePlane::InnerFlowHash(packet));
    return PortVerdict::Consumed();
}

} // namespace ns3
