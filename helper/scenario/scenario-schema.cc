#include "scenario-schema.h"

#include "ns3/string.h"

#include <algorithm>
#include <arpa/inet.h>
#include <cctype>
#include <fmt/format.h>
#include <fmt/ranges.h>
#include <sstream>

namespace ns3
{
namespace schema
{

namespace
{

// ---------------------------------------------------------------------------------------------
// Canonical values of the member types.

/// \brief How one C++ member type maps to a kind and to canonical JSON.
template <class T, class = void>
struct Codec;

template <>
struct Codec<bool>
{
    static constexpr Kind kind = Kind::BOOL;

    static Json Get(const bool& v)
    {
        return v;
    }

    static void Set(bool& v, const Json& j)
    {
        v = j.get<bool>();
    }
};

template <class T>
struct Codec<T, std::enable_if_t<std::is_integral_v<T> && std::is_unsigned_v<T>>>
{
    static constexpr Kind kind = Kind::UNSIGNED;

    static Json Get(const T& v)
    {
        return static_cast<uint64_t>(v);
    }

    static void Set(T& v, const Json& j)
    {
        v = static_cast<T>(j.get<uint64_t>());
    }
};

template <>
struct Codec<double>
{
    static constexpr Kind kind = Kind::NUMBER;

    static Json Get(const double& v)
    {
        return v;
    }

    static void Set(double& v, const Json& j)
    {
        v = j.get<double>();
    }
};

template <>
struct Codec<Time>
{
    static constexpr Kind kind = Kind::TIME;

    static Json Get(const Time& v)
    {
        return v.GetNanoSeconds();
    }

    static void Set(Time& v, const Json& j)
    {
        v = NanoSeconds(j.get<int64_t>());
    }
};

template <>
struct Codec<DataRate>
{
    static constexpr Kind kind = Kind::RATE;

    static Json Get(const DataRate& v)
    {
        return v.GetBitRate();
    }

    static void Set(DataRate& v, const Json& j)
    {
        v = DataRate(j.get<uint64_t>());
    }
};

template <>
struct Codec<std::string>
{
    static constexpr Kind kind = Kind::STRING;

    static Json Get(const std::string& v)
    {
        return v;
    }

    static void Set(std::string& v, const Json& j)
    {
        v = j.get<std::string>();
    }
};

/// An IPv4 address in dotted-quad text, parsed strictly (inet_pton: four decimal numbers).
template <>
struct Codec<Ipv4Address>
{
    static constexpr Kind kind = Kind::STRING;

    static Json Get(const Ipv4Address& v)
    {
        std::ostringstream text;
        v.Print(text);
        return text.str();
    }

    static void Set(Ipv4Address& v, const Json& j)
    {
        const std::string text = j.get<std::string>();
        in_addr address{};
        if (inet_pton(AF_INET, text.c_str(), &address) != 1)
        {
            throw ConfigError("",
                              0,
                              "",
                              fmt::format("'{}' is not an IPv4 address; allowed: a dotted quad "
                                          "such as 239.0.0.1",
                                          text));
        }
        v = Ipv4Address(ntohl(address.s_addr));
    }
};

/// Names of the topology (VMs, links): canonical form is the name; invalid text is kept for
/// Validate() to refuse with the fabric's ranges.
template <class R>
struct Codec<R,
             std::enable_if_t<std::is_same_v<R, HostRef> || std::is_same_v<R, VmRef> ||
                              std::is_same_v<R, LinkRef>>>
{
    static constexpr Kind kind = Kind::STRING;

    static Json Get(const R& v)
    {
        return v.Format();
    }

    static void Set(R& v, const Json& j)
    {
        v = R(j.get<std::string>());
    }
};

/// \return the values of enum E, in order: 0, 1, 2... while ToString() knows them
template <class E>
std::vector<E>
EnumValues()
{
    std::vector<E> values;
    for (int i = 0; i < 256 && ToString(static_cast<E>(i)) != "unknown"; ++i)
    {
        values.push_back(static_cast<E>(i));
    }
    return values;
}

template <class E>
struct Codec<E, std::enable_if_t<std::is_enum_v<E>>>
{
    static constexpr Kind kind = Kind::CHOICE;

    static Json Get(const E& v)
    {
        return ToString(v);
    }

    static void Set(E& v, const Json& j)
    {
        for (E e : EnumValues<E>())
        {
            if (ToString(e) == j.get<std::string>())
            {
                v = e;
                return;
            }
        }
        throw ConfigError("", 0, "", fmt::format("'{}' is not allowed", j.get<std::string>()));
    }
};

/// \brief Builds a Key from a member pointer: kind, accessors and choices from the type.
class KeyBuilder
{
  public:
    KeyBuilder(const char* name, const char* member, const char* doc)
    {
        m_key.name = name;
        m_key.member = member;
        m_key.doc = doc;
    }

    /// A plain member.
    template <class S, class T>
    KeyBuilder& Of(T S::*m)
    {
        using C = Codec<T>;
        m_key.kind = C::kind;
        m_key.get = [m](const void* s) { return C::Get(static_cast<const S*>(s)->*m); };
        m_key.set = [m](void* s, const Json& j) { C::Set(static_cast<S*>(s)->*m, j); };
        if constexpr (std::is_enum_v<T>)
        {
            for (T e : EnumValues<T>())
            {
                m_key.choices.push_back(ToString(e));
            }
        }
        if constexpr (std::is_integral_v<T> && std::is_unsigned_v<T> && !std::is_same_v<T, bool>)
        {
            m_key.typeMax = static_cast<uint64_t>(std::numeric_limits<T>::max());
        }
        return *this;
    }

    /// A std::optional member: null when unset.
    template <class S, class T>
    KeyBuilder& Of(std::optional<T> S::*m)
    {
        using C = Codec<T>;
        m_key.kind = C::kind;
        m_key.optional = true;
        m_key.get = [m](const void* s) {
            const auto& v = static_cast<const S*>(s)->*m;
            return v ? C::Get(*v) : Json(nullptr);
        };
        m_key.set = [m](void* s, const Json& j) {
            auto& v = static_cast<S*>(s)->*m;
            if (j.is_null())
            {
                v.reset();
                return;
            }
            T x{};
            C::Set(x, j);
            v = x;
        };
        return *this;
    }

    /// A list of scalars.
    template <class S, class T>
    KeyBuilder& Of(std::vector<T> S::*m)
    {
        using C = Codec<T>;
        m_key.kind = C::kind;
        m_key.list = true;
        m_key.get = [m](const void* s) {
            Json out = Json::array();
            for (const T& x : static_cast<const S*>(s)->*m)
            {
                out.push_back(C::Get(x));
            }
            return out;
        };
        m_key.set = [m](void* s, const Json& j) {
            auto& v = static_cast<S*>(s)->*m;
            v.clear();
            for (const Json& x : j)
            {
                T item{};
                C::Set(item, x);
                v.push_back(item);
            }
        };
        return *this;
    }

    /// A nested section.
    template <class S, class T>
    KeyBuilder& Nested(T S::*m, const Section& section)
    {
        m_key.kind = Kind::SECTION;
        m_key.section = &section;
        m_key.child = [m](void* s) -> void* { return &(static_cast<S*>(s)->*m); };
        m_key.cchild = [m](const void* s) -> const void* {
            return &(static_cast<const S*>(s)->*m);
        };
        return *this;
    }

    /// A list of sections.
    template <class S, class T>
    KeyBuilder& NestedList(std::vector<T> S::*m, const Section& section)
    {
        m_key.kind = Kind::SECTION;
        m_key.list = true;
        m_key.section = &section;
        m_key.count = [m](const void* s) { return (static_cast<const S*>(s)->*m).size(); };
        m_key.item = [m](const void* s, size_t i) -> const void* {
            return &(static_cast<const S*>(s)->*m)[i];
        };
        m_key.append = [m](void* s) -> void* {
            auto& v = static_cast<S*>(s)->*m;
            v.emplace_back();
            return &v.back();
        };
        return *this;
    }

    KeyBuilder& Min(Json v, bool exclusive = false)
    {
        m_key.min = std::move(v);
        m_key.minExclusive = exclusive;
        return *this;
    }

    KeyBuilder& Max(Json v, bool exclusive = false)
    {
        m_key.max = std::move(v);
        m_key.maxExclusive = exclusive;
        return *this;
    }

    KeyBuilder& Step(int64_t ns)
    {
        m_key.step = ns;
        return *this;
    }

    KeyBuilder& Doc(std::string doc)
    {
        m_key.doc = std::move(doc);
        return *this;
    }

    KeyBuilder& Note(const char* note)
    {
        m_key.rangeNote = note;
        return *this;
    }

    KeyBuilder& Unit(const char* unit)
    {
        m_key.unit = unit;
        return *this;
    }

    KeyBuilder& Format(const char* format)
    {
        m_key.format = format;
        return *this;
    }

    KeyBuilder& Choices(std::vector<std::string> choices)
    {
        m_key.kind = Kind::CHOICE;
        m_key.choices = std::move(choices);
        return *this;
    }

    KeyBuilder& Required()
    {
        m_key.required = true;
        return *this;
    }

    KeyBuilder& Attribute(const char* attribute)
    {
        m_key.attribute = attribute;
        return *this;
    }

    KeyBuilder& OnlyWhen(const char* key, std::vector<std::string> values)
    {
        m_key.relevance = Relevance{key, std::move(values)};
        return *this;
    }

    /// Another name of the key, read and echoed while \p key has one of \p values.
    KeyBuilder& AliasWhen(const char* alias, const char* key, std::vector<std::string> values)
    {
        m_key.alias = schema::Alias{alias, Relevance{key, std::move(values)}};
        return *this;
    }

    /// At most the value of \p key, an unsigned key of the same section with a small range.
    KeyBuilder& AtMost(const char* key, const char* why)
    {
        m_key.atMost = key;
        m_key.atMostWhy = why;
        return *this;
    }

    /// Left out of the echo while at its default: a key added to a section after results were
    /// published, so that the echo of every older scenario (results.json) stays byte-identical.
    KeyBuilder& EchoOnlyWhenSet()
    {
        m_key.echoDefault = false;
        return *this;
    }

    /// Replace the setter (a preset fills the timers as well as its own member).
    KeyBuilder& Setter(std::function<void(void*, const Json&)> set)
    {
        m_key.set = std::move(set);
        return *this;
    }

    /// Replace the getter.
    KeyBuilder& Getter(std::function<Json(const void*)> get)
    {
        m_key.get = std::move(get);
        return *this;
    }

    operator Key() const
    {
        return m_key;
    }

  private:
    Key m_key;
};

template <class S>
std::function<std::shared_ptr<void>()>
DefaultOf()
{
    return [] { return std::static_pointer_cast<void>(std::make_shared<S>()); };
}

constexpr int64_t US = 1000;
constexpr int64_t MS = 1000000;
constexpr int64_t SEC = 1000000000;

// ---------------------------------------------------------------------------------------------
// The tables. Ranges here are the single-field limits; checks across fields (a VM on the fabric,
// stats_bin within duration, a queue of at least one frame) stay in ScenarioConfig::Validate.

const Section&
TierSection()
{
    static const Section s = [] {
        Section t;
        t.name = "tier";
        t.what = "a link tier";
        t.doc = "Rate, delay, MTU and queue of one tier of underlay links (fabric.access: "
                "host-leaf, fabric.core: leaf-spine).";
        t.makeDefault = DefaultOf<LinkTierConfig>();
        t.keys = {
            KeyBuilder("rate", "rate", "line rate of each direction")
                .Of(&LinkTierConfig::rate)
                .Min(0, true),
            KeyBuilder("delay", "delay", "propagation delay").Of(&LinkTierConfig::delay).Min(0),
            KeyBuilder("mtu", "mtu", "largest IP packet (outer) the link carries")
                .Of(&LinkTierConfig::mtu)
                .Min(576)
                .Max(65535)
                .Unit("bytes"),
            KeyBuilder("queue_bytes",
                       "queueBytes",
                       "transmit queue of each port, counting the bytes of each frame that are "
                       "sent and stored: Ethernet header 14 + payload, + FCS 4 when "
                       "fabric.layer1_overhead is on (never the preamble or the gap); at least "
                       "one frame (mtu + 18, or mtu + 14 without the overhead)")
                .Of(&LinkTierConfig::queueBytes)
                .Min(576 + 14)
                .Note("(at least one frame of the tier: mtu + 18, mtu + 14 with "
                      "fabric.layer1_overhead false)")
                .Unit("bytes"),
        };
        return t;
    }();
    return s;
}

const Section&
FabricSection()
{
    static const Section s = [] {
        Section t;
        t.name = "fabric";
        t.what = "the fabric";
        t.doc = "Leaf-spine underlay: S spines, racks of N leaves (rack r has leaves r x N .. "
                "r x N + N - 1), H hosts per rack, U uplinks per host (uplink k to leaf r x N + "
                "k: each to a different leaf of its rack).";
        t.makeDefault = DefaultOf<FabricConfig>();
        t.keys = {
            KeyBuilder("spines", "spines", "spine switches")
                .Of(&FabricConfig::spines)
                .Min(1)
                .Max(256),
            // leaf_pairs is what racks of two leaves were called before N was a key: files
            // keep it, and the echo writes it while N is 2 (results stay as they were).
            KeyBuilder("racks", "racks", "racks of leaves_per_rack leaves each")
                .Of(&FabricConfig::racks)
                .Min(1)
                .Max(2048)
                .AliasWhen("leaf_pairs", "leaves_per_rack", {"2"}),
            KeyBuilder("leaves_per_rack",
                       "leavesPerRack",
                       "leaves of each rack, N: rack r has leaves r x N .. r x N + N - 1 (the "
                       "echo leaves it out at 2, as it was before the key existed)")
                .Of(&FabricConfig::leavesPerRack)
                .Min(1)
                .Max(8)
                .EchoOnlyWhenSet(),
            KeyBuilder("hosts_per_rack",
                       "hostsPerRack",
                       "hypervisor hosts per rack; racks x hosts_per_rack <= 4096")
                .Of(&FabricConfig::hostsPerRack)
                .Min(1)
                .Max(4096)
                .Note("(and racks x hosts_per_rack <= 4096)"),
            KeyBuilder("uplinks_per_host",
                       "uplinksPerHost",
                       "uplinks per host; uplink k goes to leaf k of the host's rack")
                .Of(&FabricConfig::uplinksPerHost)
                .Min(1)
                .Max(8)
                .Note("(and at most fabric.leaves_per_rack: each uplink goes to a different leaf "
                      "of the rack)")
                .AtMost("leaves_per_rack",
                        "each uplink goes to a different leaf of the host's rack"),
            KeyBuilder("access", "access", "host-leaf links")
                .Nested(&FabricConfig::access, TierSection()),
            KeyBuilder("core", "core", "leaf-spine links")
                .Nested(&FabricConfig::core, TierSection()),
            KeyBuilder("routing_convergence",
                       "routingConvergence",
                       "carrier loss -> the rest of the fabric reroutes after this")
                .Of(&FabricConfig::routingConvergence)
                .Min(0)
                .Attribute("ns3::RoutingController::ConvergenceDelay"),
            KeyBuilder("layer1_overhead",
                       "layer1Overhead",
                       "Ethernet layer-1 overhead on the wire of every link (IEEE 802.3 clauses "
                       "3 and 4): each frame also takes the time of the preamble + SFD (8 "
                       "bytes), the FCS (4) and the inter-frame gap (12), and frames under 60 "
                       "bytes are padded to the 64-byte minimum with the FCS; the FCS and "
                       "padding also count in queue_bytes. Captures are unchanged (no FCS). "
                       "false: frames take the time of header + payload only")
                .Of(&FabricConfig::layer1Overhead)
                .Attribute("ns3::FabricNetDevice::Layer1Overhead"),
        };
        return t;
    }();
    return s;
}

const Section&
SegmentSection()
{
    static const Section s = [] {
        Section t;
        t.name = "segments";
        t.what = "a segment";
        t.shape = "a segment is {vni: <1..16777215>, vms: [hostN/vmM, ...]}";
        t.doc = "One logical switch: a VNI and the VMs attached to it; each VM is on exactly one "
                "segment.";
        t.makeDefault = DefaultOf<SegmentConfig>();
        t.keys = {
            KeyBuilder("vni", "vni", "24-bit virtual network identifier")
                .Of(&SegmentConfig::vni)
                .Min(1)
                .Max(16777215)
                .Note("(24 bits; 0 is reserved for OAM)")
                .Required(),
            KeyBuilder("vms", "vms", "VMs on the segment, host<N>/vm<M>")
                .Of(&SegmentConfig::vms)
                .Format("vm")
                .Required(),
            KeyBuilder("group",
                       "group",
                       "the segment's underlay multicast group (outside 224.0.0.0/24, one per "
                       "segment or mirror session): the hosts of its VMs join it with IGMPv3 "
                       "reports at the start, and its SR-IOV VFs' broadcasts (ARP requests) go "
                       "to it as one copy that the underlay replicates, instead of one copy per "
                       "VTEP; none: head-end replication (the software virtual switch answers "
                       "ARP itself and floods nothing)")
                .Of(&SegmentConfig::group),
        };
        return t;
    }();
    return s;
}

/// The "name" key of a list item: unique, "<prefix><i>" by default (the section's initItem).
template <class S>
KeyBuilder
NameKey(std::string S::*member, const char* what, const char* prefix)
{
    KeyBuilder key("name", "name", "");
    key.Of(member).Format("name");
    return key.Doc(fmt::format("unique {} name (default {}<i>): 1 to 64 letters, digits, '_', "
                               "'-', starting with a letter or digit",
                               what,
                               prefix));
}

const Section&
RouterSection()
{
    static const Section s = [] {
        Section t;
        t.name = "routers";
        t.what = "a router";
        t.shape = "a router is {name: <name>, segments: [<vni>, <vni>, ...]}";
        t.doc = "A distributed logical router (seed 000, Fig. 2): it joins two or more segments, "
                "with an instance on every host that has a VM on one of them. On each segment its "
                "gateway is the subnet's address .255.254 (the segments are 10.128.0.0/16, "
                "10.129.0.0/16, ... in order), at the router MAC 02:50:56:56:44:52 (+ router "
                "index); the VMs route through it, and a routed frame is encapsulated with the "
                "destination segment's VNI.";
        t.makeDefault = DefaultOf<RouterConfig>();
        t.initItem = [](void* s, size_t i) {
            static_cast<RouterConfig*>(s)->name = fmt::format("dr{}", i);
        };
        t.keys = {
            NameKey(&RouterConfig::name, "router", "dr"),
            KeyBuilder("segments", "segments", "VNIs of the segments it joins, two or more")
                .Of(&RouterConfig::segments)
                .Min(1)
                .Max(16777215)
                .Required(),
        };
        return t;
    }();
    return s;
}

const Section&
OverlaySection()
{
    static const Section s = [] {
        Section t;
        t.name = "overlay";
        t.what = "the overlay";
        t.doc = "The overlay: tunnel encapsulation, how a VTEP picks the uplink of a tunnel "
                "packet, and the segments.";
        t.makeDefault = DefaultOf<OverlayConfig>();
        t.keys = {
            KeyBuilder("encap",
                       "encap",
                       "tunnel encapsulation: GENEVE (RFC 8926) or VXLAN (RFC "
                       "7348)")
                .Of(&OverlayConfig::encap)
                .Attribute("ns3::Vtep::Encapsulation"),
            KeyBuilder("uplink_policy",
                       "policy",
                       "uplink selection; all but carrier-only and flow-hash read the monitor")
                .Of(&OverlayConfig::policy)
                .Attribute("ns3::UplinkSelector::Policy"),
            KeyBuilder("preferred_uplink", "preferredUplink", "first uplink in order")
                .Of(&OverlayConfig::preferredUplink)
                .Note("(and below fabric.uplinks_per_host)")
                .OnlyWhen("uplink_policy", {"carrier-only", "active-standby"})
                .Attribute("ns3::UplinkSelector::PreferredUplink"),
            KeyBuilder("path_reselection",
                       "pathReselection",
                       "besides moving a tunnel to another uplink, move only the flows whose "
                       "fabric path died, by giving them the outer source port of a live path of "
                       "the same uplink; data then leaves on the probed ports (needs "
                       "monitoring.cover_ecmp_paths)")
                .Of(&OverlayConfig::pathReselection)
                .Attribute("ns3::UplinkSelector::PathReselection")
                .EchoOnlyWhenSet(),
            KeyBuilder("segments", "segments", "logical switches")
                .NestedList(&OverlayConfig::segments, SegmentSection()),
            KeyBuilder("routers",
                       "routers",
                       "distributed logical routers joining segments (none: a flow stays in its "
                       "segment)")
                .NestedList(&OverlayConfig::routers, RouterSection())
                .EchoOnlyWhenSet(),
        };
        return t;
    }();
    return s;
}

const Section&
ClockSection()
{
    static const Section s = [] {
        Section t;
        t.name = "clocks";
        t.what = "a host clock";
        t.shape = "a host clock is {host: hostN, offset: <time>, drift_ppm: <number>}";
        t.doc = "The clock of one host's monitor: its echo timestamps are read on it, so the "
                "one-way delay its peers measure from them (tunnels.*.uplinks[*].forward_delay_us) "
                "includes (their clock - this clock). clock(t) = t + offset + drift_ppm x 1e-6 x "
                "t; the RTT it measures is scaled by (1 + drift_ppm x 1e-6), its offset cancels. "
                "A host not listed keeps the simulator's clock.";
        t.makeDefault = DefaultOf<ClockConfig>();
        t.keys = {
            KeyBuilder("host", "host", "the host, host<N>, at most once in the list")
                .Of(&ClockConfig::host)
                .Format("host")
                .Required(),
            KeyBuilder("offset", "offset", "clock - simulated time at t = 0; may be negative")
                .Of(&ClockConfig::offset)
                .Min(-86400 * SEC)
                .Max(86400 * SEC)
                .Note("(at most a day either way: a clock further off is a configuration error)")
                .Attribute("ns3::UplinkMonitor::ClockOffset"),
            KeyBuilder("drift_ppm", "driftPpm", "clock rate error")
                .Of(&ClockConfig::driftPpm)
                .Min(-UplinkMonitor::MAX_CLOCK_DRIFT_PPM)
                .Max(UplinkMonitor::MAX_CLOCK_DRIFT_PPM)
                .Note("(ten times the +-100 ppm IEEE 802.3 allows a clock: the clock stays "
                      "monotonic and an RTT stays within 0.1%)")
                .Unit("ppm")
                .Attribute("ns3::UplinkMonitor::ClockDrift"),
        };
        return t;
    }();
    return s;
}

const Section&
MonitoringSection()
{
    static const Section s = [] {
        Section t;
        t.name = "monitoring";
        t.what = "the monitoring section";
        t.doc = "Uplink-aware tunnel monitoring (seed 000): a BFD session per tunnel and a "
                "per-uplink encapsulated echo. On when the section is written (unless enabled: "
                "false). The preset fills the timers first, wherever it is written; explicit "
                "timer keys override it.";
        t.makeDefault = DefaultOf<MonitoringConfig>();
        t.whenWritten = {{"enabled", true}};
        t.keys = {
            KeyBuilder("enabled", "enabled", "monitoring on").Of(&MonitoringConfig::enabled),
            KeyBuilder("preset",
                       "preset",
                       "fills tx_interval, rx_interval and detect_mult: frr-default 300 ms x 3, "
                       "ovs-default 100 ms tx / 1000 ms rx x 3, aggressive 50 ms x 3, hardware "
                       "3.3 ms x 3")
                .Of(&MonitoringConfig::preset)
                .Choices(MonitoringPresetNames())
                .Getter([](const void* s) {
                    const auto& p = static_cast<const MonitoringConfig*>(s)->preset;
                    return p.empty() ? Json(nullptr) : Json(p);
                })
                .Setter([](void* s, const Json& j) {
                    auto* m = static_cast<MonitoringConfig*>(s);
                    if (j.is_null())
                    {
                        m->preset.clear();
                    }
                    else if (!ApplyMonitoringPreset(*m, j.get<std::string>()))
                    {
                        m->preset = j.get<std::string>(); // refused by CheckSection
                    }
                }),
            KeyBuilder("tx_interval", "txInterval", "DesiredMinTxInterval (control and echo)")
                .Of(&MonitoringConfig::txInterval)
                .Min(US)
                .Max(60 * SEC)
                .Step(US)
                .Attribute("ns3::UplinkMonitor::TxInterval"),
            KeyBuilder("rx_interval",
                       "rxInterval",
                       "RequiredMinRxInterval and RequiredMinEchoRxInterval")
                .Of(&MonitoringConfig::rxInterval)
                .Min(US)
                .Max(60 * SEC)
                .Step(US)
                .Attribute("ns3::UplinkMonitor::RxInterval"),
            KeyBuilder("detect_mult",
                       "detectMult",
                       "DetectMult: echo intervals without a reply before an uplink is DOWN")
                .Of(&MonitoringConfig::detectMult)
                .Min(1)
                .Max(255)
                .Note("(an 8-bit field in RFC 5880)")
                .Attribute("ns3::UplinkMonitor::DetectMult"),
            KeyBuilder("up_after",
                       "upAfter",
                       "consecutive echo replies that mark a DOWN uplink UP again")
                .Of(&MonitoringConfig::upAfter)
                .Min(1)
                .Max(255)
                .Note("consecutive echo replies")
                .Attribute("ns3::UplinkMonitor::UpAfter"),
            KeyBuilder("mode",
                       "mode",
                       "async: RFC 5880 session + echo; seamless: RFC 7880 S-BFD, echoes at once")
                .Of(&MonitoringConfig::mode)
                .Attribute("ns3::UplinkMonitor::Mode"),
            KeyBuilder("echo_path",
                       "echoPath",
                       "on an offloading host: software, BFD built by the host and sent by the "
                       "NIC as it is (software BFD); nic, encapsulated by the NIC like data, so "
                       "monitor and data share the NIC's fate (hardware BFD)")
                .Of(&MonitoringConfig::echoPath)
                .OnlyWhen("enabled", {"true"})
                .EchoOnlyWhenSet(),
            KeyBuilder("jitter", "jitter", "RFC 5880 6.8.7 transmit jitter (75-100% of interval)")
                .Of(&MonitoringConfig::jitter)
                .Attribute("ns3::UplinkMonitor::Jitter"),
            KeyBuilder("rtt_threshold",
                       "rttThreshold",
                       "QoS threshold: an uplink is degraded while its RTT is above it")
                .Of(&MonitoringConfig::rttThreshold)
                .Min(0, true)
                .OnlyWhen("enabled", {"true"})
                .Attribute("ns3::UplinkMonitor::RttThreshold"),
            KeyBuilder("loss_threshold",
                       "lossThreshold",
                       "degraded while the loss over the last 100 echoes is above it")
                .Of(&MonitoringConfig::lossThreshold)
                .Min(0.0)
                .Max(1.0, true)
                .Note("(a fraction of the last 100 echoes)")
                .OnlyWhen("enabled", {"true"})
                .Attribute("ns3::UplinkMonitor::LossThreshold"),
            KeyBuilder("rtt_hysteresis",
                       "rttHysteresis",
                       "lowest-rtt moves only to an uplink better by this")
                .Of(&MonitoringConfig::rttHysteresis)
                .Min(0)
                .OnlyWhen("enabled", {"true"})
                .Attribute("ns3::UplinkSelector::RttHysteresis"),
            KeyBuilder("localize",
                       "localize",
                       "fault localization before a DOWN: missing replies while the peer's own "
                       "echoes from one of its uplinks stopped arriving are the remote host's "
                       "problem and do not make a local uplink DOWN (off: the seed's rule, no "
                       "reply for the detection time is DOWN)")
                .Of(&MonitoringConfig::localize)
                .OnlyWhen("enabled", {"true"})
                .Attribute("ns3::UplinkMonitor::Localize"),
            KeyBuilder("cover_ecmp_paths",
                       "coverEcmpPaths",
                       "echoes that cover the ECMP paths: per (tunnel, uplink), one echo stream "
                       "per fabric path from that uplink to the remote VTEP, each with an inner "
                       "source port the path calculator chose so that the fabric's hash puts it "
                       "on that path (off: the seed's one stream per uplink, on one path); costs "
                       "one echo and one loopback per path and interval")
                .Of(&MonitoringConfig::coverEcmpPaths)
                .OnlyWhen("enabled", {"true"})
                .EchoOnlyWhenSet(),
            KeyBuilder("clocks",
                       "clocks",
                       "hosts whose clock is not the simulator's: offset and drift of the clock "
                       "their echo timestamps are read on (the one-way delay from the timestamp, "
                       "seed 000 paragraphs 0046 and 0057)")
                .NestedList(&MonitoringConfig::clocks, ClockSection())
                .OnlyWhen("enabled", {"true"})
                .EchoOnlyWhenSet(),
        };
        return t;
    }();
    return s;
}

const Section&
FlowSection()
{
    static const Section s = [] {
        Section t;
        t.name = "traffic";
        t.what = "a flow";
        t.shape = "a flow needs from and to, VMs of one segment (hostN/vmM), or of two segments "
                  "one router joins";
        t.doc = "One inner flow between two VMs of the same segment, or of two segments that a "
                "router of overlay.routers joins.";
        t.makeDefault = DefaultOf<FlowConfig>();
        t.initItem = [](void* s, size_t i) {
            static_cast<FlowConfig*>(s)->name = fmt::format("flow{}", i);
        };
        t.keys = {
            NameKey(&FlowConfig::name, "flow", "flow"),
            KeyBuilder("from", "from", "source VM").Of(&FlowConfig::from).Format("vm").Required(),
            KeyBuilder("to", "to", "destination VM").Of(&FlowConfig::to).Format("vm").Required(),
            KeyBuilder("kind",
                       "kind",
                       "udp-cbr: constant bit rate (OnOffApplication); tcp-bulk: BulkSend")
                .Of(&FlowConfig::kind),
            KeyBuilder("rate", "rate", "application rate")
                .Of(&FlowConfig::rate)
                .Min(0, true)
                .OnlyWhen("kind", {"udp-cbr"}),
            KeyBuilder("size",
                       "size",
                       "udp-cbr: UDP payload bytes (at most 8972); tcp-bulk: send size")
                .Of(&FlowConfig::size)
                .Min(1)
                .Note("(udp-cbr: at most 8972)")
                .Unit("bytes"),
            KeyBuilder("max_bytes", "maxBytes", "tcp-bulk: bytes to send, 0 = unlimited")
                .Of(&FlowConfig::maxBytes)
                .Unit("bytes"),
            KeyBuilder("start", "start", "application start").Of(&FlowConfig::start).Min(0),
            KeyBuilder("stop", "stop", "application stop (default: the scenario duration)")
                .Of(&FlowConfig::stop),
            KeyBuilder("dst_port", "dstPort", "destination port")
                .Of(&FlowConfig::dstPort)
                .Note("(0 = 5000 + flow index)"),
        };
        return t;
    }();
    return s;
}

const Section&
FaultSection()
{
    static const Section s = [] {
        Section t;
        t.name = "faults";
        t.what = "a fault";
        t.shape = "a fault needs the link it breaks: hostN/uplinkK or leafL-spineS";
        t.doc = "One injected fault on a link, with its times.";
        t.makeDefault = DefaultOf<FaultConfig>();
        t.keys = {
            KeyBuilder("target", "target", "the link: host<N>/uplink<K> or leaf<L>-spine<S>")
                .Of(&FaultConfig::target)
                .Format("link")
                .Required(),
            KeyBuilder("kind",
                       "kind",
                       "link-down: carrier lost; silent-drop: frames dropped, carrier up; "
                       "added-delay: extra one-way delay; nic-encap-failure: the offloading "
                       "NIC of a host uplink drops every frame it should encapsulate "
                       "(nic_encap_failed), while frames the host encapsulated (software BFD) "
                       "and everything it receives pass")
                .Of(&FaultConfig::kind),
            KeyBuilder("at", "at", "start, before the end of the scenario").Of(&FaultConfig::at),
            KeyBuilder("end", "end", "end (default: never)").Of(&FaultConfig::end),
            KeyBuilder("direction",
                       "direction",
                       "forward: from the first-named end; reverse: towards it")
                .Of(&FaultConfig::direction)
                .OnlyWhen("kind", {"silent-drop", "added-delay"}),
            KeyBuilder("fraction", "dropFraction", "fraction of frames dropped")
                .Of(&FaultConfig::dropFraction)
                .Min(0.0, true)
                .Max(1.0)
                .Note("(1 drops every frame)")
                .OnlyWhen("kind", {"silent-drop"}),
            KeyBuilder("delay", "delay", "extra one-way delay")
                .Of(&FaultConfig::delay)
                .Min(0, true)
                .OnlyWhen("kind", {"added-delay"}),
        };
        return t;
    }();
    return s;
}

const Section&
MigrationSection()
{
    static const Section s = [] {
        Section t;
        t.name = "migrations";
        t.what = "a migration";
        t.shape = "a migration is {vm: hostN/vmM, to: hostN, at: <time>}";
        t.doc = "A VM that moves to another host under traffic (seed 002 Fig. 6: VM migrates "
                "in or out). At `at` the VM's vNIC leaves its host's virtual switch for the "
                "other host's (the switchover, no downtime); both hypervisors update their "
                "tables then (an offloading host pushes the change to its NICs). The controller "
                "tells the segment's other hosts notify_delay later; until their data path "
                "points to the new host (an offloading NIC once the push is applied), they send "
                "the VM's packets to the old host, which drops them (vm_migrated). The VM keeps "
                "its name; it migrates once and sends no flow.";
        t.makeDefault = DefaultOf<MigrationConfig>();
        t.keys = {
            KeyBuilder("vm", "vm", "the VM, host<N>/vm<M>")
                .Of(&MigrationConfig::vm)
                .Format("vm")
                .Required(),
            KeyBuilder("to", "to", "the host it moves to, host<N>")
                .Of(&MigrationConfig::to)
                .Format("host")
                .Required(),
            KeyBuilder("at", "at", "the switchover, before the end of the scenario")
                .Of(&MigrationConfig::at)
                .Min(0),
            KeyBuilder("notify_delay",
                       "notifyDelay",
                       "from the switchover to the controller's update of the other hosts "
                       "(assumed)")
                .Of(&MigrationConfig::notifyDelay)
                .Min(0),
        };
        return t;
    }();
    return s;
}

const Section&
VfSection()
{
    static const Section s = [] {
        Section t;
        t.name = "vfs";
        t.what = "a VF";
        t.shape = "a VF is {vm: hostN/vmM, uplink: <K>, mtu: <bytes>, source_port: <port>, at: "
                  "<time>}";
        t.doc = "A VM that uses an SR-IOV virtual function (VF) of its host's NIC directly "
                "instead of a virtual switch port (seed 002 section III.A, Figs. 9, 12-15). The "
                "VF is a function of the NIC of one uplink (its PF); the VF's frames bypass the "
                "hypervisor, so no stage of the virtual switch sees them. The NIC encapsulates "
                "every frame of the VF with the VF's VNI (its VM's segment) and source UDP port, "
                "from the VF's own copy of the mapping table (paragraph 0098), which the "
                "hypervisor pushes when the VM powers on (at), when it also sets the VF's VNI, "
                "source VTEP, source port and MTU through the PF driver (paragraph 0101). On "
                "receive the NIC decapsulates and hands the frame to the VF of its inner "
                "destination MAC (Fig. 14). An ARP reply for the VF's VM from a VTEP its table "
                "does not name goes to the PF, for the hypervisor to learn and push (paragraph "
                "0125; offload.arp_proxy for paragraph 0126). Needs offload, on a host that "
                "offloads; at most offload.max_vfs VFs per PF. Not modelled: a VF VM that "
                "migrates, on a segment a router joins, in a flow a chain takes, or in a flow "
                "with another VM of its host (the NIC's embedded switch between its VFs and "
                "the PF).";
        t.makeDefault = DefaultOf<VfConfig>();
        t.keys = {
            KeyBuilder("vm",
                       "vm",
                       "the VM, host<N>/vm<M>: a VM of a segment on a host whose NICs offload, "
                       "with one VF")
                .Of(&VfConfig::vm)
                .Format("vm")
                .Required(),
            KeyBuilder("uplink", "uplink", "the PF: the NIC of this uplink of the VM's host")
                .Of(&VfConfig::uplink)
                .Note("(and below fabric.uplinks_per_host)"),
            KeyBuilder("mtu",
                       "mtu",
                       "the VF's MTU (the VM's): its largest inner IP packet. With the 50 bytes "
                       "of the encapsulation (inner Ethernet 14, GENEVE without options or "
                       "VXLAN 8, outer UDP 8, outer IPv4 20) it must fit fabric.access.mtu "
                       "(paragraph 0106). The seed's typical 100 bytes less leave room for "
                       "GENEVE options, which this model's data packets do not carry")
                .Of(&VfConfig::mtu)
                .Min(68)
                .Max(65535)
                .Note("(68: the IPv4 minimum, RFC 791; and at most fabric.access.mtu - 50)")
                .Unit("bytes"),
            KeyBuilder("source_port",
                       "sourcePort",
                       "the VF's source UDP port, which the hypervisor programs (paragraph "
                       "0099); a fixed port puts every flow of the VF on one ECMP path. Unset: "
                       "the NIC takes it from the inner flow's hash, like the VTEP (RFC 7348 "
                       "section 5)")
                .Of(&VfConfig::sourcePort)
                .Min(1)
                .Max(65535),
            KeyBuilder("at",
                       "at",
                       "the VM's power-on: the VF is configured and its table pushed (paragraph "
                       "0101), before the end of the scenario")
                .Of(&VfConfig::at)
                .Min(0),
        };
        return t;
    }();
    return s;
}

const Section&
TraceSection()
{
    static const Section s = [] {
        Section t;
        t.name = "trace";
        t.what = "the path trace";
        t.shape = "the path trace is {flows: [<flow name>, ...]}";
        t.doc = "The path trace (seed 004: in an overlay nobody can see which underlay path a "
                "tenant's packet took), on when the section is written (unless enabled: false). "
                "Every packet of the chosen flows is followed from its VM through the VTEP (the "
                "uplink and the outer 5-tuple) and every underlay link it is sent on (the node "
                "that sent it: host, leaf, spine) to its fate (delivered to the destination VM, "
                "or dropped, with the reason). results.json lists, per flow, the distinct paths "
                "it took in time order: first and last packet, packets, fate, and the hops of the "
                "first packet with their times. `overlay-fabric trace DIR --flow NAME [--at T]` "
                "prints them. Nothing is recorded, and nothing is paid, without the section.";
        t.makeDefault = DefaultOf<TraceConfig>();
        t.whenWritten = {{"enabled", true}};
        t.keys = {
            KeyBuilder("enabled", "enabled", "trace on").Of(&TraceConfig::enabled),
            KeyBuilder("flows", "flows", "the flows to trace: names of traffic flows")
                .Of(&TraceConfig::flows)
                .OnlyWhen("enabled", {"true"}),
        };
        return t;
    }();
    return s;
}

const Section&
MirrorSection()
{
    static const Section s = [] {
        Section t;
        t.name = "mirrors";
        t.what = "a mirror session";
        t.shape = "a mirror session is {name: <name>, vni: <mirror VNI>, mode: unicast|multicast, "
                  "ports: [hostN/vmM, ...], direction: both|rx|tx, monitors: [hostN/vmM, ...]}";
        t.doc = "A mirror session (seed 003): an overlay dedicated to mirrored packets (its VNI, "
                "5001 in the seed; a segment of overlay.segments holding only the session's "
                "monitor VMs), the mirrored ports (the vNIC ports of VMs of other segments) and "
                "the monitor VMs, whose ports on the mirror VNI are promiscuous capture ports "
                "(paragraphs 0041-0045, 0053). On each host with a mirrored port, the session's "
                "mirror filter is the first stage of each mirrored port's pipeline and taps what "
                "the port hands its VM: it clones each packet (the original goes on unchanged), "
                "marks the clone with the session and adds it to the host's mirrored-packet list "
                "of the session; a separate worker drains the list, list_length clones at most, "
                "one copy every copy_time, so a burst can overflow it (mirror_list_overflow, "
                "paragraphs 0045-0046, 0054-0059). Unicast (Figs. 6-9): one copy per VTEP of the "
                "mirroring overlay on another host, encapsulated with the mirror VNI to each "
                "(head-end replication, in software on the host CPU), and a local copy for a "
                "monitor on the same host; a host with no monitor drops its copy (no_monitor, "
                "paragraph 0073). Multicast (Figs. 2-5): one copy to the mirror VNI's underlay "
                "multicast group, which the monitors' hosts join with IGMPv3 reports at the "
                "start; the leaves snoop them and the switches replicate along the group's tree "
                "(one copy per egress port with members). The receiving host decapsulates and "
                "hands the copy to every capture port of the VNI, whatever its destination MAC.";
        t.makeDefault = DefaultOf<MirrorConfig>();
        t.initItem = [](void* s, size_t i) {
            static_cast<MirrorConfig*>(s)->name = fmt::format("mirror{}", i);
        };
        t.keys = {
            NameKey(&MirrorConfig::name, "mirror session", "mirror"),
            KeyBuilder("vni",
                       "vni",
                       "the mirror VNI: the VNI of a segment that holds the session's monitor VMs "
                       "and nothing else (paragraph 0039: not for regular traffic)")
                .Of(&MirrorConfig::vni)
                .Min(1)
                .Max(16777215)
                .Note("(24 bits)")
                .Required(),
            KeyBuilder("mode",
                       "mode",
                       "unicast: one copy per VTEP of the mirroring overlay on another host "
                       "(Figs. 6-9); multicast: one copy to the group, replicated by the underlay "
                       "(Figs. 2-5)")
                .Of(&MirrorConfig::mode),
            KeyBuilder("group",
                       "group",
                       "the mirror VNI's IP multicast group (the seed's 239.0.0.1): a multicast "
                       "address outside 224.0.0.0/24, one per session")
                .Of(&MirrorConfig::group)
                .OnlyWhen("mode", {"multicast"}),
            KeyBuilder("ports",
                       "ports",
                       "the mirrored VMs, host<N>/vm<M>: their vNIC ports are mirrored (VMs of "
                       "tenant segments, not on SR-IOV VFs)")
                .Of(&MirrorConfig::ports)
                .Format("vm")
                .Required(),
            KeyBuilder("direction",
                       "direction",
                       "which traffic of the mirrored ports: both (paragraph 0041), rx (handed "
                       "to the VM) or tx (sent by the VM)")
                .Of(&MirrorConfig::direction),
            KeyBuilder("monitors",
                       "monitors",
                       "the monitor VMs, host<N>/vm<M>: VMs of the mirror VNI's segment")
                .Of(&MirrorConfig::monitors)
                .Format("vm")
                .Required(),
            KeyBuilder("unicast_to",
                       "unicastTo",
                       "the VTEPs of the mirroring overlay: overlay, every host with a VM (the "
                       "logical switch spans them: Fig. 6, where host 603 gets a copy and drops "
                       "it), or monitors, only the hosts of the monitor VMs")
                .Of(&MirrorConfig::unicastTo)
                .OnlyWhen("mode", {"unicast"}),
            KeyBuilder("list_length",
                       "listLength",
                       "most clones the mirrored-packet list of a host holds (assumed: 1,024, the "
                       "order of a transmit ring; the seed gives none)")
                .Of(&MirrorConfig::listLength)
                .Min(1)
                .Max(1000000)
                .Attribute("ns3::MirroredPacketList::MaxLength"),
            KeyBuilder("copy_time",
                       "copyTime",
                       "the worker's time to encapsulate and send one copy (assumed: 1 us, a "
                       "million copies a second on one thread; the seed gives none)")
                .Of(&MirrorConfig::copyTime)
                .Min(0, true)
                .Attribute("ns3::MirroredPacketList::CopyTime"),
        };
        return t;
    }();
    return s;
}

const Section&
SvmFailureSection()
{
    static const Section s = [] {
        Section t;
        t.name = "failures";
        t.what = "an SVM failure";
        t.shape = "an SVM failure is {kind: crash|hang|flaky|slow|interface-down|admin-fail, at: "
                  "<time>, end: <time>}";
        t.doc = "One failure of a service VM (seed 001): crash is silent (no answers, no "
                "packets, no heartbeats); hang receives and never answers or returns a packet, "
                "while its host's agent still lists it in heartbeats; flaky answers each query "
                "with a probability, data unaffected (paragraph 0047); slow returns everything "
                "late; interface-down takes its vNIC's link; admin-fail is the administrator "
                "marking it failed at the controller (paragraph 0071). At end it is healthy again.";
        t.makeDefault = DefaultOf<SvmFailureConfig>();
        t.keys = {
            KeyBuilder("kind", "kind", "what fails").Of(&SvmFailureConfig::kind),
            KeyBuilder("at", "at", "start, before the end of the scenario")
                .Of(&SvmFailureConfig::at)
                .Min(0),
            KeyBuilder("end", "end", "the SVM is healthy again (default: never)")
                .Of(&SvmFailureConfig::end),
            KeyBuilder("answer_probability",
                       "answerProbability",
                       "probability that a query is answered")
                .Of(&SvmFailureConfig::answerProbability)
                .Min(0.0)
                .Max(1.0)
                .Note("(1 answers every query)")
                .OnlyWhen("kind", {"flaky"})
                .Attribute("ns3::ServiceFunction::AnswerProbability"),
            KeyBuilder("delay", "delay", "latency added to everything the SVM returns")
                .Of(&SvmFailureConfig::delay)
                .Min(0, true)
                .OnlyWhen("kind", {"slow"})
                .Attribute("ns3::ServiceFunction::SlowDelay"),
        };
        return t;
    }();
    return s;
}

const Section&
SvmSection()
{
    static const Section s = [] {
        Section t;
        t.name = "svms";
        t.what = "a service VM";
        t.shape = "a service VM is {name: <name>, host: hostN, function: pass-through|firewall|"
                  "drop-all|nat}";
        t.doc = "A service VM (seed 001): an ns-3 node with one vNIC on its host's virtual "
                "switch (MAC 02:53:56:56:xx:yy, its index), its proxy the first stage of that "
                "port. pass-through returns every packet; firewall drops the packets to one "
                "destination port; drop-all drops every data packet but answers every liveness "
                "query (a copy-mode SVM, paragraph 0046); nat rewrites the inner source address "
                "to 10.255.255.<index + 1>.";
        t.makeDefault = DefaultOf<SvmConfig>();
        t.keys = {
            KeyBuilder("name",
                       "name",
                       "unique SVM name, as paths name it: 1 to 64 letters, "
                       "digits, '_', '-', starting with a letter or digit")
                .Of(&SvmConfig::name)
                .Format("name")
                .Required(),
            KeyBuilder("host", "host", "the host it runs on, host<N>")
                .Of(&SvmConfig::host)
                .Format("host")
                .Required(),
            KeyBuilder("function", "function", "the service it performs")
                .Of(&SvmConfig::function)
                .Attribute("ns3::ServiceFunction::Function"),
            KeyBuilder("block_port", "blockPort", "firewall: the destination port it drops")
                .Of(&SvmConfig::blockPort)
                .OnlyWhen("function", {"firewall"}),
            KeyBuilder("processing_delay",
                       "processingDelay",
                       "every packet it returns waits this (seed 001 gives no figure)")
                .Of(&SvmConfig::processingDelay)
                .Min(0)
                .Attribute("ns3::ServiceFunction::ProcessingDelay"),
            KeyBuilder("failures", "failures", "injected failures, in time order")
                .NestedList(&SvmConfig::failures, SvmFailureSection()),
        };
        return t;
    }();
    return s;
}

const Section&
ServicePathSection()
{
    static const Section s = [] {
        Section t;
        t.name = "paths";
        t.what = "a service path";
        t.shape = "a service path is {spi: <1..16777215>, svms: [<svm>, <svm>, ...]}";
        t.doc = "One path of a chain (seed 001 Fig. 3): its SPI and its SVMs in order. The "
                "service index starts at the first SVM's and drops by one at every hop (RFC "
                "8300); the last SVM has SI 1 unless indexes say otherwise.";
        t.makeDefault = DefaultOf<ServicePathConfig>();
        t.keys = {
            KeyBuilder("spi", "spi", "service path identifier, unique over all chains")
                .Of(&ServicePathConfig::spi)
                .Min(1)
                .Max(16777215)
                .Note("(24 bits)")
                .Required(),
            KeyBuilder("svms", "svms", "the SVMs in path order, two or more, each once")
                .Of(&ServicePathConfig::svms)
                .Format("name")
                .Required(),
            KeyBuilder("indexes",
                       "indexes",
                       "service index of each SVM, decreasing by one (default: n down to 1)")
                .Of(&ServicePathConfig::indexes)
                .Min(1)
                .Max(255)
                .Note("(8 bits; 0 ends a path)")
                .EchoOnlyWhenSet(),
        };
        return t;
    }();
    return s;
}

const Section&
ChainRuleSection()
{
    static const Section s = [] {
        Section t;
        t.name = "match";
        t.what = "a chain rule";
        t.shape = "a chain rule is {from: hostN/vmM, to: hostN/vmM, protocol: any|udp|tcp, "
                  "dst_port: <port>}";
        t.doc = "A service insertion rule (seed 001 paragraph 0039): a flow whose source, "
                "destination, protocol and destination port match takes the chain; an unset "
                "field matches any. The rules of the chains are tried in order.";
        t.makeDefault = DefaultOf<ChainRuleConfig>();
        t.keys = {
            KeyBuilder("from", "from", "source VM (default: any)")
                .Of(&ChainRuleConfig::from)
                .Format("vm"),
            KeyBuilder("to", "to", "destination VM (default: any)")
                .Of(&ChainRuleConfig::to)
                .Format("vm"),
            KeyBuilder("protocol", "protocol", "IP protocol: udp (udp-cbr), tcp (tcp-bulk)")
                .Of(&ChainRuleConfig::protocol),
            KeyBuilder("dst_port", "dstPort", "destination port")
                .Of(&ChainRuleConfig::dstPort)
                .Note("(0 = any)"),
        };
        return t;
    }();
    return s;
}

const Section&
ChainSection()
{
    static const Section s = [] {
        Section t;
        t.name = "chains";
        t.what = "a chain";
        t.shape = "a chain is {name: <name>, paths: [{spi, svms}, ...], match: [{from, to}, ...]}";
        t.doc = "A service chain (seed 001, SCID): the classifier on the source VM's port "
                "steers the flows its rules match into its first path whose status is UP, with "
                "an NSH inside the GENEVE encapsulation (protocol 0x894F); after the last SVM "
                "the packet goes on to its destination, or back to the source host first when "
                "the chain is orthogonal (paragraph 0054). If no path is UP the packet is "
                "dropped (no_service_path): traffic never skips a service.";
        t.makeDefault = DefaultOf<ChainConfig>();
        t.initItem = [](void* s, size_t i) {
            static_cast<ChainConfig*>(s)->name = fmt::format("chain{}", i);
        };
        t.keys = {
            NameKey(&ChainConfig::name, "chain", "chain"),
            KeyBuilder("paths", "paths", "its paths, in order of preference")
                .NestedList(&ChainConfig::paths, ServicePathSection()),
            KeyBuilder("match", "match", "the flows it takes")
                .NestedList(&ChainConfig::match, ChainRuleSection()),
            KeyBuilder("orthogonal",
                       "orthogonal",
                       "after the last SVM the packet returns to the source host, which "
                       "delivers it (paragraph 0054)")
                .Of(&ChainConfig::orthogonal),
        };
        return t;
    }();
    return s;
}

const Section&
ServicePlaneSection()
{
    static const Section s = [] {
        Section t;
        t.name = "service_plane";
        t.what = "the service plane";
        t.doc = "How service VMs are watched and their failures reported (seed 001). Each SVM's "
                "proxy sends a liveness query every query_interval (k): on the next data packet "
                "to the SVM (in-band), or as a probe of its own when there is none (idle "
                "probes); detect_mult (K) missed queries in a row, or dead_time without a valid "
                "answer, make it DOWN. k = 50 ms and K = 3 are seed 000's echo figures (seed 001 "
                "names k and K without values). The proxy reports to its host's agent, which "
                "reports to the controller over the management network (out of band, one "
                "point-to-point link per host); the controller invalidates every path through "
                "the SVM after controller_delay (1 s: seed 001 paragraph 0065's \"a few "
                "seconds\", its low end) and pushes the change to the classifiers. With "
                "reflection, the proxy of a DOWN SVM sends its packets back to the source "
                "classifier with action FAILED, which switches at once.";
        t.makeDefault = DefaultOf<ServicePlaneConfig>();
        t.keys = {
            KeyBuilder("query_interval", "queryInterval", "k: a new liveness query every interval")
                .Of(&ServicePlaneConfig::queryInterval)
                .Min(10 * US)
                .Max(60 * SEC)
                .Step(US)
                .Attribute("ns3::ServiceProxy::QueryInterval"),
            KeyBuilder("detect_mult", "detectMult", "K: missed queries in a row that make DOWN")
                .Of(&ServicePlaneConfig::detectMult)
                .Min(1)
                .Max(255)
                .Attribute("ns3::ServiceProxy::DetectMult"),
            KeyBuilder("dead_time", "deadTime", "T: no valid answer for this long is DOWN (0: off)")
                .Of(&ServicePlaneConfig::deadTime)
                .Min(0)
                .Attribute("ns3::ServiceProxy::DeadTime"),
            KeyBuilder("in_band", "inBand", "queries ride on data packets (PING bit)")
                .Of(&ServicePlaneConfig::inBand)
                .Attribute("ns3::ServiceProxy::InBandQueries"),
            KeyBuilder("idle_probes",
                       "idleProbes",
                       "a query with no data to ride on goes as a probe of its own (O bit)")
                .Of(&ServicePlaneConfig::idleProbes)
                .Attribute("ns3::ServiceProxy::IdleProbes"),
            KeyBuilder("interface_watch",
                       "interfaceWatch",
                       "an SVM's vNIC losing its link makes it DOWN at once (paragraph 0071)")
                .Of(&ServicePlaneConfig::interfaceWatch)
                .Attribute("ns3::ServiceProxy::WatchInterface"),
            KeyBuilder("reflection",
                       "reflection",
                       "a DOWN SVM's packets go back to the source classifier, which switches "
                       "paths at once (paragraph 0065); else they are dropped")
                .Of(&ServicePlaneConfig::reflection)
                .Attribute("ns3::ServiceProxy::Reflect"),
            KeyBuilder("controller",
                       "controller",
                       "the proxies report to the controller through their hosts' agents, and "
                       "it pushes path status to the classifiers (false: reflection alone)")
                .Of(&ServicePlaneConfig::controller),
            KeyBuilder("heartbeat_interval",
                       "heartbeatInterval",
                       "each agent lists its host's running SVMs to the controller every "
                       "interval, and the controller fails an SVM no heartbeat lists (0: none)")
                .Of(&ServicePlaneConfig::heartbeatInterval)
                .Min(0)
                .Attribute("ns3::ServiceAgent::HeartbeatInterval"),
            KeyBuilder("heartbeat_timeout",
                       "heartbeatTimeout",
                       "no heartbeat for this long makes an SVM DOWN at the controller")
                .Of(&ServicePlaneConfig::heartbeatTimeout)
                .Min(MS)
                .Attribute("ns3::ServiceController::HeartbeatTimeout"),
            KeyBuilder("controller_delay",
                       "controllerDelay",
                       "the controller's processing, report to table change and push")
                .Of(&ServicePlaneConfig::controllerDelay)
                .Min(0)
                .Attribute("ns3::ServiceController::ProcessingDelay"),
            KeyBuilder("agent_delay",
                       "agentDelay",
                       "an agent's processing, push to classifier reprogrammed")
                .Of(&ServicePlaneConfig::agentDelay)
                .Min(0)
                .Attribute("ns3::ServiceAgent::ProcessingDelay"),
            KeyBuilder("management_rate", "managementRate", "each host's management link")
                .Of(&ServicePlaneConfig::managementRate)
                .Min(0, true),
            KeyBuilder("management_delay",
                       "managementDelay",
                       "one-way delay between a host and the controller")
                .Of(&ServicePlaneConfig::managementDelay)
                .Min(0)
                .Attribute("ns3::ManagementNetwork::Delay"),
            KeyBuilder("pcap",
                       "pcap",
                       "capture every SVM's vNIC to <name>-<svm>.pcap in the output folder "
                       "(Ethernet type 0x894F: the NSH as the SVM sees it)")
                .Of(&ServicePlaneConfig::pcap),
        };
        return t;
    }();
    return s;
}

const Section&
OffloadSection()
{
    static const Section s = [] {
        Section t;
        t.name = "offload";
        t.what = "the offload section";
        t.doc = "NIC offload of the overlay encapsulation (seed 002 section I). On when the "
                "section is written (unless enabled: false). Each offloading host's VTEP tags "
                "its data frames for the NIC of the uplink they leave on, and that NIC looks "
                "(VNI, inner destination MAC) up in its own copy of the overlay address mapping "
                "table and builds the outer headers (the same bytes as the software path); on "
                "receive it decapsulates, checks the inner IPv4 checksum and hands the VNI and "
                "source VTEP to the software, which learns. The hypervisor keeps the master "
                "table and pushes it to its NICs on every control event (VTEP created, learning "
                "on ingress); a push is applied after push_batch_latency + push_entry_latency "
                "per entry, so a NIC is stale until then. A full table refuses new entries, "
                "which then miss: the NIC tells the hypervisor and sends the packet to the "
                "gateway, which relays it by its own full table (without a gateway the NIC "
                "drops it, nic_miss). Seed 002 gives no figures: 16384 entries, 20 us per push "
                "and 1 us per entry are assumed orders of magnitude for a datacenter NIC. A VM "
                "may use an SR-IOV virtual function of a NIC instead of a virtual switch port "
                "(vfs; max_vfs and arp_proxy here).";
        t.makeDefault = DefaultOf<OffloadConfig>();
        t.whenWritten = {{"enabled", true}};
        t.keys = {
            KeyBuilder("enabled", "enabled", "offload on").Of(&OffloadConfig::enabled),
            KeyBuilder("hosts",
                       "hosts",
                       "the hosts whose NICs offload, host<N>; empty: every host but the "
                       "gateway")
                .Of(&OffloadConfig::hosts)
                .Format("host")
                .OnlyWhen("enabled", {"true"}),
            KeyBuilder("layout",
                       "layout",
                       "one table for all VNIs (Fig. 3) or one per VNI (Fig. 4), each of "
                       "capacity entries")
                .Of(&OffloadConfig::layout)
                .Attribute("ns3::NicMappingTable::Layout")
                .OnlyWhen("enabled", {"true"}),
            KeyBuilder("capacity", "capacity", "entries a table holds")
                .Of(&OffloadConfig::capacity)
                .Min(1)
                .Max(16777216)
                .Attribute("ns3::NicMappingTable::Capacity")
                .OnlyWhen("enabled", {"true"}),
            KeyBuilder("push_batch_latency",
                       "pushBatchLatency",
                       "time a NIC takes to apply a push, whatever its size")
                .Of(&OffloadConfig::pushBatchLatency)
                .Min(0)
                .Attribute("ns3::NicMappingTable::PushBatchLatency")
                .OnlyWhen("enabled", {"true"}),
            KeyBuilder("push_entry_latency",
                       "pushEntryLatency",
                       "time a NIC takes to apply each entry of a push")
                .Of(&OffloadConfig::pushEntryLatency)
                .Min(0, true)
                .Attribute("ns3::NicMappingTable::PushEntryLatency")
                .OnlyWhen("enabled", {"true"}),
            KeyBuilder("push",
                       "push",
                       "push only the changed entries, or the whole table on every change "
                       "(paragraph 0055)")
                .Of(&OffloadConfig::push)
                .Attribute("ns3::HostMappingTable::PushMode")
                .OnlyWhen("enabled", {"true"}),
            KeyBuilder("gateway",
                       "gateway",
                       "the host whose VTEP relays what the NICs miss (paragraph 0114), "
                       "host<N>; unset: a miss is dropped")
                .Of(&OffloadConfig::gateway)
                .Format("host")
                .OnlyWhen("enabled", {"true"}),
            KeyBuilder("entry_bytes",
                       "entryBytes",
                       "memory of one table entry, for the cost only: Fig. 3's 19 bytes of "
                       "fields in a 32-byte word (assumed)")
                .Of(&OffloadConfig::entryBytes)
                .Min(19)
                .Max(4096)
                .Attribute("ns3::NicMappingTable::EntryBytes")
                .OnlyWhen("enabled", {"true"})
                .EchoOnlyWhenSet(),
            KeyBuilder("pipeline_latency",
                       "pipelineLatency",
                       "time each frame spends in a NIC's offload pipeline after its lookup, "
                       "transmit and receive (assumed)")
                .Of(&OffloadConfig::pipelineLatency)
                .Min(0, true)
                .Attribute("ns3::OffloadNic::PipelineLatency")
                .OnlyWhen("enabled", {"true"})
                .EchoOnlyWhenSet(),
            KeyBuilder("lookup_rate",
                       "lookupRate",
                       "lookups per second of a NIC's engine, transmit and receive together "
                       "(default: 10 GbE line rate of 64-byte frames both ways, 2 x 14.88 Mpps)")
                .Of(&OffloadConfig::lookupRate)
                .Min(1000)
                .Max(10000000000)
                .Attribute("ns3::OffloadNic::LookupRate")
                .OnlyWhen("enabled", {"true"})
                .EchoOnlyWhenSet(),
            KeyBuilder("ring",
                       "ring",
                       "frames a NIC's pipeline holds waiting for the engine; one more is "
                       "dropped (nic_pipeline)")
                .Of(&OffloadConfig::ring)
                .Min(1)
                .Max(1048576)
                .Attribute("ns3::OffloadNic::Ring")
                .OnlyWhen("enabled", {"true"})
                .EchoOnlyWhenSet(),
            KeyBuilder("max_vfs",
                       "maxVfs",
                       "SR-IOV virtual functions one PF (one NIC) supports, the TotalVFs of its "
                       "PCIe SR-IOV capability; vfs may give a PF at most this many (default: "
                       "the 64 pools of an Intel 82599 10 GbE port, of which Linux's ixgbe "
                       "gives at most 63 to VFs, one staying with the PF)")
                .Of(&OffloadConfig::maxVfs)
                .Min(1)
                .Max(4096)
                .OnlyWhen("enabled", {"true"})
                .EchoOnlyWhenSet(),
            KeyBuilder("arp_proxy",
                       "arpProxy",
                       "an ARP reply for a VF's VM from a VTEP the VF's table does not name goes "
                       "to the PF, and the hypervisor learns the entry and pushes it to the VF; "
                       "false: the VM gets no reply, times out and retries (paragraph 0125); "
                       "true: the hypervisor's ARP agent sends the reply to the VF's VM once the "
                       "learned entry is in the VF's table (paragraph 0126)")
                .Of(&OffloadConfig::arpProxy)
                .Attribute("ns3::OffloadNic::ArpProxy")
                .OnlyWhen("enabled", {"true"})
                .EchoOnlyWhenSet(),
            KeyBuilder("lro",
                       "lro",
                       "large receive offload (Fig. 14, 1440): the NIC holds in-order TCP "
                       "segments of one inner flow and hands them to the software together, "
                       "which pays the per-packet cost of its virtual switch once per aggregate")
                .Of(&OffloadConfig::lro)
                .Attribute("ns3::OffloadNic::Lro")
                .OnlyWhen("enabled", {"true"})
                .EchoOnlyWhenSet(),
            KeyBuilder("lro_max_bytes",
                       "lroMaxBytes",
                       "largest aggregate, in IPv4 packet bytes: a segment that would make it "
                       "larger starts a new one (default: the IPv4 maximum, RFC 791; Linux GRO "
                       "stops at 64 KiB too)")
                .Of(&OffloadConfig::lroMaxBytes)
                .Min(1500)
                .Max(65535)
                .Attribute("ns3::OffloadNic::LroMaxBytes")
                .OnlyWhen("lro", {"true"})
                .EchoOnlyWhenSet(),
            KeyBuilder("lro_timeout",
                       "lroTimeout",
                       "longest an aggregate waits for its next segment before the NIC hands it "
                       "up (default 8 us: the order of a NIC's receive interrupt moderation, "
                       "ethtool rx-usecs; an assumption)")
                .Of(&OffloadConfig::lroTimeout)
                .Min(0, true)
                .Attribute("ns3::OffloadNic::LroTimeout")
                .OnlyWhen("lro", {"true"})
                .EchoOnlyWhenSet(),
        };
        return t;
    }();
    return s;
}

const Section&
CostSection()
{
    static const Section s = [] {
        Section t;
        t.name = "cost";
        t.what = "the cost section";
        t.doc = "The weights of the fast path's modeled hardware cost (results: cost), in units "
                "of one host core. The cost is the weighted sum of the offloading NICs' table "
                "memory (MiB: provisioned entries x entry_bytes), their lookup engines (million "
                "lookups/s), their pipeline speed (1 / pipeline_latency in us), their table "
                "update rate (million entries/s: 1 / push_entry_latency), the SR-IOV VFs, and "
                "the host cores of the software data path (per host the larger of the cores "
                "host_cpu gives it and the cores its offered load needs at the host_cpu "
                "section's cycles and clock). The default weights are assumptions of the order "
                "of what each buys next to a server core (no source prices them): set them "
                "from your own prices.";
        t.makeDefault = DefaultOf<FastPathWeights>();
        t.keys = {
            KeyBuilder("memory_weight", "memoryWeight", "per MiB of NIC table memory")
                .Of(&FastPathWeights::memoryPerMib)
                .Min(0.0),
            KeyBuilder("lookup_weight",
                       "lookupWeight",
                       "per million lookups per second of a NIC's engine")
                .Of(&FastPathWeights::lookupPerMpps)
                .Min(0.0),
            KeyBuilder("pipeline_weight",
                       "pipelineWeight",
                       "per unit of a NIC's pipeline speed (1 / latency in us)")
                .Of(&FastPathWeights::pipelinePerSpeed)
                .Min(0.0),
            KeyBuilder("update_weight",
                       "updateWeight",
                       "per million table updates per second a NIC applies")
                .Of(&FastPathWeights::updatePerMps)
                .Min(0.0),
            KeyBuilder("vf_weight", "vfWeight", "per SR-IOV virtual function")
                .Of(&FastPathWeights::perVf)
                .Min(0.0),
            KeyBuilder("host_core_weight", "hostCoreWeight", "per host core of the data path")
                .Of(&FastPathWeights::perHostCore)
                .Min(0.0),
        };
        return t;
    }();
    return s;
}

const Section&
HostCpuSection()
{
    static const Section s = [] {
        Section t;
        t.name = "host_cpu";
        t.what = "the host_cpu section";
        t.doc = "The host CPU cost model of the software data path. On when the section is "
                "written (unless enabled: false). Every tunnel packet a host's VTEP sends or "
                "receives waits for one of its cores (flows spread over the cores by their hash, "
                "first come first served, backlog packets at most, more are dropped: "
                "cpu_backlog) for the cycles of its stages / clock: switch + lookup + encap + "
                "checksum + segmentation to send on the software path, switch + tag offloaded; "
                "switch + decap + checksum + learning to receive, switch alone when the NIC "
                "decapsulated it. So throughput saturates at cores x clock / cycles and latency "
                "grows with the load. Defaults: 2.5 GHz; the switch 2,000 cycles (1.25 Mpps a "
                "core); software transmit +420 cycles, 21% more per MTU-sized packet (UCC "
                "2014); software receive +1,320, the 66% receive gain of offloads (OpenStack "
                "performance report) read as cycles while the CPU is the bottleneck; backlog "
                "1000 (Linux netdev_max_backlog). Frames between VMs of one host are not "
                "charged.";
        t.makeDefault = DefaultOf<HostCpuConfig>();
        t.whenWritten = {{"enabled", true}};
        t.keys = {
            KeyBuilder("enabled", "enabled", "the model on").Of(&HostCpuConfig::enabled),
            KeyBuilder("hosts", "hosts", "the hosts with the model, host<N>; empty: every host")
                .Of(&HostCpuConfig::hosts)
                .Format("host")
                .OnlyWhen("enabled", {"true"}),
            KeyBuilder("cores", "cores", "cores of the data path")
                .Of(&HostCpuConfig::cores)
                .Min(1)
                .Max(256)
                .Attribute("ns3::HostCpu::Cores")
                .OnlyWhen("enabled", {"true"}),
            KeyBuilder("clock_ghz", "clockGhz", "clock of each core, GHz")
                .Of(&HostCpuConfig::clockGhz)
                .Min(0.01)
                .Max(100)
                .Attribute("ns3::HostCpu::ClockGhz")
                .OnlyWhen("enabled", {"true"}),
            KeyBuilder("backlog", "backlog", "packets a core holds, waiting or in service")
                .Of(&HostCpuConfig::backlog)
                .Min(1)
                .Max(1000000)
                .Attribute("ns3::HostCpu::Backlog")
                .OnlyWhen("enabled", {"true"}),
            KeyBuilder("switch_cycles",
                       "switchCycles",
                       "virtual switch forwarding, every tunnel packet")
                .Of(&HostCpuConfig::switchCycles)
                .Max(10000000)
                .Attribute("ns3::HostCpu::SwitchCycles")
                .OnlyWhen("enabled", {"true"}),
            KeyBuilder("lookup_cycles",
                       "lookupCycles",
                       "software transmit: the mapping-table lookup")
                .Of(&HostCpuConfig::lookupCycles)
                .Max(10000000)
                .Attribute("ns3::HostCpu::LookupCycles")
                .OnlyWhen("enabled", {"true"}),
            KeyBuilder("encap_cycles",
                       "encapCycles",
                       "software transmit: building the outer headers")
                .Of(&HostCpuConfig::encapCycles)
                .Max(10000000)
                .Attribute("ns3::HostCpu::EncapCycles")
                .OnlyWhen("enabled", {"true"}),
            KeyBuilder("checksum_cycles",
                       "checksumCycles",
                       "software transmit and receive: checksums")
                .Of(&HostCpuConfig::checksumCycles)
                .Max(10000000)
                .Attribute("ns3::HostCpu::ChecksumCycles")
                .OnlyWhen("enabled", {"true"}),
            KeyBuilder("segmentation_cycles",
                       "segmentationCycles",
                       "software transmit: segmentation (packets are MTU-sized: 0)")
                .Of(&HostCpuConfig::segmentationCycles)
                .Max(10000000)
                .Attribute("ns3::HostCpu::SegmentationCycles")
                .OnlyWhen("enabled", {"true"}),
            KeyBuilder("decap_cycles",
                       "decapCycles",
                       "software receive: parsing and stripping the outer headers")
                .Of(&HostCpuConfig::decapCycles)
                .Max(10000000)
                .Attribute("ns3::HostCpu::DecapCycles")
                .OnlyWhen("enabled", {"true"}),
            KeyBuilder("learning_cycles",
                       "learningCycles",
                       "software receive, or an offloaded packet the software learns from")
                .Of(&HostCpuConfig::learningCycles)
                .Max(10000000)
                .Attribute("ns3::HostCpu::LearningCycles")
                .OnlyWhen("enabled", {"true"}),
            KeyBuilder("tag_cycles", "tagCycles", "offloaded transmit: writing the NIC descriptor")
                .Of(&HostCpuConfig::tagCycles)
                .Max(10000000)
                .Attribute("ns3::HostCpu::TagCycles")
                .OnlyWhen("enabled", {"true"}),
        };
        return t;
    }();
    return s;
}

const Section&
TopSection()
{
    static const Section s = [] {
        Section t;
        t.name = "";
        t.what = "a scenario";
        t.doc = "A whole scenario. Besides these keys, `expect` holds bounds on results figures "
                "({results.path: {min, max}}, or nested mappings of the same paths) and "
                "`compare` a list of variants ({label, set: {PATH: VALUE}, expect}).";
        t.makeDefault = DefaultOf<ScenarioConfig>();
        t.keys = {
            KeyBuilder("name",
                       "name",
                       "scenario name (names the output folder): 1 to 64 letters, digits, '.', "
                       "'_', '-', starting with a letter or digit")
                .Of(&ScenarioConfig::name)
                .Format("dotted-name"),
            KeyBuilder("seed", "seed", "ns-3 RngRun; same seed = byte-identical results")
                .Of(&ScenarioConfig::seed)
                .Min(1)
                .Note("(the ns-3 run number)"),
            KeyBuilder("duration", "duration", "simulated time")
                .Of(&ScenarioConfig::duration)
                .Min(0, true),
            KeyBuilder("stats_bin", "statsBin", "goodput time-series bin, at most duration")
                .Of(&ScenarioConfig::statsBin)
                .Min(0, true),
            KeyBuilder("fabric", "fabric", "underlay")
                .Nested(&ScenarioConfig::fabric, FabricSection()),
            KeyBuilder("overlay", "overlay", "overlay")
                .Nested(&ScenarioConfig::overlay, OverlaySection()),
            KeyBuilder("monitoring", "monitoring", "tunnel monitoring (off without the section)")
                .Nested(&ScenarioConfig::monitoring, MonitoringSection()),
            KeyBuilder("traffic", "traffic", "flows")
                .NestedList(&ScenarioConfig::traffic, FlowSection()),
            KeyBuilder("faults", "faults", "faults")
                .NestedList(&ScenarioConfig::faults, FaultSection()),
            KeyBuilder("migrations", "migrations", "VMs moving to other hosts")
                .NestedList(&ScenarioConfig::migrations, MigrationSection())
                .EchoOnlyWhenSet(),
            KeyBuilder("vfs", "vfs", "VMs on SR-IOV virtual functions (need offload)")
                .NestedList(&ScenarioConfig::vfs, VfSection())
                .EchoOnlyWhenSet(),
            KeyBuilder("mirrors", "mirrors", "mirror sessions")
                .NestedList(&ScenarioConfig::mirrors, MirrorSection())
                .EchoOnlyWhenSet(),
            KeyBuilder("trace", "trace", "path trace of chosen flows (off without it)")
                .Nested(&ScenarioConfig::trace, TraceSection())
                .EchoOnlyWhenSet(),
            KeyBuilder("pcap", "pcapPorts", "links to capture (their first-named end)")
                .Of(&ScenarioConfig::pcapPorts)
                .Format("link"),
            KeyBuilder("svms", "svms", "service VMs")
                .NestedList(&ScenarioConfig::svms, SvmSection())
                .EchoOnlyWhenSet(),
            KeyBuilder("chains", "chains", "service chains (need svms)")
                .NestedList(&ScenarioConfig::chains, ChainSection())
                .EchoOnlyWhenSet(),
            KeyBuilder("service_plane",
                       "servicePlane",
                       "how service VMs are watched and their failures reported")
                .Nested(&ScenarioConfig::servicePlane, ServicePlaneSection())
                .EchoOnlyWhenSet(),
            KeyBuilder("offload", "offload", "NIC offload of the encapsulation (off without it)")
                .Nested(&ScenarioConfig::offload, OffloadSection())
                .EchoOnlyWhenSet(),
            KeyBuilder("host_cpu", "hostCpu", "host CPU cost model (off without it)")
                .Nested(&ScenarioConfig::hostCpu, HostCpuSection())
                .EchoOnlyWhenSet(),
            KeyBuilder("cost", "cost", "weights of the fast path's cost (results: cost)")
                .Nested(&ScenarioConfig::cost, CostSection())
                .EchoOnlyWhenSet(),
        };
        return t;
    }();
    return s;
}

// ---------------------------------------------------------------------------------------------
// Formatting.

std::string
FormatTimeNs(int64_t ns)
{
    if (ns != 0 && ns % SEC == 0)
    {
        return fmt::format("{}s", ns / SEC);
    }
    if (ns != 0 && ns % MS == 0)
    {
        return fmt::format("{}ms", ns / MS);
    }
    if (ns != 0 && ns % US == 0)
    {
        return fmt::format("{}us", ns / US);
    }
    return fmt::format("{}ns", ns);
}

std::string
FormatRateBps(uint64_t bps)
{
    if (bps != 0 && bps % 1000000000 == 0)
    {
        return fmt::format("{}Gbps", bps / 1000000000);
    }
    if (bps != 0 && bps % 1000000 == 0)
    {
        return fmt::format("{}Mbps", bps / 1000000);
    }
    if (bps != 0 && bps % 1000 == 0)
    {
        return fmt::format("{}kbps", bps / 1000);
    }
    return fmt::format("{}bps", bps);
}

/// \return a scalar as text: "200ms", "25Gbps", "3", "0.05", "true", "geneve"
std::string
ScalarText(Kind kind, const Json& v)
{
    switch (kind)
    {
    case Kind::TIME:
        return FormatTimeNs(v.get<int64_t>());
    case Kind::RATE:
        return FormatRateBps(v.get<uint64_t>());
    case Kind::NUMBER:
        return fmt::format("{}", v.get<double>());
    case Kind::BOOL:
        return v.get<bool>() ? "true" : "false";
    case Kind::UNSIGNED:
        return std::to_string(v.get<uint64_t>());
    default:
        return v.is_string() ? v.get<std::string>() : v.dump();
    }
}

/// Compare two canonical values of one kind: -1, 0, 1.
int
Compare(Kind kind, const Json& a, const Json& b)
{
    switch (kind)
    {
    case Kind::TIME: {
        int64_t x = a.get<int64_t>();
        int64_t y = b.get<int64_t>();
        return x < y ? -1 : x > y;
    }
    case Kind::NUMBER: {
        double x = a.get<double>();
        double y = b.get<double>();
        return x < y ? -1 : x > y;
    }
    default: {
        uint64_t x = a.get<uint64_t>();
        uint64_t y = b.get<uint64_t>();
        return x < y ? -1 : x > y;
    }
    }
}

[[noreturn]] void
Fail(const std::string& field, const std::string& message)
{
    throw ConfigError("", 0, field, message);
}

std::string
ChildPath(const std::string& parent, const std::string& key)
{
    return parent.empty() ? key : parent + "." + key;
}

/// Check one scalar value of a key (a list item or the value itself).
void
CheckValue(const Key& key, const Json& v, const std::string& field)
{
    std::string text = ScalarText(key.kind, v);
    if (key.kind == Kind::CHOICE &&
        std::find(key.choices.begin(), key.choices.end(), text) == key.choices.end())
    {
        Fail(field,
             fmt::format("'{}' is not allowed; allowed: {}", text, fmt::join(key.choices, ", ")));
    }
    if (key.kind == Kind::STRING && key.format == "name" && !text.empty() &&
        !IsSimpleName(text, false))
    {
        Fail(field,
             fmt::format("'{}' is not allowed; a {} is 1 to {} letters, digits, '_' and '-', "
                         "starting with a letter or digit (it is a segment of result paths such "
                         "as flows.<name>.delivered)",
                         text.substr(0, 80),
                         key.name,
                         MAX_NAME_LENGTH));
    }
    if (key.kind == Kind::STRING && key.format == "dotted-name" && !IsSimpleName(text, true))
    {
        Fail(field,
             fmt::format("'{}' is not allowed; a {} is 1 to {} letters, digits, '.', '_' and '-', "
                         "starting with a letter or digit, e.g. uplink-silent-blackhole (it "
                         "names the output folder)",
                         text.substr(0, 80),
                         key.name,
                         MAX_NAME_LENGTH));
    }
    bool numeric = key.kind == Kind::TIME || key.kind == Kind::RATE || key.kind == Kind::UNSIGNED ||
                   key.kind == Kind::NUMBER;
    if (!numeric)
    {
        return;
    }
    bool below = key.min && (key.minExclusive ? Compare(key.kind, v, *key.min) <= 0
                                              : Compare(key.kind, v, *key.min) < 0);
    bool above = key.max && (key.maxExclusive ? Compare(key.kind, v, *key.max) >= 0
                                              : Compare(key.kind, v, *key.max) > 0);
    if (below || above)
    {
        Fail(field, fmt::format("{} is out of range; allowed: {}", text, RangeText(key)));
    }
    if (key.kind == Kind::TIME && key.step > 0 && v.get<int64_t>() % key.step != 0)
    {
        int64_t n = v.get<int64_t>() / key.step;
        Fail(field,
             fmt::format("{} is not a whole number of {}: write {} or {}",
                         text,
                         key.step == US ? "microseconds" : FormatTimeNs(key.step),
                         FormatTimeNs(n * key.step),
                         FormatTimeNs((n + 1) * key.step)));
    }
}

/// The effective default of a key in a written section (whenWritten first, then the struct).
Json
WrittenDefault(const Section& section, const Key& key)
{
    for (const auto& [name, value] : section.whenWritten)
    {
        if (name == key.name)
        {
            return value;
        }
    }
    return key.get(section.makeDefault().get());
}

} // namespace

const Key*
Section::Find(const std::string& key) const
{
    for (const Key& k : keys)
    {
        if (k.name == key)
        {
            return &k;
        }
    }
    return nullptr;
}

bool
IsSimpleName(const std::string& text, bool allowDot)
{
    return !text.empty() && text.size() <= MAX_NAME_LENGTH &&
           std::isalnum(static_cast<unsigned char>(text[0])) &&
           std::all_of(text.begin(), text.end(), [allowDot](char c) {
               return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' ||
                      (allowDot && c == '.');
           });
}

const Section&
ScenarioSection()
{
    return TopSection();
}

std::vector<const Section*>
AllSections()
{
    return {&TopSection(),     &FabricSection(),      &TierSection(),       &OverlaySection(),
            &SegmentSection(), &RouterSection(),      &MonitoringSection(), &ClockSection(),
            &FlowSection(),    &FaultSection(),       &MigrationSection(),  &VfSection(),
            &MirrorSection(),  &TraceSection(),       &SvmSection(),        &SvmFailureSection(),
            &ChainSection(),   &ServicePathSection(), &ChainRuleSection(),  &ServicePlaneSection(),
            &OffloadSection(), &HostCpuSection(),     &CostSection()};
}

const Section*
FindSection(const std::string& name)
{
    for (const Section* s : AllSections())
    {
        if (s->name == name)
        {
            return s;
        }
    }
    return nullptr;
}

bool
IsRelevant(const Section& section, const Key& key, const void* target)
{
    if (!key.relevance)
    {
        return true;
    }
    const Key* decider = section.Find(key.relevance->key);
    std::string value = ScalarText(decider->kind, decider->get(target));
    const auto& values = key.relevance->values;
    return std::find(values.begin(), values.end(), value) != values.end();
}

bool
IsAliasRelevant(const Section& section, const Key& key, const void* target)
{
    if (!key.alias)
    {
        return false;
    }
    const Key* decider = section.Find(key.alias->when.key);
    std::string value = ScalarText(decider->kind, decider->get(target));
    const auto& values = key.alias->when.values;
    return std::find(values.begin(), values.end(), value) != values.end();
}

const std::string&
EchoName(const Section& section, const Key& key, const void* target)
{
    return IsAliasRelevant(section, key, target) ? key.alias->name : key.name;
}

std::string
RelevanceMessage(const Section& section, const Key& key, const void* target)
{
    const Key* decider = section.Find(key.relevance->key);
    return fmt::format("only meaningful when {} is {} (here {} is {}); remove it",
                       key.relevance->key,
                       fmt::join(key.relevance->values, " or "),
                       key.relevance->key,
                       ScalarText(decider->kind, decider->get(target)));
}

std::string
RangeText(const Key& key)
{
    // An unsigned key starts at 0 and, without a stated max, stops at its member's type: that
    // is the range the reader enforces (seed: 1..4294967295), so it is the range every message
    // states.
    if (key.kind == Kind::UNSIGNED && (!key.min || !key.max) &&
        (key.max || key.typeMax != std::numeric_limits<uint64_t>::max()))
    {
        Key bounded = key;
        bounded.min = key.min ? *key.min : Json(0);
        bounded.max = key.max ? *key.max : Json(key.typeMax);
        return RangeText(bounded);
    }
    std::string text;
    auto value = [&key](const Json& v) {
        bool zero = (key.kind == Kind::TIME || key.kind == Kind::RATE) && v == 0;
        return zero ? std::string("0") : ScalarText(key.kind, v);
    };
    if (key.kind == Kind::UNSIGNED && key.min && key.max && !key.minExclusive &&
        !key.maxExclusive && key.max->get<uint64_t>() == key.min->get<uint64_t>() + 1)
    {
        text = fmt::format("{} or {}", value(*key.min), value(*key.max));
    }
    else if (key.min && key.max && !key.minExclusive && !key.maxExclusive)
    {
        text = fmt::format("{}..{}", value(*key.min), value(*key.max));
    }
    else if (key.min && key.max)
    {
        text = fmt::format("{} {} {} {} {}",
                           value(*key.min),
                           key.minExclusive ? "<" : "<=",
                           key.name,
                           key.maxExclusive ? "<" : "<=",
                           value(*key.max));
    }
    else if (key.min)
    {
        text = key.minExclusive ? fmt::format("more than {}", value(*key.min))
                                : fmt::format("{} or more", value(*key.min));
    }
    else if (key.max)
    {
        text = key.maxExclusive ? fmt::format("less than {}", value(*key.max))
                                : fmt::format("at most {}", value(*key.max));
    }
    if (!key.rangeNote.empty())
    {
        text += (text.empty() ? "" : " ") + key.rangeNote;
    }
    return text;
}

Json
ToFileValue(const Key& key, const Json& canonical)
{
    if (canonical.is_null())
    {
        return canonical;
    }
    if (canonical.is_array())
    {
        Json out = Json::array();
        for (const Json& x : canonical)
        {
            out.push_back(ToFileValue(key, x));
        }
        return out;
    }
    if (key.kind == Kind::TIME || key.kind == Kind::RATE)
    {
        return ScalarText(key.kind, canonical);
    }
    return canonical;
}

void
CheckSection(const Section& section,
             const void* target,
             const void* defaults,
             const std::string& path)
{
    for (const Key& key : section.keys)
    {
        std::string field = ChildPath(path, key.name);
        if (key.kind == Kind::SECTION)
        {
            if (!key.list)
            {
                CheckSection(*key.section, key.cchild(target), key.cchild(defaults), field);
                continue;
            }
            std::shared_ptr<void> itemDefaults = key.section->makeDefault();
            for (size_t i = 0; i < key.count(target); ++i)
            {
                CheckSection(*key.section,
                             key.item(target, i),
                             itemDefaults.get(),
                             fmt::format("{}[{}]", field, i));
            }
            continue;
        }
        Json value = key.get(target);
        if (!IsRelevant(section, key, target))
        {
            if (value != key.get(defaults))
            {
                Fail(field, RelevanceMessage(section, key, target));
            }
            continue;
        }
        if (value.is_null())
        {
            continue;
        }
        if (key.list)
        {
            for (size_t i = 0; i < value.size(); ++i)
            {
                CheckValue(key, value[i], fmt::format("{}[{}]", field, i));
            }
            continue;
        }
        CheckValue(key, value, field);
        if (!key.atMost.empty())
        {
            const Key* bound = section.Find(key.atMost);
            const uint64_t n = bound->get(target).get<uint64_t>();
            if (value.get<uint64_t>() > n)
            {
                Key within = key;
                within.max = n;
                within.rangeNote.clear();
                const uint64_t lo = key.min ? key.min->get<uint64_t>() : 0;
                Fail(field,
                     fmt::format("{} is out of range; allowed: {} ({} is {}: {})",
                                 value.get<uint64_t>(),
                                 lo == n ? std::to_string(n) : RangeText(within),
                                 ChildPath(path, bound->name),
                                 n,
                                 key.atMostWhy));
            }
        }
    }
}

Json
Echo(const Section& section, const void* target)
{
    Json out = Json::object();
    for (const Key& key : section.keys)
    {
        if (!IsRelevant(section, key, target))
        {
            continue;
        }
        if (key.kind == Kind::SECTION)
        {
            if (!key.list)
            {
                Json nested = Echo(*key.section, key.cchild(target));
                if (!key.echoDefault &&
                    nested == Echo(*key.section, key.cchild(section.makeDefault().get())))
                {
                    continue; // a section added after results were published: left out unset
                }
                out[key.name] = nested;
                continue;
            }
            if (!key.echoDefault && key.count(target) == 0)
            {
                continue;
            }
            Json items = Json::array();
            for (size_t i = 0; i < key.count(target); ++i)
            {
                items.push_back(Echo(*key.section, key.item(target, i)));
            }
            if (items.empty() && !key.echoDefault)
            {
                continue; // a list added after results were published: left out while empty
            }
            out[key.name] = items;
            continue;
        }
        Json value = key.get(target);
        if (value.is_null() || (!key.echoDefault && value == key.get(section.makeDefault().get())))
        {
            continue;
        }
        out[EchoName(section, key, target)] = ToFileValue(key, value);
    }
    return out;
}

Json
EchoScenario(const ScenarioConfig& config)
{
    Json out = Echo(TopSection(), &config);
    Json expect = Json::object();
    for (const ExpectBound& e : config.expect)
    {
        Json b = Json::object();
        if (e.min)
        {
            b["min"] = *e.min;
        }
        if (e.max)
        {
            b["max"] = *e.max;
        }
        expect[e.path] = b;
    }
    out["expect"] = expect;
    return out;
}

namespace
{

/// \return text as a YAML scalar: plain when that reads back as the same string, else quoted
std::string
YamlString(const std::string& text)
{
    bool plain = !text.empty() && text != "null" && text != "Null" && text != "NULL" &&
                 text != "true" && text != "false";
    for (size_t i = 0; plain && i < text.size(); ++i)
    {
        char c = text[i];
        plain = std::isalnum(static_cast<unsigned char>(c)) || c == '_' ||
                (i > 0 && (c == '-' || c == '.' || c == '/'));
    }
    // A plain scalar made of digits (and dots) would read back as a number.
    plain = plain && !std::all_of(text.begin(), text.end(), [](char c) {
                return std::isdigit(static_cast<unsigned char>(c)) || c == '.';
            });
    if (plain)
    {
        return text;
    }
    std::string out = "\"";
    for (char c : text)
    {
        if (c == '"' || c == '\\')
        {
            out += '\\';
            out += c;
        }
        else if (static_cast<unsigned char>(c) < 0x20)
        {
            out += fmt::format("\\x{:02x}", static_cast<unsigned char>(c));
        }
        else
        {
            out += c;
        }
    }
    return out + "\"";
}

std::string
YamlScalar(const Json& v)
{
    if (v.is_string())
    {
        return YamlString(v.get<std::string>());
    }
    if (v.is_number_float())
    {
        return fmt::format("{}", v.get<double>());
    }
    return v.dump(); // integers, booleans, null
}

bool
IsScalar(const Json& v)
{
    return !v.is_object() && !v.is_array();
}

void
WriteYaml(std::ostream& os, const Json& object, int indent)
{
    std::string pad(indent, ' ');
    for (const auto& [key, v] : object.items())
    {
        os << pad << YamlString(key) << ":";
        if (IsScalar(v))
        {
            os << " " << YamlScalar(v) << "\n";
        }
        else if (v.empty())
        {
            os << (v.is_object() ? " {}" : " []") << "\n";
        }
        else if (v.is_object())
        {
            os << "\n";
            WriteYaml(os, v, indent + 2);
        }
        else if (std::all_of(v.begin(), v.end(), IsScalar))
        {
            std::vector<std::string> items;
            for (const Json& x : v)
            {
                items.push_back(YamlScalar(x));
            }
            os << " [" << fmt::format("{}", fmt::join(items, ", ")) << "]\n";
        }
        else
        {
            os << "\n";
            for (const Json& item : v)
            {
                std::ostringstream block;
                WriteYaml(block, item, indent + 4);
                std::string text = block.str();
                os << pad << "  - " << (text.empty() ? "{}\n" : text.substr(indent + 4));
            }
        }
    }
}

} // namespace

std::string
EchoScenarioYaml(const ScenarioConfig& config)
{
    std::ostringstream os;
    WriteYaml(os, EchoScenario(config), 0);
    return os.str();
}

// ---------------------------------------------------------------------------------------------
// JSON Schema and the reference.

namespace
{

const char* TIME_PATTERN =
    R"(^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?[ \t]*(ns|us|ms|s)$)";
const char* RATE_PATTERN =
    R"(^[+]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?[ \t]*(bps|kbps|Mbps|Gbps)$)";
const char* INDEX = "(0|[1-9][0-9]*)";

std::string
FormatPattern(const std::string& format)
{
    if (format == "vm")
    {
        return fmt::format("^host{}/vm{}$", INDEX, INDEX);
    }
    if (format == "host")
    {
        return fmt::format("^host{}$", INDEX);
    }
    if (format == "link")
    {
        return fmt::format("^(host{}/uplink{}|leaf{}-spine{})$", INDEX, INDEX, INDEX, INDEX);
    }
    if (format == "name")
    {
        return "^[A-Za-z0-9_-]+$";
    }
    if (format == "dotted-name")
    {
        return "^[A-Za-z0-9_.-]+$";
    }
    return "";
}

Json SectionSchema(const Section& section, const void* defaults);

Json
ScalarSchema(const Key& key)
{
    Json s = Json::object();
    switch (key.kind)
    {
    case Kind::BOOL:
        s["type"] = "boolean";
        break;
    case Kind::UNSIGNED:
    case Kind::NUMBER:
        s["type"] = key.kind == Kind::UNSIGNED ? "integer" : "number";
        if (key.kind == Kind::UNSIGNED && !key.min)
        {
            s["minimum"] = 0;
        }
        if (key.min)
        {
            s[key.minExclusive ? "exclusiveMinimum" : "minimum"] = *key.min;
        }
        if (key.max)
        {
            s[key.maxExclusive ? "exclusiveMaximum" : "maximum"] = *key.max;
        }
        break;
    case Kind::TIME:
        s["type"] = "string";
        s["pattern"] = TIME_PATTERN;
        break;
    case Kind::RATE:
        s["type"] = "string";
        s["pattern"] = RATE_PATTERN;
        break;
    case Kind::STRING:
        s["type"] = "string";
        if (!FormatPattern(key.format).empty())
        {
            s["pattern"] = FormatPattern(key.format);
        }
        break;
    case Kind::CHOICE:
        s["enum"] = key.choices;
        break;
    case Kind::SECTION:
        break;
    }
    return s;
}

Json
KeySchema(const Key& key, const void* defaults)
{
    Json s;
    if (key.kind == Kind::SECTION)
    {
        const void* inner = key.list ? nullptr : key.cchild(defaults);
        std::shared_ptr<void> item = key.section->makeDefault();
        Json section = SectionSchema(*key.section, key.list ? item.get() : inner);
        s = key.list ? Json{{"type", "array"}, {"items", section}} : section;
    }
    else
    {
        s = key.list ? Json{{"type", "array"}, {"items", ScalarSchema(key)}} : ScalarSchema(key);
    }
    std::string range = RangeText(key);
    s["description"] =
        key.doc + (range.empty() || key.kind == Kind::SECTION ? "" : "; allowed: " + range);
    if (key.kind != Kind::SECTION && !key.optional && !key.required && defaults != nullptr)
    {
        s["default"] = ToFileValue(key, key.get(defaults));
    }
    return s;
}

Json
SectionSchema(const Section& section, const void* defaults)
{
    Json props = Json::object();
    Json required = Json::array();
    Json conditions = Json::array();
    // "name may be written only when the decider has one of these values".
    auto onlyWhen = [&section, &conditions](const std::string& name, const Relevance& when) {
        const Key* decider = section.Find(when.key);
        Json values = Json::array();
        for (const std::string& v : when.values)
        {
            values.push_back(decider->kind == Kind::BOOL       ? Json(v == "true")
                             : decider->kind == Kind::UNSIGNED ? Json(std::stoull(v))
                                                               : Json(v));
        }
        Json condition{{"properties", {{decider->name, {{"enum", values}}}}}};
        std::string byDefault = ScalarText(decider->kind, WrittenDefault(section, *decider));
        if (std::find(when.values.begin(), when.values.end(), byDefault) == when.values.end())
        {
            condition["required"] = Json::array({decider->name});
        }
        conditions.push_back(Json{{"if", condition}, {"else", {{"not", {{"required", {name}}}}}}});
    };
    for (const Key& key : section.keys)
    {
        props[key.name] = KeySchema(key, defaults);
        if (key.required)
        {
            required.push_back(key.name);
        }
        if (key.relevance)
        {
            onlyWhen(key.name, *key.relevance);
        }
        if (!key.atMost.empty())
        {
            // One condition per value of the bounding key: its range is small (1..8).
            const Key* bound = section.Find(key.atMost);
            const uint64_t byDefault = WrittenDefault(section, *bound).get<uint64_t>();
            for (uint64_t n = bound->min->get<uint64_t>(); n <= bound->max->get<uint64_t>(); ++n)
            {
                Json condition{{"properties", {{bound->name, {{"const", n}}}}}};
                if (n != byDefault)
                {
                    condition["required"] = Json::array({bound->name});
                }
                conditions.push_back(
                    Json{{"if", condition},
                         {"then", {{"properties", {{key.name, {{"maximum", n}}}}}}}});
            }
        }
        if (key.alias)
        {
            Json alias = KeySchema(key, defaults);
            alias["description"] = fmt::format("{} (the name of {} when {} is {})",
                                               alias["description"].get<std::string>(),
                                               key.name,
                                               key.alias->when.key,
                                               fmt::join(key.alias->when.values, " or "));
            props[key.alias->name] = alias;
            onlyWhen(key.alias->name, key.alias->when);
            conditions.push_back(
                Json{{"not", {{"required", Json::array({key.name, key.alias->name})}}}});
        }
    }
    Json s{{"type", "object"},
           {"description", section.doc},
           {"additionalProperties", false},
           {"properties", props}};
    if (!required.empty())
    {
        s["required"] = required;
    }
    if (!conditions.empty())
    {
        s["allOf"] = conditions;
    }
    return s;
}

} // namespace

Json
JsonSchema()
{
    std::shared_ptr<void> defaults = TopSection().makeDefault();
    Json s = SectionSchema(TopSection(), defaults.get());
    Json bound{{"type", "object"},
               {"additionalProperties", false},
               {"minProperties", 1},
               {"properties", {{"min", {{"type", "number"}}}, {"max", {{"type", "number"}}}}}};
    Json group{
        {"type", "object"},
        {"additionalProperties",
         {{"anyOf", Json::array({{{"$ref", "#/$defs/bound"}}, {{"$ref", "#/$defs/group"}}})}}}};
    s["properties"]["expect"] = Json{{"$ref", "#/$defs/group"},
                                     {"description",
                                      "bounds on results figures: {results.path: {min, max}}, "
                                      "or nested mappings of the same paths"}};
    s["properties"]["compare"] =
        Json{{"type", "array"},
             {"minItems", 1},
             {"description", "variants run side by side: {label, set: {PATH: VALUE}, expect}"},
             {"items",
              {{"type", "object"},
               {"additionalProperties", false},
               {"required", {"label"}},
               {"properties",
                {{"label", {{"type", "string"}, {"pattern", "^[A-Za-z0-9_-]+$"}}},
                 {"set", {{"type", "object"}}},
                 {"expect", {{"$ref", "#/$defs/group"}}}}}}}};
    Json out{{"$schema", "https://json-schema.org/draft/2020-12/schema"},
             {"$id", "https://github.com/ns3-overlay-fabric/scenario.schema.json"},
             {"title", "ns3-overlay-fabric scenario"}};
    for (auto& [k, v] : s.items())
    {
        out[k] = v;
    }
    out["$defs"] = Json{{"bound", bound}, {"group", group}};
    return out;
}

namespace
{

std::string
KindText(const Key& key)
{
    std::string text;
    switch (key.kind)
    {
    case Kind::BOOL:
        text = "true/false";
        break;
    case Kind::UNSIGNED:
        text = "whole number";
        break;
    case Kind::NUMBER:
        text = "number";
        break;
    case Kind::TIME:
        text = "time";
        break;
    case Kind::RATE:
        text = "rate";
        break;
    case Kind::STRING:
        text = key.format == "vm"     ? "VM name"
               : key.format == "host" ? "host name"
               : key.format == "link" ? "link name"
                                      : "name";
        break;
    case Kind::CHOICE:
        text = fmt::format("{}", fmt::join(key.choices, " \\| "));
        break;
    case Kind::SECTION:
        text = "[" + key.section->name + "](#" + key.section->name + ")";
        break;
    }
    if (!key.unit.empty())
    {
        text += ", " + key.unit;
    }
    return key.list ? "list of " + text : text;
}

void
WriteSectionReference(std::ostream& os, const Section& section, const void* defaults)
{
    for (const Key& key : section.keys)
    {
        std::string def = "-";
        if (key.required)
        {
            def = "required";
        }
        else if (key.optional || key.kind == Kind::SECTION || defaults == nullptr)
        {
            def = key.optional ? "unset" : "-";
        }
        else
        {
            Json v = ToFileValue(key, key.get(defaults));
            def = v.is_string() ? (v.get<std::string>().empty() ? "\"\"" : v.get<std::string>())
                                : v.dump();
            if (v.is_array())
            {
                def = v.empty() ? "[]" : v.dump();
            }
        }
        std::string when = key.relevance ? fmt::format("{} is {}",
                                                       key.relevance->key,
                                                       fmt::join(key.relevance->values, " or "))
                                         : "";
        std::string attribute = key.attribute.empty() ? "" : "`" + key.attribute + "`";
        os << fmt::format("| `{}` | {} | {} | {} | {} | {} | {} |\n",
                          key.name,
                          KindText(key),
                          def,
                          RangeText(key),
                          when,
                          attribute,
                          key.doc);
        if (key.alias)
        {
            os << fmt::format("| `{}` | {} | {} | {} | {} is {} | {} | `{}` under the name it "
                              "has then (one of the two) |\n",
                              key.alias->name,
                              KindText(key),
                              def,
                              RangeText(key),
                              key.alias->when.key,
                              fmt::join(key.alias->when.values, " or "),
                              attribute,
                              key.name);
        }
    }
}

} // namespace

std::string
ReferenceMarkdown()
{
    std::ostringstream os;
    os << "# Scenario file reference\n\n"
       << "Generated from the schema tables (helper/scenario/scenario-schema.cc) by\n"
       << "`overlay-fabric schema --markdown`; do not edit by hand (a test fails when it is "
          "stale).\n"
       << "The same tables give the JSON Schema (`overlay-fabric schema`), the loader, the "
          "errors, the\n"
       << "echo in `scenario.yaml` and results.json, and the Python properties.\n\n"
       << "Times are a number and a unit (ns, us, ms, s: `200ms`, `1.5us`); rates a number and "
          "a unit\n"
       << "(bps, kbps, Mbps, Gbps, decimal: `25Gbps`); both must be exact (whole nanoseconds, "
          "whole bits per\n"
       << "second). VM names are `host<N>/vm<M>`, link names `host<N>/uplink<K>` or "
          "`leaf<L>-spine<S>`.\n"
       << "\"applies when\" names the key that decides whether a key may be written.\n";
    std::shared_ptr<void> top = TopSection().makeDefault();

    struct Item
    {
        const Section* section;
        std::string title;
        const void* defaults;
    };

    auto* cfg = static_cast<const ScenarioConfig*>(top.get());
    FlowConfig flow;
    FaultConfig fault;
    MigrationConfig migration;
    VfConfig vf;
    MirrorConfig mirror;
    SegmentConfig segment;
    RouterConfig router;
    ClockConfig clock;
    SvmConfig svm;
    SvmFailureConfig svmFailure;
    ChainConfig chain;
    ServicePathConfig servicePath;
    ChainRuleConfig chainRule;
    std::vector<Item> items{{&TopSection(), "top level", cfg},
                            {&FabricSection(), "fabric", &cfg->fabric},
                            {&TierSection(), "tier", nullptr},
                            {&OverlaySection(), "overlay", &cfg->overlay},
                            {&SegmentSection(), "segments", &segment},
                            {&RouterSection(), "routers", &router},
                            {&MonitoringSection(), "monitoring", &cfg->monitoring},
                            {&ClockSection(), "clocks", &clock},
                            {&FlowSection(), "traffic", &flow},
                            {&FaultSection(), "faults", &fault},
                            {&MigrationSection(), "migrations", &migration},
                            {&VfSection(), "vfs", &vf},
                            {&MirrorSection(), "mirrors", &mirror},
                            {&TraceSection(), "trace", &cfg->trace},
                            {&SvmSection(), "svms", &svm},
                            {&SvmFailureSection(), "failures", &svmFailure},
                            {&ChainSection(), "chains", &chain},
                            {&ServicePathSection(), "paths", &servicePath},
                            {&ChainRuleSection(), "match", &chainRule},
                            {&ServicePlaneSection(), "service_plane", &cfg->servicePlane},
                            {&OffloadSection(), "offload", &cfg->offload},
                            {&HostCpuSection(), "host_cpu", &cfg->hostCpu},
                            {&CostSection(), "cost", &cfg->cost}};
    for (const Item& item : items)
    {
        os << "\n## " << (item.section->name.empty() ? item.title : item.section->name) << "\n\n"
           << item.section->doc << "\n";
        if (item.section == &TierSection())
        {
            os << "Defaults: access " << FormatRateBps(cfg->fabric.access.rate.GetBitRate()) << ", "
               << FormatTimeNs(cfg->fabric.access.delay.GetNanoSeconds()) << ", mtu "
               << cfg->fabric.access.mtu << ", queue_bytes " << cfg->fabric.access.queueBytes
               << "; core " << FormatRateBps(cfg->fabric.core.rate.GetBitRate()) << ", "
               << FormatTimeNs(cfg->fabric.core.delay.GetNanoSeconds()) << ", mtu "
               << cfg->fabric.core.mtu << ", queue_bytes " << cfg->fabric.core.queueBytes << ".\n";
        }
        os << "\n| key | type | default | allowed | applies when | ns-3 attribute | description "
              "|\n"
           << "| --- | --- | --- | --- | --- | --- | --- |\n";
        WriteSectionReference(os, *item.section, item.defaults);
    }
    return os.str();
}

void
ApplyAttributes(const Section& section, const void* target, Ptr<Object> object)
{
    TypeId tid = object->GetInstanceTypeId();
    for (const Key& key : section.keys)
    {
        if (key.attribute.empty())
        {
            continue;
        }
        size_t split = key.attribute.rfind("::");
        std::string className = key.attribute.substr(0, split);
        std::string attribute = key.attribute.substr(split + 2);
        bool matches = false;
        for (TypeId t = tid;; t = t.GetParent())
        {
            matches = matches || t.GetName() == className;
            if (t == t.GetParent())
            {
                break;
            }
        }
        Json value = key.get(target);
        if (!matches || value.is_null() || !IsRelevant(section, key, target))
        {
            continue;
        }
        std::string text = key.kind == Kind::TIME ? fmt::format("{}ns", value.get<int64_t>())
                                                  : ScalarText(key.kind, value);
        object->SetAttribute(attribute, StringValue(text));
    }
}

} // namespace schema
} // namespace ns3
