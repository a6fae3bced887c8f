"""Speed and memory of exitsim, printed as a table (a benchmark, not a timed test).

    python benchmarks/step.py              # everything (about a minute and a half on 2 cores)
    python benchmarks/step.py --quick      # one repeat and no 250k rung
    python benchmarks/step.py --strategies # only the world step under each great-power strategy

Rows: the shipped scenarios (classroom, default, world) and a large world (2,000 states ×
5,000 organizations, about 126,000 memberships), then a ladder of generated worlds of about
12k, 30k, 60k, 126k and 250k memberships (63 per state, median 19 members per organization).
Each row runs in a fresh process.

Columns:

* ``members`` — memberships at the start; ``steps`` — years run.
* ``start s`` — interpreter start and imports (exitsim, Mesa, pandas, matplotlib).
* ``build s`` — scenario → model: world generation and set-up.
* ``step ms`` — the median time of one ``model.step()`` over all steps of all repeats.
* ``run s`` — a full run from a built model to its end, with data collection (per-year and
  per-state outcomes) and the DataFrames built at the end: interpreter start, imports, world
  generation and writing files excluded (median over repeats).
* ``csv s`` / ``pq s`` — writing the files of a run (``python run.py``'s outputs: the tables,
  figure, summary and run.json) with the panels (states, memberships, events) as CSV, and as
  Parquet; the membership panel's years are streamed to the writer one by one where it is
  written by default (up to 50,000 memberships; it is opt-in above, marked ``*``: not written).
  The years are computed beforehand, so these are the writers' own times, with no model
  stepping for the writing thread to overlap with (a run overlaps them).
* ``peak MiB`` — the process's peak resident memory after the runs (before the reference
  comparison and the files).
* ``ref ms`` / ``vec ms`` — the loop-by-loop reference of phases 2–3 (institutions and power,
  ``tests/reference_step.py``) against the vectorized phases 2–3 on the same world, and their
  ratio; the reference runs where it finishes in reasonable time (all rows here).

Then the exponent of step time against memberships, fitted on the ladder only; the wall time
of the default scenario's ``python run.py`` (set-up done); the world scenario's whole
``python run.py run`` (every output, the panels as Parquet, its default) split into start-up
(interpreter and imports) and the rest; ``python run.py validate`` and ``--help``; the large world's memory over its
years (resident memory and edge-list rows at a few steps); and the memory of a run whose edge
list keeps its size (the world scenario without foundings, 300 years), which stays flat. Last,
the world scenario's step under each great-power strategy, active from the first year — the
median step and the mean (a run's time per year), in CPU time — and their ratios to a step under
``status_quo``/``passive``, with the strategic actions over the run: two runs, two worlds (exit
diplomacy's world has more exits, cascades and notices to weigh, so its steps cost more whatever
the strategy phase costs). Then the same world stepped with the strategy acting and with the
strategies idle, every year of the strategy's run (both steps from a copy of the same state):
what the strategy adds to a year's step — the target is at most 1.10. A copy's step runs about
10% slower than a step of the run itself (fresh memory, a garbage collection before it), which
lowers this ratio a little: the added milliseconds (acting − idle) are the figure to compare with
a warm step of the first table.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

STARTED = time.time()  # before the imports of a measuring process (see ``--one``)

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

LADDER = {"ladder-12k": 190, "ladder-30k": 476, "ladder-60k": 952, "ladder-126k": 2000, "ladder-250k": 3968}
STEPS = {"classroom": 50, "default": 50, "world": 70, "large": 100}


def scenario_for(name: str):
    from exitsim import Scenario, load_scenario

    if name in ("classroom", "default", "world"):
        return load_scenario(ROOT / "scenarios" / f"{name}.yaml")
    states = 2000 if name == "large" else LADDER[name]
    orgs = 5000 if name == "large" else round(states * 335 / 193)
    return Scenario.model_validate({"name": name, "steps": STEPS.get(name, 20), "world_seed": 1, "seed": 1,
                                    "generate": {"states": states, "organizations": orgs}})


def resident_mib() -> float:
    """The process's resident memory now (Linux), in MiB."""
    with open("/proc/self/statm", encoding="ascii") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def measure(name: str, repeat: int, launched: float) -> dict:
    """Run in a fresh process: start-up, build, step, run, peak memory, files, reference."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot  # noqa: F401  (imported here so that ``write s`` is writing only)
    import numpy as np

    from exitsim import ExitModel
    from exitsim.mechanisms.power import update_power
    from exitsim.outputs import LARGE_PANEL, MembershipPanelWriter, write_run
    from exitsim.phases import institutions

    imported = time.time()
    scenario = scenario_for(name)
    steps = STEPS.get(name, 20)
    builds, runs, step_times, memory = [], [], [], []
    for r in range(repeat):
        started = time.perf_counter()
        model = ExitModel(scenario, seed=r, steps=steps)
        built = time.perf_counter()
        memberships = len(model.world.memberships)
        for year in range(steps):
            t = time.perf_counter()
            model.step()
            step_times.append(time.perf_counter() - t)
            if r == 0 and name == "large" and year + 1 in (1, 10, 50, 100):
                memory.append((year + 1, len(model.world.memberships), resident_mib()))
        model.datacollector.get_model_vars_dataframe()
        model.datacollector.get_agent_vars_dataframe()
        model.events.to_frame()
        done = time.perf_counter()
        builds.append(built - started)
        runs.append(done - built)
    row = {"name": name, "memberships": memberships, "steps": steps, "start_s": imported - launched,
           "build_s": statistics.median(builds), "step_ms": 1000 * statistics.median(step_times),
           "run_s": statistics.median(runs), "peak_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
           "memory": memory}

    # the files of the last run in each format, with the membership panel of a run of its own
    # (computed first) streamed year by year where it is written by default
    row["panel"] = memberships <= LARGE_PANEL
    years = []
    if row["panel"]:
        streamed = ExitModel(scenario, seed=0, steps=steps)
        years.append(streamed.membership_table())
        for _ in range(steps):
            streamed.step()
            years.append(streamed.membership_table())
    for file_format, column in (("csv", "csv_s"), ("parquet", "pq_s")):
        with tempfile.TemporaryDirectory() as folder:
            t = time.perf_counter()
            files = []
            if years:
                with MembershipPanelWriter(Path(folder), file_format) as writer:
                    for frame in years:
                        writer.write(frame)
                files = writer.files
            write_run(model, Path(folder), file_format, files, ["benchmark"], runs[-1])
            row[column] = time.perf_counter() - t
    del years

    from reference_step import reference_step

    model = ExitModel(scenario, seed=0)
    world, params = model.world, model.params
    q, e = np.zeros(world.n_orgs), np.zeros(world.n_states)
    vec = []
    for _ in range(5):
        t = time.perf_counter()
        flows = institutions.flows(world, params, q)
        update_power(world.power, world.growth, flows.net, e, params.power_noise, params.institutional_rate,
                     params.net_gain_clip)
        vec.append(time.perf_counter() - t)
    t = time.perf_counter()
    reference_step(world, params, q, e)
    row["ref_ms"] = 1000 * (time.perf_counter() - t)
    row["vec_ms"] = 1000 * statistics.median(vec)
    return row


def fixed_world_memory() -> list[tuple[int, int, float]]:
    """The world scenario run 300 years with no foundings (so its edge list keeps its size):
    (step, events logged, resident MiB) at a few steps — memory per run flat over the steps."""
    from exitsim import ExitModel, load_scenario

    model = ExitModel(load_scenario(ROOT / "scenarios" / "world.yaml"), steps=300, parameters={"founding_rate": 0.0})
    points = []
    for year in range(1, 301):
        model.step()
        if year in (1, 10, 100, 200, 300):
            points.append((year, len(model.events), resident_mib()))
    return points


def whole_run(launched: float) -> dict:
    """The world scenario's ``python run.py run`` in this fresh process: start-up (interpreter
    and the imports a run makes) and the run itself (the scenario read, the folder locked, the
    world built, 70 years, every file written and swapped in)."""
    import io
    from contextlib import redirect_stderr

    import matplotlib.figure  # noqa: F401
    import pyarrow.parquet  # noqa: F401

    import exitsim.model  # noqa: F401
    from exitsim.cli import main as run_py

    imported = time.time()
    with tempfile.TemporaryDirectory() as folder, redirect_stderr(io.StringIO()):
        t, main_cpu, all_cpu = time.perf_counter(), time.thread_time(), time.process_time()
        code = run_py(["run", str(ROOT / "scenarios" / "world.yaml"), "--out", folder, "--quiet"])
        seconds = time.perf_counter() - t
        main_cpu, all_cpu = time.thread_time() - main_cpu, time.process_time() - all_cpu
        files = sorted(p.name for p in Path(folder).iterdir())
    return {"start_s": imported - launched, "run_s": seconds, "main_cpu_s": main_cpu, "all_cpu_s": all_cpu,
            "code": code, "files": files}


def command_seconds(*args: str, repeat: int = 3) -> float:
    """Median wall time of ``python run.py ARGS`` in a fresh process."""
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        subprocess.run([sys.executable, str(ROOT / "run.py"), *args], check=True, capture_output=True, cwd=ROOT)
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def strategy_steps(repeat: int) -> list[dict]:
    """The world scenario's step under each hegemon strategy (with the rising power passive) and
    each rising power's (with the hegemon's status_quo), all active from the first year (the
    trigger raised above the starting lead of 2.5), in CPU time (the other processes' load left
    out): the median step over all years of all repeats (``step ms``, as in the table above) and
    the mean (a whole run's time per year), each against status_quo/passive. The runs of all
    strategies are interleaved repeat by repeat, each repeat starting with another, after a
    warm-up run; every repeat has the same seeds, so the same work."""
    from exitsim import ExitModel, load_scenario
    from exitsim.codes import HEGEMON_STRATEGIES, RISING_STRATEGIES

    scenario = load_scenario(ROOT / "scenarios" / "world.yaml")
    pairs = [(h, "passive") for h in HEGEMON_STRATEGIES] + [("status_quo", r) for r in RISING_STRATEGIES[1:]]
    steps: dict[tuple[str, str], list[float]] = {pair: [] for pair in pairs}
    runs: dict[tuple[str, str], list[float]] = {pair: [] for pair in pairs}
    actions = {}
    ExitModel(scenario, steps=10).run()  # warm up (first allocations, caches): not measured
    for r in range(repeat):
        for hegemon, rising in pairs[r % len(pairs):] + pairs[:r % len(pairs)]:  # each leads a repeat in turn
            model = ExitModel(scenario, parameters={"hegemon_strategy": hegemon, "rising_strategy": rising,
                                                    "strategy_trigger": 3.0})
            years = []
            for _ in range(model.n_steps):
                t = time.process_time()
                model.step()
                years.append(time.process_time() - t)
            steps[hegemon, rising] += years
            runs[hegemon, rising].append(statistics.fmean(years))
            actions[hegemon, rising] = int(model.timeseries().strategic_actions.sum())
    median = {pair: statistics.median(times) for pair, times in steps.items()}
    mean = {pair: min(times) for pair, times in runs.items()}  # the run least disturbed
    base = ("status_quo", "passive")
    return [{"hegemon": h, "rising": r, "step_ms": 1000 * median[h, r], "ratio": median[h, r] / median[base],
             "mean_ms": 1000 * mean[h, r], "mean_ratio": mean[h, r] / mean[base], "actions": actions[h, r]}
            for h, r in pairs]


def paired_strategy_steps(repeat: int) -> list[dict]:
    """The same world stepped with and without the strategy, year by year: a run under each
    strategy (active from the first year, as in :func:`strategy_steps`) is copied at the start
    of every year; one copy steps with the strategy, the other with the strategies idle
    (``status_quo``/``passive``: no actions and γ = 0; what earlier actions left — pledges,
    clubs, reforms — is in both), in turns, in CPU time after a garbage collection; then the run
    goes on. So both steps start from the same state and the ratio is what acting costs in a
    year, without the difference of the worlds the strategies make over the years (the other
    table). Medians over all years of all repeats, and the ratio of the sums."""
    import copy
    import gc

    from exitsim import ExitModel, load_scenario
    from exitsim.codes import HEGEMON_STRATEGIES, RISING_STRATEGIES

    idle_hegemon, idle_rising = HEGEMON_STRATEGIES[0], RISING_STRATEGIES[0]  # status_quo, passive

    scenario = load_scenario(ROOT / "scenarios" / "world.yaml")
    pairs = [(h, "passive") for h in HEGEMON_STRATEGIES[1:]] + [("status_quo", r) for r in RISING_STRATEGIES[1:]]
    ExitModel(scenario, steps=10).run()  # warm up
    rows = []
    for hegemon, rising in pairs:
        acting, idle = [], []
        for _ in range(repeat):
            model = ExitModel(scenario, parameters={"hegemon_strategy": hegemon, "rising_strategy": rising,
                                                    "strategy_trigger": 3.0})
            for year in range(model.n_steps):
                with_strategy, without = copy.deepcopy(model), copy.deepcopy(model)
                without.strategy.hegemon_strategy, without.strategy.rising_strategy = idle_hegemon, idle_rising
                turns = [(with_strategy, acting), (without, idle)]
                for copy_, times in turns if year % 2 else turns[::-1]:
                    gc.collect()
                    t = time.process_time()
                    copy_.step()
                    times.append(time.process_time() - t)
                del with_strategy, without
                model.step()
        rows.append({"hegemon": hegemon, "rising": rising, "acting_ms": 1000 * statistics.median(acting),
                     "idle_ms": 1000 * statistics.median(idle),
                     "ratio": statistics.median(acting) / statistics.median(idle), "sum_ratio": sum(acting) / sum(idle)})
    return rows


def print_strategy_steps(repeat: int) -> None:
    result = subprocess.run([sys.executable, __file__, "--one", "strategies", "--repeat", str(repeat)],
                            capture_output=True, text=True, check=True)
    rows = json.loads(result.stdout.strip().splitlines()[-1])
    print(f"\nworld scenario, strategies active from the first year ({repeat} repeat{'s' if repeat > 1 else ''}; "
          "CPU time): a run's step against a run under status_quo/passive (two worlds)")
    print(f"{'hegemon':<15} {'rising':<21} {'step ms':>8} {'ratio':>6} {'mean ms':>8} {'ratio':>6} {'actions':>7}")
    for row in rows:
        print(f"{row['hegemon']:<15} {row['rising']:<21} {row['step_ms']:>8.2f} {row['ratio']:>6.2f} "
              f"{row['mean_ms']:>8.2f} {row['mean_ratio']:>6.2f} {row['actions']:>7}", flush=True)
    result = subprocess.run([sys.executable, __file__, "--one", "paired-strategies", "--repeat", str(repeat)],
                            capture_output=True, text=True, check=True)
    rows = json.loads(result.stdout.strip().splitlines()[-1])
    print(f"\nthe same world's step with the strategy acting and with the strategies idle, every year of those "
          f"runs ({repeat} repeat{'s' if repeat > 1 else ''}; CPU time; the target: at most 1.10)")
    print(f"{'hegemon':<15} {'rising':<21} {'acting ms':>9} {'idle ms':>8} {'added':>6} {'ratio':>6} {'of sums':>8}")
    for row in rows:
        print(f"{row['hegemon']:<15} {row['rising']:<21} {row['acting_ms']:>9.2f} {row['idle_ms']:>8.2f} "
              f"{row['acting_ms'] - row['idle_ms']:>6.2f} {row['ratio']:>6.2f} {row['sum_ratio']:>8.2f}", flush=True)
    print("(a copy's step is slower than a warm step of a run: compare the added ms with the first table's steps)")


def run_row(name: str, repeat: int) -> dict:
    command = [sys.executable, __file__, "--one", name, "--repeat", str(repeat), "--launched", repr(time.time())]
    result = subprocess.run(command, capture_output=True, text=True, check=True)
    return json.loads(result.stdout.strip().splitlines()[-1])


def run_py_seconds() -> float:
    """Wall time of the default scenario's ``python run.py`` (into a temporary folder)."""
    with tempfile.TemporaryDirectory() as folder:
        t = time.perf_counter()
        subprocess.run([sys.executable, str(ROOT / "run.py"), "run", str(ROOT / "scenarios" / "default.yaml"),
                        "--out", folder, "--quiet"], check=True, capture_output=True, cwd=ROOT)
        return time.perf_counter() - t


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="one repeat, no 250k rung")
    parser.add_argument("--repeat", type=int, default=None)
    parser.add_argument("--one", help=argparse.SUPPRESS)
    parser.add_argument("--launched", type=float, default=None, help=argparse.SUPPRESS)
    parser.add_argument("--strategies", action="store_true",
                        help="only the world step under each great-power strategy against status_quo")
    args = parser.parse_args()
    if args.one == "fixed-world-memory":
        print(json.dumps(fixed_world_memory()))
        return
    if args.one == "whole-run":
        print(json.dumps(whole_run(args.launched or STARTED)))
        return
    if args.one == "strategies":
        print(json.dumps(strategy_steps(args.repeat or 1)))
        return
    if args.one == "paired-strategies":
        print(json.dumps(paired_strategy_steps(args.repeat or 1)))
        return
    if args.strategies:
        print_strategy_steps(args.repeat or (1 if args.quick else 3))
        return
    if args.one:
        print(json.dumps(measure(args.one, args.repeat or 1, args.launched or STARTED)))
        return
    repeat = args.repeat or (1 if args.quick else 3)
    names = [n for n in ("classroom", "default", "world") if (ROOT / "scenarios" / f"{n}.yaml").exists()] + ["large"]
    ladder = [n for n in LADDER if not (args.quick and n == "ladder-250k")]
    print(f"machine: {os.cpu_count()} cores; Python {sys.version.split()[0]}")
    header = (f"{'world':<12} {'members':>8} {'steps':>5} {'start s':>7} {'build s':>7} {'step ms':>8} {'run s':>6} "
              f"{'csv s':>7} {'pq s':>7} {'peak MiB':>8} {'ref ms':>8} {'vec ms':>7} {'ref/vec':>7}")
    print(header)
    print("-" * len(header))
    rows = []
    for name in names + ladder:
        row = run_row(name, 1 if name in ("large", "ladder-250k") else repeat)
        rows.append(row)
        mark = " " if row["panel"] else "*"
        print(f"{row['name']:<12} {row['memberships']:>8} {row['steps']:>5} {row['start_s']:>7.2f} "
              f"{row['build_s']:>7.2f} {row['step_ms']:>8.2f} {row['run_s']:>6.2f} {row['csv_s']:>6.2f}{mark} "
              f"{row['pq_s']:>6.2f}{mark} {row['peak_mib']:>8.0f} "
              f"{row['ref_ms']:>8.1f} {row['vec_ms']:>7.2f} {row['ref_ms'] / row['vec_ms']:>7.0f}", flush=True)
    print("(* the membership panel is opt-in above 50,000 memberships: not written)")
    points = [(math.log(r["memberships"]), math.log(r["step_ms"])) for r in rows if r["name"].startswith("ladder")]
    if len(points) >= 2:
        mean_x = sum(x for x, _ in points) / len(points)
        mean_y = sum(y for _, y in points) / len(points)
        slope = (sum((x - mean_x) * (y - mean_y) for x, y in points)
                 / sum((x - mean_x) ** 2 for x, _ in points))
        print(f"\ntime per step ∝ memberships^{slope:.2f} (fitted on the ladder)")
    print(f"python run.py (the default scenario, set-up done): {run_py_seconds():.2f} s wall")
    launched = time.time()
    whole = json.loads(subprocess.run([sys.executable, __file__, "--one", "whole-run", "--launched", repr(launched)],
                                      capture_output=True, text=True, check=True).stdout.strip().splitlines()[-1])
    assert whole["code"] == 0, whole
    print(f"python run.py run scenarios/world.yaml (every output; the panels as Parquet, its default): start-up "
          f"{whole['start_s']:.2f} s, then {whole['run_s']:.2f} s wall (target: under 3 s after start-up); "
          f"CPU {whole['main_cpu_s']:.2f} s on the main thread, {whole['all_cpu_s']:.2f} s on all threads")
    print(f"python run.py validate scenarios/default.yaml: {command_seconds('validate', 'scenarios/default.yaml'):.2f} s "
          f"wall (target: under 0.8 s); python run.py --help: {command_seconds('--help'):.2f} s wall")
    for row in rows:
        if row["memory"]:
            print(f"{row['name']} world's memory over its years (its edge list grows with foundings): "
                  + "; ".join(f"step {step}: {size} rows, {mib:.0f} MiB" for step, size, mib in row["memory"]))
    fixed = subprocess.run([sys.executable, __file__, "--one", "fixed-world-memory"], capture_output=True, text=True,
                           check=True)
    print("world scenario without foundings (a fixed edge list), 300 years: "
          + "; ".join(f"step {step}: {mib:.0f} MiB ({events} events)"
                      for step, events, mib in json.loads(fixed.stdout.strip().splitlines()[-1])))
    print_strategy_steps(repeat)


if __name__ == "__main__":
    main()
