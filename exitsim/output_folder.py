"""A run's output folder: checked before the run, locked, staged, and swapped in whole.

A run never writes its files where a reader could see them half-done. :class:`OutputFolder`

1. checks the folder before the first year (:func:`check_output_folder`): it must be a folder
   or creatable as one, writable, and free of folders named like the run's files; and, once
   locked, it must not hold another command's results or files named like the run's that no
   run wrote there (which the swap would replace or remove);
2. locks it (``.exitsim.lock`` inside, an ``flock`` the system drops when the process dies),
   so a second run into the same folder is refused at once instead of mixing its files in;
3. gives the run a staging folder inside it (``.exitsim-staging``), where every file is written;
4. on :meth:`~OutputFolder.commit`, swaps the staged files in: the old ``run.json`` goes
   first, then each file is renamed over its old self (a rename on one disk, so no reader
   sees half a file), an earlier run's files this run did not write are removed, and the new
   ``run.json`` (which says ``"finished": true``) comes last. A folder whose ``run.json`` is
   missing is therefore in the middle of a swap, and one whose ``run.json`` is there holds
   one whole run.

A run that is killed leaves the previous results as they were, plus its staging folder. The
next run into the folder (which holds the lock, so no one else can be using it) removes that
staging folder, or completes its swap when it had got as far as the swap: so at most one
staging folder exists per output folder, whatever happens. Files other than a run's own are
never touched.

This protects against a killed process, not against a power cut: files are not forced to disk.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import threading
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

LOCK_NAME = ".exitsim.lock"
STAGING_NAME = ".exitsim-staging"
RECORD_NAME = "run.json"  # written last: its presence marks a whole run


class OutputFolderError(Exception):
    """The output folder cannot take a run's files; the message says why and what to do."""


def check_output_folder(folder: str | Path, names: Iterable[str]) -> None:
    """Check that a run could write the files ``names`` into ``folder``, changing nothing.

    Raises:
        OutputFolderError: ``folder`` is a file or lies inside one, is not writable, or holds a
            folder where a run's file would go.
    """
    if str(folder) == "":
        raise OutputFolderError("the output folder's name is empty: give one, e.g. --out results/mine")
    folder = Path(folder)
    existing = folder
    while not existing.exists() and not existing.is_symlink():
        if existing.parent == existing:
            break
        existing = existing.parent
    if existing.is_symlink() and not existing.exists():
        raise OutputFolderError(f"{existing} is a broken link: remove it or choose another folder")
    if not existing.is_dir():
        if existing == folder:
            raise OutputFolderError(f"{folder} is a file, not a folder: choose a folder for the results")
        raise OutputFolderError(f"cannot make the folder {folder}: {existing} is a file, not a folder")
    if not os.access(existing, os.W_OK | os.X_OK):
        where = "" if existing == folder else f" (cannot make {folder} in it)"
        raise OutputFolderError(f"the folder {existing} is not writable{where}: choose another folder")
    if existing == folder:
        for name in (*names, RECORD_NAME):
            path = folder / name
            if path.is_dir():
                raise OutputFolderError(f"{path} is a folder, where the run writes a file of that name: "
                                        "move it away or choose another folder")


def _check_ownership(folder: Path, names: tuple[str, ...]) -> None:
    """Refuse a folder whose files this run would replace or remove but did not write: another
    command's results (a compare's in a run's folder, or the reverse), or files named like a
    run's that no run wrote (someone's own ``summary.md``). Checked under the lock."""
    record = _record(folder / RECORD_NAME)
    if record is not None and not set(record["files"]) <= set(names):
        others = sorted(set(record["files"]) - set(names))
        raise OutputFolderError(f"{folder} holds the results of another command (its run.json lists "
                                f"{', '.join(others)}): choose another folder (nothing was written)")
    foreign = _foreign_files(folder, names, record)
    if foreign:
        raise OutputFolderError(
            f"{folder} holds {', '.join(foreign)}, which no earlier run wrote there (no run.json of a run "
            "lists them), and a run would replace or remove them: move them away or choose another folder "
            "(nothing was written)")


def _foreign_files(folder: Path, names: Iterable[str], record: dict | None) -> list[str]:
    """The files of ``folder`` named like a run's that no run wrote: the folder's ``run.json``
    (``record``, None if it has none) does not list them. A run replaces or removes the files of
    these names, so it must not meet someone's own ``summary.md``. (A swap left half-done is
    completed before this is asked.)"""
    present = [name for name in dict.fromkeys(names) if (folder / name).is_file() or (folder / name).is_symlink()]
    own = {*record["files"], RECORD_NAME} if record is not None else set()
    return [name for name in present if name not in own]


def _record(path: Path) -> dict | None:
    """A run's ``run.json`` (a mapping with its list of ``files``), or None for anything else."""
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return record if isinstance(record, dict) and isinstance(record.get("files"), list) else None


class OutputFolder:
    """The output folder of one run, locked and staged while the run lasts (see the module).

    Use it as a context manager: on entry the folder is checked, made if needed and locked, a
    stale staging folder is cleared, and :attr:`staging` is ready for the run's files. Call
    :meth:`commit` once every file is written. On exit, a run that did not commit leaves the
    folder as it was before it (its staging folder removed, and the folders the run made, if
    it wrote nothing else into them); a swap that failed half-way keeps its staging folder, for
    the next run to complete. The lock is released.

    Args:
        path: The output folder (an empty name is refused, not taken as the current folder).
        names: Every file name a run may write (an earlier run's files of these names that
            this run does not write are removed on commit).
    """

    def __init__(self, path: str | Path, names: Iterable[str]):
        self.given = path
        self.path = Path(path)
        self.names = tuple(dict.fromkeys((*names, RECORD_NAME)))
        self.staging = self.path / STAGING_NAME
        self._lock: _Lock | None = None
        self._made: list[Path] = []  # the folders this run made, innermost first
        self.swap_started = False
        self.committed = False

    def __enter__(self) -> OutputFolder:
        try:
            check_output_folder(self.given, self.names)
            self._made = [p for p in (self.path, *self.path.parents) if not p.exists()]
            self.path.mkdir(parents=True, exist_ok=True)
            self._lock = _Lock.acquire(self.path / LOCK_NAME)
            try:
                self._clear_stale()  # a swap left half-done is completed first
                _check_ownership(self.path, self.names)
                self.staging.mkdir()
            except BaseException:
                self._release()
                raise
        except OSError as error:
            raise OutputFolderError(f"cannot write to {self.path}: {error.strerror or error}") from None
        return self

    def __exit__(self, *exc_info) -> None:
        if not self.swap_started:  # a swap that failed half-way is completed by the next run
            shutil.rmtree(self.staging, ignore_errors=True)
        self._release()

    def commit(self) -> None:
        """Swap the staged files in (Ctrl-C waits until the swap is done). ``run.json`` must be
        the last file written to :attr:`staging`: it lists the run's files."""
        if _finished_record(self.staging) is None:
            raise RuntimeError(f"nothing to commit: {RECORD_NAME} was not written to {self.staging}")
        with _interrupts_deferred():
            self.swap_started = True
            _swap_in(self.staging, self.path, self.names)
            self.committed = True

    @property
    def existed(self) -> bool:
        """Whether the folder was there before this run (else the run made it)."""
        return self.path not in self._made

    def _clear_stale(self) -> None:
        """What a killed run left: its staging folder (its swap completed if it got that far)
        and the ``.NAME.partial`` files of the earlier file layout."""
        for name in self.names:
            (self.path / f".{name}.partial").unlink(missing_ok=True)
        if self.staging.is_symlink() or self.staging.is_file():
            self.staging.unlink()
        elif self.staging.is_dir():
            if _finished_record(self.staging) is not None:
                _swap_in(self.staging, self.path, self.names)
            else:
                shutil.rmtree(self.staging)

    def _release(self) -> None:
        if self._lock is None:
            return
        lock, self._lock = self._lock, None
        try:  # a run that made the folder and wrote nothing leaves no empty folders behind
            empty = not self.swap_started and self._made and [p.name for p in self.path.iterdir()] == [LOCK_NAME]
        except OSError:
            empty = False
        lock.release(unlink=True)
        for folder in self._made if empty else ():
            try:
                folder.rmdir()
            except OSError:
                break


def _swap_in(staging: Path, folder: Path, names: tuple[str, ...]) -> None:
    """Move a finished run's files from ``staging`` into ``folder`` (see the module's order).
    Safe to repeat after an interruption: ``run.json`` in ``staging`` says which files are the run's."""
    files = set(_finished_record(staging)["files"])
    (folder / RECORD_NAME).unlink(missing_ok=True)
    for name in names:
        if name == RECORD_NAME:
            continue
        if (staging / name).exists():
            os.replace(staging / name, folder / name)
        elif name not in files:
            (folder / name).unlink(missing_ok=True)
    os.replace(staging / RECORD_NAME, folder / RECORD_NAME)
    shutil.rmtree(staging, ignore_errors=True)


def _finished_record(staging: Path) -> dict | None:
    """The staged ``run.json`` if the staged run is complete (it is written last), else None."""
    return _record(staging / RECORD_NAME)


class _Lock:
    """An exclusive lock held through an open lock file (``flock``; ``msvcrt.locking`` on
    Windows). The lock file says who holds it, for the message a refused run prints."""

    def __init__(self, path: Path, fd: int):
        self.path, self.fd = path, fd

    @classmethod
    def acquire(cls, path: Path) -> _Lock:
        while True:
            fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
            try:
                if not _try_lock(fd):
                    holder = os.read(fd, 200).decode("utf-8", "replace").strip() or "another run"
                    raise OutputFolderError(f"{path.parent} is being written by {holder}: wait for that run to "
                                            "end, or choose another folder (--out)")
                # the file may have been removed by its previous holder after we opened it:
                # then our lock is on a file no one else will find, so start again
                try:
                    same = os.path.samestat(os.fstat(fd), os.stat(path))
                except FileNotFoundError:
                    same = False
                if same:
                    started = time.strftime("%Y-%m-%d %H:%M:%S")
                    os.ftruncate(fd, 0)
                    os.write(fd, f"process {os.getpid()} on {socket.gethostname()} since {started}\n".encode())
                    return cls(path, fd)
            except BaseException:
                os.close(fd)
                raise
            os.close(fd)

    def release(self, unlink: bool) -> None:
        """Unlock; with ``unlink``, remove the lock file first (while still holding it, so no
        other run can be locking it at that moment)."""
        try:
            if unlink and os.name != "nt":
                self.path.unlink(missing_ok=True)
        finally:
            os.close(self.fd)  # closing the file releases the lock
        if unlink and os.name == "nt":
            try:
                self.path.unlink(missing_ok=True)
            except OSError:
                pass


def _try_lock(fd: int) -> bool:
    """Lock ``fd`` exclusively without waiting: True if locked, False if another holds it."""
    try:
        import fcntl
    except ImportError:  # Windows
        import msvcrt

        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


@contextmanager
def _interrupts_deferred() -> Iterator[None]:
    """Hold back Ctrl-C (SIGINT) for the duration; raise it afterwards if it came."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    received: list[int] = []
    previous = signal.signal(signal.SIGINT, lambda signum, frame: received.append(signum))
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
    if received:
        raise KeyboardInterrupt
