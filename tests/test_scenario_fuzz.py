"""Fuzzing scenario files: random mutations of the shipped scenarios' lines only ever end in a
located ScenarioError — never another exception, never a refusal or a crash later in the model
(validate agrees with run) — and nothing is written for an invalid scenario. Field-by-field
mutations are in test_scenario_field_fuzz.py."""

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from exitsim import ExitModel, ScenarioError
from exitsim.cli import main
from exitsim.scenario import parse_scenario

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = sorted((ROOT / "scenarios").glob("*.yaml"))
TEXTS = {path.name: path.read_text(encoding="utf-8") for path in SHIPPED}
JUNK = ["-1", "1e9", "0", "[]", "{}", "''", "yes", "no", "null", "2.5", "nan", "-0.5", "foo", "[1, 2, 3]",
        "{a: 1}", "\"S01\"", "USA", "99999", "  ", "\t", ":", "- x", "&a", "*a", "!!python/object:os.system",
        ".inf", "-.inf", ".nan", "1e308", "123456789012345678901234567890", "true", "!!int x", "!!str 5", "&b [*b]",
        "[[[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]]]", "../../etc/passwd", "months_after:99999999999999999999"]


@st.composite
def mutated(draw):
    name = draw(st.sampled_from(sorted(TEXTS)))
    lines = TEXTS[name].splitlines()
    for _ in range(draw(st.integers(1, 4))):
        if not lines:
            break
        i = draw(st.integers(0, len(lines) - 1))
        action = draw(st.sampled_from(["delete", "swap_value", "new_key", "truncate", "duplicate", "junk_line"]))
        if action == "delete":
            del lines[i]
        elif action == "swap_value" and ":" in lines[i]:
            key, _, _ = lines[i].partition(":")
            lines[i] = f"{key}: {draw(st.sampled_from(JUNK))}"
        elif action == "new_key":
            indent = len(lines[i]) - len(lines[i].lstrip())
            key = draw(st.text("abcdefghijklmnopqrstuvwxyz_", min_size=1, max_size=12))
            lines.insert(i, " " * indent + f"{key}: {draw(st.sampled_from(JUNK))}")
        elif action == "truncate":
            lines = lines[:i]
        elif action == "duplicate":
            lines.insert(i, lines[i])
        else:
            lines.insert(i, draw(st.sampled_from(JUNK)))
    return name, "\n".join(lines) + "\n"


@settings(suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(mutated())
def test_mutated_scenarios_end_in_a_scenario_error_or_run(case):
    name, text = case
    try:
        scenario = parse_scenario(text, name)
    except ScenarioError as error:
        assert error.messages and all(isinstance(m, str) and m for m in error.messages)
        assert all(p.file == name for p in error.problems)
        return
    ExitModel(scenario, steps=2, collect_states=False).run()  # whatever validates, runs


@settings(max_examples=10, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
          deadline=None)
@given(mutated())
def test_nothing_is_written_for_an_invalid_scenario(tmp_path_factory, case):
    name, text = case
    folder = tmp_path_factory.mktemp("fuzz")
    path = folder / name
    path.write_text(text, encoding="utf-8")
    out = folder / "out"
    code = main(["run", str(path), "--out", str(out), "--quiet", "--steps", "2"])
    assert code in (0, 2)
    if code == 2:
        assert not out.exists()
