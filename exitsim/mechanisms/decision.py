"""Decisions — stay, threaten or give notice, a random-utility choice, MODEL.md §4.6.

Each year every membership not under notice chooses among **stay** (value 0), **threaten** and
**give notice** by a multinomial logit; the Gumbel noise stands for the many reasons the model
does not represent. Nothing here imposes "threaten when exit is costly, leave when it is cheap":
whether threats or notices dominate as the switching cost rises follows from the payoffs and
the parameters (the concession probability falls with a less credible exit, ζ2).

Sources (MODEL.md §8):

* Institutional retrenchment: exit cost = switching + opportunity cost; threats versus exit;
  favourable conditions come first (windows: a government turnover; pretexts: a performance
  drop, a refused threat, the rival taking the lead).
* Hello-goodbye (von Borzyskowski & Vabulas 2019): leader-exit contagion (β_c X), divergence
  (through ũ), nativism not a robust direct predictor (β_n = 0 by default).

Every function is vectorized over membership rows and takes its random draws as arguments.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, fields
from typing import Any

import numpy as np

from .coefficients import parameter
from .evaluation import UTILITY_TERMS

# Choice codes.
STAY, THREAT, NOTICE = 0, 1, 2
CHOICES = ("stay", "threat", "notice")
#: The causes a notice is attributed to (MODEL.md §5), and the fallback.
CAUSES = ("performance", "cost", "preferences", "contagion", "window", "pretext")
UNCLEAR = "unclear"
SCHEDULED = "scheduled"
"""The cause of a threat or notice the timeline set (or a dashboard intervention): not the model's choice."""


@dataclass(frozen=True)
class ChoiceCoefficients:
    """The numbers of the choice among staying, threatening and giving notice (MODEL.md §4.6),
    read from the registry by :func:`~exitsim.mechanisms.coefficients.from_parameters`.

    ``baseline_notice`` β0 and ``baseline_threat`` β0_T (logits), ``beta_utility`` β_u,
    ``beta_contagion`` β_c, ``beta_window`` β_w, ``beta_pretext`` β_p, ``beta_nativism`` β_n,
    ``temperature`` T, ``payoff_clip`` (the bound of every payoff term, MODEL.md §4.0),
    ``horizon`` H (``planning_horizon``, years) and ``credibility_cost`` (years of dues).
    """

    baseline_notice: float = parameter()
    baseline_threat: float = parameter()
    beta_utility: float = parameter()
    beta_contagion: float = parameter()
    beta_window: float = parameter()
    beta_pretext: float = parameter()
    beta_nativism: float = parameter()
    temperature: float = parameter()
    payoff_clip: float = parameter()
    horizon: float = parameter("planning_horizon")
    credibility_cost: float = parameter()


def logistic(x: np.ndarray) -> np.ndarray:
    """1 / (1 + e^{−x}), computed stably (no overflow for large |x|)."""
    return 0.5 * (1.0 + np.tanh(0.5 * np.asarray(x, dtype=np.float64)))


def exit_payoff(utility: np.ndarray, years_to_effect: np.ndarray, switching: np.ndarray,
                horizon: float) -> np.ndarray:
    """π = max(0, H − D) · (−ũ) − S̃: the payoff of giving notice now, in years of dues.

    Over the planning horizon H (5 years) the state is rid of the membership's yearly value ũ
    for the H − D years after the notice takes effect (D years from now; it is a full member
    until then) and pays the one-off switching cost S̃ (:func:`evaluation.switching_cost`).
    Source: institutional retrenchment (exit cost = switching cost + opportunity cost).

    Example: ũ = −1, D = 1, S̃ = 1.2 → π = 4 − 1.2 = 2.8.
    """
    years = np.maximum(0.0, horizon - np.asarray(years_to_effect, dtype=np.float64))
    return years * -np.asarray(utility, dtype=np.float64) - switching


def concession_probability(share: np.ndarray, payoff: np.ndarray, intercept: float, share_effect: float,
                           credibility: float, reputation: np.ndarray | float, payoff_clip: float) -> np.ndarray:
    """p_concede = reputation · logistic(ζ0 + ζ1 a_ik + ζ2 clip(π, ±5)).

    ``a_ik`` = ``share`` is the threatener's share of contributions in k: powerful threateners
    win more often (ζ1 = 15). A threat is as strong as the exit behind it is credible: ζ2
    (``credibility``, 0.3) makes a costly exit (low π) weaken the threat too. The reputation
    stock (1 for a clean record, :func:`evaluation.update_reputation`) multiplies it. π is
    clipped like every payoff entering a choice (MODEL.md §4.0).
    Source: institutional retrenchment (threats versus exit).

    Example: a = 0.2, π = 0 → logistic(−3 + 3) = 0.5.
    """
    pi = np.clip(np.asarray(payoff, dtype=np.float64), -payoff_clip, payoff_clip)
    return reputation * logistic(intercept + share_effect * np.asarray(share) + credibility * pi)


def concession_value(c_over_cstar: np.ndarray, discount: float, horizon: float, ratio_clip: float) -> np.ndarray:
    """The value of a dues concession: Σ over H years of δ · c/c* = H δ min(c/c*, 5).

    A concession grants a discount δ (0.2) of dues; over the horizon H it saves δ c each year,
    in years of one's own dues c*. Example: c/c* = 1 → 5 × 0.2 = 1 year of dues.
    Source: definitions.md (concession value); institutional retrenchment (threats).
    """
    ratio = np.clip(np.asarray(c_over_cstar, dtype=np.float64), 0.0, ratio_clip)
    return horizon * discount * ratio


def policy_concession_value(distance: np.ndarray, institutionalization: np.ndarray,
                            compliance: float, preference_cost: float, shift: float,
                            horizon: float) -> np.ndarray:
    """The value of a policy concession: H · shift · d · inst/3 · (χ + λ).

    Moving k's policy offset by ``shift`` (0.2) of the gap toward the threatener cuts its
    distance by ``shift · d``, so its yearly compliance cost (χ d inst/3 years of dues) and its
    preference cost (λ d inst/3) fall by ``shift`` of themselves, over H years. The organization
    grants whichever of this and :func:`concession_value` serves the threatener more
    (MODEL.md §4.6). Example: d = 1, inst 3, χ 0.2, λ 1 → 5 × 0.2 × 1.2 = 1.2.
    """
    inst = np.asarray(institutionalization, dtype=np.float64) / 3.0
    distance = np.asarray(distance, dtype=np.float64)
    return horizon * shift * distance * inst * (compliance + preference_cost)


def threat_payoff(payoff: np.ndarray, p_concede: np.ndarray, concession: np.ndarray,
                  credibility_cost: float) -> np.ndarray:
    """p_concede · concession value + (1 − p_concede) · π − credibility cost (unclipped).

    A threat wins the concession with probability p_concede; if refused, the state must make
    good on it — leave, worth π, the payoff of the exit behind the threat — or back down at a
    loss of face of the same size; issuing it costs ``credibility_cost`` (0.3 years of dues). So a
    threat is made only as far as leaving is credible: a state that would lose by leaving
    (π < 0) expects to lose by threatening too, and it is believed only as far (p_concede falls
    with π, :func:`concession_probability`). (With max(0, π) in place of π, a refused threat
    cost nothing whatever the exit behind it: threats were a free bid for a discount, a third of
    them by states that gained from the membership.) Source: institutional retrenchment
    (threats versus exit); MODEL.md §4.6.

    Example: p_concede 0.2, value 1, π −2, cost 0.3 → 0.2 − 1.6 − 0.3 = −1.7.
    """
    p = np.asarray(p_concede, dtype=np.float64)
    return p * concession + (1.0 - p) * np.asarray(payoff, dtype=np.float64) - credibility_cost


def choice_values(payoff: np.ndarray, contagion: np.ndarray, window: np.ndarray,
                  pretext: np.ndarray, nativism: np.ndarray, p_concede: np.ndarray,
                  concession: np.ndarray, c: ChoiceCoefficients) -> tuple[np.ndarray, np.ndarray]:
    """The values of giving notice and of threatening, relative to staying (value 0).

    * ``V_notice = [β0 + β_u clip(π, ±5) + β_c X + β_w window + β_p pretext + β_n n] / T``
    * ``V_threat = [β0_T + β_u clip(p_concede · value + (1 − p_concede) clip(π, ±5) − credibility,
      ±5) + β_w window + β_p pretext] / T``

    π from :func:`exit_payoff`, X the contagion exposure, window/pretext 0/1, n nativism,
    p_concede from :func:`concession_probability`, value from :func:`concession_value` (or the
    better of it and :func:`policy_concession_value`); the coefficients ``c``. To forbid a
    threat on a row (one threat per membership every two years), set its V_threat to −inf.
    Sources: institutional retrenchment (threats vs exit, windows, pretexts); Hello-goodbye
    (contagion, divergence through π, β_n = 0).

    Returns:
        ``(V_notice, V_threat)`` per row.
    """
    pi = np.asarray(payoff, dtype=np.float64)
    window = np.asarray(window, dtype=np.float64)
    pretext = np.asarray(pretext, dtype=np.float64)
    v_notice = (c.baseline_notice + c.beta_utility * np.clip(pi, -c.payoff_clip, c.payoff_clip)
                + c.beta_contagion * np.asarray(contagion, dtype=np.float64)
                + c.beta_window * window + c.beta_pretext * pretext
                + c.beta_nativism * np.asarray(nativism, dtype=np.float64))
    # π enters both options clipped, so a payoff beyond the bound moves neither (MODEL.md §4.0)
    threat = threat_payoff(np.clip(pi, -c.payoff_clip, c.payoff_clip), p_concede, concession, c.credibility_cost)
    v_threat = (c.baseline_threat + c.beta_utility * np.clip(threat, -c.payoff_clip, c.payoff_clip)
                + c.beta_window * window + c.beta_pretext * pretext)
    return v_notice / c.temperature, v_threat / c.temperature


def choice_probabilities(v_notice: np.ndarray,
                         v_threat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Multinomial logit with stay = 0: p(o) = e^{V_o} / (1 + e^{V_notice} + e^{V_threat}).

    Computed stably by subtracting max(0, V_notice, V_threat) before exponentiating; V = −inf
    gives that option probability 0. Returns ``(p_notice, p_threat)``.
    """
    v_notice = np.asarray(v_notice, dtype=np.float64)
    v_threat = np.asarray(v_threat, dtype=np.float64)
    top = np.maximum(0.0, np.maximum(v_notice, v_threat))
    e_stay, e_notice, e_threat = np.exp(-top), np.exp(v_notice - top), np.exp(v_threat - top)
    total = e_stay + e_notice + e_threat
    return e_notice / total, e_threat / total


def leave_or_threat_bound(utility: np.ndarray, contagion: np.ndarray, window: np.ndarray,
                          c: ChoiceCoefficients) -> np.ndarray:
    """An upper bound of p_notice + p_threat that needs only ũ, the exposure X and the window.

    p_notice + p_threat = (e^{V_notice} + e^{V_threat}) / (1 + e^{V_notice} + e^{V_threat}) is at
    most e^{V_notice} + e^{V_threat}, and with every β but β_n non-negative (the registry's
    ranges), nativism n ∈ [0, 1], D ≥ 0, S̃ ≥ 0 (so π ≤ H max(0, −ũ)) and clipped terms at most
    c = ``payoff_clip``:

    * V_notice ≤ [β0 + β_u min(H max(0, −ũ), c) + β_c X + β_w window + β_p + max(β_n, 0)] / T;
    * V_threat ≤ [β0_T + β_u c + β_w window + β_p] / T,

    whatever the pretext, the law and the concession values. A row whose uniform draw is at least
    the bound chooses to stay for sure (:func:`choose`). The bound is widened by a relative 1e-9
    and an absolute 1e-12 for rounding; with a β outside its range it is 1 (no row screened out).
    Scalars give a 0-dimensional array.
    """
    shape = np.broadcast_shapes(np.shape(utility), np.shape(contagion), np.shape(window))
    beta_utility, beta_contagion, beta_window, beta_pretext = c.beta_utility, c.beta_contagion, c.beta_window, c.beta_pretext
    temperature, payoff_clip = c.temperature, c.payoff_clip
    if min(beta_utility, beta_contagion, beta_window, beta_pretext) < 0:
        return np.ones(shape)
    # e^{1e-9} > 1 + 1e-9: the relative margin rides in the exponents, the absolute one in the
    # threat's term, so the bound costs a dozen passes over the rows
    margin = 1e-9
    notice_constant = (c.baseline_notice + beta_pretext + max(c.beta_nativism, 0.0)) / temperature + margin
    threat = c.baseline_threat + beta_pretext + beta_utility * payoff_clip
    threat_closed, threat_open = (math.exp(min((threat + extra) / temperature + margin, 700.0)) + 1e-12
                                  for extra in (0.0, beta_window))  # e^700: no row's u reaches it
    # β_u min(H max(0, −ũ), c) = min(−β_u H min(ũ, 0), β_u c) for β_u ≥ 0
    value = np.minimum(np.minimum(np.asarray(utility, dtype=np.float64), 0.0) * (-beta_utility * c.horizon / temperature),
                       beta_utility * payoff_clip / temperature)
    value += (beta_contagion / temperature) * np.asarray(contagion, dtype=np.float64)
    open_window = np.asarray(window, dtype=bool)
    value += (beta_window / temperature) * open_window
    value += notice_constant
    with np.errstate(over="ignore"):  # an infinite bound screens nothing out, as it should
        bound = np.exp(value)
        bound += threat_closed + (threat_open - threat_closed) * open_window
    return np.broadcast_to(bound, shape)


def choose(p_notice: np.ndarray, p_threat: np.ndarray, uniform: np.ndarray) -> np.ndarray:
    """The choice per row from one uniform draw u: NOTICE if u < p_notice, THREAT if
    u < p_notice + p_threat, else STAY (codes :data:`STAY`, :data:`THREAT`, :data:`NOTICE`)."""
    u = np.asarray(uniform, dtype=np.float64)
    choice = np.where(u < p_notice, NOTICE, np.where(u < p_notice + p_threat, THREAT, STAY))
    return choice.astype(np.int8)


def notice_terms(exit_terms: dict[str, np.ndarray], years_to_effect: np.ndarray,
                 switching: np.ndarray, contagion: np.ndarray, window: np.ndarray,
                 pretext: np.ndarray, nativism: np.ndarray, c: ChoiceCoefficients) -> dict[str, np.ndarray]:
    """V_notice − V_stay split into named terms that add up to V_notice exactly.

    π = m Σ_j e_j − S̃ with m = max(0, H − D) and e_j the per-year exit terms of
    :func:`evaluation.exit_terms` (performance, cost, preferences; Σ e_j = −ũ). Its contribution
    β_u clip(π, ±5) is split over the parts of π by shrinking them all with the same factor
    s = clip(π)/π (1 when π = 0), so that

    * ``performance``, ``cost``, ``preferences`` = β_u s m e_j / T,
    * ``switching`` = −β_u s S̃ / T (never a cause),
    * ``contagion`` = β_c X / T, ``window`` = β_w window / T, ``pretext`` = β_p pretext / T,
      ``nativism`` = β_n n / T, ``baseline`` = β0 / T.

    Used by :func:`decision_cause`; ``Σ terms`` equals V_notice of :func:`choice_values`.
    """
    m = np.maximum(0.0, c.horizon - np.asarray(years_to_effect, dtype=np.float64))
    parts = {name: m * np.asarray(exit_terms[name], dtype=np.float64) for name in UTILITY_TERMS}
    parts["switching"] = -np.asarray(switching, dtype=np.float64) * np.ones_like(m)
    pi = sum(parts.values())
    clipped = np.clip(pi, -c.payoff_clip, c.payoff_clip)
    shrink = np.where(pi != 0, clipped / np.where(pi != 0, pi, 1.0), 1.0)
    temperature = c.temperature
    terms = {name: c.beta_utility * shrink * value / temperature for name, value in parts.items()}
    shape = np.broadcast_shapes(np.shape(pi),
                                *(np.shape(v) for v in (contagion, window, pretext, nativism)))
    terms["contagion"] = c.beta_contagion * np.asarray(contagion, dtype=np.float64) / temperature
    terms["window"] = c.beta_window * np.asarray(window, dtype=np.float64) / temperature
    terms["pretext"] = c.beta_pretext * np.asarray(pretext, dtype=np.float64) / temperature
    terms["nativism"] = c.beta_nativism * np.asarray(nativism, dtype=np.float64) / temperature
    terms["baseline"] = np.full(shape, c.baseline_notice / temperature)
    return {name: value if np.shape(value) == shape else np.broadcast_to(value, shape).astype(np.float64)
            for name, value in terms.items()}


def decision_cause(terms: dict[str, np.ndarray]) -> np.ndarray:
    """The cause of a notice: the name of its largest positive term among :data:`CAUSES`.

    ``terms`` maps names to per-row values of V_notice − V_stay (e.g. :func:`notice_terms`);
    β0, switching and nativism are never causes, and names missing from ``terms`` count as 0.
    Where no cause term is positive the cause is ``"unclear"`` (MODEL.md §5: about a quarter of
    real withdrawals have unclear reasons). Ties go to the name listed first in :data:`CAUSES`.
    Returns an array of strings, one per row.
    """
    shape = np.broadcast_shapes(*(np.shape(v) for v in terms.values())) if terms else (0,)
    stacked = np.stack([np.broadcast_to(np.asarray(terms.get(name, 0.0), dtype=np.float64), shape)
                        for name in CAUSES])
    best = np.argmax(stacked, axis=0)
    positive = np.take_along_axis(stacked, best[None], axis=0)[0] > 0
    return _CAUSE_NAMES[np.where(positive, best, len(CAUSES))]


_CAUSE_NAMES = np.array(CAUSES + (UNCLEAR,))


# --- the year's candidates and their payoffs ------------------------------------------------------
class _ParallelRows:
    """Arrays over the same rows, filtered together by :meth:`take` (a field may be None, or a
    tuple of arrays such as a :class:`~exitsim.mechanisms.law.Route`)."""

    def take(self, which: np.ndarray | slice) -> Any:
        """The same object over the rows ``which`` selects (a mask, indices or a slice)."""
        values = {}
        for field in fields(self):
            value = getattr(self, field.name)
            if value is None:
                values[field.name] = None
            elif isinstance(value, tuple):
                values[field.name] = type(value)(*(column[which] for column in value))
            else:
                values[field.name] = value[which]
        return type(self)(**values)

    def __len__(self) -> int:
        return len(getattr(self, fields(self)[0].name))


@dataclass(frozen=True)
class Candidates(_ParallelRows):
    """The memberships that may choose this year (MODEL.md §4.6), as parallel arrays filtered
    together by :meth:`take`: ``position`` in the year's flows, edge-list ``row``, ``window``
    (a window is open for the state), ``scheduled`` (the timeline chose for it) and ``pretext``
    (None until computed for the few rows that need it).

    >>> c = Candidates(np.arange(3), np.array([7, 8, 9]), np.array([True, False, True]), np.zeros(3, bool))
    >>> c.take(c.window).row.tolist(), len(c.take(c.window))
    ([7, 9], 2)
    """

    position: np.ndarray
    row: np.ndarray
    window: np.ndarray
    scheduled: np.ndarray
    pretext: np.ndarray | None = None


@dataclass(frozen=True)
class Payoffs(_ParallelRows):
    """What leaving would bring each candidate (MODEL.md §4.6–4.7), in years of its own dues:
    ``payoff`` π, ``p_concede``, the values of a dues and of a policy concession, ``years`` D
    until the effect, the ``switching`` cost S̃, the legal ``route`` (a
    :class:`~exitsim.mechanisms.law.Route`), the ``notice`` and ``effective`` month indices and
    whether an ``amendment`` right is open."""

    payoff: np.ndarray
    p_concede: np.ndarray
    discount_value: np.ndarray
    policy_value: np.ndarray
    years: np.ndarray
    switching: np.ndarray
    route: Any
    notice: np.ndarray
    effective: np.ndarray
    amendment: np.ndarray

    @property
    def concession(self) -> np.ndarray:
        """The better of the two concessions, the one an organization would grant."""
        return np.maximum(self.discount_value, self.policy_value)


# --- rules of the year's choices -------------------------------------------------------------------
def pretext(quality_now: np.ndarray, quality_before: np.ndarray, quality_drop: float, refused_until: np.ndarray,
            year: int, leader_now: np.ndarray, leader_before: np.ndarray, rival: np.ndarray) -> np.ndarray:
    """Whether a membership has a pretext to leave (合理化借口, MODEL.md §4.6): the organization's
    performance fell by at least ``quality_drop`` (0.1) over the pretext years (``quality_before``
    is its performance then), a threat of the state's was refused and its pretext lasts until
    ``refused_until`` ≥ ``year``, or the state's rival (−1: none) took the lead of the
    organization in that time (it leads now and did not then).
    Source: institutional retrenchment (pretexts come first).

    Example: q 0.5 → 0.38 with a drop of 0.1 is a pretext; 0.5 → 0.45 is not.
    """
    fell = np.asarray(quality_now) <= np.asarray(quality_before) - quality_drop
    refused = np.asarray(refused_until) >= year
    rival = np.asarray(rival)
    took = (rival >= 0) & (np.asarray(leader_now) == rival) & (np.asarray(leader_before) != rival)
    return fell | refused | took


def grants_discount(discount_value: np.ndarray, policy_value: np.ndarray) -> np.ndarray:
    """Which concession an organization grants (MODEL.md §4.6): the dues discount where it is
    worth at least the policy move to the state and something at all, else the policy move."""
    discount_value = np.asarray(discount_value)
    return (discount_value >= np.asarray(policy_value)) & (discount_value > 0)


def accepts_concession(concession: np.ndarray, payoff: np.ndarray) -> np.ndarray:
    """Whether a state that gave notice takes the concession its organization offers and
    rescinds (MODEL.md §4.6): when the concession is worth at least what leaving brings it,
    ``value ≥ π`` (both in years of its own dues), since leaving would forgo the concession.
    Example: a 20% discount worth 1 year of dues buys back a notice with π = 0.8, not one with
    π = 2.8. Source: institutional retrenchment (threats and exit as bargaining); US–UPU 2019."""
    return np.asarray(concession, dtype=np.float64) >= np.asarray(payoff, dtype=np.float64)


def raised_discount(discount: np.ndarray, step: float, most: float) -> np.ndarray:
    """A membership's dues discount after a concession: ``min(most, discount + step)`` (0.2 more,
    at most 0.5 in all). Example: 0.4 → 0.5."""
    return np.minimum(most, np.asarray(discount) + step)


def moved_policy(offset: np.ndarray, ideal_point: np.ndarray, policy: np.ndarray, shift: float) -> np.ndarray:
    """An organization's policy offset after a policy concession: moved by ``shift`` (0.2) of the
    gap between the threatener's ideal point and the organization's policy, for good
    (definitions.md). Example: offset 0, ideal 1, policy 0.5 → 0.1."""
    return np.asarray(offset) + shift * (np.asarray(ideal_point) - np.asarray(policy))

