"""A tab's session: its run, interventions, parameter settings, edits, and the inspector's table."""

from pathlib import Path

import numpy as np
import pytest

from exitsim.dashboard.inspector import memberships_of
from exitsim.dashboard.network import (
    EDGE_STYLES,
    MAX_ORGANIZATIONS,
    NetworkFigure,
    extend_layout,
    layout,
    shown_organizations,
)
from exitsim.dashboard.session import CONTROL_GROUPS, Session, control_groups, problems_of
from exitsim.loading import ScenarioError
from exitsim.parameters import REGISTRY, ParameterError
from exitsim.timeline import TimelineError
from exitsim.world import NOTICE

SCENARIOS = Path(__file__).resolve().parents[2] / "scenarios"


@pytest.fixture
def session():
    return Session(SCENARIOS, "classroom")


def test_every_control_is_a_registry_parameter():
    assert all(name in REGISTRY for names in CONTROL_GROUPS.values() for name in names)
    assert [p.name for p in control_groups()["Contagion"]] == list(CONTROL_GROUPS["Contagion"])


def test_a_session_starts_the_default_scenario_when_none_is_named():
    assert Session(SCENARIOS).scenario.name == "default"


def test_step_advances_the_year_and_stops_at_the_end(session):
    for _ in range(session.model.n_steps):
        assert session.step()
    assert session.model.year == 2050 and session.finished
    assert not session.step()
    with pytest.raises(TimelineError, match="the run ended in 2050; press Reset to start again"):
        session.intervene("notice", "USA", "WHO")


def test_an_intervention_acts_in_the_next_year(session):
    session.step()
    event = session.intervene("notice", "CHN", "UNESCO")
    assert (event.year, session.model.year) == (2018, 2018)
    model = session.model
    assert model.world.memberships.status[model.world.row_of("CHN", "UNESCO")] == NOTICE
    assert session.notes[-1] == (2018, "intervention: CHN gives notice to UNESCO")


def test_interventions_name_only_organizations_they_can_act_on(session):
    assert "NATO" not in session.targets("notice", "CHN")
    assert session.targets("rejoin", "CHN") == ["NATO"]
    assert session.targets("nativist", "CHN") == []
    session.intervene("notice", "CHN", "UNESCO")
    assert "UNESCO" not in session.targets("threat", "CHN")


def test_a_parameter_acts_from_the_next_year_and_survives_reset(session):
    session.set_parameter("beta_contagion", 0)
    assert session.model.params.beta_contagion == 0.0
    session.reset()
    assert session.model.params.beta_contagion == 0.0
    with pytest.raises(ParameterError, match="expected at most 10"):
        session.set_parameter("beta_contagion", 11)


def test_a_reset_with_a_seed_replays_the_same_run(session):
    session.set_seed(11)
    session.reset()
    for _ in range(5):
        session.step()
    first = session.model.events.to_frame()
    session.reset()
    for _ in range(5):
        session.step()
    assert session.model.events.to_frame().equals(first)
    assert session.model.seed == 11


def test_a_broken_edit_keeps_the_run_and_lists_each_problem_with_its_line(session):
    session.step()
    model = session.model
    text = session.text.replace("steps: 34", "steps: -1").replace("seed: 7", "seed: seven")
    with pytest.raises(ScenarioError) as caught:
        session.apply_text(text)
    lines = text.splitlines()
    steps = lines.index("steps: -1               # years to simulate: to 2050") + 1
    seed = next(i for i, line in enumerate(lines, 1) if line.startswith("seed: seven"))
    assert problems_of(caught.value) == [
        f"classroom.yaml, line {steps}, column 8: steps: -1 is out of range: it must be between 1 and 1000",
        f"classroom.yaml, line {seed}, column 7: seed: expected a whole number, got 'seven'"]
    assert session.model is model and model.year == 2017


def test_the_inspector_shows_exit_costs_under_each_clause(session):
    table = memberships_of(session.model, "USA").set_index("organization")
    democracy = 0.9
    # the UN Charter has no exit clause: leaving is contested, a year of dues of reputation on top
    assert table.loc["UN", "exit cost S̃"] == pytest.approx(round(1.0 + 0.2 * democracy, 2))
    assert table.loc["IMF", "exit cost S̃"] == pytest.approx(round(0.2 * democracy, 2))
    assert table.loc["UNHRC", "status"] == "member" and table.loc["UN", "clause"] == "none"
    assert table.loc["WHO", "clause"] == "explicit (own terms)"  # the 1948 reservation
    assert np.isfinite(table["yearly value ũ"]).all()


def test_the_network_layout_is_fixed_and_new_organizations_join_among_their_members(session):
    world = session.model.world
    placed = layout(world)
    again = layout(world)
    assert np.array_equal(placed.states, again.states) and np.array_equal(placed.organizations, again.organizations)
    while session.model.world.n_orgs == len(placed.organizations):
        session.step()
    grown = extend_layout(placed, session.model.world)
    assert len(grown.organizations) == session.model.world.n_orgs
    assert np.abs(grown.organizations).max() <= 1.2


def test_a_notice_is_drawn_as_an_edge_under_notice(session):
    figure = NetworkFigure()
    placed = layout(session.model.world)
    colour = EDGE_STYLES[NOTICE][0]

    def notice_edges() -> int:
        figure.draw(session.model.world, placed)
        found = [c for c in figure.ax.collections if hasattr(c, "get_segments")
                 and np.allclose(c.get_edgecolor()[0][:3], _rgb(colour))]
        return sum(len(c.get_segments()) for c in found)

    assert notice_edges() == 0
    session.intervene("notice", "CHN", "UNESCO")
    world = session.model.world
    ms = world.memberships
    assert ms.status[world.row_of("CHN", "UNESCO")] == NOTICE
    # the year also runs: other states may give notice of their own, and each is drawn too
    shown = np.isin(ms.org, shown_organizations(world, None, []))
    assert notice_edges() == np.count_nonzero(shown & (ms.status == NOTICE)) >= 1


def _rgb(colour: str) -> tuple[float, float, float]:
    return tuple(int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5))


def test_a_world_sized_network_shows_the_largest_organizations_and_the_selected_states():
    world = Session(SCENARIOS, "world").model.world
    assert world.n_orgs > MAX_ORGANIZATIONS
    counts = np.bincount(world.memberships.org[world.active_rows()], minlength=world.n_orgs)
    smallest = int(np.argmin(counts))
    member = int(world.memberships.state[world.memberships.org == smallest][0])
    shown = shown_organizations(world)
    assert len(shown) == MAX_ORGANIZATIONS and smallest not in shown
    assert counts[shown].min() >= np.sort(counts)[-MAX_ORGANIZATIONS]
    assert smallest in shown_organizations(world, focus=member)
    assert smallest in shown_organizations(world, highlight=[smallest])


def test_the_series_ranges_hold_the_data_and_only_grow(session):
    import io

    import PIL.Image

    from exitsim.dashboard.series import SeriesFigure, recorded

    panels = SeriesFigure(2016, 34, width=6.0, dpi=50)
    seen = []
    for _ in range(12):
        session.step()
        image = PIL.Image.open(io.BytesIO(panels.png(session.model.outcomes)))
        assert image.size == (300, round(6.0 * 0.62 * 50))
        seen.append({ax: ax.get_ylim() for ax in panels._ranges})
        for name, line in panels.lines.items():
            low, high = line.axes.get_ylim()
            values = recorded(session.model.outcomes, name)
            assert low <= np.nanmin(values) and np.nanmax(values) <= high, name
    for before, after in zip(seen, seen[1:], strict=False):
        assert all(after[ax][0] <= before[ax][0] and after[ax][1] >= before[ax][1] for ax in before)


def test_the_strategies_get_their_controls_once_the_registry_has_them(monkeypatch):
    from dataclasses import replace

    import exitsim.dashboard.session as session_module

    strategy = replace(REGISTRY["beta_window"], name="exit_diplomacy", group="strategies")
    monkeypatch.setattr(session_module, "parameters_in_group", lambda group: [strategy] if group == "strategies" else [])
    groups = control_groups()
    assert groups["Great-power strategies"] == [strategy]
    assert list(groups)[:-1] == list(CONTROL_GROUPS)


def test_a_strategy_chosen_mid_run_acts_from_the_next_year_and_its_events_read_in_the_feed(session):
    """Choosing exit diplomacy mid-run changed the parameters but not the run's strategies (the
    feed said it was set, nothing happened), and at Reset its events broke the feed."""
    from exitsim.dashboard.feed import feed

    session.step()
    session.set_parameter("hegemon_strategy", "exit_diplomacy")
    while not session.finished and not any(e.cause == "exit_diplomacy" for e in session.model.events):
        session.step()
    strategic = [e for e in session.model.events if e.cause == "exit_diplomacy"]
    assert strategic and strategic[0].kind == "strategy" and strategic[0].year > session.scenario.start_year + 1
    assert {i.text for i in feed(strategic)} >= {"USA's strategy is now active (" + strategic[0].detail
                                                 + "; cause: exit_diplomacy)"}
    session.reset()  # and from the start of a run
    assert session.model.strategy.hegemon_strategy == "exit_diplomacy"


def test_the_exits_panel_counts_walkouts_and_non_treaty_exits_beside_withdrawals(session):
    """classroom's 2018: the USA left UNESCO (a treaty withdrawal) and the UNHRC (a non-treaty
    exit); the withdrawals line alone showed one exit."""
    from exitsim.dashboard.series import OTHER_EXITS, PANELS, recorded

    assert OTHER_EXITS in [name for name, _, _ in PANELS["Exits and threats a year"]]
    for _ in range(3):
        session.step()
    outcomes = session.model.outcomes
    year = list(recorded(outcomes, "year")).index(2018)
    parts = [recorded(outcomes, part)[year] for part in ("walkouts_contested", "walkouts_violated", "non_treaty_exits")]
    assert recorded(outcomes, OTHER_EXITS)[year] == sum(parts) >= 1
