"""``python run.py compare`` and ``python run.py findings``: the command-line side of the
strategy comparison.

Exit codes: 0 done; 1 runs of the comparison failed (nothing written); 2 a problem with the
scenario, an override, the output folder or the stored results (one message, no traceback);
130 interrupted (the output folder is left as it was).
"""

from __future__ import annotations

import argparse
import sys

from ..cli import _whole
from ..strict import MAX_SEED, MAX_STEPS
from ..sweep.command import _positive


def _compare(args: argparse.Namespace) -> int:
    from .quick import ComparisonFailed, compare

    try:
        out, lines, elapsed = compare(args.scenario, args.overrides, replications=args.replications, root=args.root,
                                      steps=args.steps, workers=args.workers, out=args.out,
                                      progress=not args.quiet, command=["run.py", *sys.argv[1:]])
    except ComparisonFailed as error:
        print(f"{error}\nNothing was written; the tracebacks follow.", file=sys.stderr)
        for failure in error.failed[:3]:
            print(failure.get("traceback", ""), file=sys.stderr)
        return 1
    if not args.quiet:
        print("\n".join(lines))
    print(f"Wrote compare.md, figure.png, means.csv, differences.csv and run.json to {out}/ in {elapsed:.1f} s.")
    return 0


def _findings(args: argparse.Namespace) -> int:
    from ..sweep.store import StoreError
    from .findings import write_findings

    try:
        path = write_findings(args.results, args.out)
    except StoreError as error:
        print(f"{error}", file=sys.stderr)
        return 2
    print(f"Wrote {path} and its figures and tables.")
    return 0


def register(commands, add_overrides_option) -> None:
    """Add ``compare`` and ``findings`` to the command line's subcommands."""
    from .quick import REPLICATIONS, ROOT

    compare = commands.add_parser(
        "compare", help="compare the hegemon's strategies quickly: paired differences from status quo",
        description="Run the hegemon's four strategies (status_quo, exit_diplomacy, inclusive, exclusive) against the "
                    "scenario's rising power with common random numbers, print status quo's means and each "
                    "strategy's paired difference with its 95% interval, and write compare.md, figure.png and the "
                    "tables to a folder. The full experiment: experiments/exit_vs_balancing.yaml.")
    compare.add_argument("scenario", nargs="?", default=None,
                         help="scenario file (default: the built-in default scenario)")
    add_overrides_option(compare)
    compare.add_argument("--replications", type=_positive, default=REPLICATIONS, metavar="N",
                         help=f"runs of each strategy, each with its own seed, the same under every strategy "
                              f"(default: {REPLICATIONS})")
    compare.add_argument("--root", type=_whole(0, MAX_SEED), default=ROOT, metavar="SEED",
                         help=f"root seed: replication r uses its child r (default: {ROOT}, the root of "
                              "experiments/exit_vs_balancing.yaml)")
    compare.add_argument("--steps", type=_whole(1, MAX_STEPS), metavar="N",
                         help=f"years per run, 1–{MAX_STEPS} (default: the scenario's)")
    compare.add_argument("--workers", type=_positive, metavar="N",
                         help="local worker processes (default: one per core)")
    compare.add_argument("--out", help="output folder (default: results/compare)")
    compare.add_argument("--quiet", action="store_true", help="no progress bar or table")
    compare.set_defaults(handler=_compare)
    findings = commands.add_parser(
        "findings", help="write docs/findings.md from the headline experiments' results",
        description="Read the stores of experiments/exit_vs_balancing.yaml, exit_vs_balancing_world.yaml and "
                    "exit_vs_balancing_sensitivity.yaml (those present) and write docs/findings.md with its figures "
                    "and tables in docs/findings/. make findings runs the three sweeps first.")
    findings.add_argument("--results", default="results", help="the folder holding the stores (default: results)")
    findings.add_argument("--out", default="docs/findings.md", help="the document (default: docs/findings.md)")
    findings.set_defaults(handler=_findings)
