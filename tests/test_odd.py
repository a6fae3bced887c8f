"""docs/ODD.md stays true to the code: every function and every test its table (section 4, from
theory to code and test) names exists."""

from __future__ import annotations

import ast
import importlib
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
ODD = ROOT / "docs" / "ODD.md"


def _table_rows() -> list[list[str]]:
    text = ODD.read_text(encoding="utf-8")
    table = text[text.index("## 4. The table"):]
    table = table[: table.index("\n## ", 5)] if "\n## " in table[5:] else table
    rows = [line.split(" | ") for line in table.splitlines() if line.startswith("| ") and not line.startswith("|---")]
    return [row for row in rows[1:] if len(row) >= 5]  # without the header


_MISSING = object()


def _resolves(path: str) -> bool:
    """``module.name[.attribute]`` under exitsim.mechanisms, exitsim, or a method of ExitModel / World."""
    candidates = [f"exitsim.mechanisms.{path}", f"exitsim.{path}", f"exitsim.model.{path}", f"exitsim.world.{path}"]
    for dotted in candidates:
        parts = dotted.split(".")
        for cut in range(len(parts) - 1, 0, -1):
            try:
                obj = importlib.import_module(".".join(parts[:cut]))
            except ModuleNotFoundError:
                continue
            for name in parts[cut:]:
                fields = getattr(obj, "__dataclass_fields__", {})
                obj = fields[name] if name in fields else getattr(obj, name, _MISSING)
                if obj is _MISSING:
                    break
            if obj is not _MISSING:
                return True
            break
    return False


FUNCTIONS = sorted({name for row in _table_rows() for name in re.findall(r"`([A-Za-z_][\w.]*\.[A-Za-z_]\w*)`", row[3])})


def _tests() -> list[tuple[str, str]]:
    found = set()
    for row in _table_rows():
        current = None
        for file, name in re.findall(r"`(tests/[\w/]+\.py)?(?:::(\w+))?(?:\[[^\]]*\])?`", row[4]):
            current = file or current
            if name:
                assert current, f"docs/ODD.md §4 names ::{name} before any test file"
                found.add((current, name))
    return sorted(found)


TESTS = _tests()


def test_the_table_is_read():
    assert len(FUNCTIONS) > 40 and len(TESTS) > 100


@pytest.mark.parametrize("name", FUNCTIONS)
def test_every_function_the_table_names_exists(name):
    assert _resolves(name), f"docs/ODD.md §4 names `{name}`, which the code does not have"


@pytest.mark.parametrize("file, name", TESTS, ids=[f"{f}::{n}" for f, n in TESTS])
def test_every_test_the_table_names_exists(file, name):
    path = ROOT / file
    assert path.exists(), f"docs/ODD.md §4 names {file}, which does not exist"
    defined = {node.name for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
               if isinstance(node, ast.FunctionDef)}
    assert name in defined, f"docs/ODD.md §4 names {file}::{name}, which does not exist"
