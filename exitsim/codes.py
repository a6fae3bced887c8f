"""The vocabulary every layer shares: statuses, roles, issue areas, rules, clause kinds, "never".

The bottom floor of the package: it imports nothing, and everything else (mechanisms, the
world, the phases, the scenario files) takes its codes from here, so a mechanism can speak of a
``NOTICE`` or a ``SECURITY`` organization without knowing the :class:`~exitsim.world.World`.
Integer codes index their tuple of names (``MEMBERSHIP_STATUS[NOTICE] == "notice"``).
"""

from __future__ import annotations

# --- memberships (MODEL.md §2) ------------------------------------------------------------
#: Membership status: ``member`` and ``notice`` are full members (active); ``inactive`` keeps
#: its seat after a contested exit; ``withdrawn`` is out.
MEMBERSHIP_STATUS = ("member", "notice", "inactive", "withdrawn")
MEMBER, NOTICE, INACTIVE, WITHDRAWN = range(4)

# --- organizations ------------------------------------------------------------------------
ORGANIZATION_STATUS = ("alive", "zombie", "dead")
ALIVE, ZOMBIE, DEAD = range(3)
#: Issue areas (those of ``exitsim/data/withdrawal_clauses.csv``).
ISSUE_AREAS = ("security", "health", "culture", "labour", "trade", "environment", "finance",
               "economy", "justice", "general", "human_rights", "communications", "food")
SECURITY = ISSUE_AREAS.index("security")
VOTING_RULES = ("one_state_one_vote", "weighted")

# --- states -------------------------------------------------------------------------------
ROLES = ("other", "hegemon", "rising", "ally")
OTHER, HEGEMON, RISING, ALLY = range(4)
GOVERNMENTS = ("internationalist", "nativist")

# --- withdrawal clauses (MODEL.md §4.7; the grammar of exitsim/data/README.md) --------------
CLAUSE_KINDS = ("explicit", "implied", "consent", "none", "non_treaty")
#: Effective rules: name -> how many whole-number arguments it takes (``cutoff:M1:M2``).
EFFECTIVE_RULES = {
    "immediate": 0,
    "months_after": 1,
    "end_of_year_after": 1,
    "cutoff": 2,
    "fiscal_year_end": 1,
    "negotiated_or_months": 1,
}
#: From when a minimum tenure counts: the treaty's entry into force, its entry into force for
#: the party, or the party's accession.
TENURE_BASES = ("treaty_in_force", "party_in_force", "accession")

# --- time ---------------------------------------------------------------------------------
#: A year that never was: no threat yet, no pretext, no exit, no turnover. Far enough in the
#: past that every "within the last n years" test is false for it.
NEVER = -1_000_000

# --- great-power strategies (MODEL.md §4.11) ----------------------------------------------
#: The hegemon's strategies: the first decides like any state.
HEGEMON_STRATEGIES = ("status_quo", "exit_diplomacy", "inclusive", "exclusive")
#: The rising power's responses: the first decides like any state.
RISING_STRATEGIES = ("passive", "gap_filling", "counter_institutions")
