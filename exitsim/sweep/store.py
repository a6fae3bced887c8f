"""The results store of a sweep: a folder a killed sweep leaves readable and resumable.

::

    results/<experiment>/
      manifest.json        versions, git commit, the experiment's and base scenario's text and
                           hashes, root seed, design (written once, when the sweep starts)
      design.parquet       one row per design point: its factors' values
      design_units.parquet sampled designs: each point's coordinates in [0, 1] (for SALib)
      runs.parquet         one row per run: run_id, point, replication, seed (its spawn key)
      status.jsonl         append-only log: a line per session start and end, a line per run
                           done (with the file holding it) or failed (with its traceback)
      yearly/  horizon/  events/  cascades/  states/  memberships/
                           Parquet parts: one file per worker per batch

Every file is written whole under a temporary name and renamed into place, so a folder never
holds half a file. The status log is only appended to (by the parent process) in whole lines;
a torn last line, left by a kill in the middle of a write, is ignored. A run counts as done
when the log says so: rows of runs the log does not record as done in that very file (a batch
whose log lines were never written) are ignored by readers and removed on resume.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pandas as pd

from .worker import TABLES

MANIFEST = "manifest.json"
STATUS = "status.jsonl"
LOCK = ".lock"
FORMAT = 1


class StoreError(Exception):
    """A store that cannot be used as asked; the message says why and what to do."""


def require_pyarrow() -> None:
    """Raise an error saying what to install when pyarrow (Parquet) is missing."""
    try:
        import pyarrow  # noqa: F401
        import pyarrow.parquet  # noqa: F401
    except ImportError:
        raise StoreError("a sweep writes its results as Parquet, which needs pyarrow: "
                         "pip install pyarrow (exitsim installs it; it is missing from this environment)") from None


def _temporary(path: Path) -> Path:
    return path.with_name(f".{path.name}.partial")


def _replace_synced(tmp: Path, path: Path) -> None:
    with open(tmp, "rb") as file:
        os.fsync(file.fileno())
    os.replace(tmp, path)


def write_bytes(path: Path, data: bytes) -> None:
    """Write a file whole: a temporary file, synced, then renamed into place."""
    tmp = _temporary(path)
    tmp.write_bytes(data)
    _replace_synced(tmp, path)


def write_frame(path: Path, frame: pd.DataFrame) -> Path:
    """Write a DataFrame as one Parquet file, whole."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = _temporary(path)
    pq.write_table(pa.Table.from_pandas(frame, preserve_index=False), tmp)
    _replace_synced(tmp, path)
    return path


def write_part(store: str | Path, table: str, part: str, frame: pd.DataFrame) -> Path | None:
    """Write a batch's rows of one table as ``<store>/<table>/<part>.parquet``."""
    if not len(frame):
        return None
    return write_frame(Path(store) / table / f"{part}.parquet", frame)


def read_frame(path: Path) -> pd.DataFrame:
    import pyarrow.parquet as pq

    return pq.read_table(path).to_pandas()


# --- provenance ---------------------------------------------------------------------------------

def _git(*args: str) -> str | None:
    try:
        result = subprocess.run(["git", *args], cwd=Path(__file__).resolve().parent, capture_output=True,
                                text=True, timeout=10)
    except (OSError, subprocess.SubprocessError):
        return None
    return result.stdout if result.returncode == 0 else None


def source_hash() -> str:
    """A hash of exitsim's own files (its code and packaged data), with or without git."""
    package = Path(__file__).resolve().parent.parent
    digest = hashlib.sha256()
    for path in sorted(package.rglob("*")):
        if path.is_file() and path.suffix in (".py", ".yaml", ".csv", ".md") and "__pycache__" not in path.parts:
            digest.update(str(path.relative_to(package)).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def code_record() -> dict[str, Any]:
    """What code makes the results: versions, git commit and dirty flag, a hash of the source."""
    from ..outputs import versions

    commit = _git("rev-parse", "HEAD")
    status = _git("status", "--porcelain", "--untracked-files=no")
    record = {k: v for k, v in versions().items() if k != "platform"}
    return {"versions": record, "git_commit": commit.strip() if commit else None,
            "git_dirty": bool(status.strip()) if status is not None else None, "source_hash": source_hash()}


def code_differences(old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    """How the code that made a store differs from this code, in words (empty: the same)."""
    found = []
    for name in sorted(set(old.get("versions", {})) | set(new.get("versions", {}))):
        a, b = old.get("versions", {}).get(name), new.get("versions", {}).get(name)
        if a != b:
            found.append(f"{name} {a} → {b}")
    if old.get("git_commit") != new.get("git_commit"):
        found.append(f"git commit {str(old.get('git_commit'))[:12]} → {str(new.get('git_commit'))[:12]}")
    if old.get("source_hash") != new.get("source_hash"):
        found.append("exitsim's source files differ")
    return found


# --- the store -------------------------------------------------------------------------------------

class Store:
    """A sweep's folder: manifest, tables, status log and parts."""

    def __init__(self, path: str | Path):
        self.path = Path(path)

    @property
    def manifest_path(self) -> Path:
        return self.path / MANIFEST

    @property
    def status_path(self) -> Path:
        return self.path / STATUS

    def exists(self) -> bool:
        """True when the folder holds anything (a store or other files)."""
        return self.path.is_dir() and any(p.name != LOCK for p in self.path.iterdir())

    def is_store(self) -> bool:
        return self.manifest_path.is_file()

    def manifest(self) -> dict[str, Any]:
        try:
            return json.loads(self.manifest_path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise StoreError(f"{self.path} holds no sweep (no {MANIFEST})") from None
        except (OSError, json.JSONDecodeError) as error:
            raise StoreError(f"{self.manifest_path} cannot be read: {error}") from None

    def write_manifest(self, manifest: dict[str, Any]) -> None:
        self.path.mkdir(parents=True, exist_ok=True)
        write_bytes(self.manifest_path, (json.dumps(manifest, indent=2, ensure_ascii=False) + "\n").encode())

    def write_table(self, name: str, frame: pd.DataFrame) -> Path:
        return write_frame(self.path / f"{name}.parquet", frame)

    def table(self, name: str) -> pd.DataFrame:
        path = self.path / f"{name}.parquet"
        if not path.is_file():
            raise StoreError(f"{self.path} has no {path.name}")
        return read_frame(path)

    @contextlib.contextmanager
    def lock(self) -> Iterator[None]:
        """Keep a second sweep out of the folder while this one writes to it."""
        import fcntl

        self.path.mkdir(parents=True, exist_ok=True)
        with open(self.path / LOCK, "a+") as handle:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                raise StoreError(f"another sweep is writing to {self.path}; wait for it or choose another "
                                 "--out") from None
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    # --- the status log ---------------------------------------------------------------------------
    def status(self) -> Iterator[dict[str, Any]]:
        """The status log's records; a torn or unreadable line (a kill mid-write) is skipped."""
        try:
            handle = open(self.status_path, encoding="utf-8", errors="replace")
        except FileNotFoundError:
            return
        with handle:
            for line in handle:
                if not line.endswith("\n"):
                    return  # the last line, torn
                try:
                    record = json.loads(line)
                except json.JSONDecodeError:
                    continue
                if isinstance(record, dict):
                    yield record

    def append_status(self, records: list[dict[str, Any]]) -> None:
        """Append whole lines to the status log in one write, and sync them to disk."""
        if not records:
            return
        data = "".join(json.dumps(r, ensure_ascii=False, separators=(",", ":")) + "\n" for r in records).encode()
        fd = os.open(self.status_path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
        try:
            size = os.fstat(fd).st_size
            if size:  # a torn last line is closed first, so it stays a line of its own
                with open(self.status_path, "rb") as handle:
                    handle.seek(size - 1)
                    if handle.read(1) != b"\n":
                        data = b"\n" + data
            os.write(fd, data)
            os.fsync(fd)
        finally:
            os.close(fd)

    def run_states(self) -> tuple[dict[str, str], dict[str, dict[str, Any]]]:
        """From the log: the runs done (run id → the part holding it) and those whose last
        attempt failed (run id → the record, with its error and traceback)."""
        done: dict[str, str] = {}
        failed: dict[str, dict[str, Any]] = {}
        for record in self.status():
            if record.get("kind") != "run":
                continue
            run = record.get("run")
            if record.get("status") == "done":
                done[run] = record.get("part")
                failed.pop(run, None)
            elif record.get("status") == "failed" and run not in done:
                failed[run] = record
        return done, failed

    def sessions(self) -> int:
        """How many sessions (a start and a resume each) have written to the log."""
        return sum(1 for r in self.status() if r.get("kind") == "start")

    # --- parts -----------------------------------------------------------------------------------
    def parts(self, table: str) -> list[Path]:
        folder = self.path / table
        return sorted(folder.glob("[!.]*.parquet")) if folder.is_dir() else []

    def read(self, table: str, done: dict[str, str] | None = None) -> pd.DataFrame | None:
        """A table's rows of the runs the log records as done, from the file it names for each."""
        if done is None:
            done, _ = self.run_states()
        by_part: dict[str, set[str]] = {}
        for run, part in done.items():
            by_part.setdefault(part, set()).add(run)
        frames = []
        for path in self.parts(table):
            runs = by_part.get(path.stem)
            if not runs:
                continue
            frame = read_frame(path)
            frames.append(frame[frame["run_id"].isin(runs)])
        frames = [f for f in frames if len(f)]
        if not frames:
            return None
        return pd.concat(frames, ignore_index=True)

    def remove_orphans(self, done: dict[str, str]) -> list[Path]:
        """Delete temporary files and parts that hold no run the log records as done there."""
        parts = set(done.values())
        removed = []
        for table in TABLES:
            folder = self.path / table
            if not folder.is_dir():
                continue
            for path in folder.iterdir():
                if path.name.startswith(".") or (path.suffix == ".parquet" and path.stem not in parts):
                    path.unlink(missing_ok=True)
                    removed.append(path)
        for path in self.path.glob(".*.partial"):
            path.unlink(missing_ok=True)
            removed.append(path)
        return removed
