"""The reference step: the deterministic mechanisms of a year, loop by loop.

The obvious version of MODEL.md §4.1–4.8, written from the formulas (MODEL.md, the mechanisms'
docstrings and ``docs/definitions.md``), not from the vectorized code: plain Python loops over
organizations, their members and the year's notices, dicts, lists and :mod:`math`. It is kept
as the oracle the vectorized code is tested against (``tests/test_reference.py``) and as the
performance baseline of the vectorized code:

* :func:`reference_institutions` — phase 2 (:func:`exitsim.phases.institutions.flows`),
  including dues withheld;
* :func:`reference_power` — phase 3 (:func:`exitsim.mechanisms.power.update_power`);
* :func:`reference_utility` — phase 4's ũ (:func:`exitsim.phases.evaluation.run`);
* :func:`reference_choice` — phase 6's choice probabilities
  (:func:`exitsim.mechanisms.decision.choice_values` and ``choice_probabilities``);
* :func:`reference_exposure` — phase 7's exposure update
  (:func:`exitsim.mechanisms.contagion.update_exposure`).

It imports nothing from :mod:`exitsim.mechanisms` (only constants from :mod:`exitsim.codes`),
so a mistake in a mechanism cannot hide by being copied here.

Definitions, in the order a year's institutions are computed:

* Active rows: membership status ``member`` or ``notice`` in an organization that is not dead.
  ``M_k`` is the set of k's active rows; a state is a non-member of k when it has no active row
  in k (whatever its other rows say).
* Assessment base ``base_i`` = mean of state i's power history; uncapped assessment
  ``c*_ik = organization_weight · b_k · base_i``.
* Need ``N_k = need_base_k · W / need_world_power_k`` (0 for a dead organization), W the sum
  of all states' power.
* Effective cap ``cap_eff = max(cap_k, 1/|M_k|)``, a missing (NaN) cap counting as 1.
* Dues ``c_ik = clip(λ_k (1 − discount_ik) c*_ik, lower_ik, upper_ik)`` with
  ``upper = cap_eff N_k``, lowered to ``1.1 · last dues`` (``1 + dues_rise_cap``) when the
  member paid last year, and ``lower = min(floor · N_k, upper)``; λ_k is found by bisection so
  that the dues add up to N_k, and if they cannot (everyone at ``upper`` is not enough) everyone
  pays ``upper``. Shortfall ``= max(0, N_k − Σ dues)``; adequacy ``= collected / N_k``.
* Performance ``q ← clip(q + a (q̄ min(1, adequacy) − q) + s ε, 0, 1)`` (dead: unchanged);
  output ``G_k = θ_k q collected_k``.
* Leader: the largest contributor (ties: first row in edge-list order) if it contributes
  something and either is the only member or pays at least ``leader_margin`` × the second
  largest contribution; else none (−1). Its share ``a_L`` = its dues / collected.
* Vote: ``1/|M_k|`` under one-state-one-vote, the dues share under weighted voting (equal split
  when nothing is collected). Policy ``y_k = Σ vote · x_i + offset_k``.
* Member fraction: ``1 − leak`` when k has a non-member, else 1. Non-neutral gain
  ``h_k = α_v G_k max(0, a_L − 1/|M_k|)`` (α_v = α under weighted voting, ``equal_vote_steering``
  · α otherwise), at most ``fraction · G_k``. Members share ``fraction · G_k − h_k`` ∝ P^ν;
  non-members share ``(1 − fraction) · G_k`` ∝ P^ν.
* Access ``= ω · organization_weight · q_k · P_i · (Σ of the other members' power) / W``.
* Compliance ``= χ · d(x_i, y_k) · inst_k / 3 · c*_ik``.
* Commitment: the leader of a security organization with at least one other member pays
  ``commitment_rate · N_k``, received by the other members ∝ P^ν.
* ``net_i = Σ_{i's rows} (public good + access + transfer − dues − compliance) + leak_i
  + Σ_{k led by i} (h_k − commitment_k)``.
* Power: ``P ← P exp(g + σ ε − σ²/2) (1 + κ clip(net / P, −c, c))``.
"""

from __future__ import annotations

import math

from exitsim.codes import DEAD, HEGEMON, MEMBER, NOTICE, RISING, SECURITY


def clip(value: float, low: float, high: float) -> float:
    """``value`` limited to ``[low, high]``."""
    return min(max(value, low), high)


def water_fill(weights: list[float], lower: list[float], upper: list[float], need: float) -> list[float]:
    """Pay ``clip(λ w_i, lower_i, upper_i)`` with λ chosen so the payments add up to ``need``.

    The total is continuous and non-decreasing in λ, so plain bisection finds λ. Bisection runs
    until the bracket is two adjacent floats (λ exact to the last bit). If even the largest
    payments fall short of the need, everyone pays its largest payment (``upper``, or ``lower``
    for a member with no weight); if the smallest exceed it, everyone pays ``lower``.
    """

    def payments(lam: float) -> list[float]:
        return [clip(lam * w, lo, up) for w, lo, up in zip(weights, lower, upper, strict=True)]

    def total(lam: float) -> float:
        return math.fsum(payments(lam))

    saturating = [up / w for w, up in zip(weights, upper, strict=True) if w > 0]
    if not saturating:
        return payments(0.0)
    lam_high = max(saturating)          # every member with a weight pays its upper bound
    if total(lam_high) <= need:
        return payments(lam_high)
    if total(0.0) >= need:
        return payments(0.0)
    low, high = 0.0, lam_high           # total(low) < need <= total(high)
    while True:
        middle = 0.5 * (low + high)
        if middle <= low or middle >= high:
            break
        if total(middle) < need:
            low = middle
        else:
            high = middle
    return payments(high)


def reference_institutions(world, params, quality_noise, withheld=None, voluntary=None, short_base=None) -> dict:
    """Phase 2 (MODEL.md §4.1–4.3), loop by loop.

    ``withheld`` (per edge-list row, default none) is the share of its assessed dues a member
    withholds this year: it pays the rest, and only what is paid counts as collected.

    The great powers' strategies (MODEL.md §4.11): ``voluntary`` (``{edge-list row: amount}``,
    default none) is paid on top of the row's dues: collected, counted in the contributions that
    decide the leader, its share and weighted votes, and taken from the payer's net gain;
    ``short_base`` (``(one flag per organization, years)``, default none) assesses the members of
    the flagged organizations on the mean of their last ``years`` of power.

    Returns a dict with

    * ``"rows"``: ``{edge-list row: {...}}`` for every active row, with ``state``, ``org``,
      ``c_star``, ``dues``, ``public_good``, ``access``, ``transfer``, ``compliance``,
      ``distance``, ``vote``;
    * ``"orgs"``: one dict per organization with ``need``, ``collected``, ``shortfall``,
      ``adequacy``, ``quality``, ``output``, ``leader``, ``leader_share``, ``member_count``,
      ``nonneutral``, ``commitment``, ``policy`` (a list, one value per dimension);
    * ``"states"``: one dict per state with ``leak``, ``net``, ``dues_total``.
    """
    p = params
    ms = world.memberships
    n_states, n_orgs = world.n_states, world.n_orgs
    power = [float(world.power[i]) for i in range(n_states)]
    world_power = math.fsum(power)
    members = _active_members(world)                  # org -> active rows, in order
    state_of = {r: int(ms.state[r]) for rows in members.values() for r in rows}

    # --- assessments and need (§4.1) ---------------------------------------------------------
    years = world.power_history.shape[1]
    base = [sum(float(world.power_history[i, j]) for j in range(years)) / years for i in range(n_states)]
    c_star = {r: p.organization_weight * float(world.budget_rate[int(ms.org[r])]) * base[state_of[r]]
              for r in state_of}
    if short_base is not None:
        flags, short_years = short_base
        for r in c_star:
            if flags[int(ms.org[r])]:
                i = state_of[r]
                short = sum(float(world.power_history[i, j]) for j in range(short_years)) / short_years
                c_star[r] = p.organization_weight * float(world.budget_rate[int(ms.org[r])]) * short
    dead = [int(world.org_status[k]) == DEAD for k in range(n_orgs)]
    need = [0.0 if dead[k] else float(world.need_base[k]) * world_power / float(world.need_world_power[k])
            for k in range(n_orgs)]
    dues = _dues(world, p, members, c_star, need, withheld)
    gift = {r: float((voluntary or {}).get(r, 0.0)) for r in dues}
    paid_in = {r: dues[r] + gift[r] for r in dues}   # dues and voluntary contributions

    row_out: dict[int, dict] = {}
    org_out: list[dict] = []
    leak = [0.0] * n_states
    for k in range(n_orgs):
        org, rows = _organization(world, p, k, members[k], state_of, c_star, need[k], dues, paid_in, power,
                                  world_power, quality_noise, leak)
        row_out.update(rows)
        org_out.append(org)
    states = _states(n_states, row_out, org_out, leak, _by_state(gift, state_of))
    return {"rows": dict(sorted(row_out.items())), "orgs": org_out, "states": states}


def _by_state(amounts: dict[int, float], state_of: dict[int, int]) -> dict[int, float]:
    """Per-row amounts summed by each row's state."""
    total: dict[int, float] = {}
    for r, amount in amounts.items():
        total[state_of[r]] = total.get(state_of[r], 0.0) + amount
    return total


def _active_members(world) -> dict[int, list[int]]:
    """Each organization's active rows in edge-list order: status ``member`` or ``notice``, not dead."""
    ms = world.memberships
    members: dict[int, list[int]] = {k: [] for k in range(world.n_orgs)}
    for r in range(len(ms)):
        k = int(ms.org[r])
        if int(ms.status[r]) in (MEMBER, NOTICE) and int(world.org_status[k]) != DEAD:
            members[k].append(r)
    return members


def _dues(world, p, members, c_star, need, withheld) -> dict[int, float]:
    """Dues (§4.1): water-filled under the effective cap, the rise cap and the floor, less any share
    withheld."""
    ms = world.memberships
    dues: dict[int, float] = {}
    for k, rows in members.items():
        if not rows:
            continue
        cap = float(world.cap[k])
        if math.isnan(cap):
            cap = 1.0
        cap_eff = max(cap, 1.0 / len(rows))
        weights, lower, upper = [], [], []
        for r in rows:
            up = cap_eff * need[k]
            last = float(ms.dues[r])
            if last > 0:
                up = min(up, (1.0 + p.dues_rise_cap) * last)
            weights.append((1.0 - float(ms.discount[r])) * c_star[r])
            upper.append(up)
            lower.append(min(p.contribution_floor * need[k], up))
        for r, paid in zip(rows, water_fill(weights, lower, upper, need[k]), strict=True):
            dues[r] = paid * (1.0 - (float(withheld[r]) if withheld is not None else 0.0))
    return dues


def _leader(p, rows, dues, state_of, collected) -> tuple[int, float]:
    """The largest contributor (ties: the first row) if it pays something and either is the only
    member or pays at least ``leader_margin`` × the second; its share of what was collected."""
    if not rows:
        return -1, 0.0
    best = rows[0]
    for r in rows[1:]:
        if dues[r] > dues[best]:        # strictly: ties stay with the earlier row
            best = r
    second = max((dues[r] for r in rows if r != best), default=0.0)
    if dues[best] > 0 and (len(rows) == 1 or dues[best] >= p.leader_margin * second):
        return state_of[best], dues[best] / collected
    return -1, 0.0


def _organization(world, p, k, rows, state_of, c_star, need, dues, paid_in, power, world_power, quality_noise, leak):
    """One organization's year (§4.1–4.3): collected, performance, output, leader, votes and
    policy, public goods (and its leak, added to ``leak``), access, compliance, commitment.
    ``paid_in`` is what each row paid in, dues and voluntary contributions: it is what is
    collected and what decides the leader and weighted votes. Returns its summary and its rows'
    flows."""
    dims = world.ideal_point.shape[1]
    ideal = {state_of[r]: [float(world.ideal_point[state_of[r], d]) for d in range(dims)] for r in rows}
    nu = p.absorptive_exponent
    count = len(rows)
    collected = math.fsum(paid_in[r] for r in rows)
    shortfall = max(0.0, need - collected)
    adequacy = collected / need if need > 0 else 0.0

    # --- performance and output (§4.2) ----------------------------------------------------
    q_old = float(world.quality[k])
    if int(world.org_status[k]) == DEAD:
        quality = q_old
    else:
        target = float(world.intrinsic_quality[k]) * min(1.0, adequacy)
        quality = clip(q_old + p.performance_adjustment * (target - q_old)
                       + p.performance_noise * float(quality_noise[k]), 0.0, 1.0)
    output = float(world.value_multiplier[k]) * quality * collected
    leader, leader_share = _leader(p, rows, paid_in, state_of, collected)

    # --- votes and policy (§4.3) ------------------------------------------------------------
    weighted = bool(world.weighted_voting[k])
    vote = {r: paid_in[r] / collected if weighted and collected > 0 else 1.0 / count for r in rows}
    policy = [sum(vote[r] * ideal[state_of[r]][d] for r in rows) + float(world.policy_offset[k, d])
              for d in range(dims)]

    # --- public goods, leak and the non-neutral gain ------------------------------------------
    member_states = {state_of[r] for r in rows}
    non_members = [i for i in range(world.n_states) if i not in member_states]
    fraction = 1.0 - p.leak if non_members else 1.0
    nonneutral = 0.0
    if leader >= 0:
        alpha = p.steering_share if weighted else p.equal_vote_steering * p.steering_share
        nonneutral = min(alpha * output * max(0.0, leader_share - 1.0 / count), fraction * output)
    pool = fraction * output - nonneutral
    member_weight = sum(power[state_of[r]] ** nu for r in rows)
    public = {r: pool * power[state_of[r]] ** nu / member_weight for r in rows}
    leaked = (1.0 - fraction) * output
    if non_members and leaked > 0:
        outside_weight = sum(power[j] ** nu for j in non_members)
        for j in non_members:
            leak[j] += leaked * power[j] ** nu / outside_weight

    # --- access spillover (§4.2) and compliance (§4.3) ---------------------------------------
    access, distance, compliance = {}, {}, {}
    inst = float(world.institutionalization[k])
    for r in rows:
        others = sum(power[state_of[s]] for s in rows if s != r)
        access[r] = p.access_spillover * p.organization_weight * quality * power[state_of[r]] * others / world_power
        distance[r] = math.sqrt(sum((ideal[state_of[r]][d] - policy[d]) ** 2 for d in range(dims)))
        compliance[r] = p.compliance * distance[r] * inst / 3.0 * c_star[r]

    # --- the security leader's commitment (§4.1) ------------------------------------------
    transfer = dict.fromkeys(rows, 0.0)
    commitment = 0.0
    others = [r for r in rows if state_of[r] != leader]
    if int(world.issue_area[k]) == SECURITY and leader >= 0 and others:
        commitment = p.commitment_rate * need
        others_weight = sum(power[state_of[r]] ** nu for r in others)
        for r in others:
            transfer[r] = commitment * power[state_of[r]] ** nu / others_weight

    row_out = {r: {"state": state_of[r], "org": k, "c_star": c_star[r], "dues": dues[r], "public_good": public[r],
                   "access": access[r], "transfer": transfer[r], "compliance": compliance[r],
                   "distance": distance[r], "vote": vote[r]} for r in rows}
    org = {"need": need, "collected": collected, "shortfall": shortfall, "adequacy": adequacy, "quality": quality,
           "output": output, "leader": leader, "leader_share": leader_share, "member_count": count,
           "nonneutral": nonneutral, "commitment": commitment, "policy": policy}
    return org, row_out


def _states(n_states, row_out, org_out, leak, voluntary) -> list[dict]:
    """Each state's net flow (§4.4): its rows' flows, what leaked to it, as a leader h − commitment,
    less its voluntary contributions (``voluntary``: per state)."""
    net = list(leak)
    for i, amount in voluntary.items():   # voluntary contributions are paid out of the payer's power
        net[i] -= amount
    dues_total = [0.0] * n_states
    for row in row_out.values():
        i = row["state"]
        net[i] += row["public_good"] + row["access"] + row["transfer"] - row["dues"] - row["compliance"]
        dues_total[i] += row["dues"]
    for org in org_out:
        if org["leader"] >= 0:
            net[org["leader"]] += org["nonneutral"] - org["commitment"]
    return [{"leak": leak[i], "net": net[i], "dues_total": dues_total[i]} for i in range(n_states)]


def reference_power(power, growth, net, noise, params) -> list[float]:
    """Phase 3 (MODEL.md §4.4): ``P ← P exp(g + σ ε − σ²/2) (1 + κ clip(net / P, −c, c))``."""
    p = params
    sigma = p.power_noise
    new = []
    for P, g, x, e in zip(power, growth, net, noise, strict=True):
        P, g, x, e = float(P), float(g), float(x), float(e)
        institutional = p.institutional_rate * clip(x / P, -p.net_gain_clip, p.net_gain_clip)
        new.append(P * math.exp(g + sigma * e - sigma**2 / 2) * (1.0 + institutional))
    return new


def reference_step(world, params, quality_noise, power_noise) -> tuple[dict, list[float]]:
    """Phases 2 and 3 of one year: the institutions' flows and the new power (world unchanged)."""
    flows = reference_institutions(world, params, quality_noise)
    net = [s["net"] for s in flows["states"]]
    return flows, reference_power(world.power, world.growth, net, power_noise, params)


def reference_utility(world, params, ref: dict) -> dict[int, float]:
    """Phase 4 (MODEL.md §4.5): ũ of every active row, from the reference flows ``ref``.

    ``ũ = clip((benefits − dues − compliance) / c*, ±ratio_clip) − λ d inst/3 − μ [nativist]
    inst/3``, where benefits = public good + access + transfer received + the non-neutral gain
    h_k if the state leads k, and dues include the commitment a security leader pays (γ = 0: no
    strategy is active).
    """
    p = params
    utility = {}
    for r, row in ref["rows"].items():
        org = ref["orgs"][row["org"]]
        leads = org["leader"] == row["state"]
        benefits = row["public_good"] + row["access"] + row["transfer"] + (org["nonneutral"] if leads else 0.0)
        cost = row["dues"] + (org["commitment"] if leads else 0.0) + row["compliance"]
        unit = row["c_star"] if row["c_star"] > 0 else 1e-300
        inst = float(world.institutionalization[row["org"]]) / 3.0
        nativist = 1.0 if bool(world.nativist_government[row["state"]]) else 0.0
        utility[r] = (clip((benefits - cost) / unit, -p.ratio_clip, p.ratio_clip)
                      - p.preference_cost * row["distance"] * inst - p.nativist_cost * nativist * inst)
    return utility


def reference_choice(payoff, exposure, window, pretext, nativism, p_concede, concession, threat_allowed,
                     params) -> list[tuple[float, float]]:
    """Phase 6 (MODEL.md §4.6): ``(p_notice, p_threat)`` of each row, a multinomial logit with
    stay = 0:

    * ``V_notice = [β0 + β_u clip(π, ±c) + β_c X + β_w window + β_p pretext + β_n n] / T``;
    * ``V_threat = [β0_T + β_u clip(p_c · concession + (1 − p_c) clip(π, ±c) − credibility, ±c)
      + β_w window + β_p pretext] / T``, or −∞ where no threat is allowed;
    * ``p(o) = e^{V_o} / (1 + e^{V_notice} + e^{V_threat})``.
    """
    p = params
    c = p.payoff_clip
    out = []
    for pi, x, w, pre, n, pc, value, allowed in zip(payoff, exposure, window, pretext, nativism, p_concede,
                                                      concession, threat_allowed, strict=True):
        w, pre = float(bool(w)), float(bool(pre))
        v_notice = (p.baseline_notice + p.beta_utility * clip(pi, -c, c) + p.beta_contagion * x + p.beta_window * w
                    + p.beta_pretext * pre + p.beta_nativism * n) / p.temperature
        threat = pc * value + (1.0 - pc) * clip(pi, -c, c) - p.credibility_cost  # a refused threat is made good: π
        v_threat = ((p.baseline_threat + p.beta_utility * clip(threat, -c, c) + p.beta_window * w
                     + p.beta_pretext * pre) / p.temperature if allowed else -math.inf)
        top = max(0.0, v_notice, v_threat)
        e_stay, e_notice = math.exp(-top), math.exp(v_notice - top)
        e_threat = math.exp(v_threat - top) if allowed else 0.0
        total = e_stay + e_notice + e_threat
        out.append((e_notice / total, e_threat / total))
    return out


def reference_exposure(world, params, exposure, active, spreading_rows) -> list[float]:
    """Phase 7 (MODEL.md §4.8): exposure decays, then each spreading notice adds to it.

    Exposure first keeps ``exposure_retained`` of itself. For a notice by state L to organization
    k: ``w_L = P_L / max(P of k's active members and L)``; each other active member j of k gains
    ``w_L a_jL`` on its row of k, with ``a_jL = max(1 if j and L are allies, exp(−d(x_j, x_L) /
    proximity_scale), j's alignment with L where L is the hegemon or the rising power)``; and on
    its active rows of every other organization of k's issue area of which L is an active member,
    ``same_issue_spill`` × that. Then everything is capped at ``exposure_cap``.
    """
    p = params
    ms = world.memberships
    n_rows = len(ms)
    out = [p.exposure_retained * float(x) for x in exposure]
    hegemon = next((i for i in range(world.n_states) if int(world.role[i]) == HEGEMON), -1)
    rising = next((i for i in range(world.n_states) if int(world.role[i]) == RISING), -1)
    allies = {(int(a), int(b)) for a, b in world.alliances} | {(int(b), int(a)) for a, b in world.alliances}

    def affinity(j: int, leaver: int) -> float:
        distance = math.sqrt(sum((float(world.ideal_point[j, d]) - float(world.ideal_point[leaver, d])) ** 2
                                 for d in range(world.ideal_point.shape[1])))
        value = math.exp(-distance / p.proximity_scale)
        if (j, leaver) in allies and j != leaver:
            value = max(value, 1.0)
        if leaver == hegemon >= 0:
            value = max(value, float(world.align_hegemon[j]))
        if leaver == rising >= 0:
            value = max(value, float(world.align_rising[j]))
        return value

    for r in spreading_rows:
        leaver, k = int(ms.state[r]), int(ms.org[r])
        in_k = [s for s in range(n_rows) if active[s] and int(ms.org[s]) == k]
        members = {int(ms.state[s]) for s in in_k}
        lead = max([float(world.power[i]) for i in members] + [float(world.power[leaver])])
        weight = float(world.power[leaver]) / lead if lead > 0 else 0.0
        gain = {j: weight * affinity(j, leaver) for j in members if j != leaver}
        for s in in_k:
            out[s] += gain.get(int(ms.state[s]), 0.0)
        area = int(world.issue_area[k])
        others = {int(ms.org[s]) for s in range(n_rows)
                  if active[s] and int(ms.state[s]) == leaver and int(ms.org[s]) != k
                  and int(world.issue_area[int(ms.org[s])]) == area}
        for s in range(n_rows):
            if active[s] and int(ms.org[s]) in others:
                out[s] += p.same_issue_spill * gain.get(int(ms.state[s]), 0.0)
    return [min(x, p.exposure_cap) for x in out]

