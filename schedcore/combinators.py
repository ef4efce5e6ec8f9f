r"""Ways to build a schedule out of others: products, sums, joins, cycles, epochs, samples, clips.

Combinators are frozen values like the primitives. ``a * b`` and :func:`compose`
build a :class:`Product`, which flattens nested products, so
``compose(a, b) == a * b`` and ``(a * b) * c == a * (b * c)``; a number scales it.
``a + b`` builds a :class:`Sum` likewise.
"""

from __future__ import annotations

import math
from dataclasses import field
from fractions import Fraction
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
    "Restarts",
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
    "restarts",
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


_MAX_RESTARTS = 4096  # cycles laid out at most: the step functions hold one threshold per cycle


def _restart_layout(period: int, growth: float, count: int | None) -> tuple[tuple[Any, ...], ...]:
    """The first step of each cycle, the fraction its start lies before it, and its stretch.

    ``growth`` is taken as the decimal it prints as (``1.1`` is 11/10, not the binary
    float just above it), ``p / q``. Cycle ``i`` starts at
    ``c_i = P (1 + g + ... + g**(i-1)) = C_i / q**(i-1)`` with integers ``C_i``, so its first
    step ``ceil(c_i)`` is exact however close ``c_i`` comes to an integer (``1.1`` restarts
    a period of 100 at 210 and 331, as written). Cycles are laid out while they start
    before step ``2**63`` (or up to ``count``).
    """
    ratio = Fraction(repr(growth))
    p, q = ratio.numerator, ratio.denominator
    firsts, offsets, stretches = [0], [0.0], [1.0]
    numerator, power, scale = period, p, 1  # c_1 = P / 1; g**1 = p / q
    while count is None or len(firsts) < count:
        first = -(-numerator // scale)  # ceil(C_i / q**(i-1))
        if first > _checks.MAX_LENGTH:
            break
        if len(firsts) == _MAX_RESTARTS:
            raise ValueError(
                f"restarts with period={period} and growth={growth!r} needs more than {_MAX_RESTARTS}"
                " cycles to reach step 2**63; give cycles= or a larger growth"
            )
        firsts.append(first)
        offsets.append((first * scale - numerator) / scale)
        stretches.append(power / (scale * q))
        numerator, power, scale = numerator * q + period * power, power * p, scale * q
    return tuple(firsts), tuple(offsets), tuple(stretches)


@register("restarts", positional=2)
class Restarts(Schedule):
    r"""Warm restarts: cycles that grow by any factor, each scaled down from the one before.

    Cycle :math:`i = 0, 1, \dots` lasts :math:`P g^i` updates and starts at
    :math:`c_i = P (g^i - 1) / (g - 1)` (:math:`c_i = i P` when :math:`g = 1`); the
    schedule is stretched to fill it and scaled by :math:`d^i`:

    .. math::
        s(t) = d^{\,i}\, s_0\!\left(\frac{t - c_i}{g^i}\right)
        \quad\text{for } c_i \le t < c_{i+1}

    where :math:`s_0` is ``schedule``, :math:`P` is ``period``, :math:`g` is ``growth``
    and :math:`d` is ``decay``: :math:`s_0` sees local time from 0 to :math:`P` in every
    cycle, so :math:`s(0) = s_0(0)`. With ``cycles=n`` there are no restarts after the
    :math:`n`-th cycle, which runs on: :math:`s_0` sees local times past :math:`P`
    (a decay stays at its end value). The growth may be fractional: cycle :math:`i`
    then starts at the first whole step :math:`\ge c_i`, decided in exact rational
    arithmetic on the decimal that ``growth`` prints as (``growth=1.5``, ``period=10``
    restarts at 10, 25, 48, 82, ...; ``growth=1.1``, ``period=100`` at 100, 210, 331,
    465, ...), and :math:`s_0` sees the fraction :math:`t - c_i`, measured from that
    step. Growing cycles are laid out up to step :math:`2^{63}`, at most 4096 of them.

    Args:
        schedule: The schedule of one cycle; it sees the local time, from 0 to ``period``.
        period: Length of the first cycle in updates; a positive int.
        growth: Factor by which each cycle is longer than the one before; ``>= 1``.
        decay: Factor by which each cycle's values are scaled from the one before; ``>= 0``.
        cycles: Number of cycles (the last one runs on), or ``None`` for no end.

    Raises:
        TypeError: ``schedule`` is not a schedule, ``period`` / ``cycles`` is not an int,
            or ``growth`` / ``decay`` is not a number.
        ValueError: ``period`` or ``cycles`` is below 1, ``growth < 1``, ``decay < 0``,
            the cycles grow so slowly that more than 4096 of them start before
            :math:`2^{63}` (give ``cycles=``), or ``decay`` to the power of the last
            cycle laid out overflows.

    Example:
        >>> s = sc.restarts(sc.cosine(10), 10, growth=1.5, decay=0.5)
        >>> s(0), s(10), s(25)
        (1.0, 0.5, 0.25)
        >>> [t for t in range(1, 100) if s(t) > s(t - 1)]  # the restarts
        [10, 25, 48, 82]

    See also: Keras's ``CosineDecayRestarts`` (``t_mul``, ``m_mul``), timm's
    ``CosineLRScheduler`` (``cycle_mul``, ``cycle_decay``, ``cycle_limit``);
    :func:`cycle` with an integer ``growth`` is PyTorch's
    ``CosineAnnealingWarmRestarts``.
    """

    schedule: Schedule
    period: int
    growth: float = 1.0
    decay: float = 1.0
    cycles: int | None = None
    _firsts: tuple[int, ...] = field(init=False, repr=False, compare=False)
    _offsets: tuple[float, ...] = field(init=False, repr=False, compare=False)
    _stretches: tuple[float, ...] = field(init=False, repr=False, compare=False)
    _levels: tuple[float, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        period = _checks.length("period", self.period)
        growth = _checks.real("growth", self.growth, at_least=1.0)
        decay = _checks.real("decay", self.decay, at_least=0.0)
        cycles = None if self.cycles is None else _checks.length("cycles", self.cycles)
        if growth == 1.0:  # equal cycles: reduced arithmetically, no table
            firsts: tuple[int, ...] = ()
            offsets: tuple[float, ...] = ()
            stretches: tuple[float, ...] = ()
            levels: tuple[float, ...] = ()
        else:
            firsts, offsets, stretches = _restart_layout(period, growth, cycles)
            try:
                levels = tuple(decay**i for i in range(len(firsts)))
            except OverflowError:
                raise ValueError(
                    f"restarts overflows: decay={decay!r} to the power {len(firsts) - 1} is not finite"
                ) from None
        object.__setattr__(self, "schedule", _schedule("schedule", self.schedule))
        for name, value in (("period", period), ("growth", growth), ("decay", decay), ("cycles", cycles)):
            object.__setattr__(self, name, value)
        for name, table in (("_firsts", firsts), ("_offsets", offsets)):
            object.__setattr__(self, name, table)
        object.__setattr__(self, "_stretches", stretches)
        object.__setattr__(self, "_levels", levels)

    def formula(self, t: Any, ops: Operations) -> Any:
        if self.growth == 1.0:
            return self._equal(t, ops)
        boundaries = self._firsts[1:]
        first = ops.select_step(t, boundaries, self._firsts)
        local = (ops.real(t - first) + ops.select(t, boundaries, self._offsets)) / ops.select(
            t, boundaries, self._stretches
        )
        value = self.schedule.formula(local, ops)
        if self.decay != 1.0:
            value = value * ops.select(t, boundaries, self._levels)
        return value

    def _equal(self, t: Any, ops: Operations) -> Any:
        """Cycles of ``period`` updates each: the local time and the cycle by integer division."""
        period = self.period
        if self.cycles is None:
            local, index = ops.mod(t, period), ops.floordiv(t, period)
        else:
            index = ops.minimum(ops.floordiv(t, period), self.cycles - 1)
            local = t - index * ops.at(period)
        value = self.schedule.formula(local, ops)
        if self.decay == 1.0:
            return value
        if self.decay == 0.0:  # 0 ** 0 is 1: only the first cycle shows
            return value * ops.select(t, [period], [1.0, 0.0])
        return value * ops.exp(ops.cast(index) * math.log(self.decay))


restarts = Restarts
