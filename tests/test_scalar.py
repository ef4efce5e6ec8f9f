"""Python-number steps: the generated function gives the floats of the formula, exactly."""

from __future__ import annotations

import copy
import linecache
import math
import pickle
import traceback

import pytest
from hypothesis import given
from hypothesis import strategies as st

import schedcore as sc
from schedcore import _backend, _scalar
from tests import strategies

V1 = sc.warmup(1000) * sc.multistep([3_000_000, 6_000_000], 0.1) * sc.polynomial(9_000_000, power=0.5)


def generic(s: sc.Schedule, t: int | float) -> float:
    """The formula run directly with the operations of Python numbers."""
    return _backend.cast(s.formula(t, _backend.SCALAR))


def source_of(s: sc.Schedule) -> str:
    function = s._scalar_function()
    return "".join(linecache.getlines(function.__code__.co_filename))


def same(a: float, b: float) -> bool:
    return a == b or (a != a and b != b)


@given(
    s=strategies.schedules(),
    steps=st.lists(st.one_of(strategies.steps, st.floats(0, 1e12), st.integers(0, 2**70)), min_size=1),
)
def test_the_generated_function_gives_the_floats_of_the_formula(
    s: sc.Schedule, steps: list[int | float]
) -> None:
    for t in steps:
        value = s(t)
        assert type(value) is float
        assert same(value, generic(s, t)), f"{s!r} at {t!r}"


@given(s=strategies.schedules(), t=strategies.steps)
def test_a_schedule_near_its_breakpoints_gives_the_floats_of_the_formula(s: sc.Schedule, t: int) -> None:
    for b in s.breakpoints(10**5, limit=10):
        for step in (b - 1, b, b + 1, b - 0.5, float(b)):
            assert same(s(step), generic(s, step)), f"{s!r} at {step!r}"


def test_the_source_is_one_function_of_our_operations_and_numbers() -> None:
    assert source_of(V1) == (
        "def scalar(t):\n"
        "    if t < 3000000:\n"
        "        if t < 1000:\n"
        "            return ((t / 1000.0) * sqrt(((9000000 - t) / 9000000.0)))\n"
        "        return sqrt(((9000000 - t) / 9000000.0))\n"
        "    if t < 6000000:\n"
        "        return (0.1 * sqrt(((9000000 - t) / 9000000.0)))\n"
        "    if t < 9000000:\n"
        "        return (0.010000000000000002 * sqrt(((9000000 - t) / 9000000.0)))\n"
        "    return 0.0\n"
    )


def test_a_formula_with_many_regions_is_computed_whole() -> None:
    s = sc.multistep(list(range(100, 1000, 100)), gamma=0.5) * sc.cosine(2000)
    source = source_of(s)
    assert "if t <" not in source  # no dispatch on the ten regions: the lookup is one chain
    assert s(450) == generic(s, 450)
    assert source_of(sc.cycle(sc.cosine(10), 10)).count("return") == 1
    large = sc.compose(*[sc.cosine(100, end=0.01 * k) for k in range(1, 16)])  # 2 regions, 135 nodes
    assert "if t <" not in source_of(large)
    assert large(50) == generic(large, 50)
    assert "if t <" in source_of(sc.compose(*[sc.cosine(100, end=0.01 * k) for k in range(1, 6)]))


@pytest.mark.parametrize("t", [0, 3, 3.25, 10 / 3, math.nextafter(10 / 3, 0), 4, 9.5, 10, 2**53 + 1, 1e300])
def test_a_region_that_ends_between_whole_steps_is_found_by_its_exact_end(t: float) -> None:
    s = sc.per_sample(sc.join([sc.warmup(10), sc.cosine(20)], [10]), 3)  # the warmup ends at t = 10/3
    assert "if t < 3.3333333333333335:" in source_of(s)
    assert same(s(t), generic(s, t)), t


def test_branches_are_blocks_computed_only_when_taken() -> None:
    steps = sc.multistep(list(range(60, 150, 10)), gamma=0.9)  # too many regions to dispatch on
    s = sc.join([sc.warmup(10) * sc.cosine(50), steps], [50])
    source = source_of(s)
    assert "if (t >= 50):" in source
    assert source.count("sin(") == 1  # the cosine only in its own piece
    assert s(60) == generic(s, 60)
    assert s(20) == generic(s, 20)


def test_tracebacks_show_the_generated_source() -> None:
    s = sc.warmup(10)
    function = s._scalar_function()
    try:
        function("not a number")
    except TypeError:
        lines = traceback.format_exc()
    assert "def scalar" in "".join(linecache.getlines(function.__code__.co_filename))
    assert "schedcore formula" in lines
    assert "if t < 10:" in lines  # the line of the generated source that raised


@pytest.mark.parametrize(
    ("s", "t", "expected"),
    [
        pytest.param(sc.join([sc.cosine(10)], []), 3, sc.cosine(10)(3), id="join-of-one"),
        pytest.param(sc.linear(-1e308, 1e308, 10), 5, 0.0, id="ends-whose-difference-overflows"),
        pytest.param(sc.inverse(0.02, -9242.0), 17, math.inf, id="growth-past-the-largest-float"),
        pytest.param(sc.inverse(1e-16, 1e16), 1, math.exp(-1), id="a-rate-lost-in-one-plus-it"),
        pytest.param(
            sc.cosine_wave(100, cycles=1e308),
            3,
            math.cos(math.pi * (int(1e308) * 3 % 100) / 100) ** 2,  # the phase, in exact integers
            id="waves-shorter-than-a-step",
        ),
    ],
)
def test_extreme_but_valid_schedules_give_their_value(s: sc.Schedule, t: int, expected: float) -> None:
    assert s(t) == pytest.approx(expected, rel=1e-12)
    assert s(float(t)) == pytest.approx(expected, rel=1e-12)


def test_a_cast_is_plain_float_only_where_no_int_can_exceed_the_floats() -> None:
    stretched = sc.stretch(sc.linear(1.0, 0.5, 10), 3.0)
    assert "float(t)" in source_of(stretched)  # every Python-number step is below 2**1023
    assert stretched(2**1022) == generic(stretched, 2**1022) == 0.5
    samples = sc.per_sample(stretched, 512)  # t * 512 passes 2**1024 for t >= 2**1015
    assert "_cast((t * 512))" in source_of(samples)
    assert samples(2**1022) == generic(samples, 2**1022) == 0.5


def test_numbers_that_are_not_finite_reach_the_source_as_names() -> None:
    s = sc.inverse(1.0, -2000.0) * sc.constant(1.0)
    assert s(10**6) == math.inf
    assert "inf" not in source_of(s).replace("_k", "")


def test_a_schedule_too_large_for_the_compiler_is_run_through_its_formula() -> None:
    s = sc.join([sc.warmup(2) * sc.cosine(5)] * 3000, list(range(1, 3000)))
    assert s._scalar_function().__name__ == "<lambda>"
    assert s(2500.5) == generic(s, 2500.5)


def test_a_long_lookup_uses_bisect() -> None:
    s = sc.multistep(list(range(1, 4000)), gamma=0.999)
    assert "bisect_right" in source_of(s)
    assert s(2500) == generic(s, 2500)


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


def test_every_registered_class_is_generated_not_called_through() -> None:
    examples = strategies.one_of_each()
    assert {type(s) for s in examples} >= set(_registered())
    for s in examples:
        if not isinstance(s, sc.schedules.Constant):  # a constant needs no function of t
            assert "def scalar" in source_of(s), repr(s)
            assert s(7) == generic(s, 7)


def _registered() -> list[type[sc.Schedule]]:
    from schedcore._base import REGISTRY

    return [cls for cls in REGISTRY.values() if cls.__module__.startswith("schedcore.")]


def test_the_scalar_module_knows_no_schedule_class() -> None:
    assert not [name for name in vars(_scalar) if name in {cls.__name__ for cls in _registered()}]
