"""Hypothesis strategies for random small worlds and parameter overrides.

:func:`worlds` builds :class:`exitsim.world.World` objects directly (not via scenarios), with
the awkward cases the institutions phase must get right: every state in every organization,
organizations with one member or with no active member, binding caps, discounts, the 10% rise
cap binding (positive last dues), members under notice, inactive or withdrawn, dead
organizations, security organizations, weighted and one-state-one-vote voting.

:func:`param_overrides` draws valid overrides within the registry's ranges (modest values, and
κ · clip < 1 so power stays positive by construction, MODEL.md §4.0); :func:`phase_inputs`
draws a whole phase-2/3 input: ``(world, params, quality_noise, power_noise)``.

:func:`make_world` builds a world from plain lists, for hand-written examples.
"""

from __future__ import annotations

import dataclasses
import math

import numpy as np
from hypothesis import strategies as st

from exitsim.codes import NEVER
from exitsim.parameters import REGISTRY, make_params
from exitsim.world import (
    ALIVE,
    DEAD,
    INACTIVE,
    ISSUE_AREAS,
    MEMBER,
    MEMBERSHIP_COLUMNS,
    NOTICE,
    SECURITY,
    WITHDRAWN,
    ZOMBIE,
    Memberships,
    World,
)

PATTERNS = ("all", "one", "none_active", "random")


def finite(low: float, high: float) -> st.SearchStrategy[float]:
    return st.floats(low, high, allow_nan=False, allow_infinity=False)


def log_uniform(low: float, high: float) -> st.SearchStrategy[float]:
    """Floats spread evenly in log scale over ``[low, high]`` (both ends reachable)."""
    return finite(math.log(low), math.log(high)).map(lambda x: min(max(math.exp(x), low), high))


# Overridable parameters: name -> (low, high, boundary values drawn often). Modest values, all
# within the registry's ranges (checked below); κ · clip ≤ 2 · 0.2 < 1 keeps power positive.
PARAM_RANGES: dict[str, tuple[float, float, tuple]] = {
    "organization_weight": (0.1, 50.0, ()),
    "assessment_years": (1, 8, ()),
    "dues_rise_cap": (0.0, 1.0, (0.1,)),
    "contribution_floor": (0.0, 0.01, (0.0,)),
    "commitment_rate": (0.0, 2.0, ()),
    "performance_adjustment": (0.0, 1.0, ()),
    "performance_noise": (0.0, 0.2, ()),
    "absorptive_exponent": (0.0, 2.0, (0.0, 0.5, 1.0)),
    "leak": (0.0, 1.0, (0.0, 1.0)),
    "access_spillover": (0.0, 0.01, ()),
    "leader_margin": (1.0, 3.0, (1.0,)),
    "steering_share": (0.0, 1.0, ()),
    "equal_vote_steering": (0.0, 1.0, ()),
    "compliance": (0.0, 2.0, ()),
    "institutional_rate": (0.0, 2.0, ()),
    "net_gain_clip": (0.0, 0.2, ()),
    "power_noise": (0.0, 0.1, ()),
}


def _parameter_strategy(name: str) -> st.SearchStrategy:
    low, high, special = PARAM_RANGES[name]
    definition = REGISTRY[name]
    assert definition.low is None or definition.low <= low, name
    assert definition.high is None or high <= definition.high, name
    if definition.kind == "int":
        return st.integers(int(low), int(high))
    values = log_uniform(low, high) if name == "organization_weight" else finite(low, high)
    return st.one_of(st.sampled_from(special), values) if special else values


PARAM_STRATEGIES: dict[str, st.SearchStrategy] = {name: _parameter_strategy(name) for name in PARAM_RANGES}


def param_overrides() -> st.SearchStrategy[dict]:
    """A dict of valid parameter overrides (any subset of :data:`PARAM_STRATEGIES`)."""
    return st.fixed_dictionaries({}, optional=PARAM_STRATEGIES)


def params_strategy() -> st.SearchStrategy:
    """Resolved ``Params`` with random valid overrides."""
    return param_overrides().map(make_params)


def make_world(power, memberships, *, n_orgs=None, growth=None, ideal_point=None, history_years=6,
               budget_rate=None, cap=None, quality=None, intrinsic_quality=None, value_multiplier=None,
               issue_area=None, institutionalization=None, weighted_voting=None, policy_offset=None,
               org_status=None, need_base=None, need_world_power=None) -> World:
    """A :class:`World` from plain lists (for hand-written examples and the strategy).

    ``memberships`` is a list of dicts with the :data:`exitsim.world.MEMBERSHIP_COLUMNS`
    (``state`` and ``org`` required). Organization arguments default to an alive, one-vote,
    non-security organization with budget rate 1e-3, no cap, quality 0.8 and θ = 1.5.
    ``need_base`` defaults to the initial need with no cap: Σ of the active members' c* at
    ``organization_weight`` 1.
    """
    power = np.asarray(power, dtype=np.float64)
    n = len(power)
    m = n_orgs if n_orgs is not None else 1 + max((int(row["org"]) for row in memberships), default=0)
    growth = np.zeros(n) if growth is None else np.asarray(growth, dtype=np.float64)
    ideal = (np.linspace(-1.0, 1.0, n).reshape(n, 1) if ideal_point is None
             else np.asarray(ideal_point, dtype=np.float64).reshape(n, -1))
    dims = ideal.shape[1]

    def org_array(values, default, dtype):
        return np.full(m, default, dtype=dtype) if values is None else np.asarray(values, dtype=dtype)

    history = power[:, None] * np.exp(-np.outer(growth, np.arange(history_years)))
    ms = Memberships({name: [row.get(name, fill) for row in memberships]
                      for name, (_, fill) in MEMBERSHIP_COLUMNS.items()})
    budget_rate = org_array(budget_rate, 1e-3, np.float64)
    org_status = org_array(org_status, ALIVE, np.int8)
    if need_base is None:
        base = history.mean(axis=1)
        need_base = np.zeros(m)
        for r in range(len(ms)):
            if ms.status[r] <= NOTICE:
                need_base[ms.org[r]] += budget_rate[ms.org[r]] * base[ms.state[r]]
    world_power = float(power.sum())
    return World(
        start_year=2000,
        state_code=[f"S{i}" for i in range(n)],
        state_name=[f"State {i}" for i in range(n)],
        power=power,
        growth=growth,
        power_history=history,
        ideal_point=ideal,
        nativism=np.full(n, 0.3),
        nativism_mean=np.full(n, 0.3),
        democracy=np.full(n, 0.5),
        nativist_government=np.zeros(n, dtype=bool),
        role=np.zeros(n, dtype=np.int8),
        alliances=np.zeros((0, 2), dtype=np.int64),
        election_phase=np.zeros(len(power), dtype=np.int64),
        last_turnover=np.full(len(power), NEVER, dtype=np.int64),
        share_history=np.repeat((np.asarray(power) / np.sum(power))[:, None], 6, axis=1),
        reputation=np.ones(len(power)),
        align_hegemon=np.zeros(len(power)),
        align_rising=np.zeros(len(power)),
        org_code=[f"O{k}" for k in range(m)],
        org_name=[f"Organization {k}" for k in range(m)],
        issue_area=org_array(issue_area, ISSUE_AREAS.index("general"), np.int8),
        institutionalization=org_array(institutionalization, 2, np.int8),
        weighted_voting=org_array(weighted_voting, False, bool),
        budget_rate=budget_rate,
        cap=org_array(cap, np.nan, np.float64),
        quality=org_array(quality, 0.8, np.float64),
        intrinsic_quality=org_array(intrinsic_quality, 0.8, np.float64),
        value_multiplier=org_array(value_multiplier, 1.5, np.float64),
        founded=np.full(m, 2000),
        founder=np.full(m, -1),
        club=np.zeros(m, dtype=bool),
        policy_offset=(np.zeros((m, dims)) if policy_offset is None
                       else np.asarray(policy_offset, dtype=np.float64).reshape(m, dims)),
        org_status=org_status,
        clause=[{} for _ in range(m)],
        memberships=ms,
        need_base=np.asarray(need_base, dtype=np.float64),
        need_world_power=(np.full(m, world_power) if need_world_power is None
                          else np.asarray(need_world_power, dtype=np.float64)),
    )


@st.composite
def worlds(draw, params=None, pattern: str | None = None, min_states: int = 2, max_states: int = 8,
           max_orgs: int = 6) -> World:
    """A random small world whose history has ``params.assessment_years`` columns.

    ``pattern`` forces every organization's membership pattern: ``"all_in_all"`` (every state
    an active member of every organization, none dead), or one of :data:`PATTERNS`; by default
    each organization draws its own.
    """
    params = params if params is not None else make_params()
    n = draw(st.integers(min_states, max_states), label="n_states")
    m = draw(st.integers(1, max_orgs), label="n_orgs")
    dims = draw(st.sampled_from([1, 2]))
    years = params.assessment_years

    power = np.array([draw(log_uniform(0.01, 100.0)) for _ in range(n)])
    growth = np.array([draw(finite(-0.05, 0.1)) for _ in range(n)])
    jitter = np.array([[0.0] + [draw(finite(-0.1, 0.1)) for _ in range(years - 1)] for _ in range(n)])
    history = power[:, None] * np.exp(-np.outer(growth, np.arange(years)) + jitter)
    ideal = np.array([[draw(finite(-3.0, 3.0)) for _ in range(dims)] for _ in range(n)])

    org_status, patterns = [], []
    for _ in range(m):
        if pattern == "all_in_all":
            patterns.append("all")
            org_status.append(draw(st.sampled_from([ALIVE, ALIVE, ZOMBIE])))
        else:
            patterns.append(pattern or draw(st.sampled_from(PATTERNS)))
            org_status.append(draw(st.sampled_from([ALIVE, ALIVE, ALIVE, ZOMBIE, DEAD])))
    active_status = st.sampled_from([MEMBER, MEMBER, MEMBER, NOTICE])
    gone_status = st.sampled_from([INACTIVE, WITHDRAWN])

    rows = []                      # (state, org, status)
    for k, kind in enumerate(patterns):
        if kind == "all":
            rows += [(i, k, draw(active_status)) for i in range(n)]
        elif kind == "one":
            lone = draw(st.integers(0, n - 1))
            rows.append((lone, k, draw(active_status)))
            rows += [(i, k, draw(gone_status)) for i in range(n) if i != lone and draw(st.booleans())]
        elif kind == "none_active":
            rows += [(i, k, draw(gone_status)) for i in range(n) if draw(st.booleans())]
        else:
            rows += [(i, k, draw(st.sampled_from([MEMBER, MEMBER, NOTICE, INACTIVE, WITHDRAWN])))
                     for i in range(n) if draw(st.booleans())]
    rows = draw(st.permutations(rows)) if rows else rows

    budget_rate = np.array([draw(log_uniform(1e-5, 1e-2)) for _ in range(m)])
    cap = np.array([draw(st.one_of(st.just(math.nan), finite(0.1, 0.35), finite(0.35, 1.0))) for _ in range(m)])
    base = history.mean(axis=1)
    c_star = [params.organization_weight * budget_rate[k] * base[i] for i, k, _ in rows]
    world_power = float(power.sum())

    need_base = np.zeros(m)
    for k in range(m):
        active = [c for c, (_, o, s) in zip(c_star, rows, strict=True) if o == k and s <= NOTICE]
        every = [c for c, (_, o, _) in zip(c_star, rows, strict=True) if o == k]
        reference = (sum(active) or sum(every)
                     or params.organization_weight * budget_rate[k] * float(base.mean()))
        need_base[k] = draw(finite(0.3, 1.5)) * reference
    need_world_power = world_power * np.array([draw(finite(0.8, 1.25)) for _ in range(m)])
    need = need_base * world_power / need_world_power

    last, discount = [], []
    for c, (_, k, _) in zip(c_star, rows, strict=True):
        total = sum(c2 for c2, (_, o, s) in zip(c_star, rows, strict=True) if o == k and s <= NOTICE) or c
        # New members pay nothing last year; old ones about their proportional share.
        share = c * need[k] / total
        last.append(draw(st.one_of(st.just(0.0), finite(0.5, 1.6).map(lambda u, share=share: u * share))))
        discount.append(draw(st.one_of(st.just(0.0), finite(0.0, 0.5))))

    memberships = Memberships({
        "state": [i for i, _, _ in rows],
        "org": [k for _, k, _ in rows],
        "status": [s for _, _, s in rows],
        "joined": [2000 - draw(st.integers(0, 30)) for _ in rows],
        "dues": last,
        "discount": discount,
        "arrears": [0.0] * len(rows),
    }) if rows else Memberships()

    offsets = np.array([[draw(st.one_of(st.just(0.0), finite(-1.0, 1.0))) for _ in range(dims)] for _ in range(m)])
    world = make_world(
        power, [], n_orgs=m, growth=growth, ideal_point=ideal, history_years=years, budget_rate=budget_rate,
        cap=cap, quality=[draw(finite(0.0, 1.0)) for _ in range(m)],
        intrinsic_quality=[draw(finite(0.0, 1.0)) for _ in range(m)],
        value_multiplier=[draw(finite(0.0, 5.0)) for _ in range(m)],
        issue_area=[draw(st.one_of(st.just(SECURITY), st.integers(0, len(ISSUE_AREAS) - 1))) for _ in range(m)],
        institutionalization=[draw(st.integers(1, 3)) for _ in range(m)],
        weighted_voting=[draw(st.booleans()) for _ in range(m)], policy_offset=offsets, org_status=org_status,
        need_base=need_base, need_world_power=need_world_power)
    return dataclasses.replace(
        world, power_history=history, founded=np.full(m, 1990), memberships=memberships,
        nativism=np.array([draw(finite(0.0, 1.0)) for _ in range(n)]),
        nativism_mean=np.array([draw(finite(0.0, 1.0)) for _ in range(n)]),
        democracy=np.array([draw(finite(0.0, 1.0)) for _ in range(n)]),
        nativist_government=np.array([draw(st.booleans()) for _ in range(n)], dtype=bool))


@st.composite
def phase_inputs(draw, pattern: str | None = None):
    """``(world, params, quality_noise, power_noise)`` for phases 2 and 3."""
    params = draw(params_strategy())
    world = draw(worlds(params=params, pattern=pattern))
    quality_noise = np.array([draw(finite(-3.0, 3.0)) for _ in range(world.n_orgs)])
    power_noise = np.array([draw(finite(-3.0, 3.0)) for _ in range(world.n_states)])
    return world, params, quality_noise, power_noise
