#ifndef OVERLAY_FABRIC_SERVICE_PROXY_H
#define OVERLAY_FABRIC_SERVICE_PROXY_H

#include "nsh-header.h"
#include "port-stage.h"

#include "ns3/event-id.h"
#include "ns3/mac48-address.h"
#include "ns3/nstime.h"
#include "ns3/traced-callback.h"

#include <cstdint>

namespace ns3
{

class ServicePlane;
class VirtualSwitch;
class VnicNetDevice;

/**
 * \ingroup overlay-fabric
 * \brief The service insertion proxy of one service VM (seed 001, proxies 141-144, paragraphs
 * 0037, 0043-0051, 0055, 0059-0060, 0065, 0071): it hands the SVM its packets with a liveness
 * query, takes them back, and decides whether the SVM is alive.
 *
 * \par Data path
 * FromServicePlane() gets a packet for (SPI, SI) of its SVM and sends it to the SVM's vNIC as
 * Ethernet type 0x894F + NSH + the inner frame. As the first stage of the SVM's port, Process()
 * takes what the SVM sends back: the answer to a query is read from the NSH; a packet that
 * carries data goes on with SI - 1 and TTL - 1 (RFC 8300 section 2.2: a proxy is the SFF of its
 * SVM) to the service plane's next hop. Frames of other Ethernet types continue down the
 * pipeline.
 *
 * \par Liveness (paragraphs 0043-0047, 0055)
 * Every QueryInterval (k) a timer starts a new query with the next 6-bit sequence number. If
 * data went to the SVM in the last interval and InBandQueries is set, the query rides on the
 * next data packet (PING bit in its NSH, "in-band"); otherwise, with IdleProbes, the proxy sends
 * it at once as a probe of its own (O bit, no inner packet, "out-of-band"). The SVM answers every
 * query it sees, with the query's sequence, also when it drops the data packet. Only an answer
 * with the latest sequence while that query is outstanding counts (duplicates and answers to
 * older queries are counted and ignored, paragraph 0047). At each tick a query sent at least
 * half an interval earlier and still unanswered is missed; DetectMult (K) misses in a row, or
 * DeadTime (T, if set) without a valid answer, make the SVM DOWN; a valid answer makes it UP
 * again. While DOWN the proxy keeps probing on its timer, so that a recovered SVM is seen.
 *
 * \par Interface watch (paragraph 0071)
 * With WatchInterface, the vNIC losing its link makes the SVM DOWN at once; when the link comes
 * back the SVM is UP at once if no liveness queries run, else at its next valid answer.
 *
 * \par A DOWN SVM's packets
 * With Reflect (paragraph 0065) they go back to the source classifier with action FAILED, so
 * that it switches paths and re-steers them; without, they are dropped (SERVICE_VM_DOWN).
 *
 * Defaults: k = 50 ms and K = 3, the uplink echo's figures of seed 000 (tx interval 50 ms,
 * multiplier 3), since seed 001 names k and K without values; T off. Every status change fires
 * "Status" and the status callback (the host's agent, which reports to the controller).
 */
class ServiceProxy : public PortStage
{
  public:
    /// Why the status changed.
    enum Cause : uint8_t
    {
        CAUSE_QUERIES_MISSED = 0, //!< DetectMult queries in a row unanswered
        CAUSE_DEAD_TIME = 1,      //!< DeadTime without a valid answer
        CAUSE_INTERFACE_DOWN = 2, //!< the vNIC lost its link (interface watch)
        CAUSE_ANSWER = 3,         //!< a valid answer from a DOWN SVM
        CAUSE_INTERFACE_UP = 4    //!< the vNIC link came back (interface watch only)
    };

    /// Receives status changes: (SVM id, up, cause).
    using StatusCallback = Callback<void, uint32_t, bool, uint8_t>;

    static TypeId GetTypeId();
    ServiceProxy();

    /**
     * \brief Serve service VM \p svm, whose vNIC \p vnic is on port \p port of \p vswitch.
     * \param plane the host's service plane
     * \param vswitch the host's virtual switch
     * \param port the SVM's port
     * \param vnic the SVM's vNIC (its link is watched)
     * \param svm the SVM's id (in status reports)
     */
    void Attach(Ptr<ServicePlane> plane,
                Ptr<VirtualSwitch> vswitch,
                uint32_t port,
                Ptr<VnicNetDevice> vnic,
                uint32_t svm);
    /// Start the query timer (first tick one QueryInterval from now).
    void Start();
    /// \param cb receives status changes
    void SetStatusCallback(StatusCallback cb);
    /// \return the proxy's MAC (source of the frames it sends the SVM)
    Mac48Address GetMac() const;
    /// \return whether the SVM is UP
    bool IsUp() const;
    /// \return the SVM's id
    uint32_t GetSvm() const;

    /**
     * \brief A packet for this proxy's SVM.
     * \param inner the inner Ethernet frame
     * \param nsh its service header ((SPI, SI) of the SVM)
     * \param flowHash inner-flow entropy
     */
    void FromServicePlane(Ptr<Packet> inner, NshHeader nsh, uint32_t flowHash);

    /// Frames the SVM sends (first stage of its port).
    PortVerdict Process(PortContext& ctx) override;

    /// Counters of the liveness protocol.
    struct Counters
    {
        uint64_t inBandQueries{0}; //!< queries sent on data packets
        uint64_t probes{0};        //!< queries sent as probes of their own
        uint64_t answers{0};       //!< valid answers
        uint64_t stale{0};         //!< answers to an older query
        uint64_t duplicates{0};    //!< second answers to the latest query
        uint64_t missed{0};        //!< queries judged unanswered
    };

    /// \return the counters
    const Counters& GetCounters() const;

    /// Signature of "Status": (SVM id, up, cause).
    typedef void (*StatusTracedCallback)(uint32_t svm, bool up, uint8_t cause);
    /// Signature of "Query": (SVM id, sequence, in-band).
    typedef void (*QueryTracedCallback)(uint32_t svm, uint8_t seq, bool inBand);

  protected:
    void DoDispose() override;

  private:
    void Tick();
    void SendProbe();
    void HandleAnswer(uint8_t seq);
    void SetStatus(bool up, Cause cause);
    void LinkChanged();
    /// Ethernet + NSH + frame onto the SVM's vNIC.
    void ToSvm(Ptr<Packet> inner, const NshHeader& nsh);

    /// \return whether any liveness queries run
    bool QueriesRun() const
    {
        return m_inBand || m_idleProbes;
    }

    Time m_interval;       //!< k: the query period
    uint32_t m_detectMult; //!< K: missed queries in a row that make the SVM DOWN
    Time m_deadTime;       //!< T: no valid answer for this long makes it DOWN (0: off)
    bool m_inBand;         //!< queries ride on data packets
    bool m_idleProbes;     //!< queries without data go as probes of their own
    bool m_watchInterface; //!< the vNIC's link state makes it DOWN/UP
    bool m_reflect;        //!< a DOWN SVM's packets are reflected to the source classifier

    Ptr<ServicePlane> m_plane;       //!< next hops
    Ptr<VirtualSwitch> m_vswitch;    //!< the SVM's port
    Ptr<VnicNetDevice> m_vnic;       //!< the SVM's vNIC
    uint32_t m_port{0};              //!< the SVM's port
    uint32_t m_svm{0};               //!< the SVM's id
    Mac48Address m_mac;              //!< source MAC of frames to the SVM
    Mac48Address m_svmMac;           //!< the SVM's MAC
    StatusCallback m_statusCallback; //!< the agent

    bool m_up{true};             //!< SVM status
    uint8_t m_seq{0};            //!< latest query's sequence
    bool m_armed{false};         //!< the latest query waits for a data packet to ride on
    bool m_outstanding{false};   //!< the latest query was sent and is unanswered
    Time m_sentAt;               //!< when the latest query was sent
    Time m_lastAnswer;           //!< when the last valid answer came
    uint32_t m_missedInRow{0};   //!< consecutive missed queries
    bool m_dataSinceTick{false}; //!< data went to the SVM since the last tick
    EventId m_tick;              //!< the query timer
    Counters m_counters;         //!< protocol counters

    TracedCallback<uint32_t, bool, uint8_t> m_statusTrace; //!< status changes
    TracedCallback<uint32_t, uint8_t, bool> m_queryTrace;  //!< queries sent
};

} // namespace ns3

#endif
