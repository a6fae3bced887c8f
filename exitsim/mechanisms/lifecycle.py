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

from collections.abc import Sequence

import numpy as np

from ..clauses import Template, load_templates
from ..world import ALIVE, DEAD, INACTIVE, ISSUE_AREAS, VOTING_RULES, WITHDRAWN, ZOMBIE


def update_status(status: np.ndarray, quality: np.ndarray, low_years: np.ndarray, dying_years: np.ndarray,
                  member_count: np.ndarray, zombie_quality: float = 0.3, zombie_years: int = 3,
                  death_quality: float = 0.05, death_years: int = 5, death_members: int = 3):
    """One year of each organization's life cycle (MODEL.md §4.12).

    Counters of consecutive years: ``low_years ← low_years + 1`` where q_k < ``zombie_quality``
    (0.3), else 0; ``dying_years ← dying_years + 1`` where q_k < ``death_quality`` (0.05), else 0
    (a dead organization's counters stay as they were).

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
    status = np.asarray(status)
    quality = np.asarray(quality, dtype=np.float64)
    dead = status == DEAD
    low = np.where(dead, low_years, np.where(quality < zombie_quality, np.asarray(low_years) + 1, 0))
    dying = np.where(dead, dying_years, np.where(quality < death_quality, np.asarray(dying_years) + 1, 0))
    newly_dead = ~dead & ((np.asarray(member_count) < death_members) | (dying >= death_years))
    new_status = np.where(dead | newly_dead, DEAD, np.where(low >= zombie_years, ZOMBIE, ALIVE))
    return new_status.astype(status.dtype), low.astype(np.int64), dying.astype(np.int64), newly_dead


def rejoins(status: np.ndarray, utility: np.ndarray, window_open: np.ndarray, threshold: float = 1.0) -> np.ndarray:
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


def founding_count(n_alive: int, rate: float, rng: np.random.Generator) -> int:
    """How many organizations are founded this year: Poisson(rate × n_alive).

    ``rate`` = 0.02 of the organizations alive (zombies included) a year: the world founded
    40–95 IGOs a decade on a stock of a few hundred (MODEL.md §4.12).
    """
    return int(rng.poisson(max(rate * n_alive, 0.0)))


def organization_rules(institutionalization: np.ndarray, weighted_voting: np.ndarray, cap: np.ndarray,
                       clause: Sequence[dict]) -> list[dict]:
    """Each organization's rules as a dict, the form :func:`plan_founding` copies from.

    ``{"institutionalization": int, "voting": "weighted" | "one_state_one_vote",
    "cap": float | None, "clause": dict}`` per organization, from the world's arrays (cap NaN:
    none). A comprehension over organizations, used only when a founding is planned.
    """
    return [{"institutionalization": int(institutionalization[k]),
             "voting": VOTING_RULES[1] if weighted_voting[k] else VOTING_RULES[0],
             "cap": None if np.isnan(cap[k]) else float(cap[k]),
             "clause": dict(clause[k])}
            for k in range(len(clause))]


def _allies_of(alliances: np.ndarray, founder: int, n_states: int) -> np.ndarray:
    """Boolean mask over states: the founder's alliance partners (pairs are undirected)."""
    pairs = np.asarray(alliances, dtype=np.int64).reshape(-1, 2)
    mask = np.zeros(n_states, dtype=bool)
    mask[pairs[pairs[:, 0] == founder, 1]] = True
    mask[pairs[pairs[:, 1] == founder, 0]] = True
    mask[founder] = False
    return mask


def plan_founding(rng: np.random.Generator, power: np.ndarray, ideal_point: np.ndarray, alliances: np.ndarray,
                  member_state: np.ndarray, member_org: np.ndarray, org_issue_area: np.ndarray,
                  org_rules: Sequence[dict], templates: Sequence[Template] | None = None, *,
                  min_members: int = 3, max_members: int = 20, cap_min_members: int = 50,
                  ally_weight: float = 2.0, proximity_scale: float = 1.0,
                  areas: Sequence[str] = ISSUE_AREAS, orgs_of=None) -> dict:
    """Plan one background founding (MODEL.md §4.12): founder, issue area, members and rules.

    * **Founder** f: drawn with probability P_f / Σ_j P_j.
    * **Issue area**: uniform over ``areas`` (the world's 13 issue areas).
    * **Size**: uniform integer in [``min_members``, ``max_members``] (3–20), at most the number
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

    Deterministic given ``rng``'s state; the draws are, in order: founder, area, size, Gumbels
    (one per state), the rule choice, q̄, z.

    Args:
        rng: The founding phase's generator.
        power, ideal_point: Per state (ideal points n_states × dimensions).
        alliances: (pairs, 2) state indices, undirected.
        member_state, member_org: The active membership rows (state and organization per row)
            of organizations not dead.
        org_issue_area: Per organization, index into :data:`exitsim.world.ISSUE_AREAS`.
        org_rules: Per organization, its rules (:func:`organization_rules`).
        templates: Real organizations' templates (default :func:`exitsim.clauses.load_templates`).
        orgs_of: Optional ``state -> organization indices`` of its active memberships (an index
            built once for a year's foundings), used instead of scanning ``member_state``.

    Returns:
        A dict like those of :func:`exitsim.generate.generate_organizations` without ``code``,
        ``name`` and ``founded`` (the caller's): ``issue_area`` (name), ``institutionalization``,
        ``voting``, ``cap`` (float or None), ``intrinsic_quality``, ``value``, ``clause`` (dict),
        ``founder`` (state index), ``members`` (sorted state indices, founder included),
        ``copied_from`` (organization index or −1), ``template`` (abbreviation or None).
    """
    power = np.asarray(power, dtype=np.float64)
    n = len(power)
    points = np.asarray(ideal_point, dtype=np.float64).reshape(n, -1)
    founder = int(rng.choice(n, p=power / power.sum()))
    area = areas[int(rng.integers(len(areas)))]
    size = min(int(rng.integers(min_members, max_members + 1)), n)

    distance = np.linalg.norm(points - points[founder], axis=1)
    allied = _allies_of(alliances, founder, n)
    score = -distance / proximity_scale + np.log(ally_weight) * allied + rng.gumbel(size=n)
    score[founder] = -np.inf
    take = size - 1  # the largest scores (continuous Gumbel noise: no ties), found without a full sort
    others = np.argpartition(-score, take - 1)[:take] if 0 < take < n else np.argsort(-score, kind="stable")[:take]
    members = sorted([founder] + [int(j) for j in others])

    member_state = np.asarray(member_state)
    member_org = np.asarray(member_org)
    area_index = ISSUE_AREAS.index(area) if area in ISSUE_AREAS else -1
    own = np.unique(orgs_of(founder) if orgs_of is not None else member_org[member_state == founder])
    same_area = own[np.asarray(org_issue_area)[own] == area_index] if len(own) else own
    copied_from, template = -1, None
    if len(same_area):
        copied_from = int(same_area[rng.integers(len(same_area))])
        rules = dict(org_rules[copied_from])
    else:
        templates = load_templates() if templates is None else templates
        pool = [t for t in templates if t.issue_area == area] or list(templates)
        chosen = pool[int(rng.integers(len(pool)))]
        template = chosen.abbreviation
        rules = {"institutionalization": chosen.institutionalization, "voting": chosen.voting,
                 "cap": chosen.cap, "clause": chosen.clause.to_dict()}
    quality = float(rng.beta(4.0, 2.0))
    value = float(rng.normal(0.0, 1.0))
    cap = rules.get("cap")
    return {
        "issue_area": area,
        "institutionalization": int(rules["institutionalization"]),
        "voting": rules["voting"],
        "cap": float(cap) if (cap is not None and len(members) >= cap_min_members) else None,
        "intrinsic_quality": quality,
        "value": value,
        "clause": dict(rules["clause"]),
        "founder": founder,
        "members": members,
        "copied_from": copied_from,
        "template": template,
    }
