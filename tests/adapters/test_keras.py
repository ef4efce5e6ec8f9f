"""adapters.keras.wrap as a Keras LearningRateSchedule, in this process (Keras on JAX, see conftest.py).

The real trainings, on the JAX and the torch backend each in a process of its own, with a
save and a load in a new process and gradient accumulation, are in
tests/integrations/test_keras.py.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

keras = pytest.importorskip("keras")
jax = pytest.importorskip("jax")
np = pytest.importorskip("numpy")

import jax.numpy as jnp  # noqa: E402

import schedcore as sc  # noqa: E402
from schedcore import _backend, adapters, compat  # noqa: E402
from schedcore.adapters import keras as keras_adapter  # noqa: E402
from tests import processes, strategies  # noqa: E402

SCHEDULE = sc.warmup(10) * sc.multistep([30, 60], gamma=0.1) * sc.cosine(100, end=0.01)
BASE = 3e-3


def _values(lr: Any, counts: Any) -> Any:
    return np.asarray(jax.jit(lambda ts: jax.lax.map(lr, ts))(counts), dtype=np.float64)


def test_wrap_is_a_keras_learning_rate_schedule_and_prints_as_its_call() -> None:
    lr = adapters.keras.wrap(SCHEDULE, BASE)
    assert isinstance(lr, keras.optimizers.schedules.LearningRateSchedule)
    assert repr(lr) == f"wrap({SCHEDULE!r}, base=0.003)"
    assert repr(adapters.keras.wrap(sc.constant(0.1), gradient_accumulation_steps=4)) == (
        "wrap(constant(0.1), gradient_accumulation_steps=4)"
    )
    assert lr == adapters.keras.wrap(SCHEDULE, BASE) != adapters.keras.wrap(SCHEDULE, 1.0)
    assert hash(lr) == hash(adapters.keras.wrap(SCHEDULE, BASE))


def test_step_k_gives_base_times_the_schedule_under_jit_in_float32() -> None:
    counts = np.arange(120, dtype=np.int32)
    got = _values(adapters.keras.wrap(SCHEDULE, BASE), counts)
    expected = np.asarray([BASE * SCHEDULE(int(k)) for k in counts])
    np.testing.assert_allclose(got, expected, rtol=1e-6, atol=0)
    assert got[0] == 0.0


def test_the_optimizer_counter_is_a_step_and_a_python_int_is_exact_then_rounded_once() -> None:
    lr = adapters.keras.wrap(SCHEDULE, BASE)
    optimizer = keras.optimizers.SGD(learning_rate=lr)
    optimizer.iterations.assign(25)
    value = optimizer.learning_rate  # Keras calls the schedule with its iterations Variable
    assert keras.backend.standardize_dtype(value.dtype) == "float32"
    assert float(value) == pytest.approx(BASE * SCHEDULE(25), rel=1e-6)
    assert float(lr(25)) == float(np.float32(BASE * SCHEDULE(25)))
    assert float(lr(np.int64(25))) == float(lr(25))


@pytest.mark.parametrize(
    ("schedule", "step"),
    [
        pytest.param(sc.multistep([2**24 + 1], gamma=0.5), 2**24 + 1, id="beyond-float32"),
        pytest.param(sc.piecewise_constant([2**31 - 1], [1.0, 0.5]), 2**31 - 1, id="last-int32"),
        pytest.param(sc.step_decay(41, gamma=0.5), 41 * 7, id="staircase-41"),
    ],
)
def test_step_functions_switch_exactly_on_int32_counters(schedule: sc.Schedule, step: int) -> None:
    lr = adapters.keras.wrap(schedule)
    values = _values(lr, np.asarray([step - 1, step], dtype=np.int32))
    np.testing.assert_allclose(values, [schedule(step - 1), schedule(step)], rtol=1e-6, atol=0)
    assert values[0] != values[1]


def test_step_functions_switch_exactly_on_int64_counters() -> None:
    schedule = sc.multistep([2**31 + 5, 2**53 + 1], gamma=0.5)
    lr = adapters.keras.wrap(schedule)
    steps = [2**31 + 4, 2**31 + 5, 2**53, 2**53 + 1]
    with jax.enable_x64(True):
        values = jax.jit(lambda ts: jax.lax.map(lr, ts))(jnp.asarray(steps, dtype=jnp.int64))
        assert values.dtype == jnp.float32  # the optimizer's floatx, whatever the counter's width
    assert np.asarray(values).tolist() == [1.0, 0.5, 0.5, 0.25]


def test_gradient_accumulation_divides_the_counter_so_update_u_uses_s_of_u() -> None:
    lr = adapters.keras.wrap(SCHEDULE, BASE, gradient_accumulation_steps=4)
    micro = np.arange(40, dtype=np.int32)  # Keras's batch counter; update u happens at 4u + 3
    got = _values(lr, micro)
    np.testing.assert_allclose(got, [BASE * SCHEDULE(int(k) // 4) for k in micro], rtol=1e-6, atol=0)
    assert float(lr(4 * 7 + 3)) == float(np.float32(BASE * SCHEDULE(7)))


def test_get_config_is_json_and_from_config_rebuilds_an_equal_schedule() -> None:
    lr = adapters.keras.wrap(compat.keras.CosineDecayRestarts(1e-3, 10, t_mul=1.5), 2.0)
    config = json.loads(json.dumps(lr.get_config()))
    assert config == {
        "schedule": lr.schedule.to_dict(),
        "base": 2.0,
        "gradient_accumulation_steps": None,
    }
    assert adapters.keras.KerasSchedule.from_config(config) == lr


def test_keras_deserializes_it_by_its_registered_name_without_custom_objects() -> None:
    lr = adapters.keras.wrap(SCHEDULE, BASE, gradient_accumulation_steps=2)
    data = json.loads(json.dumps(keras.optimizers.schedules.serialize(lr)))
    assert data["registered_name"] == "schedcore>KerasSchedule"
    assert keras.optimizers.schedules.deserialize(data) == lr
    optimizer = keras.optimizers.Adam.from_config(keras.optimizers.Adam(learning_rate=lr).get_config())
    assert optimizer._learning_rate == lr


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        pytest.param(
            {"schedule": 0.1},
            TypeError,
            "schedule must be a schedcore schedule, got float 0.1",
            id="schedule",
        ),
        pytest.param({"base": float("inf")}, ValueError, "base must be a finite number, got inf", id="base"),
        pytest.param(
            {"gradient_accumulation_steps": 0},
            ValueError,
            "gradient_accumulation_steps must be a positive int, got 0",
            id="accumulation",
        ),
    ],
)
def test_bad_arguments_name_the_parameter(
    kwargs: dict[str, Any], error: type[Exception], message: str
) -> None:
    arguments: dict[str, Any] = {"schedule": SCHEDULE, **kwargs}
    with pytest.raises(error, match="^" + message + "$"):
        adapters.keras.wrap(**arguments)


@pytest.mark.parametrize("dtype", ["int32", "float32"])
def test_keras_ops_evaluate_every_formula_as_the_core_does(dtype: str) -> None:
    # The path for backends whose tensors the core does not know (TensorFlow), here on JAX.
    t = keras.ops.convert_to_tensor(np.arange(0, 3_000, 7), dtype=dtype)
    for schedule in strategies.one_of_each():
        ops = keras_adapter._keras_ops(t, "float32")
        got = _backend.finish(ops, t, schedule.formula(t, ops))
        np.testing.assert_array_equal(np.asarray(got), np.asarray(schedule.evaluate(t, dtype="float32")))


def test_without_keras_the_error_names_the_extra_that_installs_it() -> None:
    code = (
        "import sys\n"
        "sys.modules['keras'] = None\n"
        "from schedcore import adapters\n"
        "try:\n"
        "    adapters.keras\n"
        "except ImportError as error:\n"
        "    print(error)\n"
    )
    output = processes.python("-c", code).stdout.strip()
    assert output.endswith('install it with: pip install "schedcore[keras]"')
