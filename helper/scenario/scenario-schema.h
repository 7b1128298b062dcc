#ifndef OVERLAY_FABRIC_SCENARIO_SCHEMA_H
#define OVERLAY_FABRIC_SCENARIO_SCHEMA_H

#include "scenario-config.h"

#include "ns3/object.h"

#include <functional>
#include <limits>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <type_traits>
#include <vector>

namespace ns3
{

/**
 * \ingroup overlay-fabric
 * \brief The scenario file described once, as data: one table per section, one entry per key.
 *
 * An entry gives the key's name, the struct member it fills, its type and unit, the allowed
 * range, when it applies ("only when kind is silent-drop"), a doc line and the ns-3 Attribute it
 * sets. Defaults are never written here: they are read from a default-constructed struct. One
 * generic pass over the tables reads the YAML (scenario-loader.cc), checks ranges and relevance
 * (ScenarioConfig::Validate), writes the echo (scenario.yaml and results.json's "scenario"),
 * sets the Attributes (ApplyAttributes), and generates the JSON Schema, the Python properties and
 * docs/scenario-reference.md.
 *
 * Values travel between these passes in one canonical JSON form per type: a time is whole
 * nanoseconds (integer), a rate whole bits per second, a count an unsigned integer, a choice or
 * a name its scenario-file text; an unset optional is null.
 */
namespace schema
{

using Json = nlohmann::ordered_json;

/// \brief Type of a key's value.
enum class Kind
{
    BOOL,     //!< true or false
    UNSIGNED, //!< whole number, 0 or more
    NUMBER,   //!< finite real number
    TIME,     //!< number + ns|us|ms|s (canonical: nanoseconds)
    RATE,     //!< number + bps|kbps|Mbps|Gbps (canonical: bits per second)
    STRING,   //!< text; Key::format says which names are allowed
    CHOICE,   //!< one of Key::choices
    SECTION,  //!< a nested mapping described by Key::section
};

struct Section;

/// \brief "Only meaningful when <key> is one of <values>": a key that applies to some kinds only.
struct Relevance
{
    std::string key;                 //!< the deciding key of the same section, e.g. "kind"
    std::vector<std::string> values; //!< its values (canonical text) for which the key applies
};

/**
 * \brief Another name of a key, for the values of a key of the same section where the other
 * name says what the key is: fabric.racks is "leaf_pairs" while leaves_per_rack is 2. Both names
 * are read; the echo writes the alias while it applies, so that files and results written before
 * the key was generalized stay as they were.
 */
struct Alias
{
    std::string name; //!< the other name, e.g. "leaf_pairs"
    Relevance when;   //!< when it may be written and is echoed
};

/// \brief One key of a section.
struct Key
{
    std::string name;                 //!< YAML key, e.g. "tx_interval"
    std::string member;               //!< C++ member it fills, e.g. "txInterval"
    Kind kind{Kind::STRING};          //!< value type
    bool list{false};                 //!< a list of values of that kind (or of sections)
    bool optional{false};             //!< may be unset (a std::optional member): no default
    bool required{false};             //!< must be written
    std::string format;               //!< STRING: "vm", "link", "name", "dotted-name" or ""
    std::vector<std::string> choices; //!< CHOICE: allowed values, in order
    uint64_t typeMax{std::numeric_limits<uint64_t>::max()}; //!< UNSIGNED: largest the member holds
    std::optional<Json> min;                                //!< lower bound (canonical), if any
    std::optional<Json> max;                                //!< upper bound (canonical), if any
    bool minExclusive{false};                               //!< min itself is not allowed
    bool maxExclusive{false};                               //!< max itself is not allowed
    int64_t step{0};                    //!< TIME: value must be a multiple of it (ns), 0 = any
    std::string rangeNote;              //!< appended to range texts, e.g. "(24 bits)"
    std::string unit;                   //!< unit in words for the docs, e.g. "bytes"
    std::string doc;                    //!< one line: what the key is
    std::string attribute;              //!< ns-3 Attribute it sets, "ns3::Class::Name", or ""
    std::optional<Relevance> relevance; //!< when the key applies (always if unset)
    std::optional<Alias> alias;         //!< another name of the key, if any
    std::string atMost;     //!< UNSIGNED: at most this key of the same section (a small range)
    std::string atMostWhy;  //!< why, for the error: "each uplink goes to a different leaf..."
    bool echoDefault{true}; //!< false: left out of the echo at its default (a key added later)
    const Section* section{nullptr}; //!< SECTION: the nested section (item section for lists)

    std::function<Json(const void*)> get;                 //!< member -> canonical value
    std::function<void(void*, const Json&)> set;          //!< canonical value -> member
    std::function<void*(void*)> child;                    //!< SECTION (not list): nested struct
    std::function<const void*(const void*)> cchild;       //!< SECTION (not list): nested struct
    std::function<size_t(const void*)> count;             //!< SECTION list: number of items
    std::function<const void*(const void*, size_t)> item; //!< SECTION list: item i
    std::function<void*(void*)> append;                   //!< SECTION list: append a new item
};

/// \brief A section: a mapping of keys, or the items of a list of mappings.
struct Section
{
    std::string name;      //!< "fabric", "traffic" (for lists: the list key)
    std::string what;      //!< in errors: "the fabric", "a flow"
    std::string shape;     //!< in missing-key errors, e.g. "a segment is {vni: ..., vms: [...]}"
    std::string doc;       //!< a paragraph for the reference
    std::vector<Key> keys; //!< in reading order (a preset before the timers it fills)
    std::function<std::shared_ptr<void>()> makeDefault; //!< a default-constructed struct
    /// Keys a written section sets before reading (monitoring: enabled is true when written).
    std::vector<std::pair<std::string, Json>> whenWritten;
    /// Item i of a list before reading (a flow's name defaults to "flow<i>").
    std::function<void(void*, size_t)> initItem;

    /// \return the key called \p name, or nullptr
    const Key* Find(const std::string& name) const;
};

/// Longest name a user writes (scenario, flow, variant label).
constexpr size_t MAX_NAME_LENGTH = 64;

/**
 * \return whether \p text is a safe name: 1 to MAX_NAME_LENGTH letters, digits, '_', '-' (and
 * '.' if allowed), starting with a letter or digit. Names become folder names and segments of
 * results paths, so none can be "..", empty, or reach outside the output folder.
 */
bool IsSimpleName(const std::string& text, bool allowDot);

/// \return the top-level section (name, seed, duration, stats_bin, fabric ... pcap)
const Section& ScenarioSection();

/// \return every section, the top level first, each once (for docs and tests)
std::vector<const Section*> AllSections();

/**
 * \brief Whether a key applies to the section value it is in.
 * \param section the section
 * \param key one of its keys
 * \param target the section's struct
 */
bool IsRelevant(const Section& section, const Key& key, const void* target);

/**
 * \brief Whether a key's alias applies to the section value it is in (the alias may then be
 * written, and the echo uses it).
 */
bool IsAliasRelevant(const Section& section, const Key& key, const void* target);

/// \return the key's alias if it applies to \p target, else its name (the echo's name)
const std::string& EchoName(const Section& section, const Key& key, const void* target);

/// \return "only meaningful when kind is silent-drop (this one is link-down); remove it"
std::string RelevanceMessage(const Section& section, const Key& key, const void* target);

/// \return the allowed range in words, e.g. "1..255 (an 8-bit field)", "more than 0", "" if none
std::string RangeText(const Key& key);

/// \return a canonical value as written in a scenario file: "200ms", "25Gbps", 3, "geneve"
Json ToFileValue(const Key& key, const Json& canonical);

/**
 * \brief Check ranges and relevance of every key of \p section in \p target (recursively).
 * \param section the section
 * \param target its struct
 * \param defaults the struct's defaults (a key that does not apply must keep its default)
 * \param path field path of the section ("" for the top level)
 * \throws ConfigError naming the field
 */
void CheckSection(const Section& section,
                  const void* target,
                  const void* defaults,
                  const std::string& path);

/**
 * \brief The section as it is written in a scenario file: every key that applies, defaults
 * explicit; unset optionals left out.
 */
Json Echo(const Section& section, const void* target);

/// \return the scenario as scenario-file JSON (the results.json echo), expect bounds included
Json EchoScenario(const ScenarioConfig& config);

/// \return the scenario as scenario-file YAML that reads back into the same struct
std::string EchoScenarioYaml(const ScenarioConfig& config);

/// \return a JSON Schema (2020-12) of the scenario file
Json JsonSchema();

/// \return docs/scenario-reference.md
std::string ReferenceMarkdown();

/**
 * \brief Set on \p object every Attribute that a key of \p section names for the object's class
 * (or a parent class), from \p target. Unset optionals leave the Attribute at its default.
 */
void ApplyAttributes(const Section& section, const void* target, Ptr<Object> object);

/// \return the section of monitoring, overlay, fabric... by name; nullptr if none
const Section* FindSection(const std::string& name);

} // namespace schema
} // namespace ns3

#endif
