"""compat.mmengine against mmengine 0.10's schedulers, stepped as its ParamSchedulerHook steps them.

The real schedulers are built from the same config dicts by mmengine's own registry
(``PARAM_SCHEDULERS.build``, which also converts ``convert_to_iter_based`` ones as the
runner does) on an SGD optimizer with three param groups. After each iteration the
iteration schedulers step, after each epoch the epoch ones (``after_train_iter``, then
``after_train_epoch``). Beside them our schedule drives another optimizer through
``adapters.torch.wrap``; every group's value agrees at every iteration, well past every
``end``, to 1e-9 relative (or 1e-15 of the group's scale near zero). Random parameters,
seeded.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest

torch = pytest.importorskip("torch")
pytest.importorskip("mmengine")

import mmengine.optim  # noqa: E402, F401  (importing it registers the schedulers)
from mmengine.registry import PARAM_SCHEDULERS  # noqa: E402

import schedcore as sc  # noqa: E402
from schedcore import adapters, compat  # noqa: E402

M = compat.mmengine
LRS = (0.1, 0.03, 2e-4)
MOMENTA = (0.9, 0.8, 0.95)
DECAYS = (1e-4, 5e-4, 1e-2)
SEEDS = range(4)


def _optimizer() -> Any:
    groups = [
        {"params": [torch.nn.Parameter(torch.zeros(1))], "lr": lr, "momentum": m, "weight_decay": w}
        for lr, m, w in zip(LRS, MOMENTA, DECAYS, strict=True)
    ]
    return torch.optim.SGD(groups, lr=LRS[0])


@dataclass
class Case:
    """mmengine configs and the options our builder needs to give the same values."""

    configs: list[dict[str, Any]]
    epoch_length: int
    iterations: int
    key: str = "lr"
    absolute: bool = False  # OneCycleLR without base_value: the schedule is the learning rate
    per_group_base: bool = False  # an absolute eta_min: one schedule per group
    options: dict[str, Any] = field(default_factory=dict)


BASES = {"lr": LRS, "momentum": MOMENTA, "weight_decay": DECAYS}


def run_side_by_side(case: Case) -> float:
    """Step mmengine's schedulers and ours together; return the largest relative difference."""
    reference_optimizer, optimizer = _optimizer(), _optimizer()
    built = [
        PARAM_SCHEDULERS.build(
            dict(config), default_args={"optimizer": reference_optimizer, "epoch_length": case.epoch_length}
        )
        for config in case.configs
    ]
    bases = BASES[case.key]
    if case.per_group_base:
        schedule: Any = [
            M.build_param_scheduler(
                case.configs,
                param_name=case.key,
                epoch_length=case.epoch_length,
                base_value=b,
                **case.options,
            )
            for b in bases
        ]
    else:
        schedule = M.build_param_scheduler(
            case.configs, param_name=case.key, epoch_length=case.epoch_length, **case.options
        )
    ours = adapters.torch.wrap(optimizer, schedule, key=case.key, base=1.0 if case.absolute else None)
    worst = 0.0
    scale = (max(c.get("eta_max", 0.0) for c in case.configs),) * 3 if case.absolute else bases
    for t in range(case.iterations):
        for g, (expected_group, group) in enumerate(
            zip(reference_optimizer.param_groups, optimizer.param_groups, strict=True)
        ):
            expected, got = expected_group[case.key], group[case.key]
            assert abs(got - expected) <= max(1e-9 * abs(expected), 1e-15 * scale[g]), (
                f"iteration {t}, group {g}: mmengine {expected!r}, schedcore {got!r}; {schedule!r}"
            )
            if expected != 0.0:
                worst = max(worst, abs(got - expected) / abs(expected))
        reference_optimizer.step()
        optimizer.step()
        for scheduler in built:  # ParamSchedulerHook.after_train_iter
            if not scheduler.by_epoch:
                scheduler.step()
        if (t + 1) % case.epoch_length == 0:  # ParamSchedulerHook.after_train_epoch
            for scheduler in built:
                if scheduler.by_epoch:
                    scheduler.step()
        ours.step()
    return worst


def _timing(rng: random.Random, horizon: int) -> dict[str, Any]:
    """A random window in a random unit: iterations, epochs, or epochs converted to iterations."""
    unit = rng.choice(["iter", "epoch", "converted"])
    if unit == "iter":
        begin = rng.choice([0, rng.randint(1, horizon // 3)])
        return {"by_epoch": False, "begin": begin, "end": rng.randint(begin + 1, horizon)}
    epochs = horizon // EPOCH
    begin = rng.choice([0, rng.randint(1, max(1, epochs // 3))])
    window = {"by_epoch": True, "begin": begin, "end": rng.randint(begin + 1, epochs)}
    if unit == "converted":
        window["convert_to_iter_based"] = True
    return window


EPOCH = 40  # iterations per epoch in the random cases
ITERATIONS = 2_400  # 60 epochs; windows end by 2,000 or so


def _constant(rng: random.Random, t: dict[str, Any]) -> dict[str, Any]:
    return {"type": "ConstantLR", "factor": rng.uniform(0.05, 1.0), **t}


def _linear(rng: random.Random, t: dict[str, Any]) -> dict[str, Any]:
    return {
        "type": "LinearLR",
        "start_factor": rng.uniform(1e-3, 1.0),
        "end_factor": rng.uniform(0.0, 1.0),
        **t,
    }


def _exponential(rng: random.Random, t: dict[str, Any]) -> dict[str, Any]:
    gamma = (
        rng.uniform(0.999, 1.0)
        if not t.get("by_epoch") or t.get("convert_to_iter_based")
        else rng.uniform(0.9, 1.0)
    )
    return {"type": "ExponentialLR", "gamma": gamma, **t}


def _lengths(t: dict[str, Any], iterations: int) -> int:
    """A length in the scheduler's unit for a span of about ``iterations`` iterations."""
    return max(1, iterations // EPOCH) if t["by_epoch"] else max(1, iterations)


def _step(rng: random.Random, t: dict[str, Any]) -> dict[str, Any]:
    return {
        "type": "StepLR",
        "step_size": _lengths(t, rng.randint(1, 600)),
        "gamma": rng.uniform(0.1, 0.9),
        **t,
    }


def _multistep(rng: random.Random, t: dict[str, Any]) -> dict[str, Any]:
    milestones = [_lengths(t, rng.randint(0, 2_000)) for _ in range(rng.randint(0, 4))]
    milestones += milestones[:1] + [0] * rng.randint(0, 1)  # a repeat, maybe one at 0
    rng.shuffle(milestones)
    return {"type": "MultiStepLR", "milestones": milestones, "gamma": rng.uniform(0.1, 0.9), **t}


def _cosine(rng: random.Random, t: dict[str, Any]) -> dict[str, Any]:
    config = {"type": "CosineAnnealingLR", **t}
    if rng.random() < 0.5:
        config["T_max"] = _lengths(t, rng.randint(200, 2_000))
    return config


def _poly(rng: random.Random, t: dict[str, Any]) -> dict[str, Any]:
    return {"type": "PolyLR", "power": rng.uniform(0.5, 3.0), **t}


MULTIPLYING = [_constant, _linear, _exponential, _step, _multistep, _cosine, _poly]


def _alone(
    make: Callable[[random.Random, dict[str, Any]], dict[str, Any]],
) -> Callable[[random.Random], Case]:
    def case(rng: random.Random) -> Case:
        return Case([make(rng, _timing(rng, 2_000))], EPOCH, ITERATIONS)

    return case


def _overlapping(rng: random.Random) -> Case:
    """Several multiplying schedulers at once, windows overlapping, units mixed."""
    configs = [rng.choice(MULTIPLYING)(rng, _timing(rng, 2_000)) for _ in range(rng.randint(2, 4))]
    configs = [c for c in configs if c["type"] != "CosineAnnealingLR" or "T_max" not in c]  # within T_max
    return Case(configs or [_linear(rng, _timing(rng, 2_000))], EPOCH, ITERATIONS)


def _setting(rng: random.Random, t: dict[str, Any]) -> tuple[dict[str, Any], bool]:
    """A scheduler that sets the value: (config, whether it needs base_value per group)."""
    kind = rng.choice(["cosine", "cosine-past", "poly", "restart"])
    absolute = rng.random() < 0.5
    bottom = {"eta_min": rng.uniform(1e-5, 1e-4)} if absolute else {"eta_min_ratio": rng.uniform(0.01, 0.5)}
    if kind == "cosine":
        return {"type": "CosineAnnealingLR", **bottom, **t}, absolute
    if kind == "cosine-past":
        return {
            "type": "CosineAnnealingLR",
            "T_max": _lengths(t, rng.randint(100, 400)),
            **bottom,
            **t,
        }, absolute
    if kind == "poly":
        return {
            "type": "PolyLR",
            "eta_min": rng.uniform(1e-5, 1e-4),
            "power": rng.uniform(0.5, 2.0),
            **t,
        }, True
    periods = [_lengths(t, rng.randint(50, 500)) for _ in range(rng.randint(1, 3))]
    weights = [rng.uniform(0.2, 1.0) for _ in periods]
    return {
        "type": "CosineRestartLR",
        "periods": periods,
        "restart_weights": weights,
        **bottom,
        **t,
    }, absolute


def _restart(rng: random.Random) -> Case:
    timing = _timing(rng, 2_000)
    periods = [_lengths(timing, rng.randint(50, 700)) for _ in range(rng.randint(1, 4))]
    weights = [rng.uniform(0.2, 1.0) for _ in periods]
    absolute = rng.random() < 0.5
    bottom = {"eta_min": rng.uniform(1e-5, 1e-4)} if absolute else {"eta_min_ratio": rng.uniform(0.0, 0.3)}
    config = {"type": "CosineRestartLR", "periods": periods, "restart_weights": weights, **bottom, **timing}
    return Case([config], EPOCH, ITERATIONS, per_group_base=absolute)


def _sequence(rng: random.Random) -> Case:
    """Warmup, then schedulers that set the value in windows of their own, multipliers between."""
    warmup_end = rng.randint(1, 300)
    configs = [_linear(rng, {"by_epoch": False, "begin": 0, "end": warmup_end})]
    per_group = False
    start = warmup_end
    for _ in range(rng.randint(1, 2)):
        begin = start + rng.choice([0, rng.randint(1, 200)])
        if rng.random() < 0.5:  # in iterations
            end = begin + rng.randint(100, 900)
            timing: dict[str, Any] = {"by_epoch": False, "begin": begin, "end": end}
        else:  # in epochs, converted or stepped per epoch
            first = math.ceil(begin / EPOCH)
            last = first + rng.randint(2, 20)
            timing = {"by_epoch": True, "begin": first, "end": last}
            if rng.random() < 0.5:
                timing["convert_to_iter_based"] = True
            end = last * EPOCH
        config, absolute = _setting(rng, timing)
        configs.append(config)
        per_group |= absolute
        if rng.random() < 0.5:  # a multiplier between two of them
            configs.append(_step(rng, {"by_epoch": False, "begin": end, "end": end + 100}))
            end += 100
        start = end
    return Case(configs, EPOCH, start + 300, per_group_base=per_group)


def _one_cycle(rng: random.Random) -> Case:
    total = rng.randint(100, 2_000)
    config = {
        "type": "OneCycleLR",
        "eta_max": rng.uniform(0.01, 1.0),
        "total_steps": total,
        "pct_start": rng.uniform(0.05, 0.45),
        "anneal_strategy": rng.choice(["cos", "linear"]),
        "div_factor": rng.uniform(5.0, 50.0),
        "final_div_factor": rng.uniform(1e2, 1e5),
        "three_phase": rng.random() < 0.5,
        "by_epoch": False,
        "end": rng.randint(total // 2, total),
    }
    return Case([config], EPOCH, total + 200, absolute=True)


def _momentum(rng: random.Random) -> Case:
    configs = [
        {"type": "LinearMomentum", "start_factor": rng.uniform(0.5, 1.0), "by_epoch": False, "end": 300},
        {"type": "CosineAnnealingMomentum", "eta_min_ratio": 0.85, "by_epoch": True, "begin": 10, "end": 40},
        {"type": "LinearLR", "start_factor": 0.1, "by_epoch": False, "end": 50},  # not momentum: left out
    ]
    return Case(configs, EPOCH, 1_800, key="momentum")


def _generic(rng: random.Random) -> Case:
    configs = [
        {"type": "StepParamScheduler", "param_name": "weight_decay", "step_size": 5, "gamma": 0.5},
        {"type": "PolyParamScheduler", "param_name": "weight_decay", "power": 2.0, "begin": 0, "end": 30},
        {"type": "ExponentialParamScheduler", "param_name": "lr", "gamma": 0.9},  # not weight_decay
    ]
    return Case(configs, EPOCH, 1_600, key="weight_decay")


CASES: dict[str, Callable[[random.Random], Case]] = {
    "ConstantLR": _alone(_constant),
    "LinearLR": _alone(_linear),
    "ExponentialLR": _alone(_exponential),
    "StepLR": _alone(_step),
    "MultiStepLR": _alone(_multistep),
    "CosineAnnealingLR": _alone(_cosine),
    "PolyLR": _alone(_poly),
    "CosineRestartLR": _restart,
    "overlapping": _overlapping,
    "sequence": _sequence,
    "OneCycleLR": _one_cycle,
    "momentum": _momentum,
    "ParamScheduler": _generic,
}


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("name", list(CASES))
def test_matches_mmengine_at_every_iteration(name: str, seed: int) -> None:
    run_side_by_side(CASES[name](random.Random(f"{name}-{seed}")))


def test_milestones_and_periods_may_be_numpy_arrays_as_mmengine_takes_them() -> None:
    np = pytest.importorskip("numpy")
    timing = {"by_epoch": False, "begin": 0, "end": 900}
    configs = [
        [{"type": "MultiStepLR", "milestones": np.array([100, 300, 300]), "gamma": 0.5, **timing}],
        [
            {
                "type": "CosineRestartLR",
                "periods": np.array([200, 700]),
                "restart_weights": [1.0, 0.5],
                "eta_min_ratio": 0.1,
                **timing,
            }
        ],
    ]
    for config in configs:
        run_side_by_side(Case(config, EPOCH, 1_000))


def test_a_detection_config_with_the_runners_default_ends() -> None:
    # mmdet's schedule_1x: a warmup by iteration over an epoch MultiStepLR whose end the runner fills in
    configs = [
        {"type": "LinearLR", "start_factor": 0.001, "by_epoch": False, "begin": 0, "end": 500},
        {"type": "MultiStepLR", "begin": 0, "by_epoch": True, "milestones": [8, 11], "gamma": 0.1},
    ]
    # Runner._build_param_scheduler: end defaults to max_epochs (epoch schedulers) or max_iters
    reference = [dict(configs[0]), {**configs[1], "end": 12}]
    case = Case(reference, 100, 1_400, options={"max_epochs": 12})
    run_side_by_side(case)
    ours = M.build_param_scheduler(configs, epoch_length=100, max_epochs=12)
    assert ours == M.build_param_scheduler(reference, epoch_length=100)


def test_linear_lr_ends_one_step_before_the_torch_scheduler_of_the_same_name() -> None:
    mm = M.LinearLR(0.25, 1.0, end=5, by_epoch=False)
    port = compat.torch.LinearLR(0.25, 1.0, total_iters=5)
    assert [mm(t) for t in range(6)] == [0.25, 0.4375, 0.625, 0.8125, 1.0, 1.0]
    assert port(4) < 1.0 == mm(4)


def test_a_scheduler_that_sets_the_value_cannot_overlap_another() -> None:
    configs = [
        {"type": "LinearLR", "start_factor": 0.1, "by_epoch": False, "end": 100},
        {"type": "CosineAnnealingLR", "eta_min_ratio": 0.1, "by_epoch": False, "begin": 50, "end": 500},
    ]
    with pytest.raises(
        ValueError, match=r"param_scheduler\[1\] \(CosineAnnealingLR\) overlaps param_scheduler\[0\]"
    ):
        M.build_param_scheduler(configs)


def test_the_variants_build_the_shape_of_their_learning_rate_scheduler() -> None:
    lr = M.CosineRestartLR([10, 20], [1.0, 0.5], eta_min_ratio=0.1, by_epoch=False)
    assert M.CosineRestartMomentum([10, 20], [1.0, 0.5], eta_min_ratio=0.1, by_epoch=False) == lr
    assert (
        M.CosineRestartParamScheduler("momentum", [10, 20], [1.0, 0.5], eta_min_ratio=0.1, by_epoch=False)
        == lr
    )
    with pytest.raises(TypeError, match="param_name must be a non-empty str, got int 3"):
        M.PolyParamScheduler(3)


def test_an_epoch_scheduler_needs_the_epoch_length() -> None:
    with pytest.raises(
        ValueError, match="LinearLR with by_epoch=True steps once per epoch: pass epoch_length"
    ):
        M.LinearLR(0.1, end=5)
    assert M.LinearLR(0.5, end=3, epoch_length=1) == sc.linear(0.5, 1.0, 2)
