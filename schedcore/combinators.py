r"""Ways to build a schedule out of others: products, sums, joins, cycles, epochs, samples, clips.

Combinators are frozen values like the primitives. ``a * b`` and :func:`compose`
build a :class:`Product`, which flattens nested products, so
``compose(a, b) == a * b`` and ``(a * b) * c == a * (b * c)``; a number scales it.
``a + b`` builds a :class:`Sum` likewise.
"""

from __future__ import annotations

from dataclasses import field
from typing import TYPE_CHECKING, Any

from schedcore import _checks
from schedcore._base import (
    Product,
    Schedule,
    Sum,
    _schedule,
    add,
    divide,
    multiply,
    negate,
    register,
    schedules,
)

_schedules = schedules  # the compat modules check their lists of schedules with it

if TYPE_CHECKING:
    from collections.abc import Sequence

    from schedcore.operations import Operations

__all__ = [
    "Clip",
    "Cycle",
    "Join",
    "PerEpoch",
    "PerSample",
    "Product",
    "Sum",
    "add",
    "clip",
    "compose",
    "cycle",
    "divide",
    "join",
    "multiply",
    "negate",
    "per_epoch",
    "per_sample",
]


def compose(*schedules: Schedule) -> Schedule:
    r"""Multiply schedules: ``compose(a, b, c)(t) == a(t) * b(t) * c(t)``.

    .. math::
        s(t) = \prod_i s_i(t)

    "warmup ∘ multistep ∘ polynomial" is
    ``compose(warmup(...), multistep(...), polynomial(...))``, the same value as
    ``warmup(...) * multistep(...) * polynomial(...)``. One schedule is returned as
    it is.

    Raises:
        TypeError: an argument is not a schedule.
        ValueError: no schedule was given.

    Example:
        >>> sc.compose(sc.warmup(10), sc.polynomial(20)) == sc.warmup(10) * sc.polynomial(20)
        True
    """
    if not schedules:
        raise ValueError("compose needs at least one schedule, got none")
    checked = _schedules("schedules", schedules)
    if len(checked) == 1:
        return checked[0]
    return Product(checked)


@register("join", positional=2)
class Join(Schedule):
    r"""Run schedules one after another; each sees its own local time.

    .. math::
        s(t) = s_i(t - b_i) \quad\text{for } b_i \le t < b_{i+1}, \qquad b_0 = 0

    where :math:`s_i` are ``schedules`` and :math:`b_1 < b_2 < \dots` are
    ``boundaries``. Each piece sees **local time**, ``t - boundary``, as in
    ``optax.join_schedules``; :math:`s(0) = s_0(0)`. Boundaries are compared exactly
    (``t >= b`` switches).

    Args:
        schedules: The pieces, in order.
        boundaries: Where each piece after the first starts; strictly increasing
            positive ints, one fewer than ``schedules``.

    Raises:
        TypeError: a piece is not a schedule, or a boundary is not an int.
        ValueError: the counts do not match (optax silently ignores extra pieces),
            or the boundaries do not increase.

    Example:
        >>> s = sc.join([sc.warmup(10), sc.cosine(90)], [10])
        >>> s(10), round(s(55), 12)
        (1.0, 0.5)
    """

    schedules: Sequence[Schedule]
    boundaries: Sequence[int]

    def __post_init__(self) -> None:
        schedules = _schedules("schedules", self.schedules)
        boundaries = _checks.lengths("boundaries", self.boundaries, strictly_increasing=True)
        if len(schedules) != len(boundaries) + 1:
            count = len(boundaries)
            raise ValueError(
                f"join got {len(schedules)} schedules and {count}"
                f" boundar{'y' if count == 1 else 'ies'}; it needs {len(schedules) - 1}"
            )
        object.__setattr__(self, "schedules", schedules)
        object.__setattr__(self, "boundaries", boundaries)

    def formula(self, t: Any, ops: Operations) -> Any:
        pieces = [_bind(piece, ops) for piece in self.schedules]
        return ops.piecewise(t, self.boundaries, pieces)


def _bind(schedule: Schedule, ops: Operations) -> Any:
    return lambda local: schedule.formula(local, ops)


_CYCLE_LIMIT = 2**63  # growing cycles are laid out up to this step


@register("cycle", positional=2)
class Cycle(Schedule):
    r"""Repeat a schedule every ``period`` updates (warm restarts).

    .. math::
        s(t) = s_0(t \bmod P)

    where :math:`s_0` is ``schedule`` and :math:`P` is ``period``. With ``growth``
    :math:`g > 1` each cycle is :math:`g` times longer than the one before, and the
    schedule is stretched to fill it: cycle :math:`k` starts at
    :math:`c_k = P (g^k - 1) / (g - 1)` and

    .. math::
        s(t) = s_0\big((t - c_k) / g^k\big) \quad\text{for } c_k \le t < c_{k+1}

    (PyTorch's ``CosineAnnealingWarmRestarts`` with ``T_mult``). Growing cycles are
    laid out up to step :math:`2^{63}`.

    Args:
        schedule: The schedule to repeat; it sees the step within the cycle.
        period: Length of the first cycle in updates; a positive int.
        growth: Factor by which each cycle is longer than the previous; an int >= 1.

    Raises:
        TypeError: ``schedule`` is not a schedule, or a length is not an int.
        ValueError: ``period`` or ``growth`` is below 1.

    Example:
        >>> s = sc.cycle(sc.cosine(10), 10)
        >>> s(10), round(s(15), 12)
        (1.0, 0.5)
    """

    schedule: Schedule
    period: int
    growth: int = 1
    _starts: tuple[int, ...] = field(init=False, repr=False, compare=False)
    _stretch: tuple[float, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        period = _checks.length("period", self.period)
        growth = _checks.length("growth", self.growth)
        starts, stretch = [0], [1.0]
        if growth > 1:
            length = period
            while starts[-1] + length < _CYCLE_LIMIT:
                starts.append(starts[-1] + length)
                length *= growth
                stretch.append(float(length // period))
        object.__setattr__(self, "schedule", _schedule("schedule", self.schedule))
        object.__setattr__(self, "period", period)
        object.__setattr__(self, "growth", growth)
        object.__setattr__(self, "_starts", tuple(starts))
        object.__setattr__(self, "_stretch", tuple(stretch))

    def formula(self, t: Any, ops: Operations) -> Any:
        if self.growth == 1:
            return self.schedule.formula(ops.mod(t, self.period), ops)
        boundaries = self._starts[1:]
        start = ops.select_step(t, boundaries, self._starts)
        stretch = ops.select(t, boundaries, self._stretch)
        return self.schedule.formula(ops.real(t - start) / stretch, ops)


@register("per_epoch", positional=2)
class PerEpoch(Schedule):
    r"""Drive an epoch-based schedule with the iteration count.

    .. math::
        s(t) = s_0(\lfloor t / E \rfloor)

    where :math:`s_0` is ``schedule`` and :math:`E` is ``steps_per_epoch``: the
    schedule sees the number of completed epochs, and its value holds for a whole
    epoch.

    Args:
        schedule: A schedule whose step is the epoch.
        steps_per_epoch: Updates per epoch; a positive int.

    Raises:
        TypeError: ``schedule`` is not a schedule, or ``steps_per_epoch`` is not an int.
        ValueError: ``steps_per_epoch`` is below 1.

    Example:
        >>> sc.per_epoch(sc.multistep([2], gamma=0.1), 100)(250)
        0.1
    """

    schedule: Schedule
    steps_per_epoch: int

    def __post_init__(self) -> None:
        object.__setattr__(self, "schedule", _schedule("schedule", self.schedule))
        object.__setattr__(self, "steps_per_epoch", _checks.length("steps_per_epoch", self.steps_per_epoch))

    def formula(self, t: Any, ops: Operations) -> Any:
        return self.schedule.formula(ops.floordiv(t, self.steps_per_epoch), ops)


@register("per_sample", positional=2)
class PerSample(Schedule):
    r"""Drive a schedule stated in samples (examples, tokens) with the update count.

    .. math::
        s(t) = s_0(t \cdot B)

    where :math:`s_0` is ``schedule`` and :math:`B` is ``samples_per_step``: the
    schedule sees the number of samples seen after :math:`t` updates of :math:`B`
    samples each; :math:`s(0) = s_0(0)`. An epoch of :math:`N` samples that is not
    a whole number of updates is ``per_sample(per_epoch(s, N), B)``, which sees
    :math:`\lfloor t B / N \rfloor` completed epochs, computed exactly without
    forming :math:`t B` (as long as :math:`N B` fits the step's integer type). Other
    schedules see :math:`t B` exactly for Python and 64-bit integer steps; 32-bit
    integer steps (JAX's default) are widened to floats first, so that :math:`t B`
    cannot wrap around.

    Args:
        schedule: A schedule whose step is the number of samples seen.
        samples_per_step: Samples per update; a positive int.

    Raises:
        TypeError: ``schedule`` is not a schedule, or ``samples_per_step`` is not an int.
        ValueError: ``samples_per_step`` is below 1.

    Example:
        >>> s = sc.per_sample(sc.per_epoch(sc.multistep([1], gamma=0.1), 10), 3)
        >>> s(3), s(4)
        (1.0, 0.1)

    See also: Chainer's ``SerialIterator``, whose epoch count after :math:`t`
    updates is :math:`\lfloor t B / N \rfloor`
    (:func:`schedcore.adapters.chainer.per_epoch` builds this schedule from it).
    """

    schedule: Schedule
    samples_per_step: int

    def __post_init__(self) -> None:
        object.__setattr__(self, "schedule", _schedule("schedule", self.schedule))
        object.__setattr__(
            self, "samples_per_step", _checks.length("samples_per_step", self.samples_per_step)
        )

    def formula(self, t: Any, ops: Operations) -> Any:
        inner, size = self.schedule, self.samples_per_step
        if isinstance(inner, PerEpoch) and _exact_epochs(ops, inner.steps_per_epoch, size):
            # Epochs of N samples: floor(t B / N) without forming t B, which would wrap
            # around in JAX's int32 counts; every term here stays below N B.
            n = inner.steps_per_epoch
            epochs = ops.floordiv(t, n) * size + ops.floordiv(ops.mod(t, n) * size, n)
            return inner.schedule.formula(epochs, ops)
        samples, ops = ops.times(t, size)
        return inner.formula(samples, ops)


def _exact_epochs(ops: Operations, n: int, size: int) -> bool:
    """Whether ``floor(t B / N)`` and ``(t mod N) B`` fit the step's integers for every step."""
    if ops.int_max is None:
        return True
    return ops.fits(n * size) and ops.fits((ops.int_max // n + 1) * size)


@register("clip")
class Clip(Schedule):
    r"""Keep a schedule within ``[low, high]``.

    .. math::
        s(t) = \min(\max(s_0(t), l), h)

    where :math:`s_0` is ``schedule``, :math:`l` is ``low`` and :math:`h` is ``high``
    (either may be left out).

    Args:
        schedule: The schedule to clip.
        low: Smallest value returned, or ``None``.
        high: Largest value returned, or ``None``.

    Raises:
        TypeError: ``schedule`` is not a schedule, or a bound is not a number.
        ValueError: both bounds are missing, a bound is not finite, or ``low > high``.

    Example:
        >>> sc.clip(sc.exponential(0.5), low=0.2)(3)
        0.2

    See also: ``optax.exponential_decay(end_value=...)``.
    """

    schedule: Schedule
    low: float | None = None
    high: float | None = None

    def __post_init__(self) -> None:
        low = None if self.low is None else _checks.real("low", self.low)
        high = None if self.high is None else _checks.real("high", self.high)
        if low is None and high is None:
            raise ValueError("clip needs low, high or both; got neither")
        if low is not None and high is not None and low > high:
            raise ValueError(f"clip needs low <= high, got low={low!r} and high={high!r}")
        object.__setattr__(self, "schedule", _schedule("schedule", self.schedule))
        object.__setattr__(self, "low", low)
        object.__setattr__(self, "high", high)

    def formula(self, t: Any, ops: Operations) -> Any:
        value = self.schedule.formula(t, ops)
        if self.low is not None:
            value = ops.maximum(value, self.low)
        if self.high is not None:
            value = ops.minimum(value, self.high)
        return value


join = Join
cycle = Cycle
per_epoch = PerEpoch
per_sample = PerSample
clip = Clip
