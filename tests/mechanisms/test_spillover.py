"""Output and spillover (MODEL.md §4.2) on hand-computed cases."""

import numpy as np

from exitsim.mechanisms import spillover


def test_performance_moves_toward_quality_times_adequacy():
    q = spillover.performance(np.array([0.5, 0.5]), np.array([0.8, 0.8]), np.array([0.5, 2.0]),
                              np.zeros(2), adjustment=0.3, noise_scale=0.05)
    # targets 0.4 and 0.8 (adequacy capped at 1): 0.5 + 0.3 (0.4 − 0.5), 0.5 + 0.3 (0.8 − 0.5)
    np.testing.assert_allclose(q, [0.47, 0.59])


def test_performance_stays_in_the_unit_interval():
    q = spillover.performance(np.array([0.9, 0.1]), np.array([1.0, 0.0]), np.ones(2),
                              np.array([10.0, -10.0]), adjustment=0.3, noise_scale=0.05)
    np.testing.assert_allclose(q, [1.0, 0.0])


def test_output_is_value_times_quality_times_budget():
    np.testing.assert_allclose(spillover.output(np.array([2.0]), np.array([0.5]), np.array([3.0])), [3.0])


def test_shares_follow_power_to_the_absorptive_exponent():
    power, state, org = np.array([1.0, 4.0]), np.array([0, 1]), np.array([0, 0])
    for exponent, shares in ((0.5, [1 / 3, 2 / 3]), (0.0, [0.5, 0.5])):
        row_weight, member_weight, _ = spillover.absorptive_weights(power, state, org, exponent, 1)
        np.testing.assert_allclose(spillover.share_by_power(row_weight, member_weight, org), shares)


def test_leak_goes_to_non_members_by_power():
    # P = (1, 4, 9), ν = 0.5 → weights (1, 2, 3); state 0 alone is a member and 1 unit leaks:
    # the non-members 1 and 2 get 2/5 and 3/5.
    power = np.array([1.0, 4.0, 9.0])
    state, org = np.array([0]), np.array([0])
    outside = spillover.absorptive_weights(power, state, org, 0.5, 1)[2]
    np.testing.assert_allclose(outside, [5.0])
    leak = spillover.leak_to_nonmembers(power, state, org, np.array([1.0]), outside, 0.5, 3)
    np.testing.assert_allclose(leak, [0.0, 0.4, 0.6])


def test_an_organization_of_everyone_leaks_nothing():
    power = np.array([1.0, 4.0])
    outside = spillover.absorptive_weights(power, np.array([0, 1]), np.array([0, 0]), 0.5, 1)[2]
    outsiders = spillover.has_outsiders(outside, power, 0.5)
    np.testing.assert_array_equal(outsiders, [False])
    np.testing.assert_allclose(spillover.member_pool_fraction(outsiders, 0.1), [1.0])
    np.testing.assert_allclose(spillover.member_pool_fraction(np.array([True]), 0.1), [0.9])


def test_public_good_is_share_times_pool():
    np.testing.assert_allclose(spillover.public_good(np.array([6.0]), np.array([1 / 3, 2 / 3]), np.array([0, 0])),
                               [2.0, 4.0])


def test_access_spillover_counts_the_other_members_power():
    # P = (1, 2, 7), W = 10; org 0 = {0, 1}, q = 0.5, rate 0.1:
    # s_0 = 0.1 × 0.5 × 1 × 2 / 10 = 0.01, s_1 = 0.1 × 0.5 × 2 × 1 / 10 = 0.01
    access = spillover.access_spillover(np.array([1.0, 2.0, 7.0]), np.array([0, 1]), np.array([0, 0]),
                                        np.array([0.5]), 0.1, 1)
    np.testing.assert_allclose(access, [0.01, 0.01])


def test_the_biggest_member_gains_least_relative_to_its_power():
    power = np.array([1.0, 2.0, 7.0])
    state, org = np.array([0, 1, 2]), np.array([0, 0, 0])
    rate = spillover.access_spillover(power, state, org, np.array([1.0]), 0.1, 1) / power
    assert rate[2] < rate[1] < rate[0]
