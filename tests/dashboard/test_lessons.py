"""The lesson plan of docs/dashboard.md, step by step on the dashboard's own session: what the
docs say the class will see is what the model does (each claim here is one of the docs')."""

from pathlib import Path

import pytest

from exitsim.dashboard.inspector import memberships_of
from exitsim.dashboard.session import Session

SCENARIOS = Path(__file__).resolve().parents[2] / "scenarios"


def _lesson_one(settings: dict) -> list:
    session = Session(SCENARIOS, "default")
    for name, value in settings.items():
        session.set_parameter(name, value)
    session.reset()
    for _ in range(3):
        session.step()
    assert session.model.year == 2028
    session.intervene("notice", "S42", "O11")
    for _ in range(4):
        session.step()
    return [e for e in session.model.events if e.kind == "notice" and e.year > 2029 - 1]


def test_lesson_one_a_leaders_exit_and_its_contagion():
    calibrated = _lesson_one({})
    assert [(e.state, e.organization) for e in calibrated] == [("S42", "O11")]  # almost nobody follows
    strong = _lesson_one({"nativist_cost": 3.0, "beta_contagion": 10.0})
    o11_2030 = sorted(e.state for e in strong if e.organization == "O11" and e.year == 2030)
    assert o11_2030 == ["S14", "S27", "S38", "S41", "S53", "S60"]
    assert {e.organization for e in strong if e.cause == "contagion"} >= {"O35", "O25"}
    off = _lesson_one({"nativist_cost": 3.0, "beta_contagion": 0.0})
    assert [e.state for e in off if e.organization == "O11"] == ["S42"]  # the cascade is gone


def _threat(state: str) -> tuple[list, Session]:
    session = Session(SCENARIOS, "classroom")
    for _ in range(6):
        session.step()
    assert session.model.year == 2022
    if state == "USA":
        before = memberships_of(session.model, "USA").set_index("organization").loc["IMF", "yearly value ũ"]
        assert before == pytest.approx(1.11, abs=0.005)
    session.intervene("threat", state, "IMF")
    return [e for e in session.model.events if e.year == 2023 and e.state == state and e.organization == "IMF"], session


@pytest.mark.parametrize(("state", "chance", "answer"), [("USA", "0.64", "concession"), ("CHN", "0.36", "refusal"),
                                                         ("JPN", "0.04", None)])
def test_lesson_two_a_threat_bought_off_with_a_concession(state, chance, answer):
    events, session = _threat(state)
    assert events[0].kind == "threat" and events[0].detail.endswith(f"concession chance {chance}")
    if answer is not None:
        assert events[1].kind == answer
    if state == "USA":
        assert events[1].detail == "dues discount, now 20%"
        row = memberships_of(session.model, "USA").set_index("organization").loc["IMF"]
        assert (row["note"], row["yearly value ũ"]) == ("discount 20%", pytest.approx(1.48, abs=0.005))
