#include "fabric-net-device.h"

#include "fabric-channel.h"

#include "ns3/abort.h"
#include "ns3/boolean.h"
#include "ns3/ethernet-header.h"
#include "ns3/log.h"
#include "ns3/node.h"
#include "ns3/simulator.h"
#include "ns3/trace-source-accessor.h"
#include "ns3/uinteger.h"

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("FabricNetDevice");

NS_OBJECT_ENSURE_REGISTERED(FabricNetDevice);

TypeId
FabricNetDevice::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::FabricNetDevice")
            .SetParent<NetDevice>()
            .SetGroupName("OverlayFabric")
            .AddConstructor<FabricNetDevice>()
            .AddAttribute("DataRate",
                          "Line rate of the transmit direction",
                          DataRateValue(DataRate("25Gbps")),
                          MakeDataRateAccessor(&FabricNetDevice::m_bps),
                          MakeDataRateChecker())
            .AddAttribute("Mtu",
                          "Largest frame payload (frame size minus the 14-byte Ethernet header)",
                          UintegerValue(9000),
                          MakeUintegerAccessor(&FabricNetDevice::m_mtu),
                          MakeUintegerChecker<uint16_t>(68))
            .AddAttribute("QueueBytes",
                          "Size of the transmit FIFO in bytes (frame being serialised included)",
                          UintegerValue(1000000),
                          MakeUintegerAccessor(&FabricNetDevice::m_queueBytes),
                          MakeUintegerChecker<uint32_t>(1))
            .AddAttribute("Layer1Overhead",
                          "Ethernet layer-1 overhead on the wire (IEEE 802.3 clauses 3 and 4): "
                          "preamble + SFD 8 bytes, padding to the 64-byte minimum frame, FCS 4 "
                          "bytes and inter-frame gap 12 bytes take wire time, and the FCS and "
                          "padding count in QueueBytes; the packet itself is not changed",
                          BooleanValue(true),
                          MakeBooleanAccessor(&FabricNetDevice::m_layer1Overhead),
                          MakeBooleanChecker())
            .AddTraceSource("Drop",
                            "A frame given to this device for transmission did not reach the peer",
                            MakeTraceSourceAccessor(&FabricNetDevice::m_dropTrace),
                            "ns3::FabricNetDevice::DropTracedCallback")
            .AddTraceSource("WireTx",
                            "A frame was accepted onto the link",
                            MakeTraceSourceAccessor(&FabricNetDevice::m_wireTxTrace),
                            "ns3::FabricNetDevice::FrameTracedCallback")
            .AddTraceSource("WireRx",
                            "A frame arrived from the link and was handed to the handler",
                            MakeTraceSourceAccessor(&FabricNetDevice::m_wireRxTrace),
                            "ns3::FabricNetDevice::FrameTracedCallback")
            .AddTraceSource("Sniffer",
                            "Whole Ethernet frame: transmitted (at acceptance) or received",
                            MakeTraceSourceAccessor(&FabricNetDevice::m_snifferTrace),
                            "ns3::FabricNetDevice::FrameTracedCallback")
            .AddTraceSource("PromiscSniffer",
                            "Whole Ethernet frame: transmitted (at acceptance) or received",
                            MakeTraceSourceAccessor(&FabricNetDevice::m_promiscSnifferTrace),
                            "ns3::FabricNetDevice::FrameTracedCallback");
    return tid;
}

FabricNetDevice::FabricNetDevice()
    : m_address(Mac48Address::Allocate()),
      m_dropRng(CreateObject<UniformRandomVariable>())
{
    NS_LOG_FUNCTION(this);
}

FabricNetDevice::~FabricNetDevice()
{
    NS_LOG_FUNCTION(this);
}

void
FabricNetDevice::DoDispose()
{
    NS_LOG_FUNCTION(this);
    m_node = nullptr;
    m_channel = nullptr;
    m_peer = nullptr;
    m_dropRng = nullptr;
    m_linkChangeCallbacks = TracedCallback<>();
    m_frameHandler = MakeNullCallback<void, Ptr<FabricNetDevice>, Ptr<Packet>>();
    m_rxCallback =
        MakeNullCallback<bool, Ptr<NetDevice>, Ptr<const Packet>, uint16_t, const Address&>();
    m_promiscCallback = MakeNullCallback<bool,
                                         Ptr<NetDevice>,
                                         Ptr<const Packet>,
                                         uint16_t,
                                         const Address&,
                                         const Address&,
                                         NetDevice::PacketType>();
    NetDevice::DoDispose();
}

bool
FabricNetDevice::Attach(Ptr<FabricChannel> channel)
{
    NS_LOG_FUNCTION(this << channel);
    if (!channel || m_channel)
    {
        return false;
    }
    m_channel = channel;
    if (!channel->Attach(this))
    {
        m_channel = nullptr;
        return false;
    }
    return true;
}

Ptr<FabricChannel>
FabricNetDevice::GetFabricChannel() const
{
    return m_channel;
}

Ptr<FabricNetDevice>
FabricNetDevice::GetPeer() const
{
    return m_peer;
}

void
FabricNetDevice::SetPeer(Ptr<FabricNetDevice> peer)
{
    m_peer = peer;
}

void
FabricNetDevice::SetFrameHandler(FrameHandler handler)
{
    NS_LOG_FUNCTION(this);
    m_frameHandler = handler;
}

void
FabricNetDevice::SetDataRate(DataRate rate)
{
    m_bps = rate;
}

DataRate
FabricNetDevice::GetDataRate() const
{
    return m_bps;
}

void
FabricNetDevice::SetQueueBytes(uint32_t bytes)
{
    m_queueBytes = bytes;
}

uint32_t
FabricNetDevice::GetQueueBytes() const
{
    return m_queueBytes;
}

void
FabricNetDevice::SetLayer1Overhead(bool on)
{
    m_layer1Overhead = on;
}

bool
FabricNetDevice::GetLayer1Overhead() const
{
    return m_layer1Overhead;
}

namespace
{

/**
 * \param num a numerator
 * \param den a denominator (> 0)
 * \param[out] rem num % den
 * \return num / den, with one 64-bit division when num fits in 64 bits (the usual case)
 */
inline unsigned __int128
DivMod(unsigned __int128 num, uint64_t den, uint64_t& rem)
{
    if ((num >> 64) == 0)
    {
        const uint64_t n = static_cast<uint64_t>(num);
        rem = n % den;
        return n / den;
    }
    rem = static_cast<uint64_t>(num % den);
    return num / den;
}

} // namespace

void
FabricNetDevice::UpdateRateCache() const
{
    const uint64_t old = m_cachedBps;
    m_cachedBps = m_bps.GetBitRate();
    m_ticksPerSecond = static_cast<uint64_t>(Seconds(1).GetTimeStep());
    NS_ABORT_MSG_IF(m_cachedBps == 0, "FabricNetDevice: DataRate must be positive");
    if (old == 0)
    {
        return;
    }
    // The remainders are in 1/old of a time step: rescale them, rounding the instants up.
    auto rescale = [this, old](ExactTime& t) {
        unsigned __int128 num = static_cast<unsigned __int128>(t.rem) * m_cachedBps + old - 1;
        uint64_t unused;
        t.rem = static_cast<uint64_t>(DivMod(num, old, unused));
        if (t.rem >= m_cachedBps)
        {
            t.ticks += 1;
            t.rem = 0;
        }
    };
    rescale(m_busyUntil);
    for (size_t i = 0; i < m_ringSize; ++i)
    {
        rescale(m_ring[(m_ringHead + i) & (m_ring.size() - 1)].end);
    }
}

int64_t
FabricNetDevice::TxTicks(uint32_t bytes) const
{
    if (m_bps.GetBitRate() != m_cachedBps)
    {
        UpdateRateCache();
    }
    // wire bytes * 8 / rate in time steps, ties rounded down: the same value as
    // DataRate::CalculateBytesTxTime without its 128-bit fixed-point division.
    unsigned __int128 num =
        static_cast<unsigned __int128>(GetWireBytes(bytes)) * 8u * m_ticksPerSecond;
    return static_cast<int64_t>((num + (m_cachedBps - 1) / 2) / m_cachedBps);
}

Time
FabricNetDevice::GetSerializationTime(uint32_t bytes) const
{
    return TimeStep(TxTicks(bytes));
}

uint64_t
FabricNetDevice::GetBacklogBytes() const
{
    if (m_bps.GetBitRate() != m_cachedBps)
    {
        UpdateRateCache();
    }
    const int64_t now = Simulator::Now().GetTimeStep();
    Retire(now);
    return BacklogAt(now);
}

void
FabricNetDevice::Retire(int64_t now) const
{
    while (m_ringSize > 0)
    {
        const QueuedFrame& f = m_ring[m_ringHead];
        if (f.end.ticks > now || (f.end.ticks == now && f.end.rem > 0))
        {
            return;
        }
        m_ringQueued -= f.queued;
        m_ringHead = (m_ringHead + 1) & (m_ring.size() - 1);
        --m_ringSize;
    }
}

uint64_t
FabricNetDevice::BacklogAt(int64_t now) const
{
    if (m_ringSize == 0)
    {
        return 0;
    }
    // Every frame after the oldest is still whole in the FIFO. The oldest has started (it
    // began at its acceptance or when the previous frame ended, both <= now): subtract the
    // bytes of it already on the wire, whole bytes only (a partly sent byte still occupies the
    // FIFO). Its wire time is preamble + SFD, then the queued bytes, then the gap.
    const QueuedFrame& f = m_ring[m_ringHead];
    const uint64_t perByte = 8u * m_ticksPerSecond; // 1/rate of a time step per byte
    const unsigned __int128 left =
        static_cast<unsigned __int128>(f.end.ticks - now) * m_cachedBps + f.end.rem;
    const unsigned __int128 wire = static_cast<unsigned __int128>(f.wire) * perByte;
    const unsigned __int128 lead =
        static_cast<unsigned __int128>(m_layer1Overhead ? PREAMBLE_SFD_SIZE : 0) * perByte;
    const unsigned __int128 elapsed = wire > left ? wire - left : 0;
    uint64_t unused;
    const unsigned __int128 sent = elapsed > lead ? DivMod(elapsed - lead, perByte, unused) : 0;
    return m_ringQueued - (sent < f.queued ? static_cast<uint64_t>(sent) : f.queued);
}

void
FabricNetDevice::GrowRing()
{
    std::vector<QueuedFrame> grown(m_ring.empty() ? 16 : 2 * m_ring.size());
    for (size_t i = 0; i < m_ringSize; ++i)
    {
        grown[i] = m_ring[(m_ringHead + i) & (m_ring.size() - 1)];
    }
    m_ring.swap(grown);
    m_ringHead = 0;
}

Time
FabricNetDevice::GetBusyUntil() const
{
    if (m_bps.GetBitRate() != m_cachedBps)
    {
        UpdateRateCache();
    }
    return TimeStep(Rounded(m_busyUntil));
}

void
FabricNetDevice::SetSilentDrop(double fraction)
{
    NS_LOG_FUNCTION(this << fraction);
    NS_ABORT_MSG_IF(fraction < 0.0 || fraction > 1.0,
                    "FabricNetDevice::SetSilentDrop: fraction must be in [0, 1], got " << fraction);
    m_silentDrop = fraction;
}

double
FabricNetDevice::GetSilentDrop() const
{
    return m_silentDrop;
}

void
FabricNetDevice::SetAddedDelay(Time delay)
{
    NS_LOG_FUNCTION(this << delay);
    NS_ABORT_MSG_IF(delay.IsStrictlyNegative(), "FabricNetDevice::SetAddedDelay: negative delay");
    m_addedDelay = delay;
}

Time
FabricNetDevice::GetAddedDelay() const
{
    return m_addedDelay;
}

int64_t
FabricNetDevice::AssignStreams(int64_t stream)
{
    m_dropRng->SetStream(stream);
    return 1;
}

bool
FabricNetDevice::Send(Ptr<Packet> packet, const Address& dest, uint16_t protocolNumber)
{
    EthernetHeader eth;
    eth.SetSource(m_address);
    eth.SetDestination(Mac48Address::ConvertFrom(dest));
    eth.SetLengthType(protocolNumber);
    packet->AddHeader(eth);
    return SendFrame(packet);
}

bool
FabricNetDevice::SendFrom(Ptr<Packet> packet,
                          const Address& source,
                          const Address& dest,
                          uint16_t protocolNumber)
{
    EthernetHeader eth;
    eth.SetSource(Mac48Address::ConvertFrom(source));
    eth.SetDestination(Mac48Address::ConvertFrom(dest));
    eth.SetLengthType(protocolNumber);
    packet->AddHeader(eth);
    return SendFrame(packet);
}

bool
FabricNetDevice::SendFrame(Ptr<Packet> frame)
{
    if (!m_channel || !m_peer || !m_channel->IsCarrierUp())
    {
        m_dropTrace(frame, DropReason::LINK_DOWN);
        return false;
    }
    const uint32_t size = frame->GetSize();
    if (size > static_cast<uint32_t>(m_mtu) + ETHERNET_HEADER_SIZE)
    {
        m_dropTrace(frame, DropReason::MTU_EXCEEDED);
        return false;
    }
    if (m_bps.GetBitRate() != m_cachedBps)
    {
        UpdateRateCache();
    }
    const int64_t now = Simulator::Now().GetTimeStep();
    const uint32_t queued = GetQueuedBytes(size);
    // Start at max(now, busyUntil), exactly; end after the wire bytes at the line rate, exactly.
    ExactTime end = m_busyUntil;
    if (end.ticks < now || (end.ticks == now && end.rem == 0))
    {
        // Idle (the usual case): every queued frame has left.
        if (queued > m_queueBytes)
        {
            m_dropTrace(frame, DropReason::QUEUE_OVERFLOW);
            return false;
        }
        m_ringHead = 0;
        m_ringSize = 0;
        m_ringQueued = 0;
        end = ExactTime{now, 0};
    }
    else
    {
        Retire(now);
        if (BacklogAt(now) + queued > m_queueBytes)
        {
            m_dropTrace(frame, DropReason::QUEUE_OVERFLOW);
            return false;
        }
    }
    const uint32_t wire = GetWireBytes(size);
    uint64_t rem;
    const unsigned __int128 steps =
        DivMod(static_cast<unsigned __int128>(end.rem) +
                   static_cast<unsigned __int128>(wire) * 8u * m_ticksPerSecond,
               m_cachedBps,
               rem);
    end.ticks += static_cast<int64_t>(steps);
    end.rem = rem;
    m_busyUntil = end;
    PushQueued(QueuedFrame{end, wire, queued});

    m_wireTxTrace(frame);
    m_snifferTrace(frame);
    m_promiscSnifferTrace(frame);

    // The arrival is at a whole time step: the exact end rounded to the nearest, ties down.
    const Time delay = TimeStep(Rounded(end) - now) + m_channel->GetDelay() + m_addedDelay;
    const uint32_t context = m_peer->m_node ? m_peer->m_node->GetId() : 0xffffffff;
    Simulator::ScheduleWithContext(context,
                                   delay,
                                   &FabricNetDevice::Deliver,
                                   this,
                                   frame,
                                   m_channel->GetEpoch());
    return true;
}

void
FabricNetDevice::Deliver(Ptr<Packet> frame, uint64_t epoch)
{
    // Frames lost on the link still leave it: WireRx first, then the Drop with the reason, so
    // that WireTx - WireRx counts exactly the frames on the wire.
    if (!m_channel || m_channel->GetEpoch() != epoch)
    {
        m_peer->m_wireRxTrace(frame);
        m_dropTrace(frame, DropReason::LINK_DOWN);
        return;
    }
    if (m_silentDrop > 0.0 && (m_silentDrop >= 1.0 || m_dropRng->GetValue() < m_silentDrop))
    {
        m_peer->m_wireRxTrace(frame);
        m_dropTrace(frame, DropReason::SILENT_DROP);
        return;
    }
    m_peer->Receive(frame);
}

void
FabricNetDevice::Receive(Ptr<Packet> frame)
{
    m_wireRxTrace(frame);
    m_snifferTrace(frame);
    m_promiscSnifferTrace(frame);
    if (!m_frameHandler.IsNull())
    {
        m_frameHandler(this, frame);
        return;
    }
    // No frame handler: behave like an ordinary Ethernet device.
    Ptr<Packet> copy = frame->Copy();
    EthernetHeader eth;
    copy->RemoveHeader(eth);
    Mac48Address dst = eth.GetDestination();
    NetDevice::PacketType type = NetDevice::PACKET_OTHERHOST;
    if (dst == m_address)
    {
        type = NetDevice::PACKET_HOST;
    }
    else if (dst.IsBroadcast())
    {
        type = NetDevice::PACKET_BROADCAST;
    }
    else if (dst.IsGroup())
    {
        type = NetDevice::PACKET_MULTICAST;
    }
    if (!m_promiscCallback.IsNull())
    {
        m_promiscCallback(this, copy, eth.GetLengthType(), eth.GetSource(), dst, type);
    }
    if (type != NetDevice::PACKET_OTHERHOST && !m_rxCallback.IsNull())
    {
        m_rxCallback(this, copy, eth.GetLengthType(), eth.GetSource());
    }
}

void
FabricNetDevice::CarrierChanged(bool up)
{
    NS_LOG_FUNCTION(this << up);
    if (!up)
    {
        // What the transmitter held is lost (reported LINK_DOWN at would-be arrival).
        const int64_t now = Simulator::Now().GetTimeStep();
        if (m_busyUntil.ticks > now || (m_busyUntil.ticks == now && m_busyUntil.rem > 0))
        {
            m_busyUntil = ExactTime{now, 0};
        }
        m_ringHead = 0;
        m_ringSize = 0;
        m_ringQueued = 0;
    }
}

void
FabricNetDevice::NotifyLinkChange()
{
    m_linkChangeCallbacks();
}

void
FabricNetDevice::SetIfIndex(const uint32_t index)
{
    m_ifIndex = index;
}

uint32_t
FabricNetDevice::GetIfIndex() const
{
    return m_ifIndex;
}

Ptr<Channel>
FabricNetDevice::GetChannel() const
{
    return m_channel;
}

void
FabricNetDevice::SetAddress(Address address)
{
    m_address = Mac48Address::ConvertFrom(address);
}

Address
FabricNetDevice::GetAddress() const
{
    return m_address;
}

bool
FabricNetDevice::SetMtu(const uint16_t mtu)
{
    if (mtu < 68)
    {
        return false;
    }
    m_mtu = mtu;
    return true;
}

uint16_t
FabricNetDevice::GetMtu() const
{
    return m_mtu;
}

bool
FabricNetDevice::IsLinkUp() const
{
    return m_channel && m_channel->IsCarrierUp();
}

void
FabricNetDevice::AddLinkChangeCallback(Callback<void> callback)
{
    m_linkChangeCallbacks.ConnectWithoutContext(callback);
}

bool
FabricNetDevice::IsBroadcast() const
{
    return true;
}

Address
FabricNetDevice::GetBroadcast() const
{
    return Mac48Address::GetBroadcast();
}

bool
FabricNetDevice::IsMulticast() const
{
    return true;
}

Address
FabricNetDevice::GetMulticast(Ipv4Address multicastGroup) const
{
    return Mac48Address::GetMulticast(multicastGroup);
}

Address
FabricNetDevice::GetMulticast(Ipv6Address addr) const
{
    return Mac48Address::GetMulticast(addr);
}

bool
FabricNetDevice::IsBridge() const
{
    return false;
}

bool
FabricNetDevice::IsPointToPoint() const
{
    return true;
}

Ptr<Node>
FabricNetDevice::GetNode() const
{
    return m_node;
}

void
FabricNetDevice::SetNode(Ptr<Node> node)
{
    m_node = node;
}

bool
FabricNetDevice::NeedsArp() const
{
    return false;
}

void
FabricNetDevice::SetReceiveCallback(NetDevice::ReceiveCallback cb)
{
    m_rxCallback = cb;
}

void
FabricNetDevice::SetPromiscReceiveCallback(NetDevice::PromiscReceiveCallback cb)
{
    m_promiscCallback = cb;
}

bool
FabricNetDevice::SupportsSendFrom() const
{
    return true;
}

} // namespace ns3
