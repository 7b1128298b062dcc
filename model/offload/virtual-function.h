#ifndef OVERLAY_FABRIC_VIRTUAL_FUNCTION_H
#define OVERLAY_FABRIC_VIRTUAL_FUNCTION_H

#include "nic-mapping-table.h"

#include "ns3/callback.h"
#include "ns3/mac48-address.h"
#include "ns3/nstime.h"
#include "ns3/object.h"
#include "ns3/packet.h"

#include <cstdint>
#include <optional>

namespace ns3
{

class OffloadNic;

/**
 * \ingroup overlay-fabric
 * \brief An SR-IOV virtual function (VF) of an offloading NIC, given to one VM as its own NIC
 * (seed 002 section III.A, Figs. 9, 12-15).
 *
 * The VM's frames bypass the hypervisor: Send() hands them to the NIC of the VF's physical
 * function (PF), which encapsulates every one of them (no tag: paragraph 0108) with the VF's VNI
 * and source UDP port (paragraph 0099), from the VF's own copy of the mapping table (one table
 * per VF, holding the entries of its VNI only: paragraphs 0095 and 0098). The hypervisor
 * configures the VF through the PF driver's pass-through callbacks when the VM powers on
 * (paragraph 0101): HostMappingTable::RegisterNic with the VF's VNI pushes the VNI's entries, and
 * later changes of that VNI follow. Received frames come from any NIC of the host (they share
 * the VTEP address) through Deliver(), which hands them to the VM (the receive callback: the
 * VM's pass-through port, which measures flows as a port does, at no host CPU cost).
 *
 * The VF's port on the virtual switch is reserved and marked pass-through (paragraph 0093): it
 * carries no data. A VF transmits on its PF's uplink only: the hypervisor's uplink selection and
 * its failover do not apply to frames that bypass it (a VM that needs failover bonds two VFs
 * itself, which this model does not do). Simplification: the NIC's embedded switch between a VF
 * and the PF or another VF of the same host is not modelled; validate refuses flows between
 * such VMs.
 */
class VirtualFunction : public Object
{
  public:
    /// Hands a frame to the VM (Ethernet header on).
    using ReceiveCallback = Callback<void, Ptr<Packet>>;

    /// Counters of the VF.
    struct Counters
    {
        uint64_t txFrames{0};        //!< frames the VM sent
        uint64_t txEncapsulated{0};  //!< of them, encapsulated from a table entry
        uint64_t txGatewayBound{0};  //!< of them, missed and went to the VNI's gateway
        uint64_t txMissDropped{0};   //!< of them, missed with no gateway (nic_miss)
        uint64_t txFlooded{0};       //!< broadcast/multicast frames the VM sent
        uint64_t txFloodCopies{0};   //!< tunnel copies of those (one per remote VTEP of the VNI)
        uint64_t rxDelivered{0};     //!< frames handed to the VM
        uint64_t rxFlooded{0};       //!< of them, broadcast/multicast of the VNI
        uint64_t rxUnvalidated{0};   //!< frames for the VM refused: no entry names their VTEP
        uint64_t arpRequests{0};     //!< ARP requests the VM sent
        uint64_t arpReplies{0};      //!< ARP replies handed to the VM, validated (Fig. 15)
        uint64_t arpToPf{0};         //!< ARP replies not validated: to the PF (paragraph 0125)
        uint64_t proxyReplies{0};    //!< ARP replies the hypervisor's ARP agent sent (0126)
        uint64_t proxyUnresolved{0}; //!< agent replies given up: the entry never came
    };

    static TypeId GetTypeId();
    VirtualFunction();

    /**
     * \brief Configure the VF (the PF driver's pass-through operations, Fig. 9: 915, 920).
     * \param pf the NIC whose physical function the VF belongs to (it transmits)
     * \param mac the MAC of the VM's VF
     * \param vni the VF's VNI (its VM's segment)
     * \param sourcePort the VF's outer UDP source port; 0: from the inner flow (like the VTEP)
     * \param table the VF's copy of the mapping table
     */
    void Configure(Ptr<OffloadNic> pf,
                   Mac48Address mac,
                   uint32_t vni,
                   uint16_t sourcePort,
                   Ptr<NicMappingTable> table);
    /// \param callback where frames for the VM go
    void SetReceiveCallback(ReceiveCallback callback);
    /// \param callback the hypervisor's handler of the VF table's miss events (VNI, MAC)
    void SetMissCallback(Callback<void, uint32_t, uint64_t> callback);
    /// \brief The VF's table has no entry for (\p vni, \p mac): tell the hypervisor.
    void RaiseMiss(uint32_t vni, uint64_t mac);

    /// \brief The VM sends a frame (Ethernet header on): to the PF's NIC.
    void Send(Ptr<Packet> frame);
    /// \brief A frame for the VM (the NIC validated it): to the VM.
    void Deliver(Ptr<Packet> frame);

    /// \return the VF's MAC as the 48-bit integer tables key on
    uint64_t GetMacInt() const
    {
        return m_macInt;
    }

    /// \return the VF's MAC
    Mac48Address GetMac() const;

    /// \return the VF's VNI
    uint32_t GetVni() const
    {
        return m_vni;
    }

    /// \return the VF's source UDP port (0: from the inner flow)
    uint16_t GetSourcePort() const
    {
        return m_sourcePort;
    }

    /// \return the VF's copy of the mapping table
    Ptr<NicMappingTable> GetTable() const
    {
        return m_table;
    }

    /// \return the PF's NIC
    Ptr<OffloadNic> GetPf() const;

    /// \return the counters (the NIC counts into them)
    Counters& GetCounters()
    {
        return m_counters;
    }

    /// \return when the VM sent its first ARP request, if it did
    std::optional<Time> GetFirstArpRequest() const;
    /// \return when the VM got its first ARP reply, if it did
    std::optional<Time> GetFirstArpReply() const;
    /// \brief The NIC saw the VM send an ARP request.
    void NoteArpRequest();
    /// \brief An ARP reply reaches the VM (validated, or from the ARP agent).
    void NoteArpReply();

  protected:
    void DoDispose() override;

  private:
    Ptr<OffloadNic> m_pf;                      //!< transmits the VF's frames
    Mac48Address m_mac;                        //!< the VM's VF MAC
    uint64_t m_macInt{0};                      //!< m_mac as a 48-bit integer
    uint32_t m_vni{0};                         //!< the VF's VNI
    uint16_t m_sourcePort{0};                  //!< fixed outer UDP source port (0: per flow)
    Ptr<NicMappingTable> m_table;              //!< the VF's copy
    ReceiveCallback m_toVm;                    //!< to the VM
    Callback<void, uint32_t, uint64_t> m_miss; //!< the hypervisor's miss handler
    Counters m_counters;                       //!< counters
    std::optional<Time> m_firstArpRequest;     //!< first ARP request sent
    std::optional<Time> m_firstArpReply;       //!< first ARP reply received
};

} // namespace ns3

#endif
