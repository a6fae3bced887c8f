"""Field by field: every value of a scenario, turned into an infinite, NaN or huge number or into
a value of another type, is refused with a problem located at its line (exit 2 from the command
line), and a value that is accepted — the extremes of every range included — runs with finite
outputs. The ground is a scenario that writes every key of the schema, and the shipped ones."""

import math
from pathlib import Path

import annotated_types
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel
from scenario_full import FULL, containers, dotted, dump, leaves, load, replaced
from scenario_texts import write

from exitsim import ExitModel
from exitsim.cli import main
from exitsim.loading import _metadata, _options, field_at
from exitsim.scenario import Scenario, ScenarioError, parse_scenario

ROOT = Path(__file__).resolve().parent.parent
SOURCES = {"full.yaml": FULL, **{name: (ROOT / "scenarios" / name).read_text(encoding="utf-8")
                                 for name in ("classroom.yaml", "bipolar.yaml", "default.yaml")}}
DATA = {name: load(text) for name, text in SOURCES.items()}
FULL_DATA = DATA["full.yaml"]


def _is_number(value) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


NUMBERS = [path for path, value in leaves(FULL_DATA) if _is_number(value)]
NON_FINITE_OR_HUGE = [math.inf, -math.inf, math.nan, 1e308, -1e308, 10**30, -(10**30)]


def problems_of(text: str, name: str = "full.yaml", overrides=None):
    with pytest.raises(ScenarioError) as caught:
        parse_scenario(text, name, overrides)
    return caught.value.problems


def shown(value) -> str:
    """A value as the YAML text of a replaced document writes it."""
    return dump({"x": value}).removeprefix("x:").strip()


# --- the full scenario is full ----------------------------------------------------------------------

def _models(annotation) -> list[type[BaseModel]]:
    return [t for t, _ in _options(annotation) if isinstance(t, type) and issubclass(t, BaseModel)]


def test_the_full_scenario_is_valid_and_writes_every_key_of_the_schema():
    assert parse_scenario(FULL, "full.yaml").name == "full"
    written: set[tuple[str, str]] = set()
    for path, _ in leaves(FULL_DATA) + containers(FULL_DATA):
        if isinstance(path[-1], str):
            parent = Scenario if len(path) == 1 else field_at(Scenario, path[:-1])[0]
            written |= {(model.__name__, path[-1]) for model in _models(parent) if path[-1] in model.model_fields}
    every: set[tuple[str, str]] = set()
    todo, seen = [Scenario], set()
    while todo:
        model = todo.pop()
        if model in seen:
            continue
        seen.add(model)
        for key, info in model.model_fields.items():
            every.add((model.__name__, key))
            todo += _models(info.annotation) + [m for t, _ in _options(info.annotation)
                                                for arg in getattr(t, "__args__", ()) for m in _models(arg)]
    assert every - written == set()
    assert len(every) > 120


# --- every number, every type ---------------------------------------------------------------------------

@pytest.mark.parametrize("junk", NON_FINITE_OR_HUGE, ids=shown)
def test_every_number_refuses_a_non_finite_or_huge_value_at_its_line(junk):
    problems = problems_of(replaced(FULL_DATA, dict.fromkeys(NUMBERS, junk)))
    assert sorted(p.path for p in problems) == sorted(dotted(path) for path in NUMBERS)
    assert all(p.file == "full.yaml" and p.line and shown(junk) in p.source for p in problems)


TYPE_JUNK = [  # (the value, the kinds of value it replaces: number, text, bool)
    ("text", ("number", "bool")), (True, ("number", "text")), ([], ("number", "text", "bool")),
    ({}, ("number", "text", "bool")), (5, ("text", "bool")),
]


def _kind(value) -> str:
    return "bool" if isinstance(value, bool) else "number" if _is_number(value) else "text"


@pytest.mark.parametrize(("junk", "kinds"), TYPE_JUNK, ids=[shown(j) for j, _ in TYPE_JUNK])
def test_every_value_refuses_a_value_of_another_type_at_its_line(junk, kinds):
    # a timeline value is a number or a text (a government) by its kind: the event's own check,
    # made once its other fields are right, which the fuzz below exercises
    targets = [path for path, value in leaves(FULL_DATA) if _kind(value) in kinds
               and not (junk == "text" and path[0] == "timeline" and path[-1] == "value")]
    problems = problems_of(replaced(FULL_DATA, dict.fromkeys(targets, junk)))
    at = {dotted(path) for path in targets}
    assert all(p.file == "full.yaml" and p.line and shown(junk) in p.source for p in problems)
    assert all(p.path in at or p.path.rsplit(".", 1)[0] in at for p in problems)  # a {} entry misses its keys
    assert at == {p.path if p.path in at else p.path.rsplit(".", 1)[0] for p in problems}


def test_every_number_refuses_inf_from_the_command_line(tmp_path, capsys):
    path = write(tmp_path, FULL, "full.yaml")
    overrides = [f"{dotted(p)}=.inf" for p in NUMBERS]
    out = tmp_path / "out"
    assert main(["run", str(path), "--quiet", "--out", str(out), *(a for o in overrides for a in ("--set", o))]) == 2
    err = capsys.readouterr().err
    assert all(f"--set {o}: inf is not a finite number" in err or f"--set {o}: expected a whole number, got inf" in err
               for o in overrides)
    assert "Traceback" not in err and not out.exists()


# --- one change anywhere, of any kind ---------------------------------------------------------------------

JUNK = [*NON_FINITE_OR_HUGE, True, False, "text", "", [], {}, [1, 2], {"a": 1}, None, 2.5, -1, 0, 10**6]
ALWAYS_NAN_WHEN_ABSENT = ("hegemon", "rising", "budget_share")  # measures of a pole there may be none of


def _bounds(path: tuple) -> list[float]:
    """The ends of a number's range (the extremes a valid file can reach)."""
    annotation, info = field_at(Scenario, path)
    if annotation is None:
        return []
    found = []
    for item in _metadata(annotation, info):
        if isinstance(item, annotated_types.Ge | annotated_types.Le):
            found.append(item.ge if isinstance(item, annotated_types.Ge) else item.le)
    return found


@st.composite
def one_change(draw):
    name = draw(st.sampled_from(sorted(SOURCES)))
    data = DATA[name]
    path, old = draw(st.sampled_from(leaves(data) + containers(data)))
    candidates = JUNK + (_bounds(tuple(path)) if _is_number(old) else [])
    return name, tuple(path), draw(st.sampled_from(candidates))


@settings(suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(one_change())
def test_one_change_anywhere_is_refused_at_its_line_or_runs_with_finite_outputs(case):
    name, path, value = case
    text = replaced(DATA[name], {path: value})
    try:
        scenario = parse_scenario(text, name)
    except ScenarioError as error:
        assert error.problems and all(p.file == name and p.line for p in error.problems), error.messages
        return
    model = ExitModel(scenario, steps=2).run()  # validate agrees with run: nothing more is refused here
    frame = model.datacollector.get_model_vars_dataframe().select_dtypes("number")
    assert not frame.isin([math.inf, -math.inf]).any().any()
    nan = [c for c in frame.columns if frame[c].isna().any() and not c.startswith(ALWAYS_NAN_WHEN_ABSENT)]
    assert not nan, f"{dotted(path)} = {value!r} gives NaN in {nan}"
    states = model.datacollector.get_agent_vars_dataframe().select_dtypes("number")
    assert states.notna().all().all() and not states.isin([math.inf, -math.inf]).any().any()
