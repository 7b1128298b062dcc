#ifndef OVERLAY_FABRIC_VIRTUAL_SWITCH_H
#define OVERLAY_FABRIC_VIRTUAL_SWITCH_H

#include "arp-suppression-stage.h"
#include "drop-reason.h"
#include "five-tuple.h"
#include "l2-lookup-stage.h"
#include "port-stage.h"

#include "ns3/ipv4-address.h"
#include "ns3/mac48-address.h"
#include "ns3/object.h"
#include "ns3/traced-callback.h"

#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace ns3
{

class VnicNetDevice;
class Vtep;

/**
 * \ingroup overlay-fabric
 * \brief A hypervisor's virtual switch: vNIC ports on logical switches (VNIs), each running an
 * ordered pipeline of port stages, and the hand-off to the VTEP.
 *
 * \par Port pipeline
 * A frame from a vNIC is parsed once into a PortContext on the stack (destination MAC, Ethernet
 * type, inner 5-tuple and flow hash), tagged if its flow is measured, and then run through the
 * port's stages in order, like a QueueDisc runs its PacketFilters: each returns CONTINUE,
 * CONSUMED or DROP with a reason, and the switch reports every DROP once through "Drop". Every
 * port starts with [ArpSuppressionStage, L2LookupStage] (one object of each per switch, shared
 * by its ports); InsertStage() and InsertStageOnAllPorts() add stages (a mirror tap, a service
 * classifier), by default just before the L2 lookup, which always stays last. The cost per frame
 * is one copy of the frame's first bytes, one flow lookup when flows are measured, and one virtual
 * call per stage.
 *
 * \par Forwarding
 * The L2 lookup is a hashed lookup on (VNI, destination MAC): a local port (delivery stays inside
 * the host) or a remote VTEP. Simplifications, each deliberate: the L2 and ARP tables are
 * programmed from the scenario (the controller knows every VM, as NSX does), so there is no
 * data-plane learning and no BUM flooding; an ARP request is answered locally from the ARP table
 * (ARP suppression) and unknown destinations are dropped with a reason. Frames out of a tunnel
 * (FromTunnel) are not a port's traffic and skip the pipeline: one lookup in the same L2 table;
 * a broadcast or multicast one (a VF's ARP request, which an SR-IOV NIC sends to the VNI's other
 * VTEPs: OffloadNic) goes to every port of its VNI.
 *
 * Measured flows: packets of a registered inner 5-tuple get a FlowTag (flow id, sequence, send
 * time) when they leave their VM ("FlowTx"), before the first stage, so that a drop by any stage
 * is counted against the flow; "FlowRx" fires when one is handed to the destination vNIC.
 */
class VirtualSwitch : public Object
{
  public:
    /// InsertStage() position: just before the L2 lookup (the default).
    static constexpr uint32_t BEFORE_L2_LOOKUP = 0xffffffff;

    /**
     * \brief Get the TypeId.
     * \return the object TypeId
     */
    static TypeId GetTypeId();
    VirtualSwitch();

    /// \param vtep the host's VTEP (remote destinations)
    void SetVtep(Ptr<Vtep> vtep);

    /**
     * \brief Connect a VM's vNIC on logical switch \p vni; its MAC becomes a local L2 entry. The
     * port's pipeline starts as the stages every port has (see InsertStageOnAllPorts).
     * \param vnic the VM's vNIC
     * \param vni its logical switch
     * \return the port number
     */
    uint32_t AddPort(Ptr<VnicNetDevice> vnic, uint32_t vni);

    /**
     * \brief The VM of \p port migrated away (seed 002 Fig. 6, 620): its L2 entry now names the
     * tunnel to its new host, and a tunnel packet that still arrives for it is dropped as
     * VM_MIGRATED (a switch does not relay tunnel to tunnel unless SetRelay). The vNIC is
     * attached to the other host's switch by that switch's AddPort.
     * \param port the VM's port here
     * \param tunnel the tunnel to its new host
     */
    void DetachPort(uint32_t port, uint32_t tunnel);

    /// Hands a frame of a pass-through port's VM to its SR-IOV VF.
    using PassThrough = Callback<void, Ptr<Packet>>;
    /**
     * \brief The VM of \p port uses an SR-IOV VF (seed 002 paragraph 0093): the port stays
     * reserved and marked pass-through, its frames go to \p toFunction without the pipeline, the
     * host CPU or the VTEP (only the measured-flow tag, as at any port), and broadcasts out of
     * tunnels skip it (the VF gets them from the NIC). Deliveries to it still go through
     * DeliverToPort ("FlowRx").
     * \param port the VM's port
     * \param toFunction the VF's transmit
     */
    void SetPassThrough(uint32_t port, PassThrough toFunction);

    /**
     * \brief Make \p vni a mirror VNI here (seed 003: a dedicated overlay for mirrored packets,
     * 5001): a frame of it out of a tunnel (or a worker's local copy, ToCapturePorts) goes to
     * every capture port of the VNI on this switch, whatever its destination MAC; with none it is
     * dropped as NO_MONITOR (Fig. 6, host 603). Frames of other VNIs pay nothing for this: it is
     * looked up only when the L2 lookup misses.
     * \param vni the mirror VNI
     */
    void SetMirrorVni(uint32_t vni);
    /**
     * \brief A monitor VM's capture port (paragraph 0053): it gets every frame of its VNI, which
     * SetMirrorVni() made a mirror VNI. Its vNIC's promiscuous handler takes them in
     * (MirrorCapture).
     * \param port the monitor VM's port
     */
    void AddCapturePort(uint32_t port);
    /**
     * \brief A mirrored packet of mirror VNI \p vni for this host's capture ports: one copy to
     * each (paragraphs 0062, 0086), or NO_MONITOR without one. Not a data frame: no "FlowRx".
     * \param vni the mirror VNI
     * \param frame the mirrored frame
     */
    void ToCapturePorts(uint32_t vni, Ptr<Packet> frame);

    /**
     * \brief Program a remote VM: frames to (vni, mac) go through the VTEP's tunnel \p tunnel.
     * \param vni logical switch
     * \param mac the remote VM's MAC
     * \param tunnel the VTEP's tunnel index of the VM's host
     */
    void AddRemoteEntry(uint32_t vni, Mac48Address mac, uint32_t tunnel);
    /**
     * \brief Program the ARP suppression table: on \p vni, \p ip is at \p mac.
     * \param vni logical switch
     * \param ip the VM's address
     * \param mac the VM's MAC
     */
    void AddArpEntry(uint32_t vni, Ipv4Address ip, Mac48Address mac);
    /**
     * \brief Measure packets of \p key as flow \p flowId (FlowTag, FlowTx/FlowRx traces).
     * \param key the inner 5-tuple
     * \param flowId the flow id the FlowTag carries
     */
    void RegisterFlow(const FiveTuple& key, uint32_t flowId);

    /**
     * \brief Insert a stage into the pipeline of one port.
     * \param port the port (AddPort's number)
     * \param stage the stage
     * \param position index in the port's list (0: first, before ARP suppression); at most the
     * index of the L2 lookup, which stays last; BEFORE_L2_LOOKUP: just before it
     */
    void InsertStage(uint32_t port, Ptr<PortStage> stage, uint32_t position = BEFORE_L2_LOOKUP);
    /**
     * \brief Insert a stage into the pipeline of every port, including ports added later.
     * \param stage the stage (one object, shared by the ports)
     * \param position index in each port's list, as for InsertStage()
     */
    void InsertStageOnAllPorts(Ptr<PortStage> stage, uint32_t position = BEFORE_L2_LOOKUP);
    /**
     * \param port the port
     * \return the port's stages in the order they run
     */
    const std::vector<Ptr<PortStage>>& GetStages(uint32_t port) const;
    /// \return the ARP suppression stage (its table)
    Ptr<ArpSuppressionStage> GetArpSuppression() const;
    /// \return the L2 lookup stage (the L2 table)
    Ptr<L2LookupStage> GetL2Lookup() const;

    /**
     * \brief Egress frame from the vNIC on \p port: runs the port's pipeline.
     * \param port the port
     * \param frame the Ethernet frame
     */
    void FromVnic(uint32_t port, Ptr<Packet> frame);
    /**
     * \brief Frame decapsulated by the VTEP on logical switch \p vni.
     * \param vni logical switch
     * \param frame the inner Ethernet frame
     */
    void FromTunnel(uint32_t vni, Ptr<Packet> frame);

    /**
     * \brief Make this switch an overlay gateway's (seed 002 paragraph 0114): a frame out of a
     * tunnel whose destination is behind another tunnel is sent on into that tunnel (on the
     * host's software path) instead of being dropped as UNKNOWN_DESTINATION.
     * \param relay relay or not (default not)
     */
    void SetRelay(bool relay);
    /// \return frames relayed from a tunnel into another
    uint64_t GetRelayed() const;

    /**
     * \brief For stages: deliver a data frame to the vNIC on \p port ("FlowRx" fires).
     * \param port the destination port
     * \param frame the frame
     */
    void DeliverToPort(uint32_t port, Ptr<Packet> frame);
    /**
     * \brief For stages: send a frame the switch made itself (an ARP reply) to the vNIC on
     * \p port; not a data frame, so no "FlowRx".
     * \param port the destination port
     * \param frame the frame
     */
    void ReplyToPort(uint32_t port, Ptr<Packet> frame);
    /**
     * \brief For the service plane: hand a frame to a service VM's vNIC on \p port. Not a
     * delivery to the frame's destination, so no "FlowRx".
     * \param port the SVM's port
     * \param frame the frame (Ethernet, NSH, inner frame)
     */
    void SendToServicePort(uint32_t port, Ptr<Packet> frame);
    /**
     * \brief For the service plane: a frame that has been through its service path goes on to
     * its destination on logical switch \p vni, as the L2 lookup would send it (a local port,
     * "FlowRx", or the destination's tunnel); an unknown destination is dropped.
     * \param vni logical switch
     * \param frame the inner Ethernet frame
     * \param flowHash inner-flow entropy
     */
    void ForwardOnSegment(uint32_t vni, Ptr<Packet> frame, uint32_t flowHash);
    /**
     * \brief For stages: hand a frame to the VTEP's tunnel \p tunnel.
     * \param frame the inner Ethernet frame (encapsulated in place)
     * \param vni logical switch
     * \param tunnel the VTEP's tunnel index
     * \param flowHash inner-flow entropy
     */
    void SendToTunnel(Ptr<Packet> frame, uint32_t vni, uint32_t tunnel, uint32_t flowHash);

    /// Signature of "Drop".
    typedef void (*DropTracedCallback)(Ptr<const Packet> packet, DropReason reason);

  protected:
    void DoDispose() override;

  private:
    /// Per-flow state of a registered flow.
    struct FlowState
    {
        uint32_t id;      //!< flow id
        uint32_t nextSeq; //!< next sequence number
    };

    /// An ordered list of stages.
    using StageList = std::vector<Ptr<PortStage>>;

    /**
     * \brief Insert \p stage into \p list at \p position (BEFORE_L2_LOOKUP: before the last).
     * \param list the list
     * \param stage the stage
     * \param position the index
     */
    static void InsertInto(StageList& list, Ptr<PortStage> stage, uint32_t position);
    void Drop(Ptr<const Packet> frame, DropReason reason);
    /// \brief Tag \p frame if it is a measured flow's ("FlowTx"). \return its flow entropy
    uint32_t MeasureEgress(const Ptr<Packet>& frame, PortContext& ctx);
    /// \brief A frame from a pass-through port's VM: to its VF.
    void FromPassThroughPort(uint32_t port, Ptr<Packet> frame);
    /// \brief A broadcast or multicast frame out of a tunnel: to every port of \p vni.
    void Flood(uint32_t vni, Ptr<Packet> frame);
    /// \brief \p port no longer takes its VNI's broadcasts.
    void StopFlooding(uint32_t port);

    Ptr<Vtep> m_vtep;                        //!< remote path
    Ptr<ArpSuppressionStage> m_arp;          //!< ARP table, first stage
    bool m_relay{false};                     //!< an overlay gateway
    uint64_t m_relayed{0};                   //!< frames relayed
    std::unordered_set<uint64_t> m_departed; //!< MACs of VMs that migrated away (drop path only)
    Ptr<L2LookupStage> m_l2;                 //!< L2 table, last stage
    StageList m_allPortsStages;              //!< a new port's stages
    std::vector<StageList> m_portStages;     //!< pipeline per port
    std::vector<Ptr<VnicNetDevice>> m_ports; //!< vNIC per port
    std::vector<uint32_t> m_portVni;         //!< VNI per port
    std::vector<PassThrough> m_passThrough;  //!< per port: its VF's transmit, or null
    std::unordered_map<uint32_t, std::vector<uint32_t>> m_floodPorts;   //!< VNI -> its ports
    std::unordered_map<uint32_t, std::vector<uint32_t>> m_capturePorts; //!< mirror VNI -> ports
    std::unordered_map<FiveTuple, FlowState, FiveTupleHash> m_flows;    //!< measured flows

    TracedCallback<Ptr<const Packet>, DropReason> m_dropTrace; //!< every drop, once
    TracedCallback<Ptr<const Packet>> m_flowTxTrace;           //!< measured packet left its VM
    TracedCallback<Ptr<const Packet>> m_flowRxTrace; //!< measured packet handed to its vNIC
};

} // namespace ns3

#endif
