"""Hypothesis settings profiles for the exitsim test suite.

Importing this module registers two profiles and loads one of them:

* ``ci``  -- few, reproducible examples: ``max_examples=25``, no deadline,
  derandomized, and a reproduction blob printed for every failure.
* ``dev`` -- ``max_examples=100``, no deadline.

``ci`` is loaded when the ``CI`` environment variable is non-empty, ``dev``
otherwise. ``HYPOTHESIS_PROFILE=<name>`` overrides that choice, and pytest's
``--hypothesis-profile`` option overrides both.

The module depends on nothing else in the test suite, so ``tests/conftest.py``
can simply do ``from _hypothesis_profiles import *`` (pytest's default
``prepend`` import mode puts ``tests/`` on ``sys.path`` when ``tests/`` has no
``__init__.py``) or copy its contents.
"""

import os

from hypothesis import settings

__all__ = ["ACTIVE_PROFILE", "CI_PROFILE", "DEV_PROFILE"]

CI_PROFILE = "ci"
DEV_PROFILE = "dev"

settings.register_profile(
    CI_PROFILE,
    max_examples=25,
    deadline=None,
    derandomize=True,
    print_blob=True,
)
settings.register_profile(
    DEV_PROFILE,
    max_examples=100,
    deadline=None,
)

ACTIVE_PROFILE = os.environ.get("HYPOTHESIS_PROFILE") or (
    CI_PROFILE if os.environ.get("CI") else DEV_PROFILE
)
settings.load_profile(ACTIVE_PROFILE)
