"""The membership edge list: appends keep every row, replaced columns survive appends."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from exitsim.world import MEMBER, MEMBERSHIP_COLUMNS, WITHDRAWN, Memberships


def _list(ms: Memberships, name: str) -> list:
    return getattr(ms, name).tolist()


def test_append_returns_new_row_indices_and_fills_defaults():
    ms = Memberships({"state": [0, 1], "org": [0, 0]})
    rows = ms.append(state=[2, 3, 4], org=1, joined=2030)
    assert rows.tolist() == [2, 3, 4]
    assert _list(ms, "state") == [0, 1, 2, 3, 4]
    assert _list(ms, "org") == [0, 0, 1, 1, 1]
    assert _list(ms, "joined") == [0, 0, 2030, 2030, 2030]
    assert _list(ms, "status") == [MEMBER] * 5
    assert _list(ms, "last_threat") == [MEMBERSHIP_COLUMNS["last_threat"][1]] * 5


def test_a_column_replaced_by_assignment_is_kept_by_the_next_append():
    ms = Memberships({"state": [0, 1, 2], "org": [0, 0, 1]})
    ms.append(state=5, org=2)  # the buffers now have room to spare
    ms.exposure = np.array([0.5, 1.0, 1.5, 2.0])
    ms.status[1] = WITHDRAWN  # written in place
    ms.append(state=6, org=2, exposure=3.0)
    assert _list(ms, "exposure") == [0.5, 1.0, 1.5, 2.0, 3.0]
    assert _list(ms, "status") == [MEMBER, WITHDRAWN, MEMBER, MEMBER, MEMBER]


def test_a_replaced_column_of_the_wrong_length_is_an_error():
    ms = Memberships({"state": [0, 1], "org": [0, 0]})
    ms.exposure = np.zeros(3)
    with pytest.raises(ValueError, match="'exposure' has 3 rows, expected 2"):
        ms.append(state=2, org=0)


def test_unknown_columns_are_rejected():
    with pytest.raises(ValueError, match="unknown membership columns: \\['colour'\\]"):
        Memberships({"state": [0], "org": [0], "colour": [1]})
    with pytest.raises(ValueError, match="unknown membership columns"):
        Memberships().append(state=1, org=1, colour=2)


def test_copy_is_independent_of_later_appends_and_writes():
    ms = Memberships({"state": [0, 1], "org": [0, 0]})
    copy = ms.copy()
    ms.append(state=2, org=1)
    ms.dues[0] = 9.0
    assert len(copy) == 2 and copy.dues[0] == 0.0


@given(st.lists(st.integers(0, 40), min_size=1, max_size=25))
def test_many_appends_equal_one_concatenation(sizes):
    ms = Memberships()
    expected_state, expected_dues = [], []
    for n, size in enumerate(sizes):
        ms.append(state=np.arange(size), org=n, dues=np.full(size, float(n)))
        ms.arrears = ms.arrears + 1.0  # a column replaced between appends
        expected_state += list(range(size))
        expected_dues += [float(n)] * size
    assert _list(ms, "state") == expected_state
    assert _list(ms, "dues") == expected_dues
    assert len(ms) == len(expected_state) == len(ms.arrears)
    # each row gained 1 for every replacement made after it was appended
    made_after = np.repeat(len(sizes) - np.arange(len(sizes)), sizes)
    assert ms.arrears.tolist() == made_after.astype(float).tolist()
