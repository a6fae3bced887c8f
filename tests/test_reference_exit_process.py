"""The vectorized phases 4, 6 and 7 and the dues withheld against the loop-by-loop reference
(``reference_step.py``) on random small worlds (``world_strategies.py``): ũ, the choice
probabilities and the exposure update, each equal to the reference's."""

from __future__ import annotations

import numpy as np
from hypothesis import assume, given
from hypothesis import strategies as st
from reference_step import reference_choice, reference_exposure, reference_institutions, reference_utility
from test_reference import assert_phase_matches, leader_is_razor_edge
from world_strategies import finite, phase_inputs, worlds

from exitsim.cascades import NoticeLog
from exitsim.codes import HEGEMON, RISING
from exitsim.events import EventLog
from exitsim.mechanisms import contagion, decision
from exitsim.mechanisms.coefficients import from_parameters
from exitsim.parameters import REGISTRY, make_params
from exitsim.phases import evaluation, institutions
from exitsim.phases.context import Lookups, StepContext
from exitsim.streams import Streams
from exitsim.timeline import Timeline


def context(world, params, flows) -> StepContext:
    """A year's context around a world and its flows (for running one phase alone)."""
    return StepContext(world=world, params=params, streams=Streams(0), events=EventLog(), timeline=Timeline(),
                       notices=NoticeLog(), lookups=Lookups(world), templates=(), step=1, year=2001, flows=flows)


@given(phase_inputs())
def test_evaluation_equals_reference(inputs):
    world, params, quality_noise, _ = inputs
    flows = institutions.flows(world, params, quality_noise)
    ref = reference_institutions(world, params, quality_noise)
    assume(not leader_is_razor_edge(ref, params.leader_margin))
    utility = evaluation.run(context(world, params, flows)).utility
    expected = reference_utility(world, params, ref)
    np.testing.assert_allclose(utility, [expected[r] for r in flows.rows.tolist()], rtol=1e-8, atol=1e-9)


@given(phase_inputs(), st.data())
def test_withheld_dues_equal_reference(inputs, data):
    """The dues path with withheld contributions (a timeline's ``withhold_dues``, the nativist
    withholding rule): only what is paid is collected, counts as a contribution and leaves power."""
    world, params, quality_noise, _ = inputs
    n = len(world.memberships)
    withheld = np.array([data.draw(st.one_of(st.just(0.0), st.just(1.0), finite(0.0, 1.0))) for _ in range(n)])
    flows = institutions.flows(world, params, quality_noise, withheld)
    ref = reference_institutions(world, params, quality_noise, withheld)
    assume(not leader_is_razor_edge(ref, params.leader_margin))
    rows = flows.rows.tolist()
    scale = max([abs(row["dues"]) for row in ref["rows"].values()] + [1e-300])
    np.testing.assert_allclose(flows.dues, [ref["rows"][r]["dues"] for r in rows], rtol=1e-8, atol=1e-12 * scale)
    np.testing.assert_allclose(flows.collected, [org["collected"] for org in ref["orgs"]], rtol=1e-8,
                               atol=1e-12 * scale)
    np.testing.assert_allclose(flows.net, [s["net"] for s in ref["states"]], rtol=1e-8,
                               atol=1e-9 * max(abs(s["net"]) for s in ref["states"]) + 1e-300)
    assert np.all(flows.dues <= flows.assessed + 1e-15)


def test_withholding_nothing_is_the_phase_itself():
    # a hand-checkable corner: withholding nothing changes nothing
    from world_strategies import make_world

    world = make_world([4.0, 2.0, 1.0], [{"state": i, "org": 0} for i in range(3)])
    params = make_params()
    noise = np.zeros(1)
    assert_phase_matches(world, params, noise)
    with_zero = institutions.flows(world, params, noise, np.zeros(3))
    np.testing.assert_array_equal(with_zero.dues, institutions.flows(world, params, noise).dues)


def _choice_parameters(data) -> dict:
    """Choice parameters drawn across the registry's ranges."""
    names = ("baseline_notice", "baseline_threat", "beta_utility", "beta_contagion", "beta_window", "beta_pretext",
             "beta_nativism", "temperature", "payoff_clip", "credibility_cost", "planning_horizon")
    return {name: data.draw(finite(REGISTRY[name].low, REGISTRY[name].high), label=name) for name in names}


@given(st.data())
def test_choice_probabilities_equal_reference(data):
    params = make_params(_choice_parameters(data))
    n = data.draw(st.integers(1, 12), label="rows")

    def rows(strategy):
        return np.array([data.draw(strategy) for _ in range(n)])

    payoff, exposure = rows(finite(-60.0, 60.0)), rows(finite(0.0, 3.0))
    window, pretext, allowed = rows(st.booleans()), rows(st.booleans()), rows(st.booleans())
    nativism, p_concede, concession = rows(finite(0.0, 1.0)), rows(finite(0.0, 1.0)), rows(finite(0.0, 25.0))
    v_notice, v_threat = decision.choice_values(payoff, exposure, window, pretext, nativism, p_concede, concession,
                                                from_parameters(decision.ChoiceCoefficients, params))
    p_notice, p_threat = decision.choice_probabilities(v_notice, np.where(allowed, v_threat, -np.inf))
    expected = np.array(reference_choice(payoff, exposure, window, pretext, nativism, p_concede, concession,
                                         allowed, params))
    np.testing.assert_allclose(p_notice, expected[:, 0], rtol=1e-9, atol=1e-300)
    np.testing.assert_allclose(p_threat, expected[:, 1], rtol=1e-9, atol=1e-300)


@st.composite
def contagion_inputs(draw):
    """A random world with poles, alliances, alignment, exposure and a year's spreading notices."""
    params = make_params(exposure_retained=draw(finite(0.0, 1.0)), same_issue_spill=draw(finite(0.0, 1.0)),
                         proximity_scale=draw(finite(0.05, 5.0)), exposure_cap=draw(finite(0.0, 10.0)))
    world = draw(worlds(params=params, max_orgs=5))
    n, m = world.n_states, world.n_orgs
    world.issue_area = np.array([draw(st.integers(0, 1)) for _ in range(m)], dtype=np.int8)  # areas shared often
    roles = np.zeros(n, dtype=np.int8)
    poles = draw(st.permutations(range(n)))
    roles[poles[0]] = HEGEMON
    if n > 1 and draw(st.booleans()):
        roles[poles[1]] = RISING
    world.role = roles
    pairs = draw(st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)), max_size=6))
    world.alliances = np.array(pairs, dtype=np.int64).reshape(-1, 2)
    world.align_hegemon = np.array([draw(finite(0.0, 1.0)) for _ in range(n)])
    world.align_rising = np.array([draw(finite(0.0, 1.0)) for _ in range(n)])
    rows = len(world.memberships)
    exposure = np.array([draw(st.one_of(st.just(0.0), finite(0.0, 4.0))) for _ in range(rows)])
    active = world.active_mask()
    spreading = draw(st.lists(st.integers(0, max(rows - 1, 0)), max_size=4, unique=True)) if rows else []
    active[spreading] = True  # a walked-out leaver's own row still counts, as in the phase
    return world, params, exposure, active, spreading


@given(contagion_inputs())
def test_exposure_update_equals_reference(inputs):
    world, params, exposure, active, spreading = inputs
    ms = world.memberships
    updated = contagion.update_exposure(
        exposure, ms.state, ms.org, active, world.issue_area, world.power, world.ideal_point, world.alliances,
        world.align_hegemon, world.align_rising, world.role_index(HEGEMON), world.role_index(RISING),
        np.array(spreading, dtype=np.int64), c=from_parameters(contagion.ContagionCoefficients, params))
    expected = reference_exposure(world, params, exposure, active, spreading)
    np.testing.assert_allclose(updated, expected, rtol=1e-12, atol=1e-12)
