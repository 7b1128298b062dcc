#!/usr/bin/python3
"""A run folder reproduces itself: `overlay-fabric run DIR/scenario.yaml` gives a results.json
byte-identical to DIR/results.json, for the run and for every variant of a compare file.

Usage: check-rerun.py CLI RUN_DIR
"""
import pathlib
import subprocess
import sys
import tempfile


def main():
    cli, out = sys.argv[1], pathlib.Path(sys.argv[2])
    folders = sorted(p.parent for p in out.rglob("scenario.yaml"))
    if not folders:
        print(f"{out}: no scenario.yaml (run the scenario first)")
        return 1
    bad = 0
    with tempfile.TemporaryDirectory() as tmp:
        for i, folder in enumerate(folders):
            again = pathlib.Path(tmp) / str(i)
            p = subprocess.run([cli, "run", str(folder / "scenario.yaml"), "--out", str(again)],
                               capture_output=True, text=True)
            if p.returncode not in (0, 1):
                bad += 1
                print(f"{folder}/scenario.yaml: exit {p.returncode}: {p.stderr.strip()}")
            elif (again / "results.json").read_bytes() != (folder / "results.json").read_bytes():
                bad += 1
                print(f"{folder}/scenario.yaml: results.json differs from the original run")
    print(f"{len(folders)} run folder(s) rerun from scenario.yaml, {bad} difference(s)")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
