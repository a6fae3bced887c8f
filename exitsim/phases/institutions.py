"""Phase 2: the institutions (MODEL.md §4.1–4.3).

:func:`flows` composes the budget, spillover and leadership mechanisms into the year's
:class:`~exitsim.mechanisms.flows.Flows`, reading the world and writing nothing (so the
loop-by-loop reference in ``tests/reference_step.py`` can be compared with it row by row);
:func:`run` applies them: the organizations' new performance, the histories, the dues paid and
any arrears from withheld dues. Draws: one normal per organization.
"""

from __future__ import annotations

import numpy as np

from ..codes import DEAD, HEGEMON, RISING, SECURITY
from ..mechanisms import budget, leadership, spillover
from ..mechanisms.flows import Flows
from ..mechanisms.grouping import group_sum
from ..mechanisms.strategies import BudgetTerms
from ..world import World
from .context import StepContext


def run(ctx: StepContext) -> Flows:
    """This year's flows, applied to the world; returned for the later phases.

    Withheld dues: the timeline's ``withhold_dues`` events, and nativist governments'
    ``nativist_withholding`` share; what was assessed and not paid becomes arrears.
    """
    world, p = ctx.world, ctx.params
    noise = ctx.streams.normal(ctx.step, "institutions", world.n_orgs)
    withheld = None
    scheduled = [(world.row_of(e.state, e.organization), e.value) for e in ctx.timeline.at(ctx.year, "withhold_dues")]
    if scheduled or p.nativist_withholding > 0:
        withheld = np.where(world.nativist_government[world.memberships.state], p.nativist_withholding, 0.0)
        for row, share in scheduled:
            withheld[row] = share
    terms = None
    if ctx.strategy is not None:  # the great powers' pledges and shortened bases (phase 5)
        terms = ctx.strategy.budget_terms(world.role_index(HEGEMON), world.role_index(RISING),
                                          p.inclusive_assessment_years, world.n_orgs)
    year_flows = flows(world, p, noise, withheld, terms)
    ms = world.memberships
    if withheld is not None:  # what was assessed and not paid is owed
        ms.arrears[year_flows.rows] += year_flows.assessed - year_flows.dues
    world.quality = year_flows.quality
    world.quality_history = np.column_stack([year_flows.quality, world.quality_history[:, :-1]])
    world.leader_history = np.column_stack([year_flows.leader, world.leader_history[:, :-1]])
    ms.dues[:] = 0.0
    ms.dues[year_flows.rows] = year_flows.assessed
    return year_flows


def flows(world: World, params, quality_noise: np.ndarray, withheld: np.ndarray | None = None,
          terms: BudgetTerms | None = None) -> Flows:
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
        terms: What the great powers' strategies change (:class:`strategies.BudgetTerms`):
            voluntary contributions paid on top of the dues — collected, counted in the
            contributions that decide leaders and weighted votes, and paid out of the
            contributor's power — and organizations assessing on a shortened base. Default: none.
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
    if terms is not None and terms.short_base.any():  # inclusive binding: assessed on current power
        short = budget.uncapped_assessment(terms.short_assessment_base(world.power_history), world.budget_rate,
                                           state, org, p.organization_weight)
        c_star = np.where(terms.short_base[org], short, c_star)
    need = np.where(dead, 0.0, world.need())
    member_count = np.bincount(org, minlength=m)
    assessed, _ = budget.dues(c_star, ms.discount[rows], org, need, world.cap,
                              p.contribution_floor, ms.dues[rows], p.dues_rise_cap, m, member_count)
    paid = assessed if withheld is None else assessed * (1.0 - withheld[rows])
    voluntary = None if terms is None else terms.row_pledges(state, org)
    contribution = paid if voluntary is None else paid + voluntary  # what decides leaders and weighted votes
    collected = group_sum(contribution, org, m)
    shortfall = np.maximum(need - collected, 0.0)
    adequacy = np.where(need > 0, collected / np.where(need > 0, need, 1.0), 0.0)
    quality = np.where(dead, world.quality,
                       spillover.performance(world.quality, world.intrinsic_quality, adequacy, quality_noise,
                                             p.performance_adjustment, p.performance_noise))
    produced = spillover.output(world.value_multiplier, quality, collected)

    leader, leader_share = leadership.leader(contribution, state, org, p.leader_margin, m, member_count, collected)
    vote = leadership.voting_weights(contribution, org, world.weighted_voting, m, member_count, collected)
    policy = leadership.policy_position(world.ideal_point, state, org, vote, world.policy_offset, m)

    row_weight, member_weight, outside = spillover.absorptive_weights(power, state, org, p.absorptive_exponent, m)
    fraction = spillover.member_pool_fraction(spillover.has_outsiders(outside, power, p.absorptive_exponent), p.leak)
    nonneutral = leadership.nonneutral_gain(produced, leader_share, member_count, world.weighted_voting,
                                            leader >= 0, p.steering_share, p.equal_vote_steering)
    nonneutral = np.minimum(nonneutral, fraction * produced)
    share = spillover.share_by_power(row_weight, member_weight, org)
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
    if voluntary is not None:  # paid out of the contributor's power
        net = net - group_sum(voluntary, state, n)
    return Flows(rows=rows, state=state, org=org, c_star=c_star, assessed=assessed, dues=paid, public_good=public,
                 access=access, transfer=transfer, compliance=compliance, distance=distance, vote=vote,
                 need=need, collected=collected, shortfall=shortfall, adequacy=adequacy, quality=quality,
                 output=produced, leader=leader, leader_share=leader_share, member_count=member_count,
                 policy=policy, nonneutral=nonneutral, commitment=commitment, leak=leak, net=net,
                 dues_total=group_sum(paid, state, n), voluntary=voluntary)
