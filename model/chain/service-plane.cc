#include "service-plane.h"

#include "five-tuple.h"
#include "service-classifier.h"
#include "service-proxy.h"
#include "virtual-switch.h"
#include "vtep.h"

#include "ns3/abort.h"
#include "ns3/log.h"

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("ServicePlane");
NS_OBJECT_ENSURE_REGISTERED(ServicePlane);

TypeId
ServicePlane::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::ServicePlane")
            .SetParent<Object>()
            .SetGroupName("OverlayFabric")
            .AddConstructor<ServicePlane>()
            .AddTraceSource("Drop",
                            "A service-plane packet dropped on this host, with the reason.",
                            MakeTraceSourceAccessor(&ServicePlane::m_dropTrace),
                            "ns3::ServicePlane::DropTracedCallback")
            .AddTraceSource("Delivered",
                            "A packet left its service path here, towards its destination.",
                            MakeTraceSourceAccessor(&ServicePlane::m_deliveredTrace),
                            "ns3::ServicePlane::DeliveredTracedCallback");
    return tid;
}

void
ServicePlane::DoDispose()
{
    m_vswitch = nullptr;
    m_vtep = nullptr;
    m_classifier = nullptr;
    m_hops.clear();
    Object::DoDispose();
}

void
ServicePlane::Attach(Ptr<VirtualSwitch> vswitch, Ptr<Vtep> vtep)
{
    m_vswitch = vswitch;
    m_vtep = vtep;
    m_vtep->SetServicePlaneHandler(MakeCallback(&ServicePlane::FromTunnel, this));
}

Ipv4Address
ServicePlane::GetLocalAddress() const
{
    return m_vtep->GetLocalAddress();
}

void
ServicePlane::AddLocalHop(uint32_t spi, uint8_t si, Ptr<ServiceProxy> proxy)
{
    NS_ABORT_MSG_IF(!proxy, "null proxy");
    m_hops[Key(spi, si)] = Hop{proxy, 0};
}

void
ServicePlane::AddRemoteHop(uint32_t spi, uint8_t si, Ipv4Address host)
{
    m_hops[Key(spi, si)] = Hop{nullptr, m_vtep->AddTunnel(host)};
}

void
ServicePlane::AddSourceHost(Ipv4Address host)
{
    if (host != GetLocalAddress())
    {
        m_vtep->AddTunnel(host);
    }
}

void
ServicePlane::SetPathEnd(uint32_t spi, uint8_t endSi, bool orthogonal)
{
    m_ends[spi] = PathEnd{endSi, orthogonal};
}

void
ServicePlane::SetClassifier(Ptr<ServiceClassifier> classifier)
{
    m_classifier = classifier;
}

void
ServicePlane::Drop(Ptr<const Packet> packet, DropReason reason)
{
    NS_LOG_LOGIC("drop " << ToString(reason));
    m_dropTrace(packet, reason);
}

uint32_t
ServicePlane::InnerFlowHash(Ptr<const Packet> inner)
{
    FiveTuple key;
    return ParseFiveTuple(inner, key) ? FlowEntropy(key) : 0;
}

void
ServicePlane::Forward(Ptr<Packet> inner, const NshHeader& nsh, uint32_t flowHash)
{
    auto hop = m_hops.find(Key(nsh.GetSpi(), nsh.GetServiceIndex()));
    if (hop != m_hops.end())
    {
        if (hop->second.proxy)
        {
            hop->second.proxy->FromServicePlane(inner, nsh, flowHash);
        }
        else
        {
            SendTo(hop->second.tunnel, inner, nsh, flowHash);
        }
        return;
    }
    auto end = m_ends.find(nsh.GetSpi());
    if (end == m_ends.end() || end->second.si != nsh.GetServiceIndex())
    {
        Drop(inner, DropReason::NO_SERVICE_HOP);
        return;
    }
    if (end->second.orthogonal && nsh.GetSourceVtep() != GetLocalAddress())
    {
        ToSourceHost(inner, nsh, flowHash);
        return;
    }
    // The path is done: the frame, without its NSH, goes on as the L2 lookup sends it.
    m_deliveredTrace(inner, nsh.GetSpi());
    m_vswitch->ForwardOnSegment(nsh.GetSourceVni(), inner, flowHash);
}

void
ServicePlane::Reflect(Ptr<Packet> inner, NshHeader nsh, uint32_t flowHash)
{
    nsh.SetAction(NshHeader::ACTION_FAILED);
    nsh.ClearLiveness();
    ToSourceHost(inner, nsh, flowHash);
}

void
ServicePlane::ToSourceHost(Ptr<Packet> inner, const NshHeader& nsh, uint32_t flowHash)
{
    if (nsh.GetSourceVtep() == GetLocalAddress())
    {
        if (nsh.GetAction() == NshHeader::ACTION_FAILED && m_classifier)
        {
            m_classifier->Reflected(inner, nsh, flowHash);
            return;
        }
        Forward(inner, nsh, flowHash);
        return;
    }
    const uint32_t tunnel = m_vtep->FindTunnel(nsh.GetSourceVtep());
    if (tunnel == Vtep::NO_TUNNEL)
    {
        Drop(inner, DropReason::NO_SERVICE_HOP);
        return;
    }
    SendTo(tunnel, inner, nsh, flowHash);
}

void
ServicePlane::SendTo(uint32_t tunnel, Ptr<Packet> inner, const NshHeader& nsh, uint32_t flowHash)
{
    inner->AddHeader(nsh);
    m_vtep->EncapsulateNsh(inner, nsh.GetSourceVni(), tunnel, flowHash);
}

void
ServicePlane::FromTunnel(uint32_t vni, Ipv4Address from, Ptr<Packet> packet)
{
    NshHeader nsh;
    if (packet->RemoveHeader(nsh) == 0 || nsh.GetNextProtocol() != NshHeader::NEXT_ETHERNET)
    {
        Drop(packet, DropReason::MALFORMED);
        return;
    }
    const uint32_t flowHash = InnerFlowHash(packet);
    if (nsh.GetAction() == NshHeader::ACTION_FAILED)
    {
        ToSourceHost(packet, nsh, flowHash);
        return;
    }
    Forward(packet, nsh, flowHash);
}

} // namespace ns3
