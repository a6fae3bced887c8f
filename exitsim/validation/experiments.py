"""The two focused experiments' figures (docs/validation.md).

* **Retrenchment** (MODEL.md §1 question 4, ``experiments/retrenchment.yaml``): do states threaten
  when exit is costly and leave when it is cheap? Over a grid of the domestic switching cost
  (years of dues per unit of democracy that every exit costs) and the organizations' baseline odds
  of conceding (ζ0), the share of threats among the actions taken (threats / (threats + notices))
  per run. The answer must emerge from the payoffs (§4.6), not from a threshold.
* **Contagion** (question 2, ``experiments/contagion.yaml``): how large are cascades after a lead
  state's or the hegemon's exit, beyond chance? Over contagion's strength β_c and the speed of
  alignment drift, the distribution of cascade sizes (notices and walk-outs by co-members within 2
  years of a seed, windows cut by the end of the run left out). With β_c = 0 nothing spreads, so
  what still follows a seed is chance (shared shocks, bad organizations): the excess over β_c = 0
  at the same alignment, paired by replication (common random numbers), is contagion's own.
"""

from __future__ import annotations

import numpy as np
import pandas as pd


def mean_interval(values: pd.Series | np.ndarray) -> tuple[float, float, float]:
    """The mean and its 95% confidence interval (Student's t); NaN bounds for fewer than 2 values."""
    from scipy import stats

    x = np.asarray(values, dtype=float)
    x = x[np.isfinite(x)]
    if len(x) == 0:
        return float("nan"), float("nan"), float("nan")
    mean = float(x.mean())
    if len(x) < 2:
        return mean, float("nan"), float("nan")
    half = float(stats.t.ppf(0.975, len(x) - 1) * x.std(ddof=1) / np.sqrt(len(x)))
    return mean, mean - half, mean + half


def _cell(values) -> str:
    mean, low, high = mean_interval(values)
    return f"{mean:.3f} [{low:.3f}, {high:.3f}]" if np.isfinite(low) else f"{mean:.3f}"


def threat_share(runs: pd.DataFrame) -> pd.Series:
    """Per run: threats / (threats + notices) (NaN for a run without either)."""
    actions = runs["threats_total"] + runs["notices_total"]
    return (runs["threats_total"] / actions.where(actions > 0)).rename("threat_share")


def retrenchment_markdown(horizon: pd.DataFrame, cost: str, concession: str, version: str, replications: int,
                          steps: int, scenario: str, seconds: float, cpu: float) -> str:
    """The retrenchment experiment's section: the share of threats among actions by exit cost
    (rows) and concession intercept (columns), and the threats and notices behind it."""
    frame = horizon.assign(threat_share=threat_share(horizon))
    costs, odds = sorted(frame[cost].unique()), sorted(frame[concession].unique())
    head = "| exit cost (years of dues per unit of democracy) | " + " | ".join(f"ζ0 = {z:g}" for z in odds) + " |"
    lines = [f"Model version: {version}", "",
             f"`{scenario}`, {replications} paired replications of {steps} years per cell. Each cell: the mean over "
             "runs of threats / (threats + lawful notices), with its 95% confidence interval.", "",
             head, "|---|" + "---|" * len(odds)]
    for c in costs:
        row = [frame.loc[(frame[cost] == c) & (frame[concession] == z), "threat_share"] for z in odds]
        lines.append(f"| {c:g} | " + " | ".join(_cell(r) for r in row) + " |")
    lines += ["", "Threats and notices per run (means) behind those shares:", "",
              head, "|---|" + "---|" * len(odds)]
    for c in costs:
        cells = []
        for z in odds:
            part = frame[(frame[cost] == c) & (frame[concession] == z)]
            cells.append(f"{part['threats_total'].mean():.0f} threats, {part['notices_total'].mean():.0f} notices")
        lines.append(f"| {c:g} | " + " | ".join(cells) + " |")
    low, high = frame[frame[cost] == costs[0]], frame[frame[cost] == costs[-1]]
    paired = high.set_index([concession, "replication"])["threat_share"] - low.set_index(
        [concession, "replication"])["threat_share"]
    mean, lo, hi = mean_interval(paired)
    lines += ["", f"From the cheapest exit ({costs[0]:g}) to the costliest ({costs[-1]:g}), the share of threats "
              f"changes by {mean:+.3f} [{lo:+.3f}, {hi:+.3f}] (paired by replication and ζ0, 95% CI).", "",
              f"Cost: {cpu:.0f} s of processor time for the runs, {seconds:.0f} s of wall time for the whole command "
              "(on the 2-core machine shared with other work; noisy)."]
    return "\n".join(lines)


def cascade_sizes(cascades: pd.DataFrame, runs: pd.DataFrame) -> pd.DataFrame:
    """Per run: cascade seeds (windows not cut by the end), their mean size, the share of seeds
    followed by at least 1 and by at least 3 exits, and the largest cascade; runs without a seed
    count with 0 seeds.

    Args:
        cascades: A sweep's ``cascades`` table (``load_results(folder, "cascades")``).
        runs: One row per run with ``run_id``, ``point``, ``replication`` and the factors.
    """
    whole = cascades[~cascades["censored"].astype(bool)]
    per_run = whole.groupby("run_id")["size"].agg(
        seeds="size", mean_size="mean", followed=lambda s: (s >= 1).mean(), followed_3=lambda s: (s >= 3).mean(),
        largest="max")
    joined = runs.merge(per_run, left_on="run_id", right_index=True, how="left")
    joined["seeds"] = joined["seeds"].fillna(0).astype(int)
    return joined


def contagion_markdown(sizes: pd.DataFrame, strength: str, alignment: str, version: str, replications: int,
                       steps: int, scenario: str, seconds: float, cpu: float) -> str:
    """The contagion experiment's section: the distribution of cascade sizes by β_c and alignment
    drift, and its excess over β_c = 0 (chance) at the same alignment, paired by replication."""
    lines = [f"Model version: {version}", "",
             f"`{scenario}`, {replications} paired replications of {steps} years per cell; cascades whose 2-year "
             "window the run's end cut are left out. Means over runs with 95% confidence intervals.", "",
             "| β_c | alignment rate | seeds per run | mean size | share followed by ≥ 1 | share followed by ≥ 3 | "
             "largest (mean over runs) | mean size beyond chance (β_c = 0) |",
             "|---|---|---|---|---|---|---|---|"]
    chance = sizes[sizes[strength] == 0].set_index([alignment, "replication"])["mean_size"]
    for (b, a), part in sizes.groupby([strength, alignment], sort=True):
        excess = part.set_index([alignment, "replication"])["mean_size"] - chance
        beyond = "—" if b == 0 else _cell(excess.dropna())
        lines.append(f"| {b:g} | {a:g} | {part['seeds'].mean():.1f} | {_cell(part['mean_size'])} | "
                     f"{_cell(part['followed'])} | {_cell(part['followed_3'])} | {part['largest'].mean():.1f} | "
                     f"{beyond} |")
    lines += ["", f"Cost: {cpu:.0f} s of processor time for the runs, {seconds:.0f} s of wall time for the whole "
              "command (on the 2-core machine shared with other work; noisy)."]
    return "\n".join(lines)
