#ifndef OVERLAY_FABRIC_OFFLOAD_ENCAPSULATION_H
#define OVERLAY_FABRIC_OFFLOAD_ENCAPSULATION_H

#include "encapsulation-strategy.h"
#include "nic-mapping-table.h"

namespace ns3
{

/**
 * \ingroup overlay-fabric
 * \brief The VTEP's side of NIC offload (seed 002 Figs. 7 and 8): data frames are tagged for the
 * NIC, which encapsulates them from its own mapping table; received frames come up already
 * decapsulated by the NIC, and the software learns from what the NIC could not place.
 *
 * Send: a data frame (inner Ethernet, GENEVE protocol 0x6558 or VXLAN) gets the NIC's transmit
 * descriptor (OffloadNic::TagForEncapsulation: the encapsulation tag and the VNI, paragraph
 * 0067): the software skips the table lookup and the encapsulation. OAM packets (the uplink
 * monitor's echoes and BFD) and service-plane NSH packets are encapsulated in software as
 * SoftwareEncapsulation does and go through the NIC untouched: the monitor takes the software
 * path, which is what makes its fate differ from the data's.
 *
 * Receive: the NIC's receive descriptor carries the VNI, the O bit, the source VTEP, or the
 * NIC's reason for refusing the packet; when it says the table does not place the inner source
 * MAC at the source VTEP, the hypervisor's table learns it (HostMappingTable::Learn, which pushes
 * the change). A frame the NIC passed up untouched is parsed in software.
 *
 * Every NIC of the VTEP must be an OffloadNic (OffloadHelper installs both).
 */
class OffloadEncapsulation : public EncapsulationStrategy
{
  public:
    static TypeId GetTypeId();
    OffloadEncapsulation();

    /// \param host the hypervisor's master table, which learns on ingress
    void SetHostTable(Ptr<HostMappingTable> host);
    /**
     * \param nicOam true: OAM frames (BFD) are tagged for the NIC like data (hardware BFD, fate
     * shared with the NIC's data path); false (default): the software encapsulates them
     */
    void SetNicOam(bool nicOam);

    void Encapsulate(Ptr<Packet> frame, const TunnelTxInfo& tx, const Ptr<HostNic>& nic) override;
    bool Decapsulate(Ptr<Packet> frame,
                     Ipv4Address local,
                     const Ptr<HostNic>& nic,
                     TunnelRxInfo& rx) override;

    /// Tagged data frames cost the CPU only the tag; OAM and NSH the software path.
    uint32_t TransmitCycles(const HostCpu& cpu, const TunnelTxInfo& tx) const override;
    /// A frame the NIC decapsulated costs the switch (and the learning when it learns); a
    /// segment after the first of an LRO aggregate costs nothing (the aggregate is paid once).
    uint32_t ReceiveCycles(const HostCpu& cpu, const Ptr<HostNic>& nic) const override;

    /// \return frames tagged for the NIC
    uint64_t GetTagged() const;

  protected:
    void DoDispose() override;

  private:
    Ptr<HostMappingTable> m_host; //!< learns on ingress
    bool m_nicOam{false};         //!< OAM frames go to the NIC too
    uint64_t m_tagged{0};         //!< frames tagged for the NIC
};

} // namespace ns3

#endif
