#ifndef OVERLAY_FABRIC_RESULTS_PATH_H
#define OVERLAY_FABRIC_RESULTS_PATH_H

#include <nlohmann/json.hpp>
#include <string_view>
#include <vector>

namespace ns3
{

/**
 * \ingroup overlay-fabric
 * \brief The one resolver of results paths, used by the expect bounds, the CLI, the comparison
 * table and Python (overlay_fabric._core.resolve_results_path).
 *
 * A path is dot-separated segments ("flows.f0.lost", "faults.0.recovery_ms"): a segment enters an
 * object by key, or an array by decimal index. An object key that itself contains dots is found
 * too (the longest run of segments that names a key wins), but only when the single segment is not
 * a key. The empty path is the root. Nothing here throws: a missing key, an index past the end or
 * too large for any array, a step into a number or null all resolve to "no such figure".
 *
 * \param root results (or any JSON value)
 * \param path dotted path; '*' is an ordinary key here
 * \return the value at path, or nullptr when there is none (a JSON null is returned as a value)
 */
const nlohmann::ordered_json* ResolveResultsPath(const nlohmann::ordered_json& root,
                                                 std::string_view path);

/**
 * \brief The segments of a dotted results path ("" has none; "a..b" has an empty one).
 * \param path the path
 * \return views into \p path
 */
std::vector<std::string_view> SplitResultsPath(std::string_view path);

/**
 * \brief An array index of a results path: decimal digits without a leading zero ("01" is not
 * one, as host01 is not a host name).
 * \param part one segment
 * \param index set to its value
 * \return false if it is no index or does not fit in size_t
 */
bool ParseResultsIndex(std::string_view part, size_t& index);

/**
 * \brief Every value at a path where a '*' segment matches every value of an object or every
 * element of an array ("faults.*.detection_ms"), in document order. Other segments as
 * ResolveResultsPath().
 * \param root results
 * \param path dotted path with wildcards
 * \return the matches, empty when none exists
 */
std::vector<const nlohmann::ordered_json*> CollectResultsPath(const nlohmann::ordered_json& root,
                                                              std::string_view path);

/**
 * \brief The part of \p path before its first '*' segment resolves to an object or an array:
 * "flows.*.goodput_bps" over results whose flows is {} has no match, but the set it ranges over
 * exists (its sum is 0, where a missing "flows" has no sum).
 * \param root results
 * \param path dotted path with at least one '*' segment
 * \return whether that container exists; false for a path without '*'
 */
bool ResultsPathContainerExists(const nlohmann::ordered_json& root, std::string_view path);

} // namespace ns3

#endif
