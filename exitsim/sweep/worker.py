"""What a worker does: run a batch of runs and write their tables, one file per table.

A batch is the unit a worker receives from the executor. It runs each of its runs in turn
(a run that raises is recorded with its traceback, and the batch goes on), then writes each
table's rows of the whole batch as one Parquet file, ``<table>/<batch>-<host>-<pid>.parquet``,
atomically (a temporary file, then a rename), and returns what it did for the status log.
Workers never touch the status log: the parent process appends to it.
"""

from __future__ import annotations

import os
import socket
import time
import traceback
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from ..codes import HEGEMON_STRATEGIES, RISING_STRATEGIES
from .experiment import RUN_MEASURES
from .seeds import RunSpec, run_seed

#: The causes of the great powers' strategic events (``keep.events: strategic``).
STRATEGIES = frozenset(HEGEMON_STRATEGIES + RISING_STRATEGIES)
#: The tables a sweep can write; each is a folder of Parquet parts.
TABLES = ("yearly", "horizon", "events", "cascades", "states", "memberships", "panel")


@dataclass(frozen=True)
class Job:
    """What every batch of a sweep shares.

    Attributes:
        store: The store's folder (shared with the workers: a cluster needs a shared file system).
        scenario_json: The resolved base scenario, as JSON.
        scenario_hash: Its hash (the key of the workers' cache of scenarios).
        root: The root seed.
        steps: Years per run.
        yearly: Outcomes kept every year.
        horizon: Outcomes kept at the horizon.
        events: Whether the events and cascades are kept (``"strategic"``: only the events
            whose cause is a great power's strategy, and the cascades).
        states, memberships: Whether those tables are kept.
        panel: The share of non-events kept in the exit panel (None: no panel).
    """

    store: str
    scenario_json: str
    scenario_hash: str
    root: int
    steps: int
    yearly: tuple[str, ...]
    horizon: tuple[str, ...]
    events: bool | str = False
    states: bool = False
    memberships: bool = False
    panel: float | None = None


@dataclass(frozen=True)
class Batch:
    """Runs a worker makes together; ``name`` begins the names of the files it writes."""

    job: Job
    name: str
    runs: tuple[RunSpec, ...]


_SCENARIOS: dict[tuple, Any] = {}  # a worker's scenarios, by base and overrides


def _scenario(job: Job, overrides: dict[str, Any]):
    from ..scenario import Scenario
    from .experiment import scenario_with

    key = (job.scenario_hash, tuple(sorted((k, repr(v)) for k, v in overrides.items())))
    if key not in _SCENARIOS:
        if len(_SCENARIOS) > 64:
            _SCENARIOS.clear()
        base_key = (job.scenario_hash, ())
        if base_key not in _SCENARIOS:
            _SCENARIOS[base_key] = Scenario.model_validate_json(job.scenario_json)
        _SCENARIOS[key] = scenario_with(_SCENARIOS[base_key], overrides) if overrides else _SCENARIOS[base_key]
    return _SCENARIOS[key]


def run_measures(model, frame: pd.DataFrame | dict[str, np.ndarray], cascades: pd.DataFrame) -> dict[str, float]:
    """The measures of a whole run (:data:`~exitsim.sweep.experiment.RUN_MEASURES`) from its
    timeseries (a frame, or its columns: :meth:`~exitsim.outcomes.Outcomes.timeseries_columns`)."""
    from ..outputs import transition_year
    from ..transition import ratio_decomposition

    year = transition_year(frame)
    active = np.asarray(frame["strategy_active"]) > 0
    return {
        "withdrawal_rate": model.withdrawal_rate(),
        "notices_total": int(np.asarray(frame["notices"]).sum()),
        "threats_total": int(np.asarray(frame["threats"]).sum()),
        "withdrawals_total": int(np.asarray(frame["withdrawals"]).sum()),
        "cascades": len(cascades),
        "cascade_followers": int(cascades["size"].sum()) if len(cascades) else 0,
        "largest_cascade": int(cascades["size"].max()) if len(cascades) else 0,
        "transition_year": float(year) if year is not None else np.nan,
        "strategy_activation_year": float(np.asarray(frame["year"])[active.argmax()]) if active.any() else np.nan,
        **ratio_decomposition(model),
    }


def run_one(spec: RunSpec, job: Job) -> dict[str, pd.DataFrame]:
    """Make one run and return its rows of each kept table."""
    from ..model import ExitModel

    model = ExitModel(_scenario(job, spec.overrides), seed=run_seed(job.root, spec.seed_key), steps=job.steps,
                      world_seed=spec.world_seed, parameters=spec.parameters, collect_states=job.states)
    panels = []
    if job.panel is not None:
        exit_panel = _exit_panel(model, job, spec, panels)
    elif job.memberships:
        panels.append(model.membership_panel())
        for _ in range(model.n_steps):
            model.step()
            panels.append(model.membership_panel())
    else:
        model.run()
    # the model's outcomes and the strategies' (timeseries.csv's columns), as arrays: no frame built
    columns = model.datacollector.timeseries_columns()
    years = len(columns["year"])
    tables: dict[str, pd.DataFrame] = {}
    if job.yearly:
        tables["yearly"] = pd.DataFrame({"run_id": [spec.run_id] * years, "step": np.arange(years),
                                         "year": columns["year"], **{name: columns[name] for name in job.yearly}})
    needs_cascades = job.events or any(name in RUN_MEASURES for name in job.horizon)
    cascades = model.cascades() if needs_cascades else None
    if job.horizon:
        measures = run_measures(model, columns, cascades) if any(n in RUN_MEASURES for n in job.horizon) else {}
        row = {"step": years - 1, "year": int(columns["year"][-1])}
        # a year's measures as floats, as a row of the (all-numeric) timeseries frame has them
        row |= {name: measures[name] if name in RUN_MEASURES else float(columns[name][-1]) for name in job.horizon}
        tables["horizon"] = _with_id(pd.DataFrame([row]), spec.run_id)
    if job.events:
        events = model.events.to_frame()
        if job.events == "strategic":
            events = events[events["cause"].isin(STRATEGIES)]
        tables["events"] = _with_id(events, spec.run_id)
        tables["cascades"] = _with_id(cascades, spec.run_id)
    if job.states:
        tables["states"] = _with_id(model.datacollector.get_agent_vars_dataframe(), spec.run_id)
    if job.panel is not None:
        tables["panel"] = _with_id(exit_panel, spec.run_id)
    if job.memberships:
        tables["memberships"] = _with_id(pd.concat(panels, ignore_index=True), spec.run_id)
    return tables


PANEL_STREAM = 0x70616E656C
"""The spawn-key tag of the case-control draw's generator: a stream of its own, so keeping a
panel changes none of the run's results."""


def _exit_panel(model, job: Job, spec: RunSpec, memberships: list[pd.DataFrame]) -> pd.DataFrame:
    """Run the model recording the replication's panel (and, when kept, each year's membership
    panel into ``memberships``)."""
    from ..validation.panel import build_panel, case_control, year_snapshot

    snapshots = []
    for _ in range(model.n_steps):
        if job.memberships:
            memberships.append(model.membership_panel())
        snapshots.append(year_snapshot(model))
        model.step()
    if job.memberships:
        memberships.append(model.membership_panel())
    panel = build_panel(pd.concat(snapshots, ignore_index=True), model.events.to_frame())
    rng = np.random.default_rng(np.random.SeedSequence(job.root, spawn_key=(*spec.seed_key, PANEL_STREAM)))
    return case_control(panel, job.panel, rng)


def _with_id(frame: pd.DataFrame, run_id: str) -> pd.DataFrame:
    frame = frame.reset_index(drop=True)
    frame.insert(0, "run_id", run_id)
    return frame


def worker_name() -> str:
    """``host-pid``: tells apart the files of workers writing to one store."""
    return f"{socket.gethostname().split('.')[0]}-{os.getpid()}"


def run_batch(batch: Batch) -> dict[str, Any]:
    """Make a batch's runs, write their tables (one file each), and say what happened.

    Returns:
        ``{"batch", "part", "worker", "done": [(run_id, seconds, cpu_seconds)], "failed": [{"run",
        "error", "traceback"}], "files": [...]}``; a run that raised is in ``failed`` with its
        traceback. ``seconds`` is a run's wall time, ``cpu_seconds`` the worker's processor time
        for it, its share of writing the batch's files included (wall time well above processor
        time means the machine was busy with other work).
    """
    from .executors import busy

    with busy():
        return _run_batch(batch)


def _run_batch(batch: Batch) -> dict[str, Any]:
    from .executors import parent_gone
    from .store import write_part

    job = batch.job
    worker = worker_name()
    part = f"{batch.name}-{worker}"
    rows: dict[str, list[pd.DataFrame]] = defaultdict(list)
    done, failed = [], []
    for spec in batch.runs:
        if parent_gone():  # the sweep was killed: its store is no longer this batch's to write
            return {"batch": batch.name, "part": part, "worker": worker, "done": [], "failed": [], "files": []}
        started, cpu = time.perf_counter(), time.process_time()
        try:
            tables = run_one(spec, job)
        except Exception as error:  # a failing run is recorded; the others go on
            failed.append({"run": spec.run_id, "error": f"{type(error).__name__}: {error}",
                           "traceback": traceback.format_exc()})
            continue
        for table, frame in tables.items():
            rows[table].append(frame)
        done.append((spec.run_id, time.perf_counter() - started, time.process_time() - cpu))
    if parent_gone():
        return {"batch": batch.name, "part": part, "worker": worker, "done": [], "failed": [], "files": []}
    started, cpu = time.perf_counter(), time.process_time()
    files = []
    for table, frames in rows.items():
        frames = [frame for frame in frames if len(frame)]
        if frames:
            files.append(write_part(job.store, table, part, pd.concat(frames, ignore_index=True)))
    share = (time.perf_counter() - started) / max(len(done), 1), (time.process_time() - cpu) / max(len(done), 1)
    done = [(run, round(wall + share[0], 4), round(used + share[1], 4)) for run, wall, used in done]
    return {"batch": batch.name, "part": part, "worker": worker, "done": done, "failed": failed,
            "files": [str(f) for f in files if f is not None]}
