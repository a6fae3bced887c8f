"""What the phases of one step share: the :class:`StepContext`.

Every phase of :mod:`exitsim.phases` has one entry point, ``run(ctx, ...)``, that reads and
writes the run's arrays through the context and returns what a later phase reads. Nothing in a
phase calls back into the model: the model builds a context each year
(:meth:`exitsim.model.ExitModel.step`) and hands it from phase to phase.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ..cascades import NoticeLog
from ..events import EventLog
from ..mechanisms import domestic, law
from ..mechanisms.flows import Flows
from ..mechanisms.grouping import GroupIndex
from ..parameters import Params
from ..strategy_state import StrategyState
from ..streams import Streams
from ..timeline import Timeline
from ..world import World


@dataclass
class YearCounts:
    """What the exit process did this year (for the outcomes), and who did it."""

    at_risk: int = 0
    notices: int = 0
    threats: int = 0
    concessions: int = 0
    withdrawals: int = 0
    non_treaty_exits: int = 0
    walkouts_contested: int = 0
    walkouts_violated: int = 0
    rescissions: int = 0
    notices_scheduled: int = 0  # of the lawful notices, those the timeline scheduled
    rejoins: int = 0
    returns: int = 0
    foundings: int = 0
    deaths: int = 0
    under_notice: int = 0
    spreading_rows: list[int] = field(default_factory=list)  # notices and walk-outs that spread contagion
    violators: list[int] = field(default_factory=list)       # states that walked out this year
    leavers: list[int] = field(default_factory=list)         # states that gave notice or walked out


class Lookups:
    """Tables derived from the world that the phases look up, kept for the whole run and
    extended only when the world grows: the withdrawal clauses as arrays (one row per
    organization, parsed once per distinct clause as foundings copy a few), the states' own
    clauses (reservations), and the index of edge-list rows by state."""

    def __init__(self, world: World):
        self._clauses = law.clause_arrays(world.clause)
        self._parsed: dict[tuple, tuple] = {}
        self.reservations = law.clause_arrays(world.reservations)
        self._by_state: tuple[GroupIndex | None, int] = (None, -1)

    def clauses(self, world: World) -> law.ClauseArrays:
        """Every organization's withdrawal clause as arrays (extended after foundings)."""
        known = len(self._clauses.kind)
        if known < world.n_orgs:
            keys = [tuple(sorted(clause.items())) for clause in world.clause[known:]]
            unseen = [key for key in dict.fromkeys(keys) if key not in self._parsed]
            if unseen:
                parsed = law.clause_arrays([dict(key) for key in unseen])
                for j, key in enumerate(unseen):
                    self._parsed[key] = tuple(column[j] for column in parsed)
            added = zip(*(self._parsed[key] for key in keys), strict=True)
            self._clauses = law.ClauseArrays(*(np.concatenate([old, np.array(new, dtype=old.dtype)])
                                               for old, new in zip(self._clauses, added, strict=True)))
        return self._clauses

    def rows_by_state(self, world: World) -> GroupIndex:
        """Every edge-list row by its state, made once for each length of the edge list: phases
        pick the rows with the status they need from it."""
        index, length = self._by_state
        if length != len(world.memberships):
            index = GroupIndex(world.memberships.state, np.arange(len(world.memberships)), world.n_states)
            self._by_state = (index, len(world.memberships))
        return index


@dataclass
class StepContext:
    """One year of a run, as the phases see it.

    The run's lasting state: ``world`` (the arrays, :class:`~exitsim.world.World`), ``params``,
    ``streams`` (the random streams), ``events`` (the event log), ``timeline`` (scheduled
    events), ``notices`` (the spreading exits, for the cascades), ``lookups`` (clause arrays and
    row indexes) and ``templates`` (the real organizations foundings copy). This year's:
    ``step`` (1 for the first year), ``year``, ``counts``, ``flows`` (phase 2's; last year's
    until phase 2 runs), ``turnovers`` (phase 1's), ``was_nativist`` (governments before this
    year's turnovers) and ``power_terms`` (phase 3's parts of each state's change of log power).
    ``strategy``: what the great powers' strategies remember from year to year
    (:class:`~exitsim.strategy_state.StrategyState`; None: no strategies at all).
    """

    world: World
    params: Params
    streams: Streams
    events: EventLog
    timeline: Timeline
    notices: NoticeLog
    lookups: Lookups
    templates: tuple
    step: int
    year: int
    flows: Flows
    counts: YearCounts = field(default_factory=YearCounts)
    turnovers: np.ndarray | None = None
    was_nativist: np.ndarray | None = None
    strategy: StrategyState | None = None
    power_terms: dict[str, np.ndarray] | None = None

    def clauses(self) -> law.ClauseArrays:
        """Every organization's withdrawal clause as arrays."""
        return self.lookups.clauses(self.world)

    def rows_by_state(self) -> GroupIndex:
        """Every edge-list row by its state."""
        return self.lookups.rows_by_state(self.world)

    def binding_clause(self, rows: np.ndarray) -> law.ClauseArrays:
        """The withdrawal clause that binds each membership row: its organization's, or the
        state's own reservation for that organization where it holds one."""
        ms = self.world.memberships
        rows = np.asarray(rows, dtype=np.int64)
        org, own = ms.org[rows], ms.reservation[rows]
        clauses, reserved = self.clauses(), self.lookups.reservations
        if not len(reserved.kind):
            return law.ClauseArrays(*(column[org] for column in clauses))
        held = own >= 0
        return law.ClauseArrays(*(np.where(held, mine[np.maximum(own, 0)], theirs[org])
                                  for mine, theirs in zip(reserved, clauses, strict=True)))

    def binding_kind(self, rows: np.ndarray) -> np.ndarray:
        """The clause kind that binds each row (a cheaper :meth:`binding_clause` ``.kind``)."""
        ms = self.world.memberships
        kind = self.clauses().kind[ms.org[rows]]
        reserved = self.lookups.reservations
        if len(reserved.kind):
            own = ms.reservation[rows]
            kind = np.where(own >= 0, reserved.kind[np.maximum(own, 0)], kind)
        return kind

    def binding_field(self, row: int, name: str):
        """One field of the withdrawal clause that binds one row (a Python scalar)."""
        ms = self.world.memberships
        own, reserved = ms.reservation[row], self.lookups.reservations
        if own >= 0 and len(reserved.kind):
            return getattr(reserved, name)[own].item()
        return getattr(self.clauses(), name)[ms.org[row]].item()

    def window_open(self) -> np.ndarray:
        """Per state: a window is open in a turnover's year and the next (MODEL.md §4.9)."""
        return domestic.window_open(self.world.last_turnover, self.year)
