"""Contagion — a leading state's exit spreads to its partners, MODEL.md §4.8.

Source: Hello-goodbye (von Borzyskowski & Vabulas 2019): a leading state's withdrawal is
contagious — other members, above all its allies and like-minded states, are more likely to
leave the same organization (and organizations of the same issue area) the following years.

Exposure X lives on membership rows (one value per edge-list row). In phase 7 it first decays
(:func:`decay`), then each of this year's spreading notices adds to it (:func:`add_exposure`);
it enters next year's V_notice as β_c X (one-year lag, no within-year cascades). A lead state's
notice is exposure 1 on each co-member's row, which β_c = 3.2 turns into an odds ratio of about
25. Cascade sizes, an outcome, are measured from the notices in :mod:`exitsim.cascades`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from .coefficients import parameter
from .grouping import GroupIndex, distinct_sorted


@dataclass(frozen=True)
class ContagionCoefficients:
    """The numbers of contagion (MODEL.md §4.8), read from the registry by
    :func:`~exitsim.mechanisms.coefficients.from_parameters`: the share of exposure ``retained``
    a year (``exposure_retained``), the ``same_issue_spill`` to same-area organizations, the
    ``proximity_scale`` of affinity and the ``cap`` on exposure (``exposure_cap``)."""

    retained: float = parameter("exposure_retained")
    same_issue_spill: float = parameter()
    proximity_scale: float = parameter()
    cap: float = parameter("exposure_cap")


def decay(exposure: np.ndarray, retained: float) -> np.ndarray:
    """X ← retained · X: exposure halves each year (``exposure_retained``, 0.5)."""
    return retained * np.asarray(exposure, dtype=np.float64)


def affinities(leavers: np.ndarray, ideal_point: np.ndarray, alliances: np.ndarray,
               align_hegemon: np.ndarray, align_rising: np.ndarray, hegemon: int, rising: int,
               proximity_scale: float) -> np.ndarray:
    """a_jL: how much each state j follows each leaver L (n_leavers × n_states).

    ``a_jL = max(alliance_jL, exp(−d(x_j, x_L) / s), alignment of j with L if L is the hegemon
    or the rising power)``, with d the Euclidean distance of ideal points, s =
    ``proximity_scale`` (0.5) and alignment from :mod:`exitsim.mechanisms.alignment`. Values in
    [0, 1] (alignment is a share); an ally's value is 1, as exp(−d/s) ≤ 1. The alliances are
    read once for all leavers.
    """
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
                 hegemon: int, rising: int, notice_rows: Sequence[int] | np.ndarray, c: ContagionCoefficients,
                 rows_by_state: GroupIndex | None = None) -> np.ndarray:
    """Add this year's notices to the exposure of the other members (MODEL.md §4.8).

    For each notice (row r: state L gives notice to organization k):

    * every other active member j of k gains ``w_L a_jL`` on its (j, k) row, with
      ``w_L = P_L / max_{m∈M_k} P_m`` (1 for k's most powerful member, the lead state; M_k
      includes L) and ``a_jL`` from :func:`affinities`;
    * on j's active rows in every other organization k′ of k's issue area of which L is also an
      active member, j gains ``same_issue_spill`` (0.3) × ``w_L a_jL`` (w_L computed in k).

    Exposure is then capped at ``c.cap`` (3). Notices add up. Which notices spread is the
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
        return np.minimum(exposure, c.cap)
    live = np.flatnonzero(active)
    by_org = GroupIndex(org[live], live, int(org.max(initial=-1)) + 1)
    if rows_by_state is None:
        rows_by_state = GroupIndex(state[live], live, n_states)
    leavers = state[notice_rows]
    follow = affinities(leavers, ideal_point, alliances, align_hegemon, align_rising, hegemon, rising,
                        c.proximity_scale)
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
            exposure[rows] += c.same_issue_spill * gain[state[rows]]
    return np.minimum(exposure, c.cap)


def update_exposure(exposure: np.ndarray, *args, c: ContagionCoefficients, **kwargs) -> np.ndarray:
    """Phase 7: first :func:`decay`, then :func:`add_exposure` (same arguments after
    ``exposure``), capped. So last year's lead-state notice (exposure 1) is 0.5 this year."""
    return add_exposure(decay(exposure, c.retained), *args, c=c, **kwargs)
