"""Phase 8 of a step: failures and foundings of organizations (MODEL.md §4.12) inside the model."""

import numpy as np

from exitsim import ExitModel, Scenario
from exitsim.codes import DEAD, ISSUE_AREAS, WITHDRAWN

STATES = [{"code": code, "power": power, "ideal_point": 0.0} for code, power in
          (("A", 5.0), ("B", 4.0), ("C", 3.0), ("D", 2.0), ("E", 1.0))]


def world(organizations, **parameters) -> ExitModel:
    scenario = Scenario.model_validate({"name": "life", "start_year": 2025, "steps": 3, "organization_weight": 1,
                                        "states": STATES, "organizations": organizations})
    quiet = {"exit_decisions": False, "domestic_politics": False, "rejoining": False, "performance_noise": 0.0}
    return ExitModel(scenario, parameters=quiet | parameters)


def organization(code, quality, area="health"):
    return {"code": code, "issue_area": area, "quality": quality, "intrinsic_quality": quality,
            "members": ["A", "B", "C", "D", "E"]}


def crowded(model: ExitModel) -> ExitModel:
    """The model with its health organizations at twice their area's start density."""
    model.world.area_reference[ISSUE_AREAS.index("health")] = 1
    return model


def test_an_organization_that_neither_performs_nor_delivers_fails_and_a_healthy_one_does_not():
    """In an area at twice its start density, vitality 0 (no performance) with failure_rate 1:
    hazard 1, it dies in the first year and its memberships end by death; vitality 1 (full
    performance, fully funded): hazard 0, it never fails."""
    model = crowded(world([organization("HOLLOW", 0.0), organization("SOUND", 1.0)], failure_rate=1.0,
                          founding_rate=0.0))
    model.run()
    hollow, sound = (model.world.org_index(code) for code in ("HOLLOW", "SOUND"))
    assert model.world.org_status[hollow] == DEAD and model.world.org_status[sound] != DEAD
    [death] = [e for e in model.events if e.kind == "death"]
    assert (death.year, death.organization) == (2026, "HOLLOW") and death.detail.startswith("failed")
    ms = model.world.memberships
    ended = ms.org == hollow
    assert np.all(ms.status[ended] == WITHDRAWN) and np.all(ms.ended_by_death[ended])
    assert model.datacollector.get_model_vars_dataframe()["withdrawals"].sum() == 0


def test_failure_rate_off_means_no_failures():
    model = crowded(world([organization("HOLLOW", 0.0), organization("SOUND", 1.0)], failure_rate=0.0,
                          founding_rate=0.0))
    model.run()
    assert not np.any(model.world.org_status == DEAD)


def test_an_area_at_its_start_density_carries_its_organizations():
    model = world([organization("HOLLOW", 0.0), organization("SOUND", 1.0)], failure_rate=100.0, founding_rate=0.0)
    model.run()
    assert not np.any(model.world.org_status == DEAD)


def test_foundings_come_in_the_issue_areas_that_have_organizations():
    """Every organization is a health one: with a high founding rate many are founded, all in
    health (an area without organizations founds none)."""
    model = world([organization("ONE", 0.7), organization("TWO", 0.7)], founding_rate=1.0, failure_rate=0.0)
    model.run()
    founded = model.world.founded[2:]
    assert len(founded) > 0
    assert {ISSUE_AREAS[a] for a in model.world.issue_area[2:]} == {"health"}


def test_foundings_fall_as_an_area_fills():
    """The same draws with every foundings' area denser than at the start: fewer foundings."""
    sparse = world([organization("ONE", 0.7), organization("TWO", 0.7)], founding_rate=1.0, failure_rate=0.0)
    dense = world([organization("ONE", 0.7), organization("TWO", 0.7)], founding_rate=1.0, failure_rate=0.0)
    dense.world.area_reference = dense.world.area_reference // 2  # the area is twice as dense as its reference
    sparse.step()
    dense.step()
    assert dense.world.n_orgs - 2 < sparse.world.n_orgs - 2
