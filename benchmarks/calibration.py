"""The calibration and magnitude figures of MODEL.md §7 and the dynamics behind them, printed
(the tests assert the bands that are cheap enough to test).

    python benchmarks/calibration.py              # 20 seeds a scenario, 2 worker processes
    python benchmarks/calibration.py --seeds 5    # fewer seeds, for a quick look
    python benchmarks/calibration.py --workers 4

1. The institutional layer on generated worlds of world_facts density (193 states, 335
   organizations, organization_weight 1) and on the default scenario: the hegemon's dues, the
   median and extreme net institutional gains, the Gini of power over 50 years of equal growth.
2. The exit process over 20 dynamics seeds of the default world (50 years): the withdrawal rate
   against the empirical 0.0004, threats against notices, concessions, the share under notice,
   zombies and deaths; and the world scenario over as many seeds (70 years).
   Both also at the horizon: the bands must hold at the end of a run, not only at its start.
3. The dynamics a researcher must be able to trust, each figure beside its target:
   nativism's drift and who exits; rescissions and concessions; credible threats and the exit
   cost; foundings, deaths and the number of organizations; followers beyond chance; the
   decomposition of the hegemon/rising ratio's change; what the bipolar scenario shows.

Every run is independent, so the runs are spread over worker processes; the figures do not
depend on their number. Times depend on the machine's load.
"""

from __future__ import annotations

import argparse
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from exitsim import ExitModel, Scenario, load_scenario  # noqa: E402
from exitsim.codes import DEAD, MEMBER, NOTICE  # noqa: E402
from exitsim.mechanisms import law  # noqa: E402
from exitsim.mechanisms.decision import Candidates  # noqa: E402
from exitsim.mechanisms.flows import FLOW_NAMES  # noqa: E402
from exitsim.outcomes import RATIO_PARTS  # noqa: E402
from exitsim.outputs import ratio_factors  # noqa: E402
from exitsim.phases import decisions, evaluation  # noqa: E402
from exitsim.world import HEGEMON  # noqa: E402


# --- runs ----------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Run:
    """One run to make: a shipped scenario, a dynamics seed and parameter overrides."""

    scenario: str
    seed: int
    parameters: tuple = ()
    steps: int | None = None
    propensities: tuple = ()  # switching costs at which to sum each year's p_threat and p_notice


@dataclass
class Record:
    """What the figures read from one finished run."""

    run: Run
    timeseries: object = None
    events: object = None
    cascades: object = None
    exits_by_government: dict = field(default_factory=dict)
    withdrawal_rate: float = 0.0
    n_orgs_ever: int = 0
    organization_weight: float = 1.0
    expected: dict = field(default_factory=dict)  # cost -> (Σ p_threat, Σ p_notice) over every choice
    above_5_percent: float = 0.0  # share of states whose net institutional gain exceeds 5% of power in the last year
    notice_paths: list = field(default_factory=list)  # per lawful notice: (still pending after its year, nativist, met a turn)


def simulate(run: Run) -> Record:
    """Run one scenario year by year, noting who governed each exit and each member-year at risk."""
    model = ExitModel(load_scenario(ROOT / run.scenario), seed=run.seed, steps=run.steps,
                      parameters=dict(run.parameters), collect_states=False)
    world = model.world
    counts = {"nativist": [0, 0], "internationalist": [0, 0]}  # [exits, member-years at risk]
    expected = {cost: np.zeros(2) for cost in run.propensities}
    governments = []  # each year's nativist_government, after its turnovers
    pending = []  # each lawful notice: (its year's index, state, effective year or None if settled in its year, nativist)
    for _ in range(model.n_steps):
        for cost in run.propensities:
            expected[cost] += _propensities(model, cost)
        ms = world.memberships  # at risk before this year's decisions: members of living treaty bodies
        rows = np.flatnonzero((ms.status == MEMBER) & (world.org_status[ms.org] != DEAD))
        rows = rows[model.context().binding_kind(rows) != law.NON_TREATY]
        before = len(model.events)
        model.step()
        nativist = world.nativist_government  # governments of this year's decisions (phase 1 comes first)
        for government, flag in (("nativist", True), ("internationalist", False)):
            counts[government][1] += int(np.sum(nativist[ms.state[rows]] == flag))
        governments.append(nativist.copy())
        for event in list(model.events)[before:]:
            if event.kind in ("notice", "walkout"):
                counts["nativist" if nativist[world.state_index(event.state)] else "internationalist"][0] += 1
            if event.kind == "notice":
                row, now = world.row_of(event.state, event.organization), world.memberships
                effect = int(law.year_of(now.effective_month[row])) if now.status[row] == NOTICE else event.year
                pending.append((len(governments) - 1, world.state_index(event.state),
                                effect - event.year if effect > event.year else None,
                                bool(nativist[world.state_index(event.state)])))
    paths = [_notice_path(governments, *notice) for notice in pending]
    return Record(run, model.datacollector.get_model_vars_dataframe(), model.events.to_frame(), model.cascades(),
                  counts, model.withdrawal_rate(), world.n_orgs, model.params.organization_weight,
                  {cost: tuple(sums) for cost, sums in expected.items()},
                  float(np.mean(model.flows.net / world.power > 0.05)), paths)


def _notice_path(governments: list, year: int, state: int, years_to_effect: int | None, nativist: bool) -> tuple:
    """Whether a notice was still pending after its own year, whether a nativist government gave
    it, and whether its government turned from nativist to internationalist in a later year up
    to the year of effect (or the run's end): the one change of government that rescinds (§4.6)."""
    if years_to_effect is None:
        return False, nativist, False
    last = min(year + years_to_effect, len(governments) - 1)
    turned = any(governments[y - 1][state] and not governments[y][state] for y in range(year + 1, last + 1))
    return True, nativist, turned


def _propensities(model: ExitModel, cost: float) -> np.ndarray:
    """Σ p_threat and Σ p_notice (MODEL.md §4.6) over every membership that chooses this year,
    with last year's flows and evaluation, had the domestic switching cost been ``cost``: the
    expected numbers of threats and notices in the same circumstances, free of the luck of the
    draws."""
    ctx = model.context()
    ctx.params = model.params.replace(domestic_switching_cost=cost)
    the = decisions._Year(ctx, evaluation.run(ctx))
    deciding = np.flatnonzero(model.world.memberships.status[model.flows.rows] == MEMBER)
    rows = model.flows.rows[deciding]
    candidates = decisions._with_pretext(the, Candidates(deciding, rows, ctx.window_open()[model.flows.state[deciding]],
                                                         np.zeros(len(rows), dtype=bool)))
    payoffs = decisions._payoffs(the, deciding, rows)
    p_notice, p_threat = decisions._choice_probabilities(the, candidates, payoffs.payoff, payoffs.p_concede,
                                                         payoffs.concession)
    return np.array([p_threat.sum(), p_notice.sum()])


def simulate_all(runs: list[Run], workers: int) -> dict[Run, Record]:
    with ProcessPoolExecutor(max_workers=workers) as pool:
        return dict(zip(runs, pool.map(simulate, runs, chunksize=2), strict=True))


def seeds_of(records: dict[Run, Record], scenario: str, parameters: tuple = ()) -> list[Record]:
    return [r for run, r in records.items() if run.scenario == scenario and run.parameters == parameters]


def verdict(ok: bool) -> str:
    return "meets it" if ok else "MISSES it"


# --- 1. the institutional layer ----------------------------------------------------------------------
def institutions() -> None:
    print("1. Institutional layer at the start (MODEL.md §7 bands: dues 0.1–0.5%, median gain 0.2–1.5%, ≤1% above 5%)")
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


# --- 2. the exit process ---------------------------------------------------------------------------
def exits(records: list[Record], label: str) -> None:
    rows = [(r.withdrawal_rate, r.timeseries.notices.sum(), r.timeseries.threats.sum(), r.timeseries.concessions.sum(),
             r.timeseries.under_notice_share.max(),
             r.timeseries.organizations_zombie.iloc[-1] + r.timeseries.organizations_dead.iloc[-1], r.n_orgs_ever,
             r.timeseries.walkouts_contested.sum() + r.timeseries.walkouts_violated.sum(),
             r.timeseries.rejoins.sum() + r.timeseries.returns.sum()) for r in records]
    r = np.array(rows, dtype=float)
    print(f"\n{label}: {len(records)} seeds")
    print(f"  withdrawal rate: median {np.median(r[:, 0]):.5f} (range {r[:, 0].min():.5f}–{r[:, 0].max():.5f}; "
          f"empirical 0.0004, target within a factor of 2)")
    print(f"  per run: notices {r[:, 1].mean():.1f}, threats {r[:, 2].mean():.1f} (threats/notices "
          f"{r[:, 2].sum() / max(r[:, 1].sum(), 1):.2f}), concessions {r[:, 3].mean():.1f} (runs with one: "
          f"{int((r[:, 3] >= 1).sum())}/{len(records)}), walk-outs {r[:, 7].mean():.1f}, rejoins/returns {r[:, 8].mean():.1f}")
    print(f"  most memberships under notice in a year: {r[:, 4].max():.2%}")
    print(f"  organizations zombie or dead at the end: {r[:, 5].mean():.1f} of {r[:, 6].mean():.0f} ever")


# --- 3. the dynamics a researcher must trust -------------------------------------------------------------------------
def nativism(records: dict[Run, Record], scenarios: list[str]) -> None:
    print("\n3.1 Nativism (MODEL.md §4.9): mean nativism at the horizon within 0.1 of its start, over the seeds;"
          " nativist governments exit more than internationalist ones")
    for scenario in scenarios:
        runs = seeds_of(records, scenario)
        start = np.array([r.timeseries.mean_nativism.iloc[0] for r in runs])
        end = np.array([r.timeseries.mean_nativism.iloc[-1] for r in runs])
        drift = end.mean() - start.mean()
        share = [(r.timeseries.nativist_government_share.iloc[0], r.timeseries.nativist_government_share.iloc[-1])
                 for r in runs]
        print(f"  {scenario:<26} mean nativism {start.mean():.3f} → {end.mean():.3f} (drift {drift:+.3f}; seeds "
              f"{(end - start).min():+.3f} to {(end - start).max():+.3f}): {verdict(abs(drift) <= 0.1)}; "
              f"nativist governments {np.mean([s for s, _ in share]):.0%} → {np.mean([e for _, e in share]):.0%}")
        rates = {}
        for government in ("nativist", "internationalist"):
            exits_, at_risk = (sum(r.exits_by_government[government][j] for r in runs) for j in (0, 1))
            rates[government] = (exits_ / at_risk if at_risk else float("nan"), exits_, at_risk)
        (n_rate, n_exits, n_risk), (i_rate, i_exits, i_risk) = rates["nativist"], rates["internationalist"]
        print(f"  {'':<26} exits (notices and walk-outs) per 1,000 member-years at risk: nativist governments "
              f"{1000 * n_rate:.2f} ({n_exits} in {n_risk:,}), internationalist {1000 * i_rate:.2f} "
              f"({i_exits} in {i_risk:,}): {verdict(n_rate > i_rate)}")


def _exit_payoffs(events, kind: str) -> np.ndarray:
    """The exit payoffs π written in the details of a run's threat or notice events."""
    details = events.loc[events.kind == kind, "detail"]
    return details.str.extract(r"exit payoff π = ([-+0-9.]+)")[0].astype(float).to_numpy()


def rescissions(records: dict[Run, Record], scenarios: list[str]) -> None:
    print("\n3.2 Rescissions (MODEL.md §4.6): 5–25% of notices, most after a change of government; a notice no"
          " likelier to win a concession than a threat")
    for scenario in scenarios:
        runs = seeds_of(records, scenario)
        notices = sum(int(r.timeseries.notices.sum()) for r in runs)
        threats = sum(int(r.timeseries.threats.sum()) for r in runs)
        reasons: dict[str, int] = {}
        to_threats = to_notices = 0
        for r in runs:
            events = r.events
            for reason, n in events.loc[events.kind == "rescission", "detail"].value_counts().items():
                reasons[reason] = reasons.get(reason, 0) + int(n)
            threatened = set(map(tuple, events.loc[events.kind == "threat", ["year", "state", "organization"]].to_numpy()))
            conceded = [tuple(x) for x in events.loc[events.kind == "concession", ["year", "state", "organization"]].to_numpy()]
            to_threats += sum(c in threatened for c in conceded)
            to_notices += sum(c not in threatened for c in conceded)
        total = sum(reasons.values())
        government = reasons.get("a new internationalist government", 0)
        share = total / notices if notices else 0.0
        low, high = _wilson(total, notices)
        print(f"  {scenario:<26} {total} of {notices} notices rescinded ({share:.2%}; 95% interval {low:.1%}–{high:.1%}): "
              f"{verdict(0.05 <= share <= 0.25)}; after a change of government {government} "
              f"({government / total if total else 0:.0%}): {verdict(government > total / 2)}; "
              + ", ".join(f"{reason} {n}" for reason, n in sorted(reasons.items()) if reason != "a new internationalist government"))
        paths = np.array([path for r in runs for path in r.notice_paths], dtype=bool).reshape(-1, 3)
        later, by_nativist = paths[:, 0], paths[:, 0] & paths[:, 1]
        print(f"  {'':<26} where they come from: {later.mean():.0%} of notices still pending after their own year "
              f"(the rest took effect in it or were bought back in it); {by_nativist.sum() / max(later.sum(), 1):.0%} "
              f"of those given by nativist governments, of which {paths[by_nativist, 2].mean() if by_nativist.any() else 0:.0%}"
              f" met a change to an internationalist government before taking effect")
        print(f"  {'':<26} concessions won: {to_notices / notices if notices else 0:.1%} of notices, "
              f"{to_threats / threats if threats else 0:.1%} of threats: "
              f"{verdict(to_notices / max(notices, 1) <= to_threats / max(threats, 1))}")


def _wilson(successes: int, trials: int, z: float = 1.96) -> tuple[float, float]:
    """The Wilson score interval of a binomial share (95% by default). Example: 15 of 303 →
    about 3.0% to 8.0%."""
    if trials == 0:
        return 0.0, 1.0
    share = successes / trials
    centre = (share + z * z / (2 * trials)) / (1 + z * z / trials)
    half = z * np.sqrt(share * (1 - share) / trials + z * z / (4 * trials * trials)) / (1 + z * z / trials)
    return float(centre - half), float(centre + half)


def threats(records: dict[Run, Record], scenarios: list[str], default: str, costs: list[float]) -> None:
    print("\n3.3 Threats (MODEL.md §4.6): threats by states whose exit payoff π is below −1 year of dues under 10%;"
          " a costlier exit shifts actions from notices to threats")
    for scenario in scenarios:
        runs = seeds_of(records, scenario)
        pi = np.concatenate([_exit_payoffs(r.events, "threat") for r in runs])
        notice_pi = np.concatenate([_exit_payoffs(r.events, "notice") for r in runs])
        share = float(np.mean(pi < -1)) if len(pi) else 0.0
        print(f"  {scenario:<26} {len(pi)} threats, {share:.1%} with π < −1: {verdict(share < 0.1)} "
              f"(median π of threats {np.median(pi):+.2f}, of the model's own notices {np.median(notice_pi):+.2f})")
    baseline = seeds_of(records, default)
    expected = []
    for cost in costs:
        e_t, e_n = (sum(r.expected[cost][j] for r in baseline) for j in (0, 1))
        expected.append(e_t / (e_t + e_n))
        runs = seeds_of(records, default, (("domestic_switching_cost", cost),) if cost != costs[0] else ())
        t = sum(int(r.timeseries.threats.sum()) for r in runs)
        n = sum(int(r.timeseries.notices.sum()) for r in runs)
        print(f"  {default:<26} domestic switching cost {cost:g} years of dues per unit of democracy: threats "
              f"{expected[-1]:.1%} of the expected actions in the same circumstances (Σ p over every choice of the "
              f"default runs); runs with this cost drew {t} threats and {n} notices ({t / max(t + n, 1):.1%})")
    print(f"  {'':<26} the threat share rises with the exit cost: {verdict(bool(np.all(np.diff(expected) > 0)))}")


def contagion(records: dict[Run, Record], scenarios: list[str]) -> None:
    print("\n3.5 Contagion (MODEL.md §4.8): each cascade against the followers expected by chance (the same members'"
          " hazard without the exposure term); with contagion off the excess is chance alone")
    for scenario in scenarios:
        for label, parameters in (("contagion on", ()), ("β_c = 0", (("beta_contagion", 0.0),))):
            runs = seeds_of(records, scenario, parameters)
            frames = [r.cascades for r in runs if len(r.cascades)]
            seeds = sum(len(f) for f in frames)
            size = sum(int(f["size"].sum()) for f in frames)
            chance = sum(float(f["expected"].sum()) for f in frames)
            print(f"  {scenario:<26} {label:<13} {seeds / len(runs):5.1f} seeds a run; followers {size / len(runs):5.2f} "
                  f"a run, by chance {chance / len(runs):5.2f}, beyond chance {(size - chance) / len(runs):+5.2f} "
                  f"({size - chance:+.1f} over {len(runs)} runs)")


def decomposition(records: dict[Run, Record], scenarios: list[str]) -> None:
    print("\n3.6 The transition (MODEL.md §4.4): each year's change of ln(P_hegemon / P_rising) split into growth, each"
          " institutional flow and noise (timeseries.csv); over the run, as factors that multiply to the ratio's change")
    for scenario in scenarios:
        runs = seeds_of(records, scenario)
        factors = [ratio_factors(r.timeseries) for r in runs]
        ratio = np.array([[r.timeseries.hegemon_rising_ratio.iloc[i] for i in (0, -1)] for r in runs])
        exact = max(abs(np.log(ratio[j, 1] / ratio[j, 0]) - np.log(np.prod([f[name] for name in RATIO_PARTS])))
                    for j, f in enumerate(factors))

        def mean(name: str, factors: list[dict] = factors) -> str:
            return f"×{np.mean([f[name] for f in factors]):.3f}"

        institutions = np.array([f["institutions"] for f in factors])
        print(f"  {scenario:<26} ratio {ratio[:, 0].mean():.2f} → {ratio[:, 1].mean():.2f} (seeds {ratio[:, 1].min():.2f}–"
              f"{ratio[:, 1].max():.2f}): growth {mean('growth')}, institutions ×{institutions.mean():.3f} (seeds "
              f"{institutions.min():.3f}–{institutions.max():.3f}), noise {mean('noise')}, other {mean('other')}; "
              f"the parts add up to the change (largest gap {exact:.1e} log points)")
        print(f"  {'':<26} institutions by flow: " + ", ".join(f"{name.replace('_', ' ')} {mean(name)}"
                                                                   for name in FLOW_NAMES))


def bipolar(records: dict[Run, Record], scenario: str) -> None:
    print("\n3.7 The bipolar scenario: what its header says it shows (a stable order; walk-outs once divergence"
          " weighs more)")
    for label, parameters in (("as shipped", ()), ("preference_cost 4", (("preference_cost", 4.0),))):
        runs = seeds_of(records, scenario, parameters)

        def per_run(column: str, runs: list[Record] = runs) -> float:
            return float(np.mean([r.timeseries[column].sum() for r in runs]))

        ratio = np.array([r.timeseries.hegemon_rising_ratio.iloc[-1] for r in runs])
        print(f"  {scenario:<26} {label:<18} a run: {per_run('notices'):.2f} notices, {per_run('threats'):.2f} threats, "
              f"{per_run('walkouts_contested') + per_run('walkouts_violated'):.2f} walk-outs; ratio at the end "
              f"{ratio.min():.2f}–{ratio.max():.2f}")


def magnitudes_at_the_horizon(records: dict[Run, Record], scenarios: list[str]) -> None:
    print("\n   At the horizon (MODEL.md §7 bands hold at the end too; mean over the seeds, their range in brackets)")
    print(f"  {'scenario':<26} {'hegemon dues':>24} {'median gain':>24} {'above 5%':>9}")
    for scenario in scenarios:
        runs = seeds_of(records, scenario)
        dues = np.array([r.timeseries.hegemon_dues_rate.iloc[-1] for r in runs])
        gain = np.array([r.timeseries.median_net_gain_rate.iloc[-1] for r in runs])
        above = max(r.above_5_percent for r in runs)
        ok = 0.001 <= dues.min() and dues.max() <= 0.005 and 0.002 <= gain.min() and gain.max() <= 0.015 and above <= 0.01
        print(f"  {scenario:<26} {dues.mean():>8.3%} ({dues.min():.3%}–{dues.max():.3%}) {gain.mean():>8.3%} "
              f"({gain.min():.3%}–{gain.max():.3%}) {above:>8.1%}  {verdict(ok)}")


def organizations(records: dict[Run, Record], world: str, small: list[str]) -> None:
    print("\n3.4 Organizations (MODEL.md §4.12): at world size 40–95 foundings a decade and the number alive at the"
          " horizon within ±25% of the start; foundings in small worlds scale with organization_weight")
    runs = seeds_of(records, world)
    decades = np.array([[r.timeseries.foundings.iloc[1 + 10 * d:11 + 10 * d].sum()
                         for d in range((len(r.timeseries) - 1) // 10)] for r in runs], dtype=float)
    alive = np.array([[(t.organizations_alive + t.organizations_zombie).iloc[i] for i in (0, -1)]
                      for t in (r.timeseries for r in runs)], dtype=float)
    change = alive[:, 1] / alive[:, 0] - 1
    deaths = np.mean([r.timeseries.deaths.sum() for r in runs])
    memberships = np.array([[r.timeseries.memberships_active.iloc[i] for i in (0, -1)] for r in runs], dtype=float)
    print(f"  {world:<26} foundings a decade: {decades.mean():.0f} on average, decades {decades.min():.0f}–"
          f"{decades.max():.0f}: {verdict(40 <= decades.min() and decades.max() <= 95)}")
    print(f"  {'':<26} organizations alive {alive[:, 0].mean():.0f} → {alive[:, 1].mean():.0f} (seeds "
          f"{alive[:, 1].min():.0f}–{alive[:, 1].max():.0f}, {change.min():+.0%} to {change.max():+.0%}): "
          f"{verdict(bool(np.all(np.abs(change) <= 0.25)))}; {deaths:.0f} deaths a run; memberships "
          f"{memberships[:, 0].mean():,.0f} → {memberships[:, 1].mean():,.0f}; layering "
          f"{np.mean([r.timeseries.layering.iloc[0] for r in runs]):.2f} → "
          f"{np.mean([r.timeseries.layering.iloc[-1] for r in runs]):.2f}")
    print(f"  {'':<26} foundings a decade per organization alive at the start, × organization_weight:")
    for scenario in [world, *small]:
        runs = seeds_of(records, scenario)
        years = len(runs[0].timeseries) - 1
        per = np.mean([r.timeseries.foundings.sum() / years * 10 / r.timeseries.organizations_alive.iloc[0]
                       * r.organization_weight for r in runs])
        start = np.mean([r.timeseries.organizations_alive.iloc[0] for r in runs])
        end = np.mean([(r.timeseries.organizations_alive + r.timeseries.organizations_zombie).iloc[-1] for r in runs])
        print(f"  {'':<28}{scenario:<26} {per:.2f} (organization_weight {runs[0].organization_weight:g}; "
              f"alive {start:.0f} → {end:.1f})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seeds", type=int, default=20, help="dynamics seeds per scenario (default 20)")
    parser.add_argument("--workers", type=int, default=2, help="worker processes (default 2)")
    args = parser.parse_args()
    started = time.perf_counter()
    default, classroom, world = "scenarios/default.yaml", "scenarios/classroom.yaml", "scenarios/world.yaml"
    runs = [Run(default, s) for s in range(args.seeds)] + [Run(classroom, s) for s in range(args.seeds)]
    runs += [Run(world, s) for s in range(1, args.seeds + 1)]
    costs = [0.2, 1.0, 2.0, 4.0]  # the first is the default
    runs = [replace(run, propensities=tuple(costs)) if run.scenario == default else run for run in runs]
    runs += [Run(default, s, (("domestic_switching_cost", cost),)) for cost in costs[1:] for s in range(args.seeds)]
    runs += [Run(default, s, (("beta_contagion", 0.0),)) for s in range(args.seeds)]
    runs += [Run(world, s, (("beta_contagion", 0.0),)) for s in range(1, args.seeds + 1)]
    bipolar_ = "scenarios/bipolar.yaml"
    runs += [Run(bipolar_, s, p) for p in ((), (("preference_cost", 4.0),)) for s in range(args.seeds)]
    records = simulate_all(runs, args.workers)
    institutions()
    magnitudes_at_the_horizon(records, [world, default, classroom])
    exits(seeds_of(records, default), "2. Default world, 50 years")
    exits(seeds_of(records, world), "   World scenario, 70 years")
    nativism(records, [default, classroom, world])
    rescissions(records, [default, world])
    threats(records, [default, world], default, costs)
    organizations(records, world, [default, classroom])
    contagion(records, [default, world])
    decomposition(records, [default, classroom, world])
    bipolar(records, bipolar_)
    print(f"\n({len(runs)} runs in {time.perf_counter() - started:.0f} s on {args.workers} workers; times vary with load.)")


if __name__ == "__main__":
    main()
