#!/usr/bin/env python3
"""Run exitsim: ``python run.py`` runs the default scenario; ``python run.py --help`` for more."""

import sys

if __name__ == "__main__":
    try:  # Ctrl-C at any moment, even while the imports load, ends with one line and exit code 130
        from exitsim.cli import main

        code = main()
    except KeyboardInterrupt:
        print("Interrupted.", file=sys.stderr)
        code = 130
    sys.exit(code)
