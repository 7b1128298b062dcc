#ifndef OVERLAY_FABRIC_PATH_QUERY_H
#define OVERLAY_FABRIC_PATH_QUERY_H

#include "scenario-config.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace ns3
{

/// What the path calculator answers about one outer 5-tuple (TracePathOf()).
struct PathAnswer
{
    std::vector<std::string> nodes; //!< the nodes in order: "host0", "leaf0", "spine1", ...
    std::vector<std::string> links; //!< the links between them: "host0/uplink0", ...
    bool arrived{false};            //!< it reaches a host
    std::string stop;               //!< why not: "no route at leaf0", "link down: ..."
    std::string text;               //!< "host0 -host0/uplink0-> leaf0 -..."
    size_t ecmpPaths{0};            //!< distinct paths between the source host and destination
    uint16_t dport{0};              //!< the outer destination port asked about
};

/**
 * \ingroup overlay-fabric
 * \brief The path calculator on a scenario's fabric: which leaves, spines and links a tunnel
 * frame from host \p host's VTEP to host \p to's, outer UDP ports \p sport -> \p dport, takes
 * when it leaves on uplink \p uplink -- from the switches' routes and ECMP seeds as the scenario
 * builds them (fabric section and seed). The fabric is built, asked
 * (LeafSpineFabric::TracePath, EnumeratePaths) and torn down; nothing is simulated, so the
 * answer is the fabric before any fault.
 * \param config a validated scenario
 * \param host source host index
 * \param uplink its uplink index
 * \param to destination host index
 * \param sport outer UDP source port (TunnelSourcePort() of the inner flow's entropy)
 * \param dport outer UDP destination port (6081 GENEVE, 4789 VXLAN)
 * \return the answer
 * \throws ConfigError naming --from or --to when a host or uplink does not exist
 */
PathAnswer TracePathOf(const ScenarioConfig& config,
                       uint32_t host,
                       uint32_t uplink,
                       uint32_t to,
                       uint16_t sport,
                       uint16_t dport);

/**
 * \brief TracePathOf() as the CLI's `path` and Python's trace_path() ask it: names parsed once.
 * \param config a validated scenario
 * \param from the sending uplink, "hostN/uplinkK"
 * \param to the destination host, "hostN"
 * \param sport outer UDP source port
 * \param dport outer UDP destination port; none: the scenario's encapsulation's (6081, 4789)
 * \return the answer
 * \throws ConfigError naming --from or --to and what is allowed
 */
PathAnswer TracePathOf(const ScenarioConfig& config,
                       const std::string& from,
                       const std::string& to,
                       uint16_t sport,
                       std::optional<uint16_t> dport);

} // namespace ns3

#endif
