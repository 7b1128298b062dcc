#ifndef OVERLAY_FABRIC_OFFLOAD_NIC_H
#define OVERLAY_FABRIC_OFFLOAD_NIC_H

#include "encapsulation-strategy.h"
#include "five-tuple.h"
#include "host-nic.h"
#include "nic-mapping-table.h"
#include "virtual-function.h"

#include "ns3/callback.h"
#include "ns3/event-id.h"
#include "ns3/mac48-address.h"
#include "ns3/nstime.h"
#include "ns3/traced-callback.h"

#include <array>
#include <cstdint>
#include <optional>
#include <unordered_map>
#include <vector>

namespace ns3
{

/**
 * \ingroup overlay-fabric
 * \brief A NIC that encapsulates and decapsulates overlay packets from its own copy of the
 * mapping table (seed 002 section I: Figs. 7 and 8, paragraphs 0067-0083).
 *
 * Transmit (Fig. 7): the VTEP's OffloadEncapsulation writes the transmit descriptor of the next
 * frame (TagForEncapsulation: the "encapsulation tag" and the VNI in the packet attribute field,
 * paragraph 0067) instead of building headers, and hands the inner frame to Send(). The NIC
 * looks (VNI, inner destination MAC) up in its table and builds the outer headers with the
 * entry's VTEP IP: byte for byte the headers SoftwareEncapsulation builds
 * (SoftwareEncapsulation::AddTunnelHeaders), including the outer IPv4 header checksum (the
 * checksum offload). The outer destination MAC is the entry's VTEP MAC when that VTEP is on the
 * source VTEP's subnet, else the gateway's (paragraph 0069); every VTEP of this fabric is a /32
 * loopback behind its leaf, so the gateway is the leaf port of this uplink (its MAC is the
 * device's peer). On a miss the NIC raises the miss event to the hypervisor (the PF driver's
 * event, paragraph 0070: MissCallback) and encapsulates towards the gateway IP programmed for the
 * VNI (paragraph 0114: the overlay gateway, which relays by its own full table); a VNI without a
 * gateway drops the packet (NIC_MISS). A frame sent without a descriptor (one the software
 * encapsulated: OAM, service-plane NSH) goes out as the plain NIC sends it. A tagged OAM frame
 * (BFD on the NIC's path, monitoring.echo_path nic) needs no lookup: the NIC sends it to the
 * VTEP the descriptor names, through the leaf port, like hardware BFD.
 *
 * Receive (Fig. 8): the NIC decapsulates every tunnel packet for the local VTEP
 * (SoftwareEncapsulation::StripTunnelHeaders), checks the outer VLAN (frames carry none in this
 * underlay: an 802.1Q tag whose VLAN ID is not the NIC's is dropped, VLAN_MISMATCH), validates
 * the inner IPv4 header checksum when the header carries one (ns-3 stacks fill it only with
 * ChecksumEnabled; a zero checksum is "not computed", INNER_CHECKSUM otherwise), and hands the
 * inner frame up with the receive descriptor (VNI, source VTEP IP and MAC, and whether the
 * table's entry for the inner source MAC is missing or names another VTEP: the software learns
 * from those, paragraph 0082). Frames that are no tunnel packet for this VTEP go up untouched,
 * and the software refuses them as it would without offload. A refusal by the NIC travels in the
 * descriptor, and the VTEP reports it through its "Drop" trace, so every drop is still reported
 * once.
 *
 * Pipeline (the fast path's hardware, whose cost FastPathCost weighs): every frame the NIC
 * encapsulates or decapsulates takes one slot of its lookup engine, which serves LookupRate
 * lookups per second, transmit and receive alike, first come first served, and leaves the NIC
 * PipelineLatency after its slot. A frame that finds Ring frames in the queue (waiting or in
 * the engine) is dropped
 * (NIC_PIPELINE). Simplification: the lookup sees the table as it is when the frame reaches the
 * NIC, not after its wait (at most Ring slots: 34 us at the defaults). Defaults: LookupRate 30
 * million per second, the line rate of minimum-size frames of a 10 GbE port both ways (2 x
 * 14.88 Mpps, IEEE 802.3: 10^10 / (84 bytes x 8)), so the engine keeps up with the wire; Ring
 * 1024 descriptors (a common NIC ring size); PipelineLatency 1 us, an assumption (seed 002 gives
 * no figure). Frames that pass through untouched take no slot.
 *
 * LRO (Fig. 14, 1440; attribute Lro, off by default): a decapsulated inner TCP/IPv4 segment
 * with payload and no flag but ACK and PSH opens or extends its flow's aggregate when it is the
 * next in sequence and the aggregate stays within LroMaxBytes; the NIC hands the aggregate up
 * when a segment cannot extend it (out of order, too large, another kind of packet of the flow),
 * on PSH, or LroTimeout after its first segment, whichever comes first. Simplification: the
 * segments go up one after the other, each still itself (like a GRO packet's list of
 * segments), so the VM's stack, the flow accounting and the captures see every one; what the
 * aggregate changes is the software's cost, which is paid once per aggregate (the descriptor's
 * "aggregated" marks the segments after the first) and the added wait. Per segment: one hashed
 * lookup on the inner 5-tuple.
 *
 * SR-IOV (seed 002 section III.A): the NIC's physical function (PF) is the VTEP's side above;
 * its virtual functions (VirtualFunction, one per VM that uses one) bypass the hypervisor.
 * SendFromVf() encapsulates every frame of a VF (paragraph 0108: no tag) from the VF's own table
 * with the VF's VNI and source UDP port, as Send() does for tagged frames (miss event, gateway,
 * pipeline slot). A broadcast or multicast frame of a VF (an ARP request, paragraph 0122) goes
 * to every other VTEP of its VNI: to the VNI's IP multicast group when the segment has one
 * (SetFloodGroup: one copy, the underlay replicates it), else replicated by the NIC at the head
 * end, one tunnel copy per VTEP of SetFloodList() (the hosts of the segment, as the controller
 * programs them), each taking a pipeline slot. On receive (Fig. 14, 1445-1465) every NIC of the
 * host checks the functions AddFunction() registered with it: a broadcast or multicast inner frame
 * goes to every VF of its VNI and to the PF; a frame whose inner destination is a VF's MAC on the
 * VF's VNI goes to that VF when the VF's table places the inner source at the outer source VTEP (or
 * the source is the VNI's gateway), and otherwise to the PF only (Fig. 15, 1540: the hypervisor
 * learns from it and the frame is dropped, VTEP_MISMATCH), the VM does not see it: an ARP reply so
 * refused makes the VM time out and retry (paragraph 0125). With ArpProxy the hypervisor's ARP
 * agent then answers the VM itself once the VF's table holds the entry (paragraph 0126). The outer
 * source MAC is not compared: in this routed underlay it is the last leaf's, never the VTEP's.
 *
 * The descriptors are the NIC's per-frame metadata of a real driver ring: the transmit one is
 * written just before, and read during, the one synchronous call it describes; the receive one is
 * set when the frame leaves the pipeline, so no per-packet tag is allocated.
 */
class OffloadNic : public HostNic
{
  public:
    /// What the NIC tells the software about a frame it handed up.
    struct RxDescriptor
    {
        bool decapsulated{false}; //!< the NIC stripped the outer headers (else: as received)
        bool refused{false};      //!< the NIC refused it (rx.reason says why)
        bool learn{false};        //!< the table has no entry naming the source VTEP for innerSrc
        bool aggregated{false};   //!< a segment after the first of an LRO aggregate
        TunnelRxInfo rx{};        //!< VNI, O bit, NSH, source VTEP IP, or the reason
        Mac48Address sourceMac;   //!< outer source MAC
        uint64_t innerSource{0};  //!< inner source MAC as a 48-bit integer
    };

    /// Counters of the NIC's data path.
    struct Counters
    {
        uint64_t encapsulated{0};    //!< tagged frames encapsulated from a table entry
        uint64_t gatewayBound{0};    //!< tagged frames that missed and went to the VNI's gateway
        uint64_t missDropped{0};     //!< tagged frames that missed with no gateway (NIC_MISS)
        uint64_t decapsulated{0};    //!< tunnel packets decapsulated
        uint64_t learnNotices{0};    //!< decapsulated packets handed up for learning
        uint64_t rxRefused{0};       //!< received packets refused (VLAN, checksum)
        uint64_t passedThrough{0};   //!< frames sent or received without offload work
        uint64_t pipelineDropped{0}; //!< frames dropped: the pipeline's ring was full
        uint64_t oamEncapsulated{0}; //!< tagged OAM frames (BFD on the NIC's path) encapsulated
        uint64_t encapFailed{0};     //!< tagged frames dropped: the encapsulation engine failed
        uint64_t lroAggregates{0};   //!< LRO aggregates handed up
        uint64_t lroSegments{0};     //!< segments in them
    };

    /// The PF driver's event to the hypervisor: (VNI, inner destination MAC as 48-bit integer).
    using MissCallback = Callback<void, uint32_t, uint64_t>;

    static TypeId GetTypeId();
    OffloadNic();

    /// \param protocol the tunnel protocol the NIC builds and parses (the VTEP's)
    void SetProtocol(Vtep::Encap protocol);
    /// \param local the local VTEP address (outer source, and the destination it accepts)
    void SetLocalAddress(Ipv4Address local);
    /// \param table the NIC's copy of the mapping table
    void SetTable(Ptr<NicMappingTable> table);
    /// \return the NIC's copy of the mapping table
    Ptr<NicMappingTable> GetTable() const;
    /// \param callback the hypervisor's handler of miss events
    void SetMissCallback(MissCallback callback);

    /**
     * \brief The transmit descriptor of the next frame Send() is given: encapsulate it.
     * \param tx what the software would have put in the headers; the destination is replaced by
     * the NIC's own lookup
     */
    void TagForEncapsulation(const TunnelTxInfo& tx)
    {
        m_tx = tx;
        m_tagged = true;
    }

    /// \return the receive descriptor of the frame being handed up
    const RxDescriptor& GetRxDescriptor() const
    {
        return m_rx;
    }

    bool Send(Ptr<Packet> packet) override;

    /**
     * \brief The encapsulation engine fails (a fault) or works again. While it has failed, every
     * tagged frame is dropped (NIC_ENCAP_FAILED); frames the software encapsulated and
     * everything received pass as before.
     */
    void SetEncapFailed(bool failed);

    /// \return the counters
    const Counters& GetCounters() const;

    /**
     * \brief Receive for \p vf too: frames whose inner destination is its MAC, and the
     * broadcasts of its VNI (every NIC of the VF's host: they share the VTEP address).
     */
    void AddFunction(Ptr<VirtualFunction> vf);
    /// \param vni a segment \param vteps the other VTEPs of it, where a VF's broadcast goes
    void SetFloodList(uint32_t vni, std::vector<Ipv4Address> vteps);
    /**
     * \brief A segment with an underlay multicast group: a VF's broadcast goes to \p group, one
     * copy (outer destination the group and its MAC), instead of to the flood list's VTEPs.
     */
    void SetFloodGroup(uint32_t vni, Ipv4Address group);
    /**
     * \brief A frame from the VM of \p vf, which uses this NIC's PF: encapsulate it.
     * \return true if it left (or is in the pipeline)
     */
    bool SendFromVf(VirtualFunction& vf, Ptr<Packet> frame);

    /// Signature of "PipelineHold": (frame, true when it enters the pipeline, false when it
    /// leaves).
    typedef void (*HoldTracedCallback)(Ptr<const Packet> packet, bool start);

    /// Signature of "Drop".
    typedef void (*DropTracedCallback)(Ptr<const Packet> packet, DropReason reason);

  protected:
    void DoDispose() override;
    void Receive(Ptr<FabricNetDevice> device, Ptr<Packet> frame) override;

  private:
    /**
     * \brief A frame takes the next slot of the lookup engine.
     * \return how long until it leaves the NIC, or a negative time when the ring is full
     */
    Time EnterPipeline();
    /// \param rate lookups per second of the engine
    void SetLookupRate(double rate);
    /// \return lookups per second of the engine
    double GetLookupRate() const;
    /// \param ring frames the pipeline holds
    void SetRing(uint32_t ring);
    /// \return frames the pipeline holds
    uint32_t GetRing() const;
    /// \brief A received frame leaves the pipeline: hand it up with its descriptor.
    void HandUp(Ptr<Packet> frame, const RxDescriptor& descriptor);
    /// \brief A transmitted frame leaves the pipeline.
    void SendOut(Ptr<Packet> packet, Mac48Address destination);
    /// \brief Put the tunnel headers on and send, after the frame's pipeline \p delay.
    bool Transmit(Ptr<Packet> packet, const TunnelTxInfo& tx, Mac48Address destination, Time delay);

    /// The ARP reply the hypervisor's agent gives a VF's VM (paragraph 0126).
    struct ArpAnswer
    {
        Mac48Address senderMac; //!< the answering VM
        Ipv4Address senderIp;   //!< its address
        Ipv4Address targetIp;   //!< the VF's VM's address
        Ipv4Address sourceVtep; //!< the VTEP the reply came from
    };

    /**
     * \brief A decapsulated frame for the functions (Fig. 14, 1445-1465).
     * \return true if it is consumed (a VF's, delivered or refused); false: on to the PF
     */
    bool ToFunctions(Ptr<Packet> frame, Time delay);
    /// \brief A frame leaves the pipeline for \p vf.
    void DeliverToFunction(Ptr<VirtualFunction> vf, Ptr<Packet> frame, bool arpReply);
    /// \brief A refused frame for \p vf leaves the pipeline: to the PF, and to the ARP agent.
    void HandUpRefused(Ptr<Packet> frame,
                       const RxDescriptor& descriptor,
                       Ptr<VirtualFunction> vf,
                       std::optional<ArpAnswer> answer);
    /// \brief The ARP agent answers \p vf's VM if its table now has the entry.
    void ProxyArpReply(Ptr<VirtualFunction> vf, ArpAnswer answer);

    /// An open LRO aggregate of one inner flow.
    struct LroSession
    {
        std::vector<std::pair<Ptr<Packet>, RxDescriptor>> segments; //!< held, in order
        std::vector<Time> leaves; //!< when each leaves the pipeline
        uint32_t nextSeq{0};      //!< the TCP sequence number that extends it
        uint32_t bytes{0};        //!< IPv4 bytes held
        EventId timeout;          //!< LroTimeout after the first segment
    };

    /**
     * \brief LRO for a decapsulated data frame (Fig. 14, 1440).
     * \return true if the frame is held in an aggregate (it goes up later)
     */
    bool Aggregate(Ptr<Packet> frame, Time delay);
    /// \brief Hand up the aggregate of \p key.
    void FlushAggregate(FiveTuple key);

    /// \return whether \p destination is on the source VTEP's subnet (paragraph 0069)
    bool OnSourceSubnet(Ipv4Address destination) const;
    /// \return whether the inner frame's IPv4 header checksum (if any) is right
    static bool InnerChecksumValid(Ptr<const Packet> frame);

    Vtep::Encap m_protocol{Vtep::GENEVE}; //!< tunnel protocol
    Ipv4Address m_local;                  //!< the local VTEP
    uint8_t m_sourcePrefix;               //!< the source VTEP's prefix length
    uint16_t m_vlan;                      //!< the NIC's outer VLAN ID (0: none)
    bool m_checkInner;                    //!< validate the inner checksum
    Ptr<NicMappingTable> m_table;         //!< the NIC's copy
    MissCallback m_miss;                  //!< the hypervisor's miss handler
    TunnelTxInfo m_tx{};                  //!< descriptor of the next frame
    bool m_tagged{false};                 //!< m_tx is set
    bool m_encapFailed{false};            //!< the encapsulation engine has failed
    RxDescriptor m_rx;                    //!< descriptor of the frame handed up
    Time m_latency;                       //!< PipelineLatency
    double m_lookupRate{30e6};            //!< LookupRate
    uint32_t m_ring{1024};                //!< Ring
    Time m_slot;                          //!< one lookup: 1 / LookupRate
    Time m_ringSpan;                      //!< Ring slots
    Time m_engineFree;                    //!< when the engine's last slot ends
    Counters m_counters;                  //!< counters
    bool m_arpProxy{false};               //!< ArpProxy
    uint8_t m_ttl{64};                    //!< outer TTL of a VF's packets (the VTEP's)
    uint16_t m_vfIpId{0};                 //!< outer IPv4 identification of a VF's packets
    std::unordered_map<uint64_t, Ptr<VirtualFunction>> m_functions;                   //!< by MAC
    std::unordered_map<uint32_t, std::vector<Ptr<VirtualFunction>>> m_functionsOfVni; //!< by VNI
    std::unordered_map<uint32_t, std::vector<Ipv4Address>> m_floodLists;              //!< by VNI
    std::unordered_map<uint32_t, Ipv4Address> m_floodGroups;                          //!< by VNI
    bool m_lro{false};                                                                //!< Lro
    uint32_t m_lroMaxBytes{65535};                                          //!< LroMaxBytes
    Time m_lroTimeout;                                                      //!< LroTimeout
    std::unordered_map<FiveTuple, LroSession, FiveTupleHash> m_lroSessions; //!< open aggregates
    TracedCallback<Ptr<const Packet>, DropReason> m_dropTrace;              //!< the NIC's own drops
    TracedCallback<Ptr<const Packet>, bool> m_holdTrace; //!< in the pipeline, out of it
};

} // namespace ns3

#endif
