"""The power update (MODEL.md §4.4) on hand-computed cases and under random inputs."""

import math

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from exitsim.mechanisms import power
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


def test_institutional_terms_by_hand():
    # P 100, κ 1, flows +3 and −1 (net 2): L = ln 1.02, s = L / 0.02, parts s·0.03 and −s·0.01
    parts = power.institutional_terms({"a": np.array([3.0]), "b": np.array([-1.0])}, np.array([100.0]), 1.0, 0.05)
    s = math.log(1.02) / 0.02
    np.testing.assert_allclose([parts["a"][0], parts["b"][0]], [0.03 * s, -0.01 * s], rtol=1e-12)


def test_institutional_terms_add_up_to_the_factor_of_the_power_update():
    """Whatever the flows, the clip and κ, the parts sum to ln of the institutional factor of
    update_power, and flows that cancel give parts of opposite signs, not a blow-up."""
    rng = np.random.default_rng(5)
    flows = {name: rng.normal(0.0, 3.0, 50) for name in ("public_goods", "access", "dues")}
    flows["dues"][0] = -(flows["public_goods"][0] + flows["access"][0])  # net exactly 0 for state 0
    p = rng.lognormal(3.0, 1.0, 50)
    for kappa, clip in ((1.0, 0.05), (2.5, 0.01), (0.0, 0.05)):
        parts = power.institutional_terms(flows, p, kappa, clip)
        net = sum(flows.values())
        updated = power.update_power(p, np.zeros(50), net, np.zeros(50), 0.0, kappa, clip)
        np.testing.assert_allclose(sum(parts.values()), np.log(updated / p), atol=1e-13)
        assert all(np.all(np.isfinite(v)) for v in parts.values())
    parts = power.institutional_terms(flows, p, 1.0, 0.05)
    np.testing.assert_allclose([parts[name][0] for name in flows], [flows[name][0] / p[0] for name in flows])
