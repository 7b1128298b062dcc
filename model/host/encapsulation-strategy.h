#ifndef OVERLAY_FABRIC_ENCAPSULATION_STRATEGY_H
#define OVERLAY_FABRIC_ENCAPSULATION_STRATEGY_H

#include "drop-reason.h"
#include "vtep.h"

#include "ns3/ipv4-address.h"
#include "ns3/object.h"
#include "ns3/packet.h"

#include <cstdint>

namespace ns3
{

class HostCpu;
class HostNic;

/**
 * \ingroup overlay-fabric
 * \brief What a VTEP asks its encapsulation strategy to put around one inner frame (the VTEP
 * brace-initialises it in member order, per packet: keep the order).
 */
struct TunnelTxInfo
{
    Ipv4Address source;      //!< outer source: the local VTEP loopback
    Ipv4Address destination; //!< outer destination: the remote VTEP
    uint32_t vni;            //!< logical switch (0 for OAM)
    bool oam;                //!< an OAM packet (GENEVE O bit)
    uint32_t flowHash;       //!< inner-flow entropy (outer UDP source port)
    uint8_t ttl;             //!< outer TTL
    uint16_t identification; //!< outer IPv4 identification
    uint32_t tunnel;         //!< the VTEP's tunnel index
    uint32_t uplink;         //!< the uplink (NIC) the packet leaves on
    bool nsh;                //!< the inner packet is NSH + frame (GENEVE protocol 0x894F)
    /// the outer UDP source port when it is fixed (an SR-IOV VF's, seed 002 paragraph 0099);
    /// 0: from flowHash (the VTEP leaves it 0)
    uint16_t sourcePort;
    /// the VTEP chose the destination itself (a mirror copy it replicates, seed 003 Fig. 8), so
    /// the headers are built in software: an offloading NIC's table maps the inner destination
    /// MAC, not the copy's VTEP
    bool headEnd{false};
};

/**
 * \ingroup overlay-fabric
 * \brief What an encapsulation strategy found in a tunnel packet it accepted, or why it refused
 * it.
 */
struct TunnelRxInfo
{
    uint32_t vni;      //!< logical switch
    bool oam;          //!< OAM packet (GENEVE O bit)
    uint32_t source;   //!< outer source: the remote VTEP (IPv4, host order)
    uint16_t entropy;  //!< outer UDP source port: the inner flow's entropy (receive-side scaling)
    bool nsh;          //!< the packet carries NSH + frame (GENEVE protocol 0x894F)
    DropReason reason; //!< why the packet was refused (when Decapsulate returns false)
    /// outer destination (IPv4, host order), set also when refused as NOT_FOR_US: a multicast
    /// group the VTEP may have joined
    uint32_t destination{0};
};

/**
 * \ingroup overlay-fabric
 * \brief How a VTEP turns inner frames into tunnel packets and back (DESIGN: "encapsulation is a
 * strategy"): SoftwareEncapsulation on the host CPU, or OffloadEncapsulation (model/offload),
 * which tags data frames for the NIC to encapsulate from its mapping table (seed 002).
 *
 * The wire protocol (GENEVE or VXLAN) is the VTEP's "Encapsulation" attribute, which the VTEP
 * passes on through SetProtocol(); the strategy decides who builds the headers. Both calls get the
 * HostNic of the uplink, so that an offloading strategy can leave the headers to the NIC (the
 * VNI in the NIC's transmit descriptor on send, read back from its receive descriptor). A
 * strategy holds no per-packet state beyond its protocol; use one object per VTEP.
 */
class EncapsulationStrategy : public Object
{
  public:
    /**
     * \brief Get the TypeId.
     * \return the object TypeId
     */
    static TypeId GetTypeId();

    /// \param protocol the tunnel protocol (the VTEP's "Encapsulation")
    void SetProtocol(Vtep::Encap protocol);
    /// \return the tunnel protocol
    Vtep::Encap GetProtocol() const;

    /**
     * \brief Prepare an inner Ethernet frame for the NIC of uplink \p tx.uplink.
     * \param frame the inner frame, modified in place into what the NIC is given
     * \param tx tunnel, addresses and outer header fields
     * \param nic the NIC the packet leaves through
     */
    virtual void Encapsulate(Ptr<Packet> frame,
                             const TunnelTxInfo& tx,
                             const Ptr<HostNic>& nic) = 0;

    /**
     * \brief Validate a frame received on an uplink and strip everything around the inner frame.
     * \param frame the frame as the NIC handed it up (outer Ethernet on); unchanged on refusal
     * \param local the local VTEP address (outer destination expected)
     * \param nic the NIC it arrived through
     * \param rx filled: VNI, O bit and outer source on success, the drop reason on refusal
     * \return true if \p frame is now the inner frame
     */
    virtual bool Decapsulate(Ptr<Packet> frame,
                             Ipv4Address local,
                             const Ptr<HostNic>& nic,
                             TunnelRxInfo& rx) = 0;

    /**
     * \brief The host CPU's work to send this packet (the VTEP's HostCpu, when it has one).
     * \param cpu the host's CPU model
     * \param tx the packet's tunnel fields
     * \return its cycles: the software path's (this default) or the offloaded path's
     */
    virtual uint32_t TransmitCycles(const HostCpu& cpu, const TunnelTxInfo& tx) const;
    /**
     * \brief The host CPU's work to receive the packet Decapsulate() just accepted.
     * \param cpu the host's CPU model
     * \param nic the NIC it arrived through
     * \return its cycles: the software path's (this default) or the offloaded path's
     */
    virtual uint32_t ReceiveCycles(const HostCpu& cpu, const Ptr<HostNic>& nic) const;

  protected:
    Vtep::Encap m_protocol{Vtep::GENEVE}; //!< tunnel protocol
};

} // namespace ns3

#endif
