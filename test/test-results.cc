// Results paths (helper/scenario/results-path.h), the results schema (results-shape.h) and the
// comparison table (helper/scenario/comparison.h): one resolver for expect bounds, the CLI, compare
// and Python, and cells that are exactly the CLI's.

#include "comparison.h"
#include "results-path.h"
#include "results-shape.h"
#include "scenario-config.h"
#include "scenario-feature.h"
#include "scenario-runner.h"

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <gtest/gtest.h>
#include <string>
#include <vector>

namespace
{

using namespace ns3;
using Json = nlohmann::ordered_json;

/// Results shaped like results.json, small enough to check by hand.
Json
KnownResults()
{
    return Json::parse(R"({
      "flows": {
        "f0": {"lost": 3, "goodput_bps": 1500000.0, "delay_us": {"max": 12.5}},
        "f1": {"lost": 0, "goodput_bps": 2500000.0, "delay_us": null}
      },
      "faults": [
        {"detection_ms": 142.8224, "failover_ms": 150.0, "lost": 3,
         "flows": {"f0": {"lost": 3, "recovery_ms": 143.2049}}},
        {"detection_ms": null, "failover_ms": null, "lost": 0, "flows": {}}
      ],
      "status_audit": {"false_positives": 2, "flaps": 1},
      "monitoring": {"enabled": true, "overhead": {"bytes_per_s_per_host": 6391.04}},
      "totals": {"lost": 3, "accounting_ok": true},
      "cost": {"fast_path": 1.25},
      "odd": {"a.b": {"c": 7}, "*": 1}
    })");
}

TEST(ResultsPath, FollowsKeysAndArrayIndices)
{
    Json r = KnownResults();
    const Json* v = ResolveResultsPath(r, "flows.f0.lost");
    ASSERT_NE(v, nullptr);
    EXPECT_EQ(*v, 3);
    v = ResolveResultsPath(r, "faults.0.flows.f0.recovery_ms");
    ASSERT_NE(v, nullptr);
    EXPECT_DOUBLE_EQ(v->get<double>(), 143.2049);
    EXPECT_EQ(ResolveResultsPath(r, ""), &r); // the empty path is the root
    // An index has no leading zero, as validate reads expect paths.
    EXPECT_EQ(ResolveResultsPath(r, "faults.01.lost"), nullptr);
    EXPECT_NE(ResolveResultsPath(r, "faults.1.lost"), nullptr);
}

TEST(ResultsPath, MissingKeyOrIndexPastTheEndIsNoFigure)
{
    Json r = KnownResults();
    EXPECT_EQ(ResolveResultsPath(r, "flows.f9.lost"), nullptr);
    EXPECT_EQ(ResolveResultsPath(r, "faults.2.detection_ms"), nullptr);
    EXPECT_EQ(ResolveResultsPath(r, "faults.-1.detection_ms"), nullptr);
    EXPECT_EQ(ResolveResultsPath(r, "faults.x.detection_ms"), nullptr);
    EXPECT_EQ(ResolveResultsPath(r, "totals.lost.more"), nullptr);      // into a number
    EXPECT_EQ(ResolveResultsPath(r, "flows.f1.delay_us.max"), nullptr); // into a null
}

TEST(ResultsPath, HugeIndexIsNoFigureInsteadOfAnAbort)
{
    Json r = KnownResults();
    EXPECT_EQ(ResolveResultsPath(r, "faults.99999999999999999999999999.detection_ms"), nullptr);
    EXPECT_EQ(ResolveResultsPath(r, "faults.18446744073709551616"), nullptr); // 2^64
    EXPECT_TRUE(CollectResultsPath(r, "faults.99999999999999999999999999").empty());
}

TEST(ResultsPath, NullIsAValueNotAMissingFigure)
{
    Json r = KnownResults();
    const Json* v = ResolveResultsPath(r, "faults.1.detection_ms");
    ASSERT_NE(v, nullptr);
    EXPECT_TRUE(v->is_null());
}

TEST(ResultsPath, KeysWithDotsAndLiteralStars)
{
    Json r = KnownResults();
    const Json* v = ResolveResultsPath(r, "odd.a.b.c");
    ASSERT_NE(v, nullptr);
    EXPECT_EQ(*v, 7);
    v = ResolveResultsPath(r, "odd.*"); // no wildcards in Resolve: '*' is a key
    ASSERT_NE(v, nullptr);
    EXPECT_EQ(*v, 1);
}

TEST(ResultsPath, WildcardsMatchEveryKeyAndIndexInOrder)
{
    Json r = KnownResults();
    std::vector<const Json*> d = CollectResultsPath(r, "faults.*.detection_ms");
    ASSERT_EQ(d.size(), 2u);
    EXPECT_DOUBLE_EQ(d[0]->get<double>(), 142.8224);
    EXPECT_TRUE(d[1]->is_null());
    std::vector<const Json*> g = CollectResultsPath(r, "flows.*.goodput_bps");
    ASSERT_EQ(g.size(), 2u);
    EXPECT_DOUBLE_EQ(g[1]->get<double>(), 2500000.0);
    EXPECT_EQ(CollectResultsPath(r, "faults.*.flows.*.recovery_ms").size(), 1u);
    EXPECT_TRUE(CollectResultsPath(r, "faults.1.flows.*.lost").empty());
    EXPECT_TRUE(ResultsPathContainerExists(r, "faults.1.flows.*.lost"));
    EXPECT_FALSE(ResultsPathContainerExists(r, "nothing.*.lost"));
}

TEST(ResultsPath, ExpectBoundOnAHugeIndexIsReportedMissing)
{
    ScenarioConfig config;
    ExpectBound bound;
    bound.path = "faults.99999999999999999999999.detection_ms";
    bound.max = 10;
    config.expect.push_back(bound);
    std::vector<std::string> broken = CheckExpectations(config, KnownResults());
    ASSERT_EQ(broken.size(), 1u);
    EXPECT_EQ(broken[0],
              "expect faults.99999999999999999999999.detection_ms: no such figure in results");
}

/// A compare variant: label, policy and preset are the row's text cells.
ScenarioConfig
Variant(const std::string& label, UplinkPolicy policy, bool monitoring, const std::string& preset)
{
    ScenarioConfig c;
    c.variant = label;
    c.overlay.policy = policy;
    c.monitoring.enabled = monitoring;
    c.monitoring.preset = preset;
    return c;
}

TEST(Comparison, VariantRowHasTheCliCells)
{
    ComparisonTable t = ComparisonTable::ForVariants();
    t.AddVariant(Variant("fast", UplinkPolicy::ACTIVE_STANDBY, true, "aggressive"), KnownResults());
    EXPECT_EQ(t.Header(),
              (std::vector<std::string>{"label",
                                        "policy",
                                        "preset",
                                        "detection_ms",
                                        "failover_ms",
                                        "lost",
                                        "worst_recovery_ms",
                                        "goodput_mbps",
                                        "false_positives",
                                        "flaps",
                                        "overhead_bytes_per_s_per_host",
                                        "fast_path_cost"}));
    EXPECT_EQ(t.Rows()[0],
              (std::vector<std::string>{"fast",
                                        "active-standby",
                                        "aggressive",
                                        "142.822",
                                        "150.000",
                                        "3",
                                        "143.205",
                                        "4.000",
                                        "2",
                                        "1",
                                        "6391.0",
                                        "1.250"}));
    EXPECT_EQ(t.Cell(0, "lost"), "3");
}

TEST(Comparison, NullAndMissingFiguresInTheCliTable)
{
    // Fault 0 never detected (null: '-' as the CLI prints it), a flow that never recovered,
    // no monitoring, no flows at all (goodput 0).
    Json r = Json::parse(R"({
      "flows": {},
      "faults": [{"detection_ms": null, "failover_ms": null,
                  "flows": {"f0": {"lost": 9, "recovery_ms": null},
                            "f1": {"lost": 1, "recovery_ms": 5.0}}}],
      "monitoring": {"enabled": false},
      "totals": {"lost": 10}
    })");
    ComparisonTable t = ComparisonTable::ForVariants();
    t.AddVariant(Variant("bond", UplinkPolicy::CARRIER_ONLY, false, ""), r);
    t.AddVariant(Variant("empty", UplinkPolicy::FLOW_HASH, true, ""), Json::object());
    EXPECT_EQ(t.Rows()[0],
              (std::vector<std::string>{"bond",
                                        "carrier-only",
                                        "off",
                                        "-",
                                        "-",
                                        "10",
                                        "never",
                                        "0.000",
                                        "-",
                                        "-",
                                        "-",
                                        "-"}));
    EXPECT_EQ(
        t.Rows()[1],
        (std::vector<
            std::string>{"empty", "flow-hash", "-", "-", "-", "-", "-", "-", "-", "-", "-", "-"}));
    EXPECT_EQ(t.ToText(),
              "  label  policy        preset  detection_ms  failover_ms  lost  worst_recovery_ms  "
              "goodput_mbps  false_positives  flaps  overhead_bytes_per_s_per_host  "
              "fast_path_cost\n"
              "  -----  ------------  ------  ------------  -----------  ----  -----------------  "
              "------------  ---------------  -----  -----------------------------  "
              "--------------\n"
              "  bond   carrier-only  off                -            -    10              never  "
              "       0.000                -      -                              -               "
              "-\n"
              "  empty  flow-hash     -                  -            -     -                  -  "
              "           -                -      -                              -               "
              "-\n");
    EXPECT_EQ(t.ToCsv(),
              "label,policy,preset,detection_ms,failover_ms,lost,worst_recovery_ms,goodput_mbps,"
              "false_positives,flaps,overhead_bytes_per_s_per_host,fast_path_cost\n"
              "bond,carrier-only,off,-,-,10,never,0.000,-,-,-,-\n"
              "empty,flow-hash,-,-,-,-,-,-,-,-,-,-\n");
}

TEST(Comparison, SeveralRunsPerRowAreAveragedWithNeverCounted)
{
    Json a = KnownResults();
    Json b = KnownResults();
    b["faults"][0]["detection_ms"] = nullptr;
    b["totals"]["lost"] = 4;
    Json c = KnownResults();
    c["faults"][0]["detection_ms"] = nullptr;
    c["faults"][0]["failover_ms"] = 50.0;
    std::vector<ComparisonColumn> columns;
    for (const ComparisonColumn& col : FigureColumns())
    {
        if (col.name == "detection_ms" || col.name == "lost" || col.name == "fast_path_cost")
        {
            columns.push_back(col);
        }
    }
    // detection_ms is the worst over faults: fault 1 is null in every run -> "never".
    ComparisonTable t({"variant", "runs"}, columns);
    t.AddRow({"x", "3"}, {&a, &b, &c});
    EXPECT_EQ(t.Rows()[0], (std::vector<std::string>{"x", "3", "never", "3", "1.250"}));

    ComparisonColumn fault0;
    fault0.name = "d0";
    fault0.paths = {"faults.0.detection_ms"};
    fault0.aggregate = FigureAggregate::FIRST;
    ComparisonTable u({"variant", "runs"}, {fault0});
    u.AddRow({"y", "3"}, {&a, &b, &c});
    u.AddRow({"z", "0"}, {});
    EXPECT_EQ(u.Rows()[0][2], "142.822 (2/3 never)");
    EXPECT_EQ(u.Rows()[1][2], "-");
    EXPECT_EQ(u.ToSideBySideText(),
              "figure                    y  z\n"
              "------  -------------------  -\n"
              "runs                      3  0\n"
              "d0      142.822 (2/3 never)  -\n");
}

TEST(Comparison, CsvQuotesCellsAsPythonsCsvModule)
{
    ComparisonTable t({"variant", "runs"}, {});
    t.AddRow({"uplink_policy=a, preset=b", "say \"hi\""}, {});
    EXPECT_EQ(t.ToCsv(), "variant,runs\n\"uplink_policy=a, preset=b\",\"say \"\"hi\"\"\"\n");
}

TEST(Comparison, SumsAreExact)
{
    EXPECT_EQ(ExactSum({1e16, 1.0, -1e16}), 1.0);
    EXPECT_EQ(ExactSum({0.1, 0.2, 0.3}), 0.6);
    EXPECT_EQ(ExactSum({}), 0.0);
}

TEST(Comparison, AggregatesByName)
{
    FigureAggregate a;
    ASSERT_TRUE(ParseFigureAggregate("mean", a));
    EXPECT_EQ(a, FigureAggregate::MEAN);
    EXPECT_FALSE(ParseFigureAggregate("median", a));
    ComparisonColumn mean;
    mean.paths = {"flows.*.lost"};
    mean.aggregate = FigureAggregate::MEAN;
    mean.decimals = 2;
    FigureValue v = ReadFigure(mean, KnownResults());
    EXPECT_EQ(v.kind, FigureValue::NUMBER);
    EXPECT_DOUBLE_EQ(v.value, 1.5);
    EXPECT_EQ(FormatCell(mean, {v}), "1.50");
}

TEST(ResultsSchema, EveryRunMatchesItAndAFullRunWritesEveryDeclaredFigure)
{
    // A run with monitoring, a fault that costs packets and a delivered flow writes every
    // declared field: none of the declaration is dead, and (as on every run) nothing departs.
    ScenarioConfig c;
    c.duration = Seconds(2);
    c.statsBin = MilliSeconds(100);
    c.overlay.segments = {SegmentConfig{5000, {"host0/vm0", "host5/vm0"}}};
    c.monitoring.enabled = true;
    ApplyMonitoringPreset(c.monitoring, "aggressive");
    FlowConfig flow;
    flow.name = "f0";
    flow.from = "host0/vm0";
    flow.to = "host5/vm0";
    flow.start = MilliSeconds(100);
    c.traffic = {flow};
    FaultConfig fault;
    fault.target = "host0/uplink0";
    fault.at = Seconds(1);
    c.faults = {fault};
    nlohmann::ordered_json results = RunScenario(c).results;
    std::vector<std::string> departures = ResultsShapeDepartures(ResultsSchema(), results, c, true);
    EXPECT_TRUE(departures.empty()) << fmt::format("{}", fmt::join(departures, "\n"));
    // The check sees what a wrong writer would do.
    nlohmann::ordered_json wrong = results;
    wrong["flows"]["f0"]["sent"] = "many";
    wrong["flows"]["f0"]["extra"] = 1;
    wrong["faults"].push_back(wrong["faults"][0]);
    wrong["flows"]["g"] = wrong["flows"]["f0"];
    departures = ResultsShapeDepartures(ResultsSchema(), wrong, c, false);
    EXPECT_EQ(departures,
              (std::vector<std::string>{"flows.f0.sent: expected a number, got \"many\"",
                                        "flows.f0.extra: not declared",
                                        "flows.g: not a declared flow",
                                        "faults: 2 elements, the scenario configures 1"}));
    // With monitoring off only "enabled" is written, as declared.
    c.monitoring.enabled = false;
    results = RunScenario(c).results;
    EXPECT_EQ(results["monitoring"], nlohmann::ordered_json({{"enabled", false}}));
    EXPECT_TRUE(ResultsShapeDepartures(ResultsSchema(), results, c, true).empty());
}

} // namespace
