"""The great-power strategies' mechanisms (MODEL.md §4.11) on hand-computed cases."""

from dataclasses import replace

import numpy as np
import pytest

from exitsim.clauses import load_templates
from exitsim.codes import ISSUE_AREAS
from exitsim.mechanisms import lifecycle, strategies
from exitsim.mechanisms.coefficients import from_parameters
from exitsim.mechanisms.decision import NOTICE, STAY, THREAT
from exitsim.parameters import make_params
from exitsim.phases.lifecycle import founding_draws

FOUNDING = lifecycle.FoundingRules(min_members=3, max_members=20, cap_min_members=50, ally_weight=2.0,
                                   proximity_scale=1.0)


def test_the_coefficients_are_read_from_the_registry():
    c = from_parameters(strategies.StrategyCoefficients, make_params(strategy_trigger=1.2, fill_fraction=0.3))
    assert (c.trigger, c.fill_fraction, c.actions_per_year, c.gamma) == (1.2, 0.3, 2, 0.5)


def test_the_trigger_fires_below_the_lead_and_not_at_it():
    assert strategies.triggered(14.0, 10.0, 1.5)           # 1.4 < 1.5
    assert not strategies.triggered(15.0, 10.0, 1.5)       # exactly 1.5: not yet
    assert strategies.triggered(9.0, 10.0, 1.5)            # overtaken: active too
    assert not strategies.triggered(1.0, 0.0, 1.5)         # no rising power


def test_ranked_keeps_the_positive_eligible_scores_highest_first():
    score = np.array([0.5, 2.0, -1.0, 2.0, 0.0, 3.0])
    eligible = np.array([True, True, True, True, True, False])
    assert strategies.ranked(score, eligible, 10).tolist() == [1, 3, 0]   # a tie: lower index first
    assert strategies.ranked(score, eligible, 2).tolist() == [1, 3]
    assert strategies.ranked(score, eligible, 0).tolist() == []


def test_interleaved_takes_each_kind_in_turn_starting_where_asked():
    lists = (np.array([7, 8, 9]), np.array([5]), np.array([1, 2]))
    assert strategies.interleaved(4, *lists) == [(0, 7), (1, 5), (2, 1), (0, 8)]
    assert strategies.interleaved(4, *lists, start=2) == [(2, 1), (0, 7), (1, 5), (2, 2)]
    assert strategies.interleaved(10, *lists, start=5) == [(2, 1), (0, 7), (1, 5), (2, 2), (0, 8), (0, 9)]


def test_drifting_allies_are_allies_more_aligned_with_the_rival():
    allied = np.array([True, True, True, False])
    hegemon = np.array([0.6, 0.2, 0.3, 0.0])
    rising = np.array([0.1, 0.4, 0.3, 0.9])
    assert strategies.drifting(allied, hegemon, rising).tolist() == [False, True, False, False]


def test_relative_gains_balance_by_hand():
    # rival +3, drifting allies +1, the hegemon +2, its c* 4: (3 + 1 − 2) / 4 = 0.5
    balance = strategies.relative_gains_balance(np.array([2.0, 5.0]), np.array([3.0, 0.0]), np.array([1.0, 0.0]),
                                                np.array([4.0, 2.0]))
    np.testing.assert_allclose(balance, [0.5, -2.5])


@pytest.mark.parametrize("payoff, threat, allowed, window, pretext, expected", [
    (2.0, 1.0, True, False, False, NOTICE),     # leaving pays more than the threat
    (-1.0, 0.5, True, False, False, THREAT),    # leaving is costly: threaten
    (-1.0, 0.5, False, False, False, STAY),     # a threat made last year: nothing
    (-1.0, -0.2, True, False, False, STAY),     # neither pays
    (-0.5, -0.2, True, True, False, THREAT),    # a window: −0.2 + 0.7 > 0 and beats −0.5 + 0.7
    (9.0, 7.0, True, False, False, NOTICE),     # both clipped at 5: a tie goes to the notice
])
def test_strategic_choice_follows_the_payoffs(payoff, threat, allowed, window, pretext, expected):
    move = strategies.strategic_choice(np.array([payoff]), np.array([threat]), np.array([allowed]),
                                       np.array([window]), np.array([pretext]), 1.0, 0.7, 0.7, 5.0)
    assert move.tolist() == [expected]


def test_reformed_cap_cuts_the_hegemons_share():
    np.testing.assert_allclose(strategies.reformed_cap(np.array([np.nan, 0.25, 0.5]), np.array([0.4, 0.4, 0.4]), 0.2),
                               [0.32, 0.25, 0.32])


def test_admission_is_likelier_the_more_the_members_are_aligned_with_the_rising_power():
    np.testing.assert_allclose(strategies.admission_probability(np.array([0.0, 0.2, 1.0, 1.5]), 0.5),
                               [0.5, 0.6, 1.0, 1.0])


def test_binding_is_distance_times_institutionalization_over_three():
    np.testing.assert_allclose(strategies.binding(np.array([1.5, 0.0]), np.array([2, 3])), [1.0, 0.0])


def test_an_amendment_lowers_the_members_utility_by_the_binding_it_adds():
    # benefits 3, dues 2, compliance 0.5, c* 2, d 1, inst 2 → 3: net (3 − 2 − 0.75)/2 = 0.125,
    # binding λ d inst/3 = 1: ũ 0.25 − 2/3 → 0.125 − 1
    before, after = strategies.amended_utility(np.array([3.0]), np.array([2.0]), np.array([0.5]), np.array([2.0]),
                                               np.array([1.0]), np.array([2]), np.array([False]), 1.0, 0.5, 5.0)
    np.testing.assert_allclose(before, [0.25 - 2 / 3])
    np.testing.assert_allclose(after, [0.125 - 1.0])
    top, same = strategies.amended_utility(np.array([3.0]), np.array([2.0]), np.array([0.5]), np.array([2.0]),
                                           np.array([1.0]), np.array([3]), np.array([False]), 1.0, 0.5, 5.0)
    np.testing.assert_allclose(top, same)  # institutionalization is at most 3


def test_club_invitations_go_to_the_aligned_never_the_rival():
    eligible = strategies.club_eligible(np.array([0.9, 0.6, 0.4, 0.8, 0.5]), 0.5, founder=0, rival=3)
    assert eligible.tolist() == [False, True, False, False, True]


def test_institutional_need_ranks_states_from_the_least_gaining():
    np.testing.assert_allclose(strategies.institutional_need(np.array([0.02, -0.01, 0.05, 0.02])),
                               [1 / 3, 1.0, 0.0, 1 / 3])
    assert strategies.institutional_need(np.array([0.3])).tolist() == [0.0]


def test_invitation_affinity_by_hand():
    np.testing.assert_allclose(strategies.invitation_affinity(np.array([0.5, 0.0]), np.array([0.25, 1.0]), 2.0),
                               [1.5, 2.0])


def test_pledges_by_hand():
    np.testing.assert_allclose(strategies.gap_pledge(np.array([10.0, 5.0]), np.array([6.0, 7.0]), 0.5), [2.0, 0.0])
    np.testing.assert_allclose(strategies.founder_pledge(np.array([8.0]), 0.25), [2.0])


def test_budget_terms_pay_pledges_only_on_the_contributors_rows():
    terms = strategies.BudgetTerms(contributors=np.array([0, 2]), pledge=np.array([[1.0, 0.0], [0.0, 3.0]]),
                                   short_base=np.array([False, True]), short_years=1)
    state, org = np.array([0, 1, 2, 0, 2]), np.array([0, 0, 0, 1, 1])
    np.testing.assert_allclose(terms.row_pledges(state, org), [1.0, 0.0, 0.0, 0.0, 3.0])
    assert replace(terms, pledge=np.zeros((2, 2))).row_pledges(state, org) is None
    history = np.array([[4.0, 2.0, 0.0], [1.0, 1.0, 1.0], [9.0, 3.0, 3.0]])
    np.testing.assert_allclose(terms.short_assessment_base(history), [4.0, 1.0, 9.0])
    two = replace(terms, short_years=2)
    np.testing.assert_allclose(two.short_assessment_base(history), [3.0, 1.0, 6.0])


def test_a_strategy_founds_with_its_founder_among_the_eligible_only():
    n = 12
    power = np.r_[1.0, 1e6, np.ones(n - 2)]   # state 1 would found every background founding
    pool = lifecycle.FoundingPool(power, np.zeros((n, 1)), np.zeros((0, 2), dtype=int), np.zeros(0, int),
                                  np.zeros(0, int), np.zeros(0, int), (), load_templates(), FOUNDING)
    eligible = np.zeros((2, n), dtype=bool)
    eligible[:, [2, 3, 4, 5]] = True
    eligible[:, 0] = True   # the founder is always a member: its own mark is ignored
    draws = founding_draws(np.random.default_rng(1), np.arange(2), n, FOUNDING)
    draws = replace(draws, size=np.array([20, 3]), area=np.array([4, 0]))
    plans = pool.plan(draws, founders=np.array([0, 0]), eligible=eligible)
    assert plans[0]["founder"] == 0 and plans[0]["members"] == [0, 2, 3, 4, 5]   # all four, not 20
    assert plans[0]["issue_area"] == ISSUE_AREAS[4]
    assert len(plans[1]["members"]) == 3 and set(plans[1]["members"]) <= {0, 2, 3, 4, 5}


def test_an_invitation_affinity_decides_who_joins():
    n = 30
    power = np.ones(n)
    pool = lifecycle.FoundingPool(power, np.zeros((n, 1)), np.zeros((0, 2), dtype=int), np.zeros(0, int),
                                  np.zeros(0, int), np.zeros(0, int), (), load_templates(), FOUNDING)
    affinity = np.zeros((1, n))
    affinity[0, 20:] = 50.0     # far above the Gumbel noise
    draws = replace(founding_draws(np.random.default_rng(3), np.arange(1), n, FOUNDING), size=np.array([6]))
    (plan,) = pool.plan(draws, founders=np.array([0]), affinity=affinity)
    assert plan["members"][0] == 0 and all(j >= 20 for j in plan["members"][1:])
