"""Phase 8b–c: rejoining and the life cycle of organizations (MODEL.md §4.12).

* **Rejoining** (:func:`rejoin`): a withdrawn state rejoins when a window is open and its
  evaluation as a member exceeds the rejoin threshold (hysteresis), once any surviving debt is
  paid; an inactive member returns when the same holds, without a window or accession; the
  timeline's scheduled rejoins happen whatever the evaluation. Effective next year. A hegemon
  that left by exit diplomacy comes back only when its reform is granted (phase 5).
* **Life cycle** (:func:`run`): zombies and deaths (dead organizations stay, their memberships
  end with cause ``death``, not counted as withdrawals), then the year's background foundings,
  planned together from the life cycle's stream (:func:`found`).
"""

from __future__ import annotations

import numpy as np

from ..codes import ALIVE, DEAD, INACTIVE, ISSUE_AREAS, MEMBER, NEVER, WITHDRAWN
from ..events import Event
from ..mechanisms import budget, evaluation, law, lifecycle, prospect
from ..mechanisms.coefficients import from_parameters
from ..mechanisms.grouping import GroupIndex
from ..world import World
from .context import StepContext


def rejoin(ctx: StepContext) -> None:
    """Withdrawn states rejoin and inactive members return (effective next year)."""
    world, ms, p, year, counts = ctx.world, ctx.world.memberships, ctx.params, ctx.year, ctx.counts
    rows = np.flatnonzero(ms.status >= INACTIVE)  # the few rows out of their organizations
    rows = rows[((ms.status[rows] == INACTIVE) | ~ms.ended_by_death[rows])
                & (world.org_status[ms.org[rows]] != DEAD) & (ms.exit_year[rows] < year)]
    if ctx.strategy is not None and ctx.strategy.demands:  # exit diplomacy returns only on its reform (§4.11)
        rows = rows[~np.isin(rows, list(ctx.strategy.demands))]
    forced = {}  # row -> the scheduled month (0: none given)
    for event in ctx.timeline.at(year, "rejoin"):
        if world.org_status[world.org_index(event.organization)] == DEAD:
            continue  # nobody joins a dead organization
        r = world.row_of(event.state, event.organization)
        if r < 0:  # never a member: an accession
            r = int(ms.append(state=world.state_index(event.state), org=world.org_index(event.organization),
                              status=WITHDRAWN, joined=year + 1)[0])
            rows = np.append(rows, r)
        forced[r] = event.month
    if len(rows) == 0:
        return
    back = _wants_back(ctx, rows) if p.rejoining else np.zeros(len(rows), dtype=bool)
    if forced:
        back |= np.isin(rows, list(forced))
    # a rejoin counts from its scheduled month, else from January of next year ("effective next
    # year"): tenures since accession start again from it (MODEL.md §4.7)
    for row in rows[back]:
        s, k = world.state_code[ms.state[row]], world.org_code[ms.org[row]]
        if ms.arrears[row] > 0 and not law.may_rejoin(ms.arrears[row]):  # pays its surviving debt first
            i = ms.state[row]
            world.power[i] -= law.debt_payment(ms.arrears[row], world.power[i], p.debt_payment_limit)
            ms.arrears[row] = 0.0
        returning = ms.status[row] == INACTIVE
        accession = ms.exit_year[row] == NEVER  # it never was a member: joins
        ms.status[row] = MEMBER
        ms.substantive[row] = ms.procedural[row] = 0
        ms.consent_refused[row] = False
        ms.dues[row] = 0.0  # a new member: exempt from the rise cap
        if returning:
            counts.returns += 1
            ctx.events.add(Event(year, "return", s, k, detail="resumed its seat without re-accession"))
        else:
            month = forced.get(int(row), 0)
            ms.joined[row], ms.joined_month[row] = (year, month) if month else (year + 1, 1)
            counts.rejoins += 1
            since = f"{year}-{month:02d}" if month else f"{year + 1}"
            ctx.events.add(Event(year, "rejoin", s, k, month=month,
                                 detail=f"{'joins' if accession else 'member again'} from {since}"))


def _wants_back(ctx: StepContext, rows: np.ndarray) -> np.ndarray:
    """Which of the rows out of their organizations would rejoin (or return): ũ as a member, from
    the prospective flows, less any surviving debt, above the rejoin threshold (and a window open
    for a withdrawn state)."""
    world, ms, p = ctx.world, ctx.world.memberships, ctx.params
    state, org = ms.state[rows], ms.org[rows]
    c_star = budget.uncapped_assessment(budget.assessment_base(world.power_history), world.budget_rate, state,
                                        org, p.organization_weight)
    prospective = prospect.prospective_flows(
        state, org, world.power, world.ideal_point, ctx.flows, world.institutionalization,
        p.organization_weight, p.access_spillover, p.absorptive_exponent, p.leak, p.compliance, c_star,
        cap=world.cap, checked=True)
    value = evaluation.membership_utility(
        prospective.benefits, prospective.dues, prospective.compliance, c_star, prospective.distance,
        world.institutionalization[org], world.nativist_government[state], np.zeros(len(rows)), 0.0,
        p.preference_cost, p.nativist_cost, p.ratio_clip)
    # a surviving debt must be paid first: it is weighed as a one-off cost (years of dues)
    value = value - np.clip(ms.arrears[rows] / np.where(c_star > 0, c_star, 1.0), 0.0, p.ratio_clip)
    return lifecycle.rejoins(ms.status[rows], value, ctx.window_open()[state], p.rejoin_threshold)


def run(ctx: StepContext) -> list[int]:
    """Zombies, deaths and failures, then the year's foundings; return the founded
    organizations' indices (the model makes their agents)."""
    world, ms, p, year, counts = ctx.world, ctx.world.memberships, ctx.params, ctx.year, ctx.counts
    members = world.member_counts()
    status, world.low_years, world.dying_years, died = lifecycle.update_status(
        world.org_status, world.quality, world.low_years, world.dying_years, members,
        from_parameters(lifecycle.LifeCycleThresholds, p))
    # this year's adequacy; organizations a strategy founded this year (phase 5) start fully funded
    adequacy = np.ones(world.n_orgs)
    adequacy[:len(ctx.flows.adequacy)] = ctx.flows.adequacy[:world.n_orgs]
    vitality = lifecycle.vitality(world.quality, adequacy)
    hazard = lifecycle.failure_hazard(vitality, members, world.issue_area, _alive_by_area(world, status),
                                      world.area_reference, world.area_reference_size, p.failure_rate,
                                      p.failure_smallness, p.organization_weight)
    failed = ((status != DEAD) & (world.founded < year)  # none fails in the year it is founded (phase 5's)
              & (ctx.streams.uniform(ctx.step, "lifecycle", world.n_orgs, draw=1) < hazard))
    status = np.where(failed, DEAD, status).astype(world.org_status.dtype)
    died = died | failed
    world.org_status = status
    if died.any():
        live = np.flatnonzero(ms.status <= INACTIVE)
        by_org = GroupIndex(ms.org[live], live, world.n_orgs)
        for k in np.flatnonzero(died):  # a year's few deaths
            ending = by_org.rows(int(k))
            ms.status[ending] = WITHDRAWN
            ms.ended_by_death[ending] = True
            ms.exit_year[ending] = year
            counts.deaths += 1
            detail = f"{int(members[k])} members, performance {world.quality[k]:.2f}"
            if failed[k]:
                detail = f"failed: {detail}, {min(1.0, float(adequacy[k])):.0%} of its need collected"
            ctx.events.add(Event(year, "death", organization=world.org_code[k], detail=detail))
    rng = ctx.streams.generator(ctx.step, "lifecycle")
    expected = lifecycle.expected_foundings(_alive_by_area(world, world.org_status), world.area_reference,
                                            p.founding_rate, p.founding_crowding, p.organization_weight)
    areas = np.repeat(np.arange(len(ISSUE_AREAS)), rng.poisson(expected))
    if not len(areas):
        return []
    rules = from_parameters(lifecycle.FoundingRules, p)
    founded = found(ctx, founding_draws(rng, areas, world.n_states, rules), rules)
    counts.foundings += len(areas)
    return founded


def _alive_by_area(world: World, status: np.ndarray) -> np.ndarray:
    """N_a: organizations not dead (zombies included) in each issue area."""
    return np.bincount(world.issue_area[status != DEAD].astype(np.int64), minlength=len(ISSUE_AREAS))


def founding_draws(rng: np.random.Generator, areas: np.ndarray, n_states: int,
                   rules: lifecycle.FoundingRules) -> lifecycle.FoundingDraws:
    """The random numbers of a year's foundings, one in each issue area of ``areas`` (indices
    into :data:`ISSUE_AREAS`), among ``n_states`` states (:class:`lifecycle.FoundingDraws`),
    drawn in their fixed order from the life cycle's generator."""
    count = len(areas)
    low, high = rules.size_range
    return lifecycle.FoundingDraws(
        founder=rng.random(count), area=np.asarray(areas, dtype=np.int64),
        size=rng.integers(low, high + 1, size=count), gumbel=rng.gumbel(size=(count, n_states)),
        rule=rng.random(count), intrinsic_quality=rng.beta(4.0, 2.0, size=count),
        value=rng.normal(0.0, 1.0, size=count))


class _OrganizationRules:
    """The organizations' rules as :func:`lifecycle.rules_of` gives them, built only for the
    organization a founding copies (not for all of them at every founding)."""

    def __init__(self, world: World):
        self.world = world

    def __len__(self) -> int:
        return self.world.n_orgs

    def __getitem__(self, k: int) -> dict:
        w = self.world
        return lifecycle.rules_of(w.institutionalization, w.weighted_voting, w.cap, w.clause, k)


def found(ctx: StepContext, draws: lifecycle.FoundingDraws, rules: lifecycle.FoundingRules, *,
          founders: np.ndarray | None = None, eligible: np.ndarray | None = None,
          affinity: np.ndarray | None = None, club: bool = False, voting: str | None = None,
          cause: str = "") -> list[int]:
    """This year's background foundings: plan them together (:class:`lifecycle.FoundingPool`),
    append them to the world with their needs (the cap fixed point over their members, §4.1),
    and add the members' rows once for all of them. Returns their indices.

    A great power's strategy founds its clubs and counter-institutions here too (MODEL.md
    §4.11): its ``founders``, ``eligible`` invitees and invitation ``affinity`` go to the plan
    (:meth:`lifecycle.FoundingPool.plan`); ``club`` flags them, ``voting`` overrides the rule
    copied from the founder's template, and ``cause`` (the strategy) is logged with the members.
    """
    world, p, year = ctx.world, ctx.params, ctx.year
    ms, by_state = world.memberships, ctx.rows_by_state()
    count = len(draws)

    def orgs_of(founder: int) -> np.ndarray:  # a founder's active memberships
        rows = by_state.rows(founder)
        return ms.org[rows[world.active_mask(rows)]]

    pool = lifecycle.FoundingPool(world.power, world.ideal_point, world.alliances, None, None, world.issue_area,
                                  _OrganizationRules(world), ctx.templates, rules, orgs_of=orgs_of)
    plans = pool.plan(draws, founders, eligible, affinity)
    first = world.n_orgs
    codes = [f"F{year}-{first + j + 1}" for j in range(count)]
    members = [np.asarray(plan["members"]) for plan in plans]
    state = np.concatenate(members)
    org = np.repeat(np.arange(count), [len(m) for m in members])
    quality = np.array([plan["intrinsic_quality"] for plan in plans])
    caps = np.array([np.nan if plan["cap"] is None else plan["cap"] for plan in plans])
    c_star = budget.uncapped_assessment(budget.assessment_base(world.power_history), np.full(count, p.budget_rate),
                                        state, org, p.organization_weight)
    founded = world.append_organizations(
        codes, [f"{plan['issue_area'].replace('_', ' ').capitalize()} organization founded {year}" for plan in plans],
        [plan["clause"] for plan in plans],
        issue_area=[ISSUE_AREAS.index(plan["issue_area"]) for plan in plans],
        institutionalization=[plan["institutionalization"] for plan in plans],
        weighted_voting=[(voting or plan["voting"]) == "weighted" for plan in plans], budget_rate=p.budget_rate, cap=caps,
        quality=quality, intrinsic_quality=quality,
        value_multiplier=p.output_multiplier * np.exp(p.output_spread * np.array([plan["value"] for plan in plans])),
        founded=year, founder=[plan["founder"] for plan in plans], club=club,
        policy_offset=np.zeros(world.dimensions), org_status=ALIVE,
        need_base=budget.initial_need(c_star, org, caps, count), need_world_power=world.world_power,
        low_years=0, dying_years=0, quality_history=np.repeat(quality[:, None], world.quality_history.shape[1], axis=1),
        leader_history=-1)
    for code, plan, rows_of in zip(codes, plans, members, strict=True):
        detail = f"{len(rows_of)} members, {plan['issue_area']}"
        if cause:  # a strategy's founding: say who joined
            detail += f"{', club' if club else ''}; members " + " ".join(world.state_code[i] for i in rows_of)
        ctx.events.add(Event(year, "founding", state=world.state_code[plan["founder"]], organization=code,
                             cause=cause, detail=detail))
    ms.append(state=state, org=org + first, joined=year + 1)
    return founded
