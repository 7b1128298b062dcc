"""Plots (matplotlib, Agg backend, PNG).

* :func:`timeline` - goodput of each flow over time (results.json ``flows.<f>.goodput.bps`` per
  bin) with every fault marked: start (and end), detection and uplink switch (``detected_s`` /
  ``uplink_switch_s``, or ``at_s`` + ``detection_ms`` / ``failover_ms``, labelled with the
  delay), routes converged, and each affected flow's recovery.
* :func:`distribution` - a figure's distribution per variant across seeds, from a sweep or a
  compare folder (default: detection time per uplink policy).
* :func:`pareto` - fast-path cost against failover time and against goodput, per variant, with
  the Pareto front. While results.json has no cost figure, it plots what exists (failover
  against goodput) and says so.

* :func:`path_diagram` - the paths a traced flow took (results.json ``trace``, seed 004): its
  hosts, leaves and spines in tiers, each distinct path in its own colour with its time span and
  fate, a drop marked where it happened, and each fault's link marked.

Each function returns a list of notes (what was missing, what was plotted instead); the command
line prints them.
"""

from __future__ import annotations

import json
import os
import statistics
import textwrap
from pathlib import Path
from typing import Sequence

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from .figures import METRICS_BY_NAME, MISSING, Metric, group_records, metric  # noqa: E402


def read_results(path: str | os.PathLike) -> dict:
    """results.json from a file, a run folder (DIR/results.json) or a sweep record file."""
    p = Path(path)
    if p.is_dir():
        p = p / "results.json"
    data = json.loads(p.read_text(encoding="utf-8"))
    if "results" in data and "run_id" in data:  # a sweep record
        if data["results"] is None:
            raise ValueError(f"{path}: this run failed, it has no results")
        return data["results"]
    return data


def _save(fig, out: str | os.PathLike) -> None:
    Path(out).parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(out, dpi=120)
    plt.close(fig)


def timeline(results: dict, out: str | os.PathLike, flows: Sequence[str] | None = None,
             title: str | None = None) -> list[str]:
    """Goodput over time per flow, with each fault's timeline marked."""
    notes = []
    fig, ax = plt.subplots(figsize=(10, 5))
    names = list(flows) if flows else list(results.get("flows", {}))
    plotted = 0
    for name in names:
        f = results["flows"].get(name)
        if f is None:
            notes.append(f"no flow {name!r} in results")
            continue
        g = f.get("goodput") or {}
        bps, bin_s = g.get("bps"), g.get("bin_s")
        if not bps or not bin_s:
            notes.append(f"flow {name}: no goodput time series in results")
            continue
        xs = [i * bin_s for i in range(len(bps) + 1)]
        ys = [b / 1e6 for b in bps] + [bps[-1] / 1e6]
        ax.step(xs, ys, where="post", label=name, linewidth=1.2)
        plotted += 1
    ymax = ax.get_ylim()[1]
    # (instant, delay after the fault in ms, what, colour, style): a mark is drawn at the
    # instant, or at at_s + the delay when results only have the delay.
    marks = [("detected_s", "detection_ms", "detected", "tab:orange", "--"),
             ("uplink_switch_s", "failover_ms", "uplink switch", "tab:purple", "-."),
             ("routes_converged_s", None, "routes converged", "tab:gray", ":")]

    def number(v):
        return isinstance(v, (int, float)) and not isinstance(v, bool)

    for i, fault in enumerate(results.get("faults", [])):
        at = fault.get("at_s")
        tag = f"fault {i} ({fault.get('kind')} {fault.get('target')})"
        if at is not None:
            ax.axvline(at, color="tab:red", linewidth=1.5, label=f"{tag} at {at:g} s")
            end = fault.get("end_s")
            if end is not None:
                ax.axvspan(at, end, color="tab:red", alpha=0.08, label=f"fault {i} active")
        for key, ms_key, what, color, style in marks:
            t, ms = fault.get(key), fault.get(ms_key) if ms_key else None
            if not number(t) and number(ms) and number(at):
                t = at + ms / 1e3
            if number(t):
                if not number(ms) and number(at):
                    ms = (t - at) * 1e3
                ax.axvline(t, color=color, linestyle=style, linewidth=1.2,
                           label=f"fault {i} {what} ({ms:.3f} ms)" if number(ms)
                           else f"fault {i} {what}")
            elif ms_key == "detection_ms" and (key in fault or ms_key in fault):
                notes.append(f"fault {i}: never detected (detection_ms is null)")
        for fname, a in (fault.get("flows") or {}).items():
            t, ms = a.get("recovered_s"), a.get("recovery_ms")
            if not number(t) and number(ms) and number(at):
                t = at + ms / 1e3
            if number(t):
                ax.axvline(t, color="tab:green", linestyle=":", linewidth=1.2,
                           label=f"{fname} recovered ("
                                 + (f"{ms:.3f} ms, " if number(ms) else "")
                                 + f"lost {a.get('lost')})")
                ax.annotate(f"{fname}\nrecovered", (t, ymax * 0.9), fontsize=7,
                            color="tab:green", ha="left")
            else:
                notes.append(f"fault {i}: flow {fname} lost {a.get('lost')} and never recovered")
    sc = results.get("scenario", {})
    ax.set_title(title or f"{sc.get('name', '')} (seed {sc.get('seed', '?')}): goodput per flow")
    ax.set_xlabel("time (s)")
    ax.set_ylabel("goodput (Mb/s)")
    ax.grid(True, alpha=0.3)
    ax.legend(fontsize=7, loc="lower left")
    if not plotted:
        notes.append("no flow had a goodput time series: empty plot")
    fig.tight_layout()
    _save(fig, out)
    return notes


def distribution(records: Sequence[dict], out: str | os.PathLike,
                 metric_spec: str | Metric = "detection_ms", title: str | None = None) -> list[str]:
    """Box plot plus the points of one figure per variant across seeds; 'never' counted."""
    m = metric(metric_spec)
    notes = []
    groups = group_records(r for r in records if r.get("status") == "ok")
    labels, data, nevers, missing = [], [], [], []
    for label, recs in groups.items():
        vals = [m.value(r.get("results")) for r in recs]
        labels.append(label)
        data.append([v for v in vals if v is not None and v is not MISSING])
        nevers.append(sum(1 for v in vals if v is None))
        missing.append(sum(1 for v in vals if v is MISSING))
    fig, ax = plt.subplots(figsize=(max(6, 1.6 * len(labels) + 2), 5))
    if not labels:
        notes.append("no finished runs to plot")
    for i, (label, d) in enumerate(zip(labels, data), start=1):
        if d:
            ax.boxplot([d], positions=[i], widths=0.5, showfliers=False)
            jitter = [i + (k % 7 - 3) * 0.03 for k in range(len(d))]
            ax.scatter(jitter, d, s=14, alpha=0.7, zorder=3)
        extra = []
        if nevers[i - 1]:
            extra.append(f"never: {nevers[i - 1]}")
        if missing[i - 1]:
            extra.append(f"missing: {missing[i - 1]}")
        ax.annotate(f"n={len(d) + nevers[i - 1] + missing[i - 1]}" +
                    (("\n" + "\n".join(extra)) if extra else ""),
                    (i, 1.0), xycoords=("data", "axes fraction"), ha="center", va="top",
                    fontsize=8)
    if all(not d for d in data):
        what = ("null in every run (never happened)" if any(nevers)
                else "not in these results")
        notes.append(f"{m.name} ({', '.join(m.paths)}) is {what}")
        ax.text(0.5, 0.5, f"{m.name}: {what}", transform=ax.transAxes, ha="center")
    ax.set_xticks(range(1, len(labels) + 1))
    ax.set_xticklabels(labels, rotation=15, ha="right", fontsize=8)
    ax.set_ylabel(m.name)
    ax.set_title(title or f"{m.name} per variant across seeds")
    ax.grid(True, axis="y", alpha=0.3)
    fig.tight_layout()
    _save(fig, out)
    return notes


def _means(records: Sequence[dict], m: Metric) -> dict[str, float | None]:
    out = {}
    for label, recs in group_records(r for r in records if r.get("status") == "ok").items():
        vals = [m.value(r.get("results")) for r in recs]
        nums = [v for v in vals if v is not None and v is not MISSING]
        out[label] = statistics.fmean(nums) if nums else None
    return out


def _front(points: list[tuple[float, float, str]], maximize_y: bool) -> list:
    """Pareto-optimal points: lower x, and lower (or higher) y."""
    front = []
    for x, y, lbl in points:
        dominated = any(
            (x2 <= x and ((y2 >= y) if maximize_y else (y2 <= y)) and (x2, y2) != (x, y))
            for x2, y2, _ in points)
        if not dominated:
            front.append((x, y, lbl))
    return sorted(front)


def pareto(records: Sequence[dict], out: str | os.PathLike, x: str | Metric | None = None,
           ys: Sequence[str | Metric] | None = None, title: str | None = None) -> list[str]:
    """Cost (x) against failover time and goodput (one panel each), a point per variant;
    non-dominated points filled, dominated ones hollow. Returns the notes (figures missing),
    then per panel which variants are non-dominated and which dominated."""
    notes = []
    dominance = []
    ok = [r for r in records if r.get("status") == "ok"]

    def present(m: Metric) -> bool:
        return any(m.value(r.get("results")) not in (MISSING, None) for r in ok)

    xm = metric(x) if x else METRICS_BY_NAME["fast_path_cost"]
    y_metrics = [metric(y) for y in ys] if ys else [METRICS_BY_NAME["failover_ms"],
                                                   METRICS_BY_NAME["goodput_mbps"]]
    if not present(xm):
        fallback = next((METRICS_BY_NAME[n] for n in ("overhead_bytes_per_s_per_host",
                                                      "failover_ms",
                                                      "detection_ms", "lost")
                         if METRICS_BY_NAME[n] is not xm and present(METRICS_BY_NAME[n])), None)
        notes.append(f"{xm.name} is not in these results yet (paths tried: "
                     f"{', '.join(xm.paths)}); plotting "
                     f"{fallback.name if fallback else 'nothing'} on the x axis instead")
        if fallback is None:
            xm = None
        else:
            xm = fallback
            y_metrics = [y for y in y_metrics if y.name != xm.name] or [
                METRICS_BY_NAME["goodput_mbps"]]
    fig, axes = plt.subplots(1, max(1, len(y_metrics)), figsize=(6 * max(1, len(y_metrics)), 5),
                             squeeze=False)
    for ax, ym in zip(axes[0], y_metrics):
        if xm is None or not present(ym):
            what = ym.name if xm is not None else "cost"
            ax.text(0.5, 0.5, f"{what}: not in these results", transform=ax.transAxes,
                    ha="center")
            if xm is not None:
                notes.append(f"{ym.name}: not in these results")
            continue
        xs, yv = _means(ok, xm), _means(ok, ym)
        pts = [(xs[k], yv[k], k) for k in xs if xs[k] is not None and yv.get(k) is not None]
        same: dict = {}  # variants at the same point share one label
        for px, py, lbl in pts:
            same.setdefault((px, py), []).append(lbl)
        front = _front(pts, maximize_y=not ym.lower_is_better)
        on_front = {(p[0], p[1]) for p in front}
        shown = set()
        for i, ((px, py), lbls) in enumerate(sorted(same.items())):
            # Non-dominated choices filled, dominated ones hollow and grey.
            kind = "non-dominated" if (px, py) in on_front else "dominated"
            ax.scatter([px], [py], s=40, zorder=3,
                       facecolors="tab:blue" if kind == "non-dominated" else "none",
                       edgecolors="tab:blue" if kind == "non-dominated" else "grey",
                       label=kind if kind not in shown else None)
            shown.add(kind)
            # Labels of neighbouring points staggered up and down so they stay readable.
            ax.annotate("\n".join(lbls), (px, py), textcoords="offset points",
                        xytext=(5, 5 - 14 * (i % 3)), fontsize=8)
        if len(front) > 1:
            ax.plot([p[0] for p in front], [p[1] for p in front], "k--", linewidth=1,
                    label="Pareto front")
        if pts:
            best = sorted(lbl for px, py, lbl in pts if (px, py) in on_front)
            worse = sorted(lbl for px, py, lbl in pts if (px, py) not in on_front)
            dominance.append(f"{xm.name} vs {ym.name}: non-dominated {', '.join(best)}; "
                             f"dominated {', '.join(worse) or 'none'}")
            ax.legend(fontsize=8)
        ax.set_xlabel(f"{xm.name} (mean over seeds)")
        ax.set_ylabel(f"{ym.name} (mean over seeds)")
        ax.grid(True, alpha=0.3)
    heading = title or (f"{xm.name if xm else 'cost'} vs " + " / ".join(y.name for y in y_metrics))
    if notes:
        heading += "\n" + textwrap.fill(f"({notes[0]})", width=90)
    fig.suptitle(heading, fontsize=9)
    fig.tight_layout()
    _save(fig, out)
    return notes + dominance


__all__ = ["timeline", "distribution", "pareto", "read_results"]


def _tier(node: str) -> int:
    return 2 if node.startswith("spine") else 1 if node.startswith("leaf") else 0


def path_diagram(results: dict, out: str | os.PathLike, flow: str,
                 title: str | None = None) -> list[str]:
    """The distinct paths of traced flow ``flow``: nodes in tiers (hosts, leaves, spines), each
    path's links in its colour (offset a little so that shared links show every path), a red
    cross where a path's packets were dropped, and each fault's link in red."""
    notes: list[str] = []
    trace = results.get("trace")
    if not trace or flow not in trace:
        raise ValueError(f"flow {flow!r} is not traced in these results (traced: "
                         f"{', '.join(trace or []) or 'none: the scenario has no trace section'})")
    paths = trace[flow]["paths"]
    # Each path as its wire segments (from node, link, to node); the last goes to the
    # destination host when delivered, nowhere when dropped.
    segments = []
    for p in paths:
        hops = [h for h in p["hops"] if not h["via"].startswith(("vm ", "vtep"))]
        seg = []
        for i, h in enumerate(hops):
            if i + 1 < len(hops):
                seg.append((h["node"], h["via"], hops[i + 1]["node"]))
            elif p["fate"] == "delivered":
                seg.append((h["node"], h["via"], p["at"].split("/")[0]))
            else:
                seg.append((h["node"], h["via"], None))
        segments.append(seg)
    # A dropped packet's last link: its far end from another path that crossed it, if any.
    far = {(a, link): b for seg in segments for a, link, b in seg if b is not None}
    segments = [[(a, link, b if b is not None else far.get((a, link))) + ((b is None),)
                 for a, link, b in seg] for seg in segments]
    nodes: dict[int, list[str]] = {0: [], 1: [], 2: []}
    for p, seg in zip(paths, segments):
        for a, _, b, _ in seg:
            for n in (a, b):
                if n is not None and n not in nodes[_tier(n)]:
                    nodes[_tier(n)].append(n)
        src = p["hops"][0]["node"]
        if src not in nodes[0]:
            nodes[0].append(src)
    pos = {}
    for tier, names in nodes.items():
        names.sort(key=lambda n: int("".join(c for c in n if c.isdigit()) or 0))
        for i, n in enumerate(names):
            pos[n] = ((i + 1) / (len(names) + 1), tier)
    fig, ax = plt.subplots(figsize=(9, 5))
    colors = plt.rcParams["axes.prop_cycle"].by_key()["color"]
    for k, (p, seg) in enumerate(zip(paths, segments)):
        color = colors[k % len(colors)]
        dx = (k - (len(paths) - 1) / 2) * 0.008
        label = (f"[{k}] {p['first_s']:g}-{p['last_s']:g} s, {p['packets']} packets, "
                 + ("delivered" if p["fate"] == "delivered" else f"dropped ({p['fate']})"))
        for j, (a, link, b, dropped) in enumerate(seg):
            (x0, y0) = pos[a]
            (x1, y1) = pos[b] if b is not None else (x0, y0 + 0.5)
            if dropped:  # half way along its last link, then a cross
                x1, y1 = (x0 + x1) / 2, (y0 + y1) / 2
                ax.plot([x1 + dx], [y1], marker="x", color="tab:red", markersize=12, mew=2)
            ax.plot([x0 + dx, x1 + dx], [y0, y1], color=color, linewidth=2,
                    label=label if j == 0 else None)
        if not seg:
            ax.plot([], [], color=color, label=label)
    for i, fault in enumerate(results.get("faults", [])):
        target = fault.get("target")
        ends = {(a, b) for seg in segments for a, link, b, _ in seg if link == target}
        if not ends:
            notes.append(f"fault {i} ({target}) is on none of the traced paths")
            continue
        for k, (a, b) in enumerate(sorted(ends, key=str)):
            (x0, y0) = pos[a]
            (x1, y1) = pos[b] if b is not None else (x0, y0 + 0.5)
            ax.plot([x0, x1], [y0, y1], color="tab:red", linewidth=6, alpha=0.25,
                    label=f"fault {i}: {fault.get('kind')} {target} at {fault.get('at_s')} s"
                    if k == 0 else None)
    for n, (x, y) in pos.items():
        ax.plot([x], [y], marker="s" if y else "o", markersize=14, color="white",
                markeredgecolor="black")
        ax.annotate(n, (x, y), textcoords="offset points", xytext=(0, -20 if y == 0 else 12),
                    ha="center", fontsize=8)
    ax.set_yticks([0, 1, 2], ["hosts", "leaves", "spines"])
    ax.set_xticks([])
    ax.set_ylim(-0.5, 2.5)
    sc = results.get("scenario", {})
    ax.set_title(title or f"{sc.get('name', '')}: paths of {flow}")
    ax.legend(fontsize=7, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    fig.tight_layout()
    _save(fig, out)
    return notes
