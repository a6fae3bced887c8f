"""Phase 3: power (MODEL.md §4.4) from this year's flows, then the timeline's power shocks.

P_i ← P_i · exp(g_i + σ ε − σ²/2) · (1 + κ · clip(net_i / P_i, ±0.05)) (:func:`power.update_power`),
so power stays positive by construction. Draws: one normal per state.
"""

from __future__ import annotations

import numpy as np

from ..events import Event
from ..mechanisms import power
from ..mechanisms.flows import flow_terms
from .context import StepContext


def run(ctx: StepContext) -> None:
    """Update every state's power, apply the scheduled shocks, and push the power and share
    histories one year on. ``ctx.power_terms`` receives the update's parts, per state, in log
    points (:func:`terms`)."""
    world, p = ctx.world, ctx.params
    noise = ctx.streams.normal(ctx.step, "power", world.n_states)
    ctx.power_terms = terms(ctx, noise)
    world.power = power.update_power(world.power, world.growth, ctx.flows.net, noise,
                                     p.power_noise, p.institutional_rate, p.net_gain_clip)
    for event in ctx.timeline.at(ctx.year, "power_shock"):
        world.power[world.state_index(event.state)] *= event.value
        ctx.events.add(Event(ctx.year, "shock", state=event.state, detail=f"power × {event.value:g}"))
    world.power_history = np.column_stack([world.power, world.power_history[:, :-1]])
    world.share_history = np.column_stack([world.power / world.power.sum(), world.share_history[:, :-1]])


def terms(ctx: StepContext, noise: np.ndarray) -> dict[str, np.ndarray]:
    """The parts of this year's change of each state's log power (MODEL.md §4.4): ``growth``
    g_i, ``noise`` σ ε_i − σ²/2 and each institutional flow of
    :func:`~exitsim.mechanisms.flows.flow_terms` (:func:`power.institutional_terms`). They add
    up to ln(P_new / P) before the timeline's shocks; shocks and debts paid later in the year
    are the rest."""
    world, p = ctx.world, ctx.params
    institutional = power.institutional_terms(flow_terms(ctx.flows, world.n_states), world.power,
                                              p.institutional_rate, p.net_gain_clip)
    return {"growth": np.asarray(world.growth, dtype=np.float64),
            "noise": p.power_noise * noise - p.power_noise**2 / 2, **institutional}

