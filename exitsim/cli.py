"""Command line: ``python run.py [COMMAND] ...`` (``run`` when no command is given).

Errors in a scenario are printed all at once, each as ``FILE:LINE:COL: path: message`` with
the source line and a caret, with exit code 2 and no traceback; nothing is written for a
scenario that does not validate. Every command that reads a scenario takes
``--set PATH=VALUE`` overrides, checked like the file.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from contextlib import nullcontext
from pathlib import Path

from .outputs import FORMATS, LARGE_PANEL, OUTPUT_FILES, PARQUET_ABOVE_ROWS
from .strict import MAX_SEED, MAX_STEPS

# Start-up stays light: `--help` and `validate` load no Mesa, pandas or matplotlib, so every
# import of the model, the files or the scenario schema is made inside the command that needs it.


def _run(args: argparse.Namespace) -> int:
    from .output_folder import OutputFolder
    from .scenario import load_scenario

    if args.scenario is not None and _is_experiment(args.scenario):
        print(f"{args.scenario} is an experiment file, not a scenario: run it with `python run.py sweep "
              f"{args.scenario}` (docs/sweeps.md).", file=sys.stderr)
        return 2
    scenario = load_scenario(args.scenario, overrides=args.overrides)
    out = args.out if args.out is not None else Path("results") / scenario.name
    source = _scenario_source(args.scenario, args.overrides)
    earlier = _earlier_source(out)
    if args.steps is not None:
        last = scenario.start_year + args.steps
        later = [e for e in scenario.timeline if e.year > last]
        if later:
            print(f"Note: with --steps {args.steps} the run ends in {last}; {len(later)} of the timeline's events "
                  f"come later ({min(e.year for e in later)}–{max(e.year for e in later)}) and are left out.",
                  file=sys.stderr)
    model = folder = None
    try:
        with OutputFolder(out, OUTPUT_FILES) as folder:  # checked and locked before the world is built
            from .model import ExitModel
            from .outputs import MembershipPanelWriter, default_format, write_run

            started = time.perf_counter()
            model = ExitModel(scenario, seed=args.seed, world_seed=args.world_seed, steps=args.steps,
                              collect_states=True)
            n_memberships = len(model.world.memberships)
            file_format = args.format or default_format(n_memberships, model.n_steps)
            panel = args.memberships if args.memberships is not None else n_memberships <= LARGE_PANEL
            writer = MembershipPanelWriter(folder.staging, file_format) if panel else None
            with writer or nullcontext():
                _simulate(model, writer, progress=not args.quiet)
            elapsed = time.perf_counter() - started
            written = write_run(model, folder.staging, file_format, writer.files if writer else [], sys.argv, elapsed,
                                source)
            folder.commit()
    except KeyboardInterrupt:
        if folder is not None and folder.committed:
            print(f"Interrupted; the run had finished and its files are in {folder.path}/.", file=sys.stderr)
        else:
            when = f" in {model.year}" if model is not None else ""
            print(f"Interrupted{when}; {_untouched(folder)}.", file=sys.stderr)
        return 130
    except OSError as error:  # writing the files (a full disk, a file another program holds)
        if folder is not None and folder.swap_started:
            print(f"Could not move the results into {folder.path}/: {error}. The next run into it completes the "
                  "move; until then it has no run.json.", file=sys.stderr)
        else:
            print(f"Could not write the results: {error}; {_untouched(folder)}.", file=sys.stderr)
        return 1
    if earlier is not None and earlier != source:
        print(f"Note: {folder.path}/ held the results of another scenario named {scenario.name!r} (another file, "
              "the same file edited since, or other --set values); they were replaced. Give a scenario its own "
              "name: or --out to keep both.", file=sys.stderr)
    if not args.quiet:
        print((folder.path / "summary.md").read_text(encoding="utf-8"))
        print(f"Wrote {', '.join(written)} to {folder.path}/ in {elapsed:.2f} s.")
        if not panel:
            print(f"(The membership panel was not written: {n_memberships:,} memberships; pass --memberships "
                  "to write it.)")
    return 0


def _scenario_source(scenario: str | None, overrides: list[str]) -> dict:
    """Where a run's scenario comes from: its file (resolved; "default" for the built-in one), the
    SHA-256 of its text and the --set overrides. Two runs of one file differ in none of them, even
    when a newer exitsim resolves other parameter defaults."""
    import hashlib

    if scenario is None:
        return {"file": "default", "sha256": None, "overrides": list(overrides)}
    path = Path(scenario)
    try:
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:  # a name the loader found elsewhere (a shipped scenario)
        digest = None
    return {"file": str(path.resolve()), "sha256": digest, "overrides": list(overrides)}


def _earlier_source(out: str | Path) -> dict | None:
    """``scenario_source`` of the run whose results are in ``out`` (its run.json), if it says."""
    import json

    try:
        record = json.loads((Path(out) / "run.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return record.get("scenario_source") if isinstance(record, dict) else None


def _untouched(folder) -> str:
    """What a run that stopped before its swap left (:class:`~exitsim.output_folder.OutputFolder` or None)."""
    if folder is not None and folder.existed:
        return f"{folder.path}/ is as it was before this run"
    return "nothing was written"


def _simulate(model, writer, progress: bool) -> None:
    """Run the model's years, streaming each year's membership panel to ``writer`` (if any)."""
    if writer:
        writer.write(model.membership_table())
    bar = None
    if progress:
        from tqdm import tqdm

        bar = tqdm(total=model.n_steps, desc=model.config.name, unit="year", file=sys.stderr)
    try:
        for _ in range(model.n_steps):
            model.step()
            if writer:
                writer.write(model.membership_table())
            if bar is not None:
                bar.update()
    finally:
        if bar is not None:
            bar.close()


def _validate(args: argparse.Namespace) -> int:
    """Check scenario files (and experiment files): every problem of every file, or one line per
    clean file."""
    from .scenario import ScenarioError, load_scenario

    failed = 0
    for file in args.files:
        try:
            if _is_experiment(file):
                print(f"{file}: OK ({_experiment_line(file, args.overrides)})")
                continue
            scenario = load_scenario(file, overrides=args.overrides)
        except ScenarioError as error:
            failed += 1
            print_problems(error, f"{file}: {_count(error)} to fix")
            continue
        print(f"{file}: OK (scenario {scenario.name!r}: {scenario.steps} years from {scenario.start_year})")
    if failed and len(args.files) > 1:
        print(f"{failed} of {len(args.files)} files have problems.", file=sys.stderr)
    return 2 if failed else 0


def _is_experiment(file: str) -> bool:
    """Whether a file reads as an experiment file: a mapping with a key that marks experiments
    (:data:`EXPERIMENT_MARKS`) and none that marks scenarios (:data:`SCENARIO_MARKS`). A file that
    does not parse is left to the scenario reader, which locates the problem."""
    from ruamel.yaml import YAML

    try:
        data = YAML(typ="safe").load(Path(file).read_text(encoding="utf-8"))
    except Exception:  # the scenario reader reports it, located
        return False
    if not isinstance(data, dict):
        return False
    keys = set(data)
    return bool(keys & EXPERIMENT_MARKS) and not keys & SCENARIO_MARKS


#: The keys only an experiment file has (its schema's keys less a scenario's), named here so that
#: checking a scenario loads none of the sweep's libraries.
EXPERIMENT_KEYS = frozenset({"scenario", "overrides", "factors", "design", "seeds", "keep", "batch_size", "report"})
#: Those that mark a file as an experiment: not ``seeds`` or ``report``, a scenario's ``seed`` or
#: a stray key mistyped; and keys that mark it as a scenario whatever else it holds.
EXPERIMENT_MARKS = frozenset({"scenario", "overrides", "factors", "design", "keep", "batch_size"})
SCENARIO_MARKS = frozenset({"generate", "states", "organizations", "timeline", "start_year", "parameters"})


def _experiment_line(file: str, overrides: list[str]) -> str:
    """``experiment 'quick': 4 points × 3 replications = 12 runs of 20 years`` for a valid file."""
    from .sweep.designs import make_design
    from .sweep.experiment import load_experiment

    experiment = load_experiment(file, overrides)
    points, replications = len(make_design(experiment)), experiment.spec.seeds.replications
    return (f"experiment {experiment.name!r}: {points} point{'s' if points != 1 else ''} × {replications} "
            f"replication{'s' if replications != 1 else ''} = {points * replications} runs of {experiment.steps} years")


def _count(error) -> str:
    n = len(error.messages)
    return f"{n} problem{'s' if n != 1 else ''}"


def print_problems(error, closing: str) -> None:
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
    from .sweep.schema import write_experiment_schema

    written = [root / "docs" / "outputs.md", *write_reference_files(root), write_experiment_schema(root)]
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
    import json

    from .reference import write_json_schema

    target = Path(args.out)
    if target.is_file():  # overwrite an earlier schema, never another file
        try:
            earlier = json.loads(target.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            earlier = None
        if not (isinstance(earlier, dict) and "$schema" in earlier):
            print(f"{target} exists and is not a JSON Schema: choose another --out (it was left as it was).",
                  file=sys.stderr)
            return 2
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


def add_overrides_option(parser: argparse.ArgumentParser, experiment: bool = False) -> None:
    """``--set PATH=VALUE`` (repeatable), for every command that reads a scenario (or, with
    ``experiment``, an experiment file)."""
    parser.add_argument(
        "--set", dest="overrides", action="append", default=[], metavar="PATH=VALUE",
        help=("change one value of the experiment file, e.g. --set seeds.replications=2, --set steps=10, "
              "--set overrides.parameters.decisions.beta_contagion=0 (the base scenario's values go under "
              "overrides.); the value is read as YAML; repeatable") if experiment else
             ("change one value of the scenario, e.g. --set steps=30, --set parameters.decisions.beta_contagion=0, "
              "--set states.USA.nativism=0.8 (states and organizations by code); the value is read as YAML; "
              "repeatable"))


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="run.py", description="exitsim: simulate states' exit from international organizations.")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    run = commands.add_parser("run", help="run one scenario and write its results",
                              description="Run one scenario and write its results to a folder.")
    run.add_argument("scenario", nargs="?", default=None,
                     help="scenario file (default: the built-in default scenario)")
    add_overrides_option(run)
    run.add_argument("--seed", type=_whole(0, MAX_SEED),
                     help=f"dynamics seed, 0 to {MAX_SEED:,} (default: the scenario's)")
    run.add_argument("--world-seed", type=_whole(0, MAX_SEED),
                     help=f"seed of the generated world, 0 to {MAX_SEED:,} (default: the scenario's)")
    run.add_argument("--steps", type=_whole(1, MAX_STEPS),
                     help=f"years to simulate, 1–{MAX_STEPS} (default: the scenario's)")
    run.add_argument("--out", help="output folder (default: results/<scenario name>)")
    run.add_argument("--format", choices=FORMATS,
                     help="write the states, memberships and events panels as CSV, Parquet or both (default: CSV "
                          f"unless the membership panel has more than {PARQUET_ABOVE_ROWS:,} rows, then Parquet)")
    run.add_argument("--memberships", action=argparse.BooleanOptionalAction, default=None,
                     help=f"write the membership panel (default: yes up to {LARGE_PANEL:,} memberships)")
    run.add_argument("--quiet", action="store_true", help="no progress bar or summary")
    run.set_defaults(handler=_run)
    validate = commands.add_parser(
        "validate", help="check scenario files (or experiment files) and list every problem",
        description="Check scenario files, and experiment files (experiments/*.yaml, recognized by their factors, "
                    "design, seeds … keys): every problem of every file, each with its file, line and column. "
                    "Exit code 0 when all are fine, 2 otherwise.")
    validate.add_argument("files", nargs="+", metavar="FILE", help="scenario or experiment file(s)")
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
                               description="Regenerate docs/outputs.md, docs/scenarios.md, "
                                           "scenarios/scenario.schema.json and experiments/experiment.schema.json "
                                           "from the code.")
    docs.add_argument("--root", default=".", help="the repository folder (default: here)")
    docs.set_defaults(handler=_docs)
    from .sweep.command import register as register_sweep_commands

    register_sweep_commands(commands, add_overrides_option)  # sweep, report
    from .validation.command import register as register_validation_command

    register_validation_command(commands)  # validation: the pieces of docs/validation.md

    from .comparison.command import register as register_comparison_commands

    register_comparison_commands(commands, add_overrides_option)  # compare, findings
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point of ``python run.py`` and the ``exitsim`` command.

    Exit codes: 0 done; 2 a problem to fix in the scenario, the command line or the output
    folder (one message, no traceback); 1 the results could not be written; 130 interrupted;
    141 the reader of the output stopped reading (``python run.py validate … | head``).
    """
    try:
        argv = sys.argv[1:] if argv is None else list(argv)
        parser = build_parser()
        commands = _commands(parser)
        if not argv or argv[0].startswith("-") and argv[0] not in ("-h", "--help") \
                or argv[0] not in commands and argv[0].endswith((".yaml", ".yml")):  # run.py scenarios/x.yaml
            argv = ["run", *argv]
        args, extra = parser.parse_known_args(argv)
        if extra:  # said by the command's own parser, with its usage and a suggestion
            from .loading import suggest

            command = commands.get(args.command, parser)
            options = [o for action in command._actions for o in action.option_strings]
            meant = [suggest(e.split("=")[0], options) for e in extra]
            command.error("unrecognized arguments: "
                          + " ".join(f"{e} (did you mean {m}?)" if m else e for e, m in zip(extra, meant, strict=True)))
        if args.command is None:
            parser.print_help()
            return 2
        return args.handler(args)
    except KeyboardInterrupt:
        print("Interrupted.", file=sys.stderr)
        return 130
    except BrokenPipeError:  # the reader of our output went away (``| head``): stop quietly
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # no error when Python flushes at exit
        return 141  # 128 + SIGPIPE, as a shell reports it
    except Exception as error:
        code = _explained(error)
        if code is None:
            raise
        return code


def _commands(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    """The command line's subcommands by name, each with its own parser."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return dict(action.choices)
    return {}


def _explained(error: Exception) -> int | None:
    """Print a problem the user can fix as a message and return the exit code; None for a bug."""
    from .loading import ScenarioError
    from .output_folder import OutputFolderError
    from .timeline import TimelineError

    if isinstance(error, ScenarioError):
        print_problems(error, f"The scenario has {_count(error)} to fix; nothing was run or written.")
    elif isinstance(error, TimelineError):
        print(f"{error}\nThe timeline has problems to fix; nothing was run or written.", file=sys.stderr)
    elif isinstance(error, OutputFolderError):
        print(f"Cannot write the results: {error}.", file=sys.stderr)
    elif isinstance(error, FileExistsError | IsADirectoryError | NotADirectoryError | PermissionError) \
            and error.filename is not None:  # a path given cannot be used there (not a full disk: that is no fix)
        print(f"Cannot use {error.filename}: {error.strerror or error} — choose another path.", file=sys.stderr)
    else:
        return None
    return 2
