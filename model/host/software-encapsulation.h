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
 * Refused with MALFORMED (not IPv4, cut short, bad tunnel header or GENEVE protocol neither 0x6558 nor 0x894F)
 * or NOT_FOR_US (another destination, not UDP, or not this protocol's port).
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
};

} // namespace ns3

#endif
