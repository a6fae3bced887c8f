"""Power, MODEL.md §4.4."""

from __future__ import annotations

import numpy as np


def update_power(power: np.ndarray, growth: np.ndarray, net: np.ndarray, noise: np.ndarray,
                 noise_scale: float, institutional_rate: float, clip: float) -> np.ndarray:
    """P_i ← P_i · exp(g_i + σ ε_i − σ²/2) · (1 + κ · clip(net_i / P_i, −c, c)).

    Multiplicative, so power stays positive by construction (MODEL.md §4.0): with κ c < 1 the
    institutional factor is positive, and beyond that it is floored at 1e-9; the mean correction −σ²/2 makes the noise leave expected growth at g_i.
    ``net_i`` is the state's net institutional flow this year (:mod:`.institutions`),
    ε_i standard normal (one draw per state).
    """
    institutional = institutional_rate * np.clip(net / power, -clip, clip)
    return power * np.exp(growth + noise_scale * noise - noise_scale**2 / 2) * np.maximum(1.0 + institutional, 1e-9)


def institutional_terms(flows: dict[str, np.ndarray], power: np.ndarray, institutional_rate: float,
                        clip: float) -> dict[str, np.ndarray]:
    """The institutional factor of :func:`update_power`, in log points, split over the named
    flows that make up the net gain (:func:`exitsim.mechanisms.flows.flow_terms`).

    The factor adds ``L = ln(max(1 + κ clip(net/P, ±c), 1e-9))`` to a state's log power, with
    ``net = Σ_f x_f``. Each flow gets ``s · κ x_f / P``, its part of the linear term κ net / P,
    all shrunk by the same ``s = L / (κ net / P)`` (1 where κ net = 0), so the parts add up to
    L exactly — the clip and the logarithm shared in proportion, as the decision terms share
    the payoff clip. (Splitting L itself in proportion to x_f / net would blow up when opposite
    flows nearly cancel; these parts stay bounded by κ |x_f| / P.)

    Example: P 100, κ 1, flows +3 and −1 (net 2): L = ln 1.02 ≈ 0.019803, s ≈ 0.99013, parts
    ≈ +0.029704 and −0.009901.
    """
    power = np.asarray(power, dtype=np.float64)
    net = sum(np.asarray(x, dtype=np.float64) for x in flows.values())
    linear = institutional_rate * net / power
    total = np.log(np.maximum(1.0 + institutional_rate * np.clip(net / power, -clip, clip), 1e-9))
    shrink = np.divide(total, linear, out=np.ones_like(linear), where=linear != 0)
    return {name: shrink * institutional_rate * np.asarray(x, dtype=np.float64) / power for name, x in flows.items()}

