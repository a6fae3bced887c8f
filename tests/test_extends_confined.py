"""`extends:` reads only scenario files in the folder of the file that names it (or below it)
and the shipped scenarios, so an error can never show the content of another file."""

import os

import pytest
from scenario_texts import TINY, write

from exitsim.cli import main
from exitsim.loading import MAX_EXTENDS
from exitsim.scenario import ScenarioError, load_scenario, parse_scenario, shipped_scenario_folders

SECRET = "password: hunter2\n"
OUTSIDE = ("extends can only name a scenario file in this file's folder (or a folder below it) or a shipped "
           "scenario such as 'default.yaml'; {!r} is outside them")


def problems(path, text=None) -> list[tuple]:
    with pytest.raises(ScenarioError) as caught:
        if text is None:
            load_scenario(path)
        else:
            parse_scenario(text, str(path))
    assert "hunter2" not in str(caught.value)
    return [(p.file, p.line, p.col, p.path, p.message) for p in caught.value.problems]


@pytest.fixture
def folders(tmp_path):
    """(a scenario folder, a file with a secret beside it but outside the folder)."""
    (tmp_path / "lesson").mkdir()
    secret = tmp_path / "secret.yaml"
    secret.write_text(SECRET, encoding="utf-8")
    return tmp_path / "lesson", secret


def test_a_path_out_of_the_folder_is_refused_without_reading_it(folders):
    lesson, _ = folders
    path = write(lesson, "name: x\nextends: ../secret.yaml\n")
    assert problems(path) == [(str(path), 2, 10, "extends", OUTSIDE.format("../secret.yaml"))]


def test_an_absolute_path_is_refused(folders):
    lesson, secret = folders
    path = write(lesson, f"extends: {secret}\n")
    assert problems(path) == [(str(path), 1, 10, "extends", OUTSIDE.format(str(secret)))]


def test_a_file_that_is_not_a_scenario_is_refused_by_its_name(folders):
    lesson, _ = folders
    path = write(lesson, "extends: ../../../../etc/passwd\n")
    assert problems(path) == [(str(path), 1, 10, "extends",
                               "extends must name a scenario file (.yaml or .yml), not '../../../../etc/passwd'")]
    (lesson / "notes.txt").write_text(SECRET, encoding="utf-8")
    path = write(lesson, "extends: notes.txt\n")
    assert problems(path)[0][-1] == "extends must name a scenario file (.yaml or .yml), not 'notes.txt'"


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="symbolic links")
def test_a_link_in_the_folder_to_a_file_outside_it_is_refused(folders):
    lesson, secret = folders
    (lesson / "innocent.yaml").symlink_to(secret)
    path = write(lesson, "extends: innocent.yaml\n")
    assert problems(path) == [(str(path), 1, 10, "extends", OUTSIDE.format("innocent.yaml"))]


def test_text_from_anywhere_is_held_to_its_claimed_folder(folders):
    lesson, _ = folders
    pasted = lesson / "pasted.yaml"  # never written: text said to come from there, as a page would send it
    assert problems(pasted, "extends: ../secret.yaml\n") == [
        (str(pasted), 1, 10, "extends", OUTSIDE.format("../secret.yaml"))]


def test_a_file_below_the_folder_and_a_shipped_scenario_can_be_extended(folders):
    lesson, _ = folders
    (lesson / "base").mkdir()
    write(lesson / "base", TINY, "tiny.yaml")
    assert load_scenario(write(lesson, "extends: base/tiny.yaml\nsteps: 6\n")).steps == 6
    shipped = load_scenario(write(lesson, "extends: default.yaml\nname: mine\n", "mine.yaml"))
    default = load_scenario()
    assert shipped.name == "mine" and shipped.generate == default.generate and shipped.steps == default.steps


def test_a_file_of_the_folder_comes_before_a_shipped_one_of_the_same_name(folders):
    lesson, _ = folders
    write(lesson, TINY, "default.yaml")
    assert load_scenario(write(lesson, "extends: default.yaml\n", "mine.yaml")).name == "tiny"


def test_the_shipped_folders_hold_the_default_scenario():
    assert any((folder / "default.yaml").is_file() for folder in shipped_scenario_folders())


def test_a_chain_longer_than_the_limit_is_refused(tmp_path):
    write(tmp_path, TINY, "f0.yaml")
    for i in range(1, MAX_EXTENDS + 1):
        write(tmp_path, f"extends: f{i - 1}.yaml\nsteps: {i}\n", f"f{i}.yaml")
    assert load_scenario(tmp_path / f"f{MAX_EXTENDS - 1}.yaml").steps == MAX_EXTENDS - 1  # 8 files
    chain = " → ".join(f"f{i}.yaml" for i in range(MAX_EXTENDS, -1, -1))
    assert problems(tmp_path / f"f{MAX_EXTENDS}.yaml") == [
        (str(tmp_path / "f1.yaml"), 1, 10, "extends",
         f"a chain of extends can be at most {MAX_EXTENDS} files long: {chain}")]


def test_validate_of_a_file_that_is_not_a_scenario_shows_only_a_short_part_of_it(tmp_path, capsys):
    path = tmp_path / "passwd.yaml"
    content = ("root:x:0:0:root:/root:/bin/bash\ndaemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\n"
               "bin:x:2:2:bin:/bin:/usr/sbin/nologin\nsys:x:3:3:sys:/dev:/usr/sbin/nologin\n")
    path.write_text(content, encoding="utf-8")
    assert main(["validate", str(path)]) == 2
    err = capsys.readouterr().err
    value = " ".join(content.split())  # YAML folds the lines of a plain value
    assert err == (f"{path}:1:1: a scenario must be a mapping of keys to values (lines like 'name: my scenario'), "
                   f"not a single value ({value[:40]!r}… ({len(value)} characters))\n{path}: 1 problem to fix\n")
    assert "nologin" not in err
