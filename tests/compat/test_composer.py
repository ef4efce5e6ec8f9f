"""compat.composer against Composer 0.32's own scheduler code, driven as its Trainer drives it.

Composer pins an old torch, so it is installed without its dependencies
(``requirements/main-nodeps.txt``), and ``import composer`` (which imports the trainer,
torchvision and more) cannot run here. These tests load Composer's real
``composer/optim/scheduler.py`` and ``composer/core/time.py`` (and the two small modules
they import) from the installed package under stub parent packages, and drive the real
schedulers with a minimal state object (``timestamp``, ``max_duration``,
``dataloader_len``, ``optimizers``): ``compile_composer_scheduler`` gives Composer's
``LambdaLR`` on an SGD with three param groups, stepped as ``Trainer._train_loop`` steps
it (after each batch, before the timestamp advances), with ``max_duration`` scaled by
the ratio as the trainer's ``_scale_max_duration_by_ssr`` scales it (``Time * ratio``).
No formula of Composer's is restated here. Beside it our schedule drives another SGD
through ``adapters.torch.wrap``; the learning rates agree at every update, past the end
of the run, to 1e-9 relative (or 1e-15 of the group's rate near zero).
"""

from __future__ import annotations

import importlib.util
import random
import sys
import types
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

torch = pytest.importorskip("torch")

import schedcore as sc  # noqa: E402
from schedcore import adapters, compat  # noqa: E402

LRS = (0.1, 0.03, 2e-4)
SEEDS = range(4)


def _composer_modules() -> tuple[Any, Any]:
    """Composer's ``scheduler`` and ``time`` modules, loaded from its files under stub packages."""
    spec = importlib.util.find_spec("composer")
    if spec is None or not spec.submodule_search_locations:
        pytest.skip("could not import 'composer'")  # the wording conftest.py's SCHEDCORE_REQUIRE reads
    root = Path(next(iter(spec.submodule_search_locations)))
    saved = {name: module for name, module in sys.modules.items() if name.split(".")[0] == "composer"}
    try:
        for name, folder in (
            ("composer", root),
            ("composer.core", root / "core"),
            ("composer.utils", root / "utils"),
            ("composer.optim", root / "optim"),
        ):
            package = types.ModuleType(name)
            package.__path__ = [str(folder)]
            sys.modules[name] = package

        def load(name: str, path: Path) -> Any:
            found = importlib.util.spec_from_file_location(name, path)
            assert found is not None
            assert found.loader is not None
            module = importlib.util.module_from_spec(found)
            sys.modules[name] = module
            found.loader.exec_module(module)
            return module

        sys.modules["composer.utils"].StringEnum = load(  # type: ignore[attr-defined]
            "composer.utils.string_enum", root / "utils" / "string_enum.py"
        ).StringEnum
        load("composer.core.serializable", root / "core" / "serializable.py")
        time = load("composer.core.time", root / "core" / "time.py")
        core = sys.modules["composer.core"]
        core.Time, core.TimeUnit, core.Timestamp = time.Time, time.TimeUnit, time.Timestamp  # type: ignore[attr-defined]
        core.State = _State  # type: ignore[attr-defined]  # only an annotation there
        scheduler = load("composer.optim.scheduler", root / "optim" / "scheduler.py")
    finally:
        for name in [n for n in sys.modules if n.split(".")[0] == "composer"]:
            del sys.modules[name]
        sys.modules.update(saved)
    return scheduler, time


@dataclass
class _State:
    """The part of Composer's ``State`` its schedulers read."""

    timestamp: Any
    max_duration: Any
    dataloader_len: int | None
    optimizers: tuple[Any, ...]


@pytest.fixture(scope="module")
def composer() -> tuple[Any, Any]:
    return _composer_modules()


def _optimizer() -> Any:
    groups = [{"params": [torch.nn.Parameter(torch.zeros(1))], "lr": lr} for lr in LRS]
    return torch.optim.SGD(groups, lr=LRS[0])


@dataclass
class Case:
    """A scheduler's name and arguments (time strings), and the trainer's settings."""

    name: str
    arguments: dict[str, Any]
    max_duration: str
    dataloader_len: int | None
    ratio: float


def run_side_by_side(composer: tuple[Any, Any], case: Case, extra: int = 60) -> float:
    """Composer's scheduler through its LambdaLR, ours through the adapter; the worst relative difference."""
    module, time = composer
    reference_optimizer, optimizer = _optimizer(), _optimizer()
    max_duration = time.Time.from_timestring(case.max_duration) * case.ratio  # the trainer's scaling
    state = _State(time.Timestamp(), max_duration, case.dataloader_len, (reference_optimizer,))
    peer = getattr(module, case.name)(**case.arguments)
    reference = module.compile_composer_scheduler(peer, state, case.ratio)
    schedule = getattr(compat.composer, case.name)(
        **case.arguments,
        max_duration=case.max_duration,
        dataloader_len=case.dataloader_len,
        scale_schedule_ratio=case.ratio,
    )
    ours = adapters.torch.wrap(optimizer, schedule)
    run = max_duration.value * (case.dataloader_len or 1 if max_duration.unit.value == "ep" else 1)
    worst = 0.0
    for k in range(run + extra):
        for g, (expected_group, group) in enumerate(
            zip(reference_optimizer.param_groups, optimizer.param_groups, strict=True)
        ):
            expected, got = expected_group["lr"], group["lr"]
            assert abs(got - expected) <= max(1e-9 * abs(expected), 1e-15 * LRS[g]), (
                f"update {k}, group {g}: Composer {expected!r}, schedcore {got!r}; {schedule!r}"
            )
            if expected:
                worst = max(worst, abs(got - expected) / abs(expected))
        reference_optimizer.step()
        optimizer.step()
        reference.step()  # Trainer._train_loop: the schedulers step, then the timestamp advances
        state.timestamp = state.timestamp.to_next_batch(samples=1)
        ours.step()
    return worst


def _time(rng: random.Random, batches: int, epoch: int | None) -> str:
    """A time string for about ``batches`` batches, in a random unit."""
    units = ["ba", "dur"] + (["ep"] if epoch else [])
    unit = rng.choice(units)
    if unit == "ba":
        return f"{max(1, batches)}ba"
    if unit == "ep":
        return f"{max(1, round(batches / epoch))}ep"  # type: ignore[operator]
    return f"{rng.uniform(0.05, 1.0):.4g}dur"


def _run(rng: random.Random) -> tuple[str, int | None, float]:
    epoch = rng.choice([None, rng.randint(3, 40)])
    duration = f"{rng.randint(50, 1200)}ba" if epoch is None else f"{rng.randint(2, 30)}ep"
    ratio = rng.choice([1.0, rng.uniform(0.3, 2.0)])
    return duration, epoch or rng.choice([None, rng.randint(3, 40)]), ratio


def _case(
    name: str, arguments: Callable[[random.Random, int | None], dict[str, Any]]
) -> Callable[[random.Random], Case]:
    def case(rng: random.Random) -> Case:
        duration, epoch, ratio = _run(rng)
        return Case(name, arguments(rng, epoch), duration, epoch, ratio)

    return case


def _warm(rng: random.Random, epoch: int | None) -> dict[str, Any]:
    return {"t_warmup": _time(rng, rng.randint(1, 200), epoch), "scale_warmup": rng.random() < 0.5}


CASES: dict[str, Callable[[random.Random], Case]] = {
    "StepScheduler": _case(
        "StepScheduler",
        lambda r, e: {"step_size": _time(r, r.randint(5, 300), e), "gamma": r.uniform(0.1, 0.9)},
    ),
    "MultiStepScheduler": _case(
        "MultiStepScheduler",
        lambda r, e: {
            "milestones": [_time(r, r.randint(0, 900), e) for _ in range(r.randint(0, 4))],
            "gamma": r.uniform(0.1, 0.9),
        },
    ),
    "ConstantScheduler": _case(
        "ConstantScheduler",
        lambda r, e: {"alpha": r.uniform(0.1, 2.0), "t_max": _time(r, r.randint(0, 900), e)},
    ),
    "LinearScheduler": _case(
        "LinearScheduler",
        lambda r, e: {
            "alpha_i": r.uniform(0, 1),
            "alpha_f": r.uniform(0, 1),
            "t_max": _time(r, r.randint(5, 900), e),
        },
    ),
    "ExponentialScheduler": _case(
        "ExponentialScheduler",
        lambda r, e: {"gamma": r.uniform(0.3, 0.99), "decay_period": _time(r, r.randint(20, 400), e)},
    ),
    "CosineAnnealingScheduler": _case(
        "CosineAnnealingScheduler",
        lambda r, e: {"t_max": _time(r, r.randint(5, 900), e), "alpha_f": r.uniform(0, 0.5)},
    ),
    "CosineAnnealingWarmRestartsScheduler": _case(
        "CosineAnnealingWarmRestartsScheduler",
        lambda r, e: {
            "t_0": _time(r, r.randint(5, 200), e),
            "t_mult": r.choice([1.0, 2.0, r.uniform(0.5, 2.5)]),
            "alpha_f": r.uniform(0, 0.5),
        },
    ),
    "PolynomialScheduler": _case(
        "PolynomialScheduler",
        lambda r, e: {
            "power": r.uniform(0.5, 3.0),
            "t_max": _time(r, r.randint(5, 900), e),
            "alpha_f": r.uniform(0, 0.5),
        },
    ),
    "MultiStepWithWarmupScheduler": _case(
        "MultiStepWithWarmupScheduler",
        lambda r, e: {
            **_warm(r, e),
            "milestones": [_time(r, r.randint(0, 900), e) for _ in range(r.randint(0, 3))],
            "gamma": r.uniform(0.1, 0.9),
        },
    ),
    "ConstantWithWarmupScheduler": _case(
        "ConstantWithWarmupScheduler", lambda r, e: {**_warm(r, e), "alpha": r.uniform(0.1, 2.0)}
    ),
    "LinearWithWarmupScheduler": _case(
        "LinearWithWarmupScheduler",
        lambda r, e: {**_warm(r, e), "alpha_i": r.uniform(0.5, 1), "alpha_f": r.uniform(0, 0.5)},
    ),
    "CosineAnnealingWithWarmupScheduler": _case(
        "CosineAnnealingWithWarmupScheduler", lambda r, e: {**_warm(r, e), "alpha_f": r.uniform(0, 0.5)}
    ),
    "PolynomialWithWarmupScheduler": _case(
        "PolynomialWithWarmupScheduler",
        lambda r, e: {**_warm(r, e), "power": r.uniform(0.5, 3.0), "alpha_f": r.uniform(0, 0.5)},
    ),
}


def _valid(case: Case) -> bool:
    """Whether Composer itself runs the case: it divides by lengths that round to 0 batches."""
    try:
        getattr(compat.composer, case.name)(
            **case.arguments,
            max_duration=case.max_duration,
            dataloader_len=case.dataloader_len,
            scale_schedule_ratio=case.ratio,
        )
    except ValueError:
        return False
    return True


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("name", list(CASES))
def test_matches_composer_at_every_update(composer: tuple[Any, Any], name: str, seed: int) -> None:
    rng = random.Random(f"{name}-{seed}")
    case = CASES[name](rng)
    while not _valid(case):  # a draw Composer would reject or crash on: draw again
        case = CASES[name](rng)
    run_side_by_side(composer, case)


def test_updates_run_one_batch_late_as_the_trainer_steps_them() -> None:
    s = compat.composer.LinearScheduler(1.0, 0.0, "4ba", max_duration="4ba")
    assert [s(t) for t in range(6)] == [1.0, 1.0, 0.75, 0.5, 0.25, 0.0]
    assert s == sc.join([sc.constant(1.0), sc.linear(1.0, 0.0, 4)], [1])


def test_the_scale_schedule_ratio_truncates_times_to_whole_batches(composer: tuple[Any, Any]) -> None:
    case = Case("MultiStepScheduler", {"milestones": ["3ep", "7ba"], "gamma": 0.5}, "10ep", 7, 0.37)
    run_side_by_side(composer, case)
    s = compat.composer.MultiStepScheduler(
        ["3ep", "7ba"], 0.5, max_duration="10ep", dataloader_len=7, scale_schedule_ratio=0.37
    )
    assert s == sc.join([sc.constant(1.0), sc.multistep([2, 7], 0.5)], [1])  # int(7 * 0.37), int(21 * 0.37)


def test_a_time_in_samples_is_refused() -> None:
    with pytest.raises(ValueError, match="t_max must be in batches, epochs or a fraction of the run"):
        compat.composer.CosineAnnealingScheduler("100sp", max_duration="10ba")
