"""Where a scenario runs: a fresh child process (the default) or this process.

Why a fresh process: ns-3 keeps global state across ``Simulator::Destroy()`` (MAC address and
packet counters, ...), so only a run in a new process is guaranteed to give the same bytes as the
CLI for the same file and seed. It also makes Ctrl-C simple and safe: the child runs in its own
session, so the terminal's SIGINT reaches only this (parent) process, which then kills the child
and raises KeyboardInterrupt; and a killed parent takes its children with it (PR_SET_PDEATHSIG).

* :func:`run_spec_envelope` - run a spec (YAML text + overrides) in ``python -m
  overlay_fabric._worker``; never raises for a failed run (the envelope says), only for
  KeyboardInterrupt. Used by sweeps, locally and on Dask workers.
* :func:`run_spec` - the same, as :class:`~overlay_fabric.Results` or an exception.
* :func:`run_config` - run a :class:`ScenarioConfig` struct (filled or edited in Python) in a
  forked child, or in this process with ``in_process=True``.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

from . import _core
from .scenario import Results


class RunError(RuntimeError):
    """A run failed for another reason than bad input (worker crashed, was killed, timed out,
    or the runner raised). ``returncode`` and ``stderr`` (its tail) tell more."""

    def __init__(self, message: str, returncode: int | None = None, stderr: str = ""):
        super().__init__(message)
        self.returncode = returncode
        self.stderr = stderr


def package_root() -> str:
    """The folder holding the overlay_fabric package (build/python in a build tree)."""
    return os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def worker_env() -> dict:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(
        p for p in [package_root(), env.get("PYTHONPATH", "")] if p)
    return env


def _kill_group(proc: subprocess.Popen) -> None:
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    proc.wait()


def _tail(text: bytes, lines: int = 20) -> str:
    return "\n".join(text.decode("utf-8", "replace").rstrip().splitlines()[-lines:])


def run_spec_envelope(spec: dict, timeout: float | None = None, on_start=None) -> dict:
    """Run ``spec`` (see :meth:`Scenario.spec`) in a fresh worker process; return its envelope.

    A crash, a kill or a timeout comes back as ``{"ok": false, "error": {"type": "RunError",
    ...}}``. KeyboardInterrupt (and SystemExit) kill the worker and propagate. ``on_start`` is
    called with the worker's Popen (a sweep keeps them to kill them when interrupted).
    """
    spec = dict(spec, parent_pid=os.getpid())
    t0 = time.monotonic()
    proc = subprocess.Popen([sys.executable, "-m", "overlay_fabric._worker"],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, env=worker_env(), start_new_session=True)
    if on_start is not None:
        on_start(proc)
    try:
        out, err = proc.communicate(json.dumps(spec).encode("utf-8"), timeout=timeout)
    except subprocess.TimeoutExpired:
        _kill_group(proc)
        return {"ok": False, "error": {"type": "RunError", "returncode": None,
                                       "what": f"the run took longer than {timeout} s",
                                       "stderr": ""}}
    except BaseException:
        _kill_group(proc)
        raise
    if proc.returncode != 0 or not out.strip():
        how = (f"killed by signal {-proc.returncode}" if proc.returncode < 0
               else f"exit status {proc.returncode}")
        return {"ok": False, "error": {"type": "RunError", "returncode": proc.returncode,
                                       "what": f"the worker process failed ({how})",
                                       "stderr": _tail(err)}}
    envelope = json.loads(out)
    envelope["process_wall_s"] = time.monotonic() - t0  # process start to results, this run only
    return envelope


def raise_for_envelope(envelope: dict) -> None:
    """Raise the exception a failed envelope describes: ConfigError (with file, line, field,
    message) for bad input, RunError otherwise."""
    err = envelope["error"]
    if err.get("type") == "ConfigError":
        exc = _core.ConfigError(err["what"])
        for key in ("file", "line", "field", "message"):
            setattr(exc, key, err.get(key))
        raise exc
    detail = err.get("stderr") or err.get("traceback") or ""
    raise RunError(f"{err.get('type')}: {err.get('what')}" + (f"\n{detail}" if detail else ""),
                   returncode=err.get("returncode"), stderr=detail)


def results_from_envelope(envelope: dict, config=None) -> Results:
    if not envelope.get("ok"):
        raise_for_envelope(envelope)
    return Results(envelope["results_json"], config=config,
                   expect_broken=envelope.get("expect_broken"),
                   build_wall_s=envelope.get("build_wall_s", 0.0),
                   run_wall_s=envelope.get("run_wall_s", 0.0),
                   pcap_files=envelope.get("pcap_files", ()))


def run_spec(spec: dict, config=None, timeout: float | None = None) -> Results:
    """Run ``spec`` in a fresh process: :class:`Results`, or ConfigError / RunError."""
    return results_from_envelope(run_spec_envelope(spec, timeout=timeout), config=config)


def run_struct_in_process(config, out_dir=None, allow_rerun: bool = False,
                          allow_large: bool = False) -> Results:
    """Run in this process (GIL released; Ctrl-C raises KeyboardInterrupt). One run per process
    unless ``allow_rerun``: see ``_core.run_scenario``."""
    out = os.fspath(out_dir) if out_dir else ""
    if out:
        os.makedirs(out, exist_ok=True)
    run = _core.run_scenario(config, out, allow_rerun, allow_large)
    return Results(run.results_json, config=config, build_wall_s=run.build_wall_s,
                   run_wall_s=run.run_wall_s, pcap_files=run.pcap_files)


def run_config(config, out_dir=None, *, in_process: bool = False, allow_rerun: bool = False,
               timeout: float | None = None) -> Results:
    """Run a :class:`ScenarioConfig` struct built or edited in Python.

    By default in a forked child of this process, which therefore must not have run a scenario
    in-process before (its ns-3 state would be inherited; this raises RuntimeError then). With
    ``in_process=True``, in this process. Raises ConfigError if the struct is invalid.
    """
    config.validate()
    if in_process:
        return run_struct_in_process(config, out_dir, allow_rerun=allow_rerun)
    if _core.runs_in_this_process() > 0:
        raise RuntimeError("run_config() forks this process, which already ran a scenario "
                           "in-process: the child would inherit that ns-3 state. Run from a "
                           "process that has not, or pass in_process=True, allow_rerun=True")
    from . import _worker

    out = os.fspath(out_dir) if out_dir else ""
    parent = os.getpid()
    rfd, wfd = os.pipe()
    pid = os.fork()
    if pid == 0:  # child: never returns
        code = 70
        try:
            os.close(rfd)
            os.setsid()
            signal.signal(signal.SIGINT, signal.SIG_DFL)
            _worker.die_with_parent(parent)
            envelope = _worker.run_envelope(config, out)
            with os.fdopen(wfd, "wb") as f:
                f.write(json.dumps(envelope).encode("utf-8"))
            code = 0
        finally:
            os._exit(code)
    os.close(wfd)
    chunks = []
    try:
        with os.fdopen(rfd, "rb") as f:
            if timeout is not None:
                import select

                if not select.select([f], [], [], timeout)[0]:
                    raise TimeoutError(f"the run took longer than {timeout} s")
            chunks.append(f.read())
        _, status = os.waitpid(pid, 0)
    except BaseException:
        try:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
        except (ProcessLookupError, ChildProcessError):
            pass
        raise
    data = b"".join(chunks)
    code = os.waitstatus_to_exitcode(status)
    if code != 0 or not data:
        raise RunError(f"the forked run failed (exit code {code})", returncode=code)
    return results_from_envelope(json.loads(data), config=config)


__all__ = ["RunError", "run_spec", "run_spec_envelope", "run_config", "run_struct_in_process",
           "raise_for_envelope", "results_from_envelope", "package_root"]
