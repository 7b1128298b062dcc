#ifndef OVERLAY_FABRIC_VIRTUAL_SWITCH_H
#define OVERLAY_FABRIC_VIRTUAL_SWITCH_H

#include "drop-reason.h"
#include "five-tuple.h"

#include "ns3/ipv4-address.h"
#include "ns3/mac48-address.h"
#include "ns3/object.h"
#include "ns3/traced-callback.h"

#include <unordered_map>
#include <vector>

namespace ns3
{

class VnicNetDevice;
class Vtep;

/**
 * \ingroup overlay-fabric
 * \brief A hypervisor's virtual switch: vNIC ports on logical switches (VNIs), an L2 table
 * programmed by the controller, ARP suppression, and the hand-off to the VTEP.
 *
 * Forwarding is a hashed lookup on (VNI, destination MAC): a local port (delivery stays inside the
 * host) or a remote VTEP. Simplifications, each deliberate: the L2 and ARP tables are programmed
 * from the scenario (the controller knows every VM, as NSX does), so there is no data-plane
 * learning and no BUM flooding; an ARP request is answered locally from the ARP table (ARP
 * suppression) and unknown destinations are dropped with a reason.
 *
 * Measured flows: packets of a registered inner 5-tuple get a FlowTag (flow id, sequence, send
 * time) when they leave their VM ("FlowTx") and fire "FlowRx" when handed to the destination vNIC.
 */
class VirtualSwitch : public Object
{
  public:
    static TypeId GetTypeId();
    VirtualSwitch();

    /// \param vtep the host's VTEP (remote destinations)
    void SetVtep(Ptr<Vtep> vtep);

    /**
     * \brief Connect a VM's vNIC on logical switch \p vni; its MAC becomes a local L2 entry.
     * \return the port number
     */
    uint32_t AddPort(Ptr<VnicNetDevice> vnic, uint32_t vni);

    /// \brief Program a remote VM: frames to (vni, mac) go through the VTEP's tunnel \p tunnel.
    void AddRemoteEntry(uint32_t vni, Mac48Address mac, uint32_t tunnel);
    /// \brief Program the ARP suppression table: on \p vni, \p ip is at \p mac.
    void AddArpEntry(uint32_t vni, Ipv4Address ip, Mac48Address mac);
    /// \brief Measure packets of \p key as flow \p flowId (FlowTag, FlowTx/FlowRx traces).
    void RegisterFlow(const FiveTuple& key, uint32_t flowId);

    /// \brief Egress frame from the vNIC on \p port.
    void FromVnic(uint32_t port, Ptr<Packet> frame);
    /// \brief Frame decapsulated by the VTEP on logical switch \p vni.
    void FromTunnel(uint32_t vni, Ptr<Packet> frame);

    /// Signature of "Drop".
    typedef void (*DropTracedCallback)(Ptr<const Packet> packet, DropReason reason);

  protected:
    void DoDispose() override;

  private:
    /// (VNI, MAC) key of the L2 table.
    struct L2Key
    {
        uint32_t vni; //!< logical switch
        uint64_t mac; //!< MAC as 48-bit integer

        bool operator==(const L2Key& o) const
        {
            return vni == o.vni && mac == o.mac;
        }
    };

    /// Hash of an L2Key.
    struct L2KeyHash
    {
        size_t operator()(const L2Key& k) const
        {
            return MixHash64(k.mac ^ (uint64_t{k.vni} << 48));
        }
    };

    /// Where a (VNI, MAC) lives: a local port, or behind a tunnel of the VTEP.
    struct L2Entry
    {
        bool local;     //!< true: local port
        uint32_t index; //!< local port, or tunnel index of the VTEP
    };

    /// Per-flow state of a registered flow.
    struct FlowState
    {
        uint32_t id;      //!< flow id
        uint32_t nextSeq; //!< next sequence number
    };

    /// \return the MAC as integer
    static uint64_t MacToInt(const uint8_t* bytes);
    void HandleArp(uint32_t port, uint32_t vni, Ptr<Packet> frame);
    void Deliver(uint32_t port, Ptr<Packet> frame);
    void Drop(Ptr<const Packet> frame, DropReason reason);

    Ptr<Vtep> m_vtep;                                                //!< remote path
    std::vector<Ptr<VnicNetDevice>> m_ports;                         //!< vNIC per port
    std::vector<uint32_t> m_portVni;                                 //!< VNI per port
    std::unordered_map<L2Key, L2Entry, L2KeyHash> m_l2;              //!< L2 table
    std::unordered_map<L2Key, Mac48Address, L2KeyHash> m_arp;        //!< (VNI, IPv4) -> MAC
    std::unordered_map<FiveTuple, FlowState, FiveTupleHash> m_flows; //!< measured flows

    TracedCallback<Ptr<const Packet>, DropReason> m_dropTrace; //!< every drop, once
    TracedCallback<Ptr<const Packet>> m_flowTxTrace;           //!< measured packet left its VM
    TracedCallback<Ptr<const Packet>> m_flowRxTrace; //!< measured packet handed to its vNIC
};

} // namespace ns3

#endif
