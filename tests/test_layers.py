"""The package's floors, read from the imports (docs/architecture.md).

* ``exitsim/codes.py`` is the bottom floor: it imports nothing of the package.
* A mechanism (``exitsim/mechanisms/``) imports only numpy, the standard library, the codes and
  other mechanisms: no model, world, phase, scenario or command line, so it can be read, tested
  and reused as the pure function of a theory.
* A phase (``exitsim/phases/``) imports no model and no command line: the model calls the
  phases, never the other way round.
* The scenario schema builds on the generator's settings and the strict base models
  (``exitsim/generate.py``, ``exitsim/strict.py``), which never import the schema back.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "exitsim"


def imported_modules(path: Path, root: Path = PACKAGE) -> set[str]:
    """Every module a file imports, as absolute dotted names (relative imports resolved against
    the package folder ``root``)."""
    package = ".".join(path.relative_to(root.parent).with_suffix("").parts[:-1])
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            found.add(module)
            # ``from . import budget`` imports a module of the package
            found.update(f"{module}.{alias.name}" for alias in node.names if not node.module)
    return found


def _files(folder: str) -> list[Path]:
    return sorted((PACKAGE / folder).glob("*.py"))


def _third_party(module: str) -> bool:
    top = module.split(".")[0]
    return top != "exitsim" and top not in sys.stdlib_module_names and top != "__future__"


@pytest.mark.parametrize("path", _files("mechanisms"), ids=lambda p: p.name)
def test_a_mechanism_knows_no_model_world_phase_or_command(path):
    modules = imported_modules(path)
    ours = {m for m in modules if m.split(".")[0] == "exitsim"}
    wrong = sorted(m for m in ours if m != "exitsim.codes" and not m.startswith("exitsim.mechanisms"))
    assert not wrong, f"{path.name} imports {wrong}: mechanisms take arrays, codes and each other only"
    foreign = sorted(m for m in modules if _third_party(m) and m.split(".")[0] != "numpy")
    assert not foreign, f"{path.name} imports {foreign}: mechanisms need numpy only"


@pytest.mark.parametrize("path", _files("phases"), ids=lambda p: p.name)
def test_a_phase_does_not_call_back_into_the_model(path):
    wrong = sorted(m for m in imported_modules(path)
                   if m.startswith(("exitsim.model", "exitsim.cli", "exitsim.outputs", "exitsim.agents")))
    assert not wrong, f"{path.name} imports {wrong}: the model calls the phases, not the other way round"


@pytest.mark.parametrize("name", ["generate.py", "strict.py"])
def test_the_generator_and_the_strict_base_do_not_import_the_scenario_schema(name):
    wrong = sorted(m for m in imported_modules(PACKAGE / name)
                   if m.startswith(("exitsim.scenario", "exitsim.loading", "exitsim.model", "exitsim.cli")))
    assert not wrong, f"{name} imports {wrong}: exitsim/scenario.py imports it, never the reverse"


def test_the_codes_are_the_bottom_floor():
    ours = {m for m in imported_modules(PACKAGE / "codes.py") if m.split(".")[0] == "exitsim"}
    assert not ours


def test_the_import_reader_sees_what_a_forbidden_import_looks_like(tmp_path):
    # the reader itself can fail: relative and absolute imports of the world are both found
    folder = tmp_path / "exitsim" / "mechanisms"
    folder.mkdir(parents=True)
    sample = folder / "sample.py"
    sample.write_text("from ..world import World\nimport exitsim.model\nfrom . import budget\nimport pandas\n")
    found = imported_modules(sample, tmp_path / "exitsim")
    assert {"exitsim.world", "exitsim.model", "exitsim.mechanisms.budget", "pandas"} <= found
