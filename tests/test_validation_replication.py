"""The replication's sweep side and tables (exitsim/validation/replication.py): a sweep keeps the
case-control panel without changing any result, every notice of every run is in it, and the
tables name the variants and the signs."""

from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pandas as pd
import pytest
from scenario_texts import SWEEP_WORLD

import exitsim
from exitsim.analysis import load_results
from exitsim.sweep.store import Store
from exitsim.validation import replication

EXPERIMENT = """\
name: panel
scenario: small.yaml
steps: 25
factors:
  parameters.decisions.beta_contagion: [3.2, 0.0]
  parameters.decisions.baseline_notice: [-6.0]
seeds:
  root: 5
  replications: 3
keep:
  every_year: [at_risk, notices]
  at_horizon: [notices_total]
  panel: {share}
"""


def _sweep(folder, share):
    (folder / "small.yaml").write_text(SWEEP_WORLD, encoding="utf-8")
    path = folder / "panel.yaml"
    path.write_text(EXPERIMENT.format(share=share), encoding="utf-8")
    out = folder / "out"
    with ThreadPoolExecutor(1) as executor:
        assert exitsim.sweep(path, executor, out=out).complete
    return out


@pytest.fixture(scope="module")
def sampled(tmp_path_factory):
    return _sweep(tmp_path_factory.mktemp("sampled"), 0.1)


def test_the_panel_keeps_every_notice_and_the_share_of_the_other_rows(sampled):
    panel = load_results(sampled, "panel")
    yearly = load_results(sampled, "yearly")
    for run_id, rows in panel.groupby("run_id"):
        run = yearly[yearly.run_id == run_id]
        assert rows.notice.sum() == run.notices.sum() == rows.population_events.iloc[0]
        assert rows.population_rows.iloc[0] == run.at_risk.sum()
        controls = run.at_risk.sum() - run.notices.sum()
        assert (rows.notice == 0).sum() == round(0.1 * controls)
    assert panel.notice.sum() > 0


def test_keeping_the_panel_changes_no_result(sampled, tmp_path):
    text = EXPERIMENT.replace("  panel: {share}\n", "")
    (tmp_path / "small.yaml").write_text(SWEEP_WORLD, encoding="utf-8")
    (tmp_path / "plain.yaml").write_text(text, encoding="utf-8")
    with ThreadPoolExecutor(1) as executor:
        exitsim.sweep(tmp_path / "plain.yaml", executor, out=tmp_path / "plain")
    pd.testing.assert_frame_equal(load_results(sampled, "yearly"), load_results(tmp_path / "plain", "yearly"))


def test_the_tables_name_each_variant_and_compare_signs_with_the_published_ones(sampled):
    store = Store(sampled)
    design = store.table("design")
    text = replication.markdown(load_results(sampled, "panel"), design,
                                {"beta_contagion": 3.2, "baseline_notice": -6.0}, "`abc`", 3, 25, 0.1, 1.0, 1.0)
    assert text.startswith("Model version: `abc`")
    assert "| full model |" in text and "| contagion off |" in text
    assert text.count("| regressor | Firth") == 2  # one table per variant
    assert "**full model**" in text and "**contagion off**" in text
    assert "| published | | | | + | + | n.s. | + |" in text


def test_population_share_pools_the_runs_counts():
    sample = pd.DataFrame({"run_id": ["a", "a", "b"], "population_rows": [1000, 1000, 3000],
                           "population_events": [2, 2, 6]})
    assert replication.population_share(sample) == pytest.approx(8 / 4000)


@pytest.mark.parametrize("coef, p, expected", [(0.5, 0.01, "+"), (-0.5, 0.001, "−"), (2.0, 0.05, "n.s."),
                                               (np.nan, np.nan, "n.s.")])
def test_sign_is_given_only_at_five_percent(coef, p, expected):
    assert replication.sign(coef, p) == expected


def test_a_variant_is_named_by_what_it_switched_off():
    row = pd.Series({"beta_contagion": 0.0, "nativist_cost": 0.0})
    defaults = {"beta_contagion": 3.2, "nativist_cost": 0.5}
    assert replication.variant_name(row, ["beta_contagion", "nativist_cost"], defaults) == (
        "contagion off and nativism's channel off (μ = 0)")
    assert replication.variant_name(pd.Series(defaults), list(defaults), defaults) == "full model"
