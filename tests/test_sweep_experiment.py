"""Experiment files: located errors, factors checked by the registry, designs and seeds."""

import json
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from exitsim.cli import main
from exitsim.loading import ScenarioError
from exitsim.parameters import REGISTRY
from exitsim.sweep.designs import BASELINE, latin_hypercube, make_design
from exitsim.sweep.experiment import (
    RUN_MEASURES,
    DesignSpec,
    ExperimentSpec,
    Factor,
    KeepSpec,
    RangeSpec,
    ReportSpec,
    SeedsSpec,
    load_experiment,
    parse_experiment,
)
from exitsim.sweep.schema import EXPERIMENT_SCHEMA_COMMENT, EXPERIMENT_SCHEMA_PATH, experiment_json_schema_text
from exitsim.sweep.seeds import plan_runs, run_seed, seed_key

ROOT = Path(__file__).resolve().parent.parent
SCENARIO = (ROOT / "scenarios" / "default.yaml").as_posix()

BASE = f"""\
name: tiny
scenario: {SCENARIO}
overrides:
  generate.states: 12
steps: 3
factors:
  parameters.decisions.beta_contagion: [0.0, 3.2]
seeds:
  root: 4
  replications: 2
"""


def problems(text: str, tmp_path: Path, overrides=None) -> list[tuple]:
    path = tmp_path / "exp.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ScenarioError) as caught:
        load_experiment(path, overrides)
    return [(p.line, p.col, p.path, p.message) for p in caught.value.problems]


def test_the_base_experiment_loads(tmp_path):
    path = tmp_path / "exp.yaml"
    path.write_text(BASE)
    experiment = load_experiment(path)
    assert experiment.name == "tiny" and experiment.steps == 3
    assert experiment.scenario.generate.states == 12
    [factor] = experiment.factors
    assert (factor.column, factor.parameter.name, factor.values) == ("beta_contagion", "beta_contagion", (0.0, 3.2))


def test_an_unknown_factor_is_located_with_a_suggestion(tmp_path):
    text = BASE.replace("beta_contagion: [", "beta_contagon: [")
    assert problems(text, tmp_path) == [
        (7, 3, "factors.parameters.decisions.beta_contagon",
         "unknown factor 'parameters.decisions.beta_contagon': no such parameter; "
         "did you mean 'parameters.decisions.beta_contagion'?")]


def test_a_bare_parameter_name_is_told_its_set_path(tmp_path):
    text = BASE.replace("parameters.decisions.beta_contagion:", "beta_contagion:")
    assert problems(text, tmp_path) == [
        (7, 3, "factors.beta_contagion",
         "unknown factor 'beta_contagion': name a parameter as --set does, 'parameters.decisions.beta_contagion'")]


def test_a_value_out_of_the_registry_range_is_located_at_the_value(tmp_path):
    text = BASE.replace("[0.0, 3.2]", "[0.0, 12.5]")
    assert problems(text, tmp_path) == [
        (7, 46, "factors.parameters.decisions.beta_contagion.1",
         "12.5 is not a value of beta_contagion: expected at most 10")]


def test_a_value_of_the_wrong_type_is_located(tmp_path):
    text = BASE.replace("beta_contagion: [0.0, 3.2]", "exit_decisions: [true, 0.5]")
    assert problems(text, tmp_path) == [
        (7, 47, "factors.parameters.decisions.exit_decisions.1",
         "0.5 is not a value of exit_decisions: expected true or false")]


def test_an_unknown_design_kind_is_located_with_a_suggestion(tmp_path):
    assert problems(BASE + "design:\n  kind: sobel\n", tmp_path) == [
        (12, 9, "design.kind", "'sobel' is not one of the allowed values: grid, latin_hypercube, sobol, morris, "
                               "ablation; did you mean 'sobol'?")]


def test_a_scenario_factor_is_checked_by_the_scenario_schema(tmp_path):
    text = BASE.replace("  parameters.decisions.beta_contagion: [0.0, 3.2]\n",
                        "  generate.hegemon_rising_ratio: [0.5, 2]\n  generate.hegemn: [1]\n")
    assert problems(text, tmp_path) == [
        (7, 35, "factors.generate.hegemon_rising_ratio.0", "0.5 is out of range: it must be between 1 and 1000"),
        (8, 3, "factors.generate.hegemn", "unknown factor 'generate.hegemn': unknown key 'hegemn'; did you mean "
                                          "'hegemon'?"),
    ]


def test_a_bad_override_of_the_base_scenario_is_located_in_the_experiment(tmp_path):
    text = BASE.replace("generate.states: 12", "generate.states: -3")
    assert problems(text, tmp_path) == [
        (4, 20, "overrides.generate.states", "-3 is out of range: it must be between 0 and 10000")]


def test_set_overrides_apply_to_the_experiment_and_are_checked(tmp_path):
    path = tmp_path / "exp.yaml"
    path.write_text(BASE)
    assert load_experiment(path, ["seeds.replications=5"]).spec.seeds.replications == 5
    assert problems(BASE, tmp_path, ["seeds.replicatons=5"]) == [
        (None, None, "", "unknown key 'replicatons'; did you mean 'replications'?")]


def test_a_scenario_key_in_an_experiment_is_sent_under_overrides(tmp_path):
    hint = ("unknown key 'parameters': it is a scenario's key, and an experiment changes its base scenario under "
            "'overrides' (overrides.parameters… in the file, --set overrides.parameters… on the command line)")
    assert problems(BASE + "parameters:\n  decisions:\n    beta_window: 0.0\n", tmp_path) == [
        (11, 1, "parameters", hint)]
    assert problems(BASE, tmp_path, ["parameters.decisions.beta_window=0"]) == [(None, None, "parameters", hint)]
    assert problems(BASE, tmp_path, ["stepz=4"]) == [(None, None, "", "unknown key 'stepz'; did you mean 'steps'?")]
    path = tmp_path / "exp.yaml"
    assert load_experiment(path, ["overrides.parameters.decisions.beta_window=0"]).scenario.parameters.decisions \
        .beta_window == 0


def test_a_grid_refuses_ranges_and_a_sampled_design_needs_samples(tmp_path):
    text = BASE.replace("[0.0, 3.2]", "{low: 0.0, high: 3.2}")
    assert problems(text, tmp_path) == [
        (7, 40, "factors.parameters.decisions.beta_contagion",
         "a grid design needs explicit values: write parameters.decisions.beta_contagion: [a, b, c] instead of a range")]
    assert problems(text + "design:\n  kind: sobol\n  samples: 10\n", tmp_path) == [
        (13, 12, "design.samples", "a Sobol design's base samples must be a power of 2 (Saltelli's scheme), e.g. 16")]
    assert problems(text + "design:\n  kind: morris\n", tmp_path) == [
        (11, 1, "design", "a morris design needs 'samples': how many trajectories")]


def test_unknown_outcomes_and_switches_are_located(tmp_path):
    text = BASE + "keep:\n  at_horizon: [withdrawal_rat]\n"
    assert problems(text, tmp_path) == [
        (12, 16, "keep.at_horizon.0", "'withdrawal_rat' is not an outcome (docs/outputs.md) or a run measure "
                                      "(docs/sweeps.md); did you mean 'withdrawal_rate'?")]
    text = BASE + "design:\n  kind: ablation\n  switches: [leek]\n"
    assert problems(text, tmp_path) == [(13, 14, "design.switches.0", "'leek' is not a switch of the registry; "
                                                                      "did you mean 'leak'?")]


def test_the_command_line_reports_every_problem_with_exit_code_2(tmp_path, capsys):
    path = tmp_path / "exp.yaml"
    path.write_text(BASE.replace("[0.0, 3.2]", "[0.0, 12.5]").replace("replications: 2", "replications: 0"))
    assert main(["sweep", str(path), "--out", str(tmp_path / "out"), "--quiet"]) == 2
    err = capsys.readouterr().err
    assert f"{path}:10:17: seeds.replications: 0 is out of range: it must be between 1 and 100000" in err
    assert (f"{path}:7:46: factors.parameters.decisions.beta_contagion.1: 12.5 is not a value of beta_contagion: "
            "expected at most 10") in err  # in the same pass as the form's problem
    assert "The experiment has 2 problems to fix; nothing was run or written." in err
    assert "Traceback" not in err and not (tmp_path / "out").exists()


# --- designs -------------------------------------------------------------------------------------

def _experiment(text: str):
    return parse_experiment(text, (Path(SCENARIO).parent / "exp.yaml").as_posix())


def test_a_grid_is_every_combination_in_order():
    experiment = _experiment("""scenario: default.yaml
factors:
  parameters.decisions.beta_contagion: [0.0, 3.2]
  parameters.decisions.beta_window: [0.0, 0.35, 0.7]
""")
    design = make_design(experiment)
    assert [tuple(p.values.values()) for p in design.points] == [
        (0.0, 0.0), (0.0, 0.35), (0.0, 0.7), (3.2, 0.0), (3.2, 0.35), (3.2, 0.7)]
    assert design.points[4].parameters == {"beta_contagion": 3.2, "beta_window": 0.35}


def test_an_ablation_turns_each_switch_off_in_turn_after_the_baseline():
    experiment = _experiment("scenario: default.yaml\ndesign:\n  kind: ablation\n  switches: [leak, rejoining]\n")
    design = make_design(experiment)
    assert [p.values["ablated"] for p in design.points] == [BASELINE, "leak", "rejoining"]
    assert [p.parameters for p in design.points] == [{}, {"leak": 0.0}, {"rejoining": False}]


def test_an_ablation_skips_a_switch_the_base_scenario_has_off():
    experiment = _experiment("scenario: default.yaml\noverrides:\n  parameters.institutions.leak: 0.0\n"
                             "design:\n  kind: ablation\n  switches: [leak, rejoining]\n")
    design = make_design(experiment)
    assert [p.values["ablated"] for p in design.points] == [BASELINE, "rejoining"]
    assert design.settings["already_off"] == ["leak"]


@given(n=st.integers(1, 40), d=st.integers(1, 5), seed=st.integers(0, 2**32 - 1))
def test_a_latin_hypercube_uses_each_stratum_of_each_factor_once(n, d, seed):
    units = latin_hypercube(n, d, np.random.default_rng(seed))
    assert units.shape == (n, d) and ((units >= 0) & (units < 1)).all()
    for column in units.T:
        assert sorted(np.floor(column * n).astype(int)) == list(range(n))


@given(u=st.floats(0, 1))
def test_a_factor_maps_the_unit_interval_into_its_range(u):
    ranged = Factor("p", "p", REGISTRY["beta_window"], None, 0.1, 0.3)
    assert 0.1 <= ranged.from_unit(u) <= 0.3
    whole = Factor("p", "p", REGISTRY["threat_interval"], None, 1, 4)
    assert whole.from_unit(u) in (1, 2, 3, 4)
    levels = Factor("p", "p", None, ("a", "b", "c"))
    assert levels.from_unit(u) == "abc"[min(int(u * 3), 2)]
    logged = Factor("p", "p", REGISTRY["access_spillover"], None, 1e-5, 1e-3, True)
    assert 1e-5 <= logged.from_unit(u) <= 1e-3
    assert logged.from_unit(0.5) == pytest.approx(1e-4)


def test_categorical_values_are_sampled_as_levels():
    """A factor listed by values (a categorical strategy parameter, say) takes each value on an
    equal share of a sampled design's coordinates."""
    experiment = _experiment("""scenario: default.yaml
factors:
  parameters.domestic.domestic_politics: [true, false]
  parameters.decisions.beta_window: {low: 0.0, high: 1.0}
design:
  kind: latin_hypercube
  samples: 10
""")
    design = make_design(experiment)
    values = [p.values["domestic_politics"] for p in design.points]
    assert values.count(True) == values.count(False) == 5


def test_sobol_and_morris_designs_have_saltellis_and_morriss_sizes():
    ranges = """scenario: default.yaml
factors:
  parameters.institutions.leak: {low: 0.0, high: 0.2}
  parameters.decisions.beta_window: {low: 0.0, high: 1.0}
  parameters.decisions.threat_interval: {low: 1, high: 4}
"""
    sobol = make_design(_experiment(ranges + "design:\n  kind: sobol\n  samples: 8\n"))
    assert len(sobol) == 8 * (3 + 2) and sobol.units.shape == (40, 3)
    second = make_design(_experiment(ranges + "design:\n  kind: sobol\n  samples: 8\n  second_order: true\n"))
    assert len(second) == 8 * (2 * 3 + 2)
    morris = make_design(_experiment(ranges + "design:\n  kind: morris\n  samples: 5\n  levels: 4\n"))
    assert len(morris) == 5 * (3 + 1)
    assert {p.values["threat_interval"] for p in morris.points} <= {1, 2, 3, 4}


# --- seeds -------------------------------------------------------------------------------------------

@given(root=st.integers(0, 2**63), replications=st.integers(1, 6), point=st.integers(0, 5),
       common=st.booleans(), data=st.data())
def test_a_runs_seed_is_the_roots_spawned_child(root, replications, point, common, data):
    replication = data.draw(st.integers(0, replications - 1))
    key = seed_key(point, replication, replications, common)
    child = np.random.SeedSequence(root).spawn(key[0] + 1)[key[0]]
    made = run_seed(root, key)
    assert made.spawn_key == child.spawn_key
    assert (made.generate_state(4) == child.generate_state(4)).all()


def test_common_random_numbers_pair_replications_across_points():
    experiment = _experiment("""scenario: default.yaml
factors:
  parameters.decisions.beta_contagion: [0.0, 3.2]
seeds: {root: 9, replications: 3, common: true}
""")
    design = make_design(experiment)
    runs = list(plan_runs(design, "h", 9, 3, True, 5))
    assert [r.seed_key for r in runs] == [(0,), (1,), (2,), (0,), (1,), (2,)]
    independent = list(plan_runs(design, "h", 9, 3, False, 5))
    assert [r.seed_key for r in independent] == [(0,), (1,), (2,), (3,), (4,), (5,)]
    assert len({r.run_id for r in runs}) == 6


def test_run_ids_are_content_addressed():
    experiment = _experiment("scenario: default.yaml\nfactors:\n  parameters.decisions.beta_window: [0.0, 0.7]\n")
    design = make_design(experiment)
    first = [r.run_id for r in plan_runs(design, "h", 1, 2, True, 5)]
    assert first == [r.run_id for r in plan_runs(design, "h", 1, 2, True, 5)]
    assert set(first).isdisjoint(r.run_id for r in plan_runs(design, "h", 1, 2, True, 6))
    assert set(first).isdisjoint(r.run_id for r in plan_runs(design, "other", 1, 2, True, 5))


# --- shipped experiments and their schema ------------------------------------------------------------

SHIPPED = sorted((ROOT / "experiments").glob("*.yaml"))


def test_one_experiment_ships_for_each_design_kind():
    kinds = {load_experiment(p).spec.design.kind for p in SHIPPED}
    assert kinds == {"grid", "latin_hypercube", "sobol", "morris", "ablation"}
    assert (ROOT / "experiments" / "quick.yaml") in SHIPPED


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.name)
def test_shipped_experiments_are_valid_against_the_schema(path):
    jsonschema = pytest.importorskip("jsonschema")
    from ruamel.yaml import YAML

    schema = json.loads((ROOT / EXPERIMENT_SCHEMA_PATH).read_text(encoding="utf-8"))
    assert path.read_text().startswith(EXPERIMENT_SCHEMA_COMMENT + "\n")
    jsonschema.validate(YAML(typ="safe").load(path.read_text()), schema)
    assert len(make_design(load_experiment(path))) > 0


def test_committed_experiment_schema_is_what_the_code_generates():
    assert (ROOT / EXPERIMENT_SCHEMA_PATH).read_text(encoding="utf-8") == experiment_json_schema_text(), \
        "experiments/experiment.schema.json is stale: run `python run.py docs`"


def test_the_schema_checks_factor_values_against_the_registry():
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads(experiment_json_schema_text())
    jsonschema.validate({"factors": {"parameters.decisions.beta_contagion": [0, 3.2]}}, schema)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"factors": {"parameters.decisions.beta_contagion": [12.5]}}, schema)


# --- documentation ------------------------------------------------------------------------------------

SECTIONS = {"design": DesignSpec, "seeds": SeedsSpec, "keep": KeepSpec, "report": ReportSpec}


@pytest.mark.parametrize("model", [ExperimentSpec, RangeSpec, *SECTIONS.values()], ids=lambda m: m.__name__)
def test_every_experiment_field_is_described_and_unknown_keys_are_refused(model):
    assert model.model_config.get("extra") == "forbid"
    for name, field in model.model_fields.items():
        assert field.description and "\n" not in field.description, f"{model.__name__}.{name}"


def test_docs_explain_every_key_and_run_measure():
    text = (ROOT / "docs" / "sweeps.md").read_text(encoding="utf-8")
    for key in ExperimentSpec.model_fields:
        assert f"| `{key}` |" in text or key in SECTIONS, key
    for section, model in SECTIONS.items():
        for key in model.model_fields:
            assert f"| `{section}.{key}` |" in text, f"{section}.{key}"
    for name in RUN_MEASURES:
        assert f"| `{name}` | {RUN_MEASURES[name]} |" in text, name
    assert "| `extends` |" in text


def test_a_categorical_registry_parameter_plugs_in_as_a_factor(monkeypatch, tmp_path):
    """A parameter whose values are names (a strategy, say) is a factor by its values: checked by
    the registry's own check, refused as a range, and drawn as levels by a sampled design."""
    from exitsim.parameters import ParameterError
    from exitsim.sweep import experiment as module

    class Choice:
        name, kind, group, low, high, switch, off = "hegemon_strategy", "choice", "strategies", None, None, "", None
        options = ("status_quo", "exit_diplomacy", "inclusive", "exclusive")

        def check(self, value):
            if value not in self.options:
                raise ParameterError(self.name, value, f"one of {', '.join(self.options)}")
            return value

    monkeypatch.setitem(module.PARAMETER_PATHS, "parameters.strategies.hegemon_strategy", Choice())
    grid = _experiment("scenario: default.yaml\nfactors:\n  parameters.strategies.hegemon_strategy: "
                       "[status_quo, exit_diplomacy]\n")
    assert [p.parameters for p in make_design(grid).points] == [{"hegemon_strategy": "status_quo"},
                                                                 {"hegemon_strategy": "exit_diplomacy"}]
    assert problems("scenario: " + SCENARIO + "\nfactors:\n  parameters.strategies.hegemon_strategy: "
                    "[status_quo, exit_diplomcy]\n", tmp_path) == [
        (3, 56, "factors.parameters.strategies.hegemon_strategy.1", "'exit_diplomcy' is not a value of "
         "hegemon_strategy: expected one of status_quo, exit_diplomacy, inclusive, exclusive")]
    assert problems("scenario: " + SCENARIO + "\nfactors:\n  parameters.strategies.hegemon_strategy: "
                    "{low: 0, high: 1}\n", tmp_path) == [
        (3, 3, "factors.parameters.strategies.hegemon_strategy",
         "parameters.strategies.hegemon_strategy takes set values, not a range: list its values")]
    sampled = _experiment("scenario: default.yaml\nfactors:\n  parameters.strategies.hegemon_strategy: "
                          "[status_quo, exit_diplomacy, inclusive, exclusive]\n"
                          "design: {kind: latin_hypercube, samples: 8}\n")
    drawn = [p.values["hegemon_strategy"] for p in make_design(sampled).points]
    assert sorted(drawn) == sorted(Choice.options * 2)


def test_set_can_add_or_replace_a_factor(tmp_path):
    path = tmp_path / "exp.yaml"
    path.write_text(BASE)
    experiment = load_experiment(path, ["factors.parameters.decisions.beta_contagion=[1.0, 2.0, 3.0]",
                                        "factors.parameters.institutions.leak=[0.0, 0.1]"])
    assert [(f.column, f.values) for f in experiment.factors] == [("beta_contagion", (1.0, 2.0, 3.0)),
                                                                   ("leak", (0.0, 0.1))]
    assert problems(BASE, tmp_path, ["factors.parameters.institutions.leak=[0.0, 2.0]"]) == [
        (None, None, "factors.parameters.institutions.leak.1", "2.0 is not a value of leak: expected at most 1")]


def test_an_experiment_extends_another_and_changes_what_differs(tmp_path):
    (tmp_path / "base.yaml").write_text(BASE)
    child = tmp_path / "more.yaml"
    child.write_text("extends: base.yaml\nname: more\nseeds:\n  replications: 10\n")
    experiment = load_experiment(child)
    assert (experiment.name, experiment.spec.seeds.replications, experiment.spec.seeds.root) == ("more", 10, 4)
    assert set(experiment.text) == {str(child), str(tmp_path / "base.yaml")}
    child.write_text("extends: bse.yaml\n")
    with pytest.raises(ScenarioError) as caught:
        load_experiment(child)
    assert [(p.line, p.col, p.message) for p in caught.value.problems] == [
        (1, 10, "cannot read 'bse.yaml': no such file (more.yaml → bse.yaml)")]


def test_the_sizes_docs_sweeps_gives_the_shipped_experiments_are_their_designs():
    """The table of shipped experiments in docs/sweeps.md: "N points × R" (or "N × R", "N points")
    is each design's number of points and its replications."""
    import re

    table = (ROOT / "docs" / "sweeps.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\| `experiments/([a-z_0-9]+)\.yaml` \| [A-Za-z ]+, (\d+)(?: points)?(?: × (\d+))? \|",
                      table, flags=re.M)
    assert len(rows) >= 10
    for name, points, replications in rows:
        experiment = load_experiment(ROOT / "experiments" / f"{name}.yaml")
        assert (len(make_design(experiment)), experiment.spec.seeds.replications) == \
            (int(points), int(replications or 1)), name


def test_a_switch_that_also_takes_a_word_lists_true_and_false_among_its_values(tmp_path):
    assert problems(BASE + "keep:\n  events: strategical\n", tmp_path) == [
        (12, 11, "keep.events", "'strategical' is not one of the allowed values: true, false, strategic; "
                                "did you mean 'strategic'?")]


def test_a_strategy_factor_in_a_world_without_great_powers_is_located(tmp_path):
    world = tmp_path / "nr.yaml"
    world.write_text("name: nr\nsteps: 5\ngenerate: {states: 8, organizations: 4, hegemon: false}\n")
    text = (f"scenario: {world.as_posix()}\nsteps: 2\nfactors:\n"
            "  parameters.strategies.hegemon_strategy: [status_quo, exit_diplomacy]\n")
    assert problems(text, tmp_path) == [
        (4, 3, "factors.parameters.strategies.hegemon_strategy",
         "exit_diplomacy is a great power's strategy, but this world has no hegemon and no rising power: give states "
         "role: hegemon and role: rising, or leave hegemon_strategy at status_quo")]
    assert len(load_experiment_text(text.replace(", exit_diplomacy", ""), tmp_path).factors) == 1  # idle: fine


def load_experiment_text(text: str, tmp_path: Path):
    path = tmp_path / "exp_ok.yaml"
    path.write_text(text, encoding="utf-8")
    return load_experiment(path)


def test_a_misspelt_key_and_misspelt_factors_are_reported_in_one_pass(tmp_path):
    text = BASE.replace("beta_contagion: [0.0, 3.2]", "beta_contagon: [0.0, 3.2]\n  beta_window: [0.0, 0.7]\n"
                        "  parameters.decisions.baseline_notice: [99]").replace("replications: 2", "replication: 2")
    assert [(p[2], p[3]) for p in problems(text, tmp_path)] == [
        ("factors.parameters.decisions.beta_contagon", "unknown factor 'parameters.decisions.beta_contagon': no such "
                                                       "parameter; did you mean 'parameters.decisions.beta_contagion'?"),
        ("factors.beta_window", "unknown factor 'beta_window': name a parameter as --set does, "
                                "'parameters.decisions.beta_window'"),
        ("factors.parameters.decisions.baseline_notice.0", "99 is not a value of baseline_notice: expected at most 5"),
        ("seeds.replication", "unknown key 'replication'; did you mean 'replications'?")]
