"""ns3-overlay-fabric from Python: load a scenario, override fields, run it, read its results;
sweeps (local processes or Dask), side-by-side comparisons and plots.

    >>> import overlay_fabric as of
    >>> sc = of.load("scenarios/default.yaml", ["fabric.spines=4"], seed=2)
    >>> res = sc.run()                  # fresh child process: byte-identical to the CLI
    >>> res.text                        # results.json, byte for byte
    >>> res.flows["cross-rack-udp"]["delivered"], res.expect_broken
    >>> variants = of.load_variants("scenarios/compare-silent-blackhole.yaml")  # compare: file
    >>> [v.variant for v in variants][:2], variants[1].run().get("faults.0.detection_ms")

Command line: ``python3 -m overlay_fabric run|validate|compare|sweep|plot ...``.
The C++ structs (``ScenarioConfig`` and its parts) come from the ``_core`` pybind11 module.
"""

from ._core import (  # noqa: F401  (re-exported)
    BfdMode,
    ChainConfig,
    ChainRuleConfig,
    ClockConfig,
    ConfigError,
    CostWeights,
    EchoPath,
    Encapsulation,
    ExpectBound,
    FabricConfig,
    FaultConfig,
    FaultDirection,
    FaultKind,
    FlowConfig,
    FlowKind,
    HostCpuConfig,
    LinkTierConfig,
    MigrationConfig,
    MirrorConfig,
    MirrorDirection,
    MirrorMode,
    MirrorVteps,
    MonitoringConfig,
    OffloadConfig,
    OverlayConfig,
    RouterConfig,
    RuleProtocol,
    ScenarioConfig,
    ScenarioOverride,
    SegmentConfig,
    ServicePathConfig,
    ServicePlaneConfig,
    SvmConfig,
    TraceConfig,
    SvmFailureConfig,
    SvmFailureKind,
    SvmFunction,
    UplinkPolicy,
    VfConfig,
    check_expectations,
    load_scenario_file,
    load_scenario_string,
    load_scenario_variants,
    load_scenario_variants_string,
    monitoring_preset_names,
    parse_data_rate,
    parse_override,
    parse_time,
)
from .runner import RunError, run_config  # noqa: F401

#: Bad scenario input (file, line, field, what is allowed): the CLI's exit status 2. The same
#: class as ConfigError, under the name of the Python API's contract.
ScenarioError = ConfigError
from .scenario import Results, Scenario, load, load_variants  # noqa: F401


def run(source, overrides=None, *, seed=None, variant=None, out_dir=None, in_process=False,
        timeout=None, allow_large=False):
    """Load and run a scenario in one call (see :func:`load` and :meth:`Scenario.run`); for
    every variant of a file with a ``compare:`` section see :func:`run_variants`."""
    return load(source, overrides, seed=seed, variant=variant).run(
        out_dir, in_process=in_process, timeout=timeout, allow_large=allow_large)


def run_variants(*args, **kwargs):
    """See :func:`overlay_fabric.variants.run_variants`."""
    from .variants import run_variants as _run_variants

    return _run_variants(*args, **kwargs)


def sweep(*args, **kwargs):
    """See :func:`overlay_fabric.sweeps.run_sweep`."""
    from .sweeps import run_sweep

    return run_sweep(*args, **kwargs)


def compare(*args, **kwargs):
    """See :func:`overlay_fabric.comparison.run_compare`."""
    from .comparison import run_compare

    return run_compare(*args, **kwargs)


__version__ = "0.1.0"
