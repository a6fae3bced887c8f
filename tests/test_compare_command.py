"""python run.py compare: the hegemon's strategies, paired, printed and written whole."""

import json
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pandas as pd
import pytest
from scenario_texts import SWEEP_WORLD

import exitsim
from exitsim.cli import main

ARGS = ["--replications", "3", "--steps", "4", "--root", "5", "--workers", "1", "--quiet",
        "--set", "parameters.strategies.strategy_trigger=3.0"]


@pytest.fixture(scope="module")
def compared(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("compare")
    (folder / "small.yaml").write_text(SWEEP_WORLD, encoding="utf-8")
    assert main(["compare", str(folder / "small.yaml"), *ARGS, "--out", str(folder / "out")]) == 0
    return folder


def test_compare_writes_its_table_figure_and_record(compared):
    out = compared / "out"
    assert sorted(p.name for p in out.iterdir()) == sorted(
        ["compare.md", "figure.png", "means.csv", "differences.csv", "run.json"])
    text = (out / "compare.md").read_text(encoding="utf-8")
    assert "| at the horizon | status quo: mean [95% CI] | exit diplomacy − status quo | inclusive − status quo | " \
           "exclusive − status quo |" in text
    assert "**Relative power.** Against a passive rising power" in text
    assert "**How large.** Over the 4 years, under the baseline the growth rates alone multiply" in text
    record = json.loads((out / "run.json").read_text(encoding="utf-8"))
    assert (record["finished"], record["replications"], record["root_seed"], record["steps"]) == (True, 3, 5, 4)
    assert record["strategies"] == ["status_quo", "exit_diplomacy", "inclusive", "exclusive"]
    assert (out / "figure.png").stat().st_size > 10_000
    assert not (out / ".exitsim-staging").exists()  # the sweep it ran in the staging area is gone


def test_compare_prints_the_table_and_the_reading(compared, capsys):
    args = [a for a in ARGS if a != "--quiet"]
    assert main(["compare", str(compared / "small.yaml"), *args, "--out", str(compared / "again")]) == 0
    printed = capsys.readouterr().out
    assert "| The hegemon/rising power ratio P_H/P_R |" in printed and "**Relative power.**" in printed
    assert f"to {compared / 'again'}/ in " in printed
    assert (compared / "again" / "differences.csv").read_bytes() == (compared / "out" / "differences.csv").read_bytes()


def test_compare_has_the_experiments_runs_under_the_same_root(compared, tmp_path):
    """Replication r of compare is replication r of a sweep of the same strategies and root."""
    (tmp_path / "small.yaml").write_text(SWEEP_WORLD, encoding="utf-8")
    (tmp_path / "exp.yaml").write_text(
        "scenario: small.yaml\nsteps: 4\noverrides: {parameters.strategies.strategy_trigger: 3.0}\n"
        "factors:\n  parameters.strategies.hegemon_strategy: [status_quo, exit_diplomacy, inclusive, exclusive]\n"
        "seeds: {root: 5, replications: 3}\nkeep: {at_horizon: [hegemon_rising_ratio, hegemon_leadership_share]}\n",
        encoding="utf-8")
    with ThreadPoolExecutor(2) as executor:
        exitsim.sweep(tmp_path / "exp.yaml", executor, out=tmp_path / "out")
    horizon = exitsim.load_results(tmp_path / "out", "horizon")
    means = pd.read_csv(compared / "out" / "means.csv")
    for strategy, group in horizon.groupby("hegemon_strategy"):
        row = means[(means.hegemon_strategy == strategy) & (means.outcome == "hegemon_rising_ratio")]
        assert row["mean"].item() == pytest.approx(group["hegemon_rising_ratio"].mean(), rel=1e-9), strategy


def test_a_bad_override_is_reported_at_its_place_and_nothing_is_written(tmp_path, capsys):
    code = main(["compare", "--set", "parameters.strategies.hegemon_strategy=exit_diplomcy", "--out",
                 str(tmp_path / "out"), "--quiet"])
    assert code == 2
    message = capsys.readouterr().err
    assert "hegemon_strategy" in message and "exit_diplomacy" in message and "Traceback" not in message
    assert not (tmp_path / "out").exists()


def test_bad_numbers_on_the_command_line_are_refused_with_what_to_give(capsys):
    with pytest.raises(SystemExit) as stop:
        main(["compare", "--replications", "0"])
    assert stop.value.code == 2 and "must be at least 1, got 0" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["compare", "--steps", "5000"])
    assert "between 1 and 1000" in capsys.readouterr().err


def test_an_output_folder_that_is_a_file_is_refused(tmp_path, capsys):
    (tmp_path / "taken").write_text("x")
    assert main(["compare", "--out", str(tmp_path / "taken"), "--quiet"]) == 2
    assert "is a file, not a folder" in capsys.readouterr().err
