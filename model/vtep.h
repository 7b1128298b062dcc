#ifndef OVERLAY_FABRIC_VTEP_H
#define OVERLAY_FABRIC_VTEP_H

#include "drop-reason.h"
#include "uplink-selector.h"

#include "ns3/ipv4-address.h"
#include "ns3/object.h"
#include "ns3/traced-callback.h"

#include <vector>

namespace ns3
{

class FabricNetDevice;
class Packet;
class VirtualSwitch;

/**
 * \ingroup overlay-fabric
 * \brief A software VTEP on a multi-homed host (seed 000, paragraphs 0020, 0044).
 *
 * Owns a loopback IPv4 address that floats over all uplinks (each leaf has a static route to it
 * through the host's uplink); sends every tunnel packet with the source MAC of the uplink it
 * leaves on. Encapsulation is GENEVE (RFC 8926, UDP 6081, protocol 0x6558) or VXLAN (RFC 7348,
 * UDP 4789), with the outer UDP source port taken from the inner-flow hash (49152 + hash mod
 * 16384, RFC 7348 section 5) so that flows spread over ECMP paths and each stays in order.
 * The outer UDP checksum is zero, as both RFCs allow over IPv4; the outer IPv4 header checksum is
 * computed. Which uplink a packet leaves on is the UplinkSelector's decision; carrier changes on an
 * uplink are passed to the selector at once.
 */
class Vtep : public Object
{
  public:
    /// Tunnel encapsulation.
    enum Encap
    {
        GENEVE, //!< RFC 8926
        VXLAN   //!< RFC 7348
    };

    static TypeId GetTypeId();
    Vtep();

    /// \param address the loopback VTEP address
    void SetLocalAddress(Ipv4Address address);
    /// \return the loopback VTEP address
    Ipv4Address GetLocalAddress() const;
    /// \param vswitch where decapsulated frames go
    void SetVirtualSwitch(Ptr<VirtualSwitch> vswitch);
    /// \param selector the uplink policy (its uplink count is set from the uplinks added)
    void SetUplinkSelector(Ptr<UplinkSelector> selector);
    /// \return the uplink policy
    Ptr<UplinkSelector> GetUplinkSelector() const;
    /**
     * \brief Add an uplink; its frame handler becomes this VTEP's receive path.
     * \return the uplink index
     */
    uint32_t AddUplink(Ptr<FabricNetDevice> uplink);
    /// \return the uplink devices
    const std::vector<Ptr<FabricNetDevice>>& GetUplinks() const;

    /**
     * \brief Encapsulate an inner Ethernet frame and send it to a remote VTEP.
     * \param frame inner Ethernet frame (modified in place)
     * \param vni logical switch
     * \param remote remote VTEP address
     * \param innerFlowHash hash of the inner 5-tuple
     */
    void Encapsulate(Ptr<Packet> frame, uint32_t vni, Ipv4Address remote, uint32_t innerFlowHash);

    /// Signature of "Drop".
    typedef void (*DropTracedCallback)(Ptr<const Packet> packet, DropReason reason);
    /// Signature of "UplinkTx": (packet, uplink index).
    typedef void (*UplinkTxTracedCallback)(Ptr<const Packet> packet, uint32_t uplink);

  protected:
    void DoDispose() override;

  private:
    void Receive(Ptr<FabricNetDevice> device, Ptr<Packet> frame);
    void CarrierChanged(uint32_t uplink);
    void Drop(Ptr<const Packet> packet, DropReason reason);

    Ipv4Address m_address;                       //!< loopback VTEP address
    Encap m_encap{GENEVE};                       //!< encapsulation
    uint8_t m_ttl{64};                           //!< outer TTL
    Ptr<VirtualSwitch> m_vswitch;                //!< decap target
    Ptr<UplinkSelector> m_selector;              //!< uplink policy
    std::vector<Ptr<FabricNetDevice>> m_uplinks; //!< uplink NICs
    uint16_t m_ipId{0};                          //!< outer IPv4 identification

    TracedCallback<Ptr<const Packet>, DropReason> m_dropTrace;   //!< every drop, once
    TracedCallback<Ptr<const Packet>, uint32_t> m_uplinkTxTrace; //!< encapsulated packet sent
};

} // namespace ns3

#endif
