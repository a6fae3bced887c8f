"""Great-power strategies — institutional balancing (制度制衡), MODEL.md §4.11.

Sources (MODEL.md §8):

* **Institutional realism on exit diplomacy** (退出外交): the hegemon builds hierarchies in
  institutions for leadership and non-neutral gains; their functional attributes erode its lead
  through spillover and consumption; exit diplomacy aims to cut others' spillover gains, to curb
  the allies' centrifugal force and the drain of commitments, and to make emerging states bear
  more of the governance cost — leaving, or threatening to, and demanding reform as the price of
  return — to restart a hierarchical order.
* **Kai He's institutional balancing**: exit diplomacy is one form beside *inclusive*
  institution-building (draw the target into institutions and bind it by their rules) and
  *exclusive* institution-building (found institutions of the like-minded that leave it out).
* **Institutional retrenchment**: the rising power cautiously fills the gaps the hegemon leaves
  (中国审慎填补空缺) and may found its own institutions: the order becomes plural and
  multi-layered.

Everything here is a pure function of arrays (one value per organization, state or membership
row, as each says), with every number a registry parameter (group ``strategies``). The phase
that composes them is :mod:`exitsim.phases.strategies`; random draws are its arguments.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .budget import assessment_base
from .coefficients import parameter
from .decision import NOTICE, STAY, THREAT
from .evaluation import membership_utility


@dataclass(frozen=True)
class StrategyCoefficients:
    """The numbers of the strategies (MODEL.md §4.11), read from the registry by
    :func:`~exitsim.mechanisms.coefficients.from_parameters`: the ``trigger`` P_H/P_R (1.5),
    ``actions_per_year`` (2), the relative-gains weight γ (0.5), the reform's ``reform_cap_cut``
    (0.2), the members' base ``admission_consent`` (0.5), the ``short_years`` of inclusive
    assessment (1), the ``club_alignment`` threshold (0.5), the ``invitation_weight`` (2 logits),
    the ``founder_contribution`` (0.25 of the need a year) and the ``fill_fraction`` (0.5)."""

    trigger: float = parameter("strategy_trigger")
    actions_per_year: int = parameter()
    gamma: float = parameter("relative_gains_weight")
    reform_cap_cut: float = parameter()
    admission_consent: float = parameter()
    short_years: int = parameter("inclusive_assessment_years")
    club_alignment: float = parameter()
    invitation_weight: float = parameter()
    founder_contribution: float = parameter()
    fill_fraction: float = parameter()


# --- when ---------------------------------------------------------------------------------------
def triggered(power_hegemon: float, power_rising: float, trigger: float) -> bool:
    """Whether the strategies become active: the hegemon's lead P_H / P_R has fallen below the
    ``trigger`` (1.5). Once true, the strategies stay active for good, also after the rising
    power overtakes (the caller remembers the year). Source: MODEL.md §4.11 (power transition
    theory's window of danger as the lead narrows).

    Example: P_H = 14, P_R = 10 → 1.4 < 1.5: active.
    """
    return bool(power_rising > 0 and power_hegemon < trigger * power_rising)


def ranked(score: np.ndarray, eligible: np.ndarray, count: int) -> np.ndarray:
    """The indices of at most ``count`` eligible entries with a positive score, the highest first
    (ties: the lower index first). Used to pick the worst organizations, the best targets and the
    issue areas of a strategy.

    >>> ranked(np.array([0.5, 2.0, -1.0, 2.0]), np.array([True, True, True, False]), 5).tolist()
    [1, 0]
    """
    score = np.asarray(score, dtype=np.float64)
    candidates = np.flatnonzero(np.asarray(eligible, dtype=bool) & (score > 0))
    order = np.argsort(-score[candidates], kind="stable")
    return candidates[order[:max(int(count), 0)]]


def interleaved(count: int, *lists: np.ndarray, start: int = 0) -> list[tuple[int, int]]:
    """Take ``count`` items from several ranked lists in turn — the first of each list, then the
    second of each …, beginning with list ``start`` (mod their number) — as ``(list number,
    item)`` pairs: a strategy with several kinds of action does some of each, and a different
    kind leads each year.

    >>> interleaved(3, np.array([7, 8]), np.array([], dtype=int), np.array([9]))
    [(0, 7), (2, 9), (0, 8)]
    >>> interleaved(2, np.array([7, 8]), np.array([5]), np.array([9]), start=1)
    [(1, 5), (2, 9)]
    """
    taken: list[tuple[int, int]] = []
    depth = max((len(items) for items in lists), default=0)
    order = [(start + j) % len(lists) for j in range(len(lists))] if lists else []
    for position in range(depth):
        for which in order:
            items = lists[which]
            if position < len(items) and len(taken) < count:
                taken.append((which, int(items[position])))
    return taken


# --- exit diplomacy -----------------------------------------------------------------------------
def drifting(allied: np.ndarray, align_hegemon: np.ndarray, align_rising: np.ndarray) -> np.ndarray:
    """The hegemon's drifting allies: its alliance partners now more aligned with the rising power
    than with it (allies' centrifugal force, 盟国离心力, MODEL.md §4.10). Per state."""
    return np.asarray(allied, dtype=bool) & (np.asarray(align_rising) > np.asarray(align_hegemon))


def relative_gains_balance(own_net: np.ndarray, rival_net: np.ndarray, drifting_net: np.ndarray,
                           c_star: np.ndarray) -> np.ndarray:
    """Exit diplomacy's relative-gains balance of each of the hegemon's organizations, in years
    of its own dues:

        B_k = (rival's net gain from k + drifting allies' net gains from k − hegemon's net gain
        from k) / c*_Hk

    (net gain = benefits − dues − compliance − commitment paid, MODEL.md §4.4 per row). A
    positive balance is an institution that feeds the rival and the drifting allies more than it
    gives the hegemon: the worst are where exit diplomacy acts first. Source: institutional
    realism (exit diplomacy cuts others' spillover gains and allies' centrifugal force).

    Example: rival +3, drifting allies +1, hegemon +2, c* 4 → (3 + 1 − 2) / 4 = 0.5.
    """
    c_star = np.asarray(c_star, dtype=np.float64)
    unit = np.where(c_star > 0, c_star, 1e-300)
    return (np.asarray(rival_net, dtype=np.float64) + drifting_net - own_net) / unit


def strategic_choice(payoff: np.ndarray, threat_payoff: np.ndarray, threat_allowed: np.ndarray,
                     window: np.ndarray, pretext: np.ndarray, beta_utility: float, beta_window: float,
                     beta_pretext: float, payoff_clip: float) -> np.ndarray:
    """Exit diplomacy's move on each ranked membership: the payoff rule of MODEL.md §4.6 without
    its noise and intercepts (a strategy acting on purpose is the reason the intercepts stand in
    for), so the move with the higher systematic value, if it beats staying (0):

    * ``V_notice = β_u clip(π, ±c) + β_w window + β_p pretext``;
    * ``V_threat = β_u clip(T, ±c) + β_w window + β_p pretext`` (−∞ where no threat is allowed),

    with π the payoff of leaving under the organization's clause
    (:func:`~exitsim.mechanisms.decision.exit_payoff`) and T the payoff of threatening
    (:func:`~exitsim.mechanisms.decision.threat_payoff`, the reform demanded as the concession).
    NOTICE where V_notice > 0 and V_notice ≥ V_threat, THREAT where V_threat > 0 and V_threat >
    V_notice, else STAY. So the hegemon threatens where leaving is costly and leaves where it is
    cheap, as the retrenchment account says, from the same payoffs as every state.

    Example: π = 2, T = 1 → notice; π = −1, T = 0.5 → threat; π = −1, T = −0.2 → stay.
    """
    shift = beta_window * np.asarray(window, dtype=np.float64) + beta_pretext * np.asarray(pretext, dtype=np.float64)
    v_notice = beta_utility * np.clip(np.asarray(payoff, dtype=np.float64), -payoff_clip, payoff_clip) + shift
    v_threat = beta_utility * np.clip(np.asarray(threat_payoff, dtype=np.float64), -payoff_clip, payoff_clip) + shift
    v_threat = np.where(np.asarray(threat_allowed, dtype=bool), v_threat, -np.inf)
    notice = (v_notice > 0) & (v_notice >= v_threat)
    threat = ~notice & (v_threat > 0)
    return np.where(notice, NOTICE, np.where(threat, THREAT, STAY)).astype(np.int8)


def reformed_cap(cap: np.ndarray | float, hegemon_share: np.ndarray | float, cut: float) -> np.ndarray:
    """The contribution cap after the reform exit diplomacy demands:
    ``min(cap, (1 − cut) × the hegemon's share of contributions)`` (no cap, NaN, counts as 1).

    With weighted voting (the reform's other half), the hegemon pays less and keeps its say: the
    rest of the need falls on the other members (the budget rule, MODEL.md §4.1) — exit
    diplomacy's aim of making emerging states bear more of the governance cost (the US-demanded
    cut of the UN's ceiling from 25% to 22% in 2000). Example: share 0.4, cut 0.2 → cap 0.32.
    """
    cap = np.where(np.isnan(np.asarray(cap, dtype=np.float64)), 1.0, cap)
    return np.minimum(cap, (1.0 - cut) * np.asarray(hegemon_share, dtype=np.float64))


# --- inclusive institution-building ------------------------------------------------------------------
def admission_probability(aligned_vote: np.ndarray, base: float) -> np.ndarray:
    """The probability that an organization's members consent to admit the rising power the
    hegemon proposes: ``base + (1 − base) × a``, ``a`` the members' vote-weighted mean alignment
    with the rising power (the hegemon itself left out). Likelier the more aligned they are with
    it (MODEL.md §4.11). Example: base 0.5, a = 0.2 → 0.6.
    """
    return base + (1.0 - base) * np.clip(np.asarray(aligned_vote, dtype=np.float64), 0.0, 1.0)


def binding(distance: np.ndarray, institutionalization: np.ndarray) -> np.ndarray:
    """How much an organization's rules would bind a state: d(x, y_k) × inst_k / 3 (the factor of
    the compliance cost and of the preference term, MODEL.md §4.3, §4.5). Inclusive binding
    targets the organizations that bind the rising power most."""
    return np.asarray(distance, dtype=np.float64) * np.asarray(institutionalization, dtype=np.float64) / 3.0


def amended_utility(benefits: np.ndarray, dues: np.ndarray, compliance: np.ndarray, c_star: np.ndarray,
                    distance: np.ndarray, institutionalization: np.ndarray, nativist_government: np.ndarray,
                    preference_cost: float, nativist_cost: float, ratio_clip: float) -> tuple[np.ndarray, np.ndarray]:
    """ũ of members before and after an amendment raises institutionalization by one (at most 3):
    the compliance cost χ d inst/3 c* and the binding terms (λ d + μ [nativist]) inst/3 grow with
    it (:func:`~exitsim.mechanisms.evaluation.membership_utility`, without the relative-gains
    term). Feinberg's amendment right goes to the members it hurts
    (:func:`~exitsim.mechanisms.law.amendment_right`). Returns ``(ũ before, ũ after)``.
    """
    inst = np.asarray(institutionalization, dtype=np.float64)
    raised = np.minimum(inst + 1.0, 3.0)
    zero = np.zeros(np.shape(c_star))
    before = membership_utility(benefits, dues, compliance, c_star, distance, inst, nativist_government, zero, 0.0,
                                preference_cost, nativist_cost, ratio_clip)
    after = membership_utility(benefits, dues, np.asarray(compliance) * raised / inst, c_star, distance, raised,
                               nativist_government, zero, 0.0, preference_cost, nativist_cost, ratio_clip)
    return before, after


# --- exclusive institution-building and counter-institutions ------------------------------------------
def club_eligible(align_hegemon: np.ndarray, threshold: float, founder: int, rival: int) -> np.ndarray:
    """The states a club invites: alignment with the hegemon at least ``threshold`` (0.5); never
    the rival, and the founder is a member anyway (MODEL.md §4.11, exclusive)."""
    eligible = np.asarray(align_hegemon, dtype=np.float64) >= threshold
    eligible[[i for i in (founder, rival) if i >= 0]] = False
    return eligible


def institutional_need(gain_rate: np.ndarray) -> np.ndarray:
    """Each state's need of new institutions in [0, 1]: its rank from the top by net
    institutional gain per unit of power (1 for the state that gains least, 0 for the one that
    gains most; ties share a rank). The counter-institutions invite by alignment and need."""
    rate = np.asarray(gain_rate, dtype=np.float64)
    if len(rate) < 2:
        return np.zeros(len(rate))
    order = np.sort(rate)
    above = len(rate) - np.searchsorted(order, rate, side="right")  # states gaining more
    return above / (len(rate) - 1)


def invitation_affinity(alignment: np.ndarray, need: np.ndarray | float, weight: float) -> np.ndarray:
    """What a strategy's founding adds to the proximity score of each invitee (logit units):
    ``weight × (alignment with the founder + need)`` (:class:`~exitsim.mechanisms.lifecycle.FoundingPool`
    adds it to −d/s + log(ally weight)·[ally] + Gumbel). Example: weight 2, alignment 0.5, need 0.25
    → 1.5."""
    return weight * (np.asarray(alignment, dtype=np.float64) + need)


# --- voluntary contributions --------------------------------------------------------------------------
def gap_pledge(need: np.ndarray, dues_collected: np.ndarray, fill_fraction: float) -> np.ndarray:
    """Gap filling: the rising power funds ``fill_fraction`` (0.5) of an organization's shortfall,
    ``fill × max(0, N_k − dues collected_k)``, where the hegemon left and the rising power's own ũ
    there is positive (the caller's test). Never more than the fraction: cautious filling
    (中国审慎填补空缺). Example: need 10, dues 6, fill 0.5 → 2.
    """
    return fill_fraction * np.maximum(0.0, np.asarray(need, dtype=np.float64) - dues_collected)


def founder_pledge(need: np.ndarray, share: float) -> np.ndarray:
    """The voluntary contribution a great power pays each year to the club or counter-institution
    it founded: ``share × N_k`` (0.25 of the need): the hegemon's voluntary contributions moved to
    its clubs, the rising power's to its own organizations. Example: need 8, share 0.25 → 2."""
    return share * np.asarray(need, dtype=np.float64)


@dataclass(frozen=True)
class BudgetTerms:
    """What the strategies change in a year's budget rule (MODEL.md §4.1, §4.11):

    * ``pledge`` (2 × n_orgs): the voluntary contribution of each of the two ``contributors``
      (state indices: the hegemon, the rising power; −1 none) to each organization, paid on top of
      its dues where it is an active member, counted in what the organization collects and in the
      contributions that decide leadership and weighted votes, and paid out of its power;
    * ``short_base`` (n_orgs): organizations that assess their members on the last
      ``short_years`` of power instead of the usual average (inclusive binding: the rising power
      pays on its current power).
    """

    contributors: np.ndarray
    pledge: np.ndarray
    short_base: np.ndarray
    short_years: int

    def row_pledges(self, state: np.ndarray, org: np.ndarray) -> np.ndarray | None:
        """Per membership row, the voluntary contribution its state pays its organization; None
        when nobody pledged anything."""
        paid = None
        for pole, contributor in enumerate(self.contributors.tolist()):
            if contributor >= 0 and self.pledge[pole].any():
                mine = np.where(state == contributor, self.pledge[pole][org], 0.0)
                paid = mine if paid is None else paid + mine
        return paid

    def short_assessment_base(self, power_history: np.ndarray) -> np.ndarray:
        """Per state, the shortened assessment base: the mean of its last ``short_years`` of
        power (column 0 of ``power_history`` is this year's), read where ``short_base`` is set."""
        return assessment_base(power_history[:, :self.short_years])
