#ifndef OVERLAY_FABRIC_NIC_MAPPING_TABLE_H
#define OVERLAY_FABRIC_NIC_MAPPING_TABLE_H

#include "ns3/event-id.h"
#include "ns3/ipv4-address.h"
#include "ns3/mac48-address.h"
#include "ns3/nstime.h"
#include "ns3/object.h"
#include "ns3/traced-callback.h"

#include <cstdint>
#include <deque>
#include <functional>
#include <unordered_map>
#include <vector>

namespace ns3
{

/**
 * \ingroup overlay-fabric
 * \brief Where a VM's frames go: its VTEP (seed 002 Fig. 3: VM MAC, VNI -> VTEP MAC, VTEP IP).
 */
struct VtepMapping
{
    Ipv4Address vtepIp;   //!< the VTEP the VM is behind
    Mac48Address vtepMac; //!< its MAC (or the gateway's, paragraph 0069)

    bool operator==(const VtepMapping& o) const
    {
        return vtepIp == o.vtepIp && vtepMac == o.vtepMac;
    }
};

/**
 * \ingroup overlay-fabric
 * \brief One change of the overlay address mapping table, as the hypervisor pushes it.
 */
struct MappingUpdate
{
    uint32_t vni{0};       //!< the segment
    Mac48Address vm;       //!< the VM's MAC
    bool remove{false};    //!< the VM left (or migrated away); else added or modified
    VtepMapping mapping{}; //!< its VTEP (added or modified)
};

/**
 * \ingroup overlay-fabric
 * \brief The overlay address mapping table in a NIC (seed 002 paragraphs 0042, 0050-0063, Figs. 3
 * and 4): (VNI, VM MAC) -> (VTEP IP, VTEP MAC), plus per VNI its IP multicast group and the
 * gateway for VTEPs off the source VTEP's subnet.
 *
 * The NIC holds a copy; the hypervisor keeps the master (HostMappingTable) and pushes changes
 * through the callback the NIC registered (paragraph 0061: "vxlanMappingTableUpdate"), the whole
 * table or only the changed entries (paragraph 0055). A push is a batch: the NIC applies it
 * PushBatchLatency + PushEntryLatency x (entries in the batch) after it arrives, and batches are
 * applied one after the other, in order, so until then the NIC's copy is stale (a lookup sees the
 * old entry or none). Lookups are one hashed probe.
 *
 * Layout (Figs. 3 and 4): SINGLE, one table for all VNIs, whose Capacity bounds all entries; or
 * PER_VNI, one table per VNI, each bounded by Capacity. When a table is full, a new entry is not
 * installed (the "refuse new" policy of a hardware exact-match table without eviction): it is
 * counted and traced ("Refused"), and the NIC treats that VM as a miss (paragraph 0070: the
 * hypervisor is told and the packet goes towards the gateway), which is what a table smaller
 * than the active set costs. A removal always succeeds and frees room; a refused entry is not
 * retried until the hypervisor pushes it again (the whole-table mode does so on every push).
 *
 * EntryBytes (default 32) is the memory of one entry, which only the fast path's cost reads
 * (FastPathCost): the fields of Fig. 3 take 19 bytes (VNI 3, VM MAC 6, VTEP IP 4, VTEP MAC 6),
 * rounded up with a valid bit to a 32-byte memory word (an assumption; seed 002 gives no layout).
 *
 * Defaults: Capacity 16384 entries, PushBatchLatency 20 us (one driver command to the NIC:
 * doorbell, firmware, completion), PushEntryLatency 1 us (about a million exact-match entries per
 * second). Seed 002 gives no figures; these are assumed orders of magnitude for a datacenter NIC
 * and are attributes, so a scenario sets what its NIC has.
 */
class NicMappingTable : public Object
{
  public:
    /// One table for all VNIs, or one per VNI.
    enum Layout : uint8_t
    {
        SINGLE = 0, //!< Fig. 3
        PER_VNI = 1 //!< Fig. 4
    };

    /// Per VNI: where its broadcast goes and the gateway of routed VTEPs (paragraphs 0062-0063).
    struct SegmentInfo
    {
        Ipv4Address multicast;   //!< the VNI's IP multicast group
        Ipv4Address gatewayIp;   //!< the gateway of the source VTEP's network
        Mac48Address gatewayMac; //!< its MAC
    };

    /// Counters.
    struct Counters
    {
        uint64_t lookups{0};        //!< lookups
        uint64_t misses{0};         //!< lookups without an entry
        uint64_t pushes{0};         //!< batches applied
        uint64_t entriesApplied{0}; //!< updates applied
        uint64_t refused{0};        //!< new entries refused: the table was full
    };

    static TypeId GetTypeId();
    NicMappingTable();

    /**
     * \brief The hypervisor's push (the registered callback): apply \p batch after the push
     * latency, after every batch pushed before it.
     * \param batch the changes
     * \param wholeTable the batch is the whole table: entries it does not list are removed
     */
    void Push(const std::vector<MappingUpdate>& batch, bool wholeTable);

    /// \brief Program the details of segment \p vni (at once: configuration, not a table push).
    void SetSegment(uint32_t vni, const SegmentInfo& info);

    /**
     * \param vni the segment
     * \param vm the VM's MAC as a 48-bit integer (PortContext::MacToInt)
     * \return the entry, or nullptr on a miss ("Miss" fires)
     */
    const VtepMapping* Lookup(uint32_t vni, uint64_t vm);

    /**
     * \brief The receive side's check of an entry (no counters, no trace: not a transmit lookup).
     * \param vni the segment
     * \param vm the VM's MAC as a 48-bit integer
     * \return the entry, or nullptr
     */
    const VtepMapping* Find(uint32_t vni, uint64_t vm) const
    {
        auto it = m_table.find(Key{vni, vm});
        return it == m_table.end() ? nullptr : &it->second;
    }

    /// \return the details of \p vni, or nullptr if none were programmed
    const SegmentInfo* GetSegment(uint32_t vni) const;

    /// \return entries installed (all tables)
    uint32_t GetSize() const;
    /// \return the entries installed for \p vni
    uint32_t GetSize(uint32_t vni) const;
    /**
     * \return the entries the NIC's memory is sized for: Capacity (SINGLE), or Capacity per VNI
     * programmed (PER_VNI)
     */
    uint64_t GetProvisionedEntries() const;
    /// \return the bytes of the NIC's table memory: provisioned entries x EntryBytes
    uint64_t GetMemoryBytes() const;
    /// \return when the last batch pushed so far will have been applied (now if none is pending)
    Time GetSettledAt() const;
    /// \return the counters
    const Counters& GetCounters() const;

    /// \return a MAC as the 48-bit integer the table keys on
    static uint64_t MacToInt(Mac48Address mac);
    /// \return the MAC of a 48-bit integer (the inverse of MacToInt)
    static Mac48Address IntToMac(uint64_t mac);

    /// Signature of "Applied": (updates in the batch, of them refused).
    typedef void (*AppliedTracedCallback)(uint32_t entries, uint32_t refused);
    /// Signature of "Miss" and "Refused": (VNI, VM MAC as a 48-bit integer).
    typedef void (*EntryTracedCallback)(uint32_t vni, uint64_t vm);

  protected:
    void DoDispose() override;

  private:
    /// Key of an entry.
    struct Key
    {
        uint32_t vni; //!< segment
        uint64_t vm;  //!< VM MAC as a 48-bit integer

        bool operator==(const Key& o) const
        {
            return vni == o.vni && vm == o.vm;
        }
    };

    /// Hash of a key: the 24-bit VNI above the 48-bit MAC would need 72 bits, so mix them.
    struct KeyHash
    {
        size_t operator()(const Key& k) const
        {
            return std::hash<uint64_t>()(k.vm ^
                                         (static_cast<uint64_t>(k.vni) * 0x9E3779B97F4A7C15ull));
        }
    };

    friend class HostMappingTable;

    /// A pushed batch waiting to be applied.
    struct Pending
    {
        std::vector<MappingUpdate> batch; //!< the changes
        bool wholeTable;                  //!< replace the table
    };

    /// Apply the oldest pending batch and schedule the next.
    void ApplyNext();
    /// \return whether the table of \p vni has room for one more entry
    bool HasRoom(uint32_t vni) const;

    Layout m_layout;                                       //!< one table or one per VNI
    uint32_t m_capacity;                                   //!< entries (per table)
    uint32_t m_entryBytes;                                 //!< memory of one entry
    Time m_batchLatency;                                   //!< per push
    Time m_entryLatency;                                   //!< per entry of a push
    std::unordered_map<Key, VtepMapping, KeyHash> m_table; //!< (VNI, MAC) -> VTEP
    std::unordered_map<uint32_t, uint32_t> m_perVni;       //!< VNI -> entries installed
    std::unordered_map<uint32_t, SegmentInfo> m_segments;  //!< VNI -> details
    std::deque<Pending> m_pending;                         //!< pushed, not applied yet
    EventId m_applyEvent;                                  //!< the oldest pending batch's
    Time m_settledAt;                                      //!< when the last pending one is applied
    Counters m_counters;                                   //!< counters
    TracedCallback<uint32_t, uint32_t> m_appliedTrace;     //!< a batch applied
    TracedCallback<uint32_t, uint64_t> m_missTrace;        //!< a lookup without an entry
    TracedCallback<uint32_t, uint64_t> m_refusedTrace;     //!< a new entry refused (full)
};

/**
 * \ingroup overlay-fabric
 * \brief The hypervisor's master copy of the overlay address mapping table (seed 002 Fig. 6): the
 * control events (VTEP created, VM joined, left, migrated in or out, learned on ingress, ARP)
 * change it, and every change is pushed to the NICs that registered (paragraph 0061), as the
 * changed entries (DELTA) or as the whole table (WHOLE_TABLE, paragraph 0055).
 */
class HostMappingTable : public Object
{
  public:
    /// How changes reach the NICs.
    enum PushMode : uint8_t
    {
        DELTA = 0,      //!< only the changed entries
        WHOLE_TABLE = 1 //!< the entire table after each change
    };

    static TypeId GetTypeId();
    HostMappingTable();

    /// \param nic a NIC to keep in step (its Push is the registered callback)
    void RegisterNic(Ptr<NicMappingTable> nic);
    /**
     * \brief Configure an SR-IOV VF's table (seed 002 paragraphs 0095, 0105): push it the
     * entries of \p vni now, as one batch, and from now on every change of \p vni only.
     * \param table the VF's copy
     * \param vni the VF's VNI
     */
    void ConfigureFunction(Ptr<NicMappingTable> table, uint32_t vni);

    /**
     * \brief Apply one control event's changes to the master and push them.
     * \param changes the changes of the event (one push for all of them)
     */
    void Update(const std::vector<MappingUpdate>& changes);

    /**
     * \brief Learning on ingress (Fig. 6, 625; paragraph 0082): the NIC handed up a packet from
     * \p at whose inner source \p vm its table does not place there. A change of the master is
     * pushed like any other control event; an entry the master already has is left alone (the
     * NIC's copy is only stale, or full).
     * \return true if the master changed
     */
    bool Learn(uint32_t vni, Mac48Address vm, const VtepMapping& at);

    /**
     * \brief The NIC's miss event (paragraph 0070). If the master has the entry, the NIC has
     * room for it and no push to that NIC is still pending, the entry is pushed again to that
     * NIC alone (it was refused when the table was full, and room was freed since); otherwise
     * the event is only counted: the entry is on its way, or cannot be installed, or is unknown.
     * \param nic the NIC that missed
     * \param vni the segment
     * \param vm the inner destination MAC as a 48-bit integer
     */
    void NicMiss(Ptr<NicMappingTable> nic, uint32_t vni, uint64_t vm);

    /// Counters of the control events.
    struct Counters
    {
        uint64_t updates{0};      //!< control events that changed the master (one push each)
        uint64_t learned{0};      //!< of them, learned on ingress
        uint64_t missEvents{0};   //!< miss events from the NICs
        uint64_t missRepushes{0}; //!< of them, answered by pushing the entry again
    };

    /// \return the master's entry for (vni, vm), or nullptr
    const VtepMapping* Find(uint32_t vni, Mac48Address vm) const;
    /// \return entries in the master
    uint32_t GetSize() const;
    /// \return the counters
    const Counters& GetCounters() const;
    /// \return when every push to the registered NICs so far will have been applied
    Time GetSettledAt() const;

  protected:
    void DoDispose() override;

  private:
    Counters m_counters; //!< counters
    PushMode m_mode;     //!< delta or whole table

    /// A registered copy: a NIC's (every VNI) or a VF's (one VNI).
    struct Copy
    {
        Ptr<NicMappingTable> table; //!< the copy
        bool allVnis;               //!< every VNI, else only vni
        uint32_t vni;               //!< the VF's VNI
    };

    /// \return the entries of \p updates on \p vni
    static std::vector<MappingUpdate> OfVni(const std::vector<MappingUpdate>& updates,
                                            uint32_t vni);

    std::vector<Copy> m_nics; //!< registered copies
    /// (VNI, MAC) -> entry
    std::unordered_map<NicMappingTable::Key, MappingUpdate, NicMappingTable::KeyHash> m_master;
    std::vector<NicMappingTable::Key> m_order; //!< keys in insertion order (whole-table pushes)
};

} // namespace ns3

#endif
