"""The report of a strategy sweep: the models' own numbers, paired; the same tables bit for bit."""

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scenario_texts import SWEEP_WORLD

import exitsim
from exitsim import ExitModel
from exitsim.analysis import write_report
from exitsim.cli import main
from exitsim.scenario import load_scenario
from exitsim.sweep.seeds import run_seed

EXPERIMENT = """\
name: small_strategies
description: Which strategy, on a small world?
scenario: small.yaml
steps: 5
overrides:
  parameters.strategies.strategy_trigger: 3.0    # active from the first year: the hegemon's lead is 2.5
factors:
  parameters.strategies.hegemon_strategy: [status_quo, exit_diplomacy, exclusive]
  parameters.strategies.rising_strategy: [passive, counter_institutions]
seeds: {root: 5, replications: 3}
keep:
  every_year: [hegemon_rising_ratio, hegemon_leadership_share, public_goods, strategy_active, strategic_actions]
  at_horizon: [hegemon_rising_ratio, transition_year, hegemon_leadership_share, rising_leadership_share, hierarchy,
               public_goods, organizations_alive, withdrawals_total, strategy_activation_year, ratio_log_change,
               ratio_from_growth, ratio_from_noise, ratio_from_institutions]
  events: strategic
"""


def sweep(folder: Path, workers: int, text: str = EXPERIMENT) -> Path:
    (folder / "small.yaml").write_text(SWEEP_WORLD, encoding="utf-8")
    (folder / "exp.yaml").write_text(text, encoding="utf-8")
    with ThreadPoolExecutor(workers) as executor:
        assert exitsim.sweep(folder / "exp.yaml", executor, out=folder / "out").complete
    return folder / "out"


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> Path:
    out = sweep(tmp_path_factory.mktemp("strategy_report"), 2)
    write_report(out)
    return out


def horizon_of(store: Path, hegemon: str, rising: str, replication: int) -> pd.Series:
    scenario = load_scenario(store.parent / "small.yaml", overrides=["parameters.strategies.strategy_trigger=3.0"])
    model = ExitModel(scenario, seed=run_seed(5, (replication,)), steps=5,
                      parameters={"hegemon_strategy": hegemon, "rising_strategy": rising}).run()
    return model.timeseries().iloc[-1]


def test_the_report_has_the_reading_the_tables_and_the_figures(store):
    text = (store / "report.md").read_text(encoding="utf-8")
    for heading in ("## Reading", "## The main table", "## The hegemon's choice against each response",
                    "## Every pair", "## Trajectories", "## Activation and actions", "## What moved the ratio",
                    "## Definitions"):
        assert heading in text, heading
    assert "Which strategy, on a small world?" in text and "**18 done**" in text
    assert "**Relative power.** Against a passive rising power" in text
    for name in ("differences", "trajectories", "trajectories_rising", "decomposition"):
        assert (store / "figures" / f"{name}.png").stat().st_size > 1000 and f"figures/{name}.png" in text
    for name in ("means", "differences", "choice", "activation", "actions"):
        assert (store / "tables" / f"{name}.csv").is_file(), name


def test_a_paired_difference_in_the_tables_is_the_mean_of_the_models_own_differences(store):
    table = pd.read_csv(store / "tables" / "differences.csv")
    row = table[(table.pair == "exclusive / counter_institutions") & (table.outcome == "hegemon_leadership_share")]
    mine = [horizon_of(store, "exclusive", "counter_institutions", r)["hegemon_leadership_share"]
            - horizon_of(store, "status_quo", "passive", r)["hegemon_leadership_share"] for r in range(3)]
    assert row["pairs"].item() == 3
    assert row["difference"].item() == pytest.approx(np.mean(mine), rel=1e-9)
    assert len(table[table.pair == "status_quo / passive"]) == 0  # the baseline is not compared with itself


def test_growth_and_luck_are_shared_so_their_paired_differences_are_zero(store):
    table = pd.read_csv(store / "tables" / "differences.csv")
    shared = table[table.outcome.isin(["ratio_from_growth", "ratio_from_noise"])]
    assert len(shared) == 2 * 5 and (shared["difference"] == 0).all()


def test_activation_and_actions_come_from_the_stored_runs(store):
    activation = pd.read_csv(store / "tables" / "activation.csv").set_index("pair")
    assert activation.loc["status_quo / passive", "active"] == 0
    assert (activation.drop("status_quo / passive")["first"] == 2026).all()  # small.yaml starts in 2025
    acts = pd.read_csv(store / "tables" / "actions.csv")
    assert set(acts["strategy"]) <= {"exit_diplomacy", "exclusive", "counter_institutions"}
    founding = acts[(acts.pair == "exclusive / passive") & (acts.action == "founding")]
    assert len(founding) == 1 and founding["per_run"].item() > 0


def test_the_same_experiment_gives_the_same_tables_bit_for_bit(store, tmp_path):
    again = sweep(tmp_path, 1)
    write_report(again)
    for path in sorted((store / "tables").glob("*.csv")):
        assert (again / "tables" / path.name).read_bytes() == path.read_bytes(), path.name


def test_other_factors_give_a_sensitivity_section(tmp_path):
    text = EXPERIMENT.replace("  parameters.strategies.rising_strategy: [passive, counter_institutions]\n",
                              "  parameters.institutions.absorptive_exponent: [0.4, 0.9]\n"
                              "  parameters.institutions.access_spillover: [5.0e-5, 4.5e-4]\n")
    out = sweep(tmp_path, 2, text)
    assert main(["report", str(out)]) == 0
    report = (out / "report.md").read_text(encoding="utf-8")
    assert "## Sensitivity" in report and "#### The ratio's difference at every setting" in report
    sensitivity = pd.read_csv(out / "tables" / "sensitivity.csv")
    assert set(sensitivity["factor"]) == {"absorptive_exponent", "access_spillover"}
    assert set(sensitivity["pairs"]) == {6}  # 3 replications × the other factor's 2 levels
    assert set(sensitivity.loc[sensitivity["pairs"] > 0, "clusters"]) == {3}  # … but only 3 independent seeds
    differences = pd.read_csv(out / "tables" / "differences.csv")
    assert set(differences.loc[differences["pairs"] > 0, "clusters"]) == {3}
    assert ("* Intervals: replication r has the same seed at every setting of `absorptive_exponent`, "
            "`access_spillover`, so they are not independent of each other") in report
    assert "intervals are cluster-robust by replication, whose seed recurs at every setting" in report
    assert len(pd.read_csv(out / "tables" / "settings.csv")) == 4 * 2  # 4 settings × 2 strategies


def test_a_report_borrows_its_sensitivity_panel_from_the_experiment_it_names(tmp_path):
    """report.sensitivity: a strategies-only store shows the panel of the store beside it that varies
    ν and ω too; before that store exists, the report says what to run."""
    main_text = EXPERIMENT + "report:\n  sensitivity: small_sensitivity\n"
    (tmp_path / "results").mkdir()
    plain = sweep(tmp_path, 2, main_text).rename(tmp_path / "results" / "small_strategies")
    report = write_report(plain).read_text(encoding="utf-8")
    assert ("## Sensitivity\n\nThe sensitivity panel comes from the experiment `small_sensitivity`, not run yet: "
            "`python run.py sweep experiments/small_sensitivity.yaml`, then report this one again.") in report
    other = tmp_path / "other"
    other.mkdir()
    sensitivity = sweep(other, 2, EXPERIMENT.replace("name: small_strategies", "name: small_sensitivity").replace(
        "  parameters.strategies.rising_strategy: [passive, counter_institutions]\n",
        "  parameters.institutions.absorptive_exponent: [0.4, 0.9]\n"))
    sensitivity.rename(tmp_path / "results" / "small_sensitivity")
    report = write_report(plain).read_text(encoding="utf-8")
    assert "## Sensitivity\n\nFrom the experiment `small_sensitivity` (18 of 18 runs; its own report:" in report
    assert "The headline paired differences against status quo/passive at each level of the other factors" in report
    assert (plain / "figures" / "sensitivity.png").is_file()


def test_a_store_without_a_strategy_factor_keeps_the_generic_report(tmp_path):
    text = EXPERIMENT.replace("  parameters.strategies.hegemon_strategy: [status_quo, exit_diplomacy, exclusive]\n"
                              "  parameters.strategies.rising_strategy: [passive, counter_institutions]\n",
                              "  parameters.decisions.beta_window: [0.0, 0.7]\n")
    out = sweep(tmp_path, 2, text)
    report = write_report(out).read_text(encoding="utf-8")
    assert report.startswith("# Sweep report: small_strategies") and not (out / "tables").exists()


def test_per_flow_parts_of_the_ratio_are_summed_over_each_run_when_the_store_keeps_them(store):
    """A model that records each year's ratio_change_<flow> columns gets them split by flow."""
    from exitsim.comparison.report import decomposition_lines
    from exitsim.comparison.results import Comparison
    from exitsim.sweep.store import Store

    comparison = Comparison(Store(store))
    yearly = comparison.yearly.copy()
    bump = (yearly["hegemon_strategy"] == "exclusive").astype(float) * 0.001  # exclusive: +0.001 a year
    yearly["ratio_change_access"] = 0.002 + bump
    yearly["ratio_change_dues"] = -0.003
    comparison.__dict__["yearly"] = yearly
    totals = comparison.flow_totals.set_index(["pair", "replication"])
    assert totals.loc[("status_quo / passive", 0), "ratio_change_access"] == pytest.approx(6 * 0.002)  # 6 rows a run
    text = "\n".join(decomposition_lines(comparison))
    assert "Each part by itself" in text and "Each part's paired difference from status quo/passive" in text
    headers = [line for line in text.splitlines() if line.startswith("| pair |") and "access" in line]
    assert len(headers) == 2 and all("| dues |" in line for line in headers)  # the factors, then the differences
    flows = pd.read_csv(store / "tables" / "differences.csv")  # written before: no flows there
    assert not flows["outcome"].str.startswith("ratio_change_").any()
    written = comparison.write_tables(store.parent / "flow_tables")
    assert store.parent / "flow_tables" / "flows_differences.csv" in written
    table = pd.read_csv(store.parent / "flow_tables" / "flows_differences.csv")
    row = table[(table.pair == "exclusive / passive") & (table.outcome == "ratio_change_access")]
    assert row["difference"].item() == pytest.approx(6 * 0.001)
