"""``python run.py compare``: the quick strategy comparison.

The hegemon's four strategies against the scenario's rising power (passive in the shipped
scenarios), a few replications with common random numbers, run as a sweep (the same runner,
seeds and measures as ``experiments/exit_vs_balancing.yaml``: with the same root seed, its
replication r is that experiment's replication r) in the output folder's staging area. It prints
the comparison table — status quo's means and each strategy's paired difference — and the
reading's answers, and writes into the output folder, whole or not at all
(:class:`~exitsim.output_folder.OutputFolder`):

* ``compare.md``: the reading, the table and the figure;
* ``figure.png``: the paired differences (95% intervals) and the trajectories;
* ``means.csv``, ``differences.csv``: every number;
* ``run.json``: the settings, seeds, versions and git commit (last: its presence marks a
  finished comparison).
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Any

from ..codes import HEGEMON_STRATEGIES

COMPARE_FILES = ("compare.md", "figure.png", "means.csv", "differences.csv", "run.json")
#: The defaults: a few replications, and the root seed of experiments/exit_vs_balancing.yaml.
REPLICATIONS, ROOT = 10, 14
#: What each run keeps (the report's outcomes and trajectories).
AT_HORIZON = ("hegemon_rising_ratio", "transition_year", "hegemon_leadership_share", "rising_leadership_share",
              "hierarchy", "polycentricity", "layering", "public_goods", "budget_share_hegemon", "budget_share_rising",
              "organizations_alive", "withdrawals_total", "cascades", "strategy_activation_year", "ratio_log_change",
              "ratio_from_growth", "ratio_from_noise", "ratio_from_institutions")
EVERY_YEAR = ("hegemon_rising_ratio", "hegemon_leadership_share", "rising_leadership_share", "public_goods",
              "organizations_alive", "strategic_actions")


class ComparisonFailed(Exception):
    """Runs of the comparison raised: nothing is written (their errors and tracebacks attached)."""

    def __init__(self, failed: list[dict]):
        self.failed = failed
        first = failed[0]
        super().__init__(f"{len(failed)} run{'s' if len(failed) != 1 else ''} of the comparison failed; the first "
                         f"(replication {first.get('replication')}): {first.get('error')}")


def experiment_text(scenario_file: str, replications: int, root: int, steps: int | None) -> str:
    """The comparison as an experiment file (JSON, which YAML reads)."""
    spec: dict[str, Any] = {
        "name": "compare",
        "description": "The hegemon's strategies against the scenario's rising power, paired (python run.py compare).",
        "scenario": scenario_file,
        "factors": {"parameters.strategies.hegemon_strategy": list(HEGEMON_STRATEGIES)},
        "seeds": {"root": root, "replications": replications, "common": True},
        "keep": {"every_year": list(EVERY_YEAR), "at_horizon": list(AT_HORIZON), "events": False},
    }
    if steps is not None:
        spec["steps"] = steps
    return json.dumps(spec, indent=1)


def compare(scenario=None, overrides: list[str] | None = None, *, replications: int = REPLICATIONS,
            root: int = ROOT, steps: int | None = None, workers: int | None = None, out: str | Path | None = None,
            progress: bool = False, command: list[str] | None = None) -> tuple[Path, list[str], float]:
    """Run the quick comparison and write its files; return the folder, the lines to print and
    the wall time.

    Raises:
        ScenarioError: the scenario or an override has problems (every one, located).
        OutputFolderError: the output folder cannot take the files.
    """
    from ..loading import Problem, ScenarioError
    from ..output_folder import OutputFolder
    from ..scenario import load_scenario, missing_great_powers
    from ..sweep.runner import sweep
    from ..sweep.store import Store
    from .figures import comparison_figure
    from .report import main_table
    from .results import Comparison, write_text

    loaded = load_scenario(scenario, overrides=overrides)
    missing = missing_great_powers(loaded)
    if missing:  # the hegemon's strategies would never act: every difference would be nothing, or NaN
        raise ScenarioError(problems=[Problem(str(scenario or "the default scenario"), None, None, "", (
            f"compare weighs the hegemon's strategies against a rising power, but this world has no "
            f"{' and no '.join(missing)}: give states role: hegemon and role: rising"))])
    out = Path(out) if out is not None else Path("results") / "compare"
    started = time.perf_counter()
    with OutputFolder(out, COMPARE_FILES) as folder:
        work = folder.staging / "sweep"
        work.mkdir()
        (work / "scenario.yaml").write_text(json.dumps(loaded.model_dump(mode="json")), encoding="utf-8")
        (work / "compare.yaml").write_text(experiment_text("scenario.yaml", replications, root, steps),
                                           encoding="utf-8")
        summary = sweep(work / "compare.yaml", out=work / "store", workers=workers, progress=progress,
                        command=command)
        if summary.failed:
            raise ComparisonFailed(summary.failed)
        comparison = Comparison(Store(work / "store"))
        rising = comparison.fixed["rising_strategy"]
        table = main_table(comparison, rising)
        answers = _answers(comparison)
        title = (f"{loaded.name}: the hegemon's strategies against a {rising.replace('_', ' ')} rising power, "
                 f"{comparison.years} years, {replications} replications with common random numbers (root {root})")
        comparison_figure(comparison, folder.staging / "figure.png", title)
        for name in ("means", "differences"):
            write_text(folder.staging / f"{name}.csv", getattr(comparison, name).to_csv(
                index=False, float_format="%.10g", lineterminator="\n"))
        lines = [f"# {title}", "", *table, *answers]
        write_text(folder.staging / "compare.md", "\n".join([*lines, "![paired differences](figure.png)", ""]))
        elapsed = time.perf_counter() - started
        _record(folder.staging, comparison, loaded, command, replications, root, elapsed)
        folder.commit()
    return out, lines, elapsed


def _answers(comparison) -> list[str]:
    """The reading's answers, then how large the strategies' effects are beside growth."""
    from .reading import QUESTIONS, answer, scale

    choice = comparison.choice
    answers = [text + "\n" for column, what in QUESTIONS if (text := answer(choice, column, what))]
    if text := scale(comparison.means, comparison.differences, comparison.years):
        answers.append(text + "\n")
    return answers


def _record(staging: Path, comparison, scenario, command, replications: int, root: int, elapsed: float) -> None:
    from ..outputs import versions
    from .results import write_text

    code = comparison.manifest["code"]
    record = {"finished": True, "finished_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
              "command": command or sys.argv, "scenario": scenario.model_dump(mode="json"),
              "steps": comparison.years, "strategies": list(HEGEMON_STRATEGIES),
              "rising_strategy": comparison.fixed["rising_strategy"], "replications": replications,
              "root_seed": root, "common_random_numbers": True, "seconds": round(elapsed, 3),
              "worker_cpu_seconds": round(comparison.sweep_time["cpu"], 3),
              "versions": versions(), "git_commit": code.get("git_commit"), "git_dirty": code.get("git_dirty"),
              "files": list(COMPARE_FILES)}
    write_text(staging / "run.json", json.dumps(record, indent=2, ensure_ascii=False) + "\n")
