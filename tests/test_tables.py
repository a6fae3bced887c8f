"""Tables to files (exitsim/tables.py): the CSV text, number by number, and Parquet read back."""

from decimal import Decimal

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest
from hypothesis import given
from hypothesis import strategies as st

from exitsim.tables import CsvWriter, ParquetWriter, csv_bytes, round_significant, write_csv, write_parquet


def test_csv_text_of_a_hand_made_table():
    frame = pd.DataFrame({
        "year": [2025, 2026, 2027],
        "state": ["USA", "Côte d'Ivoire", ""],
        "detail": ["left, then came back", 'said "no"', "two\nlines"],
        "value": [1 / 3, 1.5e-7, np.nan],
        "big": [123456789012.0, -0.0, np.inf],
        "leads": [True, False, True],
    })
    assert csv_bytes(pa.Table.from_pandas(frame), header=True).decode("utf-8") == (
        "year,state,detail,value,big,leads\n"
        '2025,USA,"left, then came back",0.3333333333,1.23456789e+11,True\n'
        '2026,Côte d\'Ivoire,"said ""no""",1.5e-7,-0,False\n'
        '2027,,"two\nlines",,inf,True\n')


def test_round_significant_keeps_ten_digits_half_to_even():
    values = np.array([2 / 3, 0.12345678915, 987654321.49, 9999999999.7, 1e-13, 5e-324, 0.0, np.nan, -np.inf])
    assert round_significant(values).tolist()[:4] == [0.6666666667, 0.1234567892, 987654321.5, 10000000000.0]
    assert round_significant(values)[4:7].tolist() == [1e-13, 5e-324, 0.0]  # exact or out of range: unchanged
    assert np.isnan(round_significant(values)[7]) and round_significant(values)[8] == -np.inf


@given(st.floats(min_value=1e-12, max_value=1e30) | st.floats(min_value=-1e30, max_value=-1e-12))
def test_round_significant_is_within_half_a_unit_of_the_tenth_digit_and_short(x):
    rounded = float(round_significant(np.array([x]))[0])
    tenth_digit = Decimal(10) ** (Decimal(x).adjusted() - 9)
    assert abs(Decimal(rounded) - Decimal(x)) <= tenth_digit / 2 * Decimal("1.000001")
    assert len(Decimal(repr(rounded)).normalize().as_tuple().digits) <= 10


cells = st.fixed_dictionaries({
    "year": st.integers(1800, 3000),
    "code": st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=8),
    "amount": st.floats(allow_nan=True, allow_infinity=False, width=64).filter(lambda v: v != v or 1e-12 < abs(v) < 1e30
                                                                            or v == 0),
    "flag": st.booleans(),
})


@given(st.lists(st.lists(cells, min_size=0, max_size=6), min_size=1, max_size=4))
def test_a_table_written_in_pieces_reads_back_as_written(tmp_path_factory, pieces):
    folder = tmp_path_factory.mktemp("tables")
    frames = [pd.DataFrame(rows, columns=["year", "code", "amount", "flag"]).astype(
        {"year": "int64", "code": "str", "amount": "float64", "flag": "bool"}) for rows in pieces]
    whole = pd.concat(frames, ignore_index=True)
    with CsvWriter(folder / "t.csv") as csv, ParquetWriter(folder / "t.parquet") as parquet:
        for frame in frames:
            csv.write(frame)
            parquet.write(frame)
    write_csv(whole, folder / "whole.csv")
    assert (folder / "t.csv").read_bytes() == (folder / "whole.csv").read_bytes()
    back = pd.read_csv(folder / "t.csv", keep_default_na=False, na_values={"amount": [""]},
                       dtype={"code": "str", "amount": "float64"})
    assert back["year"].tolist() == whole["year"].tolist() and back["flag"].tolist() == whole["flag"].tolist()
    assert back["code"].tolist() == whole["code"].tolist()
    np.testing.assert_allclose(back["amount"], whole["amount"], rtol=5.000001e-10, atol=0)
    pd.testing.assert_frame_equal(pd.read_parquet(folder / "t.parquet"), whole)


def test_a_run_panel_reads_back_as_pandas_wrote_it(default_run, tmp_path):
    panel = default_run.membership_panel()
    write_csv(panel, tmp_path / "ours.csv")
    panel.to_csv(tmp_path / "pandas.csv", index=False, float_format="%.10g")
    ours, theirs = pd.read_csv(tmp_path / "ours.csv"), pd.read_csv(tmp_path / "pandas.csv")
    pd.testing.assert_frame_equal(ours, theirs, rtol=1e-9)
    assert list(ours.columns) == list(panel.columns)


def test_an_empty_table_is_its_header_and_an_untyped_column_becomes_text(tmp_path):
    empty = pd.DataFrame({"year": pd.Series([], dtype="int64"), "state": pd.Series([], dtype=object)})
    write_csv(empty, tmp_path / "e.csv")
    write_parquet(empty, tmp_path / "e.parquet")
    assert (tmp_path / "e.csv").read_text() == "year,state\n"
    schema = pa.parquet.read_schema(tmp_path / "e.parquet")
    assert schema.field("state").type == pa.string() and schema.field("year").type == pa.int64()


def test_pieces_with_other_columns_are_refused(tmp_path):
    with CsvWriter(tmp_path / "t.csv") as writer:
        writer.write(pd.DataFrame({"a": [1]}))
        with pytest.raises(ValueError, match="columns"):
            writer.write(pd.DataFrame({"b": [1]}))
