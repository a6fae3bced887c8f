"""Generated worlds: plausible states and organizations drawn from distributions.

Targets come from ``world_facts.md`` (COW IGO v3, National Material Capabilities): power is
very unequal (Gini of capability shares about 0.83), states average 63 memberships with
about +11 per tenfold power, organizations have a median of 19 members and a long tail.
:class:`GenerateSpec` is the scenario's ``generate:`` block, the generator's one set of
settings. The generator returns plain specifications (dicts with the fields of the scenario
schema), so a generated world and a hand-written one go through the same checks and the same
builder.

Everything is drawn from one ``numpy.random.Generator`` made from the scenario's world seed.
"""

from __future__ import annotations

from functools import lru_cache
from statistics import NormalDist

import numpy as np
from pydantic import Field

from .clauses import load_templates
from .strict import MAX_POWER, Fraction, Spec


class GenerateSpec(Spec):
    """A generated world (distributions of ``world_facts.md``), to which explicit entries are added."""

    states: int = Field(0, ge=0, le=10000, description="Number of states to generate.")
    organizations: int = Field(0, ge=0, le=20000, description="Number of organizations to generate.")
    power_gini: float = Field(0.83, gt=0, lt=1, description="Inequality of power: the Gini of the generated power values (the real capability shares: 0.83).")
    total_power: float = Field(1000.0, ge=1, le=MAX_POWER, description="Sum of the generated states' power (any unit; only ratios matter).")
    memberships_per_state: float = Field(63.0, ge=0, le=20000, description="Average number of organizations a state belongs to (real: 63).")
    memberships_spread: float = Field(0.25, ge=0, le=5, description="Spread of memberships per state, as a share of the average.")
    memberships_per_tenfold_power: float = Field(11.0, ge=-100, le=100, description="Extra memberships for every tenfold power (real: about 11).")
    min_memberships: int = Field(5, ge=0, le=20000, description="Every state belongs to at least this many organizations.")
    members_median: float = Field(17.5, gt=0, le=10000, description="Median of the target sizes of organizations; filling them raises the median by about 1.5 (17.5 gives the real 19).")
    min_members: int = Field(3, ge=1, le=10000, description="Every organization gets at least this many members (its nearest states are added).")
    proximity_scale: float = Field(1.5, gt=0, le=100, description="How far from an organization's ideological centre states still join it (ideal-point units).")
    dimensions: int = Field(1, ge=1, le=2, description="Dimensions of the ideal-point space: 1 or 2.")
    cap_min_members: int = Field(50, ge=1, le=10000, description="An organization copies its template's contribution cap only if it has at least this many members.")
    growth_mean: float = Field(0.03, ge=-0.5, le=0.5, description="Mean yearly growth rate of the states other than the hegemon and the rising power.")
    growth_sd: float = Field(0.01, ge=0, le=0.5, description="Standard deviation of their growth rates.")
    hegemon: bool = Field(True, description="Make the most powerful state the hegemon and the second the rising power.")
    hegemon_rising_ratio: float = Field(2.5, ge=1, le=1000, description="The hegemon's power over the rising power's (1: equals).")
    hegemon_growth: float = Field(0.02, ge=-0.5, le=0.5, description="The hegemon's yearly growth rate.")
    rising_growth: float = Field(0.05, ge=-0.5, le=0.5, description="The rising power's yearly growth rate.")
    ally_share: Fraction = Field(0.15, description="Share of the other states, nearest the hegemon's ideal point, that become its allies.")
    founded_from: int = Field(1945, ge=1800, le=3000, description="Earliest founding year of generated organizations.")


def gini(values: np.ndarray) -> float:
    """The Gini coefficient of non-negative values (0 equal, → 1 concentrated)."""
    x = np.sort(np.asarray(values, dtype=float))
    n = len(x)
    if n == 0 or x.sum() == 0:
        return 0.0
    return float((2 * np.arange(1, n + 1) - n - 1) @ x / (n * x.sum()))


@lru_cache(maxsize=64)
def _standard_quantiles(n: int) -> np.ndarray:
    normal = NormalDist()
    return np.array([normal.inv_cdf((i + 0.5) / n) for i in range(n)])


def lognormal_sigma_for_gini(n: int, target: float) -> float:
    """The σ whose stratified lognormal sample of size n has the target Gini (bisection)."""
    z = _standard_quantiles(n)
    low, high = 0.0, 8.0
    for _ in range(60):
        mid = (low + high) / 2
        if gini(np.exp(mid * z)) < target:
            low = mid
        else:
            high = mid
    return (low + high) / 2


def _target_sizes(m: int, n: int, median: float, mean: float) -> np.ndarray:
    """m organization sizes: lognormal quantiles with this median, capped at n states, whose
    mean is ``mean`` (σ by bisection; σ = 0 when the mean is not above the median)."""
    z = _standard_quantiles(m)
    median = min(median, mean, n)
    low, high = 0.0, 6.0
    for _ in range(60):
        mid = (low + high) / 2
        if np.minimum(median * np.exp(mid * z), n).mean() < mean:
            low = mid
        else:
            high = mid
    return np.minimum(median * np.exp(low * z), n)


def generate_states(spec: GenerateSpec, rng: np.random.Generator) -> list[dict]:
    """States with lognormal power of the target Gini, growth, ideal points and politics.

    Power: the n quantiles of a lognormal whose σ gives the target Gini, assigned in random
    order (so the Gini is met at every size, not only on average). With ``hegemon``, the most
    powerful state becomes the hegemon (ideal point +1 on the first axis, its own growth) and
    the second the rising power (−1), rescaled to be ``hegemon_rising_ratio`` times smaller.
    The ``ally_share`` of the others closest to the hegemon are its allies. Ideal points
    x ~ N(0, 1); long-run nativism n̄ ~ Beta(2, 5); democracy ~ Beta(2, 2).
    """
    n = spec.states
    if n == 0:
        return []
    sigma = lognormal_sigma_for_gini(n, spec.power_gini)
    power = np.exp(sigma * _standard_quantiles(n))[rng.permutation(n)]
    power *= spec.total_power / power.sum()
    growth = rng.normal(spec.growth_mean, spec.growth_sd, n)
    ideal = rng.normal(0.0, 1.0, (n, spec.dimensions))
    nativism = rng.beta(2.0, 5.0, n)
    democracy = rng.beta(2.0, 2.0, n)
    nativist = rng.random(n) < 1.0 / (1.0 + np.exp(-6.0 * (nativism - 0.5)))
    role = np.array(["other"] * n, dtype=object)
    alliances: dict[int, list[int]] = {}
    if spec.hegemon and n >= 2:
        order = np.argsort(-power)
        hegemon, rising = int(order[0]), int(order[1])
        power[rising] = power[hegemon] / spec.hegemon_rising_ratio
        role[hegemon], role[rising] = "hegemon", "rising"
        growth[hegemon], growth[rising] = spec.hegemon_growth, spec.rising_growth
        ideal[hegemon, 0], ideal[rising, 0] = 1.0, -1.0
        if spec.dimensions > 1:
            ideal[hegemon, 1:] = 0.0
            ideal[rising, 1:] = 0.0
        others = np.array([i for i in range(n) if i not in (hegemon, rising)], dtype=int)
        n_allies = int(round(spec.ally_share * len(others)))
        if n_allies:
            distance = np.linalg.norm(ideal[others] - ideal[hegemon], axis=1)
            allies = others[np.argsort(distance, kind="stable")[:n_allies]]
            role[allies] = "ally"
            alliances[hegemon] = sorted(int(a) for a in allies)
            for a in allies:
                alliances[int(a)] = [hegemon]
    width = len(str(n))
    codes = [f"S{i + 1:0{width}d}" for i in range(n)]
    states = []
    for i in range(n):
        states.append({
            "code": codes[i],
            "name": f"State {codes[i]}",
            "power": float(power[i]),
            "growth": float(growth[i]),
            "ideal_point": [float(v) for v in ideal[i]],
            "nativism": float(nativism[i]),
            "nativism_mean": float(nativism[i]),
            "democracy": float(democracy[i]),
            "government": "nativist" if nativist[i] else "internationalist",
            "role": str(role[i]),
            "alliances": [codes[j] for j in alliances.get(i, [])],
        })
    return states


def generate_organizations(spec: GenerateSpec, states: list[dict], start_year: int,
                           rng: np.random.Generator) -> list[dict]:
    """Organizations with real clause templates and memberships rising with power.

    Each state's number of memberships is ``mean + slope · log10(P / median P)`` with a
    relative spread, clipped to [``min_memberships``, organizations]. Organizations get target
    sizes from lognormal quantiles with median ``members_median`` and the mean those counts
    imply (so sizes are skewed like the real system: median 19, mean 37). States, in random
    order, join organizations sampled without replacement in proportion to
    ``room_k · exp(−d(x_i, c_k)² / (2 s²))`` (Gumbel top-k): room_k is what is left of k's
    target size, c_k its ideological centre, s the ``proximity_scale``; full organizations only
    when nothing else is left. Organizations with fewer than ``min_members`` get the closest
    non-members. Each organization copies a
    random real organization's issue area, voting rule, institutionalization and withdrawal
    clause (``withdrawal_clauses.csv``); its contribution cap only from ``cap_min_members``
    members up. Intrinsic quality q̄ ~ Beta(4, 2); value z ~ N(0, 1) (θ_k = θ e^{σ_θ z}).
    """
    m, n = spec.organizations, len(states)
    if m == 0 or n == 0:
        return []
    templates = load_templates()
    power = np.array([s["power"] for s in states])
    ideal = np.array([s["ideal_point"] for s in states], dtype=float).reshape(n, -1)
    dims = ideal.shape[1]

    log_power = np.log10(power / np.median(power))
    spread = spec.memberships_spread * spec.memberships_per_state
    target = (spec.memberships_per_state + spec.memberships_per_tenfold_power * (log_power - log_power.mean())
              + spread * rng.normal(size=n))
    count = np.clip(np.round(target), min(spec.min_memberships, m), m).astype(int)

    total = int(count.sum())
    mean_size = total / m
    capacity = _target_sizes(m, n, spec.members_median, mean_size)[rng.permutation(m)]
    centre = rng.normal(0.0, 1.0, (m, dims))
    member = np.zeros((n, m), dtype=bool)
    for i in rng.permutation(n):  # generation only: one pass over states, vectorized over organizations
        distance2 = ((ideal[i] - centre) ** 2).sum(axis=1)
        with np.errstate(divide="ignore"):
            room = np.log(np.maximum(capacity, 0.0))  # −inf for a full organization
        score = room - distance2 / (2 * spec.proximity_scale**2) + rng.gumbel(size=m)
        score = np.where(np.isfinite(score), score, -1e6 - distance2)  # full ones only if need be
        chosen = np.argsort(-score, kind="stable")[: count[i]]
        member[i, chosen] = True
        capacity[chosen] -= 1
    minimum = min(spec.min_members, n)
    for k in np.flatnonzero(member.sum(axis=0) < minimum):
        outsiders = np.flatnonzero(~member[:, k])
        distance2 = ((ideal[outsiders] - centre[k]) ** 2).sum(axis=1)
        member[outsiders[np.argsort(distance2, kind="stable")[: minimum - member[:, k].sum()]], k] = True

    template_index = rng.integers(len(templates), size=m)
    quality = rng.beta(4.0, 2.0, m)
    value = rng.normal(0.0, 1.0, m)
    founded = rng.integers(spec.founded_from, max(spec.founded_from + 1, start_year), size=m)
    width = len(str(m))
    organizations = []
    for k in range(m):
        t = templates[template_index[k]]
        members = np.flatnonzero(member[:, k])
        code = f"O{k + 1:0{width}d}"
        organizations.append({
            "code": code,
            "name": f"{t.issue_area.replace('_', ' ').capitalize()} organization {code}",
            "issue_area": t.issue_area,
            "institutionalization": t.institutionalization,
            "voting": t.voting,
            "cap": t.cap if (t.cap is not None and len(members) >= spec.cap_min_members) else None,
            "founded": int(founded[k]),
            "intrinsic_quality": float(quality[k]),
            "value": float(value[k]),
            "clause": t.clause.to_dict(),
            "template": t.abbreviation,
            "members": [states[i]["code"] for i in members],
        })
    return organizations
