"""Generated worlds match the real system (docs/world_facts.md) and do not depend on the order
of keys or list entries."""

import numpy as np
import pytest

from exitsim import Scenario, build_world
from exitsim.generate import GenerateSpec, generate_organizations, generate_states, gini

FACTS = {"states": 193, "organizations": 335, "memberships_per_state": 63, "median_members": 19}
#: A world of the real system's size, generated with the other settings at their defaults.
WORLD_SIZE = GenerateSpec(states=FACTS["states"], organizations=FACTS["organizations"])


@pytest.mark.parametrize("seed", [1, 2, 3, 4, 5])
def test_generated_world_matches_world_facts_within_ten_percent(seed):
    rng = np.random.default_rng(seed)
    states = generate_states(WORLD_SIZE, rng)
    organizations = generate_organizations(WORLD_SIZE, states, 2025, rng)
    sizes = np.array([len(o["members"]) for o in organizations])
    assert len(states) == FACTS["states"] and len(organizations) == FACTS["organizations"]
    assert abs(sizes.sum() / len(states) / FACTS["memberships_per_state"] - 1) <= 0.10
    assert abs(np.median(sizes) / FACTS["median_members"] - 1) <= 0.10
    power = np.array([s["power"] for s in states])
    assert abs(gini(power / power.sum()) - 0.83) <= 0.05


def test_memberships_rise_with_power():
    rng = np.random.default_rng(7)
    states = generate_states(WORLD_SIZE, rng)
    organizations = generate_organizations(WORLD_SIZE, states, 2025, rng)
    count = {s["code"]: 0 for s in states}
    for o in organizations:
        for code in o["members"]:
            count[code] += 1
    power = np.array([s["power"] for s in states])
    memberships = np.array([count[s["code"]] for s in states])
    slope = np.polyfit(np.log10(power), memberships, 1)[0]
    assert 5 <= slope <= 20  # about +11 memberships per tenfold power in the real system


def test_gini_of_a_lognormal_sample_is_hit_at_any_size():
    for n, target in ((20, 0.5), (193, 0.83), (2000, 0.9)):
        rng = np.random.default_rng(0)
        states = generate_states(GenerateSpec(states=n, power_gini=target, hegemon=False), rng)
        assert abs(gini(np.array([s["power"] for s in states])) - target) < 0.01


EXPLICIT = {
    "name": "order", "steps": 3, "world_seed": 4,
    "generate": {"states": 10, "organizations": 4, "memberships_per_state": 3, "min_memberships": 1},
    "states": [{"code": "AAA", "power": 30.0, "ideal_point": 0.5, "alliances": ["BBB"]},
               {"code": "BBB", "power": 10.0, "growth": 0.01, "alliances": ["AAA"]},
               {"code": "CCC", "power": 5.0, "nativism": 0.6}],
    "organizations": [{"code": "ONE", "members": ["AAA", "BBB", "CCC"], "cap": 0.5},
                      {"code": "TWO", "members": ["CCC", {"state": "AAA", "joined": 2001}, "BBB"], "voting": "weighted"}],
}


def _reorder(value, rng):
    if isinstance(value, dict):
        keys = list(value)
        rng.shuffle(keys)
        return {k: _reorder(value[k], rng) for k in keys}
    if isinstance(value, list) and value and all(isinstance(v, (dict, str)) for v in value):
        items = [_reorder(v, rng) for v in value]
        rng.shuffle(items)
        return items
    return value


@pytest.mark.parametrize("shuffle_seed", range(5))
def test_the_same_file_gives_the_same_world_whatever_the_order_of_keys_and_entries(shuffle_seed):
    base = build_world(Scenario.model_validate(EXPLICIT))
    shuffled = build_world(Scenario.model_validate(_reorder(EXPLICIT, np.random.default_rng(shuffle_seed))))
    assert base.state_code == shuffled.state_code and base.org_code == shuffled.org_code
    for name in ("power", "growth", "ideal_point", "nativism", "cap", "weighted_voting", "alliances"):
        np.testing.assert_array_equal(getattr(base, name), getattr(shuffled, name))
    for column in ("state", "org", "joined"):
        np.testing.assert_array_equal(getattr(base.memberships, column), getattr(shuffled.memberships, column))
