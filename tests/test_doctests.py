"""The examples in the package's docstrings run and give what they show (``>>>`` lines)."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import exitsim


def _modules() -> list[str]:
    names = ["exitsim"]
    for info in pkgutil.walk_packages(exitsim.__path__, "exitsim."):
        if not info.name.startswith("exitsim.dashboard"):  # a Face part with optional imports: tested on its own
            names.append(info.name)
    return sorted(names)


MODULES = _modules()


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples_run(name):
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0, f"{result.failed} of {result.attempted} examples in {name} failed"


def test_the_package_has_examples_to_run():
    attempted = sum(doctest.testmod(importlib.import_module(name)).attempted for name in MODULES)
    assert attempted >= 10
