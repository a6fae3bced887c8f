"""A strategy sweep's stored results and the tables made from them (:class:`Comparison`).

A store whose grid varies the great powers' strategies (``hegemon_strategy``,
``rising_strategy``) with common random numbers is a strategy comparison
(:func:`is_strategy_comparison`). :class:`Comparison` reads its runs once and makes every table
the report shows (:mod:`.statistics`), and writes them as CSV files: long and tidy, the same
store giving the same bytes.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import pandas as pd

from ..analysis import load_events, load_results
from ..sweep.store import Store, StoreError
from ..transition import RATIO_PARTS
from .outcomes import ORDER_OUTCOMES
from .statistics import (
    BASELINE,
    BASELINE_PAIR,
    HEGEMON_FACTOR,
    RISING_FACTOR,
    STRATEGY_FACTORS,
    actions,
    activation,
    pair_means,
    paired,
    paired_by_level,
    paired_within_response,
    with_pairs,
)

#: Outcomes the figures and the sensitivity panels show (those a store keeps).
HEADLINE = ("hegemon_rising_ratio", "hegemon_leadership_share", "rising_leadership_share", "hierarchy",
            "public_goods", "organizations_alive", "withdrawals_total", "ratio_from_institutions")
#: Yearly outcomes drawn as trajectories (those a store keeps).
TRAJECTORIES = ("hegemon_rising_ratio", "hegemon_leadership_share", "rising_leadership_share", "public_goods",
                "organizations_alive", "strategic_actions")
#: Per-flow columns of the ratio's change the model may record each year (summed over a run).
FLOW_PREFIX = "ratio_change_"


def is_strategy_comparison(manifest: dict[str, Any]) -> bool:
    """A grid with common random numbers that varies at least one great power's strategy."""
    design = manifest.get("design", {})
    return (design.get("kind") == "grid" and manifest.get("seeds", {}).get("common_random_numbers", False)
            and any(column in STRATEGY_FACTORS for column in design.get("columns", [])))


@dataclass
class Comparison:
    """A strategy sweep's stored runs and the tables made from them.

    Attributes:
        store: The results store.
        manifest: Its manifest.
    """

    store: Store
    manifest: dict[str, Any] = field(init=False)

    def __post_init__(self) -> None:
        if not self.store.is_store():
            raise StoreError(f"{self.store.path} holds no sweep results (no manifest.json); run python run.py sweep "
                             "first")
        self.manifest = self.store.manifest()
        if not is_strategy_comparison(self.manifest):
            raise StoreError(f"{self.store.path} is not a strategy comparison: its design does not vary "
                             "hegemon_strategy or rising_strategy on a grid with common random numbers")

    # --- what the store holds -------------------------------------------------------------------
    @property
    def name(self) -> str:
        return self.manifest["experiment"]["name"]

    @property
    def years(self) -> int:
        return int(self.manifest["steps"])

    @cached_property
    def fixed(self) -> dict[str, str]:
        """The strategies that are not factors, as the base scenario sets them."""
        strategies = (self.manifest["scenario"]["resolved"].get("parameters") or {}).get("strategies") or {}
        return {factor: strategies.get(factor, BASELINE[factor]) for factor in STRATEGY_FACTORS}

    @cached_property
    def others(self) -> list[str]:
        """The other factors (ν, ω, b, world_seed, …): pairs are matched on them too."""
        return [c for c in self.manifest["design"]["columns"] if c not in STRATEGY_FACTORS]

    @cached_property
    def cluster(self) -> str | None:
        """What groups runs that are not independent, for the intervals: ``world_seed`` when the
        store varies the generated world (runs on one world share it); else ``replication`` when
        other factors vary (ν, ω, b: replication r's seed recurs at every setting); else none."""
        if "world_seed" in self.others:
            return "world_seed"
        return "replication" if self.others else None

    @cached_property
    def horizon(self) -> pd.DataFrame:
        return with_pairs(load_results(self.store.path, "horizon"), self.fixed)

    @cached_property
    def yearly(self) -> pd.DataFrame:
        return with_pairs(load_results(self.store.path, "yearly"), self.fixed)

    @cached_property
    def events(self) -> pd.DataFrame | None:
        if not self.manifest["keep"].get("events"):
            return None
        return with_pairs(load_events(self.store.path), self.fixed)

    @cached_property
    def outcomes(self) -> list[str]:
        """The order outcomes the store keeps at the horizon, in the tables' order."""
        return [o.column for o in ORDER_OUTCOMES if o.column in self.horizon and o.column not in RATIO_PARTS]

    @cached_property
    def parts(self) -> list[str]:
        return [name for name in RATIO_PARTS if name in self.horizon]

    @cached_property
    def flows(self) -> list[str]:
        """Per-flow parts of the ratio's change the store keeps every year (``ratio_change_<flow>``)."""
        return [c for c in self.yearly.columns if c.startswith(FLOW_PREFIX)]

    @property
    def baseline_present(self) -> bool:
        return bool((self.horizon["pair"] == BASELINE_PAIR).any())

    # --- the tables -----------------------------------------------------------------------------
    @cached_property
    def means(self) -> pd.DataFrame:
        return pair_means(self.horizon, self.outcomes + self.parts, self.cluster)

    @cached_property
    def differences(self) -> pd.DataFrame:
        return paired(self.horizon, self.outcomes + self.parts, self.others, cluster=self.cluster)

    @cached_property
    def choice(self) -> pd.DataFrame:
        return paired_within_response(self.horizon, self.outcomes + self.parts, self.others, self.cluster)

    @cached_property
    def sensitivity(self) -> pd.DataFrame:
        """The headline differences against status quo/passive at each level of each other factor."""
        headline = [name for name in HEADLINE if name in self.horizon]
        parts = []
        for factor in self.others:
            table = paired_by_level(self.horizon, factor, headline, [o for o in self.others if o != factor],
                                    cluster=self.cluster)
            parts.append(table.rename(columns={factor: "level"}).assign(factor=factor))
        if not parts:
            return pd.DataFrame()
        table = pd.concat(parts, ignore_index=True)
        return table[["factor", "level", *[c for c in table.columns if c not in ("factor", "level")]]]

    @cached_property
    def settings(self) -> pd.DataFrame:
        """The ratio's paired differences at every combination of the other factors (``others``
        beyond one: ν × ω × b)."""
        if len(self.others) < 2 or "hegemon_rising_ratio" not in self.horizon:
            return pd.DataFrame()
        parts = []
        for values, group in self.horizon.groupby(self.others, sort=True):
            table = paired(group, ["hegemon_rising_ratio"], [])
            for column, value in zip(self.others, values, strict=True):
                table[column] = value
            parts.append(table)
        return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()

    @cached_property
    def activation(self) -> pd.DataFrame:
        if "strategy_activation_year" not in self.horizon:
            return pd.DataFrame()
        return activation(self.horizon)

    @cached_property
    def actions(self) -> pd.DataFrame:
        runs = self.horizon.groupby("pair").size()
        return actions(self.events, runs)

    @cached_property
    def flow_totals(self) -> pd.DataFrame:
        """Each run's per-flow parts of the ratio's change, summed over its years."""
        if not self.flows:
            return pd.DataFrame()
        keys = ["run_id", "pair", HEGEMON_FACTOR, RISING_FACTOR, "replication", *self.others]
        return self.yearly.groupby(keys, sort=False)[self.flows].sum().reset_index()

    @cached_property
    def sweep_time(self) -> dict[str, float]:
        """Wall time of the sweep's sessions and processor time of its runs, from the status log."""
        wall = cpu = 0.0
        runs = 0
        for record in self.store.status():
            if record.get("kind") == "end":
                wall += float(record.get("seconds") or 0.0)
            elif record.get("kind") == "run" and record.get("status") == "done":
                cpu += float(record.get("cpu_seconds") or 0.0)
                runs += 1
        return {"wall": wall, "cpu": cpu, "runs": runs}

    # --- writing ------------------------------------------------------------------------------------
    def write_tables(self, folder: Path) -> list[Path]:
        """Every number of the report as CSV files (long, tidy; the same store gives the same bytes)."""
        folder.mkdir(parents=True, exist_ok=True)
        tables = {"means": self.means, "differences": self.differences, "choice": self.choice,
                  "sensitivity": self.sensitivity, "settings": self.settings, "activation": self.activation,
                  "actions": self.actions}
        if self.flows:
            tables["flows_means"] = pair_means(self.flow_totals, self.flows, self.cluster)
            tables["flows_differences"] = paired(self.flow_totals, self.flows, self.others, cluster=self.cluster)
        written = []
        for name, table in tables.items():
            if table is None or not len(table):
                continue
            path = folder / f"{name}.csv"
            write_text(path, table.to_csv(index=False, float_format="%.10g", lineterminator="\n"))
            written.append(path)
        return written


def write_text(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.partial")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)
