"""A run's files show the strategies: their columns in ``timeseries.csv``, their actions in
``events.csv`` (the cause names the strategy), and lines in ``summary.md``."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from exitsim.cli import main
from exitsim.outcomes import STRATEGY_MEASURES

ROOT = Path(__file__).resolve().parent.parent
DEFAULT = str(ROOT / "scenarios" / "default.yaml")


def test_a_strategic_run_writes_its_columns_events_and_summary(tmp_path):
    out = tmp_path / "out"
    assert main(["run", DEFAULT, "--out", str(out), "--quiet", "--steps", "4",
                 "--set", "parameters.strategies.hegemon_strategy=exclusive",
                 "--set", "parameters.strategies.rising_strategy=counter_institutions",
                 "--set", "parameters.strategies.strategy_trigger=3"]) == 0   # the lead is 2.5: active at once
    timeseries = pd.read_csv(out / "timeseries.csv")
    assert list(timeseries.columns[-len(STRATEGY_MEASURES):]) == list(STRATEGY_MEASURES)
    assert timeseries.strategy_active.tolist() == [0, 1, 1, 1, 1]
    assert timeseries.strategic_actions.iloc[1] == 4          # two clubs and two counter-institutions
    assert timeseries.club_organizations.tolist()[:3] == [0, 2, 4]   # two areas a year
    assert timeseries.counter_institutions.tolist()[:3] == [0, 2, 4]
    assert timeseries.hegemon_voluntary.iloc[1] == 0 and (timeseries.hegemon_voluntary.iloc[2:] > 0).all()
    assert (timeseries.rising_voluntary.iloc[2:] > 0).all()   # pledged in one year, paid in the next
    events = pd.read_csv(out / "events.csv", keep_default_na=False)
    strategic = events[events.cause.isin(["exclusive", "counter_institutions"])]
    first = strategic[strategic.year == 2026]
    assert first.kind.tolist() == ["strategy", "strategy", "founding", "founding", "founding", "founding"]
    assert first.state.tolist() == ["S42", "S01", "S42", "S42", "S01", "S01"]   # the hegemon, the rising power
    assert first.detail.str.contains("; members ").sum() == 4
    summary = (out / "summary.md").read_text(encoding="utf-8")
    assert ("* Strategies: the hegemon's exclusive and the rising power's counter_institutions, active from 2026 "
            f"(the hegemon's lead fell below 3); {timeseries.strategic_actions.sum()} strategic actions.") in summary
    assert f"  * exclusive: {timeseries.club_organizations.iloc[-1]} clubs founded." in summary
    assert f"  * counter_institutions: {timeseries.counter_institutions.iloc[-1]} counter-institutions founded." in summary


def test_a_run_without_strategies_says_so(tmp_path):
    out = tmp_path / "out"
    assert main(["run", DEFAULT, "--out", str(out), "--quiet", "--steps", "2"]) == 0
    summary = (out / "summary.md").read_text(encoding="utf-8")
    assert "* Strategies: none (status_quo and passive)" in summary
    timeseries = pd.read_csv(out / "timeseries.csv")
    assert not timeseries[list(STRATEGY_MEASURES)].to_numpy().any()
