"""Products, sums, joins, cycles, per-epoch driving and clipping."""

from __future__ import annotations

import re
from typing import Any, cast

import pytest
from hypothesis import given

import schedcore as sc
from tests import strategies

a, b, c = sc.warmup(10), sc.multistep([20, 40], gamma=0.5), sc.polynomial(60, power=2.0)


def test_compose_is_the_product_and_flattens() -> None:
    assert sc.compose(a, b) == a * b
    assert sc.compose(a, b, c) == (a * b) * c == a * (b * c) == sc.compose(sc.compose(a, b), c)
    assert repr(a * b * c) == "warmup(10) * multistep([20, 40], gamma=0.5) * polynomial(60, power=2.0)"
    assert (a * b * c)(15) == a(15) * b(15) * c(15)


def test_compose_of_one_schedule_is_that_schedule() -> None:
    assert sc.compose(a) is a


def test_compose_of_nothing_is_an_error() -> None:
    with pytest.raises(ValueError, match=r"^compose needs at least one schedule, got none$"):
        sc.compose()


@given(x=strategies.schedules(), y=strategies.schedules(), z=strategies.schedules(), t=strategies.steps)
def test_compose_is_associative(x: sc.Schedule, y: sc.Schedule, z: sc.Schedule, t: int) -> None:
    assert (x * y) * z == x * (y * z)
    assert ((x * y) * z)(t) == pytest.approx((x * (y * z))(t), rel=1e-12, abs=1e-300)


def test_numbers_scale_a_schedule_from_either_side() -> None:
    assert (2 * a)(5) == (a * 2)(5) == 1.0
    assert (a / 4)(8) == 0.2
    assert 0.5 * (2 * a) == 1.0 * a
    assert repr(0.1 * a) == "0.1 * warmup(10)"


def test_sum_adds_schedules_and_numbers() -> None:
    s = 0.1 + 0.9 * sc.cosine(100)
    assert s(0) == pytest.approx(1.0)
    assert s(100) == 0.1
    assert (a - b)(20) == a(20) - b(20)
    assert (1 - a)(5) == 0.5
    assert (-a)(5) == -0.5
    assert (a + b) + c == a + (b + c)


def test_products_of_sums_keep_their_brackets_in_repr() -> None:
    s = (a + 0.5) * b
    assert repr(s) == "(warmup(10) + 0.5) * multistep([20, 40], gamma=0.5)"
    assert sc.parse(repr(s)) == s


@pytest.mark.parametrize(
    ("make", "error", "message"),
    [
        pytest.param(
            lambda: a * "2",
            TypeError,
            "a schedule can only be multiplied by a schedule or a number, got str '2'",
            id="str",
        ),
        pytest.param(
            lambda: a + True,
            TypeError,
            "a schedule can only be added to a schedule or a number, got bool True",
            id="bool",
        ),
        pytest.param(
            lambda: a - [1], TypeError, "subtracted from a schedule or a number, got list [1]", id="list"
        ),
        pytest.param(
            lambda: a * float("nan"), ValueError, "scale must be a finite number, got nan", id="nan"
        ),
        pytest.param(
            lambda: a + float("inf"), ValueError, "offset must be a finite number, got inf", id="inf"
        ),
        pytest.param(
            lambda: a / 0, ValueError, "divisor must be a finite number other than 0, got 0", id="zero"
        ),
        pytest.param(
            lambda: sc.compose(a, cast(Any, 3)),
            TypeError,
            "schedules[1] must be a schedule, got int 3",
            id="int",
        ),
        pytest.param(
            lambda: 1e200 * (1e200 * a),
            ValueError,
            "scale overflows: the product of the scales [1e+200, 1e+200] is inf",
            id="overflow",
        ),
    ],
)
def test_bad_arithmetic_is_a_clear_error(make: object, error: type[Exception], message: str) -> None:
    with pytest.raises(error, match=re.escape(message)):
        make()  # type: ignore[operator]


def test_join_gives_each_piece_its_local_time() -> None:
    s = sc.join([sc.warmup(10), sc.cosine(90), sc.constant(0.1)], [10, 100])
    assert [s(t) for t in (0, 5, 10)] == [0.0, 0.5, 1.0]
    assert s(55) == pytest.approx(sc.cosine(90)(45))
    assert s(99) == pytest.approx(sc.cosine(90)(89))
    assert s(100) == s(10**9) == 0.1
    assert s.breakpoints(1000) == (10, 100)


@pytest.mark.parametrize(
    ("schedules", "boundaries", "message"),
    [
        pytest.param([a, b, c], [10], "join got 3 schedules and 1 boundary; it needs 2", id="too-few"),
        pytest.param([a, b], [10, 20], "join got 2 schedules and 2 boundaries; it needs 1", id="too-many"),
        pytest.param(
            [a, b, c], [20, 10], "boundaries must be strictly increasing, got [20, 10]", id="decreasing"
        ),
        pytest.param(
            [a, b, c], [10, 10], "boundaries must be strictly increasing, got [10, 10]", id="repeated"
        ),
        pytest.param([a, b], [0], "boundaries[0] must be a positive int, got 0", id="zero"),
    ],
)
def test_join_checks_its_boundaries(
    schedules: list[sc.Schedule], boundaries: list[int], message: str
) -> None:
    with pytest.raises(ValueError, match=f"^{re.escape(message)}$"):
        sc.join(schedules, boundaries)


def test_cycle_repeats_the_schedule() -> None:
    s = sc.cycle(sc.cosine(10), 10)
    assert [s(t) for t in (0, 10, 20)] == [1.0, 1.0, 1.0]
    assert s(15) == pytest.approx(0.5)
    assert s.breakpoints(35) == (10, 20, 30)


def test_cycle_with_growth_stretches_each_cycle() -> None:
    s = sc.cycle(sc.cosine(10), 10, growth=2)
    assert s(10) == 1.0  # restart after 10 steps
    assert s(20) == pytest.approx(0.5)  # the second cycle lasts 20 steps
    assert s(30) == 1.0
    assert s(50) == pytest.approx(0.5)  # the third lasts 40
    assert s.breakpoints(100) == (10, 30, 70)


def test_a_fractional_time_enters_a_growing_cycle_at_its_fractional_start() -> None:
    # Cycles of 1, 1.5, 2.25 ... start at 0, 1, 2.5, 4.75: whole steps enter the third at
    # step 3, a stretched time at 2.5 itself, where the cosine restarts at 1.
    np = pytest.importorskip("numpy")
    cycles = sc.cycle(sc.cosine(1), 1, growth=1.5)
    assert [cycles(t) for t in (2, 2.5, 3, 4.75)] == [0.25, 1.0, pytest.approx(0.883022221559), 1.0]
    assert cycles(2.4999999999999996) == pytest.approx(0.0, abs=1e-15)  # the end of the second
    stretched = sc.stretch(cycles, 2)  # step 5 is time 2.5
    steps = np.arange(12)
    expected = [stretched(int(t)) for t in steps]
    assert expected[5] == expected[0] == 1.0
    assert expected[4] == pytest.approx(0.25)
    assert stretched(5.0) == 1.0
    assert list(stretched(steps)) == list(stretched(steps.astype(np.float64))) == expected
    assert list(stretched(np.arange(5, 6))) == [1.0]
    assert stretched.evaluate(steps, dtype="float32")[5] == 1.0
    assert stretched(steps.astype(np.float32))[5] == 1.0
    # a cycle of growing cycles: step 8 is time 2.5 of the inner one, the start of a rise
    nested = sc.cycle(sc.cycle(sc.cyclic(1, steps_down=1), 1, growth=1.5), 3, growth=2)
    assert nested(8) == nested(np.arange(10))[8] == 0.0
    jax = pytest.importorskip("jax")
    assert float(jax.jit(stretched)(jax.numpy.arange(12))[5]) == 1.0
    torch = pytest.importorskip("torch")
    assert stretched(torch.arange(12))[5].item() == 1.0


def test_per_epoch_holds_the_value_for_a_whole_epoch() -> None:
    s = sc.per_epoch(sc.multistep([2, 4], gamma=0.1), 100)
    assert [s(t) for t in (0, 199, 200, 399, 400)] == [1.0, 1.0, 0.1, 0.1, pytest.approx(0.01)]
    assert s.breakpoints(1000) == (100, 200, 300, 400, 500, 600, 700, 800, 900)  # each epoch may change it


def test_per_sample_counts_the_samples_seen() -> None:
    s = sc.per_sample(sc.polynomial(10), 4)
    assert [s(t) for t in (0, 1, 2, 3)] == [1.0, 0.6, 0.2, 0.0]
    assert s.breakpoints(10) == (3,)  # 12 samples pass the end at 10


def test_per_sample_of_per_epoch_counts_epochs_that_are_not_whole_updates() -> None:
    # 10 samples per epoch, 3 per update: epochs end during updates 4, 7 and 10
    s = sc.per_sample(sc.per_epoch(sc.multistep([1, 2, 3], gamma=0.5), 10), 3)
    assert [s(t) for t in range(11)] == [1.0] * 4 + [0.5] * 3 + [0.25] * 3 + [0.125]
    assert s.breakpoints(11) == (4, 7, 10)
    assert repr(s) == "per_sample(per_epoch(multistep([1, 2, 3], gamma=0.5), 10), 3)"


def test_stretch_slows_a_schedule_and_switches_at_whole_steps() -> None:
    s = sc.stretch(sc.multistep([3, 7], gamma=0.5) * sc.linear(1.0, 0.0, 10), 3)
    expected = [1.0, 1 - 8 / 30, 0.5 * (1 - 9 / 30), 0.5 * (1 - 20 / 30), 0.25 * (1 - 21 / 30), 0.0]
    assert [s(t) for t in (0, 8, 9, 20, 21, 30)] == pytest.approx(expected, rel=1e-15)  # switches at 9 and 21
    big = sc.stretch(sc.multistep([2**40 + 1], gamma=0.1), 1000)  # the milestone moves to 1000 * (2**40 + 1)
    assert (big(1000 * 2**40 + 999), big(1000 * 2**40 + 1000)) == (1.0, 0.1)
    assert repr(s) == "stretch(multistep([3, 7], gamma=0.5) * linear(1.0, 0.0, 10), 3.0)"
    assert sc.parse(repr(s)) == s


def test_stretch_by_a_power_of_two_is_exact_and_an_offset_shifts_time() -> None:
    fine = sc.stretch(sc.piecewise_constant([2**61 + 2**9], [1.0, 2.0]), 2.0**-62)  # a switch at 0.5 + 2**-53
    assert (fine(0.5), fine(0.5 + 2**-53)) == (1.0, 2.0)
    shifted = sc.stretch(sc.linear(0.0, 1.0, 4), 2.0, offset=4.0)
    assert [shifted(t) for t in (0, 4, 6, 12, 20)] == [-0.5, 0.0, 0.25, 1.0, 1.0]  # a line extends backwards


def test_stretch_checks_its_arguments() -> None:
    with pytest.raises(ValueError, match=re.escape("factor must be a finite number > 0, got 0")):
        sc.stretch(sc.cosine(10), 0)
    with pytest.raises(TypeError, match=re.escape("offset must be a finite number, got str '1'")):
        sc.stretch(sc.cosine(10), 2, offset=cast(Any, "1"))


def test_clip_bounds_the_values() -> None:
    s = sc.clip(sc.exponential(0.5), low=0.2)
    assert [s(t) for t in (0, 1, 2, 3, 10)] == [1.0, 0.5, 0.25, 0.2, 0.2]
    assert sc.clip(sc.constant(3.0), high=2.0)(0) == 2.0


@given(s=strategies.schedules())
def test_breakpoints_are_sorted_inside_the_range(s: sc.Schedule) -> None:
    points = s.breakpoints(10_000)
    assert list(points) == sorted(set(points))
    assert all(0 < p < 10_000 for p in points)
