"""The power update (MODEL.md §4.4) on hand-computed cases and under random inputs."""

import math

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from exitsim.mechanisms.power import update_power


def test_power_grows_and_gains_from_institutions():
    new = update_power(np.array([100.0]), np.array([0.02]), np.array([1.0]), np.zeros(1), 0.0, 1.0, 0.05)
    np.testing.assert_allclose(new, [100 * math.exp(0.02) * 1.01])


def test_the_institutional_rate_is_clipped():
    new = update_power(np.array([100.0, 100.0]), np.zeros(2), np.array([50.0, -50.0]), np.zeros(2), 0.0, 1.0, 0.05)
    np.testing.assert_allclose(new, [105.0, 95.0])


def test_noise_is_mean_corrected():
    new = update_power(np.array([1.0]), np.array([0.0]), np.array([0.0]), np.array([1.0]), 0.1, 1.0, 0.05)
    np.testing.assert_allclose(new, [math.exp(0.1 - 0.005)])


@given(st.lists(st.tuples(st.floats(1e-6, 1e6), st.floats(-0.3, 0.3), st.floats(-1e9, 1e9), st.floats(-5, 5)),
                min_size=1, max_size=20),
       st.floats(0, 1), st.floats(0, 10), st.floats(0, 1))
def test_power_stays_positive_and_finite(rows, sigma, kappa, clip):
    power, growth, net, noise = (np.array(c) for c in zip(*rows, strict=True))
    new = update_power(power, growth, net, noise, sigma, kappa, clip)
    assert np.all(np.isfinite(new)) and np.all(new > 0)
