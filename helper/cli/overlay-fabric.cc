// overlay-fabric: run or validate one scenario file.
//
//   overlay-fabric run FILE [--out DIR] [--seed N] [--set path.to.key=value]...
//   overlay-fabric validate FILE [--set ...]
//
// A file with a compare section runs each variant in turn, writes DIR/<label>/results.json, and
// prints and writes (DIR/comparison.csv) a side-by-side table, one row per variant.
//
// Exit status: 0 ok; 1 a figure broke the scenario's expect bounds or a flow's accounting (of any
// variant); 2 bad input (file, field, line and what is allowed are printed).
#include "comparison.h"
#include "output-folder.h"
#include "path-query.h"
#include "scenario-estimate.h"
#include "scenario-feature.h"
#include "scenario-loader.h"
#include "scenario-runner.h"
#include "scenario-schema.h"

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fmt/format.h>
#include <fmt/ranges.h>
#include <fstream>
#include <iostream>
#include <optional>
#include <sstream>

using namespace ns3;
using Json = nlohmann::ordered_json;

namespace
{

std::string
Ms(const Json& v)
{
    return v.is_null() ? std::string("-") : fmt::format("{:.3f} ms", v.get<double>());
}

/// The short human summary printed after a run.
void
PrintSummary(const Json& r, const std::string& resultsPath)
{
    const Json& sc = r["scenario"];
    fmt::print("scenario {} (seed {}, {} simulated)\n",
               sc["name"].get<std::string>(),
               sc["seed"].get<uint32_t>(),
               sc["duration"].get<std::string>());
    fmt::print("  {:<16} {:<14} {:<14} {:>9} {:>10} {:>8} {:>9} {:>12}\n",
               "flow",
               "from",
               "to",
               "sent",
               "delivered",
               "lost",
               "inflight",
               "goodput");
    for (const auto& [name, f] : r["flows"].items())
    {
        fmt::print("  {:<16} {:<14} {:<14} {:>9} {:>10} {:>8} {:>9} {:>9.3f} Mb/s{}\n",
                   name,
                   f["from"].get<std::string>(),
                   f["to"].get<std::string>(),
                   f["sent"].get<uint64_t>(),
                   f["delivered"].get<uint64_t>(),
                   f["lost"].get<uint64_t>(),
                   f["in_flight"].get<int64_t>(),
                   f["goodput_bps"].get<double>() / 1e6,
                   f["accounting_ok"].get<bool>() ? "" : "  ACCOUNTING MISMATCH");
    }
    for (size_t i = 0; i < r["faults"].size(); ++i)
    {
        const Json& f = r["faults"][i];
        fmt::print("  fault {} {} on {} at {:.3f} s: {}; detected {}, uplink switch {}, lost {}\n",
                   i,
                   f["kind"].get<std::string>(),
                   f["target"].get<std::string>(),
                   f["at_s"].get<double>(),
                   f["verdict"].get<std::string>(),
                   Ms(f["detection_ms"]),
                   Ms(f["failover_ms"]),
                   f["lost"].get<uint64_t>());
        for (const auto& [name, a] : f["flows"].items())
        {
            fmt::print("    {}: lost {}, {}\n",
                       name,
                       a["lost"].get<uint64_t>(),
                       a["recovered"].get<bool>() ? "recovered after " + Ms(a["recovery_ms"])
                                                  : std::string("never recovered"));
        }
        for (const Json& reaction : f["unaffected_host_reactions"])
        {
            fmt::print("    {} DOWN after {:.3f} ms: sends no flow it hit, not its detection\n",
                       reaction["stream"].get<std::string>(),
                       reaction["ms_after_fault"].get<double>());
        }
    }
    if (r.contains("status_audit"))
    {
        const Json& a = r["status_audit"];
        fmt::print("  status audit: {} DOWNs, {} on a fault's path, {} false positives ({:.3f} ms "
                   "DOWN), {} flaps\n",
                   a["downs"].get<uint64_t>(),
                   a["true_downs"].get<uint64_t>(),
                   a["false_positives"].get<uint64_t>(),
                   a["false_positive_down_ms"].get<double>(),
                   a["flaps"].get<uint64_t>());
    }
    const Json& t = r["totals"];
    fmt::print("  totals: sent {} = delivered {} + lost {} + in flight {}: {}\n",
               t["sent"].get<uint64_t>(),
               t["delivered"].get<uint64_t>(),
               t["lost"].get<uint64_t>(),
               t["in_flight"].get<int64_t>(),
               t["accounting_ok"].get<bool>() ? "holds" : "BROKEN");
    fmt::print("  results: {}\n", resultsPath);
}

std::vector<ScenarioOverride>
ParseOverrides(const std::vector<std::string>& sets)
{
    std::vector<ScenarioOverride> overrides;
    for (const auto& s : sets)
    {
        overrides.push_back(ParseOverride(s));
    }
    return overrides;
}

/**
 * \brief Run one scenario and write DIR/results.json and DIR/run-info.json.
 * \param config the scenario
 * \param dir output folder, created if needed
 * \return the run
 * \throws ConfigError from RunScenario()
 */
/// The files a run writes into its folder (checked before the run).
const std::vector<std::string> RUN_FILES{"scenario.yaml", "results.json", "run-info.json"};

ScenarioRun
RunAndWrite(const ScenarioConfig& config, const std::filesystem::path& dir)
{
    // The validated scenario with every default explicit: running it gives the same results.
    std::ostringstream scenario;
    scenario << config;
    WriteFileAtomically((dir / "scenario.yaml").string(), scenario.str());
    ScenarioRun result = RunScenario(config, RunOptions{dir.string(), true}); // checked in main
    WriteFileAtomically((dir / "results.json").string(), result.results.dump(2) + "\n");
    // Wall-clock figures vary run to run: kept out of results.json so that stays byte-identical.
    Json info{{"build_wall_s", result.buildWallSeconds}, {"run_wall_s", result.runWallSeconds}};
    WriteFileAtomically((dir / "run-info.json").string(), info.dump(2) + "\n");
    return result;
}

/**
 * \brief Run every variant in turn, print one line per variant as it finishes, then the table;
 * write DIR/<label>/results.json, DIR/<label>/run-info.json and DIR/comparison.csv.
 * \param configs the variants
 * \param file the scenario file
 * \param outDir output folder
 * \return the exit status: 0 all bounds hold, 1 a bound of some variant is broken
 */
int
RunComparison(const std::vector<ScenarioConfig>& configs,
              const std::string& file,
              const std::filesystem::path& outDir)
{
    fmt::print("comparing {} variants of {} (results in {}/<label>/)\n",
               configs.size(),
               file,
               outDir.string());
    std::fflush(stdout);
    ComparisonTable table = ComparisonTable::ForVariants();
    std::vector<std::string> failed;
    for (size_t i = 0; i < configs.size(); ++i)
    {
        const ScenarioConfig& config = configs[i];
        std::filesystem::path dir = outDir / config.variant;
        ScenarioRun result = RunAndWrite(config, dir);
        std::vector<std::string> broken = CheckExpectations(config, result.results);
        for (const auto& b : broken)
        {
            failed.push_back(fmt::format("[{}] {}", config.variant, b));
        }
        table.AddVariant(config, result.results);
        const size_t row = table.Rows().size() - 1;
        fmt::print("[{}/{}] {}: failover {} ms, lost {}, goodput {} Mb/s, {} bound{} + "
                   "accounting: {} ({:.1f} s) -> {}\n",
                   i + 1,
                   configs.size(),
                   config.variant,
                   table.Cell(row, "failover_ms"),
                   table.Cell(row, "lost"),
                   table.Cell(row, "goodput_mbps"),
                   config.expect.size(),
                   config.expect.size() == 1 ? "" : "s",
                   broken.empty() ? "hold" : fmt::format("{} broken", broken.size()),
                   result.buildWallSeconds + result.runWallSeconds,
                   (dir / "results.json").string());
        std::fflush(stdout);
    }
    fmt::print("\n{}", table.ToText());
    std::filesystem::path csvPath = outDir / "comparison.csv";
    WriteFileAtomically(csvPath.string(), table.ToCsv());
    fmt::print("  (times of fault 0; lost and goodput over all flows; '-': no such figure or "
               "event; never: a flow hit by fault 0 never recovered)\n"
               "  table: {}\n",
               csvPath.string());
    for (const auto& f : failed)
    {
        std::cerr << "FAILED " << f << "\n";
    }
    return failed.empty() ? 0 : 1;
}

/**
 * \brief `path`: answer the path calculator's question for one outer 5-tuple.
 * \return 0, or 2 when --from or --to do not name a host uplink and a host of the fabric
 */
int
PrintPath(const ScenarioConfig& config,
          const std::string& from,
          const std::string& to,
          uint32_t sport,
          std::optional<uint32_t> dport)
{
    PathAnswer answer;
    try
    {
        answer = TracePathOf(config,
                             from,
                             to,
                             static_cast<uint16_t>(sport),
                             dport ? std::optional<uint16_t>(static_cast<uint16_t>(*dport))
                                   : std::nullopt);
    }
    catch (const ConfigError& e)
    {
        std::cerr << "error: " << e.what() << "\n";
        return 2;
    }
    fmt::print("path {} -> {}, outer UDP {} -> {} (fabric of {}, seed {}):\n  {}\n  {}; {} ECMP "
               "paths between {} and {}\n",
               from,
               to,
               sport,
               answer.dport,
               config.name,
               config.seed,
               answer.text,
               answer.arrived ? std::string("arrives") : "does not arrive: " + answer.stop,
               answer.ecmpPaths,
               answer.nodes.front(),
               to);
    return 0;
}

/// \return one traced path as a line of hops: "host0/vm0 =vtep uplink0=> host0 -host0/uplink0->
/// ..."
std::string
PathLine(const nlohmann::ordered_json& path, const std::string& from)
{
    std::string line = from;
    const nlohmann::ordered_json& hops = path["hops"];
    for (size_t i = 1; i < hops.size(); ++i)
    {
        const std::string via = hops[i]["via"].get<std::string>();
        if (via.rfind("vtep", 0) == 0)
        {
            line += fmt::format(" ={}=> {}", via, hops[i]["node"].get<std::string>());
        }
        else
        {
            const std::string next = i + 1 < hops.size() ? hops[i + 1]["node"].get<std::string>()
                                     : path["fate"] == "delivered" ? path["at"].get<std::string>()
                                                                   : "x";
            line += fmt::format(" -{}-> {}", via, next);
        }
    }
    if (hops.size() == 1 || (hops.size() == 2 && path["fate"] == "delivered"))
    {
        line += " -> " + path["at"].get<std::string>(); // never left the host
    }
    return line;
}

/**
 * \brief `overlay-fabric trace DIR --flow NAME [--at T]`: the paths a traced flow took (results
 * "trace"), or the one it was on at time T.
 * \return the exit status
 */
int
PrintTrace(const std::string& dir, const std::string& flow, const std::string& atText)
{
    const std::string file = (std::filesystem::path(dir) / "results.json").string();
    std::ifstream in(file);
    if (!in)
    {
        std::cerr << "error: " << file << ": cannot read it; give the folder of a run (--out of "
                  << "overlay-fabric run)\n";
        return 2;
    }
    nlohmann::ordered_json results;
    try
    {
        results = nlohmann::ordered_json::parse(in);
    }
    catch (const nlohmann::json::exception& e)
    {
        std::cerr << "error: " << file << ": not JSON (" << e.what() << ")\n";
        return 2;
    }
    if (!results.contains("trace"))
    {
        std::cerr << "error: " << file << " has no trace: its scenario had no trace section; add "
                  << "trace: {flows: [" << flow << "]} and run it again\n";
        return 2;
    }
    const nlohmann::ordered_json& trace = results["trace"];
    if (!trace.contains(flow))
    {
        std::vector<std::string> traced;
        for (const auto& [name, value] : trace.items())
        {
            traced.push_back(name);
        }
        std::cerr << "error: --flow " << flow << ": not traced in " << file
                  << "; allowed: " << fmt::format("{}", fmt::join(traced, ", ")) << "\n";
        return 2;
    }
    std::optional<double> at;
    if (!atText.empty())
    {
        try
        {
            at = ParseTime(atText).GetSeconds();
        }
        catch (const std::exception& e)
        {
            std::cerr << "error: --at " << atText << ": " << e.what() << "\n";
            return 2;
        }
    }
    const nlohmann::ordered_json& paths = trace[flow]["paths"];
    std::string from = flow;
    if (results.contains("scenario") && results["scenario"].contains("traffic"))
    {
        for (const auto& f : results["scenario"]["traffic"])
        {
            if (f.value("name", "") == flow)
            {
                from = f.value("from", flow);
            }
        }
    }
    // At T: the path of the last packet sent at or before T.
    std::optional<size_t> current;
    for (size_t i = 0; i < paths.size(); ++i)
    {
        if (at && paths[i]["first_s"].get<double>() <= *at)
        {
            current = i;
        }
    }
    if (at && !current)
    {
        fmt::print("{} at {} s: no packet sent yet (its first at {} s)\n",
                   flow,
                   *at,
                   paths.empty() ? std::string("-")
                                 : fmt::format("{}", paths[0]["first_s"].get<double>()));
        return 0;
    }
    fmt::print("trace of {} ({}): {} path{}\n",
               flow,
               file,
               paths.size(),
               paths.size() == 1 ? "" : "s");
    for (size_t i = 0; i < paths.size(); ++i)
    {
        if (current && i != *current)
        {
            continue;
        }
        const auto& p = paths[i];
        const std::string fate = p["fate"] == "delivered"
                                     ? std::string("delivered")
                                     : fmt::format("dropped ({}) after {}",
                                                   p["fate"].get<std::string>(),
                                                   p["at"].get<std::string>());
        fmt::print("  [{}] {:.6f} s - {:.6f} s, {} packets, {}{}\n",
                   i,
                   p["first_s"].get<double>(),
                   p["last_s"].get<double>(),
                   p["packets"].get<uint64_t>(),
                   fate,
                   p["outer"].is_null() ? std::string()
                                        : fmt::format(", outer {} -> {} UDP {} -> {}",
                                                      p["outer"]["src"].get<std::string>(),
                                                      p["outer"]["dst"].get<std::string>(),
                                                      p["outer"]["sport"].get<uint32_t>(),
                                                      p["outer"]["dport"].get<uint32_t>()));
        fmt::print("      {}  ({:.3f} us)\n", PathLine(p, from), p["latency_us"].get<double>());
    }
    return 0;
}

} // namespace

int
Main(int argc, char** argv)
{
    CLI::App app{"ns3-overlay-fabric: overlay datacenter failure scenarios"};
    app.require_subcommand(1);

    std::string file;
    std::string outDir;
    std::vector<std::string> sets;
    std::optional<uint32_t> seed;

    CLI::App* run =
        app.add_subcommand("run", "run a scenario, write DIR/results.json, check its bounds");
    run->add_option("file", file, "scenario YAML file")->required();
    run->add_option("--out", outDir, "output folder (default: out/<scenario name>)")
        ->check(
            [](const std::string& path) {
                // An empty --out ("--out $DIR" with DIR unset) is a mistake, not the default.
                return path.empty() ? std::string("an empty path; give a folder, or leave --out "
                                                  "out for out/<scenario name>")
                                    : std::string();
            },
            "FOLDER");
    run->add_option("--seed", seed, "override the scenario seed (RngRun)")
        ->check(CLI::Range(1u, 4294967295u));
    run->add_option("--set", sets, "override a field: path.to.key=value (repeatable)");
    bool allowLarge = false;
    run->add_flag("--allow-large",
                  allowLarge,
                  "run even when the estimated cost exceeds the limits (events, sessions, bins, "
                  "memory)");

    CLI::App* validate = app.add_subcommand("validate", "check a scenario file and exit");
    validate->add_option("file", file, "scenario YAML file")->required();
    validate->add_option("--set", sets, "override a field: path.to.key=value (repeatable)");
    validate->add_flag("--allow-large", allowLarge, "accept a scenario above the cost limits");

    std::string pathFrom;
    std::string pathTo;
    uint32_t pathSport = 0;
    std::optional<uint32_t> pathDport;
    CLI::App* pathCommand = app.add_subcommand(
        "path",
        "path calculator: the leaves, spines and links a tunnel frame takes in a scenario's "
        "fabric (its routes and ECMP seeds, before any fault)");
    pathCommand->add_option("file", file, "scenario YAML file")->required();
    pathCommand->add_option("--from", pathFrom, "the sending uplink, hostN/uplinkK")->required();
    pathCommand->add_option("--to", pathTo, "the destination host, hostN")->required();
    pathCommand->add_option("--sport", pathSport, "outer UDP source port")
        ->required()
        ->check(CLI::Range(0u, 65535u));
    pathCommand
        ->add_option("--dport",
                     pathDport,
                     "outer UDP destination port (default: the scenario's encapsulation, 6081 "
                     "GENEVE or 4789 VXLAN)")
        ->check(CLI::Range(0u, 65535u));
    pathCommand->add_option("--set", sets, "override a field: path.to.key=value (repeatable)");

    std::string traceDir;
    std::string traceFlow;
    std::string traceAt;
    CLI::App* traceCommand = app.add_subcommand(
        "trace",
        "the paths a traced flow took in a run (results.json's trace section), and the one it "
        "was on at a time");
    traceCommand->add_option("dir", traceDir, "the run's folder (--out of run)")->required();
    traceCommand->add_option("--flow", traceFlow, "a flow of the scenario's trace.flows")
        ->required();
    traceCommand->add_option("--at", traceAt, "a time (3s, 2500ms): only the path then");

    bool markdown = false;
    CLI::App* schemaCommand = app.add_subcommand(
        "schema",
        "print the JSON Schema (2020-12) of scenario files, generated from the schema tables");
    schemaCommand->add_flag("--markdown",
                            markdown,
                            "print the scenario reference (docs/scenario-reference.md) instead");

    try
    {
        app.parse(argc, argv);
    }
    catch (const CLI::ParseError& e)
    {
        if (e.get_exit_code() == 0) // --help
        {
            return app.exit(e);
        }
        std::cerr << "error: " << e.what() << "\n(overlay-fabric --help lists the options)\n";
        return 2;
    }
    if (traceCommand->parsed())
    {
        return PrintTrace(traceDir, traceFlow, traceAt);
    }
    if (schemaCommand->parsed())
    {
        std::cout << (markdown
                          ? schema::ReferenceMarkdown() + ResultsReferenceMarkdown(ResultsSchema())
                          : schema::JsonSchema().dump(2) + "\n");
        return 0;
    }

    std::vector<ScenarioConfig> configs;
    try
    {
        std::vector<ScenarioOverride> overrides = ParseOverrides(sets);
        if (seed)
        {
            overrides.push_back(ScenarioOverride{"seed", std::to_string(*seed)});
        }
        configs = LoadScenarioVariants(file, overrides);
    }
    catch (const ConfigError& e)
    {
        std::cerr << "error: " << e.what() << "\n";
        return 2;
    }
    if (pathCommand->parsed())
    {
        return PrintPath(configs.front(), pathFrom, pathTo, pathSport, pathDport);
    }
    const bool compare = !configs.front().variant.empty();
    // What each variant will cost, checked before anything is built or written.
    std::vector<ScenarioEstimate> estimates;
    for (const ScenarioConfig& c : configs)
    {
        estimates.push_back(EstimateScenario(c));
        if (!allowLarge)
        {
            try
            {
                CheckScenarioCost(c, estimates.back());
            }
            catch (const ConfigError& e)
            {
                std::cerr << "error: " << e.what()
                          << (compare ? fmt::format(" (variant {})", c.variant) : "") << "\n";
                return 2;
            }
        }
    }

    if (validate->parsed())
    {
        if (!compare)
        {
            const ScenarioConfig& c = configs.front();
            fmt::print("{}: valid scenario '{}' ({} hosts, {} flows, {} faults)\n  estimate: {}\n",
                       file,
                       c.name,
                       c.fabric.NumHosts(),
                       c.traffic.size(),
                       c.faults.size(),
                       estimates.front().Summary());
            return 0;
        }
        fmt::print("{}: valid scenario with {} variants\n", file, configs.size());
        for (const ScenarioConfig& c : configs)
        {
            fmt::print("  {}: '{}' ({} hosts, {} flows, {} faults, policy {}, monitoring {}, {} "
                       "bounds)\n",
                       c.variant,
                       c.name,
                       c.fabric.NumHosts(),
                       c.traffic.size(),
                       c.faults.size(),
                       ToString(c.overlay.policy),
                       !c.monitoring.enabled         ? "off"
                       : c.monitoring.preset.empty() ? "on"
                                                     : c.monitoring.preset,
                       c.expect.size());
        }
        return 0;
    }

    if (outDir.empty())
    {
        // A variant's name is "<name>.<label>": the folder is named after the scenario.
        const ScenarioConfig& c = configs.front();
        outDir =
            "out/" + (compare ? c.name.substr(0, c.name.size() - c.variant.size() - 1) : c.name);
    }
    // Every folder the run writes is checked before anything is simulated.
    try
    {
        PrepareOutputFolder(outDir,
                            compare ? std::vector<std::string>{"comparison.csv"} : RUN_FILES);
        for (const ScenarioConfig& c : configs)
        {
            if (compare)
            {
                PrepareOutputFolder((std::filesystem::path(outDir) / c.variant).string(),
                                    RUN_FILES);
            }
        }
    }
    catch (const OutputError& e)
    {
        std::cerr << "error: --out " << e.what() << "\n";
        return 2;
    }
    if (compare)
    {
        try
        {
            return RunComparison(configs, file, outDir);
        }
        catch (const ConfigError& e)
        {
            std::cerr << "error: " << e.what() << "\n";
            return 2;
        }
    }
    const ScenarioConfig& config = configs.front();
    ScenarioRun result;
    try
    {
        result = RunAndWrite(config, outDir);
    }
    catch (const ConfigError& e)
    {
        std::cerr << "error: " << e.what() << "\n";
        return 2;
    }
    std::filesystem::path resultsPath = std::filesystem::path(outDir) / "results.json";
    PrintSummary(result.results, resultsPath.string());
    for (const auto& [port, pcapFile] : result.pcapFiles)
    {
        fmt::print("  pcap {}: {}\n", port, pcapFile);
    }

    std::vector<std::string> broken = CheckExpectations(config, result.results);
    fmt::print("  checks: {} expect bounds + accounting of every flow: {}\n",
               config.expect.size(),
               broken.empty() ? "all hold" : fmt::format("{} broken", broken.size()));
    for (const auto& b : broken)
    {
        std::cerr << "FAILED " << b << "\n";
    }
    return broken.empty() ? 0 : 1;
}

/**
 * Every failure ends with one message and an exit status: 2 bad input (file, line, field, what is
 * allowed; or an output path), 1 a run that failed (a broken bound, a write that failed after the
 * run), 3 an internal error, which is a bug.
 */
int
main(int argc, char** argv)
{
    try
    {
        return Main(argc, argv);
    }
    catch (const ConfigError& e)
    {
        std::cerr << "error: " << e.what() << "\n";
        return 2;
    }
    catch (const OutputError& e)
    {
        std::cerr << "error: the run finished but its results could not be written: " << e.what()
                  << "\n";
        return 1;
    }
    catch (const std::exception& e)
    {
        std::cerr << "internal error: " << e.what()
                  << "\nThis is a bug in overlay-fabric, not in your input: please report it with "
                     "the scenario file and the command line.\n";
        return 3;
    }
    catch (...)
    {
        std::cerr
            << "internal error: an unknown exception\nThis is a bug in overlay-fabric: please "
               "report it with the scenario file and the command line.\n";
        return 3;
    }
}
