"""One browser tab's run: its scenario, seed, parameter settings, model and interventions.

A :class:`Session` holds no widget; the page (:mod:`exitsim.dashboard.app`) makes one per tab
and redraws whenever :attr:`Session.version` changes. Every change to the model goes through
the session's lock, so the Play loop's steps and the instructor's clicks never interleave.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path

from ..loading import ScenarioError
from ..model import ExitModel
from ..parameters import REGISTRY, Parameter, ParameterError, parameters_in_group
from ..strict import MAX_SEED
from ..timeline import ScheduledEvent, TimelineError
from ..world import DEAD, INACTIVE, MEMBER, WITHDRAWN
from .scenario_files import list_scenarios, read_scenario, scenario_path, validate_text

#: The parameters an instructor moves, by what they stand for; every name is a registry entry,
#: and each control shows the registry's range and description. Great-power strategies join
#: them as soon as the registry has a ``strategies`` group.
CONTROL_GROUPS: dict[str, tuple[str, ...]] = {
    "Contagion": ("beta_contagion", "same_issue_spill", "exposure_retained"),
    "Nativism": ("nativist_cost", "decline_nativism", "nativist_slope"),
    "Exit costs": ("reputation_cost", "domestic_switching_cost", "credibility_cost"),
    "Spillover": ("leak", "access_spillover"),
}


def control_groups() -> dict[str, list[Parameter]]:
    """:data:`CONTROL_GROUPS` as registry entries, with the ``strategies`` group when it exists."""
    groups = {title: [REGISTRY[name] for name in names] for title, names in CONTROL_GROUPS.items()}
    strategies = parameters_in_group("strategies")
    if strategies:
        groups["Great-power strategies"] = strategies
    return groups


@dataclass(frozen=True)
class Intervention:
    """An intervention the page offers: a timeline event kind and how it reads."""

    kind: str  # a timeline kind (exitsim.timeline.TIMELINE_KINDS)
    label: str  # "gives notice to": the state, the label, the organization
    needs_organization: bool
    value: str | None = None


INTERVENTIONS = {
    "notice": Intervention("notice", "gives notice to", True),
    "threat": Intervention("threat", "threatens to leave", True),
    "nativist": Intervention("government", "turns nativist (new government)", False, "nativist"),
    "rejoin": Intervention("rejoin", "rejoins", True),
}


class Session:
    """The run shown in one browser tab.

    Args:
        folder: The scenarios folder (the only place files are read from).
        name: The scenario file to start with (default: ``default.yaml`` if there, else the first).

    Attributes:
        folder, name: Where the scenario came from.
        text: The YAML text the model was built from (the file's, or the editor's once applied).
        scenario: The validated scenario.
        seed: The dynamics seed for the next Reset (None: the scenario's).
        settings: Parameter values set by the instructor (applied to the model and kept on Reset).
        model: The current :class:`~exitsim.model.ExitModel`.
        version: Counts changes; the page redraws when it moves.
        notes: What the instructor did, newest last, as (year, sentence).
    """

    def __init__(self, folder: Path, name: str | None = None):
        self.folder = folder
        self.lock = threading.RLock()
        names = list_scenarios(folder)
        if name is None:
            name = "default.yaml" if "default.yaml" in names else names[0]
        self.seed: int | None = None
        self.settings: dict[str, float | int | bool] = {}
        self.version = 0
        self.open(name)

    # --- the scenario -----------------------------------------------------------------------------
    def open(self, name: str) -> None:
        """Switch to scenario file ``name`` of the folder and start it afresh.

        Raises:
            ScenarioError: the file is not in the folder or does not validate (the run is kept).
        """
        name = scenario_path(self.folder, name).name
        text = read_scenario(self.folder, name)
        scenario = validate_text(text, name, self.folder)
        with self.lock:
            self.name, self.text, self.scenario = name, text, scenario
            self.seed = None
            self.reset()

    def apply_text(self, text: str) -> None:
        """Validate edited YAML and, if it is a scenario, start it afresh.

        Raises:
            ScenarioError: every problem, located; the current run goes on unchanged.
        """
        scenario = validate_text(text, self.name, self.folder)
        with self.lock:
            self.text, self.scenario = text, scenario
            self.reset()

    def reset(self) -> None:
        """Build the model anew from the scenario, the seed and the parameter settings."""
        with self.lock:
            self.model = ExitModel(self.scenario, seed=self.seed, parameters=self.settings)
            self.notes: list[tuple[int, str]] = []
            self.version += 1

    # --- the run ------------------------------------------------------------------------------------
    @property
    def finished(self) -> bool:
        """The run has reached its last year."""
        return self.model.steps >= self.model.n_steps

    def step(self) -> bool:
        """One year, unless the run is over; True if a year was simulated."""
        with self.lock:
            if self.finished:
                return False
            self.model.step()
            self.version += 1
            return True

    def set_seed(self, seed: int | None) -> None:
        """The dynamics seed of the next Reset (None: the scenario's own)."""
        if seed is not None and (isinstance(seed, bool) or not isinstance(seed, int) or not 0 <= seed <= MAX_SEED):
            raise ValueError(f"the seed must be a whole number from 0 to {MAX_SEED}, got {seed!r}")
        self.seed = seed

    def set_parameter(self, name: str, value) -> None:
        """Set a registry parameter from the next year on (and for later Resets).

        Raises:
            ParameterError: the name is unknown or the value outside the registry's range.
        """
        if name not in REGISTRY:
            raise ParameterError(name, value, "a known parameter")
        value = REGISTRY[name].check(value)
        with self.lock:
            self.settings[name] = value
            self.model.params = self.model.params.replace(**{name: value})
            if name in ("hegemon_strategy", "rising_strategy"):  # the run keeps its strategies in its state
                setattr(self.model.strategy, name, value)
            self.notes.append((self.model.year, f"{name} set to {value:g}" if isinstance(value, float | int)
                               and not isinstance(value, bool) else f"{name} set to {value}"))
            self.version += 1

    # --- interventions --------------------------------------------------------------------------------
    def targets(self, action: str, state: str) -> list[str]:
        """The organizations an intervention by ``state`` can name: those it is an active member of
        (notice, threat), those it has left or never joined (rejoin), none (a government change)."""
        intervention = INTERVENTIONS[action]
        if not intervention.needs_organization:
            return []
        world = self.model.world
        ms, i = world.memberships, world.state_index(state)
        alive = world.org_status != DEAD
        status = {int(k): int(s) for k, s in zip(ms.org[ms.state == i], ms.status[ms.state == i], strict=True)}
        if action == "rejoin":
            chosen = [k for k in range(world.n_orgs) if alive[k] and status.get(k, WITHDRAWN) in (INACTIVE, WITHDRAWN)]
        else:
            chosen = [k for k, s in status.items() if s == MEMBER and alive[k]]
        return sorted(world.org_code[k] for k in chosen)

    def intervene(self, action: str, state: str, organization: str = "") -> ScheduledEvent:
        """Schedule an intervention for the coming year and simulate that year, so it acts now.

        Raises:
            TimelineError: it cannot happen (the run is over, or the state is not a member …).
        """
        intervention = INTERVENTIONS[action]
        with self.lock:
            if self.finished:
                raise TimelineError(f"the run ended in {self.model.year}; press Reset to start again")
            event = ScheduledEvent(self.model.year + 1, intervention.kind, state,
                                   organization if intervention.needs_organization else "",
                                   value=intervention.value)
            self.model.schedule(event)
            sentence = f"{state} {intervention.label}" + (f" {organization}" if organization else "")
            self.notes.append((event.year, f"intervention: {sentence}"))
            self.step()
            return event


def problems_of(error: ScenarioError) -> list[str]:
    """A scenario error's problems as lines for the page: ``line 12, column 5: path: message``."""
    lines = []
    for p in error.problems:
        where = f"line {p.line}, column {p.col}" if p.line is not None else ""
        if p.file and where:
            where = f"{Path(p.file).name}, {where}"
        lines.append(": ".join(part for part in (where, p.path, p.message) if part))
    return lines
