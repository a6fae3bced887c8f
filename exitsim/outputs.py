"""Files a single run writes (ARCHITECTURE.md rule 7; columns in docs/outputs.md).

``timeseries.csv``, ``events.csv``, ``states.csv``, ``memberships.csv`` (streamed year by
year), ``figure.png``, ``summary.md`` and ``run.json``. Every file is written to a temporary
name and moved into place, and a run replaces only its own files in the output folder: other
files there are left alone, and none of ours is left over from an earlier run.
"""

from __future__ import annotations

import json
import os
import platform
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd

OUTPUT_FILES = ("timeseries.csv", "events.csv", "states.csv", "memberships.csv", "figure.png",
                "summary.md", "run.json")


def _replace(tmp: Path, final: Path) -> None:
    os.replace(tmp, final)


def _tmp(path: Path) -> Path:
    return path.with_name(f".{path.name}.partial")


class MembershipPanelWriter:
    """Streams the state–organization–year panel to ``memberships.csv`` one year at a time,
    so memory stays flat however long the run."""

    def __init__(self, path: Path):
        self.path = path
        self._tmp = _tmp(path)
        self._file = open(self._tmp, "w", encoding="utf-8", newline="")
        self._header = True

    def write(self, frame: pd.DataFrame) -> None:
        frame.to_csv(self._file, header=self._header, index=False, float_format="%.10g")
        self._header = False

    def close(self) -> None:
        self._file.close()
        _replace(self._tmp, self.path)

    def discard(self) -> None:
        self._file.close()
        self._tmp.unlink(missing_ok=True)


def git_commit(directory: Path | None = None) -> str | None:
    """The current git commit of the source tree exitsim runs from, or None."""
    directory = directory or Path(__file__).resolve().parent
    try:
        result = subprocess.run(["git", "rev-parse", "HEAD"], cwd=directory, capture_output=True,
                                text=True, timeout=5)
    except (OSError, subprocess.SubprocessError):
        return None
    return result.stdout.strip() or None if result.returncode == 0 else None


def versions() -> dict[str, str]:
    """Versions of exitsim and the libraries that decide its numbers."""
    import mesa

    from . import __version__

    return {"exitsim": __version__, "mesa": mesa.__version__, "numpy": np.__version__,
            "pandas": pd.__version__, "python": sys.version.split()[0], "platform": platform.platform()}


def transition_year(timeseries: pd.DataFrame) -> int | None:
    """The first year the rising power's power reaches the hegemon's, or None."""
    reached = timeseries.loc[timeseries["hegemon_rising_ratio"] <= 1.0, "year"]
    return int(reached.iloc[0]) if len(reached) else None


def _write_csv(frame: pd.DataFrame, path: Path) -> None:
    tmp = _tmp(path)
    frame.to_csv(tmp, index=False, float_format="%.10g")
    _replace(tmp, path)


def write_figure(timeseries: pd.DataFrame, path: Path, title: str) -> None:
    """Four panels: power shares, hegemon/rising ratio, leadership shares, public goods."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    years = timeseries["year"]
    fig, axes = plt.subplots(2, 2, figsize=(10, 7), constrained_layout=True)
    ax = axes[0, 0]
    ax.plot(years, timeseries["hegemon_power_share"], label="hegemon")
    ax.plot(years, timeseries["rising_power_share"], label="rising power")
    ax.set(title="Share of world power", xlabel="year")
    ax.legend()
    ax = axes[0, 1]
    ax.plot(years, timeseries["hegemon_rising_ratio"], color="black")
    ax.axhline(1.0, color="grey", linestyle=":")
    ax.set(title="Hegemon / rising power", xlabel="year")
    ax = axes[1, 0]
    ax.plot(years, timeseries["hegemon_leadership_share"], label="hegemon")
    ax.plot(years, timeseries["rising_leadership_share"], label="rising power")
    ax.plot(years, timeseries["hierarchy"], label="hierarchy (Σ L²)", linestyle="--")
    ax.set(title="Institutional leadership (share of output led)", xlabel="year", ylim=(0, 1))
    ax.legend()
    ax = axes[1, 1]
    ax.plot(years, timeseries["public_goods"] / timeseries["world_power"] * 100, label="public goods")
    ax.plot(years, timeseries["need"] / timeseries["world_power"] * 100, label="need", linestyle="--")
    ax.set(title="Organizations' output and need (% of world power)", xlabel="year")
    ax.legend()
    fig.suptitle(title)
    tmp = _tmp(path)
    fig.savefig(tmp, dpi=110, format="png")
    plt.close(fig)
    _replace(tmp, path)


def summary_text(model, timeseries: pd.DataFrame, events: pd.DataFrame) -> str:
    """A short Markdown account of the run."""
    first, last = timeseries.iloc[0], timeseries.iloc[-1]
    world = model.world
    transition = transition_year(timeseries)
    lines = [
        f"# {model.config.name}: {int(first.year)}–{int(last.year)}",
        "",
        model.config.description.strip() or "(no description)",
        "",
        f"* World: {world.n_states} states, {world.n_orgs} organizations, "
        f"{int(first.memberships_active)} memberships; world seed {model.config.world_seed}, seed {model.seed}.",
        f"* Hegemon / rising power: {first.hegemon_rising_ratio:.2f} → {last.hegemon_rising_ratio:.2f}; "
        + (f"the rising power overtook the hegemon in {transition}." if transition else "no power transition."),
        f"* Hegemon's share of world power {first.hegemon_power_share:.1%} → {last.hegemon_power_share:.1%}; "
        f"rising power's {first.rising_power_share:.1%} → {last.rising_power_share:.1%}.",
        f"* Output led by the hegemon {first.hegemon_leadership_share:.1%} → {last.hegemon_leadership_share:.1%}; "
        f"by the rising power {first.rising_leadership_share:.1%} → {last.rising_leadership_share:.1%}; "
        f"hierarchy {first.hierarchy:.2f} → {last.hierarchy:.2f}.",
        f"* The hegemon pays {last.budget_share_hegemon:.1%} of all dues ({last.hegemon_dues_rate:.2%} of its power a year); "
        f"the median state gains {last.median_net_gain_rate:.2%} of its power a year from institutions.",
        f"* Gini of power {first.gini_power:.3f} → {last.gini_power:.3f}; "
        f"organizations alive / zombie / dead at the end: {int(last.organizations_alive)} / "
        f"{int(last.organizations_zombie)} / {int(last.organizations_dead)}.",
        f"* Events recorded: {len(events)}"
        + (" (" + ", ".join(f"{n} {k}" for k, n in events["kind"].value_counts().items()) + ")." if len(events) else "."),
    ]
    return "\n".join(lines) + "\n"


def write_run(model, out: Path, membership_writer: MembershipPanelWriter | None, command: list[str],
              elapsed_seconds: float) -> dict[str, Path]:
    """Write every output of a finished run into ``out``; return the files written."""
    out.mkdir(parents=True, exist_ok=True)
    timeseries = model.datacollector.get_model_vars_dataframe()
    events = model.events.to_frame()
    written = {}
    for name, frame in (("timeseries.csv", timeseries), ("events.csv", events),
                        ("states.csv", model.datacollector.get_agent_vars_dataframe())):
        _write_csv(frame, out / name)
        written[name] = out / name
    if membership_writer is not None:
        membership_writer.close()
        written["memberships.csv"] = out / "memberships.csv"
    write_figure(timeseries, out / "figure.png", f"{model.config.name} (seed {model.seed})")
    written["figure.png"] = out / "figure.png"
    summary = out / "summary.md"
    tmp = _tmp(summary)
    tmp.write_text(summary_text(model, timeseries, events), encoding="utf-8")
    _replace(tmp, summary)
    written["summary.md"] = summary
    record = {
        "scenario": model.config.model_dump(mode="json"),
        "parameters": model.params.to_dict(),
        "seed": model.seed if isinstance(model.seed, int) else str(model.seed),
        "world_seed": model.config.world_seed,
        "steps": model.n_steps,
        "versions": versions(),
        "git_commit": git_commit(),
        "command": command,
        "elapsed_seconds": round(elapsed_seconds, 3),
        "files": sorted(written),
    }
    path = out / "run.json"
    tmp = _tmp(path)
    tmp.write_text(json.dumps(record, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    _replace(tmp, path)
    written["run.json"] = path
    for name in OUTPUT_FILES:  # an earlier run's file this run did not write would mislead
        if name not in written:
            (out / name).unlink(missing_ok=True)
    return written
