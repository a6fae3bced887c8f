"""Sweeps: many runs of the model, on a laptop or a cluster, into a crash-safe store.

* :mod:`~exitsim.sweep.experiment`: experiment files (factors, design, seeds, what to keep);
* :mod:`~exitsim.sweep.schema`: their JSON Schema, for editors;
* :mod:`~exitsim.sweep.designs`: grid, Latin hypercube, Sobol (Saltelli), Morris, ablation;
* :mod:`~exitsim.sweep.seeds`: every run's seed spawned in the parent; content-addressed run ids;
* :mod:`~exitsim.sweep.executors`: local processes, Dask (local or a running cluster);
* :mod:`~exitsim.sweep.store`: manifest, design, status log and Parquet parts;
* :mod:`~exitsim.sweep.worker`: what a worker does with a batch of runs;
* :mod:`~exitsim.sweep.runner`: :func:`sweep`, which ties them together and resumes.

Reading the results is :mod:`exitsim.analysis`'s job. Importing this package loads nothing
heavy; the names below are imported when first used.
"""

from __future__ import annotations

import sys
import types
from typing import Any

_EXPORTS = {
    "sweep": "runner", "SweepSummary": "runner", "load_experiment": "experiment",
    "parse_experiment": "experiment", "Experiment": "experiment", "make_design": "designs",
    "StoreError": "store", "Store": "store",
}

__all__ = list(_EXPORTS)


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        from importlib import import_module

        return getattr(import_module(f".{_EXPORTS[name]}", __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


class _CallableModule(types.ModuleType):
    """``exitsim.sweep`` is this package and, called, :func:`exitsim.sweep.runner.sweep`: importing
    a submodule makes the package an attribute of ``exitsim``, so the two must be one object."""

    def __call__(self, *args: Any, **kwargs: Any):
        from .runner import sweep

        return sweep(*args, **kwargs)


sys.modules[__name__].__class__ = _CallableModule
