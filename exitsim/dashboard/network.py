"""The bipartite state–organization network, drawn with matplotlib.

States are circles sized by power and coloured by role or by government; organizations are
squares coloured by status; each membership is a line coloured by its status. Positions are
laid out once per run (:func:`layout`) so the picture stays still while the run moves, and
organizations founded later are placed among their members (:func:`extend_layout`). A world
too large to read is filtered: only the largest organizations, those of this year's events and
those of the selected state are drawn (with their memberships), and the title says so.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import networkx as nx
import numpy as np
from matplotlib.collections import LineCollection
from matplotlib.figure import Figure

from ..world import ALLY, DEAD, HEGEMON, INACTIVE, MEMBER, NOTICE, ORGANIZATION_STATUS, RISING, WITHDRAWN, ZOMBIE, World

ROLE_COLOURS = {HEGEMON: "#c0392b", RISING: "#2471a3", ALLY: "#e59866", 0: "#95a5a6"}
ROLE_NAMES = {HEGEMON: "hegemon", RISING: "rising power", ALLY: "hegemon's ally", 0: "other state"}
GOVERNMENT_COLOURS = {False: "#27ae60", True: "#8e44ad"}  # internationalist, nativist
ORGANIZATION_COLOURS = {0: "#5dade2", ZOMBIE: "#b9770e", DEAD: "#2c3e50"}
EDGE_STYLES = {  # membership status -> (colour, width, alpha)
    MEMBER: ("#b3b6b7", 0.8, 0.7),
    NOTICE: ("#f39c12", 2.5, 1.0),
    INACTIVE: ("#e74c3c", 1.5, 0.9),
    WITHDRAWN: ("#e74c3c", 0.6, 0.25),
}
EDGE_NAMES = {MEMBER: "member", NOTICE: "under notice", INACTIVE: "inactive (walked out)", WITHDRAWN: "withdrawn"}
#: Above this many organizations the network shows a selection of them.
MAX_ORGANIZATIONS = 60
#: Above this many nodes the layout is a circle rather than a force-directed one.
SPRING_NODES = 300
#: Above this many states only the most powerful are labelled.
LABELLED_STATES = 30


@dataclass
class Layout:
    """Positions of states (n × 2) and organizations (m × 2) in [−1, 1]²."""

    states: np.ndarray
    organizations: np.ndarray


def layout(world: World, seed: int = 0) -> Layout:
    """Positions for a world: force-directed for a classroom world, a circle for a large one.

    In the force-directed layout members sit near their organizations; in the circle, states
    are placed around it by ideal point and each organization inside, at its members' centre.
    Both are deterministic for a given world and ``seed``.
    """
    n, m = world.n_states, world.n_orgs
    if n + m <= SPRING_NODES:
        graph = world.membership_graph(active_only=True)
        start = {i: (np.cos(a), np.sin(a)) for i, a in enumerate(np.linspace(0, 2 * np.pi, n + m, endpoint=False))}
        pos = nx.spring_layout(graph, pos=start, seed=seed, iterations=80)
        xy = np.array([pos[i] for i in range(n + m)], dtype=float).reshape(n + m, 2)
        xy /= max(np.abs(xy).max(), 1e-9)
        return Layout(xy[:n], xy[n:])
    order = np.argsort(world.ideal_point[:, 0], kind="stable")
    angle = np.empty(n)
    angle[order] = np.linspace(0, 2 * np.pi, n, endpoint=False)
    states = np.column_stack([np.cos(angle), np.sin(angle)])
    return Layout(states, _centres(world, states, 0, seed))


def extend_layout(placed: Layout, world: World, seed: int = 0) -> Layout:
    """The layout with organizations founded since it was made placed at their members' centre."""
    known = len(placed.organizations)
    if known >= world.n_orgs:
        return placed
    return Layout(placed.states, np.vstack([placed.organizations, _centres(world, placed.states, known, seed)]))


def _centres(world: World, states: np.ndarray, first: int, seed: int) -> np.ndarray:
    """Organizations ``first …`` at 0.7 × their members' mean position, a little jittered."""
    ms = world.memberships
    rows = np.flatnonzero(ms.org >= first)
    count = world.n_orgs - first
    org = ms.org[rows] - first
    members = np.maximum(np.bincount(org, minlength=count), 1)
    centre = np.column_stack([np.bincount(org, states[ms.state[rows], d], count) / members for d in (0, 1)])
    jitter = np.random.default_rng([seed, first]).normal(0.0, 0.04, (count, 2))
    return 0.7 * centre + jitter


def shown_organizations(world: World, focus: int | None = None, highlight: Iterable[int] = (),
                        limit: int = MAX_ORGANIZATIONS) -> np.ndarray:
    """The organizations drawn: all of a small world; else the ``limit`` largest living ones,
    those in ``highlight`` (this year's events) and those of the ``focus`` state."""
    if world.n_orgs <= limit:
        return np.arange(world.n_orgs)
    counts = np.bincount(world.memberships.org[world.active_rows()], minlength=world.n_orgs)
    counts = np.where(world.org_status == DEAD, -1, counts)
    largest = np.argsort(-counts, kind="stable")[:limit]
    extra = [np.asarray(list(highlight), dtype=np.intp)]
    if focus is not None:
        ms = world.memberships
        extra.append(ms.org[ms.state == focus])
    return np.unique(np.concatenate([largest, *extra]))


class NetworkFigure:
    """A network figure drawn again in place each year: the axes are made once, the states,
    organizations and memberships are replaced at every :meth:`draw` (the legend is the page's:
    :func:`legend`)."""

    def __init__(self, *, width: float = 7.0, dpi: int = 100):
        self.figure = fig = Figure(figsize=(width, width * 0.78), dpi=dpi)
        fig.subplots_adjust(left=0.01, right=0.99, bottom=0.01, top=0.92)
        self.ax = ax = fig.add_subplot()
        ax.set_axis_off()
        ax.set_aspect("equal")
        ax.set_xlim(-1.15, 1.15)
        ax.set_ylim(-1.15, 1.15)
        self._drawn: list = []

    def draw(self, world: World, placed: Layout, *, colour_by: str = "role", focus: int | None = None,
             highlight_rows: Iterable[int] = (), title: str = "") -> Figure:
        """Draw ``world`` at the positions ``placed``; return the figure.

        Args:
            colour_by: ``"role"`` (hegemon, rising power, allies, others) or ``"government"``.
            focus: A state index to emphasize (its memberships are always drawn).
            highlight_rows: Membership rows to draw thick (this year's notices, exits, threats).
            title: The figure's title (the filter note is added to it).
        """
        for artist in self._drawn:
            artist.remove()
        ax = self.ax
        before = set(ax.get_children())
        placed = extend_layout(placed, world)
        ms = world.memberships
        highlight_rows = np.asarray(list(highlight_rows), dtype=np.intp)
        orgs = shown_organizations(world, focus, ms.org[highlight_rows])
        drawn = np.isin(ms.org, orgs)
        segments = np.stack([placed.states[ms.state], placed.organizations[ms.org]], axis=1)
        for status, (colour, width_, alpha) in EDGE_STYLES.items():
            rows = np.flatnonzero(drawn & (ms.status == status))
            if len(rows):
                ax.add_collection(LineCollection(segments[rows], colors=colour, linewidths=width_, alpha=alpha,
                                                 zorder=1), autolim=False)
        if len(highlight_rows):
            ax.add_collection(LineCollection(segments[highlight_rows], colors="#d35400", linewidths=4.0, zorder=2),
                              autolim=False)
        share = world.power / world.power.sum()
        if colour_by == "government":
            colours = [GOVERNMENT_COLOURS[bool(g)] for g in world.nativist_government]
        else:
            colours = [ROLE_COLOURS[int(r)] for r in world.role]
        edge = ["#000000" if i == focus else "white" for i in range(world.n_states)]
        ax.scatter(*placed.states.T, s=30 + 1500 * np.sqrt(share), c=colours, edgecolors=edge, linewidths=1.5,
                   zorder=3)
        ax.scatter(*placed.organizations[orgs].T, s=90, marker="s", zorder=3, edgecolors="white",
                   c=[ORGANIZATION_COLOURS[int(s)] for s in world.org_status[orgs]])
        labelled = np.arange(world.n_states) if world.n_states <= LABELLED_STATES else np.argsort(-world.power)[:12]
        for i in labelled:
            ax.annotate(world.state_code[i], placed.states[i], fontsize=8, ha="center", va="center", zorder=4,
                        fontweight="bold" if i == focus else "normal")
        if len(orgs) <= LABELLED_STATES:
            for k in orgs:
                ax.annotate(world.org_code[k], placed.organizations[k], xytext=(0, -11), textcoords="offset points",
                            fontsize=7, ha="center", color="#1b4f72", zorder=4)
        self._drawn = [a for a in ax.get_children() if a not in before]
        note = "" if len(orgs) == world.n_orgs else (
            f"\n{len(orgs)} of {world.n_orgs} organizations shown: the largest, this year's events'"
            + (" and the selected state's" if focus is not None else ""))
        ax.set_title(title + note, fontsize=10)
        return self.figure


def network_figure(world: World, placed: Layout, *, colour_by: str = "role", focus: int | None = None,
                   highlight_rows: Iterable[int] = (), title: str = "", width: float = 7.0,
                   dpi: int = 100) -> Figure:
    """The network of ``world`` as a new figure (see :meth:`NetworkFigure.draw`)."""
    return NetworkFigure(width=width, dpi=dpi).draw(world, placed, colour_by=colour_by, focus=focus,
                                                    highlight_rows=highlight_rows, title=title)


def legend(colour_by: str) -> list[tuple[str, str, str]]:
    """The network's legend as (colour, label, shape) with shape ``dot``, ``square`` or ``line``:
    shown by the page beside the picture rather than drawn into it at every redraw."""
    if colour_by == "government":
        entries = [(GOVERNMENT_COLOURS[False], "internationalist government", "dot"),
                   (GOVERNMENT_COLOURS[True], "nativist government", "dot")]
    else:
        entries = [(ROLE_COLOURS[r], ROLE_NAMES[r], "dot") for r in (HEGEMON, RISING, ALLY, 0)]
    entries += [(ORGANIZATION_COLOURS[s], f"organization {ORGANIZATION_STATUS[s]}", "square") for s in (0, ZOMBIE, DEAD)]
    entries += [(colour, EDGE_NAMES[status], "line") for status, (colour, _, _) in EDGE_STYLES.items()]
    entries.append(("#d35400", "this year's exits and threats", "line"))
    return entries
