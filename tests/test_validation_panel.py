"""The replication's panel (exitsim/validation/panel.py): rows, the dependent variable, the
contagion lag and the at-risk sets, on a hand-made event log; and on real runs, the panel's
at-risk rows and notices are exactly the model's at_risk and notices of every year."""

import numpy as np
import pandas as pd
import pytest

from exitsim import ExitModel, load_scenario
from exitsim.validation.panel import REGRESSORS, build_panel, case_control, run_panel, year_snapshot


def _snapshot(year, rows, lead):
    """Rows at risk in ``year``: (state, organization) pairs; ``lead`` maps organization -> lead state."""
    return pd.DataFrame([{"year": year, "state": s, "organization": k, "lead_state": lead[k], "divergence": 0.0}
                         for s, k in rows])


def _events(*rows):
    return pd.DataFrame(rows, columns=["year", "kind", "state", "organization"])


@pytest.fixture
def hand_made():
    """Three states in two organizations. USA leads both. In 2001 USA gives notice to A (so its
    row in A is not at risk in 2002 or after); in 2002 FRA gives notice to A and walks out of B
    (a walk-out is not a notice); a threat is not a notice either."""
    lead = {"A": "USA", "B": "USA"}
    snapshots = pd.concat([
        _snapshot(2001, [("USA", "A"), ("FRA", "A"), ("IND", "A"), ("USA", "B"), ("FRA", "B")], lead),
        _snapshot(2002, [("FRA", "A"), ("IND", "A"), ("USA", "B"), ("FRA", "B")], lead),
        _snapshot(2003, [("IND", "A"), ("USA", "B")], lead),
    ], ignore_index=True)
    events = _events((2001, "notice", "USA", "A"), (2001, "threat", "FRA", "B"), (2002, "notice", "FRA", "A"),
                     (2002, "walkout", "FRA", "B"), (2003, "turnover", "IND", ""))
    return build_panel(snapshots, events)


def test_the_panel_has_one_row_per_member_year_at_risk_in_the_snapshots_order(hand_made):
    assert list(zip(hand_made.year, hand_made.state, hand_made.organization, strict=True)) == [
        (2001, "USA", "A"), (2001, "FRA", "A"), (2001, "IND", "A"), (2001, "USA", "B"), (2001, "FRA", "B"),
        (2002, "FRA", "A"), (2002, "IND", "A"), (2002, "USA", "B"), (2002, "FRA", "B"),
        (2003, "IND", "A"), (2003, "USA", "B")]


def test_only_lawful_notices_are_events_in_their_announcement_year(hand_made):
    events = hand_made[hand_made.notice == 1][["year", "state", "organization"]].values.tolist()
    assert events == [[2001, "USA", "A"], [2002, "FRA", "A"]]  # not the threat, not the walk-out


def test_contagion_is_the_lead_states_notice_to_the_same_organization_the_year_before(hand_made):
    exposed = hand_made[hand_made.contagion == 1][["year", "state", "organization"]].values.tolist()
    # USA (A's lead) gave notice to A in 2001: A's other members are exposed in 2002 only, and
    # nobody in B; FRA's notice of 2002 is not a lead state's
    assert exposed == [[2002, "FRA", "A"], [2002, "IND", "A"]]


def test_a_notice_outside_the_rows_at_risk_is_refused(hand_made):
    snapshots = _snapshot(2001, [("USA", "A")], {"A": "USA"})
    with pytest.raises(ValueError, match="FRA to A in 2001 is not among the rows at risk"):
        build_panel(snapshots, _events((2001, "notice", "FRA", "A")))


def test_case_control_keeps_every_event_and_the_share_of_controls_with_the_population_counts():
    panel = pd.DataFrame({"notice": [0] * 95 + [1] * 5, "x": np.arange(100)})
    sample = case_control(panel, 0.2, np.random.default_rng(1))
    assert sample.notice.sum() == 5 and (sample.notice == 0).sum() == 19  # round(0.2 × 95)
    assert (sample.population_rows == 100).all() and (sample.population_events == 5).all()
    assert sample.x.is_monotonic_increasing  # in the panel's order
    with pytest.raises(ValueError, match=r"share of controls kept must be in \(0, 1\]"):
        case_control(panel, 0.0, np.random.default_rng(1))


@pytest.mark.parametrize("path, seed", [("scenarios/default.yaml", 3), ("scenarios/classroom.yaml", 7)])
def test_the_panel_of_a_run_is_the_models_own_at_risk_set_and_notices(path, seed):
    model = ExitModel(load_scenario(path), seed=seed, collect_states=False)
    panel = run_panel(model)
    frame = model.datacollector.get_model_vars_dataframe().set_index("year").iloc[1:]
    by_year = panel.groupby("year").agg(rows=("notice", "size"), notices=("notice", "sum"))
    by_year = by_year.reindex(frame.index, fill_value=0)
    assert (by_year.rows == frame.at_risk).all()
    assert (by_year.notices == frame.notices).all()
    assert frame.notices.sum() > 0
    assert set(REGRESSORS) <= set(panel.columns)
    assert np.isfinite(panel[list(REGRESSORS)].to_numpy(float)).all()


def test_a_snapshot_measures_divergence_from_the_other_members_and_the_lead_state():
    model = ExitModel(load_scenario("scenarios/classroom.yaml"))
    rows = year_snapshot(model).set_index(["state", "organization"])
    world = model.world
    members = ["USA", "CAN", "GBR", "FRA", "ITA", "DEU"]  # NATO
    x = {code: world.ideal_point[world.state_index(code), 0] for code in members}
    others = np.mean([x[c] for c in members if c != "FRA"])
    assert rows.loc[("FRA", "NATO"), "divergence"] == pytest.approx(abs(x["FRA"] - others))
    assert rows.loc[("FRA", "NATO"), "lead_state"] == "USA"
    assert rows.loc[("FRA", "NATO"), "log_size"] == pytest.approx(np.log(6))
    assert ("USA", "UNHRC") not in rows.index  # a non-treaty body: never at risk of a treaty withdrawal
