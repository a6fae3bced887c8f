"""Domestic politics — nativism, turnovers, windows, MODEL.md §4.9.

Sources (MODEL.md §8):

* Institutional retrenchment: domestic politics constrains and guides retrenchment;
  favourable conditions (windows: a new government) come first; retrenchment soothes
  nativists; relative decline feeds nativist demands.
* Hello-goodbye (von Borzyskowski & Vabulas 2019): nationalism is not closely linked to
  withdrawal — here nativism acts only through who governs (μ in ũ, windows), not directly.

Per-state arrays (one value per state); random draws are arguments (one per state).
"""

from __future__ import annotations

import numpy as np

from .decision import logistic


def relative_decline(share_now: np.ndarray, share_5_years_ago: np.ndarray) -> np.ndarray:
    """max(0, (s_{t−5} − s_t) / s_{t−5}): the fall in world power share over 5 years, relative.

    ``s`` is the state's share of world power (definitions.md); 0 where the old share is 0.
    Example: 0.2 → 0.15 is a relative decline of 0.25; a rise is 0.
    """
    old = np.asarray(share_5_years_ago, dtype=np.float64)
    now = np.asarray(share_now, dtype=np.float64)
    decline = (old - now) / np.where(old > 0, old, 1.0)
    return np.where(old > 0, np.maximum(0.0, decline), 0.0)


def update_nativism(n: np.ndarray, n_bar: np.ndarray, relative_decline: np.ndarray,
                    noise: np.ndarray, reversion: float, noise_scale: float,
                    decline_effect: float) -> np.ndarray:
    """n ← clip(n + 0.1 (n̄ + κ_d d − n) + 0.05 ε, 0, 1), d the relative decline over 5 years.

    Nativism reverts (``reversion``, 0.1 of the gap a year) toward a level that relative decline
    raises: n̄ + κ_d d, with κ_d = ``decline_effect`` (1: a 10% loss of world power share over
    five years lifts the level by 0.1), plus a standard-normal shock ε per state
    (``noise_scale``). Decline moves the level nativism tends to, not nativism itself each year:
    a steady decline d holds nativism near n̄ + κ_d d (the fixed point without noise), and when
    the decline stops nativism returns to n̄. (Adding κ_d d to n every year, the earlier form,
    counts a steady decline again each year: its fixed point n̄ + κ_d d / 0.1 sent a declining
    hegemon to 1.) Source: institutional retrenchment (domestic politics; relative decline feeds
    nativist demands); MODEL.md §4.9.

    Example: n = 0.4, n̄ = 0.3, d = 0.1, κ_d = 1, ε = 0 → 0.4 + 0.1 (0.4 − 0.4) = 0.4: at its level.
    """
    n = np.asarray(n, dtype=np.float64)
    level = np.asarray(n_bar, dtype=np.float64) + decline_effect * np.asarray(relative_decline, dtype=np.float64)
    return np.clip(n + reversion * (level - n) + noise_scale * np.asarray(noise), 0.0, 1.0)


def turnovers(year: int, democracy: np.ndarray, election_phase: np.ndarray, uniform: np.ndarray,
              period: int, autocratic_hazard: float, democracy_threshold: float) -> np.ndarray:
    """Which states change government this year (a boolean mask).

    Democracies (democracy ≥ 0.5) hold elections every ``period`` (4) years: a turnover when
    ``(year − phase) % 4 == 0``. Others change leader with hazard 0.05 (1 − democracy): a
    turnover when the state's uniform draw is below it. Every turnover redraws the government
    (:func:`new_government_nativist`) and opens a window (:func:`window_open`).
    Source: institutional retrenchment (windows); MODEL.md §4.9.
    """
    democracy = np.asarray(democracy, dtype=np.float64)
    election = (year - np.asarray(election_phase, dtype=np.int64)) % period == 0
    leader_change = np.asarray(uniform) < autocratic_hazard * (1.0 - democracy)
    return np.where(democracy >= democracy_threshold, election, leader_change)


def new_government_nativist(n: np.ndarray, uniform: np.ndarray, slope: float) -> np.ndarray:
    """At a turnover, the new government is nativist when u < logistic(6 (n − 0.5)).

    Example: n = 0.5 → probability 0.5; n = 1 → 0.95. Source: MODEL.md §4.9.
    """
    return np.asarray(uniform) < logistic(slope * (np.asarray(n, dtype=np.float64) - 0.5))


def window_open(last_turnover_year: np.ndarray, year: int) -> np.ndarray:
    """A window of opportunity is open in the year of a turnover and the next (definitions.md).

    ``last_turnover_year`` per state (:data:`exitsim.codes.NEVER` if none yet).
    Source: institutional retrenchment (favourable conditions: a new government).
    """
    since = year - np.asarray(last_turnover_year, dtype=np.int64)
    return (since >= 0) & (since <= 1)


def soothe(n: np.ndarray, gave_notice_nativist: np.ndarray, relief: float) -> np.ndarray:
    """n ← max(0, n − 0.05) for states whose nativist government gave notice this year.

    ``gave_notice_nativist`` per state is a flag or a count of such notices; a state is soothed
    once a year however many notices it gave. Source: institutional retrenchment
    (retrenchment soothes nativists).
    """
    flag = np.asarray(gave_notice_nativist) > 0
    return np.clip(np.asarray(n, dtype=np.float64) - relief * flag, 0.0, 1.0)
