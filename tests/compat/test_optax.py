"""compat.optax against optax 0.2.8 itself, at every count, under jit, in float32 and float64.

Each case is one call written once and made on both modules, ``build(optax)`` and
``build(compat.optax)``, so the arguments cannot differ. optax runs vmapped (its
``piecewise_interpolate_schedule`` takes one count at a time), jitted, on int32 counts;
its float64 values (``jax.enable_x64`` with int64 counts) are the exact reference
where its own float32 arithmetic strays.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest

optax = pytest.importorskip("optax")
jax = pytest.importorskip("jax")
np = pytest.importorskip("numpy")

import jax.numpy as jnp  # noqa: E402

import schedcore as sc  # noqa: E402
from schedcore import adapters, compat  # noqa: E402
from tests import bad_inputs  # noqa: E402

Build = Callable[[Any], Any]

_CYCLES = [
    {"init_value": 0.0, "peak_value": 1e-3, "warmup_steps": 100, "decay_steps": 1_000},
    {"init_value": 1e-5, "peak_value": 5e-4, "warmup_steps": 0, "decay_steps": 2_000, "end_value": 1e-6},
    {"init_value": 0.0, "peak_value": 2e-4, "warmup_steps": 300, "decay_steps": 700, "exponent": 2.0},
]

# (build, number of counts from 0): past the end of every schedule.
CASES = [
    pytest.param(lambda m: m.constant_schedule(3e-4), 100, id="constant"),
    pytest.param(lambda m: m.linear_schedule(0.0, 1e-3, 1_000), 3_000, id="linear-warmup"),
    pytest.param(
        lambda m: m.linear_schedule(1e-3, 0.0, 1_000, transition_begin=500), 3_000, id="linear-begin"
    ),
    pytest.param(lambda m: m.linear_schedule(1e-3, 2e-4, 4_000), 5_000, id="linear-to-end-value"),
    pytest.param(lambda m: m.linear_schedule(1e-3, 1e-5, 0), 100, id="linear-no-steps-is-constant"),
    pytest.param(lambda m: m.linear_schedule(1e-3, 1e-5, -5), 100, id="linear-negative-steps-is-constant"),
    pytest.param(lambda m: m.polynomial_schedule(1.0, 0.0, 2.0, 10_000), 20_000, id="polynomial-square"),
    pytest.param(
        lambda m: m.polynomial_schedule(1e-2, 1e-4, 0.5, 4_096, transition_begin=1_000),
        10_000,
        id="polynomial-sqrt-begin",
    ),
    pytest.param(
        lambda m: m.polynomial_schedule(1e-2, 1e-4, 3, 5_000, transition_begin=-5),
        8_000,
        id="polynomial-negative-begin-is-0",
    ),
    pytest.param(lambda m: m.polynomial_schedule(1e-2, 1e-4, 0.0, 500), 1_000, id="polynomial-power-0"),
    pytest.param(lambda m: m.cosine_decay_schedule(1e-3, 10_000), 20_000, id="cosine"),
    pytest.param(
        lambda m: m.cosine_decay_schedule(1e-3, 10_000, alpha=0.1, exponent=2.0),
        20_000,
        id="cosine-alpha-exponent",
    ),
    pytest.param(lambda m: m.cosine_decay_schedule(-1.0, 500, alpha=0.5), 1_000, id="cosine-negative"),
    pytest.param(lambda m: m.exponential_decay(1e-3, 1_000, 0.5), 8_000, id="exponential"),
    pytest.param(
        lambda m: m.exponential_decay(1e-3, 41, 0.99, staircase=True), 12_300, id="exponential-staircase-41"
    ),
    pytest.param(
        lambda m: m.exponential_decay(1e-3, 1_000, 0.5, transition_begin=300, end_value=1e-4),
        20_000,
        id="exponential-begin-end-value",
    ),
    pytest.param(
        lambda m: m.exponential_decay(1e-3, 1_000, 2.0, end_value=1e-2),
        20_000,
        id="exponential-growth-capped",
    ),
    pytest.param(
        lambda m: m.exponential_decay(1e-3, 100, 1.0, end_value=1e-4),
        500,
        id="exponential-rate-1-caps-at-end-value",
    ),
    pytest.param(lambda m: m.exponential_decay(1e-3, 0, 0.5, end_value=1e-4), 100, id="exponential-no-steps"),
    pytest.param(lambda m: m.exponential_decay(1e-3, 100, 0.0), 300, id="exponential-rate-0-is-constant"),
    pytest.param(
        lambda m: m.exponential_decay(1e-3, 100, 0.5, transition_begin=-50, staircase=True),
        1_000,
        id="exponential-negative-begin-is-0",
    ),
    pytest.param(
        lambda m: m.piecewise_constant_schedule(0.1, {1_000: 0.1, 3_000: 0.5, 4_000: 0.0}),
        5_000,
        id="piecewise",
    ),
    pytest.param(
        lambda m: m.piecewise_constant_schedule(0.1, {0: 2.0, -7: 0.5, 200: 0.1}),
        500,
        id="piecewise-boundary-0",
    ),
    pytest.param(lambda m: m.piecewise_constant_schedule(0.1, {}), 100, id="piecewise-empty"),
    pytest.param(
        lambda m: m.piecewise_interpolate_schedule("linear", 0.1, {1_000: 0.1, 3_000: 5.0, 4_000: 0.0}),
        5_000,
        id="interpolate-linear",
    ),
    pytest.param(
        lambda m: m.piecewise_interpolate_schedule("cosine", 0.1, {1_000: 0.1, 3_000: 5.0, 4_000: 0.0}),
        5_000,
        id="interpolate-cosine",
    ),
    pytest.param(
        lambda m: m.piecewise_interpolate_schedule("cosine", 1.0, {0: 0.5, 300: 0.2, 301: 4.0}),
        600,
        id="interpolate-boundary-0-and-one-count-interval",
    ),
    pytest.param(lambda m: m.piecewise_interpolate_schedule("linear", 2.0, None), 50, id="interpolate-none"),
    pytest.param(
        lambda m: m.join_schedules(
            [m.linear_schedule(0.0, 1.0, 100), m.cosine_decay_schedule(1.0, 900), m.constant_schedule(0.5)],
            [100, 1_000],
        ),
        1_500,
        id="join",
    ),
    pytest.param(
        lambda m: m.join_schedules(
            [m.constant_schedule(1.0), m.linear_schedule(1.0, 0.0, 10), m.constant_schedule(3.0)], [10]
        ),
        50,
        id="join-ignores-extra-schedules",
    ),
    pytest.param(
        lambda m: m.join_schedules([m.constant_schedule(1.0), m.linear_schedule(1.0, 0.0, 10)], [5, 20, 30]),
        50,
        id="join-ignores-extra-boundaries",
    ),
    pytest.param(
        lambda m: m.join_schedules(
            [m.constant_schedule(1.0), m.constant_schedule(2.0), m.linear_schedule(3.0, 0.0, 20)], [10, 5]
        ),
        50,
        id="join-decreasing-boundaries-hide-a-piece",
    ),
    pytest.param(
        lambda m: m.join_schedules([m.constant_schedule(1.0), m.linear_schedule(3.0, 0.0, 20)], [0]),
        50,
        id="join-boundary-0",
    ),
    pytest.param(
        lambda m: m.join_schedules(
            [m.constant_schedule(1.0), m.linear_schedule(3.0, 0.0, 20)], np.array([7])
        ),
        50,
        id="join-numpy-boundaries",
    ),
    pytest.param(lambda m: m.warmup_constant_schedule(1e-5, 1e-3, 500), 1_000, id="warmup-constant"),
    pytest.param(
        lambda m: m.warmup_cosine_decay_schedule(0.0, 1e-3, 1_000, 100_000, end_value=1e-5),
        120_000,
        id="warmup-cosine",
    ),
    pytest.param(
        lambda m: m.warmup_cosine_decay_schedule(1e-6, 1e-3, 0, 10_000, exponent=0.5),
        12_000,
        id="warmup-cosine-no-warmup",
    ),
    pytest.param(
        lambda m: m.warmup_cosine_decay_schedule(0.0, 0.0, 10, 100, end_value=1e-3),
        200,
        id="warmup-cosine-peak-0",
    ),
    pytest.param(
        lambda m: m.warmup_exponential_decay_schedule(
            0.0, 1e-3, 500, 1_000, 0.7, transition_begin=100, staircase=True
        ),
        10_000,
        id="warmup-exponential",
    ),
    pytest.param(
        lambda m: m.warmup_exponential_decay_schedule(1e-4, 1e-3, 200, 300, 0.9, end_value=5e-4),
        5_000,
        id="warmup-exponential-end-value",
    ),
    pytest.param(lambda m: m.cosine_onecycle_schedule(10_000, 1e-3), 12_000, id="cosine-onecycle"),
    pytest.param(
        lambda m: m.cosine_onecycle_schedule(100, 1e-3, pct_start=0.29),
        200,
        id="cosine-onecycle-int-truncation",
    ),
    pytest.param(
        lambda m: m.cosine_onecycle_schedule(100, 1e-3, pct_start=0.0), 200, id="cosine-onecycle-start-0"
    ),
    pytest.param(
        lambda m: m.cosine_onecycle_schedule(100, 1e-3, pct_start=1.0), 200, id="cosine-onecycle-start-1"
    ),
    pytest.param(lambda m: m.linear_onecycle_schedule(10_000, 1e-3), 12_000, id="linear-onecycle"),
    pytest.param(
        lambda m: m.linear_onecycle_schedule(1_000, 1e-3, pct_start=0.4, pct_final=0.4),
        1_500,
        id="linear-onecycle-colliding-boundaries",
    ),
    pytest.param(
        lambda m: m.linear_onecycle_schedule(
            1_000, 1e-3, pct_final=1.0, div_factor=10.0, final_div_factor=100.0
        ),
        1_500,
        id="linear-onecycle-final-1",
    ),
    pytest.param(lambda m: m.sgdr_schedule(_CYCLES), 5_000, id="sgdr"),
]

FAR = [10**6, 2**24 + 1, 2**31 - 1]  # far past every end, up to the last int32 count


def _counts(n: int) -> Any:
    return np.concatenate([np.arange(n), np.asarray(FAR)])


def _peer(build: Build, counts: Any, *, x64: bool) -> Any:
    """optax's values, jitted and vmapped over the counts, as float64 numpy."""
    peer = jax.jit(jax.vmap(build(optax)))
    if x64:
        with jax.enable_x64(True):
            return np.asarray(peer(jnp.asarray(counts, dtype=jnp.int64)), dtype=np.float64)
    return np.asarray(peer(jnp.asarray(counts, dtype=jnp.int32)), dtype=np.float64)


def _ours(build: Build, counts: Any, *, x64: bool) -> Any:
    """schedcore's values through the optax adapter, on optax's int32 counts."""
    ours = jax.jit(adapters.optax.wrap(build(compat.optax)))
    with jax.enable_x64(x64):
        values = ours(jnp.asarray(counts, dtype=jnp.int32))
        assert values.dtype == (jnp.float64 if x64 else jnp.float32)
        return np.asarray(values, dtype=np.float64)


def _scale(values: Any) -> float:
    return float(np.max(np.abs(values))) or 1.0


@pytest.mark.parametrize(("build", "n"), CASES)
def test_float32_values_match_optax_at_every_count(build: Build, n: int) -> None:
    counts = _counts(n)
    ours = _ours(build, counts, x64=False)
    peer = _peer(build, counts, x64=False)
    exact = _peer(build, counts, x64=True)
    # Within 1e-6 of optax's float32 value, or of the exact value where optax strays.
    near_peer = np.isclose(ours, peer, rtol=1e-6, atol=0.0)
    near_exact = np.isclose(ours, exact, rtol=1e-6, atol=1e-15 * _scale(exact))
    wrong = counts[~(near_peer | near_exact)]
    assert wrong.size == 0, f"counts {wrong[:10]}: ours {ours[~(near_peer | near_exact)][:10]}"


@pytest.mark.parametrize(("build", "n"), CASES)
def test_float64_values_match_optax_at_every_count(build: Build, n: int) -> None:
    counts = _counts(n)
    ours = _ours(build, counts, x64=True)
    peer = _peer(build, counts, x64=True)
    close = np.isclose(ours, peer, rtol=1e-9, atol=1e-15 * _scale(peer))
    assert counts[~close].size == 0, (
        f"counts {counts[~close][:10]}: ours {ours[~close][:10]}, optax {peer[~close][:10]}"
    )


STEPPED = [
    pytest.param(
        lambda m: m.piecewise_constant_schedule(1.0, {7: 0.5, 100: 0.5, 101: 2.0}), 200, id="piecewise"
    ),
    pytest.param(lambda m: m.exponential_decay(1.0, 41, 0.5, staircase=True), 41 * 60, id="staircase"),
    pytest.param(
        lambda m: m.exponential_decay(1.0, 30, 0.5, transition_begin=45, staircase=True),
        30 * 40,
        id="staircase-begin",
    ),
    pytest.param(
        lambda m: m.join_schedules([m.constant_schedule(1.0), m.constant_schedule(2.0)], [33]), 100, id="join"
    ),
]


@pytest.mark.parametrize(("build", "n"), STEPPED)
def test_step_functions_switch_at_the_exact_counts(build: Build, n: int) -> None:
    counts = np.arange(n)
    ours = _ours(build, counts, x64=False)
    exact = _peer(build, counts, x64=True)  # exact: optax decays late at none of these in float64
    switches = np.flatnonzero(np.diff(ours)) + 1
    np.testing.assert_array_equal(switches, np.flatnonzero(np.diff(exact)) + 1)
    assert switches.size > 0


# --- the quirks: optax's own float32 and float64 arithmetic ---------------------------


def test_optax_float32_staircase_decays_late_where_schedcore_decays_at_the_multiple() -> None:
    build: Build = lambda m: m.exponential_decay(1.0, 41, 0.9, staircase=True)  # noqa: E731
    counts = np.arange(41 * 60)
    peer = _peer(build, counts, x64=False)
    ours = _ours(build, counts, x64=False)
    exact = _peer(build, counts, x64=True)  # exact for 41 in float64
    late = counts[~np.isclose(peer, exact, rtol=1e-3)]  # a whole level (10%) away
    assert late.size > 0, "optax no longer decays late: update the docs of exponential_decay"
    assert np.all(late % 41 == 0)  # optax holds the previous level one count too long
    np.testing.assert_array_equal(peer[late], peer[late - 1])
    np.testing.assert_allclose(ours, exact, rtol=1e-6)  # schedcore drops at every multiple


def test_optax_float64_staircase_decays_late_too() -> None:
    build: Build = lambda m: m.exponential_decay(1.0, 49, 0.5, staircase=True)  # noqa: E731
    counts = np.arange(49 * 60)
    peer = _peer(build, counts, x64=True)
    ours = _ours(build, counts, x64=True)
    late = counts[~np.isclose(ours, peer, rtol=1e-12, atol=0.0)]
    assert late.size > 0, "optax no longer decays late: update the docs of exponential_decay"
    assert np.all(late % 49 == 0)
    np.testing.assert_array_equal(peer[late], peer[late - 1])
    np.testing.assert_allclose(ours[late], peer[late + 1], rtol=1e-12)


def test_optax_float32_staircase_decays_early_past_2_to_the_24() -> None:
    build: Build = lambda m: m.exponential_decay(1.0, 2**24 + 1, 0.5, staircase=True)  # noqa: E731
    counts = np.asarray([2**24 - 1, 2**24, 2**24 + 1])
    assert _peer(build, counts, x64=False).tolist() == [1.0, 0.5, 0.5]
    assert _ours(build, counts, x64=False).tolist() == [1.0, 1.0, 0.5]


def test_optax_float32_polynomial_never_quite_reaches_its_end_value() -> None:
    build: Build = lambda m: m.polynomial_schedule(1.0, 0.0, 1.0, 1_000)  # noqa: E731
    counts = np.asarray([1_000, 5_000])
    peer = _peer(build, counts, x64=False)
    assert np.all(peer != 0.0)
    assert np.all(np.abs(peer) < 1e-6)
    assert _ours(build, counts, x64=False).tolist() == [0.0, 0.0]


def test_optax_float64_polynomial_with_a_fractional_power_ends_in_nan_where_schedcore_does_not() -> None:
    # 1 - count / T rounds below 0 at count T, and a negative number to the power 0.5 is NaN.
    build: Build = lambda m: m.polynomial_schedule(1e-2, 1e-4, 0.5, 5_000)  # noqa: E731
    counts = np.asarray([4_999, 5_000, 6_000])
    peer = _peer(build, counts, x64=True)
    assert np.isfinite(peer[0])
    assert np.all(np.isnan(peer[1:]))
    ours = _ours(build, counts, x64=True)
    assert ours[0] == pytest.approx(peer[0], rel=1e-9)
    assert ours[1:].tolist() == [1e-4, 1e-4]


def test_a_rising_polynomial_in_float32_is_off_by_about_1e_7_of_its_end_value_as_optax_is() -> None:
    build: Build = lambda m: m.polynomial_schedule(0.0, 1.0, 2.0, 1_000)  # noqa: E731
    counts = np.arange(2_000)
    exact = _peer(build, counts, x64=True)
    ours_error = np.max(np.abs(_ours(build, counts, x64=False) - exact))
    peer_error = np.max(np.abs(_peer(build, counts, x64=False) - exact))
    assert ours_error <= 2e-7
    assert peer_error > 5e-8  # the cancellation is optax's too
    np.testing.assert_allclose(_ours(build, counts, x64=True), exact, rtol=1e-9, atol=1e-15)


def test_the_int_truncation_of_pct_start_moves_the_onecycle_peak() -> None:
    assert 0.29 * 100 < 29  # so int() gives 28
    peer = optax.cosine_onecycle_schedule(100, 1.0, pct_start=0.29)
    ours = compat.optax.cosine_onecycle_schedule(100, 1.0, pct_start=0.29)
    assert float(peer(28)) == pytest.approx(1.0, rel=1e-6)
    assert ours(28) == pytest.approx(1.0, rel=1e-12)
    assert ours(29) < ours(28)


def test_join_schedules_ignores_extras_where_sc_join_checks_counts() -> None:
    a, b, c = sc.constant(1.0), sc.constant(2.0), sc.constant(3.0)
    assert compat.optax.join_schedules([a, b, c], [10]) == sc.join([a, b], [10])
    assert compat.optax.join_schedules([a, b], [10, 20]) == sc.join([a, b], [10])
    with pytest.raises(ValueError, match=re.escape("join got 3 schedules and 1 boundary; it needs 2") + "$"):
        sc.join([a, b, c], [10])


# --- what each constructor builds --------------------------------------------------------


@pytest.mark.parametrize(
    ("built", "expected"),
    [
        pytest.param(compat.optax.constant_schedule(0.1), sc.constant(0.1), id="constant"),
        pytest.param(compat.optax.linear_schedule(0.0, 0.1, 100), sc.linear(0.0, 0.1, 100), id="linear"),
        pytest.param(compat.optax.linear_schedule(0.0, 0.1, 0), sc.constant(0.0), id="linear-no-steps"),
        pytest.param(
            compat.optax.polynomial_schedule(1.0, 0.1, 2.0, 100, transition_begin=10),
            sc.join([sc.constant(1.0), 0.9 * sc.polynomial(100, power=2.0) + 0.1], [10]),
            id="polynomial",
        ),
        pytest.param(
            compat.optax.cosine_decay_schedule(0.1, 100, alpha=0.2, exponent=2.0),
            0.1 * sc.cosine(100, end=0.2, power=2.0),
            id="cosine",
        ),
        pytest.param(
            compat.optax.exponential_decay(0.1, 100, 0.5, staircase=True, end_value=0.01),
            sc.clip(0.1 * sc.step_decay(100, gamma=0.5), low=0.01),
            id="exponential-staircase",
        ),
        pytest.param(
            compat.optax.exponential_decay(0.1, 100, 1.5, transition_begin=20, end_value=1.0),
            sc.clip(sc.join([sc.constant(0.1), 0.1 * sc.exponential(1.5, every=100)], [20]), high=1.0),
            id="exponential-growth",
        ),
        pytest.param(
            compat.optax.piecewise_constant_schedule(1.0, {20: 0.5, 10: 0.1}),
            sc.piecewise_constant([10, 20], [1.0, 0.1, 0.05]),
            id="piecewise-sorted",
        ),
        pytest.param(
            compat.optax.piecewise_interpolate_schedule("linear", 1.0, {0: 0.5, 10: 0.5}),
            sc.piecewise_linear([0, 10], [0.5, 0.25]),
            id="interpolate-boundary-0",
        ),
        pytest.param(
            compat.optax.piecewise_interpolate_schedule("cosine", 1.0, {10: 0.5, 30: 4.0, 40: 1.0}),
            sc.join(
                [
                    sc.cosine(10, end=0.5),
                    2.0 * sc.wsd(20, 0, 0, end=0.25, warmup_shape="cosine"),
                    sc.constant(2.0),
                    sc.constant(2.0),
                ],
                [10, 30, 40],
            ),
            id="interpolate-cosine",
        ),
        pytest.param(
            compat.optax.join_schedules([sc.constant(1.0), sc.constant(2.0), sc.constant(3.0)], [10, 5]),
            sc.join([sc.constant(1.0), sc.constant(3.0)], [5]),
            id="join-hidden-piece",
        ),
        pytest.param(
            compat.optax.warmup_cosine_decay_schedule(0.0, 0.1, 10, 110, end_value=0.01),
            sc.join([sc.linear(0.0, 0.1, 10), 0.1 * sc.cosine(100, end=0.01 / 0.1)], [10]),  # optax's alpha
            id="warmup-cosine",
        ),
        pytest.param(
            compat.optax.linear_onecycle_schedule(100, 1.0, div_factor=10.0, final_div_factor=100.0),
            sc.piecewise_linear([0, 30, 85, 100], [0.1, 1.0, 0.1, 0.001]),
            id="linear-onecycle",
        ),
    ],
)
def test_each_constructor_builds_the_core_expression_its_docstring_gives(
    built: sc.Schedule, expected: sc.Schedule
) -> None:
    assert built == expected
    assert sc.parse(repr(built)) == built


# --- bad input ---------------------------------------------------------------------------

co: Any = compat.optax  # the table passes wrong types on purpose

BAD = [
    (lambda: co.constant_schedule("0.1"), TypeError, "value must be a finite number, got str '0.1'"),
    (lambda: co.linear_schedule(0.0, 1.0, 2.5), TypeError, "transition_steps must be an int, got float 2.5"),
    (
        lambda: co.linear_schedule(0.0, 1.0, 10, 0.5),
        TypeError,
        "transition_begin must be an int, got float 0.5",
    ),
    (
        lambda: co.polynomial_schedule(1.0, 0.0, -1.0, 10),
        ValueError,
        "power must be a finite number >= 0, got -1.0",
    ),
    (
        lambda: co.polynomial_schedule(float("nan"), 0.0, 1.0, 10),
        ValueError,
        "init_value must be a finite number, got nan",
    ),
    (lambda: co.cosine_decay_schedule(1.0, 0), ValueError, "decay_steps must be a positive int, got 0"),
    (
        lambda: co.cosine_decay_schedule(1.0, 10.5),
        TypeError,
        "decay_steps must be a positive int, got float 10.5",
    ),
    (
        lambda: co.cosine_decay_schedule(1.0, 10, exponent=-1),
        ValueError,
        "exponent must be a finite number >= 0, got -1",
    ),
    (
        lambda: co.exponential_decay(1.0, 10, -0.5),
        ValueError,
        "decay_rate must be a finite number > 0, got -0.5",
    ),
    (
        lambda: co.exponential_decay(1.0, 10, 0.5, staircase=1),
        TypeError,
        "staircase must be a bool, got int 1",
    ),
    (
        lambda: co.exponential_decay(1.0, 10, 0.5, end_value="0"),
        TypeError,
        "end_value must be a finite number, got str '0'",
    ),
    (
        lambda: co.piecewise_constant_schedule(1.0, {10: -0.1}),
        ValueError,
        "boundaries_and_scales[10] must be a finite number >= 0, got -0.1",
    ),
    (
        lambda: co.piecewise_constant_schedule(1.0, [(10, 0.1)]),
        TypeError,
        "boundaries_and_scales must be a dict {step: scale} or None, got list [(10, 0.1)]",
    ),
    (
        lambda: co.piecewise_constant_schedule(1.0, {10.5: 0.1}),
        TypeError,
        "boundaries_and_scales key must be an int, got float 10.5",
    ),
    (
        lambda: co.piecewise_interpolate_schedule("cos", 1.0, {10: 0.1}),
        ValueError,
        "interpolate_type must be one of ('linear', 'cosine'), got str 'cos'",
    ),
    (
        lambda: co.piecewise_interpolate_schedule("linear", 1.0, {-10: 0.1}),
        ValueError,
        "boundaries_and_scales key must be an int >= 0, got -10",
    ),
    (lambda: co.join_schedules([], []), ValueError, "schedules must not be empty"),
    (
        lambda: co.join_schedules([sc.warmup(1), optax.constant_schedule(1.0)], [5]),
        TypeError,
        "schedules[1] must be a schedule, got function <function constant_schedule.<locals>.<lambda> at ...",
    ),
    (
        lambda: co.join_schedules([sc.warmup(1), sc.warmup(2)], [-5]),
        ValueError,
        "boundaries[0] must be an int >= 0, got -5",
    ),
    (
        lambda: co.join_schedules(sc.warmup(1), [5]),
        TypeError,
        "schedules must be a list of schedules, got Warmup warmup(1)",
    ),
    (
        lambda: co.warmup_cosine_decay_schedule(0.0, 1.0, 100, 100),
        ValueError,
        "decay_steps must be greater than warmup_steps (the cosine lasts decay_steps - warmup_steps updates),"
        " got decay_steps=100 and warmup_steps=100",
    ),
    (
        lambda: co.warmup_cosine_decay_schedule(0.0, 1.0, -1, 100),
        ValueError,
        "warmup_steps must be an int >= 0, got -1",
    ),
    (
        lambda: co.warmup_exponential_decay_schedule(0.0, 1.0, -1, 100, 0.5),
        ValueError,
        "warmup_steps must be an int >= 0, got -1",
    ),
    (
        lambda: co.cosine_onecycle_schedule(0, 1.0),
        ValueError,
        "transition_steps must be a positive int, got 0",
    ),
    (
        lambda: co.cosine_onecycle_schedule(100, 1.0, pct_start=1.5),
        ValueError,
        "pct_start must be a finite number >= 0 and <= 1, got 1.5",
    ),
    (
        lambda: co.cosine_onecycle_schedule(100, 1.0, div_factor=0),
        ValueError,
        "div_factor must be a finite number > 0, got 0",
    ),
    (
        lambda: co.linear_onecycle_schedule(100, 1.0, pct_start=0.5, pct_final=0.4),
        ValueError,
        "pct_final must be >= pct_start, got pct_final=0.4 and pct_start=0.5",
    ),
    (
        lambda: co.linear_onecycle_schedule(100, 1.0, final_div_factor=-1.0),
        ValueError,
        "final_div_factor must be a finite number > 0, got -1.0",
    ),
    (
        lambda: co.sgdr_schedule([]),
        ValueError,
        "sgdr_schedule needs at least one cycle in cosine_kwargs, got none",
    ),
    (
        lambda: co.sgdr_schedule([_CYCLES[0], {**_CYCLES[0], "decay_steps": 50}]),
        ValueError,
        "cosine_kwargs[1]: decay_steps must be greater than warmup_steps (the cosine lasts"
        " decay_steps - warmup_steps updates), got decay_steps=50 and warmup_steps=100",
    ),
    (
        lambda: co.sgdr_schedule([{"init_value": 0.0, "peak_value": 1.0, "warmup_steps": 1}]),
        TypeError,
        "cosine_kwargs[0]: warmup_cosine_decay_schedule()"
        " missing 1 required positional argument: 'decay_steps'",
    ),
    (
        lambda: co.sgdr_schedule([(0.0, 1.0, 1, 10)]),
        TypeError,
        "cosine_kwargs[0] must be a dict of arguments, got tuple (0.0, 1.0, 1, 10)",
    ),
]


@pytest.mark.parametrize(
    ("make", "error", "message"),
    [pytest.param(*case, id=f"{i:02d}-{case[2][:40]}") for i, case in enumerate(BAD)],
)
def test_bad_input_is_a_clear_error(make: Callable[[], object], error: type[Exception], message: str) -> None:
    bad_inputs.check(make, error, message)
