// The scenario schema tables: defaults from the structs, ranges, relevance, the echo, and the
// agreement of every ns-3 Attribute a key names with that key's default and range.
#include "scenario-loader.h"
#include "scenario-schema.h"

#include "ns3/double.h"
#include "ns3/nstime.h"
#include "ns3/object-factory.h"
#include "ns3/string.h"
#include "ns3/uinteger.h"

#include <cmath>
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <set>

using namespace ns3;
using schema::Json;
using schema::Key;
using schema::Kind;
using schema::Section;

namespace
{

const Key&
KeyOf(const std::string& section, const std::string& name)
{
    const Section* s = schema::FindSection(section);
    EXPECT_NE(s, nullptr) << section;
    const Key* k = s->Find(name);
    EXPECT_NE(k, nullptr) << section << "." << name;
    return *k;
}

/// The text an ns-3 attribute parser takes for a canonical value of \p key.
std::string
AttributeText(const Key& key, const Json& v)
{
    if (key.kind == Kind::TIME)
    {
        return std::to_string(v.get<int64_t>()) + "ns";
    }
    if (key.kind == Kind::NUMBER)
    {
        return fmt::format("{}", v.get<double>());
    }
    return v.is_string() ? v.get<std::string>() : v.dump();
}

/// A canonical value one step beyond \p bound (below when \p down).
Json
Beyond(const Key& key, const Json& bound, bool down)
{
    switch (key.kind)
    {
    case Kind::TIME:
        return bound.get<int64_t>() + (down ? -1 : 1);
    case Kind::NUMBER:
        return std::nextafter(bound.get<double>(), down ? -1e300 : 1e300);
    default:
        return bound.get<uint64_t>() + (down ? -1 : 1);
    }
}

/// Every key of every section, with its section.
std::vector<std::pair<const Section*, const Key*>>
AllKeys()
{
    std::vector<std::pair<const Section*, const Key*>> keys;
    for (const Section* s : schema::AllSections())
    {
        for (const Key& k : s->keys)
        {
            keys.emplace_back(s, &k);
        }
    }
    return keys;
}

} // namespace

TEST(Schema, DefaultsComeFromTheStructs)
{
    MonitoringConfig m;
    EXPECT_EQ(KeyOf("monitoring", "tx_interval").get(&m), Json(m.txInterval.GetNanoSeconds()));
    m.txInterval = MilliSeconds(7);
    EXPECT_EQ(KeyOf("monitoring", "tx_interval").get(&m), Json(int64_t{7000000}));
    FaultConfig f;
    EXPECT_EQ(KeyOf("faults", "fraction").get(&f), Json(1.0));
    EXPECT_EQ(KeyOf("faults", "kind").get(&f), Json("link-down"));
    // The two tiers share one table; their defaults come from the fabric struct, not the table.
    ScenarioConfig cfg;
    Json echo = schema::EchoScenario(cfg);
    EXPECT_EQ(echo["fabric"]["access"]["rate"], "25Gbps");
    EXPECT_EQ(echo["fabric"]["core"]["rate"], "100Gbps");
    EXPECT_EQ(echo["fabric"]["core"]["queue_bytes"], 4000000);
}

TEST(Schema, EveryKeyHasADocAndAKnownMember)
{
    for (const auto& [section, key] : AllKeys())
    {
        EXPECT_FALSE(key->doc.empty()) << section->name << "." << key->name;
        EXPECT_FALSE(key->member.empty()) << section->name << "." << key->name;
        if (key->relevance)
        {
            EXPECT_NE(section->Find(key->relevance->key), nullptr) << key->name;
        }
    }
}

TEST(Schema, RangeTextsSayWhatIsAllowed)
{
    EXPECT_EQ(schema::RangeText(KeyOf("monitoring", "tx_interval")), "1us..60s");
    EXPECT_EQ(schema::RangeText(KeyOf("monitoring", "detect_mult")),
              "1..255 (an 8-bit field in RFC 5880)");
    EXPECT_EQ(schema::RangeText(KeyOf("faults", "fraction")),
              "0 < fraction <= 1 (1 drops every frame)");
    EXPECT_EQ(schema::RangeText(KeyOf("monitoring", "loss_threshold")),
              "0 <= loss_threshold < 1 (a fraction of the last 100 echoes)");
    EXPECT_EQ(schema::RangeText(KeyOf("tier", "delay")), "0 or more");
    EXPECT_EQ(schema::RangeText(KeyOf("fabric", "uplinks_per_host")),
              "1..8 (and at most fabric.leaves_per_rack: each uplink goes to a different leaf "
              "of the rack)");
    EXPECT_EQ(schema::RangeText(KeyOf("fabric", "leaves_per_rack")), "1..8");
}

TEST(Schema, KeyThatDoesNotApplyIsRefusedWithOneWording)
{
    FlowConfig flow;
    flow.kind = FlowKind::TCP_BULK;
    const Section& s = *schema::FindSection("traffic");
    const Key& rate = *s.Find("rate");
    EXPECT_FALSE(schema::IsRelevant(s, rate, &flow));
    EXPECT_EQ(schema::RelevanceMessage(s, rate, &flow),
              "only meaningful when kind is udp-cbr (here kind is tcp-bulk); remove it");
    flow.kind = FlowKind::UDP_CBR;
    EXPECT_TRUE(schema::IsRelevant(s, rate, &flow));
}

TEST(Schema, EchoLeavesOutKeysThatDoNotApplyAndUnsetOptionals)
{
    ScenarioConfig cfg;
    cfg.traffic.resize(1);
    cfg.traffic[0].kind = FlowKind::TCP_BULK;
    cfg.faults.resize(1);
    Json echo = schema::EchoScenario(cfg);
    EXPECT_FALSE(echo["traffic"][0].contains("rate"));
    EXPECT_FALSE(echo["traffic"][0].contains("stop"));
    EXPECT_FALSE(echo["faults"][0].contains("fraction"));
    EXPECT_FALSE(echo["faults"][0].contains("direction"));
    EXPECT_FALSE(echo["overlay"].contains("preferred_uplink"));  // flow-hash has none
    EXPECT_FALSE(echo["monitoring"].contains("rtt_hysteresis")); // monitoring off
    EXPECT_EQ(echo["monitoring"]["enabled"], false);
    EXPECT_EQ(echo["duration"], "2s");
}

TEST(Schema, EchoReadsBackIntoTheSameScenario)
{
    ScenarioConfig cfg =
        LoadScenarioFile(std::string(OVERLAY_FABRIC_SOURCE_DIR) + "/test/data/valid-full.yaml");
    std::ostringstream yaml;
    yaml << cfg;
    ScenarioConfig back = LoadScenarioString(yaml.str(), cfg.sourceFile);
    EXPECT_EQ(schema::EchoScenario(back).dump(), schema::EchoScenario(cfg).dump());
    EXPECT_EQ(back.monitoring.txInterval, cfg.monitoring.txInterval);
    EXPECT_EQ(back.faults.size(), cfg.faults.size());
    EXPECT_EQ(back.expect.size(), cfg.expect.size());
}

TEST(Schema, MonitoringSectionIsOnWhenWrittenAndPresetFillsTheTimers)
{
    ScenarioConfig cfg =
        LoadScenarioString("monitoring: {tx_interval: 20ms, preset: aggressive}\n");
    EXPECT_TRUE(cfg.monitoring.enabled);
    EXPECT_EQ(cfg.monitoring.txInterval, MilliSeconds(20)); // explicit key over the preset
    EXPECT_EQ(cfg.monitoring.rxInterval, MilliSeconds(50)); // from the preset
    EXPECT_EQ(cfg.monitoring.preset, "aggressive");
}

/// Every key that names an ns-3 Attribute: the Attribute exists, its initial value is the key's
/// default, and its checker takes every value the key allows and refuses the values just beyond.
TEST(Schema, AttributesAgreeWithTheirKeys)
{
    int checked = 0;
    std::shared_ptr<void> top = schema::ScenarioSection().makeDefault();
    auto* cfg = static_cast<const ScenarioConfig*>(top.get());
    static const ClockConfig clock;
    static const SvmConfig svm;
    static const SvmFailureConfig svmFailure;
    static const MirrorConfig mirror;
    auto defaultsOf = [cfg](const Section* s) -> const void* {
        if (s->name == "clocks")
        {
            return &clock;
        }
        if (s->name == "svms")
        {
            return &svm;
        }
        if (s->name == "mirrors")
        {
            return &mirror;
        }
        if (s->name == "failures")
        {
            return &svmFailure;
        }
        if (s->name == "service_plane")
        {
            return &cfg->servicePlane;
        }
        if (s->name == "offload")
        {
            return &cfg->offload;
        }
        if (s->name == "host_cpu")
        {
            return &cfg->hostCpu;
        }
        if (s->name == "monitoring")
        {
            return &cfg->monitoring;
        }
        if (s->name == "overlay")
        {
            return &cfg->overlay;
        }
        if (s->name == "fabric")
        {
            return &cfg->fabric;
        }
        return nullptr;
    };
    for (const auto& [section, key] : AllKeys())
    {
        if (key->attribute.empty())
        {
            continue;
        }
        SCOPED_TRACE(section->name + "." + key->name + " -> " + key->attribute);
        size_t split = key->attribute.rfind("::");
        TypeId tid;
        ASSERT_TRUE(TypeId::LookupByNameFailSafe(key->attribute.substr(0, split), &tid));
        TypeId::AttributeInformation info;
        ASSERT_TRUE(tid.LookupAttributeByName(key->attribute.substr(split + 2), &info));
        auto accepts = [&](const Json& v) {
            return info.checker->CreateValidValue(StringValue(AttributeText(*key, v))) != nullptr;
        };
        auto serialized = [&](const Json& v) {
            return info.checker->CreateValidValue(StringValue(AttributeText(*key, v)))
                ->SerializeToString(info.checker);
        };
        std::string initial = info.initialValue->SerializeToString(info.checker);
        const void* defaults = defaultsOf(section);
        ASSERT_NE(defaults, nullptr);
        Json def = key->get(defaults);
        if (!key->optional)
        {
            ASSERT_TRUE(accepts(def));
            EXPECT_EQ(serialized(def), initial) << "default";
        }
        // An optional key left unset keeps the Attribute at its initial value ("off"), which may
        // lie outside the key's range (0 = no RTT threshold, 1 = no loss threshold).
        auto isOff = [&](const Json& v) {
            return key->optional && accepts(v) && serialized(v) == initial;
        };
        if (key->min)
        {
            if (!key->minExclusive)
            {
                EXPECT_TRUE(accepts(*key->min)) << "min";
            }
            Json below = key->minExclusive ? *key->min : Beyond(*key, *key->min, true);
            EXPECT_TRUE(!accepts(below) || isOff(below)) << "below min";
        }
        if (key->max)
        {
            if (!key->maxExclusive)
            {
                EXPECT_TRUE(accepts(*key->max)) << "max";
            }
            Json above = key->maxExclusive ? *key->max : Beyond(*key, *key->max, false);
            EXPECT_TRUE(!accepts(above) || isOff(above)) << "above max";
        }
        for (const std::string& choice : key->choices)
        {
            EXPECT_TRUE(accepts(choice)) << choice;
        }
        ++checked;
    }
    EXPECT_GE(checked, 10);
}

TEST(Schema, ApplyAttributesSetsTheNamedAttributes)
{
    MonitoringConfig m;
    m.enabled = true;
    m.txInterval = MilliSeconds(20);
    m.detectMult = 5;
    m.mode = BfdMode::SEAMLESS;
    m.lossThreshold = 0.25;
    ObjectFactory factory("ns3::UplinkMonitor");
    Ptr<Object> monitor = factory.Create();
    schema::ApplyAttributes(*schema::FindSection("monitoring"), &m, monitor);
    TimeValue tx;
    monitor->GetAttribute("TxInterval", tx);
    EXPECT_EQ(tx.Get(), MilliSeconds(20));
    UintegerValue mult;
    monitor->GetAttribute("DetectMult", mult);
    EXPECT_EQ(mult.Get(), 5u);
    StringValue mode;
    monitor->GetAttribute("Mode", mode);
    EXPECT_EQ(mode.Get(), "seamless");
    DoubleValue loss;
    monitor->GetAttribute("LossThreshold", loss);
    EXPECT_DOUBLE_EQ(loss.Get(), 0.25);
    TimeValue rtt; // unset optional: the Attribute keeps its "off" value
    monitor->GetAttribute("RttThreshold", rtt);
    EXPECT_EQ(rtt.Get(), Time(0));
}

TEST(Schema, ReferenceAndJsonSchemaNameEveryKey)
{
    std::string md = schema::ReferenceMarkdown();
    Json js = schema::JsonSchema();
    EXPECT_EQ(js["$schema"], "https://json-schema.org/draft/2020-12/schema");
    for (const auto& [section, key] : AllKeys())
    {
        EXPECT_NE(md.find("| `" + key->name + "` |"), std::string::npos) << key->name;
    }
    EXPECT_EQ(js["properties"]["monitoring"]["properties"]["detect_mult"]["maximum"], 255);
    EXPECT_EQ(js["properties"]["fabric"]["properties"]["access"]["properties"]["rate"]["default"],
              "25Gbps");
}

TEST(TopologyRef, NamesParseOnceAndFormatBack)
{
    VmRef vm("host12/vm3");
    ASSERT_TRUE(vm.IsValid());
    EXPECT_EQ(vm.GetHostIndex(), 12u);
    EXPECT_EQ(vm.GetVmIndex(), 3u);
    EXPECT_EQ(vm.Format(), "host12/vm3");
    EXPECT_EQ(VmRef(12, 3), vm);
    LinkRef up("host3/uplink1");
    ASSERT_TRUE(up.IsHostUplink());
    EXPECT_EQ(up.GetFirst(), 3u);
    EXPECT_EQ(up.GetSecond(), 1u);
    LinkRef core("leaf2-spine0");
    ASSERT_TRUE(core.IsValid());
    EXPECT_EQ(core.GetKind(), LinkRef::Kind::LEAF_SPINE);
    EXPECT_EQ(core.Format(), "leaf2-spine0");
    EXPECT_EQ(HostRef::Parse("host7")->GetIndex(), 7u);
}

TEST(TopologyRef, TextThatIsNotANameIsKeptForTheMessage)
{
    for (const char* text :
         {"host01/vm0", "host1/vm", "host1/vm0 ", "Host1/vm0", "host4294967296/vm0", ""})
    {
        VmRef vm(text);
        EXPECT_FALSE(vm.IsValid()) << text;
        EXPECT_EQ(vm.Format(), text);
    }
    EXPECT_TRUE(VmRef("host4294967295/vm0").IsValid());
    EXPECT_FALSE(LinkRef("leaf0-spine").IsValid());
    EXPECT_FALSE(LinkRef("host0-uplink0").IsValid());
    EXPECT_NE(VmRef("nope"), VmRef("nope2"));
    ScenarioConfig cfg;
    cfg.overlay.segments = {SegmentConfig{5000, {"host0/vm0", "host01/vm0"}}};
    try
    {
        cfg.Validate();
        FAIL() << "validated";
    }
    catch (const ConfigError& e)
    {
        EXPECT_EQ(e.GetField(), "overlay.segments[0].vms[1]");
        EXPECT_NE(e.GetMessage().find("'host01/vm0' is not a VM name"), std::string::npos);
    }
}
