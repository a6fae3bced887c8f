"""The calibration and magnitude figures of MODEL.md §7, printed (the tests assert the bands).

    python benchmarks/calibration.py

1. The institutional layer on generated worlds of world_facts density (193 states, 335
   organizations, organization_weight 1) and on the default scenario: the hegemon's dues, the
   median and extreme net institutional gains, the Gini of power over 50 years of equal growth.
2. The exit process over 20 dynamics seeds of the default world (50 years): the withdrawal rate
   against the empirical 0.0004, threats against notices, concessions, the share under notice,
   zombies and deaths; and the world scenario over 3 seeds (70 years).
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from exitsim import ExitModel, Scenario, load_scenario  # noqa: E402
from exitsim.world import HEGEMON  # noqa: E402


def institutions() -> None:
    print("Institutional layer at the start (MODEL.md §7 bands: dues 0.1–0.5%, median gain 0.2–1.5%, ≤1% above 5%)")
    print(f"{'world':<16} {'hegemon dues':>13} {'median gain':>12} {'above 5%':>9} {'Gini 50y (equal growth)':>24}")
    for label, scenario, equal in [
        *[(f"world seed {s}", {"name": "w", "steps": 50, "world_seed": s,
                               "generate": {"states": 193, "organizations": 335}}, True) for s in (1, 2, 3)],
        ("default.yaml", None, False)]:
        model = ExitModel(Scenario.model_validate(scenario) if scenario else load_scenario())
        hegemon = model.world.role_index(HEGEMON)
        rate = model.flows.net / model.world.power
        gini = ""
        if equal:
            scenario["generate"] |= {"growth_sd": 0.0, "hegemon_growth": 0.03, "rising_growth": 0.03}
            frame = ExitModel(Scenario.model_validate(scenario), collect_states=False).run() \
                .datacollector.get_model_vars_dataframe()
            gini = f"{frame.gini_power.iloc[0]:.3f} → {frame.gini_power.iloc[-1]:.3f}"
        print(f"{label:<16} {model.flows.dues_total[hegemon] / model.world.power[hegemon]:>12.3%} "
              f"{np.median(rate):>12.3%} {(rate > 0.05).mean():>9.1%} {gini:>24}")


def exits(path: str, seeds: range, label: str) -> None:
    rows = []
    for seed in seeds:
        model = ExitModel(load_scenario(ROOT / path), seed=seed, collect_states=False).run()
        frame = model.datacollector.get_model_vars_dataframe()
        rows.append((model.withdrawal_rate(), frame.notices.sum(), frame.threats.sum(), frame.concessions.sum(),
                     frame.under_notice_share.max(),
                     frame.organizations_zombie.iloc[-1] + frame.organizations_dead.iloc[-1], model.world.n_orgs,
                     frame.walkouts_contested.sum() + frame.walkouts_violated.sum(),
                     frame.rejoins.sum() + frame.returns.sum()))
    r = np.array(rows, dtype=float)
    print(f"\n{label}: {len(seeds)} seeds")
    print(f"  withdrawal rate: median {np.median(r[:, 0]):.5f} (range {r[:, 0].min():.5f}–{r[:, 0].max():.5f}; "
          f"empirical 0.0004)")
    print(f"  per run: notices {r[:, 1].mean():.1f}, threats {r[:, 2].mean():.1f} (threats/notices "
          f"{r[:, 2].sum() / r[:, 1].sum():.2f}), concessions {r[:, 3].mean():.1f} (runs with one: "
          f"{int((r[:, 3] >= 1).sum())}/{len(seeds)}), walk-outs {r[:, 7].mean():.1f}, rejoins/returns {r[:, 8].mean():.1f}")
    print(f"  most memberships under notice in a year: {r[:, 4].max():.2%}")
    print(f"  organizations zombie or dead at the end: {r[:, 5].mean():.1f} of {r[:, 6].mean():.0f} ever")


if __name__ == "__main__":
    institutions()
    exits("scenarios/default.yaml", range(20), "Default world, 50 years")
    exits("scenarios/world.yaml", range(1, 4), "World scenario, 70 years")
