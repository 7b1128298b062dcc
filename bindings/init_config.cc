// Config structs of a scenario (helper/scenario/scenario-config.h) as Python classes.
//
// Times are seconds (float) when read; a field accepts seconds or a string with a unit ("200ms",
// exact). Data rates are bits per second (int) when read; a field accepts bps or a string
// ("25Gbps"). Enums take their scenario-file names ("carrier-only") as well as their members.
// No ns-3 type (Time, DataRate, Ptr) crosses into Python.
#include "bindings.h"
#include "scenario-loader.h"
#include "scenario-schema.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <fmt/format.h>
#include <fmt/ranges.h>
#include <limits>
#include <map>
#include <sstream>

namespace overlay_fabric_py
{

using namespace ns3;

ns3::Time
TimeFromPython(const py::handle& value, const char* field)
{
    if (py::isinstance<py::str>(value))
    {
        try
        {
            return ParseTime(value.cast<std::string>());
        }
        catch (const std::invalid_argument& e)
        {
            throw py::value_error(fmt::format("{}: {}", field, e.what()));
        }
    }
    if (py::isinstance<py::bool_>(value) ||
        !(py::isinstance<py::int_>(value) || py::isinstance<py::float_>(value)))
    {
        throw py::type_error(
            fmt::format("{}: expected seconds (a number) or a time string such as \"200ms\", "
                        "got {}",
                        field,
                        py::repr(value).cast<std::string>()));
    }
    double seconds = value.cast<double>();
    double ns = std::round(seconds * 1e9);
    if (!std::isfinite(ns) || std::fabs(ns) > 9.2e18)
    {
        throw py::value_error(fmt::format("{}: {} s is out of range", field, seconds));
    }
    return NanoSeconds(static_cast<int64_t>(ns));
}

ns3::DataRate
RateFromPython(const py::handle& value, const char* field)
{
    if (py::isinstance<py::str>(value))
    {
        try
        {
            return ParseDataRate(value.cast<std::string>());
        }
        catch (const std::invalid_argument& e)
        {
            throw py::value_error(fmt::format("{}: {}", field, e.what()));
        }
    }
    if (py::isinstance<py::bool_>(value) ||
        !(py::isinstance<py::int_>(value) || py::isinstance<py::float_>(value)))
    {
        throw py::type_error(fmt::format("{}: expected bits per second (a number) or a rate "
                                         "string such as \"25Gbps\", got {}",
                                         field,
                                         py::repr(value).cast<std::string>()));
    }
    double bps = value.cast<double>();
    if (!(bps >= 0) || bps != std::floor(bps) || bps > 1.8e19)
    {
        throw py::value_error(
            fmt::format("{}: {} is not a whole, non-negative number of bits per second",
                        field,
                        py::repr(value).cast<std::string>()));
    }
    return DataRate(static_cast<uint64_t>(bps));
}

namespace
{

std::map<std::string, py::object>& EnumTypes();
std::string ChoicesSignature(const std::vector<std::string>& choices);

/// Python member name of an enum value: its scenario-file name upper-cased, '-' -> '_'.
std::string
MemberName(const std::string& label)
{
    std::string s = label;
    for (char& c : s)
    {
        c = c == '-' ? '_' : static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    }
    return s;
}

/**
 * Bind an enum class from its ToString(): members are every value 0, 1, 2... until ToString()
 * says "unknown", so values added to the C++ enum (and its ToString) appear without touching
 * this file. Members also convert from their scenario-file name ("carrier-only").
 */
template <class E>
py::enum_<E>
BindEnum(py::module_& m, const char* name, const char* doc)
{
    py::enum_<E> e(m, name, doc);
    std::vector<std::pair<std::string, E>> members;
    for (int i = 0; i < 256; ++i)
    {
        E v = static_cast<E>(i);
        std::string label = ToString(v);
        if (label == "unknown")
        {
            break;
        }
        e.value(MemberName(label).c_str(), v);
        members.emplace_back(label, v);
    }
    e.def(py::init([members, name](const std::string& label) {
              for (const auto& [l, v] : members)
              {
                  if (l == label)
                  {
                      return v;
                  }
              }
              std::string allowed;
              for (const auto& [l, v] : members)
              {
                  allowed += (allowed.empty() ? "" : ", ") + l;
              }
              throw py::value_error(
                  fmt::format("'{}' is not a {}; allowed: {}", label, name, allowed));
          }),
          py::arg("label"));
    e.def_property_readonly(
        "label",
        [](E v) { return ToString(v); },
        "the name used in scenario files and results.json");
    // Replaces pybind11's "Name.MEMBER" (a plain def would only add an overload after it).
    e.attr("__str__") =
        py::cpp_function([](E v) { return ToString(v); }, py::name("__str__"), py::is_method(e));
    py::implicitly_convertible<py::str, E>();
    std::vector<std::string> labels;
    for (const auto& [label, value] : members)
    {
        labels.push_back(label);
    }
    EnumTypes()[ChoicesSignature(labels)] = e;
    return e;
}

/// Python enum types by their scenario-file names ("async,seamless"): what a CHOICE key returns.
std::map<std::string, py::object>&
EnumTypes()
{
    // Leaked on purpose: the objects must outlive the interpreter's own teardown.
    static auto* types = new std::map<std::string, py::object>();
    return *types;
}

std::string
ChoicesSignature(const std::vector<std::string>& choices)
{
    return fmt::format("{}", fmt::join(choices, ","));
}

/// A canonical schema value as a Python value: seconds for times, bps for rates, enum members.
py::object
ToPython(const schema::Key& key, const schema::Json& v)
{
    using schema::Kind;
    if (v.is_null())
    {
        return py::none();
    }
    if (v.is_array())
    {
        py::list items;
        for (const auto& x : v)
        {
            items.append(ToPython(key, x));
        }
        return std::move(items);
    }
    switch (key.kind)
    {
    case Kind::BOOL:
        return py::bool_(v.get<bool>());
    case Kind::UNSIGNED:
    case Kind::RATE:
        return py::int_(v.get<uint64_t>());
    case Kind::NUMBER:
        return py::float_(v.get<double>());
    case Kind::TIME:
        return py::float_(static_cast<double>(v.get<int64_t>()) / 1e9);
    case Kind::CHOICE: {
        auto it = EnumTypes().find(ChoicesSignature(key.choices));
        if (it != EnumTypes().end())
        {
            return it->second(v.get<std::string>());
        }
        return py::str(v.get<std::string>());
    }
    default:
        return py::str(v.get<std::string>());
    }
}

/// A Python value as a canonical schema value, with the conversions and checks of the file.
schema::Json
FromPython(const schema::Key& key, const py::handle& value, const std::string& field)
{
    using schema::Kind;
    if (value.is_none() && key.optional)
    {
        return nullptr;
    }
    if (key.list)
    {
        if (!py::isinstance<py::iterable>(value) || py::isinstance<py::str>(value))
        {
            throw py::type_error(fmt::format("{}: expected a list", field));
        }
        schema::Json items = schema::Json::array();
        schema::Key item = key;
        item.list = false;
        for (const py::handle& x : value)
        {
            items.push_back(FromPython(item, x, field));
        }
        return items;
    }
    auto wrongType = [&](const char* expected) {
        return py::type_error(fmt::format("{}: expected {}, got {}",
                                          field,
                                          expected,
                                          py::repr(value).cast<std::string>()));
    };
    switch (key.kind)
    {
    case Kind::BOOL:
        if (!py::isinstance<py::bool_>(value))
        {
            throw wrongType("True or False");
        }
        return value.cast<bool>();
    case Kind::UNSIGNED: {
        if (py::isinstance<py::bool_>(value) || !py::isinstance<py::int_>(value))
        {
            throw wrongType("a whole number");
        }
        py::int_ n = py::reinterpret_borrow<py::int_>(value);
        if (n < py::int_(0) || n > py::int_(key.typeMax))
        {
            throw py::value_error(fmt::format("{}: {} is out of range; allowed: 0..{}",
                                              field,
                                              py::repr(value).cast<std::string>(),
                                              key.typeMax));
        }
        return value.cast<uint64_t>();
    }
    case Kind::NUMBER:
        if (py::isinstance<py::bool_>(value) ||
            !(py::isinstance<py::int_>(value) || py::isinstance<py::float_>(value)))
        {
            throw wrongType("a number");
        }
        return value.cast<double>();
    case Kind::TIME:
        return TimeFromPython(value, field.c_str()).GetNanoSeconds();
    case Kind::RATE:
        return RateFromPython(value, field.c_str()).GetBitRate();
    case Kind::CHOICE: {
        std::string label = py::str(value).cast<std::string>();
        if (std::find(key.choices.begin(), key.choices.end(), label) == key.choices.end())
        {
            throw py::value_error(fmt::format("{}: '{}' is not allowed; allowed: {}",
                                              field,
                                              label,
                                              fmt::join(key.choices, ", ")));
        }
        return label;
    }
    default:
        if (!py::isinstance<py::str>(value))
        {
            throw wrongType("a string");
        }
        return value.cast<std::string>();
    }
}

/**
 * Every scalar key of a schema section as a property of the struct's Python class, under its
 * scenario-file name ("from" also as from_, since it is a Python keyword), and a repr listing
 * them. Nested sections are bound by the caller (their Python types are needed); \p nested names
 * them and each must be a key of the section.
 */
template <class C>
void
DefKeys(py::class_<C>& cls,
        const schema::Section& section,
        std::vector<std::string> nested = {},
        bool repr = true)
{
    std::vector<std::string> names;
    for (const schema::Key& key : section.keys)
    {
        names.push_back(key.name);
        if (key.kind == schema::Kind::SECTION)
        {
            if (std::find(nested.begin(), nested.end(), key.name) == nested.end())
            {
                throw std::logic_error("binding of " + section.name + " misses " + key.name);
            }
            continue;
        }
        const schema::Key* k = &key;
        std::string doc = key.doc + (key.kind == schema::Kind::TIME   ? " (s)"
                                     : key.kind == schema::Kind::RATE ? " (bit/s)"
                                                                      : "");
        auto get = [k](const C& c) { return ToPython(*k, k->get(&c)); };
        auto set = [k, section = &section](C& c, const py::handle& v) {
            k->set(
                &c,
                FromPython(*k, v, section->name.empty() ? k->name : section->name + "." + k->name));
        };
        cls.def_property(key.name.c_str(), get, set, doc.c_str());
        if (key.name == "from")
        {
            cls.def_property("from_", get, set, doc.c_str());
        }
        if (key.alias)
        {
            // fabric.leaf_pairs: the same member under the name files use for it.
            std::string aliasDoc = doc + " (" + key.alias->name + ": its name when " +
                                   key.alias->when.key + " is " + key.alias->when.values.at(0) +
                                   ")";
            cls.def_property(key.alias->name.c_str(), get, set, aliasDoc.c_str());
        }
    }
    for (const std::string& n : nested)
    {
        if (section.Find(n) == nullptr)
        {
            throw std::logic_error("binding of " + section.name + ": no key " + n);
        }
    }
    if (!repr)
    {
        return;
    }
    cls.def("__repr__", [names](const py::object& self) {
        std::string s = py::str(py::type::of(self).attr("__name__")).cast<std::string>() + "(";
        for (size_t i = 0; i < names.size(); ++i)
        {
            s += fmt::format("{}{}={}",
                             i == 0 ? "" : ", ",
                             names[i],
                             py::repr(py::getattr(self, names[i].c_str())).cast<std::string>());
        }
        return s + ")";
    });
}

/**
 * Constructor taking keyword arguments, each set through the class's own properties (so the same
 * conversions and checks apply): FlowConfig(name="f0", rate="2Gbps"). An unknown keyword is an
 * AttributeError.
 */
template <class C>
void
DefKeywordInit(py::class_<C>& cls)
{
    cls.def(py::init([](const py::kwargs& kwargs) {
        C c;
        {
            py::object self = py::cast(&c, py::return_value_policy::reference);
            for (const auto& item : kwargs)
            {
                std::string key = item.first.cast<std::string>();
                if (!py::hasattr(self, key.c_str()))
                {
                    throw py::attribute_error(fmt::format(
                        "{} has no field '{}'",
                        py::str(py::type::of(self).attr("__name__")).cast<std::string>(),
                        key));
                }
                py::setattr(self, item.first, item.second);
            }
        }
        return c;
    }));
    cls.def("__copy__", [](const C& c) { return C(c); });
    cls.def("__deepcopy__", [](const C& c, const py::dict&) { return C(c); });
}

/// repr() of a struct from its Python-visible fields: "Name(a=1, b='x')".
template <class C>
void
DefRepr(py::class_<C>& cls, std::vector<const char*> fields)
{
    cls.def("__repr__", [fields](const py::object& self) {
        std::string s = py::str(py::type::of(self).attr("__name__")).cast<std::string>() + "(";
        for (size_t i = 0; i < fields.size(); ++i)
        {
            s += fmt::format("{}{}={}",
                             i == 0 ? "" : ", ",
                             fields[i],
                             py::repr(self.attr(fields[i])).cast<std::string>());
        }
        return s + ")";
    });
}

/// The ConfigError Python type (a ValueError with file, line, field and message).
PyObject* g_configErrorType = nullptr;

} // namespace

void
init_config(py::module_& m)
{
    // ConfigError: same text as the CLI prints after "error: ", plus the parts as attributes.
    // Leaked on purpose: it lives as long as the interpreter.
    g_configErrorType = PyErr_NewExceptionWithDoc(
        "overlay_fabric._core.ConfigError",
        "Bad scenario input: .file, .line (0 if unknown), .field (dotted path) and .message "
        "(what is wrong and what is allowed); str() is the CLI's message.",
        PyExc_ValueError,
        nullptr);
    m.add_object("ConfigError", py::handle(g_configErrorType));
    py::register_exception_translator([](std::exception_ptr p) {
        try
        {
            if (p)
            {
                std::rethrow_exception(p);
            }
        }
        catch (const ConfigError& e)
        {
            py::object type = py::reinterpret_borrow<py::object>(g_configErrorType);
            py::object inst = type(e.what());
            inst.attr("file") = e.GetFile();
            inst.attr("line") = e.GetLine();
            inst.attr("field") = e.GetField();
            inst.attr("message") = e.GetMessage();
            PyErr_SetObject(g_configErrorType, inst.ptr());
        }
    });

    BindEnum<Encapsulation>(m, "Encapsulation", "Tunnel encapsulation of every VTEP.");
    BindEnum<UplinkPolicy>(m, "UplinkPolicy", "How a VTEP picks the uplink of a tunnel packet.");
    BindEnum<BfdMode>(m, "BfdMode", "Tunnel monitoring protocol mode.");
    BindEnum<EchoPath>(m, "EchoPath", "Which data path BFD takes on an offloading host.");
    BindEnum<FlowKind>(m, "FlowKind", "Traffic kind of a flow.");
    BindEnum<FaultKind>(m, "FaultKind", "Kind of injected fault.");
    BindEnum<FaultDirection>(m, "FaultDirection", "Which directions of a link a fault affects.");
    BindEnum<SvmFunction>(m, "SvmFunction", "The service a service VM performs.");
    BindEnum<SvmFailureKind>(m, "SvmFailureKind", "What fails in a service VM.");
    BindEnum<RuleProtocol>(m, "RuleProtocol", "The IP protocol a chain rule matches.");
    BindEnum<MirrorMode>(m, "MirrorMode", "How a mirror session's worker sends the copies.");
    BindEnum<MirrorDirection>(m, "MirrorDirection", "Which traffic of a mirrored port is copied.");
    BindEnum<MirrorVteps>(m, "MirrorVteps", "The VTEPs of the mirroring overlay (unicast).");

    py::class_<LinkTierConfig> tier(m, "LinkTierConfig", "Rate, delay, MTU and queue of a tier.");
    DefKeywordInit(tier);
    DefKeys(tier, *schema::FindSection("tier"));

    py::class_<FabricConfig> fabric(m, "FabricConfig", "Leaf-spine underlay.");
    DefKeywordInit(fabric);
    fabric.def_readwrite("access", &FabricConfig::access, "host-leaf links")
        .def_readwrite("core", &FabricConfig::core, "leaf-spine links")
        .def_property_readonly("num_hosts", &FabricConfig::NumHosts)
        .def_property_readonly("num_leaves", &FabricConfig::NumLeaves)
        .def("validate", &FabricConfig::Validate, "raise ConfigError naming a bad field");
    DefKeys(fabric, *schema::FindSection("fabric"), {"access", "core"});

    py::class_<ClockConfig> clock(m, "ClockConfig", "The clock of one host's monitor.");
    DefKeywordInit(clock);
    DefKeys(clock, *schema::FindSection("clocks"));
    py::bind_vector<std::vector<ClockConfig>>(m, "ClockConfigList");
    py::implicitly_convertible<py::iterable, std::vector<ClockConfig>>();

    py::class_<MonitoringConfig> mon(m, "MonitoringConfig", "Uplink-aware tunnel monitoring.");
    DefKeywordInit(mon);
    mon.def_readwrite("clocks", &MonitoringConfig::clocks, "hosts with a clock of their own");
    mon.def_property_readonly(
           "echo_interval",
           [](const MonitoringConfig& c) { return c.EchoInterval().GetSeconds(); },
           "max(tx_interval, rx_interval), s")
        .def(
            "apply_preset",
            [](MonitoringConfig& c, const std::string& name) {
                if (!ApplyMonitoringPreset(c, name))
                {
                    std::string allowed;
                    for (const auto& n : MonitoringPresetNames())
                    {
                        allowed += (allowed.empty() ? "" : ", ") + n;
                    }
                    throw py::value_error(
                        fmt::format("'{}' is not a monitoring preset; allowed: {}", name, allowed));
                }
            },
            py::arg("name"),
            "fill the timers from a named preset");
    DefKeys(mon, *schema::FindSection("monitoring"), {"clocks"});
    m.def("monitoring_preset_names", &MonitoringPresetNames);

    py::class_<SegmentConfig> seg(m, "SegmentConfig", "A logical switch: a VNI and its VMs.");
    DefKeywordInit(seg);
    DefKeys(seg, *schema::FindSection("segments"));

    py::class_<RouterConfig> router(m,
                                    "RouterConfig",
                                    "A distributed logical router joining segments.");
    DefKeywordInit(router);
    DefKeys(router, *schema::FindSection("routers"));

    py::class_<OverlayConfig> overlay(m,
                                      "OverlayConfig",
                                      "Encapsulation, policy, segments, routers.");
    DefKeywordInit(overlay);
    overlay.def_readwrite("segments", &OverlayConfig::segments);
    overlay.def_readwrite("routers", &OverlayConfig::routers);
    DefKeys(overlay, *schema::FindSection("overlay"), {"segments", "routers"});

    py::class_<FlowConfig> flow(m, "FlowConfig", "One inner flow between two VMs.");
    DefKeywordInit(flow);
    DefKeys(flow, *schema::FindSection("traffic"));

    py::class_<FaultConfig> fault(m, "FaultConfig", "One fault on a link.");
    DefKeywordInit(fault);
    DefKeys(fault, *schema::FindSection("faults"));

    py::class_<MigrationConfig> migration(m,
                                          "MigrationConfig",
                                          "A VM that moves to another host under traffic.");
    DefKeywordInit(migration);
    DefKeys(migration, *schema::FindSection("migrations"));

    py::class_<VfConfig> vf(m,
                            "VfConfig",
                            "A VM on an SR-IOV virtual function of its host's NIC (seed 002 "
                            "section III.A).");
    DefKeywordInit(vf);
    DefKeys(vf, *schema::FindSection("vfs"));

    py::class_<MirrorConfig> mirror(m,
                                    "MirrorConfig",
                                    "A mirror session: a mirror VNI, mirrored ports and monitor "
                                    "VMs (seed 003).");
    DefKeywordInit(mirror);
    DefKeys(mirror, *schema::FindSection("mirrors"));

    py::class_<TraceConfig> trace(m,
                                  "TraceConfig",
                                  "The path trace: every hop of the chosen flows' packets (seed "
                                  "004).");
    DefKeywordInit(trace);
    DefKeys(trace, *schema::FindSection("trace"));

    py::class_<SvmFailureConfig> svmFailure(m, "SvmFailureConfig", "One failure of a service VM.");
    DefKeywordInit(svmFailure);
    DefKeys(svmFailure, *schema::FindSection("failures"));
    py::bind_vector<std::vector<SvmFailureConfig>>(m, "SvmFailureConfigList");
    py::implicitly_convertible<py::iterable, std::vector<SvmFailureConfig>>();

    py::class_<SvmConfig> svm(m, "SvmConfig", "One service VM.");
    DefKeywordInit(svm);
    svm.def_readwrite("failures", &SvmConfig::failures, "injected failures, in time order");
    DefKeys(svm, *schema::FindSection("svms"), {"failures"});

    py::class_<ServicePathConfig> servicePath(m,
                                              "ServicePathConfig",
                                              "One path of a chain: SPI and SVMs in order.");
    DefKeywordInit(servicePath);
    DefKeys(servicePath, *schema::FindSection("paths"));
    py::bind_vector<std::vector<ServicePathConfig>>(m, "ServicePathConfigList");
    py::implicitly_convertible<py::iterable, std::vector<ServicePathConfig>>();

    py::class_<ChainRuleConfig> chainRule(m,
                                          "ChainRuleConfig",
                                          "A service insertion rule: the flows a chain takes.");
    DefKeywordInit(chainRule);
    DefKeys(chainRule, *schema::FindSection("match"));
    py::bind_vector<std::vector<ChainRuleConfig>>(m, "ChainRuleConfigList");
    py::implicitly_convertible<py::iterable, std::vector<ChainRuleConfig>>();

    py::class_<ChainConfig> chain(m, "ChainConfig", "A service chain: its paths and rules.");
    DefKeywordInit(chain);
    chain.def_readwrite("paths", &ChainConfig::paths, "its paths, in order of preference")
        .def_readwrite("match", &ChainConfig::match, "the flows it takes");
    DefKeys(chain, *schema::FindSection("chains"), {"paths", "match"});

    py::class_<ServicePlaneConfig> servicePlane(
        m,
        "ServicePlaneConfig",
        "How service VMs are watched and their failures reported.");
    DefKeywordInit(servicePlane);
    DefKeys(servicePlane, *schema::FindSection("service_plane"));

    py::class_<OffloadConfig> offload(m,
                                      "OffloadConfig",
                                      "NIC offload of the overlay encapsulation (seed 002).");
    DefKeywordInit(offload);
    DefKeys(offload, *schema::FindSection("offload"));

    py::class_<HostCpuConfig> hostCpu(m,
                                      "HostCpuConfig",
                                      "The host CPU cost model of the software data path.");
    DefKeywordInit(hostCpu);
    DefKeys(hostCpu, *schema::FindSection("host_cpu"));

    py::class_<FastPathWeights> cost(m,
                                     "CostWeights",
                                     "The weights of the fast path's modeled cost, in host cores.");
    DefKeywordInit(cost);
    DefKeys(cost, *schema::FindSection("cost"));

    py::class_<ExpectBound> bound(m, "ExpectBound", "Bound on one results figure.");
    DefKeywordInit(bound);
    bound.def_readwrite("path", &ExpectBound::path)
        .def_readwrite("min", &ExpectBound::min)
        .def_readwrite("max", &ExpectBound::max)
        .def_readwrite("line", &ExpectBound::line);
    DefRepr(bound, {"path", "min", "max", "line"});

    py::bind_vector<std::vector<SegmentConfig>>(m, "SegmentConfigList");
    py::bind_vector<std::vector<RouterConfig>>(m, "RouterConfigList");
    py::bind_vector<std::vector<FlowConfig>>(m, "FlowConfigList");
    py::bind_vector<std::vector<FaultConfig>>(m, "FaultConfigList");
    py::bind_vector<std::vector<MigrationConfig>>(m, "MigrationConfigList");
    py::bind_vector<std::vector<VfConfig>>(m, "VfConfigList");
    py::bind_vector<std::vector<MirrorConfig>>(m, "MirrorConfigList");
    py::bind_vector<std::vector<ExpectBound>>(m, "ExpectBoundList");
    py::bind_vector<std::vector<SvmConfig>>(m, "SvmConfigList");
    py::bind_vector<std::vector<ChainConfig>>(m, "ChainConfigList");
    py::implicitly_convertible<py::iterable, std::vector<SvmConfig>>();
    py::implicitly_convertible<py::iterable, std::vector<ChainConfig>>();
    py::implicitly_convertible<py::iterable, std::vector<SegmentConfig>>();
    py::implicitly_convertible<py::iterable, std::vector<RouterConfig>>();
    py::implicitly_convertible<py::iterable, std::vector<FlowConfig>>();
    py::implicitly_convertible<py::iterable, std::vector<FaultConfig>>();
    py::implicitly_convertible<py::iterable, std::vector<MigrationConfig>>();
    py::implicitly_convertible<py::iterable, std::vector<VfConfig>>();
    py::implicitly_convertible<py::iterable, std::vector<MirrorConfig>>();
    py::implicitly_convertible<py::iterable, std::vector<ExpectBound>>();

    py::class_<ScenarioConfig> sc(m,
                                  "ScenarioConfig",
                                  "A whole scenario: the struct the scenario file, the C++ API and "
                                  "Python all fill.");
    DefKeywordInit(sc);
    sc.def_readwrite("variant",
                     &ScenarioConfig::variant,
                     "label of the compare variant; '' when not a variant")
        .def_readwrite("source_file", &ScenarioConfig::sourceFile)
        .def_readwrite("fabric", &ScenarioConfig::fabric)
        .def_readwrite("overlay", &ScenarioConfig::overlay)
        .def_readwrite("monitoring", &ScenarioConfig::monitoring)
        .def_readwrite("traffic", &ScenarioConfig::traffic)
        .def_readwrite("faults", &ScenarioConfig::faults)
        .def_readwrite("migrations", &ScenarioConfig::migrations)
        .def_readwrite("vfs", &ScenarioConfig::vfs)
        .def_readwrite("mirrors", &ScenarioConfig::mirrors)
        .def_readwrite("trace", &ScenarioConfig::trace)
        .def_readwrite("svms", &ScenarioConfig::svms)
        .def_readwrite("chains", &ScenarioConfig::chains)
        .def_readwrite("service_plane", &ScenarioConfig::servicePlane)
        .def_readwrite("offload", &ScenarioConfig::offload)
        .def_readwrite("host_cpu", &ScenarioConfig::hostCpu)
        .def_readwrite("cost", &ScenarioConfig::cost)
        .def_readwrite("expect", &ScenarioConfig::expect)
        .def("validate", &ScenarioConfig::Validate, "raise ConfigError naming a bad field")
        .def("__str__", [](const ScenarioConfig& c) {
            std::ostringstream os;
            os << c;
            return os.str();
        });
    DefKeys(sc,
            schema::ScenarioSection(),
            {"fabric",
             "overlay",
             "monitoring",
             "traffic",
             "faults",
             "migrations",
             "vfs",
             "mirrors",
             "trace",
             "svms",
             "chains",
             "service_plane",
             "offload",
             "host_cpu",
             "cost"},
            false);
    sc.def("__repr__", [](const ScenarioConfig& c) {
        return fmt::format("ScenarioConfig(name='{}',{} seed={}, duration={}, hosts={}, flows={}, "
                           "faults={}, source_file='{}')",
                           c.name,
                           c.variant.empty() ? "" : fmt::format(" variant='{}',", c.variant),
                           c.seed,
                           c.duration.GetSeconds(),
                           c.fabric.NumHosts(),
                           c.traffic.size(),
                           c.faults.size(),
                           c.sourceFile);
    });
}

} // namespace overlay_fabric_py
