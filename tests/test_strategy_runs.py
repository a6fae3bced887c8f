"""Whole runs under every combination of the great powers' strategies (MODEL.md §4.11).

* Common random numbers (MODEL.md §4.0): runs that differ only in their strategies are
  identical, year by year, until the trigger fires — on every pair of the 12 combinations.
* Every combination runs the default and the world scenario to the horizon with power positive
  and shares summing to one.
"""

from __future__ import annotations

import itertools
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from exitsim import ExitModel
from exitsim.codes import HEGEMON_STRATEGIES, NEVER, RISING_STRATEGIES

ROOT = Path(__file__).resolve().parent.parent
COMBINATIONS = list(itertools.product(HEGEMON_STRATEGIES, RISING_STRATEGIES))
#: The first year each scenario's trigger fires (the hegemon's lead falls below 1.5), and one more.
YEARS_TO_TRIGGER = {"default": 19, "world": 20}


def _run(scenario: str, hegemon: str, rising: str, steps: int | None = None) -> ExitModel:
    return ExitModel(ROOT / "scenarios" / f"{scenario}.yaml", steps=steps,
                     parameters={"hegemon_strategy": hegemon, "rising_strategy": rising}).run()


@pytest.mark.parametrize("scenario", sorted(YEARS_TO_TRIGGER))
def test_runs_differing_only_in_strategy_are_identical_until_the_trigger_fires(scenario):
    runs = {combination: _run(scenario, *combination, steps=YEARS_TO_TRIGGER[scenario])
            for combination in COMBINATIONS}
    fired = {c: m.strategy.active_since for c, m in runs.items() if c != ("status_quo", "passive")}
    assert len(set(fired.values())) == 1 and NEVER not in fired.values()   # the same year for all: 2043 or 2044
    year = next(iter(fired.values()))
    assert runs["status_quo", "passive"].year == year + 1 == runs["exclusive", "gap_filling"].year

    def before(model: ExitModel) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
        frame = model.timeseries()
        states = model.datacollector.get_agent_vars_dataframe()
        events = model.events.to_frame()
        return frame[frame.year < year], states[states.year < year], events[events.year < year].reset_index(drop=True)

    for a, b in itertools.combinations(COMBINATIONS, 2):
        for x, y in zip(before(runs[a]), before(runs[b]), strict=True):
            pd.testing.assert_frame_equal(x, y, obj=f"{a} vs {b}")
    # from the trigger on, the strategies differ: at least some of them act in its year
    acted = {c: int(m.timeseries().strategic_actions.iloc[-1]) for c, m in runs.items()}
    assert acted["status_quo", "passive"] == 0 and max(acted.values()) > 0


@pytest.mark.parametrize("scenario", ["default", "world"])
@pytest.mark.parametrize("hegemon, rising", COMBINATIONS)
def test_every_combination_runs_to_the_horizon_with_positive_power_and_shares_summing_to_one(scenario, hegemon,
                                                                                               rising):
    model = _run(scenario, hegemon, rising)
    assert model.year == model.config.start_year + model.config.steps
    frame = model.timeseries()
    states = model.datacollector.get_agent_vars_dataframe()
    assert np.isfinite(states.power).all() and (states.power > 0).all()
    np.testing.assert_allclose(states.groupby("year").power_share.sum(), 1.0, rtol=1e-12)
    budget = frame[["budget_share_hegemon", "budget_share_rising", "budget_share_rest"]].sum(axis=1)
    np.testing.assert_allclose(budget, 1.0, rtol=1e-12)
    assert frame.drop(columns=["hegemon_power_share", "rising_power_share"]).notna().all().all()
    assert (frame.hegemon_voluntary >= 0).all() and (frame.rising_voluntary >= 0).all()
    assert bool(frame.strategy_active.iloc[-1]) == ((hegemon, rising) != ("status_quo", "passive"))
