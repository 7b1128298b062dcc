#ifndef OVERLAY_FABRIC_SOFTWARE_ENCAPSULATION_H
#define OVERLAY_FABRIC_SOFTWARE_ENCAPSULATION_H

#include "encapsulation-strategy.h"

namespace ns3
{

/**
 * \ingroup overlay-fabric
 * \brief Encapsulation on the host CPU: the VTEP's default strategy.
 *
 * Send: the tunnel header (GENEVE, RFC 8926: protocol 0x6558, or 0x894F for the service plane's
 * NSH packets, O bit for OAM, UDP 6081; or VXLAN,
 * RFC 7348, UDP 4789), outer UDP with the source port 49152 + flowHash mod 16384 (RFC 7348
 * section 5) and checksum zero (both RFCs allow it over IPv4), outer IPv4 with DF and a computed
 * header checksum. The NIC adds the outer Ethernet header.
 *
 * Receive: outer Ethernet + IPv4 (options allowed) + UDP + tunnel header, parsed from stack
 * buffers (GENEVE options copied only when the header declares some), no allocation per packet.
 * Refused with MALFORMED (not IPv4, cut short, bad tunnel header or GENEVE protocol neither 0x6558
 * nor 0x894F) or NOT_FOR_US (another destination, not UDP, or not this protocol's port).
 */
class SoftwareEncapsulation : public EncapsulationStrategy
{
  public:
    /**
     * \brief Get the TypeId.
     * \return the object TypeId
     */
    static TypeId GetTypeId();
    SoftwareEncapsulation();

    void Encapsulate(Ptr<Packet> frame, const TunnelTxInfo& tx, const Ptr<HostNic>& nic) override;
    bool Decapsulate(Ptr<Packet> frame,
                     Ipv4Address local,
                     const Ptr<HostNic>& nic,
                     TunnelRxInfo& rx) override;

    /**
     * \brief Put the tunnel, UDP and IPv4 headers of \p protocol around an inner frame (the
     * send side above; an offloading NIC builds the same bytes with this function).
     * \param frame the inner frame, modified in place into the outer IPv4 packet
     * \param tx addresses and outer header fields
     * \param protocol GENEVE or VXLAN
     */
    static void AddTunnelHeaders(const Ptr<Packet>& frame,
                                 const TunnelTxInfo& tx,
                                 Vtep::Encap protocol);

    /**
     * \brief Validate a received frame and strip everything around the inner frame (the receive
     * side above; an offloading NIC parses with this function).
     * \param frame the frame, outer Ethernet header on; unchanged on refusal
     * \param local the local VTEP address
     * \param protocol GENEVE or VXLAN
     * \param rx filled: VNI, O bit, NSH and outer source on success, the reason on refusal
     * \return true if \p frame is now the inner frame (or NSH + inner frame)
     */
    static bool StripTunnelHeaders(const Ptr<Packet>& frame,
                                   Ipv4Address local,
                                   Vtep::Encap protocol,
                                   TunnelRxInfo& rx);
};

} // namespace ns3

#endif
