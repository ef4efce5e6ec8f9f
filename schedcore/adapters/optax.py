r"""Run a schedcore schedule as an optax schedule.

An optax schedule is a pure function from the update count to a value, which optax
calls inside the jitted update with its own ``int32`` counter (``state.count``).
:func:`wrap` turns a schedcore schedule into one:

.. math::
    \mathrm{wrap}(s, b)(n) = b \cdot s(n)

where :math:`n` is optax's count, the number of updates already applied, so the
first update uses :math:`b \cdot s(0)` (schedcore's step convention is optax's).

The schedule is evaluated as JAX operations on the count: it works under ``jit``,
``vmap``, ``grad``, ``scan`` and ``shard_map``, adds no host callback (the jaxpr holds
only arithmetic), branches on no traced value and is traced once, whatever the count.
Milestones and boundaries are compared with the integer count, so a milestone at
``2**24 + 1`` switches exactly there although float32 cannot represent that count.
The value has JAX's default float dtype: float32, or float64 under
``jax_enable_x64`` (whatever the count's integer width), and is not weakly typed, like
optax's ``warmup_cosine_decay_schedule`` (so ``inject_hyperparams`` keeps it as it is
instead of casting it to the parameters' dtype).

For optax's own schedules with their argument names (``warmup_cosine_decay_schedule``,
``exponential_decay``, ...) see :mod:`schedcore.compat.optax`; those schedules are
absolute values, so wrap them with the default ``base=1.0``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from schedcore import _checks
from schedcore._base import Schedule
from schedcore.adapters import require

require("optax", "jax")  # the error names the extra that installs jax and optax together

import jax  # noqa: E402  (after the friendly import check)
import jax.numpy as jnp  # noqa: E402

__all__ = ["OptaxSchedule", "wrap"]


@dataclass(frozen=True, repr=False)
class OptaxSchedule:
    r"""An optax schedule, ``count -> base * schedule(count)``; built by :func:`wrap`.

    .. math::
        f(n) = b \cdot s(n)

    where :math:`s` is ``schedule``, :math:`b` is ``base`` and :math:`n` is optax's
    update count. Calling it with a JAX array (or a tracer, inside ``jit``) evaluates
    the schedule with JAX operations; a Python or numpy count is evaluated exactly in
    float64 (and checked: a negative count is a ``ValueError``), then returned as a
    JAX array. The result has JAX's default float dtype (float64 under
    ``jax_enable_x64``), except that a floating JAX count keeps its own dtype; it is
    never weakly typed.

    Like schedules, it is a value: equal, hashable and picklable, so it can be a
    static argument of ``jax.jit`` and travel in a pickled config.

    Args:
        schedule: The schedcore schedule.
        base: The value that the multiplier scales, e.g. the peak learning rate.

    Raises:
        TypeError: ``schedule`` is not a schedcore schedule, or ``base`` is not a number.
        ValueError: ``base`` is not finite.
    """

    schedule: Schedule
    base: float = 1.0

    def __post_init__(self) -> None:
        if not isinstance(self.schedule, Schedule):
            raise TypeError(
                _checks.must_be("schedule", "a schedcore schedule", self.schedule, show_type=True)
            )
        object.__setattr__(self, "base", _checks.real("base", self.base))

    def __call__(self, count: Any) -> jax.Array:
        """The value for the update that follows ``count`` completed updates."""
        if isinstance(count, jax.Array):  # optax's counter, a tracer inside jit
            value = self.schedule(count)
            if self.base != 1.0:
                value = value * self.base
            return jnp.asarray(value, dtype=value.dtype)  # never weakly typed, as the Python path
        # Python and numpy counts: the core's exact float64 path, then one rounding.
        return jnp.asarray(self.base * self.schedule(count), dtype=float)

    def __repr__(self) -> str:
        base = "" if self.base == 1.0 else f", base={self.base!r}"
        return f"wrap({self.schedule!r}{base})"


def wrap(schedule: Schedule, base: float = 1.0) -> OptaxSchedule:
    r"""Return an optax schedule whose value at count ``n`` is ``base * schedule(n)``.

    .. math::
        \mathrm{wrap}(s, b)(n) = b \cdot s(n)

    where :math:`n` is optax's update count; the first update (``n = 0``) uses
    :math:`b \cdot s(0)`. Pass it wherever optax takes a schedule:
    ``optax.adamw(learning_rate=wrap(s, 3e-4))``, ``optax.inject_hyperparams``,
    ``optax.scale_by_schedule``. It is jit-, vmap- and scan-safe, with no host
    callback and no retracing as the count grows.

    Args:
        schedule: A schedcore schedule (a multiplier, or an absolute value from
            :mod:`schedcore.compat.optax`).
        base: The value the multiplier scales, such as the peak learning rate;
            keep ``1.0`` for absolute-valued schedules.

    Returns:
        An :class:`OptaxSchedule`, a callable ``count -> jax.Array``.

    Raises:
        TypeError: ``schedule`` is not a schedcore schedule, or ``base`` is not a number.
        ValueError: ``base`` is not finite.

    Example:
        >>> import jax, jax.numpy as jnp
        >>> lr = wrap(sc.warmup(100) * sc.cosine(1000), base=1e-3)
        >>> lr
        wrap(warmup(100) * cosine(1000), base=0.001)
        >>> jax.jit(lr)(jnp.asarray([0, 50, 100], dtype=jnp.int32))
        Array([0.        , 0.00049692, 0.00097553], dtype=float32)
    """
    return OptaxSchedule(schedule, base)
