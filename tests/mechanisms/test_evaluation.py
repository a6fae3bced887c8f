"""Evaluation of memberships (MODEL.md §4.5) on hand-computed cases."""

import numpy as np

from exitsim.mechanisms import evaluation


def _utility(benefits=1.0, dues=1.0, compliance=0.0, c_star=1.0, distance=0.0, inst=3, nativist=0,
             rival=0.0, gamma=0.0, lam=1.0, mu=0.5):
    arrays = [np.atleast_1d(np.asarray(v, dtype=float))
              for v in (benefits, dues, compliance, c_star, distance, inst, nativist, rival)]
    return evaluation.membership_utility(*arrays, gamma, lam, mu, ratio_clip=5.0)


def test_utility_by_hand():
    # row 0: (3 − 2 − 0.5)/2 − 1·1·3/3 − 0.5·[nativist]·3/3 = 0.25 − 1 − 0.5
    # row 1: (1 − 1 − 0)/1 − 1·0.5·1.5/3 − γ·2/1 = −0.25 − 2
    u = evaluation.membership_utility(
        np.array([3.0, 1.0]), np.array([2.0, 1.0]), np.array([0.5, 0.0]), np.array([2.0, 1.0]),
        np.array([1.0, 0.5]), np.array([3.0, 1.5]), np.array([1, 0]), np.array([0.0, 2.0]),
        1.0, 1.0, 0.5, ratio_clip=5.0)
    np.testing.assert_allclose(u, [-1.25, -2.25])


def test_ratio_terms_are_clipped_at_five():
    # benefits 100 c*: the material term is 5; a rival gaining 100 c* costs at most 5
    np.testing.assert_allclose(_utility(benefits=100.0), [5.0])
    np.testing.assert_allclose(_utility(benefits=100.0, rival=100.0, gamma=1.0), [0.0])
    np.testing.assert_allclose(_utility(benefits=0.0, dues=50.0), [-5.0])


def test_utility_is_in_years_of_own_dues():
    small = _utility(benefits=2.0, dues=1.0, compliance=0.2, c_star=1.0, distance=0.3)
    large = _utility(benefits=2e6, dues=1e6, compliance=2e5, c_star=1e6, distance=0.3)
    np.testing.assert_allclose(small, large)


def test_divergence_lowers_utility():
    u = _utility(benefits=2.0, distance=[0.0, 0.5, 1.0, 2.0])
    assert np.all(np.diff(u) < 0)


def test_exit_terms_split_minus_utility():
    # benefits 0.5, dues 1.2, compliance 0.1, c* 1, d 0.2, inst 3:
    # performance 1 − 0.5, cost 1.2 − 1, preferences 0.1 + 0.2
    rows = [np.array([v]) for v in (0.5, 1.2, 0.1, 1.0, 0.2, 3, 0, 0.0)]
    terms = evaluation.exit_terms(*rows, 0.0, 1.0, 0.5, ratio_clip=5.0)
    assert tuple(terms) == evaluation.UTILITY_TERMS
    np.testing.assert_allclose([terms[k][0] for k in evaluation.UTILITY_TERMS], [0.5, 0.2, 0.3])
    u = _utility(benefits=0.5, dues=1.2, compliance=0.1, distance=0.2)
    np.testing.assert_allclose(u, [-1.0])


def test_exit_terms_sum_to_minus_utility_under_clipping():
    rng = np.random.default_rng(0)
    n = 50
    args = (rng.lognormal(0, 2, n), rng.lognormal(0, 1, n), rng.lognormal(-1, 1, n),
            rng.lognormal(0, 1, n), rng.uniform(0, 2, n), rng.integers(1, 4, n),
            rng.integers(0, 2, n), rng.normal(0, 5, n))
    terms = evaluation.exit_terms(*args, 1.0, 1.0, 0.5, ratio_clip=5.0)
    u = evaluation.membership_utility(*args, 1.0, 1.0, 0.5, ratio_clip=5.0)
    np.testing.assert_allclose(sum(terms.values()), -u)


def test_rival_gain_rows():
    net = np.array([1.0, 2.0, 3.0, 4.0])
    state, org = np.array([0, 1, 2, 1]), np.array([0, 0, 1, 1])
    gain = evaluation.rival_gain_rows(net, state, org, 1, 3)
    np.testing.assert_allclose(gain, [2.0, 0.0, 4.0, 0.0])
    np.testing.assert_allclose(evaluation.rival_gain_rows(net, state, org, -1, 3), np.zeros(4))
    # the rival's rows apart: its gain per organization (organization 2 has none of its rows)
    np.testing.assert_allclose(evaluation.rival_gain_by_organization(net[state == 1], org[state == 1], 3),
                               [2.0, 4.0, 0.0])


def test_switching_cost_by_hand():
    # contested, democracy 0.5, arrears 4, c* 2 → 1 + 0.1 + 2
    # lawful, democracy 1, arrears 100 c* → 0.2 + 5 (arrears clipped at 5 years)
    cost = evaluation.switching_cost(np.array([True, False]), np.array([0.5, 1.0]),
                                     np.array([4.0, 100.0]), np.array([2.0, 1.0]), 1.0, 0.2, 5.0)
    np.testing.assert_allclose(cost, [3.1, 5.2])
    free = evaluation.switching_cost(np.array([False]), np.array([0.0]), np.array([0.0]),
                                     np.array([3.0]), 1.0, 0.2, 5.0)
    np.testing.assert_allclose(free, [0.0])


def test_reputation_falls_with_violations_and_recovers():
    r = evaluation.update_reputation(np.array([1.0, 0.5, 0.1]), np.array([1, 0, 1]), loss=0.2, recovery=0.05)
    np.testing.assert_allclose(r, [0.8, 0.55, 0.0])
