"""The golden runs (``golden.py``): the shipped scenarios produce exactly what is stored.

A failure here means results changed. If that was the purpose of the change, rewrite them with
``make golden`` and say in the commit message which fix changed them and why.
"""

from __future__ import annotations

import difflib

import pytest
from golden import RUNS, produce, stored


def _first_difference(expected: str, actual: str, name: str) -> str:
    diff = difflib.unified_diff(expected.splitlines(), actual.splitlines(), f"stored {name}", f"this code's {name}",
                                n=1, lineterm="")
    return "\n".join(line[:300] for line in list(diff)[:12])


@pytest.mark.parametrize("run", RUNS, ids=[run.name for run in RUNS])
def test_golden_run_is_unchanged(run):
    expected = stored(run)
    actual = produce(run)
    assert sorted(actual) == sorted(expected), f"{run.name}: stored files {sorted(expected)}"
    for name, text in actual.items():
        assert text == expected[name], (f"{run.name}/{name} changed (make golden rewrites it; say why in the "
                                        f"commit):\n{_first_difference(expected[name], text, name)}")
