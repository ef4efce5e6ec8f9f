"""Numpy steps evaluated in chunks: the values of the whole-array evaluation, bit for bit, faster."""

from __future__ import annotations

import contextlib
import linecache
import math
import re
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

np = pytest.importorskip("numpy")

import schedcore as sc  # noqa: E402
from schedcore import _backend, _chunked, _graph, schedules  # noqa: E402
from tests import strategies  # noqa: E402

V1 = sc.warmup(1000) * sc.multistep([3_000_000, 6_000_000], 0.1) * sc.polynomial(9_000_000, power=0.5)


@contextlib.contextmanager
def chunked_settings(**values: int) -> Iterator[None]:
    """Evaluate with these values of the constants of ``schedcore._chunked``."""
    saved = {name: getattr(_chunked, name) for name in values}
    for name, value in values.items():
        setattr(_chunked, name, value)
    try:
        yield
    finally:
        for name, value in saved.items():
            setattr(_chunked, name, value)


def chunks_of(size: int) -> contextlib.AbstractContextManager[None]:
    """Evaluate with chunks of ``size`` steps, so that short arrays cross many chunks."""
    return chunked_settings(CHUNK=size)


def without_tables() -> contextlib.AbstractContextManager[None]:
    """Make plans that settle short periods as long ones (no tables, no quotients left to run)."""
    return chunked_settings(_TABLE=0, _SHORT=0)


def whole(s: sc.Schedule, t: Any, dtype: Any = None) -> Any:
    return _backend.evaluate_whole(s, t, dtype, None)


def assert_same(fast: Any, slow: Any) -> None:
    """The same dtype, shape and values, bit for bit (NaN where NaN)."""
    assert fast.dtype == slow.dtype
    assert fast.shape == np.shape(slow)
    np.testing.assert_array_equal(fast, slow)


@st.composite
def step_arrays(
    draw: Any, s: sc.Schedule, dtypes: tuple[str, ...] = ("int64", "float64", "int32", "uint32", "uint64")
) -> Any:
    """Runs of consecutive steps starting near the schedule's breakpoints, or anywhere."""
    points = [0, *s.breakpoints(2 * 10**6, limit=20)]
    runs = []
    for _ in range(draw(st.integers(1, 4))):
        start = max(0, draw(st.sampled_from(points)) + draw(st.integers(-40, 40)))
        if draw(st.booleans()):
            start = draw(strategies.steps)
        runs.append(np.arange(start, start + draw(st.integers(1, 60))))
    steps = np.concatenate(runs)
    if draw(st.booleans()):
        steps = steps[draw(st.permutations(range(steps.size)))]
    dtype = np.dtype(draw(st.sampled_from(dtypes)))
    if dtype.kind in "iu":
        steps = steps.clip(0, np.iinfo(dtype).max)
    return steps.astype(dtype)


@settings(max_examples=300)
@given(s=strategies.schedules(), data=st.data(), chunk=st.integers(1, 80), threads=st.sampled_from([1, 3]))
def test_chunks_give_the_values_of_the_whole_array_bit_for_bit(
    s: sc.Schedule, data: st.DataObject, chunk: int, threads: int
) -> None:
    first, second = data.draw(step_arrays(s)), data.draw(step_arrays(s))
    with chunks_of(chunk):
        for steps in (first, second):  # the second call starts from the first one's region
            assert_same(_chunked.evaluate(s, steps, None, threads), whole(s, steps))


@settings(max_examples=300)
@given(
    s=strategies.schedules(),
    data=st.data(),
    start=st.integers(0, 2000),
    size=st.integers(1, 600),
    chunk=st.integers(8, 200),
    piece=st.integers(1, 8),
)
def test_chunks_split_at_the_edges_of_narrow_regions_give_the_values_of_the_whole_array(
    s: sc.Schedule, data: st.DataObject, start: int, size: int, chunk: int, piece: int
) -> None:
    # With pieces of a few steps, sorted chunks split after a first region (Plan.leading)
    # and before a last one (Plan.trailing); other steps check the splits.
    sorted_steps = np.arange(start, start + size)
    with chunked_settings(CHUNK=chunk, _PIECE=piece):
        for steps in (sorted_steps, data.draw(step_arrays(s)), sorted_steps):
            assert_same(_chunked.evaluate(s, steps, None, 1), whole(s, steps))


@settings(max_examples=150)
@given(s=strategies.schedules(), data=st.data(), chunk=st.integers(1, 16))
def test_float32_steps_give_the_values_of_the_whole_array_bit_for_bit(
    s: sc.Schedule, data: st.DataObject, chunk: int
) -> None:
    steps = data.draw(step_arrays(s, ("float32",)))
    with chunks_of(chunk):
        assert_same(s(steps), whole(s, steps))


@settings(max_examples=150)
@given(s=strategies.schedules(), data=st.data(), chunk=st.integers(1, 16))
def test_float32_dtype_gives_the_values_of_the_whole_array_in_float32_bit_for_bit(
    s: sc.Schedule, data: st.DataObject, chunk: int
) -> None:
    steps = data.draw(step_arrays(s))
    with chunks_of(chunk):
        assert_same(s.evaluate(steps, dtype="float32"), whole(s, steps, "float32"))


@pytest.mark.parametrize("s", strategies.one_of_each(), ids=repr)
@pytest.mark.parametrize("dtype", ["int64", "int32", "uint64", "float64", "float32"])
def test_every_class_gives_the_values_of_the_whole_array_bit_for_bit(s: sc.Schedule, dtype: str) -> None:
    steps = np.concatenate([np.arange(0, 200), np.arange(10**6, 10**6 + 50), [2**24 + 1, 2**31 - 1]])
    steps = steps.astype(dtype)
    with chunks_of(7):
        assert_same(s(steps), whole(s, steps))
        assert_same(s.evaluate(steps, dtype="float32"), whole(s, steps, "float32"))
    assert_same(s(steps[::-1]), whole(s, steps[::-1]))


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


@given(size=st.integers(1, 3000), chunk=st.integers(1, 40), workers=st.integers(2, 8), data=st.data())
def test_threads_take_every_chunk_once_in_ascending_blocks(
    size: int, chunk: int, workers: int, data: st.DataObject
) -> None:
    with chunks_of(chunk):
        source = _chunked._block_starts(size, workers, chunk)
        threads = [source() for _ in range(workers)]
        taken: list[list[int]] = [[] for _ in range(workers)]
        running = list(range(workers))
        while running:  # the threads take their next chunk in any order
            i = data.draw(st.sampled_from(running))
            start = next(threads[i], None)
            if start is None:
                running.remove(i)
            else:
                taken[i].append(start)
    assert sorted(start for starts in taken for start in starts) == list(range(0, size, chunk))
    assert all(starts == sorted(starts) for starts in taken)


def test_threads_write_blocks_of_consecutive_chunks_into_a_large_result() -> None:
    """Each thread faults in pages of its own: 8 MiB of results in a row at 10M steps."""
    chunk = _chunked.CHUNK * _chunked.THREAD_CHUNKS
    source = _chunked._block_starts(10_000_000, 2, chunk)
    first, second = source(), source()
    block = (1 << 20) // chunk
    mine = [next(first) for _ in range(block)]
    theirs = next(second)
    assert mine == list(range(0, block * chunk, chunk))
    assert theirs == block * chunk


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
    np.testing.assert_array_equal(fast, whole(s, steps).astype(np.float64))


@pytest.mark.parametrize(
    "steps",
    [
        pytest.param(np.arange(24).reshape(4, 6), id="c-order"),
        pytest.param(np.asfortranarray(np.arange(24).reshape(4, 6)), id="fortran"),
        pytest.param(np.arange(60.0).reshape(3, 4, 5).T, id="transposed-3-d"),
        pytest.param(np.arange(48).reshape(4, 12)[:, ::2], id="strided"),
    ],
)
@pytest.mark.parametrize("threads", [1, 2])
def test_the_result_is_laid_out_in_memory_as_numpy_functions_lay_out_theirs(steps: Any, threads: int) -> None:
    s = sc.warmup(5) * sc.multistep([3, 9], gamma=0.5) + sc.cycle(sc.cosine(7), 7)
    with chunks_of(5):
        fast = s.evaluate(steps, threads=threads)
    numpys = np.negative(steps).flags
    assert (fast.flags.c_contiguous, fast.flags.f_contiguous) == (numpys.c_contiguous, numpys.f_contiguous)
    np.testing.assert_array_equal(fast, whole(s, steps))


@pytest.mark.parametrize("order", ["C", "F"])
def test_a_bad_step_is_named_by_its_index_in_c_order_in_either_memory_order(order: str) -> None:
    steps = np.arange(24).reshape(4, 6)
    steps[2, 1] = -3
    with chunks_of(5), pytest.raises(ValueError, match=r"got -3 at index 13$"):
        sc.cosine(10)(np.asarray(steps, order=order))


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


@pytest.mark.parametrize("dtype", ["int64", "int32", "int16", ">i8"])
@pytest.mark.parametrize("s", [sc.constant(0.5), sc.inverse_sqrt(3), sc.warmup(10)], ids=repr)
def test_a_negative_step_in_a_region_from_zero_is_found(s: sc.Schedule, dtype: str) -> None:
    """Chunks in a region that holds every step >= 0 are checked by their greatest unsigned value."""
    steps = np.arange(40).astype(dtype)
    steps[33] = -7
    with chunks_of(4):
        s.evaluate(steps[:30], threads=1)  # constant's and inverse_sqrt's region holds every step
        with pytest.raises(ValueError, match=r"^steps must be finite and >= 0, got -7 at index 33$"):
            s.evaluate(steps, threads=1)
        steps[33] = 33
        assert_same(s.evaluate(steps, threads=1), whole(s, steps))


def test_steps_in_the_other_byte_order_are_checked_by_their_values() -> None:
    # 2**56 in big-endian bytes reads as 1 in little-endian ones, inside warmup(10)'s ramp.
    steps = np.array([0, 1, 2, 3, *[2**56] * 4, *range(8, 40)], dtype=">i8")
    with chunks_of(4):
        assert_same(sc.warmup(10).evaluate(steps, threads=1), whole(sc.warmup(10), steps))


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


def test_longdouble_is_evaluated_whole() -> None:
    s = sc.warmup(100) * sc.multistep([300], gamma=0.5) * sc.polynomial(1000)
    steps = np.arange(0, 1200, 7)
    values = s.evaluate(steps, dtype="longdouble")
    assert values.dtype == np.dtype("longdouble")
    np.testing.assert_allclose(values.astype(np.float64), s(steps), rtol=1e-12)


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
        pytest.param(
            {"dtype": "float16"},
            TypeError,
            "dtype must be a floating dtype of 32 bits or more, got str 'float16'",
            id="float16",
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


def test_float16_steps_are_refused_not_turned_into_nan() -> None:
    message = "steps must not be float16, which holds too few whole numbers for a step count"
    for s in (sc.polynomial(100_000), sc.warmup(10)):
        with pytest.raises(TypeError, match=f"^{re.escape(message)}"):
            s(np.array([0, 100, 1000], np.float16))


def test_a_dtype_with_a_python_number_step_is_an_error() -> None:
    message = (
        "dtype applies to arrays of steps; a Python number step gives a Python float, got dtype='float32'"
    )
    with pytest.raises(TypeError, match=f"^{re.escape(message)}$"):
        V1.evaluate(3, dtype="float32")
    assert V1.evaluate(3) == V1(3)


# --- what a range of steps decides -------------------------------------------------------------


def _radam_expm1_edge() -> int:
    """The first step at which numpy's expm1 in radam_warmup(0.999) is -1.

    numpy 2's expm1 gets there at t = 37407, numpy 1.26's at 37385; its argument is
    ``-(t + offset) * L`` (see RadamWarmup.formula).
    """
    s = sc.radam_warmup(0.999)
    steps = np.arange(30_000, 40_000)
    x = (steps.astype(np.float64) + float(s._offset)) * s._rate
    return int(steps[np.argmax(np.expm1(-x) == -1.0)])


EXPM1_EDGE = _radam_expm1_edge()


def program_for(s: sc.Schedule, lo: int, hi: int) -> tuple[str, Any, Any]:
    """The source of the program for the steps ``lo .. hi`` (int64), and its region."""
    s(np.arange(1))
    plan = s._compiled_cache()[(np.dtype(np.int64), np.dtype(np.float64))]
    (lower, upper, compiled, _), _ = plan.region(lo, hi)
    return "".join(linecache.getlines(compiled.run.__code__.co_filename)), lower, upper


@pytest.mark.parametrize(
    ("s", "lo", "hi", "region", "has", "lacks"),
    [
        pytest.param(
            sc.multistep([10, 20], gamma=0.5), 12, 15, (10, 20), "out[...] = k[0]", "searchsorted", id="step"
        ),
        pytest.param(V1, 1000, 50_000, (1000, 3_000_000), "sqrt", "multiply", id="factors-of-one-drop-out"),
        pytest.param(
            V1, 3_000_000, 3_100_000, (3_000_000, 6_000_000), "multiply(k[3]", "minimum", id="scale"
        ),
        pytest.param(
            V1, 9_000_000, 10**9, (9_000_000, math.inf), "out[...] = k[0]", "sqrt", id="past-the-end"
        ),
        pytest.param(
            V1, 2_999_999, 3_000_000, (2_999_999, 3_000_000), "searchsorted", "greater", id="across"
        ),
        pytest.param(
            sc.join([sc.warmup(10), sc.polynomial(90)], [10]),
            20,
            30,
            (10, 100),
            "subtract",
            "greater",
            id="join",
        ),
        pytest.param(sc.cycle(sc.cosine(10), 10), 35, 39, (30, 40), "sin", "remainder", id="cycle"),
        pytest.param(
            sc.per_epoch(sc.exponential(0.5), 100), 250, 260, (200, 300), "out[...]", "exp", id="epoch"
        ),
        pytest.param(sc.wsd(10, 80, 10), 15, 85, (10, 90), "out[...] = k[0]", "sin", id="wsd-stable"),
        pytest.param(
            sc.clip(sc.step_decay(10, 0.5), low=0.2), 40, 49, (40, 50), "out[...]", "maximum", id="clip"
        ),
        # exp(t ln 0.9) underflows to 0 from t = 7073 on: there the curve is a fill.
        pytest.param(sc.exponential(0.9), 5, 5000, (0, 7073), "exp", "greater", id="smooth"),
        pytest.param(
            sc.exponential(0.9), 8000, 10**6, (7073, math.inf), "out[...] = k[0]", "exp", id="underflow"
        ),
        # min(t / 1000, 1) on a float time: settled by the float's own values, its edge by bisection.
        pytest.param(sc.stretch(sc.cosine(1), 1000), 0, 500, (0, 1001), "sin", "minimum", id="float-time"),
        pytest.param(
            sc.stretch(sc.cosine(1), 1000), 2000, 3000, (1001, 2**53), "out[...]", "sin", id="float-time-end"
        ),
        pytest.param(
            sc.per_sample(sc.cosine(10**6), 3), 0, 300_000, (0, 333_334), "sin", "minimum", id="per-sample"
        ),
        # The cast's bias (2**52 + t, see _bias) goes into t + 5: the region ends at 2**52.
        # With x = (t + 5) * -ln(0.999): expm1(-x) rounds to -1 from about t = 37400 on (where
        # exactly is numpy's: see EXPM1_EDGE), exp(-x) underflows from t = 744756 on, and the
        # curve is then a fill.
        pytest.param(sc.radam_warmup(0.999), 200, 300, (95, EXPM1_EDGE), "expm1", "less", id="radam-direct"),
        pytest.param(
            sc.radam_warmup(0.999), 40_000, 50_000, (EXPM1_EDGE, 744756), "exp", "expm1", id="radam-far"
        ),
        pytest.param(
            sc.radam_warmup(0.999),
            10**6,
            10**7,
            (744756, math.inf),
            "out[...] = k[0]",
            "exp",
            id="radam-flat",
        ),
        pytest.param(sc.inverse_sqrt(100), 0, 10**6, (0, 2**52), "bitwise_or", "copyto", id="biased-cast"),
        pytest.param(sc.exponential(0.9), 0, 5000, (0, 7073), "copyto", "bitwise_or", id="plain-cast"),
        # A wave's remainder t mod 4, left open, runs in floats up to 2**53 - 4 (see _lift).
        pytest.param(
            sc.cosine_wave(10, cycles=2.5),
            0,
            10**6,
            (0, 2**53 - 4),
            "np.floor(",
            "floor_divide",
            id="float-mod",
        ),
    ],
)
def test_a_range_of_steps_settles_what_it_can_and_says_where(
    s: sc.Schedule, lo: int, hi: int, region: tuple[float, float], has: str, lacks: str
) -> None:
    with without_tables():  # what the specialization settles in short periods too
        source, lower, upper = program_for(s, lo, hi)
    assert (lower[0], upper[0]) == region
    assert has in source
    assert lacks not in source


class _Underflows(sc.Schedule):
    """exp(-t) times terms that change sign or overflow: the folded zero must keep every bit."""

    __slots__ = ()

    def formula(self, t: Any, ops: sc.Operations) -> Any:
        x = ops.real(t) + 0.5  # a float that rises with the step
        tiny = ops.exp(-x)  # 0 from t = 745 on
        signed = 1.0 / (tiny * (x - 2000.5))  # then -inf before 2000, +inf from it on (1 / +0)
        flipped = 1.0 / (-0.0 * tiny * (3000.5 - x))  # -inf up to 3000, +inf past it
        overflowing = tiny * (x * 1e306)  # inf * 0: NaN
        curve = ops.where(x < 2500.0, signed, ops.where(x < 4000.0, flipped, overflowing))
        return curve + (ops.expm1(-x) + 1.0)  # expm1 rounds to -1 from t = 38 on


def test_a_saturated_function_keeps_every_bit_of_what_follows_it() -> None:
    """Zeros of either sign, infinities and NaN: the same as the whole-array evaluation."""
    steps = np.arange(0, 6000)
    with np.errstate(all="ignore"):  # the infinities and NaN are the point
        values = whole(_Underflows(), steps)
    assert np.isneginf(values[745:2000]).all()
    assert np.isposinf(values[2000:2500]).all()
    assert np.isneginf(values[2500:3001]).all()
    assert np.isposinf(values[3001:4000]).all()
    assert np.isnan(values[4000:]).all()
    for size in (1, 7, 100, 1000, 4096):
        with chunks_of(size):
            for order in (steps, steps[::-1]):
                assert_same(_Underflows()(order), values[order])
    source, lower, upper = program_for(_Underflows(), 4100, 5000)
    assert "exp" not in source
    assert "out[...] = k[0]" in source  # a fill of NaN
    assert (lower[0], upper[0]) == (4000, math.inf)


def test_a_walk_over_sorted_steps_finds_where_a_function_saturates() -> None:
    """The chunk across the step where exp underflows is left undecided, so the next finds the fill."""
    s = sc.radam_warmup(0.999)
    steps = np.arange(2_000_000)
    assert_same(s.evaluate(steps, threads=1), whole(s, steps))
    _, regions = s._compiled_cache()[(steps.dtype, np.dtype(np.float64))].known
    assert [(lower[0], upper[0]) for lower, upper, _, constants in regions if len(constants) == 1] == [
        (744756, math.inf)
    ]


@pytest.mark.parametrize(
    "s",
    [
        sc.linear(1.0, 0.0, 2**52),  # T - t with T = 2**52: the constant becomes 2**53
        sc.linear(1.0, 0.0, 2**52 + 2),  # a constant too large to take the bias
        sc.inverse_sqrt(3),  # t + T
        sc.shift(sc.polynomial(2**40), 2**51),  # t - b
        sc.join([sc.warmup(10), sc.cosine(2**52 - 10)], [10]),
    ],
    ids=repr,
)
def test_the_biased_cast_keeps_every_value_up_to_and_past_2_to_the_52(s: sc.Schedule) -> None:
    edge = 2**52
    steps = np.array(
        [0, 1, 7, edge - 3, edge - 2, edge - 1, edge, edge + 1, edge + 2, 2**53 - 1, 2**53, 2**62]
    )
    for order in (steps, steps[::-1], np.repeat(steps, 3)):
        with chunks_of(2):
            assert_same(s(order), whole(s, order))
        assert_same(s(order), whole(s, order))


@pytest.mark.parametrize("dtype", ["int64", "uint64", "int32"])
@pytest.mark.parametrize(
    "s", [sc.cosine_wave(10, cycles=2.5), sc.cycle(sc.cosine(10), 10), sc.cyclic(3)], ids=repr
)
def test_a_remainder_by_a_constant_keeps_every_value_up_to_the_largest_step(
    s: sc.Schedule, dtype: str
) -> None:
    top = np.iinfo(dtype).max
    steps = np.array([0, 1, 6, 7, 8, 13, 14, 2**20 + 5, top // 2, top - 7, top - 1, top], dtype=dtype)
    for order in (steps, steps[::-1]):
        with chunks_of(3):
            assert_same(s(order), whole(s, order))
    plan = s._compiled_cache()[(steps.dtype, np.dtype(np.float64))]
    sources = ["".join(linecache.getlines(c.run.__code__.co_filename)) for c in plan.programs.values()]
    # x - (x // P) * P in the integers, or x - floor(x / P) * P in floats where they hold x + P
    assert any("floor_divide" in source or "np.floor(" in source for source in sources)
    assert not any("remainder" in source for source in sources)


@pytest.mark.parametrize("dtype", ["int64", "uint64"])
@pytest.mark.parametrize("period", [1, 3, 4, 7, 2**20 + 7, 2**40 + 1])
def test_a_remainder_left_open_is_computed_in_floats_up_to_where_they_hold_it(
    period: int, dtype: str
) -> None:
    """``t - floor(t / P) * P`` in float64 below ``2**53 - P``; the integers' own remainder past it."""
    s = sc.cosine_wave(period, cycles=1)  # sin(pi / 2 * (P - 2 (t mod P)) / P) ** 2
    assert s._period == period
    edge = 2**53 - period
    near = [edge - 2, edge - 1, edge, edge + 1, 2**53 - 1, 2**53, 2**53 + 1, 2**53 + 3, 2**62 + 1]
    steps = np.array([0, 1, period - 1, period, period + 1, 3 * period + 2, 2**52 + 1, *near], dtype=dtype)
    for order in (steps, steps[::-1], np.repeat(steps, 3)):
        for size in (1, 2, 5):
            with chunks_of(size):
                assert_same(s(order), whole(s, order))
    runs = np.arange(edge - 5 * period, edge + 5 * period, max(1, period // 5), dtype=dtype)
    with chunks_of(16):
        assert_same(s(runs), whole(s, runs))
    if period < 2**20:  # in float32, below 2**24 - P
        low = np.array(
            [0, 1, period + 1, 2**24 - period - 1, 2**24 - period, 2**24 - 1, 2**24 + 1, 2**30 + 1]
        )
        for order in (low, low[::-1]):
            with chunks_of(2):
                assert_same(s.evaluate(order, dtype="float32"), whole(s, order, "float32"))
    s = sc.cosine_wave(period, cycles=1)  # a new plan, without the regions of the steps past the edge
    with without_tables():  # a short period's wave is read from a table: see the tests of tables
        source, lower, upper = program_for(s, 0, 10**6)
    assert "floor_divide" not in source
    assert "np.floor(" in source
    assert (lower, upper) == ((0, 0), (edge, 0))
    source, _, _ = program_for(s, edge, edge + 10)
    assert "floor_divide" in source


class _WrappingRemainder(sc.Schedule):
    """A remainder scaled past the int32 range: the floats must wrap around as the integers do."""

    __slots__ = ()

    def formula(self, t: Any, ops: sc.Operations) -> Any:
        return ops.real(ops.mod(t, 7) * 400_000_000) * 1e-9


def test_a_remainder_s_chain_stays_in_the_integers_where_they_wrap_around() -> None:
    steps = np.arange(50, dtype=np.int32)
    values = whole(_WrappingRemainder(), steps)
    assert values[6] < 0  # 2.4e9 wrapped around to -1.89e9
    with chunks_of(7):
        assert_same(_WrappingRemainder()(steps), values)


def test_specialization_folds_constants_in_the_formulas_order() -> None:
    s = 1e-30 * sc.multistep([10], gamma=1e-300) * sc.exponential(1e10)
    alone = s(np.array([30]))[0]
    for others in ([0, 30], [30, 10**9], list(range(40))):
        steps = np.array(others)
        assert s(steps)[others.index(30)] == alone == whole(s, steps)[others.index(30)]
    assert alone == pytest.approx(1e-30, rel=1e-12)


def specializations(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """The ranges the chunks specialize the graph for from now on."""
    calls: list[Any] = []
    real = _graph.specialize

    def counted(*args: Any) -> Any:
        calls.append(args[1:])
        return real(*args)

    monkeypatch.setattr(_chunked, "specialize", counted)
    return calls


def test_sorted_steps_with_many_short_regions_take_few_specializations(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    calls = specializations(monkeypatch)
    steps = np.arange(10**5)
    for s in (sc.step_decay(1, 0.999), sc.cycle(sc.cosine(10), 10), sc.per_epoch(sc.cosine(50), 3)):
        calls.clear()
        assert_same(s(steps), whole(s, steps))
        # About one per chunk, not per region, and a few looking for a wide region at the end.
        assert len(calls) <= 2 * (steps.size // _chunked.CHUNK + 1) + _chunked._TAIL_TRIES


SHORT_PERIODS = [
    pytest.param(sc.cyclic(2000), id="cyclic"),  # torch's CyclicLR default
    pytest.param(sc.cyclic(3, steps_down=5, start=0.2), id="cyclic-tiny"),
    pytest.param(sc.cycle(sc.warmup(3) * sc.cosine(10), 10, decay=0.8), id="cycle-decay"),
    pytest.param(sc.cycle(sc.multistep([3, 7], gamma=0.5), 10), id="cycle-of-steps"),
    pytest.param(sc.cosine_wave(300, cycles=3, restart=True), id="wave-restarts"),
    pytest.param(
        sc.join([sc.warmup(100), sc.shift(sc.cycle(sc.cosine(700), 700), 100)], [100]), id="shifted"
    ),
    pytest.param(sc.per_sample(sc.cycle(sc.cosine(100), 100), 7), id="per-sample"),
    pytest.param(sc.cycle(sc.cosine(50), 50) * sc.cyclic(30) + 0.1 * sc.exponential(0.999), id="two-periods"),
    pytest.param(sc.cycle(sc.cosine(_chunked._TABLE), _chunked._TABLE), id="longest-table"),
]


@pytest.mark.parametrize("s", SHORT_PERIODS)
@pytest.mark.parametrize("dtype", ["int64", "int32", "uint16", "uint8"])
def test_short_periods_from_tables_give_the_values_of_the_whole_array(s: sc.Schedule, dtype: str) -> None:
    top = min(np.iinfo(dtype).max, 3 * 10**5)
    sorted_steps = np.arange(top, dtype=dtype)
    shuffled = np.random.default_rng(7).permutation(sorted_steps)
    for steps in (sorted_steps, sorted_steps[::-1], shuffled):
        for threads in (1, 2):
            assert_same(s.evaluate(steps, threads=threads), whole(s, steps))
        assert_same(s.evaluate(steps, dtype="float32"), whole(s, steps, "float32"))
    with chunks_of(7):
        assert_same(s(shuffled[:500]), whole(s, shuffled[:500]))


def nodes_of_plan(s: sc.Schedule) -> list[str]:
    s(np.arange(1))
    plan = s._compiled_cache()[(np.dtype(np.int64), np.dtype(np.float64))]
    return [node.op for node in _graph.nodes_of(plan.graph.root)]


@pytest.mark.parametrize(
    "s",
    [p for p in SHORT_PERIODS if p.id not in ("cycle-of-steps", "per-sample")],  # type: ignore[attr-defined]
)
def test_a_short_period_s_part_is_read_from_a_table(s: sc.Schedule) -> None:
    assert "gather" in nodes_of_plan(s)


def test_a_part_of_one_operation_or_of_a_fractional_remainder_is_computed_at_every_step() -> None:
    assert "gather" not in nodes_of_plan(sc.cycle(sc.multistep([3, 7], gamma=0.5), 10))  # one lookup
    assert "gather" not in nodes_of_plan(sc.per_sample(sc.cycle(sc.cosine(100), 100), 7))  # (7 t) mod 100.0


def test_sorted_steps_across_many_short_periods_take_a_few_specializations_in_all(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Without tables, every chunk crosses periods and takes a specialization of its own
    # (and more for its first pieces); with them, a cycle's decisions are all in its table.
    calls = specializations(monkeypatch)
    steps = np.arange(2 * 10**6)
    for s in (sc.cyclic(2000), sc.cycle(sc.warmup(3) * sc.cosine(10), 10, decay=0.8)):
        calls.clear()
        assert_same(s(steps), whole(s, steps))
        assert len(calls) <= 10  # the tables' few regions, and the whole array's one
    assert "quotient" in nodes_of_plan(s)  # the decay's cycle count, computed at every step


def test_periods_past_a_table_and_quotients_that_a_decision_reads_are_settled_per_period() -> None:
    long = sc.cycle(sc.cosine(_chunked._TABLE + 1), _chunked._TABLE + 1, decay=0.5)
    assert "gather" not in nodes_of_plan(long)
    assert "quotient" not in nodes_of_plan(long)
    assert "quotient" not in nodes_of_plan(sc.per_epoch(sc.multistep([3, 6], 0.1), 100))  # read by the steps
    assert "quotient" in nodes_of_plan(sc.per_epoch(sc.exponential(0.9), 100))
    assert "quotient" not in nodes_of_plan(sc.per_epoch(sc.exponential(0.9), _chunked._SHORT + 1))


def test_a_second_call_compiles_no_program(monkeypatch: pytest.MonkeyPatch) -> None:
    # Specializations build nodes afresh (a lifted cast, an affine form): their programs are
    # cached by structure, so a repeated call reuses them instead of compiling (and keeping) more.
    steps = np.arange(10**6)
    compiled: list[Any] = []
    real = _chunked._Compiled

    def counted(*args: Any) -> Any:
        compiled.append(args)
        return real(*args)

    monkeypatch.setattr(_chunked, "_Compiled", counted)
    schedules = [sc.cyclic(25_000, start=0.1), sc.cycle(sc.cosine(50_000), 50_000)]
    schedules.append(sc.stretch(sc.cosine(1), 10**6))
    for s in schedules:
        first = s.evaluate(steps, threads=1)
        compiled.clear()
        assert_same(s.evaluate(steps, threads=1), first)
        assert not compiled, f"{s!r} compiled {len(compiled)} programs again"


def programs_run(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The sources of the programs the chunks run from now on, one entry per run."""
    sources: list[str] = []
    real = _chunked._run

    def recorded(region: Any, *args: Any) -> None:
        sources.append("".join(linecache.getlines(region[2].run.__code__.co_filename)))
        real(region, *args)

    monkeypatch.setattr(_chunked, "_run", recorded)
    return sources


def test_a_sorted_chunk_across_an_edge_runs_each_side_s_own_program(monkeypatch: pytest.MonkeyPatch) -> None:
    # 100_000 lies inside the second chunk: split there, neither piece compares its steps.
    s = sc.multistep([100_000], gamma=0.1) * sc.cosine_wave(70_000)
    sources = programs_run(monkeypatch)
    steps = np.arange(3 * _chunked.CHUNK)
    with without_tables():  # the wave's period alone would be read from a table
        assert_same(s.evaluate(steps, threads=1), whole(s, steps))
    assert len(sources) == 4
    assert not any("greater_equal" in source or "where=" in source for source in sources)


@pytest.mark.parametrize(
    "order",
    [
        pytest.param(lambda t: t[::-1].copy(), id="descending"),
        pytest.param(lambda t: np.concatenate([t[:70_000], t[-1:], t[70_000:-1]]), id="one-step-moved"),
        pytest.param(lambda t: np.concatenate([t[:90_000], t[80_000:]]), id="a-repeat-after-the-edge"),
    ],
)
def test_unsorted_chunks_across_an_edge_keep_the_comparison(order: Any) -> None:
    s = sc.multistep([100_000], gamma=0.1) * sc.cosine_wave(70_000)
    steps = order(np.arange(3 * _chunked.CHUNK))
    assert_same(s.evaluate(steps, threads=1), whole(s, steps))
    assert_same(s.evaluate(steps, threads=2), whole(s, steps))


def test_a_second_call_specializes_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    # The decided regions met in the first call are remembered: a chunk inside one, or one
    # across an edge between two, needs no specialization in a later call.
    calls = specializations(monkeypatch)
    steps = np.arange(10**6)
    for s in (sc.cyclic(25_000, start=0.1), sc.per_epoch(sc.cosine(100), 10_000), V1):
        first = s.evaluate(steps, threads=1)
        calls.clear()
        assert_same(s.evaluate(steps, threads=2), first)
        assert not calls, f"{s!r} specialized {len(calls)} ranges again"


def test_a_chunk_past_a_short_schedule_s_end_runs_the_end_s_program(monkeypatch: pytest.MonkeyPatch) -> None:
    # The regions from step 0 are narrower than a piece: the chunk is split before the wide
    # one at its end, whose program is a fill, rather than deciding every step of 60,000.
    s = sc.warmup(100) * sc.multistep([300, 600], 0.1) * sc.polynomial(1000, 1.0)
    steps = np.arange(60_000)
    sources = programs_run(monkeypatch)
    calls = specializations(monkeypatch)
    for _ in range(2):
        sources.clear()
        assert_same(s(steps), whole(s, steps))
        assert len(sources) == 2
        assert "out[...] = k[0]" in sources[1]
    assert len(calls) == 3  # the first call's: none in the second, the narrow part's included


@pytest.mark.parametrize(
    "order",
    [
        pytest.param(lambda t: t[::-1].copy(), id="descending"),
        pytest.param(lambda t: np.concatenate([t[:30_000], t[:1], t[30_000:-1]]), id="a-step-0-in-the-end"),
    ],
)
def test_a_chunk_past_the_end_of_unsorted_steps_is_not_split(order: Any) -> None:
    s = sc.warmup(100) * sc.multistep([300, 600], 0.1) * sc.polynomial(1000, 1.0)
    steps = order(np.arange(60_000))
    assert_same(s(steps), whole(s, steps))


def test_one_chunk_calls_reuse_their_scratch_buffers(monkeypatch: pytest.MonkeyPatch) -> None:
    # New buffers are new memory, paged in at each call; a call while another holds them
    # (from a finalizer, say) makes its own.
    s = V1
    steps = np.arange(2_000_000, 2_050_000)  # inside the polynomial's decay: one program
    s(steps)
    lent: list[list[int]] = []
    real = _chunked._Scratch.of

    def of(scratch: Any, compiled: Any) -> list[Any]:
        buffers = real(scratch, compiled)
        lent.append([id(b) for b in buffers])
        return buffers

    monkeypatch.setattr(_chunked._Scratch, "of", of)
    assert_same(s(steps), whole(s, steps))
    assert_same(s(steps), whole(s, steps))
    assert lent[0]
    assert lent[0] == lent[1]
    held = _chunked._Scratch(steps.size)
    try:
        assert_same(s(steps), whole(s, steps))
    finally:
        held.close()
    assert lent[2] != lent[0]
    assert_same(s(steps), whole(s, steps))
    assert lent[3] == lent[0]


def test_the_result_is_first_written_by_the_costliest_operation(monkeypatch: pytest.MonkeyPatch) -> None:
    # The first write to a fresh result reads its memory in; a square root hides that read.
    sources = programs_run(monkeypatch)
    s = sc.inverse_sqrt(1000)
    assert_same(s(np.arange(1000)), whole(s, np.arange(1000)))
    writes = [line for line in sources[0].splitlines() if "out=out" in line or "copyto(out" in line]
    assert len(writes) == 1
    assert "np.sqrt(" in writes[0]


def test_a_small_call_in_the_last_region_skips_the_chunk_loop(monkeypatch: pytest.MonkeyPatch) -> None:
    steps = np.arange(1000)
    V1(steps)
    monkeypatch.setattr(_chunked, "_fill", None)  # the loop over chunks is not reached again
    assert_same(V1(steps), whole(V1, steps))
    assert_same(V1(steps[998::-1].reshape(-1, 3)), whole(V1, steps[998::-1].reshape(-1, 3)))


@settings(max_examples=100)
@given(s=strategies.schedules(), data=st.data())
def test_small_calls_one_after_another_give_the_values_of_the_whole_array(s: sc.Schedule, data: Any) -> None:
    # Each call may lie outside the region the one before it ended in, or hold a bad step.
    for _ in range(data.draw(st.integers(1, 5))):
        steps = data.draw(step_arrays(s, dtypes=("int64", "uint32", "float64")))
        if data.draw(st.booleans()):
            steps = steps.astype(np.int64)
            steps[data.draw(st.integers(0, steps.size - 1))] = -1
            with pytest.raises(ValueError, match="-1"):
                s(steps)
            continue
        assert_same(s(steps), whole(s, steps))


def test_a_plan_remembers_a_bounded_number_of_regions(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_chunked, "_REGIONS", 5)
    s = sc.step_decay(10_000, gamma=0.9)
    steps = np.arange(10**6)
    assert_same(s.evaluate(steps, threads=1), whole(s, steps))
    assert_same(s.evaluate(steps, threads=1), whole(s, steps))
    plan = s._compiled_cache()[(steps.dtype, None)]
    assert 1 <= len(plan.known[1]) <= 5
    assert plan.known[0] == sorted(plan.known[0])


def test_steps_compare_in_their_own_integer_type() -> None:
    s = sc.multistep([2**53 + 1], gamma=0.1)
    steps = np.array([2**53, 2**53 + 1], dtype=np.uint64)
    assert s(steps).tolist() == [1.0, 0.1]
    assert s(2**53) == 1.0


def test_per_sample_never_wraps_around_the_step_integers() -> None:
    s = sc.per_sample(sc.cosine(2**62), 2**20)
    steps = np.array([0, 2**43, 2**62], dtype=np.int64)
    values = s(steps)
    assert np.all(np.isfinite(values))
    assert np.all(values >= 0)
    np.testing.assert_allclose(values, [s(int(t)) for t in steps], rtol=1e-12)


def test_numpy_arrays_take_the_chunked_path(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: Any) -> Any:
        raise AssertionError("evaluated whole")

    monkeypatch.setattr(_backend, "evaluate_whole", refuse)
    steps = np.arange(0, 12_000_000, 7)
    for s in strategies.one_of_each():
        assert s(steps).shape == steps.shape


@pytest.mark.parametrize(
    ("s", "expected"),
    [
        pytest.param(
            sc.linear(-1e308, 1e308, 10), [-1e308, 0.0, 1e308], id="ends-whose-difference-overflows"
        ),
        pytest.param(
            sc.inverse(1e-16, 1e16), [1.0, math.exp(-0.5), math.exp(-1)], id="a-rate-lost-in-one-plus-it"
        ),
        pytest.param(
            sc.cosine_wave(100, cycles=1e308),
            [1.0] + [math.cos(math.pi * (int(1e308) * t % 100) / 100) ** 2 for t in (5, 10)],
            id="waves-shorter-than-a-step",
        ),
    ],
)
def test_extreme_but_valid_parameters_keep_their_values_on_numpy(
    s: sc.Schedule, expected: list[float]
) -> None:
    steps = np.array([0, 5, 10]) if "inverse" not in repr(s) else np.array([0.0, 0.5, 1.0])
    np.testing.assert_allclose(s(steps), expected, rtol=1e-12)
