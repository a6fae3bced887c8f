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
``power_shock``     3       the state's power is multiplied by ``value`` (> 0, at most 100)
``threat``          6       the state threatens to leave the organization (answered as any threat)
``notice``          6       the state gives notice to the organization (in ``month``, or a
                            drawn month); the law decides what it becomes
``rejoin``          8       the state rejoins the organization (or returns, if inactive)
==================  ======  ===============================================================
"""

from __future__ import annotations

import math
import numbers
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from .codes import GOVERNMENTS

TIMELINE_KINDS = ("government", "nativism_shock", "withhold_dues", "power_shock", "threat", "notice", "rejoin")
NEEDS_ORGANIZATION = {"withhold_dues", "threat", "notice", "rejoin"}
TAKES_NO_VALUE = {"threat", "notice", "rejoin"}
NEEDS_MEMBERSHIP = ("notice", "threat", "withhold_dues")
"""Kinds that act on a membership the state holds at the start of the run."""
MAX_POWER_SHOCK = 100.0
"""The largest factor a ``power_shock`` multiplies power by."""


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
        _check_types(self)
        where = f"timeline event {self.kind!r} of {self.state!r} in {self.year}"
        if self.kind not in TIMELINE_KINDS:
            raise TimelineError(f"unknown timeline event kind {self.kind!r}; expected one of: {', '.join(TIMELINE_KINDS)}")
        if self.kind in NEEDS_ORGANIZATION and not self.organization:
            raise TimelineError(f"{where}: needs an organization")
        if not 0 <= self.month <= 12:
            raise TimelineError(f"{where}: month must be 1–12 (or 0: drawn), got {self.month}")
        number = None if self.value is None or isinstance(self.value, str) else float(self.value)
        if self.kind == "government" and self.value not in GOVERNMENTS:
            raise TimelineError(f"{where}: value must be one of {', '.join(GOVERNMENTS)}, got {self.value!r}")
        if self.kind == "power_shock" and not (number is not None and 0 < number <= MAX_POWER_SHOCK):
            raise TimelineError(f"{where}: value must be a positive factor of at most {MAX_POWER_SHOCK:g}, "
                                f"got {self.value!r}")
        if self.kind == "withhold_dues" and not (number is not None and 0 <= number <= 1):
            raise TimelineError(f"{where}: value must be a share between 0 and 1, got {self.value!r}")
        if self.kind == "nativism_shock" and not (number is not None and -1 <= number <= 1):
            raise TimelineError(f"{where}: value must be a change between −1 and 1, got {self.value!r}")
        if self.kind not in NEEDS_ORGANIZATION and self.organization:
            raise TimelineError(f"{where}: organization is not used by a {self.kind} (it concerns the whole "
                                "country): remove it")
        if self.kind in TAKES_NO_VALUE and self.value is not None:
            raise TimelineError(f"{where}: value is not used by a {self.kind}: remove it")


def _check_types(event: ScheduledEvent) -> None:
    """Raise TypeError for an argument of the wrong type, naming it (numpy's numbers are made
    Python ones); a value that is not a finite number is a TimelineError."""
    def whole(name: str, what: str) -> None:
        value = getattr(event, name)
        if isinstance(value, bool) or not isinstance(value, numbers.Integral):
            raise TypeError(f"ScheduledEvent {name} must be a whole number ({what}), got {_shown(value)}")
        object.__setattr__(event, name, int(value))

    whole("year", "a calendar year")
    for name in ("kind", "state", "organization"):
        value = getattr(event, name)
        if not isinstance(value, str):
            raise TypeError(f"ScheduledEvent {name} must be text (a code), got {_shown(value)}")
    whole("month", "1–12, or 0 for a drawn month")
    value = event.value
    if value is None or isinstance(value, str):
        return
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"ScheduledEvent value must be a number, a government or None, got {_shown(value)}")
    try:
        number = float(value)
    except OverflowError:
        number = math.inf
    if not math.isfinite(number):
        raise TimelineError(f"timeline event {event.kind!r} of {event.state!r} in {event.year}: "
                            f"value must be a finite number, got {value!r}")
    if not isinstance(value, int | float):
        object.__setattr__(event, "value", number)


def _shown(value: object) -> str:
    """A value and its type, short: ``'2018' (text)``, ``2018.0 (float)``."""
    text = repr(value)
    text = text if len(text) <= 40 else text[:30] + "…"
    return f"{text} ({'text' if isinstance(value, str) else type(value).__name__})"


class Timeline:
    """Scheduled events by year, checked against a world's states, organizations and years."""

    def __init__(self, events: Iterable[ScheduledEvent] = ()):
        self._by_year: dict[int, list[ScheduledEvent]] = defaultdict(list)
        for i, event in enumerate(events):
            if not isinstance(event, ScheduledEvent):
                raise TypeError(f"a Timeline holds ScheduledEvent entries; entry {i} is {_shown(event)}")
            self._by_year[event.year].append(event)

    def __len__(self) -> int:
        return sum(len(v) for v in self._by_year.values())

    def add(self, event: ScheduledEvent) -> None:
        """Add an event after those already scheduled for its year."""
        if not isinstance(event, ScheduledEvent):
            raise TypeError(f"a Timeline holds ScheduledEvent entries, not {_shown(event)}")
        self._by_year[event.year].append(event)

    def at(self, year: int, *kinds: str) -> list[ScheduledEvent]:
        """The events of a year (of the given kinds), in the order they were scheduled."""
        return [e for e in self._by_year.get(year, []) if not kinds or e.kind in kinds]

    def check(self, state_codes: list[str], org_codes: list[str], first_year: int, last_year: int,
              is_member: Callable[[str, str], bool] | None = None) -> None:
        """Raise :class:`TimelineError` listing every event that names an unknown state or
        organization, falls outside the run's years (``first_year`` … ``last_year``) or, when
        ``is_member(state, organization)`` is given, acts on a membership the state does not hold."""
        problems = []
        states, orgs = set(state_codes), set(org_codes)
        for year in sorted(self._by_year):
            for e in self._by_year[year]:
                where = f"timeline event {e.kind!r} of {e.state!r} in {e.year}"
                if e.state not in states:
                    problems.append(f"{where}: no state {e.state!r} in the scenario")
                if e.organization and e.organization not in orgs:
                    problems.append(f"{where}: no organization {e.organization!r} in the scenario")
                elif e.state in states and is_member is not None and not membership_ok(e, is_member):
                    problems.append(f"{where}: {not_a_member(e)}")
                if not first_year <= e.year <= last_year:
                    problems.append(f"{where}: the run covers {first_year}–{last_year}")
        if problems:
            raise TimelineError("\n".join(problems))


def membership_ok(event: ScheduledEvent, is_member: Callable[[str, str], bool]) -> bool:
    """False for a notice, threat or withholding by a state that is not a member of the
    organization at the start of the run (there is nothing for it to act on)."""
    return event.kind not in NEEDS_MEMBERSHIP or is_member(event.state, event.organization)


def not_a_member(event: ScheduledEvent) -> str:
    """Why an event that fails :func:`membership_ok` cannot happen."""
    what = {"notice": "a notice", "threat": "a threat", "withhold_dues": "withholding dues"}[event.kind]
    return f"{event.state} is not a member of {event.organization}: {what} needs a membership to act on"
