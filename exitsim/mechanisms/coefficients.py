"""A mechanism's numbers as one object, read from the parameters by name.

A mechanism with many coefficients takes them as one frozen dataclass (the nine of the choice,
say) instead of a row of keyword arguments with defaults: the registry
(:mod:`exitsim.parameters`) stays the only place a default is written, and the phases build each
object once with :func:`from_parameters`. A field reads the parameter of its own name, or the one
named in its metadata (:func:`parameter`), so ``horizon`` can read ``planning_horizon``.

>>> from dataclasses import dataclass
>>> @dataclass(frozen=True)
... class Example:
...     horizon: float = parameter("planning_horizon")
...     temperature: float = parameter()
>>> class Params:
...     planning_horizon, temperature = 5.0, 1.0
>>> from_parameters(Example, Params())
Example(horizon=5.0, temperature=1.0)
"""

from __future__ import annotations

import dataclasses
import functools
from typing import Any


def parameter(name: str | None = None) -> Any:
    """A coefficient field that reads the registry parameter ``name`` (default: the field's own
    name). The field has no default: the registry's is the only one."""
    return dataclasses.field(metadata={"parameter": name} if name else {})


def parameter_name(field: dataclasses.Field) -> str:
    """The registry parameter a coefficient field reads."""
    return field.metadata.get("parameter") or field.name


def from_parameters[T](cls: type[T], params: Any) -> T:
    """An instance of the coefficient dataclass ``cls`` with every field read from ``params``
    (resolved :class:`~exitsim.parameters.Params`, or anything with those attributes)."""
    return cls(**{field: getattr(params, name) for field, name in _fields_and_parameters(cls)})


@functools.cache
def _fields_and_parameters(cls: type) -> tuple[tuple[str, str], ...]:
    """Each field of a coefficient dataclass and the parameter it reads, found once per class
    (the phases build their coefficients every year)."""
    return tuple((field.name, parameter_name(field)) for field in dataclasses.fields(cls))
