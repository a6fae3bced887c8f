"""Scenarios: the schema of a scenario file, loading it, and building its world.

A scenario is YAML read with ruamel.yaml (never a loader that can construct Python objects)
and validated by pydantic models with ``extra="forbid"``. The ``parameters:`` section is
made from the parameter registry (:mod:`exitsim.parameters`), one sub-section per group, so
every parameter has the registry's type, range, default and description.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Annotated, Literal

import numpy as np
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, create_model, model_validator
from ruamel.yaml import YAML

from .clauses import CLAUSE_KINDS, TENURE_BASES, ClauseError, parse_effective_rule
from .codes import GOVERNMENTS, ISSUE_AREAS, NEVER, ROLES, VOTING_RULES
from .generate import GenerateOptions, generate_organizations, generate_states
from .loading import Document, Overrides, ScenarioError, apply_overrides, read_document, validate, yaml_reader
from .mechanisms.budget import backcast_history
from .parameters import GROUPS, REGISTRY, Params, make_params, parameters_in_group, suggest
from .timeline import TIMELINE_KINDS, ScheduledEvent, TimelineError
from .world import Memberships, World

Code = Annotated[str, Field(pattern=r"^[A-Za-z][A-Za-z0-9_\-]{0,23}$",
                            description="A short unique code: letters, digits, _ or -, starting with a letter.")]
Fraction = Annotated[float, Field(ge=0.0, le=1.0)]


def _year_or_month(value):
    """A date of the calendar (MODEL.md §4.7): a year (``2016``) or a year and month
    (``2016-11``), years 1800–3000; returned as given (a whole number or ``YYYY-MM`` text)."""
    text = str(value).strip() if isinstance(value, str) else None
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
YearOrMonth = Annotated[int | str, BeforeValidator(_year_or_month),
                        Field(json_schema_extra={"examples": [2016, "2016-11"]})]


def year_and_month(value: int | str | None, default: tuple[int, int]) -> tuple[int, int]:
    """``(year, month)`` of a :data:`YearOrMonth` (January when only the year is given), or
    ``default`` for None."""
    if value is None:
        return default
    if isinstance(value, int):
        return value, 1
    year, month = value.split("-")
    return int(year), int(month)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_default=True)


# --- the schema ---------------------------------------------------------------------------------

def _parameter_group_model(group: str) -> type[BaseModel]:
    fields = {}
    for p in parameters_in_group(group):
        python_type = {"float": float, "int": int, "bool": bool}[p.kind]
        fields[p.name] = (python_type, Field(default=p.default, ge=p.low, le=p.high,
                                             description=f"{p.description} [{p.unit}]"))
    return create_model(f"{group.title()}Parameters", __config__=ConfigDict(extra="forbid"), **fields)


_GROUP_MODELS = {g: _parameter_group_model(g) for g in GROUPS if g != "scale"}
ParametersSpec = create_model(
    "ParametersSpec", __config__=ConfigDict(extra="forbid"),
    **{g: (model, Field(default_factory=model, description=GROUPS[g])) for g, model in _GROUP_MODELS.items()})


class ClauseSpec(_Strict):
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
            parse_effective_rule(self.effective)
        except ClauseError as error:
            raise ValueError(str(error)) from None
        return self


class MemberSpec(_Strict):
    state: Code = Field(description="The member state's code.")
    joined: YearOrMonth | None = Field(None, description="When it joined, or the treaty entered into force for it: a year (2001) or a year and month (2016-11); minimum tenures count from it (default: the organization's founding date).")


class StateSpec(_Strict):
    """One state (MODEL.md §2)."""

    code: Code
    name: str | None = Field(None, description="Display name (default: the code).")
    power: float = Field(gt=0, description="Material power P (any unit; only ratios matter).")
    growth: float = Field(0.03, ge=-0.5, le=0.5, description="Yearly growth rate g of power.")
    ideal_point: float | list[float] = Field(0.0, description="Policy ideal point (one number, or a list of 2).")
    nativism: Fraction = Field(0.3, description="Domestic nativist pressure n in [0, 1].")
    nativism_mean: Fraction | None = Field(None, description="Long-run level n̄ of nativism (default: nativism).")
    democracy: Fraction = Field(0.5, description="Democracy in [0, 1]; 0.5 and above hold elections.")
    government: Literal[GOVERNMENTS] = Field("internationalist", description="internationalist or nativist.")
    role: Literal[ROLES] = Field("other", description="hegemon, rising, ally or other.")
    alliances: list[Code] = Field(default_factory=list, description="Codes of allied states (alliances are symmetric).")
    election_phase: int | None = Field(None, ge=0, le=19, description="Elections fall in years where (year − phase) is a multiple of the period (default: drawn).")

    @model_validator(mode="after")
    def _ideal(self):
        point = self.ideal_point if isinstance(self.ideal_point, list) else [self.ideal_point]
        if not 1 <= len(point) <= 2:
            raise ValueError("ideal_point must be one number or a list of 1 or 2 numbers")
        return self

    def point(self) -> list[float]:
        return list(self.ideal_point) if isinstance(self.ideal_point, list) else [self.ideal_point]


class ReservationSpec(_Strict):
    """A state's own withdrawal terms for one organization (e.g. the United States' 1948 WHO
    reservation: one year's notice, the current year's dues paid in full)."""

    state: Code = Field(description="The state holding the reservation (a member).")
    clause: ClauseSpec = Field(description="Its own withdrawal terms, replacing the organization's clause for it.")


class TimelineEventSpec(_Strict):
    """A scheduled event (see exitsim/timeline.py for what each kind does and when)."""

    year: int = Field(ge=1800, le=3000, description="Calendar year; must fall within the run (after start_year).")
    kind: Literal[TIMELINE_KINDS] = Field(description="government, nativism_shock, withhold_dues, power_shock, threat, notice or rejoin.")
    state: Code = Field(description="The state concerned.")
    organization: Code | None = Field(None, description="The organization (needed for withhold_dues, threat, notice, rejoin).")
    month: int = Field(0, ge=0, le=12, description="Month of a notice (1–12; 0: drawn).")
    value: float | str | None = Field(None, description="government: nativist or internationalist; nativism_shock: change; power_shock: factor; withhold_dues: share.")

    @model_validator(mode="after")
    def _event(self):
        try:
            self.to_event()
        except TimelineError as error:
            raise ValueError(str(error).split(": ", 1)[-1]) from None
        return self

    def to_event(self) -> ScheduledEvent:
        return ScheduledEvent(self.year, self.kind, self.state, self.organization or "", self.month, self.value)


class OrganizationSpec(_Strict):
    """One intergovernmental organization (MODEL.md §2)."""

    code: Code
    name: str | None = Field(None, description="Display name (default: the code).")
    issue_area: Literal[ISSUE_AREAS] = Field("general", description="The organization's issue area.")
    institutionalization: int = Field(2, ge=1, le=3, description="1 minimal, 2 structured, 3 interventionist.")
    voting: Literal[VOTING_RULES] = Field("one_state_one_vote", description="one_state_one_vote or weighted.")
    budget_rate: float | None = Field(None, ge=0, le=0.01, description="Budget rate b_k (default: the budget_rate parameter).")
    cap: float | None = Field(None, gt=0, le=1, description="Ceiling on a member's share of the budget (none if omitted).")
    founded: YearOrMonth | None = Field(None, description="When the treaty entered into force: a year (1949) or a year and month (1949-08) (default: the start year).")
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


class GenerateSpec(_Strict):
    """A generated world (distributions of ``world_facts.md``), to which explicit entries are added."""

    states: int = Field(0, ge=0, le=10000, description="Number of states to generate.")
    organizations: int = Field(0, ge=0, le=20000, description="Number of organizations to generate.")
    power_gini: float = Field(0.83, gt=0, lt=1, description="Inequality of power: the Gini of the generated power values (the real capability shares: 0.83).")
    total_power: float = Field(1000.0, gt=0, description="Sum of the generated states' power (any unit; only ratios matter).")
    memberships_per_state: float = Field(63.0, ge=0, description="Average number of organizations a state belongs to (real: 63).")
    memberships_spread: float = Field(0.25, ge=0, le=5, description="Spread of memberships per state, as a share of the average.")
    memberships_per_tenfold_power: float = Field(11.0, ge=-100, le=100, description="Extra memberships for every tenfold power (real: about 11).")
    min_memberships: int = Field(5, ge=0, description="Every state belongs to at least this many organizations.")
    members_median: float = Field(17.5, gt=0, description="Median of the target sizes of organizations; filling them raises the median by about 1.5 (17.5 gives the real 19).")
    min_members: int = Field(3, ge=1, description="Every organization gets at least this many members (its nearest states are added).")
    proximity_scale: float = Field(1.5, gt=0, description="How far from an organization's ideological centre states still join it (ideal-point units).")
    dimensions: Literal[1, 2] = Field(1, description="Dimensions of the ideal-point space: 1 or 2.")
    cap_min_members: int = Field(50, ge=1, description="An organization copies its template's contribution cap only if it has at least this many members.")
    growth_mean: float = Field(0.03, ge=-0.5, le=0.5, description="Mean yearly growth rate of the states other than the hegemon and the rising power.")
    growth_sd: float = Field(0.01, ge=0, le=0.5, description="Standard deviation of their growth rates.")
    hegemon: bool = Field(True, description="Make the most powerful state the hegemon and the second the rising power.")
    hegemon_rising_ratio: float = Field(2.5, ge=1, description="The hegemon's power over the rising power's (1: equals).")
    hegemon_growth: float = Field(0.02, ge=-0.5, le=0.5, description="The hegemon's yearly growth rate.")
    rising_growth: float = Field(0.05, ge=-0.5, le=0.5, description="The rising power's yearly growth rate.")
    ally_share: Fraction = Field(0.15, description="Share of the other states, nearest the hegemon's ideal point, that become its allies.")
    founded_from: int = Field(1945, ge=1800, le=3000, description="Earliest founding year of generated organizations.")

    def options(self) -> GenerateOptions:
        return GenerateOptions(**self.model_dump())


class Scenario(_Strict):
    """A scenario file: metadata, parameters, a world (generated and/or explicit)."""

    name: str = Field("unnamed", description="Short name of the scenario.")
    description: str = Field("", description="What the scenario is about.")
    start_year: int = Field(2025, ge=1800, le=3000, description="Calendar year of step 0.")
    steps: int = Field(50, ge=1, le=1000, description="Years to simulate.")
    world_seed: int = Field(0, ge=0, description="Seed of the generated world.")
    seed: int = Field(0, ge=0, description="Seed of the dynamics.")
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


def _yaml() -> YAML:
    return yaml_reader()  # round-trip: plain data only, duplicate keys rejected, lines known


def default_scenario_path() -> Path:
    """The packaged copy of ``scenarios/default.yaml``."""
    return Path(str(resources.files("exitsim.scenarios").joinpath("default.yaml")))


def parse_scenario(text: str, source: str = "<scenario>", overrides: ScenarioOverrides | None = None) -> Scenario:
    """Validate scenario YAML text said to come from ``source`` (``extends:`` is relative to it).

    Raises:
        ScenarioError: listing every problem, each located in the text (or the override).
    """
    return _validated(read_document(Path(source), source, text), overrides)


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
    """
    path = Path(path) if path is not None else default_scenario_path()
    return _validated(read_document(path), overrides)


def _validated(document: Document, overrides: ScenarioOverrides | None) -> Scenario:
    apply_overrides(document, overrides, Scenario)
    scenario, problems = validate(document, Scenario, _parameter_hint)
    problems = document.problems + problems
    if scenario is not None:
        problems += [document.locate(path, message) for path, message in _checks_across_fields(scenario)]
    if problems:
        raise ScenarioError(problems=document.sort(problems))
    return scenario


def _checks_across_fields(scenario: Scenario) -> list[tuple[tuple, str]]:
    """:func:`cross_check` on the whole world: explicit entries may name generated states."""
    try:
        states, organizations = all_specs(scenario)
    except ValueError as error:
        return [(("generate",), f"cannot generate this world: {error}")]
    return cross_check(scenario, states, organizations)


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
    problems: list[Problem] = []
    if len(states) < 2:
        problems.append((("states",), f"a scenario needs at least 2 states, it has {len(states)}"))
    first_seen: dict[str, int] = {}
    for i, s in enumerate(states):
        if s.code in first_seen and i >= offset_s:
            problems.append((("states", i - offset_s, "code"), f"state code {s.code!r} is used twice"))
        first_seen.setdefault(s.code, i)
    seen_orgs: set[str] = set()
    for k, o in enumerate(organizations):
        if o.code in seen_orgs and k >= offset_o:
            problems.append((("organizations", k - offset_o, "code"), f"organization code {o.code!r} is used twice"))
        seen_orgs.add(o.code)
    known = {s.code: s for s in states}
    for k, o in enumerate(explicit_orgs):
        members = o.member_codes()
        listed: set[str] = set()
        for j, code in enumerate(members):
            if code not in known:
                hint = suggest(code, known)
                problems.append((("organizations", k, "members", j),
                                 f"{code!r} is not a state of the scenario" + (f" (did you mean {hint!r}?)" if hint else "")))
            elif code in listed:
                problems.append((("organizations", k, "members", j),
                                 f"{code!r} is listed twice among the members of {o.code}"))
            listed.add(code)
        for j, reservation in enumerate(o.reservations):
            if reservation.state not in members:
                problems.append((("organizations", k, "reservations", j, "state"),
                                 f"{reservation.state!r} holds a reservation but is not a member of {o.code}"))
    for i, s in enumerate(explicit_states):
        for j, ally in enumerate(s.alliances):
            if ally not in known:
                hint = suggest(ally, known)
                problems.append((("states", i, "alliances", j),
                                 f"{ally!r} is not a state of the scenario" + (f" (did you mean {hint!r}?)" if hint else "")))
            elif s.code not in known[ally].alliances:
                problems.append((("states", i, "alliances", j),
                                 f"alliances are mutual: {ally} must also list {s.code} among its alliances"))
    for role in ("hegemon", "rising"):
        holders = [i for i, s in enumerate(states) if s.role == role]
        for i in holders[1:]:
            path = ("states", i - offset_s, "role") if i >= offset_s else ("generate", "hegemon")
            name = "hegemon" if role == "hegemon" else "rising power"
            problems.append((path, f"at most one state can be the {name}; {states[holders[0]].code} already is"))
    dims = len(states[0].point()) if states else 1
    for i, s in enumerate(explicit_states):
        if len(s.point()) != dims:
            problems.append((("states", i, "ideal_point"),
                             f"all ideal points must have the same number of dimensions ({dims} here)"))
    orgs = {o.code for o in organizations}
    last = scenario.start_year + scenario.steps
    for t, event in enumerate(scenario.timeline):
        if event.state not in known:
            problems.append((("timeline", t, "state"), f"{event.state!r} is not a state of the scenario"))
        if event.organization and event.organization not in orgs:
            problems.append((("timeline", t, "organization"), f"{event.organization!r} is not an organization of the scenario"))
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
    options = scenario.generate.options()
    generated = generate_states(options, rng)
    return ([StateSpec.model_validate(s) for s in generated] + states,
            [OrganizationSpec.model_validate(o)
             for o in generate_organizations(options, generated, scenario.start_year, rng)] + organizations)


def resolve_world_specs(scenario: Scenario) -> tuple[list[StateSpec], list[OrganizationSpec]]:
    """Generated and explicit states and organizations, sorted by code and cross-checked."""
    states, organizations = all_specs(scenario)
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
