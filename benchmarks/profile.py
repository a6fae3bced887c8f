"""Profile one run and show where the time goes.

    python benchmarks/profile.py                          # the world scenario, 70 years
    python benchmarks/profile.py scenarios/default.yaml --steps 50
    python benchmarks/profile.py --html profile.html      # an interactive page

Uses pyinstrument (``pip install -e ".[bench]"``) when it is installed, else the standard
library's cProfile (the 30 functions with the most cumulative time). Only the run is profiled,
not building the model.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from exitsim import ExitModel, load_scenario  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("scenario", nargs="?", default=str(ROOT / "scenarios" / "world.yaml"))
    parser.add_argument("--steps", type=int, default=None)
    parser.add_argument("--html", help="write pyinstrument's interactive page here")
    args = parser.parse_args()
    model = ExitModel(load_scenario(args.scenario), steps=args.steps, collect_states=False)
    try:
        from pyinstrument import Profiler
    except ImportError:
        import cProfile
        import pstats

        profiler = cProfile.Profile()
        profiler.runcall(model.run)
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(30)
        return
    profiler = Profiler(interval=0.0005)
    profiler.start()
    model.run()
    profiler.stop()
    if args.html:
        Path(args.html).write_text(profiler.output_html(), encoding="utf-8")
        print(f"Wrote {args.html}.")
    else:
        print(profiler.output_text(unicode=True, color=False, show_all=False))


if __name__ == "__main__":
    main()
