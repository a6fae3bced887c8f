"""Phase 1: domestic politics (MODEL.md §4.9) and the timeline's scheduled politics.

Nativism moves (reverting to its long-run level, with relative decline); democracies hold
elections and other states change leaders; each turnover draws a new government, nativist with
probability logistic(slope (n − 0.5)), and opens a window. Then the timeline's government
changes (turnovers too, each replacing its state's natural turnover of the year) and nativism
shocks for this year. Draws: one normal and two uniforms per state from the phase's stream.
"""

from __future__ import annotations

import numpy as np

from ..events import Event
from ..mechanisms import domestic
from .context import StepContext


def run(ctx: StepContext) -> np.ndarray:
    """Move nativism, turn governments over, apply the scheduled politics; return who turned
    over this year (a mask over states: the windows that open, and phase 6's rescissions)."""
    world, p, year = ctx.world, ctx.params, ctx.year
    turned = np.zeros(world.n_states, dtype=bool)
    if p.domestic_politics:
        decline = domestic.relative_decline(world.share_history[:, 0], world.share_history[:, p.decline_years])
        world.nativism = domestic.update_nativism(
            world.nativism, world.nativism_mean, decline, ctx.streams.normal(ctx.step, "domestic", world.n_states),
            p.nativism_reversion, p.nativism_noise, p.decline_nativism)
        turned = domestic.turnovers(year, world.democracy, world.election_phase,
                                    ctx.streams.uniform(ctx.step, "domestic", world.n_states, draw=1),
                                    p.election_period, p.autocratic_hazard, p.democracy_threshold)
        # a government the timeline installs this year is the year's turnover of that state: it
        # replaces the natural one rather than following it (one change of government, not two)
        for event in ctx.timeline.at(year, "government"):
            turned[world.state_index(event.state)] = False
        nativist = domestic.new_government_nativist(
            world.nativism, ctx.streams.uniform(ctx.step, "domestic", world.n_states, draw=2), p.nativist_slope)
        for i in np.flatnonzero(turned):  # a year's few turnovers
            kind = "election" if world.democracy[i] >= p.democracy_threshold else "leader change"
            ctx.events.add(Event(year, "turnover", state=world.state_code[i],
                                 detail=f"{kind}: {'nativist' if nativist[i] else 'internationalist'} government"))
        world.nativist_government = np.where(turned, nativist, world.nativist_government)
        world.last_turnover = np.where(turned, year, world.last_turnover)
    return turned | _scheduled(ctx)


def _scheduled(ctx: StepContext) -> np.ndarray:
    """The timeline's government changes (turnovers that open a window) and nativism shocks."""
    world, year = ctx.world, ctx.year
    turned = np.zeros(world.n_states, dtype=bool)
    for event in ctx.timeline.at(year, "government", "nativism_shock"):
        i = world.state_index(event.state)
        if event.kind == "government":
            world.nativist_government[i] = event.value == "nativist"
            world.last_turnover[i] = year
            turned[i] = True
            ctx.events.add(Event(year, "turnover", state=event.state, month=event.month,
                                 detail=f"scheduled: {event.value} government"))
        else:
            world.nativism[i] = float(np.clip(world.nativism[i] + event.value, 0.0, 1.0))
            ctx.events.add(Event(year, "shock", state=event.state, detail=f"nativism {event.value:+g}"))
    return turned
