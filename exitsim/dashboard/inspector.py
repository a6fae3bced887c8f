"""The state inspector: one state's memberships with their yearly value, exit cost and status.

For each organization the state belongs to (or has left) this year:

* ``yearly value`` ũ, in years of the state's own dues (MODEL.md §4.5): what membership is
  worth to it this year, with this year's flows (no great-power strategy term);
* ``exit cost`` S̃, in years of dues: the one-off cost of leaving now (reputation, if the exit
  would be contested or break the procedure under its binding clause; domestic obstacles;
  arrears);
* the membership's status, with the date a pending notice takes effect.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..mechanisms import evaluation, law
from ..phases import evaluation as evaluation_phase
from ..phases.context import StepContext
from ..world import MEMBERSHIP_STATUS, NOTICE

COLUMNS = ("organization", "status", "yearly value ũ", "exit cost S̃", "dues paid", "clause", "note")


def memberships_of(model, state: str) -> pd.DataFrame:
    """The inspector's table for ``state`` (a code) in ``model``'s current year."""
    world, flows, p = model.world, model.flows, model.params
    ctx = model.context()
    ms, i = world.memberships, world.state_index(state)
    rows = np.flatnonzero(ms.state == i)
    position = {int(r): j for j, r in enumerate(flows.rows)}
    pos = np.array([position.get(int(r), -1) for r in rows], dtype=np.int64)
    paying = pos >= 0
    value = np.full(len(rows), np.nan)
    cost = np.full(len(rows), np.nan)
    if paying.any():
        at = pos[paying]
        value[paying] = evaluation_phase.run(ctx).utility[at]  # no strategy term: none is active
        cost[paying] = evaluation.switching_cost(
            _would_break(ctx, rows[paying]), world.democracy[i], ms.arrears[rows[paying]], flows.c_star[at],
            p.reputation_cost, p.domestic_switching_cost, p.ratio_clip)
    kinds = ctx.binding_clause(rows).kind
    table = pd.DataFrame({
        "organization": [world.org_code[k] for k in ms.org[rows]],
        "status": [MEMBERSHIP_STATUS[s] for s in ms.status[rows]],
        "yearly value ũ": np.round(value, 2),
        "exit cost S̃": np.round(cost, 2),
        "dues paid": [float(f"{flows.dues[j]:.4g}") if j >= 0 else 0.0 for j in pos],  # power units a year
        "clause": [law.KIND_NAMES[kind] + (" (own terms)" if own else "")
                   for kind, own in zip(kinds, ms.reservation[rows] >= 0, strict=True)],
        "note": [_note(model, int(r)) for r in rows],
    }, columns=list(COLUMNS))
    return table.sort_values(["status", "organization"], kind="stable").reset_index(drop=True)


def _would_break(ctx: StepContext, rows: np.ndarray) -> np.ndarray:
    """Whether leaving now would be contested or break the procedure under the clause that binds
    each row (with its minimum tenure, an amendment right still open, consent refused before)."""
    world, ms, year = ctx.world, ctx.world.memberships, ctx.year
    c = ctx.binding_clause(rows)
    tenure = np.asarray(law.tenure_satisfied(c.min_tenure_years, c.tenure_basis, year,
                                             world.founded[ms.org[rows]], ms.joined[rows]), bool)
    amendment = np.asarray(law.amendment_right_open(ms.amendment_until[rows], year), bool)
    route = law.lawful_route(c.kind, tenure, None, amendment)
    breaks = np.asarray(law.contested_or_violated(route.substantive, route.procedural), bool)
    return breaks | (ms.consent_refused[rows] & (c.kind == law.CONSENT))


def _note(model, row: int) -> str:
    ms = model.world.memberships
    notes = []
    if ms.status[row] == NOTICE and ms.effective_month[row] >= 0:
        month = int(ms.effective_month[row])
        notes.append(f"leaves {law.year_of(month)}-{law.month_of(month):02d}")
    if ms.arrears[row] > 0:
        notes.append(f"owes {ms.arrears[row]:.3g}")
    if ms.discount[row] > 0:
        notes.append(f"discount {ms.discount[row]:.0%}")
    if ms.exposure[row] > 0.01:
        notes.append(f"contagion exposure {ms.exposure[row]:.2f}")
    return "; ".join(notes)
