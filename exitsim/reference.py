"""Reference material made from the code: the JSON Schema of a scenario file, the scenario
guide ``docs/scenarios.md`` and the text of a new scenario.

Everything here is generated from the pydantic models of :mod:`exitsim.scenario`, the
parameter registry (:mod:`exitsim.parameters`), the clause grammar (:mod:`exitsim.clauses`),
the timeline (:mod:`exitsim.timeline`) and the real organizations of
``exitsim/data/withdrawal_clauses.csv``, so the documentation cannot drift from what the
loader accepts. ``python run.py docs`` writes the generated files; a test fails when the
committed copies are stale.

>>> schema = json_schema()
>>> schema["title"], "parameters" in schema["properties"], "extends" in schema["properties"]
('exitsim scenario', True, True)
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from . import timeline as timeline_module
from .clauses import CLAUSE_KINDS, EFFECTIVE_RULES, TENURE_BASES, load_templates
from .codes import GOVERNMENTS
from .loading import MAX_ALIAS_NODES, MAX_DEPTH, MAX_EXTENDS, MAX_FILE_BYTES, MAX_VALUES, PLAIN_TAGS
from .parameters import GROUPS, Parameter, parameters_in_group
from .scenario import (
    EFFECTIVE_RULE_LIMITS,
    ClauseSpec,
    GenerateSpec,
    MemberSpec,
    OrganizationSpec,
    ReservationSpec,
    Scenario,
    StateSpec,
    TimelineEventSpec,
    default_scenario_path,
)
from .timeline import MAX_POWER_SHOCK, NEEDS_ORGANIZATION, TIMELINE_KINDS

#: The first line of every shipped scenario: editors using yaml-language-server (VS Code's
#: YAML extension, Neovim, …) then complete keys and check values as students type.
SCHEMA_COMMENT = "# yaml-language-server: $schema=scenario.schema.json"
#: Where the generated files live, relative to the repository root.
SCHEMA_PATH = Path("scenarios") / "scenario.schema.json"
DOCS_PATH = Path("docs") / "scenarios.md"

# yaml-language-server validates with JSON Schema draft-07 (newer drafts are reported as "not
# yet fully supported"), so the schema is written as draft-07: definitions under
# ``definitions`` and no keywords beside a ``$ref``.
JSON_SCHEMA_DRAFT = "http://json-schema.org/draft-07/schema#"

EXTENDS_DESCRIPTION = ("Another scenario file to start from (a .yaml or .yml path relative to this one, in its "
                       "folder or a folder below it, or a shipped scenario such as default.yaml; at most "
                       f"{MAX_EXTENDS} files in a chain): this file's keys are merged into it, mapping by mapping; "
                       "a list (states, organizations, timeline) replaces the other file's list whole.")

#: The clause kinds of ``exitsim/data/README.md``.
CLAUSE_KIND_NOTES = {
    "explicit": "The treaty has a withdrawal clause: a lawful notice once the minimum tenure has passed, "
                "effective by the clause's rule.",
    "implied": "No clause, but a right to leave implied by the parties' intent or the treaty's nature "
               "(VCLT Art. 56(1)); 12 months' notice (Art. 56(2)).",
    "consent": "Leaving needs the consent of all parties (VCLT Art. 54(b)); asked and answered the same year "
               "(the `consent_probability` parameter).",
    "none": "No right to leave: an exit is a contested walk-out and the state is kept as an inactive member "
            "(the UN Charter).",
    "non_treaty": "Not a treaty body: a state leaves at will, at once, and it is not counted as a treaty "
                  "withdrawal (the UN Human Rights Council).",
}

#: The effective rules of ``exitsim/data/README.md``: (how to write it, what it means).
EFFECTIVE_RULE_NOTES = {
    "immediate": ("immediate", "The exit takes effect on the notice (the IMF)."),
    "months_after": ("months_after:N", "N months after the notice (12: a year, the usual rule)."),
    "end_of_year_after": ("end_of_year_after:N",
                          "31 December of the N-th year after the year of the notice (UNESCO: N = 1)."),
    "cutoff": ("cutoff:M1:M2", "In month M2 of the first year whose first day of month M1 is on or after the "
                               "notice (the IWC: cutoff:1:6, notice by 1 January, effective 30 June)."),
    "fiscal_year_end": ("fiscal_year_end:M", "The end of this calendar year if the notice comes in its first M "
                                             "months, else the end of the next (the Council of Europe: M = 9)."),
    "negotiated_or_months": ("negotiated_or_months:N", "On a withdrawal agreement, or N months after the notice "
                                                       "unless a timeline sets the date (the EU's Art. 50: N = 24)."),
}

TENURE_BASIS_NOTES = {
    "treaty_in_force": "years since the treaty entered into force (the organization's `founded`, to the month)",
    "party_in_force": "years since the treaty entered into force for this member (its `joined`, to the month)",
    "accession": "years since the member joined (its `joined`, to the month)",
}

#: The checks the loader makes across fields (exitsim.scenario.cross_check and the model).
CROSS_CHECKS = [
    "A scenario has at least 2 states (explicit and generated together).",
    "State codes and organization codes are each unique.",
    "Every member of an organization is a state of the scenario (a misspelt code gets a suggestion).",
    "A reservation is held by a member of its organization.",
    "Alliances are mutual: if A lists B among its `alliances`, B lists A.",
    "At most one state is the `hegemon` and at most one the `rising` power (a generated world already has "
    "both unless `generate.hegemon` is false).",
    "All ideal points have the same number of dimensions.",
    "A scenario has at least 1 organization (explicit or generated).",
    "Timeline events name states and organizations of the scenario and fall in the run's years: after "
    "`start_year`, up to `start_year + steps`.",
    "A `notice`, `threat` or `withhold_dues` event is by a member of its organization (at the start of the run).",
    "Every organization has at least as many members as the `death_members` parameter (3), or it would die in "
    "the first year: list at least 3 members (for generated organizations, `generate.min_members` at least 3), "
    "or lower `death_members` (0 switches these deaths off).",
]


# --- the JSON Schema ------------------------------------------------------------------------------

def _at_most(limit: int) -> str:
    """A regular expression for the whole numbers 0 … ``limit`` (leading zeros allowed).

    >>> import re; [bool(re.fullmatch(_at_most(1200), t)) for t in ("0", "999", "1199", "1200", "1201", "0012")]
    [True, True, True, True, False, True]
    """
    digits = str(limit)
    forms = [f"[0-9]{{1,{len(digits) - 1}}}"] if len(digits) > 1 else []
    for i, d in enumerate(digits):
        low = 1 if i == 0 and len(digits) > 1 else 0
        if int(d) > low:
            forms.append(digits[:i] + f"[{low}-{int(d) - 1}]" + "[0-9]" * (len(digits) - i - 1))
    forms.append(digits)
    return "0*(" + "|".join(forms) + ")"


def _effective_rule_pattern() -> str:
    month = "(0?[1-9]|1[0-2])"
    months_only = {"cutoff", "fiscal_year_end"}
    forms = [name + "".join(f":{month if name in months_only else _at_most(EFFECTIVE_RULE_LIMITS[name])}"
                            for _ in range(n))
             for name, n in EFFECTIVE_RULES.items()]
    return r"^\s*(" + "|".join(forms) + r")\s*$"


def _no_ref_siblings(node: Any) -> Any:
    """Draft-07 ignores keywords beside ``$ref``: wrap such references in ``allOf`` so editors
    still show the description."""
    if isinstance(node, list):
        return [_no_ref_siblings(item) for item in node]
    if not isinstance(node, dict):
        return node
    node = {key: _no_ref_siblings(value) for key, value in node.items()}
    if "$ref" in node and len(node) > 1:
        ref = node.pop("$ref")
        node = {**node, "allOf": [{"$ref": ref}, *node.get("allOf", [])]}
    return node


def _timeline_rules() -> list[dict]:
    """What each timeline kind needs (exitsim.timeline.ScheduledEvent's checks), as if/then."""

    def when(kinds: list[str], then: dict) -> dict:
        condition = {"const": kinds[0]} if len(kinds) == 1 else {"enum": kinds}
        return {"if": {"properties": {"kind": condition}, "required": ["kind"]}, "then": then}

    def value(schema: dict) -> dict:
        return {"required": ["value"], "properties": {"value": schema}}

    needs = [k for k in TIMELINE_KINDS if k in NEEDS_ORGANIZATION]
    return [
        when(needs, {"required": ["organization"], "properties": {"organization": {"type": "string"}}}),
        when(["government"], value({"enum": list(GOVERNMENTS)})),
        when(["nativism_shock"], value({"type": "number", "minimum": -1, "maximum": 1})),
        when(["power_shock"], value({"type": "number", "exclusiveMinimum": 0, "maximum": MAX_POWER_SHOCK})),
        when(["withhold_dues"], value({"type": "number", "minimum": 0, "maximum": 1})),
    ]


def json_schema() -> dict:
    """The JSON Schema (draft-07) of a scenario file, made from :class:`~exitsim.scenario.Scenario`.

    It adds what the pydantic models check in Python code: the grammar of effective rules (and
    their limits), what each kind of timeline event needs, and the top-level ``extends:`` the
    loader accepts. Cross-field checks (unknown codes, mutual alliances …) stay with the loader.
    """
    raw = Scenario.model_json_schema(ref_template="#/definitions/{model}")
    definitions = raw.pop("$defs")
    definitions["ClauseSpec"]["properties"]["effective"]["pattern"] = _effective_rule_pattern()
    definitions["TimelineEventSpec"]["allOf"] = _timeline_rules()
    properties = {"extends": {"type": "string", "title": "Extends", "description": EXTENDS_DESCRIPTION},
                  **raw.pop("properties")}
    return draft_07(raw, properties, definitions, "exitsim scenario", "docs/scenarios.md", "exitsim/scenario.py")


def draft_07(raw: dict, properties: dict, definitions: dict, title: str, documented_in: str, source: str) -> dict:
    """A draft-07 schema of a file from pydantic's schema of its model (``raw``, whose
    properties and definitions the caller has taken out and adjusted)."""
    raw.pop("title", None)
    schema = {"$schema": JSON_SCHEMA_DRAFT, "title": title,
              "description": (raw.pop("description", "") + f" Documented in {documented_in}; generated by "
                              f"`python run.py docs` from {source}: do not edit by hand.").strip(),
              "type": raw.pop("type", "object"), "properties": properties, **raw, "definitions": definitions}
    return _no_ref_siblings(schema)


def json_schema_text() -> str:
    """The schema as the text of ``scenarios/scenario.schema.json``."""
    return json.dumps(json_schema(), indent=2, ensure_ascii=False) + "\n"


def write_json_schema(path: str | Path = SCHEMA_PATH) -> Path:
    """Write the JSON Schema of a scenario file to ``path``; return the path."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json_schema_text(), encoding="utf-8")
    return path


# --- docs/scenarios.md ----------------------------------------------------------------------------

def _num(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return f"{value:.10g}"
    return str(value)


def _cell(text: Any) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def _range(prop: dict) -> str:
    low = prop.get("minimum", prop.get("exclusiveMinimum"))
    high = prop.get("maximum", prop.get("exclusiveMaximum"))
    low_sign = ">" if "exclusiveMinimum" in prop else "≥"
    high_sign = "<" if "exclusiveMaximum" in prop else "≤"
    if low is not None and high is not None:
        opening = "(" if "exclusiveMinimum" in prop else "["
        closing = ")" if "exclusiveMaximum" in prop else "]"
        return f"{opening}{_num(low)}, {_num(high)}{closing}"
    if low is not None:
        return f"{low_sign} {_num(low)}"
    if high is not None:
        return f"{high_sign} {_num(high)}"
    return ""


_MAPPINGS = {  # definition name -> (what one is called, the section of this page that describes it)
    "ParametersSpec": ("parameters", "parameters"), "GenerateSpec": ("generate", "generate"),
    "StateSpec": ("state", "states"), "OrganizationSpec": ("organization", "organizations"),
    "ClauseSpec": ("clause", "clause"), "MemberSpec": ("member", "organizations"),
    "ReservationSpec": ("reservation", "reservations"), "TimelineEventSpec": ("event", "timeline"),
}


def _type(prop: dict, plural: bool = False) -> str:
    """A reader's name for a property's type, with its allowed values or range."""
    if "allOf" in prop and len(prop["allOf"]) == 1:
        prop = prop["allOf"][0]
    if "$ref" in prop:
        name = prop["$ref"].rsplit("/", 1)[-1]
        label, anchor = _MAPPINGS.get(name, (name.removesuffix("Spec").lower(), ""))
        label = f"[{label}](#{anchor})" if anchor else label
        return f"{label} mappings" if plural else f"a mapping ({label})"
    if "anyOf" in prop:
        options = [o for o in prop["anyOf"] if o.get("type") != "null"]
        text = " or ".join(_type(o, plural) for o in options)
        return text if len(options) == len(prop["anyOf"]) else f"{text}, or omitted"
    if "enum" in prop:
        return "one of " + ", ".join(f"`{_num(v)}`" for v in prop["enum"])
    kind = prop.get("type")
    if kind == "array":
        sizes = ""
        if "minItems" in prop and "maxItems" in prop:
            sizes = f" ({prop['minItems']}–{prop['maxItems']} items)"
        elif "minItems" in prop:
            sizes = f" (at least {prop['minItems']})"
        return f"a list of {_type(prop.get('items', {}), plural=True)}{sizes}"
    names = {"number": ("a number", "numbers"), "integer": ("a whole number", "whole numbers"),
             "boolean": ("true or false", "true or false values"), "string": ("text", "texts"),
             "object": ("a mapping", "mappings")}
    name = names.get(kind, ("anything", "anything"))[plural]
    if kind == "string" and "pattern" in prop:
        coded = prop["pattern"].startswith("^[A-Za-z]")
        name = ("codes" if plural else "a code") if coded else "text (see below)"
    bounds = _range(prop)
    return f"{name} in {bounds}" if bounds and bounds[0] in "([" else f"{name} {bounds}".strip()


def _default(model: type[BaseModel], key: str) -> str:
    field = model.model_fields[key]
    if field.is_required():
        return "**required**"
    if field.default_factory is not None:
        made = field.default_factory()
        if made == []:
            return "none"
        return "see below" if isinstance(made, BaseModel) else f"`{_num(made)}`"
    if field.default is None:
        return "—"
    if field.default == "":
        return '`""`'
    return f"`{_num(field.default)}`"


def _field_table(model: type[BaseModel], definitions: dict, properties: dict | None = None,
                 extra: dict[str, tuple[str, str, str]] | None = None) -> list[str]:
    """One row per key of ``model``: its type, default and description (from the schema)."""
    properties = properties if properties is not None else definitions[model.__name__]["properties"]
    rows = ["| key | type | default | description |", "|---|---|---|---|"]
    for key, (kind, default, description) in (extra or {}).items():
        rows.append(f"| `{key}` | {_cell(kind)} | {default} | {_cell(description)} |")
    for key in model.model_fields:
        prop = properties[key]
        description = prop.get("description", "")
        rows.append(f"| `{key}` | {_cell(_type(prop))} | {_default(model, key)} | {_cell(description)} |")
    return rows


def _parameter_range(p: Parameter) -> str:
    if p.kind == "bool":
        return "true / false"
    if p.kind == "choice":
        return ", ".join(f"`{choice}`" for choice in p.choices)
    low = "−∞" if p.low is None else _num(p.low)
    high = "∞" if p.high is None else _num(p.high)
    return f"{low} … {high}"


def _parameter_tables(group: str) -> list[str]:
    params = parameters_in_group(group)
    kinds = {"float": "number", "int": "whole number", "bool": "true/false", "choice": "one of"}
    lines = ["| parameter | symbol | type | range | default | unit | description |",
             "|---|---|---|---|---|---|---|"]
    lines += [f"| `{p.name}` | {p.symbol or ''} | {kinds[p.kind]} | {_parameter_range(p)} | `{_num(p.default)}` "
              f"| {_cell(p.unit)} | {_cell(p.description)} |" for p in params]
    lines += ["", "Where each acts, and where it comes from:", "",
              "| parameter | mechanism | source | setting it to its `off` value switches off |", "|---|---|---|---|"]
    lines += [f"| `{p.name}` | {_cell(p.mechanism)} | {_cell(p.source)} | "
              f"{_cell(f'{p.switch} (`{_num(p.off)}`)') if p.switch else ''} |" for p in params]
    return lines


def _timeline_kind_notes() -> dict[str, tuple[str, str]]:
    """Phase and effect of each kind, read from exitsim/timeline.py's table (its one source)."""
    notes: dict[str, list] = {}
    current = None
    for line in (timeline_module.__doc__ or "").splitlines():
        match = re.match(r"^``(\w+)``\s+(\d+)\s+(.*)$", line)
        if match:
            current = match.group(1)
            notes[current] = [match.group(2), match.group(3).strip()]
        elif current and re.match(r"^\s{20,}\S", line):
            notes[current][1] += " " + line.strip()
        elif line.startswith("="):
            current = None
    return {kind: (phase, text.replace("``", "`")) for kind, (phase, text) in notes.items()}


_TIMELINE_VALUES = {
    "government": "`nativist` or `internationalist`",
    "nativism_shock": "the change, −1 … 1",
    "withhold_dues": "the share withheld, 0 … 1",
    "power_shock": f"the factor, > 0 and at most {MAX_POWER_SHOCK:g}",
}


def _example(text: str) -> list[str]:
    return ["```yaml", *text.strip("\n").splitlines(), "```"]


def scenarios_markdown() -> str:
    """``docs/scenarios.md``: every key of a scenario file, made from the code."""
    schema = json_schema()
    definitions = schema["definitions"]
    out = ["# Scenario files", "",
           "<!-- Generated by `python run.py docs` from exitsim/scenario.py, exitsim/generate.py, "
           "exitsim/parameters.py, exitsim/clauses.py, exitsim/timeline.py and exitsim/data/withdrawal_clauses.csv "
           "(through exitsim/reference.py); do not edit by hand. -->", ""]
    out += [
        "A scenario is a YAML file that says which world to simulate and how: its states and "
        "organizations (listed, generated, or both), the model's parameters, and scheduled events. "
        "The shipped scenarios are in `scenarios/`: `default.yaml` (a generated classroom world), "
        "`world.yaml` (a world of today's size), `classroom.yaml` (twelve real states and eight real "
        "organizations) and `bipolar.yaml` (two blocs).", "",
        "* Run one: `python run.py run scenarios/classroom.yaml`.",
        "* Start your own: `python run.py new NAME` writes `scenarios/NAME.yaml`, a commented copy of "
        "the default scenario (it never overwrites a file).",
        "* Change a value without editing the file: `--set PATH=VALUE`, e.g. "
        "`python run.py run scenarios/classroom.yaml --set states.USA.nativism=0.8` (states and "
        "organizations by code; the value is read as YAML).",
        "* Every key below is optional unless marked **required**; anything left out has the default shown.",
        "* A misspelt key, a value out of range or a code that names nothing is reported with the "
        "line to fix, and nothing is run.",
        "* Types are strict and numbers finite: a whole number is not `true`, `10.0` or `'10'`, and `.inf` or "
        "`.nan` is refused wherever a number goes.",
        f"* A file holds plain data and is bounded: at most {MAX_FILE_BYTES:,} bytes and {MAX_VALUES:,} values "
        f"(numbers, texts, lists, mappings; today's world written out in full has about 24,000), nested at most "
        f"{MAX_DEPTH} levels deep; anchors and aliases (`&name`, `*name`, `<<: *name`) may repeat at most "
        f"{MAX_ALIAS_NODES:,} values in all; the only tags are {', '.join(f'`{t}`' for t in PLAIN_TAGS.values())} "
        "(`!!python/…` and every other tag is refused). The limits are `MAX_FILE_BYTES`, `MAX_VALUES`, "
        "`MAX_DEPTH`, `MAX_ALIAS_NODES` and `PLAIN_TAGS` in `exitsim/loading.py`.", "",
        "**Editor support.** Every shipped scenario starts with", "",
        "```yaml", SCHEMA_COMMENT, "```", "",
        "so editors that use yaml-language-server (VS Code with Red Hat's YAML extension, Neovim, "
        "Emacs …) complete keys, show these descriptions and mark mistakes as you type, from "
        "`scenarios/scenario.schema.json` (also generated). Keep the line in your own files; if your "
        "file is in another folder, give the path to the schema instead.", "",
        "## Contents", "",
        "1. [Top-level keys](#top-level-keys)",
        "2. [`parameters:`](#parameters)",
        "3. [`generate:`](#generate)",
        "4. [`states:`](#states)",
        "5. [`organizations:`](#organizations), with [`clause:`](#clause) and [`reservations:`](#reservations)",
        "6. [`timeline:`](#timeline)",
        "7. [Checks across keys](#checks-across-keys)",
        "8. [Real organizations' rules](#real-organizations-rules)", "",
    ]
    # --- top level ---------------------------------------------------------------------------
    out += ["## Top-level keys", "",
            "The scenario's metadata, its seeds and scale, and the sections below.", ""]
    out += _field_table(Scenario, definitions, schema["properties"],
                        extra={"extends": ("text (a file path)", "—", EXTENDS_DESCRIPTION)})
    out += ["", *_example("""
name: my_world
description: >-
  What the scenario is about, in a sentence or two.
start_year: 2025
steps: 50
world_seed: 1
seed: 42
organization_weight: 8
"""), ""]
    # --- parameters --------------------------------------------------------------------------
    out += ["## `parameters:`", "",
            "Model parameters, one sub-section per group (MODEL.md §7's grouping); a parameter not "
            "given keeps its default. Names, types, ranges, defaults and units come from the parameter "
            "registry, `exitsim/parameters.py`, which the dashboard and sweeps also use. The same names "
            "work in `ExitModel(parameters={...})`.", "",
            *_example("""
parameters:
  institutions:
    budget_rate: 2.5e-5
  decisions:
    exit_decisions: false     # switch off states' own exits: only the timeline acts
"""), ""]
    for group, title in GROUPS.items():
        if group == "scale":
            out += [f"### Scale: `organization_weight` (top level) — {title}", "",
                    "Written at the top level of the file, not under `parameters:`.", ""]
        else:
            out += [f"### `parameters.{group}` — {title}", ""]
        out += [*_parameter_tables(group), ""]
    # --- generate ----------------------------------------------------------------------------
    out += ["## `generate:`", "",
            "Generate states and organizations from distributions fitted to the real system "
            "(`docs/world_facts.md`; how, in `docs/ODD.md` §3.1). The world depends only on these keys "
            "and `world_seed`. Explicit `states:` and `organizations:` are added to the generated ones "
            "(generated states are coded `S1`, `S2` …, organizations `O1` …, zero-padded to the count's "
            "width — `S01` … `S60` for 60 states — so explicit entries can refer to them). Organizations copy the rules of a randomly drawn real one "
            "([below](#real-organizations-rules)).", ""]
    out += _field_table(GenerateSpec, definitions)
    out += ["", *_example("""
generate:
  states: 60
  organizations: 40
  hegemon_rising_ratio: 2.5
  dimensions: 1
"""), ""]
    # --- states ------------------------------------------------------------------------------
    out += ["## `states:`", "", "A list of states, each a mapping:", ""]
    out += _field_table(StateSpec, definitions)
    out += ["", *_example("""
states:
  - code: USA
    name: United States
    power: 24.6            # only ratios matter: here, % of world output
    growth: 0.022
    ideal_point: 1.0       # or [1.0, 0.5] in two dimensions
    democracy: 0.9
    role: hegemon
    alliances: [JPN]
  - code: JPN
    name: Japan
    power: 6.5
    role: ally
    alliances: [USA]       # alliances are listed on both sides
"""), ""]
    # --- organizations -----------------------------------------------------------------------
    out += ["## `organizations:`", "", "A list of organizations, each a mapping:", ""]
    out += _field_table(OrganizationSpec, definitions)
    out += ["", "A member is a state code, or a mapping when it joined after the organization was founded "
                "(its `joined` date counts for minimum tenures, to the month: `2001`, or `2016-11` for November "
                "2016; a year alone means January). `founded` takes a month the same way.", ""]
    out += _field_table(MemberSpec, definitions)
    out += ["", *_example("""
organizations:
  - code: WTO
    name: World Trade Organization
    template: WTO              # informational: the real organization copied
    issue_area: trade
    founded: 1995-01
    voting: one_state_one_vote
    institutionalization: 3
    clause: {kind: explicit, effective: "months_after:6"}
    members: [USA, JPN, {state: CHN, joined: 2001-12}]
"""), ""]
    out += ["### `clause:`", "",
            "An organization's withdrawal clause, coded from its treaty (`exitsim/data/README.md`); the law "
            "of MODEL.md §4.7 applies it when a member gives notice.", ""]
    out += _field_table(ClauseSpec, definitions)
    out += ["", "Kinds of clause (`kind:`):", "", "| kind | what leaving means |", "|---|---|"]
    out += [f"| `{k}` | {_cell(CLAUSE_KIND_NOTES.get(k, 'see exitsim/data/README.md'))} |" for k in CLAUSE_KINDS]
    out += ["", "The effective rule (`effective:`) is a name and its whole-number arguments separated by "
                "colons, with no spaces; months run from 1 to 12, and a notice takes effect within a century "
                f"(at most {EFFECTIVE_RULE_LIMITS['months_after']} months or "
                f"{EFFECTIVE_RULE_LIMITS['end_of_year_after']} years):", "",
            "| rule | written | when the exit takes effect |", "|---|---|---|"]
    for rule, n in EFFECTIVE_RULES.items():
        written, meaning = EFFECTIVE_RULE_NOTES.get(rule, (rule + ":N" * n, "see exitsim/data/README.md"))
        out.append(f"| `{rule}` | `{written}` | {_cell(meaning)} |")
    out += ["", "The minimum tenure counts from (`tenure_basis:`):", "", "| basis | counts |", "|---|---|"]
    out += [f"| `{b}` | {_cell(TENURE_BASIS_NOTES.get(b, ''))} |" for b in TENURE_BASES]
    out += ["", "### `reservations:`", "",
            "Members' own withdrawal terms, replacing the organization's clause for that member only. "
            "Each entry:", ""]
    out += _field_table(ReservationSpec, definitions)
    out += ["", "The United States' 1948 reservation to the WHO Constitution (one year's notice, the "
                "current year's dues paid in full):", "",
            *_example("""
organizations:
  - code: WHO
    clause: {kind: implied, effective: "months_after:12", obligations_survive: true}
    members: [USA, CHN, JPN]
    reservations:
      - state: USA
        clause: {kind: explicit, effective: "months_after:12", arrears_block_effect: true,
                 obligations_survive: true}
"""), ""]
    # --- timeline ----------------------------------------------------------------------------
    out += ["## `timeline:`", "",
            "Scheduled events: real history or a classroom experiment. Each entry:", ""]
    out += _field_table(TimelineEventSpec, definitions)
    kinds = _timeline_kind_notes()
    out += ["", "Kinds of event, the phase of the year (MODEL.md §3) in which each acts, and what it does:", "",
            "| kind | phase | needs `organization` | `value` | effect |", "|---|---|---|---|---|"]
    for kind in TIMELINE_KINDS:
        phase, effect = kinds.get(kind, ("", "see exitsim/timeline.py"))
        out.append(f"| `{kind}` | {phase} | {'yes' if kind in NEEDS_ORGANIZATION else 'no'} | "
                   f"{_TIMELINE_VALUES.get(kind, '—')} | {_cell(effect)} |")
    out += ["", "A scheduled `notice` or `threat` replaces the state's own choice that year; a notice is "
                "then treated like any other (its clause, or the state's reservation, decides whether it is "
                "lawful and when it takes effect; a revocable notice can still be rescinded).", "",
            *_example("""
timeline:
  - {year: 2017, kind: government, state: USA, value: nativist}
  - {year: 2019, month: 11, kind: notice, state: USA, organization: Paris}
"""), ""]
    # --- checks ------------------------------------------------------------------------------
    out += ["## Checks across keys", "", "Besides each key's own type and range, the loader checks:", ""]
    out += [f"* {c}" for c in CROSS_CHECKS]
    out += [""]
    # --- templates ---------------------------------------------------------------------------
    out += ["## Real organizations' rules", "",
            "The organizations of `exitsim/data/withdrawal_clauses.csv` (sources and notes in the file). "
            "Generated organizations copy one of these rows; in a scenario of real organizations, copy the "
            "row into the organization's keys (a blank `effective` rule is read as `months_after:12` for "
            "`implied`, `none` and `consent` clauses, else `immediate`).", "",
            "| template | organization | issue_area | founded | voting | institutionalization | cap | "
            "clause kind | effective | min_tenure_years (basis) | arrears_block_effect | obligations_survive "
            "| revocable |",
            "|---|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for t in load_templates():
        c = t.clause
        tenure = f"{c.min_tenure_years} ({c.tenure_basis})" if c.min_tenure_years else "0"
        out.append(f"| `{t.abbreviation}` | {_cell(t.organization)} | {t.issue_area} | {t.founded} | {t.voting} "
                   f"| {t.institutionalization} | {'' if t.cap is None else _num(t.cap)} | `{c.kind}` "
                   f"| `{c.effective}` | {tenure} | {_num(c.arrears_block_effect)} | {_num(c.obligations_survive)} "
                   f"| {_num(c.revocable)} |")
    out += [""]
    return "\n".join(out)


def write_scenarios_markdown(path: str | Path = DOCS_PATH) -> Path:
    """Write ``docs/scenarios.md`` to ``path``; return the path."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(scenarios_markdown(), encoding="utf-8")
    return path


def write_reference_files(root: str | Path = ".") -> list[Path]:
    """Write both generated files under the repository ``root`` (what ``python run.py docs`` does)."""
    root = Path(root)
    return [write_scenarios_markdown(root / DOCS_PATH), write_json_schema(root / SCHEMA_PATH)]


# --- a new scenario -----------------------------------------------------------------------------

def new_scenario_text(name: str) -> str:
    """A commented copy of the default scenario named ``name`` (for ``python run.py new NAME``).

    >>> "name: mine" in new_scenario_text("mine")
    True
    """
    if not name.strip() or any(ch in name for ch in "\n\r\t"):
        raise ValueError(f"a scenario name must be non-empty text on one line, got {name!r}")
    text = default_scenario_path().read_text(encoding="utf-8")
    plain = re.fullmatch(r"[A-Za-z_][A-Za-z0-9_.\-]*", name) and name.lower() not in {
        "true", "false", "yes", "no", "on", "off", "null", "y", "n"}  # else YAML reads a number, a bool …
    value = name if plain else json.dumps(name, ensure_ascii=False)
    text, replaced = re.subn(r"^name:.*$", lambda _: f"name: {value}", text, count=1, flags=re.MULTILINE)
    if not replaced:
        raise ValueError(f"{default_scenario_path()}: no top-level 'name:' line to set")
    lines = text.splitlines(keepends=True)
    header = (f"# Scenario {name}: made by `python run.py new {name}` from the default scenario below.\n"
              "# Change what you like; docs/scenarios.md explains every key.\n#\n")
    at = 1 if lines and lines[0].startswith(SCHEMA_COMMENT) else 0
    if at == 0:
        header = SCHEMA_COMMENT + "\n" + header
    return "".join(lines[:at]) + header + "".join(lines[at:])
