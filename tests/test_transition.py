"""What moved the hegemon/rising ratio over a run: growth, luck and institutions add up to its change."""

import numpy as np
import pytest

from exitsim import ExitModel, load_scenario
from exitsim.codes import HEGEMON, RISING
from exitsim.mechanisms.flows import FLOW_NAMES
from exitsim.transition import RATIO_PARTS, ratio_decomposition


def test_the_growth_part_is_the_years_times_the_gap_in_growth_rates():
    model = ExitModel(steps=12).run()
    world = model.world
    gap = world.growth[world.role_index(HEGEMON)] - world.growth[world.role_index(RISING)]
    assert ratio_decomposition(model)["ratio_from_growth"] == pytest.approx(12 * gap)
    assert gap == pytest.approx(0.02 - 0.05)  # default.yaml: the hegemon grows 2% a year, the rising power 5%


def test_the_parts_add_up_to_the_change_of_the_log_ratio():
    model = ExitModel(steps=20, parameters={"hegemon_strategy": "exit_diplomacy", "strategy_trigger": 3.0}).run()
    parts = ratio_decomposition(model)
    ratio = model.timeseries()["hegemon_rising_ratio"]
    assert parts["ratio_log_change"] == pytest.approx(np.log(ratio.iloc[-1] / ratio.iloc[0]), abs=1e-14)
    total = parts["ratio_from_growth"] + parts["ratio_from_noise"] + parts["ratio_from_institutions"]
    assert total == pytest.approx(parts["ratio_log_change"], abs=1e-12)
    assert list(parts) == list(RATIO_PARTS)


def test_without_institutional_effect_on_power_the_institutions_part_vanishes():
    """κ = 0: growth and luck are the whole change; what is left for institutions is rounding."""
    model = ExitModel(steps=15, parameters={"institutional_rate": 0.0}).run()
    parts = ratio_decomposition(model)
    assert abs(parts["ratio_from_noise"]) > 1e-3
    assert abs(parts["ratio_from_institutions"]) < 1e-12


def test_the_institutions_part_is_the_sum_of_every_flow_and_the_rest():
    model = ExitModel(steps=20, parameters={"hegemon_strategy": "exclusive", "strategy_trigger": 3.0}).run()
    frame = model.timeseries()
    flows = [f"ratio_change_{name}" for name in (*FLOW_NAMES, "other")]
    assert ratio_decomposition(model)["ratio_from_institutions"] == pytest.approx(frame[flows].to_numpy().sum(),
                                                                                  abs=1e-12)


def test_with_institutions_on_their_part_is_not_zero():
    parts = ratio_decomposition(ExitModel(steps=15).run())
    assert abs(parts["ratio_from_institutions"]) > 1e-4


def test_common_random_numbers_share_growth_and_noise_so_a_paired_difference_is_institutional():
    seed = np.random.SeedSequence(4, spawn_key=(2,))
    runs = [ratio_decomposition(ExitModel(steps=25, seed=seed, parameters={"hegemon_strategy": strategy,
                                                                             "strategy_trigger": 3.0}).run())
            for strategy in ("status_quo", "exclusive")]
    assert runs[0]["ratio_from_growth"] == runs[1]["ratio_from_growth"]
    assert runs[0]["ratio_from_noise"] == runs[1]["ratio_from_noise"]
    assert runs[0]["ratio_log_change"] != runs[1]["ratio_log_change"]
    assert (runs[1]["ratio_log_change"] - runs[0]["ratio_log_change"]) == pytest.approx(
        runs[1]["ratio_from_institutions"] - runs[0]["ratio_from_institutions"], abs=1e-12)


def test_a_world_without_great_powers_has_no_decomposition():
    model = ExitModel(load_scenario(None, overrides=["generate.hegemon=false"]), steps=2).run()
    assert all(np.isnan(v) for v in ratio_decomposition(model).values())
