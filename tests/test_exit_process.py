"""The exit process inside the model: law and the calendar with real clauses, contagion's lag,
threats, rescissions, walk-outs and returns (MODEL.md §4.6–4.8, §4.12)."""

import math
from dataclasses import replace

import numpy as np
import pytest

from exitsim import ExitModel, Scenario
from exitsim.clauses import load_templates
from exitsim.mechanisms import law
from exitsim.timeline import ScheduledEvent, TimelineError
from exitsim.world import INACTIVE, MEMBER, NOTICE, WITHDRAWN

TEMPLATES = {t.abbreviation: t for t in load_templates()}
QUIET = {"exit_decisions": False, "domestic_politics": False, "founding_rate": 0.0, "death_members": 0,
         "rejoining": False, "concession_intercept": -20.0}  # organizations never answer with a concession


def lab(clause: str, timeline=(), *, start_year=2025, steps=4, founded=1990, joined=None, clause_changes=None,
        reservations=(), **parameters) -> ExitModel:
    """Four like-minded states in one organization with a real organization's clause; states'
    own decisions off, so only the timeline acts."""
    template = TEMPLATES[clause]
    rules = replace(template.clause, **(clause_changes or {})).to_dict()
    members = ["A", "B", "C", "D"] if joined is None else [{"state": s, "joined": joined} for s in "ABCD"]
    scenario = Scenario.model_validate({
        "name": f"lab-{clause}", "start_year": start_year, "steps": steps,
        "states": [{"code": code, "power": power, "democracy": 0.9, "ideal_point": 0.0}
                   for code, power in (("A", 8.0), ("B", 2.0), ("C", 1.0), ("D", 1.0))],
        "organizations": [{"code": clause, "issue_area": template.issue_area, "founded": founded,
                           "clause": rules, "members": members, "reservations": list(reservations)}]})
    return ExitModel(scenario, parameters=QUIET | parameters, timeline=list(timeline))


def row(model, state="A") -> int:
    return model.world.row_of(state, model.world.org_code[0])


def events(model, kind):
    return [e for e in model.events if e.kind == kind]


def test_unesco_notice_in_march_takes_effect_on_31_december_of_the_next_year():
    model = lab("UNESCO", [ScheduledEvent(2026, "notice", "A", "UNESCO", month=3)])
    model.step()  # 2026
    assert model.world.memberships.status[row(model)] == NOTICE
    [notice] = events(model, "notice")
    assert (notice.year, notice.month, notice.substantive, notice.procedural) == (2026, 3, "explicit_clause", "followed")
    model.step()  # 2027
    [withdrawal] = events(model, "withdrawal")
    assert (withdrawal.year, withdrawal.month) == (2027, 12)
    assert model.world.memberships.status[row(model)] == WITHDRAWN


def test_wto_notice_takes_effect_six_months_later():
    model = lab("WTO", [ScheduledEvent(2026, "notice", "B", "WTO", month=10)]).run()
    [withdrawal] = events(model, "withdrawal")
    assert (withdrawal.year, withdrawal.month) == (2027, 4)


def test_nato_notice_before_twenty_years_in_force_is_a_violating_walkout():
    model = lab("NATO", [ScheduledEvent(1960, "notice", "B", "NATO", month=5)], start_year=1955, steps=6,
                founded=1949).run()
    [walkout] = events(model, "walkout")
    assert (walkout.year, walkout.substantive, walkout.procedural) == (1960, "explicit_clause", "violated")
    assert not events(model, "notice")
    assert model.world.memberships.status[row(model, "B")] == WITHDRAWN
    assert model.world.reputation[model.world.state_index("B")] < 1.0


def test_nato_notice_after_twenty_years_is_lawful():
    model = lab("NATO", [ScheduledEvent(1975, "notice", "B", "NATO", month=5)], start_year=1972, steps=5,
                founded=1949).run()
    assert [(e.year, e.month) for e in events(model, "withdrawal")] == [(1976, 5)]


@pytest.mark.parametrize("year, lawful", [(2018, False), (2019, True)])
def test_paris_notice_only_three_years_after_entry_into_force_for_the_party(year, lawful):
    model = lab("Paris", [ScheduledEvent(year, "notice", "C", "Paris", month=11)], start_year=2016, steps=6,
                founded=2016, joined=2016).run()
    assert bool(events(model, "notice")) is lawful
    assert bool(events(model, "walkout")) is not lawful
    if lawful:
        assert [(e.year, e.month) for e in events(model, "withdrawal")] == [(year + 1, 11)]


@pytest.mark.parametrize("month, lawful", [(10, False), (11, True)])
def test_three_years_from_november_2016_end_in_november_2019(month, lawful):
    """Paris in force for the party on 4 November 2016: a notice of October 2019 breaks the
    three-year tenure (a walk-out), one of November 2019 is lawful (the United States')."""
    model = lab("Paris", [ScheduledEvent(2019, "notice", "C", "Paris", month=month)], start_year=2016, steps=4,
                founded="2016-11", joined="2016-11").run()
    assert bool(events(model, "notice")) is lawful
    if lawful:
        assert [(e.year, e.month) for e in events(model, "withdrawal")] == [(2020, 11)]
    else:
        [walkout] = events(model, "walkout")
        assert (walkout.year, walkout.month, walkout.procedural) == (2019, 10, "violated")


def test_a_state_waits_for_the_first_lawful_month_of_the_year_rather_than_walk_out():
    """Everyone leaves Paris in 2019 (β0 = 5, payoffs ignored); their tenure opens in November.
    Three of the months drawn for them fall before November: those states give a lawful notice
    in November, the fourth in its own month."""
    model = lab("Paris", start_year=2018, steps=1, founded="2016-11", joined="2016-11", exit_decisions=True,
                baseline_notice=5.0, beta_utility=0.0, baseline_threat=-30.0)
    drawn = law.notice_month(model.streams.uniform(1, "decisions", len(model.world.memberships), draw=1))
    drawn = {s: int(drawn[row(model, s)]) for s in "ABCD"}
    assert sum(m < 11 for m in drawn.values()) == 3
    model.run()
    assert not events(model, "walkout")
    assert sorted((e.state, e.month) for e in events(model, "notice")) == [(s, max(m, 11)) for s, m in drawn.items()]


def test_a_scheduled_rejoin_counts_from_its_month():
    timeline = [ScheduledEvent(2026, "notice", "B", "Paris", month=1),
                ScheduledEvent(2028, "rejoin", "B", "Paris", month=2)]
    model = lab("Paris", timeline, start_year=2025, steps=3, founded="2016-11").run()
    r = row(model, "B")
    assert (model.world.memberships.joined[r], model.world.memberships.joined_month[r]) == (2028, 2)
    [rejoin] = events(model, "rejoin")
    assert (rejoin.year, rejoin.month, rejoin.detail) == (2028, 2, "member again from 2028-02")


def test_ilo_exit_takes_effect_only_with_the_arrears_paid():
    model = lab("ILO", [ScheduledEvent(2026, "withhold_dues", "B", "ILO", value=1.0),
                        ScheduledEvent(2026, "notice", "B", "ILO", month=1)], steps=4)
    model.step()
    owed = model.world.memberships.arrears[row(model, "B")]
    assert owed > 0 and owed == pytest.approx(model.flows.assessed[model.flows.rows == row(model, "B")][0])
    model.run()
    [withdrawal] = events(model, "withdrawal")
    assert (withdrawal.year, withdrawal.month) == (2028, 1)
    assert "arrears" in withdrawal.detail and "paid first" in withdrawal.detail
    assert model.world.memberships.arrears[row(model, "B")] == 0


def test_iwc_notice_of_december_2018_takes_effect_in_june_2019():
    model = lab("IWC", [ScheduledEvent(2018, "notice", "D", "IWC", month=12)], start_year=2017, steps=3).run()
    assert [(e.year, e.month) for e in events(model, "withdrawal")] == [(2019, 6)]


def test_a_revocable_notice_is_rescinded_after_a_turnover_to_internationalists():
    timeline = [ScheduledEvent(2026, "government", "B", value="nativist"),
                ScheduledEvent(2026, "notice", "B", "WHO", month=2),
                ScheduledEvent(2027, "government", "B", value="internationalist")]
    model = lab("WHO", timeline, steps=3).run()
    [rescission] = events(model, "rescission")
    assert rescission.year == 2027 and "internationalist" in rescission.detail
    assert model.world.memberships.status[row(model, "B")] == MEMBER
    assert not events(model, "withdrawal")


def test_a_row_whose_notice_is_rescinded_does_not_choose_again_that_year():
    timeline = [ScheduledEvent(2026, "government", "B", value="nativist"),
                ScheduledEvent(2026, "notice", "B", "WHO", month=2),
                ScheduledEvent(2027, "government", "B", value="internationalist")]
    # everyone who chooses gives notice: the rescinded row would give notice again at once
    model = lab("WHO", timeline, steps=3, exit_decisions=True, baseline_notice=5.0, baseline_threat=-30.0).run()
    [rescission] = events(model, "rescission")
    assert (rescission.year, rescission.state) == (2027, "B")
    choices = [(e.year, e.kind) for e in model.events if e.state == "B" and e.kind in ("notice", "threat")]
    assert choices == [(2026, "notice"), (2028, "notice")]


def test_a_notice_is_answered_once_in_its_year_and_bought_back_only_when_the_concession_outweighs_leaving():
    """Everyone gives notice in 2026 (β0 = 5, payoffs ignored: β_u = 0) to UNESCO (effective 31 December of the next year)
    and organizations concede whenever they answer (ζ0 = 20). A, B and D gain from the
    membership: the concession outweighs leaving, so each notice is bought back in its own
    year. C, with a nativist government that loathes binding institutions (μ = 10), gains far
    more by leaving than by any concession: its notice stands, is never answered again, and
    takes effect."""
    model = lab("UNESCO", [ScheduledEvent(2026, "government", "C", value="nativist")], steps=2, exit_decisions=True,
                baseline_notice=5.0, beta_utility=0.0, baseline_threat=-30.0, concession_intercept=20.0,
                nativist_cost=10.0)
    model.run()
    for state in "ABD":
        kinds = [e.kind for e in model.events if e.state == state and e.year == 2026 and e.kind != "turnover"]
        assert kinds == ["notice", "concession", "rescission"]
    kinds = [(e.year, e.kind) for e in model.events if e.state == "C" and e.kind != "turnover"]
    assert kinds == [(2026, "notice"), (2027, "withdrawal")]


def test_a_scheduled_notice_is_not_answered():
    model = lab("WHO", [ScheduledEvent(2026, "notice", "B", "WHO", month=2)], steps=2, concession_intercept=20.0,
                nativist_cost=0.0).run()
    assert not events(model, "concession") and not events(model, "rescission")
    assert [(e.year, e.month) for e in events(model, "withdrawal")] == [(2027, 2)]


def test_an_irrevocable_notice_is_not_rescinded():
    timeline = [ScheduledEvent(2026, "government", "B", value="nativist"),
                ScheduledEvent(2026, "notice", "B", "WHO", month=2),
                ScheduledEvent(2027, "government", "B", value="internationalist")]
    model = lab("WHO", timeline, steps=3, clause_changes={"revocable": False}).run()
    assert not events(model, "rescission")
    assert [(e.year, e.month) for e in events(model, "withdrawal")] == [(2027, 2)]


def test_a_none_clause_exit_is_contested_inactive_and_returns_without_accession():
    timeline = [ScheduledEvent(2026, "notice", "C", "UN", month=9), ScheduledEvent(2028, "rejoin", "C", "UN")]
    model = lab("UN", timeline, steps=4)
    model.step()
    r = row(model, "C")
    [walkout] = events(model, "walkout")
    assert (walkout.substantive, walkout.procedural) == ("contested", "")
    assert model.world.memberships.status[r] == INACTIVE
    joined = model.world.memberships.joined[r]
    model.step()  # inactive: no dues, no benefits
    assert r not in model.flows.rows
    model.run()
    assert [e.year for e in events(model, "return")] == [2028]
    assert model.world.memberships.status[r] == MEMBER
    assert model.world.memberships.joined[r] == joined  # no re-accession
    assert model.datacollector.get_model_vars_dataframe()["notices"].sum() == 0


def test_a_non_treaty_exit_is_immediate_and_not_a_withdrawal():
    model = lab("UNHRC", [ScheduledEvent(2026, "notice", "A", "UNHRC", month=6)], steps=2).run()
    [exit_] = events(model, "withdrawal")
    assert (exit_.year, exit_.month, exit_.substantive) == (2026, 6, "non_treaty")
    frame = model.datacollector.get_model_vars_dataframe()
    assert frame["notices"].sum() == 0 and frame["withdrawals"].sum() == 0 and frame["non_treaty_exits"].sum() == 1
    assert model.world.memberships.status[row(model)] == WITHDRAWN


def test_a_refused_consent_leaves_the_state_a_member():
    model = lab("WHO", [ScheduledEvent(2026, "notice", "B", "WHO", month=4)], steps=2,
                clause_changes={"kind": "consent"}, consent_probability=0.0).run()
    [answer] = events(model, "consent")
    assert answer.detail == "refused"
    assert not events(model, "notice") and not events(model, "walkout")
    assert model.world.memberships.status[row(model, "B")] == MEMBER


def test_a_granted_consent_is_a_lawful_notice():
    model = lab("WHO", [ScheduledEvent(2026, "notice", "B", "WHO", month=4)], steps=2,
                clause_changes={"kind": "consent"}, consent_probability=1.0).run()
    [notice] = events(model, "notice")
    assert notice.substantive == "consent"


def test_a_lead_states_notice_gives_co_members_exposure_one_next_year_not_this_year():
    model = lab("WTO", [ScheduledEvent(2026, "notice", "A", "WTO", month=3)], steps=3)
    ms = model.world.memberships
    others = [row(model, s) for s in "BCD"]
    model.step()  # 2026: the notice; decisions this year saw exposure 0, the next year's see 1
    np.testing.assert_allclose(ms.exposure[others], 1.0)
    assert ms.exposure[row(model, "A")] == 0.0
    model.step()  # 2027: decayed by half, nothing new
    np.testing.assert_allclose(ms.exposure[others], 0.5)


def test_a_weaker_states_notice_exposes_less():
    model = lab("WTO", [ScheduledEvent(2026, "notice", "C", "WTO", month=3)], steps=1).run()
    power = model.world.power
    expected = power[model.world.state_index("C")] / power[model.world.state_index("A")]  # w_L = P_C / P_lead
    np.testing.assert_allclose(model.world.memberships.exposure[row(model, "B")], expected)
    assert expected < 0.2


def test_followers_expected_by_chance_are_the_followers_hazard_without_exposure():
    """A, the lead state of X, gives notice in 2026. In 2027 and 2028 the rows that could follow
    it are B, C and D in X and B and D in Y (X's issue area; they were in X at the seed) — not E
    in Y (not in X at the seed), not B, C and E in Z (another area). With payoffs ignored
    (β_u = 0), no window or pretext and no threats, each row's hazard without exposure is
    p = e^{−5} / (1 + e^{−5} + e^{−30}): 5 rows × 2 years × p expected by chance."""
    scenario = Scenario.model_validate({
        "name": "chance", "start_year": 2025, "steps": 3, "organization_weight": 1,
        "states": [{"code": c, "power": p, "ideal_point": 0.0} for c, p in
                   (("A", 8.0), ("B", 2.0), ("C", 2.0), ("D", 1.0), ("E", 1.0))],
        "organizations": [{"code": "X", "issue_area": "health", "members": ["A", "B", "C", "D"]},
                          {"code": "Y", "issue_area": "health", "members": ["B", "E", "D"]},
                          {"code": "Z", "issue_area": "trade", "members": ["B", "C", "E"]}]})
    model = ExitModel(scenario, timeline=[ScheduledEvent(2026, "notice", "A", "X", month=3)],
                      parameters={"domestic_politics": False, "founding_rate": 0.0, "failure_rate": 0.0,
                                  "death_members": 0, "beta_utility": 0.0, "baseline_notice": -5.0,
                                  "baseline_threat": -30.0, "beta_window": 0.0, "beta_pretext": 0.0}).run()
    assert [(e.year, e.state) for e in model.events if e.kind in ("notice", "walkout")] == [(2026, "A")]
    [cascade] = model.cascades().to_dict("records")
    p = math.exp(-5) / (1 + math.exp(-5) + math.exp(-30))
    assert (cascade["state"], cascade["organization"], cascade["size"]) == ("A", "X", 0)
    assert cascade["expected"] == pytest.approx(10 * p, rel=1e-12)
    assert cascade["excess"] == pytest.approx(-10 * p, rel=1e-12)


def test_threats_are_answered_in_their_year():
    model = lab("WHO", [ScheduledEvent(2026, "threat", "A", "WHO")], steps=2).run()
    [threat] = events(model, "threat")
    answers = [e for e in model.events if e.kind in ("concession", "refusal")]
    assert threat.year == 2026 and [a.year for a in answers] == [2026]
    assert model.world.memberships.last_threat[row(model)] == 2026


def test_timeline_events_naming_unknown_states_or_years_are_errors():
    with pytest.raises(TimelineError, match="no state 'ZZ' in the scenario"):
        lab("WTO", [ScheduledEvent(2026, "notice", "ZZ", "WTO")])
    with pytest.raises(TimelineError, match="the run covers 2026–2029"):
        lab("WTO", [ScheduledEvent(2040, "notice", "A", "WTO")])
    with pytest.raises(TimelineError, match="needs an organization"):
        ScheduledEvent(2026, "notice", "A")


def test_notice_months_follow_the_calendar_rules():
    assert law.effective_month("end_of_year_after:1", 2026, 3) == law.month_index(2027, 12)


@pytest.mark.parametrize("rejoining", [True, False])
def test_an_inactive_member_returns_by_itself_only_when_rejoining_is_on(rejoining):
    model = lab("UN", [ScheduledEvent(2026, "notice", "C", "UN", month=9)], steps=3, rejoining=rejoining,
                rejoin_threshold=-10.0)  # membership is worth it: return as soon as allowed
    model.run()
    returned = [e.year for e in events(model, "return")]
    assert returned == ([2027] if rejoining else [])
    assert model.world.memberships.status[row(model, "C")] == (MEMBER if rejoining else INACTIVE)


def test_a_withdrawn_state_rejoins_only_with_a_window_open():
    timeline = [ScheduledEvent(2026, "notice", "B", "UNHRC", month=1),
                ScheduledEvent(2028, "government", "B", value="internationalist")]
    model = lab("UNHRC", timeline, steps=4, rejoin_threshold=-10.0, rejoining=True)
    model.run()
    assert [e.year for e in events(model, "rejoin")] == [2028]  # the scheduled turnover opened a window
    assert model.world.memberships.joined[row(model, "B")] == 2029


def test_nativist_governments_withhold_dues_only_when_the_rule_is_on():
    timeline = [ScheduledEvent(2026, "government", "B", value="nativist")]
    off = lab("WHO", timeline, steps=2).run()
    on = lab("WHO", timeline, steps=2, nativist_withholding=0.5).run()
    assert off.world.memberships.arrears.sum() == 0
    b = row(on, "B")
    assert on.world.memberships.arrears[b] > 0
    assert on.world.memberships.arrears[[row(on, s) for s in "ACD"]].sum() == 0


def test_a_lead_states_exit_seeds_a_cascade_of_its_followers():
    timeline = [ScheduledEvent(2026, "notice", "A", "WTO", month=2), ScheduledEvent(2027, "notice", "B", "WTO", month=2),
                ScheduledEvent(2028, "notice", "C", "WTO", month=2)]
    model = lab("WTO", timeline, steps=4).run()
    cascades = model.cascades()
    # B leads the WTO once A has left, so its notice is a seed too — but its follower C is
    # attributed to the earliest seed, A's.
    assert cascades[["year", "state", "organization", "size", "censored"]].to_dict("records") == [
        {"year": 2026, "state": "A", "organization": "WTO", "size": 2, "censored": False},
        {"year": 2027, "state": "B", "organization": "WTO", "size": 0, "censored": False}]


def test_alignment_starts_at_its_target_and_drifts():
    from exitsim.phases.alignment import targets

    model = ExitModel()
    hegemon, rising = targets(model.world, model.flows)
    np.testing.assert_array_equal(model.world.align_hegemon, hegemon)
    np.testing.assert_array_equal(model.world.align_rising, rising)
    assert 0 < hegemon.max() <= 1


def test_a_reservation_gives_one_state_its_own_withdrawal_terms():
    # Like the United States' 1948 WHO reservation: its own terms, here a notice that takes
    # effect at once, while the others keep WHO's 12 months.
    timeline = [ScheduledEvent(2026, "notice", "A", "WHO", month=5), ScheduledEvent(2026, "notice", "B", "WHO", month=5)]
    model = lab("WHO", timeline, steps=2,
                reservations=[{"state": "A", "clause": {"kind": "explicit", "effective": "immediate"}}]).run()
    assert {(e.state, e.year, e.month) for e in events(model, "withdrawal")} == {("A", 2026, 5), ("B", 2027, 5)}
    [a_notice] = [e for e in events(model, "notice") if e.state == "A"]
    assert a_notice.substantive == "explicit_clause"


def test_after_a_refused_consent_a_later_exit_is_a_contested_walkout():
    timeline = [ScheduledEvent(2026, "notice", "B", "WHO", month=4), ScheduledEvent(2027, "notice", "B", "WHO", month=4)]
    model = lab("WHO", timeline, steps=2, clause_changes={"kind": "consent"}, consent_probability=0.0).run()
    assert [e.detail for e in events(model, "consent")] == ["refused"]
    [walkout] = events(model, "walkout")
    assert (walkout.year, walkout.substantive) == (2027, "contested")
    assert model.world.memberships.status[row(model, "B")] == INACTIVE


def test_a_scheduled_rejoin_of_a_never_member_is_an_accession():
    scenario = Scenario.model_validate({
        "name": "accession", "start_year": 2025, "steps": 2,
        "states": [{"code": c, "power": p} for c, p in (("A", 4.0), ("B", 2.0), ("C", 1.0), ("D", 1.0))],
        "organizations": [{"code": "X", "members": ["A", "B", "C"]}],
        "timeline": [{"year": 2026, "kind": "rejoin", "state": "D", "organization": "X"}]})
    model = ExitModel(scenario, parameters=QUIET).run()
    [event] = events(model, "rejoin")
    assert event.detail == "joins from 2027"
    assert "D" in next(o for o in model.agents if getattr(o, "code", None) == "X").members


def test_a_notice_to_an_organization_the_state_is_not_in_is_an_error():
    scenario = Scenario.model_validate({
        "name": "stranger", "start_year": 2025, "steps": 2,
        "states": [{"code": c, "power": 1.0} for c in "ABCD"],
        "organizations": [{"code": "X", "members": ["A", "B", "C"]}],
        "timeline": [{"year": 2026, "kind": "notice", "state": "D", "organization": "X"}]})
    with pytest.raises(TimelineError, match="D is not a member of X"):
        ExitModel(scenario)


def test_arrears_blocking_the_effect_are_paid_out_of_power():
    timeline = [ScheduledEvent(2026, "withhold_dues", "B", "ILO", value=1.0),
                ScheduledEvent(2026, "notice", "B", "ILO", month=1)]
    paid = lab("ILO", timeline, steps=3, power_noise=0.0)
    free = lab("ILO", timeline[1:], steps=3, power_noise=0.0)
    paid.run()
    free.run()
    b = paid.world.state_index("B")
    assert paid.world.power[b] < free.world.power[b]


def test_a_performance_fall_is_a_pretext():
    from exitsim.mechanisms.decision import Candidates
    from exitsim.phases import decisions, evaluation

    model = lab("WHO", steps=3)
    model.step()
    ctx = model.context()
    year = decisions._Year(ctx, evaluation.run(ctx))
    n = len(model.flows.rows)
    everyone = Candidates(np.arange(n), model.flows.rows, np.zeros(n, bool), np.zeros(n, bool))

    def pretexts():
        return decisions._with_pretext(year, everyone).pretext

    assert not pretexts().any()
    model.world.quality_history[0, 0] = model.world.quality_history[0, 2] - 0.2  # fell by 0.2 in two years
    assert pretexts().all()
    model.world.quality_history[0, 0] = model.world.quality_history[0, 2]
    model.world.memberships.pretext_until[model.flows.rows[0]] = model.year  # a refused threat
    assert pretexts().tolist() == [True, False, False, False]


def test_the_pretext_looks_back_as_many_years_as_asked():
    # pretext_years 4: performance 0.6 four years ago, 0.45 two years ago and now: a fall of 0.15
    # over the four years is a pretext (it is none over two)
    from exitsim.mechanisms.decision import Candidates
    from exitsim.phases import decisions, evaluation

    model = lab("WHO", steps=3, pretext_years=4)
    assert model.world.quality_history.shape[1] == 5 and model.world.leader_history.shape[1] == 5
    model.step()
    model.world.quality_history[0, :] = [0.45, 0.5, 0.45, 0.5, 0.6]
    ctx = model.context()
    n = len(model.flows.rows)
    everyone = Candidates(np.arange(n), model.flows.rows, np.zeros(n, bool), np.zeros(n, bool))
    assert decisions._with_pretext(decisions._Year(ctx, evaluation.run(ctx)), everyone).pretext.all()
    short = lab("WHO", steps=3, pretext_years=2)
    short.step()
    short.world.quality_history[0, :] = [0.45, 0.5, 0.45]
    ctx = short.context()
    assert not decisions._with_pretext(decisions._Year(ctx, evaluation.run(ctx)), everyone).pretext.any()


def test_a_turnover_between_internationalists_does_not_rescind_a_notice():
    timeline = [ScheduledEvent(2026, "notice", "B", "WHO", month=2),
                ScheduledEvent(2027, "government", "B", value="internationalist")]  # it already was
    model = lab("WHO", timeline, steps=3).run()
    assert not events(model, "rescission")
    assert [(e.year, e.month) for e in events(model, "withdrawal")] == [(2027, 2)]


def test_only_states_that_leave_soothe_their_nativists():
    timeline = [ScheduledEvent(2026, "government", "B", value="nativist"),
                ScheduledEvent(2026, "government", "C", value="nativist"),
                ScheduledEvent(2026, "notice", "B", "WHO", month=2)]
    model = lab("WHO", timeline, steps=1, clause_changes={"kind": "consent"}, consent_probability=0.0,
                nativism_noise=0.0)
    before = model.world.nativism.copy()
    model.run()  # B's request for consent is refused: it did not leave, so nothing is soothed
    np.testing.assert_array_equal(model.world.nativism, before)
    left = lab("WHO", timeline, steps=1)
    before = left.world.nativism.copy()
    left.run()
    b, c = left.world.state_index("B"), left.world.state_index("C")
    assert left.world.nativism[b] == pytest.approx(before[b] - left.params.nativist_relief)
    assert left.world.nativism[c] == before[c]


def test_a_surviving_debt_is_paid_on_rejoining():
    timeline = [ScheduledEvent(2026, "withhold_dues", "B", "UNESCO", value=1.0),
                ScheduledEvent(2026, "notice", "B", "UNESCO", month=1),
                ScheduledEvent(2029, "rejoin", "B", "UNESCO")]
    model = lab("UNESCO", timeline, steps=4, power_noise=0.0)  # UNESCO: obligations survive the exit
    for _ in range(3):
        model.step()
    r = row(model, "B")
    debt = model.world.memberships.arrears[r]
    assert model.world.memberships.status[r] == WITHDRAWN and debt > 0
    model.step()  # 2029: the scheduled rejoin pays the debt first
    assert model.world.memberships.arrears[r] == 0 and model.world.memberships.status[r] == MEMBER


@pytest.mark.parametrize("busy", [
    {"baseline_notice": -4.0, "baseline_threat": -4.0},  # many choices, to exercise the bounds
    {"baseline_notice": -6.0, "baseline_threat": -3.0, "temperature": 2.0, "beta_nativism": 2.0},
    {"baseline_notice": -3.0, "baseline_threat": -8.0, "payoff_clip": 1.0, "beta_contagion": 8.0},
])
def test_the_stay_shortcuts_change_no_choice(monkeypatch, busy):
    import pandas as pd

    from exitsim.phases import decisions

    fast = ExitModel(seed=3, steps=15, parameters=busy).run()
    monkeypatch.setattr(decisions, "_may_choose", decisions._with_pretext)  # every candidate goes through the law
    full = ExitModel(seed=3, steps=15, parameters=busy).run()
    assert fast.datacollector.get_model_vars_dataframe()["notices"].sum() > 20
    pd.testing.assert_frame_equal(fast.events.to_frame(), full.events.to_frame())
    pd.testing.assert_frame_equal(fast.datacollector.get_model_vars_dataframe(),
                                  full.datacollector.get_model_vars_dataframe())


def test_the_reasons_to_leave_of_some_rows_are_theirs_and_add_up_to_minus_utility():
    from exitsim.phases import evaluation

    model = ExitModel(seed=2, steps=3).run()
    value = evaluation.run(model.context())
    positions = np.array([0, 7, 3, len(value.utility) - 1])
    some, every = value.terms_at(positions), value.terms
    for name, term in some.items():
        np.testing.assert_array_equal(term, every[name][positions])
    np.testing.assert_allclose(sum(every.values()), -value.utility, rtol=1e-12, atol=1e-12)
