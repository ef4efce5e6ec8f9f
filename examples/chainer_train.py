"""Train a small classifier with Chainer, its learning rate and momentum set by schedcore.

    python examples/chainer_train.py --out result                         # 30 epochs
    python examples/chainer_train.py --out part --epochs 12               # stop early
    python examples/chainer_train.py --out rest --resume part/snapshot    # the other 18

The learning rate warms up over 100 iterations and drops tenfold at epochs 15 and 25
(counted as Chainer counts them: 1,000 samples in batches of 64, so epochs end
mid-batch); the momentum rises from 0.5 to 0.9 over the first 300 iterations, stated
in Chainer's own ``LinearShift`` terms. ``result/log`` and ``rest/log`` (a LogReport
entry per iteration) show the same ``lr`` and ``momentum`` at every iteration: the
resumed run, in a new process, continues exactly where the first one stopped.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from typing import Any

import numpy as np
from chainer import iterators, links, optimizers, serializers, training
from chainer.datasets import TupleDataset
from chainer.training import extensions

import schedcore as sc
from schedcore import adapters, compat


def blobs(samples: int = 1000, seed: int = 0) -> Any:
    """Two Gaussian blobs in the plane, labelled 0 and 1."""
    rng = np.random.RandomState(seed)
    labels = rng.randint(0, 2, samples).astype(np.int32)
    points = (rng.randn(samples, 2) + 2.0 * labels[:, None]).astype(np.float32)
    return TupleDataset(points, labels)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default="result", help="output directory (log, snapshot)")
    parser.add_argument("--epochs", type=int, default=30, help="stop after this many epochs")
    parser.add_argument("--resume", help="a snapshot to continue from")
    args = parser.parse_args(argv)

    model = links.Classifier(links.Linear(2, 2))
    optimizer = optimizers.MomentumSGD(lr=0.1)
    optimizer.setup(model)
    train = iterators.SerialIterator(blobs(), batch_size=64)
    updater = training.updaters.StandardUpdater(train, optimizer)
    trainer = training.Trainer(updater, (args.epochs, "epoch"), out=args.out)

    # A multiplier of the optimizer's lr (0.1, kept in snapshots): the warmup counts
    # iterations, the drops count the trainer's epochs.
    lr = sc.warmup(100) * adapters.chainer.per_epoch(sc.multistep([15, 25], gamma=0.1), trainer)
    trainer.extend(adapters.chainer.wrap(lr, "lr"))
    # Absolute values, as Chainer's LinearShift states them: wrap with base=1.0.
    momentum = compat.chainer.LinearShift((0.5, 0.9), (0, 300))
    trainer.extend(adapters.chainer.wrap(momentum, "momentum", base=1.0))

    every_iteration = (1, "iteration")
    trainer.extend(extensions.observe_lr(), trigger=every_iteration)
    trainer.extend(
        extensions.observe_value("momentum", lambda t: t.updater.get_optimizer("main").momentum),
        trigger=every_iteration,
    )
    trainer.extend(extensions.LogReport(trigger=every_iteration))
    trainer.extend(extensions.snapshot(filename="snapshot"), trigger=(args.epochs, "epoch"))

    if args.resume:
        serializers.load_npz(args.resume, trainer)
    trainer.run()
    print(
        f"epoch {updater.epoch}, iteration {updater.iteration}: lr {optimizer.lr:.4g},"
        f" momentum {optimizer.momentum:.4g}; per-iteration log in {args.out}/log"
    )


if __name__ == "__main__":
    main()
