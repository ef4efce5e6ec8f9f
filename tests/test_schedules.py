"""The primitives: their formulas at random parameters, at step 0, around every
breakpoint and far past the end, and the behaviours users rely on."""

from __future__ import annotations

import dataclasses
import math

import pytest
from hypothesis import assume, example, given, settings
from hypothesis import strategies as st

import schedcore as sc
from schedcore import combinators, schedules
from schedcore._base import REGISTRY
from tests import strategies

PERIODIC = (schedules.CosineWave, schedules.Cyclic)


def probe_steps(s: sc.Schedule) -> list[int]:
    """Step 0, the steps around every breakpoint, and steps far past the end."""
    points = {0, 1, 2, 10**6 + 3}
    breakpoints = s.breakpoints(10**7, limit=50)
    for b in breakpoints:
        points |= {b - 1, b, b + 1}
    if breakpoints:
        points.add(2 * breakpoints[-1] + 1)
    if not isinstance(s, PERIODIC):
        points |= {10**9, 10**12}
    return sorted(points)


@given(s=strategies.primitives())
def test_primitive_matches_its_formula_in_float64(s: sc.Schedule) -> None:
    reference = pytest.importorskip("tests.reference")
    for t in probe_steps(s):
        expected = float(reference.value(s, t))
        tolerance, relative = 1e-15, 2e-14
        if isinstance(s, schedules.CosineWave) and not s._period:
            tolerance *= 1 + 4 * s.cycles * t / s.steps  # the rounding of the cosine's argument
        if isinstance(s, schedules.RadamWarmup):
            # rho_n - 4 is a difference of numbers near rho_inf = 2 / (1 - beta2) in the
            # first steps: a cancellation of the formula itself, whatever the evaluation.
            relative = 1e-12 + 4e-16 * s._rho_inf
        assert s(t) == pytest.approx(expected, rel=relative, abs=tolerance), f"{s!r} at t={t}"


def test_a_one_cycle_phase_holds_to_the_next_whole_step_at_fractional_steps() -> None:
    reference = pytest.importorskip("tests.reference")
    s = sc.stretch(sc.one_cycle(20, peak_at=0.125), 4.0)  # the rise ends at 1.5, seen at t = 6
    assert s(7) == 1.0 == float(reference.value(s, 7))  # 1.75: still the rise, at its end value
    for t in (6, 8, 9, 30):
        assert s(t) == pytest.approx(float(reference.value(s, t)), rel=1e-12), t
    assert s(9) < 1.0


@settings(max_examples=100)
@given(s=strategies.schedules())
@example(s=sc.cycle(sc.cycle(sc.cyclic(1, steps_down=1), 1, growth=1.5), 3, growth=2))  # a time of 2.5 at 8
def test_combination_matches_its_formula_in_float64(s: sc.Schedule) -> None:
    reference = pytest.importorskip("tests.reference")
    parts = _parts(s)
    # A wave sees fractional times inside a stretch or a stretched cycle (a cycle with a
    # growth): whole periods no longer reduce them exactly, and a wave shorter than one
    # update is reduced for whole steps only (see CosineWave). Any period there reduces
    # the stretched time rounded to a float: far from step 0, that rounding is a visible
    # share of one period (the reference reduces the exact quotient).
    fractional = any(
        isinstance(part, combinators.Stretch) or (isinstance(part, combinators.Cycle) and part.growth != 1)
        for part in parts
    )
    tiny = [p for p in parts if isinstance(p, schedules.CosineWave) and p.cycles >= p.steps]
    assume(not (fractional and any(p.cycles > p.steps or p.restart for p in tiny)))
    waves = any(isinstance(part, schedules.CosineWave) and (not part._period or fractional) for part in parts)
    repeats = (*PERIODIC, combinators.Cycle)
    periods = any(isinstance(p, repeats) or (isinstance(p, schedules.Polynomial) and p.extend) for p in parts)
    rounded = periods and fractional
    for t in probe_steps(s)[:30]:
        if t > 10**4 and (waves or rounded):
            continue  # the cosine's argument or the period's phase carries the rounding of a large step
        expected = float(reference.value(s, t))
        relative = 1e-10 if any(isinstance(part, schedules.RadamWarmup) for part in parts) else 1e-12
        assert s(t) == pytest.approx(expected, rel=relative, abs=1e-13 * strategies.magnitude(s)), (
            f"{s!r} at {t}"
        )


def _parts(s: sc.Schedule) -> list[sc.Schedule]:
    """``s`` and every schedule inside it."""
    inner = [v for f in dataclasses.fields(s) if f.init for v in _schedules_in(getattr(s, f.name))]  # type: ignore[arg-type]
    return [s, *(p for part in inner for p in _parts(part))]


def _schedules_in(value: object) -> list[sc.Schedule]:
    if isinstance(value, sc.Schedule):
        return [value]
    if isinstance(value, tuple):
        return [v for v in value if isinstance(v, sc.Schedule)]
    return []


def test_reference_covers_every_schedule_class() -> None:
    reference = pytest.importorskip("tests.reference")
    assert set(REGISTRY.values()) <= reference.covered()


@pytest.mark.parametrize(
    ("s", "steps", "end"),
    [
        pytest.param(sc.linear(0.3, 0.7, 9), 9, 0.7, id="linear-rising"),
        pytest.param(sc.linear(0.9, 0.1, 9), 9, 0.1, id="linear-falling"),
        pytest.param(sc.warmup(7, start=0.1), 7, 1.0, id="warmup"),
        pytest.param(sc.polynomial(9, power=0.5, end=0.2), 9, 0.2, id="polynomial"),
        pytest.param(sc.cosine(9, end=0.3, power=2.0), 9, 0.3, id="cosine"),
        pytest.param(sc.wsd(3, 3, 3, end=0.3), 9, 0.3, id="wsd"),
        pytest.param(sc.one_cycle(10, end=0.3), 9, 0.3, id="one_cycle"),
    ],
)
def test_ramps_reach_their_end_value_exactly(s: sc.Schedule, steps: int, end: float) -> None:
    assert s(steps) == end
    assert s(steps + 1) == end
    assert s(10**12) == end


def test_warmup_starts_at_zero_so_the_first_update_runs_at_zero() -> None:
    assert sc.warmup(1000)(0) == 0.0
    assert sc.warmup(1000)(1) == 0.001
    assert sc.warmup(1000, start=0.01)(0) == 0.01
    assert sc.warmup(1000)(1000) == 1.0


def test_multistep_counts_a_repeated_milestone_twice() -> None:
    s = sc.multistep([5, 5, 8], gamma=0.5)
    assert [s(t) for t in (4, 5, 7, 8)] == [1.0, 0.25, 0.25, 0.125]


def test_multistep_without_milestones_is_constant_one() -> None:
    assert sc.multistep([], gamma=0.1)(10**6) == 1.0


def test_step_functions_switch_at_the_milestone_for_fractional_steps() -> None:
    s = sc.multistep([5], gamma=0.5)
    assert s(4.999) == 1.0
    assert s(5.0) == 0.5
    assert sc.step_decay(3, gamma=0.5)(5.5) == 0.5


def test_continuous_parts_use_fractional_steps_as_they_are() -> None:
    assert sc.warmup(10)(2.5) == 0.25


def test_cosine_wave_rises_again_past_its_end_like_torch() -> None:
    s = sc.cosine_wave(10, end=0.0)
    assert s(10) == pytest.approx(0.0, abs=1e-16)
    assert s(15) == pytest.approx(0.5)
    assert s(20) == pytest.approx(1.0)


def test_cosine_wave_with_restarts_jumps_back_to_one() -> None:
    s = sc.cosine_wave(12, cycles=3, restart=True)
    assert s(0) == 1.0
    assert s(2) == pytest.approx(0.5)
    assert s(4) == 1.0


def test_one_cycle_peaks_and_then_holds_its_end() -> None:
    s = sc.one_cycle(100, peak_at=0.3, start=0.04, end=1e-5)
    assert s(0) == 0.04
    assert s(29) == pytest.approx(1.0)
    assert s(99) == 1e-5
    assert s(10**6) == 1e-5


def test_cyclic_is_a_triangle_wave() -> None:
    s = sc.cyclic(4, 2, start=0.0)
    assert [s(t) for t in range(8)] == [0.0, 0.25, 0.5, 0.75, 1.0, 0.5, 0.0, 0.25]


def test_wsd_holds_one_between_warmup_and_decay() -> None:
    s = sc.wsd(10, 20, 10, end=0.1, decay_shape="linear")
    assert s(0) == 0.1
    assert s(10) == s(29) == 1.0
    assert s(35) == pytest.approx(0.55)
    assert s(40) == s(10**6) == 0.1


def test_radam_warmup_rises_towards_one() -> None:
    s = sc.radam_warmup(0.999)
    values = [s(t) for t in (0, 10, 100, 1000, 10**6)]
    assert values == sorted(values)
    assert 0 < values[0] < 0.05
    assert values[-1] == pytest.approx(1.0, abs=1e-3)


def test_lengths_given_as_integral_floats_are_stored_as_ints() -> None:
    s = sc.polynomial(3e6)  # type: ignore[arg-type]
    assert s.steps == 3_000_000
    assert isinstance(s.steps, int)
    assert repr(s) == "polynomial(3000000)"


def test_sequences_become_tuples_and_the_callers_list_is_untouched() -> None:
    milestones = [30, 10 + 10, 40]
    with pytest.raises(ValueError, match="non-decreasing"):
        sc.multistep(milestones, gamma=0.1)
    assert milestones == [30, 20, 40]
    ordered = [10, 20]
    s = sc.multistep(ordered, gamma=0.1)
    ordered.append(30)
    assert s.milestones == (10, 20)


@pytest.mark.parametrize("name", sorted(n for n in REGISTRY if n not in ("product", "sum")))
def test_every_public_schedule_documents_its_formula(name: str) -> None:
    cls = REGISTRY[name]
    doc = cls.__doc__ or ""
    assert ".. math::" in doc
    assert "Args:" in doc
    assert "Example:" in doc
    assert getattr(sc, name) is cls


@given(s=strategies.primitives(), t=strategies.steps)
def test_values_are_finite(s: sc.Schedule, t: int) -> None:
    assert math.isfinite(s(t))


@given(t=st.integers(0, 10**6), steps=st.integers(1, 10**6))
def test_warmup_is_linear_with_exact_ends(t: int, steps: int) -> None:
    value = sc.warmup(steps)(t)
    assert value == (1.0 if t >= steps else pytest.approx(t / steps, rel=1e-15))


# --- numerical edges --------------------------------------------------------------------

EDGE_SCHEDULES = [
    pytest.param(sc.polynomial(1), id="steps=1"),
    pytest.param(sc.polynomial(10, power=0.0), id="power=0"),
    pytest.param(sc.cosine(10, end=1.0), id="end=1"),
    pytest.param(sc.multistep([1, 2, 3], gamma=1.0), id="gamma=1"),
    pytest.param(sc.step_decay(1, gamma=1e-300), id="tiny-gamma"),
    pytest.param(sc.multistep([5], gamma=1e300), id="huge-gamma"),
    pytest.param(sc.exponential(1e-300), id="tiny-rate"),
    pytest.param(sc.exponential(0.5, every=2**62), id="huge-every"),
    pytest.param(sc.inverse(1e300, power=2.0), id="huge-inverse-gamma"),
    pytest.param(sc.inverse_sqrt(1), id="inverse-sqrt-1"),
    pytest.param(sc.warmup(2**62), id="huge-warmup"),
    pytest.param(sc.linear(1e-300, 1e300, 7), id="extreme-linear"),
    pytest.param(sc.cycle(sc.cosine(1), 1, growth=2), id="doubling-cycles"),
    pytest.param(sc.one_cycle(4, peak_at=0.49), id="short-one-cycle"),
    pytest.param(sc.radam_warmup(0.6000001), id="radam-near-0.6"),
    pytest.param(sc.radam_warmup(1 - 1e-12), id="radam-near-1"),
    pytest.param(sc.exponential_warmup(1, start=-1e300), id="huge-negative-start"),
    pytest.param(sc.wsd(0, 0, 1), id="wsd-decay-only"),
]
EDGE_STEPS = [0, 1, 2, 3, 2**31 - 1, 2**53 + 1, 2**62, 2**63 - 1, 2**100, 10.0**300]


@pytest.mark.parametrize("s", EDGE_SCHEDULES)
def test_edge_parameters_give_finite_values_at_huge_steps(s: sc.Schedule) -> None:
    for t in EDGE_STEPS:
        value = s(t)
        assert math.isfinite(value), f"{s!r} at {t}"


def test_python_steps_past_float_range_are_a_value_error() -> None:
    with pytest.raises(ValueError, match=r"^step must be a finite number >= 0, got 1797"):
        sc.warmup(10)(2**1024)


@pytest.mark.parametrize("s", EDGE_SCHEDULES)
def test_edge_parameters_agree_with_numpy_int64_at_huge_steps(s: sc.Schedule) -> None:
    np = pytest.importorskip("numpy")
    steps = [t for t in EDGE_STEPS if isinstance(t, int) and t < 2**63]
    values = s(np.array(steps, dtype=np.int64))
    expected = [s(float(t)) if t > 2**53 else s(t) for t in steps]
    np.testing.assert_allclose(values, expected, rtol=1e-12, atol=1e-300)
