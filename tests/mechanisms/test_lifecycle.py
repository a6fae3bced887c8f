"""Rejoining and the life cycle of organizations (MODEL.md §4.12) on hand-computed cases."""

import math
from dataclasses import replace

import numpy as np
import pytest

from exitsim.clauses import load_templates
from exitsim.codes import ALIVE, DEAD, INACTIVE, ISSUE_AREAS, MEMBER, NOTICE, WITHDRAWN, ZOMBIE
from exitsim.mechanisms import lifecycle
from exitsim.phases.lifecycle import founding_draws

TEMPLATES = load_templates()
NO_ROWS = np.zeros(0, dtype=int)
#: The thresholds of the hand-computed cases: a zombie after 3 years below 0.3, dead after 5 years
#: below 0.05 or with fewer than 3 members.
THRESHOLDS = lifecycle.LifeCycleThresholds(zombie_quality=0.3, zombie_years=3, death_quality=0.05, death_years=5,
                                           death_members=3)
#: Foundings of 3–20 members, caps from 50, allies twice as likely, proximity scale 1.
FOUNDING = lifecycle.FoundingRules(min_members=3, max_members=20, cap_min_members=50, ally_weight=2.0,
                                   proximity_scale=1.0)


def _run(qualities, members=10, status=ALIVE):
    """Run one organization through years of performance; return the statuses and counters."""
    s, low, dying = np.array([status], dtype=np.int8), np.array([0]), np.array([0])
    history = []
    for q in qualities:
        s, low, dying, newly = lifecycle.update_status(s, np.array([q]), low, dying, np.array([members]), THRESHOLDS)
        history.append((int(s[0]), int(low[0]), int(dying[0]), bool(newly[0])))
    return history


def test_zombie_after_exactly_three_low_years_and_alive_on_recovery():
    h = _run([0.2, 0.2, 0.2, 0.25, 0.5, 0.2])
    assert [x[0] for x in h] == [ALIVE, ALIVE, ZOMBIE, ZOMBIE, ALIVE, ALIVE]
    assert [x[1] for x in h] == [1, 2, 3, 4, 0, 1]
    assert not any(x[3] for x in h)


def test_a_good_year_resets_the_low_counter():
    h = _run([0.2, 0.2, 0.3, 0.2, 0.2])  # q = 0.3 is not below 0.3
    assert [x[0] for x in h] == [ALIVE] * 5
    assert [x[1] for x in h] == [1, 2, 0, 1, 2]


def test_dead_after_five_years_below_five_percent():
    h = _run([0.01, 0.04, 0.0, 0.02, 0.03, 0.5])
    assert [x[2] for x in h] == [1, 2, 3, 4, 5, 5]  # the dead keep their counters
    assert [x[0] for x in h] == [ALIVE, ALIVE, ZOMBIE, ZOMBIE, DEAD, DEAD]
    assert [x[3] for x in h] == [False, False, False, False, True, False]


def test_an_interrupted_dying_spell_starts_again():
    h = _run([0.01, 0.01, 0.01, 0.01, 0.06, 0.01])
    assert [x[2] for x in h] == [1, 2, 3, 4, 0, 1]
    assert DEAD not in [x[0] for x in h]


def test_dead_with_fewer_than_three_members_and_dead_stays_dead():
    status = np.array([ALIVE, ZOMBIE, ALIVE, DEAD], dtype=np.int8)
    quality = np.array([0.9, 0.9, 0.9, 0.9])
    members = np.array([2, 0, 3, 50])
    s, low, dying, newly = lifecycle.update_status(status, quality, np.array([0, 5, 0, 7]), np.array([0, 0, 0, 2]),
                                                  members, THRESHOLDS)
    np.testing.assert_array_equal(s, [DEAD, DEAD, ALIVE, DEAD])
    np.testing.assert_array_equal(newly, [True, True, False, False])
    np.testing.assert_array_equal(low, [0, 0, 0, 7])
    np.testing.assert_array_equal(dying, [0, 0, 0, 2])
    assert s.dtype == status.dtype


def test_thresholds_are_parameters():
    s, *_ = lifecycle.update_status(np.array([ALIVE]), np.array([0.45]), np.array([0]), np.array([0]), np.array([2]),
                                    replace(THRESHOLDS, zombie_quality=0.5, zombie_years=1, death_members=2))
    np.testing.assert_array_equal(s, [ZOMBIE])


def test_rejoins_need_a_window_when_withdrawn_but_not_when_inactive():
    status = np.array([WITHDRAWN, WITHDRAWN, INACTIVE, INACTIVE, WITHDRAWN, MEMBER, NOTICE])
    utility = np.array([1.5, 1.5, 1.5, 0.9, 1.0, 3.0, 3.0])
    window = np.array([True, False, False, True, True, True, True])
    np.testing.assert_array_equal(lifecycle.rejoins(status, utility, window, threshold=1.0),
                                  [True, False, True, False, False, False, False])
    np.testing.assert_array_equal(lifecycle.rejoins(status, utility, window, threshold=0.5),
                                  [True, False, True, True, True, False, False])


def test_expected_foundings_fall_as_an_issue_area_fills():
    # per area: (rate / w) · N · exp(−η (N/N⁰ − 1)), N⁰ at least 1
    expected = lifecycle.expected_foundings(np.array([8, 10, 4, 0, 3]), np.array([8, 8, 8, 5, 0]), rate=0.02,
                                            crowding=2.0, weight=1.0)
    np.testing.assert_allclose(expected, [0.16, 0.2 * math.exp(-0.5), 0.08 * math.exp(1.0), 0.0,
                                          0.06 * math.exp(-4.0)])
    # each model organization standing for 8 real ones: an eighth as many foundings
    np.testing.assert_allclose(lifecycle.expected_foundings([8], [8], 0.02, 2.0, 8.0), [0.02])
    assert lifecycle.expected_foundings([8], [8], 0.0, 2.0, 1.0)[0] == 0.0


def test_weak_small_organizations_in_crowded_areas_fail_more_often():
    # h = (φ / w) (1 − v) (m⁰/m)^σ max(0, N/N⁰ − 1); v = q · min(1, adequacy)
    v = lifecycle.vitality(np.array([0.5, 0.9, 0.2, 0.6]), np.array([1.0, 1.0, 0.5, 1.5]))
    np.testing.assert_allclose(v, [0.5, 0.9, 0.1, 0.6])
    members, area = np.array([10, 20, 20, 40]), np.array([0, 1, 1, 0])
    args = (v, members, area, np.array([10, 12]), np.array([8, 8]), np.array([20.0, 20.0]))
    hazard = lifecycle.failure_hazard(*args, rate=0.5, smallness=1.0, weight=1.0)
    np.testing.assert_allclose(hazard, [0.5 * 0.5 * 2 * 0.25, 0.5 * 0.1 * 0.5, 0.5 * 0.9 * 0.5, 0.5 * 0.4 * 0.5 * 0.25])
    assert lifecycle.failure_hazard(*args, rate=0.5, smallness=1.0, weight=4.0)[1] == pytest.approx(0.5 * 0.1 * 0.5 / 4)
    # σ = 0: size does not matter
    np.testing.assert_allclose(lifecycle.failure_hazard(*args, 0.5, 0.0, 1.0)[[0, 3]], [0.5 * 0.5 * 0.25, 0.5 * 0.4 * 0.25])
    # at or below its start density an area carries its organizations: none fails
    assert not lifecycle.failure_hazard(v, members, area, np.array([8, 5]), np.array([8, 8]), np.array([20.0, 20.0]),
                                        0.5, 1.0, 1.0).any()


def test_the_reference_size_is_the_harmonic_mean_of_each_areas_organizations():
    # area 0: 10 and 40 members → 2 / (1/10 + 1/40) = 16; area 1: none; area 2: 5
    sizes = lifecycle.reference_sizes(np.array([10, 40, 5]), np.array([0, 0, 2]), 3)
    np.testing.assert_allclose(sizes, [16.0, 0.0, 5.0])


def test_a_world_settles_a_little_above_its_start_density():
    """Typical organizations (v = 2/3, of their area's typical size): at the start density the
    area founds and none fails, so it grows; at 25% above it, failures outnumber foundings, so
    it shrinks back: it settles between (a little above its start: near-stationary)."""
    reference = np.array([30])

    def flows(alive):
        births = lifecycle.expected_foundings([alive], reference, 0.02, 2.0, 1.0)[0]
        deaths = lifecycle.failure_hazard(np.full(alive, 2 / 3), np.full(alive, 20), np.zeros(alive, int), [alive],
                                          reference, [20.0], 0.5, 1.0, 1.0).sum()
        return births, deaths

    births, deaths = flows(30)
    assert births == pytest.approx(0.6) and deaths == 0.0
    births, deaths = flows(38)  # 1.27 times the start: 0.76 e^{−0.53} ≈ 0.45 founded, 38 · 0.5/3 · 0.27 ≈ 1.69 fail
    assert births < deaths


def _pool(power, ideal=None, alliances=None, member_state=NO_ROWS, member_org=NO_ROWS, org_issue_area=NO_ROWS,
          org_rules=(), templates=TEMPLATES, areas=ISSUE_AREAS, orgs_of=None, **rules):
    n = len(power)
    ideal = np.zeros((n, 1)) if ideal is None else ideal
    alliances = np.zeros((0, 2), dtype=int) if alliances is None else alliances
    return lifecycle.FoundingPool(np.asarray(power, dtype=float), ideal, alliances, member_state, member_org,
                                  org_issue_area, org_rules, templates, replace(FOUNDING, **rules), areas=areas,
                                  orgs_of=orgs_of)


def _plans(rng, count, pool):
    """``count`` foundings of ``pool`` from draws of ``rng``, in its areas in turn."""
    return pool.plan(founding_draws(rng, np.arange(count) % len(pool.areas), pool.n, pool.rules))


def _plan(rng, power, **kwargs):
    """One founding from a pool of its own."""
    return _plans(rng, 1, _pool(power, **kwargs))[0]


def test_founder_frequency_follows_power():
    rng = np.random.default_rng(2024)
    power = np.array([1.0, 2.0, 3.0, 4.0, 0.0001])
    founders = [_plan(rng, power)["founder"] for _ in range(4000)]
    frequency = np.bincount(founders, minlength=5) / 4000
    np.testing.assert_allclose(frequency, power / power.sum(), atol=0.03)


def test_member_count_and_membership():
    rng = np.random.default_rng(3)
    sizes = set()
    for n in (30, 5):
        power = np.linspace(1.0, 2.0, n)
        for _ in range(300):
            plan = _plan(rng, power)
            members = plan["members"]
            assert 3 <= len(members) <= min(20, n)
            assert plan["founder"] in members
            assert len(set(members)) == len(members) and members == sorted(members)
            assert all(0 <= j < n for j in members)
            assert plan["issue_area"] in ISSUE_AREAS
            assert 0.0 <= plan["intrinsic_quality"] <= 1.0
            sizes.add(len(members))
    assert sizes == set(range(3, 21))  # every size from 3 to 20 occurs


def test_allies_and_close_states_are_over_represented():
    rng = np.random.default_rng(5)
    n = 40
    power = np.r_[1e9, np.ones(n - 1)]  # state 0 founds every time
    alliances = np.array([[0, j] for j in range(1, 11)])  # allies 1–10
    ideal = np.zeros((n, 1))
    ideal[31:, 0] = 3.0  # states 31–39 are far away
    chosen = np.zeros(n)
    for _ in range(500):
        plan = _plan(rng, power, ideal=ideal, alliances=alliances)
        assert plan["founder"] == 0
        chosen[plan["members"]] += 1
    allies, near, far = chosen[1:11].mean(), chosen[11:31].mean(), chosen[31:].mean()
    assert allies > 1.4 * near  # weight 2 vs 1 (less than 2× because sampling is without replacement)
    assert far < 0.2 * near  # exp(−3) ≈ 0.05


def test_same_seed_same_plan():
    power = np.array([3.0, 1.0, 2.0, 5.0, 1.0, 1.0, 4.0])
    ideal = np.random.default_rng(0).normal(size=(7, 2))
    a = _plan(np.random.default_rng(11), power, ideal=ideal)
    b = _plan(np.random.default_rng(11), power, ideal=ideal)
    assert a == b
    others = [_plan(np.random.default_rng(seed), power, ideal=ideal) for seed in range(12, 20)]
    assert any(o != a for o in others)


# The founder (state 0) is a member of organization 0 (health) and 1 (trade); state 1 of
# organization 2 (health).
RULES = [
    {"institutionalization": 1, "voting": "weighted", "cap": 0.3,
     "clause": {"kind": "consent", "effective": "months_after:6"}},
    {"institutionalization": 3, "voting": "one_state_one_vote", "cap": None,
     "clause": {"kind": "explicit", "effective": "immediate"}},
    {"institutionalization": 2, "voting": "one_state_one_vote", "cap": None,
     "clause": {"kind": "none", "effective": "months_after:12"}},
]
MEMBER_STATE = np.array([0, 0, 1, 2])
MEMBER_ORG = np.array([0, 1, 2, 2])
AREA = np.array([ISSUE_AREAS.index("health"), ISSUE_AREAS.index("trade"), ISSUE_AREAS.index("health")])
POWER = np.r_[1e9, np.ones(9)]


def test_rules_copied_from_the_founders_same_area_organization():
    for cap_min, cap in ((1, 0.3), (50, None)):
        plan = _plan(np.random.default_rng(0), POWER, member_state=MEMBER_STATE, member_org=MEMBER_ORG,
                     org_issue_area=AREA, org_rules=RULES, areas=("health",), cap_min_members=cap_min)
        assert plan["issue_area"] == "health" and plan["copied_from"] == 0 and plan["template"] is None
        assert (plan["institutionalization"], plan["voting"], plan["cap"]) == (1, "weighted", cap)
        assert plan["clause"] == RULES[0]["clause"] and plan["clause"] is not RULES[0]["clause"]


def test_a_random_same_area_organization_when_the_founder_has_several():
    area = np.array([ISSUE_AREAS.index("trade")] * 3)
    copied = {_plan(np.random.default_rng(seed), POWER, member_state=np.array([0, 0, 0]),
                    member_org=np.array([0, 1, 2]), org_issue_area=area, org_rules=RULES,
                    areas=("trade",))["copied_from"] for seed in range(40)}
    assert copied == {0, 1, 2}


def test_a_template_of_the_area_when_the_founder_has_no_such_organization():
    plan = _plan(np.random.default_rng(0), POWER, member_state=MEMBER_STATE, member_org=MEMBER_ORG,
                 org_issue_area=AREA, org_rules=RULES, areas=("food",))
    fao = next(t for t in TEMPLATES if t.abbreviation == "FAO")  # the only food template
    assert plan["copied_from"] == -1 and plan["template"] == "FAO"
    assert plan["clause"] == fao.clause.to_dict() and plan["voting"] == fao.voting
    assert plan["institutionalization"] == fao.institutionalization
    assert plan["cap"] is None  # FAO's cap 0.22 only from 50 members


def test_any_template_when_the_data_has_none_of_the_area():
    templates = [t for t in TEMPLATES if t.issue_area != "food"]
    plan = _plan(np.random.default_rng(0), POWER, areas=("food",), templates=templates)
    assert plan["issue_area"] == "food"
    assert plan["template"] in {t.abbreviation for t in templates}


def test_organization_rules_from_world_arrays():
    arrays = (np.array([2, 3]), np.array([True, False]), np.array([0.22, np.nan]), [{"kind": "explicit"}, {"kind": "none"}])
    rules = [lifecycle.rules_of(*arrays, k) for k in range(2)]
    assert rules == [
        {"institutionalization": 2, "voting": "weighted", "cap": 0.22, "clause": {"kind": "explicit"}},
        {"institutionalization": 3, "voting": "one_state_one_vote", "cap": None, "clause": {"kind": "none"}},
    ]


def test_the_founder_is_the_state_rng_choice_would_draw():
    """One uniform inverts the cumulative power shares: the founder rng.choice(n, p) gives."""
    power = np.random.default_rng(8).lognormal(0.0, 2.0, 60)
    for seed in range(200):
        plan = _plan(np.random.default_rng(seed), power)
        assert plan["founder"] == np.random.default_rng(seed).choice(60, p=power / power.sum())


def test_a_years_foundings_are_planned_together_from_one_pool():
    ideal = np.random.default_rng(1).normal(size=(10, 1))
    alliances = np.array([[0, 3], [4, 0], [2, 5]])
    args = (POWER, ideal, alliances, MEMBER_STATE, MEMBER_ORG, AREA, RULES, TEMPLATES)
    pool = lifecycle.FoundingPool(*args, replace(FOUNDING, max_members=6))
    plans = _plans(np.random.default_rng(4), 25, pool)
    assert plans == _plans(np.random.default_rng(4), 25, pool)  # same draws, same year
    assert len(plans) == 25 and all(p["founder"] == 0 for p in plans)  # state 0 holds nearly all power
    assert all(3 <= len(p["members"]) <= 6 and 0 in p["members"] for p in plans)
    # each planned on the same memberships: the founder's health organization 0 for health
    assert {p["copied_from"] for p in plans if p["issue_area"] == "health"} <= {0}
    assert {p["copied_from"] for p in plans if p["issue_area"] == "trade"} <= {1}
    assert len({tuple(p["members"]) for p in plans}) > 5  # their own draws, not one plan repeated


def test_allies_are_read_in_both_directions_of_a_pair():
    power = np.r_[1e9, np.ones(39)]  # state 0 founds every time
    ideal = np.zeros((40, 1))
    alliances = np.array([[0, 7], [9, 0]])  # 0–7 written one way, 0–9 the other
    chosen = np.zeros(40)
    rng = np.random.default_rng(3)
    for _ in range(600):
        chosen[_plan(rng, power, ideal=ideal, alliances=alliances, ally_weight=100.0)["members"]] += 1
    assert chosen[7] > 500 and chosen[9] > 500  # weight 100: nearly always in
    assert chosen[1:7].mean() < 300


def test_a_pool_may_read_the_founders_organizations_from_the_caller():
    ideal = np.random.default_rng(1).normal(size=(10, 1))
    orgs = {0: np.array([0, 1]), 1: np.array([2]), 2: np.array([2])}
    from_rows = _pool(POWER, ideal=ideal, member_state=MEMBER_STATE, member_org=MEMBER_ORG, org_issue_area=AREA,
                      org_rules=RULES)
    from_caller = _pool(POWER, ideal=ideal, member_state=None, member_org=None, org_issue_area=AREA, org_rules=RULES,
                        orgs_of=lambda s: orgs.get(s, np.zeros(0, dtype=int)))
    assert _plans(np.random.default_rng(6), 20, from_rows) == _plans(np.random.default_rng(6), 20, from_caller)
