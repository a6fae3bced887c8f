"""Reading a sweep's stored results, and the report made from them.

Everything here reads a results store (:mod:`exitsim.sweep.store`), never a live model, and
works on a sweep that is finished or not: only the runs the status log records as done count::

    import exitsim
    frame = exitsim.load_results("results/quick")   # runs × years, joined to the design
    frame.groupby("beta_contagion")["notices"].mean()

* :func:`load_results`: a table's rows (``yearly`` by default: runs × kept years; ``horizon``:
  one row per run) joined to each run's design point, replication and seed.
* :func:`load_events`: the event log of every run (kept when ``keep.events`` is true).
* :func:`sweep_status`: how many runs are planned, done, failed and missing.
* :func:`write_report`: ``report.md`` with figures: means and 95% confidence intervals by
  factor level, paired differences under common random numbers, trajectories with bands,
  Sobol or Morris indices (SALib), ablation effects.
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .sweep.store import Store, StoreError

_RUN_COLUMNS = ["point", "replication", "seed"]


def _store(folder: str | Path) -> Store:
    store = Store(folder)
    if not store.is_store():
        raise StoreError(f"{store.path} holds no sweep results (no manifest.json); run python run.py sweep first")
    return store


def _joined(store: Store, frame: pd.DataFrame | None, columns: list[str] | None = None) -> pd.DataFrame:
    """Rows keyed by run_id joined to their runs (point, replication, seed) and design points."""
    runs = store.table("runs")
    design = store.table("design")
    head = ["point", "replication", "seed", *[c for c in design.columns if c != "point"], "run_id"]
    if frame is None:
        frame = pd.DataFrame(columns=["run_id", *(columns or [])])
    joined = runs.merge(frame, on="run_id", how="inner").merge(design, on="point", how="left")
    rest = [c for c in frame.columns if c != "run_id"]
    order = ["point", "replication", *(["step"] if "step" in rest else [])]
    return joined[head + rest].sort_values(order, kind="stable").reset_index(drop=True)


def load_results(folder: str | Path, table: str = "yearly") -> pd.DataFrame:
    """A sweep's results joined to its design, as a pandas DataFrame.

    Args:
        folder: The sweep's results folder.
        table: ``"yearly"`` (runs × kept years, the default), ``"horizon"`` (one row per run at
            its last year, with run measures such as ``withdrawal_rate``), ``"states"``,
            ``"memberships"``, ``"cascades"`` or ``"panel"`` (the replication's exit panel,
            ``keep.panel``).

    Returns:
        One row per stored row, with the run's ``point``, ``replication``, ``seed`` and its
        factors' values first, then ``run_id`` and the table's columns; sorted by point,
        replication (and step). Only runs the status log records as done are included.
    """
    store = _store(folder)
    if table not in ("yearly", "horizon", "states", "memberships", "cascades", "events", "panel"):
        raise ValueError(f"unknown table {table!r}: yearly, horizon, events, cascades, states, memberships or panel")
    _require_kept(store, table)
    return _joined(store, store.read(table))


def load_events(folder: str | Path) -> pd.DataFrame:
    """Every stored run's events (``keep.events``), joined to the design like :func:`load_results`."""
    store = _store(folder)
    _require_kept(store, "events")
    return _joined(store, store.read("events"))


def _require_kept(store: Store, table: str) -> None:
    """A table the sweep was not asked to keep is an error, not an empty frame that reads as
    "nothing happened". Example: events of a sweep with ``keep.events: false``."""
    keep = store.manifest().get("keep", {})
    key = "events" if table == "cascades" else table  # keep.events keeps the cascades too
    if key in ("events", "states", "memberships", "panel") and keep.get(key) in (False, None):
        raise StoreError(f"the sweep in {store.path} did not keep its {table} (keep.{key} is "
                         f"{'false' if keep.get(key) is False else 'not set'} in its experiment file): set it and "
                         "run the sweep again to have them")


def load_failures(folder: str | Path) -> pd.DataFrame:
    """Runs whose last attempt failed: run_id, point, replication, error and traceback."""
    _, failed = _store(folder).run_states()
    return pd.DataFrame([{"run_id": run, "point": r.get("point"), "replication": r.get("replication"),
                          "error": r.get("error"), "traceback": r.get("traceback")} for run, r in failed.items()],
                        columns=["run_id", "point", "replication", "error", "traceback"])


@dataclass(frozen=True)
class SweepStatus:
    """Runs of a stored sweep: planned (distinct run ids), done, failed (last attempt), missing."""

    planned: int
    done: int
    failed: int

    @property
    def missing(self) -> int:
        return self.planned - self.done - self.failed

    @property
    def finished(self) -> bool:
        return self.done == self.planned


def sweep_status(folder: str | Path) -> SweepStatus:
    """How far a stored sweep got."""
    store = _store(folder)
    planned = set(store.table("runs")["run_id"])
    done, failed = store.run_states()
    return SweepStatus(len(planned), len(planned & set(done)), len(planned & set(failed) - set(done)))


# --- statistics -------------------------------------------------------------------------------------

def mean_ci(values: Any, level: float = 0.95) -> tuple[float, float, float, int]:
    """Mean and the ``level`` confidence interval of the mean (Student's t), and n; NaNs dropped.

    >>> [round(x, 3) for x in mean_ci([1.0, 2.0, 3.0])[:3]]
    [2.0, -0.484, 4.484]
    """
    x = np.asarray(values, dtype=float)
    x = x[~np.isnan(x)]
    n = len(x)
    if n == 0:
        return math.nan, math.nan, math.nan, 0
    mean = float(x.mean())
    if n == 1:
        return mean, math.nan, math.nan, 1
    try:
        from scipy.stats import t

        quantile = float(t.ppf(0.5 + level / 2, n - 1))
    except ImportError:  # pragma: no cover - scipy comes with Mesa
        quantile = 1.959963984540054
    half = quantile * float(x.std(ddof=1)) / math.sqrt(n)
    return mean, mean - half, mean + half, n


def by_level(frame: pd.DataFrame, factor: str, outcomes: list[str]) -> pd.DataFrame:
    """Means with 95% CIs of each outcome at each level of a factor (one row per level)."""
    rows = []
    for level, group in frame.groupby(factor, sort=True, dropna=False):
        row: dict[str, Any] = {factor: level, "runs": len(group)}
        for outcome in outcomes:
            mean, low, high, _ = mean_ci(group[outcome])
            row |= {f"{outcome}_mean": mean, f"{outcome}_low": low, f"{outcome}_high": high}
        rows.append(row)
    return pd.DataFrame(rows)


def paired_differences(frame: pd.DataFrame, factor: str, others: list[str], outcome: str,
                       baseline: Any) -> pd.DataFrame:
    """Differences from the baseline level, paired on replication and the other factors.

    Under common random numbers, replication r has the same seed at every design point, so the
    difference between two points at the same replication removes the run-to-run noise that the
    points share. Returns one row per non-baseline level: pairs, mean difference, 95% CI.
    """
    keys = ["replication", *others]
    base = frame[frame[factor] == baseline][[*keys, outcome]].rename(columns={outcome: "_baseline"})
    rows = []
    for level, group in frame[frame[factor] != baseline].groupby(factor, sort=True):
        pairs = group[[*keys, outcome]].merge(base, on=keys, how="inner")
        mean, low, high, n = mean_ci(pairs[outcome] - pairs["_baseline"])
        rows.append({factor: level, "pairs": n, "difference": mean, "low": low, "high": high})
    return pd.DataFrame(rows, columns=[factor, "pairs", "difference", "low", "high"])


def sensitivity_indices(kind: str, units: np.ndarray, y: np.ndarray, columns: list[str], *, levels: int = 4,
                        second_order: bool = False, seed: int = 0) -> pd.DataFrame:
    """Sobol (S1, ST with confidence half-widths) or Morris (mu*, its confidence, sigma) indices
    of one outcome, computed by SALib from the design's unit coordinates."""
    from .sweep.designs import unit_problem

    try:
        from SALib.analyze import morris, sobol
    except ImportError:
        raise ImportError("sensitivity indices need SALib: pip install 'exitsim[analysis]'") from None
    import warnings

    problem = unit_problem(columns)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if kind == "sobol":
            found = sobol.analyze(problem, y, calc_second_order=second_order, seed=seed)
            return pd.DataFrame({"factor": columns, "S1": found["S1"], "S1_conf": found["S1_conf"],
                                 "ST": found["ST"], "ST_conf": found["ST_conf"]})
        found = morris.analyze(problem, units, y, num_levels=levels, seed=seed)
        return pd.DataFrame({"factor": columns, "mu_star": found["mu_star"], "mu_star_conf": found["mu_star_conf"],
                             "sigma": found["sigma"]})


# --- the report -------------------------------------------------------------------------------------

#: Below this many base samples a Sobol design's indices are flagged as rough in the report.
FEW_SOBOL_SAMPLES = 64


def _number(x: Any) -> str:
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "—"
    if isinstance(x, (bool, np.bool_)):
        return "true" if x else "false"
    if isinstance(x, (int, np.integer)):
        return str(int(x))
    if isinstance(x, (float, np.floating)):
        return f"{float(x):.4g}"
    return str(x)


def _interval(mean: float, low: float, high: float) -> str:
    if math.isnan(mean):
        return "—"
    if math.isnan(low):
        return _number(mean)
    return f"{_number(mean)} [{_number(low)}, {_number(high)}]"


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    return ["| " + " | ".join(header) + " |", "|" + "---|" * len(header),
            *("| " + " | ".join(row) + " |" for row in rows), ""]


def _save(fig, path: Path) -> None:
    import matplotlib.pyplot as plt

    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.partial")
    fig.savefig(tmp, dpi=100, format="png")
    plt.close(fig)
    os.replace(tmp, path)


def _pyplot():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


class _Report:
    """Builds report.md's lines and figures for one store."""

    def __init__(self, store: Store, out: Path):
        self.store, self.out = store, out
        self.manifest = store.manifest()
        self.figures = out / "figures"
        self.lines: list[str] = []
        design = self.manifest["design"]
        self.kind = design["kind"]
        self.columns: list[str] = design["columns"]
        self.factor_columns = [c for c in self.columns if c != "ablated"]
        experiment = self.manifest["experiment"]["resolved"]
        keep = self.manifest["keep"]
        horizon = keep["at_horizon"]
        report = experiment.get("report") or {}
        self.outcomes = report.get("outcomes") or list(horizon)
        every = keep["every_year"]
        yearly = every if isinstance(every, list) else None
        if yearly is None:
            from .sweep.experiment import YEARLY_MEASURES

            yearly = list(YEARLY_MEASURES)
        default_trajectories = [n for n in ("hegemon_rising_ratio", "hegemon_leadership_share", "notices", "threats")
                                if n in yearly] or yearly[:4]
        self.trajectories = report.get("trajectories") or default_trajectories
        self.common = self.manifest["seeds"]["common_random_numbers"]
        self.horizon = load_results(store.path, "horizon") if self.outcomes else pd.DataFrame()
        self.yearly = load_results(store.path, "yearly") if self.trajectories else pd.DataFrame()
        self.status = sweep_status(store.path)

    def figure(self, name: str) -> str:
        return f"figures/{name}.png"

    def build(self) -> str:
        m = self.manifest
        experiment, seeds = m["experiment"], m["seeds"]
        self.lines += [f"# Sweep report: {experiment['name']}", ""]
        if experiment.get("description"):
            self.lines += [experiment["description"].strip(), ""]
        st = self.status
        design = m["design"]
        factors = ", ".join(f"`{f['column']}`" for f in design["factors"]) or "none"
        self.lines += [
            f"* Design: {self.kind.replace('_', ' ')}, {design['points']} points × {seeds['replications']} "
            f"replication{'s' if seeds['replications'] != 1 else ''} "
            f"({'common random numbers' if self.common else 'independent seeds'}), root seed "
            f"{seeds['root']}, {m['steps']} years per run; factors: {factors}.",
            f"* Runs: {st.planned} planned, **{st.done} done**, {st.failed} failed, {st.missing} not run yet"
            + ("." if st.finished else " — the sweep is not finished: everything below uses the runs done so far."),
            f"* Base scenario `{m['scenario']['name']}` (sha256 {m['scenario']['hash'][:12]}); exitsim "
            f"{m['code']['versions'].get('exitsim')}, Mesa {m['code']['versions'].get('mesa')}, numpy "
            f"{m['code']['versions'].get('numpy')}, git {str(m['code'].get('git_commit'))[:12]}"
            + (" (uncommitted changes)" if m["code"].get("git_dirty") else "") + ".",
            "",
        ]
        if st.done == 0:
            self.lines += ["No run is done yet: nothing to report.", ""]
            return "\n".join(self.lines)
        if self.outcomes and len(self.horizon):
            self.levels()
            if self.kind == "grid" and self.common:
                self.paired()
            if self.kind == "ablation":
                self.ablation()
            if self.kind in ("sobol", "morris"):
                self.sensitivity()
        if self.trajectories and len(self.yearly):
            self.trajectory_figures()
        self.failures()
        return "\n".join(self.lines)

    # --- sections ----------------------------------------------------------------------------------
    def _level_column(self, factor: str) -> tuple[pd.DataFrame, str]:
        """The horizon table and the column to group by: the factor itself where it takes few
        values, else its quartile bins (sampled designs)."""
        frame = self.horizon
        if frame[factor].nunique() <= 12 or not pd.api.types.is_numeric_dtype(frame[factor]):
            return frame, factor
        binned = frame.copy()
        binned[f"{factor} (quartile)"] = pd.qcut(binned[factor], 4, duplicates="drop").astype(str)
        return binned, f"{factor} (quartile)"

    def levels(self) -> None:
        plt = _pyplot()
        self.lines += ["## Outcomes at the horizon by factor level", "",
                       "Mean over runs and its 95% confidence interval (Student's t) at the last year of each run "
                       "(run measures over the whole run).", ""]
        for factor in (["ablated"] if self.kind == "ablation" else []) + self.factor_columns:
            frame, column = self._level_column(factor)
            table = by_level(frame, column, self.outcomes)
            self.lines += [f"### `{column}`", ""]
            rows = [[_number(r[column]), str(int(r["runs"]))]
                    + [_interval(r[f"{o}_mean"], r[f"{o}_low"], r[f"{o}_high"]) for o in self.outcomes]
                    for _, r in table.iterrows()]
            self.lines += _table([column, "runs", *self.outcomes], rows)
            fig, axes = plt.subplots(1, len(self.outcomes), figsize=(4 * len(self.outcomes), 3.2), squeeze=False)
            x = np.arange(len(table))
            for ax, outcome in zip(axes[0], self.outcomes, strict=True):
                mean = table[f"{outcome}_mean"].to_numpy(float)
                low, high = table[f"{outcome}_low"].to_numpy(float), table[f"{outcome}_high"].to_numpy(float)
                ax.errorbar(x, mean, yerr=[np.nan_to_num(mean - low), np.nan_to_num(high - mean)], fmt="o-", capsize=3)
                ax.set_xticks(x, [_number(v) for v in table[column]], rotation=30 if len(x) > 4 else 0, fontsize=8)
                ax.set(title=outcome, xlabel=column)
            fig.tight_layout()
            name = f"levels_{_slug(column)}"
            _save(fig, self.out / self.figure(name))
            self.lines += [f"![outcomes by {column}]({self.figure(name)})", ""]

    def paired(self) -> None:
        self.lines += ["## Paired differences (common random numbers)", "",
                       "Each level against the first, paired on replication (the same seed) and on the other "
                       "factors' values: mean difference and its 95% confidence interval.", ""]
        for factor in self.factor_columns:
            values = sorted(self.horizon[factor].dropna().unique())
            if len(values) < 2:
                continue
            others = [c for c in self.factor_columns if c != factor]
            self.lines += [f"### `{factor}` against {factor} = {_number(values[0])}", ""]
            rows = []
            for outcome in self.outcomes:
                diffs = paired_differences(self.horizon, factor, others, outcome, values[0])
                rows += [[outcome, _number(r[factor]), str(int(r["pairs"])), _interval(r["difference"], r["low"],
                                                                                     r["high"])]
                         for _, r in diffs.iterrows()]
            self.lines += _table(["outcome", factor, "pairs", "difference [95% CI]"], rows)

    def ablation(self) -> None:
        plt = _pyplot()
        self.lines += ["## Ablation effects", "",
                       "Each mechanism switched off against every mechanism on (`ablated = none`), paired on "
                       "replication" + (" (common random numbers)" if self.common else "") + " and on any other "
                       "factors: mean difference and its 95% confidence interval.", ""]
        variants = [v for v in self.horizon["ablated"].unique() if v != "none"]
        rows = []
        fig, axes = plt.subplots(1, len(self.outcomes), figsize=(4 * len(self.outcomes), 0.4 * len(variants) + 1.8),
                                 squeeze=False)
        for ax, outcome in zip(axes[0], self.outcomes, strict=True):
            diffs = paired_differences(self.horizon, "ablated", self.factor_columns, outcome, "none")
            rows += [[r["ablated"], outcome, str(int(r["pairs"])), _interval(r["difference"], r["low"], r["high"])]
                     for _, r in diffs.iterrows()]
            y = np.arange(len(diffs))
            d = diffs["difference"].to_numpy(float)
            ax.errorbar(d, y, xerr=[np.nan_to_num(d - diffs["low"].to_numpy(float)),
                                    np.nan_to_num(diffs["high"].to_numpy(float) - d)], fmt="o", capsize=3)
            ax.axvline(0, color="grey", linestyle=":")
            ax.set_yticks(y, diffs["ablated"], fontsize=7)
            ax.set(title=f"{outcome}: off − on")
        fig.tight_layout()
        _save(fig, self.out / self.figure("ablation"))
        self.lines += _table(["switched off", "outcome", "pairs", "difference [95% CI]"], rows)
        self.lines += [f"![ablation effects]({self.figure('ablation')})", ""]

    def sensitivity(self) -> None:
        design = self.manifest["design"]
        name = "Sobol" if self.kind == "sobol" else "Morris"
        self.lines += [f"## {name} sensitivity indices", ""]
        units = self.store.table("design_units")
        columns = [c for c in units.columns if c != "point"]
        means = self.horizon.groupby("point")[self.outcomes].mean()
        if len(means) < len(units):
            self.lines += [f"{name} indices need every design point; {len(means)} of {len(units)} have results "
                           "so far. Resume the sweep to complete it.", ""]
            return
        if self.kind == "sobol":
            self.lines += ["First-order (S1) and total (ST) indices with their 95% confidence half-widths "
                           "(Saltelli's estimators, SALib), of each outcome's mean over replications.", ""]
            samples = design.get("samples")
            if samples is not None and samples < FEW_SOBOL_SAMPLES:
                self.lines += [f"**Few samples:** with N = {samples} base samples these estimates are rough — an "
                               "index can fall outside 0–1 and the half-widths are wide; read them as a trial of "
                               f"the design, and take N ≥ {FEW_SOBOL_SAMPLES} (a power of 2) for figures to report.",
                               ""]
        else:
            self.lines += ["μ* (mean absolute elementary effect, in the outcome's units per unit of the factor's "
                           "range), its 95% confidence half-width and σ (Morris; SALib), of each outcome's mean over "
                           "replications.", ""]
        for outcome in self.outcomes:
            y = means[outcome].reindex(units["point"]).to_numpy(float)
            self.lines += [f"### {outcome}", ""]
            if np.isnan(y).any() or np.nanstd(y) == 0:
                self.lines += ["No indices: the outcome " + ("has missing values." if np.isnan(y).any()
                                                             else "does not vary.") , ""]
                continue
            found = sensitivity_indices(self.kind, units[columns].to_numpy(float), y, columns,
                                        levels=design.get("levels", 4), second_order=design.get("second_order", False),
                                        seed=design.get("seed", 0))
            header = list(found.columns)
            self.lines += _table(header, [[str(v) if k == "factor" else _number(v) for k, v in r.items()]
                                          for _, r in found.iterrows()])

    def trajectory_figures(self) -> None:
        plt = _pyplot()
        frame = self.yearly
        group = "ablated" if self.kind == "ablation" else (
            self.factor_columns[0] if self.kind == "grid" and self.factor_columns else None)
        self.lines += ["## Trajectories", "",
                       "Mean over runs each year, its 95% confidence band (dark) and the 5–95% range of runs (light)"
                       + (f", by `{group}`." if group else ".") , ""]
        groups = [(None, frame)] if group is None else list(frame.groupby(group, sort=True))
        if group == "ablated" and len(groups) > 8:  # every mechanism on, and the largest effects
            groups = groups[:8]
        for outcome in self.trajectories:
            fig, ax = plt.subplots(figsize=(7, 4))
            for label, rows in groups:
                stats = rows.groupby("year")[outcome]
                mean = stats.mean()
                n = stats.count()
                sd = stats.std(ddof=1).fillna(0.0)
                half = 1.96 * sd / np.sqrt(n.clip(lower=1))
                line = ax.plot(mean.index, mean.values, label=None if label is None else _number(label))[0]
                ax.fill_between(mean.index, mean - half, mean + half, color=line.get_color(), alpha=0.35, lw=0)
                ax.fill_between(mean.index, stats.quantile(0.05), stats.quantile(0.95), color=line.get_color(),
                                alpha=0.12, lw=0)
            ax.set(title=outcome, xlabel="year")
            if group is not None:
                ax.legend(title=group, fontsize=7)
            fig.tight_layout()
            name = f"trajectory_{_slug(outcome)}"
            _save(fig, self.out / self.figure(name))
            self.lines += [f"![{outcome}]({self.figure(name)})", ""]

    def failures(self) -> None:
        failed = load_failures(self.store.path)
        if not len(failed):
            return
        self.lines += ["## Failed runs", "", f"{len(failed)} runs failed (tracebacks in `status.jsonl`; "
                       "`--resume` runs them again):", ""]
        self.lines += _table(["run", "point", "replication", "error"],
                             [[r.run_id, _number(r.point), _number(r.replication), str(r.error).replace("|", "\\|")]
                              for r in failed.head(20).itertuples()])


def _slug(text: str) -> str:
    return "".join(c if c.isalnum() else "_" for c in text).strip("_")


def write_report(folder: str | Path, out: str | Path | None = None) -> Path:
    """Write ``report.md`` (and ``figures/``) for a stored sweep, finished or not; return its path.

    A grid over the great powers' strategies with common random numbers gets the strategy
    comparison's report (:mod:`exitsim.comparison.report`: paired differences against status
    quo/passive, the reading, activation, the ratio's decomposition, sensitivity; and ``tables/``).
    """
    store = _store(folder)
    from .comparison.report import write_strategy_report
    from .comparison.results import is_strategy_comparison

    if is_strategy_comparison(store.manifest()):
        return write_strategy_report(folder, out)
    out = Path(out) if out is not None else store.path
    out.mkdir(parents=True, exist_ok=True)
    text = _Report(store, out).build()
    path = out / "report.md"
    tmp = path.with_name(".report.md.partial")
    tmp.write_text(text + "\n", encoding="utf-8")
    os.replace(tmp, path)
    return path
