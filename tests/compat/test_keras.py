"""compat.keras against Keras 3.15.1 itself, at every step, on the JAX and torch backends.

Each case of ``tests/compat/keras_runs.py`` is one call written once and made on both
modules, so the arguments cannot differ. Keras picks its backend once per process, so
the values come from one process per backend (``python -m tests.compat.keras_runs``):
Keras's schedule and ``adapters.keras.wrap(compat.keras...)``, both called as the
optimizer calls them (jitted on JAX, eager on torch), on int32 counters. The exact
reference, where Keras's float32 arithmetic strays, is Keras's own code run in float64
(on torch, with Keras's 64-to-32-bit promotion rule lifted). The quirks at the end run
in this process, whose Keras runs on JAX (conftest.py).
"""

from __future__ import annotations

import re
from typing import Any

import pytest

keras = pytest.importorskip("keras")
np = pytest.importorskip("numpy")
pytest.importorskip("jax")
pytest.importorskip("torch")

import schedcore as sc  # noqa: E402
from schedcore import compat  # noqa: E402
from tests import processes  # noqa: E402
from tests.compat import keras_runs as runs  # noqa: E402

BACKENDS = ["jax", "torch"]

#: Float32 limits beyond the rule, as absolute errors in units of the schedule's largest value:
#: a rising polynomial is stated from its end, so its first values carry the rounding of
#: ``end_learning_rate`` (Keras's too); a cycle stretched by a ``t_mul`` that is not a power
#: of 2 sees its local time as a float32, so near the cycle's end a cosine towards 0 is
#: accurate to about 1e-7 of its start (Keras puts those steps in the wrong cycle).
FLOAT32_LIMITS = {"polynomial-rising": 3e-7, "restarts-1.1": 3e-7}


@pytest.fixture(scope="module")
def values(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    folder = tmp_path_factory.mktemp("keras")
    found: dict[str, Any] = {}
    for backend in BACKENDS:
        out = folder / f"{backend}.npz"
        processes.python("-m", "tests.compat.keras_runs", str(out), KERAS_BACKEND=backend)
        with np.load(out) as data:
            found[backend] = dict(data)
    return found


def _scale(exact: Any) -> float:
    finite = np.abs(exact[np.isfinite(exact)])
    return float(np.max(finite)) if finite.size and np.max(finite) > 0 else 1.0


IDS = [name for name, _, _ in runs.CASES]


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("name", IDS)
def test_float32_values_match_keras_at_every_step(values: dict[str, Any], backend: str, name: str) -> None:
    steps = runs.steps(dict((n, k) for n, _, k in runs.CASES)[name])
    ours, peer = values[backend][f"{name}/ours32"], values[backend][f"{name}/keras32"]
    exact = values["torch"][f"{name}/keras64"]
    scale = _scale(exact)
    # Within 1e-6 of Keras's float32 value, or of the exact value where Keras strays.
    near_peer = np.isclose(ours, peer, rtol=1e-6, atol=0.0)
    near_exact = np.isclose(ours, exact, rtol=1e-6, atol=max(1e-15, FLOAT32_LIMITS.get(name, 0.0)) * scale)
    wrong = ~(near_peer | near_exact)
    assert not wrong.any(), f"steps {steps[wrong][:10]}: ours {ours[wrong][:5]}, exact {exact[wrong][:5]}"
    assert not np.any(np.isnan(ours))  # (a growing exponential does reach inf)


@pytest.mark.parametrize("name", IDS)
def test_float64_values_match_keras_at_every_step(values: dict[str, Any], name: str) -> None:
    steps = runs.steps(dict((n, k) for n, _, k in runs.CASES)[name])
    ours, peer = values["torch"][f"{name}/ours64"], values["torch"][f"{name}/keras64"]
    close = np.isclose(ours, peer, rtol=1e-9, atol=1e-15 * _scale(peer))
    assert close.all(), f"steps {steps[~close][:10]}: ours {ours[~close][:5]}, keras {peer[~close][:5]}"


@pytest.mark.parametrize("name", [n for n in IDS if "staircase" in n or "piecewise" in n])
@pytest.mark.parametrize("backend", BACKENDS)
def test_step_functions_switch_at_the_exact_steps(values: dict[str, Any], backend: str, name: str) -> None:
    n = dict((k, m) for k, _, m in runs.CASES)[name]
    ours = values[backend][f"{name}/ours32"][:n]
    exact = values["torch"][f"{name}/keras64"][:n]
    switches = np.flatnonzero(np.diff(ours)) + 1
    np.testing.assert_array_equal(switches, np.flatnonzero(np.diff(exact)) + 1)
    assert switches.size > 0


# --- Keras's float32 arithmetic where it strays (documented in docs/migration/keras.md) ------


def _case(values: dict[str, Any], backend: str, name: str) -> tuple[Any, Any, Any, Any]:
    steps = runs.steps(dict((n, k) for n, _, k in runs.CASES)[name])
    data = values[backend]
    return steps, data[f"{name}/keras32"], data[f"{name}/ours32"], values["torch"][f"{name}/keras64"]


@pytest.mark.parametrize("name", ["exponential-staircase-41", "inverse-staircase-41"])
def test_keras_jitted_staircase_decays_late_where_schedcore_decays_at_the_multiple(
    values: dict[str, Any], name: str
) -> None:
    steps, peer, ours, exact = _case(values, "jax", name)
    late = steps[~np.isclose(peer, exact, rtol=1e-3)]  # a whole level away
    assert late.size > 0, "Keras no longer decays late: update the docs of ExponentialDecay"
    assert np.all(late % 41 == 0)
    np.testing.assert_allclose(ours, exact, rtol=1e-6)


def test_keras_jitted_polynomial_misses_its_end_and_a_fractional_power_is_nan_there(
    values: dict[str, Any],
) -> None:
    steps, peer, ours, _ = _case(values, "jax", "polynomial")
    past = steps >= 1_000
    assert np.all(peer[past] != np.float32(1e-4)), "Keras now reaches end_learning_rate: update the docs"
    assert np.all(ours[past] == np.float32(1e-4))
    steps, peer, ours, _ = _case(values, "jax", "polynomial-sqrt")
    assert np.all(np.isnan(peer[steps >= 1_000]))
    assert np.all(ours[steps >= 1_000] == np.float32(1e-4))


@pytest.mark.parametrize("backend", BACKENDS)
def test_keras_float32_restarts_put_steps_in_the_wrong_cycle(values: dict[str, Any], backend: str) -> None:
    _, peer, ours, exact = _case(values, backend, "restarts-1.1")
    wrong_cycle = np.abs(peer - exact) > 0.1  # a whole cycle's height away (the schedule's scale is 1)
    assert wrong_cycle.any(), "Keras no longer misplaces restarts: update the docs of CosineDecayRestarts"
    assert np.max(np.abs(ours - exact)) < 3e-7


def test_a_rising_polynomial_is_off_by_about_1e_7_of_its_end_value_as_keras_is(
    values: dict[str, Any],
) -> None:
    _, peer, ours, exact = _case(values, "jax", "polynomial-rising")
    assert np.max(np.abs(ours - exact)) <= 3e-7 * 1e-2
    assert np.max(np.abs(peer - exact)) > 5e-8 * 1e-2  # the cancellation is Keras's too


# --- the quirks, in this process (Keras on JAX) --------------------------------------------


def test_piecewise_constant_decay_switches_one_step_after_its_boundary() -> None:
    peer = keras.optimizers.schedules.PiecewiseConstantDecay([10], [1.0, 0.5])
    ours = compat.keras.PiecewiseConstantDecay([10], [1.0, 0.5])
    assert [float(peer(t)) for t in (10, 11)] == [ours(t) for t in (10, 11)] == [1.0, 0.5]
    assert sc.piecewise_constant([10], [1.0, 0.5])(10) == 0.5  # the core switches at t >= b


def test_cosine_decay_ignores_warmup_steps_without_a_warmup_target() -> None:
    peer = keras.optimizers.schedules.CosineDecay(1e-3, 100, warmup_steps=50)
    ours = compat.keras.CosineDecay(1e-3, 100, warmup_steps=50)
    assert ours == compat.keras.CosineDecay(1e-3, 100) == 1e-3 * sc.cosine(100)
    assert float(peer(0)) == pytest.approx(1e-3, rel=1e-7)


def test_polynomial_decay_cycle_spreads_the_decay_instead_of_restarting() -> None:
    peer = keras.optimizers.schedules.PolynomialDecay(1.0, 100, 0.0, cycle=True)
    ours = compat.keras.PolynomialDecay(1.0, 100, 0.0, cycle=True)
    for t in (0, 100, 101, 150, 200, 201):
        assert ours(t) == pytest.approx(float(peer(t)), rel=1e-6, abs=1e-7)
    assert ours(101) == pytest.approx(0.495)  # (1 - 101 / 200), not 1


def test_restarts_keep_the_floor_and_scale_the_height_above_it() -> None:
    ours = compat.keras.CosineDecayRestarts(1.0, 10, t_mul=1.0, m_mul=0.5, alpha=0.2)
    assert ours(10) == pytest.approx(0.2 + 0.8 * 0.5)  # the second cycle starts at half the height
    assert ours(19.999) == pytest.approx(0.2, abs=1e-6)  # and ends on the same floor


def test_keras_float64_mode_rounds_a_staircase_to_float32_where_schedcore_stays_in_float64(
    values: dict[str, Any],
) -> None:
    # Outside TensorFlow, Keras's type promotion turns 64-bit results into 32 bits.
    assert str(values["torch"]["float64-mode/keras"]) == "float32"
    assert str(values["torch"]["float64-mode/ours"]) == "float64"


# --- what each constructor builds ------------------------------------------------------------


@pytest.mark.parametrize(
    ("built", "expected"),
    [
        pytest.param(
            compat.keras.ExponentialDecay(0.1, 100, 0.5),
            0.1 * sc.exponential(0.5, every=100),
            id="exponential",
        ),
        pytest.param(
            compat.keras.ExponentialDecay(1.0, 100, 0.5, staircase=True),
            sc.step_decay(100, gamma=0.5),
            id="exponential-staircase",
        ),
        pytest.param(
            compat.keras.ExponentialDecay(0.1, 100, 0.0),
            sc.piecewise_constant([1], [0.1, 0.0]),
            id="exponential-rate-0",
        ),
        pytest.param(
            compat.keras.PiecewiseConstantDecay([10, 20], [1.0, 0.5, 0.1]),
            sc.piecewise_constant([11, 21], [1.0, 0.5, 0.1]),
            id="piecewise",
        ),
        pytest.param(
            compat.keras.PiecewiseConstantDecay([], [0.3]), sc.piecewise_constant([], [0.3]), id="empty"
        ),
        pytest.param(
            compat.keras.PolynomialDecay(0.1, 100), sc.linear(0.1, 0.0001, 100), id="polynomial-linear"
        ),
        pytest.param(
            compat.keras.PolynomialDecay(0.1, 100, 0.0, power=2.0, cycle=True),
            0.1 * sc.polynomial(100, power=2.0, extend=True),
            id="polynomial-cycle",
        ),
        pytest.param(
            compat.keras.PolynomialDecay(0.1, 100, power=0.0), sc.constant(0.1), id="polynomial-power-0"
        ),
        pytest.param(
            compat.keras.InverseTimeDecay(0.1, 10, 0.5), 0.1 * sc.inverse(0.05, power=1.0), id="inverse"
        ),
        pytest.param(
            compat.keras.InverseTimeDecay(0.1, 10, 0.5, staircase=True),
            0.1 * sc.per_epoch(sc.inverse(0.5, power=1.0), 10),
            id="inverse-staircase",
        ),
        pytest.param(
            compat.keras.CosineDecay(0.1, 100, alpha=0.1), 0.1 * sc.cosine(100, end=0.1), id="cosine"
        ),
        pytest.param(
            compat.keras.CosineDecay(0.0, 100, warmup_target=0.1, warmup_steps=10),
            sc.join([sc.linear(0.0, 0.1, 10), 0.1 * sc.cosine(100)], [10]),
            id="cosine-warmup",
        ),
        pytest.param(
            compat.keras.CosineDecayRestarts(0.1, 10, t_mul=1.5, m_mul=0.5, alpha=0.1),
            0.1 * (0.1 + 0.9 * sc.cycle(sc.cosine(10), 10, growth=1.5, decay=0.5)),
            id="restarts",
        ),
    ],
)
def test_constructors_build_the_documented_core_schedules(built: sc.Schedule, expected: sc.Schedule) -> None:
    assert built == expected


@pytest.mark.parametrize(
    ("build", "error", "message"),
    [
        pytest.param(
            lambda: compat.keras.ExponentialDecay(0.1, 2.5, 0.5),
            TypeError,
            "decay_steps must be a positive int, got float 2.5",
            id="fractional-decay-steps",
        ),
        pytest.param(
            lambda: compat.keras.ExponentialDecay(0.1, 10, -0.5),
            ValueError,
            "decay_rate must be a finite number >= 0, got -0.5",
            id="negative-rate",
        ),
        pytest.param(
            lambda: compat.keras.PiecewiseConstantDecay([10, 5], [1.0, 0.5, 0.1]),
            ValueError,
            "boundaries must be strictly increasing, got [10, 5]",
            id="decreasing-boundaries",
        ),
        pytest.param(
            lambda: compat.keras.PiecewiseConstantDecay([10], [1.0]),
            ValueError,
            "PiecewiseConstantDecay got 1 boundaries and 1 values; it needs 2 values",
            id="lengths",
        ),
        pytest.param(
            lambda: compat.keras.PolynomialDecay(0.1, 10, power=-1.0),
            ValueError,
            "power must be a finite number >= 0, got -1.0",
            id="negative-power",
        ),
        pytest.param(
            lambda: compat.keras.CosineDecayRestarts(0.1, 10, t_mul=0.5),
            ValueError,
            "t_mul must be a finite number >= 1, got 0.5",
            id="shrinking-cycles",
        ),
        pytest.param(
            lambda: compat.keras.CosineDecayRestarts(0.1, 10, t_mul=1.000001),
            ValueError,
            "CosineDecayRestarts with first_decay_steps=10 and t_mul=1.000001 starts more than 100000 cycles",
            id="too-many-cycles",
        ),
    ],
)
def test_arguments_keras_accepts_but_no_schedule_can_mean_are_errors(
    build: Any, error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match="^" + re.escape(message)):
        build()
