// The scenario loader (helper/scenario/scenario-loader.h): files, YAML text and --set overrides,
// with the same checks and messages as the command line.
#include "bindings.h"
#include "scenario-estimate.h"
#include "scenario-loader.h"

#include <fmt/format.h>

namespace overlay_fabric_py
{

using namespace ns3;

namespace
{

/// Overrides from Python: each item a "path=value" string (split like --set) or a ScenarioOverride.
std::vector<ScenarioOverride>
OverridesFromPython(const py::iterable& items)
{
    if (py::isinstance<py::str>(items))
    {
        throw py::type_error("overrides: expected a list of \"path=value\" strings, got one str");
    }
    std::vector<ScenarioOverride> overrides;
    for (const py::handle& item : items)
    {
        if (py::isinstance<py::str>(item))
        {
            overrides.push_back(ParseOverride(item.cast<std::string>()));
        }
        else if (py::isinstance<ScenarioOverride>(item))
        {
            overrides.push_back(item.cast<ScenarioOverride>());
        }
        else
        {
            throw py::type_error(
                fmt::format("overrides: expected \"path=value\" or ScenarioOverride, got {}",
                            py::repr(item).cast<std::string>()));
        }
    }
    return overrides;
}

} // namespace

void
init_loader(py::module_& m)
{
    m.def("read_scenario_text",
          &ReadScenarioText,
          py::arg("path"),
          "A scenario file's text, as the CLI reads it: at most 16 MiB, UTF-8 (ConfigError with "
          "the file, line and byte offset otherwise).");
    m.def(
        "estimate_scenario",
        [](const ScenarioConfig& c) { return EstimateScenario(c).Summary(); },
        py::arg("config"),
        "What the scenario will cost, estimated before anything is built (one line).");
    m.def(
        "check_scenario_cost",
        [](const ScenarioConfig& c) { CheckScenarioCost(c, EstimateScenario(c)); },
        py::arg("config"),
        "ConfigError (the quantity, the estimate, the limit and allow_large) when the scenario is "
        "above the cost limits, as run() checks before building anything.");
    py::class_<ScenarioOverride>(m,
                                 "ScenarioOverride",
                                 "One --set override: a dotted path and a YAML value.")
        .def(py::init([](std::string path, std::string value) {
                 return ScenarioOverride{std::move(path), std::move(value)};
             }),
             py::arg("path"),
             py::arg("value"))
        .def_readwrite("path", &ScenarioOverride::path)
        .def_readwrite("value", &ScenarioOverride::value)
        .def("__repr__", [](const ScenarioOverride& o) {
            return fmt::format("ScenarioOverride('{}', '{}')", o.path, o.value);
        });

    m.def("parse_override",
          &ParseOverride,
          py::arg("key_equals_value"),
          "Split 'path=value' at its first '=' (ConfigError if malformed).");

    m.def(
        "load_scenario_file",
        [](const std::string& path, const py::iterable& overrides) {
            return LoadScenarioFile(path, OverridesFromPython(overrides));
        },
        py::arg("path"),
        py::arg("overrides") = py::list(),
        "Read a scenario file, apply overrides ('path=value' or ScenarioOverride, in order), "
        "validate. Raises ConfigError with the CLI's message; a file with a compare section is "
        "refused (field 'compare'): read it with load_scenario_variants.");

    m.def(
        "load_scenario_string",
        [](const std::string& yaml, const std::string& name, const py::iterable& overrides) {
            return LoadScenarioString(yaml, name, OverridesFromPython(overrides));
        },
        py::arg("yaml"),
        py::arg("source_name") = "<string>",
        py::arg("overrides") = py::list(),
        "Read a scenario from YAML text; see load_scenario_file.");

    m.def(
        "load_scenario_variants",
        [](const std::string& path, const py::iterable& overrides) {
            return LoadScenarioVariants(path, OverridesFromPython(overrides));
        },
        py::arg("path"),
        py::arg("overrides") = py::list(),
        "Read a scenario file that may have a compare section: a list of validated "
        "ScenarioConfig, one per variant (variant = its label, name = '<name>.<label>'), or one "
        "(variant '') without compare. Overrides apply before the variants' set entries, as the "
        "CLI's --set. Raises ConfigError with the CLI's message.");

    m.def(
        "load_scenario_variants_string",
        [](const std::string& yaml, const std::string& name, const py::iterable& overrides) {
            return LoadScenarioVariantsString(yaml, name, OverridesFromPython(overrides));
        },
        py::arg("yaml"),
        py::arg("source_name") = "<string>",
        py::arg("overrides") = py::list(),
        "Read scenario variants from YAML text; see load_scenario_variants.");

    m.def(
        "parse_time",
        [](const std::string& text) {
            try
            {
                return ParseTime(text).GetSeconds();
            }
            catch (const std::invalid_argument& e)
            {
                throw py::value_error(e.what());
            }
        },
        py::arg("text"),
        "'200ms' -> 0.2 (seconds); ValueError naming the allowed syntax.");

    m.def(
        "parse_data_rate",
        [](const std::string& text) {
            try
            {
                return ParseDataRate(text).GetBitRate();
            }
            catch (const std::invalid_argument& e)
            {
                throw py::value_error(e.what());
            }
        },
        py::arg("text"),
        "'2.5Gbps' -> 2500000000 (bits per second); ValueError naming the allowed syntax.");
}

} // namespace overlay_fabric_py
