"""Small Lightning trainings for ``test_lightning.py``, run in a process of their own.

``python -m tests.integrations.lightning_runs FOLDER MODE`` trains every configuration of
:data:`CONFIGS` and prints one JSON line: for each, the learning rate of every optimizer
update and the final weight. ``MODE`` is ``full`` (all epochs, with Lightning's
``ModelCheckpoint`` saving one checkpoint per epoch in ``FOLDER``) or ``resume``
(``fit(ckpt_path=...)`` from the checkpoint of epoch ``STOP``, to the end).
"""

from __future__ import annotations

import json
import sys
import warnings
from pathlib import Path
from typing import Any

import lightning as L
import torch

import schedcore as sc
from schedcore import adapters

EPOCHS, STOP, BATCHES, BASE = 4, 2, 8, 0.1

#: name: (interval, accumulate_grad_batches)
CONFIGS = {"step": ("step", 1), "epoch": ("epoch", 1), "accumulate": ("step", 2)}


def schedule(interval: str, updates: int) -> sc.Schedule:
    """The schedule of a configuration: in updates for ``"step"``, in epochs for ``"epoch"``."""
    if interval == "epoch":
        return sc.multistep([1, 3], gamma=0.5)
    return sc.warmup(3) * sc.cosine(updates, end=0.1)


class Model(L.LightningModule):
    def __init__(self, interval: str) -> None:
        super().__init__()
        torch.manual_seed(0)
        self.layer = torch.nn.Linear(3, 1)
        self.interval = interval
        self.lrs: list[float] = []

    def training_step(self, batch: Any, batch_idx: int) -> torch.Tensor:
        x, y = batch
        return torch.nn.functional.mse_loss(self.layer(x), y)

    def on_before_optimizer_step(self, optimizer: torch.optim.Optimizer) -> None:
        self.lrs.append(optimizer.param_groups[0]["lr"])  # the value this update uses

    def configure_optimizers(self) -> Any:
        optimizer = torch.optim.SGD(self.parameters(), lr=BASE, momentum=0.9)
        # Optimizer updates, not batches: Lightning divides by accumulate_grad_batches.
        updates = int(self.trainer.estimated_stepping_batches)
        scheduler = adapters.torch.wrap(optimizer, schedule(self.interval, updates))
        return {"optimizer": optimizer, "lr_scheduler": {"scheduler": scheduler, "interval": self.interval}}


def data() -> torch.utils.data.DataLoader[Any]:
    x = torch.linspace(-1, 1, 3 * 2 * BATCHES).reshape(2 * BATCHES, 3)
    y = x.sum(dim=1, keepdim=True) ** 2
    return torch.utils.data.DataLoader(torch.utils.data.TensorDataset(x, y), batch_size=2, shuffle=False)


def train(folder: Path, mode: str, name: str) -> dict[str, Any]:
    interval, accumulate = CONFIGS[name]
    model = Model(interval)
    every_epoch = L.pytorch.callbacks.ModelCheckpoint(
        dirpath=folder / name, filename="{epoch}", save_top_k=-1, every_n_epochs=1
    )
    trainer = L.Trainer(
        max_epochs=EPOCHS,
        accelerator="cpu",
        devices=1,
        accumulate_grad_batches=accumulate,
        callbacks=[every_epoch],
        logger=False,
        enable_progress_bar=False,
        enable_model_summary=False,
    )
    resume = folder / name / f"epoch={STOP - 1}.ckpt" if mode == "resume" else None
    trainer.fit(model, data(), ckpt_path=resume)
    return {"lrs": model.lrs, "weight": model.layer.weight.detach().tolist()}


def main() -> None:
    folder, mode = Path(sys.argv[1]), sys.argv[2]
    warnings.simplefilter("ignore")  # Lightning's advice on workers and logging
    print(json.dumps({name: train(folder, mode, name) for name in CONFIGS}))


if __name__ == "__main__":
    main()
