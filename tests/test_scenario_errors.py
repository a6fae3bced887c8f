"""Scenario files are the students' interface: every mistake is reported at once, each with its
file, line and column (1-based), the path of the field and a message in plain words."""

import re
import subprocess
import sys
from pathlib import Path

import pytest
from scenario_texts import TINY, write

from exitsim.cli import main
from exitsim.loading import Problem
from exitsim.scenario import ScenarioError, load_scenario, parse_scenario

ROOT = Path(__file__).resolve().parent.parent



def problems(path: Path, overrides=None) -> list[tuple]:
    """(file, line, col, path, message) of every problem of a scenario file."""
    with pytest.raises(ScenarioError) as caught:
        load_scenario(path, overrides=overrides)
    return [(p.file, p.line, p.col, p.path, p.message) for p in caught.value.problems]


def edited(tmp_path: Path, old: str, new: str, count: int = 1) -> tuple[Path, str]:
    assert TINY.count(old) >= count, old
    path = write(tmp_path, TINY.replace(old, new, count))
    return path, str(path)


def test_the_tiny_scenario_is_valid(tmp_path):
    scenario = load_scenario(write(tmp_path, TINY))
    assert [s.code for s in scenario.states] == ["USA", "GBR", "CHN"]


# --- YAML itself ---------------------------------------------------------------------------------

def test_a_yaml_syntax_error_points_at_the_problem(tmp_path):
    path, f = edited(tmp_path, "name: tiny", "name: tiny: again")
    assert problems(path) == [(f, 1, 11, "", "not valid YAML: a ':' cannot appear here: put quotes around a "
                                             "value that contains ': ', or check the indentation")]


def test_an_unclosed_list_names_where_it_starts(tmp_path):
    path, f = edited(tmp_path, "members: [USA, GBR, CHN]", "members: [USA, GBR, CHN")
    assert problems(path) == [(f, 18, 11, "", "not valid YAML: a list in [ ] is not closed with ']' (or lacks "
                                             "a ',' between items) (the list starts at line 17, column 14)")]


def test_tab_indentation_says_to_use_spaces(tmp_path):
    path, f = edited(tmp_path, "    power: 3\n", "\tpower: 3\n")
    assert problems(path) == [(f, 9, 1, "", "tabs cannot indent YAML: use spaces")]


def test_every_duplicate_key_is_reported_with_the_first_one(tmp_path):
    path, f = edited(tmp_path, "    nativism: 0.4\n", "    nativism: 0.4\n    power: 4\n")
    path.write_text(path.read_text().replace("steps: 10\n", "steps: 10\nsteps: 20\n"))
    assert problems(path) == [
        (f, 3, 1, "steps", "duplicate key 'steps' (first at line 2)"),
        (f, 12, 5, "states.1.power", "duplicate key 'power' (first at line 10)"),
    ]


def test_an_empty_file_is_a_one_line_error(tmp_path):
    path = write(tmp_path, "# nothing but a comment\n")
    assert problems(path) == [(str(path), None, None, "", "the file is empty; a scenario needs at least "
                                                          "'states' or 'generate'")]
    with pytest.raises(ScenarioError) as caught:
        load_scenario(path)
    assert caught.value.messages == [f"{path}: the file is empty; a scenario needs at least 'states' or 'generate'"]


def test_a_list_instead_of_a_mapping_is_a_one_line_error(tmp_path):
    path = write(tmp_path, "# states\n- code: USA\n  power: 1\n")
    assert problems(path) == [(str(path), 2, 1, "", "a scenario must be a mapping of keys to values (lines like "
                                                    "'name: my scenario'), not a list")]
    with pytest.raises(ScenarioError) as caught:
        load_scenario(path)
    assert len(caught.value.messages) == 1 and "\n" not in caught.value.messages[0]


def test_a_file_that_is_not_utf8_is_a_one_line_error(tmp_path):
    path = tmp_path / "latin1.yaml"
    path.write_bytes("name: tiny\ndescription: caf\u00e9\n".encode("latin-1"))
    assert problems(path) == [(str(path), 2, 17, "", "not a UTF-8 text file (byte 0xe9); save it with UTF-8 encoding")]


def test_a_missing_file_and_a_folder_are_one_line_errors(tmp_path):
    assert problems(tmp_path / "nope.yaml") == [(str(tmp_path / "nope.yaml"), None, None, "", "no such file")]
    assert problems(tmp_path) == [(str(tmp_path), None, None, "", "is a folder, not a scenario file")]


# --- the schema ---------------------------------------------------------------------------------

def test_an_unknown_key_suggests_the_field_meant(tmp_path):
    path, f = edited(tmp_path, "    nativism: 0.4", "    nativsm: 0.4")
    assert problems(path) == [(f, 10, 5, "states.1.nativsm", "unknown key 'nativsm'; did you mean 'nativism'?")]


def test_a_parameter_in_the_wrong_group_says_where_it_belongs(tmp_path):
    path, f = edited(tmp_path, "steps: 10\n", "steps: 10\nparameters:\n  institutions:\n    beta_contagion: 0\n")
    assert problems(path) == [(f, 5, 5, "parameters.institutions.beta_contagion",
                               "unknown key 'beta_contagion' here: beta_contagion is a model parameter; "
                               "write it under parameters.decisions")]


def test_a_wrong_type_says_what_was_expected(tmp_path):
    path, f = edited(tmp_path, "steps: 10", "steps: ten")
    assert problems(path) == [(f, 2, 8, "steps", "expected a whole number, got 'ten'")]


@pytest.mark.parametrize(("old", "new", "line", "col", "where", "message"), [
    ("    nativism: 0.4", "    nativism: 1.5", 10, 15, "states.1.nativism",
     "1.5 is out of range: it must be between 0 and 1"),
    ("    power: 3\n", "    power: -3\n", 9, 12, "states.1.power", "-3 is out of range: it must be greater than 0 and at most 1000000000"),
    ("    month: 3", "    month: -1", 26, 12, "timeline.0.month", "-1 is out of range: it must be between 0 and 12"),
])
def test_a_value_out_of_range_gives_the_range(tmp_path, old, new, line, col, where, message):
    path, f = edited(tmp_path, old, new)
    assert problems(path) == [(f, line, col, where, message)]


def test_an_unknown_enumeration_value_lists_the_allowed_ones(tmp_path):
    path, f = edited(tmp_path, "kind: explicit", "kind: explicitt")
    assert problems(path) == [(f, 19, 13, "organizations.0.clause.kind",
                               "'explicitt' is not one of the allowed values: explicit, implied, consent, none, "
                               "non_treaty; did you mean 'explicit'?")]


def test_a_missing_required_key_points_at_its_mapping(tmp_path):
    path, f = edited(tmp_path, "  - code: GBR\n    power: 3\n", "  - code: GBR\n")
    assert problems(path) == [(f, 8, 5, "states.1.power", "missing required key 'power'")]


def test_a_rule_broken_inside_a_mapping_points_at_the_key_it_names(tmp_path):
    path, f = edited(tmp_path, "effective: months_after:12", "effective: months_afer:12")
    (problem,) = problems(path)
    assert problem[:4] == (f, 20, 18, "organizations.0.clause.effective")
    assert problem[4].startswith("unknown effective rule 'months_afer'; expected one of: immediate, months_after")


def test_every_problem_is_reported_at_once_in_reading_order(tmp_path):
    text = TINY.replace("steps: 10", "steps: ten").replace("    nativism: 0.4", "    nativsm: 0.4").replace(
        "kind: explicit", "kind: explicitt")
    found = problems(write(tmp_path, text))
    assert [(line, where) for _, line, _, where, _ in found] == [
        (2, "steps"), (10, "states.1.nativsm"), (19, "organizations.0.clause.kind")]


def test_a_problem_is_printed_with_its_source_line_and_a_caret(tmp_path):
    path, f = edited(tmp_path, "    nativism: 0.4", "    nativsm: 0.4")
    with pytest.raises(ScenarioError) as caught:
        load_scenario(path)
    assert caught.value.messages == [
        f"{f}:10:5: states.1.nativsm: unknown key 'nativsm'; did you mean 'nativism'?\n"
        " 10 |     nativsm: 0.4\n"
        "    |     ^"]
    assert isinstance(caught.value.problems[0], Problem)


# --- checks across fields -------------------------------------------------------------------------

def test_a_member_that_names_no_state(tmp_path):
    path, f = edited(tmp_path, "members: [USA, GBR, CHN]", "members: [USA, GRB, CHN]")
    assert problems(path) == [(f, 17, 20, "organizations.0.members.1",
                               "'GRB' is not a state of the scenario (did you mean 'GBR'?)")]


def test_a_member_listed_twice(tmp_path):
    path, f = edited(tmp_path, "members: [USA, GBR, CHN]", "members: [USA, GBR, USA, CHN]")
    assert problems(path) == [(f, 17, 25, "organizations.0.members.2", "'USA' is listed twice among the members of WHO")]


def test_duplicate_codes(tmp_path):
    path, f = edited(tmp_path, "  - code: CHN", "  - code: USA")
    path.write_text(path.read_text().replace("members: [USA, GBR, CHN]", "members: [USA, GBR]"))
    found = problems(path)
    assert (f, 12, 11, "states.2.code", "state code 'USA' is used twice") in found


def test_an_alliance_must_be_mutual(tmp_path):
    path, f = edited(tmp_path, "    alliances: [USA]\n", "")
    assert problems(path) == [(f, 7, 17, "states.0.alliances.0",
                               "alliances are mutual: GBR must also list USA among its alliances")]


def test_two_hegemons(tmp_path):
    path, f = edited(tmp_path, "    role: rising", "    role: hegemon")
    assert problems(path) == [(f, 14, 11, "states.2.role", "at most one state can be the hegemon; USA already is")]


def test_a_timeline_event_outside_the_run(tmp_path):
    path, f = edited(tmp_path, "  - year: 2030", "  - year: 2040")
    assert problems(path) == [(f, 22, 11, "timeline.0.year", "2040 is outside the run: events fall in 2026–2035 "
                                                            "(the years after start_year 2025)")]


def test_explicit_entries_may_name_generated_states(tmp_path):
    text = "generate:\n  states: 5\n  organizations: 2\n  hegemon: false\n" + TINY.split("organizations:")[0]
    assert len(load_scenario(write(tmp_path, text)).states) == 3


# --- extends ---------------------------------------------------------------------------------------

def test_an_extends_cycle_shows_the_chain(tmp_path):
    write(tmp_path, "extends: b.yaml\nname: a\n", "a.yaml")
    b = write(tmp_path, "steps: 5\nextends: a.yaml\n", "b.yaml")
    assert problems(tmp_path / "a.yaml") == [
        (str(b), 2, 10, "extends", "the files extend each other in a cycle: a.yaml → b.yaml → a.yaml")]


def test_extending_a_missing_file_shows_the_chain(tmp_path):
    write(tmp_path, "extends: b.yaml\nname: a\n", "a.yaml")
    b = write(tmp_path, "extends: base/missing.yaml\n", "b.yaml")
    assert problems(tmp_path / "a.yaml") == [
        (str(b), 1, 10, "extends", "cannot read 'base/missing.yaml': no such file "
                                   "(a.yaml → b.yaml → base/missing.yaml)")]


def test_an_error_in_the_merged_result_points_at_the_file_it_came_from(tmp_path):
    base = write(tmp_path, TINY.replace("    nativism: 0.4", "    nativism: 4"), "base.yaml")
    child = write(tmp_path, "extends: base.yaml\nname: child\nsteps: many\n", "child.yaml")
    assert problems(child) == [
        (str(child), 3, 8, "steps", "expected a whole number, got 'many'"),
        (str(base), 10, 15, "states.1.nativism", "4 is out of range: it must be between 0 and 1"),
    ]


# --- overrides -------------------------------------------------------------------------------------

def test_set_of_an_unknown_key_points_at_the_override(tmp_path):
    path = write(tmp_path, TINY)
    assert problems(path, ["states.USA.nativsm=0.8"]) == [
        ("--set states.USA.nativsm=0.8", None, None, "", "unknown key 'nativsm'; did you mean 'nativism'?")]
    with pytest.raises(ScenarioError) as caught:
        load_scenario(path, overrides=["states.USA.nativsm=0.8"])
    assert caught.value.messages == ["--set states.USA.nativsm=0.8: unknown key 'nativsm'; did you mean 'nativism'?"]


def test_set_of_an_unknown_code_or_path(tmp_path):
    path = write(tmp_path, TINY)
    assert problems(path, ["states.GRB.power=2", "steps.years=3", "parameters.decisons.beta_contagion=0"]) == [
        ("--set states.GRB.power=2", None, None, "", "states has no entry with code 'GRB'; did you mean 'GBR'?"),
        ("--set steps.years=3", None, None, "", "steps is 10, so it has no 'years' to set"),
        ("--set parameters.decisons.beta_contagion=0", None, None, "parameters.decisons",
         "unknown key 'decisons'; did you mean 'decisions'?"),
    ]


def test_set_with_a_bad_value(tmp_path):
    path = write(tmp_path, TINY)
    assert problems(path, ["steps=0", "states.GBR.nativism=lots", "organizations.WHO.clause.kind=nonee"]) == [
        ("--set steps=0", None, None, "", "0 is out of range: it must be between 1 and 1000"),
        ("--set states.GBR.nativism=lots", None, None, "", "expected a number, got 'lots'"),
        ("--set organizations.WHO.clause.kind=nonee", None, None, "",
         "'nonee' is not one of the allowed values: explicit, implied, consent, none, non_treaty; "
         "did you mean 'none'?"),
    ]


def test_set_with_unreadable_yaml_or_no_value(tmp_path):
    path = write(tmp_path, TINY)
    assert problems(path, ["states.USA.alliances=[GBR", "steps"]) == [
        ("--set states.USA.alliances=[GBR", None, None, "",
         "cannot read the value '[GBR': a list in [ ] is not closed with ']' (or lacks a ',' between items)"),
        ("--set steps", None, None, "", "write --set PATH=VALUE with a dotted path, e.g. --set steps=30 or "
                                        "--set states.USA.nativism=0.8"),
    ]


def test_parse_scenario_names_the_source(tmp_path):
    with pytest.raises(ScenarioError) as caught:
        parse_scenario(TINY.replace("steps: 10", "steps: -1"), "lesson.yaml")
    assert [(p.file, p.line, p.col, p.path) for p in caught.value.problems] == [("lesson.yaml", 2, 8, "steps")]
    assert parse_scenario(TINY, "lesson.yaml").name == "tiny"


# --- the command line -----------------------------------------------------------------------------

def test_validate_reports_every_file_and_exits_2_without_a_traceback(tmp_path):
    good = write(tmp_path, TINY, "good.yaml")
    bad = write(tmp_path, TINY.replace("steps: 10", "steps: ten").replace("role: rising", "role: risen"), "bad.yaml")
    result = subprocess.run([sys.executable, str(ROOT / "run.py"), "validate", str(good), str(bad)],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert result.stdout == f"{good}: OK (scenario 'tiny': 10 years from 2025)\n"
    assert f"{bad}:2:8: steps: expected a whole number, got 'ten'" in result.stderr
    assert f"{bad}:14:11: states.2.role: 'risen' is not one of the allowed values" in result.stderr
    assert f"{bad}: 2 problems to fix" in result.stderr


def test_validate_applies_overrides(tmp_path, capsys):
    path = write(tmp_path, TINY)
    assert main(["validate", str(path), "--set", "states.USA.nativsm=0.8"]) == 2
    assert "--set states.USA.nativsm=0.8: unknown key 'nativsm'; did you mean 'nativism'?" in capsys.readouterr().err
    assert main(["validate", str(path), "--set", "states.USA.nativism=0.8"]) == 0


def test_run_writes_nothing_for_an_invalid_file(tmp_path, capsys):
    path, _ = edited(tmp_path, "members: [USA, GBR, CHN]", "members: [USA, GRB, CHN]")
    out = tmp_path / "out"
    assert main(["run", str(path), "--out", str(out), "--quiet"]) == 2
    err = capsys.readouterr().err
    assert "'GRB' is not a state of the scenario" in err and "Traceback" not in err
    assert "nothing was run or written" in err
    assert not out.exists()


def test_run_writes_nothing_for_a_bad_override(tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["run", str(write(tmp_path, TINY)), "--out", str(out), "--quiet", "--set", "stepz=3"]) == 2
    assert "--set stepz=3: unknown key 'stepz'; did you mean 'steps'?" in capsys.readouterr().err
    assert not out.exists()


@pytest.mark.parametrize("path", sorted((ROOT / "scenarios").glob("*.yaml")), ids=lambda p: p.name)
def test_every_shipped_scenario_validates(path, capsys):
    assert main(["validate", str(path)]) == 0
    assert capsys.readouterr().out.startswith(f"{path}: OK")


def test_a_file_of_parameters_alone_is_refused_as_a_profile_at_its_first_key(capsys):
    """The calibrated profile is not a scenario: running it says so, and what to run instead."""
    profile = ROOT / "scenarios" / "profiles" / "calibrated.yaml"
    assert main(["run", str(profile)]) == 2
    lines = profile.read_text(encoding="utf-8").splitlines()
    first = next(i for i, line in enumerate(lines, 1) if line.startswith("parameters:"))
    err = capsys.readouterr().err
    assert err.startswith(f"{profile}:{first}:1: this file sets only parameters: a scenario also needs its states "
                          "and organizations (write them, generate a world with 'generate:', or 'extends:' a scenario "
                          "such as default.yaml). A file of parameters alone is a profile for scenarios to extend, as "
                          "world.yaml extends profiles/calibrated.yaml: run such a scenario instead\n")
    assert "Traceback" not in err
    # a file that extends a scenario and sets parameters is a scenario, not a profile
    assert parse_scenario("extends: default.yaml\nparameters:\n  decisions:\n    baseline_notice: -9\n",
                          str(ROOT / "scenarios" / "x.yaml")).params().baseline_notice == -9


def test_a_joining_date_takes_a_month(tmp_path):
    path, _ = edited(tmp_path, "members: [USA, GBR, CHN]", "founded: 2016-11\n    members: [USA, {state: GBR, joined: 2019-10}, CHN]")
    from exitsim.scenario import build_world

    world = build_world(load_scenario(path))
    ms = world.memberships
    months = {world.state_code[i]: (int(y), int(m)) for i, y, m in zip(ms.state, ms.joined, ms.joined_month, strict=True)}
    assert months == {"USA": (2016, 11), "GBR": (2019, 10), "CHN": (2016, 11)}
    assert (world.founded[0], world.founded_month[0]) == (2016, 11)


@pytest.mark.parametrize("date", ["2019-13", "2019-10-04", "autumn"])
def test_a_joining_date_that_is_no_year_or_month_is_located(tmp_path, date):
    path, f = edited(tmp_path, "members: [USA, GBR, CHN]", f"members: [USA, {{state: GBR, joined: {date}}}, CHN]")
    [(file, line, _, where, message)] = problems(path)
    assert (file, line, where) == (f, 17, "organizations.0.members.1.joined")
    assert "2016-11" in message and date in message



def test_validate_checks_an_experiment_file_as_an_experiment(tmp_path, capsys):
    quick = ROOT / "experiments" / "quick.yaml"
    assert main(["validate", str(quick)]) == 0
    assert capsys.readouterr().out == f"{quick}: OK (experiment 'quick': 4 points × 3 replications = 12 runs of 20 years)\n"
    assert main(["validate", str(quick), "--set", "seeds.replications=5"]) == 0
    assert "4 points × 5 replications = 20 runs" in capsys.readouterr().out
    bad = write(tmp_path, quick.read_text(encoding="utf-8").replace("scenario: ../scenarios/default.yaml",
                                                                      f"scenario: {ROOT / 'scenarios' / 'default.yaml'}")
                + "design:\n  kind: sobel\n", "exp.yaml")
    assert main(["validate", str(bad)]) == 2
    err = capsys.readouterr().err
    assert "design.kind: 'sobel' is not one of the allowed values" in err and f"{bad}: 1 problem to fix" in err


def test_the_keys_that_make_a_file_an_experiment_are_the_experiments_own():
    from exitsim.cli import EXPERIMENT_KEYS
    from exitsim.scenario import Scenario
    from exitsim.sweep.experiment import ExperimentSpec

    assert EXPERIMENT_KEYS == set(ExperimentSpec.model_fields) - set(Scenario.model_fields)


def test_a_founding_or_joining_after_the_runs_first_year_is_located(tmp_path):
    """TINY starts in 2025: 2026 (the run's first year) is accepted, 2027 is not."""
    path, f = edited(tmp_path, "    members: [USA, GBR, CHN]\n",
                     "    founded: 2027\n    members: [{state: USA, joined: 2026-03}, {state: GBR, joined: 2031}, CHN]\n")
    assert problems(path) == [
        (f, 17, 14, "organizations.0.founded", "WHO is founded in 2027, after the run's first year 2026: a scenario "
                                               "lists the organizations that exist at its start"),
        (f, 18, 67, "organizations.0.members.1.joined", "GBR joined WHO in 2031, after the run's first year 2026: list "
                                                        "the members at the start (a later accession is not a member "
                                                        "yet)")]
    assert load_scenario(write(tmp_path, TINY.replace("    members: [USA, GBR, CHN]\n",
                                                      "    founded: 2026-01\n    members: [USA, GBR, CHN]\n")))
    from scenario_texts import SMALL

    assert problems(write(tmp_path, SMALL, "small.yaml"), ["generate.founded_from=2030"]) == [
        ("--set generate.founded_from=2030", None, None, "", "generated organizations would be founded from 2030, after the "
                                                    "start year 2025: make it 2025 or earlier")]


def test_two_choices_for_one_membership_and_year_and_two_government_changes_a_year_are_located(tmp_path):
    """A second notice or threat to the same organization in the same year was dropped silently
    (the last one listed won); so was a second government change of the year."""
    extra = ("  - {year: 2030, kind: threat, state: USA, organization: WHO, month: 5}\n"
             "  - {year: 2031, kind: threat, state: USA, organization: WHO}\n"
             "  - {year: 2030, kind: government, state: GBR, value: nativist}\n"
             "  - {year: 2030, kind: government, state: GBR, value: internationalist}\n")
    path = write(tmp_path, TINY + extra)
    assert problems(path) == [
        (str(path), 27, 24, "timeline.1.kind", "USA already has a notice to WHO in 2030 (timeline.0): one notice or "
                                               "threat per state, organization and year, so keep one"),
        (str(path), 30, 24, "timeline.4.kind", "GBR already has a change of government in 2030 (timeline.3): one a "
                                               "year, so keep one")]


def test_a_second_reservation_of_one_member_is_located(tmp_path):
    text = TINY.replace("      effective: months_after:12\n", "      effective: months_after:12\n    reservations:\n"
                        "      - {state: USA, clause: {kind: explicit, effective: months_after:6}}\n"
                        "      - {state: USA, clause: {kind: explicit, effective: immediate}}\n")
    path = write(tmp_path, text)
    assert problems(path) == [
        (str(path), 23, 17, "organizations.0.reservations.1.state", "USA already holds a reservation to WHO (listed "
                                                                     "above): one per member, so merge the two")]


def test_a_strategy_in_a_world_without_a_rising_power_is_refused(tmp_path):
    path = write(tmp_path, TINY.replace("    role: rising\n", ""))
    assert load_scenario(path)  # no strategy: a world without a rising power is fine
    assert problems(path, ["parameters.strategies.hegemon_strategy=exit_diplomacy",
                           "parameters.strategies.rising_strategy=gap_filling"]) == [
        ("--set parameters.strategies.hegemon_strategy=exit_diplomacy", None, None, "",
         "exit_diplomacy is a great power's strategy, but this world has no rising power: give states role: hegemon "
         "and role: rising, or leave hegemon_strategy at status_quo"),
        ("--set parameters.strategies.rising_strategy=gap_filling", None, None, "",
         "gap_filling is a great power's strategy, but this world has no rising power: give states role: hegemon "
         "and role: rising, or leave rising_strategy at passive")]


@pytest.mark.parametrize("minus", ["\u2212", "\u2013"])
def test_a_number_with_a_typeset_minus_sign_is_told_how_to_write_it(tmp_path, minus):
    path, f = edited(tmp_path, "    power: 3\n", f"    power: 3\n    ideal_point: {minus}0.5\n")
    assert problems(path) == [
        (f, 10, 18, "states.1.ideal_point", f"expected a number or a list, got '{minus}0.5' (write the minus sign "
                                            f"with the keyboard's hyphen-minus: -0.5, not {minus}0.5)")]
    path, f = edited(tmp_path, "    nativism: 0.4\n", "    nativism: '0.4'\n")  # text that is no signed number: no hint
    assert problems(path)[0][4] == "expected a number, got '0.4'"


def test_an_odd_ideal_point_is_the_one_located_even_when_it_is_the_first(tmp_path):
    path, f = edited(tmp_path, "    role: hegemon\n", "    role: hegemon\n    ideal_point: [1.0, 0.5]\n")
    assert problems(path) == [
        (f, 7, 18, "states.0.ideal_point", "all ideal points must have the same number of dimensions: this one has 2, "
                                           "2 of the 3 states have 1")]


def test_an_explicit_state_that_clashes_with_the_generated_ones_is_told_why(tmp_path):
    from scenario_texts import SMALL

    path = write(tmp_path, SMALL + "states:\n  - {code: S01, power: 1}\n  - {code: BIG, power: 50, role: hegemon}\n")
    code, role = (p[3:] for p in problems(path))
    assert code == ("states.0.code", "state code 'S01' is a generated state's (the generated states are S01…S12): "
                                     "give this one another code")
    assert role[0] == "states.1.role" and re.fullmatch(
        r"at most one state can be the hegemon; S\d\d already is \(a generated state: set generate.hegemon: false to "
        r"name the hegemon and the rising power yourself\)", role[1])


def test_a_list_an_extending_file_replaces_is_named_when_the_base_file_has_problems(tmp_path):
    write(tmp_path, TINY, "base.yaml")
    child = write(tmp_path, "extends: base.yaml\nstates:\n  - {code: USA, power: 10, role: hegemon}\n"
                            "  - {code: CHN, power: 6, role: rising}\n", "child.yaml")
    found = problems(child)
    base = str(tmp_path / "base.yaml")
    assert found[0] == (str(child), 2, 1, "states", (
        f"this list replaces the whole states list of {base} (extends merges mappings but replaces lists), so what "
        f"it leaves out is gone: the problems found in {base} may come from that; list every entry you need here"))
    assert (base, 17, 20, "organizations.0.members.1", "'GBR' is not a state of the scenario") in found
    fine = write(tmp_path, "extends: base.yaml\nsteps: 5\n", "fine.yaml")
    assert load_scenario(fine).steps == 5


def test_a_timeline_code_in_the_wrong_case_or_misspelt_gets_a_suggestion(tmp_path):
    path, f = edited(tmp_path, "    state: USA\n    organization: WHO\n", "    state: usa\n    organization: WH0\n")
    assert [p[3:] for p in problems(path)] == [
        ("timeline.0.state", "'usa' is not a state of the scenario (did you mean 'USA'?)"),
        ("timeline.0.organization", "'WH0' is not an organization of the scenario (did you mean 'WHO'?)")]


def test_an_unclosed_quote_is_pointed_at_where_it_opens_not_where_yaml_stumbles(tmp_path):
    path, f = edited(tmp_path, "name: tiny\n", 'name: "tiny\n')
    path.write_text(path.read_text().replace("steps: 10\n", 'steps: 10\ndescription: "a test"\n'))
    assert problems(path) == [
        (f, 1, 7, "", "not valid YAML: the quoted text that starts here is not closed on its line, so YAML reads on "
                      "to the next quote, at line 3: close it")]
    # a quoted text that rightly goes on over lines, and a later error of another kind: that error
    multi = write(tmp_path, 'name: x\ndescription: "a long\n  text"\nsteps: 10\nstates: [USA, CHN\n', "m.yaml")
    assert problems(multi)[0][1:3] == (6, 1) and "is not closed with ']'" in problems(multi)[0][4]


def test_a_timeline_field_its_kind_does_not_use_is_located_not_ignored(tmp_path):
    path, f = edited(tmp_path, "    month: 3\n", "    month: 3\n    value: 0.5\n"
                     "  - {year: 2031, kind: government, state: GBR, organization: WHO, value: nativist}\n")
    assert [p[3:] for p in problems(path)] == [
        ("timeline.0.value", "value is not used by a notice: remove it"),
        ("timeline.1.organization", "organization is not used by a government (it concerns the whole country): "
                                    "remove it")]


def test_listed_ideal_points_are_held_to_the_generated_states_dimensions(tmp_path):
    """More listed 2-D states than generated 1-D ones: the listed ones are the odd ones (the run
    could not build the world), whatever the majority."""
    listed = "".join(f"  - {{code: X{i}, power: 1, ideal_point: [0.{i}, 0.5]}}\n" for i in range(4))
    path = write(tmp_path, "steps: 3\ngenerate: {states: 3, organizations: 2, memberships_per_state: 1, "
                           "min_memberships: 1, hegemon: false}\nstates:\n" + listed, "mixed.yaml")
    assert [p[3:] for p in problems(path)] == [
        (f"states.{i}.ideal_point", "all ideal points must have the same number of dimensions: this one has 2, "
                                    "the generated states have 1 (generate.dimensions)") for i in range(4)]


def test_a_scenario_with_an_experiments_key_mistyped_is_still_read_as_a_scenario(tmp_path, capsys):
    path = write(tmp_path, TINY.replace("steps: 10\n", "steps: 10\nseeds: 42\n"), "typo.yaml")
    assert main(["validate", str(path)]) == 2
    err = capsys.readouterr().err
    assert f"{path}:3:1: seeds: unknown key 'seeds'; did you mean 'seed'?" in err and f"{path}: 1 problem to fix" in err


def test_running_an_experiment_file_says_to_sweep_it(capsys):
    quick = ROOT / "experiments" / "quick.yaml"
    assert main(["run", str(quick)]) == 2
    assert capsys.readouterr().err == (f"{quick} is an experiment file, not a scenario: run it with `python run.py "
                                       f"sweep {quick}` (docs/sweeps.md).\n")
