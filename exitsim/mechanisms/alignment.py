"""Alignment drift — allies' centrifugal force (盟国离心力), MODEL.md §4.10.

Source: institutional realism on exit diplomacy (MODEL.md §8): spillover through institutions
the rival leads or co-leads pulls the hegemon's allies away (their centrifugal force); exit
diplomacy aims to cut it, exclusion and inclusion change it. Each state's alignment with the
hegemon and with the rising power drifts slowly toward the share of its institutional net gains
that comes from organizations each one leads. Alignment feeds contagion weights
(:func:`exitsim.mechanisms.contagion.affinity`) and club invitations.
"""

from __future__ import annotations

import numpy as np

from .grouping import group_sum


def row_net_gain(benefits: np.ndarray, dues: np.ndarray, compliance: np.ndarray,
                 leader_commitment: np.ndarray) -> np.ndarray:
    """A membership row's net institutional gain this year: benefits − dues − compliance −
    commitment paid (benefits = public good + access + h + transfers received, as in
    :meth:`~exitsim.mechanisms.institutions.Flows.benefits`; MODEL.md §4.4 per row)."""
    return np.asarray(benefits) - dues - compliance - leader_commitment


def alignment_targets(net_gain_rows: np.ndarray, leader_of_row_org: np.ndarray, poles: tuple[int, ...],
                      state_of_row: np.ndarray, n_states: int) -> tuple[np.ndarray, ...]:
    """Per state and pole, the share of its positive net gains that comes from organizations the
    pole leads, for several poles (the hegemon and the rising power) with each state's positive
    net gains summed once.

    ``target_i = Σ_{k led by pole} max(0, net_ik) / Σ_k max(0, net_ik)``, 0 for a state with no
    positive net gain (definitions.md). ``leader_of_row_org`` is the leader of each row's
    organization (``flows.leader[flows.org]``, −1: none); a pole of −1 (no such state) gets all
    zeros.

    Example: gains (2, 1, −3) from organizations led by (pole, other, pole) → 2 / 3.
    """
    positive = np.maximum(0.0, np.asarray(net_gain_rows, dtype=np.float64))
    denominator = group_sum(positive, state_of_row, n_states)
    share = denominator > 0
    safe = np.where(share, denominator, 1.0)
    targets = []
    for pole in poles:
        if pole < 0:
            targets.append(np.zeros(n_states))
            continue
        led = np.asarray(leader_of_row_org) == pole
        numerator = group_sum(np.where(led, positive, 0.0), state_of_row, n_states)
        targets.append(np.where(share, numerator / safe, 0.0))
    return tuple(targets)


def drift(alignment: np.ndarray, target: np.ndarray, rate: float) -> np.ndarray:
    """a ← a + 0.05 (target − a): alignment moves slowly toward its target (``alignment_rate``).

    At the start a is set to its target (definitions.md).
    """
    alignment = np.asarray(alignment, dtype=np.float64)
    return alignment + rate * (np.asarray(target, dtype=np.float64) - alignment)
