"""Contagion cascades, an outcome (MODEL.md §4.8, §5): the log of spreading exits and the
cascades measured from it at the end of a run.

The decision phase records every notice and walk-out that spreads contagion in a
:class:`NoticeLog` (who left what, whether it was the organization's lead state, and who the
members were at that moment) and, each year of a seed's window, adds to it the followers
expected by chance: the hazard of notice of the memberships that could follow it, without the
exposure term (:meth:`NoticeLog.live_seeds`, :func:`following_rows`); :func:`cascades` then
finds the seeds, their followers and the followers beyond chance.
Source: Hello-goodbye (von Borzyskowski & Vabulas 2019: leader-exit contagion); definitions.md
(cascade).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

#: A cascade's window: notices in the 2 years after its seed follow it (MODEL.md §4.8).
CASCADE_YEARS = 2


class NoticeLog:
    """The notices and walk-outs of a run that spread contagion, in the order they happened."""

    def __init__(self) -> None:
        self.records: list[dict] = []

    def __len__(self) -> int:
        return len(self.records)

    def record(self, year: int, state: int, org: int, power: np.ndarray, members: np.ndarray) -> None:
        """Remember that ``state`` left ``org`` in ``year``: was it the organization's lead state
        (its most powerful member, by ``power``), and who were the ``members`` (state indices, at
        the start of the year)."""
        lead = power[members].max(initial=0.0) if len(members) else 0.0
        self.records.append({"year": year, "state": state, "org": org, "was_lead": bool(power[state] >= lead),
                             "members": members.tolist(), "expected": 0.0})

    def live_seeds(self, year: int, hegemon: int, window: int = CASCADE_YEARS) -> list[int]:
        """The records that are seeds (a lead state's notice or the hegemon's) whose window
        covers ``year`` (their year + 1 … + ``window``), earliest first."""
        live = []
        for i in range(len(self.records) - 1, -1, -1):  # the records are in the order of their years
            r = self.records[i]
            if r["year"] + window < year:
                break
            if r["year"] < year and (r["was_lead"] or (hegemon >= 0 and r["state"] == hegemon)):
                live.append(i)
        return live[::-1]

    def frame(self) -> pd.DataFrame:
        """The log as a table: ``year``, ``state``, ``org``, ``was_lead``, ``members``, ``expected``."""
        return pd.DataFrame(self.records, columns=["year", "state", "org", "was_lead", "members", "expected"])


def following_rows(seeds: Sequence[Mapping], state: np.ndarray, org: np.ndarray,
                   issue_area: np.ndarray) -> np.ndarray:
    """Which seed each membership row could follow this year, as :func:`cascades` attributes a
    follower: the index (into ``seeds``, listed earliest first) of the first seed whose state
    is not the row's, whose members at the seed include the row's state, and whose organization
    is the row's or of its issue area; −1 for a row that follows none.

    ``seeds`` are :class:`NoticeLog` records; ``state`` and ``org`` per row, ``issue_area`` per
    organization. Summing the rows' hazards of notice by this index gives each seed's followers
    expected by chance (MODEL.md §4.8).
    """
    state, org, issue_area = np.asarray(state), np.asarray(org), np.asarray(issue_area)
    area = issue_area[org] if len(org) else np.zeros(0, dtype=np.int64)
    owner = np.full(len(state), -1, dtype=np.int64)
    for j, seed in enumerate(seeds):  # a year's few live seeds
        near = np.flatnonzero((area == issue_area[seed["org"]]) | (org == seed["org"]))  # k or its issue area
        members = np.asarray(seed["members"], dtype=np.int64)
        was_member = np.zeros(max(int(members.max(initial=-1)), int(state[near].max(initial=-1))) + 1, dtype=bool)
        was_member[members] = True
        covers = near[(owner[near] < 0) & (state[near] != seed["state"]) & was_member[state[near]]]
        owner[covers] = j
    return owner


def cascades(notices: pd.DataFrame | Mapping[str, Sequence], members_at_seed: Sequence,
             issue_area: np.ndarray, last_year: int, hegemon: int,
             window: int = CASCADE_YEARS) -> pd.DataFrame:
    """Contagion cascades, an outcome computed at the end of a run (MODEL.md §4.8, §5).

    ``notices`` has one record per notice: columns ``year``, ``state``, ``org`` and ``was_lead``
    (the state was k's lead state — most powerful member — when it gave notice). A notice is a
    **seed** when ``was_lead`` or when its state is the ``hegemon``. ``members_at_seed[i]`` is
    the collection of states that were members of ``org[i]`` at notice i (needed for seeds
    only; None elsewhere).

    A notice f **follows** seed s when ``year_s + 1 ≤ year_f ≤ year_s + window``, its state is
    another member of k at the seed, and it is to k or to an organization of k's issue area.
    Each follower is attributed to the earliest seed it follows (ties: the first record), and a
    seed may itself follow an earlier seed. A seed is **censored** when ``year_s + window >
    last_year`` (its window runs past the end of the run).

    Returns one row per seed: ``notice`` (record index), ``year``, ``state``, ``org``, ``size``
    (number of followers), ``followers`` (their record indices), ``censored``, ``expected`` (the
    followers expected by chance: the ``expected`` column of ``notices``, summed by the decision
    phase over the seed's window, 0 where absent) and ``excess`` (size − expected).
    Source: Hello-goodbye (leader-exit contagion); definitions.md (cascade).
    """
    columns = cascade_columns(notices, members_at_seed, issue_area, last_year, hegemon, window)
    return pd.DataFrame(columns) if len(columns["notice"]) else pd.DataFrame([], columns=list(CASCADE_COLUMNS))


#: The columns of :func:`cascades`, in order.
CASCADE_COLUMNS = ("notice", "year", "state", "org", "size", "followers", "censored", "expected", "excess")


def _column(notices, name: str, dtype, default=None) -> np.ndarray:
    if name not in notices:
        return default
    values = notices[name]
    return values.to_numpy(dtype=dtype) if isinstance(values, pd.Series) else np.asarray(values, dtype=dtype)


def cascade_columns(notices: pd.DataFrame | Mapping[str, Sequence], members_at_seed: Sequence,
                    issue_area: np.ndarray, last_year: int, hegemon: int,
                    window: int = CASCADE_YEARS) -> dict[str, np.ndarray]:
    """:func:`cascades` as a dict of columns (:data:`CASCADE_COLUMNS`, one array each), no
    frame built: what a sweep's run keeps."""
    year = _column(notices, "year", np.int64)
    who = _column(notices, "state", np.int64)
    where = _column(notices, "org", np.int64)
    n = len(year)
    area = np.asarray(issue_area)[where] if n else np.array([], dtype=np.int64)
    lead = _column(notices, "was_lead", bool, np.zeros(n, dtype=bool))
    is_seed = lead | ((who == hegemon) & (hegemon >= 0))
    seeds = sorted(np.flatnonzero(is_seed), key=lambda i: (year[i], i))
    attributed = np.full(n, -1, dtype=np.int64)
    for s in seeds:
        members = np.asarray(list(members_at_seed[s]), dtype=np.int64)
        follows = ((year >= year[s] + 1) & (year <= year[s] + window) & (who != who[s])
                   & np.isin(who, members) & ((where == where[s]) | (area == area[s]))
                   & (attributed < 0))
        attributed[follows] = s
    chance = _column(notices, "expected", np.float64, np.zeros(n))
    order = np.flatnonzero(is_seed)  # record order
    size = np.bincount(attributed[attributed >= 0], minlength=n)[order] if n else np.zeros(0, dtype=np.int64)
    followers = np.empty(len(order), dtype=object)
    followers[:] = [[int(f) for f in np.flatnonzero(attributed == s)] for s in order]
    return {"notice": order.astype(np.int64), "year": year[order], "state": who[order], "org": where[order],
            "size": size.astype(np.int64), "followers": followers, "censored": year[order] + window > last_year,
            "expected": chance[order], "excess": size - chance[order]}
