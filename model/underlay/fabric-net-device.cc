#include "fabric-net-device.h"

#include "fabric-channel.h"

#include "ns3/abort.h"
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
FabricNetDevice::UpdateRateCache() const
{
    m_cachedBps = m_bps.GetBitRate();
    m_ticksPerSecond = static_cast<uint64_t>(Seconds(1).GetTimeStep());
    NS_ABORT_MSG_IF(m_cachedBps == 0, "FabricNetDevice: DataRate must be positive");
}

int64_t
FabricNetDevice::TxTicks(uint32_t bytes) const
{
    if (m_bps.GetBitRate() != m_cachedBps)
    {
        UpdateRateCache();
    }
    // bytes * 8 / rate in time steps, ties rounded down: the same value as
    // DataRate::CalculateBytesTxTime without its 128-bit fixed-point division.
    unsigned __int128 num = static_cast<unsigned __int128>(bytes) * 8u * m_ticksPerSecond;
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
    return BacklogAt(Simulator::Now().GetTimeStep());
}

uint64_t
FabricNetDevice::BacklogAt(int64_t now) const
{
    if (m_busyUntil <= now)
    {
        return 0;
    }
    if (m_bps.GetBitRate() != m_cachedBps)
    {
        UpdateRateCache();
    }
    // Rounded up: a partly serialised byte still occupies the queue.
    unsigned __int128 bits = static_cast<unsigned __int128>(m_busyUntil - now) * m_cachedBps;
    unsigned __int128 den = static_cast<unsigned __int128>(m_ticksPerSecond) * 8u;
    return static_cast<uint64_t>((bits + den - 1) / den);
}

Time
FabricNetDevice::GetBusyUntil() const
{
    return TimeStep(m_busyUntil);
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
    const int64_t now = Simulator::Now().GetTimeStep();
    if (BacklogAt(now) + size > m_queueBytes)
    {
        m_dropTrace(frame, DropReason::QUEUE_OVERFLOW);
        return false;
    }
    const int64_t start = m_busyUntil > now ? m_busyUntil : now;
    m_busyUntil = start + TxTicks(size);

    m_wireTxTrace(frame);
    m_snifferTrace(frame);
    m_promiscSnifferTrace(frame);

    const Time delay = TimeStep(m_busyUntil - now) + m_channel->GetDelay() + m_addedDelay;
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
        if (m_busyUntil > now)
        {
            m_busyUntil = now;
        }
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
