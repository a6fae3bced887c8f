"""What the strategies change in the budget rule (MODEL.md §4.1, §4.11): voluntary contributions
(counted in what an organization collects, in the contributions that decide its leader and
weighted votes, paid out of the contributor's power) and shortened assessment bases — by hand,
and against the loop-by-loop reference on random small worlds."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import assume, given, note
from hypothesis import strategies as st
from reference_step import reference_institutions
from world_strategies import make_world, phase_inputs

from exitsim.mechanisms.strategies import BudgetTerms
from exitsim.parameters import make_params
from exitsim.phases import institutions

PARAMS = make_params(power_noise=0.0, performance_noise=0.0)


def _world():
    """Three members of one organization: power 10, 6 and 2, budget rate 1e-3, no cap."""
    rows = [{"state": i, "org": 0} for i in range(3)]
    return make_world([10.0, 6.0, 2.0], rows, weighted_voting=[True])


def _terms(pledge_of_state_1: float, short: bool = False) -> BudgetTerms:
    return BudgetTerms(contributors=np.array([0, 1]), pledge=np.array([[0.0], [pledge_of_state_1]]),
                       short_base=np.array([short]), short_years=1)


def test_a_voluntary_contribution_is_collected_and_paid_out_of_the_contributors_power():
    world = _world()
    plain = institutions.flows(world, PARAMS, np.zeros(1))
    given_ = institutions.flows(world, PARAMS, np.zeros(1), terms=_terms(0.002))
    np.testing.assert_allclose(given_.dues, plain.dues)                 # the dues rule does not move
    assert given_.collected[0] == pytest.approx(plain.collected[0] + 0.002)
    np.testing.assert_allclose(given_.voluntary, [0.0, 0.002, 0.0])
    np.testing.assert_allclose(given_.dues_total, plain.dues_total)     # dues shares stay dues
    # more collected: more output for all, and the contributor pays the 0.002 out of its net gain
    assert given_.output[0] > plain.output[0]
    f = given_
    own = f.public_good[1] + f.access[1] + f.transfer[1] - f.dues[1] - f.compliance[1] + f.leak[1]
    assert f.leader[0] == 0 and f.net[1] == pytest.approx(own - 0.002, rel=1e-12)


def test_the_largest_contributor_with_its_voluntary_contribution_leads():
    world = _world()
    plain = institutions.flows(world, PARAMS, np.zeros(1))
    assert plain.leader[0] == 0                              # dues 0.01 vs 0.006: state 0 leads
    dues = plain.dues
    # state 1 needs 1.2 × 0.01 = 0.012 in all to lead: 0.006 more is just short, 0.0061 enough
    short = institutions.flows(world, PARAMS, np.zeros(1), terms=_terms(1.2 * dues[0] - dues[1] - 1e-4))
    assert short.leader[0] == -1                             # largest, but without the margin
    enough = institutions.flows(world, PARAMS, np.zeros(1), terms=_terms(1.2 * dues[0] - dues[1] + 1e-4))
    assert enough.leader[0] == 1
    assert enough.leader_share[0] == pytest.approx((dues[1] + 1.2 * dues[0] - dues[1] + 1e-4) / enough.collected[0])
    assert enough.vote[1] == pytest.approx(enough.leader_share[0])   # weighted votes follow contributions


def test_a_shortened_base_assesses_on_current_power():
    world = _world()
    world.power_history[:, 1:] = world.power_history[:, :1] / 2      # half as powerful in the past
    plain = institutions.flows(world, PARAMS, np.zeros(1))
    short = institutions.flows(world, PARAMS, np.zeros(1), terms=_terms(0.0, short=True))
    np.testing.assert_allclose(short.c_star, 1e-3 * world.power)    # w b P_now
    np.testing.assert_allclose(plain.c_star, 1e-3 * world.power * (1 + 5 * 0.5) / 6)


@st.composite
def terms_for(draw, world):
    """Random pledges of two contributors and random shortened bases for ``world``."""
    m, n = world.n_orgs, world.n_states
    contributors = np.array([draw(st.integers(-1, n - 1)), draw(st.integers(-1, n - 1))])
    pledge = np.array([[draw(st.sampled_from([0.0, 1e-4, 3e-3, 0.05])) for _ in range(m)] for _ in range(2)])
    short = np.array([draw(st.booleans()) for _ in range(m)])
    return BudgetTerms(contributors=contributors, pledge=pledge, short_base=short,
                       short_years=draw(st.integers(1, world.power_history.shape[1])))


@given(data=st.data())
def test_the_budget_terms_equal_the_reference(data):
    world, params, noise, _ = data.draw(phase_inputs())
    terms = data.draw(terms_for(world))
    flows = institutions.flows(world, params, noise, terms=terms)
    ms = world.memberships
    pledged = terms.row_pledges(ms.state, ms.org)
    voluntary = {r: 0.0 if pledged is None else float(pledged[r]) for r in flows.rows.tolist()}
    ref = reference_institutions(world, params, noise, voluntary=voluntary,
                                 short_base=(terms.short_base.tolist(), terms.short_years))
    note(f"contributors {terms.contributors.tolist()} pledge {terms.pledge.tolist()}")
    for k in range(len(ref["orgs"])):  # a leader test on its boundary is not a fair comparison
        paid = sorted((row["dues"] + voluntary[r] for r, row in ref["rows"].items() if row["org"] == k), reverse=True)
        assume(len(paid) < 2 or abs(paid[0] - params.leader_margin * paid[1]) > 1e-9 * paid[0])
    scale = max([abs(s["net"]) for s in ref["states"]] + [org["collected"] for org in ref["orgs"]] + [1e-300])
    rows = sorted(ref["rows"])
    for field in ("c_star", "dues", "public_good", "access", "vote"):
        np.testing.assert_allclose(getattr(flows, field), [ref["rows"][r][field] for r in rows], rtol=1e-8,
                                   atol=1e-12 * scale if field != "vote" else 1e-12, err_msg=field)
    for field in ("collected", "leader", "leader_share", "output", "nonneutral"):
        np.testing.assert_allclose(getattr(flows, field), [org[field] for org in ref["orgs"]], rtol=1e-8,
                                   atol=1e-12 * scale, err_msg=field)
    np.testing.assert_allclose(flows.net, [s["net"] for s in ref["states"]], rtol=1e-8, atol=1e-12 * scale)
