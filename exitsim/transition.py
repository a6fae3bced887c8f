"""What moved the hegemon/rising ratio over a run: growth, luck and institutions (MODEL.md §4.4).

Each year phase 3 multiplies a state's power by exp(g_i + σ ε_i − σ²/2), its growth and its
luck, and by the institutional factor 1 + κ clip(net_i / P_i, ±c) (:func:`exitsim.mechanisms.power.update_power`).
Taking logarithms, the change of ln(P_H / P_R) over a run of T years is exactly

    ln(R_T / R_0) = T (g_H − g_R)                       growth
                  + σ Σ_t (ε_H,t − ε_R,t)               noise (the −σ²/2 terms cancel)
                  + Σ_t [ln(1 + κ x_H,t) − ln(1 + κ x_R,t)]   institutions

with x the clipped net institutional gain per unit of power; debts paid out of power and the
timeline's power shocks, where a run has them, fall in the last part too, which is therefore
computed as the rest. Growth rates are fixed per state, and the noise is re-drawn from the run's
own stream (one normal per state per year, :mod:`exitsim.streams`), so the three parts add up
to the change exactly (up to rounding).

Under common random numbers two runs with the same seed and world share the growth and the
noise parts: the paired difference of ln(R_T) between two strategies *is* the difference of
their institutional parts.

>>> from exitsim import ExitModel
>>> model = ExitModel(steps=5).run()
>>> parts = ratio_decomposition(model)
>>> round(parts["ratio_from_growth"], 6)  # the hegemon grows 2% a year, the rising power 5%
-0.15
>>> abs(parts["ratio_log_change"] - parts["ratio_from_growth"] - parts["ratio_from_noise"]
...     - parts["ratio_from_institutions"]) < 1e-12
True
"""

from __future__ import annotations

import math

import numpy as np

from .codes import HEGEMON, RISING

#: The parts of the change of ln(P_hegemon / P_rising) over a run, in log points (the sweep's
#: run measures; :func:`ratio_decomposition`).
RATIO_PARTS = {
    "ratio_log_change": "ln(P_hegemon / P_rising) at the last year less at the start (log points): the sum of "
                        "the three ratio_from_ parts",
    "ratio_from_growth": "its part from the two powers' growth rates, years × (g_hegemon − g_rising) (log points)",
    "ratio_from_noise": "its part from the two powers' random shocks, σ Σ (ε_hegemon − ε_rising) (log points)",
    "ratio_from_institutions": "the rest: the institutional flows through the power update (with debts paid out of "
                               "power and scheduled power shocks, where a run has them) (log points)",
}


def ratio_decomposition(model) -> dict[str, float]:
    """The change of ln(P_H / P_R) from the start to the current year, split into growth, noise
    and institutions (the module's formula); NaN for a world without both great powers.

    Args:
        model: An :class:`~exitsim.model.ExitModel` after some years.

    Returns:
        ``{name: log points}`` for each name of :data:`RATIO_PARTS`.
    """
    world = model.world
    hegemon, rising = world.role_index(HEGEMON), world.role_index(RISING)
    if min(hegemon, rising) < 0:
        return dict.fromkeys(RATIO_PARTS, math.nan)
    ratio = model.datacollector.get_model_vars_dataframe()["hegemon_rising_ratio"].to_numpy(float)
    years = len(ratio) - 1
    change = float(np.log(ratio[-1] / ratio[0]))
    growth = years * float(world.growth[hegemon] - world.growth[rising])
    shocks = 0.0
    for step in range(1, years + 1):  # phase 3's draw of each year: one standard normal per state
        epsilon = model.streams.normal(step, "power", world.n_states)
        shocks += float(epsilon[hegemon] - epsilon[rising])
    noise = model.params.power_noise * shocks
    return {"ratio_log_change": change, "ratio_from_growth": growth, "ratio_from_noise": noise,
            "ratio_from_institutions": change - growth - noise}
