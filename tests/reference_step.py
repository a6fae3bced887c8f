"""The reference step: phase 2 (institutions) and phase 3 (power), loop by loop.

The obvious version of MODEL.md §4.1–4.4, written from the formulas (MODEL.md, the mechanisms'
docstrings and ``notes/definitions.md``), not from the vectorized code: plain Python loops over
organizations and their members, dicts, lists and :mod:`math`. It is kept as the oracle that
:func:`exitsim.mechanisms.institutions.institutions_phase` and
:func:`exitsim.mechanisms.power.update_power` are tested against (``tests/test_reference.py``)
and as the performance baseline of the vectorized code.

It imports nothing from :mod:`exitsim.mechanisms` (only constants from :mod:`exitsim.world`),
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

from exitsim.world import DEAD, MEMBER, NOTICE, SECURITY


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
    dims = world.ideal_point.shape[1]
    power = [float(world.power[i]) for i in range(n_states)]
    world_power = math.fsum(power)
    ideal = [[float(world.ideal_point[i, d]) for d in range(dims)] for i in range(n_states)]
    nu = p.absorptive_exponent

    # --- who pays this year ----------------------------------------------------------------
    dead = [int(world.org_status[k]) == DEAD for k in range(n_orgs)]
    members: dict[int, list[int]] = {k: [] for k in range(n_orgs)}   # org -> active rows, in order
    for r in range(len(ms)):
        k = int(ms.org[r])
        if int(ms.status[r]) in (MEMBER, NOTICE) and not dead[k]:
            members[k].append(r)
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
    need = [0.0 if dead[k] else float(world.need_base[k]) * world_power / float(world.need_world_power[k])
            for k in range(n_orgs)]

    row_out: dict[int, dict] = {}
    org_out: list[dict] = []
    leak = [0.0] * n_states

    # --- dues (§4.1) ---------------------------------------------------------------------------
    dues: dict[int, float] = {}
    for k in range(n_orgs):
        rows = members[k]
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

    gift = {r: float((voluntary or {}).get(r, 0.0)) for r in dues}
    paid_in = {r: dues[r] + gift[r] for r in dues}   # dues and voluntary contributions
    for k in range(n_orgs):
        rows = members[k]
        count = len(rows)
        collected = math.fsum(paid_in[r] for r in rows)
        shortfall = max(0.0, need[k] - collected)
        adequacy = collected / need[k] if need[k] > 0 else 0.0

        # --- performance and output (§4.2) ----------------------------------------------------
        q_old = float(world.quality[k])
        if dead[k]:
            quality = q_old
        else:
            target = float(world.intrinsic_quality[k]) * min(1.0, adequacy)
            quality = clip(q_old + p.performance_adjustment * (target - q_old)
                           + p.performance_noise * float(quality_noise[k]), 0.0, 1.0)
        output = float(world.value_multiplier[k]) * quality * collected

        # --- leader (§4.3) --------------------------------------------------------------------
        leader, leader_share = -1, 0.0
        if rows:
            best = rows[0]
            for r in rows[1:]:
                if paid_in[r] > paid_in[best]:        # strictly: ties stay with the earlier row
                    best = r
            second = max((paid_in[r] for r in rows if r != best), default=0.0)
            if paid_in[best] > 0 and (count == 1 or paid_in[best] >= p.leader_margin * second):
                leader = state_of[best]
                leader_share = paid_in[best] / collected

        # --- votes and policy -----------------------------------------------------------------
        weighted = bool(world.weighted_voting[k])
        vote = {}
        for r in rows:
            if weighted and collected > 0:
                vote[r] = paid_in[r] / collected
            else:
                vote[r] = 1.0 / count
        policy = [sum(vote[r] * ideal[state_of[r]][d] for r in rows) + float(world.policy_offset[k, d])
                  for d in range(dims)]

        # --- public goods, leak and the non-neutral gain ----------------------------------------
        member_states = {state_of[r] for r in rows}
        non_members = [i for i in range(n_states) if i not in member_states]
        fraction = 1.0 - p.leak if non_members else 1.0
        if leader >= 0:
            alpha = p.steering_share if weighted else p.equal_vote_steering * p.steering_share
            nonneutral = alpha * output * max(0.0, leader_share - 1.0 / count)
            nonneutral = min(nonneutral, fraction * output)
        else:
            nonneutral = 0.0
        pool = fraction * output - nonneutral
        member_weight = sum(power[state_of[r]] ** nu for r in rows)
        public = {r: pool * power[state_of[r]] ** nu / member_weight for r in rows}
        leaked = (1.0 - fraction) * output
        if non_members and leaked > 0:
            outside_weight = sum(power[j] ** nu for j in non_members)
            for j in non_members:
                leak[j] += leaked * power[j] ** nu / outside_weight

        # --- access spillover (§4.2) ----------------------------------------------------------
        access = {}
        for r in rows:
            others = sum(power[state_of[s]] for s in rows if s != r)
            access[r] = (p.access_spillover * p.organization_weight * quality * power[state_of[r]]
                         * others / world_power)

        # --- compliance (§4.3) ----------------------------------------------------------------
        distance, compliance = {}, {}
        inst = float(world.institutionalization[k])
        for r in rows:
            distance[r] = math.sqrt(sum((ideal[state_of[r]][d] - policy[d]) ** 2 for d in range(dims)))
            compliance[r] = p.compliance * distance[r] * inst / 3.0 * c_star[r]

        # --- the security leader's commitment (§4.1) ------------------------------------------
        transfer = dict.fromkeys(rows, 0.0)
        commitment = 0.0
        others = [r for r in rows if state_of[r] != leader]
        if int(world.issue_area[k]) == SECURITY and leader >= 0 and others:
            commitment = p.commitment_rate * need[k]
            others_weight = sum(power[state_of[r]] ** nu for r in others)
            for r in others:
                transfer[r] = commitment * power[state_of[r]] ** nu / others_weight

        for r in rows:
            row_out[r] = {"state": state_of[r], "org": k, "c_star": c_star[r], "dues": dues[r],
                          "public_good": public[r], "access": access[r], "transfer": transfer[r],
                          "compliance": compliance[r], "distance": distance[r], "vote": vote[r]}
        org_out.append({"need": need[k], "collected": collected, "shortfall": shortfall,
                        "adequacy": adequacy, "quality": quality, "output": output,
                        "leader": leader, "leader_share": leader_share, "member_count": count,
                        "nonneutral": nonneutral, "commitment": commitment, "policy": policy})

    # --- each state's net flow (§4.4) --------------------------------------------------------------
    net = list(leak)
    dues_total = [0.0] * n_states
    for row in row_out.values():
        i = row["state"]
        net[i] += row["public_good"] + row["access"] + row["transfer"] - row["dues"] - row["compliance"]
        dues_total[i] += row["dues"]
    for r, amount in gift.items():   # voluntary contributions are paid out of the payer's power
        net[state_of[r]] -= amount
    for org in org_out:
        if org["leader"] >= 0:
            net[org["leader"]] += org["nonneutral"] - org["commitment"]
    states = [{"leak": leak[i], "net": net[i], "dues_total": dues_total[i]} for i in range(n_states)]
    return {"rows": dict(sorted(row_out.items())), "orgs": org_out, "states": states}


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
