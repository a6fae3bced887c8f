"""python run.py findings: docs/findings.md written from the headline experiments' stores."""

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from scenario_texts import SWEEP_WORLD

import exitsim
from exitsim.cli import main
from exitsim.comparison.findings import write_findings

EXPERIMENT = """\
name: {name}
scenario: small.yaml
steps: 4
overrides:
  parameters.strategies.strategy_trigger: 3.0
factors:
  parameters.strategies.hegemon_strategy: [status_quo, exit_diplomacy, exclusive]
{extra}seeds: {{root: 2, replications: 3}}
keep:
  every_year: [hegemon_rising_ratio, hegemon_leadership_share, strategy_active, strategic_actions]
  at_horizon: [hegemon_rising_ratio, hegemon_leadership_share, public_goods, organizations_alive, withdrawals_total,
               strategy_activation_year, ratio_log_change, ratio_from_growth, ratio_from_noise, ratio_from_institutions]
  events: strategic
"""


def make_store(folder: Path, name: str, extra: str = "") -> None:
    (folder / "small.yaml").write_text(SWEEP_WORLD, encoding="utf-8")
    path = folder / f"{name}.yaml"
    path.write_text(EXPERIMENT.format(name=name, extra=extra), encoding="utf-8")
    with ThreadPoolExecutor(2) as executor:
        assert exitsim.sweep(path, executor, out=folder / "results" / name).complete


@pytest.fixture(scope="module")
def results(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("findings")
    make_store(folder, "exit_vs_balancing")
    make_store(folder, "exit_vs_balancing_sensitivity", "  parameters.institutions.budget_rate: [1.25e-5, 5.0e-5]\n")
    return folder


def test_findings_are_written_from_the_stores_with_the_model_version_at_the_top(results):
    path = write_findings(results / "results", results / "docs" / "findings.md")
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines()
    assert lines[0] == "# Findings: exit diplomacy against inclusive and exclusive institution-building"
    assert any(line.startswith("**Model version:** git commit `") for line in lines[:8])
    for heading in ("## Regenerating this page", "## What was run", "## What the experiment shows (default scenario)",
                    "### The main table", "## Who gains from institutions: ν, ω and b", "## On worlds of today's size",
                    "## What this does not show"):
        assert heading in text, heading
    assert "**Relative power.**" in text and "**How large.**" in text
    assert "Not run yet: `python run.py sweep experiments/exit_vs_balancing_world.yaml`." in text
    assert "The ratio against status quo/passive, over the 2 levels of `budget_rate`" in text
    for link in ("findings/exit_vs_balancing/differences.png", "findings/exit_vs_balancing/trajectories.png",
                 "findings/exit_vs_balancing_sensitivity/sensitivity.png"):
        assert f"]({link})" in text and (results / "docs" / link).is_file(), link
    assert (results / "docs" / "findings" / "exit_vs_balancing" / "tables" / "differences.csv").is_file()


def test_findings_count_the_clear_differences_against_chance(results):
    text = write_findings(results / "results", results / "docs" / "findings.md").read_text(encoding="utf-8")
    assert "paired differences of the main experiment are clear; if no strategy changed anything, about" in text


def test_findings_need_the_main_experiment(tmp_path, capsys):
    assert main(["findings", "--results", str(tmp_path), "--out", str(tmp_path / "findings.md")]) == 2
    assert "no results of experiments/exit_vs_balancing.yaml" in capsys.readouterr().err
    assert not (tmp_path / "findings.md").exists()
