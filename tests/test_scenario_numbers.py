"""Every number a scenario gives is finite and in its range, and every type is what it says: an
infinite, NaN or overflowing value, or ``true`` for a number, is a located error naming the key
and its range — never a run that prints NaN or dies of an overflow."""

import json
import math
from pathlib import Path

import pytest
from scenario_texts import TINY, write

from exitsim.cli import main
from exitsim.reference import json_schema
from exitsim.scenario import ScenarioError, load_scenario, parse_scenario
from exitsim.timeline import ScheduledEvent, TimelineError

ROOT = Path(__file__).resolve().parent.parent
GENERATE = "steps: 10\ngenerate:\n  states: 6\n  organizations: 3\n"


def problems(text: str, overrides=None) -> list[tuple]:
    with pytest.raises(ScenarioError) as caught:
        parse_scenario(text, "s.yaml", overrides)
    return [(p.line, p.col, p.path, p.message) for p in caught.value.problems]


@pytest.mark.parametrize(("old", "new", "expected"), [
    ("    power: 3\n", "    power: .inf\n",
     (9, 12, "states.1.power", "inf is not a finite number: it must be greater than 0 and at most 1000000000")),
    ("    power: 3\n", "    power: 1e308\n",
     (9, 12, "states.1.power", "1e+308 is out of range: it must be greater than 0 and at most 1000000000")),
    ("    power: 3\n", "    power: 123456789012345678901234567890\n",
     (9, 12, "states.1.power", "a number of 30 digits is out of range: it must be greater than 0 and at most "
                               "1000000000")),
    ("    power: 6\n", "    power: 6\n    ideal_point: .nan\n",
     (14, 18, "states.2.ideal_point", "nan is not a finite number: it must be between -10 and 10")),
    ("    power: 6\n", "    power: 6\n    ideal_point: [0.5, -.inf]\n",
     (14, 24, "states.2.ideal_point.1", "-inf is not a finite number: it must be between -10 and 10")),
    ("    nativism: 0.4\n", "    nativism: .NaN\n",
     (10, 15, "states.1.nativism", "nan is not a finite number: it must be between 0 and 1")),
    ("steps: 10\n", GENERATE + "  total_power: .inf\n",
     (6, 16, "generate.total_power", "inf is not a finite number: it must be between 1 and 1000000000")),
    ("steps: 10\n", GENERATE + "  hegemon_rising_ratio: .inf\n",
     (6, 25, "generate.hegemon_rising_ratio", "inf is not a finite number: it must be between 1 and 1000")),
    ("    month: 3\n", "    month: 3\n    value: .inf\n",
     (27, 12, "timeline.0.value", "inf is not a finite number: it must be between -1 and 100")),
    ("steps: 10\n", "steps: 10\nparameters:\n  institutions:\n    leak: -.inf\n",
     (5, 11, "parameters.institutions.leak", "-inf is not a finite number: it must be between 0 and 1")),
    ("steps: 10\n", "steps: 10\norganization_weight: .nan\n",
     (3, 22, "organization_weight", "nan is not a finite number: it must be between 0.001 and 1000")),
    ("effective: months_after:12", "effective: months_after:99999999999999999999",
     (20, 18, "organizations.0.clause.effective",
      "effective rule 'months_after:99999999999999999999': at most 1200 months")),
    ("effective: months_after:12", "effective: end_of_year_after:101",
     (20, 18, "organizations.0.clause.effective", "effective rule 'end_of_year_after:101': at most 100 years")),
])
def test_infinite_nan_and_overflowing_numbers_are_located_errors_with_the_range(old, new, expected):
    assert TINY.count(old) == 1
    assert problems(TINY.replace(old, new)) == [expected]


@pytest.mark.parametrize(("old", "new", "expected"), [
    ("steps: 10", "steps: true", (2, 8, "steps", "expected a whole number, got true")),
    ("steps: 10", "steps: 10.0", (2, 8, "steps", "expected a whole number, got 10.0")),
    ("steps: 10", "steps: '10'", (2, 8, "steps", "expected a whole number, got '10'")),
    ("    power: 3\n", "    power: yes\n", (9, 12, "states.1.power", "expected a number, got 'yes'")),
    ("    power: 3\n", "    power: false\n", (9, 12, "states.1.power", "expected a number, got false")),
    ("steps: 10\n", "steps: 10\ngenerate:\n  hegemon: 1\n", (4, 12, "generate.hegemon", "expected true or false, got 1")),
    ("steps: 10\n", "steps: 10\ngenerate:\n  dimensions: true\n",
     (4, 15, "generate.dimensions", "expected a whole number, got true")),
    ("    month: 3\n", "    month: 3\n    value: true\n",
     (27, 12, "timeline.0.value", "expected a number or text, got true")),
])
def test_a_boolean_or_text_is_not_a_number_and_a_number_is_not_a_boolean(old, new, expected):
    assert problems(TINY.replace(old, new)) == [expected]


@pytest.mark.parametrize(("override", "message"), [
    ("states.USA.power=.inf", "inf is not a finite number: it must be greater than 0 and at most 1000000000"),
    ("states.GBR.nativism=.nan", "nan is not a finite number: it must be between 0 and 1"),
    ("parameters.decisions.temperature=1e999", "inf is not a finite number: it must be between 0.01 and 100"),
    ("steps=true", "expected a whole number, got true"),
    ("seed=1e400", "expected a whole number, got inf"),
    ("seed=99999999999999999999999", "a number of 23 digits is out of range: it must be between 0 and "
                                     "9223372036854775807"),
])
def test_overrides_are_held_to_the_same_numbers(override, message):
    assert problems(TINY, [override]) == [(None, None, "", message)]


def test_overrides_from_python_are_held_to_the_same_numbers():
    assert problems(TINY, {"states.USA.power": math.inf, "timeline.0.month": 2**70}) == [
        (None, None, "", "inf is not a finite number: it must be greater than 0 and at most 1000000000"),
        (None, None, "", "a number of 22 digits is out of range: it must be between 0 and 12"),
    ]


def test_validate_and_run_exit_2_for_an_infinite_power(tmp_path, capsys):
    path = write(tmp_path, TINY.replace("    power: 3\n", "    power: .inf\n"))
    out = tmp_path / "out"
    assert main(["validate", str(path)]) == 2
    assert main(["run", str(path), "--out", str(out), "--quiet"]) == 2
    assert main(["run", str(write(tmp_path, TINY, "ok.yaml")), "--out", str(out), "--quiet",
                 "--set", "states.USA.power=.inf"]) == 2
    err = capsys.readouterr().err
    assert f"{path}:9:12: states.1.power: inf is not a finite number" in err and "Traceback" not in err
    assert not out.exists()


# --- the timeline ----------------------------------------------------------------------------------

@pytest.mark.parametrize(("kind", "value", "message"), [
    ("power_shock", math.inf, "value must be a finite number, got inf"),
    ("power_shock", 101.0, "value must be a positive factor of at most 100, got 101.0"),
    ("power_shock", 10**400, "value must be a finite number"),
    ("nativism_shock", math.nan, "value must be a finite number, got nan"),
    ("withhold_dues", -math.inf, "value must be a finite number, got -inf"),
])
def test_a_scheduled_event_needs_a_finite_value_in_range(kind, value, message):
    with pytest.raises(TimelineError, match=message.replace("(", r"\(").replace(")", r"\)")):
        ScheduledEvent(2026, kind, "A", "X", value=value)


def test_a_power_shock_factor_in_the_file_is_bounded():
    text = TINY.replace("kind: notice", "kind: power_shock\n    value: 1000")
    assert problems(text) == [(24, 12, "timeline.0.value", "1000 is out of range: it must be between -1 and 100")]
    text = TINY.replace("kind: notice", "kind: power_shock\n    value: 0")
    assert problems(text) == [(24, 12, "timeline.0.value", "value must be a positive factor of at most 100, got 0.0")]


# --- the registry and the schema say so ---------------------------------------------------------------

def _numbers(node, path=""):
    """Every number or whole-number schema in a JSON Schema, with its path."""
    if isinstance(node, dict):
        if node.get("type") in ("number", "integer"):
            yield path, node
        for key, value in node.items():
            yield from _numbers(value, f"{path}/{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _numbers(value, f"{path}/{i}")


def test_every_number_of_the_json_schema_has_both_bounds():
    found = list(_numbers(json_schema()))
    assert len(found) > 100  # the parameters, the world, the timeline …
    unbounded = [path for path, node in found
                 if not ({"minimum", "exclusiveMinimum"} & set(node) and {"maximum", "exclusiveMaximum"} & set(node))]
    assert not unbounded


def test_the_json_schema_refuses_what_the_loader_refuses(tmp_path):
    jsonschema = pytest.importorskip("jsonschema")
    validator = jsonschema.Draft7Validator(json.loads((ROOT / "scenarios" / "scenario.schema.json").read_text()))
    good = load_scenario(write(tmp_path, TINY)).model_dump(exclude_none=True)
    assert not list(validator.iter_errors(good))
    for path, value in ((("states", 0, "power"), math.inf), (("states", 1, "ideal_point"), [0.0, 11.0]),
                        (("organizations", 0, "clause", "effective"), "months_after:1201"),
                        (("steps",), True)):
        bad = json.loads(json.dumps(good))
        target = bad
        for part in path[:-1]:
            target = target[part]
        target[path[-1]] = value
        assert list(validator.iter_errors(bad)), path

