#ifndef OVERLAY_FABRIC_L2_LOOKUP_STAGE_H
#define OVERLAY_FABRIC_L2_LOOKUP_STAGE_H

#include "port-stage.h"

#include "ns3/mac48-address.h"
#include "ns3/ptr.h"

#include <unordered_map>

namespace ns3
{

class Vtep;

/**
 * \ingroup overlay-fabric
 * \brief The last stage of every port: the L2 table, a hashed lookup on (VNI, destination MAC).
 *
 * A local entry delivers the frame to that port's vNIC (VirtualSwitch::DeliverToPort, which fires
 * "FlowRx"); a remote entry hands it to the VTEP's tunnel (Vtep::Encapsulate); a miss
 * drops it with UNKNOWN_DESTINATION. The table is programmed by the controller (no data-plane
 * learning, no flooding). The virtual switch also reads it directly, through Lookup(), for frames
 * that come out of a tunnel.
 */
class L2LookupStage : public PortStage
{
  public:
    /// Where a (VNI, MAC) lives: a local port, or behind a tunnel of the VTEP.
    struct Entry
    {
        bool local;     //!< true: local port
        uint32_t index; //!< local port, or tunnel index of the VTEP
    };

    /**
     * \brief Get the TypeId.
     * \return the object TypeId
     */
    static TypeId GetTypeId();

    /// \param vtep where frames to remote entries go (VirtualSwitch::SetVtep sets it)
    void SetVtep(Ptr<Vtep> vtep);

    /**
     * \brief Add or replace the entry of (\p vni, \p mac).
     * \param vni logical switch
     * \param mac the VM's MAC
     * \param entry local port or remote tunnel
     */
    void SetEntry(uint32_t vni, Mac48Address mac, Entry entry);

    /**
     * \param vni logical switch
     * \param mac destination MAC as a 48-bit integer (PortContext::MacToInt)
     * \return the entry, or nullptr on a miss
     */
    const Entry* Lookup(uint32_t vni, uint64_t mac) const
    {
        auto it = m_table.find(Key{vni, mac});
        return it == m_table.end() ? nullptr : &it->second;
    }

    /// \return the number of entries
    uint32_t GetSize() const;

    PortVerdict Process(PortContext& ctx) override;

  protected:
    void DoDispose() override;

  private:
    /// (VNI, MAC) key of the table.
    struct Key
    {
        uint32_t vni; //!< logical switch
        uint64_t mac; //!< MAC as 48-bit integer

        bool operator==(const Key& o) const
        {
            return vni == o.vni && mac == o.mac;
        }
    };

    /// Hash of a Key.
    struct KeyHash
    {
        size_t operator()(const Key& k) const
        {
            return MixHash64(k.mac ^ (uint64_t{k.vni} << 48));
        }
    };

    std::unordered_map<Key, Entry, KeyHash> m_table; //!< the L2 table
    Ptr<Vtep> m_vtep;                                //!< remote entries' path
};

} // namespace ns3

#endif
