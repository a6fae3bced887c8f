"""Each mechanism's switch removes its effect (docs/architecture.md, rule 2)."""

import numpy as np
import pytest

from exitsim import ExitModel, Scenario
from exitsim.parameters import REGISTRY, make_params


def world(**parameters) -> ExitModel:
    scenario = Scenario.model_validate({
        "name": "switches", "steps": 3, "world_seed": 2, "organization_weight": 8,
        "generate": {"states": 30, "organizations": 25, "memberships_per_state": 8, "min_memberships": 2,
                     "cap_min_members": 10}})
    return ExitModel(scenario, parameters=parameters)


EFFECTS = {  # switch -> the part of the flows it must zero
    "budget_rate": lambda f: np.abs(f.dues).sum() + np.abs(f.output).sum(),
    "commitment_rate": lambda f: np.abs(f.transfer).sum() + np.abs(f.commitment).sum(),
    "output_multiplier": lambda f: np.abs(f.public_good).sum() + np.abs(f.nonneutral).sum() + np.abs(f.leak).sum(),
    "leak": lambda f: np.abs(f.leak).sum(),
    "access_spillover": lambda f: np.abs(f.access).sum(),
    "steering_share": lambda f: np.abs(f.nonneutral).sum(),
    "compliance": lambda f: np.abs(f.compliance).sum(),
}


def test_every_switch_is_tested():
    switches = {p.name for p in REGISTRY.values() if p.switch}
    assert switches == set(EFFECTS) | {"institutional_rate", "power_noise", "domestic_politics", "nativism_noise",
                                       "decline_nativism", "preference_cost", "nativist_cost", "exit_decisions",
                                       "beta_contagion", "beta_window", "beta_pretext", "nativist_relief",
                                       "rejoining", "death_members", "founding_rate", "failure_rate",
                                       "relative_gains_weight"}  # tests/test_strategy_phase.py


@pytest.mark.parametrize("name", sorted(EFFECTS))
def test_switch_removes_its_flow(name):
    on = world().run()
    off = world(**{name: REGISTRY[name].off}).run()
    assert EFFECTS[name](on.flows) > 0
    assert EFFECTS[name](off.flows) == 0


def test_institutional_rate_off_removes_every_institutional_effect_on_power():
    a = world(institutional_rate=0.0, access_spillover=0.0).run()
    b = world(institutional_rate=0.0, output_multiplier=5.0).run()
    np.testing.assert_array_equal(a.world.power, b.world.power)
    with_institutions = world().run()
    assert not np.array_equal(a.world.power, with_institutions.world.power)


def test_power_noise_off_leaves_growth_and_institutions():
    a = world(power_noise=0.0, institutional_rate=0.0)
    start = a.world.power.copy()
    a.run()
    np.testing.assert_allclose(a.world.power, start * np.exp(a.world.growth * a.n_steps), rtol=1e-12)


def test_domestic_politics_off_keeps_nativism_and_governments():
    model = world(domestic_politics=False)
    nativism, government = model.world.nativism.copy(), model.world.nativist_government.copy()
    model.run()
    np.testing.assert_array_equal(model.world.nativism, nativism)
    np.testing.assert_array_equal(model.world.nativist_government, government)
    assert model.events.count("turnover") == 0


def test_nativism_noise_off_makes_nativism_deterministic_given_decline():
    a = world(nativism_noise=0.0, decline_nativism=0.0).run()
    expected = world().world.nativism_mean  # starts at n̄ in generated worlds and stays there without shocks
    np.testing.assert_allclose(a.world.nativism, expected, rtol=1e-12)


def test_decline_nativism_off_removes_the_effect_of_decline():
    # Common random numbers: the only difference is the decline term, which only raises nativism.
    on, off = world().run(), world(decline_nativism=0.0).run()
    assert np.all(on.world.nativism >= off.world.nativism - 1e-12)
    hegemon = on.world.role_index(1)
    assert on.world.nativism[hegemon] > off.world.nativism[hegemon]


def _utility(model):
    from exitsim.phases import evaluation

    return evaluation.run(model.context())


def test_preference_cost_off_removes_divergence_from_the_evaluation():
    model = world(preference_cost=0.0, compliance=0.0, nativist_cost=0.0)
    assert np.all(_utility(model).terms["preferences"] == 0)
    assert np.any(_utility(world()).terms["preferences"] > 0)


def test_nativist_cost_off_makes_governments_irrelevant_to_the_evaluation():
    model = world(nativist_cost=0.0)
    before = _utility(model).utility
    model.world.nativist_government[:] = ~model.world.nativist_government
    np.testing.assert_array_equal(_utility(model).utility, before)
    on = world()
    before = _utility(on).utility
    on.world.nativist_government[:] = ~on.world.nativist_government
    assert not np.array_equal(_utility(on).utility, before)


def test_exit_decisions_off_means_no_notices_or_threats():
    frame = world(exit_decisions=False, baseline_notice=0.0, baseline_threat=0.0).run().datacollector.get_model_vars_dataframe()
    assert frame[["notices", "threats", "walkouts_contested", "walkouts_violated", "non_treaty_exits"]].to_numpy().sum() == 0
    busy = world(baseline_notice=0.0, baseline_threat=0.0).run().datacollector.get_model_vars_dataframe()
    assert busy["notices"].sum() > 0 and busy["threats"].sum() > 0


@pytest.mark.parametrize("name, argument", [("beta_contagion", "contagion"), ("beta_window", "window"),
                                            ("beta_pretext", "pretext")])
def test_choice_shifters_off_remove_their_term(name, argument):
    from exitsim.mechanisms import decision
    from exitsim.mechanisms.coefficients import from_parameters

    base = dict(payoff=np.array([0.5]), contagion=np.array([0.0]), window=np.array([0.0]), pretext=np.array([0.0]),
                nativism=np.array([0.3]), p_concede=np.array([0.2]), concession=np.array([1.0]))
    shifted = base | {argument: np.array([1.0])}
    on = from_parameters(decision.ChoiceCoefficients, make_params())
    off = from_parameters(decision.ChoiceCoefficients, make_params({name: REGISTRY[name].off}))
    assert decision.choice_values(**base, c=off)[0] == decision.choice_values(**shifted, c=off)[0]
    assert decision.choice_values(**base, c=on)[0] != decision.choice_values(**shifted, c=on)[0]


def test_nativist_relief_off_keeps_nativism_after_notices():
    from exitsim.mechanisms import domestic

    n = np.array([0.6, 0.6])
    np.testing.assert_array_equal(domestic.soothe(n, np.array([True, False]), REGISTRY["nativist_relief"].off), n)
    assert domestic.soothe(n, np.array([True, False]), REGISTRY["nativist_relief"].default)[0] < 0.6


def test_death_members_off_keeps_small_organizations_alive():
    from exitsim.world import DEAD

    on = world(death_members=25, founding_rate=0.0).run()
    off = world(death_members=0, founding_rate=0.0, death_years=50).run()
    assert np.any(on.world.org_status == DEAD)
    assert not np.any(off.world.org_status == DEAD)


def test_founding_rate_off_means_no_foundings():
    assert world(founding_rate=0.0).run().world.n_orgs == 25
    assert world(founding_rate=0.5).run().world.n_orgs > 25
