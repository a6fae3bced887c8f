"""Files a single run writes (docs/architecture.md, rule 7; columns in docs/outputs.md).

``timeseries.csv``, ``events``, ``states`` and ``memberships`` (streamed year by year) as CSV,
Parquet or both (:func:`default_format`), ``cascades.csv``, ``figure.png``, ``summary.md`` and
``run.json`` (last). They are written into the staging folder of the run's
:class:`~exitsim.output_folder.OutputFolder`, which swaps them into the output folder whole;
tables are written by :mod:`exitsim.tables`.

Importing this module loads no pandas, pyarrow or matplotlib (the command line reads its
constants to print ``--help``); writing does.
"""

from __future__ import annotations

import json
import math
import os
import platform
import subprocess
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Mapping

    import numpy as np
    import pandas as pd
    import pyarrow as pa

#: The table files written as CSV, Parquet or both.
PANELS = ("states", "memberships", "events")
FORMATS = ("csv", "parquet", "both")
#: Rows of the membership panel (memberships at the start × (years + 1)) above which the panels
#: are written as Parquet by default: up to it a spreadsheet opens them at ease (about 35 MB of CSV).
PARQUET_ABOVE_ROWS = 200_000
#: Memberships above which ``memberships.*`` is written only when asked (``--memberships``).
LARGE_PANEL = 50_000

OUTPUT_FILES = ("timeseries.csv", "events.csv", "events.parquet", "states.csv", "states.parquet", "memberships.csv",
                "memberships.parquet", "cascades.csv", "organizations.csv", "figure.png", "summary.md", "run.json")


def default_format(memberships: int, steps: int) -> str:
    """``csv`` for a membership panel of at most :data:`PARQUET_ABOVE_ROWS` rows, else ``parquet``."""
    return "parquet" if memberships * (steps + 1) > PARQUET_ABOVE_ROWS else "csv"


def suffixes(file_format: str) -> tuple[str, ...]:
    """The file suffixes of the panels in ``file_format`` (csv, parquet or both)."""
    if file_format not in FORMATS:
        raise ValueError(f"file format must be one of {', '.join(FORMATS)}, got {file_format!r}")
    return {"csv": (".csv",), "parquet": (".parquet",), "both": (".csv", ".parquet")}[file_format]


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
    "kind": "what happened (notice, threat, concession, refusal, withdrawal, rescission, walkout, rejoin, return, founding, death, turnover, consent, shock; the strategies' strategy, reform, admission, amendment, assessment, contribution)",
    "state": "state code, or empty",
    "organization": "organization code, or empty",
    "month": "month of a legal date (1–12), 0 when the event has none",
    "substantive": "substantive legality of an exit: explicit_clause, implied_right, consent, contested or non_treaty",
    "procedural": "procedural legality of an exit: followed or violated; empty for a contested walk-out (with no right to leave there is no procedure to follow or violate) and for events that are not exits",
    "cause": "the largest positive term of the decision (performance, cost, preferences, contagion, window, pretext), else unclear; scheduled for a threat or notice the timeline set (or a dashboard intervention); for a great power's strategic action, the strategy (exit_diplomacy, inclusive, exclusive, gap_filling, counter_institutions)",
    "detail": "free text; a notice's gives its effective date, its exit payoff π (years of dues) and the concession chance p_concede with which the organization offers a threat's concession in the notice's year (taken, and the notice rescinded, only when worth at least π: most offers are declined and leave no event)",
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
    "states.csv / .parquet": "one row per state and year",
    "memberships.csv / .parquet": f"one row per counted membership and year (streamed; only when asked above {LARGE_PANEL:,} memberships)",
    "events.csv / .parquet": "one row per event, in the order they happened",
    "cascades.csv": "one row per contagion cascade seed, with its size",
    "organizations.csv": "one row per organization and year",
    "figure.png": "power shares, the hegemon/rising ratio, leadership, exits and threats, organizations, output per need",
    "summary.md": "the run's story in a few lines",
    "run.json": "the resolved scenario and parameters, seeds, versions, git commit (and whether the working tree had "
                "uncommitted changes: git_dirty), command and scenario_source (the scenario file, its SHA-256 and the "
                "--set values): all it takes to reproduce the run; `\"finished\": true` "
                "and the list of the run's `files`",
}

_OPENING = """\
```python
import json
import pandas as pd

folder = "results/default"
run = json.load(open(f"{folder}/run.json", encoding="utf-8"))
assert run["finished"], "not a finished run"
timeseries = pd.read_csv(f"{folder}/timeseries.csv")
cascades = pd.read_csv(f"{folder}/cascades.csv")
# the panels: whichever of .csv and .parquet the run wrote (run["files"] lists them)
states = pd.read_csv(f"{folder}/states.csv")                   # or pd.read_parquet(f"{folder}/states.parquet")
memberships = pd.read_csv(f"{folder}/memberships.csv")         # or pd.read_parquet(f"{folder}/memberships.parquet")
events = pd.read_csv(f"{folder}/events.csv", keep_default_na=False)  # keep empty text as "", not NaN
# a Parquet panel can be read in part, without loading the rest:
late = pd.read_parquet(f"{folder}/memberships.parquet", columns=["year", "state", "organization", "dues"],
                       filters=[("year", ">=", 2050)])
```"""


def _opening(name: str, panel: bool) -> str:
    read = f'`pd.read_csv("results/NAME/{name}.csv")`'
    if name == "events":
        read = f'`pd.read_csv("results/NAME/{name}.csv", keep_default_na=False)`'
    if panel:
        read += f' or `pd.read_parquet("results/NAME/{name}.parquet")`'
    return f"Open it in pandas with {read}."


def outputs_markdown() -> str:
    """docs/outputs.md: the data dictionary of a run's files (made from the code's own tables)."""
    from .outcomes import MODEL_MEASURES, ORGANIZATION_PANEL_COLUMNS, STATE_MEASURES, STRATEGY_MEASURES

    def table(columns: dict[str, str]) -> list[str]:
        return ["| column | meaning (unit) |", "|---|---|", *(f"| `{k}` | {v} |" for k, v in columns.items())]

    def section(name: str, columns: dict[str, str]) -> list[str]:
        panel = name in PANELS
        title = f"`{name}.csv`, `{name}.parquet`" if panel else f"`{name}.csv`"
        return [f"## {title}", "", _opening(name, panel), "", *table(columns), ""]

    lines = ["# Outputs of a run", "",
             "<!-- Generated by `python run.py docs` from exitsim/outcomes.py and exitsim/outputs.py; "
             "do not edit by hand. -->", "",
             "`python run.py run SCENARIO` writes these files into `results/<scenario name>/` "
             "(or `--out DIR`). Power is in the scenario's own units (only ratios matter); flows are per year.", ""]
    lines += ["| file | what it holds |", "|---|---|", *(f"| `{k}` | {v} |" for k, v in FILE_DESCRIPTIONS.items()), ""]
    lines += ["## CSV or Parquet", "",
              "The panels (`states`, `memberships`, `events`) are written as CSV, as Parquet or both: "
              "`--format csv`, `--format parquet`, `--format both`. Without `--format` they are CSV, which a "
              "spreadsheet opens, unless the membership panel would have more than "
              f"{PARQUET_ABOVE_ROWS:,} rows (memberships at the start × (years + 1)), when they are Parquet: "
              "smaller, far faster to write and read, and with its columns' types. So the default and classroom "
              "scenarios' panels are CSV and the world scenario's (about 12,000 memberships over 71 years) "
              "Parquet. `timeseries.csv` and `cascades.csv` are always CSV. Above "
              f"{LARGE_PANEL:,} memberships the membership panel is written only when asked "
              "(`--memberships`).", "",
              "In the CSV files numbers have at most 10 significant digits, written in the shortest form that "
              "reads back as the same number (`0.1`, `0.000015`, `1.5e-7`, `1.23456789e+12`; magnitudes below "
              "1e-13 keep all their digits); a missing number is an empty field; booleans are `True` and "
              "`False`; text is quoted only where it holds a comma, a quote or a line break. The Parquet files "
              "hold every number at full precision.", "",
              "## Opening them in pandas", "", _OPENING, "",
              "## A run's files are whole", "",
              "A run writes its files into a hidden staging folder inside the output folder "
              "(`.exitsim-staging`) and moves them into place only once every one of them is complete: "
              "until then the previous run's files are there, whole. `run.json` is removed first and put back "
              "last, so a folder with a `run.json` holds the files of that one run (those in its `files` list) "
              "and `\"finished\": true` says it ran to its end. An earlier run's files that this run did not "
              "write (`memberships.csv` after `--no-memberships`, `states.csv` after `--format parquet`) are "
              "removed; other files in the folder are left alone. A folder that holds another command's results "
              "(a `compare` folder) or files named like a run's that no run wrote there (no `run.json` lists them) "
              "is refused, and nothing is written.", "",
              "While a run lasts it holds a lock on the folder (`.exitsim.lock`), and a second run into the "
              "same folder stops at once with a message saying which run holds it. A run stopped with Ctrl-C "
              "leaves the folder as it was; a run killed outright leaves its staging folder, which the next "
              "run into the folder removes (or, if the run was killed while moving its files into place, "
              "finishes moving). A run that cannot write its files (a full disk) says so and also leaves the "
              "folder as it was.", ""]
    lines += section("timeseries", MODEL_MEASURES | STRATEGY_MEASURES)
    lines += section("states", {"step": "years since the start", "year": "calendar year", "state": "state code",
                                "role": "hegemon, rising, ally or other",
                                **STATE_MEASURES})
    lines += section("memberships", MEMBERSHIP_PANEL_COLUMNS)
    lines += section("events", EVENT_COLUMNS)
    lines += section("cascades", CASCADE_COLUMNS)
    lines += section("organizations", ORGANIZATION_PANEL_COLUMNS)
    return "\n".join(lines)


class MembershipPanelWriter:
    """Streams the state–organization–year panel to ``memberships.csv`` and/or
    ``memberships.parquet`` one year at a time, so memory stays flat however long the run.

    Args:
        folder: Where to write (the run's staging folder).
        file_format: csv, parquet or both.
    """

    def __init__(self, folder: Path, file_format: str):
        from .tables import CsvWriter, ParquetWriter

        writers = {".csv": CsvWriter, ".parquet": ParquetWriter}
        self.files = [f"memberships{suffix}" for suffix in suffixes(file_format)]
        self._writers = [writers[Path(name).suffix](Path(folder) / name) for name in self.files]

    def write(self, frame: pd.DataFrame | pa.Table) -> None:
        """Append one year's rows (:meth:`ExitModel.membership_table`, or its DataFrame)."""
        from .tables import as_table

        table = as_table(frame)
        for writer in self._writers:
            writer.write(table)

    def close(self) -> None:
        """Finish the files (wait until every year is written)."""
        for writer in self._writers:
            writer.close()

    def __enter__(self) -> MembershipPanelWriter:
        return self

    def __exit__(self, *exc_info) -> None:  # on an error, the years not yet written are dropped
        for writer in self._writers:
            writer.__exit__(*exc_info)


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
    import numpy as np
    import pandas as pd
    import pyarrow as pa

    from . import __version__

    return {"exitsim": __version__, "mesa": mesa.__version__, "numpy": np.__version__, "pandas": pd.__version__,
            "pyarrow": pa.__version__, "python": sys.version.split()[0], "platform": platform.platform()}


def transition_year(timeseries: pd.DataFrame | Mapping[str, np.ndarray]) -> int | None:
    """The first year after the start in which the rising power's power reaches the hegemon's,
    or None: when it never does, and when it was not behind at the start (there is no
    transition to date then). ``timeseries``: a frame or its columns."""
    import numpy as np

    ratio = np.asarray(timeseries["hegemon_rising_ratio"])
    if not len(ratio) or not ratio[0] > 1.0:
        return None
    reached = np.asarray(timeseries["year"])[ratio <= 1.0]
    return int(reached[0]) if len(reached) else None


def counted(n: int | float, noun: str, plural: str | None = None) -> str:
    """``"1 notice"``, ``"2 notices"``: a whole number with its noun."""
    n = int(n)
    return f"{n} {noun if n == 1 else plural or noun + 's'}"


#: events.csv's kinds as the summary names them: (singular, plural).
_EVENT_WORDS = {"walkout": ("walk-out", "walk-outs"), "consent": ("answer to a request for consent",
                                                               "answers to requests for consent")}


def write_figure(timeseries: pd.DataFrame, path: Path, title: str) -> None:
    """Six panels: power shares, the hegemon/rising ratio, leadership, exits and threats,
    organizations alive/zombie/dead, output and shortfall per need.

    Drawn once, straight to a PNG: a plain matplotlib ``Figure`` with fixed margins (no pyplot
    state, no layout engine drawing it again to measure it)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    years = timeseries["year"]
    fig = Figure(figsize=(15, 7))
    FigureCanvasAgg(fig)
    fig.subplots_adjust(left=0.045, right=0.99, bottom=0.08, top=0.9, wspace=0.18, hspace=0.38)
    axes = fig.subplots(2, 3)
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
    fig.savefig(path, dpi=110, format="png")


def _cascade_line(cascades: pd.DataFrame) -> str:
    if not len(cascades):
        return "* Contagion: no lead state or hegemon left an organization."
    largest = cascades.sort_values(["size", "year"], ascending=[False, True]).iloc[0]
    followers, chance = int(cascades["size"].sum()), float(cascades["expected"].sum())
    line = (f"* Contagion: {counted(len(cascades), 'exit')} by a lead state or the hegemon, followed within two years "
            f"by {counted(followers, 'other')} where {chance:.1f} would have left by chance (the same members' hazard "
            f"without contagion): {round(followers - chance, 1) + 0.0:+.1f} beyond chance")
    if followers == 0:  # no cascade to single out
        return line + "."
    return (line + f"; the largest cascade followed {largest.state}'s exit from {largest.organization} in "
            f"{int(largest.year)} ({counted(largest['size'], 'follower')}, {float(largest['expected']):.1f} by chance).")


def ratio_factors(timeseries: pd.DataFrame) -> dict[str, float]:
    """The run's change of the hegemon/rising ratio as factors that multiply to it: exp of each
    ``ratio_change_*`` column summed over the years, and ``institutions``, their product over
    the institutional flows (:data:`exitsim.outcomes.RATIO_PARTS`)."""
    from .mechanisms.flows import FLOW_NAMES
    from .outcomes import RATIO_PARTS

    sums = {name: float(timeseries[f"ratio_change_{name}"].sum()) for name in RATIO_PARTS}
    factors = {name: math.exp(value) for name, value in sums.items()}
    factors["institutions"] = math.exp(sum(sums[name] for name in FLOW_NAMES))
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
    if math.isfinite(first.hegemon_power_share):
        lines.append(f"* Hegemon's share of world power {first.hegemon_power_share:.1%} → {last.hegemon_power_share:.1%}; "
                     f"output led by it {first.hegemon_leadership_share:.1%} → {last.hegemon_leadership_share:.1%}; "
                     + (f"its share of all dues paid {first.budget_share_hegemon:.1%} → {last.budget_share_hegemon:.1%}, "
                        f"its dues {first.hegemon_dues_rate:.2%} of its power in {start} and {last.hegemon_dues_rate:.2%} "
                        f"in {end}." if math.isfinite(first.budget_share_hegemon) and math.isfinite(last.budget_share_hegemon)
                        else f"no state paid dues in {end if not math.isfinite(last.budget_share_hegemon) else start}."))
    if math.isfinite(first.rising_power_share):
        lines.append(f"* Rising power's share of world power {first.rising_power_share:.1%} → "
                     f"{last.rising_power_share:.1%}; output led by it {first.rising_leadership_share:.1%} → "
                     f"{last.rising_leadership_share:.1%}.")
    if math.isfinite(first.hegemon_rising_ratio):
        if first.hegemon_rising_ratio <= 1.0:
            where = ("the two start level" if math.isclose(first.hegemon_rising_ratio, 1.0)
                     else "the rising power starts ahead") + ", so there is no transition to date"
        else:
            where = (f"the rising power overtook the hegemon in {transition}" if transition
                     else "no power transition")
        lines.append(f"* Hegemon / rising power: {first.hegemon_rising_ratio:.2f} in {start} → "
                     f"{last.hegemon_rising_ratio:.2f} in {end}; {where}.")
    return lines or ["* No state is the hegemon or the rising power in this scenario."]



#: How the summary names what each strategy did (event kind -> words), in this order.
_STRATEGY_DEEDS = {
    "exit_diplomacy": (("notice", "notices"), ("walkout", "walk-outs"), ("threat", "threats"),
                       ("reform granted", "reforms granted"), ("rescission", "notices rescinded on reform"),
                       ("rejoin", "rejoins on reform"), ("return", "seats resumed on reform")),
    "inclusive": (("admission granted", "admissions of the rising power"), ("admission refused", "admissions refused"),
                  ("assessment", "assessments on current power"), ("amendment", "amendments")),
    "exclusive": (("founding", "clubs founded"),),
    "gap_filling": (("contribution", "gaps filled"),),
    "counter_institutions": (("founding", "counter-institutions founded"),),
}


def _strategy_lines(model, timeseries: pd.DataFrame, events: pd.DataFrame) -> list[str]:
    """The summary's lines on the great powers' strategies: which, when active, what they did."""
    import numpy as np

    params, state = model.params, model.strategy
    if state.inert:
        return ["* Strategies: none (status_quo and passive): the hegemon and the rising power decide like any state."]
    chosen = f"the hegemon's {params.hegemon_strategy} and the rising power's {params.rising_strategy}"
    if not state.active:
        return [f"* Strategies: {chosen}, never active (the hegemon's lead stayed above {params.strategy_trigger:g})."]
    lines = [f"* Strategies: {chosen}, active from {state.active_since} (the hegemon's lead fell below "
             f"{params.strategy_trigger:g}); {int(timeseries.strategic_actions.sum())} strategic actions."]
    for strategy in (params.hegemon_strategy, params.rising_strategy):
        if strategy not in _STRATEGY_DEEDS:
            continue
        mine = events[events.cause == strategy]
        kind = mine.kind + np.where(mine.kind.isin(["reform", "admission"]),
                                    np.where(mine.detail.str.contains("refused"), " refused",
                                             np.where(mine.detail.str.startswith("granted")
                                                      | mine.detail.str.contains("consent"), " granted", "")), "")
        counts = kind.value_counts()
        deeds = [f"{int(counts[name])} {words}" for name, words in _STRATEGY_DEEDS[strategy] if counts.get(name, 0)]
        lines.append(f"  * {strategy}: " + (", ".join(deeds) if deeds else "no action") + ".")
    paid = [(who, timeseries[f"{who}_voluntary"].sum()) for who in ("hegemon", "rising")]
    if any(total > 0 for _, total in paid):
        lines.append("  * Voluntary contributions paid: " + ", ".join(
            f"{'hegemon' if who == 'hegemon' else 'rising power'} {total:.4g}" for who, total in paid)
            + f" (power units); clubs alive at the end {int(timeseries.club_organizations.iloc[-1])}, "
              f"counter-institutions {int(timeseries.counter_institutions.iloc[-1])}.")
    return lines


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
        *_strategy_lines(model, timeseries, events),
        *([_ratio_line(timeseries)] if math.isfinite(first.hegemon_rising_ratio) else []),
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


def write_run(model, folder: Path, file_format: str, membership_files: list[str], command: list[str],
              elapsed_seconds: float, source: dict | None = None) -> list[str]:
    """Write every output of a finished run into ``folder`` (the run's staging folder), ``run.json``
    last; return the names of the files the run wrote.

    Args:
        model: The finished run.
        folder: Where to write.
        file_format: csv, parquet or both: how the panels are written.
        membership_files: The membership panel's files, already streamed into ``folder`` (none
            when it is not written).
        command: The command line, for ``run.json``.
        elapsed_seconds: The run's time, for ``run.json``.
        source: Where the scenario came from (``{"file", "sha256", "overrides"}``), for
            ``run.json``'s ``scenario_source``: the next run into the folder tells by it whether
            it replaces the results of another scenario.
    """
    from .tables import write_csv, write_parquet

    writers = {".csv": write_csv, ".parquet": write_parquet}
    folder = Path(folder)
    timeseries = model.timeseries()
    events = model.events.to_frame()
    cascades = model.cascades()
    written = list(membership_files)
    for name, frame in (("timeseries.csv", timeseries), ("cascades.csv", cascades),
                        ("organizations.csv", model.organization_panel())):
        write_csv(frame, folder / name)
        written.append(name)
    for stem, frame in (("states", model.datacollector.get_agent_vars_dataframe()), ("events", events)):
        for suffix in suffixes(file_format):
            writers[suffix](frame, folder / f"{stem}{suffix}")
            written.append(f"{stem}{suffix}")
    write_figure(timeseries, folder / "figure.png", f"{model.config.name} (seed {model.seed})")
    (folder / "summary.md").write_text(summary_text(model, timeseries, events, cascades), encoding="utf-8")
    written += ["figure.png", "summary.md", "run.json"]
    record = {
        "finished": True,
        "finished_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "scenario": model.config.model_dump(mode="json"),
        "parameters": model.params.to_dict(),
        "seed": model.seed if isinstance(model.seed, int) else str(model.seed),
        "world_seed": model.config.world_seed,
        "steps": model.n_steps,
        "format": file_format,
        "versions": versions(),
        "git_commit": git_commit(),
        "git_dirty": git_dirty(),
        "command": command,
        "elapsed_seconds": round(elapsed_seconds, 3),
        "files": sorted(written),
        **({"scenario_source": source} if source is not None else {}),
    }
    partial = folder / ".run.json.partial"  # whole or absent: its presence marks the staged run complete
    partial.write_text(json.dumps(record, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    os.replace(partial, folder / "run.json")
    return sorted(written)
