r"""Ways to build a schedule out of others: products, sums, joins, cycles, epochs, samples, clips.

Combinators are frozen values like the primitives. ``a * b`` and :func:`compose`
build a :class:`Product`, which flattens nested products, so
``compose(a, b) == a * b`` and ``(a * b) * c == a * (b * c)``; a number scales it.
``a + b`` builds a :class:`Sum` likewise.
"""

from __future__ import annotations

import math
from dataclasses import field

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

TYPE_CHECKING = False  # typing is only imported by type checkers: see DEVELOPERS.md
if TYPE_CHECKING:
    from collections.abc import Sequence
    from fractions import Fraction
    from typing import Any

    from schedcore.operations import Operations

__all__ = [
    "Clip",
    "Cycle",
    "Join",
    "PerEpoch",
    "PerSample",
    "Product",
    "Shift",
    "Stretch",
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
    "shift",
    "stretch",
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
_MAX_CYCLES = 100_000  # and there are at most this many of them


def _cycle_layout(period: int, growth: float) -> tuple[tuple[Any, ...], ...]:
    r"""Each cycle's start :math:`c_k`, first whole step, distance between the two, and :math:`g^k`.

    The starts :math:`c_k = P (g^k - 1) / (g - 1)` are those of :math:`g` as the decimal
    it prints as. They are summed in 80-digit decimals (exact rationals would grow by
    digits every cycle) and kept as fractions (ints where whole), and a start within
    :math:`10^{-40}` of a whole step is settled exactly with that rational, so that
    ``ceil`` never moves a whole start by one. The local time :math:`t - c_k` is then
    :math:`(t - \lceil c_k \rceil) + (\lceil c_k \rceil - c_k)`: an exact integer plus a
    fraction rounded once.
    """
    starts: list[Any] = [0]
    firsts, offsets, stretches = [0], [0.0], [1.0]
    if growth == 1:  # equal cycles: reduced by integer division, no table
        return tuple(starts), tuple(firsts), tuple(offsets), tuple(stretches)
    from decimal import Decimal, localcontext  # imported here: they are a tenth of the import time
    from fractions import Fraction

    g = Fraction(repr(growth))
    with localcontext() as context:
        context.prec = 80
        ratio, length = Decimal(repr(growth)), Decimal(period)
        start = length
        while start < _CYCLE_LIMIT:
            k = len(firsts)
            if abs(start - start.to_integral_value()) < Decimal("1e-40"):
                exact = period * (g**k - 1) / (g - 1)
            else:
                exact = Fraction(start)
            first = math.ceil(exact)
            length *= ratio
            starts.append(first if exact == first else exact)
            firsts.append(first)
            offsets.append(float(first - exact))
            stretches.append(float(length / period))
            start += length
    return tuple(starts), tuple(firsts), tuple(offsets), tuple(stretches)


@register("cycle", positional=2)
class Cycle(Schedule):
    r"""Repeat a schedule every ``period`` updates (warm restarts), each cycle maybe longer or lower.

    .. math::
        s(t) = s_0(t \bmod P)

    where :math:`s_0` is ``schedule`` and :math:`P` is ``period``. With ``growth``
    :math:`g > 1` each cycle is :math:`g` times longer than the one before, and the
    schedule is stretched to fill it: cycle :math:`k` starts at
    :math:`c_k = P (g^k - 1) / (g - 1)` and

    .. math::
        s(t) = d^{\,k}\, s_0\big((t - c_k) / g^k\big) \quad\text{for } c_k \le t < c_{k+1}

    where :math:`d` is ``decay``, the factor each cycle's multiplier is smaller by
    (:math:`d^k s_0(t \bmod P)` with ``growth=1``). A fractional :math:`g` gives
    fractional cycle starts: the step :math:`t` is in cycle :math:`k` when
    :math:`t \ge c_k` (so a whole step switches at :math:`\lceil c_k \rceil`,
    exactly, ``start(k)``, and a fractional time, inside a :func:`stretch` or another
    growing cycle, at :math:`c_k` itself), and :math:`s_0` sees the fractional local time. :math:`g` is
    taken as the decimal number it prints as (``1.1`` is :math:`11/10`, so with
    ``period=10`` the third cycle starts at step 21, not one step later as the binary
    value :math:`1.1000000000000000888\ldots` would have it). ``growth=2`` is PyTorch's
    ``CosineAnnealingWarmRestarts`` with ``T_mult=2``; a fractional growth and a decay
    are Keras's ``CosineDecayRestarts(t_mul, m_mul)`` and timm's ``cycle_mul`` and
    ``cycle_decay``. :math:`s(0) = s_0(0)`. Growing cycles are laid out up to step
    :math:`2^{63}`, at most 100,000 of them.

    Args:
        schedule: The schedule to repeat; it sees the step within the cycle.
        period: Length of the first cycle in updates; a positive int.
        growth: Factor by which each cycle is longer than the previous; a number
            ``>= 1`` (an int stays an int).
        decay: Factor by which each cycle's multiplier is smaller than the previous
            one's; ``>= 0`` (0 keeps only the first cycle).

    Raises:
        TypeError: ``schedule`` is not a schedule, ``period`` is not an int, or
            ``growth`` / ``decay`` is not a number.
        ValueError: ``period`` is below 1, ``growth`` is below 1 or so close to 1 that
            more than 100,000 cycles start before step :math:`2^{63}`, ``decay`` is
            negative, or ``decay`` to the power of the last cycle laid out is not finite.

    Example:
        >>> s = sc.cycle(sc.cosine(10), 10)
        >>> s(10), round(s(15), 12)
        (1.0, 0.5)
        >>> s = sc.cycle(sc.cosine(10), 10, growth=1.5, decay=0.5)  # cycles of 10, 15, 22.5 ...
        >>> s(10), s(25), round(s(30), 6)
        (0.5, 0.25, 0.220756)
    """

    schedule: Schedule
    period: int
    growth: float = 1
    decay: float = 1.0
    _starts: tuple[int | Fraction, ...] = field(init=False, repr=False, compare=False)
    _firsts: tuple[int, ...] = field(init=False, repr=False, compare=False)
    _offsets: tuple[float, ...] = field(init=False, repr=False, compare=False)
    _stretches: tuple[float, ...] = field(init=False, repr=False, compare=False)
    _levels: tuple[float, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        period = _checks.length("period", self.period)
        growth: float = _checks.real("growth", self.growth, at_least=1.0)
        if growth.is_integer():
            growth = int(growth)  # cycle(s, 10, growth=2): exact integer starts
        decay = _checks.real("decay", self.decay, at_least=0.0)
        if (
            growth != 1
            and math.log1p(min(_CYCLE_LIMIT * ((float(growth) - 1) / period), 1e300)) / math.log(growth)
            > _MAX_CYCLES
        ):
            raise ValueError(
                f"growth={growth!r} is so close to 1 that more than {_MAX_CYCLES} cycles of"
                f" period={period} start before step 2**63; use growth=1 or a larger factor"
            )
        starts, firsts, offsets, stretches = _cycle_layout(period, growth)
        try:
            levels = tuple(decay**k for k in range(len(firsts)))
        except OverflowError:
            raise ValueError(
                f"cycle overflows: decay={decay!r} to the power {len(firsts) - 1}, the last cycle"
                " before step 2**63, is not finite"
            ) from None
        object.__setattr__(self, "schedule", _schedule("schedule", self.schedule))
        object.__setattr__(self, "period", period)
        object.__setattr__(self, "growth", growth)
        object.__setattr__(self, "decay", decay)
        object.__setattr__(self, "_starts", starts)
        object.__setattr__(self, "_firsts", firsts)
        object.__setattr__(self, "_offsets", offsets)
        object.__setattr__(self, "_stretches", stretches)
        object.__setattr__(self, "_levels", levels)

    def start(self, k: int) -> int:
        r"""The first whole step of cycle ``k`` (cycle 0 starts at 0), :math:`\lceil c_k \rceil`.

        Raises:
            TypeError: ``k`` is not an int.
            ValueError: ``k`` is negative.

        Example:
            >>> sc.cycle(sc.cosine(10), 10, growth=1.5).start(3)
            48
        """
        count = _checks.length("k", k, minimum=0)
        if self.growth == 1:
            return count * self.period
        from fractions import Fraction  # see _cycle_layout

        g = Fraction(repr(self.growth))
        return math.ceil(self.period * (g**count - 1) / (g - 1))

    def formula(self, t: Any, ops: Operations) -> Any:
        if self.growth == 1:
            value = self.schedule.formula(ops.mod(t, self.period), ops)
            if self.decay == 1.0:
                return value
            if self.decay == 0.0:  # 0 ** 0 is 1: only the first cycle shows
                return value * ops.select(t, [self.period], [1.0, 0.0])
            cycles = ops.cast(ops.floordiv(t, self.period))
            return value * ops.exp(cycles * math.log(self.decay))
        thresholds = self._starts[1:]  # a fractional time passes a fractional start exactly there
        local = ops.real(t - ops.select_step(t, thresholds, self._firsts))
        if any(self._offsets):
            # Fractional starts: the fraction each lies before its first step. A fractional
            # time t >= c_k ahead of that step gives t - first exactly (within a factor 2 of
            # it) and no less than minus the offset, its rounding included: never below 0.
            local = local + ops.select(t, thresholds, self._offsets)
        value = self.schedule.formula(local / ops.select(t, thresholds, self._stretches), ops.widened())
        if self.decay == 1.0:
            return value
        return value * ops.select(t, thresholds, self._levels)


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


@register("shift", positional=2)
class Shift(Schedule):
    r"""Run a schedule ``steps`` updates ahead: it sees :math:`t + n`.

    .. math::
        s(t) = s_0(t + n)

    where :math:`s_0` is ``schedule`` and :math:`n` is ``steps``; :math:`s(0) = s_0(n)`.
    As a piece of :func:`join`, it lets a schedule go on in the global step after the
    boundary instead of starting again: ``join([a, shift(b, 100)], [100])`` runs ``b(t)``
    from step 100 on (``join([a, b], [100])`` would run ``b(t - 100)``). For integer
    array steps, :math:`t + n` is formed in their integers where it fits, and in floats
    of the result's dtype beyond (for JAX's int32 counts, :math:`t \ge 2^{31} - n`),
    never wrapped around.

    Args:
        schedule: The schedule to run ahead.
        steps: How far ahead; an int ``>= 0``.

    Raises:
        TypeError: ``schedule`` is not a schedule, or ``steps`` is not an int.
        ValueError: ``steps`` is negative.

    Example:
        >>> s = sc.join([sc.constant(0.5), sc.shift(sc.polynomial(10), 4)], [4])
        >>> s(3), s(4), s(9)
        (0.5, 0.6, 0.1)

    See also: ``timm.scheduler.CosineLRScheduler(warmup_prefix=False)``, whose cosine
    runs in the global step after the warmup (see :mod:`schedcore.compat.timm`).
    """

    schedule: Schedule
    steps: int

    def __post_init__(self) -> None:
        object.__setattr__(self, "schedule", _schedule("schedule", self.schedule))
        object.__setattr__(self, "steps", _checks.length("steps", self.steps, minimum=0))

    def formula(self, t: Any, ops: Operations) -> Any:
        n = self.steps
        if not ops.fits(n):
            return self.schedule.formula(ops.cast(t) + float(n), ops.widened())
        if ops.int_max is None or n == 0:
            return self.schedule.formula(t + ops.at(n), ops)
        # Integer array steps: t + n in their integers where it fits, in floats of the result
        # beyond (JAX's int32 counts near 2**31), never wrapped around.
        beyond = t > ops.int_max - n
        inside = self.schedule.formula(ops.where(beyond, t * 0, t) + n, ops)
        outside = self.schedule.formula(ops.cast(t) + float(n), ops.widened())
        return ops.where(beyond, outside, inside)


@register("stretch", positional=2)
class Stretch(Schedule):
    r"""Run a schedule slower or faster: stretch its time axis by ``factor``.

    .. math::
        s(t) = s_0\big((t - o) / f\big)

    where :math:`s_0` is ``schedule``, :math:`f` is ``factor`` and :math:`o` is
    ``offset``; :math:`s(0) = s_0(-o / f)`, which is :math:`s_0(0)` without an offset.
    With :math:`f = 2` every step of :math:`s_0` lasts two updates; with
    :math:`f = 1/2` it runs twice as fast. A schedule stated on the **fraction of the
    run**, whose step goes from 0 to 1 over the whole training (fvcore's
    ``ParamScheduler``), is bound to a run of :math:`T` updates with :math:`f = T`:
    ``stretch(cosine(1), 1000)`` is ``cosine(1000)``. The schedule past the end of
    :math:`s_0` is :math:`s_0` past its end.

    :math:`s_0` sees the time :math:`(t - o) / f` as a float, rounded once (after
    :math:`t - o`, which is exact for whole :math:`t` and :math:`o` below
    :math:`2^{53}`): its continuous parts use it as it is, and its step functions
    compare it with their thresholds. With a whole ``factor`` :math:`k` and a whole
    ``offset``, that is exact: a threshold :math:`m` of :math:`s_0` switches at the
    whole step :math:`o + k m` (for :math:`k m < 2^{53}` in float64; below
    :math:`2^{24}` for float32 results), and a factor that is a power of two scales
    time without rounding. Otherwise a step function switches where the rounded time
    reaches its threshold, which is what a peer computing ``t / max_iter`` in Python
    floats does (detectron2). Integer array steps are turned into floats of the
    result's dtype first. For :math:`t < o` the schedule sees a negative time, and its
    formula extends to it (lines and cosines continue backwards, step functions read
    their first value).

    Args:
        schedule: The schedule to stretch.
        factor: Updates per step of ``schedule``; a finite number ``> 0``.
        offset: Updates before ``schedule``'s time 0; a finite number.

    Raises:
        TypeError: ``schedule`` is not a schedule, or ``factor`` / ``offset`` is not a number.
        ValueError: ``factor`` is not ``> 0`` or a parameter is not finite.

    Example:
        >>> s = sc.stretch(sc.multistep([3], gamma=0.1), 10)  # the milestone moves to step 30
        >>> s(29), s(30)
        (1.0, 0.1)
        >>> sc.stretch(sc.cosine(1), 1000)(500) == sc.cosine(1000)(500)
        True

    See also: Composer's ``scale_schedule_ratio`` (which rounds its times to whole
    batches, see :mod:`schedcore.compat.composer`), fvcore's
    ``CompositeParamScheduler`` (``interval_scaling="rescaled"``) and detectron2's
    ``LRMultiplier`` (see :mod:`schedcore.compat.fvcore`).
    """

    schedule: Schedule
    factor: float
    offset: float = 0.0

    def __post_init__(self) -> None:
        object.__setattr__(self, "schedule", _schedule("schedule", self.schedule))
        object.__setattr__(self, "factor", _checks.real("factor", self.factor, above=0.0))
        object.__setattr__(self, "offset", _checks.real("offset", self.offset))

    def formula(self, t: Any, ops: Operations) -> Any:
        time = ops.cast(t)  # a float of the result's dtype: the stretched time is fractional
        if self.offset != 0.0:
            time = time - self.offset
        return self.schedule.formula(time / self.factor, ops.widened())


join = Join
cycle = Cycle
per_epoch = PerEpoch
per_sample = PerSample
clip = Clip
shift = Shift
stretch = Stretch
