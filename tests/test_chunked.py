"""Numpy steps evaluated in chunks: the values of the whole-array evaluation, faster."""

from __future__ import annotations

import contextlib
import math
import re
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

np = pytest.importorskip("numpy")

import schedcore as sc  # noqa: E402
from schedcore import _backend, _chunked, schedules  # noqa: E402
from tests import strategies  # noqa: E402

V1 = sc.warmup(1000) * sc.multistep([3_000_000, 6_000_000], 0.1) * sc.polynomial(9_000_000, power=0.5)


@contextlib.contextmanager
def chunks_of(size: int, split: int = 2) -> Iterator[None]:
    """Evaluate with chunks of ``size`` steps, so that short arrays cross many chunks,
    and evaluate sorted chunks of ``split`` steps or more region by region."""
    saved = _chunked.CHUNK, _chunked._SPLIT
    _chunked.CHUNK, _chunked._SPLIT = size, split
    try:
        yield
    finally:
        _chunked.CHUNK, _chunked._SPLIT = saved


def whole(s: sc.Schedule, t: Any, dtype: Any = None) -> Any:
    return _backend.evaluate_whole(s, t, dtype, None)


def assert_same(fast: Any, slow: Any, rtol: float = 1e-12) -> None:
    assert fast.dtype == slow.dtype
    assert fast.shape == np.shape(slow)
    np.testing.assert_allclose(fast, slow, rtol=rtol, atol=1e-300)


@st.composite
def step_arrays(draw: Any, s: sc.Schedule) -> Any:
    """Runs of consecutive steps starting near the schedule's breakpoints, or anywhere."""
    periodic = "cycl" in repr(s)  # cycles have breakpoints all the way: list fewer
    points = [0, *s.breakpoints(10**4 if periodic else 2 * 10**6)[:20]]
    runs = []
    for _ in range(draw(st.integers(1, 4))):
        start = max(0, draw(st.sampled_from(points)) + draw(st.integers(-40, 40)))
        if draw(st.booleans()):
            start = draw(strategies.steps)
        runs.append(np.arange(start, start + draw(st.integers(1, 60))))
    steps = np.concatenate(runs)
    if draw(st.booleans()):
        steps = steps[draw(st.permutations(range(steps.size)))]
    return steps.astype(draw(st.sampled_from(["int64", "float64", "int32", "uint32"])))


@settings(max_examples=300)
@given(
    s=strategies.schedules(),
    data=st.data(),
    chunk=st.integers(1, 80),
    split=st.sampled_from([2, 10**9]),
    threads=st.sampled_from([1, 3]),
)
def test_chunks_give_the_values_of_the_whole_array(
    s: sc.Schedule, data: st.DataObject, chunk: int, split: int, threads: int
) -> None:
    first, second = data.draw(step_arrays(s)), data.draw(step_arrays(s))
    if first.dtype == np.int32 or second.dtype == np.int32:
        first, second = first.clip(0, 2**31 - 1), second.clip(0, 2**31 - 1)
    with chunks_of(chunk, split):
        for steps in (first, second):  # the second call starts from the first one's region
            assert_same(_chunked.evaluate(s, steps, None, threads), whole(s, steps))


def assert_same_in_float32(s: sc.Schedule, fast: Any, slow: Any) -> None:
    """Equal to float32 rounding: constants folded in float64 round once, not at each step.

    The whole-array evaluation of a growing cycle promotes float32 steps to float64;
    the chunks keep the dtype the call promises.
    """
    assert fast.dtype == np.float32
    np.testing.assert_allclose(fast, slow.astype(np.float32), rtol=2e-6, atol=1e-5)


def float32_friendly(s: sc.Schedule) -> bool:
    """Not a cosine wave (its float32 argument drifts) nor a RAdam warmup (it cancels)."""
    return "cosine_wave" not in repr(s) and "radam_warmup" not in repr(s)


@settings(max_examples=100)
@given(s=strategies.schedules().filter(float32_friendly), data=st.data(), chunk=st.integers(1, 16))
def test_float32_steps_give_the_values_of_the_whole_array_to_float32_rounding(
    s: sc.Schedule, data: st.DataObject, chunk: int
) -> None:
    steps = data.draw(step_arrays(s)).astype(np.float32)
    with chunks_of(chunk):
        fast = s(steps)
    assert_same_in_float32(s, fast, whole(s, steps))


@pytest.mark.parametrize(
    "offset",
    [
        pytest.param(0, id="start"),
        pytest.param(3_000_000 - 40_000, id="first-milestone"),
        pytest.param(9_000_000 - 50_000, id="end-of-decay"),
    ],
)
@pytest.mark.parametrize("threads", [pytest.param(1, id="one-thread"), pytest.param(3, id="three-threads")])
def test_long_runs_cross_real_chunks_and_milestones(offset: int, threads: int) -> None:
    steps = np.arange(offset, offset + 3 * _chunked.CHUNK + 17)
    assert_same(V1.evaluate(steps, threads=threads), whole(V1, steps))


def test_large_unsorted_arrays_give_the_values_of_the_whole_array() -> None:
    steps = np.random.default_rng(6).integers(0, 12_000_000, size=5 * _chunked.CHUNK)
    for s in (V1, sc.join([sc.warmup(500), sc.cosine(10**7, end=0.1)], [500]) + 0.25):
        assert_same(s.evaluate(steps, threads=2), whole(s, steps))


@given(s=strategies.schedules(), chunk=st.integers(1, 9))
def test_threads_give_bit_for_bit_the_values_of_one_thread(s: sc.Schedule, chunk: int) -> None:
    steps = np.arange(1000, 1100) * 997
    with chunks_of(chunk):
        assert np.array_equal(s.evaluate(steps, threads=1), s.evaluate(steps, threads=4), equal_nan=True)


@pytest.mark.parametrize(
    "steps",
    [
        pytest.param(np.arange(24).reshape(4, 6), id="2-d"),
        pytest.param(np.asfortranarray(np.arange(24).reshape(4, 6)), id="fortran"),
        pytest.param(np.arange(48)[::2], id="strided"),
        pytest.param(np.array(7), id="0-d"),
        pytest.param(np.arange(0), id="empty"),
        pytest.param(np.arange(10, dtype=np.uint8), id="uint8"),
        pytest.param(np.array([2**63 - 1, 0, 2**62]), id="huge"),
        pytest.param(np.arange(30, dtype=">i8"), id="big-endian"),
        pytest.param(np.arange(30, dtype=">f8"), id="big-endian-float"),
        pytest.param(np.broadcast_to(np.arange(6), (4, 6)), id="read-only-broadcast"),
    ],
)
def test_any_shape_and_integer_dtype_gives_the_values_of_the_whole_array(steps: Any) -> None:
    s = sc.warmup(5) * sc.multistep([3, 9], gamma=0.5) + sc.cycle(sc.cosine(7), 7)
    with chunks_of(5):
        fast = s(steps)
    assert fast.shape == steps.shape
    assert fast.dtype == np.dtype(np.float64)
    np.testing.assert_allclose(fast, whole(s, steps), rtol=1e-12)


@pytest.mark.parametrize(
    ("steps", "message"),
    [
        pytest.param([0, 1, 2, 3, 4, 5, 6, -1], "got -1 at index 7", id="negative-in-a-later-chunk"),
        pytest.param([0.0, 1.0, 2.0, 3.0, math.nan, 1.0], "got nan at index 4", id="nan-in-a-later-chunk"),
        pytest.param([5.0, math.inf, 1.0, -2.0], "got inf at index 1", id="the-first-bad-step"),
    ],
)
@pytest.mark.parametrize("threads", [pytest.param(1, id="one-thread"), pytest.param(3, id="three-threads")])
def test_bad_steps_anywhere_name_the_first_one(steps: list[float], message: str, threads: int) -> None:
    with chunks_of(2), pytest.raises(ValueError, match=f"^steps must be finite and >= 0, {message}$"):
        sc.warmup(10).evaluate(np.array(steps), threads=threads)


@settings(max_examples=200)
@given(s=strategies.primitives(), steps=st.lists(st.integers(0, 2**31 - 1), min_size=1, max_size=20))
def test_float32_dtype_is_within_1e_6_of_float64(s: sc.Schedule, steps: list[int]) -> None:
    for dtype in ("int32", "int64"):
        values = s.evaluate(np.array(steps, dtype=dtype), dtype="float32")
        assert values.dtype == np.float32
        expected = s(np.array(steps, dtype=np.int64))
        atol = 1e-7 * strategies.magnitude(s)
        if isinstance(s, schedules.CosineWave) and not s._period:
            atol *= 1 + 4 * s.cycles * max(steps) / s.steps  # the rounding of the cosine's argument
        if isinstance(s, schedules.RadamWarmup):
            atol = 1e-4  # its formula cancels a large rho_inf; see the docstring
        np.testing.assert_allclose(values.astype(np.float64), expected, rtol=1e-6, atol=atol)


@settings(max_examples=100)
@given(s=strategies.schedules().filter(float32_friendly), data=st.data(), chunk=st.integers(1, 16))
def test_float32_dtype_gives_the_values_of_the_whole_array_in_float32(
    s: sc.Schedule, data: st.DataObject, chunk: int
) -> None:
    steps = data.draw(step_arrays(s))
    with chunks_of(chunk):
        fast = s.evaluate(steps, dtype="float32")
    assert_same_in_float32(s, fast, whole(s, steps, "float32"))


def test_float32_dtype_keeps_ends_exact_and_milestones_exact() -> None:
    s = sc.warmup(1000) * sc.multistep([2**24 + 1], gamma=0.5) * sc.polynomial(2**25, power=0.5)
    steps = np.array([0, 1000, 2**24, 2**24 + 1, 2**25, 2**26], dtype=np.int64)
    values = s.evaluate(steps, dtype="float32")
    assert values[[0, 4, 5]].tolist() == [0.0, 0.0, 0.0]
    assert values[1] == np.float32(math.sqrt(1 - 1000 / 2**25))
    assert values[3] / values[2] == pytest.approx(0.5, rel=1e-6)


@pytest.mark.parametrize(
    "dtype",
    [
        pytest.param("float32", id="name"),
        pytest.param(np.float32, id="type"),
        pytest.param(np.dtype("float32"), id="dtype"),
    ],
)
def test_dtype_is_a_name_or_a_numpy_dtype(dtype: Any) -> None:
    values = V1.evaluate(np.arange(0, 10**7, 997), dtype=dtype)
    assert values.dtype == np.float32


def test_float64_dtype_on_float32_steps_computes_in_float64() -> None:
    steps = np.arange(0, 10**7, 1013, dtype=np.float32)
    values = V1.evaluate(steps, dtype="float64")
    assert values.dtype == np.float64
    np.testing.assert_allclose(values, V1(steps.astype(np.float64)), rtol=1e-12, atol=1e-300)


@pytest.mark.parametrize(
    "dtype", [pytest.param("float16", id="float16"), pytest.param("longdouble", id="long")]
)
def test_other_float_dtypes_are_evaluated_whole(dtype: str) -> None:
    s = sc.warmup(100) * sc.multistep([300], gamma=0.5) * sc.polynomial(1000)
    steps = np.arange(0, 1200, 7)
    values = s.evaluate(steps, dtype=dtype)
    assert values.dtype == np.dtype(dtype)
    np.testing.assert_allclose(values.astype(np.float64), s(steps), rtol=2e-3, atol=1e-4)


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        pytest.param(
            {"dtype": "int32"}, TypeError, "dtype must be a real floating dtype, got str 'int32'", id="int"
        ),
        pytest.param(
            {"dtype": "float33"},
            TypeError,
            "dtype must be a real floating dtype, got str 'float33'",
            id="unknown",
        ),
        pytest.param(
            {"dtype": np.int64},
            TypeError,
            "dtype must be a real floating dtype, got <class 'numpy.int64'>",
            id="type",
        ),
        pytest.param(
            {"dtype": "complex64"},
            TypeError,
            "dtype must be a real floating dtype, got str 'complex64'",
            id="complex",
        ),
        pytest.param({"threads": 0}, ValueError, "threads must be a positive int, got 0", id="no-thread"),
        pytest.param(
            {"threads": 1.5}, TypeError, "threads must be a positive int, got float 1.5", id="float"
        ),
        pytest.param(
            {"threads": True}, TypeError, "threads must be a positive int, got bool True", id="bool"
        ),
    ],
)
def test_bad_options_are_errors(kwargs: dict[str, Any], error: type[Exception], message: str) -> None:
    with pytest.raises(error, match=f"^{re.escape(message)}$"):
        V1.evaluate(np.arange(10), **kwargs)


def test_a_dtype_with_a_python_number_step_is_an_error() -> None:
    message = (
        "dtype applies to arrays of steps; a Python number step gives a Python float, got dtype='float32'"
    )
    with pytest.raises(TypeError, match=f"^{re.escape(message)}$"):
        V1.evaluate(3, dtype="float32")
    assert V1.evaluate(3) == V1(3)


@settings(max_examples=300)
@given(
    s=strategies.schedules(),
    lo=strategies.steps,
    width=st.integers(0, 10**6),
    data=st.data(),
    floats=st.booleans(),
)
def test_a_restriction_equals_the_schedule_on_its_steps_and_its_region(
    s: sc.Schedule, lo: int, width: int, data: st.DataObject, floats: bool
) -> None:
    low, high = (float(lo), float(lo + width)) if floats else (lo, lo + width)
    part, start, stop = s._restrict(low, high)
    assert start <= low
    assert high < stop or start == stop == low
    probes = {low, high, data.draw(st.integers(lo, lo + width))}
    if stop > start:
        end = int(min(stop, start + 10**7))
        probes |= {start, end - 1, data.draw(st.integers(math.ceil(start), max(math.ceil(start), end - 1)))}
    for t in sorted(probes):
        assert part(t) == pytest.approx(s(t), rel=1e-12, abs=1e-300), f"{s!r} restricted to {part!r} at {t}"


@pytest.mark.parametrize(
    ("s", "lo", "hi", "expected"),
    [
        pytest.param(sc.multistep([10, 20], gamma=0.5), 12, 15, ("constant(0.5)", 10, 20), id="multistep"),
        pytest.param(
            V1, 1000, 50_000, ("polynomial(9000000, power=0.5)", 1000, 3_000_000), id="product-of-one"
        ),
        pytest.param(
            V1,
            3_000_000,
            3_100_000,
            ("0.1 * polynomial(9000000, power=0.5)", 3_000_000, 6_000_000),
            id="scale",
        ),
        pytest.param(V1, 9_000_000, 10**9, ("constant(0.0)", 9_000_000, math.inf), id="past-the-end"),
        pytest.param(
            V1,
            2_999_999,
            3_000_000,
            (
                "multistep([3000000, 6000000], gamma=0.1) * polynomial(9000000, power=0.5)",
                2_999_999,
                2_999_999,
            ),
            id="straddling",
        ),
        pytest.param(
            sc.join([sc.warmup(10), sc.polynomial(90)], [10]),
            20,
            30,
            ("<polynomial(90) from step 10>", 10, 100),
            id="join-piece",
        ),
        pytest.param(sc.cycle(sc.cosine(10), 10), 35, 39, ("<cosine(10) from step 30>", 30, 40), id="cycle"),
        pytest.param(
            sc.per_epoch(sc.exponential(0.5), 100),
            250,
            260,
            ("<exponential(0.5) at step 2>", 200, 300),
            id="epoch",
        ),
        pytest.param(
            sc.piecewise_linear([0, 10, 30], [0.0, 1.0, 0.0]),
            12,
            20,
            ("<linear(1.0, 0.0, 20) from step 10>", 10, 30),
            id="piecewise-linear",
        ),
        pytest.param(sc.wsd(10, 80, 10), 15, 85, ("constant(1.0)", 10, 90), id="wsd-stable"),
        pytest.param(
            sc.per_epoch(sc.multistep([2], gamma=0.1), 100),
            250,
            260,
            ("constant(0.1)", 200, 300),
            id="epoch-steps",
        ),
        pytest.param(
            sc.clip(sc.step_decay(10, gamma=0.5), low=0.2), 40, 49, ("constant(0.2)", 40, 50), id="clip"
        ),
        pytest.param(sc.exponential(0.9), 5, 10**6, ("exponential(0.9)", 0, math.inf), id="smooth"),
    ],
)
def test_restrictions_fold_what_the_steps_cannot_tell_apart(
    s: sc.Schedule, lo: int, hi: int, expected: tuple[str, float, float]
) -> None:
    part, start, stop = s._restrict(lo, hi)
    assert (repr(part), start, stop) == expected


def test_numpy_arrays_take_the_chunked_path_with_kernels(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: Any) -> Any:
        raise AssertionError("evaluated without a kernel")

    monkeypatch.setattr(_backend, "evaluate_whole", refuse)
    monkeypatch.setattr(_chunked._Compiler, "generic", refuse)
    steps = np.arange(0, 12_000_000, 7)  # sorted: chunks across breakpoints go region by region
    for s in (
        V1,
        sc.join([sc.warmup(10), sc.cosine(10**7, end=0.1)], [10]) * 2.0 + 0.5,
        sc.clip(sc.exponential(0.999) * sc.inverse_sqrt(100), low=0.01) * sc.exponential_warmup(10**5),
        sc.cycle(sc.linear(1.0, 0.1, 2_000_000), 2_000_000),
    ):
        assert s(steps).shape == steps.shape
