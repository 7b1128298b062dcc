#ifndef OVERLAY_FABRIC_BFD_SESSION_H
#define OVERLAY_FABRIC_BFD_SESSION_H

#include "bfd-header.h"

#include "ns3/callback.h"
#include "ns3/event-id.h"
#include "ns3/nstime.h"
#include "ns3/object.h"
#include "ns3/ptr.h"
#include "ns3/traced-callback.h"

#include <cstdint>
#include <string>

namespace ns3
{

class Packet;
class UniformRandomVariable;

/**
 * \ingroup overlay-fabric
 * \brief One BFD session (RFC 5880, asynchronous mode) or one end of a seamless BFD
 * path check (RFC 7880), independent of the transport.
 *
 * The session hands each control packet, as a Packet holding only the 24-byte BfdHeader, to
 * the SendCallback; the transport (the VTEP) adds UDP/IPv4, GENEVE and the outer headers, and
 * passes received BFD payloads (the UDP payload) to Receive().
 *
 * <b>Roles</b> ("Role" attribute):
 * - ACTIVE: RFC 5880 asynchronous mode, Active role (section 6.1), state machine of section
 *   6.2 / 6.8.6.
 * - SBFD_INITIATOR: RFC 7880. Sends control packets with Your Discriminator set to the
 *   reflector's well-known discriminator ("ReflectorDiscriminator"); goes Up on the first
 *   valid reply whose State is Up, Down (diag 1) when no reply arrives for DetectMult x the
 *   transmit interval, Down (diag 3) on a reply with State AdminDown. Only the states Down, Up
 *   and AdminDown are used. While not Up it sends at the 1 s slow-start interval, as ACTIVE
 *   does. No Poll Sequence: the reflector keeps no detection timer, so interval changes apply
 *   at once. The D bit is not set (see Simplifications).
 * - SBFD_REFLECTOR: answers each packet whose Your Discriminator equals "LocalDiscriminator"
 *   at once, keeping no per-initiator state: My and Your Discriminator swapped, State Up (or
 *   AdminDown, diag 7, after AdminDown()), F = the received P, P 0, Detect Mult and Desired Min
 *   TX Interval copied, Required Min RX Interval = "RequiredMinRxInterval", Required Min Echo
 *   RX Interval 0. GetState() is Up once started, AdminDown after AdminDown().
 *
 * <b>Timers</b> (ACTIVE):
 * - bfd.DesiredMinTxInterval (advertised) is "DesiredMinTxInterval" while Up and at least 1 s
 *   otherwise (6.8.3 slow start); bfd.RequiredMinRxInterval is "RequiredMinRxInterval".
 * - Transmit interval (6.8.2) = max(DesiredMinTxInterval in use, remote Required Min RX
 *   Interval); bfd.RemoteMinRxInterval starts at 1 us (6.8.1). No periodic packets while the
 *   remote asks for 0 (6.8.7); GetTxInterval() then returns 0.
 * - Each interval is jittered (6.8.7): multiplied by a uniform factor in [0.75, 1.0), or in
 *   [0.75, 0.90) when DetectMult is 1. With "Jitter" false the factor is 1.0 (0.90 when
 *   DetectMult is 1, which the RFC's upper bound requires), for deterministic analysis.
 * - Detection Time (6.8.4) = remote Detect Mult x max(RequiredMinRxInterval in use, remote
 *   Desired Min TX Interval). The detection timer is restarted on every accepted packet; on
 *   expiry the remote discriminator is forgotten (6.8.1) and, in Init or Up, the session goes
 *   Down with diag 1 (Control Detection Time Expired).
 * - Poll Sequence (6.5, 6.8.3): whenever bfd.DesiredMinTxInterval or bfd.RequiredMinRxInterval
 *   changes (on entering Up, and on leaving it), P is set on every packet sent until one with F
 *   arrives; only one Poll Sequence runs at a time, and a change made meanwhile is polled
 *   after it. While Up, an increase of DesiredMinTxInterval does not change the transmit
 *   interval, and a decrease of RequiredMinRxInterval does not change the Detection Time,
 *   until the Final arrives; the opposite (safe) directions, and any change while not Up,
 *   apply at once. A packet with P set is answered at once with a packet with F set and P
 *   clear (6.8.7), in every state except AdminDown (whose packets are discarded).
 * - Packets sent outside the periodic schedule (6.8.7 "SHOULD be transmitted ... when the
 *   contents would differ"): on every state change one packet is sent at once and the periodic
 *   timer restarts from it. Start() sends nothing at once: the first packet leaves after one
 *   jittered slow-start interval, so that sessions started together do not send in lockstep.
 *   When the transmit interval shrinks, a pending transmission due later than one new
 *   interval is rescheduled.
 *
 * <b>Echo</b>: not transmitted; IsEchoActive() and GetEchoInterval() only report whether the
 * echo function would run (both ends advertise a nonzero Required Min Echo RX Interval and the
 * session is Up) and at what interval.
 *
 * <b>Simplifications</b>: no authentication (packets with A set are refused), no Demand mode
 * (D is never sent and ignored on receipt), no Passive role, AdminDown keeps sending AdminDown
 * packets at the slow-start interval (RFC 5880 6.8.16 allows ceasing after a Detection Time),
 * intervals are whole microseconds (sub-microsecond parts of attribute values are dropped).
 * "DesiredMinTxInterval" and "RequiredMinRxInterval" are read at Start() and at each state
 * change, so setting them as attributes on a running session takes effect at its next state
 * change; SetTimers() applies them at once, with a Poll Sequence. The other attributes are read
 * whenever they are used.
 */
class BfdSession : public Object
{
  public:
    /// Session state; the values are those of the Sta field.
    enum State
    {
        ADMIN_DOWN = BfdHeader::ADMIN_DOWN, //!< AdminDown
        DOWN = BfdHeader::DOWN,             //!< Down
        INIT = BfdHeader::INIT,             //!< Init
        UP = BfdHeader::UP                  //!< Up
    };

    /// What the session does ("Role" attribute).
    enum Role
    {
        ACTIVE,         //!< RFC 5880 asynchronous mode, Active role
        SBFD_INITIATOR, //!< RFC 7880 S-BFD initiator
        SBFD_REFLECTOR  //!< RFC 7880 S-BFD reflector
    };

    /// Hands a packet holding only the serialized BfdHeader to the transport.
    using SendCallback = Callback<void, Ptr<Packet>>;

    /// Drop reason: Receive() before Start() (or after Dispose()).
    static constexpr const char* DROP_NOT_STARTED = "session not started";
    /// Drop reason: Your Discriminator nonzero (or, S-BFD, any value) and not ours (6.8.6).
    static constexpr const char* DROP_DISCRIMINATOR_MISMATCH = "your discriminator mismatch";
    /// Drop reason: Your Discriminator 0 while the State field is Init or Up (6.8.6).
    static constexpr const char* DROP_ZERO_DISCRIMINATOR =
        "your discriminator 0 with state Init or Up";
    /// Drop reason: the session is AdminDown (6.8.6), after the remote fields were recorded.
    static constexpr const char* DROP_ADMIN_DOWN = "session admin down";

    /// Slow-start floor of bfd.DesiredMinTxInterval while not Up (RFC 5880 6.8.3).
    static Time SlowStartInterval();

    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();
    BfdSession();
    ~BfdSession() override;

    /**
     * \param state a session state
     * \return "AdminDown", "Down", "Init" or "Up"
     */
    static std::string StateToString(State state);

    /**
     * \param send receives every packet the session sends; must be set before Start()
     */
    void SetSendCallback(SendCallback send);

    /**
     * \brief Bring the session into service.
     *
     * ACTIVE / SBFD_INITIATOR: state Down (leaving AdminDown if needed, diag 0) and periodic
     * transmission at the slow-start interval, the first packet one jittered interval from now.
     * SBFD_REFLECTOR: state Up, answering packets. A no-op on a session already in service.
     * Aborts if no SendCallback is set, or for an initiator without "ReflectorDiscriminator".
     */
    void Start();

    /**
     * \brief Hold the session administratively down (RFC 5880 6.8.16): state AdminDown,
     * diag 7, an AdminDown packet sent at once and then periodically; received packets are
     * discarded (a reflector keeps answering, with State AdminDown). Start() leaves AdminDown.
     */
    void AdminDown();

    /**
     * \brief Change the timers of a running session (RFC 5880 6.8.3).
     *
     * Sets "DesiredMinTxInterval" and "RequiredMinRxInterval" and, on a started ACTIVE
     * session, starts a Poll Sequence for the new values (or queues one behind the Poll
     * Sequence in progress). No packet is sent at once: the P bit goes on the scheduled
     * periodic packets (6.5). While Up, a larger DesiredMinTxInterval changes the transmit
     * interval, and a smaller RequiredMinRxInterval the Detection Time, only when the Final
     * arrives. An S-BFD initiator applies the values at once; a reflector only uses
     * \p requiredMinRx in its replies.
     * \param desiredMinTx new DesiredMinTxInterval, 1 us .. 2^32-1 us
     * \param requiredMinRx new RequiredMinRxInterval, 0 .. 2^32-1 us
     */
    void SetTimers(Time desiredMinTx, Time requiredMinRx);

    /**
     * \brief Process a received BFD packet (the UDP payload).
     *
     * Applies BfdHeader::ParseFrom (the packet size is the encapsulating payload length), then
     * the session checks of RFC 5880 6.8.6 and the state machine. A refused packet fires
     * "Drop" with the reason (a DROP_* constant, or the ParseFrom error message) and changes
     * nothing; an accepted one fires "Rx".
     * \param packet the BFD control packet
     */
    void Receive(Ptr<const Packet> packet);

    /// \return bfd.SessionState
    State GetState() const;
    /// \return bfd.LocalDiag, the reason for the most recent state change
    BfdHeader::Diag GetLocalDiag() const;
    /// \return the role
    Role GetRole() const;
    /// \return bfd.LocalDiscr ("LocalDiscriminator")
    uint32_t GetLocalDiscriminator() const;
    /// \return bfd.RemoteDiscr: 0 until a packet is accepted and after the detection timer fires
    uint32_t GetRemoteDiscriminator() const;
    /// \return bfd.RemoteSessionState (Down until a packet is accepted)
    State GetRemoteState() const;

    /**
     * \return the negotiated transmit interval before jitter (RFC 5880 6.8.2); 0 while the
     *         remote asks for no periodic packets, and for a reflector
     */
    Time GetTxInterval() const;
    /**
     * \return the Detection Time (RFC 5880 6.8.4; for an S-BFD initiator DetectMult x
     *         GetTxInterval()); 0 before any packet has been accepted
     */
    Time GetDetectionTime() const;
    /// \return bfd.DesiredMinTxInterval, the value sent in Desired Min TX Interval
    Time GetAdvertisedDesiredMinTxInterval() const;
    /// \return true while a Poll Sequence is being sent (P set on outgoing packets)
    bool IsPollActive() const;

    /**
     * \return true if the echo function would run: ACTIVE role, Up, and both ends advertise a
     *         nonzero Required Min Echo RX Interval
     */
    bool IsEchoActive() const;
    /**
     * \return max("DesiredMinTxInterval", remote Required Min Echo RX Interval) while
     *         IsEchoActive(), else 0
     */
    Time GetEchoInterval() const;

    /**
     * \brief Fix the random stream used for jitter.
     * \param stream first stream index to use
     * \return the number of streams used (1)
     */
    int64_t AssignStreams(int64_t stream);

    /// Signature of "StateChanged": (old state, new state, bfd.LocalDiag after the change).
    typedef void (*StateChangedTracedCallback)(State oldState, State newState, uint8_t diag);
    /// Signature of "Tx" and "Rx".
    typedef void (*PacketTracedCallback)(Ptr<const Packet> packet);
    /// Signature of "Drop".
    typedef void (*DropTracedCallback)(Ptr<const Packet> packet, const std::string& reason);

  protected:
    void DoDispose() override;

  private:
    /// Receive path of the ACTIVE role (RFC 5880 6.8.6 after the packet checks).
    void ReceiveActive(Ptr<const Packet> packet, const BfdHeader& header);
    /// Receive path of the SBFD_INITIATOR role.
    void ReceiveInitiator(Ptr<const Packet> packet, const BfdHeader& header);
    /// Receive path of the SBFD_REFLECTOR role: answer at once.
    void ReceiveReflector(Ptr<const Packet> packet, const BfdHeader& header);
    /// Record the remote's fields from an accepted (or AdminDown-discarded) packet.
    void RecordRemote(const BfdHeader& header);

    /// Change state and fire "StateChanged".
    void SetState(State state, BfdHeader::Diag diag);
    /// Set the advertised and in-use timers at Start(), without a Poll Sequence.
    void InitLocalTimers();
    /// Recompute bfd.DesiredMinTxInterval / RequiredMinRxInterval after a state change.
    void UpdateLocalTimers();
    /// Move the in-use values towards the advertised ones as far as 6.8.3 allows.
    void ApplyTimerChange(Time desired, Time required);
    /// Begin a Poll Sequence for the advertised values.
    void StartPoll();
    /// A packet with F arrived during a Poll Sequence.
    void TerminatePoll();
    /// Reschedule the next transmission if the transmit interval shrank or became 0.
    void TxIntervalChanged();

    /// Build and send a control packet (ACTIVE, SBFD_INITIATOR).
    void SendControl(bool final);
    /// Trace and hand a packet to the transport.
    void Transmit(Ptr<Packet> packet);
    /// Periodic transmission.
    void PeriodicTransmit();
    /// Schedule the next periodic transmission one jittered interval from now.
    void ScheduleNextTx();
    /// \return \p interval reduced by the jitter of RFC 5880 6.8.7
    Time Jittered(Time interval);
    /// Restart the detection timer with the current Detection Time.
    void RestartDetectionTimer();
    /// The detection timer fired.
    void DetectionTimerExpired();

    // Attributes.
    Role m_role{ACTIVE};                  //!< "Role"
    Time m_desiredMinTx;                  //!< "DesiredMinTxInterval"
    Time m_requiredMinRx;                 //!< "RequiredMinRxInterval"
    Time m_requiredMinEchoRx;             //!< "RequiredMinEchoRxInterval" (0: no echo)
    uint8_t m_detectMult{3};              //!< "DetectMult"
    bool m_jitter{true};                  //!< "Jitter"
    uint32_t m_localDiscriminator{1};     //!< "LocalDiscriminator" (bfd.LocalDiscr)
    uint32_t m_reflectorDiscriminator{0}; //!< "ReflectorDiscriminator" (S-BFD initiator)

    // RFC 5880 6.8.1 state variables.
    State m_state{DOWN};                                   //!< bfd.SessionState
    State m_remoteState{DOWN};                             //!< bfd.RemoteSessionState
    uint32_t m_remoteDiscriminator{0};                     //!< bfd.RemoteDiscr
    BfdHeader::Diag m_localDiag{BfdHeader::NO_DIAGNOSTIC}; //!< bfd.LocalDiag
    Time m_remoteMinRx;                                    //!< bfd.RemoteMinRxInterval (1 us)
    Time m_remoteDesiredMinTx;                             //!< last received Desired Min TX
    Time m_remoteMinEchoRx;                                //!< last received Required Min Echo RX
    uint8_t m_remoteDetectMult{0};                         //!< last received Detect Mult (0: none)

    // Timers as advertised and as in use (they differ during a Poll Sequence, 6.8.3).
    Time m_advDesiredMinTx;   //!< bfd.DesiredMinTxInterval, sent on the wire
    Time m_advRequiredMinRx;  //!< bfd.RequiredMinRxInterval, sent on the wire
    Time m_useDesiredMinTx;   //!< DesiredMinTxInterval used for the transmit interval
    Time m_useRequiredMinRx;  //!< RequiredMinRxInterval used for the Detection Time
    bool m_pollActive{false}; //!< a Poll Sequence is being sent
    Time m_pollDesiredMinTx;  //!< DesiredMinTxInterval the current Poll Sequence announces
    Time m_pollRequiredMinRx; //!< RequiredMinRxInterval the current Poll Sequence announces

    bool m_started{false};                  //!< Start() called, not disposed
    SendCallback m_send;                    //!< to the transport
    EventId m_txEvent;                      //!< next periodic transmission
    EventId m_detectEvent;                  //!< detection timer
    Ptr<UniformRandomVariable> m_jitterRng; //!< jitter factor

    TracedCallback<State, State, uint8_t> m_stateChangedTrace;         //!< "StateChanged"
    TracedCallback<Ptr<const Packet>> m_txTrace;                       //!< "Tx"
    TracedCallback<Ptr<const Packet>> m_rxTrace;                       //!< "Rx"
    TracedCallback<Ptr<const Packet>, const std::string&> m_dropTrace; //!< "Drop"
};

} // namespace ns3

#endif
