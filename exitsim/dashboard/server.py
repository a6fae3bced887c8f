"""Serving the dashboard: ``python run.py dashboard [--host H] [--port P] [--scenario FILE]``.

Solara's server runs in this process (uvicorn), in production mode, with nothing that reaches
beyond the machine: its front-end files come from the folder :mod:`.frontend` fills (the
server refuses to start without them), its CDN fallback points at an address on this machine
that serves nothing, and its usage statistics are off.
"""

from __future__ import annotations

import os
import socket
import sys
from pathlib import Path

from ..loading import ScenarioError
from .frontend import cdn_folder, missing
from .scenario_files import scenario_folder, scenario_path

#: How the server tells the page (:mod:`.app`, imported by Solara) its folder and first scenario.
FOLDER_VARIABLE = "EXITSIM_DASHBOARD_FOLDER"
SCENARIO_VARIABLE = "EXITSIM_DASHBOARD_SCENARIO"
DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8765
#: Where Solara would fetch a front-end file it lacks: a port on this machine that nothing serves.
NO_CDN = "http://127.0.0.1:9/"


def serve(host: str = DEFAULT_HOST, port: int = DEFAULT_PORT, scenario: str | None = None,
          folder: Path | None = None) -> int:
    """Serve the dashboard until interrupted; an exit code (2: it cannot start, and why was printed).

    Args:
        host: The address to listen on (127.0.0.1: this machine only).
        port: The port (0: any free one).
        scenario: The first scenario, a file of the scenarios folder (default: default.yaml).
        folder: The scenarios folder (default: ``scenarios/`` here, else the packaged one).
    """
    folder = scenario_folder() if folder is None else folder.resolve()
    if scenario is not None:
        try:
            scenario = scenario_path(folder, scenario).name
        except ScenarioError as error:
            print(f"{scenario}: {error.problems[0].message}", file=sys.stderr)
            return 2
    absent = missing()
    if absent:
        print(f"The dashboard's front-end files are not installed in {cdn_folder()} ({', '.join(absent)}).\n"
              "Install them once with `make dashboard` or `python -m exitsim.dashboard.frontend` (needs npm).",
              file=sys.stderr)
        return 2
    try:
        listener = _bind(host, port)
    except OSError as error:
        print(f"Cannot listen on {host}:{port}: {error.strerror or error}. "
              "Choose another port with --port (or stop what is using it).", file=sys.stderr)
        return 2
    port = listener.getsockname()[1]
    os.environ.update({
        FOLDER_VARIABLE: str(folder),
        SCENARIO_VARIABLE: scenario or "",
        "MPLBACKEND": "Agg",
        "SOLARA_APP": "exitsim.dashboard.app",
        "SOLARA_MODE": "production",
        "SOLARA_TELEMETRY_MIXPANEL_ENABLE": "false",
        "SOLARA_ASSETS_CDN": NO_CDN,
        "SERVER_NAME": host,
        "SERVER_PORT": str(port),
    })
    import uvicorn

    shown = f"[{host}]" if ":" in host else host
    print(f"exitsim dashboard: open http://{shown}:{port}/ in a browser (scenarios from {folder}). "
          "Press Ctrl+C to stop.", flush=True)
    if host not in ("127.0.0.1", "localhost", "::1"):
        print(f"Listening on {host}: other machines on the network can open it too.", flush=True)
    config = uvicorn.Config("solara.server.starlette:app", log_level="warning", ws_ping_interval=20)
    try:
        uvicorn.Server(config).run(sockets=[listener])
    except KeyboardInterrupt:
        pass
    return 0


def _bind(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    listener = socket.socket(family, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind((host, port))
    listener.listen(128)
    return listener
