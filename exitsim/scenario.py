"""Scenarios: the schema of a scenario file, loading it, and building its world.

A scenario is YAML read with ruamel.yaml (never a loader that can construct Python objects)
and validated by pydantic models with ``extra="forbid"``. The ``parameters:`` section is
made from the parameter registry (:mod:`exitsim.parameters`), one sub-section per group, so
every parameter has the registry's type, range, default and description.

Types are strict and every number is bounded: a whole number is not ``true`` or ``5.0``, a
number is finite (no ``.inf`` or ``.nan``) and in its range, so nothing a file says can turn
into an overflow or a NaN in a run.
"""

from __future__ import annotations

import math
import os
from collections import Counter
from importlib import resources
from pathlib import Path
from typing import Annotated, Literal

import numpy as np
from pydantic import BaseModel, BeforeValidator, Field, ValidationError, create_model, model_validator

from .clauses import CLAUSE_KINDS, TENURE_BASES, ClauseError, parse_effective_rule
from .codes import GOVERNMENTS, ISSUE_AREAS, NEVER, ROLES, VOTING_RULES
from .generate import GenerateSpec, generate_organizations, generate_states
from .loading import (
    Document,
    Overrides,
    ScenarioError,
    apply_overrides,
    check_overrides,
    read_document,
    validate,
)
from .mechanisms.budget import backcast_history
from .parameters import GROUPS, PYTHON_TYPES, REGISTRY, Params, make_params, parameters_in_group, suggest
from .strict import MAX_POWER, MAX_SEED, MAX_STEPS, Fraction, Spec, StrictModel
from .timeline import MAX_POWER_SHOCK, TIMELINE_KINDS, ScheduledEvent, TimelineError, membership_ok, not_a_member
from .world import Memberships, World

Code = Annotated[str, Field(pattern=r"^[A-Za-z][A-Za-z0-9_\-]{0,23}$",
                            description="A short unique code: letters, digits, _ or -, starting with a letter.")]

MAX_IDEAL_POINT = 10.0
"""Ideal points lie within ± this (generated ones are standard normal)."""
EFFECTIVE_RULE_LIMITS = {"months_after": 1200, "end_of_year_after": 100, "negotiated_or_months": 1200}
"""The largest number each effective rule takes: a notice takes effect within a century."""

IdealCoordinate = Annotated[float, Field(ge=-MAX_IDEAL_POINT, le=MAX_IDEAL_POINT)]
IdealPoint = Annotated[list[IdealCoordinate], Field(min_length=1, max_length=2)]
EventValue = Annotated[float, Field(ge=-1.0, le=MAX_POWER_SHOCK)]

def _year_or_month(value):
    """A date of the calendar (MODEL.md §4.7): a year (``2016``) or a year and month
    (``2016-11``), years 1800–3000; returned as given (a whole number or ``YYYY-MM`` text)."""
    text = str(value).strip() if isinstance(value, str) else None
    if isinstance(value, float) and not math.isfinite(value):
        raise ValueError(f"{value} is not a finite number: write a year (2016) or a year and month (2016-11)")
    if isinstance(value, int) and not isinstance(value, bool):
        year, month = value, 1
    elif text is not None and len(parts := text.split("-")) == 2 and all(p.isdigit() for p in parts):
        year, month = int(parts[0]), int(parts[1])
    else:
        raise ValueError(f"write a year (2016) or a year and month (2016-11), not {value!r}")
    if not 1800 <= year <= 3000 or not 1 <= month <= 12:
        raise ValueError(f"{value!r} is not a date from 1800 to 3000 with a month 1–12: write e.g. 2016 or 2016-11")
    return value if text is None else f"{year:04d}-{month:02d}"


#: A year (``2016``) or a year and month (``2016-11``): joining dates and entries into force.
YearOrMonth = Annotated[Annotated[int, Field(ge=1800, le=3000)] | Annotated[str, Field(pattern=r"^\d{4}-\d{2}$")],
                        BeforeValidator(_year_or_month), Field(json_schema_extra={"examples": [2016, "2016-11"]})]


def year_and_month(value: int | str | None, default: tuple[int, int]) -> tuple[int, int]:
    """``(year, month)`` of a :data:`YearOrMonth` (January when only the year is given), or
    ``default`` for None."""
    if value is None:
        return default
    if isinstance(value, int):
        return value, 1
    year, month = value.split("-")
    return int(year), int(month)


# --- the schema ---------------------------------------------------------------------------------

def _parameter_group_model(group: str) -> type[BaseModel]:
    fields = {}
    for p in parameters_in_group(group):
        python_type = Literal[p.choices] if p.kind == "choice" else PYTHON_TYPES[p.kind]
        fields[p.name] = (python_type, Field(default=p.default, ge=p.low, le=p.high,
                                             description=f"{p.description} [{p.unit}]"))
    return create_model(f"{group.title()}Parameters", __base__=StrictModel, **fields)


_GROUP_MODELS = {g: _parameter_group_model(g) for g in GROUPS if g != "scale"}
ParametersSpec = create_model(
    "ParametersSpec", __base__=StrictModel,
    **{g: (model, Field(default_factory=model, description=GROUPS[g])) for g, model in _GROUP_MODELS.items()})


class ClauseSpec(Spec):
    """An organization's withdrawal clause (``exitsim/data/README.md``'s grammar)."""

    kind: Literal[CLAUSE_KINDS] = Field("implied", description="explicit, implied, consent, none or non_treaty.")
    effective: str = Field("months_after:12", description="When a notice takes effect, e.g. months_after:12, end_of_year_after:1, cutoff:1:6.")
    min_tenure_years: int = Field(0, ge=0, le=100, description="No notice before this many years.")
    tenure_basis: Literal[TENURE_BASES] = Field("accession", description="What the tenure counts from.")
    arrears_block_effect: bool = Field(False, description="The exit takes effect only once dues are paid.")
    obligations_survive: bool = Field(False, description="Dues accrued before the effect remain owed after it.")
    revocable: bool = Field(True, description="A notice can be withdrawn before it takes effect (VCLT Art. 68).")

    @model_validator(mode="after")
    def _rule(self):
        try:
            name, numbers = parse_effective_rule(self.effective)
        except ClauseError as error:
            raise ValueError(str(error)) from None
        limit = EFFECTIVE_RULE_LIMITS.get(name)
        if limit is not None and numbers[0] > limit:
            unit = "years" if name == "end_of_year_after" else "months"
            raise ValueError(f"effective rule {self.effective!r}: at most {limit} {unit}")
        return self


class MemberSpec(Spec):
    state: Code = Field(description="The member state's code.")
    joined: YearOrMonth | None = Field(None, description="When it joined, or the treaty entered into force for it: a year (2001) or a year and month (2016-11), no later than the run's first year (start_year + 1); minimum tenures count from it (default: the organization's founding date).")


class StateSpec(Spec):
    """One state (MODEL.md §2)."""

    code: Code
    name: str | None = Field(None, description="Display name (default: the code).")
    power: float = Field(gt=0, le=MAX_POWER, description="Material power P (any unit; only ratios matter).")
    growth: float = Field(0.03, ge=-0.5, le=0.5, description="Yearly growth rate g of power.")
    ideal_point: IdealCoordinate | IdealPoint = Field(0.0, description="Policy ideal point (one number, or a list of 2).")
    nativism: Fraction = Field(0.3, description="Domestic nativist pressure n in [0, 1].")
    nativism_mean: Fraction | None = Field(None, description="Long-run level n̄ of nativism (default: nativism).")
    democracy: Fraction = Field(0.5, description="Democracy in [0, 1]; 0.5 and above hold elections.")
    government: Literal[GOVERNMENTS] = Field("internationalist", description="internationalist or nativist.")
    role: Literal[ROLES] = Field("other", description="hegemon, rising, ally or other.")
    alliances: list[Code] = Field(default_factory=list, description="Codes of allied states (alliances are symmetric).")
    election_phase: int | None = Field(None, ge=0, le=19, description="Elections fall in years where (year − phase) is a multiple of the period (default: drawn).")

    def point(self) -> list[float]:
        return list(self.ideal_point) if isinstance(self.ideal_point, list) else [self.ideal_point]


class ReservationSpec(Spec):
    """A state's own withdrawal terms for one organization (e.g. the United States' 1948 WHO
    reservation: one year's notice, the current year's dues paid in full)."""

    state: Code = Field(description="The state holding the reservation (a member).")
    clause: ClauseSpec = Field(description="Its own withdrawal terms, replacing the organization's clause for it.")


class TimelineEventSpec(Spec):
    """A scheduled event (see exitsim/timeline.py for what each kind does and when)."""

    year: int = Field(ge=1800, le=3000, description="Calendar year; must fall within the run (after start_year).")
    kind: Literal[TIMELINE_KINDS] = Field(description="government, nativism_shock, withhold_dues, power_shock, threat, notice or rejoin.")
    state: Code = Field(description="The state concerned.")
    organization: Code | None = Field(None, description="The organization (needed for withhold_dues, threat, notice, rejoin).")
    month: int = Field(0, ge=0, le=12, description="Month of a notice (1–12; 0: drawn).")
    value: EventValue | str | None = Field(None, description="government: nativist or internationalist; nativism_shock: change; power_shock: factor; withhold_dues: share.")

    @model_validator(mode="after")
    def _event(self):
        try:
            self.to_event()
        except TimelineError as error:
            raise ValueError(str(error).split(": ", 1)[-1]) from None
        return self

    def to_event(self) -> ScheduledEvent:
        return ScheduledEvent(self.year, self.kind, self.state, self.organization or "", self.month, self.value)


class OrganizationSpec(Spec):
    """One intergovernmental organization (MODEL.md §2)."""

    code: Code
    name: str | None = Field(None, description="Display name (default: the code).")
    issue_area: Literal[ISSUE_AREAS] = Field("general", description="The organization's issue area.")
    institutionalization: int = Field(2, ge=1, le=3, description="1 minimal, 2 structured, 3 interventionist.")
    voting: Literal[VOTING_RULES] = Field("one_state_one_vote", description="one_state_one_vote or weighted.")
    budget_rate: float | None = Field(None, ge=0, le=0.01, description="Budget rate b_k (default: the budget_rate parameter).")
    cap: float | None = Field(None, gt=0, le=1, description="Ceiling on a member's share of the budget (none if omitted).")
    founded: YearOrMonth | None = Field(None, description="When the treaty entered into force: a year (1949) or a year and month (1949-08), no later than the run's first year (start_year + 1) (default: the start year).")
    quality: Fraction | None = Field(None, description="Performance q at the start (default: intrinsic quality).")
    intrinsic_quality: Fraction = Field(0.67, description="Intrinsic quality q̄ (mean of Beta(4, 2)).")
    value: float = Field(0.0, ge=-5, le=5, description="Value in standard deviations: θ_k = θ·exp(σ_θ·value).")
    club: bool = Field(False, description="A club organization (founded by a strategy).")
    clause: ClauseSpec = Field(default_factory=ClauseSpec, description="Withdrawal clause.")
    template: str | None = Field(None, description="The real organization whose rules this copies (informational).")
    members: list[Code | MemberSpec] = Field(min_length=1, description="Member states: codes, or {state, joined}.")
    reservations: list[ReservationSpec] = Field(default_factory=list, description="Members' own withdrawal terms.")

    def member_codes(self) -> list[str]:
        return [m if isinstance(m, str) else m.state for m in self.members]


class Scenario(Spec):
    """A scenario file: metadata, parameters, a world (generated and/or explicit)."""

    name: str = Field("unnamed", pattern=r"^[A-Za-z0-9_][A-Za-z0-9_.\-]{0,63}$",
                      description="The scenario's short name, which names its results folder: letters, digits, -, _ "
                                  "and . only (at most 64, not starting with . or -), e.g. my-world.")
    description: str = Field("", description="What the scenario is about.")
    start_year: int = Field(2025, ge=1800, le=3000, description="Calendar year of step 0.")
    steps: int = Field(50, ge=1, le=MAX_STEPS, description="Years to simulate.")
    world_seed: int = Field(0, ge=0, le=MAX_SEED, description="Seed of the generated world.")
    seed: int = Field(0, ge=0, le=MAX_SEED, description="Seed of the dynamics.")
    organization_weight: float = Field(
        REGISTRY["organization_weight"].default, ge=REGISTRY["organization_weight"].low,
        le=REGISTRY["organization_weight"].high, description=REGISTRY["organization_weight"].description)
    parameters: ParametersSpec = Field(default_factory=ParametersSpec, description="Model parameters by group.")
    generate: GenerateSpec | None = Field(None, description="Generate states and organizations from distributions.")
    states: list[StateSpec] = Field(default_factory=list, description="Explicit states.")
    organizations: list[OrganizationSpec] = Field(default_factory=list, description="Explicit organizations.")
    timeline: list[TimelineEventSpec] = Field(default_factory=list, description="Scheduled events.")

    def params(self) -> Params:
        """The resolved model parameters (registry defaults overridden by the file)."""
        values = {"organization_weight": self.organization_weight}
        for group in _GROUP_MODELS:
            values |= getattr(self.parameters, group).model_dump()
        return make_params(values)


# --- loading ---------------------------------------------------------------------------------------
# Reading, ``extends:``, ``--set`` overrides and located errors are in :mod:`exitsim.loading`;
# here they are applied to the scenario schema and its checks across fields.

ScenarioOverrides = Overrides
"""``["steps=30", "states.USA.nativism=0.8", ...]`` (values read as YAML) or ``{"steps": 30, ...}``."""


def default_scenario_path() -> Path:
    """The packaged copy of ``scenarios/default.yaml``."""
    return Path(str(resources.files("exitsim.scenarios").joinpath("default.yaml")))


def shipped_scenario_folders() -> tuple[Path, ...]:
    """The folders of the shipped scenarios, which any scenario may ``extends:`` (besides its
    own folder): the packaged one (``default.yaml``) and, when exitsim runs from its source
    tree, the repository's ``scenarios/``."""
    folders = [default_scenario_path().parent]
    checkout = Path(__file__).resolve().parent.parent / "scenarios"
    if (checkout / "scenario.schema.json").is_file():
        folders.append(checkout)
    return tuple(folders)


def parse_scenario(text: str, source: str = "<scenario>", overrides: ScenarioOverrides | None = None) -> Scenario:
    """Validate scenario YAML text said to come from ``source`` (``extends:`` is relative to it).

    Raises:
        ScenarioError: listing every problem, each located in the text (or the override).
        TypeError: ``text`` is not text, ``source`` not a path, or ``overrides`` of another form.
    """
    if not isinstance(text, str):
        raise TypeError(f"parse_scenario text must be the YAML text (str), got {type(text).__name__}"
                        + ("; decode it first, e.g. text.decode('utf-8')" if isinstance(text, bytes) else ""))
    if not isinstance(source, str | os.PathLike):
        raise TypeError(f"parse_scenario source must be the name or path the text comes from, got "
                        f"{type(source).__name__}")
    overrides = check_overrides(overrides)
    return _validated(read_document(Path(source), source, text, shipped_scenario_folders()), overrides)


def load_scenario(path: str | Path | None = None, overrides: ScenarioOverrides | None = None) -> Scenario:
    """Read and validate a scenario file (the packaged default when ``path`` is None).

    Args:
        path: the YAML file; it may ``extends:`` another (relative to it).
        overrides: ``"path=value"`` strings applied after reading, as ``--set`` does: dotted keys,
            list entries of ``states`` and ``organizations`` by code (``"states.USA.nativism=0.8"``)
            or by index, values read as YAML; or a mapping of paths to Python values.

    Raises:
        ScenarioError: listing every problem at once; ``error.problems`` has file, line, column,
            path and message of each.
        TypeError: ``path`` is not a path, or ``overrides`` of another form.
    """
    if path is not None and not isinstance(path, str | os.PathLike):
        raise TypeError(f"load_scenario path must be a scenario file's path (str or Path) or None (the default "
                        f"scenario), got {type(path).__name__}")
    overrides = check_overrides(overrides)
    path = Path(path) if path is not None else default_scenario_path()
    return _validated(read_document(path, shared=shipped_scenario_folders()), overrides)


#: The keys of a file that holds settings only: a profile for scenarios to extend.
PROFILE_KEYS = frozenset({"parameters", "description"})
PROFILE_MESSAGE = ("this file sets only parameters: a scenario also needs its states and organizations (write "
                   "them, generate a world with 'generate:', or 'extends:' a scenario such as default.yaml). A file "
                   "of parameters alone is a profile for scenarios to extend, as world.yaml extends "
                   "profiles/calibrated.yaml: run such a scenario instead")


def _validated(document: Document, overrides: ScenarioOverrides | None) -> Scenario:
    apply_overrides(document, overrides, Scenario)
    data = document.data()
    if isinstance(data, dict) and data and set(data) <= PROFILE_KEYS and not document.problems:
        raise ScenarioError(problems=[document.locate((), PROFILE_MESSAGE)])
    scenario, problems = validate(document, Scenario, _parameter_hint)
    problems = document.problems + problems
    if scenario is not None:
        problems += [document.locate(path, message) for path, message in _checks_across_fields(scenario)]
    if problems:
        raise ScenarioError(problems=document.sort(document.replaced_list_notes(problems) + problems))
    return scenario


def _checks_across_fields(scenario: Scenario) -> list[tuple[tuple, str]]:
    """:func:`cross_check` on the whole world (explicit entries may name generated states), and
    :func:`run_checks`: what a run of the file would refuse or waste."""
    try:
        states, organizations = all_specs(scenario)
    except ValidationError as error:  # a generated value out of its range: say which, not pydantic's dump
        return [_generated_out_of_range(error)]
    except ValueError as error:
        return [(("generate",), f"cannot generate this world: {error}")]
    return cross_check(scenario, states, organizations) + run_checks(scenario, states, organizations)


def _generated_out_of_range(error: ValidationError) -> Problem:
    """A generated state or organization that fails its schema, as a problem of the generate
    settings it was drawn from."""
    first = error.errors()[0]
    key = str(first["loc"][0])
    value = first.get("input")
    shown = f"{value:.3g}" if isinstance(value, float) else repr(value)
    settings = _GENERATED_FROM.get(key, ())
    return (("generate", *settings[:1]),
            f"cannot generate this world: a generated {error.title.removesuffix('Spec').lower()}'s {key} would be "
            f"{shown}, but it must be {first['msg'].lower().removeprefix('input should be ')}; change "
            + (", ".join(f"generate.{s}" for s in settings) if settings else "the generate settings"))


_GENERATED_FROM = {  # a generated field -> the generate settings it is drawn from
    "growth": ("growth_mean", "growth_sd", "hegemon_growth", "rising_growth"),
    "power": ("total_power", "power_gini", "hegemon_rising_ratio"),
}


def run_checks(scenario: Scenario, states: list[StateSpec], organizations: list[OrganizationSpec]) -> list[Problem]:
    """What a run of the file would refuse or waste, beyond :func:`cross_check`: a timeline
    event acting on a membership the state does not hold (the model refuses it), a world without
    organizations (whose dues and shares are 0/0), organizations too small to outlive the first
    year (``death_members``). ``states`` and ``organizations`` are all of them, generated first.

    The model itself accepts the last two (a world without organizations is a test bed for the
    domestic and power phases); a scenario file is held to them.
    """
    codes = {s.code for s in states}
    members = {o.code: set(o.member_codes()) for o in organizations}

    def is_member(state: str, organization: str) -> bool:
        return state in members[organization]

    problems: list[Problem] = []
    for t, spec in enumerate(scenario.timeline):
        event = spec.to_event()
        known = event.state in codes and event.organization in members  # else cross_check says so
        if known and not membership_ok(event, is_member):
            problems.append((("timeline", t, "state"), not_a_member(event)))
    problems += _dates_after_the_start(scenario) + _generated_organizations(scenario)
    problems += _strategies_without_their_powers(scenario, states)
    if not organizations and len(states) >= 2:  # without states, the states' problem says it all
        where = ("generate", "organizations") if scenario.generate is not None else ("organizations",)
        problems.append((where, "a scenario needs at least 1 organization for its states to belong to (listed "
                                "under organizations, or generated with generate.organizations); it has none"))
    smallest = scenario.params().death_members
    if smallest == 0:  # deaths by lack of members are switched off
        return problems
    why = (f"an organization with fewer than {smallest} members (the death_members parameter) dies in "
           "the first year")
    explicit = organizations[len(organizations) - len(scenario.organizations):]
    for k, o in enumerate(explicit):
        n = len(o.members)
        if n < smallest:
            problems.append((("organizations", k, "members"),
                             f"{o.code} has {n} member{'s' if n != 1 else ''}: {why}; list at least {smallest}, "
                             "or lower parameters.life_cycle.death_members"))
    generated = organizations[: len(organizations) - len(explicit)]
    if any(len(o.members) < smallest for o in generated):
        states = scenario.generate.states  # generated organizations take their members from the generated states
        problems.append((("generate", "min_members"),
                         f"generated organizations would have fewer than {smallest} members: {why}; "
                         + (f"raise generate.min_members to {smallest}"
                            if scenario.generate.min_members < smallest <= states
                            else f"only {states} states are generated, so raise generate.states to {smallest} or "
                                 f"lower parameters.life_cycle.death_members to at most {states}")))
    return problems


#: The strategy parameters and the value that leaves each great power deciding like any state.
IDLE_STRATEGIES = {"hegemon_strategy": "status_quo", "rising_strategy": "passive"}


def missing_great_powers(scenario: Scenario, states: list[StateSpec] | None = None) -> list[str]:
    """Which of the hegemon and the rising power a scenario's world lacks ("hegemon", "rising
    power"): without both, no great-power strategy can become active (its trigger is their ratio).
    ``states``: all of them, generated first (default: generated from the scenario)."""
    if states is None:
        states = all_specs(scenario)[0]
    roles = {s.role for s in states}
    return [name for name, role in (("hegemon", "hegemon"), ("rising power", "rising")) if role not in roles]


def strategy_without_powers(chosen: str, key: str, missing: list[str]) -> str:
    """The message for a great power's strategy in a world that lacks ``missing``."""
    return (f"{chosen} is a great power's strategy, but this world has no {' and no '.join(missing)}: give states "
            f"role: hegemon and role: rising, or leave {key} at {IDLE_STRATEGIES[key]}")


def _strategies_without_their_powers(scenario: Scenario, states: list[StateSpec]) -> list[Problem]:
    """A great power's strategy in a world without a hegemon or a rising power: it can never
    become active, and the run would say so only as "never active"."""
    params = scenario.params()
    chosen = {key: getattr(params, key) for key, idle in IDLE_STRATEGIES.items() if getattr(params, key) != idle}
    missing = missing_great_powers(scenario, states) if chosen else []
    return [(("parameters", "strategies", key), strategy_without_powers(value, key, missing))
            for key, value in chosen.items() if missing]


def _generated_organizations(scenario: Scenario) -> list[Problem]:
    """Settings the generated organizations cannot honour, said rather than quietly capped: more
    members than the generated states (their members come from them), a founding after the start."""
    generate, start = scenario.generate, scenario.start_year
    if generate is None or not generate.organizations:
        return []
    problems: list[Problem] = []
    if "min_members" in generate.model_fields_set and 0 < generate.states < generate.min_members:
        problems.append((("generate", "min_members"), f"generated organizations cannot have {generate.min_members} "
                         f"members: only {generate.states} states are generated (their members come from them); make "
                         f"it {generate.states} or less, or generate more states"))
    if generate.founded_from > start:
        problems.append((("generate", "founded_from"), f"generated organizations would be founded from "
                         f"{generate.founded_from}, after the start year {start}: make it {start} or earlier"))
    return problems


def _dates_after_the_start(scenario: Scenario) -> list[Problem]:
    """A founding or a joining after the run's first year (start_year + 1): the file lists the
    world as it is at its start (a later founding or accession cannot be scheduled), and such a
    date would count a tenure from the future. Example: Paris with ``joined: 2030`` in a run from
    2016. A date in the first year is accepted (a council term that begins in January)."""
    start, first = scenario.start_year, scenario.start_year + 1
    problems: list[Problem] = []
    for k, o in enumerate(scenario.organizations):
        founded = year_and_month(o.founded, (start, 1))[0]
        if founded > first:
            problems.append((("organizations", k, "founded"), f"{o.code} is founded in {founded}, after the run's "
                             f"first year {first}: a scenario lists the organizations that exist at its start"))
        for j, member in enumerate(o.members):
            joined = None if isinstance(member, str) or member.joined is None else year_and_month(member.joined,
                                                                                                   (start, 1))[0]
            if joined is not None and joined > first:
                problems.append((("organizations", k, "members", j, "joined"),
                                 f"{member.state} joined {o.code} in {joined}, after "
                                 f"the run's first year {first}: list the members at the start (a later accession "
                                 "is not a member yet)"))
    return problems


def _parameter_hint(parent: tuple, key: str, keys: list[str]) -> str | None:
    """Where a model parameter written in the wrong place belongs."""
    if suggest(key, keys):
        return None
    name = key if key in REGISTRY else suggest(key, REGISTRY) if parent[:1] == ("parameters",) else None
    if name is None:
        return None
    group = REGISTRY[name].group
    home = () if group == "scale" else ("parameters", group)
    if parent == home:
        return None
    where = "at the top level of the file" if group == "scale" else f"under parameters.{group}"
    if name == key:
        return f"unknown key {key!r} here: {key} is a model parameter; write it {where}"
    return f"unknown key {key!r}; did you mean {name!r} (a model parameter written {where})?"


# --- building the world -----------------------------------------------------------------------------

Problem = tuple[tuple, str]


def cross_check(scenario: Scenario, states: list[StateSpec] | None = None,
                organizations: list[OrganizationSpec] | None = None) -> list[Problem]:
    """Checks across fields, as ``(path, message)`` pairs; paths index the scenario's own lists
    (``("organizations", 2, "members", 0)``), so a loader can point at the offending line.

    ``states`` and ``organizations`` are all of them, generated first (default: the explicit
    ones only); generated entries are never at fault, but explicit ones may refer to them.
    """
    explicit_states, explicit_orgs = list(scenario.states), list(scenario.organizations)
    states = explicit_states if states is None else states
    organizations = explicit_orgs if organizations is None else organizations
    offset_s, offset_o = len(states) - len(explicit_states), len(organizations) - len(explicit_orgs)
    known = {s.code: s for s in states}
    problems = _too_few_states(scenario, states)
    problems += _codes_used_twice(states, offset_s, "states", "state")
    problems += _codes_used_twice(organizations, offset_o, "organizations", "organization")
    for k, o in enumerate(explicit_orgs):
        problems += _member_problems(k, o, known) + _reservation_problems(k, o)
    problems += _alliance_problems(explicit_states, known)
    problems += _great_powers_named_twice(states, offset_s)
    problems += _ideal_point_dimension_problems(states, explicit_states)
    problems += _timeline_problems(scenario, known, {o.code for o in organizations})
    return problems


def _too_few_states(scenario: Scenario, states: list[StateSpec]) -> list[Problem]:
    if len(states) >= 2:
        return []
    if scenario.generate is not None and not scenario.generate.states and not scenario.states:
        return [(("generate",), f"a scenario needs at least 2 states, it has {len(states)}: this generate block "
                                "makes none, so give it states (e.g. states: 60) or list states under states")]
    return [(("states",), f"a scenario needs at least 2 states, it has {len(states)}: list them under states, or "
                          "generate them (generate: with states: 60)")]


def _codes_used_twice(entries: list[StateSpec] | list[OrganizationSpec], offset: int, section: str,
                      noun: str) -> list[Problem]:
    """An explicit entry (from ``offset`` on) whose code an earlier entry has."""
    problems: list[Problem] = []
    seen: dict[str, int] = {}
    for i, entry in enumerate(entries):
        if entry.code in seen and i >= offset:
            if seen[entry.code] < offset:  # a generated entry's code
                problems.append(((section, i - offset, "code"),
                                 f"{noun} code {entry.code!r} is a generated {noun}'s (the generated {noun}s are "
                                 f"{entries[0].code}…{entries[offset - 1].code}): give this one another code"))
            else:
                problems.append(((section, i - offset, "code"), f"{noun} code {entry.code!r} is used twice"))
        seen.setdefault(entry.code, i)
    return problems


def _not_a_state(code: str, known: dict[str, StateSpec] | set[str]) -> str:
    return f"{code!r} is not a state of the scenario" + _code_hint(code, known)


def _code_hint(code: str, known: dict | set) -> str:
    """`` (did you mean 'USA'?)`` for a code written in the wrong case or misspelt, else ""."""
    same = [k for k in known if str(k).casefold() == str(code).casefold()]
    hint = same[0] if same else suggest(code, known)
    return f" (did you mean {hint!r}?)" if hint else ""


def _member_problems(k: int, organization: OrganizationSpec, known: dict[str, StateSpec]) -> list[Problem]:
    """Members that are no state of the scenario, or listed twice."""
    problems: list[Problem] = []
    listed: set[str] = set()
    for j, code in enumerate(organization.member_codes()):
        if code not in known:
            problems.append((("organizations", k, "members", j), _not_a_state(code, known)))
        elif code in listed:
            problems.append((("organizations", k, "members", j),
                             f"{code!r} is listed twice among the members of {organization.code}"))
        listed.add(code)
    return problems


def _reservation_problems(k: int, organization: OrganizationSpec) -> list[Problem]:
    """Reservations held by states that are not members."""
    members = organization.member_codes()
    problems: list[Problem] = []
    seen: set[str] = set()
    for j, reservation in enumerate(organization.reservations):
        if reservation.state not in members:
            problems.append((("organizations", k, "reservations", j, "state"),
                             f"{reservation.state!r} holds a reservation but is not a member of {organization.code}"))
        elif reservation.state in seen:
            problems.append((("organizations", k, "reservations", j, "state"),
                             f"{reservation.state} already holds a reservation to {organization.code} (listed above): "
                             "one per member, so merge the two"))
        seen.add(reservation.state)
    return problems


def _alliance_problems(explicit_states: list[StateSpec], known: dict[str, StateSpec]) -> list[Problem]:
    """Allies that are no state of the scenario, or do not list the state back."""
    problems: list[Problem] = []
    for i, s in enumerate(explicit_states):
        for j, ally in enumerate(s.alliances):
            if ally not in known:
                problems.append((("states", i, "alliances", j), _not_a_state(ally, known)))
            elif s.code not in known[ally].alliances:
                problems.append((("states", i, "alliances", j),
                                 f"alliances are mutual: {ally} must also list {s.code} among its alliances"))
    return problems


def _great_powers_named_twice(states: list[StateSpec], offset: int) -> list[Problem]:
    """A second hegemon or rising power (a generated one is the generate block's doing)."""
    problems: list[Problem] = []
    for role in ("hegemon", "rising"):
        holders = [i for i, s in enumerate(states) if s.role == role]
        for i in holders[1:]:
            path = ("states", i - offset, "role") if i >= offset else ("generate", "hegemon")
            name = "hegemon" if role == "hegemon" else "rising power"
            generated = holders[0] < offset <= i
            problems.append((path, f"at most one state can be the {name}; {states[holders[0]].code} already is"
                             + (" (a generated state: set generate.hegemon: false to name the hegemon and the "
                                "rising power yourself)" if generated else "")))
    return problems


def _ideal_point_dimension_problems(states: list[StateSpec], explicit_states: list[StateSpec]) -> list[Problem]:
    """Explicit ideal points with another number of dimensions than the rule: the generated
    states' (``generate.dimensions``) when some are generated, else the most common among the
    listed ones (the first state may be the odd one)."""
    generated = states[: len(states) - len(explicit_states)]
    if generated:
        dims = len(generated[0].point())
        why = f"the generated states have {dims} (generate.dimensions)"
    elif states:
        counts = Counter(len(s.point()) for s in states)
        dims = max(counts, key=lambda d: (counts[d], -d))
        why = f"{counts[dims]} of the {len(states)} states have {dims}"
    else:
        return []
    return [(("states", i, "ideal_point"), f"all ideal points must have the same number of dimensions: this one has "
             f"{len(s.point())}, {why}") for i, s in enumerate(explicit_states) if len(s.point()) != dims]


def _timeline_problems(scenario: Scenario, known: dict[str, StateSpec], organizations: set[str]) -> list[Problem]:
    """Events naming an unknown state or organization, or falling outside the run."""
    problems: list[Problem] = []
    last = scenario.start_year + scenario.steps
    choices: dict[tuple, int] = {}  # (state, organization, year) -> the first notice or threat's entry
    governments: dict[tuple, int] = {}  # (state, year) -> the first government change's entry
    for t, event in enumerate(scenario.timeline):
        if event.kind in ("notice", "threat"):
            first = choices.setdefault((event.state, event.organization, event.year), t)
            if first != t:
                earlier = scenario.timeline[first]
                problems.append((("timeline", t, "kind"),
                                 f"{event.state} already has a {earlier.kind} to {event.organization} in {event.year} "
                                 f"(timeline.{first}): one notice or threat per state, organization "
                                 "and year, so keep one"))
        elif event.kind == "government":
            first = governments.setdefault((event.state, event.year), t)
            if first != t:
                problems.append((("timeline", t, "kind"),
                                 f"{event.state} already has a change of government in {event.year} "
                                 f"(timeline.{first}): one a year, so keep one"))
        if event.state not in known:
            problems.append((("timeline", t, "state"), _not_a_state(event.state, known)))
        if event.organization and event.organization not in organizations:
            problems.append((("timeline", t, "organization"),
                             f"{event.organization!r} is not an organization of the scenario"
                             + _code_hint(event.organization, organizations)))
        if not scenario.start_year < event.year <= last:
            problems.append((("timeline", t, "year"),
                             f"{event.year} is outside the run: events fall in {scenario.start_year + 1}–{last} "
                             f"(the years after start_year {scenario.start_year})"))
    return problems


def all_specs(scenario: Scenario) -> tuple[list[StateSpec], list[OrganizationSpec]]:
    """The generated states and organizations (from the world seed) followed by the explicit ones."""
    states, organizations = list(scenario.states), list(scenario.organizations)
    if scenario.generate is None:
        return states, organizations
    rng = np.random.default_rng(scenario.world_seed)
    generated = generate_states(scenario.generate, rng)
    return ([StateSpec.model_validate(s) for s in generated] + states,
            [OrganizationSpec.model_validate(o)
             for o in generate_organizations(scenario.generate, generated, scenario.start_year, rng)] + organizations)


def resolve_world_specs(scenario: Scenario) -> tuple[list[StateSpec], list[OrganizationSpec]]:
    """Generated and explicit states and organizations, sorted by code and cross-checked."""
    try:
        states, organizations = all_specs(scenario)
    except ValidationError as error:  # e.g. another world seed than the one validated
        problems = [_generated_out_of_range(error)]
    else:
        problems = cross_check(scenario, states, organizations)
    if problems:
        raise ScenarioError([f"{'.'.join(map(str, path))}: {message}" for path, message in problems])
    return sorted(states, key=lambda s: s.code), sorted(organizations, key=lambda o: o.code)


def build_world(scenario: Scenario, params: Params | None = None) -> World:
    """The scenario's :class:`~exitsim.world.World` at the start (needs are set by the model)."""
    params = params or scenario.params()
    states, organizations = resolve_world_specs(scenario)
    index = {s.code: i for i, s in enumerate(states)}
    power = np.array([s.power for s in states], dtype=float)
    growth = np.array([s.growth for s in states], dtype=float)
    ally_pairs = sorted({tuple(sorted((index[s.code], index[a]))) for s in states for a in s.alliances})
    theta = params.output_multiplier * np.exp(params.output_spread * np.array([o.value for o in organizations]))
    rows_state, rows_org, rows_joined, rows_joined_month, rows_reservation, reservations = [], [], [], [], [], []
    founded = [year_and_month(o.founded, (scenario.start_year, 1)) for o in organizations]
    for k, o in enumerate(organizations):
        own = {r.state: r.clause.model_dump() for r in o.reservations}
        for member in sorted(o.members, key=lambda x: x if isinstance(x, str) else x.state):
            code = member if isinstance(member, str) else member.state
            joined = year_and_month(None if isinstance(member, str) else member.joined, founded[k])
            rows_state.append(index[code])
            rows_org.append(k)
            rows_joined.append(joined[0])
            rows_joined_month.append(joined[1])
            rows_reservation.append(len(reservations) if code in own else -1)
            if code in own:
                reservations.append(own[code])
    dims = len(states[0].point())
    m = len(organizations)
    drawn_phase = np.random.default_rng([scenario.world_seed, 9]).integers(params.election_period, size=len(states))
    past = backcast_history(power, growth, params.decline_years + 1)  # back-cast like the assessment base
    return World(
        start_year=scenario.start_year,
        state_code=[s.code for s in states],
        state_name=[s.name or s.code for s in states],
        power=power,
        growth=growth,
        power_history=backcast_history(power, growth, params.assessment_years),
        ideal_point=np.array([s.point() for s in states], dtype=float).reshape(len(states), dims),
        nativism=np.array([s.nativism for s in states]),
        nativism_mean=np.array([s.nativism if s.nativism_mean is None else s.nativism_mean for s in states]),
        democracy=np.array([s.democracy for s in states]),
        nativist_government=np.array([s.government == "nativist" for s in states]),
        role=np.array([ROLES.index(s.role) for s in states], dtype=np.int8),
        alliances=np.array(ally_pairs, dtype=np.int64).reshape(-1, 2),
        election_phase=np.array([drawn_phase[i] if s.election_phase is None else s.election_phase
                                 for i, s in enumerate(states)], dtype=np.int64),
        last_turnover=np.full(len(states), NEVER, dtype=np.int64),
        share_history=past / past.sum(axis=0),
        reputation=np.ones(len(states)),
        align_hegemon=np.zeros(len(states)),  # set to their targets by the model at the start
        align_rising=np.zeros(len(states)),
        org_code=[o.code for o in organizations],
        org_name=[o.name or o.code for o in organizations],
        issue_area=np.array([ISSUE_AREAS.index(o.issue_area) for o in organizations], dtype=np.int8),
        institutionalization=np.array([o.institutionalization for o in organizations], dtype=np.int8),
        weighted_voting=np.array([o.voting == "weighted" for o in organizations], dtype=bool),
        budget_rate=np.array([params.budget_rate if o.budget_rate is None else o.budget_rate for o in organizations]),
        cap=np.array([np.nan if o.cap is None else o.cap for o in organizations]),
        quality=np.array([o.intrinsic_quality if o.quality is None else o.quality for o in organizations]),
        intrinsic_quality=np.array([o.intrinsic_quality for o in organizations]),
        value_multiplier=theta,
        founded=np.array([year for year, _ in founded], dtype=np.int64).reshape(m),
        founded_month=np.array([month for _, month in founded], dtype=np.int8).reshape(m),
        founder=np.full(m, -1),
        club=np.array([o.club for o in organizations], dtype=bool),
        policy_offset=np.zeros((m, dims)),
        org_status=np.zeros(m, dtype=np.int8),
        clause=[o.clause.model_dump() for o in organizations],
        memberships=Memberships({"state": rows_state, "org": rows_org, "joined": rows_joined,
                                 "joined_month": rows_joined_month, "reservation": rows_reservation}),
        reservations=reservations,
        history_years=params.pretext_years,  # the pretext looks back this far (MODEL.md §4.6)
    )
