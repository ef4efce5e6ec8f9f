"""Train a small linear regression with optax, its learning rate driven by a schedcore schedule.

    python examples/jax_train.py [--steps 2000] [--lr 0.05]

The schedule is written once, as a multiplier of the peak learning rate: a linear
warmup over the first tenth of the run, drops by 10x at half and three quarters of
it, and a cosine under both. ``adapters.optax.wrap`` turns it into an optax
schedule that runs inside the jitted update, on optax's own step counter.
``optax.inject_hyperparams`` keeps the value each update used in the optimizer
state, so the log shows the learning rate next to the loss.
"""

from __future__ import annotations

import argparse
from typing import Any

import jax
import jax.numpy as jnp
import optax

import schedcore as sc
from schedcore import adapters


def make_schedule(steps: int) -> sc.Schedule:
    """The multiplier of the peak learning rate at each update."""
    return (
        sc.warmup(max(steps // 10, 1))
        * sc.multistep([steps // 2, 3 * steps // 4], gamma=0.1)
        * sc.cosine(steps, end=0.1)
    )


def make_data(key: Any, samples: int = 512, features: int = 8) -> tuple[Any, Any, Any]:
    """Noisy targets of a random linear model: inputs, targets and the true weights."""
    k_x, k_w, k_noise = jax.random.split(key, 3)
    x = jax.random.normal(k_x, (samples, features))
    w = jax.random.normal(k_w, (features,))
    y = x @ w + 0.5 + 0.01 * jax.random.normal(k_noise, (samples,))
    return x, y, w


def main(argv: list[str] | None = None) -> float:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=2_000, help="number of updates")
    parser.add_argument("--lr", type=float, default=0.05, help="peak learning rate")
    args = parser.parse_args(argv)

    schedule = make_schedule(args.steps)
    print(f"schedule: {args.lr} * {schedule!r}")
    learning_rate = adapters.optax.wrap(schedule, base=args.lr)
    optimizer = optax.inject_hyperparams(optax.adamw)(learning_rate=learning_rate, weight_decay=1e-4)

    x, y, true_w = make_data(jax.random.PRNGKey(0))
    params = {"w": jnp.zeros(x.shape[1]), "b": jnp.zeros(())}
    state = optimizer.init(params)

    def loss_fn(params: Any) -> Any:
        return jnp.mean((x @ params["w"] + params["b"] - y) ** 2)

    @jax.jit
    def step(params: Any, state: Any) -> tuple[Any, Any, Any]:
        loss, grads = jax.value_and_grad(loss_fn)(params)
        updates, state = optimizer.update(grads, state, params)
        return optax.apply_updates(params, updates), state, loss

    every = max(args.steps // 10, 1)
    for t in range(args.steps):
        params, state, loss = step(params, state)
        if t % every == 0 or t == args.steps - 1:
            used = float(state.hyperparams["learning_rate"])  # the value update t used
            print(f"step {t:6d}  lr {used:.6e}  loss {float(loss):.6e}")

    final = float(loss_fn(params))
    error = float(jnp.max(jnp.abs(params["w"] - true_w)))
    print(f"final loss {final:.6e}  max weight error {error:.3e}  bias {float(params['b']):.4f}")
    return final


if __name__ == "__main__":
    main()
