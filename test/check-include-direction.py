#!/usr/bin/python3
"""Fail when a project file includes a project header against the layering of DESIGN.md.

    common <- underlay <- host <- {monitoring, chain, offload, mirror} <- helper <- bindings

A file may include headers of its own layer and of layers to its left; the feature folders
(monitoring, chain, offload, mirror) are one layer and must not include each other. Headers are
included flat ("vtep.h"), so each name is looked up in the folder that holds it.

Usage: check-include-direction.py SOURCE_DIR
"""
import pathlib
import re
import sys

# Folder -> (rank, group). Same group may include each other; a lower rank may never include a
# higher one; two different feature folders (same rank, different group) may not either.
LAYERS = {
    "model/common": (0, "common"),
    "model/underlay": (1, "underlay"),
    "model/host": (2, "host"),
    "model/monitoring": (3, "monitoring"),
    "model/chain": (3, "chain"),
    "model/offload": (3, "offload"),
    "model/mirror": (3, "mirror"),
    "helper": (4, "helper"),
    "helper/scenario": (4, "helper"),
    "helper/cli": (5, "cli"),
    "bindings": (5, "bindings"),
}
INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.M)


def layer_of(root, path):
    rel = path.parent.relative_to(root).as_posix()
    return LAYERS.get(rel)


def main():
    root = pathlib.Path(sys.argv[1]).resolve()
    files = [p for d in LAYERS for p in (root / d).glob("*") if p.suffix in (".h", ".cc")]
    owner = {}
    for p in files:
        if p.suffix == ".h":
            if p.name in owner:
                print(f"{p.relative_to(root)}: header name also in {owner[p.name].relative_to(root)}; "
                      "headers install flat, so names must be unique")
                return 1
            owner[p.name] = p
    unplaced = [p for p in (root / "model").rglob("*") if p.suffix in (".h", ".cc")
                and layer_of(root, p) is None]
    bad = [f"{p.relative_to(root)}: not in a known folder ({', '.join(LAYERS)})" for p in unplaced]
    checked = 0
    for p in files:
        rank, group = layer_of(root, p)
        for name in INCLUDE.findall(p.read_text()):
            target = owner.get(pathlib.Path(name).name)
            if target is None:
                continue  # a test helper or a generated file, not a project header
            checked += 1
            trank, tgroup = layer_of(root, target)
            if trank > rank or (trank == rank and tgroup != group):
                bad.append(f"{p.relative_to(root)} includes {name} "
                           f"({target.parent.relative_to(root)}): {group} may not depend on {tgroup}")
    for line in bad:
        print(line)
    print(f"{len(files)} files, {checked} project includes, {len(bad)} against the layering")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
