#!/usr/bin/env python3
"""Run exitsim: ``python run.py`` runs the default scenario; ``python run.py --help`` for more."""

import sys

from exitsim.cli import main

if __name__ == "__main__":
    sys.exit(main())
