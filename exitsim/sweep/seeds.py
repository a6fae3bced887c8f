"""Seeds and run ids (MODEL.md §4.0, ARCHITECTURE.md rule 3).

Every run's seed is a child of ``SeedSequence(root)``, made in the parent process, so results
never depend on the executor or the number of workers. The i-th child of ``spawn`` is
``SeedSequence(root, spawn_key=(i,))``: it is made directly, without spawning the children
before it, and the child's spawn key is kept (its entropy alone is the root's, and would give
every replication the same streams).

* Common random numbers (the default): replication r uses child r at every design point, so
  comparisons between points are paired: they differ only in what the design changed.
* Independent seeds: run (point p, replication r) uses child ``p × replications + r``.

A run's id is content-addressed: a hash of everything that decides its results (the base
scenario, its parameters and overrides, its seed and its length), so the same run has the same
id in every sweep and a resumed sweep recognizes what it has done.

>>> seed_key(point=2, replication=1, replications=3, common=True)
(1,)
>>> seed_key(point=2, replication=1, replications=3, common=False)
(7,)
>>> child = np.random.SeedSequence(5, spawn_key=(7,))
>>> child.generate_state(2).tolist() == np.random.SeedSequence(5).spawn(8)[7].generate_state(2).tolist()
True
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .designs import Design


def seed_key(point: int, replication: int, replications: int, common: bool) -> tuple[int, ...]:
    """The spawn key, under the root seed, of a run's seed sequence."""
    return (replication,) if common else (point * replications + replication,)


def run_seed(root: int, key: tuple[int, ...]) -> np.random.SeedSequence:
    """The run's seed sequence: the root's child with spawn key ``key``."""
    return np.random.SeedSequence(root, spawn_key=key)


def run_id(scenario_hash: str, parameters: dict, overrides: dict, world_seed: int | None, root: int,
           key: tuple[int, ...], steps: int) -> str:
    """The content-addressed id of a run: 16 hex digits of a SHA-256 over its inputs."""
    content = json.dumps({"scenario": scenario_hash, "parameters": parameters, "overrides": overrides,
                          "world_seed": world_seed, "root": root, "spawn_key": list(key), "steps": steps},
                         sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(content.encode()).hexdigest()[:16]


@dataclass(frozen=True, slots=True)
class RunSpec:
    """One run of a sweep: what a worker needs to make it."""

    run_id: str
    point: int
    replication: int
    seed_key: tuple[int, ...]
    parameters: dict[str, Any] = field(default_factory=dict)
    overrides: dict[str, Any] = field(default_factory=dict)
    world_seed: int | None = None


def plan_runs(design: Design, scenario_hash: str, root: int, replications: int, common: bool,
              steps: int) -> Iterator[RunSpec]:
    """Every run of the design, point by point and replication by replication."""
    for p, point in enumerate(design.points):
        for r in range(replications):
            key = seed_key(p, r, replications, common)
            yield RunSpec(run_id(scenario_hash, point.parameters, point.overrides, point.world_seed, root, key, steps),
                          p, r, key, point.parameters, point.overrides, point.world_seed)
