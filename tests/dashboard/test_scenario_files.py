"""The dashboard opens only the scenarios folder's files, and checks pasted YAML before the loader."""

import os
from pathlib import Path

import pytest

from exitsim.dashboard.scenario_files import (
    MAX_ALIASES,
    MAX_DEPTH,
    MAX_TEXT,
    check_text,
    list_scenarios,
    read_scenario,
    scenario_path,
    validate_text,
)
from exitsim.loading import ScenarioError

SCENARIOS = Path(__file__).resolve().parents[2] / "scenarios"
A_WORLD = ("states:\n  - {code: A, power: 1}\n  - {code: B, power: 2}\n  - {code: C, power: 3}\n"
              "organizations:\n  - {code: O, members: [A, B, C]}\n")


@pytest.fixture
def folder(tmp_path):
    """A scenarios folder with one scenario, a file it extends, and a secret beside it."""
    inside = tmp_path / "scenarios"
    inside.mkdir()
    (inside / "base.yaml").write_text("name: base\nsteps: 5\n" + A_WORLD, encoding="utf-8")
    (inside / "lesson.yaml").write_text("extends: base.yaml\nname: lesson\n", encoding="utf-8")
    (inside / "notes.txt").write_text("not a scenario", encoding="utf-8")
    (tmp_path / "secret.yaml").write_text("name: secret\n" + A_WORLD, encoding="utf-8")
    return inside


def test_the_folder_lists_its_own_yaml_files_only(folder):
    os.symlink(folder.parent / "secret.yaml", folder / "link.yaml")
    assert list_scenarios(folder) == ["base.yaml", "lesson.yaml"]


def test_the_shipped_scenarios_are_listed():
    assert list_scenarios(SCENARIOS) == ["bipolar.yaml", "classroom.yaml", "cold_war_1949.yaml", "default.yaml",
                                         "world.yaml", "world_2017.yaml"]


@pytest.mark.parametrize("name", list_scenarios(SCENARIOS))
def test_every_listed_scenario_passes_the_checks_and_validates(name):
    """The picker offers only scenarios the dashboard can open: world.yaml extends the calibrated
    profile below the folder (profiles/calibrated.yaml), and the real-world ones extend world.yaml."""
    text = read_scenario(SCENARIOS, name)
    assert check_text(text, name, SCENARIOS) == []
    assert validate_text(text, name, SCENARIOS).name == name.removesuffix(".yaml")


def test_extends_may_name_a_file_below_the_folder_and_back_but_not_out_of_it(folder):
    (folder / "profiles").mkdir()
    (folder / "profiles" / "fast.yaml").write_text("steps: 2\n", encoding="utf-8")  # a profile: settings only
    assert validate_text("extends: profiles/fast.yaml\nname: quick\n" + A_WORLD, "edited.yaml", folder).steps == 2
    (folder / "profiles" / "sly.yaml").write_text("extends: ../../secret.yaml\n", encoding="utf-8")
    problems = check_text("extends: profiles/sly.yaml\n", "edited.yaml", folder)
    assert [p.message for p in problems] == [
        "extends may name only a scenario file of the scenarios folder (base.yaml, lesson.yaml), "
        "not '../../secret.yaml' (profiles/sly.yaml extends '../../secret.yaml')"]


@pytest.mark.parametrize("name", ["lesson", "lesson.yaml", "scenarios/lesson.yaml"])
def test_a_scenario_is_named_by_file_name(folder, name):
    assert scenario_path(folder, name) == folder / "lesson.yaml"


@pytest.mark.parametrize("name", ["../secret.yaml", "../secret", "/etc/passwd", "notes.txt", "link.yaml",
                                  "sub/base.yaml"])
def test_nothing_outside_the_folder_is_opened(folder, name):
    os.symlink(folder.parent / "secret.yaml", folder / "link.yaml")
    with pytest.raises(ScenarioError, match="the dashboard opens only the scenario files of .*; choose one of: "
                                            "base.yaml, lesson.yaml$"):
        read_scenario(folder, name)


def test_extends_inside_the_folder_is_followed(folder):
    scenario = validate_text("extends: lesson.yaml\nseed: 4\n", "edited.yaml", folder)
    assert (scenario.name, scenario.steps, scenario.seed) == ("lesson", 5, 4)


@pytest.mark.parametrize("target", ["../../etc/passwd", "../secret.yaml", "/etc/passwd", "notes.txt", "missing.yaml"])
def test_extends_outside_the_folder_is_refused_at_its_line(folder, target):
    text = f"# a lesson\nname: x\nextends: {target}\n"
    with pytest.raises(ScenarioError) as caught:
        validate_text(text, "edited.yaml", folder)
    (problem,) = caught.value.problems
    assert (problem.file, problem.line, problem.col, problem.path) == ("edited.yaml", 3, 10, "extends")
    assert problem.message == ("extends may name only a scenario file of the scenarios folder "
                               f"(base.yaml, lesson.yaml), not {target!r}")
    assert problem.source == f"extends: {target}"


def test_a_folder_file_that_extends_outside_is_refused_too(folder):
    (folder / "sly.yaml").write_text("extends: ../secret.yaml\n", encoding="utf-8")
    problems = check_text("extends: sly.yaml\n", "edited.yaml", folder)
    assert [p.message for p in problems] == [
        "extends may name only a scenario file of the scenarios folder (base.yaml, lesson.yaml, sly.yaml), "
        "not '../secret.yaml' (sly.yaml extends '../secret.yaml')"]


def test_a_cycle_is_left_to_the_loader_which_shows_the_chain(folder):
    (folder / "a.yaml").write_text("extends: b.yaml\n", encoding="utf-8")
    (folder / "b.yaml").write_text("extends: a.yaml\n", encoding="utf-8")
    with pytest.raises(ScenarioError, match="cycle"):
        validate_text("extends: a.yaml\n", "edited.yaml", folder)


def test_aliases_beyond_the_limit_are_refused_where_they_start(folder):
    laughs = ["l0: &l0 [x, x]"] + [f"l{i}: &l{i} [*l{i - 1}, *l{i - 1}]" for i in range(1, 40)]  # 2^40 x's
    text = "\n".join(["name: laughs", *laughs, A_WORLD])
    (problem,) = check_text(text, "edited.yaml", folder)
    # two aliases a line from line 3 on: alias 51 is the first of line 28 ("l26: &l26 [*l25, ...")
    assert MAX_ALIASES == 50
    assert (problem.line, problem.col) == (28, 12)
    assert problem.source == "l26: &l26 [*l25, *l25]"
    assert problem.message == f"more than {MAX_ALIASES} aliases (*name); write the values out"


def test_deep_nesting_is_refused(folder):
    text = "name: deep\nx: " + "[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1) + "\n"
    (problem,) = check_text(text, "edited.yaml", folder)
    assert (problem.line, problem.message) == (2, f"nested more than {MAX_DEPTH} levels deep")


def test_a_text_too_long_is_refused_before_it_is_read(folder):
    (problem,) = check_text("#" * (MAX_TEXT + 1), "edited.yaml", folder)
    assert problem.message == f"the text is {MAX_TEXT + 1:,} characters long; a scenario may have at most {MAX_TEXT:,}"


def test_a_syntax_error_is_reported_by_the_loader_with_its_line(folder):
    with pytest.raises(ScenarioError) as caught:
        validate_text("name: x\nsteps: [1, 2\n", "edited.yaml", folder)
    assert caught.value.problems[0].file.endswith("edited.yaml")
    assert caught.value.problems[0].line in (2, 3)
