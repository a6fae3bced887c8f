"""What a non-member would get as a member (MODEL.md §4.12, prospect.py) on hand-computed cases."""

import dataclasses

import numpy as np
import pytest
from world_strategies import make_world  # tests/ is on the path (conftest.py)

from exitsim.mechanisms import budget
from exitsim.mechanisms.flows import Flows
from exitsim.mechanisms.prospect import prospective_flows
from exitsim.parameters import make_params
from exitsim.phases import institutions
from exitsim.world import MEMBER, WITHDRAWN

PER_ORG = ("need", "collected", "shortfall", "adequacy", "quality", "output", "leader_share", "nonneutral",
           "commitment")
PER_STATE = ("leak", "net", "dues_total")


def _flows(state, org, c_star, n_orgs=1, **given):
    """A Flows with the given member rows and per-organization aggregates (zeros elsewhere)."""
    state, org = np.asarray(state), np.asarray(org)
    fields = {}
    for f in dataclasses.fields(Flows):
        size = n_orgs if f.name in PER_ORG else 1 if f.name in PER_STATE else len(state)
        fields[f.name] = np.zeros(size)
    fields.update(rows=np.arange(len(state)), state=state, org=org, c_star=np.asarray(c_star, dtype=float),
                  leader=np.full(n_orgs, -1), member_count=np.bincount(org, minlength=n_orgs),
                  policy=np.zeros((n_orgs, 1)))
    fields.update({k: np.asarray(v, dtype=int if k == "leader" else float) for k, v in given.items()})
    return Flows(**fields)


# States 0–3 with P = (1, 4, 9, 16): ν = 0.5 gives weights (1, 2, 3, 4); organization 0 has
# members 1 and 2 (c* 0.5 and 0.8), G = 10, h = 1, q = 0.5, N = 2, policy 0.5; a security
# organization whose leader, state 2, pays a commitment of 0.6.
POWER = np.array([1.0, 4.0, 9.0, 16.0])
IDEAL = np.array([[-1.5], [0.0], [1.0], [2.0]])
FLOWS = _flows([1, 2], [0, 0], [0.5, 0.8], output=[10.0], nonneutral=[1.0], quality=[0.5], need=[2.0],
               policy=[[0.5]], leader=[2], commitment=[0.6])


def _prospect(state=0, c_star=0.1, power=POWER, ideal=IDEAL, flows=FLOWS, cap=None):
    return prospective_flows(np.array([state]), np.array([0]), power, ideal, flows, np.array([3]),
                             organization_weight=2.0, access_rate=0.01, absorptive_exponent=0.5, leak=0.1,
                             compliance_rate=0.2, c_star=np.array([c_star]), cap=cap)


def test_prospective_flows_by_hand():
    p = _prospect()
    # public good: members' pool 0.9·10 − 1 = 8, shared with state 0 added: 8 · 1/(2 + 3 + 1)
    np.testing.assert_allclose(p.public_good, [8 / 6])
    # access: ω w_org q P_0 (P_1 + P_2)/W = 0.01 · 2 · 0.5 · 1 · 13/30
    np.testing.assert_allclose(p.access, [0.01 * 2 * 0.5 * 13 / 30])
    # transfer: commitment 0.6 over the members other than the leader (weight 2) plus state 0 (1)
    np.testing.assert_allclose(p.transfer, [0.2])
    # leak forgone: ℓ G · 1 / (weights of the non-members 0 and 3: 1 + 4)
    np.testing.assert_allclose(p.forgone_leak, [0.1 * 10 / 5])
    np.testing.assert_allclose(p.benefits, [8 / 6 + 0.13 / 30 + 0.2 - 0.2])
    # dues: the need 2 spread over c* 0.5 + 0.8 + 0.1
    np.testing.assert_allclose(p.dues, [2 * 0.1 / 1.4])
    # compliance: χ d inst/3 c* = 0.2 · 2 · 1 · 0.1
    np.testing.assert_allclose(p.distance, [2.0])
    np.testing.assert_allclose(p.compliance, [0.04])


def test_the_only_non_member_takes_the_whole_pool():
    # Without state 3, state 0 is the only outsider: joining leaves none, so the members' pool
    # is G − h = 9 (no leak), and the leak it forgoes is all of ℓ G.
    p = _prospect(power=POWER[:3], ideal=IDEAL[:3])
    np.testing.assert_allclose(p.public_good, [9 / 6])
    np.testing.assert_allclose(p.forgone_leak, [1.0])


def test_dues_respect_the_effective_cap():
    # c* 2.6: uncapped 2 · 2.6/3.9 = 4/3; cap 0.22 with three members → max(0.22, 1/3) · 2 = 2/3
    np.testing.assert_allclose(_prospect(c_star=2.6).dues, [4 / 3])
    np.testing.assert_allclose(_prospect(c_star=2.6, cap=np.array([0.22])).dues, [2 / 3])
    np.testing.assert_allclose(_prospect(c_star=2.6, cap=np.array([np.nan])).dues, [4 / 3])


def test_an_organization_without_members_charges_the_whole_need_and_gives_nothing():
    flows = _flows([1], [1], [0.5], n_orgs=2, need=[3.0, 1.0], output=[0.0, 1.0], quality=[0.5, 0.5])
    p = _prospect(flows=flows)
    np.testing.assert_allclose(p.dues, [3.0])
    np.testing.assert_allclose([p.public_good[0], p.access[0], p.transfer[0], p.forgone_leak[0]], 0.0)


def test_a_member_row_is_refused():
    with pytest.raises(ValueError, match="already an active member"):
        _prospect(state=1)


def test_a_former_member_is_valued_like_its_actual_flows():
    """A member, removed and evaluated prospectively, gets values of the order of its actual flows.

    Not equal: the prospect keeps k's output, policy and leader as they are without the state
    (here after a year of redistribution under the 10% rise cap, so with a shortfall).
    """
    params = make_params()
    power = np.array([1.0, 2.0, 3.0, 5.0, 8.0, 13.0, 21.0, 34.0])
    members = range(6)  # states 6 and 7 are outsiders
    start = make_world(power, [{"state": i, "org": 0} for i in members])
    steady = institutions.flows(start, params, np.zeros(1))
    rows = [{"state": i, "org": 0, "dues": steady.dues[r]} for r, i in enumerate(members)]
    actual = institutions.flows(make_world(power, rows, need_base=start.need_base), params, np.zeros(1))
    base = budget.assessment_base(start.power_history)
    for r, i in enumerate(members):
        world = make_world(power, [dict(row, status=WITHDRAWN if row["state"] == i else MEMBER) for row in rows],
                           need_base=start.need_base)
        without = institutions.flows(world, params, np.zeros(1))
        c_star = budget.uncapped_assessment(base, world.budget_rate, np.array([i]), np.array([0]),
                                            params.organization_weight)
        p = prospective_flows(np.array([i]), np.array([0]), power, world.ideal_point, without,
                              world.institutionalization, params.organization_weight, params.access_spillover,
                              params.absorptive_exponent, params.leak, params.compliance, c_star, cap=world.cap)
        np.testing.assert_allclose(c_star, actual.c_star[r])
        for name in ("public_good", "access", "dues"):
            ratio = getattr(p, name)[0] / getattr(actual, name)[r]
            assert 0.5 < ratio < 2.0, (i, name, ratio)
        assert abs(p.distance[0] - actual.distance[r]) < 0.5
        assert p.forgone_leak[0] > 0
