"""Command line: ``python run.py [COMMAND] ...`` (``run`` when no command is given).

Errors in a scenario are printed as a list of what to fix, with exit code 2 and no
traceback; nothing is written for a scenario that does not validate.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from .scenario import ScenarioError, load_scenario

LARGE_PANEL = 50_000  # memberships above which the membership panel is opt-in


def _run(args: argparse.Namespace) -> int:
    from .model import ExitModel
    from .outputs import MembershipPanelWriter, write_run

    scenario = load_scenario(args.scenario)
    started = time.perf_counter()
    model = ExitModel(scenario, seed=args.seed, world_seed=args.world_seed, steps=args.steps,
                      collect_states=True)
    out = Path(args.out) if args.out else Path("results") / model.config.name
    n_memberships = len(model.world.memberships)
    panel = args.memberships if args.memberships is not None else n_memberships <= LARGE_PANEL
    out.mkdir(parents=True, exist_ok=True)
    writer = MembershipPanelWriter(out / "memberships.csv") if panel else None
    try:
        if writer:
            writer.write(model.membership_panel())
        progress = not args.quiet
        if progress:
            from tqdm import tqdm

            years = tqdm(range(model.n_steps), desc=model.config.name, unit="year", file=sys.stderr)
        else:
            years = range(model.n_steps)
        for _ in years:
            model.step()
            if writer:
                writer.write(model.membership_panel())
    except BaseException:
        if writer:
            writer.discard()
        raise
    elapsed = time.perf_counter() - started
    written = write_run(model, out, writer, sys.argv, elapsed)
    if not args.quiet:
        print((out / "summary.md").read_text(encoding="utf-8"))
        print(f"Wrote {', '.join(sorted(written))} to {out}/ in {elapsed:.2f} s.")
        if not panel:
            print(f"(memberships.csv skipped: {n_memberships} memberships; pass --memberships to write it.)")
    return 0


def _docs(args: argparse.Namespace) -> int:
    from .outputs import outputs_markdown

    folder = Path(args.folder)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "outputs.md").write_text(outputs_markdown(), encoding="utf-8")
    print(f"Wrote {folder / 'outputs.md'}.")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="run.py", description="exitsim: simulate states' exit from international organizations.")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    run = commands.add_parser("run", help="run one scenario and write its results",
                              description="Run one scenario and write its results to a folder.")
    run.add_argument("scenario", nargs="?", default=None,
                     help="scenario file (default: the built-in default scenario)")
    run.add_argument("--seed", type=int, help="dynamics seed (default: the scenario's)")
    run.add_argument("--world-seed", type=int, help="seed of the generated world (default: the scenario's)")
    run.add_argument("--steps", type=int, help="years to simulate (default: the scenario's)")
    run.add_argument("--out", help="output folder (default: results/<scenario name>)")
    run.add_argument("--memberships", action=argparse.BooleanOptionalAction, default=None,
                     help=f"write memberships.csv (default: yes up to {LARGE_PANEL:,} memberships)")
    run.add_argument("--quiet", action="store_true", help="no progress bar or summary")
    run.set_defaults(handler=_run)
    docs = commands.add_parser("docs", help="regenerate the generated documentation (docs/outputs.md)")
    docs.add_argument("--folder", default="docs", help="where to write (default: docs)")
    docs.set_defaults(handler=_docs)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point of ``python run.py`` and the ``exitsim`` command."""
    argv = sys.argv[1:] if argv is None else list(argv)
    parser = build_parser()
    if not argv or argv[0].startswith("-") and argv[0] not in ("-h", "--help"):
        argv = ["run", *argv]
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 2
    try:
        return args.handler(args)
    except ScenarioError as error:
        print("The scenario has problems to fix:", file=sys.stderr)
        for message in error.messages:
            print(f"  {message}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("Interrupted; nothing more was written.", file=sys.stderr)
        return 130
