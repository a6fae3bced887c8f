"""Reading stored sweeps: statistics on hand-computed cases, sensitivity indices, ablation effects."""

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scenario_texts import SWEEP_WORLD

import exitsim
from exitsim.analysis import load_results, mean_ci, paired_differences, sensitivity_indices, write_report


def run_experiment(tmp_path: Path, body: str) -> Path:
    (tmp_path / "small.yaml").write_text(SWEEP_WORLD)
    path = tmp_path / "exp.yaml"  # a high propensity to leave, so that runs of 4 years have notices
    path.write_text("scenario: small.yaml\nsteps: 4\noverrides:\n  parameters.decisions.baseline_notice: -5.0\n"
                    + body)
    with ThreadPoolExecutor(2) as executor:
        summary = exitsim.sweep(path, executor, out=tmp_path / "out")
    assert summary.complete
    return tmp_path / "out"


def test_mean_ci_is_students_interval():
    mean, low, high, n = mean_ci([2.0, 4.0, 6.0, 8.0, np.nan])
    half = 3.182446305284263 * np.std([2, 4, 6, 8], ddof=1) / 2  # t(0.975, 3) × s / √4
    assert (mean, n) == (5.0, 4) and low == pytest.approx(5 - half) and high == pytest.approx(5 + half)


def test_paired_differences_match_on_replication_and_the_other_factors():
    frame = pd.DataFrame({"replication": [0, 1, 0, 1, 0, 1, 0, 1], "a": [0, 0, 1, 1, 0, 0, 1, 1],
                          "b": [0, 0, 0, 0, 1, 1, 1, 1], "y": [1.0, 5.0, 2.0, 7.0, 10.0, 50.0, 13.0, 52.0]})
    found = paired_differences(frame, "a", ["b"], "y", 0).iloc[0]
    assert found["pairs"] == 4 and found["difference"] == np.mean([1.0, 2.0, 3.0, 2.0])


def test_sobol_indices_find_the_only_factor_that_matters():
    from SALib.sample import sobol

    units = sobol.sample({"num_vars": 2, "names": ["a", "b"], "bounds": [[0, 1]] * 2}, 256,
                         calc_second_order=False, seed=1)
    found = sensitivity_indices("sobol", units, 4 * units[:, 0] ** 2, ["a", "b"])
    assert found.set_index("factor")["ST"]["a"] == pytest.approx(1.0, abs=0.05)
    assert found.set_index("factor")["ST"]["b"] == pytest.approx(0.0, abs=0.01)


def test_morris_mu_star_is_the_elementary_effect_of_a_linear_outcome():
    from SALib.sample import morris

    units = morris.sample({"num_vars": 2, "names": ["a", "b"], "bounds": [[0, 1]] * 2}, 6, num_levels=4, seed=2)
    found = sensitivity_indices("morris", units, 3 * units[:, 0] - 0.5 * units[:, 1], ["a", "b"])
    assert found["mu_star"].tolist() == pytest.approx([3.0, 0.5])


def test_a_sampled_sweep_stores_its_coordinates_and_reports_sobol_indices(tmp_path):
    out = run_experiment(tmp_path, """factors:
  parameters.decisions.beta_window: {low: 0.0, high: 1.0}
  parameters.institutions.leak: {low: 0.0, high: 0.2}
design: {kind: sobol, samples: 4}
keep: {every_year: [notices], at_horizon: [notices_total, hegemon_rising_ratio]}
""")
    units = pd.read_parquet(out / "design_units.parquet")
    design = pd.read_parquet(out / "design.parquet")
    assert len(units) == len(design) == 4 * (2 + 2)
    assert np.allclose(design["leak"], 0.2 * units["leak"])
    text = write_report(out).read_text()
    assert "## Sobol sensitivity indices" in text and "| beta_window |" in text and "| leak |" in text
    assert "**Few samples:** with N = 4 base samples these estimates are rough" in text


def test_an_ablation_reports_each_switch_against_every_mechanism_on(tmp_path):
    out = run_experiment(tmp_path, """design: {kind: ablation, switches: [exit_decisions, leak]}
seeds: {root: 3, replications: 3}
keep: {every_year: [notices], at_horizon: [notices_total]}
""")
    horizon = load_results(out, "horizon")
    assert sorted(horizon["ablated"].unique()) == ["exit_decisions", "leak", "none"]
    assert (horizon[horizon.ablated == "exit_decisions"]["notices_total"] == 0).all()
    on = horizon[horizon.ablated == "none"]["notices_total"]
    assert on.sum() > 0  # a high propensity to leave, so that switching decisions off shows
    text = write_report(out).read_text()
    mean, low, high, _ = mean_ci(-on.to_numpy(float))
    assert f"| exit_decisions | notices_total | 3 | {mean:.4g} [{low:.4g}, {high:.4g}] |" in text
    assert (out / "figures" / "ablation.png").is_file()


def test_a_latin_hypercube_sweep_groups_levels_in_quartiles(tmp_path):
    out = run_experiment(tmp_path, """factors:
  parameters.decisions.beta_window: {low: 0.0, high: 1.0}
design: {kind: latin_hypercube, samples: 16}
keep: {every_year: [notices], at_horizon: [notices_total]}
""")
    assert len(load_results(out, "horizon")) == 16
    text = write_report(out).read_text()
    assert "### `beta_window (quartile)`" in text and text.count("| 4 | ") == 4
    assert np.array_equal(np.sort(np.floor(pd.read_parquet(out / "design_units.parquet")["beta_window"] * 16)),
                          np.arange(16))


def test_the_memberships_table_is_each_runs_panel_year_by_year(tmp_path):
    from exitsim.model import ExitModel
    from exitsim.scenario import load_scenario
    from exitsim.sweep.seeds import run_seed

    out = run_experiment(tmp_path, """factors:
  parameters.decisions.beta_window: [0.7]
seeds: {root: 6, replications: 2}
keep: {every_year: [], at_horizon: [notices_total], memberships: true}
""")
    stored = load_results(out, "memberships")
    assert sorted(stored["replication"].unique()) == [0, 1]
    model = ExitModel(load_scenario(tmp_path / "small.yaml", ["parameters.decisions.baseline_notice=-5.0"]),
                      seed=run_seed(6, (1,)), steps=4, parameters={"beta_window": 0.7})
    panels = [model.membership_panel()]
    for _ in range(4):
        model.step()
        panels.append(model.membership_panel())
    expected = pd.concat(panels, ignore_index=True)
    mine = stored[stored.replication == 1][list(expected.columns)].reset_index(drop=True)
    pd.testing.assert_frame_equal(mine, expected, check_dtype=False)
    assert load_results(out).empty  # no yearly outcomes were kept
