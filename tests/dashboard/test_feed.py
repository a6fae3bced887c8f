"""The event feed: plain sentences, newest first, the scenario's calendar, contagion marked."""

from exitsim.dashboard.feed import feed, sentence
from exitsim.events import Event

EVENTS = [
    Event(2019, "notice", "USA", "Paris", month=11, cause="preferences", detail="effective 2020-11"),
    Event(2020, "withdrawal", "USA", "Paris", month=11),
    Event(2020, "notice", "CAN", "WHO", month=2, cause="contagion", detail="effective 2021-02"),
    Event(2020, "turnover", "DEU", detail="election: nativist government"),
]


def test_each_kind_reads_as_a_sentence_with_its_detail_and_cause():
    assert sentence(EVENTS[0]) == "USA gave notice to leave Paris (effective 2020-11; cause: preferences)"
    assert sentence(EVENTS[1]) == "USA left Paris"
    assert sentence(EVENTS[3], {"DEU": "Germany"}) == "Germany has a new government (election: nativist government)"
    assert sentence(Event(2030, "death", organization="F2022-9")) == "F2022-9 ceased to exist"


def test_the_feed_is_newest_first_dated_in_the_calendar_with_contagion_marked():
    items = feed(EVENTS)
    assert [(i.date, i.kind, i.contagion) for i in items] == [  # by month within a year: the turnover opens it
        ("November 2020", "withdrawal", False), ("February 2020", "notice", True), ("2020", "turnover", False),
        ("November 2019", "notice", False)]


def test_exits_only_and_the_limit_keep_the_newest_exits():
    assert [i.text for i in feed(EVENTS, limit=2, exits_only=True)] == [
        "USA left Paris", "CAN gave notice to leave WHO (effective 2021-02; cause: contagion)"]


def test_the_instructors_actions_follow_the_events_of_their_year():
    items = feed(EVENTS, notes=[(2019, "intervention: USA gives notice to Paris"), (2020, "beta_contagion set to 0")])
    assert [(i.date, i.kind) for i in items][:2] == [("2020", "instructor"), ("November 2020", "withdrawal")]
    assert [(i.date, i.kind) for i in items][-2:] == [("2019", "instructor"), ("November 2019", "notice")]


def test_every_kind_of_event_reads_as_a_sentence_the_strategies_too():
    from exitsim.events import EVENT_KINDS

    for kind in EVENT_KINDS:
        text = sentence(Event(2030, kind, "USA", "WHO", cause="exit_diplomacy", detail="d"))
        assert text.endswith("(d; cause: exit_diplomacy)") and ("USA" in text or "WHO" in text), kind
    assert sentence(Event(2030, "strategy", "USA", cause="exit_diplomacy", detail="active")) == (
        "USA's strategy is now active (active; cause: exit_diplomacy)")


def test_a_first_accession_reads_joined_and_a_return_rejoined():
    assert sentence(Event(2019, "rejoin", "RUS", "Paris", month=10, detail="joins from 2019-10")) == (
        "RUS joined Paris (joins from 2019-10)")
    assert sentence(Event(2021, "rejoin", "USA", "Paris", month=2, detail="member again from 2021-02")) == (
        "USA rejoined Paris (member again from 2021-02)")
