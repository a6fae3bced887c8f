"""Paired comparisons of strategy pairs, from a sweep's stored runs (pure functions on frames).

A **strategy pair** is the hegemon's strategy and the rising power's (``hegemon_strategy``,
``rising_strategy``: the factors of the experiment, or the scenario's own value where one is
not a factor). The **baseline** is ``status_quo``/``passive``: both decide like any state.

Under common random numbers replication r has the same seed under every pair, so runs with
the same replication (and the same values of any other factor: a world, ν, ω, b) share their
world, their growth, their luck and everything until the strategies act. The paired
difference of an outcome — the run under a pair less the baseline run with the same seed —
removes all of that, and its mean over replications, with a Student's t interval, is what
the strategy changed. Every table here is *long*: one row per pair and outcome (and level),
ready for a CSV file or a plot.

>>> import pandas as pd
>>> runs = pd.DataFrame({"replication": [0, 1, 2, 0, 1, 2],
...                      "hegemon_strategy": ["status_quo"] * 3 + ["exclusive"] * 3,
...                      "rising_strategy": "passive", "y": [1.0, 2.0, 3.0, 1.5, 2.4, 3.7]})
>>> found = paired(with_pairs(runs), ["y"], []).iloc[0]
>>> found["pair"], int(found["pairs"]), round(float(found["difference"]), 3)
('exclusive / passive', 3, 0.533)
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd

from ..analysis import mean_ci
from ..codes import HEGEMON_STRATEGIES, RISING_STRATEGIES

HEGEMON_FACTOR, RISING_FACTOR = "hegemon_strategy", "rising_strategy"
STRATEGY_FACTORS = (HEGEMON_FACTOR, RISING_FACTOR)
BASELINE = {HEGEMON_FACTOR: HEGEMON_STRATEGIES[0], RISING_FACTOR: RISING_STRATEGIES[0]}  # status_quo, passive


def pair_label(hegemon: str, rising: str) -> str:
    """``"exit_diplomacy / passive"``: how tables name a strategy pair."""
    return f"{hegemon} / {rising}"


#: Every pair in the order tables list them: the hegemon's strategies, each with the rising power's.
PAIR_ORDER = [pair_label(h, r) for r in RISING_STRATEGIES for h in HEGEMON_STRATEGIES]
BASELINE_PAIR = pair_label(BASELINE[HEGEMON_FACTOR], BASELINE[RISING_FACTOR])


def with_pairs(frame: pd.DataFrame, fixed: dict[str, str] | None = None) -> pd.DataFrame:
    """The frame with a ``pair`` column (and both strategy columns: a strategy that is not a
    factor takes its value from ``fixed``, else the baseline's)."""
    frame = frame.copy()
    for factor in STRATEGY_FACTORS:
        if factor not in frame:
            frame[factor] = (fixed or {}).get(factor, BASELINE[factor])
    frame["pair"] = [pair_label(h, r) for h, r in zip(frame[HEGEMON_FACTOR], frame[RISING_FACTOR], strict=True)]
    return frame


def ordered(frame: pd.DataFrame, *columns: str) -> pd.DataFrame:
    """Rows in the tables' order: by pair (:data:`PAIR_ORDER`), then by ``columns`` as given."""
    rank = {p: i for i, p in enumerate(PAIR_ORDER)}
    frame = frame.assign(_rank=frame["pair"].map(rank).fillna(len(rank)))
    return frame.sort_values([*columns, "_rank"], kind="stable").drop(columns="_rank").reset_index(drop=True)


def clustered_mean_ci(values: Any, groups: Any, level: float = 0.95) -> tuple[float, float, float, int]:
    """Mean of ``values`` and its ``level`` interval with a cluster-robust standard error: runs
    in one group (a generated world; a replication whose seed recurs at every setting) are not
    independent of each other. The standard error is CR1's, √(G/(G−1) Σ_g S_g²)/n with S_g the
    sum of group g's deviations from the mean, and the quantile Student's t with G − 1 degrees of
    freedom; with groups of equal size this is the t interval of the groups' means. NaNs dropped.

    Returns:
        ``(mean, low, high, G)``: G the number of groups with a value (no interval below 2).

    >>> [round(x, 3) for x in clustered_mean_ci([1.0, 2.0, 6.0, 0.0, 2.0], [1, 1, 1, 2, 2])]
    [2.2, -9.998, 14.398, 2]
    """
    x = np.asarray(values, dtype=float)
    g = np.asarray(groups)
    keep = ~np.isnan(x)
    x, g = x[keep], g[keep]
    if len(x) == 0:
        return math.nan, math.nan, math.nan, 0
    mean = float(x.mean())
    labels, index = np.unique(g, return_inverse=True)
    count = len(labels)
    if count < 2:
        return mean, math.nan, math.nan, count
    sums = np.bincount(index, weights=x - mean, minlength=count)
    se = math.sqrt(count / (count - 1) * float(np.sum(sums ** 2))) / len(x)
    from scipy.stats import t

    half = float(t.ppf(0.5 + level / 2, count - 1)) * se
    return mean, mean - half, mean + half, count


def pair_means(frame: pd.DataFrame, outcomes: list[str], cluster: str | None = None) -> pd.DataFrame:
    """Mean and 95% interval of each outcome under each pair (clustered by ``cluster``, as in
    :func:`paired`, where one is given).

    Returns:
        One row per pair and outcome: ``pair``, ``hegemon_strategy``, ``rising_strategy``,
        ``outcome``, ``runs`` (of the pair), ``n`` (runs with a value: a run without a
        transition has no transition year), ``mean``, ``low``, ``high``.
    """
    rows = []
    for (pair, hegemon, rising), group in frame.groupby(["pair", HEGEMON_FACTOR, RISING_FACTOR], sort=False):
        for name in outcomes:
            if cluster is None:
                mean, low, high, n = mean_ci(group[name])
            else:
                mean, low, high, _ = clustered_mean_ci(group[name], group[cluster])
                n = int(group[name].notna().sum())
            rows.append({"pair": pair, HEGEMON_FACTOR: hegemon, RISING_FACTOR: rising, "outcome": name,
                         "runs": len(group), "n": n, "mean": mean, "low": low, "high": high})
    return ordered(pd.DataFrame(rows, columns=["pair", HEGEMON_FACTOR, RISING_FACTOR, "outcome", "runs", "n", "mean",
                                               "low", "high"]), "outcome") if rows else _empty_means()


def _empty_means() -> pd.DataFrame:
    return pd.DataFrame(columns=["pair", HEGEMON_FACTOR, RISING_FACTOR, "outcome", "runs", "n", "mean", "low", "high"])


DIFFERENCE_COLUMNS = ["pair", HEGEMON_FACTOR, RISING_FACTOR, "outcome", "pairs", "baseline", "difference", "low",
                      "high", "relative", "matched", "clusters"]


def paired(frame: pd.DataFrame, outcomes: list[str], others: list[str], baseline: str = BASELINE_PAIR,
           cluster: str | None = None) -> pd.DataFrame:
    """Each pair's paired differences from the baseline pair, matched on replication and on
    the values of the ``others`` factors.

    Args:
        cluster: ``replication`` or one of ``others`` whose levels group the runs: the
            generated world (``world_seed``), whose runs share it, or the replication, whose seed
            recurs at every level of ``others`` (ν, ω, b). The difference is still the mean over
            all pairs; its interval is cluster-robust (:func:`clustered_mean_ci`). Default: none
            (every matched pair is independent).

    Returns:
        One row per non-baseline pair and outcome: ``pairs`` (matched runs with a value on both
        sides), ``baseline`` (the baseline's mean over those runs), ``difference`` (the mean
        paired difference), ``low`` and ``high`` (its 95% interval, Student's t), ``relative``
        (the difference over the baseline's mean, NaN where that is 0), ``matched`` (matched
        runs, with a value or not: a run without a transition has no transition year, so
        ``pairs`` can be fewer) and ``clusters`` (levels of ``cluster`` with a pair; 0 without).
    """
    keys = ["replication", *others]
    if cluster is not None and cluster not in keys:
        raise ValueError(f"cluster {cluster!r} must be one of the factors matched on ({', '.join(others) or 'none'})")
    base = frame[frame["pair"] == baseline]
    rows = []
    for (pair, hegemon, rising), group in frame[frame["pair"] != baseline].groupby(
            ["pair", HEGEMON_FACTOR, RISING_FACTOR], sort=False):
        for name in outcomes:
            matched = group[[*keys, name]].merge(base[[*keys, name]], on=keys, suffixes=("", "_baseline"))
            total = len(matched)
            matched = matched.dropna(subset=[name, f"{name}_baseline"])
            differences = matched[name] - matched[f"{name}_baseline"]
            n, clusters = len(differences), 0
            if cluster is None:
                mean, low, high, _ = mean_ci(differences)
            else:
                mean, low, high, clusters = clustered_mean_ci(differences, matched[cluster])
            level = float(matched[f"{name}_baseline"].mean()) if n else math.nan
            rows.append({"pair": pair, HEGEMON_FACTOR: hegemon, RISING_FACTOR: rising, "outcome": name, "pairs": n,
                         "baseline": level, "difference": mean, "low": low, "high": high,
                         "relative": mean / abs(level) if n and level != 0 else math.nan,
                         "matched": total, "clusters": clusters})
    if not rows:
        return pd.DataFrame(columns=DIFFERENCE_COLUMNS)
    return ordered(pd.DataFrame(rows, columns=DIFFERENCE_COLUMNS), "outcome")


def paired_within_response(frame: pd.DataFrame, outcomes: list[str], others: list[str],
                           cluster: str | None = None) -> pd.DataFrame:
    """The hegemon's choice against each response of the rising power: each hegemon strategy
    against ``status_quo`` *under the same rising strategy* (the hegemon cannot choose its
    rival's answer). Rows as :func:`paired`, with ``baseline_pair`` naming each row's baseline."""
    parts = []
    for rising in RISING_STRATEGIES:
        group = frame[frame[RISING_FACTOR] == rising]
        if not len(group):
            continue
        baseline = pair_label(BASELINE[HEGEMON_FACTOR], rising)
        table = paired(group, outcomes, others, baseline, cluster)
        table.insert(3, "baseline_pair", baseline)
        parts.append(table)
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=[*DIFFERENCE_COLUMNS[:3],
                                                                                   "baseline_pair",
                                                                                   *DIFFERENCE_COLUMNS[3:]])


def paired_by_level(frame: pd.DataFrame, factor: str, outcomes: list[str], others: list[str],
                    baseline: str = BASELINE_PAIR, cluster: str | None = None) -> pd.DataFrame:
    """:func:`paired` at each level of another factor (ν, ω, b, a world): the sensitivity of
    the differences. ``others`` are the remaining factors to match on (not ``factor``);
    ``cluster`` as in :func:`paired`, dropped when it is ``factor`` itself (one level, one world)."""
    parts = []
    cluster = cluster if cluster in ("replication", *others) else None
    for level, group in frame.groupby(factor, sort=True):
        table = paired(group, outcomes, others, baseline, cluster)
        table.insert(0, factor, level)
        parts.append(table)
    if not parts:
        return pd.DataFrame(columns=[factor, *DIFFERENCE_COLUMNS])
    return pd.concat(parts, ignore_index=True)


def activation(frame: pd.DataFrame) -> pd.DataFrame:
    """How often and when each pair's strategies became active (``strategy_activation_year``).

    Returns:
        One row per pair: ``runs``, ``active`` (runs in which they became active), ``share``,
        ``first``, ``mean`` and ``last`` year of activation (NaN where never). Under
        ``status_quo``/``passive`` nothing is watched, so nothing activates.
    """
    rows = []
    for pair, group in frame.groupby("pair", sort=False):
        years = group["strategy_activation_year"].dropna()
        rows.append({"pair": pair, "runs": len(group), "active": len(years), "share": len(years) / len(group),
                     "first": years.min() if len(years) else math.nan,
                     "mean": years.mean() if len(years) else math.nan,
                     "last": years.max() if len(years) else math.nan})
    return ordered(pd.DataFrame(rows, columns=["pair", "runs", "active", "share", "first", "mean", "last"]))


def action_name(kind: str, detail: str) -> str:
    """An action's name: its event kind, with the answer where one kind has two (a reform
    demanded or granted; an admission the members consented to or refused)."""
    if kind == "reform":
        return "reform granted" if detail.startswith("granted") else "reform demanded"
    if kind == "admission":
        return "admission refused" if "refused" in detail else "admission"
    return kind


def actions(events: pd.DataFrame, runs: pd.Series) -> pd.DataFrame:
    """What the strategies did: strategic events by strategy and kind, per run of each pair.

    Args:
        events: Strategic events (``keep.events: strategic`` or all events, with ``pair``):
            those whose ``cause`` is one of the pair's strategies count.
        runs: Runs of each pair (indexed by pair label), the denominator.

    Returns:
        One row per pair, strategy and action: ``per_run`` (mean count per run), ``runs_with``
        (runs with at least one), ``first_year`` (the earliest).
    """
    columns = ["pair", "strategy", "action", "per_run", "runs_with", "first_year"]
    if events is None or not len(events):
        return pd.DataFrame(columns=columns)
    own = events[(events["cause"] == events[HEGEMON_FACTOR]) | (events["cause"] == events[RISING_FACTOR])]
    own = own.assign(action=[action_name(k, d) for k, d in zip(own["kind"], own["detail"].fillna(""), strict=True)])
    own = own[own["kind"] != "strategy"]  # activation is counted by :func:`activation`
    rows = []
    for (pair, strategy, action), group in own.groupby(["pair", "cause", "action"], sort=True):
        rows.append({"pair": pair, "strategy": strategy, "action": action, "per_run": len(group) / runs[pair],
                     "runs_with": group["run_id"].nunique(), "first_year": int(group["year"].min())})
    return ordered(pd.DataFrame(rows, columns=columns)) if rows else pd.DataFrame(columns=columns)


def trajectory(frame: pd.DataFrame, outcome: str) -> pd.DataFrame:
    """Mean, 95% band of the mean and 5–95% range of runs of a yearly outcome, per pair and year."""
    rows: list[dict[str, Any]] = []
    for (pair, year), group in frame.groupby(["pair", "year"], sort=False):
        mean, low, high, n = mean_ci(group[outcome])
        values = group[outcome].dropna().to_numpy(float)
        rows.append({"pair": pair, "year": year, "mean": mean, "low": low, "high": high, "n": n,
                     "p05": float(np.quantile(values, 0.05)) if n else math.nan,
                     "p95": float(np.quantile(values, 0.95)) if n else math.nan})
    return pd.DataFrame(rows, columns=["pair", "year", "mean", "low", "high", "n", "p05", "p95"])
