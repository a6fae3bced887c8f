"""python run.py dashboard: what it refuses before serving, with exit code 2 and no traceback."""

import socket
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def dashboard(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "run.py", "dashboard", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=120)


def test_a_scenario_outside_the_folder_is_refused():
    done = dashboard("--scenario", "../etc/passwd", "--port", "0")
    assert done.returncode == 2
    assert done.stderr.startswith("../etc/passwd: the dashboard opens only the scenario files of ")
    assert "Traceback" not in done.stderr


def test_a_port_in_use_is_a_clear_error():
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = dashboard("--port", str(port))
    assert done.returncode == 2
    assert done.stderr == (f"Cannot listen on 127.0.0.1:{port}: Address already in use. "
                           "Choose another port with --port (or stop what is using it).\n")
