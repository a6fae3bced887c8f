"""A run's output folder (exitsim/output_folder.py): checked, locked, staged, swapped in whole."""

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from exitsim.output_folder import LOCK_NAME, STAGING_NAME, OutputFolder, OutputFolderError, check_output_folder

NAMES = ("a.csv", "b.csv", "c.parquet")


def stage(folder: OutputFolder, files: dict[str, str]) -> None:
    """Write a run's files into the staging folder, run.json last (as write_run does)."""
    for name, text in files.items():
        (folder.staging / name).write_text(text)
    record = {"finished": True, "files": sorted([*files, "run.json"])}
    (folder.staging / "run.json").write_text(json.dumps(record))


def listing(path: Path) -> dict[str, str]:
    """The files in ``path``: name -> text (folders and the lock left out)."""
    return {p.name: p.read_text() for p in sorted(path.iterdir()) if p.is_file() and p.name != LOCK_NAME}


def test_a_committed_run_replaces_its_own_files_and_leaves_others(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "notes.txt").write_text("mine")
    for name in ("a.csv", "c.parquet"):
        (out / name).write_text("old")
    (out / "run.json").write_text(json.dumps({"finished": True, "files": ["a.csv", "c.parquet", "run.json"]}))
    with OutputFolder(out, NAMES) as folder:
        stage(folder, {"a.csv": "new a", "b.csv": "new b"})
        assert listing(out)["a.csv"] == "old"  # nothing seen before the commit
        folder.commit()
    files = listing(out)
    assert files.keys() == {"notes.txt", "a.csv", "b.csv", "run.json"}  # c.parquet: not this run's
    assert (files["notes.txt"], files["a.csv"], files["b.csv"]) == ("mine", "new a", "new b")
    assert json.loads(files["run.json"])["files"] == ["a.csv", "b.csv", "run.json"]


def test_a_run_that_does_not_commit_leaves_the_folder_as_it_was(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "a.csv").write_text("old")
    (out / "run.json").write_text(json.dumps({"finished": True, "files": ["a.csv", "run.json"]}))
    before = listing(out)
    with pytest.raises(KeyboardInterrupt), OutputFolder(out, NAMES) as folder:
        stage(folder, {"a.csv": "new"})
        raise KeyboardInterrupt
    assert listing(out) == before


def test_the_folders_the_run_made_are_removed_when_nothing_was_written(tmp_path):
    out = tmp_path / "new" / "out"
    with pytest.raises(RuntimeError), OutputFolder(out, NAMES):
        raise RuntimeError("the world could not be built")
    assert list(tmp_path.iterdir()) == []


def test_a_second_run_into_a_locked_folder_is_refused_and_names_the_first(tmp_path):
    out = tmp_path / "out"
    with OutputFolder(out, NAMES) as first:
        with pytest.raises(OutputFolderError, match=rf"{out} is being written by process {os.getpid()} on "):
            OutputFolder(out, NAMES).__enter__()
        stage(first, {"a.csv": "first"})
        first.commit()
    assert sorted(p.name for p in out.iterdir()) == ["a.csv", "run.json"]  # no lock, no staging left
    with OutputFolder(out, NAMES) as second:  # free again
        assert second.staging.is_dir()


def test_a_lock_file_left_by_a_killed_run_does_not_block(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / LOCK_NAME).write_text("process 1 on elsewhere since long ago\n")
    with OutputFolder(out, NAMES) as folder:
        stage(folder, {"a.csv": "x"})
        folder.commit()
    assert not (out / LOCK_NAME).exists()


def test_a_killed_run_staging_is_removed_by_the_next(tmp_path):
    out = tmp_path / "out"
    (out / STAGING_NAME).mkdir(parents=True)
    (out / STAGING_NAME / "a.csv").write_text("half")
    (out / ".a.csv.partial").write_text("from the earlier file layout")
    (out / "b.csv").write_text("previous")
    record = json.dumps({"finished": True, "files": ["b.csv", "run.json"]})
    (out / "run.json").write_text(record)
    with OutputFolder(out, NAMES):
        assert listing(out / STAGING_NAME) == {}
    assert listing(out) == {"b.csv": "previous", "run.json": record}


def test_a_run_killed_in_the_middle_of_its_swap_is_completed_by_the_next(tmp_path):
    out = tmp_path / "out"
    staging = out / STAGING_NAME
    staging.mkdir(parents=True)
    # the killed run's swap had removed the old run.json and moved a.csv in; b.csv was still staged,
    # and c.parquet (an older run's file the killed run did not write) not yet removed
    (out / "a.csv").write_text("killed run's a")
    (out / "c.parquet").write_text("older run's c")
    (staging / "b.csv").write_text("killed run's b")
    (staging / "run.json").write_text(json.dumps({"finished": True, "files": ["a.csv", "b.csv", "run.json"]}))
    with OutputFolder(out, NAMES):
        pass
    files = listing(out)
    assert files.keys() == {"a.csv", "b.csv", "run.json"}
    assert (files["a.csv"], files["b.csv"]) == ("killed run's a", "killed run's b")


def test_ctrl_c_during_the_swap_waits_for_it_to_finish(tmp_path, monkeypatch):
    out = tmp_path / "out"
    real_replace = os.replace

    def replace_then_interrupt(source, target):
        real_replace(source, target)
        os.kill(os.getpid(), signal.SIGINT)

    with OutputFolder(out, NAMES) as folder:
        stage(folder, {"a.csv": "new a", "b.csv": "new b"})
        monkeypatch.setattr(os, "replace", replace_then_interrupt)
        with pytest.raises(KeyboardInterrupt):
            folder.commit()
        monkeypatch.undo()
    assert listing(out).keys() == {"a.csv", "b.csv", "run.json"}


UNUSABLE = ("a file", "inside a file", "a folder where a file goes", "an empty name")


def unusable_folder(tmp_path: Path, case: str, file_name: str) -> tuple[str, str]:
    """Make an output folder that cannot be used (one of :data:`UNUSABLE`): its path, and what
    the refusal says."""
    out = tmp_path / "out"
    if case == "a file":
        out.write_text("notes")
        return str(out), f"{out} is a file, not a folder: choose a folder for the results"
    if case == "inside a file":
        out.write_text("notes")
        return str(out / "sub"), f"cannot make the folder {out / 'sub'}: {out} is a file, not a folder"
    if case == "a folder where a file goes":
        (out / file_name).mkdir(parents=True)
        return str(out), (f"{out / file_name} is a folder, where the run writes a file of that name: "
                          "move it away or choose another folder")
    return "", "the output folder's name is empty: give one, e.g. --out results/mine"


@pytest.mark.parametrize("case", UNUSABLE)
def test_an_unusable_folder_is_refused_with_one_line_that_says_why(tmp_path, case):
    out, message = unusable_folder(tmp_path, case, "a.csv")
    before = sorted(tmp_path.rglob("*"))
    with pytest.raises(OutputFolderError) as error:
        OutputFolder(out, NAMES).__enter__()
    assert str(error.value) == message
    assert sorted(tmp_path.rglob("*")) == before


def _without_root_privileges():
    """For a child process: drop the capabilities that let root write into read-only folders."""
    import ctypes

    libc = ctypes.CDLL(None, use_errno=True)
    for capability in (1, 2):  # CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH
        if libc.prctl(24, capability, 0, 0, 0) != 0:  # PR_CAPBSET_DROP
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP)")


def run_unprivileged(code: str) -> subprocess.CompletedProcess:
    """Run Python ``code`` in a child process for which folder permissions hold, even as root."""
    preexec = _without_root_privileges if os.geteuid() == 0 else None
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120,
                          preexec_fn=preexec)


@pytest.mark.parametrize("where", ["the folder", "its parent"])
def test_a_read_only_folder_is_refused(tmp_path, where):
    parent = tmp_path / "ro"
    parent.mkdir()
    out = parent / "out" if where == "its parent" else parent
    parent.chmod(0o555)
    try:
        result = run_unprivileged(
            "from exitsim.output_folder import OutputFolder, OutputFolderError\n"
            f"try:\n    OutputFolder({str(out)!r}, ['a.csv']).__enter__()\n"
            "except OutputFolderError as error:\n    print(error)\n")
    finally:
        parent.chmod(0o755)
    expected = (f"the folder {parent} is not writable: choose another folder" if where == "the folder"
                else f"the folder {parent} is not writable (cannot make {out} in it): choose another folder")
    assert (result.stdout.strip(), result.stderr) == (expected, "")
    assert list(parent.iterdir()) == []


def test_check_output_folder_accepts_a_folder_to_be_made(tmp_path):
    check_output_folder(tmp_path / "a" / "b", NAMES)
    assert list(tmp_path.iterdir()) == []


def test_a_swap_that_fails_half_way_is_kept_and_completed_by_the_next_run(tmp_path, monkeypatch):
    out = tmp_path / "out"
    real_replace, moves = os.replace, []

    def replace_failing_second(source, target):
        moves.append(target)
        if len(moves) == 2:
            raise PermissionError(13, "Permission denied (the file is open in another program)")
        real_replace(source, target)

    with pytest.raises(PermissionError), OutputFolder(out, NAMES) as folder:
        stage(folder, {"a.csv": "new a", "b.csv": "new b"})
        monkeypatch.setattr(os, "replace", replace_failing_second)
        folder.commit()
    monkeypatch.undo()
    assert (out / STAGING_NAME / "run.json").exists() and not (out / "run.json").exists()
    with OutputFolder(out, NAMES):
        pass
    assert listing(out) == {"a.csv": "new a", "b.csv": "new b", "run.json": listing(out)["run.json"]}


@pytest.mark.parametrize("record", [None, "not a run's record", {"finished": True, "files": ["a.csv", "run.json"]}])
def test_files_named_like_a_runs_that_no_run_wrote_are_refused_and_kept(tmp_path, record):
    """Someone's own b.csv (or run.json) in the folder: no run.json of a run lists it, and a run
    would replace or remove it, so the run is refused before anything is written."""
    out = tmp_path / "out"
    out.mkdir()
    (out / "a.csv").write_text("a run's")
    (out / "b.csv").write_text("mine")
    if record is not None:
        (out / "run.json").write_text(record if isinstance(record, str) else json.dumps(record))
    before = listing(out)
    foreign = "a.csv, b.csv, run.json" if isinstance(record, str) else "a.csv, b.csv" if record is None else "b.csv"
    with pytest.raises(OutputFolderError) as caught, OutputFolder(out, NAMES):
        pass
    assert str(caught.value) == (f"{out} holds {foreign}, which no earlier run wrote there (no run.json of a run "
                                 "lists them), and a run would replace or remove them: move them away or choose "
                                 "another folder (nothing was written)")
    assert listing(out) == before and not (out / STAGING_NAME).exists()


def test_a_student_s_own_files_survive_a_run_into_their_folder(tmp_path, capsys):
    """The run command refuses a folder holding someone's states.csv and summary.md (exit 2)."""
    from exitsim.cli import main

    out = tmp_path / "mydata"
    out.mkdir()
    (out / "states.csv").write_text("my own data")
    (out / "summary.md").write_text("my notes")
    assert main(["run", "--steps", "2", "--out", str(out), "--quiet", "--format", "parquet"]) == 2
    assert "holds states.csv, summary.md, which no earlier run wrote there" in capsys.readouterr().err
    assert listing(out) == {"states.csv": "my own data", "summary.md": "my notes"}
    (out / "states.csv").unlink()
    (out / "summary.md").unlink()
    assert main(["run", "--steps", "2", "--out", str(out), "--quiet"]) == 0
    assert main(["run", "--steps", "2", "--out", str(out), "--quiet", "--format", "parquet"]) == 0  # its own files


def test_a_folder_holding_another_commands_results_is_refused(tmp_path):
    """A compare's folder (its run.json lists compare.md) is not a run's to write into, nor the
    reverse: their files would mix and one run.json would describe the other's."""
    out = tmp_path / "out"
    out.mkdir()
    (out / "compare.md").write_text("a comparison")
    (out / "run.json").write_text(json.dumps({"finished": True, "files": ["compare.md", "run.json"]}))
    before = listing(out)
    with pytest.raises(OutputFolderError) as caught, OutputFolder(out, NAMES):
        pass
    assert str(caught.value) == (f"{out} holds the results of another command (its run.json lists compare.md): "
                                 "choose another folder (nothing was written)")
    assert listing(out) == before
