"""Phase 5: the great powers' strategies (MODEL.md §4.11).

The strategies wait until the hegemon's lead P_H / P_R falls below ``strategy_trigger`` (1.5),
then stay active for good, also after the rising power overtakes. Each year an active strategy
takes at most ``actions_per_year`` actions, ranked by the mechanisms of
:mod:`exitsim.mechanisms.strategies`; the memberships an action touches do not choose again in
phase 6 (:func:`run` returns their rows). The hegemon:

* ``status_quo`` — decides like any state (no action, γ = 0);
* ``exit_diplomacy`` — ranks its memberships by the relative-gains balance and threatens or leaves
  the worst by the payoff rule of §4.6 under the organization's real clause
  (:class:`~exitsim.phases.decisions.Deliberation`), demanding reform (a lower cap, weighted
  voting): a threat is answered at once; after a notice the demand is answered every year, and
  when it is granted the hegemon rescinds, rejoins or returns. A reformed organization is no
  longer a target (the demand is met);
* ``inclusive`` — in turn offers the rising power admission to its organizations (the members
  consent by a draw, likelier the more aligned they are with it), shortens an organization's
  assessment base so the rising power pays on its current power, and amends one to raise its
  institutionalization (Feinberg's amendment right for the members it hurts);
* ``exclusive`` — founds a club in each issue area where the rival gains most, with the states
  aligned with it and without the rival, weighted voting, funded by its voluntary contributions.

The rising power: ``passive``; ``gap_filling`` — funds a share of the shortfall where the
hegemon left and its own ũ is positive (taking the lead where it becomes the largest
contributor); ``counter_institutions`` — founds its own organizations in the areas the hegemon
leads most, inviting by alignment and need, funded by its voluntary contributions. Voluntary
contributions are pledged here and paid in next year's phase 2
(:meth:`~exitsim.strategy_state.StrategyState.budget_terms`).

Every action is an event whose ``cause`` names the strategy. Draws come from the strategies'
stream, one value per organization (a great power holds one membership in each): draw 0 is a
matrix of uniforms whose rows are the decision phase's draw ids, for the exit-diplomacy moves
(row 1 the notice month, 2 the answer to a reform demanded by a threat, 3 the answer to a
request for consent, 4 the yearly answer to a pending reform demand;
:class:`~exitsim.phases.decisions.Deliberation`); then :data:`DRAW_ADMISSION`, and
:data:`DRAW_CLUBS` and :data:`DRAW_COUNTER` (the foundings' draws, as the life cycle's). Under
``status_quo`` and ``passive`` this phase does nothing and draws nothing.
"""

from __future__ import annotations

import dataclasses
from functools import cached_property

import numpy as np

from ..codes import (
    DEAD,
    HEGEMON,
    HEGEMON_STRATEGIES,
    INACTIVE,
    ISSUE_AREAS,
    MEMBER,
    NOTICE,
    RISING,
    RISING_STRATEGIES,
    WITHDRAWN,
)
from ..events import Event
from ..mechanisms import decision, domestic, law, lifecycle, strategies
from ..mechanisms.coefficients import from_parameters
from ..mechanisms.flows import Flows
from ..mechanisms.grouping import group_sum
from ..strategy_state import CLUB, COUNTER_INSTITUTION, HEGEMON_POLE, RISING_POLE, ReformDemand, StrategyState
from ..world import World
from . import lifecycle as lifecycle_phase
from .context import StepContext
from .decisions import DRAW_ANSWER, DRAW_CONCEDE, Deliberation
from .evaluation import Evaluation

#: The strategies' own draw ids (0 is exit diplomacy's matrix of the decision phase's draws).
DRAW_ADMISSION, DRAW_CLUBS, DRAW_COUNTER = 5, 6, 7
STATUS_QUO, PASSIVE = HEGEMON_STRATEGIES[0], RISING_STRATEGIES[0]


def gamma(ctx: StepContext) -> np.ndarray | None:
    """γ per state for phase 4 (MODEL.md §4.5): ``relative_gains_weight`` for a great power whose
    strategy is active (not ``status_quo`` / ``passive``), 0 for everyone else; None when no
    strategy is active."""
    state = ctx.strategy
    if state is None or state.inert or not state.active:
        return None
    world = ctx.world
    weights = np.zeros(world.n_states)
    for role, strategy, idle in ((HEGEMON, state.hegemon_strategy, STATUS_QUO), (RISING, state.rising_strategy, PASSIVE)):
        if strategy != idle and (index := world.role_index(role)) >= 0:
            weights[index] = ctx.params.relative_gains_weight
    return weights if weights.any() else None


def run(ctx: StepContext, value: Evaluation) -> np.ndarray:
    """Phase 5 for one year: activation, then the active strategies' actions. Returns the
    edge-list rows whose choice the actions made (phase 6 does not choose for them again)."""
    state = ctx.strategy
    world = ctx.world
    hegemon, rising = world.role_index(HEGEMON), world.role_index(RISING)
    if state is None or state.inert or hegemon < 0 or rising < 0:
        return np.zeros(0, dtype=np.int64)
    state.begin_year(world.n_orgs)
    the = _Year(ctx, value, state, hegemon, rising)
    if not state.active:
        if not strategies.triggered(world.power[hegemon], world.power[rising], the.c.trigger):
            return np.zeros(0, dtype=np.int64)
        _activate(the)
    {"exit_diplomacy": _exit_diplomacy, "inclusive": _inclusive, "exclusive": _exclusive}.get(
        state.hegemon_strategy, _nothing)(the)
    {"gap_filling": _gap_filling, "counter_institutions": _counter_institutions}.get(
        state.rising_strategy, _nothing)(the)
    _founders_pledges(the)
    return np.asarray(sorted(set(the.taken)), dtype=np.int64)


# --- what the strategies weigh (read by their actions and by the loop-by-loop reference) ------------
def relative_gains(world: World, flows: Flows, hegemon: int, rising: int, positions: np.ndarray,
                   net: np.ndarray | None = None) -> np.ndarray:
    """Exit diplomacy's relative-gains balance (:func:`strategies.relative_gains_balance`) of the
    active rows at flows ``positions`` (the hegemon's): the rival's net gain from the row's
    organization, plus the drifting allies' (the hegemon's alliance partners more aligned with
    the rival, :func:`strategies.drifting`), minus the row's own, in years of its dues. ``net``:
    every row's net gain if the caller has it (else the year's net gains of the rows needed,
    :meth:`Flows.net_gains`; the rising power's rows by :meth:`Flows.positions_of`)."""
    allied = np.zeros(world.n_states, dtype=bool)
    pairs = world.alliances
    allied[pairs[:, 1][pairs[:, 0] == hegemon]] = True
    allied[pairs[:, 0][pairs[:, 1] == hegemon]] = True
    drifting = strategies.drifting(allied, world.align_hegemon, world.align_rising)
    m = len(flows.need)
    others = flows.positions_of(rising)
    if drifting.any():
        others = np.concatenate([others, np.flatnonzero(drifting[flows.state])])
    needed = np.concatenate([positions, others])
    gains = flows.net_gains(needed) if net is None else net[needed]
    own, theirs = gains[:len(positions)], gains[len(positions):]
    rival = group_sum(theirs, flows.org[others], m)   # the rival's and the drifting allies' together
    return strategies.relative_gains_balance(own, rival[flows.org[positions]], 0.0, flows.c_star[positions])


def admission_chances(world: World, flows: Flows, hegemon: int, base: float,
                      orgs: np.ndarray | None = None) -> np.ndarray:
    """Per organization (or the ones in ``orgs``), the probability its members consent to admit
    the rising power (:func:`strategies.admission_probability`): from their vote-weighted mean
    alignment with it, the hegemon's own vote left out."""
    m = len(flows.need)
    if orgs is None:
        at = slice(None)
    else:
        at = np.flatnonzero(flows.org == orgs[0]) if len(orgs) == 1 else np.flatnonzero(np.isin(flows.org, orgs))
    state, org, vote = flows.state[at], flows.org[at], flows.vote[at]
    others = state != hegemon
    weight = group_sum(np.where(others, vote, 0.0), org, m)
    aligned = group_sum(np.where(others, vote * world.align_rising[state], 0.0), org, m)
    chances = strategies.admission_probability(np.where(weight > 0, aligned / np.where(weight > 0, weight, 1.0), 0.0),
                                               base)
    return chances if orgs is None else chances[orgs]


def amendment_rights(world: World, flows: Flows, org: int, params, year: int) -> tuple[np.ndarray, np.ndarray]:
    """An amendment raising ``org``'s institutionalization by one: the flows positions of the
    members that gain Feinberg's amendment right (:func:`strategies.amended_utility`,
    :func:`law.amendment_right`), and the year each right expires."""
    p = params
    at = np.flatnonzero(flows.org == org)
    before, after = strategies.amended_utility(
        flows.benefits()[at], flows.dues[at] + flows.leader_commitment()[at], flows.compliance[at], flows.c_star[at],
        flows.distance[at], np.full(len(at), world.institutionalization[org]), world.nativist_government[flows.state[at]],
        p.preference_cost, p.nativist_cost, p.ratio_clip)
    objects, expires = law.amendment_right(before, after, year, True, p.amendment_drop, p.amendment_right_years)
    objects = np.asarray(objects, dtype=bool)
    return at[objects], np.asarray(expires)[objects]


def rival_gains_by_area(world: World, flows: Flows, rising: int) -> np.ndarray:
    """Per issue area, the rival's net gain from its organizations there (exclusive: clubs go
    where it gains most)."""
    mine = flows.positions_of(rising)
    return group_sum(flows.net_gains(mine), world.issue_area[flows.org[mine]], len(ISSUE_AREAS))


def led_output_by_area(world: World, flows: Flows, hegemon: int) -> np.ndarray:
    """Per issue area, the output of the living organizations the hegemon leads there (the
    counter-institutions go where it leads most)."""
    m = len(flows.leader)
    led = (flows.leader == hegemon) & (world.org_status[:m] != DEAD)
    return group_sum(np.where(led, flows.output, 0.0), world.issue_area[:m], len(ISSUE_AREAS))


def gap_pledges(world: World, flows: Flows, utility: np.ndarray, hegemon_status: np.ndarray, rising: int,
                fill_fraction: float) -> tuple[np.ndarray, np.ndarray]:
    """The gaps the rising power may fill: the flows positions of its rows (status ``member``,
    ũ > 0) in organizations the hegemon left (its row there withdrawn or inactive; per
    organization ``hegemon_status``), and the pledge for each (:func:`strategies.gap_pledge` of
    the need less the dues collected)."""
    ms = world.memberships
    gone = (hegemon_status == WITHDRAWN) | (hegemon_status == INACTIVE)
    mine = flows.positions_of(rising)
    mine = mine[(ms.status[flows.rows[mine]] == MEMBER) & (utility[mine] > 0)]
    mine = mine[gone[flows.org[mine]]]
    voluntary = 0.0 if flows.voluntary is None else group_sum(flows.voluntary, flows.org, len(flows.need))
    dues_collected = flows.collected - voluntary
    org = flows.org[mine]
    return mine, strategies.gap_pledge(flows.need[org], dues_collected[org], fill_fraction)


class _Year:
    """What the strategies share for one year: the context, phase 4's evaluation, the run's
    strategy state, the two great powers, the coefficients, and the rows the actions took."""

    def __init__(self, ctx: StepContext, value: Evaluation, state: StrategyState, hegemon: int, rising: int):
        self.ctx, self.value, self.state = ctx, value, state
        self.hegemon, self.rising = hegemon, rising
        self.c = from_parameters(strategies.StrategyCoefficients, ctx.params)
        self.taken: list[int] = []
        self._rows: dict[int, np.ndarray] = {}

    @cached_property
    def deliberation(self) -> Deliberation:
        """The decision phase's payoff rule and law, drawing from the strategies' stream."""
        return Deliberation(self.ctx, self.value)

    @cached_property
    def admission_draws(self) -> np.ndarray:
        """The year's uniforms of the members' answers to admission offers, one per organization."""
        ctx = self.ctx
        return ctx.streams.uniform(ctx.step, "strategies", ctx.world.n_orgs, draw=DRAW_ADMISSION)

    def positions(self, state: int) -> np.ndarray:
        """The flows positions (active rows) of one of the great powers (found once a year, with
        phase 4: :meth:`Flows.positions_of`)."""
        return self.ctx.flows.positions_of(state)

    def left(self, pole: int) -> int:
        """How many actions the pole's strategy may still take this year."""
        return max(self.c.actions_per_year - self.state.actions[pole], 0)

    def act(self, pole: int, row: int | None = None) -> None:
        """Count one action of the pole's strategy, and the membership row it touched."""
        self.state.actions[pole] += 1
        if row is not None and row >= 0:
            self.taken.append(int(row))

    def log(self, kind: str, state: int, org: int, cause: str, detail: str) -> None:
        world = self.ctx.world
        self.ctx.events.add(Event(self.ctx.year, kind, world.state_code[state] if state >= 0 else "",
                                  world.org_code[org] if org >= 0 else "", cause=cause, detail=detail))

    def rows(self, state: int) -> np.ndarray:
        """Every edge-list row of one of the great powers (found by a scan once a year: the phase
        appends rows, so it does not build the run's index by state, which phase 7 would build
        again)."""
        if state not in self._rows:
            self._rows[state] = np.flatnonzero(self.ctx.world.memberships.state == state)
        return self._rows[state]

    def row_of(self, state: int, org: int) -> int:
        """The edge-list row of a great power in ``org`` (−1: never a member)."""
        rows = self.rows(state)
        found = rows[self.ctx.world.memberships.org[rows] == org]
        return int(found[-1]) if len(found) else -1

    def statuses(self, state: int) -> np.ndarray:
        """Per organization, the status of a great power's row in it (−1: never a member)."""
        ms = self.ctx.world.memberships
        status = np.full(self.ctx.world.n_orgs, -1, dtype=np.int64)
        rows = self.rows(state)
        status[ms.org[rows]] = ms.status[rows]
        return status


def _nothing(the: _Year) -> None:
    """``status_quo`` / ``passive``: decide like any state."""


def _activate(the: _Year) -> None:
    """The trigger fired: the strategies are active from this year on, for good."""
    state, world, c = the.state, the.ctx.world, the.c
    state.active_since = the.ctx.year
    ratio = world.power[the.hegemon] / world.power[the.rising]
    for pole, strategy, idle in ((the.hegemon, state.hegemon_strategy, STATUS_QUO),
                                 (the.rising, state.rising_strategy, PASSIVE)):
        if strategy != idle:
            the.log("strategy", pole, -1, strategy,
                    f"active: the hegemon's lead P_H/P_R = {ratio:.3f} fell below {c.trigger:g}")


# --- exit diplomacy -----------------------------------------------------------------------------------
def _exit_diplomacy(the: _Year) -> None:
    """Answer the pending reform demands, then threaten or leave the worst memberships."""
    _answer_demands(the)
    ctx, world, ms, flows, p = the.ctx, the.ctx.world, the.ctx.world.memberships, the.ctx.flows, the.ctx.params
    mine = the.positions(the.hegemon)
    rows = flows.rows[mine]
    # members of organizations not reformed (which leaves out the rows of the demands just granted)
    mine = mine[(ms.status[rows] == MEMBER) & ~the.state.reformed[flows.org[mine]]]
    if not len(mine) or not the.left(HEGEMON_POLE):
        return
    balance = relative_gains(world, flows, the.hegemon, the.rising, mine)
    worst = mine[strategies.ranked(balance, True, 4 * the.left(HEGEMON_POLE))]
    if not len(worst):
        return
    rows = flows.rows[worst]
    payoffs = the.deliberation.payoffs(worst)
    ratio = flows.dues[worst] / np.where(flows.c_star[worst] > 0, flows.c_star[worst], 1.0)
    reform = decision.concession_value(ratio, p.reform_cap_cut, p.planning_horizon, p.ratio_clip)
    threat = decision.threat_payoff(payoffs.payoff, payoffs.p_concede, reform, p.credibility_cost)
    allowed = ctx.year - ms.last_threat[rows] >= p.threat_interval
    window = bool(domestic.window_open(world.last_turnover[the.hegemon], ctx.year))  # the hegemon's, for every row
    moves = strategies.strategic_choice(payoffs.payoff, threat, allowed, window, False, p.beta_utility,
                                        p.beta_window, p.beta_pretext, p.payoff_clip)
    if (moves == decision.STAY).any():  # a pretext only tips a move that does not pay by itself
        pretext = the.deliberation.pretext(worst)
        moves = strategies.strategic_choice(payoffs.payoff, threat, allowed, window, pretext, p.beta_utility,
                                            p.beta_window, p.beta_pretext, p.payoff_clip)
    share = _contribution_share(the, worst)
    for i in np.flatnonzero(moves != decision.STAY):
        if not the.left(HEGEMON_POLE):
            break
        the.act(HEGEMON_POLE, rows[i])
        if moves[i] == decision.THREAT:
            _demand_reform(the, int(rows[i]), payoffs.take(i), float(share[i]))
        else:
            _leave(the, int(worst[i]), payoffs.take(i), float(share[i]))


def _contribution_share(the: _Year, positions: np.ndarray) -> np.ndarray:
    """The rows' shares of their organizations' contributions (dues and voluntary) this year."""
    flows = the.ctx.flows
    paid = flows.dues[positions] + (0.0 if flows.voluntary is None else flows.voluntary[positions])
    collected = flows.collected[flows.org[positions]]
    return np.where(collected > 0, paid / np.where(collected > 0, collected, 1.0), 0.0)


def _reformed_cap(the: _Year, org: int, share: float) -> float:
    """The cap the reform gives ``org`` (:func:`strategies.reformed_cap` of its cap now)."""
    return float(strategies.reformed_cap(the.ctx.world.cap[org], share, the.c.reform_cap_cut))


def _reform_terms(cap: float) -> str:
    return f"a cap of {cap:.3g} on any member's share and weighted voting"


def _reform(the: _Year, org: int, share: float) -> None:
    """The organization grants the reform: a lower cap and weighted voting (need unchanged)."""
    world = the.ctx.world
    cap = _reformed_cap(the, org, share)
    terms = _reform_terms(cap)
    world.cap[org] = cap
    world.weighted_voting[org] = True
    the.state.reformed[org] = True  # the demand is met: no longer a target
    the.log("reform", the.hegemon, org, "exit_diplomacy", f"granted: {terms}")


def _demand_reform(the: _Year, row: int, payoff, share: float) -> None:
    """A threat: reform, or the hegemon leaves. Answered at once (the concession probability of
    §4.6); a refusal is a pretext, as for any threat."""
    ctx, ms = the.ctx, the.ctx.world.memberships
    org = int(ms.org[row])
    ms.last_threat[row] = ctx.year
    ctx.counts.threats += 1
    the.log("threat", the.hegemon, org, "exit_diplomacy", f"demands reform: {_reform_terms(_reformed_cap(the, org, share))}")
    if the.deliberation.uniform(DRAW_CONCEDE)[row] < float(payoff.p_concede):
        ctx.counts.concessions += 1
        _reform(the, org, share)
    else:
        ms.pretext_until[row] = ctx.year + ctx.params.pretext_years
        the.log("refusal", the.hegemon, org, "exit_diplomacy", "reform refused")


def _leave(the: _Year, position: int, payoff, share: float) -> None:
    """A notice by the organization's legal route; reform is then the price of return."""
    ms = the.ctx.world.memberships
    row = int(the.ctx.flows.rows[position])
    the.deliberation.notice(position, payoff, "exit_diplomacy")
    if ms.status[row] != MEMBER:  # gone or going (a refused consent keeps it a member)
        org = int(ms.org[row])
        the.state.demands[row] = ReformDemand(row, float(payoff.p_concede), share, the.ctx.year)
        the.log("reform", the.hegemon, org, "exit_diplomacy",
                f"demanded as the price of return: {_reform_terms(_reformed_cap(the, org, share))}")


def _answer_demands(the: _Year) -> None:
    """Each pending demand is answered once a year after the notice (granted when the year's
    uniform of draw 4 is below its probability); a demand lapses when the organization died or
    the hegemon is back by itself. The pending rows are screened at once; for each reform granted
    (in the order of the demands) the hegemon rescinds its notice, rejoins (from next year) or
    resumes its seat. A grant changes only its own row and organization, so no screen of another
    demand."""
    demands = the.state.demands
    if not demands:
        return
    world, ms, year = the.ctx.world, the.ctx.world.memberships, the.ctx.year
    rows = np.fromiter(demands, dtype=np.int64, count=len(demands))
    lapsed = (world.org_status[ms.org[rows]] == DEAD) | (ms.status[rows] == MEMBER) | ms.ended_by_death[rows]
    due = ~lapsed & (np.fromiter((d.since for d in demands.values()), dtype=np.int64, count=len(rows)) < year)
    granted = np.zeros(len(rows), dtype=bool)
    if due.any():
        probability = np.fromiter((d.probability for d in demands.values()), dtype=np.float64, count=len(rows))
        granted[due] = the.deliberation.uniform(DRAW_ANSWER)[rows[due]] < probability[due]
    for row in rows[lapsed].tolist():
        del demands[row]  # the organization died, or the hegemon is back by itself
    for row in rows[granted].tolist():
        _grant_demand(the, row, demands.pop(row))


def _grant_demand(the: _Year, row: int, demand: ReformDemand) -> None:
    """The organization grants a pending demand: the reform, and the hegemon's row (taken from
    phase 6) is a member again — its notice rescinded, or rejoined from next year, or its seat
    resumed (after any surviving debt is paid)."""
    ctx, world, ms, year = the.ctx, the.ctx.world, the.ctx.world.memberships, the.ctx.year
    org = int(ms.org[row])
    _reform(the, org, demand.share)
    the.taken.append(row)
    status = ms.status[row]
    if status == NOTICE:
        ms.status[row] = MEMBER
        ms.notice_month[row] = ms.effective_month[row] = -1
        ms.utility_at_notice[row] = np.nan
        ms.substantive[row] = ms.procedural[row] = 0
        ctx.counts.rescissions += 1
        the.log("rescission", the.hegemon, org, "exit_diplomacy", "reform granted")
        return
    if ms.arrears[row] > 0 and not law.may_rejoin(ms.arrears[row]):  # a surviving debt is paid first
        world.power[the.hegemon] -= law.debt_payment(ms.arrears[row], world.power[the.hegemon],
                                                     ctx.params.debt_payment_limit)
        ms.arrears[row] = 0.0
    ms.status[row] = MEMBER
    ms.substantive[row] = ms.procedural[row] = 0
    ms.dues[row] = 0.0  # a new member: exempt from the rise cap
    if status == INACTIVE:
        ctx.counts.returns += 1
        the.log("return", the.hegemon, org, "exit_diplomacy", "reform granted: resumes its seat")
    else:
        ms.joined[row] = year + 1
        ctx.counts.rejoins += 1
        the.log("rejoin", the.hegemon, org, "exit_diplomacy", f"reform granted: member again from {year + 1}")


# --- inclusive institution-building -----------------------------------------------------------------
def _inclusive(the: _Year) -> None:
    """Admission offers, shortened assessment bases and amendments, in turn (a different kind
    first each year), best first."""
    ctx, world, flows = the.ctx, the.ctx.world, the.ctx.flows
    count = the.left(HEGEMON_POLE)
    if not count:
        return
    m = world.n_orgs
    hegemon_in = np.zeros(m, dtype=bool)
    hegemon_in[flows.org[the.positions(the.hegemon)]] = True
    rising_in = np.zeros(m, dtype=bool)
    rising_in[flows.org[the.positions(the.rising)]] = True
    rising_status = the.statuses(the.rising)
    distance = np.sqrt(((flows.policy - world.ideal_point[the.rising]) ** 2).sum(axis=1))
    leads = flows.leader == the.hegemon
    score = strategies.binding(distance, world.institutionalization) + leads
    may_offer = (hegemon_in & ~rising_in & (rising_status != INACTIVE) & (rising_status != NOTICE)
                 & (ctx.year - the.state.last_offer >= ctx.params.threat_interval))
    offers = strategies.ranked(score, may_offer, count)
    shorten = strategies.ranked(score + 1.0, hegemon_in & rising_in & ~the.state.short_base, count)
    amend = strategies.ranked(score, hegemon_in & rising_in & (world.institutionalization < 3), count)
    for kind, org in strategies.interleaved(count, offers, shorten, amend, start=ctx.year):
        the.act(HEGEMON_POLE, the.row_of(the.hegemon, org))
        (_offer_admission, _shorten_base, _amend)[kind](the, org)


def _offer_admission(the: _Year, org: int) -> None:
    """The hegemon proposes the rising power; the members consent by a draw."""
    ctx, world = the.ctx, the.ctx.world
    the.state.last_offer[org] = ctx.year
    chance = float(admission_chances(world, ctx.flows, the.hegemon, the.c.admission_consent, np.array([org]))[0])
    if the.admission_draws[org] >= chance:
        the.log("admission", the.rising, org, "inclusive",
                f"proposed by {world.state_code[the.hegemon]}; refused by the members (p = {chance:.2f})")
        return
    ms = world.memberships
    row = the.row_of(the.rising, org)
    if row < 0:
        row = int(ms.append(state=the.rising, org=org, status=MEMBER, joined=ctx.year + 1)[0])
        the._rows[the.rising] = np.append(the.rows(the.rising), row)
    ms.status[row] = MEMBER
    ms.joined[row] = ctx.year + 1
    ms.dues[row] = 0.0
    ms.substantive[row] = ms.procedural[row] = 0
    ms.consent_refused[row] = False
    the.log("admission", the.rising, org, "inclusive",
            f"proposed by {world.state_code[the.hegemon]}; the members consent (p = {chance:.2f}): "
            f"member from {ctx.year + 1}")


def _shorten_base(the: _Year, org: int) -> None:
    """The organization assesses on the last few years of power: the rising power pays on its
    current power, not on its smaller past."""
    the.state.short_base[org] = True
    years = the.c.short_years
    the.log("assessment", the.hegemon, org, "inclusive",
            f"assessed on the last {years} year{'s' if years != 1 else ''} of power: the rising power pays on "
            "its current power")


def _amend(the: _Year, org: int) -> None:
    """Institutionalization raised by one: the rules bind harder, and the members the amendment
    hurts gain Feinberg's amendment right (MODEL.md §4.7)."""
    ctx, world, flows, p = the.ctx, the.ctx.world, the.ctx.flows, the.ctx.params
    inst = int(world.institutionalization[org])
    at, expires = amendment_rights(world, flows, org, p, ctx.year)
    rows = flows.rows[at]
    world.memberships.amendment_until[rows] = expires
    world.institutionalization[org] = inst + 1
    objectors = " ".join(world.state_code[i] for i in flows.state[at])
    the.log("amendment", the.hegemon, org, "inclusive",
            f"institutionalization {inst} → {inst + 1}; "
            + (f"amendment right for {objectors} until {ctx.year + p.amendment_right_years}" if len(rows)
               else "no member is hurt enough to gain the amendment right"))


# --- exclusive institution-building and counter-institutions ------------------------------------------
def _exclusive(the: _Year) -> None:
    """Clubs in the issue areas where the rival gains most (one living club per area), with the
    states aligned with the hegemon, without the rival, weighted voting."""
    world = the.ctx.world
    gains = rival_gains_by_area(world, the.ctx.flows, the.rising)
    eligible = strategies.club_eligible(world.align_hegemon, the.c.club_alignment, the.hegemon, the.rising)
    affinity = strategies.invitation_affinity(world.align_hegemon, 0.0, the.c.invitation_weight)
    _found(the, HEGEMON_POLE, CLUB, gains, eligible, affinity, DRAW_CLUBS, "exclusive")


def _counter_institutions(the: _Year) -> None:
    """The rising power's own organizations in the issue areas where the hegemon leads most
    output (one living one per area), inviting by alignment with it and need."""
    world, flows = the.ctx.world, the.ctx.flows
    output = led_output_by_area(world, flows, the.hegemon)
    eligible = np.ones(world.n_states, dtype=bool)
    eligible[[the.hegemon, the.rising]] = False
    need = strategies.institutional_need(flows.net / world.power)
    affinity = strategies.invitation_affinity(world.align_rising, need, the.c.invitation_weight)
    _found(the, RISING_POLE, COUNTER_INSTITUTION, output, eligible, affinity, DRAW_COUNTER, "counter_institutions")


def _found(the: _Year, pole: int, kind: int, area_score: np.ndarray, eligible: np.ndarray, affinity: np.ndarray,
           draw: int, cause: str) -> None:
    """Found up to the actions left, one per issue area not yet holding a living one of ``kind``,
    best area first, by the life cycle's founding plan (:func:`exitsim.phases.lifecycle.found`);
    nothing when fewer states may be invited than a founding needs (``founding_min_members``)."""
    ctx, world, state = the.ctx, the.ctx.world, the.state
    if eligible.sum() + 1 < ctx.params.founding_min_members:  # too few to found with
        return
    founder = the.hegemon if pole == HEGEMON_POLE else the.rising
    held = np.zeros(len(ISSUE_AREAS), dtype=bool)
    mine = np.flatnonzero((state.founded_by == kind) & (world.org_status != DEAD))
    held[world.issue_area[mine]] = True
    areas = strategies.ranked(area_score, ~held, the.left(pole))
    if not len(areas):
        return
    count = len(areas)
    rules = from_parameters(lifecycle.FoundingRules, ctx.params)
    rng = ctx.streams.generator(ctx.step, "strategies", draw)
    draws = lifecycle_phase.founding_draws(rng, areas, world.n_states, rules)
    if kind == CLUB:  # a club takes all it may
        draws = dataclasses.replace(draws, size=np.full(count, rules.size_range[1]))
    founded = lifecycle_phase.found(
        ctx, draws, rules, founders=np.full(count, founder), eligible=np.tile(eligible, (count, 1)),
        affinity=np.tile(affinity, (count, 1)), club=kind == CLUB, voting="weighted" if kind == CLUB else None,
        cause=cause)
    state.grow(world.n_orgs)
    state.founded_by[founded] = kind
    state.founded.extend(founded)
    ctx.counts.foundings += count
    for _ in founded:
        the.act(pole)


def _founders_pledges(the: _Year) -> None:
    """Each strategic founder pledges ``founder_contribution`` of its organization's need for next
    year, while it is a member and the organization lives."""
    world, state = the.ctx.world, the.state
    founded = np.flatnonzero(state.founded_by != 0)
    if not len(founded):  # no club or counter-institution yet
        return
    for pole, founder, kind in ((HEGEMON_POLE, the.hegemon, CLUB), (RISING_POLE, the.rising, COUNTER_INSTITUTION)):
        theirs = founded[state.founded_by[founded] == kind]
        if not len(theirs):
            continue
        status = the.statuses(founder)[theirs]
        own = (world.org_status[theirs] != DEAD) & ((status == MEMBER) | (status == NOTICE))
        state.pledge[pole, theirs] = np.where(own, strategies.founder_pledge(world.need()[theirs],
                                                                             the.c.founder_contribution), 0.0)


# --- the rising power's gap filling --------------------------------------------------------------------
def _gap_filling(the: _Year) -> None:
    """Fund ``fill_fraction`` of the shortfall of each organization the hegemon left where the
    rising power is a member and gains (ũ > 0); new gaps, the largest first, are actions."""
    world, flows, state = the.ctx.world, the.ctx.flows, the.state
    mine, pledge = gap_pledges(world, flows, the.value.utility, the.statuses(the.hegemon), the.rising,
                               the.c.fill_fraction)
    m = world.n_orgs
    org = flows.org[mine]
    keep = state.filling[org] & (pledge > 0)
    fresh = strategies.ranked(pledge, ~state.filling[org], the.left(RISING_POLE))
    filling = np.zeros(m, dtype=bool)
    filling[org[keep]] = True
    filling[org[fresh]] = True
    amount = np.zeros(m)
    amount[org] = pledge
    state.pledge[RISING_POLE] = np.where(filling, amount, 0.0)
    state.filling = filling
    for i in fresh:
        the.act(RISING_POLE, flows.rows[mine[i]])
        the.log("contribution", the.rising, int(org[i]), "gap_filling",
                f"funds {the.c.fill_fraction:.0%} of the shortfall the hegemon left: {pledge[i]:.4g} a year")
