"""Time per step and per run of exitsim worlds; prints a table (not a timed test).

    python benchmarks/step.py            # default and world scenarios
    python benchmarks/step.py --repeat 5

Timed regions: a step is ``model.step()`` on a built model; a run is from a built model to
the end of the run with data collection (interpreter start, imports, world generation and
writing files excluded; building is printed separately).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from exitsim import ExitModel, load_scenario  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent


def measure(path: Path, steps: int, repeat: int) -> dict:
    scenario = load_scenario(path)
    build, run, per_step = [], [], []
    for r in range(repeat):
        started = time.perf_counter()
        model = ExitModel(scenario, steps=steps, seed=r)
        built = time.perf_counter()
        times = []
        for _ in range(steps):
            t = time.perf_counter()
            model.step()
            times.append(time.perf_counter() - t)
        model.datacollector.get_model_vars_dataframe()
        model.datacollector.get_agent_vars_dataframe()
        done = time.perf_counter()
        build.append(built - started)
        run.append(done - built)
        per_step.extend(times)
    return {"scenario": scenario.name, "states": model.world.n_states, "organizations": model.world.n_orgs,
            "memberships": len(model.world.memberships), "steps": steps,
            "build_s": statistics.median(build), "step_ms": statistics.median(per_step) * 1000,
            "run_s": statistics.median(run)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    print(f"machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}")
    header = f"{'scenario':<10} {'states':>6} {'orgs':>6} {'members':>8} {'steps':>5} {'build s':>8} {'step ms':>8} {'run s':>7}"
    print(header)
    print("-" * len(header))
    for name, steps in (("default", 50), ("world", 70)):
        row = measure(ROOT / "scenarios" / f"{name}.yaml", steps, args.repeat)
        print(f"{row['scenario']:<10} {row['states']:>6} {row['organizations']:>6} {row['memberships']:>8} "
              f"{row['steps']:>5} {row['build_s']:>8.3f} {row['step_ms']:>8.2f} {row['run_s']:>7.3f}")


if __name__ == "__main__":
    main()
