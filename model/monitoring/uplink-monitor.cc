#include "uplink-monitor.h"

#include "bfd-header.h"
#include "bfd-session.h"
#include "five-tuple.h"
#include "probe-tag.h"
#include "uplink-echo-header.h"
#include "uplink-selector.h"
#include "vtep.h"

#include "ns3/boolean.h"
#include "ns3/double.h"
#include "ns3/enum.h"
#include "ns3/ethernet-header.h"
#include "ns3/ipv4-header.h"
#include "ns3/log.h"
#include "ns3/packet.h"
#include "ns3/simulator.h"
#include "ns3/udp-header.h"
#include "ns3/uinteger.h"

#include <cmath>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("UplinkMonitor");
NS_OBJECT_ENSURE_REGISTERED(UplinkMonitor);

namespace
{
constexpr uint32_t LOSS_WINDOW = 100;       //!< echoes the loss figure covers (seed paragraph 0057)
constexpr uint16_t ECHO_SPORT_BASE = 49152; //!< inner UDP source port = base + uplink (+ 8 k)
constexpr uint32_t PORT_STRIDE = 8;         //!< uplinks per host at most: candidates step by it

/// S-BFD reflector discriminator of a VTEP: known to every initiator from the address alone.
uint32_t
ReflectorDiscriminator(Ipv4Address vtep)
{
    return 0x5B000000u | (vtep.Get() & 0xffffff);
}

/// Inner Ethernet + IPv4 + UDP frame around \p payload.
Ptr<Packet>
InnerFrame(Ptr<Packet> payload,
           Mac48Address mac,
           Ipv4Address src,
           Ipv4Address dst,
           uint8_t ttl,
           uint16_t sport,
           uint16_t dport)
{
    UdpHeader udp;
    udp.SetSourcePort(sport);
    udp.SetDestinationPort(dport);
    payload->AddHeader(udp);
    Ipv4Header ip;
    ip.SetSource(src);
    ip.SetDestination(dst);
    ip.SetProtocol(17);
    ip.SetTtl(ttl);
    ip.SetPayloadSize(payload->GetSize());
    ip.EnableChecksum();
    payload->AddHeader(ip);
    EthernetHeader eth(false);
    eth.SetSource(mac);
    eth.SetDestination(mac);
    eth.SetLengthType(0x0800);
    payload->AddHeader(eth);
    return payload;
}
} // namespace

TypeId
UplinkMonitor::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::UplinkMonitor")
            .SetParent<Object>()
            .SetGroupName("OverlayFabric")
            .AddConstructor<UplinkMonitor>()
            .AddAttribute(
                "Mode",
                "ASYNC: BFD session per tunnel, echoes once Up; SEAMLESS: echoes at once.",
                EnumValue(UplinkMonitor::ASYNC),
                MakeEnumAccessor(&UplinkMonitor::m_mode),
                MakeEnumChecker(UplinkMonitor::ASYNC, "async", UplinkMonitor::SEAMLESS, "seamless"))
            .AddAttribute("TxInterval",
                          "DesiredMinTxInterval (control packets and echoes).",
                          TimeValue(MilliSeconds(300)),
                          MakeTimeAccessor(&UplinkMonitor::m_txInterval),
                          MakeTimeChecker(MicroSeconds(1), Seconds(60)))
            .AddAttribute("RxInterval",
                          "RequiredMinRxInterval and RequiredMinEchoRxInterval.",
                          TimeValue(MilliSeconds(300)),
                          MakeTimeAccessor(&UplinkMonitor::m_rxInterval),
                          MakeTimeChecker(MicroSeconds(1), Seconds(60)))
            .AddAttribute("DetectMult",
                          "DetectMult: echo intervals without a reply before DOWN.",
                          UintegerValue(3),
                          MakeUintegerAccessor(&UplinkMonitor::m_detectMult),
                          MakeUintegerChecker<uint32_t>(1, 255))
            .AddAttribute("UpAfter",
                          "Consecutive replies that bring a DOWN uplink UP again.",
                          UintegerValue(3),
                          MakeUintegerAccessor(&UplinkMonitor::m_upAfter),
                          MakeUintegerChecker<uint32_t>(1, 255))
            .AddAttribute("Jitter",
                          "RFC 5880 6.8.7 transmit jitter.",
                          BooleanValue(true),
                          MakeBooleanAccessor(&UplinkMonitor::m_jitter),
                          MakeBooleanChecker())
            .AddAttribute("RttThreshold",
                          "QoS threshold: degraded while the smoothed RTT is above it (0: none).",
                          TimeValue(Time(0)),
                          MakeTimeAccessor(&UplinkMonitor::m_rttThreshold),
                          MakeTimeChecker(Time(0)))
            .AddAttribute("LossThreshold",
                          "Degraded while loss over the last 100 echoes is above it (1: none).",
                          DoubleValue(1.0),
                          MakeDoubleAccessor(&UplinkMonitor::m_lossThreshold),
                          MakeDoubleChecker<double>(0.0, 1.0))
            .AddAttribute("Localize",
                          "Fault localization before a DOWN (see the class doc): a tunnel whose "
                          "peer's own echoes from one of its uplinks stopped arriving is the "
                          "remote host's problem and does not make a local uplink DOWN.",
                          BooleanValue(false),
                          MakeBooleanAccessor(&UplinkMonitor::m_localize),
                          MakeBooleanChecker())
            .AddAttribute("ClockOffset",
                          "This host's clock minus simulated time at t = 0 (may be negative): "
                          "timestamps in echoes are LocalClock() readings (see the class doc). At "
                          "most a day either way: a clock further off is misconfigured.",
                          TimeValue(Time(0)),
                          MakeTimeAccessor(&UplinkMonitor::m_clockOffset),
                          MakeTimeChecker(Seconds(-86400), Seconds(86400)))
            .AddAttribute("ClockDrift",
                          "This host's clock rate error, ppm: LocalClock(t) = t + ClockOffset + "
                          "ClockDrift x 1e-6 x t. Bounded by MAX_CLOCK_DRIFT_PPM (1000).",
                          DoubleValue(0.0),
                          MakeDoubleAccessor(&UplinkMonitor::m_clockDriftPpm),
                          MakeDoubleChecker<double>(-MAX_CLOCK_DRIFT_PPM, MAX_CLOCK_DRIFT_PPM))
            .AddTraceSource("ForwardDelay",
                            "A peer's echo (stream 0) arrived to be looped back: its one-way "
                            "delay, this clock minus its timestamp (tunnel, peer uplink, delay).",
                            MakeTraceSourceAccessor(&UplinkMonitor::m_forwardDelay),
                            "ns3::UplinkMonitor::ForwardDelayTracedCallback")
            .AddTraceSource("Localized",
                            "A missing-reply detection was classified (tunnel, uplink, class: "
                            "UplinkMonitor::Locus); only with Localize.",
                            MakeTraceSourceAccessor(&UplinkMonitor::m_localized),
                            "ns3::UplinkMonitor::LocalizedTracedCallback")
            .AddTraceSource("StatusChanged",
                            "An uplink of a tunnel went UP or DOWN (tunnel, uplink, up).",
                            MakeTraceSourceAccessor(&UplinkMonitor::m_statusChanged),
                            "ns3::UplinkMonitor::StatusTracedCallback")
            .AddTraceSource("PathStatusChanged",
                            "An extra echo stream (SetEchoPorts) of an uplink of a tunnel went UP "
                            "or DOWN (tunnel, uplink, path >= 1, up).",
                            MakeTraceSourceAccessor(&UplinkMonitor::m_pathStatusChanged),
                            "ns3::UplinkMonitor::PathStatusTracedCallback")
            .AddTraceSource("DegradedChanged",
                            "An uplink of a tunnel became degraded or not (tunnel, uplink, on).",
                            MakeTraceSourceAccessor(&UplinkMonitor::m_degradedChanged),
                            "ns3::UplinkMonitor::StatusTracedCallback")
            .AddTraceSource("SessionStateChanged",
                            "The BFD session (or S-BFD initiator) of a tunnel changed state "
                            "(tunnel, old, new, diag).",
                            MakeTraceSourceAccessor(&UplinkMonitor::m_sessionChanged),
                            "ns3::UplinkMonitor::SessionTracedCallback")
            .AddTraceSource("EchoReply",
                            "An echo reply credited to an uplink (tunnel, uplink, rtt).",
                            MakeTraceSourceAccessor(&UplinkMonitor::m_echoReply),
                            "ns3::UplinkMonitor::EchoReplyTracedCallback");
    return tid;
}

UplinkMonitor::UplinkMonitor()
    : m_rng(CreateObject<UniformRandomVariable>())
{
}

void
UplinkMonitor::DoDispose()
{
    for (Tunnel& t : m_tunnels)
    {
        for (std::vector<Echo>& streams : t.echo)
        {
            for (Echo& e : streams)
            {
                e.txEvent.Cancel();
                e.detectEvent.Cancel();
            }
        }
        t.session = nullptr;
    }
    m_tunnels.clear();
    m_reflector = nullptr;
    m_vtep = nullptr;
    m_rng = nullptr;
    Object::DoDispose();
}

int64_t
UplinkMonitor::AssignStreams(int64_t stream)
{
    m_rng->SetStream(stream);
    int64_t used = 1;
    if (m_reflector)
    {
        used += m_reflector->AssignStreams(stream + used);
    }
    for (Tunnel& t : m_tunnels)
    {
        used += t.session->AssignStreams(stream + used);
    }
    return used;
}

Time
UplinkMonitor::GetEchoInterval() const
{
    return std::max(m_txInterval, m_rxInterval);
}

Time
UplinkMonitor::GetDetectionTime() const
{
    return GetEchoInterval() * static_cast<int64_t>(m_detectMult);
}

uint32_t
UplinkMonitor::GetTunnelCount() const
{
    return m_tunnels.size();
}

Time
UplinkMonitor::LocalClock(Time t) const
{
    if (m_clockDriftPpm == 0)
    {
        return t + m_clockOffset; // the default clocks: no floating point on the echo path
    }
    // t in ns x drift is exact in a double while |t x drift| < 2^53 ns x ppm: t < 2.5 hours at
    // 1000 ppm, far past the longest scenario; llround rounds half away from zero.
    const int64_t ns = t.GetNanoSeconds();
    const int64_t drift = std::llround(static_cast<double>(ns) * m_clockDriftPpm * 1e-6);
    return t + m_clockOffset + NanoSeconds(drift);
}

const UplinkMonitor::ForwardDelay&
UplinkMonitor::GetForwardDelay(uint32_t tunnel, uint32_t peerUplink) const
{
    return m_tunnels.at(tunnel).forwardDelay.at(peerUplink);
}

const UplinkMonitor::UplinkMetrics&
UplinkMonitor::GetMetrics(uint32_t tunnel, uint32_t uplink) const
{
    return GetMetrics(tunnel, uplink, 0);
}

const UplinkMonitor::UplinkMetrics&
UplinkMonitor::GetMetrics(uint32_t tunnel, uint32_t uplink, uint32_t path) const
{
    return m_tunnels.at(tunnel).echo.at(uplink).at(path).m;
}

uint32_t
UplinkMonitor::GetPathCount(uint32_t tunnel, uint32_t uplink) const
{
    return m_tunnels.at(tunnel).echo.at(uplink).size();
}

uint32_t
UplinkMonitor::GetEchoFlowHash(uint32_t tunnel, uint32_t uplink, uint32_t path) const
{
    return m_tunnels.at(tunnel).echo.at(uplink).at(path).flowHash;
}

uint32_t
UplinkMonitor::EchoFlowHash(Ipv4Address vtep, uint16_t sport)
{
    // The echo's inner header: from and to the local VTEP, UDP sport -> 3785.
    return FlowEntropy(FiveTuple{vtep.Get(), vtep.Get(), sport, BfdHeader::ECHO_PORT, 17});
}

uint16_t
UplinkMonitor::EchoInnerPort(uint32_t uplink, uint32_t candidate)
{
    const uint32_t port = ECHO_SPORT_BASE + uplink + PORT_STRIDE * candidate;
    return port <= 65535 ? static_cast<uint16_t>(port) : 0;
}

void
UplinkMonitor::InitEcho(Echo& e, uint32_t uplink, uint32_t candidate) const
{
    e.sport = EchoInnerPort(uplink, candidate);
    e.flowHash = EchoFlowHash(m_vtep->GetLocalAddress(), e.sport);
    e.sentAt.assign(m_ring, Time(0));
    e.replied.assign(m_ring, false);
    e.window.assign(LOSS_WINDOW, false);
}

void
UplinkMonitor::SetEchoPorts(uint32_t tunnel, uint32_t uplink, const std::vector<uint16_t>& sports)
{
    std::vector<Echo>& streams = m_tunnels.at(tunnel).echo.at(uplink);
    NS_ABORT_MSG_IF(sports.empty() || sports.size() > MAX_PATHS ||
                        sports[0] != EchoInnerPort(uplink, 0),
                    "SetEchoPorts: 1.." << MAX_PATHS << " ports, the first the seed's");
    NS_ABORT_MSG_IF(streams[0].started, "SetEchoPorts: call it before Start");
    streams.resize(sports.size());
    std::vector<uint32_t> hashes;
    for (uint32_t p = 0; p < sports.size(); ++p)
    {
        NS_ABORT_MSG_IF(
            sports[p] < ECHO_SPORT_BASE || (sports[p] - ECHO_SPORT_BASE) % PORT_STRIDE != uplink,
            "SetEchoPorts: port " << sports[p] << " is not an EchoInnerPort of uplink " << uplink);
        InitEcho(streams[p], uplink, (sports[p] - ECHO_SPORT_BASE) / PORT_STRIDE);
        hashes.push_back(streams[p].flowHash);
    }
    m_vtep->GetUplinkSelector()->SetPaths(tunnel, uplink, hashes);
}

const char*
UplinkMonitor::LocusToString(Locus locus)
{
    switch (locus)
    {
    case LOCAL_UPLINK:
        return "local-uplink";
    case REMOTE_HOST:
        return "remote-host";
    case FABRIC_PATH:
        return "fabric-path";
    }
    return "?";
}

int64_t
UplinkMonitor::GetHighestRepliedSeq(uint32_t tunnel, uint32_t uplink, uint32_t path) const
{
    return m_tunnels.at(tunnel).echo.at(uplink).at(path).lastReplySeq;
}

Ptr<BfdSession>
UplinkMonitor::GetSession(uint32_t tunnel) const
{
    return m_tunnels.at(tunnel).session;
}

void
UplinkMonitor::Install(Ptr<Vtep> vtep)
{
    m_vtep = vtep;
    vtep->SetOamHandler(MakeCallback(&UplinkMonitor::HandleOam, this));
    uint32_t uplinks = vtep->GetUplinks().size();
    // Echoes younger than the detection time: at most DetectMult / 0.75 (jitter) + 1 of them.
    m_ring = 4;
    while (m_ring < m_detectMult * 4 / 3 + 2)
    {
        m_ring *= 2;
    }
    m_tunnels.resize(vtep->GetTunnelCount());
    m_lastOamArrival.assign(uplinks, std::nullopt);
    for (uint32_t t = 0; t < m_tunnels.size(); ++t)
    {
        Tunnel& tunnel = m_tunnels[t];
        tunnel.echo.resize(uplinks);
        for (uint32_t u = 0; u < uplinks; ++u)
        {
            tunnel.echo[u].resize(1);
            InitEcho(tunnel.echo[u][0], u, 0);
        }
        Ptr<BfdSession> s = CreateObject<BfdSession>();
        s->SetAttribute("DesiredMinTxInterval", TimeValue(m_txInterval));
        s->SetAttribute("RequiredMinRxInterval", TimeValue(m_rxInterval));
        s->SetAttribute("DetectMult", UintegerValue(m_detectMult));
        s->SetAttribute("Jitter", BooleanValue(m_jitter));
        // Unique per host and tunnel: low 16 bits of the VTEP address, tunnel + 1.
        uint32_t disc = ((vtep->GetLocalAddress().Get() & 0xffff) << 16) | ((t + 1) & 0xffff);
        s->SetAttribute("LocalDiscriminator", UintegerValue(disc));
        if (m_mode == ASYNC)
        {
            s->SetAttribute("RequiredMinEchoRxInterval", TimeValue(m_rxInterval));
        }
        else
        {
            s->SetAttribute("Role", EnumValue(BfdSession::SBFD_INITIATOR));
            s->SetAttribute("ReflectorDiscriminator",
                            UintegerValue(ReflectorDiscriminator(vtep->GetTunnelRemote(t))));
        }
        s->SetSendCallback(MakeBoundCallback(
            +[](UplinkMonitor* self, uint32_t tunnelIndex, Ptr<Packet> p) {
                self->SendControl(tunnelIndex, p, false);
            },
            this,
            t));
        s->TraceConnectWithoutContext(
            "StateChanged",
            MakeBoundCallback(
                +[](UplinkMonitor* self,
                    uint32_t tunnelIndex,
                    BfdSession::State old,
                    BfdSession::State now,
                    uint8_t diag) { self->SessionStateChanged(tunnelIndex, old, now, diag); },
                this,
                t));
        tunnel.session = s;
    }
    if (m_mode == SEAMLESS)
    {
        // One RFC 7880 reflector per VTEP answers every initiator's packets.
        m_reflector = CreateObject<BfdSession>();
        m_reflector->SetAttribute("Role", EnumValue(BfdSession::SBFD_REFLECTOR));
        m_reflector->SetAttribute("RequiredMinRxInterval", TimeValue(m_rxInterval));
        m_reflector->SetAttribute("LocalDiscriminator",
                                  UintegerValue(ReflectorDiscriminator(vtep->GetLocalAddress())));
        m_reflector->SetSendCallback(MakeBoundCallback(
            +[](UplinkMonitor* self, Ptr<Packet> p) {
                self->SendControl(self->m_reflectingTunnel, p, true);
            },
            this));
    }
}

void
UplinkMonitor::Start()
{
    if (m_reflector)
    {
        m_reflector->Start();
    }
    for (uint32_t t = 0; t < m_tunnels.size(); ++t)
    {
        m_tunnels[t].session->Start();
        if (m_mode == SEAMLESS)
        {
            StartEchoes(t); // no session handshake to wait for
        }
    }
}

Time
UplinkMonitor::NextInterval()
{
    Time interval = GetEchoInterval();
    if (!m_jitter)
    {
        return interval;
    }
    // RFC 5880 6.8.7: reduce each interval by a random 0-25%, or 10-25% when DetectMult is 1.
    double reduction = m_rng->GetValue(m_detectMult == 1 ? 0.10 : 0.0, 0.25);
    return TimeStep(static_cast<int64_t>(interval.GetTimeStep() * (1.0 - reduction)));
}

void
UplinkMonitor::SessionStateChanged(uint32_t tunnel,
                                   uint32_t oldState,
                                   uint32_t newState,
                                   uint8_t diag)
{
    m_sessionChanged(tunnel, oldState, newState, diag);
    // The echo function runs once the session is Up (RFC 5880 6.4); afterwards the per-uplink
    // echo is what judges each uplink, so a later session flap does not stop it.
    if (m_mode == ASYNC && newState == BfdSession::UP)
    {
        StartEchoes(tunnel);
    }
}

void
UplinkMonitor::StartEchoes(uint32_t tunnel)
{
    Tunnel& t = m_tunnels[tunnel];
    for (uint32_t u = 0; u < t.echo.size(); ++u)
    {
        for (uint32_t p = 0; p < t.echo[u].size(); ++p)
        {
            Echo& e = t.echo[u][p];
            if (e.started)
            {
                continue;
            }
            e.started = true;
            // Detection runs from the first echo: no reply within the detection time means DOWN.
            e.detectEvent = Simulator::Schedule(GetDetectionTime(),
                                                &UplinkMonitor::DetectionExpired,
                                                this,
                                                tunnel,
                                                u,
                                                p);
            SendEcho(tunnel, u, p);
        }
    }
}

void
UplinkMonitor::SendEcho(uint32_t tunnel, uint32_t uplink, uint32_t path)
{
    Echo& e = m_tunnels[tunnel].echo[uplink][path];
    Mature(e);
    uint64_t seq = e.nextSeq++;
    e.sentAt[seq % m_ring] = Simulator::Now();
    e.replied[seq % m_ring] = false;
    e.m.echoesSent++;
    Ipv4Address me = m_vtep->GetLocalAddress();
    Ptr<Packet> p = Create<Packet>();
    // Identifier: uplink in the low byte, stream above it (the seed's value for stream 0).
    p->AddHeader(UplinkEchoHeader(uplink | path << 8, seq, LocalClock(Simulator::Now())));
    Ptr<Packet> frame =
        InnerFrame(p, m_vtep->GetMacAddress(), me, me, 1, e.sport, BfdHeader::ECHO_PORT);
    frame->AddPacketTag(
        ProbeTag(me.Get(), tunnel, static_cast<uint8_t>(uplink), static_cast<uint8_t>(path), seq));
    m_vtep->SendOam(frame, tunnel, uplink, e.flowHash, Vtep::OAM_ECHO);
    e.txEvent =
        Simulator::Schedule(NextInterval(), &UplinkMonitor::SendEcho, this, tunnel, uplink, path);
}

void
UplinkMonitor::SendControl(uint32_t tunnel, Ptr<Packet> bfd, bool fromReflector)
{
    Ipv4Address me = m_vtep->GetLocalAddress();
    Ipv4Address remote = m_vtep->GetTunnelRemote(tunnel);
    // RFC 5881: source port in 49152-65535, TTL 255 (here: inside the tunnel). S-BFD (RFC 7881):
    // to the reflector on 7784; the reflector answers from 7784 to the initiator's port.
    uint16_t sport = static_cast<uint16_t>(ECHO_SPORT_BASE + tunnel % 16384);
    uint16_t dport = BfdHeader::UDP_PORT;
    if (m_mode == SEAMLESS)
    {
        dport = fromReflector ? m_reflectingPort : BfdHeader::SBFD_PORT;
        sport = fromReflector ? BfdHeader::SBFD_PORT : sport;
    }
    Ptr<Packet> frame = InnerFrame(bfd, m_vtep->GetMacAddress(), me, remote, 255, sport, dport);
    FiveTuple key{me.Get(), remote.Get(), sport, dport, 17};
    // A session's own packets alternate over the uplinks (seed paragraph 0043), so that it comes
    // Up, and stays Up, while any one uplink works -- including before the echoes run. A
    // reflector's answers follow the selector, like looped-back echoes.
    uint32_t uplink = fromReflector
                          ? UplinkSelector::NO_UPLINK
                          : m_tunnels[tunnel].nextControlUplink++ % m_vtep->GetUplinks().size();
    m_vtep->SendOam(frame, tunnel, uplink, FlowEntropy(key), Vtep::OAM_CONTROL);
}

void
UplinkMonitor::HandleOam(uint32_t tunnel, uint32_t arrivalUplink, Ptr<Packet> frame)
{
    // Inner Ethernet (14) + IPv4 (20..60) + UDP (8) + echo payload (20).
    uint8_t b[14 + 60 + 8 + UplinkEchoHeader::SIZE];
    uint32_t n = frame->CopyData(b, sizeof(b));
    FiveTuple key;
    if (!ParseFiveTuple(b, n, key) || key.proto != 17)
    {
        return;
    }
    uint32_t l4 = 14 + (b[14] & 0x0f) * 4u;
    if (m_localize && arrivalUplink < m_lastOamArrival.size())
    {
        m_lastOamArrival[arrivalUplink] = Simulator::Now();
    }
    if (key.dport == BfdHeader::ECHO_PORT)
    {
        if (key.dst != m_vtep->GetLocalAddress().Get())
        {
            // Another VTEP's echo: loop the inner packet back unchanged on our own choice of
            // uplink (seed paragraph 0050, Fig. 6), after reading its timestamp.
            UplinkEchoHeader remote;
            if (n >= l4 + 8 && UplinkEchoHeader::ParseFrom(b + l4 + 8, n - l4 - 8, remote) > 0 &&
                (remote.GetUplink() & 0xff) < MAX_PEER_UPLINKS)
            {
                const uint32_t peerUplink = remote.GetUplink() & 0xff;
                Tunnel& t = m_tunnels[tunnel];
                if (m_localize)
                {
                    // Any stream of a peer's uplink shows that uplink alive (the low byte).
                    t.remoteEchoSeen[peerUplink] = Simulator::Now();
                    t.remoteEchoArrival[peerUplink] = arrivalUplink;
                }
                if ((remote.GetUplink() >> 8) == 0)
                {
                    ForwardDelayArrived(tunnel, peerUplink, remote.GetSentAt());
                }
            }
            ProbeTag probe;
            if (frame->RemovePacketTag(probe))
            {
                probe.SetReply();
                frame->AddPacketTag(probe);
            }
            m_vtep->SendOam(frame,
                            tunnel,
                            UplinkSelector::NO_UPLINK,
                            FlowEntropy(key),
                            Vtep::OAM_LOOPBACK);
            return;
        }
        UplinkEchoHeader echo;
        if (n < l4 + 8 || UplinkEchoHeader::ParseFrom(b + l4 + 8, n - l4 - 8, echo) == 0)
        {
            return;
        }
        const uint32_t uplink = echo.GetUplink() & 0xff;
        const uint32_t path = echo.GetUplink() >> 8;
        if (uplink >= m_tunnels[tunnel].echo.size() ||
            path >= m_tunnels[tunnel].echo[uplink].size())
        {
            return;
        }
        EchoReply(tunnel, uplink, path, arrivalUplink, echo.GetSeq(), echo.GetSentAt());
        return;
    }
    if (key.dst != m_vtep->GetLocalAddress().Get())
    {
        return;
    }
    if (m_mode == ASYNC && key.dport == BfdHeader::UDP_PORT)
    {
        frame->RemoveAtStart(l4 + 8);
        m_tunnels[tunnel].session->Receive(frame);
    }
    else if (m_mode == SEAMLESS && key.dport == BfdHeader::SBFD_PORT)
    {
        frame->RemoveAtStart(l4 + 8);
        m_reflectingTunnel = tunnel; // the reflector answers within Receive()
        m_reflectingPort = key.sport;
        m_reflector->Receive(frame);
    }
    else if (m_mode == SEAMLESS && key.sport == BfdHeader::SBFD_PORT)
    {
        frame->RemoveAtStart(l4 + 8);
        m_tunnels[tunnel].session->Receive(frame);
    }
}

void
UplinkMonitor::ForwardDelayArrived(uint32_t tunnel, uint32_t peerUplink, Time sentAt)
{
    const Time delay = LocalClock(Simulator::Now()) - sentAt;
    ForwardDelay& d = m_tunnels[tunnel].forwardDelay[peerUplink];
    d.smoothed = d.measured ? d.smoothed + (delay - d.smoothed) / 8 : delay;
    d.measured = true;
    d.samples++;
    d.last = delay;
    d.min = std::min(d.min, delay);
    d.max = std::max(d.max, delay);
    m_forwardDelay(tunnel, peerUplink, delay);
}

void
UplinkMonitor::Mature(Echo& e)
{
    // An echo joins the loss window once its detection time has passed.
    Time horizon = Simulator::Now() - GetDetectionTime();
    while (e.matured < e.nextSeq && e.sentAt[e.matured % m_ring] <= horizon)
    {
        bool lost = !e.replied[e.matured % m_ring];
        uint32_t slot = e.matured % LOSS_WINDOW;
        if (e.windowCount == LOSS_WINDOW)
        {
            e.windowLost -= e.window[slot] ? 1 : 0;
        }
        else
        {
            e.windowCount++;
        }
        e.window[slot] = lost;
        e.windowLost += lost ? 1 : 0;
        e.matured++;
    }
    if (e.windowCount > 0)
    {
        e.m.loss = static_cast<double>(e.windowLost) / e.windowCount;
    }
}

void
UplinkMonitor::EchoReply(uint32_t tunnel,
                         uint32_t uplink,
                         uint32_t path,
                         uint32_t arrivalUplink,
                         uint64_t seq,
                         Time sentAt)
{
    Echo& e = m_tunnels[tunnel].echo[uplink][path];
    if (seq >= e.nextSeq || seq + m_ring <= e.nextSeq || e.replied[seq % m_ring])
    {
        return; // not an echo we remember sending, or a duplicate
    }
    if (seq >= e.matured)
    {
        e.replied[seq % m_ring] = true; // late replies (already matured) stay counted as lost
    }
    // Both readings are this host's clock: its offset cancels, its drift scales the RTT.
    const Time now = Simulator::Now();
    Time rtt = LocalClock(now) - sentAt;
    UplinkMetrics& m = e.m;
    m.replies++;
    m.repliesViaOther += arrivalUplink != uplink ? 1 : 0;
    if (m.measured)
    {
        Time deviation = rtt > m.rttLast ? rtt - m.rttLast : m.rttLast - rtt;
        m.jitter += (deviation - m.jitter) / 16;
        m.rttSmoothed += (rtt - m.rttSmoothed) / 8;
    }
    else
    {
        m.rttSmoothed = rtt;
        m.measured = true;
    }
    m.rttLast = rtt;
    e.lastReplyAt = now;
    e.lastReplyArrival = arrivalUplink;
    m.rttMin = std::min(m.rttMin, rtt);
    m.rttMax = std::max(m.rttMax, rtt);
    if (path == 0)
    {
        // The uplink's metrics are its seed stream's: the others only tell paths alive or dead.
        m_echoReply(tunnel, uplink, rtt);
        Ptr<UplinkSelector> selector = m_vtep->GetUplinkSelector();
        selector->SetRtt(tunnel, uplink, m.rttSmoothed);
        selector->SetLoss(tunnel, uplink, m.loss);
    }

    int64_t s = static_cast<int64_t>(seq);
    e.streak = (s == e.lastReplySeq + 1) ? e.streak + 1 : 1;
    e.lastReplySeq = std::max(e.lastReplySeq, s);
    if (m.up)
    {
        e.detectEvent.Cancel();
        e.detectEvent = Simulator::Schedule(GetDetectionTime(),
                                            &UplinkMonitor::DetectionExpired,
                                            this,
                                            tunnel,
                                            uplink,
                                            path);
    }
    else if (e.streak >= m_upAfter)
    {
        SetStatus(tunnel, uplink, path, true);
        e.detectEvent = Simulator::Schedule(GetDetectionTime(),
                                            &UplinkMonitor::DetectionExpired,
                                            this,
                                            tunnel,
                                            uplink,
                                            path);
    }
    if (path == 0)
    {
        UpdateDegraded(tunnel, uplink);
    }
}

void
UplinkMonitor::DetectionExpired(uint32_t tunnel, uint32_t uplink, uint32_t path)
{
    Echo& e = m_tunnels[tunnel].echo[uplink][path];
    e.streak = 0;
    if (m_localize)
    {
        Locus locus = Localize(tunnel, uplink, path);
        m_localized(tunnel, uplink, locus);
        if (locus == REMOTE_HOST)
        {
            // Not this uplink's fault: look again one echo interval later (replies reschedule
            // detection as usual if they come back first).
            e.detectEvent = Simulator::Schedule(GetEchoInterval(),
                                                &UplinkMonitor::DetectionExpired,
                                                this,
                                                tunnel,
                                                uplink,
                                                path);
            return;
        }
    }
    SetStatus(tunnel, uplink, path, false);
}

UplinkMonitor::Locus
UplinkMonitor::Localize(uint32_t tunnel, uint32_t uplink, uint32_t path) const
{
    const Tunnel& t = m_tunnels[tunnel];
    const Echo& e = t.echo[uplink][path];
    // The peer sends its own echoes to us on each of its uplinks: one that has been silent for
    // all but one echo interval of the detection time has lost that uplink, and our replies,
    // which it loops back on its own choice of uplink, die with it -- if it fell silent when our
    // replies stopped (an uplink the peer lost long ago, and has left since, explains nothing).
    // Unless the silence is our own: the stream arrived on one of our uplinks, which must have
    // received something since its last echo -- or not be where our replies came in, so that its
    // loss would not explain theirs.
    const Time silence = GetEchoInterval() * static_cast<int64_t>(m_detectMult - 1);
    const Time now = Simulator::Now();
    for (uint32_t k = 0; k < t.remoteEchoSeen.size(); ++k)
    {
        const std::optional<Time>& seen = t.remoteEchoSeen[k];
        if (seen && now - *seen > silence && *seen + GetEchoInterval() >= e.lastReplyAt)
        {
            const uint32_t arrival = t.remoteEchoArrival[k];
            const std::optional<Time>& heard = m_lastOamArrival[arrival];
            if ((heard && *heard > *seen) || arrival != e.lastReplyArrival)
            {
                return REMOTE_HOST;
            }
        }
    }
    // The same uplink still answers towards another peer: a path behind it is broken, not it.
    for (uint32_t other = 0; other < m_tunnels.size(); ++other)
    {
        if (other != tunnel && m_tunnels[other].echo[uplink][0].m.up &&
            m_tunnels[other].echo[uplink][0].m.measured)
        {
            return FABRIC_PATH;
        }
    }
    return LOCAL_UPLINK;
}

void
UplinkMonitor::SetStatus(uint32_t tunnel, uint32_t uplink, uint32_t path, bool up)
{
    UplinkMetrics& m = m_tunnels[tunnel].echo[uplink][path].m;
    if (m.up == up)
    {
        return;
    }
    m.up = up;
    if (!up)
    {
        m.downEvents++;
    }
    NS_LOG_INFO(Simulator::Now().As(Time::MS)
                << " " << m_vtep->GetLocalAddress() << " tunnel to "
                << m_vtep->GetTunnelRemote(tunnel) << " uplink " << uplink << " path " << path
                << (up ? " UP" : " DOWN"));
    if (path == 0)
    {
        m_statusChanged(tunnel, uplink, up);
    }
    else
    {
        m_pathStatusChanged(tunnel, uplink, path, up);
    }
    m_vtep->GetUplinkSelector()->SetPathHealth(tunnel, uplink, path, up);
}

void
UplinkMonitor::UpdateDegraded(uint32_t tunnel, uint32_t uplink)
{
    UplinkMetrics& m = m_tunnels[tunnel].echo[uplink][0].m;
    bool degraded = (m_rttThreshold.IsStrictlyPositive() && m.rttSmoothed > m_rttThreshold) ||
                    m.loss > m_lossThreshold;
    if (degraded != m.degraded)
    {
        m.degraded = degraded;
        m_degradedChanged(tunnel, uplink, degraded);
        m_vtep->GetUplinkSelector()->SetDegraded(tunnel, uplink, degraded);
    }
}

} // namespace ns3
