"""What moved the hegemon/rising ratio over a whole run: growth, luck and institutions (MODEL.md §4.4).

Each year the model splits the change of ln(P_H / P_R) into parts (``timeseries.csv``'s
``ratio_change_<part>``, :data:`exitsim.outcomes.RATIO_PARTS`): growth, each institutional flow
(:data:`exitsim.mechanisms.flows.FLOW_NAMES`), noise and the rest (debts paid out of power,
scheduled power shocks). Over a run of T years they add up to

    ln(R_T / R_0) = Σ_t growth_t + Σ_t noise_t + Σ_t (each flow_t + other_t)

and :func:`ratio_decomposition` gives those three sums — growth, luck, institutions — as the
sweep's run measures (:data:`RATIO_PARTS`); each flow's own sum is in the yearly columns.

Under common random numbers two runs with the same seed and world share the growth and the
noise parts (the growth rates are the states', the power phase's draws one normal per state):
the paired difference of ln(R_T) between two strategies *is* the difference of their
institutional parts.

>>> from exitsim import ExitModel
>>> parts = ratio_decomposition(ExitModel(steps=5).run())
>>> round(parts["ratio_from_growth"], 6)  # the hegemon grows 2% a year, the rising power 5%
-0.15
>>> abs(parts["ratio_log_change"] - parts["ratio_from_growth"] - parts["ratio_from_noise"]
...     - parts["ratio_from_institutions"]) < 1e-12
True
"""

from __future__ import annotations

import math

import numpy as np

#: The parts of the change of ln(P_hegemon / P_rising) over a run, in log points (the sweep's
#: run measures; :func:`ratio_decomposition`).
RATIO_PARTS = {
    "ratio_log_change": "ln(P_hegemon / P_rising) at the last year less at the start (log points): the sum of "
                        "the three ratio_from_ parts",
    "ratio_from_growth": "its part from the two powers' growth rates, Σ (g_hegemon − g_rising) over the years "
                         "(log points)",
    "ratio_from_noise": "its part from the two powers' random shocks (log points)",
    "ratio_from_institutions": "the rest: every institutional flow through the power update, with debts paid out of "
                               "power and scheduled power shocks where a run has them (log points; each flow's part "
                               "is in the yearly ratio_change_ columns)",
}


def ratio_decomposition(model) -> dict[str, float]:
    """The change of ln(P_H / P_R) from the start to the current year, split into growth, luck
    and institutions (the module's sums of the model's yearly parts); NaN for a world without
    both great powers.

    Args:
        model: An :class:`~exitsim.model.ExitModel` after some years.

    Returns:
        ``{name: log points}`` for each name of :data:`RATIO_PARTS`.
    """
    import pandas as pd

    column = model.datacollector.column  # the recorded years' values, no frame built
    ratio = column("hegemon_rising_ratio").astype(float)
    if not np.isfinite(ratio).all():
        return dict.fromkeys(RATIO_PARTS, math.nan)
    change = float(np.log(ratio[-1] / ratio[0]))
    growth = float(pd.Series(column("ratio_change_growth")).sum())  # summed as the frame's column was
    noise = float(pd.Series(column("ratio_change_noise")).sum())
    return {"ratio_log_change": change, "ratio_from_growth": growth, "ratio_from_noise": noise,
            "ratio_from_institutions": change - growth - noise}
