"""Leadership, policy and non-neutral gains — the power attribute of institutions, MODEL.md §4.3.

Source: institutional realism (MODEL.md §8): a hegemon builds hierarchies inside institutions
for leadership and non-neutral gains; rules bind those far from the policy, which is how
inclusive binding costs a rising power.
"""

from __future__ import annotations

import numpy as np

from .grouping import group_sum, top_two


def voting_weights(contribution: np.ndarray, org: np.ndarray, weighted_voting: np.ndarray,
                   n_orgs: int, member_count: np.ndarray | None = None,
                   total: np.ndarray | None = None) -> np.ndarray:
    """Each member's voting weight: 1/|M_k| under one-state-one-vote, its share of
    contributions under weighted voting (an equal split if nobody contributes).

    ``member_count`` (|M_k|) and ``total`` (contributions per organization) may be given if the
    caller has them."""
    counts = np.bincount(org, minlength=n_orgs) if member_count is None else member_count
    equal = (1.0 / np.maximum(counts, 1))[org]
    weighted = np.asarray(weighted_voting)[org]
    if not weighted.any():
        return equal
    total = group_sum(contribution, org, n_orgs) if total is None else total
    paid = total > 0
    share = np.where(paid[org], contribution / np.where(paid, total, 1.0)[org], equal)
    return np.where(weighted, share, equal)


def leader(contribution: np.ndarray, state: np.ndarray, org: np.ndarray, margin: float,
           n_orgs: int, member_count: np.ndarray | None = None,
           total: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """The leader of each organization and its share of contributions.

    The largest contributor leads if its contribution is at least ``margin`` (1.2) × the next
    one's; an organization with one member is led by it; otherwise, or when nobody contributes,
    it has no leader (−1). Returns ``(leader state per org, leader's contribution share)``.
    ``member_count`` and ``total`` (contributions per organization) may be given if the caller
    has them.
    """
    first_row, first, second = top_two(contribution, org, n_orgs)
    counts = np.bincount(org, minlength=n_orgs) if member_count is None else member_count
    leads = (first_row >= 0) & (first > 0) & ((counts == 1) | (first >= margin * second))
    who = np.where(leads, state[np.maximum(first_row, 0)] if len(state) else -1, -1)
    total = group_sum(contribution, org, n_orgs) if total is None else total
    share = np.where(leads, first / np.where(total > 0, total, 1.0), 0.0)
    return who, share


def policy_position(ideal_point: np.ndarray, state: np.ndarray, org: np.ndarray,
                    vote: np.ndarray, offset: np.ndarray, n_orgs: int) -> np.ndarray:
    """y_k = Σ_{i∈M_k} v_ik x_i + offset_k: the vote-weighted ideal point plus concessions."""
    dims = ideal_point.shape[1]
    position = np.column_stack([group_sum(vote * ideal_point[state, d], org, n_orgs) for d in range(dims)])
    return position.reshape(n_orgs, dims) + offset


def nonneutral_gain(output: np.ndarray, leader_share: np.ndarray, member_count: np.ndarray,
                    weighted_voting: np.ndarray, has_leader: np.ndarray, steering_share: float,
                    equal_vote_steering: float) -> np.ndarray:
    """h_k = α_v G_k max(0, a_L − 1/|M_k|): the leader's non-neutral gain.

    α_v = α under weighted voting and ``equal_vote_steering`` × α (0.3 α) under
    one-state-one-vote (agenda setting without votes); a_L the leader's contribution share.
    The caller takes h_k out of the members' public-good pool (it is not created).
    """
    alpha = np.where(weighted_voting, steering_share, equal_vote_steering * steering_share)
    excess = np.maximum(0.0, leader_share - 1.0 / np.maximum(member_count, 1))
    return np.where(has_leader, alpha * output * excess, 0.0)


def policy_distance(ideal_point: np.ndarray, policy: np.ndarray, state: np.ndarray,
                    org: np.ndarray) -> np.ndarray:
    """d(x_i, y_k): Euclidean distance from a member's ideal point to its organization's policy."""
    if ideal_point.shape[1] == 1:  # the usual one dimension: |x − y| as sqrt((x − y)²), as below
        return np.sqrt(np.square(ideal_point[:, 0][state] - policy[:, 0][org]))
    return np.sqrt(((ideal_point[state] - policy[org]) ** 2).sum(axis=1))


def compliance_cost(distance: np.ndarray, institutionalization: np.ndarray, org: np.ndarray,
                    c_star: np.ndarray, compliance: float) -> np.ndarray:
    """comp_ik = χ d(x_i, y_k) (inst_k / 3) c*_ik: rules bind those far from the policy."""
    return compliance * distance * (institutionalization[org] / 3.0) * c_star
