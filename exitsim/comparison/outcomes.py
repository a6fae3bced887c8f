"""The order outcomes a strategy comparison reports, with the words and units of the reading.

Each outcome is a column of a sweep's ``horizon`` table: a timeseries column at the last year
(``docs/outputs.md``) or a run measure (``docs/sweeps.md``). Its definition is the one those
pages give (:func:`definition`); here it gets a name for sentences and a unit that says how a
difference is written: shares in percentage points, counts and years as they are, the ratio and
indices to three significant figures, public goods also relative to the baseline.
"""

from __future__ import annotations

import math
from dataclasses import dataclass


@dataclass(frozen=True)
class Outcome:
    """An order outcome: its column, its name in a sentence and its unit.

    ``unit`` is one of ``ratio``, ``share``, ``index``, ``count``, ``year``, ``power`` or
    ``log``; it decides how values and differences are written (:meth:`value`, :meth:`change`).
    """

    column: str
    name: str
    unit: str

    def value(self, x: float) -> str:
        """A level, as the reading writes it (``38.7%``, ``0.571``, ``2051``)."""
        if x is None or math.isnan(x):
            return "—"
        if self.unit == "share":
            text = f"{100 * x:.1f}%"
        elif self.unit == "year":
            text = f"{x:.1f}"
        elif self.unit == "count":
            text = f"{x:.2f}".rstrip("0").rstrip(".") if abs(x) < 100 else f"{x:.0f}"
        else:
            return _significant(x)
        return text.replace("-", "−")  # the minus sign every other cell writes (an interval's low end of a count)

    def change(self, d: float, unit: bool = True) -> str:
        """A difference, signed, in the outcome's unit (``+2.1 points``, ``−0.0043``; without
        the unit's word when ``unit`` is false, as inside an interval)."""
        if d is None or math.isnan(d):
            return "—"
        if self.unit == "share":
            return f"{_sign(d)}{_two(100 * abs(d))}" + (" points" if unit else "")
        if self.unit == "year":
            return f"{_sign(d)}{_two(abs(d))}" + (" years" if unit else "")
        return _sign(d) + _significant(abs(d))


def _sign(x: float) -> str:
    return "−" if x < 0 else ("+" if x > 0 else "")


def percent(x: float) -> str:
    """A relative change as a signed percentage to two figures: 0.00545 → ``+0.55%``."""
    return f"{_sign(x)}{_two(abs(100 * x))}%"


def _two(x: float) -> str:
    """Two significant figures, without an exponent (x ≥ 0)."""
    if x >= 10:
        return f"{x:.0f}"
    if 0 < x < 0.01:
        return f"{x:.{1 - math.floor(math.log10(x))}f}"
    return f"{x:.2g}"


def _significant(x: float) -> str:
    if x == 0:
        return "0"
    if abs(x) >= 1000:
        return f"{x:,.0f}"
    text = f"{x:.3g}"
    if "e" in text:  # a small number: its three figures without an exponent
        text = f"{x:.{2 - math.floor(math.log10(abs(x)))}f}"
    return text.replace("-", "−")


#: The order outcomes of MODEL.md §1, question 1, in the order the tables list them.
ORDER_OUTCOMES: tuple[Outcome, ...] = (
    Outcome("hegemon_rising_ratio", "the hegemon/rising power ratio P_H/P_R", "ratio"),
    Outcome("transition_year", "the transition year", "year"),
    Outcome("hegemon_power_share", "the hegemon's share of world power", "share"),
    Outcome("rising_power_share", "the rising power's share of world power", "share"),
    Outcome("hegemon_leadership_share", "the hegemon's leadership share", "share"),
    Outcome("rising_leadership_share", "the rising power's leadership share", "share"),
    Outcome("hierarchy", "hierarchy", "index"),
    Outcome("polycentricity", "polycentricity", "count"),
    Outcome("layering", "layering", "index"),
    Outcome("public_goods", "the output of public goods", "power"),
    Outcome("shortfall_share", "the organizations' shortfall", "share"),
    Outcome("budget_share_hegemon", "the hegemon's share of dues", "share"),
    Outcome("budget_share_rising", "the rising power's share of dues", "share"),
    Outcome("budget_share_rest", "the other states' share of dues", "share"),
    Outcome("organizations_alive", "the number of organizations alive", "count"),
    Outcome("withdrawals_total", "the number of withdrawals", "count"),
    Outcome("notices_total", "the number of notices", "count"),
    Outcome("threats_total", "the number of threats", "count"),
    Outcome("withdrawal_rate", "the withdrawal rate", "index"),
    Outcome("cascades", "the number of contagion cascades", "count"),
    Outcome("cascade_followers", "the number of cascade followers", "count"),
    Outcome("largest_cascade", "the size of the largest cascade", "count"),
    Outcome("ratio_log_change", "the change of ln(P_H/P_R) over the run", "log"),
    Outcome("ratio_from_growth", "its part from growth", "log"),
    Outcome("ratio_from_noise", "its part from luck", "log"),
    Outcome("ratio_from_institutions", "its part from institutions", "log"),
)
OUTCOMES = {o.column: o for o in ORDER_OUTCOMES}

#: What the reading's answer to question 1 looks at: relative power, leadership, and the cost
#: in public goods and in the organizations' vitality.
POWER = ("hegemon_rising_ratio",)
LEADERSHIP = ("hegemon_leadership_share", "rising_leadership_share", "hierarchy", "polycentricity")
COST = ("public_goods", "organizations_alive", "withdrawals_total", "shortfall_share")


def level_text(value) -> str:
    """A factor's level as tables write it (``0.00015`` → ``0.00015``, ``0.4`` → ``0.4``)."""
    return f"{value:.3g}" if isinstance(value, float) else str(value)


def factor_label(column: str) -> str:
    """A factor as headings name it: its registry symbol before its name where it has one
    (``ν absorptive_exponent``), else the column (``world_seed``)."""
    from ..parameters import REGISTRY

    parameter = REGISTRY.get(column)
    return f"{parameter.symbol} {column}" if parameter is not None and parameter.symbol else column


def outcome(column: str) -> Outcome:
    """The outcome of a column (one not listed gets its column name and a plain unit)."""
    return OUTCOMES.get(column) or Outcome(column, column.replace("_", " "), "index")


def definition(column: str) -> str:
    """The column's definition, as ``docs/outputs.md`` or ``docs/sweeps.md`` gives it."""
    from ..outcomes import MODEL_MEASURES, STRATEGY_MEASURES
    from ..sweep.experiment import RUN_MEASURES

    return (MODEL_MEASURES | STRATEGY_MEASURES | RUN_MEASURES).get(column, "")
