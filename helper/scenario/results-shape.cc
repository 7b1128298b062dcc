#include "results-shape.h"

#include "drop-reason.h"
#include "results-path.h"

#include <algorithm>
#include <charconv>
#include <fmt/format.h>
#include <fmt/ranges.h>
#include <unordered_set>

namespace ns3
{

using Json = nlohmann::ordered_json;
using Kind = ResultsShape::Kind;

ResultsShape
ResultsShape::Nullable() const
{
    ResultsShape s = *this;
    s.nullable = true;
    return s;
}

ResultsShape
ResultsShape::ZeroWhenAbsent() const
{
    ResultsShape s = *this;
    s.zeroWhenAbsent = true;
    return s;
}

ResultsShape
ResultsShape::AbsentWhen(AbsentIf absent) const
{
    ResultsShape s = *this;
    s.absentIf = std::move(absent);
    return s;
}

namespace
{

/// \return a shape of \p kind with \p doc, the rest empty: where every builder starts
ResultsShape
Shape(Kind kind, std::string doc)
{
    ResultsShape s;
    s.kind = kind;
    s.doc = std::move(doc);
    return s;
}

} // namespace

ResultsShape
ResultsNumber(std::string unit, std::string doc)
{
    ResultsShape s = Shape(Kind::NUMBER, std::move(doc));
    s.unit = std::move(unit);
    return s;
}

ResultsShape
ResultsBoolean(std::string doc)
{
    return Shape(Kind::BOOLEAN, std::move(doc));
}

ResultsShape
ResultsText(std::string doc)
{
    return Shape(Kind::TEXT, std::move(doc));
}

ResultsShape
ResultsObject(std::string doc, std::vector<ResultsField> fields)
{
    ResultsShape s = Shape(Kind::OBJECT, std::move(doc));
    s.fields = std::move(fields);
    return s;
}

ResultsShape
ResultsNamed(std::string doc,
             std::string memberWhat,
             ResultsShape::NamesOf names,
             ResultsShape member)
{
    ResultsShape s = Shape(Kind::NAMED, std::move(doc));
    s.memberWhat = std::move(memberWhat);
    s.names = std::move(names);
    s.element.push_back(std::move(member));
    return s;
}

ResultsShape
ResultsList(std::string doc,
            std::string memberWhat,
            ResultsShape::CountOf count,
            ResultsShape element)
{
    ResultsShape s = Shape(Kind::LIST, std::move(doc));
    s.memberWhat = std::move(memberWhat);
    s.count = std::move(count);
    s.element.push_back(std::move(element));
    return s;
}

ResultsShape
ResultsEcho(std::string doc)
{
    return Shape(Kind::ECHO, std::move(doc));
}

ResultsShape::NamesOf
ResultsFlowNames()
{
    return [](const ScenarioConfig& c) {
        std::vector<std::string> names;
        for (const FlowConfig& f : c.traffic)
        {
            names.push_back(f.name);
        }
        return std::optional<std::vector<std::string>>(names);
    };
}

ResultsShape::NamesOf
ResultsDropReasons()
{
    return [](const ScenarioConfig&) {
        return std::optional<std::vector<std::string>>(DropReasonNames());
    };
}

std::vector<std::string>
DropReasonNames()
{
    std::vector<std::string> names;
    for (size_t r = 0; r < size_t(DropReason::COUNT); ++r)
    {
        names.push_back(ToString(static_cast<DropReason>(r)));
    }
    return names;
}

namespace
{

/// \return the segments of \p path, as the resolver splits them
std::vector<std::string>
SplitPath(const std::string& path)
{
    std::vector<std::string> parts;
    for (std::string_view part : SplitResultsPath(path))
    {
        parts.emplace_back(part);
    }
    return parts;
}

/// \return the array index in \p part, as the resolver reads it
std::optional<size_t>
Index(const std::string& part)
{
    size_t index = 0;
    return ParseResultsIndex(part, index) ? std::optional<size_t>(index) : std::nullopt;
}

std::vector<std::string>
FieldNames(const std::vector<ResultsField>& fields)
{
    std::vector<std::string> names;
    for (const ResultsField& f : fields)
    {
        names.push_back(f.name);
    }
    return names;
}

const ResultsField*
FindField(const std::vector<ResultsField>& fields, const std::string& name)
{
    for (const ResultsField& f : fields)
    {
        if (f.name == name)
        {
            return &f;
        }
    }
    return nullptr;
}

std::string
KindName(const ResultsShape& s)
{
    switch (s.kind)
    {
    case Kind::NUMBER:
        return "a number";
    case Kind::BOOLEAN:
        return "a boolean";
    case Kind::TEXT:
        return "a text";
    case Kind::OBJECT:
    case Kind::NAMED:
        return "a mapping";
    case Kind::LIST:
        return "a list";
    case Kind::ECHO:
        return "the scenario";
    }
    return "?";
}

/// \return "a fault index", "an uplink index"
std::string
Article(const std::string& noun)
{
    return (noun.find_first_of("aeiou") == 0 ? "an " : "a ") + noun;
}

/// \return the list of names for a message, at most 30 of them
std::string
NameList(const std::vector<std::string>& names)
{
    if (names.empty())
    {
        return "(none)";
    }
    if (names.size() <= 30)
    {
        return fmt::format("{}", fmt::join(names, ", "));
    }
    std::vector<std::string> head(names.begin(), names.begin() + 30);
    return fmt::format("{}, ... ({} in all)", fmt::join(head, ", "), names.size());
}

std::string
WhyNot(const ResultsShape& shape,
       const std::vector<std::string>& parts,
       size_t i,
       const ScenarioConfig& config,
       bool wildcards)
{
    const std::string here = [&] {
        std::string s;
        for (size_t k = 0; k < i; ++k)
        {
            s += (k ? "." : "") + parts[k];
        }
        return s;
    }();
    if (shape.absentIf)
    {
        std::string why = shape.absentIf(config);
        if (!why.empty())
        {
            return fmt::format("{} is not in the results of this scenario: {}", here, why);
        }
    }
    if (shape.kind == Kind::ECHO)
    {
        // The echo is the input, written back: a bound on it tests nothing the run measured (and
        // its times and rates are texts such as "50ms").
        return fmt::format("the {} section is the input written back, not a measured figure; "
                           "bound a figure of flows, faults, monitoring or totals",
                           here);
    }
    if (i == parts.size())
    {
        switch (shape.kind)
        {
        case Kind::NUMBER:
        case Kind::BOOLEAN:
            return "";
        case Kind::ECHO:
            break;
        case Kind::TEXT:
            return fmt::format("{} is a text, not a figure; a bound needs a number", here);
        case Kind::OBJECT:
            return fmt::format("{} is a section, not a figure; figures there: {}",
                               here,
                               NameList(FieldNames(shape.fields)));
        case Kind::NAMED:
        case Kind::LIST:
            return fmt::format("{} is a section, not a figure; add {} and a figure",
                               here,
                               Article(shape.memberWhat));
        }
    }
    const std::string& part = parts[i];
    switch (shape.kind)
    {
    case Kind::ECHO:
        break; // below: a bound on the echo
    case Kind::NUMBER:
    case Kind::BOOLEAN:
    case Kind::TEXT:
        return fmt::format("{} is {}; nothing lies below it", here, KindName(shape));
    case Kind::OBJECT: {
        const ResultsField* field = FindField(shape.fields, part);
        if (field == nullptr && i == 0)
        {
            std::vector<std::string> names = FieldNames(shape.fields);
            return fmt::format("'{}' is not a section of results.json{}; a results path starts "
                               "with one of {}",
                               part.substr(0, 64),
                               DidYouMean(part, names),
                               fmt::join(names, ", "));
        }
        if (field == nullptr)
        {
            std::vector<std::string> names = FieldNames(shape.fields);
            return fmt::format("'{}' is not a figure of {}{}; there: {}",
                               part.substr(0, 64),
                               here,
                               DidYouMean(part, names),
                               NameList(names));
        }
        return WhyNot(field->shape, parts, i + 1, config, wildcards);
    }
    case Kind::NAMED: {
        std::optional<std::vector<std::string>> names =
            shape.names ? shape.names(config) : std::nullopt;
        if (wildcards && part == "*")
        {
            return WhyNot(shape.element.front(), parts, i + 1, config, wildcards);
        }
        if (names && std::find(names->begin(), names->end(), part) == names->end())
        {
            return fmt::format("there is no {} named '{}' in {}{}; {}s: {}",
                               shape.memberWhat,
                               part.substr(0, 64),
                               here,
                               DidYouMean(part, *names),
                               shape.memberWhat,
                               NameList(*names));
        }
        return WhyNot(shape.element.front(), parts, i + 1, config, wildcards);
    }
    case Kind::LIST: {
        if (wildcards && part == "*")
        {
            return WhyNot(shape.element.front(), parts, i + 1, config, wildcards);
        }
        std::optional<size_t> index = Index(part);
        std::optional<size_t> count = shape.count ? shape.count(config) : std::nullopt;
        if (!index || (count && *index >= *count))
        {
            std::string allowed = !count ? "0 or more"
                                         : (*count == 0 ? std::string("none, the list is empty")
                                                        : fmt::format("0..{}", *count - 1));
            return fmt::format("'{}' is not {} of {}; allowed: {}",
                               part.substr(0, 40),
                               Article(shape.memberWhat),
                               here,
                               allowed);
        }
        return WhyNot(shape.element.front(), parts, i + 1, config, wildcards);
    }
    }
    return "";
}

bool
KindMatches(const ResultsShape& shape, const Json& v)
{
    if (v.is_null())
    {
        return shape.nullable;
    }
    switch (shape.kind)
    {
    case Kind::NUMBER:
        return v.is_number();
    case Kind::BOOLEAN:
        return v.is_boolean();
    case Kind::TEXT:
        return v.is_string();
    case Kind::OBJECT:
    case Kind::NAMED:
        return v.is_object();
    case Kind::LIST:
        return v.is_array();
    case Kind::ECHO:
        return v.is_object();
    }
    return false;
}

void
Depart(const ResultsShape& shape,
       const Json& v,
       const std::string& path,
       const ScenarioConfig& config,
       bool requireAll,
       std::vector<std::string>& out)
{
    if (!KindMatches(shape, v))
    {
        out.push_back(fmt::format("{}: expected {}{}, got {}",
                                  path,
                                  KindName(shape),
                                  shape.nullable ? " or null" : "",
                                  v.dump().substr(0, 80)));
        return;
    }
    if (v.is_null())
    {
        return;
    }
    switch (shape.kind)
    {
    case Kind::OBJECT:
        for (const auto& item : v.items())
        {
            const ResultsField* field = FindField(shape.fields, item.key());
            if (field == nullptr)
            {
                out.push_back(fmt::format("{}.{}: not declared", path, item.key()));
                continue;
            }
            Depart(field->shape, item.value(), path + "." + item.key(), config, requireAll, out);
        }
        for (const ResultsField& field : shape.fields)
        {
            bool absent = field.shape.absentIf && !field.shape.absentIf(config).empty();
            if (v.contains(field.name) && absent)
            {
                out.push_back(fmt::format("{}.{}: written although declared absent ({})",
                                          path,
                                          field.name,
                                          field.shape.absentIf(config)));
            }
            if (requireAll && !absent && !v.contains(field.name))
            {
                out.push_back(fmt::format("{}.{}: declared but not written", path, field.name));
            }
        }
        break;
    case Kind::NAMED: {
        std::optional<std::vector<std::string>> names =
            shape.names ? shape.names(config) : std::nullopt;
        // A set, so that checking 10,000 flows is not 10^8 comparisons.
        std::unordered_set<std::string> known;
        if (names)
        {
            known.insert(names->begin(), names->end());
        }
        for (const auto& item : v.items())
        {
            if (names && known.count(item.key()) == 0)
            {
                out.push_back(
                    fmt::format("{}.{}: not a declared {}", path, item.key(), shape.memberWhat));
                continue;
            }
            Depart(shape.element.front(),
                   item.value(),
                   path + "." + item.key(),
                   config,
                   requireAll,
                   out);
        }
        break;
    }
    case Kind::LIST: {
        std::optional<size_t> count = shape.count ? shape.count(config) : std::nullopt;
        if (count && v.size() != *count)
        {
            out.push_back(
                fmt::format("{}: {} elements, the scenario configures {}", path, v.size(), *count));
        }
        for (size_t k = 0; k < v.size(); ++k)
        {
            Depart(shape.element.front(),
                   v[k],
                   fmt::format("{}.{}", path, k),
                   config,
                   requireAll,
                   out);
        }
        break;
    }
    default:
        break;
    }
}

void
ReferenceRows(const ResultsShape& shape, const std::string& path, std::string& out)
{
    std::string kind = shape.kind == Kind::OBJECT || shape.kind == Kind::NAMED ? "mapping"
                       : shape.kind == Kind::LIST                              ? "list"
                       : shape.kind == Kind::ECHO                              ? "scenario"
                                                  : KindName(shape).substr(2);
    if (shape.nullable)
    {
        kind += " or null";
    }
    out += fmt::format("| `{}` | {} | {} | {} |\n", path, kind, shape.unit, shape.doc);
    switch (shape.kind)
    {
    case Kind::OBJECT:
        for (const ResultsField& field : shape.fields)
        {
            ReferenceRows(field.shape, path + "." + field.name, out);
        }
        break;
    case Kind::NAMED:
    case Kind::LIST:
        ReferenceRows(shape.element.front(), path + ".<" + shape.memberWhat + ">", out);
        break;
    default:
        break;
    }
}

} // namespace

std::string
WhyNotAResultsFigure(const std::vector<ResultsField>& sections,
                     const std::string& path,
                     const ScenarioConfig& config,
                     bool wildcards)
{
    ResultsShape root = ResultsObject("results.json", sections);
    return WhyNot(root, SplitPath(path), 0, config, wildcards);
}

bool
ResultsFigureIsZeroWhenAbsent(const std::vector<ResultsField>& sections, const std::string& path)
{
    std::vector<std::string> parts = SplitPath(path);
    const std::vector<ResultsField>* fields = &sections;
    const ResultsShape* shape = nullptr;
    for (size_t i = 0; i < parts.size(); ++i)
    {
        if (shape != nullptr && (shape->kind == Kind::NAMED || shape->kind == Kind::LIST))
        {
            if (shape->kind == Kind::NAMED && shape->zeroWhenAbsent && i + 1 == parts.size())
            {
                return shape->element.front().kind == Kind::NUMBER;
            }
            shape = &shape->element.front();
            fields = &shape->fields;
            continue;
        }
        const ResultsField* field = FindField(*fields, parts[i]);
        if (field == nullptr)
        {
            return false;
        }
        shape = &field->shape;
        fields = &shape->fields;
    }
    return false;
}

std::vector<std::string>
ResultsShapeDepartures(const std::vector<ResultsField>& sections,
                       const Json& results,
                       const ScenarioConfig& config,
                       bool requireAll)
{
    std::vector<std::string> out;
    if (!results.is_object())
    {
        out.push_back("results: not a mapping");
        return out;
    }
    for (const auto& item : results.items())
    {
        const ResultsField* section = FindField(sections, item.key());
        if (section == nullptr)
        {
            out.push_back(fmt::format("{}: not a declared section", item.key()));
            continue;
        }
        Depart(section->shape, item.value(), item.key(), config, requireAll, out);
    }
    for (const ResultsField& section : sections)
    {
        const bool absent = section.shape.absentIf && !section.shape.absentIf(config).empty();
        if (!results.contains(section.name) && !absent)
        {
            out.push_back(fmt::format("{}: section not written", section.name));
        }
    }
    return out;
}

std::string
ResultsReferenceMarkdown(const std::vector<ResultsField>& sections)
{
    std::string out =
        "\n## results.json\n\n"
        "What `run` writes, declared next to the code that writes it (each feature module's\n"
        "ResultsSections()). An `expect` path names one number or boolean of this table (a\n"
        "boolean reads as 1 or 0); `validate` refuses any other path, and every run is checked\n"
        "against the table. `<flow>` is a flow's name, `<fault index>` its position in faults,\n"
        "`<drop reason>` one of " +
        fmt::format("{}", fmt::join(DropReasonNames(), ", ")) +
        ".\n\n| path | kind | unit | what |\n| --- | --- | --- | --- |\n";
    for (const ResultsField& section : sections)
    {
        ReferenceRows(section.shape, section.name, out);
    }
    return out;
}

} // namespace ns3
