// Config structs of a scenario (helper/scenario/scenario-config.h) as Python classes.
//
// Times are seconds (float) when read; a field accepts seconds or a string with a unit ("200ms",
// exact). Data rates are bits per second (int) when read; a field accepts bps or a string
// ("25Gbps"). Enums take their scenario-file names ("carrier-only") as well as their members.
// No ns-3 type (Time, DataRate, Ptr) crosses into Python.
#include "bindings.h"
#include "scenario-loader.h"

#include <cctype>
#include <cmath>
#include <fmt/format.h>
#include <limits>
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
    return e;
}

/**
 * An enum member as a property that also takes the scenario-file name; a wrong name is a
 * ValueError listing the allowed names (def_readwrite would give pybind11's TypeError).
 */
template <class C, class E>
void
DefEnum(py::class_<C>& cls, const char* name, E C::*member, const char* doc = "")
{
    cls.def_property(
        name,
        [member](const C& c) { return c.*member; },
        [member](C& c, const py::handle& v) {
            c.*member =
                py::isinstance<E>(v) ? v.cast<E>() : py::type::of<E>()(v).template cast<E>();
        },
        doc);
}

/// A Time member as a float-seconds property that accepts seconds or "200ms".
template <class C>
void
DefTime(py::class_<C>& cls, const char* name, Time C::*member, const char* doc)
{
    cls.def_property(
        name,
        [member](const C& c) { return (c.*member).GetSeconds(); },
        [member, name](C& c, const py::handle& v) { c.*member = TimeFromPython(v, name); },
        doc);
}

/// An optional Time member: None or float seconds.
template <class C>
void
DefOptTime(py::class_<C>& cls, const char* name, std::optional<Time> C::*member, const char* doc)
{
    cls.def_property(
        name,
        [member](const C& c) -> py::object {
            const auto& t = c.*member;
            return t ? py::object(py::float_(t->GetSeconds())) : py::object(py::none());
        },
        [member, name](C& c, const py::handle& v) {
            if (v.is_none())
            {
                (c.*member).reset();
            }
            else
            {
                c.*member = TimeFromPython(v, name);
            }
        },
        doc);
}

/// A DataRate member as an int-bps property that accepts bps or "25Gbps".
template <class C>
void
DefRate(py::class_<C>& cls, const char* name, DataRate C::*member, const char* doc)
{
    cls.def_property(
        name,
        [member](const C& c) { return (c.*member).GetBitRate(); },
        [member, name](C& c, const py::handle& v) { c.*member = RateFromPython(v, name); },
        doc);
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
    BindEnum<FlowKind>(m, "FlowKind", "Traffic kind of a flow.");
    BindEnum<FaultKind>(m, "FaultKind", "Kind of injected fault.");
    BindEnum<FaultDirection>(m, "FaultDirection", "Which directions of a link a fault affects.");

    py::class_<LinkTierConfig> tier(m, "LinkTierConfig", "Rate, delay, MTU and queue of a tier.");
    DefKeywordInit(tier);
    DefRate(tier, "rate", &LinkTierConfig::rate, "line rate of each direction, bit/s");
    DefTime(tier, "delay", &LinkTierConfig::delay, "propagation delay, s");
    tier.def_readwrite("mtu", &LinkTierConfig::mtu, "largest outer IP packet, bytes")
        .def_readwrite("queue_bytes", &LinkTierConfig::queueBytes, "transmit queue, bytes");
    DefRepr(tier, {"rate", "delay", "mtu", "queue_bytes"});

    py::class_<FabricConfig> fabric(m, "FabricConfig", "Leaf-spine underlay.");
    DefKeywordInit(fabric);
    fabric.def_readwrite("spines", &FabricConfig::spines)
        .def_readwrite("leaf_pairs", &FabricConfig::leafPairs)
        .def_readwrite("hosts_per_rack", &FabricConfig::hostsPerRack)
        .def_readwrite("uplinks_per_host", &FabricConfig::uplinksPerHost)
        .def_readwrite("access", &FabricConfig::access, "host-leaf links")
        .def_readwrite("core", &FabricConfig::core, "leaf-spine links")
        .def_property_readonly("num_hosts", &FabricConfig::NumHosts)
        .def_property_readonly("num_leaves", &FabricConfig::NumLeaves)
        .def("validate", &FabricConfig::Validate, "raise ConfigError naming a bad field");
    DefTime(fabric,
            "routing_convergence",
            &FabricConfig::routingConvergence,
            "carrier loss -> rest of fabric reroutes, s");
    DefRepr(fabric,
            {"spines",
             "leaf_pairs",
             "hosts_per_rack",
             "uplinks_per_host",
             "access",
             "core",
             "routing_convergence"});

    py::class_<MonitoringConfig> mon(m, "MonitoringConfig", "Uplink-aware tunnel monitoring.");
    DefKeywordInit(mon);
    mon.def_readwrite("enabled", &MonitoringConfig::enabled, "monitoring on")
        .def_readwrite("preset",
                       &MonitoringConfig::preset,
                       "'' or the preset that filled the timers (see monitoring_preset_names())")
        .def_readwrite("detect_mult", &MonitoringConfig::detectMult, "DetectMult, 1..255")
        .def_readwrite("up_after",
                       &MonitoringConfig::upAfter,
                       "consecutive echo replies to mark an uplink up again")
        .def_readwrite("jitter", &MonitoringConfig::jitter, "RFC 5880 transmit jitter")
        .def_readwrite("loss_threshold",
                       &MonitoringConfig::lossThreshold,
                       "None or a fraction: degraded while the echo loss is above it")
        .def_property_readonly(
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
    DefEnum(mon, "mode", &MonitoringConfig::mode, "async or seamless (S-BFD)");
    DefTime(mon, "tx_interval", &MonitoringConfig::txInterval, "DesiredMinTxInterval, s");
    DefTime(mon, "rx_interval", &MonitoringConfig::rxInterval, "RequiredMinRxInterval, s");
    DefOptTime(mon,
               "rtt_threshold",
               &MonitoringConfig::rttThreshold,
               "None or s: degraded while the RTT is above it");
    DefTime(mon,
            "rtt_hysteresis",
            &MonitoringConfig::rttHysteresis,
            "lowest-rtt moves only to an uplink better by this, s");
    DefRepr(mon,
            {"enabled",
             "preset",
             "tx_interval",
             "rx_interval",
             "detect_mult",
             "up_after",
             "mode",
             "jitter",
             "rtt_threshold",
             "loss_threshold",
             "rtt_hysteresis"});
    m.def("monitoring_preset_names", &MonitoringPresetNames);

    py::class_<SegmentConfig> seg(m, "SegmentConfig", "A logical switch: a VNI and its VMs.");
    DefKeywordInit(seg);
    seg.def_readwrite("vni", &SegmentConfig::vni)
        .def_readwrite("vms", &SegmentConfig::vms, "VM names 'hostN/vmM' (a list; assign it)");
    DefRepr(seg, {"vni", "vms"});

    py::class_<OverlayConfig> overlay(m, "OverlayConfig", "Encapsulation, policy, segments.");
    DefKeywordInit(overlay);
    DefEnum(overlay, "encap", &OverlayConfig::encap);
    DefEnum(overlay, "policy", &OverlayConfig::policy, "uplink_policy in scenario files");
    overlay
        .def_readwrite("preferred_uplink",
                       &OverlayConfig::preferredUplink,
                       "first uplink of carrier-only and active-standby")
        .def_readwrite("segments", &OverlayConfig::segments);
    DefRepr(overlay, {"encap", "policy", "preferred_uplink", "segments"});

    py::class_<FlowConfig> flow(m, "FlowConfig", "One inner flow between two VMs.");
    DefKeywordInit(flow);
    flow.def_readwrite("name", &FlowConfig::name)
        .def_readwrite("from_", &FlowConfig::from, "source VM ('from' in scenario files)")
        .def_readwrite("to", &FlowConfig::to)
        .def_readwrite("size", &FlowConfig::size)
        .def_readwrite("max_bytes", &FlowConfig::maxBytes)
        .def_readwrite("dst_port", &FlowConfig::dstPort);
    DefEnum(flow, "kind", &FlowConfig::kind);
    DefRate(flow, "rate", &FlowConfig::rate, "UDP_CBR application rate, bit/s");
    DefTime(flow, "start", &FlowConfig::start, "application start, s");
    DefOptTime(flow, "stop", &FlowConfig::stop, "application stop, s (None: scenario end)");
    DefRepr(flow, {"name", "from_", "to", "kind", "rate", "size", "start", "stop"});

    py::class_<FaultConfig> fault(m, "FaultConfig", "One fault on a link.");
    DefKeywordInit(fault);
    DefEnum(fault, "kind", &FaultConfig::kind);
    DefEnum(fault, "direction", &FaultConfig::direction);
    fault.def_readwrite("target", &FaultConfig::target)
        .def_readwrite("drop_fraction", &FaultConfig::dropFraction, "'fraction' in scenarios");
    DefTime(fault, "at", &FaultConfig::at, "start, s");
    DefOptTime(fault, "end", &FaultConfig::end, "end, s (None: never)");
    DefTime(fault, "delay", &FaultConfig::delay, "ADDED_DELAY: extra delay, s");
    DefRepr(fault, {"kind", "target", "at", "end", "direction"});

    py::class_<ExpectBound> bound(m, "ExpectBound", "Bound on one results figure.");
    DefKeywordInit(bound);
    bound.def_readwrite("path", &ExpectBound::path)
        .def_readwrite("min", &ExpectBound::min)
        .def_readwrite("max", &ExpectBound::max)
        .def_readwrite("line", &ExpectBound::line);
    DefRepr(bound, {"path", "min", "max", "line"});

    py::bind_vector<std::vector<SegmentConfig>>(m, "SegmentConfigList");
    py::bind_vector<std::vector<FlowConfig>>(m, "FlowConfigList");
    py::bind_vector<std::vector<FaultConfig>>(m, "FaultConfigList");
    py::bind_vector<std::vector<ExpectBound>>(m, "ExpectBoundList");
    py::implicitly_convertible<py::iterable, std::vector<SegmentConfig>>();
    py::implicitly_convertible<py::iterable, std::vector<FlowConfig>>();
    py::implicitly_convertible<py::iterable, std::vector<FaultConfig>>();
    py::implicitly_convertible<py::iterable, std::vector<ExpectBound>>();

    py::class_<ScenarioConfig> sc(m,
                                  "ScenarioConfig",
                                  "A whole scenario: the struct the scenario file, the C++ API and "
                                  "Python all fill.");
    DefKeywordInit(sc);
    sc.def_readwrite("name", &ScenarioConfig::name, "'<name>.<label>' for a compare variant")
        .def_readwrite("variant",
                       &ScenarioConfig::variant,
                       "label of the compare variant; '' when not a variant")
        .def_readwrite("source_file", &ScenarioConfig::sourceFile)
        .def_readwrite("seed", &ScenarioConfig::seed, "ns-3 RngRun")
        .def_readwrite("fabric", &ScenarioConfig::fabric)
        .def_readwrite("overlay", &ScenarioConfig::overlay)
        .def_readwrite("monitoring", &ScenarioConfig::monitoring)
        .def_readwrite("traffic", &ScenarioConfig::traffic)
        .def_readwrite("faults", &ScenarioConfig::faults)
        .def_readwrite("pcap_ports", &ScenarioConfig::pcapPorts, "'pcap' in scenario files")
        .def_readwrite("expect", &ScenarioConfig::expect)
        .def("validate", &ScenarioConfig::Validate, "raise ConfigError naming a bad field")
        .def("__str__", [](const ScenarioConfig& c) {
            std::ostringstream os;
            os << c;
            return os.str();
        });
    DefTime(sc, "duration", &ScenarioConfig::duration, "simulated time, s");
    DefTime(sc, "stats_bin", &ScenarioConfig::statsBin, "goodput time-series bin, s");
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
