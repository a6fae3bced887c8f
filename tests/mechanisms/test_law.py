"""Law and the calendar (MODEL.md §4.7) on the real clauses of ``withdrawal_clauses.csv``."""

from dataclasses import replace

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from exitsim.clauses import CLAUSE_KINDS, EFFECTIVE_RULES, TENURE_BASES, Clause, load_templates
from exitsim.mechanisms import law
from exitsim.world import INACTIVE, MEMBER, NOTICE, WITHDRAWN

TEMPLATES = {t.abbreviation: t for t in load_templates()}


def clause(abbreviation: str) -> Clause:
    return TEMPLATES[abbreviation].clause


def effect(abbreviation: str, year: int, month: int, **kwargs) -> tuple[int, int]:
    """(year, month) in which a notice to the real organization takes effect."""
    return law.split_month_index(law.effective_month(clause(abbreviation).effective, year, month,
                                                     **kwargs))


# --- codes ------------------------------------------------------------------------------------
def test_codes_follow_the_grammar_of_clauses_module():
    assert law.RULE_NAMES == tuple(EFFECTIVE_RULES)
    assert law.KIND_NAMES == CLAUSE_KINDS
    assert law.KIND_NAMES[law.NO_RIGHT] == "none"
    assert law.TENURE_BASIS_NAMES == TENURE_BASES
    assert law.TENURE_BASIS_NAMES[law.PARTY_IN_FORCE] == "party_in_force"


def test_month_index_round_trips():
    assert law.month_index(2019, 6) - law.month_index(2018, 12) == 6
    assert law.split_month_index(law.month_index(2025, 1)) == (2025, 1)
    indices = law.month_index(np.array([1949, 2018]), np.array([4, 12]))
    years, months = law.split_month_index(indices)
    np.testing.assert_array_equal(years, [1949, 2018])
    np.testing.assert_array_equal(months, [4, 12])


def test_notice_month_is_uniform_over_the_twelve_months():
    months = law.notice_month(np.array([0.0, 0.0833, 0.5, 0.99999]))
    np.testing.assert_array_equal(months, [1, 1, 7, 12])


# --- effective rules on the real clauses ------------------------------------------------------
def test_unesco_notice_in_march_takes_effect_in_december_of_the_next_year():
    assert clause("UNESCO").effective == "end_of_year_after:1"
    assert effect("UNESCO", 2017, 3) == (2018, 12)
    assert effect("UNESCO", 2017, 10) == (2018, 12)  # the US notice of October 2017


def test_wto_notice_takes_effect_after_six_months():
    assert effect("WTO", 2025, 10) == (2026, 4)


def test_ilo_notice_takes_effect_after_two_years():
    assert effect("ILO", 1975, 11) == (1977, 11)  # the US notice of November 1975


def test_iwc_december_notice_takes_effect_in_june_of_the_next_year():
    assert clause("IWC").effective == "cutoff:1:6"
    assert effect("IWC", 2018, 12) == (2019, 6)  # Japan
    assert effect("IWC", 2019, 1) == (2020, 6)  # a January notice is after 1 January


def test_council_of_europe_fiscal_year_end_depends_on_the_notice_month():
    assert clause("CoE").effective == "fiscal_year_end:9"
    assert effect("CoE", 1969, 9) == (1969, 12)
    assert effect("CoE", 1969, 10) == (1970, 12)
    assert effect("CoE", 1969, 12) == (1970, 12)  # Greece, December 1969


def test_eu_notice_takes_effect_after_two_years_or_on_the_negotiated_date():
    assert clause("EU").effective == "negotiated_or_months:24"
    assert effect("EU", 2017, 3) == (2019, 3)
    assert effect("EU", 2017, 3, negotiated=law.month_index(2020, 1)) == (2020, 1)  # Brexit


def test_imf_notice_takes_effect_on_receipt():
    assert effect("IMF", 1950, 3) == (1950, 3)


def test_unhrc_exit_is_immediate_and_not_counted_as_a_withdrawal():
    unhrc = clause("UNHRC")
    assert effect("UNHRC", 2018, 6) == (2018, 6)
    route = law.lawful_route(unhrc.kind, tenure_ok=True)
    assert route.outcome_name == "immediate_exit"
    assert route.substantive_name == "non_treaty"
    assert route.procedural_name == "followed"
    assert route.counts_as_withdrawal is False
    assert route.status == WITHDRAWN
    assert route.immediate is True
    assert not law.contested_or_violated(route.substantive, route.procedural)


def test_vectorized_effective_months_match_one_by_one_on_all_real_clauses():
    rows = law.clause_arrays([t.clause for t in TEMPLATES.values()])
    notice = law.month_index(2018, np.arange(1, 13))[:, None]
    got = law.effective_months(rows.rule[None, :], rows.arg1[None, :], rows.arg2[None, :], notice)
    for j, t in enumerate(TEMPLATES.values()):
        for m in range(1, 13):
            assert got[m - 1, j] == law.effective_month(t.clause.effective, 2018, m), t.abbreviation


def test_clause_arrays_read_world_clause_dicts():
    rows = law.clause_arrays([clause("UNESCO").to_dict(), clause("NATO").to_dict()])
    np.testing.assert_array_equal(rows.rule, [law.END_OF_YEAR_AFTER, law.MONTHS_AFTER])
    np.testing.assert_array_equal(rows.arg1, [1, 12])
    np.testing.assert_array_equal(rows.min_tenure_years, [0, 20])
    np.testing.assert_array_equal(rows.tenure_basis, [law.ACCESSION, law.TREATY_IN_FORCE])
    np.testing.assert_array_equal(rows.obligations_survive, [True, False])


def test_unknown_rule_codes_are_rejected():
    with pytest.raises(ValueError, match="unknown effective rule code"):
        law.effective_months(np.array([9]), 0, 0, law.month_index(2000, 1))


# --- tenure and lawful routes -----------------------------------------------------------------
def test_nato_notice_before_twenty_years_in_force_is_a_violated_walkout():
    nato, founded = clause("NATO"), TEMPLATES["NATO"].founded
    assert (nato.min_tenure_years, nato.tenure_basis, founded) == (20, "treaty_in_force", 1949)
    tenure_ok = law.tenure_satisfied(nato.min_tenure_years, nato.tenure_basis, law.month_index(1960, 5),
                                     law.month_index(founded, 8), law.month_index(1955, 5))
    assert tenure_ok is False
    route = law.lawful_route(nato.kind, tenure_ok)
    assert route.outcome_name == "walkout"
    assert route.immediate is True
    assert route.substantive_name == "explicit_clause"
    assert route.procedural_name == "violated"
    assert route.counts_as_withdrawal is False
    assert route.status == WITHDRAWN
    assert law.contested_or_violated(route.substantive, route.procedural)


def test_nato_notice_after_twenty_years_in_force_is_lawful_and_takes_a_year():
    nato, founded = clause("NATO"), TEMPLATES["NATO"].founded
    tenure_ok = law.tenure_satisfied(nato.min_tenure_years, nato.tenure_basis, law.month_index(1975, 4),
                                     law.month_index(founded, 8), law.month_index(1955, 5))
    route = law.lawful_route(nato.kind, tenure_ok)
    assert route.outcome_name == "notice"
    assert (route.substantive_name, route.procedural_name) == ("explicit_clause", "followed")
    assert route.counts_as_withdrawal is True
    assert route.status == NOTICE
    assert effect("NATO", 1975, 4) == (1976, 4)
    assert not law.contested_or_violated(route.substantive, route.procedural)


def test_paris_tenure_runs_from_entry_into_force_for_the_party():
    paris = clause("Paris")
    assert paris.tenure_basis == "party_in_force"
    args = (paris.min_tenure_years, paris.tenure_basis)
    founded, us = law.month_index(2016, 11), law.month_index(2016, 11)  # in force 4 November 2016
    assert law.tenure_satisfied(*args, law.month_index(2018, 12), founded, us) is False
    assert law.tenure_satisfied(*args, law.month_index(2019, 11), founded, us) is True
    # a later party waits for its own three years, though the treaty is older
    assert law.tenure_satisfied(*args, law.month_index(2019, 11), founded, law.month_index(2017, 1)) is False
    assert law.lawful_route(paris.kind, False).procedural_name == "violated"
    assert law.lawful_route(paris.kind, True).outcome_name == "notice"


def test_three_years_from_november_2016_end_in_november_2019_not_before():
    args = (3, "party_in_force", law.month_index(2016, 11))
    assert law.first_lawful_month(*args, law.month_index(2016, 11)) == law.month_index(2019, 11)
    assert law.tenure_satisfied(3, "party_in_force", law.month_index(2019, 10), *args[2:],
                                law.month_index(2016, 11)) is False
    assert law.tenure_satisfied(3, "party_in_force", law.month_index(2019, 11), *args[2:],
                                law.month_index(2016, 11)) is True
    # Russia, a party from October 2019: three years end in October 2022
    assert law.first_lawful_month(3, "party_in_force", law.month_index(2016, 11),
                                  law.month_index(2019, 10)) == law.month_index(2022, 10)


def test_fao_tenure_runs_from_accession_not_founding():
    fao = clause("FAO")
    args = (fao.min_tenure_years, fao.tenure_basis)
    notices = law.month_index(np.array([2004, 2004]), np.array([5, 6]))
    ok = law.tenure_satisfied(*args, notices, law.month_index(TEMPLATES["FAO"].founded, 10), law.month_index(2000, 6))
    np.testing.assert_array_equal(ok, [False, True])


def test_tenure_is_vectorized_over_bases():
    ok = law.tenure_satisfied(np.array([20, 3, 4]), np.array(["treaty_in_force", "party_in_force",
                                                              "accession"]),
                              law.month_index(1970, 1), np.full(3, law.month_index(1949, 1)),
                              np.full(3, law.month_index(1968, 1)))
    np.testing.assert_array_equal(ok, [True, False, False])


def test_un_exit_is_contested_leaves_the_state_inactive_and_is_not_a_lawful_withdrawal():
    un = clause("UN")
    assert un.kind == "none"
    route = law.lawful_route(un.kind, tenure_ok=True)
    assert route.outcome_name == "walkout"
    assert route.substantive_name == "contested"
    assert route.procedural_name == ""
    assert route.status == INACTIVE
    assert route.counts_as_withdrawal is False
    assert law.contested_or_violated(route.substantive, route.procedural)


def test_who_implied_right_gives_a_lawful_notice_of_twelve_months():
    who = clause("WHO")
    route = law.lawful_route(who.kind, tenure_ok=True)
    assert (route.outcome_name, route.substantive_name) == ("notice", "implied_right")
    assert effect("WHO", 2025, 1) == (2026, 1)  # Argentina


def test_refused_consent_leaves_the_state_a_member():
    # No real row has a consent clause; the clause is the WHO row with kind changed (VCLT 54(b)).
    consent_clause = replace(clause("WHO"), kind="consent")
    asked = law.lawful_route(consent_clause.kind, tenure_ok=True)
    assert asked.outcome_name == "needs_consent"
    assert asked.status == MEMBER
    granted = law.consent_granted(np.array([0.2, 0.7]), consent_probability=0.5)
    np.testing.assert_array_equal(granted, [True, False])
    routes = law.lawful_route(np.array([consent_clause.kind] * 2), True, consent=granted)
    np.testing.assert_array_equal(routes.outcome_name, ["notice", "consent_refused"])
    np.testing.assert_array_equal(routes.substantive_name, ["consent", ""])
    np.testing.assert_array_equal(routes.status, [NOTICE, MEMBER])
    np.testing.assert_array_equal(routes.counts_as_withdrawal, [True, False])
    # walking out after the refusal is contested
    later = law.walkout(consent_clause.kind)
    assert (later.substantive_name, later.status) == ("contested", INACTIVE)


def test_lawful_route_is_vectorized_over_the_real_clauses():
    kinds = [clause(a).kind for a in ("UNESCO", "WHO", "UN", "UNHRC", "NATO")]
    route = law.lawful_route(np.array(kinds), np.array([True, True, True, True, False]))
    np.testing.assert_array_equal(route.outcome_name,
                                  ["notice", "notice", "walkout", "immediate_exit", "walkout"])
    np.testing.assert_array_equal(route.status, [NOTICE, NOTICE, INACTIVE, WITHDRAWN, WITHDRAWN])
    np.testing.assert_array_equal(law.contested_or_violated(route.substantive, route.procedural),
                                  [False, False, True, False, True])


# --- Feinberg's amendment right ---------------------------------------------------------------
def test_amendment_right_goes_to_members_hurt_by_at_least_half_a_year_or_pushed_below_zero():
    before = np.array([1.0, 1.0, 0.2, -1.0, 1.0])
    after = np.array([0.4, 0.6, -0.1, -1.2, 0.0])
    rose = np.array([True, True, True, True, False])
    mask, expires = law.amendment_right(before, after, 2030, rose, amendment_drop=0.5, amendment_right_years=2)
    np.testing.assert_array_equal(mask, [True, False, True, False, False])
    np.testing.assert_array_equal(expires, [2032, law.NO_DATE, 2032, law.NO_DATE, law.NO_DATE])
    np.testing.assert_array_equal(law.amendment_right_open(expires[0], [2030, 2031, 2032]),
                                  [True, True, False])


def test_amendment_right_opens_a_lawful_implied_exit_from_the_un():
    route = law.lawful_route(clause("UN").kind, tenure_ok=True, amendment_right=True)
    assert (route.outcome_name, route.substantive_name) == ("notice", "implied_right")
    assert route.by_amendment is True
    assert law.effective_month(law.IMPLIED_RULE, 2030, 5) == law.month_index(2031, 5)
    # the amendment right also opens NATO during its minimum tenure
    nato = law.lawful_route(clause("NATO").kind, tenure_ok=False, amendment_right=True)
    assert (nato.outcome_name, nato.procedural_name) == ("notice", "followed")


# --- effect preconditions and survivals -------------------------------------------------------
def test_ilo_arrears_are_paid_before_the_exit_takes_effect():
    arrears = np.array([3.5, 0.0])
    np.testing.assert_array_equal(law.can_take_effect(arrears, clause("ILO").arrears_block_effect),
                                  arrears)
    assert law.can_take_effect(3.5, clause("WTO").arrears_block_effect) == 0.0


def test_unesco_obligations_survive_and_block_rejoining():
    debt = law.surviving_debt(2.0, clause("UNESCO").obligations_survive)
    assert debt == 2.0
    assert law.may_rejoin(debt) is False
    assert law.may_rejoin(law.surviving_debt(2.0, clause("WTO").obligations_survive)) is True


def test_who_notices_are_revocable_and_rescinded_when_the_government_turns():
    who = clause("WHO")
    assert who.revocable
    # government turns internationalist; ũ turns positive; a concession; nothing changes
    got = law.rescinded(who.revocable, np.array([True, False, False, False]),
                        np.array([-1.0, 0.5, -1.0, -1.0]), np.array([False, False, True, False]))
    np.testing.assert_array_equal(got, [True, True, True, False])
    irrevocable = replace(who, revocable=False)
    assert law.rescinded(irrevocable.revocable, True, 1.0, True) is False


def test_contested_or_violated_flags_walkouts_only():
    substantive = ["contested", "explicit_clause", "implied_right", "non_treaty"]
    flags = law.contested_or_violated(substantive, ["", "violated", "followed", "followed"])
    np.testing.assert_array_equal(flags, [True, True, False, False])


def test_maturation_happens_in_the_year_that_contains_the_effective_date():
    effective = law.effective_month(clause("UNESCO").effective, 2017, 10)
    assert law.years_until_effect(effective, 2017) == 1
    np.testing.assert_array_equal(law.matures(effective, np.array([2017, 2018, 2019])),
                                  [False, True, True])


# --- properties over the whole grammar --------------------------------------------------------
def rules():
    months = st.integers(1, 12)
    return st.one_of(
        st.just("immediate"),
        st.builds("months_after:{}".format, st.integers(0, 36)),
        st.builds("end_of_year_after:{}".format, st.integers(0, 2)),
        st.builds("cutoff:{}:{}".format, months, months),
        st.builds("fiscal_year_end:{}".format, months),
        st.builds("negotiated_or_months:{}".format, st.integers(0, 36)),
        st.sampled_from(sorted({t.clause.effective for t in TEMPLATES.values()})),
    )


@given(rule=rules(), year=st.integers(1800, 2200))
def test_effect_never_precedes_the_notice_and_reaches_exactly_the_rule_bound(rule, year):
    code, a1, a2 = law.encode_rule(rule)
    notices = law.month_index(year, np.arange(1, 13))
    effects = law.effective_months(code, a1, a2, notices)
    delays = effects - notices
    assert delays.min() >= 0
    assert delays.max() == law.max_delay_months(rule)
    assert np.all(np.diff(effects) >= 0)  # a later notice never takes effect earlier
    assert [law.effective_month(rule, year, m) for m in range(1, 13)] == effects.tolist()


@given(rule=st.sampled_from(sorted({t.clause.effective for t in TEMPLATES.values()})),
       year=st.integers(1874, 2100), month=st.integers(1, 12))
def test_real_clauses_take_effect_within_three_years_of_notice(rule, year, month):
    delay = law.effective_month(rule, year, month) - law.month_index(year, month)
    assert 0 <= delay <= law.max_delay_months(rule) <= 24 + 12


@given(year=st.integers(1990, 2100), month=st.integers(1, 12),
       negotiated=st.integers(-1, 3000 * 12))
def test_a_negotiated_date_never_precedes_the_notice(year, month, negotiated):
    delay = (law.effective_month(clause("EU").effective, year, month, negotiated=negotiated)
             - law.month_index(year, month))
    assert delay >= 0
    if negotiated < 0:
        assert delay == 24


def _effect_by_hand(rule: str, year: int, month: int, negotiated: int) -> tuple[int, int]:
    """(year, month) of the effect, read off the rules' text one case at a time."""
    name, _, rest = rule.partition(":")
    args = [int(a) for a in rest.split(":")] if rest else []
    if name == "immediate":
        return year, month
    if name == "months_after" or (name == "negotiated_or_months" and negotiated < 0):
        total = 12 * year + month - 1 + args[0]
        return total // 12, total % 12 + 1
    if name == "negotiated_or_months":
        total = max(negotiated, 12 * year + month - 1)
        return total // 12, total % 12 + 1
    if name == "end_of_year_after":
        return year + args[0], 12
    if name == "cutoff":
        first, effect_month = args
        cutoff_year = year if month < first else year + 1  # the first 1st of month `first` on or after
        return cutoff_year + (1 if effect_month < first else 0), effect_month
    assert name == "fiscal_year_end"
    return (year if month <= args[0] else year + 1), 12


@given(st.lists(st.tuples(rules(), st.integers(1900, 2100), st.integers(1, 12), st.integers(-1, 2200 * 12)),
                min_size=1, max_size=30))
def test_one_call_on_mixed_rules_matches_each_rule_by_hand(notices):
    codes = np.array([law.encode_rule(rule) for rule, *_ in notices]).reshape(-1, 3)
    months = np.array([law.month_index(year, month) for _, year, month, _ in notices])
    negotiated = np.array([n for *_, n in notices])
    got = law.effective_months(codes[:, 0], codes[:, 1], codes[:, 2], months, negotiated)
    expected = [law.month_index(*_effect_by_hand(rule, year, month, n)) for rule, year, month, n in notices]
    assert got.tolist() == expected
