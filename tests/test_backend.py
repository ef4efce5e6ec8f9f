"""One code path for every array library: Python numbers, numpy, JAX, torch, array API."""

from __future__ import annotations

import math
import re
import sys
from typing import Any

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

import schedcore as sc
from tests import strategies

np = pytest.importorskip("numpy")

STEPS = st.lists(st.integers(0, 2**31 - 1), min_size=1, max_size=20)


def scalar_values(s: sc.Schedule, steps: list[int]) -> Any:
    return np.array([s(t) for t in steps], dtype=np.float64)


@given(s=strategies.schedules(), steps=st.lists(strategies.steps, min_size=1, max_size=20))
def test_numpy_equals_scalar(s: sc.Schedule, steps: list[int]) -> None:
    values = s(np.array(steps, dtype=np.int64))
    assert values.dtype == np.float64
    np.testing.assert_allclose(values, scalar_values(s, steps), rtol=1e-13, atol=1e-15)


@given(s=strategies.schedules(), steps=st.lists(strategies.steps, min_size=1, max_size=20))
def test_unsorted_float_steps_equal_scalar(s: sc.Schedule, steps: list[int]) -> None:
    values = s(np.array(steps, dtype=np.float64)[::-1])
    np.testing.assert_allclose(values, scalar_values(s, steps[::-1]), rtol=1e-13, atol=1e-15)


@settings(max_examples=40)
@given(s=strategies.schedules(), steps=STEPS)
@example(s=sc.stretch(sc.cosine_wave(1, cycles=1.46875), 13), steps=[62743])
def test_jax_jit_equals_scalar_in_float64(s: sc.Schedule, steps: list[int]) -> None:
    jax = pytest.importorskip("jax")
    with jax.enable_x64(True):
        values = jax.jit(s)(jax.numpy.asarray(steps, dtype=jax.numpy.int64))
        assert values.dtype == jax.numpy.float64
    # XLA folds constants across operations: a stretch's t / 13 times a wave's frequency c
    # becomes t * (c / 13), rounded once less. That moves the time a curve sees by a few
    # roundings, which a cosine's argument far from step 0 makes visible (4e-12 relative
    # for stretch(cosine_wave(1, cycles=1.46875), 13) at 62743; eager JAX is exact). So each
    # value must lie between the values at steps a few roundings either side.
    shift = 8 * sys.float_info.epsilon
    around = np.array([[s(t), s(t * (1 - shift)), s(t * (1 + shift))] for t in steps])
    low, high = around.min(axis=1), around.max(axis=1)
    slack = 1e-12 * np.maximum(abs(low), abs(high)) + 1e-14
    got = np.asarray(values)
    assert np.all((low - slack <= got) & (got <= high + slack)), (s, steps, got, low, high)


@settings(max_examples=40)
@given(s=strategies.primitives(), steps=STEPS)
def test_jax_float32_is_within_1e_6_of_float64(s: sc.Schedule, steps: list[int]) -> None:
    jax = pytest.importorskip("jax")
    values = jax.jit(s)(jax.numpy.asarray(steps, dtype=jax.numpy.int32))
    assert values.dtype == jax.numpy.float32
    expected = scalar_values(s, steps)
    atol = 1e-7 * strategies.magnitude(s)
    if isinstance(s, sc.cosine_wave) and not s._period:
        atol *= 1 + 4 * s.cycles * max(steps) / s.steps  # the rounding of the cosine's argument
    if isinstance(s, sc.radam_warmup):
        atol = 1e-4  # its formula cancels a large rho_inf; see the docstring
    np.testing.assert_allclose(np.asarray(values, dtype=np.float64), expected, rtol=1e-6, atol=atol)


@settings(max_examples=40)
@given(s=strategies.schedules(), steps=STEPS)
def test_torch_equals_scalar(s: sc.Schedule, steps: list[int]) -> None:
    torch = pytest.importorskip("torch")
    values = s(torch.tensor(steps, dtype=torch.int64))
    assert values.dtype == torch.get_default_dtype()
    doubles = s(torch.tensor(steps, dtype=torch.float64))
    assert doubles.dtype == torch.float64
    np.testing.assert_allclose(doubles.numpy(), scalar_values(s, steps), rtol=1e-12, atol=1e-14)


@settings(max_examples=40)
@given(s=strategies.schedules(), steps=STEPS)
def test_array_api_array_equals_scalar(s: sc.Schedule, steps: list[int]) -> None:
    xp = pytest.importorskip("array_api_strict")
    values = s(xp.asarray(steps, dtype=xp.int64))
    assert values.dtype == xp.float64
    np.testing.assert_allclose(np.asarray(values), scalar_values(s, steps), rtol=1e-13, atol=1e-15)


def test_jax_works_under_vmap_grad_and_scan() -> None:
    jax = pytest.importorskip("jax")
    jnp = jax.numpy
    s = sc.warmup(10) * sc.multistep([20], gamma=0.5) * sc.cosine(40)
    np.testing.assert_allclose(jax.vmap(s)(jnp.arange(30)), s(np.arange(30)), rtol=1e-6)
    slope = jax.grad(lambda t: s(t))(5.5)
    assert float(slope) == pytest.approx((s(5.5 + 1e-4) - s(5.5 - 1e-4)) / 2e-4, rel=1e-3)

    def body(carry: Any, t: Any) -> tuple[Any, Any]:
        return carry + s(t), s(t)

    total, values = jax.lax.scan(body, jnp.float32(0), jnp.arange(40))
    assert float(total) == pytest.approx(float(np.sum(s(np.arange(40)))), rel=1e-6)
    np.testing.assert_allclose(values, s(np.arange(40)), rtol=1e-6)


@pytest.mark.parametrize(
    "s",
    [
        pytest.param(sc.multistep([2**24 + 1], gamma=0.5), id="multistep"),
        pytest.param(sc.piecewise_constant([2**24 + 1], [1.0, 0.5]), id="piecewise_constant"),
        pytest.param(sc.join([sc.constant(1.0), sc.constant(0.5)], [2**24 + 1]), id="join"),
        pytest.param(sc.step_decay(2**24 + 1, gamma=0.5), id="step_decay"),
    ],
)
def test_milestone_past_2_to_the_24_switches_exactly_with_int32_counts(s: sc.Schedule) -> None:
    jax = pytest.importorskip("jax")
    counts = jax.numpy.asarray([2**24, 2**24 + 1], dtype=jax.numpy.int32)
    assert np.asarray(jax.jit(s)(counts)).tolist() == [1.0, 0.5]


def test_milestones_beyond_int32_are_never_reached_by_int32_counts() -> None:
    jax = pytest.importorskip("jax")
    s = sc.multistep([5, 3_000_000_000], gamma=0.5) * sc.polynomial(4_000_000_000)
    counts = jax.numpy.asarray([0, 5, 2**31 - 1], dtype=jax.numpy.int32)
    expected = [s(0), s(5), s(2**31 - 1)]
    np.testing.assert_allclose(np.asarray(jax.jit(s)(counts)), expected, rtol=1e-6)


def test_exponential_stays_accurate_in_float32_at_a_million_steps() -> None:
    jax = pytest.importorskip("jax")
    s = sc.exponential(0.99999)
    value = float(jax.jit(s)(jax.numpy.int32(10**6)))
    assert value == pytest.approx(0.99999**1_000_000, rel=2e-6)


@given(s=strategies.primitives())
def test_float32_results_never_contain_nan(s: sc.Schedule) -> None:
    steps = np.array([0, 1, 2, 1000, 10**6, 2**24, 2**30], dtype=np.float32)
    assert not np.isnan(s(steps)).any()


@pytest.mark.parametrize(
    ("dtype", "result"),
    [
        pytest.param("int64", "float64", id="int64"),
        pytest.param("int32", "float64", id="int32"),
        pytest.param("uint16", "float64", id="uint16"),
        pytest.param("float32", "float32", id="float32"),
        pytest.param("float64", "float64", id="float64"),
    ],
)
def test_numpy_result_dtype_follows_the_steps(dtype: str, result: str) -> None:
    s = sc.warmup(10) * sc.multistep([5], gamma=0.5) * sc.constant(2.0)
    assert s(np.arange(20, dtype=dtype)).dtype == np.dtype(result)


def _steps_up_to(top: int) -> Any:
    """Every step to 300 and a hundred more up to ``top`` (int64)."""
    return np.unique(
        np.concatenate([np.arange(min(top, 300) + 1), np.linspace(0, top, 100).astype(np.int64)])
    )


@pytest.mark.parametrize("dtype", ["int8", "uint8", "int16", "uint16", "int32", "uint32", "uint64"])
@pytest.mark.parametrize("s", strategies.one_of_each(), ids=repr)
def test_every_integer_dtype_of_the_steps_gives_the_values_of_int64_steps(s: sc.Schedule, dtype: str) -> None:
    # Unsigned steps wrap around below 0: cosine_wave's P - 2 (t mod P) once did, for 45% of steps.
    steps = _steps_up_to(min(int(np.iinfo(dtype).max), 10**6))
    np.testing.assert_array_equal(s(steps.astype(dtype)), s(steps))


@pytest.mark.parametrize("dtype", ["int8", "uint8", "int16", "int32"])
@pytest.mark.parametrize("s", strategies.one_of_each(), ids=repr)
def test_every_integer_dtype_of_torch_steps_gives_the_values_of_int64_steps(
    s: sc.Schedule, dtype: str
) -> None:
    torch = pytest.importorskip("torch")
    steps = torch.from_numpy(_steps_up_to(min(int(np.iinfo(dtype).max), 10**6)))
    torch.testing.assert_close(s(steps.to(getattr(torch, dtype))), s(steps), rtol=0, atol=0)


def test_numpy_keeps_the_shape_of_the_steps() -> None:
    s = sc.cosine(100) + sc.piecewise_constant([50], [0.0, 1.0])
    assert s(np.zeros((3, 4), dtype=np.int64)).shape == (3, 4)
    assert s(np.int64(7)) == pytest.approx(s(7))


@pytest.mark.parametrize("dtype", ["int32", "int64", "uint64", "float64"])
@pytest.mark.parametrize("s", strategies.one_of_each(), ids=repr)
def test_a_numpy_int_or_float64_step_gives_the_value_of_its_python_number(s: sc.Schedule, dtype: str) -> None:
    step = np.array(7.5 if dtype == "float64" else 7, dtype=dtype)[()]
    got = s(step)
    assert type(got) is np.float64  # never a 0-d array, whatever the formula ends with
    assert got.tobytes() == np.float64(s(step.item())).tobytes()


@pytest.mark.parametrize(
    ("dtype", "result"),
    [("float32", None), ("float32", "float64"), ("int64", "float32"), ("float64", "float32")],
)
@pytest.mark.parametrize("s", strategies.one_of_each(), ids=repr)
def test_a_float32_step_or_a_result_dtype_gives_the_scalar_of_a_one_element_array(
    s: sc.Schedule, dtype: str, result: str | None
) -> None:
    step = np.array(7, dtype=dtype)[()]
    expected = s.evaluate(np.array([step]), dtype=result)[0]
    got = s.evaluate(step, dtype=result)
    assert type(got) is type(expected)
    assert got.tobytes() == expected.tobytes()
    assert type(s(np.array(7, dtype=dtype))) is np.ndarray  # a 0-d array stays an array


@pytest.mark.parametrize(
    ("steps", "message"),
    [
        pytest.param([0, -1, 2], "steps must be finite and >= 0, got -1 at index 1", id="negative-int"),
        pytest.param([0.0, math.nan], "steps must be finite and >= 0, got nan at index 1", id="nan"),
        pytest.param([math.inf], "steps must be finite and >= 0, got inf", id="inf"),
        pytest.param([-0.5, 1.0], "steps must be finite and >= 0, got -0.5 at index 0", id="negative-float"),
    ],
)
def test_bad_numpy_steps_are_a_value_error(steps: list[float], message: str) -> None:
    with pytest.raises(ValueError, match=f"^{message}$"):
        sc.warmup(10)(np.array(steps))


def test_numpy_arrays_of_bools_are_a_type_error() -> None:
    with pytest.raises(TypeError, match="steps must be an array of ints or floats, got dtype bool"):
        sc.warmup(10)(np.array([True]))


def test_huge_int64_steps_stay_finite() -> None:
    s = sc.warmup(10) * sc.multistep([100], gamma=0.5) * sc.inverse_sqrt(1000) + sc.cycle(sc.cosine(7), 7)
    values = s(np.array([2**62, 2**63 - 1], dtype=np.int64))
    assert np.isfinite(values).all()


@pytest.mark.parametrize(
    "dtype", [pytest.param("float32", id="float32"), pytest.param("float64", id="float64")]
)
def test_torch_evaluates_in_the_dtype_asked_for(dtype: str) -> None:
    torch = pytest.importorskip("torch")
    s = sc.warmup(10) * sc.multistep([30], gamma=0.5) * sc.polynomial(60, power=0.5)
    values = s.evaluate(torch.arange(80), dtype=dtype)
    assert values.dtype == getattr(torch, dtype)
    rtol = 1e-12 if dtype == "float64" else 1e-6
    np.testing.assert_allclose(values.numpy(), s(np.arange(80)), rtol=rtol, atol=1e-7)
    message = "dtype must be a floating dtype of 32 bits or more, got torch.float16"
    with pytest.raises(TypeError, match=f"^{re.escape(message)}$"):
        s.evaluate(torch.arange(80), dtype=torch.float16)


def test_jax_evaluates_in_the_dtype_asked_for_also_under_jit() -> None:
    jax = pytest.importorskip("jax")
    s = sc.warmup(10) * sc.multistep([30], gamma=0.5) * sc.polynomial(60, power=0.5)
    with jax.enable_x64(True):
        counts = jax.numpy.arange(80, dtype=jax.numpy.int64)
        doubles = s.evaluate(counts, dtype="float64")
        singles = jax.jit(lambda t: s.evaluate(t, dtype="float32"))(counts)
    assert doubles.dtype == jax.numpy.float64
    assert singles.dtype == jax.numpy.float32
    np.testing.assert_allclose(np.asarray(doubles), s(np.arange(80)), rtol=1e-12)
    np.testing.assert_allclose(np.asarray(singles), s(np.arange(80)), rtol=1e-6, atol=1e-7)


def test_array_api_arrays_evaluate_in_the_dtype_asked_for() -> None:
    xp = pytest.importorskip("array_api_strict")
    s = sc.warmup(10) * sc.cosine(60)
    values = s.evaluate(xp.arange(80), dtype="float32")
    assert values.dtype == xp.float32
    np.testing.assert_allclose(np.asarray(values), s(np.arange(80)), rtol=1e-6, atol=1e-7)


@pytest.mark.parametrize(
    ("library", "make", "dtype", "shown"),
    [
        pytest.param("torch", lambda m: m.arange(3), "int32", "str 'int32'", id="torch-name"),
        pytest.param("torch", lambda m: m.arange(3), "float33", "str 'float33'", id="torch-unknown"),
        pytest.param("jax.numpy", lambda m: m.arange(3), "int32", "str 'int32'", id="jax"),
        pytest.param("array_api_strict", lambda m: m.arange(3), "int64", "str 'int64'", id="array-api"),
    ],
)
def test_a_dtype_that_is_not_floating_is_an_error(library: str, make: Any, dtype: str, shown: str) -> None:
    module = pytest.importorskip(library)
    with pytest.raises(TypeError, match=f"^dtype must be a real floating dtype, got {shown}$"):
        sc.warmup(10).evaluate(make(module), dtype=dtype)


TOKENS = [
    pytest.param(sc.per_sample(sc.cosine(10**10), 512), id="per-sample-cosine"),
    pytest.param(sc.per_sample(sc.multistep([5 * 10**9], gamma=0.1), 512), id="per-sample-milestone"),
    pytest.param(sc.warmup(10**10), id="warmup"),
    pytest.param(sc.multistep([5 * 10**9], gamma=0.1), id="multistep"),
    pytest.param(sc.join([sc.warmup(10), sc.cosine(10**10)], [3 * 10**9]), id="join"),
    pytest.param(sc.cycle(sc.cosine(10**10), 3 * 10**9), id="cycle"),
    pytest.param(sc.step_decay(3 * 10**9, 0.5), id="step-decay"),
]


@pytest.mark.parametrize("s", TOKENS)
@pytest.mark.parametrize("dtype", ["int32", "float32"])
def test_jax_takes_lengths_beyond_int32_without_x64(s: sc.Schedule, dtype: str) -> None:
    jax = pytest.importorskip("jax")
    jnp = pytest.importorskip("jax.numpy")
    steps = [0, 1000, 10**6, 2**24 + 3, 2**31 - 129]
    got = jax.jit(s)(jnp.asarray(steps, dtype=dtype))
    assert got.dtype == jnp.float32
    expected = [s(float(jnp.asarray(t, dtype=dtype))) for t in steps]  # the steps JAX holds
    np.testing.assert_allclose(np.asarray(got), expected, rtol=2e-6, atol=1e-6)


def test_hard_restarts_do_not_overflow_int32_counts() -> None:
    jax = pytest.importorskip("jax")
    jnp = pytest.importorskip("jax.numpy")
    s = sc.cosine_wave(10**6, cycles=10**4, restart=True)
    exact = s(999_999)
    assert exact == pytest.approx(0.0002467, rel=1e-3)  # the issue: int32 products gave 0.992
    assert s(np.array([999_999], dtype=np.int32))[0] == pytest.approx(exact, rel=1e-12)
    assert float(jax.jit(s)(jnp.asarray(999_999, jnp.int32))) == pytest.approx(exact, rel=1e-5)
    hard = sc.compat.transformers.get_cosine_with_hard_restarts_schedule_with_warmup(
        100, 10**6, num_cycles=10**4
    )
    for t in (999_990, 500_123, 101):
        assert float(jax.jit(hard)(jnp.asarray(t, jnp.int32))) == pytest.approx(hard(t), rel=1e-5, abs=1e-7)


@pytest.mark.parametrize(
    ("length", "cycles", "dtype"),
    [pytest.param(1_500_000_000, 3, "int32", id="int32"), pytest.param(33_190, 2, "uint16", id="uint16")],
)
def test_hard_restarts_of_more_than_half_the_dtype_are_exact(length: int, cycles: int, dtype: str) -> None:
    # t mod T fits the dtype but 2 T does not: the restart's phase once raised a ValueError.
    s = sc.cosine_wave(length, cycles=cycles, restart=True)
    top = int(np.iinfo(dtype).max)
    edges = [length // 3 - 1, length // 3, length // 2, length - 1, length]
    steps = np.unique(np.concatenate([_steps_up_to(top), np.arange(top - 300, top + 1), edges]))
    np.testing.assert_array_equal(s(steps.astype(dtype)), s(steps))
    if dtype == "int32":
        jax = pytest.importorskip("jax")
        jnp = pytest.importorskip("jax.numpy")
        got = np.asarray(jax.jit(s)(jnp.asarray(steps, dtype=jnp.int32)))
        np.testing.assert_allclose(got, s(steps), rtol=1e-6, atol=1e-7)


def test_jax_uint32_steps_that_meet_an_integer_beyond_int32_are_a_type_error() -> None:
    jax = pytest.importorskip("jax")
    jnp = pytest.importorskip("jax.numpy")
    if jax.config.jax_enable_x64:
        pytest.skip("with x64, JAX takes Python ints as int64")
    steps = jnp.asarray(np.array([0, 5, 3_000_000_001], dtype=np.uint32))
    np.testing.assert_array_equal(np.asarray(sc.warmup(10)(steps)), [0.0, 0.5, 1.0])
    s = sc.multistep([3_000_000_000], gamma=0.5)  # JAX refuses the Python int 3e9 beside uint32
    expected = "steps of dtype uint32 cannot meet this schedule's integers in jax (.*value 3000000000).*int32"
    for run in (s, jax.jit(s)):
        with pytest.raises(TypeError, match=expected):
            run(steps)
    counts = jnp.asarray([0, 5, 2**31 - 1], dtype=jnp.int32)
    np.testing.assert_array_equal(np.asarray(s(counts)), [1.0, 1.0, 1.0])  # 3e9 is never reached


def test_per_sample_widens_int32_counts_instead_of_wrapping() -> None:
    jax = pytest.importorskip("jax")
    jnp = pytest.importorskip("jax.numpy")
    s = sc.per_sample(sc.cosine(2**45), 2**20)
    for t in (2**20, 2**24, 2**30):
        got = float(jax.jit(s)(jnp.asarray(t, jnp.int32)))
        assert got == pytest.approx(s(t), rel=1e-5, abs=1e-7)


@pytest.mark.parametrize("dtype", ["float16", "bfloat16"])
def test_jax_steps_too_narrow_to_count_are_refused(dtype: str) -> None:
    jnp = pytest.importorskip("jax.numpy")
    with pytest.raises(TypeError, match=f"^steps must not be {dtype}, which holds too few whole numbers"):
        sc.warmup(10)(jnp.asarray([0, 1, 2], dtype=dtype))
