"""Python-number steps: the generated function gives the floats of ``_evaluate``, exactly."""

from __future__ import annotations

import copy
import pickle
from dataclasses import dataclass
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import schedcore as sc
from schedcore import _backend, _scalar
from schedcore._base import Schedule
from tests import strategies

V1 = sc.warmup(1000) * sc.multistep([3_000_000, 6_000_000], 0.1) * sc.polynomial(9_000_000, power=0.5)


def generic(s: sc.Schedule, t: int | float) -> float:
    return float(s._evaluate(t, _backend.SCALAR))


@given(
    s=strategies.schedules(),
    steps=st.lists(st.one_of(strategies.steps, st.floats(0, 1e12), st.integers(0, 2**70)), min_size=1),
)
def test_the_generated_function_gives_the_floats_of_evaluate(
    s: sc.Schedule, steps: list[int | float]
) -> None:
    for t in steps:
        value = s(t)
        assert type(value) is float
        expected = generic(s, t)
        assert value == expected or (value != value and expected != expected), f"{s!r} at {t!r}"


@given(s=strategies.schedules(), t=strategies.steps)
def test_a_schedule_near_its_breakpoints_gives_the_floats_of_evaluate(s: sc.Schedule, t: int) -> None:
    for b in s.breakpoints(10**5)[:10]:
        for step in (b - 1, b, b + 1, b - 0.5, float(b)):
            assert s(step) == generic(s, step), f"{s!r} at {step!r}"


@dataclass(frozen=True, slots=True, repr=False)
class _Doubled(Schedule):
    """A schedule class the generator does not know (unregistered: no ``_name``)."""

    schedule: Schedule

    def _evaluate(self, t: Any, ops: Any) -> Any:
        return 2 * self.schedule._evaluate(t, ops)


def test_unknown_classes_are_called_through_evaluate() -> None:
    s = sc.warmup(10) * _Doubled(sc.polynomial(20))
    assert s(5) == 0.5 * 2 * 0.75
    assert "float(_k1(t, SCALAR))" in _scalar._Source().expression(s, "t")


def test_a_schedule_too_deep_for_the_parser_is_evaluated_through_evaluate() -> None:
    s: sc.Schedule = sc.warmup(10)
    for _ in range(400):
        s = sc.clip(s, low=0.0)
    assert s(5) == 0.5
    assert s(5.0) == generic(s, 5.0)


def test_a_long_schedule_is_evaluated_through_evaluate() -> None:
    s = sc.multistep(list(range(1, 4000)), gamma=0.999)
    assert s(2500) == generic(s, 2500)


def test_the_source_is_made_of_numbers_and_known_names() -> None:
    assert _scalar._Source().expression(V1, "t") == (
        "(((1.0) if t >= 1000 else ((t if t < 1000 else 1000) / 1000))"
        " * ((1.0) if t < 3000000 else (0.1) if t < 6000000 else (0.010000000000000002))"
        " * sqrt(((9000000 - t if t < 9000000 else 0) / 9000000)))"
    )


def test_the_generated_function_is_a_cache_not_part_of_the_value() -> None:
    s = sc.warmup(10) * sc.cosine(100)
    fresh = sc.warmup(10) * sc.cosine(100)
    assert s(7) == generic(s, 7)
    assert s == fresh
    assert hash(s) == hash(fresh)
    for other in (pickle.loads(pickle.dumps(s)), copy.deepcopy(s), copy.copy(s)):
        assert other == s
        assert other(7) == s(7)


@pytest.mark.parametrize(
    "t",
    [
        pytest.param(-1, id="negative"),
        pytest.param(float("nan"), id="nan"),
        pytest.param(float("inf"), id="inf"),
    ],
)
def test_bad_python_steps_are_still_errors(t: float) -> None:
    with pytest.raises(ValueError, match=r"^step must be a finite number >= 0, got"):
        V1(t)


@given(s=strategies.schedules(), t=strategies.steps)
def test_the_scalar_function_for_adapters_is_the_scalar_call(s: sc.Schedule, t: int) -> None:
    function = s._scalar_function()
    assert function is s._scalar_function()  # compiled once
    assert function(t) == s(t)
    assert function(float(t)) == s(float(t))
