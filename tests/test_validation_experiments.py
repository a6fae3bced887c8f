"""The focused experiments' figures and the record comparison (exitsim/validation/experiments.py,
record.py), on hand-made tables."""

import numpy as np
import pandas as pd
import pytest

from exitsim.clauses import load_templates
from exitsim.validation import experiments, record


def test_threat_share_by_hand():
    runs = pd.DataFrame({"threats_total": [3, 0, 0], "notices_total": [1, 4, 0]})
    share = experiments.threat_share(runs)
    assert share.iloc[0] == 0.75 and share.iloc[1] == 0.0 and np.isnan(share.iloc[2])


def test_mean_interval_by_hand():
    mean, low, high = experiments.mean_interval([1.0, 3.0, np.nan])
    # t(0.975, 1) = 12.706, sd = 1.414, / sqrt(2) = 1
    assert mean == 2.0 and high - mean == pytest.approx(12.7062, rel=1e-4) and mean - low == pytest.approx(12.7062,
                                                                                                          rel=1e-4)


def test_cascade_sizes_leave_out_cut_windows_and_count_runs_without_seeds():
    cascades = pd.DataFrame({"run_id": ["a", "a", "a", "b"], "size": [0, 4, 9, 2],
                             "censored": [False, False, True, False]})
    runs = pd.DataFrame({"run_id": ["a", "b", "c"], "point": [0, 0, 0], "replication": [0, 1, 2]})
    sizes = experiments.cascade_sizes(cascades, runs).set_index("run_id")
    assert sizes.loc["a", "seeds"] == 2 and sizes.loc["a", "mean_size"] == 2.0
    assert sizes.loc["a", "followed"] == 0.5 and sizes.loc["a", "followed_3"] == 0.5 and sizes.loc["a", "largest"] == 4
    assert sizes.loc["c", "seeds"] == 0 and np.isnan(sizes.loc["c", "mean_size"])


def test_contagion_beyond_chance_is_the_paired_excess_over_no_contagion():
    sizes = pd.DataFrame({"beta_contagion": [0.0, 0.0, 3.2, 3.2], "alignment_rate": [0.05] * 4,
                          "replication": [0, 1, 0, 1], "seeds": [2, 2, 2, 2], "mean_size": [0.5, 1.0, 2.5, 2.0],
                          "followed": [0.5] * 4, "followed_3": [0.0] * 4, "largest": [1, 2, 4, 3]})
    text = experiments.contagion_markdown(sizes, "beta_contagion", "alignment_rate", "`x`", 2, 50, "default", 1, 1)
    row = next(line for line in text.splitlines() if line.startswith("| 3.2 |"))
    assert row.endswith("| 1.500 [-4.853, 7.853] |")  # excesses 2.0 and 1.0: mean 1.5, t(1) × 0.5
    assert next(line for line in text.splitlines() if line.startswith("| 0 |")).endswith("| — |")


def test_retrenchment_table_has_a_cell_per_cost_and_concession_intercept():
    rows = [{"domestic_switching_cost": c, "concession_intercept": z, "replication": r,
             "threats_total": 1 + c, "notices_total": 2} for c in (0.0, 3.0) for z in (-5.0, -1.0) for r in range(3)]
    text = experiments.retrenchment_markdown(pd.DataFrame(rows), "domestic_switching_cost", "concession_intercept",
                                             "`x`", 3, 70, "world-calibrated", 1, 1)
    assert "| 0 | 0.333 [0.333, 0.333] | 0.333 [0.333, 0.333] |" in text
    assert "| 3 | 0.667 [0.667, 0.667] | 0.667 [0.667, 0.667] |" in text
    assert "changes by +0.333 [+0.333, +0.333]" in text


def test_the_record_names_organizations_of_the_clauses_file_and_known_kinds():
    acts = record.load_record()
    assert set(acts["organization"]) <= {t.abbreviation for t in load_templates()}
    assert set(acts["kind"]) <= {"threat", "notice", "non_treaty_exit", "rescission", "effective", "rejoin"}
    assert acts["year"].between(2017, 2026).all() and acts["month"].between(1, 12).all()
    assert acts["source"].str.len().min() > 10
    assert record.record_summary(acts, "UPU") == "notice 2018-10; rescinded 2019-09"
    assert record.record_summary(acts, "IMF") == "nothing"


def test_runs_with_counts_runs_not_events_and_tells_non_treaty_exits_apart():
    events = pd.DataFrame([
        ("r1", "USA", "threat", "NATO", ""), ("r1", "USA", "threat", "NATO", ""), ("r2", "USA", "threat", "NATO", ""),
        ("r1", "USA", "notice", "UNESCO", "explicit_clause"), ("r1", "USA", "withdrawal", "UNESCO", "explicit_clause"),
        ("r2", "USA", "withdrawal", "UNHRC", "non_treaty"), ("r2", "CHN", "notice", "WHO", "implied_right"),
        ("r1", "USA", "notice", "F2019-3", "explicit_clause"), ("r2", "USA", "notice", "F2020-9", "explicit_clause"),
    ], columns=["run_id", "state", "kind", "organization", "substantive"])
    table = record.runs_with(events, ["NATO", "UNESCO", "UNHRC", "WHO"], runs=2)
    assert table.loc["NATO", "threatened"] == 2
    assert table.loc["UNESCO", "gave notice"] == 1 and table.loc["UNESCO", "notice took effect"] == 1
    assert table.loc["UNHRC", "notice took effect"] == 0 and table.loc["UNHRC", "left (non-treaty)"] == 1
    assert table.loc["WHO"].sum() == 0  # China's notice is not the United States'
    assert table.loc[record.OTHERS, "gave notice"] == 2  # organizations founded during the runs, together
    per_run = record.acts_per_run(events, ["r1", "r2", "r3"])
    assert per_run.loc["r1"].tolist() == [2, 2, 0] and per_run.loc["r3"].tolist() == [0, 0, 0]
