"""Sweeps: the same results on any executor, failures recorded, refusals, kill and resume."""

import json
import os
import signal
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pandas as pd
import pytest
from scenario_texts import SWEEP_WORLD

import exitsim
from exitsim.analysis import load_events, load_failures, load_results, sweep_status, write_report
from exitsim.cli import main
from exitsim.model import ExitModel
from exitsim.sweep import runner
from exitsim.sweep.executors import dask_local
from exitsim.sweep.seeds import run_seed
from exitsim.sweep.store import Store, StoreError

ROOT = Path(__file__).resolve().parent.parent

EXPERIMENT = """\
name: small
scenario: small.yaml
steps: 6
factors:
  parameters.decisions.beta_window: [0.0, 0.7]
  parameters.decisions.baseline_notice: [-10.0, -4.0]
seeds:
  root: 21
  replications: 2
keep:
  every_year: [notices, threats, withdrawals, hegemon_rising_ratio]
  at_horizon: [withdrawal_rate, notices_total, largest_cascade, hegemon_rising_ratio]
  events: true
  states: true
batch_size: 1
"""


def write_experiment(folder: Path, text: str = EXPERIMENT) -> Path:
    (folder / "small.yaml").write_text(SWEEP_WORLD, encoding="utf-8")
    path = folder / "small_exp.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def tables(out: Path) -> dict[str, pd.DataFrame]:
    return {name: load_results(out, name) for name in ("yearly", "horizon", "states", "cascades")} | {
        "events": load_events(out)}


def assert_same_tables(a: Path, b: Path) -> None:
    first, second = tables(a), tables(b)
    for name in first:
        pd.testing.assert_frame_equal(first[name], second[name], check_exact=True, obj=name)


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    """The sweep made with one local worker process: the reference every other must equal."""
    folder = tmp_path_factory.mktemp("reference")
    path = write_experiment(folder)
    summary = exitsim.sweep(path, out=folder / "out", workers=1)
    assert summary.complete and summary.done == 8
    return path, folder / "out"


def test_stored_runs_are_the_models_own_results(reference):
    path, out = reference
    yearly, horizon = load_results(out), load_results(out, "horizon")
    assert len(yearly) == 8 * 7 and len(horizon) == 8
    assert list(yearly.columns[:7]) == ["point", "replication", "seed", "beta_window", "baseline_notice", "run_id",
                                        "step"]
    row = horizon.iloc[5]  # point 2 (beta_window 0.7, baseline_notice -10), replication 1: seed child 1
    from exitsim.scenario import load_scenario

    model = ExitModel(load_scenario(path.parent / "small.yaml"), seed=run_seed(21, (1,)), steps=6,
                      parameters={"beta_window": 0.7, "baseline_notice": -10.0}).run()
    frame = model.datacollector.get_model_vars_dataframe()
    assert (row.point, row.replication, row.beta_window, row.baseline_notice) == (2, 1, 0.7, -10.0)
    assert row.hegemon_rising_ratio == frame["hegemon_rising_ratio"].iloc[-1]
    assert row.withdrawal_rate == model.withdrawal_rate()
    mine = yearly[yearly.run_id == row.run_id]
    assert mine["notices"].tolist() == frame["notices"].tolist()


def test_common_random_numbers_give_a_replication_the_same_seed_at_every_point(reference):
    _, out = reference
    horizon = load_results(out, "horizon")
    assert horizon.groupby("replication")["seed"].nunique().tolist() == [1, 1]
    # the dynamics seed is shared, so a point whose factors change nothing yet gives equal power
    yearly = load_results(out)
    start = yearly[yearly.step == 0].groupby("replication")["hegemon_rising_ratio"].nunique()
    assert start.tolist() == [1, 1]


def test_two_workers_and_a_dask_cluster_give_the_same_tables_bit_for_bit(reference, tmp_path):
    path, out = reference
    two = exitsim.sweep(path, out=tmp_path / "two", workers=2)
    assert two.complete
    assert_same_tables(out, tmp_path / "two")
    executor, close = dask_local(2)
    try:
        on_dask = exitsim.sweep(path, executor, out=tmp_path / "dask")
        address = executor._client.scheduler.address  # the same cluster, joined from the command line
        assert address.startswith("tcp://127.0.0.1:")
        assert main(["sweep", str(path), "--scheduler", address, "--out", str(tmp_path / "joined"), "--quiet"]) == 0
    finally:
        close()
    assert on_dask.complete
    assert_same_tables(out, tmp_path / "dask")
    assert_same_tables(out, tmp_path / "joined")


def test_an_existing_folder_is_refused_without_resume(reference, tmp_path, capsys):
    path, out = reference
    before = (out / "status.jsonl").read_bytes()
    assert main(["sweep", str(path), "--out", str(out), "--quiet"]) == 2
    err = capsys.readouterr().err
    assert f"{out} already holds the results of a sweep: pass --resume to continue that sweep" in err
    assert (out / "status.jsonl").read_bytes() == before
    other = tmp_path / "notes"
    other.mkdir()
    (other / "mine.txt").write_text("my notes")
    assert main(["sweep", str(path), "--out", str(other), "--quiet"]) == 2
    assert f"{other} already holds other files" in capsys.readouterr().err
    assert [p.name for p in other.iterdir()] == ["mine.txt"]


def test_resume_where_no_sweep_was_says_it_starts_one(reference, tmp_path, capsys):
    path, out = reference
    fresh = tmp_path / "fresh"
    assert main(["sweep", str(path), "--out", str(fresh), "--resume", "--workers", "1"]) == 0
    err = capsys.readouterr().err
    assert f"Nothing to resume in {fresh} (no sweep there yet): starting the sweep." in err
    assert_same_tables(out, fresh)
    assert main(["sweep", str(path), "--out", str(fresh), "--resume", "--workers", "1"]) == 0
    assert "Nothing to resume" not in capsys.readouterr().err


def test_resuming_another_experiment_is_refused(reference, tmp_path, capsys):
    path, out = reference
    other = write_experiment(tmp_path, EXPERIMENT.replace("replications: 2", "replications: 3"))
    with pytest.raises(StoreError, match=r"holds the results of another experiment .*; this one \('small'\) differs in "
                                         r"seeds.replications \(2 in the folder, 3 here\)\. Choose another --out"):
        exitsim.sweep(other, out=out, resume=True)
    assert main(["sweep", str(path), "--out", str(out), "--resume", "--set", "seeds.root=5",
                 "--set", "overrides.parameters.decisions.beta_pretext=0.25", "--quiet"]) == 2
    assert ("differs in overrides.parameters.decisions.beta_pretext (null in the folder, 0.25 here), seeds.root (21 in "
            "the folder, 5 here), the base scenario's parameters.decisions.beta_pretext (0.7 in the folder, 0.25 here). "
            in capsys.readouterr().err)


def test_resuming_a_store_made_by_other_code_is_refused_unless_allowed(reference, tmp_path):
    path, out = reference
    copy = tmp_path / "copy"
    subprocess.run(["cp", "-r", str(out), str(copy)], check=True)
    manifest = json.loads((copy / "manifest.json").read_text())
    manifest["code"]["versions"]["numpy"] = "1.0.0"
    manifest["code"]["git_commit"] = "0" * 40
    (copy / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(StoreError, match=r"made by other code \(numpy 1.0.0 → .*; git commit 000000000000 → "):
        exitsim.sweep(path, ThreadPoolExecutor(1), out=copy, resume=True)
    summary = exitsim.sweep(path, ThreadPoolExecutor(1), out=copy, resume=True, allow_code_change=True)
    assert (summary.done, summary.skipped) == (0, 8)
    start = [r for r in Store(copy).status() if r["kind"] == "start"][-1]
    assert "numpy 1.0.0 → " in start["code_changed"][0]


def test_a_failing_run_is_recorded_and_the_others_complete(monkeypatch, tmp_path, capsys):
    """A scenario that raises at year 3 (at one design point) fails its runs; the rest are stored."""
    path = write_experiment(tmp_path)
    step = ExitModel.step

    def failing_step(model):
        if model.params.beta_window == 0.7 and model.params.baseline_notice == -4.0 and model.steps == 2:
            raise RuntimeError("the scenario breaks in year 3")
        step(model)

    monkeypatch.setattr(ExitModel, "step", failing_step)
    monkeypatch.setattr(runner, "local_executor", lambda workers: (ThreadPoolExecutor(2), lambda: None))
    assert main(["sweep", str(path), "--out", str(tmp_path / "out"), "--quiet"]) == 1
    err = capsys.readouterr().err
    assert "(point 3, replication 0): RuntimeError: the scenario breaks in year 3" in err
    assert "2 runs failed; their tracebacks are in" in err
    failures = load_failures(tmp_path / "out")
    assert sorted(failures["point"]) == [3, 3] and sorted(failures["replication"]) == [0, 1]
    assert "failing_step" in failures["traceback"].iloc[0] and "RuntimeError" in failures["traceback"].iloc[0]
    assert sorted(load_results(tmp_path / "out", "horizon")["point"]) == [0, 0, 1, 1, 2, 2]
    assert sweep_status(tmp_path / "out") == runner_status(8, 6, 2)
    report = write_report(tmp_path / "out").read_text()
    assert "**6 done**, 2 failed" in report and "the scenario breaks in year 3" in report
    monkeypatch.setattr(ExitModel, "step", step)  # fixed: a resume runs only the failed ones
    summary = exitsim.sweep(path, ThreadPoolExecutor(2), out=tmp_path / "out", resume=True, progress=True)
    assert (summary.done, summary.skipped, summary.failed) == (2, 6, [])
    assert sweep_status(tmp_path / "out").finished
    bar = capsys.readouterr().err.replace("\r", "\n").splitlines()[-1]  # the progress bar, last drawn
    assert bar.startswith("small: 100%") and "2/2 [" in bar and "<00:00" in bar  # runs and time left
    assert bar.endswith("done=2, failed=0, skipped=6]")


def runner_status(planned, done, failed):
    from exitsim.analysis import SweepStatus

    return SweepStatus(planned, done, failed)


def test_a_killed_sweep_resumes_to_the_uninterrupted_tables(tmp_path):
    path = write_experiment(tmp_path)
    longer = ["--set", "steps=30"]  # runs long enough to be killed in the middle of the sweep
    with ThreadPoolExecutor(2) as executor:
        assert exitsim.sweep(path, executor, out=tmp_path / "whole", overrides=["steps=30"]).complete
    killed = tmp_path / "killed"
    process = subprocess.Popen([sys.executable, str(ROOT / "run.py"), "sweep", str(path), *longer, "--out",
                                str(killed), "--workers", "2", "--quiet"], start_new_session=True, cwd=tmp_path,
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    log = killed / "status.jsonl"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and process.poll() is None:
        if log.exists() and log.read_text().count('"status":"done"') >= 2:
            break
        time.sleep(0.01)
    os.killpg(process.pid, signal.SIGKILL)  # the parent, the fork server and the workers
    process.wait()
    done_at_kill = log.read_text().count('"status":"done"')
    assert 2 <= done_at_kill < 8, f"the sweep was not killed mid-way ({done_at_kill} runs done)"
    with open(log, "ab") as handle:  # as if killed in the middle of writing a line
        handle.write(b'{"kind":"run","run":"0123456789abcdef","status":"do')
    assert sweep_status(killed).done == done_at_kill
    assert main(["sweep", str(path), *longer, "--out", str(killed), "--resume", "--workers", "2", "--quiet"]) == 0
    assert_same_tables(tmp_path / "whole", killed)
    assert not list(killed.rglob(".*.partial"))


def test_load_results_of_an_unfinished_sweep_has_only_the_runs_done(reference, tmp_path):
    _, out = reference
    partial = tmp_path / "partial"
    subprocess.run(["cp", "-r", str(out), str(partial)], check=True)
    lines = (partial / "status.jsonl").read_text().splitlines(keepends=True)
    runs = [i for i, line in enumerate(lines) if '"kind":"run"' in line]
    (partial / "status.jsonl").write_text("".join(lines[: runs[3]]))  # as if stopped after 3 runs
    assert len(load_results(partial, "horizon")) == 3
    assert sweep_status(partial).missing == 5
    text = write_report(partial).read_text()
    assert "**3 done**" in text and "the sweep is not finished" in text


def test_a_table_the_sweep_did_not_keep_is_an_error_not_an_empty_frame(reference):
    _, out = reference  # keeps events (and so cascades) and states, not memberships nor the panel
    assert len(load_results(out, "cascades")) > 0 and len(load_results(out, "states")) > 0
    with pytest.raises(StoreError) as caught:
        load_results(out, "memberships")
    assert str(caught.value) == (f"the sweep in {out} did not keep its memberships (keep.memberships is false in "
                                 "its experiment file): set it and run the sweep again to have them")
    with pytest.raises(StoreError, match=r"did not keep its panel \(keep.panel is not set"):
        load_results(out, "panel")


def test_the_report_compares_levels_pairs_and_draws_trajectories(reference, tmp_path):
    _, out = reference
    assert main(["report", str(out), "--out", str(tmp_path)]) == 0
    text = (tmp_path / "report.md").read_text()
    assert "8 planned, **8 done**, 0 failed" in text
    assert "### `beta_window`" in text and "## Paired differences (common random numbers)" in text
    horizon = load_results(out, "horizon")
    low = horizon[horizon.baseline_notice == -10.0]["notices_total"].mean()
    assert "| -10 | 4 | " in text and f"{low:.4g}" in text
    for figure in ("levels_beta_window", "trajectory_notices"):
        assert (tmp_path / "figures" / f"{figure}.png").stat().st_size > 1000


def test_a_sweep_without_pyarrow_says_what_to_install(monkeypatch, tmp_path, capsys):
    path = write_experiment(tmp_path)
    monkeypatch.setitem(sys.modules, "pyarrow", None)
    assert main(["sweep", str(path), "--out", str(tmp_path / "out"), "--quiet"]) == 2
    assert "pip install pyarrow" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


def test_executor_options_are_mutually_exclusive(capsys):
    with pytest.raises(SystemExit) as stopped:
        main(["sweep", "experiments/quick.yaml", "--workers", "2", "--dask-local", "2"])
    assert stopped.value.code == 2
    assert "not allowed with argument" in capsys.readouterr().err


def test_what_differs_between_two_experiments_is_named_to_the_list_entry():
    def manifest(power, factors):
        return {"experiment": {"resolved": {"factors": factors, "overrides": {}}},
                "scenario": {"resolved": {"states": [{"code": "A", "power": 3.0}, {"code": "B", "power": power}]}}}

    assert runner._differences(manifest(1.0, {"x": [1, 2]}), manifest(4.0, {"x": [1, 2, 3]})) == (
        "factors.x.2 (null in the folder, 3 here), the base scenario's states.1.power (1.0 in the folder, 4.0 here)")
    assert runner._differences(manifest(1.0, {}), manifest(1.0, {})) == ""
