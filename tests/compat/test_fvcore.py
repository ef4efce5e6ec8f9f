"""compat.fvcore against fvcore 0.1.5's ParamSchedulers, and detectron2's LRMultiplier rule.

Each case builds fvcore's scheduler and ours from the same arguments (seeded random),
and compares them at every fraction ``where = t / max_iter`` of a run, past its end:
fvcore's value where it gives a real number, and our documented hold where fvcore raises
or goes complex. detectron2 is not installed: its ``LRMultiplier`` rule is its documented
formula, "the learning rate of each parameter becomes its initial value multiplied by the
output of the given ParamScheduler", ``base_lr * multiplier(last_epoch / max_iter)``
(detectron2/solver/lr_scheduler.py), and its ``WarmupParamScheduler`` is built here from
fvcore's classes as that file builds it. Bound with ``compat.fvcore.LRMultiplier`` and
run through ``adapters.torch.wrap`` on three param groups, every group's learning rate
agrees at every update with that rule applied to fvcore's scheduler, to 1e-9 relative
(or 1e-15 of the group's rate near zero).
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

torch = pytest.importorskip("torch")
fv = pytest.importorskip("fvcore.common.param_scheduler")

import schedcore as sc  # noqa: E402
from schedcore import adapters, compat  # noqa: E402

F = compat.fvcore
LRS = (0.1, 0.03, 2e-4)
SEEDS = range(4)


def _detectron2_warmup(
    scheduler: Any, warmup_factor: float, warmup_length: float, warmup_method: str, rescale_interval: bool
) -> Any:
    """detectron2's WarmupParamScheduler, as detectron2/solver/lr_scheduler.py composes fvcore's classes."""
    end_value = scheduler(warmup_length)
    start_value = warmup_factor * scheduler(0.0)
    warmup = (
        fv.ConstantParamScheduler(start_value)
        if warmup_method == "constant"
        else fv.LinearParamScheduler(start_value, end_value)
    )
    return fv.CompositeParamScheduler(
        [warmup, scheduler],
        interval_scaling=["rescaled", "rescaled" if rescale_interval else "fixed"],
        lengths=[warmup_length, 1 - warmup_length],
    )


@dataclass
class Case:
    """fvcore's scheduler, ours, the run to bind them to, and whether fvcore's values past the end count.

    Past the end fvcore's ``LinearParamScheduler`` extrapolates and its
    ``PolynomialDecayParamScheduler`` powers a negative number; ours keep their end values
    there (documented), so those are compared up to the end only.
    """

    reference: Any
    ours: sc.Schedule
    max_iter: int
    past_end: bool = True


def _peer_value(reference: Any, where: float) -> float | None:
    """fvcore's value, or None where it raises or is not a real number."""
    try:
        value = reference(where)
    except (RuntimeError, IndexError):
        return None
    return value if isinstance(value, float | int) and not isinstance(value, bool) else None


def _close(got: float, expected: float, scale: float) -> bool:
    return abs(got - expected) <= max(1e-9 * abs(expected), 1e-15 * scale)


def check_fractions(case: Case, past: float = 1.5) -> float:
    """Ours against fvcore at every ``where = t / max_iter``; the worst relative difference."""
    worst = 0.0
    scale = max(1.0, *(abs(case.ours(t / 50)) for t in range(51)))
    for t in range(int(past * case.max_iter)):
        where = t / case.max_iter
        expected, got = _peer_value(case.reference, where), case.ours(where)
        assert math.isfinite(got), f"where {t}/{case.max_iter}: {got!r}"
        if expected is None or (where > 1.0 and not case.past_end):
            continue  # fvcore raises, goes complex, or extrapolates a line: ours keeps its value (documented)
        assert _close(got, expected, scale), (
            f"where {t}/{case.max_iter}: fvcore {expected!r}, schedcore {got!r}; {case.ours!r}"
        )
        if expected:
            worst = max(worst, abs(got - expected) / abs(expected))
    return worst


def check_bound(case: Case, past: float = 1.2) -> None:
    """LRMultiplier through the torch adapter against base_lr * fvcore(t / max_iter), every group."""
    params = [{"params": [torch.nn.Parameter(torch.zeros(1))], "lr": lr} for lr in LRS]
    optimizer = torch.optim.SGD(params, lr=LRS[0])
    scheduler = adapters.torch.wrap(optimizer, F.LRMultiplier(case.ours, max_iter=case.max_iter))
    for t in range(int(past * case.max_iter)):
        expected = _peer_value(case.reference, t / case.max_iter)
        if expected is not None and (t <= case.max_iter or case.past_end):
            for g, group in enumerate(optimizer.param_groups):
                want = LRS[g] * expected  # detectron2: base_lr * multiplier(last_epoch / max_iter)
                assert _close(group["lr"], want, LRS[g]), (
                    f"update {t}, group {g}: {want!r} vs {group['lr']!r}"
                )
        optimizer.step()
        scheduler.step()


def _run(rng: random.Random) -> int:
    return rng.choice([rng.randint(20, 400), rng.randint(400, 4_000)])


def _constant(rng: random.Random) -> tuple[Any, sc.Schedule, bool]:
    value = rng.uniform(0.01, 2.0)
    return fv.ConstantParamScheduler(value), F.ConstantParamScheduler(value), True


def _cosine(rng: random.Random) -> tuple[Any, sc.Schedule, bool]:
    a, b = rng.uniform(0.0, 1.0), rng.choice([0.0, rng.uniform(0.0, 1.0)])
    return fv.CosineParamScheduler(a, b), F.CosineParamScheduler(a, b), True


def _exponential(rng: random.Random) -> tuple[Any, sc.Schedule, bool]:
    a, d = rng.uniform(0.1, 2.0), rng.uniform(0.01, 1.5)
    return fv.ExponentialParamScheduler(a, d), F.ExponentialParamScheduler(a, d), True


def _linear(rng: random.Random) -> tuple[Any, sc.Schedule, bool]:
    a, b = rng.uniform(0.0, 1.0), rng.uniform(0.0, 1.0)
    return fv.LinearParamScheduler(a, b), F.LinearParamScheduler(a, b), False


def _multistep(rng: random.Random) -> tuple[Any, sc.Schedule, bool]:
    count = rng.randint(1, 4)
    values = [rng.uniform(0.001, 1.0) for _ in range(count + 1)]
    form = rng.choice(["both", "milestones", "updates"])
    if form == "updates":
        n = rng.randint(count + 1, 10**7)
        return (
            fv.MultiStepParamScheduler(values, num_updates=n),
            F.MultiStepParamScheduler(values, num_updates=n),
            True,
        )
    n = rng.randint(count + 2, 10**7)
    milestones = sorted(rng.sample(range(1, n), count))
    if form == "milestones":
        milestones, values = [*milestones, n], values
        return (
            fv.MultiStepParamScheduler(values, milestones=milestones),
            F.MultiStepParamScheduler(values, milestones=milestones),
            True,
        )
    return (
        fv.MultiStepParamScheduler(values, num_updates=n, milestones=milestones),
        F.MultiStepParamScheduler(values, num_updates=n, milestones=milestones),
        True,
    )


def _polynomial(rng: random.Random) -> tuple[Any, sc.Schedule, bool]:
    base, power = rng.uniform(0.1, 1.0), rng.choice([1.0, 2.0, rng.uniform(0.5, 3.0)])
    return fv.PolynomialDecayParamScheduler(base, power), F.PolynomialDecayParamScheduler(base, power), False


def _step(rng: random.Random) -> tuple[Any, sc.Schedule, bool]:
    values = [rng.uniform(0.001, 1.0) for _ in range(rng.randint(1, 7))]
    n = rng.randint(1, 500)
    return fv.StepParamScheduler(n, values), F.StepParamScheduler(n, values), True


def _fixed_gamma(rng: random.Random) -> tuple[Any, sc.Schedule, bool]:
    base, decays, gamma, n = (
        rng.uniform(0.01, 1.0),
        rng.randint(1, 5),
        rng.uniform(0.05, 0.9),
        rng.randint(1, 500),
    )
    return (
        fv.StepWithFixedGammaParamScheduler(base, decays, gamma, n),
        F.StepWithFixedGammaParamScheduler(base, decays, gamma, n),
        True,
    )


LEAVES = [_constant, _cosine, _exponential, _linear, _multistep, _polynomial, _step, _fixed_gamma]


def _composite(rng: random.Random, depth: int = 0) -> tuple[Any, sc.Schedule, bool]:
    count = rng.randint(2, 4)
    made = [
        (_composite(rng, depth + 1) if depth == 0 and rng.random() < 0.2 else rng.choice(LEAVES)(rng))
        for _ in range(count)
    ]
    cuts = sorted(rng.uniform(0.0, 1.0) for _ in range(count - 1))
    lengths = [b - a for a, b in zip([0.0, *cuts], [*cuts, 1.0], strict=True)]
    lengths[-1] += rng.choice([0.0, rng.uniform(-4e-4, 4e-4)])  # fvcore corrects a sum off by less than 1e-3
    lengths[-1] = max(lengths[-1], 0.0)
    scalings = [rng.choice(["rescaled", "fixed"]) for _ in range(count)]
    reference = fv.CompositeParamScheduler(
        [r for r, _, _ in made], lengths=list(lengths), interval_scaling=scalings
    )
    return reference, F.CompositeParamScheduler([o for _, o, _ in made], lengths, scalings), made[-1][2]


def _warmup(rng: random.Random) -> tuple[Any, sc.Schedule, bool]:
    reference, ours, past_end = rng.choice([_multistep, _cosine, _step, _polynomial])(rng)
    factor, length = rng.uniform(1e-4, 0.5), rng.choice([0.0, rng.uniform(0.0, 0.3)])
    method, rescale = rng.choice(["linear", "constant"]), rng.random() < 0.3
    return (
        _detectron2_warmup(reference, factor, length, method, rescale),
        F.WarmupParamScheduler(ours, factor, length, method, rescale),
        past_end,
    )


def _case(make: Callable[[random.Random], tuple[Any, sc.Schedule, bool]]) -> Callable[[random.Random], Case]:
    def case(rng: random.Random) -> Case:
        reference, ours, past_end = make(rng)
        return Case(reference, ours, _run(rng), past_end)

    return case


CASES: dict[str, Callable[[random.Random], Case]] = {
    "ConstantParamScheduler": _case(_constant),
    "CosineParamScheduler": _case(_cosine),
    "ExponentialParamScheduler": _case(_exponential),
    "LinearParamScheduler": _case(_linear),
    "MultiStepParamScheduler": _case(_multistep),
    "PolynomialDecayParamScheduler": _case(_polynomial),
    "StepParamScheduler": _case(_step),
    "StepWithFixedGammaParamScheduler": _case(_fixed_gamma),
    "CompositeParamScheduler": _case(_composite),
    "WarmupParamScheduler": _case(_warmup),
}


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("name", list(CASES))
def test_matches_fvcore_at_every_fraction_of_the_run(name: str, seed: int) -> None:
    check_fractions(CASES[name](random.Random(f"{name}-{seed}")))


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize(
    "name", ["MultiStepParamScheduler", "CompositeParamScheduler", "WarmupParamScheduler"]
)
def test_lr_multiplier_follows_detectron2s_rule_on_every_group(name: str, seed: int) -> None:
    check_bound(CASES[name](random.Random(f"bound-{name}-{seed}")))


@pytest.mark.parametrize(
    ("max_iter", "milestones"),
    [
        pytest.param(90_000, [60_000, 80_000], id="coco-1x"),
        pytest.param(
            1_000_000, [600_000, 900_000], id="a-million"
        ),  # t / max_iter + 1e-6 lands on the milestone
        pytest.param(10**7, [6 * 10**6], id="ten-million"),  # the margin is 10 updates
        pytest.param(270_000, [210_000, 250_000], id="coco-3x"),
    ],
)
def test_detectron2_multistep_switches_at_the_update_fvcore_does(
    max_iter: int, milestones: list[int]
) -> None:
    values = [1.0, 0.1, 0.01][: len(milestones) + 1]
    reference = _detectron2_warmup(
        fv.MultiStepParamScheduler(values, milestones=milestones, num_updates=max_iter),
        0.001,
        1000 / max_iter,
        "linear",
        False,
    )
    ours = F.LRMultiplier(
        F.WarmupParamScheduler(
            F.MultiStepParamScheduler(values, milestones=milestones, num_updates=max_iter),
            0.001,
            1000 / max_iter,
        ),
        max_iter,
    )
    near = [t for m in [*milestones, 1000] for t in range(m - 20, m + 20)]
    for t in near:
        assert _close(ours(t), reference(t / max_iter), 1.0), t


def test_a_fraction_schedule_is_bound_with_stretch() -> None:
    m = F.CosineParamScheduler(1.0, 0.0)
    assert F.LRMultiplier(m, 100) == sc.stretch(m, 100)
