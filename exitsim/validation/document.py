"""``docs/validation.md``'s generated sections: each piece's command rewrites its own.

A section lies between ``<!-- begin NAME -->`` and ``<!-- end NAME -->``; the text around the
sections (the procedures, the reasons, the caveats) is written by hand. The ``versions`` section
at the top lists which model version (git commit) produced each piece's figures, read from the
``Model version:`` line each generated section starts with.
"""

from __future__ import annotations

import re
from pathlib import Path

VERSION_LINE = re.compile(r"^Model version: (?P<version>.+?)\s*$", re.MULTILINE)
PIECES = {
    "calibration": "Calibration of the intercepts",
    "replication": "In-silico replication of “Hello, goodbye”",
    "retrenchment": "Retrenchment: threats against exits",
    "contagion": "Contagion: cascades beyond chance",
    "record": "world_2017 against the record",
}


class DocumentError(ValueError):
    """The document lacks a section's markers; the message says which to add."""


def _markers(name: str) -> tuple[str, str]:
    return f"<!-- begin {name} -->", f"<!-- end {name} -->"


def replace_section(text: str, name: str, body: str) -> str:
    """``text`` with the section ``name`` replaced by ``body``.

    >>> replace_section("a\\n<!-- begin x -->\\nold\\n<!-- end x -->\\nb", "x", "new")
    'a\\n<!-- begin x -->\\nnew\\n<!-- end x -->\\nb'
    """
    begin, end = _markers(name)
    start, stop = text.find(begin), text.find(end)
    if start < 0 or stop < start:
        raise DocumentError(f"the document has no section {name!r}: add the lines {begin} and {end} where it goes")
    return text[: start + len(begin)] + "\n" + body.strip("\n") + "\n" + text[stop:]


def section(text: str, name: str) -> str:
    """The body of section ``name`` (empty when it is missing)."""
    begin, end = _markers(name)
    start, stop = text.find(begin), text.find(end)
    return text[start + len(begin): stop].strip("\n") if 0 <= start < stop else ""


def versions_table(text: str) -> str:
    """The ``versions`` section's body: each piece with the model version that produced it."""
    lines = ["| figures | model version (git commit) that produced them |", "|---|---|"]
    for name, title in PIECES.items():
        found = VERSION_LINE.search(section(text, name))
        lines.append(f"| [{title}](#{name}) | {found['version'] if found else 'not produced yet'} |")
    return "\n".join(lines)


def update(path: str | Path, name: str, body: str) -> Path:
    """Rewrite section ``name`` of the document at ``path`` and its versions table."""
    path = Path(path)
    text = replace_section(path.read_text(encoding="utf-8"), name, body)
    text = replace_section(text, "versions", versions_table(text))
    temporary = path.with_name(path.name + ".tmp")
    temporary.write_text(text, encoding="utf-8")
    temporary.replace(path)
    return path


def model_version(manifest: dict) -> str:
    """The sweep's model version for the document: its git commit (and whether the tree had
    uncommitted changes) and the date it was made."""
    code = manifest.get("code", {})
    commit = str(code.get("git_commit") or "unknown")[:12]
    dirty = " with uncommitted changes" if code.get("git_dirty") else ""
    return f"`{commit}`{dirty} (runs made {str(manifest.get('created', ''))[:10]})"
