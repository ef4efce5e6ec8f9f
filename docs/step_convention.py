"""Where each framework's linear warmup peaks: the data and the figure of the step-convention page.

Every recorder below runs a real peer library and returns the multiplier that each
of the updates ``t = 0 .. UPDATES - 1`` uses, for a linear warmup of ``TAU`` updates
written the way that library's users write it (base learning rate 1). Run

    PYTHONPATH=. .envs/main/bin/python docs/step_convention.py

in the main environment (torch, optax, transformers, pytorch_warmup, keras) and again in the
chainer environment: each run records the peers it can import into
``docs/data/step_convention.json``. ``tests/docs/test_step_convention.py`` runs the
recorders again and compares them with the file, so the figure cannot drift from
what the peers do. The docs build draws the figure with :func:`figure` from that file
and from schedcore itself; it needs none of the peers.
"""

from __future__ import annotations

import io
import json
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import schedcore as sc

#: Length of the warmup, in updates.
TAU = 5
#: Updates shown: ``t = 0 .. UPDATES - 1``.
UPDATES = 10
#: Where the recorded values live.
DATA = Path(__file__).resolve().parent / "data" / "step_convention.json"


def schedcore_values() -> list[float]:
    """``sc.warmup(TAU)``: the multiplier of update ``t`` is ``s(t)``."""
    return [sc.warmup(TAU)(t) for t in range(UPDATES)]


def optax_values() -> list[float]:
    """``optax.linear_schedule``, called with the update count as optax's optimizers do."""
    import optax

    schedule = optax.linear_schedule(init_value=0.0, end_value=1.0, transition_steps=TAU)
    return [float(schedule(count)) for count in range(UPDATES)]


def _sgd() -> Any:
    import torch

    return torch.optim.SGD([torch.nn.Parameter(torch.zeros(1))], lr=1.0)


def _torch_run(optimizer: Any, step: Callable[[], None]) -> list[float]:
    """The lr of each update: read it, update, then advance the schedule as torch users do."""
    used = []
    for _ in range(UPDATES):
        used.append(float(optimizer.param_groups[0]["lr"]))
        optimizer.step()
        step()
    return used


def torch_values() -> list[float]:
    """``torch.optim.lr_scheduler.LinearLR``; its ``start_factor`` must be above 0."""
    import torch

    optimizer = _sgd()
    scheduler = torch.optim.lr_scheduler.LinearLR(optimizer, start_factor=0.2, total_iters=TAU)
    return _torch_run(optimizer, scheduler.step)


def transformers_values() -> list[float]:
    """``transformers.get_constant_schedule_with_warmup``."""
    import transformers

    optimizer = _sgd()
    scheduler = transformers.get_constant_schedule_with_warmup(optimizer, num_warmup_steps=TAU)
    return _torch_run(optimizer, scheduler.step)


def pytorch_warmup_values() -> list[float]:
    """``pytorch_warmup.LinearWarmup``, stepped with its ``dampening()`` context manager."""
    import pytorch_warmup

    optimizer = _sgd()
    warmup = pytorch_warmup.LinearWarmup(optimizer, warmup_period=TAU)

    def step() -> None:
        with warmup.dampening():
            pass

    return _torch_run(optimizer, step)


def chainer_values() -> list[float]:
    """Chainer's ``WarmupShift`` in a real trainer; the lr of each update is read by the updater."""
    import chainer
    import numpy as np
    from chainer import training
    from chainer.training import extensions

    model = chainer.links.Linear(1, 1)
    optimizer = chainer.optimizers.SGD(lr=1.0)
    optimizer.setup(model)
    data = [(np.zeros(1, dtype=np.float32), np.zeros(1, dtype=np.float32))]
    used: list[float] = []

    class RecordingUpdater(training.updaters.StandardUpdater):  # type: ignore[misc]
        def update_core(self) -> None:
            used.append(float(self.get_optimizer("main").lr))
            super().update_core()

    def loss(x: Any, y: Any) -> Any:
        return chainer.functions.mean_squared_error(model(x), y)

    updater = RecordingUpdater(chainer.iterators.SerialIterator(data, 1), optimizer, loss_func=loss)
    with tempfile.TemporaryDirectory() as out:
        trainer = training.Trainer(updater, (UPDATES, "iteration"), out=out)
        trainer.extend(extensions.WarmupShift("lr", 0.0, TAU, 1.0))
        trainer.run(show_loop_exception_msg=False)
    return used


def keras_values() -> list[float]:
    """Keras's ``CosineDecay`` with a warmup, read from the optimizer before each update it applies."""
    import os

    os.environ.setdefault("KERAS_BACKEND", "jax")  # its default, TensorFlow, is not installed
    import keras

    schedule = keras.optimizers.schedules.CosineDecay(0.0, 1_000, warmup_target=1.0, warmup_steps=TAU)
    optimizer = keras.optimizers.SGD(learning_rate=schedule)
    weight = keras.Variable(0.0)
    used = []
    for _ in range(UPDATES):
        used.append(float(keras.ops.convert_to_numpy(optimizer.learning_rate)))  # what this update uses
        optimizer.apply_gradients([(keras.ops.convert_to_tensor(1.0), weight)])
    return used


@dataclass(frozen=True)
class Peer:
    """A peer library's warmup, as the figure shows it."""

    package: str
    label: str
    call: str
    record: Callable[[], list[float]]


PEERS = {
    "optax": Peer("optax", "optax", "linear_schedule(0.0, 1.0, transition_steps=5)", optax_values),
    "transformers": Peer(
        "transformers",
        "transformers",
        "get_constant_schedule_with_warmup(opt, num_warmup_steps=5)",
        transformers_values,
    ),
    "chainer": Peer("chainer", "Chainer", 'WarmupShift("lr", 0.0, 5, 1.0)', chainer_values),
    "torch": Peer("torch", "PyTorch", "LinearLR(opt, start_factor=0.2, total_iters=5)", torch_values),
    "pytorch_warmup": Peer(
        "pytorch_warmup", "pytorch_warmup", "LinearWarmup(opt, warmup_period=5)", pytorch_warmup_values
    ),
    "keras": Peer(
        "keras", "Keras", "CosineDecay(0.0, 1000, warmup_target=1.0, warmup_steps=5)", keras_values
    ),
}


def load() -> dict[str, list[float]]:
    """The recorded values, by peer."""
    data: dict[str, list[float]] = json.loads(DATA.read_text())["values"]
    return data


def record() -> list[str]:
    """Record every peer that can be imported here into :data:`DATA`; return their names."""
    import importlib.metadata
    import importlib.util

    stored = json.loads(DATA.read_text()) if DATA.exists() else {"values": {}, "versions": {}}
    recorded = []
    for name, peer in PEERS.items():
        if importlib.util.find_spec(peer.package) is not None:
            stored["values"][name] = peer.record()
            stored["versions"][name] = importlib.metadata.version(peer.package.replace("_", "-"))
            recorded.append(name)
    names = [name for name in PEERS if name in stored["values"]]
    lines = [
        "{",
        f'  "tau": {TAU},',
        f'  "updates": {UPDATES},',
        '  "versions": {' + ", ".join(f'"{n}": "{stored["versions"][n]}"' for n in names) + "},",
        '  "values": {',
        ",\n".join(f'    "{n}": {json.dumps(stored["values"][n])}' for n in names),
        "  }",
        "}",
    ]
    DATA.parent.mkdir(exist_ok=True)
    DATA.write_text("\n".join(lines) + "\n")
    return recorded


def figure(file_format: str = "svg") -> bytes:
    """Draw, for schedcore and each recorded peer, the multiplier that each update uses.

    One row per library: a bar per update ``t``, the first update at the full
    multiplier highlighted, and the call that builds the warmup.
    """
    from matplotlib.figure import Figure

    recorded = load()
    rows = [("schedcore", "sc.warmup(5)", schedcore_values())]
    rows += [(peer.label, peer.call, recorded[name]) for name, peer in PEERS.items()]
    fig = Figure(figsize=(8, 1.05 * len(rows) + 0.7), layout="constrained")
    axes = fig.subplots(len(rows), 1, sharex=True)
    for ax, (label, call, values) in zip(axes, rows, strict=True):
        peak = next(t for t, v in enumerate(values) if v >= 1 - 1e-6)
        colours = ["#1f77b4" if t != peak else "#d62728" for t in range(UPDATES)]
        ax.bar(range(UPDATES), values, color=colours, width=0.6)
        for t, v in enumerate(values[: peak + 1]):
            ax.text(t, v + 0.05, f"{v:.2g}", ha="center", va="bottom", fontsize=7)
        ax.set_ylim(0, 1.3)
        ax.set_yticks([0, 1])
        ax.set_title(f"{label}: {call}", loc="left", fontsize=8.5, family="monospace")
        ax.set_title(f"full multiplier from t = {peak}", loc="right", fontsize=8.5, color="#d62728")
        ax.spines[["top", "right"]].set_visible(False)
    axes[-1].set_xticks(range(UPDATES))
    axes[-1].set_xlabel("update t (the first update is t = 0; base learning rate 1)")
    buffer = io.BytesIO()
    metadata = {"svg": {"Date": None}, "png": {"Software": None}}.get(file_format)
    fig.savefig(buffer, format=file_format, metadata=metadata)
    return buffer.getvalue()


if __name__ == "__main__":
    names = record()
    print(f"recorded {', '.join(names) or 'nothing'} into {DATA}", file=sys.stderr)
