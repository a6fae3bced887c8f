"""Contagion (MODEL.md §4.8) on hand-computed cases."""

import math

import numpy as np
import pytest

from exitsim.mechanisms import contagion

# States 0–4: power, 1-D ideal points; state 0 and 3 are allies.
POWER = np.array([10.0, 5.0, 2.0, 1.0, 1.0])
IDEAL = np.array([[0.0], [0.0], [3.0], [4.0], [5.0]])
ALLIANCES = np.array([[0, 3]])
# Organizations 0 and 1 share issue area 0; organization 2 is issue area 1.
ISSUE_AREA = np.array([0, 0, 1])
#             r0 r1 r2 r3 r4 r5 r6 r7 r8 r9 r10
STATE = np.array([0, 1, 2, 3, 0, 2, 4, 1, 0, 1, 4])
ORG = np.array([0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 0])
ACTIVE = np.array([True] * 10 + [False])  # r10: state 4 has left organization 0


#: The coefficients of the hand-computed cases: half retained a year, 0.3 to same-area
#: organizations, proximity scale 0.5, capped at 3.
HAND = contagion.ContagionCoefficients(retained=0.5, same_issue_spill=0.3, proximity_scale=0.5, cap=3.0)


def _add(notice_rows, exposure=None, hegemon=-1, rising=-1, align_hegemon=None, cap=3.0, **kwargs):
    exposure = np.zeros(len(STATE)) if exposure is None else exposure
    align_hegemon = np.zeros(5) if align_hegemon is None else align_hegemon
    c = contagion.ContagionCoefficients(retained=0.5, same_issue_spill=0.3, proximity_scale=0.5, cap=cap)
    return contagion.add_exposure(exposure, STATE, ORG, ACTIVE, ISSUE_AREA, POWER, IDEAL,
                                  ALLIANCES, align_hegemon, np.zeros(5), hegemon, rising,
                                  notice_rows, c, **kwargs)


def test_lead_state_notice_gives_exposure_one_to_close_partners():
    x = _add([0])  # state 0 (most powerful member of organization 0) gives notice
    assert x[1] == pytest.approx(1.0)  # same ideal point: proximity 1
    assert x[3] == pytest.approx(1.0)  # an ally, far away
    assert x[2] == pytest.approx(math.exp(-3 / 0.5))  # a distant non-ally
    assert x[0] == 0.0  # not the leaver itself


def test_same_issue_spill_and_who_gets_nothing():
    x = _add([0])
    # organization 1 (same area, the leaver is a member): 0.3 × what j got in organization 0
    assert x[7] == pytest.approx(0.3)
    assert x[5] == pytest.approx(0.3 * math.exp(-6))
    assert x[4] == 0.0  # the leaver's own row
    assert x[6] == 0.0  # state 4 is no member of organization 0 (left it): no spill either
    assert x[10] == 0.0  # the inactive row gets nothing
    assert x[8] == 0.0 and x[9] == 0.0  # another issue area


def test_weaker_state_notice_is_weighted_by_relative_power():
    x = _add([1])  # state 1 (P 5, lead P 10): w = 0.5
    assert x[0] == pytest.approx(0.5)
    assert x[2] == pytest.approx(0.5 * math.exp(-6))
    assert x[3] == pytest.approx(0.5 * math.exp(-8))
    # state 1 is in organization 1 too: co-members of organization 0 there (0 and 2) get 0.3 × that
    assert x[4] == pytest.approx(0.15)
    assert x[5] == pytest.approx(0.15 * math.exp(-6))


def test_a_walked_out_leaver_still_counts_for_its_weight():
    # state 4 walked out of organization 0 (row 10 inactive) with P 1: w = 1/10 for the others
    x = _add([10])
    assert x[1] == pytest.approx(0.1 * math.exp(-10))
    assert x[3] == pytest.approx(0.1 * math.exp(-2))
    assert x[5] == pytest.approx(0.3 * 0.1 * math.exp(-4))  # organization 1 holds states 2 and 4


def test_alignment_counts_when_the_leaver_is_a_pole():
    align = np.array([0.0, 0.0, 0.6, 0.0, 0.0])
    assert _add([0], hegemon=0, align_hegemon=align)[2] == pytest.approx(0.6)
    assert _add([0], hegemon=1, align_hegemon=align)[2] == pytest.approx(math.exp(-6))


def test_notices_add_up_and_exposure_is_capped():
    x = _add([0, 1])
    assert x[1] == pytest.approx(1.0)  # state 1's own notice gives it nothing
    assert x[0] == pytest.approx(0.5)
    assert x[3] == pytest.approx(1.0 + 0.5 * math.exp(-8))
    start = np.zeros(len(STATE))
    start[1] = 2.8
    assert _add([0], exposure=start)[1] == pytest.approx(3.0)
    assert _add([0], exposure=start, cap=10.0)[1] == pytest.approx(3.8)


def test_decay_then_add():
    np.testing.assert_allclose(contagion.decay(np.array([1.0, 3.0]), retained=0.5), [0.5, 1.5])
    start = np.zeros(len(STATE))
    start[[1, 2]] = [2.0, 3.0]
    world = (STATE, ORG, ACTIVE, ISSUE_AREA, POWER, IDEAL, ALLIANCES, np.zeros(5), np.zeros(5),
             -1, -1)
    x = contagion.update_exposure(start, *world, [0], c=HAND)
    assert x[1] == pytest.approx(1.0 + 1.0)  # 2 halves to 1, then + 1 (not min(3, 2 + 1) / 2)
    assert x[2] == pytest.approx(1.5 + math.exp(-6))
    assert contagion.update_exposure(start, *world, [], c=HAND)[1] == pytest.approx(1.0)


def test_affinity_in_two_dimensions_and_alliance_partners():
    ideal = np.array([[0.0, 0.0], [0.3, 0.4], [3.0, 4.0]])
    a = contagion.affinities([0, 2], ideal, np.array([[2, 0], [1, 2]]), np.zeros(3), np.zeros(3), -1, -1, 0.5)
    np.testing.assert_allclose(a[0], [1.0, math.exp(-1.0), 1.0])  # 2 is 0's ally, far away
    np.testing.assert_allclose(a[1], [1.0, 1.0, 1.0])  # 2's allies 0 and 1 (read both ways), and itself


def test_affinities_of_several_leavers_are_each_ones_affinity():
    rng = np.random.default_rng(2)
    ideal = rng.normal(size=(9, 2))
    alliances = np.array([[0, 3], [4, 0], [2, 5], [5, 5], [8, 1]])  # a self-pair is no ally
    align_h, align_r = rng.random(9), rng.random(9)
    leavers = np.array([0, 5, 1, 0, 7, 2])  # 1 the hegemon, 7 the rising power
    matrix = contagion.affinities(leavers, ideal, alliances, align_h, align_r, 1, 7, proximity_scale=0.8)

    def partners(leaver):  # either side of a pair, never itself
        mask = np.zeros(9, dtype=bool)
        mask[alliances[alliances[:, 0] == leaver, 1]] = True
        mask[alliances[alliances[:, 1] == leaver, 0]] = True
        mask[leaver] = False
        return mask

    def by_definition(leaver):  # max(ally, exp(−d/s), alignment with a pole that leaves)
        value = np.maximum(partners(leaver), np.exp(-np.linalg.norm(ideal - ideal[leaver], axis=1) / 0.8))
        return np.maximum(value, align_h) if leaver == 1 else np.maximum(value, align_r) if leaver == 7 else value

    for j, leaver in enumerate(leavers):
        np.testing.assert_array_equal(matrix[j], by_definition(leaver))
    assert matrix[1, 5] == pytest.approx(1.0) and matrix[1, 2] == 1.0


def test_an_index_of_every_row_by_state_gives_the_same_exposure():
    from exitsim.mechanisms.grouping import GroupIndex

    every_row = GroupIndex(STATE, np.arange(len(STATE)), 5)
    for notices in ([0], [1, 4], [8, 9, 6], [3]):
        np.testing.assert_array_equal(_add(notices, rows_by_state=every_row), _add(notices))
