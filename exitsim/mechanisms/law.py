"""Law and the calendar (国际法视角), MODEL.md §4.7 and the legal parts of §4.6.

Sources (MODEL.md §8):

* **Feinberg** — a state may withdraw only where the treaty recognizes the right, explicitly
  (a withdrawal clause) or impliedly; the UN Charter's declaratory statement names
  exceptional circumstances and an amendment a member cannot accept. Hence the clause kinds
  ``explicit`` / ``implied`` / ``none`` and the amendment right (:func:`amendment_right`).
* **Akehurst** — VCLT Art. 56: without a clause, no withdrawal unless the parties intended it
  or the treaty's nature implies it (``implied``), with 12 months' notice (Art. 56(2));
  Art. 54(b): withdrawal with the consent of all parties (``consent``).
* **Wu Libin (伍俐斌)** — the legality of an exit has two sides: *substantive* ("may it
  leave?": an explicit clause, or without one the principle and its three exceptions —
  intent, nature, consent of all parties) and *procedural* ("did it leave properly?": timing,
  notification, effect, obligations before effect). Every exit here is recorded with both.
* Customary practice — organizations avoid legal confrontation and leave the door open: a
  contested exit leaves the state ``inactive`` (Indonesia–UN 1965–66, the Soviet bloc's
  1949–56 absence from WHO), free to return without re-accession.

**Dates are month indices**: ``month_index(year, month) = 12 · year + (month − 1)``, so
December 2018 and June 2019 are 6 months apart. A status changes in the step whose year
contains the effective date (:func:`matures`).

Everything is a pure function over numpy arrays (scalars work too); random draws (the notice
month, the answer to a request for consent) are arguments, never drawn here. Rules, clause
kinds, tenure bases, outcomes and legality are integer codes so that a year's notices are
handled in one vectorized pass; the ``*_NAMES`` tuples turn codes back into the words of the
data (``exitsim/data/README.md``) and the event log.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping
from typing import Any, NamedTuple

import numpy as np

from ..codes import CLAUSE_KINDS, EFFECTIVE_RULES, INACTIVE, MEMBER, MEMBERSHIP_STATUS, NOTICE, TENURE_BASES, WITHDRAWN

# --- integer codes ----------------------------------------------------------------------------
#: Effective rules (the grammar of ``exitsim/data/README.md``); code = index.
RULE_NAMES = ("immediate", "months_after", "end_of_year_after", "cutoff", "fiscal_year_end",
              "negotiated_or_months")
IMMEDIATE, MONTHS_AFTER, END_OF_YEAR_AFTER, CUTOFF, FISCAL_YEAR_END, NEGOTIATED_OR_MONTHS = range(6)

#: Clause kinds; code = index into :data:`exitsim.clauses.CLAUSE_KINDS`.
KIND_NAMES = CLAUSE_KINDS
EXPLICIT, IMPLIED, CONSENT, NO_RIGHT, NON_TREATY = range(5)  # NO_RIGHT is the kind ``none``

#: Tenure bases; code = index into :data:`exitsim.clauses.TENURE_BASES`.
TENURE_BASIS_NAMES = TENURE_BASES
TREATY_IN_FORCE, PARTY_IN_FORCE, ACCESSION = range(3)

#: What a decision to leave becomes (:func:`lawful_route`).
OUTCOME_NAMES = ("notice", "immediate_exit", "walkout", "needs_consent", "consent_refused")
LAWFUL_NOTICE, IMMEDIATE_EXIT, WALKOUT, NEEDS_CONSENT, CONSENT_REFUSED = range(5)

#: Substantive legality (MODEL.md §2); 0 is "not applicable" (no exit), written "".
SUBSTANTIVE_NAMES = ("", "explicit_clause", "implied_right", "consent", "contested", "non_treaty")
NO_SUBSTANTIVE, EXPLICIT_CLAUSE, IMPLIED_RIGHT, BY_CONSENT, CONTESTED, NOT_A_TREATY = range(6)

#: Procedural legality (MODEL.md §2); 0 is "not applicable" (no exit, or no procedure at all
#: as in a contested exit), written "".
PROCEDURAL_NAMES = ("", "followed", "violated")
NO_PROCEDURAL, FOLLOWED, VIOLATED = range(3)

#: A missing date or year in integer arrays (e.g. no negotiated date, no amendment right).
NO_DATE = -1

#: The implied right's notice period, VCLT Art. 56(2): 12 months (also the amendment right's).
IMPLIED_RULE = "months_after:12"

#: A clause's fields, with the value each takes where a clause leaves it out: an implied right
#: with 12 months' notice (VCLT Art. 56), no minimum tenure, revocable (VCLT Art. 68).
CLAUSE_DEFAULTS = {"kind": "implied", "effective": IMPLIED_RULE, "min_tenure_years": 0, "tenure_basis": "accession",
                   "arrears_block_effect": False, "obligations_survive": False, "revocable": True}


# --- the calendar -----------------------------------------------------------------------------
def _plain(value):
    """A numpy result as a Python scalar when it is 0-dimensional, else the array."""
    return value.item() if value.ndim == 0 else value


def month_index(year, month):
    """``12 · year + (month − 1)``: a (year, month) date as one integer, months 1–12.

    >>> month_index(2019, 6) - month_index(2018, 12)
    6
    """
    return _plain(np.multiply(year, 12) + np.subtract(month, 1))


def year_of(index):
    """The calendar year of a month index (``index // 12``)."""
    return _plain(np.floor_divide(index, 12))


def month_of(index):
    """The month (1–12) of a month index (``index % 12 + 1``)."""
    return _plain(np.mod(index, 12) + 1)


def split_month_index(index):
    """``(year, month)`` of a month index; inverse of :func:`month_index`."""
    return year_of(index), month_of(index)


def notice_month(uniform):
    """The month (1–12) of a notice from a uniform draw in [0, 1): ``1 + ⌊12 u⌋``.

    Notices carry a month drawn uniformly, one draw per membership row from the decision
    phase's stream (MODEL.md §4.7, §4.0).
    """
    return _plain(np.clip(1 + np.floor(np.multiply(uniform, 12)).astype(np.int64), 1, 12))


def matures(effective, year):
    """Whether a notice has taken effect by the end of ``year``: ``year_of(effective) ≤ year``.

    A status changes in the step whose year contains the effective date (MODEL.md §4.7).
    """
    return _plain(np.asarray(year_of(effective)) <= np.asarray(year))


def years_until_effect(effective, year):
    """D: the number of steps from ``year`` to the step in which the effect falls."""
    return _plain(np.asarray(year_of(effective)) - np.asarray(year))


# --- the grammar of clauses ----------------------------------------------------------------
class ClauseError(ValueError):
    """A withdrawal clause that does not follow the grammar."""


def parse_effective_rule(text: str) -> tuple[str, tuple[int, ...]]:
    """Split ``"cutoff:1:6"`` into ``("cutoff", (1, 6))``, checking the grammar.

    >>> parse_effective_rule("months_after:12")
    ('months_after', (12,))
    """
    name, *args = str(text).strip().split(":")
    if name not in EFFECTIVE_RULES:
        raise ClauseError(f"unknown effective rule {name!r}; expected one of: {', '.join(EFFECTIVE_RULES)}")
    if len(args) != EFFECTIVE_RULES[name]:
        form = name + "".join(f":{x}" for x in ("N", "M")[: EFFECTIVE_RULES[name]]) if name != "cutoff" else "cutoff:M1:M2"
        raise ClauseError(f"effective rule {text!r} takes {EFFECTIVE_RULES[name]} number(s): write {form}")
    try:
        values = tuple(int(a) for a in args)
    except ValueError:
        raise ClauseError(f"effective rule {text!r}: the numbers must be whole numbers") from None
    if any(v < 0 for v in values):
        raise ClauseError(f"effective rule {text!r}: the numbers cannot be negative")
    if name in ("cutoff", "fiscal_year_end") and not all(1 <= v <= 12 for v in values):
        raise ClauseError(f"effective rule {text!r}: months run from 1 to 12")
    return name, values


# --- effective rules --------------------------------------------------------------------------
def encode_rule(rule: str | tuple) -> tuple[int, int, int]:
    """``(rule code, arg1, arg2)`` of an effective rule; missing arguments are 0.

    ``rule`` is the text of the grammar (``"cutoff:1:6"``) or a parsed rule, either
    ``("cutoff", (1, 6))`` as :func:`exitsim.clauses.parse_effective_rule` returns it or
    ``("cutoff", 1, 6)``.

    >>> encode_rule("cutoff:1:6")
    (3, 1, 6)
    """
    if isinstance(rule, str):
        name, args = parse_effective_rule(rule)
    else:
        name, *rest = rule
        nested = len(rest) == 1 and isinstance(rest[0], (tuple, list))
        args = tuple(rest[0]) if nested else tuple(rest)
        name, args = parse_effective_rule(":".join([str(name), *(str(a) for a in args)]))
    padded = (*args, 0, 0)
    return RULE_NAMES.index(name), int(padded[0]), int(padded[1])


def effective_months(rule_codes, arg1, arg2, notice_months, negotiated=None) -> np.ndarray:
    """The month index in which each notice takes effect, vectorized over notices.

    With a notice in month m of year y (index n = :func:`month_index` (y, m)) and the rule's
    arguments:

    * ``immediate`` — n (IMF Art. XXVI: on receipt of the notice);
    * ``months_after:N`` — n + N (VCLT Art. 56(2): 12; WTO 6; ILO, OAS 24);
    * ``end_of_year_after:N`` — December of y + N, i.e. 31 December of the N-th year after the
      notice year (UNESCO Art. II(6): a March 2017 notice takes effect in December 2018);
    * ``cutoff:M1:M2`` — month M2 of the first year whose day 1 of month M1 is on or after
      the notice. With month granularity a notice in month M1 itself counts as after day 1,
      so that year is y if m < M1, else y + 1 (IWC, ICRW Art. XI, ``cutoff:1:6``: Japan's
      December 2018 notice took effect in June 2019). Where M2 < M1 (not in the data) the
      effect is the first month M2 after that day 1, a year later, so it never precedes the
      notice;
    * ``fiscal_year_end:M`` — December of y if m ≤ M, else December of y + 1 (Council of
      Europe Statute Art. 7, calendar financial years: notice in the first 9 months → end of
      this year);
    * ``negotiated_or_months:N`` — the negotiated date where one is given (``negotiated`` ≥ 0),
      else n + N (TEU Art. 50: the withdrawal agreement's entry into force, or 2 years). A
      negotiated date before the notice is taken as the notice month.

    Args:
        rule_codes: rule codes (:data:`RULE_NAMES` indices), one per notice.
        arg1, arg2: the rule's arguments (N, M, or M1 and M2; 0 where unused).
        notice_months: month indices of the notices.
        negotiated: optional month indices of negotiated dates, :data:`NO_DATE` (−1) for none;
            used only by ``negotiated_or_months``.

    Returns:
        Month indices (int64) of the effective dates, the broadcast shape of the inputs.
    """
    arrays = [np.asarray(a, dtype=np.int64) for a in (rule_codes, arg1, arg2, notice_months)]
    if len({a.shape for a in arrays}) > 1:  # (a year's notices come as arrays of one shape)
        arrays = np.broadcast_arrays(*arrays)
    rule, a1, a2, notice = arrays
    if rule.size and (rule.min() < 0 or rule.max() >= len(RULE_NAMES)):
        unknown = (rule < 0) | (rule >= len(RULE_NAMES))
        raise ValueError(f"unknown effective rule code(s) {np.unique(rule[unknown]).tolist()}; "
                         f"expected 0–{len(RULE_NAMES) - 1} ({', '.join(RULE_NAMES)})")
    year, month = notice // 12, notice % 12 + 1
    effect = notice + a1  # months_after:N, and negotiated_or_months:N without a negotiated date
    # each other rule computed only where it is used (a year's notices use two or three rules)
    used = np.bincount(rule.ravel(), minlength=len(RULE_NAMES))  # notices under each rule
    if used[IMMEDIATE]:
        effect = np.where(rule == IMMEDIATE, notice, effect)
    if used[END_OF_YEAR_AFTER]:
        effect = np.where(rule == END_OF_YEAR_AFTER, 12 * (year + a1) + 11, effect)
    if used[CUTOFF]:
        cutoff_year = np.where(month < a1, year, year + 1) + (a2 < a1)
        effect = np.where(rule == CUTOFF, 12 * cutoff_year + a2 - 1, effect)
    if used[FISCAL_YEAR_END]:
        effect = np.where(rule == FISCAL_YEAR_END, 12 * np.where(month <= a1, year, year + 1) + 11, effect)
    if negotiated is not None and used[NEGOTIATED_OR_MONTHS]:
        date = np.asarray(negotiated, dtype=np.int64)
        effect = np.where((rule == NEGOTIATED_OR_MONTHS) & (date >= 0), np.maximum(date, notice), effect)
    return np.array(effect, dtype=np.int64)


def effective_month(rule: str | tuple, notice_year: int, notice_month: int,
                    negotiated: int | None = None) -> int:
    """The month index in which one notice takes effect under ``rule`` (see
    :func:`effective_months` for every rule and its source).

    ``negotiated`` (a month index) overrides the period of ``negotiated_or_months:N``.

    >>> split_month_index(effective_month("cutoff:1:6", 2018, 12))
    (2019, 6)
    """
    if not 1 <= int(notice_month) <= 12:
        raise ValueError(f"notice_month must be 1–12, got {notice_month}")
    code, a1, a2 = encode_rule(rule)
    return int(effective_months(code, a1, a2, month_index(notice_year, notice_month),
                                NO_DATE if negotiated is None else negotiated))


def max_delay_months(rule: str | tuple) -> int:
    """The longest time, in months, from a notice to its effect under ``rule`` (no negotiated
    date): the bound the planning horizon D can reach (MODEL.md §4.6).

    ``immediate`` 0; ``months_after:N`` and ``negotiated_or_months:N`` N;
    ``end_of_year_after:N`` 12 N + 11 (a January notice); ``cutoff:M1:M2`` 12 + M2 − M1
    (a notice in month M1), or 24 + M2 − M1 where M2 < M1; ``fiscal_year_end:M`` 23 − M
    (a notice in month M + 1), or 11 where M = 12.
    """
    code, a1, a2 = encode_rule(rule)
    if code == IMMEDIATE:
        return 0
    if code in (MONTHS_AFTER, NEGOTIATED_OR_MONTHS):
        return a1
    if code == END_OF_YEAR_AFTER:
        return 12 * a1 + 11
    if code == CUTOFF:
        return (12 if a2 >= a1 else 24) + a2 - a1
    return 11 if a1 == 12 else 23 - a1


# --- clauses as arrays ------------------------------------------------------------------------
class ClauseArrays(NamedTuple):
    """Organizations' withdrawal clauses as integer and boolean arrays (one entry per clause)."""

    kind: np.ndarray                  # KIND_NAMES code
    rule: np.ndarray                  # RULE_NAMES code
    arg1: np.ndarray                  # N, M or M1
    arg2: np.ndarray                  # M2 (cutoff), else 0
    min_tenure_years: np.ndarray
    tenure_basis: np.ndarray          # TENURE_BASIS_NAMES code
    arrears_block_effect: np.ndarray
    obligations_survive: np.ndarray
    revocable: np.ndarray


def clause_arrays(clauses: Iterable[Mapping[str, Any]]) -> ClauseArrays:
    """Encode clauses (``World.clause`` dicts, or objects with a ``to_dict()`` such as
    :class:`exitsim.clauses.Clause`) as arrays, so a year's notices can look their
    organization's clause up by index. Missing fields take :data:`CLAUSE_DEFAULTS`."""
    rows = [CLAUSE_DEFAULTS | (c.to_dict() if hasattr(c, "to_dict") else dict(c)) for c in clauses]
    rules = np.array([encode_rule(c["effective"]) for c in rows], dtype=np.int64).reshape(-1, 3)
    return ClauseArrays(
        kind=_codes([c["kind"] for c in rows], KIND_NAMES, "clause kind").astype(np.int8),
        rule=rules[:, 0].astype(np.int8), arg1=rules[:, 1], arg2=rules[:, 2],
        min_tenure_years=np.array([c["min_tenure_years"] for c in rows], dtype=np.int64),
        tenure_basis=_codes([c["tenure_basis"] for c in rows], TENURE_BASIS_NAMES, "tenure basis").astype(np.int8),
        arrears_block_effect=np.array([c["arrears_block_effect"] for c in rows], dtype=bool),
        obligations_survive=np.array([c["obligations_survive"] for c in rows], dtype=bool),
        revocable=np.array([c["revocable"] for c in rows], dtype=bool))


def _codes(values, names: tuple[str, ...], what: str) -> np.ndarray:
    """Names or codes → an integer array of codes, with a message naming a bad value."""
    array = np.asarray(values)
    if array.dtype.kind in "UO":
        flat = [str(v) for v in array.ravel()]
        bad = sorted({v for v in flat if v not in names})
        if bad:
            raise ValueError(f"unknown {what} {bad}; expected one of: {', '.join(names)}")
        return np.array([names.index(v) for v in flat], dtype=np.int64).reshape(array.shape)
    codes = array.astype(np.int64)
    if codes.size and (codes.min() < 0 or codes.max() >= len(names)):
        raise ValueError(f"{what} codes must be 0–{len(names) - 1} ({', '.join(names)})")
    return codes


def _scalar_or_array(value: np.ndarray, scalar: bool):
    return value.item() if scalar else value


# --- substantive legality: may it leave? ------------------------------------------------------
def tenure_start(tenure_basis, founded, joined):
    """The month index from which a minimum tenure counts: the organization's ``founded`` month
    (the treaty's entry into force) under ``treaty_in_force`` (NATO Art. 13), the member's
    ``joined`` month under ``party_in_force`` (Paris Art. 28: entry into force for that party)
    and ``accession`` (FAO Art. XIX) — the model has no lag between accession and entry into
    force for a party, so the two coincide. Bases are names or :data:`TENURE_BASIS_NAMES`
    codes; ``founded`` and ``joined`` are month indices (:func:`month_index`); all broadcast."""
    basis = _codes(tenure_basis, TENURE_BASIS_NAMES, "tenure basis")
    return _plain(np.where(basis == TREATY_IN_FORCE, founded, joined))


def first_lawful_month(min_tenure_years, tenure_basis, founded, joined):
    """The first month index in which a notice meets the minimum tenure: ``start + 12 · T``
    (:func:`tenure_start`; T = ``min_tenure_years``). Example: Paris, in force for a party in
    November 2016, 3 years → November 2019."""
    start = np.asarray(tenure_start(tenure_basis, founded, joined))
    return _plain(start + 12 * np.asarray(min_tenure_years))


def tenure_satisfied(min_tenure_years, tenure_basis, notice, founded, joined):
    """Whether the minimum tenure allows a notice given in month index ``notice``:
    ``notice ≥ start + 12 · min_tenure`` (:func:`first_lawful_month`), to the month.

    Dates are month indices (:func:`month_index`): the notice's, the organization's ``founded``
    and the member's ``joined``. Three years from November 2016 end in November 2019, so a
    Paris notice of October 2019 by a party in force since November 2016 breaks the tenure and
    one of November 2019 does not (the United States' notice of 4 November 2019).
    """
    return _plain(np.asarray(notice) >= np.asarray(first_lawful_month(min_tenure_years, tenure_basis, founded,
                                                                      joined)))


def consent_granted(uniform, consent_probability: float):
    """Whether all parties consent (VCLT Art. 54(b)): ``u < consent_probability``.

    A request under a ``consent`` clause is answered in the year it is made (MODEL.md §4.6).
    """
    if not 0.0 <= consent_probability <= 1.0:
        raise ValueError(f"consent_probability must be in [0, 1], got {consent_probability}")
    return _plain(np.asarray(uniform) < consent_probability)


class Route(NamedTuple):
    """What a decision to leave becomes (codes; arrays, or Python scalars for scalar input).

    ``outcome`` (:data:`OUTCOME_NAMES`), ``substantive`` (:data:`SUBSTANTIVE_NAMES`),
    ``procedural`` (:data:`PROCEDURAL_NAMES`), ``counts_as_withdrawal`` (a lawful notice,
    counted in the withdrawal rate, MODEL.md §5), ``status`` (the membership status it leads
    to now: :data:`exitsim.world.MEMBERSHIP_STATUS` — ``notice``, ``withdrawn``, ``inactive``,
    or ``member`` while consent is pending or after it is refused) and ``by_amendment``
    (the lawful route is Feinberg's amendment right, so :data:`IMPLIED_RULE` applies rather
    than the clause's own rule).
    """

    outcome: Any
    substantive: Any
    procedural: Any
    counts_as_withdrawal: Any
    status: Any
    by_amendment: Any

    @property
    def immediate(self):
        """The exit takes effect now (a non-treaty exit or a walk-out), without a notice."""
        outcome = np.asarray(self.outcome)
        return _plain((outcome == IMMEDIATE_EXIT) | (outcome == WALKOUT))

    @property
    def outcome_name(self):
        return _names(self.outcome, OUTCOME_NAMES)

    @property
    def substantive_name(self):
        return _names(self.substantive, SUBSTANTIVE_NAMES)

    @property
    def procedural_name(self):
        return _names(self.procedural, PROCEDURAL_NAMES)

    @property
    def status_name(self):
        return _names(self.status, MEMBERSHIP_STATUS)


def _names(codes, names: tuple[str, ...]):
    if np.ndim(codes) == 0:
        return names[int(codes)]
    return np.asarray(names, dtype=object)[np.asarray(codes)]


def walkout(kind, scalar: bool | None = None) -> Route:
    """The exit of a state that leaves while the lawful route is closed (MODEL.md §4.6–4.7).

    * ``explicit`` / ``implied`` (during the minimum tenure, or before a notice's effective
      date): the right exists but the procedure is not followed — substantive
      ``explicit_clause`` / ``implied_right``, procedural ``violated``, status ``withdrawn``;
    * ``none``, and ``consent`` without consent: no right at all — substantive ``contested``,
      no procedure to follow or violate (procedural ""), and the organization keeps the state
      as ``inactive`` (keeps its seat, no dues, no benefits, returns without re-accession);
    * ``non_treaty``: leaving at will is never a walk-out — an immediate exit, substantive
      ``non_treaty``, procedural ``followed``, status ``withdrawn``.

    None of these counts as a treaty withdrawal (walk-outs are counted separately, MODEL.md §5).
    Sources: Wu Libin (substantive vs procedural legality); customary practice (Indonesia–UN).
    """
    k = _codes(kind, KIND_NAMES, "clause kind")
    has_right = (k == EXPLICIT) | (k == IMPLIED)
    non_treaty = k == NON_TREATY
    route = Route(
        outcome=np.where(non_treaty, IMMEDIATE_EXIT, WALKOUT),
        substantive=np.select([k == EXPLICIT, k == IMPLIED, non_treaty],
                              [EXPLICIT_CLAUSE, IMPLIED_RIGHT, NOT_A_TREATY], default=CONTESTED),
        procedural=np.select([has_right, non_treaty], [VIOLATED, FOLLOWED], default=NO_PROCEDURAL),
        counts_as_withdrawal=np.zeros(k.shape, dtype=bool),
        status=np.where(has_right | non_treaty, WITHDRAWN, INACTIVE),
        by_amendment=np.zeros(k.shape, dtype=bool))
    scalar = np.ndim(kind) == 0 if scalar is None else scalar
    return Route(*(_scalar_or_array(np.asarray(v), scalar) for v in route))


def lawful_route(kind, tenure_ok, consent=None, amendment_right=False) -> Route:
    """What a state's decision to leave becomes under its organization's clause.

    * ``explicit`` / ``implied`` with the minimum tenure satisfied — a lawful notice
      (substantive ``explicit_clause`` / ``implied_right``, procedural ``followed``), status
      ``notice``, effective under the clause's rule; counted as a withdrawal.
    * ``non_treaty`` — an immediate exit (substantive ``non_treaty``), not a treaty withdrawal.
    * ``consent`` — VCLT Art. 54(b): ``consent=None`` (not asked yet) gives ``needs_consent``;
      the caller draws the answer (:func:`consent_granted`) in the same year and calls again.
      Granted: a lawful notice, substantive ``consent``. Refused: ``consent_refused`` — the
      state stays a member (it may walk out later, :func:`walkout`).
    * ``none`` — no right: the exit is a walk-out, substantive ``contested``, status
      ``inactive`` (see :func:`walkout`).
    * ``explicit`` / ``implied`` with the tenure not satisfied — a walk-out: immediate,
      procedural ``violated``.
    * ``amendment_right`` (Feinberg, :func:`amendment_right`) opens a lawful implied right
      where the clause's own route is closed (tenure, ``none``, ``consent``): a notice with
      substantive ``implied_right`` under :data:`IMPLIED_RULE`, ``by_amendment`` true.

    Sources: Feinberg (explicit or implied recognition), Akehurst (VCLT Art. 54(b), 56),
    Wu Libin (substantive and procedural legality). Arguments are names or codes and broadcast;
    scalar input gives a :class:`Route` of Python scalars.
    """
    scalar = all(np.ndim(a) == 0 for a in (kind, tenure_ok, consent, amendment_right))
    k = _codes(kind, KIND_NAMES, "clause kind")
    tenure = np.asarray(tenure_ok, dtype=bool)
    amended = np.asarray(amendment_right, dtype=bool)
    answer = CONSENT_NOT_ASKED if consent is None else np.where(np.asarray(consent, dtype=bool), CONSENT_GIVEN,
                                                                 CONSENT_DENIED)
    # one lookup in the table of every case (:func:`route_table`), not a pass per rule
    cell = np.ravel_multi_index((k, tenure, amended, answer), route_table().outcome.shape)
    return Route(*(_scalar_or_array(field[cell], scalar) for field in _flat_route_table()))


#: The answer to a request for consent, the last axis of :func:`route_table`.
CONSENT_NOT_ASKED, CONSENT_DENIED, CONSENT_GIVEN = range(3)


@functools.cache
def route_table() -> Route:
    """:func:`lawful_route` for every case at once: each field an array indexed by
    ``[kind code, tenure satisfied, amendment right open, answer]`` (answer
    :data:`CONSENT_NOT_ASKED`, :data:`CONSENT_DENIED` or :data:`CONSENT_GIVEN`), shape
    (5, 2, 2, 3). Made once from :func:`route_rules`, so a year's notices are routed by lookup."""
    k, tenure, amended, answer = np.meshgrid(np.arange(len(KIND_NAMES)), [False, True], [False, True],
                                             np.arange(3), indexing="ij")
    route = route_rules(k, tenure, amended, answer != CONSENT_NOT_ASKED, answer == CONSENT_GIVEN)
    for field in route:
        field.setflags(write=False)
    return route


@functools.cache
def _flat_route_table() -> Route:
    """:func:`route_table` with each field raveled: looked up by the cell of a case
    (``np.ravel_multi_index`` over the table's shape)."""
    return Route(*(field.ravel() for field in route_table()))


def route_rules(k: np.ndarray, tenure: np.ndarray, amended: np.ndarray, asked: np.ndarray,
                granted: np.ndarray) -> Route:
    """The rules of :func:`lawful_route` on arrays of one shape: kind codes ``k``, whether the
    tenure is satisfied, whether an amendment right is open, whether consent was asked and
    whether it was granted."""
    own_right = ((k == EXPLICIT) | (k == IMPLIED)) & tenure
    by_amendment = amended & ~own_right & (k != NON_TREATY)
    is_consent = (k == CONSENT) & ~by_amendment
    consented = is_consent & granted
    lawful = own_right | by_amendment | consented

    closed = walkout(k, scalar=False)
    pending = is_consent & ~granted  # not asked yet, or refused: no exit this year
    outcome = np.select([lawful, pending & ~asked, pending],
                        [LAWFUL_NOTICE, NEEDS_CONSENT, CONSENT_REFUSED], default=closed.outcome)
    substantive = np.select(
        [own_right & (k == EXPLICIT), own_right | by_amendment, consented, pending],
        [EXPLICIT_CLAUSE, IMPLIED_RIGHT, BY_CONSENT, NO_SUBSTANTIVE], default=closed.substantive)
    procedural = np.select([lawful, pending], [FOLLOWED, NO_PROCEDURAL], default=closed.procedural)
    status = np.select([lawful, pending], [NOTICE, MEMBER], default=closed.status)
    return Route(outcome, substantive, procedural, lawful, status, by_amendment)


def amendment_right(utility_before, utility_after, year, obligations_rose, amendment_drop: float,
                    amendment_right_years: int):
    """Feinberg's amendment right: who gains a lawful implied right, and until when.

    When an organization's obligations rise (e.g. institutionalization raised by inclusive
    binding), a member whose evaluation ũ falls by at least ``amendment_drop`` (0.5 years of
    dues), or falls from ≥ 0 to below 0, gains a lawful implied right of withdrawal
    (:data:`IMPLIED_RULE`, 12 months' notice) for ``amendment_right_years`` (2) years:

        gains = obligations_rose ∧ (ũ_before − ũ_after ≥ drop ∨ ũ_before ≥ 0 > ũ_after)

    Source: Feinberg — the UN Charter's declaratory statement: a member is not compelled to
    stay if an amendment it has not accepted changes its rights and obligations.

    Returns:
        ``(mask, expires)``: ``expires`` is the first year in which the right is gone
        (``year + amendment_right_years``; the right is open while ``year < expires``), and
        :data:`NO_DATE` where the mask is false.
    """
    before = np.asarray(utility_before, dtype=float)
    after = np.asarray(utility_after, dtype=float)
    mask = np.asarray(obligations_rose, dtype=bool) & (
        (before - after >= amendment_drop) | ((before >= 0) & (after < 0)))
    expires = np.where(mask, np.asarray(year) + amendment_right_years, NO_DATE)
    return _plain(mask), _plain(expires)


def amendment_right_open(expires, year):
    """Whether an amendment right granted with expiry ``expires`` can be used in ``year``."""
    return _plain(np.asarray(year) < np.asarray(expires))


# --- procedural legality: effect, obligations, rescission -------------------------------------
def can_take_effect(arrears, arrears_block_effect):
    """The amount a state must pay before its exit takes effect.

    Where arrears block the effect (ILO Art. 1(5), OAS Charter Art. 143: only once financial
    obligations are met) the state pays its arrears in the year of effect, so the notice takes
    effect on time once this amount is paid; elsewhere nothing is due for the effect (0).
    Source: Wu Libin (procedural legality: obligations before effect); MODEL.md §4.6.
    """
    blocks = np.asarray(arrears_block_effect, dtype=bool)
    return _plain(np.where(blocks, np.asarray(arrears, dtype=float), 0.0))


def surviving_debt(arrears, obligations_survive):
    """The debt that outlives the exit: unpaid arrears where obligations survive, else 0.

    Where obligations accrued before the effect survive it (UNESCO Art. II(6), ICC Art. 127),
    unpaid dues remain owed after exit and block rejoining until paid (:func:`may_rejoin`);
    elsewhere they lapse with the membership. Source: Wu Libin; MODEL.md §4.6, §4.12.
    """
    survive = np.asarray(obligations_survive, dtype=bool)
    return _plain(np.where(survive, np.asarray(arrears, dtype=float), 0.0))


def debt_payment(debt, power, limit: float):
    """What a state pays of a debt that must be settled (arrears blocking an exit's effect, a
    surviving debt before rejoining): all of it, but at most ``limit`` (0.5) of its power; the
    rest is forgiven, so power stays positive (MODEL.md §4.0, §4.6).

    Example: a debt of 3 with power 4 → 2 paid.
    """
    return _plain(np.minimum(np.asarray(debt, dtype=float), limit * np.asarray(power, dtype=float)))


def may_rejoin(debt):
    """A withdrawn state may rejoin only once any surviving debt is paid (MODEL.md §4.12)."""
    return _plain(np.asarray(debt) <= 0)


def rescinded(revocable, turned_internationalist, utility, conceded):
    """Which notices are withdrawn before they take effect (MODEL.md §4.6).

    A revocable notice (VCLT Art. 68, unless the clause says otherwise) is rescinded when the
    government turns internationalist (US–WHO 2021), when ũ turns positive, or when the
    organization, answering the notice once in the year it is given, grants a concession the
    state takes (US–UPU 2019):

        rescinded = revocable ∧ (turned_internationalist ∨ ũ > 0 ∨ conceded)
    """
    return _plain(np.asarray(revocable, dtype=bool) & (
        np.asarray(turned_internationalist, dtype=bool) | (np.asarray(utility) > 0)
        | np.asarray(conceded, dtype=bool)))


def contested_or_violated(substantive, procedural):
    """Whether an exit is ``contested`` (no right to leave) or procedurally ``violated`` (a
    walk-out against the clause): the flag of the reputation term in
    :func:`exitsim.mechanisms.evaluation.switching_cost`. Names or codes; broadcasts."""
    sub = _codes(substantive, SUBSTANTIVE_NAMES, "substantive legality")
    proc = _codes(procedural, PROCEDURAL_NAMES, "procedural legality")
    return _plain((sub == CONTESTED) | (proc == VIOLATED))
