"""The command line: `python run.py` and `python run.py run ...`."""

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scenario_texts import SMALL, TINY, write

from exitsim import ExitModel, Scenario, cli
from exitsim.cli import main
from exitsim.events import COLUMNS as EVENT_FIELDS
from exitsim.outcomes import MODEL_MEASURES, STATE_MEASURES, STRATEGY_MEASURES
from exitsim.outputs import EVENT_COLUMNS, MEMBERSHIP_PANEL_COLUMNS, OUTPUT_FILES, outputs_markdown, summary_text

ROOT = Path(__file__).resolve().parent.parent
CSV_FILES = sorted(name for name in OUTPUT_FILES if not name.endswith(".parquet"))  # a small world's default



def test_run_writes_every_output(small_file, tmp_path):
    out = tmp_path / "out"
    assert main(["run", str(small_file), "--out", str(out), "--quiet"]) == 0
    assert sorted(p.name for p in out.iterdir()) == CSV_FILES
    timeseries = pd.read_csv(out / "timeseries.csv")
    assert list(timeseries.columns) == list(MODEL_MEASURES) + list(STRATEGY_MEASURES)
    assert len(timeseries) == 5 and timeseries["year"].tolist() == [2025, 2026, 2027, 2028, 2029]
    states = pd.read_csv(out / "states.csv")
    assert list(states.columns) == ["step", "year", "state", "role", *STATE_MEASURES] and len(states) == 5 * 12
    panel = pd.read_csv(out / "memberships.csv")
    assert list(panel.columns) == list(MEMBERSHIP_PANEL_COLUMNS)
    assert sorted(panel["year"].unique()) == list(range(2025, 2030))
    record = json.loads((out / "run.json").read_text())
    assert record["seed"] == 9 and record["world_seed"] == 2 and record["scenario"]["name"] == "small"
    assert record["finished"] is True and record["files"] == CSV_FILES and record["format"] == "csv"
    assert {"exitsim", "mesa", "numpy", "python"} <= set(record["versions"])
    assert "# small" in (out / "summary.md").read_text()


def test_run_results_match_the_model_api(small_file, tmp_path):
    out = tmp_path / "out"
    main(["run", str(small_file), "--out", str(out), "--quiet", "--seed", "5", "--steps", "3"])
    from exitsim.scenario import load_scenario

    model = ExitModel(load_scenario(small_file), seed=5, steps=3).run()
    expected = model.timeseries().reset_index(drop=True)
    written = pd.read_csv(out / "timeseries.csv")
    pd.testing.assert_frame_equal(written, expected, check_dtype=False, rtol=1e-9)


def test_a_rerun_replaces_only_its_own_files(small_file, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "notes.txt").write_text("mine")
    main(["run", str(small_file), "--out", str(out), "--quiet"])
    main(["run", str(small_file), "--out", str(out), "--quiet", "--no-memberships"])
    assert (out / "notes.txt").read_text() == "mine"
    assert not (out / "memberships.csv").exists()  # not left over from the first run
    assert sorted(p.name for p in out.iterdir()) == sorted({*CSV_FILES, "notes.txt"} - {"memberships.csv"})


def test_a_missing_scenario_is_a_clear_error_with_exit_code_2(tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["run", str(tmp_path / "nope.yaml"), "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert f"{tmp_path / 'nope.yaml'}: no such file" in err and "Traceback" not in err
    assert not out.exists()


def test_an_invalid_scenario_writes_nothing(tmp_path, capsys):
    bad = tmp_path / "bad.yaml"
    bad.write_text(SMALL.replace("steps: 4", "steps: -1"))
    out = tmp_path / "out"
    assert main(["run", str(bad), "--out", str(out)]) == 2
    assert "steps" in capsys.readouterr().err
    assert not out.exists()


def test_run_py_without_arguments_runs_the_default_scenario(tmp_path):
    result = subprocess.run([sys.executable, str(ROOT / "run.py")], cwd=tmp_path, capture_output=True,
                            text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert "# default" in result.stdout
    assert sorted(p.name for p in (tmp_path / "results" / "default").iterdir()) == CSV_FILES


def test_output_dictionary_matches_the_code_and_docs():
    assert list(EVENT_COLUMNS) == EVENT_FIELDS
    assert (ROOT / "docs" / "outputs.md").read_text(encoding="utf-8") == outputs_markdown(), \
        "docs/outputs.md is stale: run `python run.py docs`"


def test_new_writes_a_valid_commented_scenario_and_never_overwrites(tmp_path, monkeypatch, capsys):
    from exitsim.scenario import load_scenario

    monkeypatch.chdir(tmp_path)
    assert main(["new", "lesson1"]) == 0
    path = tmp_path / "scenarios" / "lesson1.yaml"
    scenario = load_scenario(path)
    assert scenario.name == "lesson1"
    assert "#" in path.read_text(encoding="utf-8")  # commented for students
    before = path.read_text(encoding="utf-8")
    assert main(["new", "lesson1"]) == 2
    assert "exists already" in capsys.readouterr().err
    assert path.read_text(encoding="utf-8") == before
    assert main(["new", "../escape"]) == 2
    assert not (tmp_path / "escape.yaml").exists()


def test_schema_command_writes_the_json_schema(tmp_path):
    out = tmp_path / "schema.json"
    assert main(["schema", "--out", str(out)]) == 0
    schema = json.loads(out.read_text())
    assert {"name", "states", "organizations", "timeline", "generate", "parameters"} <= set(schema["properties"])


def test_a_run_shortened_with_steps_leaves_out_later_timeline_events(tmp_path):
    out = tmp_path / "short"
    assert main(["run", str(ROOT / "scenarios" / "classroom.yaml"), "--steps", "3", "--out", str(out), "--quiet"]) == 0
    events = pd.read_csv(out / "events.csv")
    assert events["year"].max() <= 2019


@pytest.mark.parametrize("flag, value, message", [
    ("--steps", "0", "must be between 1 and 1000, got 0"),
    ("--seed", "-1", "must be between 0 and 9223372036854775807, got -1"),
    ("--seed", "9223372036854775808", "must be between 0 and 9223372036854775807, got 9223372036854775808"),
    ("--world-seed", "9223372036854775808", "must be between 0 and 9223372036854775807, got 9223372036854775808"),
    ("--world-seed", "x", "expected a whole number, got 'x'")])
def test_bad_command_line_numbers_are_clear_errors(flag, value, message, capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["run", flag, value])
    assert exit_.value.code == 2
    err = capsys.readouterr().err
    assert f"argument {flag}: {message}" in err and "Traceback" not in err


def test_the_command_line_takes_its_bounds_from_the_shared_constants(monkeypatch, capsys, tmp_path):
    monkeypatch.chdir(tmp_path)  # were a bound not applied, the run would write here
    monkeypatch.setattr(cli, "MAX_STEPS", 40)
    monkeypatch.setattr(cli, "MAX_SEED", 99)
    for flag, value, message in (("--steps", "41", "must be between 1 and 40, got 41"),
                                 ("--seed", "100", "must be between 0 and 99, got 100"),
                                 ("--world-seed", "100", "must be between 0 and 99, got 100")):
        with pytest.raises(SystemExit):
            main(["run", flag, value])
        assert f"argument {flag}: {message}" in capsys.readouterr().err


def test_the_summary_of_a_world_without_great_powers_says_so(tmp_path):
    path = tmp_path / "plain.yaml"
    path.write_text("name: plain\nsteps: 2\nstates:\n  - {code: A, power: 1}\n  - {code: B, power: 2}\n"
                    "  - {code: C, power: 3}\norganizations:\n  - {code: X, members: [A, B, C]}\n", encoding="utf-8")
    assert main(["run", str(path), "--out", str(tmp_path / "out"), "--quiet"]) == 0
    summary = (tmp_path / "out" / "summary.md").read_text(encoding="utf-8")
    assert "No state is the hegemon or the rising power" in summary and "nan" not in summary


def _hegemon_line(model) -> str:
    summary = summary_text(model, model.datacollector.get_model_vars_dataframe(), model.events.to_frame(),
                           model.cascades())
    assert "nan" not in summary
    return next(line for line in summary.splitlines() if line.startswith("* Hegemon's share"))


def test_the_summary_of_a_world_without_organizations_says_no_dues_were_paid():
    # the model runs a world without organizations (a file is refused one): nothing is paid, so
    # the hegemon has no share of the dues to report
    scenario = Scenario.model_validate({"name": "bare", "steps": 2, "states": [
        {"code": "USA", "power": 30.0, "role": "hegemon"}, {"code": "CHN", "power": 20.0, "role": "rising"},
        {"code": "FRA", "power": 5.0}]})
    assert _hegemon_line(ExitModel(scenario).run()).endswith("; no state paid dues in 2027.")


def test_the_summary_gives_the_hegemons_share_of_the_dues_paid():
    model = ExitModel(steps=2).run()
    shares = model.datacollector.get_model_vars_dataframe().budget_share_hegemon
    assert 0 < shares.iloc[-1] < 1
    assert f"; its share of all dues paid {shares.iloc[0]:.1%} → {shares.iloc[-1]:.1%}, its dues " in _hegemon_line(model)


def test_a_reader_that_stops_early_gets_no_traceback():
    # like `python run.py validate … | head -1`: the pipe closes after the first line, while the
    # command still has a hundred lines to write (unbuffered, so each is written as it comes)
    files = [str(ROOT / "scenarios" / "default.yaml")] * 100
    process = subprocess.Popen([sys.executable, str(ROOT / "run.py"), "validate", *files], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, env={**os.environ, "PYTHONUNBUFFERED": "1"})
    first = process.stdout.readline()
    process.stdout.close()
    error = process.stderr.read().decode()
    assert process.wait(timeout=60) == 141
    assert first.endswith(b")\n") and "Traceback" not in error and "BrokenPipe" not in error


def test_the_membership_table_is_the_panel():
    model = ExitModel(steps=2).run()
    table = model.membership_table()
    world, flows = model.world, model.flows
    ms = world.memberships
    assert table.column_names == list(MEMBERSHIP_PANEL_COLUMNS)
    assert table.num_rows == len(flows.rows) and set(table.column("year").to_pylist()) == {model.year}
    assert table.column("state").to_pylist() == [world.state_code[i] for i in ms.state[flows.rows]]
    assert table.column("organization").to_pylist() == [world.org_code[k] for k in ms.org[flows.rows]]
    assert set(table.column("status").to_pylist()) <= {"member", "notice"}
    np.testing.assert_array_equal(table.column("dues").to_numpy(), flows.dues)
    assert table.column("leads").to_pylist() == [bool(flows.leader[k] == i) for i, k in zip(flows.state, flows.org, strict=True)]


def test_a_path_that_cannot_be_used_is_a_message_not_a_traceback(tmp_path, capsys):
    """new, schema, sweep and report given a file where a folder goes, or a folder where a file
    goes: one line that names the path (exit 2); schema never writes over a file that is not a
    schema."""
    a_file = tmp_path / "afile.txt"
    a_file.write_text("mine")
    scenario = tmp_path / "c.yaml"
    scenario.write_text("name: mine\n")
    experiment = tmp_path / "e.yaml"
    experiment.write_text(f"scenario: {ROOT / 'scenarios' / 'default.yaml'}\nsteps: 2\n"
                          "factors:\n  parameters.decisions.beta_window: [0.0]\n")
    assert main(["schema", "--out", str(scenario)]) == 2
    assert capsys.readouterr().err == (f"{scenario} exists and is not a JSON Schema: choose another --out (it was "
                                       "left as it was).\n")
    assert scenario.read_text() == "name: mine\n"
    store = tmp_path / "store"
    assert main(["sweep", str(experiment), "--out", str(store), "--quiet", "--workers", "1"]) == 0
    for argv in (["schema", "--out", str(tmp_path)], ["new", "w3", "--folder", str(a_file)],
                 ["sweep", str(experiment), "--out", str(a_file), "--quiet"], ["report", str(store), "--out", str(a_file)]):
        code = main(argv)
        err = capsys.readouterr().err
        assert code == 2 and "Traceback" not in err and str(a_file if "schema" not in argv else tmp_path) in err, argv
    assert a_file.read_text() == "mine"
    schema = tmp_path / "s.json"
    assert main(["schema", "--out", str(schema)]) == 0 and main(["schema", "--out", str(schema)]) == 0  # its own


def test_replacing_the_results_of_another_scenario_of_the_same_name_says_so(tmp_path, capsys):
    out = tmp_path / "out"
    first = write(tmp_path, TINY, "first.yaml")
    copy = write(tmp_path, TINY.replace("    nativism: 0.4\n", "    nativism: 0.5\n"), "copy.yaml")
    assert main(["run", str(first), "--out", str(out), "--quiet"]) == 0
    assert main(["run", str(first), "--out", str(out), "--quiet", "--seed", "3", "--steps", "6"]) == 0  # the same again
    assert "Note:" not in capsys.readouterr().err
    assert main(["run", str(copy), "--out", str(out), "--quiet"]) == 0
    assert capsys.readouterr().err == (f"Note: {out}/ held the results of another scenario named 'tiny' (another "
                                       "file, the same file edited since, or other --set values); they were "
                                       "replaced. Give a scenario its own name: or --out to keep both.\n")
    record = json.loads((out / "run.json").read_text())["scenario_source"]
    assert record == {"file": str(copy.resolve()), "sha256": hashlib.sha256(copy.read_bytes()).hexdigest(),
                      "overrides": []}


def test_a_scenario_file_alone_runs_it_and_a_misspelt_option_is_told_its_name(tmp_path, capsys):
    scenario = write(tmp_path, TINY, "tiny.yaml")
    assert main([str(scenario), "--steps", "2", "--out", str(tmp_path / "out"), "--quiet"]) == 0  # no `run`
    assert (tmp_path / "out" / "run.json").is_file()
    capsys.readouterr()
    with pytest.raises(SystemExit) as stopped:
        main(["run", str(scenario), "--sed", "7"])
    assert stopped.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith("usage: run.py run ") and err.endswith(
        "run.py run: error: unrecognized arguments: --sed (did you mean --seed?) 7\n")


def test_steps_that_end_the_run_before_timeline_events_say_they_are_left_out(tmp_path, capsys):
    scenario = write(tmp_path, TINY, "tiny.yaml")  # one notice, in 2030
    assert main(["run", str(scenario), "--steps", "3", "--out", str(tmp_path / "out"), "--quiet"]) == 0
    assert capsys.readouterr().err == ("Note: with --steps 3 the run ends in 2028; 1 of the timeline's events come "
                                       "later (2030–2030) and are left out.\n")
    assert main(["run", str(scenario), "--steps", "5", "--out", str(tmp_path / "out"), "--quiet"]) == 0
    assert capsys.readouterr().err == ""


def test_compare_on_a_world_without_great_powers_is_refused_before_running(tmp_path, capsys):
    world = tmp_path / "nr.yaml"
    world.write_text("name: nr\nsteps: 5\ngenerate: {states: 8, organizations: 4, hegemon: false}\n")
    assert main(["compare", str(world), "--replications", "2", "--out", str(tmp_path / "cmp")]) == 2
    assert capsys.readouterr().err == (
        f"{world}: compare weighs the hegemon's strategies against a rising power, but this world has no hegemon and "
        "no rising power: give states role: hegemon and role: rising\n"
        "The scenario has 1 problem to fix; nothing was run or written.\n")
    assert not (tmp_path / "cmp").exists()
