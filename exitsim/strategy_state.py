"""What the great powers' strategies remember from year to year (MODEL.md §4.11).

A run carries one :class:`StrategyState` (the model makes it; each year's
:class:`~exitsim.phases.context.StepContext` hands it to the phases): since when the strategies
are active, what each great power has pledged as voluntary contributions, which organizations
assess on a shortened base, which were founded by a strategy, the reform demands still waiting
for an answer and the organizations where the rising power fills the hegemon's gap. Phase 5
(:mod:`exitsim.phases.strategies`) writes it; phase 2 reads its budget terms
(:meth:`StrategyState.budget_terms`); the outcomes read it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .codes import HEGEMON_STRATEGIES, NEVER, RISING_STRATEGIES
from .mechanisms.strategies import BudgetTerms

#: Who founded an organization by a strategy (:attr:`StrategyState.founded_by`).
NOT_STRATEGIC, CLUB, COUNTER_INSTITUTION = range(3)
#: The two great powers, as indices of :attr:`StrategyState.pledge` and ``actions``.
HEGEMON_POLE, RISING_POLE = range(2)


@dataclass
class ReformDemand:
    """A reform the hegemon demands of an organization it gave notice to (exit diplomacy):
    answered every year from ``since + 1`` with probability ``probability``; ``share`` is the
    hegemon's share of the contributions when it demanded it (the reformed cap is cut from it)."""

    row: int
    probability: float
    share: float
    since: int


@dataclass
class StrategyState:
    """The strategies' lasting state for one run.

    Attributes:
        hegemon_strategy, rising_strategy: The strategies of the run (the registry's names).
        active_since: The year the trigger fired (:data:`~exitsim.codes.NEVER`: not yet).
        pledge: 2 × n_orgs, the voluntary contribution each great power (row
            :data:`HEGEMON_POLE`, :data:`RISING_POLE`) pays each organization next year (power
            units a year), on top of its dues, if it is then a member.
        short_base: Per organization, whether it assesses on the shortened base (inclusive).
        founded_by: Per organization, :data:`CLUB`, :data:`COUNTER_INSTITUTION` or
            :data:`NOT_STRATEGIC`.
        filling: Per organization, whether the rising power fills the hegemon's gap there.
        reformed: Per organization, whether it granted the reform exit diplomacy demands (it is
            then no longer a target: the demand is met).
        last_offer: Per organization, the year the rising power was last offered admission.
        demands: Pending reform demands, by the hegemon's edge-list row.
        actions: This year's actions of the hegemon's and the rising power's strategies.
        founded: The organizations the strategies founded this year (the model makes agents).
    """

    hegemon_strategy: str = HEGEMON_STRATEGIES[0]
    rising_strategy: str = RISING_STRATEGIES[0]
    active_since: int = NEVER
    pledge: np.ndarray = field(default_factory=lambda: np.zeros((2, 0)))
    short_base: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=bool))
    founded_by: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int8))
    filling: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=bool))
    reformed: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=bool))
    last_offer: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    demands: dict[int, ReformDemand] = field(default_factory=dict)
    actions: list[int] = field(default_factory=lambda: [0, 0])
    founded: list[int] = field(default_factory=list)

    @classmethod
    def for_run(cls, params, n_orgs: int) -> StrategyState:
        """The state at the start of a run: the run's strategies, nothing active, room for
        ``n_orgs`` organizations."""
        state = cls(params.hegemon_strategy, params.rising_strategy)
        state.grow(n_orgs)
        return state

    @property
    def inert(self) -> bool:
        """Whether neither great power has a strategy (``status_quo`` and ``passive``): then
        phase 5 does nothing at all, not even watch the trigger."""
        return self.hegemon_strategy == HEGEMON_STRATEGIES[0] and self.rising_strategy == RISING_STRATEGIES[0]

    @property
    def active(self) -> bool:
        """Whether the trigger has fired (and a strategy is in play)."""
        return self.active_since != NEVER

    def grow(self, n_orgs: int) -> None:
        """Make room for organizations appended since (foundings)."""
        extra = n_orgs - len(self.short_base)
        if extra <= 0:
            return
        self.pledge = np.concatenate([self.pledge, np.zeros((2, extra))], axis=1)
        self.short_base = np.concatenate([self.short_base, np.zeros(extra, dtype=bool)])
        self.founded_by = np.concatenate([self.founded_by, np.zeros(extra, dtype=np.int8)])
        self.filling = np.concatenate([self.filling, np.zeros(extra, dtype=bool)])
        self.reformed = np.concatenate([self.reformed, np.zeros(extra, dtype=bool)])
        self.last_offer = np.concatenate([self.last_offer, np.full(extra, NEVER, dtype=np.int64)])

    def begin_year(self, n_orgs: int) -> None:
        """A new year of phase 5: no action taken yet, room for last year's foundings."""
        self.actions = [0, 0]
        self.founded = []
        self.grow(n_orgs)

    def budget_terms(self, hegemon: int, rising: int, assessment_years: int, n_orgs: int) -> BudgetTerms | None:
        """What the strategies change in this year's budget rule (phase 2): the great powers'
        pledges and the shortened assessment bases; None when they change nothing (so a run
        without strategies computes its budgets exactly as before)."""
        self.grow(n_orgs)
        if not (self.pledge.any() or self.short_base.any()):
            return None
        return BudgetTerms(contributors=np.array([hegemon, rising]), pledge=self.pledge.copy(),
                           short_base=self.short_base.copy(), short_years=assessment_years)
