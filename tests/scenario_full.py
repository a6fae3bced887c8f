"""A scenario that writes every key of the schema (every parameter too), and helpers that find,
change and locate its values: the ground of the field-by-field fuzz."""

from __future__ import annotations

import copy
import io
from typing import Any

from ruamel.yaml import YAML

from exitsim.parameters import GROUPS, parameters_in_group

FULL_WORLD = """\
name: full
description: Every key of a scenario file, each with a valid value.
start_year: 2025
steps: 4
world_seed: 1
seed: 2
organization_weight: 2.0
generate:
  states: 4
  organizations: 2
  power_gini: 0.6
  total_power: 40.0
  memberships_per_state: 2.0
  memberships_spread: 0.2
  memberships_per_tenfold_power: 1.0
  min_memberships: 1
  members_median: 3.0
  min_members: 3
  proximity_scale: 1.5
  dimensions: 1
  cap_min_members: 50
  growth_mean: 0.02
  growth_sd: 0.01
  hegemon: false
  hegemon_rising_ratio: 2.0
  hegemon_growth: 0.02
  rising_growth: 0.04
  ally_share: 0.1
  founded_from: 1950
states:
  - code: USA
    name: United States
    power: 25.0
    growth: 0.02
    ideal_point: 1.0
    nativism: 0.4
    nativism_mean: 0.35
    democracy: 0.9
    government: internationalist
    role: hegemon
    alliances: [GBR]
    election_phase: 1
  - code: GBR
    power: 3.0
    ideal_point: 0.7
    role: ally
    alliances: [USA]
  - code: CHN
    power: 15.0
    growth: 0.05
    ideal_point: -1.0
    role: rising
organizations:
  - code: WHO
    name: World Health Organization
    issue_area: health
    institutionalization: 2
    voting: one_state_one_vote
    budget_rate: 0.00003
    cap: 0.22
    founded: 1948
    quality: 0.6
    intrinsic_quality: 0.7
    value: 0.5
    club: false
    template: WHO
    clause:
      kind: explicit
      effective: months_after:12
      min_tenure_years: 1
      tenure_basis: accession
      arrears_block_effect: true
      obligations_survive: false
      revocable: true
    members: [USA, CHN, {state: GBR, joined: 1949}]
    reservations:
      - state: USA
        clause:
          kind: explicit
          effective: months_after:12
          arrears_block_effect: true
timeline:
  - year: 2027
    kind: withhold_dues
    state: USA
    organization: WHO
    month: 3
    value: 0.5
"""


def _parameters_text() -> str:
    lines = ["parameters:"]
    for group in GROUPS:
        if group == "scale":
            continue
        lines.append(f"  {group}:")
        for p in parameters_in_group(group):
            value = ("true" if p.default else "false") if p.kind == "bool" else repr(p.default)
            lines.append(f"    {p.name}: {value}")
    return "\n".join(lines) + "\n"


FULL = FULL_WORLD.replace("generate:\n", _parameters_text() + "generate:\n", 1)
"""Every key of the schema with a valid value: the parameters at their defaults, a generated world
without great powers beside three explicit states with their roles, an organization with a
member that joined, a reservation and a timeline event with every field."""


def yaml() -> YAML:
    reader = YAML(typ="rt")
    reader.width = 4096  # one value a line, however long
    return reader


def load(text: str) -> Any:
    return yaml().load(text)


def dump(data: Any) -> str:
    stream = io.StringIO()
    yaml().dump(data, stream)
    return stream.getvalue()


def leaves(data: Any, path: tuple = ()) -> list[tuple[tuple, Any]]:
    """Every scalar of a document with its path, in reading order."""
    if isinstance(data, dict):
        return [leaf for key, value in data.items() for leaf in leaves(value, (*path, key))]
    if isinstance(data, list):
        return [leaf for i, value in enumerate(data) for leaf in leaves(value, (*path, i))]
    return [(path, data)]


def containers(data: Any, path: tuple = ()) -> list[tuple[tuple, Any]]:
    """Every mapping and list of a document (but the whole) with its path."""
    found = [(path, data)] if path and isinstance(data, dict | list) else []
    if isinstance(data, dict):
        found += [c for key, value in data.items() for c in containers(value, (*path, key))]
    elif isinstance(data, list):
        found += [c for i, value in enumerate(data) for c in containers(value, (*path, i))]
    return found


def replaced(data: Any, changes: dict[tuple, Any]) -> str:
    """The document's text with the values at some paths replaced (each by its own copy, so that
    no anchors and aliases appear)."""
    document = load(dump(data))
    for path, value in changes.items():
        target = document
        for part in path[:-1]:
            target = target[part]
        target[path[-1]] = copy.deepcopy(value)
    return dump(document)


def dotted(path: tuple) -> str:
    return ".".join(map(str, path))
