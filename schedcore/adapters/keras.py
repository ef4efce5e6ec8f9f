r"""Run a schedcore schedule as a Keras 3 learning-rate schedule.

A Keras optimizer calls its ``LearningRateSchedule`` with its own update counter,
``optimizer.iterations`` (a Keras ``Variable``: int32 on JAX and torch, int64 on
TensorFlow), inside the compiled train step. :func:`wrap` turns a schedcore schedule
into one:

.. math::
    \mathrm{wrap}(s, b)(k) = b \cdot s(k)

where :math:`k` is the counter before the update, the number of updates already
applied, so the first update uses :math:`b \cdot s(0)` (schedcore's step
convention is Keras's).

The counter is turned into the backend's own array (a JAX array, a tracer inside
``jit``, or a torch tensor), which the schedule evaluates with that library's
operations in the optimizer's float dtype (``keras.config.floatx()``): milestones
and boundaries are compared with the integer counter, so a step function switches
exactly at its step, also past ``2**24`` where float32 cannot represent every count.
On other backends (TensorFlow) the formula is evaluated with ``keras.ops``. A Python
or numpy counter is evaluated exactly in float64 first, then rounded once.

**Gradient accumulation.** With ``gradient_accumulation_steps=n`` Keras updates the
weights every ``n`` batches but calls the schedule with its batch counter, so update
``u`` would see the step ``n u + n - 1``. Give the same ``n`` to :func:`wrap`: the
schedule then sees ``counter // n``, which is ``u`` at update ``u`` (and also when
``optimizer.learning_rate`` is read between updates).

**Saving.** The class is registered with Keras as ``"schedcore>KerasSchedule"``, and
its config is JSON (the schedule's :meth:`~schedcore.Schedule.to_dict`, the base and
the accumulation), so ``model.save("m.keras")`` stores it and
``keras.models.load_model("m.keras")`` rebuilds it without ``custom_objects`` in any
process that has imported :mod:`schedcore.adapters.keras` (which registers it). The
optimizer's counter is saved with the model, so training continues with the values
of an uninterrupted run.

For Keras's own schedules with their argument names (``CosineDecay``,
``PiecewiseConstantDecay``, ...) see :mod:`schedcore.compat.keras`; those schedules
are absolute values, so wrap them with the default ``base=1.0``.
"""

from __future__ import annotations

import sys
from typing import Any

from schedcore import _backend, _checks
from schedcore._base import Schedule
from schedcore.adapters import require
from schedcore.serialize import from_dict

keras = require("keras", "keras")
_LearningRateSchedule: Any = keras.optimizers.schedules.LearningRateSchedule  # keras ships no types

__all__ = ["KerasSchedule", "wrap"]

#: The backends whose arrays the core evaluates itself; others go through ``keras.ops``.
_CORE_BACKENDS = ("jax", "torch", "numpy")
_INT_MAX = {"int8": 2**7 - 1, "int16": 2**15 - 1, "int32": 2**31 - 1, "int64": 2**63 - 1, "uint8": 2**8 - 1}
_FLOAT_BITS = {"float32": 24, "float64": 53}


class _KerasOps(_backend.ArrayOps):
    """The primitives over ``keras.ops``, for backends whose tensors the core does not know.

    ``keras.ops`` has every primitive :class:`~schedcore._backend.ArrayOps` uses under the
    same name; casts go through ``keras.ops.cast``, and integer steps are cast to the
    result's dtype before any arithmetic with floats (TensorFlow does not promote).
    """

    def _bits(self, dtype: Any) -> int:
        return _FLOAT_BITS[keras.backend.standardize_dtype(dtype)]

    def cast(self, x: Any) -> Any:
        return self.xp.cast(x, self.dtype)

    def real(self, t: Any) -> Any:
        if keras.backend.standardize_dtype(t.dtype) != self.dtype:
            return self.cast(t)
        return t


def _keras_ops(t: Any, dtype: str) -> _KerasOps:
    kind = keras.backend.standardize_dtype(t.dtype)
    if kind in _FLOAT_BITS:
        return _KerasOps(keras.ops, dtype, None, _FLOAT_BITS[kind])
    if kind not in _INT_MAX:
        raise TypeError(f"steps must be a tensor of ints, float32 or float64, got dtype {kind}")
    return _KerasOps(keras.ops, dtype, _INT_MAX[kind], None)


def _accumulation(value: object) -> int | None:
    if value is None:
        return None
    return _checks.length("gradient_accumulation_steps", value)


@keras.saving.register_keras_serializable(package="schedcore", name="KerasSchedule")
class KerasSchedule(_LearningRateSchedule):  # type: ignore[misc]
    r"""A Keras learning-rate schedule, ``counter -> base * schedule(counter)``; built by :func:`wrap`.

    .. math::
        f(k) = b \cdot s(\lfloor k / n \rfloor)

    where :math:`s` is ``schedule``, :math:`b` is ``base``, :math:`k` is the optimizer's
    counter and :math:`n` is ``gradient_accumulation_steps`` (1 when ``None``). Called
    with a backend tensor or a Keras ``Variable`` it gives a tensor of the optimizer's
    float dtype, computed with the backend's operations (traceable, no host
    synchronisation); called with a Python or numpy integer it evaluates the schedule
    exactly in float64 and rounds once.

    Args:
        schedule: The schedcore schedule.
        base: The value the multiplier scales, e.g. the peak learning rate.
        gradient_accumulation_steps: The optimizer's ``gradient_accumulation_steps``, or
            ``None``: the schedule then sees completed updates, not batches.

    Raises:
        TypeError: ``schedule`` is not a schedcore schedule, ``base`` is not a number,
            or ``gradient_accumulation_steps`` is not an int.
        ValueError: ``base`` is not finite, or ``gradient_accumulation_steps`` is below 1.
    """

    def __init__(
        self, schedule: Schedule, base: float = 1.0, *, gradient_accumulation_steps: int | None = None
    ) -> None:
        super().__init__()
        if not isinstance(schedule, Schedule):
            raise TypeError(_checks.must_be("schedule", "a schedcore schedule", schedule, show_type=True))
        self.schedule = schedule
        self.base = _checks.real("base", base)
        self.gradient_accumulation_steps = _accumulation(gradient_accumulation_steps)

    def __call__(self, step: Any) -> Any:
        """The learning rate of the update that follows ``step`` counted batches."""
        floatx = keras.config.floatx()
        dtype = floatx if floatx in _FLOAT_BITS else "float32"
        every = self.gradient_accumulation_steps or 1
        if _is_host_integer(step):  # exact in float64, then one rounding
            value = self.base * self.schedule(int(step) // every)
            return keras.ops.convert_to_tensor(value, dtype=floatx)
        t = keras.ops.convert_to_tensor(step)  # a Variable's value: a JAX array, a torch tensor, ...
        if every > 1:
            t = t // every
        if keras.backend.backend() in _CORE_BACKENDS:
            value = self.schedule.evaluate(t, dtype=dtype)
        else:
            ops = _keras_ops(t, dtype)
            value = _backend.finish(ops, t, self.schedule.formula(t, ops))
        if self.base != 1.0:
            value = value * self.base
        return value if dtype == floatx else keras.ops.cast(value, floatx)

    def get_config(self) -> dict[str, Any]:
        """The schedule as :meth:`~schedcore.Schedule.to_dict` data, the base and the accumulation: JSON."""
        return {
            "schedule": self.schedule.to_dict(),
            "base": self.base,
            "gradient_accumulation_steps": self.gradient_accumulation_steps,
        }

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> KerasSchedule:
        """Rebuild the schedule from :meth:`get_config`'s data.

        Raises:
            ValueError: the data does not describe a schedcore schedule.
        """
        return cls(
            from_dict(config["schedule"]),
            config.get("base", 1.0),
            gradient_accumulation_steps=config.get("gradient_accumulation_steps"),
        )

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, KerasSchedule):
            return NotImplemented
        return self.get_config() == other.get_config()

    def __hash__(self) -> int:
        return hash((self.schedule, self.base, self.gradient_accumulation_steps))

    def __repr__(self) -> str:
        base = "" if self.base == 1.0 else f", base={self.base!r}"
        every = self.gradient_accumulation_steps
        accumulation = "" if every is None else f", gradient_accumulation_steps={every}"
        return f"wrap({self.schedule!r}{base}{accumulation})"


def _is_host_integer(step: object) -> bool:
    """Whether ``step`` is a Python int or a numpy integer scalar or 0-d array."""
    if isinstance(step, bool):
        return False
    if isinstance(step, int):
        return True
    numpy = sys.modules.get("numpy")
    return (
        numpy is not None
        and isinstance(step, numpy.ndarray | numpy.integer)
        and numpy.ndim(step) == 0
        and numpy.issubdtype(numpy.asarray(step).dtype, numpy.integer)
    )


def wrap(
    schedule: Schedule, base: float = 1.0, *, gradient_accumulation_steps: int | None = None
) -> KerasSchedule:
    r"""Return a Keras learning-rate schedule whose value at counter ``k`` is ``base * schedule(k)``.

    .. math::
        \mathrm{wrap}(s, b)(k) = b \cdot s(k)

    where :math:`k` is the optimizer's counter before the update; the first update
    (``k = 0``) uses :math:`b \cdot s(0)`. Pass it as the ``learning_rate`` of any Keras
    optimizer: ``keras.optimizers.AdamW(learning_rate=wrap(s, 3e-4))``. It runs on the
    JAX, torch and TensorFlow backends, inside ``jit`` and ``fit``, and is saved with
    the model (see the module docstring).

    Args:
        schedule: A schedcore schedule (a multiplier, or an absolute value from
            :mod:`schedcore.compat.keras`).
        base: The value the multiplier scales, such as the peak learning rate;
            keep ``1.0`` for absolute-valued schedules.
        gradient_accumulation_steps: The ``gradient_accumulation_steps`` given to the
            optimizer, so that update ``u`` uses ``base * s(u)``; ``None`` without
            gradient accumulation.

    Returns:
        A :class:`KerasSchedule`, a ``keras.optimizers.schedules.LearningRateSchedule``.

    Raises:
        TypeError: ``schedule`` is not a schedcore schedule, ``base`` is not a number,
            or ``gradient_accumulation_steps`` is not an int.
        ValueError: ``base`` is not finite, or ``gradient_accumulation_steps`` is below 1.

    Example:
        >>> lr = wrap(sc.warmup(100) * sc.cosine(1000), base=1e-3)
        >>> lr
        wrap(warmup(100) * cosine(1000), base=0.001)
        >>> [round(float(lr(k)), 9) for k in (0, 50, keras.ops.convert_to_tensor(100))]
        [0.0, 0.000496922, 0.000975528]
    """
    return KerasSchedule(schedule, base, gradient_accumulation_steps=gradient_accumulation_steps)
