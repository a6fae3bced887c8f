"""ExitModel: the phases of MODEL.md §3, wired in order over the World's arrays."""

from __future__ import annotations

from pathlib import Path

import mesa
import numpy as np
import pandas as pd
import pyarrow as pa

from .agents import Organization, State
from .arguments import checked_arguments
from .cascades import NoticeLog, cascade_columns
from .clauses import load_templates
from .codes import HEGEMON, MEMBERSHIP_STATUS
from .events import EventLog
from .mechanisms import budget
from .mechanisms import domestic as mechanisms_domestic
from .mechanisms.flows import Flows
from .outcomes import Outcomes
from .parameters import Params
from .phases import (
    alignment,
    collection,
    contagion,
    decisions,
    domestic,
    evaluation,
    institutions,
    lifecycle,
    power,
    strategies,
)
from .phases.context import Lookups, StepContext, YearCounts
from .scenario import Scenario, build_world
from .strategy_state import StrategyState
from .streams import Streams
from .timeline import ScheduledEvent, Timeline
from .world import World


class ExitModel(mesa.Model):
    """Agent-based model of institutional exit (MODEL.md).

    Every argument has a default, so ``ExitModel()`` runs the packaged default scenario.

    Args:
        config: A :class:`~exitsim.scenario.Scenario`, a path to a scenario file, or None for
            the default scenario. (Mesa reserves ``scenario``; ours is kept as ``self.config``.)
        seed: Dynamics seed (an int or a ``SeedSequence``); default: the scenario's ``seed``.
        rng: Mesa's name for the seed (``mesa.Model(rng=...)``): an int or a ``SeedSequence``
            gives the same run as ``seed``; a ``numpy.random.Generator`` seeds the run with one
            draw from it. Give ``seed`` or ``rng``, not both.
        world_seed: Seed of the generated world; default: the scenario's ``world_seed``.
        steps: Years to run; default: the scenario's ``steps``.
        parameters: Parameter overrides by name (checked against the registry).
        collect_states: Keep per-state series (on by default; off for very large worlds).
        timeline: Scheduled events (:class:`~exitsim.timeline.ScheduledEvent`) added to the
            scenario's own ``timeline:``, checked against the world's states, organizations and
            the run's years.

    Raises:
        TypeError: an argument of the wrong type (named, with what it should be).
        ScenarioError: a scenario file with problems, or a seed or ``steps`` out of range.
        ParameterError: an unknown parameter or a value outside its range.
        TimelineError: a scheduled event that cannot happen in this world.

    Attributes:
        world: The arrays that are the run's state (:class:`~exitsim.world.World`).
        params: The resolved parameters.
        flows: This year's institutional flows (:class:`~exitsim.mechanisms.institutions.Flows`).
        events: The event log.
        strategy: What the great powers' strategies remember from year to year
            (:class:`~exitsim.strategy_state.StrategyState`).
        datacollector: The outcomes (``get_model_vars_dataframe()`` …).
        n_steps: Years the run lasts. Mesa's ``steps`` counts the years done.
    """

    def __init__(self, config: Scenario | str | Path | None = None, *,
                 seed: int | np.random.SeedSequence | None = None,
                 rng: int | np.random.SeedSequence | np.random.Generator | None = None, world_seed: int | None = None,
                 steps: int | None = None, parameters: dict | None = None, collect_states: bool = True,
                 timeline: list[ScheduledEvent] | None = None):
        if rng is not None:  # Mesa's keyword for the seed
            if seed is not None:
                raise TypeError(f"give seed or rng (Mesa's name for it), not both: seed={seed!r}, rng={rng!r}")
            seed = int(rng.integers(2**63)) if isinstance(rng, np.random.Generator) else rng
        scenario, timeline = checked_arguments(  # a run shortened with ``steps`` leaves out later events
            config, seed=seed, world_seed=world_seed, steps=steps, parameters=parameters,
            collect_states=collect_states, timeline=timeline)
        self.config: Scenario = scenario
        self.params: Params = scenario.params().replace(**(parameters or {}))
        self.seed = scenario.seed if seed is None else seed
        self.streams = Streams(self.seed)
        super().__init__(rng=self.streams.generator(0, "mesa"))
        self.n_steps = scenario.steps
        self.world: World = build_world(scenario, self.params)
        self.events = EventLog()
        scheduled = [event.to_event() for event in scenario.timeline]
        scheduled += list(timeline) if timeline is not None else []
        self.timeline = Timeline(scheduled)
        self.timeline.check(self.world.state_code, self.world.org_code, scenario.start_year + 1,
                            scenario.start_year + scenario.steps,
                            lambda state, org: self.world.row_of(state, org) >= 0)
        self.notices = NoticeLog()
        self.strategy = StrategyState.for_run(self.params, self.world.n_orgs)
        self.lookups = Lookups(self.world)
        self._set_initial_budgets()
        State.create_agents(self, self.world.n_states, index=list(range(self.world.n_states)))
        Organization.create_agents(self, self.world.n_orgs, index=list(range(self.world.n_orgs)))
        self.outcomes = Outcomes(self.n_steps, self.world.n_states, collect_states)
        self.datacollector = self.outcomes
        self.flows: Flows = institutions.flows(self.world, self.params, np.zeros(self.world.n_orgs))
        self.world.leader_history[:] = self.flows.leader[:, None]
        self.world.align_hegemon, self.world.align_rising = alignment.targets(self.world, self.flows)  # a starts at its target
        self.outcomes.record(0, self.year, self.world, self.flows, np.zeros(self.world.n_states, dtype=bool),
                             YearCounts())
        self.outcomes.record_strategies(0, self.world, self.flows, self.strategy)

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

    def context(self) -> StepContext:
        """The :class:`~exitsim.phases.context.StepContext` of the current year (``steps``,
        ``year``), with the latest flows: what the phases read and write. A step makes one for the
        year it runs; tests and tools can make one to run a phase on its own."""
        return StepContext(world=self.world, params=self.params, streams=self.streams, events=self.events,
                           timeline=self.timeline, notices=self.notices, lookups=self.lookups,
                           templates=load_templates(), step=self.steps, year=self.year, flows=self.flows,
                           turnovers=np.zeros(self.world.n_states, dtype=bool),
                           was_nativist=self.world.nativist_government.copy(), strategy=self.strategy)

    def step(self) -> None:
        """One year: the phases of MODEL.md §3 in order (each simultaneous over its rows)."""
        ctx = self.context()
        ctx.turnovers = domestic.run(ctx)             # 1. nativism, elections, leader changes (§4.9)
        ctx.flows = self.flows = institutions.run(ctx)  # 2. dues, output, spillover, leadership (§4.1–4.3)
        power.run(ctx)                                # 3. power from this year's flows (§4.4)
        value = self.evaluation = evaluation.run(ctx, strategies.gamma(ctx))  # 4. ũ with this year's flows (§4.5)
        taken = strategies.run(ctx, value)            # 5. great-power strategies (§4.11),
        for k in self.strategy.founded:               #    with their clubs and counter-institutions
            Organization(self, index=k)
        decisions.run(ctx, value, taken)              # 6. choices, threats, the law (§4.6–4.7)
        contagion.run(ctx)                            # 7. exposure for next year (§4.8)
        alignment.run(ctx)                            # 8. alignment drift (§4.10),
        lifecycle.rejoin(ctx)                         #    rejoining and returns,
        for k in lifecycle.run(ctx):                  #    zombies, deaths, foundings (§4.12)
            Organization(self, index=k)
        collection.run(ctx, self.outcomes)            # 9. the year's outcomes (§5)
        if self.steps >= self.n_steps:
            self.running = False

    def window_open(self) -> np.ndarray:
        """Per state: a window is open in a turnover's year and the next (MODEL.md §4.9)."""
        return mechanisms_domestic.window_open(self.world.last_turnover, self.year)

    def cascades(self) -> pd.DataFrame:
        """Contagion cascades of the run so far (§4.8): one row per seed (a notice by k's lead
        state or by the hegemon), with its size and whether its window was cut by the end."""
        records = self.notices.records
        log = {name: [r[name] for r in records] for name in ("year", "state", "org", "was_lead", "expected")}
        columns = cascade_columns(log, [r["members"] for r in records], self.world.issue_area, self.year,
                                  self.world.role_index(HEGEMON))
        if not len(columns["notice"]):
            return pd.DataFrame([], columns=["year", "state", "organization", "size", "censored", "expected", "excess"])
        codes = np.asarray(self.world.state_code, dtype=object)
        orgs = np.asarray(self.world.org_code, dtype=object)
        return pd.DataFrame({"year": columns["year"], "state": codes[columns["state"]],
                             "organization": orgs[columns["org"]], "size": columns["size"],
                             "censored": columns["censored"], "expected": columns["expected"],
                             "excess": columns["excess"]})

    def timeseries(self) -> pd.DataFrame:
        """One row per year: the model-level outcomes and the strategies' (``timeseries.csv``)."""
        return self.datacollector.get_timeseries_dataframe()

    def withdrawal_rate(self) -> float:
        """Lawful notices (immediate exits included, walk-outs and non-treaty exits not) per
        member-year at risk, pooled over the run (§5)."""
        at_risk = self.datacollector.column("at_risk").sum()
        return float(self.datacollector.column("notices").sum() / at_risk) if at_risk else 0.0

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
    def organization_panel(self) -> pd.DataFrame:
        """Each organization each year so far (organizations.csv's rows; columns in
        :data:`~exitsim.outcomes.ORGANIZATION_PANEL_COLUMNS`)."""
        return self.outcomes.organizations.frame()

    def membership_table(self) -> pa.Table:
        """This year's state–organization rows (``memberships.csv``'s rows): status, flows, the
        membership's value ũ to the state (this year's evaluation), exposure, discount and arrears,
        as an Arrow table: built without Python objects, so a run writes its panel year by year at
        little cost (columns in :data:`exitsim.outputs.MEMBERSHIP_PANEL_COLUMNS`)."""
        world, flows = self.world, self.flows
        ms = world.memberships
        rows = flows.rows
        value = self.evaluation if self.steps else evaluation.run(self.context())  # the start: ũ of its flows
        return pa.table({
            "year": np.full(len(rows), self.year, dtype=np.int64),
            "state": pa.array(world.state_code, pa.string()).take(ms.state[rows]),
            "organization": pa.array(world.org_code, pa.string()).take(ms.org[rows]),
            "status": pa.array(MEMBERSHIP_STATUS, pa.string()).take(ms.status[rows]),
            "uncapped_dues": flows.c_star,
            "dues": flows.dues,
            "public_good": flows.public_good,
            "access": flows.access,
            "nonneutral_gain": flows.leader_gain(),
            "commitment_transfer": flows.transfer - flows.leader_commitment(),
            "compliance": flows.compliance,
            "policy_distance": flows.distance,
            "leads": flows.leader[flows.org] == flows.state,
            "value": value.utility,
            "exposure": ms.exposure[rows],
            "discount": ms.discount[rows],
            "arrears": ms.arrears[rows],
        })

    def membership_panel(self) -> pd.DataFrame:
        """This year's state–organization rows: status and flows (:meth:`membership_table` as a
        DataFrame)."""
        return self.membership_table().to_pandas()

    # --- interventions ------------------------------------------------------------------------------
    def schedule(self, event: ScheduledEvent) -> None:
        """Add an event to this run's timeline (an intervention), checked as the scenario's
        timeline is: its state and organization exist, it falls in a coming year of the run
        (the next step's year, ``self.year + 1``, at the earliest) and a notice, threat or
        withheld dues acts on a membership. It acts in its phase of that year's step.

        Raises:
            TimelineError: saying what cannot happen.
        """
        Timeline([event]).check(self.world.state_code, self.world.org_code, self.year + 1,
                                self.config.start_year + self.n_steps,
                                lambda state, org: self.world.row_of(state, org) >= 0)
        self.timeline.add(event)
