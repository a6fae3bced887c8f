"""Phase 8a: alignment drift (MODEL.md §4.10) — each state's alignment with the hegemon and with
the rising power drifts toward the share of its positive net institutional gains that comes from
organizations each one leads (allies' centrifugal force)."""

from __future__ import annotations

import numpy as np

from ..codes import HEGEMON, RISING
from ..mechanisms import alignment
from ..mechanisms.flows import Flows
from ..world import World
from .context import StepContext


def targets(world: World, flows: Flows) -> tuple[np.ndarray, np.ndarray]:
    """Each state's share of positive net gains from organizations the hegemon / the rising power
    lead (alignment's targets; at the start alignment is set to them)."""
    return alignment.alignment_targets(flows.row_net_gain(), flows.leader[flows.org], (world.role_index(HEGEMON), world.role_index(RISING)),
                                       flows.state, world.n_states)


def run(ctx: StepContext) -> None:
    """Move both alignments a step toward their targets."""
    world, rate = ctx.world, ctx.params.alignment_rate
    hegemon, rising = targets(world, ctx.flows)
    world.align_hegemon = alignment.drift(world.align_hegemon, hegemon, rate)
    world.align_rising = alignment.drift(world.align_rising, rising, rate)
