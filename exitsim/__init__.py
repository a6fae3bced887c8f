"""exitsim: an agent-based simulation of states' exit from international organizations.

>>> from exitsim import ExitModel
>>> model = ExitModel(steps=3).run()
>>> len(model.datacollector.get_model_vars_dataframe())
4
"""

from .model import ExitModel
from .parameters import REGISTRY, make_params
from .scenario import Scenario, ScenarioError, build_world, load_scenario

__version__ = "0.1.0"
__all__ = ["ExitModel", "REGISTRY", "Scenario", "ScenarioError", "build_world", "load_events", "load_results",
           "load_scenario", "make_params", "sweep", "__version__"]


def __getattr__(name: str):
    """``sweep``, ``load_results`` and ``load_events``, imported when first used."""
    if name == "sweep":  # the package exitsim.sweep; calling it runs a sweep
        from importlib import import_module

        return import_module(".sweep", __name__)
    if name in ("load_results", "load_events"):
        from . import analysis

        return getattr(analysis, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
