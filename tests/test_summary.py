"""summary.md says what it means: which year a figure is from, no transition at a level start,
counted nouns, and the withdrawal rate of the model's own notices beside the real one."""

import pandas as pd
import pytest

from exitsim import ExitModel
from exitsim.outputs import counted, summary_text, transition_year


def _series(ratios):
    return pd.DataFrame({"year": range(2025, 2025 + len(ratios)), "hegemon_rising_ratio": ratios})


@pytest.mark.parametrize("ratios, year", [
    ([2.5, 1.4, 1.0, 0.8], 2027),   # reaches the hegemon in 2027
    ([2.5, 1.4, 1.1], None),        # never
    ([1.0, 0.9, 1.2, 0.8], None),   # level at the start: nothing to date
    ([0.8, 1.2, 0.9], None),        # ahead at the start
])
def test_a_transition_is_dated_only_when_the_rising_power_starts_behind(ratios, year):
    assert transition_year(_series(ratios)) == year


def test_counted_nouns():
    assert [counted(1, "notice"), counted(2, "notice"), counted(0, "walk-out"),
            counted(1, "rejoin or return", "rejoins or returns")] == ["1 notice", "2 notices", "0 walk-outs",
                                                                       "1 rejoin or return"]


def _summary(model: ExitModel) -> str:
    frame = model.datacollector.get_model_vars_dataframe()
    return summary_text(model, frame, model.events.to_frame(), model.cascades())


def test_a_level_start_is_no_transition():
    summary = _summary(ExitModel("scenarios/bipolar.yaml", steps=5).run())
    assert "1.00 in 2025" in summary and "the two start level, so there is no transition to date" in summary
    assert "overtook" not in summary


def test_the_classroom_rate_is_the_model_s_own_and_every_figure_has_its_year():
    model = ExitModel("scenarios/classroom.yaml", steps=6, seed=7).run()  # 2017–2022: the US exits
    frame = model.datacollector.get_model_vars_dataframe()
    summary = _summary(model)
    assert frame["notices_scheduled"].sum() == 3  # UNESCO 2017, Paris 2019, WHO 2020
    own = (frame["notices"].sum() - 3) / frame["at_risk"].sum()
    assert f"3 scheduled by the timeline; the model's own {frame['notices'].sum() - 3}: {own:.5f} per" in summary
    assert "of its power in 2016 and" in summary and "in 2022." in summary  # the dues' years
    assert "from institutions in 2016," in summary
    non_treaty = frame["non_treaty_exits"].sum()
    assert non_treaty == 1 and "and 1 exit from a non-treaty body" in summary  # UNHRC 2018
    assert "withdrawals (1 from a non-treaty body)" in summary
    assert " 1 notices" not in summary and " 1 walk-outs" not in summary and " 1 followers" not in summary


def test_the_contagion_line_names_a_largest_cascade_only_when_one_was_followed():
    from exitsim.outputs import _cascade_line

    none_followed = pd.DataFrame({"year": [2030, 2031], "state": ["USA", "GBR"], "organization": ["O1", "O2"],
                                  "size": [0, 0], "expected": [0.25, 0.5]})
    assert _cascade_line(none_followed) == (
        "* Contagion: 2 exits by a lead state or the hegemon, followed within two years by 0 others where 0.8 would "
        "have left by chance (the same members' hazard without contagion): -0.8 beyond chance.")
    followed = none_followed.assign(size=[0, 3])
    assert _cascade_line(followed).endswith(
        "+2.2 beyond chance; the largest cascade followed GBR's exit from O2 in 2031 (3 followers, 0.5 by chance).")
