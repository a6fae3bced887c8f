"""The public API checks its arguments: a wrong one is named, with what it should be, as a
TypeError (wrong type), a ScenarioError (out of range) or a ParameterError (the registry's) —
never a bare TypeError from deep inside, and never a wrong type accepted silently."""

import re

import numpy as np
import pytest
from scenario_texts import TINY, write

from exitsim import ExitModel
from exitsim.parameters import ParameterError
from exitsim.scenario import Scenario, ScenarioError, load_scenario, parse_scenario
from exitsim.timeline import ScheduledEvent, Timeline, TimelineError


def exactly(message: str) -> str:
    return "^" + re.escape(message) + "$"


@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    return load_scenario(write(tmp_path_factory.mktemp("api"), TINY))


# --- ExitModel ------------------------------------------------------------------------------------

@pytest.mark.parametrize(("arguments", "message"), [
    ({"config": {"steps": 3}}, "ExitModel config must be a Scenario, a path to a scenario file or None (the default "
                               "scenario), got a dict: to start from values, use load_scenario(overrides={...}) (the "
                               "default scenario changed) or Scenario.model_validate({...})"),
    ({"config": 5}, "ExitModel config must be a Scenario, a path to a scenario file or None (the default scenario), "
                    "got 5 (int)"),
    ({"steps": "5"}, "ExitModel steps must be a whole number between 1 and 1000, got '5' (text)"),
    ({"steps": 5.0}, "ExitModel steps must be a whole number between 1 and 1000, got 5.0 (float)"),
    ({"steps": True}, "ExitModel steps must be a whole number between 1 and 1000, got True (bool)"),
    ({"world_seed": "3"}, "ExitModel world_seed must be a whole number between 0 and 9223372036854775807, "
                          "got '3' (text)"),
    ({"seed": 1.5}, "ExitModel seed must be a whole number or a numpy SeedSequence between 0 and "
                    "9223372036854775807, got 1.5 (float)"),
    ({"parameters": [("leak", 0.1)]}, "ExitModel parameters must be a mapping of parameter names to values, e.g. "
                                      "{'beta_contagion': 0.0}, got a list"),
    ({"parameters": {1: 0.1}}, "ExitModel parameters must be named by text (e.g. 'beta_contagion'), got 1"),
    ({"collect_states": "no"}, "ExitModel collect_states must be True or False, got 'no' (text)"),
    ({"timeline": ScheduledEvent(2026, "notice", "USA", "WHO")},
     "ExitModel timeline must be a list of ScheduledEvent, got one: write timeline=[event]"),
    ({"timeline": [{"year": 2026, "kind": "notice", "state": "USA"}]},
     "ExitModel timeline must be a list of ScheduledEvent (e.g. ScheduledEvent(2030, 'notice', 'CHN', 'WTO')); "
     "entry 0 is a dict"),
])
def test_a_model_argument_of_the_wrong_type_is_named(tiny, arguments, message):
    arguments = {"config": tiny} | arguments
    config = arguments.pop("config")
    with pytest.raises(TypeError, match=exactly(message)):
        ExitModel(config, **arguments)


@pytest.mark.parametrize(("arguments", "message"), [
    ({"steps": 0}, "ExitModel steps=0: out of range: it must be between 1 and 1000"),
    ({"steps": 1001}, "ExitModel steps=1001: out of range: it must be between 1 and 1000"),
    ({"world_seed": -1}, "ExitModel world_seed=-1: out of range: it must be between 0 and 9223372036854775807"),
    ({"seed": 2**64}, "ExitModel seed=18446744073709551616: out of range: it must be between 0 and "
                      "9223372036854775807"),
])
def test_a_model_argument_out_of_range_is_a_scenario_error(tiny, arguments, message):
    with pytest.raises(ScenarioError, match=exactly(message)):
        ExitModel(tiny, **arguments)


@pytest.mark.parametrize(("parameters", "message"), [
    ({"leak": "much"}, "parameter 'leak' = 'much': expected a number (float) between 0 and 1"),
    ({"leak": float("inf")}, "parameter 'leak' = inf: expected a finite number between 0 and 1"),
    ({"leek": 0.1}, "parameter 'leek' = 0.1: expected a known parameter (did you mean 'leak'?)"),
])
def test_a_parameter_is_checked_by_the_registry(tiny, parameters, message):
    with pytest.raises(ParameterError, match=exactly(message)):
        ExitModel(tiny, parameters=parameters)


def test_numpy_numbers_and_any_sequence_of_events_are_accepted(tiny):
    events = (e for e in [ScheduledEvent(np.int64(2026), "threat", "USA", "WHO")])
    model = ExitModel(tiny, seed=np.int64(3), world_seed=np.int32(1), steps=np.int64(2),
                      parameters={"leak": np.float64(0.1)}, collect_states=np.bool_(False), timeline=events)
    assert (model.n_steps, model.params.leak, len(model.timeline)) == (2, 0.1, 1)  # the file's notice is in 2030
    assert model.config.world_seed == 1 and type(model.config.steps) is int


def test_a_shorter_run_still_leaves_out_later_events(tiny):
    assert ExitModel(tiny, steps=2).config.timeline == []  # the file's notice is in 2030


# --- load_scenario and parse_scenario ----------------------------------------------------------------

@pytest.mark.parametrize(("overrides", "message"), [
    ("steps=3", "overrides must be a list of 'PATH=VALUE' texts (e.g. ['steps=30']) or a mapping of paths to values "
                "(e.g. {'steps': 30}), not a single text: write overrides=['steps=3']"),
    (["steps=3", 4], "overrides must be a list of 'PATH=VALUE' texts (e.g. ['steps=30']) or a mapping of paths to "
                     "values (e.g. {'steps': 30}); got 4 (int) among them"),
    ({("steps",): 3}, "overrides must be a list of 'PATH=VALUE' texts (e.g. ['steps=30']) or a mapping of paths to "
                      "values (e.g. {'steps': 30}); a path must be text, got ('steps',)"),
    (30, "overrides must be a list of 'PATH=VALUE' texts (e.g. ['steps=30']) or a mapping of paths to values "
         "(e.g. {'steps': 30}), got 30 (int)"),
])
def test_overrides_of_the_wrong_form_are_named(overrides, message):
    with pytest.raises(TypeError, match=exactly(message)):
        load_scenario(overrides=overrides)
    with pytest.raises(TypeError, match=exactly(message)):
        parse_scenario(TINY, "s.yaml", overrides)


def test_overrides_as_any_iterable_of_texts_are_applied_once(tmp_path):
    scenario = load_scenario(write(tmp_path, TINY), overrides=(text for text in ["steps=12", "name=gen"]))
    assert (scenario.steps, scenario.name) == (12, "gen")


@pytest.mark.parametrize(("call", "message"), [
    (lambda: load_scenario(5), "load_scenario path must be a scenario file's path (str or Path) or None (the default "
                               "scenario), got int"),
    (lambda: parse_scenario(TINY.encode(), "s.yaml"), "parse_scenario text must be the YAML text (str), got bytes; "
                                                       "decode it first, e.g. text.decode('utf-8')"),
    (lambda: parse_scenario(TINY, 3), "parse_scenario source must be the name or path the text comes from, got int"),
])
def test_load_and_parse_name_a_wrong_argument(call, message):
    with pytest.raises(TypeError, match=exactly(message)):
        call()


# --- the timeline -----------------------------------------------------------------------------------

@pytest.mark.parametrize(("arguments", "error", "message"), [
    (("2018", "notice", "USA", "WHO"), TypeError,
     "ScheduledEvent year must be a whole number (a calendar year), got '2018' (text)"),
    ((2018.0, "notice", "USA", "WHO"), TypeError,
     "ScheduledEvent year must be a whole number (a calendar year), got 2018.0 (float)"),
    ((2018, "notice", "USA", "WHO", "6"), TypeError,
     "ScheduledEvent month must be a whole number (1–12, or 0 for a drawn month), got '6' (text)"),
    ((2018, 3, "USA", "WHO"), TypeError, "ScheduledEvent kind must be text (a code), got 3 (int)"),
    ((2018, "notice", None, "WHO"), TypeError, "ScheduledEvent state must be text (a code), got None (NoneType)"),
    ((2018, "power_shock", "USA", "", 0, [2]), TypeError,
     "ScheduledEvent value must be a number, a government or None, got [2] (list)"),
    ((2018, "power_shock", "USA", "", 0, True), TypeError,
     "ScheduledEvent value must be a number, a government or None, got True (bool)"),
    ((2018, "notice", "USA", "WHO", 13), TimelineError,
     "timeline event 'notice' of 'USA' in 2018: month must be 1–12 (or 0: drawn), got 13"),
])
def test_a_scheduled_event_names_a_wrong_argument(arguments, error, message):
    with pytest.raises(error, match=exactly(message)):
        ScheduledEvent(*arguments)


def test_a_scheduled_event_makes_numpy_numbers_plain():
    event = ScheduledEvent(np.int64(2030), "power_shock", "USA", month=np.int8(3), value=np.float32(1.5))
    assert (type(event.year), type(event.month), type(event.value)) == (int, int, float)
    assert event == ScheduledEvent(2030, "power_shock", "USA", month=3, value=1.5)


def test_a_timeline_holds_only_scheduled_events():
    with pytest.raises(TypeError, match=exactly("a Timeline holds ScheduledEvent entries; entry 1 is (2030, "
                                                "'notice') (tuple)")):
        Timeline([ScheduledEvent(2030, "threat", "A", "X"), (2030, "notice")])


def test_numpy_numbers_are_plain_numbers_in_a_scenario_and_its_overrides(tmp_path):
    scenario = Scenario.model_validate({
        "steps": np.int64(3), "seed": np.uint32(4), "parameters": {"decisions": {"threat_interval": np.int16(3),
                                                                                 "exit_decisions": np.bool_(False)}},
        "states": [{"code": "A", "power": np.float32(2.0), "election_phase": np.int8(1)}, {"code": "B", "power": 1}]})
    assert (scenario.steps, scenario.seed, scenario.states[1].power) == (3, 4, 1.0)
    assert scenario.params().threat_interval == 3 and scenario.params().exit_decisions is False
    loaded = load_scenario(write(tmp_path, TINY), overrides={"steps": np.int64(12), "states.USA.power": np.float64(5),
                                                            "generate.hegemon": np.bool_(False)})
    assert (loaded.steps, loaded.states[0].power, loaded.generate.hegemon) == (12, 5.0, False)
