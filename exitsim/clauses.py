"""Withdrawal clauses as data: kinds, effective rules and their structured fields.

The grammar is that of ``exitsim/data/README.md`` (coded from real treaties): a clause kind
(``explicit``, ``implied``, ``consent``, ``none``, ``non_treaty``) and an effective rule
(``immediate``; ``months_after:N``; ``end_of_year_after:N``; ``cutoff:M1:M2``;
``fiscal_year_end:M``; ``negotiated_or_months:N``). The legal calendar that applies them is
:mod:`exitsim.mechanisms.law`.
"""

from __future__ import annotations

import csv
from dataclasses import asdict, dataclass
from functools import lru_cache
from importlib import resources

from .codes import CLAUSE_KINDS, EFFECTIVE_RULES, TENURE_BASES  # noqa: F401  (re-exported)
from .mechanisms.law import CLAUSE_DEFAULTS, ClauseError, parse_effective_rule  # noqa: F401  (re-exported)


@dataclass(frozen=True)
class Clause:
    """An organization's withdrawal clause (MODEL.md §4.7)."""

    kind: str = CLAUSE_DEFAULTS["kind"]
    effective: str = CLAUSE_DEFAULTS["effective"]
    min_tenure_years: int = CLAUSE_DEFAULTS["min_tenure_years"]
    tenure_basis: str = CLAUSE_DEFAULTS["tenure_basis"]
    arrears_block_effect: bool = CLAUSE_DEFAULTS["arrears_block_effect"]
    obligations_survive: bool = CLAUSE_DEFAULTS["obligations_survive"]
    revocable: bool = CLAUSE_DEFAULTS["revocable"]

    def __post_init__(self):
        if self.kind not in CLAUSE_KINDS:
            raise ClauseError(f"unknown clause kind {self.kind!r}; expected one of: {', '.join(CLAUSE_KINDS)}")
        parse_effective_rule(self.effective)
        if self.tenure_basis not in TENURE_BASES:
            raise ClauseError(f"unknown tenure basis {self.tenure_basis!r}; expected one of: {', '.join(TENURE_BASES)}")
        if self.min_tenure_years < 0:
            raise ClauseError("min_tenure_years cannot be negative")

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class Template:
    """One real organization's row of ``withdrawal_clauses.csv``."""

    abbreviation: str
    organization: str
    issue_area: str
    founded: int
    voting: str
    institutionalization: int
    cap: float | None
    clause: Clause


def _yes(cell: str) -> bool:
    return cell.strip().lower() == "yes"


@lru_cache(maxsize=1)
def load_templates() -> tuple[Template, ...]:
    """The real organizations of the shipped ``withdrawal_clauses.csv``, as templates (read once)."""
    text = resources.files("exitsim.data").joinpath("withdrawal_clauses.csv").read_text(encoding="utf-8")
    templates = []
    for row in csv.DictReader(text.splitlines()):
        clause = Clause(
            kind=row["clause"],
            effective=row["effective_rule"] or ("months_after:12" if row["clause"] in ("implied", "none", "consent") else "immediate"),
            min_tenure_years=int(row["min_tenure_years"] or 0),
            tenure_basis=row["tenure_basis"] or "accession",
            arrears_block_effect=_yes(row["arrears_block_effect"]),
            obligations_survive=_yes(row["obligations_survive"]),
            revocable=row["revocable"].strip().lower() != "no",
        )
        templates.append(Template(
            abbreviation=row["abbreviation"], organization=row["organization"],
            issue_area=row["issue_area"], founded=int(row["founded"]), voting=row["voting"],
            institutionalization=int(row["institutionalization"]),
            cap=float(row["contribution_cap"]) if row["contribution_cap"] else None, clause=clause))
    return tuple(templates)
