"""Small Keras 3 trainings for ``test_keras.py``, in a process of their own (one backend each).

``KERAS_BACKEND=jax|torch python -m tests.integrations.keras_runs FOLDER MODE`` trains a
``Dense`` model with ``model.fit`` and ``SGD(learning_rate=adapters.keras.wrap(s, BASE),
momentum=0.9)``, one update per batch, and prints one JSON line: the learning rate every
update used (recorded by the optimizer inside its compiled update step) and the final
weights. ``MODE`` is ``full`` (``UPDATES`` updates, with ``model.save`` after update ``SAVE``
to ``FOLDER/model.keras``) or ``resume`` (``keras.models.load_model`` of that file, without
``custom_objects``, then the rest). ``full`` also trains with
``gradient_accumulation_steps=ACCUMULATE``, and with Keras's own ``CosineDecay`` beside
``compat.keras.CosineDecay``.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import keras
import numpy as np

import schedcore as sc
from schedcore import adapters, compat

UPDATES, SAVE, BASE, BATCH, ACCUMULATE = 12, 5, 0.05, 4, 3
SCHEDULE = sc.warmup(3) * sc.multistep([7], gamma=0.5) * sc.cosine(UPDATES, end=0.1)
X = np.linspace(-1.0, 1.0, 3 * BATCH * UPDATES * ACCUMULATE, dtype="float32").reshape(-1, 3)
Y = X.sum(axis=-1, keepdims=True) ** 2


@keras.saving.register_keras_serializable(package="schedcore_tests")
class RecordingSGD(keras.optimizers.SGD):  # type: ignore[misc]
    """SGD that keeps the learning rate of its last update in an optimizer variable."""

    def build(self, variables: Any) -> None:
        super().build(variables)
        self.used = self.add_variable(shape=(), dtype="float32", name="used_lr", initializer="zeros")

    def update_step(self, gradient: Any, variable: Any, learning_rate: Any) -> None:
        self.used.assign(keras.ops.cast(learning_rate, "float32"))
        super().update_step(gradient, variable, learning_rate)


class Record(keras.callbacks.Callback):  # type: ignore[misc]
    """The learning rate the optimizer used, after each batch."""

    def __init__(self) -> None:
        super().__init__()
        self.lrs: list[float] = []

    def on_train_batch_end(self, batch: int, logs: Any = None) -> None:
        self.lrs.append(float(keras.ops.convert_to_numpy(self.model.optimizer.used)))


def new_model(learning_rate: Any, accumulate: int | None = None) -> Any:
    keras.utils.set_random_seed(0)
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])
    optimizer = RecordingSGD(
        learning_rate=learning_rate, momentum=0.9, gradient_accumulation_steps=accumulate
    )
    model.compile(optimizer=optimizer, loss="mse")
    return model


def fit(model: Any, first: int, last: int) -> list[float]:
    """Train on the batches ``first .. last - 1``; the learning rate after each."""
    record = Record()
    rows = slice(first * BATCH, last * BATCH)
    model.fit(X[rows], Y[rows], batch_size=BATCH, epochs=1, shuffle=False, verbose=0, callbacks=[record])
    return record.lrs


def weights(model: Any) -> list[float]:
    return [float(w) for v in model.get_weights() for w in np.ravel(v)]


def main(folder: Path, mode: str) -> dict[str, Any]:
    path = folder / "model.keras"
    if mode == "resume":
        import schedcore.adapters.keras  # noqa: F401  registers "schedcore>KerasSchedule" with Keras

        model = keras.models.load_model(path)  # no custom_objects
        lrs = fit(model, SAVE, UPDATES)
        return {
            "lrs": lrs,
            "weights": weights(model),
            "schedule": repr(model.optimizer._learning_rate),
            "iterations": int(keras.ops.convert_to_numpy(model.optimizer.iterations)),
        }
    model = new_model(adapters.keras.wrap(SCHEDULE, BASE))
    lrs = fit(model, 0, SAVE)
    model.save(path)
    lrs += fit(model, SAVE, UPDATES)
    accumulating = new_model(
        adapters.keras.wrap(SCHEDULE, BASE, gradient_accumulation_steps=ACCUMULATE), ACCUMULATE
    )
    micro = fit(accumulating, 0, UPDATES * ACCUMULATE)
    keras_own = fit(
        new_model(keras.optimizers.schedules.CosineDecay(0.0, 8, 0.1, warmup_target=BASE, warmup_steps=4)),
        0,
        UPDATES,
    )
    ours = fit(
        new_model(
            adapters.keras.wrap(compat.keras.CosineDecay(0.0, 8, 0.1, warmup_target=BASE, warmup_steps=4))
        ),
        0,
        UPDATES,
    )
    return {
        "lrs": lrs,
        "weights": weights(model),
        "wrapped": [
            float(
                keras.ops.convert_to_numpy(
                    adapters.keras.wrap(SCHEDULE, BASE)(keras.ops.convert_to_tensor(k))
                )
            )
            for k in range(UPDATES)
        ],
        "accumulated": micro[ACCUMULATE - 1 :: ACCUMULATE],  # after each real update
        "accumulated_iterations": int(keras.ops.convert_to_numpy(accumulating.optimizer.iterations)),
        "keras_own": keras_own,
        "compat": ours,
    }


if __name__ == "__main__":
    print(json.dumps(main(Path(sys.argv[1]), sys.argv[2])))
