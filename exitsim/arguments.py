"""The checks of :class:`~exitsim.model.ExitModel`'s arguments, made before anything is built.

Each wrong argument is named with what it should be: a :class:`TypeError` for a value of the
wrong type (``steps="5"``, ``parameters=[...]``, a dict for ``config``), a
:class:`~exitsim.loading.ScenarioError` for a value out of its range (``steps=0``), a
:class:`~exitsim.parameters.ParameterError` (from the registry) for a parameter's value.

>>> scenario, events = checked_arguments(None, steps=3)
>>> scenario.steps, events
(3, None)
"""

from __future__ import annotations

import numbers
import os
from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np
from pydantic import ValidationError

from .loading import ScenarioError
from .scenario import MAX_SEED, MAX_STEPS, Scenario, load_scenario
from .timeline import ScheduledEvent


def checked_arguments(config: Any, *, seed: Any = None, world_seed: Any = None, steps: Any = None,
                      parameters: Any = None, collect_states: Any = True,
                      timeline: Any = None) -> tuple[Scenario, list[ScheduledEvent] | None]:
    """The scenario a model runs (``config`` read, ``world_seed`` and ``steps`` applied) and its
    extra timeline events as a list, after checking every argument.

    Raises:
        TypeError: an argument of the wrong type, named with what it should be.
        ScenarioError: a seed or a number of steps out of range, or a scenario file with problems.
    """
    scenario = _config(config)
    _whole("seed", seed, 0, MAX_SEED, also=np.random.SeedSequence, what="a whole number or a numpy SeedSequence")
    _whole("world_seed", world_seed, 0, MAX_SEED)
    _whole("steps", steps, 1, MAX_STEPS)
    if parameters is not None:
        if not isinstance(parameters, Mapping):
            raise TypeError(f"ExitModel parameters must be a mapping of parameter names to values, e.g. "
                            f"{{'beta_contagion': 0.0}}, got {_kind(parameters)}")
        names = [name for name in parameters if not isinstance(name, str)]
        if names:
            raise TypeError(f"ExitModel parameters must be named by text (e.g. 'beta_contagion'), got {names[0]!r}")
    if not isinstance(collect_states, bool | np.bool_):
        raise TypeError(f"ExitModel collect_states must be True or False, got {_kind(collect_states)}")
    return _with_run_settings(scenario, world_seed, steps), _events(timeline)


def _config(config: Any) -> Scenario:
    if isinstance(config, Scenario):
        return config
    if config is None or isinstance(config, str | os.PathLike):
        return load_scenario(config)
    hint = (": to start from values, use load_scenario(overrides={...}) (the default scenario changed) or "
            "Scenario.model_validate({...})" if isinstance(config, Mapping) else "")
    raise TypeError(f"ExitModel config must be a Scenario, a path to a scenario file or None (the default "
                    f"scenario), got {_kind(config)}{hint}")


def _whole(name: str, value: Any, low: int, high: int, also: type | None = None, what: str = "a whole number") -> None:
    """Check an optional whole-number argument of ExitModel."""
    if value is None or (also is not None and isinstance(value, also)):
        return
    if isinstance(value, bool | np.bool_) or not isinstance(value, numbers.Integral):
        raise TypeError(f"ExitModel {name} must be {what} between {low} and {high}, got {_kind(value)}")
    if not low <= value <= high:
        raise ScenarioError([f"ExitModel {name}={value}: out of range: it must be between {low} and {high}"])


def _with_run_settings(scenario: Scenario, world_seed: int | None, steps: int | None) -> Scenario:
    """The scenario with another world seed or number of steps; a shorter run leaves out the
    file's events after its last year."""
    updates: dict[str, Any] = {k: int(v) for k, v in (("world_seed", world_seed), ("steps", steps)) if v is not None}
    if steps is not None:
        updates["timeline"] = [e.model_dump() for e in scenario.timeline if e.year <= scenario.start_year + steps]
    if not updates:
        return scenario
    try:
        return Scenario.model_validate(scenario.model_dump() | updates)
    except ValidationError as error:  # pragma: no cover - the ranges were checked above
        raise ScenarioError([f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in error.errors()]) from None


def _events(timeline: Any) -> list[ScheduledEvent] | None:
    """The extra timeline events as a list, each a ScheduledEvent."""
    if timeline is None:
        return None
    if isinstance(timeline, ScheduledEvent):
        raise TypeError("ExitModel timeline must be a list of ScheduledEvent, got one: write timeline=[event]")
    if isinstance(timeline, str | bytes | Mapping) or not isinstance(timeline, Iterable):
        raise TypeError(f"ExitModel timeline must be a list of ScheduledEvent, got {_kind(timeline)}")
    events = list(timeline)
    for i, event in enumerate(events):
        if not isinstance(event, ScheduledEvent):
            raise TypeError(f"ExitModel timeline must be a list of ScheduledEvent (e.g. ScheduledEvent(2030, "
                            f"'notice', 'CHN', 'WTO')); entry {i} is {_kind(event)}")
    return events


def _kind(value: Any) -> str:
    """A value and its type, short: ``'5' (text)``, ``a list``, ``a dict``."""
    if isinstance(value, str):
        shown = repr(value) if len(value) <= 40 else repr(value[:30]) + "…"
        return f"{shown} (text)"
    if isinstance(value, Mapping):
        return f"a {type(value).__name__}"
    if isinstance(value, list | tuple | set):
        return f"a {type(value).__name__}"
    shown = repr(value)
    return f"{shown if len(shown) <= 40 else shown[:30] + '…'} ({type(value).__name__})"
