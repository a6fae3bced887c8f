"""Outputs for analysis (docs/outputs.md): organizations.csv, the role in states.csv, the
membership's value, exposure, discount and arrears in memberships.csv, run.json's dirty flag."""

import json
import subprocess

import numpy as np
import pandas as pd

from exitsim import ExitModel
from exitsim.cli import main
from exitsim.outcomes import ORGANIZATION_PANEL_COLUMNS
from exitsim.outputs import git_dirty
from exitsim.phases import evaluation
from exitsim.timeline import ScheduledEvent


def test_the_organization_panel_has_each_organization_each_year():
    model = ExitModel("scenarios/classroom.yaml", steps=4).run()  # 2016–2020
    panel = model.organization_panel()
    assert list(panel.columns) == list(ORGANIZATION_PANEL_COLUMNS)
    assert panel.groupby("year").size().tolist() == [8] * 5
    last = panel[panel.year == 2020].set_index("organization")
    assert last.loc["WHO", "clause_kind"] == "implied" and last.loc["UNHRC", "clause_kind"] == "non_treaty"
    assert last.loc["IMF", "voting"] == "weighted" and last.loc["NATO", "issue_area"] == "security"
    assert last.loc["Paris", "founded"] == 2016 and last.loc["UNHRC", "members"] == 7  # the US left in 2018
    np.testing.assert_array_equal(last["members"], model.world.member_counts())
    np.testing.assert_allclose(last["need"], model.flows.need)
    np.testing.assert_allclose(last["collected"], model.flows.collected)
    np.testing.assert_allclose(last["performance"], model.world.quality)
    leaders = [model.world.state_code[i] if i >= 0 else "" for i in model.flows.leader]
    assert last["leader"].fillna("").tolist() == leaders
    assert set(last["status"]) <= {"alive", "zombie", "dead"} and not last["club"].any()


def test_an_organization_founded_this_year_has_no_flows_yet():
    model = ExitModel(steps=2, parameters={"founding_rate": 1.0}).run()
    panel = model.organization_panel()
    new = panel[(panel.year == 2027) & (panel.founded == 2027)]
    assert len(new) > 0
    assert (new["collected"] == 0).all() and (new["leader"].fillna("") == "").all() and (new["need"] > 0).all()


def test_states_carry_their_role():
    states = ExitModel("scenarios/classroom.yaml", steps=1).run().datacollector.get_agent_vars_dataframe()
    roles = states[states.step == 0].set_index("state")["role"]
    assert (roles["USA"], roles["CHN"], roles["JPN"], roles["IND"]) == ("hegemon", "rising", "ally", "other")


def test_the_membership_panel_gives_each_membership_s_value_exposure_discount_and_arrears():
    model = ExitModel("scenarios/classroom.yaml", steps=3,
                      timeline=[ScheduledEvent(2017, "withhold_dues", "BRA", "WHO", value=0.5)])
    start = model.membership_panel()
    np.testing.assert_allclose(start["value"], evaluation.run(model.context()).utility)
    model.run()
    panel = model.membership_panel().set_index(["state", "organization"])
    np.testing.assert_allclose(panel["value"], model.evaluation.utility)
    assert panel.loc[("BRA", "WHO"), "arrears"] > 0
    rows = model.flows.rows
    ms = model.world.memberships
    np.testing.assert_allclose(panel["exposure"], ms.exposure[rows])
    np.testing.assert_allclose(panel["discount"], ms.discount[rows])


def test_git_dirty_tells_a_clean_tree_from_a_changed_one(tmp_path):
    def git(*args):
        subprocess.run(["git", *args], cwd=tmp_path, check=True, capture_output=True)

    assert git_dirty(tmp_path) is None  # not a repository
    git("init", "-q")
    (tmp_path / "a.py").write_text("x = 1\n")
    git("add", "a.py")
    git("-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q", "-m", "a")
    assert git_dirty(tmp_path) is False
    (tmp_path / "a.py").write_text("x = 2\n")
    assert git_dirty(tmp_path) is True


def test_a_run_writes_organizations_csv_and_the_dirty_flag(tmp_path):
    out = tmp_path / "out"
    assert main(["run", "--steps", "2", "--out", str(out), "--quiet"]) == 0
    record = json.loads((out / "run.json").read_text())
    assert record["git_dirty"] == git_dirty()
    organizations = pd.read_csv(out / "organizations.csv")
    assert list(organizations.columns) == list(ORGANIZATION_PANEL_COLUMNS) and len(organizations) == 3 * 40
