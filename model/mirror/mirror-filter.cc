#include "mirror-filter.h"

namespace ns3
{

NS_OBJECT_ENSURE_REGISTERED(MirrorFilter);

TypeId
MirrorFilter::GetTypeId()
{
    static TypeId tid = TypeId("ns3::MirrorFilter")
                            .SetParent<PortStage>()
                            .SetGroupName("OverlayFabric")
                            .AddConstructor<MirrorFilter>();
    return tid;
}

void
MirrorFilter::Configure(Ptr<MirroredPacketList> list, bool received, bool transmitted)
{
    m_list = list;
    m_received = received;
    m_transmitted = transmitted;
}

PortVerdict
MirrorFilter::Process(PortContext& ctx)
{
    if (m_transmitted)
    {
        m_list->Add(ctx.frame, MirrorTag::TRANSMITTED);
    }
    return PortVerdict::Continue();
}

void
MirrorFilter::Received(Ptr<const Packet> frame)
{
    if (m_received)
    {
        m_list->Add(frame, MirrorTag::RECEIVED);
    }
}

void
MirrorFilter::DoDispose()
{
    m_list = nullptr;
    PortStage::DoDispose();
}

} // namespace ns3
