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
__all__ = ["ExitModel", "REGISTRY", "Scenario", "ScenarioError", "build_world", "load_scenario",
           "make_params", "__version__"]
