"""Shared test set-up: hypothesis profiles (few examples on CI) and small model fixtures."""

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
import _hypothesis_profiles  # noqa: E402,F401  (registers and loads the profile)

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def default_run():
    """The default scenario run to its end once (shared by read-only tests)."""
    from exitsim import ExitModel

    return ExitModel().run()


@pytest.fixture
def small_file(tmp_path):
    """scenario_texts.SMALL written to a file."""
    from scenario_texts import SMALL, write

    return write(tmp_path, SMALL, "small.yaml")
