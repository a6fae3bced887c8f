"""ExitModel: set-up, determinism, random streams, agents as views."""

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from exitsim import ExitModel, Scenario, ScenarioError
from exitsim.agents import Organization, State
from exitsim.scenario import default_scenario_path

ROOT = Path(__file__).resolve().parent.parent


def small(**changes) -> Scenario:
    data = {"name": "small", "steps": 8, "world_seed": 5, "seed": 3,
            "generate": {"states": 20, "organizations": 12, "memberships_per_state": 5, "min_memberships": 2,
                         "cap_min_members": 5}}
    return Scenario.model_validate(data | changes)


def test_default_model_runs_with_no_arguments(default_run):
    frame = default_run.datacollector.get_model_vars_dataframe()
    assert len(frame) == default_run.n_steps + 1
    assert frame["year"].iloc[0] == default_run.config.start_year
    assert frame["year"].iloc[-1] == default_run.config.start_year + default_run.n_steps
    assert not default_run.running
    assert frame.notna().all().all()


def test_packaged_default_scenario_is_the_repository_file():
    assert default_scenario_path().read_bytes() == (ROOT / "scenarios" / "default.yaml").read_bytes()


def _outputs(model):
    model.run()
    return (model.datacollector.get_model_vars_dataframe(), model.datacollector.get_agent_vars_dataframe(),
            model.membership_panel(), model.events.to_frame())


def test_same_seeds_give_identical_outputs():
    first = _outputs(ExitModel(small()))
    second = _outputs(ExitModel(small()))
    for a, b in zip(first, second, strict=True):
        pd.testing.assert_frame_equal(a, b, check_exact=True)


def test_another_dynamics_seed_gives_other_results():
    a = ExitModel(small()).run()
    b = ExitModel(small(), seed=4).run()
    assert not np.array_equal(a.world.power, b.world.power)
    assert a.world.state_code == b.world.state_code


def test_another_world_seed_gives_another_world():
    a = ExitModel(small())
    b = ExitModel(small(), world_seed=6)
    assert not np.array_equal(a.world.power, b.world.power)


def test_a_spawned_seed_sequence_is_a_distinct_run():
    children = np.random.SeedSequence(7).spawn(2)
    a = ExitModel(small(), seed=children[0]).run()
    b = ExitModel(small(), seed=children[1]).run()
    again = ExitModel(small(), seed=np.random.SeedSequence(7).spawn(2)[0]).run()
    assert not np.array_equal(a.world.power, b.world.power)
    np.testing.assert_array_equal(a.world.power, again.world.power)


@pytest.mark.parametrize("change", [{"access_spillover": 0.0}, {"performance_noise": 0.3}, {"leak": 0.5},
                                    {"compliance": 2.0}, {"budget_rate": 1e-4}])
def test_changing_a_mechanism_does_not_shift_other_phases_draws(change):
    # With κ = 0 institutions do not touch power, so power follows growth and the power
    # phase's own draws: any institutional parameter must leave it bit-identical.
    base = ExitModel(small(), parameters={"institutional_rate": 0.0}).run()
    changed = ExitModel(small(), parameters={"institutional_rate": 0.0, **change}).run()
    np.testing.assert_array_equal(base.world.power, changed.world.power)


def test_without_organizations_power_follows_growth_alone():
    scenario = Scenario.model_validate({
        "name": "no-organizations", "steps": 10,
        "states": [{"code": "A", "power": 2.0, "growth": 0.05}, {"code": "B", "power": 1.0, "growth": -0.01}],
        "parameters": {"power": {"power_noise": 0.0}}})
    model = ExitModel(scenario).run()
    np.testing.assert_allclose(model.world.power, [2.0 * math.exp(0.5), 1.0 * math.exp(-0.1)], rtol=1e-12)


def test_agents_are_views_of_the_world_rows():
    model = ExitModel(small())
    states = model.agents_by_type[State]
    organizations = model.agents_by_type[Organization]
    assert len(states) == model.world.n_states and len(organizations) == model.world.n_orgs
    first = next(iter(states.select(lambda a: a.index == 0)))
    assert first.power == model.world.power[0]
    first.power = 123.0
    assert model.world.power[0] == 123.0
    org = next(iter(organizations))
    assert sorted(org.members) == sorted(model.world.state_code[i] for i in model.world.members_of(org.index))
    assert org.leader is None or org.leader in model.world.state_code


def test_membership_graph_is_bipartite_and_derived_from_the_edge_list():
    model = ExitModel(small())
    graph = model.world.membership_graph()
    assert graph.number_of_edges() == len(model.world.active_rows())
    n = model.world.n_states
    assert all((u < n) != (v < n) for u, v in graph.edges)
    assert {d["bipartite"] for _, d in graph.nodes(data=True)} == {0, 1}


def test_state_series_are_optional():
    model = ExitModel(small(), collect_states=False).run()
    assert model.datacollector.get_agent_vars_dataframe().empty
    assert len(model.datacollector.get_model_vars_dataframe()) == model.n_steps + 1


def test_bad_run_arguments_are_clear_errors():
    from exitsim import ScenarioError

    with pytest.raises(ScenarioError, match="ExitModel steps=0: out of range: it must be between 1 and 1000"):
        ExitModel(small(), steps=0)
    with pytest.raises(ScenarioError, match="ExitModel seed=-1: out of range: it must be between 0 and "):
        ExitModel(small(), seed=-1)


def test_layering_counts_living_same_area_organizations_per_state_and_area():
    from exitsim.outcomes import layering
    from exitsim.world import DEAD

    scenario = Scenario.model_validate({
        "name": "layers", "steps": 1,
        "states": [{"code": "A", "power": 2.0}, {"code": "B", "power": 1.0}],
        "organizations": [{"code": "T1", "issue_area": "trade", "members": ["A", "B"]},
                          {"code": "T2", "issue_area": "trade", "members": ["A"]},
                          {"code": "H", "issue_area": "health", "members": ["A"]}]})
    world = ExitModel(scenario).world
    assert layering(world) == pytest.approx(4 / 3)  # (A, trade) 2, (A, health) 1, (B, trade) 1
    world.org_status[world.org_index("T2")] = DEAD
    assert layering(world) == 1.0


def test_mesa_s_rng_keyword_is_the_seed():
    """ExitModel(rng=1), as mesa.Model users write it, is the run of seed=1."""
    by_rng = ExitModel(rng=1, steps=10).run().datacollector.get_model_vars_dataframe()
    by_seed = ExitModel(seed=1, steps=10).run().datacollector.get_model_vars_dataframe()
    pd.testing.assert_frame_equal(by_rng, by_seed)
    other = ExitModel(rng=2, steps=10).run().datacollector.get_model_vars_dataframe()
    assert not other.equals(by_seed)
    sequence = np.random.SeedSequence(5)
    assert ExitModel(rng=sequence).seed is sequence
    a, b = (ExitModel(rng=np.random.default_rng(3), steps=5).run() for _ in range(2))
    assert a.seed == b.seed and a.events.to_frame().equals(b.events.to_frame())
    with pytest.raises(TypeError, match="give seed or rng"):
        ExitModel(seed=1, rng=1)
    with pytest.raises(ScenarioError, match="seed=-1: out of range"):
        ExitModel(rng=-1)
