"""What a non-member would get as a member — the evaluation behind rejoining, MODEL.md §4.12.

A withdrawn or inactive state rejoins when "its evaluation as a member" exceeds the rejoin
threshold. Its actual flows exist only for active members (:class:`~.institutions.Flows`), so
this module estimates, for rows (state i, organization k) where i is *not* an active member of k,
the flows i would have this year if it were one, from k's aggregates in this year's flows, with
i treated as a **marginal addition** to k's current members M_k.

The approximation, honestly:

* k's output G_k, quality q_k, policy y_k, leader and non-neutral gain h_k are this year's, as
  if i's joining changed none of them. In reality i's dues would raise collected (if k is short
  of its need), i's vote would move the policy toward x_i, and i might become the leader and
  take h_k — a big returner (the hegemon) is therefore *under*-valued by the missing h_k and
  the policy shift, a small one is valued almost exactly.
* Dues: the need stays (MODEL.md §4.1), so i's c* joins the base over which the need is spread,
  ``dues = N_k c*_ik / (Σ_{j∈M_k} c*_jk + c*_ik)`` (at most the effective cap × N_k). This is the
  water-filling solution when no rise cap or cap binds; it is exact for a returner to a fully
  funded organization. In an organization short of its need because the others' dues are held
  by the 10% rise cap, a joiner (exempt from the rise cap) would in fact fill part of the gap
  and may pay more than this estimate.
* Everything is in power units a year, like :class:`~.institutions.Flows`; divide by c*
  (:func:`exitsim.mechanisms.evaluation.membership_utility` does) to get years of dues.

Sources (MODEL.md §8): institutional retrenchment (rejoining when conditions turn favourable:
exit is reversible; organizations leave the door open — customary practice in the law
digest); the flows themselves are those of institutional realism (§4.1–4.3).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .flows import Flows
from .grouping import group_sum


@dataclass
class Prospect:
    """Per candidate row (state i, organization k), what i would get this year as a member.

    ``benefits = public_good + access + transfer − forgone_leak`` (what joining adds, before
    dues and compliance); ``dues``, ``compliance``, ``distance`` (to k's current policy) as in
    :class:`~.institutions.Flows`. All in units of power a year.
    """

    public_good: np.ndarray
    access: np.ndarray
    transfer: np.ndarray
    forgone_leak: np.ndarray
    benefits: np.ndarray
    dues: np.ndarray
    compliance: np.ndarray
    distance: np.ndarray


def _safe_divide(numerator: np.ndarray, denominator: np.ndarray) -> np.ndarray:
    """numerator / denominator, 0 where the denominator is not positive."""
    denominator = np.asarray(denominator, dtype=np.float64)
    return np.where(denominator > 0, numerator / np.where(denominator > 0, denominator, 1.0), 0.0)


def prospective_flows(state: np.ndarray, org: np.ndarray, power: np.ndarray, ideal_point: np.ndarray,
                      flows: Flows, institutionalization: np.ndarray, organization_weight: float,
                      access_rate: float, absorptive_exponent: float, leak: float, compliance_rate: float,
                      c_star: np.ndarray, cap: np.ndarray | None = None, checked: bool = False) -> Prospect:
    """The flows non-member i would have this year as a member of k (a marginal addition).

    With M_k the active members in ``flows``, S_k = Σ_{j∈M_k} P_j^ν, W = Σ_j P_j and
    ``w_i = P_i^ν`` (ν = ``absorptive_exponent``):

    * public good  = (f G_k − h_k) · w_i / (S_k + w_i) — the members' pool shared with i added;
      f = 1 − ℓ, or 1 when i is k's only non-member (joining leaves k without outsiders);
    * access       = ω · w_org · q_k · P_i · (Σ_{j∈M_k} P_j) / W;
    * transfer     = commitment_k · w_i / (S_k − P_L^ν + w_i) for a security organization whose
      leader L pays a commitment (it is spread over the members other than L);
    * forgone leak = ℓ G_k · w_i / Σ_{j∉M_k} P_j^ν — what i now receives from k as a non-member
      (:func:`exitsim.mechanisms.spillover.leak_to_nonmembers`) and gives up on joining;
    * benefits     = public good + access + transfer − forgone leak;
    * dues         = min(cap_eff · N_k, N_k · c*_ik / (Σ_{j∈M_k} c*_jk + c*_ik)) — the need is
      spread over the members plus i; cap_eff = max(cap_k, 1/(|M_k| + 1)) (no cap: 1);
    * compliance   = χ · d(x_i, y_k) · inst_k/3 · c*_ik, y_k the current policy.

    The approximation (k's output, policy, leader and h unchanged by i's joining) is discussed in
    the module docstring. A dead organization has N_k = G_k = 0 in ``flows``, so a prospect there
    is worth nothing and costs nothing: the caller should not offer it.

    Args:
        state, org: Candidate rows; i must not be an active member of k (ValueError otherwise).
        power: P per state (the power ``flows`` were computed with, for consistency).
        ideal_point: x per state (n_states × dimensions).
        flows: This year's :class:`~.institutions.Flows`.
        institutionalization: inst_k per organization (1–3).
        organization_weight: w_org (multiplies ω, as in the institutions phase).
        access_rate: ω, the access spillover per organization (``access_spillover``).
        absorptive_exponent: ν. leak: ℓ. compliance_rate: χ (``compliance``).
        c_star: c*_ik per candidate row (:func:`exitsim.mechanisms.budget.uncapped_assessment`).
        cap: Optional per-organization contribution cap (NaN: none); None ignores caps.
        checked: The caller vouches that no candidate is an active member (the model's rejoin
            phase: its candidates are rows that are not active, and the edge list has one row per
            state and organization), so the check is skipped.

    Example (``tests/mechanisms/test_prospect.py``): P = (1, 4, 9), ν = 0.5, members {1, 2} of
    one organization with G = 10, h = 1, ℓ = 0.1, N = 2, Σ c* = 1.3: state 0 with c* = 0.1 gets
    public good (9 − 1) · 1/(2 + 3 + 1) = 4/3, forgone leak 0.1 · 10 · 1/1 = 1, dues 2 · 0.1/1.4.
    """
    state = np.asarray(state, dtype=np.int64)
    org = np.asarray(org, dtype=np.int64)
    power = np.asarray(power, dtype=np.float64)
    c_star = np.asarray(c_star, dtype=np.float64)
    n_states, n_orgs = len(power), len(flows.need)
    member_state = np.asarray(flows.state, dtype=np.int64)
    member_org = np.asarray(flows.org, dtype=np.int64)
    table = "table" if n_states * n_orgs <= 20_000_000 else None  # a lookup table, not a sort
    if not checked and np.isin(state * n_orgs + org, member_state * n_orgs + member_org, kind=table).any():
        raise ValueError("prospective_flows: a candidate row is already an active member of its organization")

    weight = power ** absorptive_exponent
    member_weight = group_sum(weight[member_state], member_org, n_orgs)  # S_k
    member_power = group_sum(power[member_state], member_org, n_orgs)
    member_c_star = group_sum(flows.c_star, member_org, n_orgs)
    member_count = np.bincount(member_org, minlength=n_orgs)
    w_i = weight[state]

    output = flows.output[org]
    outside = weight.sum() - member_weight[org]  # includes i itself, so > 0
    others_outside = outside - w_i > 1e-12 * weight.sum()
    fraction = np.where(others_outside, 1.0 - leak, 1.0)
    pool = np.maximum(fraction * output - flows.nonneutral[org], 0.0)
    public = pool * _safe_divide(w_i, member_weight[org] + w_i)

    access = (access_rate * organization_weight * flows.quality[org] * power[state]
              * member_power[org] / power.sum())

    leader = flows.leader[org]
    leader_weight = np.where(leader >= 0, weight[np.maximum(leader, 0)], 0.0)
    transfer = flows.commitment[org] * _safe_divide(w_i, member_weight[org] - leader_weight + w_i)

    forgone = leak * output * _safe_divide(w_i, outside)

    need = flows.need[org]
    dues = need * _safe_divide(c_star, member_c_star[org] + c_star)
    if cap is not None:
        cap_k = np.asarray(cap, dtype=np.float64)[org]
        cap_eff = np.maximum(np.where(np.isnan(cap_k), 1.0, cap_k), 1.0 / (member_count[org] + 1))
        dues = np.minimum(dues, cap_eff * need)

    distance = np.sqrt(((np.asarray(ideal_point, dtype=np.float64).reshape(n_states, -1)[state]
                         - flows.policy[org]) ** 2).sum(axis=1))
    compliance = compliance_rate * distance * (np.asarray(institutionalization)[org] / 3.0) * c_star
    return Prospect(public_good=public, access=access, transfer=transfer, forgone_leak=forgone,
                    benefits=public + access + transfer - forgone, dues=dues, compliance=compliance,
                    distance=distance)
