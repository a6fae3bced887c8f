"""Speed and memory of exitsim, printed as a table (a benchmark, not a timed test).

    python benchmarks/step.py              # everything (a few minutes on 2 cores)
    python benchmarks/step.py --quick      # fewer repeats and no 250k rung

Rows: the shipped scenarios (classroom, default, world) and a large world (2,000 states ×
5,000 organizations, about 126,000 memberships), then a ladder of generated worlds of about
12k, 30k, 60k, 126k and 250k memberships (63 per state, median 19 members per organization).

Columns: memberships at the start; build (scenario → model: world generation and set-up);
step ms (median time of one ``model.step()``); run s (a full run from a built model to its end
with data collection and the DataFrames built; interpreter start, imports, world generation
and writing files excluded); peak MiB (the process's peak resident memory; each row runs in
its own process); ref ms (the loop-by-loop reference of phases 2–3, ``tests/reference_step.py``)
against vec ms (the vectorized phases 2–3 on the same world) and their ratio. The exponent of
step time against memberships is fitted on the ladder only.
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
import time
from pathlib import Path

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


def measure(name: str, repeat: int, reference: bool) -> dict:
    """Run in a fresh process: build, step, run, peak memory, reference comparison."""
    import numpy as np

    from exitsim import ExitModel
    from exitsim.mechanisms.institutions import institutions_phase
    from exitsim.mechanisms.power import update_power

    scenario = scenario_for(name)
    steps = STEPS.get(name, 20)
    collect = name in ("classroom", "default", "world")
    builds, runs, step_times = [], [], []
    for r in range(repeat):
        started = time.perf_counter()
        model = ExitModel(scenario, seed=r, steps=steps, collect_states=collect)
        built = time.perf_counter()
        memberships = len(model.world.memberships)
        for _ in range(steps):
            t = time.perf_counter()
            model.step()
            step_times.append(time.perf_counter() - t)
        model.datacollector.get_model_vars_dataframe()
        model.datacollector.get_agent_vars_dataframe()
        model.events.to_frame()
        done = time.perf_counter()
        builds.append(built - started)
        runs.append(done - built)
    row = {"name": name, "memberships": memberships, "steps": steps, "build_s": statistics.median(builds),
           "step_ms": 1000 * statistics.median(step_times), "run_s": statistics.median(runs)}
    if reference:
        from reference_step import reference_step

        model = ExitModel(scenario, seed=0, collect_states=False)
        world, params = model.world, model.params
        q, e = np.zeros(world.n_orgs), np.zeros(world.n_states)
        vec = []
        for _ in range(5):
            t = time.perf_counter()
            flows = institutions_phase(world, params, q)
            update_power(world.power, world.growth, flows.net, e, params.power_noise, params.institutional_rate,
                         params.net_gain_clip)
            vec.append(time.perf_counter() - t)
        t = time.perf_counter()
        reference_step(world, params, q, e)
        row["ref_ms"] = 1000 * (time.perf_counter() - t)
        row["vec_ms"] = 1000 * statistics.median(vec)
    row["peak_mib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return row


def run_row(name: str, repeat: int, reference: bool) -> dict:
    command = [sys.executable, __file__, "--one", name, "--repeat", str(repeat)] + (["--reference"] if reference else [])
    result = subprocess.run(command, capture_output=True, text=True, check=True)
    return json.loads(result.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="one repeat, no 250k rung")
    parser.add_argument("--repeat", type=int, default=None)
    parser.add_argument("--one", help=argparse.SUPPRESS)
    parser.add_argument("--reference", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(measure(args.one, args.repeat or 1, args.reference)))
        return
    repeat = args.repeat or (1 if args.quick else 3)
    names = [n for n in ("classroom", "default", "world") if (ROOT / "scenarios" / f"{n}.yaml").exists()] + ["large"]
    ladder = [n for n in LADDER if not (args.quick and n == "ladder-250k")]
    print(f"machine: {os.cpu_count()} cores; Python {sys.version.split()[0]}")
    header = (f"{'world':<12} {'members':>8} {'steps':>5} {'build s':>8} {'step ms':>8} {'run s':>7} "
              f"{'peak MiB':>8} {'ref ms':>8} {'vec ms':>7} {'ref/vec':>7}")
    print(header)
    print("-" * len(header))
    rows = []
    for name in names + ladder:
        reference = name in ("default", "world", "large") or name.startswith("ladder")
        row = run_row(name, 1 if name in ("large", "ladder-250k") else repeat, reference)
        rows.append(row)
        ref = (f"{row['ref_ms']:>8.1f} {row['vec_ms']:>7.2f} {row['ref_ms'] / row['vec_ms']:>7.0f}"
               if "ref_ms" in row else f"{'':>8} {'':>7} {'':>7}")
        print(f"{row['name']:<12} {row['memberships']:>8} {row['steps']:>5} {row['build_s']:>8.2f} "
              f"{row['step_ms']:>8.2f} {row['run_s']:>7.2f} {row['peak_mib']:>8.0f} {ref}", flush=True)
    points = [(math.log(r["memberships"]), math.log(r["step_ms"])) for r in rows if r["name"].startswith("ladder")]
    if len(points) >= 2:
        mean_x = sum(x for x, _ in points) / len(points)
        mean_y = sum(y for _, y in points) / len(points)
        slope = (sum((x - mean_x) * (y - mean_y) for x, y in points)
                 / sum((x - mean_x) ** 2 for x, _ in points))
        print(f"\ntime per step ∝ memberships^{slope:.2f} (fitted on the ladder)")


if __name__ == "__main__":
    main()
