"""Contagion — a leading state's exit spreads to its partners, MODEL.md §4.8.

Source: Hello-goodbye (von Borzyskowski & Vabulas 2019): a leading state's withdrawal is
contagious — other members, above all its allies and like-minded states, are more likely to
leave the same organization (and organizations of the same issue area) the following years.

Exposure X lives on membership rows (one value per edge-list row). In phase 7 it first decays
(:func:`decay`), then each of this year's spreading notices adds to it (:func:`add_exposure`);
it enters next year's V_notice as β_c X (one-year lag, no within-year cascades). A lead state's
notice is exposure 1 on each co-member's row, which β_c = 3.2 turns into an odds ratio of about
25. :func:`cascades` measures cascade sizes at the end of a run (an outcome).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from .grouping import GroupIndex, distinct_sorted


def decay(exposure: np.ndarray, retained: float = 0.5) -> np.ndarray:
    """X ← retained · X: exposure halves each year (``exposure_retained``, 0.5)."""
    return retained * np.asarray(exposure, dtype=np.float64)


def partners(alliances: np.ndarray, state: int, n_states: int) -> np.ndarray:
    """A boolean mask over states: the alliance partners of ``state``.

    ``alliances`` is the world's (pairs, 2) array of state indices (undirected). Scanned per
    call in O(pairs): no n × n matrix is ever built, so 2,000-state worlds stay cheap.
    """
    mask = np.zeros(n_states, dtype=bool)
    pairs = np.asarray(alliances, dtype=np.int64).reshape(-1, 2)
    mask[pairs[pairs[:, 0] == state, 1]] = True
    mask[pairs[pairs[:, 1] == state, 0]] = True
    mask[state] = False
    return mask


def affinity(leaver: int, ideal_point: np.ndarray, alliances: np.ndarray,
             align_hegemon: np.ndarray, align_rising: np.ndarray, hegemon: int, rising: int,
             proximity_scale: float = 0.5) -> np.ndarray:
    """a_jL for every state j: how much j follows the leaver L.

    ``a_jL = max(alliance_jL, exp(−d(x_j, x_L) / 0.5), alignment of j with L if L is the hegemon
    or the rising power)``, with d the Euclidean distance of ideal points and alignment from
    :mod:`exitsim.mechanisms.alignment`. Values in [0, 1] (alignment is a share).
    """
    return affinities([leaver], ideal_point, alliances, align_hegemon, align_rising, hegemon, rising,
                      proximity_scale)[0]


def affinities(leavers: np.ndarray, ideal_point: np.ndarray, alliances: np.ndarray,
               align_hegemon: np.ndarray, align_rising: np.ndarray, hegemon: int, rising: int,
               proximity_scale: float = 0.5) -> np.ndarray:
    """:func:`affinity` for several leavers at once: row j is ``affinity(leavers[j], …)``
    (n_leavers × n_states), with the alliances read once. An ally's value is 1: exp(−d/s) ≤ 1."""
    leavers = np.asarray(leavers, dtype=np.int64).ravel()
    n_states = len(ideal_point)
    points = np.asarray(ideal_point, dtype=np.float64).reshape(n_states, -1)
    offset = points[None, :, :] - points[leavers][:, None, :]
    value = np.exp(-np.sqrt(np.add.reduce(offset * offset, axis=2)) / proximity_scale)
    allies = GroupIndex.of_pairs(alliances, n_states)
    for j, leaver in enumerate(leavers.tolist()):
        partner = allies.rows(leaver)
        value[j, partner[partner != leaver]] = 1.0  # max(1, exp(−d/s)) = 1 for an ally
        if leaver == hegemon and hegemon >= 0:
            value[j] = np.maximum(value[j], align_hegemon)
        if leaver == rising and rising >= 0:
            value[j] = np.maximum(value[j], align_rising)
    return value


def add_exposure(exposure: np.ndarray, state: np.ndarray, org: np.ndarray, active: np.ndarray,
                 issue_area: np.ndarray, power: np.ndarray, ideal_point: np.ndarray,
                 alliances: np.ndarray, align_hegemon: np.ndarray, align_rising: np.ndarray,
                 hegemon: int, rising: int, notice_rows: Sequence[int] | np.ndarray,
                 same_issue_spill: float = 0.3, proximity_scale: float = 0.5,
                 cap: float = 3.0, rows_by_state: GroupIndex | None = None) -> np.ndarray:
    """Add this year's notices to the exposure of the other members (MODEL.md §4.8).

    For each notice (row r: state L gives notice to organization k):

    * every other active member j of k gains ``w_L a_jL`` on its (j, k) row, with
      ``w_L = P_L / max_{m∈M_k} P_m`` (1 for k's most powerful member, the lead state; M_k
      includes L) and ``a_jL`` from :func:`affinity`;
    * on j's active rows in every other organization k′ of k's issue area of which L is also an
      active member, j gains ``same_issue_spill`` (0.3) × ``w_L a_jL`` (w_L computed in k).

    Exposure is then capped at ``cap`` (3). Notices add up. Which notices spread is the
    caller's choice (lawful notices, walk-outs and scheduled notices do; non-treaty exits do
    not). A walked-out leaver's own row may already be inactive: it still counts in M_k for w_L.

    Args:
        exposure: X per edge-list row (not modified; a new array is returned).
        state, org: The edge list's state and organization per row.
        active: Rows that are active members (member or notice) of living organizations.
        issue_area: Per organization. power, ideal_point: Per state.
        alliances: (pairs, 2) state indices. align_hegemon, align_rising: per state.
        hegemon, rising: State indices (−1: none). notice_rows: Edge-list rows of the notices.
        rows_by_state: Optionally, the caller's index of every edge-list row by state (the
            active ones are picked from it), instead of one built here.
    """
    exposure = np.array(exposure, dtype=np.float64)
    state, org = np.asarray(state), np.asarray(org)
    active = np.asarray(active, dtype=bool)
    power = np.asarray(power, dtype=np.float64)
    issue_area = np.asarray(issue_area)
    n_states = len(power)
    notice_rows = np.asarray(notice_rows, dtype=np.int64).ravel()
    if len(notice_rows) == 0:
        return np.minimum(exposure, cap)
    live = np.flatnonzero(active)
    by_org = GroupIndex(org[live], live, int(org.max(initial=-1)) + 1)
    if rows_by_state is None:
        rows_by_state = GroupIndex(state[live], live, n_states)
    leavers = state[notice_rows]
    follow = affinities(leavers, ideal_point, alliances, align_hegemon, align_rising, hegemon, rising,
                        proximity_scale)
    for j, r in enumerate(notice_rows):  # a year's few notices; each touches only the organizations involved
        leaver, k = int(leavers[j]), int(org[r])
        in_k = by_org.rows(k)
        members = state[in_k]
        lead_power = max(float(power[members].max(initial=0.0)), float(power[leaver]))
        weight = power[leaver] / lead_power if lead_power > 0 else 0.0
        gain = np.zeros(n_states)
        gain[members] = weight * follow[j, members]  # k's members only, the leaver excluded
        gain[leaver] = 0.0
        exposure[in_k] += gain[members]
        own = rows_by_state.rows(leaver)
        own = org[own[active[own]]]
        same_area = distinct_sorted(own[(own != k) & (issue_area[own] == issue_area[k])])
        if len(same_area):  # distinct organizations: distinct rows, added at once
            rows = np.concatenate([by_org.rows(int(other)) for other in same_area])
            exposure[rows] += same_issue_spill * gain[state[rows]]
    return np.minimum(exposure, cap)


def update_exposure(exposure: np.ndarray, *args, retained: float = 0.5, **kwargs) -> np.ndarray:
    """Phase 7: first :func:`decay`, then :func:`add_exposure` (same arguments after
    ``exposure``), capped. So last year's lead-state notice (exposure 1) is 0.5 this year."""
    return add_exposure(decay(exposure, retained), *args, **kwargs)


def cascades(notices: pd.DataFrame | Mapping[str, Sequence], members_at_seed: Sequence,
             issue_area: np.ndarray, last_year: int, hegemon: int = -1,
             window: int = 2) -> pd.DataFrame:
    """Contagion cascades, an outcome computed at the end of a run (MODEL.md §4.8, §5).

    ``notices`` has one record per notice: columns ``year``, ``state``, ``org`` and ``was_lead``
    (the state was k's lead state — most powerful member — when it gave notice). A notice is a
    **seed** when ``was_lead`` or when its state is the ``hegemon``. ``members_at_seed[i]`` is
    the collection of states that were members of ``org[i]`` at notice i (needed for seeds
    only; None elsewhere).

    A notice f **follows** seed s when ``year_s + 1 ≤ year_f ≤ year_s + window``, its state is
    another member of k at the seed, and it is to k or to an organization of k's issue area.
    Each follower is attributed to the earliest seed it follows (ties: the first record), and a
    seed may itself follow an earlier seed. A seed is **censored** when ``year_s + window >
    last_year`` (its window runs past the end of the run).

    Returns one row per seed: ``notice`` (record index), ``year``, ``state``, ``org``, ``size``
    (number of followers), ``followers`` (their record indices), ``censored``.
    Source: Hello-goodbye (leader-exit contagion); definitions.md (cascade).
    """
    table = pd.DataFrame(notices).reset_index(drop=True)
    year = table["year"].to_numpy(dtype=np.int64)
    who = table["state"].to_numpy(dtype=np.int64)
    where = table["org"].to_numpy(dtype=np.int64)
    area = np.asarray(issue_area)[where] if len(where) else np.array([], dtype=np.int64)
    lead = (table["was_lead"].to_numpy(dtype=bool) if "was_lead" in table
            else np.zeros(len(table), dtype=bool))
    is_seed = lead | ((who == hegemon) & (hegemon >= 0))
    seeds = sorted(np.flatnonzero(is_seed), key=lambda i: (year[i], i))
    attributed = np.full(len(table), -1, dtype=np.int64)
    for s in seeds:
        members = np.asarray(list(members_at_seed[s]), dtype=np.int64)
        follows = ((year >= year[s] + 1) & (year <= year[s] + window) & (who != who[s])
                   & np.isin(who, members) & ((where == where[s]) | (area == area[s]))
                   & (attributed < 0))
        attributed[follows] = s
    rows = [{"notice": int(s), "year": int(year[s]), "state": int(who[s]), "org": int(where[s]),
             "size": int((attributed == s).sum()),
             "followers": [int(f) for f in np.flatnonzero(attributed == s)],
             "censored": bool(year[s] + window > last_year)} for s in sorted(seeds)]
    columns = ["notice", "year", "state", "org", "size", "followers", "censored"]
    return pd.DataFrame(rows, columns=columns)
