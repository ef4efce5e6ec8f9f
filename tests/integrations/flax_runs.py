"""Small flax trainings for ``test_flax.py``, in a process of their own.

``python -m tests.integrations.flax_runs FOLDER MODE`` trains a linen ``TrainState`` and an
``nnx.Optimizer``, both with ``optax.inject_hyperparams(optax.sgd)`` and
``learning_rate=adapters.optax.wrap(s, BASE)``, and prints one JSON line: for each, the
learning rate every update used (from the optimizer state) and the final weights.
``MODE`` is ``full`` (``UPDATES`` updates, an orbax checkpoint of each state after update
``SAVE`` in ``FOLDER``) or ``resume`` (restore the checkpoints, then the rest). ``full``
also trains with ``optax.scale_by_schedule(adapters.optax.wrap(s, -BASE))``.
"""

from __future__ import annotations

import json
import sys
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np
import optax
import orbax.checkpoint as ocp
from flax import linen, nnx
from flax.training import train_state

import schedcore as sc
from schedcore import adapters

UPDATES, SAVE, BASE = 12, 5, 0.05
SCHEDULE = sc.warmup(3) * sc.multistep([7], gamma=0.5) * sc.cosine(UPDATES, end=0.1)
X = jnp.linspace(-1.0, 1.0, 3 * 4 * UPDATES).reshape(UPDATES, 4, 3)
Y = (X.sum(axis=-1, keepdims=True)) ** 2


def transformation() -> optax.GradientTransformation:
    return optax.inject_hyperparams(optax.sgd)(
        learning_rate=adapters.optax.wrap(SCHEDULE, BASE), momentum=0.9
    )


def _loss(predict: Callable[[jax.Array], jax.Array], k: jax.Array) -> jax.Array:
    return jnp.mean((predict(X[k]) - Y[k]) ** 2)


# --- linen and TrainState -----------------------------------------------------------


def new_state(tx: optax.GradientTransformation) -> train_state.TrainState:
    model = linen.Dense(1)
    params = model.init(jax.random.key(0), X[0])
    state: train_state.TrainState = train_state.TrainState.create(  # type: ignore[no-untyped-call]
        apply_fn=model.apply, params=params, tx=tx
    )
    return state


@jax.jit
def linen_update(state: train_state.TrainState, k: jax.Array) -> train_state.TrainState:
    grads = jax.grad(lambda p: _loss(lambda x: state.apply_fn(p, x), k))(state.params)
    updated: train_state.TrainState = state.apply_gradients(grads=grads)  # type: ignore[no-untyped-call]
    return updated


def train_linen(folder: Path, mode: str) -> dict[str, Any]:
    state = new_state(transformation())
    start = 0
    if mode == "resume":
        with ocp.StandardCheckpointer() as checkpointer:
            state = checkpointer.restore(
                folder / "linen", jax.tree.map(ocp.utils.to_shape_dtype_struct, state)
            )
        start = SAVE
    lrs = []
    for k in range(start, UPDATES):
        state = linen_update(state, jnp.asarray(k))
        lrs.append(float(state.opt_state.hyperparams["learning_rate"]))  # what update k used
        if mode == "full" and k + 1 == SAVE:
            with ocp.StandardCheckpointer() as checkpointer:
                checkpointer.save(folder / "linen", state)
    return {"lrs": lrs, "weights": np.asarray(state.params["params"]["kernel"]).tolist()}


def train_with_scale_by_schedule() -> list[Any]:
    """``scale_by_adam`` then ``scale_by_schedule``: the schedule's base carries the minus sign."""
    chained = optax.chain(
        optax.scale_by_adam(), optax.scale_by_schedule(adapters.optax.wrap(SCHEDULE, -BASE))
    )
    weights = []
    for tx in (chained, optax.adam(adapters.optax.wrap(SCHEDULE, BASE))):
        state = new_state(tx)
        for k in range(UPDATES):
            state = linen_update(state, jnp.asarray(k))
        weights.append(np.asarray(state.params["params"]["kernel"]).tolist())
    return weights


# --- nnx ------------------------------------------------------------------------------


@nnx.jit
def nnx_update(model: nnx.Linear, optimizer: nnx.Optimizer[nnx.Linear], k: jax.Array) -> None:
    grads = nnx.grad(lambda m: _loss(m, k))(model)
    optimizer.update(model, grads)


def train_nnx(folder: Path, mode: str) -> dict[str, Any]:
    model = nnx.Linear(3, 1, rngs=nnx.Rngs(0))
    optimizer = nnx.Optimizer(model, transformation(), wrt=nnx.Param)
    start = 0
    if mode == "resume":
        abstract = jax.tree.map(ocp.utils.to_shape_dtype_struct, nnx.state((model, optimizer)))
        with ocp.StandardCheckpointer() as checkpointer:
            nnx.update((model, optimizer), checkpointer.restore(folder / "nnx", abstract))
        start = SAVE
    lrs = []
    for k in range(start, UPDATES):
        nnx_update(model, optimizer, jnp.asarray(k))
        lrs.append(float(optimizer.opt_state.hyperparams["learning_rate"][...]))
        if mode == "full" and k + 1 == SAVE:
            with ocp.StandardCheckpointer() as checkpointer:
                checkpointer.save(folder / "nnx", nnx.state((model, optimizer)))
    return {"lrs": lrs, "weights": np.asarray(model.kernel.value).tolist()}


def main() -> None:
    folder, mode = Path(sys.argv[1]).absolute(), sys.argv[2]
    warnings.simplefilter("ignore")
    report: dict[str, Any] = {"linen": train_linen(folder, mode), "nnx": train_nnx(folder, mode)}
    if mode == "full":
        counts = jnp.arange(UPDATES, dtype=jnp.int32)
        report["wrapped"] = np.asarray(jax.jit(adapters.optax.wrap(SCHEDULE, BASE))(counts)).tolist()
        report["scale_by_schedule"] = train_with_scale_by_schedule()
    print(json.dumps(report))


if __name__ == "__main__":
    main()
