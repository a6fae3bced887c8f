"""Phase 1 of a step: domestic politics (MODEL.md §4.9) inside the model."""

import numpy as np

from exitsim import ExitModel, Scenario


def two_states(**state_changes) -> Scenario:
    states = [{"code": "DEM", "power": 2.0, "democracy": 0.9, "election_phase": 1, "nativism": 0.5},
              {"code": "AUT", "power": 1.0, "democracy": 0.0, "nativism": 0.5}]
    states[0] |= state_changes
    return Scenario.model_validate({"name": "two", "start_year": 2025, "steps": 12, "states": states,
                                    "parameters": {"domestic": {"autocratic_hazard": 0.0}}})


def test_democracies_hold_elections_every_period_at_their_phase():
    model = ExitModel(two_states()).run()
    years = [e.year for e in model.events if e.kind == "turnover"]
    assert years == [2029, 2033, 2037]  # (year − 1) divisible by 4, from 2026 to 2037
    assert all(e.state == "DEM" for e in model.events)


def test_a_window_is_open_in_the_turnover_year_and_the_next():
    model = ExitModel(two_states())
    opened = []
    for _ in range(8):
        model.step()
        opened.append(bool(model.window_open()[model.world.state_index("DEM")]))
    # years 2026 … 2033: elections in 2029 and 2033
    assert opened == [False, False, False, True, True, False, False, True]


def test_nativism_stays_in_the_unit_interval_and_moves():
    model = ExitModel(two_states(nativism=0.99), parameters={"nativism_noise": 0.5})
    series = []
    for _ in range(12):
        model.step()
        series.append(model.world.nativism.copy())
    series = np.array(series)
    assert np.all((series >= 0) & (series <= 1)) and series.std() > 0


def test_turnover_count_is_collected():
    model = ExitModel(two_states()).run()
    frame = model.datacollector.get_model_vars_dataframe()
    assert frame["turnovers"].sum() == 3
    assert frame.loc[frame.year == 2029, "turnovers"].item() == 1



def test_a_scheduled_government_in_an_election_year_replaces_the_election():
    """One change of government a year: the timeline's replaces the election of that year (no
    second turnover, in the events or in the counts); the other elections are untouched."""
    scenario = two_states().model_dump()
    scenario["timeline"] = [{"year": 2029, "kind": "government", "state": "DEM", "value": "nativist"}]
    model = ExitModel(Scenario.model_validate(scenario)).run()
    turnovers = [(e.year, e.detail.split(":")[0]) for e in model.events if e.kind == "turnover"]
    assert turnovers == [(2029, "scheduled"), (2033, "election"), (2037, "election")]
    frame = model.datacollector.get_model_vars_dataframe()
    counts = frame.set_index("year")["turnovers"]
    assert counts.sum() == 3 and counts[2029] == counts[2033] == counts[2037] == 1
