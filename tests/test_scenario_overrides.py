"""`--set path=value` overrides and `extends:` change exactly what they say."""

import json

import pytest
from scenario_texts import TINY, write

from exitsim.cli import main
from exitsim.scenario import ScenarioError, load_scenario, parse_scenario

GENERATED = """\
name: generated
steps: 4
world_seed: 2
generate:
  states: 12
  organizations: 6
  memberships_per_state: 3
  min_memberships: 1
"""


# --- overrides -------------------------------------------------------------------------------------

def test_overrides_change_top_level_values_and_parameters(tmp_path):
    path = write(tmp_path, TINY)
    before = load_scenario(path)
    after = load_scenario(path, overrides=["steps=30", "parameters.decisions.beta_contagion=0", "name=changed"])
    assert (after.steps, after.name) == (30, "changed")
    assert after.params().beta_contagion == 0 != before.params().beta_contagion
    assert after.model_dump(exclude={"steps", "name", "parameters"}) == before.model_dump(
        exclude={"steps", "name", "parameters"})


def test_overrides_address_states_and_organizations_by_code(tmp_path):
    scenario = load_scenario(write(tmp_path, TINY), overrides=[
        "states.USA.nativism=0.8", "organizations.WHO.clause.kind=none", "states.CHN.government=nativist"])
    usa, gbr, chn = scenario.states
    assert (usa.nativism, gbr.nativism, chn.government) == (0.8, 0.4, "nativist")
    assert scenario.organizations[0].clause.kind == "none"
    assert scenario.organizations[0].clause.effective == "months_after:12"  # the rest of the clause stays


def test_overrides_address_list_entries_by_index(tmp_path):
    scenario = load_scenario(write(tmp_path, TINY), overrides=["states.1.power=7", "timeline.0.month=11"])
    assert scenario.states[1].power == 7 and scenario.timeline[0].month == 11


def test_override_values_are_read_as_yaml(tmp_path):
    scenario = load_scenario(write(tmp_path, TINY), overrides=[
        "organizations.WHO.members=[CHN, USA, GBR]", "states.GBR.alliances=[]", "states.USA.alliances=[]",
        "description=a text: with a colon", "states.USA.name='1984'"])
    assert scenario.organizations[0].members == ["CHN", "USA", "GBR"]
    assert scenario.states[0].alliances == [] and scenario.states[0].name == "1984"
    assert scenario.description == "a text: with a colon"


def test_overrides_create_missing_mappings_and_the_last_one_wins(tmp_path):
    path = write(tmp_path, TINY)
    scenario = load_scenario(path, overrides=["generate.states=80", "generate.organizations=5", "generate.hegemon=false",
                                              "steps=6", "steps=7"])
    assert (scenario.generate.states, scenario.generate.organizations, scenario.steps) == (80, 5, 7)
    assert load_scenario(path).generate is None


def test_overrides_set_generated_worlds(tmp_path):
    scenario = load_scenario(write(tmp_path, GENERATED), overrides=["generate.states=20"])
    assert scenario.generate.states == 20 and scenario.generate.organizations == 6


def test_overrides_may_be_a_mapping_of_python_values(tmp_path):
    scenario = load_scenario(write(tmp_path, TINY), overrides={"steps": 12, "states.USA.nativism": 0.6,
                                                              "generate": {"states": 4, "hegemon": False}})
    assert (scenario.steps, scenario.states[0].nativism, scenario.generate.states) == (12, 0.6, 4)


def test_overrides_apply_to_text_and_to_the_packaged_default():
    assert parse_scenario(TINY, overrides=["steps=7"]).steps == 7
    assert load_scenario(overrides=["steps=6"]).steps == 6
    assert load_scenario().steps != 6


def test_extends_cannot_be_overridden(tmp_path):
    with pytest.raises(ScenarioError) as caught:
        load_scenario(write(tmp_path, TINY), overrides=["extends=other.yaml"])
    assert caught.value.messages == ["--set extends=other.yaml: extends cannot be set from the command line; "
                                     "write it at the top of the file"]


def test_run_applies_overrides(tmp_path):
    out = tmp_path / "out"
    path = write(tmp_path, GENERATED)
    assert main(["run", str(path), "--out", str(out), "--quiet", "--set", "steps=2", "--set", "seed=5"]) == 0
    record = json.loads((out / "run.json").read_text())
    assert record["scenario"]["steps"] == 2 and record["scenario"]["seed"] == 5
    assert len((out / "timeseries.csv").read_text().splitlines()) == 1 + 3


# --- extends ---------------------------------------------------------------------------------------

def test_extends_merges_mappings_deeply_and_the_child_wins(tmp_path):
    write(tmp_path, GENERATED + "parameters:\n  decisions:\n    beta_contagion: 0.5\n    temperature: 2\n",
          "base.yaml")
    child = write(tmp_path, "extends: base.yaml\nname: child\ngenerate:\n  states: 20\n"
                            "parameters:\n  decisions:\n    temperature: 3\n", "child.yaml")
    scenario = load_scenario(child)
    assert (scenario.name, scenario.steps, scenario.world_seed) == ("child", 4, 2)
    assert (scenario.generate.states, scenario.generate.organizations, scenario.generate.min_memberships) == (20, 6, 1)
    params = scenario.params()
    assert (params.beta_contagion, params.temperature) == (0.5, 3)


def test_extends_replaces_lists_wholesale(tmp_path):
    write(tmp_path, TINY, "base.yaml")
    child = write(tmp_path, "extends: base.yaml\nstates:\n  - {code: USA, power: 1, role: hegemon}\n"
                            "  - {code: CHN, power: 2}\n  - {code: IND, power: 2}\norganizations:\n"
                            "  - {code: WTO, members: [USA, CHN, IND]}\n"
                            "timeline: []\n", "child.yaml")
    scenario = load_scenario(child)
    assert [s.code for s in scenario.states] == ["USA", "CHN", "IND"] and scenario.states[0].alliances == []
    assert [o.code for o in scenario.organizations] == ["WTO"] and scenario.timeline == []


def test_extends_chains_and_is_relative_to_the_file(tmp_path):
    (tmp_path / "lib").mkdir()
    write(tmp_path / "lib", GENERATED, "root.yaml")
    write(tmp_path / "lib", "extends: root.yaml\nsteps: 9\nseed: 3\n", "middle.yaml")
    leaf = write(tmp_path, "extends: lib/middle.yaml\nseed: 4\n", "leaf.yaml")
    scenario = load_scenario(leaf)
    assert (scenario.name, scenario.steps, scenario.seed) == ("generated", 9, 4)


def test_a_null_in_the_child_replaces_the_parents_mapping(tmp_path):
    write(tmp_path, TINY.replace("steps: 10\n", "steps: 10\ngenerate:\n  states: 3\n  hegemon: false\n"), "base.yaml")
    assert load_scenario(tmp_path / "base.yaml").generate.states == 3
    child = write(tmp_path, "extends: base.yaml\ngenerate: null\n", "child.yaml")
    assert load_scenario(child).generate is None


def test_overrides_apply_after_extends(tmp_path):
    write(tmp_path, TINY, "base.yaml")
    child = write(tmp_path, "extends: base.yaml\nsteps: 20\n", "child.yaml")
    scenario = load_scenario(child, overrides=["steps=25", "states.GBR.nativism=0.9"])
    assert scenario.steps == 25 and scenario.states[1].nativism == 0.9


def test_extends_must_name_a_file(tmp_path):
    path = write(tmp_path, "extends: [a.yaml]\nname: x\n")
    with pytest.raises(ScenarioError) as caught:
        load_scenario(path)
    assert [(p.line, p.col, p.path, p.message) for p in caught.value.problems] == [
        (1, 10, "extends", "extends must name another scenario file, e.g. 'extends: default.yaml'")]
