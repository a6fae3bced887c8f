"""Phase 9: data collection (MODEL.md §5) — the year's outcomes into the preallocated arrays of
:class:`~exitsim.outcomes.Outcomes` (the event log was written by the phases as things happened)."""

from __future__ import annotations

from ..outcomes import Outcomes
from .context import StepContext


def run(ctx: StepContext, outcomes: Outcomes) -> None:
    """Record every model-level (and, if collected, per-state) measure of this year, and the
    strategies' measures."""
    outcomes.record(ctx.step, ctx.year, ctx.world, ctx.flows, ctx.turnovers, ctx.counts, ctx.power_terms)
    outcomes.record_strategies(ctx.step, ctx.world, ctx.flows, ctx.strategy)
