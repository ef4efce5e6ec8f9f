"""compat.pytorch_warmup through adapters.torch.dampen, against pytorch_warmup 0.2.0 itself.

Both warmups dampen the same torch scheduler (or none) on twin optimizers with three
param groups for 10,000 steps; our dampener is resumed from its checkpoint mid-way.
The factor each applies agrees at every step to 1e-9 relative (1e-15 of the
learning rate near zero).
"""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import Any

import pytest

pytorch_warmup = pytest.importorskip("pytorch_warmup")
torch = pytest.importorskip("torch")

import schedcore as sc  # noqa: E402
from schedcore import adapters, compat  # noqa: E402
from tests import bad_inputs  # noqa: E402

L = torch.optim.lr_scheduler
LRS = (0.1, 0.03, 2e-4)
STEPS = 10_000


def _adam(beta2: float) -> Any:
    groups = [{"params": [torch.nn.Parameter(torch.zeros(1))], "lr": lr} for lr in LRS]
    return torch.optim.AdamW(groups, lr=LRS[0], betas=(0.9, beta2))


def _lrs(optimizer: Any) -> list[float]:
    return [group["lr"] for group in optimizer.param_groups]


INNER: dict[str, Callable[[Any], Any] | None] = {
    "none": None,
    "cosine": lambda o: L.CosineAnnealingLR(o, T_max=3_000),
    "step": lambda o: L.StepLR(o, step_size=700, gamma=0.7),
}


def run_side_by_side(
    peer: Callable[[Any], Any], schedule: sc.Schedule, beta2: float, inner: str, resume_at: int
) -> None:
    """The peer's warmup and ours dampen twin schedulers; compare every group at every step."""
    make_inner = INNER[inner]
    reference_optimizer, optimizer = _adam(beta2), _adam(beta2)
    reference_inner = make_inner(reference_optimizer) if make_inner else None
    our_inner = make_inner(optimizer) if make_inner else None
    reference = peer(reference_optimizer)
    ours = adapters.torch.dampen(optimizer, schedule)
    for t in range(STEPS):
        if t == resume_at:
            states = optimizer.state_dict(), ours.state_dict(), our_inner.state_dict() if our_inner else None
            optimizer = _adam(beta2)
            our_inner = make_inner(optimizer) if make_inner else None
            ours = adapters.torch.dampen(optimizer, schedule)
            ours.load_state_dict(states[1])
            optimizer.load_state_dict(states[0])
            if our_inner:
                our_inner.load_state_dict(states[2])
        for g, (expected, got) in enumerate(zip(_lrs(reference_optimizer), _lrs(optimizer), strict=True)):
            assert abs(got - expected) <= max(1e-9 * abs(expected), 1e-15 * LRS[g]), (
                f"step {t}, group {g}: pytorch_warmup {expected!r}, schedcore {got!r}"
            )
        if t in (0, resume_at):
            reference_optimizer.step()  # once: the updates themselves do not matter here
            optimizer.step()
        for warmup, scheduler in ((reference, reference_inner), (ours, our_inner)):
            with warmup.dampening():
                if scheduler:
                    scheduler.step()


def _linear(rng: random.Random) -> tuple[Callable[[Any], Any], sc.Schedule, float]:
    period = rng.choice([1, rng.randint(2, 5_000)])
    return (
        (lambda o: pytorch_warmup.LinearWarmup(o, period)),
        compat.pytorch_warmup.LinearWarmup(period),
        0.999,
    )


def _exponential(rng: random.Random) -> tuple[Callable[[Any], Any], sc.Schedule, float]:
    period = rng.randint(1, 5_000)
    return (
        (lambda o: pytorch_warmup.ExponentialWarmup(o, period)),
        compat.pytorch_warmup.ExponentialWarmup(period),
        0.999,
    )


def _beta2(rng: random.Random) -> float:
    return rng.choice([0.999, 0.98, 0.95, rng.uniform(0.9, 0.9995)])


def _untuned_linear(rng: random.Random) -> tuple[Callable[[Any], Any], sc.Schedule, float]:
    beta2 = _beta2(rng)
    return pytorch_warmup.UntunedLinearWarmup, compat.pytorch_warmup.UntunedLinearWarmup(beta2=beta2), beta2


def _untuned_exponential(rng: random.Random) -> tuple[Callable[[Any], Any], sc.Schedule, float]:
    beta2 = _beta2(rng)
    return (
        pytorch_warmup.UntunedExponentialWarmup,
        compat.pytorch_warmup.UntunedExponentialWarmup(beta2=beta2),
        beta2,
    )


def _radam(rng: random.Random) -> tuple[Callable[[Any], Any], sc.Schedule, float]:
    beta2 = rng.choice([0.999, rng.uniform(0.61, 0.9999)])
    return pytorch_warmup.RAdamWarmup, compat.pytorch_warmup.RAdamWarmup(beta2=beta2), beta2


CASES = {
    "LinearWarmup": _linear,
    "ExponentialWarmup": _exponential,
    "UntunedLinearWarmup": _untuned_linear,
    "UntunedExponentialWarmup": _untuned_exponential,
    "RAdamWarmup": _radam,
}


@pytest.mark.parametrize(
    ("name", "inner", "seed"),
    [
        pytest.param(name, inner, seed, id=f"{name}-{inner}-seed{seed}")
        for name in CASES
        for seed, inner in enumerate(INNER)
    ],
)
def test_dampening_matches_pytorch_warmup_at_every_step(name: str, inner: str, seed: int) -> None:
    rng = random.Random(f"{name}-{seed}")
    peer, schedule, beta2 = CASES[name](rng)
    run_side_by_side(peer, schedule, beta2, inner, resume_at=rng.randint(1, STEPS - 1))


def test_the_factors_follow_the_code_not_the_docstring() -> None:
    # pytorch_warmup's docstring says min(1, t / tau); its code, (t + 1) / tau.
    s = compat.pytorch_warmup.LinearWarmup(4)
    assert [s(t) for t in range(5)] == [0.25, 0.5, 0.75, 1.0, 1.0]
    optimizer = _adam(0.999)
    warmup = pytorch_warmup.LinearWarmup(optimizer, 4)
    peer = []
    for _ in range(5):
        peer.append(optimizer.param_groups[0]["lr"] / LRS[0])
        with warmup.dampening():
            pass
    assert peer == pytest.approx([s(t) for t in range(5)], rel=1e-15)


def test_untuned_periods_keep_the_peers_truncation() -> None:
    assert compat.pytorch_warmup.UntunedLinearWarmup(beta2=0.999) == compat.pytorch_warmup.LinearWarmup(1999)
    assert compat.pytorch_warmup.UntunedExponentialWarmup(
        beta2=0.999
    ) == compat.pytorch_warmup.ExponentialWarmup(999)
    optimizer = _adam(0.999)
    assert [p["warmup_period"] for p in pytorch_warmup.UntunedLinearWarmup(optimizer).warmup_params] == [
        1999
    ] * 3


C: Any = compat.pytorch_warmup  # the table passes wrong types on purpose
BAD_INPUTS = [
    (lambda: C.LinearWarmup([10, 20]), TypeError, "warmup_period must be a positive int, got list [10, 20]"),
    (lambda: C.ExponentialWarmup(2.5), TypeError, "warmup_period must be a positive int, got float 2.5"),
    (
        lambda: C.UntunedLinearWarmup(beta2=1.0),
        ValueError,
        "beta2 must be a finite number >= 0 and < 1, got 1.0",
    ),
    (
        lambda: C.UntunedExponentialWarmup(beta2=-0.1),
        ValueError,
        "beta2 must be a finite number >= 0 and < 1, got -0.1",
    ),
    (lambda: C.RAdamWarmup(beta2=0.5), ValueError, "beta2 must be a finite number > 0.6 and < 1, got 0.5"),
    (
        lambda: C.RAdamWarmup(beta2="0.999"),
        TypeError,
        "beta2 must be a finite number > 0.6 and < 1, got str '0.999'",
    ),
]


@bad_inputs.cases(BAD_INPUTS)
def test_bad_arguments_name_the_parameter_and_the_value(
    call: Callable[[], Any], error: type[Exception], message: str
) -> None:
    bad_inputs.check(call, error, message)


def test_every_warmup_is_tested_against_the_peer() -> None:
    assert set(CASES) == set(compat.pytorch_warmup.__all__)


# --- RAdamWarmup near beta2 = 1: exact where the peer's float arithmetic strays -----------------


@pytest.mark.parametrize("beta2", [0.999, 0.9999, 0.99999, 0.999999, 0.9999999])
def test_radam_warmup_is_exact_and_matches_the_peer_where_its_arithmetic_is_sound(beta2: float) -> None:
    mpmath = pytest.importorskip("mpmath")
    from tests import reference

    schedule = compat.pytorch_warmup.RAdamWarmup(beta2=beta2)
    peer = pytorch_warmup.RAdamWarmup(_adam(beta2))
    params = peer.warmup_params[0]
    steps = [*range(3_000), *range(3_000, 10**6, 9_973)]
    sound = 0
    for t in steps:
        exact = float(reference.value(schedule, t))
        assert schedule(t) == pytest.approx(exact, rel=1e-13, abs=0.0), f"step {t}"
        if params["offset"] != schedule._offset:  # type: ignore[attr-defined]
            continue
        theirs = peer.warmup_factor(t, **params)
        if abs(theirs - exact) <= 1e-10 * exact:  # the peer's own rounding is small here
            assert schedule(t) == pytest.approx(theirs, rel=1e-9, abs=0.0), f"step {t}"
            sound += 1
    if beta2 <= 0.99999:  # the peer's offset is the exact one; its rounding is large only at first
        assert sound >= 0.95 * len(steps)
    else:  # the peer's float rho_4 passes 4; exactly it is 3.9999975 (0.999999) or 3.99999975
        assert params["offset"] == schedule._offset - 1  # type: ignore[attr-defined]
        b = mpmath.mpf(beta2)
        rho_inf = 2 / (1 - b) - 1
        assert rho_inf - 2 * 4 * b**4 / (1 - b**4) < 4
