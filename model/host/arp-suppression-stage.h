#ifndef OVERLAY_FABRIC_ARP_SUPPRESSION_STAGE_H
#define OVERLAY_FABRIC_ARP_SUPPRESSION_STAGE_H

#include "port-stage.h"

#include "ns3/ipv4-address.h"
#include "ns3/mac48-address.h"

#include <unordered_map>

namespace ns3
{

/**
 * \ingroup overlay-fabric
 * \brief ARP suppression: the first stage of every port. ARP requests are answered on the spot
 * from the ARP table the controller programs; they never leave the host.
 *
 * Non-ARP frames continue. An ARP request for a known (VNI, IPv4) is answered to the requesting
 * port (VirtualSwitch::ReplyToPort) and consumed; an ARP request for an unknown address is
 * dropped with UNKNOWN_DESTINATION; a truncated ARP packet is dropped as MALFORMED. An ARP reply
 * continues like any unicast frame: a VM answers the requests that come out of a tunnel, which
 * only an SR-IOV VF's VM sends (no virtual switch suppresses them: OffloadNic).
 */
class ArpSuppressionStage : public PortStage
{
  public:
    /**
     * \brief Get the TypeId.
     * \return the object TypeId
     */
    static TypeId GetTypeId();

    /**
     * \brief On \p vni, \p ip is at \p mac.
     * \param vni logical switch
     * \param ip the VM's address
     * \param mac the VM's MAC
     */
    void AddEntry(uint32_t vni, Ipv4Address ip, Mac48Address mac);

    /// \return the number of entries
    uint32_t GetSize() const;

    PortVerdict Process(PortContext& ctx) override;

  private:
    /// (VNI, IPv4) key of the table.
    struct Key
    {
        uint32_t vni; //!< logical switch
        uint32_t ip;  //!< IPv4 address, host order

        bool operator==(const Key& o) const
        {
            return vni == o.vni && ip == o.ip;
        }
    };

    /// Hash of a Key.
    struct KeyHash
    {
        size_t operator()(const Key& k) const
        {
            return MixHash64(uint64_t{k.ip} ^ (uint64_t{k.vni} << 48));
        }
    };

    std::unordered_map<Key, Mac48Address, KeyHash> m_table; //!< (VNI, IPv4) -> MAC
};

} // namespace ns3

#endif
