"""Designs: the points of a sweep, made from an experiment's factors.

* ``grid``: every combination of the factors' values, the first factor varying slowest.
* ``latin_hypercube``: ``samples`` points; each factor's range cut into ``samples`` equal
  strata, each stratum used once (McKay, Beckman & Conover 1979).
* ``sobol``: Saltelli's scheme for Sobol indices (Saltelli 2002; Saltelli et al. 2010) as SALib
  makes it: ``N (2D + 2)`` points (``N (D + 2)`` without second-order indices).
* ``morris``: ``samples`` one-at-a-time trajectories on a ``levels`` grid (Morris 1991;
  Campolongo et al. 2007), as SALib makes them: ``N (D + 1)`` points.
* ``ablation``: the base scenario with every mechanism on, then each switch of the registry
  set to its ``off`` value in turn (crossed with any factors' values).

Sampled designs draw coordinates ``u`` in [0, 1] for each factor and map them with
:meth:`Factor.from_unit`; the coordinates are kept, as SALib's analyses need them.

>>> from exitsim.sweep.experiment import Factor
>>> beta = Factor("parameters.decisions.beta_contagion", "beta_contagion", None, (0.0, 3.2))
>>> window = Factor("parameters.decisions.beta_window", "beta_window", None, (0.0, 0.7))
>>> [p.values for p in grid_points([beta, window])]
[{'beta_contagion': 0.0, 'beta_window': 0.0}, {'beta_contagion': 0.0, 'beta_window': 0.7}, \
{'beta_contagion': 3.2, 'beta_window': 0.0}, {'beta_contagion': 3.2, 'beta_window': 0.7}]
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..parameters import REGISTRY
from .experiment import Experiment, Factor

ABLATION_COLUMN = "ablated"
BASELINE = "none"  # the ablation column's value at the point with every mechanism on


@dataclass(frozen=True, slots=True)
class Point:
    """One design point: the factors' values by column, and the run inputs they make.

    Attributes:
        values: Column → value (what the design table shows).
        parameters: Registry parameters to set (``ExitModel(parameters=...)``).
        overrides: Other scenario values to set, by ``--set`` path.
        world_seed: The world seed, when it is a factor.
    """

    values: dict[str, Any]
    parameters: dict[str, Any] = field(default_factory=dict)
    overrides: dict[str, Any] = field(default_factory=dict)
    world_seed: int | None = None


@dataclass(frozen=True)
class Design:
    """A sweep's design points.

    Attributes:
        kind: The design kind.
        columns: The design table's columns (factors, and ``ablated`` for an ablation).
        points: The points, in design order (SALib's order for sobol and morris).
        units: Sampled designs: the points' coordinates in [0, 1] (points × factors).
        settings: What made it (samples, levels, seed, switches …), for the manifest.
    """

    kind: str
    columns: tuple[str, ...]
    points: list[Point]
    units: np.ndarray | None = None
    settings: dict[str, Any] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.points)


def point_of(factors: Sequence[Factor], values: Sequence[Any], extra: dict[str, Any] | None = None) -> Point:
    """The point where each factor takes its value (and ``extra`` registry parameters are set)."""
    parameters, overrides, world_seed = dict(extra or {}), {}, None
    table: dict[str, Any] = {}
    for factor, value in zip(factors, values, strict=True):
        if factor.parameter is not None:
            value = factor.parameter.check(value)
            parameters[factor.parameter.name] = value
        elif factor.column == "world_seed":
            value = world_seed = int(value)
        else:
            overrides[factor.path] = value
        table[factor.column] = value
    return Point(table, parameters, overrides, world_seed)


def grid_points(factors: Sequence[Factor]) -> list[Point]:
    """Every combination of the factors' values (the first factor varies slowest)."""
    return [point_of(factors, combo) for combo in itertools.product(*(f.values for f in factors))]


def latin_hypercube(n: int, dimensions: int, rng: np.random.Generator) -> np.ndarray:
    """``n`` points in [0, 1)^d, each dimension's n strata used once, jittered within them."""
    strata = np.column_stack([rng.permutation(n) for _ in range(dimensions)]) if dimensions else np.empty((n, 0))
    return (strata + rng.random((n, dimensions))) / n


def _salib(kind: str):
    try:
        if kind == "sobol":
            from SALib.sample import sobol
            return sobol
        from SALib.sample import morris
        return morris
    except ImportError:
        raise ImportError(f"a {kind} design needs SALib: pip install 'exitsim[analysis]'") from None


def unit_problem(columns: Sequence[str]) -> dict:
    """SALib's problem over the unit cube (factors are mapped from [0, 1] by :meth:`Factor.from_unit`)."""
    return {"num_vars": len(columns), "names": list(columns), "bounds": [[0.0, 1.0]] * len(columns)}


def sampled_units(kind: str, factors: Sequence[Factor], samples: int, seed: int, levels: int = 4,
                  second_order: bool = False) -> np.ndarray:
    """The unit coordinates of a latin_hypercube, sobol or morris design."""
    columns = [f.column for f in factors]
    if kind == "latin_hypercube":
        return latin_hypercube(samples, len(columns), np.random.default_rng(seed))
    module = _salib(kind)
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # SALib's notes on sample sizes; the loader checks them
        if kind == "sobol":
            return module.sample(unit_problem(columns), samples, calc_second_order=second_order, scramble=True,
                                 seed=seed)
        return module.sample(unit_problem(columns), samples, num_levels=levels, seed=seed)


def ablation_switches(experiment: Experiment) -> tuple[list[str], list[str]]:
    """The switches an ablation turns off (those on in the base scenario), and those already off."""
    params = experiment.scenario.params()
    named = experiment.spec.design.switches
    candidates = named if named is not None else [p.name for p in REGISTRY.values() if p.switch]
    on = [n for n in candidates if getattr(params, n) != REGISTRY[n].off]
    return on, [n for n in candidates if n not in on]


def make_design(experiment: Experiment) -> Design:
    """The experiment's design points."""
    spec, factors = experiment.spec.design, list(experiment.factors)
    columns = tuple(f.column for f in factors)
    if spec.kind == "grid":
        return Design("grid", columns, grid_points(factors))
    if spec.kind == "ablation":
        on, off = ablation_switches(experiment)
        crossed = grid_points(factors) if factors else [Point({})]
        points = []
        for variant in [None, *on]:
            extra = {variant: REGISTRY[variant].off} if variant else {}
            for base in crossed:
                point = point_of(factors, list(base.values.values()), extra)
                points.append(Point({ABLATION_COLUMN: variant or BASELINE, **point.values}, point.parameters,
                                    point.overrides, point.world_seed))
        return Design("ablation", (ABLATION_COLUMN, *columns), points,
                      settings={"switches": on, "already_off": off})
    seed = experiment.spec.seeds.root if spec.seed is None else spec.seed
    units = sampled_units(spec.kind, factors, spec.samples, seed, spec.levels, spec.second_order)
    points = [point_of(factors, [f.from_unit(u) for f, u in zip(factors, row, strict=True)]) for row in units]
    settings = {"samples": spec.samples, "seed": seed}
    if spec.kind == "morris":
        settings["levels"] = spec.levels
    if spec.kind == "sobol":
        settings["second_order"] = spec.second_order
    return Design(spec.kind, columns, points, np.asarray(units, dtype=float), settings)
