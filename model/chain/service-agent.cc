#include "service-agent.h"

#include "service-classifier.h"
#include "service-function.h"
#include "service-proxy.h"
#include "vnic-net-device.h"

#include "ns3/inet-socket-address.h"
#include "ns3/ipv4-address.h"
#include "ns3/log.h"
#include "ns3/packet.h"
#include "ns3/simulator.h"
#include "ns3/udp-socket-factory.h"

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("ServiceAgent");
NS_OBJECT_ENSURE_REGISTERED(ServiceAgent);

TypeId
ServiceAgent::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::ServiceAgent")
            .SetParent<Application>()
            .SetGroupName("OverlayFabric")
            .AddConstructor<ServiceAgent>()
            .AddAttribute("ControllerAddress",
                          "The controller's address on the management network.",
                          Ipv4AddressValue(),
                          MakeIpv4AddressAccessor(&ServiceAgent::m_controller),
                          MakeIpv4AddressChecker())
            .AddAttribute("ProcessingDelay",
                          "Time from a push's arrival to the classifier's reprogramming.",
                          TimeValue(Time(0)),
                          MakeTimeAccessor(&ServiceAgent::m_processingDelay),
                          MakeTimeChecker(Time(0)))
            .AddAttribute("HeartbeatInterval",
                          "A HEARTBEAT of the host's running SVMs every interval; 0: none.",
                          TimeValue(Time(0)),
                          MakeTimeAccessor(&ServiceAgent::m_heartbeatInterval),
                          MakeTimeChecker(Time(0)))
            .AddTraceSource("PushApplied",
                            "A path status from the controller reached the classifier: (SPI, "
                            "up).",
                            MakeTraceSourceAccessor(&ServiceAgent::m_pushAppliedTrace),
                            "ns3::ServiceAgent::PushAppliedTracedCallback");
    return tid;
}

ServiceAgent::ServiceAgent() = default;

void
ServiceAgent::DoDispose()
{
    m_socket = nullptr;
    m_proxies.clear();
    m_classifier = nullptr;
    m_sources.clear();
    Application::DoDispose();
}

void
ServiceAgent::AddProxy(Ptr<ServiceProxy> proxy)
{
    proxy->SetStatusCallback(MakeCallback(&ServiceAgent::StatusChanged, this));
    m_proxies.push_back(proxy);
}

void
ServiceAgent::SetClassifier(Ptr<ServiceClassifier> classifier)
{
    m_classifier = classifier;
}

void
ServiceAgent::AddHeartbeatSource(uint32_t svm,
                                 Ptr<ServiceFunction> function,
                                 Ptr<VnicNetDevice> vnic)
{
    m_sources.push_back(Source{svm, function, vnic});
}

uint64_t
ServiceAgent::GetReportsSent() const
{
    return m_reportsSent;
}

uint64_t
ServiceAgent::GetPushesApplied() const
{
    return m_pushesApplied;
}

void
ServiceAgent::StartApplication()
{
    m_socket = Socket::CreateSocket(GetNode(), UdpSocketFactory::GetTypeId());
    m_socket->Bind(InetSocketAddress(Ipv4Address::GetAny(), ServiceControlHeader::UDP_PORT));
    m_socket->SetRecvCallback(MakeCallback(&ServiceAgent::Receive, this));
    if (m_heartbeatInterval.IsStrictlyPositive() && !m_sources.empty())
    {
        m_heartbeat = Simulator::Schedule(m_heartbeatInterval, &ServiceAgent::Heartbeat, this);
    }
}

void
ServiceAgent::StopApplication()
{
    Simulator::Cancel(m_heartbeat);
    if (m_socket)
    {
        m_socket->Close();
    }
}

void
ServiceAgent::Send(const ServiceControlHeader& message)
{
    Ptr<Packet> packet = Create<Packet>();
    packet->AddHeader(message);
    m_socket->SendTo(packet, 0, InetSocketAddress(m_controller, ServiceControlHeader::UDP_PORT));
}

void
ServiceAgent::StatusChanged(uint32_t svm, bool up, uint8_t cause)
{
    ServiceControlHeader report;
    report.SetType(ServiceControlHeader::REPORT);
    report.SetSequence(++m_sequence);
    report.AddEntry(ServiceControlHeader::Entry{svm, uint8_t{up}, cause});
    ++m_reportsSent;
    Send(report);
}

void
ServiceAgent::Heartbeat()
{
    ServiceControlHeader beat;
    beat.SetType(ServiceControlHeader::HEARTBEAT);
    beat.SetSequence(++m_sequence);
    for (const Source& s : m_sources)
    {
        if (s.function->GetHealth() != ServiceFunction::CRASHED && s.vnic->IsLinkUp())
        {
            beat.AddEntry(ServiceControlHeader::Entry{s.svm, 1, 0});
        }
    }
    Send(beat);
    m_heartbeat = Simulator::Schedule(m_heartbeatInterval, &ServiceAgent::Heartbeat, this);
}

void
ServiceAgent::Receive(Ptr<Socket> socket)
{
    while (Ptr<Packet> packet = socket->Recv())
    {
        ServiceControlHeader message;
        if (packet->RemoveHeader(message) == 0 || message.GetType() != ServiceControlHeader::PUSH)
        {
            continue;
        }
        std::vector<std::pair<uint32_t, bool>> statuses;
        for (const ServiceControlHeader::Entry& e : message.GetEntries())
        {
            statuses.emplace_back(e.id, e.status != 0);
        }
        if (m_processingDelay.IsZero())
        {
            Apply(statuses);
        }
        else
        {
            Simulator::Schedule(m_processingDelay, &ServiceAgent::Apply, this, statuses);
        }
    }
}

void
ServiceAgent::Apply(std::vector<std::pair<uint32_t, bool>> statuses)
{
    ++m_pushesApplied;
    if (m_classifier)
    {
        m_classifier->SetPathStatus(statuses);
    }
    for (const auto& [spi, up] : statuses)
    {
        m_pushAppliedTrace(spi, up);
    }
}

} // namespace ns3
