"""Model outcomes (MODEL.md §5), collected into preallocated arrays.

:class:`Outcomes` keeps one row per year (row 0 is the start) of every model-level measure,
and, when asked, one row per state and year. It offers the ``DataCollector`` reading
interface Mesa users know (``get_model_vars_dataframe``, ``get_agent_vars_dataframe``); the
DataFrames are built once, when asked, not step by step.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .codes import (
    ALIVE,
    CLAUSE_KINDS,
    DEAD,
    HEGEMON,
    ISSUE_AREAS,
    ORGANIZATION_STATUS,
    RISING,
    ROLES,
    VOTING_RULES,
    ZOMBIE,
)
from .generate import gini
from .mechanisms.flows import FLOW_NAMES, Flows
from .mechanisms.grouping import group_sum
from .strategy_state import COUNTER_INSTITUTION
from .world import World

#: Model-level measures: name -> description (unit). docs/outputs.md is made from this.
MODEL_MEASURES = {
    "year": "calendar year",
    "world_power": "W, the sum of all states' power (power units)",
    "gini_power": "Gini coefficient of power shares (0 equal … 1 concentrated)",
    "hegemon_power_share": "hegemon's share of world power",
    "rising_power_share": "rising power's share of world power",
    "hegemon_rising_ratio": "P_hegemon / P_rising",
    "hegemon_leadership_share": "share of all organizations' output produced in organizations the hegemon leads",
    "rising_leadership_share": "share of all organizations' output produced in organizations the rising power leads",
    "hierarchy": "Σ_i L_i², L_i state i's share of output led (leaderless organizations count in the denominator)",
    "polycentricity": "number of states leading at least 5% of output",
    "layering": "mean number of living same-area organizations per state and issue area (pairs with at least one)",
    "public_goods": "total output Σ_k G_k of the organizations not dead, zombies included (power units a year)",
    "need": "total need Σ_k N_k of the organizations not dead, zombies included (power units a year)",
    "shortfall_share": "Σ shortfall / Σ need",
    "budget_share_hegemon": "hegemon's share of all dues paid",
    "budget_share_rising": "rising power's share of all dues paid",
    "budget_share_rest": "other states' share of all dues paid",
    "hegemon_dues_rate": "hegemon's dues as a share of its power (per year)",
    "median_net_gain_rate": "median over states of net institutional gain / power (per year)",
    "nativist_government_share": "share of states with a nativist government",
    "mean_nativism": "mean nativism n over states",
    "turnovers": "government turnovers this year (elections and leader changes)",
    "at_risk": "member-years at risk this year: memberships with status member in living treaty bodies (§5)",
    "notices": "lawful notices given this year (immediate ones included; walk-outs and non-treaty exits not)",
    "threats": "threats to leave made this year",
    "concessions": "threats and notices answered with a concession this year",
    "withdrawals": "notices that took effect this year",
    "non_treaty_exits": "exits from non-treaty bodies this year (not treaty withdrawals)",
    "walkouts_contested": "walk-outs without a right to leave this year (the state is kept as inactive)",
    "walkouts_violated": "walk-outs against the procedure this year (during the minimum tenure)",
    "rescissions": "notices withdrawn before taking effect this year",
    "rejoins": "withdrawn states rejoining this year",
    "returns": "inactive members resuming their seats this year",
    "under_notice_share": "share of memberships under notice at the end of the year",
    "foundings": "organizations founded this year",
    "deaths": "organizations that died this year",
    "hegemon_alignment_mean": "mean alignment of other states with the hegemon",
    "rising_alignment_mean": "mean alignment of other states with the rising power",
    "organizations_alive": "organizations alive (not zombie, not dead)",
    "organizations_zombie": "zombie organizations",
    "organizations_dead": "dead organizations",
    "memberships_active": "memberships counted this year: members and members under notice when the year's dues are levied, those that leave during the year included (the rows of memberships.csv)",
}

#: The parts of the year's change of ln(P_hegemon / P_rising), each the hegemon's part of its
#: log-power change less the rising power's (MODEL.md §4.4; :func:`ratio_decomposition`).
RATIO_PARTS = ("growth", *FLOW_NAMES, "noise", "other")
_FLOW_WORDS = {"public_goods": "public goods received (members' share and the leak)", "access": "access spillover",
               "leadership": "non-neutral gains of the organizations led", "dues": "dues paid",
               "commitments": "security commitments received less those paid as leader",
               "compliance": "compliance costs",
               "voluntary": "voluntary contributions paid (a great power's strategy; 0 without one)"}
MODEL_MEASURES |= {
    "ratio_change": "this year's change of ln(P_hegemon / P_rising) (log points; the sum of the ratio_change_* parts)",
    "ratio_change_growth": "its part from the two powers' growth rates, g_hegemon − g_rising (log points)",
    **{f"ratio_change_{name}": f"its part from {_FLOW_WORDS.get(name, name.replace('_', ' '))} (log points)"
       for name in FLOW_NAMES},
    "ratio_change_noise": "its part from the two powers' random shocks (log points)",
    "ratio_change_other": "the rest: scheduled power shocks and debts paid out of power (log points)",
    "notices_scheduled": "of this year's lawful notices, those the timeline scheduled (the rest are the model's own)",
}

#: The great-power strategies' measures (MODEL.md §4.11, §5): name -> description (unit). They are
#: columns of ``timeseries.csv`` after :data:`MODEL_MEASURES`, kept in a frame of their own
#: (:meth:`Outcomes.get_strategy_vars_dataframe`; :meth:`~exitsim.model.ExitModel.timeseries` has both).
STRATEGY_MEASURES = {
    "strategy_active": "1 from the year the strategies became active (the hegemon's lead P_H/P_R fell below "
                       "strategy_trigger) when either great power has one, else 0",
    "strategic_actions": "actions the great powers' strategies took this year (threats, notices, admission offers, "
                         "shortened assessments, amendments, foundings, gaps newly filled)",
    "hegemon_voluntary": "voluntary contributions the hegemon paid this year on top of its dues (power units a year)",
    "rising_voluntary": "voluntary contributions the rising power paid this year on top of its dues (power units a year)",
    "club_organizations": "living club organizations",
    "counter_institutions": "living organizations the rising power founded by its counter_institutions strategy",
}

#: Per-state measures: name -> description (unit).
STATE_MEASURES = {
    "power": "P, material power (power units)",
    "power_share": "share of world power",
    "net_gain": "net institutional flow this year (power units)",
    "dues": "dues paid this year (power units)",
    "nativism": "domestic nativist pressure n in [0, 1]",
    "nativist_government": "1 if the government is nativist",
    "reputation": "reputation stock (1 a clean record; falls with contested or violated exits)",
    "alignment_hegemon": "alignment with the hegemon (share of net gains from organizations it leads, smoothed)",
    "alignment_rising": "alignment with the rising power",
    "leadership_share": "share of all output produced in organizations it leads",
}


#: organizations.csv (:meth:`OrganizationPanel.frame`): column -> description (unit).
ORGANIZATION_PANEL_COLUMNS = {
    "year": "calendar year",
    "organization": "organization code",
    "issue_area": "its issue area",
    "clause_kind": "the kind of its withdrawal clause: explicit, implied, consent, none or non_treaty (members' reservations aside)",
    "institutionalization": "1 minimal, 2 structured, 3 interventionist",
    "voting": "one_state_one_vote or weighted",
    "founded": "year its treaty entered into force",
    "status": "alive, zombie or dead at the end of the year",
    "leader": "code of the state that leads it this year (its largest contributor by the leader margin), or empty",
    "members": "active members (member or under notice) at the end of the year",
    "need": "its need N_k this year (power units a year; 0 once dead)",
    "collected": "dues and contributions it collected this year (power units a year)",
    "performance": "its performance q_k this year, in [0, 1]",
    "club": "True for a club organization",
}


class OrganizationPanel:
    """Each organization each recorded year (organizations.csv), kept as arrays a year and made
    a table when asked: organizations are few beside memberships, and their number grows with
    foundings."""

    def __init__(self) -> None:
        self._years: list[dict[str, np.ndarray]] = []
        self._kinds = np.zeros(0, dtype=np.int64)  # clause kind codes, extended as organizations are founded

    def record(self, year: int, world: World, flows: Flows) -> None:
        """This year's row for every organization. Need, collected, performance and leader are
        this year's institutions phase's; an organization founded this year has none yet
        (its need is set, nothing collected, no leader). Status and members are the year's end."""
        m = world.n_orgs
        if len(self._kinds) < m:  # a year's foundings: their clauses' kinds
            new = [CLAUSE_KINDS.index(c.get("kind", "implied")) for c in world.clause[len(self._kinds):]]
            self._kinds = np.concatenate([self._kinds, np.array(new, dtype=np.int64)])
        known = len(flows.need)
        need = np.concatenate([flows.need, world.need()[known:]])
        self._years.append({
            "year": np.full(m, year), "organization": np.arange(m), "issue_area": world.issue_area.copy(),
            "clause_kind": self._kinds[:m], "institutionalization": world.institutionalization.copy(),
            "voting": world.weighted_voting.astype(np.int64), "founded": world.founded.copy(),
            "status": world.org_status.copy(),
            "leader": np.concatenate([flows.leader, np.full(m - known, -1, dtype=np.int64)]),
            "members": world.member_counts(), "need": need,
            "collected": np.concatenate([flows.collected, np.zeros(m - known)]),
            "performance": world.quality.copy(), "club": world.club.copy()})
        self._names = (list(world.org_code), list(world.state_code))

    def frame(self) -> pd.DataFrame:
        """Every recorded year, in order (the columns of :data:`ORGANIZATION_PANEL_COLUMNS`)."""
        if not self._years:
            return pd.DataFrame(columns=list(ORGANIZATION_PANEL_COLUMNS))
        column = {name: np.concatenate([year[name] for year in self._years]) for name in self._years[0]}
        orgs, states = self._names
        words = {"organization": np.asarray(orgs, dtype=object), "issue_area": np.asarray(ISSUE_AREAS, dtype=object),
                 "clause_kind": np.asarray(CLAUSE_KINDS, dtype=object), "voting": np.asarray(VOTING_RULES, dtype=object),
                 "status": np.asarray(ORGANIZATION_STATUS, dtype=object), "leader": np.asarray(states + [""], dtype=object)}
        for name, table in words.items():
            column[name] = table[column[name]]
        column["institutionalization"] = column["institutionalization"].astype(int)
        column["founded"] = column["founded"].astype(int)
        column["club"] = column["club"].astype(bool)
        return pd.DataFrame(column, columns=list(ORGANIZATION_PANEL_COLUMNS))


def leadership_shares(flows: Flows, world: World) -> np.ndarray:
    """L_i: each state's share of the output of living organizations produced in those it leads."""
    living = world.org_status[: len(flows.output)] != DEAD  # organizations founded since have no output yet
    total = flows.output[living].sum()
    led = living & (flows.leader >= 0)
    shares = group_sum(flows.output[led], flows.leader[led], world.n_states)
    return shares / total if total > 0 else shares


def layering(world: World) -> float:
    """Mean number of living same-area organizations per (state, issue area) pair with ≥ 1."""
    rows = world.active_rows()
    ms = world.memberships
    key = ms.state[rows] * len(ISSUE_AREAS) + world.issue_area[ms.org[rows]]
    pairs = np.count_nonzero(np.bincount(key))  # (state, area) pairs with at least one
    return len(rows) / pairs if pairs else 0.0


def ratio_decomposition(power_terms: dict[str, np.ndarray], hegemon: int, rising: int,
                        change: float) -> dict[str, float]:
    """The year's change of ln(P_hegemon / P_rising), ``change``, split into :data:`RATIO_PARTS`:
    each part of the power update (:func:`exitsim.phases.power.terms`) for the hegemon less the
    same for the rising power, and ``other`` the rest (scheduled power shocks, debts paid out of
    power). The parts add up to ``change``."""
    parts = {name: float(power_terms[name][hegemon] - power_terms[name][rising])
             for name in RATIO_PARTS if name in power_terms}
    parts["other"] = change - sum(parts.values())
    return parts


#: Model measures that are whole numbers (integer columns of the model frame).
COUNT_MEASURES = frozenset(("year", "polycentricity", "turnovers", "at_risk", "notices", "threats", "concessions",
                            "withdrawals", "non_treaty_exits", "walkouts_contested", "walkouts_violated",
                            "rescissions", "rejoins", "returns", "foundings", "deaths", "organizations_alive",
                            "organizations_zombie", "organizations_dead", "memberships_active",
                            "notices_scheduled"))


class Outcomes:
    """Preallocated outcome arrays for ``n_steps`` years plus the start.

    Args:
        n_steps: Years the run will last.
        n_states: Number of states (per-state arrays are opt-in: ``collect_states``).
        collect_states: Keep per-state series (``states.csv``).
    """

    def __init__(self, n_steps: int, n_states: int, collect_states: bool = True):
        self.n_rows = n_steps + 1
        self.model = {name: np.full(self.n_rows, np.nan) for name in MODEL_MEASURES}
        self.collect_states = collect_states
        shape = (self.n_rows, n_states) if collect_states else (0, n_states)
        self.states = {name: np.full(shape, np.nan) for name in STATE_MEASURES}
        self.recorded = 0
        self.state_codes: list[str] = []
        self.strategy = {name: np.zeros(self.n_rows) for name in STRATEGY_MEASURES}
        self.state_roles: list[str] = []
        self.organizations = OrganizationPanel()

    def record(self, row: int, year: int, world: World, flows: Flows, turnovers: np.ndarray, counts,
               power_terms: dict[str, np.ndarray] | None = None) -> None:
        """Compute and store every measure of one year; ``power_terms`` (phase 3's parts of each
        state's change of log power) decompose the change of the hegemon/rising ratio."""
        m = self.model
        power = world.power
        total = power.sum()
        hegemon, rising = world.role_index(HEGEMON), world.role_index(RISING)
        lead = leadership_shares(flows, world)
        living = world.org_status[: len(flows.output)] != DEAD
        dues_paid = flows.dues_total.sum()
        m["year"][row] = year
        m["world_power"][row] = total
        m["gini_power"][row] = gini(power)
        m["hegemon_power_share"][row] = power[hegemon] / total if hegemon >= 0 else np.nan
        m["rising_power_share"][row] = power[rising] / total if rising >= 0 else np.nan
        m["hegemon_rising_ratio"][row] = power[hegemon] / power[rising] if min(hegemon, rising) >= 0 else np.nan
        m["hegemon_leadership_share"][row] = lead[hegemon] if hegemon >= 0 else np.nan
        m["rising_leadership_share"][row] = lead[rising] if rising >= 0 else np.nan
        m["hierarchy"][row] = float((lead**2).sum())
        m["polycentricity"][row] = int((lead >= 0.05).sum())
        m["layering"][row] = layering(world)
        m["public_goods"][row] = flows.output[living].sum()
        need = flows.need[living].sum()
        m["need"][row] = need
        m["shortfall_share"][row] = flows.shortfall[living].sum() / need if need > 0 else 0.0
        for name, index in (("budget_share_hegemon", hegemon), ("budget_share_rising", rising)):
            m[name][row] = flows.dues_total[index] / dues_paid if index >= 0 and dues_paid > 0 else np.nan
        special = [i for i in (hegemon, rising) if i >= 0]
        m["budget_share_rest"][row] = ((dues_paid - flows.dues_total[special].sum()) / dues_paid
                                       if dues_paid > 0 else np.nan)
        m["hegemon_dues_rate"][row] = flows.dues_total[hegemon] / power[hegemon] if hegemon >= 0 else np.nan
        m["median_net_gain_rate"][row] = float(np.median(flows.net / power))
        m["nativist_government_share"][row] = world.nativist_government.mean()
        m["mean_nativism"][row] = world.nativism.mean()
        m["turnovers"][row] = int(turnovers.sum())
        for name in ("at_risk", "notices", "threats", "concessions", "withdrawals", "non_treaty_exits",
                     "walkouts_contested", "walkouts_violated", "rescissions", "rejoins", "returns", "foundings",
                     "deaths", "notices_scheduled"):
            m[name][row] = getattr(counts, name)
        m["under_notice_share"][row] = counts.under_notice / max(len(flows.rows), 1)
        others = np.ones(world.n_states, dtype=bool)
        others[[i for i in (hegemon, rising) if i >= 0]] = False
        m["hegemon_alignment_mean"][row] = world.align_hegemon[others].mean() if others.any() else np.nan
        m["rising_alignment_mean"][row] = world.align_rising[others].mean() if others.any() else np.nan
        m["organizations_alive"][row] = int((world.org_status == ALIVE).sum())
        m["organizations_zombie"][row] = int((world.org_status == ZOMBIE).sum())
        m["organizations_dead"][row] = int((world.org_status == DEAD).sum())
        m["memberships_active"][row] = len(flows.rows)
        if min(hegemon, rising) >= 0:  # the start has no change: 0
            moved = power_terms is not None and row > 0
            change = np.log(m["hegemon_rising_ratio"][row] / m["hegemon_rising_ratio"][row - 1]) if moved else 0.0
            parts = ratio_decomposition(power_terms, hegemon, rising, change) if moved else {}
            for name in RATIO_PARTS:
                m[f"ratio_change_{name}"][row] = parts.get(name, 0.0)
            m["ratio_change"][row] = change
        if self.collect_states:
            s = self.states
            s["power"][row] = power
            s["power_share"][row] = power / total
            s["net_gain"][row] = flows.net
            s["dues"][row] = flows.dues_total
            s["nativism"][row] = world.nativism
            s["nativist_government"][row] = world.nativist_government
            s["leadership_share"][row] = lead
            s["reputation"][row] = world.reputation
            s["alignment_hegemon"][row] = world.align_hegemon
            s["alignment_rising"][row] = world.align_rising
            self.state_codes = list(world.state_code)
            self.state_roles = [ROLES[r] for r in world.role]
        self.organizations.record(year, world, flows)
        self.recorded = max(self.recorded, row + 1)

    def record_strategies(self, row: int, world: World, flows: Flows, state) -> None:
        """Store the strategies' measures of one year (``state``: the run's
        :class:`~exitsim.strategy_state.StrategyState`)."""
        m = self.strategy
        m["strategy_active"][row] = float(state.active)
        m["strategic_actions"][row] = sum(state.actions) if state.active else 0
        for name, role in (("hegemon_voluntary", HEGEMON), ("rising_voluntary", RISING)):
            index = world.role_index(role)
            paid = 0.0 if flows.voluntary is None or index < 0 else flows.voluntary[flows.state == index].sum()
            m[name][row] = paid
        living = world.org_status != DEAD
        m["club_organizations"][row] = int((world.club & living).sum())
        counter = np.zeros(world.n_orgs, dtype=bool)
        counter[: len(state.founded_by)] = state.founded_by == COUNTER_INSTITUTION
        m["counter_institutions"][row] = int((counter & living).sum())

    def get_strategy_vars_dataframe(self) -> pd.DataFrame:
        """The strategies' measures, one row per recorded year, indexed by step like
        :meth:`get_model_vars_dataframe`."""
        frame = pd.DataFrame(self._strategy_columns())
        frame.index.name = "step"
        return frame

    def column(self, name: str) -> np.ndarray:
        """One model measure over the recorded years, as :meth:`get_model_vars_dataframe` has it
        (counts as integers), without building the frame."""
        values = self.model[name][: self.recorded]
        return values.astype(int) if name in COUNT_MEASURES else values

    def get_model_vars_dataframe(self) -> pd.DataFrame:
        """One row per recorded year, indexed by step (0 = the start)."""
        frame = pd.DataFrame(self._model_columns())
        frame.index.name = "step"
        return frame

    def get_timeseries_dataframe(self) -> pd.DataFrame:
        """The model's measures and then the strategies' (:meth:`get_model_vars_dataframe` joined
        with :meth:`get_strategy_vars_dataframe`), built as one frame."""
        frame = pd.DataFrame(self.timeseries_columns())
        frame.index.name = "step"
        return frame

    def timeseries_columns(self) -> dict[str, np.ndarray]:
        """:meth:`get_timeseries_dataframe`'s columns (views of the recorded years, counts as
        integers), no frame built."""
        return self._model_columns() | self._strategy_columns()

    def _model_columns(self) -> dict[str, np.ndarray]:
        return {k: v[: self.recorded].astype(int) if k in COUNT_MEASURES else v[: self.recorded]
                for k, v in self.model.items()}

    def _strategy_columns(self) -> dict[str, np.ndarray]:
        counts = ("strategy_active", "strategic_actions", "club_organizations", "counter_institutions")
        return {k: v[: self.recorded].astype(int) if k in counts else v[: self.recorded]
                for k, v in self.strategy.items()}

    def get_agent_vars_dataframe(self) -> pd.DataFrame:
        """One row per state and recorded year (long format), or an empty frame if not collected."""
        if not self.collect_states:
            return pd.DataFrame(columns=["step", "year", "state", "role", *STATE_MEASURES])
        n = len(self.state_codes)
        steps = np.repeat(np.arange(self.recorded), n)
        return pd.DataFrame({
            "step": steps,
            "year": self.model["year"][: self.recorded].astype(int).repeat(n),
            "state": pd.Categorical.from_codes(np.tile(np.arange(n), self.recorded), self.state_codes).astype(str),
            "role": np.tile(np.asarray(self.state_roles, dtype=object), self.recorded),
            **{k: v[: self.recorded].ravel().astype(int) if k == "nativist_government" else v[: self.recorded].ravel()
               for k, v in self.states.items()},
        })
