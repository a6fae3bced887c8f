"""Reading YAML files so that every problem can be pointed at, for people who edit them by hand.

A file is read with ruamel.yaml's round-trip loader (plain data only; never a loader that can
construct Python objects; duplicate keys rejected) into a tree of :class:`Node` objects that
remember where each value, and each mapping entry's key, starts in which file. Whatever the
text and wherever it comes from (a file, a ``--set`` value, a page that pastes YAML), reading
it is bounded: at most :data:`MAX_FILE_BYTES`, :data:`MAX_VALUES` values, :data:`MAX_DEPTH`
levels of nesting and :data:`MAX_ALIAS_NODES` values repeated by aliases, and no tag but the
plain scalar ones (:data:`PLAIN_TAGS`); each refusal is a located problem, found as the text is
read, before anything is expanded. On that tree:

* ``extends: other.yaml`` (relative to the file) is resolved: mappings are merged deeply, any
  other value (lists included) is replaced wholesale, the extending file wins; chains of up to
  :data:`MAX_EXTENDS` files are allowed, a cycle or a missing file is an error showing the
  chain. A file extends only ``.yaml``/``.yml`` files in its own folder (or below it) or in the
  shared folders its reader names (the shipped scenarios), never a file elsewhere, so an error
  can only ever show lines of a scenario;
* ``--set path=value`` overrides are applied (the value read as a YAML scalar or flow value;
  a list of mappings can be addressed by an entry's ``code`` as well as by its index);
* the plain data are validated by a pydantic model, and each validation error is turned into
  a :class:`Problem` with the file, line and column of the offending value, in plain words.

Problems are reported all at once, as ``FILE:LINE:COL: path.to.field: message`` followed by
the source line and a caret under the column. Nothing here knows the scenario schema:
:mod:`exitsim.scenario` supplies the model and the checks across fields.
"""

from __future__ import annotations

import datetime as _dt
import numbers
import os
import re
import reprlib
import types
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, Literal, Union, get_args, get_origin

import annotated_types
import numpy as np
from pydantic import BaseModel, ValidationError
from pydantic.fields import FieldInfo
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq, TaggedScalar
from ruamel.yaml.composer import Composer
from ruamel.yaml.constructor import DuplicateKeyError
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.events import AliasEvent, MappingStartEvent, ScalarEvent, SequenceStartEvent
from ruamel.yaml.nodes import MappingNode, ScalarNode, SequenceNode
from ruamel.yaml.nodes import Node as YamlNode
from ruamel.yaml.reader import ReaderError
from ruamel.yaml.scalarbool import ScalarBoolean

from .parameters import suggest

KeyPath = tuple[str | int, ...]
"""A path into a document: mapping keys and list indices, e.g. ``("states", 0, "power")``."""

EXTENDS = "extends"
_LINE_BREAK = re.compile(r"\r\n|[\r\n\x85\u2028\u2029]")

# --- limits: what any text read here may hold ---------------------------------------------------------

MAX_FILE_BYTES = 512 * 1024
"""The largest scenario text, in bytes (UTF-8): a 200-state world written out in full is about
a quarter of this. Larger text is refused before it is parsed."""
MAX_VALUES = 50_000
"""The most values (numbers, texts, lists and mappings) a text may hold: today's 193 states and
335 organizations written out in full hold about 24,000. Parsing costs time per value, so this,
more than the size, bounds how long a text of unknown origin can take."""
MAX_DEPTH = 20
"""The deepest nesting of mappings and lists (a scenario needs six: organizations, an entry,
its reservations, an entry, its clause …), aliases expanded."""
MAX_ALIAS_NODES = 10_000
"""How many values aliases (``*name``) may repeat in all, counting every value inside what each
alias repeats: anchors and aliases can save typing, not build a billion values from a few lines."""
MAX_EXTENDS = 8
"""The longest chain of files that ``extends:`` one another."""
SCENARIO_SUFFIXES = (".yaml", ".yml")
"""What the name of a file that ``extends:`` names must end with."""
PLAIN_TAGS = {f"tag:yaml.org,2002:{name}": f"!!{name}" for name in ("str", "int", "float", "bool", "null")}
"""The only tags allowed (on scalars): they say what a plain value is. Any other tag (``!!python/…``,
``!!binary``, ``!!set``, ``!!map`` or one of your own) is refused."""


# --- problems -----------------------------------------------------------------------------------

SHOWN_LINE = 100
"""The most characters of a source line a problem shows (a longer one is cut around the column)."""


@dataclass(frozen=True)
class Location:
    """Where a value comes from: a file position (1-based) or a ``--set`` override."""

    file: str
    line: int | None = None
    col: int | None = None
    override: KeyPath | None = None  # the path an override set, when the value came from one


@dataclass(frozen=True)
class Problem:
    """One thing to fix, located in a file (or a ``--set`` override)."""

    file: str | None  # the file as named to the user, or "--set PATH=VALUE"; None: unknown
    line: int | None  # 1-based; None for a problem with the file as a whole
    col: int | None  # 1-based
    path: str  # dotted path of the field ("states.0.power"); "" for the file as a whole
    message: str
    source: str | None = field(default=None, compare=False)  # the offending line, shown with a caret

    def format(self) -> str:
        """``FILE:LINE:COL: path: message``, then the source line and a caret under the column
        (a line longer than :data:`SHOWN_LINE` characters is cut around the column)."""
        where = self.file or ""
        if self.line is not None:
            where += f":{self.line}:{self.col}"
        head = ": ".join(part for part in (where, self.path, self.message) if part)
        if self.source is None or self.line is None:
            return head
        number = str(self.line)
        source, col = self.source, max((self.col or 1) - 1, 0)
        if len(source) > SHOWN_LINE:
            start = max(0, min(col - SHOWN_LINE // 2, len(source) - SHOWN_LINE))
            cut = source[start:start + SHOWN_LINE]
            source = ("…" if start else "") + cut + ("…" if start + SHOWN_LINE < len(self.source) else "")
            col = col - start + (1 if start else 0)
        pad = "".join("\t" if c == "\t" else " " for c in source[:col])
        return f"{head}\n {number} | {source}\n {' ' * len(number)} | {pad}^"


class ScenarioError(Exception):
    """A scenario that cannot be used.

    Attributes:
        messages: every problem found, formatted for people (each may span several lines:
            ``FILE:LINE:COL: path: message``, the source line, a caret line).
        problems: the same as :class:`Problem` records (file, line, col, path, message).
    """

    def __init__(self, messages: list[str] | str | None = None, problems: Iterable[Problem] | None = None):
        self.problems = list(problems or [])
        if messages is None:
            messages = [p.format() for p in self.problems]
        self.messages = [messages] if isinstance(messages, str) else list(messages)
        if not self.problems:
            self.problems = [Problem(None, None, None, "", m) for m in self.messages]
        super().__init__("\n".join(self.messages))

    def __reduce__(self):
        return (self.__class__, (self.messages, self.problems))


def dotted(path: KeyPath) -> str:
    """``("states", 0, "power")`` → ``"states.0.power"``."""
    return ".".join(map(str, path))


# --- the located tree ------------------------------------------------------------------------------

@dataclass
class Node:
    """A value of the document and where it starts; mappings hold nodes by key, lists hold nodes."""

    value: Any  # dict[str, Node] | list[Node] | a scalar
    at: Location  # where the value starts
    key_at: Location | None = None  # where its key starts, for a mapping entry
    block: bool = False  # a block (indented) mapping or list, rather than a flow one or a scalar


def plain(node: Node) -> Any:
    """The plain Python data of a node (dicts, lists, scalars)."""
    if isinstance(node.value, dict):
        return {key: plain(child) for key, child in node.value.items()}
    if isinstance(node.value, list):
        return [plain(child) for child in node.value]
    return node.value


def _index(node: Node, path: KeyPath = (), into: dict | None = None) -> dict[KeyPath, Node]:
    into = {} if into is None else into
    into[path] = node
    if isinstance(node.value, dict):
        for key, child in node.value.items():
            _index(child, (*path, key), into)
    elif isinstance(node.value, list):
        for i, child in enumerate(node.value):
            _index(child, (*path, i), into)
    return into


def describe(value: Any) -> str:
    """A value as a person would name it in a message."""
    if value is None:
        return "nothing (the value is empty)"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return repr(value) if len(value) <= 60 else f"{value[:40]!r}… ({len(value):,} characters)"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list | tuple):
        return "a list"
    text = str(value)
    if isinstance(value, int) and len(text) > 20:
        return f"a number of {len(text.lstrip('-'))} digits"
    return text


def _key_text(key: Any) -> str:
    """A mapping key as text (YAML allows numbers, null and booleans as keys)."""
    if isinstance(key, str):
        return key
    return "null" if key is None else str(key).lower() if isinstance(key, bool) else str(key)


class _Builder:
    """Turns ruamel's round-trip data into located nodes, collecting what cannot be used."""

    def __init__(self, file: str, problems: list[Problem], sources: Mapping[str, list[str]],
                 fixed: Location | None = None):
        self.file, self.problems, self.sources = file, problems, sources
        self.fixed = fixed  # the location of every value (for a --set override's value)
        self._active: set[int] = set()

    def here(self, line: int, col: int) -> Location:
        return self.fixed or Location(self.file, line + 1, col + 1)

    def build(self, data: Any, at: Location, key_at: Location | None, path: KeyPath) -> Node:
        if isinstance(data, dict | list):
            return self._collection(data, at, key_at, path)
        return self._scalar(data, at, key_at, path)

    def _collection(self, data: dict | list, at: Location, key_at: Location | None, path: KeyPath) -> Node:
        """A mapping or a list, unless it nests too deep or contains itself."""
        if len(path) >= MAX_DEPTH:  # (a file's text was bounded by the composer; Python values are here)
            self.problems.append(_problem(at, path, f"the data nest more than {MAX_DEPTH} levels deep",
                                          self.sources))
            return Node(None, at, key_at)
        if id(data) in self._active:
            self.problems.append(_problem(at, path, "a value cannot contain itself (this list or mapping is "
                                          "inside itself)", self.sources))
            return Node(None, at, key_at)
        self._active.add(id(data))
        try:
            lc = getattr(data, "lc", None)
            block = isinstance(data, CommentedMap | CommentedSeq) and not data.fa.flow_style()
            if isinstance(data, dict):
                return Node(self._mapping(data, lc, at, path), at, key_at, block)
            return Node([self.build(item, self._lc(lc and lc.item, i, at), None, (*path, i))
                         for i, item in enumerate(data)], at, key_at, block)
        finally:
            self._active.discard(id(data))

    def _mapping(self, data: dict, lc: Any, at: Location, path: KeyPath) -> dict[str, Node]:
        """A mapping's values by key text, each at its own line (an empty value at its key's)."""
        value = {}
        for key in data:
            name = _key_text(key)
            key_pos = self._lc(lc and lc.key, key, at)
            value_pos = self._lc(lc and lc.value, key, key_pos)
            if data[key] is None and value_pos.line != key_pos.line:
                value_pos = key_pos  # an empty value: YAML places it at the next line's token
            value[name] = self.build(data[key], value_pos, key_pos, (*path, name))
        return value

    def _scalar(self, data: Any, at: Location, key_at: Location | None, path: KeyPath) -> Node:
        """A plain value as Python's bool, int, float or str; a tag or special type is a problem."""
        if isinstance(data, bool | ScalarBoolean | np.bool_) or data is None:
            return Node(None if data is None else bool(data), at, key_at)
        if isinstance(data, numbers.Integral):  # numpy's too, from Python overrides
            return Node(int(data), at, key_at)
        if isinstance(data, numbers.Real):
            return Node(float(data), at, key_at)
        if isinstance(data, str):
            return Node(str(data), at, key_at)
        if isinstance(data, TaggedScalar) and str(data.tag) in PLAIN_TAGS:  # !!str: the only one kept tagged
            return Node(str(data.value), at, key_at)
        if isinstance(data, _dt.date):  # an unquoted date: keep its text
            return Node(data.isoformat(), at, key_at)
        tag = getattr(getattr(data, "tag", None), "value", None) or type(data).__name__
        self.problems.append(_problem(at, path, f"YAML tags and special types ({tag}) cannot be used here; "
                                      "write a plain value", self.sources))
        return Node(None, at, key_at)

    def _lc(self, lookup: Callable | None, key: Any, fallback: Location) -> Location:
        if self.fixed is not None or lookup is None:
            return self.fixed or fallback
        try:
            line, col = lookup(key)
        except (KeyError, IndexError, TypeError, AttributeError):  # e.g. keys merged in with `<<:`
            return fallback
        return self.here(line, col)


def _problem(at: Location, path: KeyPath | str, message: str, sources: Mapping[str, list[str]]) -> Problem:
    """A problem at a location, with the source line when the location is in a file."""
    text = path if isinstance(path, str) else dotted(path)
    if at.override is not None and at.override == (path if isinstance(path, tuple) else None):
        text = ""  # the override names the path already
    source = None
    if at.line is not None and at.file in sources:
        lines = sources[at.file]
        source = lines[at.line - 1] if 0 < at.line <= len(lines) else ""
    return Problem(at.file, at.line, at.col, text, message, source)


# --- reading a file -------------------------------------------------------------------------------

class LimitError(MarkedYAMLError):
    """Text that breaks a limit of this module; ``problem`` says which, ``problem_mark`` where."""


class _BoundedComposer(Composer):
    """ruamel.yaml's composer, refusing (with :class:`LimitError`) more than :data:`MAX_VALUES`
    values, nesting deeper than :data:`MAX_DEPTH`, aliases that repeat more than
    :data:`MAX_ALIAS_NODES` values, and tags other than :data:`PLAIN_TAGS` — as the events
    arrive, before anything is expanded or constructed (its own recursion then stays shallow too)."""

    def compose_document(self) -> Any:
        self._values = 0  # values read so far
        self._open = 0  # mappings and lists around the value being read
        self._repeated = 0  # values repeated by aliases so far
        self._measured: dict[int, tuple[int, int]] = {}  # id(node) -> (values, levels) with aliases expanded
        return super().compose_document()

    def compose_node(self, parent: Any, index: Any) -> Any:
        event = self.parser.peek_event()
        if isinstance(event, AliasEvent):
            node = super().compose_node(parent, index)
            if isinstance(node, MappingNode | SequenceNode) and node.end_mark is None:  # still being read
                raise LimitError(None, None, f"the alias *{event.anchor} is inside the value &{event.anchor} it "
                                             "repeats: a value cannot contain itself", event.start_mark)
            values, levels = self._measure(node)
            self._repeated += values
            if self._repeated > MAX_ALIAS_NODES:
                raise LimitError(None, None, f"aliases repeat more than {MAX_ALIAS_NODES} values in all: write the "
                                             "values out instead of repeating them", event.start_mark)
            if self._open + levels > MAX_DEPTH:
                raise LimitError(None, None, f"the alias *{event.anchor} nests the data more than {MAX_DEPTH} "
                                             "levels deep", event.start_mark)
            return node
        tag = getattr(event, "tag", None)
        if tag is not None:
            self._check_tag(event, str(tag))
        collection = isinstance(event, MappingStartEvent | SequenceStartEvent)
        if collection and self._open >= MAX_DEPTH:
            raise LimitError(None, None, f"the data nest more than {MAX_DEPTH} levels deep here: check the "
                                         "brackets and the indentation", event.start_mark)
        self._values += 1
        if self._values > MAX_VALUES:
            raise LimitError(None, None, f"the text holds more than {MAX_VALUES:,} values (MAX_VALUES): generate "
                                         "a world this large with 'generate:' instead of listing it", event.start_mark)
        self._open += collection
        try:
            return super().compose_node(parent, index)
        finally:
            self._open -= collection

    def _check_tag(self, event: Any, tag: str) -> None:
        """A tag is allowed on a scalar only, only a plain one, and only on a value it fits
        (``!!int 5``, not ``!!int x``)."""
        if not (isinstance(event, ScalarEvent) and tag in PLAIN_TAGS):
            raise LimitError(None, None, f"the tag {_tag_text(tag)} cannot be used: a scenario holds plain "
                                         f"values (the only tags allowed are {', '.join(PLAIN_TAGS.values())})",
                             event.start_mark)
        if tag == "tag:yaml.org,2002:str":
            return
        plain = str(self.resolver.resolve(ScalarNode, event.value, (True, False)))
        if plain != tag and not (tag == "tag:yaml.org,2002:float" and plain == "tag:yaml.org,2002:int"):
            what = {"int": "a whole number", "float": "a number", "bool": "true or false", "null": "nothing"}
            raise LimitError(None, None, f"{event.value!r} is not what the tag {_tag_text(tag)} says it is "
                                         f"({what[tag.rsplit(':', 1)[-1]]}): remove the tag or change the value",
                             event.start_mark)

    def _measure(self, node: YamlNode) -> tuple[int, int]:
        """(values, levels of nesting) of a complete node with its aliases expanded (no node
        contains itself: such an alias is refused before)."""
        if id(node) in self._measured:
            return self._measured[id(node)]
        values, levels = 1, 0
        if isinstance(node, MappingNode | SequenceNode):
            children = [c for pair in node.value for c in pair] if isinstance(node, MappingNode) else node.value
            levels = 1
            for child in children:
                v, n = self._measure(child)
                values, levels = values + v, max(levels, n + 1)
        self._measured[id(node)] = (values, levels)
        return values, levels


def _tag_text(tag: str) -> str:
    return "!!" + tag.removeprefix("tag:yaml.org,2002:") if tag.startswith("tag:yaml.org,2002:") else tag


def yaml_reader() -> YAML:
    """ruamel.yaml's round-trip reader: plain data only, duplicate keys rejected, positions kept,
    values, nesting, aliases and tags bounded (see :data:`MAX_VALUES`, :data:`MAX_DEPTH`,
    :data:`MAX_ALIAS_NODES`, :data:`PLAIN_TAGS`); pair it with :func:`check_size` for text of
    unknown origin."""
    yaml = YAML(typ="rt")
    yaml.allow_duplicate_keys = False
    yaml.Composer = _BoundedComposer
    return yaml


def check_size(text: str, name: str) -> None:
    """Raise :class:`ScenarioError` for text longer than :data:`MAX_FILE_BYTES`."""
    if len(text) > MAX_FILE_BYTES // 4 and len(text.encode("utf-8")) > MAX_FILE_BYTES:
        raise ScenarioError(problems=[Problem(name, None, None, "", _too_large(len(text.encode("utf-8"))))])


def _too_large(size: int) -> str:
    return (f"the text is {size:,} bytes; a scenario can be at most {MAX_FILE_BYTES:,} bytes (MAX_FILE_BYTES): "
            "generate large worlds with 'generate:' instead of listing them")


def read_text(path: Path, name: str) -> str:
    """The text of a file, or a :class:`ScenarioError` saying in one line why it cannot be read."""
    def fail(message: str, line: int | None = None, col: int | None = None):
        return ScenarioError(problems=[Problem(name, line, col, "", message)])

    if path.is_dir():
        raise fail("is a folder, not a scenario file")
    if path.exists() and not path.is_file():
        raise fail("is not a regular file (a device or a pipe), so it cannot be a scenario file")
    try:
        with path.open("rb") as stream:
            raw = stream.read(MAX_FILE_BYTES + 1)
    except FileNotFoundError:
        raise fail("no such file") from None
    except PermissionError:
        raise fail("cannot be read: permission denied") from None
    except OSError as error:
        raise fail(f"cannot be read: {error.strerror or error}") from None
    if len(raw) > MAX_FILE_BYTES:
        raise fail(_too_large(path.stat().st_size).replace("the text is", "the file is"))
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        start = raw.rfind(b"\n", 0, error.start) + 1
        line = raw.count(b"\n", 0, error.start) + 1
        col = len(raw[start:error.start].decode("utf-8", errors="replace")) + 1
        raise fail(f"not a UTF-8 text file (byte 0x{raw[error.start]:02x}); save it with UTF-8 encoding",
                   line, col) from None
    return text.removeprefix("\ufeff")


def source_lines(text: str) -> list[str]:
    """The lines of a text as YAML counts them."""
    return _LINE_BREAK.split(text)


def parse_yaml(text: str, name: str, sources: dict[str, list[str]]) -> Node:
    """Parse one file's text into a located mapping node; raise :class:`ScenarioError` if it is not one."""
    check_size(text, name)
    sources[name] = source_lines(text)
    try:
        data = yaml_reader().load(text)
    except LimitError as error:
        raise ScenarioError(problems=[_limit_problem(error, name, sources)]) from None
    except DuplicateKeyError as error:  # find them all, each with the line of the first
        raise ScenarioError(problems=_duplicate_keys(text, name, sources)
                            or [_syntax_problem(error, name, sources)]) from None
    except MarkedYAMLError as error:
        raise ScenarioError(problems=[_syntax_problem(error, name, sources)]) from None
    except ReaderError as error:
        before = text[: error.position]
        line, col = before.count("\n") + 1, len(before) - (before.rfind("\n") + 1) + 1
        character = error.character if isinstance(error.character, str) else chr(error.character)
        raise ScenarioError(problems=[Problem(name, line, col, "", f"the character U+{ord(character):04X} is not "
                                              "allowed in YAML; remove it", sources[name][line - 1])]) from None
    except YAMLError as error:  # pragma: no cover - ruamel's other errors are marked
        raise ScenarioError(problems=[Problem(name, None, None, "", f"not valid YAML: {error}")]) from None
    except (ValueError, TypeError, ArithmeticError) as error:  # pragma: no cover - a value the composer let by
        raise ScenarioError(problems=[Problem(name, None, None, "", f"a value cannot be read: {error}")]) from None
    if data is None:
        raise ScenarioError(problems=[Problem(name, None, None, "", "the file is empty; a scenario needs at "
                                              "least 'states' or 'generate'")])
    if not isinstance(data, CommentedMap):
        kind = {CommentedSeq: "a list"}.get(type(data), f"a single value ({describe(data)})")
        line, col = _first_content(sources[name]) if not isinstance(data, CommentedSeq) else (
            data.lc.line + 1, data.lc.col + 1)
        raise ScenarioError(problems=[Problem(name, line, col, "", "a scenario must be a mapping of keys to values "
                                              f"(lines like 'name: my scenario'), not {kind}")])
    problems: list[Problem] = []
    root = _Builder(name, problems, sources).build(data, Location(name, data.lc.line + 1, data.lc.col + 1), None, ())
    root.block = True
    if problems:
        raise ScenarioError(problems=problems)
    return root


def _limit_problem(error: LimitError, name: str, sources: dict[str, list[str]]) -> Problem:
    mark = error.problem_mark
    lines = sources[name]
    text = lines[mark.line] if 0 <= mark.line < len(lines) else ""
    return Problem(name, mark.line + 1, mark.column + 1, "", str(error.problem), text)


def _first_content(lines: list[str]) -> tuple[int, int]:
    for number, line in enumerate(lines, 1):
        stripped = line.lstrip(" \t")
        if stripped and not stripped.startswith(("#", "---", "%")):
            return number, len(line) - len(stripped) + 1
    return 1, 1


_SYNTAX_HINTS = (
    ("mapping values are not allowed", "a ':' cannot appear here: put quotes around a value that contains ': ', "
                                       "or check the indentation"),
    ("could not find expected ':'", "a key here has no ':' after it (or a quote is not closed)"),
    ("expected <block end>", "this line's indentation does not fit the block above it; check the spaces at the "
                             "start of the line"),
    ("expected ',' or ']'", "a list in [ ] is not closed with ']' (or lacks a ',' between items)"),
    ("expected ',' or '}'", "a mapping in { } is not closed with '}' (or lacks a ',' between entries)"),
    ("unexpected end of stream", "a quoted text is not closed"),
    ("did not find expected '-' indicator", "this line's indentation does not fit the list above it"),
    ("did not find expected key", "this line's indentation does not fit the mapping above it"),
    ("found undefined alias", "an alias (*name) refers to no anchor (&name)"),
)


def _hint(problem: str) -> str:
    """ruamel's description of a syntax error in plain words, where we have them."""
    return next((hint for needle, hint in _SYNTAX_HINTS if needle in problem), problem)


_CONTEXTS = (("flow sequence", "the list"), ("flow mapping", "the mapping"), ("quoted scalar", "the text"),
             ("block", "the block"), ("simple key", "the key"))


def _syntax_problem(error: MarkedYAMLError, name: str, sources: dict[str, list[str]]) -> Problem:
    mark = error.problem_mark or error.context_mark
    line, col = (mark.line + 1, mark.column + 1) if mark is not None else (None, None)
    lines = sources[name]
    text = lines[line - 1] if line is not None and 0 < line <= len(lines) else ""
    problem = str(error.problem or error.context or "")
    indent = text[: len(text) - len(text.lstrip(" \t"))]
    if "'\\t'" in problem or "\t" in indent:
        if "\t" in indent:
            col = indent.index("\t") + 1
        message = "tabs cannot indent YAML: use spaces"
    elif line is not None and (opened := _unclosed_quote(lines, line - 1)) is not None \
            and _closing_line(lines, opened) == line:
        # the parser stumbles where the quoted text it read on and on finally ends: point at its start
        line, col = opened
        text = lines[line - 1]
        message = (f"not valid YAML: the quoted text that starts here is not closed on its line, so YAML reads on "
                   f"to the next quote, at line {mark.line + 1}: close it")
        return Problem(name, line, col, "", message, text)
    else:
        message = f"not valid YAML: {_hint(problem)}"
        context = error.context_mark
        if error.context and context is not None and (context.line, context.column) != (mark.line, mark.column):
            what = next((name for needle, name in _CONTEXTS if needle in error.context), "it")
            message += f" ({what} starts at line {context.line + 1}, column {context.column + 1})"
    return Problem(name, line, col, "", message, text if line is not None else None)


_QUOTED_VALUE = re.compile(r"""^\s*(?:-\s+)?(?:[^\s#:"'][^:#"']*:\s+)?(["'])""")


def _unclosed_quote(lines: list[str], before: int) -> tuple[int, int] | None:
    """(line, column) of the first quoted value among ``lines[:before]`` that its line does not
    close (a value that starts with a quote: ``name: "my world``), or None."""
    for number, text in enumerate(lines[:before], 1):
        found = _QUOTED_VALUE.match(text)
        if found is not None and _closing_line(lines, (number, found.start(1) + 1)) != number:
            return number, found.start(1) + 1
    return None


def _closing_line(lines: list[str], opened: tuple[int, int]) -> int | None:
    """The line of the quote that closes the quoted text opened at ``opened`` (line, column)."""
    line, col = opened
    quote = lines[line - 1][col - 1]
    rest = lines[line - 1][col:]
    for number in range(line, len(lines) + 1):
        text = rest if number == line else lines[number - 1]
        if (re.search(r'(?<!\\)"', text) if quote == '"' else re.search(r"'(?!')", text.replace("''", "  "))):
            return number
    return None


def _duplicate_keys(text: str, name: str, sources: dict[str, list[str]]) -> list[Problem]:
    """Every duplicate key of a text, each with the line of the first one."""
    problems = []
    seen_nodes: set[int] = set()

    def walk(node: YamlNode | None, path: KeyPath) -> None:
        if node is None or id(node) in seen_nodes:
            return
        seen_nodes.add(id(node))
        if isinstance(node, MappingNode):
            first: dict[Any, YamlNode] = {}
            for key, value in node.value:
                label = key.value if isinstance(key.value, str) else str(key.value)
                if label in first and label != "<<":
                    mark = key.start_mark
                    first_line = first[label].start_mark.line + 1
                    problems.append(Problem(name, mark.line + 1, mark.column + 1, dotted((*path, label)),
                                            f"duplicate key {label!r} (first at line {first_line})",
                                            sources[name][mark.line]))
                first.setdefault(label, key)
                walk(value, (*path, label))
        elif isinstance(node, SequenceNode):
            for i, item in enumerate(node.value):
                walk(item, (*path, i))

    walk(yaml_reader().compose(text), ())
    return problems


# --- extends and overrides ------------------------------------------------------------------------

@dataclass
class Document:
    """A document read from one file (merged with the files it extends), with overrides applied."""

    root: Node
    sources: dict[str, list[str]]  # the lines of every file read, by the name shown to the user
    files: list[str]  # the files read, the named one first
    problems: list[Problem] = field(default_factory=list)  # problems with overrides
    #: lists an extending file replaced whole: (path, the file extended)
    replaced_lists: list[tuple[KeyPath, str]] = field(default_factory=list)
    _nodes: dict[KeyPath, Node] | None = field(default=None, repr=False)  # every node by path, once needed

    def data(self) -> dict[str, Any]:
        return plain(self.root)

    def locate(self, path: KeyPath, message: str, *, key: bool = False) -> Problem:
        """A problem about ``path``; a path missing from the document points at its nearest parent.

        A mapping entry's key is pointed at for ``key=True`` (unknown keys) and when its value is
        an indented block; otherwise the value itself.
        """
        if self._nodes is None:
            self._nodes = _index(self.root)
        nodes = self._nodes
        known = path
        while known not in nodes:
            known = known[:-1]
        node = nodes[known]
        if node.key_at is not None and (key or node.block):
            at = node.key_at
        else:
            at = node.at
        if known == path and not key:
            message += _typographic_minus_hint(node.value)
        return _problem(at, path, message, self.sources)

    def replaced_list_notes(self, problems: list[Problem]) -> list[Problem]:
        """When problems are located in an extended file, a note at each list the extending file
        replaced whole: the problems may come from what that list dropped (``extends`` merges
        mappings and replaces lists)."""
        notes = []
        for path, base in self.replaced_lists:
            if any(p.file == base for p in problems):
                label = ".".join(map(str, path))
                notes.append(self.locate(path, f"this list replaces the whole {label} list of {base} (extends merges "
                                               "mappings but replaces lists), so what it leaves out is gone: the "
                                               f"problems found in {base} may come from that; list every entry you "
                                               "need here", key=True))
        return notes

    def sort(self, problems: list[Problem]) -> list[Problem]:
        """Problems in reading order: by file (the named one first), line and column."""
        order = {name: i for i, name in enumerate(self.files)}
        return sorted(problems, key=lambda p: (order.get(p.file, len(order)), p.line or 0, p.col or 0))


_MINUSES = "\u2212\u2013\u2014"  # −, – and —, as word processors and docs typeset a minus sign


def _typographic_minus_hint(value: Any) -> str:
    """A number written with a typeset minus sign (``−0.2``, copied from a document) reads as
    text: say how to write it. Empty for anything else."""
    if not isinstance(value, str) or not any(c in value for c in _MINUSES):
        return ""
    plain = value.strip()
    for c in _MINUSES:
        plain = plain.replace(c, "-")
    try:
        float(plain)
    except ValueError:
        return ""
    return f" (write the minus sign with the keyboard's hyphen-minus: {plain}, not {value.strip()})"


def read_document(path: Path, name: str | None = None, text: str | None = None,
                  shared: Sequence[Path] = ()) -> Document:
    """Read a YAML file (or ``text`` said to come from it) and the files it ``extends:``.

    ``extends:`` names a file relative to the file that writes it, which must lie in that file's
    folder (or a folder below it) or in one of the ``shared`` folders; a name not found there is
    looked up in the ``shared`` folders (so ``extends: default.yaml`` works from anywhere).

    Raises:
        ScenarioError: the file (or one it extends) cannot be read, is not YAML or not a mapping,
            or ``extends:`` names a missing file, a file outside those folders or one that is not
            ``.yaml``/``.yml``, forms a cycle or a chain longer than :data:`MAX_EXTENDS`.
    """
    name = str(path) if name is None else name
    sources: dict[str, list[str]] = {}
    files: list[str] = []
    roots = [_real(Path(folder)) for folder in shared]
    lists: list[tuple[KeyPath, str]] = []
    root = _read_chain(path, name, text, Path(name).name, sources, files, [], roots, lists)
    return Document(root, sources, files, replaced_lists=lists)


def _read_chain(path: Path, name: str, text: str | None, shown: str, sources: dict[str, list[str]],
                files: list[str], chain: list[tuple[Path, str]], shared: list[Path],
                lists: list[tuple[KeyPath, str]]) -> Node:
    """Read one file of an ``extends`` chain and, first, the files it extends; ``chain`` lists the
    files that led here, as (resolved path, name as written)."""
    text = read_text(path, name) if text is None else text
    root = parse_yaml(text, name, sources)
    files.append(name)
    extends = root.value.pop(EXTENDS, None)
    if extends is None:
        return root
    chain = [*chain, (_real(path), shown)]
    here = _problem(extends.at, (EXTENDS,), "", sources)
    if not isinstance(extends.value, str) or not extends.value.strip():
        raise ScenarioError(problems=[_with(here, "extends must name another scenario file, e.g. "
                                                  "'extends: default.yaml'")])
    written = extends.value.strip()
    links = " → ".join([s for _, s in chain] + [written])
    if len(chain) >= MAX_EXTENDS:
        raise ScenarioError(problems=[_with(here, f"a chain of extends can be at most {MAX_EXTENDS} files long: "
                                                  f"{links}")])
    target, message = _extended_file(path, written, shared)
    if message:
        raise ScenarioError(problems=[_with(here, message)])
    if target in {p for p, _ in chain}:
        raise ScenarioError(problems=[_with(here, f"the files extend each other in a cycle: {links}")])
    near = _real(path.parent / written) == target
    target_name = os.path.normpath(os.path.join(os.path.dirname(name), written)) if near else str(target)
    try:
        parent = _read_chain(target, target_name, None, written, sources, files, chain, shared, lists)
    except ScenarioError as error:
        first = error.problems[0]
        if len(error.problems) == 1 and first.file == target_name and first.line is None:
            raise ScenarioError(problems=[_with(here, f"cannot read {written!r}: {first.message} ({links})")]) \
                from None
        raise
    replaced: list[KeyPath] = []
    merged = merge(parent, root, replaced)
    lists.extend((where, target_name) for where in replaced)
    return merged


def _extended_file(path: Path, written: str, shared: list[Path]) -> tuple[Path, str]:
    """The file ``extends: written`` names from the file at ``path``, or why it cannot be read."""
    if not written.lower().endswith(SCENARIO_SUFFIXES):
        return path, (f"extends must name a scenario file ({' or '.join(SCENARIO_SUFFIXES)}), not {written!r}")
    folder = _real(path.parent)
    allowed = [folder, *shared]
    near = _real(folder / written)
    inside = any(near.is_relative_to(root) for root in allowed)
    if inside and near.exists():
        return near, ""
    for root in shared:
        candidate = _real(root / written)
        if candidate.is_relative_to(root) and candidate.is_file():
            return candidate, ""
    if not inside:
        return path, (f"extends can only name a scenario file in this file's folder (or a folder below it) or a "
                      f"shipped scenario such as 'default.yaml'; {written!r} is outside them")
    return near, ""  # missing: reading it says so, with the chain


def _real(path: Path) -> Path:
    try:
        return path.resolve()
    except OSError:  # pragma: no cover
        return path.absolute()


def _with(problem: Problem, message: str) -> Problem:
    return Problem(problem.file, problem.line, problem.col, problem.path, message, problem.source)


def merge(base: Node, child: Node, replaced: list[KeyPath] | None = None, path: KeyPath = ()) -> Node:
    """Deep merge: mappings merge key by key, anything else (lists too) is replaced by the child's.
    ``replaced`` (if given) receives the path of every list of the base a list of the child
    replaced whole."""
    if not (isinstance(base.value, dict) and isinstance(child.value, dict)):
        if replaced is not None and isinstance(base.value, list) and isinstance(child.value, list):
            replaced.append(path)
        return child
    value = dict(base.value)
    for key, node in child.value.items():
        value[key] = merge(base.value[key], node, replaced, (*path, key)) if key in base.value else node
    return Node(value, child.at, child.key_at, child.block)


_SHORT = reprlib.Repr(maxlevel=3, maxstring=40, maxother=40, maxlong=40)  # a Python value in a label

Overrides = Sequence[str] | Mapping[str, Any]
"""``["path=value", ...]`` (values read as YAML) or ``{"path": value}`` (values used as they are)."""


def apply_overrides(document: Document, overrides: Overrides | None, model: type[BaseModel] | None = None) -> None:
    """Apply ``path=value`` overrides in order; problems with them go to ``document.problems``.

    A path is dotted keys; a list entry is addressed by its index or, for a list of mappings, by
    its ``code`` (``states.USA.nativism``). Missing mappings on the way are created. A value is
    read as a YAML scalar or flow value (``30``, ``0.8``, ``true``, ``null``, ``'1984'``,
    ``[USA, CHN]``, ``{kind: none}``); text that YAML would read as a block collection or cannot
    read (``a text: with a colon``) is taken as it is. ``model`` (optional) tells a list the
    document lacks from a mapping, for a clearer message.
    """
    overrides = check_overrides(overrides)
    if not overrides:
        return
    if isinstance(overrides, Mapping):
        pairs = [(f"override {key}={_SHORT.repr(value)}", str(key), value, False) for key, value in overrides.items()]
    else:
        pairs = []
        for text in overrides:
            path_text, equals, value_text = str(text).partition("=")
            pairs.append((f"--set {text}", path_text if equals else "", value_text, True))
    for label, path_text, value, is_text in pairs:
        _apply(document, label, path_text.strip(), value, is_text, model)


def check_overrides(overrides: Any) -> Overrides | None:
    """``overrides`` as a mapping of text paths to values or a list of ``"PATH=VALUE"`` texts (an
    iterable of texts is made a list), or None; raise TypeError for anything else."""
    expected = ("overrides must be a list of 'PATH=VALUE' texts (e.g. ['steps=30']) or a mapping of paths to "
                "values (e.g. {'steps': 30})")
    if overrides is None:
        return None
    if isinstance(overrides, str | bytes):
        raise TypeError(f"{expected}, not a single text: write overrides=[{_SHORT.repr(overrides)}]")
    if isinstance(overrides, Mapping):
        keys = [key for key in overrides if not isinstance(key, str)]
        if keys:
            raise TypeError(f"{expected}; a path must be text, got {_SHORT.repr(keys[0])}")
        return overrides
    if not isinstance(overrides, Iterable):
        raise TypeError(f"{expected}, got {_SHORT.repr(overrides)} ({type(overrides).__name__})")
    texts = list(overrides)
    others = [item for item in texts if not isinstance(item, str)]
    if others:
        raise TypeError(f"{expected}; got {_SHORT.repr(others[0])} ({type(others[0]).__name__}) among them")
    return texts


def _apply(document: Document, label: str, path_text: str, value: Any, is_text: bool,
           model: type[BaseModel] | None) -> None:
    def fail(message: str) -> None:
        document.problems.append(Problem(label, None, None, "", message))

    parts = path_text.split(".")
    if message := _path_problem(path_text, parts):
        return fail(message)
    if is_text:
        value, message = _override_value(value)
        if message:
            return fail(message)
    target, message = _target(document.root, parts, model)
    if message:
        return fail(message)
    where = Location(label, override=target)
    document._nodes = None
    problems: list[Problem] = []
    new = _Builder(label, problems, document.sources, fixed=where).build(value, where, None, target)
    if problems:  # the value cannot be used: say so once, and leave the document as it was
        document.problems.extend(problems)
        return None
    _put(document.root, target, new, where)


def _path_problem(path_text: str, parts: list[str]) -> str:
    """Why an override's path cannot be set (empty, an empty key, ``extends``), or ""."""
    if not path_text or not all(parts):
        return ("write --set PATH=VALUE with a dotted path, e.g. --set steps=30 or "
                "--set states.USA.nativism=0.8")
    if parts[0] == EXTENDS:
        return "extends cannot be set from the command line; write it at the top of the file"
    return ""


def _override_value(text: str) -> tuple[Any, str]:
    """An override's text read as a YAML scalar or flow value (text YAML would read as a block
    collection, or cannot read and does not look like a flow value, is kept as it is); or why it
    cannot be used."""
    flow = text.strip().startswith(("[", "{", '"', "'"))
    if len(text.encode("utf-8")) > MAX_FILE_BYTES:
        return None, _too_large(len(text.encode("utf-8")))
    try:
        value = yaml_reader().load(text)
    except LimitError as error:
        return None, f"cannot use the value {text[:40]!r}{'…' if len(text) > 40 else ''}: {error.problem}"
    except MarkedYAMLError as error:
        if flow:
            return None, f"cannot read the value {text!r}: {_hint(str(error.problem or error))}"
        return text.strip(), ""
    except (YAMLError, ValueError, TypeError, ArithmeticError) as error:
        return None, f"cannot read the value {text!r}: {error}"
    if isinstance(value, CommentedMap | CommentedSeq) and not flow:
        return text.strip(), ""  # "a: b" or "- a" on a command line: text, not a block collection
    return value, ""


def _put(root: Node, target: KeyPath, new: Node, where: Location) -> None:
    """Place ``new`` at ``target``, making the mappings missing on the way."""
    node = root
    for part in target[:-1]:
        if isinstance(node.value, dict):
            child = node.value.get(part)
            if child is None or child.value is None:
                child = node.value[part] = Node({}, where, where)
            node = child
        else:
            node = node.value[part]
    if isinstance(node.value, dict):
        new.key_at = where
    node.value[target[-1]] = new


def _target(root: Node, parts: list[str], model: type[BaseModel] | None) -> tuple[KeyPath, str]:
    """The path an override sets, with list entries found by index or code; or why there is none."""
    node: Node | None = root
    path: list[str | int] = []
    for part in parts:
        where = dotted(path) or "the scenario"
        if node is None or node.value is None:  # a mapping to be created
            if model is not None and _is_list(field_at(model, tuple(path))[0]):
                return (), f"{where} has no entry {part!r}: the file lists no {path[-1]}"
            path.append(part)
            continue
        if isinstance(node.value, dict):
            path.append(part)
            node = node.value.get(part)
        elif isinstance(node.value, list):
            entries = node.value
            if part.isdigit():
                index = int(part)
                if index >= len(entries):
                    count = f"{len(entries)} {'entry' if len(entries) == 1 else 'entries'}"
                    return (), (f"{where} has {count} (numbered from 0); there is no entry {index}"
                                if entries else f"{where} is an empty list; there is no entry {index}")
            else:
                codes = [e.value["code"].value if isinstance(e.value, dict) and "code" in e.value else None
                         for e in entries]
                if part not in codes:
                    known = list(dict.fromkeys(str(c) for c in codes if c is not None))
                    hint = suggest(part, known)
                    listed = ", ".join(known[:12]) + (", …" if len(known) > 12 else "")
                    return (), (f"{where} has no entry with code {part!r}"
                                + (f"; did you mean {hint!r}?" if hint else f" (its codes: {listed})" if known else ""))
                index = codes.index(part)
            path.append(index)
            node = entries[index]
        else:
            return (), f"{where} is {describe(node.value)}, so it has no {part!r} to set"
    return tuple(path), ""


# --- validation -------------------------------------------------------------------------------------

UnknownKeyHint = Callable[[KeyPath, str, list[str]], str | None]
"""``(parent path, unknown key, the keys allowed there)`` → a message replacing the default, or None."""

_EXPECTED = {
    "int_type": "a whole number", "int_parsing": "a whole number", "int_from_float": "a whole number",
    "float_type": "a number", "float_parsing": "a number", "bool_type": "true or false",
    "bool_parsing": "true or false", "string_type": "text", "list_type": "a list", "model_type": "a mapping",
    "dict_type": "a mapping", "model_attributes_type": "a mapping", "none_required": "nothing",
}
_RANGE = {"greater_than": ("gt", "greater than"), "greater_than_equal": ("ge", "at least"),
          "less_than": ("lt", "less than"), "less_than_equal": ("le", "at most")}


def validate(document: Document, model: type[BaseModel],
             unknown_key: UnknownKeyHint | None = None) -> tuple[BaseModel | None, list[Problem]]:
    """Validate the document's data by ``model``: the instance, or None and every problem, located."""
    data = document.data()
    try:
        return model.model_validate(data), []
    except ValidationError as error:
        return None, explain(error.errors(), data, model, document, unknown_key)


def explain(errors: list[dict], data: Any, model: type[BaseModel], document: Document,
            unknown_key: UnknownKeyHint | None = None) -> list[Problem]:
    """pydantic's errors as located problems in plain words, one per thing to fix."""
    entries = []
    for error in errors:
        path, union_at = _clean(error["loc"], data, error["type"])
        entries.append([path, union_at, error, None])
    # A value that matches no alternative of a union gets an error per alternative: keep the
    # alternative that fits the kind of value given, or say once what was expected.
    unions: dict[KeyPath, list[int]] = defaultdict(list)
    for i, (_, union_at, _, _) in enumerate(entries):
        if union_at is not None:
            unions[union_at].append(i)
    dropped = set()
    for at, members in unions.items():
        mismatches = [i for i in members if entries[i][0] == at and entries[i][2]["type"] in _EXPECTED]
        if len(mismatches) < len(members):
            dropped.update(mismatches)
        else:
            expected = list(dict.fromkeys(_EXPECTED[entries[i][2]["type"]] for i in mismatches))
            given = describe(entries[mismatches[0]][2]["input"])
            entries[mismatches[0]][3] = f"expected {' or '.join(expected)}, got {given}"
            dropped.update(mismatches[1:])
    problems: list[Problem] = []
    for i, (path, _, error, message) in enumerate(entries):
        if i in dropped:
            continue
        path, message = _explained(error, path, message, data, model, unknown_key)
        problem = document.locate(path, message, key=error["type"] == "extra_forbidden")
        if problem not in problems:
            problems.append(problem)
    return document.sort(problems)


def _clean(loc: tuple, data: Any, kind: str) -> tuple[KeyPath, KeyPath | None]:
    """pydantic's location without the tags it adds for the alternatives of a union, and where the
    first such tag was."""
    path: list[str | int] = []
    union_at = None
    current = data
    for i, part in enumerate(loc):
        if isinstance(current, dict) and part in current:
            path.append(part)
            current = current[part]
        elif isinstance(current, list) and isinstance(part, int) and 0 <= part < len(current):
            path.append(part)
            current = current[part]
        elif isinstance(current, dict) and i == len(loc) - 1 and kind == "missing":
            path.append(part)
        elif union_at is None:
            union_at = tuple(path)
    return tuple(path), union_at


def _value_at(data: Any, path: KeyPath) -> Any:
    for part in path:
        try:
            data = data[part]
        except (KeyError, IndexError, TypeError):
            return None
    return data


def _explained(error: dict, path: KeyPath, message: str | None, data: Any, model: type[BaseModel],
               unknown_key: UnknownKeyHint | None) -> tuple[KeyPath, str]:
    kind = error["type"]
    if message:
        return path, message
    if kind == "extra_forbidden":
        return path, _unknown_key_message(path, model, unknown_key)
    if kind == "missing":
        return path, f"missing required key {path[-1]!r}"
    if kind in ("value_error", "assertion_error"):
        return _validator_message(error, path, data)
    return path, _value_message(error, *field_at(model, path))


def _unknown_key_message(path: KeyPath, model: type[BaseModel], unknown_key: UnknownKeyHint | None) -> str:
    """A key the schema does not have: the caller's hint, a "did you mean", or the keys allowed."""
    parent, key = path[:-1], str(path[-1])
    keys = _keys_at(model, parent)
    custom = unknown_key(parent, key, keys) if unknown_key else None
    if custom:
        return custom
    hint = suggest(key, keys)
    if hint:
        return f"unknown key {key!r}; did you mean {hint!r}?"
    return f"unknown key {key!r}" + (f"; the keys allowed here are: {', '.join(keys)}" if keys else "")


def _validator_message(error: dict, path: KeyPath, data: Any) -> tuple[KeyPath, str]:
    """A model validator's own message, pointed at the key of the mapping it names (if one)."""
    message = error["msg"].removeprefix("Value error, ").removeprefix("Assertion failed, ")
    here = _value_at(data, path)
    if isinstance(here, dict):  # "month must be 1–12" is about the month: point at it
        named = [(m.start(), key) for key in here if isinstance(key, str)
                 for m in [re.search(rf"(?<![\w.]){re.escape(key)}(?![\w.])", message)] if m]
        if named:
            path = (*path, min(named)[1])
    return path, message


def _value_message(error: dict, annotation: Any, info: FieldInfo | None) -> str:
    """A value of the wrong kind, range, form or length, in plain words (pydantic's own otherwise)."""
    kind, value, context = error["type"], error.get("input"), error.get("ctx") or {}
    if kind == "literal_error":
        return _not_an_allowed_value(value, annotation, context)
    if kind in _RANGE:
        return f"{describe(value)} is out of range: it must be {_range(annotation, info, kind, context)}"
    if _not_finite(kind, value):
        bounds = _range(annotation, info, kind, context)  # an integer too large for a float lands here too
        return f"{describe(value)} is not a finite number: it must be " + (bounds or "a finite number")
    if kind in _EXPECTED:
        return _wrong_type(kind, value)
    if kind == "string_pattern_mismatch":
        description = _description(annotation, info)
        return f"{describe(value)} is not allowed here: " + (
            description[0].lower() + description[1:].rstrip(".") if description
            else f"it must match the pattern {context.get('pattern')}")
    if kind in ("too_short", "too_long"):
        return _wrong_length(kind, context)
    return error["msg"]


def _not_an_allowed_value(value: Any, annotation: Any, context: dict) -> str:
    options = [t for t, _ in _options(annotation)]
    values = [v for t in options if get_origin(t) is Literal for v in get_args(t)]
    if bool in options:  # a switch that also takes a word (keep.events: true, false or strategic)
        values = [True, False, *values]
    allowed = ", ".join("true" if v is True else "false" if v is False else str(v) for v in values) if values \
        else context.get("expected", "")
    hint = suggest(value, [str(v) for v in values]) if isinstance(value, str) else None
    return f"{describe(value)} is not one of the allowed values: {allowed}" + (f"; did you mean {hint!r}?" if hint else "")


def _not_finite(kind: str, value: Any) -> bool:
    """An infinite or NaN number, or a whole number too large for a float."""
    return kind == "finite_number" or (kind == "float_type" and isinstance(value, int) and not isinstance(value, bool))


def _wrong_type(kind: str, value: Any) -> str:
    message = f"expected {_EXPECTED[kind]}, got {describe(value)}"
    if kind == "string_type" and isinstance(value, int | float) and not isinstance(value, bool):
        message += f" (put it in quotes to make it text: '{value}')"
    return message


def _wrong_length(kind: str, context: dict) -> str:
    if kind == "too_short":
        n = context.get("min_length", 1)
        return f"needs at least {n} {'entry' if n == 1 else 'entries'}"
    n = context.get("max_length", 0)
    return f"can have at most {n} {'entry' if n == 1 else 'entries'}"


# --- reading the model --------------------------------------------------------------------------------

def _options(annotation: Any) -> list[tuple[Any, list]]:
    """The alternatives of an annotation (unions and Annotated unwrapped), each with its metadata."""
    found: list[tuple[Any, list]] = []

    def walk(a: Any, meta: list) -> None:
        origin = get_origin(a)
        if origin is Annotated:
            base, *extra = get_args(a)
            walk(base, meta + list(extra))
        elif origin in (Union, types.UnionType):
            for alternative in get_args(a):
                walk(alternative, meta)
        else:
            found.append((a, meta))

    walk(annotation, [])
    return found


def _is_model(t: Any) -> bool:
    return isinstance(t, type) and issubclass(t, BaseModel)


def _is_list(annotation: Any) -> bool:
    return annotation is not None and any(get_origin(t) is list for t, _ in _options(annotation))


def field_at(model: type[BaseModel], path: KeyPath) -> tuple[Any, FieldInfo | None]:
    """The annotation at a path of a model's data, and the field that declares it (None for a list entry)."""
    annotation: Any = model
    info = None
    for part in path:
        for t, _ in _options(annotation):
            if isinstance(part, int) and get_origin(t) is list:
                annotation, info = get_args(t)[0], None
                break
            if isinstance(part, str) and _is_model(t) and part in t.model_fields:
                info = t.model_fields[part]
                annotation = info.annotation
                break
        else:
            return None, None
    return annotation, info


def _keys_at(model: type[BaseModel], path: KeyPath) -> list[str]:
    annotation, _ = field_at(model, path)
    if annotation is None:
        return []
    return list(dict.fromkeys(k for t, _ in _options(annotation) if _is_model(t) for k in t.model_fields))


def _metadata(annotation: Any, info: FieldInfo | None) -> list:
    found = list(info.metadata) if info is not None else []
    for _, meta in _options(annotation) if annotation is not None else []:
        found += meta
    flat = []
    for item in found:
        flat += [item, *item.metadata] if isinstance(item, FieldInfo) else [item]
    return flat


def _number(x: Any) -> str:
    return str(int(x)) if isinstance(x, float) and x.is_integer() else str(x)


def _range(annotation: Any, info: FieldInfo | None, kind: str, context: dict) -> str:
    low = high = None
    for item in _metadata(annotation, info):
        if isinstance(item, annotated_types.Ge):
            low = ("at least", item.ge)
        elif isinstance(item, annotated_types.Gt):
            low = ("greater than", item.gt)
        elif isinstance(item, annotated_types.Le):
            high = ("at most", item.le)
        elif isinstance(item, annotated_types.Lt):
            high = ("less than", item.lt)
    if low is None and high is None:
        if kind not in _RANGE:
            return ""
        key, words = _RANGE[kind]
        return f"{words} {_number(context.get(key))}"
    if low and high and low[0] == "at least" and high[0] == "at most":
        return f"between {_number(low[1])} and {_number(high[1])}"
    return " and ".join(f"{bound[0]} {_number(bound[1])}" for bound in (low, high) if bound)


def _description(annotation: Any, info: FieldInfo | None) -> str | None:
    if info is not None and info.description:
        return info.description
    for item in _metadata(annotation, info):
        if isinstance(item, FieldInfo) and item.description:
            return item.description
    return None
