"""The front-end files: exactly what the pinned solara asks for, unpacked whole, never fetched at run time."""

import io
import sys
import tarfile
from pathlib import Path

import pytest

from exitsim.dashboard import frontend
from exitsim.dashboard.frontend import FRONTEND_PACKAGES, FrontendError, install, missing, requested_by_solara


def test_the_list_is_what_the_installed_solara_asks_for():
    assert set(FRONTEND_PACKAGES) == requested_by_solara()


def test_the_project_set_up_installed_them_where_solara_looks_first():
    from solara.server.settings import assets

    assert assets.proxy_cache_dir == frontend.cdn_folder()
    assert missing() == []
    assert (frontend.cdn_folder() / "requirejs@2.3.6" / "require.js").is_file()


def _tarball(path: Path, files: dict[str, bytes], link: str | None = None) -> Path:
    with tarfile.open(path, "w:gz") as tar:
        for name, data in files.items():
            info = tarfile.TarInfo(f"package/{name}")
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
        if link:
            info = tarfile.TarInfo("package/escape")
            info.type, info.linkname = tarfile.SYMTYPE, link
            tar.addfile(info)
    return path


def test_install_unpacks_each_package_without_its_top_folder_or_links(tmp_path, monkeypatch):
    packed = []

    def pack(spec, scratch, npm):
        packed.append(spec)
        return _tarball(scratch / f"{len(packed)}.tgz", {"package.json": b"{}", "dist/main.js": spec.encode()},
                        link="/etc/passwd")

    monkeypatch.setattr(frontend, "_pack", pack)
    target = tmp_path / "cdn"
    (target / FRONTEND_PACKAGES[0]).mkdir(parents=True)
    (target / FRONTEND_PACKAGES[0] / "package.json").write_text("{}")
    assert install(target, npm=sys.executable) == list(FRONTEND_PACKAGES[1:])
    assert packed == list(FRONTEND_PACKAGES[1:])
    for spec in FRONTEND_PACKAGES[1:]:
        assert (target / spec / "dist" / "main.js").read_bytes() == spec.encode()
        assert not (target / spec / "escape").exists()
    assert missing(target) == [] and install(target) == []


def test_without_npm_install_says_what_to_do(tmp_path):
    with pytest.raises(FrontendError, match=r"need npm to install .*install Node.js and npm"):
        install(tmp_path / "cdn", npm="no-such-npm-here")
