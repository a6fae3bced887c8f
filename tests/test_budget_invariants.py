"""Invariants of the dues water-filling and the initial need (MODEL.md §4.1), on random inputs.

:func:`exitsim.mechanisms.budget.dues` must hand out exactly the need (or everything it can,
the rest being the shortfall), respect the effective cap and the yearly rise cap, and move a
departed member's share or a discount onto the others without lowering anyone's dues;
:func:`exitsim.mechanisms.budget.initial_need` must be the largest fixed point of
``N = Σ min(c*, cap_eff N)``. Both are also checked against the reference bisection
(``reference_step.water_fill``) and on hand-computed cases.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from reference_step import water_fill
from world_strategies import finite, log_uniform

from exitsim.mechanisms.budget import dues, effective_cap, initial_need

REL = 1e-9


@st.composite
def dues_inputs(draw, min_rows: int = 1):
    """Random arguments of :func:`dues` (floor small enough that Σ lower ≤ need)."""
    n_orgs = draw(st.integers(1, 4))
    n_rows = draw(st.integers(min_rows, 16))
    org = np.array([draw(st.integers(0, n_orgs - 1)) for _ in range(n_rows)], dtype=np.int32)
    c_star = np.array([draw(log_uniform(1e-3, 1e3)) for _ in range(n_rows)])
    discount = np.array([draw(st.one_of(st.just(0.0), finite(0.0, 0.5))) for _ in range(n_rows)])
    totals = np.bincount(org, weights=c_star, minlength=n_orgs)
    need = np.array([draw(finite(0.2, 2.0)) * (totals[k] or 1.0) for k in range(n_orgs)])
    cap = np.array([draw(st.one_of(st.just(math.nan), finite(0.05, 1.0))) for _ in range(n_orgs)])
    floor_share = draw(st.one_of(st.just(0.0), st.just(1e-5), finite(0.0, 0.05)))
    # last year's dues: 0 (new member) or around its proportional share, so the rise cap binds
    last = np.array([draw(st.one_of(st.just(0.0), finite(0.3, 1.5)))
                     * c_star[r] * need[org[r]] / totals[org[r]] for r in range(n_rows)])
    rise_cap = draw(st.one_of(st.just(0.1), finite(0.0, 1.0)))
    return c_star, discount, org, need, cap, floor_share, last, rise_cap, n_orgs


def bounds(c_star, discount, org, need, cap, floor_share, last, rise_cap, n_orgs):
    """(upper, lower) per row, from the definitions."""
    cap_eff = effective_cap(cap, np.bincount(org, minlength=n_orgs))
    upper = cap_eff[org] * need[org]
    upper = np.where(last > 0, np.minimum(upper, (1 + rise_cap) * last), upper)
    return upper, np.minimum(floor_share * need[org], upper)


@given(dues_inputs())
def test_dues_and_shortfall_add_up_to_need(args):
    paid, shortfall = dues(*args)
    c_star, discount, org, need, cap, floor_share, last, rise_cap, n_orgs = args
    upper, lower = bounds(*args)
    collected = np.bincount(org, weights=paid, minlength=n_orgs)
    sum_lower = np.bincount(org, weights=lower, minlength=n_orgs)
    fits = sum_lower <= need
    np.testing.assert_allclose((collected + shortfall)[fits], need[fits], rtol=REL)
    assert (shortfall >= 0).all()
    # a shortfall only when everyone is at its upper bound
    sum_upper = np.bincount(org, weights=upper, minlength=n_orgs)
    short = shortfall > REL * need
    np.testing.assert_allclose(collected[short], sum_upper[short], rtol=REL)


@given(dues_inputs())
def test_dues_within_cap_rise_cap_and_floor(args):
    paid, _ = dues(*args)
    c_star, discount, org, need, cap, floor_share, last, rise_cap, n_orgs = args
    upper, lower = bounds(*args)
    cap_eff = effective_cap(cap, np.bincount(org, minlength=n_orgs))
    assert (paid <= cap_eff[org] * need[org] * (1 + 1e-12)).all(), "above the effective cap"
    old = last > 0
    assert (paid[old] <= (1 + rise_cap) * last[old] * (1 + 1e-12)).all(), "above the rise cap"
    assert (paid >= lower * (1 - 1e-12)).all(), "below the floor"


@given(dues_inputs())
def test_dues_equal_reference_bisection(args):
    paid, shortfall = dues(*args)
    c_star, discount, org, need, cap, floor_share, last, rise_cap, n_orgs = args
    upper, lower = bounds(*args)
    for k in range(n_orgs):
        rows = np.flatnonzero(org == k)
        expected = water_fill(list((1 - discount[rows]) * c_star[rows]), list(lower[rows]),
                              list(upper[rows]), float(need[k]))
        np.testing.assert_allclose(paid[rows], expected, rtol=REL, atol=1e-13 * need[k])
        assert shortfall[k] == pytest.approx(max(0.0, need[k] - math.fsum(expected)), rel=REL,
                                             abs=1e-12 * need[k])


@given(dues_inputs(min_rows=2), st.data())
def test_a_departure_does_not_lower_the_others_dues(args, data):
    c_star, discount, org, need, cap, floor_share, last, rise_cap, n_orgs = args
    paid, _ = dues(*args)
    gone = data.draw(st.integers(0, len(org) - 1), label="departing row")
    keep = np.arange(len(org)) != gone
    after, _ = dues(c_star[keep], discount[keep], org[keep], need, cap, floor_share, last[keep],
                    rise_cap, n_orgs)
    assert (after >= paid[keep] * (1 - 1e-12) - 1e-15 * need[org[keep]]).all()


@given(dues_inputs(), st.data())
def test_a_discount_does_not_lower_the_others_dues(args, data):
    c_star, discount, org, need, cap, floor_share, last, rise_cap, n_orgs = args
    paid, _ = dues(*args)
    row = data.draw(st.integers(0, len(org) - 1), label="discounted row")
    larger = discount.copy()
    larger[row] = data.draw(finite(discount[row], 0.5), label="new discount")
    after, _ = dues(c_star, larger, org, need, cap, floor_share, last, rise_cap, n_orgs)
    others = np.arange(len(org)) != row
    assert (after[others] >= paid[others] * (1 - 1e-12) - 1e-15 * need[org[others]]).all()
    assert after[row] <= paid[row] * (1 + 1e-12) + 1e-15 * need[org[row]]


@st.composite
def need_inputs(draw):
    n_orgs = draw(st.integers(1, 4))
    n_rows = draw(st.integers(0, 16))
    org = np.array([draw(st.integers(0, n_orgs - 1)) for _ in range(n_rows)], dtype=np.int32)
    c_star = np.array([draw(log_uniform(1e-3, 1e3)) for _ in range(n_rows)])
    cap = np.array([draw(st.one_of(st.just(math.nan), finite(0.05, 1.0))) for _ in range(n_orgs)])
    return c_star, org, cap, n_orgs


@given(need_inputs())
def test_initial_need_is_the_largest_fixed_point(args):
    c_star, org, cap, n_orgs = args
    need = initial_need(c_star, org, cap, n_orgs)
    cap_eff = effective_cap(cap, np.bincount(org, minlength=n_orgs))

    def g(k, n):
        return math.fsum(min(c, cap_eff[k] * n) for c in c_star[org == k])

    for k in range(n_orgs):
        if not (org == k).any():
            assert need[k] == 0.0
            continue
        assert need[k] > 0
        assert need[k] == pytest.approx(g(k, need[k]), rel=REL), "not a fixed point"
        above = need[k] * (1 + 1e-6)
        assert g(k, above) < above, "a larger fixed point exists"
        if math.isnan(cap[k]):
            assert need[k] == pytest.approx(c_star[org == k].sum(), rel=1e-12)


# --- hand-computed cases -----------------------------------------------------------------------

def test_hand_cap_example():
    """c* = (10, 1, 1), cap 0.5: N = 2 / (1 − 0.5) = 4; the big member pays 2, the others 1."""
    c_star, org, cap = np.array([10.0, 1.0, 1.0]), np.zeros(3, dtype=int), np.array([0.5])
    need = initial_need(c_star, org, cap, 1)
    assert need == pytest.approx([4.0])
    paid, shortfall = dues(c_star, np.zeros(3), org, need, cap, 0.0, np.zeros(3), 0.1, 1)
    assert paid == pytest.approx([2.0, 1.0, 1.0])
    assert shortfall == pytest.approx([0.0])
    # no cap: N = Σ c* = 12; a cap below 1/|M| = 1/3 is relaxed to 1/3: N = 3 · min c* = 3.
    assert initial_need(c_star, org, np.array([np.nan]), 1) == pytest.approx([12.0])
    assert initial_need(c_star, org, np.array([0.2]), 1) == pytest.approx([3.0])


def test_hand_rise_cap_example():
    """c* = (6, 3, 1), N = 10, no cap, floor 0, last dues (6, 2, 2), rise cap 10%.

    Uppers: (6.6, 2.2, 2.2). λ = 10/10 = 1 gives (6, 3, 1): member 1 is 0.8 above its 2.2, no
    one below: fix it at 2.2. The rest, 7.8, over weights 6 + 1: λ = 7.8/7 = 1.1143 gives
    6.686 for member 0, above its 6.6: fix it. Member 2 pays 10 − 6.6 − 2.2 = 1.2 ≤ 2.2.
    Dues (6.6, 2.2, 1.2), no shortfall.

    With last dues (6, 2, 1) member 2's upper is 1.1 < 1.2: everyone at its upper, 9.9 paid,
    shortfall 0.1.
    """
    c_star, org, need, cap = np.array([6.0, 3.0, 1.0]), np.zeros(3, dtype=int), np.array([10.0]), np.array([np.nan])
    paid, shortfall = dues(c_star, np.zeros(3), org, need, cap, 0.0, np.array([6.0, 2.0, 2.0]), 0.1, 1)
    assert paid == pytest.approx([6.6, 2.2, 1.2])
    assert shortfall == pytest.approx([0.0], abs=1e-12)
    paid, shortfall = dues(c_star, np.zeros(3), org, need, cap, 0.0, np.array([6.0, 2.0, 1.0]), 0.1, 1)
    assert paid == pytest.approx([6.6, 2.2, 1.1])
    assert shortfall == pytest.approx([0.1])


def test_hand_discount_example():
    """c* = (4, 4, 2), N = 10, no cap, member 0 discounted by 0.5: weights (2, 4, 2), λ = 10/8.

    Dues (2.5, 5, 2.5): the discount moves 1.5 of member 0's 4 onto the others, ∝ their c*.
    """
    paid, shortfall = dues(np.array([4.0, 4.0, 2.0]), np.array([0.5, 0.0, 0.0]), np.zeros(3, dtype=int),
                           np.array([10.0]), np.array([np.nan]), 0.0, np.zeros(3), 0.1, 1)
    assert paid == pytest.approx([2.5, 5.0, 2.5])
    assert shortfall == pytest.approx([0.0], abs=1e-12)
