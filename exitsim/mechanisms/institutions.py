"""Phase 2 of a step: the institutions (MODEL.md §3, §4.1–4.3).

Composes the budget, spillover and leadership mechanisms into the year's institutional flows.
Pure: reads a :class:`~exitsim.world.World` and returns :class:`Flows` (plus the organizations'
new performance), writing nothing, so the model applies the results and the reference step in
``tests/reference_step.py`` can be compared with it row by row.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np

from ..world import DEAD, SECURITY, World
from . import budget, leadership, spillover
from .grouping import group_sum


@dataclass
class Flows:
    """One year's institutional flows (all in units of power a year).

    Per paying membership row (aligned with ``rows``, the active rows of living organizations):
    ``state``, ``org``, ``c_star`` (uncapped assessment, the unit of decisions), ``assessed``
    (the dues assessed by water-filling), ``dues`` (what was paid: assessed less any withheld),
    ``public_good``, ``access``, ``transfer`` (commitment received), ``compliance``,
    ``distance`` (to the policy), ``vote``.

    Per organization: ``need``, ``collected``, ``shortfall``, ``adequacy``, ``quality`` (the new
    performance), ``output`` G_k, ``leader`` (state or −1), ``leader_share``, ``member_count``,
    ``policy``, ``nonneutral`` h_k, ``commitment`` (paid by the leader).

    Per state: ``leak`` (public goods received as a non-member), ``net`` (MODEL.md §4.4),
    ``dues_total``.
    """

    rows: np.ndarray
    state: np.ndarray
    org: np.ndarray
    c_star: np.ndarray
    assessed: np.ndarray
    dues: np.ndarray
    public_good: np.ndarray
    access: np.ndarray
    transfer: np.ndarray
    compliance: np.ndarray
    distance: np.ndarray
    vote: np.ndarray
    need: np.ndarray
    collected: np.ndarray
    shortfall: np.ndarray
    adequacy: np.ndarray
    quality: np.ndarray
    output: np.ndarray
    leader: np.ndarray
    leader_share: np.ndarray
    member_count: np.ndarray
    policy: np.ndarray
    nonneutral: np.ndarray
    commitment: np.ndarray
    leak: np.ndarray
    net: np.ndarray
    dues_total: np.ndarray

    # The per-row views below are computed once, on first use (the flows are never changed).
    @cached_property
    def leads(self) -> np.ndarray:
        """Per row: whether the row's state leads the row's organization."""
        return self.leader[self.org] == self.state

    @cached_property
    def _leader_gain(self) -> np.ndarray:
        return np.where(self.leads, self.nonneutral[self.org], 0.0)

    @cached_property
    def _leader_commitment(self) -> np.ndarray:
        return np.where(self.leads, self.commitment[self.org], 0.0)

    @cached_property
    def _benefits(self) -> np.ndarray:
        return self.public_good + self.access + self._leader_gain + self.transfer

    def leader_gain(self) -> np.ndarray:
        """Per row: the non-neutral gain h_k if the row's state leads k, else 0."""
        return self._leader_gain

    def leader_commitment(self) -> np.ndarray:
        """Per row: the commitment the row's state pays as k's security leader, else 0."""
        return self._leader_commitment

    def benefits(self) -> np.ndarray:
        """Per row: what membership brings this year (what leaving forgoes, MODEL.md §4.5):
        public good + access + non-neutral gain + commitment transfers received."""
        return self._benefits


def institutions_phase(world: World, params, quality_noise: np.ndarray,
                       withheld: np.ndarray | None = None) -> Flows:
    """The year's dues, output, spillovers, leadership, commitments and compliance costs.

    Order (MODEL.md §3 phase 2): dues on this year's memberships (:func:`budget.dues`);
    adequacy and the new performance (:func:`spillover.performance`); output; leaders and
    voting weights from contributions; policy; the leader's non-neutral gain, taken out of the
    members' pool; public goods shared ∝ P^ν with the leak to non-members; access spillover;
    compliance costs; the security leader's commitment as a transfer to the other members
    ∝ P^ν. The state's ``net`` is
    ``Σ_k (public good + access + h + transfers − dues − compliance − commitment) + leak``.

    Args:
        world: The run's arrays (not modified).
        params: Resolved :class:`~exitsim.parameters.Params`.
        quality_noise: One standard-normal draw per organization (the phase's stream).
        withheld: Per edge-list row, the share of its assessed dues a member withholds this
            year (a timeline's ``withhold_dues``); it pays the rest, and only what is paid is
            collected, counts as its contribution and leaves its power. Default: none.
    """
    p = params
    ms = world.memberships
    n, m = world.n_states, world.n_orgs
    rows = world.active_rows()
    state, org = ms.state[rows], ms.org[rows]
    power = world.power
    dead = world.org_status == DEAD

    base = budget.assessment_base(world.power_history)
    c_star = budget.uncapped_assessment(base, world.budget_rate, state, org, p.organization_weight)
    need = np.where(dead, 0.0, world.need())
    member_count = np.bincount(org, minlength=m)
    assessed, _ = budget.dues(c_star, ms.discount[rows], org, need, world.cap,
                              p.contribution_floor, ms.dues[rows], p.dues_rise_cap, m, member_count)
    paid = assessed if withheld is None else assessed * (1.0 - withheld[rows])
    collected = group_sum(paid, org, m)
    shortfall = np.maximum(need - collected, 0.0)
    adequacy = np.where(need > 0, collected / np.where(need > 0, need, 1.0), 0.0)
    quality = np.where(dead, world.quality,
                       spillover.performance(world.quality, world.intrinsic_quality, adequacy, quality_noise,
                                             p.performance_adjustment, p.performance_noise))
    produced = spillover.output(world.value_multiplier, quality, collected)

    leader, leader_share = leadership.leader(paid, state, org, p.leader_margin, m, member_count, collected)
    vote = leadership.voting_weights(paid, org, world.weighted_voting, m, member_count, collected)
    policy = leadership.policy_position(world.ideal_point, state, org, vote, world.policy_offset, m)

    row_weight, member_weight, outside = spillover.absorptive_weights(power, state, org, p.absorptive_exponent, m)
    fraction = spillover.member_pool_fraction(spillover.has_outsiders(outside, power, p.absorptive_exponent), p.leak)
    nonneutral = leadership.nonneutral_gain(produced, leader_share, member_count, world.weighted_voting,
                                            leader >= 0, p.steering_share, p.equal_vote_steering)
    nonneutral = np.minimum(nonneutral, fraction * produced)
    share = row_weight / member_weight[org]  # spillover.share_by_power
    public = spillover.public_good(fraction * produced - nonneutral, share, org)
    leak = spillover.leak_to_nonmembers(power, state, org, (1.0 - fraction) * produced, outside,
                                        p.absorptive_exponent, n)
    access = spillover.access_spillover(power, state, org, quality, p.access_spillover * p.organization_weight, m)

    distance = leadership.policy_distance(world.ideal_point, policy, state, org)
    compliance = leadership.compliance_cost(distance, world.institutionalization, org, c_star, p.compliance)

    is_leader_row = leader[org] == state
    other_weight = np.where(is_leader_row, 0.0, row_weight)
    other_total = group_sum(other_weight, org, m)
    commitment = np.where(other_total > 0,
                          budget.commitment(leader, world.issue_area == SECURITY, need, p.commitment_rate), 0.0)
    transfer = np.zeros(len(org))
    receiving = np.flatnonzero((commitment > 0)[org])  # the rows of security organizations with a leader
    transfer[receiving] = (commitment[org[receiving]] * other_weight[receiving]
                           / np.where(other_total > 0, other_total, 1.0)[org[receiving]])

    led = leader >= 0
    net = (group_sum(public + access + transfer - paid - compliance, state, n) + leak
           + group_sum(nonneutral[led] - commitment[led], leader[led], n))
    return Flows(rows=rows, state=state, org=org, c_star=c_star, assessed=assessed, dues=paid, public_good=public,
                 access=access, transfer=transfer, compliance=compliance, distance=distance, vote=vote,
                 need=need, collected=collected, shortfall=shortfall, adequacy=adequacy, quality=quality,
                 output=produced, leader=leader, leader_share=leader_share, member_count=member_count,
                 policy=policy, nonneutral=nonneutral, commitment=commitment, leak=leak, net=net,
                 dues_total=group_sum(paid, state, n))
