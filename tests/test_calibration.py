"""Magnitude checks of MODEL.md §7 for the exit process, and the calibration of the intercepts.

Over 20 dynamics seeds of the default world (its world seed fixed, 50 years): the withdrawal
rate (lawful notices per member-year at risk, pooled over each run) has a median within a
factor of 2 of the empirical 0.0004; threats are of the order of notices; concessions happen;
no year has more than 10% of memberships under notice; some organizations become zombies or
die, but not most.
"""

import numpy as np
import pytest

from exitsim import ExitModel, load_scenario
from exitsim.mechanisms import decision
from exitsim.mechanisms.coefficients import from_parameters
from exitsim.phases import decisions, evaluation
from exitsim.world import MEMBER

SEEDS = range(20)


@pytest.fixture(scope="module")
def default_runs():
    scenario = load_scenario()
    runs = []
    for seed in SEEDS:
        model = ExitModel(scenario, seed=seed, collect_states=False).run()
        runs.append((model, model.datacollector.get_model_vars_dataframe()))
    return runs


@pytest.mark.slow  # twenty runs of the default scenario
def test_withdrawal_rate_median_is_within_a_factor_of_two_of_the_empirical_rate(default_runs):
    rates = [model.withdrawal_rate() for model, _ in default_runs]
    assert 0.0002 <= np.median(rates) <= 0.0008


@pytest.mark.slow  # twenty runs of the default scenario
def test_threats_are_of_the_order_of_notices(default_runs):
    threats = sum(frame["threats"].sum() for _, frame in default_runs)
    notices = sum(frame["notices"].sum() for _, frame in default_runs)
    assert 0.3 <= threats / notices <= 3


@pytest.mark.slow  # twenty runs of the default scenario
def test_concessions_happen_in_most_runs(default_runs):
    concessions = np.array([frame["concessions"].sum() for _, frame in default_runs])
    assert concessions.mean() >= 2
    assert (concessions >= 1).sum() >= 15


@pytest.mark.slow  # twenty runs of the default scenario
def test_no_year_has_more_than_a_tenth_of_memberships_under_notice(default_runs):
    assert max(frame["under_notice_share"].max() for _, frame in default_runs) <= 0.10


@pytest.mark.slow  # twenty runs of the default scenario
def test_some_organizations_become_zombies_or_die_but_not_most(default_runs):
    ended = [frame["organizations_zombie"].iloc[-1] + frame["organizations_dead"].iloc[-1] for _, frame in default_runs]
    total = [model.world.n_orgs for model, _ in default_runs]
    assert np.mean(ended) > 0
    assert max(e / t for e, t in zip(ended, total, strict=True)) < 0.5


@pytest.mark.parametrize("path", ["scenarios/default.yaml", "scenarios/world.yaml"])
def test_no_organization_starts_with_a_fifth_of_its_members_deeply_negative(path):
    model = ExitModel(load_scenario(path))
    utility = evaluation.run(model.context()).utility
    flows = model.flows
    deep = np.bincount(flows.org, weights=utility < -5, minlength=model.world.n_orgs)
    members = np.maximum(np.bincount(flows.org, minlength=model.world.n_orgs), 1)
    assert (deep / members).max() <= 0.2


def test_exposure_one_multiplies_the_odds_of_notice_by_ten_to_thirty():
    model = ExitModel()
    ctx = model.context()
    deciding = np.flatnonzero(model.world.memberships.status[model.flows.rows] == MEMBER)
    v = decisions._payoffs(decisions._Year(ctx, evaluation.run(ctx)), deciding, model.flows.rows[deciding])
    p = model.params

    def odds(exposure: float) -> np.ndarray:
        v_notice, v_threat = decision.choice_values(
            v.payoff, np.full(len(deciding), exposure), 0.0, 0.0, 0.0, v.p_concede, v.concession,
            from_parameters(decision.ChoiceCoefficients, p))
        p_notice, _ = decision.choice_probabilities(v_notice, v_threat)
        return p_notice / (1 - p_notice)

    assert 10 <= np.mean(odds(1.0) / odds(0.0)) <= 30
