"""Every shipped scenario (scenarios/*.yaml) validates, runs and matches the JSON Schema; the
classroom scenario's timeline and reservation do what its comments say."""

import json
from pathlib import Path

import numpy as np
import pytest
from ruamel.yaml import YAML

from exitsim import ExitModel, build_world, load_scenario
from exitsim.reference import SCHEMA_COMMENT, SCHEMA_PATH
from exitsim.scenario import Scenario, resolve_world_specs

ROOT = Path(__file__).resolve().parent.parent
SCENARIOS = sorted((ROOT / "scenarios").glob("*.yaml"))
CLASSROOM = ROOT / "scenarios" / "classroom.yaml"


def _plain(path):
    return YAML(typ="safe").load(path.read_text(encoding="utf-8"))


def test_the_shipped_scenarios_are_there():
    assert {"default", "world", "classroom", "bipolar"} <= {p.stem for p in SCENARIOS}


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.name)
def test_scenario_starts_with_the_schema_comment(path):
    assert path.read_text(encoding="utf-8").splitlines()[0] == SCHEMA_COMMENT


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.name)
def test_scenario_validates_and_runs_a_few_steps(path):
    scenario = load_scenario(path)
    resolve_world_specs(scenario)  # the cross-field checks, at the file's own length
    # The loader rejects timeline events outside the run, so a shortened run keeps only its own years.
    last = scenario.start_year + 3
    short = scenario.model_copy(update={"timeline": [e for e in scenario.timeline if e.year <= last]})
    model = ExitModel(short, steps=3).run()
    assert len(model.datacollector.get_model_vars_dataframe()) == 4


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.name)
def test_explicit_organizations_have_at_least_three_members(path):
    for organization in load_scenario(path).organizations:
        assert len(organization.members) >= 3, f"{organization.code} would die in the first year"


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.name)
def test_scenario_matches_the_json_schema(path):
    schema = json.loads((ROOT / SCHEMA_PATH).read_text(encoding="utf-8"))
    data = _plain(path)
    try:
        import jsonschema
    except ImportError:  # without jsonschema: the schema at least knows every key used and every key there is
        assert set(Scenario.model_fields) <= set(schema["properties"])
        assert set(data) <= set(schema["properties"])
        return
    errors = [f"{'.'.join(map(str, e.absolute_path))}: {e.message}"
              for e in jsonschema.Draft7Validator(schema).iter_errors(data)]
    assert not errors, "\n".join(errors)


@pytest.fixture(scope="module")
def classroom_run():
    return ExitModel(load_scenario(CLASSROOM)).run()


def test_classroom_timeline_exits_happen(classroom_run):
    events = classroom_run.events.to_frame()
    notices = [e for e in load_scenario(CLASSROOM).timeline if e.kind == "notice"]
    assert notices, "the classroom timeline should make a leading state leave an organization"
    for e in notices:
        mine = events[(events.state == e.state) & (events.organization == e.organization) & (events.year >= e.year)]
        assert set(mine.kind) & {"notice", "withdrawal"}, f"no notice or withdrawal of {e.state} from {e.organization}"
    paris = events[(events.state == "USA") & (events.organization == "Paris")]
    assert {"notice", "withdrawal"} <= set(paris.kind)


def test_classroom_who_reservation_is_loaded():
    world = build_world(load_scenario(CLASSROOM))
    ms = world.memberships
    k = world.org_index("WHO")
    usa = world.state_index("USA")
    rows = np.flatnonzero(ms.org == k)
    held = {world.state_code[ms.state[r]]: int(ms.reservation[r]) for r in rows}
    assert held.pop("USA") >= 0
    assert all(v == -1 for v in held.values())  # only the United States holds one
    row = rows[ms.state[rows] == usa][0]
    clause = world.reservations[ms.reservation[row]]
    assert clause["kind"] == "explicit" and clause["effective"] == "months_after:12"
    assert clause["arrears_block_effect"]


def test_classroom_power_is_the_documented_gdp_shares():
    states = {s.code: s for s in load_scenario(CLASSROOM).states}
    assert states["USA"].role == "hegemon" and states["CHN"].role == "rising"
    assert states["USA"].power == pytest.approx(24.6) and states["CHN"].power == pytest.approx(14.8)
    assert "GDP share of world output, 2016" in CLASSROOM.read_text(encoding="utf-8")


def test_the_bipolar_order_is_what_its_header_says():
    """bipolar.yaml's header: every membership is worth keeping except each pole's own defence
    pact, whose commitments it pays, and Meridia's Non-Aligned Forum; the organizations spanning
    both blocs have no leader."""
    from exitsim.phases import evaluation

    model = ExitModel(ROOT / "scenarios" / "bipolar.yaml")
    world, flows = model.world, model.flows
    utility = evaluation.run(model.context()).utility
    states = np.asarray(world.state_code)[flows.state]
    orgs = np.asarray(world.org_code)[flows.org]
    negative = sorted(zip(states[utility <= 0], orgs[utility <= 0], strict=True))
    assert negative == [("EST", "EDP"), ("MER", "NAF"), ("WST", "WDP")]
    assert all(flows.leader[world.org_index(k)] == -1 for k in ("WA", "WHB", "WTB", "CLA"))
