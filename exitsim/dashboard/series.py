"""The run's time series, drawn with matplotlib: four panels an instructor talks through.

1. The great powers' shares of world power (the power transition);
2. memberships counted each year, and the share of them under notice;
3. notices, threats and withdrawals each year;
4. the order: each great power's share of institutional output led, and hierarchy (Σ L²).

The horizontal axis spans the whole run from the start, so the lines grow across a still frame.
The hegemon is red and the rising power blue in every panel; the legend is :func:`legend`.
"""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

from ..outcomes import Outcomes

PANELS = {
    "Great powers' share of world power": (("hegemon_power_share", "hegemon", "#c0392b"),
                                           ("rising_power_share", "rising power", "#2471a3")),
    "Memberships": (("memberships_active", "active memberships", "#566573"),),
    "Exits and threats a year": (("notices", "notices", "#f39c12"), ("threats", "threats", "#8e44ad"),
                                 ("withdrawals", "withdrawals", "#e74c3c")),
    "The order: output led": (("hegemon_leadership_share", "hegemon", "#c0392b"),
                              ("rising_leadership_share", "rising power", "#2471a3"),
                              ("hierarchy", "hierarchy (Σ L²)", "#17202a")),
}


COUNTS = ("notices", "threats", "withdrawals")


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
    """The values of a model measure for the years recorded so far (the start included)."""
    return outcomes.model[name][: outcomes.recorded]


class SeriesFigure:
    """The four panels of :data:`PANELS`, drawn once and then updated in place each year
    (making a figure's axes anew costs more than a step of a classroom world)."""

    def __init__(self, start_year: int, n_steps: int, *, width: float = 7.0, dpi: int = 100):
        self.figure = fig = Figure(figsize=(width, width * 0.62), dpi=dpi)
        fig.subplots_adjust(left=0.07, right=0.93, bottom=0.09, top=0.94, wspace=0.28, hspace=0.25)
        self.axes = axes = fig.subplots(2, 2, sharex=True)
        self.lines = {}
        for ax, (title, lines) in zip(axes.flat, PANELS.items(), strict=True):
            for name, label, colour in lines:
                self.lines[name], = ax.plot([], [], label=label, color=colour, marker="o", markersize=2,
                                            drawstyle="steps-mid" if name in COUNTS else "default")
            ax.set_title(title, fontsize=9)
            ax.set_xlim(start_year, start_year + n_steps)
            ax.tick_params(labelsize=7)
            ax.locator_params(nbins=4)  # few ticks: each is drawn as its own lines and text
        axes[1, 1].set_ylim(0, 1)
        self.twin = axes[0, 1].twinx()
        self.lines["under_notice_share"], = self.twin.plot([], [], color="#f39c12", linestyle="--",
                                                           label="share under notice")
        self.twin.tick_params(labelsize=7, colors="#f39c12")
        for ax in axes[1]:
            ax.set_xlabel("year", fontsize=8)

    def update(self, outcomes: Outcomes) -> Figure:
        """Show the years recorded so far; return the figure."""
        years = recorded(outcomes, "year")
        for name, line in self.lines.items():
            line.set_data(years, recorded(outcomes, name))
        for ax in (self.axes[0, 0], self.axes[0, 1], self.axes[1, 0]):
            ax.relim()
            ax.autoscale_view(scalex=False)
        low, high = self.axes[0, 0].get_ylim()
        self.axes[0, 0].set_ylim(0, max(high, 0.05))
        notices = self.axes[1, 0]
        notices.set_ylim(0, max(notices.get_ylim()[1], 1))
        under_notice = recorded(outcomes, "under_notice_share")
        self.twin.set_ylim(0, max(0.05, float(np.nanmax(under_notice, initial=0.0)) * 1.2))
        return self.figure


def series_figure(outcomes: Outcomes, start_year: int, n_steps: int, *, width: float = 7.0,
                  dpi: int = 100) -> Figure:
    """The four panels of :data:`PANELS` for the years recorded so far, as a new figure."""
    return SeriesFigure(start_year, n_steps, width=width, dpi=dpi).update(outcomes)
