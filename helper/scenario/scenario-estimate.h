#ifndef OVERLAY_FABRIC_SCENARIO_ESTIMATE_H
#define OVERLAY_FABRIC_SCENARIO_ESTIMATE_H

#include "scenario-config.h"

#include <cstdint>
#include <string>

namespace ns3
{

/**
 * \ingroup overlay-fabric
 * \brief What a scenario will cost, estimated from the configuration alone before anything is
 * built, so that a mistake (a duration of 1e9 s, a 1 ns stats bin, a 700-host full mesh with
 * hardware BFD timers) is refused in milliseconds instead of taking the machine down.
 *
 * Order-of-magnitude figures, meant to be compared with limits, not to predict a run:
 * - events: packet-hops of the flows (UDP: rate / size over the active time; TCP bulk: max_bytes,
 *   or the access rate, in 1448-byte segments plus one ACK per two) and of the monitoring (per
 *   tunnel one control packet per tx interval, per tunnel and uplink one echo and its reply per
 *   echo interval), each packet counted at 6 events (vNIC, virtual switch, 4 links); a packet
 *   of a chain's flow counts once more per SVM of the chain's first path, and every SVM sends a
 *   query and gets an answer per query interval;
 * - memory: 40 MB for the process, 16 KiB per ns-3 node with its stack, 6 KiB per underlay link,
 *   16 bytes per switch route entry (switches x host VTEP addresses) and 4 per ECMP next hop of a
 *   leaf's route (x spines), 1 KiB per tunnel end, 2 KiB per monitoring session, 8 bytes per
 *   statistics bin (fitted to measured peak RSS, see scenario-estimate.cc), and one flow
 *   ledger record per (fault, flow) pair (its size, about 90 bytes: 10,000 flows x 100 faults
 *   is 90 MB).
 */
struct ScenarioEstimate
{
    uint64_t hosts{0};   //!< hypervisor hosts
    uint64_t nodes{0};   //!< ns-3 nodes: switches, hosts, VMs, SVMs and the management network
    uint64_t links{0};   //!< underlay links: leaf-spine and host uplinks
    uint64_t routes{0};  //!< fabric route entries: switches x host VTEP addresses
    uint64_t tunnels{0}; //!< tunnel ends: per host, the remote VTEPs it shares a segment with
    uint64_t monitoringSessions{0}; //!< BFD sessions (one per tunnel end) when monitoring is on
    double events{0};               //!< simulation events, see above
    uint64_t statsBins{0};          //!< goodput bins over all flows: flows x duration / stats_bin
    double memoryBytes{0};          //!< estimated memory

    /// \return one line: "12 nodes, 8 tunnel ends, ... ~40 MB"
    std::string Summary() const;
};

/// \brief The limits above which a scenario is refused unless the user asks for it.
struct ScenarioLimits
{
    double events{2e10};                 //!< about 6 hours at this machine's 1M events per second
    uint64_t monitoringSessions{200000}; //!< about a 450-host full mesh
    uint64_t statsBins{50000000};        //!< 400 MB of counters
    double memoryBytes{16.0 * (1ull << 30)}; //!< 16 GiB, two thirds of this machine
};

/// \return the estimate of \p config (validated)
ScenarioEstimate EstimateScenario(const ScenarioConfig& config);

/**
 * \brief Refuse a scenario whose estimate exceeds a limit.
 * \param config the scenario (its source file names the error)
 * \param estimate its estimate
 * \param limits the limits
 * \throws ConfigError naming the quantity, the estimate, the limit and the override
 * (--allow-large, or allow_large=True in Python)
 */
void CheckScenarioCost(const ScenarioConfig& config,
                       const ScenarioEstimate& estimate,
                       const ScenarioLimits& limits = {});

} // namespace ns3

#endif
