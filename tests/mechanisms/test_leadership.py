"""Leadership, policy and non-neutral gains (MODEL.md §4.3) on hand-computed cases."""

import numpy as np

from exitsim.mechanisms import leadership


def test_the_largest_contributor_leads_with_a_margin():
    who, share = leadership.leader(np.array([3.0, 2.0, 1.0]), np.array([5, 6, 7]), np.array([0, 0, 0]), 1.2, 1)
    assert who[0] == 5
    np.testing.assert_allclose(share, [0.5])


def test_no_leader_without_the_margin():
    who, share = leadership.leader(np.array([3.0, 2.6]), np.array([0, 1]), np.array([0, 0]), 1.2, 1)
    assert who[0] == -1 and share[0] == 0.0


def test_a_single_member_leads_and_empty_organizations_have_none():
    who, share = leadership.leader(np.array([0.5]), np.array([4]), np.array([1]), 1.2, 2)
    np.testing.assert_array_equal(who, [-1, 4])
    np.testing.assert_allclose(share, [0.0, 1.0])


def test_voting_weights_by_rule():
    contribution, org = np.array([3.0, 1.0, 3.0, 1.0]), np.array([0, 0, 1, 1])
    weights = leadership.voting_weights(contribution, org, np.array([True, False]), 2)
    np.testing.assert_allclose(weights, [0.75, 0.25, 0.5, 0.5])


def test_policy_is_the_vote_weighted_ideal_point_plus_offset():
    policy = leadership.policy_position(np.array([[1.0], [-1.0]]), np.array([0, 1]), np.array([0, 0]),
                                        np.array([0.75, 0.25]), np.array([[0.1]]), 1)
    np.testing.assert_allclose(policy, [[0.6]])


def test_nonneutral_gain_depends_on_voting_rule():
    # G = 10, a_L = 0.75, |M| = 2, α = 0.2: weighted 0.2 × 10 × 0.25 = 0.5; equal vote × 0.3 = 0.15
    h = leadership.nonneutral_gain(np.array([10.0, 10.0, 10.0]), np.array([0.75, 0.75, 0.75]), np.array([2, 2, 2]),
                                   np.array([True, False, True]), np.array([True, True, False]), 0.2, 0.3)
    np.testing.assert_allclose(h, [0.5, 0.15, 0.0])


def test_compliance_cost_grows_with_distance_and_institutionalization():
    distance = leadership.policy_distance(np.array([[0.0, 0.0]]), np.array([[1.2, 1.6]]), np.array([0]), np.array([0]))
    np.testing.assert_allclose(distance, [2.0])
    cost = leadership.compliance_cost(distance, np.array([3]), np.array([0]), np.array([5.0]), 0.2)
    np.testing.assert_allclose(cost, [2.0])  # 0.2 × 2 × 3/3 × 5
