"""Train a small PyTorch model with schedcore schedules driving the optimizer.

A linear-regression toy on synthetic data: the learning rate follows a warmup, two
drops and a polynomial decay, and the momentum a schedule of its own. Both are real
``LRScheduler`` objects, stepped after ``optimizer.step()``, once per update.

    python examples/torch_train.py --steps 600
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence

import torch

import schedcore as sc
from schedcore import adapters

FEATURES = 8


def make_data(count: int, seed: int = 0) -> tuple[torch.Tensor, torch.Tensor]:
    """``count`` noisy samples of a fixed linear function of ``FEATURES`` inputs."""
    generator = torch.Generator().manual_seed(seed)
    weights = torch.randn(FEATURES, 1, generator=generator)
    inputs = torch.randn(count, FEATURES, generator=generator)
    targets = inputs @ weights + 0.01 * torch.randn(count, 1, generator=generator)
    return inputs, targets


def schedules(steps: int) -> tuple[sc.Schedule, sc.Schedule]:
    """The learning-rate multiplier and the (absolute) momentum, for a run of ``steps`` updates."""
    warm = max(1, steps // 20)
    lr = (
        sc.warmup(warm)
        * sc.multistep([steps // 2, 3 * steps // 4], gamma=0.3)
        * sc.polynomial(steps, power=0.5)
    )
    momentum = 0.95 - 0.1 * sc.warmup(warm)  # high while the learning rate is small
    return lr, momentum


def train(steps: int = 600, *, batch: int = 32, seed: int = 0) -> dict[str, list[float]]:
    """Train; return the loss, learning rate and momentum used at every update."""
    torch.manual_seed(seed)
    inputs, targets = make_data(batch * steps, seed)
    model = torch.nn.Linear(FEATURES, 1)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
    lr_schedule, momentum_schedule = schedules(steps)
    lr_scheduler = adapters.torch.wrap(optimizer, lr_schedule)  # base: the optimizer's lr
    momentum_scheduler = adapters.torch.wrap(optimizer, momentum_schedule, key="momentum", base=1.0)
    history: dict[str, list[float]] = {"loss": [], "lr": [], "momentum": []}
    for step in range(steps):
        x = inputs[step * batch : (step + 1) * batch]
        y = targets[step * batch : (step + 1) * batch]
        history["lr"].append(optimizer.param_groups[0]["lr"])  # the values this update uses
        history["momentum"].append(optimizer.param_groups[0]["momentum"])
        optimizer.zero_grad()
        loss = torch.nn.functional.mse_loss(model(x), y)
        loss.backward()
        optimizer.step()
        lr_scheduler.step()  # after optimizer.step(), once per update
        momentum_scheduler.step()
        history["loss"].append(loss.item())
    return history


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=600, help="number of updates (default 600)")
    args = parser.parse_args(argv)
    history = train(args.steps)
    lr_schedule, _ = schedules(args.steps)
    print(f"schedule: {lr_schedule}")
    for step in sorted({0, *lr_schedule.breakpoints(args.steps), args.steps - 1}):
        print(
            f"step {step:5d}  lr {history['lr'][step]:.6f}  momentum {history['momentum'][step]:.3f}"
            f"  loss {history['loss'][step]:.6f}"
        )


if __name__ == "__main__":
    main()
