#!/usr/bin/python3
"""The JSON Schema that `overlay-fabric schema` prints accepts every scenario file and refuses
broken ones: what an editor (yaml-language-server, VS Code) checks while a file is typed.

Usage: check-json-schema.py CLI SOURCE_DIR
"""
import json
import pathlib
import subprocess
import sys

import jsonschema
import yaml

# Broken files whose mistake is visible to the JSON Schema alone (the others need the fabric or
# the YAML parser: VM names past the fabric, duplicate keys, two documents...).
MUST_REFUSE = ["unknown-key", "wrong-type", "out-of-range", "quoted-integer", "negative-integer",
               "bare-number-time", "bad-time-unit", "unknown-preset", "detect-mult-zero",
               "fraction-on-link-down", "fraction-out-of-range", "compare-unknown-key"]


def main():
    cli, root = sys.argv[1], pathlib.Path(sys.argv[2])
    schema = json.loads(subprocess.run([cli, "schema"], check=True, capture_output=True,
                                       text=True).stdout)
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    bad = 0
    valid = sorted((root / "scenarios").glob("*.yaml")) + sorted((root / "test/data").glob("valid-*.yaml"))
    for path in valid:
        errors = list(validator.iter_errors(yaml.safe_load(path.read_text()) or {}))
        if errors:
            bad += 1
            print(f"{path.name}: refused by the schema: {errors[0].message}")
    refused = []
    for path in sorted((root / "test/data/broken").glob("*.yaml")):
        try:
            doc = yaml.safe_load(path.read_bytes().decode("utf-8"))
        except (yaml.YAMLError, UnicodeDecodeError):
            continue  # not UTF-8 YAML at all: the editor's YAML parser says so
        if doc is None or next(validator.iter_errors(doc), None) is not None:
            refused.append(path.stem)
    for name in MUST_REFUSE:
        if name not in refused:
            bad += 1
            print(f"{name}.yaml: accepted by the schema, but it is broken")
    print(f"{len(valid)} valid files accepted, {len(refused)} broken files refused "
          f"({', '.join(refused)}); {bad} problem(s)")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
