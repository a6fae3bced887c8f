"""The decomposition of the hegemon/rising ratio's yearly change (MODEL.md §4.4, §5) inside the
model: growth, each institutional flow, noise and the rest add up to the change."""

import numpy as np
import pytest

from exitsim import ExitModel
from exitsim.mechanisms.flows import FLOW_NAMES, flow_terms
from exitsim.outcomes import RATIO_PARTS
from exitsim.outputs import ratio_factors
from exitsim.timeline import ScheduledEvent

PARTS = [f"ratio_change_{name}" for name in RATIO_PARTS]


def test_the_flows_add_up_to_each_states_net_gain():
    model = ExitModel(steps=3).run()
    terms = flow_terms(model.flows, model.world.n_states)
    assert tuple(terms) == FLOW_NAMES
    np.testing.assert_allclose(sum(terms.values()), model.flows.net, rtol=1e-9, atol=1e-12)


def test_the_parts_add_up_to_each_years_change_of_the_ratio():
    frame = ExitModel(steps=20, seed=4).run().datacollector.get_model_vars_dataframe()
    change = np.log(frame.hegemon_rising_ratio).diff().iloc[1:]
    np.testing.assert_allclose(frame["ratio_change"].iloc[1:], change, rtol=1e-12)
    np.testing.assert_allclose(frame[PARTS].iloc[1:].sum(axis=1), change, atol=1e-14)
    assert (frame[PARTS + ["ratio_change"]].iloc[0] == 0).all()  # no change at the start
    assert np.abs(frame["ratio_change_other"].iloc[1:]).max() < 1e-14  # no shocks, no debts
    # growth: the hegemon's 2% against the rising power's 5%
    np.testing.assert_allclose(frame["ratio_change_growth"].iloc[1:], 0.02 - 0.05)


def test_without_institutions_or_noise_the_ratio_moves_by_growth_alone_and_a_shock_is_the_rest():
    model = ExitModel(steps=5, parameters={"institutional_rate": 0.0, "power_noise": 0.0})
    hegemon = model.world.state_code[model.world.role_index(1)]
    model = ExitModel(steps=5, parameters={"institutional_rate": 0.0, "power_noise": 0.0},
                      timeline=[ScheduledEvent(2027, "power_shock", hegemon, value=0.8)]).run()
    frame = model.datacollector.get_model_vars_dataframe()
    assert np.all(frame[[f"ratio_change_{name}" for name in (*FLOW_NAMES, "noise")]].iloc[1:] == 0)
    assert frame.loc[frame.year == 2027, "ratio_change_other"].item() == pytest.approx(np.log(0.8))
    factors = ratio_factors(frame)
    start, end = frame.hegemon_rising_ratio.iloc[[0, -1]]
    assert factors["growth"] * factors["other"] == pytest.approx(end / start)
    assert factors["institutions"] == 1.0 and factors["noise"] == 1.0


def test_a_strategys_voluntary_contributions_are_a_flow_of_their_own():
    # the hegemon founds clubs and pays into them; the rising power fills gaps: what they pay on
    # top of their dues leaves their power, and the ratio's parts still add up to its change
    model = ExitModel(steps=12, seed=2, parameters={"hegemon_strategy": "exclusive", "rising_strategy": "gap_filling",
                                                     "strategy_trigger": 3.0}).run()
    frame = model.timeseries()
    assert frame.hegemon_voluntary.sum() > 0
    assert np.abs(frame["ratio_change_voluntary"]).sum() > 0
    change = np.log(frame.hegemon_rising_ratio).diff().iloc[1:]
    np.testing.assert_allclose(frame[PARTS].iloc[1:].sum(axis=1), change, atol=1e-14)
    assert np.abs(frame["ratio_change_other"].iloc[1:]).max() < 1e-14
    terms = flow_terms(model.flows, model.world.n_states)
    np.testing.assert_allclose(sum(terms.values()), model.flows.net, rtol=1e-9, atol=1e-12)
