#ifndef OVERLAY_FABRIC_UPLINK_MONITOR_H
#define OVERLAY_FABRIC_UPLINK_MONITOR_H

#include "ns3/event-id.h"
#include "ns3/ipv4-address.h"
#include "ns3/nstime.h"
#include "ns3/object.h"
#include "ns3/random-variable-stream.h"
#include "ns3/traced-callback.h"

#include <array>
#include <optional>
#include <vector>

namespace ns3
{

class BfdSession;
class Packet;
class Vtep;

/**
 * \ingroup overlay-fabric
 * \brief Uplink-aware monitoring of a VTEP's tunnels (seed 000, paragraphs 0039-0061).
 *
 * Per tunnel, an RFC 5880 BFD session (control packets on inner UDP 3784, carried in the tunnel
 * with the GENEVE O bit and VNI 0, alternating over the uplinks as paragraph 0043 suggests, so
 * the session survives the loss of any one uplink) -- or, in seamless
 * mode, an RFC 7880 S-BFD initiator (to UDP 7784, RFC 7881) towards the remote VTEP's reflector,
 * one reflector per VTEP; once the session is Up (at once in seamless mode: no handshake to wait
 * for), a per-uplink encapsulated echo: every echo interval, for
 * each uplink i, an echo sent via uplink i (inner IPv4 from and to the local VTEP address, inner
 * UDP destination port 3785, TTL 1, payload: uplink id, sequence number, timestamp). The remote
 * VTEP loops the inner packet back on whichever uplink its own selector chooses; the reply is
 * credited to the uplink named in the payload (Fig. 6). The monitor also plays the remote role:
 * echoes of other VTEPs are looped back here.
 *
 * Per (tunnel, uplink) metrics: status, RTT (last, smoothed with gain 1/8 as RFC 6298, min, max),
 * one-way delay estimate (RTT / 2: the model's paths are symmetric in propagation), jitter (mean
 * RTT deviation with gain 1/16, as RFC 3550), loss over the last 100 echoes whose detection time
 * has passed. An uplink goes DOWN when no reply arrived for DetectMult echo intervals (the RFC 5880
 * echo detection time) and UP again after UpAfter consecutive replies. Every change is a trace
 * source and is pushed to the VTEP's UplinkSelector.
 *
 * \par Fault localization (Localize, off by default: the seed marks DOWN on missing replies alone)
 * Before a missing-reply detection makes (tunnel, uplink) DOWN, the monitor reads its matrix of
 * evidence: the peer's own echoes, which it loops back, arrive here one per peer uplink and echo
 * interval. If one of those streams has been silent for (DetectMult - 1) echo intervals, fell
 * silent when our replies stopped (its last echo no more than one echo interval before our last
 * reply: a peer uplink that died long ago, and that the peer has left, explains nothing now), and
 * the silence is not our downlink's (the uplink it arrived on here has received an OAM packet
 * since, or our replies did not come in on that uplink, so its loss would not explain their
 * absence), the peer has lost that uplink and our replies, looped back on its choice of
 * uplink, die with it: the remote host, not this uplink (no DOWN; judged again one interval
 * later). Otherwise, if the
 * same uplink still answers towards another peer, a path behind it is broken (fabric path);
 * else the uplink itself (local uplink). Both make it DOWN for the tunnel, as without
 * localization. Each verdict is the "Localized" trace. The peer's silence is known before our
 * own detection fires (its echoes stop at the fault, ours are missed a detection time later), so
 * localization costs a true local failure no detection time.
 *
 * \par Echoes that cover the ECMP paths (SetEchoPorts)
 * The seed sends one echo stream per (tunnel, uplink), and its inner UDP source port, so the
 * outer one (TunnelSourcePort()), is fixed: the fabric hashes it onto one ECMP path, and a dead
 * member elsewhere is invisible to it. SetEchoPorts() gives a (tunnel, uplink) more streams, each
 * with its own inner source port (EchoInnerPort()), sequence numbers, detection and metrics,
 * chosen by whoever knows the fabric's hash so that each lands on a different path. Stream 0 is
 * always the seed's. The echo payload's 32-bit uplink identifier carries the uplink in its low
 * byte and the stream in the next one (0 without extra streams: the seed's value). Stream 0's
 * changes are "StatusChanged", the others' "PathStatusChanged"; every stream's status goes to
 * the selector (UplinkSelector::SetPathHealth), which decides what a dead path means for the
 * uplink. Cost: every stream sends one echo per interval, and is looped back.
 *
 * \par Clocks and the one-way delay from the timestamp (ClockOffset, ClockDrift)
 * The seed's payload carries a send timestamp "used for delay measurement" (paragraph 0046) and
 * computes latency "based on a difference between a received timestamp and a sent timestamp"
 * (paragraph 0057). Each monitor has its own clock, LocalClock(t) = t + ClockOffset + ClockDrift
 * x 1e-6 x t (t the simulated time, the drift term rounded to the nearest nanosecond); 0 and 0 by
 * default, the perfect clock. Timestamps written into echoes are this clock's readings.
 * - RTT: the sender reads its own clock when the reply comes back, so the offset cancels, and the
 *   drift scales the RTT by (1 + drift x 1e-6): +20 ppm makes a 10 us RTT 10.0002 us (within the
 *   1 ns rounding of the two readings).
 * - One-way delay: the VTEP that loops a peer's echo back reads its own clock minus the echo's
 *   timestamp: the forward delay of the peer's uplink path (the peer's uplink, the fabric, our
 *   downlink), plus (our clock - the peer's clock) at that moment, which no measurement can tell
 *   apart from delay (RFC 7679 section 3.7: one-way delay is only as good as the two clocks'
 *   synchronization). Kept per (tunnel, peer uplink) from the peer's echo stream 0 only (the
 *   low byte of the payload's uplink field is the peer's uplink, the next byte its stream): stream
 *   0 is the seed's stream and the one whose RTT the peer reports, so the two figures describe
 *   the same path; the covering streams (SetEchoPorts) take other ECMP paths, whose delay would
 *   mix into one smoothed figure. GetForwardDelay(); every sample is the "ForwardDelay" trace.
 * - A reading before the clock's epoch (a negative offset early in the run) is negative; the
 *   payload's 64-bit field is unsigned, so it carries the reading modulo 2^64 (two's complement)
 *   and is read back as signed: every difference stays exact (clamping to 0 would lengthen the
 *   first RTTs and one-way delays by the clamped amount).
 *
 * The echo interval is max(TxInterval, RxInterval) (the local desired transmit interval and the
 * peer's required minimum echo receive interval, both ends sharing one configuration); with Jitter
 * each interval is reduced by a random 0-25% (10-25% when DetectMult is 1), RFC 5880 6.8.7.
 */
class UplinkMonitor : public Object
{
  public:
    /// Monitoring mode.
    enum Mode : int
    {
        ASYNC,   //!< RFC 5880 session per tunnel, echoes once it is Up
        SEAMLESS //!< RFC 7880: no session negotiation, echoes from the start
    };

    /// Where a missing-reply detection is (Localize).
    enum Locus : uint32_t
    {
        LOCAL_UPLINK, //!< this uplink: no other peer answers on it either
        REMOTE_HOST,  //!< the peer: its own echoes from one of its uplinks stopped arriving
        FABRIC_PATH   //!< a path behind this uplink: it still answers towards another peer
    };

    /// \return "local-uplink", "remote-host" or "fabric-path"
    static const char* LocusToString(Locus locus);

    /// Metrics of one uplink of one tunnel.
    struct UplinkMetrics
    {
        bool up{true};               //!< connectivity status
        bool degraded{false};        //!< over a QoS threshold
        bool measured{false};        //!< at least one reply
        Time rttLast;                //!< last RTT
        Time rttSmoothed;            //!< smoothed RTT
        Time rttMin{Time::Max()};    //!< smallest RTT
        Time rttMax;                 //!< largest RTT
        Time jitter;                 //!< mean RTT deviation
        double loss{0};              //!< loss over the last (up to) 100 matured echoes
        uint64_t echoesSent{0};      //!< echoes sent on this uplink
        uint64_t replies{0};         //!< replies credited to this uplink
        uint64_t repliesViaOther{0}; //!< of those, arrived on another uplink (Fig. 6)
        uint32_t downEvents{0};      //!< UP -> DOWN transitions

        /// \return one-way delay estimate from the RTT: smoothed RTT / 2 (the timestamp's one-way
        /// delay is the peer's GetForwardDelay())
        Time OneWayDelay() const
        {
            return rttSmoothed / 2;
        }
    };

    /**
     * \brief One-way delay of a peer's echoes from one of its uplinks, as this VTEP measures it
     * when they arrive: its own clock minus their timestamp (see the class doc).
     */
    struct ForwardDelay
    {
        bool measured{false};  //!< at least one echo arrived
        uint64_t samples{0};   //!< echoes measured
        Time last;             //!< last sample
        Time smoothed;         //!< smoothed with gain 1/8, as the RTT
        Time min{Time::Max()}; //!< smallest sample
        Time max{Time::Min()}; //!< largest sample (may be negative: clock offsets)
    };

    /// Most uplinks of a peer whose echoes are followed (localization, forward delay).
    static constexpr uint32_t MAX_PEER_UPLINKS = 8;
    /// Largest |ClockDrift|, ppm: ten times the +-100 ppm of an IEEE 802.3 clock; the clock stays
    /// monotonic and its error on an RTT stays under 0.1%.
    static constexpr double MAX_CLOCK_DRIFT_PPM = 1000;

    static TypeId GetTypeId();
    UplinkMonitor();

    /**
     * \brief This host's clock at simulated time \p t: t + ClockOffset + ClockDrift x 1e-6 x t,
     * the drift term rounded to the nearest nanosecond (half away from zero).
     * \param t simulated time
     * \return the local clock reading (negative before the clock's epoch)
     */
    Time LocalClock(Time t) const;
    /// \return the one-way delay of the peer of \p tunnel's echoes from its uplink \p peerUplink
    /// (stream 0), as this VTEP measured them; measured false if none arrived
    const ForwardDelay& GetForwardDelay(uint32_t tunnel, uint32_t peerUplink) const;

    /**
     * \brief Monitor every tunnel \p vtep has now; becomes its OAM handler.
     * \param vtep the VTEP (uplinks, tunnels and selector already set)
     */
    void Install(Ptr<Vtep> vtep);
    /// \brief Start the sessions (ASYNC) or the echoes (SEAMLESS).
    void Start();
    /// \return random streams used
    int64_t AssignStreams(int64_t stream);

    /// \return the number of tunnels monitored
    uint32_t GetTunnelCount() const;
    /// \return the metrics of one uplink of one tunnel (its echo stream 0, the seed's)
    const UplinkMetrics& GetMetrics(uint32_t tunnel, uint32_t uplink) const;
    /// \return the metrics of echo stream \p path of one uplink of one tunnel
    const UplinkMetrics& GetMetrics(uint32_t tunnel, uint32_t uplink, uint32_t path) const;
    /// \return the number of echo streams of (tunnel, uplink): 1 unless SetEchoPorts gave more
    uint32_t GetPathCount(uint32_t tunnel, uint32_t uplink) const;
    /// \return the highest echo sequence number answered on a stream, -1 before the first reply:
    /// the echoes after it are the unanswered ones a DOWN is made of
    int64_t GetHighestRepliedSeq(uint32_t tunnel, uint32_t uplink, uint32_t path = 0) const;
    /// \return the inner-flow entropy of echo stream \p path of (tunnel, uplink) (it sets their
    /// outer UDP source port, so the ECMP path they take: TunnelSourcePort())
    uint32_t GetEchoFlowHash(uint32_t tunnel, uint32_t uplink, uint32_t path = 0) const;
    /// \return the inner-flow entropy of an echo from \p vtep with inner source port \p sport
    static uint32_t EchoFlowHash(Ipv4Address vtep, uint16_t sport);
    /**
     * \return inner UDP source port number \p candidate of the echoes on \p uplink: 49152 +
     * uplink + 8 x candidate (candidate 0 is the seed's stream), or 0 past the port range
     */
    static uint16_t EchoInnerPort(uint32_t uplink, uint32_t candidate);
    /// Most echo streams per (tunnel, uplink).
    static constexpr uint32_t MAX_PATHS = 64;
    /**
     * \brief Give (tunnel, uplink) one echo stream per inner source port (after Install, before
     * Start); \p sports[0] must be EchoInnerPort(uplink, 0), at most MAX_PATHS of them.
     */
    void SetEchoPorts(uint32_t tunnel, uint32_t uplink, const std::vector<uint16_t>& sports);
    /// \return the BFD session (ASYNC) or S-BFD initiator (SEAMLESS) of a tunnel
    Ptr<BfdSession> GetSession(uint32_t tunnel) const;
    /// \return the echo interval before jitter
    Time GetEchoInterval() const;
    /// \return the echo detection time: DetectMult x echo interval
    Time GetDetectionTime() const;

    /// Signature of "StatusChanged": (tunnel, uplink, up).
    typedef void (*StatusTracedCallback)(uint32_t tunnel, uint32_t uplink, bool up);
    /// Signature of "PathStatusChanged": (tunnel, uplink, path, up).
    typedef void (*PathStatusTracedCallback)(uint32_t tunnel,
                                             uint32_t uplink,
                                             uint32_t path,
                                             bool up);
    /// Signature of "SessionStateChanged": (tunnel, old state, new state, diag).
    typedef void (*SessionTracedCallback)(uint32_t tunnel,
                                          uint32_t oldState,
                                          uint32_t newState,
                                          uint8_t diag);
    /// Signature of "Localized": (tunnel, uplink, locus).
    typedef void (*LocalizedTracedCallback)(uint32_t tunnel, uint32_t uplink, uint32_t locus);
    /// Signature of "ForwardDelay": (tunnel, peer uplink, one-way delay from the timestamp).
    typedef void (*ForwardDelayTracedCallback)(uint32_t tunnel, uint32_t peerUplink, Time delay);
    /// Signature of "EchoReply": (tunnel, uplink, rtt).
    typedef void (*EchoReplyTracedCallback)(uint32_t tunnel, uint32_t uplink, Time rtt);

  protected:
    void DoDispose() override;

  private:
    /// Echo state of one echo stream of one uplink of one tunnel.
    struct Echo
    {
        uint16_t sport{0};            //!< inner UDP source port
        uint32_t flowHash{0};         //!< its entropy (outer source port)
        UplinkMetrics m;              //!< metrics
        uint64_t nextSeq{0};          //!< next sequence number
        uint64_t matured{0};          //!< echoes older than the detection time so far
        std::vector<Time> sentAt;     //!< ring: send time by seq
        std::vector<bool> replied;    //!< ring: reply seen by seq
        std::vector<bool> window;     //!< ring of the last 100 matured: lost?
        uint32_t windowCount{0};      //!< entries in the window
        uint32_t windowLost{0};       //!< lost entries in the window
        int64_t lastReplySeq{-1};     //!< sequence of the last reply
        Time lastReplyAt;             //!< when the last reply arrived (Localize)
        uint32_t lastReplyArrival{0}; //!< which of our uplinks it arrived on (Localize)
        uint32_t streak{0};           //!< consecutive replies while DOWN
        bool started{false};          //!< echoes running
        EventId txEvent;              //!< next echo
        EventId detectEvent;          //!< detection timer
    };

    /// One tunnel: its session and its uplinks' echo state.
    struct Tunnel
    {
        Ptr<BfdSession> session;             //!< ASYNC only
        std::vector<std::vector<Echo>> echo; //!< per uplink, per stream (0: the seed's)
        uint32_t nextControlUplink{0};       //!< control packets alternate over the uplinks
        /// Localize: when the peer's echo from each of its uplinks last arrived
        std::array<std::optional<Time>, MAX_PEER_UPLINKS> remoteEchoSeen;
        /// Localize: on which of our uplinks
        std::array<uint32_t, MAX_PEER_UPLINKS> remoteEchoArrival{};
        /// the peer's echoes (stream 0) per peer uplink: their one-way delay
        std::array<ForwardDelay, MAX_PEER_UPLINKS> forwardDelay;
    };

    Time NextInterval();
    void StartEchoes(uint32_t tunnel);
    void SendEcho(uint32_t tunnel, uint32_t uplink, uint32_t path);
    void InitEcho(Echo& e, uint32_t uplink, uint32_t candidate) const;
    void SendControl(uint32_t tunnel, Ptr<Packet> bfd, bool fromReflector);
    void SessionStateChanged(uint32_t tunnel, uint32_t oldState, uint32_t newState, uint8_t diag);
    void HandleOam(uint32_t tunnel, uint32_t arrivalUplink, Ptr<Packet> frame);
    void EchoReply(uint32_t tunnel,
                   uint32_t uplink,
                   uint32_t path,
                   uint32_t arrivalUplink,
                   uint64_t seq,
                   Time sentAt);
    /// \brief A peer's echo (stream 0) from its uplink \p peerUplink, stamped \p sentAt on its
    /// clock, arrived: one forward-delay sample
    void ForwardDelayArrived(uint32_t tunnel, uint32_t peerUplink, Time sentAt);
    void Mature(Echo& e);
    void DetectionExpired(uint32_t tunnel, uint32_t uplink, uint32_t path);
    /// \return where the missing replies of echo stream (tunnel, uplink, path) come from
    Locus Localize(uint32_t tunnel, uint32_t uplink, uint32_t path) const;
    void SetStatus(uint32_t tunnel, uint32_t uplink, uint32_t path, bool up);
    void UpdateDegraded(uint32_t tunnel, uint32_t uplink);

    Ptr<Vtep> m_vtep;                                  //!< monitored VTEP
    std::vector<Tunnel> m_tunnels;                     //!< per tunnel
    Mode m_mode{ASYNC};                                //!< mode
    Time m_txInterval;                                 //!< DesiredMinTxInterval
    Time m_rxInterval;                                 //!< RequiredMinRxInterval
    uint32_t m_detectMult{3};                          //!< DetectMult
    uint32_t m_upAfter{3};                             //!< replies to come back UP
    bool m_jitter{true};                               //!< RFC 5880 6.8.7 jitter
    Time m_rttThreshold;                               //!< QoS threshold (0 = none)
    double m_lossThreshold{1.0};                       //!< loss threshold (1 = none)
    bool m_localize{false};                            //!< classify missing replies before a DOWN
    Time m_clockOffset;                                //!< local clock - simulated time at t = 0
    double m_clockDriftPpm{0};                         //!< local clock rate error, ppm
    std::vector<std::optional<Time>> m_lastOamArrival; //!< Localize: per uplink, last OAM in
    Ptr<UniformRandomVariable> m_rng;                  //!< jitter
    uint32_t m_ring{8};             //!< echoes remembered per uplink (a power of two)
    Ptr<BfdSession> m_reflector;    //!< SEAMLESS: this VTEP's S-BFD reflector
    uint32_t m_reflectingTunnel{0}; //!< tunnel of the packet the reflector is answering
    uint16_t m_reflectingPort{0};   //!< its initiator's UDP source port

    TracedCallback<uint32_t, uint32_t, bool> m_statusChanged;               //!< UP/DOWN
    TracedCallback<uint32_t, uint32_t, uint32_t, bool> m_pathStatusChanged; //!< streams >= 1
    TracedCallback<uint32_t, uint32_t, bool> m_degradedChanged;             //!< degraded on/off
    TracedCallback<uint32_t, uint32_t, uint32_t, uint8_t> m_sessionChanged; //!< BFD states
    TracedCallback<uint32_t, uint32_t, Time> m_echoReply;     //!< every credited reply
    TracedCallback<uint32_t, uint32_t, Time> m_forwardDelay;  //!< every peer echo's delay
    TracedCallback<uint32_t, uint32_t, uint32_t> m_localized; //!< a detection classified
};

} // namespace ns3

#endif
