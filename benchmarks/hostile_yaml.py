"""How fast hostile scenario text is refused, and how much memory it takes (a benchmark, not a
timed test).

    python benchmarks/hostile_yaml.py

Each row parses one text with :func:`exitsim.scenario.parse_scenario` in a fresh process and
prints the time until the ScenarioError (or the scenario), the process's peak resident memory
and the first line of the message. The texts: the shipped classroom scenario (for scale),
600 bytes of nested brackets, a 430-byte "billion laughs" alias bomb, an alias nested past the
depth limit, a Python object tag, a text one byte over ``MAX_FILE_BYTES``, and the largest
texts allowed: comments only, and a flow list of numbers past ``MAX_VALUES`` (the most values
per byte: ruamel.yaml's time goes by the value, so this is the worst a paste can cost; it is
refused at value 50,001), and today's real world (193 states, 335 organizations) written out
in full, for scale.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

CHILD = r"""
import json, resource, sys, time
from exitsim.loading import MAX_FILE_BYTES
from exitsim.scenario import ScenarioError, parse_scenario
text = sys.stdin.read()
started = time.perf_counter()
try:
    parse_scenario(text, "pasted.yaml")
    outcome = "accepted"
except ScenarioError as error:
    outcome = error.messages[0].splitlines()[0]
elapsed = time.perf_counter() - started
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"seconds": elapsed, "peak": peak, "outcome": outcome}))
"""


def texts() -> dict[str, str]:
    from exitsim.loading import MAX_FILE_BYTES

    bomb = "".join(f"{a}: &{a} [{', '.join([f'*{b}'] * 9) if b else ', '.join(['lol'] * 9)}]\n"
                   for a, b in zip("abcdefghi", [None, *"abcdefgh"], strict=True))
    return {
        "classroom.yaml": (ROOT / "scenarios" / "classroom.yaml").read_text(encoding="utf-8"),
        "600 bytes of [[[…]]]": "name: " + "[" * 297 + "]" * 297 + "\n",
        f"alias bomb ({len(bomb)} bytes, 9^9 values)": bomb,
        "alias nested too deep": "a: &a " + "[" * 15 + "1" + "]" * 15 + "\nb: " + "[" * 10 + "*a" + "]" * 10 + "\n",
        "!!python/object/apply tag": "name: x\nstates: !!python/object/apply:os.system [echo hello]\n",
        "MAX_FILE_BYTES + 1": "name: x\n#" + "x" * (MAX_FILE_BYTES - 9) + "\n",
        "MAX_FILE_BYTES of comments": "name: x\n" + ("# " + "x" * 77 + "\n") * (MAX_FILE_BYTES // 80 - 1),
        "MAX_FILE_BYTES of [1, 1, …]": "name: x\nx: [" + "1," * (MAX_FILE_BYTES // 2 - 10) + "1]\n",
        "world.yaml written out": _world_written_out(),
    }


def _world_written_out() -> str:
    """scenarios/world.yaml's generated world as explicit states and organizations."""
    import io

    from ruamel.yaml import YAML

    from exitsim.scenario import all_specs, load_scenario

    states, organizations = all_specs(load_scenario(ROOT / "scenarios" / "world.yaml"))
    data = {"name": "world_written_out",
            "states": [s.model_dump(exclude_none=True, exclude_defaults=True) for s in states],
            "organizations": [o.model_dump(exclude_none=True, exclude_defaults=True) for o in organizations]}
    yaml = YAML(typ="safe")
    yaml.default_flow_style = None
    buffer = io.StringIO()
    yaml.dump(data, buffer)
    return buffer.getvalue()


def main() -> None:
    print(f"{'text':<34} {'bytes':>9} {'seconds':>8} {'peak MiB':>9}  outcome")
    for label, text in texts().items():
        result = subprocess.run([sys.executable, "-c", CHILD], input=text, capture_output=True, text=True,
                                check=True, timeout=600)
        row = json.loads(result.stdout)
        outcome = row["outcome"] if len(row["outcome"]) < 90 else row["outcome"][:87] + "…"
        print(f"{label:<34} {len(text.encode()):>9,} {row['seconds']:>8.3f} {row['peak']:>9.1f}  {outcome}")


if __name__ == "__main__":
    main()
