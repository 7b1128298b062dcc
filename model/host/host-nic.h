#ifndef OVERLAY_FABRIC_HOST_NIC_H
#define OVERLAY_FABRIC_HOST_NIC_H

#include "ns3/callback.h"
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
 * it (Vtep::Receive with the uplink index, a direct call: no callback layers per packet). Today it
 * is a pass-through: Send() adds nothing but the Ethernet header the device puts on (to the leaf
 * port, from the uplink's own MAC), and received frames go up unchanged, outer Ethernet header on.
 * This is where the offload of seed 002 will live: the NIC mapping tables (single or per VNI),
 * encapsulation of packets an offload-tagging EncapsulationStrategy hands down with their VNI in a
 * packet tag, decapsulation and learning on receive, and miss events; the VTEP and its strategy
 * already pass the NIC along for that.
 *
 * The NIC reports no drops of its own: the device reports its drops (carrier, queue, MTU, faults)
 * through its "Drop" trace, the VTEP the ones it decides.
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
    bool Send(Ptr<Packet> packet);

    /// \return whether the uplink has carrier
    bool IsLinkUp() const;

    /// \param callback called when the uplink's carrier changes
    void AddLinkChangeCallback(Callback<void> callback);

  protected:
    void DoDispose() override;

  private:
    /**
     * \brief The device's frame handler.
     * \param device the uplink device
     * \param frame the frame, Ethernet header on
     */
    void Receive(Ptr<FabricNetDevice> device, Ptr<Packet> frame);

    Ptr<FabricNetDevice> m_device; //!< the uplink
    Ptr<Vtep> m_vtep;              //!< up (the cycle with the VTEP is broken in DoDispose)
    uint32_t m_uplink{0};          //!< uplink index at the VTEP
};

} // namespace ns3

#endif
