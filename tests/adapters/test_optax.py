"""adapters.optax.wrap inside optax and JAX: jit, vmap, scan, inject_hyperparams, several devices."""

from __future__ import annotations

import pickle
import re
import textwrap
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

optax = pytest.importorskip("optax")
jax = pytest.importorskip("jax")
np = pytest.importorskip("numpy")

import jax.numpy as jnp  # noqa: E402

import schedcore as sc  # noqa: E402
from schedcore import adapters, compat  # noqa: E402
from tests import (  # noqa: E402
    bad_inputs,
    processes,
    strategies,
)

SCHEDULES = [
    pytest.param(
        sc.warmup(100) * sc.multistep([300, 600], gamma=0.1) * sc.polynomial(900, power=0.5), id="product"
    ),
    pytest.param(sc.join([sc.warmup(50, start=0.1), sc.cosine(200, end=0.05)], [50]), id="join"),
    pytest.param(sc.cycle(sc.cosine(64), 64, growth=2), id="cycle"),
    pytest.param(sc.per_epoch(sc.step_decay(3, gamma=0.5), 40), id="per_epoch"),
    pytest.param(sc.one_cycle(500, peak_at=0.25) + 0.5 * sc.exponential(0.999), id="sum"),
    pytest.param(compat.optax.warmup_cosine_decay_schedule(0.0, 1.0, 100, 1000, 0.01), id="compat"),
]


def _float32(values: Any) -> Any:
    return np.asarray(values, dtype=np.float64).astype(np.float32)


def _primitives(jaxpr: Any) -> Iterator[str]:
    """Every primitive name in a jaxpr, nested jaxprs (jit, cond, scan bodies) included."""
    for eqn in jaxpr.eqns:
        yield eqn.primitive.name
        for param in eqn.params.values():
            for sub in param if isinstance(param, list | tuple) else [param]:
                inner = getattr(sub, "jaxpr", sub)
                if hasattr(inner, "eqns"):
                    yield from _primitives(inner)


# --- the contract: wrap(s, base)(count) == base * s(count) ---------------------------


@pytest.mark.parametrize("s", SCHEDULES)
def test_jitted_value_is_base_times_the_schedule_at_every_count(s: sc.Schedule) -> None:
    lr = adapters.optax.wrap(s, base=3e-4)
    counts = np.arange(2_000)
    values = jax.jit(lr)(jnp.asarray(counts, dtype=jnp.int32))
    assert values.dtype == jnp.float32
    assert not values.weak_type
    expected = 3e-4 * s(counts)
    np.testing.assert_allclose(np.asarray(values), expected, rtol=1e-6, atol=1e-7 * 3e-4)


@settings(max_examples=40)
@given(
    s=strategies.schedules(),
    base=st.floats(-10.0, 10.0, allow_nan=False),
    counts=st.lists(st.integers(0, 2**31 - 1), min_size=1, max_size=20),
)
def test_under_x64_every_schedule_is_base_times_its_float64_value(
    s: sc.Schedule, base: float, counts: list[int]
) -> None:
    lr = jax.jit(adapters.optax.wrap(s, base=base))
    with jax.enable_x64(True):
        values = lr(jnp.asarray(counts, dtype=jnp.int32))
    assert values.dtype == jnp.float64
    expected = [base * s(t) for t in counts]
    np.testing.assert_allclose(np.asarray(values), expected, rtol=1e-12, atol=1e-14 * (1 + abs(base)))


def test_python_and_numpy_counts_take_the_exact_float64_path_then_one_rounding() -> None:
    s = sc.warmup(7) * sc.cosine(30)
    lr = adapters.optax.wrap(s, base=0.1)
    for t in range(40):
        assert lr(t) == _float32(0.1 * s(t))
    np.testing.assert_array_equal(lr(np.arange(40)), _float32(0.1 * s(np.arange(40))))
    assert isinstance(lr(3), jax.Array)
    assert lr(3).dtype == jnp.float32


def test_a_negative_python_count_is_an_error_like_any_step() -> None:
    with pytest.raises(ValueError, match=re.escape("step must be a finite number >= 0, got -1") + "$"):
        adapters.optax.wrap(sc.warmup(10))(-1)


def test_under_x64_values_are_float64_even_with_optax_int32_counts() -> None:
    s = sc.warmup(10) * sc.multistep([20], gamma=0.1) * sc.exponential(0.99)
    lr = adapters.optax.wrap(s, base=2.0)
    with jax.enable_x64(True):
        values = jax.jit(lr)(jnp.arange(100, dtype=jnp.int32))
        scalar = lr(55)
    assert values.dtype == jnp.float64
    assert scalar.dtype == jnp.float64
    np.testing.assert_allclose(np.asarray(values), 2.0 * s(np.arange(100)), rtol=1e-12, atol=1e-15)
    assert float(scalar) == 2.0 * s(55)
    assert jax.jit(lr)(jnp.int32(55)).dtype == jnp.float32  # and float32 again outside the context


@pytest.mark.parametrize(
    "s",
    [
        pytest.param(sc.multistep([2**24 + 1], gamma=0.5), id="multistep"),
        pytest.param(compat.optax.piecewise_constant_schedule(1.0, {2**24 + 1: 0.5}), id="piecewise"),
        pytest.param(compat.optax.exponential_decay(1.0, 2**24 + 1, 0.5, staircase=True), id="staircase"),
        pytest.param(sc.join([sc.constant(1.0), sc.constant(0.5)], [2**24 + 1]), id="join"),
    ],
)
def test_int32_counts_past_2_to_the_24_switch_exactly_at_the_milestone(s: sc.Schedule) -> None:
    # float32 cannot tell 2**24 from 2**24 + 1: the switch must come from the integer count.
    lr = adapters.optax.wrap(s)
    counts = jnp.asarray([2**24 - 1, 2**24, 2**24 + 1, 2**24 + 2], dtype=jnp.int32)
    assert np.asarray(jax.jit(lr)(counts)).tolist() == [1.0, 1.0, 0.5, 0.5]
    # and through optax's own counter, in the state of scale_by_schedule
    opt = optax.scale_by_schedule(lr)
    state = opt.init(jnp.zeros(()))._replace(count=jnp.asarray(2**24, dtype=jnp.int32))
    update = jax.jit(opt.update)
    seen = []
    for _ in range(3):
        step, state = update(jnp.ones(()), state)
        seen.append(float(step))
    assert seen == [1.0, 0.5, 0.5]
    assert int(state.count) == 2**24 + 3


# --- JAX transformations -------------------------------------------------------------


@pytest.mark.parametrize("s", SCHEDULES)
def test_the_jaxpr_holds_no_callback_so_the_host_never_synchronises(s: sc.Schedule) -> None:
    lr = adapters.optax.wrap(s, base=0.1)
    names = set(_primitives(jax.make_jaxpr(lr)(jnp.int32(0)).jaxpr))
    assert names, "the jaxpr should hold the schedule's arithmetic"
    assert not {name for name in names if "callback" in name}
    # the same inside a whole optimizer update
    opt = optax.adamw(lr)
    params = {"w": jnp.ones(3)}
    update = jax.make_jaxpr(opt.update)(params, opt.init(params), params)
    assert not {name for name in _primitives(update.jaxpr) if "callback" in name}


def test_the_check_finds_a_callback_when_there_is_one() -> None:
    def noisy(count: Any) -> Any:
        jax.debug.callback(lambda c: None, count)
        return adapters.optax.wrap(sc.warmup(10))(count)

    assert "debug_callback" in set(_primitives(jax.make_jaxpr(noisy)(jnp.int32(0)).jaxpr))


def test_a_jitted_training_step_is_traced_once_however_far_the_count_goes() -> None:
    traces = 0
    lr = adapters.optax.wrap(sc.warmup(5) * sc.multistep([10, 20], gamma=0.5) * sc.cosine(40), base=0.1)
    opt = optax.adamw(lr)

    def train_step(params: Any, state: Any) -> Any:
        nonlocal traces
        traces += 1
        grads = jax.grad(lambda p: jnp.sum(p**2))(params)
        updates, state = opt.update(grads, state, params)
        return optax.apply_updates(params, updates), state

    step = jax.jit(train_step)
    params = jnp.ones(4)
    state = opt.init(params)
    for _ in range(60):  # past every milestone and the end of the cosine
        params, state = step(params, state)
    assert traces == 1

    def evaluate(count: Any) -> Any:
        nonlocal traces
        traces += 1
        return lr(count)

    jitted = jax.jit(evaluate)
    for count in (0, 7, 10**6, 2**31 - 1):
        jitted(jnp.int32(count))
    assert traces == 2


def test_vmap_over_counts_and_over_schedules_of_a_batch() -> None:
    s = sc.warmup(10) * sc.cosine(100)
    lr = adapters.optax.wrap(s, base=0.5)
    counts = jnp.arange(120, dtype=jnp.int32)
    np.testing.assert_allclose(jax.vmap(lr)(counts), 0.5 * s(np.arange(120)), rtol=1e-6, atol=1e-8)
    grid = jax.vmap(jax.vmap(lr))(counts.reshape(12, 10))
    np.testing.assert_allclose(grid.reshape(-1), 0.5 * s(np.arange(120)), rtol=1e-6, atol=1e-8)


def test_scan_carries_the_count_through_a_whole_run() -> None:
    s = sc.warmup(10) * sc.multistep([30], gamma=0.1)
    lr = adapters.optax.wrap(s, base=0.1)

    def body(total: Any, count: Any) -> tuple[Any, Any]:
        value = lr(count)
        return total + value, value

    total, values = jax.lax.scan(body, jnp.float32(0), jnp.arange(50, dtype=jnp.int32))
    np.testing.assert_allclose(values, 0.1 * s(np.arange(50)), rtol=1e-6)
    assert float(total) == pytest.approx(0.1 * float(np.sum(s(np.arange(50)))), rel=1e-6)


def test_grad_of_the_value_with_respect_to_a_float_count() -> None:
    lr = adapters.optax.wrap(sc.warmup(100), base=2.0)
    assert float(jax.grad(lr)(jnp.float32(10.0))) == pytest.approx(0.02, rel=1e-6)


# --- inside optax ----------------------------------------------------------------------


def _train(opt: Any, steps: int, *, scan: bool = False) -> tuple[Any, list[Any]]:
    """A jitted regression loop: returns the final parameters and every optimizer state."""
    x = jnp.linspace(-1.0, 1.0, 32)
    y = 3.0 * x - 0.5

    def loss(params: Any) -> Any:
        return jnp.mean((params["w"] * x + params["b"] - y) ** 2)

    def step(carry: Any, _: Any) -> tuple[Any, Any]:
        params, state = carry
        updates, state = opt.update(jax.grad(loss)(params), state, params)
        return (optax.apply_updates(params, updates), state), state

    params = {"w": jnp.zeros(()), "b": jnp.zeros(())}
    carry = (params, opt.init(params))
    if scan:
        carry, states = jax.jit(lambda c: jax.lax.scan(step, c, length=steps))(carry)
        return carry[0], [states]
    jitted = jax.jit(step)
    history = []
    for _ in range(steps):
        carry, state = jitted(carry, None)
        history.append(state)
    return carry[0], history


NATIVE_AND_OURS = [
    pytest.param(
        lambda m: m.warmup_cosine_decay_schedule(0.0, 0.05, 20, 200, end_value=1e-3),
        id="warmup_cosine_decay",
    ),
    pytest.param(lambda m: m.piecewise_constant_schedule(0.05, {50: 0.5, 120: 0.2}), id="piecewise_constant"),
    pytest.param(
        lambda m: m.warmup_exponential_decay_schedule(0.0, 0.05, 10, 25, 0.5, staircase=True),
        id="warmup_exponential_decay",
    ),
    pytest.param(lambda m: m.cosine_onecycle_schedule(200, 0.05), id="cosine_onecycle"),
]


@pytest.mark.parametrize("build", NATIVE_AND_OURS)
def test_adamw_in_a_jitted_loop_ends_with_the_parameters_of_the_native_schedule(
    build: Callable[[Any], Any],
) -> None:
    native, _ = _train(optax.adamw(build(optax), weight_decay=1e-2), 250)
    ours, _ = _train(optax.adamw(adapters.optax.wrap(build(compat.optax)), weight_decay=1e-2), 250)
    for key in ("w", "b"):
        assert float(ours[key]) == pytest.approx(float(native[key]), rel=1e-6, abs=1e-7)
    assert 2.0 < float(ours["w"]) < 3.5  # the loop did train, from 0 towards 3


@pytest.mark.parametrize("build", NATIVE_AND_OURS)
def test_inject_hyperparams_records_the_native_learning_rate_at_every_update(
    build: Callable[[Any], Any],
) -> None:
    factory = optax.inject_hyperparams(optax.adamw)
    native_params, native = _train(factory(learning_rate=build(optax), weight_decay=1e-2), 250)
    ours_params, ours = _train(
        factory(learning_rate=adapters.optax.wrap(build(compat.optax)), weight_decay=1e-2), 250
    )
    native_lr = np.array([float(state.hyperparams["learning_rate"]) for state in native])
    ours_lr = np.array([float(state.hyperparams["learning_rate"]) for state in ours])
    # Update k records the value at count k: the wrapped schedule's, and optax's within 1e-6
    # (or, where optax's float32 arithmetic strays, the exact value: optax's own in float64).
    counts = np.arange(250)
    wrapped = jax.jit(adapters.optax.wrap(build(compat.optax)))(jnp.asarray(counts, dtype=jnp.int32))
    np.testing.assert_allclose(ours_lr, np.asarray(wrapped), rtol=1e-6, atol=1e-12)
    with jax.enable_x64(True):
        exact = np.asarray(jax.jit(jax.vmap(build(optax)))(jnp.asarray(counts, dtype=jnp.int64)))
    near_native = np.isclose(ours_lr, native_lr, rtol=1e-6, atol=0.0)
    near_exact = np.isclose(ours_lr, exact, rtol=1e-6, atol=1e-15)
    assert (near_native | near_exact).all(), counts[~(near_native | near_exact)]
    assert ours[-1].hyperparams["learning_rate"].dtype == jnp.float32
    assert float(ours_params["w"]) == pytest.approx(float(native_params["w"]), rel=1e-5)


def test_inject_hyperparams_inside_scan_keeps_a_stable_carry() -> None:
    s = sc.warmup(10) * sc.cosine(100)
    opt = optax.inject_hyperparams(optax.sgd)(learning_rate=adapters.optax.wrap(s, base=0.1))
    _, states = _train(opt, 120, scan=True)
    recorded = np.asarray(states[0].hyperparams["learning_rate"])
    np.testing.assert_allclose(recorded, 0.1 * s(np.arange(120)), rtol=1e-6, atol=1e-9)


def test_scale_by_schedule_multiplies_each_update_by_the_value_at_the_count() -> None:
    s = sc.warmup(4) * sc.multistep([6], gamma=0.1)
    opt = optax.scale_by_schedule(adapters.optax.wrap(s, base=2.0))
    grads = {"a": jnp.ones(2), "b": jnp.full((3,), -1.0)}
    state = opt.init(grads)
    update = jax.jit(opt.update)
    for t in range(10):
        updates, state = update(grads, state)
        expected = _float32(2.0 * s(t))
        np.testing.assert_array_equal(updates["a"], np.full(2, expected))
        np.testing.assert_array_equal(updates["b"], np.full(3, -expected))


def test_an_optax_chain_can_schedule_two_hyperparameters() -> None:
    lr = adapters.optax.wrap(sc.warmup(10) * sc.cosine(50), base=0.1)
    momentum = adapters.optax.wrap(0.85 + 0.1 * sc.cosine(50))
    opt = optax.inject_hyperparams(optax.sgd)(learning_rate=lr, momentum=momentum)
    _, states = _train(opt, 60)
    for t, state in enumerate(states):
        assert float(state.hyperparams["learning_rate"]) == pytest.approx(float(lr(t)), rel=1e-6, abs=1e-9)
        assert float(state.hyperparams["momentum"]) == pytest.approx(float(momentum(t)), rel=1e-6)


# --- several devices -------------------------------------------------------------------

_SHARDED = """
import json
import jax, jax.numpy as jnp, numpy as np, optax
from jax.sharding import NamedSharding, PartitionSpec as P
import schedcore as sc
from schedcore import adapters

assert jax.device_count() == 2, jax.devices()
mesh = jax.make_mesh((2,), ("data",))
s = sc.warmup(10) * sc.multistep([25], gamma=0.1) * sc.cosine(60)
lr = adapters.optax.wrap(s, base=0.1)

# Each device evaluates the schedule from the replicated count and reports its value.
per_device = jax.jit(jax.shard_map(lambda c: lr(c)[None], mesh=mesh, in_specs=P(), out_specs=P("data")))
values = [np.asarray(per_device(jnp.int32(t))).tolist() for t in range(70)]

# A sharded SGD update: each device holds half of the parameters and steps them by the lr.
opt = optax.sgd(lr)
params = jax.device_put(jnp.zeros(8), NamedSharding(mesh, P("data")))
state = opt.init(params)

@jax.jit
def step(params, state):
    updates, state = opt.update(-jnp.ones_like(params), state, params)
    return optax.apply_updates(params, updates), state

steps = []
for _ in range(70):
    before = {s.device.id: np.asarray(s.data) for s in params.addressable_shards}
    params, state = step(params, state)
    after = {s.device.id: np.asarray(s.data) for s in params.addressable_shards}
    steps.append([[before[d].tolist(), after[d].tolist()] for d in sorted(after)])
print(json.dumps({"values": values, "steps": steps, "devices": len(params.sharding.device_set)}))
"""


def test_every_device_of_a_sharded_update_uses_the_same_schedule_value() -> None:
    # XLA reads its flags when JAX starts: the two host devices need a fresh process.
    result = processes.python(
        "-c",
        textwrap.dedent(_SHARDED),
        XLA_FLAGS="--xla_force_host_platform_device_count=2",
        JAX_PLATFORMS="cpu",
    )
    report = processes.last_json(result)
    assert report["devices"] == 2
    s = sc.warmup(10) * sc.multistep([25], gamma=0.1) * sc.cosine(60)
    for t, (first, second) in enumerate(report["values"]):
        assert first == second, t
        assert first == pytest.approx(0.1 * s(t), rel=1e-6, abs=1e-9), t
    for t, shards in enumerate(report["steps"]):
        value = np.float32(report["values"][t][0])
        assert len(shards) == 2
        for before, after in shards:  # each half of the parameters moved by that very value
            assert len(before) == 4
            np.testing.assert_array_equal(np.float32(after), np.float32(before) + value)


# --- resuming in a new process ------------------------------------------------------------

_RESUME = """
import json, pickle, sys
import jax, jax.numpy as jnp, numpy as np, optax
import schedcore as sc
from schedcore import adapters

path, steps = sys.argv[1], int(sys.argv[2])
schedule = sc.parse(sys.argv[3])
optimizer = optax.inject_hyperparams(optax.adamw)(learning_rate=adapters.optax.wrap(schedule, base=0.01))
with open(path, "rb") as f:
    saved = pickle.load(f)
params = jax.tree.map(jnp.asarray, saved["params"])
state = jax.tree.map(jnp.asarray, saved["state"])  # optax's count comes back with the state
x = jnp.linspace(-1.0, 1.0, 24).reshape(8, 3)

@jax.jit
def step(params, state):
    grads = jax.grad(lambda p: jnp.sum((x @ p - 1.0) ** 2))(params)
    updates, state = optimizer.update(grads, state, params)
    return optax.apply_updates(params, updates), state

lrs = []
for _ in range(int(saved["done"]), steps):
    lrs.append(float(state.hyperparams["learning_rate"]))
    params, state = step(params, state)
print(json.dumps({"lrs": lrs, "params": np.asarray(params).tolist()}))
"""


def _adamw_run(schedule: sc.Schedule, steps: int, stop: int | None = None) -> tuple[list[float], Any, Any]:
    optimizer = optax.inject_hyperparams(optax.adamw)(learning_rate=adapters.optax.wrap(schedule, base=0.01))
    params = jnp.zeros(3)
    state = optimizer.init(params)
    x = jnp.linspace(-1.0, 1.0, 24).reshape(8, 3)

    def train_step(params: Any, state: Any) -> tuple[Any, Any]:
        grads = jax.grad(lambda p: jnp.sum((x @ p - 1.0) ** 2))(params)
        updates, state = optimizer.update(grads, state, params)
        return optax.apply_updates(params, updates), state

    step = jax.jit(train_step)
    lrs = []
    for _ in range(steps if stop is None else stop):
        lrs.append(float(state.hyperparams["learning_rate"]))
        params, state = step(params, state)
    return lrs, params, state


def test_a_run_resumed_in_a_new_process_from_its_optimizer_state_continues_exactly(tmp_path: Path) -> None:
    schedule = sc.warmup(20) * sc.multistep([60, 90], gamma=0.3) * sc.cosine(120, end=0.1)
    steps, stop = 130, 55
    expected, final, _ = _adamw_run(schedule, steps)
    _, params, state = _adamw_run(schedule, steps, stop)
    assert int(state.count) == stop
    path = tmp_path / "state.pkl"
    with path.open("wb") as f:  # plain numpy arrays: no JAX or schedcore object in the file
        pickle.dump({"params": np.asarray(params), "state": jax.tree.map(np.asarray, state), "done": stop}, f)
    result = processes.python(
        "-c", textwrap.dedent(_RESUME), str(path), str(steps), repr(schedule), JAX_PLATFORMS="cpu"
    )
    resumed = processes.last_json(result)
    assert resumed["lrs"] == expected[stop:]
    assert resumed["params"] == np.asarray(final).tolist()


# --- the wrapped schedule as a value ---------------------------------------------------


def test_the_wrapped_schedule_is_a_value_with_a_readable_repr() -> None:
    lr = adapters.optax.wrap(sc.warmup(100) * sc.cosine(1000), base=3e-4)
    assert repr(lr) == "wrap(warmup(100) * cosine(1000), base=0.0003)"
    assert repr(adapters.optax.wrap(sc.warmup(10))) == "wrap(warmup(10))"
    assert lr == adapters.optax.wrap(sc.warmup(100) * sc.cosine(1000), base=3e-4)
    assert hash(lr) == hash(adapters.optax.wrap(sc.warmup(100) * sc.cosine(1000), base=3e-4))
    assert pickle.loads(pickle.dumps(lr)) == lr
    assert lr != adapters.optax.wrap(sc.warmup(100) * sc.cosine(1000), base=1e-3)


BAD = [
    (
        lambda: adapters.optax.wrap(lambda t: 1.0),
        TypeError,
        "schedule must be a schedcore schedule, got function <function <lambda>.<locals>.<lambda> at ...",
    ),
    (
        lambda: adapters.optax.wrap(optax.constant_schedule(0.1)),
        TypeError,
        "schedule must be a schedcore schedule,"
        " got function <function constant_schedule.<locals>.<lambda> at ...",
    ),
    (
        lambda: adapters.optax.wrap(sc.warmup(10), base=True),
        TypeError,
        "base must be a finite number, got bool True",
    ),
]


@pytest.mark.parametrize(
    ("make", "error", "message"),
    [pytest.param(*case, id=f"{i:02d}-{case[2][:40]}") for i, case in enumerate(BAD)],
)
def test_bad_input_is_a_clear_error(make: Callable[[], object], error: type[Exception], message: str) -> None:
    bad_inputs.check(make, error, message)
