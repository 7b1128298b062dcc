#include "bfd-session.h"

#include "ns3/abort.h"
#include "ns3/boolean.h"
#include "ns3/enum.h"
#include "ns3/log.h"
#include "ns3/packet.h"
#include "ns3/random-variable-stream.h"
#include "ns3/simulator.h"
#include "ns3/uinteger.h"

#include <algorithm>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("BfdSession");

NS_OBJECT_ENSURE_REGISTERED(BfdSession);

namespace
{

/// \return the largest interval the 32-bit microsecond fields can carry
Time
MaxInterval()
{
    return MicroSeconds(static_cast<int64_t>(BfdHeader::MAX_INTERVAL_US));
}

/**
 * \param t a time
 * \return \p t rounded down to a whole microsecond, as it goes on the wire
 */
Time
WholeMicroseconds(Time t)
{
    return MicroSeconds(t.GetMicroSeconds());
}

} // namespace

Time
BfdSession::SlowStartInterval()
{
    return Seconds(1);
}

TypeId
BfdSession::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::BfdSession")
            .SetParent<Object>()
            .SetGroupName("OverlayFabric")
            .AddConstructor<BfdSession>()
            .AddAttribute("Role",
                          "RFC 5880 active session, or RFC 7880 S-BFD initiator or reflector.",
                          EnumValue(BfdSession::ACTIVE),
                          MakeEnumAccessor(&BfdSession::m_role),
                          MakeEnumChecker(BfdSession::ACTIVE,
                                          "Active",
                                          BfdSession::SBFD_INITIATOR,
                                          "SbfdInitiator",
                                          BfdSession::SBFD_REFLECTOR,
                                          "SbfdReflector"))
            .AddAttribute("DesiredMinTxInterval",
                          "bfd.DesiredMinTxInterval once Up (at least 1 s is sent while not Up, "
                          "RFC 5880 6.8.3); whole microseconds.",
                          TimeValue(MilliSeconds(300)),
                          MakeTimeAccessor(&BfdSession::m_desiredMinTx),
                          MakeTimeChecker(MicroSeconds(1), MaxInterval()))
            .AddAttribute("RequiredMinRxInterval",
                          "bfd.RequiredMinRxInterval: fastest rate at which this end accepts "
                          "control packets (0: the remote must send no periodic packets); "
                          "for a reflector, the value put in its replies.",
                          TimeValue(MilliSeconds(300)),
                          MakeTimeAccessor(&BfdSession::m_requiredMinRx),
                          MakeTimeChecker(Time(0), MaxInterval()))
            .AddAttribute("RequiredMinEchoRxInterval",
                          "Required Min Echo RX Interval advertised (0: this end does not loop "
                          "echo packets back).",
                          TimeValue(Time(0)),
                          MakeTimeAccessor(&BfdSession::m_requiredMinEchoRx),
                          MakeTimeChecker(Time(0), MaxInterval()))
            .AddAttribute("DetectMult",
                          "bfd.DetectMult: packets the remote may miss before it declares Down.",
                          UintegerValue(3),
                          MakeUintegerAccessor(&BfdSession::m_detectMult),
                          MakeUintegerChecker<uint8_t>(1, 255))
            .AddAttribute("Jitter",
                          "Reduce each transmit interval by a random 0-25% (10-25% when "
                          "DetectMult is 1), RFC 5880 6.8.7; false: exact intervals (90% when "
                          "DetectMult is 1).",
                          BooleanValue(true),
                          MakeBooleanAccessor(&BfdSession::m_jitter),
                          MakeBooleanChecker())
            .AddAttribute("LocalDiscriminator",
                          "bfd.LocalDiscr, nonzero and unique per system; for a reflector, "
                          "its well-known S-BFD discriminator.",
                          UintegerValue(1),
                          MakeUintegerAccessor(&BfdSession::m_localDiscriminator),
                          MakeUintegerChecker<uint32_t>(1))
            .AddAttribute("ReflectorDiscriminator",
                          "S-BFD initiator only: the reflector's well-known discriminator, sent "
                          "as Your Discriminator.",
                          UintegerValue(0),
                          MakeUintegerAccessor(&BfdSession::m_reflectorDiscriminator),
                          MakeUintegerChecker<uint32_t>())
            .AddTraceSource("StateChanged",
                            "The session state changed (old state, new state, diag).",
                            MakeTraceSourceAccessor(&BfdSession::m_stateChangedTrace),
                            "ns3::BfdSession::StateChangedTracedCallback")
            .AddTraceSource("Tx",
                            "A control packet handed to the transport.",
                            MakeTraceSourceAccessor(&BfdSession::m_txTrace),
                            "ns3::BfdSession::PacketTracedCallback")
            .AddTraceSource("Rx",
                            "A received control packet that passed every check.",
                            MakeTraceSourceAccessor(&BfdSession::m_rxTrace),
                            "ns3::BfdSession::PacketTracedCallback")
            .AddTraceSource("Drop",
                            "A received packet refused, with the reason.",
                            MakeTraceSourceAccessor(&BfdSession::m_dropTrace),
                            "ns3::BfdSession::DropTracedCallback");
    return tid;
}

BfdSession::BfdSession()
    : m_remoteMinRx(MicroSeconds(1)),
      m_jitterRng(CreateObject<UniformRandomVariable>())
{
    NS_LOG_FUNCTION(this);
}

BfdSession::~BfdSession()
{
    NS_LOG_FUNCTION(this);
}

void
BfdSession::DoDispose()
{
    NS_LOG_FUNCTION(this);
    m_txEvent.Cancel();
    m_detectEvent.Cancel();
    m_started = false;
    m_send = MakeNullCallback<void, Ptr<Packet>>();
    m_jitterRng = nullptr;
    Object::DoDispose();
}

std::string
BfdSession::StateToString(State state)
{
    return BfdHeader::StateToString(static_cast<BfdHeader::State>(state));
}

void
BfdSession::SetSendCallback(SendCallback send)
{
    m_send = send;
}

int64_t
BfdSession::AssignStreams(int64_t stream)
{
    m_jitterRng->SetStream(stream);
    return 1;
}

// ---------------------------------------------------------------------------------------------
// Administrative control
// ---------------------------------------------------------------------------------------------

void
BfdSession::Start()
{
    NS_LOG_FUNCTION(this);
    NS_ABORT_MSG_IF(m_send.IsNull(), "BfdSession::Start: no send callback set");
    NS_ABORT_MSG_IF(m_role == SBFD_INITIATOR && m_reflectorDiscriminator == 0,
                    "BfdSession::Start: S-BFD initiator without ReflectorDiscriminator");
    if (m_role == SBFD_REFLECTOR)
    {
        m_started = true;
        if (m_state != UP)
        {
            SetState(UP, BfdHeader::NO_DIAGNOSTIC);
        }
        return;
    }
    if (m_started && m_state != ADMIN_DOWN)
    {
        return;
    }
    if (m_state == ADMIN_DOWN)
    {
        SetState(DOWN, BfdHeader::NO_DIAGNOSTIC);
    }
    if (!m_started)
    {
        m_started = true;
        InitLocalTimers();
        ScheduleNextTx();
        return;
    }
    // Leaving AdminDown on a running session: both states are "not Up", so the timers stay.
    UpdateLocalTimers();
    SendControl(false);
    ScheduleNextTx();
}

void
BfdSession::AdminDown()
{
    NS_LOG_FUNCTION(this);
    if (m_state == ADMIN_DOWN)
    {
        return;
    }
    m_detectEvent.Cancel();
    SetState(ADMIN_DOWN, BfdHeader::ADMINISTRATIVELY_DOWN);
    if (!m_started || m_role == SBFD_REFLECTOR)
    {
        return;
    }
    UpdateLocalTimers();
    SendControl(false);
    ScheduleNextTx();
}

void
BfdSession::SetTimers(Time desiredMinTx, Time requiredMinRx)
{
    NS_LOG_FUNCTION(this << desiredMinTx << requiredMinRx);
    NS_ABORT_MSG_IF(desiredMinTx < MicroSeconds(1) || desiredMinTx > MaxInterval(),
                    "BfdSession::SetTimers: DesiredMinTxInterval " << desiredMinTx.As(Time::US)
                                                                   << " out of range");
    NS_ABORT_MSG_IF(requiredMinRx.IsStrictlyNegative() || requiredMinRx > MaxInterval(),
                    "BfdSession::SetTimers: RequiredMinRxInterval " << requiredMinRx.As(Time::US)
                                                                    << " out of range");
    m_desiredMinTx = desiredMinTx;
    m_requiredMinRx = requiredMinRx;
    if (m_started && m_role != SBFD_REFLECTOR)
    {
        UpdateLocalTimers();
    }
}

void
BfdSession::SetState(State state, BfdHeader::Diag diag)
{
    State old = m_state;
    m_state = state;
    m_localDiag = diag;
    NS_LOG_INFO("discr " << m_localDiscriminator << " " << StateToString(old) << " -> "
                         << StateToString(state) << " diag " << static_cast<uint32_t>(diag));
    m_stateChangedTrace(old, state, diag);
}

// ---------------------------------------------------------------------------------------------
// Reception (RFC 5880 6.8.6, RFC 7880)
// ---------------------------------------------------------------------------------------------

void
BfdSession::Receive(Ptr<const Packet> packet)
{
    NS_LOG_FUNCTION(this << packet);
    if (!m_started)
    {
        m_dropTrace(packet, DROP_NOT_STARTED);
        return;
    }
    // The Length field is 8 bits: 255 bytes are enough to check it against the payload size.
    uint8_t bytes[BfdHeader::MAX_PARSE_LENGTH];
    uint32_t count = packet->CopyData(bytes, BfdHeader::MAX_PARSE_LENGTH);
    BfdHeader header;
    std::string error;
    if (BfdHeader::ParseFrom(bytes, count, header, &error) == 0)
    {
        m_dropTrace(packet, error);
        return;
    }
    switch (m_role)
    {
    case ACTIVE:
        ReceiveActive(packet, header);
        break;
    case SBFD_INITIATOR:
        ReceiveInitiator(packet, header);
        break;
    case SBFD_REFLECTOR:
        ReceiveReflector(packet, header);
        break;
    }
}

void
BfdSession::RecordRemote(const BfdHeader& header)
{
    m_remoteDiscriminator = header.GetMyDiscriminator();
    m_remoteState = static_cast<State>(header.GetState());
    m_remoteMinRx = header.GetRequiredMinRxInterval();
    m_remoteDesiredMinTx = header.GetDesiredMinTxInterval();
    m_remoteMinEchoRx = header.GetRequiredMinEchoRxInterval();
    m_remoteDetectMult = header.GetDetectMult();
}

void
BfdSession::ReceiveActive(Ptr<const Packet> packet, const BfdHeader& header)
{
    uint32_t your = header.GetYourDiscriminator();
    if (your != 0 && your != m_localDiscriminator)
    {
        m_dropTrace(packet, DROP_DISCRIMINATOR_MISMATCH);
        return;
    }
    State received = static_cast<State>(header.GetState());
    if (your == 0 && received != DOWN && received != ADMIN_DOWN)
    {
        m_dropTrace(packet, DROP_ZERO_DISCRIMINATOR);
        return;
    }

    // 6.8.6: record the remote's fields, end a Poll Sequence on F, then (and only then)
    // discard if AdminDown.
    RecordRemote(header);
    if (m_pollActive && header.GetFinal())
    {
        TerminatePoll();
    }
    if (m_state == ADMIN_DOWN)
    {
        m_dropTrace(packet, DROP_ADMIN_DOWN);
        return;
    }
    m_rxTrace(packet);

    State old = m_state;
    if (received == ADMIN_DOWN)
    {
        if (m_state != DOWN)
        {
            SetState(DOWN, BfdHeader::NEIGHBOR_SIGNALED_DOWN);
        }
    }
    else if (m_state == DOWN)
    {
        if (received == DOWN)
        {
            SetState(INIT, BfdHeader::NO_DIAGNOSTIC);
        }
        else if (received == INIT)
        {
            SetState(UP, BfdHeader::NO_DIAGNOSTIC);
        }
    }
    else if (m_state == INIT)
    {
        if (received == INIT || received == UP)
        {
            SetState(UP, BfdHeader::NO_DIAGNOSTIC);
        }
    }
    else if (received == DOWN) // Up
    {
        SetState(DOWN, BfdHeader::NEIGHBOR_SIGNALED_DOWN);
    }
    bool changed = m_state != old;
    if (changed)
    {
        UpdateLocalTimers();
    }
    TxIntervalChanged();
    RestartDetectionTimer();

    if (header.GetPoll())
    {
        // 6.8.7: answer at once, P clear, F set; this packet also carries any new state.
        SendControl(true);
        if (changed)
        {
            ScheduleNextTx();
        }
    }
    else if (changed)
    {
        SendControl(false);
        ScheduleNextTx();
    }
}

void
BfdSession::ReceiveInitiator(Ptr<const Packet> packet, const BfdHeader& header)
{
    if (header.GetYourDiscriminator() != m_localDiscriminator)
    {
        m_dropTrace(packet, DROP_DISCRIMINATOR_MISMATCH);
        return;
    }
    RecordRemote(header);
    if (m_state == ADMIN_DOWN)
    {
        m_dropTrace(packet, DROP_ADMIN_DOWN);
        return;
    }
    m_rxTrace(packet);

    State old = m_state;
    State received = static_cast<State>(header.GetState());
    if (received == UP)
    {
        if (m_state == DOWN)
        {
            SetState(UP, BfdHeader::NO_DIAGNOSTIC);
        }
    }
    else if (m_state == UP)
    {
        // The reflector is out of service (AdminDown) or answered with a state it never
        // should: either way the path is not usable.
        SetState(DOWN, BfdHeader::NEIGHBOR_SIGNALED_DOWN);
    }
    bool changed = m_state != old;
    if (changed)
    {
        UpdateLocalTimers();
    }
    TxIntervalChanged();
    RestartDetectionTimer();
    if (changed)
    {
        SendControl(false);
        ScheduleNextTx();
    }
}

void
BfdSession::ReceiveReflector(Ptr<const Packet> packet, const BfdHeader& header)
{
    if (header.GetYourDiscriminator() != m_localDiscriminator)
    {
        m_dropTrace(packet, DROP_DISCRIMINATOR_MISMATCH);
        return;
    }
    m_rxTrace(packet);

    bool inService = m_state != ADMIN_DOWN;
    BfdHeader reply;
    reply.SetState(inService ? BfdHeader::UP : BfdHeader::ADMIN_DOWN);
    reply.SetDiag(inService ? BfdHeader::NO_DIAGNOSTIC : BfdHeader::ADMINISTRATIVELY_DOWN);
    reply.SetFinal(header.GetPoll());
    reply.SetDetectMult(header.GetDetectMult());
    reply.SetMyDiscriminator(header.GetYourDiscriminator());
    reply.SetYourDiscriminator(header.GetMyDiscriminator());
    reply.SetDesiredMinTxInterval(header.GetDesiredMinTxInterval());
    reply.SetRequiredMinRxInterval(WholeMicroseconds(m_requiredMinRx));
    reply.SetRequiredMinEchoRxInterval(Time(0));
    Ptr<Packet> p = Create<Packet>();
    p->AddHeader(reply);
    Transmit(p);
}

// ---------------------------------------------------------------------------------------------
// Timer negotiation (RFC 5880 6.8.2 - 6.8.4, 6.5)
// ---------------------------------------------------------------------------------------------

void
BfdSession::InitLocalTimers()
{
    Time desired = std::max(WholeMicroseconds(m_desiredMinTx), SlowStartInterval());
    Time required = WholeMicroseconds(m_requiredMinRx);
    m_advDesiredMinTx = desired;
    m_advRequiredMinRx = required;
    m_useDesiredMinTx = desired;
    m_useRequiredMinRx = required;
    m_pollActive = false;
}

void
BfdSession::UpdateLocalTimers()
{
    Time configured = WholeMicroseconds(m_desiredMinTx);
    Time desired = (m_state == UP) ? configured : std::max(configured, SlowStartInterval());
    Time required = WholeMicroseconds(m_requiredMinRx);
    if (desired == m_advDesiredMinTx && required == m_advRequiredMinRx)
    {
        return;
    }
    NS_LOG_LOGIC("discr " << m_localDiscriminator << " DesiredMinTx "
                          << m_advDesiredMinTx.As(Time::MS) << " -> " << desired.As(Time::MS)
                          << ", RequiredMinRx " << m_advRequiredMinRx.As(Time::MS) << " -> "
                          << required.As(Time::MS));
    m_advDesiredMinTx = desired;
    m_advRequiredMinRx = required;
    if (m_role == SBFD_INITIATOR)
    {
        // No remote detection timer to protect: apply at once, no Poll Sequence.
        m_useDesiredMinTx = desired;
        m_useRequiredMinRx = required;
    }
    else
    {
        ApplyTimerChange(desired, required);
        if (!m_pollActive)
        {
            StartPoll();
        }
        // else: 6.5 allows one Poll Sequence at a time; TerminatePoll() polls the new values.
    }
    TxIntervalChanged();
}

void
BfdSession::ApplyTimerChange(Time desired, Time required)
{
    bool up = m_state == UP;
    // 6.8.3: an increase of DesiredMinTxInterval while Up must not change the transmit
    // interval before the Poll Sequence ends (the remote's Detection Time must grow first).
    if (!up || desired <= m_useDesiredMinTx)
    {
        m_useDesiredMinTx = desired;
    }
    // 6.8.3: a decrease of RequiredMinRxInterval while Up keeps the previous value in the
    // Detection Time until the Poll Sequence ends (the remote still sends at the old rate).
    if (!up || required >= m_useRequiredMinRx)
    {
        m_useRequiredMinRx = required;
    }
}

void
BfdSession::StartPoll()
{
    NS_LOG_LOGIC("discr " << m_localDiscriminator << " Poll Sequence starts");
    m_pollActive = true;
    m_pollDesiredMinTx = m_advDesiredMinTx;
    m_pollRequiredMinRx = m_advRequiredMinRx;
}

void
BfdSession::TerminatePoll()
{
    NS_LOG_LOGIC("discr " << m_localDiscriminator << " Poll Sequence terminated by Final");
    m_pollActive = false;
    m_useDesiredMinTx = m_pollDesiredMinTx;
    m_useRequiredMinRx = m_pollRequiredMinRx;
    if (m_advDesiredMinTx != m_pollDesiredMinTx || m_advRequiredMinRx != m_pollRequiredMinRx)
    {
        // Values changed during the Poll Sequence: they get their own.
        ApplyTimerChange(m_advDesiredMinTx, m_advRequiredMinRx);
        StartPoll();
    }
    TxIntervalChanged();
}

Time
BfdSession::GetTxInterval() const
{
    if (m_role == SBFD_REFLECTOR || m_remoteMinRx.IsZero())
    {
        return Time(0);
    }
    return std::max(m_useDesiredMinTx, m_remoteMinRx);
}

Time
BfdSession::GetDetectionTime() const
{
    if (m_remoteDetectMult == 0)
    {
        return Time(0);
    }
    if (m_role == SBFD_INITIATOR)
    {
        return GetTxInterval() * static_cast<int64_t>(m_detectMult);
    }
    if (m_role == SBFD_REFLECTOR)
    {
        return Time(0);
    }
    return std::max(m_useRequiredMinRx, m_remoteDesiredMinTx) *
           static_cast<int64_t>(m_remoteDetectMult);
}

void
BfdSession::TxIntervalChanged()
{
    if (!m_started || m_role == SBFD_REFLECTOR)
    {
        return;
    }
    Time interval = GetTxInterval();
    if (interval.IsZero())
    {
        m_txEvent.Cancel(); // 6.8.7: no periodic packets while the remote asks for none
        return;
    }
    if (!m_txEvent.IsRunning() || Simulator::GetDelayLeft(m_txEvent) > interval)
    {
        ScheduleNextTx();
    }
}

// ---------------------------------------------------------------------------------------------
// Transmission (RFC 5880 6.8.7)
// ---------------------------------------------------------------------------------------------

Time
BfdSession::Jittered(Time interval)
{
    double high = (m_detectMult == 1) ? 0.90 : 1.0;
    double factor = m_jitter ? m_jitterRng->GetValue(0.75, high) : high;
    return NanoSeconds(static_cast<int64_t>(interval.GetNanoSeconds() * factor));
}

void
BfdSession::ScheduleNextTx()
{
    m_txEvent.Cancel();
    if (!m_started || m_role == SBFD_REFLECTOR)
    {
        return;
    }
    Time interval = GetTxInterval();
    if (interval.IsZero())
    {
        return;
    }
    m_txEvent = Simulator::Schedule(Jittered(interval), &BfdSession::PeriodicTransmit, this);
}

void
BfdSession::PeriodicTransmit()
{
    SendControl(false);
    ScheduleNextTx();
}

void
BfdSession::SendControl(bool final)
{
    BfdHeader header;
    header.SetDiag(m_localDiag);
    header.SetState(static_cast<BfdHeader::State>(m_state));
    header.SetPoll(m_pollActive && !final); // 6.8.7: never P and F together
    header.SetFinal(final);
    header.SetDetectMult(m_detectMult);
    header.SetMyDiscriminator(m_localDiscriminator);
    header.SetYourDiscriminator(m_role == SBFD_INITIATOR ? m_reflectorDiscriminator
                                                         : m_remoteDiscriminator);
    header.SetDesiredMinTxInterval(m_advDesiredMinTx);
    header.SetRequiredMinRxInterval(m_advRequiredMinRx);
    header.SetRequiredMinEchoRxInterval(WholeMicroseconds(m_requiredMinEchoRx));
    Ptr<Packet> packet = Create<Packet>();
    packet->AddHeader(header);
    Transmit(packet);
}

void
BfdSession::Transmit(Ptr<Packet> packet)
{
    NS_LOG_LOGIC("discr " << m_localDiscriminator << " tx " << *packet);
    m_txTrace(packet);
    m_send(packet);
}

// ---------------------------------------------------------------------------------------------
// Detection (RFC 5880 6.8.4)
// ---------------------------------------------------------------------------------------------

void
BfdSession::RestartDetectionTimer()
{
    m_detectEvent.Cancel();
    Time detection = GetDetectionTime();
    if (detection.IsStrictlyPositive())
    {
        m_detectEvent = Simulator::Schedule(detection, &BfdSession::DetectionTimerExpired, this);
    }
}

void
BfdSession::DetectionTimerExpired()
{
    NS_LOG_FUNCTION(this);
    // 6.8.1: bfd.RemoteDiscr is forgotten after a Detection Time without packets.
    m_remoteDiscriminator = 0;
    m_remoteState = DOWN;
    if (m_state == INIT || m_state == UP)
    {
        SetState(DOWN, BfdHeader::CONTROL_DETECTION_TIME_EXPIRED);
        UpdateLocalTimers();
        SendControl(false);
        ScheduleNextTx();
    }
}

// ---------------------------------------------------------------------------------------------
// Accessors
// ---------------------------------------------------------------------------------------------

BfdSession::State
BfdSession::GetState() const
{
    return m_state;
}

BfdHeader::Diag
BfdSession::GetLocalDiag() const
{
    return m_localDiag;
}

BfdSession::Role
BfdSession::GetRole() const
{
    return m_role;
}

uint32_t
BfdSession::GetLocalDiscriminator() const
{
    return m_localDiscriminator;
}

uint32_t
BfdSession::GetRemoteDiscriminator() const
{
    return m_remoteDiscriminator;
}

BfdSession::State
BfdSession::GetRemoteState() const
{
    return m_remoteState;
}

Time
BfdSession::GetAdvertisedDesiredMinTxInterval() const
{
    return m_advDesiredMinTx;
}

bool
BfdSession::IsPollActive() const
{
    return m_pollActive;
}

bool
BfdSession::IsEchoActive() const
{
    return m_role == ACTIVE && m_state == UP && m_requiredMinEchoRx.IsStrictlyPositive() &&
           m_remoteMinEchoRx.IsStrictlyPositive();
}

Time
BfdSession::GetEchoInterval() const
{
    if (!IsEchoActive())
    {
        return Time(0);
    }
    return std::max(WholeMicroseconds(m_desiredMinTx), m_remoteMinEchoRx);
}

} // namespace ns3
