"""Contagion cascades (MODEL.md §4.8, §5) on a hand-made log of notices."""

import numpy as np
import pandas as pd

from exitsim.cascades import NoticeLog, cascades, following_rows

# Organizations 0 and 1 share issue area 0; organization 2 is issue area 1.
ISSUE_AREA = np.array([0, 0, 1])


def _notices():
    rows = [  # year, state, org, was_lead
        (2000, 0, 0, True),    # 0: seed A
        (2001, 1, 0, False),   # 1: follows A
        (2002, 2, 1, False),   # 2: follows A (same issue area)
        (2003, 3, 0, False),   # 3: too late for A, not a member at B
        (2000, 1, 0, False),   # 4: same year as A: no
        (2001, 4, 0, False),   # 5: not a member of 0 at A
        (2002, 3, 2, False),   # 6: another issue area
        (2001, 2, 0, True),    # 7: seed B, itself a follower of A
        (2002, 1, 0, False),   # 8: in both windows: the earliest seed, A
        (2003, 1, 0, False),   # 9: follows B only
        (2004, 5, 2, False),   # 10: the hegemon's notice: seed C, censored
        (2001, 0, 1, False),   # 11: the seed's own state
    ]
    table = pd.DataFrame(rows, columns=["year", "state", "org", "was_lead"])
    members = [None] * len(rows)
    members[0], members[7], members[10] = {0, 1, 2, 3}, {1, 2}, {5, 3}
    return table, members


def test_cascades_by_hand():
    table, members = _notices()
    result = cascades(table, members, ISSUE_AREA, last_year=2005, hegemon=5)
    assert result["notice"].tolist() == [0, 7, 10]
    assert result["size"].tolist() == [4, 1, 0]
    assert result["followers"].tolist() == [[1, 2, 7, 8], [9], []]
    assert result["censored"].tolist() == [False, False, True]


def test_followers_expected_by_chance_are_carried_to_the_seed_and_the_excess_is_what_is_left():
    table, members = _notices()
    table["expected"] = 0.0
    table.loc[[0, 7, 10], "expected"] = [1.5, 0.25, 0.0]
    result = cascades(table, members, ISSUE_AREA, last_year=2005, hegemon=5)
    assert result["expected"].tolist() == [1.5, 0.25, 0.0]
    assert result["excess"].tolist() == [2.5, 0.75, 0.0]


def test_each_row_could_follow_the_earliest_seed_that_covers_it():
    # seeds A (state 0 left org 0; members 0–3) and B (state 2 left org 0; members 1, 2)
    seeds = [{"state": 0, "org": 0, "members": [0, 1, 2, 3]}, {"state": 2, "org": 0, "members": [1, 2]}]
    state = np.array([1, 2, 0, 4, 3, 1, 2])
    org = np.array([0, 1, 0, 0, 2, 2, 0])
    # 1 in org 0: A; 2 in org 1 (same area): A; the seed's own state: none; 4 was no member: none;
    # 3 in org 2 (another area): none; 1 in org 2: none; 2 in org 0: A (the earliest), not B
    owner = following_rows(seeds, state, org, ISSUE_AREA)
    assert owner.tolist() == [0, 0, -1, -1, -1, -1, 0]
    owner = following_rows(seeds[1:], state, org, ISSUE_AREA)
    assert owner.tolist() == [0, -1, -1, -1, -1, -1, -1]  # B: its own state 2 never follows it


def test_cascades_without_notices():
    empty = pd.DataFrame({"year": [], "state": [], "org": [], "was_lead": []})
    assert len(cascades(empty, [], ISSUE_AREA, last_year=2005, hegemon=-1)) == 0




def test_the_notice_log_marks_the_lead_state():
    log = NoticeLog()
    power = np.array([5.0, 9.0, 2.0])
    log.record(2030, 1, 0, power, np.array([0, 1, 2]))  # the most powerful member
    log.record(2031, 0, 0, power, np.array([0, 1, 2]))
    log.record(2032, 2, 1, power, np.array([0, 2]))  # a walked-out leaver not among the members counted
    assert log.frame()["was_lead"].tolist() == [True, False, False]
    assert log.frame()["members"].tolist() == [[0, 1, 2], [0, 1, 2], [0, 2]]
