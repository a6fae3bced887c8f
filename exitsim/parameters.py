"""The parameter registry (MODEL.md §7).

One typed definition of every model parameter: its name, type, range, default, unit, the
mechanism that reads it, the source it comes from and a one-line description. The scenario
schema, the documentation, the dashboard's controls and the sweep factors are all made from
:data:`REGISTRY`, so a parameter is added in exactly one place.

>>> params = make_params(access_spillover=0.0)
>>> params.access_spillover, params.budget_rate
(0.0, 2.5e-05)
"""

from __future__ import annotations

import dataclasses
import difflib
import math
import numbers
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from .codes import HEGEMON_STRATEGIES, RISING_STRATEGIES


@dataclass(frozen=True, slots=True)
class Parameter:
    """The definition of one model parameter.

    Attributes:
        name: Identifier used in scenario files, ``--set`` overrides and code.
        symbol: The symbol MODEL.md uses for it (for the docs), or "".
        kind: ``"float"``, ``"int"``, ``"bool"`` or ``"choice"`` (one of ``choices``).
        default: The default value.
        low: Smallest allowed value (inclusive); None only for a ``bool``. Every number is finite
            and in ``low`` … ``high``.
        high: Largest allowed value (inclusive); None only for a ``bool``.
        unit: What the number measures.
        group: The scenario section it belongs to (MODEL.md's grouping).
        mechanism: The function(s) that read it.
        source: Where the mechanism comes from (MODEL.md §8).
        description: One line for students and the docs.
        switch: What setting it to its ``off`` value switches off, or "" if not a switch.
        off: The value that disables the mechanism (None when it is not a switch).
        choices: The allowed values of a ``"choice"`` parameter, in the order the docs list
            them (empty for the other kinds).
    """

    name: str
    symbol: str
    kind: str
    default: Any
    low: float | None
    high: float | None
    unit: str
    group: str
    mechanism: str
    source: str
    description: str
    switch: str = ""
    off: Any = None
    choices: tuple[str, ...] = ()

    def __post_init__(self):
        if self.kind not in ("float", "int", "bool", "choice"):
            raise ValueError(f"parameter {self.name!r}: kind must be float, int, bool or choice, not {self.kind!r}")
        if self.kind == "choice":
            if self.default not in self.choices:
                raise ValueError(f"parameter {self.name!r}: the default {self.default!r} is not one of its choices")
            return
        if self.kind == "bool":
            return
        bounds = (self.low, self.high)
        if any(b is None or not math.isfinite(b) for b in bounds) or not self.low <= self.default <= self.high:
            raise ValueError(f"parameter {self.name!r}: a number needs finite bounds low <= default <= high, "
                             f"not {self.low} <= {self.default} <= {self.high}")

    def check(self, value: Any) -> Any:
        """Return ``value`` converted to this parameter's type, or raise ParameterError.

        Numbers (numpy's too) must be finite and within ``low`` … ``high``; a whole number is
        needed for an ``int``; only ``True``/``False`` for a ``bool``; one of ``choices`` for a
        ``choice``.
        """
        if self.kind == "choice":
            if isinstance(value, str) and value in self.choices:
                return value
            hint = suggest(value, self.choices) if isinstance(value, str) else None
            raise ParameterError(self.name, value, "one of " + ", ".join(self.choices)
                                 + (f" (did you mean {hint!r}?)" if hint else ""))
        if self.kind == "bool":
            if isinstance(value, bool | np.bool_):
                return bool(value)
            raise ParameterError(self.name, value, "true or false")
        if isinstance(value, bool | np.bool_) or not isinstance(value, numbers.Real):
            raise ParameterError(self.name, value, f"a number ({self.kind}) between {self.low:g} and {self.high:g}")
        try:
            number = float(value)
        except OverflowError:  # an integer too large for a float
            number = math.inf
        if not math.isfinite(number):
            raise ParameterError(self.name, value, f"a finite number between {self.low:g} and {self.high:g}")
        if self.kind == "int":
            if not number.is_integer():
                raise ParameterError(self.name, value, "a whole number")
            value = int(value)
        else:
            value = number
        if value < self.low:
            raise ParameterError(self.name, value, f"at least {self.low:g}")
        if value > self.high:
            raise ParameterError(self.name, value, f"at most {self.high:g}")
        return value


class ParameterError(ValueError):
    """A parameter value outside its definition; the message names what to fix."""

    def __init__(self, name: str, value: Any, expected: str):
        self.name, self.value, self.expected = name, value, expected
        shown = repr(value)
        if len(shown) > 40:  # e.g. an integer of a hundred digits
            shown = shown[:20] + "…" + shown[-10:]
        super().__init__(f"parameter {name!r} = {shown}: expected {expected}")


GROUPS = {
    "scale": "World scale (MODEL.md §4.0)",
    "institutions": "Budget, dues and output (MODEL.md §4.1–4.2)",
    "leadership": "Leadership, policy and non-neutral gains (MODEL.md §4.3)",
    "power": "Power (MODEL.md §4.4)",
    "domestic": "Domestic politics (MODEL.md §4.9)",
    "evaluation": "Evaluation of memberships (MODEL.md §4.5)",
    "decisions": "Decisions: stay, threaten or give notice (MODEL.md §4.6)",
    "law": "Law and the calendar (MODEL.md §4.7)",
    "contagion": "Contagion (MODEL.md §4.8)",
    "alignment": "Alignment drift (MODEL.md §4.10)",
    "life_cycle": "Rejoining and the life cycle of organizations (MODEL.md §4.12)",
    "strategies": "Great-power strategies (MODEL.md §4.11)",
}

_CONSUMPTION = "Institutional realism: the consumption effect (MODEL.md §4.1, §8)"
_SPILLOVER = "Institutional realism: the spillover effect (MODEL.md §4.2, §8)"
_RETRENCHMENT = "Institutional retrenchment: domestic politics constrains and guides exit (MODEL.md §4.9, §8)"
_POWER_ATTR = "Institutional realism: the power attribute of institutions (MODEL.md §4.3, §8)"


def _p(name, symbol, kind, default, low, high, unit, group, mechanism, source, description,
       switch="", off=None, choices=()) -> Parameter:
    return Parameter(name, symbol, kind, default, low, high, unit, group, mechanism, source,
                     description, switch, off, tuple(choices))


_DEFINITIONS = [
    # --- scale -------------------------------------------------------------------------
    _p("organization_weight", "w_org", "float", 1.0, 0.001, 1000.0, "real organizations per model organization",
       "scale", "budget.uncapped_assessment, spillover.access_spillover",
       "MODEL.md §4.0 (scale convention)",
       "How many real organizations one model organization stands for: multiplies budget rates and access spillover."),
    # --- institutions: budget -----------------------------------------------------------
    _p("budget_rate", "b", "float", 2.5e-5, 0.0, 0.01, "share of a member's assessment base a year",
       "institutions", "budget.uncapped_assessment", _CONSUMPTION,
       "Each organization's default budget rate: uncapped dues are this share of a member's average power.",
       switch="dues, output and everything funded by them", off=0.0),
    _p("assessment_years", "", "int", 6, 1, 30, "years",
       "institutions", "budget.assessment_base", "MODEL.md §4.1 (UN scale: multi-year averages)",
       "How many years of power the assessment base averages."),
    _p("dues_rise_cap", "", "float", 0.10, 0.0, 10.0, "share of last year's dues",
       "institutions", "budget.dues", _CONSUMPTION,
       "A member's dues rise by at most this share a year (new members exempt); the rest is a shortfall."),
    _p("contribution_floor", "", "float", 1e-5, 0.0, 0.01, "share of the need",
       "institutions", "budget.dues", "MODEL.md §4.1 (UN scale floor)",
       "No member pays less than this share of the organization's need (unless its rise cap binds first)."),
    _p("commitment_rate", "", "float", 0.5, 0.0, 5.0, "share of the need",
       "institutions", "budget.commitment", _CONSUMPTION,
       "The leader of a security organization pays this share of the need on top, a transfer to the other members.",
       switch="the security leader's commitment and the allies' transfers", off=0.0),
    # --- institutions: output and spillover ----------------------------------------------
    _p("output_multiplier", "θ", "float", 1.2, 0.0, 100.0, "output per unit of budget",
       "institutions", "spillover.output", _SPILLOVER,
       "Median value multiplier θ of organizations: output is θ_k × performance × collected budget.",
       switch="public goods (and the non-neutral gains taken from them)", off=0.0),
    _p("output_spread", "σ_θ", "float", 0.6, 0.0, 3.0, "log units",
       "institutions", "generate.generate_organizations, phases.lifecycle.found", "MODEL.md §4.5 (heterogeneous organizations)",
       "Spread of organizations' value multipliers θ_k around the median (lognormal sigma) in generated worlds."),
    _p("performance_adjustment", "", "float", 0.3, 0.0, 1.0, "share of the gap a year",
       "institutions", "spillover.performance", "MODEL.md §4.2",
       "How fast performance q moves toward intrinsic quality × budget adequacy."),
    _p("performance_noise", "", "float", 0.05, 0.0, 1.0, "performance units",
       "institutions", "spillover.performance", "MODEL.md §4.2",
       "Standard deviation of the yearly shock to performance."),
    _p("absorptive_exponent", "ν", "float", 0.65, 0.0, 2.0, "exponent",
       "institutions", "spillover.public_good", _SPILLOVER,
       "Public goods are shared in proportion to power^ν (0: equal split; 1: proportional to power)."),
    _p("leak", "ℓ", "float", 0.05, 0.0, 1.0, "share of output",
       "institutions", "spillover.public_good", _SPILLOVER,
       "Share of an organization's output that spills to non-members.",
       switch="spillover of public goods to non-members", off=0.0),
    _p("access_spillover", "ω", "float", 1.5e-4, 0.0, 0.1, "rate per organization",
       "institutions", "spillover.access_spillover", _SPILLOVER,
       "Functional spillover: a member gains ω × q × its power × (other members' power) / world power a year.",
       switch="the access (functional) spillover", off=0.0),
    # --- leadership --------------------------------------------------------------------
    _p("leader_margin", "", "float", 1.2, 1.0, 10.0, "ratio",
       "leadership", "leadership.leader", _POWER_ATTR,
       "The largest contributor leads only if its contribution is at least this multiple of the next."),
    _p("steering_share", "α", "float", 0.2, 0.0, 1.0, "share of output",
       "leadership", "leadership.nonneutral_gain", _POWER_ATTR,
       "Leader's non-neutral gain: α × output × (leader's contribution share − 1/members).",
       switch="the leader's non-neutral gains", off=0.0),
    _p("equal_vote_steering", "", "float", 0.3, 0.0, 1.0, "share of α",
       "leadership", "leadership.nonneutral_gain", _POWER_ATTR,
       "Under one-state-one-vote the leader steers with this share of α (agenda setting without votes)."),
    _p("compliance", "χ", "float", 0.2, 0.0, 10.0, "years of dues per ideal-point unit",
       "leadership", "leadership.compliance_cost", _POWER_ATTR,
       "Compliance cost χ × distance to the policy × institutionalization/3 × own uncapped dues.",
       switch="compliance costs", off=0.0),
    # --- power ---------------------------------------------------------------------------
    _p("institutional_rate", "κ", "float", 1.0, 0.0, 10.0, "multiplier",
       "power", "power.update_power", "MODEL.md §4.4",
       "How strongly the net institutional gain (as a share of power) changes power.",
       switch="every institutional effect on power", off=0.0),
    _p("net_gain_clip", "", "float", 0.05, 0.0, 1.0, "share of power a year",
       "power", "power.update_power", "MODEL.md §4.0 (bounded institutional rate)",
       "The institutional term of the power update is clipped to ± this share of power."),
    _p("power_noise", "σ", "float", 0.01, 0.0, 1.0, "log units a year",
       "power", "power.update_power", "MODEL.md §4.4",
       "Standard deviation of yearly log-power shocks (mean-corrected).",
       switch="random power shocks", off=0.0),
]

_DEFINITIONS += [
    # --- domestic politics ------------------------------------------------------------------
    _p("domestic_politics", "", "bool", True, None, None, "switch",
       "domestic", "phases.domestic.run", _RETRENCHMENT,
       "Nativism moves and governments change; off: both stay as the scenario sets them.",
       switch="nativism dynamics and government turnovers", off=False),
    _p("nativism_reversion", "", "float", 0.1, 0.0, 1.0, "share of the gap a year",
       "domestic", "domestic.update_nativism", _RETRENCHMENT,
       "How fast nativism n returns toward its long-run level n̄."),
    _p("nativism_noise", "", "float", 0.05, 0.0, 1.0, "nativism units",
       "domestic", "domestic.update_nativism", _RETRENCHMENT,
       "Standard deviation of the yearly nativism shock.",
       switch="random nativism shocks", off=0.0),
    _p("decline_nativism", "κ_d", "float", 1.0, 0.0, 10.0, "nativism level per unit of relative decline",
       "domestic", "domestic.update_nativism", _RETRENCHMENT,
       "Relative decline d raises the level nativism reverts to, to n̄ + κ_d d (a 10% loss of share over the look-back: +0.1).",
       switch="relative decline feeding nativism", off=0.0),
    _p("decline_years", "", "int", 5, 1, 30, "years",
       "domestic", "domestic.relative_decline", "MODEL.md §4.9",
       "Look-back of relative decline: max(0, (s_{t−y} − s_t) / s_{t−y}), s the world power share."),
    _p("election_period", "", "int", 4, 1, 20, "years",
       "domestic", "domestic.turnovers", "MODEL.md §4.9",
       "Democracies hold elections every this many years (each at its own phase)."),
    _p("democracy_threshold", "", "float", 0.5, 0.0, 1.0, "democracy index",
       "domestic", "domestic.turnovers", "MODEL.md §4.9",
       "States with democracy at least this hold elections; the others change leader by hazard."),
    _p("autocratic_hazard", "", "float", 0.05, 0.0, 1.0, "per year × (1 − democracy)",
       "domestic", "domestic.turnovers", "MODEL.md §4.9",
       "Yearly leader-change hazard of a non-democracy is this × (1 − democracy)."),
    _p("nativist_slope", "", "float", 6.0, 0.0, 50.0, "logit per nativism unit",
       "domestic", "domestic.new_government_nativist", _RETRENCHMENT,
       "A new government is nativist with probability logistic(slope × (n − 0.5))."),
]

_HELLO = "Hello-goodbye (von Borzyskowski & Vabulas 2019): divergence and leader-exit contagion (MODEL.md §8)"
_LAW = "Law: Feinberg, Akehurst (VCLT Art. 54, 56), Wu Libin's substantive and procedural legality (MODEL.md §4.7, §8)"
_DEFINITIONS += [
    # --- evaluation (§4.5) ------------------------------------------------------------------
    _p("preference_cost", "λ", "float", 1.0, 0.0, 10.0, "years of dues per ideal-point unit (at institutionalization 3)",
       "evaluation", "evaluation.membership_utility", _HELLO,
       "Yearly cost of distance from the organization's policy in ũ: λ d inst/3.",
       switch="the preference-divergence term of ũ", off=0.0),
    _p("nativist_cost", "μ", "float", 0.5, 0.0, 10.0, "years of dues (at institutionalization 3)",
       "evaluation", "evaluation.membership_utility", _RETRENCHMENT,
       "A nativist government's yearly distaste for binding institutions in ũ: μ inst/3.",
       switch="nativist governments' distaste for institutions", off=0.0),
    _p("ratio_clip", "", "float", 5.0, 0.1, 100.0, "years of dues",
       "evaluation", "evaluation.exit_terms, decision.concession_value", "MODEL.md §4.0 (bounded terms)",
       "Ratios to one's own uncapped dues c* are clipped at ± this inside decision terms."),
    _p("reputation_cost", "", "float", 1.0, 0.0, 10.0, "years of dues",
       "evaluation", "evaluation.switching_cost", _RETRENCHMENT,
       "Switching cost of an exit that would be contested or break the procedure."),
    _p("domestic_switching_cost", "", "float", 0.2, 0.0, 10.0, "years of dues per unit of democracy",
       "evaluation", "evaluation.switching_cost", _RETRENCHMENT,
       "Domestic obstacles to exit (veto players, ratification politics): this × democracy."),
    _p("reputation_loss", "", "float", 0.2, 0.0, 1.0, "per violation",
       "evaluation", "evaluation.update_reputation", _RETRENCHMENT,
       "A state's reputation stock falls this much per contested or violated exit."),
    _p("reputation_recovery", "", "float", 0.05, 0.0, 1.0, "per year",
       "evaluation", "evaluation.update_reputation", _RETRENCHMENT,
       "Yearly recovery of the reputation stock toward 1."),
    # --- decisions (§4.6) --------------------------------------------------------------------
    _p("exit_decisions", "", "bool", True, None, None, "switch",
       "decisions", "phases.decisions.run", _RETRENCHMENT,
       "States choose each year among staying, threatening and giving notice; off: nobody chooses (the timeline still acts).",
       switch="states' own exit decisions", off=False),
    _p("baseline_notice", "β0", "float", -10.0, -30.0, 5.0, "logit",
       "decisions", "decision.choice_values", "MODEL.md §4.6; calibrated to world_facts.md's rate 0.0004",
       "Intercept of giving notice (calibrated so that the withdrawal rate is about 0.0004 a year)."),
    _p("baseline_threat", "β0_T", "float", -9.0, -30.0, 5.0, "logit",
       "decisions", "decision.choice_values", "MODEL.md §4.6; calibrated to world_facts.md (threats of the order of notices)",
       "Intercept of threatening to leave (calibrated so threats are of the order of notices)."),
    _p("beta_utility", "β_u", "float", 1.0, 0.0, 10.0, "logit per year of dues",
       "decisions", "decision.choice_values", _RETRENCHMENT,
       "Weight of the (clipped) exit and threat payoffs in the choice."),
    _p("beta_contagion", "β_c", "float", 3.2, 0.0, 10.0, "logit per unit of exposure",
       "decisions", "decision.choice_values", _HELLO,
       "Contagion: exposure 1 (a lead state left last year) multiplies the odds of notice by e^3.2 ≈ 25.",
       switch="leader-exit contagion in decisions", off=0.0),
    _p("beta_window", "β_w", "float", 0.7, 0.0, 5.0, "logit",
       "decisions", "decision.choice_values", _RETRENCHMENT,
       "A window (a turnover this year or last) raises notices and threats.",
       switch="windows", off=0.0),
    _p("beta_pretext", "β_p", "float", 0.7, 0.0, 5.0, "logit",
       "decisions", "decision.choice_values", _RETRENCHMENT,
       "A pretext (falling performance, a refused threat, the rival taking the lead) raises notices and threats.",
       switch="pretexts", off=0.0),
    _p("beta_nativism", "β_n", "float", 0.0, -5.0, 5.0, "logit per unit of nativism",
       "decisions", "decision.choice_values", _HELLO,
       "Direct effect of nativism on notices (0: nativism acts only through governments and μ)."),
    _p("temperature", "T", "float", 1.0, 0.01, 100.0, "scale of the choice noise",
       "decisions", "decision.choice_values", "MODEL.md §4.6",
       "Divides the choice values: higher is noisier."),
    _p("payoff_clip", "", "float", 5.0, 0.1, 100.0, "logit units",
       "decisions", "decision.choice_values", "MODEL.md §4.0 (bounded terms)",
       "Payoffs entering a choice are clipped to ± this."),
    _p("planning_horizon", "H", "float", 5.0, 0.0, 50.0, "years",
       "decisions", "decision.exit_payoff, decision.concession_value", _RETRENCHMENT,
       "Years over which a state weighs leaving (π = max(0, H − D)(−ũ) − S̃) and a concession."),
    _p("concession_intercept", "ζ0", "float", -3.0, -20.0, 20.0, "logit",
       "decisions", "decision.concession_probability", _RETRENCHMENT,
       "Baseline log-odds that an organization concedes to a threat."),
    _p("concession_share_effect", "ζ1", "float", 15.0, 0.0, 100.0, "logit per contribution share",
       "decisions", "decision.concession_probability", _RETRENCHMENT,
       "Powerful threateners (large contribution shares) win concessions more often."),
    _p("concession_credibility", "ζ2", "float", 0.3, 0.0, 10.0, "logit per year of dues of exit payoff",
       "decisions", "decision.concession_probability", _RETRENCHMENT,
       "A threat is as strong as the exit behind it is credible (the payoff π of leaving)."),
    _p("concession_discount", "δ", "float", 0.2, 0.0, 1.0, "share of dues",
       "decisions", "decision.concession_value", "MODEL.md §4.6",
       "A concession grants this dues discount (cumulative at most max_discount)."),
    _p("max_discount", "", "float", 0.5, 0.0, 1.0, "share of dues",
       "decisions", "decision.raised_discount", "MODEL.md §4.6",
       "Cumulative dues discount a membership can hold."),
    _p("policy_concession_shift", "", "float", 0.2, 0.0, 1.0, "share of the gap",
       "decisions", "decision.policy_concession_value", "definitions.md",
       "A policy concession moves the organization's policy offset this share of the gap toward the threatener."),
    _p("credibility_cost", "", "float", 0.3, 0.0, 10.0, "years of dues",
       "decisions", "decision.threat_payoff", _RETRENCHMENT,
       "Cost of issuing a threat."),
    _p("threat_interval", "", "int", 2, 1, 20, "years",
       "decisions", "phases.decisions.run", "MODEL.md §4.6",
       "At most one threat per membership in this many years."),
    _p("pretext_years", "", "int", 2, 0, 20, "years",
       "decisions", "decision.pretext", "MODEL.md §4.6",
       "A refusal, a performance fall or the rival taking the lead is a pretext for this many years."),
    _p("pretext_quality_drop", "", "float", 0.1, 0.0, 1.0, "performance units",
       "decisions", "decision.pretext", _RETRENCHMENT,
       "A fall in performance of at least this over the pretext years is a pretext."),
    _p("nativist_withholding", "", "float", 0.0, 0.0, 1.0, "share of dues",
       "decisions", "phases.institutions.run", _RETRENCHMENT,
       "Optional rule: nativist governments withhold this share of their dues, which become arrears (0: off)."),
    _p("nativist_relief", "", "float", 0.05, 0.0, 1.0, "nativism units",
       "decisions", "domestic.soothe", _RETRENCHMENT,
       "Retrenchment soothes nativists: a nativist government that gives notice lowers nativism this much.",
       switch="retrenchment soothing nativists", off=0.0),
    # --- law (§4.7) -----------------------------------------------------------------------------
    _p("consent_probability", "", "float", 0.5, 0.0, 1.0, "probability",
       "law", "law.consent_granted", _LAW,
       "Under a consent clause, all parties consent to a withdrawal with this probability (answered the same year)."),
    _p("amendment_drop", "", "float", 0.5, 0.0, 5.0, "years of dues",
       "law", "law.amendment_right", _LAW,
       "When obligations rise, members whose ũ falls this much (or below 0) gain an implied right to leave."),
    _p("amendment_right_years", "", "int", 2, 0, 10, "years",
       "law", "law.amendment_right", _LAW,
       "How long Feinberg's amendment right stays open."),
    _p("debt_payment_limit", "", "float", 0.5, 0.0, 1.0, "share of power",
       "law", "law.debt_payment", "Wu Libin (procedural legality: obligations before effect); MODEL.md §4.0 (power positive)",
       "A debt that must be settled (arrears before an exit takes effect, a surviving debt before rejoining) is paid from at most this share of the state's power; the rest is forgiven."),
    # --- contagion (§4.8) ---------------------------------------------------------------------------
    _p("exposure_retained", "", "float", 0.5, 0.0, 1.0, "share a year",
       "contagion", "contagion.decay", _HELLO,
       "Share of contagion exposure kept from one year to the next."),
    _p("same_issue_spill", "", "float", 0.3, 0.0, 1.0, "share",
       "contagion", "contagion.add_exposure", _HELLO,
       "A notice exposes co-members in same-issue organizations the leaver belongs to by this share."),
    _p("proximity_scale", "", "float", 0.5, 0.01, 10.0, "ideal-point units",
       "contagion", "contagion.affinities", _HELLO,
       "Affinity to a leaver falls as exp(−distance / this)."),
    _p("exposure_cap", "", "float", 3.0, 0.0, 100.0, "exposure units",
       "contagion", "contagion.add_exposure", "MODEL.md §4.8",
       "Cap on a membership's exposure."),
    # --- alignment (§4.10) ----------------------------------------------------------------------------
    _p("alignment_rate", "", "float", 0.05, 0.0, 1.0, "share of the gap a year",
       "alignment", "alignment.drift", "Institutional realism: allies' centrifugal force (MODEL.md §4.10, §8)",
       "How fast alignment with each pole moves toward the share of net gains from organizations it leads."),
    # --- rejoining and life cycle (§4.12) -----------------------------------------------------------
    _p("rejoining", "", "bool", True, None, None, "switch",
       "life_cycle", "phases.lifecycle.rejoin", "MODEL.md §4.12",
       "Withdrawn states rejoin, and inactive ones return, when membership is worth it again.",
       switch="rejoining and returns", off=False),
    _p("rejoin_threshold", "", "float", 1.0, -10.0, 10.0, "years of dues a year",
       "life_cycle", "lifecycle.rejoins", "MODEL.md §4.12 (hysteresis)",
       "A withdrawn state rejoins (with a window open) when its evaluation as a member exceeds this."),
    _p("zombie_quality", "", "float", 0.3, 0.0, 1.0, "performance",
       "life_cycle", "lifecycle.update_status", "MODEL.md §4.12 (Eilstrup-Sangiovanni on IO death)",
       "An organization with performance below this for zombie_years is a zombie (it still runs)."),
    _p("zombie_years", "", "int", 3, 1, 50, "years",
       "life_cycle", "lifecycle.update_status", "MODEL.md §4.12",
       "Years below zombie_quality that make a zombie."),
    _p("death_quality", "", "float", 0.05, 0.0, 1.0, "performance",
       "life_cycle", "lifecycle.update_status", "MODEL.md §4.12",
       "An organization with performance below this for death_years dies."),
    _p("death_years", "", "int", 5, 1, 50, "years",
       "life_cycle", "lifecycle.update_status", "MODEL.md §4.12",
       "Years below death_quality that kill an organization."),
    _p("death_members", "", "int", 3, 0, 100, "members",
       "life_cycle", "lifecycle.update_status", "MODEL.md §4.12",
       "An organization with fewer members than this dies.",
       switch="deaths by lack of members", off=0),
    _p("founding_rate", "", "float", 0.02, 0.0, 1.0, "per living organization a year",
       "life_cycle", "lifecycle.expected_foundings", "MODEL.md §4.12 (world_facts.md: 40–95 IGOs founded a decade)",
       "Background foundings in an issue area at its start density: Poisson(this × its living organizations / organization_weight) a year.",
       switch="background foundings", off=0.0),
    _p("founding_min_members", "", "int", 3, 1, 1000, "members",
       "life_cycle", "lifecycle.FoundingRules", "MODEL.md §4.12",
       "Smallest size of a founded organization (founder included)."),
    _p("founding_max_members", "", "int", 20, 1, 1000, "members",
       "life_cycle", "lifecycle.FoundingRules", "MODEL.md §4.12",
       "Largest size of a founded organization (founder included; drawn uniformly between the two)."),
    _p("founding_ally_weight", "", "float", 2.0, 1.0, 100.0, "odds multiplier",
       "life_cycle", "lifecycle.FoundingRules", "MODEL.md §4.12 (members by proximity and alliance)",
       "A founder's allies are this many times as likely to be invited."),
    _p("founding_proximity_scale", "", "float", 1.0, 0.01, 100.0, "ideal-point units",
       "life_cycle", "lifecycle.FoundingRules", "MODEL.md §4.12 (members by proximity and alliance)",
       "Invitations fall as exp(−distance to the founder / this)."),
    _p("founding_cap_min_members", "", "int", 50, 1, 10000, "members",
       "life_cycle", "lifecycle.FoundingRules", "MODEL.md §4.1",
       "A founded organization copies a contribution cap only if it has at least this many members."),
    _p("founding_crowding", "η_f", "float", 2.0, 0.0, 50.0, "per unit of relative density",
       "life_cycle", "lifecycle.expected_foundings", "Organizational ecology: density dependence (MODEL.md §4.12)",
       "Foundings in an issue area fall as exp(−η_f (N/N⁰ − 1)) as it fills beyond its density at the start."),
    _p("failure_rate", "φ", "float", 0.5, 0.0, 100.0, "per year per unit of crowding and of vitality shortfall",
       "life_cycle", "lifecycle.failure_hazard", "Organizational ecology; Eilstrup-Sangiovanni 2020 on IO death (MODEL.md §4.12)",
       "An organization fails (dies) with yearly hazard φ (1 − performance × funding) (m⁰/m)^σ max(0, N/N⁰ − 1) / organization_weight: only beyond its area's start density.",
       switch="failures of weak organizations in crowded areas", off=0.0),
    _p("failure_smallness", "σ", "float", 1.0, 0.0, 10.0, "exponent",
       "life_cycle", "lifecycle.failure_hazard", "Organizational ecology: the liability of smallness (MODEL.md §4.12)",
       "Failures rise as (m⁰/m)^σ for an organization of m members, m⁰ its area's typical size at the start."),
]

_BALANCING = ("Institutional realism: exit diplomacy as institutional balancing beside inclusive and exclusive "
              "institution-building (Kai He) (MODEL.md §4.11, §8)")
_GAP_FILLING = ("Institutional retrenchment: the rising power cautiously fills the gaps (中国审慎填补空缺); "
                "a plural, multi-layered order (MODEL.md §4.11, §8)")
_DEFINITIONS += [
    # --- great-power strategies (§4.11) -------------------------------------------------------------
    _p("hegemon_strategy", "", "choice", "status_quo", None, None, "strategy",
       "strategies", "phases.strategies.run", _BALANCING,
       "The hegemon's strategy once active: status_quo (decides like any state), exit_diplomacy, inclusive or exclusive.",
       choices=HEGEMON_STRATEGIES),
    _p("rising_strategy", "", "choice", "passive", None, None, "strategy",
       "strategies", "phases.strategies.run", _GAP_FILLING,
       "The rising power's response once active: passive (decides like any state), gap_filling or counter_institutions.",
       choices=RISING_STRATEGIES),
    _p("strategy_trigger", "", "float", 1.5, 0.0, 100.0, "P_hegemon / P_rising",
       "strategies", "strategies.triggered", "MODEL.md §4.11",
       "The strategies become active once the hegemon's power over the rising power's falls below this, and stay active."),
    _p("actions_per_year", "", "int", 2, 0, 100, "actions a year per great power",
       "strategies", "phases.strategies.run", "MODEL.md §4.11",
       "Each active strategy takes at most this many actions a year (threats, notices, offers, amendments, foundings …)."),
    _p("relative_gains_weight", "γ", "float", 0.5, 0.0, 10.0, "years of dues per year of dues the rival gains",
       "strategies", "phases.strategies.gamma, evaluation.membership_utility", _BALANCING,
       "A great power with an active strategy counts γ × its rival's gain from each organization as a cost in ũ.",
       switch="the relative-gains term of active great powers", off=0.0),
    _p("reform_cap_cut", "", "float", 0.2, 0.0, 1.0, "share of the hegemon's contribution share",
       "strategies", "strategies.reformed_cap", _BALANCING,
       "Exit diplomacy's reform: a cap of (1 − this) × the hegemon's share of contributions, and weighted voting."),
    _p("admission_consent", "", "float", 0.5, 0.0, 1.0, "probability",
       "strategies", "strategies.admission_probability", _BALANCING,
       "Members admit the rising power with this probability plus (1 − it) × their vote-weighted alignment with it."),
    _p("inclusive_assessment_years", "", "int", 1, 1, 30, "years",
       "strategies", "phases.institutions.flows", _BALANCING,
       "Inclusive binding shortens an organization's assessment base to this many years of power (1: current power)."),
    _p("club_alignment", "", "float", 0.5, 0.0, 1.0, "alignment with the hegemon",
       "strategies", "strategies.club_eligible", _BALANCING,
       "Exclusive clubs invite the states aligned with the hegemon at least this much (never the rising power)."),
    _p("invitation_weight", "", "float", 2.0, 0.0, 50.0, "logit per unit of alignment (and of need)",
       "strategies", "strategies.invitation_affinity", _BALANCING,
       "A strategy's new organization invites by proximity, alliance and this × alignment with the founder (+ need)."),
    _p("founder_contribution", "", "float", 0.25, 0.0, 10.0, "share of the need a year",
       "strategies", "strategies.founder_pledge", _BALANCING,
       "The great power that founds a club or counter-institution pays this share of its need a year on top of its dues."),
    _p("fill_fraction", "", "float", 0.5, 0.0, 1.0, "share of the shortfall",
       "strategies", "strategies.gap_pledge", _GAP_FILLING,
       "Gap filling: the rising power funds this share of the shortfall where the hegemon left and it gains."),
]

REGISTRY: dict[str, Parameter] = {p.name: p for p in _DEFINITIONS}

#: The Python type of each kind of parameter.
PYTHON_TYPES = {"float": float, "int": int, "bool": bool, "choice": str}

Params = dataclasses.make_dataclass(
    "Params",
    [(p.name, PYTHON_TYPES[p.kind], dataclasses.field(default=p.default))
     for p in _DEFINITIONS],
    frozen=True,
    slots=True,
    namespace={"__doc__": "Resolved model parameters: one attribute per entry of REGISTRY.",
               "to_dict": lambda self: dataclasses.asdict(self),
               "replace": lambda self, **kw: make_params(self.to_dict() | kw)},
)


def suggest(name: str, candidates: Iterable[str]) -> str | None:
    """The closest candidate to a misspelt name, or None."""
    found = difflib.get_close_matches(name, list(candidates), n=1, cutoff=0.6)
    return found[0] if found else None


def make_params(values: Mapping[str, Any] | None = None, /, **overrides: Any) -> Params:
    """Build a validated ``Params`` from defaults, a mapping and keyword overrides.

    Raises:
        ParameterError: for an unknown name (with a suggestion) or a value of the wrong type
            or outside the parameter's range.
    """
    merged = dict(values or {}) | overrides
    checked = {}
    for name, value in merged.items():
        if name not in REGISTRY:
            hint = suggest(name, REGISTRY)
            raise ParameterError(name, value, "a known parameter" + (f" (did you mean {hint!r}?)" if hint else ""))
        checked[name] = REGISTRY[name].check(value)
    return Params(**checked)


def parameters_in_group(group: str) -> list[Parameter]:
    """The registry's parameters of one group, in definition order."""
    return [p for p in _DEFINITIONS if p.group == group]
