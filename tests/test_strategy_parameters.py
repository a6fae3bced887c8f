"""The strategies are scenario parameters of a kind of their own: a choice among named values,
checked by the registry, the scenario schema, ``--set`` and the command line alike."""

import json
import subprocess
import sys
from pathlib import Path

import pytest
from scenario_texts import TINY, write

from exitsim.codes import HEGEMON_STRATEGIES, RISING_STRATEGIES
from exitsim.parameters import REGISTRY, ParameterError, make_params, parameters_in_group
from exitsim.reference import json_schema, scenarios_markdown
from exitsim.scenario import ScenarioError, load_scenario

ROOT = Path(__file__).resolve().parent.parent

WITH_STRATEGY = TINY.replace("organizations:\n", "parameters:\n  strategies:\n    hegemon_strategy: {value}\n"
                                                 "organizations:\n", 1)


def test_the_strategies_are_choices_with_the_do_nothing_ones_as_defaults():
    hegemon, rising = REGISTRY["hegemon_strategy"], REGISTRY["rising_strategy"]
    assert (hegemon.kind, hegemon.choices, hegemon.default) == ("choice", HEGEMON_STRATEGIES, "status_quo")
    assert (rising.kind, rising.choices, rising.default) == ("choice", RISING_STRATEGIES, "passive")
    params = make_params()
    assert (params.hegemon_strategy, params.rising_strategy) == ("status_quo", "passive")
    assert make_params(hegemon_strategy="exclusive").hegemon_strategy == "exclusive"


@pytest.mark.parametrize("value, expected", [
    ("exclusiv", "one of status_quo, exit_diplomacy, inclusive, exclusive (did you mean 'exclusive'?)"),
    ("balance", "one of status_quo, exit_diplomacy, inclusive, exclusive"),
    (2, "one of status_quo, exit_diplomacy, inclusive, exclusive"),
])
def test_an_unknown_strategy_names_the_valid_ones(value, expected):
    with pytest.raises(ParameterError) as error:
        make_params(hegemon_strategy=value)
    assert str(error.value) == f"parameter 'hegemon_strategy' = {value!r}: expected {expected}"


def test_every_strategy_parameter_has_one_line_of_description():
    group = parameters_in_group("strategies")
    assert {p.name for p in group} >= {"hegemon_strategy", "rising_strategy", "strategy_trigger", "actions_per_year",
                                       "fill_fraction", "club_alignment"}
    for p in group:
        assert "\n" not in p.description and len(p.description) <= 120, p.name


def test_a_scenario_file_picks_a_strategy(tmp_path):
    scenario = load_scenario(write(tmp_path, WITH_STRATEGY.format(value="exit_diplomacy")))
    assert scenario.params().hegemon_strategy == "exit_diplomacy"
    scenario = load_scenario(write(tmp_path, TINY), overrides=["parameters.strategies.rising_strategy=gap_filling"])
    assert scenario.params().rising_strategy == "gap_filling"


def test_a_misspelt_strategy_in_a_file_is_a_located_error_listing_the_valid_ones(tmp_path):
    path = write(tmp_path, WITH_STRATEGY.format(value="exit_diplomcy"))
    with pytest.raises(ScenarioError) as caught:
        load_scenario(path)
    (problem,) = caught.value.problems
    assert (problem.file, problem.line, problem.col, problem.path) == (
        str(path), 17, 23, "parameters.strategies.hegemon_strategy")
    assert problem.message == ("'exit_diplomcy' is not one of the allowed values: status_quo, exit_diplomacy, "
                               "inclusive, exclusive; did you mean 'exit_diplomacy'?")


def test_a_bad_strategy_on_the_command_line_exits_2_without_a_traceback(tmp_path):
    path = write(tmp_path, TINY)
    result = subprocess.run([sys.executable, str(ROOT / "run.py"), "validate", str(path),
                             "--set", "parameters.strategies.rising_strategy=gap_fill"],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert ("--set parameters.strategies.rising_strategy=gap_fill: 'gap_fill' is not one of the allowed values: "
            "passive, gap_filling, counter_institutions; did you mean 'gap_filling'?") in result.stderr


def test_the_schema_and_the_docs_list_the_strategies():
    schema = json.dumps(json_schema())
    assert '"enum": ["status_quo", "exit_diplomacy", "inclusive", "exclusive"]' in schema
    assert '"enum": ["passive", "gap_filling", "counter_institutions"]' in schema
    docs = scenarios_markdown()
    assert ("| `hegemon_strategy` |  | one of | `status_quo`, `exit_diplomacy`, `inclusive`, `exclusive` "
            "| `status_quo` |") in docs


@pytest.mark.parametrize("path", sorted((ROOT / "scenarios").glob("*.yaml")), ids=lambda p: p.name)
def test_every_shipped_scenario_says_how_to_pick_the_strategies(path):
    text = path.read_text(encoding="utf-8")
    for name in ("hegemon_strategy", "rising_strategy", *HEGEMON_STRATEGIES, *RISING_STRATEGIES):
        assert name in text, f"{path.name} does not mention {name}"
