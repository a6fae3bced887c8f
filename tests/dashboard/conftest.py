"""Browser tests' set-up: Debian's chromium through pytest-playwright, and a real dashboard server.

Playwright cannot download its own browsers here, so the ``browser_type_launch_args`` fixture
points it at the system's chromium. Without chromium the browser tests are skipped on a
developer's machine and fail under CI (``CI`` set), where ``.ci/run`` installs it.
"""

import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run"]


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


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def dashboard_url():
    """``python run.py dashboard`` on a free port of 127.0.0.1, as an instructor starts it."""
    _require_chromium()
    port = _free_port()
    server = subprocess.Popen([sys.executable, "run.py", "dashboard", "--port", str(port), "--scenario", "classroom"],
                              cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    url = f"http://127.0.0.1:{port}/"
    try:
        banner = server.stdout.readline()
        assert re.match(rf"exitsim dashboard: open {re.escape(url)} in a browser", banner), banner
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(url, timeout=5) as answer:
                    assert answer.status == 200
                    break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise
                time.sleep(0.2)
        yield url
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
