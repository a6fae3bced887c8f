"""``python run.py validation PIECE``: one command per piece of ``docs/validation.md``.

Each command runs its experiments' sweeps into ``results/<experiment>/`` (continuing a store
left by the same code, so a stopped command resumes), analyses the stored results, prints the
figures and rewrites the piece's section of ``docs/validation.md`` (``--doc``), which names the
model version (git commit) that made the runs.

==================  ===============================================================================
``calibrate``       experiments/calibrate.yaml → scenarios/profiles/calibrated.yaml, then
                    experiments/calibration_check.yaml: the fitted intercepts and the rates they give
``replicate``       experiments/hello_goodbye.yaml: the rare-events regressions, full model and ablations
``retrenchment``    experiments/retrenchment.yaml: the share of threats among actions by exit cost
``contagion``       experiments/contagion.yaml: cascade sizes against chance by contagion and alignment
``record``          world_2017.yaml over 20 seeds: what the United States threatened and left
==================  ===============================================================================

Exit codes: 0 done; 1 some runs failed (the figures are not written); 2 a problem to fix (an
experiment file, a store made by other code, a document without the section's markers).
"""

from __future__ import annotations

import argparse
import shutil
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
EXPERIMENTS = ROOT / "experiments"
DOCUMENT = ROOT / "docs" / "validation.md"
PROFILE = ROOT / "scenarios" / "profiles" / "calibrated.yaml"


class Failed(Exception):
    """Some runs of a sweep failed: the figures would rest on a part of the runs."""


def run_experiment(name: str, args: argparse.Namespace) -> Path:
    """Run ``experiments/<name>.yaml`` into ``results/<name>/`` (resuming a store of the same
    code; ``--fresh`` makes it afresh) and return the store's folder."""
    from ..sweep.runner import sweep
    from ..sweep.store import Store

    out = Path(args.results) / name
    store = Store(out)
    if args.fresh and store.is_store():
        shutil.rmtree(out)
    summary = sweep(EXPERIMENTS / f"{name}.yaml", out=out, resume=store.is_store() and not args.fresh,
                    progress=not args.quiet, workers=args.workers,
                    command=["run.py", "validation", *sys.argv[2:]])
    if summary.failed:
        raise Failed(f"{len(summary.failed)} run(s) of {name} failed (tracebacks in {out / 'status.jsonl'}); "
                     f"run the command again to retry them")
    return out


def cpu_seconds(folder: Path) -> float:
    """The processor time the store's runs took, summed over its status log."""
    from ..sweep.store import Store

    return sum(r.get("cpu_seconds", 0.0) for r in Store(folder).status()
               if r.get("kind") == "run" and r.get("status") == "done")


def _calibrate(args: argparse.Namespace) -> str:
    from ..analysis import load_results
    from ..sweep.store import Store
    from . import calibration
    from .document import model_version

    started = time.perf_counter()
    grid = run_experiment("calibrate", args)
    manifest = Store(grid).manifest()
    fit = calibration.calibrate(calibration.run_totals(load_results(grid)))
    commit = str(manifest["code"].get("git_commit") or "unknown")[:12]
    calibration.write_profile(PROFILE, calibration.profile_text(fit, commit, manifest["steps"]))
    check = run_experiment("calibration_check", args)
    totals = load_results(check).groupby("run_id")[["notices", "threats", "at_risk"]].sum()  # per run, any world
    notices = calibration.rate_interval(totals, "notices")
    threats = calibration.rate_interval(totals, "threats")
    seconds = time.perf_counter() - started
    cpu = cpu_seconds(grid) + cpu_seconds(check)
    return calibration.markdown(fit, notices, threats, model_version(manifest), manifest, seconds, cpu)


def _replicate(args: argparse.Namespace) -> str:
    from ..analysis import load_results
    from ..parameters import REGISTRY
    from ..sweep.store import Store
    from . import replication
    from .document import model_version

    started = time.perf_counter()
    folder = run_experiment("hello_goodbye", args)
    store = Store(folder)
    manifest = store.manifest()
    design = store.table("design")
    defaults = {c: REGISTRY[c].default for c in design.columns if c in REGISTRY}
    sample = load_results(folder, "panel")
    return replication.markdown(sample, design, defaults, model_version(manifest), manifest["seeds"]["replications"],
                                manifest["steps"], manifest["keep"]["panel"], time.perf_counter() - started,
                                cpu_seconds(folder))


def _figures(name: str, args: argparse.Namespace):
    """Run an experiment; return its folder, manifest, horizon rows and a function of the time spent."""
    from ..analysis import load_results
    from ..sweep.store import Store

    started = time.perf_counter()
    folder = run_experiment(name, args)
    return folder, Store(folder).manifest(), load_results(folder, "horizon"), started


def _retrenchment(args: argparse.Namespace) -> str:
    from . import experiments
    from .document import model_version

    folder, manifest, horizon, started = _figures("retrenchment", args)
    return experiments.retrenchment_markdown(
        horizon, "domestic_switching_cost", "concession_intercept", model_version(manifest),
        manifest["seeds"]["replications"], manifest["steps"], manifest["scenario"]["name"],
        time.perf_counter() - started, cpu_seconds(folder))


def _contagion(args: argparse.Namespace) -> str:
    from ..analysis import load_results
    from . import experiments
    from .document import model_version

    folder, manifest, horizon, started = _figures("contagion", args)
    sizes = experiments.cascade_sizes(load_results(folder, "cascades"), horizon)
    return experiments.contagion_markdown(
        sizes, "beta_contagion", "alignment_rate", model_version(manifest), manifest["seeds"]["replications"],
        manifest["steps"], manifest["scenario"]["name"], time.perf_counter() - started, cpu_seconds(folder))


def _record(args: argparse.Namespace) -> str:
    from ..analysis import load_events
    from ..clauses import load_templates
    from . import record
    from .document import model_version

    folder, manifest, horizon, started = _figures("world_2017", args)
    events = load_events(folder)
    organizations = [t.abbreviation for t in load_templates()]
    table = record.runs_with(events, organizations, len(horizon))
    per_run = record.acts_per_run(events, list(horizon["run_id"]))
    return record.markdown(table, record.load_record(), per_run, model_version(manifest), manifest["steps"],
                           time.perf_counter() - started, cpu_seconds(folder))


PIECES: dict[str, tuple[str, Callable[[argparse.Namespace], str]]] = {
    "calibrate": ("calibration", _calibrate),
    "replicate": ("replication", _replicate),
    "retrenchment": ("retrenchment", _retrenchment),
    "contagion": ("contagion", _contagion),
    "record": ("record", _record),
}


def _validation(args: argparse.Namespace) -> int:
    from ..loading import ScenarioError
    from ..sweep.store import StoreError
    from .document import DocumentError, update

    section, make = PIECES[args.piece]
    try:
        body = make(args)
    except ScenarioError as error:
        for message in error.messages:
            print(message, file=sys.stderr)
        print("An experiment file has problems to fix; nothing was run or written.", file=sys.stderr)
        return 2
    except StoreError as error:
        print(f"{error}\n(To make the runs afresh with this code: python run.py validation {args.piece} --fresh)",
              file=sys.stderr)
        return 2
    except Failed as error:
        print(error, file=sys.stderr)
        return 1
    print(body)
    if args.doc:
        try:
            path = update(args.doc, section, body)
        except (DocumentError, OSError) as error:
            print(f"Could not update {args.doc}: {error}", file=sys.stderr)
            return 2
        print(f"\nUpdated section {section!r} of {path}.")
    return 0


def register(commands) -> None:
    """Add ``validation`` to the command line's subcommands."""
    parser = commands.add_parser(
        "validation", help="regenerate a piece of docs/validation.md (calibration, replication, experiments, record)",
        description="Run one piece of the empirical grounding: its sweeps (resumed when stopped), its analysis, "
                    "and its section of docs/validation.md. See docs/validation.md.")
    parser.add_argument("piece", choices=list(PIECES), help="which piece")
    parser.add_argument("--workers", type=int, default=None, metavar="N",
                        help="local worker processes (default: one per core)")
    parser.add_argument("--results", default="results", help="where the sweeps' stores go (default: results)")
    parser.add_argument("--fresh", action="store_true",
                        help="remake the sweeps' stores from scratch (needed after the code changed)")
    parser.add_argument("--doc", default=str(DOCUMENT), help="the document to update ('' for none; default: "
                                                             "docs/validation.md)")
    parser.add_argument("--quiet", action="store_true", help="no progress bars")
    parser.set_defaults(handler=_validation)
