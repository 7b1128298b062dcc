#ifndef OVERLAY_FABRIC_MIRRORED_PACKET_LIST_H
#define OVERLAY_FABRIC_MIRRORED_PACKET_LIST_H

#include "drop-reason.h"
#include "mirror-tag.h"

#include "ns3/event-id.h"
#include "ns3/ipv4-address.h"
#include "ns3/nstime.h"
#include "ns3/object.h"
#include "ns3/packet.h"
#include "ns3/traced-callback.h"

#include <cstdint>
#include <deque>
#include <optional>
#include <vector>

namespace ns3
{

class VirtualSwitch;
class Vtep;

/**
 * \ingroup overlay-fabric
 * \brief The mirrored-packet list of one mirror session on one host, and the separate worker
 * that drains it (seed 003 list 175, paragraphs 0045-0046 and 0055-0059 (multicast), 0069-0070
 * and 0079-0083 (unicast)).
 *
 * The mirror filters of the session's mirrored ports on this host Add() clones: each clone is a
 * copy of the port's frame (ns-3 copy-on-write, no bytes copied) without the original's FlowTag
 * (a clone is not the flow's packet: the flow's statistics never see it) and with a MirrorTag
 * (session, list, sequence, clone time, direction). The list holds at most MaxLength clones; a
 * clone that finds it full is dropped as MIRROR_LIST_OVERFLOW ("Drop"), and the original goes on
 * unchanged either way.
 *
 * The worker (the seed's "separate thread") takes clones from the head of the list in order and
 * makes the copies of each, one at a time, CopyTime apart (1 / the worker's rate): in unicast mode
 * (Fig. 8) one copy per VTEP of the mirroring overlay on another host (SetUnicastDestinations),
 * each encapsulated with the mirror VNI to that VTEP by the host's VTEP in software
 * (Vtep::EncapsulateHeadEnd: the VTEP, not a NIC table, chose the destination), on the uplink the
 * host's uplink selector picks, so mirror traffic follows an uplink failover; in multicast mode
 * (Fig. 2) one copy to the session's group (Vtep::SendToGroup). A clone stays in the
 * list until its last copy is made, so a burst faster than the worker fills the list. A monitor
 * on the mirrored port's own host gets a LOCAL copy, handed to the host's virtual switch on the
 * mirror VNI (VirtualSwitch::ToCapturePorts) without a tunnel. One event per copy; no scans.
 *
 * Default figures (assumed; the seed gives none): CopyTime 1 us, a software thread that
 * encapsulates and sends about a million packets a second; MaxLength 1,024 clones, the order of a
 * NIC or kernel transmit ring.
 */
class MirroredPacketList : public Object
{
  public:
    /// Destination::tunnel of the local copy: to this host's own capture ports.
    static constexpr uint32_t LOCAL = 0xffffffff;
    /// Destination::tunnel of the multicast copy: to the session's group.
    static constexpr uint32_t GROUP = 0xfffffffe;

    /// One destination of copies: the VTEP's tunnel to a remote host, or LOCAL.
    struct Destination
    {
        uint32_t tunnel; //!< the local VTEP's tunnel index, LOCAL or GROUP
        uint32_t host;   //!< the destination host (MirrorTag::SetToHost), ANY_HOST for GROUP
    };

    /// What the list and its worker did, for results and tests.
    struct Counters
    {
        uint64_t cloned{0};      //!< clones the filters added (overflowed ones included)
        uint64_t clonedBytes{0}; //!< their frame bytes
        uint64_t overflowed{0};  //!< clones dropped because the list was full
        uint64_t serviced{0};    //!< clones the worker finished (all their copies made)
        uint64_t copiesSent{0};  //!< copies handed to the VTEP
        uint64_t copyBytes{0};   //!< their inner frame bytes
        uint32_t peakLength{0};  //!< most clones in the list at once
    };

    /**
     * \brief Signature of the "Drop" trace source.
     * \param clone the clone dropped (MirrorTag on)
     * \param reason MIRROR_LIST_OVERFLOW
     */
    typedef void (*DropTracedCallback)(Ptr<const Packet> clone, DropReason reason);

    static TypeId GetTypeId();
    MirroredPacketList();

    /**
     * \param vtep the host's VTEP, which encapsulates the copies
     * \param vswitch the host's virtual switch (LOCAL copies)
     * \param mirrorVni the session's mirror VNI (seed 003: 5001)
     * \param session the session's index (MirrorTag)
     * \param list this list's index within the session (MirrorTag)
     */
    void Configure(Ptr<Vtep> vtep,
                   Ptr<VirtualSwitch> vswitch,
                   uint32_t mirrorVni,
                   uint16_t session,
                   uint16_t list);

    /**
     * \brief Unicast mode (Fig. 8, 820-825): one copy of every clone per destination.
     * \param destinations the VTEPs of the mirroring overlay on other hosts, in a fixed order,
     * and LOCAL if this host has a monitor
     */
    void SetUnicastDestinations(std::vector<Destination> destinations);

    /**
     * \brief Multicast mode (Fig. 2, 254): one copy of every clone to \p group, which the
     * underlay replicates to the hosts that joined it, and a LOCAL one for a monitor here.
     * \param group the mirror VNI's group
     * \param localHost this host's index if it has a monitor of the session, else none
     */
    void SetMulticastGroup(Ipv4Address group, std::optional<uint32_t> localHost);

    /**
     * \brief A mirror filter's clone of \p frame (paragraph 0054, 340-345): tagged and listed,
     * or dropped as MIRROR_LIST_OVERFLOW when the list is full.
     * \param frame the frame at the mirrored port (Ethernet header on); not modified
     * \param direction received or transmitted at the port
     */
    void Add(Ptr<const Packet> frame, MirrorTag::Direction direction);

    /// \return what the list and worker did so far
    const Counters& GetCounters() const;
    /// \return clones in the list now (the one being copied included)
    uint32_t GetLength() const;
    /// \return copies the worker makes of each clone
    uint32_t GetCopiesPerClone() const;
    /// \return the mirror VNI
    uint32_t GetMirrorVni() const;

  private:
    void DoDispose() override;
    /// \brief Make the next copy of the head clone, then schedule the one after.
    void MakeCopy();
    /// \brief Start on the head clone if the worker is idle.
    void StartWorker();

    Ptr<Vtep> m_vtep;                        //!< encapsulates the copies
    Ptr<VirtualSwitch> m_vswitch;            //!< LOCAL copies
    uint32_t m_vni{0};                       //!< mirror VNI
    uint16_t m_session{0};                   //!< MirrorTag session
    uint16_t m_listIndex{0};                 //!< MirrorTag list
    uint32_t m_maxLength{1024};              //!< "MaxLength"
    Time m_copyTime;                         //!< "CopyTime"
    std::vector<Destination> m_destinations; //!< the copies of each clone
    Ipv4Address m_group;                     //!< multicast: the group
    std::deque<Ptr<Packet>> m_list;          //!< clones waiting, the head being copied
    uint32_t m_headFlowHash{0};              //!< inner-flow entropy of the head clone
    uint32_t m_nextCopy{0};                  //!< index of the head clone's next copy
    EventId m_worker;                        //!< the worker's next copy
    uint64_t m_nextSeq{0};                   //!< next clone's sequence number
    Counters m_counters;                     //!< results

    TracedCallback<Ptr<const Packet>, DropReason> m_dropTrace; //!< "Drop"
    TracedCallback<Ptr<const Packet>> m_copyTrace;             //!< "CopySent"
};

} // namespace ns3

#endif
