#include "scenario-loader.h"

#include "scenario-schema.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fmt/format.h>
#include <fmt/ranges.h>
#include <fstream>
#include <functional>
#include <initializer_list>
#include <limits>
#include <map>
#include <sstream>
#include <stdexcept>
#include <unordered_map>
#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/yaml.h>

namespace ns3
{

namespace
{

constexpr const char* TIME_SYNTAX = "a number followed by ns, us, ms or s, e.g. 1us, 0.5s, 200ms";
constexpr const char* RATE_SYNTAX =
    "a number followed by bps, kbps, Mbps or Gbps (decimal: 1kbps = "
    "1000bps), e.g. 2.5Gbps";
constexpr const char* OVERRIDE_SYNTAX =
    "PATH=VALUE, where PATH is keys and list indices separated by '.', "
    "e.g. fabric.spines=4 or traffic.0.rate=2Gbps";
const int MAX_DEPTH = 64;            //!< deepest nesting of YAML values accepted
const size_t MAX_LINE_BYTES = 65536; //!< longest line accepted (a scenario is written by hand)
const size_t MAX_VALUES = 1000000;   //!< most YAML values accepted, after alias expansion
const size_t MAX_VARIANT_VALUES = 20000000; //!< variants x values of the file they come from

// ---------------------------------------------------------------------------------------------
// Numbers with units, parsed exactly (no floating point on the way).

/// \brief A decimal number as written: value = digits x 10^exponent.
struct Decimal
{
    bool negative{false}; //!< a '-' sign was written
    std::string digits;   //!< all digits, integer and fraction part
    int64_t exponent{0};  //!< power of ten applied to digits
};

/// \brief Outcome of scaling a Decimal to an integer.
enum class ScaleResult
{
    OK,        //!< exact integer within the limit
    NOT_WHOLE, //!< has a fractional part
    TOO_LARGE  //!< above the limit
};

/**
 * \brief Read [+-]digits[.digits][(e|E)[+-]digits] at text[pos].
 * \param text the text
 * \param pos position, advanced past the number on success
 * \param d the number read
 * \return whether there was a number (at least one digit)
 */
bool
ReadDecimal(const std::string& text, size_t& pos, Decimal& d)
{
    auto isDigit = [&text](size_t i) {
        return i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]));
    };
    size_t p = pos;
    if (p < text.size() && (text[p] == '+' || text[p] == '-'))
    {
        d.negative = text[p] == '-';
        ++p;
    }
    size_t digitCount = 0;
    for (; isDigit(p); ++p, ++digitCount)
    {
        d.digits += text[p];
    }
    if (p < text.size() && text[p] == '.')
    {
        for (++p; isDigit(p); ++p, ++digitCount)
        {
            d.digits += text[p];
            --d.exponent;
        }
    }
    if (digitCount == 0)
    {
        return false;
    }
    if (p < text.size() && (text[p] == 'e' || text[p] == 'E'))
    {
        size_t q = p + 1;
        bool negativeExponent = false;
        if (q < text.size() && (text[q] == '+' || text[q] == '-'))
        {
            negativeExponent = text[q] == '-';
            ++q;
        }
        if (isDigit(q))
        {
            int64_t e = 0;
            for (; isDigit(q); ++q)
            {
                e = std::min<int64_t>(e * 10 + (text[q] - '0'), 1000000); // saturate
            }
            d.exponent += negativeExponent ? -e : e;
            p = q;
        }
    }
    pos = p;
    return true;
}

/**
 * \brief Compute |d| x 10^unitExponent as an integer.
 * \param d the number
 * \param unitExponent power of ten of the unit relative to the integer's unit
 * \param limit largest value allowed
 * \param out the value
 * \return whether it is a whole number within the limit
 */
ScaleResult
Scale(const Decimal& d, int unitExponent, uint64_t limit, uint64_t& out)
{
    size_t first = d.digits.find_first_not_of('0');
    if (first == std::string::npos)
    {
        out = 0;
        return ScaleResult::OK;
    }
    std::string digits = d.digits.substr(first);
    int64_t exponent = d.exponent + unitExponent;
    while (digits.back() == '0')
    {
        digits.pop_back();
        ++exponent;
    }
    if (exponent < 0)
    {
        return ScaleResult::NOT_WHOLE;
    }
    if (static_cast<int64_t>(digits.size()) + exponent > 20)
    {
        return ScaleResult::TOO_LARGE;
    }
    unsigned __int128 value = 0; // < 10^20, no overflow
    for (char c : digits)
    {
        value = value * 10 + (c - '0');
    }
    for (int64_t i = 0; i < exponent; ++i)
    {
        value *= 10;
    }
    if (value > limit)
    {
        return ScaleResult::TOO_LARGE;
    }
    out = static_cast<uint64_t>(value);
    return ScaleResult::OK;
}

/// \brief A unit of a quantity and its power of ten relative to the integer unit.
struct Unit
{
    const char* name; //!< as written after the number
    int exponent;     //!< power of ten
};

/**
 * \brief Parse "<number>[blanks]<unit>".
 * \param text the text
 * \param units allowed units
 * \param syntax description of the syntax, for errors
 * \param wholeOf the integer unit in words ("nanoseconds"), for errors
 * \param limit largest magnitude
 * \param negative set to whether a '-' was written
 * \return the magnitude in the integer unit
 * \throws std::invalid_argument on any error, naming text and syntax
 */
uint64_t
ParseQuantity(const std::string& text,
              std::initializer_list<Unit> units,
              const char* syntax,
              const char* wholeOf,
              uint64_t limit,
              bool& negative)
{
    if (text.empty())
    {
        throw std::invalid_argument(fmt::format("the value is empty; expected {}", syntax));
    }
    size_t pos = 0;
    Decimal d;
    if (!ReadDecimal(text, pos, d))
    {
        throw std::invalid_argument(
            fmt::format("'{}' does not start with a number; expected {}", text, syntax));
    }
    while (pos < text.size() && (text[pos] == ' ' || text[pos] == '\t'))
    {
        ++pos;
    }
    std::string unitText = text.substr(pos);
    if (unitText.empty())
    {
        throw std::invalid_argument(fmt::format("'{}' has no unit; expected {}", text, syntax));
    }
    const Unit* unit = nullptr;
    bool caseMismatch = false;
    for (const Unit& u : units)
    {
        if (unitText == u.name)
        {
            unit = &u;
        }
        else if (strcasecmp(unitText.c_str(), u.name) == 0)
        {
            caseMismatch = true;
        }
    }
    if (unit == nullptr)
    {
        throw std::invalid_argument(fmt::format("'{}' has unknown unit '{}'{}; expected {}",
                                                text,
                                                unitText,
                                                caseMismatch ? " (units are case-sensitive)" : "",
                                                syntax));
    }
    negative = d.negative;
    uint64_t value = 0;
    switch (Scale(d, unit->exponent, limit, value))
    {
    case ScaleResult::OK:
        return value;
    case ScaleResult::NOT_WHOLE:
        throw std::invalid_argument(fmt::format("'{}' is not a whole number of {}", text, wholeOf));
    case ScaleResult::TOO_LARGE:
        break;
    }
    throw std::invalid_argument(
        fmt::format("'{}' is too large; at most {} {}", text, limit, wholeOf));
}

// ---------------------------------------------------------------------------------------------
// The YAML tree, copied out of yaml-cpp so that overrides can edit it safely (yaml-cpp shares
// aliased nodes, and assigning through a node handle rebinds shared state) and so that every
// value remembers where it came from.

/**
 * \brief Where a value came from: a line of the file, a --set override, or an entry of a
 * compare variant (its set entries and its expect bounds are file text written over the base).
 */
struct Origin
{
    int line{0};      //!< 1-based line in the file, 0 if unknown or from an override
    int override{-1}; //!< index of the override that wrote the value, -1 if not an override
    int entry{-1};    //!< index of the variant entry that wrote the value, -1 if none

    /// \return whether the same writer (file, one override, one variant entry) wrote both
    bool SameWriter(const Origin& other) const
    {
        return override == other.override && entry == other.entry;
    }
};

struct Entry;

/// \brief One YAML value.
struct Value
{
    /// \brief What the value is.
    enum class Kind
    {
        NONE,   //!< null or empty
        SCALAR, //!< a scalar
        LIST,   //!< a sequence
        MAP     //!< a mapping
    };

    Kind kind{Kind::NONE};      //!< what the value is
    std::string scalar;         //!< text of a scalar
    bool quoted{false};         //!< scalar written quoted or tagged !!str: a string, never a number
    Origin origin;              //!< where it came from
    std::vector<Value> items;   //!< sequence items
    std::vector<Entry> entries; //!< mapping entries, in file order
};

/// \brief One key of a mapping and its value.
struct Entry
{
    std::string key;  //!< key text
    Origin keyOrigin; //!< where the key came from
    Value value;      //!< the value
};

/**
 * \param parent parent path ("" for the top level)
 * \param key map key
 * \return "parent.key"
 */
std::string
ChildPath(const std::string& parent, const std::string& key)
{
    return parent.empty() ? key : parent + "." + key;
}

/**
 * \param parent path of a list
 * \param index item index
 * \return "parent[index]"
 */
std::string
IndexPath(const std::string& parent, size_t index)
{
    return fmt::format("{}[{}]", parent, index);
}

/**
 * \param path a field path
 * \return the path one level up ("" above the top level)
 */
std::string
ParentPath(const std::string& path)
{
    // A key may itself end in ']' ("ed]]]"): only a '[' opens an index (an index-looking key
    // without one once made Error() loop forever on the same path).
    size_t open = path.rfind('[');
    if (!path.empty() && path.back() == ']' && open != std::string::npos)
    {
        return path.substr(0, open);
    }
    size_t dot = path.rfind('.');
    return dot == std::string::npos ? "" : path.substr(0, dot);
}

/**
 * \param v a value
 * \return the value in words, for errors: "a list", "2.5", "the string \"2\""...
 */
std::string
Describe(const Value& v)
{
    switch (v.kind)
    {
    case Value::Kind::NONE:
        return "an empty value";
    case Value::Kind::LIST:
        return "a list";
    case Value::Kind::MAP:
        return "a mapping";
    case Value::Kind::SCALAR:
        break;
    }
    // Keep messages one readable line: escape control and non-ASCII bytes, cut long text.
    const size_t maxLength = 60;
    std::string text;
    for (size_t i = 0; i < v.scalar.size() && i < maxLength; ++i)
    {
        auto c = static_cast<unsigned char>(v.scalar[i]);
        text += c >= 0x20 && c < 0x7f ? std::string(1, static_cast<char>(c))
                                      : fmt::format("\\x{:02x}", c);
    }
    if (v.scalar.size() > maxLength)
    {
        text += "...";
    }
    return v.quoted ? fmt::format("the string \"{}\"", text) : fmt::format("'{}'", text);
}

/// \brief Records where each document starts; ignores everything else.
class DocumentStarts : public YAML::EventHandler
{
  public:
    void OnDocumentStart(const YAML::Mark& mark) override
    {
        m_start = mark;
    }

    void OnDocumentEnd() override
    {
    }

    void OnNull(const YAML::Mark&, YAML::anchor_t) override
    {
    }

    void OnAlias(const YAML::Mark&, YAML::anchor_t) override
    {
    }

    void OnScalar(const YAML::Mark&,
                  const std::string&,
                  YAML::anchor_t,
                  const std::string&) override
    {
    }

    void OnSequenceStart(const YAML::Mark&,
                         const std::string&,
                         YAML::anchor_t,
                         YAML::EmitterStyle::value) override
    {
    }

    void OnSequenceEnd() override
    {
    }

    void OnMapStart(const YAML::Mark&,
                    const std::string&,
                    YAML::anchor_t,
                    YAML::EmitterStyle::value) override
    {
    }

    void OnMapEnd() override
    {
    }

    /// \return where the last document started
    const YAML::Mark& GetStart() const
    {
        return m_start;
    }

  private:
    YAML::Mark m_start; //!< start of the last document
};

/**
 * \brief YAML::LoadAll without its endless loop: yaml-cpp 0.7.0 (Debian's) returns the same
 * empty document forever, allocating, when a document starts with a token no value begins with,
 * e.g. the text "," (jbeder/yaml-cpp#1040, fixed upstream after 0.7.0). A first pass over the
 * parser's events refuses a document that starts where the previous one did.
 * \param text the YAML text
 * \return the documents
 * \throws YAML::Exception as LoadAll, with the position of the stuck token
 */
std::vector<YAML::Node>
LoadDocuments(const std::string& text)
{
    {
        std::istringstream in(text);
        YAML::Parser parser(in);
        DocumentStarts starts;
        int lastPos = -1;
        for (size_t documents = 0; parser.HandleNextDocument(starts); ++documents)
        {
            const YAML::Mark& at = starts.GetStart();
            if (at.pos == lastPos || documents > text.size() + 1)
            {
                size_t pos = std::min(static_cast<size_t>(std::max(at.pos, 0)), text.size());
                throw YAML::ParserException(
                    at,
                    fmt::format("no value can start with '{}'",
                                pos < text.size() ? text.substr(pos, 1) : std::string("")));
            }
            lastPos = at.pos;
        }
    }
    return YAML::LoadAll(text);
}

/**
 * \brief Copy a yaml-cpp node into a Value, expanding aliases.
 * \param n the node
 * \param source file name, for errors
 * \param path field path, for errors
 * \param keyLine line of the key this node is the value of (0 if none): yaml-cpp marks an empty
 * value at the next token, so an empty value takes its key's line
 * \param depth nesting depth
 * \param count values copied so far
 * \return the copy
 */
Value
BuildTree(const YAML::Node& n,
          const std::string& source,
          const std::string& path,
          int keyLine,
          int depth,
          size_t& count)
{
    Value v;
    v.origin.line = n.Mark().line >= 0 ? n.Mark().line + 1 : keyLine;
    if (n.IsNull() && keyLine > 0)
    {
        v.origin.line = keyLine;
    }
    if (depth > MAX_DEPTH)
    {
        throw ConfigError(source,
                          v.origin.line,
                          "",
                          fmt::format("values nest deeper than {} levels (an alias inside "
                                      "itself?)",
                                      MAX_DEPTH));
    }
    if (++count > MAX_VALUES)
    {
        throw ConfigError(source,
                          v.origin.line,
                          "",
                          fmt::format("the document holds more than {} values once aliases are "
                                      "expanded",
                                      MAX_VALUES));
    }
    // No tag ("?" plain, "!" quoted) or !!str; any other tag (!mytag, !!binary, !!python/...)
    // would be silently dropped by the reader, so it is refused.
    const std::string& tag = n.Tag();
    if (!tag.empty() && tag != "?" && tag != "!" && tag != "tag:yaml.org,2002:str" &&
        tag != "tag:yaml.org,2002:map" && tag != "tag:yaml.org,2002:seq")
    {
        std::string shown = tag.rfind("tag:yaml.org,2002:", 0) == 0 ? "!!" + tag.substr(18) : tag;
        throw ConfigError(source,
                          v.origin.line,
                          path,
                          fmt::format("the YAML tag '{}' is not supported; write the value "
                                      "without it (only !!str, which quotes, is read)",
                                      shown.substr(0, 64)));
    }
    switch (n.Type())
    {
    case YAML::NodeType::Scalar:
        v.kind = Value::Kind::SCALAR;
        v.scalar = n.Scalar();
        v.quoted = n.Tag() == "!" || n.Tag() == "tag:yaml.org,2002:str";
        break;
    case YAML::NodeType::Sequence:
        v.kind = Value::Kind::LIST;
        for (size_t i = 0; i < n.size(); ++i)
        {
            v.items.push_back(BuildTree(n[i], source, IndexPath(path, i), 0, depth + 1, count));
        }
        break;
    case YAML::NodeType::Map: {
        v.kind = Value::Kind::MAP;
        // Line of each key so far: a duplicate is found in constant time (a scan of the entries
        // made a 200,000-key file take hours).
        std::unordered_map<std::string, int> lineOfKey;
        for (auto it = n.begin(); it != n.end(); ++it)
        {
            int line = it->first.Mark().line + 1;
            if (!it->first.IsScalar())
            {
                throw ConfigError(source,
                                  line,
                                  path,
                                  "a key must be a plain name (a non-empty scalar), not a list, "
                                  "mapping or empty value");
            }
            Entry entry;
            entry.key = it->first.Scalar();
            entry.keyOrigin.line = line;
            std::string childPath = ChildPath(path, entry.key);
            auto [previous, isNew] = lineOfKey.emplace(entry.key, line);
            if (!isNew)
            {
                throw ConfigError(source,
                                  line,
                                  childPath,
                                  fmt::format("duplicate key (first at line {}); each key may "
                                              "appear once",
                                              previous->second));
            }
            entry.value = BuildTree(it->second, source, childPath, line, depth + 1, count);
            v.entries.push_back(std::move(entry));
        }
        break;
    }
    default:
        break;
    }
    return v;
}

/**
 * \brief Mark a value and everything inside it as written by \p writer.
 *
 * An override has no line (every origin becomes the writer's); a variant entry is file text, so
 * each value keeps its own line and only takes the writer's where it has none.
 *
 * \param v the value
 * \param writer the override or variant entry
 */
void
SetWriter(Value& v, const Origin& writer)
{
    auto mark = [&writer](Origin& o) {
        int line = o.line;
        o = writer;
        if (writer.override < 0 && line > 0)
        {
            o.line = line;
        }
    };
    mark(v.origin);
    for (Value& item : v.items)
    {
        SetWriter(item, writer);
    }
    for (Entry& entry : v.entries)
    {
        mark(entry.keyOrigin);
        SetWriter(entry.value, writer);
    }
}

/**
 * \param path a dotted path
 * \return its segments, possibly empty ones ("a..b" gives "a", "", "b")
 */
std::vector<std::string>
SplitAtDots(const std::string& path)
{
    std::vector<std::string> segments;
    size_t start = 0;
    while (true)
    {
        size_t dot = path.find('.', start);
        segments.push_back(path.substr(start, dot - start));
        if (dot == std::string::npos)
        {
            return segments;
        }
        start = dot + 1;
    }
}

/**
 * \brief Split an override path at its dots.
 * \param path the path
 * \param where "--set ..." for errors
 * \return the segments, none empty
 * \throws ConfigError if the path or a segment is empty
 */
std::vector<std::string>
SplitOverridePath(const std::string& path, const std::string& where)
{
    std::vector<std::string> segments = SplitAtDots(path);
    for (const std::string& segment : segments)
    {
        if (segment.empty())
        {
            throw ConfigError(where,
                              0,
                              "",
                              fmt::format("'{}' is not a valid path (empty segment); expected {}",
                                          path,
                                          OVERRIDE_SYNTAX));
        }
    }
    return segments;
}

/**
 * \param path a field path
 * \return whether it is the set mapping of a compare item, "compare[N].set"
 */
bool
IsVariantSetPath(const std::string& path)
{
    const std::string head = "compare[";
    const std::string tail = "].set";
    if (path.size() <= head.size() + tail.size() || path.compare(0, head.size(), head) != 0 ||
        path.compare(path.size() - tail.size(), tail.size(), tail) != 0)
    {
        return false;
    }
    std::string index = path.substr(head.size(), path.size() - head.size() - tail.size());
    return std::all_of(index.begin(), index.end(), [](char c) {
        return std::isdigit(static_cast<unsigned char>(c));
    });
}

/// \brief Who writes a value into the tree with PlaceValue(), for origins and errors.
struct Writer
{
    Origin origin;         //!< recorded on the keys and maps PlaceValue() creates
    std::string itemsOnly; //!< end of the past-the-end message, e.g. "--set changes existing
                           //!< items only"
    std::function<ConfigError(const std::string& path, const std::string& message)>
        error; //!< an error at the field path reached so far
};

/**
 * \brief Write a value at a dotted path of the tree: map keys (the longest existing key made of
 * the next segments, so keys containing dots can be addressed; created when absent) and list
 * indices (existing items only).
 * \param root the document, a mapping
 * \param segments the path, split at its dots
 * \param value the value, its origins already set
 * \param w the writer
 * \return the field path of the value written, e.g. "traffic[0].rate"
 * \throws ConfigError from w.error on a bad path
 */
std::string
PlaceValue(Value& root, const std::vector<std::string>& segments, Value value, const Writer& w)
{
    Value* current = &root;
    std::string path;
    size_t i = 0;
    while (true)
    {
        Value* next = nullptr;
        if (current->kind == Value::Kind::NONE)
        {
            const std::string& segment = segments[i];
            if (!segment.empty() && std::all_of(segment.begin(), segment.end(), [](char c) {
                    return std::isdigit(static_cast<unsigned char>(c));
                }))
            {
                // Index 0 of a list the file does not have: it would become a mapping {0: ...}.
                throw w.error(path,
                              fmt::format("the file has no {} list, so there is no item {}; {}",
                                          path,
                                          segment.substr(0, 20),
                                          w.itemsOnly));
            }
            // An empty value on the way ("fabric:" with nothing after it) becomes a mapping.
            current->kind = Value::Kind::MAP;
            current->origin = w.origin;
        }
        if (current->kind == Value::Kind::LIST)
        {
            const std::string& segment = segments[i];
            size_t size = current->items.size();
            bool isIndex =
                segment.size() <= 9 && std::all_of(segment.begin(), segment.end(), [](char c) {
                    return std::isdigit(static_cast<unsigned char>(c));
                });
            if (!isIndex)
            {
                throw w.error(path,
                              fmt::format("'{}' is not a list index; {} is a list, address its "
                                          "items as {}.0, {}.1...",
                                          segment,
                                          path,
                                          path,
                                          path));
            }
            size_t itemIndex = std::stoul(segment);
            if (itemIndex >= size)
            {
                throw w.error(path,
                              fmt::format("index {} is past the end of the list ({} item{}{}); {}",
                                          itemIndex,
                                          size,
                                          size == 1 ? "" : "s",
                                          size == 0 ? "" : fmt::format(": 0..{}", size - 1),
                                          w.itemsOnly));
            }
            path = IndexPath(path, itemIndex);
            next = &current->items[itemIndex];
            ++i;
        }
        else if (current->kind == Value::Kind::MAP)
        {
            Entry* entry = nullptr;
            size_t end = i + 1;
            for (Entry& e : current->entries)
            {
                std::string joined;
                for (size_t j = i; j < segments.size(); ++j)
                {
                    joined += (j == i ? "" : ".") + segments[j];
                    if (joined == e.key && (entry == nullptr || j + 1 > end))
                    {
                        entry = &e;
                        end = j + 1;
                    }
                }
            }
            if (entry == nullptr && IsVariantSetPath(path))
            {
                // The keys of a variant's set are dotted paths themselves: the rest of the path
                // is one new key (compare.1.set.fabric.spines adds the entry fabric.spines).
                std::string key = segments[i];
                for (size_t j = i + 1; j < segments.size(); ++j)
                {
                    key += "." + segments[j];
                }
                current->entries.push_back(Entry{key, w.origin, Value{}});
                current->entries.back().value.origin = w.origin;
                entry = &current->entries.back();
                end = segments.size();
            }
            if (entry == nullptr)
            {
                current->entries.push_back(Entry{segments[i], w.origin, Value{}});
                current->entries.back().value.origin = w.origin;
                entry = &current->entries.back();
            }
            path = ChildPath(path, entry->key);
            next = &entry->value;
            i = end;
        }
        else
        {
            throw w.error(path,
                          fmt::format("{} is a single value, not a mapping or a list; there is no "
                                      "'{}' inside it",
                                      Describe(*current),
                                      segments[i]));
        }
        if (i == segments.size())
        {
            *next = std::move(value);
            return path;
        }
        current = next;
    }
}

/**
 * \brief Write one override into the tree.
 * \param root the document, a mapping
 * \param ov the override
 * \param index its index, recorded as the origin of what it writes
 * \throws ConfigError naming "--set PATH" on a bad path or value
 */
void
ApplyOverride(Value& root, const ScenarioOverride& ov, int index)
{
    const std::string where = "--set " + ov.path;
    std::vector<std::string> segments = SplitOverridePath(ov.path, where);

    Value value;
    try
    {
        std::vector<YAML::Node> docs = LoadDocuments(ov.value);
        if (docs.size() > 1)
        {
            throw ConfigError(where, 0, "", "the value holds more than one YAML document");
        }
        size_t count = 0;
        if (!docs.empty())
        {
            value = BuildTree(docs[0], where, "", 0, 0, count);
        }
    }
    catch (const YAML::Exception& e)
    {
        throw ConfigError(where,
                          0,
                          "",
                          fmt::format("value '{}' is not valid YAML: {}", ov.value, e.msg));
    }
    catch (const ConfigError& e)
    {
        throw ConfigError(where, 0, "", fmt::format("value '{}': {}", ov.value, e.GetMessage()));
    }
    Writer w;
    w.origin = Origin{0, index, -1};
    w.itemsOnly = "--set changes existing items only";
    w.error = [&where](const std::string& path, const std::string& message) {
        return ConfigError(where, 0, path, message);
    };
    SetWriter(value, w.origin);
    PlaceValue(root, segments, std::move(value), w);
}

// ---------------------------------------------------------------------------------------------
// Tree -> ScenarioConfig.

/// \brief One item of the compare section, as read (pointers into the document tree).
struct VariantSpec
{
    size_t index{0};               //!< position in the compare list
    std::string label;             //!< unique label
    std::vector<const Entry*> set; //!< set entries (dotted path: value), in file order
    const Entry* expect{nullptr};  //!< the expect entry, nullptr if none
};

/**
 * \param origin where a key or value came from
 * \param keyOrigin where its key came from
 * \return the origin to report for the field: the value's own when another writer (an override
 * or a variant entry) replaced it, else the key's line (yaml-cpp marks a block value at its first
 * inner token, the key is where a reader looks)
 */
Origin
FieldOrigin(const Origin& origin, const Origin& keyOrigin)
{
    return origin.SameWriter(keyOrigin) ? keyOrigin : origin;
}

/**
 * \brief Reads the tree into a ScenarioConfig, remembering where each field came from so that
 * errors (its own and Validate()'s) name the file and line, or the override.
 */
class ScenarioReader
{
  public:
    /**
     * \param source file name for errors
     * \param overrides the overrides applied to the tree, for errors
     */
    ScenarioReader(std::string source, const std::vector<ScenarioOverride>& overrides)
        : m_source(std::move(source)),
          m_overrides(overrides)
    {
    }

    /**
     * \param root the document, a mapping
     * \return the configuration, not yet validated
     */
    ScenarioConfig Read(const Value& root);

    /**
     * \brief An error located at a field, or at the nearest parent whose origin is known.
     * \param field field path
     * \param message what is wrong and what is allowed
     * \return the error
     */
    ConfigError Error(const std::string& field, const std::string& message) const;

    /// An error at a known origin: the file and line, "--set PATH", or a variant entry's line.
    ConfigError ErrorAt(const Origin& origin,
                        const std::string& field,
                        const std::string& message) const;

    /**
     * \brief Check the compare section: a non-empty list of {label, set, expect} with unique
     * labels, set a mapping of dotted paths, expect a mapping of bounds.
     * \param compare the compare entry of the document
     * \return the variants, in order (pointing into \p compare)
     */
    std::vector<VariantSpec> ReadCompare(const Entry& compare);

    /**
     * \brief Register a variant entry (a set entry or the expect section of compare[i]) so that
     * errors in what it wrote are reported under its own name and line.
     * \param line line of the entry's key
     * \param name the entry as a field, e.g. "compare[2].set.overlay.uplink_policy"
     * \param target the field path it wrote, e.g. "overlay.uplink_policy" (may be set later)
     * \param override the --set override that wrote the entry (errors then name it), or -1
     * \return its index, for Origin::entry
     */
    int AddVariantEntry(int line, std::string name, std::string target = "", int override = -1);

    /// Set the field path a variant entry wrote (known once it is placed in the tree).
    void SetVariantTarget(int index, std::string target);

    /**
     * \brief Read a variant's expect bounds (their origins already name the variant entry).
     * \param v the value of the variant's expect key
     * \param bounds the bounds read, with their results paths
     */
    void ReadVariantExpect(const Value& v, std::vector<ExpectBound>& bounds);

  private:
    /// \brief A variant entry that wrote part of the tree.
    struct VariantEntry
    {
        int line;           //!< line of its key
        std::string name;   //!< e.g. "compare[2].set.overlay.uplink_policy"
        std::string target; //!< field path written, e.g. "overlay.uplink_policy", or "expect"
        int override;       //!< the --set override that wrote the entry itself, or -1
    };

    /// Entries of one mapping, by key.
    using Fields = std::map<std::string, const Value*>;

    /// Throw Error(field, message).
    [[noreturn]] void Fail(const std::string& field, const std::string& message) const
    {
        throw Error(field, message);
    }

    /// Remember where the value at a field path came from.
    void Note(const std::string& path, const Origin& origin);
    /// Check v is a mapping with only allowed keys (else name the key and the allowed ones).
    Fields ReadMap(const Value& v,
                   const std::string& path,
                   const std::string& what,
                   const std::vector<std::string>& allowed);
    /// Check v is a list; return its items.
    std::vector<const Value*> ReadList(const Value& v, const std::string& path, const char* what);
    /// Check v is a scalar; return its text.
    const std::string& ReadScalar(const Value& v, const std::string& path, const char* expected);
    /// A string (plain or quoted scalar).
    std::string ReadString(const Value& v, const std::string& path);
    /// A whole number written as such (not quoted, no sign, no fraction), at most max.
    uint64_t ReadUnsigned(const Value& v,
                          const std::string& path,
                          uint64_t max,
                          const std::string& range = "");
    /// A finite number (not quoted).
    double ReadNumber(const Value& v, const std::string& path);
    /// true or false (not quoted; YAML 1.1 spellings such as yes/on are refused).
    bool ReadBool(const Value& v, const std::string& path);
    /// A time, see ParseTime().
    Time ReadTime(const Value& v, const std::string& path);
    /// A data rate, see ParseDataRate().
    DataRate ReadRate(const Value& v, const std::string& path);
    /// One value of a schema key (a scalar, or a list of scalars), in canonical form.
    schema::Json ReadKeyValue(const schema::Key& key, const Value& v, const std::string& path);
    /// One scalar of a schema key, in canonical form.
    schema::Json ReadScalarKey(const schema::Key& key, const Value& v, const std::string& path);
    /**
     * \brief Read a section of the schema over the struct's current values: check the keys,
     * the required ones, the values' types, and that each written key applies.
     * \param section the section's table
     * \param v the mapping
     * \param path its field path
     * \param target the struct it fills
     * \param extra keys allowed besides the table's, read by the caller (expect, compare)
     * \return the mapping's entries, by key
     */
    Fields ReadSection(const schema::Section& section,
                       const Value& v,
                       const std::string& path,
                       void* target,
                       const std::vector<std::string>& extra = {});
    /// The expect bounds under v, whose results path so far is resultsPath.
    void ReadExpect(const Value& v,
                    const std::string& path,
                    const std::string& resultsPath,
                    std::vector<ExpectBound>& bounds);

    std::string m_source;                       //!< file name
    std::vector<ScenarioOverride> m_overrides;  //!< overrides, by index
    std::map<std::string, Origin> m_origins;    //!< field path -> origin
    std::vector<VariantEntry> m_variantEntries; //!< variant entries, by Origin::entry
};

/**
 * \param fields entries of a mapping
 * \param key a key
 * \return the value, or nullptr if the key is absent
 */
const Value*
Find(const std::map<std::string, const Value*>& fields, const char* key)
{
    auto it = fields.find(key);
    return it == fields.end() ? nullptr : it->second;
}

ConfigError
ScenarioReader::ErrorAt(const Origin& origin,
                        const std::string& field,
                        const std::string& message) const
{
    if (origin.override >= 0)
    {
        return ConfigError("--set " + m_overrides[origin.override].path, 0, field, message);
    }
    if (origin.entry >= 0)
    {
        // Named after the entry: compare[2].set.traffic.0.rate, and what lies under it, e.g.
        // compare[2].set.faults.0.target for faults[0].target written by "faults.0: {...}".
        const VariantEntry& e = m_variantEntries[origin.entry];
        std::string file = e.override >= 0 ? "--set " + m_overrides[e.override].path : m_source;
        int line = e.override >= 0 ? 0 : origin.line > 0 ? origin.line : e.line;
        const std::string& t = e.target;
        if (field == t)
        {
            return ConfigError(file, line, e.name, message);
        }
        if (field.size() > t.size() && field.compare(0, t.size(), t) == 0 &&
            (t.empty() || field[t.size()] == '.' || field[t.size()] == '['))
        {
            std::string rest = field.substr(t.size());
            return ConfigError(file, line, e.name + (t.empty() ? "." : "") + rest, message);
        }
        return ConfigError(file, line, e.name, field.empty() ? message : field + ": " + message);
    }
    return ConfigError(m_source, origin.line, field, message);
}

int
ScenarioReader::AddVariantEntry(int line, std::string name, std::string target, int override)
{
    m_variantEntries.push_back(VariantEntry{line, std::move(name), std::move(target), override});
    return static_cast<int>(m_variantEntries.size()) - 1;
}

void
ScenarioReader::SetVariantTarget(int index, std::string target)
{
    m_variantEntries.at(index).target = std::move(target);
}

ConfigError
ScenarioReader::Error(const std::string& field, const std::string& message) const
{
    for (std::string path = field;; path = ParentPath(path))
    {
        auto it = m_origins.find(path);
        if (it != m_origins.end())
        {
            return ErrorAt(it->second, field, message);
        }
        if (path.empty())
        {
            return ConfigError(m_source, 0, field, message);
        }
    }
}

void
ScenarioReader::Note(const std::string& path, const Origin& origin)
{
    m_origins[path] = origin;
}

ScenarioReader::Fields
ScenarioReader::ReadMap(const Value& v,
                        const std::string& path,
                        const std::string& what,
                        const std::vector<std::string>& allowed)
{
    std::string allowedList = fmt::format("{}", fmt::join(allowed, ", "));
    if (v.kind != Value::Kind::MAP)
    {
        Fail(path,
             fmt::format("expected {} (a mapping with keys {}), got {}",
                         what,
                         allowedList,
                         Describe(v)));
    }
    Fields fields;
    for (const Entry& entry : v.entries)
    {
        std::string childPath = ChildPath(path, entry.key);
        auto known = std::find(allowed.begin(), allowed.end(), entry.key);
        if (known == allowed.end())
        {
            if (entry.key == "<<")
            {
                throw ErrorAt(entry.keyOrigin,
                              childPath,
                              "YAML merge keys (<<) are not supported; write the keys out (an "
                              "alias of a whole value, key: *anchor, is fine)");
            }
            throw ErrorAt(entry.keyOrigin,
                          childPath,
                          fmt::format("unknown key{}; allowed: {}",
                                      DidYouMean(entry.key, allowed),
                                      allowedList));
        }
        Note(childPath, FieldOrigin(entry.value.origin, entry.keyOrigin));
        fields[entry.key] = &entry.value;
    }
    return fields;
}

std::vector<const Value*>
ScenarioReader::ReadList(const Value& v, const std::string& path, const char* what)
{
    if (v.kind != Value::Kind::LIST)
    {
        Fail(path, fmt::format("expected a list of {}, got {}", what, Describe(v)));
    }
    std::vector<const Value*> items;
    for (size_t i = 0; i < v.items.size(); ++i)
    {
        Note(IndexPath(path, i), v.items[i].origin);
        items.push_back(&v.items[i]);
    }
    return items;
}

const std::string&
ScenarioReader::ReadScalar(const Value& v, const std::string& path, const char* expected)
{
    if (v.kind != Value::Kind::SCALAR)
    {
        Fail(path, fmt::format("expected {}, got {}", expected, Describe(v)));
    }
    return v.scalar;
}

std::string
ScenarioReader::ReadString(const Value& v, const std::string& path)
{
    return ReadScalar(v, path, "a string");
}

uint64_t
ScenarioReader::ReadUnsigned(const Value& v,
                             const std::string& path,
                             uint64_t max,
                             const std::string& range)
{
    const std::string& text = ReadScalar(v, path, "a whole number");
    if (v.quoted)
    {
        Fail(path,
             fmt::format("expected a whole number, got {}; write it without quotes", Describe(v)));
    }
    std::string digits = !text.empty() && text[0] == '+' ? text.substr(1) : text;
    bool negative = !text.empty() && text[0] == '-';
    if (negative)
    {
        digits = text.substr(1);
    }
    bool allDigits = !digits.empty() && std::all_of(digits.begin(), digits.end(), [](char c) {
        return std::isdigit(static_cast<unsigned char>(c));
    });
    if (!allDigits)
    {
        Fail(path, fmt::format("expected a whole number, got {}", Describe(v)));
    }
    if (negative && digits.find_first_not_of('0') != std::string::npos)
    {
        Fail(path,
             fmt::format("{} is negative; allowed: {}",
                         text,
                         range.empty() ? fmt::format("0..{}", max) : range));
    }
    if (digits.size() > 1 && digits[0] == '0')
    {
        Fail(path,
             fmt::format("{} has a leading zero (octal in YAML 1.1); write the decimal number "
                         "without it",
                         text));
    }
    uint64_t value = 0;
    auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
    if (ec != std::errc() || end != digits.data() + digits.size() || value > max)
    {
        Fail(path,
             fmt::format("{} is out of range; allowed: {}",
                         text,
                         range.empty() ? fmt::format("0..{}", max) : range));
    }
    return value;
}

double
ScenarioReader::ReadNumber(const Value& v, const std::string& path)
{
    const std::string& text = ReadScalar(v, path, "a number");
    if (v.quoted)
    {
        Fail(path, fmt::format("expected a number, got {}; write it without quotes", Describe(v)));
    }
    const char* begin = text.data();
    if (!text.empty() && text[0] == '+')
    {
        ++begin; // from_chars refuses a '+' sign
    }
    double value = 0;
    auto [end, ec] = std::from_chars(begin, text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size() || !std::isfinite(value))
    {
        Fail(path, fmt::format("expected a finite number, got {}", Describe(v)));
    }
    return value;
}

bool
ScenarioReader::ReadBool(const Value& v, const std::string& path)
{
    const std::string& text = ReadScalar(v, path, "true or false");
    if (v.quoted)
    {
        Fail(path,
             fmt::format("expected true or false, got {}; write it without quotes", Describe(v)));
    }
    if (text == "true")
    {
        return true;
    }
    if (text == "false")
    {
        return false;
    }
    Fail(path, fmt::format("expected true or false, got {}", Describe(v)));
}

Time
ScenarioReader::ReadTime(const Value& v, const std::string& path)
{
    const std::string& text = ReadScalar(v, path, TIME_SYNTAX);
    try
    {
        return ParseTime(text);
    }
    catch (const std::invalid_argument& e)
    {
        Fail(path, e.what());
    }
}

DataRate
ScenarioReader::ReadRate(const Value& v, const std::string& path)
{
    const std::string& text = ReadScalar(v, path, RATE_SYNTAX);
    try
    {
        return ParseDataRate(text);
    }
    catch (const std::invalid_argument& e)
    {
        Fail(path, e.what());
    }
}

schema::Json
ScenarioReader::ReadScalarKey(const schema::Key& key, const Value& v, const std::string& path)
{
    using schema::Kind;
    switch (key.kind)
    {
    case Kind::BOOL:
        return ReadBool(v, path);
    case Kind::UNSIGNED: {
        return ReadUnsigned(v, path, key.typeMax, schema::RangeText(key));
    }
    case Kind::NUMBER:
        return ReadNumber(v, path);
    case Kind::TIME:
        return ReadTime(v, path).GetNanoSeconds();
    case Kind::RATE:
        return ReadRate(v, path).GetBitRate();
    case Kind::CHOICE: {
        std::string allowed = fmt::format("{}", fmt::join(key.choices, ", "));
        const std::string& text = ReadScalar(v, path, fmt::format("one of {}", allowed).c_str());
        if (std::find(key.choices.begin(), key.choices.end(), text) == key.choices.end())
        {
            Fail(path, fmt::format("'{}' is not allowed; allowed: {}", text, allowed));
        }
        return text;
    }
    case Kind::STRING:
    case Kind::SECTION:
        break;
    }
    return ReadString(v, path);
}

schema::Json
ScenarioReader::ReadKeyValue(const schema::Key& key, const Value& v, const std::string& path)
{
    if (!key.list)
    {
        return ReadScalarKey(key, v, path);
    }
    schema::Json items = schema::Json::array();
    std::vector<const Value*> values = ReadList(v, path, key.doc.c_str());
    for (size_t i = 0; i < values.size(); ++i)
    {
        items.push_back(ReadScalarKey(key, *values[i], IndexPath(path, i)));
    }
    return items;
}

ScenarioReader::Fields
ScenarioReader::ReadSection(const schema::Section& section,
                            const Value& v,
                            const std::string& path,
                            void* target,
                            const std::vector<std::string>& extra)
{
    std::vector<std::string> names;
    for (const schema::Key& key : section.keys)
    {
        names.push_back(key.name);
        if (key.alias)
        {
            names.push_back(key.alias->name);
        }
    }
    names.insert(names.end(), extra.begin(), extra.end());
    Fields f = ReadMap(v, path, section.what, names);
    // The name each written key was written under (its own or its alias): by one writer under
    // both names is ambiguous; by two (the file and a --set, a variant's set), the later wins,
    // as it would under one name.
    std::map<const schema::Key*, std::string> spelling;
    for (const schema::Key& key : section.keys)
    {
        const Value* own = Find(f, key.name.c_str());
        const Value* alias = key.alias ? Find(f, key.alias->name.c_str()) : nullptr;
        if (own != nullptr && alias != nullptr)
        {
            if (own->origin.SameWriter(alias->origin))
            {
                Fail(ChildPath(path, key.alias->name),
                     fmt::format("{} is another name of {}; write one of them",
                                 key.alias->name,
                                 key.name));
            }
            auto rank = [](const Origin& o) { return std::make_pair(o.entry, o.override); };
            own = rank(alias->origin) > rank(own->origin) ? nullptr : own;
        }
        if (own != nullptr)
        {
            spelling[&key] = key.name;
        }
        else if (alias != nullptr)
        {
            spelling[&key] = key.alias->name;
            Note(ChildPath(path, key.name), m_origins[ChildPath(path, key.alias->name)]);
        }
    }
    for (const schema::Key& key : section.keys)
    {
        if (key.required && spelling.count(&key) == 0)
        {
            Fail(path, fmt::format("missing key {}; {}", key.name, section.shape));
        }
    }
    for (const auto& [name, value] : section.whenWritten)
    {
        section.Find(name)->set(target, value);
    }
    for (const schema::Key& key : section.keys)
    {
        if (spelling.count(&key) == 0)
        {
            continue;
        }
        const Value* x = Find(f, spelling[&key].c_str());
        std::string childPath = ChildPath(path, spelling[&key]);
        if (key.kind != schema::Kind::SECTION)
        {
            try
            {
                key.set(target, ReadKeyValue(key, *x, childPath));
            }
            catch (const ConfigError& e)
            {
                // A value its type refuses (an IPv4 address that is none): the file's position.
                Fail(childPath, e.GetMessage());
            }
        }
        else if (!key.list)
        {
            ReadSection(*key.section, *x, childPath, key.child(target));
        }
        else
        {
            std::vector<const Value*> items = ReadList(*x, childPath, key.doc.c_str());
            for (size_t i = 0; i < items.size(); ++i)
            {
                void* item = key.append(target);
                if (key.section->initItem)
                {
                    key.section->initItem(item, i);
                }
                ReadSection(*key.section, *items[i], IndexPath(childPath, i), item);
            }
        }
    }
    for (const schema::Key& key : section.keys)
    {
        if (spelling.count(&key) == 0)
        {
            continue;
        }
        std::string childPath = ChildPath(path, spelling[&key]);
        if (!schema::IsRelevant(section, key, target))
        {
            Fail(childPath, schema::RelevanceMessage(section, key, target));
        }
        if (spelling[&key] != key.name && !schema::IsAliasRelevant(section, key, target))
        {
            const schema::Key* decider = section.Find(key.alias->when.key);
            Fail(childPath,
                 fmt::format("{} is the name of {} when {} is {} (here {} is {}); write {}",
                             key.alias->name,
                             key.name,
                             decider->name,
                             fmt::join(key.alias->when.values, " or "),
                             decider->name,
                             schema::ToFileValue(*decider, decider->get(target)).dump(),
                             key.name));
        }
    }
    return f;
}

void
ScenarioReader::ReadExpect(const Value& v,
                           const std::string& path,
                           const std::string& resultsPath,
                           std::vector<ExpectBound>& bounds)
{
    // Either {results.path: {min, max}} with dotted keys, or nested mappings of the same paths
    // ({flows: {f0: {delivered: {min: 1}}}}): a mapping with a mapping inside is a group.
    const char* expected = "a bound such as {min: 1, max: 5}, or a mapping of bounds";
    if (v.kind != Value::Kind::MAP)
    {
        Fail(path, fmt::format("expected {}, got {}", expected, Describe(v)));
    }
    for (const Entry& entry : v.entries)
    {
        std::string childPath = ChildPath(path, entry.key);
        std::string childResults = ChildPath(resultsPath, entry.key);
        Origin origin = FieldOrigin(entry.value.origin, entry.keyOrigin);
        Note(childPath, origin);
        const Value& value = entry.value;
        if (value.kind != Value::Kind::MAP)
        {
            Fail(childPath, fmt::format("expected {}, got {}", expected, Describe(value)));
        }
        bool isGroup = std::any_of(value.entries.begin(), value.entries.end(), [](const Entry& e) {
            return e.value.kind == Value::Kind::MAP;
        });
        if (isGroup)
        {
            ReadExpect(value, childPath, childResults, bounds);
            continue;
        }
        Fields f = ReadMap(value, childPath, "a bound", {"min", "max"});
        ExpectBound bound;
        bound.path = childResults;
        bound.line = origin.line;
        if (const Value* x = Find(f, "min"))
        {
            bound.min = ReadNumber(*x, childPath + ".min");
        }
        if (const Value* x = Find(f, "max"))
        {
            bound.max = ReadNumber(*x, childPath + ".max");
        }
        bounds.push_back(std::move(bound));
    }
}

std::vector<VariantSpec>
ScenarioReader::ReadCompare(const Entry& compare)
{
    Note("compare", FieldOrigin(compare.value.origin, compare.keyOrigin));
    std::vector<const Value*> items = ReadList(compare.value, "compare", "variants");
    if (items.empty())
    {
        Fail("compare",
             "the list is empty; give at least one variant {label: NAME, set: {PATH: VALUE}}, or "
             "remove the section");
    }
    std::map<std::string, size_t> indexOfLabel;
    std::vector<VariantSpec> variants;
    for (size_t i = 0; i < items.size(); ++i)
    {
        std::string path = IndexPath("compare", i);
        Fields f = ReadMap(*items[i], path, "a variant", {"label", "set", "expect"});
        VariantSpec spec;
        spec.index = i;
        const Value* label = Find(f, "label");
        if (label == nullptr)
        {
            Fail(path,
                 "missing key label; a variant is {label: NAME, set: {PATH: VALUE, ...}, expect: "
                 "{PATH: {min, max}, ...}}");
        }
        spec.label = ReadString(*label, path + ".label");
        if (!schema::IsSimpleName(spec.label, false))
        {
            Fail(path + ".label",
                 fmt::format("{} is not allowed; a label is 1 to 64 letters, digits, '_' and "
                             "'-', starting with a letter or digit (it names the variant's output "
                             "folder and its row of the comparison)",
                             Describe(*label)));
        }
        auto [it, isNew] = indexOfLabel.emplace(spec.label, i);
        if (!isNew)
        {
            Fail(path + ".label",
                 fmt::format("'{}' is already the label of compare[{}]; labels are unique",
                             spec.label,
                             it->second));
        }
        for (const Entry& entry : items[i]->entries)
        {
            if (entry.key == "set")
            {
                if (entry.value.kind != Value::Kind::MAP)
                {
                    Fail(path + ".set",
                         fmt::format("expected a mapping of dotted paths to values, e.g. "
                                     "{{overlay.uplink_policy: active-standby, traffic.0.rate: "
                                     "2Gbps}}, got {}",
                                     Describe(entry.value)));
                }
                for (const Entry& set : entry.value.entries)
                {
                    std::string field = ChildPath(path + ".set", set.key);
                    Note(field, set.keyOrigin);
                    std::vector<std::string> segments = SplitAtDots(set.key);
                    if (std::any_of(segments.begin(), segments.end(), [](const std::string& x) {
                            return x.empty();
                        }))
                    {
                        Fail(field,
                             "not a valid path (empty segment); a set key is keys and list "
                             "indices separated by '.', e.g. fabric.spines or traffic.0.rate");
                    }
                    if (segments[0] == "compare")
                    {
                        Fail(field,
                             "a variant cannot change the compare section; set fields of the "
                             "scenario");
                    }
                    spec.set.push_back(&set);
                }
            }
            else if (entry.key == "expect")
            {
                if (entry.value.kind != Value::Kind::MAP)
                {
                    Fail(path + ".expect",
                         fmt::format("expected a mapping of bounds, e.g. "
                                     "{{faults.0.failover_ms: {{max: 50}}}}, got {}",
                                     Describe(entry.value)));
                }
                spec.expect = &entry;
            }
        }
        variants.push_back(std::move(spec));
    }
    return variants;
}

void
ScenarioReader::ReadVariantExpect(const Value& v, std::vector<ExpectBound>& bounds)
{
    // The bounds are read as if written under the top-level expect, so that Validate()'s errors
    // (expect.<path>) find them; their origins name the variant entry.
    Note("expect", v.origin);
    ReadExpect(v, "expect", "", bounds);
}

ScenarioConfig
ScenarioReader::Read(const Value& root)
{
    ScenarioConfig cfg;
    Note("", root.origin);
    Fields f = ReadSection(schema::ScenarioSection(), root, "", &cfg, {"expect", "compare"});
    if (const Value* x = Find(f, "expect"))
    {
        ReadExpect(*x, "expect", "", cfg.expect);
    }
    return cfg;
}

} // namespace

Time
ParseTime(const std::string& text)
{
    bool negative = false;
    uint64_t ns = ParseQuantity(text,
                                {{"ns", 0}, {"us", 3}, {"ms", 6}, {"s", 9}},
                                TIME_SYNTAX,
                                "nanoseconds",
                                std::numeric_limits<int64_t>::max(),
                                negative);
    int64_t value = static_cast<int64_t>(ns);
    return NanoSeconds(negative ? -value : value);
}

DataRate
ParseDataRate(const std::string& text)
{
    bool negative = false;
    uint64_t bps = ParseQuantity(text,
                                 {{"bps", 0}, {"kbps", 3}, {"Mbps", 6}, {"Gbps", 9}},
                                 RATE_SYNTAX,
                                 "bits per second",
                                 std::numeric_limits<uint64_t>::max(),
                                 negative);
    if (negative && bps != 0)
    {
        throw std::invalid_argument(fmt::format("'{}' is negative; {}", text, RATE_SYNTAX));
    }
    return DataRate(bps);
}

ScenarioOverride
ParseOverride(const std::string& keyEqualsValue)
{
    const std::string where = "--set " + keyEqualsValue;
    size_t equals = keyEqualsValue.find('=');
    if (equals == std::string::npos)
    {
        throw ConfigError(where,
                          0,
                          "",
                          fmt::format("there is no '='; expected {}", OVERRIDE_SYNTAX));
    }
    std::string path = keyEqualsValue.substr(0, equals);
    size_t first = path.find_first_not_of(" \t");
    size_t last = path.find_last_not_of(" \t");
    path = first == std::string::npos ? "" : path.substr(first, last - first + 1);
    if (path.empty())
    {
        throw ConfigError(where,
                          0,
                          "",
                          fmt::format("the path is empty; expected {}", OVERRIDE_SYNTAX));
    }
    SplitOverridePath(path, where);
    return ScenarioOverride{path, keyEqualsValue.substr(equals + 1)};
}

namespace
{

/**
 * \brief Refuse text that is not a scenario file: not UTF-8 (with the byte offset and line of the
 * first bad byte; a UTF-16 or UTF-32 byte order mark is named), binary (a NUL byte), or with a
 * line longer than MAX_LINE_BYTES.
 * \param text the text
 * \param sourceName name for errors
 */
void
CheckScenarioText(const std::string& text, const std::string& sourceName)
{
    auto byte = [&text](size_t i) { return static_cast<unsigned char>(text[i]); };
    if (text.size() >= 4 && ((byte(0) == 0xff && byte(1) == 0xfe && byte(2) == 0 && byte(3) == 0) ||
                             (byte(0) == 0 && byte(1) == 0 && byte(2) == 0xfe && byte(3) == 0xff)))
    {
        throw ConfigError(sourceName,
                          1,
                          "",
                          fmt::format("the file is UTF-32 (byte order mark {:02X} {:02X} {:02X} "
                                      "{:02X}); save it as UTF-8",
                                      byte(0),
                                      byte(1),
                                      byte(2),
                                      byte(3)));
    }
    if (text.size() >= 2 &&
        ((byte(0) == 0xff && byte(1) == 0xfe) || (byte(0) == 0xfe && byte(1) == 0xff)))
    {
        throw ConfigError(sourceName,
                          1,
                          "",
                          fmt::format("the file is UTF-16 (byte order mark {:02X} {:02X}); save it "
                                      "as UTF-8",
                                      byte(0),
                                      byte(1)));
    }
    int line = 1;
    size_t lineStart = 0;
    for (size_t i = 0; i < text.size();)
    {
        unsigned char c = byte(i);
        size_t length = c < 0x80             ? 1
                        : (c & 0xe0) == 0xc0 ? 2
                        : (c & 0xf0) == 0xe0 ? 3
                        : (c & 0xf8) == 0xf0 ? 4
                                             : 0;
        bool ok = length > 0 && i + length <= text.size() && !(length == 2 && c < 0xc2) &&
                  !(length == 4 && c > 0xf4);
        for (size_t k = 1; ok && k < length; ++k)
        {
            ok = (byte(i + k) & 0xc0) == 0x80;
        }
        if (ok && length == 3)
        {
            unsigned char d = byte(i + 1);
            ok = !(c == 0xe0 && d < 0xa0) && !(c == 0xed && d >= 0xa0); // overlong, surrogates
        }
        if (ok && length == 4)
        {
            unsigned char d = byte(i + 1);
            ok = !(c == 0xf0 && d < 0x90) && !(c == 0xf4 && d >= 0x90);
        }
        if (!ok)
        {
            throw ConfigError(sourceName,
                              line,
                              "",
                              fmt::format("byte {} (0x{:02x}, column {}) is not valid UTF-8; a "
                                          "scenario file is UTF-8 text",
                                          i,
                                          c,
                                          i - lineStart + 1));
        }
        if (c == 0)
        {
            throw ConfigError(sourceName,
                              line,
                              "",
                              fmt::format("byte {} is NUL: this is a binary file, not a scenario "
                                          "(UTF-8 text)",
                                          i));
        }
        if (c == '\n')
        {
            ++line;
            lineStart = i + 1;
        }
        else if (i - lineStart >= MAX_LINE_BYTES)
        {
            throw ConfigError(sourceName,
                              line,
                              "",
                              fmt::format("the line is longer than {} bytes; a scenario is "
                                          "written in lines of readable length",
                                          MAX_LINE_BYTES));
        }
        i += length;
    }
}

/**
 * \brief Refuse values nested deeper than MAX_DEPTH, in brackets ("[[[[...", "{a: {b: ...") or
 * in indentation (a mapping in a mapping ... 2,000 deep, "- - - - x"), which the YAML parser
 * reports only as "bad file": with the line where the limit is passed.
 *
 * Indentation is counted as the stack of strictly increasing indents of the lines so far (plus
 * the "- " items that open a line), an upper bound of the block nesting that never undercounts
 * a real one; a block scalar's text adds one level.
 * \param text the text
 * \param sourceName name for errors
 */
void
CheckNesting(const std::string& text, const std::string& sourceName)
{
    int depth = 0;
    int line = 1;
    char quote = 0;
    bool comment = false;
    std::vector<size_t> indents; // indents of the enclosing block lines
    auto blockLine = [&](size_t start) {
        size_t indent = 0;
        size_t dashes = 0;
        size_t j = start;
        while (j < text.size() && (text[j] == ' ' || (text[j] == '-' && j + 1 < text.size() &&
                                                      (text[j + 1] == ' ' || text[j + 1] == '\n'))))
        {
            dashes += text[j] == '-';
            ++j;
        }
        for (indent = start; indent < text.size() && text[indent] == ' '; ++indent)
        {
        }
        if (indent >= text.size() || text[indent] == '\n' || text[indent] == '#')
        {
            return; // blank or comment: no level
        }
        indent -= start;
        while (!indents.empty() && indents.back() >= indent)
        {
            indents.pop_back();
        }
        indents.push_back(indent);
        if (indents.size() + dashes + depth > size_t(MAX_DEPTH))
        {
            throw ConfigError(sourceName,
                              line,
                              "",
                              fmt::format("values nest deeper than {} levels of indentation; a "
                                          "scenario needs a few",
                                          MAX_DEPTH));
        }
    };
    blockLine(0);
    for (size_t i = 0; i < text.size(); ++i)
    {
        char c = text[i];
        if (c == '\n')
        {
            ++line;
            comment = false;
            if (quote == 0 && depth == 0)
            {
                blockLine(i + 1);
            }
            continue;
        }
        if (comment)
        {
            continue;
        }
        if (quote != 0)
        {
            quote = c == quote && !(quote == '"' && i > 0 && text[i - 1] == '\\') ? 0 : quote;
            continue;
        }
        if (c == '#' && (i == 0 || text[i - 1] == ' ' || text[i - 1] == '\t'))
        {
            comment = true;
        }
        else if (c == '"' || c == '\'')
        {
            quote = c;
        }
        else if (c == '[' || c == '{')
        {
            if (++depth > MAX_DEPTH)
            {
                throw ConfigError(sourceName,
                                  line,
                                  "",
                                  fmt::format("values nest deeper than {} levels of brackets; a "
                                              "scenario needs a few",
                                              MAX_DEPTH));
            }
        }
        else if ((c == ']' || c == '}') && depth > 0)
        {
            --depth;
        }
    }
}

/// \return the number of values in \p v, itself included
size_t
CountValues(const Value& v)
{
    size_t n = 1;
    for (const Value& item : v.items)
    {
        n += CountValues(item);
    }
    for (const Entry& entry : v.entries)
    {
        n += CountValues(entry.value);
    }
    return n;
}

/**
 * \brief Parse scenario text into a tree and apply the --set overrides.
 * \param yaml the text
 * \param sourceName name for errors
 * \param overrides --set overrides, applied in order
 * \return the document, a mapping
 */
Value
ParseDocument(const std::string& yaml,
              const std::string& sourceName,
              const std::vector<ScenarioOverride>& overrides)
{
    CheckScenarioText(yaml, sourceName);
    CheckNesting(yaml, sourceName);
    std::vector<YAML::Node> docs;
    try
    {
        docs = LoadDocuments(yaml);
    }
    catch (const YAML::Exception& e)
    {
        throw ConfigError(sourceName, e.mark.line + 1, "", "not valid YAML: " + e.msg);
    }
    if (docs.size() > 1)
    {
        throw ConfigError(sourceName,
                          docs[1].Mark().line + 1,
                          "",
                          fmt::format("the file holds {} YAML documents; a scenario is one "
                                      "document (remove the '---' separator)",
                                      docs.size()));
    }
    Value root;
    if (!docs.empty())
    {
        size_t count = 0;
        root = BuildTree(docs[0], sourceName, "", 0, 0, count);
    }
    if (root.kind == Value::Kind::NONE)
    {
        throw ConfigError(sourceName,
                          1,
                          "",
                          "the document is empty (or only comments); a scenario is a mapping of "
                          "keys such as name, duration, fabric, overlay, traffic (see "
                          "docs/scenario-reference.md)");
    }
    if (root.kind != Value::Kind::MAP)
    {
        throw ConfigError(sourceName,
                          root.origin.line,
                          "",
                          fmt::format("the top level is {}; a scenario is a mapping of keys "
                                      "such as name, duration, fabric, traffic",
                                      Describe(root)));
    }
    for (size_t i = 0; i < overrides.size(); ++i)
    {
        ApplyOverride(root, overrides[i], static_cast<int>(i));
    }
    return root;
}

/**
 * \brief Validate a configuration read by \p reader, reporting errors where the fields came from.
 * \param cfg the configuration
 * \param reader the reader that filled it
 */
void
ValidateRead(const ScenarioConfig& cfg, const ScenarioReader& reader)
{
    try
    {
        cfg.Validate();
    }
    catch (const ConfigError& e)
    {
        throw reader.Error(e.GetField(), e.GetMessage());
    }
}

/**
 * \brief Build and validate one variant: the base tree (compare removed) with the variant's set
 * entries applied like --set overrides, then its expect bounds over the base's.
 * \param base the document after the --set overrides, without its compare key
 * \param spec the variant
 * \param sourceName file name for errors
 * \param overrides the --set overrides (for errors in what they wrote)
 * \return the validated configuration
 */
ScenarioConfig
ReadVariant(const Value& base,
            const VariantSpec& spec,
            const std::string& sourceName,
            const std::vector<ScenarioOverride>& overrides)
{
    const std::string path = IndexPath("compare", spec.index);
    Value tree = base;
    ScenarioReader reader(sourceName, overrides);
    for (const Entry* set : spec.set)
    {
        std::string name = ChildPath(path + ".set", set->key);
        int line = set->keyOrigin.line;
        // An entry written by an override (--set compare.1.set.fabric.spines=4) is named by it.
        int override =
            set->value.origin.override >= 0 ? set->value.origin.override : set->keyOrigin.override;
        std::string file = override >= 0 ? "--set " + overrides[override].path : sourceName;
        Writer w;
        w.origin = Origin{line, -1, reader.AddVariantEntry(line, name, "", override)};
        w.itemsOnly = "a set entry changes existing items only";
        w.error = [&](const std::string& reached, const std::string& message) {
            return ConfigError(file,
                               override >= 0 ? 0 : line,
                               name,
                               reached.empty() ? message : reached + ": " + message);
        };
        Value value = set->value;
        SetWriter(value, w.origin);
        reader.SetVariantTarget(w.origin.entry,
                                PlaceValue(tree, SplitAtDots(set->key), std::move(value), w));
    }
    ScenarioConfig cfg = reader.Read(tree);
    if (spec.expect != nullptr)
    {
        // A variant bound replaces the base bound of the same results path, or is added.
        int line = spec.expect->keyOrigin.line;
        int override = spec.expect->value.origin.override >= 0 ? spec.expect->value.origin.override
                                                               : spec.expect->keyOrigin.override;
        Origin writer{line, -1, reader.AddVariantEntry(line, path + ".expect", "expect", override)};
        Value value = spec.expect->value;
        SetWriter(value, writer);
        std::vector<ExpectBound> bounds;
        reader.ReadVariantExpect(value, bounds);
        std::vector<bool> replaced(cfg.expect.size(), false);
        for (ExpectBound& bound : bounds)
        {
            auto it = std::find_if(cfg.expect.begin(), cfg.expect.end(), [&](const ExpectBound& b) {
                return b.path == bound.path;
            });
            size_t index = it - cfg.expect.begin();
            if (index < replaced.size() && !replaced[index])
            {
                replaced[index] = true;
                *it = std::move(bound);
            }
            else
            {
                cfg.expect.push_back(std::move(bound)); // Validate() refuses a repeated path
            }
        }
    }
    cfg.sourceFile = sourceName;
    cfg.variant = spec.label;
    cfg.name += "." + spec.label;
    ValidateRead(cfg, reader);
    return cfg;
}

} // namespace

/**
 * \brief Read a scenario file's text.
 * \param path the file
 * \return its content
 * \throws ConfigError naming the file when it is a directory or cannot be read
 */
std::string
ReadScenarioText(const std::string& path)
{
    std::error_code ec;
    if (std::filesystem::is_directory(path, ec))
    {
        throw ConfigError(path, 0, "", "is a directory, not a scenario file");
    }
    std::ifstream in(path, std::ios::binary);
    if (!in)
    {
        throw ConfigError(path,
                          0,
                          "",
                          fmt::format("cannot open the scenario file: {}", std::strerror(errno)));
    }
    // Read at most one byte past the cap, so that /dev/zero or a huge file stops here.
    std::string text(MAX_SCENARIO_FILE_BYTES + 1, '\0');
    in.read(text.data(), static_cast<std::streamsize>(text.size()));
    if (in.bad())
    {
        throw ConfigError(path,
                          0,
                          "",
                          fmt::format("cannot read the scenario file: {}", std::strerror(errno)));
    }
    text.resize(static_cast<size_t>(in.gcount()));
    if (text.size() > MAX_SCENARIO_FILE_BYTES)
    {
        throw ConfigError(path,
                          0,
                          "",
                          fmt::format("the file is larger than {} bytes (16 MiB); a scenario is a "
                                      "small text file",
                                      MAX_SCENARIO_FILE_BYTES));
    }
    CheckScenarioText(text, path);
    return text;
}

ScenarioConfig
LoadScenarioString(const std::string& yaml,
                   const std::string& sourceName,
                   const std::vector<ScenarioOverride>& overrides)
{
    Value root = ParseDocument(yaml, sourceName, overrides);
    ScenarioReader reader(sourceName, overrides);
    for (const Entry& entry : root.entries)
    {
        if (entry.key == "compare")
        {
            throw reader.ErrorAt(entry.keyOrigin,
                                 "compare",
                                 "this scenario defines variants to compare; load it with "
                                 "LoadScenarioVariants(), one configuration per variant (the "
                                 "overlay-fabric program does)");
        }
    }
    ScenarioConfig cfg = reader.Read(root);
    cfg.sourceFile = sourceName;
    ValidateRead(cfg, reader);
    return cfg;
}

ScenarioConfig
LoadScenarioFile(const std::string& path, const std::vector<ScenarioOverride>& overrides)
{
    return LoadScenarioString(ReadScenarioText(path), path, overrides);
}

std::vector<ScenarioConfig>
LoadScenarioVariantsString(const std::string& yaml,
                           const std::string& sourceName,
                           const std::vector<ScenarioOverride>& overrides)
{
    Value root = ParseDocument(yaml, sourceName, overrides);
    auto compare = std::find_if(root.entries.begin(), root.entries.end(), [](const Entry& e) {
        return e.key == "compare";
    });
    if (compare == root.entries.end())
    {
        ScenarioReader reader(sourceName, overrides);
        ScenarioConfig cfg = reader.Read(root);
        cfg.sourceFile = sourceName;
        ValidateRead(cfg, reader);
        return {cfg};
    }
    const Entry compareEntry = std::move(*compare); // the specs point into it
    root.entries.erase(compare);
    std::vector<VariantSpec> variants =
        ScenarioReader(sourceName, overrides).ReadCompare(compareEntry);
    // Each variant is a copy of the file: a short file with aliases must not become gigabytes.
    const size_t values = CountValues(root);
    if (variants.size() * values > MAX_VARIANT_VALUES)
    {
        throw ConfigError(sourceName,
                          compareEntry.keyOrigin.line,
                          "compare",
                          fmt::format("{} variants of a {}-value scenario would be {} values in "
                                      "all, above the limit of {}; compare fewer variants at once",
                                      variants.size(),
                                      values,
                                      variants.size() * values,
                                      MAX_VARIANT_VALUES));
    }
    std::vector<ScenarioConfig> configs;
    for (const VariantSpec& spec : variants)
    {
        try
        {
            configs.push_back(ReadVariant(root, spec, sourceName, overrides));
        }
        catch (const ConfigError& e)
        {
            if (e.GetField().rfind("compare[", 0) == 0)
            {
                throw;
            }
            // An error in the base file or an override, found while reading this variant.
            throw ConfigError(e.GetFile(),
                              e.GetLine(),
                              e.GetField(),
                              fmt::format("{} (variant compare[{}], label {})",
                                          e.GetMessage(),
                                          spec.index,
                                          spec.label));
        }
    }
    return configs;
}

std::vector<ScenarioConfig>
LoadScenarioVariants(const std::string& path, const std::vector<ScenarioOverride>& overrides)
{
    return LoadScenarioVariantsString(ReadScenarioText(path), path, overrides);
}

} // namespace ns3
