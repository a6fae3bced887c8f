"""Speed and memory of sweeps, printed as tables (a benchmark, not a timed test).

    python benchmarks/sweep.py             # everything (about ten minutes on 2 cores)
    python benchmarks/sweep.py --quick     # fewer runs: a rough look in about a minute
    python benchmarks/sweep.py --only throughput   # or --only memory

1. **Throughput**: runs per second of the default scenario (50 years a run) with 1 and with 2
   local worker processes, and their ratio (target: 2 workers at least 1.8 × one). The pool
   is started and its workers have imported exitsim before the clock starts (a cold start,
   the interpreter and imports of each worker, is printed apart).
2. **Overhead**: the same runs as a bare loop in one process (``ExitModel(...).run()`` and the
   model's DataFrame, nothing written) against the sweep with one worker (seeds, batches,
   Parquet parts, status log); target under 5%. In wall time, and in processor time (the
   worker's, from the status log, plus the parent's), which load from other work disturbs less;
   then that processor time split into computing what the sweep keeps (the same runs' tables
   and run measures in a loop, nothing written) and the runner itself.
3. **Memory**: the parent process's resident memory before a sweep and its peak during the
   sweep (Linux's VmHWM, reset when the sweep starts), over sweeps of 500, 1,000 and 5,000
   short runs (a 12-state world, 1 year a run), each sweep in a fresh process (target: flat in
   the number of runs: the parent keeps the plan, not the results).

Timings are wall times on a shared machine: repeat a figure before trusting a small difference.
Where other work keeps the machine busy, wall times say more about the machine than about the
sweep, so the processor time of the workers (from the status log) and of the parent is printed
too: equal processor time per run with 1 and 2 workers means the sweep itself scales.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# One numeric thread in this process too, as in the workers, so that the bare loop runs the
# models as a worker does (set before numpy is imported).
for _name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "VECLIB_MAXIMUM_THREADS",
              "NUMEXPR_NUM_THREADS"):
    os.environ.setdefault(_name, "1")

TINY = """\
name: tiny
steps: 1
world_seed: 4
generate:
  states: 12
  organizations: 6
  memberships_per_state: 3
  min_memberships: 1
"""


def experiment_file(folder: Path, name: str, points: int, replications: int, steps: int | None,
                    scenario: str | None = None) -> Path:
    """An experiment of ``points`` values of one factor × ``replications``."""
    values = ", ".join(f"{0.7 * i / max(points - 1, 1):.6f}" for i in range(points))
    lines = [f"name: {name}", *([f"scenario: {scenario}"] if scenario else []),
             *([f"steps: {steps}"] if steps else []),
             "factors:", f"  parameters.decisions.beta_window: [{values}]",
             "seeds:", "  root: 1", f"  replications: {replications}",
             "keep:", "  every_year: all"]
    path = folder / f"{name}.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _warm(executor, workers: int) -> None:
    """Start every worker and import exitsim in it before timing."""
    from concurrent.futures import wait

    wait([executor.submit(_import_exitsim) for _ in range(workers * 4)])


def _import_exitsim() -> int:
    import exitsim.model  # noqa: F401
    import exitsim.sweep.worker  # noqa: F401

    return 0


def throughput(folder: Path, runs: int, repeats: int) -> dict[str, float]:
    """Runs per second with 1 and 2 warm workers and as a bare loop: the best of ``repeats``
    rounds, the three taken in turn in each round (so a burst of load elsewhere hits each alike)."""
    import exitsim
    from exitsim.model import ExitModel
    from exitsim.sweep.designs import make_design
    from exitsim.sweep.executors import local_executor
    from exitsim.sweep.experiment import load_experiment
    from exitsim.sweep.runner import _job
    from exitsim.sweep.seeds import plan_runs, run_seed
    from exitsim.sweep.worker import run_one

    path = experiment_file(folder, "throughput", runs // 2, 2, None)
    experiment = load_experiment(path)
    plan = list(plan_runs(make_design(experiment), experiment.scenario_hash, 1, 2, True, experiment.steps))
    job = _job(experiment, folder / "kept-loop")
    figures: dict[str, float] = {"runs": len(plan)}
    swept: dict[str, float] = {}  # run id -> its least processor time over the rounds, in the 1-worker sweep
    bare: dict[str, float] = {}   # and in the bare loop
    pools = {}
    for workers in (1, 2):
        started = time.perf_counter()
        pools[workers] = local_executor(workers)
        _warm(pools[workers][0], workers)
        figures[f"cold start {workers}"] = time.perf_counter() - started
    try:
        for repeat in range(repeats):
            for workers, (executor, _) in pools.items():
                out = folder / f"out{workers}-{repeat}"
                started, cpu = time.perf_counter(), time.process_time()
                summary = exitsim.sweep(path, executor, out=out, workers=workers)
                seconds, parent_cpu = time.perf_counter() - started, time.process_time() - cpu
                assert summary.complete, summary
                figures[f"sweep {workers}"] = min(figures.get(f"sweep {workers}", seconds), seconds)
                done = [r for r in _status(out) if r.get("status") == "done"]
                worker_cpu = sum(r.get("cpu_seconds", 0.0) for r in done)
                if workers == 1:  # each run's processor time (its share of the batch's files included)
                    for r in done:
                        swept[r["run"]] = min(swept.get(r["run"], math.inf), r["cpu_seconds"] + parent_cpu / len(done))
                figures[f"worker cpu {workers}"] = min(figures.get(f"worker cpu {workers}", worker_cpu), worker_cpu)
                figures[f"parent cpu {workers}"] = min(figures.get(f"parent cpu {workers}", parent_cpu), parent_cpu)
                if workers == 1:
                    total = worker_cpu + parent_cpu
                    figures["sweep cpu"] = min(figures.get("sweep cpu", total), total)
            started, cpu = time.perf_counter(), time.process_time()
            for run in plan:
                one = time.process_time()
                model = ExitModel(experiment.scenario, seed=run_seed(1, run.seed_key), steps=experiment.steps,
                                  parameters=run.parameters).run()
                model.datacollector.get_model_vars_dataframe()
                bare[run.run_id] = min(bare.get(run.run_id, math.inf), time.process_time() - one)
            seconds, used = time.perf_counter() - started, time.process_time() - cpu
            figures["bare loop"] = min(figures.get("bare loop", seconds), seconds)
            figures["bare cpu"] = min(figures.get("bare cpu", used), used)
            started, cpu = time.perf_counter(), time.process_time()
            for run in plan:  # the same runs with the tables the sweep keeps, nothing written, no runner
                run_one(run, job)
            seconds, used = time.perf_counter() - started, time.process_time() - cpu
            figures["kept loop"] = min(figures.get("kept loop", seconds), seconds)
            figures["kept cpu"] = min(figures.get("kept cpu", used), used)
    finally:
        for _, close in pools.values():
            close()
    figures["per-run sweep cpu"] = sum(swept.values())
    figures["per-run bare cpu"] = sum(bare[run] for run in swept)
    return figures


def _status(out: Path) -> list[dict]:
    return [json.loads(line) for line in (out / "status.jsonl").read_text().splitlines()]


def parent_memory(runs: int, folder: Path) -> dict[str, float]:
    """Run a sweep of ``runs`` short runs in a fresh process; its peak memory and time."""
    result = subprocess.run([sys.executable, __file__, "--memory-child", str(runs), str(folder)],
                            capture_output=True, text=True, check=True)
    return json.loads(result.stdout.strip().splitlines()[-1])


def _status_kib(field: str) -> int | None:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1])
    except OSError:
        pass
    return None


def _resident_kib() -> int:
    return _status_kib("VmRSS") or resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def _reset_peak() -> None:
    """Start the peak resident memory afresh (Linux: writing 5 to clear_refs resets VmHWM)."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        pass


def _peak_kib() -> int:
    return _status_kib("VmHWM") or resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def memory_child(runs: int, folder: Path) -> None:
    import exitsim

    (folder / "tiny.yaml").write_text(TINY, encoding="utf-8")
    path = experiment_file(folder, f"memory{runs}", runs // 5, 5, None, scenario="tiny.yaml")
    import gc

    gc.collect()
    before = _resident_kib()
    _reset_peak()
    started = time.perf_counter()
    summary = exitsim.sweep(path, out=folder / f"memory{runs}", workers=2)
    seconds = time.perf_counter() - started
    peak = _peak_kib()
    assert summary.complete, summary
    print(json.dumps({"runs": summary.runs, "seconds": seconds, "start_kib": before, "peak_kib": peak}))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer runs (rougher figures)")
    parser.add_argument("--only", choices=("throughput", "memory"), help="one part only")
    parser.add_argument("--memory-child", nargs=2, metavar=("RUNS", "FOLDER"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.memory_child:
        memory_child(int(args.memory_child[0]), Path(args.memory_child[1]))
        return
    print(f"Load average (1, 5, 15 min) at the start: {', '.join(f'{x:.1f}' for x in os.getloadavg())} "
          f"on {os.cpu_count()} cores")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        if args.only != "memory":
            report_throughput(folder, args.quick)
        if args.only != "throughput":
            report_memory(folder, args.quick)
    print(f"Load average (1, 5, 15 min) at the end: {', '.join(f'{x:.1f}' for x in os.getloadavg())} "
          f"on {os.cpu_count()} cores: figures taken under load are noisy")


def report_throughput(folder: Path, quick: bool) -> None:
    figures = throughput(folder, 12 if quick else 64, 1 if quick else 5)
    runs = figures["runs"]
    one, two, bare = figures["sweep 1"], figures["sweep 2"], figures["bare loop"]
    print(f"Throughput: the default scenario, {runs:.0f} runs of 50 years (warm workers; best of "
          f"{1 if quick else 5} rounds)")
    print(f"  1 worker : {runs / one:6.2f} runs/s  ({one:.1f} s; cold start of the pool {figures['cold start 1']:.1f} s)")
    print(f"  2 workers: {runs / two:6.2f} runs/s  ({two:.1f} s; cold start of the pool {figures['cold start 2']:.1f} s)")
    print(f"  speed-up : {one / two:.2f} × in wall time (target ≥ 1.8)")
    per_run = {w: figures[f"worker cpu {w}"] / runs for w in (1, 2)}
    print(f"  processor time per run in the workers: {per_run[1]:.3f} s with 1 worker, {per_run[2]:.3f} s with 2; "
          f"the parent's whole sweep: {figures['parent cpu 1']:.2f} s and {figures['parent cpu 2']:.2f} s")
    print(f"  with a core per worker, 2 workers would run {2 * per_run[1] / per_run[2]:.2f} × as fast as one "
          "(2 × the ratio of processor time per run: nothing in the runner is serial but the parent's small share)")
    used = figures["worker cpu 2"] / (two * 2)
    print(f"  the 2 workers had {used:.0%} of two cores during the sweep: below 100% the machine's other work "
          "(or the scheduler's share for this session) is the limit, not the sweep")
    print(f"Overhead: bare loop {bare:.1f} s ({runs / bare:.2f} runs/s) against the 1-worker sweep {one:.1f} s: "
          f"{(one - bare) / bare:+.1%} of wall time (target < 5%)")
    bare_cpu, sweep_cpu = figures["bare cpu"], figures["sweep cpu"]
    print(f"  in processor time (steadier on a busy machine): bare loop {bare_cpu:.2f} s, the sweep's worker "
          f"and parent {sweep_cpu:.2f} s: {(sweep_cpu - bare_cpu) / bare_cpu:+.1%}")
    per_run_bare, per_run_sweep = figures["per-run bare cpu"], figures["per-run sweep cpu"]
    print(f"  run by run (each run's least processor time over the rounds, in the bare loop and in the 1-worker "
          f"sweep with its share of the batch's files and of the parent; a burst of other work in one round "
          f"does not count): {per_run_bare:.2f} s against {per_run_sweep:.2f} s: "
          f"{(per_run_sweep - per_run_bare) / per_run_bare:+.1%}")
    kept_cpu = figures["kept cpu"]
    print(f"  of which computing what the sweep keeps (the same runs' kept tables and run measures in a loop, "
          f"nothing written): {kept_cpu:.2f} s, {(kept_cpu - bare_cpu) / bare_cpu:+.1%}; the runner itself "
          f"(batches, Parquet parts, status log, the parent): {(sweep_cpu - kept_cpu) / bare_cpu:+.1%} "
          "(processor time)")


def report_memory(folder: Path, quick: bool) -> None:
    sizes = (200, 1000) if quick else (500, 1000, 5000)
    print("Parent memory: sweeps of short runs (12 states, 1 year), 2 workers, each in a fresh process")
    print(f"  {'runs':>6} {'seconds':>8} {'MiB before':>11} {'peak MiB during the sweep':>26}")
    for size in sizes:
        found = parent_memory(size, folder)
        print(f"  {found['runs']:>6} {found['seconds']:>8.1f} {found['start_kib'] / 1024:>11.1f} "
              f"{found['peak_kib'] / 1024:>26.1f}")


if __name__ == "__main__":
    main()
