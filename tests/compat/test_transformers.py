"""compat.transformers against transformers 5.23.0's own schedulers, run side by side.

transformers installs beside torch==2.13.0, so its ``get_*_schedule*`` functions run for
real: random parameters (seeded), 10,000 steps (past num_training_steps), three param
groups, and our run resumed from its checkpoint mid-way. The learning rates agree to
1e-9 relative, or 1e-15 of the group's learning rate near zero.
"""

from __future__ import annotations

import random
import types
from collections.abc import Callable
from typing import Any

import pytest

torch = pytest.importorskip("torch")
hf = pytest.importorskip("transformers.optimization")

import schedcore as sc  # noqa: E402
from schedcore import adapters, compat  # noqa: E402
from tests import bad_inputs  # noqa: E402

LRS = (0.1, 0.03, 2e-4)
STEPS = 10_000
SEEDS = range(3)
T: Any = compat.transformers


def _optimizer() -> Any:
    groups = [{"params": [torch.nn.Parameter(torch.zeros(1))], "lr": lr} for lr in LRS]
    return torch.optim.AdamW(groups, lr=LRS[0])


def _lrs(optimizer: Any) -> list[float]:
    return [group["lr"] for group in optimizer.param_groups]


def run_side_by_side(
    reference: Callable[[Any], Any], schedule: sc.Schedule, resume_at: int | None = None
) -> None:
    """Step transformers' scheduler and ours together; compare every group at every step."""
    reference_optimizer, optimizer = _optimizer(), _optimizer()
    peer = reference(reference_optimizer)
    ours = adapters.torch.wrap(optimizer, schedule)
    reference_optimizer.step()
    optimizer.step()
    for t in range(STEPS):
        if t == resume_at:
            states = optimizer.state_dict(), ours.state_dict()
            optimizer = _optimizer()
            ours = adapters.torch.wrap(optimizer, schedule)
            ours.load_state_dict(states[1])
            optimizer.load_state_dict(states[0])
            optimizer.step()
        for g, (expected, got) in enumerate(zip(_lrs(reference_optimizer), _lrs(optimizer), strict=True)):
            assert abs(got - expected) <= max(1e-9 * abs(expected), 1e-15 * LRS[g]), (
                f"step {t}, group {g}: transformers {expected!r}, schedcore {got!r}"
            )
            assert got == 0.0 or expected != 0.0, f"step {t}, group {g}: transformers' 0 is {got!r} here"
        peer.step()
        ours.step()


Case = tuple[Callable[[Any], Any], sc.Schedule]


def _lengths(rng: random.Random) -> tuple[int, int]:
    """num_warmup_steps and num_training_steps: sometimes no warmup, sometimes no decay."""
    warmup = rng.choice([0, rng.randint(1, 2_000)])
    total = rng.choice([warmup, rng.randint(warmup + 1, 9_000), rng.randint(0, 3_000)])
    return warmup, total


def _constant(rng: random.Random) -> Case:
    return hf.get_constant_schedule, T.get_constant_schedule()


def _constant_with_warmup(rng: random.Random) -> Case:
    w = rng.choice([0, rng.randint(1, 5_000)])
    return (lambda o: hf.get_constant_schedule_with_warmup(o, w)), T.get_constant_schedule_with_warmup(w)


def _linear(rng: random.Random) -> Case:
    w, n = _lengths(rng)
    return (lambda o: hf.get_linear_schedule_with_warmup(o, w, n)), T.get_linear_schedule_with_warmup(w, n)


def _cosine(rng: random.Random) -> Case:
    w, n = _lengths(rng)
    c = rng.choice([0.5, 0.0, rng.uniform(0.1, 3.0)])
    return (lambda o: hf.get_cosine_schedule_with_warmup(o, w, n, c)), T.get_cosine_schedule_with_warmup(
        w, n, c
    )


def _hard_restarts(rng: random.Random) -> Case:
    w, n = _lengths(rng)
    c = rng.choice([rng.randint(1, 8), rng.randint(1, 16) / 2, round(rng.uniform(0.1, 5.0), 2), 0])
    return (
        (lambda o: hf.get_cosine_with_hard_restarts_schedule_with_warmup(o, w, n, c)),
        T.get_cosine_with_hard_restarts_schedule_with_warmup(w, n, c),
    )


def _cosine_with_min_lr(rng: random.Random) -> Case:
    w, n = _lengths(rng)
    c = rng.choice([0.5, rng.uniform(0.1, 3.0)])
    if rng.random() < 0.5:
        rate = rng.uniform(0.0, 0.5)
        return (
            (lambda o: hf.get_cosine_with_min_lr_schedule_with_warmup(o, w, n, c, min_lr_rate=rate)),
            T.get_cosine_with_min_lr_schedule_with_warmup(w, n, c, min_lr_rate=rate),
        )
    floor = rng.uniform(0.0, 0.05)
    return (
        (lambda o: hf.get_cosine_with_min_lr_schedule_with_warmup(o, w, n, c, min_lr=floor)),
        T.get_cosine_with_min_lr_schedule_with_warmup(w, n, c, min_lr=floor, lr_init=LRS[0]),
    )


def _cosine_with_min_lr_rate(rng: random.Random) -> Case:
    w, n = _lengths(rng)
    c = rng.choice([0.5, rng.uniform(0.1, 3.0)])
    warmup_lr_rate = rng.choice([None, rng.uniform(0.0, 0.5)])
    if rng.random() < 0.5:
        floor = {"min_lr_rate": rng.uniform(0.0, 0.5)}
        ours = dict(floor)
    else:
        floor = {"min_lr": rng.uniform(0.0, 0.05)}
        ours = {**floor, "lr_init": LRS[0]}
    return (
        (
            lambda o: hf.get_cosine_with_min_lr_schedule_with_warmup_lr_rate(
                o, w, n, c, warmup_lr_rate=warmup_lr_rate, **floor
            )
        ),
        T.get_cosine_with_min_lr_schedule_with_warmup_lr_rate(w, n, c, warmup_lr_rate=warmup_lr_rate, **ours),
    )


def _polynomial(rng: random.Random) -> Case:
    w = rng.choice([0, rng.randint(1, 2_000)])
    n = rng.randint(w + 1, 9_000)  # transformers divides by zero when n == w
    end, power = rng.choice([1e-7, rng.uniform(0.0, 0.05)]), rng.choice([1.0, 0.0, rng.uniform(0.1, 4.0)])
    return (
        (lambda o: hf.get_polynomial_decay_schedule_with_warmup(o, w, n, lr_end=end, power=power)),
        T.get_polynomial_decay_schedule_with_warmup(w, n, lr_end=end, power=power, lr_init=LRS[0]),
    )


def _inverse_sqrt(rng: random.Random) -> Case:
    w = rng.choice([0, rng.randint(1, 3_000)])
    scale = rng.choice([None, rng.randint(1, 5_000)])
    return (lambda o: hf.get_inverse_sqrt_schedule(o, w, scale)), T.get_inverse_sqrt_schedule(w, scale)


def _wsd(rng: random.Random) -> Case:
    w, d, s = (
        rng.choice([0, rng.randint(1, 2_000)]),
        rng.choice([0, rng.randint(1, 4_000)]),
        rng.randint(0, 4_000),
    )
    shapes = rng.choice(["linear", "cosine", "1-sqrt"]), rng.choice(["linear", "cosine", "1-sqrt"])
    ratio, cycles = rng.choice([0.0, rng.uniform(0.0, 0.5)]), rng.choice([0.5, rng.uniform(0.1, 2.0)])
    lengths: dict[str, int] = (
        {"num_stable_steps": s} if rng.random() < 0.5 else {"num_training_steps": w + s + d}
    )
    options = {"warmup_type": shapes[0], "decay_type": shapes[1], "min_lr_ratio": ratio, "num_cycles": cycles}
    return (lambda o: hf.get_wsd_schedule(o, w, d, **lengths, **options)), T.get_wsd_schedule(
        w, d, **lengths, **options
    )


CASES: dict[str, Callable[[random.Random], Case]] = {
    "get_constant_schedule": _constant,
    "get_constant_schedule_with_warmup": _constant_with_warmup,
    "get_linear_schedule_with_warmup": _linear,
    "get_cosine_schedule_with_warmup": _cosine,
    "get_cosine_with_hard_restarts_schedule_with_warmup": _hard_restarts,
    "get_cosine_with_min_lr_schedule_with_warmup": _cosine_with_min_lr,
    "get_cosine_with_min_lr_schedule_with_warmup_lr_rate": _cosine_with_min_lr_rate,
    "get_polynomial_decay_schedule_with_warmup": _polynomial,
    "get_inverse_sqrt_schedule": _inverse_sqrt,
    "get_wsd_schedule": _wsd,
}


@pytest.mark.parametrize(
    ("name", "seed"),
    [pytest.param(name, seed, id=f"{name}-seed{seed}") for name in CASES for seed in SEEDS],
)
def test_matches_transformers_at_every_step_with_random_parameters(name: str, seed: int) -> None:
    rng = random.Random(f"{name}-{seed}")
    reference, schedule = CASES[name](rng)
    run_side_by_side(reference, schedule, resume_at=rng.randint(1, STEPS - 1))


@pytest.mark.parametrize("wsd_type", ["linear", "cosine", "1-sqrt"])
def test_wsd_shapes_match_with_every_warmup_and_decay_type(wsd_type: str) -> None:
    options = {"warmup_type": wsd_type, "decay_type": wsd_type, "min_lr_ratio": 0.1}
    run_side_by_side(
        lambda o: hf.get_wsd_schedule(o, 700, 3_000, num_training_steps=8_000, **options),
        T.get_wsd_schedule(700, 3_000, num_training_steps=8_000, **options),
    )


def test_the_first_update_of_a_warmup_runs_at_zero_as_in_transformers() -> None:
    assert T.get_linear_schedule_with_warmup(100, 1_000)(0) == 0.0
    optimizer = _optimizer()
    hf.get_linear_schedule_with_warmup(optimizer, 100, 1_000)
    assert _lrs(optimizer) == [0.0, 0.0, 0.0]


BAD_INPUTS = [
    (
        lambda: T.get_constant_schedule_with_warmup(-1),
        ValueError,
        "num_warmup_steps must be an int >= 0, got -1",
    ),
    (
        lambda: T.get_linear_schedule_with_warmup(10, 2.5),
        TypeError,
        "num_training_steps must be an int >= 0, got float 2.5",
    ),
    (
        lambda: T.get_cosine_schedule_with_warmup(10, 100, -0.5),
        ValueError,
        "num_cycles must be a finite number >= 0, got -0.5",
    ),
    (
        lambda: T.get_cosine_with_hard_restarts_schedule_with_warmup(10, 100, -1),
        ValueError,
        "num_cycles must be a finite number >= 0, got -1",
    ),
    (
        lambda: T.get_polynomial_decay_schedule_with_warmup(10, 100, lr_end=0.1, lr_init=0.1),
        ValueError,
        "lr_end (0.1) must be smaller than lr_init (0.1)",
    ),
    (
        lambda: T.get_polynomial_decay_schedule_with_warmup(10, 100, lr_init=0.1, power=-1),
        ValueError,
        "power must be a finite number >= 0, got -1",
    ),
    (lambda: T.get_polynomial_decay_schedule_with_warmup(10, 100), TypeError, None),
    (
        lambda: T.get_inverse_sqrt_schedule(10, timescale=0),
        ValueError,
        "timescale must be a positive int, got 0",
    ),
    (
        lambda: T.get_wsd_schedule(10, 10),
        ValueError,
        "get_wsd_schedule needs num_training_steps or num_stable_steps",
    ),
    (
        lambda: T.get_wsd_schedule(10, 10, num_training_steps=15),
        ValueError,
        "num_training_steps=15 is shorter than num_warmup_steps + num_decay_steps = 20",
    ),
    (
        lambda: T.get_wsd_schedule(10, 10, num_training_steps=100, num_stable_steps=50),
        ValueError,
        "num_training_steps=100 disagrees with num_warmup_steps + num_stable_steps + num_decay_steps = 70;"
        " give one of the two",
    ),
    (
        lambda: T.get_wsd_schedule(10, 10, 100, warmup_type="exp"),
        ValueError,
        "warmup_type must be one of ('linear', 'cosine', '1-sqrt'), got str 'exp'",
    ),
    (
        lambda: T.get_wsd_schedule(10, 10, 100, min_lr_ratio=-0.1),
        ValueError,
        "min_lr_ratio must be a finite number >= 0, got -0.1",
    ),
]


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        pytest.param(call, error, message, id=(message or "lr_init-missing")[:40])
        for call, error, message in BAD_INPUTS
    ],
)
def test_bad_arguments_name_the_parameter_and_the_value(
    call: Callable[[], Any], error: type[Exception], message: str | None
) -> None:
    if message is None:  # a missing keyword-only argument: Python's own message
        with pytest.raises(error, match="lr_init"):
            call()
        return
    bad_inputs.check(call, error, message)


#: For each SchedulerType value: random (num_warmup_steps, num_training_steps, kwargs for
#: transformers, kwargs for us); ours add what transformers reads from the optimizer.
def _named(rng: random.Random, name: str) -> tuple[int, int | None, dict[str, Any], dict[str, Any]]:
    w, n = _lengths(rng)
    if name == "polynomial":
        n = max(n, w + 1)
        kwargs: dict[str, Any] = {"lr_end": 1e-5, "power": rng.uniform(0.5, 2.0)}
        return w, n, kwargs, {**kwargs, "lr_init": LRS[0]}
    if name == "cosine_with_restarts":
        kwargs = {"num_cycles": rng.choice([2, 2.5])}
    elif name in ("cosine_with_min_lr", "cosine_warmup_with_min_lr"):
        if rng.random() < 0.5:
            kwargs = {"min_lr_rate": 0.1}
        else:
            return w, n, {"min_lr": 1e-3}, {"min_lr": 1e-3, "lr_init": LRS[0]}
    elif name == "inverse_sqrt":
        kwargs = {"timescale": rng.choice([None, 500])}
    elif name == "warmup_stable_decay":
        kwargs = {"num_decay_steps": rng.randint(0, max(0, n - w)), "decay_type": "1-sqrt"}
    else:
        kwargs = {}
    return w, n, kwargs, dict(kwargs)


NAMES = [
    "linear",
    "cosine",
    "cosine_with_restarts",
    "polynomial",
    "constant",
    "constant_with_warmup",
    "inverse_sqrt",
    "cosine_with_min_lr",
    "cosine_warmup_with_min_lr",
    "warmup_stable_decay",
]


def test_get_scheduler_knows_every_step_based_scheduler_type() -> None:
    from transformers.trainer_utils import SchedulerType

    assert set(NAMES) == {member.value for member in SchedulerType} - {"reduce_lr_on_plateau", "greedy"}
    assert T.get_scheduler(SchedulerType.COSINE, 10, 100) == T.get_cosine_schedule_with_warmup(10, 100)


@pytest.mark.parametrize("name", NAMES)
def test_get_scheduler_builds_what_transformers_builds(name: str) -> None:
    rng = random.Random(f"get_scheduler-{name}")
    w, n, theirs, ours = _named(rng, name)
    run_side_by_side(lambda o: hf.get_scheduler(name, o, w, n, theirs), T.get_scheduler(name, w, n, ours))


@pytest.mark.parametrize(
    "warmup_steps",
    [pytest.param(0, id="none"), pytest.param(37.9, id="steps"), pytest.param(0.1, id="ratio")],
)
@pytest.mark.parametrize("name", ["linear", "polynomial", "cosine_with_min_lr", "cosine_warmup_with_min_lr"])
def test_create_scheduler_gives_what_the_trainer_builds_from_training_arguments(
    name: str, warmup_steps: float, tmp_path: Any
) -> None:
    from transformers import Trainer, TrainingArguments

    kwargs: dict[str, Any] = {"min_lr": 1e-4} if "min_lr" in name else {}
    args = TrainingArguments(
        output_dir=str(tmp_path),
        lr_scheduler_type=name,
        warmup_steps=warmup_steps,
        learning_rate=LRS[0],
        lr_scheduler_kwargs=kwargs,
        report_to=[],
    )
    total = 1_005  # 0.1 of it is 100.5 steps: the Trainer rounds up, to 101
    trainer: Any = types.SimpleNamespace(args=args, lr_scheduler=None)
    schedule = T.create_scheduler(args, total)
    run_side_by_side(lambda o: Trainer.create_scheduler(trainer, total, o), schedule)
    if warmup_steps == 0.1 and name == "linear":
        assert schedule == T.get_linear_schedule_with_warmup(101, total)


GET_SCHEDULER_BAD_INPUTS = [
    (
        lambda: T.get_scheduler("reduce_lr_on_plateau"),
        ValueError,
        "name='reduce_lr_on_plateau' is not supported: it reacts to a metric, so it is not a function of the"
        " step; keep transformers' scheduler (schedcore.adapters.torch.dampen can multiply a warmup on top)",
    ),
    (
        lambda: T.get_scheduler("linear", 10),
        ValueError,
        "name='linear' requires num_training_steps, got None",
    ),
    (
        lambda: T.get_scheduler("polynomial", 10, 100),
        TypeError,
        "scheduler_specific_kwargs must give lr_init for name='polynomial': transformers reads it from the"
        " optimizer (lr_init is optimizer.defaults['lr'])",
    ),
    (
        lambda: T.get_scheduler("cosine", 10, 100, {"power": 2.0}),
        TypeError,
        "scheduler_specific_kwargs has power, which get_cosine_schedule_with_warmup does not take; it takes"
        " num_cycles",
    ),
    (
        lambda: T.create_scheduler(object(), 100),
        TypeError,
        "args must have the TrainingArguments attribute lr_scheduler_type, got object <object object at ...>",
    ),
]


@bad_inputs.cases(GET_SCHEDULER_BAD_INPUTS)
def test_get_scheduler_refuses_what_transformers_refuses_naming_it(
    call: Callable[[], Any], error: type[Exception], message: str
) -> None:
    bad_inputs.check(call, error, message)


def test_every_function_is_tested_against_transformers() -> None:
    helpers = {"get_scheduler", "create_scheduler"}  # tested against get_scheduler and the Trainer above
    assert set(CASES) | helpers == set(compat.transformers.__all__)
    assert all(hasattr(hf, name) for name in set(compat.transformers.__all__) - {"create_scheduler"})


def test_polynomial_decay_without_decay_steps_holds_the_end_where_transformers_divides_by_zero() -> None:
    optimizer = _optimizer()
    peer = hf.get_polynomial_decay_schedule_with_warmup(optimizer, 5, 5, lr_end=1e-3)
    schedule = T.get_polynomial_decay_schedule_with_warmup(5, 5, lr_end=1e-3, lr_init=LRS[0])
    optimizer.step()
    for t in range(4):
        assert _lrs(optimizer) == pytest.approx([lr * schedule(t) for lr in LRS], rel=1e-15)
        peer.step()
    with pytest.raises(ZeroDivisionError):
        peer.step()  # step 5 = num_warmup_steps = num_training_steps
    assert [schedule(t) for t in (5, 6)] == [0.01, 0.01]
