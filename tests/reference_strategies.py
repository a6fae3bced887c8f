"""The reference of the strategies' deterministic parts (MODEL.md §4.11), loop by loop.

The obvious version of what phase 5 weighs before it acts, written from MODEL.md §4.11 and the
mechanisms' docstrings, not from the vectorized code: plain loops over the rows of the reference
flows (:func:`reference_step.reference_institutions`), dicts and :mod:`math`. It imports nothing
from :mod:`exitsim.mechanisms` or :mod:`exitsim.phases` (only constants from :mod:`exitsim.codes`),
so a mistake there cannot hide by being copied here. ``tests/test_reference_strategies.py``
compares :mod:`exitsim.phases.strategies` with it on random small worlds.

Definitions, with ``ref`` the reference flows of the year:

* A row's **net gain**: public good + access + transfer received + h_k if its state leads k −
  dues − compliance − commitment_k if it leads k − its voluntary contribution.
* The **relative-gains balance** of a row of state i in k: (Σ net gains of the rising power's rows
  in k + Σ net gains in k of the hegemon's drifting allies — its alliance partners whose alignment
  with the rising power exceeds their alignment with it — − the row's own net gain) / the row's c*.
* **Admission**: base + (1 − base) × clip(Σ_j v_j a_j / Σ_j v_j, 0, 1) over k's members j other than
  the hegemon, v their votes, a their alignment with the rising power (0 when they have no vote).
* **Amendment**: ũ before = clip((benefits − dues − commitment paid − compliance) / c*, ±clip)
  − (λ d + μ [nativist]) inst/3; after, the compliance × (inst+1)/inst and inst + 1 (at most 3).
  A member gains the right, until year + ``amendment_right_years``, when ũ falls by at least
  ``amendment_drop`` or from ≥ 0 to below 0.
* **Gap pledges**: where the hegemon's row in k is withdrawn or inactive, the rising power's row is
  ``member`` and its ũ > 0: fill × max(0, need − the dues collected).
* **Areas**: the rival's net gain per issue area; the output of living organizations the hegemon
  leads, per issue area.
* **The strategic move**: V = β_u clip(payoff, ±c) + β_w window + β_p pretext for a notice and for a
  threat (a threat only where allowed); notice if V_notice > 0 and ≥ V_threat, threat if V_threat > 0
  and greater, else stay.
"""

from __future__ import annotations

import math

from exitsim.codes import DEAD, INACTIVE, MEMBER, WITHDRAWN


def clip(value: float, low: float, high: float) -> float:
    return min(max(value, low), high)


def reference_net(ref: dict, voluntary: dict[int, float] | None = None) -> dict[int, float]:
    """Each active row's net gain, from the reference flows."""
    out = {}
    for r, row in ref["rows"].items():
        org = ref["orgs"][row["org"]]
        leads = org["leader"] == row["state"]
        out[r] = (row["public_good"] + row["access"] + row["transfer"] + (org["nonneutral"] if leads else 0.0)
                  - row["dues"] - row["compliance"] - (org["commitment"] if leads else 0.0)
                  - (voluntary or {}).get(r, 0.0))
    return out


def reference_balance(world, ref: dict, net: dict[int, float], hegemon: int, rising: int) -> dict[int, float]:
    """The relative-gains balance of every active row."""
    allies = {int(b) for a, b in world.alliances if int(a) == hegemon} | {int(a) for a, b in world.alliances
                                                                         if int(b) == hegemon}
    drifting = {j for j in allies if float(world.align_rising[j]) > float(world.align_hegemon[j])}
    rival, drift = {}, {}
    for r, row in ref["rows"].items():
        k = row["org"]
        if row["state"] == rising:
            rival[k] = rival.get(k, 0.0) + net[r]
        if row["state"] in drifting:
            drift[k] = drift.get(k, 0.0) + net[r]
    out = {}
    for r, row in ref["rows"].items():
        unit = row["c_star"] if row["c_star"] > 0 else 1e-300
        out[r] = (rival.get(row["org"], 0.0) + drift.get(row["org"], 0.0) - net[r]) / unit
    return out


def reference_admission(world, ref: dict, hegemon: int, base: float) -> list[float]:
    """Per organization, the members' consent probability to admit the rising power."""
    out = []
    for k in range(len(ref["orgs"])):
        votes = aligned = 0.0
        for row in ref["rows"].values():
            if row["org"] == k and row["state"] != hegemon:
                votes += row["vote"]
                aligned += row["vote"] * float(world.align_rising[row["state"]])
        mean = aligned / votes if votes > 0 else 0.0
        out.append(base + (1.0 - base) * clip(mean, 0.0, 1.0))
    return out


def _utility(row: dict, org: dict, compliance: float, inst: float, nativist: bool, params) -> float:
    p = params
    leads = org["leader"] == row["state"]
    benefits = row["public_good"] + row["access"] + row["transfer"] + (org["nonneutral"] if leads else 0.0)
    cost = row["dues"] + (org["commitment"] if leads else 0.0)
    unit = row["c_star"] if row["c_star"] > 0 else 1e-300
    binding = (p.preference_cost * row["distance"] + p.nativist_cost * (1.0 if nativist else 0.0)) * inst / 3.0
    return clip((benefits - cost - compliance) / unit, -p.ratio_clip, p.ratio_clip) - binding


def reference_amendment(world, ref: dict, org: int, params, year: int) -> dict[int, int]:
    """The rows of ``org``'s members that gain the amendment right, and its expiry year."""
    p = params
    inst = float(world.institutionalization[org])
    raised = min(inst + 1.0, 3.0)
    out = {}
    for r, row in ref["rows"].items():
        if row["org"] != org:
            continue
        nativist = bool(world.nativist_government[row["state"]])
        before = _utility(row, ref["orgs"][org], row["compliance"], inst, nativist, p)
        after = _utility(row, ref["orgs"][org], row["compliance"] * raised / inst, raised, nativist, p)
        if before - after >= p.amendment_drop or (before >= 0 > after):
            out[r] = year + p.amendment_right_years
    return out


def reference_gap_pledges(world, ref: dict, utility: dict[int, float], hegemon: int, rising: int,
                          fill: float) -> dict[int, float]:
    """The rising power's rows that may fill a gap the hegemon left, and the pledge of each."""
    ms = world.memberships
    hegemon_status = {}
    for r in range(len(ms)):
        if int(ms.state[r]) == hegemon:
            hegemon_status[int(ms.org[r])] = int(ms.status[r])   # the last row of the pair counts
    out = {}
    for r, row in ref["rows"].items():
        k = row["org"]
        if (row["state"] == rising and int(ms.status[r]) == MEMBER and utility[r] > 0
                and hegemon_status.get(k, -1) in (WITHDRAWN, INACTIVE)):
            dues = math.fsum(other["dues"] for other in ref["rows"].values() if other["org"] == k)
            out[r] = fill * max(0.0, ref["orgs"][k]["need"] - dues)
    return out


def reference_area_gains(world, ref: dict, net: dict[int, float], rising: int, n_areas: int) -> list[float]:
    """The rival's net gain per issue area."""
    out = [0.0] * n_areas
    for r, row in ref["rows"].items():
        if row["state"] == rising:
            out[int(world.issue_area[row["org"]])] += net[r]
    return out


def reference_led_output(world, ref: dict, hegemon: int, n_areas: int) -> list[float]:
    """The output of the living organizations the hegemon leads, per issue area."""
    out = [0.0] * n_areas
    for k, org in enumerate(ref["orgs"]):
        if org["leader"] == hegemon and int(world.org_status[k]) != DEAD:
            out[int(world.issue_area[k])] += org["output"]
    return out


def reference_move(payoff: float, threat: float, allowed: bool, window: bool, pretext: bool, params) -> str:
    """Exit diplomacy's move on one ranked membership: "notice", "threat" or "stay"."""
    p = params
    shift = p.beta_window * float(window) + p.beta_pretext * float(pretext)
    v_notice = p.beta_utility * clip(payoff, -p.payoff_clip, p.payoff_clip) + shift
    v_threat = p.beta_utility * clip(threat, -p.payoff_clip, p.payoff_clip) + shift if allowed else -math.inf
    if v_notice > 0 and v_notice >= v_threat:
        return "notice"
    return "threat" if v_threat > 0 else "stay"
