"""The in-silico replication of "Hello, goodbye" (MODEL.md §1 question 3, §6).

From a sweep of the calibrated world that keeps the exit panel (``experiments/hello_goodbye.yaml``:
``keep.panel``), each design point — the full model and its ablations — gets the regression of the
empirical work fitted twice: Firth's penalized logit and an ordinary logit with standard errors
clustered by organization (each run's organizations are independent clusters), both on the
case-control sample with the prior correction of the intercept (:mod:`.estimators`). The tables
put the signs the model gives beside the signs the literature reports. The model is not tuned to
the regression: what it gives is reported.
"""

from __future__ import annotations

import pandas as pd

from .estimators import Fit, clustered_logit, firth_logit
from .panel import REGRESSORS

LABELS = {
    "divergence": "preference divergence",
    "contagion": "lead state's notice, t − 1",
    "nativism": "nativism",
    "democracy": "democracy",
    "log_size": "log members",
    "institutionalization": "institutionalization",
    "members_democracy": "members' mean democracy",
    "performance": "performance",
    "power_change": "change of power share",
    "intercept": "intercept (prior-corrected)",
}

PUBLISHED = {
    "divergence": "+",
    "contagion": "+",
    "nativism": "n.s.",
    "democracy": "+",
    "members_democracy": "reported",
}
"""The signs von Borzyskowski & Vabulas (2019) report: preference divergence and contagion are the
main factors (+); nationalism is not a robust predictor; democracy of the state (+: MODEL.md
§4.9) and of the organization's members matter next (the organization-level sign is not recorded
here). The other regressors are controls whose signs are not taken from the paper."""

SIGNIFICANCE = 0.05


def population_share(sample: pd.DataFrame) -> float:
    """τ: the share of events in the population the case-control sample was drawn from, over all
    its runs (each row carries its run's ``population_rows`` and ``population_events``)."""
    runs = sample.drop_duplicates("run_id")
    return float(runs["population_events"].sum() / runs["population_rows"].sum())


def fit_point(sample: pd.DataFrame) -> tuple[Fit, Fit]:
    """Firth's logit and the organization-clustered logit on one design point's panel sample."""
    x = sample[list(REGRESSORS)].astype(float)
    y = sample["notice"].to_numpy()
    tau = population_share(sample)
    clusters = sample["run_id"].astype(str) + "/" + sample["organization"].astype(str)
    return firth_logit(x, y, tau=tau), clustered_logit(x, y, clusters.to_numpy(), tau=tau)


def sign(coef: float, p: float) -> str:
    """``+`` or ``−`` when significant at 5%, else ``n.s.``."""
    if not p < SIGNIFICANCE:
        return "n.s."
    return "+" if coef > 0 else "−"


def _stars(p: float) -> str:
    return "***" if p < 0.001 else "**" if p < 0.01 else "*" if p < 0.05 else ""


def coefficient_table(firth: Fit, logit: Fit) -> str:
    """One variant's table: each regressor's Firth and clustered-logit estimates, the model's sign
    and the published one."""
    f, g = firth.table(), logit.table()
    lines = ["| regressor | Firth: coef (s.e.) | odds ratio | logit, clustered: coef (s.e.) | model's sign | "
             "published |", "|---|---|---|---|---|---|"]
    for name in [*REGRESSORS, "intercept"]:
        a, b = f.loc[name], g.loc[name]
        published = PUBLISHED.get(name, "—" if name == "intercept" else "control")
        model = "" if name == "intercept" else sign(a["coef"], a["p"])
        lines.append(f"| {LABELS[name]} | {a['coef']:.3f}{_stars(a['p'])} ({a['se']:.3f}) | {a['odds_ratio']:.3g} | "
                     f"{b['coef']:.3f}{_stars(b['p'])} ({b['se']:.3f}) | {model} | {published} |")
    return "\n".join(lines)


def variant_name(row: pd.Series, factors: list[str], defaults: dict[str, float]) -> str:
    """A design point's name: ``full model``, or what it switched off."""
    off = [factor for factor in factors if row[factor] != defaults[factor]]
    names = {"beta_contagion": "contagion off", "nativist_cost": "nativism's channel off (μ = 0)"}
    return " and ".join(names.get(f, f"{f} = {row[f]:g}") for f in off) or "full model"


def markdown(sample: pd.DataFrame, design: pd.DataFrame, defaults: dict[str, float], version: str,
             replications: int, steps: int, share: float, seconds: float, cpu: float) -> str:
    """The replication's section of ``docs/validation.md``."""
    factors = [c for c in design.columns if c != "point"]
    parts = [f"Model version: {version}", "",
             f"{replications} runs of the calibrated world per variant, {steps} years each; case-control sample: "
             f"every notice and {share:.0%} of the other member-years at risk. Stars: p < 0.05 *, 0.01 **, "
             "0.001 *** (Firth: Wald; logit: clustered by organization within run).", ""]
    summary = ["| variant | events | rows sampled | population τ | " + " | ".join(LABELS[r] for r in REGRESSORS) + " |",
               "|---|---|---|---|" + "---|" * len(REGRESSORS),
               "| published | | | | " + " | ".join(PUBLISHED.get(r, "control") for r in REGRESSORS) + " |"]
    tables = []
    for _, row in design.iterrows():
        points = sample[sample["point"] == row["point"]]
        name = variant_name(row, factors, defaults)
        firth, logit = fit_point(points)
        signs = [sign(c, p) for c, p in zip(firth.coef[:-1], firth.pvalues[:-1], strict=True)]
        summary.append(f"| {name} | {firth.events} | {firth.n} | {population_share(points):.6f} | "
                       + " | ".join(signs) + " |")
        tables += [f"**{name}** ({firth.events} notices, {firth.n} rows, {logit.clusters} organization clusters)", "",
                   coefficient_table(firth, logit), ""]
    parts += ["Signs under Firth's estimator (+ or − at p < 0.05, else n.s.) beside the published ones:", "",
              *summary, "", *tables,
              f"Cost: {cpu:.0f} s of processor time for the runs, {seconds:.0f} s of wall time for the whole command "
              "(on the 2-core machine shared with other work; noisy)."]
    return "\n".join(parts)

