"""Domestic politics (MODEL.md §4.9) on hand-computed cases."""

import math

import numpy as np

from exitsim.codes import NEVER
from exitsim.mechanisms import domestic


def test_relative_decline_by_hand():
    decline = domestic.relative_decline(np.array([0.15, 0.3, 0.1]), np.array([0.2, 0.2, 0.0]))
    np.testing.assert_allclose(decline, [0.25, 0.0, 0.0])


def test_nativism_update_by_hand():
    # level n̄ + κ_d d = 0.6 + 1 · 0.1 = 0.7: 0.4 + 0.1 (0.7 − 0.4) + 0.05 · 1 = 0.48;
    # 0.95 + 0.1 (0.9 + 0.3 − 0.95) + 0.05 = 1.025, clipped at 1; 0.02 + 0.1 (0 − 0.02) − 0.1 < 0, clipped at 0
    n = domestic.update_nativism(np.array([0.4, 0.95, 0.02]), np.array([0.6, 0.9, 0.0]),
                                 np.array([0.1, 0.3, 0.0]), np.array([1.0, 1.0, -2.0]),
                                 reversion=0.1, noise_scale=0.05, decline_effect=1.0)
    np.testing.assert_allclose(n, [0.48, 1.0, 0.0])


def _settle(n, n_bar, decline, years):
    """Nativism after ``years`` of a constant relative decline, without noise."""
    n = np.asarray(n, dtype=float)
    for _ in range(years):
        n = domestic.update_nativism(n, n_bar, decline, np.zeros_like(n), reversion=0.1, noise_scale=0.05,
                                     decline_effect=1.0)
    return n


def test_a_steady_decline_raises_nativism_to_a_bounded_level():
    # n̄ 0.45 and a 20% loss of share every five years, year after year: the level is 0.45 + 0.2 = 0.65,
    # approached from 0.45 as 0.65 − 0.2 · 0.9^t (0.65 − 0.2 · 0.9^50 ≈ 0.6490), never 1
    n = _settle([0.45], [0.45], [0.2], 50)
    np.testing.assert_allclose(n, [0.65 - 0.2 * 0.9**50])
    assert _settle([0.45], [0.45], [0.2], 500)[0] < 0.65 + 1e-12


def test_without_decline_nativism_reverts_to_its_long_run_level():
    # from 0.9 to n̄ = 0.3: 0.3 + 0.6 · 0.9^t
    n = _settle([0.9, 0.1], [0.3, 0.3], [0.0, 0.0], 30)
    np.testing.assert_allclose(n, [0.3 + 0.6 * 0.9**30, 0.3 - 0.2 * 0.9**30])


def turnovers(year, democracy, phase, uniform):
    """Elections every 4 years from democracy 0.5; leader changes with hazard 0.05 (1 − democracy)."""
    return domestic.turnovers(year, democracy, phase, uniform, period=4, autocratic_hazard=0.05,
                              democracy_threshold=0.5)


def test_democracies_turn_over_on_their_election_cycle():
    democracy = np.array([0.9, 0.6, 0.5, 0.2])
    phase = np.array([0, 1, 2, 0])
    uniform = np.ones(4)  # no autocratic leader change
    np.testing.assert_array_equal(turnovers(2024, democracy, phase, uniform),
                                  [True, False, False, False])
    np.testing.assert_array_equal(turnovers(2026, democracy, phase, uniform),
                                  [False, False, True, False])
    years = range(2020, 2033)
    hits = [y for y in years if turnovers(y, democracy[:1], phase[:1], uniform[:1])[0]]
    assert hits == [2020, 2024, 2028, 2032]


def test_autocracies_change_leader_with_a_hazard():
    # hazard 0.05 (1 − 0.2) = 0.04 and 0.05 (1 − 0) = 0.05
    democracy = np.array([0.2, 0.2, 0.0, 0.0])
    uniform = np.array([0.039, 0.041, 0.049, 0.051])
    np.testing.assert_array_equal(turnovers(2024, democracy, np.zeros(4, int), uniform),
                                  [True, False, True, False])


def test_new_government_is_nativist_with_a_logistic_probability():
    # n = 0.5 → 0.5; n = 1 → logistic(3) ≈ 0.9526
    p_high = 1 / (1 + math.exp(-3))
    uniform = np.array([0.49, 0.51, p_high - 1e-6, p_high + 1e-6])
    nativist = domestic.new_government_nativist(np.array([0.5, 0.5, 1.0, 1.0]), uniform, slope=6.0)
    np.testing.assert_array_equal(nativist, [True, False, True, False])


def test_window_is_open_in_the_turnover_year_and_the_next():
    last = np.array([2024, 2023, 2022, NEVER, 2025])
    np.testing.assert_array_equal(domestic.window_open(last, 2024),
                                  [True, True, False, False, False])


def test_soothing_nativists():
    n = domestic.soothe(np.array([0.5, 0.5, 0.03]), np.array([1, 0, 3]), relief=0.05)
    np.testing.assert_allclose(n, [0.45, 0.5, 0.0])
