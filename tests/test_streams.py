"""Random streams per (step, phase, draw) (MODEL.md §4.0)."""

import numpy as np

from exitsim.streams import PHASES, Streams


def test_streams_are_reproducible_and_distinct_per_step_and_phase():
    s = Streams(11)
    a = s.normal(3, "power", 5)
    np.testing.assert_array_equal(a, Streams(11).normal(3, "power", 5))
    assert not np.array_equal(a, s.normal(4, "power", 5))
    assert not np.array_equal(a, s.normal(3, "institutions", 5))
    assert not np.array_equal(a, s.normal(3, "power", 5, draw=1))


def test_one_value_per_row_keeps_earlier_rows_when_rows_are_appended():
    s = Streams(2)
    np.testing.assert_array_equal(s.normal(1, "decisions", 10)[:7], s.normal(1, "decisions", 7))


def test_spawned_children_differ_though_their_entropy_is_the_roots():
    root = np.random.SeedSequence(5)
    children = root.spawn(2)
    assert children[0].entropy == children[1].entropy == root.entropy
    assert not np.array_equal(Streams(children[0]).normal(1, "power", 3), Streams(children[1]).normal(1, "power", 3))
    assert not np.array_equal(Streams(children[0]).normal(1, "power", 3), Streams(root).normal(1, "power", 3))


def test_phase_ids_are_fixed():
    assert PHASES == {"mesa": 0, "domestic": 1, "institutions": 2, "power": 3, "evaluation": 4,
                      "strategies": 5, "decisions": 6, "contagion": 7, "lifecycle": 8}
