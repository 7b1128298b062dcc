#include "service-controller.h"

#include "ns3/abort.h"
#include "ns3/inet-socket-address.h"
#include "ns3/log.h"
#include "ns3/packet.h"
#include "ns3/simulator.h"
#include "ns3/udp-socket-factory.h"

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("ServiceController");
NS_OBJECT_ENSURE_REGISTERED(ServiceController);

TypeId
ServiceController::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::ServiceController")
            .SetParent<Application>()
            .SetGroupName("OverlayFabric")
            .AddConstructor<ServiceController>()
            .AddAttribute("ProcessingDelay",
                          "Time from a report (or a heartbeat deadline, or an administrator's "
                          "fail) to the table change and its push (seed 001 paragraph 0065).",
                          TimeValue(Seconds(1)),
                          MakeTimeAccessor(&ServiceController::m_processingDelay),
                          MakeTimeChecker(Time(0)))
            .AddAttribute("HeartbeatTimeout",
                          "A watched SVM no heartbeat listed for this long is DOWN.",
                          TimeValue(Seconds(3)),
                          MakeTimeAccessor(&ServiceController::m_heartbeatTimeout),
                          MakeTimeChecker(MilliSeconds(1)))
            .AddTraceSource("Report",
                            "The controller acts on what a mechanism said of an SVM: (SVM id, "
                            "up, cause, mechanism).",
                            MakeTraceSourceAccessor(&ServiceController::m_reportTrace),
                            "ns3::ServiceController::ReportTracedCallback")
            .AddTraceSource("ReportReceived",
                            "A proxy's report arrived (before the processing delay): (SVM, up).",
                            MakeTraceSourceAccessor(&ServiceController::m_reportReceivedTrace),
                            "ns3::ServiceController::ReportReceivedTracedCallback")
            .AddTraceSource("TableChange",
                            "A path's status changed in the status table: (SPI, up).",
                            MakeTraceSourceAccessor(&ServiceController::m_tableChangeTrace),
                            "ns3::ServiceController::TableChangeTracedCallback");
    return tid;
}

ServiceController::ServiceController() = default;

void
ServiceController::DoDispose()
{
    m_socket = nullptr;
    Application::DoDispose();
}

void
ServiceController::AddPath(uint32_t spi, const std::vector<uint32_t>& svms)
{
    NS_ABORT_MSG_IF(m_rowOfSpi.count(spi) != 0, "SPI " << spi << " twice in the status table");
    m_rowOfSpi[spi] = m_rows.size();
    for (uint32_t svm : svms)
    {
        m_svms[svm].paths.push_back(m_rows.size());
    }
    m_rows.push_back(Row{spi, svms});
}

void
ServiceController::AddAgent(Ipv4Address agent)
{
    m_agents.push_back(agent);
}

void
ServiceController::WatchHeartbeats(uint32_t svm)
{
    m_svms[svm].watched = true;
}

void
ServiceController::AdminFail(uint32_t svm, bool failed)
{
    Simulator::Schedule(m_processingDelay,
                        &ServiceController::Act,
                        this,
                        svm,
                        !failed,
                        uint8_t{0},
                        ADMIN);
}

bool
ServiceController::IsPathUp(uint32_t spi) const
{
    return m_rows.at(m_rowOfSpi.at(spi)).up;
}

const std::vector<ServiceController::TableChange>&
ServiceController::GetHistory() const
{
    return m_history;
}

std::vector<uint32_t>
ServiceController::GetPaths() const
{
    std::vector<uint32_t> spis;
    for (const Row& row : m_rows)
    {
        spis.push_back(row.spi);
    }
    return spis;
}

const std::vector<uint32_t>&
ServiceController::GetPathSvms(uint32_t spi) const
{
    return m_rows.at(m_rowOfSpi.at(spi)).svms;
}

uint64_t
ServiceController::GetReports() const
{
    return m_reports;
}

uint64_t
ServiceController::GetPushes() const
{
    return m_pushes;
}

void
ServiceController::StartApplication()
{
    m_socket = Socket::CreateSocket(GetNode(), UdpSocketFactory::GetTypeId());
    m_socket->Bind(InetSocketAddress(Ipv4Address::GetAny(), ServiceControlHeader::UDP_PORT));
    m_socket->SetRecvCallback(MakeCallback(&ServiceController::Receive, this));
    for (auto& [id, svm] : m_svms)
    {
        svm.lastHeartbeat = Simulator::Now();
    }
    m_heartbeatCheck =
        Simulator::Schedule(m_heartbeatTimeout / 4, &ServiceController::CheckHeartbeats, this);
}

void
ServiceController::StopApplication()
{
    Simulator::Cancel(m_heartbeatCheck);
    if (m_socket)
    {
        m_socket->Close();
    }
}

void
ServiceController::Receive(Ptr<Socket> socket)
{
    while (Ptr<Packet> packet = socket->Recv())
    {
        ServiceControlHeader message;
        if (packet->RemoveHeader(message) == 0)
        {
            continue; // not a control message: nothing to act on
        }
        ++m_reports;
        for (const ServiceControlHeader::Entry& e : message.GetEntries())
        {
            if (message.GetType() == ServiceControlHeader::HEARTBEAT)
            {
                auto svm = m_svms.find(e.id);
                if (svm != m_svms.end())
                {
                    svm->second.lastHeartbeat = Simulator::Now();
                    if (svm->second.down[HEARTBEAT])
                    {
                        Simulator::Schedule(m_processingDelay,
                                            &ServiceController::Act,
                                            this,
                                            e.id,
                                            true,
                                            uint8_t{0},
                                            HEARTBEAT);
                    }
                }
            }
            else if (message.GetType() == ServiceControlHeader::REPORT)
            {
                m_reportReceivedTrace(e.id, e.status != 0);
                Simulator::Schedule(m_processingDelay,
                                    &ServiceController::Act,
                                    this,
                                    e.id,
                                    e.status != 0,
                                    e.cause,
                                    PROXY);
            }
        }
    }
}

void
ServiceController::CheckHeartbeats()
{
    const Time now = Simulator::Now();
    for (auto& [id, svm] : m_svms)
    {
        if (svm.watched && !svm.down[HEARTBEAT] && now - svm.lastHeartbeat >= m_heartbeatTimeout)
        {
            // Marked at once, so that the next check does not schedule it again.
            svm.down[HEARTBEAT] = true;
            Simulator::Schedule(m_processingDelay,
                                &ServiceController::Act,
                                this,
                                id,
                                false,
                                uint8_t{0},
                                HEARTBEAT);
        }
    }
    m_heartbeatCheck =
        Simulator::Schedule(m_heartbeatTimeout / 4, &ServiceController::CheckHeartbeats, this);
}

bool
ServiceController::IsSvmDown(uint32_t svm) const
{
    auto s = m_svms.find(svm);
    return s != m_svms.end() &&
           (s->second.down[PROXY] || s->second.down[HEARTBEAT] || s->second.down[ADMIN]);
}

void
ServiceController::Act(uint32_t svm, bool up, uint8_t cause, Mechanism m)
{
    auto s = m_svms.find(svm);
    if (s == m_svms.end())
    {
        return; // an SVM on no path in the table
    }
    if (m == HEARTBEAT && up && Simulator::Now() - s->second.lastHeartbeat >= m_heartbeatTimeout)
    {
        return; // the heartbeats stopped again meanwhile
    }
    s->second.down[m] = !up;
    m_reportTrace(svm, up, cause, m);
    ServiceControlHeader push;
    push.SetType(ServiceControlHeader::PUSH);
    for (uint32_t r : s->second.paths)
    {
        Row& row = m_rows[r];
        bool rowUp = true;
        std::vector<uint32_t> failed;
        for (uint32_t v : row.svms)
        {
            if (IsSvmDown(v))
            {
                rowUp = false;
                failed.push_back(v);
            }
        }
        if (rowUp == row.up)
        {
            continue;
        }
        row.up = rowUp;
        m_history.push_back(TableChange{Simulator::Now(), row.spi, rowUp, failed});
        m_tableChangeTrace(row.spi, rowUp);
        push.AddEntry(ServiceControlHeader::Entry{row.spi, uint8_t{rowUp}, 0});
    }
    if (push.GetEntries().empty())
    {
        return;
    }
    push.SetSequence(++m_pushSequence);
    for (const Ipv4Address& agent : m_agents)
    {
        Ptr<Packet> packet = Create<Packet>();
        packet->AddHeader(push);
        m_socket->SendTo(packet, 0, InetSocketAddress(agent, ServiceControlHeader::UDP_PORT));
        ++m_pushes;
    }
}

} // namespace ns3
