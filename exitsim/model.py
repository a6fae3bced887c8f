"""ExitModel: the phases of MODEL.md §3, wired in order over the World's arrays."""

from __future__ import annotations

from pathlib import Path

import mesa
import numpy as np
import pandas as pd
from pydantic import ValidationError

from . import process
from .agents import Organization, State
from .events import Event, EventLog
from .mechanisms import budget, contagion, domestic, law, lifecycle, power
from .mechanisms.grouping import GroupIndex
from .mechanisms.institutions import Flows, institutions_phase
from .outcomes import Outcomes
from .parameters import Params
from .scenario import Scenario, ScenarioError, build_world, load_scenario
from .streams import Streams
from .timeline import ScheduledEvent, Timeline, TimelineError
from .world import ALIVE, HEGEMON, ISSUE_AREAS, MEMBERSHIP_STATUS, World


class _OrganizationRules:
    """The organizations' rules as :func:`lifecycle.organization_rules` gives them, built only
    for the organization a founding copies (not for all of them at every founding)."""

    def __init__(self, world: World):
        self.world = world

    def __len__(self) -> int:
        return self.world.n_orgs

    def __getitem__(self, k: int) -> dict:
        w = self.world
        return lifecycle.rules_of(w.institutionalization, w.weighted_voting, w.cap, w.clause, k)


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
        timeline: Scheduled events (:class:`~exitsim.timeline.ScheduledEvent`) added to the
            scenario's own ``timeline:``, checked against the world's states, organizations and
            the run's years.

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
                 steps: int | None = None, parameters: dict | None = None, collect_states: bool = True,
                 timeline: list[ScheduledEvent] | None = None):
        scenario = config if isinstance(config, Scenario) else load_scenario(config)
        updates = {k: v for k, v in (("world_seed", world_seed), ("steps", steps)) if v is not None}
        if steps is not None:  # a run shortened with ``steps`` leaves out the file's later events
            updates["timeline"] = [e.model_dump() for e in scenario.timeline if e.year <= scenario.start_year + steps]
        if updates:
            try:
                scenario = Scenario.model_validate(scenario.model_dump() | updates)
            except ValidationError as error:
                raise ScenarioError([f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in error.errors()]) from None
        if seed is not None and not isinstance(seed, np.random.SeedSequence) and (
                isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0):
            raise ValueError(f"seed must be a whole number ≥ 0 or a numpy SeedSequence, got {seed!r}")
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
                            scenario.start_year + scenario.steps)
        for event in scheduled:  # a notice, threat or withheld dues needs a membership to act on
            if event.kind in ("notice", "threat", "withhold_dues") and self.row_of(event.state, event.organization) < 0:
                raise TimelineError(f"timeline event {event.kind!r} of {event.state!r} in {event.year}: "
                                    f"{event.state} is not a member of {event.organization}")
        self._clauses = None
        self.notice_records: list[dict] = []
        self.year_counts: process.YearCounts = process.YearCounts()
        self._set_initial_budgets()
        State.create_agents(self, self.world.n_states, index=list(range(self.world.n_states)))
        Organization.create_agents(self, self.world.n_orgs, index=list(range(self.world.n_orgs)))
        self.outcomes = Outcomes(self.n_steps, self.world.n_states, collect_states)
        self.datacollector = self.outcomes
        self.turnovers = np.zeros(self.world.n_states, dtype=bool)
        self.was_nativist = self.world.nativist_government.copy()
        self.flows: Flows = institutions_phase(self.world, self.params, np.zeros(self.world.n_orgs))
        self.world.leader_history[:] = self.flows.leader[:, None]
        self.world.align_hegemon, self.world.align_rising = process.alignment_targets(self)  # a starts at its target
        self.outcomes.record(0, self.year, self.world, self.flows, self.turnovers, self.year_counts)

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
        self.year_counts = counts = process.YearCounts()
        self.was_nativist = self.world.nativist_government.copy()  # before this year's turnovers
        self.turnovers = self._domestic_politics()   # 1. nativism, elections, leader changes (§4.9)
        self._institutions()                          # 2. dues, output, spillover, leadership (§4.1–4.3)
        self._power()                                 # 3. power from this year's flows (§4.4)
        value = process.evaluation_phase(self)        # 4. ũ with this year's flows (§4.5)
        # 5. Great-power strategies (§4.11): not built yet — the hegemon decides like any state.
        process.DecisionPhase(self, value, counts).run()  # 6. choices, threats, law (§4.6–4.7)
        process.contagion_phase(self, counts)          # 7. exposure for next year (§4.8)
        process.alignment_phase(self)                  # 8. alignment drift (§4.10),
        process.rejoin_phase(self, counts)             #    rejoining and returns,
        process.life_cycle_phase(self, counts)         #    zombies, deaths, foundings (§4.12)
        self.outcomes.record(self.steps, self.year, self.world, self.flows, self.turnovers, counts)  # 9. (§5)
        if self.steps >= self.n_steps:
            self.running = False

    def _domestic_politics(self) -> np.ndarray:
        """Phase 1: nativism moves (with relative decline); elections and leader changes pick
        new governments, nativist with probability logistic(slope (n − 0.5)); returns who
        turned over. Draws: one normal and two uniforms per state."""
        world, p, year = self.world, self.params, self.year
        if not p.domestic_politics:
            return self._scheduled_politics()
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
        return turned | self._scheduled_politics()

    def _scheduled_politics(self) -> np.ndarray:
        """The timeline's government changes (turnovers that open a window) and nativism shocks."""
        world, year = self.world, self.year
        turned = np.zeros(world.n_states, dtype=bool)
        for event in self.timeline.at(year, "government", "nativism_shock"):
            i = world.state_index(event.state)
            if event.kind == "government":
                world.nativist_government[i] = event.value == "nativist"
                world.last_turnover[i] = year
                turned[i] = True
                self.events.add(Event(year, "turnover", state=event.state, month=event.month,
                                      detail=f"scheduled: {event.value} government"))
            else:
                world.nativism[i] = float(np.clip(world.nativism[i] + event.value, 0.0, 1.0))
                self.events.add(Event(year, "shock", state=event.state, detail=f"nativism {event.value:+g}"))
        return turned

    def window_open(self) -> np.ndarray:
        """Per state: a window is open in a turnover's year and the next (MODEL.md §4.9)."""
        return domestic.window_open(self.world.last_turnover, self.year)

    def _institutions(self) -> None:
        world = self.world
        noise = self.streams.normal(self.steps, "institutions", world.n_orgs)
        withheld = None
        scheduled = [(self.row_of(e.state, e.organization), e.value) for e in self.timeline.at(self.year, "withhold_dues")]
        if scheduled or self.params.nativist_withholding > 0:
            ms = world.memberships
            withheld = np.where(world.nativist_government[ms.state], self.params.nativist_withholding, 0.0)
            for r, share in scheduled:
                withheld[r] = share
        self.flows = flows = institutions_phase(world, self.params, noise, withheld)
        ms = world.memberships
        if withheld is not None:  # what was assessed and not paid is owed
            ms.arrears[flows.rows] += flows.assessed - flows.dues
        world.quality = flows.quality
        world.quality_history = np.column_stack([flows.quality, world.quality_history[:, :-1]])
        world.leader_history = np.column_stack([flows.leader, world.leader_history[:, :-1]])
        ms.dues[:] = 0.0
        ms.dues[flows.rows] = flows.assessed

    def _power(self) -> None:
        world, p = self.world, self.params
        noise = self.streams.normal(self.steps, "power", world.n_states)
        world.power = power.update_power(world.power, world.growth, self.flows.net, noise,
                                         p.power_noise, p.institutional_rate, p.net_gain_clip)
        for event in self.timeline.at(self.year, "power_shock"):
            world.power[world.state_index(event.state)] *= event.value
            self.events.add(Event(self.year, "shock", state=event.state, detail=f"power × {event.value:g}"))
        world.power_history = np.column_stack([world.power, world.power_history[:, :-1]])
        world.share_history = np.column_stack([world.power / world.power.sum(), world.share_history[:, :-1]])

    # --- services for the phases ----------------------------------------------------------------
    def clause_arrays(self) -> law.ClauseArrays:
        """The organizations' withdrawal clauses as arrays (extended after foundings)."""
        if self._clauses is None:
            self._clauses = law.clause_arrays(self.world.clause)
            self._parsed_clauses: dict[tuple, tuple] = {}
        known = len(self._clauses.kind)
        if known < self.world.n_orgs:  # founded organizations copy a few clauses: parse each once a run
            keys = [tuple(sorted(clause.items())) for clause in self.world.clause[known:]]
            unseen = [key for key in dict.fromkeys(keys) if key not in self._parsed_clauses]
            if unseen:
                parsed = law.clause_arrays([dict(key) for key in unseen])
                for j, key in enumerate(unseen):
                    self._parsed_clauses[key] = tuple(field[j] for field in parsed)
            added = zip(*(self._parsed_clauses[key] for key in keys), strict=True)
            self._clauses = law.ClauseArrays(*(np.concatenate([old, np.array(new, dtype=old.dtype)])
                                               for old, new in zip(self._clauses, added, strict=True)))
        return self._clauses

    def reservation_arrays(self) -> law.ClauseArrays:
        """States' own withdrawal clauses (reservations) as arrays."""
        if getattr(self, "_reservations", None) is None:
            self._reservations = law.clause_arrays(self.world.reservations)
        return self._reservations

    def rows_by_state(self) -> GroupIndex:
        """Every edge-list row by its state (a :class:`GroupIndex`), made once for each length
        of the edge list: phases pick the rows with the status they need from it."""
        ms = self.world.memberships
        if getattr(self, "_rows_by_state", (None, -1))[1] != len(ms):
            self._rows_by_state = (GroupIndex(ms.state, np.arange(len(ms)), self.world.n_states), len(ms))
        return self._rows_by_state[0]

    def row_of(self, state: str, organization: str) -> int:
        """The membership row of a state in an organization, or −1 if it never was a member."""
        world, ms = self.world, self.world.memberships
        i, k = world.state_index(state), world.org_index(organization)
        found = np.flatnonzero((ms.state == i) & (ms.org == k))
        return int(found[-1]) if len(found) else -1

    def record_notice(self, row: int, members: np.ndarray) -> None:
        """Remember a notice or walk-out for the cascade outcome: was the state k's lead state
        (its most powerful member), and who were k's members (``members``, at the start of the year)."""
        world, ms = self.world, self.world.memberships
        lead = world.power[members].max(initial=0.0) if len(members) else 0.0
        self.notice_records.append({"year": self.year, "state": int(ms.state[row]), "org": int(ms.org[row]),
                                    "was_lead": bool(world.power[ms.state[row]] >= lead),
                                    "members": members.tolist()})

    def found_organizations(self, count: int, rng: np.random.Generator) -> list[int]:
        """This year's background foundings (§4.12): plan them together, append them to the
        World with their needs, and add the members' rows once for all of them."""
        world, p, year = self.world, self.params, self.year
        ms, by_state = world.memberships, self.rows_by_state()

        def orgs_of(founder: int) -> np.ndarray:  # a founder's active memberships
            rows = by_state.rows(founder)
            return ms.org[rows[world.active_mask(rows)]]

        pool = lifecycle.FoundingPool(world.power, world.ideal_point, world.alliances, None, None,
                                      world.issue_area, _OrganizationRules(world), orgs_of=orgs_of,
                                      min_members=p.founding_min_members,
                                      max_members=max(p.founding_max_members, p.founding_min_members),
                                      cap_min_members=p.founding_cap_min_members,
                                      ally_weight=p.founding_ally_weight,
                                      proximity_scale=p.founding_proximity_scale)
        plans = pool.plan(rng, count)
        first = world.n_orgs
        codes = [f"F{year}-{first + j + 1}" for j in range(count)]
        members = [np.asarray(plan["members"]) for plan in plans]
        state = np.concatenate(members)
        org = np.repeat(np.arange(count), [len(m) for m in members])
        quality = np.array([plan["intrinsic_quality"] for plan in plans])
        caps = np.array([np.nan if plan["cap"] is None else plan["cap"] for plan in plans])
        # every new organization's need at once: the cap fixed point over its members (§4.1)
        c_star = budget.uncapped_assessment(budget.assessment_base(world.power_history), np.full(count, p.budget_rate),
                                            state, org, p.organization_weight)
        founded = world.append_organizations(
            codes, [f"{plan['issue_area'].replace('_', ' ').capitalize()} organization founded {year}" for plan in plans],
            [plan["clause"] for plan in plans],
            issue_area=[ISSUE_AREAS.index(plan["issue_area"]) for plan in plans],
            institutionalization=[plan["institutionalization"] for plan in plans],
            weighted_voting=[plan["voting"] == "weighted" for plan in plans], budget_rate=p.budget_rate, cap=caps,
            quality=quality, intrinsic_quality=quality,
            value_multiplier=p.output_multiplier * np.exp(p.output_spread * np.array([plan["value"] for plan in plans])),
            founded=year, founder=[plan["founder"] for plan in plans], club=False,
            policy_offset=np.zeros(world.dimensions), org_status=ALIVE,
            need_base=budget.initial_need(c_star, org, caps, count), need_world_power=world.world_power,
            low_years=0, dying_years=0, quality_history=np.repeat(quality[:, None], 3, axis=1), leader_history=-1)
        for k, code, plan, rows_of in zip(founded, codes, plans, members, strict=True):
            Organization(self, index=k)
            self.events.add(Event(year, "founding", state=world.state_code[plan["founder"]], organization=code,
                                  detail=f"{len(rows_of)} members, {plan['issue_area']}"))
        world.memberships.append(state=state, org=org + first, joined=year + 1)
        return founded

    def cascades(self) -> pd.DataFrame:
        """Contagion cascades of the run so far (§4.8): one row per seed (a notice by k's lead
        state or by the hegemon), with its size and whether its window was cut by the end."""
        frame = contagion.cascades(
            pd.DataFrame(self.notice_records, columns=["year", "state", "org", "was_lead", "members"]),
            [r["members"] for r in self.notice_records], self.world.issue_area, self.year,
            self.world.role_index(HEGEMON))
        codes = np.asarray(self.world.state_code, dtype=object)
        orgs = np.asarray(self.world.org_code, dtype=object)
        if len(frame):
            frame["state"] = codes[frame["state"].to_numpy(int)]
            frame["org"] = orgs[frame["org"].to_numpy(int)]
        return frame.drop(columns=["followers", "notice"]).rename(columns={"org": "organization"})

    def withdrawal_rate(self) -> float:
        """Lawful notices (immediate exits included, walk-outs and non-treaty exits not) per
        member-year at risk, pooled over the run (§5)."""
        frame = self.datacollector.get_model_vars_dataframe()
        at_risk = frame["at_risk"].sum()
        return float(frame["notices"].sum() / at_risk) if at_risk else 0.0

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
                                self.config.start_year + self.n_steps)
        if event.kind in ("notice", "threat", "withhold_dues") and self.row_of(event.state, event.organization) < 0:
            raise TimelineError(f"timeline event {event.kind!r} of {event.state!r} in {event.year}: "
                                f"{event.state} is not a member of {event.organization}")
        self.timeline.add(event)
