"""Command line: ``python run.py [COMMAND] ...`` (``run`` when no command is given).

Errors in a scenario are printed all at once, each as ``FILE:LINE:COL: path: message`` with
the source line and a caret, with exit code 2 and no traceback; nothing is written for a
scenario that does not validate. Every command that reads a scenario takes
``--set PATH=VALUE`` overrides, checked like the file.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from .scenario import ScenarioError, load_scenario
from .timeline import TimelineError

LARGE_PANEL = 50_000  # memberships above which the membership panel is opt-in


def _run(args: argparse.Namespace) -> int:
    from .model import ExitModel
    from .outputs import MembershipPanelWriter, write_run

    scenario = load_scenario(args.scenario, overrides=args.overrides)
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


def _validate(args: argparse.Namespace) -> int:
    """Check scenario files: every problem of every file, or one line per clean file."""
    failed = 0
    for file in args.files:
        try:
            scenario = load_scenario(file, overrides=args.overrides)
        except ScenarioError as error:
            failed += 1
            print_problems(error, f"{file}: {_count(error)} to fix")
            continue
        print(f"{file}: OK (scenario {scenario.name!r}: {scenario.steps} years from {scenario.start_year})")
    if failed and len(args.files) > 1:
        print(f"{failed} of {len(args.files)} files have problems.", file=sys.stderr)
    return 2 if failed else 0


def _count(error: ScenarioError) -> str:
    n = len(error.messages)
    return f"{n} problem{'s' if n != 1 else ''}"


def print_problems(error: ScenarioError, closing: str) -> None:
    """Print a scenario's problems to standard error, then a closing line."""
    for message in error.messages:
        print(message, file=sys.stderr)
    print(closing, file=sys.stderr)


def _docs(args: argparse.Namespace) -> int:
    from .outputs import outputs_markdown
    from .reference import write_reference_files

    root = Path(args.root)
    (root / "docs").mkdir(parents=True, exist_ok=True)
    (root / "docs" / "outputs.md").write_text(outputs_markdown(), encoding="utf-8")
    written = [root / "docs" / "outputs.md", *write_reference_files(root)]
    print("Wrote " + ", ".join(str(p) for p in written) + ".")
    return 0


def _new(args: argparse.Namespace) -> int:
    import os
    import re

    from .reference import SCHEMA_PATH, new_scenario_text

    if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_\-]*", args.name):
        print(f"A scenario name becomes a file name: use letters, digits, _ or -, not {args.name!r}.", file=sys.stderr)
        return 2
    folder = Path(args.folder)
    path = folder / f"{args.name}.yaml"
    if path.exists():
        print(f"{path} exists already; choose another name or delete it first.", file=sys.stderr)
        return 2
    folder.mkdir(parents=True, exist_ok=True)
    text = new_scenario_text(args.name)
    schema = Path(SCHEMA_PATH)
    if schema.exists():  # point editors at the schema from wherever the new file is
        relative = os.path.relpath(schema, folder)
        text = re.sub(r"^# yaml-language-server: \$schema=.*$", f"# yaml-language-server: $schema={relative}",
                      text, count=1, flags=re.MULTILINE)
    path.write_text(text, encoding="utf-8")
    print(f"Wrote {path}: edit it, check it with `python run.py validate {path}`, run it with "
          f"`python run.py run {path}`.")
    return 0


def _schema(args: argparse.Namespace) -> int:
    from .reference import write_json_schema

    path = write_json_schema(args.out)
    print(f"Wrote {path}.")
    return 0


def _dashboard(args: argparse.Namespace) -> int:
    from .dashboard.server import serve

    return serve(args.host, args.port, args.scenario)


def _whole(low: int, high: int | None = None):
    """An argparse type: a whole number in [low, high], with a message that says so."""
    def check(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
        if value < low or (high is not None and value > high):
            bound = f"at least {low}" if high is None else f"between {low} and {high}"
            raise argparse.ArgumentTypeError(f"must be {bound}, got {value}")
        return value
    return check


def add_overrides_option(parser: argparse.ArgumentParser) -> None:
    """``--set PATH=VALUE`` (repeatable), for every command that reads a scenario."""
    parser.add_argument(
        "--set", dest="overrides", action="append", default=[], metavar="PATH=VALUE",
        help="change one value of the scenario, e.g. --set steps=30, --set parameters.decisions.beta_contagion=0, "
             "--set states.USA.nativism=0.8 (states and organizations by code); the value is read as YAML; "
             "repeatable")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="run.py", description="exitsim: simulate states' exit from international organizations.")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    run = commands.add_parser("run", help="run one scenario and write its results",
                              description="Run one scenario and write its results to a folder.")
    run.add_argument("scenario", nargs="?", default=None,
                     help="scenario file (default: the built-in default scenario)")
    add_overrides_option(run)
    run.add_argument("--seed", type=_whole(0), help="dynamics seed, 0 or more (default: the scenario's)")
    run.add_argument("--world-seed", type=_whole(0), help="seed of the generated world (default: the scenario's)")
    run.add_argument("--steps", type=_whole(1, 1000), help="years to simulate, 1–1000 (default: the scenario's)")
    run.add_argument("--out", help="output folder (default: results/<scenario name>)")
    run.add_argument("--memberships", action=argparse.BooleanOptionalAction, default=None,
                     help=f"write memberships.csv (default: yes up to {LARGE_PANEL:,} memberships)")
    run.add_argument("--quiet", action="store_true", help="no progress bar or summary")
    run.set_defaults(handler=_run)
    validate = commands.add_parser(
        "validate", help="check scenario files and list every problem",
        description="Check scenario files: every problem of every file, each with its file, line and column. "
                    "Exit code 0 when all are fine, 2 otherwise.")
    validate.add_argument("files", nargs="+", metavar="FILE", help="scenario file(s)")
    add_overrides_option(validate)
    validate.set_defaults(handler=_validate)
    new = commands.add_parser("new", help="start a scenario from a commented copy of the default",
                              description="Write scenarios/NAME.yaml, a commented copy of the default scenario.")
    new.add_argument("name", help="the new scenario's name (letters, digits, _ or -)")
    new.add_argument("--folder", default="scenarios", help="where to write it (default: scenarios)")
    new.set_defaults(handler=_new)
    schema = commands.add_parser("schema", help="write the JSON Schema of scenario files (for editors)")
    schema.add_argument("--out", default="scenarios/scenario.schema.json",
                        help="where to write it (default: scenarios/scenario.schema.json)")
    schema.set_defaults(handler=_schema)
    dashboard = commands.add_parser(
        "dashboard", help="serve the browser dashboard for instructors",
        description="Serve the live dashboard (docs/dashboard.md) on this machine; open the address it prints.")
    dashboard.add_argument("--host", default="127.0.0.1",
                           help="address to listen on (default: 127.0.0.1, this machine only)")
    dashboard.add_argument("--port", type=_whole(0, 65535), default=8765, help="port (default: 8765; 0: any free one)")
    dashboard.add_argument("--scenario", help="the first scenario: a file of scenarios/ (default: default.yaml)")
    dashboard.set_defaults(handler=_dashboard)
    docs = commands.add_parser("docs", help="regenerate the generated documentation and schema",
                               description="Regenerate docs/outputs.md, docs/scenarios.md and "
                                           "scenarios/scenario.schema.json from the code.")
    docs.add_argument("--root", default=".", help="the repository folder (default: here)")
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
        print_problems(error, f"The scenario has {_count(error)} to fix; nothing was run or written.")
        return 2
    except TimelineError as error:
        print(f"{error}\nThe timeline has problems to fix; nothing was run or written.", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("Interrupted; nothing more was written.", file=sys.stderr)
        return 130
