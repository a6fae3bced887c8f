"""One year's institutional flows (MODEL.md §4.1–4.4): what phase 2 computes and the later
phases read.

:func:`exitsim.phases.institutions.flows` composes the budget, spillover and leadership
mechanisms into a :class:`Flows`; evaluation, decisions, alignment, rejoining and the outcomes
read it. The flows are never changed once made, so their derived per-row views are computed on
first use.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np

from .alignment import row_net_gain
from .grouping import GroupIndex, group_sum

#: The institutional flows a state's net gain is the sum of (MODEL.md §4.4), by name: what
#: :func:`flow_terms` returns and what the decomposition of power changes reports, in this order.
FLOW_NAMES = ("public_goods", "access", "leadership", "dues", "commitments", "compliance", "voluntary")


@dataclass
class Flows:
    """One year's institutional flows (all in units of power a year).

    Per paying membership row (aligned with ``rows``, the active rows of living organizations, ascending):
    ``state``, ``org``, ``c_star`` (uncapped assessment, the unit of decisions), ``assessed``
    (the dues assessed by water-filling), ``dues`` (what was paid: assessed less any withheld),
    ``public_good``, ``access``, ``transfer`` (commitment received), ``compliance``,
    ``distance`` (to the policy), ``vote``.

    Per organization: ``need``, ``collected``, ``shortfall``, ``adequacy``, ``quality`` (the new
    performance), ``output`` G_k, ``leader`` (state or −1), ``leader_share``, ``member_count``,
    ``policy``, ``nonneutral`` h_k, ``commitment`` (paid by the leader).

    Per state: ``leak`` (public goods received as a non-member), ``net`` (MODEL.md §4.4),
    ``dues_total``.

    ``voluntary``: per row, the voluntary contribution the row's state paid on top of its dues
    (a great power's strategy, MODEL.md §4.11), counted in ``collected``; None when nobody paid
    one this year.
    """

    rows: np.ndarray
    state: np.ndarray
    org: np.ndarray
    c_star: np.ndarray
    assessed: np.ndarray
    dues: np.ndarray
    public_good: np.ndarray
    access: np.ndarray
    transfer: np.ndarray
    compliance: np.ndarray
    distance: np.ndarray
    vote: np.ndarray
    need: np.ndarray
    collected: np.ndarray
    shortfall: np.ndarray
    adequacy: np.ndarray
    quality: np.ndarray
    output: np.ndarray
    leader: np.ndarray
    leader_share: np.ndarray
    member_count: np.ndarray
    policy: np.ndarray
    nonneutral: np.ndarray
    commitment: np.ndarray
    leak: np.ndarray
    net: np.ndarray
    dues_total: np.ndarray
    voluntary: np.ndarray | None = None

    # The per-row views below are computed once, on first use (the flows are never changed).
    @cached_property
    def leads(self) -> np.ndarray:
        """Per row: whether the row's state leads the row's organization."""
        return self.leader[self.org] == self.state

    @cached_property
    def _leader_gain(self) -> np.ndarray:
        return np.where(self.leads, self.nonneutral[self.org], 0.0)

    @cached_property
    def _leader_commitment(self) -> np.ndarray:
        return np.where(self.leads, self.commitment[self.org], 0.0)

    @cached_property
    def _benefits(self) -> np.ndarray:
        return self.public_good + self.access + self._leader_gain + self.transfer

    def leader_gain(self) -> np.ndarray:
        """Per row: the non-neutral gain h_k if the row's state leads k, else 0."""
        return self._leader_gain

    def leader_commitment(self) -> np.ndarray:
        """Per row: the commitment the row's state pays as k's security leader, else 0."""
        return self._leader_commitment

    def benefits(self) -> np.ndarray:
        """Per row: what membership brings this year (what leaving forgoes, MODEL.md §4.5):
        public good + access + non-neutral gain + commitment transfers received."""
        return self._benefits

    @cached_property
    def _row_net_gain(self) -> np.ndarray:
        net = row_net_gain(self._benefits, self.dues, self.compliance, self._leader_commitment)
        net.setflags(write=False)
        return net

    @cached_property
    def _positions(self) -> dict[int, np.ndarray]:
        return {}

    def row_net_gain(self) -> np.ndarray:
        """Per row: its net institutional gain this year before any voluntary contribution,
        benefits − dues − compliance − commitment paid (:func:`~exitsim.mechanisms.alignment.row_net_gain`;
        read by the alignment drift and, row by row, by the great powers' weighing)."""
        return self._row_net_gain

    def net_gains(self, positions: np.ndarray | None = None) -> np.ndarray:
        """Each row's net institutional gain this year (or the rows' at ``positions``): benefits −
        dues − compliance − commitment paid − voluntary contributions paid (MODEL.md §4.4, row
        by row), indexed from :meth:`row_net_gain`."""
        at = slice(None) if positions is None else positions
        net = self._row_net_gain[at]
        return net if self.voluntary is None else net - self.voluntary[at]

    @cached_property
    def members(self) -> GroupIndex:
        """The member states of each organization this year (``members.rows(k)``), indexed on
        first use: the notices of phases 5 and 6 record them for the cascades."""
        return GroupIndex(self.org, self.state, len(self.need))

    def positions_at(self, rows: np.ndarray) -> np.ndarray:
        """The positions of the edge-list ``rows`` that are in these flows (the others left out),
        by a binary search: ``rows`` of the flows ascend (the active rows in edge-list order)."""
        rows = np.asarray(rows, dtype=np.int64)
        at = np.searchsorted(self.rows, rows)
        found = at < len(self.rows)
        at, rows = at[found], rows[found]
        return at[self.rows[at] == rows]

    def positions_of(self, state: int) -> np.ndarray:
        """The positions (rows in these flows) of one state's rows, found by a scan on first use
        and kept: phases 4 and 5 read the great powers' rows several times a year. Read-only."""
        found = self._positions.get(state)
        if found is None:
            found = self._positions[state] = np.flatnonzero(self.state == state)
            found.setflags(write=False)
        return found


def flow_terms(flows: Flows, n_states: int) -> dict[str, np.ndarray]:
    """Each state's net institutional gain of the year split into its flows (MODEL.md §4.4),
    signed so that they add up to ``flows.net`` (up to rounding), in :data:`FLOW_NAMES`' order:

    * ``public_goods`` — its share of the members' public goods, plus the leak it receives as a
      non-member;
    * ``access`` — the functional (access) spillover;
    * ``leadership`` — the non-neutral gains of the organizations it leads;
    * ``dues`` — minus the dues it paid;
    * ``commitments`` — the security commitments it received, minus those it paid as a leader;
    * ``compliance`` — minus its compliance costs;
    * ``voluntary`` — minus the voluntary contributions it paid on top of its dues (a great
      power's strategy: gap filling, the founder of a club or counter-institution; 0 otherwise).

    A further flow is one more entry here and in :data:`FLOW_NAMES`: the decomposition of power
    changes reads them by name (:func:`exitsim.mechanisms.power.institutional_terms`).
    """
    led = flows.leader >= 0
    leaders = flows.leader[led]
    return {
        "public_goods": group_sum(flows.public_good, flows.state, n_states) + flows.leak,
        "access": group_sum(flows.access, flows.state, n_states),
        "leadership": group_sum(flows.nonneutral[led], leaders, n_states),
        "dues": -group_sum(flows.dues, flows.state, n_states),
        "commitments": group_sum(flows.transfer, flows.state, n_states) - group_sum(flows.commitment[led], leaders,
                                                                                  n_states),
        "compliance": -group_sum(flows.compliance, flows.state, n_states),
        "voluntary": (np.zeros(n_states) if flows.voluntary is None
                      else -group_sum(flows.voluntary, flows.state, n_states)),
    }

