"""The JSON Schema of experiment files (``experiments/experiment.schema.json``), for editors.

Made from :class:`~exitsim.sweep.experiment.ExperimentSpec` and the parameter registry;
``python run.py docs`` writes it and a test fails when the committed copy is stale.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from .experiment import PARAMETER_PATHS, ExperimentSpec

EXPERIMENT_SCHEMA_PATH = Path("experiments") / "experiment.schema.json"
EXPERIMENT_SCHEMA_COMMENT = "# yaml-language-server: $schema=experiment.schema.json"


def experiment_json_schema() -> dict:
    """The JSON Schema (draft-07) of an experiment file, made from :class:`ExperimentSpec`.

    Every registry parameter is listed under ``factors`` by its ``--set`` path, with its type and
    range for values and range ends, so editors complete factor names and check their values;
    other scenario paths are allowed (the loader checks them against the scenario schema).
    """
    from ..reference import EXTENDS_DESCRIPTION, draft_07

    raw = ExperimentSpec.model_json_schema(ref_template="#/definitions/{model}")
    definitions = raw.pop("$defs")
    properties = raw.pop("properties")
    factor_properties = {}
    for path, p in PARAMETER_PATHS.items():
        value: dict[str, Any] = {"type": {"float": "number", "int": "integer", "bool": "boolean"}.get(p.kind, "string")}
        if p.low is not None:
            value["minimum"] = p.low
        if p.high is not None:
            value["maximum"] = p.high
        options: list[dict] = [{"type": "array", "items": value, "minItems": 1}]
        if p.kind in ("float", "int"):
            end = {k: v for k, v in value.items() if k != "type"} | {"type": "number"}
            options.append({"type": "object", "additionalProperties": False, "required": ["low", "high"],
                            "properties": {"low": end, "high": end, "log": {"type": "boolean"}}})
        factor_properties[path] = {"description": f"{p.description} [{p.unit}]", "anyOf": options}
    properties["factors"]["properties"] = factor_properties
    properties = {"extends": {"type": "string", "title": "Extends",
                              "description": EXTENDS_DESCRIPTION.replace("scenario", "experiment")}, **properties}
    return draft_07(raw, properties, definitions, "exitsim experiment", "docs/sweeps.md",
                    "exitsim/sweep/experiment.py")


def experiment_json_schema_text() -> str:
    return json.dumps(experiment_json_schema(), indent=2, ensure_ascii=False) + "\n"


def write_experiment_schema(root: str | Path = ".") -> Path:
    """Write ``experiments/experiment.schema.json`` under ``root``; return its path."""
    path = Path(root) / EXPERIMENT_SCHEMA_PATH
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(experiment_json_schema_text(), encoding="utf-8")
    return path
