"""Small accelerate trainings for ``test_accelerate.py``, in a process of their own.

``python -m tests.integrations.accelerate_runs FOLDER MODE`` trains with
``Accelerator(gradient_accumulation_steps=ACCUMULATE)`` and a prepared schedcore scheduler
(one process), and prints one JSON line: the learning rate of every optimizer update and
the final weight. ``MODE`` is ``full`` (``UPDATES`` updates, ``save_state`` into
``FOLDER`` after update ``SAVE``) or ``resume`` (``load_state`` from it, then the rest).
"""

from __future__ import annotations

import json
import sys
import warnings
from pathlib import Path
from typing import Any

import accelerate
import torch

import schedcore as sc
from schedcore import adapters

UPDATES, SAVE, ACCUMULATE, BASE = 12, 5, 2, 0.05
SCHEDULE = sc.warmup(3) * sc.cosine(UPDATES)


def train(folder: Path, mode: str) -> dict[str, Any]:
    accelerator = accelerate.Accelerator(cpu=True, gradient_accumulation_steps=ACCUMULATE)
    torch.manual_seed(0)
    model = torch.nn.Linear(3, 1)
    optimizer = torch.optim.SGD(model.parameters(), lr=BASE, momentum=0.9)
    scheduler = adapters.torch.wrap(optimizer, SCHEDULE)
    x = torch.linspace(-1, 1, 3 * 2 * UPDATES * ACCUMULATE).reshape(-1, 3)
    loader = torch.utils.data.DataLoader(
        torch.utils.data.TensorDataset(x, x.sum(1, keepdim=True) ** 2), batch_size=2
    )
    model, optimizer, loader, scheduler = accelerator.prepare(model, optimizer, loader, scheduler)
    done = 0
    if mode == "resume":
        accelerator.load_state(str(folder))
        done = SAVE
        loader = accelerator.skip_first_batches(loader, SAVE * ACCUMULATE)
    lrs: list[float] = []
    for inputs, targets in loader:
        with accelerator.accumulate(model):
            loss = torch.nn.functional.mse_loss(model(inputs), targets)
            accelerator.backward(loss)
            if accelerator.sync_gradients:
                lrs.append(optimizer.param_groups[0]["lr"])  # the value this update uses
            optimizer.step()
            scheduler.step()  # steps the scheduler only when the optimizer stepped
            optimizer.zero_grad()
        if accelerator.sync_gradients:
            done += 1
            if mode == "full" and done == SAVE:
                accelerator.save_state(str(folder))
    weight = accelerator.unwrap_model(model).weight.detach().tolist()
    return {"lrs": lrs, "weight": weight, "last_epoch": scheduler.scheduler.last_epoch}


def main() -> None:
    warnings.simplefilter("ignore")
    print(json.dumps(train(Path(sys.argv[1]), sys.argv[2])))


if __name__ == "__main__":
    main()
