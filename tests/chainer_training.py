"""A small, real Chainer training run for the adapter's and the compat constructors' tests.

``L.Classifier`` over ``L.Linear``, a ``SerialIterator`` and a ``StandardUpdater``
in a ``Trainer``. A pre-update hook on the optimizer records the value of the
scheduled attribute that each update uses, so ``values[k]`` is the value after
iteration ``k`` (the one update ``k + 1`` uses). Runs can snapshot themselves at an
iteration and be resumed from that snapshot in a fresh trainer.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

chainer = pytest.importorskip("chainer")
np = pytest.importorskip("numpy")

#: Samples in the dataset: not a multiple of the batch size, so epochs end mid-batch.
SAMPLES = 50
BATCH = 8

Extensions = Callable[[Any], Sequence[Any]]


def momentum_sgd(lr: float = 0.1) -> Any:
    return chainer.optimizers.MomentumSGD(lr=lr)


@dataclass
class Run:
    """A finished (or crashed) run: the trainer, and what each update used."""

    trainer: Any
    values: list[float] = field(default_factory=list)
    error: BaseException | None = None

    @property
    def optimizer(self) -> Any:
        return self.trainer.updater.get_optimizer("main")


def build(
    extensions: Extensions,
    *,
    iterations: int | tuple[int, str],
    out: Path,
    attr: str = "lr",
    optimizer: Callable[[], Any] = momentum_sgd,
    snapshot_at: int | None = None,
    samples: int = SAMPLES,
    batch: int = BATCH,
    others: dict[str, Any] | None = None,
) -> Run:
    """A trainer for ``iterations`` with the extensions ``extensions(trainer)`` returns.

    ``others`` are optimizers the updater holds besides ``"main"`` (it updates only
    ``"main"``).
    """
    rng = np.random.RandomState(0)
    points = rng.randn(samples, 3).astype(np.float32)
    labels = rng.randint(0, 2, samples).astype(np.int32)
    model = chainer.links.Classifier(chainer.links.Linear(3, 2))
    opt = optimizer()
    opt.setup(model)
    iterator = chainer.iterators.SerialIterator(chainer.datasets.TupleDataset(points, labels), batch)
    updater = chainer.training.updaters.StandardUpdater(iterator, {"main": opt, **(others or {})})
    stop = iterations if isinstance(iterations, tuple) else (iterations, "iteration")
    trainer = chainer.training.Trainer(updater, stop, out=str(out))
    run = Run(trainer)
    opt.add_hook(lambda o: run.values.append(getattr(o, attr)), name="record", timing="pre")
    for extension in extensions(trainer):
        trainer.extend(extension)
    if snapshot_at is not None:
        trainer.extend(
            chainer.training.extensions.snapshot(filename="snapshot"),
            trigger=chainer.training.triggers.ManualScheduleTrigger([snapshot_at], "iteration"),
        )
    return run


def train(extensions: Extensions, *, resume: Path | None = None, **options: Any) -> Run:
    """Build a trainer, load ``resume`` into it if given, and run it to its end.

    An exception raised by an extension is kept in ``Run.error``, with the values
    recorded up to it.
    """
    run = build(extensions, **options)
    if resume is not None:
        chainer.serializers.load_npz(str(resume), run.trainer)
    try:
        run.trainer.run(show_loop_exception_msg=False)
    except Exception as error:  # the extensions that crash are part of what is tested
        run.error = error
    return run


def interrupted(
    extensions: Extensions, tmp_path: Path, *, iterations: int | tuple[int, str], at: int, **options: Any
) -> tuple[Run, Run]:
    """An uninterrupted run that snapshots at ``at``, and a fresh trainer resumed from it.

    The resumed run's ``values[i]`` is the value update ``at + i + 1`` used.
    """
    first = train(extensions, iterations=iterations, out=tmp_path / "first", snapshot_at=at, **options)
    assert first.error is None, first.error
    second = train(
        extensions,
        iterations=iterations,
        out=tmp_path / "second",
        resume=tmp_path / "first" / "snapshot",
        **options,
    )
    return first, second
