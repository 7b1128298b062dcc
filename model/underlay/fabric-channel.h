#ifndef OVERLAY_FABRIC_FABRIC_CHANNEL_H
#define OVERLAY_FABRIC_FABRIC_CHANNEL_H

#include "fabric-net-device.h"

#include "ns3/channel.h"
#include "ns3/nstime.h"
#include "ns3/ptr.h"
#include "ns3/traced-callback.h"

#include <cstdint>

namespace ns3
{

/**
 * \ingroup overlay-fabric
 * \brief The wire between two FabricNetDevices: propagation delay and carrier.
 *
 * The carrier is a property of the link, so both ends see a change at the same instant:
 * SetCarrier first changes the state, then notifies both devices (their IsLinkUp already
 * reports the new state when the first link change callback runs). Every carrier loss starts a
 * new epoch; a device stamps each frame it accepts with the epoch and drops it with LINK_DOWN at
 * arrival if the epoch has changed in between.
 */
class FabricChannel : public Channel
{
  public:
    /**
     * \brief Signature of the "CarrierChanged" trace source.
     * \param up new carrier state
     */
    typedef void (*CarrierTracedCallback)(bool up);

    /**
     * \brief Get the TypeId.
     * \return the object TypeId
     */
    static TypeId GetTypeId();

    FabricChannel();

    /**
     * \brief Attach a device; called by FabricNetDevice::Attach.
     * \param device the device
     * \return false if two devices are attached already
     */
    bool Attach(Ptr<FabricNetDevice> device);

    std::size_t GetNDevices() const override;
    Ptr<NetDevice> GetDevice(std::size_t i) const override;

    /**
     * \param i 0 or 1, in attach order
     * \return the device, or nullptr
     */
    Ptr<FabricNetDevice> GetFabricDevice(std::size_t i) const;

    /**
     * \brief Set the propagation delay (both directions).
     * \param delay the delay
     */
    void SetDelay(Time delay);

    /// \return the propagation delay
    Time GetDelay() const
    {
        return m_delay;
    }

    /**
     * \brief Raise or lose the carrier; both ends see it at once.
     * \param up the new state (no effect if unchanged)
     */
    void SetCarrier(bool up);

    /// \return true if the carrier is up
    bool IsCarrierUp() const
    {
        return m_carrier;
    }

    /// \return the carrier epoch: the number of carrier losses so far
    uint64_t GetEpoch() const
    {
        return m_epoch;
    }

  private:
    void DoDispose() override;

    Time m_delay;                        //!< propagation delay
    bool m_carrier{true};                //!< carrier state
    uint64_t m_epoch{0};                 //!< number of carrier losses
    Ptr<FabricNetDevice> m_devices[2];   //!< the two ends, in attach order
    std::size_t m_nDevices{0};           //!< number of attached devices
    TracedCallback<bool> m_carrierTrace; //!< "CarrierChanged"
};

} // namespace ns3

#endif
