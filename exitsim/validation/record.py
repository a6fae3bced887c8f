"""world_2017 against the record: what the model's United States did, beside what it did.

``scenarios/world_2017.yaml`` schedules nothing but the United States' changes of government, so
every threat, notice and exit of its United States is the model's own. Over the replications of
``experiments/world_2017.yaml`` (events kept), each real organization gets the number of runs in
which the United States threatened it, gave it a lawful notice, saw a notice take effect, walked
out of it or left it as a non-treaty body, and had a notice rescinded; beside it, what the record
(``exitsim/data/us_record_2017_2026.csv``) says happened.
"""

from __future__ import annotations

from importlib import resources

import pandas as pd

STATE = "USA"
MEASURES = {
    "threatened": "threat",
    "gave notice": "notice",
    "notice took effect": "withdrawal",
    "walked out": "walkout",
    "rescinded": "rescission",
}
"""Column of the comparison → the event kind it counts (a non-treaty exit is a ``withdrawal`` event
whose legality is ``non_treaty``: counted as ``left (non-treaty)``)."""


OTHERS = "others (founded in the run)"
"""The row of the organizations not named (those founded during a run)."""


def load_record() -> pd.DataFrame:
    """The United States' record of 2017–2026 (``exitsim/data/us_record_2017_2026.csv``)."""
    with resources.files("exitsim.data").joinpath("us_record_2017_2026.csv").open(encoding="utf-8") as file:
        return pd.read_csv(file)


def runs_with(events: pd.DataFrame, organizations: list[str], runs: int) -> pd.DataFrame:
    """Per organization, in how many runs the United States did each thing.

    Args:
        events: The sweep's events (``load_events``), with ``run_id``.
        organizations: The organizations to list, in order.
        runs: How many runs the events come from.

    Returns:
        One row per organization, one column per measure (:data:`MEASURES` and ``left
        (non-treaty)``), each the number of runs with at least one such event; a last row,
        :data:`OTHERS`, for all other organizations together (those founded during the runs).
    """
    own = events[events["state"] == STATE]
    own = own.assign(organization=own["organization"].where(own["organization"].isin(organizations), OTHERS))
    organizations = [*organizations, OTHERS]
    non_treaty = (own["kind"] == "withdrawal") & (own["substantive"] == "non_treaty")
    table = pd.DataFrame(index=pd.Index(organizations, name="organization"))
    for column, kind in MEASURES.items():
        chosen = own[(own["kind"] == kind) & ~non_treaty]
        table[column] = chosen.groupby("organization")["run_id"].nunique().reindex(organizations, fill_value=0)
    table["left (non-treaty)"] = own[non_treaty].groupby("organization")["run_id"].nunique().reindex(
        organizations, fill_value=0)
    table.attrs["runs"] = runs
    return table.astype(int)


def record_summary(record: pd.DataFrame, organization: str) -> str:
    """What the United States did toward one organization in 2017–2026, in a few words."""
    acts = record[record["organization"] == organization].sort_values(["year", "month"])
    words = {"threat": "threat", "notice": "notice", "non_treaty_exit": "left", "rescission": "rescinded",
             "effective": "took effect", "rejoin": "rejoined"}
    return "; ".join(f"{words[a.kind]} {a.year}-{a.month:02d}" for a in acts.itertuples()) or "nothing"


def markdown(table: pd.DataFrame, record: pd.DataFrame, per_run: pd.DataFrame, version: str, steps: int,
             seconds: float, cpu: float) -> str:
    """The record's section of ``docs/validation.md``."""
    runs = table.attrs["runs"]
    columns = list(table.columns)
    lines = [f"Model version: {version}", "",
             f"`world_2017.yaml` over {runs} replications of its dynamics, {steps} years (2017–2026). Each cell: in "
             f"how many of the {runs} runs the United States did it at least once.", "",
             "| organization | " + " | ".join(columns) + " | what happened, 2017–2026 |",
             "|---|" + "---|" * (len(columns) + 1)]
    for organization, row in table.iterrows():
        happened = "—" if organization == OTHERS else record_summary(record, organization)
        lines.append(f"| {organization} | " + " | ".join(str(row[c]) for c in columns) + f" | {happened} |")
    real = record["kind"].value_counts()
    lines += ["", "The United States' acts per run against the record:", "",
              "| | model: mean per run (range) | record 2017–2026 |", "|---|---|---|"]
    for label, column, kinds in [("threats", "threats", ["threat"]), ("lawful notices", "notices", ["notice"]),
                                 ("exits from non-treaty bodies", "non_treaty", ["non_treaty_exit"])]:
        values = per_run[column]
        lines.append(f"| {label} | {values.mean():.2f} ({values.min()}–{values.max()}) | "
                     f"{int(sum(real.get(k, 0) for k in kinds))} |")
    lines += ["", f"Cost: {cpu:.0f} s of processor time for the runs, {seconds:.0f} s of wall time for the whole "
              "command (on the 2-core machine shared with other work; noisy)."]
    return "\n".join(lines)


def acts_per_run(events: pd.DataFrame, run_ids: list[str]) -> pd.DataFrame:
    """Per run: the United States' threats, lawful notices and non-treaty exits."""
    own = events[events["state"] == STATE]
    counts = pd.DataFrame(index=pd.Index(run_ids, name="run_id"))
    counts["threats"] = own[own["kind"] == "threat"].groupby("run_id").size()
    counts["notices"] = own[own["kind"] == "notice"].groupby("run_id").size()
    counts["non_treaty"] = own[(own["kind"] == "withdrawal") & (own["substantive"] == "non_treaty")].groupby(
        "run_id").size()
    return counts.fillna(0).astype(int)
