"""The strict base of every scenario model, and the bounds read beyond the schema.

A scenario file's models refuse unknown keys, take their types strictly (no ``true`` for 1, no
``"5"`` for 5) and finite numbers only, so nothing a file says can turn into an overflow or a
NaN in a run. Both :mod:`exitsim.scenario` (the file's sections) and :mod:`exitsim.generate`
(its ``generate:`` block) build on them; this module imports neither, so the generator and the
command line read the bounds without loading the schema.
"""

from __future__ import annotations

from typing import Annotated

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, model_validator

Fraction = Annotated[float, Field(ge=0.0, le=1.0)]

MAX_POWER = 1e9
"""The largest power a state can be given (any unit: only ratios matter)."""
MAX_STEPS = 1000
"""The longest run, in years."""
MAX_SEED = 2**63 - 1
"""The largest seed (a 64-bit signed integer, so seeds survive every file format)."""

#: Every model of the schema: unknown keys refused, types strict (no true for 1, no "5" for 5),
#: numbers finite.
STRICT = ConfigDict(extra="forbid", strict=True, allow_inf_nan=False)


class StrictModel(BaseModel):
    """A strict model that takes numpy's numbers (``np.int64(3)``) as the Python ones they are."""

    model_config = STRICT

    @model_validator(mode="before")
    @classmethod
    def _numpy_as_python(cls, data):
        if isinstance(data, dict):
            return {key: value.item() if isinstance(value, np.generic) else value for key, value in data.items()}
        return data


class Spec(StrictModel):
    """A strict model whose defaults are validated too: the base of every written section."""

    model_config = ConfigDict(**STRICT, validate_default=True)
