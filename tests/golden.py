"""Golden runs: what the shipped scenarios produce, pinned exactly.

Each golden run's ``timeseries.csv`` and ``events.csv`` are stored whole under
``tests/golden/<run>/`` (written at full float precision, so any change in any digit shows),
with SHA-256 digests of the run's ``states.csv`` and last-year membership panel beside them in
``digests.json``. ``tests/test_golden.py`` reruns them and compares.

Results change only on purpose: a commit that changes what these runs produce rewrites them with
``make golden`` (``python tests/golden.py``) and says in its message which fix changed them and
why. A refactor changes none.
"""

from __future__ import annotations

import hashlib
import json
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = Path(__file__).resolve().parent / "golden"


@dataclass(frozen=True)
class GoldenRun:
    """One pinned run: a shipped scenario, a dynamics seed and (optionally) fewer years."""

    name: str
    scenario: str
    seed: int
    steps: int | None = None


RUNS = (
    GoldenRun("default-seed42", "scenarios/default.yaml", 42),
    GoldenRun("default-seed7", "scenarios/default.yaml", 7),
    GoldenRun("classroom-seed7", "scenarios/classroom.yaml", 7),
    GoldenRun("classroom-seed3", "scenarios/classroom.yaml", 3),
    GoldenRun("world-seed1-10y", "scenarios/world.yaml", 1, steps=10),
)


def _csv(frame) -> str:
    """A table as CSV text at full (round-trip) float precision."""
    return frame.to_csv(index=False, lineterminator="\n")


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def produce(run: GoldenRun) -> dict[str, str]:
    """Run ``run`` and return its pinned files: name -> text."""
    from exitsim import ExitModel

    model = ExitModel(ROOT / run.scenario, seed=run.seed, steps=run.steps).run()
    timeseries = model.datacollector.get_model_vars_dataframe().reset_index()
    digests = {
        "states.csv": _digest(_csv(model.datacollector.get_agent_vars_dataframe())),
        "memberships (last year)": _digest(_csv(model.membership_panel())),
    }
    return {
        "timeseries.csv": _csv(timeseries),
        "events.csv": _csv(model.events.to_frame()),
        "digests.json": json.dumps(digests, indent=2, sort_keys=True) + "\n",
    }


def stored(run: GoldenRun) -> dict[str, str]:
    """The pinned files of ``run`` as stored in the repository."""
    folder = GOLDEN / run.name
    return {path.name: path.read_text(encoding="utf-8") for path in sorted(folder.iterdir())}


def write_all() -> None:
    """Rewrite every golden run (``make golden``)."""
    for run in RUNS:
        folder = GOLDEN / run.name
        folder.mkdir(parents=True, exist_ok=True)
        for name, text in produce(run).items():
            (folder / name).write_text(text, encoding="utf-8")
        print(f"wrote {folder.relative_to(ROOT)}")


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    write_all()
