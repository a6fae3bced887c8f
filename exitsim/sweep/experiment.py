"""Experiment files: what a sweep runs, read like scenario files.

An experiment is YAML (``experiments/*.yaml``) read with the scenario loader's machinery
(:mod:`exitsim.loading`): ``extends:``, ``--set PATH=VALUE`` overrides and every problem
reported at once with its file, line and column. It names a base scenario and overrides
for it, the factors (named as ``--set`` names them, checked against the parameter registry),
the design, the seeds, the steps and what to keep of each run.

>>> spec = ExperimentSpec.model_validate({"factors": {"parameters.decisions.beta_contagion": [0, 3.2]}})
>>> spec.design.kind, spec.seeds.replications, spec.seeds.common
('grid', 1, True)
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from ..loading import Document, Problem, ScenarioError, apply_overrides, read_document, read_text, validate
from ..outcomes import MODEL_MEASURES, STRATEGY_MEASURES
from ..parameters import REGISTRY, Parameter, ParameterError, suggest
from ..scenario import MAX_STEPS, Scenario, default_scenario_path, load_scenario, shipped_scenario_folders
from ..transition import RATIO_PARTS

DESIGN_KINDS = ("grid", "latin_hypercube", "sobol", "morris", "ablation")

#: Measures of a whole run, kept at the horizon (computed from the run's own tables).
RUN_MEASURES = {
    "withdrawal_rate": "lawful notices per member-year at risk over the whole run (MODEL.md §5)",
    "notices_total": "lawful notices over the whole run",
    "threats_total": "threats over the whole run",
    "withdrawals_total": "withdrawals that took effect over the whole run",
    "cascades": "contagion cascade seeds over the run (exits by a lead state or the hegemon)",
    "cascade_followers": "notices and walk-outs that followed a cascade seed within 2 years, summed",
    "largest_cascade": "size of the largest cascade (0 when there was none)",
    "transition_year": "first year the rising power's power reached the hegemon's (empty when it did not)",
    "strategy_activation_year": "year the great powers' strategies became active (empty when they did not, or when "
                                "neither has a strategy)",
    **RATIO_PARTS,
}
#: Yearly measures a sweep can keep: the columns of timeseries.csv (MODEL.md §5), the great
#: powers' strategies' included, but the year itself.
YEARLY_MEASURES = {name: text for name, text in (MODEL_MEASURES | STRATEGY_MEASURES).items() if name != "year"}
DEFAULT_AT_HORIZON = ("withdrawal_rate", "largest_cascade", "transition_year", "hegemon_rising_ratio",
                      "hegemon_leadership_share")
#: Factor paths a sweep sets itself (or refuses), with what to write instead.
RESERVED_FACTORS = {
    "seed": "a run's seed comes from seeds.root and its replication; set seeds.root or seeds.replications",
    "steps": "every run of a sweep lasts the same number of years: set 'steps:' at the top of the experiment",
    "name": "the scenario's name is not a factor",
    "extends": "extends is not a factor",
}


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_default=True)


class RangeSpec(_Strict):
    """A numeric range a sampled design draws a factor from."""

    low: float = Field(description="Smallest value (inclusive).")
    high: float = Field(description="Largest value (inclusive for whole numbers; the upper end of the interval).")
    log: bool = Field(False, description="Sample uniformly on a log scale (both ends must be positive).")


FactorValue = float | int | bool | str


class SeedsSpec(_Strict):
    """The seeds of the runs (MODEL.md §4.0): children of ``SeedSequence(root)``."""

    root: int = Field(0, ge=0, description="Root seed: every run's seed is spawned from it in the parent process.")
    replications: int = Field(1, ge=1, le=100_000, description="Runs of every design point, each with its own seed.")
    common: bool = Field(True, description="Common random numbers: replication r has the same seed at every design point (paired comparisons); false: every run its own seed.")


class DesignSpec(_Strict):
    """How the design points are made from the factors."""

    kind: Literal[DESIGN_KINDS] = Field("grid", description="grid (every combination of the factors' values), latin_hypercube, sobol (Saltelli), morris or ablation.")
    samples: int | None = Field(None, ge=1, le=1_000_000, description="latin_hypercube: design points; sobol: base samples N (N × (2 D + 2) points, D factors; a power of 2); morris: trajectories (N × (D + 1) points).")
    levels: int = Field(4, ge=2, le=100, description="morris: levels of each factor's grid.")
    second_order: bool = Field(False, description="sobol: also estimate second-order indices (N × (2 D + 2) points instead of N × (D + 2)).")
    switches: list[str] | None = Field(None, description="ablation: the switches to turn off one at a time (default: every switch of the registry that is on in the base scenario).")
    seed: int | None = Field(None, ge=0, description="Seed of the sampled designs (default: seeds.root).")


class KeepSpec(_Strict):
    """What each run leaves in the store."""

    every_year: Literal["all"] | list[str] = Field("all", description="Model outcomes kept for every year (the 'yearly' table): 'all' or a list of names from docs/outputs.md; [] for none.")
    at_horizon: list[str] = Field(list(DEFAULT_AT_HORIZON), description="Outcomes kept once per run at its last year (the 'horizon' table): model outcomes and run measures (withdrawal_rate, cascades, …).")
    events: bool | Literal["strategic"] = Field(False, description="Keep every run's event log and cascades (the 'events' and 'cascades' tables); 'strategic': only the great powers' strategic events (those whose cause is a strategy) and the cascades.")
    states: bool = Field(False, description="Keep each state each year (the 'states' table).")
    memberships: bool = Field(False, description="Keep each membership each year (the 'memberships' table; large).")
    panel: float | None = Field(None, gt=0, le=1, description="Keep the state–organization–year exit panel of the in-silico replication (the 'panel' table; docs/validation.md): every notice and this share of the other member-years at risk (case-control sampling); 1 keeps every row.")


class ReportSpec(_Strict):
    """What ``python run.py report`` shows."""

    outcomes: list[str] | None = Field(None, description="Horizon outcomes to compare (default: every one kept at the horizon).")
    trajectories: list[str] | None = Field(None, description="Yearly outcomes drawn as trajectories with bands (default: up to four kept every year).")
    sensitivity: str | None = Field(None, pattern=r"^[A-Za-z0-9_][A-Za-z0-9_.-]*$", description="A strategy comparison's sensitivity panel from another experiment: the name of its store beside this one (results/<name>/), whose other factors (ν, ω, b, …) vary the same strategies; used when this store varies the strategies alone.")


class ExperimentSpec(_Strict):
    """An experiment file: a base scenario, factors, a design, seeds and what to keep."""

    name: str | None = Field(None, description="Short name of the experiment (default: the file's name); the store is results/<name>/.")
    description: str = Field("", description="The research question the experiment answers.")
    scenario: str | None = Field(None, description="The base scenario file, relative to this file (default: the built-in default scenario).")
    overrides: dict[str, Any] = Field(default_factory=dict, description="Changes to the base scenario, named as --set names them: {PATH: VALUE}.")
    steps: int | None = Field(None, ge=1, le=MAX_STEPS, description="Years each run lasts (default: the scenario's steps).")
    factors: dict[str, list[FactorValue] | RangeSpec] = Field(default_factory=dict, description="What varies, named as --set names it (parameters.GROUP.NAME, organization_weight, world_seed, generate.…): a list of values, or a range {low, high} for sampled designs.")
    design: DesignSpec = Field(default_factory=DesignSpec, description="How design points are made.")
    seeds: SeedsSpec = Field(default_factory=SeedsSpec, description="Root seed, replications, common random numbers.")
    keep: KeepSpec = Field(default_factory=KeepSpec, description="What each run leaves in the store.")
    batch_size: int | None = Field(None, ge=1, le=10_000, description="Runs per batch: a worker writes one file per table per batch (default: chosen from the number of runs and workers).")
    report: ReportSpec = Field(default_factory=ReportSpec, description="What the report shows.")


# --- factors ---------------------------------------------------------------------------------------

def parameter_path(parameter: Parameter) -> str:
    """The ``--set`` path of a registry parameter (``parameters.decisions.beta_contagion``)."""
    return parameter.name if parameter.group == "scale" else f"parameters.{parameter.group}.{parameter.name}"


PARAMETER_PATHS = {parameter_path(p): p for p in REGISTRY.values()}


@dataclass(frozen=True)
class Factor:
    """One thing a sweep varies.

    Attributes:
        path: Its name as ``--set`` writes it.
        column: Its column in the design and results tables (the registry name for a
            parameter, ``world_seed``, else the path).
        parameter: The registry parameter it sets, or None for another scenario value.
        values: Explicit values (a grid's levels, or the levels a sampled design picks among).
        low, high, log: A numeric range for sampled designs.
    """

    path: str
    column: str
    parameter: Parameter | None
    values: tuple | None = None
    low: float | None = None
    high: float | None = None
    log: bool = False

    @property
    def whole(self) -> bool:
        """True when the factor takes whole numbers."""
        if self.parameter is not None:
            return self.parameter.kind == "int"
        return self.column == "world_seed"

    def from_unit(self, u: float) -> Any:
        """The factor's value at ``u`` in [0, 1] (a sampled design's coordinate).

        Explicit values split [0, 1] into equal parts; a range maps ``u`` linearly (or on a log
        scale); whole numbers take each of low..high on an equal part.
        """
        u = min(max(float(u), 0.0), 1.0)
        if self.values is not None:
            return self.values[min(int(u * len(self.values)), len(self.values) - 1)]
        if self.whole:
            low, high = int(self.low), int(self.high)
            return min(low + int(u * (high - low + 1)), high)
        if self.log:
            value = math.exp(math.log(self.low) + u * (math.log(self.high) - math.log(self.low)))
        else:
            value = self.low + u * (self.high - self.low)
        return min(max(value, self.low), self.high)  # rounding must not step outside the range


# --- the resolved experiment ------------------------------------------------------------------------

@dataclass(frozen=True)
class Experiment:
    """An experiment file read, validated and resolved against its base scenario.

    Attributes:
        spec: The validated file.
        name: The experiment's name.
        path: The file (None when made from text).
        text: The file's text (and that of the files it extends, in reading order).
        scenario: The base scenario with the experiment's overrides applied.
        scenario_texts: The base scenario's file text(s), by file name.
        factors: The factors in the file's order.
        steps: Years per run.
    """

    spec: ExperimentSpec
    name: str
    path: Path | None
    text: dict[str, str]
    scenario: Scenario
    scenario_texts: dict[str, str]
    factors: tuple[Factor, ...]
    steps: int

    @property
    def scenario_json(self) -> str:
        """The resolved base scenario as canonical JSON (what every run starts from)."""
        return json.dumps(self.scenario.model_dump(mode="json"), sort_keys=True, separators=(",", ":"))

    @property
    def scenario_hash(self) -> str:
        return hashlib.sha256(self.scenario_json.encode()).hexdigest()

    @property
    def spec_json(self) -> str:
        """The validated experiment as canonical JSON (overrides from the command line included)."""
        return json.dumps(self.spec.model_dump(mode="json"), sort_keys=True, separators=(",", ":"))

    @property
    def hash(self) -> str:
        """What makes two experiments the same: the resolved experiment and base scenario."""
        return hashlib.sha256((self.spec_json + "\n" + self.scenario_json).encode()).hexdigest()

    def yearly_measures(self) -> list[str]:
        keep = self.spec.keep.every_year
        return list(YEARLY_MEASURES) if keep == "all" else list(keep)

    def horizon_measures(self) -> list[str]:
        return list(dict.fromkeys(self.spec.keep.at_horizon))


def load_experiment(path: str | Path, overrides: Any = None) -> Experiment:
    """Read and validate an experiment file, and resolve its base scenario and factors.

    Args:
        path: The YAML file; it may ``extends:`` another (relative to it).
        overrides: ``"PATH=VALUE"`` strings (or a mapping), applied as ``--set`` does.

    Raises:
        ScenarioError: listing every problem at once, each located in its file (the experiment,
            the base scenario or an override).
    """
    path = Path(path)
    document = read_document(path)
    return _resolved(document, path, overrides)


def parse_experiment(text: str, source: str = "<experiment>", overrides: Any = None) -> Experiment:
    """Validate experiment YAML ``text`` said to come from ``source`` (paths are relative to it)."""
    return _resolved(read_document(Path(source), source, text), Path(source), overrides)


def _flatten_factors(document: Document) -> None:
    """Factors written as nested mappings (as ``--set factors.parameters.decisions.beta_window=[0, 1]``
    makes them) become dotted names, each node keeping its place in the file; a later entry for the
    same factor replaces an earlier one."""
    factors = document.root.value.get("factors")
    if factors is None or not isinstance(factors.value, dict):
        return
    flat: dict[str, Any] = {}

    def walk(name: str, node: Any) -> None:
        if isinstance(node.value, dict) and node.value and not set(node.value) <= set(RangeSpec.model_fields):
            for key, child in node.value.items():
                walk(f"{name}.{key}", child)
        else:
            flat[name] = node

    for key, child in factors.value.items():
        walk(key, child)
    factors.value = flat
    document._nodes = None  # the index of nodes by path is made afresh


def _scenario_key(parent: tuple, key: str, keys: list[str]) -> str | None:
    """A scenario's key written at the top of an experiment file (or ``--set`` there): say where it
    goes. Example: ``parameters`` → "… under 'overrides' (overrides.parameters…)"."""
    from ..scenario import Scenario

    if parent or key not in Scenario.model_fields or key in keys:
        return None
    return (f"unknown key {key!r}: it is a scenario's key, and an experiment changes its base scenario under "
            f"'overrides' (overrides.{key}… in the file, --set overrides.{key}… on the command line)")


def _resolved(document: Document, path: Path, overrides: Any) -> Experiment:
    apply_overrides(document, overrides, ExperimentSpec)
    _flatten_factors(document)
    spec, problems = validate(document, ExperimentSpec, _scenario_key)
    problems = document.problems + problems
    if spec is None or problems:  # with them, what the factors name, as far as it needs no base scenario
        raise ScenarioError(problems=document.sort(problems + _factor_problems_without_scenario(document, problems)))
    scenario, scenario_texts, scenario_problems = _base_scenario(spec, document, path)
    problems += scenario_problems
    factors: list[Factor] = []
    if scenario is not None:
        for name, given in spec.factors.items():
            factor, found = _factor(name, given, scenario, document)
            problems += found
            if factor is not None:
                factors.append(factor)
    problems += _design_problems(spec, factors, document)
    problems += _keep_problems(spec, document)
    if spec.name is not None and not experiment_name_ok(spec.name):
        problems.append(document.locate(("name",), f"{spec.name!r} names the results folder: use letters, digits, "
                                                   "., _ or -"))
    if problems:
        raise ScenarioError(problems=document.sort(problems))
    name = spec.name or path.stem
    texts = {file: "\n".join(lines) for file, lines in document.sources.items()}
    return Experiment(spec, name, path if path.exists() else None, texts, scenario, scenario_texts,
                      tuple(factors), spec.steps or scenario.steps)


def _source_of(document: Document, key_path: tuple) -> Path:
    """The file a value was written in (``scenario:`` is relative to it)."""
    node = document.root
    for part in key_path:
        node = node.value[part]
    return Path(node.at.file)


def _base_scenario(spec: ExperimentSpec, document: Document, path: Path
                   ) -> tuple[Scenario | None, dict[str, str], list[Problem]]:
    if spec.scenario is None:
        base = default_scenario_path()
    else:
        base = _source_of(document, ("scenario",)).parent / spec.scenario
        if not base.is_file():
            return None, {}, [document.locate(("scenario",), f"no scenario file {str(base)!r} (the path is relative "
                                                              "to the experiment file)")]
    try:
        scenario = load_scenario(base, overrides=spec.overrides)
    except ScenarioError as error:
        return None, {}, [_relocated(p, document, ("overrides",), spec.overrides) for p in error.problems]
    texts = {}
    base_document = read_document(base, shared=shipped_scenario_folders())  # its extends as load_scenario reads them
    for file in base_document.files:
        texts[file] = read_text(Path(file), file)
    return scenario, texts, []


def _relocated(problem: Problem, document: Document, where: tuple, overrides: dict) -> Problem:
    """A problem an override caused, pointed at the experiment's line that wrote the override."""
    if problem.file is None or not problem.file.startswith("override "):
        return problem  # in the scenario file itself: located there
    for key in overrides:
        if problem.file.startswith(f"override {key}="):
            detail = f"{problem.path}: {problem.message}" if problem.path else problem.message
            return document.locate((*where, key), detail)
    return document.locate(where, problem.message)


def _factor(name: str, given: Any, scenario: Scenario, document: Document) -> tuple[Factor | None, list[Problem]]:
    parameter = PARAMETER_PATHS.get(name)
    unknown = _factor_name_problem(name, parameter)
    if unknown:
        return None, [document.locate(("factors", name), unknown, key=True)]
    if isinstance(given, RangeSpec):
        return _range_factor(name, parameter, given, scenario, document)
    factor, found = _listed_factor(name, parameter, given, scenario, document)
    strategy = _strategy_problems(parameter, factor, scenario, document) if factor is not None else []
    return (None, found + strategy) if strategy else (factor, found)


def _strategy_problems(parameter: Parameter | None, factor: Factor, scenario: Scenario,
                       document: Document) -> list[Problem]:
    """A great power's strategy among a factor's values, in a world without a hegemon or a rising
    power: no such strategy could ever become active there."""
    from ..scenario import IDLE_STRATEGIES, missing_great_powers, strategy_without_powers

    if parameter is None or parameter.name not in IDLE_STRATEGIES:
        return []
    active = [v for v in factor.values or () if v != IDLE_STRATEGIES[parameter.name]]
    missing = missing_great_powers(scenario) if active else []
    return [document.locate(("factors", factor.path), strategy_without_powers(active[0], parameter.name, missing),
                            key=True)] if missing else []


def _factor_problems_without_scenario(document: Document, known: list[Problem]) -> list[Problem]:
    """A file whose form is wrong still has its factors' names and parameters' values checked (the
    registry needs no base scenario), so one pass reports a misspelt factor beside a misspelt key."""
    factors = document.data().get("factors") if isinstance(document.data(), dict) else None
    if not isinstance(factors, dict):
        return []
    taken = {p.path for p in known}
    found: list[Problem] = []
    for name, given in factors.items():
        parameter = PARAMETER_PATHS.get(name)
        unknown = _factor_name_problem(name, parameter)
        if unknown:
            found.append(document.locate(("factors", name), unknown, key=True))
        elif parameter is not None and isinstance(given, list):
            for i, value in enumerate(given):
                found += _registry_value_problems(parameter, value, document, ("factors", name, i))
    return [p for p in found if p.path not in taken]


def _factor_name_problem(name: str, parameter: Parameter | None) -> str | None:
    """Why a name cannot be a factor: one a sweep sets itself, or a parameter not named by its path."""
    if name in RESERVED_FACTORS:
        return f"{name!r} cannot be a factor: {RESERVED_FACTORS[name]}"
    if parameter is None and name in REGISTRY:
        return f"unknown factor {name!r}: name a parameter as --set does, '{parameter_path(REGISTRY[name])}'"
    if parameter is None and name.startswith("parameters."):
        hint = suggest(name, PARAMETER_PATHS) or suggest(name.rsplit(".", 1)[-1], REGISTRY)
        if hint in REGISTRY:
            hint = parameter_path(REGISTRY[hint])
        return f"unknown factor {name!r}: no such parameter" + (f"; did you mean {hint!r}?" if hint else "")
    return None


def _range_factor(name: str, parameter: Parameter | None, given: RangeSpec, scenario: Scenario,
                  document: Document) -> tuple[Factor | None, list[Problem]]:
    """A factor a sampled design draws from ``{low, high, log}``: a numeric parameter or setting."""
    at = ("factors", name)
    if parameter is not None and parameter.kind not in ("float", "int"):
        return None, [document.locate(at, f"{name} takes {_kind_words(parameter)}, not a range: list its values"
                                      + (f", e.g. {name}: [true, false]" if parameter.kind == "bool" else ""),
                                      key=True)]
    found: list[Problem] = []
    if given.low >= given.high:
        found.append(document.locate((*at, "low"), f"low ({given.low:g}) must be below high ({given.high:g})"))
    if given.log and given.low <= 0:
        found.append(document.locate((*at, "low"), "a log scale needs a positive low end"))
    for end in ("low", "high"):
        found += _check_value(name, parameter, getattr(given, end), scenario, document, (*at, end))
    factor = Factor(name, parameter.name if parameter else name, parameter, None, given.low, given.high, given.log)
    return (None if found else factor), found


def _listed_factor(name: str, parameter: Parameter | None, given: list, scenario: Scenario,
                   document: Document) -> tuple[Factor | None, list[Problem]]:
    """A factor given as a list of values: each a value of the parameter or setting, none twice."""
    at = ("factors", name)
    if not given:
        return None, [document.locate(at, f"{name} has no values: list at least one")]
    found: list[Problem] = []
    for i, value in enumerate(given):
        found += _check_value(name, parameter, value, scenario, document, (*at, i))
    if parameter is not None and not found:
        given = [parameter.check(value) for value in given]
    elif name == "world_seed" and not found:
        given = [int(value) for value in given]
    repeated = [v for i, v in enumerate(given) if v in given[:i]]
    if repeated:
        found.append(document.locate(at, f"{name} lists {repeated[0]!r} twice"))
    factor = Factor(name, parameter.name if parameter else name, parameter, tuple(given))
    return (None if found else factor), found


def _registry_value_problems(parameter: Parameter, value: Any, document: Document, where: tuple) -> list[Problem]:
    """A factor's value the registry refuses, located at it."""
    try:
        parameter.check(value)
    except ParameterError as error:
        return [document.locate(where, f"{value!r} is not a value of {parameter.name}: expected {error.expected}")]
    return []


def _kind_words(parameter: Parameter) -> str:
    return {"bool": "true or false", "int": "whole numbers", "float": "numbers"}.get(parameter.kind, "set values")


def _check_value(name: str, parameter: Parameter | None, value: Any, scenario: Scenario, document: Document,
                 where: tuple) -> list[Problem]:
    """A factor's value checked by the registry (a parameter) or by the scenario schema (anything else)."""
    if parameter is not None:
        return _registry_value_problems(parameter, value, document, where)
    if name == "world_seed":
        if isinstance(value, bool) or not isinstance(value, int | float) or value < 0 or value != int(value):
            return [document.locate(where, f"world_seed = {value!r}: expected a whole number ≥ 0")]
        return []
    try:
        scenario_with(scenario, {name: value})
    except ScenarioError as error:
        first = error.problems[0]
        message = first.message
        if first.path and first.path != name:
            message = f"{first.path}: {message}"
        if "unknown key" in message or "has no entry" in message:
            hint = suggest(name, PARAMETER_PATHS)
            return [document.locate(where[:2], f"unknown factor {name!r}: {message}"
                                    + (f" (a parameter? {hint!r})" if hint else ""), key=True)]
        return [document.locate(where, message)]
    return []


def scenario_with(scenario: Scenario, overrides: dict[str, Any]) -> Scenario:
    """The scenario with ``--set``-style overrides applied and validated again."""
    from ..scenario import parse_scenario

    return parse_scenario(json.dumps(scenario.model_dump(mode="json")), "<scenario>", overrides)


def _design_problems(spec: ExperimentSpec, factors: list[Factor], document: Document) -> list[Problem]:
    kind = spec.design.kind
    if kind in ("grid", "ablation"):
        problems = _listed_design_problems(spec, factors, document)
    else:
        problems = _sampled_design_problems(spec, document)
    return problems + _switch_problems(spec.design, factors, document)


def _listed_design_problems(spec: ExperimentSpec, factors: list[Factor], document: Document) -> list[Problem]:
    """A grid or an ablation: factors listed by their values (no ranges), and a grid has some."""
    kind = spec.design.kind
    problems = [document.locate(("factors", factor.path), f"a {kind} design needs explicit values: write "
                                                          f"{factor.path}: [a, b, c] instead of a range")
                for factor in factors if factor.values is None]
    if kind == "grid" and not spec.factors:
        problems.append(document.locate(("factors",), "a grid needs at least one factor (or use design kind "
                                                       "'ablation')", key=True))
    return problems


def _sampled_design_problems(spec: ExperimentSpec, document: Document) -> list[Problem]:
    """A Latin hypercube, Sobol or Morris design: factors, and a number of samples (a power of 2 for Sobol)."""
    design, kind = spec.design, spec.design.kind
    problems: list[Problem] = []
    if not spec.factors:
        problems.append(document.locate(("factors",), f"a {kind} design needs at least one factor", key=True))
    if design.samples is None:
        words = {"latin_hypercube": "how many design points", "sobol": "the base sample size N",
                 "morris": "how many trajectories"}[kind]
        problems.append(document.locate(("design",), f"a {kind} design needs 'samples': {words}", key=True))
    elif kind == "sobol" and design.samples & (design.samples - 1):
        problems.append(document.locate(("design", "samples"), "a Sobol design's base samples must be a power of 2 "
                                        f"(Saltelli's scheme), e.g. {1 << design.samples.bit_length()}"))
    return problems


def _switch_problems(design: DesignSpec, factors: list[Factor], document: Document) -> list[Problem]:
    """Switches only in an ablation, each a switch of the registry and not also a factor."""
    if design.kind != "ablation":
        return ([document.locate(("design", "switches"), "switches are for an ablation design", key=True)]
                if design.switches is not None else [])
    problems: list[Problem] = []
    switches = [p.name for p in REGISTRY.values() if p.switch]
    for i, name in enumerate(design.switches or []):
        if name not in switches:
            hint = suggest(name, switches)
            problems.append(document.locate(("design", "switches", i), f"{name!r} is not a switch of the registry"
                                            + (f"; did you mean {hint!r}?" if hint
                                               else f" (switches: {', '.join(switches)})")))
        elif any(f.parameter is not None and f.parameter.name == name for f in factors):
            problems.append(document.locate(("design", "switches", i), f"{name} is also a factor: it cannot be both"))
    return problems


def _keep_problems(spec: ExperimentSpec, document: Document) -> list[Problem]:
    problems: list[Problem] = []
    keep = spec.keep

    def check(names: list[str], allowed: dict, where: tuple, what: str) -> None:
        for i, name in enumerate(names):
            if name not in allowed:
                hint = suggest(name, allowed)
                problems.append(document.locate((*where, i), f"{name!r} is not {what}"
                                                + (f"; did you mean {hint!r}?" if hint else "")))

    if keep.every_year != "all":
        check(keep.every_year, YEARLY_MEASURES, ("keep", "every_year"), "a yearly outcome (docs/outputs.md)")
    check(keep.at_horizon, YEARLY_MEASURES | RUN_MEASURES, ("keep", "at_horizon"),
          "an outcome (docs/outputs.md) or a run measure (docs/sweeps.md)")
    yearly = YEARLY_MEASURES if keep.every_year == "all" else {k: "" for k in keep.every_year}
    if spec.report.outcomes is not None:
        check(spec.report.outcomes, {k: "" for k in keep.at_horizon}, ("report", "outcomes"),
              "kept at the horizon (keep.at_horizon)")
    if spec.report.trajectories is not None:
        check(spec.report.trajectories, yearly, ("report", "trajectories"), "kept every year (keep.every_year)")
    return problems


def experiment_name_ok(name: str) -> bool:
    """An experiment's name becomes a folder name."""
    return bool(re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_.\-]*", name))


__all__ = ["DESIGN_KINDS", "Experiment", "ExperimentSpec", "Factor", "RUN_MEASURES", "YEARLY_MEASURES",
           "load_experiment", "parse_experiment", "parameter_path", "scenario_with"]
