"""The dashboard in a real browser (chromium), served by a real ``python run.py dashboard``."""

import re
import time

import pytest
from browsing import Dashboard
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

START = 2016  # classroom.yaml's start_year


@pytest.fixture
def dashboard(page: Page, dashboard_url: str) -> Dashboard:
    return Dashboard(page, dashboard_url)


def test_the_page_loads_without_errors_and_nothing_leaves_the_machine(dashboard):
    expect(dashboard.page.get_by_text("Events, newest first")).to_be_visible()
    dashboard.step()
    local = dashboard.url.removeprefix("http://").rstrip("/")
    outside = [url for url in dashboard.requests
               if not re.match(rf"(https?|wss?)://{re.escape(local)}/|blob:http://{re.escape(local)}/|data:", url)]
    assert outside == []
    assert dashboard.errors == []


def test_step_five_times_advances_the_year_by_five_and_changes_the_plots(dashboard):
    assert dashboard.year == START
    before = dashboard.images()
    dashboard.step(5)
    assert dashboard.year == START + 5
    expect(dashboard.page.get_by_text("step 5 of 34")).to_be_visible()
    after = dashboard.images()
    assert len(after) == len(before) == 2 and all(a != b for a, b in zip(after, before, strict=True))


def test_play_then_pause_advances_and_stops(dashboard):
    dashboard.click("Play")
    expect(dashboard.year_label).not_to_have_text(f"Year {START}")
    # a playing page redraws every year: find the button by its text, and allow a busy machine time
    dashboard.page.locator("button", has_text="Pause").click(timeout=3 * 60_000)
    expect(dashboard.page.get_by_role("button", name="Play", exact=True)).to_be_visible()
    stopped = dashboard.year
    time.sleep(2.0)  # at 2 years a second, a run still playing would have moved on
    assert dashboard.year == stopped > START


def test_switching_scenario_resets_the_world(dashboard):
    dashboard.step(2)
    dashboard.choose("Scenario", "default.yaml")
    expect(dashboard.year_label).to_have_text("Year 2025")
    expect(dashboard.page.get_by_text("default: step 0 of 50")).to_be_visible()


def test_an_intervention_shows_in_the_event_feed_and_on_the_network(dashboard):
    dashboard.step()
    before = dashboard.images()
    dashboard.choose("State", "CHN")
    dashboard.choose("Organization", "UNESCO")
    dashboard.click("Apply now")
    expect(dashboard.page.get_by_text(f"{START + 2}: CHN gives notice to UNESCO")).to_be_visible()
    expect(dashboard.year_label).to_have_text(f"Year {START + 2}")
    expect(dashboard.page.locator(".exitsim-feed li").filter(has_text="CHN gave notice to leave UNESCO")).to_have_count(1)
    expect(dashboard.page.locator(".exitsim-this-year")).to_contain_text("CHN gave notice to leave UNESCO")
    assert dashboard.images()[0] != before[0]


def test_a_broken_yaml_shows_its_error_with_the_line_while_the_old_model_runs_on(dashboard):
    dashboard.step(2)
    dashboard.tab("Scenario editor")
    editor = dashboard.page.locator(".exitsim-editor textarea")
    text = editor.input_value()
    line = next(i for i, row in enumerate(text.splitlines(), 1) if row.startswith("steps:"))
    editor.fill(re.sub(r"(?m)^steps:.*$", "steps: many", text))
    dashboard.click("Apply")
    expect(dashboard.page.locator(".exitsim-problems")).to_contain_text(
        f"classroom.yaml, line {line}, column 8: steps: expected a whole number")
    assert dashboard.year == START + 2
    dashboard.step()
    assert dashboard.year == START + 3


def test_extends_out_of_the_scenarios_folder_is_refused(dashboard):
    dashboard.tab("Scenario editor")
    dashboard.page.locator(".exitsim-editor textarea").fill("extends: ../../etc/passwd\nname: stolen\n")
    dashboard.click("Apply")
    expect(dashboard.page.locator(".exitsim-problems")).to_contain_text(
        "line 1, column 10: extends: extends may name only a scenario file of the scenarios folder")
    expect(dashboard.page.locator(".exitsim-problems")).not_to_contain_text("root:")
    assert dashboard.year == START


def test_two_tabs_hold_independent_models(dashboard, page: Page, dashboard_url: str):
    dashboard.step(3)
    second = Dashboard(page.context.new_page(), dashboard_url)
    assert second.year == START
    second.step()
    assert (dashboard.year, second.year) == (START + 3, START + 1)


def test_the_runs_tables_and_the_edited_yaml_download(dashboard):
    dashboard.step(2)
    with dashboard.page.expect_download() as caught:
        dashboard.click("events.csv")
    lines = caught.value.path().read_text(encoding="utf-8").splitlines()
    assert lines[0] == "year,kind,state,organization,month,substantive,procedural,cause,detail"
    assert {line.split(",")[0] for line in lines[1:]} == {"2017", "2018"}
    dashboard.tab("Scenario editor")
    editor = dashboard.page.locator(".exitsim-editor textarea")
    editor.fill(editor.input_value().replace("steps: 34", "steps: 12"))
    with dashboard.page.expect_download() as caught:
        dashboard.click("Download this YAML")
    assert caught.value.suggested_filename == "classroom.yaml"
    assert "\nsteps: 12 " in caught.value.path().read_text(encoding="utf-8")


def test_a_parameter_shows_its_registry_description_and_range_on_hover(dashboard):
    dashboard.page.get_by_text("same_issue_spill").hover()
    expect(dashboard.page.locator(".v-tooltip__content")).to_contain_text(
        "A notice exposes co-members in same-issue organizations the leaver belongs to by this share. "
        "Range 0–1 (share); default 0.3.")


@pytest.mark.parametrize("size", [(1280, 800), (1024, 768)])
def test_projector_mode_keeps_every_run_control_inside_its_column_on_small_screens(dashboard, size):
    """At a projector's 1280×800 the Reset button was cut off, at 1024×768 hidden."""
    dashboard.page.set_viewport_size({"width": size[0], "height": size[1]})
    dashboard.page.get_by_text("Projector mode (large type)").click()
    controls = dashboard.page.locator(".exitsim-controls")
    box = controls.bounding_box()
    for name in ("Play", "Step", "Reset"):
        button = dashboard.page.get_by_role("button", name=name).bounding_box()
        assert button["x"] >= box["x"] - 1 and button["x"] + button["width"] <= box["x"] + box["width"] + 1, name
        assert button["x"] + button["width"] <= size[0], name
