"""The timeline: scheduled events for real-world scenarios and classroom demonstrations.

A :class:`ScheduledEvent` happens in a given year (and month, where a legal date matters) and
is applied in the phase of MODEL.md §3 where its kind belongs:

==================  ======  ===============================================================
kind                phase   effect
==================  ======  ===============================================================
``government``      1       the state's government becomes ``value`` (nativist or
                            internationalist): a turnover, which opens a window
``nativism_shock``  1       the state's nativism changes by ``value`` (clipped to [0, 1])
``withhold_dues``   2       the state withholds ``value`` (a share) of its dues to the
                            organization this year; the unpaid part becomes arrears
``power_shock``     3       the state's power is multiplied by ``value`` (> 0)
``threat``          6       the state threatens to leave the organization (answered as any threat)
``notice``          6       the state gives notice to the organization (in ``month``, or a
                            drawn month); the law decides what it becomes
``rejoin``          8       the state rejoins the organization (or returns, if inactive)
==================  ======  ===============================================================
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from .world import GOVERNMENTS

TIMELINE_KINDS = ("government", "nativism_shock", "withhold_dues", "power_shock", "threat", "notice", "rejoin")
NEEDS_ORGANIZATION = {"withhold_dues", "threat", "notice", "rejoin"}


class TimelineError(ValueError):
    """A scheduled event that cannot happen; the message says what to fix."""


@dataclass(frozen=True)
class ScheduledEvent:
    """One scheduled event (see the module's table)."""

    year: int
    kind: str
    state: str
    organization: str = ""
    month: int = 0
    value: float | str | None = None

    def __post_init__(self):
        where = f"timeline event {self.kind!r} of {self.state!r} in {self.year}"
        if self.kind not in TIMELINE_KINDS:
            raise TimelineError(f"unknown timeline event kind {self.kind!r}; expected one of: {', '.join(TIMELINE_KINDS)}")
        if self.kind in NEEDS_ORGANIZATION and not self.organization:
            raise TimelineError(f"{where}: needs an organization")
        if not 0 <= self.month <= 12:
            raise TimelineError(f"{where}: month must be 1–12 (or 0: drawn), got {self.month}")
        if self.kind == "government" and self.value not in GOVERNMENTS:
            raise TimelineError(f"{where}: value must be one of {', '.join(GOVERNMENTS)}, got {self.value!r}")
        if self.kind == "power_shock" and not (isinstance(self.value, (int, float)) and self.value > 0):
            raise TimelineError(f"{where}: value must be a positive factor, got {self.value!r}")
        if self.kind == "withhold_dues" and not (isinstance(self.value, (int, float)) and 0 <= self.value <= 1):
            raise TimelineError(f"{where}: value must be a share between 0 and 1, got {self.value!r}")
        if self.kind == "nativism_shock" and not (isinstance(self.value, (int, float)) and -1 <= self.value <= 1):
            raise TimelineError(f"{where}: value must be a change between −1 and 1, got {self.value!r}")


class Timeline:
    """Scheduled events by year, checked against a world's states, organizations and years."""

    def __init__(self, events: Iterable[ScheduledEvent] = ()):
        self._by_year: dict[int, list[ScheduledEvent]] = defaultdict(list)
        for event in events:
            self._by_year[event.year].append(event)

    def __len__(self) -> int:
        return sum(len(v) for v in self._by_year.values())

    def add(self, event: ScheduledEvent) -> None:
        """Add an event after those already scheduled for its year."""
        self._by_year[event.year].append(event)

    def at(self, year: int, *kinds: str) -> list[ScheduledEvent]:
        """The events of a year (of the given kinds), in the order they were scheduled."""
        return [e for e in self._by_year.get(year, []) if not kinds or e.kind in kinds]

    def check(self, state_codes: list[str], org_codes: list[str], first_year: int, last_year: int) -> None:
        """Raise :class:`TimelineError` listing every event that names an unknown state or
        organization or falls outside the run's years (``first_year`` … ``last_year``)."""
        problems = []
        states, orgs = set(state_codes), set(org_codes)
        for year in sorted(self._by_year):
            for e in self._by_year[year]:
                where = f"timeline event {e.kind!r} of {e.state!r} in {e.year}"
                if e.state not in states:
                    problems.append(f"{where}: no state {e.state!r} in the scenario")
                if e.organization and e.organization not in orgs:
                    problems.append(f"{where}: no organization {e.organization!r} in the scenario")
                if not first_year <= e.year <= last_year:
                    problems.append(f"{where}: the run covers {first_year}–{last_year}")
        if problems:
            raise TimelineError("\n".join(problems))
