#ifndef OVERLAY_FABRIC_SCENARIO_LOADER_H
#define OVERLAY_FABRIC_SCENARIO_LOADER_H

#include "scenario-config.h"

#include "ns3/data-rate.h"
#include "ns3/nstime.h"

#include <string>
#include <vector>

namespace ns3
{

/**
 * \ingroup overlay-fabric
 * \brief One --set override: a dotted path into the scenario file and a YAML value.
 *
 * Path segments are map keys, or integer indices into lists ("traffic.0.rate"). A path may
 * also name a key that itself contains dots when that key exists (the expect bounds:
 * "expect.flows.f0.delivered.min"). The value is parsed as YAML, so "4" is an integer, "vxlan"
 * a string and "{min: 1}" a mapping.
 */
struct ScenarioOverride
{
    std::string path;  //!< dotted path, e.g. "fabric.spines" or "traffic.0.rate"
    std::string value; //!< YAML scalar or flow value, e.g. "4", "2Gbps", "[host0/uplink0]"
};

/**
 * \brief Read a scenario file, apply overrides, fill a ScenarioConfig and validate it.
 *
 * Overrides are applied to the YAML tree before it is read, in order, so they go through the
 * same checks as the file. A missing key on the way is created; an index past the end of a list
 * is an error.
 *
 * \param path scenario file
 * \param overrides --set overrides, applied in order
 * \return the validated configuration (sourceFile = path)
 * Besides the struct's fields, the file may write the expect bounds as nested mappings
 * ({flows: {f0: {delivered: {min: 1}}}}) as well as with dotted keys; both give the path
 * "flows.f0.delivered". Keys that only matter for another kind (a fault's fraction on link-down,
 * a flow's rate on tcp-bulk, preferred_uplink with a policy other than carrier-only or
 * active-standby, a QoS threshold with monitoring.enabled false) are refused. A monitoring
 * section turns monitoring on unless it says enabled: false; its preset fills the timers first,
 * wherever it is written, and explicit timer keys override the preset's values.
 *
 * \throws ConfigError naming the file and line, the field and what is allowed: on a missing
 * file, a file that is not YAML or not a mapping, an unknown or duplicate key, a wrong type, an
 * out-of-range value, or anything ScenarioConfig::Validate() refuses. When the faulty value was
 * written by an override, GetFile() is "--set PATH" (the override's path as given) and GetLine()
 * is 0. A file with a compare section is refused (field "compare"): it describes several
 * scenarios, read it with LoadScenarioVariants().
 */
ScenarioConfig LoadScenarioFile(const std::string& path,
                                const std::vector<ScenarioOverride>& overrides = {});

/**
 * \brief Read a scenario from YAML text; see LoadScenarioFile().
 * \param yaml the scenario, YAML text
 * \param sourceName name used in error messages and put in ScenarioConfig::sourceFile
 * \param overrides --set overrides, applied in order
 * \return the validated configuration
 * \throws ConfigError as LoadScenarioFile()
 */
ScenarioConfig LoadScenarioString(const std::string& yaml,
                                  const std::string& sourceName = "<string>",
                                  const std::vector<ScenarioOverride>& overrides = {});

/**
 * \brief Read a scenario file that may define variants to compare side by side: one validated
 * configuration per item of its top-level compare list, or the file's one configuration when it
 * has no compare section.
 *
 * \code{.yaml}
 * compare:
 *   - {label: bond, set: {overlay.uplink_policy: carrier-only}}
 *   - label: bfd-fast
 *     set: {overlay.uplink_policy: active-standby, monitoring.preset: aggressive}
 *     expect: {faults.0.failover_ms: {max: 200}}
 * \endcode
 *
 * Each item is {label, set, expect}; label is required ([A-Za-z0-9_-]+, unique), set and expect
 * are optional. A variant is the file without its compare section, with the --set overrides
 * applied, then the variant's set entries applied in order exactly like --set overrides (a key
 * is a dotted path, its value any YAML value, which replaces the value at that path); it is then
 * read and validated on its own. Its expect bounds are the file's, where a variant bound replaces
 * the whole file bound of the same results path (min and max together) and other variant bounds
 * are added. The variant's ScenarioConfig::variant is its label and its name is
 * "<name>.<label>" (the name after the set entries). The file without the compare section need
 * not be valid on its own: only the variants are run.
 *
 * \param path scenario file
 * \param overrides --set overrides, applied before the variants' set entries (an override can
 * edit the compare section too, e.g. compare.1.label=fast)
 * \return the configurations, in compare order (a single one, variant "", without compare)
 * \throws ConfigError as LoadScenarioFile(). Errors in the compare section and in what a
 * variant's set or expect wrote name it as the field, e.g. "compare[2].set.overlay.uplink_policy"
 * or "compare[0].expect.flows.f0.lost", with the line of that entry; an error elsewhere found while
 * reading a variant keeps its field and line and ends with "(variant compare[i], label L)".
 */
std::vector<ScenarioConfig> LoadScenarioVariants(
    const std::string& path,
    const std::vector<ScenarioOverride>& overrides = {});

/**
 * \brief Read scenario variants from YAML text; see LoadScenarioVariants().
 * \param yaml the scenario, YAML text
 * \param sourceName name used in error messages and put in ScenarioConfig::sourceFile
 * \param overrides --set overrides, applied in order
 * \return the validated configurations, one per variant
 * \throws ConfigError as LoadScenarioVariants()
 */
std::vector<ScenarioConfig> LoadScenarioVariantsString(
    const std::string& yaml,
    const std::string& sourceName = "<string>",
    const std::vector<ScenarioOverride>& overrides = {});

/// Largest scenario file read: a scenario is a small text file (a file of 16 MiB is refused
/// while it is read, so that /dev/zero or a log file given by mistake costs nothing).
constexpr size_t MAX_SCENARIO_FILE_BYTES = 16u << 20;

/**
 * \brief Read a scenario file's text: at most MAX_SCENARIO_FILE_BYTES, UTF-8, lines of at most
 * 64 KiB (what the loader and Python read).
 * \param path the file
 * \return its content
 * \throws ConfigError naming the file when it is a directory, cannot be read, is too large, or
 * is not UTF-8 text (with the line and byte offset of the first bad byte)
 */
std::string ReadScenarioText(const std::string& path);

/**
 * \brief Split one command-line override "PATH=VALUE" at its first '='.
 * \param keyEqualsValue e.g. "fabric.spines=4" or "traffic.0.rate=2Gbps"
 * \return the override (path without surrounding blanks, value as written)
 * \throws ConfigError when there is no '=' or the path is empty or has an empty segment
 */
ScenarioOverride ParseOverride(const std::string& keyEqualsValue);

/**
 * \brief Parse a time: a decimal number and a unit ns, us, ms or s ("1us", "0.5s", "200ms",
 * "1e3ms"); blanks may separate number and unit. Exact: the text must be a whole number of
 * nanoseconds.
 * \param text the time
 * \return the time
 * \throws std::invalid_argument naming the text and the allowed syntax (bare numbers too)
 */
Time ParseTime(const std::string& text);

/**
 * \brief Parse a data rate: a non-negative decimal number and a unit bps, kbps, Mbps or Gbps
 * (decimal SI: 1kbps = 1000bps), e.g. "2.5Gbps". Exact: the text must be a whole number of bits
 * per second.
 * \param text the rate
 * \return the rate
 * \throws std::invalid_argument naming the text and the allowed syntax
 */
DataRate ParseDataRate(const std::string& text);

} // namespace ns3

#endif
