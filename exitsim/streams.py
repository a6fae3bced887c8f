"""Random streams, one per phase of each step (MODEL.md §4.0, docs/architecture.md, rule 3).

Each draw comes from its own generator,
``SeedSequence(entropy=run_entropy, spawn_key=run_key + (step, phase_id, draw_id))``, so
switching a mechanism off, or changing a strategy, never shifts another phase's draws: runs
that differ only in a parameter use common random numbers. A sweep's replications get their
``run_key`` from ``SeedSequence(root).spawn(n)`` (each child keeps its spawn key; its entropy
alone is the root's, so the key must be kept).
"""

from __future__ import annotations

import numpy as np

#: Fixed phase ids (never renumber: they are part of every run's random streams).
PHASES = {
    "mesa": 0,
    "domestic": 1,
    "institutions": 2,
    "power": 3,
    "evaluation": 4,
    "strategies": 5,
    "decisions": 6,
    "contagion": 7,
    "lifecycle": 8,
}


class Streams:
    """Generators for (step, phase, draw) of one run.

    Args:
        seed: An integer dynamics seed, or a ``SeedSequence`` (e.g. a spawned child).
    """

    def __init__(self, seed: int | np.random.SeedSequence):
        sequence = seed if isinstance(seed, np.random.SeedSequence) else np.random.SeedSequence(int(seed))
        self.entropy = sequence.entropy
        self.run_key = tuple(int(k) for k in sequence.spawn_key)

    def sequence(self, step: int, phase: str, draw: int = 0) -> np.random.SeedSequence:
        return np.random.SeedSequence(self.entropy, spawn_key=self.run_key + (int(step), PHASES[phase], int(draw)))

    def generator(self, step: int, phase: str, draw: int = 0) -> np.random.Generator:
        """The generator of one draw of one phase of one step."""
        return np.random.default_rng(self.sequence(step, phase, draw))

    def normal(self, step: int, phase: str, size: int, draw: int = 0) -> np.ndarray:
        """``size`` standard-normal values: one per row of the table the draw is about."""
        return self.generator(step, phase, draw).standard_normal(size)

    def uniform(self, step: int, phase: str, size: int, draw: int = 0) -> np.ndarray:
        """``size`` uniform values in [0, 1): one per row of the table the draw is about."""
        return self.generator(step, phase, draw).random(size)
