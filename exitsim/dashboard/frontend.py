"""The dashboard's front-end files, installed from the npm registry so the page works offline.

Solara's page loads its JavaScript and CSS from ``/_solara/cdn/<package>@<version>/...``; the
server answers from its cache folder, ``sys.prefix/share/solara/cdn/``, and only when a file is
missing there does it fetch it from a public CDN (a blank page without internet). The project's
set-up (``make test``, ``make dashboard``) fills that folder with exactly the packages the
pinned solara asks for, each unpacked from ``npm pack <spec>``, so nothing is downloaded at run
time. Run it by hand with ``python -m exitsim.dashboard.frontend``.

After a solara upgrade, :func:`requested_by_solara` (and ``tests/dashboard/test_frontend.py``)
tells which specs the new version asks for; update :data:`FRONTEND_PACKAGES` to match.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
from importlib import resources
from pathlib import Path

#: The npm packages the page loads, at the versions solara 1.64.1 names: the Vuetify 2 and 3
#: app bundles (page, widgets and fonts), RequireJS, Font Awesome and the grid layout.
FRONTEND_PACKAGES = (
    "@widgetti/solara-vuetify-app@10.1.1",
    "@widgetti/solara-vuetify3-app@5.2.0",
    "requirejs@2.3.6",
    "font-awesome@4.5.0",
    "@widgetti/vue-grid-layout@2.3.13-alpha.2",
)

# a package spec as solara writes it in a CDN path: name (maybe scoped) @ an exact version
_SPEC = re.compile(r"(@[a-z0-9][\w.-]*/[a-z0-9][\w.-]*|[a-z0-9][\w.-]*)@(\d+\.\d+\.\d+(?:-[\w.]+)?)/")


class FrontendError(RuntimeError):
    """The front-end files cannot be installed; the message says what to do."""


def cdn_folder() -> Path:
    """The folder solara serves ``/_solara/cdn/`` from first: ``sys.prefix/share/solara/cdn``."""
    return Path(sys.prefix) / "share" / "solara" / "cdn"


def missing(folder: Path | None = None) -> list[str]:
    """The specs of :data:`FRONTEND_PACKAGES` not yet unpacked in ``folder``."""
    folder = cdn_folder() if folder is None else folder
    return [spec for spec in FRONTEND_PACKAGES if not (folder / spec / "package.json").is_file()]


def requested_by_solara() -> set[str]:
    """The exact-version npm specs the installed solara's page template and widgets load."""
    root = resources.files("solara")
    texts = [root.joinpath("server", "templates", "solara.html.j2").read_text(encoding="utf-8")]
    texts += [root.joinpath("widgets", "vue", name).read_text(encoding="utf-8")
              for name in ("gridlayout.vue", "gridlayout_v3.vue")]
    from solara.server.settings import assets  # the Font Awesome path is a setting

    texts.append(assets.fontawesome_path.lstrip("/") + "/")
    specs = set()
    for text in texts:
        for match in _SPEC.finditer(text.replace("{{cdn}}/", "")):
            specs.add(f"{match.group(1)}@{match.group(2)}")
    return specs


def install(folder: Path | None = None, npm: str = "npm") -> list[str]:
    """Unpack every missing package of :data:`FRONTEND_PACKAGES` into ``folder``; return them.

    Each is fetched with ``npm pack <spec>`` (the npm registry, through npm's own settings) and
    unpacked without its top ``package/`` folder into ``folder/<spec>/``; a package is moved
    into place only once it is whole, so an interrupted install leaves nothing half-written.

    Raises:
        FrontendError: npm is missing or cannot fetch a package.
    """
    folder = cdn_folder() if folder is None else folder
    todo = missing(folder)
    if not todo:
        return []
    if shutil.which(npm) is None:
        raise FrontendError(f"the dashboard's front-end files need npm to install ({', '.join(todo)}); "
                            "install Node.js and npm (e.g. apt-get install npm) and run this again")
    folder.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="exitsim-frontend-") as scratch:
        for spec in todo:
            packed = _pack(spec, Path(scratch), npm)
            staged = Path(scratch) / "unpacked" / spec
            _unpack(packed, staged)
            target = folder / spec
            target.parent.mkdir(parents=True, exist_ok=True)
            if target.exists():  # an earlier, incomplete attempt
                shutil.rmtree(target)
            shutil.move(staged, target)
    return todo


def _pack(spec: str, scratch: Path, npm: str) -> Path:
    done = subprocess.run([npm, "pack", spec, "--silent", "--pack-destination", str(scratch)],
                          cwd=scratch, capture_output=True, text=True)
    if done.returncode != 0:
        raise FrontendError(f"npm pack {spec} failed: {done.stderr.strip() or done.stdout.strip()}")
    name = done.stdout.strip().splitlines()[-1]
    return scratch / name


def _unpack(archive: Path, target: Path) -> None:
    """Extract an npm tarball's ``package/`` folder into ``target`` (no links, nothing outside)."""
    target.mkdir(parents=True)
    with tarfile.open(archive) as tar:
        members = []
        for member in tar.getmembers():
            parts = Path(member.name).parts
            if len(parts) < 2 or not (member.isfile() or member.isdir()):
                continue
            member.name = str(Path(*parts[1:]))
            members.append(member)
        tar.extractall(target, members=members, filter="data")


def main() -> int:
    """``python -m exitsim.dashboard.frontend``: install what is missing, say what was done."""
    try:
        added = install()
    except FrontendError as error:
        print(f"exitsim dashboard: {error}", file=sys.stderr)
        return 2
    where = cdn_folder()
    if added:
        print(f"Installed the dashboard's front-end files ({', '.join(added)}) in {where}.")
    else:
        print(f"The dashboard's front-end files are installed in {where}.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
