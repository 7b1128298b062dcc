#include "offload-encapsulation.h"

#include "host-cpu.h"
#include "offload-nic.h"
#include "software-encapsulation.h"

#include "ns3/log.h"

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("OffloadEncapsulation");
NS_OBJECT_ENSURE_REGISTERED(OffloadEncapsulation);

namespace
{
/// The VTEP's NICs are OffloadNics (the helper installs them together): no cast check per packet.
OffloadNic*
AsOffloadNic(const Ptr<HostNic>& nic)
{
    NS_ASSERT_MSG(DynamicCast<OffloadNic>(nic), "OffloadEncapsulation on a plain HostNic");
    return static_cast<OffloadNic*>(PeekPointer(nic));
}
} // namespace

TypeId
OffloadEncapsulation::GetTypeId()
{
    static TypeId tid = TypeId("ns3::OffloadEncapsulation")
                            .SetParent<EncapsulationStrategy>()
                            .SetGroupName("OverlayFabric")
                            .AddConstructor<OffloadEncapsulation>();
    return tid;
}

OffloadEncapsulation::OffloadEncapsulation() = default;

void
OffloadEncapsulation::DoDispose()
{
    m_host = nullptr;
    EncapsulationStrategy::DoDispose();
}

void
OffloadEncapsulation::SetHostTable(Ptr<HostMappingTable> host)
{
    m_host = host;
}

void
OffloadEncapsulation::SetNicOam(bool nicOam)
{
    m_nicOam = nicOam;
}

uint64_t
OffloadEncapsulation::GetTagged() const
{
    return m_tagged;
}

void
OffloadEncapsulation::Encapsulate(Ptr<Packet> frame,
                                  const TunnelTxInfo& tx,
                                  const Ptr<HostNic>& nic)
{
    if (tx.nsh || tx.headEnd || (tx.oam && !m_nicOam))
    {
        SoftwareEncapsulation::AddTunnelHeaders(frame, tx, m_protocol);
        return;
    }
    ++m_tagged;
    AsOffloadNic(nic)->TagForEncapsulation(tx);
}

uint32_t
OffloadEncapsulation::TransmitCycles(const HostCpu& cpu, const TunnelTxInfo& tx) const
{
    return cpu.TransmitCycles(!tx.nsh && !tx.headEnd && (!tx.oam || m_nicOam));
}

uint32_t
OffloadEncapsulation::ReceiveCycles(const HostCpu& cpu, const Ptr<HostNic>& nic) const
{
    const OffloadNic::RxDescriptor& d = AsOffloadNic(nic)->GetRxDescriptor();
    if (d.aggregated)
    {
        return 0; // the aggregate's first segment paid for it (LRO)
    }
    return d.decapsulated ? cpu.ReceiveCycles(true, d.learn) : cpu.ReceiveCycles(false, true);
}

bool
OffloadEncapsulation::Decapsulate(Ptr<Packet> frame,
                                  Ipv4Address local,
                                  const Ptr<HostNic>& nic,
                                  TunnelRxInfo& rx)
{
    const OffloadNic::RxDescriptor& d = AsOffloadNic(nic)->GetRxDescriptor();
    if (d.learn && m_host)
    {
        // The outer source MAC: in a routed underlay the last router's, used only for VTEPs on
        // the source VTEP's subnet (OffloadNic, paragraph 0069). A VF's frame the NIC could not
        // validate is learned from, then refused (Fig. 15, 1540).
        m_host->Learn(d.rx.vni,
                      NicMappingTable::IntToMac(d.innerSource),
                      VtepMapping{Ipv4Address(d.rx.source), d.sourceMac});
    }
    if (d.refused)
    {
        rx.reason = d.rx.reason;
        return false;
    }
    if (!d.decapsulated)
    {
        return SoftwareEncapsulation::StripTunnelHeaders(frame, local, m_protocol, rx);
    }
    rx = d.rx;
    return true;
}

} // namespace ns3
