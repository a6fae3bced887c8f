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
