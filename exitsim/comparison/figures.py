"""The figures of a strategy comparison's report (matplotlib, drawn off-screen)."""

from __future__ import annotations

import math
import os
from pathlib import Path

import numpy as np
import pandas as pd

from .outcomes import factor_label, level_text, outcome
from .reading import is_clear
from .results import HEADLINE, TRAJECTORIES, Comparison
from .statistics import trajectory


def _pyplot():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def _save(fig, path: Path) -> None:
    import matplotlib.pyplot as plt

    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.partial")
    fig.savefig(tmp, dpi=100, format="png", metadata={"Software": None})
    plt.close(fig)
    os.replace(tmp, path)


COLORS = {"status_quo": "#444444", "exit_diplomacy": "#d62728", "inclusive": "#1f77b4", "exclusive": "#2ca02c",
          "passive": "#444444", "gap_filling": "#9467bd", "counter_institutions": "#ff7f0e"}


def differences_figure(differences: pd.DataFrame, path: Path, title: str) -> None:
    """A forest plot: each headline outcome's paired differences (95% intervals) for every pair;
    a filled marker where the interval excludes zero."""
    plt = _pyplot()
    names = [n for n in HEADLINE if (differences["outcome"] == n).any()]
    pairs = list(dict.fromkeys(differences["pair"]))
    columns = min(4, len(names))
    rows_n = math.ceil(len(names) / columns)
    fig, axes = plt.subplots(rows_n, columns, figsize=(3.6 * columns, 0.28 * len(pairs) * rows_n + 1.6 * rows_n),
                             squeeze=False)
    for ax, name in zip(axes.flat, names, strict=False):
        rows = differences[differences["outcome"] == name].set_index("pair").reindex(pairs)
        y = np.arange(len(pairs))[::-1]
        for i, (pair, r) in enumerate(rows.iterrows()):
            _interval_marker(ax, r, y[i], COLORS.get(pair.split(" / ")[0], "black"))
        ax.axvline(0, color="grey", lw=0.8, ls=":")
        ax.set_yticks(y, pairs if ax in axes[:, 0] else [""] * len(pairs), fontsize=7)
        ax.set_title(outcome(name).name, fontsize=8)
        ax.tick_params(axis="x", labelsize=7)
    for ax in list(axes.flat)[len(names):]:
        ax.set_visible(False)
    fig.suptitle(title, fontsize=9)
    fig.tight_layout()
    _save(fig, path)


def trajectories_figure(yearly: pd.DataFrame, pairs: list[str], path: Path, title: str) -> None:
    """Mean trajectories of the pairs, with the 95% band of the mean and the 5–95% range of runs."""
    plt = _pyplot()
    names = [n for n in TRAJECTORIES if n in yearly]
    columns = min(3, len(names))
    rows_n = math.ceil(len(names) / columns)
    fig, axes = plt.subplots(rows_n, columns, figsize=(4.2 * columns, 3.0 * rows_n), squeeze=False)
    frame = yearly[yearly["pair"].isin(pairs)]
    for ax, name in zip(axes.flat, names, strict=False):
        table = trajectory(frame, name)
        for pair in pairs:
            rows = table[table["pair"] == pair]
            if not len(rows):
                continue
            strategy = pair.split(" / ")[0] if pair.split(" / ")[1] == pairs[0].split(" / ")[1] else pair.split(" / ")[1]
            color = COLORS.get(strategy, None)
            ax.plot(rows["year"], rows["mean"], color=color, lw=1.2, label=pair)
            ax.fill_between(rows["year"], rows["low"], rows["high"], color=color, alpha=0.35, lw=0)
            ax.fill_between(rows["year"], rows["p05"], rows["p95"], color=color, alpha=0.08, lw=0)
        ax.set_title(outcome(name).name if name != "strategic_actions" else "strategic actions a year", fontsize=8)
        ax.tick_params(labelsize=7)
    axes.flat[0].legend(fontsize=6)
    for ax in list(axes.flat)[len(names):]:
        ax.set_visible(False)
    fig.suptitle(title, fontsize=9)
    fig.tight_layout()
    _save(fig, path)


def decomposition_figure(comparison: Comparison, path: Path) -> None:
    """Left: the ratio's change under each pair split into growth, luck and institutions (log
    points). Right: each pair's paired effect on the institutional part (95% intervals)."""
    plt = _pyplot()
    means = comparison.means[comparison.means["outcome"].isin(comparison.parts)]
    pairs = list(dict.fromkeys(means["pair"]))
    fig, (left, right) = plt.subplots(1, 2, figsize=(11, 0.3 * len(pairs) + 1.8), sharey=True)
    y = np.arange(len(pairs))[::-1]
    for k, (name, color, label) in enumerate((("ratio_from_growth", "#999999", "growth"),
                                               ("ratio_from_noise", "#bbbb55", "luck"),
                                               ("ratio_from_institutions", "#1f77b4", "institutions"))):
        values = means[means["outcome"] == name].set_index("pair").reindex(pairs)["mean"].to_numpy(float)
        left.barh(y + (1 - k) * 0.27, values, height=0.25, color=color, label=label)
    left.axvline(0, color="grey", lw=0.8)
    left.set_yticks(y, pairs, fontsize=7)
    left.set_title(f"parts of ln(P_H/P_R)'s change over {comparison.years} years (log points)", fontsize=8)
    left.legend(fontsize=7)
    effects = comparison.differences[comparison.differences["outcome"] == "ratio_from_institutions"]
    effects = effects.set_index("pair").reindex(pairs)
    for i, (pair, r) in enumerate(effects.iterrows()):
        _interval_marker(right, r, y[i], COLORS.get(pair.split(" / ")[0], "black"))
    right.axvline(0, color="grey", lw=0.8, ls=":")
    right.tick_params(axis="y", labelleft=False)
    right.set_title("paired effect on the institutional part, against status quo/passive", fontsize=8)
    for ax in (left, right):
        ax.tick_params(axis="x", labelsize=7)
    fig.tight_layout()
    _save(fig, path)


def sensitivity_figure(comparison: Comparison, path: Path) -> None:
    """The headline differences at each level of each other factor: one column per factor, one
    row per outcome, one line per pair."""
    plt = _pyplot()
    table = comparison.sensitivity
    names = [n for n in ("hegemon_rising_ratio", "hegemon_leadership_share", "public_goods")
             if (table["outcome"] == n).any()]
    factors = comparison.others
    fig, axes = plt.subplots(len(names), len(factors), figsize=(3.8 * len(factors), 2.6 * len(names)), squeeze=False)
    pairs = list(dict.fromkeys(table["pair"]))
    for j, factor in enumerate(factors):
        for i, name in enumerate(names):
            ax = axes[i, j]
            rows = table[(table["factor"] == factor) & (table["outcome"] == name)]
            levels = list(dict.fromkeys(rows["level"]))
            x = np.arange(len(levels))
            for k, pair in enumerate(pairs):
                r = rows[rows["pair"] == pair].set_index("level").reindex(levels)
                d = r["difference"].to_numpy(float)
                color = COLORS.get(pair.split(" / ")[0] if pair.split(" / ")[1] == "passive" else pair.split(" / ")[1])
                offset = (k - (len(pairs) - 1) / 2) * 0.08
                ax.errorbar(x + offset, d, yerr=[np.nan_to_num(d - r["low"].to_numpy(float)),
                                                 np.nan_to_num(r["high"].to_numpy(float) - d)],
                            fmt="o-", color=color, capsize=2, ms=3, lw=0.8, label=pair)
            ax.axhline(0, color="grey", lw=0.8, ls=":")
            ax.set_xticks(x, [level_text(v) for v in levels], fontsize=6, rotation=45 if len(levels) > 6 else 0)
            ax.tick_params(axis="y", labelsize=7)
            if i == 0:
                ax.set_title(factor_label(factor), fontsize=8)
            if j == 0:
                ax.set_ylabel(outcome(name).name.replace("the ", "", 1), fontsize=7)
    axes[0, 0].legend(fontsize=6)
    fig.suptitle("paired difference against status quo/passive, by level", fontsize=9)
    fig.tight_layout()
    _save(fig, path)


def comparison_figure(comparison: Comparison, path: Path, title: str) -> None:
    """The quick comparison's figure: above, the paired differences of four headline outcomes
    (95% intervals; filled where the interval excludes zero); below, their trajectories (mean
    and 95% band of the mean)."""
    plt = _pyplot()
    names = [n for n in ("hegemon_rising_ratio", "hegemon_leadership_share", "rising_leadership_share",
                         "public_goods") if (comparison.differences["outcome"] == n).any()]
    fig, axes = plt.subplots(2, len(names), figsize=(3.7 * len(names), 6.2), squeeze=False)
    differences = comparison.differences
    pairs = list(dict.fromkeys(differences["pair"]))
    y = np.arange(len(pairs))[::-1]
    for ax, name in zip(axes[0], names, strict=True):
        rows = differences[differences["outcome"] == name].set_index("pair").reindex(pairs)
        for i, (pair, r) in enumerate(rows.iterrows()):
            _interval_marker(ax, r, y[i], COLORS.get(pair.split(" / ")[0], "black"))
        ax.axvline(0, color="grey", lw=0.8, ls=":")
        ax.set_yticks(y, [p.split(" / ")[0] for p in pairs] if ax is axes[0, 0] else [""] * len(pairs), fontsize=7)
        ax.set_title(f"{outcome(name).name}: − status quo", fontsize=8)
        ax.tick_params(axis="x", labelsize=7)
    everyone = list(dict.fromkeys(comparison.yearly["pair"]))
    for ax, name in zip(axes[1], names, strict=True):
        table = trajectory(comparison.yearly, name)
        for pair in everyone:
            rows = table[table["pair"] == pair]
            color = COLORS.get(pair.split(" / ")[0])
            ax.plot(rows["year"], rows["mean"], color=color, lw=1.1, label=pair.split(" / ")[0])
            ax.fill_between(rows["year"], rows["low"], rows["high"], color=color, alpha=0.3, lw=0)
        ax.set_title(outcome(name).name, fontsize=8)
        ax.tick_params(labelsize=7)
    axes[1, 0].legend(fontsize=6)
    fig.suptitle(title, fontsize=9)
    fig.tight_layout()
    _save(fig, path)


def _interval_marker(ax, row, y: float, color: str) -> None:
    """A difference with its 95% interval: filled where the interval excludes zero."""
    if np.isnan(row["difference"]):
        return
    error = None if np.isnan(row["low"]) else [[row["difference"] - row["low"]], [row["high"] - row["difference"]]]
    ax.errorbar(row["difference"], y, xerr=error, fmt="o", color=color,
                mfc=color if is_clear(row["low"], row["high"]) else "white", capsize=2, ms=4)
