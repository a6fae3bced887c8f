"""Rare-events logistic regression for the in-silico replication (King & Zeng 2001; Firth 1993).

Withdrawals are rare (about 4 in 10,000 member-years), so the replication follows the
empirical work's toolkit:

* **Case-control sampling**: every event and a share of the non-events (``panel.case_control``).
  Under logistic regression the slopes are consistent in such a sample; only the intercept is
  off, by a known amount.
* **Prior correction** of the intercept (King & Zeng 2001, eq. 7):
  β̂0 − ln[((1 − τ)/τ) (ȳ/(1 − ȳ))], τ the share of events in the population, ȳ in the sample.
* **Firth's penalized likelihood** (Firth 1993): the log-likelihood plus ½ log |I(β)| (Jeffreys'
  prior), which removes the O(1/n) bias of maximum likelihood that rare events make large, and
  stays finite under separation. Fitted by the maintained ``firthmodels`` package
  (``FirthLogisticRegression``), with its Wald standard errors.
* An **ordinary logit with standard errors clustered by organization** (statsmodels), beside it.

Both return a :class:`Fit`: a coefficient, a standard error and a p-value per regressor, the
intercept already prior-corrected.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd


@dataclass(frozen=True)
class Fit:
    """A fitted logistic regression.

    Attributes:
        method: ``"firth"`` or ``"logit (clustered)"``.
        names: The regressors, then ``"intercept"``.
        coef: Coefficients in the order of ``names`` (the intercept prior-corrected).
        se: Standard errors.
        pvalues: Two-sided p-values (Wald).
        n: Rows used.
        events: Events among them.
        clusters: Clusters of the standard errors (0 when not clustered).
    """

    method: str
    names: tuple[str, ...]
    coef: np.ndarray
    se: np.ndarray
    pvalues: np.ndarray
    n: int
    events: int
    clusters: int = 0

    def table(self) -> pd.DataFrame:
        """One row per coefficient: ``coef``, ``se``, ``p``, ``odds_ratio``."""
        return pd.DataFrame({"coef": self.coef, "se": self.se, "p": self.pvalues, "odds_ratio": np.exp(self.coef)},
                            index=list(self.names))


def prior_correction(tau: float, ybar: float) -> float:
    """What King & Zeng's prior correction subtracts from a case-control intercept:
    ln[((1 − τ)/τ) (ȳ/(1 − ȳ))].

    Args:
        tau: The share of events in the population (0 < τ < 1).
        ybar: The share of events in the sample (0 < ȳ < 1).

    >>> round(prior_correction(0.001, 0.001), 12)
    0.0
    >>> round(prior_correction(0.01, 0.5), 4)   # half the sample are events: ln(99)
    4.5951
    """
    if not (0 < tau < 1 and 0 < ybar < 1):
        raise ValueError(f"the event shares must lie strictly between 0 and 1 (population {tau}, sample {ybar})")
    return float(np.log((1 - tau) / tau * ybar / (1 - ybar)))


def _checked(x: pd.DataFrame, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    y = np.asarray(y, dtype=float)
    if len(x) != len(y):
        raise ValueError(f"{len(x)} rows of regressors but {len(y)} outcomes")
    if not set(np.unique(y)) <= {0.0, 1.0}:
        raise ValueError("the outcome must be 0 or 1")
    if y.sum() == 0 or y.sum() == len(y):
        raise ValueError("the outcome must have both events and non-events")
    return x.to_numpy(float), y


def firth_logit(x: pd.DataFrame, y: np.ndarray, tau: float | None = None) -> Fit:
    """Firth's penalized logistic regression (``firthmodels``), intercept prior-corrected.

    Args:
        x: The regressors (one column each; an intercept is added).
        y: The outcome, 0 or 1.
        tau: The population's share of events when ``x`` is a case-control sample (None: ``x``
            is the population, no correction).
    """
    from firthmodels import FirthLogisticRegression

    matrix, outcome = _checked(x, y)
    model = FirthLogisticRegression(backend="numpy", max_iter=100).fit(matrix, outcome)
    if not model.converged_:
        raise RuntimeError(f"Firth's logistic regression did not converge in {model.n_iter_} iterations")
    coef = np.append(model.coef_, model.intercept_)
    se, pvalues = np.asarray(model.bse_, dtype=float), np.asarray(model.pvalues_, dtype=float)
    if tau is not None:
        coef[-1] -= prior_correction(tau, outcome.mean())
    return Fit("firth", (*x.columns, "intercept"), coef, se, pvalues, len(outcome), int(outcome.sum()))


def clustered_logit(x: pd.DataFrame, y: np.ndarray, groups: np.ndarray, tau: float | None = None) -> Fit:
    """Maximum-likelihood logit with standard errors clustered by ``groups`` (statsmodels),
    intercept prior-corrected.

    Args:
        x: The regressors (an intercept is added).
        y: The outcome, 0 or 1.
        groups: The cluster of each row (organizations: their members' choices are not independent).
        tau: The population's share of events for a case-control sample (None: no correction).
    """
    import statsmodels.api as sm

    matrix, outcome = _checked(x, y)
    codes = pd.factorize(np.asarray(groups))[0]
    design = np.column_stack([matrix, np.ones(len(outcome))])
    result = sm.Logit(outcome, design).fit(disp=False, maxiter=200, cov_type="cluster",
                                           cov_kwds={"groups": codes})
    coef = np.asarray(result.params, dtype=float).copy()
    if tau is not None:
        coef[-1] -= prior_correction(tau, outcome.mean())
    return Fit("logit (clustered)", (*x.columns, "intercept"), coef, np.asarray(result.bse, dtype=float),
               np.asarray(result.pvalues, dtype=float), len(outcome), int(outcome.sum()), int(codes.max() + 1))
