"""Phase 5, the great powers' strategies (MODEL.md §4.11), on small hand-built worlds.

Each world is calm — no exit decisions of the states' own, no domestic politics, no background
foundings, no noise — and the trigger is set to fire in the first year unless a test says
otherwise, so what happens is what the strategy does.
"""

from __future__ import annotations

import numpy as np
import pytest

from exitsim import ExitModel, Scenario
from exitsim.codes import HEGEMON_STRATEGIES, RISING_STRATEGIES
from exitsim.phases import evaluation, strategies

CALM = {"exit_decisions": False, "domestic_politics": False, "founding_rate": 0.0, "power_noise": 0.0,
        "performance_noise": 0.0, "rejoining": False, "strategy_trigger": 100.0}
IMMEDIATE = {"clause": {"kind": "explicit", "effective": "immediate"}}


def world(states, organizations, **top) -> Scenario:
    """A scenario of explicit states ``(code, power, ideal point, extra keys)`` and
    organizations ``(code, members, extra keys)``, no growth, organization weight 8."""
    spec = {"name": "hand", "steps": 6, "organization_weight": 8,
            "states": [dict(code=c, power=p, growth=0.0, ideal_point=x, **kw) for c, p, x, kw in states],
            "organizations": [dict(code=c, members=m, intrinsic_quality=1.0, **kw) for c, m, kw in organizations]}
    return Scenario.model_validate(spec | top)


def model(scenario: Scenario, **parameters) -> ExitModel:
    return ExitModel(scenario, seed=1, parameters=CALM | parameters)


def events(m: ExitModel, cause: str | None = None):
    frame = m.events.to_frame()
    return frame if cause is None else frame[frame.cause == cause]


def rows_of(m: ExitModel, org: str) -> dict[str, int]:
    """This year's flows positions of an organization's members, by state code."""
    w, f = m.world, m.flows
    return {w.state_code[i]: int(p) for p in np.flatnonzero(f.org == w.org_index(org)) for i in [f.state[p]]}


# --- exit diplomacy --------------------------------------------------------------------------------
# The hegemon is far from everyone (ideal point 6 against −1) in K, a binding organization it may
# leave at once: leaving pays; in L, less binding and whose notices take effect only after four
# years, leaving pays too little: a threat (credible, for it would still gain a little by leaving,
# MODEL.md §4.6) buys the reform instead.
EXIT_WORLD = world([("H", 10, 6.0, {"role": "hegemon"}), ("R", 8, -1.0, {"role": "rising"}),
                    ("A", 3, -1.0, {}), ("B", 2, -1.0, {})],
                   [("K", ["H", "R", "A", "B"], IMMEDIATE | {"institutionalization": 3}),
                    ("L", ["H", "R", "A", "B"], {"institutionalization": 2,
                                                 "clause": {"kind": "explicit", "effective": "months_after:48"}})])


def test_exit_diplomacy_leaves_the_worst_organization_and_threatens_where_leaving_does_not_pay():
    m = model(EXIT_WORLD, hegemon_strategy="exit_diplomacy")
    m.step()
    log = events(m, "exit_diplomacy")
    assert list(zip(log.kind, log.organization, strict=True)) == [("strategy", ""), ("notice", "K"), ("reform", "K"),
                                                     ("threat", "L"), ("reform", "L")]
    assert log.detail.iloc[2].startswith("demanded as the price of return")
    assert log.detail.iloc[4].startswith("granted")
    w = m.world
    assert w.memberships.status[w.row_of("H", "K")] == 3  # withdrawn: an immediate clause
    assert w.weighted_voting[w.org_index("L")] and w.cap[w.org_index("L")] < 1.0


def test_the_hegemons_exit_raises_the_others_dues_or_cuts_output_and_cuts_their_access():
    stay = model(EXIT_WORLD)
    leave = model(EXIT_WORLD, hegemon_strategy="exit_diplomacy")
    for m in (stay, leave):
        m.step()
        m.step()   # the second year's flows: K without the hegemon
    k = stay.world.org_index("K")
    before, after = rows_of(stay, "K"), rows_of(leave, "K")
    assert "H" in before and "H" not in after
    others = sorted(after)
    dues_rose = all(leave.flows.dues[after[s]] > stay.flows.dues[before[s]] for s in others)
    assert dues_rose or leave.flows.output[k] < stay.flows.output[k]
    assert dues_rose and leave.flows.output[k] < stay.flows.output[k]   # here both, as the budget rule says
    for s in others:  # every other member's access gain from K falls
        assert leave.flows.access[after[s]] < stay.flows.access[before[s]]


def test_while_its_reform_is_pending_the_hegemon_does_not_rejoin_by_itself():
    m = model(EXIT_WORLD, hegemon_strategy="exit_diplomacy", rejoining=True, rejoin_threshold=-10.0,
              concession_intercept=-20.0)   # the reform is never granted; rejoining would pay
    m.world.last_turnover[:] = m.config.start_year + 1   # a window open in the first two years
    for _ in range(3):
        m.step()
    row = m.world.row_of("H", "K")
    assert m.world.memberships.status[row] == 3 and row in m.strategy.demands
    assert not (events(m).query("kind == 'rejoin'").state == "H").any()
    quo = model(EXIT_WORLD, hegemon_strategy="exit_diplomacy", rejoining=True, rejoin_threshold=-10.0,
                concession_intercept=-20.0)
    quo.world.last_turnover[:] = quo.config.start_year + 1
    quo.step()
    quo.strategy.demands.clear()   # no demand pending: the ordinary rule brings it back
    quo.step()
    assert (events(quo).query("kind == 'rejoin'").state == "H").any()


def test_a_granted_reform_brings_the_hegemon_back():
    m = model(EXIT_WORLD, hegemon_strategy="exit_diplomacy")
    for _ in range(4):
        m.step()
        log = events(m, "exit_diplomacy")
        if ((log.kind == "rejoin") & (log.organization == "K")).any():
            break
    else:
        pytest.fail("the reform demanded of K was never granted in four years")
    year = int(log[(log.kind == "rejoin") & (log.organization == "K")].year.iloc[0])
    granted = log[(log.kind == "reform") & (log.organization == "K") & (log.year == year)]
    assert granted.detail.iloc[0].startswith("granted")
    row = m.world.row_of("H", "K")
    assert m.world.memberships.status[row] == 0 and m.world.memberships.joined[row] == year + 1
    assert m.world.weighted_voting[m.world.org_index("K")]
    for _ in range(2):   # the demand is met: K is no longer a target
        m.step()
    later = events(m, "exit_diplomacy").query("year > @year and organization == 'K'")
    assert later.empty


# --- inclusive institution-building -------------------------------------------------------------------
# The rising power is not in K, the hegemon's organization; it is in L with everyone.
INCLUSIVE_WORLD = world([("H", 10, 1.0, {"role": "hegemon"}), ("R", 8, -1.0, {"role": "rising"}),
                         ("A", 3, 0.5, {}), ("B", 2, 0.5, {})],
                        [("K", ["H", "A", "B"], {"institutionalization": 2}),
                         ("L", ["H", "R", "A", "B"], {"institutionalization": 2})])


def _rising_compliance(m: ExitModel) -> float:
    return float(m.flows.compliance[m.flows.state == m.world.state_index("R")].sum())


def test_inclusive_admits_the_rising_power_when_the_members_consent_and_binds_it():
    quo = model(INCLUSIVE_WORLD)
    consent = model(INCLUSIVE_WORLD, hegemon_strategy="inclusive", admission_consent=1.0, actions_per_year=3)
    refuse = model(INCLUSIVE_WORLD, hegemon_strategy="inclusive", admission_consent=0.0, actions_per_year=3)
    for m in (quo, consent, refuse):
        m.step()
    (offer,) = events(consent, "inclusive").query("kind == 'admission'").itertuples()
    assert (offer.state, offer.organization) == ("R", "K") and "the members consent (p = 1.00)" in offer.detail
    (offer,) = events(refuse, "inclusive").query("kind == 'admission'").itertuples()
    assert "refused by the members (p = 0.00)" in offer.detail   # nobody is aligned with it: p = 0
    assert refuse.world.row_of("R", "K") < 0
    row = consent.world.row_of("R", "K")
    assert consent.world.memberships.status[row] == 0 and consent.world.memberships.joined[row] == quo.year + 1
    kinds = set(events(consent, "inclusive").kind)
    assert kinds == {"strategy", "admission", "assessment", "amendment"}
    for m in (quo, consent, refuse):
        m.step()
    assert "R" in rows_of(consent, "K") and "R" not in rows_of(refuse, "K")
    # bound: a compliance cost in K, a raised institutionalization and a base on current power in L
    assert consent.world.institutionalization[consent.world.org_index("L")] == 3
    assert _rising_compliance(consent) > _rising_compliance(refuse) > _rising_compliance(quo)


def test_an_amendment_gives_the_members_it_hurts_the_amendment_right():
    m = model(INCLUSIVE_WORLD, hegemon_strategy="inclusive", admission_consent=0.0, actions_per_year=3,
              amendment_drop=0.01)
    m.step()
    (amendment,) = events(m, "inclusive").query("kind == 'amendment'").itertuples()
    assert amendment.organization == "L" and amendment.detail.startswith("institutionalization 2 → 3")
    ms = m.world.memberships
    opened = {m.world.state_code[ms.state[r]] for r in np.flatnonzero(ms.amendment_until > m.year)}
    assert opened and opened <= {"H", "R", "A", "B"}
    assert f"amendment right for {' '.join(sorted(opened))}" in amendment.detail


# --- exclusive institution-building ----------------------------------------------------------------------
# A and B gain from K, which the hegemon leads: aligned with it; C and D gain from M, led by the rising power.
EXCLUSIVE_WORLD = world([("H", 10, 1.0, {"role": "hegemon"}), ("R", 8, -1.0, {"role": "rising"}),
                         ("A", 3, 1.0, {}), ("B", 2, 1.0, {}), ("C", 3, -1.0, {}), ("D", 2, -1.0, {})],
                        [("K", ["H", "R", "A", "B"], {"issue_area": "trade"}),
                         ("M", ["R", "C", "D"], {"issue_area": "health"})])


def test_exclusive_founds_a_club_of_the_aligned_without_the_rival():
    m = model(EXCLUSIVE_WORLD, hegemon_strategy="exclusive")
    w = m.world
    assert w.align_hegemon[[w.state_index(s) for s in "AB"]].min() >= 0.5
    assert w.align_hegemon[[w.state_index(s) for s in "CD"]].max() < 0.5
    m.step()
    founded = events(m, "exclusive").query("kind == 'founding'")
    assert len(founded) == 2          # two issue areas where the rival gains, one club each
    for founding in founded.itertuples():
        k = w.org_index(founding.organization)
        assert w.club[k] and w.weighted_voting[k] and w.founder[k] == w.state_index("H")
        members = {w.state_code[i] for i in w.members_of(k)}
        assert members == {"H", "A", "B"}
        assert f"members {' '.join(sorted(members))}" in founding.detail
    m.step()
    club = w.org_index(founded.organization.iloc[0])
    assert m.flows.voluntary is not None
    hegemon = (m.flows.state == w.state_index("H")) & (m.flows.org == club)
    assert m.flows.voluntary[hegemon].sum() == pytest.approx(0.25 * m.flows.need[club])
    assert m.timeseries().club_organizations.iloc[-1] == 2


# --- the rising power -------------------------------------------------------------------------------------
# The hegemon leaves K1 and K2 by the timeline in the first year. In K1 the rising power pays a
# little more than G, not enough to lead; in K2, J pays far more than it.
GAP_WORLD = world([("H", 10, 0.0, {"role": "hegemon"}), ("R", 8, 0.0, {"role": "rising"}), ("G", 7, 0.0, {}),
                   ("J", 30, 0.0, {}), ("A", 3, 0.0, {})],
                  [("K1", ["H", "R", "G", "A"], IMMEDIATE), ("K2", ["H", "R", "J", "A"], IMMEDIATE),
                   ("K3", ["H", "R", "G", "A"], {})],
                  timeline=[{"year": 2026, "kind": "notice", "state": "H", "organization": "K1", "month": 1},
                            {"year": 2026, "kind": "notice", "state": "H", "organization": "K2", "month": 1}])


def test_gap_filling_funds_at_most_the_fill_fraction_where_the_hegemon_left_and_leads_only_as_largest():
    m = model(GAP_WORLD, rising_strategy="gap_filling")
    w = m.world
    rising = w.state_index("R")
    m.step()
    m.step()   # the hegemon is gone: the shortfall the rising power sees
    assert m.flows.voluntary is None
    shortfall = {code: m.flows.shortfall[w.org_index(code)] for code in ("K1", "K2", "K3")}
    assert shortfall["K1"] > 0 and shortfall["K2"] > 0 and shortfall["K3"] == 0
    assert m.flows.leader[w.org_index("K1")] == -1            # R pays 8/7 of G: no margin
    m.step()
    f = m.flows
    for code in ("K1", "K2"):
        k = w.org_index(code)
        mine = rows_of(m, code)["R"]
        assert 0 < f.voluntary[mine] <= 0.5 * shortfall[code] + 1e-15
        paid = f.dues[f.org == k] + f.voluntary[f.org == k]
        first, second = np.sort(paid)[::-1][:2]
        assert (f.leader[k] == rising) == (paid.max() == f.dues[mine] + f.voluntary[mine] and first >= 1.2 * second)
    assert f.leader[w.org_index("K1")] == rising               # it became the largest contributor
    assert f.leader[w.org_index("K2")] == w.state_index("J")   # J still pays far more
    assert f.voluntary[rows_of(m, "K3")["R"]] == 0.0           # the hegemon did not leave K3
    gaps = events(m, "gap_filling").query("kind == 'contribution'")
    assert sorted(gaps.organization) == ["K1", "K2"]
    assert m.timeseries().rising_voluntary.iloc[-1] == pytest.approx(f.voluntary[f.state == rising].sum())


def test_counter_institutions_are_led_by_the_rising_power():
    m = model(EXCLUSIVE_WORLD, rising_strategy="counter_institutions")
    m.step()
    founded = events(m, "counter_institutions").query("kind == 'founding'")
    assert len(founded) == 1      # one area where the hegemon leads output: trade
    w = m.world
    k = w.org_index(founded.organization.iloc[0])
    assert w.founder[k] == w.state_index("R") and not w.club[k] and w.issue_area[k] == w.issue_area[w.org_index("K")]
    assert w.state_index("H") not in w.members_of(k)
    m.step()
    assert m.flows.leader[k] == w.state_index("R")
    assert m.timeseries().counter_institutions.iloc[-1] == 1


# --- when -------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("hegemon, rising", [(h, r) for h in HEGEMON_STRATEGIES for r in RISING_STRATEGIES])
def test_nothing_acts_before_the_trigger(hegemon, rising):
    quo = model(GAP_WORLD, strategy_trigger=1.0)   # 10 / 8 never falls below 1
    m = model(GAP_WORLD, strategy_trigger=1.0, hegemon_strategy=hegemon, rising_strategy=rising)
    quo.run()
    m.run()
    assert m.strategy.active_since == -1_000_000 and not m.timeseries().strategy_active.any()
    assert m.events.to_frame().equals(quo.events.to_frame())
    assert m.timeseries().equals(quo.timeseries())


def test_gamma_weighs_the_rivals_gains_only_for_an_active_strategy():
    m = model(EXIT_WORLD, hegemon_strategy="exit_diplomacy", rising_strategy="passive")
    assert strategies.gamma(m.context()) is None       # not active yet
    m.step()
    gamma = strategies.gamma(m.context())
    w = m.world
    assert gamma[w.state_index("H")] == 0.5 and gamma.sum() == 0.5   # the passive rising power: 0
    quo = model(EXIT_WORLD)
    quo.step()
    assert strategies.gamma(quo.context()) is None


@pytest.mark.parametrize("gamma", [0.5, 0.0])
def test_relative_gains_weight_zero_switches_the_rivals_gains_off(gamma):
    m = model(EXIT_WORLD, hegemon_strategy="exit_diplomacy", relative_gains_weight=gamma)
    m.step()
    ctx = m.context()
    weighed, plain = evaluation.run(ctx, strategies.gamma(ctx)), evaluation.run(ctx)
    hegemon = m.flows.state == m.world.state_index("H")
    if gamma:
        assert (weighed.utility[hegemon] < plain.utility[hegemon]).all()   # the rival gains in both
        np.testing.assert_array_equal(weighed.utility[~hegemon], plain.utility[~hegemon])
    else:
        np.testing.assert_array_equal(weighed.utility, plain.utility)
