"""`python run.py run`: its files whole and never mixed between runs, checked before the first
year, in CSV and Parquet, and Ctrl-C or a kill at any moment leaving the previous results whole."""

import hashlib
import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest
from scenario_texts import SMALL
from test_output_folder import UNUSABLE, run_unprivileged, unusable_folder

from exitsim import ExitModel
from exitsim import outputs as outputs_module
from exitsim.cli import main
from exitsim.output_folder import LOCK_NAME, STAGING_NAME

ROOT = Path(__file__).resolve().parent.parent
RUN_PY = str(ROOT / "run.py")
DEFAULT = str(ROOT / "scenarios" / "default.yaml")


def digests(folder: Path) -> dict[str, str]:
    """The results in ``folder`` (hidden files left out): name -> SHA-256."""
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())
            if p.is_file() and not p.name.startswith(".")}


def load_run(folder: Path) -> dict[str, pd.DataFrame]:
    """A finished run's tables, read the way docs/outputs.md says, after checking its run.json."""
    record = json.loads((folder / "run.json").read_text(encoding="utf-8"))
    assert record["finished"] is True
    assert sorted(p.name for p in folder.iterdir() if not p.name.startswith(".")) == record["files"]
    tables = {}
    for name in record["files"]:
        stem, suffix = name.rsplit(".", 1)
        if suffix == "csv":
            tables[stem] = pd.read_csv(folder / name, keep_default_na=stem != "events")
        elif suffix == "parquet":
            tables[stem] = pd.read_parquet(folder / name)
    tables["run.json"] = record
    return tables


def assert_consistent(folder: Path, seed: int, steps: int, start_year: int = 2025) -> None:
    """The files in ``folder`` are all of one run: the one its run.json names."""
    run = load_run(folder)
    assert run["run.json"]["seed"] == seed and run["run.json"]["steps"] == steps
    years = list(range(start_year, start_year + steps + 1))
    assert run["timeseries"]["year"].tolist() == years
    assert sorted(run["states"]["year"].unique()) == years and run["states"].groupby("year").size().nunique() == 1
    assert sorted(run["memberships"]["year"].unique()) == years
    assert run["memberships"]["year"].is_monotonic_increasing
    assert run["events"]["year"].is_monotonic_increasing and run["events"]["year"].max() <= years[-1]


def start_run(out: Path, *args: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, RUN_PY, "run", DEFAULT, "--out", str(out), "--quiet", *args],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def wait_for(path: Path, process: subprocess.Popen, timeout: float = 120) -> None:
    """Wait until ``path`` exists while ``process`` still runs."""
    deadline = time.monotonic() + timeout
    while not path.exists():
        assert process.poll() is None, f"the run ended before {path.name} appeared: {process.communicate()}"
        assert time.monotonic() < deadline, f"{path} did not appear"
        time.sleep(0.002)


# --- two runs, one folder ---------------------------------------------------------------------------

def test_a_second_run_into_the_same_folder_is_refused_and_the_first_stays_whole(tmp_path, capsys):
    out = tmp_path / "out"
    first = start_run(out, "--seed", "5", "--steps", "60")
    try:
        wait_for(out / STAGING_NAME / "memberships.csv", first)
        first.send_signal(signal.SIGSTOP)  # caught in the middle of its years, holding the lock
        try:
            assert main(["run", DEFAULT, "--out", str(out), "--quiet", "--seed", "6", "--steps", "3"]) == 2
        finally:
            first.send_signal(signal.SIGCONT)
        err = capsys.readouterr().err
        assert re.fullmatch(rf"Cannot write the results: {re.escape(str(out))} is being written by process "
                            rf"{first.pid} on {re.escape(os.uname().nodename)} since \d{{4}}-\d\d-\d\d \d\d:\d\d:\d\d: "
                            r"wait for that run to end, or choose another folder \(--out\)\.\n", err), err
        assert first.wait(timeout=300) == 0, first.stderr.read()
    finally:
        first.kill()
        first.communicate()
    assert_consistent(out, seed=5, steps=60)
    assert not (out / STAGING_NAME).exists() and not (out / LOCK_NAME).exists()


# --- a run killed, interrupted, or refused ----------------------------------------------------------

def test_a_run_killed_while_writing_leaves_the_previous_results_whole(tmp_path):
    out = tmp_path / "out"
    assert main(["run", DEFAULT, "--out", str(out), "--quiet", "--seed", "1", "--steps", "8"]) == 0
    before = digests(out)
    killed = start_run(out, "--seed", "2", "--steps", "60", "--format", "both")
    wait_for(out / STAGING_NAME / "memberships.parquet", killed)
    killed.kill()
    killed.communicate()
    assert digests(out) == before
    assert_consistent(out, seed=1, steps=8)
    assert (out / STAGING_NAME).is_dir()  # left behind by the kill ...
    assert main(["run", DEFAULT, "--out", str(out), "--quiet", "--seed", "3", "--steps", "5"]) == 0
    assert not (out / STAGING_NAME).exists() and not (out / LOCK_NAME).exists()  # ... and cleared by the next run
    assert_consistent(out, seed=3, steps=5)


def test_a_run_killed_in_the_middle_of_its_swap_is_completed_by_the_next(tmp_path):
    out = tmp_path / "out"
    assert main(["run", DEFAULT, "--out", str(out), "--quiet", "--seed", "1", "--steps", "4",
                 "--format", "parquet"]) == 0
    dies_at_the_third_move = f"""
import os, sys
import exitsim.output_folder as output_folder
from exitsim.cli import main

swap, replace = output_folder._swap_in, os.replace
def dying_swap(*args):
    moves = []
    def move(source, target):
        moves.append(target)
        if len(moves) == 3:
            os._exit(9)
        replace(source, target)
    os.replace = move
    swap(*args)
output_folder._swap_in = dying_swap
sys.exit(main(["run", {DEFAULT!r}, "--out", {str(out)!r}, "--quiet", "--seed", "2", "--steps", "6"]))
"""
    result = subprocess.run([sys.executable, "-c", dies_at_the_third_move], capture_output=True, text=True,
                            timeout=300)
    assert result.returncode == 9, result.stderr
    assert not (out / "run.json").exists()  # a folder without run.json: no finished run to be read
    assert (out / STAGING_NAME / "run.json").exists()
    assert main(["run", DEFAULT, "--out", str(out), "--quiet", "--seed", "3", "--steps", "5"]) == 0
    assert_consistent(out, seed=3, steps=5)
    assert not (out / "states.parquet").exists() and not (out / STAGING_NAME).exists()


def test_ctrl_c_during_the_years_is_one_line_exit_130_and_changes_nothing(tmp_path):
    out = tmp_path / "out"
    assert main(["run", DEFAULT, "--out", str(out), "--quiet", "--seed", "1", "--steps", "3"]) == 0
    before = digests(out)
    run = start_run(out, "--seed", "2", "--steps", "1000", "--format", "csv")
    wait_for(out / STAGING_NAME / "memberships.csv", run)
    run.send_signal(signal.SIGINT)
    stdout, stderr = run.communicate(timeout=120)
    assert run.returncode == 130
    assert stderr.startswith("Interrupted in 20") and stderr.endswith(f"; {out}/ is as it was before this run.\n")
    assert stderr.count("\n") == 1 and stdout == ""
    assert digests(out) == before


def test_ctrl_c_during_start_up_is_one_line_exit_130(tmp_path):
    interrupted_import = f"""
import runpy, sys

class CtrlC:
    def find_spec(self, name, path=None, target=None):
        if name == "exitsim.cli":
            raise KeyboardInterrupt
sys.meta_path.insert(0, CtrlC())
sys.argv = ["run.py", "--help"]
runpy.run_path({RUN_PY!r}, run_name="__main__")
"""
    result = subprocess.run([sys.executable, "-c", interrupted_import], capture_output=True, text=True, timeout=60,
                            cwd=tmp_path)
    assert (result.returncode, result.stdout, result.stderr) == (130, "", "Interrupted.\n")


def test_ctrl_c_while_building_the_world_is_one_line(small_file, tmp_path, monkeypatch, capsys):
    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(ExitModel, "__init__", interrupted)
    out = tmp_path / "out"
    assert main(["run", str(small_file), "--out", str(out)]) == 130
    assert capsys.readouterr().err == "Interrupted; nothing was written.\n"
    assert not out.exists()


@pytest.mark.parametrize("case", UNUSABLE)
def test_a_bad_out_is_one_line_and_exit_2_before_the_world_is_built(small_file, tmp_path, monkeypatch, capsys,
                                                                     case):
    def never(*args, **kwargs):
        raise AssertionError("the model was built")

    monkeypatch.setattr(ExitModel, "__init__", never)
    out, message = unusable_folder(tmp_path, case, "timeseries.csv")
    before = sorted(tmp_path.rglob("*"))
    assert main(["run", str(small_file), "--out", out]) == 2
    assert capsys.readouterr().err == f"Cannot write the results: {message}.\n"
    assert sorted(tmp_path.rglob("*")) == before


def test_a_failed_write_is_one_line_exit_1_and_changes_nothing(small_file, tmp_path, monkeypatch, capsys):
    out = tmp_path / "out"
    assert main(["run", str(small_file), "--out", str(out), "--quiet"]) == 0
    before = digests(out)

    def full_disk(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(outputs_module, "write_figure", full_disk)
    assert main(["run", str(small_file), "--out", str(out), "--quiet", "--seed", "4"]) == 1
    assert capsys.readouterr().err == (f"Could not write the results: [Errno 28] No space left on device; {out}/ is "
                                       "as it was before this run.\n")
    assert digests(out) == before and sorted(p.name for p in out.iterdir()) == sorted(before)


def test_a_read_only_out_is_one_line_and_exit_2_before_any_year(small_file, tmp_path):
    out = tmp_path / "ro"
    out.mkdir()
    out.chmod(0o555)
    try:
        result = run_unprivileged(f"import sys; from exitsim.cli import main; "
                                  f"sys.exit(main(['run', {str(small_file)!r}, '--out', {str(out)!r}]))")
    finally:
        out.chmod(0o755)
    assert result.returncode == 2 and result.stdout == ""  # no progress bar: no year was simulated
    assert result.stderr == f"Cannot write the results: the folder {out} is not writable: choose another folder.\n"


def test_a_scenario_name_with_a_path_in_it_is_a_located_error(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    path = tmp_path / "escape.yaml"
    path.write_text(SMALL.replace("name: small", "name: ../../escaped"), encoding="utf-8")
    assert main(["run", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.splitlines()[:3] == [
        f"{path}:1:7: name: '../../escaped' is not allowed here: the scenario's short name, which names its results "
        "folder: letters, digits, -, _ and . only (at most 64, not starting with . or -), e.g. my-world",
        " 1 | name: ../../escaped",
        "   |       ^"]
    assert list(tmp_path.iterdir()) == [path]  # no results/ folder, nothing outside it


# --- formats --------------------------------------------------------------------------------------

def test_both_formats_hold_the_same_tables(small_file, tmp_path):
    out = tmp_path / "out"
    assert main(["run", str(small_file), "--out", str(out), "--quiet", "--format", "both"]) == 0
    for stem in ("states", "memberships", "events"):
        from_csv = pd.read_csv(out / f"{stem}.csv", keep_default_na=stem != "events")
        from_parquet = pd.read_parquet(out / f"{stem}.parquet")
        pd.testing.assert_frame_equal(from_csv, from_parquet, rtol=1e-9, check_dtype=False)


def test_parquet_panels_are_the_model_s_own_numbers(small_file, tmp_path):
    out = tmp_path / "out"
    assert main(["run", str(small_file), "--out", str(out), "--quiet", "--format", "parquet"]) == 0
    model = ExitModel(small_file).run()
    pd.testing.assert_frame_equal(pd.read_parquet(out / "states.parquet"),
                                  model.datacollector.get_agent_vars_dataframe())
    pd.testing.assert_frame_equal(pd.read_parquet(out / "events.parquet"), model.events.to_frame())
    last = pd.read_parquet(out / "memberships.parquet", filters=[("year", "==", model.year)])
    pd.testing.assert_frame_equal(last, model.membership_panel())


def test_the_default_format_turns_to_parquet_above_the_documented_size(small_file, tmp_path, monkeypatch):
    model = ExitModel(small_file)
    rows = len(model.world.memberships) * (model.n_steps + 1)
    for threshold, expected in ((rows, "csv"), (rows - 1, "parquet")):
        monkeypatch.setattr(outputs_module, "PARQUET_ABOVE_ROWS", threshold)
        out = tmp_path / expected
        assert main(["run", str(small_file), "--out", str(out), "--quiet"]) == 0
        record = json.loads((out / "run.json").read_text())
        assert record["format"] == expected
        assert {n for n in record["files"] if n.split(".")[0] in ("states", "memberships", "events")} == {
            f"{stem}.{expected}" for stem in ("states", "memberships", "events")}


def test_a_rerun_in_another_format_leaves_no_file_of_the_first(small_file, tmp_path):
    out = tmp_path / "out"
    assert main(["run", str(small_file), "--out", str(out), "--quiet", "--format", "both"]) == 0
    assert main(["run", str(small_file), "--out", str(out), "--quiet", "--format", "parquet"]) == 0
    assert not any(p.suffix == ".csv" and p.stem in ("states", "memberships", "events") for p in out.iterdir())
    load_run(out)
