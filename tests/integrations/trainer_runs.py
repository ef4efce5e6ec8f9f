"""Small Hugging Face ``Trainer`` runs for ``test_trainer.py``, in a process of their own.

``python -m tests.integrations.trainer_runs FOLDER MODE`` trains with
``optimizers=(optimizer, adapters.torch.wrap(optimizer, s))`` and prints one JSON line:
the learning rate of every optimizer update, the logged ``learning_rate`` of every step
and the final weight. ``MODE`` is ``full`` (``MAX_STEPS`` updates, a checkpoint every
``SAVE`` updates in ``FOLDER``) or ``resume`` (``train(resume_from_checkpoint=...)`` from
the checkpoint at update ``SAVE``).
"""

from __future__ import annotations

import json
import os
import sys
import warnings
from pathlib import Path
from typing import Any

import torch
import transformers

import schedcore as sc
from schedcore import adapters

MAX_STEPS, SAVE, ACCUMULATE, BATCH, BASE = 12, 5, 2, 2, 0.05
SCHEDULE = sc.warmup(4) * sc.multistep([8], gamma=0.5)


class Regression(torch.nn.Module):
    """The smallest model the ``Trainer`` runs: it returns its loss."""

    def __init__(self) -> None:
        super().__init__()
        torch.manual_seed(0)
        self.layer = torch.nn.Linear(3, 1)

    def forward(self, x: torch.Tensor, labels: torch.Tensor) -> dict[str, torch.Tensor]:
        return {"loss": torch.nn.functional.mse_loss(self.layer(x), labels)}


class Recorder(transformers.TrainerCallback):
    """Records the learning rate each optimizer update uses."""

    def __init__(self) -> None:
        self.lrs: list[float] = []

    def on_pre_optimizer_step(self, args: Any, state: Any, control: Any, **kwargs: Any) -> None:
        self.lrs.append(kwargs["optimizer"].param_groups[0]["lr"])


def dataset() -> list[dict[str, torch.Tensor]]:
    count = MAX_STEPS * ACCUMULATE * BATCH
    x = torch.linspace(-1, 1, 3 * count).reshape(count, 3)
    return [{"x": row, "labels": row.sum().reshape(1) ** 2} for row in x]


def train(folder: Path, mode: str) -> dict[str, Any]:
    model = Regression()
    optimizer = torch.optim.SGD(model.parameters(), lr=BASE, momentum=0.9)
    recorder = Recorder()
    arguments = transformers.TrainingArguments(
        output_dir=str(folder),
        max_steps=MAX_STEPS,
        per_device_train_batch_size=BATCH,
        gradient_accumulation_steps=ACCUMULATE,
        save_steps=SAVE,
        logging_steps=1,
        report_to=[],
        use_cpu=True,
        disable_tqdm=True,
        dataloader_num_workers=0,
        seed=0,
    )
    trainer = transformers.Trainer(
        model=model,
        args=arguments,
        train_dataset=dataset(),
        optimizers=(optimizer, adapters.torch.wrap(optimizer, SCHEDULE)),
        callbacks=[recorder],
    )
    resume = str(folder / f"checkpoint-{SAVE}") if mode == "resume" else None
    trainer.train(resume_from_checkpoint=resume)
    logged = [
        (entry["step"], entry["learning_rate"])
        for entry in trainer.state.log_history
        if "learning_rate" in entry
    ]
    return {"lrs": recorder.lrs, "logged": logged, "weight": model.layer.weight.detach().tolist()}


def main() -> None:
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    warnings.simplefilter("ignore")  # advice about the model not being a PreTrainedModel
    transformers.logging.set_verbosity_error()  # type: ignore[no-untyped-call]
    print(json.dumps(train(Path(sys.argv[1]), sys.argv[2])))


if __name__ == "__main__":
    main()
