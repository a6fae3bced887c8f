"""``python run.py sweep`` and ``python run.py report``: the command-line side of sweeps.

Exit codes: 0 all runs done; 1 some runs failed (listed, with where their tracebacks are);
2 a problem with the experiment file or the store (nothing run); 130 interrupted (resume it
with ``--resume``).
"""

from __future__ import annotations

import argparse
import sys
from concurrent.futures import BrokenExecutor
from pathlib import Path

from ..loading import ScenarioError


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {value}")
    return value


def _print_problems(error: ScenarioError, what: str) -> None:
    for message in error.messages:
        print(message, file=sys.stderr)
    n = len(error.messages)
    print(f"The {what} has {n} problem{'s' if n != 1 else ''} to fix; nothing was run or written.", file=sys.stderr)


def _sweep(args: argparse.Namespace) -> int:
    from .executors import dask_local, dask_scheduler
    from .runner import sweep
    from .store import StoreError

    close = None
    try:
        executor = None
        if args.dask_local:
            executor, close = dask_local(args.dask_local)
        elif args.scheduler:
            executor, close = dask_scheduler(args.scheduler)
        summary = sweep(args.experiment, executor, out=args.out, resume=args.resume,
                        allow_code_change=args.allow_code_change, progress=not args.quiet, overrides=args.overrides,
                        workers=args.workers or args.dask_local, command=["run.py", *sys.argv[1:]])
    except ScenarioError as error:
        _print_problems(error, "experiment")
        return 2
    except (StoreError, ImportError, ConnectionError) as error:
        print(f"{error}", file=sys.stderr)
        return 2
    except BrokenExecutor as error:
        print(f"The executor broke ({type(error).__name__}: {error}); a worker may have run out of memory. "
              "The runs done so far are kept; continue with --resume.", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("Interrupted: the runs done so far are kept; continue with --resume.", file=sys.stderr)
        return 130
    finally:
        if close is not None:
            close()
    if not args.quiet or summary.failed:
        print(f"{Path(args.experiment).name}: {summary}")
    if summary.failed:
        for failure in summary.failed[:10]:
            print(f"  run {failure['run']} (point {failure['point']}, replication {failure['replication']}): "
                  f"{failure['error']}", file=sys.stderr)
        more = len(summary.failed) - 10
        if more > 0:
            print(f"  … and {more} more", file=sys.stderr)
        print(f"{len(summary.failed)} run{'s' if len(summary.failed) != 1 else ''} failed; their tracebacks are in "
              f"{summary.out / 'status.jsonl'}. The other runs are stored; --resume runs the failed ones again.",
              file=sys.stderr)
        return 1
    return 0


def _report(args: argparse.Namespace) -> int:
    from ..analysis import write_report
    from .store import StoreError

    try:
        path = write_report(args.folder, out=args.out)
    except StoreError as error:
        print(f"{error}", file=sys.stderr)
        return 2
    print(f"Wrote {path}.")
    return 0


def register(commands, add_overrides_option) -> None:
    """Add ``sweep`` and ``report`` to the command line's subcommands."""
    sweep = commands.add_parser(
        "sweep", help="run an experiment: many runs into a resumable results store",
        description="Run an experiment file's sweep (factors × replications) into results/<experiment>/: "
                    "manifest, design, status log and Parquet tables. A failing run is recorded and the others "
                    "go on; --resume continues a stopped sweep. See docs/sweeps.md.")
    sweep.add_argument("experiment", help="experiment file (experiments/*.yaml)")
    add_overrides_option(sweep, experiment=True)
    where = sweep.add_mutually_exclusive_group()
    where.add_argument("--workers", type=_positive, metavar="N",
                       help="local worker processes (default: one per core)")
    where.add_argument("--dask-local", type=_positive, metavar="N",
                       help="run on a Dask LocalCluster of N single-threaded workers (extra 'cluster')")
    where.add_argument("--scheduler", metavar="ADDRESS",
                       help="run on a running Dask cluster, e.g. tcp://10.0.0.5:8786 (extra 'cluster')")
    sweep.add_argument("--out", help="results folder (default: results/<experiment name>)")
    sweep.add_argument("--resume", action="store_true", help="continue the sweep in the results folder: run only "
                                                             "what is missing (and what failed)")
    sweep.add_argument("--allow-code-change", action="store_true",
                       help="resume a folder made by other code (another git commit, exitsim or library version)")
    sweep.add_argument("--quiet", action="store_true", help="no progress bar or summary (failures are still listed)")
    sweep.set_defaults(handler=_sweep)
    report = commands.add_parser(
        "report", help="write report.md with figures for a sweep's results (finished or not)",
        description="Read a sweep's results folder and write report.md and its figures: means and 95% CIs by "
                    "factor level, paired differences, trajectories, sensitivity indices, ablation effects.")
    report.add_argument("folder", help="the sweep's results folder")
    report.add_argument("--out", help="where to write report.md (default: the results folder)")
    report.set_defaults(handler=_report)
