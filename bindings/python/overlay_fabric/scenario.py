"""Scenarios and their results: load (file, YAML text or dict), override, run, read results.

A :class:`Scenario` is the scenario *source* (YAML text and where it came from) plus a list of
``--set`` style overrides, exactly what the C++ command line gets, and, for a file with a
``compare:`` section, the label of one of its variants. It is validated when made
(``scenario.config`` is the validated :class:`ScenarioConfig` struct), and runs in a fresh child
process by default, so that two runs of the same file and seed give the same bytes as the C++
CLI's ``results.json`` whatever ran before in this process.

Files are read with the C++ ``LoadScenarioVariants``, as the CLI reads them (same messages):
:func:`load_variants` gives one :class:`Scenario` per variant of a ``compare:`` file (one for a
plain file); :func:`load` gives the one scenario of a plain file, or one variant with
``variant=LABEL``, and refuses a ``compare:`` file without it (ConfigError naming
``load_variants``).
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any, Iterable, Mapping, Sequence, Union

from . import _core
from ._core import ConfigError, ScenarioConfig

OverridesLike = Union[None, Sequence[str], Mapping[str, Any]]


def yaml_value(value: Any) -> str:
    """The YAML text of an override value, as ``--set path=TEXT`` would carry it.

    Strings are taken as written (``"4"`` is then the integer 4, ``"vxlan"`` a string, exactly as
    on the command line); other values are written as YAML flow values (``True`` -> ``true``,
    ``[1, 2]`` -> ``[1, 2]``, ``{"min": 1}`` -> ``{min: 1}``).
    """
    if isinstance(value, str):
        return value
    import yaml

    text = yaml.safe_dump(value, default_flow_style=True, width=1 << 30, sort_keys=False)
    text = text.strip()
    if text.endswith("\n..."):
        text = text[: -len("\n...")]
    if text.endswith("..."):
        text = text[:-3].strip()
    return text


def normalize_overrides(overrides: OverridesLike) -> list[str]:
    """Overrides as a list of ``"path=value"`` strings.

    Accepts None, a list of ``"path=value"`` strings (as ``--set`` takes them) or a mapping
    ``{path: value}`` (values through :func:`yaml_value`).
    """
    if overrides is None:
        return []
    if isinstance(overrides, str):
        raise TypeError('overrides: expected a list of "path=value" strings or a dict, got a str')
    if isinstance(overrides, Mapping):
        return [f"{path}={yaml_value(value)}" for path, value in overrides.items()]
    out = []
    for item in overrides:
        if isinstance(item, str):
            out.append(item)
        elif isinstance(item, (tuple, list)) and len(item) == 2:
            out.append(f"{item[0]}={yaml_value(item[1])}")
        else:
            raise TypeError(f'overrides: expected "path=value" or (path, value), got {item!r}')
    for o in out:
        _core.parse_override(o)  # ConfigError now, with the CLI's message, if malformed
    return out


def load_configs(text: str, source_name: str, overrides: Sequence[str] = (),
                 path: str | None = None) -> list[ScenarioConfig]:
    """Every validated configuration of a scenario source, read as the CLI reads it (C++
    ``LoadScenarioVariants``): one per ``compare:`` variant, or the one of a plain file (its
    ``variant`` is ''). From the file when ``path`` is given (the CLI's messages for a missing or
    unreadable file), else from ``text``."""
    if path is not None:
        return _core.load_scenario_variants(path, list(overrides))
    return _core.load_scenario_variants_string(text, source_name, list(overrides))


def _config_error(file: str, line: int, field: str, message: str) -> ConfigError:
    """A ConfigError made in Python, formatted as the C++ ones ("file:line: field: message")."""
    where = file + (f":{line}" if line else "")
    text = ": ".join(p for p in (where, field, message) if p)
    exc = ConfigError(text)
    exc.file, exc.line, exc.field, exc.message = file, line, field, message
    return exc


def select_variant(configs: Sequence[ScenarioConfig], variant: str, text: str = "",
                   source_name: str = "<string>", overrides: Sequence[str] = (),
                   path: str | None = None) -> ScenarioConfig:
    """The configuration of ``variant`` (a label) among ``configs`` (see :func:`load_configs`),
    or the file's only configuration when ``variant`` is ''.

    ConfigError when the label is not one of the file's, or when ``variant`` is '' and the file
    has a ``compare:`` section (file, line and field of that section, pointing to
    :func:`load_variants`).
    """
    labels = [c.variant for c in configs]
    if variant:
        for c in configs:
            if c.variant == variant:
                return c
        known = ", ".join(l for l in labels if l) or "none: the file has no compare section"
        raise _config_error(path or source_name, 0, "compare",
                            f"no variant labelled '{variant}'; the variants are: {known}")
    if len(configs) == 1 and not configs[0].variant:
        return configs[0]
    # Where the compare section is: the C++ single-scenario loader refuses it with file and line.
    file, line, field = path or source_name, 0, "compare"
    try:
        if path is not None:
            _core.load_scenario_file(path, list(overrides))
        else:
            _core.load_scenario_string(text, source_name, list(overrides))
    except ConfigError as e:
        if e.field == "compare":
            file, line = e.file, e.line
    shown = ", ".join(labels[:4]) + (f", ... ({len(labels)} in all)" if len(labels) > 4 else "")
    raise _config_error(
        file, line, field,
        f"this scenario defines {len(configs)} variants to compare ({shown}); load "
        "them with overlay_fabric.load_variants(), one Scenario per variant, or one of them "
        "with overlay_fabric.load(..., variant=LABEL); `python3 -m overlay_fabric run` runs "
        "them all")


class Scenario:
    """A scenario source plus overrides (and a variant label for a ``compare:`` file),
    validated. Immutable: :meth:`set` returns a new one.

    Make one with :func:`load` or :func:`load_variants`. ``config`` is the validated C++ struct
    (read it; to run an edited struct use :func:`overlay_fabric.run_config`). For a variant,
    ``variant`` is its label and overrides apply before the variant's own ``set`` entries, as
    the CLI's ``--set`` does.
    """

    def __init__(self, text: str, source_name: str, overrides: OverridesLike = None,
                 path: str | None = None, variant: str = "", *,
                 config: ScenarioConfig | None = None):
        self.text = text
        self.source_name = source_name
        self.path = path
        self.variant = variant or ""
        self.overrides = normalize_overrides(overrides)
        if config is None:
            # Same loader as the CLI (LoadScenarioVariants): the same messages for every file.
            configs = load_configs(text, source_name, self.overrides, path)
            config = select_variant(configs, self.variant, text, source_name, self.overrides,
                                    path)
        self.config: ScenarioConfig = config

    # ---- derived scenarios
    def set(self, *overrides: str) -> "Scenario":
        """A new scenario with more ``"path=value"`` overrides applied after these."""
        return self.with_overrides(list(overrides))

    def with_overrides(self, overrides: OverridesLike) -> "Scenario":
        """A new scenario with ``overrides`` (list of ``"path=value"`` or dict) appended."""
        return Scenario(self.text, self.source_name, self.overrides + normalize_overrides(overrides),
                        path=self.path, variant=self.variant)

    def with_seed(self, seed: int) -> "Scenario":
        """A new scenario with another seed (ns-3 RngRun), like the CLI's ``--seed``."""
        return self.with_overrides([f"seed={int(seed)}"])

    # ---- facts
    @property
    def name(self) -> str:
        return self.config.name

    @property
    def seed(self) -> int:
        return self.config.seed

    def to_dict(self) -> dict:
        """The validated scenario as results.json's ``scenario`` echo (a dict)."""
        return json.loads(_core.scenario_to_json(self.config))

    def spec(self, out_dir: str | os.PathLike | None = None, *,
             allow_large: bool = False) -> dict:
        """What a worker process needs to run this scenario (plain JSON data)."""
        return {
            "text": self.text,
            "source_name": self.source_name,
            "overrides": list(self.overrides),
            "variant": self.variant,
            "out_dir": os.fspath(out_dir) if out_dir else "",
            "allow_large": bool(allow_large),
        }

    # ---- running
    def run(self, out_dir: str | os.PathLike | None = None, *, in_process: bool = False,
            timeout: float | None = None, allow_large: bool = False) -> "Results":
        """Run the scenario and return its :class:`Results`.

        By default in a fresh child process (byte-identical to the CLI whatever ran before here;
        Ctrl-C stops it). ``in_process=True`` runs it in this process with the GIL released (one
        such run per process, see ``_core.run_scenario``). ``out_dir`` receives the pcap files
        the scenario asks for; results are returned, written only by :meth:`Results.write`.
        A scenario whose estimated cost exceeds the limits is refused (ScenarioError) unless
        ``allow_large=True``, as the CLI's ``--allow-large``.
        """
        from .runner import run_spec, run_struct_in_process

        if in_process:
            return run_struct_in_process(self.config, out_dir, allow_large=allow_large)
        return run_spec(self.spec(out_dir, allow_large=allow_large), config=self.config,
                        timeout=timeout)

    def __repr__(self) -> str:
        extra = f", overrides={self.overrides!r}" if self.overrides else ""
        var = f", variant={self.variant!r}" if self.variant else ""
        return (f"Scenario({self.source_name!r}, name={self.name!r}{var}, seed={self.seed}"
                f"{extra})")


def _source(source: Union[str, os.PathLike, Mapping[str, Any]], overrides: OverridesLike,
            seed: int | None, name: str | None) -> tuple[str, str, list[str], str | None]:
    """(text, source name, overrides, path or None) of what :func:`load` takes."""
    extra = normalize_overrides(overrides)
    if seed is not None:
        extra.append(f"seed={int(seed)}")
    if isinstance(source, Mapping):
        import yaml

        text = yaml.safe_dump(dict(source), sort_keys=False, default_flow_style=False)
        return text, name or "<dict>", extra, None
    if isinstance(source, str) and "\n" in source:
        return source, name or "<string>", extra, None
    path = os.fspath(source)
    # The CLI's reader: a size cap (no reading /dev/zero forever) and UTF-8 checked, with the
    # CLI's ConfigError (file, line, byte offset) instead of a UnicodeDecodeError.
    text = _core.read_scenario_text(path)
    return text, path, extra, path


def load(source: Union[str, os.PathLike, Mapping[str, Any]], overrides: OverridesLike = None, *,
         seed: int | None = None, name: str | None = None, variant: str | None = None) -> Scenario:
    """Load a scenario and validate it.

    ``source``: a scenario file path, a dict with the scenario file's keys (``{"name": ...,
    "duration": "1s", "fabric": {...}}``), or YAML text (a str containing a newline).
    ``overrides``: ``["fabric.spines=4", ...]`` or ``{"fabric.spines": 4}``, applied in order as
    the CLI's ``--set``; ``seed`` as the CLI's ``--seed`` (applied last).
    A source with a ``compare:`` section holds several scenarios: ``variant=LABEL`` picks one,
    otherwise this raises ConfigError (field ``compare``) pointing to :func:`load_variants`.
    Raises :class:`ConfigError` (file, line, field, message) with the CLI's message.
    """
    text, source_name, extra, path = _source(source, overrides, seed, name)
    return Scenario(text, source_name, extra, path=path, variant=variant or "")


def load_variants(source: Union[str, os.PathLike, Mapping[str, Any]],
                  overrides: OverridesLike = None, *, seed: int | None = None,
                  name: str | None = None) -> list[Scenario]:
    """Every scenario of a source: one :class:`Scenario` per item of its ``compare:`` section,
    in order (``.variant`` = label, ``.name`` = ``"<name>.<label>"``, bounds = the file's merged
    with the variant's), or a one-item list for a source without ``compare:`` (``.variant`` =
    ''). Arguments as :func:`load`; ``overrides`` and ``seed`` apply before each variant's
    ``set`` entries, as the CLI's ``--set`` and ``--seed``. ConfigError with the CLI's message.
    """
    text, source_name, extra, path = _source(source, overrides, seed, name)
    return [Scenario(text, source_name, extra, path=path, variant=c.variant, config=c)
            for c in load_configs(text, source_name, extra, path)]


class Results:
    """What a run produced: ``text`` (results.json, byte for byte the CLI's), ``data`` (parsed),
    the expect-bound check, and the wall-clock figures (kept apart, as the CLI does)."""

    def __init__(self, text: str, *, config: ScenarioConfig | None = None,
                 expect_broken: Iterable[str] | None = None, build_wall_s: float = 0.0,
                 run_wall_s: float = 0.0, pcap_files: Sequence[Sequence[str]] = ()):
        self.text = text
        self.data: dict = json.loads(text)
        self.config = config
        if expect_broken is None and config is not None:
            expect_broken = _core.check_expectations(config, text)
        self.expect_broken: list[str] | None = (
            list(expect_broken) if expect_broken is not None else None)
        self.build_wall_s = build_wall_s
        self.run_wall_s = run_wall_s
        self.pcap_files = [tuple(p) for p in pcap_files]

    @property
    def scenario(self) -> dict:
        return self.data["scenario"]

    @property
    def flows(self) -> dict:
        return self.data["flows"]

    @property
    def faults(self) -> list:
        return self.data["faults"]

    @property
    def totals(self) -> dict:
        return self.data["totals"]

    @property
    def ok(self) -> bool:
        """True when every expect bound and every flow's accounting holds."""
        return not self.expect_broken

    def trace(self, flow: str, at: float | None = None) -> list[dict]:
        """The path trace of ``flow`` (the scenario's ``trace.flows``) as a table: one row per hop
        of each distinct path the flow took, in time order, with the path's index, its first and
        last packet (s), packets, fate, uplink and outer source port. ``at`` (s): only the path
        of the last packet sent at or before then (none before the first). The same paths as
        ``overlay-fabric trace DIR --flow NAME``."""
        if "trace" not in self.data:
            raise KeyError("no trace in these results: the scenario has no trace section")
        if flow not in self.data["trace"]:
            raise KeyError(f"{flow!r} is not traced; traced: {', '.join(self.data['trace'])}")
        paths = self.data["trace"][flow]["paths"]
        chosen = range(len(paths))
        if at is not None:
            before = [i for i, p in enumerate(paths) if p["first_s"] <= at]
            chosen = before[-1:]
        rows = []
        for i in chosen:
            p = paths[i]
            for k, hop in enumerate(p["hops"]):
                rows.append({"path": i, "first_s": p["first_s"], "last_s": p["last_s"],
                             "packets": p["packets"], "fate": p["fate"], "uplink": p["uplink"],
                             "sport": p["outer"]["sport"] if p["outer"] else None,
                             "hop": k, "node": hop["node"], "via": hop["via"],
                             "t_us": hop["t_us"]})
        return rows

    def get(self, path: str, default: Any = KeyError) -> Any:
        """A figure by dotted path, as in ``expect:`` (``"faults.0.detection_ms"``)."""
        try:
            return _core.resolve_results_path(self.data, path)
        except (KeyError, IndexError, ValueError):
            if default is KeyError:
                raise KeyError(f"no figure {path!r} in results") from None
            return default

    def write(self, out_dir: str | os.PathLike) -> Path:
        """Write ``results.json`` and ``run-info.json`` into ``out_dir`` as the CLI does
        (atomically); return the results.json path."""
        out = Path(out_dir)
        out.mkdir(parents=True, exist_ok=True)
        write_atomically(out / "results.json", self.text)
        info = json.dumps({"build_wall_s": self.build_wall_s, "run_wall_s": self.run_wall_s},
                          indent=2)
        write_atomically(out / "run-info.json", info + "\n")
        return out / "results.json"

    def __repr__(self) -> str:
        sc = self.scenario
        status = ("unchecked" if self.expect_broken is None else
                  "bounds hold" if not self.expect_broken else
                  f"{len(self.expect_broken)} bound(s) broken")
        return (f"Results(scenario={sc.get('name')!r}, seed={sc.get('seed')}, "
                f"flows={len(self.flows)}, faults={len(self.faults)}, "
                f"lost={self.totals.get('lost')}, {status})")


def write_atomically(path: str | os.PathLike, text: str) -> None:
    """Write ``text`` to ``path`` through a temporary file in the same folder and a rename, so a
    reader (or a resumed sweep) sees either the whole file or none."""
    path = Path(path)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with open(tmp, "w", encoding="utf-8", newline="") as f:
        f.write(text)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)


__all__ = ["Scenario", "Results", "load", "load_variants", "load_configs", "select_variant",
           "ConfigError", "normalize_overrides", "yaml_value", "write_atomically"]
