"""The model's mechanisms: pure, vectorized functions over arrays, one module per theory.

Each function's docstring states its formula and names its source (MODEL.md §7–8). Random
draws are arguments, never drawn inside, so every mechanism can be checked on a hand-computed
case and against the loop-by-loop reference (``tests/reference_step.py``).

* :mod:`.budget` — dues, need, caps, floor, rise cap, commitment (the consumption effect)
* :mod:`.spillover` — performance, output, public goods, access (the spillover effect)
* :mod:`.leadership` — voting weights, leaders, policy, non-neutral gains, compliance
* :mod:`.power` — the positive power update
* :mod:`.institutions` — phase 2 of a step, composed from the above
"""
