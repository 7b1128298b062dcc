#ifndef OVERLAY_FABRIC_VTEP_H
#define OVERLAY_FABRIC_VTEP_H

#include "drop-reason.h"
#include "igmp-header.h"
#include "uplink-selector.h"

#include "ns3/ipv4-address.h"
#include "ns3/mac48-address.h"
#include "ns3/object.h"
#include "ns3/traced-callback.h"

#include <unordered_map>
#include <vector>

namespace ns3
{

class EncapsulationStrategy;
class HostCpu;
struct TunnelRxInfo;
struct TunnelTxInfo;
class FabricNetDevice;
class HostNic;
class Packet;
class VirtualSwitch;

/**
 * \ingroup overlay-fabric
 * \brief A software VTEP on a multi-homed host (seed 000, paragraphs 0020, 0044, 0047-0051).
 *
 * Owns a loopback IPv4 address that floats over all uplinks (each leaf has a static route to it
 * through the host's uplink); sends every tunnel packet with the source MAC of the uplink it
 * leaves on. Encapsulation is GENEVE (RFC 8926, UDP 6081, protocol 0x6558) or VXLAN (RFC 7348,
 * UDP 4789), with the outer UDP source port taken from the inner-flow entropy (49152 + hash mod
 * 16384, RFC 7348 section 5) so that flows spread over ECMP paths and each stays in order. The
 * outer UDP checksum is zero, as both RFCs allow over IPv4; the outer IPv4 header checksum is
 * computed.
 *
 * A tunnel is a remote VTEP this host has VMs in common with; each gets an index that the
 * virtual switch stores in its L2 entries, so the data path never looks an address up. Which
 * uplink a packet leaves on is the UplinkSelector's per-tunnel decision; carrier changes go to the
 * selector at once.
 *
 * The tunnel headers are built and parsed by an EncapsulationStrategy (attribute
 * "EncapsulationStrategy"; by default SoftwareEncapsulation of the "Encapsulation" protocol), and
 * every packet goes out and comes in through the HostNic of its uplink (a pass-through, or an
 * offloading NIC with its own mapping table: model/offload), so the data path does not branch on
 * the protocol.
 *
 * OAM: packets with VNI 0 (and, for GENEVE, the O bit) carry monitoring traffic. They never reach
 * the virtual switch: SendOam() sends them (on a given uplink, or the selector's choice), and the
 * OAM handler (the uplink monitor) receives them with the tunnel and the uplink they arrived on.
 */
class Vtep : public Object
{
  public:
    /// Tunnel encapsulation.
    enum Encap : int
    {
        GENEVE, //!< RFC 8926
        VXLAN   //!< RFC 7348
    };

    /// Kinds of OAM packet, for the "OamTx" trace.
    enum OamKind : uint8_t
    {
        OAM_ECHO = 0,     //!< echo sent by this VTEP on one of its uplinks
        OAM_LOOPBACK = 1, //!< a remote VTEP's echo looped back
        OAM_CONTROL = 2   //!< BFD control packet
    };

    /// Receives OAM packets: (tunnel, arrival uplink, inner frame).
    using OamHandler = Callback<void, uint32_t, uint32_t, Ptr<Packet>>;
    /// Receives the service plane's packets: (VNI, outer source VTEP, NSH + inner frame). A
    /// service hop may come from a host this one has no tunnel to (no VM in common).
    using ServicePlaneHandler = Callback<void, uint32_t, Ipv4Address, Ptr<Packet>>;

    /// FindTunnel() of an address that is no tunnel's remote.
    static constexpr uint32_t NO_TUNNEL = 0xffffffff;

    /**
     * \brief Get the TypeId.
     * \return the object TypeId
     */
    static TypeId GetTypeId();
    Vtep();

    /// \param address the loopback VTEP address
    void SetLocalAddress(Ipv4Address address);
    /// \return the loopback VTEP address
    Ipv4Address GetLocalAddress() const;
    /// \return the VTEP's own MAC (inner source of OAM frames, seed paragraph 0048)
    Mac48Address GetMacAddress() const;
    /// \param vswitch where decapsulated frames go
    void SetVirtualSwitch(Ptr<VirtualSwitch> vswitch);
    /// \param selector the uplink policy; set after the uplinks are added, before the tunnels
    void SetUplinkSelector(Ptr<UplinkSelector> selector);
    /// \return the uplink policy
    Ptr<UplinkSelector> GetUplinkSelector() const;
    /**
     * \brief Add an uplink through a new pass-through HostNic (AddNic).
     * \param uplink the host end of the access link
     * \return the uplink index
     */
    uint32_t AddUplink(Ptr<FabricNetDevice> uplink);
    /**
     * \brief Add an uplink through \p nic, already attached to its device (HostNic::SetDevice);
     * the NIC's receive path becomes this VTEP's.
     * \param nic the uplink's NIC
     * \return the uplink index
     */
    uint32_t AddNic(Ptr<HostNic> nic);
    /**
     * \brief Put \p nic on uplink \p uplink in place of its NIC (an offloading NIC, before the
     * simulation starts); \p nic is attached to the uplink's device here.
     * \param uplink the uplink index
     * \param nic the new NIC
     */
    void ReplaceNic(uint32_t uplink, Ptr<HostNic> nic);
    /// \return the uplink devices
    const std::vector<Ptr<FabricNetDevice>>& GetUplinks() const;
    /**
     * \param uplink the uplink index
     * \return the NIC of that uplink
     */
    Ptr<HostNic> GetNic(uint32_t uplink) const;

    /// \param encap the tunnel protocol (attribute "Encapsulation"); passed to the strategy
    void SetEncapsulation(Encap encap);
    /// \return the tunnel protocol
    Encap GetEncapsulation() const;
    /// \return the outer UDP destination port of \p encap (IANA: GENEVE 6081, VXLAN 4789)
    static uint16_t TunnelUdpPort(Encap encap);
    /**
     * \param strategy who builds and parses the tunnel headers (attribute
     * "EncapsulationStrategy"); nullptr: a new SoftwareEncapsulation. It is given the protocol.
     */
    void SetEncapsulationStrategy(Ptr<EncapsulationStrategy> strategy);
    /// \return the encapsulation strategy
    Ptr<EncapsulationStrategy> GetEncapsulationStrategy() const;

    /**
     * \param cpu the host CPU that runs the VTEP's data path: every tunnel packet sent or
     * received waits for its core (HostCpu::Admit) before it goes on; nullptr (the default): no
     * CPU model, no wait
     */
    void SetHostCpu(Ptr<HostCpu> cpu);
    /// \return the host CPU model, or nullptr
    Ptr<HostCpu> GetHostCpu() const;

    /**
     * \brief The tunnel to \p remote, created on first use.
     * \return its index
     */
    uint32_t AddTunnel(Ipv4Address remote);
    /// \return the number of tunnels
    uint32_t GetTunnelCount() const;
    /// \return the remote VTEP of a tunnel
    Ipv4Address GetTunnelRemote(uint32_t tunnel) const;
    /**
     * \param remote a remote VTEP address
     * \return its tunnel, or NO_TUNNEL (one hashed lookup)
     */
    uint32_t FindTunnel(Ipv4Address remote) const;

    /// \param handler receives OAM packets (monitoring)
    void SetOamHandler(OamHandler handler);
    /**
     * \param handler receives tunnel packets carrying NSH (GENEVE protocol 0x894F): the host's
     * service plane (model/chain); without one they are dropped as NOT_FOR_US
     */
    void SetServicePlaneHandler(ServicePlaneHandler handler);

    /**
     * \brief Encapsulate an inner Ethernet frame and send it through a tunnel.
     * \param frame inner Ethernet frame (modified in place)
     * \param vni logical switch
     * \param tunnel tunnel index
     * \param innerFlowHash inner-flow entropy
     */
    void Encapsulate(Ptr<Packet> frame, uint32_t vni, uint32_t tunnel, uint32_t innerFlowHash);

    /**
     * \brief Encapsulate a service-plane packet (NSH + inner frame) and send it through a tunnel,
     * GENEVE protocol 0x894F (seed 001 paragraph 0041), on the uplink the selector picks.
     * \param packet NSH + inner Ethernet frame (modified in place)
     * \param vni the logical switch the outer header names
     * \param tunnel tunnel index
     * \param innerFlowHash inner-flow entropy
     */
    void EncapsulateNsh(Ptr<Packet> packet, uint32_t vni, uint32_t tunnel, uint32_t innerFlowHash);

    /**
     * \brief Encapsulate a copy the host replicates itself (head-end replication of a mirrored
     * packet, seed 003 Fig. 8, 825) and send it through a tunnel, on the uplink the selector
     * picks. The headers are always built in software (TunnelTxInfo::headEnd), on the host CPU.
     * \param frame inner Ethernet frame (modified in place)
     * \param vni the logical switch (the mirror VNI)
     * \param tunnel tunnel index
     * \param innerFlowHash inner-flow entropy
     */
    void EncapsulateHeadEnd(Ptr<Packet> frame,
                            uint32_t vni,
                            uint32_t tunnel,
                            uint32_t innerFlowHash);

    /**
     * \brief Send an OAM frame (inner Ethernet frame) through a tunnel, GENEVE O bit and VNI 0.
     * \param frame inner frame (modified in place)
     * \param tunnel tunnel index
     * \param uplink uplink to send on, or UplinkSelector::NO_UPLINK for the selector's choice
     * \param flowHash entropy for the outer source port and the selector
     * \param kind what it is, for the overhead accounting
     */
    void SendOam(Ptr<Packet> frame,
                 uint32_t tunnel,
                 uint32_t uplink,
                 uint32_t flowHash,
                 OamKind kind);

    /**
     * \brief A frame the NIC of uplink \p uplink received (called by HostNic): decapsulate
     * (the strategy), then OAM handler or virtual switch.
     * \param uplink the uplink index
     * \param frame the frame, outer Ethernet header on
     */
    void Receive(uint32_t uplink, Ptr<Packet> frame);

    /// Signature of "Drop".
    typedef void (*DropTracedCallback)(Ptr<const Packet> packet, DropReason reason);
    /// Signature of "UplinkTx": (packet, uplink index).
    typedef void (*UplinkTxTracedCallback)(Ptr<const Packet> packet, uint32_t uplink);
    /// Signature of "CpuHold": (packet, starts waiting or ends).
    typedef void (*CpuHoldTracedCallback)(Ptr<const Packet> packet, bool start);
    /// Signature of "OamTx": (the OAM frame before its tunnel headers, kind).
    typedef void (*OamTxTracedCallback)(Ptr<const Packet> packet, uint8_t kind);

    /**
     * \brief Join underlay multicast group \p group (seed 003 paragraphs 0042-0043: a monitor's
     * host joins the mirror VNI's group): an IGMPv3 report, CHANGE_TO_EXCLUDE {} (any source),
     * on the VTEP's multicast uplink; tunnel packets to the group are then accepted. The
     * multicast uplink is the lowest-numbered uplink with carrier: a membership on one uplink
     * only, so that the leaves do not deliver each frame twice; when it loses carrier the VTEP
     * joins again on the next one (the old leaf forgets the port with the carrier). Simplified:
     * no IGMP queries, so no periodic reports; a silent failure of the multicast uplink is not
     * detected.
     * \param group a multicast address
     */
    void JoinGroup(Ipv4Address group);

    /**
     * \brief Encapsulate a frame to underlay multicast group \p group (a mirror copy, seed 003
     * Fig. 2, 254): outer destination the group and its MAC (01:00:5e + the low 23 bits), in
     * software (TunnelTxInfo::headEnd), on the multicast uplink.
     * \param frame inner Ethernet frame (modified in place)
     * \param vni the logical switch (the mirror VNI)
     * \param group the group
     * \param innerFlowHash inner-flow entropy (the outer UDP source port)
     */
    void SendToGroup(Ptr<Packet> frame, uint32_t vni, Ipv4Address group, uint32_t innerFlowHash);

    /// \return the uplink of multicast memberships and sends, or UplinkSelector::NO_UPLINK
    uint32_t GetMulticastUplink() const;

    /**
     * \brief Signature of the "IgmpTx" trace source.
     * \param frame the IGMP frame (Ethernet header on)
     * \param uplink the uplink it leaves on
     */
    typedef void (*IgmpTxTracedCallback)(Ptr<const Packet> frame, uint32_t uplink);

  protected:
    void DoDispose() override;

  private:
    void CarrierChanged(uint32_t uplink);
    /// \brief Send an IGMPv3 report joining every group of m_groups on \p uplink.
    void SendReports(uint32_t uplink);
    /// \brief Send \p igmp to 224.0.0.22 on \p uplink ("IgmpTx").
    void SendIgmp(const IgmpHeader& igmp, uint32_t uplink);
    /// \return the lowest-numbered uplink with carrier, or NO_UPLINK
    uint32_t FirstUplinkWithCarrier() const;
    void Drop(Ptr<const Packet> packet, DropReason reason);
    /// A data packet (an inner frame, or NSH + frame): the selector's uplink, then SendOn().
    void SendData(Ptr<Packet> frame,
                  uint32_t vni,
                  uint32_t tunnel,
                  uint32_t innerFlowHash,
                  bool nsh,
                  bool headEnd = false);
    /// Encapsulate (the strategy) and hand the packet to the NIC of uplink tx.uplink.
    void Transmit(const Ptr<Packet>& frame, const TunnelTxInfo& tx);
    /// Through the host CPU (if any), then Transmit().
    void SendTx(Ptr<Packet> frame, const TunnelTxInfo& tx);
    /// Transmit() once the host CPU is done with the packet ("CpuHold" ends).
    void TransmitAfterCpu(Ptr<Packet> frame, const TunnelTxInfo& tx);
    /// Dispatch() once the host CPU is done with the packet ("CpuHold" ends).
    void DispatchAfterCpu(uint32_t uplink, const TunnelRxInfo& rx, Ptr<Packet> frame);
    /// A decapsulated packet: the OAM handler, the service plane or the virtual switch.
    void Dispatch(uint32_t uplink, const TunnelRxInfo& rx, const Ptr<Packet>& frame);
    /// Build the tunnel fields; through the host CPU (if any), then Transmit().
    void SendOn(Ptr<Packet> frame,
                uint32_t vni,
                bool oam,
                uint32_t tunnel,
                uint32_t uplink,
                uint32_t flowHash,
                bool nsh = false,
                bool headEnd = false);

    Ipv4Address m_address;                             //!< loopback VTEP address
    Mac48Address m_mac;                                //!< VTEP MAC (OAM inner frames)
    Encap m_encap{GENEVE};                             //!< tunnel protocol
    Ptr<EncapsulationStrategy> m_strategy;             //!< builds and parses tunnel headers
    Ptr<HostCpu> m_cpu;                                //!< the data path's CPU (none: no wait)
    uint8_t m_ttl{64};                                 //!< outer TTL
    Ptr<VirtualSwitch> m_vswitch;                      //!< decap target
    Ptr<UplinkSelector> m_selector;                    //!< uplink policy
    std::vector<Ptr<FabricNetDevice>> m_uplinks;       //!< uplink devices
    std::vector<Ptr<HostNic>> m_nics;                  //!< NIC per uplink
    std::vector<Ipv4Address> m_tunnels;                //!< remote VTEP per tunnel
    std::unordered_map<uint32_t, uint32_t> m_tunnelOf; //!< remote address -> tunnel
    OamHandler m_oamHandler;                           //!< monitoring
    ServicePlaneHandler m_servicePlane;                //!< service chains (NSH packets)
    uint16_t m_ipId{0};                                //!< outer IPv4 identification
    std::vector<uint32_t> m_groups;                    //!< joined groups (host order), sorted
    uint32_t m_multicastUplink{0xffffffff};            //!< memberships' uplink (NO_UPLINK)

    TracedCallback<Ptr<const Packet>, DropReason> m_dropTrace;   //!< every drop, once
    TracedCallback<Ptr<const Packet>, uint32_t> m_uplinkTxTrace; //!< data packet sent
    TracedCallback<Ptr<const Packet>, uint8_t> m_oamTxTrace;     //!< OAM packet sent
    TracedCallback<Ptr<const Packet>, bool> m_cpuHoldTrace;      //!< waits for the host CPU
    TracedCallback<Ptr<const Packet>, uint32_t> m_igmpTxTrace;   //!< "IgmpTx"
};

} // namespace ns3

#endif
