"""The state–organization–year panel of the in-silico replication of "Hello, goodbye".

von Borzyskowski & Vabulas (2019) model whether state i announces its withdrawal from IGO k in
year t, over the member-years at risk, with the regressors measured before the year's choice.
The same panel is made from a run in two steps:

1. :func:`year_snapshot`, called before each step, records the rows at risk in the coming year
   t — memberships with status ``member`` in living treaty bodies (not non-treaty bodies, whose
   exits are not treaty withdrawals), exactly the model's ``at_risk`` (MODEL.md §5) — with the
   regressors as they stand at the end of year t − 1 (lagged one year, as in the empirical work):

   ==================  ===================================================================
   ``divergence``      distance from the state's ideal point to the mean ideal point of the
                       organization's other active members (preference divergence)
   ``nativism``        the state's nativism n (the empirical work's nationalism)
   ``democracy``       the state's democracy
   ``log_size``        log of the organization's active members
   ``institutionalization``  1 minimal … 3 interventionist
   ``members_democracy``     mean democracy of the organization's active members
   ``performance``     the organization's performance q
   ``power_change``    change of the state's log share of world power over the last year
   ``lead_state``      the organization's lead state: its most powerful active member
   ==================  ===================================================================

2. :func:`build_panel` adds the dependent variable and the lag that needs the event log:
   ``notice`` (1 when the state gave a lawful notice to the organization in year t: notices by
   announcement year, walk-outs and non-treaty exits not counted, as in the withdrawal rate) and
   ``contagion`` (1 when the organization's lead state gave notice to it in year t − 1; the
   lead state's own rows are 0).

:func:`case_control` then keeps every event and a share of the other rows (King & Zeng 2001),
with the counts the prior correction of the intercept needs.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..codes import DEAD, MEMBER
from ..mechanisms import law

REGRESSORS = ("divergence", "contagion", "nativism", "democracy", "log_size", "institutionalization",
              "members_democracy", "performance", "power_change")
"""The replication's regressors, in the order its tables list them."""

SNAPSHOT_COLUMNS = ("year", "state", "organization", "lead_state", "divergence", "nativism", "democracy", "log_size",
                    "institutionalization", "members_democracy", "performance", "power_change")
"""The columns :func:`year_snapshot` returns."""


def year_snapshot(model) -> pd.DataFrame:
    """The rows at risk in the model's coming year, with the regressors at the end of this one.

    Call it before :meth:`ExitModel.step`: its rows are those the year's decisions can turn
    into notices (status ``member``, organization not dead, binding clause not ``non_treaty``).

    Args:
        model: An :class:`~exitsim.model.ExitModel` between two steps.

    Returns:
        One row per membership at risk, with :data:`SNAPSHOT_COLUMNS`.
    """
    world = model.world
    ms = world.memberships
    active = world.active_rows()
    org, state = ms.org[active], ms.state[active]
    n_orgs = world.n_orgs
    size = np.bincount(org, minlength=n_orgs)
    ideal = world.ideal_point
    sums = np.stack([np.bincount(org, weights=ideal[state, d], minlength=n_orgs) for d in range(ideal.shape[1])], 1)
    democracy_sum = np.bincount(org, weights=world.democracy[state], minlength=n_orgs)
    # the lead state: the most powerful active member (ties: the lowest index), as contagion's w_L = 1
    order = np.lexsort((state, -world.power[state], org))
    first = np.ones(len(order), dtype=bool)
    first[1:] = org[order][1:] != org[order][:-1]
    lead = np.full(n_orgs, -1)
    lead[org[order][first]] = state[order][first]

    ctx = model.context()
    at_risk = ((ms.status[active] == MEMBER) & (world.org_status[org] != DEAD)
               & (ctx.binding_kind(active) != law.NON_TREATY))
    rows = active[at_risk]
    k, i = ms.org[rows], ms.state[rows]
    others = np.maximum(size[k] - 1, 1)[:, None]
    mean_others = (sums[k] - ideal[i]) / others
    share = world.share_history
    codes = np.asarray(world.state_code, dtype=object)
    return pd.DataFrame({
        "year": np.full(len(rows), model.year + 1, dtype=np.int64),
        "state": codes[i],
        "organization": np.asarray(world.org_code, dtype=object)[k],
        "lead_state": codes[lead[k]],
        "divergence": np.linalg.norm(ideal[i] - mean_others, axis=1),
        "nativism": world.nativism[i],
        "democracy": world.democracy[i],
        "log_size": np.log(size[k]),
        "institutionalization": world.institutionalization[k].astype(np.int64),
        "members_democracy": democracy_sum[k] / size[k],
        "performance": world.quality[k],
        "power_change": np.log(share[i, 0] / share[i, 1]),
    })


def build_panel(snapshots: pd.DataFrame, events: pd.DataFrame) -> pd.DataFrame:
    """The replication's panel: the snapshots' rows with the dependent variable and contagion.

    Args:
        snapshots: :func:`year_snapshot`'s rows of every year of a run (``year`` is the year
            the row is at risk in).
        events: The run's event log (``events.csv``'s columns ``year``, ``kind``, ``state``,
            ``organization``); only ``kind == "notice"`` counts (lawful notices by announcement
            year; walk-outs and non-treaty exits have other kinds).

    Returns:
        The snapshots' rows in their order, with ``notice`` (0/1: a notice by the state to the
        organization in that year) and ``contagion`` (0/1: the organization's lead state, as it
        stood at the start of the year before, gave it notice in the year before; 0 on the lead
        state's own rows).

    Raises:
        ValueError: a notice in a year the snapshots cover for a membership that was not at risk
            (the panel and the log are not of the same run).
    """
    panel = snapshots.reset_index(drop=True).copy()
    notices = events.loc[events["kind"] == "notice", ["year", "state", "organization"]].drop_duplicates()
    notices = notices[notices["year"].isin(panel["year"].unique())]
    keys = ["year", "state", "organization"]
    marked = panel[keys].merge(notices.assign(notice=1), on=keys, how="left")["notice"]
    panel["notice"] = marked.fillna(0).astype(np.int64).to_numpy()
    if panel["notice"].sum() != len(notices):
        missing = notices.merge(panel[keys], on=keys, how="left", indicator=True)
        first = missing[missing["_merge"] == "left_only"].iloc[0]
        raise ValueError(f"a notice of {first['state']} to {first['organization']} in {first['year']} is not among "
                         "the rows at risk: the snapshots and the events are not of the same run")
    leads = panel[["year", "organization", "lead_state"]].drop_duplicates(["year", "organization"])
    lead_notices = notices.merge(leads, on=["year", "organization"])
    lead_notices = lead_notices.loc[lead_notices["state"] == lead_notices["lead_state"], ["year", "organization",
                                                                                          "lead_state"]]
    lagged = lead_notices.assign(year=lead_notices["year"] + 1, contagion=1).rename(columns={"lead_state": "leader"})
    joined = panel[["year", "organization", "state"]].merge(lagged, on=["year", "organization"], how="left")
    panel["contagion"] = ((joined["contagion"].fillna(0) == 1) & (joined["leader"] != joined["state"])).astype(
        np.int64).to_numpy()
    return panel


def case_control(panel: pd.DataFrame, share: float, rng: np.random.Generator) -> pd.DataFrame:
    """Every event and ``share`` of the other rows, drawn without replacement (King & Zeng 2001).

    The number of controls kept is ``round(share × controls)``, so each kept row carries the
    exact counts of its run's population for the prior correction: ``population_rows`` and
    ``population_events`` (the same on every row of one call).

    Args:
        panel: :func:`build_panel`'s rows (one run).
        share: The share of non-events to keep, in (0, 1].
        rng: The generator of the draw (its own stream: the run's results do not depend on it).
    """
    if not 0 < share <= 1:
        raise ValueError(f"the share of controls kept must be in (0, 1], got {share}")
    events = np.flatnonzero(panel["notice"].to_numpy() == 1)
    controls = np.flatnonzero(panel["notice"].to_numpy() == 0)
    kept = np.sort(np.concatenate([events, rng.choice(controls, size=int(round(share * len(controls))),
                                                      replace=False)]))
    sample = panel.iloc[kept].reset_index(drop=True)
    sample["population_rows"] = len(panel)
    sample["population_events"] = len(events)
    return sample


def run_panel(model, share: float = 1.0, rng: np.random.Generator | None = None) -> pd.DataFrame:
    """Run a model to its end, recording its panel (:func:`year_snapshot` before every step,
    then :func:`build_panel`), case-control sampled when ``share`` < 1.

    Args:
        model: A fresh :class:`~exitsim.model.ExitModel`.
        share: The share of non-events kept (1: every row).
        rng: The generator of the case-control draw (needed when ``share`` < 1).
    """
    snapshots = []
    for _ in range(model.n_steps - model.steps):
        snapshots.append(year_snapshot(model))
        model.step()
    panel = build_panel(pd.concat(snapshots, ignore_index=True), model.events.to_frame())
    if share < 1:
        if rng is None:
            raise ValueError("a case-control sample needs its generator (rng)")
        return case_control(panel, share, rng)
    return panel.assign(population_rows=len(panel), population_events=int(panel["notice"].sum()))

