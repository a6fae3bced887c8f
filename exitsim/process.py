"""The exit process: phases 4, 6, 7 and 8 of a step (MODEL.md §3, §4.5–4.10, §4.12).

Each phase composes the pure mechanisms of :mod:`exitsim.mechanisms` over the World's arrays
and writes the results back, recording events. Vectorized over membership rows; the only
Python loops run over a year's few events (threats, notices, exits, foundings).

Random draws: the decision phase draws five uniforms per membership row (choice, notice month,
concession, consent, the answer to a notice); the life cycle draws from its own stream. Every
draw is one value per edge-list row in row order, whatever the row's status, so a change in one
mechanism never shifts another's draws (MODEL.md §4.0).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .codes import DEAD, HEGEMON, INACTIVE, MEMBER, NEVER, NOTICE, RISING, WITHDRAWN
from .events import Event
from .mechanisms import alignment, budget, contagion, decision, domestic, evaluation, law, lifecycle, prospect
from .mechanisms.coefficients import from_parameters
from .mechanisms.grouping import GroupIndex

# Draw ids of the decision phase's stream (fixed: part of every run's random numbers).
DRAW_CHOICE, DRAW_MONTH, DRAW_CONCEDE, DRAW_CONSENT, DRAW_ANSWER = range(5)


class Evaluation:
    """Phase 4: each active row's ũ (years of own dues a year), aligned with ``flows.rows``, and
    its split into the named per-year reasons to leave (:func:`evaluation.exit_terms`), computed
    for the rows that ask (the year's few choices) rather than for every row."""

    def __init__(self, utility: np.ndarray, inputs: tuple, options: tuple):
        self.utility = utility
        self._inputs, self._options = inputs, options

    def terms_at(self, positions: np.ndarray) -> dict[str, np.ndarray]:
        """The reasons to leave of the rows at flows positions ``positions``."""
        return evaluation.exit_terms(*(value[positions] for value in self._inputs), *self._options)

    @property
    def terms(self) -> dict[str, np.ndarray]:
        """The reasons to leave of every row."""
        return evaluation.exit_terms(*self._inputs, *self._options)


@dataclass
class YearCounts:
    """What the exit process did this year (for the outcomes)."""

    at_risk: int = 0
    notices: int = 0
    threats: int = 0
    concessions: int = 0
    withdrawals: int = 0
    non_treaty_exits: int = 0
    walkouts_contested: int = 0
    walkouts_violated: int = 0
    rescissions: int = 0
    rejoins: int = 0
    returns: int = 0
    foundings: int = 0
    deaths: int = 0
    under_notice: int = 0
    spreading_rows: list[int] = field(default_factory=list)
    violators: list[int] = field(default_factory=list)     # states that walked out this year
    leavers: list[int] = field(default_factory=list)       # states that gave notice or walked out


def rival_of(world, state: np.ndarray) -> np.ndarray:
    """Per state index: the other pole for the hegemon and the rising power, else −1."""
    hegemon, rising = world.role_index(HEGEMON), world.role_index(RISING)
    return np.where(state == hegemon, rising, np.where(state == rising, hegemon, -1))


def evaluation_phase(model) -> Evaluation:
    """Phase 4 (§4.5): ũ_ik = (benefits − dues − compliance)/c* − λ d inst/3 − μ [nativist] inst/3
    (− γ rival's gains/c*, with γ = 0 until a great-power strategy is active), with this year's
    flows. The security leader's commitment counts as a cost, transfers received as a benefit."""
    world, flows, p = model.world, model.flows, model.params
    inputs = (flows.benefits(), flows.dues + flows.leader_commitment(), flows.compliance, flows.c_star, flows.distance,
              world.institutionalization[flows.org], world.nativist_government[flows.state],
              np.zeros(len(flows.rows)))
    options = (0.0, p.preference_cost, p.nativist_cost, p.ratio_clip)  # γ = 0: no strategy is active
    return Evaluation(evaluation.membership_utility(*inputs, *options), inputs, options)


class _Draws(dict):
    """The decision phase's uniforms, one per edge-list row for each draw id, drawn on first use
    (a year without threats draws no concession uniforms; the values do not depend on when)."""

    def __init__(self, streams, step: int, n_rows: int):
        super().__init__()
        self.streams, self.step, self.n_rows = streams, step, n_rows

    def __missing__(self, draw: int) -> np.ndarray:
        self[draw] = values = self.streams.uniform(self.step, "decisions", self.n_rows, draw=draw)
        return values


class DecisionPhase:
    """Phase 6 (§4.6–4.7): choices, threats and concessions, notices under the law, walk-outs,
    consent, rescissions and maturing notices, for one year."""

    def __init__(self, model, value: Evaluation, counts: YearCounts):
        self.model, self.world, self.p = model, model.world, model.params
        self.flows, self.value, self.counts = model.flows, value, counts
        self.year = model.year
        self.u = _Draws(model.streams, model.steps, len(self.world.memberships))
        self.org_clauses = model.clause_arrays()
        self.reserved = model.reservation_arrays()
        self.members = GroupIndex(self.flows.org, self.flows.state, len(self.flows.need))  # at the start of the year
        self.choice = from_parameters(decision.ChoiceCoefficients, self.p)

    # --- the pieces of the choice ----------------------------------------------------------------
    def _kind(self, rows: np.ndarray) -> np.ndarray:
        """The clause kind that binds each row (its reservation's, where it holds one)."""
        ms = self.world.memberships
        kind = self.org_clauses.kind[ms.org[rows]]
        if len(self.reserved.kind):
            own = ms.reservation[rows]
            kind = np.where(own >= 0, self.reserved.kind[np.maximum(own, 0)], kind)
        return kind

    def clause(self, rows: np.ndarray) -> law.ClauseArrays:
        """The withdrawal clause that binds each row: its organization's, or the state's own
        reservation for that organization where it holds one."""
        ms = self.world.memberships
        rows = np.asarray(rows, dtype=np.int64)
        own = ms.reservation[rows]
        org = ms.org[rows]
        if not len(self.reserved.kind):
            return law.ClauseArrays(*(field[org] for field in self.org_clauses))
        held = own >= 0
        return law.ClauseArrays(*(np.where(held, mine[np.maximum(own, 0)], theirs[org])
                                  for mine, theirs in zip(self.reserved, self.org_clauses, strict=True)))

    def clause_of(self, row: int, field: str):
        """One field of the withdrawal clause that binds one row (see :meth:`clause`)."""
        own = self.world.memberships.reservation[row]
        if own >= 0 and len(self.reserved.kind):
            return getattr(self.reserved, field)[own].item()
        return getattr(self.org_clauses, field)[self.world.memberships.org[row]].item()

    def _legal(self, rows: np.ndarray, amendment: np.ndarray):
        world, ms, year = self.world, self.world.memberships, self.year
        c = self.clause(rows)
        org = ms.org[rows]
        tenure = law.tenure_satisfied(c.min_tenure_years, c.tenure_basis, year, world.founded[org], ms.joined[rows])
        route = law.lawful_route(c.kind, np.asarray(tenure, bool), None, amendment)
        refused = ms.consent_refused[rows] & (c.kind == law.CONSENT) & ~np.asarray(route.by_amendment, bool)
        if refused.any():  # consent was refused once: leaving now is a walk-out (MODEL.md §4.6)
            closed = law.walkout(c.kind, scalar=False)
            route = law.Route(*(np.where(refused, w, r) for w, r in zip(closed, route, strict=True)))
        notice = law.month_index(year, law.notice_month(self.u[DRAW_MONTH][rows]))
        rule = np.where(route.by_amendment, law.MONTHS_AFTER, c.rule)
        arg1 = np.where(route.by_amendment, 12, c.arg1)
        effective = law.effective_months(rule, arg1, c.arg2, notice)
        return tenure, route, notice, effective

    def _payoff(self, pos: np.ndarray, rows: np.ndarray):
        """π, p_concede and the concession's value for rows at flows positions ``pos``."""
        world, ms, flows, p = self.world, self.world.memberships, self.flows, self.p
        state = flows.state[pos]
        amendment = np.asarray(law.amendment_right_open(ms.amendment_until[rows], self.year), bool)
        tenure, route, notice, effective = self._legal(rows, amendment)
        immediate = np.asarray(route.immediate, bool)
        years = np.where(immediate, 0, law.years_until_effect(effective, self.year))
        breaks = np.asarray(law.contested_or_violated(route.substantive, route.procedural), bool)
        switching = evaluation.switching_cost(breaks, world.democracy[state], ms.arrears[rows], flows.c_star[pos],
                                              p.reputation_cost, p.domestic_switching_cost, p.ratio_clip)
        payoff = decision.exit_payoff(self.value.utility[pos], years, switching, p.planning_horizon)
        collected = flows.collected[flows.org[pos]]
        share = np.where(collected > 0, flows.dues[pos] / np.where(collected > 0, collected, 1.0), 0.0)
        p_concede = decision.concession_probability(share, payoff, p.concession_intercept, p.concession_share_effect,
                                                    p.concession_credibility, world.reputation[state], p.payoff_clip)
        discount_value, policy_value = self._concession_values(pos, rows)
        return dict(payoff=payoff, p_concede=p_concede, discount_value=discount_value, policy_value=policy_value,
                    years=years, switching=switching, route=route, notice=notice, effective=effective,
                    amendment=amendment)

    def _may_choose_at_all(self, pos: np.ndarray, rows: np.ndarray, window: np.ndarray) -> np.ndarray:
        """A first, cheaper screen before :meth:`_may_leave_or_threaten` (a mask over ``pos``):
        rows whose draw u is at least :func:`decision.leave_or_threat_bound` stay for sure. It
        needs neither concession values nor pretexts, and only a few rows in a hundred pass it."""
        p = self.p
        if not p.exit_decisions:
            return np.ones(len(pos), dtype=bool)
        bound = decision.leave_or_threat_bound(self.value.utility[pos], self.world.memberships.exposure[rows], window,
                                               self.choice)
        return self.u[DRAW_CHOICE][rows] < bound

    def _may_leave_or_threaten(self, pos: np.ndarray, window: np.ndarray, pretext: np.ndarray,
                               scheduled: np.ndarray) -> np.ndarray:
        """Which deciding rows could choose anything but staying this year (a mask over ``pos``).

        An exact shortcut, not an approximation: the choice is ``stay`` whenever the row's uniform
        draw u is at least p_notice + p_threat, which rises with both values. Upper bounds of the
        values need no law: π ≤ H · max(0, −ũ) (D ≥ 0 and S̃ ≥ 0), and a threat's payoff is at most
        max(concession value, max(0, π)) − credibility cost. Rows whose u clears the bound stay for
        sure, so only the others (and the ``scheduled`` choices of the timeline) go through the
        legal routing of :meth:`_payoff`. Same draws, same choices, far fewer rows.
        """
        if not self.p.exit_decisions:
            return scheduled
        rows = self.flows.rows[pos]
        best_payoff = self.p.planning_horizon * np.maximum(0.0, -self.value.utility[pos])
        discount_value, policy_value = self._concession_values(pos, rows)
        best_threat = np.maximum(np.maximum(discount_value, policy_value), best_payoff)
        p_notice, p_threat = self._choice_probabilities(pos, rows, best_payoff, window, pretext, 1.0, best_threat)
        return (self.u[DRAW_CHOICE][rows] < p_notice + p_threat + 1e-12) | scheduled

    def _choice_probabilities(self, pos, rows, payoff, window, pretext, p_concede, concession):
        """p_notice and p_threat (§4.6) of rows at flows positions ``pos``; a threat is only
        possible once per ``threat_interval`` years."""
        p, ms = self.p, self.world.memberships
        v_notice, v_threat = decision.choice_values(
            payoff, ms.exposure[rows], window, pretext, self.world.nativism[self.flows.state[pos]], p_concede,
            concession, self.choice)
        v_threat = np.where(self.year - ms.last_threat[rows] >= p.threat_interval, v_threat, -np.inf)
        return decision.choice_probabilities(v_notice, v_threat)

    def _concession_values(self, pos: np.ndarray, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The value to the state of a dues discount and of a policy move (years of dues)."""
        world, ms, flows, p = self.world, self.world.memberships, self.flows, self.p
        room = np.maximum(0.0, p.max_discount - ms.discount[rows])
        c_star = flows.c_star[pos]
        ratio = np.where(c_star > 0, flows.dues[pos] / np.where(c_star > 0, c_star, 1.0), 0.0)
        discount_value = decision.concession_value(ratio, np.minimum(p.concession_discount, room),
                                                   p.planning_horizon, p.ratio_clip)
        policy_value = decision.policy_concession_value(flows.distance[pos], world.institutionalization[flows.org[pos]],
                                                        p.compliance, p.preference_cost, p.policy_concession_shift,
                                                        p.planning_horizon)
        return discount_value, policy_value

    def _pretext(self, pos: np.ndarray, rows: np.ndarray) -> np.ndarray:
        """Performance fell by the threshold over the pretext years, a refused threat, or the
        state's rival took the lead of k in that time (§4.6)."""
        world, flows, p = self.world, self.flows, self.p
        org = flows.org[pos]
        back = min(p.pretext_years, world.quality_history.shape[1] - 1)
        fell = world.quality_history[org, 0] <= world.quality_history[org, back] - p.pretext_quality_drop
        refused = world.memberships.pretext_until[rows] >= self.year
        rival = rival_of(world, flows.state[pos])
        took = (rival >= 0) & (world.leader_history[org, 0] == rival) & (world.leader_history[org, back] != rival)
        return fell | refused | took

    # --- the year ------------------------------------------------------------------------------------
    def run(self) -> None:
        world, ms, flows, p, year = self.world, self.world.memberships, self.flows, self.p, self.year
        timeline = self.model.timeline
        # the flows' rows are the active rows of organizations alive this year (none dies before phase 8)
        status = ms.status[flows.rows]
        member = status == MEMBER
        non_treaty = self._kind(flows.rows) == law.NON_TREATY
        self.counts.at_risk = int(np.count_nonzero(member & ~non_treaty))

        # who chooses this year: the members at the start of the phase (a row whose notice is
        # rescinded below has decided this year already)
        deciding = np.flatnonzero(member)
        rows = flows.rows[deciding]
        # revocable notices from earlier years, which may be rescinded first
        pending = np.flatnonzero(status == NOTICE)
        pending = pending[(law.year_of(ms.notice_month[flows.rows[pending]]) < year)
                          & self.clause(flows.rows[pending]).revocable]
        window = self.model.window_open()[flows.state[deciding]]
        scheduled = {}  # the timeline's choices for this year: row -> (choice, month)
        for event in timeline.at(year, "notice", "threat"):
            scheduled[self.model.row_of(event.state, event.organization)] = (
                decision.NOTICE if event.kind == "notice" else decision.THREAT, event.month)
        timed = _with_rows(np.zeros(len(ms), dtype=bool), list(scheduled))  # per edge-list row
        screened = self._may_choose_at_all(deciding, rows, window)
        if scheduled:
            screened |= timed[rows]
        screened = np.flatnonzero(screened)
        deciding, rows, window = deciding[screened], rows[screened], window[screened]
        timed = timed[rows]
        pretext = self._pretext(deciding, rows)
        maybe = self._may_leave_or_threaten(deciding, window, pretext, timed)
        deciding, rows, window, pretext = deciding[maybe], rows[maybe], window[maybe], pretext[maybe]
        state = flows.state[deciding]
        # the payoffs of pending notices and of this year's choices in one pass (a rescission
        # changes nothing a choice reads: it touches only its own row and next year's policy)
        both = self._payoff(np.concatenate([pending, deciding]), np.concatenate([flows.rows[pending], rows]))
        self._rescind_notices(pending, _slice_payoff(both, slice(0, len(pending))))
        v = _slice_payoff(both, slice(len(pending), None))
        concession = np.maximum(v["discount_value"], v["policy_value"])
        p_notice, p_threat = self._choice_probabilities(deciding, rows, v["payoff"], window, pretext,
                                                        v["p_concede"], concession)
        choice = decision.choose(p_notice, p_threat, self.u[DRAW_CHOICE][rows])
        if not p.exit_decisions:
            choice[:] = decision.STAY
        month = np.zeros(len(rows), dtype=np.int64)
        for i, r in enumerate(rows.tolist()):  # scheduled choices override the draw
            if r in scheduled:
                choice[i], month[i] = scheduled[r]
        chose = np.flatnonzero(choice != decision.STAY)  # causes only for the year's few choices
        named = decision.decision_cause(decision.notice_terms(
            self.value.terms_at(deciding[chose]), v["years"][chose],
            v["switching"][chose], ms.exposure[rows[chose]], window[chose], pretext[chose],
            world.nativism[state[chose]], self.choice))
        causes = dict(zip(chose.tolist(), named.tolist(), strict=True))
        for i in np.flatnonzero(choice == decision.THREAT):
            self._threat(deciding[i], rows[i], v, i, str(causes[i]))
        gave = np.flatnonzero(choice == decision.NOTICE)
        for i in gave:
            self._notice(deciding[i], rows[i], v, i, str(causes[i]), int(month[i]))
        left = np.zeros(world.n_states, dtype=bool)
        left[self.counts.leavers] = True
        world.nativism = domestic.soothe(world.nativism, left & world.nativist_government, p.nativist_relief)
        violations = np.bincount(np.asarray(self.counts.violators, dtype=np.int64), minlength=world.n_states)
        world.reputation = evaluation.update_reputation(world.reputation, violations, p.reputation_loss,
                                                        p.reputation_recovery)
        self._mature_notices()  # immediate rules take effect in the year of notice
        self.counts.under_notice = int(np.sum(ms.status == NOTICE))

    # --- threats ----------------------------------------------------------------------------------------
    def _concede(self, pos: int, row: int, v: dict, i: int) -> str:
        """Grant the concession that serves the threatener more: a dues discount or a policy move."""
        world, ms, flows, p = self.world, self.world.memberships, self.flows, self.p
        if v["discount_value"][i] >= v["policy_value"][i] and v["discount_value"][i] > 0:
            ms.discount[row] = min(p.max_discount, ms.discount[row] + p.concession_discount)
            return f"dues discount, now {ms.discount[row]:.0%}"
        k, s = int(flows.org[pos]), int(flows.state[pos])
        world.policy_offset[k] += p.policy_concession_shift * (world.ideal_point[s] - flows.policy[k])
        return "policy moved toward the state"

    def _threat(self, pos: int, row: int, v: dict, i: int, cause: str) -> None:
        world, ms, year = self.world, self.world.memberships, self.year
        s, k = world.state_code[ms.state[row]], world.org_code[ms.org[row]]
        ms.last_threat[row] = year
        self.counts.threats += 1
        self.model.events.add(Event(year, "threat", s, k, cause=cause))
        if self.u[DRAW_CONCEDE][row] < v["p_concede"][i]:
            self.counts.concessions += 1
            self.model.events.add(Event(year, "concession", s, k, detail=self._concede(pos, row, v, i)))
        else:
            ms.pretext_until[row] = year + self.p.pretext_years
            self.model.events.add(Event(year, "refusal", s, k))

    # --- notices and walk-outs ----------------------------------------------------------------------------
    def _notice(self, pos: int, row: int, v: dict, i: int, cause: str, month: int) -> None:
        world, ms, year, model = self.world, self.world.memberships, self.year, self.model
        s, k = world.state_code[ms.state[row]], world.org_code[ms.org[row]]
        route = law.Route(*(field[i].item() for field in v["route"]))
        if route.outcome == law.NEEDS_CONSENT:  # VCLT 54(b): answered this year
            granted = bool(law.consent_granted(self.u[DRAW_CONSENT][row], self.p.consent_probability))
            model.events.add(Event(year, "consent", s, k, detail="granted" if granted else "refused"))
            route = law.lawful_route(self.clause_of(row, "kind"), True, granted, bool(v["amendment"][i]))
            if route.outcome == law.CONSENT_REFUSED:
                ms.consent_refused[row] = True
                return
        notice = int(v["notice"][i]) if month == 0 else law.month_index(year, month)
        effective = int(v["effective"][i])
        if month:
            c = self.clause([row])
            rule = law.MONTHS_AFTER if route.by_amendment else c.rule[0]
            arg1 = 12 if route.by_amendment else c.arg1[0]
            effective = int(law.effective_months(np.array([rule]), np.array([arg1]), c.arg2, np.array([notice]))[0])
        ms.substantive[row], ms.procedural[row] = route.substantive, route.procedural
        legal = dict(substantive=route.substantive_name, procedural=route.procedural_name, cause=cause)
        if route.outcome in (law.LAWFUL_NOTICE, law.WALKOUT):
            self.counts.leavers.append(int(ms.state[row]))
        if route.outcome == law.LAWFUL_NOTICE:
            ms.status[row], ms.notice_month[row], ms.effective_month[row] = NOTICE, notice, effective
            ms.utility_at_notice[row] = self.value.utility[pos]
            self.counts.notices += 1
            self.counts.spreading_rows.append(int(row))
            y, m = divmod(effective, 12)  # law.split_month_index, on Python integers
            model.record_notice(row, self.members.rows(int(ms.org[row])))
            model.events.add(Event(year, "notice", s, k, month=notice % 12 + 1,
                                   detail=f"effective {y}-{m + 1:02d}", **legal))
        elif route.outcome == law.IMMEDIATE_EXIT:  # a non-treaty body: leave at will, not a withdrawal
            self._exit(row, WITHDRAWN)
            self.counts.non_treaty_exits += 1
            model.events.add(Event(year, "withdrawal", s, k, month=law.month_of(notice),
                                   detail="non-treaty body: not a treaty withdrawal", **legal))
        else:  # a walk-out: the lawful route is closed
            self._exit(row, route.status)
            contested = route.substantive == law.CONTESTED
            self.counts.walkouts_contested += int(contested)
            self.counts.walkouts_violated += int(not contested)
            self.counts.spreading_rows.append(int(row))
            model.record_notice(row, self.members.rows(int(ms.org[row])))
            self.counts.violators.append(int(ms.state[row]))
            model.events.add(Event(year, "walkout", s, k, month=law.month_of(notice),
                                   detail="contested: kept as inactive" if contested else "procedure violated", **legal))

    def _exit(self, row: int, status: int, survive: bool | None = None) -> None:
        """A membership ends now with ``status``; ``survive``: whether obligations survive the
        exit (read from the row's clause if not given)."""
        ms = self.world.memberships
        if survive is None:
            survive = bool(self.clause_of(row, "obligations_survive"))
        ms.status[row] = status
        ms.exit_year[row] = self.year
        ms.notice_month[row] = ms.effective_month[row] = -1
        ms.discount[row] = 0.0
        ms.exposure[row] = 0.0
        ms.arrears[row] = law.surviving_debt(ms.arrears[row], survive)  # else written off with the membership

    # --- pending notices ---------------------------------------------------------------------------------------
    def _rescind_notices(self, pending: np.ndarray, v: dict) -> None:
        """Before this year's choices: revocable notices from earlier years (at flows positions
        ``pending``, with their payoffs ``v``) are rescinded when the government turned
        internationalist, ũ turned positive, or the organization, answering the notice like a
        threat, concedes (§4.6)."""
        world, ms, flows, year = self.world, self.world.memberships, self.flows, self.year
        if len(pending) == 0:
            return
        rows = flows.rows[pending]
        state = flows.state[pending]
        turned = self.model.turnovers[state] & self.model.was_nativist[state] & ~world.nativist_government[state]
        conceded = self.u[DRAW_ANSWER][rows] < v["p_concede"]
        utility = self.value.utility[pending]
        turned_positive = np.where(ms.utility_at_notice[rows] <= 0, utility, 0.0)  # ũ was ≤ 0 at notice, now > 0
        undo = law.rescinded(True, turned, turned_positive, conceded)  # the caller passes revocable notices only
        for i in np.flatnonzero(np.asarray(undo, bool)):
            row = rows[i]
            s, k = world.state_code[ms.state[row]], world.org_code[ms.org[row]]
            if turned[i]:
                why = "a new internationalist government"
            elif turned_positive[i] > 0:
                why = "membership is worth it again"
            else:  # the organization answered the notice like a threat (US–UPU 2019)
                why = "the organization conceded"
                self.counts.concessions += 1
                self.model.events.add(Event(year, "concession", s, k, detail=self._concede(pending[i], row, v, i)))
            ms.status[row] = MEMBER
            ms.notice_month[row] = ms.effective_month[row] = -1
            ms.utility_at_notice[row] = np.nan
            ms.substantive[row] = ms.procedural[row] = 0
            self.counts.rescissions += 1
            self.model.events.add(Event(year, "rescission", s, k, detail=why))

    def _mature_notices(self) -> None:
        """Notices whose effective date falls in this year take effect (arrears first paid where
        they block the effect: ILO, OAS)."""
        world, ms, year = self.world, self.world.memberships, self.year
        due = np.flatnonzero(ms.status == NOTICE)
        due = due[(ms.effective_month[due] >= 0) & np.asarray(law.matures(ms.effective_month[due], year), bool)]
        if len(due) == 0:
            return
        clause = self.clause(due)
        owed = np.asarray(law.can_take_effect(ms.arrears[due], clause.arrears_block_effect), dtype=np.float64)
        months = np.asarray(law.month_of(ms.effective_month[due]))
        for j, row in enumerate(due.tolist()):  # a year's few exits
            s, k = world.state_code[ms.state[row]], world.org_code[ms.org[row]]
            paid = float(owed[j])
            if paid > 0:  # the state pays what it owes before the exit takes effect (ILO, OAS)
                ms.arrears[row] = 0.0
                i = ms.state[row]
                paid = min(paid, 0.5 * world.power[i])  # at most half its power; the rest is forgiven
                world.power[i] -= paid
            legal = dict(substantive=law.SUBSTANTIVE_NAMES[ms.substantive[row]],
                         procedural=law.PROCEDURAL_NAMES[ms.procedural[row]])
            self._exit(row, WITHDRAWN, bool(clause.obligations_survive[j]))
            self.counts.withdrawals += 1
            self.model.events.add(Event(year, "withdrawal", s, k, month=int(months[j]),
                                        detail=f"arrears of {paid:.4g} paid first" if paid > 0 else "", **legal))


def _slice_payoff(v: dict, part: slice) -> dict:
    """The payoffs (:meth:`DecisionPhase._payoff`) of some of the rows they were computed for."""
    return {name: law.Route(*(field[part] for field in value)) if isinstance(value, law.Route) else value[part]
            for name, value in v.items()}


def _with_rows(mask: np.ndarray, rows: list[int]) -> np.ndarray:
    """A copy of a row mask with the given rows set (no sorting, unlike ``np.isin``)."""
    mask = mask.copy()
    mask[np.asarray(rows, dtype=np.int64)] = True
    return mask


def contagion_phase(model, counts: YearCounts) -> None:
    """Phase 7 (§4.8): exposure decays, then this year's notices and walk-outs add to it on the
    other members' rows (a one-year lag: it acts on next year's decisions)."""
    world, p = model.world, model.params
    ms = world.memberships
    active = world.active_mask()
    ms.exposure = contagion.update_exposure(
        ms.exposure, ms.state, ms.org, _with_rows(active, counts.spreading_rows),
        world.issue_area, world.power, world.ideal_point, world.alliances, world.align_hegemon, world.align_rising,
        world.role_index(HEGEMON), world.role_index(RISING), np.array(counts.spreading_rows, dtype=np.int64),
        same_issue_spill=p.same_issue_spill, proximity_scale=p.proximity_scale, cap=p.exposure_cap,
        retained=p.exposure_retained, rows_by_state=model.rows_by_state())


def alignment_targets(model) -> tuple[np.ndarray, np.ndarray]:
    """Each state's share of positive net gains from organizations the hegemon / rising power lead."""
    world, flows = model.world, model.flows
    net = alignment.row_net_gain(flows.benefits(), flows.dues, flows.compliance, flows.leader_commitment())
    return alignment.alignment_targets(net, flows.leader[flows.org], (world.role_index(HEGEMON), world.role_index(RISING)),
                                       flows.state, world.n_states)


def alignment_phase(model) -> None:
    """Phase 8a (§4.10): alignment drifts toward its target."""
    world, rate = model.world, model.params.alignment_rate
    hegemon, rising = alignment_targets(model)
    world.align_hegemon = alignment.drift(world.align_hegemon, hegemon, rate)
    world.align_rising = alignment.drift(world.align_rising, rising, rate)


def rejoin_phase(model, counts: YearCounts) -> None:
    """Phase 8b (§4.12): a withdrawn state rejoins when a window is open, no debt survives and
    its evaluation as a member exceeds the rejoin threshold (hysteresis); an inactive member
    returns when the same holds, without a window or accession. Effective next year."""
    world, ms, p, year = model.world, model.world.memberships, model.params, model.year
    rows = np.flatnonzero(ms.status >= INACTIVE)  # the few rows out of their organizations
    rows = rows[((ms.status[rows] == INACTIVE) | ~ms.ended_by_death[rows])
                & (world.org_status[ms.org[rows]] != DEAD) & (ms.exit_year[rows] < year)]
    forced = set()
    for event in model.timeline.at(year, "rejoin"):
        if world.org_status[world.org_index(event.organization)] == DEAD:
            continue  # nobody joins a dead organization
        r = model.row_of(event.state, event.organization)
        if r < 0:  # never a member: an accession
            r = int(ms.append(state=world.state_index(event.state), org=world.org_index(event.organization),
                              status=WITHDRAWN, joined=year + 1)[0])
            rows = np.append(rows, r)
        forced.add(r)
    if len(rows) == 0:
        return
    state, org = ms.state[rows], ms.org[rows]
    debt = ms.arrears[rows]
    if p.rejoining:
        c_star = budget.uncapped_assessment(budget.assessment_base(world.power_history), world.budget_rate, state,
                                            org, p.organization_weight)
        prospective = prospect.prospective_flows(
            state, org, world.power, world.ideal_point, model.flows, world.institutionalization,
            p.organization_weight, p.access_spillover, p.absorptive_exponent, p.leak, p.compliance, c_star,
            cap=world.cap, checked=True)
        value = evaluation.membership_utility(
            prospective.benefits, prospective.dues, prospective.compliance, c_star, prospective.distance,
            world.institutionalization[org], world.nativist_government[state], np.zeros(len(rows)), 0.0,
            p.preference_cost, p.nativist_cost, p.ratio_clip)
        # a surviving debt must be paid first: it is weighed as a one-off cost (years of dues)
        value = value - np.clip(debt / np.where(c_star > 0, c_star, 1.0), 0.0, p.ratio_clip)
        back = lifecycle.rejoins(ms.status[rows], value, model.window_open()[state], p.rejoin_threshold)
    else:
        back = np.zeros(len(rows), dtype=bool)
    back |= _with_rows(np.zeros(len(ms), dtype=bool), list(forced))[rows]
    for row in rows[back]:
        s, k = world.state_code[ms.state[row]], world.org_code[ms.org[row]]
        if ms.arrears[row] > 0 and not law.may_rejoin(ms.arrears[row]):  # pays its surviving debt
            i = ms.state[row]
            world.power[i] = max(world.power[i] - ms.arrears[row], 0.5 * world.power[i])
            ms.arrears[row] = 0.0
        returning = ms.status[row] == INACTIVE
        accession = ms.exit_year[row] == NEVER  # it never was a member: joins
        ms.status[row] = MEMBER
        ms.substantive[row] = ms.procedural[row] = 0
        ms.consent_refused[row] = False
        ms.dues[row] = 0.0  # a new member: exempt from the rise cap
        if returning:
            counts.returns += 1
            model.events.add(Event(year, "return", s, k, detail="resumed its seat without re-accession"))
        else:
            ms.joined[row] = year + 1
            counts.rejoins += 1
            model.events.add(Event(year, "rejoin", s, k, detail=f"{'joins' if accession else 'member again'} from {year + 1}"))


def life_cycle_phase(model, counts: YearCounts) -> None:
    """Phase 8c (§4.12): zombies and deaths (dead organizations stay, their memberships end
    with cause ``death``), then background foundings."""
    world, ms, p, year = model.world, model.world.memberships, model.params, model.year
    members = world.member_counts()
    status, world.low_years, world.dying_years, died = lifecycle.update_status(
        world.org_status, world.quality, world.low_years, world.dying_years, members, p.zombie_quality,
        p.zombie_years, p.death_quality, p.death_years, p.death_members)
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
            model.events.add(Event(year, "death", organization=world.org_code[k],
                                   detail=f"{int(members[k])} members, performance {world.quality[k]:.2f}"))
    rng = model.streams.generator(model.steps, "lifecycle")
    alive = int(np.sum(world.org_status != DEAD))
    founded = int(lifecycle.founding_count(alive, p.founding_rate, rng))
    if founded:
        model.found_organizations(founded, rng)
        counts.foundings += founded
