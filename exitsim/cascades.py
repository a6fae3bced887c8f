"""Contagion cascades, an outcome (MODEL.md §4.8, §5): the log of spreading exits and the
cascades measured from it at the end of a run.

The decision phase records every notice and walk-out that spreads contagion in a
:class:`NoticeLog` (who left what, whether it was the organization's lead state, and who the
members were at that moment); :func:`cascades` then finds the seeds and their followers.
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
                             "members": members.tolist()})

    def frame(self) -> pd.DataFrame:
        """The log as a table: ``year``, ``state``, ``org``, ``was_lead``, ``members``."""
        return pd.DataFrame(self.records, columns=["year", "state", "org", "was_lead", "members"])


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
    (number of followers), ``followers`` (their record indices), ``censored``.
    Source: Hello-goodbye (leader-exit contagion); definitions.md (cascade).
    """
    table = pd.DataFrame(notices).reset_index(drop=True)
    year = table["year"].to_numpy(dtype=np.int64)
    who = table["state"].to_numpy(dtype=np.int64)
    where = table["org"].to_numpy(dtype=np.int64)
    area = np.asarray(issue_area)[where] if len(where) else np.array([], dtype=np.int64)
    lead = (table["was_lead"].to_numpy(dtype=bool) if "was_lead" in table
            else np.zeros(len(table), dtype=bool))
    is_seed = lead | ((who == hegemon) & (hegemon >= 0))
    seeds = sorted(np.flatnonzero(is_seed), key=lambda i: (year[i], i))
    attributed = np.full(len(table), -1, dtype=np.int64)
    for s in seeds:
        members = np.asarray(list(members_at_seed[s]), dtype=np.int64)
        follows = ((year >= year[s] + 1) & (year <= year[s] + window) & (who != who[s])
                   & np.isin(who, members) & ((where == where[s]) | (area == area[s]))
                   & (attributed < 0))
        attributed[follows] = s
    rows = [{"notice": int(s), "year": int(year[s]), "state": int(who[s]), "org": int(where[s]),
             "size": int((attributed == s).sum()),
             "followers": [int(f) for f in np.flatnonzero(attributed == s)],
             "censored": bool(year[s] + window > last_year)} for s in sorted(seeds)]
    columns = ["notice", "year", "state", "org", "size", "followers", "censored"]
    return pd.DataFrame(rows, columns=columns)
