"""Tables to files, fast: CSV that a spreadsheet opens and Parquet that pandas reads at once.

Both writers take pandas DataFrames (or Arrow tables) and can be given a table in pieces (the
membership panel comes a year at a time), so memory stays flat however long the run. Both are
built on Arrow's compute kernels: no Python loop over rows or values.

The CSV is written as pandas writes it with ``float_format="%.10g"``, save the form of some
numbers:

* numbers have at most 10 significant digits (rounded half to even), written in the shortest
  form that reads back as that value: ``0.1``, ``2025``, ``0.000015``, ``1.5e-7``,
  ``1.23456789e+12`` (where ``%.10g`` wrote ``1.5e-05`` and ``1.5e-07``); magnitudes below
  1e-13 or from 1e32 keep all their digits;
* missing numbers (NaN) are empty fields; ``inf`` and ``-inf`` are written so;
* booleans are ``True`` and ``False``;
* text is quoted only when it holds a comma, a double quote or a line break, with its quotes
  doubled; lines end with ``\\n``; the file is UTF-8.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

if TYPE_CHECKING:
    import pandas as pd

SIGNIFICANT_DIGITS = 10
#: 10**k for k = 0…22, each exactly representable as a double (10**23 is not).
_EXACT_POWERS_OF_TEN = np.array([float(10**k) for k in range(23)])
#: Rows formatted at once when writing CSV (bounds the memory of the text being made).
CSV_BATCH_ROWS = 65_536
#: Rows per Parquet row group (pieces are gathered until there are this many).
PARQUET_ROW_GROUP_ROWS = 262_144


def round_significant(values: np.ndarray, digits: int = SIGNIFICANT_DIGITS) -> np.ndarray:
    """``values`` rounded to ``digits`` significant digits (half to even).

    Each result is the double nearest to a decimal number of at most ``digits`` significant
    digits, so its shortest representation has at most that many digits: with
    e = ⌊log10 |x|⌋ and s = digits − 1 − e, the result is rint(x·10^s) / 10^s, computed with
    exact powers of ten (so one rounding in the product and one in the quotient). Zeros,
    infinities, NaN and values whose s falls outside [−22, 22] (where 10^|s| is not exact)
    are returned unchanged.

    >>> round_significant(np.array([1 / 3, 2 / 3, 123456789012.0, -0.000123456789012345]), 10).tolist()
    [0.3333333333, 0.6666666667, 123456789000.0, -0.000123456789]
    """
    values = np.asarray(values, dtype=np.float64)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        shift = digits - 1 - np.floor(np.log10(np.abs(values)))
        usable = np.abs(shift) <= 22  # False for zeros, infinities and NaN too
        k = np.where(usable, shift, 0).astype(np.int64)
        power = _EXACT_POWERS_OF_TEN[np.abs(k)]
        rounded = np.where(k >= 0, np.rint(values * power) / power, np.rint(values / power) * power)
    return np.where(usable, rounded, values)


def as_table(data: pd.DataFrame | pa.Table) -> pa.Table:
    """An Arrow table of a DataFrame's columns (its index left out); columns that are all
    missing and of no type become text."""
    table = data if isinstance(data, pa.Table) else pa.Table.from_pandas(data, preserve_index=False, nthreads=1)
    for i, field in enumerate(table.schema):
        if pa.types.is_null(field.type):
            table = table.set_column(i, pa.field(field.name, pa.string()), table.column(i).cast(pa.string()))
    return table


# --- CSV -----------------------------------------------------------------------------------------

def _quoted_where_needed(text: pa.Array) -> pa.Array:
    """Text cells as CSV fields: quoted, quotes doubled, only where a comma, quote or line break is."""
    needs = pc.match_substring_regex(text, r'[",\r\n]')
    if not pc.any(needs).as_py():
        return text
    quoted = pc.binary_join_element_wise('"', pc.replace_substring(text, '"', '""'), '"', "")
    return pc.if_else(needs, quoted, text)


def csv_cells(column: pa.Array) -> pa.Array:
    """One column's CSV fields as text (null where the field is empty); see the module."""
    kind = column.type
    if pa.types.is_dictionary(kind):
        column, kind = column.dictionary_decode(), kind.value_type
    if pa.types.is_floating(kind):
        values = column.to_numpy(zero_copy_only=False).astype(np.float64)
        return pc.cast(pa.array(round_significant(values), from_pandas=True), pa.string())
    if pa.types.is_boolean(kind):
        return pc.if_else(column, "True", "False")
    if pa.types.is_integer(kind):
        return pc.cast(column, pa.string())
    return _quoted_where_needed(pc.cast(column, pa.string()))


def csv_bytes(table: pa.Table | pa.RecordBatch, header: bool = False) -> bytes:
    """The rows of ``table`` as CSV (UTF-8, ``\\n`` line ends), after a header line if asked."""
    head = (",".join(_quoted_where_needed(pa.array(table.column_names, pa.string())).to_pylist()) + "\n"
            if header else "").encode("utf-8")
    if table.num_rows == 0:
        return head
    columns = [column.combine_chunks() if isinstance(column, pa.ChunkedArray) else column
               for column in table.columns]
    rows = pc.binary_join_element_wise(*map(csv_cells, columns), ",", null_handling="replace")
    lines = pc.binary_join_element_wise(rows, "", "\n")
    offsets = np.frombuffer(lines.buffers()[1], dtype=np.int32)[lines.offset:lines.offset + len(lines) + 1]
    return head + memoryview(lines.buffers()[2])[offsets[0]:offsets[-1]].tobytes()


class _InOrder:
    """Runs jobs one after another on a thread of its own, so that formatting, compressing and
    writing (Arrow and numpy release the GIL) go on while the caller computes the next piece.
    A job's error is raised by the next :meth:`submit` or by :meth:`finish`; at most
    ``backlog`` jobs wait, so memory stays bounded when the disk is slower than the caller."""

    def __init__(self, backlog: int = 8):
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="exitsim-writer")
        self._jobs: deque[Future] = deque()
        self._backlog = backlog

    def submit(self, job: Callable[..., object], *args) -> None:
        while self._jobs and (self._jobs[0].done() or len(self._jobs) >= self._backlog):
            self._jobs.popleft().result()
        self._jobs.append(self._executor.submit(job, *args))

    def finish(self, cancel: bool = False) -> None:
        """Wait for the jobs (or, with ``cancel``, for the running one only) and raise the first error."""
        self._executor.shutdown(wait=True, cancel_futures=cancel)
        jobs, self._jobs = self._jobs, deque()
        if not cancel:
            for job in jobs:
                job.result()


class _TableFile:
    """A table file written in pieces with the same columns, on a writer thread (:class:`_InOrder`).

    ``close`` waits for every piece to be written; leaving a ``with`` block on an error drops
    the pieces not yet written and closes the file as it is."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self._schema: pa.Schema | None = None
        self._worker = _InOrder()
        self._closed = False

    def write(self, data: pd.DataFrame | pa.Table) -> None:
        table = as_table(data)
        if self._schema is None:
            self._schema = table.schema
        elif table.column_names != self._schema.names:
            raise ValueError(f"{self.path.name}: columns {table.column_names} differ from {self._schema.names}")
        elif not table.schema.equals(self._schema):
            table = table.cast(self._schema)
        self._worker.submit(self._append, table)

    def close(self) -> None:
        if not self._closed:
            self._closed = True
            self._worker.submit(self._finish)
            self._worker.finish()

    def abandon(self) -> None:
        if not self._closed:
            self._closed = True
            self._worker.finish(cancel=True)
            self._release()

    def __enter__(self):
        return self

    def __exit__(self, error_type, *exc_info) -> None:
        if error_type is None:
            self.close()
        else:
            self.abandon()

    def _append(self, table: pa.Table) -> None:
        raise NotImplementedError

    def _finish(self) -> None:
        raise NotImplementedError

    def _release(self) -> None:
        raise NotImplementedError


class CsvWriter(_TableFile):
    """Writes a table to a CSV file, given whole or in pieces with the same columns.

    >>> import tempfile, pandas as pd
    >>> path = Path(tempfile.mkdtemp()) / "shares.csv"
    >>> with CsvWriter(path) as writer:
    ...     writer.write(pd.DataFrame({"year": [2025], "share": [1 / 3]}))
    ...     writer.write(pd.DataFrame({"year": [2026], "share": [0.5]}))
    >>> print(path.read_text(), end="")
    year,share
    2025,0.3333333333
    2026,0.5
    """

    def __init__(self, path: Path):
        super().__init__(path)
        self._file: BinaryIO = open(self.path, "wb")
        self._header = True

    def _append(self, table: pa.Table) -> None:
        if self._header:
            self._file.write(csv_bytes(table.slice(0, 0), header=True))
            self._header = False
        for batch in table.to_batches(max_chunksize=CSV_BATCH_ROWS):
            self._file.write(csv_bytes(batch))

    def _finish(self) -> None:
        self._file.close()

    def _release(self) -> None:
        self._file.close()


def write_csv(data: pd.DataFrame | pa.Table, path: Path) -> None:
    """Write a whole table to ``path`` as CSV."""
    with CsvWriter(path) as writer:
        writer.write(data)


# --- Parquet -------------------------------------------------------------------------------------

class ParquetWriter(_TableFile):
    """Writes a table to a Parquet file (zstd-compressed, dictionary-encoded where values
    repeat), given whole or in pieces with the same columns; pieces are gathered into row
    groups of :data:`PARQUET_ROW_GROUP_ROWS` rows."""

    def __init__(self, path: Path):
        super().__init__(path)
        self._file: pq.ParquetWriter | None = None
        self._pending: list[pa.Table] = []
        self._pending_rows = 0

    def _append(self, table: pa.Table) -> None:
        if self._file is None:
            self._file = pq.ParquetWriter(self.path, table.schema, compression="zstd")
        self._pending.append(table)
        self._pending_rows += table.num_rows
        if self._pending_rows >= PARQUET_ROW_GROUP_ROWS:
            self._flush()

    def _flush(self) -> None:
        if self._pending_rows:
            self._file.write_table(pa.concat_tables(self._pending), row_group_size=PARQUET_ROW_GROUP_ROWS)
        self._pending, self._pending_rows = [], 0

    def _finish(self) -> None:
        if self._file is not None:
            self._flush()
            self._file.close()

    def _release(self) -> None:
        if self._file is not None:
            self._file.close()


def write_parquet(data: pd.DataFrame | pa.Table, path: Path) -> None:
    """Write a whole table to ``path`` as Parquet."""
    with ParquetWriter(path) as writer:
        writer.write(data)
