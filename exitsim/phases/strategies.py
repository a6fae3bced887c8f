"""Phase 5: the great powers' strategies (MODEL.md §4.11) — not built yet.

Once the hegemon's lead P_H / P_R falls below a trigger, a strategy (exit diplomacy, inclusive
or exclusive institution-building; the rising power's gap filling or counter-institutions) will
act here on the memberships ranked by phase 4's evaluation, taking at most a few actions a year,
which replace the ordinary choice on the memberships they touch. Until then the hegemon decides
like any state (``status_quo``): this phase takes no action.
"""

from __future__ import annotations

import numpy as np

from .context import StepContext
from .evaluation import Evaluation


def run(ctx: StepContext, value: Evaluation) -> np.ndarray:
    """The edge-list rows whose choice the year's strategic actions made (phase 6 does not choose
    for them again): none, as no strategy is built yet."""
    return np.zeros(0, dtype=np.int64)
