"""The event feed: what happened, in plain language, newest first, dated in the scenario's calendar."""

from __future__ import annotations

import calendar
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from ..events import Event

#: How each kind of event reads, given the state's and organization's names.
_VERBS = {
    "notice": "{s} gave notice to leave {o}",
    "threat": "{s} threatened to leave {o}",
    "concession": "{o} made a concession to {s}",
    "refusal": "{o} refused {s}'s demands",
    "withdrawal": "{s} left {o}",
    "rescission": "{s} withdrew its notice to {o}",
    "walkout": "{s} walked out of {o}",
    "rejoin": "{s} rejoined {o}",
    "return": "{s} returned to its seat in {o}",
    "founding": "{s} founded {o}",
    "death": "{o} ceased to exist",
    "turnover": "{s} has a new government",
    "consent": "{o}'s members answered {s}'s request to leave",
    "shock": "{s} was hit by a shock",
    # the great powers' strategies (the cause names the strategy, the detail what was done)
    "strategy": "{s}'s strategy is now active",
    "reform": "{o} reformed its rules for {s}",
    "admission": "{s}'s admission to {o} was put to the members",
    "amendment": "{s} had {o}'s rules amended",
    "assessment": "{s} had {o}'s dues assessed anew",
    "contribution": "{s} stepped in to fund {o}",
}
#: Kinds an instructor watches for: exits and the threats and answers around them.
EXIT_KINDS = frozenset(("notice", "threat", "concession", "refusal", "withdrawal", "walkout", "rescission"))


@dataclass(frozen=True)
class FeedItem:
    """One line of the feed."""

    date: str  # "June 2019" or "2019"
    text: str
    kind: str
    contagion: bool  # the notice's main cause was contagion from a leading state's exit


def date_of(event: Event) -> str:
    """The event's date in the scenario's calendar: "June 2019", or "2019" without a month."""
    return f"{calendar.month_name[event.month]} {event.year}" if event.month else str(event.year)


def sentence(event: Event, state_names: Mapping[str, str] | None = None,
             org_names: Mapping[str, str] | None = None) -> str:
    """A plain-language sentence for an event, with its detail and cause where they say more.

    >>> sentence(Event(2019, "notice", "USA", "Paris", month=11, cause="contagion", detail="effective 2020-11"))
    'USA gave notice to leave Paris (effective 2020-11; cause: contagion)'
    """
    state_names, org_names = state_names or {}, org_names or {}
    verb = _VERBS.get(event.kind, "{s}: " + event.kind + " ({o})")  # a kind added later still reads, never raises
    if event.kind == "rejoin" and event.detail.startswith("joins"):  # a first accession, not a return
        verb = "{s} joined {o}"
    text = verb.format(s=state_names.get(event.state, event.state),
                       o=org_names.get(event.organization, event.organization))
    extra = [part for part in (event.detail, f"cause: {event.cause}" if event.cause else "") if part]
    return f"{text} ({'; '.join(extra)})" if extra else text


def feed(events: Iterable[Event], limit: int = 200, exits_only: bool = False,
         state_names: Mapping[str, str] | None = None, org_names: Mapping[str, str] | None = None,
         notes: Iterable[tuple[int, str]] = ()) -> list[FeedItem]:
    """The newest ``limit`` events (only exits, threats and their answers if ``exits_only``), newest first,
    by year and month (an event without a month comes first in its year, so last in the feed's year).

    ``notes`` are the instructor's own actions as (year, sentence); each comes after the events
    of its year (it was done once that year had been simulated), with kind ``"instructor"``.
    """
    chosen = [(e.year, 0, e.month, FeedItem(date_of(e), sentence(e, state_names, org_names), e.kind,
                                            e.cause == "contagion"))
              for e in events if not exits_only or e.kind in EXIT_KINDS]
    chosen += [(year, 1, 13, FeedItem(str(year), text, "instructor", False)) for year, text in notes]
    chosen.sort(key=lambda entry: entry[:3])  # by month within a year; stable: a month's events in recorded order
    items = [item for *_, item in reversed(chosen)]
    return items[:limit] if limit else items
