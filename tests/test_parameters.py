"""The parameter registry (MODEL.md §7)."""

import pytest

from exitsim.parameters import GROUPS, REGISTRY, ParameterError, make_params


def test_every_parameter_is_fully_described():
    for p in REGISTRY.values():
        assert p.group in GROUPS, p.name
        assert p.description and p.unit and p.mechanism and p.source, p.name
        assert p.check(p.default) == p.default, p.name
        if p.switch:
            assert p.check(p.off) == p.off, p.name


def test_defaults_and_overrides():
    params = make_params({"leak": 0.2}, compliance=0.0)
    assert params.leak == 0.2 and params.compliance == 0.0
    assert params.budget_rate == REGISTRY["budget_rate"].default
    assert params.replace(leak=0.3).leak == 0.3


def test_unknown_name_suggests_the_closest():
    with pytest.raises(ParameterError, match=r"'acess_spillover' = 1: expected a known parameter \(did you mean 'access_spillover'\?\)"):
        make_params(acess_spillover=1)


@pytest.mark.parametrize("name, value, expected", [
    ("leak", 1.5, "at most 1"),
    ("budget_rate", -1.0, "at least 0"),
    ("assessment_years", 2.5, "a whole number"),
    ("leak", "much", "a number (float) between 0 and 1"),
    ("leak", True, "a number (float) between 0 and 1"),
    ("leak", float("nan"), "a finite number between 0 and 1"),
    ("leak", float("-inf"), "a finite number between 0 and 1"),
    ("assessment_years", float("inf"), "a finite number between 1 and 30"),
    ("assessment_years", True, "a number (int) between 1 and 30"),
    ("rejoining", 1, "true or false"),
])
def test_bad_values_name_the_parameter_and_what_was_expected(name, value, expected):
    with pytest.raises(ParameterError) as error:
        make_params(**{name: value})
    assert str(error.value) == f"parameter {name!r} = {value!r}: expected {expected}"


def test_a_huge_integer_is_refused_as_not_finite_and_shown_short():
    with pytest.raises(ParameterError) as error:
        make_params(leak=10**400)
    assert str(error.value) == "parameter 'leak' = 10000000000000000000…0000000000: expected a finite number between 0 and 1"


def test_numpy_numbers_are_accepted_as_plain_ones():
    import numpy as np

    params = make_params(leak=np.float64(0.25), assessment_years=np.int64(4), rejoining=np.bool_(False))
    assert (params.leak, params.assessment_years, params.rejoining) == (0.25, 4, False)
    assert type(params.assessment_years) is int and type(params.rejoining) is bool


def test_every_number_in_the_registry_has_finite_bounds_around_its_default():
    import math

    for p in REGISTRY.values():
        if p.kind in ("float", "int"):
            assert math.isfinite(p.low) and math.isfinite(p.high) and p.low <= p.default <= p.high, p.name


def test_a_definition_without_bounds_is_refused():
    from exitsim.parameters import Parameter

    with pytest.raises(ValueError, match="'x': a number needs finite bounds"):
        Parameter("x", "", "float", 1.0, 0.0, None, "unit", "power", "m", "s", "d")
    with pytest.raises(ValueError, match="'y': a number needs finite bounds"):
        Parameter("y", "", "int", 50, 0, 10, "unit", "power", "m", "s", "d")


def test_params_are_frozen():
    params = make_params()
    with pytest.raises(AttributeError):
        params.leak = 0.5


def test_every_mechanism_a_parameter_names_exists():
    """The registry's ``mechanism`` field is a comma-separated list of functions (or classes),
    each under ``exitsim.mechanisms`` or ``exitsim``: the docs and the ODD lead readers there."""
    import importlib

    def resolves(path: str) -> bool:
        for base in ("exitsim.mechanisms.", "exitsim."):
            module, _, name = (base + path).rpartition(".")
            try:
                return hasattr(importlib.import_module(module), name)
            except ModuleNotFoundError:
                continue
        return False

    missing = [(p.name, entry.strip()) for p in REGISTRY.values() for entry in p.mechanism.split(",")
               if not resolves(entry.strip())]
    assert not missing


def test_no_mechanism_writes_a_numeric_default_of_its_own():
    """The registry is the only place a default lives: mechanisms take their numbers as arguments
    or coefficient objects (exitsim/mechanisms/coefficients.py), never as literal defaults (an
    index starting at 0 or a −1 for "none" are not model numbers)."""
    import importlib
    import inspect
    import pkgutil

    import exitsim.mechanisms

    found = []
    for info in pkgutil.iter_modules(exitsim.mechanisms.__path__):
        module = importlib.import_module(f"exitsim.mechanisms.{info.name}")
        for name, obj in vars(module).items():
            if getattr(obj, "__module__", None) != module.__name__:
                continue
            functions = ([(name, obj)] if inspect.isfunction(obj) else
                         [(f"{name}.{k}", v) for k, v in vars(obj).items() if inspect.isfunction(v)]
                         if inspect.isclass(obj) else [])
            for label, function in functions:
                for parameter in inspect.signature(function).parameters.values():
                    default = parameter.default
                    if isinstance(default, int | float) and not isinstance(default, bool) and default not in (0, -1):
                        found.append(f"{info.name}.{label}({parameter.name}={default!r})")
    assert not found
