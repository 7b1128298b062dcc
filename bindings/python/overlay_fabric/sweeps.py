"""Sweeps: a grid of overrides x seeds, one fresh process per run, one result file per run.

Layout of a sweep folder::

    DIR/sweep.json          what was asked: scenario (name, sha256), base overrides, grid, seeds
    DIR/scenario.yaml       the scenario text the runs used
    DIR/runs/<run_id>.json  one record per finished run, written atomically (tmp + rename)

A record holds ``run_id``, ``params`` (grid values), ``seed``, ``overrides`` (all of them, in the
order applied), ``variant`` (the label of the file's ``compare:`` variant, or ''), ``status`` (``ok`` or ``failed``), ``expect_broken`` (the CLI's bound messages),
``error``, wall-clock figures (``wall_s``: the run's process, from start to results), the
worker's ``host`` and ``pid``, and ``results`` (results.json, parsed).

Resuming: run the same sweep again into the same folder. Runs whose record says ``ok`` are not
run again; failed ones are retried; runs that were going when the sweep was killed left no record
(records appear only whole) and run again. A folder made for another scenario text is refused.

Executors: local worker processes (default: as many as cores), or a Dask distributed scheduler
(``scheduler="tcp://host:8786"``) whose workers run each scenario in a fresh process of their own
(so they need this package on PYTHONPATH, and ``--nthreads`` = cores). Results come back to this
process, which writes the records: the sweep folder is only needed here.

A scenario file with a ``compare:`` section sweeps every one of its variants: the variant label is
the first grid axis (``params["variant"]``), and the sweep's overrides apply before each
variant's ``set`` entries, as the CLI's ``--set``. A :class:`Scenario` of one variant
(``load(FILE, variant=LABEL)``) sweeps that variant only.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import os
import re
import signal
import sys
import threading
import time
from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Iterator, Mapping, Sequence

from . import _core
from .runner import run_spec_envelope
from .scenario import (Scenario, load_configs, load_variants, select_variant, write_atomically,
                       yaml_value)

MANIFEST = "sweep.json"
RUNS = "runs"


class SweepError(RuntimeError):
    """The sweep folder does not belong to this sweep, or the sweep was asked wrongly."""


@dataclass
class RunPoint:
    """One run of a sweep: its grid values, seed, the overrides that make it and the label of
    the file's compare variant it runs ('' for a file without compare)."""

    run_id: str
    params: dict
    seed: int
    overrides: list = field(default_factory=list)
    variant: str = ""


def parse_seeds(text: str | int | Sequence[int]) -> list[int]:
    """``"1-10"``, ``"1,2,5"``, ``"1-3,7"``, an int or a list -> sorted unique seeds (>= 1)."""
    if isinstance(text, int):
        return [text]
    if not isinstance(text, str):
        seeds = [int(s) for s in text]
    else:
        seeds = []
        for part in text.split(","):
            part = part.strip()
            m = re.fullmatch(r"(\d+)\s*-\s*(\d+)", part)
            if m:
                lo, hi = int(m.group(1)), int(m.group(2))
                if hi < lo:
                    raise ValueError(f"seeds: range {part!r} goes backwards")
                seeds.extend(range(lo, hi + 1))
            elif part.isdigit():
                seeds.append(int(part))
            else:
                raise ValueError(f"seeds: {part!r} is not a seed or a range such as 1-10")
    if not seeds or min(seeds) < 1:
        raise ValueError("seeds: give at least one seed, each >= 1")
    return sorted(set(seeds))


def split_values(text: str) -> list[str]:
    """Split a grid value list at top-level commas: ``"a,b"`` -> [a, b], ``"[1,2],[3]"`` ->
    ["[1,2]", "[3]"]; brackets, braces and quotes protect their commas."""
    out, depth, quote, cur = [], 0, "", ""
    for ch in text:
        if quote:
            quote = "" if ch == quote else quote
        elif ch in "\"'":
            quote = ch
        elif ch in "[{":
            depth += 1
        elif ch in "]}":
            depth -= 1
        elif ch == "," and depth == 0:
            out.append(cur.strip())
            cur = ""
            continue
        cur += ch
    out.append(cur.strip())
    return [v for v in out if v != ""]


def parse_grid_args(items: Iterable[str]) -> dict[str, list[str]]:
    """``["overlay.uplink_policy=carrier-only,flow-hash", ...]`` -> {path: [values]}; a path
    given twice gets the values of both."""
    grid: dict[str, list[str]] = {}
    for item in items:
        o = _core.parse_override(item)
        values = split_values(o.value)
        if not values:
            raise ValueError(f"--grid {item!r}: no values")
        grid.setdefault(o.path, []).extend(values)
    return grid


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9._=+-]+", "-", text).strip("-")


def make_run_id(params: Mapping[str, str], seed: int, overrides: Sequence[str],
                variant: str = "") -> str:
    """A readable, stable file name: grid values and seed, plus a hash of every override and of
    the file variant (so a different base ``--set`` or variant never reuses a record)."""
    parts = [f"{k.rsplit('.', 1)[-1]}={v}" for k, v in params.items()]
    slug = _slug("_".join(parts + [f"seed={seed}"]))[:100]
    key = list(overrides) if not variant else [f"variant:{variant}", *overrides]
    digest = hashlib.sha1(json.dumps(key).encode("utf-8")).hexdigest()[:10]
    return f"{slug}_{digest}"


def expand_grid(grid: Mapping[str, Sequence[Any]] | None, seeds: Sequence[int],
                base_overrides: Sequence[str] = (),
                variants: Sequence[str] = ("",)) -> list[RunPoint]:
    """Every combination of the grid's values (in the order given) for every seed, for each of
    the file's compare ``variants`` (labels; ('',) for a file without compare). With more than
    one variant, or a labelled one, the label is the first grid value, ``params["variant"]``."""
    grid = {path: [yaml_value(v) for v in values] for path, values in (grid or {}).items()}
    for path, values in grid.items():
        if not values:
            raise SweepError(f"grid {path!r} has no values")
    if "variant" in grid and len(variants) > 1:
        raise SweepError("'variant' names the file's compare variants: it cannot be a grid path")
    points = []
    for variant in variants:
        for combo in itertools.product(*grid.values()):
            params = dict(zip(grid.keys(), combo))
            overrides = list(base_overrides) + [f"{p}={v}" for p, v in params.items()]
            if len(variants) > 1:
                params = {"variant": variant, **params}
            for seed in seeds:
                o = overrides + [f"seed={int(seed)}"]
                points.append(RunPoint(make_run_id(params, seed, o, variant), params, int(seed),
                                       o, variant))
    return points


def variant_points(variants: Mapping[str, Sequence[str]], seeds: Sequence[int],
                   base_overrides: Sequence[str] = (), file_variant: str = "") -> list[RunPoint]:
    """Named variants (label -> overrides) x seeds, e.g. for :mod:`overlay_fabric.comparison`;
    ``file_variant``: the label of the compare variant of the file they all start from."""
    points = []
    for label, extra in variants.items():
        for seed in seeds:
            overrides = list(base_overrides) + list(extra) + [f"seed={int(seed)}"]
            params = {"variant": label}
            points.append(RunPoint(make_run_id(params, seed, overrides, file_variant), params,
                                   int(seed), overrides, file_variant))
    return points


def file_variant_points(labels: Sequence[str], seeds: Sequence[int],
                        base_overrides: Sequence[str] = ()) -> list[RunPoint]:
    """The file's own compare variants (labels) x seeds: ``params["variant"]`` is the label."""
    points = []
    for label in labels:
        for seed in seeds:
            overrides = list(base_overrides) + [f"seed={int(seed)}"]
            params = {"variant": label}
            points.append(RunPoint(make_run_id(params, seed, overrides, label), params, int(seed),
                                   overrides, label))
    return points


def scenario_and_variants(scenario: Scenario | str | os.PathLike | Mapping,
                          overrides: Sequence[str] | Mapping | None = None
                          ) -> tuple[Scenario, list[str]]:
    """The scenario a sweep starts from and the compare variants it runs: a :class:`Scenario`
    runs itself (its variant, if it is one); a file (or text, or dict) with a ``compare:``
    section runs every variant (the first one's Scenario stands for the file)."""
    if isinstance(scenario, Scenario):
        sc = scenario.with_overrides(overrides) if overrides else scenario
        return sc, [sc.variant]
    scenarios = load_variants(scenario, overrides)
    return scenarios[0], [s.variant for s in scenarios]


# ---------------------------------------------------------------------------------- the store


class SweepStore:
    """The sweep folder: manifest, scenario text and one record file per run."""

    def __init__(self, out_dir: str | os.PathLike):
        self.dir = Path(out_dir)
        self.runs_dir = self.dir / RUNS

    def prepare(self, scenario: Scenario, manifest: dict) -> None:
        """Create the folder, or check that it holds a sweep of the same scenario text; an
        output folder that cannot be written raises ScenarioError before any run."""
        _core.prepare_output_folder(str(self.dir), [MANIFEST, "scenario.yaml"])
        _core.prepare_output_folder(str(self.runs_dir), [])
        sha = hashlib.sha256(scenario.text.encode("utf-8")).hexdigest()
        path = self.dir / MANIFEST
        if path.exists():
            old = json.loads(path.read_text(encoding="utf-8"))
            if old.get("scenario", {}).get("sha256") != sha:
                raise SweepError(
                    f"{self.dir} holds a sweep of another scenario text "
                    f"({old.get('scenario', {}).get('source_name')}, sha256 "
                    f"{old.get('scenario', {}).get('sha256', '?')[:12]}...); its records would "
                    "not match: use another folder")
        self.runs_dir.mkdir(parents=True, exist_ok=True)
        for tmp in self.runs_dir.glob(".*.tmp"):  # half-written by a killed sweep: never a record
            tmp.unlink(missing_ok=True)
        name = scenario.name
        if manifest.get("variants") and scenario.variant:  # the file's name, not one variant's
            name = name[: len(name) - len(scenario.variant) - 1]
        manifest = dict(manifest, scenario={"name": name,
                                            "source_name": scenario.source_name,
                                            "sha256": sha})
        write_atomically(self.dir / "scenario.yaml", scenario.text)
        write_atomically(path, json.dumps(manifest, indent=2) + "\n")

    def record_path(self, run_id: str) -> Path:
        return self.runs_dir / f"{run_id}.json"

    def status(self, run_id: str) -> str | None:
        """``ok``, ``failed`` or None (no record)."""
        p = self.record_path(run_id)
        try:
            return json.loads(p.read_text(encoding="utf-8")).get("status")
        except (OSError, ValueError):
            return None

    def write(self, record: dict) -> None:
        write_atomically(self.record_path(record["run_id"]), json.dumps(record) + "\n")

    def records(self) -> list[dict]:
        """Every record in the folder, sorted by run id."""
        out = []
        if self.runs_dir.is_dir():
            for p in sorted(self.runs_dir.glob("*.json")):
                try:
                    out.append(json.loads(p.read_text(encoding="utf-8")))
                except ValueError:
                    continue
        return out

    def manifest(self) -> dict:
        p = self.dir / MANIFEST
        return json.loads(p.read_text(encoding="utf-8")) if p.exists() else {}


def load_records(path: str | os.PathLike) -> list[dict]:
    """Records of a sweep folder (or of one record file)."""
    p = Path(path)
    if p.is_file():
        return [json.loads(p.read_text(encoding="utf-8"))]
    return SweepStore(p).records()


def make_record(point: RunPoint, envelope: dict) -> dict:
    wall = envelope.get("process_wall_s")
    rec = {"run_id": point.run_id, "params": point.params, "seed": point.seed,
           "overrides": point.overrides, "variant": point.variant,
           "wall_s": None if wall is None else round(wall, 3)}
    if envelope.get("ok"):
        rec.update(status="ok", expect_broken=envelope.get("expect_broken", []), error=None,
                   build_wall_s=envelope.get("build_wall_s"),
                   run_wall_s=envelope.get("run_wall_s"),
                   host=envelope.get("host"), pid=envelope.get("pid"),
                   results=json.loads(envelope["results_json"]))
    else:
        rec.update(status="failed", expect_broken=[], error=envelope.get("error"), results=None)
    return rec


# ------------------------------------------------------------------------------- executors


class LocalExecutor:
    """Runs specs in fresh worker processes on this machine, ``workers`` at a time."""

    def __init__(self, workers: int | None = None):
        self.workers = max(1, workers or len(os.sched_getaffinity(0)))
        self._procs: set = set()
        self._lock = threading.Lock()

    def describe(self) -> str:
        return f"{self.workers} local worker process(es)"

    def _run(self, spec: dict) -> dict:
        mine = []

        def started(proc):
            with self._lock:
                self._procs.add(proc)
                mine.append(proc)

        try:
            return run_spec_envelope(spec, on_start=started)
        finally:
            with self._lock:
                self._procs.difference_update(mine)

    def kill_running(self) -> None:
        """Kill the worker processes still running (their runs leave no record)."""
        with self._lock:
            procs = list(self._procs)
        for proc in procs:
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass

    def map_unordered(self, items: Sequence[tuple[Any, dict]]) -> Iterator[tuple[Any, dict]]:
        pool = ThreadPoolExecutor(max_workers=self.workers, thread_name_prefix="overlay-fabric")
        try:
            pending = {pool.submit(self._run, spec): key for key, spec in items}
            while pending:
                done, _ = wait(pending, timeout=0.5, return_when=FIRST_COMPLETED)
                for fut in done:
                    key = pending.pop(fut)
                    try:
                        envelope = fut.result()
                    except Exception as exc:  # noqa: BLE001
                        envelope = {"ok": False, "error": {"type": type(exc).__name__,
                                                           "what": str(exc)}}
                    yield key, envelope
        finally:
            # Interrupted (or the consumer stopped early): queued runs never start, running
            # workers are killed; none of them has written a record.
            pool.shutdown(wait=False, cancel_futures=True)
            self.kill_running()


class DaskExecutor:
    """Runs specs on a Dask distributed cluster; each task starts a fresh worker process on the
    Dask worker's machine (``run_spec_envelope``) and returns the envelope."""

    def __init__(self, scheduler: Any):
        from distributed import Client

        if isinstance(scheduler, str):
            self.client = Client(scheduler, timeout="30s")
            self._own = True
        else:  # a Client (or a LocalCluster) given by the caller
            self.client = scheduler if hasattr(scheduler, "submit") else Client(scheduler)
            self._own = not hasattr(scheduler, "submit")
        self.scheduler = scheduler

    def describe(self) -> str:
        try:
            n = sum(w.get("nthreads", 1)
                    for w in self.client.scheduler_info()["workers"].values())
        except Exception:  # noqa: BLE001
            n = "?"
        return f"Dask scheduler {self.client.scheduler.address} ({n} worker threads)"

    def map_unordered(self, items: Sequence[tuple[Any, dict]]) -> Iterator[tuple[Any, dict]]:
        from distributed import as_completed

        futures = {}
        for key, spec in items:
            fut = self.client.submit(run_spec_envelope, spec, pure=False,
                                     key=f"overlay-fabric-{_slug(str(key))}-{os.urandom(4).hex()}")
            futures[fut] = key
        try:
            for fut in as_completed(list(futures)):
                key = futures[fut]
                try:
                    envelope = fut.result()
                except Exception as exc:  # noqa: BLE001 - worker died, task erred
                    envelope = {"ok": False, "error": {"type": type(exc).__name__,
                                                       "what": str(exc)}}
                yield key, envelope
        finally:
            self.client.cancel([f for f in futures if not f.done()])

    def close(self) -> None:
        if self._own:
            self.client.close()


# ---------------------------------------------------------------------------------- progress


class Progress:
    """done / failed / left: a tqdm bar on a terminal, a plain line every few seconds otherwise."""

    def __init__(self, total: int, already: int, enabled: bool = True, label: str = "sweep"):
        self.total, self.done, self.failed, self.already = total, 0, 0, already
        self.enabled, self.label = enabled, label
        self.bar = None
        self._last = 0.0
        if enabled and sys.stderr.isatty():
            try:
                from tqdm import tqdm

                self.bar = tqdm(total=total, initial=already, desc=label, unit="run",
                                file=sys.stderr, dynamic_ncols=True)
                self.bar.set_postfix_str(self._counts())
            except ImportError:
                self.bar = None
        if enabled and self.bar is None:
            self._line(force=True)

    @property
    def left(self) -> int:
        return self.total - self.already - self.done - self.failed

    def _counts(self) -> str:
        return (f"done {self.already + self.done} (now {self.done}), failed {self.failed}, "
                f"left {self.left}")

    def _line(self, force: bool = False) -> None:
        now = time.monotonic()
        if force or now - self._last >= 2.0 or self.left == 0:
            width = 30
            frac = (self.total - self.left) / self.total if self.total else 1.0
            bar = "#" * int(frac * width) + "-" * (width - int(frac * width))
            print(f"{self.label} [{bar}] {self.total - self.left}/{self.total}: {self._counts()}",
                  file=sys.stderr, flush=True)
            self._last = now

    def update(self, ok: bool) -> None:
        if ok:
            self.done += 1
        else:
            self.failed += 1
        if not self.enabled:
            return
        if self.bar is not None:
            self.bar.update(1)
            self.bar.set_postfix_str(self._counts())
        else:
            self._line()

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


# ------------------------------------------------------------------------------------ running


@dataclass
class SweepResult:
    """What a sweep did: counts, and where its records are."""

    out_dir: Path
    total: int
    skipped: int
    done: int
    failed: int
    interrupted: bool
    run_ids: list
    wall_s: float

    def records(self) -> list[dict]:
        """The records of this sweep's runs (finished ones), in grid order."""
        store = SweepStore(self.out_dir)
        out = []
        for rid in self.run_ids:
            try:
                out.append(json.loads(store.record_path(rid).read_text(encoding="utf-8")))
            except OSError:
                continue
        return out

    def summary(self) -> str:
        return (f"{self.total} runs: {self.skipped} already done, {self.done} done now, "
                f"{self.failed} failed{' (interrupted)' if self.interrupted else ''}; "
                f"{self.wall_s:.1f} s; records in {self.out_dir / RUNS}")


def make_executor(workers: int | None = None, scheduler: Any = None):
    return DaskExecutor(scheduler) if scheduler is not None else LocalExecutor(workers)


def run_points(scenario: Scenario, points: Sequence[RunPoint], out_dir: str | os.PathLike, *,
               manifest: dict | None = None, workers: int | None = None, scheduler: Any = None,
               progress: bool = True, label: str = "sweep", validate: bool = True,
               log=None) -> SweepResult:
    """Run every point not already done in ``out_dir``; see the module docs. Each point's
    overrides replace the scenario's own (they start with them), and its variant the
    scenario's."""
    t0 = time.monotonic()
    ids = [p.run_id for p in points]
    if len(set(ids)) != len(ids):
        raise SweepError("two runs of the sweep have the same overrides (a value given twice?)")
    if validate:
        # Bad input fails the whole sweep at once, before anything runs, with the CLI's message.
        loaded: dict = {}
        for p in points:
            key = tuple(o for o in p.overrides if not o.startswith("seed="))
            if key not in loaded:
                loaded[key] = load_configs(scenario.text, scenario.source_name, p.overrides)
            select_variant(loaded[key], p.variant, scenario.text, scenario.source_name,
                           p.overrides)
    store = SweepStore(out_dir)
    store.prepare(scenario, manifest or {})
    todo = [p for p in points if store.status(p.run_id) != "ok"]
    skipped = len(points) - len(todo)
    result = SweepResult(Path(out_dir), len(points), skipped, 0, 0, False, ids, 0.0)
    if not todo:
        result.wall_s = time.monotonic() - t0
        return result
    executor = make_executor(workers, scheduler)
    if log:
        log(f"{label}: {len(points)} runs, {skipped} already done, {len(todo)} to run on "
            f"{executor.describe()}")
    bar = Progress(len(points), skipped, enabled=progress, label=label)
    by_id = {p.run_id: p for p in todo}
    items = [(p.run_id, dict(scenario.spec(), overrides=p.overrides, variant=p.variant))
             for p in todo]
    try:
        for run_id, envelope in executor.map_unordered(items):
            point = by_id[run_id]
            record = make_record(point, envelope)
            store.write(record)
            ok = record["status"] == "ok"
            result.done += ok
            result.failed += not ok
            bar.update(ok)
    except KeyboardInterrupt:
        result.interrupted = True
    finally:
        bar.close()
        if isinstance(executor, DaskExecutor):
            executor.close()
    result.wall_s = time.monotonic() - t0
    if result.interrupted:
        raise SweepInterrupted(result)
    return result


class SweepInterrupted(KeyboardInterrupt):
    """Ctrl-C during a sweep: finished runs are kept; run the same sweep again to resume."""

    def __init__(self, result: SweepResult):
        super().__init__(result.summary())
        self.result = result


def run_sweep(scenario: Scenario | str | os.PathLike | Mapping, grid: Mapping | None = None,
              seeds: Sequence[int] | str | int | None = None, out_dir: str | os.PathLike = "",
              *, overrides: Sequence[str] | Mapping | None = None, workers: int | None = None,
              scheduler: Any = None, progress: bool = True, log=None) -> SweepResult:
    """Run a grid of overrides x seeds, one fresh process per run, resumable.

    ``scenario``: a :class:`Scenario` or what :func:`overlay_fabric.load` takes (a file with a
    ``compare:`` section sweeps each of its variants: ``params["variant"]``).
    ``grid``: ``{"overlay.uplink_policy": ["carrier-only", "flow-hash"], ...}``.
    ``seeds``: list, int or ``"1-10"`` (default: the scenario's seed).
    ``out_dir``: the sweep folder (records, one per run). ``workers``: local processes at once
    (default: cores). ``scheduler``: a Dask scheduler address or Client instead.
    Ctrl-C raises :class:`SweepInterrupted` (a KeyboardInterrupt) with what was done.
    """
    if not out_dir:
        raise SweepError("a sweep needs an output folder (out_dir)")
    sc, variants = scenario_and_variants(scenario, overrides)
    seed_list = parse_seeds(seeds) if seeds is not None else [sc.seed]
    points = expand_grid(grid, seed_list, sc.overrides, variants)  # each carries every override
    manifest = {"kind": "sweep", "base_overrides": sc.overrides,
                "grid": {k: [yaml_value(v) for v in vs] for k, vs in (grid or {}).items()},
                "seeds": seed_list}
    if any(variants):
        manifest["variants"] = variants
    return run_points(sc, points, out_dir, manifest=manifest, workers=workers,
                      scheduler=scheduler, progress=progress, log=log)


__all__ = ["run_sweep", "run_points", "expand_grid", "variant_points", "file_variant_points",
           "scenario_and_variants", "parse_seeds",
           "parse_grid_args", "split_values", "SweepStore", "SweepResult", "SweepError",
           "SweepInterrupted", "LocalExecutor", "DaskExecutor", "load_records", "RunPoint"]
