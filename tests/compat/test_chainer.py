"""compat.chainer against the real Chainer 7.8.1 extensions, in a real trainer.

Every parity test runs the Chainer extension and the compat schedule through
``adapters.chainer.wrap`` in the same small trainer for 1,000 iterations with random
parameters (past the end of each schedule), records the value every update used, and
resumes our run from a snapshot taken mid-run.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

chainer = pytest.importorskip("chainer")
np = pytest.importorskip("numpy")

import schedcore as sc  # noqa: E402
from schedcore import adapters, compat  # noqa: E402
from tests import bad_inputs  # noqa: E402
from tests import chainer_training as ct  # noqa: E402

shifts = chainer.training.extensions
ITERATIONS = 1000

Arguments = dict[str, Any]


def _value(rng: Any, low: float, high: float) -> float:
    return float(rng.uniform(low, high))


def _int(rng: Any, low: int, high: int) -> int:
    return int(rng.integers(low, high + 1))


def _stops(rng: Any, seed: int, args: Arguments, value_at: Callable[[int], float], at: int) -> Arguments:
    """``args`` with an ``init`` and a ``target`` the value reaches at about ``at``.

    For seed 0, ``init=None`` and no target instead: Chainer then reads the
    optimizer's lr, and the compat schedule is a multiplier (wrapped with ``base=None``).
    """
    if seed == 0:
        return {**args, "init": None}
    init = _value(rng, 0.01, 1.0)
    return {**args, "init": init, "target": init * value_at(at)}


def warmup(rng: Any, seed: int) -> Arguments:
    return {
        "warmup_start": float(rng.choice([0.0, _value(rng, 0.0, 0.05)])),
        "warmup_iter": _int(rng, 1, 800),
        "init": _value(rng, 0.01, 1.0),
    }


def multistep(rng: Any, seed: int) -> Arguments:
    steps = rng.integers(0, 900, _int(rng, 1, 5)).tolist()
    steps.append(steps[_int(rng, 0, len(steps) - 1)])  # a repeated step
    init = None if seed == 0 else _value(rng, 0.01, 1.0)
    return {"gamma": _value(rng, 0.1, 0.9), "step_value": sorted(steps), "init": init}


def polynomial(rng: Any, seed: int) -> Arguments:
    init = None if seed == 0 else _value(rng, 0.01, 1.0)
    return {"rate": _value(rng, 0.2, 3.0), "max_count": _int(rng, 100, 900), "init": init}


def exponential(rng: Any, seed: int) -> Arguments:
    rate = _value(rng, 1.001, 1.005) if seed % 2 else _value(rng, 0.99, 0.999)  # odd seeds rise
    return _stops(rng, seed, {"rate": rate}, lambda t: rate**t, _int(rng, 100, 800))


def linear(rng: Any, seed: int) -> Arguments:
    first = _int(rng, 0, 400)
    return {
        "value_range": (_value(rng, 0.01, 1.0), _value(rng, 0.01, 1.0)),
        "time_range": (first, first + _int(rng, 1, 500)),
    }


def step(rng: Any, seed: int) -> Arguments:
    gamma = _value(rng, 1.01, 1.2) if seed % 2 else _value(rng, 0.3, 0.95)
    every = _int(rng, 10, 200)
    return _stops(
        rng, seed, {"gamma": gamma, "step": every}, lambda t: gamma ** (t // every), _int(rng, 1, 900)
    )


def inverse(rng: Any, seed: int) -> Arguments:
    power = _value(rng, -1.0, -0.1) if seed % 2 else _value(rng, 0.1, 2.0)
    gamma = _value(rng, 0.0, 0.05)
    return _stops(
        rng, seed, {"gamma": gamma, "power": power}, lambda t: (1 + gamma * t) ** -power, _int(rng, 100, 800)
    )


CASES: dict[str, Callable[[Any, int], Arguments]] = {
    "WarmupShift": warmup,
    "MultistepShift": multistep,
    "PolynomialShift": polynomial,
    "ExponentialShift": exponential,
    "LinearShift": linear,
    "StepShift": step,
    "InverseShift": inverse,
}
SEEDS = (0, 1, 2, 3)


def _both(
    tmp_path: Path, name: str, args: Arguments, *, iterations: int = ITERATIONS, **options: Any
) -> tuple[ct.Run, ct.Run]:
    """Chainer's extension ``name`` and the compat schedule, each in its own trainer."""
    base = None if args.get("init", 0.0) is None else 1.0
    theirs = ct.train(
        lambda trainer: [getattr(shifts, name)("lr", **args)],
        iterations=iterations,
        out=tmp_path / "chainer",
        **options,
    )
    schedule = getattr(compat.chainer, name)(**args)
    ours = ct.train(
        lambda trainer: [adapters.chainer.wrap(schedule, base=base)],
        iterations=iterations,
        out=tmp_path / "ours",
        **options,
    )
    return theirs, ours


@pytest.mark.parametrize(
    ("name", "seed"), [pytest.param(name, seed, id=f"{name}-{seed}") for name in CASES for seed in SEEDS]
)
def test_compat_matches_the_chainer_extension_and_resumes_exactly(
    tmp_path: Path, name: str, seed: int
) -> None:
    rng = np.random.default_rng(seed)
    args = CASES[name](rng, seed)
    at = _int(rng, 100, 900)
    theirs = ct.train(
        lambda trainer: [getattr(shifts, name)("lr", **args)], iterations=ITERATIONS, out=tmp_path / "chainer"
    )
    assert theirs.error is None, theirs.error
    base = None if args.get("init", 0.0) is None else 1.0
    schedule = getattr(compat.chainer, name)(**args)
    ours, resumed = ct.interrupted(
        lambda trainer: [adapters.chainer.wrap(schedule, base=base)], tmp_path, iterations=ITERATIONS, at=at
    )
    np.testing.assert_allclose(ours.values, theirs.values, rtol=1e-12, atol=0)
    assert resumed.values == ours.values[at:]


EDGES = [
    pytest.param("ExponentialShift", {"rate": 0.9, "init": 0.1, "target": 0.5}, id="target-passed-at-init"),
    pytest.param("ExponentialShift", {"rate": 1.1, "init": 0.1, "target": 0.05}, id="rising-target-passed"),
    pytest.param("ExponentialShift", {"rate": 0.9, "init": 0.1, "target": -0.05}, id="falling-other-sign"),
    pytest.param("ExponentialShift", {"rate": 1.1, "init": 0.1, "target": -0.05}, id="rising-other-sign"),
    pytest.param("ExponentialShift", {"rate": 0.9, "init": -0.1, "target": -0.02}, id="negative-floor"),
    pytest.param("ExponentialShift", {"rate": 1.1, "init": -0.1, "target": -0.4}, id="negative-cap"),
    pytest.param("ExponentialShift", {"rate": 1.0, "init": 0.1, "target": 0.2}, id="constant-below-target"),
    pytest.param("StepShift", {"gamma": 0.5, "step": 5, "init": 0.1, "target": 0.0}, id="step-target-0"),
    pytest.param(
        "StepShift", {"gamma": 2.0, "step": 5, "init": 0.1, "target": 0.0}, id="rising-step-target-0"
    ),
    pytest.param("InverseShift", {"gamma": 0.1, "power": -1.0, "init": 0.1, "target": 0.3}, id="inverse-cap"),
    pytest.param("InverseShift", {"gamma": 0.0, "power": 1.0, "init": 0.1, "target": 0.2}, id="inverse-flat"),
    pytest.param("PolynomialShift", {"rate": 0.0, "max_count": 30, "init": 0.1, "target": 0.05}, id="rate-0"),
    pytest.param(
        "PolynomialShift", {"rate": 0.0, "max_count": 30, "init": 0.1, "target": 0.2}, id="rate-0-up"
    ),
    pytest.param("MultistepShift", {"gamma": 0.5, "step_value": [0, 5, 5, 5, 6], "init": 0.1}, id="repeats"),
    pytest.param("LinearShift", {"value_range": (0.1, 0.9), "time_range": (10, 10)}, id="linear-step"),
    pytest.param("LinearShift", {"value_range": (0.1, 0.9), "time_range": (10, 5)}, id="linear-backwards"),
    pytest.param("WarmupShift", {"warmup_start": 0.1, "warmup_iter": 20, "init": 0.01}, id="cooldown"),
]


@pytest.mark.parametrize(("name", "args"), EDGES)
def test_compat_reproduces_chainer_at_the_edges(tmp_path: Path, name: str, args: Arguments) -> None:
    theirs, ours = _both(tmp_path, name, args, iterations=60)
    assert theirs.error is None, theirs.error
    np.testing.assert_allclose(ours.values, theirs.values, rtol=1e-12, atol=0)


def test_multistep_shift_takes_repeated_steps_one_iteration_apart(tmp_path: Path) -> None:
    theirs, ours = _both(
        tmp_path, "MultistepShift", {"gamma": 0.5, "step_value": [5, 5], "init": 1.0}, iterations=8
    )
    assert ours.values == theirs.values == [1.0] * 5 + [0.5, 0.25, 0.25]
    assert sc.multistep([5, 5], gamma=0.5)(5) == 0.25  # PyTorch's MultiStepLR takes both at once


CRASHES = [
    pytest.param(
        "PolynomialShift", {"rate": 0.5, "max_count": 30, "init": 0.1, "target": 0.01}, 30, id="polynomial"
    ),
    pytest.param(
        "PolynomialShift",
        {"rate": 0.5, "max_count": 30, "init": 0.1, "target": -0.01},
        30,
        id="polynomial-other-sign",
    ),
    pytest.param("ExponentialShift", {"rate": 0.9, "init": 0.1, "target": 0.0}, 1, id="exponential-0"),
    pytest.param("InverseShift", {"gamma": 0.1, "power": 1.0, "init": 0.1, "target": 0.0}, 1, id="inverse-0"),
]


@pytest.mark.parametrize(("name", "args", "crash"), CRASHES)
def test_where_chainer_divides_by_zero_the_intended_value_is_kept(
    tmp_path: Path, name: str, args: Arguments, crash: int
) -> None:
    theirs, ours = _both(tmp_path / "target", name, args, iterations=60)
    assert isinstance(theirs.error, ZeroDivisionError)
    assert len(theirs.values) == crash  # it crashed in the call after update `crash`
    np.testing.assert_allclose(ours.values[:crash], theirs.values, rtol=1e-12, atol=0)
    # From there on: the target where the value stops at it, else the value without one.
    stops = args["target"] * args["init"] > 0
    if stops:
        assert ours.values[crash:] == [args["target"]] * (60 - crash)
    else:
        untargeted = {key: value for key, value in args.items() if key != "target"}
        plain, _ = _both(tmp_path / "plain", name, untargeted, iterations=60)
        assert plain.error is None
        np.testing.assert_allclose(ours.values, plain.values, rtol=1e-12, atol=0)


Extension: Any = chainer.training.Extension


class TutorialPolynomialShift(Extension):  # type: ignore[misc]
    """The extension of Chainer's "Trainer Extensions" tutorial (seed 004), as printed there."""

    def __init__(
        self, attr: str, power: float, stop_trigger: Any, batchsize: Any = None, len_dataset: Any = None
    ) -> None:
        self._attr, self._power = attr, power
        self._init: Any = None
        self._t = 0
        self._last_value: Any = 0
        if stop_trigger[1] == "iteration":
            self._maxiter = stop_trigger[0]
        elif stop_trigger[1] == "epoch":
            if batchsize is None or len_dataset is None:
                raise ValueError("batchsize and len_dataset are needed for an epoch stop_trigger")
            n_iter_per_epoch = len_dataset / float(batchsize)
            self._maxiter = float(stop_trigger[0] * n_iter_per_epoch)

    def initialize(self, trainer: Any) -> None:
        optimizer = trainer.updater.get_optimizer("main")
        if self._init is None:
            self._init = getattr(optimizer, self._attr)

    def __call__(self, trainer: Any) -> None:
        self._t += 1
        optimizer = trainer.updater.get_optimizer("main")
        value = self._init * ((1 - (self._t / self._maxiter)) ** self._power)
        setattr(optimizer, self._attr, value)
        self._last_value = value

    def serialize(self, serializer: Any) -> None:
        self._t = serializer("_t", self._t)
        self._last_value = serializer("_last_value", self._last_value)
        if isinstance(self._last_value, np.ndarray):
            self._last_value = self._last_value.item()


@pytest.mark.parametrize(
    ("stop", "options"),
    [
        pytest.param((161, "epoch"), {"batchsize": ct.BATCH, "len_dataset": ct.SAMPLES}, id="epochs"),
        pytest.param((1000, "iteration"), {}, id="iterations"),
    ],
)
@pytest.mark.parametrize("seed", [pytest.param(seed, id=f"seed-{seed}") for seed in (0, 1)])
def test_the_tutorial_polynomial_shift_in_a_trainer_stopped_by_its_trigger(
    tmp_path: Path, stop: tuple[int, str], options: dict[str, int], seed: int
) -> None:
    power = _value(np.random.default_rng(seed), 0.2, 1.5)

    def tutorial(trainer: Any) -> list[Any]:
        return [TutorialPolynomialShift("lr", power, stop, **options)]

    theirs = ct.train(tutorial, iterations=stop, out=tmp_path / "chainer", snapshot_at=500)
    schedule = compat.chainer.TutorialPolynomialShift(power, stop, **options)
    ours, resumed = ct.interrupted(
        lambda trainer: [adapters.chainer.wrap(schedule)],
        tmp_path / "ours",
        iterations=stop,
        at=500,
    )
    assert len(ours.values) == len(theirs.values) >= 1000  # 161 epochs of 50 samples: 1007 updates
    np.testing.assert_allclose(ours.values, theirs.values, rtol=1e-12, atol=0)
    assert resumed.values == ours.values[500:]
    # The tutorial's own snapshot cannot be loaded: its _last_value starts as the int 0.
    message = (
        "Cannot safely deserialize from numpy array with dtype=float64 into a variable of type <class 'int'>."
    )
    with pytest.raises(TypeError, match=re.escape(message)):
        ct.train(tutorial, iterations=stop, out=tmp_path / "again", resume=tmp_path / "chainer" / "snapshot")


def test_past_its_end_the_tutorial_shift_sets_a_complex_number_and_ours_0(tmp_path: Path) -> None:
    theirs = ct.train(
        lambda trainer: [TutorialPolynomialShift("lr", 0.5, (20, "iteration"))], iterations=30, out=tmp_path
    )
    assert isinstance(theirs.values[21], complex)  # then the update fails
    assert theirs.error is not None
    schedule = compat.chainer.TutorialPolynomialShift(0.5, (20, "iteration"))
    ours = ct.train(lambda trainer: [adapters.chainer.wrap(schedule)], iterations=30, out=tmp_path / "ours")
    np.testing.assert_allclose(ours.values[:21], theirs.values[:21], rtol=1e-12, atol=0)
    assert ours.values[20:] == [0.0] * 10


BAD_ARGUMENTS = [
    (
        lambda: compat.chainer.WarmupShift(None, 10, 0.1),
        TypeError,
        "warmup_start must be a finite number, got None",
    ),
    (
        lambda: compat.chainer.WarmupShift(0.0, 0, 0.1),
        ValueError,
        "warmup_iter must be a positive int, got 0",
    ),
    (
        lambda: compat.chainer.MultistepShift(0.5, [-1], 0.1),
        ValueError,
        "step_value[0] must be an int >= 0, got -1",
    ),
    (
        lambda: compat.chainer.MultistepShift(0.0, [5], 0.1),
        ValueError,
        "gamma must be a finite number > 0, got 0.0",
    ),
    (
        lambda: compat.chainer.PolynomialShift(-1.0, 10),
        ValueError,
        "rate must be a finite number >= 0, got -1.0",
    ),
    (lambda: compat.chainer.PolynomialShift(1.0, 0), ValueError, "max_count must be a positive int, got 0"),
    (
        lambda: compat.chainer.PolynomialShift(1.0, 10, target=0.1),
        ValueError,
        "target needs init: the target 0.1 is a value, and without init the schedule is a multiplier"
        " (give init, and wrap with base=1.0)",
    ),
    (
        lambda: compat.chainer.ExponentialShift(0.9, init=0.0, target=0.1),
        ValueError,
        "init must be non-zero when a target is given, got 0 (target=0.1)",
    ),
    (lambda: compat.chainer.ExponentialShift(0.0), ValueError, "rate must be a finite number > 0, got 0.0"),
    (
        lambda: compat.chainer.ExponentialShift(0.9, init="0.1"),
        TypeError,
        "init must be a finite number, got str '0.1'",
    ),
    (
        lambda: compat.chainer.LinearShift((0.1,), (0, 10)),
        ValueError,
        "value_range must have two values (first, last), got [0.1]",
    ),
    (
        lambda: compat.chainer.LinearShift((0.1, 0.2), 10),
        TypeError,
        "time_range must be a pair of ints >= 0, got int 10",
    ),
    (
        lambda: compat.chainer.LinearShift((0.1, 0.2), (0, 2.5)),
        TypeError,
        "time_range[1] must be an int >= 0, got float 2.5",
    ),
    (lambda: compat.chainer.StepShift(0.5, 0), ValueError, "step must be a positive int, got 0"),
    (
        lambda: compat.chainer.InverseShift(-0.1, 1.0),
        ValueError,
        "gamma must be a finite number >= 0, got -0.1",
    ),
    (
        lambda: compat.chainer.TutorialPolynomialShift(0.5, (10, "epoch")),
        ValueError,
        "a stop_trigger in epochs needs batchsize and len_dataset to count the iterations,"
        " got batchsize=None and len_dataset=None",
    ),
    (
        lambda: compat.chainer.TutorialPolynomialShift(0.5, (10, "epochs")),
        ValueError,
        "stop_trigger[1] must be one of ('iteration', 'epoch'), got str 'epochs'",
    ),
    (
        lambda: compat.chainer.TutorialPolynomialShift(0.5, 10),
        TypeError,
        "stop_trigger must be a pair (count, unit), got int 10",
    ),
]


@bad_inputs.cases(BAD_ARGUMENTS)
def test_bad_arguments_are_refused_with_a_clear_message(
    call: Any, error: type[Exception], message: str
) -> None:
    bad_inputs.check(call, error, message)
