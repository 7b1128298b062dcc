#ifndef OVERLAY_FABRIC_MIRROR_CAPTURE_H
#define OVERLAY_FABRIC_MIRROR_CAPTURE_H

#include "ns3/address.h"
#include "ns3/net-device.h"
#include "ns3/nstime.h"
#include "ns3/object.h"
#include "ns3/packet.h"
#include "ns3/traced-callback.h"

#include <cstdint>
#include <vector>

namespace ns3
{

class VnicNetDevice;

/**
 * \ingroup overlay-fabric
 * \brief What a monitor VM captures on its capture port (seed 003 port 183, paragraphs 0043,
 * 0049, 0053, 0062, 0074, 0086): the vNIC in promiscuous mode, and a packet-capture application
 * counting the mirrored packets it receives.
 *
 * Attach() registers a promiscuous protocol handler for every protocol on the monitor VM's vNIC
 * (ns-3 Node::RegisterProtocolHandler with promiscuous = true, which puts the device in
 * promiscuous mode): it sees every frame the virtual switch hands the vNIC, also those whose
 * destination MAC is not the VM's. A frame with a MirrorTag of the monitored session is counted:
 * packets and bytes (the mirrored frame, Ethernet header included), duplicates (a sequence
 * number of the same list seen before), reordered (lower than one seen before on its list), and
 * the latency from the filter's clone to this handler. Per list the sequence numbers seen are a
 * bitmap indexed by sequence, so each packet costs O(1).
 */
class MirrorCapture : public Object
{
  public:
    /// What the monitor received.
    struct Counters
    {
        uint64_t packets{0};          //!< mirrored packets received (duplicates included)
        uint64_t bytes{0};            //!< their frame bytes
        uint64_t duplicates{0};       //!< received again (same list, same sequence)
        uint64_t reordered{0};        //!< below the highest sequence of their list seen before
        uint64_t received{0};         //!< received, of them, as clones of received frames
        uint64_t transmitted{0};      //!< received, of them, as clones of transmitted frames
        uint64_t other{0};            //!< frames without this session's MirrorTag (broadcasts...)
        Time minLatency{Time::Max()}; //!< smallest clone-to-monitor latency
        Time maxLatency{0};           //!< largest
        int64_t latencySumTs{0};      //!< sum, in time steps (for the mean)
    };

    static TypeId GetTypeId();

    /**
     * \param vnic the monitor VM's vNIC (its capture port)
     * \param session the mirror session it monitors (MirrorTag session)
     */
    void Attach(Ptr<VnicNetDevice> vnic, uint16_t session);

    /// \return what it received
    const Counters& GetCounters() const;

  private:
    void DoDispose() override;
    /// \brief The promiscuous protocol handler.
    void Capture(Ptr<NetDevice> device,
                 Ptr<const Packet> packet,
                 uint16_t protocol,
                 const Address& from,
                 const Address& to,
                 NetDevice::PacketType type);

    /// Sequence numbers seen on one list.
    struct ListState
    {
        std::vector<bool> seen; //!< by sequence number
        int64_t highest{-1};    //!< highest seen
    };

    uint16_t m_session{0};                            //!< the session monitored
    std::vector<ListState> m_lists;                   //!< by list index
    Counters m_counters;                              //!< results
    TracedCallback<Ptr<const Packet>> m_captureTrace; //!< "Capture"
};

} // namespace ns3

#endif
