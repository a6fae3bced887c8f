"""Decisions (MODEL.md §4.6) on hand-computed cases, and the retrenchment pattern as an outcome."""

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from exitsim.mechanisms import decision, evaluation

#: The coefficients of the hand-computed cases below (the numbers in their comments).
HAND = dict(baseline_notice=-8.0, baseline_threat=-8.0, beta_utility=1.0, beta_contagion=3.2, beta_window=0.7,
            beta_pretext=0.7, beta_nativism=0.0, temperature=1.0, payoff_clip=5.0, horizon=5.0, credibility_cost=0.3)


def choice(**changes) -> decision.ChoiceCoefficients:
    """The hand-computed cases' choice coefficients, with some changed."""
    return decision.ChoiceCoefficients(**(HAND | changes))


def concede(share, payoff, reputation=1.0, credibility=0.3):
    """p_concede with ζ0 −3, ζ1 15 and payoffs clipped at 5."""
    return decision.concession_probability(share, payoff, -3.0, 15.0, credibility, reputation, 5.0)


def discount_value(ratio, discount=0.2):
    """A dues concession's value over 5 years, ratios clipped at 5."""
    return decision.concession_value(ratio, discount, 5.0, 5.0)


def test_exit_payoff_by_hand():
    # ũ −1, D 1, S̃ 1.2 → 4 − 1.2; D past the horizon → −S̃; ũ +0.5, D 0, S̃ 0.2 → −2.5 − 0.2
    pi = decision.exit_payoff(np.array([-1.0, -1.0, 0.5]), np.array([1.0, 6.0, 0.0]),
                              np.array([1.2, 1.2, 0.2]), horizon=5.0)
    np.testing.assert_allclose(pi, [2.8, -1.2, -2.7])


def test_concession_probability_by_hand():
    p = concede(np.array([0.2, 0.0, 0.2]), np.array([0.0, 10.0, 0.0]), reputation=np.array([1.0, 1.0, 0.5]))
    # logistic(−3 + 3) = 0.5; π clipped at 5: logistic(−3 + 1.5); reputation 0.5 halves it
    np.testing.assert_allclose(p, [0.5, 1 / (1 + math.exp(1.5)), 0.25])


def test_a_powerful_threatener_wins_more_often():
    p = concede(np.array([0.01, 0.1, 0.3, 0.6]), np.zeros(4))
    assert np.all(np.diff(p) > 0)


def test_a_less_credible_exit_weakens_the_threat():
    p = concede(np.full(3, 0.1), np.array([2.0, 0.0, -2.0]))
    assert np.all(np.diff(p) < 0)


def test_concession_values_by_hand():
    value = discount_value(np.array([1.0, 10.0, 0.5]))
    np.testing.assert_allclose(value, [1.0, 5.0, 0.5])
    # d 1, inst 3, χ 0.2, λ 1: 5 × 0.2 × 1 × 1 × 1.2
    value = decision.policy_concession_value(np.array([1.0]), np.array([3]), 0.2, 1.0, shift=0.2, horizon=5.0)
    np.testing.assert_allclose(value, [1.2])


def test_choice_values_by_hand():
    args = (np.array([2.0]), np.array([1.0]), np.array([True]), np.array([False]), np.array([0.5]),
            np.array([0.5]), np.array([1.0]))
    v_notice, v_threat = decision.choice_values(*args, choice())
    # V_n = −8 + 2 + 3.2·1 + 0.7; threat payoff 0.5·1 + 0.5·2 − 0.3 = 1.2 → V_t = −8 + 1.2 + 0.7
    np.testing.assert_allclose(v_notice, [-2.1])
    np.testing.assert_allclose(v_threat, [-6.1])
    v_notice, v_threat = decision.choice_values(*args, choice(beta_nativism=1.0, temperature=2.0))
    np.testing.assert_allclose(v_notice, [-0.8])
    np.testing.assert_allclose(v_threat, [-3.05])
    # payoffs enter clipped to ±5: V_n = −8 + 5; the threat's π too: 0·0 + 1·5 − 0.3 → V_t = −8 + 4.7
    v_notice, v_threat = decision.choice_values(np.array([40.0]), 0, 0, 0, 0, np.array([0.0]),
                                                np.array([0.0]), choice())
    np.testing.assert_allclose([v_notice[0], v_threat[0]], [-3.0, -3.3])


def test_threat_payoff_by_hand():
    # p 0.2, value 1: π −2 → 0.2 − 1.6 − 0.3 = −1.7; π 3 → 0.2 + 2.4 − 0.3 = 2.3
    np.testing.assert_allclose(decision.threat_payoff(np.array([-2.0, 3.0]), 0.2, 1.0, 0.3), [-1.7, 2.3])


def test_a_threat_is_worth_making_only_as_far_as_leaving_is_credible():
    """The value of threatening falls with the payoff of the exit behind it, below 0 too: a state
    that would lose by leaving gains nothing by a threat it would have to make good on."""
    pi = np.array([2.0, 0.0, -1.0, -3.0])
    p_concede = concede(np.full(4, 0.05), pi)
    _, v_threat = decision.choice_values(pi, 0, 0, 0, 0, p_concede, discount_value(np.ones(4)), choice())
    assert np.all(np.diff(v_threat) < 0)
    assert v_threat[-1] < HAND["baseline_threat"] - 2.0  # π −3: worth less than −2 years of dues


def test_a_notice_is_bought_back_only_by_a_concession_worth_leaving_for():
    # a 1-year concession buys back a notice whose exit brings 0.8 years of dues, not one bringing 2.8
    np.testing.assert_array_equal(decision.accepts_concession(np.array([1.0, 1.0, 1.2]), np.array([0.8, 2.8, 1.2])),
                                  [True, False, True])


def test_choice_probabilities_are_the_multinomial_logit():
    v_notice = np.array([0.0, math.log(2), -np.inf])
    v_threat = np.array([0.0, math.log(3), 1.0])
    p_notice, p_threat = decision.choice_probabilities(v_notice, v_threat)
    e = math.e
    np.testing.assert_allclose(p_notice, [1 / 3, 2 / 6, 0.0])
    np.testing.assert_allclose(p_threat, [1 / 3, 3 / 6, e / (1 + e)])


def test_choice_probabilities_do_not_overflow():
    p_notice, p_threat = decision.choice_probabilities(np.array([1000.0, -1000.0]),
                                                       np.array([999.0, -1000.0]))
    total = 1 + math.exp(-1)
    np.testing.assert_allclose(p_notice, [1 / total, 0.0])
    np.testing.assert_allclose(p_threat, [math.exp(-1) / total, 0.0])
    assert np.all(np.isfinite(p_notice)) and np.all(np.isfinite(p_threat))


def test_choose_with_one_uniform_per_row():
    p_n, p_t = np.full(4, 0.2), np.full(4, 0.3)
    choice = decision.choose(p_n, p_t, np.array([0.1, 0.2, 0.4, 0.6]))
    expected = [decision.NOTICE, decision.THREAT, decision.THREAT, decision.STAY]
    np.testing.assert_array_equal(choice, expected)
    assert decision.CHOICES[decision.STAY] == "stay"
    assert decision.CHOICES[decision.NOTICE] == "notice"


def test_choices_follow_the_probabilities():
    rng = np.random.default_rng(1)
    n = 200_000
    choice = decision.choose(np.full(n, 0.1), np.full(n, 0.25), rng.uniform(size=n))
    counts = np.bincount(choice, minlength=3) / n
    np.testing.assert_allclose(counts, [0.65, 0.25, 0.1], atol=0.005)


def _notice_probability(distance):
    distance = np.asarray(distance, dtype=float)
    n = len(distance)
    u = evaluation.membership_utility(np.full(n, 1.2), np.ones(n), np.zeros(n), np.ones(n),
                                      distance, np.full(n, 3), np.zeros(n), np.zeros(n),
                                      0.0, 1.0, 0.5, ratio_clip=5.0)
    pi = decision.exit_payoff(u, np.ones(n), np.full(n, 0.2), horizon=5.0)
    p_concede = concede(np.full(n, 0.05), pi)
    v = decision.choice_values(pi, np.zeros(n), np.zeros(n), np.zeros(n), np.zeros(n), p_concede,
                               discount_value(np.ones(n)), choice())
    return u, decision.choice_probabilities(*v)[0]


def test_divergence_raises_the_notice_probability():
    u, p_notice = _notice_probability([0.0, 0.25, 0.5, 1.0])
    assert np.all(np.diff(u) < 0)
    assert np.all(np.diff(p_notice) > 0)


def _threat_share(switching, utility, share, discount, credibility, credibility_cost):
    """p_threat / (p_threat + p_notice) along a grid of switching costs, all else fixed."""
    n = len(switching)
    pi = decision.exit_payoff(np.full(n, utility), np.ones(n), switching, horizon=5.0)
    p_concede = concede(np.full(n, share), pi, credibility=credibility)
    value = discount_value(np.ones(n), discount=discount)
    zeros = np.zeros(n)
    v_notice, v_threat = decision.choice_values(pi, zeros, zeros, zeros, zeros, p_concede, value,
                                                choice(credibility_cost=credibility_cost))
    p_notice, p_threat = decision.choice_probabilities(v_notice, v_threat)
    return p_threat / (p_threat + p_notice)


def test_threat_share_as_exit_cost_rises_is_an_outcome_of_parameters():
    """Retrenchment's "threaten when exit is costly" is not an identity of the formula.

    Grid: S̃ from 0 to 1.2 years of dues, ũ = −0.3, D = 1 (π from 1.2 to 0), a 2% contributor.
    * ζ2 = 0 (the threat's success does not depend on the exit behind it), credibility cost 0.3,
      20% discount: a costlier exit hurts the notice more than the threat → the threat share RISES.
    * ζ2 = 2 (a threat is as strong as its exit is credible), credibility cost 0, 50% discount:
      a costlier exit makes the organization call the bluff → the threat share FALLS.
    * the defaults (ζ2 = 0.3, cost 0.3, 20% discount): a refused threat bears the exit's cost
      too, a conceded one does not → the threat share rises, slowly.
    """
    switching = np.linspace(0.0, 1.2, 7)
    rising = _threat_share(switching, -0.3, 0.02, 0.2, credibility=0.0, credibility_cost=0.3)
    falling = _threat_share(switching, -0.3, 0.02, 0.5, credibility=2.0, credibility_cost=0.0)
    defaults = _threat_share(switching, -0.3, 0.02, 0.2, credibility=0.3, credibility_cost=0.3)
    assert np.all(np.diff(rising) > 0)
    assert np.all(np.diff(defaults) > 0)  # under the registry's ζ2 and credibility cost: rises
    assert np.all(np.diff(falling) < 0)
    # a hand check of one point: ζ2 = 0 → p = logistic(−3 + 0.3) whatever S̃; at S̃ = 0, π = 1.2
    p = 1 / (1 + math.exp(2.7))
    threat, notice = p * 1.0 + (1 - p) * 1.2 - 0.3, 1.2
    assert rising[0] == pytest.approx(math.exp(threat) / (math.exp(threat) + math.exp(notice)))


def test_forbidden_threats_have_probability_zero():
    v_notice, v_threat = decision.choice_values(np.array([1.0]), 0, 0, 0, 0, np.array([0.5]),
                                                np.array([1.0]), choice())
    forbidden = np.where([True], -np.inf, v_threat)
    p_notice, p_threat = decision.choice_probabilities(v_notice, forbidden)
    assert p_threat[0] == 0.0 and p_notice[0] == pytest.approx(1 / (1 + math.exp(-v_notice[0])))


def _terms(benefits, dues, compliance, distance, switching, years=1.0, contagion=0.0, window=0,
           pretext=0):
    n = len(benefits)
    benefits, dues, compliance, distance, switching = (
        np.asarray(v, dtype=float) for v in (benefits, dues, compliance, distance, switching))
    exit_terms = evaluation.exit_terms(benefits, dues, compliance, np.ones(n), distance,
                                       np.full(n, 3), np.zeros(n), np.zeros(n), 0.0, 1.0, 0.5, ratio_clip=5.0)
    terms = decision.notice_terms(exit_terms, np.full(n, years), switching, np.full(n, contagion),
                                  np.full(n, window), np.full(n, pretext), np.zeros(n), choice())
    return exit_terms, terms


def test_notice_terms_add_up_to_v_notice():
    rng = np.random.default_rng(2)
    n = 40
    benefits, dues = rng.lognormal(0, 1.5, n), rng.lognormal(0, 0.5, n)
    compliance, distance = rng.uniform(0, 1, n), rng.uniform(0, 2, n)
    switching = rng.uniform(0, 3, n)
    exit_terms, terms = _terms(benefits, dues, compliance, distance, switching, contagion=0.7,
                               window=1)
    u = -sum(exit_terms.values())
    pi = decision.exit_payoff(u, np.ones(n), switching, horizon=5.0)
    v_notice, _ = decision.choice_values(pi, np.full(n, 0.7), np.ones(n), np.zeros(n), np.zeros(n),
                                         np.zeros(n), np.zeros(n), choice())
    np.testing.assert_allclose(sum(terms.values()), v_notice)


def test_notice_terms_by_hand():
    # benefits 0.5, dues 1.2, compliance 0.1, d 0.2, S̃ 0.4, D 1 (m = 4):
    # π = 4 (0.5 + 0.2 + 0.3) − 0.4 = 3.6
    _, terms = _terms([0.5], [1.2], [0.1], [0.2], [0.4])
    expected = {"performance": 2.0, "cost": 0.8, "preferences": 1.2, "switching": -0.4,
                "contagion": 0.0, "window": 0.0, "pretext": 0.0, "nativism": 0.0,
                "baseline": -8.0}
    for name, value in expected.items():
        assert terms[name][0] == pytest.approx(value), name
    # π = 4·2 − 0 = 8 is clipped to 5: every part shrinks by 5/8
    _, terms = _terms([0.0], [2.0], [0.0], [0.0], [0.0])
    np.testing.assert_allclose([terms["performance"][0], terms["cost"][0]], [2.5, 2.5])


def test_decision_cause_is_the_largest_positive_term():
    terms = {"baseline": np.array([-8.0, -8.0, -8.0, -8.0]),
             "performance": np.array([2.0, 0.1, -1.0, -1.0]),
             "cost": np.array([0.5, 0.2, -0.5, 0.0]),
             "preferences": np.array([1.0, 0.3, -0.2, 0.0]),
             "contagion": np.array([0.0, 3.2, 0.0, 0.0]),
             "switching": np.array([9.0, 9.0, 9.0, 9.0]),
             "window": np.array([0.7, 0.0, 0.0, 0.0])}
    np.testing.assert_array_equal(decision.decision_cause(terms),
                                  ["performance", "contagion", "unclear", "unclear"])


def test_decision_cause_from_notice_terms():
    # a well-performing organization with a distant policy: preferences; an expensive one: cost
    _, terms = _terms([2.0, 0.9], [1.0, 1.6], [0.0, 0.0], [1.5, 0.0], [0.0, 0.0], window=1)
    np.testing.assert_array_equal(decision.decision_cause(terms), ["preferences", "cost"])


def test_decision_cause_broadcasts_scalar_terms():
    terms = {"baseline": -8.0, "window": 0.7, "cost": np.array([0.5, 1.0])}
    causes = decision.decision_cause(terms)
    np.testing.assert_array_equal(causes, ["window", "cost"])


@given(st.lists(st.tuples(st.floats(-50, 50), st.floats(-50, 50)), min_size=1, max_size=20))
def test_choice_probabilities_are_a_distribution(values):
    v_notice, v_threat = np.array(values).T
    p_notice, p_threat = decision.choice_probabilities(v_notice, v_threat)
    assert np.all(p_notice >= 0) and np.all(p_threat >= 0)
    assert np.all(p_notice + p_threat <= 1 + 1e-12)
    # the odds of notice against threat are e^{V_notice − V_threat}
    both = (p_notice > 1e-200) & (p_threat > 1e-200)
    np.testing.assert_allclose(np.log(p_notice[both] / p_threat[both]), (v_notice - v_threat)[both],
                               atol=1e-9)


@given(st.data())
def test_the_bound_holds_whatever_the_law_pretext_and_concessions(data):
    """p_notice + p_threat never exceeds leave_or_threat_bound, for parameters in the registry's
    ranges and any switching cost, delay, pretext, concession and threat eligibility."""
    f = st.floats
    beta = dict(baseline_notice=data.draw(f(-30, 5)), baseline_threat=data.draw(f(-30, 5)),
                beta_utility=data.draw(f(0, 10)), beta_contagion=data.draw(f(0, 10)),
                beta_window=data.draw(f(0, 5)), beta_pretext=data.draw(f(0, 5)),
                beta_nativism=data.draw(f(-5, 5)), temperature=data.draw(f(0.01, 100)),
                payoff_clip=data.draw(f(0.1, 100)))
    horizon = data.draw(f(0, 50))
    n = 8
    rows = lambda strategy: np.array(data.draw(st.lists(strategy, min_size=n, max_size=n)))  # noqa: E731
    utility, exposure = rows(f(-200, 200)), rows(f(0, 3))
    window, pretext, threat_allowed = rows(st.booleans()), rows(st.booleans()), rows(st.booleans())
    years, switching, nativism = rows(f(0, 60)), rows(f(0, 20)), rows(f(0, 1))
    p_concede, concession = rows(f(0, 1)), rows(f(0, 500))
    payoff = decision.exit_payoff(utility, years, switching, horizon)
    coefficients = decision.ChoiceCoefficients(credibility_cost=data.draw(f(0, 10)), horizon=horizon, **beta)
    v_notice, v_threat = decision.choice_values(payoff, exposure, window, pretext, nativism, p_concede, concession,
                                                coefficients)
    p_notice, p_threat = decision.choice_probabilities(v_notice, np.where(threat_allowed, v_threat, -np.inf))
    bound = decision.leave_or_threat_bound(utility, exposure, window, coefficients)
    assert np.all(p_notice + p_threat <= bound)


def test_the_bound_is_tight_enough_to_screen_most_rows():
    # the calibrated defaults: a membership worth keeping, no exposure, no window
    bound = decision.leave_or_threat_bound(np.array([0.5, -0.2]), np.zeros(2), np.zeros(2),
                                           choice(baseline_notice=-10.0, baseline_threat=-9.5))
    assert bound[0] == pytest.approx(math.exp(-10 + 0.7) + math.exp(-9.5 + 0.7 + 5), rel=1e-6)
    assert bound[1] == pytest.approx(math.exp(-10 + 0.7 + 1.0) + math.exp(-9.5 + 0.7 + 5), rel=1e-6)
    assert np.all(bound < 0.03)


def test_a_beta_outside_its_range_screens_nothing():
    bound = decision.leave_or_threat_bound(np.zeros(3), np.zeros(3), np.zeros(3), choice(beta_utility=-1.0))
    assert bound.tolist() == [1.0] * 3
