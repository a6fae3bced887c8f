"""ExitModel: the phases of MODEL.md §3, wired in order over the World's arrays."""

from __future__ import annotations

from pathlib import Path

import mesa
import numpy as np
import pandas as pd

from .agents import Organization, State
from .events import Event, EventLog
from .mechanisms import budget, domestic, power
from .mechanisms.institutions import Flows, institutions_phase
from .outcomes import Outcomes
from .parameters import Params
from .scenario import Scenario, build_world, load_scenario
from .streams import Streams
from .world import MEMBERSHIP_STATUS, World


class ExitModel(mesa.Model):
    """Agent-based model of institutional exit (MODEL.md).

    Every argument has a default, so ``ExitModel()`` runs the packaged default scenario.

    Args:
        config: A :class:`~exitsim.scenario.Scenario`, a path to a scenario file, or None for
            the default scenario. (Mesa reserves ``scenario``; ours is kept as ``self.config``.)
        seed: Dynamics seed (an int or a ``SeedSequence``); default: the scenario's ``seed``.
        world_seed: Seed of the generated world; default: the scenario's ``world_seed``.
        steps: Years to run; default: the scenario's ``steps``.
        parameters: Parameter overrides by name (checked against the registry).
        collect_states: Keep per-state series (on by default; off for very large worlds).

    Attributes:
        world: The arrays that are the run's state (:class:`~exitsim.world.World`).
        params: The resolved parameters.
        flows: This year's institutional flows (:class:`~exitsim.mechanisms.institutions.Flows`).
        events: The event log.
        datacollector: The outcomes (``get_model_vars_dataframe()`` …).
        n_steps: Years the run lasts. Mesa's ``steps`` counts the years done.
    """

    def __init__(self, config: Scenario | str | Path | None = None, *,
                 seed: int | np.random.SeedSequence | None = None, world_seed: int | None = None,
                 steps: int | None = None, parameters: dict | None = None, collect_states: bool = True):
        scenario = config if isinstance(config, Scenario) else load_scenario(config)
        updates = {k: v for k, v in (("world_seed", world_seed), ("steps", steps)) if v is not None}
        if updates:
            scenario = Scenario.model_validate(scenario.model_dump() | updates)
        self.config: Scenario = scenario
        self.params: Params = scenario.params().replace(**(parameters or {}))
        self.seed = scenario.seed if seed is None else seed
        self.streams = Streams(self.seed)
        super().__init__(rng=self.streams.generator(0, "mesa"))
        self.n_steps = scenario.steps
        self.world: World = build_world(scenario, self.params)
        self.events = EventLog()
        self._set_initial_budgets()
        State.create_agents(self, self.world.n_states, index=list(range(self.world.n_states)))
        Organization.create_agents(self, self.world.n_orgs, index=list(range(self.world.n_orgs)))
        self.outcomes = Outcomes(self.n_steps, self.world.n_states, collect_states)
        self.datacollector = self.outcomes
        self.turnovers = np.zeros(self.world.n_states, dtype=bool)
        self.flows: Flows = institutions_phase(self.world, self.params, np.zeros(self.world.n_orgs))
        self.outcomes.record(0, self.year, self.world, self.flows, self.turnovers)

    # --- set-up --------------------------------------------------------------------------------
    def _set_initial_budgets(self) -> None:
        """Needs at the start (the cap fixed point, MODEL.md §4.1) and the first dues, so the
        first year's 10% rise cap has a base."""
        world, p = self.world, self.params
        rows = world.active_rows()
        ms = world.memberships
        base = budget.assessment_base(world.power_history)
        c_star = budget.uncapped_assessment(base, world.budget_rate, ms.state[rows], ms.org[rows], p.organization_weight)
        world.need_base = budget.initial_need(c_star, ms.org[rows], world.cap, world.n_orgs)
        world.need_world_power = np.full(world.n_orgs, world.world_power)
        paid, _ = budget.dues(c_star, ms.discount[rows], ms.org[rows], world.need(), world.cap,
                              p.contribution_floor, np.zeros(len(rows)), p.dues_rise_cap, world.n_orgs)
        ms.dues[rows] = paid

    # --- time ------------------------------------------------------------------------------------
    @property
    def year(self) -> int:
        """The calendar year of the current step (``start_year`` before the first step)."""
        return self.config.start_year + self.steps

    def step(self) -> None:
        """One year, in the phase order of MODEL.md §3 (every phase simultaneous)."""
        self.turnovers = self._domestic_politics()  # 1. nativism, elections, leader changes (§4.9)
        self._institutions()                      # 2. dues, output, spillover, leadership (§4.1–4.3)
        self._power()                             # 3. power from this year's flows (§4.4)
        # 4. Evaluation (§4.5), 5. great-power strategies (§4.11), 6. decisions (§4.6–4.7),
        # 7. contagion (§4.8), 8. alignment drift and life cycle (§4.10, §4.12): not wired in
        # yet (their mechanisms are in exitsim/mechanisms/); memberships stay as they are.
        self.outcomes.record(self.steps, self.year, self.world, self.flows, self.turnovers)  # 9. data collection (§5)
        if self.steps >= self.n_steps:
            self.running = False

    def _domestic_politics(self) -> np.ndarray:
        """Phase 1: nativism moves (with relative decline); elections and leader changes pick
        new governments, nativist with probability logistic(slope (n − 0.5)); returns who
        turned over. Draws: one normal and two uniforms per state."""
        world, p, year = self.world, self.params, self.year
        if not p.domestic_politics:
            return np.zeros(world.n_states, dtype=bool)
        decline = domestic.relative_decline(world.share_history[:, 0], world.share_history[:, p.decline_years])
        world.nativism = domestic.update_nativism(
            world.nativism, world.nativism_mean, decline, self.streams.normal(self.steps, "domestic", world.n_states),
            p.nativism_reversion, p.nativism_noise, p.decline_nativism)
        turned = domestic.turnovers(year, world.democracy, world.election_phase,
                                    self.streams.uniform(self.steps, "domestic", world.n_states, draw=1),
                                    p.election_period, p.autocratic_hazard, p.democracy_threshold)
        nativist = domestic.new_government_nativist(
            world.nativism, self.streams.uniform(self.steps, "domestic", world.n_states, draw=2), p.nativist_slope)
        for i in np.flatnonzero(turned):  # a year's few turnovers
            kind = "election" if world.democracy[i] >= p.democracy_threshold else "leader change"
            self.events.add(Event(year, "turnover", state=world.state_code[i],
                                  detail=f"{kind}: {'nativist' if nativist[i] else 'internationalist'} government"))
        world.nativist_government = np.where(turned, nativist, world.nativist_government)
        world.last_turnover = np.where(turned, year, world.last_turnover)
        return turned

    def window_open(self) -> np.ndarray:
        """Per state: a window is open in a turnover's year and the next (MODEL.md §4.9)."""
        return domestic.window_open(self.world.last_turnover, self.year)

    def _institutions(self) -> None:
        world = self.world
        noise = self.streams.normal(self.steps, "institutions", world.n_orgs)
        self.flows = institutions_phase(world, self.params, noise)
        world.quality = self.flows.quality
        world.memberships.dues[:] = 0.0
        world.memberships.dues[self.flows.rows] = self.flows.dues

    def _power(self) -> None:
        world, p = self.world, self.params
        noise = self.streams.normal(self.steps, "power", world.n_states)
        world.power = power.update_power(world.power, world.growth, self.flows.net, noise,
                                         p.power_noise, p.institutional_rate, p.net_gain_clip)
        world.power_history = np.column_stack([world.power, world.power_history[:, :-1]])
        world.share_history = np.column_stack([world.power / world.power.sum(), world.share_history[:, :-1]])

    def run(self, progress: bool = False) -> ExitModel:
        """Run the remaining years (with a progress bar if asked); return the model."""
        remaining = self.n_steps - self.steps
        if progress:
            from tqdm import tqdm

            for _ in tqdm(range(remaining), desc=self.config.name, unit="year"):
                self.step()
        else:
            for _ in range(remaining):
                self.step()
        return self

    # --- reading ----------------------------------------------------------------------------------
    def membership_panel(self) -> pd.DataFrame:
        """This year's state–organization rows: status and flows (memberships.csv's rows)."""
        world, flows = self.world, self.flows
        ms = world.memberships
        rows = flows.rows
        return pd.DataFrame({
            "year": self.year,
            "state": np.asarray(world.state_code, dtype=object)[ms.state[rows]],
            "organization": np.asarray(world.org_code, dtype=object)[ms.org[rows]],
            "status": np.asarray(MEMBERSHIP_STATUS, dtype=object)[ms.status[rows]],
            "uncapped_dues": flows.c_star,
            "dues": flows.dues,
            "public_good": flows.public_good,
            "access": flows.access,
            "nonneutral_gain": flows.leader_gain(),
            "commitment_transfer": flows.transfer - flows.leader_commitment(),
            "compliance": flows.compliance,
            "policy_distance": flows.distance,
            "leads": flows.leader[flows.org] == flows.state,
        })
