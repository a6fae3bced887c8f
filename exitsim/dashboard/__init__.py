"""The Solara dashboard for instructors: ``python run.py dashboard`` (nothing imports this package)."""
