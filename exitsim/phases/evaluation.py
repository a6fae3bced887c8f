"""Phase 4: evaluation (MODEL.md §4.5) — each active membership's yearly value ũ, in years of
the state's own dues, with this year's flows (not recomputed with the new power).

ũ_ik = clip((benefits − dues − compliance)/c*, ±5) − λ d inst/3 − μ [nativist] inst/3
− γ_i clip(rival's gains/c*, ±5), with γ_i > 0 only for a great power whose strategy is active
(phase 5; none is built yet, so γ = 0). The security leader's commitment counts as a cost,
transfers received as a benefit (definitions.md).
"""

from __future__ import annotations

import numpy as np

from ..codes import HEGEMON, RISING
from ..mechanisms import evaluation
from ..mechanisms.flows import Flows
from ..world import World
from .context import StepContext


class Evaluation:
    """Each active row's ũ (aligned with ``flows.rows``) and, for the rows that ask (the year's
    few choices), its split into the named reasons to leave (:func:`evaluation.exit_terms`)."""

    def __init__(self, inputs: tuple, gamma: float | np.ndarray, options: tuple, weighed: np.ndarray | None = None):
        """``inputs``: the rows' arguments of :func:`evaluation.membership_utility` (c* fourth,
        the rival's gain last), ``gamma`` γ (scalar or per row), ``options`` its coefficients
        (``ratio_clip`` last); ``weighed``: the positions of the rows with γ > 0 where the caller
        has them."""
        self._inputs, self._gamma, self._options = inputs, gamma, options
        if np.ndim(gamma):  # γ > 0 on the great powers' few rows only: every ũ without the term, then theirs less it
            self.utility = evaluation.membership_utility(*inputs, 0.0, *options)
            weighed = np.flatnonzero(gamma > 0) if weighed is None else weighed
            c_star, rival_gain = inputs[3], inputs[-1]
            self.utility[weighed] -= evaluation.relative_gains_cost(rival_gain[weighed], c_star[weighed],
                                                                    gamma[weighed], options[-1])
        else:
            self.utility = evaluation.membership_utility(*inputs, gamma, *options)

    def terms_at(self, positions: np.ndarray) -> dict[str, np.ndarray]:
        """The reasons to leave of the rows at flows positions ``positions``."""
        gamma = self._gamma[positions] if np.ndim(self._gamma) else self._gamma
        return evaluation.exit_terms(*(value[positions] for value in self._inputs), gamma, *self._options)

    @property
    def terms(self) -> dict[str, np.ndarray]:
        """The reasons to leave of every row."""
        return evaluation.exit_terms(*self._inputs, self._gamma, *self._options)


def rival_of(world: World, state: np.ndarray) -> np.ndarray:
    """Per state index: the other pole for the hegemon and the rising power, else −1."""
    hegemon, rising = world.role_index(HEGEMON), world.role_index(RISING)
    return np.where(state == hegemon, rising, np.where(state == rising, hegemon, -1))


def rival_gains(world: World, flows: Flows, gamma: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The rows of the states with γ_i > 0 (per state ``gamma``), γ per row and the rival's net
    gain from the row's organization: a great power with an active strategy weighs what its rival
    gains from each of its organizations (MODEL.md §4.5; definitions.md: the rival's public
    good + access + h + transfers − dues − compliance in k, less any voluntary contribution it
    paid there). Returns the positions of the weighed rows, and γ and the rival's gain per row
    (zeros elsewhere). Only the rival's rows are read, by the flows' positions and net gains of
    the year (:meth:`Flows.positions_of`, :meth:`Flows.net_gains`), which phase 5 reads again."""
    row_gamma = np.zeros(len(flows.rows))
    rival_gain = np.zeros(len(flows.rows))
    weighed = []
    for pole in np.flatnonzero(gamma > 0).tolist():  # at most the two great powers
        rival = int(rival_of(world, np.array([pole]))[0])
        mine = flows.positions_of(pole)
        row_gamma[mine] = gamma[pole]
        weighed.append(mine)
        if rival >= 0:  # the rival's net gain per organization, read at the great power's rows
            theirs = flows.positions_of(rival)
            per_org = evaluation.rival_gain_by_organization(flows.net_gains(theirs), flows.org[theirs], world.n_orgs)
            rival_gain[mine] = per_org[flows.org[mine]]
    return np.concatenate(weighed), row_gamma, rival_gain


def run(ctx: StepContext, gamma: np.ndarray | None = None) -> Evaluation:
    """ũ of every active row with this year's flows; ``gamma`` per state (default: 0 for all,
    as no strategy is active)."""
    world, flows, p = ctx.world, ctx.flows, ctx.params
    if gamma is not None and np.any(gamma > 0):
        weighed, row_gamma, rival_gain = rival_gains(world, flows, np.asarray(gamma, dtype=np.float64))
    else:
        weighed, row_gamma, rival_gain = None, 0.0, np.zeros(len(flows.rows))
    inputs = (flows.benefits(), flows.dues + flows.leader_commitment(), flows.compliance, flows.c_star, flows.distance,
              world.institutionalization[flows.org], world.nativist_government[flows.state], rival_gain)
    return Evaluation(inputs, row_gamma, (p.preference_cost, p.nativist_cost, p.ratio_clip), weighed)
