"""Budget and dues — the consumption effect (消耗效应), MODEL.md §4.1.

Source: institutional realism on exit diplomacy (MODEL.md §8): institutions drain the power
of those who carry them; when members leave, the need stays and the departed share falls on
those who remain (exit diplomacy's aim of making others bear more governance cost), or the
organization starves. The cap and floor follow the UN scale of assessments.

All functions work on the membership edge list restricted to the rows that pay this year:
``state[r]``, ``org[r]`` give row r's state and organization.
"""

from __future__ import annotations

import numpy as np

from .grouping import group_count, group_sum


def assessment_base(power_history: np.ndarray) -> np.ndarray:
    """Each state's assessment base: its power averaged over the last years.

    ``base_i = mean_j P_{i, t−j}`` over the columns of ``power_history`` (n_states × years,
    column 0 this year). At the start the history is back-cast with each state's growth,
    ``P_{t−j} = P_t e^{−g j}`` (:func:`backcast_history`). Source: the UN scale averages
    several years of national income (MODEL.md §4.1).
    """
    return power_history.mean(axis=1)


def backcast_history(power: np.ndarray, growth: np.ndarray, years: int) -> np.ndarray:
    """The power history at the start: column j is ``P · exp(−g j)``."""
    return power[:, None] * np.exp(-np.outer(growth, np.arange(years)))


def uncapped_assessment(base: np.ndarray, budget_rate: np.ndarray, state: np.ndarray,
                        org: np.ndarray, organization_weight: float) -> np.ndarray:
    """c*_ik = w_org · b_k · base_i: what member i would pay k with no cap (always > 0).

    The unit of every decision term (MODEL.md §4.0). ``organization_weight`` w_org scales a
    small world's budgets to the order of the real organization system.
    """
    return organization_weight * budget_rate[org] * base[state]


def effective_cap(cap: np.ndarray, member_count: np.ndarray) -> np.ndarray:
    """The effective cap on a member's share: max(cap_k, 1/|M_k|); no cap (NaN) is 1.

    With fewer members than 1/cap, the cap cannot be met by anyone, so it is relaxed to an
    equal split.
    """
    cap = np.where(np.isnan(cap), 1.0, cap)
    return np.maximum(cap, 1.0 / np.maximum(member_count, 1))


def initial_need(c_star: np.ndarray, org: np.ndarray, cap: np.ndarray, n_orgs: int) -> np.ndarray:
    """N_k: the budget members pay under the cap with the capped excess forgone.

    The largest fixed point of ``N_k = Σ_{i∈M_k} min(c*_ik, cap_eff,k · N_k)`` (MODEL.md
    §4.1), found by fixing the capped members round by round: with C the capped set,
    ``N = Σ_{i∉C} c*_ik / (1 − |C| cap_eff)``. N falls monotonically from Σ c*, so at most
    |M_k| rounds are needed. Set at the start and at a founding, then indexed to world power.

    Example: c* = (10, 1, 1), cap 0.5 → N = 2 / (1 − 0.5) = 4; the big member pays 2.
    """
    counts = np.bincount(org, minlength=n_orgs)
    cap_eff = effective_cap(cap, counts)
    need = group_sum(c_star, org, n_orgs)
    capped = np.zeros(len(org), dtype=bool)
    while True:
        now_capped = c_star > cap_eff[org] * need[org] * (1 + 1e-12)
        if np.array_equal(now_capped, capped):
            return need
        capped = now_capped
        free = group_sum(np.where(capped, 0.0, c_star), org, n_orgs)
        n_capped = group_count(capped, org, n_orgs)
        denominator = 1.0 - n_capped * cap_eff
        need = np.where(denominator > 1e-12, free / np.where(denominator > 1e-12, denominator, 1.0), need)


def dues(c_star: np.ndarray, discount: np.ndarray, org: np.ndarray, need: np.ndarray,
         cap: np.ndarray, floor_share: float, last_dues: np.ndarray, rise_cap: float,
         n_orgs: int, member_count: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Dues by proportional water-filling under the cap, the floor and the yearly rise cap.

    Each member pays ``c_ik = clip(λ_k (1 − discount_ik) c*_ik, lower_ik, upper_ik)`` with one
    λ_k per organization chosen so that ``Σ_i c_ik = N_k``:

    * ``upper_ik = min(cap_eff,k N_k, (1 + rise_cap) · last_dues_ik)`` — nobody pays above the
      effective cap, and an old member's dues rise at most 10% a year (a new member, with
      ``last_dues = 0``, is exempt);
    * ``lower_ik = min(floor_share · N_k, upper_ik)``.

    So a departure or a discount raises λ_k and moves the gap onto the others (they never pay
    less), within their caps. If even everyone at ``upper`` cannot meet the need, all pay
    ``upper`` and the rest is the shortfall: ``Σ_i c_ik + shortfall_k = N_k``.

    λ_k is found exactly by rounds: compute λ for the free members; where the bound violations
    above exceed those below, the true λ is larger, so the members above their upper bound are
    certainly at it and are fixed there (and symmetrically below). Each round fixes at least
    one member, so it ends within |M_k| rounds (in practice 1–3). Only the organizations with a
    member out of bounds after the first round (a few) take part in the later rounds.

    Source: MODEL.md §4.1 (the need stays when members leave; 10% rise cap; UN floor/ceiling).

    Args:
        member_count: |M_k| per organization, if the caller has it already (else counted here).

    Returns:
        ``(dues per row, shortfall per organization)``.
    """
    counts = np.bincount(org, minlength=n_orgs) if member_count is None else member_count
    cap_eff = effective_cap(cap, counts)
    weight = c_star * (1.0 - discount)
    upper = (cap_eff * need)[org]
    upper = np.where(last_dues > 0, np.minimum(upper, (1.0 + rise_cap) * last_dues), upper)
    lower = np.minimum((floor_share * need)[org], upper)
    # the first round, with every member free: λ_k = N_k / Σ weights
    free_weight = group_sum(weight, org, n_orgs)
    scale = np.where(free_weight > 0, np.maximum(need, 0.0) / np.where(free_weight > 0, free_weight, 1.0), 0.0)
    paid = scale[org] * weight
    out = (paid > upper) | (paid < lower)
    if out.any():  # the later rounds, on the organizations with a member out of bounds
        touched = np.zeros(n_orgs, dtype=bool)
        touched[org[out]] = True
        rows = np.flatnonzero(touched[org])
        paid[rows] = _fill_rounds(weight[rows], upper[rows], lower[rows], org[rows], need, n_orgs, paid[rows])
    # A free member that lands on its bound up to rounding pays the bound exactly, so equal
    # payers are bit-identical (the leader rule compares contributions).
    paid = np.where(np.abs(paid - upper) <= 1e-12 * upper, upper, paid)
    shortfall = np.maximum(need - group_sum(paid, org, n_orgs), 0.0)
    return paid, shortfall


def _fill_rounds(weight: np.ndarray, upper: np.ndarray, lower: np.ndarray, org: np.ndarray,
                 need: np.ndarray, n_orgs: int, candidate: np.ndarray) -> np.ndarray:
    """The later rounds of :func:`dues` on some organizations' rows (all of each one's rows, in
    order), from the first round's ``candidate`` dues. An organization whose members are all
    within bounds in a round is done (its λ would not change again) and leaves the rounds."""
    paid = np.empty(len(org))
    live = np.arange(len(org))
    at_upper = np.zeros(len(org), dtype=bool)
    at_lower = np.zeros(len(org), dtype=bool)
    free = np.ones(len(org), dtype=bool)
    while True:
        above = free & (candidate > upper)
        below = free & (candidate < lower)
        out = above | below
        if not out.any():
            paid[live] = np.where(at_upper, upper, np.where(at_lower, lower, candidate))
            return paid
        still = np.zeros(n_orgs, dtype=bool)
        still[org[out]] = True
        keep = still[org]
        if not keep.all():  # the organizations without a member out of bounds are done
            done = ~keep
            paid[live[done]] = np.where(at_upper[done], upper[done], np.where(at_lower[done], lower[done],
                                                                               candidate[done]))
            keep = np.flatnonzero(keep)
            live, weight, upper, lower, org = live[keep], weight[keep], upper[keep], lower[keep], org[keep]
            at_upper, at_lower, free, candidate = at_upper[keep], at_lower[keep], free[keep], candidate[keep]
            above, below = above[keep], below[keep]
        excess_above = group_sum(np.where(above, candidate - upper, 0.0), org, n_orgs)
        excess_below = group_sum(np.where(below, lower - candidate, 0.0), org, n_orgs)
        fix_above = above & (excess_above >= excess_below)[org]
        fix_below = below & (excess_below >= excess_above)[org]
        if not (fix_above.any() or fix_below.any()):
            paid[live] = np.where(at_upper, upper, np.where(at_lower, lower, candidate))
            return paid
        at_upper |= fix_above
        at_lower |= fix_below
        free = ~(at_upper | at_lower)
        fixed = group_sum(np.where(at_upper, upper, np.where(at_lower, lower, 0.0)), org, n_orgs)
        free_weight = group_sum(np.where(free, weight, 0.0), org, n_orgs)
        scale = np.where(free_weight > 0, np.maximum(need - fixed, 0.0) / np.where(free_weight > 0, free_weight, 1.0), 0.0)
        candidate = scale[org] * weight


def commitment(leader: np.ndarray, is_security: np.ndarray, need: np.ndarray, rate: float) -> np.ndarray:
    """The extra commitment the leader of a security organization pays: rate × N_k.

    ``commitment_k = commitment_rate · N_k`` where k's issue area is security and k has a
    leader, else 0. It is a transfer to the other members (spread ∝ P^ν by
    :func:`exitsim.mechanisms.spillover.share_by_power`), not a dead loss: cutting commitments
    costs allies (MODEL.md §4.1; exit diplomacy's aim of reducing the drain of commitments).
    """
    return np.where(is_security & (leader >= 0), rate * need, 0.0)
