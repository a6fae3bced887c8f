"""The dashboard page: controls, interventions, views, editor and About panel, one run per tab.

Served by ``python run.py dashboard`` (:mod:`exitsim.dashboard.server`), which tells this
module the scenarios folder and the first scenario through the environment
(``EXITSIM_DASHBOARD_FOLDER``, ``EXITSIM_DASHBOARD_SCENARIO``). Solara renders :func:`Page`
once per browser tab, and :func:`Dashboard` makes that tab's :class:`~.session.Session` there,
so no two tabs share a model.
"""

from __future__ import annotations

import html
import math
import os
import time
from pathlib import Path

import solara
import solara.lab

from ..loading import ScenarioError
from ..parameters import Parameter, ParameterError
from ..strict import MAX_SEED
from ..timeline import TimelineError
from .about import ABOUT
from .feed import EXIT_KINDS, feed
from .inspector import memberships_of
from .network import NetworkFigure, layout
from .network import legend as network_legend
from .scenario_files import list_scenarios, scenario_folder
from .series import SeriesFigure
from .series import legend as series_legend
from .server import FOLDER_VARIABLE, SCENARIO_VARIABLE
from .session import INTERVENTIONS, Session, control_groups, problems_of

#: Years per second that Play runs at: the slider's range and start.
SPEEDS = (0.5, 5.0, 2.0)
#: The Inspector's place among the tabs.
INSPECTOR_TAB = 1
#: The shortest pause (seconds) between two years while playing.
MIN_PAUSE = 0.2
#: The figures' width (inches) and resolution: in projector mode a narrower figure at a higher
#: resolution, so its text stands out larger in the same room on the page.
FIGURES, PROJECTOR_FIGURES = (7.0, 90), (4.8, 190)
#: PNG written fast rather than small: the page is served on this machine.
FAST_PNG = {"compress_level": 1}

CSS = """
.exitsim-year { font-size: 2rem; font-weight: 600; }
.exitsim-projector { font-size: 140%; }
.exitsim-projector .exitsim-year { font-size: 3.2rem; }
.exitsim-projector .v-btn { font-size: 1.1rem !important; }
.exitsim-projector .v-label, .exitsim-projector .v-select__selection, .exitsim-projector textarea { font-size: 1.2rem !important; }
.exitsim-feed { max-height: 28rem; overflow-y: auto; padding-left: 1.2em; }
.exitsim-feed li { margin: 0.15em 0; }
.exitsim-feed .contagion { background: #fdebd0; font-weight: 600; }
.exitsim-feed .exit { color: #922b21; }
.exitsim-feed .instructor { color: #1a5276; font-style: italic; }
.exitsim-problems { font-family: monospace; white-space: pre-wrap; }
.exitsim-legend { font-size: 0.8rem; line-height: 1.6; }
.exitsim-legend-item { margin-right: 0.9em; white-space: nowrap; }
.exitsim-editor textarea { font-family: monospace !important; font-size: 0.85rem; line-height: 1.3; }
.exitsim-controls { flex-wrap: wrap; row-gap: 6px; }
.exitsim-controls .v-btn { min-width: 0 !important; }
.exitsim-projector .v-input__slider { min-width: 9rem; }
"""


@solara.component
def Page():
    """The page Solara serves: the dashboard over the configured scenarios folder."""
    folder = Path(os.environ[FOLDER_VARIABLE]) if os.environ.get(FOLDER_VARIABLE) else scenario_folder()
    return Dashboard(folder, os.environ.get(SCENARIO_VARIABLE) or None)


@solara.component
def Dashboard(folder: Path, scenario: str | None = None):
    """The whole dashboard for one browser tab, over the scenario files of ``folder``."""
    session: Session = solara.use_memo(lambda: Session(folder, scenario), [])
    version = solara.use_reactive(session.version)
    playing = solara.use_reactive(False)
    speed = solara.use_reactive(SPEEDS[2])
    projector = solara.use_reactive(False)
    colour_by = solara.use_reactive("role")
    focus = solara.use_reactive(_first_state(session))
    message = solara.use_reactive("")
    tab = solara.use_reactive(0)

    def changed() -> None:
        version.value = session.version

    def play_loop() -> None:
        while playing.value:
            started = time.perf_counter()
            if not session.step():
                playing.value = False
                message.value = f"The run ended in {session.model.year}."
                break
            changed()
            # at least a short pause between years, so clicks (Pause among them) get through
            time.sleep(max(MIN_PAUSE, 1.0 / speed.value - (time.perf_counter() - started)))

    solara.lab.use_task(play_loop, dependencies=[playing.value], prefer_threaded=True)

    def reset() -> None:
        playing.value = False
        session.reset()
        focus.value = _first_state(session)
        message.value = ""
        changed()

    solara.Title("exitsim dashboard")
    solara.Style(CSS)
    classes = ["exitsim-page"] + (["exitsim-projector"] if projector.value else [])
    with solara.Column(classes=classes, style={"padding": "0.5rem 1rem"}):
        with solara.Row(style={"align-items": "baseline"}):
            model = session.model
            solara.Text(f"Year {model.year}", classes=["exitsim-year"])
            solara.Text(f"{session.scenario.name}: step {model.steps} of {model.n_steps} "
                        f"({session.scenario.start_year}–{session.scenario.start_year + model.n_steps})")
        with solara.Column(gap="0px"):  # always there, so the widgets below keep their identity
            if message.value:
                solara.Info(message.value, dense=True)
        with solara.Columns([1, 3]):
            with solara.Column():
                RunControls(session, playing, speed, reset, changed, message, session.name, session.finished)
                ViewControls(projector, colour_by)
                InterventionPanel(session, focus, changed, message, version.value)
                ParameterPanel(session, changed, id(session.model))
            with solara.Column():
                with solara.lab.Tabs(value=tab):
                    with solara.lab.Tab("Run"):
                        RunViews(session, version.value, colour_by.value, focus.value, projector.value)
                    with solara.lab.Tab("Inspector"):
                        if tab.value == INSPECTOR_TAB:  # computed only while it is shown
                            Inspector(session, focus, version.value)
                    with solara.lab.Tab("Scenario editor"):
                        Editor(session, reset_done=lambda: (focus.set(_first_state(session)), changed()),
                               playing=playing).key(f"editor-{session.name}")  # afresh for each scenario
                    with solara.lab.Tab("About"):
                        solara.Markdown(ABOUT)


def _first_state(session: Session) -> str:
    """The state the inspector and the interventions start on: the hegemon, else the largest."""
    world = session.model.world
    hegemon = world.role_index(1)
    return world.state_code[hegemon if hegemon >= 0 else int(world.power.argmax())]


@solara.component
def RunControls(session: Session, playing, speed, reset, changed, message, name: str, finished: bool):
    """Scenario picker, seed, Play / Pause / Step / Reset and speed (redrawn only when the
    scenario changes or the run ends, so they stay still while the run plays)."""
    def open_scenario(name: str) -> None:
        playing.value = False
        try:
            session.open(name)
        except ScenarioError as error:
            message.value = "Cannot open it: " + "; ".join(problems_of(error))
            return
        reset()

    def step() -> None:
        message.value = "" if session.step() else f"The run ended in {session.model.year}; press Reset to start again."
        changed()

    def play() -> None:
        message.value = ""
        playing.value = True

    def set_seed(text: str) -> None:
        text = (text or "").strip()
        try:
            session.set_seed(int(text) if text else None)
        except ValueError:
            message.value = f"The seed must be a whole number from 0 to {MAX_SEED}, not {text!r}."
            return
        message.value = "The new seed applies when you press Reset."

    solara.Select("Scenario", values=list_scenarios(session.folder), value=session.name, on_value=open_scenario)
    seed = session.seed if session.seed is not None else session.scenario.seed
    solara.InputText("Seed (applies on Reset)", value=str(seed), on_value=set_seed, continuous_update=True).key(
        f"seed-{session.name}")  # afresh for each scenario
    with solara.Row(classes=["exitsim-controls"]):  # the buttons wrap rather than spill out of a narrow column
        if playing.value:
            solara.Button("Pause", icon_name="mdi-pause", on_click=lambda: playing.set(False), color="warning")
        else:
            solara.Button("Play", icon_name="mdi-play", on_click=play, color="primary",
                          disabled=session.finished)
        solara.Button("Step", icon_name="mdi-step-forward", on_click=step, disabled=playing.value or session.finished)
        solara.Button("Reset", icon_name="mdi-restore", on_click=reset)
    solara.SliderFloat("Speed (years a second)", value=speed, min=SPEEDS[0], max=SPEEDS[1], step=0.5)


@solara.component
def ViewControls(projector, colour_by):
    """Projector mode and what colours the states."""
    with solara.Row():
        solara.Switch(label="Projector mode (large type)", value=projector)
    solara.ToggleButtonsSingle(value=colour_by, values=["role", "government"])


@solara.component
def ParameterControl(session: Session, parameter: Parameter, changed, value):
    """One registry parameter: a slider over its range, or a number box where the default is
    a tiny part of the range; its description and range as a tooltip."""
    error = solara.use_reactive("")

    def set_value(new) -> None:
        if new == getattr(session.model.params, parameter.name):  # a redraw, not a change: no note, no effect
            return
        try:
            session.set_parameter(parameter.name, new)
            error.value = ""
        except ParameterError as problem:
            error.value = str(problem)
        changed()

    label = parameter.name + (f" ({parameter.symbol})" if parameter.symbol else "")
    with solara.Tooltip(_tooltip(parameter)):
        with solara.Column(gap="0px"):
            _parameter_input(parameter, label, value, set_value)
            if error.value:
                solara.Text(error.value, style={"color": "#c0392b"})


def _tooltip(parameter: Parameter) -> str:
    """A parameter's description, its range (or choices), unit and default, from the registry."""
    if parameter.kind == "choice":
        allowed = "One of " + ", ".join(parameter.choices)
    elif parameter.kind == "bool":
        allowed = "On or off"
    else:
        allowed = f"Range {parameter.low:g}–{parameter.high:g} ({parameter.unit})"
    return f"{parameter.description} {allowed}; default {parameter.default}."


def _parameter_input(parameter: Parameter, label: str, value, set_value) -> None:
    """The input that fits the parameter: a choice, a switch, a slider over its range, or a
    number box where the default is a tiny part of the range (a slider could not reach it)."""
    low, high = parameter.low, parameter.high
    if parameter.kind == "choice":
        solara.Select(label, values=list(parameter.choices), value=value, on_value=set_value)
    elif parameter.kind == "bool":
        solara.Checkbox(label=label, value=bool(value), on_value=set_value)
    elif parameter.kind == "int":
        solara.SliderInt(label, value=int(value), min=int(low), max=int(high), on_value=set_value,
                         thumb_label="always")  # the value in force, always in sight
    elif parameter.default and (high - low) > 200 * abs(parameter.default):
        solara.InputFloat(label, value=float(value), on_value=set_value)
    else:
        solara.SliderFloat(label, value=float(value), min=low, max=high, step=slider_step(parameter),
                           on_value=set_value, thumb_label="always")


def slider_step(parameter: Parameter) -> float:
    """A float slider's step: about a hundredth of the range, made finer (by tens) until the
    default lies on a step — else the slider would round it (1.5 to 2) and change the model by
    being shown. Example: strategy_trigger over 0–100 with default 1.5 → 0.1."""
    low, high, default = float(parameter.low), float(parameter.high), float(parameter.default)
    step = 10.0 ** math.floor(math.log10((high - low) / 100))
    while step > 1e-6 and abs(round((default - low) / step) * step - (default - low)) > 1e-9 * max(1.0, abs(default)):
        step /= 10
    return step


@solara.component
def ParameterPanel(session: Session, changed, model_id: int):
    """The instructor's parameters, grouped, each acting from the next year on (redrawn when
    the model is made anew, not every year)."""
    params = session.model.params
    for title, parameters in control_groups().items():
        with solara.Details(title, expand=title == "Contagion"):
            for parameter in parameters:
                ParameterControl(session, parameter, changed, getattr(params, parameter.name))


@solara.component
def InterventionPanel(session: Session, focus, changed, message, version: int):
    """"This state gives notice to that organization" and the other interventions."""
    action = solara.use_reactive("notice")
    organization = solara.use_reactive("")
    world = session.model.world
    labels = {key: f"… {i.label}" for key, i in INTERVENTIONS.items()}
    targets = session.targets(action.value, focus.value) if focus.value in world.state_code else []
    if organization.value not in targets:
        organization.value = targets[0] if targets else ""

    def apply() -> None:
        try:
            event = session.intervene(action.value, focus.value, organization.value)
        except TimelineError as error:
            message.value = f"Cannot do that: {error}"
            return
        message.value = f"{event.year}: {focus.value} {INTERVENTIONS[action.value].label} {organization.value}".strip()
        changed()

    with solara.Card("Intervene", margin=0, style={"margin-top": "0.5rem"}):
        solara.Select("State", values=sorted(world.state_code), value=focus)
        solara.Select("does what", values=list(labels.values()), value=labels[action.value],
                      on_value=lambda label: action.set(next(k for k, v in labels.items() if v == label)))
        with solara.Column(gap="0px"):
            if INTERVENTIONS[action.value].needs_organization:
                solara.Select("Organization", values=targets, value=organization)
        solara.Button("Apply now", icon_name="mdi-flash", on_click=apply, color="error",
                      disabled=session.finished or (INTERVENTIONS[action.value].needs_organization
                                                    and not organization.value))


@solara.component
def RunViews(session: Session, version: int, colour_by: str, focus: str, projector: bool):
    """The network, this year's exits, the time series and the event feed."""
    exits_only = solara.use_reactive(False)
    width, dpi = PROJECTOR_FIGURES if projector else FIGURES
    model = session.model
    placed = solara.use_memo(lambda: layout(model.world), [id(model)])
    figures = solara.use_memo(lambda: (NetworkFigure(width=width, dpi=dpi),
                                       SeriesFigure(model.config.start_year, model.n_steps, width=width, dpi=dpi)),
                              [id(model), dpi])

    def draw():
        with session.lock:
            world = model.world
            rows = [model.world.row_of(e.state, e.organization) for e in model.events
                    if e.year == model.year and e.kind in EXIT_KINDS and e.organization]
            index = world.state_index(focus) if focus in world.state_code else None
            network = figures[0].draw(world, placed, colour_by=colour_by, focus=index,
                                      highlight_rows=[r for r in rows if r >= 0],
                                      title=f"{session.scenario.name}, {model.year}")
            series = figures[1].png(model.outcomes, **FAST_PNG)
            items = feed(model.events, limit=150, exits_only=exits_only.value, notes=session.notes)
            this_year = [i.text for i in feed(model.events, limit=0, exits_only=True) if i.date.endswith(str(model.year))]
        return network, series, items, this_year

    network, series, items, this_year = solara.use_memo(draw, [version, colour_by, focus, id(model), figures,
                                                               exits_only.value])
    with solara.Columns([3, 2]):
        with solara.Column():
            solara.FigureMatplotlib(network, format="png", dependencies=[version, colour_by, focus, projector],
                                    pil_kwargs=FAST_PNG)
            Legend(network_legend(colour_by))
            solara.Text("This year: " + ("; ".join(this_year) if this_year else "no exits or threats"),
                        classes=["exitsim-this-year"])
        with solara.Column():
            solara.Markdown("**Events, newest first**")
            solara.Switch(label="exits and threats only", value=exits_only)
            lines = []
            for item in items:
                css = "contagion" if item.contagion else "exit" if item.kind in EXIT_KINDS else item.kind
                mark = " ← contagion" if item.contagion else ""
                lines.append(f'<li class="{css}"><b>{html.escape(item.date)}</b> {html.escape(item.text)}{mark}</li>')
            solara.HTML(tag="ul", unsafe_innerHTML="".join(lines) or "<li>Nothing yet: press Step or Play.</li>",
                        classes=["exitsim-feed"])
    Legend(series_legend())
    solara.Image(series)
    Downloads(session, version)


_MARKS = {
    "dot": "width:0.8em;height:0.8em;border-radius:50%;background:{c}",
    "square": "width:0.8em;height:0.8em;background:{c}",
    "line": "width:1.5em;border-top:3px solid {c};vertical-align:middle",
    "solid": "width:1.5em;border-top:3px solid {c};vertical-align:middle",
    "dashed": "width:1.5em;border-top:3px dashed {c};vertical-align:middle",
}


@solara.component
def Legend(entries: list[tuple[str, str, str]]):
    """A figure's legend as a line of the page: (colour, label, mark) entries."""
    items = "".join(f'<span class="exitsim-legend-item"><span style="display:inline-block;'
                    f'{_MARKS[mark].format(c=colour)}"></span> {html.escape(label)}</span>'
                    for colour, label, mark in entries)
    solara.HTML(tag="div", unsafe_innerHTML=items, classes=["exitsim-legend"])


@solara.component
def Downloads(session: Session, version: int):
    """The current run's tables as CSV files, and the scenario's YAML as it stands."""
    model = session.model
    stem = f"{session.scenario.name}-{model.year}"

    def csv(frame_of):
        return lambda: frame_of().to_csv(index=False).encode("utf-8")

    with solara.Row(style={"flex-wrap": "wrap"}):
        solara.FileDownload(csv(lambda: model.datacollector.get_model_vars_dataframe()), f"{stem}-timeseries.csv",
                            label="timeseries.csv")
        solara.FileDownload(csv(model.events.to_frame), f"{stem}-events.csv", label="events.csv")
        solara.FileDownload(csv(lambda: model.datacollector.get_agent_vars_dataframe()), f"{stem}-states.csv",
                            label="states.csv")
        solara.FileDownload(csv(model.cascades), f"{stem}-cascades.csv", label="cascades.csv")
        solara.FileDownload(session.text.encode("utf-8"), session.name, label=f"scenario ({session.name})",
                            mime_type="text/yaml")


@solara.component
def Inspector(session: Session, focus, version: int):
    """One state's memberships: yearly value, exit cost and status."""
    world = session.model.world
    solara.Select("State to inspect", values=sorted(world.state_code), value=focus)
    if focus.value not in world.state_code:
        return
    with session.lock:
        i = world.state_index(focus.value)
        table = memberships_of(session.model, focus.value)
        name = world.state_name[i] + (f" ({focus.value})" if world.state_name[i] != focus.value else "")
        facts = (f"**{name}**: power share {world.power[i] / world.power.sum():.1%}, "
                 f"{'nativist' if world.nativist_government[i] else 'internationalist'} government, "
                 f"nativism {world.nativism[i]:.2f}, democracy {world.democracy[i]:.2f}, "
                 f"reputation {world.reputation[i]:.2f}.")
    solara.Markdown(facts)
    solara.Markdown("ũ: what membership is worth this year, in years of the state's own dues (below 0: it would "
                    "rather leave). S̃: what leaving now would cost, in years of dues. Dues paid: power units a "
                    "year. — : not a paying member this year.")
    solara.DataFrame(table.astype(object).where(table.notna(), "—"), items_per_page=25)


@solara.component
def Editor(session: Session, reset_done, playing):
    """The scenario's YAML, editable; Apply validates it and restarts the run on it, or lists
    every problem with its line while the current run goes on."""
    text = solara.use_reactive(session.text)
    problems = solara.use_reactive([])
    applied = solara.use_reactive("")

    def apply() -> None:
        try:
            session.apply_text(text.value)
        except ScenarioError as error:
            problems.value = problems_of(error)
            applied.value = ""
            return
        problems.value = []
        playing.value = False
        applied.value = f"Applied: {session.scenario.name} restarted at {session.scenario.start_year}."
        reset_done()

    solara.Markdown(f"Editing **{session.name}**. `extends:` may name another file of the scenarios folder. "
                    "Apply checks the text as `python run.py validate` does; nothing is saved on the server.")
    with solara.Column(classes=["exitsim-editor"]):
        solara.InputTextArea("Scenario YAML", value=text, rows=24, continuous_update=True)
    with solara.Row():
        solara.Button("Apply", icon_name="mdi-check", on_click=apply, color="primary")
        solara.Button("Revert", icon_name="mdi-undo", on_click=lambda: (text.set(session.text), problems.set([])))
        solara.FileDownload(lambda: text.value.encode("utf-8"), session.name, label="Download this YAML",
                            mime_type="text/yaml")
    if problems.value:
        count = len(problems.value)
        solara.Error(f"{count} problem{'s' if count != 1 else ''} to fix; the current run goes on:")
        solara.Text("\n".join(problems.value), classes=["exitsim-problems"])
    elif applied.value:
        solara.Success(applied.value)
