"""The arrays that are the single source of truth for one run (docs/architecture.md, rule 1).

A :class:`World` holds one row per state, one per organization, and a membership edge list
with one row per (state, organization) pair that ever had a tie. Rows are only ever appended
(joins and foundings), so indices are stable for the whole run and random streams that draw
one value per row stay aligned (MODEL.md §4.0). Mechanisms read and write these arrays;
Mesa agents (:mod:`exitsim.agents`) are views of their rows, and the membership network is
derived on demand (:meth:`World.membership_graph`), never kept twice.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from .codes import (  # noqa: F401  (re-exported: the world's vocabulary)
    ALIVE,
    ALLY,
    DEAD,
    GOVERNMENTS,
    HEGEMON,
    INACTIVE,
    ISSUE_AREAS,
    MEMBER,
    MEMBERSHIP_STATUS,
    NEVER,
    NOTICE,
    ORGANIZATION_STATUS,
    OTHER,
    RISING,
    ROLES,
    SECURITY,
    VOTING_RULES,
    WITHDRAWN,
    ZOMBIE,
)
from .mechanisms import lifecycle

if TYPE_CHECKING:
    import networkx as nx

# The membership edge list: column name -> (dtype, value of a fresh row).
MEMBERSHIP_COLUMNS: dict[str, tuple[Any, Any]] = {
    "state": (np.intp, -1),
    "org": (np.intp, -1),
    "status": (np.int8, MEMBER),
    "joined": (np.int32, 0),          # year the state joined (its accession, or entry into force for it)
    "joined_month": (np.int8, 1),     # month (1–12) of that year: tenures count from it (MODEL.md §4.7)
    "dues": (np.float64, 0.0),        # dues paid in the last institutions phase (0: new member)
    "discount": (np.float64, 0.0),    # dues discount from concessions, at most 0.5
    "arrears": (np.float64, 0.0),     # unpaid dues owed (a debt after exit where obligations survive)
    "exposure": (np.float64, 0.0),    # contagion exposure X, acting on next year's decision (§4.8)
    "notice_month": (np.int64, -1),   # month index (12·year + month − 1) of a pending notice
    "effective_month": (np.int64, -1),  # month index at which the pending notice takes effect
    "last_threat": (np.int64, NEVER),  # year of the last threat (one per two years)
    "pretext_until": (np.int64, NEVER),  # a refused threat is a pretext until this year
    "amendment_until": (np.int64, NEVER),  # Feinberg's amendment right is open before this year
    "exit_year": (np.int64, NEVER),  # year the last exit took effect
    "substantive": (np.int8, 0),      # legality of the last exit or pending notice (law.SUBSTANTIVE_NAMES)
    "procedural": (np.int8, 0),       # (law.PROCEDURAL_NAMES)
    "ended_by_death": (np.bool_, False),  # the membership ended because the organization died
    "utility_at_notice": (np.float64, np.nan),  # ũ when the pending notice was given
    "reservation": (np.intp, -1),    # index into World.reservations: the state's own clause, or −1
    "consent_refused": (np.bool_, False),  # consent to leave was refused: a later exit is a walk-out
}

class Memberships:
    """The membership edge list: equal-length numpy columns, appended to, never reordered.

    Columns are attributes (``memberships.state``, ``memberships.status`` …); see
    :data:`MEMBERSHIP_COLUMNS`. Each column is a view of a buffer with room to grow, so a year's
    joins and foundings append in time proportional to the rows added (the buffers double when
    full), not to the whole edge list. A column may be replaced by assignment
    (``memberships.exposure = new``); the next append copies it into its buffer.
    """

    def __init__(self, columns: dict[str, np.ndarray] | None = None):
        columns = columns or {}
        n = len(next(iter(columns.values()))) if columns else 0
        unknown = set(columns) - set(MEMBERSHIP_COLUMNS)
        if unknown:
            raise ValueError(f"unknown membership columns: {sorted(unknown)}")
        self._buffers: dict[str, np.ndarray] = {}
        self._views: dict[str, np.ndarray] = {}
        for name, (dtype, fill) in MEMBERSHIP_COLUMNS.items():
            values = columns.get(name)
            values = np.full(n, fill, dtype=dtype) if values is None else np.array(values, dtype=dtype)
            if values.shape != (n,):
                raise ValueError(f"membership column {name!r} has {len(values)} rows, expected {n}")
            self._buffers[name] = values
            self._views[name] = values
            setattr(self, name, values)

    def __len__(self) -> int:
        return len(self.state)

    def append(self, **columns: Any) -> np.ndarray:
        """Append rows (scalars or equal-length arrays per column; one row if all are scalars);
        return their indices."""
        unknown = set(columns) - set(MEMBERSHIP_COLUMNS)
        if unknown:
            raise ValueError(f"unknown membership columns: {sorted(unknown)}")
        lengths = [np.size(v) for v in columns.values() if np.ndim(v) > 0]
        n = max(lengths) if lengths else int(bool(columns))
        start = len(self)
        end = start + n
        for name, (dtype, fill) in MEMBERSHIP_COLUMNS.items():
            current, buffer = getattr(self, name), self._buffers[name]
            if len(current) != start:
                raise ValueError(f"membership column {name!r} has {len(current)} rows, expected {start}")
            if len(buffer) < end:  # full: double the room
                buffer = np.empty(max(end, 2 * len(buffer), 64), dtype=dtype)
                buffer[:start] = current
                self._buffers[name] = buffer
            elif current is not self._views[name]:  # replaced by assignment since the last append
                buffer[:start] = current
            buffer[start:end] = columns.get(name, fill)
            self._views[name] = view = buffer[:end]
            setattr(self, name, view)
        return np.arange(start, end)

    def copy(self) -> Memberships:
        return Memberships({name: getattr(self, name).copy() for name in MEMBERSHIP_COLUMNS})

    @property
    def active(self) -> np.ndarray:
        """Rows that are full members this year: status ``member`` or ``notice`` (MODEL.md §4.5)."""
        return self.status <= NOTICE


@dataclass
class World:
    """All state of one run, as arrays indexed by state, organization and membership row.

    States (length ``n_states``): ``state_code``, ``state_name``, ``power`` P > 0, ``growth`` g,
    ``power_history`` (n_states × assessment years, column 0 = this year), ``ideal_point``
    (n_states × dimensions), ``nativism`` n and its long-run level ``nativism_mean`` n̄,
    ``democracy``, ``nativist_government``, ``role`` (index into :data:`ROLES`),
    ``alliances`` (pairs of state indices), ``election_phase`` (elections in years with
    (year − phase) divisible by the period), ``last_turnover`` (year of the last government
    change), ``share_history`` (n_states × look-back+1 world power shares, column 0 = now),
    ``reputation`` (1 a clean record), ``align_hegemon`` and ``align_rising`` (alignment with
    each pole, §4.10).

    Organizations (length ``n_orgs``): ``org_code``, ``org_name``, ``issue_area`` (index into
    :data:`ISSUE_AREAS`), ``institutionalization`` 1–3, ``weighted_voting``, ``budget_rate``
    b_k, ``need_base`` and ``need_world_power`` (N_k(t) = need_base · W(t) / need_world_power),
    ``cap`` (NaN: none), ``quality`` q, ``intrinsic_quality`` q̄, ``value_multiplier`` θ_k,
    ``founded`` (and ``founded_month``), ``founder`` (−1: none), ``club``, ``policy_offset``, ``org_status`` and the
    withdrawal clause (``clause``, one dict per organization, read by the law mechanisms).
    """

    start_year: int
    state_code: list[str]
    state_name: list[str]
    power: np.ndarray
    growth: np.ndarray
    power_history: np.ndarray
    ideal_point: np.ndarray
    nativism: np.ndarray
    nativism_mean: np.ndarray
    democracy: np.ndarray
    nativist_government: np.ndarray
    role: np.ndarray
    alliances: np.ndarray
    election_phase: np.ndarray
    last_turnover: np.ndarray
    share_history: np.ndarray
    reputation: np.ndarray
    align_hegemon: np.ndarray
    align_rising: np.ndarray
    org_code: list[str]
    org_name: list[str]
    issue_area: np.ndarray
    institutionalization: np.ndarray
    weighted_voting: np.ndarray
    budget_rate: np.ndarray
    cap: np.ndarray
    quality: np.ndarray
    intrinsic_quality: np.ndarray
    value_multiplier: np.ndarray
    founded: np.ndarray
    founder: np.ndarray
    club: np.ndarray
    policy_offset: np.ndarray
    org_status: np.ndarray
    clause: list[dict]
    memberships: Memberships
    founded_month: np.ndarray = field(default=None)  # month (1–12) of ``founded``: the treaty's entry into force
    need_base: np.ndarray = field(default=None)  # set by the model at the start
    need_world_power: np.ndarray = field(default=None)
    low_years: np.ndarray = field(default=None)  # consecutive years with q below the zombie level
    dying_years: np.ndarray = field(default=None)  # consecutive years with q below the death level
    quality_history: np.ndarray = field(default=None)  # n_orgs × (history_years + 1): q this year, 1, 2 … years ago
    leader_history: np.ndarray = field(default=None)  # n_orgs × (history_years + 1): leader this year, 1, 2 … years ago
    reservations: list = field(default_factory=list)  # states' own clauses (membership column ``reservation``)
    history_years: int = 2  # years of performance and leadership kept: the pretext years (``pretext_years``)
    area_reference: np.ndarray = field(default=None)  # per issue area: organizations alive at the start (N⁰_a)
    area_reference_size: np.ndarray = field(default=None)  # per issue area: their members' harmonic mean (m⁰_a)

    def __post_init__(self):
        m = len(self.org_code)
        defaults = {"founded_month": np.ones(m, dtype=np.int8), "need_base": np.zeros(m),
                    "need_world_power": np.ones(m),
                    "low_years": np.zeros(m, dtype=np.int64), "dying_years": np.zeros(m, dtype=np.int64),
                    "quality_history": np.repeat(np.asarray(self.quality, float)[:, None], self.history_years + 1, axis=1),
                    "leader_history": np.full((m, self.history_years + 1), -1, dtype=np.int64)}
        for name, value in defaults.items():
            if getattr(self, name) is None:
                setattr(self, name, value)
        if self.area_reference is None or self.area_reference_size is None:  # at the start (MODEL.md §4.12)
            living = np.asarray(self.org_status) != DEAD
            area = np.asarray(self.issue_area, dtype=np.int64)[living]
            members = self.member_counts()[living]
            self.area_reference = np.bincount(area, minlength=len(ISSUE_AREAS))
            self.area_reference_size = lifecycle.reference_sizes(members, area, len(ISSUE_AREAS))

    # --- sizes -----------------------------------------------------------------------------
    @property
    def n_states(self) -> int:
        return len(self.power)

    @property
    def n_orgs(self) -> int:
        return len(self.org_code)

    @property
    def dimensions(self) -> int:
        return self.ideal_point.shape[1]

    # --- derived quantities --------------------------------------------------------------------
    @property
    def world_power(self) -> float:
        """W: the sum of all states' power."""
        return float(self.power.sum())

    def role_index(self, role: int) -> int:
        """The index of the state with this role (hegemon or rising power), or −1."""
        found = np.flatnonzero(self.role == role)
        return int(found[0]) if len(found) else -1

    def need(self) -> np.ndarray:
        """N_k(t): each organization's need, indexed to world power since it was set."""
        return self.need_base * (self.world_power / self.need_world_power)

    def active_mask(self, rows: np.ndarray | None = None) -> np.ndarray:
        """Whether membership rows (default: all) count this year: active members of
        organizations not dead."""
        ms = self.memberships
        if rows is None:
            return ms.active & (self.org_status[ms.org] != DEAD)
        return (ms.status[rows] <= NOTICE) & (self.org_status[ms.org[rows]] != DEAD)

    def active_rows(self) -> np.ndarray:
        """Membership rows that count this year: active members of organizations not dead."""
        return np.flatnonzero(self.active_mask())

    def member_counts(self) -> np.ndarray:
        """|M_k|: active members per organization."""
        rows = self.active_rows()
        return np.bincount(self.memberships.org[rows], minlength=self.n_orgs)

    def members_of(self, org: int) -> np.ndarray:
        """State indices of an organization's active members."""
        rows = self.active_rows()
        return self.memberships.state[rows[self.memberships.org[rows] == org]]

    def organizations_of(self, state: int) -> np.ndarray:
        """Organization indices of which a state is an active member."""
        rows = self.active_rows()
        return self.memberships.org[rows[self.memberships.state[rows] == state]]

    def state_index(self, code: str) -> int:
        return self.state_code.index(code)

    def org_index(self, code: str) -> int:
        return self.org_code.index(code)

    def row_of(self, state: str, organization: str) -> int:
        """The membership row of a state (code) in an organization (code), or −1 if it never
        was a member."""
        ms = self.memberships
        found = np.flatnonzero((ms.state == self.state_index(state)) & (ms.org == self.org_index(organization)))
        return int(found[-1]) if len(found) else -1

    def membership_graph(self, active_only: bool = True) -> nx.Graph:
        """The bipartite state–organization network, derived from the edge list.

        Nodes are integers: states ``0 … n_states−1`` (attribute ``bipartite=0``), organizations
        ``n_states … n_states+n_orgs−1`` (``bipartite=1``); each node carries ``code`` and
        ``kind``; each edge its membership ``row`` and ``status``.
        """
        import networkx as nx  # only here: reading a scenario needs no networkx

        graph = nx.Graph()
        n = self.n_states
        graph.add_nodes_from(
            (i, {"bipartite": 0, "kind": "state", "code": self.state_code[i], "power": float(self.power[i])})
            for i in range(n))
        graph.add_nodes_from(
            (n + k, {"bipartite": 1, "kind": "organization", "code": self.org_code[k],
                     "status": ORGANIZATION_STATUS[self.org_status[k]]})
            for k in range(self.n_orgs))
        ms = self.memberships
        rows = self.active_rows() if active_only else np.arange(len(ms))
        graph.add_edges_from(
            (int(ms.state[r]), n + int(ms.org[r]), {"row": int(r), "status": MEMBERSHIP_STATUS[ms.status[r]]})
            for r in rows)
        return graph

    ORGANIZATION_ARRAYS = ("issue_area", "institutionalization", "weighted_voting", "budget_rate", "cap",
                           "quality", "intrinsic_quality", "value_multiplier", "founded", "founder", "club",
                           "policy_offset", "org_status", "need_base", "need_world_power", "low_years",
                           "dying_years", "quality_history", "leader_history", "founded_month")
    #: Organization arrays a caller of :meth:`append_organizations` may leave out, and their value.
    OPTIONAL_ORGANIZATION_ARRAYS = {"founded_month": 1}

    def append_organizations(self, codes: list[str], names: list[str], clauses: list[dict],
                             **columns: Any) -> list[int]:
        """Append organizations (a year's foundings) at once; return their indices.

        ``codes``, ``names`` and ``clauses`` have one entry per organization; ``columns`` a value
        for every one of :attr:`ORGANIZATION_ARRAYS` (those of :attr:`OPTIONAL_ORGANIZATION_ARRAYS`
        may be left out): an array with one row per organization, or one value for all of them."""
        columns = self.OPTIONAL_ORGANIZATION_ARRAYS | columns
        missing = set(self.ORGANIZATION_ARRAYS) - set(columns)
        unknown = set(columns) - set(self.ORGANIZATION_ARRAYS)
        if missing or unknown:
            raise ValueError(f"organization fields: missing {sorted(missing)}, unknown {sorted(unknown)}")
        count = len(codes)
        if not len(names) == len(clauses) == count:
            raise ValueError(f"{count} codes, {len(names)} names and {len(clauses)} clauses")
        start = self.n_orgs
        for array_name in self.ORGANIZATION_ARRAYS:
            current = getattr(self, array_name)
            added = np.broadcast_to(np.asarray(columns[array_name], dtype=current.dtype), (count, *current.shape[1:]))
            setattr(self, array_name, np.concatenate([current, added]))
        self.org_code.extend(codes)
        self.org_name.extend(names)
        self.clause.extend(dict(clause) for clause in clauses)
        return list(range(start, self.n_orgs))

    def copy(self) -> World:
        """A deep copy (arrays copied), for what-if comparisons and tests."""
        values = {}
        for name in self.__dataclass_fields__:
            value = getattr(self, name)
            if isinstance(value, np.ndarray):
                value = value.copy()
            elif isinstance(value, Memberships):
                value = value.copy()
            elif isinstance(value, list):
                value = [dict(v) if isinstance(v, dict) else v for v in value]
            values[name] = value
        return World(**values)
