#include "vtep.h"

#include "encapsulation-strategy.h"
#include "fabric-net-device.h"
#include "geneve-header.h"
#include "host-cpu.h"
#include "host-nic.h"
#include "igmp-header.h"
#include "software-encapsulation.h"
#include "virtual-switch.h"
#include "vxlan-header.h"

#include "ns3/abort.h"
#include "ns3/enum.h"
#include "ns3/ipv4-header.h"
#include "ns3/log.h"
#include "ns3/packet.h"
#include "ns3/pointer.h"
#include "ns3/simulator.h"
#include "ns3/uinteger.h"

#include <algorithm>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("Vtep");
NS_OBJECT_ENSURE_REGISTERED(Vtep);

TypeId
Vtep::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::Vtep")
            .SetParent<Object>()
            .SetGroupName("OverlayFabric")
            .AddConstructor<Vtep>()
            .AddAttribute("Encapsulation",
                          "Tunnel protocol; the EncapsulationStrategy builds and parses it.",
                          EnumValue(Vtep::GENEVE),
                          MakeEnumAccessor(&Vtep::SetEncapsulation, &Vtep::GetEncapsulation),
                          MakeEnumChecker(Vtep::GENEVE, "geneve", Vtep::VXLAN, "vxlan"))
            .AddAttribute("EncapsulationStrategy",
                          "Who builds and parses the tunnel headers of the Encapsulation "
                          "protocol; by default a SoftwareEncapsulation of the VTEP's own.",
                          PointerValue(),
                          MakePointerAccessor(&Vtep::SetEncapsulationStrategy,
                                              &Vtep::GetEncapsulationStrategy),
                          MakePointerChecker<EncapsulationStrategy>())
            .AddAttribute("Ttl",
                          "Outer IPv4 TTL.",
                          UintegerValue(64),
                          MakeUintegerAccessor(&Vtep::m_ttl),
                          MakeUintegerChecker<uint8_t>(1))
            .AddTraceSource("Drop",
                            "A packet dropped by the VTEP, with the reason.",
                            MakeTraceSourceAccessor(&Vtep::m_dropTrace),
                            "ns3::Vtep::DropTracedCallback")
            .AddTraceSource("IgmpTx",
                            "An IGMP membership report sent (frame, uplink).",
                            MakeTraceSourceAccessor(&Vtep::m_igmpTxTrace),
                            "ns3::Vtep::IgmpTxTracedCallback")
            .AddTraceSource("UplinkTx",
                            "An encapsulated data packet handed to an uplink (packet, uplink).",
                            MakeTraceSourceAccessor(&Vtep::m_uplinkTxTrace),
                            "ns3::Vtep::UplinkTxTracedCallback")
            .AddTraceSource("CpuHold",
                            "A packet starts (true) or ends (false) its wait for the host CPU.",
                            MakeTraceSourceAccessor(&Vtep::m_cpuHoldTrace),
                            "ns3::Vtep::CpuHoldTracedCallback")
            .AddTraceSource("OamTx",
                            "An OAM packet handed to an uplink (the frame before its tunnel "
                            "headers, kind): fired before the host CPU, the encapsulation and "
                            "the NIC, so its size does not depend on which path builds them.",
                            MakeTraceSourceAccessor(&Vtep::m_oamTxTrace),
                            "ns3::Vtep::OamTxTracedCallback");
    return tid;
}

Vtep::Vtep()
    : m_mac(Mac48Address::Allocate()),
      m_strategy(CreateObject<SoftwareEncapsulation>())
{
}

void
Vtep::DoDispose()
{
    m_vswitch = nullptr;
    m_selector = nullptr;
    m_strategy = nullptr;
    m_cpu = nullptr;
    m_uplinks.clear();
    for (const Ptr<HostNic>& nic : m_nics)
    {
        nic->Dispose(); // it points back at this VTEP
    }
    m_nics.clear();
    m_oamHandler = OamHandler();
    m_servicePlane = ServicePlaneHandler();
    Object::DoDispose();
}

void
Vtep::SetLocalAddress(Ipv4Address address)
{
    m_address = address;
}

Ipv4Address
Vtep::GetLocalAddress() const
{
    return m_address;
}

void
Vtep::SetVirtualSwitch(Ptr<VirtualSwitch> vswitch)
{
    m_vswitch = vswitch;
}

void
Vtep::SetUplinkSelector(Ptr<UplinkSelector> selector)
{
    NS_ABORT_MSG_IF(m_uplinks.empty() || !m_tunnels.empty(),
                    "set the selector after the uplinks and before the tunnels");
    m_selector = selector;
    m_selector->SetUplinkCount(m_uplinks.size());
    for (uint32_t i = 0; i < m_uplinks.size(); ++i)
    {
        m_selector->SetCarrier(i, m_nics[i]->IsLinkUp());
    }
}

Mac48Address
Vtep::GetMacAddress() const
{
    return m_mac;
}

uint32_t
Vtep::AddTunnel(Ipv4Address remote)
{
    auto it = m_tunnelOf.find(remote.Get());
    if (it != m_tunnelOf.end())
    {
        return it->second;
    }
    NS_ABORT_MSG_IF(!m_selector, "set the uplink selector before adding tunnels");
    uint32_t index = m_selector->AddTunnel();
    NS_ASSERT(index == m_tunnels.size());
    m_tunnels.push_back(remote);
    m_tunnelOf[remote.Get()] = index;
    return index;
}

uint32_t
Vtep::GetTunnelCount() const
{
    return m_tunnels.size();
}

Ipv4Address
Vtep::GetTunnelRemote(uint32_t tunnel) const
{
    return m_tunnels.at(tunnel);
}

void
Vtep::SetOamHandler(OamHandler handler)
{
    m_oamHandler = handler;
}

Ptr<UplinkSelector>
Vtep::GetUplinkSelector() const
{
    return m_selector;
}

const std::vector<Ptr<FabricNetDevice>>&
Vtep::GetUplinks() const
{
    return m_uplinks;
}

Ptr<HostNic>
Vtep::GetNic(uint32_t uplink) const
{
    return m_nics.at(uplink);
}

void
Vtep::SetEncapsulation(Encap encap)
{
    m_encap = encap;
    m_strategy->SetProtocol(encap);
}

uint16_t
Vtep::TunnelUdpPort(Encap encap)
{
    return encap == GENEVE ? GeneveHeader::UDP_PORT : VxlanHeader::UDP_PORT;
}

Vtep::Encap
Vtep::GetEncapsulation() const
{
    return m_encap;
}

void
Vtep::SetEncapsulationStrategy(Ptr<EncapsulationStrategy> strategy)
{
    m_strategy = strategy;
    if (!m_strategy)
    {
        m_strategy = CreateObject<SoftwareEncapsulation>();
    }
    m_strategy->SetProtocol(m_encap);
}

Ptr<EncapsulationStrategy>
Vtep::GetEncapsulationStrategy() const
{
    return m_strategy;
}

uint32_t
Vtep::AddUplink(Ptr<FabricNetDevice> uplink)
{
    Ptr<HostNic> nic = CreateObject<HostNic>();
    nic->SetDevice(uplink);
    return AddNic(nic);
}

uint32_t
Vtep::AddNic(Ptr<HostNic> nic)
{
    NS_ABORT_MSG_IF(!nic->GetDevice(), "attach the NIC to its uplink device first");
    uint32_t index = m_nics.size();
    m_nics.push_back(nic);
    m_uplinks.push_back(nic->GetDevice());
    nic->SetVtep(this, index);
    nic->AddLinkChangeCallback(MakeBoundCallback(
        +[](Vtep* vtep, uint32_t i) { vtep->CarrierChanged(i); },
        this,
        index));
    return index;
}

void
Vtep::SetHostCpu(Ptr<HostCpu> cpu)
{
    m_cpu = cpu;
}

Ptr<HostCpu>
Vtep::GetHostCpu() const
{
    return m_cpu;
}

void
Vtep::ReplaceNic(uint32_t uplink, Ptr<HostNic> nic)
{
    NS_ABORT_MSG_IF(uplink >= m_nics.size(), "no uplink " << uplink);
    // The carrier callback stays: it was registered on the device, bound to this VTEP and index.
    nic->SetDevice(m_uplinks[uplink]);
    nic->SetVtep(this, uplink);
    m_nics[uplink]->Dispose();
    m_nics[uplink] = nic;
}

void
Vtep::CarrierChanged(uint32_t uplink)
{
    bool up = m_nics[uplink]->IsLinkUp();
    NS_LOG_INFO(m_address << " uplink " << uplink << (up ? " carrier up" : " carrier lost"));
    m_selector->SetCarrier(uplink, up);
    if (m_groups.empty())
    {
        return;
    }
    if ((!up && uplink == m_multicastUplink) ||
        (up && m_multicastUplink == UplinkSelector::NO_UPLINK))
    {
        m_multicastUplink = FirstUplinkWithCarrier();
        if (m_multicastUplink != UplinkSelector::NO_UPLINK)
        {
            SendReports(m_multicastUplink);
        }
    }
}

uint32_t
Vtep::FirstUplinkWithCarrier() const
{
    for (uint32_t u = 0; u < m_nics.size(); ++u)
    {
        if (m_nics[u]->IsLinkUp())
        {
            return u;
        }
    }
    return UplinkSelector::NO_UPLINK;
}

uint32_t
Vtep::GetMulticastUplink() const
{
    return m_multicastUplink == UplinkSelector::NO_UPLINK ? FirstUplinkWithCarrier()
                                                          : m_multicastUplink;
}

void
Vtep::JoinGroup(Ipv4Address group)
{
    NS_ABORT_MSG_IF(!group.IsMulticast(), group << " is not a multicast address");
    auto pos = std::lower_bound(m_groups.begin(), m_groups.end(), group.Get());
    if (pos != m_groups.end() && *pos == group.Get())
    {
        return;
    }
    m_groups.insert(pos, group.Get());
    if (m_multicastUplink == UplinkSelector::NO_UPLINK)
    {
        m_multicastUplink = FirstUplinkWithCarrier();
    }
    if (m_multicastUplink == UplinkSelector::NO_UPLINK)
    {
        return; // reported when an uplink gets carrier
    }
    const IgmpHeader igmp = IgmpHeader::V3Report({{IgmpHeader::CHANGE_TO_EXCLUDE_MODE, group, {}}});
    SendIgmp(igmp, m_multicastUplink);
}

void
Vtep::SendReports(uint32_t uplink)
{
    std::vector<IgmpHeader::GroupRecord> records;
    for (uint32_t g : m_groups)
    {
        records.push_back({IgmpHeader::CHANGE_TO_EXCLUDE_MODE, Ipv4Address(g), {}});
    }
    SendIgmp(IgmpHeader::V3Report(std::move(records)), uplink);
}

void
Vtep::SendIgmp(const IgmpHeader& igmp, uint32_t uplink)
{
    // RFC 3376 section 4: to 224.0.0.22, TTL 1, IP precedence Internetwork Control.
    const Ipv4Address allRouters("224.0.0.22");
    Ptr<Packet> p = Create<Packet>();
    p->AddHeader(igmp);
    Ipv4Header ip;
    ip.SetSource(m_address);
    ip.SetDestination(allRouters);
    ip.SetProtocol(2);
    ip.SetTtl(1);
    ip.SetTos(0xc0);
    ip.SetIdentification(m_ipId++);
    ip.SetPayloadSize(igmp.GetSerializedSize());
    ip.EnableChecksum();
    p->AddHeader(ip);
    m_igmpTxTrace(p, uplink);
    m_nics[uplink]->SendMulticast(p, allRouters);
}

void
Vtep::SendToGroup(Ptr<Packet> frame, uint32_t vni, Ipv4Address group, uint32_t innerFlowHash)
{
    const uint32_t uplink = GetMulticastUplink();
    if (uplink == UplinkSelector::NO_UPLINK)
    {
        Drop(frame, DropReason::NO_UPLINK);
        return;
    }
    const TunnelTxInfo tx{m_address,
                          group,
                          vni,
                          false,
                          innerFlowHash,
                          m_ttl,
                          m_ipId++,
                          NO_TUNNEL,
                          uplink,
                          false,
                          0,
                          true};
    SendTx(frame, tx);
}

void
Vtep::Drop(Ptr<const Packet> packet, DropReason reason)
{
    NS_LOG_LOGIC("drop " << ToString(reason));
    m_dropTrace(packet, reason);
}

void
Vtep::Encapsulate(Ptr<Packet> frame, uint32_t vni, uint32_t tunnel, uint32_t innerFlowHash)
{
    SendData(frame, vni, tunnel, innerFlowHash, false);
}

void
Vtep::EncapsulateNsh(Ptr<Packet> packet, uint32_t vni, uint32_t tunnel, uint32_t innerFlowHash)
{
    SendData(packet, vni, tunnel, innerFlowHash, true);
}

void
Vtep::EncapsulateHeadEnd(Ptr<Packet> frame, uint32_t vni, uint32_t tunnel, uint32_t innerFlowHash)
{
    SendData(frame, vni, tunnel, innerFlowHash, false, true);
}

void
Vtep::SendData(Ptr<Packet> frame,
               uint32_t vni,
               uint32_t tunnel,
               uint32_t innerFlowHash,
               bool nsh,
               bool headEnd)
{
    uint32_t uplink = m_selector->Select(tunnel, innerFlowHash);
    if (uplink == UplinkSelector::NO_UPLINK)
    {
        Drop(frame, DropReason::NO_UPLINK);
        return;
    }
    SendOn(frame,
           vni,
           false,
           tunnel,
           uplink,
           m_selector->PathFlowHash(tunnel, uplink, innerFlowHash),
           nsh,
           headEnd);
}

void
Vtep::SendOam(Ptr<Packet> frame, uint32_t tunnel, uint32_t uplink, uint32_t flowHash, OamKind kind)
{
    if (uplink == UplinkSelector::NO_UPLINK)
    {
        uplink = m_selector->Select(tunnel, flowHash);
        if (uplink == UplinkSelector::NO_UPLINK)
        {
            Drop(frame, DropReason::NO_UPLINK);
            return;
        }
    }
    m_oamTxTrace(frame, kind);
    SendOn(frame, 0, true, tunnel, uplink, flowHash);
}

void
Vtep::SendOn(Ptr<Packet> frame,
             uint32_t vni,
             bool oam,
             uint32_t tunnel,
             uint32_t uplink,
             uint32_t flowHash,
             bool nsh,
             bool headEnd)
{
    const TunnelTxInfo tx{m_address,
                          m_tunnels[tunnel],
                          vni,
                          oam,
                          flowHash,
                          m_ttl,
                          m_ipId++,
                          tunnel,
                          uplink,
                          nsh,
                          0,
                          headEnd};
    SendTx(frame, tx);
}

void
Vtep::SendTx(Ptr<Packet> frame, const TunnelTxInfo& tx)
{
    if (m_cpu)
    {
        const Time done = m_cpu->Admit(tx.flowHash, m_strategy->TransmitCycles(*m_cpu, tx));
        if (done.IsNegative())
        {
            Drop(frame, DropReason::CPU_BACKLOG);
            return;
        }
        m_cpuHoldTrace(frame, true);
        Simulator::Schedule(done, &Vtep::TransmitAfterCpu, this, frame, tx);
        return;
    }
    Transmit(frame, tx);
}

void
Vtep::TransmitAfterCpu(Ptr<Packet> frame, const TunnelTxInfo& tx)
{
    m_cpuHoldTrace(frame, false);
    Transmit(frame, tx);
}

void
Vtep::DispatchAfterCpu(uint32_t uplink, const TunnelRxInfo& rx, Ptr<Packet> frame)
{
    m_cpuHoldTrace(frame, false);
    Dispatch(uplink, rx, frame);
}

void
Vtep::Transmit(const Ptr<Packet>& frame, const TunnelTxInfo& tx)
{
    const Ptr<HostNic>& nic = m_nics[tx.uplink];
    m_strategy->Encapsulate(frame, tx, nic);
    if (!tx.oam)
    {
        m_uplinkTxTrace(frame, tx.uplink);
    }
    // The device reports its own drops (carrier, queue, MTU, faults) through its Drop trace.
    if (tx.headEnd && tx.destination.IsMulticast())
    {
        nic->SendMulticast(frame, tx.destination);
        return;
    }
    nic->Send(frame);
}

void
Vtep::Receive(uint32_t uplink, Ptr<Packet> frame)
{
    TunnelRxInfo rx;
    if (!m_strategy->Decapsulate(frame, m_address, m_nics[uplink], rx))
    {
        // Not to this VTEP: to a group it joined? (Only after the unicast test failed.)
        const bool joined = rx.reason == DropReason::NOT_FOR_US && !m_groups.empty() &&
                            std::binary_search(m_groups.begin(), m_groups.end(), rx.destination);
        if (!joined ||
            !m_strategy->Decapsulate(frame, Ipv4Address(rx.destination), m_nics[uplink], rx))
        {
            Drop(frame, rx.reason);
            return;
        }
        if (rx.source == m_address.Get())
        {
            Drop(frame, DropReason::NOT_FOR_US); // its own, back through another leaf
            return;
        }
    }
    if (m_cpu)
    {
        const Time done =
            m_cpu->Admit(rx.entropy, m_strategy->ReceiveCycles(*m_cpu, m_nics[uplink]));
        if (done.IsNegative())
        {
            Drop(frame, DropReason::CPU_BACKLOG);
            return;
        }
        m_cpuHoldTrace(frame, true);
        Simulator::Schedule(done, &Vtep::DispatchAfterCpu, this, uplink, rx, frame);
        return;
    }
    Dispatch(uplink, rx, frame);
}

void
Vtep::Dispatch(uint32_t uplink, const TunnelRxInfo& rx, const Ptr<Packet>& frame)
{
    if (rx.oam || rx.vni == 0)
    {
        // Monitoring only: never handed to the virtual switch, so no VM sees it.
        auto tunnel = m_tunnelOf.find(rx.source);
        if (tunnel == m_tunnelOf.end() || m_oamHandler.IsNull())
        {
            Drop(frame, DropReason::NOT_FOR_US);
            return;
        }
        m_oamHandler(tunnel->second, uplink, frame);
        return;
    }
    if (rx.nsh)
    {
        if (m_servicePlane.IsNull())
        {
            Drop(frame, DropReason::NOT_FOR_US);
            return;
        }
        m_servicePlane(rx.vni, Ipv4Address(rx.source), frame);
        return;
    }
    m_vswitch->FromTunnel(rx.vni, frame);
}

void
Vtep::SetServicePlaneHandler(ServicePlaneHandler handler)
{
    m_servicePlane = handler;
}

uint32_t
Vtep::FindTunnel(Ipv4Address remote) const
{
    auto t = m_tunnelOf.find(remote.Get());
    return t == m_tunnelOf.end() ? NO_TUNNEL : t->second;
}

} // namespace ns3
