#ifndef OVERLAY_FABRIC_HOST_CPU_H
#define OVERLAY_FABRIC_HOST_CPU_H

#include "ns3/nstime.h"
#include "ns3/object.h"

#include <cstdint>
#include <deque>
#include <vector>

namespace ns3
{

/**
 * \ingroup overlay-fabric
 * \brief The host CPU cores that run the software data path (seed 002: what the offload saves).
 *
 * Every tunnel packet the VTEP sends or receives is work for one core: its cycles are the sum of
 * the stages it goes through (the virtual switch's per-packet work, and on the software path the
 * table lookup, the encapsulation, the checksum, the segmentation, the decapsulation and the
 * learning; an offloading NIC leaves only the tagging). Frames between two VMs of one host never
 * reach the VTEP and are not charged: the model is of the tunnel path. Packets of one flow go to
 * one core (receive-side scaling by the flow hash, so a flow stays in order); a core serves its
 * packets first come, first served, each for cycles / clock seconds, so when the offered load
 * exceeds a core's rate, its queue grows, latency grows and throughput saturates at clock / cycles
 * packets per second per core. A core holds at most Backlog packets waiting or in service (Linux's
 * netdev_max_backlog, 1000): beyond that, packets are refused (the caller drops them).
 *
 * Defaults, and where they come from (each is an attribute; a scenario sets what its hosts have):
 * - Clock 2.5 GHz, a datacenter server core.
 * - Switch 2,000 cycles per packet: the virtual switch's forwarding (1.25 Mpps per core, the
 *   order of a kernel or OVS datapath per core); an offloaded packet costs this plus Tag.
 * - Transmit without offload: Lookup 100, Encap 200, Checksum 120 cycles, 420 together: software
 *   VXLAN costs about 21% more cycles per MTU-sized packet (UCC 2014, which also measured about
 *   32% less bandwidth).
 * - Receive without offload: Decap 1,100, Checksum 120, Learning 100 cycles, 1,320 together:
 *   offloads add 66% receive and 23% transmit TCP throughput (OpenStack performance report),
 *   read here as cycles per packet while the CPU is the bottleneck (2,000 x 1.66 = 3,320).
 * - Segmentation 0: the model's packets are MTU-sized already (no large sends to segment).
 * - Tag 20 cycles: writing the NIC's descriptor instead of the headers.
 */
class HostCpu : public Object
{
  public:
    /// Counters.
    struct Counters
    {
        uint64_t packets{0}; //!< packets served
        uint64_t refused{0}; //!< packets refused: the core's backlog was full
        uint64_t cycles{0};  //!< cycles of the packets served
        Time busy;           //!< core time spent, all cores
        Time maxQueueing;    //!< the longest wait before service
    };

    static TypeId GetTypeId();
    HostCpu();

    /**
     * \param offloaded the NIC encapsulates it (the software only tags it)
     * \return the cycles of sending one tunnel packet: switch + lookup + encap + checksum +
     * segmentation on the software path, switch + tag offloaded
     */
    uint32_t TransmitCycles(bool offloaded) const;
    /**
     * \param offloaded the NIC decapsulated and checked it
     * \param learn the software learns from it
     * \return the cycles of receiving one tunnel packet: switch + decap + checksum + learning on
     * the software path, switch (+ learning when it learns) offloaded
     */
    uint32_t ReceiveCycles(bool offloaded, bool learn) const;

    /**
     * \brief Queue a packet of \p cycles for the core of \p flowHash.
     * \param flowHash the packet's flow entropy (picks the core)
     * \param cycles its work
     * \return the time from now at which it is done, or a negative time if the core's backlog is
     * full (the packet is refused)
     */
    Time Admit(uint32_t flowHash, uint32_t cycles);

    /// \return the number of cores
    uint32_t GetCores() const;
    /// \return the counters
    const Counters& GetCounters() const;

  private:
    uint32_t m_cores;                       //!< cores of the software path
    double m_clockGhz;                      //!< their clock
    uint32_t m_backlog;                     //!< packets a core holds
    uint32_t m_switch;                      //!< cycles: virtual switch forwarding
    uint32_t m_lookup;                      //!< cycles: mapping-table lookup
    uint32_t m_encap;                       //!< cycles: outer headers built
    uint32_t m_checksum;                    //!< cycles: checksums
    uint32_t m_segmentation;                //!< cycles: segmentation
    uint32_t m_decap;                       //!< cycles: outer headers parsed and stripped
    uint32_t m_learning;                    //!< cycles: learning
    uint32_t m_tag;                         //!< cycles: the NIC's descriptor
    std::vector<std::deque<Time>> m_queued; //!< per core: end times of packets not done yet
    Counters m_counters;                    //!< counters
};

} // namespace ns3

#endif
