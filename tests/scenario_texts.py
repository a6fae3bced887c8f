"""Scenario texts shared by the tests (a tiny explicit one for the scenario-file tests, small
generated worlds for the command-line and sweep tests), and a helper that writes one."""

from pathlib import Path

TINY = """\
name: tiny
steps: 10
states:
  - code: USA
    power: 10
    role: hegemon
    alliances: [GBR]
  - code: GBR
    power: 3
    nativism: 0.4
    alliances: [USA]
  - code: CHN
    power: 6
    role: rising
organizations:
  - code: WHO
    members: [USA, GBR, CHN]
    clause:
      kind: explicit
      effective: months_after:12
timeline:
  - year: 2030
    kind: notice
    state: USA
    organization: WHO
    month: 3
"""

#: A small generated world that runs in a blink (the command-line tests).
SMALL = """\
name: small
steps: 4
world_seed: 2
seed: 9
generate:
  states: 12
  organizations: 6
  memberships_per_state: 3
  min_memberships: 1
"""

#: A small generated world whose runs take a few hundredths of a second (the sweep tests).
SWEEP_WORLD = """\
name: small
steps: 6
world_seed: 2
seed: 9
organization_weight: 8
generate:
  states: 16
  organizations: 8
  memberships_per_state: 4
  min_memberships: 2
  members_median: 5
"""


def write(folder: Path, text: str, name: str = "s.yaml") -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path
