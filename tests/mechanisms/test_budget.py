"""Budget and dues (MODEL.md §4.1) on hand-computed cases."""

import math

import numpy as np
import pytest

from exitsim.mechanisms import budget

NAN = float("nan")


def test_assessment_base_is_the_mean_of_the_history():
    history = np.array([[1.0, 2.0, 3.0], [4.0, 4.0, 4.0]])
    np.testing.assert_allclose(budget.assessment_base(history), [2.0, 4.0])


def test_backcast_history_discounts_by_growth():
    history = budget.backcast_history(np.array([100.0]), np.array([0.1]), 3)
    np.testing.assert_allclose(history[0], [100.0, 100.0 * math.exp(-0.1), 100.0 * math.exp(-0.2)])


def test_uncapped_assessment_scales_with_weight_rate_and_base():
    c_star = budget.uncapped_assessment(np.array([50.0, 10.0]), np.array([2e-5]), np.array([0, 1]),
                                        np.array([0, 0]), organization_weight=8.0)
    np.testing.assert_allclose(c_star, [8 * 2e-5 * 50, 8 * 2e-5 * 10])


def test_effective_cap_is_relaxed_to_an_equal_split_and_nan_means_none():
    np.testing.assert_allclose(budget.effective_cap(np.array([0.22, 0.22, NAN]), np.array([3, 10, 4])),
                               [1 / 3, 0.22, 1.0])


def test_initial_need_forgoes_the_capped_excess():
    # c* = (10, 1, 1), cap 0.5: the big member is capped at 0.5 N, so N = 2 / (1 − 0.5) = 4.
    need = budget.initial_need(np.array([10.0, 1.0, 1.0]), np.array([0, 0, 0]), np.array([0.5]), 1)
    np.testing.assert_allclose(need, [4.0])


def test_initial_need_without_cap_is_the_sum_of_assessments():
    need = budget.initial_need(np.array([3.0, 1.0, 2.0]), np.array([0, 0, 1]), np.array([NAN, NAN]), 2)
    np.testing.assert_allclose(need, [4.0, 2.0])


def _dues(c_star, need, cap=NAN, discount=None, last=None, floor=0.0, rise=0.1):
    c_star = np.asarray(c_star, float)
    n = len(c_star)
    return budget.dues(c_star, np.zeros(n) if discount is None else np.asarray(discount, float),
                       np.zeros(n, dtype=int), np.array([need]), np.array([cap]), floor,
                       np.zeros(n) if last is None else np.asarray(last, float), rise, 1)


def test_dues_are_proportional_to_assessments_when_nothing_binds():
    paid, shortfall = _dues([1.0, 3.0], 4.0)
    np.testing.assert_allclose(paid, [1.0, 3.0])
    np.testing.assert_allclose(shortfall, [0.0])


def test_a_discount_moves_dues_onto_the_other_members():
    # weights (1, 3 × 0.5) = (1, 1.5); λ = 4 / 2.5 = 1.6 → (1.6, 2.4)
    paid, _ = _dues([1.0, 3.0], 4.0, discount=[0.0, 0.5])
    np.testing.assert_allclose(paid, [1.6, 2.4])


def test_rise_cap_limits_the_redistributed_share():
    # As above but last year's dues were (1, 3): member 0 may pay at most 1.1,
    # so member 1 pays the remaining 2.9 (≤ 3.3, its own rise cap).
    paid, shortfall = _dues([1.0, 3.0], 4.0, discount=[0.0, 0.5], last=[1.0, 3.0])
    np.testing.assert_allclose(paid, [1.1, 2.9])
    np.testing.assert_allclose(shortfall, [0.0])


def test_a_need_nobody_can_meet_leaves_a_shortfall():
    # Both at their rise cap 1.1: collected 2.2 of a need of 4.
    paid, shortfall = _dues([1.0, 1.0], 4.0, last=[1.0, 1.0])
    np.testing.assert_allclose(paid, [1.1, 1.1])
    np.testing.assert_allclose(shortfall, [1.8])


def test_cap_is_water_filled():
    # c* = (8, 1, 1), need 6, cap 0.5: the big member pays 3; the others split 3 → 1.5 each.
    paid, _ = _dues([8.0, 1.0, 1.0], 6.0, cap=0.5)
    np.testing.assert_allclose(paid, [3.0, 1.5, 1.5])


def test_floor_lifts_the_smallest_member():
    paid, _ = _dues([1e-9, 1.0], 1.0, floor=1e-5)
    np.testing.assert_allclose(paid, [1e-5, 1.0 - 1e-5])


def test_commitment_only_for_security_organizations_with_a_leader():
    owed = budget.commitment(np.array([3, -1, 2]), np.array([True, True, False]), np.array([10.0, 10.0, 10.0]), 0.5)
    np.testing.assert_allclose(owed, [5.0, 0.0, 0.0])


@pytest.mark.parametrize("leaving", [0, 1, 2])
def test_when_a_member_leaves_the_need_stays(leaving):
    c_star = np.array([2.0, 1.0, 1.0])
    paid, _ = _dues(c_star, 4.0)
    kept = np.delete(np.arange(3), leaving)
    after, shortfall = _dues(c_star[kept], 4.0)
    assert after.sum() + shortfall[0] == pytest.approx(4.0)
    assert np.all(after >= paid[kept] - 1e-12)


def test_members_at_the_cap_pay_bit_identical_dues():
    # Four members, cap 1/4: everyone pays N/4 exactly, so a tie is a tie (the leader rule
    # compares contributions; one bit of rounding must not pick a leader). Without snapping to
    # the bound, this case left the free member one bit off the others.
    c_star = np.array([0.5854277164019691, 1.5022927339645136, 1.0513482083264103, 0.20174659476351492])
    need = budget.initial_need(c_star, np.zeros(4, dtype=int), np.array([0.25]), 1)
    paid, shortfall = _dues(c_star, need[0], cap=0.25, floor=1e-5)
    assert len(set(paid.tolist())) == 1
    assert paid.sum() + shortfall[0] == pytest.approx(need[0])
