"""Calibration of the act-hazard intercepts to the empirical rates (MODEL.md §6).

Only two numbers are fitted; everything else stays at the values the scenario gives:

* β0 (``baseline_notice``), so that the **withdrawal rate** of the world scenario — lawful
  notices by announcement year per member-year at risk, treaty bodies only (not threats, not
  non-treaty bodies) — is 0.0004 (``docs/world_facts.md``);
* β0_T (``baseline_threat``), so that the **threat rate** — threats per member-year at risk —
  is 0.00025 (about 130 public threats since 1980 in a world of today's size).

The procedure (``experiments/calibrate.yaml``): a grid of (β0, β0_T) around the current values
with common random numbers. Notices and threats are rare events whose odds are nearly
exp(intercept) times what the other terms give, so the logarithm of each pooled rate is close to
linear in the two intercepts::

    log rate_notice = a_N + b_NN β0 + b_NT β0_T        log rate_threat = a_T + b_TN β0 + b_TT β0_T

(the cross terms are small: a concession can forestall a notice, a threat can use up a year's
choice). The two planes are fitted by least squares to each design point's pooled rate (notices
and at-risk years summed over its replications), and the intercepts that put both at their
targets solve a 2 × 2 linear system. Their uncertainty comes from a bootstrap over replications
(whole replications drawn with replacement, the same ones at every point, as common random
numbers pair them). A second sweep of the fitted profile (``experiments/calibration_check.yaml``)
then shows the rate the profile gives, with its interval over replications.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pandas as pd

from ..parameters import REGISTRY

WITHDRAWAL_RATE = 0.0004
"""Lawful notices by announcement year per member-year at risk, treaty bodies only (world_facts.md)."""
THREAT_RATE = 0.00025
"""Public threats to withdraw per member-year at risk in a world of today's size (world_facts.md)."""

NOTICE = "baseline_notice"
THREAT = "baseline_threat"


@dataclass(frozen=True)
class Calibration:
    """The fitted intercepts and what they rest on.

    Attributes:
        baseline_notice: β0 that puts the withdrawal rate at its target.
        baseline_threat: β0_T that puts the threat rate at its target.
        notice_se: Bootstrap standard error of β0 (over replications).
        threat_se: Bootstrap standard error of β0_T.
        notice_plane: (a, b_N, b_T) of log withdrawal rate on the two intercepts.
        threat_plane: (a, b_N, b_T) of log threat rate on the two intercepts.
        runs: Runs the fit used.
        points: Design points.
        replications: Paired runs per point (replications, times the worlds where the grid runs several).
    """

    baseline_notice: float
    baseline_threat: float
    notice_se: float
    threat_se: float
    notice_plane: tuple[float, float, float]
    threat_plane: tuple[float, float, float]
    runs: int
    points: int
    replications: int


def run_totals(yearly: pd.DataFrame) -> pd.DataFrame:
    """Per run: its intercepts, replication and the notices, threats and member-years at risk
    summed over its years (the start, step 0, has none).

    Args:
        yearly: A calibration sweep's ``yearly`` table (``exitsim.load_results``), with the
            factors ``baseline_notice`` and ``baseline_threat`` and the outcomes ``notices``,
            ``threats`` and ``at_risk``.
    """
    keys = ["point", "replication", NOTICE, THREAT, *(["world_seed"] if "world_seed" in yearly.columns else [])]
    missing = [c for c in [*keys, "notices", "threats", "at_risk"] if c not in yearly.columns]
    if missing:
        raise ValueError(f"the calibration needs the columns {', '.join(missing)}: keep notices, threats and at_risk "
                         "every year, with baseline_notice and baseline_threat as factors")
    return yearly.groupby(keys, as_index=False)[["notices", "threats", "at_risk"]].sum()


def _plane(x: np.ndarray, log_rate: np.ndarray) -> np.ndarray:
    design = np.column_stack([np.ones(len(x)), x])
    coefficients, *_ = np.linalg.lstsq(design, log_rate, rcond=None)
    return coefficients


def solve_intercepts(totals: pd.DataFrame, notice_target: float = WITHDRAWAL_RATE,
                     threat_target: float = THREAT_RATE) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The intercepts that put both pooled rates on their targets, and the two fitted planes.

    Args:
        totals: :func:`run_totals`' rows (or any rows with the two intercepts and the counts).
        notice_target: The withdrawal rate to reach.
        threat_target: The threat rate to reach.

    Returns:
        ``(intercepts, notice_plane, threat_plane)``: (β0, β0_T); (a, b_N, b_T) of each plane.

    Raises:
        ValueError: a design point without a notice or a threat (its log rate is −∞: widen the
            grid toward higher intercepts or lengthen the runs), or a grid that does not vary
            both intercepts.
    """
    pooled = totals.groupby([NOTICE, THREAT], as_index=False)[["notices", "threats", "at_risk"]].sum()
    if (pooled[["notices", "threats"]] == 0).any(axis=None):
        raise ValueError("a design point had no notice or no threat in any replication: raise the grid's intercepts "
                         "or lengthen the runs")
    x = pooled[[NOTICE, THREAT]].to_numpy(float)
    if np.linalg.matrix_rank(np.column_stack([np.ones(len(x)), x])) < 3:
        raise ValueError("the calibration grid must vary both baseline_notice and baseline_threat")
    notice_plane = _plane(x, np.log(pooled["notices"] / pooled["at_risk"]).to_numpy())
    threat_plane = _plane(x, np.log(pooled["threats"] / pooled["at_risk"]).to_numpy())
    slopes = np.array([notice_plane[1:], threat_plane[1:]])
    wanted = np.log([notice_target, threat_target]) - np.array([notice_plane[0], threat_plane[0]])
    return np.linalg.solve(slopes, wanted), notice_plane, threat_plane


def calibrate(totals: pd.DataFrame, notice_target: float = WITHDRAWAL_RATE, threat_target: float = THREAT_RATE,
              bootstrap: int = 200, seed: int = 0) -> Calibration:
    """Fit β0 and β0_T (:func:`solve_intercepts`) with bootstrap standard errors.

    Args:
        totals: :func:`run_totals`' rows.
        notice_target, threat_target: The rates to reach.
        bootstrap: Bootstrap resamples of whole paired units (0: no standard errors): a
            replication, or a replication on one world where the grid runs several worlds
            (``world_seed``); each unit is run at every point of the grid.
        seed: Seed of the bootstrap's draws.
    """
    intercepts, notice_plane, threat_plane = solve_intercepts(totals, notice_target, threat_target)
    unit = ["world_seed", "replication"] if "world_seed" in totals.columns else ["replication"]
    units = totals[unit].drop_duplicates().sort_values(unit).reset_index(drop=True)
    totals = totals.merge(units.reset_index(names="_unit"), on=unit)
    rng = np.random.default_rng(seed)
    draws = []
    for _ in range(bootstrap):
        chosen = rng.choice(len(units), size=len(units), replace=True)
        counts = pd.Series(chosen).value_counts()
        resample = totals[totals["_unit"].isin(counts.index)].copy()
        weight = resample["_unit"].map(counts).to_numpy()
        resample[["notices", "threats", "at_risk"]] = resample[["notices", "threats", "at_risk"]].mul(weight, axis=0)
        try:
            draws.append(solve_intercepts(resample, notice_target, threat_target)[0])
        except ValueError:  # a resample without events at a point: too few to count, left out
            continue
    spread = np.std(draws, axis=0, ddof=1) if len(draws) > 1 else np.full(2, np.nan)
    return Calibration(float(intercepts[0]), float(intercepts[1]), float(spread[0]), float(spread[1]),
                       tuple(float(v) for v in notice_plane), tuple(float(v) for v in threat_plane),
                       len(totals), int(totals[[NOTICE, THREAT]].drop_duplicates().shape[0]), len(units))


def rate_interval(totals: pd.DataFrame, column: str) -> dict[str, float]:
    """The rate of ``column`` (``notices`` or ``threats``) per member-year at risk over runs:
    the pooled rate, the mean of the runs' rates with its 95% confidence interval (Student's t)
    and the 5–95% range of single runs."""
    from scipy import stats

    rates = (totals[column] / totals["at_risk"]).to_numpy(float)
    n = len(rates)
    mean = float(rates.mean())
    half = float(stats.t.ppf(0.975, n - 1) * rates.std(ddof=1) / np.sqrt(n)) if n > 1 else float("nan")
    return {"pooled": float(totals[column].sum() / totals["at_risk"].sum()), "mean": mean,
            "low": mean - half, "high": mean + half, "p05": float(np.quantile(rates, 0.05)),
            "p95": float(np.quantile(rates, 0.95)), "runs": n}


PROFILE_HEADER = """\
# The calibrated profile: the two intercepts of the decision rule fitted on the world scenario
# to the empirical rates (docs/validation.md, "Calibration"). Not a scenario by itself: the
# world scenario takes it (world.yaml: `extends: profiles/calibrated.yaml`), and the real-world
# scenarios through it (world_2017.yaml, cold_war_1949.yaml: `extends: world.yaml`).
# Everything else keeps world.yaml's values and the registry's defaults; the package defaults
# are not changed.
#
# Written by `python run.py validation calibrate` — do not edit the numbers by hand; run that
# command again after any change to the model's dynamics.
#   fitted on: {commit}   ({date})
#   from:      {runs} runs of world.yaml ({points} grid points x {replications} replications, {steps} years each,
#              both intercepts set by the grid)
#   targets:   {notice_target} lawful notices and {threat_target} threats per member-year at risk
"""


def profile_text(fit: Calibration, commit: str, steps: int, notice_target: float = WITHDRAWAL_RATE,
                 threat_target: float = THREAT_RATE) -> str:
    """The YAML text of ``scenarios/profiles/calibrated.yaml`` for a fit: the two intercepts,
    for ``world.yaml`` to extend."""
    header = PROFILE_HEADER.format(commit=commit, date=datetime.now(UTC).strftime("%Y-%m-%d"), runs=fit.runs,
                                   points=fit.points, replications=fit.replications, steps=steps,
                                   notice_target=notice_target, threat_target=threat_target)
    return (f"{header}\n"
            "parameters:\n"
            "  decisions:\n"
            f"    baseline_notice: {fit.baseline_notice:.3f}   # β0, bootstrap s.e. {fit.notice_se:.3f}\n"
            f"    baseline_threat: {fit.baseline_threat:.3f}   # β0_T, bootstrap s.e. {fit.threat_se:.3f}\n")


def write_profile(path: str | Path, text: str) -> Path:
    """Write the profile's text (whole, through a temporary file)."""
    path = Path(path)
    temporary = path.with_name(path.name + ".tmp")
    temporary.write_text(text, encoding="utf-8")
    temporary.replace(path)
    return path


def markdown(fit: Calibration, notices: dict[str, float], threats: dict[str, float], version: str,
             manifest: dict, seconds: float, cpu: float) -> str:
    """The calibration's section of ``docs/validation.md``."""
    grid = manifest["design"]
    values = {f["column"]: f["values"] for f in grid["factors"]}

    def row(label: str, rate: dict[str, float], target: float) -> str:
        inside = "yes" if rate["low"] <= target <= rate["high"] else "no"
        return (f"| {label} | {target:.5f} | {rate['mean']:.5f} | {rate['low']:.5f} – {rate['high']:.5f} | "
                f"{rate['p05']:.5f} – {rate['p95']:.5f} | {inside} |")

    return "\n".join([
        f"Model version: {version}",
        "",
        f"Grid: β0 ∈ {values.get(NOTICE)}, β0_T ∈ {values.get(THREAT)}, "
        + (f"worlds {values['world_seed']} × {manifest['seeds']['replications']} replications = "
           if "world_seed" in values else "")
        + f"{fit.replications} paired runs per point of {manifest['steps']} years each ({fit.runs} runs of "
          f"`{manifest['scenario']['name']}`).",
        "",
        "| intercept | fitted | bootstrap s.e. | was (registry default) |",
        "|---|---|---|---|",
        f"| β0 `baseline_notice` | {fit.baseline_notice:.3f} | {fit.notice_se:.3f} | {REGISTRY[NOTICE].default:g} |",
        f"| β0_T `baseline_threat` | {fit.baseline_threat:.3f} | {fit.threat_se:.3f} | {REGISTRY[THREAT].default:g} |",
        "",
        f"Fitted planes: log withdrawal rate = {fit.notice_plane[0]:.2f} + {fit.notice_plane[1]:.3f} β0 "
        f"{fit.notice_plane[2]:+.3f} β0_T; log threat rate = {fit.threat_plane[0]:.2f} "
        f"{fit.threat_plane[1]:+.3f} β0 + {fit.threat_plane[2]:.3f} β0_T.",
        "",
        f"The calibrated profile over {notices['runs']} fresh runs (`experiments/calibration_check.yaml`):",
        "",
        "| rate per member-year at risk | empirical | calibrated: mean of runs | 95% CI of the mean | "
        "5–95% of single runs | empirical inside the CI |",
        "|---|---|---|---|---|---|",
        row("lawful notices (withdrawal rate)", notices, WITHDRAWAL_RATE),
        row("threats", threats, THREAT_RATE),
        "",
        f"Cost: {cpu:.0f} s of processor time for both sweeps, {seconds:.0f} s of wall time for the whole command "
        "(on the 2-core machine shared with other work; noisy).",
    ])
