"""Alignment drift (MODEL.md §4.10) on hand-computed cases."""

import numpy as np

from exitsim.mechanisms import alignment


def target(net, leader, pole, state, n_states):
    """The alignment target of one pole."""
    return alignment.alignment_targets(net, leader, (pole,), state, n_states)[0]


def test_target_is_the_share_of_positive_gains_from_pole_led_organizations():
    # state 0: gains (2, 1, −3) in organizations led by (pole 7, state 4, pole 7) → 2 / 3
    # state 1: gain 0.5 from a leaderless organization → 0; state 2: only losses → 0
    # state 3: all positive gains from the pole's organizations → 1
    net = np.array([2.0, 1.0, -3.0, 0.5, -1.0, 4.0, 1.0])
    leader = np.array([7, 4, 7, -1, 7, 7, 7])
    state = np.array([0, 0, 0, 1, 2, 3, 3])
    np.testing.assert_allclose(target(net, leader, 7, state, 5), [2 / 3, 0, 0, 1, 0])


def test_no_pole_gives_zero_targets():
    # a missing pole (−1) must not match leaderless organizations (leader −1)
    net, leader, state = np.array([1.0, 2.0]), np.array([-1, -1]), np.array([0, 1])
    target_of = target(net, leader, -1, state, 2)
    np.testing.assert_allclose(target_of, [0.0, 0.0])


def test_drift_by_hand():
    moved = alignment.drift(np.array([0.5, 0.0]), np.array([1.0, 0.5]), rate=0.05)
    np.testing.assert_allclose(moved, [0.525, 0.025])
    np.testing.assert_allclose(alignment.drift(np.array([0.5]), np.array([1.0]), rate=1.0), [1.0])


def test_row_net_gain():
    gain = alignment.row_net_gain(np.array([3.0]), np.array([1.0]), np.array([0.5]),
                                  np.array([0.25]))
    np.testing.assert_allclose(gain, [1.25])


def test_targets_of_both_poles_at_once_are_each_poles_target():
    rng = np.random.default_rng(4)
    net = rng.normal(size=40)
    leader = rng.integers(-1, 5, size=40)
    state = rng.integers(0, 6, size=40)
    hegemon, rising, missing = alignment.alignment_targets(net, leader, (2, 4, -1), state, 7)
    np.testing.assert_array_equal(hegemon, target(net, leader, 2, state, 7))
    np.testing.assert_array_equal(rising, target(net, leader, 4, state, 7))
    assert missing.tolist() == [0.0] * 7
