"""Group-by helpers over the edge list, on hand-computed cases."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from exitsim.mechanisms.grouping import GroupIndex, group_count, group_sum, top_two


def test_group_sum_and_count():
    groups = np.array([2, 0, 2, 1])
    np.testing.assert_allclose(group_sum(np.array([1.0, 2.0, 3.0, 4.0]), groups, 4), [2.0, 4.0, 4.0, 0.0])
    np.testing.assert_array_equal(group_count(np.array([True, True, False, True]), groups, 3), [1, 1, 1])


def test_top_two_takes_the_first_row_on_ties():
    values, groups = np.array([5.0, 7.0, 7.0, 1.0, 3.0]), np.array([0, 0, 0, 1, 2])
    first_row, first, second = top_two(values, groups, 4)
    np.testing.assert_array_equal(first_row, [1, 3, 4, -1])
    np.testing.assert_allclose(first, [7.0, 1.0, 3.0, 0.0])
    np.testing.assert_allclose(second, [7.0, 0.0, 0.0, 0.0])


def test_group_index_gives_each_groups_rows_in_order():
    index = GroupIndex(np.array([2, 0, 2, 1, 0]), np.array([10, 11, 12, 13, 14]), n_groups=4)
    assert index.rows(0).tolist() == [11, 14]
    assert index.rows(2).tolist() == [10, 12]
    assert index.rows(3).tolist() == [] and index.rows(7).tolist() == []


@given(st.lists(st.integers(0, 6), max_size=60), st.booleans())
def test_group_index_rows_are_the_rows_of_each_key_in_order(keys, presorted):
    keys = np.array(sorted(keys) if presorted else keys, dtype=np.int64)
    rows = np.arange(100, 100 + len(keys))
    index = GroupIndex(keys, rows, n_groups=7)
    for group in range(7):
        assert index.rows(group).tolist() == rows[keys == group].tolist()
    assert index.rows(7).tolist() == [] and index.rows(-1).tolist() == []


def test_group_index_rejects_keys_outside_the_groups():
    with pytest.raises(ValueError, match="0–2"):
        GroupIndex(np.array([0, 3]), np.array([1, 2]), n_groups=3)
    with pytest.raises(ValueError, match="0–2"):
        GroupIndex(np.array([-1, 0]), np.array([1, 2]), n_groups=3)
