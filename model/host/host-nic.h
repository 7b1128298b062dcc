#ifndef OVERLAY_FABRIC_HOST_NIC_H
#define OVERLAY_FABRIC_HOST_NIC_H

#include "ns3/callback.h"
#include "ns3/ipv4-address.h"
#include "ns3/mac48-address.h"
#include "ns3/object.h"
#include "ns3/packet.h"

namespace ns3
{

class FabricNetDevice;
class Vtep;

/**
 * \ingroup overlay-fabric
 * \brief A host's physical NIC on one uplink, between the VTEP and the uplink's FabricNetDevice
 * (DESIGN "One overlay packet": VTEP -> uplink selector -> NIC i -> access link).
 *
 * The VTEP sends every tunnel packet through Send() and receives every frame of the uplink from
 * it (Vtep::Receive with the uplink index, a direct call: no callback layers per packet). This
 * class is the plain NIC, a pass-through: Send() adds nothing but the Ethernet header the device
 * puts on (to the leaf port, from the uplink's own MAC), and received frames go up unchanged,
 * outer Ethernet header on. It reports no drops of its own: the device reports its drops
 * (carrier, queue, MTU, faults) through its "Drop" trace, the VTEP the ones it decides.
 *
 * Send() and Receive() are virtual: an offloading NIC (model/offload, OffloadNic) overrides them
 * to encapsulate the frames its EncapsulationStrategy tagged and to decapsulate on receive (seed
 * 002), and Vtep::ReplaceNic puts it on an uplink.
 */
class HostNic : public Object
{
  public:
    /**
     * \brief Get the TypeId.
     * \return the object TypeId
     */
    static TypeId GetTypeId();
    HostNic();

    /**
     * \brief Attach the NIC to its uplink device; the NIC becomes the device's frame handler.
     * \param device the host end of the access link
     */
    void SetDevice(Ptr<FabricNetDevice> device);
    /// \return the uplink device
    Ptr<FabricNetDevice> GetDevice() const;

    /**
     * \brief Where received frames go (Vtep::AddNic calls it).
     * \param vtep the VTEP
     * \param uplink this NIC's uplink index at the VTEP
     */
    void SetVtep(Ptr<Vtep> vtep, uint32_t uplink);
    /// \return the uplink index at the VTEP
    uint32_t GetUplinkIndex() const;

    /**
     * \brief Send an outer IPv4 packet to the leaf port.
     * \param packet the IPv4 packet (tunnel headers on)
     * \return true if the device accepted it (a refused frame is in the device's "Drop" trace)
     */
    virtual bool Send(Ptr<Packet> packet);

    /**
     * \brief Send an IPv4 packet to an underlay multicast group (an IGMP report, a mirror copy):
     * the Ethernet destination is the group's MAC (RFC 1112 section 6.4). Never through an
     * offloading NIC's engine: the VTEP built every header.
     * \param packet the IPv4 packet
     * \param group its destination group
     * \return true if the device accepted it
     */
    bool SendMulticast(const Ptr<Packet>& packet, Ipv4Address group);

    /// \return whether the uplink has carrier
    bool IsLinkUp() const;

    /// \param callback called when the uplink's carrier changes
    void AddLinkChangeCallback(Callback<void> callback);

  protected:
    void DoDispose() override;

    /**
     * \brief The device's frame handler: hands the frame to the VTEP.
     * \param device the uplink device
     * \param frame the frame, Ethernet header on
     */
    virtual void Receive(Ptr<FabricNetDevice> device, Ptr<Packet> frame);

    /**
     * \brief Put the outer Ethernet header on (from the uplink's MAC) and send.
     * \param packet the IPv4 packet
     * \param destination the outer destination MAC
     * \return true if the device accepted it
     */
    bool SendTo(const Ptr<Packet>& packet, const Mac48Address& destination);

    Ptr<FabricNetDevice> m_device; //!< the uplink
    Ptr<Vtep> m_vtep;              //!< up (the cycle with the VTEP is broken in DoDispose)
    uint32_t m_uplink{0};          //!< uplink index at the VTEP
};

} // namespace ns3

#endif
