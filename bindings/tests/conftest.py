"""Shared fixtures of the Python tests. Run them with Debian's Python and the built package:

    PYTHONPATH=build/python /usr/bin/python3 -m pytest bindings/tests

(ctest does that, giving the C++ CLI's path in OVERLAY_FABRIC_CLI.)
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

SOURCE_DIR = Path(os.environ.get("OVERLAY_FABRIC_SOURCE_DIR",
                                 Path(__file__).resolve().parents[2]))
BINARY_DIR = Path(os.environ.get("OVERLAY_FABRIC_BINARY_DIR", SOURCE_DIR / "build"))
CLI = Path(os.environ.get("OVERLAY_FABRIC_CLI", BINARY_DIR / "overlay-fabric"))
SCENARIOS = SOURCE_DIR / "scenarios"
DATA = Path(__file__).resolve().parent / "data"
SMALL = DATA / "small-failover.yaml"


def package_env(**extra) -> dict:
    """The environment a child Python needs to import overlay_fabric."""
    import overlay_fabric

    env = dict(os.environ)
    root = str(Path(overlay_fabric.__file__).parent.parent)
    env["PYTHONPATH"] = os.pathsep.join(p for p in [root, env.get("PYTHONPATH", "")] if p)
    env.update(extra)
    return env


def run_cli(*args, check=True, **kw) -> subprocess.CompletedProcess:
    """The C++ CLI."""
    if not CLI.exists():
        pytest.fail(f"C++ CLI not built: {CLI} (cmake --build build --target overlay-fabric)")
    return subprocess.run([str(CLI), *map(str, args)], capture_output=True, text=True,
                          check=check, **kw)


def run_py(*args, check=True, **kw) -> subprocess.CompletedProcess:
    """``python3 -m overlay_fabric ARGS`` with this interpreter."""
    return subprocess.run([sys.executable, "-m", "overlay_fabric", *map(str, args)],
                          capture_output=True, text=True, check=check, env=package_env(), **kw)


def run_py_code(code: str, **kw) -> subprocess.CompletedProcess:
    """A Python snippet in a fresh interpreter (for in-process runs, which this test process
    must not do: they leave ns-3 state behind)."""
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          env=package_env(), cwd=str(SOURCE_DIR), **kw)


@pytest.fixture(scope="session")
def cli_results(tmp_path_factory):
    """results.json text of a CLI run, cached per (file, args)."""
    cache = {}

    def get(path, *args) -> str:
        key = (str(path), args)
        if key not in cache:
            out = tmp_path_factory.mktemp("cli")
            p = run_cli("run", path, "--out", out, *args, check=False)
            assert p.returncode in (0, 1), p.stderr  # 1: an expect bound broke; still results
            cache[key] = (out / "results.json").read_text()
        return cache[key]

    return get
