"""The rare-events estimators of the replication (exitsim/validation/estimators.py): they recover
known coefficients from data simulated with them, the prior correction undoes case-control
sampling, and Firth's estimates meet maximum likelihood where the sample is large."""

import numpy as np
import pandas as pd
import pytest

from exitsim.validation.estimators import clustered_logit, firth_logit, prior_correction

TRUE = {"divergence": 1.0, "contagion": 3.0, "nativism": 0.0}
INTERCEPT = -7.0


def _population(n: int, seed: int) -> tuple[pd.DataFrame, np.ndarray, np.ndarray]:
    """Rare events drawn from a known logit: about 3 in 1,000 rows, in 400 clusters."""
    rng = np.random.default_rng(seed)
    x = pd.DataFrame({"divergence": rng.exponential(1.0, n), "contagion": (rng.random(n) < 0.01).astype(float),
                      "nativism": rng.beta(2, 5, n)})
    eta = INTERCEPT + sum(b * x[name] for name, b in TRUE.items())
    y = (rng.random(n) < 1 / (1 + np.exp(-eta))).astype(float)
    return x, y, rng.integers(400, size=n)


def _case_control(x, y, groups, share, seed):
    rng = np.random.default_rng(seed)
    keep = (y == 1) | (rng.random(len(y)) < share)
    return x[keep].reset_index(drop=True), y[keep], groups[keep]


@pytest.mark.parametrize("method", ["firth", "clustered"])
def test_a_case_control_sample_recovers_the_coefficients_within_their_standard_errors(method):
    x, y, groups = _population(400_000, seed=5)
    tau = y.mean()
    xs, ys, gs = _case_control(x, y, groups, share=0.05, seed=6)
    assert ys.mean() > 10 * tau  # the sample is far richer in events than the population
    fit = firth_logit(xs, ys, tau=tau) if method == "firth" else clustered_logit(xs, ys, gs, tau=tau)
    table = fit.table()
    for name, value in [*TRUE.items(), ("intercept", INTERCEPT)]:
        assert abs(table.loc[name, "coef"] - value) < 2.5 * table.loc[name, "se"], (name, table.loc[name].to_dict())
    assert fit.n == len(ys) and fit.events == int(ys.sum())


def test_without_the_prior_correction_the_case_control_intercept_is_off_by_the_correction():
    x, y, groups = _population(200_000, seed=8)
    xs, ys, _ = _case_control(x, y, groups, share=0.05, seed=9)
    raw = firth_logit(xs, ys).coef[-1]
    corrected = firth_logit(xs, ys, tau=y.mean()).coef[-1]
    assert raw - corrected == pytest.approx(prior_correction(y.mean(), ys.mean()))
    assert raw - corrected > 2  # a twentieth of the controls: odds of an event about 20 times as high


def test_firth_meets_maximum_likelihood_on_a_large_sample_with_common_events():
    rng = np.random.default_rng(3)
    n = 50_000
    x = pd.DataFrame({"a": rng.normal(size=n), "b": rng.normal(size=n)})
    y = (rng.random(n) < 1 / (1 + np.exp(-(-0.5 + 0.8 * x["a"] - 0.4 * x["b"])))).astype(float)
    firth = firth_logit(x, y)
    plain = clustered_logit(x, y, np.arange(n))  # one row per cluster: the ML coefficients
    np.testing.assert_allclose(firth.coef, plain.coef, atol=2e-3)
    np.testing.assert_allclose(firth.se, plain.se, rtol=0.05)


def test_firth_stays_finite_under_separation_where_maximum_likelihood_diverges():
    x = pd.DataFrame({"a": [0.0, 0.0, 0.0, 1.0, 1.0, 1.0, 0.5, 0.2]})
    y = np.array([0, 0, 0, 1, 1, 1, 0, 0])
    fit = firth_logit(x, y)
    assert np.all(np.isfinite(fit.coef)) and 0 < fit.coef[0] < 20


def test_prior_correction_by_hand():
    # population 1 in 1,000; sample 1 in 5: ln(999 × 0.25) = ln(249.75)
    assert prior_correction(0.001, 0.2) == pytest.approx(np.log(249.75))
    with pytest.raises(ValueError, match="strictly between 0 and 1"):
        prior_correction(0.0, 0.2)


def test_an_outcome_without_events_is_refused_with_a_message():
    with pytest.raises(ValueError, match="both events and non-events"):
        firth_logit(pd.DataFrame({"a": [0.0, 1.0]}), np.array([0, 0]))
