"""The report of a strategy sweep (``python run.py report``), as markdown with figures.

:func:`exitsim.analysis.write_report` hands a strategy comparison (:mod:`.results`) to
:func:`write_strategy_report`, which writes ``report.md``, ``figures/`` and ``tables/``:

* the plain-language reading (:mod:`.reading`);
* for every order outcome at the horizon, the mean and 95% interval under each pair and the
  paired differences against status quo/passive, and the hegemon's choice against each
  response of the rising power;
* trajectories with bands; how often and when the strategies became active, and what they
  did (actions by kind, per run);
* the ratio's change split into growth, luck and institutions (and into each flow where the
  store keeps the model's per-flow columns ``ratio_change_*``);
* where the store has other factors (ν, ω, b; worlds), the headline differences at each level.

:func:`build` makes the same sections for ``docs/findings.md`` (:mod:`.findings`).
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd

from ..analysis import sweep_status
from ..codes import HEGEMON_STRATEGIES, RISING_STRATEGIES
from ..sweep.store import Store
from . import figures as draw
from .outcomes import definition, factor_label, level_text, outcome
from .reading import interval, is_clear, reading, words
from .results import FLOW_PREFIX, Comparison, write_text
from .statistics import BASELINE, HEGEMON_FACTOR, RISING_FACTOR, pair_label, pair_means, paired


def _cell(row) -> str:
    o = outcome(row["outcome"])
    if row["n"] == 0 or math.isnan(row["mean"]):
        return "—"
    text = o.value(row["mean"])
    if not math.isnan(row["low"]):
        text += f" [{o.value(row['low'])}, {o.value(row['high'])}]"
    if row["n"] < row["runs"]:
        text += f" ({int(row['n'])} of {int(row['runs'])} runs)"
    return text


def _difference_cell(row) -> str:
    if row is None or row["pairs"] == 0:
        return "—"
    text = interval(row)
    text = f"**{text}**" if is_clear(row["low"], row["high"]) else text
    if "matched" in row and row["pairs"] < row["matched"]:  # e.g. runs without a transition have no year
        text += f" ({int(row['pairs'])} of {int(row['matched'])} pairs)"
    return text


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    return ["| " + " | ".join(header) + " |", "|" + "---|" * len(header),
            *("| " + " | ".join(row) + " |" for row in rows), ""]


def _label(column: str) -> str:
    o = outcome(column)
    return o.name[0].upper() + o.name[1:]


def main_table(comparison: Comparison, rising: str = "passive") -> list[str]:
    """The headline table: under one response of the rising power, status quo's mean and each
    other strategy of the hegemon's paired difference from it, for every order outcome."""
    baseline = pair_label(BASELINE[HEGEMON_FACTOR], rising)
    means = comparison.means[comparison.means["pair"] == baseline].set_index("outcome", drop=False)
    choice = comparison.choice[comparison.choice["baseline_pair"] == baseline]
    strategies = [h for h in HEGEMON_STRATEGIES[1:] if (choice[HEGEMON_FACTOR] == h).any()]
    if not len(means) or not strategies:
        return []
    by = {(r[HEGEMON_FACTOR], r["outcome"]): r for _, r in choice.iterrows()}
    rows = [[_label(name), _cell(means.loc[name]) if name in means.index else "—",
             *[_difference_cell(by.get((h, name))) for h in strategies]]
            for name in comparison.outcomes + comparison.parts]
    return _table(["at the horizon", "status quo: mean [95% CI]", *[f"{words(h)} − status quo" for h in strategies]],
                  rows)


def pair_tables(comparison: Comparison, table: pd.DataFrame, cell) -> list[str]:
    """One table per response of the rising power: the outcomes down, the hegemon's strategies
    across, each entry ``cell(row)`` of ``table``'s row for that pair and outcome."""
    lines = []
    for rising in RISING_STRATEGIES:
        rows = table[table[RISING_FACTOR] == rising]
        strategies = [h for h in HEGEMON_STRATEGIES if (rows[HEGEMON_FACTOR] == h).any()]
        if not strategies:
            continue
        by = {(r[HEGEMON_FACTOR], r["outcome"]): r for _, r in rows.iterrows()}
        lines += [f"#### Rising power: {words(rising)}", ""]
        lines += _table(["at the horizon", *[words(h) for h in strategies]],
                        [[_label(name), *[cell(by[(h, name)]) if (h, name) in by else "—" for h in strategies]]
                         for name in comparison.outcomes + comparison.parts])
    return lines


def activation_lines(activation: pd.DataFrame, actions: pd.DataFrame, events_kept: bool) -> list[str]:
    """How often and when the strategies became active, and what they did by kind (per run)."""
    if not len(activation):
        return []
    lines = ["How often and when the strategies became active (the hegemon's lead P_H/P_R fell below "
             "`strategy_trigger`; under status quo/passive nothing is watched):", ""]
    lines += _table(["pair", "runs", "active", "year: first", "mean", "last"],
                    [[r["pair"], str(int(r["runs"])), f"{int(r['active'])} ({r['share']:.0%})",
                      *(("—",) * 3 if r["active"] == 0 else (f"{r['first']:.0f}", f"{r['mean']:.1f}",
                                                              f"{r['last']:.0f}"))]
                     for _, r in activation.iterrows()])
    if len(actions):
        lines += ["What each strategy did, per run (events whose cause is the strategy: the actions and what "
                  "followed from them, such as the withdrawals its notices brought about):", ""]
        lines += _table(["pair", "strategy", "action", "per run", "runs with one", "first year"],
                        [[r["pair"], words(r["strategy"]), r["action"], f"{r['per_run']:.2f}",
                          str(int(r["runs_with"])), str(int(r["first_year"]))] for _, r in actions.iterrows()])
    elif not events_kept:
        lines += ["(The store keeps no events, so the actions by kind are not shown: keep.events: strategic.)", ""]
    return lines


def decomposition_lines(comparison: Comparison) -> list[str]:
    if not comparison.parts:
        return []
    means = comparison.means[comparison.means["outcome"].isin(comparison.parts)]
    by = {(r["pair"], r["outcome"]): r for _, r in means.iterrows()}
    pairs = list(dict.fromkeys(means["pair"]))
    lines = [f"The change of ln(P_H/P_R) over the {comparison.years} years, split exactly into growth (the growth "
             "rates), luck (the power shocks) and institutions (the rest: the institutional flows through the power "
             "update; `exitsim/transition.py`), as factors that multiply the ratio (exp of the mean log part, with "
             "its 95% interval). Growth and luck are the same for every pair on the same seed.", ""]
    rows = []
    for pair in pairs:
        cells = []
        for name in ("ratio_log_change", "ratio_from_growth", "ratio_from_noise", "ratio_from_institutions"):
            r = by.get((pair, name))
            cells.append("—" if r is None or math.isnan(r["mean"]) else
                         f"×{np.exp(r['mean']):.4g} [{np.exp(r['low']):.4g}, {np.exp(r['high']):.4g}]")
        rows.append([pair, *cells])
    lines += _table(["pair", "ratio's change", "growth", "luck", "institutions"], rows)
    if comparison.flows:
        names = [c[len(FLOW_PREFIX):].replace("_", " ") for c in comparison.flows]
        means = pair_means(comparison.flow_totals, comparison.flows)
        by = {(r["pair"], r["outcome"]): r for _, r in means.iterrows()}
        lines += ["Each part by itself (the model's yearly `ratio_change_*` columns summed over each run), as the factor "
                  "it multiplies the ratio by (exp of the mean over runs):", ""]
        lines += _table(["pair", *names], [[pair, *[f"×{np.exp(by[(pair, c)]['mean']):.4g}" if (pair, c) in by else "—"
                                                    for c in comparison.flows]]
                                           for pair in dict.fromkeys(means["pair"])])
        flows = paired(comparison.flow_totals, comparison.flows, comparison.others, cluster=comparison.cluster)
        lines += ["Each part's paired difference from status quo/passive, in log points (bold where its interval "
                  "excludes zero):", ""]
        by = {(r["pair"], r["outcome"]): r for _, r in flows.iterrows()}
        lines += _table(["pair", *names], [[pair, *[_difference_cell(by.get((pair, c))) for c in comparison.flows]]
                                           for pair in dict.fromkeys(flows["pair"])])
    else:
        lines += ["(This store has no per-flow columns `ratio_change_*`, so the institutional part is shown whole.)",
                  ""]
    return lines


def sensitivity_lines(comparison: Comparison, figure: str | None) -> list[str]:
    table = comparison.sensitivity
    if not len(table):
        return []
    lines = ["The headline paired differences against status quo/passive at each level of the other factors "
             "(matched on replication and on the remaining factors; pooled over them). A bold entry's interval "
             "excludes zero" + ("; intervals are cluster-robust by replication, whose seed recurs at every setting."
                                if comparison.cluster == "replication" else "."), ""]
    for factor in comparison.others:
        rows = table[(table["factor"] == factor) & (table["outcome"] == "hegemon_rising_ratio")]
        if not len(rows):
            continue
        levels = list(dict.fromkeys(rows["level"]))
        pairs = list(dict.fromkeys(rows["pair"]))
        by = {(r["pair"], r["level"]): r for _, r in rows.iterrows()}
        lines += [f"#### The ratio's difference by {factor_label(factor)}", ""]
        lines += _table(["pair", *[level_text(v) for v in levels]],
                        [[pair, *[_difference_cell(by.get((pair, v))) for v in levels]] for pair in pairs])
    lines += sensitivity_counts(comparison)
    if figure:
        lines += [f"![headline differences by level]({figure})", ""]
    if len(comparison.settings):
        settings = comparison.settings
        pairs = list(dict.fromkeys(settings["pair"]))
        by = {(tuple(r[c] for c in comparison.others), r["pair"]): r for _, r in settings.iterrows()}
        keys = list(dict.fromkeys(by))
        combos = list(dict.fromkeys(k for k, _ in keys))
        lines += ["#### The ratio's difference at every setting", ""]
        lines += _table([*[f"`{c}`" for c in comparison.others], *pairs],
                        [[*[level_text(v) for v in combo], *[_difference_cell(by.get((combo, p))) for p in pairs]]
                         for combo in combos])
    return lines


def sensitivity_counts(comparison: Comparison) -> list[str]:
    """In how many settings (or worlds) each pair's effect on the ratio is clearly positive,
    clearly negative or unclear: does the answer depend on who gains from institutions?"""
    if len(comparison.settings):
        table, what = comparison.settings, "settings of " + ", ".join(f"`{c}`" for c in comparison.others)
    elif len(comparison.others) == 1 and len(comparison.sensitivity):
        table = comparison.sensitivity[comparison.sensitivity["outcome"] == "hegemon_rising_ratio"]
        what = f"levels of `{comparison.others[0]}`"
    else:
        return []
    table = table[table["outcome"] == "hegemon_rising_ratio"]
    sentences = []
    for pair, rows in table.groupby("pair", sort=False):
        up = sum(is_clear(r["low"], r["high"]) and r["difference"] > 0 for _, r in rows.iterrows())
        down = sum(is_clear(r["low"], r["high"]) and r["difference"] < 0 for _, r in rows.iterrows())
        sentences.append(f"{pair}: clearly higher in {up}, clearly lower in {down}, no clear difference in "
                         f"{len(rows) - up - down}")
    return [f"The ratio against status quo/passive, over the {table.groupby('pair').size().max()} {what}: "
            + "; ".join(sentences) + ".", ""]


def cluster_sentence(comparison: Comparison) -> str:
    """How the intervals treat runs that are not independent (the comparison's cluster)."""
    groups = comparison.horizon[comparison.cluster].nunique()
    what = ("runs on one generated world share it" if comparison.cluster == "world_seed" else
            "replication r has the same seed at every setting of " + ", ".join(f"`{o}`" for o in comparison.others))
    return (f"{what}, so they are not independent of each other: every mean and paired difference is over all runs, "
            f"and its 95% interval is cluster-robust by `{comparison.cluster}` (CR1, Student's t over the {groups} "
            f"{'worlds' if comparison.cluster == 'world_seed' else 'replications'}).")


def borrowed_sensitivity(comparison: Comparison, name: str, figure: tuple[Path, str]) -> list[str]:
    """The sensitivity panel of another experiment's store beside this one (``report.sensitivity``
    in the experiment file), or what to run to have it."""
    folder = comparison.store.path.parent / name
    command = f"python run.py sweep experiments/{name}.yaml"
    if not (folder / "manifest.json").is_file():
        return [f"The sensitivity panel comes from the experiment `{name}`, not run yet: `{command}`, then "
                "report this one again.", ""]
    other = Comparison(Store(folder))
    if not other.baseline_present or not len(other.sensitivity):
        return [f"The experiment `{name}` (`{folder}`) has no paired differences by level yet: finish it "
                f"(`{command} --resume`), then report this one again.", ""]
    path, link = figure
    draw.sensitivity_figure(other, path)
    status = sweep_status(folder)
    return [f"From the experiment `{name}` ({status.done} of {status.planned} runs; its own report: "
            f"`python run.py report {folder}`):", "", *sensitivity_lines(other, link)]


def header_lines(comparison: Comparison) -> list[str]:
    m = comparison.manifest
    status = sweep_status(comparison.store.path)
    seeds, code = m["seeds"], m["code"]
    design = m["design"]
    time = comparison.sweep_time
    factors = ", ".join(f"`{f['column']}` ({len(f['values'])})" for f in design["factors"])
    lines = [
        f"* Design: a grid of {design['points']} points ({factors}) × {seeds['replications']} replications with "
        f"common random numbers (root seed {seeds['root']}): replication r has the same seed under every pair; "
        f"{comparison.years} years per run; base scenario `{m['scenario']['name']}`.",
        f"* Runs: {status.planned} planned, **{status.done} done**, {status.failed} failed, {status.missing} not run"
        + ("." if status.finished else " — the sweep is not finished: everything below uses the runs done so far."),
        f"* Model version: git commit `{code.get('git_commit') or 'unknown'}`"
        + (" with uncommitted changes" if code.get("git_dirty") else "")
        + f"; exitsim {code['versions'].get('exitsim')}, Mesa {code['versions'].get('mesa')}, numpy "
          f"{code['versions'].get('numpy')}, Python {code['versions'].get('python')}.",
        f"* Time: {time['wall']:.0f} s of wall time for the sweep, {time['cpu']:.0f} s of processor time in its "
        f"workers ({time['cpu'] / max(time['runs'], 1):.2f} s a run; wall time depends on the machine's load).",
    ]
    if comparison.cluster:
        lines.append(f"* Intervals: {cluster_sentence(comparison)}")
    lines.append("")
    if not comparison.baseline_present:
        lines += ["No run of the baseline (status quo/passive) is stored yet: no paired difference can be made.", ""]
    return lines


def definitions_lines(comparison: Comparison) -> list[str]:
    lines = ["Each outcome is its value at the last year of a run, or a measure of the whole run:", ""]
    lines += [f"* `{name}` — {definition(name)}." for name in comparison.outcomes + comparison.parts]
    return [*lines, ""]


# --- the report ---------------------------------------------------------------------------------------

def build(comparison: Comparison, out: Path) -> list[str]:
    """Make the report's figures (``out/figures``) and tables (``out/tables``) and return its
    markdown lines."""
    figures_prefix, tables_prefix = "figures", "tables"
    description = (comparison.manifest["experiment"].get("description") or "").strip()
    lines = [f"# Strategy comparison: {comparison.name}", "", *([description, ""] if description else []),
             *header_lines(comparison)]
    comparison.write_tables(out / tables_prefix)
    if not comparison.baseline_present or not len(comparison.horizon):
        return lines

    def figure(name: str) -> tuple[Path, str]:
        return out / figures_prefix / f"{name}.png", f"{figures_prefix}/{name}.png"

    lines += ["## Reading", "", *[p + "\n" for p in reading(comparison.differences, comparison.choice,
                                                                 comparison.means, comparison.years)]]
    lines += ["## The main table", "",
              "Against a passive rising power: status quo's mean at the horizon (95% interval over runs) and each other "
              "strategy's paired difference from it (mean over replications, 95% interval; bold where the interval "
              "excludes zero; % relative to status quo for ratios, indices and public goods).", ""]
    lines += main_table(comparison, "passive")
    path, link = figure("differences")
    draw.differences_figure(comparison.differences, path, "paired differences against status quo/passive (95% intervals; "
                                                     "filled: the interval excludes zero)")
    lines += [f"![paired differences]({link})", ""]
    others = [r for r in RISING_STRATEGIES[1:] if (comparison.choice["baseline_pair"] == pair_label("status_quo", r)).any()]
    if others:
        lines += ["## The hegemon's choice against each response of the rising power", "",
                  "Each strategy of the hegemon against the status quo under the same response of the rising power "
                  "(the hegemon cannot choose its rival's answer).", ""]
        for rising in others:
            lines += [f"Against {words(rising)}:", "", *main_table(comparison, rising)]
    lines += ["## Every pair", "", "Mean at the horizon and its 95% interval (Student's t over runs):", "",
              *pair_tables(comparison, comparison.means, _cell),
              "Paired differences against status quo/passive (same seeds; bold where the interval excludes zero):", "",
              *pair_tables(comparison, comparison.differences, _difference_cell)]
    lines += ["## Trajectories", ""]
    passive = [pair_label(h, "passive") for h in HEGEMON_STRATEGIES if (comparison.yearly["pair"] == pair_label(h, "passive")).any()]
    rising = [pair_label("status_quo", r) for r in RISING_STRATEGIES
              if (comparison.yearly["pair"] == pair_label("status_quo", r)).any()]
    pooled = f" (pooled over {', '.join(f'`{o}`' for o in comparison.others)})" if comparison.others else ""
    if len(passive) > 1:
        path, link = figure("trajectories")
        draw.trajectories_figure(comparison.yearly, passive, path, "the hegemon's strategies against a passive rising "
                                                              "power: mean, 95% band, 5–95% of runs" + pooled)
        lines += [f"![trajectories by the hegemon's strategy]({link})", ""]
    if len(rising) > 1:
        path, link = figure("trajectories_rising")
        draw.trajectories_figure(comparison.yearly, rising, path, "the rising power's strategies against a status-quo "
                                                             "hegemon: mean, 95% band, 5–95% of runs" + pooled)
        lines += [f"![trajectories by the rising power's strategy]({link})", ""]
    lines += ["## Activation and actions", "",
              *activation_lines(comparison.activation, comparison.actions, comparison.events is not None)]
    if comparison.parts:
        lines += ["## What moved the ratio", "", *decomposition_lines(comparison)]
        path, link = figure("decomposition")
        draw.decomposition_figure(comparison, path)
        lines += [f"![the ratio's change decomposed]({link})", ""]
    if len(comparison.sensitivity):
        path, link = figure("sensitivity")
        draw.sensitivity_figure(comparison, path)
        lines += ["## Sensitivity", "", *sensitivity_lines(comparison, link)]
    elif other := (comparison.manifest["experiment"].get("resolved") or {}).get("report", {}).get("sensitivity"):
        lines += ["## Sensitivity", "", *borrowed_sensitivity(comparison, other, figure("sensitivity"))]
    lines += ["## Definitions", "", *definitions_lines(comparison),
              f"Every number is in `{tables_prefix}/`: means.csv (per pair), differences.csv (against status quo/"
              "passive), choice.csv (against status quo under each response), sensitivity.csv and settings.csv (by "
              "level of the other factors), activation.csv, actions.csv.", ""]
    return lines


def write_strategy_report(folder: str | Path, out: str | Path | None = None) -> Path:
    """Write ``report.md``, ``figures/`` and ``tables/`` for a strategy sweep; return the report's path."""
    comparison = Comparison(Store(folder))
    out = Path(out) if out is not None else comparison.store.path
    out.mkdir(parents=True, exist_ok=True)
    path = out / "report.md"
    write_text(path, "\n".join(build(comparison, out)) + "\n")
    return path


__all__ = ["build", "write_strategy_report"]
