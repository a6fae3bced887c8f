"""The event log: typed records of what happened, readable as a table (MODEL.md §5)."""

from __future__ import annotations

from dataclasses import dataclass, fields
from operator import attrgetter

import pandas as pd

#: Kinds of event the model records.
EVENT_KINDS = ("notice", "threat", "concession", "refusal", "withdrawal", "rescission", "walkout",
               "rejoin", "return", "founding", "death", "turnover", "consent", "shock",
               # the great powers' strategies (MODEL.md §4.11); the cause names the strategy
               "strategy", "reform", "admission", "amendment", "assessment", "contribution")


@dataclass(frozen=True, slots=True)
class Event:
    """One event. ``month`` is 0 where the event has no legal date; ``state`` and
    ``organization`` are codes ("" where not applicable); ``substantive`` and ``procedural``
    are an exit's legality (MODEL.md §2); ``cause`` is the main reason (MODEL.md §5)."""

    year: int
    kind: str
    state: str = ""
    organization: str = ""
    month: int = 0
    substantive: str = ""
    procedural: str = ""
    cause: str = ""
    detail: str = ""

    def __post_init__(self):
        if self.kind not in EVENT_KINDS:
            raise ValueError(f"unknown event kind {self.kind!r}")
        if not 0 <= self.month <= 12:
            raise ValueError(f"month must be 0 (none) or 1–12, got {self.month}")


COLUMNS = [f.name for f in fields(Event)]


class EventLog:
    """An append-only list of :class:`Event` records."""

    def __init__(self):
        self._events: list[Event] = []

    def add(self, event: Event) -> None:
        self._events.append(event)

    def __len__(self) -> int:
        return len(self._events)

    def __iter__(self):
        return iter(self._events)

    def count(self, kind: str, year: int | None = None) -> int:
        return sum(1 for e in self._events if e.kind == kind and (year is None or e.year == year))

    def to_frame(self) -> pd.DataFrame:
        """The log as a DataFrame with the columns of :class:`Event`, in the order recorded."""
        read = attrgetter(*COLUMNS)
        return pd.DataFrame.from_records([read(e) for e in self._events], columns=COLUMNS)
