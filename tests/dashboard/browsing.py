"""Driving the dashboard in a real browser: the server as an instructor starts it, and one tab.

Used by the browser tests (``test_browser.py``) and by ``scripts/dashboard_screenshots.py``.
"""

import contextlib
import re
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

from playwright.sync_api import Page, expect

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM_ARGS = ["--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run"]
TIMEOUT = 60_000  # ms: a shared two-core machine can be slow
expect.set_options(timeout=TIMEOUT)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def dashboard_server(scenario: str = "classroom") -> Iterator[str]:
    """``python run.py dashboard`` on a free port of 127.0.0.1; yields its address once it answers."""
    port = free_port()
    server = subprocess.Popen([sys.executable, "run.py", "dashboard", "--port", str(port), "--scenario", scenario],
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


class Dashboard:
    """One browser tab on the dashboard, with what it logged and asked for."""

    def __init__(self, page: Page, url: str):
        self.page, self.url = page, url
        self.errors: list[str] = []
        self.requests: list[str] = []
        page.on("console", lambda message: message.type == "error" and self.errors.append(message.text))
        page.on("pageerror", lambda error: self.errors.append(str(error)))
        page.on("request", lambda request: self.requests.append(request.url))
        page.on("websocket", lambda socket: self.requests.append(socket.url))
        page.set_default_timeout(TIMEOUT)
        page.goto(url)
        self.year_label = page.locator(".exitsim-year")
        expect(self.year_label).to_have_text(re.compile(r"Year \d+"))

    @property
    def year(self) -> int:
        return int(self.year_label.inner_text().removeprefix("Year "))

    def click(self, name: str) -> None:
        self.page.get_by_role("button", name=name, exact=True).click()

    def step(self, times: int = 1) -> None:
        for _ in range(times):
            year = self.year
            self.click("Step")
            expect(self.year_label).to_have_text(f"Year {year + 1}")

    def choose(self, label: str, option: str) -> None:
        """Pick ``option`` in the drop-down labelled ``label``, and wait until it shows it."""
        field = self.page.locator(".v-select").filter(has=self.page.locator("label", has_text=re.compile(f"^{label}$")))
        field.locator(".v-select__slot").click()
        menu = self.page.locator(".menuable__content__active")
        menu.locator(".v-list-item", has_text=re.compile(f"^{re.escape(option)}$")).first.click()
        expect(field.locator(".v-select__selection")).to_have_text(option)
        expect(menu).to_have_count(0)  # closed, so the next drop-down's menu is the only one open

    def images(self) -> list[str]:
        return [image.get_attribute("src") for image in self.page.locator("img").all()]

    def tab(self, name: str) -> None:
        self.page.get_by_role("tab", name=name).click()
