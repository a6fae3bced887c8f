"""How long ``python run.py compare`` takes, printed (a benchmark, not a timed test).

    python benchmarks/compare.py               # the default: 4 strategies × 10 replications, 2 workers
    python benchmarks/compare.py --repeats 3   # the median of three
    python benchmarks/compare.py --workers 1

Each repeat runs ``python run.py compare --quiet`` in a fresh process into a scratch folder and
prints its wall time, the processor time of the command (``RUSAGE_CHILDREN``) and of its worker
processes (the runs' own processor time, from its ``run.json``), and the load average before and
after (the target: under a minute on two cores; on a machine shared with other work wall time is
longer than the processor time would need, so both are printed).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def one(workers: int, extra: list[str]) -> tuple[float, float, float, tuple[float, float]]:
    """One compare in a fresh process: wall seconds, the command's processor seconds, its
    workers' (from run.json), and the load average before and after."""
    before = os.getloadavg()[0]
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    with tempfile.TemporaryDirectory() as folder:
        started = time.perf_counter()
        subprocess.run([sys.executable, str(ROOT / "run.py"), "compare", "--quiet", "--workers", str(workers),
                        "--out", str(Path(folder) / "compare"), *extra], check=True, cwd=ROOT,
                       stdout=subprocess.DEVNULL)
        wall = time.perf_counter() - started
        record = json.loads((Path(folder) / "compare" / "run.json").read_text(encoding="utf-8"))
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - used.ru_utime) + (after.ru_stime - used.ru_stime)
    return wall, cpu, record["worker_cpu_seconds"], (before, os.getloadavg()[0])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=1)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("extra", nargs="*", help="more arguments for compare (after --)")
    args = parser.parse_args()
    print(f"python run.py compare --workers {args.workers} {' '.join(args.extra)} on {os.cpu_count()} cores")
    walls = []
    for i in range(args.repeats):
        wall, cpu, workers, (before, after) = one(args.workers, args.extra)
        walls.append(wall)
        print(f"  run {i + 1}: {wall:6.1f} s wall; processor time {cpu:5.1f} s in the command, {workers:5.1f} s in "
              f"its workers' runs; load average {before:.1f} before, {after:.1f} after")
    if len(walls) > 1:
        print(f"  median {statistics.median(walls):.1f} s wall")


if __name__ == "__main__":
    main()
