"""A sweep killed outright (``kill -9``: no chance to stop its pool) leaves no worker behind to
go on writing into its store, which a resume may already be cleaning (exitsim.sweep.executors)."""

import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

SCRIPT = textwrap.dedent("""\
    import os, sys, time
    from pathlib import Path
    from exitsim.sweep.executors import busy, local_executor, parent_gone

    def batch(path):
        with busy():
            for _ in range(80):  # 8 s of work, checking between "runs" as run_batch does
                if parent_gone():
                    return
                time.sleep(0.1)
            Path(path).write_text("written by an orphan")

    if __name__ == "__main__":
        executor, close = local_executor(1)
        print(executor.submit(os.getpid).result(), flush=True)
        executor.submit(batch, sys.argv[1])
        time.sleep(0.5)
        os._exit(9)  # as kill -9 does: the pool is never shut down
""")


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, IndexError):
        return False
    return state not in ("Z", "X")


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads a process's state in /proc")
def test_the_workers_of_a_killed_sweep_write_nothing_more_and_exit(tmp_path):
    script, written = tmp_path / "sweep.py", tmp_path / "part.parquet"
    script.write_text(SCRIPT)
    done = subprocess.run([sys.executable, str(script), str(written)], capture_output=True, text=True,
                          cwd=tmp_path, env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=60)
    assert done.returncode == 9, done.stderr
    worker = int(done.stdout.split()[0])
    deadline = time.monotonic() + 30
    while _alive(worker) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not _alive(worker)  # gone well before its batch's 8 s were up, and not left waiting for work
    assert not written.exists()


def test_a_batch_whose_sweep_has_died_writes_no_file(tmp_path, monkeypatch):
    """run_batch checks between runs and before writing: an orphan's batch returns with nothing
    done and no file, and the same batch with its sweep alive writes its tables."""
    from exitsim.sweep import executors, runner
    from exitsim.sweep.designs import make_design
    from exitsim.sweep.experiment import load_experiment
    from exitsim.sweep.seeds import plan_runs
    from exitsim.sweep.worker import run_batch

    path = tmp_path / "exp.yaml"
    path.write_text(f"scenario: {(ROOT / 'scenarios' / 'default.yaml').as_posix()}\nsteps: 2\n"
                    "overrides:\n  generate.states: 8\n  generate.organizations: 4\n"
                    "factors:\n  parameters.decisions.beta_window: [0.0]\nseeds:\n  root: 3\n  replications: 2\n")
    experiment = load_experiment(path)
    runs = tuple(plan_runs(make_design(experiment), experiment.scenario_hash, 3, 2, True, 2))
    batch = runner.Batch(runner._job(experiment, tmp_path / "store"), "s001-b000000", runs)
    monkeypatch.setattr(executors, "_parent_gone", type("Gone", (), {"is_set": staticmethod(lambda: True)})())
    orphaned = run_batch(batch)
    assert (orphaned["done"], orphaned["files"]) == ([], [])
    assert not (tmp_path / "store").exists() or not any((tmp_path / "store").rglob("*.parquet"))
    monkeypatch.undo()
    alive = run_batch(batch)
    assert [run for run, _, _ in alive["done"]] == [run.run_id for run in runs] and alive["files"]
