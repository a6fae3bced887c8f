"""``docs/findings.md``: what the headline experiments show, written from their stored results.

``python run.py findings`` reads the stores of the three experiments (those present) and writes
the document with its figures and tables (``docs/findings/<experiment>/``); ``make findings``
runs the experiments first, so one command regenerates every number, table, figure and the
reading from the model as it is:

* ``experiments/exit_vs_balancing.yaml`` — the comparison on the default scenario;
* ``experiments/exit_vs_balancing_world.yaml`` — on generated worlds of today's size;
* ``experiments/exit_vs_balancing_sensitivity.yaml`` — the differences over ν, ω and b.

Every sentence with a number is generated from the stored runs (:mod:`.reading`); the fixed
text says what the experiments are and what they cannot show.
"""

from __future__ import annotations

import math
import shutil
from pathlib import Path

from ..analysis import sweep_status
from ..sweep.store import Store, StoreError
from . import figures as draw
from .reading import brief, is_clear, reading, scale
from .report import (
    activation_lines,
    cluster_sentence,
    decomposition_lines,
    main_table,
    sensitivity_counts,
    sensitivity_lines,
)
from .results import Comparison, write_text

#: The experiments, by the name of their store, and what each is for.
EXPERIMENTS = {
    "exit_vs_balancing": "the default scenario",
    "exit_vs_balancing_world": "generated worlds of today's size",
    "exit_vs_balancing_sensitivity": "the default scenario over ν, ω and b",
}


def _stores(results: Path) -> dict[str, Comparison]:
    found = {}
    for name in EXPERIMENTS:
        store = Store(results / name)
        if store.is_store() and sweep_status(store.path).done:
            found[name] = Comparison(store)
    return found


def _versions(stores: dict[str, Comparison]) -> list[str]:
    commits = {}
    for name, comparison in stores.items():
        code = comparison.manifest["code"]
        key = (code.get("git_commit") or "unknown") + (" with uncommitted changes" if code.get("git_dirty") else "")
        commits.setdefault(key, []).append(name)
    versions = next(iter(stores.values())).manifest["code"]["versions"]
    libraries = (f"exitsim {versions.get('exitsim')}, Mesa {versions.get('mesa')}, numpy {versions.get('numpy')}, "
                 f"pandas {versions.get('pandas')}, Python {versions.get('python')}")
    if len(commits) == 1:
        return [f"**Model version:** git commit `{next(iter(commits))}` ({libraries})."]
    return ["**Model versions** (the stores were made by different code):", "",
            *[f"* `{commit}`: {', '.join(names)}" for commit, names in commits.items()], "", f"({libraries}.)"]


def _runs_table(stores: dict[str, Comparison]) -> list[str]:
    rows = []
    for name, comparison in stores.items():
        m = comparison.manifest
        status = sweep_status(comparison.store.path)
        time = comparison.sweep_time
        design = m["design"]
        factors = " × ".join(f"{len(f['values'])} `{f['column']}`" for f in design["factors"])
        command = " ".join(m.get("command") or []) or "—"
        rows.append(f"| {EXPERIMENTS[name]} | {factors} × {m['seeds']['replications']} replications, "
                    f"{comparison.years} years | {status.done} of {status.planned} | {time['wall'] / 60:.1f} min "
                    f"| {time['cpu'] / 60:.1f} min ({time['cpu'] / max(time['runs'], 1):.2f} s a run) | `{command}` |")
    return ["| experiment | design | runs done | wall time | processor time | made by |", "|---|---|---|---|---|---|",
            *rows, ""]


def _subset_note(comparison: Comparison) -> list[str]:
    """Say so when a store holds less than its experiment file asks (a --set subset, or unfinished)."""
    from ..sweep.designs import make_design
    from ..sweep.experiment import load_experiment

    given = comparison.manifest["experiment"].get("file")
    file = Path(given) if given else None
    status = sweep_status(comparison.store.path)
    notes = []
    if file is not None and file.is_file():
        full = load_experiment(file)
        planned = len(make_design(full)) * full.spec.seeds.replications
        if planned != status.planned:
            notes.append(f"This store holds {status.planned} planned runs, a part of the {planned} of `{file}` (made "
                         f"with the command above); `make findings` runs the whole experiment.")
    if not status.finished:
        notes.append(f"The sweep is not finished ({status.done} of {status.planned} runs done): the numbers use the "
                     "runs done so far.")
    return [*notes, ""] if notes else []


def _figures(comparison: Comparison, folder: Path, link: str) -> dict[str, str]:
    """Draw a store's figures into ``folder``; return their links by name."""
    links = {}
    if comparison.baseline_present:
        draw.differences_figure(comparison.differences, folder / "differences.png",
                                "paired differences against status quo/passive (95% intervals; filled: the interval "
                                "excludes zero)")
        links["differences"] = f"{link}/differences.png"
        passive = [p for p in dict.fromkeys(comparison.yearly["pair"]) if p.endswith("/ passive")]
        if len(passive) > 1:
            draw.trajectories_figure(comparison.yearly, passive, folder / "trajectories.png",
                                     "the hegemon's strategies against a passive rising power: mean, 95% band, 5–95% "
                                     "of runs")
            links["trajectories"] = f"{link}/trajectories.png"
        if comparison.parts:
            draw.decomposition_figure(comparison, folder / "decomposition.png")
            links["decomposition"] = f"{link}/decomposition.png"
        if len(comparison.sensitivity):
            draw.sensitivity_figure(comparison, folder / "sensitivity.png")
            links["sensitivity"] = f"{link}/sensitivity.png"
    return links


def _chance(comparison: Comparison) -> str:
    """How many of the differences are clear, beside how many 95% intervals would exclude zero by
    chance alone if no strategy changed anything."""
    table = comparison.differences
    table = table[~table["outcome"].isin(["ratio_from_growth", "ratio_from_noise", "ratio_log_change",
                                          "ratio_from_institutions"])].dropna(subset=["low"])
    clear = sum(is_clear(r["low"], r["high"]) for _, r in table.iterrows())
    return (f"Many outcomes are compared for many pairs: {clear} of the {len(table)} paired differences of the main "
            f"experiment are clear; if no strategy changed anything, about {0.05 * len(table):.0f} would be by chance "
            "(5%), and the outcomes are not independent of each other. A single clear difference near zero is "
            "weak evidence; a pattern across outcomes, responses, worlds and settings is stronger.")


def write_findings(results: str | Path = "results", out: str | Path = "docs/findings.md") -> Path:
    """Write ``out`` and its figures and tables (``<out's folder>/findings/``) from the stores in
    ``results``; return its path.

    Raises:
        StoreError: none of the experiments' stores has a finished run.
    """
    results, out = Path(results), Path(out)
    stores = _stores(results)
    if "exit_vs_balancing" not in stores:
        raise StoreError(f"no results of experiments/exit_vs_balancing.yaml in {results / 'exit_vs_balancing'}: run "
                         "`make findings`, or python run.py sweep experiments/exit_vs_balancing.yaml first")
    assets = out.parent / "findings"
    shutil.rmtree(assets, ignore_errors=True)  # made afresh: nothing of an earlier version stays
    links: dict[str, dict[str, str]] = {}
    for name, comparison in stores.items():
        comparison.write_tables(assets / name / "tables")
        links[name] = _figures(comparison, assets / name, f"findings/{name}")
    main = stores["exit_vs_balancing"]
    lines = [
        "# Findings: exit diplomacy against inclusive and exclusive institution-building",
        "",
        "<!-- Written by `python run.py findings` from the experiments' results; `make findings` runs the experiments "
        "and writes it again. Do not edit by hand: every number, table, figure and sentence of the reading comes from "
        "the stored runs. -->",
        "",
        *_versions(stores),
        "",
        "The question (MODEL.md §1, question 1): which strategy of the hegemon best preserves its relative power and "
        "its institutional leadership over decades of power transition, and at what cost in public goods and in the "
        "organizations' vitality? The hegemon's four strategies (status quo; exit diplomacy; inclusive and exclusive "
        "institution-building) meet the rising power's three (passive; gap filling; counter-institutions) on the same "
        "seeds: replication r has the same seed under every pair (common random numbers), so each pair is compared "
        "with status quo/passive run by run, and a difference is called **clear** only when its 95% interval "
        "excludes zero. Nothing is tuned: the scenarios and every parameter are the shipped defaults.",
        "",
        "## In brief",
        "",
        *_in_brief(stores),
        "## Regenerating this page",
        "",
        "```sh",
        "make findings        # the three experiments afresh, then this page (about an hour on two free cores)",
        "```",
        "",
        "or step by step (a stopped sweep continues with `--resume`):",
        "",
        "```sh",
        *[f"python run.py sweep experiments/{name}.yaml" for name in EXPERIMENTS],
        "python run.py findings                      # this page, from results/",
        "python run.py report results/exit_vs_balancing   # the full report of one experiment",
        "```",
        "",
        "## What was run",
        "",
        *_runs_table(stores),
    ]
    for comparison in stores.values():
        lines += _subset_note(comparison)
    lines += ["## What the experiment shows (default scenario)", ""]
    lines += [p + "\n" for p in reading(main.differences, main.choice, main.means, main.years, pairs=False)]
    lines += ["### The main table", "",
              "Against a passive rising power, at the horizon: status quo's mean (95% interval over runs) and each "
              "other strategy's paired difference from it (bold where its interval excludes zero).", "",
              *main_table(main, "passive")]
    figures = links["exit_vs_balancing"]
    for key, caption in (("differences", "Paired differences against status quo/passive, every pair"),
                         ("trajectories", "Trajectories against a passive rising power"),
                         ("decomposition", "What moved the ratio")):
        if key in figures:
            lines += [f"![{caption}]({figures[key]})", ""]
    for rising in ("gap_filling", "counter_institutions"):
        table = main_table(main, rising)
        if table:
            lines += [f"### Against a rising power that plays {rising.replace('_', ' ').replace('counter ', 'counter-')}",
                      "", *table]
    passive = main.activation["pair"].str.endswith("/ passive")
    acts = main.actions[main.actions["pair"].str.endswith("/ passive")] if len(main.actions) else main.actions
    lines += ["### What the strategies did", "", *activation_lines(main.activation[passive], acts,
                                                                   main.events is not None)]
    lines += ["### What moved the ratio", "", *decomposition_lines(main)]
    if "exit_vs_balancing_sensitivity" in stores:
        sensitivity = stores["exit_vs_balancing_sensitivity"]
        lines += ["## Who gains from institutions: ν, ω and b", "",
                  "MODEL.md §7: the absorptive exponent ν, the access spillover ω and the budget rate b decide who "
                  "gains from institutions, so the headline differences are shown at each of their levels.", "",
                  *sensitivity_lines(sensitivity, links["exit_vs_balancing_sensitivity"].get("sensitivity"))]
    else:
        lines += ["## Who gains from institutions: ν, ω and b", "",
                  "Not run yet: `python run.py sweep experiments/exit_vs_balancing_sensitivity.yaml`.", ""]
    if "exit_vs_balancing_world" in stores:
        world = stores["exit_vs_balancing_world"]
        intervals = cluster_sentence(world) if world.cluster else ""
        lines += ["## On worlds of today's size", "",
                  *[p + "\n" for p in reading(world.differences, world.choice, world.means, world.years,
                                               pairs=False)[1:]],
                  "### The main table (worlds of today's size)", "",
                  *([intervals[:1].upper() + intervals[1:], ""] if intervals else []),
                  *main_table(world, "passive"),
                  *sensitivity_lines(world, links["exit_vs_balancing_world"].get("sensitivity"))]
    else:
        lines += ["## On worlds of today's size", "",
                  "Not run yet: `python run.py sweep experiments/exit_vs_balancing_world.yaml`.", ""]
    lines += ["## What this does not show", "", *[f"* {text}" for text in _limits(main)], ""]
    lines += ["## Every number", "",
              "Every number above, and those of every pair, is in `docs/findings/<experiment>/tables/` (means.csv per "
              "pair, differences.csv against status quo/passive, choice.csv against status quo under each response, "
              "sensitivity.csv and settings.csv by level, activation.csv, actions.csv); "
              "`python run.py report results/<experiment>` writes each experiment's full report beside its results.",
              ""]
    write_text(out, "\n".join(lines))
    return out


def _in_brief(stores: dict[str, Comparison]) -> list[str]:
    """The answers in a few generated lines: the default scenario's, then how they fare over ν,
    ω and b and on worlds of today's size."""
    main = stores["exit_vs_balancing"]
    lines = ["On the default scenario, against a passive rising power: paired differences from the status quo at "
             f"the horizon after {main.years} years (counts over the whole run), \"no clear difference\" where the "
             "95% interval spans zero.", ""]
    lines += [f"* {line}" for line in brief(main.choice)]
    if text := scale(main.means, main.differences, main.years):
        lines.append("* " + text)
    if "exit_vs_balancing_sensitivity" in stores:
        lines += [f"* **Over ν, ω and b.** {line}" for line in sensitivity_counts(stores["exit_vs_balancing_sensitivity"])
                  if line]
    if "exit_vs_balancing_world" in stores:
        world = stores["exit_vs_balancing_world"]
        lines += [f"* **On worlds of today's size.** {line}" for line in brief(world.choice)[:1]]
    return [*lines, ""]


def _limits(main: Comparison) -> list[str]:
    years = main.years
    first = main.activation["first"].min() if len(main.activation) else math.nan
    start = main.manifest["scenario"]["resolved"]["start_year"]
    return [
        "A forecast. These are runs of a model: the hegemon's and the rising power's growth rates are given by the "
        "scenario, so the power transition itself is not at stake, only how far institutions speed or slow it. The "
        "numbers say what the mechanisms of MODEL.md, at their shipped defaults, imply — not what any real hegemon "
        "would gain.",
        f"Anything before the strategies act. They become active only when the hegemon's lead falls below "
        f"`strategy_trigger` (1.5 by default): in these runs from {first:.0f} at the earliest, {first - start:.0f} of "
        f"the {years} years in; before that, runs with the same seed are identical under every pair."
        if not math.isnan(first) else "Anything before the strategies act (they became active in no run).",
        "Other strategies, or other settings of these. The strategies' own parameters (the trigger, two actions a "
        "year, the reform's cap cut, the clubs' alignment threshold, the founders' contributions, the fill fraction) "
        "are held at their defaults, and each strategy is played for good once triggered; a hegemon that mixes "
        "strategies or stops is not modelled.",
        "Uncertainty about the model itself. The 95% intervals are over seeds of the same model and world(s): "
        "they say how surely the mean effect is known, not how surely the model is right. The sensitivity panel "
        "varies three parameters; the world experiment varies the generated world; everything else is fixed.",
        _chance(main),
        f"The long run beyond {years} years, or the path of an outcome between the start and the horizon other than "
        "in the trajectories drawn.",
    ]


__all__ = ["EXPERIMENTS", "write_findings"]
