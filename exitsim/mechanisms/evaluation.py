"""Evaluation of memberships — what staying is worth and what leaving costs, MODEL.md §4.5.

Every term is in years of the state's own uncapped dues c*_ik (MODEL.md §4.0), so a
superpower and a micro-state weigh their memberships on the same scale; ratios to c* are
clipped at ±5 inside the terms so no single term swamps the rest.

Sources (MODEL.md §8):

* Institutional retrenchment: exit cost = switching cost (domestic and international
  obstacles: reputation, domestic veto players, debts) + opportunity cost. The opportunity cost
  is the benefit leaving forgoes, which is already inside ũ, so it is not counted twice.
* Hello-goodbye (von Borzyskowski & Vabulas 2019): preference divergence from the
  organization's policy raises exit (the λ term and the compliance cost).
* Institutional realism (exit diplomacy): a great power with an active strategy also weighs
  the rival's gains from the institution (the γ term: relative gains).

All functions work on rows of the membership edge list (one value per row); per-state or
per-organization inputs are indexed by the caller (``democracy[state]``, ``inst[org]``).
"""

from __future__ import annotations

import numpy as np

from .grouping import group_sum

#: Names of the per-year exit-side terms of −ũ returned by :func:`exit_terms`.
UTILITY_TERMS = ("performance", "cost", "preferences")


def _unit(c_star: np.ndarray) -> np.ndarray:
    """c*, the unit of every term, guarded away from 0 (c* is always > 0 by construction)."""
    c_star = np.asarray(c_star, dtype=np.float64)
    return np.where(c_star > 0, c_star, 1e-300)


def _ratio(value: np.ndarray, c_star: np.ndarray) -> np.ndarray:
    """value / c*, with c* guarded away from 0."""
    return np.asarray(value, dtype=np.float64) / _unit(c_star)


def exit_terms(benefits: np.ndarray, dues: np.ndarray, compliance: np.ndarray, c_star: np.ndarray,
               distance: np.ndarray, institutionalization: np.ndarray,
               nativist_government: np.ndarray, rival_gain: np.ndarray, gamma: float | np.ndarray,
               preference_cost: float, nativist_cost: float, ratio_clip: float) -> dict[str, np.ndarray]:
    """The per-year reasons to leave, split by kind; they sum to −ũ exactly.

    With the material net ratio ``r = (benefits − dues − compliance)/c*`` and its clipped value
    ``r̂ = clip(r, ±ratio_clip)``, the shrink factor ``s = r̂ / r`` (1 when r = 0) is applied to
    all three parts of r so that they still add up to the clipped term:

    * ``performance = s (1 − benefits/c*)`` — the organization delivers less than one year of
      one's own uncapped dues (the benchmark of a membership that pays for itself; positive
      for a poorly performing organization, negative for a good one);
    * ``cost = s (dues/c* − 1) + γ clip(rival_gain/c*, ±ratio_clip)`` — one pays more than one's
      uncapped assessment (others' departures and discounts pushed onto those who stay: the
      consumption effect), plus the relative-gains cost of the rival's gains from k;
    * ``preferences = s compliance/c* + λ d inst/3 + μ [nativist] inst/3`` — divergence from the
      policy (Hello-goodbye) and a nativist government's distaste for binding institutions.

    ``performance + cost + preferences = −ũ`` (:func:`membership_utility`). The decision phase
    uses the split to name the cause of a notice
    (:func:`exitsim.mechanisms.decision.decision_cause`).
    """
    inst = np.asarray(institutionalization, dtype=np.float64) / 3.0
    unit = _unit(c_star)
    benefit_ratio = np.asarray(benefits, dtype=np.float64) / unit
    dues_ratio = np.asarray(dues, dtype=np.float64) / unit
    compliance_ratio = np.asarray(compliance, dtype=np.float64) / unit
    net = benefit_ratio - dues_ratio - compliance_ratio
    clipped = np.clip(net, -ratio_clip, ratio_clip)
    shrink = np.divide(clipped, net, out=np.ones_like(net), where=net != 0)
    cost = shrink * (dues_ratio - 1.0)
    if np.ndim(gamma) or gamma != 0:  # relative gains weigh only for a great power with a strategy
        cost = cost + relative_gains_cost(rival_gain, c_star, gamma, ratio_clip)
    nativist = np.asarray(nativist_government, dtype=np.float64)
    return {
        "performance": shrink * (1.0 - benefit_ratio),
        "cost": cost,
        "preferences": (shrink * compliance_ratio + preference_cost * np.asarray(distance) * inst
                        + nativist_cost * nativist * inst),
    }


def membership_utility(benefits: np.ndarray, dues: np.ndarray, compliance: np.ndarray,
                       c_star: np.ndarray, distance: np.ndarray, institutionalization: np.ndarray,
                       nativist_government: np.ndarray, rival_gain: np.ndarray,
                       gamma: float | np.ndarray, preference_cost: float, nativist_cost: float,
                       ratio_clip: float) -> np.ndarray:
    """ũ_ik: the yearly value of membership (i, k) in years of one's own dues (MODEL.md §4.5).

    ``ũ = clip((benefits − dues − compliance)/c*, ±5) − λ d(x_i, y_k) inst_k/3
    − μ [government nativist] inst_k/3 − γ clip(rival_gain/c*, ±5)``

    * ``benefits`` = public good + access + non-neutral gain + commitment transfers received
      (:meth:`~exitsim.mechanisms.institutions.Flows.benefits`); they are exactly what leaving
      forgoes — the retrenchment paper's opportunity cost. A security leader's commitment
      payment belongs in ``dues`` (definitions.md: it counts as a cost).
    * ``distance`` d to the policy, ``institutionalization`` 1–3, ``nativist_government`` 0/1,
      per row; λ = ``preference_cost`` (1 per ideal-point unit), μ = ``nativist_cost`` (0.5).
    * ``rival_gain``: the rival's net gain from k (:func:`rival_gain_rows`); γ > 0 only for a
      great power whose strategy is active (scalar or per row).

    Sources: Hello-goodbye (divergence raises exit); institutional retrenchment (opportunity
    cost); institutional realism (relative gains). Equals −Σ :func:`exit_terms` (up to rounding:
    it is computed directly, in fewer passes).

    Example: benefits 3, dues 2, compliance 0.5, c* 2, d 1, inst 3, nativist, λ 1, μ 0.5,
    no rival: ũ = 0.25 − 1 − 0.5 = −1.25.
    """
    unit = _unit(c_star)
    net = (np.asarray(benefits, dtype=np.float64) - dues - compliance) / unit
    binding = (preference_cost * np.asarray(distance, dtype=np.float64)
               + nativist_cost * np.asarray(nativist_government, dtype=np.float64))
    utility = np.clip(net, -ratio_clip, ratio_clip) - binding * (np.asarray(institutionalization, dtype=np.float64) / 3.0)
    if np.ndim(gamma) or gamma != 0:  # relative gains weigh only for a great power with a strategy
        utility = utility - relative_gains_cost(rival_gain, c_star, gamma, ratio_clip)
    return utility


def relative_gains_cost(rival_gain: np.ndarray, c_star: np.ndarray, gamma: float | np.ndarray,
                        ratio_clip: float) -> np.ndarray:
    """The relative-gains term of −ũ (MODEL.md §4.5): ``γ clip(rival_gain/c*, ±5)``, what a great
    power with an active strategy counts against a membership for its rival's net gain from the
    organization (:func:`rival_gain_rows`). Subtracting it from the ũ of
    :func:`membership_utility` with γ = 0 gives, to the bit, its ũ with γ (the term comes last).

    Example: rival gain 3, c* 2, γ 0.5 → 0.75.
    """
    return gamma * np.clip(_ratio(rival_gain, c_star), -ratio_clip, ratio_clip)


def rival_gain_rows(net_gain: np.ndarray, state: np.ndarray, org: np.ndarray, rival: int,
                    n_orgs: int) -> np.ndarray:
    """Per row, the rival's net gain from the row's organization (0 where it is no member).

    ``net_gain`` per row is public good + access + h + transfers − dues − compliance
    (definitions.md: "the rival's gains"). The rival's own rows get 0 (it is not its own
    rival). With ``rival`` = −1 (no rival), all zeros.
    """
    net_gain = np.asarray(net_gain, dtype=np.float64)
    if rival < 0:
        return np.zeros(len(net_gain))
    of_rival = np.asarray(state) == rival
    org = np.asarray(org)
    per_org = rival_gain_by_organization(net_gain[of_rival], org[of_rival], n_orgs)
    return np.where(of_rival, 0.0, per_org[org])


def rival_gain_by_organization(rival_net_gain: np.ndarray, rival_org: np.ndarray, n_orgs: int) -> np.ndarray:
    """Per organization, the rival's net gain from it (0 where it is no member), from the net
    gains of the rival's rows and their organizations (one row per organization): what
    :func:`rival_gain_rows` reads at each row's organization, for a caller that has the rival's
    rows apart."""
    return group_sum(np.asarray(rival_net_gain, dtype=np.float64), rival_org, n_orgs)


def switching_cost(contested_or_violated: np.ndarray, democracy: np.ndarray, arrears: np.ndarray,
                   c_star: np.ndarray, reputation_cost: float, domestic_cost: float,
                   ratio_clip: float) -> np.ndarray:
    """S̃_ik: the one-off switching cost of leaving, in years of one's own dues (MODEL.md §4.5).

    ``S̃ = reputation_cost · [exit contested or procedurally violated] + domestic_cost · democracy
    + clip(arrears/c*, 0, 5)``

    Reputation: 1 year of dues when the exit would be contested (no right to leave) or violate
    the procedure (a walk-out); domestic: democracies' veto players and ratification politics
    (0.2 × democracy); arrears that must be paid before the exit takes effect.
    Source: institutional retrenchment — switching cost = domestic and international obstacles.

    Example: contested, democracy 0.5, arrears 4, c* 2 → 1 + 0.1 + 2 = 3.1.
    """
    flag = np.asarray(contested_or_violated, dtype=np.float64)
    debt = np.clip(_ratio(arrears, c_star), 0.0, ratio_clip)
    return reputation_cost * flag + domestic_cost * np.asarray(democracy, dtype=np.float64) + debt


def update_reputation(reputation: np.ndarray, violations: np.ndarray, loss: float,
                      recovery: float) -> np.ndarray:
    """A state's reputation stock: ``r ← clip(min(1, r + recovery) − loss · violations, 0, 1)``.

    It falls 0.2 per contested or violated exit this year and recovers 0.05 a year toward 1
    (definitions.md); it multiplies the state's concession probability
    (:func:`exitsim.mechanisms.decision.concession_probability`): a state that broke the rules is
    believed less. Source: institutional retrenchment (international obstacles: reputation).
    """
    recovered = np.minimum(1.0, np.asarray(reputation, dtype=np.float64) + recovery)
    return np.clip(recovered - loss * np.asarray(violations, dtype=np.float64), 0.0, 1.0)
