"""The run's time series, drawn with matplotlib: four panels an instructor talks through.

1. The great powers' shares of world power (the power transition);
2. memberships counted each year, and the share of them under notice;
3. notices, threats, withdrawals and the other exits (walk-outs, non-treaty) each year;
4. the order: each great power's share of institutional output led, and hierarchy (Σ L²).

The horizontal axis spans the whole run from the start, so the lines grow across a still frame.
The hegemon is red and the rising power blue in every panel; the legend is :func:`legend`.
"""

from __future__ import annotations

import io

import numpy as np
import PIL.Image
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from ..outcomes import Outcomes

#: Exits that are not treaty withdrawals (the withdrawals line leaves them out): a line of their sum.
OTHER_EXITS = "walkouts_contested+walkouts_violated+non_treaty_exits"

PANELS = {
    "Great powers' share of world power": (("hegemon_power_share", "hegemon", "#c0392b"),
                                           ("rising_power_share", "rising power", "#2471a3")),
    "Memberships": (("memberships_active", "active memberships", "#566573"),),
    "Exits and threats a year": (("notices", "notices", "#f39c12"), ("threats", "threats", "#8e44ad"),
                                 ("withdrawals", "withdrawals", "#e74c3c"),
                                 (OTHER_EXITS, "walk-outs and non-treaty exits", "#7b241c")),
    "The order: output led": (("hegemon_leadership_share", "hegemon", "#c0392b"),
                              ("rising_leadership_share", "rising power", "#2471a3"),
                              ("hierarchy", "hierarchy (Σ L²)", "#17202a")),
}


COUNTS = ("notices", "threats", "withdrawals", OTHER_EXITS)


def legend() -> list[tuple[str, str, str]]:
    """The panels' lines as (colour, label, style), once each: the page shows them above the
    figure (text drawn into a figure costs more to redraw than the lines themselves)."""
    entries = {}
    for lines in PANELS.values():
        for _, label, colour in lines:
            entries.setdefault((colour, label), "solid")
    entries[("#f39c12", "share under notice (right axis)")] = "dashed"
    return [(colour, label, style) for (colour, label), style in entries.items()]


def recorded(outcomes: Outcomes, name: str) -> np.ndarray:
    """The values of a model measure for the years recorded so far (the start included); a
    ``+``-joined name is the sum of its measures (:data:`OTHER_EXITS`)."""
    return sum(outcomes.model[part][: outcomes.recorded] for part in name.split("+"))


class SeriesFigure:
    """The four panels of :data:`PANELS`, drawn once and then updated in place each year.

    Redrawing the axes (their ticks and titles are text, and text is what costs) happens only
    when a panel's vertical range has to grow; the ranges grow in round steps and never shrink
    within a run, so most years only the lines are drawn again, over a saved picture of the
    axes (matplotlib's blitting).
    """

    def __init__(self, start_year: int, n_steps: int, *, width: float = 7.0, dpi: int = 100):
        self.figure = fig = Figure(figsize=(width, width * 0.62), dpi=dpi)
        self.canvas = FigureCanvasAgg(fig)
        k = 7.0 / width  # margins for text of a fixed size in points: wider on a narrower figure
        fig.subplots_adjust(left=0.07 * k, right=1 - 0.07 * k, bottom=0.09 * k, top=1 - 0.06 * k, wspace=0.28 * k,
                            hspace=0.25 * k)
        self.axes = axes = fig.subplots(2, 2, sharex=True)
        self.lines = {}
        for ax, (title, lines) in zip(axes.flat, PANELS.items(), strict=True):
            for name, label, colour in lines:
                self.lines[name], = ax.plot([], [], label=label, color=colour, marker="o", markersize=2,
                                            animated=True, drawstyle="steps-mid" if name in COUNTS else "default")
            ax.set_title(title, fontsize=9)
            ax.set_xlim(start_year, start_year + n_steps)
            ax.tick_params(labelsize=7)
            ax.locator_params(nbins=4)  # few ticks: each is drawn as its own lines and text
        self.twin = axes[0, 1].twinx()
        self.lines["under_notice_share"], = self.twin.plot([], [], color="#f39c12", linestyle="--", animated=True,
                                                           label="share under notice")
        self.twin.tick_params(labelsize=7, colors="#f39c12")
        for ax in axes[1]:
            ax.set_xlabel("year", fontsize=8)
        self._ranges: dict | None = None
        self._background = None

    def update(self, outcomes: Outcomes) -> Figure:
        """Put the years recorded so far into the lines and grow the ranges; return the figure."""
        years = recorded(outcomes, "year")
        for name, line in self.lines.items():
            line.set_data(years, recorded(outcomes, name))
        ranges = self._grown_ranges(outcomes)
        if ranges != self._ranges:
            for ax, (low, high) in ranges.items():
                ax.set_ylim(low, high)
            self._ranges = ranges
            self._background = None  # the axes without the lines are saved at the next png()
        return self.figure

    def png(self, outcomes: Outcomes, compress_level: int = 1) -> bytes:
        """The panels for the years recorded so far, as PNG bytes (the lines alone redrawn when
        the axes have not changed)."""
        self.update(outcomes)
        if self._background is None:
            for line in self.lines.values():
                line.set_animated(True)
            self.canvas.draw()
            self._background = self.canvas.copy_from_bbox(self.figure.bbox)
        else:
            self.canvas.restore_region(self._background)
        for line in self.lines.values():
            line.axes.draw_artist(line)
        out = io.BytesIO()
        PIL.Image.fromarray(np.asarray(self.canvas.buffer_rgba())).save(out, format="png",
                                                                        compress_level=compress_level)
        return out.getvalue()

    def _grown_ranges(self, outcomes: Outcomes) -> dict:
        """Each panel's vertical range: what it was, grown in round steps to hold the data."""
        old = self._ranges or {}
        axes = self.axes
        ranges = {}

        def top(name: str, step: float, least: float) -> float:
            values = recorded(outcomes, name)
            return max(least, step * np.ceil(np.nanmax(values, initial=0.0) * 1.1 / step))

        shares = max(top("hegemon_power_share", 0.1, 0.1), top("rising_power_share", 0.1, 0.1))
        ranges[axes[0, 0]] = (0.0, max(shares, old.get(axes[0, 0], (0, 0))[1]))
        members = recorded(outcomes, "memberships_active")
        most, least = float(np.nanmax(members, initial=1.0)), float(np.nanmin(members, initial=np.inf))
        least = min(least, most)
        step = 10.0 ** np.floor(np.log10(max(most, 1.0))) / 2
        low, high = step * np.floor(least * 0.9 / step), step * np.ceil(most * 1.1 / step)
        before = old.get(axes[0, 1], (low, high))
        ranges[axes[0, 1]] = (min(low, before[0]), max(high, before[1], low + step))
        exits = max(top(name, 2.0, 2.0) for name in COUNTS)
        ranges[axes[1, 0]] = (0.0, max(exits, old.get(axes[1, 0], (0, 0))[1]))
        ranges[axes[1, 1]] = (0.0, 1.0)
        ranges[self.twin] = (0.0, max(top("under_notice_share", 0.05, 0.05), old.get(self.twin, (0, 0))[1]))
        return ranges


def series_figure(outcomes: Outcomes, start_year: int, n_steps: int, *, width: float = 7.0,
                  dpi: int = 100) -> Figure:
    """The four panels of :data:`PANELS` for the years recorded so far, as a new figure."""
    panels = SeriesFigure(start_year, n_steps, width=width, dpi=dpi)
    panels.update(outcomes)
    for line in panels.lines.values():
        line.set_animated(False)  # drawn with the rest by savefig
    return panels.figure
