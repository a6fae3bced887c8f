"""ExitModel.schedule: interventions added to a running model's timeline, checked like the scenario's."""

from pathlib import Path

import pytest

from exitsim import ExitModel, load_scenario
from exitsim.timeline import ScheduledEvent, TimelineError
from exitsim.world import NOTICE

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def classroom():
    model = ExitModel(load_scenario(ROOT / "scenarios" / "classroom.yaml"))
    model.step()
    model.step()
    return model


def test_a_scheduled_notice_is_given_in_the_next_year_under_the_clause(classroom):
    year = classroom.year + 1
    classroom.schedule(ScheduledEvent(year, "notice", "CHN", "UNESCO", month=3))
    classroom.step()
    notices = [e for e in classroom.events if e.kind == "notice" and e.state == "CHN" and e.organization == "UNESCO"]
    # UNESCO's clause: effective on 31 December of the year after the notice
    assert [(e.year, e.month, e.detail) for e in notices] == [(year, 3, f"effective {year + 1}-12")]
    assert classroom.world.memberships.status[classroom.world.row_of("CHN", "UNESCO")] == NOTICE


def test_a_scheduled_government_change_makes_the_state_nativist(classroom):
    deu = classroom.world.state_index("DEU")
    classroom.world.nativist_government[deu] = False
    classroom.schedule(ScheduledEvent(classroom.year + 1, "government", "DEU", value="nativist"))
    classroom.step()
    assert classroom.world.nativist_government[deu]
    assert any(e.kind == "turnover" and e.state == "DEU" and e.detail == "scheduled: nativist government"
               for e in classroom.events)


def test_the_same_intervention_gives_the_same_run():
    def run():
        model = ExitModel(load_scenario(ROOT / "scenarios" / "classroom.yaml"))
        model.step()
        model.schedule(ScheduledEvent(model.year + 1, "threat", "JPN", "IMF"))
        model.run()
        return model.events.to_frame()

    assert run().equals(run())


@pytest.mark.parametrize(("event", "message"), [
    (lambda year: ScheduledEvent(year, "notice", "CHN", "WTO"), "the run covers 2019–2050"),
    (lambda year: ScheduledEvent(year + 1, "notice", "XXX", "WTO"), "no state 'XXX' in the scenario"),
    (lambda year: ScheduledEvent(year + 1, "threat", "CHN", "NOPE"), "no organization 'NOPE' in the scenario"),
    (lambda year: ScheduledEvent(year + 1, "notice", "CHN", "NATO"), "CHN is not a member of NATO"),
])
def test_an_event_that_cannot_happen_is_refused_and_the_timeline_is_unchanged(classroom, event, message):
    before = len(classroom.timeline)
    with pytest.raises(TimelineError, match=message):
        classroom.schedule(event(classroom.year))
    assert len(classroom.timeline) == before
