#include "l2-lookup-stage.h"

#include "virtual-switch.h"
#include "vtep.h"

#include "ns3/log.h"

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("L2LookupStage");
NS_OBJECT_ENSURE_REGISTERED(L2LookupStage);

TypeId
L2LookupStage::GetTypeId()
{
    static TypeId tid = TypeId("ns3::L2LookupStage")
                            .SetParent<PortStage>()
                            .SetGroupName("OverlayFabric")
                            .AddConstructor<L2LookupStage>();
    return tid;
}

void
L2LookupStage::DoDispose()
{
    m_vtep = nullptr;
    PortStage::DoDispose();
}

void
L2LookupStage::SetVtep(Ptr<Vtep> vtep)
{
    m_vtep = vtep;
}

void
L2LookupStage::SetEntry(uint32_t vni, Mac48Address mac, Entry entry)
{
    uint8_t b[6];
    mac.CopyTo(b);
    m_table[Key{vni, PortContext::MacToInt(b)}] = entry;
}

uint32_t
L2LookupStage::GetSize() const
{
    return m_table.size();
}

PortVerdict
L2LookupStage::Process(PortContext& ctx)
{
    const Entry* e = Lookup(ctx.vni, ctx.dstMac);
    if (!e)
    {
        return PortVerdict::Drop(DropReason::UNKNOWN_DESTINATION);
    }
    if (e->local)
    {
        ctx.vswitch->DeliverToPort(e->index, ctx.frame);
    }
    else
    {
        m_vtep->Encapsulate(ctx.frame, ctx.vni, e->index, ctx.flowHash);
    }
    return PortVerdict::Consumed();
}

} // namespace ns3
