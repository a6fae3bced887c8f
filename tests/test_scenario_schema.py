"""Every field of a scenario file has a type, a range or allowed values where it matters, a
default or is required, and a one-line description (for docs/scenarios.md and editors)."""

import pytest
from pydantic import BaseModel

from exitsim import scenario as schema

MODELS = [schema.Scenario, schema.StateSpec, schema.OrganizationSpec, schema.ClauseSpec, schema.MemberSpec,
          schema.ReservationSpec, schema.TimelineEventSpec, schema.GenerateSpec,
          *(type(getattr(schema.ParametersSpec(), group)) for group in schema.ParametersSpec.model_fields)]


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_every_field_is_described(model: type[BaseModel]):
    for name, field in model.model_fields.items():
        assert field.description and "\n" not in field.description, f"{model.__name__}.{name}"


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_scenario_models_reject_unknown_keys(model: type[BaseModel]):
    assert model.model_config.get("extra") == "forbid"
