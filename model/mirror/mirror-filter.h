#ifndef OVERLAY_FABRIC_MIRROR_FILTER_H
#define OVERLAY_FABRIC_MIRROR_FILTER_H

#include "mirrored-packet-list.h"
#include "port-stage.h"

#include "ns3/packet.h"
#include "ns3/ptr.h"

namespace ns3
{

/**
 * \ingroup overlay-fabric
 * \brief The mirroring filter of a mirror session on one host (seed 003 filter 105, paragraphs
 * 0032, 0044-0045, 0054): it intercepts the packets received at or transmitted from the
 * session's mirrored ports, clones them and adds the clones to the session's mirrored-packet list
 * on this host; the original goes on unchanged.
 *
 * Transmitted: Process() is the first stage of each mirrored port's pipeline (before ARP
 * suppression, so that the clone is the frame exactly as the VM sent it, ARP included) and always
 * returns CONTINUE. Received: Received() is connected to the mirrored vNIC's "MacRx" (every frame
 * handed to the VM, from a tunnel, a local port or the switch itself). One object serves every
 * mirrored port of the session on the host; it costs one branch per frame when its direction is
 * off and one packet copy (copy-on-write) plus one tag when on.
 */
class MirrorFilter : public PortStage
{
  public:
    static TypeId GetTypeId();

    /**
     * \param list the session's list on this host
     * \param received mirror the frames handed to the VM
     * \param transmitted mirror the frames the VM sends
     */
    void Configure(Ptr<MirroredPacketList> list, bool received, bool transmitted);

    PortVerdict Process(PortContext& ctx) override;

    /**
     * \brief A frame handed to a mirrored VM (its vNIC's "MacRx").
     * \param frame the frame, Ethernet header on
     */
    void Received(Ptr<const Packet> frame);

  private:
    void DoDispose() override;

    Ptr<MirroredPacketList> m_list; //!< where the clones go
    bool m_received{true};          //!< mirror received frames
    bool m_transmitted{true};       //!< mirror transmitted frames
};

} // namespace ns3

#endif
