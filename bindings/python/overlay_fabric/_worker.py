"""The child process that runs one scenario: ``python -m overlay_fabric._worker``.

Reads a spec (JSON: scenario YAML text, source name, overrides, the label of a ``compare:``
variant or '', output folder) on stdin, runs it
with the C++ runner and writes one JSON envelope on stdout:

* ``{"ok": true, "results_json": TEXT, "expect_broken": [...], "build_wall_s", "run_wall_s",
  "pcap_files", "host", "pid"}``, ``results_json`` being byte for byte the CLI's results.json;
* ``{"ok": false, "error": {"type": "ConfigError", "what", "file", "line", "field", "message"}}``
  on bad input, or another ``type`` with ``what`` and ``traceback`` for anything else.

Ctrl-C at the terminal does not reach it (the launcher starts it in its own session and kills it
when interrupted); it dies with its launcher (PR_SET_PDEATHSIG), so a killed sweep leaves no
orphan runs behind. Anything the simulation prints goes to stderr, never into the envelope.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import sys
import traceback


def die_with_parent(parent_pid: int | None) -> None:
    """Ask Linux to SIGKILL this process when its parent dies; exit now if it already has."""
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        PR_SET_PDEATHSIG = 1
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):
        pass
    if parent_pid and os.getppid() != parent_pid:
        os._exit(75)


def error_envelope(exc: BaseException) -> dict:
    from ._core import ConfigError

    if isinstance(exc, ConfigError):
        return {"ok": False, "error": {"type": "ConfigError", "what": str(exc),
                                       "file": getattr(exc, "file", ""),
                                       "line": getattr(exc, "line", 0),
                                       "field": getattr(exc, "field", ""),
                                       "message": getattr(exc, "message", str(exc))}}
    return {"ok": False, "error": {"type": type(exc).__name__, "what": str(exc),
                                   "traceback": traceback.format_exc()}}


def run_envelope(config, out_dir: str, allow_large: bool = False) -> dict:
    """Run a validated config in this process and describe the outcome as an envelope."""
    from . import _core

    try:
        if out_dir:
            os.makedirs(out_dir, exist_ok=True)
        run = _core.run_scenario(config, out_dir, allow_large=allow_large)
        broken = _core.check_expectations(config, run.results_json)
    except Exception as exc:  # noqa: BLE001 - every failure goes back to the launcher
        return error_envelope(exc)
    return {"ok": True, "results_json": run.results_json, "expect_broken": list(broken),
            "build_wall_s": run.build_wall_s, "run_wall_s": run.run_wall_s,
            "pcap_files": [list(p) for p in run.pcap_files], "host": socket.gethostname(),
            "pid": os.getpid()}


def spec_envelope(spec: dict) -> dict:
    """Load the spec's scenario (as the CLI would: same text, name, overrides and loader, then
    the spec's variant) and run it."""
    from .scenario import load_configs, select_variant

    try:
        text, name = spec["text"], spec.get("source_name", "<string>")
        overrides = spec.get("overrides", [])
        config = select_variant(load_configs(text, name, overrides), spec.get("variant", ""),
                                text, name, overrides)
    except Exception as exc:  # noqa: BLE001
        return error_envelope(exc)
    return run_envelope(config, spec.get("out_dir", ""), bool(spec.get("allow_large", False)))


def main() -> int:
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    spec = json.load(sys.stdin)
    die_with_parent(spec.get("parent_pid"))
    envelope_fd = os.dup(1)
    os.dup2(2, 1)  # keep whatever the simulation prints out of the envelope
    envelope = spec_envelope(spec)
    with os.fdopen(envelope_fd, "w", encoding="utf-8") as out:
        json.dump(envelope, out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
