"""compat.torch against torch.optim.lr_scheduler 2.13, run side by side at every step.

Random parameters (seeded), 10,000 steps (past every end), three param groups, and our
run resumed from its checkpoint mid-way while torch's runs on: the learning rates
agree to 1e-9 relative, or 1e-15 of the group's scale near zero.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

torch = pytest.importorskip("torch")

import schedcore as sc  # noqa: E402
from schedcore import adapters, compat  # noqa: E402
from tests import bad_inputs  # noqa: E402

L = torch.optim.lr_scheduler
LRS = (0.1, 0.03, 2e-4)
STEPS = 10_000
SEEDS = range(3)


def _optimizer(lrs: tuple[float, ...] = LRS, **options: Any) -> Any:
    groups = [{"params": [torch.nn.Parameter(torch.zeros(1))], "lr": lr} for lr in lrs]
    return torch.optim.SGD(groups, lr=lrs[0], momentum=options.pop("momentum", 0.9), **options)


def _lrs(optimizer: Any, key: str = "lr") -> list[float]:
    return [group[key] for group in optimizer.param_groups]


@dataclass
class Case:
    """torch's scheduler and the compat schedule that should give the same values."""

    reference: Callable[[Any], Any]
    schedule: sc.Schedule | list[sc.Schedule]
    base: float | None = None  # 1.0 for absolute-valued schedules
    scale: tuple[float, ...] = LRS  # the size of each group's values, for the near-zero tolerance
    steps: int = STEPS


def run_side_by_side(case: Case, resume_at: int | None = None) -> None:
    """Step torch's scheduler and ours together; compare every group at every step."""
    reference_optimizer = _optimizer()
    reference = case.reference(reference_optimizer)
    optimizer = _optimizer()
    ours = adapters.torch.wrap(optimizer, case.schedule, base=case.base)
    reference_optimizer.step()
    optimizer.step()
    for t in range(case.steps):
        if t == resume_at:  # a new optimizer and scheduler, loaded from our checkpoint
            states = optimizer.state_dict(), ours.state_dict()
            optimizer = _optimizer()
            ours = adapters.torch.wrap(optimizer, case.schedule, base=case.base)
            optimizer.load_state_dict(states[0])
            ours.load_state_dict(states[1])
            optimizer.step()
        for g, (expected, got) in enumerate(zip(_lrs(reference_optimizer), _lrs(optimizer), strict=True)):
            assert abs(got - expected) <= max(1e-9 * abs(expected), 1e-15 * case.scale[g]), (
                f"step {t}, group {g}: torch {expected!r}, schedcore {got!r}"
            )
            assert got == 0.0 or expected != 0.0, (
                f"step {t}, group {g}: torch's trough is exactly 0, ours {got!r}"
            )
        reference.step()
        ours.step()


def _eta_min(rng: random.Random) -> float:
    return rng.choice([0.0, rng.uniform(1e-6, 1e-4)])


def _step_lr(rng: random.Random) -> Case:
    step_size, gamma = rng.randint(1, 3_000), rng.uniform(0.05, 1.0)
    return Case(lambda o: L.StepLR(o, step_size, gamma), compat.torch.StepLR(step_size, gamma))


def _multi_step_lr(rng: random.Random) -> Case:
    milestones = [rng.randint(0, 12_000) for _ in range(rng.randint(0, 6))]
    milestones += rng.sample(milestones, min(len(milestones), 1))  # a repeat
    rng.shuffle(milestones)
    gamma = rng.uniform(0.1, 0.95)
    return Case(lambda o: L.MultiStepLR(o, milestones, gamma), compat.torch.MultiStepLR(milestones, gamma))


def _constant_lr(rng: random.Random) -> Case:
    factor, total = rng.uniform(0.01, 1.0), rng.choice([0, rng.randint(1, 12_000)])
    return Case(lambda o: L.ConstantLR(o, factor, total), compat.torch.ConstantLR(factor, total))


def _linear_lr(rng: random.Random) -> Case:
    start, end, total = rng.uniform(0.01, 1.0), rng.choice([0.0, rng.uniform(0, 1)]), rng.randint(0, 12_000)
    return Case(lambda o: L.LinearLR(o, start, end, total), compat.torch.LinearLR(start, end, total))


def _exponential_lr(rng: random.Random) -> Case:
    gamma = rng.uniform(0.99, 1.0)
    return Case(lambda o: L.ExponentialLR(o, gamma), compat.torch.ExponentialLR(gamma))


def _polynomial_lr(rng: random.Random) -> Case:
    total, power = rng.choice([0, rng.randint(1, 12_000)]), rng.uniform(0.0, 4.0)
    return Case(lambda o: L.PolynomialLR(o, total, power), compat.torch.PolynomialLR(total, power))


def _cosine_annealing_lr(rng: random.Random) -> Case:
    # T_max up to 4000: past the first T_max PyTorch's recursion carries its rounding at the
    # bottom into the rise, about 1e-16 * (T_max / pi)**2 relative (see the docstring).
    t_max, eta_min = rng.randint(1, 4_000), _eta_min(rng)
    schedules = [compat.torch.CosineAnnealingLR(t_max, eta_min, base_lr=lr) for lr in LRS]
    return Case(lambda o: L.CosineAnnealingLR(o, t_max, eta_min), schedules)


def _cosine_annealing_warm_restarts(rng: random.Random) -> Case:
    t_0, t_mult, eta_min = rng.randint(1, 2_000), rng.randint(1, 3), _eta_min(rng)
    schedules = [compat.torch.CosineAnnealingWarmRestarts(t_0, t_mult, eta_min, base_lr=lr) for lr in LRS]
    return Case(lambda o: L.CosineAnnealingWarmRestarts(o, t_0, t_mult, eta_min), schedules)


def _cyclic_lr(mode: str) -> Callable[[random.Random], Case]:
    def case(rng: random.Random) -> Case:
        lows = [rng.choice([0.0, rng.uniform(1e-4, 0.01)]) for _ in LRS]
        highs = [rng.uniform(0.02, 0.5) for _ in LRS]
        up, down = rng.randint(1, 2_000), rng.choice([None, rng.randint(1, 2_000)])
        gamma = rng.uniform(0.9995, 1.0)
        schedules = [
            compat.torch.CyclicLR(lo, hi, up, down, mode, gamma) for lo, hi in zip(lows, highs, strict=True)
        ]

        def reference(o: Any) -> Any:
            return L.CyclicLR(o, lows, highs, up, down, mode, gamma, cycle_momentum=False)

        return Case(reference, schedules, base=1.0, scale=tuple(highs))

    return case


def _one_cycle_lr(anneal: str, three_phase: bool) -> Callable[[random.Random], Case]:
    def case(rng: random.Random) -> Case:
        peaks = [rng.uniform(0.01, 1.0) for _ in LRS]
        pct, div, final = rng.uniform(0.05, 0.45), rng.uniform(5.0, 50.0), rng.uniform(1e2, 1e5)
        options = (
            {"total_steps": STEPS} if rng.random() < 0.5 else {"epochs": 10, "steps_per_epoch": STEPS // 10}
        )
        schedules = [
            compat.torch.OneCycleLR(
                p,
                **options,
                pct_start=pct,
                anneal_strategy=anneal,
                div_factor=div,
                final_div_factor=final,
                three_phase=three_phase,
            )
            for p in peaks
        ]

        def reference(o: Any) -> Any:
            return L.OneCycleLR(
                o,
                peaks,
                **options,
                pct_start=pct,
                anneal_strategy=anneal,
                div_factor=div,
                final_div_factor=final,
                three_phase=three_phase,
                cycle_momentum=False,
            )

        # torch's last step is STEPS - 1; past it torch extrapolates, then raises (tested below)
        return Case(reference, schedules, base=1.0, scale=tuple(peaks), steps=STEPS)

    return case


def _cyclic_lr_lists(rng: random.Random) -> Case:
    lows = [rng.choice([0.0, rng.uniform(1e-4, 0.01)]) for _ in LRS]
    highs = [rng.uniform(0.02, 0.5) for _ in LRS]
    up, mode = rng.randint(1, 2_000), rng.choice(_CYCLIC_MODES)
    schedules = compat.torch.CyclicLR(lows, highs, up, mode=mode, gamma=0.9998)
    assert isinstance(schedules, list)
    return Case(
        lambda o: L.CyclicLR(o, lows, highs, up, mode=mode, gamma=0.9998, cycle_momentum=False),
        schedules,
        base=1.0,
        scale=tuple(highs),
    )


def _swalr(rng: random.Random) -> Case:
    targets = [rng.uniform(1e-4, 0.2) for _ in LRS]
    epochs, strategy = rng.choice([0, rng.randint(1, 3_000)]), rng.choice(["cos", "linear"])
    return Case(
        lambda o: torch.optim.swa_utils.SWALR(o, targets, epochs, strategy),
        compat.torch.SWALR(targets, epochs, strategy, base_lr=list(LRS)),
    )


_CYCLIC_MODES = ("triangular", "triangular2", "exp_range")

# Pieces for SequentialLR and ChainedScheduler: (torch scheduler, compat schedule) makers.
Piece = Callable[[random.Random], tuple[Callable[[Any], Any], sc.Schedule]]


def _piece(make: Callable[[random.Random], Case]) -> Piece:
    def piece(rng: random.Random) -> tuple[Callable[[Any], Any], sc.Schedule]:
        case = make(rng)
        assert isinstance(case.schedule, sc.Schedule)
        return case.reference, case.schedule

    return piece


def _cosine_piece(rng: random.Random) -> tuple[Callable[[Any], Any], sc.Schedule]:
    t_max = rng.randint(1, 4_000)
    return (lambda o: L.CosineAnnealingLR(o, t_max)), compat.torch.CosineAnnealingLR(t_max)


def _restarts_piece(rng: random.Random) -> tuple[Callable[[Any], Any], sc.Schedule]:
    t_0, t_mult = rng.randint(1, 2_000), rng.randint(1, 3)
    return (
        lambda o: L.CosineAnnealingWarmRestarts(o, t_0, t_mult)
    ), compat.torch.CosineAnnealingWarmRestarts(t_0, t_mult)


CHAINABLE: list[Piece] = [
    _piece(_step_lr),
    _piece(_multi_step_lr),
    _piece(_constant_lr),
    _piece(_linear_lr),
    _piece(_exponential_lr),
    _piece(_polynomial_lr),
]
SEQUENCEABLE: list[Piece] = [*CHAINABLE, _cosine_piece, _restarts_piece]


def _sequential_lr(rng: random.Random) -> Case:
    count = rng.randint(2, 4)
    pieces = [rng.choice(SEQUENCEABLE)(rng) for _ in range(count)]
    milestones = sorted(rng.choice([0, rng.randint(1, 8_000)]) for _ in range(count - 1))
    if rng.random() < 0.5:
        milestones = sorted({m for m in milestones if m} | {rng.randint(1, 8_000)})[: count - 1]
        milestones += [milestones[-1]] * (count - 1 - len(milestones))  # repeats never run

    def reference(o: Any) -> Any:
        return L.SequentialLR(o, [make(o) for make, _ in pieces], milestones)

    return Case(reference, compat.torch.SequentialLR([s for _, s in pieces], milestones))


def _chained_scheduler(rng: random.Random) -> Case:
    pieces = [rng.choice(CHAINABLE)(rng) for _ in range(rng.randint(2, 4))]
    # CosineAnnealingLR chains as a product up to T_max only (see ChainedScheduler's docstring).
    t_max = rng.randint(STEPS, 3 * STEPS)
    pieces.append(((lambda o: L.CosineAnnealingLR(o, t_max)), compat.torch.CosineAnnealingLR(t_max)))
    rng.shuffle(pieces)

    def reference(o: Any) -> Any:
        return L.ChainedScheduler([make(o) for make, _ in pieces])

    return Case(reference, compat.torch.ChainedScheduler([s for _, s in pieces]))


CASES: dict[str, Callable[[random.Random], Case]] = {
    "StepLR": _step_lr,
    "MultiStepLR": _multi_step_lr,
    "ConstantLR": _constant_lr,
    "LinearLR": _linear_lr,
    "ExponentialLR": _exponential_lr,
    "PolynomialLR": _polynomial_lr,
    "CosineAnnealingLR": _cosine_annealing_lr,
    "CosineAnnealingWarmRestarts": _cosine_annealing_warm_restarts,
    "CyclicLR-triangular": _cyclic_lr("triangular"),
    "CyclicLR-triangular2": _cyclic_lr("triangular2"),
    "CyclicLR-exp_range": _cyclic_lr("exp_range"),
    "OneCycleLR-cos": _one_cycle_lr("cos", three_phase=False),
    "OneCycleLR-linear": _one_cycle_lr("linear", three_phase=False),
    "OneCycleLR-cos-three_phase": _one_cycle_lr("cos", three_phase=True),
    "OneCycleLR-linear-three_phase": _one_cycle_lr("linear", three_phase=True),
    "SequentialLR": _sequential_lr,
    "ChainedScheduler": _chained_scheduler,
    "CyclicLR-per-group-lists": _cyclic_lr_lists,
    "SWALR": _swalr,
}


@pytest.mark.parametrize(
    ("name", "seed"), [pytest.param(name, seed, id=f"{name}-seed{seed}") for name in CASES for seed in SEEDS]
)
def test_matches_torch_at_every_step_with_random_parameters(name: str, seed: int) -> None:
    rng = random.Random(f"{name}-{seed}")
    case = CASES[name](rng)
    run_side_by_side(case, resume_at=rng.randint(1, case.steps - 1))


EDGES = [
    pytest.param(
        lambda o: L.ConstantLR(o, 0.25, 0), compat.torch.ConstantLR(0.25, 0), id="ConstantLR-total_iters-0"
    ),
    pytest.param(
        lambda o: L.LinearLR(o, 0.3, 0.9, 0), compat.torch.LinearLR(0.3, 0.9, 0), id="LinearLR-total_iters-0"
    ),
    pytest.param(
        lambda o: L.LinearLR(o, 0.5, 0.0, 20), compat.torch.LinearLR(0.5, 0.0, 20), id="LinearLR-to-zero"
    ),
    pytest.param(
        lambda o: L.PolynomialLR(o, 0, 2.0),
        compat.torch.PolynomialLR(0, 2.0),
        id="PolynomialLR-total_iters-0",
    ),
    pytest.param(
        lambda o: L.PolynomialLR(o, 30, 0.0), compat.torch.PolynomialLR(30, 0.0), id="PolynomialLR-power-0"
    ),
    pytest.param(
        lambda o: L.MultiStepLR(o, [0, 0, 5, 5, 3], 0.5),
        compat.torch.MultiStepLR([0, 0, 5, 5, 3], 0.5),
        id="MultiStepLR-zeros",
    ),
    pytest.param(
        lambda o: L.CosineAnnealingLR(o, 1), compat.torch.CosineAnnealingLR(1), id="CosineAnnealingLR-T_max-1"
    ),
    pytest.param(
        lambda o: L.SequentialLR(o, [L.ConstantLR(o, 0.5, 3), L.ExponentialLR(o, 0.9)], [0]),
        compat.torch.SequentialLR([compat.torch.ConstantLR(0.5, 3), compat.torch.ExponentialLR(0.9)], [0]),
        id="SequentialLR-milestone-0",
    ),
    pytest.param(
        lambda o: L.SequentialLR(
            o, [L.ConstantLR(o, 0.5, 3), L.ExponentialLR(o, 0.9), L.StepLR(o, 2)], [4, 4]
        ),
        compat.torch.SequentialLR(
            [compat.torch.ConstantLR(0.5, 3), compat.torch.ExponentialLR(0.9), compat.torch.StepLR(2)], [4, 4]
        ),
        id="SequentialLR-repeated-milestone",
    ),
]


@pytest.mark.parametrize(("reference", "schedule"), EDGES)
def test_matches_torch_at_the_edges_of_its_arguments(
    reference: Callable[[Any], Any], schedule: sc.Schedule
) -> None:
    run_side_by_side(Case(reference, schedule, steps=100))


def test_milestones_may_be_a_numpy_array_as_torch_takes_them() -> None:
    np = pytest.importorskip("numpy")
    milestones = np.array([3, 7, 7]) * 5  # the epochs of a recipe times the batches of one
    run_side_by_side(
        Case(
            lambda o: L.MultiStepLR(o, milestones, 0.5), compat.torch.MultiStepLR(milestones, 0.5), steps=100
        )
    )
    boundaries = np.array([4])
    run_side_by_side(
        Case(
            lambda o: L.SequentialLR(o, [L.ConstantLR(o, 0.5, 3), L.ExponentialLR(o, 0.9)], boundaries),
            compat.torch.SequentialLR(
                [compat.torch.ConstantLR(0.5, 3), compat.torch.ExponentialLR(0.9)], boundaries
            ),
            steps=100,
        )
    )


# --- where torch stops or breaks ---------------------------------------------------------------


@pytest.mark.parametrize(
    "three_phase", [pytest.param(False, id="two-phase"), pytest.param(True, id="three-phase")]
)
def test_one_cycle_lr_holds_its_final_value_where_torch_extrapolates_then_raises(three_phase: bool) -> None:
    total = 100
    optimizer = _optimizer((0.1,))
    reference = L.OneCycleLR(optimizer, 0.5, total_steps=total, three_phase=three_phase, cycle_momentum=False)
    schedule = compat.torch.OneCycleLR(0.5, total_steps=total, three_phase=three_phase)
    optimizer.step()
    for t in range(total):
        assert schedule(t) == pytest.approx(_lrs(optimizer)[0], rel=1e-12)
        reference.step()
    final = 0.5 / 25.0 / 1e4
    assert schedule(total - 1) == pytest.approx(final, rel=1e-12)
    assert _lrs(optimizer)[0] != pytest.approx(final, rel=1e-6)  # torch's step `total` extrapolates
    assert [schedule(t) for t in (total, total + 1, 10 * total)] == [schedule(total - 1)] * 3
    with pytest.raises(ValueError, match=f"Tried to step {total + 1} times"):
        reference.step()


def test_constant_lr_with_factor_zero_returns_to_one_where_torch_divides_by_zero() -> None:
    optimizer = _optimizer((0.1,))
    reference = L.ConstantLR(optimizer, factor=0.0, total_iters=3)
    schedule = compat.torch.ConstantLR(factor=0.0, total_iters=3)
    optimizer.step()
    for t in range(3):
        assert _lrs(optimizer)[0] == 0.1 * schedule(t) == 0.0
        if t < 2:
            reference.step()
    with pytest.raises(ZeroDivisionError):
        reference.step()
    assert [schedule(t) for t in (3, 4)] == [1.0, 1.0]


def test_cosine_annealing_lr_rises_again_past_t_max() -> None:
    schedule = compat.torch.CosineAnnealingLR(10, eta_min=0.01, base_lr=0.1)
    assert [round(schedule(t), 12) for t in (0, 5, 10, 15, 20, 30)] == [1.0, 0.55, 0.1, 0.55, 1.0, 0.1]


# --- momentum, as the docs show: the *Momentum constructors take the LR constructor's arguments ---


def _momenta_match(
    reference: Callable[[Any], Any],
    lr: sc.Schedule | list[sc.Schedule],
    momentum: sc.Schedule | list[sc.Schedule],
    steps: int,
    adam: bool,
) -> None:
    """Torch's scheduler cycling lr and momentum (or betas[0]) beside our two wraps, every group."""

    def make() -> Any:
        groups = [{"params": [torch.nn.Parameter(torch.zeros(1))], "lr": lr} for lr in LRS]
        return torch.optim.Adam(groups) if adam else torch.optim.SGD(groups, lr=LRS[0], momentum=0.9)

    key: Any = ("betas", 0) if adam else "momentum"

    def values(optimizer: Any) -> list[float]:
        groups = optimizer.param_groups
        return [g["lr"] for g in groups] + [g["betas"][0] if adam else g["momentum"] for g in groups]

    reference_optimizer, optimizer = make(), make()
    torch_scheduler = reference(reference_optimizer)
    ours = L.ChainedScheduler(
        [
            adapters.torch.wrap(optimizer, lr, base=1.0),
            adapters.torch.wrap(optimizer, momentum, key=key, base=1.0),
        ]
    )
    reference_optimizer.step()
    optimizer.step()
    for t in range(steps):
        for i, (expected, got) in enumerate(zip(values(reference_optimizer), values(optimizer), strict=True)):
            assert abs(got - expected) <= max(1e-9 * abs(expected), 1e-15), f"value {i} at step {t}"
        torch_scheduler.step()
        ours.step()


OPTIMIZERS = [pytest.param(False, id="SGD-momentum"), pytest.param(True, id="Adam-betas")]


@pytest.mark.parametrize("adam", OPTIMIZERS)
@pytest.mark.parametrize("mode", ["triangular", "triangular2", "exp_range"])
def test_cyclic_momentum_is_what_cyclic_lr_sets_in_every_group(mode: str, adam: bool) -> None:
    rng = random.Random(f"cyclic-momentum-{mode}-{adam}")
    options: dict[str, Any] = {
        "base_lr": [rng.uniform(1e-4, 0.01) for _ in LRS],
        "max_lr": [rng.uniform(0.02, 0.5) for _ in LRS],
        "step_size_up": rng.randint(1, 300),
        "step_size_down": rng.choice([None, rng.randint(1, 300)]),
        "mode": mode,
        "gamma": rng.uniform(0.995, 1.0),
        "base_momentum": [rng.uniform(0.7, 0.85) for _ in LRS],
        "max_momentum": rng.uniform(0.9, 0.99),
    }
    _momenta_match(
        lambda o: L.CyclicLR(o, **options),
        compat.torch.CyclicLR(**options),
        compat.torch.CyclicMomentum(**options),
        steps=2_000,
        adam=adam,
    )


@pytest.mark.parametrize("adam", OPTIMIZERS)
@pytest.mark.parametrize("anneal", ["cos", "linear"])
@pytest.mark.parametrize(
    "three_phase", [pytest.param(False, id="two-phase"), pytest.param(True, id="three-phase")]
)
def test_one_cycle_momentum_is_what_one_cycle_lr_sets_in_every_group(
    three_phase: bool, anneal: str, adam: bool
) -> None:
    rng = random.Random(f"one-cycle-momentum-{three_phase}-{anneal}-{adam}")
    total = 1_500
    options: dict[str, Any] = {
        "max_lr": [rng.uniform(0.01, 1.0) for _ in LRS],
        "total_steps": total,
        "pct_start": rng.uniform(0.1, 0.45),
        "anneal_strategy": anneal,
        "base_momentum": [rng.uniform(0.7, 0.85) for _ in LRS],
        "max_momentum": [rng.uniform(0.9, 0.99) for _ in LRS],
        "div_factor": rng.uniform(5.0, 50.0),
        "three_phase": three_phase,
    }
    _momenta_match(
        lambda o: L.OneCycleLR(o, **options),
        compat.torch.OneCycleLR(**options),
        compat.torch.OneCycleMomentum(**options),
        steps=total,
        adam=adam,
    )


def test_cycle_momentum_false_accepts_the_lr_and_refuses_a_momentum_schedule() -> None:
    options = {"max_lr": 0.1, "total_steps": 100, "cycle_momentum": False}
    assert compat.torch.OneCycleLR(**options) == compat.torch.OneCycleLR(0.1, total_steps=100)
    with pytest.raises(ValueError, match="cycle_momentum must be True for OneCycleMomentum"):
        compat.torch.OneCycleMomentum(**options)
    with pytest.raises(ValueError, match="cycle_momentum must be True for CyclicMomentum"):
        compat.torch.CyclicMomentum(0.01, 0.1, cycle_momentum=False)


# --- bad inputs ---------------------------------------------------------------------------------

C: Any = compat.torch  # the table passes wrong types on purpose
BAD_INPUTS = [
    (lambda: C.StepLR(10, gamma=0.0), ValueError, "gamma must be a finite number > 0, got 0.0"),
    (lambda: C.MultiStepLR([10, -1]), ValueError, "milestones[1] must be an int >= 0, got -1"),
    (lambda: C.MultiStepLR(10), TypeError, "milestones must be a list of ints >= 0, got int 10"),
    (lambda: C.ConstantLR(1.5), ValueError, "factor must be a finite number >= 0 and <= 1, got 1.5"),
    (lambda: C.ConstantLR(0.5, total_iters=-1), ValueError, "total_iters must be an int >= 0, got -1"),
    (lambda: C.LinearLR(0.0), ValueError, "start_factor must be a finite number > 0 and <= 1, got 0.0"),
    (lambda: C.LinearLR(0.5, 1.5), ValueError, "end_factor must be a finite number >= 0 and <= 1, got 1.5"),
    (lambda: C.LinearLR(0.5, 1.0, 2.5), TypeError, "total_iters must be an int >= 0, got float 2.5"),
    (lambda: C.ExponentialLR(-0.5), ValueError, "gamma must be a finite number > 0, got -0.5"),
    (lambda: C.PolynomialLR(10, power=-1.0), ValueError, "power must be a finite number >= 0, got -1.0"),
    (lambda: C.CosineAnnealingLR(0), ValueError, "T_max must be a positive int, got 0"),
    (
        lambda: C.CosineAnnealingLR(100, eta_min=0.001),
        ValueError,
        "eta_min=0.001 is an absolute learning rate: pass base_lr= (the param group's initial learning rate),"
        " so that it becomes the multiplier eta_min / base_lr",
    ),
    (
        lambda: C.CosineAnnealingLR(100, eta_min=0.001, base_lr=0),
        ValueError,
        "base_lr must be a finite number other than 0, got 0.0",
    ),
    (lambda: C.CosineAnnealingWarmRestarts(10, T_mult=0), ValueError, "T_mult must be a positive int, got 0"),
    (
        lambda: C.CosineAnnealingWarmRestarts(10, T_mult=1.5),
        TypeError,
        "T_mult must be a positive int, got float 1.5",
    ),
    (
        lambda: C.CyclicLR([0.1, 0.2], [1.0, 2.0, 3.0]),
        ValueError,
        "base_lr and max_lr must be lists of one item per param group, as long as each other;"
        " got 2 and 3 items",
    ),
    (
        lambda: C.CyclicLR(0.1, 1.0, scale_fn=abs),
        TypeError,
        "scale_fn must be None, got builtin_function_or_method <built-in function abs>: a Python function"
        " is not a schedule; multiply the triangle by a schedule instead",
    ),
    (
        lambda: C.SWALR(0.05, anneal_epochs=-1, base_lr=0.1),
        ValueError,
        "anneal_epochs must be an int >= 0, got -1",
    ),
    (lambda: C.CyclicLR(0.1, 1.0, 0), ValueError, "step_size_up must be a positive int, got 0"),
    (
        lambda: C.CyclicLR(0.1, 1.0, mode="sine"),
        ValueError,
        "mode must be one of ('triangular', 'triangular2', 'exp_range'), got str 'sine'",
    ),
    (
        lambda: C.CyclicLR(0.1, 1.0, mode="exp_range", gamma=0),
        ValueError,
        "gamma must be a finite number > 0, got 0",
    ),
    (
        lambda: C.OneCycleLR(0.1),
        ValueError,
        "OneCycleLR needs total_steps, or both epochs and steps_per_epoch",
    ),
    (
        lambda: C.OneCycleLR(0.1, epochs=10),
        ValueError,
        "OneCycleLR needs total_steps, or both epochs and steps_per_epoch",
    ),
    (
        lambda: C.OneCycleLR(0.1, 100, pct_start=1.0),
        ValueError,
        "pct_start must be a finite number > 0 and < 1, got 1.0",
    ),
    (
        lambda: C.OneCycleLR(0.1, 100, div_factor=0),
        ValueError,
        "div_factor must be a finite number > 0, got 0",
    ),
    (lambda: C.OneCycleLR(0.1, 100, three_phase=1), TypeError, "three_phase must be a bool, got int 1"),
    (
        lambda: C.SequentialLR([sc.warmup(5)], [5]),
        ValueError,
        "SequentialLR got 1 schedulers and 1 milestones; it needs 0 milestones",
    ),
    (
        lambda: C.SequentialLR([sc.warmup(5), sc.warmup(5), sc.warmup(5)], [10, 5]),
        ValueError,
        "milestones must be non-decreasing, got [10, 5]",
    ),
    (lambda: C.SequentialLR([], []), ValueError, "schedulers must not be empty"),
    (
        lambda: C.SequentialLR([sc.warmup(5), "x"], [3]),
        TypeError,
        "schedulers[1] must be a schedule, got str 'x'",
    ),
    (lambda: C.ChainedScheduler([]), ValueError, "schedulers must not be empty"),
    (
        lambda: C.ChainedScheduler(sc.warmup(5)),
        TypeError,
        "schedulers must be a list of schedules, got Warmup warmup(5)",
    ),
]


@bad_inputs.cases(BAD_INPUTS)
def test_bad_arguments_name_the_parameter_and_the_value(
    call: Callable[[], Any], error: type[Exception], message: str
) -> None:
    bad_inputs.check(call, error, message)


def test_every_constructor_is_tested_against_torch() -> None:
    tested = {name.split("-")[0] for name in CASES}
    momenta = {"CyclicMomentum", "OneCycleMomentum"}  # the momentum tests above
    assert tested | momenta == set(compat.torch.__all__)
    assert all(hasattr(L, name) or hasattr(torch.optim.swa_utils, name) for name in tested)
