"""The real-world scenarios (world_2017.yaml, cold_war_1949.yaml): they validate, their
organizations' rules are exactly those of withdrawal_clauses.csv, their timelines schedule
changes of government and nothing else, their powers are the documented GDP shares, and they
use the calibrated profile."""

import re
from pathlib import Path

import pytest

from exitsim.clauses import load_templates
from exitsim.cli import main
from exitsim.scenario import load_scenario

ROOT = Path(__file__).resolve().parent.parent
REAL = [ROOT / "scenarios" / "world_2017.yaml", ROOT / "scenarios" / "cold_war_1949.yaml"]
TEMPLATES = {t.abbreviation: t for t in load_templates()}


@pytest.fixture(scope="module", params=REAL, ids=lambda p: p.stem)
def scenario(request):
    return load_scenario(request.param)


def test_the_real_scenarios_validate_on_the_command_line(capsys):
    assert main(["validate", *map(str, REAL)]) == 0
    assert capsys.readouterr().out.count(": OK") == 2


def test_every_organization_has_the_rules_of_its_row_of_withdrawal_clauses_csv(scenario):
    assert scenario.organizations
    for organization in scenario.organizations:
        row = TEMPLATES[organization.code]
        assert organization.template == row.abbreviation
        assert organization.name == row.organization
        assert (organization.issue_area, organization.founded, organization.voting, organization.institutionalization,
                organization.cap) == (row.issue_area, row.founded, row.voting, row.institutionalization, row.cap)
        assert organization.clause.model_dump() == row.clause.to_dict(), organization.code


def test_the_world_of_2017_has_every_organization_of_the_csv():
    assert {o.code for o in load_scenario(REAL[0]).organizations} == set(TEMPLATES)


def test_the_cold_war_has_the_organizations_founded_by_1949():
    founded = {code for code, t in TEMPLATES.items() if t.founded <= 1949 and code != "UNHRC"}
    assert {o.code for o in load_scenario(REAL[1]).organizations} == founded


def test_the_timelines_schedule_changes_of_government_and_no_exit_threat_or_notice(scenario):
    assert scenario.timeline
    assert {event.kind for event in scenario.timeline} == {"government"}


def test_the_world_of_2017_schedules_only_the_united_states_in_2017_2021_and_2025():
    timeline = load_scenario(REAL[0]).timeline
    assert [(e.year, e.month, e.state, e.value) for e in timeline] == [
        (2017, 1, "USA", "nativist"), (2021, 1, "USA", "internationalist"), (2025, 1, "USA", "nativist")]


def test_the_states_of_2017_have_the_gdp_shares_of_world_facts():
    text = (ROOT / "docs" / "world_facts.md").read_text(encoding="utf-8")
    paragraph = text[text.index("GDP shares of world output, 2016"):]
    shares = {name: float(share) for name, share in re.findall(r"([A-Z][a-z]+(?: [A-Z][a-z]+)?) (\.\d{3})",
                                                                 paragraph[: paragraph.index("Real growth")])}
    states = {s.name: s.power for s in load_scenario(REAL[0]).states}
    assert len(shares) == 20
    assert states == {name: pytest.approx(100 * share) for name, share in shares.items()}


def test_the_united_states_leads_china_and_the_generated_states_share_the_rest_of_world_output():
    from exitsim.scenario import all_specs

    scenario = load_scenario(REAL[0])
    states, _ = all_specs(scenario)
    named = {s.code: s for s in scenario.states}
    assert named["USA"].role == "hegemon" and named["CHN"].role == "rising"
    generated = [s.power for s in states if s.code not in named]
    assert len(generated) == 173
    assert sum(generated) == pytest.approx(100 - sum(s.power for s in scenario.states))


def test_the_real_scenarios_use_the_calibrated_intercepts(scenario):
    from ruamel.yaml import YAML

    fitted = YAML(typ="safe").load((ROOT / "scenarios" / "profiles" / "calibrated.yaml").read_text(
        encoding="utf-8"))["parameters"]["decisions"]
    assert fitted["baseline_notice"] != -10 and fitted["baseline_threat"] != -9  # not the registry's
    assert (scenario.params().baseline_notice, scenario.params().baseline_threat) == (
        fitted["baseline_notice"], fitted["baseline_threat"])


@pytest.mark.parametrize("organization, month, effective", [
    ("UNESCO", 10, "effective 2018-12"),  # Art. II(6): 31 December of the year after; the real notice of October 2017
    ("ILO", 3, "effective 2019-03"),      # two years after the notice
    ("IWC", 12, "effective 2018-06"),     # on 30 June after the next 1 January
])
def test_a_notice_in_the_world_of_2017_names_real_codes_and_its_clauses_date_to_the_month(organization, month,
                                                                                           effective):
    from exitsim import ExitModel
    from exitsim.timeline import ScheduledEvent

    model = ExitModel(load_scenario(REAL[0]), steps=1,
                      timeline=[ScheduledEvent(2017, "notice", "USA", organization, month=month)]).run()
    events = model.events.to_frame()
    notice = events[(events.kind == "notice") & (events.state == "USA") & (events.organization == organization)]
    assert len(notice) == 1
    assert (notice.year.iloc[0], notice.month.iloc[0], notice.detail.iloc[0].split(";")[0]) == (2017, month, effective)
