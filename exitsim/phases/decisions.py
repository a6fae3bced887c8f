"""Phase 6: decisions (MODEL.md §4.6–4.7) — stay, threaten or give notice, under the law.

The year, in order:

1. **Who may choose**: every membership with status ``member`` at the start of the phase (a
   notice is not chosen again), less the rows a great-power strategy took over this year, plus
   the timeline's scheduled notices and threats.
2. **Two exact screens** (:func:`_may_choose`): a row whose uniform draw u is at least an upper
   bound of p_notice + p_threat stays for sure, so only a few rows in a hundred go through the
   law. The screens change no choice (tests pin that).
3. **Payoffs** (:func:`_payoffs`): the legal route and calendar of each remaining row and of
   the year's revocable pending notices, π, p_concede and the concessions' values, in one pass.
4. **Rescissions** of earlier notices (:func:`_rescind`), then the **choice** by one uniform
   per row (:func:`decision.choose`), scheduled choices overriding it; threats are answered
   (:func:`_threat`), notices take their legal route (:func:`_notice`: lawful notice, consent,
   walk-out, non-treaty exit).
5. Nativist governments that left are soothed, reputations move, and the notices whose
   effective date falls in this year take effect (:func:`_mature`).

Draws: five uniforms per edge-list row from the phase's stream (choice, notice month,
concession, consent, the answer to a notice), each drawn on first use; one value per row in row
order whatever the row's status (MODEL.md §4.0).
"""

from __future__ import annotations

from functools import cached_property

import numpy as np

from ..cascades import following_rows
from ..codes import HEGEMON, MEMBER, NOTICE, WITHDRAWN
from ..events import Event
from ..mechanisms import decision, domestic, evaluation, law
from ..mechanisms.coefficients import from_parameters
from ..mechanisms.decision import Candidates, Payoffs
from ..mechanisms.grouping import GroupIndex
from .context import StepContext
from .evaluation import Evaluation, rival_of

# Draw ids of the decision phase's stream (fixed: part of every run's random numbers).
DRAW_CHOICE, DRAW_MONTH, DRAW_CONCEDE, DRAW_CONSENT, DRAW_ANSWER = DRAW_IDS = range(5)


class _Draws(dict):
    """The phase's uniforms, one per edge-list row for each draw id, drawn on first use (a year
    without threats draws no concession uniforms; the values do not depend on when)."""

    def __init__(self, ctx: StepContext):
        super().__init__()
        self.ctx, self.n_rows = ctx, len(ctx.world.memberships)

    def __missing__(self, draw: int) -> np.ndarray:
        self[draw] = values = self.ctx.streams.uniform(self.ctx.step, "decisions", self.n_rows, draw=draw)
        return values


class _OrganizationDraws(dict):
    """The strategies' uniforms for the few memberships a great power's strategy acts on, read by
    edge-list row (``draws[draw][rows]``): one value per organization (a great power holds one
    row in each) for each of this phase's draw ids, drawn at once on first use as a matrix of
    ``len(DRAW_IDS)`` rows by organizations from the strategies' stream (draw id 0)."""

    class _ByRow:
        def __init__(self, values: np.ndarray, org: np.ndarray):
            self.values, self.org = values, org

        def __getitem__(self, rows):
            return self.values[self.org[rows]]

    def __init__(self, ctx: StepContext):
        super().__init__()
        self.ctx = ctx

    def __missing__(self, draw: int) -> _ByRow:
        ctx = self.ctx
        matrix = ctx.streams.generator(ctx.step, "strategies", 0).random((len(DRAW_IDS), ctx.world.n_orgs))
        for which in DRAW_IDS:
            self[which] = self._ByRow(matrix[which], ctx.world.memberships.org)
        return self[draw]


class _Year:
    """What the phase's steps share for one year: the context, the value of memberships, the
    draws, the coefficients and the members of each organization at the start of the year."""

    def __init__(self, ctx: StepContext, value: Evaluation, draws: dict | None = None):
        self.ctx, self.value = ctx, value
        self.u = _Draws(ctx) if draws is None else draws

    @cached_property
    def choice(self) -> decision.ChoiceCoefficients:
        """The coefficients of the choice (read on first use: a strategy's deliberation never chooses by them)."""
        return from_parameters(decision.ChoiceCoefficients, self.ctx.params)

    @property
    def members(self) -> GroupIndex:
        """The members of each organization at the start of the year (the flows' index, made when
        a notice needs it, a strategy's or the phase's: :attr:`Flows.members`)."""
        return self.ctx.flows.members


def run(ctx: StepContext, value: Evaluation, taken: np.ndarray | None = None) -> None:
    """Phase 6 for one year (see the module's docstring).

    Args:
        ctx: The year's context; its ``counts`` receive what happened.
        value: Phase 4's evaluation.
        taken: Edge-list rows whose choice a great-power strategy made this year (phase 5):
            they do not choose again. Default: none.
    """
    world, ms, flows, p, year = ctx.world, ctx.world.memberships, ctx.flows, ctx.params, ctx.year
    the = _Year(ctx, value)
    # the flows' rows are the active rows of organizations alive this year (none dies before phase 8)
    status = ms.status[flows.rows]
    member = status == MEMBER
    ctx.counts.at_risk = int(np.count_nonzero(member & (ctx.binding_kind(flows.rows) != law.NON_TREATY)))
    if taken is not None and len(taken):
        member[flows.positions_at(taken)] = False

    scheduled = {}  # the timeline's choices for this year: row -> (choice, month)
    for event in ctx.timeline.at(year, "notice", "threat"):
        scheduled[world.row_of(event.state, event.organization)] = (
            decision.NOTICE if event.kind == "notice" else decision.THREAT, event.month)
    deciding = np.flatnonzero(member)
    _followers_by_chance(the, deciding)
    candidates = Candidates(position=deciding, row=flows.rows[deciding], window=ctx.window_open()[flows.state[deciding]],
                            scheduled=_marked(len(ms), list(scheduled))[flows.rows[deciding]])
    candidates = _may_choose(the, candidates)

    # revocable notices from earlier years may be rescinded first (a rescission touches only its
    # own row: it does not choose again this year)
    pending = np.flatnonzero(status == NOTICE)
    pending = pending[(law.year_of(ms.notice_month[flows.rows[pending]]) < year)
                      & ctx.binding_clause(flows.rows[pending]).revocable]
    _rescind(the, pending)
    months = np.array([scheduled[int(r)][1] if s else 0 for r, s in zip(candidates.row, candidates.scheduled,
                                                                        strict=True)], dtype=np.int64)
    payoffs = _payoffs(the, candidates.position, candidates.row, months)

    p_notice, p_threat = _choice_probabilities(the, candidates, payoffs.payoff, payoffs.p_concede, payoffs.concession)
    choice = decision.choose(p_notice, p_threat, the.u[DRAW_CHOICE][candidates.row])
    if not p.exit_decisions:
        choice[:] = decision.STAY
    for i in np.flatnonzero(candidates.scheduled):  # scheduled choices override the draw
        choice[i] = scheduled[int(candidates.row[i])][0]
    causes = _causes(the, candidates, payoffs, choice)
    for i in np.flatnonzero(candidates.scheduled):  # the timeline's (or an instructor's) choice, not the model's
        causes[int(i)] = decision.SCHEDULED
    for i in np.flatnonzero(choice == decision.THREAT):
        _threat(the, candidates.position[i], candidates.row[i], payoffs.take(i), causes[i])
    for i in np.flatnonzero(choice == decision.NOTICE):
        _notice(the, candidates.position[i], candidates.row[i], payoffs.take(i), causes[i],
                scheduled=bool(candidates.scheduled[i]))

    left = np.zeros(world.n_states, dtype=bool)
    left[ctx.counts.leavers] = True
    world.nativism = domestic.soothe(world.nativism, left & world.nativist_government, p.nativist_relief)
    violations = np.bincount(np.asarray(ctx.counts.violators, dtype=np.int64), minlength=world.n_states)
    world.reputation = evaluation.update_reputation(world.reputation, violations, p.reputation_loss,
                                                    p.reputation_recovery)
    _mature(ctx)  # immediate rules take effect in the year of notice
    ctx.counts.under_notice = int(np.sum(ms.status == NOTICE))


def _marked(n_rows: int, rows) -> np.ndarray:
    """A mask over the edge list with the given rows set (no sorting, unlike ``np.isin``)."""
    mask = np.zeros(n_rows, dtype=bool)
    mask[np.asarray(rows, dtype=np.int64)] = True
    return mask


# --- who may choose: two exact screens -------------------------------------------------------------
def _may_choose(the: _Year, candidates: Candidates) -> Candidates:
    """The candidates that could choose anything but staying this year, and the scheduled ones.

    Exact shortcuts, not approximations: the choice is ``stay`` whenever the row's uniform u is
    at least p_notice + p_threat, which rises with both values. First
    :func:`decision.leave_or_threat_bound`, from ũ, the exposure and the window alone; then a
    bound that also reads the pretext and the concessions' values but no law: π ≤ H max(0, −ũ)
    (D ≥ 0, S̃ ≥ 0), and a threat's payoff is at most max(concession value, max(0, π)) − its
    credibility cost. Same draws, same choices, far fewer rows through the legal routing.
    """
    ctx = the.ctx
    if not ctx.params.exit_decisions:  # only the timeline chooses
        return _with_pretext(the, candidates.take(candidates.scheduled))
    u = the.u[DRAW_CHOICE]
    bound = decision.leave_or_threat_bound(the.value.utility[candidates.position],
                                           ctx.world.memberships.exposure[candidates.row], candidates.window, the.choice)
    candidates = candidates.take((u[candidates.row] < bound) | candidates.scheduled)
    candidates = _with_pretext(the, candidates)
    best_payoff = ctx.params.planning_horizon * np.maximum(0.0, -the.value.utility[candidates.position])
    discount_value, policy_value = _concession_values(the, candidates.position, candidates.row)
    best_threat = np.maximum(np.maximum(discount_value, policy_value), best_payoff)
    p_notice, p_threat = _choice_probabilities(the, candidates, best_payoff, 1.0, best_threat)
    return candidates.take((u[candidates.row] < p_notice + p_threat + 1e-12) | candidates.scheduled)


def _with_pretext(the: _Year, candidates: Candidates) -> Candidates:
    """The candidates with their pretexts (:func:`decision.pretext`) over the pretext years."""
    world, flows, p = the.ctx.world, the.ctx.flows, the.ctx.params
    org = flows.org[candidates.position]
    back = p.pretext_years  # the histories keep that many years (World.history_years)
    found = decision.pretext(world.quality_history[org, 0], world.quality_history[org, back], p.pretext_quality_drop,
                             world.memberships.pretext_until[candidates.row], the.ctx.year,
                             world.leader_history[org, 0], world.leader_history[org, back],
                             rival_of(world, flows.state[candidates.position]))
    return Candidates(candidates.position, candidates.row, candidates.window, candidates.scheduled, found)


def _choice_probabilities(the: _Year, candidates: Candidates, payoff, p_concede, concession, exposure=None):
    """p_notice and p_threat (§4.6) of the candidates; a threat is possible once per
    ``threat_interval`` years. ``exposure`` replaces the rows' own contagion exposure if given."""
    ctx = the.ctx
    ms = ctx.world.memberships
    rows = candidates.row
    v_notice, v_threat = decision.choice_values(
        payoff, ms.exposure[rows] if exposure is None else exposure, candidates.window, candidates.pretext,
        ctx.world.nativism[ctx.flows.state[candidates.position]], p_concede, concession, the.choice)
    v_threat = np.where(ctx.year - ms.last_threat[rows] >= ctx.params.threat_interval, v_threat, -np.inf)
    return decision.choice_probabilities(v_notice, v_threat)


# --- contagion against chance ----------------------------------------------------------------------------
def _followers_by_chance(the: _Year, deciding: np.ndarray) -> None:
    """Add to each live cascade seed (MODEL.md §4.8) the followers it would have by chance this
    year: the hazard of notice, without the exposure term, of every membership that chooses and
    could follow it (:func:`cascades.following_rows`: another member of the seed's organization
    at the seed, in it or an organization of its issue area; each row counted for the earliest
    seed, as followers are). The hazard is p_notice with X = 0 — times the chance of consent
    where the route needs it, 0 from a non-treaty body, whose exits do not spread. Reads and
    changes nothing else: the same draws, the same choices."""
    ctx = the.ctx
    world, flows = ctx.world, ctx.flows
    seeds = ctx.notices.live_seeds(ctx.year, world.role_index(HEGEMON))
    if not seeds or not ctx.params.exit_decisions or not len(deciding):
        return
    records = [ctx.notices.records[i] for i in seeds]
    owner = following_rows(records, flows.state[deciding], flows.org[deciding], world.issue_area)
    picked = owner >= 0
    if not picked.any():
        return
    positions = deciding[picked]
    rows = flows.rows[positions]
    candidates = _with_pretext(the, Candidates(positions, rows, ctx.window_open()[flows.state[positions]],
                                               np.zeros(len(rows), dtype=bool)))
    payoffs = _payoffs(the, positions, rows)
    p_notice, _ = _choice_probabilities(the, candidates, payoffs.payoff, payoffs.p_concede, payoffs.concession,
                                        exposure=np.zeros(len(rows)))
    outcome = np.asarray(payoffs.route.outcome)
    p_notice = np.where(outcome == law.NEEDS_CONSENT, p_notice * ctx.params.consent_probability, p_notice)
    p_notice = np.where(outcome == law.IMMEDIATE_EXIT, 0.0, p_notice)
    expected = np.bincount(owner[picked], weights=p_notice, minlength=len(seeds))
    for record, value in zip(records, expected, strict=True):
        record["expected"] += float(value)


# --- payoffs under the law --------------------------------------------------------------------------------
def _legal(the: _Year, rows: np.ndarray, amendment: np.ndarray, months: np.ndarray | None = None):
    """The route, notice month and effective month of leaving now, for edge-list rows.

    The notice's month is the timeline's where it gives one (``months`` > 0), else the row's
    drawn month (draw 1) — moved on to the first month the minimum tenure allows when that month
    falls later in this year: a state that may leave lawfully in November does not walk out in
    October. Tenures count to the month from the organization's entry into force or the
    member's joining (:func:`law.tenure_satisfied`, MODEL.md §4.7)."""
    ctx = the.ctx
    world, ms, year = ctx.world, ctx.world.memberships, ctx.year
    c = ctx.binding_clause(rows)
    org = ms.org[rows]
    opens = law.first_lawful_month(c.min_tenure_years, c.tenure_basis,
                                   law.month_index(world.founded[org], world.founded_month[org]),
                                   law.month_index(ms.joined[rows], ms.joined_month[rows]))
    drawn = law.month_index(year, law.notice_month(the.u[DRAW_MONTH][rows]))
    drawn = np.where((drawn < opens) & (law.year_of(opens) == year), opens, drawn)
    notice = drawn if months is None else np.where(months > 0, law.month_index(year, months), drawn)
    tenure = np.asarray(notice >= opens, bool)
    route = law.lawful_route(c.kind, tenure, None, amendment)
    refused = ms.consent_refused[rows] & (c.kind == law.CONSENT) & ~np.asarray(route.by_amendment, bool)
    if refused.any():  # consent was refused once: leaving now is a walk-out (MODEL.md §4.6)
        closed = law.walkout(c.kind, scalar=False)
        route = law.Route(*(np.where(refused, w, r) for w, r in zip(closed, route, strict=True)))
    rule = np.where(route.by_amendment, law.MONTHS_AFTER, c.rule)
    arg1 = np.where(route.by_amendment, 12, c.arg1)
    effective = law.effective_months(rule, arg1, c.arg2, notice)
    return route, notice, effective


def _payoffs(the: _Year, positions: np.ndarray, rows: np.ndarray, months: np.ndarray | None = None) -> Payoffs:
    """π, p_concede, the concessions' values and the legal route of rows at flows ``positions``
    (notices in the timeline's ``months`` where > 0, else in drawn months: :func:`_legal`)."""
    ctx = the.ctx
    world, ms, flows, p = ctx.world, ctx.world.memberships, ctx.flows, ctx.params
    state = flows.state[positions]
    amendment = np.asarray(law.amendment_right_open(ms.amendment_until[rows], ctx.year), bool)
    route, notice, effective = _legal(the, rows, amendment, months)
    years = np.where(np.asarray(route.immediate, bool), 0, law.years_until_effect(effective, ctx.year))
    breaks = np.asarray(law.contested_or_violated(route.substantive, route.procedural), bool)
    switching = evaluation.switching_cost(breaks, world.democracy[state], ms.arrears[rows], flows.c_star[positions],
                                          p.reputation_cost, p.domestic_switching_cost, p.ratio_clip)
    payoff = decision.exit_payoff(the.value.utility[positions], years, switching, p.planning_horizon)
    collected = flows.collected[flows.org[positions]]
    share = np.where(collected > 0, flows.dues[positions] / np.where(collected > 0, collected, 1.0), 0.0)
    p_concede = decision.concession_probability(share, payoff, p.concession_intercept, p.concession_share_effect,
                                                p.concession_credibility, world.reputation[state], p.payoff_clip)
    discount_value, policy_value = _concession_values(the, positions, rows)
    return Payoffs(payoff=payoff, p_concede=p_concede, discount_value=discount_value, policy_value=policy_value,
                   years=years, switching=switching, route=route, notice=notice, effective=effective,
                   amendment=amendment)


def _concession_values(the: _Year, positions: np.ndarray, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The value to the state of a dues discount and of a policy move (years of dues)."""
    ctx = the.ctx
    world, ms, flows, p = ctx.world, ctx.world.memberships, ctx.flows, ctx.params
    room = np.maximum(0.0, p.max_discount - ms.discount[rows])
    c_star = flows.c_star[positions]
    ratio = np.where(c_star > 0, flows.dues[positions] / np.where(c_star > 0, c_star, 1.0), 0.0)
    discount_value = decision.concession_value(ratio, np.minimum(p.concession_discount, room), p.planning_horizon,
                                               p.ratio_clip)
    policy_value = decision.policy_concession_value(flows.distance[positions],
                                                    world.institutionalization[flows.org[positions]],
                                                    p.compliance, p.preference_cost, p.policy_concession_shift,
                                                    p.planning_horizon)
    return discount_value, policy_value


def _causes(the: _Year, candidates: Candidates, payoffs: Payoffs, choice: np.ndarray) -> dict[int, str]:
    """The cause of each choice that is not ``stay`` (its largest reason, MODEL.md §5), by index."""
    ctx = the.ctx
    chose = np.flatnonzero(choice != decision.STAY)  # causes only for the year's few choices
    picked, paid = candidates.take(chose), payoffs.take(chose)
    named = decision.decision_cause(decision.notice_terms(
        the.value.terms_at(picked.position), paid.years, paid.switching, ctx.world.memberships.exposure[picked.row],
        picked.window, picked.pretext, ctx.world.nativism[ctx.flows.state[picked.position]], the.choice))
    return dict(zip(chose.tolist(), (str(cause) for cause in named), strict=True))


# --- threats ---------------------------------------------------------------------------------------------
def _concede(the: _Year, position: int, row: int, payoff: Payoffs) -> str:
    """Grant the concession that serves the state more: a dues discount or a policy move."""
    ctx = the.ctx
    world, ms, flows, p = ctx.world, ctx.world.memberships, ctx.flows, ctx.params
    if decision.grants_discount(payoff.discount_value, payoff.policy_value):
        ms.discount[row] = decision.raised_discount(ms.discount[row], p.concession_discount, p.max_discount)
        return f"dues discount, now {ms.discount[row]:.0%}"
    k, s = int(flows.org[position]), int(flows.state[position])
    world.policy_offset[k] = decision.moved_policy(world.policy_offset[k], world.ideal_point[s], flows.policy[k],
                                                   p.policy_concession_shift)
    return "policy moved toward the state"


def _threat(the: _Year, position: int, row: int, payoff: Payoffs, cause: str) -> None:
    ctx = the.ctx
    world, ms, year = ctx.world, ctx.world.memberships, ctx.year
    s, k = world.state_code[ms.state[row]], world.org_code[ms.org[row]]
    ms.last_threat[row] = year
    ctx.counts.threats += 1
    ctx.events.add(Event(year, "threat", s, k, cause=cause, detail=_stakes(payoff)))
    if the.u[DRAW_CONCEDE][row] < payoff.p_concede:
        ctx.counts.concessions += 1
        ctx.events.add(Event(year, "concession", s, k, detail=_concede(the, position, row, payoff)))
    else:
        ms.pretext_until[row] = year + ctx.params.pretext_years
        ctx.events.add(Event(year, "refusal", s, k))


def _stakes(payoff: Payoffs) -> str:
    """What a threat or a notice stakes, for its event: the payoff π of leaving and the chance
    that the organization concedes, in the words of ``events.csv``."""
    return f"exit payoff π = {float(payoff.payoff):+.2f} years of dues, concession chance {float(payoff.p_concede):.2f}"


# --- notices and walk-outs -------------------------------------------------------------------------------
def _notice(the: _Year, position: int, row: int, payoff: Payoffs, cause: str, scheduled: bool = False) -> None:
    """A decision to leave takes its legal route (``payoff.route``, in the month of
    ``payoff.notice``): a lawful notice, a request for consent, a walk-out, or an immediate exit
    from a non-treaty body. A lawful notice of the state's own (not ``scheduled`` by the
    timeline, which replays what happened) is answered by the organization in the same year
    (:func:`_answer`)."""
    ctx = the.ctx
    world, ms, year = ctx.world, ctx.world.memberships, ctx.year
    s, k = world.state_code[ms.state[row]], world.org_code[ms.org[row]]
    route = law.Route(*(column.item() for column in payoff.route))
    if route.outcome == law.NEEDS_CONSENT:  # VCLT 54(b): answered this year
        granted = bool(law.consent_granted(the.u[DRAW_CONSENT][row], ctx.params.consent_probability))
        ctx.events.add(Event(year, "consent", s, k, detail="granted" if granted else "refused"))
        route = law.lawful_route(ctx.binding_field(row, "kind"), True, granted, bool(payoff.amendment))
        if route.outcome == law.CONSENT_REFUSED:
            ms.consent_refused[row] = True
            return
    notice, effective = int(payoff.notice), int(payoff.effective)
    ms.substantive[row], ms.procedural[row] = route.substantive, route.procedural
    legal = dict(substantive=route.substantive_name, procedural=route.procedural_name, cause=cause)
    members = the.members.rows(int(ms.org[row]))
    if route.outcome in (law.LAWFUL_NOTICE, law.WALKOUT):
        ctx.counts.leavers.append(int(ms.state[row]))
    if route.outcome == law.LAWFUL_NOTICE:
        ms.status[row], ms.notice_month[row], ms.effective_month[row] = NOTICE, notice, effective
        ms.utility_at_notice[row] = the.value.utility[position]
        ctx.counts.notices += 1
        ctx.counts.notices_scheduled += int(scheduled)
        ctx.counts.spreading_rows.append(int(row))
        ctx.notices.record(year, int(ms.state[row]), int(ms.org[row]), world.power, members)
        y, m = law.split_month_index(effective)
        ctx.events.add(Event(year, "notice", s, k, month=law.month_of(notice),
                             detail=f"effective {y}-{m:02d}; {_stakes(payoff)}", **legal))
        if not scheduled and effective > notice and ctx.binding_field(row, "revocable"):
            _answer(the, position, row, payoff)
    elif route.outcome == law.IMMEDIATE_EXIT:  # a non-treaty body: leave at will, not a withdrawal
        _exit(ctx, row, WITHDRAWN)
        ctx.counts.non_treaty_exits += 1
        ctx.events.add(Event(year, "withdrawal", s, k, month=law.month_of(notice),
                             detail="non-treaty body: not a treaty withdrawal", **legal))
    else:  # a walk-out: the lawful route is closed
        _exit(ctx, row, route.status)
        contested = route.substantive == law.CONTESTED
        ctx.counts.walkouts_contested += int(contested)
        ctx.counts.walkouts_violated += int(not contested)
        ctx.counts.spreading_rows.append(int(row))
        ctx.notices.record(year, int(ms.state[row]), int(ms.org[row]), world.power, members)
        ctx.counts.violators.append(int(ms.state[row]))
        ctx.events.add(Event(year, "walkout", s, k, month=law.month_of(notice),
                             detail="contested: kept as inactive" if contested else "procedure violated", **legal))


def _exit(ctx: StepContext, row: int, status: int, survive: bool | None = None) -> None:
    """A membership ends now with ``status``; ``survive``: whether obligations survive the
    exit (read from the row's clause if not given)."""
    ms = ctx.world.memberships
    if survive is None:
        survive = bool(ctx.binding_field(row, "obligations_survive"))
    ms.status[row] = status
    ms.exit_year[row] = ctx.year
    ms.notice_month[row] = ms.effective_month[row] = -1
    ms.discount[row] = 0.0
    ms.exposure[row] = 0.0
    ms.arrears[row] = law.surviving_debt(ms.arrears[row], survive)  # else written off with the membership


# --- pending notices ---------------------------------------------------------------------------------------
def _answer(the: _Year, position: int, row: int, payoff: Payoffs) -> None:
    """The organization answers a revocable notice once, in the year it is given (MODEL.md §4.6):
    it offers the concession a threat would win, with the chance a threat would have (the row's
    p_concede, one uniform of draw 4), and the state takes it and rescinds its notice when the
    concession is worth at least what leaving would bring it (value ≥ π: staying with the
    concession is then no worse than leaving). A state that gave notice has weighed leaving
    (π is usually well above a concession's value), so most notices are kept (US–UPU 2019 is the
    exception that was bought back)."""
    ctx = the.ctx
    if not (the.u[DRAW_ANSWER][row] < payoff.p_concede and decision.accepts_concession(payoff.concession,
                                                                                          payoff.payoff)):
        return
    ms, world, year = ctx.world.memberships, ctx.world, ctx.year
    s, k = world.state_code[ms.state[row]], world.org_code[ms.org[row]]
    ctx.counts.concessions += 1
    ctx.events.add(Event(year, "concession", s, k, detail=_concede(the, position, row, payoff)))
    _withdraw_notice(ctx, row, "the organization conceded")


def _rescind(the: _Year, pending: np.ndarray) -> None:
    """Before this year's choices: revocable notices from earlier years (at flows positions
    ``pending``) are rescinded when the government turned internationalist this year or ũ turned
    positive (MODEL.md §4.6; the organization's answer came in the notice's own year)."""
    ctx = the.ctx
    world, ms, flows = ctx.world, ctx.world.memberships, ctx.flows
    if len(pending) == 0:
        return
    rows = flows.rows[pending]
    state = flows.state[pending]
    turned = ctx.turnovers[state] & ctx.was_nativist[state] & ~world.nativist_government[state]
    utility = the.value.utility[pending]
    turned_positive = np.where(ms.utility_at_notice[rows] <= 0, utility, 0.0)  # ũ was ≤ 0 at notice, now > 0
    undo = law.rescinded(True, turned, turned_positive, False)  # pending notices are revocable ones
    for i in np.flatnonzero(np.asarray(undo, bool)):
        _withdraw_notice(ctx, int(rows[i]), "a new internationalist government" if turned[i]
                         else "membership is worth it again")


def _withdraw_notice(ctx: StepContext, row: int, why: str) -> None:
    """A pending notice is rescinded: the row is a member again (dates, ũ at notice and legality
    cleared) and does not choose again this year."""
    world, ms = ctx.world, ctx.world.memberships
    ms.status[row] = MEMBER
    ms.notice_month[row] = ms.effective_month[row] = -1
    ms.utility_at_notice[row] = np.nan
    ms.substantive[row] = ms.procedural[row] = 0
    ctx.counts.rescissions += 1
    ctx.events.add(Event(ctx.year, "rescission", world.state_code[ms.state[row]], world.org_code[ms.org[row]],
                         detail=why))


def _mature(ctx: StepContext) -> None:
    """Notices whose effective date falls in this year take effect (arrears first paid where
    they block the effect: ILO, OAS)."""
    world, ms, year = ctx.world, ctx.world.memberships, ctx.year
    due = np.flatnonzero(ms.status == NOTICE)
    due = due[(ms.effective_month[due] >= 0) & np.asarray(law.matures(ms.effective_month[due], year), bool)]
    if len(due) == 0:
        return
    clause = ctx.binding_clause(due)
    owed = np.asarray(law.can_take_effect(ms.arrears[due], clause.arrears_block_effect), dtype=np.float64)
    months = np.asarray(law.month_of(ms.effective_month[due]))
    for j, row in enumerate(due.tolist()):  # a year's few exits
        s, k = world.state_code[ms.state[row]], world.org_code[ms.org[row]]
        paid = float(owed[j])
        if paid > 0:  # the state pays what it owes before the exit takes effect (ILO, OAS)
            ms.arrears[row] = 0.0
            i = ms.state[row]
            paid = float(law.debt_payment(paid, world.power[i], ctx.params.debt_payment_limit))  # the rest is forgiven
            world.power[i] -= paid
        legal = dict(substantive=law.SUBSTANTIVE_NAMES[ms.substantive[row]],
                     procedural=law.PROCEDURAL_NAMES[ms.procedural[row]])
        _exit(ctx, row, WITHDRAWN, bool(clause.obligations_survive[j]))
        ctx.counts.withdrawals += 1
        ctx.events.add(Event(year, "withdrawal", s, k, month=int(months[j]),
                             detail=f"arrears of {paid:.4g} paid first" if paid > 0 else "", **legal))


# --- for phase 5: a strategy's own threats and notices --------------------------------------------------
class Deliberation:
    """The payoff rule and the law of this phase for the memberships a great power's strategy
    acts on (phase 5, :mod:`exitsim.phases.strategies`): the same payoffs, legal routes and
    notices as every state's, with the uniforms drawn from the strategies' stream — with the same
    draw ids (the notice month, the answer to a request for consent …), one value per
    organization (:class:`_OrganizationDraws`) — so a strategy never shifts this phase's draws.

    Args:
        ctx: The year's context. value: Phase 4's evaluation.
    """

    def __init__(self, ctx: StepContext, value: Evaluation):
        self._the = _Year(ctx, value, _OrganizationDraws(ctx))

    def uniform(self, draw: int):
        """The strategies' uniforms of draw id ``draw``, read by edge-list row (``[rows]``)."""
        return self._the.u[draw]

    def payoffs(self, positions: np.ndarray) -> Payoffs:
        """π, p_concede, the concessions' values and the legal route of leaving now, for the rows
        at flows ``positions`` (:func:`_payoffs`)."""
        return _payoffs(self._the, positions, self._the.ctx.flows.rows[positions])

    def pretext(self, positions: np.ndarray) -> np.ndarray:
        """Whether each row at flows ``positions`` has a pretext (:func:`decision.pretext`)."""
        ctx = self._the.ctx
        rows = ctx.flows.rows[positions]
        blank = np.zeros(len(positions), dtype=bool)
        return _with_pretext(self._the, Candidates(positions, rows, blank, blank)).pretext

    def notice(self, position: int, payoff: Payoffs, cause: str) -> None:
        """The row at flows ``position`` gives notice by its legal route (:func:`_notice`: a lawful
        notice, a request for consent, a walk-out or a non-treaty exit), ``cause`` in the log."""
        _notice(self._the, position, int(self._the.ctx.flows.rows[position]), payoff, cause, 0)
