"""The plain-language reading of a strategy comparison, generated from its numbers.

The reading says only what the paired differences say. One rule decides every verdict: a
difference is **clear** when its 95% interval lies wholly on one side of zero; where the
interval spans zero (or there are too few pairs for one), the reading says "no clear
difference", whatever the mean. Nothing else is judged: a clear difference is given with its
size and interval, and a paragraph puts the sizes beside what growth does to the ratio, so a
reader sees whether a clear difference is also a large one.

Inputs are the long tables of :mod:`.statistics`: paired differences against status quo/passive
(``paired``), the hegemon's choice against each response of the rising power
(``paired_within_response``) and the means of the ratio's parts per pair (``pair_means`` over
:data:`~exitsim.transition.RATIO_PARTS`).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from ..codes import RISING_STRATEGIES
from .outcomes import COST, LEADERSHIP, POWER, outcome, percent
from .statistics import BASELINE_PAIR, HEGEMON_FACTOR, RISING_FACTOR

#: Outcomes each pair's paragraph reads, in order (the rest are in the tables).
READ = (*POWER, "transition_year", *LEADERSHIP, "layering", *COST, "budget_share_hegemon", "budget_share_rising")
#: The answers to question 1: an outcome and the heading of its paragraph.
QUESTIONS = (("hegemon_rising_ratio", "Relative power"), ("hegemon_leadership_share", "Institutional leadership"),
             ("public_goods", "Cost in public goods"), ("organizations_alive", "The organizations' vitality"),
             ("withdrawals_total", "Withdrawals"))


def is_clear(low: float, high: float) -> bool:
    """A difference is clear when its 95% interval excludes zero (and exists).

    >>> is_clear(0.1, 0.4), is_clear(-0.1, 0.4), is_clear(-0.4, -0.1), is_clear(float("nan"), float("nan"))
    (True, False, True, False)
    """
    return not (math.isnan(low) or math.isnan(high)) and (low > 0 or high < 0)


def words(strategy: str) -> str:
    """A strategy's name in a sentence: ``exit_diplomacy`` → ``exit diplomacy``."""
    return strategy.replace("counter_", "counter-").replace("_", " ")


def interval(row) -> str:
    """``+2.1 points [+1.2, +3.0]``, and for a ratio, an index or public goods the change
    relative to the baseline (``, +0.8%``)."""
    o = outcome(row["outcome"])
    text = f"{o.change(row['difference'])} [{o.change(row['low'], False)}, {o.change(row['high'], False)}]"
    relative = row.get("relative", math.nan)
    if o.unit in ("ratio", "power", "index") and relative is not None and not math.isnan(relative):
        text += f", {percent(relative)}"
    return text


def direction(row) -> str:
    """``higher`` or ``lower`` (``later`` or ``earlier`` for a year) for a clear difference."""
    up = row["difference"] > 0
    if outcome(row["outcome"]).unit == "year":
        return "later" if up else "earlier"
    return "higher" if up else "lower"


def verdict(row) -> str:
    """One outcome's difference in words: ``"the hegemon's leadership share is higher (+2.1
    points [+1.2, +3.0])"``, or ``"no clear difference in … (…)"`` where its interval spans zero."""
    o = outcome(row["outcome"])
    if not is_clear(row["low"], row["high"]):
        return f"no clear difference in {o.name} ({interval(row)})"
    return f"{o.name} is {direction(row)} ({interval(row)})"


def pair_paragraph(rows: pd.DataFrame) -> str:
    """What one pair changed against its baseline: the clear differences, then the others."""
    first = rows.iloc[0]
    rows = rows.set_index("outcome", drop=False)
    wanted = [name for name in READ if name in rows.index]
    clear = [verdict(rows.loc[n]) for n in wanted if is_clear(rows.loc[n, "low"], rows.loc[n, "high"])]
    unclear = [n for n in wanted if not is_clear(rows.loc[n, "low"], rows.loc[n, "high"])]
    pairs = int(rows["pairs"].max()) if len(rows) else 0
    head = f"**{words(first[HEGEMON_FACTOR])} against {words(first[RISING_FACTOR])}** ({pairs} paired runs): "
    if not clear:
        return head + "no clear difference from the baseline in any of " + _names(unclear) + "."
    text = head + "; ".join(clear) + "."
    if unclear:
        text += " No clear difference in " + ", ".join(
            f"{outcome(n).name} ({interval(rows.loc[n])})" for n in unclear) + "."
    return text


def _names(columns: list[str]) -> str:
    names = [outcome(n).name for n in columns]
    if not names:
        return "the outcomes"
    return ", ".join(names[:-1]) + " or " + names[-1] if len(names) > 1 else names[0]


def _listed(rows: list) -> str:
    return _and([f"{words(r[HEGEMON_FACTOR])} ({interval(r)})" for r in rows])


def _and(items: list[str]) -> str:
    return ", ".join(items[:-1]) + " and " + items[-1] if len(items) > 1 else "".join(items)


def response_sentence(rows: pd.DataFrame, rising: str) -> str:
    """One outcome, the hegemon's strategies against ``status_quo`` under one response of the
    rising power: which are clearly higher, which clearly lower, which make no clear difference."""
    o = outcome(rows["outcome"].iloc[0])
    against = f"Against {'a passive rising power' if rising == 'passive' else 'a rising power that plays ' + words(rising)}"
    up = [r for _, r in rows.iterrows() if is_clear(r["low"], r["high"]) and r["difference"] > 0]
    down = [r for _, r in rows.iterrows() if is_clear(r["low"], r["high"]) and r["difference"] < 0]
    flat = [r for _, r in rows.iterrows() if not is_clear(r["low"], r["high"])]
    if not up and not down:
        return (f"{against}, no strategy of the hegemon makes a clear difference to {o.name} at the horizon: every "
                f"paired interval spans zero ({_listed(flat)}).")
    parts = []
    for found, word in ((up, "higher"), (down, "lower")):
        if found:
            word = {"higher": "later", "lower": "earlier"}[word] if o.unit == "year" else word
            parts.append(f"clearly {word} with {_listed(found)}")
    if flat:
        parts.append(f"not clearly different with {_listed(flat)}")
    text = f"{against}, {o.name} is " + "; ".join(parts) + " than under the status quo."
    if len(up) > 1:
        text += " " + _largest(up, "rise")
    if len(down) > 1:
        text += " " + _largest(down, "fall", smallest=True)
    return text


def _largest(found: list, what: str, smallest: bool = False) -> str:
    """Which clear difference is the largest, and whether its interval overlaps the others'."""
    best = min(found, key=lambda r: r["difference"]) if smallest else max(found, key=lambda r: r["difference"])
    rivals = [r for r in found if r is not best
              and (r["low"] <= best["high"] if smallest else r["high"] >= best["low"])]
    text = f"The largest {what} is {words(best[HEGEMON_FACTOR])}'s"
    if rivals:
        return text + ", though its interval overlaps " + _and([words(r[HEGEMON_FACTOR]) + "'s" for r in rivals]) + "."
    return text + "."


def answer(choice: pd.DataFrame, column: str, what: str) -> str:
    """Question 1 for one outcome: a sentence for each response of the rising power."""
    rows = choice[choice["outcome"] == column]
    sentences = [response_sentence(rows[rows[RISING_FACTOR] == rising], rising)
                 for rising in RISING_STRATEGIES if (rows[RISING_FACTOR] == rising).any()]
    return f"**{what}.** " + " ".join(sentences) if sentences else ""


def scale(parts: pd.DataFrame, differences: pd.DataFrame, years: int) -> str:
    """How large the institutional flows are beside growth: the ratio's change under the
    baseline as factors (growth, institutions, luck), and the range of the strategies' paired
    effects on the institutional part, as factors too."""
    base = parts[parts["pair"] == BASELINE_PAIR].set_index("outcome")["mean"]
    if not {"ratio_from_growth", "ratio_from_institutions", "ratio_from_noise"} <= set(base.index):
        return ""
    text = (f"**How large.** Over the {years} years, under the baseline the growth rates alone multiply the hegemon/"
            f"rising power ratio by ×{np.exp(base['ratio_from_growth']):.3g}, the institutional flows by "
            f"×{np.exp(base['ratio_from_institutions']):.3g} and luck by ×{np.exp(base['ratio_from_noise']):.3g} "
            "(means over the runs).")
    effects = differences[differences["outcome"] == "ratio_from_institutions"].dropna(subset=["difference"])
    if len(effects):
        low, high = effects.loc[effects["difference"].idxmin()], effects.loc[effects["difference"].idxmax()]
        clear = sum(is_clear(r["low"], r["high"]) for _, r in effects.iterrows())
        text += (f" Against the baseline, the strategy pairs multiply the institutional factor by between "
                 f"×{np.exp(low['difference']):.4g} ({words(low[HEGEMON_FACTOR])} against {words(low[RISING_FACTOR])})"
                 f" and ×{np.exp(high['difference']):.4g} ({words(high[HEGEMON_FACTOR])} against "
                 f"{words(high[RISING_FACTOR])}); {clear} of these {len(effects)} paired effects are clear. With the "
                 "same seed, growth and luck are the same under every pair, so this is the strategies' whole effect "
                 "on the ratio.")
    return text


def short(row) -> str:
    """A difference in a few words: ``+1.6% of status quo's`` or ``+10 points``, and ``no clear
    difference`` in place of the sign where its interval spans zero."""
    o = outcome(row["outcome"])
    relative = row.get("relative", math.nan)
    size = (f"{percent(relative)}" if o.unit in ("ratio", "power", "index") and relative is not None
            and not math.isnan(relative) else o.change(row["difference"]))
    return size if is_clear(row["low"], row["high"]) else f"no clear difference ({size})"


def brief(choice: pd.DataFrame, rising: str = "passive") -> list[str]:
    """Question 1 in one line per outcome, against one response of the rising power: each
    strategy of the hegemon's difference from the status quo, or "no clear difference"."""
    rows = choice[choice[RISING_FACTOR] == rising]
    lines = []
    for column, what in QUESTIONS:
        found = rows[rows["outcome"] == column]
        if len(found):
            lines.append(f"**{what}** ({outcome(column).name}, against the status quo): "
                         + "; ".join(f"{words(r[HEGEMON_FACTOR])} {short(r)}" for _, r in found.iterrows()) + ".")
    return lines


def reading(differences: pd.DataFrame, choice: pd.DataFrame | None = None, parts: pd.DataFrame | None = None,
            years: int | None = None, pairs: bool = True) -> list[str]:
    """The reading, as paragraphs: the answers to question 1 (relative power, leadership, cost,
    vitality, withdrawals) for each response of the rising power, how large the effects are
    beside growth, then each pair against status quo/passive.

    Args:
        differences: :func:`~.statistics.paired` against status quo/passive.
        choice: :func:`~.statistics.paired_within_response` (default: the rows of
            ``differences`` against a passive rising power).
        parts: :func:`~.statistics.pair_means` of the ratio's parts, for the scale paragraph.
        years: Years per run, for the scale paragraph.
        pairs: Whether to end with each pair's paragraph.
    """
    if choice is None:
        choice = differences[differences[RISING_FACTOR] == "passive"]
    paragraphs = ["Every statement compares runs with the same seeds (paired differences at the horizon, with 95% "
                  "intervals); a difference is called clear only when its interval excludes zero."]
    paragraphs += [text for column, what in QUESTIONS if (text := answer(choice, column, what))]
    if parts is not None and years is not None and (text := scale(parts, differences, years)):
        paragraphs.append(text)
    if pairs:
        paragraphs += [pair_paragraph(rows) for _, rows in differences.groupby("pair", sort=False)]
    return paragraphs
