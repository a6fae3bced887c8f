"""The calibration of the intercepts (exitsim/validation/calibration.py) and the profile it writes;
the sections of docs/validation.md the validation commands rewrite."""

import numpy as np
import pandas as pd
import pytest

from exitsim import load_scenario
from exitsim.validation import calibration
from exitsim.validation.document import DocumentError, replace_section, update, versions_table

ROOT = __import__("pathlib").Path(__file__).resolve().parent.parent


def _grid(notice_plane, threat_plane, replications=4, noise=0.0, seed=0):
    """Run totals whose rates follow known planes exactly (noise: lognormal, per run)."""
    rng = np.random.default_rng(seed)
    rows = []
    for point, (b0, bt) in enumerate([(b0, bt) for b0 in (-10.5, -10.0, -9.5) for bt in (-10.0, -9.5)]):
        for r in range(replications):
            at_risk = 1_000_000
            n_rate = np.exp(notice_plane[0] + notice_plane[1] * b0 + notice_plane[2] * bt + noise * rng.normal())
            t_rate = np.exp(threat_plane[0] + threat_plane[1] * b0 + threat_plane[2] * bt + noise * rng.normal())
            rows.append({"point": point, "replication": r, "baseline_notice": b0, "baseline_threat": bt,
                         "notices": n_rate * at_risk, "threats": t_rate * at_risk, "at_risk": at_risk})
    return pd.DataFrame(rows)


def test_the_fitted_intercepts_put_both_rates_on_their_targets():
    # log rate_N = 2.2 + β0 + 0.05 β0_T; log rate_T = 1.0 − 0.02 β0 + 0.97 β0_T
    totals = _grid((2.2, 1.0, 0.05), (1.0, -0.02, 0.97))
    (b0, bt), notice_plane, threat_plane = calibration.solve_intercepts(totals, 0.0004, 0.00025)
    np.testing.assert_allclose(notice_plane, (2.2, 1.0, 0.05), atol=1e-9)
    np.testing.assert_allclose(threat_plane, (1.0, -0.02, 0.97), atol=1e-9)
    assert np.exp(2.2 + b0 + 0.05 * bt) == pytest.approx(0.0004)
    assert np.exp(1.0 - 0.02 * b0 + 0.97 * bt) == pytest.approx(0.00025)


def test_the_bootstrap_standard_errors_grow_with_the_noise_between_replications():
    quiet = calibration.calibrate(_grid((2.2, 1.0, 0.0), (1.0, 0.0, 1.0), 8, noise=0.02), bootstrap=100)
    loud = calibration.calibrate(_grid((2.2, 1.0, 0.0), (1.0, 0.0, 1.0), 8, noise=0.2), bootstrap=100)
    assert 0 < quiet.notice_se < loud.notice_se and 0 < quiet.threat_se < loud.threat_se
    assert (quiet.runs, quiet.points, quiet.replications) == (48, 6, 8)


def test_with_several_worlds_the_bootstrap_resamples_replications_on_each_world():
    """A grid over worlds: each (world, replication) is a paired unit, run at every point."""
    one = _grid((2.2, 1.0, 0.0), (1.0, 0.0, 1.0), 4, noise=0.1)
    worlds = pd.concat([one.assign(world_seed=w) for w in (1, 2, 3)], ignore_index=True)
    worlds["notices"] *= worlds["world_seed"].map({1: 1.0, 2: 1.3, 3: 0.8})  # worlds differ
    fit = calibration.calibrate(worlds, bootstrap=50)
    assert (fit.runs, fit.points, fit.replications) == (72, 6, 12)
    totals = calibration.run_totals(worlds)
    assert len(totals) == 72  # one row per run: worlds are not summed together
    assert fit.notice_se > 0


def test_a_point_without_notices_is_refused_with_what_to_do():
    totals = _grid((2.2, 1.0, 0.0), (1.0, 0.0, 1.0))
    totals.loc[totals.point == 0, "notices"] = 0
    with pytest.raises(ValueError, match="raise the grid's intercepts"):
        calibration.solve_intercepts(totals)


def test_a_grid_that_varies_one_intercept_only_is_refused():
    totals = _grid((2.2, 1.0, 0.0), (1.0, 0.0, 1.0))
    with pytest.raises(ValueError, match="must vary both"):
        calibration.solve_intercepts(totals[totals.baseline_threat == -10.0])


def test_rate_interval_by_hand():
    totals = pd.DataFrame({"notices": [3.0, 5.0], "at_risk": [1000.0, 1000.0]})
    rate = calibration.rate_interval(totals, "notices")
    assert rate["pooled"] == pytest.approx(0.004) and rate["mean"] == pytest.approx(0.004)
    # t(0.975, 1) = 12.706; sd of (0.003, 0.005) = 0.001414; / sqrt(2) = 0.001
    assert rate["high"] - rate["mean"] == pytest.approx(12.7062 * 0.001, rel=1e-4)


def test_the_profile_text_gives_the_world_scenario_the_fitted_intercepts(tmp_path):
    fit = calibration.Calibration(-10.123, -9.876, 0.02, 0.03, (0, 1, 0), (0, 0, 1), 54, 9, 6)
    (tmp_path / "profiles").mkdir()
    path = calibration.write_profile(tmp_path / "profiles" / "calibrated.yaml",
                                     calibration.profile_text(fit, "abc123", 70))
    # a copy of the shipped world scenario beside it takes it through its own extends:
    (tmp_path / "world.yaml").write_text((ROOT / "scenarios" / "world.yaml").read_text(encoding="utf-8"),
                                         encoding="utf-8")
    scenario = load_scenario(tmp_path / "world.yaml")
    params = scenario.params()
    assert (params.baseline_notice, params.baseline_threat) == (-10.123, -9.876)
    assert scenario.generate.states == 193 and "abc123" in path.read_text(encoding="utf-8")


def test_the_shipped_profile_holds_only_the_intercepts_and_the_world_scenario_takes_them():
    from ruamel.yaml import YAML

    profile = YAML(typ="safe").load((ROOT / "scenarios" / "profiles" / "calibrated.yaml").read_text(encoding="utf-8"))
    assert list(profile) == ["parameters"] and list(profile["parameters"]) == ["decisions"]
    fitted = profile["parameters"]["decisions"]
    assert sorted(fitted) == ["baseline_notice", "baseline_threat"]
    world = load_scenario(ROOT / "scenarios" / "world.yaml").params()
    assert (world.baseline_notice, world.baseline_threat) == (fitted["baseline_notice"], fitted["baseline_threat"])


def test_a_section_is_replaced_between_its_markers_and_the_versions_table_follows():
    text = ("<!-- begin versions -->\n<!-- end versions -->\n"
            "<!-- begin calibration -->\nold\n<!-- end calibration -->\n")
    text = replace_section(text, "calibration", "Model version: `abc` (runs made 2026-01-01)\nfigures")
    assert "old" not in text and "figures" in text
    table = versions_table(text)
    assert "| [Calibration of the intercepts](#calibration) | `abc` (runs made 2026-01-01) |" in table
    assert "not produced yet" in table  # the other pieces
    with pytest.raises(DocumentError, match="no section 'record'"):
        replace_section(text, "record", "x")


def test_update_rewrites_the_document_in_place(tmp_path):
    path = tmp_path / "validation.md"
    path.write_text("# V\n<!-- begin versions -->\n<!-- end versions -->\n<!-- begin record -->\n<!-- end record -->\n")
    update(path, "record", "Model version: `f00` (runs made 2026-02-02)\nUSA left UNESCO in 3 of 20 seeds")
    text = path.read_text()
    assert "USA left UNESCO" in text and "| [world_2017 against the record](#record) | `f00`" in text
