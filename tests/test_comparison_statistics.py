"""Paired comparisons of strategy pairs on hand-computed tables."""

import math

import numpy as np
import pandas as pd
import pytest

from exitsim.analysis import mean_ci
from exitsim.comparison.statistics import (
    action_name,
    actions,
    activation,
    clustered_mean_ci,
    pair_means,
    paired,
    paired_by_level,
    paired_within_response,
    with_pairs,
)

T_975_2 = 4.302652729911275  # Student's t, 97.5% quantile, 2 degrees of freedom


def runs(rows: list[tuple]) -> pd.DataFrame:
    """(replication, hegemon, rising, y) rows as a pair-labelled frame."""
    frame = pd.DataFrame(rows, columns=["replication", "hegemon_strategy", "rising_strategy", "y"])
    return with_pairs(frame)


def test_a_paired_difference_is_the_mean_of_same_seed_differences_with_a_t_interval():
    frame = runs([(0, "status_quo", "passive", 1.0), (1, "status_quo", "passive", 5.0), (2, "status_quo", "passive", 9.0),
                  (0, "inclusive", "passive", 2.0), (1, "inclusive", "passive", 5.9), (2, "inclusive", "passive", 10.1)])
    row = paired(frame, ["y"], []).iloc[0]
    d = np.array([1.0, 0.9, 1.1])
    half = T_975_2 * d.std(ddof=1) / math.sqrt(3)
    assert (row["pair"], row["pairs"]) == ("inclusive / passive", 3)
    assert row["difference"] == pytest.approx(1.0)
    assert (row["low"], row["high"]) == pytest.approx((1.0 - half, 1.0 + half))
    assert row["baseline"] == pytest.approx(5.0) and row["relative"] == pytest.approx(0.2)
    # unpaired, the runs' spread (1 … 9) would swamp the difference; paired, it is clear
    assert row["low"] > 0


def test_pairs_match_on_replication_and_on_the_other_factors():
    frame = with_pairs(pd.DataFrame({
        "replication": [0, 0, 1, 1, 0, 0, 1, 1],
        "world_seed": [1, 2, 1, 2, 1, 2, 1, 2],
        "hegemon_strategy": ["status_quo"] * 4 + ["exclusive"] * 4,
        "y": [10.0, 100.0, 20.0, 200.0, 11.0, 102.0, 23.0, 204.0]}))
    row = paired(frame, ["y"], ["world_seed"]).iloc[0]
    assert row["pairs"] == 4 and row["difference"] == pytest.approx(np.mean([1.0, 2.0, 3.0, 4.0]))
    by_world = paired_by_level(frame, "world_seed", ["y"], [])
    assert by_world["world_seed"].tolist() == [1, 2]
    assert by_world["difference"].tolist() == pytest.approx([2.0, 3.0])


def test_with_worlds_as_clusters_the_interval_is_cluster_robust_and_the_difference_the_pooled_mean():
    # world 1: differences 1, 2, 6; world 2: 0, 2 (its third pair has no value)
    frame = with_pairs(pd.DataFrame({
        "replication": [0, 1, 2] * 4,
        "world_seed": [1, 1, 1, 2, 2, 2] * 2,
        "hegemon_strategy": ["status_quo"] * 6 + ["exclusive"] * 6,
        "y": [10.0, 20.0, 30.0, 5.0, 6.0, 7.0, 11.0, 22.0, 36.0, 5.0, 8.0, np.nan]}))
    row = paired(frame, ["y"], ["world_seed"], cluster="world_seed").iloc[0]
    T_975_1 = 12.706204736174698
    # CR1 by hand: mean 2.2; the worlds' summed deviations are 9 − 3·2.2 = 2.4 and 2 − 2·2.2 = −2.4;
    # se = √(2/1 · (2.4² + 2.4²)) / 5 = 0.96
    assert (row["pairs"], row["matched"], row["clusters"]) == (5, 6, 2)
    assert row["difference"] == pytest.approx(2.2)
    assert (row["low"], row["high"]) == pytest.approx((2.2 - T_975_1 * 0.96, 2.2 + T_975_1 * 0.96))
    pooled = paired(frame, ["y"], ["world_seed"]).iloc[0]
    assert pooled["difference"] == pytest.approx(2.2) and pooled["clusters"] == 0
    assert pooled["high"] - pooled["low"] < row["high"] - row["low"]  # as if 5 independent pairs
    with pytest.raises(ValueError, match="cluster 'world_seed' must be one of the factors matched on"):
        paired(frame, ["y"], [], cluster="world_seed")
    # by world, each level is one world: the cluster is dropped, not used
    by_world = paired_by_level(frame, "world_seed", ["y"], [], cluster="world_seed")
    assert by_world["difference"].tolist() == pytest.approx([3.0, 1.0])
    assert by_world["clusters"].tolist() == [0, 0]


def test_with_equal_clusters_the_cluster_robust_interval_is_the_t_interval_of_their_means():
    rng = np.random.default_rng(3)
    values, groups = rng.normal(size=12), np.repeat([0, 1, 2, 3], 3)
    mean, low, high, count = clustered_mean_ci(values, groups)
    means = [values[groups == g].mean() for g in range(4)]
    expected = mean_ci(means)
    assert count == 4 and mean == pytest.approx(expected[0])
    assert (low, high) == pytest.approx(expected[1:3])


def test_by_level_of_one_setting_the_replications_stay_clusters_over_the_other_settings():
    # two settings of ν, two of ω, two replications: replication r's seed recurs at every setting
    rows = []
    for nu in (0.4, 0.9):
        for omega in (1.0, 2.0):
            for r in (0, 1):
                base = 10.0 * r + omega
                rows += [(r, nu, omega, "status_quo", base), (r, nu, omega, "exclusive", base + 1.0 + r + 0.1 * omega)]
    frame = with_pairs(pd.DataFrame(rows, columns=["replication", "nu", "omega", "hegemon_strategy", "y"]))
    table = paired_by_level(frame, "nu", ["y"], ["omega"], cluster="replication")
    assert table["clusters"].tolist() == [2, 2] and table["pairs"].tolist() == [4, 4]


def test_a_run_without_a_value_drops_out_of_its_pair_only():
    frame = runs([(0, "status_quo", "passive", 2050.0), (1, "status_quo", "passive", np.nan),
                  (2, "status_quo", "passive", 2052.0), (0, "exclusive", "passive", 2051.0),
                  (1, "exclusive", "passive", 2049.0), (2, "exclusive", "passive", 2054.0)])
    row = paired(frame, ["y"], []).iloc[0]
    assert row["pairs"] == 2 and row["difference"] == pytest.approx(1.5)
    assert row["matched"] == 3  # the report says "2 of 3 pairs"
    from exitsim.comparison.report import _difference_cell

    assert _difference_cell(row).endswith(" (2 of 3 pairs)")
    full = paired(frame.fillna(2051.0), ["y"], []).iloc[0]
    assert "pairs)" not in _difference_cell(full)
    means = pair_means(frame, ["y"]).set_index("pair")
    assert means.loc["status_quo / passive", "n"] == 2 and means.loc["status_quo / passive", "runs"] == 3


def test_a_single_pair_has_no_interval():
    row = paired(runs([(0, "status_quo", "passive", 1.0), (0, "inclusive", "passive", 3.0)]), ["y"], []).iloc[0]
    assert row["difference"] == 2.0 and math.isnan(row["low"]) and math.isnan(row["high"])


def test_the_hegemons_choice_is_paired_against_status_quo_under_the_same_response():
    frame = runs([(r, h, s, y) for r in range(2) for (h, s, y) in [
        ("status_quo", "passive", 1.0 + r), ("exit_diplomacy", "passive", 2.0 + r),
        ("status_quo", "gap_filling", 10.0 + r), ("exit_diplomacy", "gap_filling", 14.0 + r)]])
    choice = paired_within_response(frame, ["y"], []).set_index("pair")
    assert choice.loc["exit_diplomacy / passive", "difference"] == pytest.approx(1.0)
    assert choice.loc["exit_diplomacy / gap_filling", "difference"] == pytest.approx(4.0)
    assert choice.loc["exit_diplomacy / gap_filling", "baseline_pair"] == "status_quo / gap_filling"
    against_passive = paired(frame, ["y"], []).set_index("pair")
    assert against_passive.loc["exit_diplomacy / gap_filling", "difference"] == pytest.approx(13.0)


def test_tables_list_pairs_in_the_strategies_order():
    frame = runs([(0, h, r, 1.0) for r in ("counter_institutions", "passive")
                  for h in ("exclusive", "status_quo", "exit_diplomacy")])
    assert pair_means(frame, ["y"])["pair"].tolist() == [
        "status_quo / passive", "exit_diplomacy / passive", "exclusive / passive",
        "status_quo / counter_institutions", "exit_diplomacy / counter_institutions",
        "exclusive / counter_institutions"]


def test_a_strategy_that_is_not_a_factor_takes_the_scenarios_value():
    frame = with_pairs(pd.DataFrame({"replication": [0], "hegemon_strategy": ["inclusive"]}),
                       {"rising_strategy": "gap_filling"})
    assert frame["pair"].tolist() == ["inclusive / gap_filling"]


def test_activation_counts_the_runs_and_years_in_which_the_strategies_became_active():
    frame = with_pairs(pd.DataFrame({"replication": [0, 1, 2, 0, 1, 2],
                                     "hegemon_strategy": ["status_quo"] * 3 + ["exclusive"] * 3,
                                     "strategy_activation_year": [np.nan] * 3 + [2040.0, np.nan, 2046.0]}))
    table = activation(frame).set_index("pair")
    assert table.loc["status_quo / passive", "active"] == 0
    row = table.loc["exclusive / passive"]
    assert (row["active"], row["first"], row["mean"], row["last"]) == (2, 2040.0, 2043.0, 2046.0)
    assert row["share"] == pytest.approx(2 / 3)


def test_actions_are_counted_per_run_by_strategy_and_kind_with_their_answer():
    events = with_pairs(pd.DataFrame({
        "run_id": ["a", "a", "a", "b", "b", "a"],
        "hegemon_strategy": "exit_diplomacy", "rising_strategy": "gap_filling",
        "year": [2040, 2041, 2042, 2044, 2045, 2040],
        "kind": ["reform", "reform", "notice", "notice", "contribution", "strategy"],
        "cause": ["exit_diplomacy", "exit_diplomacy", "exit_diplomacy", "exit_diplomacy", "gap_filling",
                  "exit_diplomacy"],
        "detail": ["demanded as the price of return: …", "granted: a cap …", "", "", "pledges 0.1", "active"]}))
    table = actions(events, pd.Series({"exit_diplomacy / gap_filling": 4}))
    found = {(r.strategy, r.action): (r.per_run, r.runs_with, r.first_year) for r in table.itertuples()}
    assert found == {("exit_diplomacy", "notice"): (0.5, 2, 2042), ("exit_diplomacy", "reform demanded"): (0.25, 1, 2040),
                     ("exit_diplomacy", "reform granted"): (0.25, 1, 2041), ("gap_filling", "contribution"): (0.25, 1, 2045)}


def test_action_names_tell_a_reform_or_an_admission_by_its_answer():
    assert action_name("reform", "granted: a cap of 0.2") == "reform granted"
    assert action_name("reform", "demanded as the price of return: …") == "reform demanded"
    assert action_name("admission", "proposed by USA; refused by the members (p = 0.40)") == "admission refused"
    assert action_name("admission", "proposed by USA; the members consent (p = 0.60): member from 2041") == "admission"
    assert action_name("amendment", "anything") == "amendment"
