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
 * The device keeps the time its transmitter is busy until (busyUntil). A frame accepted at `now`
 * starts at max(now, busyUntil), ends after size*8/DataRate (rounded to the time resolution the
 * way DataRate::CalculateBytesTxTime rounds), and arrives at the peer after the channel delay plus
 * any added-delay fault: the only event scheduled for the hop is the arrival. There is no queue
 * object: the FIFO backlog in bytes is derived from (busyUntil - now) * DataRate, rounded up, and
 * counts the untransmitted part of the frame being serialised as well as the waiting frames. A
 * frame is dropped with QUEUE_OVERFLOW when backlog + frame size > QueueBytes. This gives exact
 * FIFO drop-tail timing (every frame leaves exactly when a FIFO drop-tail queue would send it)
 * without per-packet queue work; what it does not model is anything but FIFO (no priorities, no
 * queue discipline, no flow control).
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

    /// \return the bytes waiting or being serialised now (derived from busyUntil)
    uint64_t GetBacklogBytes() const;

    /// \return the time the transmitter is busy until (<= now when idle)
    Time GetBusyUntil() const;

    /**
     * \brief Serialisation time of a frame at the device's rate, rounded like
     * DataRate::CalculateBytesTxTime.
     * \param bytes frame size
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
     * \param now current time in time steps
     * \return the backlog in bytes at that time, rounded up
     */
    uint64_t BacklogAt(int64_t now) const;

    /// Recompute the cached rate constants after DataRate changed.
    void UpdateRateCache() const;

    /**
     * \param bytes frame size
     * \return serialisation time in time steps
     */
    int64_t TxTicks(uint32_t bytes) const;

    Ptr<Node> m_node;                     //!< node the device is installed on
    Ptr<FabricChannel> m_channel;         //!< attached channel
    Ptr<FabricNetDevice> m_peer;          //!< other end of the channel
    Mac48Address m_address;               //!< MAC address
    uint32_t m_ifIndex{0};                //!< interface index on the node
    uint16_t m_mtu{9000};                 //!< largest payload (frame minus Ethernet header)
    DataRate m_bps;                       //!< line rate
    uint32_t m_queueBytes{1000000};       //!< transmit FIFO size
    int64_t m_busyUntil{0};               //!< transmitter busy until (time steps)
    mutable uint64_t m_cachedBps{0};      //!< bit rate the cached constants were computed for
    mutable uint64_t m_ticksPerSecond{0}; //!< time steps per second
    double m_silentDrop{0.0};             //!< silent-drop fraction on the transmit direction
    Time m_addedDelay;                    //!< added one-way delay on the transmit direction
    Ptr<UniformRandomVariable> m_dropRng; //!< draws silent drops

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
