"""exitsim: an agent-based simulation of states' exit from international organizations.

>>> from exitsim import ExitModel
>>> model = ExitModel(steps=3).run()
>>> len(model.datacollector.get_model_vars_dataframe())
4

The names below are imported when first used, so ``import exitsim`` (and the command line's
``--help`` and ``validate``) loads no Mesa, pandas or matplotlib.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

__version__ = "0.1.0"

#: Public name -> the module that defines it.
_LAZY = {"ExitModel": "model", "REGISTRY": "parameters", "make_params": "parameters", "Scenario": "scenario",
         "ScenarioError": "scenario", "build_world": "scenario", "load_scenario": "scenario",
         "load_results": "analysis", "load_events": "analysis"}

__all__ = ["ExitModel", "REGISTRY", "Scenario", "ScenarioError", "build_world", "load_events", "load_results",
           "load_scenario", "make_params", "sweep", "__version__"]


def __getattr__(name: str):
    if name == "sweep":  # the package exitsim.sweep; calling it runs a sweep
        return importlib.import_module(".sweep", __name__)
    if name not in _LAZY:
        raise AttributeError(f"module 'exitsim' has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{_LAZY[name]}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_LAZY, "sweep"})


if TYPE_CHECKING:
    from . import sweep
    from .analysis import load_events, load_results
    from .model import ExitModel
    from .parameters import REGISTRY, make_params
    from .scenario import Scenario, ScenarioError, build_world, load_scenario
