"""`validate` finds everything `run` would refuse or waste about a scenario file, located at its
line: timeline events that need a membership the state lacks, worlds without organizations,
organizations too small to outlive their first year."""

import pytest
from scenario_texts import TINY, write

from exitsim import ExitModel
from exitsim.cli import main
from exitsim.scenario import Scenario, ScenarioError, load_scenario, parse_scenario
from exitsim.timeline import ScheduledEvent, TimelineError

FOUR = TINY.replace("  - code: CHN\n", "  - code: IND\n    power: 2\n  - code: CHN\n")  # IND: in no organization


def problems(text: str, overrides=None) -> list[tuple]:
    with pytest.raises(ScenarioError) as caught:
        parse_scenario(text, "s.yaml", overrides)
    return [(p.line, p.col, p.path, p.message) for p in caught.value.problems]


@pytest.mark.parametrize(("kind", "message"), [
    ("notice", "IND is not a member of WHO: a notice needs a membership to act on"),
    ("threat", "IND is not a member of WHO: a threat needs a membership to act on"),
    ("withhold_dues\n    value: 0.5", "IND is not a member of WHO: withholding dues needs a membership to act on"),
])
def test_a_timeline_event_by_a_non_member_is_located_at_its_state(kind, message):
    text = FOUR.replace("    state: USA\n", "    state: IND\n").replace("kind: notice", f"kind: {kind}")
    line = 27 if "value" in kind else 26
    assert problems(text) == [(line, 12, "timeline.0.state", message)]


def test_a_rejoin_by_a_non_member_is_fine():
    text = FOUR.replace("    state: USA\n", "    state: IND\n").replace("kind: notice", "kind: rejoin")
    assert parse_scenario(text, "s.yaml").timeline[0].kind == "rejoin"


def test_validate_and_run_agree_on_a_non_member_notice(tmp_path, capsys):
    path = write(tmp_path, FOUR.replace("    state: USA\n", "    state: IND\n"))
    assert main(["validate", str(path)]) == 2
    assert main(["run", str(path), "--quiet", "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert err.count(f"{path}:26:12: timeline.0.state: IND is not a member of WHO") == 2
    assert not (tmp_path / "out").exists()


def test_the_model_still_refuses_a_non_member_event_given_in_python():
    scenario = load_scenario(overrides=None)  # the default: generated states S01 … and organizations O01 …
    model = ExitModel(scenario, steps=2)
    outsider = next(code for code in model.world.state_code if model.world.row_of(code, "O01") < 0)
    with pytest.raises(TimelineError, match=f"{outsider} is not a member of O01: a notice needs a membership"):
        ExitModel(scenario, steps=2, timeline=[ScheduledEvent(2026, "notice", outsider, "O01")])


# --- organizations ---------------------------------------------------------------------------------

def test_an_organization_with_fewer_members_than_death_members_is_located():
    text = TINY.replace("members: [USA, GBR, CHN]", "members: [USA]")
    assert problems(text) == [
        (17, 14, "organizations.0.members",
         "WHO has 1 member: an organization with fewer than 3 members (the death_members parameter) dies in the "
         "first year; list at least 3, or lower parameters.life_cycle.death_members")]


def test_smaller_organizations_are_fine_when_death_members_allows_them():
    text = TINY.replace("members: [USA, GBR, CHN]", "members: [USA, GBR]")
    assert problems(text)[0][2] == "organizations.0.members"
    assert parse_scenario(text, "s.yaml", ["parameters.life_cycle.death_members=2"]).organizations[0].members == [
        "USA", "GBR"]
    assert parse_scenario(text.replace("members: [USA, GBR]", "members: [USA]"), "s.yaml",
                          ["parameters.life_cycle.death_members=0"]).organizations[0].members == ["USA"]


def test_generated_organizations_too_small_point_at_min_members():
    text = ("steps: 3\ngenerate:\n  states: 6\n  organizations: 8\n  memberships_per_state: 1\n"
            "  min_memberships: 1\n  min_members: 1\n")
    assert problems(text) == [
        (7, 16, "generate.min_members",
         "generated organizations would have fewer than 3 members: an organization with fewer than 3 members (the "
         "death_members parameter) dies in the first year; raise generate.min_members to 3")]
    assert parse_scenario(text.replace("min_members: 1", "min_members: 3"), "s.yaml").generate.min_members == 3


def test_a_generated_world_with_too_few_states_for_its_organizations_says_so():
    text = "steps: 3\ngenerate:\n  states: 2\n  organizations: 2\n"
    assert problems(text) == [
        (2, 1, "generate.min_members",
         "generated organizations would have fewer than 3 members: an organization with fewer than 3 members (the "
         "death_members parameter) dies in the first year; only 2 states are generated, so raise generate.states "
         "to 3 or lower parameters.life_cycle.death_members to at most 2")]


@pytest.mark.parametrize(("text", "where"), [
    ("steps: 3\ngenerate:\n  states: 2\n  organizations: 0\n", (4, 18, "generate.organizations")),
    ("steps: 3\ngenerate:\n  states: 4\n", (2, 1, "generate.organizations")),
    (TINY.split("organizations:")[0], (1, 1, "organizations")),  # no key to point at: the top
])
def test_a_world_without_organizations_is_refused(text, where):
    message = ("a scenario needs at least 1 organization for its states to belong to (listed under organizations, "
               "or generated with generate.organizations); it has none")
    assert problems(text) == [(*where, message)]


def test_a_generated_value_out_of_its_range_names_the_settings_that_drew_it():
    text = "steps: 3\ngenerate:\n  states: 30\n  organizations: 3\n  growth_mean: 0.5\n  growth_sd: 0.5\n"
    [(line, col, where, message)] = problems(text)
    assert (line, col, where) == (5, 16, "generate.growth_mean")
    assert message.startswith("cannot generate this world: a generated state's growth would be 0.")
    assert message.endswith(", but it must be less than or equal to 0.5; change generate.growth_mean, "
                            "generate.growth_sd, generate.hegemon_growth, generate.rising_growth")


def test_the_model_says_the_same_of_a_generated_value_out_of_range():
    scenario = Scenario.model_validate({"steps": 3, "generate": {"states": 30, "organizations": 3,
                                                                 "growth_mean": 0.5, "growth_sd": 0.5}})
    with pytest.raises(ScenarioError, match=r"^generate.growth_mean: cannot generate this world: a generated "
                                            r"state's growth would be 0\.\d+, but it must be less than"):
        ExitModel(scenario)


@pytest.mark.parametrize(("text", "where", "message"), [
    ("steps: 3\ngenerate:\n  organizations: 4\n", (2, 1, "generate"),
     "a scenario needs at least 2 states, it has 0: this generate block makes none, so give it states (e.g. states: "
     "60) or list states under states"),
    ("steps: 3\norganizations: []\n", (1, 1, "states"),
     "a scenario needs at least 2 states, it has 0: list them under states, or generate them (generate: with "
     "states: 60)"),
])
def test_a_world_without_states_is_one_problem_that_says_where_states_come_from(text, where, message):
    assert problems(text) == [(*where, message)]  # not also "no organizations": without states there can be none


def test_too_few_generated_states_counts_only_the_generated_ones():
    """Listed states do not join generated organizations: 2 generated states cannot fill them,
    however many are listed."""
    text = ("steps: 3\ngenerate:\n  states: 2\n  organizations: 2\n  hegemon: false\nstates:\n"
            + "".join(f"  - {{code: L{i}, power: 1}}\n" for i in range(3)))
    assert [p[3] for p in problems(text)] == [
        "generated organizations would have fewer than 3 members: an organization with fewer than 3 members (the "
        "death_members parameter) dies in the first year; only 2 states are generated, so raise generate.states to 3 "
        "or lower parameters.life_cycle.death_members to at most 2"]


def test_more_members_than_generated_states_is_said_not_capped():
    text = "steps: 3\ngenerate: {states: 3, organizations: 2, min_members: 10, hegemon: false}\n"
    assert problems(text) == [
        (2, 54, "generate.min_members", "generated organizations cannot have 10 members: only 3 states are generated "
                                        "(their members come from them); make it 3 or less, or generate more states")]
