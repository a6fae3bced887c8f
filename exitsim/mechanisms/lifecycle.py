"""Rejoining and the life cycle of organizations — zombies, deaths, foundings, MODEL.md §4.12.

Sources (MODEL.md §8):

* Institutional retrenchment: exit is reversible — states return when conditions turn
  favourable — and the order may become plural and multi-layered (new organizations beside old
  ones); the law digest: organizations leave the door open (customary practice).
* Hello-goodbye (von Borzyskowski & Vabulas 2019) and the IGO data behind it: organizations are
  founded continually (the world founded 40–95 IGOs a decade) and some linger as "zombies"
  that no longer perform, or die. So long runs do not only decay.

The status codes are :data:`exitsim.world.ALIVE`, :data:`~exitsim.world.ZOMBIE`,
:data:`~exitsim.world.DEAD`. A zombie is a label: it still runs (collects dues, produces), and is
alive again when its performance recovers. Dead organizations stay in the arrays (stable
indices); their memberships end with cause ``death`` (not withdrawals).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from ..codes import ALIVE, DEAD, INACTIVE, ISSUE_AREAS, VOTING_RULES, WITHDRAWN, ZOMBIE
from .coefficients import parameter
from .grouping import GroupIndex, distinct_sorted


@dataclass(frozen=True)
class LifeCycleThresholds:
    """When an organization is a zombie or dies (MODEL.md §4.12), read from the registry by
    :func:`~exitsim.mechanisms.coefficients.from_parameters`: a zombie after ``zombie_years``
    (3) below ``zombie_quality`` (0.3); dead after ``death_years`` (5) below ``death_quality``
    (0.05), or with fewer than ``death_members`` (3) members."""

    zombie_quality: float = parameter()
    zombie_years: int = parameter()
    death_quality: float = parameter()
    death_years: int = parameter()
    death_members: int = parameter()


@dataclass(frozen=True)
class FoundingRules:
    """How a background founding is put together (MODEL.md §4.12), read from the registry by
    :func:`~exitsim.mechanisms.coefficients.from_parameters` (the ``founding_*`` parameters): its
    size between ``min_members`` and ``max_members`` (the larger of the two), a template's cap
    kept only from ``cap_min_members`` members, the odds multiplier ``ally_weight`` of the
    founder's allies and the ``proximity_scale`` of its like-minded states."""

    min_members: int = parameter("founding_min_members")
    max_members: int = parameter("founding_max_members")
    cap_min_members: int = parameter("founding_cap_min_members")
    ally_weight: float = parameter("founding_ally_weight")
    proximity_scale: float = parameter("founding_proximity_scale")

    @property
    def size_range(self) -> tuple[int, int]:
        """The smallest and largest size a founding can draw (a maximum below the minimum is the
        minimum)."""
        return self.min_members, max(self.max_members, self.min_members)


@dataclass(frozen=True)
class FoundingDraws:
    """The random numbers of a year's foundings, one entry per founding (``count`` × n_states
    for ``gumbel``), drawn by the caller from the life cycle's stream in this order:
    ``founder`` and ``rule`` uniforms in [0, 1), ``area`` an integer index of the issue areas,
    ``size`` an integer in :attr:`FoundingRules.size_range`, ``gumbel`` standard Gumbel values,
    ``intrinsic_quality`` Beta(4, 2), ``value`` standard normal (MODEL.md §4.0: mechanisms take
    their draws as inputs)."""

    founder: np.ndarray
    area: np.ndarray
    size: np.ndarray
    gumbel: np.ndarray
    rule: np.ndarray
    intrinsic_quality: np.ndarray
    value: np.ndarray

    def __len__(self) -> int:
        return len(self.founder)


def update_status(status: np.ndarray, quality: np.ndarray, low_years: np.ndarray, dying_years: np.ndarray,
                  member_count: np.ndarray, thresholds: LifeCycleThresholds):
    """One year of each organization's life cycle (MODEL.md §4.12).

    With the ``thresholds``: counters of consecutive years: ``low_years ← low_years + 1`` where
    q_k < ``zombie_quality`` (0.3), else 0; ``dying_years ← dying_years + 1`` where q_k <
    ``death_quality`` (0.05), else 0 (a dead organization's counters stay as they were).

    Status: dead stays dead; an organization dies when it has fewer than ``death_members`` (3)
    active members or ``dying_years ≥ death_years`` (5); otherwise it is a zombie when
    ``low_years ≥ zombie_years`` (3), else alive (a zombie whose q recovers is alive again).

    Args:
        status: Per organization, ALIVE / ZOMBIE / DEAD.
        quality: Per organization, this year's performance q_k.
        low_years, dying_years: Per organization, the counters so far (integers).
        member_count: Per organization, active members (status member or notice) after this
            year's decisions.

    Returns:
        ``(new_status, low_years, dying_years, newly_dead)``; ``newly_dead`` marks organizations
        that died this year (for the event log and for ending their memberships).

    Example: q = 0.2 for three years → low_years 1, 2, 3 → alive, alive, zombie.
    """
    t = thresholds
    status = np.asarray(status)
    quality = np.asarray(quality, dtype=np.float64)
    dead = status == DEAD
    low = np.where(dead, low_years, np.where(quality < t.zombie_quality, np.asarray(low_years) + 1, 0))
    dying = np.where(dead, dying_years, np.where(quality < t.death_quality, np.asarray(dying_years) + 1, 0))
    newly_dead = ~dead & ((np.asarray(member_count) < t.death_members) | (dying >= t.death_years))
    new_status = np.where(dead | newly_dead, DEAD, np.where(low >= t.zombie_years, ZOMBIE, ALIVE))
    return new_status.astype(status.dtype), low.astype(np.int64), dying.astype(np.int64), newly_dead


def rejoins(status: np.ndarray, utility: np.ndarray, window_open: np.ndarray, threshold: float) -> np.ndarray:
    """Which non-member rows rejoin (effective next year), MODEL.md §4.12.

    ``rejoin = ũ_prospective > threshold and (status = inactive or (status = withdrawn and a
    window is open))``: a withdrawn state needs a window (a new government or a pretext) and
    accession; an inactive member returns whenever the evaluation holds. The threshold (1 year
    of dues) above the stay/leave margin 0 is hysteresis: a state does not flip back and forth.
    ``utility`` is ũ from the prospective flows (:mod:`exitsim.mechanisms.prospect`), in years of
    dues; ``window_open`` per row (index the per-state window by the row's state). Paying any
    surviving debt before the return takes effect is the caller's business.
    """
    status = np.asarray(status)
    eligible = (status == INACTIVE) | ((status == WITHDRAWN) & np.asarray(window_open, dtype=bool))
    return eligible & (np.asarray(utility, dtype=np.float64) > threshold)


def expected_foundings(alive_by_area: np.ndarray, reference_by_area: np.ndarray, rate: float, crowding: float,
                       weight: float) -> np.ndarray:
    """The mean number of organizations founded this year in each issue area (their numbers are
    drawn Poisson with these means), MODEL.md §4.12:

        E_a = (rate / w) · N_a · exp(−η_f (N_a / N⁰_a − 1))

    with N_a the area's organizations alive (zombies included), N⁰_a its number at the start
    (the density its members' budgets and attention carry; at least 1), η_f = ``crowding`` and
    w = ``weight`` (``organization_weight``). At the start density an area founds ``rate`` (0.02)
    of its organizations a year — the world founded 40–95 IGOs a decade on a stock of a few
    hundred — and fewer as it fills beyond it (e^{−0.5} ≈ 0.61 of that at 25% more with
    η_f = 2); an area without organizations founds none. In a small world each model
    organization stands for ``w`` real ones, so each founding counts w times: foundings scale
    down with w. Source: organizational ecology (Hannan & Freeman 1989: density dependence of
    foundings; applied to IGOs by Shanks, Jacobson & Kaplan 1996); MODEL.md §4.12.

    Example: 10 alive where 8 were, rate 0.02, η_f 2, w 1 → 0.2 · e^{−0.5} ≈ 0.121.
    """
    alive = np.asarray(alive_by_area, dtype=np.float64)
    reference = np.maximum(np.asarray(reference_by_area, dtype=np.float64), 1.0)
    return np.maximum(rate / weight * alive * np.exp(-crowding * (alive / reference - 1.0)), 0.0)


def vitality(quality: np.ndarray, adequacy: np.ndarray) -> np.ndarray:
    """v_k = q_k · min(1, adequacy_k): how well an organization performs and is funded, in
    [0, 1] (performance this year times the share of its need it collected)."""
    return np.clip(np.asarray(quality, dtype=np.float64), 0.0, 1.0) * np.clip(np.asarray(adequacy), 0.0, 1.0)


def failure_hazard(vitality: np.ndarray, members: np.ndarray, issue_area: np.ndarray, alive_by_area: np.ndarray,
                   reference_by_area: np.ndarray, reference_size_by_area: np.ndarray, rate: float,
                   smallness: float, weight: float) -> np.ndarray:
    """Each organization's yearly hazard of failing (it dies), MODEL.md §4.12:

        h_k = (φ / w) · (1 − v_k) · (m⁰_a / m_k)^{σ} · max(0, N_a / N⁰_a − 1)

    with v_k its :func:`vitality`, m_k its members, and for its issue area a (``issue_area``
    indexes the per-area arrays): N_a and N⁰_a the organizations alive now and at the start
    (:func:`expected_foundings`) and m⁰_a the harmonic mean of the members of its organizations
    at the start (:func:`reference_sizes`). φ = ``rate``, σ = ``smallness``, w = ``weight``.

    An issue area at its start density carries its organizations; beyond it they compete for
    their members' budgets and attention, and the weak (poorly performing, underfunded) and
    the small fail — the more, the more crowded the area. Foundings fall as the area fills
    (:func:`expected_foundings`) and failures rise, so a world settles a little above its start
    density: near-stationary, neither only growing nor only decaying. A model organization
    stands for w real ones, which do not all fail at once: hence φ / w. Source: organizational
    ecology (density-dependent mortality; the liabilities of weakness and smallness: Hannan &
    Freeman 1989); Eilstrup-Sangiovanni 2020 on the death of IOs (larger memberships die less).

    Example: v 0.5, 10 members where the typical size was 20, an area at 1.25 times its start
    density, φ 0.5, σ 1, w 1 → 0.5 · 0.5 · 2 · 0.25 = 0.125.
    """
    area = np.asarray(issue_area)
    alive = np.asarray(alive_by_area, dtype=np.float64)
    reference = np.maximum(np.asarray(reference_by_area, dtype=np.float64), 1.0)
    crowding = np.maximum(0.0, alive / reference - 1.0)[area]
    size = np.asarray(reference_size_by_area, dtype=np.float64)[area]
    small = np.where(size > 0, size / np.maximum(np.asarray(members, dtype=np.float64), 1.0), 1.0)
    hazard = rate / weight * (1.0 - np.asarray(vitality, dtype=np.float64)) * small**smallness * crowding
    return np.clip(hazard, 0.0, 1.0)


def reference_sizes(members: np.ndarray, issue_area: np.ndarray, n_areas: int) -> np.ndarray:
    """m⁰_a: the harmonic mean of the members of each issue area's organizations (0 for an area
    without any): N_a / Σ_k 1/m_k over the given organizations (those alive at the start, each
    with at least one member)."""
    members = np.maximum(np.asarray(members, dtype=np.float64), 1.0)
    area = np.asarray(issue_area, dtype=np.int64)
    count = np.bincount(area, minlength=n_areas).astype(np.float64)
    inverse = np.bincount(area, weights=1.0 / members, minlength=n_areas)
    return np.where(inverse > 0, count / np.where(inverse > 0, inverse, 1.0), 0.0)


def rules_of(institutionalization: np.ndarray, weighted_voting: np.ndarray, cap: np.ndarray,
             clause: Sequence[dict], k: int) -> dict:
    """Organization k's rules as a dict, the form a founding copies: ``{"institutionalization":
    int, "voting": "weighted" | "one_state_one_vote", "cap": float | None, "clause": dict}``,
    from the world's arrays (cap NaN: none)."""
    return {"institutionalization": int(institutionalization[k]),
            "voting": VOTING_RULES[1] if weighted_voting[k] else VOTING_RULES[0],
            "cap": None if np.isnan(cap[k]) else float(cap[k]),
            "clause": dict(clause[k])}


class FoundingPool:
    """What a year's background foundings draw from, prepared once for all of them
    (MODEL.md §4.12): the founders' cumulative power shares, the alliance partners and the
    organizations of each state. :meth:`plan` then plans a year's foundings together, at the
    cost of a few passes over the states per founding, whatever the size of the edge list.

    Args:
        power, ideal_point: Per state (ideal points n_states × dimensions).
        alliances: (pairs, 2) state indices, undirected.
        member_state, member_org: The active membership rows (state and organization per row)
            of organizations not dead.
        org_issue_area: Per organization, index into :data:`exitsim.codes.ISSUE_AREAS`.
        org_rules: Per organization, its rules (:func:`rules_of`); only the rules of the
            organization a founding copies are read.
        templates: Real organizations' templates (:func:`exitsim.clauses.load_templates`): each
            with ``abbreviation``, ``issue_area``, ``institutionalization``, ``voting``, ``cap``
            and ``clause`` (with ``to_dict()``).
        rules: The :class:`FoundingRules`. areas: The issue areas a founding draws from.
        orgs_of: Optional ``state -> organization indices`` of its active memberships, used
            instead of ``member_state`` and ``member_org`` (which may then be None).
    """

    def __init__(self, power: np.ndarray, ideal_point: np.ndarray, alliances: np.ndarray,
                 member_state: np.ndarray | None, member_org: np.ndarray | None, org_issue_area: np.ndarray,
                 org_rules: Sequence[dict], templates: Sequence, rules: FoundingRules, *,
                 areas: Sequence[str] = ISSUE_AREAS, orgs_of: Callable[[int], np.ndarray] | None = None):
        power = np.asarray(power, dtype=np.float64)
        self.n = n = len(power)
        # the founder is drawn with probability P_f / Σ P by inverting the cumulative shares with
        # one uniform: the same draw, and the same founder, as ``rng.choice(n, p=P / ΣP)``
        cdf = np.cumsum(power / power.sum())
        cdf /= cdf[-1]
        self.cdf = cdf
        self.points = np.asarray(ideal_point, dtype=np.float64).reshape(n, -1)
        self.allies = GroupIndex.of_pairs(alliances, n)
        self.orgs_of = orgs_of or GroupIndex(np.asarray(member_state), np.asarray(member_org), n).rows
        self.org_issue_area = np.asarray(org_issue_area)
        self.org_rules, self.templates, self.rules, self.areas = org_rules, templates, rules, areas

    def plan(self, draws: FoundingDraws, founders: np.ndarray | None = None, eligible: np.ndarray | None = None,
             affinity: np.ndarray | None = None) -> list[dict]:
        """Plan a year's background foundings, one per entry of ``draws`` (MODEL.md §4.12):
        founder, issue area, members, rules.

        A great power's strategy founds with the same plan (MODEL.md §4.11): ``founders`` (state
        indices, one per founding) replace the drawn founders, ``eligible`` (count × n_states)
        restricts who may be invited (the size is then at most the eligible states and the
        founder) and ``affinity`` (count × n_states, logit units) is added to the invitation
        score (alignment with the founder, need: :func:`strategies.invitation_affinity`).

        * **Founder** f: drawn with probability P_f / Σ_j P_j.
        * **Issue area**: uniform over ``areas`` (the world's 13 issue areas).
        * **Size**: uniform integer in :attr:`FoundingRules.size_range` (3–20), at most the number
          of states; the founder plus size − 1 others.
        * **Members**: the others drawn without replacement with probability
          ∝ exp(−d(x_j, x_f)/s) × (``ally_weight`` if j is allied with f else 1), s =
          ``proximity_scale``, by Gumbel top-k: the size − 1 largest of
          ``−d/s + log(ally_weight)·[ally] + Gumbel`` (one Gumbel per state, the founder excluded).
        * **Rules** — the founder's usual ones for that area: if f is an active member of
          organizations of that area, the institutionalization, voting, cap and clause of one of
          them chosen uniformly (``copied_from`` its index); else a random real template of that
          area (``template`` its abbreviation), or any template if the data has none of that area.
          The cap is kept only if the new organization has at least ``cap_min_members`` members (as
          for generated organizations, :func:`exitsim.generate.generate_organizations`).
        * **Intrinsic quality** q̄ ~ Beta(4, 2); **value** z ~ N(0, 1) (θ_k = θ e^{σ_θ z}).

        The foundings are planned together, each on the memberships of the pool (none sees
        another's members). Deterministic given the draws (:class:`FoundingDraws`).

        Returns:
            One dict per founding, like those of :func:`exitsim.generate.generate_organizations`
            without ``code``, ``name`` and ``founded`` (the caller's): ``issue_area`` (name),
            ``institutionalization``, ``voting``, ``cap`` (float or None), ``intrinsic_quality``,
            ``value``, ``clause`` (dict), ``founder`` (state index), ``members`` (sorted state
            indices, founder included), ``copied_from`` (organization index or −1), ``template``
            (abbreviation or None).
        """
        n, points, count = self.n, self.points, len(draws)
        founders = self.cdf.searchsorted(draws.founder, side="right") if founders is None else np.asarray(founders)
        areas = draws.area
        sizes = np.minimum(draws.size, n)
        if eligible is not None:  # a strategy's invitations: only the eligible (and the founder)
            eligible = np.asarray(eligible, dtype=bool).copy()
            eligible[np.arange(count), founders] = False
            sizes = np.minimum(sizes, eligible.sum(axis=1) + 1)
        gumbel, picks, qualities, values = draws.gumbel, draws.rule, draws.intrinsic_quality, draws.value

        offset = points[None, :, :] - points[founders][:, None, :]
        distance = np.sqrt(np.add.reduce(offset * offset, axis=2))
        allied = np.zeros((count, n), dtype=bool)
        for j, founder in enumerate(founders):
            allied[j, self.allies.rows(founder)] = True
        allied[np.arange(count), founders] = False
        score = -distance / self.rules.proximity_scale + np.log(self.rules.ally_weight) * allied + gumbel
        if affinity is not None:
            score = score + affinity
        if eligible is not None:
            score[~eligible] = -np.inf
        score[np.arange(count), founders] = -np.inf
        # each founding's others: the size − 1 largest scores (continuous Gumbel noise: no ties),
        # found by a partition and a sort of the few candidates rather than of every state
        take = int(sizes.max(initial=1)) - 1
        if 0 < take < n:
            ranked = np.argpartition(-score, take - 1, axis=1)[:, :take]
            ranked = np.take_along_axis(ranked, np.argsort(np.take_along_axis(-score, ranked, axis=1), axis=1), axis=1)
        else:
            ranked = np.argsort(-score, axis=1)

        plans, same_areas = [], {}  # a big state founds several: its organizations are looked up once
        for j in range(count):
            founder, area = int(founders[j]), self.areas[int(areas[j])]
            members = sorted([founder] + ranked[j, :int(sizes[j]) - 1].tolist())
            if (founder, area) not in same_areas:
                area_index = ISSUE_AREAS.index(area) if area in ISSUE_AREAS else -1
                own = self.orgs_of(founder)
                same_areas[founder, area] = distinct_sorted(own[self.org_issue_area[own] == area_index])
            same_area = same_areas[founder, area]
            copied_from, template = -1, None
            if len(same_area):
                copied_from = int(same_area[min(int(picks[j] * len(same_area)), len(same_area) - 1)])
                rules = dict(self.org_rules[copied_from])
            else:
                pool = [t for t in self.templates if t.issue_area == area] or list(self.templates)
                chosen = pool[min(int(picks[j] * len(pool)), len(pool) - 1)]
                template = chosen.abbreviation
                rules = {"institutionalization": chosen.institutionalization, "voting": chosen.voting,
                         "cap": chosen.cap, "clause": chosen.clause.to_dict()}
            cap = rules.get("cap")
            plans.append({
                "issue_area": area,
                "institutionalization": int(rules["institutionalization"]),
                "voting": rules["voting"],
                "cap": float(cap) if (cap is not None and len(members) >= self.rules.cap_min_members) else None,
                "intrinsic_quality": float(qualities[j]),
                "value": float(values[j]),
                "clause": dict(rules["clause"]),
                "founder": founder,
                "members": members,
                "copied_from": copied_from,
                "template": template,
            })
        return plans
