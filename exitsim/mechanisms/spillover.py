"""Output and spillover — the spillover effect (溢出效应), MODEL.md §4.2.

Source: institutional realism on exit diplomacy (MODEL.md §8): an institution's functional
attributes spread gains to all its members — and some to outsiders — so relative power
diffuses away from the hegemon that carries it; the hegemon's exit cuts the others' gains
(exit diplomacy's first aim).
"""

from __future__ import annotations

import numpy as np

from .grouping import group_sum


def performance(quality: np.ndarray, intrinsic_quality: np.ndarray, adequacy: np.ndarray,
                noise: np.ndarray, adjustment: float, noise_scale: float) -> np.ndarray:
    """q_k ← clip(q_k + a (q̄_k · min(1, adequacy_k) − q_k) + s ε_k, 0, 1).

    ``a`` = ``performance_adjustment`` (0.3), ``s`` = ``performance_noise`` (0.05), ε_k
    standard normal (one draw per organization). An underfunded organization drifts toward a
    lower performance; q̄_k is its intrinsic quality.
    """
    target = intrinsic_quality * np.minimum(1.0, adequacy)
    return np.clip(quality + adjustment * (target - quality) + noise_scale * noise, 0.0, 1.0)


def output(value_multiplier: np.ndarray, quality: np.ndarray, collected: np.ndarray) -> np.ndarray:
    """G_k = θ_k · q_k · collected_k: the public good an organization produces this year."""
    return value_multiplier * quality * collected


def absorptive_weights(power: np.ndarray, state: np.ndarray, org: np.ndarray, exponent: float,
                       n_orgs: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The absorptive weights P^ν that share out public goods, computed once for a year:
    ``(P_i^ν per row, S_k = Σ_{j∈M_k} P_j^ν per organization, Σ_{j∉M_k} P_j^ν per organization)``.

    ν = ``absorptive_exponent``: 0 is an equal split, 1 proportional to power.
    """
    weight = power ** exponent  # one power per state, not per row
    row_weight = weight[state]
    member_weight = group_sum(row_weight, org, n_orgs)
    return row_weight, member_weight, weight.sum() - member_weight


def share_by_power(row_weight: np.ndarray, member_weight: np.ndarray, org: np.ndarray) -> np.ndarray:
    """Each row's share of its organization's pool: P_i^ν / Σ_{j∈M_k} P_j^ν, from the weights of
    :func:`absorptive_weights` (computed once a year)."""
    return row_weight / member_weight[org]


def has_outsiders(outside: np.ndarray, power: np.ndarray, exponent: float) -> np.ndarray:
    """Whether an organization has non-members (up to rounding in ``outside``)."""
    return outside > 1e-12 * (power ** exponent).sum()


def member_pool_fraction(outsiders: np.ndarray, leak: float) -> np.ndarray:
    """Fraction of G_k that goes to members: 1 − ℓ, or 1 when k has no non-members."""
    return np.where(outsiders, 1.0 - leak, 1.0)


def public_good(pool: np.ndarray, share: np.ndarray, org: np.ndarray) -> np.ndarray:
    """A member's public good: ``share_ik · pool_k``.

    ``pool_k`` = (member fraction) × G_k − h_k: the leader's non-neutral gain h_k is taken out
    of the members' pool, not created (MODEL.md §4.3).
    """
    return share * pool[org]


def leak_to_nonmembers(power: np.ndarray, state: np.ndarray, org: np.ndarray,
                       leaked: np.ndarray, outside: np.ndarray, exponent: float,
                       n_states: int) -> np.ndarray:
    """Each state's share of what organizations leak to non-members (ℓ G_k).

    Non-members of k split ``leaked_k`` in proportion to P^ν. Computed without a
    state × organization loop: with rate_k = leaked_k / Σ_{j∉M_k} P_j^ν (``outside``),
    ``leak_i = P_i^ν (Σ_k rate_k − Σ_{k∋i} rate_k)`` (the total minus the members' part).
    ``leaked_k`` must be 0 where k has no non-members.
    """
    rate = np.where(leaked > 0, leaked / np.where(outside > 0, outside, 1.0), 0.0)
    received = rate.sum() - group_sum(rate[org], state, n_states)
    return power ** exponent * np.maximum(received, 0.0)


def access_spillover(power: np.ndarray, state: np.ndarray, org: np.ndarray, quality: np.ndarray,
                     rate: float, n_orgs: int) -> np.ndarray:
    """Functional (access) spillover: s′_ik = ω q_k P_i (Σ_{j∈M_k, j≠i} P_j) / W.

    Access to the other members' markets and rules: every member's rate of gain is about
    ω q (membership power)/W, except that the biggest member gains least from itself — so
    institutions diffuse relative power away from the hegemon. ``rate`` is ω already
    multiplied by ``organization_weight``.
    """
    world = power.sum()
    own = power[state]
    member_power = group_sum(own, org, n_orgs)
    return rate * quality[org] * own * (member_power[org] - own) / world
