#ifndef OVERLAY_FABRIC_FABRIC_NET_DEVICE_H
#define OVERLAY_FABRIC_FABRIC_NET_DEVICE_H

#include "drop-reason.h"

#include "ns3/callback.h"
#include "ns3/data-rate.h"
#include "ns3/mac48-address.h"
#include "ns3/net-device.h"
#include "ns3/nstime.h"
#include "ns3/packet.h"
#include "ns3/ptr.h"
#include "ns3/random-variable-stream.h"
#include "ns3/traced-callback.h"

#include <cstdint>
#include <vector>

namespace ns3
{

class FabricChannel;
class Node;

/**
 * \ingroup overlay-fabric
 * \brief One end of a full-duplex point-to-point Ethernet link of the underlay fabric.
 *
 * Frames carry a real Ethernet II header (ns3::EthernetHeader without preamble, no FCS), so
 * captures use DLT_EN10MB. Received frames, Ethernet header still on, go to the frame handler
 * (a FabricSwitch or a host VTEP); only when no frame handler is set does the device strip the
 * header and call the standard NetDevice receive callbacks.
 *
 * \par Transmission model (one scheduled event per hop)
 * The device keeps the exact time its transmitter is busy until (busyUntil): a whole number of
 * time steps plus a remainder in units of 1/DataRate-in-bit/s of a time step, so that no rounding
 * error accumulates. A frame accepted at `now` starts at max(now, busyUntil) and occupies the
 * transmitter for its wire size * 8 / DataRate, exactly; busyUntil moves to its exact end. Its
 * arrival at the peer is scheduled at that end rounded to the nearest time step (ties down, as
 * DataRate::CalculateBytesTxTime rounds), plus the channel delay and any added-delay fault: the
 * only event scheduled for the hop is the arrival. So each frame is off by less than half a time
 * step and N back-to-back frames end within half a time step of N x wire size x 8 / DataRate.
 *
 * \par Wire size (Layer1Overhead, on by default)
 * With Layer1Overhead on, each frame takes the wire time of what IEEE 802.3 (clauses 3 and 4)
 * puts on the line: preamble + SFD (8 bytes), the MAC frame, and the inter-packet gap (12 bytes).
 * The MAC frame is the frame (Ethernet header + payload) padded to 60 bytes if shorter, plus the
 * 4-byte FCS: at least 64 bytes. So the wire size is max(size, 60) + 24. The FCS and the padding
 * are wire time only: the packet is not changed, so captures stay DLT_EN10MB without FCS. With
 * Layer1Overhead off the wire size is the frame size (header + payload), as in ns-3's
 * PointToPointNetDevice.
 *
 * \par Transmit FIFO (QueueBytes)
 * There is no queue object. Since the preamble and the gap take wire time but are not stored, the
 * backlog cannot be derived from busyUntil alone: the device keeps a ring of the frames accepted
 * and not yet gone (exact end, wire and queued bytes; 24 bytes each), appended to on acceptance and
 * trimmed from the front on the next acceptance, so O(1) amortised per frame, with no allocation
 * but when the backlog reaches a new peak; on an idle transmitter (the usual case) the ring is just
 * reset. The backlog counts, of each frame accepted, the bytes of its MAC frame not yet on the
 * wire: with Layer1Overhead on, header, payload, padding to 60 bytes and FCS (max(size, 60) + 4);
 * off, header + payload (the frame as ns-3 holds it). The preamble, SFD and gap are never stored,
 * so they do not count. The untransmitted part of the frame being serialised counts, a partly sent
 * byte as a whole byte. A frame is dropped with QUEUE_OVERFLOW when backlog + its MAC frame bytes >
 * QueueBytes; so QueueBytes must be at least Mtu + 14 (+ 4 with the overhead) for a full-size frame
 * to pass. This gives exact FIFO drop-tail timing (every frame leaves exactly when a FIFO drop-tail
 * queue would send it); what it does not model is anything but FIFO (no priorities, no queue
 * discipline, no flow control). A change of DataRate applies to frames accepted afterwards.
 *
 * \par Carrier
 * The carrier belongs to the FabricChannel: both ends see a change at once (IsLinkUp and the link
 * change callbacks). Sending while the carrier is down drops the frame with LINK_DOWN. Frames
 * accepted before the carrier was lost (queued or on the wire) are dropped with LINK_DOWN at
 * the time they would have arrived, even if the carrier has come back by then (the channel
 * counts carrier losses in an epoch number that every frame carries). When the carrier is lost
 * the transmitter becomes idle at once.
 *
 * \par Faults on the transmit direction
 * SetSilentDrop(fraction) drops that fraction of the accepted frames with SILENT_DROP at the time
 * they would arrive (they occupy the transmitter and the link, then vanish: a blackhole on the
 * link); the carrier stays up.
 * SetAddedDelay(delay) adds a one-way delay to every frame accepted afterwards.
 *
 * \par Traces and accounting
 * - "Drop": every frame this device was asked to transmit and that does not reach the peer is
 *   reported here exactly once, whether dropped before acceptance (LINK_DOWN, MTU_EXCEEDED,
 *   QUEUE_OVERFLOW) or after (SILENT_DROP and LINK_DOWN, both at would-be arrival).
 * - "WireTx": a frame accepted onto the link (at acceptance time).
 * - "WireRx": fired by the receiving device when a frame leaves the link at its end: it arrives
 *   and is handed to the handler, or it was lost on the link (then the sender's Drop follows).
 *   So for each device d: WireTx(d) = WireRx(peer of d) + frames of d still queued or on the
 *   wire, and a trace sink can count frames on the wire as WireTx - WireRx.
 * - "Sniffer" and "PromiscSniffer": the whole Ethernet frame, for pcap: transmitted frames at
 *   acceptance time (not at the start of serialisation), received frames at arrival.
 * The device never looks at packet tags; trace sinks do.
 */
class FabricNetDevice : public NetDevice
{
  public:
    /**
     * \brief Receives every frame that arrives on the device, Ethernet header still on.
     * Arguments: the receiving device, the frame.
     */
    using FrameHandler = Callback<void, Ptr<FabricNetDevice>, Ptr<Packet>>;

    /**
     * \brief Signature of the "Drop" trace source.
     * \param frame the dropped frame (Ethernet header on)
     * \param reason why it was dropped
     */
    typedef void (*DropTracedCallback)(Ptr<const Packet> frame, DropReason reason);

    /**
     * \brief Signature of the "WireTx", "WireRx", "Sniffer" and "PromiscSniffer" trace sources.
     * \param frame the frame (Ethernet header on)
     */
    typedef void (*FrameTracedCallback)(Ptr<const Packet> frame);

    /// Size of the Ethernet II header the device adds (no preamble, no FCS).
    static constexpr uint32_t ETHERNET_HEADER_SIZE = 14;
    /// Preamble (7) and start frame delimiter (1), IEEE 802.3 clause 4.2.5.
    static constexpr uint32_t PREAMBLE_SFD_SIZE = 8;
    /// Frame check sequence, IEEE 802.3 clause 3.2.9.
    static constexpr uint32_t FCS_SIZE = 4;
    /// Minimum inter-packet gap, 96 bit times, IEEE 802.3 clause 4.4.2.
    static constexpr uint32_t INTER_FRAME_GAP_SIZE = 12;
    /// Shortest MAC frame including the FCS (minFrameSize, IEEE 802.3 clause 4.4.2).
    static constexpr uint32_t MIN_MAC_FRAME_SIZE = 64;
    /// Layer-1 bytes of wire time added to a frame of at least 60 bytes: 8 + 4 + 12.
    static constexpr uint32_t LAYER1_OVERHEAD = PREAMBLE_SFD_SIZE + FCS_SIZE + INTER_FRAME_GAP_SIZE;

    /**
     * \brief Get the TypeId.
     * \return the object TypeId
     */
    static TypeId GetTypeId();

    /// Allocates a MAC address (Mac48Address::Allocate).
    FabricNetDevice();
    ~FabricNetDevice() override;

    /**
     * \brief Attach the device to a channel; the second device attached becomes the peer of the
     * first.
     * \param channel the channel
     * \return false if the channel already has two devices
     */
    bool Attach(Ptr<FabricChannel> channel);

    /// \return the channel this device is attached to (nullptr before Attach)
    Ptr<FabricChannel> GetFabricChannel() const;

    /// \return the device at the other end of the channel (nullptr if none)
    Ptr<FabricNetDevice> GetPeer() const;

    /**
     * \brief Set the handler of received frames (switch or host VTEP).
     * \param handler the handler; a null callback restores the standard receive callbacks
     */
    void SetFrameHandler(FrameHandler handler);

    /**
     * \brief Transmit a frame that already carries its Ethernet header (switches use it after
     * rewriting the header).
     * \param frame the frame; it is sent as is
     * \return true if the frame was accepted onto the link (also when a silent-drop fault then
     * drops it), false if it was dropped before (LINK_DOWN, MTU_EXCEEDED, QUEUE_OVERFLOW)
     */
    bool SendFrame(Ptr<Packet> frame);

    /// \return the MAC address of the device
    Mac48Address GetMacAddress() const
    {
        return m_address;
    }

    /// \return the MAC address of the peer (an invalid address if there is none)
    Mac48Address GetPeerMacAddress() const
    {
        return m_peer ? m_peer->m_address : Mac48Address();
    }

    /**
     * \brief Set the line rate.
     * \param rate the rate of each direction
     */
    void SetDataRate(DataRate rate);
    /// \return the line rate
    DataRate GetDataRate() const;

    /**
     * \brief Set the size of the transmit FIFO.
     * \param bytes the size in bytes
     */
    void SetQueueBytes(uint32_t bytes);
    /// \return the size of the transmit FIFO in bytes
    uint32_t GetQueueBytes() const;

    /**
     * \brief Turn the Ethernet layer-1 overhead on or off (see the class description).
     * \param on true: preamble + SFD, padding, FCS and gap take wire time and the FCS counts in
     * the queue
     */
    void SetLayer1Overhead(bool on);
    /// \return whether the layer-1 overhead is on the wire
    bool GetLayer1Overhead() const;

    /**
     * \param bytes frame size (Ethernet header + payload)
     * \return the bytes of wire time the frame takes: max(bytes, 60) + 24 with Layer1Overhead,
     * else bytes
     */
    uint32_t GetWireBytes(uint32_t bytes) const
    {
        const uint32_t queued = GetQueuedBytes(bytes);
        return m_layer1Overhead ? queued + PREAMBLE_SFD_SIZE + INTER_FRAME_GAP_SIZE : queued;
    }

    /**
     * \param bytes frame size (Ethernet header + payload)
     * \return the bytes the frame occupies in the transmit FIFO: max(bytes, 60) + 4 with
     * Layer1Overhead (the MAC frame), else bytes
     */
    uint32_t GetQueuedBytes(uint32_t bytes) const
    {
        const uint32_t unpadded = MIN_MAC_FRAME_SIZE - FCS_SIZE;
        return m_layer1Overhead ? (bytes < unpadded ? unpadded : bytes) + FCS_SIZE : bytes;
    }

    /// \return the FIFO backlog now in bytes (see GetQueuedBytes), waiting or being serialised
    uint64_t GetBacklogBytes() const;

    /**
     * \return the end of the last accepted frame, rounded to a time step as its arrival is
     * (<= now when idle)
     */
    Time GetBusyUntil() const;

    /**
     * \brief Serialisation time of one frame on an idle transmitter: its wire size (see
     * GetWireBytes) at the device's rate, rounded like DataRate::CalculateBytesTxTime. Frames
     * sent back to back do not each add this rounding: their exact times add up.
     * \param bytes frame size (Ethernet header + payload)
     * \return the time to put the frame on the wire
     */
    Time GetSerializationTime(uint32_t bytes) const;

    /**
     * \brief Silent-drop fault on the transmit direction.
     * \param fraction fraction of accepted frames dropped, in [0, 1]; 0 turns the fault off
     */
    void SetSilentDrop(double fraction);
    /// \return the silent-drop fraction of the transmit direction
    double GetSilentDrop() const;

    /**
     * \brief Added-delay fault on the transmit direction: extra one-way delay for frames
     * accepted from now on.
     * \param delay the extra delay (zero turns the fault off)
     */
    void SetAddedDelay(Time delay);
    /// \return the added delay of the transmit direction
    Time GetAddedDelay() const;

    /**
     * \brief Assign a fixed random variable stream to the silent-drop variable.
     * \param stream first stream index to use
     * \return the number of streams assigned (1)
     */
    int64_t AssignStreams(int64_t stream);

    // NetDevice
    void SetIfIndex(const uint32_t index) override;
    uint32_t GetIfIndex() const override;
    Ptr<Channel> GetChannel() const override;
    void SetAddress(Address address) override;
    Address GetAddress() const override;
    bool SetMtu(const uint16_t mtu) override;
    uint16_t GetMtu() const override;
    bool IsLinkUp() const override;
    void AddLinkChangeCallback(Callback<void> callback) override;
    bool IsBroadcast() const override;
    Address GetBroadcast() const override;
    bool IsMulticast() const override;
    Address GetMulticast(Ipv4Address multicastGroup) const override;
    Address GetMulticast(Ipv6Address addr) const override;
    bool IsBridge() const override;
    bool IsPointToPoint() const override;
    /**
     * \brief Add an Ethernet II header (source = this device's MAC, destination = dest, type =
     * protocolNumber) and transmit.
     * \param packet the packet, e.g. starting with the outer IPv4 header
     * \param dest destination MAC address
     * \param protocolNumber EtherType
     * \return see SendFrame
     */
    bool Send(Ptr<Packet> packet, const Address& dest, uint16_t protocolNumber) override;
    bool SendFrom(Ptr<Packet> packet,
                  const Address& source,
                  const Address& dest,
                  uint16_t protocolNumber) override;
    Ptr<Node> GetNode() const override;
    void SetNode(Ptr<Node> node) override;
    bool NeedsArp() const override;
    void SetReceiveCallback(NetDevice::ReceiveCallback cb) override;
    void SetPromiscReceiveCallback(NetDevice::PromiscReceiveCallback cb) override;
    bool SupportsSendFrom() const override;

  private:
    friend class FabricChannel;

    void DoDispose() override;

    /**
     * \brief Called by the channel when the carrier changes, before any link change callback of
     * either end runs. On carrier loss the transmitter becomes idle (what it held is lost).
     * \param up new carrier state
     */
    void CarrierChanged(bool up);

    /// Called by the channel after CarrierChanged of both ends: fire the link change callbacks.
    void NotifyLinkChange();

    /**
     * \brief Called by the channel when the second device is attached.
     * \param peer the other end
     */
    void SetPeer(Ptr<FabricNetDevice> peer);

    /**
     * \brief Arrival event of a frame this device transmitted (runs in the peer's context).
     * \param frame the frame
     * \param epoch carrier epoch of the channel at acceptance
     */
    void Deliver(Ptr<Packet> frame, uint64_t epoch);

    /**
     * \brief A frame from the peer arrived: traces, then the frame handler.
     * \param frame the frame
     */
    void Receive(Ptr<Packet> frame);

    /**
     * \brief Forget the frames whose last bit left at or before \p now.
     * \param now current time in time steps
     */
    void Retire(int64_t now) const;

    /**
     * \param now current time in time steps (Retire(now) called)
     * \return the FIFO backlog in bytes at that time, rounded up
     */
    uint64_t BacklogAt(int64_t now) const;

    /// Recompute the cached rate constants after DataRate changed (rescales the remainders).
    void UpdateRateCache() const;

    /**
     * \param bytes frame size
     * \return serialisation time of the frame's wire size in time steps, rounded
     */
    int64_t TxTicks(uint32_t bytes) const;

    /// An exact instant: whole time steps plus rem / (bit rate) of a time step, rem < bit rate.
    struct ExactTime
    {
        int64_t ticks{0}; //!< whole time steps
        uint64_t rem{0};  //!< remainder, in 1/(bits per second) of a time step
    };

    /// A frame in the FIFO (waiting or being serialised).
    struct QueuedFrame
    {
        ExactTime end;   //!< exact time its last bit (of the gap, with the overhead) leaves
        uint32_t wire;   //!< its wire bytes
        uint32_t queued; //!< its FIFO bytes
    };

    /**
     * \param t an exact instant
     * \return it rounded to the nearest time step, ties down (the rounding of
     * DataRate::CalculateBytesTxTime)
     */
    int64_t Rounded(const ExactTime& t) const
    {
        return t.ticks + (t.rem > 0 && t.rem + (m_cachedBps - 1) / 2 >= m_cachedBps ? 1 : 0);
    }

    /// Append a frame to the ring of queued frames.
    void PushQueued(const QueuedFrame& frame)
    {
        if (m_ringSize == m_ring.size())
        {
            GrowRing();
        }
        m_ring[(m_ringHead + m_ringSize) & (m_ring.size() - 1)] = frame;
        ++m_ringSize;
        m_ringQueued += frame.queued;
    }

    /// Double the ring (a power of two), at a new peak of the backlog only.
    void GrowRing();

    Ptr<Node> m_node;                        //!< node the device is installed on
    Ptr<FabricChannel> m_channel;            //!< attached channel
    Ptr<FabricNetDevice> m_peer;             //!< other end of the channel
    Mac48Address m_address;                  //!< MAC address
    uint32_t m_ifIndex{0};                   //!< interface index on the node
    uint16_t m_mtu{9000};                    //!< largest payload (frame minus Ethernet header)
    DataRate m_bps;                          //!< line rate
    uint32_t m_queueBytes{1000000};          //!< transmit FIFO size
    bool m_layer1Overhead{true};             //!< preamble, padding, FCS and gap on the wire
    mutable ExactTime m_busyUntil;           //!< transmitter busy until (exact)
    mutable uint64_t m_cachedBps{0};         //!< bit rate the cached constants were computed for
    mutable uint64_t m_ticksPerSecond{0};    //!< time steps per second
    mutable std::vector<QueuedFrame> m_ring; //!< queued frames, oldest at m_ringHead
    mutable size_t m_ringHead{0};            //!< index of the oldest queued frame
    mutable size_t m_ringSize{0};            //!< number of queued frames
    mutable uint64_t m_ringQueued{0};        //!< FIFO bytes of the queued frames
    double m_silentDrop{0.0};                //!< silent-drop fraction on the transmit direction
    Time m_addedDelay;                       //!< added one-way delay on the transmit direction
    Ptr<UniformRandomVariable> m_dropRng;    //!< draws silent drops

    FrameHandler m_frameHandler;                         //!< handler of received frames
    NetDevice::ReceiveCallback m_rxCallback;             //!< standard receive callback
    NetDevice::PromiscReceiveCallback m_promiscCallback; //!< standard promiscuous callback
    TracedCallback<> m_linkChangeCallbacks;              //!< link change callbacks

    TracedCallback<Ptr<const Packet>, DropReason> m_dropTrace; //!< "Drop"
    TracedCallback<Ptr<const Packet>> m_wireTxTrace;           //!< "WireTx"
    TracedCallback<Ptr<const Packet>> m_wireRxTrace;           //!< "WireRx"
    TracedCallback<Ptr<const Packet>> m_snifferTrace;          //!< "Sniffer"
    TracedCallback<Ptr<const Packet>> m_promiscSnifferTrace;   //!< "PromiscSniffer"
};

} // namespace ns3

#endif
