"""Reading YAML is bounded, whatever the text and wherever it comes from: too deep, too many
values repeated by aliases, too large, or tagged with anything but a plain scalar tag is a
located problem found before anything is expanded — never a RecursionError, a hang or a
gigabyte, and never a tag silently ignored."""

import os
import sys

import pytest
from scenario_texts import TINY, write

from exitsim import loading
from exitsim.cli import main
from exitsim.loading import MAX_ALIAS_NODES, MAX_DEPTH, MAX_FILE_BYTES, MAX_VALUES, PLAIN_TAGS
from exitsim.scenario import ScenarioError, load_scenario, parse_scenario

BOMB = "".join(f"{a}: &{a} [{', '.join([f'*{b}'] * 9) if b else ', '.join(['lol'] * 9)}]\n"
               for a, b in zip("abcdefghi", [None, *"abcdefgh"], strict=True))  # 9^9 values in 430 bytes


def problems(text: str, overrides=None) -> list[tuple]:
    with pytest.raises(ScenarioError) as caught:
        parse_scenario(text, "s.yaml", overrides)
    return [(p.line, p.col, p.path, p.message) for p in caught.value.problems]


def test_the_limits_are_what_the_docs_say():
    assert (MAX_FILE_BYTES, MAX_VALUES, MAX_DEPTH, MAX_ALIAS_NODES) == (512 * 1024, 50_000, 20, 10_000)
    assert sorted(PLAIN_TAGS.values()) == ["!!bool", "!!float", "!!int", "!!null", "!!str"]


# --- nesting ---------------------------------------------------------------------------------------

def test_nested_brackets_are_refused_at_the_first_level_too_deep():
    text = "name: " + "[" * 300 + "]" * 300 + "\n"  # 600 bytes of brackets
    assert len(text) < 620
    message = f"the data nest more than {MAX_DEPTH} levels deep here: check the brackets and the indentation"
    assert problems(text) == [(1, 7 + MAX_DEPTH - 1, "", message)]  # the top mapping is level 1


def test_nesting_deep_in_a_block_is_refused_at_its_line():
    text = "".join("  " * i + f"k{i}:\n" for i in range(30))
    message = f"the data nest more than {MAX_DEPTH} levels deep here: check the brackets and the indentation"
    assert problems(text) == [(MAX_DEPTH + 1, 2 * MAX_DEPTH + 1, "", message)]


def test_nesting_up_to_the_limit_is_read():
    inner = "[" * (MAX_DEPTH - 1) + "]" * (MAX_DEPTH - 1)  # levels 2 … MAX_DEPTH under the top mapping
    found = problems(TINY.replace("name: tiny", f"name: {inner}"))
    assert [(line, where) for line, _, where, _ in found] == [(1, "name")]  # only: not text


def test_a_deeply_nested_value_from_python_is_a_problem_not_a_recursion_error():
    value: list = []
    for _ in range(5000):
        value = [value]
    found = problems(TINY, {"description": value})
    assert found == [(None, None, "description.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0",
                      f"the data nest more than {MAX_DEPTH} levels deep")]


def test_a_file_too_deep_does_not_stop_validate_from_checking_the_others(tmp_path, capsys):
    deep = write(tmp_path, "name: " + "[" * 600 + "]" * 600 + "\n", "deep.yaml")
    good = write(tmp_path, TINY, "good.yaml")
    assert main(["validate", str(deep), str(good)]) == 2
    out, err = capsys.readouterr()
    assert out == f"{good}: OK (scenario 'tiny': 10 years from 2025)\n"
    assert f"{deep}:1:26: the data nest more than {MAX_DEPTH} levels deep" in err and "Traceback" not in err


# --- aliases ---------------------------------------------------------------------------------------

def test_an_alias_bomb_is_refused_at_the_alias_that_crosses_the_limit():
    assert len(BOMB) <= 430
    # a: 9 values, b: 9 × 10, c: 9 × 91, d: 9 × 820 = 7,380 … e's first alias adds 7,381 and crosses 10,000
    assert problems(BOMB) == [(5, 8, "", f"aliases repeat more than {MAX_ALIAS_NODES} values in all: write the "
                                          "values out instead of repeating them")]


def test_an_alias_may_not_nest_the_data_past_the_limit():
    text = "a: &a " + "[" * 15 + "1" + "]" * 15 + "\nb: " + "[" * 10 + "*a" + "]" * 10 + "\n"
    assert problems(text) == [(2, 14, "", f"the alias *a nests the data more than {MAX_DEPTH} levels deep")]


def test_anchors_aliases_and_merge_keys_within_the_limits_work():
    text = TINY.replace("    clause:\n      kind: explicit\n", "    clause: &strict\n      kind: explicit\n") + (
        "  - {year: 2031, kind: threat, state: CHN, organization: ILO}\n")
    text = text.replace("timeline:\n", "  - code: ILO\n    members: &all [USA, GBR, CHN]\n    clause:\n"
                                      "      <<: *strict\n      min_tenure_years: 2\n"
                                      "  - {code: WTO, members: *all, clause: *strict}\ntimeline:\n")
    scenario = parse_scenario(text, "s.yaml")
    who, ilo, wto = scenario.organizations
    assert ilo.clause.kind == wto.clause.kind == who.clause.kind == "explicit"
    assert ilo.clause.min_tenure_years == 2 and wto.clause.min_tenure_years == 0
    assert ilo.members == wto.members == ["USA", "GBR", "CHN"]


def test_an_alias_inside_its_own_anchor_is_refused():
    text = TINY.replace("    alliances: [GBR]\n", "    alliances: &loop [GBR, *loop]\n")
    assert problems(text) == [(7, 28, "", "the alias *loop is inside the value &loop it repeats: a value cannot "
                                          "contain itself")]


def test_a_python_value_that_contains_itself_is_refused():
    value: list = ["GBR"]
    value.append(value)
    assert problems(TINY, {"states.USA.alliances": value}) == [
        (None, None, "states.0.alliances.1", "a value cannot contain itself (this list or mapping is inside itself)")]


# --- size ------------------------------------------------------------------------------------------

def test_a_file_too_large_is_refused_before_it_is_parsed(tmp_path):
    path = write(tmp_path, TINY + "# " + "x" * MAX_FILE_BYTES + "\n")
    with pytest.raises(ScenarioError) as caught:
        load_scenario(path)
    size = path.stat().st_size
    assert caught.value.messages == [
        f"{path}: the file is {size:,} bytes; a scenario can be at most 524,288 bytes (MAX_FILE_BYTES): generate "
        "large worlds with 'generate:' instead of listing them"]


def test_text_too_large_is_refused_wherever_it_comes_from():
    text = TINY + "# " + "é" * (MAX_FILE_BYTES // 2) + "\n"  # fewer characters than bytes
    assert problems(text) == [(None, None, "", f"the text is {len(text.encode()):,} bytes; a scenario can be at "
                                               "most 524,288 bytes (MAX_FILE_BYTES): generate large worlds with "
                                               "'generate:' instead of listing them")]
    assert parse_scenario(TINY + "# " + "x" * (MAX_FILE_BYTES - len(TINY) - 3) + "\n", "s.yaml").name == "tiny"


def test_too_many_values_are_refused_at_the_first_one_too_many(monkeypatch):
    monkeypatch.setattr(loading, "MAX_VALUES", 40)  # the real limit takes seconds of parsing to reach
    text = "name: x\nx: [" + ", ".join(["1"] * 100) + "]\n"
    # the top mapping, name, x, the key x and its list are 5; the 36th item is the 41st value
    assert problems(text) == [(2, 5 + 3 * 35, "", "the text holds more than 40 values (MAX_VALUES): generate a "
                                                  "world this large with 'generate:' instead of listing it")]
    assert problems(TINY, ["states.USA.alliances=[" + ", ".join(["GBR"] * 50) + "]"])[0][3].endswith(
        "the text holds more than 40 values (MAX_VALUES): generate a world this large with 'generate:' instead "
        "of listing it")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
def test_a_pipe_or_a_device_is_not_read(tmp_path):
    fifo = tmp_path / "pipe.yaml"
    os.mkfifo(fifo)  # opening it would wait for a writer forever
    with pytest.raises(ScenarioError, match="is not a regular file"):
        load_scenario(fifo)
    if sys.platform.startswith("linux"):
        with pytest.raises(ScenarioError, match="is not a regular file"):
            load_scenario("/dev/zero")


# --- tags ------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("value", "col", "shown"), [
    ("!!python/object/apply:os.system [echo hello]", 14, "!!python/object/apply:os.system"),
    ("!!python/name:os.system", 14, "!!python/name:os.system"),
    ("!!binary aGVsbG8=", 14, "!!binary"),
    ("!!set {USA, GBR}", 14, "!!set"),
    ("!!seq [USA, GBR, CHN]", 14, "!!seq"),
    ("!mine [USA, GBR, CHN]", 14, "!mine"),
    ("! [USA, GBR, CHN]", 14, "!"),
])
def test_any_tag_but_a_plain_scalar_one_is_refused_where_it_stands(value, col, shown):
    text = TINY.replace("members: [USA, GBR, CHN]", f"members: {value}")
    assert problems(text) == [(17, col, "", f"the tag {shown} cannot be used: a scenario holds plain values (the "
                                            "only tags allowed are !!str, !!int, !!float, !!bool, !!null)")]


def test_plain_scalar_tags_mean_what_they_say():
    text = (TINY.replace("name: tiny", "name: !!str 1984").replace("steps: 10", "steps: !!int 12")
            .replace("    power: 3\n", "    power: !!float 3\n").replace("kind: explicit", "kind: !!str explicit"))
    text = text.replace("    nativism: 0.4\n", "    nativism: 0.4\n    nativism_mean: !!null\n")
    scenario = parse_scenario(text, "s.yaml")
    assert (scenario.name, scenario.steps, scenario.states[1].power) == ("1984", 12, 3.0)
    assert scenario.states[1].nativism_mean is None and scenario.organizations[0].clause.kind == "explicit"


@pytest.mark.parametrize(("value", "message"), [
    ("!!int ten", "'ten' is not what the tag !!int says it is (a whole number): remove the tag or change the value"),
    ("!!int 1.5", "'1.5' is not what the tag !!int says it is (a whole number): remove the tag or change the value"),
    ("!!bool yes", "'yes' is not what the tag !!bool says it is (true or false): remove the tag or change the value"),
])
def test_a_plain_tag_on_a_value_it_does_not_fit_is_refused(value, message):
    assert problems(TINY.replace("steps: 10", f"steps: {value}")) == [(2, 8, "", message)]


def test_a_tag_in_an_override_is_refused_too():
    assert problems(TINY, ["organizations.WHO.members=!!python/object/apply:os.system [echo]"]) == [
        (None, None, "", "cannot use the value '!!python/object/apply:os.system [echo]': the tag "
                         "!!python/object/apply:os.system cannot be used: a scenario holds plain values (the only "
                         "tags allowed are !!str, !!int, !!float, !!bool, !!null)")]


# --- where an empty value is -------------------------------------------------------------------------

def test_an_empty_value_at_the_end_of_the_file_is_located_at_its_key():
    text = TINY.split("    clause:")[0].replace("members: [USA, GBR, CHN]", "members:")
    assert text.endswith("  - code: WHO\n    members:\n")
    assert problems(text) == [(17, 5, "organizations.0.members", "expected a list, got nothing (the value is empty)")]


def test_an_empty_value_before_more_keys_is_located_at_its_key():
    text = TINY.replace("members: [USA, GBR, CHN]", "members:\n\n    # the members go here\n")
    assert problems(text)[0] == (17, 5, "organizations.0.members", "expected a list, got nothing (the value is empty)")


def test_a_long_line_is_shown_cut_around_the_column():
    text = "name: [" + "1, " * 100 + "!!binary aGVsbG8=, " + "2, " * 100 + "3]\n"
    with pytest.raises(ScenarioError) as caught:
        parse_scenario(text, "s.yaml")
    head, line, caret = caught.value.messages[0].splitlines()
    column = text.index("!!binary") + 1
    assert head.startswith(f"s.yaml:1:{column}: the tag !!binary cannot be used")
    shown, under = line.removeprefix(" 1 | "), caret.removeprefix("   | ")
    assert shown.startswith("…") and shown.endswith("…") and len(shown) == loading.SHOWN_LINE + 2
    assert shown[len(under) - 1:].startswith("!!binary aGVsbG8=")  # the caret under the tag
