"""The scenarios the dashboard may open, and the checks on YAML pasted into its editor.

The dashboard opens files only inside one folder, ``scenarios/`` (the picker lists its
``*.yaml`` files; nothing else is ever read). Text from the editor is checked before the
scenario loader sees it, whatever that loader's own limits are: its size, its aliases and
nesting (so a pasted "billion laughs" cannot exhaust the server), and every ``extends:`` along
the chain, which may name only a scenario file inside that same folder (such as the calibrated
profile, ``profiles/calibrated.yaml``, that ``world.yaml`` extends). Then it is validated by
:func:`exitsim.scenario.parse_scenario`, as ``python run.py validate`` would.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from ruamel.yaml.error import YAMLError
from ruamel.yaml.events import AliasEvent, CollectionEndEvent, CollectionStartEvent

from ..loading import EXTENDS, Problem, ScenarioError, source_lines, yaml_reader
from ..scenario import Scenario, parse_scenario

#: The longest scenario text the editor accepts (characters); the shipped ones are under 12,000.
MAX_TEXT = 200_000
#: The most aliases (``*name``) a text may use: each can stand for a whole copied subtree.
MAX_ALIASES = 50
#: The deepest nesting of mappings and lists (a scenario needs five or six levels).
MAX_DEPTH = 40


def scenario_folder(start: Path | None = None) -> Path:
    """``scenarios/`` of the folder the dashboard starts in, else the packaged scenarios."""
    here = (Path.cwd() if start is None else start) / "scenarios"
    if here.is_dir():
        return here.resolve()
    return Path(str(resources.files("exitsim.scenarios"))).resolve()


def list_scenarios(folder: Path) -> list[str]:
    """The names of the scenario files in ``folder``: its own ``*.yaml`` regular files."""
    root = folder.resolve()
    names = []
    for path in sorted(root.glob("*.yaml")):
        if path.is_file() and path.resolve().parent == root:  # no link that leads elsewhere
            names.append(path.name)
    return names


def scenario_path(folder: Path, name: str) -> Path:
    """The file of scenario ``name`` (``classroom``, ``classroom.yaml`` or ``scenarios/classroom.yaml``).

    Raises:
        ScenarioError: ``name`` is not one of :func:`list_scenarios`.
    """
    wanted = Path(name).name if Path(name).parent in (Path("."), Path(folder.name)) else None
    if wanted is not None and not wanted.endswith(".yaml"):
        wanted += ".yaml"
    known = list_scenarios(folder)
    if wanted not in known:
        raise ScenarioError(problems=[Problem(
            name, None, None, "", f"the dashboard opens only the scenario files of {folder}; choose one of: "
                                  f"{', '.join(known) or '(none)'}")])
    return folder.resolve() / wanted


def read_scenario(folder: Path, name: str) -> str:
    """The text of a scenario file of the folder (see :func:`scenario_path`)."""
    return scenario_path(folder, name).read_text(encoding="utf-8").removeprefix("\ufeff")


def check_text(text: str, name: str, folder: Path) -> list[Problem]:
    """The problems that keep a text from reaching the loader: size, aliases, nesting, and an
    ``extends:`` chain that leaves ``folder``. An empty list: the loader may read it."""
    problems = _limits(text, name)
    if problems:
        return problems
    root = folder.resolve()
    seen = {root / name}
    current, current_name, here = text, name, root
    while True:
        target, at = _extends(current)
        if target is None:
            return []
        where = (name, at[0], at[1], EXTENDS, source_lines(text)[at[0] - 1]) if current is text else (
            name, None, None, EXTENDS, None)
        path = _extended(root, here, target)
        if path is None:
            known = ", ".join(list_scenarios(folder))
            via = "" if current is text else f" ({current_name} extends {target!r})"
            return [Problem(*where[:4], f"extends may name only a scenario file of the scenarios folder "
                                        f"({known}), not {target!r}{via}", where[4])]
        if path in seen:  # the loader reports the cycle itself, with the chain
            return []
        seen.add(path)
        current = path.read_text(encoding="utf-8").removeprefix("\ufeff")
        current_name, here = path.relative_to(root).as_posix(), path.parent
        problems = _limits(current, current_name)
        if problems:
            return problems


def _extended(root: Path, here: Path, target: str) -> Path | None:
    """The file ``extends: target`` names from a file in folder ``here`` (``root`` or below it):
    beside that file, else a scenario of ``root`` itself (as the loader finds the shipped ones),
    and only a ``.yaml`` regular file inside ``root`` (``profiles/calibrated.yaml`` from
    ``world.yaml``, ``world.yaml`` from ``profiles/``). None: it names anything else."""
    if not target.endswith(".yaml"):
        return None
    for candidate in (here / target, root / target):
        path = candidate.resolve()  # links and .. resolved before the check
        if path.is_file() and path.is_relative_to(root):
            return path
    return None


def validate_text(text: str, name: str, folder: Path) -> Scenario:
    """The scenario of an edited text said to be file ``name`` of ``folder``.

    Raises:
        ScenarioError: every problem, located in the text (line and column) as the loader finds them.
    """
    problems = check_text(text, name, folder)
    if problems:
        raise ScenarioError(problems=problems)
    return parse_scenario(text, source=str(folder.resolve() / name))


def _limits(text: str, name: str) -> list[Problem]:
    if len(text) > MAX_TEXT:
        return [Problem(name, None, None, "", f"the text is {len(text):,} characters long; a scenario may have "
                                              f"at most {MAX_TEXT:,}")]
    aliases = depth = 0
    lines = source_lines(text)
    try:
        for event in yaml_reader().parse(text):
            if isinstance(event, AliasEvent):
                aliases += 1
                if aliases > MAX_ALIASES:
                    return [_at(name, event, lines, f"more than {MAX_ALIASES} aliases (*name); write the values out")]
            elif isinstance(event, CollectionStartEvent):
                depth += 1
                if depth > MAX_DEPTH:
                    return [_at(name, event, lines, f"nested more than {MAX_DEPTH} levels deep")]
            elif isinstance(event, CollectionEndEvent):
                depth -= 1
    except YAMLError:
        return []  # a syntax error: the loader reports it, located
    return []


def _at(name: str, event, lines: list[str], message: str) -> Problem:
    line, col = event.start_mark.line + 1, event.start_mark.column + 1
    return Problem(name, line, col, "", message, lines[line - 1] if line <= len(lines) else None)


def _extends(text: str) -> tuple[str | None, tuple[int, int]]:
    """The top-level ``extends:`` of a text (None if none or unreadable) and its line and column."""
    try:
        data = yaml_reader().load(text)
    except YAMLError:
        return None, (0, 0)
    if not isinstance(data, dict) or EXTENDS not in data or not isinstance(data[EXTENDS], str):
        return None, (0, 0)
    line, col = data.lc.value(EXTENDS)
    return data[EXTENDS].strip(), (line + 1, col + 1)
