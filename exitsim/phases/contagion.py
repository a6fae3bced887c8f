"""Phase 7: contagion (MODEL.md §4.8) — exposure decays, then this year's notices and walk-outs
add to it on the other members' rows; it acts on next year's decisions (a one-year lag, as in
the empirical work: no within-year cascades)."""

from __future__ import annotations

import numpy as np

from ..codes import HEGEMON, RISING
from ..mechanisms import contagion
from ..mechanisms.coefficients import from_parameters
from .context import StepContext


def run(ctx: StepContext) -> None:
    """Update every membership row's exposure from this year's spreading exits (lawful notices,
    walk-outs and scheduled notices; not non-treaty exits)."""
    world = ctx.world
    ms = world.memberships
    spreading = np.array(ctx.counts.spreading_rows, dtype=np.int64)
    active = world.active_mask()
    active[spreading] = True  # a walked-out leaver's own row still counts
    ms.exposure = contagion.update_exposure(
        ms.exposure, ms.state, ms.org, active, world.issue_area, world.power, world.ideal_point, world.alliances,
        world.align_hegemon, world.align_rising, world.role_index(HEGEMON), world.role_index(RISING), spreading,
        c=from_parameters(contagion.ContagionCoefficients, ctx.params), rows_by_state=ctx.rows_by_state())
