"""A sweep over the great powers' strategies keeps what the strategies did."""

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from scenario_texts import SWEEP_WORLD

import exitsim
from exitsim import ExitModel
from exitsim.analysis import load_events, load_results
from exitsim.outcomes import STRATEGY_MEASURES
from exitsim.scenario import load_scenario
from exitsim.sweep.seeds import run_seed
from exitsim.transition import ratio_decomposition

EXPERIMENT = """\
scenario: small.yaml
steps: 5
overrides:
  parameters.strategies.strategy_trigger: 3.0    # the hegemon's lead 2.5 is below it: active from the first year
factors:
  parameters.strategies.hegemon_strategy: [status_quo, exit_diplomacy, inclusive]
seeds: {root: 8, replications: 2}
keep:
  at_horizon: [hegemon_rising_ratio, strategy_activation_year, ratio_log_change, ratio_from_growth, ratio_from_noise,
               ratio_from_institutions]
  events: strategic
"""


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("strategies")
    (folder / "small.yaml").write_text(SWEEP_WORLD, encoding="utf-8")
    (folder / "exp.yaml").write_text(EXPERIMENT, encoding="utf-8")
    with ThreadPoolExecutor(2) as executor:
        assert exitsim.sweep(folder / "exp.yaml", executor, out=folder / "out").complete
    return folder / "out"


def model_of(store: Path, replication: int, strategy: str) -> ExitModel:
    scenario = load_scenario(store.parent / "small.yaml", overrides=["parameters.strategies.strategy_trigger=3.0"])
    return ExitModel(scenario, seed=run_seed(8, (replication,)), steps=5,
                     parameters={"hegemon_strategy": strategy}).run()


def test_the_yearly_table_keeps_the_strategies_columns(store):
    yearly = load_results(store)
    assert set(STRATEGY_MEASURES) <= set(yearly.columns)
    model = model_of(store, 1, "inclusive")
    mine = yearly[(yearly.hegemon_strategy == "inclusive") & (yearly.replication == 1)]
    expected = model.timeseries()
    for name in STRATEGY_MEASURES:
        assert mine[name].tolist() == expected[name].tolist(), name
    assert mine["strategic_actions"].sum() > 0


def test_the_horizon_keeps_the_activation_year_and_the_ratio_decomposition(store):
    horizon = load_results(store, "horizon")
    model = model_of(store, 0, "exit_diplomacy")
    row = horizon[(horizon.hegemon_strategy == "exit_diplomacy") & (horizon.replication == 0)].iloc[0]
    assert row.strategy_activation_year == model.config.start_year + 1
    for name, value in ratio_decomposition(model).items():
        assert row[name] == value, name
    quiet = horizon[horizon.hegemon_strategy == "status_quo"]
    assert quiet["strategy_activation_year"].isna().all()  # nothing to activate under status_quo/passive


def test_strategic_events_are_only_those_a_strategy_caused(store):
    events = load_events(store)
    model = model_of(store, 1, "inclusive")
    full = model.events.to_frame()
    assert len(full) > len(full[full.cause == "inclusive"]) > 0
    mine = events[(events.hegemon_strategy == "inclusive") & (events.replication == 1)]
    assert mine["kind"].tolist() == full[full.cause == "inclusive"]["kind"].tolist()
    assert set(events["cause"]) <= {"exit_diplomacy", "inclusive"}
    assert "turnover" in set(full["kind"]) and "turnover" not in set(events["kind"])
