#ifndef OVERLAY_FABRIC_FAST_PATH_COST_H
#define OVERLAY_FABRIC_FAST_PATH_COST_H

#include <cstdint>
#include <string>

namespace ns3
{

/**
 * \ingroup overlay-fabric
 * \brief What the fast path of a fabric is made of: the offloading NICs' hardware (seed 002) and
 * the host cores of the software data path, each summed over the fabric.
 */
struct FastPathResources
{
    uint32_t nics{0};            //!< offloading NICs (one per uplink of an offloading host)
    uint64_t tableEntries{0};    //!< entries their table memories are sized for
    double tableMemoryMib{0};    //!< their table memory, MiB (entries x bytes per entry)
    double lookupRateMpps{0};    //!< their lookup engines, million lookups per second
    double pipelineSpeed{0};     //!< sum over the NICs of 1 / pipeline latency in us
    double updateRateMps{0};     //!< their table update rate, million entries per second
    uint32_t vfs{0};             //!< SR-IOV virtual functions
    double hostCoresNeeded{0};   //!< cores the software data path needs at the offered load
    double hostCoresReserved{0}; //!< cores the host CPU model gives the data path
    double hostCores{0};         //!< cores charged: per host the larger of needed and reserved
};

/**
 * \ingroup overlay-fabric
 * \brief The weight of each resource in the fast path's cost, in units of one host core.
 *
 * The defaults are assumptions (seed 002 and the sources of the host CPU model give no prices),
 * chosen to be of the order of what each buys relative to a server core; a scenario sets them
 * from its own prices. Half a core per MiB of on-NIC exact-match table memory (on-chip SRAM is
 * the scarce part of a NIC); 0.01 per million lookups per second of the engine; 0.1 per unit of
 * pipeline speed (1 / latency in us: a 1 us pipeline costs 0.1, a 0.5 us one 0.2); 0.05 per
 * million table updates per second; 0.02 per SR-IOV virtual function; 1 per host core.
 */
struct FastPathWeights
{
    double memoryPerMib{0.5};     //!< per MiB of NIC table memory
    double lookupPerMpps{0.01};   //!< per million lookups per second
    double pipelinePerSpeed{0.1}; //!< per 1/us of pipeline speed
    double updatePerMps{0.05};    //!< per million table updates per second
    double perVf{0.02};           //!< per virtual function
    double perHostCore{1.0};      //!< per host core
};

/**
 * \ingroup overlay-fabric
 * \brief The scalar cost of a fast path: the weighted sum of its resources (Formula()), so
 * variants that buy NIC hardware and variants that burn host cores are on one axis.
 */
struct FastPathCost
{
    double tableMemory{0}; //!< memoryPerMib x tableMemoryMib
    double lookupRate{0};  //!< lookupPerMpps x lookupRateMpps
    double pipeline{0};    //!< pipelinePerSpeed x pipelineSpeed
    double updateRate{0};  //!< updatePerMps x updateRateMps
    double vfs{0};         //!< perVf x vfs
    double hostCores{0};   //!< perHostCore x hostCores
    double total{0};       //!< the sum of the terms

    /// \return the terms and their sum for \p resources under \p weights
    static FastPathCost Of(const FastPathResources& resources, const FastPathWeights& weights);
    /// \return the formula, in the results' names
    static std::string Formula();
};

} // namespace ns3

#endif
