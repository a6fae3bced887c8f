"""Server-side time of a dashboard step plus redraw, printed as a table (a benchmark, not a timed test).

    python benchmarks/dashboard.py              # classroom, default and world, 20 steps each
    python benchmarks/dashboard.py --steps 5    # quicker

For each shipped scenario of classroom, default and world size, two measures over the same
number of years, both on the server (what the browser does with the images is not counted):

* ``views ms`` — one year of the model plus everything the page redraws for it: the network
  (drawn in place, written as PNG), the four time series (their lines redrawn over the saved
  axes, PNG), the event feed and this year's exits. This is the dashboard's own cost per year.
* ``page ms`` — the same year through the whole page, as a click on Step does it: the widget
  tree rendered by solara (``solara.render``) and the Step button clicked, so the widgets'
  re-render and diffing are included.

Each is the median over the years (and the 90th percentile) of the wall time, and beside it
the median CPU time of this process (``cpu``), which other work on a shared machine disturbs
less; the targets are under 200 ms at default size and under 1 s at world size (judged on the
wall time). Timings on a shared machine are noisy: run it twice, and read ``uptime`` too.
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("MPLBACKEND", "Agg")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SCENARIOS = {"classroom": "classroom.yaml", "default": "default.yaml", "world": "world.yaml"}
TARGETS_MS = {"default": 200, "world": 1000}


def views_times(name: str, steps: int) -> tuple[list[float], list[float], int]:
    """Per year: step + network + series + feed, as the page's RunViews does it."""
    from exitsim.dashboard.app import FAST_PNG
    from exitsim.dashboard.feed import EXIT_KINDS, feed
    from exitsim.dashboard.network import NetworkFigure, layout
    from exitsim.dashboard.series import SeriesFigure
    from exitsim.dashboard.session import Session

    session = Session(ROOT / "scenarios", SCENARIOS[name])
    model = session.model
    placed = layout(model.world)
    network, series = NetworkFigure(dpi=90), SeriesFigure(model.config.start_year, model.n_steps, dpi=90)
    times, cpu = [], []
    for _ in range(min(steps, model.n_steps)):
        started, started_cpu = time.perf_counter(), time.process_time()
        session.step()
        rows = [model.world.row_of(e.state, e.organization) for e in model.events
                if e.year == model.year and e.kind in EXIT_KINDS and e.organization]
        network.draw(model.world, placed, highlight_rows=[r for r in rows if r >= 0]).savefig(
            io.BytesIO(), format="png", pil_kwargs=FAST_PNG)
        series.png(model.outcomes, **FAST_PNG)
        feed(model.events, limit=150, notes=session.notes)
        times.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
    return times, cpu, len(model.world.memberships)


def page_times(name: str, steps: int) -> tuple[list[float], list[float]]:
    """Per year: a click on Step in the rendered page (solara.render, no browser)."""
    import ipyvuetify as v
    import solara

    from exitsim.dashboard.app import Dashboard

    _, rc = solara.render(Dashboard(ROOT / "scenarios", SCENARIOS[name]), handle_error=False)
    times, cpu = [], []
    for _ in range(steps):
        (button,) = [w for w in rc.find(v.Btn).widgets if "Step" in w.children]
        if button.disabled:
            break
        started, started_cpu = time.perf_counter(), time.process_time()
        button.click()
        times.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
    rc.close()
    return times, cpu


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=20, help="years measured per scenario (default 20)")
    args = parser.parse_args()
    print(f"{'scenario':<10} {'members':>8} {'views ms':>9} {'p90':>5} {'cpu':>5} {'page ms':>8} {'p90':>5} "
          f"{'cpu':>5}  target (page ms)")
    for name in SCENARIOS:
        views, views_cpu, members = views_times(name, args.steps)
        page, page_cpu = page_times(name, args.steps)
        target = TARGETS_MS.get(name)
        median = 1000 * statistics.median(page)
        verdict = "" if target is None else f"< {target}: {'yes' if median < target else 'NO'}"
        print(f"{name:<10} {members:>8,} {_ms(statistics.median(views)):>9} {_ms(_p90(views)):>5} "
              f"{_ms(statistics.median(views_cpu)):>5} {median:>8.0f} {_ms(_p90(page)):>5} "
              f"{_ms(statistics.median(page_cpu)):>5}  {verdict}", flush=True)
    print(f"Medians over the years measured; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores: "
          "on a shared machine run it twice.")
    return 0


def _ms(seconds: float) -> str:
    return f"{1000 * seconds:.0f}"


def _p90(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(0.9 * len(ordered)))]


if __name__ == "__main__":
    sys.exit(main())
