// Results of a run read the one C++ way (helper/scenario/results-path.h, comparison.h): dotted
// results paths with '*' wildcards, the figures of a comparison and the comparison table itself,
// so that Python's compare, plots and figures show the CLI's cells.
//
// Results are given as a dict (json.loads of results.json) or as JSON text; values come back as
// plain Python objects (dict, list, str, int, float, bool, None).
#include "bindings.h"
#include "comparison.h"
#include "results-path.h"
#include "results-shape.h"
#include "scenario-feature.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

namespace overlay_fabric_py
{

using namespace ns3;
using Json = nlohmann::ordered_json;

namespace
{

/// A Python value (dict, list, tuple, str, int, float, bool, None) as JSON.
Json
ToJson(const py::handle& obj)
{
    if (obj.is_none())
    {
        return nullptr;
    }
    if (py::isinstance<py::bool_>(obj))
    {
        return obj.cast<bool>();
    }
    if (py::isinstance<py::int_>(obj))
    {
        int overflow = 0;
        long long v = PyLong_AsLongLongAndOverflow(obj.ptr(), &overflow);
        if (overflow == 0)
        {
            return static_cast<int64_t>(v);
        }
        if (overflow > 0)
        {
            unsigned long long u = PyLong_AsUnsignedLongLong(obj.ptr());
            if (!PyErr_Occurred())
            {
                return static_cast<uint64_t>(u);
            }
            PyErr_Clear();
        }
        double d = PyLong_AsDouble(obj.ptr());
        if (PyErr_Occurred())
        {
            PyErr_Clear();
            throw py::value_error("an integer in the results is too large for a JSON number");
        }
        return d;
    }
    if (py::isinstance<py::float_>(obj))
    {
        return obj.cast<double>();
    }
    if (py::isinstance<py::str>(obj))
    {
        return obj.cast<std::string>();
    }
    if (py::isinstance<py::dict>(obj))
    {
        Json out = Json::object();
        for (const auto& item : py::reinterpret_borrow<py::dict>(obj))
        {
            out[py::str(item.first).cast<std::string>()] = ToJson(item.second);
        }
        return out;
    }
    if (py::isinstance<py::list>(obj) || py::isinstance<py::tuple>(obj))
    {
        Json out = Json::array();
        for (const auto& item : obj)
        {
            out.push_back(ToJson(item));
        }
        return out;
    }
    throw py::type_error(fmt::format("results hold a {}; expected what json.loads gives",
                                     py::str(obj.get_type()).cast<std::string>()));
}

/// JSON as a plain Python value.
py::object
FromJson(const Json& v)
{
    switch (v.type())
    {
    case Json::value_t::null:
        return py::none();
    case Json::value_t::boolean:
        return py::bool_(v.get<bool>());
    case Json::value_t::number_integer:
        return py::int_(v.get<int64_t>());
    case Json::value_t::number_unsigned:
        return py::int_(v.get<uint64_t>());
    case Json::value_t::number_float:
        return py::float_(v.get<double>());
    case Json::value_t::string:
        return py::str(v.get_ref<const std::string&>());
    case Json::value_t::array: {
        py::list out;
        for (const Json& e : v)
        {
            out.append(FromJson(e));
        }
        return out;
    }
    case Json::value_t::object: {
        py::dict out;
        for (const auto& item : v.items())
        {
            out[py::str(item.key())] = FromJson(item.value());
        }
        return out;
    }
    default:
        return py::none();
    }
}

/// Results from Python: JSON text, or a value as json.loads gives it.
Json
ResultsFromPython(const py::handle& results)
{
    if (py::isinstance<py::str>(results))
    {
        try
        {
            return Json::parse(results.cast<std::string>());
        }
        catch (const nlohmann::json::exception& e)
        {
            throw py::value_error(fmt::format("results text is not JSON: {}", e.what()));
        }
    }
    return ToJson(results);
}

FigureAggregate
AggregateFromPython(const std::string& name)
{
    FigureAggregate aggregate;
    if (!ParseFigureAggregate(name, aggregate))
    {
        throw py::value_error(
            fmt::format("unknown aggregate '{}'; allowed: first, max, min, sum, mean", name));
    }
    return aggregate;
}

std::string
KindName(FigureValue::Kind kind)
{
    return kind == FigureValue::NUMBER  ? "number"
           : kind == FigureValue::NEVER ? "never"
                                        : "missing";
}

} // namespace

void
init_results(py::module_& m)
{
    m.def(
        "resolve_results_path",
        [](const py::object& results, const std::string& path) {
            Json root = ResultsFromPython(results);
            const Json* v = ResolveResultsPath(root, path);
            if (v == nullptr)
            {
                throw py::key_error(path);
            }
            return FromJson(*v);
        },
        py::arg("results"),
        py::arg("path"),
        "The value at a dotted results path ('flows.f0.lost', 'faults.0.recovery_ms'), as the "
        "expect bounds and the CLI read it; KeyError when there is none (None is a null figure).");

    m.def(
        "why_not_a_results_figure",
        [](const ScenarioConfig& config, const std::string& path, bool wildcards) {
            return WhyNotAResultsFigure(ResultsSchema(), path, config, wildcards);
        },
        py::arg("config"),
        py::arg("path"),
        py::arg("wildcards") = false,
        "'' when path names a figure a run of config writes (the check `validate` makes on "
        "expect paths; wildcards=True lets '*' stand for every flow, fault, ...), else why not, "
        "naming what is there.");

    m.def(
        "collect_results_path",
        [](const py::object& results, const std::string& path) {
            Json root = ResultsFromPython(results);
            py::list out;
            for (const Json* v : CollectResultsPath(root, path))
            {
                out.append(FromJson(*v));
            }
            return out;
        },
        py::arg("results"),
        py::arg("path"),
        "Every value at a dotted results path where '*' matches every key or index "
        "('faults.*.detection_ms'), in document order; [] when none exists.");

    py::class_<ComparisonColumn>(m,
                                 "ComparisonColumn",
                                 "One figure of a comparison: where it is in results.json, how "
                                 "the matches of '*' combine (first, max, min, sum, mean), and "
                                 "how it is shown.")
        .def(py::init([](std::string name,
                         std::vector<std::string> paths,
                         const std::string& aggregate,
                         double unit,
                         int decimals,
                         bool nullIsMissing,
                         bool lowerIsBetter,
                         std::string doc) {
                 ComparisonColumn c;
                 c.name = std::move(name);
                 c.paths = std::move(paths);
                 c.aggregate = AggregateFromPython(aggregate);
                 c.unit = unit;
                 c.decimals = decimals;
                 c.nullIsMissing = nullIsMissing;
                 c.lowerIsBetter = lowerIsBetter;
                 c.doc = std::move(doc);
                 return c;
             }),
             py::arg("name"),
             py::arg("paths"),
             py::arg("aggregate") = "max",
             py::arg("unit") = 1.0,
             py::arg("decimals") = 3,
             py::arg("null_is_missing") = false,
             py::arg("lower_is_better") = true,
             py::arg("doc") = "")
        .def_readwrite("name", &ComparisonColumn::name)
        .def_readwrite("paths", &ComparisonColumn::paths)
        .def_property(
            "aggregate",
            [](const ComparisonColumn& c) { return ToString(c.aggregate); },
            [](ComparisonColumn& c, const std::string& a) { c.aggregate = AggregateFromPython(a); })
        .def_readwrite("unit", &ComparisonColumn::unit, "the figure is divided by it")
        .def_readwrite("decimals", &ComparisonColumn::decimals)
        .def_readwrite("null_is_missing", &ComparisonColumn::nullIsMissing)
        .def_readwrite("lower_is_better", &ComparisonColumn::lowerIsBetter)
        .def_readwrite("doc", &ComparisonColumn::doc)
        .def("__repr__", [](const ComparisonColumn& c) {
            return fmt::format("ComparisonColumn(name='{}', paths=[{}], aggregate='{}', unit={}, "
                               "decimals={})",
                               c.name,
                               fmt::join(c.paths, ", "),
                               ToString(c.aggregate),
                               c.unit,
                               c.decimals);
        });

    py::class_<FigureValue>(m,
                            "FigureValue",
                            "A figure of one run: kind 'number' (value), 'never' (null: the event "
                            "never happened) or 'missing' (not in these results).")
        .def_static("number",
                    [](double x) {
                        return FigureValue{FigureValue::NUMBER, x};
                    })
        .def_static("never",
                    []() {
                        return FigureValue{FigureValue::NEVER, 0};
                    })
        .def_static("missing", []() { return FigureValue{}; })
        .def_property_readonly("kind", [](const FigureValue& v) { return KindName(v.kind); })
        .def_readonly("value", &FigureValue::value)
        .def("__repr__", [](const FigureValue& v) {
            return v.kind == FigureValue::NUMBER
                       ? fmt::format("FigureValue.number({})", v.value)
                       : fmt::format("FigureValue.{}()", KindName(v.kind));
        });

    m.def(
        "read_figure",
        [](const ComparisonColumn& column, const py::object& results) {
            return ReadFigure(column, ResultsFromPython(results));
        },
        py::arg("column"),
        py::arg("results"),
        "One run's figure of a column.");

    m.def("format_cell",
          &FormatCell,
          py::arg("column"),
          py::arg("values"),
          "A cell from the figures of the runs of a row: the mean, 'never', '-' or "
          "'MEAN (k/n never)'.");

    m.def("figure_columns",
          &FigureColumns,
          "The default figures of compare and plots (worst fault, worst flow, sums over flows).");
    m.def("variant_comparison_columns",
          &VariantComparisonColumns,
          "The figures of the CLI's table of a compare section (fault 0, ...).");
    m.def("variant_comparison_text_columns",
          &VariantComparisonTextColumns,
          "The text columns of that table: label, policy, preset.");

    py::class_<ComparisonTable>(m,
                                "ComparisonTable",
                                "Rows of text cells and figure cells; each figure cell from one "
                                "or more runs of the row (seeds). The CLI's table and CSV, and "
                                "Python compare's.")
        .def(py::init<std::vector<std::string>, std::vector<ComparisonColumn>>(),
             py::arg("text_columns"),
             py::arg("columns"))
        .def_static("for_variants",
                    &ComparisonTable::ForVariants,
                    "The CLI's table of a compare section's variants.")
        .def(
            "add_row",
            [](ComparisonTable& t, std::vector<std::string> text, const py::list& runs) {
                std::vector<Json> parsed;
                parsed.reserve(runs.size());
                std::vector<bool> none;
                for (const auto& r : runs)
                {
                    none.push_back(r.is_none());
                    parsed.push_back(r.is_none() ? Json() : ResultsFromPython(r));
                }
                std::vector<const Json*> pointers;
                for (size_t i = 0; i < parsed.size(); ++i)
                {
                    pointers.push_back(none[i] ? nullptr : &parsed[i]);
                }
                try
                {
                    t.AddRow(std::move(text), pointers);
                }
                catch (const std::invalid_argument& e)
                {
                    throw py::value_error(e.what());
                }
            },
            py::arg("text"),
            py::arg("runs"),
            "Add a row: one cell per text column, then the results of each of its runs (dict or "
            "JSON text; None: a run without results).")
        .def(
            "add_variant",
            [](ComparisonTable& t, const ScenarioConfig& config, const py::object& results) {
                t.AddVariant(config, ResultsFromPython(results));
            },
            py::arg("config"),
            py::arg("results"),
            "Add a variant's row to a for_variants() table (label, policy, preset, figures).")
        .def("header", &ComparisonTable::Header)
        .def_property_readonly("rows", &ComparisonTable::Rows)
        .def(
            "cell",
            [](const ComparisonTable& t, size_t row, const std::string& column) {
                try
                {
                    return t.Cell(row, column);
                }
                catch (const std::out_of_range& e)
                {
                    throw py::key_error(e.what());
                }
            },
            py::arg("row"),
            py::arg("column"))
        .def_property_readonly("text_columns", &ComparisonTable::GetTextColumns)
        .def_property_readonly("columns", &ComparisonTable::GetColumns)
        .def("to_text", &ComparisonTable::ToText, "The CLI's layout: a line per row.")
        .def("to_side_by_side_text",
             &ComparisonTable::ToSideBySideText,
             "A column per row, a line per figure.")
        .def("to_csv", &ComparisonTable::ToCsv)
        .def("__repr__", [](const ComparisonTable& t) {
            return fmt::format("ComparisonTable({} rows, {} figure columns)",
                               t.Rows().size(),
                               t.GetColumns().size());
        });
}

} // namespace overlay_fabric_py
