"""The plain-language reading says what fixture numbers say, both ways: a paired interval that
spans zero reads "no clear difference", one that excludes it reads higher or lower, with its size."""

import math

import numpy as np
import pandas as pd
import pytest

from exitsim.comparison.outcomes import outcome
from exitsim.comparison.reading import answer, brief, is_clear, pair_paragraph, reading, scale, verdict
from exitsim.comparison.statistics import DIFFERENCE_COLUMNS, pair_label


def difference(hegemon: str, name: str, d: float, low: float, high: float, rising: str = "passive",
               baseline: float = 1.0, pairs: int = 30) -> dict:
    return {"pair": pair_label(hegemon, rising), "hegemon_strategy": hegemon, "rising_strategy": rising,
            "outcome": name, "pairs": pairs, "baseline": baseline, "difference": d, "low": low, "high": high,
            "relative": d / abs(baseline)}


def table(*rows: dict) -> pd.DataFrame:
    return pd.DataFrame(list(rows), columns=DIFFERENCE_COLUMNS)


def test_an_interval_that_spans_zero_is_no_clear_difference():
    row = table(difference("exit_diplomacy", "hegemon_rising_ratio", 0.004, -0.001, 0.009, baseline=0.5)).iloc[0]
    assert verdict(row) == ("no clear difference in the hegemon/rising power ratio P_H/P_R "
                            "(+0.004 [−0.001, +0.009], +0.8%)")


def test_an_interval_above_zero_is_higher_with_its_size():
    row = table(difference("exit_diplomacy", "hegemon_rising_ratio", 0.004, 0.002, 0.006, baseline=0.5)).iloc[0]
    assert verdict(row) == "the hegemon/rising power ratio P_H/P_R is higher (+0.004 [+0.002, +0.006], +0.8%)"


def test_an_interval_below_zero_is_lower_and_shares_are_in_points():
    row = table(difference("inclusive", "hegemon_leadership_share", -0.25, -0.27, -0.23, baseline=0.38)).iloc[0]
    assert verdict(row) == "the hegemon's leadership share is lower (−25 points [−27, −23])"


def test_a_year_is_later_or_earlier():
    later = table(difference("exclusive", "transition_year", 0.5, 0.1, 0.9, baseline=2056)).iloc[0]
    earlier = table(difference("exclusive", "transition_year", -0.5, -0.9, -0.1, baseline=2056)).iloc[0]
    assert verdict(later).startswith("the transition year is later (+0.5 years [+0.1, +0.9]")
    assert verdict(earlier).startswith("the transition year is earlier (−0.5 years [−0.9, −0.1]")


@pytest.mark.parametrize(("low", "high", "clear"), [(0.0, 0.2, False), (-0.2, 0.0, False), (1e-9, 0.2, True),
                                                    (math.nan, math.nan, False), (-0.3, -1e-9, True)])
def test_an_interval_touching_zero_is_not_clear(low, high, clear):
    assert is_clear(low, high) is clear


def test_the_answer_names_the_strategies_on_each_side_and_those_in_between():
    choice = table(difference("exit_diplomacy", "hegemon_rising_ratio", 0.009, 0.008, 0.010, baseline=0.55),
                   difference("inclusive", "hegemon_rising_ratio", -0.003, -0.005, -0.001, baseline=0.55),
                   difference("exclusive", "hegemon_rising_ratio", 0.001, -0.002, 0.004, baseline=0.55))
    text = answer(choice, "hegemon_rising_ratio", "Relative power")
    assert text.startswith("**Relative power.** Against a passive rising power, the hegemon/rising power ratio "
                           "P_H/P_R is clearly higher with exit diplomacy (+0.009 [+0.008, +0.01], +1.6%); clearly "
                           "lower with inclusive (−0.003 [−0.005, −0.001], −0.55%); not clearly different with "
                           "exclusive (+0.001 [−0.002, +0.004], +0.18%) than under the status quo.")


def test_when_every_interval_spans_zero_the_answer_says_no_strategy_makes_a_clear_difference():
    choice = table(*(difference(h, "public_goods", d, d - 0.5, d + 0.5, baseline=28.0)
                     for h, d in (("exit_diplomacy", 0.2), ("inclusive", -0.1), ("exclusive", 0.3))))
    text = answer(choice, "public_goods", "Cost in public goods")
    assert "no strategy of the hegemon makes a clear difference to the output of public goods" in text
    assert "every paired interval spans zero" in text and "clearly" not in text


def test_the_largest_of_several_clear_rises_is_named_with_its_overlap():
    choice = table(difference("exit_diplomacy", "public_goods", 1.0, 0.8, 1.2),
                   difference("inclusive", "public_goods", 0.9, 0.7, 1.1),
                   difference("exclusive", "public_goods", 9.0, 8.0, 10.0))
    assert "The largest rise is exclusive's." in answer(choice, "public_goods", "Cost")
    choice.loc[2, ["difference", "low", "high"]] = [1.1, 0.9, 1.3]
    assert "The largest rise is exclusive's, though its interval overlaps exit diplomacy's and inclusive's." in answer(
        choice, "public_goods", "Cost")


def test_each_response_of_the_rising_power_gets_its_sentence():
    choice = table(difference("exclusive", "hegemon_rising_ratio", 0.004, 0.001, 0.007),
                   difference("exclusive", "hegemon_rising_ratio", 0.004, -0.001, 0.009, rising="counter_institutions"))
    text = answer(choice, "hegemon_rising_ratio", "Relative power")
    assert "Against a passive rising power, the hegemon/rising power ratio P_H/P_R is clearly higher" in text
    assert ("Against a rising power that plays counter-institutions, no strategy of the hegemon makes a clear "
            "difference") in text


def test_a_pairs_paragraph_lists_clear_differences_then_the_rest():
    rows = table(difference("exit_diplomacy", "hegemon_rising_ratio", 0.009, 0.008, 0.010, baseline=0.55),
                 difference("exit_diplomacy", "polycentricity", 0.02, -0.02, 0.06, baseline=3.3),
                 difference("exit_diplomacy", "withdrawals_total", 6.9, 5.8, 8.0, baseline=10.7))
    text = pair_paragraph(rows)
    assert text.startswith("**exit diplomacy against passive** (30 paired runs): the hegemon/rising power ratio "
                           "P_H/P_R is higher (")
    assert "; the number of withdrawals is higher (+6.9 [+5.8, +8]" in text
    assert text.endswith("No clear difference in polycentricity (+0.02 [−0.02, +0.06]).")


def test_a_pair_with_nothing_clear_says_so():
    rows = table(difference("status_quo", "hegemon_rising_ratio", 0.0, 0.0, 0.0, rising="gap_filling"),
                 difference("status_quo", "hierarchy", 0.01, -0.01, 0.03, rising="gap_filling"))
    assert pair_paragraph(rows) == ("**status quo against gap filling** (30 paired runs): no clear difference from the "
                                    "baseline in any of the hegemon/rising power ratio P_H/P_R or hierarchy.")


def test_the_scale_paragraph_turns_log_parts_into_factors():
    parts = pd.DataFrame({"pair": "status_quo / passive", "outcome": ["ratio_from_growth", "ratio_from_institutions",
                                                                      "ratio_from_noise"],
                          "mean": [np.log(0.25), np.log(0.97), 0.0]})
    effects = table(difference("exit_diplomacy", "ratio_from_institutions", np.log(1.02), 0.01, 0.03),
                    difference("inclusive", "ratio_from_institutions", np.log(0.995), -0.02, 0.01))
    text = scale(parts, effects, 50)
    assert "the growth rates alone multiply the hegemon/rising power ratio by ×0.25, the institutional flows by ×0.97" \
           " and luck by ×1" in text
    assert "between ×0.995 (inclusive against passive) and ×1.02 (exit diplomacy against passive); 1 of these 2" in text


def test_the_reading_puts_the_answers_before_the_pairs():
    differences = table(difference("exit_diplomacy", "hegemon_rising_ratio", 0.009, 0.008, 0.010),
                        difference("exit_diplomacy", "hegemon_leadership_share", 0.001, -0.002, 0.004))
    paragraphs = reading(differences)
    assert paragraphs[1].startswith("**Relative power.**") and paragraphs[2].startswith("**Institutional leadership.**")
    assert "no strategy of the hegemon makes a clear difference to the hegemon's leadership share" in paragraphs[2]
    assert paragraphs[-1].startswith("**exit diplomacy against passive**")


def test_units_write_levels_and_changes_as_the_reading_does():
    assert outcome("budget_share_hegemon").value(0.2312) == "23.1%"
    assert outcome("budget_share_hegemon").change(-0.0131) == "−1.3 points"
    assert outcome("hegemon_rising_ratio").change(0.0000348) == "+0.0000348"
    assert outcome("polycentricity").change(0.0) == "0"
    # an interval's low end below zero is written with the minus sign every other cell uses
    assert [outcome(c).value(v) for c, v in (("withdrawals_total", -5.3125), ("shortfall_share", -0.0042),
                                             ("transition_year", -1.25), ("withdrawals_total", 24.64))] == \
        ["−5.31", "−0.4%", "−1.2", "24.64"]


def test_the_brief_gives_each_strategy_its_difference_or_no_clear_difference():
    choice = table(difference("exit_diplomacy", "hegemon_rising_ratio", 0.009, 0.008, 0.010, baseline=0.5),
                   difference("exclusive", "hegemon_rising_ratio", 0.001, -0.002, 0.004, baseline=0.5),
                   difference("exclusive", "hegemon_leadership_share", 0.1, 0.09, 0.11, baseline=0.38),
                   difference("exclusive", "hegemon_rising_ratio", 0.02, 0.01, 0.03, rising="gap_filling"))
    assert brief(choice) == [
        "**Relative power** (the hegemon/rising power ratio P_H/P_R, against the status quo): exit diplomacy +1.8%; "
        "exclusive no clear difference (+0.2%).",
        "**Institutional leadership** (the hegemon's leadership share, against the status quo): exclusive +10 points."]
