#ifndef OVERLAY_FABRIC_RESULTS_SHAPE_H
#define OVERLAY_FABRIC_RESULTS_SHAPE_H

#include "scenario-config.h"

#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace ns3
{

struct ResultsField;

/**
 * \ingroup overlay-fabric
 * \brief The declared shape of one value of results.json: the results schema.
 *
 * Each feature module declares the section it writes (ScenarioFeature::ResultsSections()), next
 * to the code that writes it. The declaration is used three ways: `validate` checks every
 * `expect` path against it before a run (an unknown figure gets the figures there and a
 * did-you-mean), the runner checks every results.json it writes against it (an undeclared or
 * mistyped value is an internal error, so the declaration cannot drift from the writer), and the
 * reference (`overlay-fabric schema --markdown`) lists it.
 */
struct ResultsShape
{
    /// What a value is.
    enum class Kind
    {
        NUMBER,  //!< a JSON number
        BOOLEAN, //!< true or false (an expect bound reads it as 1 or 0)
        TEXT,    //!< a string
        OBJECT,  //!< a mapping with the declared fields
        NAMED,   //!< a mapping whose keys are names (flows, tunnels), every value of one shape
        LIST,    //!< an array, every element of one shape
        ECHO,    //!< the scenario echo: the scenario schema's shape, not checked here
    };

    /// \return names the keys of a NAMED value may have in a run of the scenario, or nullopt
    /// when they are known only after the run (which tunnels changed status, say)
    using NamesOf = std::function<std::optional<std::vector<std::string>>(const ScenarioConfig&)>;
    /// \return the number of elements of a LIST value in a run of the scenario, or nullopt when
    /// it is known only after the run
    using CountOf = std::function<std::optional<size_t>(const ScenarioConfig&)>;
    /// \return why the value is left out of a run of the scenario ("monitoring is off"), or ""
    /// when it is written
    using AbsentIf = std::function<std::string(const ScenarioConfig&)>;

    Kind kind{Kind::NUMBER};           //!< what the value is
    bool nullable{false};              //!< null when the event it measures never happened
    std::string unit;                  //!< unit of a NUMBER ("ms", "bps"), "" for a count
    std::string doc;                   //!< one sentence: what the value is
    std::vector<ResultsField> fields;  //!< OBJECT: its fields, in the order written
    std::vector<ResultsShape> element; //!< NAMED, LIST: exactly one, the shape of each member
    std::string memberWhat;            //!< NAMED, LIST: what a key or index stands for
    NamesOf names;                     //!< NAMED: the keys before the run (null: any)
    CountOf count;                     //!< LIST: the length before the run (null: any)
    AbsentIf absentIf;                 //!< null: always written
    bool zeroWhenAbsent{false};        //!< NAMED: a member left out reads 0 (drops by reason)

    /// \return this shape, null when the event never happened
    ResultsShape Nullable() const;
    /// \return this NAMED shape, whose members left out read 0
    ResultsShape ZeroWhenAbsent() const;
    /// \return this shape, left out of the runs where \p absent gives a reason
    ResultsShape AbsentWhen(AbsentIf absent) const;
};

/// \brief One named field of an OBJECT, or a top-level section of results.json.
struct ResultsField
{
    std::string name;   //!< its key
    ResultsShape shape; //!< its value
};

/// \name Builders of results shapes (one line per figure in the feature modules)
/// \{
ResultsShape ResultsNumber(std::string unit, std::string doc);
ResultsShape ResultsBoolean(std::string doc);
ResultsShape ResultsText(std::string doc);
ResultsShape ResultsObject(std::string doc, std::vector<ResultsField> fields);
ResultsShape ResultsNamed(std::string doc,
                          std::string memberWhat,
                          ResultsShape::NamesOf names,
                          ResultsShape member);
ResultsShape ResultsList(std::string doc,
                         std::string memberWhat,
                         ResultsShape::CountOf count,
                         ResultsShape element);
ResultsShape ResultsEcho(std::string doc);
/// \return the names of the scenario's flows (the keys of "flows")
ResultsShape::NamesOf ResultsFlowNames();
/// \return the drop reasons' names (DropReasonNames())
ResultsShape::NamesOf ResultsDropReasons();
/// \}

/// \return the names results.json uses for the drop reasons ("link_down", ...), in enum order
std::vector<std::string> DropReasonNames();

/**
 * \brief Why \p path names no figure a run of \p config can write, or "" when it may name one.
 *
 * The path (dot-separated, as ResolveResultsPath()) must walk through declared fields, through
 * the keys a NAMED value has before the run (any key when they are known only after it), through
 * indices below a LIST's configured length (written without a leading zero), and end at a
 * NUMBER or BOOLEAN. The scenario echo is no figure: it is the input written back.
 *
 * \param sections the sections of results.json
 * \param path the expect path
 * \param config the scenario
 * \param wildcards whether a '*' segment stands for every member of a NAMED or LIST value (the
 * comparison columns of CollectResultsPath()); an expect path names one figure, so not there
 * \return "" or the reason, naming what is allowed there (with a did-you-mean)
 */
std::string WhyNotAResultsFigure(const std::vector<ResultsField>& sections,
                                 const std::string& path,
                                 const ScenarioConfig& config,
                                 bool wildcards = false);

/**
 * \brief Whether \p path names a member that a NAMED value leaves out when it is 0 (a drop
 * reason without drops): an expect bound then reads 0 rather than "no such figure".
 * \param sections the sections of results.json
 * \param path the expect path
 * \return true for such a member
 */
bool ResultsFigureIsZeroWhenAbsent(const std::vector<ResultsField>& sections,
                                   const std::string& path);

/**
 * \brief Where \p results departs from the declared shape: a key no section or field declares,
 * a value of another kind, a NAMED key or LIST length other than the scenario configures. A
 * declared field that is absent is reported only when \p requireAll.
 * \param sections the sections of results.json
 * \param results what a run wrote
 * \param config the scenario of that run
 * \param requireAll also report every declared field missing from \p results
 * \return one line per departure ("flows.f0.sent: expected a number, got \"x\""), empty if none
 */
std::vector<std::string> ResultsShapeDepartures(const std::vector<ResultsField>& sections,
                                                const nlohmann::ordered_json& results,
                                                const ScenarioConfig& config,
                                                bool requireAll);

/**
 * \brief The reference of results.json as Markdown: one row per figure, its path (names and
 * indices shown as <flow>, <fault index>), kind, unit and doc.
 * \param sections the sections of results.json
 * \return the Markdown text
 */
std::string ResultsReferenceMarkdown(const std::vector<ResultsField>& sections);

} // namespace ns3

#endif
