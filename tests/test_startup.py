"""Start-up stays light: `--help`, `validate` and `import exitsim` load no Mesa, pandas or matplotlib."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
HEAVY = ("mesa", "pandas", "matplotlib")

PROBE = """
import json, runpy, sys
sys.argv = ["run.py", *{args!r}]
code = 0
try:
    runpy.run_path({run_py!r}, run_name="__main__")
except SystemExit as exit_:
    code = exit_.code
heavy = sorted(m for m in sys.modules if m.split(".")[0] in {heavy!r})
print(json.dumps({{"code": code, "heavy": heavy}}), file=sys.stderr)
"""


def modules_loaded_by(*args: str) -> tuple[int, list[str]]:
    """Run ``python run.py ARGS`` in a fresh interpreter: its exit code and the heavy modules it loaded."""
    result = subprocess.run([sys.executable, "-c", PROBE.format(args=list(args), run_py=str(ROOT / "run.py"),
                                                                heavy=HEAVY)],
                            capture_output=True, text=True, timeout=120, cwd=ROOT)
    report = json.loads(result.stderr.strip().splitlines()[-1])
    return report["code"], report["heavy"]


@pytest.mark.parametrize("args", [("--help",), ("run", "--help"), ("validate", "scenarios/default.yaml"),
                                  ("validate", "scenarios/world.yaml", "scenarios/classroom.yaml")])
def test_help_and_validate_load_no_mesa_pandas_or_matplotlib(args):
    assert modules_loaded_by(*args) == (0, [])


def test_a_run_does_load_them(tmp_path):  # so the probe above can see them
    code, heavy = modules_loaded_by("run", "--steps", "1", "--quiet", "--out", str(tmp_path), "--no-memberships")
    assert code == 0 and {name.split(".")[0] for name in heavy} == set(HEAVY)


def test_import_exitsim_is_light_and_its_names_load_on_first_use():
    code = ("import sys, exitsim\n"
            f"assert not [m for m in sys.modules if m.split('.')[0] in {HEAVY!r}]\n"
            "from exitsim import ExitModel, load_scenario\n"
            "assert ExitModel.__module__ == 'exitsim.model' and 'mesa' in sys.modules\n"
            "assert set(exitsim.__all__) <= set(dir(exitsim))\n"
            "try:\n    exitsim.nothing\nexcept AttributeError as error:\n    print(error)\n")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert (result.returncode, result.stdout, result.stderr) == (0, "module 'exitsim' has no attribute 'nothing'\n",
                                                                 "")
