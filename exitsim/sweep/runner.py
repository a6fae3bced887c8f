"""The sweep runner: plans the runs, hands batches to an executor, keeps the status log.

The parent process makes every run's seed (:mod:`exitsim.sweep.seeds`), writes the manifest
and the design, then submits batches of runs to any ``concurrent.futures.Executor``, a few
batches per worker at a time (so memory stays flat however many runs there are). Workers write
the results; as each batch comes back the parent appends its runs to the status log, done or
failed, and moves the progress bar. A failing run is recorded with its traceback and the sweep
goes on; the summary lists the failures.
"""

from __future__ import annotations

import datetime as _dt
import json
import math
import sys
import time
import traceback
from collections.abc import Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Executor, Future, wait
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from .designs import Design, make_design
from .executors import executor_workers, local_executor
from .experiment import Experiment, load_experiment
from .seeds import RunSpec, plan_runs
from .store import FORMAT, Store, StoreError, code_differences, code_record, require_pyarrow
from .worker import Batch, Job, run_batch


@dataclass
class SweepSummary:
    """What a sweep (or a session of it) did.

    Attributes:
        out: The store's folder.
        runs: Runs of the whole sweep (distinct run ids).
        done: Runs done in this session.
        skipped: Runs already done before it (resume).
        failed: This session's failures: ``{"run", "point", "replication", "error", "traceback"}``.
        seconds: Wall time of the session.
    """

    out: Path
    runs: int
    done: int = 0
    skipped: int = 0
    failed: list[dict[str, Any]] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def complete(self) -> bool:
        return not self.failed and self.done + self.skipped == self.runs

    def __str__(self) -> str:
        text = (f"{self.runs} runs: {self.done} done, {len(self.failed)} failed, {self.skipped} skipped "
                f"(done before) in {self.seconds:.1f} s; results in {self.out}/")
        return text


def manifest_of(experiment: Experiment, design: Design, runs: int, command: list[str] | None) -> dict[str, Any]:
    """The manifest: provenance, seeds and design of a sweep."""
    import hashlib

    def texts(files: dict[str, str]) -> dict[str, Any]:
        return {name: {"sha256": hashlib.sha256(text.encode()).hexdigest(), "text": text}
                for name, text in files.items()}

    spec = experiment.spec
    factors = [{"path": f.path, "column": f.column, "parameter": f.parameter.name if f.parameter else None,
                "values": list(f.values) if f.values is not None else None, "low": f.low, "high": f.high,
                "log": f.log} for f in experiment.factors]
    return {
        "format": FORMAT,
        "created": _dt.datetime.now(_dt.UTC).isoformat(timespec="seconds"),
        "command": command,
        "experiment": {"name": experiment.name, "description": spec.description, "hash": experiment.hash,
                       "file": str(experiment.path) if experiment.path else None,
                       "files": texts(experiment.text), "resolved": spec.model_dump(mode="json")},
        "scenario": {"name": experiment.scenario.name, "hash": experiment.scenario_hash,
                     "files": texts(experiment.scenario_texts),
                     "resolved": experiment.scenario.model_dump(mode="json")},
        "seeds": {"root": spec.seeds.root, "replications": spec.seeds.replications,
                  "common_random_numbers": spec.seeds.common},
        "steps": experiment.steps,
        "design": {"kind": design.kind, "columns": list(design.columns), "points": len(design),
                   "factors": factors, **design.settings},
        "runs": runs,
        "keep": spec.keep.model_dump(mode="json"),
        "code": code_record(),
    }


def _job(experiment: Experiment, out: Path) -> Job:
    keep = experiment.spec.keep
    return Job(str(out.resolve()), experiment.scenario_json, experiment.scenario_hash, experiment.spec.seeds.root,
               experiment.steps, tuple(experiment.yearly_measures()), tuple(experiment.horizon_measures()),
               keep.events, keep.states, keep.memberships, keep.panel)


def _batches(runs: list[RunSpec], size: int, job: Job, session: int) -> Iterator[Batch]:
    for number, start in enumerate(range(0, len(runs), size)):
        yield Batch(job, f"s{session:03d}-b{number:06d}", tuple(runs[start:start + size]))


def batch_size(runs: int, workers: int, experiment: Experiment) -> int:
    """Runs per batch: about eight batches per worker, at most 50 runs (10 when per-state or
    per-membership tables are kept) so a batch's rows stay small in a worker's memory."""
    if experiment.spec.batch_size:
        return experiment.spec.batch_size
    keep = experiment.spec.keep
    largest = 10 if keep.states or keep.memberships or keep.panel else 50
    return max(1, min(largest, math.ceil(runs / max(workers * 8, 1))))


def _prepare(store: Store, experiment: Experiment, manifest: dict[str, Any], resume: bool,
             allow_code_change: bool) -> list[str]:
    """Create the store, or check that it may be resumed; return the code differences allowed."""
    if not resume:
        if store.exists():
            what = "the results of a sweep" if store.is_store() else "other files"
            raise StoreError(f"{store.path} already holds {what}: pass --resume to continue that sweep, or "
                             "choose another --out (nothing was run or written)")
        store.write_manifest(manifest)
        return []
    if not store.is_store():
        if store.exists():
            raise StoreError(f"{store.path} holds no sweep to resume (no manifest.json) but is not empty; "
                             "choose another --out")
        store.write_manifest(manifest)
        return []
    old = store.manifest()
    if old.get("experiment", {}).get("hash") != experiment.hash:
        name = old.get("experiment", {}).get("name")
        changed = _differences(old, manifest)
        raise StoreError(f"cannot resume: {store.path} holds the results of another experiment ({name!r}, "
                         f"from {old.get('experiment', {}).get('file')}); this one ({experiment.name!r}) differs in "
                         + (f"{changed}. " if changed else "its settings, factors, seeds or base scenario. ")
                         + "Choose another --out, or remove the folder to start again")
    differences = code_differences(old.get("code", {}), manifest["code"])
    if differences and not allow_code_change:
        raise StoreError(f"cannot resume: {store.path} was made by other code ({'; '.join(differences)}), so its "
                         "results may differ from what this code makes. Pass --allow-code-change to resume "
                         "anyway (the status log records it), or start a new sweep with another --out")
    return differences


def _differences(old: dict[str, Any], new: dict[str, Any], most: int = 5) -> str:
    """What differs between two manifests' resolved experiment and base scenario, in words.
    Example: "seeds.replications (2 in the folder, 35 here)"."""
    def flat(value: Any, prefix: str = "") -> dict[str, Any]:  # lists by index: one state's power, not all states
        if isinstance(value, dict | list):  # an empty one adds nothing (a missing key reads as null)
            items = value.items() if isinstance(value, dict) else enumerate(value)
            return {k: v for key, item in items for k, v in flat(item, f"{prefix}{key}.").items()}
        return {prefix[:-1]: value}

    pairs = []
    for part, label in (("experiment", ""), ("scenario", "the base scenario's ")):
        before, after = (flat(m.get(part, {}).get("resolved") or {}) for m in (old, new))
        pairs += [(f"{label}{key}", before.get(key), after.get(key)) for key in sorted(set(before) | set(after))
                  if before.get(key) != after.get(key)]
    words = [f"{key} ({json.dumps(a)} in the folder, {json.dumps(b)} here)" for key, a, b in pairs[:most]]
    if len(pairs) > most:
        words.append(f"{len(pairs) - most} more")
    return ", ".join(words)


def sweep(experiment: Experiment | str | Path, executor: Executor | None = None, out: str | Path | None = None,
          resume: bool = False, *, allow_code_change: bool = False, progress: bool = False,
          overrides: Any = None, workers: int | None = None, command: list[str] | None = None) -> SweepSummary:
    """Run an experiment's sweep into a store; resume one.

    Args:
        experiment: An experiment file (or a loaded :class:`Experiment`).
        executor: Any ``concurrent.futures.Executor`` (default: a local process pool, one worker
            per core, or ``workers``); the caller keeps ownership of one it passes.
        out: The store's folder (default: ``results/<experiment name>``).
        resume: Continue the sweep in ``out``: run only what is missing (failed runs again).
        allow_code_change: Resume a store made by other code (git commit, versions or source).
        progress: Show a progress bar (on standard error).
        overrides: ``--set``-style changes to the experiment file.
        workers: Workers of the default executor (and a hint for batch sizes with another).
        command: The command line, for the manifest.

    Returns:
        The session's :class:`SweepSummary`; failed runs are listed in it, not raised.

    Raises:
        ScenarioError: the experiment file has problems (every one, located).
        StoreError: the store cannot be used as asked (exists, other experiment, other code).
    """
    require_pyarrow()
    if not isinstance(experiment, Experiment):
        experiment = load_experiment(experiment, overrides)
    started = time.perf_counter()
    design = make_design(experiment)
    spec = experiment.spec
    planned = list(plan_runs(design, experiment.scenario_hash, spec.seeds.root, spec.seeds.replications,
                             spec.seeds.common, experiment.steps))
    unique = list({run.run_id: run for run in planned}.values())  # a run two points share is made once
    out = Path(out) if out is not None else Path("results") / experiment.name
    store = Store(out)
    manifest = manifest_of(experiment, design, len(unique), command)
    if not resume and store.exists():  # refused before anything (even the lock file) is written there
        _prepare(store, experiment, manifest, resume, allow_code_change)
    with store.lock():
        fresh = resume and not store.is_store()
        allowed = _prepare(store, experiment, manifest, resume, allow_code_change)
        if fresh:  # --resume where no sweep was (a forgotten --out?): say it starts afresh, even when quiet
            print(f"Nothing to resume in {out} (no sweep there yet): starting the sweep.", file=sys.stderr)
        if not (out / "runs.parquet").is_file():
            _write_design(store, design, planned)
        done_before, _ = store.run_states()
        if resume:
            store.remove_orphans(done_before)
        todo = [run for run in unique if run.run_id not in done_before]
        summary = SweepSummary(out, len(unique), skipped=len(unique) - len(todo))
        own = executor is None
        if own:
            executor, close = local_executor(workers)
        n_workers = workers or executor_workers(executor)
        size = batch_size(len(todo), n_workers, experiment)
        session = store.sessions() + 1
        store.append_status([{"kind": "start", "session": session, "time": _now(), "runs": len(unique),
                              "to_run": len(todo), "skipped": summary.skipped, "resume": resume,
                              "executor": type(executor).__name__, "workers": n_workers, "batch_size": size,
                              **({"code_changed": allowed} if allowed else {})}])
        try:
            _execute(executor, _batches(todo, size, _job(experiment, out), session), n_workers, store, summary,
                     len(todo), progress, experiment.name)
        except BaseException as error:
            store.append_status([{"kind": "end", "session": session, "time": _now(), "done": summary.done,
                                  "failed": len(summary.failed), "interrupted": type(error).__name__}])
            raise
        finally:
            if own:
                close()
        summary.seconds = time.perf_counter() - started
        store.append_status([{"kind": "end", "session": session, "time": _now(), "done": summary.done,
                              "failed": len(summary.failed), "skipped": summary.skipped,
                              "seconds": round(summary.seconds, 3)}])
    return summary


def _now() -> str:
    return _dt.datetime.now(_dt.UTC).isoformat(timespec="seconds")


def _write_design(store: Store, design: Design, planned: list[RunSpec]) -> None:
    table = pd.DataFrame([p.values for p in design.points], columns=list(design.columns))
    table.insert(0, "point", range(len(design)))
    store.write_table("design", table)
    if design.units is not None:
        units = pd.DataFrame(design.units, columns=list(design.columns[-design.units.shape[1]:]))
        units.insert(0, "point", range(len(design)))
        store.write_table("design_units", units)
    store.write_table("runs", pd.DataFrame({
        "run_id": [r.run_id for r in planned], "point": [r.point for r in planned],
        "replication": [r.replication for r in planned], "seed": [r.seed_key[-1] for r in planned]}))


def _execute(executor: Executor, batches: Iterable[Batch], workers: int, store: Store, summary: SweepSummary,
             total: int, progress: bool, name: str) -> None:
    """Submit batches a few at a time; log each as it comes back."""
    from tqdm import tqdm

    bar = tqdm(total=total, desc=name, unit="run", disable=not progress, file=sys.stderr, dynamic_ncols=True)
    pending: dict[Future, Batch] = {}
    queue = iter(batches)
    window = max(2 * workers, 2)
    try:
        while True:
            while len(pending) < window:
                batch = next(queue, None)
                if batch is None:
                    break
                pending[executor.submit(run_batch, batch)] = batch
            if not pending:
                break
            finished, _ = wait(pending, return_when=FIRST_COMPLETED)
            for future in finished:
                batch = pending.pop(future)
                records = _records(future, batch, summary)
                store.append_status(records)
                bar.set_postfix(done=summary.done, failed=len(summary.failed), skipped=summary.skipped, refresh=False)
                bar.update(len(batch.runs))
    except BaseException:
        for future in pending:
            future.cancel()
        raise
    finally:
        bar.close()


def _records(future: Future, batch: Batch, summary: SweepSummary) -> list[dict[str, Any]]:
    """The status-log lines of a batch that came back (or failed as a whole)."""
    time_now = _now()
    try:
        result = future.result()
    except Exception as error:  # the batch itself failed (a worker died, a disk filled up)
        text = "".join(traceback.format_exception(error))
        result = {"part": None, "worker": None, "done": [],
                  "failed": [{"run": r.run_id, "error": f"{type(error).__name__}: {error}", "traceback": text}
                             for r in batch.runs]}
    where = {run.run_id: (run.point, run.replication) for run in batch.runs}
    records = []
    for run, seconds, cpu_seconds in result["done"]:
        records.append({"kind": "run", "run": run, "status": "done", "part": result["part"],
                        "worker": result["worker"], "seconds": seconds, "cpu_seconds": cpu_seconds,
                        "time": time_now})
        summary.done += 1
    for failure in result["failed"]:
        point, replication = where.get(failure["run"], (None, None))
        record = {"kind": "run", "run": failure["run"], "status": "failed", "point": point,
                  "replication": replication, "worker": result["worker"], "error": failure["error"],
                  "traceback": failure["traceback"], "time": time_now}
        records.append(record)
        summary.failed.append(record)
    return records
