"""Browser tests' set-up: Debian's chromium through pytest-playwright, and a real dashboard server.

Playwright cannot download its own browsers here, so the ``browser_type_launch_args`` fixture
points it at the system's chromium. Without chromium the browser tests are skipped on a
developer's machine and fail under CI (``CI`` set), where ``.ci/run`` installs it.
"""

import os
import shutil
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from browsing import CHROMIUM_ARGS, dashboard_server  # noqa: E402

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


def _require_chromium() -> str:
    if CHROMIUM:
        return CHROMIUM
    if os.environ.get("CI"):
        pytest.fail("chromium is not installed: the browser tests must run on CI (.ci/run installs it with "
                    "apt-get install chromium)")
    pytest.skip("chromium is not installed (apt-get install chromium); CI runs these tests")


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """pytest-playwright's launch arguments, with Debian's chromium (root needs --no-sandbox)."""
    return {**browser_type_launch_args, "executable_path": _require_chromium(), "args": CHROMIUM_ARGS}


@pytest.fixture(scope="module")
def dashboard_url():
    """``python run.py dashboard --scenario classroom`` on a free port, as an instructor starts it."""
    _require_chromium()
    with dashboard_server("classroom") as url:
        yield url
