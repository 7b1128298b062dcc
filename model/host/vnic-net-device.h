#ifndef OVERLAY_FABRIC_VNIC_NET_DEVICE_H
#define OVERLAY_FABRIC_VNIC_NET_DEVICE_H

#include "drop-reason.h"

#include "ns3/callback.h"
#include "ns3/mac48-address.h"
#include "ns3/net-device.h"
#include "ns3/traced-callback.h"

namespace ns3
{

class VirtualSwitch;

/**
 * \ingroup overlay-fabric
 * \brief A VM's virtual NIC: an Ethernet device whose "wire" is a port of its host's virtual
 * switch.
 *
 * Send() frames the packet with a real Ethernet II header and hands it to the virtual switch
 * synchronously (the hypervisor's vNIC-to-vswitch copy is not modelled as taking time). Frames
 * from the switch arrive through Receive(), which the switch always schedules as a new event in
 * the VM node's context so that one VM's stack never re-enters another's.
 */
class VnicNetDevice : public NetDevice
{
  public:
    /// Hands an egress Ethernet frame to the virtual switch: (port, frame).
    using SwitchPort = Callback<void, uint32_t, Ptr<Packet>>;

    static TypeId GetTypeId();
    VnicNetDevice();

    /**
     * \brief Attach to a virtual switch port.
     * \param port the port number on the switch
     * \param toSwitch where egress frames go
     */
    void Connect(uint32_t port, SwitchPort toSwitch);

    /**
     * \brief Deliver a frame from the virtual switch to the VM (Ethernet header on).
     * \param frame the frame
     */
    void Receive(Ptr<Packet> frame);

    /**
     * \brief Connect or disconnect the vNIC from its port (a service VM's "interface down"
     * failure, seed 001 paragraph 0071). While down, frames sent by the VM and frames handed to
     * it are dropped and reported through "Drop" (VNIC_DOWN); link change callbacks fire.
     * \param up the new state
     */
    void SetLinkUp(bool up);

    /// Signature of "Drop".
    typedef void (*DropTracedCallback)(Ptr<const Packet> packet, DropReason reason);

    // NetDevice
    void SetIfIndex(const uint32_t index) override;
    uint32_t GetIfIndex() const override;
    Ptr<Channel> GetChannel() const override;
    void SetAddress(Address address) override;
    Address GetAddress() const override;
    bool SetMtu(const uint16_t mtu) override;
    uint16_t GetMtu() const override;
    bool IsLinkUp() const override;
    void AddLinkChangeCallback(Callback<void> callback) override;
    bool IsBroadcast() const override;
    Address GetBroadcast() const override;
    bool IsMulticast() const override;
    Address GetMulticast(Ipv4Address multicastGroup) const override;
    Address GetMulticast(Ipv6Address addr) const override;
    bool IsBridge() const override;
    bool IsPointToPoint() const override;
    bool Send(Ptr<Packet> packet, const Address& dest, uint16_t protocolNumber) override;
    bool SendFrom(Ptr<Packet> packet,
                  const Address& source,
                  const Address& dest,
                  uint16_t protocolNumber) override;
    Ptr<Node> GetNode() const override;
    void SetNode(Ptr<Node> node) override;
    bool NeedsArp() const override;
    void SetReceiveCallback(NetDevice::ReceiveCallback cb) override;
    void SetPromiscReceiveCallback(PromiscReceiveCallback cb) override;
    bool SupportsSendFrom() const override;

  protected:
    void DoDispose() override;

  private:
    Ptr<Node> m_node;                                    //!< the VM
    uint32_t m_ifIndex{0};                               //!< interface index on the VM
    Mac48Address m_address;                              //!< vNIC MAC
    uint16_t m_mtu{1500};                                //!< inner MTU
    uint32_t m_port{0};                                  //!< virtual switch port
    SwitchPort m_toSwitch;                               //!< egress path
    NetDevice::ReceiveCallback m_rxCallback;             //!< to the VM's stack
    NetDevice::PromiscReceiveCallback m_promiscCallback; //!< promiscuous receivers
    TracedCallback<Ptr<const Packet>> m_sniffer;         //!< whole frames, both directions (pcap)
    TracedCallback<Ptr<const Packet>> m_macRxTrace;      //!< "MacRx": whole frames to the VM
    bool m_linkUp{true};                                 //!< connected to its port
    TracedCallback<> m_linkChange;                       //!< link change callbacks
    TracedCallback<Ptr<const Packet>, DropReason> m_dropTrace; //!< frames lost while down
};

} // namespace ns3

#endif
