"""The dashboard page without a browser: its widget tree rendered by solara, driven by clicks."""

import html
import io
import re
from pathlib import Path

import ipyvuetify as v
import ipywidgets
import PIL.Image
import pytest
import solara

from exitsim.dashboard.app import Dashboard
from exitsim.parameters import REGISTRY

SCENARIOS = Path(__file__).resolve().parents[2] / "scenarios"


class Page:
    """A rendered dashboard and the few ways a test touches it."""

    def __init__(self, scenario: str = "classroom"):
        self.box, self.rc = solara.render(Dashboard(SCENARIOS, scenario), handle_error=False)

    def button(self, label: str) -> v.Btn:
        found = [w for w in self.rc.find(v.Btn).widgets if label in w.children]
        assert len(found) == 1, f"{len(found)} buttons labelled {label!r}"
        return found[0]

    def click(self, label: str, times: int = 1) -> None:
        for _ in range(times):
            self.button(label).click()

    def one(self, cls, **attributes):
        found = self.rc.find(cls, **attributes)
        found.assert_single()
        return found.widget

    def select(self, label: str, value: str) -> None:
        self.one(v.Select, label=label).v_model = value

    @property
    def year(self) -> int:
        (widget,) = self.rc.find(v.Html, class_="exitsim-year").widgets
        return int(widget.children[0].removeprefix("Year "))

    def text(self) -> str:
        """Every text of the page, joined (HTML snippets included)."""
        parts = []
        for widget in self.rc.find(v.Html).widgets:
            parts += [c for c in widget.children if isinstance(c, str)]
        for widget in self.rc.find(solara.widgets.HTML).widgets:
            parts.append(html.unescape(re.sub("<[^>]+>", " ", widget.unsafe_innerHTML)))
        for widget in self.rc.find(v.VuetifyTemplate).widgets:  # Markdown, as HTML
            html_text = getattr(widget, "html", None) or getattr(widget, "template", "") or ""
            parts.append(html.unescape(re.sub("<[^>]+>", " ", str(html_text))))
        for widget in self.rc.find(v.Alert).widgets:
            parts += [c for c in widget.children if isinstance(c, str)]
        return "\n".join(parts)

    def images(self) -> list[bytes]:
        import ipywidgets

        return [w.value for w in self.rc.find(ipywidgets.Image).widgets]


@pytest.fixture
def dashboard():
    return Page()


def test_the_page_starts_at_the_scenario_start_year(dashboard):
    assert dashboard.year == 2016
    assert "classroom: step 0 of 34 (2016–2050)" in dashboard.text()


def test_step_five_times_advances_the_year_by_five_and_redraws(dashboard):
    before = dashboard.images()
    dashboard.click("Step", 5)
    assert dashboard.year == 2021
    after = dashboard.images()
    assert len(after) == len(before) == 2
    assert all(a != b for a, b in zip(after, before, strict=True))


def test_reset_goes_back_to_the_start(dashboard):
    dashboard.click("Step", 3)
    dashboard.click("Reset")
    assert dashboard.year == 2016


def test_the_seed_applies_on_reset_and_a_bad_one_is_refused(dashboard):
    seed = dashboard.one(v.TextField, label="Seed (applies on Reset)")
    seed.v_model = "seven"
    assert "The seed must be a whole number from 0 to 9223372036854775807, not 'seven'." in dashboard.text()
    seed.v_model = "1" * 20  # too large for a seed: refused here, not a traceback page at Reset
    assert f"The seed must be a whole number from 0 to 9223372036854775807, not '{'1' * 20}'." in dashboard.text()
    seed.v_model = "11"
    dashboard.click("Step")
    dashboard.click("Reset")
    assert dashboard.year == 2016
    assert dashboard.one(v.TextField, label="Seed (applies on Reset)").v_model == "11"


def test_switching_scenario_resets_the_world(dashboard):
    dashboard.click("Step", 2)
    dashboard.select("Scenario", "default.yaml")
    assert dashboard.year == 2025
    assert "default: step 0 of 50" in dashboard.text()
    assert dashboard.one(v.Textarea, label="Scenario YAML").v_model == (SCENARIOS / "default.yaml").read_text()
    assert dashboard.one(v.TextField, label="Seed (applies on Reset)").v_model == "42"


def test_an_intervention_shows_in_the_feed_and_this_years_line(dashboard):
    dashboard.click("Step", 2)
    dashboard.select("State", "CHN")
    dashboard.select("Organization", "UNESCO")
    dashboard.click("Apply now")
    assert dashboard.year == 2019
    text = dashboard.text()
    assert "CHN gave notice to leave UNESCO (effective 2020-12" in text
    assert "This year: CHN gave notice to leave UNESCO" in text


def test_a_nativist_turn_is_an_intervention_without_an_organization(dashboard):
    dashboard.select("State", "DEU")
    dashboard.select("does what", "… turns nativist (new government)")
    assert not dashboard.rc.find(v.Select, label="Organization").widgets
    dashboard.click("Apply now")
    assert "DEU has a new government (scheduled: nativist government)" in dashboard.text()


def test_a_broken_yaml_lists_its_error_with_the_line_and_the_run_goes_on(dashboard):
    dashboard.click("Step", 3)
    text = dashboard.one(v.Textarea, label="Scenario YAML")
    lines = text.v_model.splitlines()
    number = next(i for i, line in enumerate(lines) if line.startswith("steps:"))
    lines[number] = "steps: many"
    text.v_model = "\n".join(lines)
    dashboard.click("Apply")
    shown = dashboard.text()
    assert "1 problem to fix; the current run goes on" in shown
    assert f"classroom.yaml, line {number + 1}, column 8: steps: expected a whole number" in shown
    assert dashboard.year == 2019
    dashboard.click("Step")
    assert dashboard.year == 2020


def test_an_edited_yaml_restarts_the_run_on_it(dashboard):
    dashboard.click("Step", 3)
    text = dashboard.one(v.Textarea, label="Scenario YAML")
    text.v_model = text.v_model.replace("start_year: 2016", "start_year: 2015")
    dashboard.click("Apply")
    assert dashboard.year == 2015
    assert "Applied: classroom restarted at 2015." in dashboard.text()


def test_extends_outside_the_scenarios_folder_is_refused(dashboard):
    text = dashboard.one(v.Textarea, label="Scenario YAML")
    text.v_model = "extends: ../../etc/passwd\nname: x\n"
    dashboard.click("Apply")
    assert ("classroom.yaml, line 1, column 10: extends: extends may name only a scenario file of the scenarios "
            "folder (bipolar.yaml, classroom.yaml, cold_war_1949.yaml, default.yaml, world.yaml, world_2017.yaml), "
            "not '../../etc/passwd'") in dashboard.text()
    assert dashboard.year == 2016


def test_two_pages_hold_independent_models():
    first, second = Page(), Page()
    first.click("Step", 3)
    assert (first.year, second.year) == (2019, 2016)
    second.click("Step")
    assert (first.year, second.year) == (2019, 2017)


def test_a_parameter_control_changes_the_running_model(dashboard):
    slider = dashboard.one(v.Slider, label="beta_contagion (β_c)")
    assert slider.thumb_label == "always"  # the value in force is in sight, not only while dragging
    slider.v_model = 0.0
    assert "beta_contagion set to 0" in dashboard.text()


def test_the_inspector_shows_the_chosen_states_memberships_when_its_tab_is_open(dashboard):
    assert "ũ: what membership is worth" not in dashboard.text()
    dashboard.one(v.Tabs).v_model = 1
    dashboard.select("State to inspect", "CHN")
    text = dashboard.text()
    assert "ũ: what membership is worth this year" in text
    assert re.search(r"CHN\W*: power share", text) and "CHN (CHN)" not in text  # a code-named state once
    assert "Dues paid: power units a year" in text


def test_the_served_page_opens_the_folder_and_scenario_the_server_names(tmp_path, monkeypatch):
    from exitsim.dashboard.app import Page as ServedPage
    from exitsim.dashboard.server import FOLDER_VARIABLE, SCENARIO_VARIABLE

    (tmp_path / "lesson.yaml").write_text("name: lesson\nstart_year: 1990\nsteps: 3\nstates:\n"
                                          "  - {code: A, power: 1}\n  - {code: B, power: 2}\n  - {code: C, power: 3}\n"
                                          "organizations:\n  - {code: O, members: [A, B, C]}\n", encoding="utf-8")
    monkeypatch.setenv(FOLDER_VARIABLE, str(tmp_path))
    monkeypatch.setenv(SCENARIO_VARIABLE, "lesson.yaml")
    _, rc = solara.render(ServedPage(), handle_error=False)
    (year,) = rc.find(v.Html, class_="exitsim-year").widgets
    assert year.children == ["Year 1990"]
    assert rc.find(v.Select, label="Scenario").widget.items == ["lesson.yaml"]


def test_projector_mode_enlarges_the_page_and_its_figures(dashboard):
    assert dashboard.rc.find(v.Sheet, class_="d-flex ma-0 exitsim-page").widgets
    before = dashboard.rc.find(ipywidgets.Image).widgets[0].value
    dashboard.one(v.Switch, label="Projector mode (large type)").v_model = True
    assert dashboard.rc.find(v.Sheet, class_="d-flex ma-0 exitsim-page exitsim-projector").widgets
    network = PIL.Image.open(io.BytesIO(dashboard.rc.find(ipywidgets.Image).widgets[0].value))
    assert network.size[0] > PIL.Image.open(io.BytesIO(before)).size[0]


def test_each_parameter_has_one_control_that_fits_it(dashboard):
    def count(cls, label):
        return len(dashboard.rc.find(cls, label=label).widgets)

    assert count(v.Slider, "leak (ℓ)") == 1 and count(v.TextField, "leak (ℓ)") == 0
    # ω's default (1.5e-4) is a tiny part of its range (0–0.1): a number box, no slider
    assert count(v.TextField, "access_spillover (ω)") == 1 and count(v.Slider, "access_spillover (ω)") == 0


def test_a_great_power_strategy_is_chosen_from_the_registrys_choices(dashboard):
    select = dashboard.one(v.Select, label="hegemon_strategy")
    assert select.items == ["status_quo", "exit_diplomacy", "inclusive", "exclusive"]
    select.v_model = "exit_diplomacy"
    dashboard.click("Step")
    assert "hegemon_strategy set to exit_diplomacy" in dashboard.text()


def test_every_float_slider_can_show_its_default_without_rounding_it():
    """A slider over 0–100 in steps of 1 showed strategy_trigger's 1.5 as 2, and changed the
    model by being shown."""
    from exitsim.dashboard.app import control_groups, slider_step

    sliders = [p for group in control_groups().values() for p in group if p.kind == "float"]
    assert {p.name for p in sliders} >= {"strategy_trigger", "founder_contribution", "beta_contagion"}
    for p in sliders:
        step = slider_step(p)
        assert round((p.default - p.low) / step) * step == pytest.approx(p.default - p.low, abs=1e-9), p.name
        assert (p.high - p.low) / step <= 10_000, p.name
    assert slider_step(REGISTRY["strategy_trigger"]) == pytest.approx(0.1)
