"""The generated reference (docs/scenarios.md, scenarios/scenario.schema.json) is current and
complete, and `python run.py new NAME`'s text is a valid scenario."""

import json
import re
from pathlib import Path

import pytest

from exitsim.clauses import CLAUSE_KINDS, EFFECTIVE_RULES, TENURE_BASES, ClauseError, parse_effective_rule
from exitsim.parameters import REGISTRY
from exitsim.reference import (
    CLAUSE_KIND_NOTES,
    DOCS_PATH,
    EFFECTIVE_RULE_NOTES,
    SCHEMA_COMMENT,
    SCHEMA_PATH,
    TENURE_BASIS_NOTES,
    _timeline_kind_notes,
    json_schema,
    json_schema_text,
    new_scenario_text,
    scenarios_markdown,
)
from exitsim.scenario import GenerateSpec, Scenario, parse_scenario
from exitsim.timeline import TIMELINE_KINDS

ROOT = Path(__file__).resolve().parent.parent

STALE = "{} is stale: run `python run.py docs` to regenerate it (and commit the result)"


def test_committed_scenarios_md_is_what_the_code_generates():
    assert (ROOT / DOCS_PATH).read_text(encoding="utf-8") == scenarios_markdown(), STALE.format(DOCS_PATH)


def test_committed_json_schema_is_what_the_code_generates():
    assert (ROOT / SCHEMA_PATH).read_text(encoding="utf-8") == json_schema_text(), STALE.format(SCHEMA_PATH)


def test_every_registry_parameter_is_documented():
    text = scenarios_markdown()
    missing = [name for name in REGISTRY if f"| `{name}` |" not in text]
    assert not missing, f"parameters missing from docs/scenarios.md: {missing}"


def test_every_key_of_every_section_is_documented():
    text = scenarios_markdown()
    schema = json_schema()
    for name, definition in schema["definitions"].items():
        for key in definition["properties"]:
            documented = f"`parameters.{key}`" if name == "ParametersSpec" else f"| `{key}` |"
            assert documented in text, f"{name}.{key} is missing from docs/scenarios.md"
    for key in schema["properties"]:
        assert f"| `{key}` |" in text


def test_every_clause_kind_rule_basis_and_timeline_kind_has_its_own_explanation():
    assert set(CLAUSE_KIND_NOTES) == set(CLAUSE_KINDS)
    assert set(EFFECTIVE_RULE_NOTES) == set(EFFECTIVE_RULES)
    assert set(TENURE_BASIS_NOTES) == set(TENURE_BASES)
    kinds = _timeline_kind_notes()  # read from exitsim/timeline.py's table
    assert set(kinds) == set(TIMELINE_KINDS)
    assert all(phase.isdigit() and effect for phase, effect in kinds.values())


def test_every_generate_key_has_a_description_in_the_schema():
    properties = json_schema()["definitions"]["GenerateSpec"]["properties"]
    assert set(properties) == set(GenerateSpec.model_fields)
    assert all(prop.get("description") for prop in properties.values())


def test_schema_lists_every_top_level_key_and_extends():
    properties = json_schema()["properties"]
    assert set(Scenario.model_fields) | {"extends"} == set(properties)
    assert json_schema()["additionalProperties"] is False


def test_schema_is_valid_draft_07():
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads((ROOT / SCHEMA_PATH).read_text(encoding="utf-8"))
    jsonschema.Draft7Validator.check_schema(schema)


@pytest.mark.parametrize("rule", ["immediate", "months_after:12", "end_of_year_after:1", "cutoff:1:6",
                                  "fiscal_year_end:9", "negotiated_or_months:24", " months_after:6 ",
                                  "months_after", "months_after:x", "cutoff:0:6", "cutoff:1:13", "weekly:1",
                                  "fiscal_year_end:9:1", "months_after:-1", ""])
def test_schema_pattern_of_effective_rules_agrees_with_the_loader(rule):
    pattern = json_schema()["definitions"]["ClauseSpec"]["properties"]["effective"]["pattern"]
    try:
        parse_effective_rule(rule)
        accepted = True
    except ClauseError:
        accepted = False
    assert bool(re.search(pattern, rule)) == accepted


def test_new_scenario_is_a_valid_scenario_named_as_asked():
    text = new_scenario_text("mine")
    scenario = parse_scenario(text, "mine.yaml")
    assert scenario.name == "mine"
    assert text.splitlines()[0] == SCHEMA_COMMENT
    assert "#" in text.splitlines()[1]  # commented for students


@pytest.mark.parametrize("name", ["yes", "2030", "1e3", "null", "on", "1.5", "007", "_x"])
def test_new_scenario_quotes_names_yaml_would_misread(name):
    assert parse_scenario(new_scenario_text(name)).name == name


def test_new_scenario_rejects_names_on_several_lines():
    with pytest.raises(ValueError):
        new_scenario_text("two\nlines")
