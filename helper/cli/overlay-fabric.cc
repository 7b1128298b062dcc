// overlay-fabric: run or validate one scenario file.
//
//   overlay-fabric run FILE [--out DIR] [--seed N] [--set path.to.key=value]...
//   overlay-fabric validate FILE [--set ...]
//
// Exit status: 0 ok; 1 a figure broke the scenario's expect bounds or a flow's accounting; 2 bad
// input (file, field, line and what is allowed are printed).
#include "scenario-loader.h"
#include "scenario-runner.h"

#include <CLI/CLI.hpp>
#include <filesystem>
#include <fmt/format.h>
#include <fstream>
#include <iostream>

using namespace ns3;
using Json = nlohmann::ordered_json;

namespace
{

/// Write \p text to \p path atomically (temporary file + rename).
void
WriteFileAtomically(const std::filesystem::path& path, const std::string& text)
{
    std::filesystem::path tmp = path;
    tmp += ".tmp";
    {
        std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
        if (!out)
        {
            throw std::runtime_error("cannot write " + tmp.string());
        }
        out << text;
    }
    std::filesystem::rename(tmp, path);
}

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
    fmt::print("scenario {} (seed {}, {:.3f} s simulated)\n",
               sc["name"].get<std::string>(),
               sc["seed"].get<uint32_t>(),
               sc["duration_s"].get<double>());
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
        fmt::print("  fault {} {} on {} at {:.3f} s: detected {}, uplink switch {}, lost {}\n",
                   i,
                   f["kind"].get<std::string>(),
                   f["target"].get<std::string>(),
                   f["at_s"].get<double>(),
                   Ms(f["detection_ms"]),
                   Ms(f["failover_ms"]),
                   f["lost"].get<uint64_t>());
        for (const auto& [name, a] : f["flows"].items())
        {
            fmt::print("    {}: lost {}, recovered after {}\n",
                       name,
                       a["lost"].get<uint64_t>(),
                       Ms(a["recovery_ms"]));
        }
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

} // namespace

int
main(int argc, char** argv)
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
    run->add_option("--out", outDir, "output folder (default: out/<scenario name>)");
    run->add_option("--seed", seed, "override the scenario seed (RngRun)")
        ->check(CLI::Range(1u, 4294967295u));
    run->add_option("--set", sets, "override a field: path.to.key=value (repeatable)");

    CLI::App* validate = app.add_subcommand("validate", "check a scenario file and exit");
    validate->add_option("file", file, "scenario YAML file")->required();
    validate->add_option("--set", sets, "override a field: path.to.key=value (repeatable)");

    try
    {
        app.parse(argc, argv);
    }
    catch (const CLI::ParseError& e)
    {
        int code = app.exit(e);
        return code == 0 ? 0 : 2;
    }

    ScenarioConfig config;
    try
    {
        std::vector<ScenarioOverride> overrides = ParseOverrides(sets);
        if (seed)
        {
            overrides.push_back(ScenarioOverride{"seed", std::to_string(*seed)});
        }
        config = LoadScenarioFile(file, overrides);
    }
    catch (const ConfigError& e)
    {
        std::cerr << "error: " << e.what() << "\n";
        return 2;
    }

    if (validate->parsed())
    {
        fmt::print("{}: valid scenario '{}' ({} hosts, {} flows, {} faults)\n",
                   file,
                   config.name,
                   config.fabric.NumHosts(),
                   config.traffic.size(),
                   config.faults.size());
        return 0;
    }

    if (outDir.empty())
    {
        outDir = "out/" + config.name;
    }
    ScenarioRun result;
    try
    {
        std::filesystem::create_directories(outDir);
        result = RunScenario(config, RunOptions{outDir});
    }
    catch (const ConfigError& e)
    {
        std::cerr << "error: " << e.what() << "\n";
        return 2;
    }
    std::filesystem::path resultsPath = std::filesystem::path(outDir) / "results.json";
    WriteFileAtomically(resultsPath, result.results.dump(2) + "\n");
    // Wall-clock figures vary run to run: kept out of results.json so that stays byte-identical.
    Json info{{"build_wall_s", result.buildWallSeconds}, {"run_wall_s", result.runWallSeconds}};
    WriteFileAtomically(std::filesystem::path(outDir) / "run-info.json", info.dump(2) + "\n");
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
