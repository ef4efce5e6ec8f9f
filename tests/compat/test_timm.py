"""compat.timm against timm 1.0.31's own schedulers, driven as timm's train.py drives them.

timm is installed without its dependencies (its torchvision pulls a CUDA build that does
not load beside the CPU torch), and ``import timm`` imports its models, which need
torchvision. ``timm.scheduler`` itself needs only torch, so :func:`_timm_scheduler` loads
that subpackage without running ``timm/__init__.py`` (see DEVELOPERS.md). Each run: three
param groups, random parameters (seeded), ``step_update(n)`` after each update and
``step(epoch + 1)`` after each epoch, past every end; the learning rates agree with our
adapter's to 1e-9 relative, or 1e-15 of the group's learning rate near zero.
"""

from __future__ import annotations

import importlib
import importlib.util
import math
import random
import sys
import types
from collections.abc import Callable
from fractions import Fraction
from typing import Any

import pytest

torch = pytest.importorskip("torch")

import schedcore as sc  # noqa: E402
from schedcore import adapters, compat  # noqa: E402
from tests import bad_inputs  # noqa: E402


def _timm_scheduler() -> Any:
    """``timm.scheduler``, imported without ``timm/__init__.py`` (which needs torchvision)."""
    if "timm" not in sys.modules:
        spec = importlib.util.find_spec("timm")  # finds the package without running it
        if spec is None or spec.submodule_search_locations is None:
            pytest.importorskip("timm")  # not installed: skip, or fail where it is required
            raise AssertionError("unreachable")
        package = types.ModuleType("timm")
        package.__path__ = list(spec.submodule_search_locations)
        package.__spec__ = spec
        sys.modules["timm"] = package
    return importlib.import_module("timm.scheduler")


ts = _timm_scheduler()
T: Any = compat.timm
LRS = (0.1, 0.03, 2e-4)
UPDATES = 3_000
SEEDS = range(4)


def _optimizer() -> Any:
    groups = [{"params": [torch.nn.Parameter(torch.zeros(1))], "lr": lr} for lr in LRS]
    return torch.optim.SGD(groups, lr=LRS[0])


def _lrs(optimizer: Any) -> list[float]:
    return [group["lr"] for group in optimizer.param_groups]


def _misplaced_restart(peer: Any, t: float) -> bool:
    """Whether timm's floating-point logarithm puts step ``t``, an exact cycle start, in the cycle before.

    The difference the module docstring of compat.timm documents: at such a step timm runs
    the end of the previous cycle; schedcore restarts.
    """
    if getattr(peer, "cycle_mul", 1.0) == 1.0 or t < peer.warmup_t:
        return False
    local = t - peer.warmup_t if peer.warmup_prefix else t
    g = Fraction(repr(peer.cycle_mul))
    start, length, k = Fraction(0), Fraction(peer.t_initial), 0
    while start + length <= local:
        start, length, k = start + length, length * g, k + 1
    timm_k = math.floor(math.log(1 - local / peer.t_initial * (1 - peer.cycle_mul), peer.cycle_mul))
    return start == local and timm_k == k - 1


def run_side_by_side(make_peer: Callable[[Any], Any], schedules: list[sc.Schedule], per_epoch: int) -> int:
    """Drive timm's scheduler and ours for UPDATES updates; compare at every update.

    Returns the number of updates at a misplaced restart (see :func:`_misplaced_restart`).
    """
    reference_optimizer, optimizer = _optimizer(), _optimizer()
    peer = make_peer(reference_optimizer)
    ours = adapters.torch.wrap(optimizer, schedules)
    misplaced = 0
    for n in range(UPDATES):
        expected, got = _lrs(reference_optimizer), _lrs(optimizer)
        close = [
            abs(g - e) <= max(1e-9 * abs(e), 1e-15 * lr) for e, g, lr in zip(expected, got, LRS, strict=True)
        ]
        if not all(close):
            t = n // per_epoch if peer.t_in_epochs else n
            assert _misplaced_restart(peer, t), f"update {n}: timm {expected!r}, schedcore {got!r}"
            misplaced += 1
        reference_optimizer.step()
        optimizer.step()
        peer.step_update(num_updates=n + 1)
        ours.step()
        if (n + 1) % per_epoch == 0:
            peer.step((n + 1) // per_epoch)
    return misplaced


def _common(rng: random.Random, in_epochs: bool, prefix_default: bool) -> dict[str, Any]:
    warmup = rng.choice([0, rng.randint(1, 8 if in_epochs else 300)])
    return {
        "warmup_t": warmup,
        "warmup_lr_init": rng.choice([0.0, rng.uniform(1e-7, 1e-4)]),
        "warmup_prefix": rng.choice([prefix_default, not prefix_default]),
        "t_in_epochs": in_epochs,
    }


def _cycles(rng: random.Random, in_epochs: bool) -> dict[str, Any]:
    return {
        "t_initial": rng.randint(1, 30) if in_epochs else rng.randint(1, 900),
        "lr_min": rng.choice([0.0, rng.uniform(1e-6, 1e-4)]),
        "cycle_mul": rng.choice(
            [1.0, 2.0, 3.0, 1.5, round(rng.uniform(1.05, 2.5), 2), rng.uniform(1.05, 2.5)]
        ),
        "cycle_decay": rng.choice([1.0, rng.uniform(0.3, 1.0)]),
        "cycle_limit": rng.choice([1, rng.randint(0, 12)]),
    }


Case = tuple[Callable[[Any], Any], Callable[..., sc.Schedule], dict[str, Any]]


def _cosine(rng: random.Random, in_epochs: bool) -> Case:
    options = {**_cycles(rng, in_epochs), **_common(rng, in_epochs, False)}
    options["k_decay"] = rng.choice([1.0, rng.uniform(0.3, 3.0)])
    return (lambda o: ts.CosineLRScheduler(o, **options)), T.CosineLRScheduler, options


def _tanh(rng: random.Random, in_epochs: bool) -> Case:
    options = {**_cycles(rng, in_epochs), **_common(rng, in_epochs, False)}
    options["lb"], options["ub"] = rng.choice([(-7.0, 3.0), (rng.uniform(-8, -1), rng.uniform(0, 5))])
    return (lambda o: ts.TanhLRScheduler(o, **options)), T.TanhLRScheduler, options


def _poly(rng: random.Random, in_epochs: bool) -> Case:
    options = {**_cycles(rng, in_epochs), **_common(rng, in_epochs, False)}
    options["power"] = rng.choice([0.5, 1.0, rng.uniform(0.1, 3.0)])
    options["k_decay"] = rng.choice([1.0, rng.uniform(0.3, 3.0)])
    return (lambda o: ts.PolyLRScheduler(o, **options)), T.PolyLRScheduler, options


def _step(rng: random.Random, in_epochs: bool) -> Case:
    options = _common(rng, in_epochs, True)
    interval = rng.randint(1, 20) if in_epochs else rng.randint(1, 800)
    options["decay_t"] = rng.choice([interval, interval + 0.5, interval * 1.25])
    options["decay_rate"] = rng.uniform(0.1, 0.9)
    return (lambda o: ts.StepLRScheduler(o, **options)), T.StepLRScheduler, options


def _multistep(rng: random.Random, in_epochs: bool) -> Case:
    options = _common(rng, in_epochs, True)
    top = 60 if in_epochs else 3_000
    options["decay_t"] = sorted(rng.randint(0, top) for _ in range(rng.randint(0, 5))) + [1] * rng.randint(
        0, 1
    )
    options["decay_t"].sort()
    options["decay_rate"] = rng.uniform(0.1, 0.9)
    return (lambda o: ts.MultiStepLRScheduler(o, **options)), T.MultiStepLRScheduler, options


CASES: dict[str, Callable[[random.Random, bool], Case]] = {
    "CosineLRScheduler": _cosine,
    "TanhLRScheduler": _tanh,
    "PolyLRScheduler": _poly,
    "StepLRScheduler": _step,
    "MultiStepLRScheduler": _multistep,
}


@pytest.mark.parametrize(
    ("name", "in_epochs", "seed"),
    [
        pytest.param(name, in_epochs, seed, id=f"{name}-{'epochs' if in_epochs else 'updates'}-seed{seed}")
        for name in CASES
        for in_epochs in (True, False)
        for seed in SEEDS
    ],
)
def test_matches_timm_at_every_update_with_random_parameters(name: str, in_epochs: bool, seed: int) -> None:
    rng = random.Random(f"{name}-{in_epochs}-{seed}")
    make_peer, constructor, options = CASES[name](rng, in_epochs)
    per_epoch = rng.randint(1, 12) if in_epochs else rng.randint(1, 400)
    schedules = [constructor(**options, base_lr=lr, updates_per_epoch=per_epoch) for lr in LRS]
    assert run_side_by_side(make_peer, schedules, per_epoch) <= 3 * 3  # a few misplaced restarts at most


@pytest.mark.parametrize(
    ("cycle_mul", "t_initial"), [pytest.param(3.0, 1, id="3-1"), pytest.param(3.0, 10, id="3-10")]
)
def test_a_restart_timm_misplaces_is_a_restart_here(cycle_mul: float, t_initial: int) -> None:
    # log(243, 3) = 4.999999999999999: timm runs the first step of cycle 5 at lr_min.
    options = {"t_initial": t_initial, "cycle_mul": cycle_mul, "cycle_limit": 8, "t_in_epochs": False}
    start = 121 * t_initial
    optimizer = _optimizer()
    peer = ts.CosineLRScheduler(optimizer, cycle_decay=0.5, **options)
    peer.step_update(start)
    assert _lrs(optimizer)[0] == 0.0
    schedule = T.CosineLRScheduler(cycle_decay=0.5, **options)
    assert schedule(start) == 0.5**5
    assert (
        run_side_by_side(lambda o: ts.CosineLRScheduler(o, cycle_decay=0.5, **options), [schedule] * 3, 1)
        == 1
    )


def test_the_warmup_drops_at_its_end_without_prefix_as_in_timm() -> None:
    options = {"t_initial": 100, "warmup_t": 20, "warmup_lr_init": 1e-4, "t_in_epochs": False}
    schedule = T.CosineLRScheduler(**options, base_lr=0.1)
    assert schedule(19) == pytest.approx(1e-3 + 19 / 20 * (1 - 1e-3))
    assert schedule(20) == pytest.approx((1 + math.cos(math.pi * 0.2)) / 2)  # the cosine 20 steps in
    prefixed = T.CosineLRScheduler(**options, warmup_prefix=True, base_lr=0.1)
    assert prefixed(20) == 1.0
    run_side_by_side(
        lambda o: ts.CosineLRScheduler(o, **options),
        [T.CosineLRScheduler(**options, base_lr=lr) for lr in LRS],
        7,
    )


def test_multistep_applies_each_milestone_one_step_early_as_timm_does() -> None:
    schedule = T.MultiStepLRScheduler([10], decay_rate=0.1, t_in_epochs=False)
    assert (schedule(8), schedule(9)) == (1.0, pytest.approx(0.1))
    run_side_by_side(lambda o: ts.MultiStepLRScheduler(o, [10], 0.1, t_in_epochs=False), [schedule] * 3, 5)


def _train_py_args(rng: random.Random) -> dict[str, Any]:
    return {
        "sched": rng.choice(["cosine", "tanh", "poly", "step", "multistep", "constant"]),
        "num_epochs": rng.randint(2, 40),
        "decay_epochs": rng.choice([None, rng.randint(1, 20)]),
        "decay_milestones": sorted(rng.sample(range(1, 40), 3)),
        "cooldown_epochs": rng.randint(0, 5),
        "decay_rate": rng.uniform(0.1, 0.9),
        "min_lr": rng.choice([0.0, 1e-6]),
        "warmup_lr": 1e-5,
        "warmup_epochs": rng.randint(0, 5),
        "warmup_prefix": rng.random() < 0.5,
        "noise_seed": rng.randint(0, 100),
        "cycle_mul": rng.choice([1.0, 2.0]),
        "cycle_decay": 0.1,
        "cycle_limit": rng.randint(1, 3),
        "k_decay": rng.choice([1.0, 2.0]),
        "step_on_epochs": rng.random() < 0.5,
        "updates_per_epoch": rng.randint(1, 30),
    }


@pytest.mark.parametrize("seed", [pytest.param(seed, id=f"seed{seed}") for seed in range(8)])
def test_create_scheduler_v2_builds_what_timm_builds_and_returns_its_epoch_count(seed: int) -> None:
    args = _train_py_args(random.Random(seed))
    reference_optimizer = _optimizer()
    _, peer_epochs = ts.create_scheduler_v2(reference_optimizer, **args)
    built = [T.create_scheduler_v2(**args, base_lr=lr) for lr in LRS]
    assert all(epochs == peer_epochs for _, epochs in built)
    schedules = [schedule for schedule, _ in built]
    assert all(isinstance(s, sc.Schedule) for s in schedules)
    run_side_by_side(lambda o: ts.create_scheduler_v2(o, **args)[0], schedules, args["updates_per_epoch"])


def test_create_scheduler_v2_with_none_leaves_the_learning_rate_alone() -> None:
    peer = ts.create_scheduler_v2(_optimizer(), "none", num_epochs=10, warmup_epochs=2, warmup_prefix=True)
    assert (
        T.create_scheduler_v2("none", num_epochs=10, warmup_epochs=2, warmup_prefix=True, updates_per_epoch=5)
        == peer
    )


BAD_INPUTS = [
    (
        lambda: T.CosineLRScheduler(10, noise_range_t=[2, 8], t_in_epochs=False),
        ValueError,
        "noise_range_t must be None, got [2, 8]: timm's learning-rate noise draws from torch's random"
        " generator at every step, which no schedule reproduces",
    ),
    (
        lambda: T.create_scheduler_v2(noise=0.5, updates_per_epoch=10),
        ValueError,
        "noise must be None, got 0.5: timm's learning-rate noise draws from torch's random generator at"
        " every step, which no schedule reproduces",
    ),
    (
        lambda: T.CosineLRScheduler(10),
        ValueError,
        "updates_per_epoch must be a positive int with t_in_epochs=True: the lengths count epochs, and the"
        " schedule is stepped once per update",
    ),
    (
        lambda: T.CosineLRScheduler(10, lr_min=1e-5, t_in_epochs=False),
        ValueError,
        "lr_min=1e-05 is an absolute learning rate: pass base_lr= (the param group's learning rate), so"
        " that it becomes the multiplier lr_min / base_lr",
    ),
    (
        lambda: T.TanhLRScheduler(10, lb=3.0, ub=3.0, t_in_epochs=False),
        ValueError,
        "lb must be below ub, got lb=3.0 and ub=3.0",
    ),
    (
        lambda: T.MultiStepLRScheduler([30, 10], t_in_epochs=False),
        ValueError,
        "decay_t must be non-decreasing, got [30, 10]",
    ),
    (
        lambda: T.CosineLRScheduler(10, cycle_mul=0.5, t_in_epochs=False),
        ValueError,
        "cycle_mul must be a finite number >= 1, got 0.5",
    ),
    (
        lambda: T.create_scheduler_v2("plateau", updates_per_epoch=10),
        ValueError,
        "sched='plateau' is not supported: it reacts to a metric, so it is not a function of the step: keep"
        " timm's scheduler and multiply a schedcore warmup on top with schedcore.adapters.torch.dampen",
    ),
]


@bad_inputs.cases(BAD_INPUTS)
def test_bad_arguments_name_the_parameter_and_the_value(
    call: Callable[[], Any], error: type[Exception], message: str
) -> None:
    bad_inputs.check(call, error, message)


def test_every_constructor_is_tested_against_timm() -> None:
    assert set(CASES) | {"create_scheduler_v2"} == set(T.__all__)
    assert all(hasattr(ts, name) for name in T.__all__)
