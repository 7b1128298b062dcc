"""``python3 -m overlay_fabric run|validate|compare|sweep|path|plot ...``

Exit status as the C++ CLI: 0 ok; 1 a figure broke an expect bound (run) or a run failed
(sweep, compare); 2 bad input (file, line, field and what is allowed are printed); 130 Ctrl-C.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from . import _core
from .scenario import load_variants


def _ms(v) -> str:
    return "-" if v is None else f"{v:.3f} ms"


def print_summary(r: dict, results_path: str) -> None:
    """The short human summary printed after a run (the C++ CLI's, in Python)."""
    sc = r["scenario"]
    print(f"scenario {sc['name']} (seed {sc['seed']}, {sc['duration']} simulated)")
    print(f"  {'flow':<16} {'from':<14} {'to':<14} {'sent':>9} {'delivered':>10} {'lost':>8} "
          f"{'inflight':>9} {'goodput':>12}")
    for name, f in r["flows"].items():
        print(f"  {name:<16} {f['from']:<14} {f['to']:<14} {f['sent']:>9} {f['delivered']:>10} "
              f"{f['lost']:>8} {f['in_flight']:>9} {f['goodput_bps'] / 1e6:>9.3f} Mb/s"
              + ("" if f["accounting_ok"] else "  ACCOUNTING MISMATCH"))
    for i, f in enumerate(r["faults"]):
        print(f"  fault {i} {f['kind']} on {f['target']} at {f['at_s']:.3f} s: {f['verdict']}; "
              f"detected {_ms(f.get('detection_ms'))}, uplink switch {_ms(f.get('failover_ms'))}, "
              f"lost {f['lost']}")
        for name, a in f["flows"].items():
            how = f"recovered after {_ms(a.get('recovery_ms'))}" if a["recovered"] else "never recovered"
            print(f"    {name}: lost {a['lost']}, {how}")
        for reaction in f["unaffected_host_reactions"]:
            print(f"    {reaction['stream']} DOWN after {reaction['ms_after_fault']:.3f} ms: sends "
                  "no flow it hit, not its detection")
    if "status_audit" in r:
        a = r["status_audit"]
        print(f"  status audit: {a['downs']} DOWNs, {a['true_downs']} on a fault's path, "
              f"{a['false_positives']} false positives ({a['false_positive_down_ms']:.3f} ms DOWN), "
              f"{a['flaps']} flaps")
    t = r["totals"]
    print(f"  totals: sent {t['sent']} = delivered {t['delivered']} + lost {t['lost']} + in "
          f"flight {t['in_flight']}: {'holds' if t['accounting_ok'] else 'BROKEN'}")
    print(f"  results: {results_path}")


def _error(msg: str) -> int:
    print(f"error: {msg}", file=sys.stderr)
    return 2


def cmd_run(a) -> int:
    scenarios = load_variants(a.file, a.set, seed=a.seed)  # the CLI's loader and messages
    if scenarios[0].variant:
        return run_comparison(a, scenarios)
    if a.workers is not None:
        return _error("--workers: only for a file with a compare section (its variants run "
                      "side by side)")
    sc = scenarios[0]
    if not a.allow_large:
        _core.check_scenario_cost(sc.config)  # refused before anything is created, as the CLI
    out = a.out or os.path.join("out", sc.name)
    _core.prepare_output_folder(out, ["results.json", "run-info.json"])  # before the run
    res = sc.run(out, in_process=a.in_process, allow_large=a.allow_large)
    path = res.write(out)
    print_summary(res.data, str(path))
    for port, f in res.pcap_files:
        print(f"  pcap {port}: {f}")
    broken = res.expect_broken or []
    print(f"  checks: {len(sc.config.expect)} expect bounds + accounting of every flow: "
          + ("all hold" if not broken else f"{len(broken)} broken"))
    for b in broken:
        print(f"FAILED {b}", file=sys.stderr)
    return 0 if not broken else 1


def run_comparison(a, scenarios) -> int:
    """``run`` on a file with a compare section: every variant in a fresh process, the CLI's
    lines, table, OUT/<label>/ and OUT/comparison.csv; exit 1 if a variant broke a bound."""
    from .variants import TABLE_NOTE, default_out_dir, run_variants

    if a.in_process:
        return _error(f"--in-process runs one scenario; {a.file} has {len(scenarios)} variants "
                      "(each runs in a fresh process)")
    out = a.out or default_out_dir(scenarios)
    n = len(scenarios)
    print(f"comparing {n} variants of {a.file} (results in {out}/<label>/)", flush=True)
    finished = [0]

    def line(i, sc, res):
        finished[0] += 1
        row = _core.ComparisonTable.for_variants()  # the CLI's cells, from C++
        row.add_variant(sc.config, res.text)
        bounds = len(sc.config.expect)
        broken = res.expect_broken or []
        print(f"[{finished[0]}/{n}] {sc.variant}: failover {row.cell(0, 'failover_ms')} ms, "
              f"lost {row.cell(0, 'lost')}, goodput {row.cell(0, 'goodput_mbps')} Mb/s, "
              f"{bounds} bound{'' if bounds == 1 else 's'} + accounting: "
              f"{'hold' if not broken else f'{len(broken)} broken'} "
              f"({res.build_wall_s + res.run_wall_s:.1f} s) -> "
              f"{os.path.join(out, sc.variant, 'results.json')}", flush=True)

    run = run_variants(scenarios, out, workers=a.workers or 1, on_result=line)
    table = _core.ComparisonTable.for_variants()
    for sc, res in zip(run.scenarios, run.results):
        table.add_variant(sc.config, res.text)
    print()
    print(table.to_text(), end="")
    print(TABLE_NOTE)
    print(f"  table: {run.csv_path}")
    for f in run.failed:
        print(f"FAILED {f}", file=sys.stderr)
    return 0 if run.ok else 1


def cmd_validate(a) -> int:
    scenarios = load_variants(a.file, a.set)
    if not scenarios[0].variant:
        c = scenarios[0].config
        print(f"{a.file}: valid scenario '{c.name}' ({c.fabric.num_hosts} hosts, "
              f"{len(c.traffic)} flows, {len(c.faults)} faults)")
        return 0
    print(f"{a.file}: valid scenario with {len(scenarios)} variants")
    for sc in scenarios:
        c = sc.config
        mon = "off" if not c.monitoring.enabled else (c.monitoring.preset or "on")
        print(f"  {c.variant}: '{c.name}' ({c.fabric.num_hosts} hosts, {len(c.traffic)} flows, "
              f"{len(c.faults)} faults, policy {c.overlay.uplink_policy}, monitoring {mon}, "
              f"{len(c.expect)} bounds)")
    return 0


def cmd_path(a) -> int:
    c = load_variants(a.file, a.set)[0].config
    p = _core.trace_path(c, a.from_uplink, a.to_host, a.sport, a.dport)
    how = "arrives" if p["arrived"] else f"does not arrive: {p['stop']}"
    print(f"path {a.from_uplink} -> {a.to_host}, outer UDP {a.sport} -> {p['dport']} (fabric of "
          f"{c.name}, seed {c.seed}):\n  {p['text']}\n  {how}; {p['ecmp_paths']} ECMP paths "
          f"between {p['nodes'][0]} and {a.to_host}")
    return 0


def _log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def cmd_sweep(a) -> int:
    from .sweeps import parse_grid_args, run_sweep

    grid = parse_grid_args(a.grid)
    res = run_sweep(a.file, grid, a.seeds, a.out, overrides=a.set, workers=a.workers,
                    scheduler=a.scheduler, progress=not a.no_progress, log=_log)
    print(f"sweep: {res.summary()}")
    if res.failed:
        for rec in res.records():
            if rec.get("status") != "ok":
                err = rec.get("error") or {}
                print(f"  failed {rec['run_id']}: {err.get('type')}: {err.get('what')}",
                      file=sys.stderr)
    return 0 if res.failed == 0 else 1


def cmd_compare(a) -> int:
    from .comparison import build_variants, run_compare
    from .figures import DEFAULT_METRICS, metric
    from .sweeps import split_values

    variants = build_variants(split_values(a.policies or ""), split_values(a.presets or ""),
                              a.variant or [])
    scenarios = load_variants(a.file, a.set)
    if not variants and not scenarios[0].variant:
        return _error("compare: give --policies, --presets or --variant (at least one), or a "
                      "file with a compare section")
    from .figures import METRICS_BY_NAME

    columns = [metric(c) for c in (a.column or [])]
    for spec, m in zip(a.column or [], columns):  # before the runs, as validate checks expect
        for path in ([] if spec in METRICS_BY_NAME else m.paths):
            why = _core.why_not_a_results_figure(scenarios[0].config, path, wildcards=True)
            if why:
                raise _core.ConfigError(f"--column {spec}: {why}")
    metrics = list(DEFAULT_METRICS) + columns
    csv_path = a.csv or (os.path.join(a.out, "compare.csv") if a.out else "compare.csv")
    _check_output_file(csv_path, "--csv")  # before the runs, not after them
    # A file with a compare section: its variants are the columns (run_compare loads them all).
    file_variants = bool(scenarios[0].variant)
    cmp = run_compare(a.file if file_variants else scenarios[0], variants,
                      overrides=a.set if file_variants else None, seeds=a.seeds, out_dir=a.out,
                      workers=a.workers, scheduler=a.scheduler, metrics=metrics,
                      progress=not a.no_progress, log=_log)
    sc = cmp.sweep
    print(f"compare: {Path(a.file).name}, seeds {a.seeds or 'of the scenario'}, mean over "
          "seeds; '-' = not in results, 'never' = null (did not happen)")
    print(cmp.to_text())
    cmp.write_csv(csv_path)
    print(f"csv: {csv_path}")
    return 0 if sc.failed == 0 else 1


def _check_output_file(path: str, option: str) -> None:
    """ScenarioError naming ``option`` and the path when ``path`` could not be written: its
    folder cannot be created or written, or the path is a folder."""
    folder, name = os.path.split(path)
    if not name:
        raise _core.ConfigError(f"{option} {path}: expected a file name, got a folder")
    _core.prepare_output_folder(folder or ".", [name], option=option)


def cmd_plot(a) -> int:
    from . import plots
    from .sweeps import load_records

    _check_output_file(a.out, "--out")

    if a.kind == "timeline":
        notes = plots.timeline(plots.read_results(a.source), a.out,
                               flows=[f for f in (a.flows or "").split(",") if f] or None)
    elif a.kind == "path":
        if not a.flow:
            raise _core.ConfigError("plot path: give --flow NAME (a flow of trace.flows)")
        try:
            notes = plots.path_diagram(plots.read_results(a.source), a.out, a.flow)
        except ValueError as e:
            raise _core.ConfigError(f"plot path: {e}") from None
    elif a.kind == "detection":
        notes = plots.distribution(load_records(a.source), a.out, a.metric or "detection_ms")
    else:
        ys = [y for y in (a.y or "").split(",") if y] or None
        notes = plots.pareto(load_records(a.source), a.out, x=a.x, ys=ys)
    for n in notes:
        print(f"note: {n}")
    print(f"plot: {a.out}")
    return 0


def _path(text: str) -> str:
    """An output path option's value: an empty one ("--out $DIR" with DIR unset) is a mistake,
    not the default."""
    if not text:
        raise argparse.ArgumentTypeError("an empty path; give a folder or file, or leave the "
                                         "option out for its default")
    return text


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python3 -m overlay_fabric",
                                description="ns3-overlay-fabric from Python: run, validate, "
                                            "sweep, compare, plot")
    sub = p.add_subparsers(dest="cmd", required=True)

    def common(sp, seed=True):
        sp.add_argument("file", help="scenario YAML file")
        sp.add_argument("--set", action="append", default=[], metavar="PATH=VALUE",
                        help="override a field (repeatable), as the C++ CLI's --set")
        if seed:
            sp.add_argument("--seed", type=int, help="override the scenario seed (RngRun)")

    r = sub.add_parser("run", help="run a scenario, write DIR/results.json, check its bounds; "
                                   "a file with a compare section runs every variant "
                                   "(DIR/<label>/, DIR/comparison.csv)")
    common(r)
    r.add_argument("--out", type=_path, help="output folder (default: out/<scenario name>)")
    r.add_argument("--in-process", action="store_true",
                   help="run in this process instead of a fresh child process")
    r.add_argument("--allow-large", action="store_true",
                   help="run even when the estimated cost exceeds the limits")
    r.add_argument("--workers", type=int,
                   help="a file with a compare section: variants run at once, each in its own "
                        "process (default 1: in order, as the C++ CLI)")
    r.set_defaults(func=cmd_run)

    v = sub.add_parser("validate", help="check a scenario file and exit")
    common(v, seed=False)
    v.set_defaults(func=cmd_validate)

    def pool(sp):
        sp.add_argument("--workers", type=int,
                        help="local worker processes at once (default: number of cores)")
        sp.add_argument("--scheduler", metavar="ADDRESS",
                        help="Dask scheduler (tcp://host:8786) to run on instead of local workers")
        sp.add_argument("--no-progress", action="store_true", help="no progress bar")

    s = sub.add_parser("sweep", help="grid of overrides x seeds, one process per run, resumable")
    common(s, seed=False)
    s.add_argument("--grid", action="append", default=[], metavar="PATH=V1,V2,...",
                   help="values of one field to sweep (repeatable: every combination runs)")
    s.add_argument("--seeds", default=None, help="seeds: 1-10, 1,2,5 (default: the scenario's)")
    s.add_argument("--out", type=_path, required=True,
                   help="sweep folder (run it again to resume)")
    pool(s)
    s.set_defaults(func=cmd_sweep)

    c = sub.add_parser("compare", help="one scenario under several variants, side by side")
    common(c, seed=False)
    c.add_argument("--policies", help="uplink policies: carrier-only,flow-hash,...")
    c.add_argument("--presets", help="monitoring presets: frr-default,aggressive,...")
    c.add_argument("--variant", action="append", metavar="'LABEL: PATH=V; PATH=V'",
                   help="a variant as overrides (repeatable), e.g. offload settings")
    c.add_argument("--column", action="append", metavar="NAME=PATH[:agg]",
                   help="an extra figure: dotted path into results.json, '*' for all, "
                        "agg max|min|sum|mean|first")
    c.add_argument("--seeds", default=None, help="seeds: 1-5 (default: the scenario's)")
    c.add_argument("--out", default="", help="keep the runs here (resumable)")
    c.add_argument("--csv", type=_path, help="CSV file (default: OUT/compare.csv or ./compare.csv)")
    pool(c)
    c.set_defaults(func=cmd_compare)

    pa = sub.add_parser("path", help="path calculator: the leaves, spines and links a tunnel "
                                     "frame takes in a scenario's fabric (before any fault)")
    pa.add_argument("file", help="scenario YAML file")
    pa.add_argument("--from", dest="from_uplink", required=True,
                    help="the sending uplink, hostN/uplinkK")
    pa.add_argument("--to", dest="to_host", required=True, help="the destination host, hostN")
    pa.add_argument("--sport", type=int, required=True, help="outer UDP source port")
    pa.add_argument("--dport", type=int, default=None,
                    help="outer UDP destination port (default: the scenario's encapsulation, "
                         "6081 GENEVE or 4789 VXLAN)")
    pa.add_argument("--set", action="append", default=[], metavar="PATH=VALUE",
                    help="override a field (repeatable)")
    pa.set_defaults(func=cmd_path)

    pl = sub.add_parser("plot", help="PNG plots from a run or a sweep")
    pl.add_argument("kind", choices=["timeline", "detection", "pareto", "path"],
                    help="timeline: goodput over time with faults (a results.json or run folder);"
                         " path: the paths a traced flow took, with the faults (a run folder);"
                         " detection: a figure's distribution per variant (a sweep/compare "
                         "folder); pareto: cost vs failover/goodput (a sweep/compare folder)")
    pl.add_argument("source", help="results.json, run folder, sweep record or sweep folder")
    pl.add_argument("--out", type=_path, required=True, help="PNG file")
    pl.add_argument("--flows", help="timeline: flows to draw (default: all)")
    pl.add_argument("--flow", help="path: the traced flow")
    pl.add_argument("--metric", help="detection: figure name or PATH (default detection_ms)")
    pl.add_argument("--x", help="pareto: x figure (default fast_path_cost)")
    pl.add_argument("--y", help="pareto: y figures, comma-separated "
                                "(default failover_ms,goodput_mbps)")
    pl.set_defaults(func=cmd_plot)
    return p


def main(argv=None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except _core.ConfigError as e:
        return _error(str(e))
    except KeyboardInterrupt as e:
        msg = str(e)
        print("interrupted" + (f": {msg}; run the same command again to resume" if msg else ""),
              file=sys.stderr)
        return 130
    except Exception as e:  # noqa: BLE001 - a clear message, not a traceback, for known errors
        from .runner import RunError
        from .sweeps import SweepError

        if isinstance(e, (RunError, SweepError, ValueError, OSError)):
            print(f"error: {e}", file=sys.stderr)
            return 2 if not isinstance(e, RunError) else 1
        print(f"internal error: {type(e).__name__}: {e}\nThis is a bug in overlay_fabric, not in "
              "your input: please report it with the scenario file and the command line.",
              file=sys.stderr)
        return 3
