// Running a scenario in this process (helper/scenario/scenario-runner.h) and checking its bounds.
//
// The run releases the GIL. Ctrl-C: a poll event in the simulation (every 1 ms of simulated time,
// doing nothing unless 50 ms of wall-clock time went by) takes the GIL back and calls
// PyErr_CheckSignals(); when a Python signal handler raised (KeyboardInterrupt), it stops the
// simulator and the call raises that exception once the runner has cleaned up
// (Simulator::Destroy). The poll event never touches the model, so results are byte-identical
// with the CLI's (a test checks it).
//
// One simulator per process: a second run while one is going (another thread) is refused. ns-3
// keeps global state across Simulator::Destroy() (MAC and packet counters, ...), so a second run
// in the same process is refused unless allow_rerun=True; the Python package runs each scenario in
// a fresh process instead (overlay_fabric.run).
#include "bindings.h"
#include "output-folder.h"
#include "path-query.h"
#include "scenario-estimate.h"
#include "scenario-runner.h"

#include "ns3/simulator.h"

#include <atomic>
#include <chrono>
#include <fmt/format.h>
#include <mutex>

namespace overlay_fabric_py
{

using namespace ns3;

namespace
{

/// What Python sees of a run: results.json text and wall-clock figures; no ns-3 types.
struct RunResult
{
    std::string resultsJson;    //!< results.dump(2) + "\n": byte for byte the CLI's file
    double buildWallSeconds{0}; //!< building topology, overlay, traffic
    double runWallSeconds{0};   //!< Simulator::Run
    std::vector<std::pair<std::string, std::string>> pcapFiles; //!< (port, file) written
};

std::mutex g_runMutex;               //!< one simulator per process
std::atomic<uint32_t> g_runsDone{0}; //!< runs completed (or stopped) in this process

/// Lets Ctrl-C stop a run: see the top of this file.
class InterruptPoller
{
  public:
    /// Schedule the first poll; call before RunScenario (the runner keeps queued events).
    void Start()
    {
        m_lastCheck = std::chrono::steady_clock::now();
        Simulator::Schedule(MilliSeconds(1), &InterruptPoller::Tick, this);
    }

    /// Re-raise the Python exception the signal handler raised (GIL held). No-op if none.
    void RaiseIfInterrupted()
    {
        if (m_type != nullptr)
        {
            PyErr_Restore(m_type, m_value, m_traceback);
            m_type = m_value = m_traceback = nullptr;
            throw py::error_already_set();
        }
    }

  private:
    void Tick()
    {
        auto now = std::chrono::steady_clock::now();
        if (now - m_lastCheck >= std::chrono::milliseconds(50))
        {
            m_lastCheck = now;
            py::gil_scoped_acquire gil;
            if (PyErr_CheckSignals() != 0)
            {
                PyErr_Fetch(&m_type, &m_value, &m_traceback);
                Simulator::Stop();
                return;
            }
        }
        Simulator::Schedule(MilliSeconds(1), &InterruptPoller::Tick, this);
    }

    std::chrono::steady_clock::time_point m_lastCheck; //!< last PyErr_CheckSignals()
    PyObject* m_type{nullptr};                         //!< fetched exception, if any
    PyObject* m_value{nullptr};                        //!< its value
    PyObject* m_traceback{nullptr};                    //!< its traceback
};

RunResult
RunInThisProcess(const ScenarioConfig& config,
                 const std::string& outDir,
                 bool allowRerun,
                 bool allowLarge)
{
    std::unique_lock<std::mutex> lock(g_runMutex, std::try_to_lock);
    if (!lock.owns_lock())
    {
        throw std::runtime_error(
            "a scenario is already running in this process (ns-3 has one simulator per "
            "process); run scenarios side by side with overlay_fabric.run() or sweep(), which "
            "use one process per run");
    }
    if (g_runsDone > 0 && !allowRerun)
    {
        throw std::runtime_error(fmt::format(
            "this process already ran {} scenario(s) with run_scenario(); ns-3 keeps global state "
            "across runs (MAC address and packet counters...), so a second run here is not "
            "guaranteed to match a fresh process. Use overlay_fabric.run() (one fresh process "
            "per run), or pass allow_rerun=True to accept that",
            g_runsDone.load()));
    }
    config.Validate(); // before anything is scheduled: a bad config leaves no queued event
    if (!allowLarge)
    {
        CheckScenarioCost(config, EstimateScenario(config)); // refused before it counts as a run
    }

    RunResult out;
    InterruptPoller poller;
    {
        py::gil_scoped_release release;
        ScenarioRun run;
        try
        {
            poller.Start();
            run = RunScenario(config, RunOptions{outDir, allowLarge});
        }
        catch (...)
        {
            Simulator::Destroy(); // drop the poll event and whatever the runner had built
            ++g_runsDone;
            throw;
        }
        ++g_runsDone;
        out.resultsJson = run.results.dump(2) + "\n";
        out.buildWallSeconds = run.buildWallSeconds;
        out.runWallSeconds = run.runWallSeconds;
        out.pcapFiles = run.pcapFiles;
    }
    poller.RaiseIfInterrupted();
    return out;
}

} // namespace

void
init_run(py::module_& m)
{
    py::class_<RunResult>(m,
                          "ScenarioRun",
                          "What one run produced: results.json text and wall-clock figures.")
        .def_readonly("results_json",
                      &RunResult::resultsJson,
                      "the content of results.json, byte for byte the CLI's")
        .def_readonly("build_wall_s", &RunResult::buildWallSeconds)
        .def_readonly("run_wall_s", &RunResult::runWallSeconds)
        .def_readonly("pcap_files", &RunResult::pcapFiles, "[(port, file)] written")
        .def("__repr__", [](const RunResult& r) {
            return fmt::format("ScenarioRun(results_json=<{} chars>, build_wall_s={:.3f}, "
                               "run_wall_s={:.3f}, pcap_files={})",
                               r.resultsJson.size(),
                               r.buildWallSeconds,
                               r.runWallSeconds,
                               r.pcapFiles.size());
        });

    m.def(
        "prepare_output_folder",
        [](const std::string& folder,
           const std::vector<std::string>& files,
           const std::string& option) {
            try
            {
                PrepareOutputFolder(folder, files);
            }
            catch (const OutputError& e)
            {
                // The CLI's text: "--out PATH: why" (the error names the path itself).
                throw ConfigError("", 0, "", option + " " + e.what());
            }
        },
        py::arg("folder"),
        py::arg("files") =
            std::vector<std::string>{"scenario.yaml", "results.json", "run-info.json"},
        py::arg("option") = "--out",
        "Check, before a run, that its results can be written into folder (created if missing): "
        "ConfigError naming the option and the path otherwise, as the CLI's --out check.");

    m.def("run_scenario",
          &RunInThisProcess,
          py::arg("config"),
          py::arg("out_dir") = "",
          py::arg("allow_rerun") = false,
          py::arg("allow_large") = false,
          "Run a scenario in this process with the GIL released (Ctrl-C stops it and raises "
          "KeyboardInterrupt). out_dir receives pcap files ('' = none). A second run in the same "
          "process raises RuntimeError unless allow_rerun=True: see runs_in_this_process(). A "
          "scenario "
          "whose estimate exceeds the limits raises ConfigError unless allow_large=True.");

    m.def(
        "runs_in_this_process",
        []() { return g_runsDone.load(); },
        "How many scenarios run_scenario() has run in this process.");

    m.def(
        "check_expectations",
        [](const ScenarioConfig& config, const std::string& resultsJson) {
            nlohmann::ordered_json results;
            try
            {
                results = nlohmann::ordered_json::parse(resultsJson);
            }
            catch (const nlohmann::json::exception& e)
            {
                throw py::value_error(fmt::format("results_json is not JSON: {}", e.what()));
            }
            return CheckExpectations(config, results);
        },
        py::arg("config"),
        py::arg("results_json"),
        "The CLI's bound check: one message per broken expect bound or flow accounting (figure, "
        "value, bound, scenario line); empty if all hold.");

    m.def(
        "trace_path",
        [](const ScenarioConfig& config,
           const std::string& from,
           const std::string& to,
           uint32_t sport,
           std::optional<uint32_t> dport) {
            for (const auto& [option, value] :
                 {std::pair<const char*, uint32_t>{"--sport", sport},
                  std::pair<const char*, uint32_t>{"--dport", dport.value_or(0)}})
            {
                if (value > 65535)
                {
                    throw ConfigError(
                        "",
                        0,
                        option,
                        fmt::format("{} is not a UDP port; allowed: 0..65535", value));
                }
            }
            PathAnswer a = TracePathOf(
                config,
                from,
                to,
                static_cast<uint16_t>(sport),
                dport ? std::optional<uint16_t>(static_cast<uint16_t>(*dport)) : std::nullopt);
            py::dict d;
            d["nodes"] = a.nodes;
            d["links"] = a.links;
            d["arrived"] = a.arrived;
            d["stop"] = a.stop;
            d["text"] = a.text;
            d["ecmp_paths"] = a.ecmpPaths;
            d["dport"] = a.dport;
            return d;
        },
        py::arg("config"),
        py::arg("from_uplink"),
        py::arg("to_host"),
        py::arg("sport"),
        py::arg("dport") = py::none(),
        "The path calculator (the CLI's `path`): the nodes and links a tunnel frame from "
        "from_uplink ('host0/uplink1') to to_host ('host3'), outer UDP sport -> dport (default: "
        "the scenario's encapsulation), takes in the scenario's fabric before any fault, with the "
        "number of ECMP paths between the two hosts. A dict: nodes, links, arrived, stop, text, "
        "ecmp_paths, dport. Builds the fabric only; a run can follow in this process.");

    m.def(
        "scenario_to_json",
        [](const ScenarioConfig& config) { return ScenarioToJson(config).dump(2); },
        py::arg("config"),
        "The scenario echo of results.json, as JSON text.");
}

} // namespace overlay_fabric_py
