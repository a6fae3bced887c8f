"""Make the screenshots of docs/dashboard.md: a real dashboard server in headless chromium.

    python scripts/dashboard_screenshots.py            # writes docs/images/dashboard-*.png

Needs what the browser tests need: the dashboard extra, the front-end files (``make test`` or
``make dashboard`` installs them) and Debian's chromium (``apt-get install chromium``).
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "dashboard"))

from browsing import CHROMIUM_ARGS, Dashboard, dashboard_server  # noqa: E402
from playwright.sync_api import expect, sync_playwright  # noqa: E402

OUT = ROOT / "docs" / "images"
SIZE = {"width": 1440, "height": 1500}


def main() -> int:
    chromium = shutil.which("chromium")
    if chromium is None:
        print("Needs Debian's chromium: apt-get install chromium", file=sys.stderr)
        return 2
    OUT.mkdir(parents=True, exist_ok=True)
    with dashboard_server("classroom") as url, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport=SIZE)
        tab = Dashboard(page, url)
        tab.step(6)  # 2022: the US exits of 2017–2021 are in the feed
        shot(page, "dashboard-overview.png")

        tab.choose("Scenario", "default.yaml")
        expect(tab.year_label).to_have_text("Year 2025")
        tab.step(3)
        tab.choose("Organization", "O11")  # S42, the hegemon, gives notice to its largest organization
        tab.click("Apply now")
        expect(page.locator(".exitsim-this-year")).to_contain_text("S42 gave notice to leave O11")
        tab.step(2)
        page.get_by_text("exits and threats only").click()
        expect(page.locator(".exitsim-feed li").first).to_contain_text("S")
        shot(page, "dashboard-intervention.png")

        tab.tab("Inspector")
        expect(page.get_by_text("ũ: what membership is worth")).to_be_visible()
        shot(page, "dashboard-inspector.png")

        tab.tab("Scenario editor")
        editor = page.locator(".exitsim-editor textarea")
        editor.fill(editor.input_value().replace("steps: 50", "steps: fifty").replace("states: 60", "statse: 60"))
        tab.click("Apply")
        expect(page.locator(".exitsim-problems")).to_be_visible()
        shot(page, "dashboard-editor.png")

        tab.tab("Run")
        page.get_by_text("Projector mode").click()
        shot(page, "dashboard-projector.png", full_page=False)
        browser.close()
    print(f"Wrote the screenshots to {OUT.relative_to(ROOT)}/.")
    return 0


def shot(page, name: str, full_page: bool = True) -> None:
    page.wait_for_timeout(1500)  # the images of the last redraw
    page.screenshot(path=OUT / name, full_page=full_page)


if __name__ == "__main__":
    sys.exit(main())
