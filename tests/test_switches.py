"""Each mechanism's switch removes its effect (ARCHITECTURE.md rule 2)."""

import numpy as np
import pytest

from exitsim import ExitModel, Scenario
from exitsim.parameters import REGISTRY


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
                                       "decline_nativism"}


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
