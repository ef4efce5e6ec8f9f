"""Keras's schedules and compat.keras through adapters.keras, side by side on one Keras backend.

``python -m tests.compat.keras_runs OUT.npz`` in a process whose ``KERAS_BACKEND`` is ``jax``
or ``torch`` evaluates every case of :data:`CASES` at every step of :func:`steps`: Keras's
own schedule and ``adapters.keras.wrap(compat.keras...)``, each called the way the
optimizer calls it, on int32 counters, in float32 (jitted on JAX, as ``fit`` runs it; eager
on torch). On torch it adds both in float64 (``floatx="float64"``): Keras's eager float64
values are the exact reference where its float32 arithmetic strays. One process per
backend, since Keras picks its backend once per process (tests/compat/test_keras.py).

Keras's ``floatx="float64"`` alone is not float64 arithmetic: outside TensorFlow its type
promotion turns every 64-bit result into 32 bits (``BIT64_TO_BIT32_DTYPE`` in
``keras/src/backend/common/dtypes.py``), so ``floor``, ``ceil`` and ``power`` of float64
tensors come back in float32. For the reference the runs lift that rule, so that Keras's
own code computes in float64 throughout.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any

import numpy as np

Build = Callable[[Any], Any]

# (id, build, number of steps from 0): each call is made on both modules,
# build(keras.optimizers.schedules) and build(compat.keras), so the arguments cannot differ.
# The float32 limits these cases have beyond the rule are in tests/compat/test_keras.py.
CASES: list[tuple[str, Build, int]] = [
    ("exponential", lambda m: m.ExponentialDecay(0.1, 100, 0.96), 3_000),
    ("exponential-staircase-41", lambda m: m.ExponentialDecay(1e-3, 41, 0.9, staircase=True), 41 * 60),
    ("exponential-growth", lambda m: m.ExponentialDecay(1e-3, 500, 1.5), 2_000),
    ("exponential-rate-0", lambda m: m.ExponentialDecay(0.1, 10, 0.0), 50),
    ("exponential-rate-0-staircase", lambda m: m.ExponentialDecay(0.1, 10, 0.0, staircase=True), 50),
    ("piecewise", lambda m: m.PiecewiseConstantDecay([100, 200, 250], [1.0, 0.5, 0.1, 0.01]), 400),
    ("piecewise-boundary-0", lambda m: m.PiecewiseConstantDecay([0, 7], [1.0, 0.5, 0.25]), 20),
    ("polynomial", lambda m: m.PolynomialDecay(0.1, 1_000), 2_000),
    ("polynomial-square", lambda m: m.PolynomialDecay(1e-2, 1_000, 1e-5, power=2.0), 2_000),
    ("polynomial-sqrt", lambda m: m.PolynomialDecay(1e-2, 1_000, 1e-4, power=0.5), 1_500),
    ("polynomial-rising", lambda m: m.PolynomialDecay(1e-4, 500, 1e-2, power=3.0), 1_000),
    ("polynomial-cycle", lambda m: m.PolynomialDecay(1.0, 100, 0.0, cycle=True), 1_000),
    (
        "polynomial-cycle-sqrt",
        lambda m: m.PolynomialDecay(1e-2, 300, 1e-4, power=0.5, cycle=True),
        2_000,
    ),
    ("inverse", lambda m: m.InverseTimeDecay(0.1, 10, 0.5), 2_000),
    ("inverse-staircase-41", lambda m: m.InverseTimeDecay(0.1, 41, 0.5, staircase=True), 41 * 60),
    ("cosine", lambda m: m.CosineDecay(1e-3, 2_000), 3_000),
    ("cosine-alpha", lambda m: m.CosineDecay(1e-3, 2_000, alpha=0.1), 3_000),
    (
        "cosine-warmup",
        lambda m: m.CosineDecay(0.0, 1_500, alpha=0.05, warmup_target=1e-3, warmup_steps=500),
        2_500,
    ),
    ("cosine-warmup-0", lambda m: m.CosineDecay(1e-4, 500, warmup_target=1e-3, warmup_steps=0), 1_000),
    ("cosine-warmup-steps-alone", lambda m: m.CosineDecay(1e-3, 500, warmup_steps=100), 1_000),
    ("restarts", lambda m: m.CosineDecayRestarts(1e-3, 100), 3_200),
    (
        "restarts-fractional",
        lambda m: m.CosineDecayRestarts(1e-3, 10, t_mul=1.5, m_mul=0.5, alpha=0.1),
        3_000,
    ),
    ("restarts-1.1", lambda m: m.CosineDecayRestarts(1.0, 100, t_mul=1.1), 3_000),
    ("restarts-equal", lambda m: m.CosineDecayRestarts(1e-2, 50, t_mul=1.0, m_mul=0.9, alpha=0.2), 1_000),
]

FAR = [10**6, 2**24 + 1, 2**31 - 1]  # far past every end, up to the last int32 count


def steps(n: int) -> Any:
    return np.concatenate([np.arange(n), np.asarray(FAR)]).astype(np.int32)


def _jax_values(schedule: Any, counts: Any) -> Any:
    import jax

    return np.asarray(jax.jit(lambda ts: jax.lax.map(schedule, ts))(counts), dtype=np.float64)


def _torch_values(schedule: Any, counts: Any) -> Any:
    import torch

    tensor = torch.as_tensor(counts)
    try:  # elementwise on a tensor of counts, as on one count
        values = schedule(tensor)
    except Exception:
        values = torch.stack([schedule(t) for t in tensor])
    return values.detach().cpu().double().numpy()


def main(out: str) -> None:
    import keras

    from schedcore import adapters, compat

    backend = keras.backend.backend()
    values = _jax_values if backend == "jax" else _torch_values
    results: dict[str, Any] = {}
    floats = ["float32", "float64"] if backend == "torch" else ["float32"]
    for floatx in floats:
        keras.config.set_floatx(floatx)
        if floatx == "float64":
            from keras.src.backend.common import dtypes

            staircase = CASES[1][1]  # floor(step / 41): Keras's result dtype, then ours
            count = keras.ops.convert_to_tensor(np.asarray([1_435], dtype=np.int32))
            for module, label in ((keras.optimizers.schedules, "keras"), (compat.keras, "ours")):
                schedule = adapters.keras.wrap(staircase(module)) if label == "ours" else staircase(module)
                results[f"float64-mode/{label}"] = np.asarray(
                    keras.backend.standardize_dtype(schedule(count).dtype)
                )

            assert dtypes.BIT64_TO_BIT32_DTYPE["float64"] == "float32"  # the rule lifted here
            dtypes.BIT64_TO_BIT32_DTYPE["float64"] = "float64"
        bits = floatx[-2:]
        for name, build, n in CASES:
            counts = steps(n)
            results[f"{name}/keras{bits}"] = values(build(keras.optimizers.schedules), counts)
            results[f"{name}/ours{bits}"] = values(adapters.keras.wrap(build(compat.keras)), counts)
    keras.config.set_floatx("float32")
    np.savez(out, **results)


if __name__ == "__main__":
    main(sys.argv[1])
