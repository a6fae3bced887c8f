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

OUTPUT_FILES = ("timeseries.csv", "events.csv", "states.csv", "memberships.csv", "cascades.csv", "figure.png",
                "summary.md", "run.json", "organizations.csv")


#: memberships.csv: column -> description (unit).
MEMBERSHIP_PANEL_COLUMNS = {
    "year": "calendar year",
    "state": "state code",
    "organization": "organization code",
    "status": "member, notice, inactive or withdrawn (only rows that count this year are listed)",
    "uncapped_dues": "c*, the uncapped assessment: the unit of every decision term (power units a year)",
    "dues": "dues paid this year after cap, floor, discount and rise cap (power units a year)",
    "public_good": "the member's share of the organization's public good (power units a year)",
    "access": "functional (access) spillover received (power units a year)",
    "nonneutral_gain": "the leader's non-neutral gain h (0 unless the state leads; power units a year)",
    "commitment_transfer": "security commitment received, minus the commitment paid as leader (power units a year)",
    "compliance": "compliance cost (power units a year)",
    "policy_distance": "distance from the state's ideal point to the organization's policy (ideal-point units)",
    "leads": "True if the state leads the organization this year",
    "value": "ũ, the membership's yearly value to the state this year, in years of its own uncapped dues (MODEL.md §4.5)",
    "exposure": "contagion exposure X at the end of the year, acting on next year's choice (MODEL.md §4.8)",
    "discount": "dues discount won by concessions, a share of dues (at most 0.5)",
    "arrears": "unpaid dues owed at the end of the year (power units)",
}

#: events.csv: column -> description.
EVENT_COLUMNS = {
    "year": "calendar year",
    "kind": "what happened (notice, threat, concession, refusal, withdrawal, rescission, walkout, rejoin, return, founding, death, turnover, consent, shock)",
    "state": "state code, or empty",
    "organization": "organization code, or empty",
    "month": "month of a legal date (1–12), 0 when the event has none",
    "substantive": "substantive legality of an exit: explicit_clause, implied_right, consent, contested or non_treaty",
    "procedural": "procedural legality of an exit: followed or violated; empty for a contested walk-out (with no right to leave there is no procedure to follow or violate) and for events that are not exits",
    "cause": "the largest positive term of the decision (performance, cost, preferences, contagion, window, pretext), else unclear",
    "detail": "free text",
}

#: cascades.csv: column -> description.
CASCADE_COLUMNS = {
    "year": "year of the seed: a notice or walk-out by the organization's lead state (most powerful member) or by the hegemon",
    "state": "the seed's state",
    "organization": "the organization it left",
    "size": "notices and walk-outs in the next 2 years by states that were members at the seed, to it or to same-area organizations (each counted for the earliest seed it follows)",
    "censored": "True when the 2-year window runs past the end of the run",
    "expected": "followers expected by chance: the hazard of notice, without the exposure term, of the memberships that could follow the seed (the same members, in it or same-area organizations), summed over the same window",
    "excess": "size − expected: the followers beyond chance",
}

FILE_DESCRIPTIONS = {
    "timeseries.csv": "one row per year (the first is the start): the model-level outcomes",
    "states.csv": "one row per state and year",
    "memberships.csv": "one row per counted membership and year (streamed; opt-in above 50,000 memberships)",
    "events.csv": "one row per event, in the order they happened",
    "cascades.csv": "one row per contagion cascade seed, with its size",
    "organizations.csv": "one row per organization and year",
    "figure.png": "power shares, the hegemon/rising ratio, leadership, exits and threats, organizations, output per need",
    "summary.md": "the run's story in a few lines",
    "run.json": "the resolved scenario and parameters, seeds, versions, git commit (and whether the working tree had uncommitted changes: git_dirty) and command: all it takes to reproduce the run",
}


def outputs_markdown() -> str:
    """docs/outputs.md: the data dictionary of a run's files (made from the code's own tables)."""
    from .outcomes import MODEL_MEASURES, ORGANIZATION_PANEL_COLUMNS, STATE_MEASURES

    def table(columns: dict[str, str]) -> list[str]:
        return ["| column | meaning (unit) |", "|---|---|", *(f"| `{k}` | {v} |" for k, v in columns.items())]

    lines = ["# Outputs of a run", "",
             "<!-- Generated by `python run.py docs` from exitsim/outcomes.py and exitsim/outputs.py; "
             "do not edit by hand. -->", "",
             "`python run.py run SCENARIO` writes these files into `results/<scenario name>/` "
             "(or `--out DIR`). A run replaces only its own files there. Power is in the scenario's "
             "own units (only ratios matter); flows are per year.", ""]
    lines += ["| file | what it holds |", "|---|---|", *(f"| `{k}` | {v} |" for k, v in FILE_DESCRIPTIONS.items()), ""]
    lines += ["## `timeseries.csv`", "", *table(MODEL_MEASURES), ""]
    lines += ["## `states.csv`", "", *table({"step": "years since the start", "year": "calendar year",
                                             "state": "state code", "role": "hegemon, rising, ally or other",
                                             **STATE_MEASURES}), ""]
    lines += ["## `memberships.csv`", "", *table(MEMBERSHIP_PANEL_COLUMNS), ""]
    lines += ["## `events.csv`", "", *table(EVENT_COLUMNS), ""]
    lines += ["## `cascades.csv`", "", *table(CASCADE_COLUMNS), ""]
    lines += ["## `organizations.csv`", "", *table(ORGANIZATION_PANEL_COLUMNS), ""]
    return "\n".join(lines)


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
        os.replace(self._tmp, self.path)

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


def git_dirty(directory: Path | None = None) -> bool | None:
    """Whether the source tree exitsim runs from has uncommitted changes (so ``git_commit`` alone
    does not reproduce the run), or None outside git."""
    directory = directory or Path(__file__).resolve().parent
    try:
        result = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=directory,
                                capture_output=True, text=True, timeout=5)
    except (OSError, subprocess.SubprocessError):
        return None
    return bool(result.stdout.strip()) if result.returncode == 0 else None


def versions() -> dict[str, str]:
    """Versions of exitsim and the libraries that decide its numbers."""
    import mesa

    from . import __version__

    return {"exitsim": __version__, "mesa": mesa.__version__, "numpy": np.__version__,
            "pandas": pd.__version__, "python": sys.version.split()[0], "platform": platform.platform()}


def transition_year(timeseries: pd.DataFrame) -> int | None:
    """The first year after the start in which the rising power's power reaches the hegemon's,
    or None: when it never does, and when it was not behind at the start (there is no
    transition to date then)."""
    ratio = timeseries["hegemon_rising_ratio"]
    if not len(ratio) or not ratio.iloc[0] > 1.0:
        return None
    reached = timeseries.loc[ratio <= 1.0, "year"]
    return int(reached.iloc[0]) if len(reached) else None


def counted(n: int | float, noun: str, plural: str | None = None) -> str:
    """``"1 notice"``, ``"2 notices"``: a whole number with its noun."""
    n = int(n)
    return f"{n} {noun if n == 1 else plural or noun + 's'}"


#: events.csv's kinds as the summary names them: (singular, plural).
_EVENT_WORDS = {"walkout": ("walk-out", "walk-outs"), "consent": ("answer to a request for consent",
                                                               "answers to requests for consent")}


def _write_csv(frame: pd.DataFrame, path: Path) -> None:
    tmp = _tmp(path)
    frame.to_csv(tmp, index=False, float_format="%.10g")
    os.replace(tmp, path)


def write_figure(timeseries: pd.DataFrame, path: Path, title: str) -> None:
    """Six panels: power shares, the hegemon/rising ratio, leadership, exits and threats,
    organizations alive/zombie/dead, output and shortfall per need."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    years = timeseries["year"]
    fig, axes = plt.subplots(2, 3, figsize=(15, 7), constrained_layout=True)
    ax = axes[0, 0]
    ax.plot(years, timeseries["hegemon_power_share"], label="hegemon")
    ax.plot(years, timeseries["rising_power_share"], label="rising power")
    ax.set(title="Share of world power", xlabel="year")
    ax.legend()
    ax = axes[0, 1]
    ax.plot(years, timeseries["hegemon_rising_ratio"], color="black")
    ax.axhline(1.0, color="grey", linestyle=":")
    ax.set(title="Hegemon / rising power", xlabel="year")
    ax = axes[0, 2]
    ax.plot(years, timeseries["hegemon_leadership_share"], label="hegemon")
    ax.plot(years, timeseries["rising_leadership_share"], label="rising power")
    ax.plot(years, timeseries["hierarchy"], label="hierarchy (Σ L²)", linestyle="--")
    ax.set(title="Institutional leadership (share of output led)", xlabel="year", ylim=(0, 1))
    ax.legend()
    ax = axes[1, 0]
    for name, label in (("notices", "notices"), ("threats", "threats"), ("withdrawals", "withdrawals")):
        ax.plot(years, timeseries[name].cumsum(), label=label)
    walkouts = timeseries["walkouts_contested"] + timeseries["walkouts_violated"]
    ax.plot(years, walkouts.cumsum(), label="walk-outs", linestyle="--")
    ax.set(title="Exit and voice (cumulative)", xlabel="year")
    ax.legend()
    ax = axes[1, 1]
    ax.plot(years, timeseries["organizations_alive"], label="alive")
    ax.plot(years, timeseries["organizations_zombie"], label="zombie")
    ax.plot(years, timeseries["organizations_dead"], label="dead")
    ax.set(title="Organizations", xlabel="year")
    ax.legend()
    ax = axes[1, 2]
    ax.plot(years, timeseries["public_goods"] / timeseries["need"], label="output / need")
    ax.plot(years, timeseries["shortfall_share"], label="shortfall / need", linestyle="--")
    ax.set(title="Output and shortfall per unit of need", xlabel="year")
    ax.legend()
    fig.suptitle(title)
    tmp = _tmp(path)
    fig.savefig(tmp, dpi=110, format="png")
    plt.close(fig)
    os.replace(tmp, path)


def _cascade_line(cascades: pd.DataFrame) -> str:
    if not len(cascades):
        return "* Contagion: no lead state or hegemon left an organization."
    largest = cascades.sort_values(["size", "year"], ascending=[False, True]).iloc[0]
    followers, chance = int(cascades["size"].sum()), float(cascades["expected"].sum())
    return (f"* Contagion: {counted(len(cascades), 'exit')} by a lead state or the hegemon, followed within two years "
            f"by {counted(followers, 'other')} where {chance:.1f} would have left by chance (the same members' hazard "
            f"without contagion): {round(followers - chance, 1) + 0.0:+.1f} beyond chance; the largest cascade followed "
            f"{largest.state}'s exit from {largest.organization} in {int(largest.year)} "
            f"({counted(largest['size'], 'follower')}, {float(largest['expected']):.1f} by chance).")


def ratio_factors(timeseries: pd.DataFrame) -> dict[str, float]:
    """The run's change of the hegemon/rising ratio as factors that multiply to it: exp of each
    ``ratio_change_*`` column summed over the years, and ``institutions``, their product over
    the institutional flows (:data:`exitsim.outcomes.RATIO_PARTS`)."""
    from .mechanisms.flows import FLOW_NAMES
    from .outcomes import RATIO_PARTS

    sums = {name: float(timeseries[f"ratio_change_{name}"].sum()) for name in RATIO_PARTS}
    factors = {name: float(np.exp(value)) for name, value in sums.items()}
    factors["institutions"] = float(np.exp(sum(sums[name] for name in FLOW_NAMES)))
    return factors


def _ratio_line(timeseries: pd.DataFrame) -> str:
    """The summary's decomposition of the ratio's change into growth, institutions and noise."""
    from .mechanisms.flows import FLOW_NAMES

    f = ratio_factors(timeseries)
    flows = ", ".join(f"{name.replace('_', ' ')} ×{f[name]:.3f}" for name in FLOW_NAMES)
    total = f["growth"] * f["institutions"] * f["noise"] * f["other"]
    other = f", scheduled shocks and debts ×{f['other']:.3f}" if abs(f["other"] - 1) > 5e-4 else ""
    return (f"* What moved the ratio (factors that multiply to its change, ×{total:.3f}): the growth rates "
            f"×{f['growth']:.3f}, institutions ×{f['institutions']:.3f} ({flows}), random shocks ×{f['noise']:.3f}"
            f"{other}.")


def _great_power_lines(first, last, transition) -> list[str]:
    """The summary's lines on the hegemon and the rising power (what exists of them)."""
    lines = []
    start, end = int(first.year), int(last.year)
    if np.isfinite(first.hegemon_power_share):
        lines.append(f"* Hegemon's share of world power {first.hegemon_power_share:.1%} → {last.hegemon_power_share:.1%}; "
                     f"output led by it {first.hegemon_leadership_share:.1%} → {last.hegemon_leadership_share:.1%}; "
                     f"its share of all dues paid {first.budget_share_hegemon:.1%} → {last.budget_share_hegemon:.1%}, "
                     f"its dues {first.hegemon_dues_rate:.2%} of its power in {start} and {last.hegemon_dues_rate:.2%} "
                     f"in {end}.")
    if np.isfinite(first.rising_power_share):
        lines.append(f"* Rising power's share of world power {first.rising_power_share:.1%} → "
                     f"{last.rising_power_share:.1%}; output led by it {first.rising_leadership_share:.1%} → "
                     f"{last.rising_leadership_share:.1%}.")
    if np.isfinite(first.hegemon_rising_ratio):
        if first.hegemon_rising_ratio <= 1.0:
            where = ("the two start level" if np.isclose(first.hegemon_rising_ratio, 1.0)
                     else "the rising power starts ahead") + ", so there is no transition to date"
        else:
            where = (f"the rising power overtook the hegemon in {transition}" if transition
                     else "no power transition")
        lines.append(f"* Hegemon / rising power: {first.hegemon_rising_ratio:.2f} in {start} → "
                     f"{last.hegemon_rising_ratio:.2f} in {end}; {where}.")
    return lines or ["* No state is the hegemon or the rising power in this scenario."]


def _exit_line(model, timeseries: pd.DataFrame) -> str:
    """The summary's line on notices, threats and exits: the rate compared with the real one is
    that of the model's own notices, not the timeline's."""
    t = timeseries
    notices, scheduled = int(t.notices.sum()), int(t.notices_scheduled.sum())
    at_risk = t.at_risk.sum()
    own = (notices - scheduled) / at_risk if at_risk else 0.0
    rate = (f"{own:.5f} per member-year at risk; the real rate is about 0.0004" if not scheduled else
            f"{scheduled} scheduled by the timeline; the model's own {notices - scheduled}: {own:.5f} per member-year "
            f"at risk, where the real rate is about 0.0004")
    non_treaty = int(t.non_treaty_exits.sum())
    return (f"* Exit and voice: {counted(notices, 'lawful notice')} ({rate}); {counted(t.withdrawals.sum(), 'withdrawal')} "
            f"took effect" + (f", and {counted(non_treaty, 'exit from a non-treaty body', 'exits from non-treaty bodies')}"
                              if non_treaty else "")
            + f"; {counted(t.rescissions.sum(), 'notice')} rescinded; {counted(t.threats.sum(), 'threat')}; "
            f"{counted(t.concessions.sum(), 'concession')} (to threats or notices); "
            f"{counted(t.walkouts_contested.sum() + t.walkouts_violated.sum(), 'walk-out')}; "
            f"{counted(t.rejoins.sum() + t.returns.sum(), 'rejoin or return', 'rejoins or returns')}.")


def _events_line(events: pd.DataFrame) -> str:
    if not len(events):
        return "* Events recorded: none."
    parts = []
    for kind, n in events["kind"].value_counts().items():
        singular, plural = _EVENT_WORDS.get(kind, (kind, kind + "s"))
        part = counted(n, singular, plural)
        if kind == "withdrawal":  # exits from non-treaty bodies are recorded as withdrawals too
            non_treaty = int(events.loc[events.kind == "withdrawal", "substantive"].eq("non_treaty").sum())
            part += f" ({non_treaty} from a non-treaty body)" if non_treaty else ""
        parts.append(part)
    return f"* Events recorded: {len(events)} ({', '.join(parts)})."


def summary_text(model, timeseries: pd.DataFrame, events: pd.DataFrame, cascades: pd.DataFrame) -> str:
    """A short Markdown account of the run; every figure says which year it is from, or
    gives the start and the end."""
    first, last = timeseries.iloc[0], timeseries.iloc[-1]
    world = model.world
    transition = transition_year(timeseries)
    lines = [
        f"# {model.config.name}: {int(first.year)}–{int(last.year)}",
        "",
        model.config.description.strip() or "(no description)",
        "",
        f"* World: {world.n_states} states; {int(first.organizations_alive)} organizations and "
        f"{int(first.memberships_active)} memberships at the start, {world.n_orgs} organizations ever by the end; "
        f"world seed {model.config.world_seed}, seed {model.seed}.",
        *_great_power_lines(first, last, transition),
        *([_ratio_line(timeseries)] if np.isfinite(first.hegemon_rising_ratio) else []),
        f"* The median state gains {first.median_net_gain_rate:.2%} of its power a year from institutions in "
        f"{int(first.year)}, {last.median_net_gain_rate:.2%} in {int(last.year)}; hierarchy of leadership "
        f"{first.hierarchy:.2f} → {last.hierarchy:.2f}.",
        f"* Gini of power {first.gini_power:.3f} → {last.gini_power:.3f}; "
        f"organizations alive / zombie / dead: {int(first.organizations_alive)} / {int(first.organizations_zombie)} / "
        f"{int(first.organizations_dead)} at the start, {int(last.organizations_alive)} / "
        f"{int(last.organizations_zombie)} / {int(last.organizations_dead)} at the end "
        f"({counted(timeseries.foundings.sum(), 'founding')}, {counted(timeseries.deaths.sum(), 'death')}).",
        _exit_line(model, timeseries),
        _cascade_line(cascades),
        _events_line(events),
    ]
    return "\n".join(lines) + "\n"


def write_run(model, out: Path, membership_writer: MembershipPanelWriter | None, command: list[str],
              elapsed_seconds: float) -> dict[str, Path]:
    """Write every output of a finished run into ``out``; return the files written."""
    out.mkdir(parents=True, exist_ok=True)
    timeseries = model.datacollector.get_model_vars_dataframe()
    events = model.events.to_frame()
    cascades = model.cascades()
    written = {}
    for name, frame in (("timeseries.csv", timeseries), ("events.csv", events), ("cascades.csv", cascades),
                        ("states.csv", model.datacollector.get_agent_vars_dataframe()),
                        ("organizations.csv", model.organization_panel())):
        _write_csv(frame, out / name)
        written[name] = out / name
    if membership_writer is not None:
        membership_writer.close()
        written["memberships.csv"] = out / "memberships.csv"
    write_figure(timeseries, out / "figure.png", f"{model.config.name} (seed {model.seed})")
    written["figure.png"] = out / "figure.png"
    summary = out / "summary.md"
    tmp = _tmp(summary)
    tmp.write_text(summary_text(model, timeseries, events, cascades), encoding="utf-8")
    os.replace(tmp, summary)
    written["summary.md"] = summary
    record = {
        "scenario": model.config.model_dump(mode="json"),
        "parameters": model.params.to_dict(),
        "seed": model.seed if isinstance(model.seed, int) else str(model.seed),
        "world_seed": model.config.world_seed,
        "steps": model.n_steps,
        "versions": versions(),
        "git_commit": git_commit(),
        "git_dirty": git_dirty(),
        "command": command,
        "elapsed_seconds": round(elapsed_seconds, 3),
        "files": sorted(written),
    }
    path = out / "run.json"
    tmp = _tmp(path)
    tmp.write_text(json.dumps(record, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    os.replace(tmp, path)
    written["run.json"] = path
    for name in OUTPUT_FILES:  # an earlier run's file this run did not write would mislead
        if name not in written:
            (out / name).unlink(missing_ok=True)
    return written
