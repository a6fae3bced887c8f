"""What phase 5 weighs (:mod:`exitsim.phases.strategies`) against the loop-by-loop reference
(``reference_strategies.py``) on random small worlds (``world_strategies.py``): net gains, the
relative-gains balance, admission chances, amendment rights, gap pledges, the issue areas'
scores and exit diplomacy's move."""

from __future__ import annotations

import numpy as np
from hypothesis import assume, given
from hypothesis import strategies as st
from reference_step import reference_institutions
from reference_strategies import (
    reference_admission,
    reference_amendment,
    reference_area_gains,
    reference_balance,
    reference_gap_pledges,
    reference_led_output,
    reference_move,
    reference_net,
)
from world_strategies import finite, phase_inputs

from exitsim.codes import HEGEMON, ISSUE_AREAS, OTHER, RISING
from exitsim.mechanisms import strategies as mechanisms
from exitsim.mechanisms.decision import NOTICE, STAY, THREAT
from exitsim.mechanisms.strategies import BudgetTerms
from exitsim.parameters import make_params
from exitsim.phases import institutions, strategies

HEGEMON_INDEX, RISING_INDEX = 0, 1
MOVES = {NOTICE: "notice", THREAT: "threat", STAY: "stay"}


@st.composite
def strategic_years(draw):
    """A random small world with a hegemon (state 0) and a rising power (state 1), alliances and
    alignments, the great powers' pledges, its vectorized and reference flows."""
    world, params, noise, _ = draw(phase_inputs())
    n, m = world.n_states, world.n_orgs
    world.role[:] = OTHER
    world.role[HEGEMON_INDEX], world.role[RISING_INDEX] = HEGEMON, RISING
    pairs = [(0, j) if draw(st.booleans()) else (j, 0) for j in range(2, n) if draw(st.booleans())]
    world.alliances = np.array(pairs, dtype=np.int64).reshape(-1, 2)
    world.align_hegemon = np.array([draw(finite(0.0, 1.0)) for _ in range(n)])
    world.align_rising = np.array([draw(finite(0.0, 1.0)) for _ in range(n)])
    pledge = np.array([[draw(st.sampled_from([0.0, 2e-3, 0.04])) for _ in range(m)] for _ in range(2)])
    terms = BudgetTerms(contributors=np.array([HEGEMON_INDEX, RISING_INDEX]), pledge=pledge,
                        short_base=np.zeros(m, dtype=bool), short_years=1)
    flows = institutions.flows(world, params, noise, terms=terms)
    ms = world.memberships
    paid = np.zeros(len(flows.rows)) if flows.voluntary is None else flows.voluntary
    voluntary = dict(zip(flows.rows.tolist(), paid.tolist(), strict=True))
    ref = reference_institutions(world, params, noise, voluntary=voluntary)
    paid = {r: row["dues"] + voluntary[r] for r, row in ref["rows"].items()}
    for k in range(m):   # a leader on the margin's edge: not a fair comparison
        top = sorted((paid[r] for r, row in ref["rows"].items() if row["org"] == k), reverse=True)
        assume(len(top) < 2 or abs(top[0] - params.leader_margin * top[1]) > 1e-9 * top[0])
    utility = np.array([draw(finite(-2.0, 2.0)) for _ in range(len(flows.rows))])
    status = np.full(m, -1, dtype=np.int64)
    hegemon_rows = np.flatnonzero(ms.state == HEGEMON_INDEX)
    status[ms.org[hegemon_rows]] = ms.status[hegemon_rows]
    return world, params, flows, ref, voluntary, utility, status


def _scale(ref: dict) -> float:
    return max([abs(s["net"]) for s in ref["states"]] + [o["collected"] for o in ref["orgs"]] + [1e-300])


@given(strategic_years())
def test_net_gains_and_the_relative_gains_balance_equal_the_reference(year):
    world, _, flows, ref, voluntary, _, _ = year
    net = flows.net_gains()
    expected = reference_net(ref, voluntary)
    rows = flows.rows.tolist()
    np.testing.assert_allclose(net, [expected[r] for r in rows], rtol=1e-8, atol=1e-12 * _scale(ref))
    reference = reference_balance(world, ref, expected, HEGEMON_INDEX, RISING_INDEX)
    unit = np.maximum(flows.c_star, 1e-300)
    for positions in (np.arange(len(rows)), np.flatnonzero(flows.state == HEGEMON_INDEX)):
        for given_net in (None, net):
            balance = strategies.relative_gains(world, flows, HEGEMON_INDEX, RISING_INDEX, positions, given_net)
            np.testing.assert_allclose(balance * unit[positions], [reference[rows[i]] * unit[i] for i in positions],
                                       rtol=1e-8, atol=1e-12 * _scale(ref))


@given(strategic_years(), finite(0.0, 1.0))
def test_admission_chances_equal_the_reference(year, base):
    world, _, flows, ref, _, _, _ = year
    expected = reference_admission(world, ref, HEGEMON_INDEX, base)
    np.testing.assert_allclose(strategies.admission_chances(world, flows, HEGEMON_INDEX, base), expected,
                               rtol=1e-9, atol=1e-12)
    some = np.arange(0, world.n_orgs, 2)
    np.testing.assert_allclose(strategies.admission_chances(world, flows, HEGEMON_INDEX, base, some),
                               [expected[k] for k in some], rtol=1e-9, atol=1e-12)


@given(strategic_years(), finite(0.0, 2.0), st.integers(0, 5))
def test_amendment_rights_equal_the_reference(year, drop, years):
    world, params, flows, ref, _, _, _ = year
    params = params.replace(amendment_drop=drop, amendment_right_years=years)
    for org in np.unique(flows.org).tolist():
        at, expires = strategies.amendment_rights(world, flows, org, params, 2030)
        expected = reference_amendment(world, ref, org, params, 2030)
        # a utility change within rounding of the threshold may fall either way: skip those rows
        got = dict(zip(flows.rows[at].tolist(), expires.tolist(), strict=True))
        assert {r: got[r] for r in got if r in expected} == {r: expected[r] for r in expected if r in got}
        assert len(set(got) ^ set(expected)) == 0 or _near_threshold(world, ref, org, params, set(got) ^ set(expected))


def _near_threshold(world, ref, org, params, rows) -> bool:
    """Whether every row where the two disagree sits within rounding of the amendment test."""
    loose = params.replace(amendment_drop=params.amendment_drop * (1 + 1e-9) + 1e-12)
    tight = params.replace(amendment_drop=max(params.amendment_drop * (1 - 1e-9) - 1e-12, 0.0))
    return set(rows) <= (set(reference_amendment(world, ref, org, tight, 2030))
                         ^ set(reference_amendment(world, ref, org, loose, 2030)))


@given(strategic_years(), finite(0.0, 1.0))
def test_gap_pledges_equal_the_reference(year, fill):
    world, _, flows, ref, _, utility, status = year
    at, pledge = strategies.gap_pledges(world, flows, utility, status, RISING_INDEX, fill)
    rows = flows.rows.tolist()
    expected = reference_gap_pledges(world, ref, dict(zip(rows, utility.tolist(), strict=True)), HEGEMON_INDEX,
                                     RISING_INDEX, fill)
    assert sorted(flows.rows[at].tolist()) == sorted(expected)
    np.testing.assert_allclose(pledge, [expected[r] for r in flows.rows[at].tolist()], rtol=1e-8,
                               atol=1e-12 * _scale(ref))


@given(strategic_years())
def test_the_issue_areas_scores_equal_the_reference(year):
    world, _, flows, ref, voluntary, _, _ = year
    np.testing.assert_allclose(strategies.rival_gains_by_area(world, flows, RISING_INDEX),
                               reference_area_gains(world, ref, reference_net(ref, voluntary), RISING_INDEX,
                                                    len(ISSUE_AREAS)), rtol=1e-8, atol=1e-12 * _scale(ref))
    np.testing.assert_allclose(strategies.led_output_by_area(world, flows, HEGEMON_INDEX),
                               reference_led_output(world, ref, HEGEMON_INDEX, len(ISSUE_AREAS)), rtol=1e-8,
                               atol=1e-12 * _scale(ref))


@given(st.lists(st.tuples(finite(-8.0, 8.0), finite(-8.0, 8.0), st.booleans(), st.booleans(), st.booleans()),
                min_size=1, max_size=20))
def test_exit_diplomacys_move_equals_the_reference(cases):
    p = make_params()
    payoff, threat, allowed, window, pretext = (np.array(column) for column in zip(*cases, strict=True))
    moves = mechanisms.strategic_choice(payoff, threat, allowed, window, pretext, p.beta_utility, p.beta_window,
                                        p.beta_pretext, p.payoff_clip)
    assert [MOVES[int(move)] for move in moves] == [reference_move(*case, p) for case in cases]
