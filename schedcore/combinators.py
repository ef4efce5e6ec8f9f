r"""Ways to build a schedule out of others: products, sums, joins, cycles, epochs, samples, clips.

Combinators are frozen values like the primitives. ``a * b`` and :func:`compose`
build a :class:`Product`, which flattens nested products, so
``compose(a, b) == a * b`` and ``(a * b) * c == a * (b * c)``; a number scales it.
``a + b`` builds a :class:`Sum` likewise.
"""

from __future__ import annotations

import math
import numbers
from bisect import bisect_right
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar

from schedcore import _checks
from schedcore._base import Schedule, assemble
from schedcore.schedules import Constant, _Held, shifted

if TYPE_CHECKING:
    from collections.abc import Sequence

    from schedcore._backend import Ops

    Restriction = tuple[Schedule, float, float]

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


def _schedule(name: str, value: object) -> Schedule:
    if not isinstance(value, Schedule):
        raise TypeError(_checks.must_be(name, "a schedule", value, show_type=True))
    return value


def _schedules(name: str, values: object) -> tuple[Schedule, ...]:
    if not isinstance(values, list | tuple):
        raise TypeError(_checks.must_be(name, "a list of schedules", values, show_type=True))
    return tuple(_schedule(f"{name}[{i}]", value) for i, value in enumerate(values))


def _is_number(value: object) -> bool:
    return isinstance(value, numbers.Real) and not isinstance(value, bool)


@dataclass(slots=True, repr=False, eq=False)
class Product(Schedule):
    r"""The product of schedules, times a constant ``scale``.

    .. math::
        s(t) = c \prod_i s_i(t)

    where :math:`s_i` are ``factors`` and :math:`c` is ``scale``. Nested products are
    flattened, so grouping does not matter: ``(a * b) * c == a * (b * c)``.

    Args:
        factors: The schedules to multiply; at least one.
        scale: A constant factor.

    Raises:
        TypeError: a factor is not a schedule, or ``scale`` is not a number.
        ValueError: there is no factor, or ``scale`` is not finite.

    Example:
        >>> (2 * sc.warmup(4) * sc.multistep([2], gamma=0.5))(2)
        0.5
    """

    _name: ClassVar[str] = "product"

    factors: Sequence[Schedule]
    scale: float = 1.0
    _scales: tuple[float, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        # The scale is the product of every number scale met while flattening, taken in
        # sorted order, so that neither grouping nor order can change its last bit.
        scales = [_checks.real("scale", self.scale)]
        flat: list[Schedule] = []
        for factor in _schedules("factors", self.factors):
            if isinstance(factor, Product):
                flat.extend(factor.factors)
                scales.extend(factor._scales)
            else:
                flat.append(factor)
        if not flat:
            raise ValueError("a product needs at least one schedule")
        folded = tuple(sorted(x for x in scales if x != 1.0))
        object.__setattr__(self, "factors", tuple(flat))
        object.__setattr__(self, "scale", _checks.real("scale", math.prod(folded) + 0.0))
        object.__setattr__(self, "_scales", folded)

    def _evaluate(self, t: Any, ops: Ops) -> Any:
        factors = self.factors
        value = factors[0]._evaluate(t, ops)
        for factor in factors[1:]:
            value = value * factor._evaluate(t, ops)
        return value if self.scale == 1.0 else value * self.scale

    def _restrict(self, lo: float, hi: float) -> Restriction:
        scale, factors, start, stop, changed = self.scale, [], 0.0, math.inf, False
        for factor in self.factors:
            part, begin, end = factor._restrict(lo, hi)
            start, stop = max(start, begin), min(stop, end)
            if type(part) is Constant:  # folded into the scale: a few ulps, not the same order
                scale *= part.value
                changed = True
            else:
                factors.append(part)
                changed = changed or part is not factor
        if not changed:
            return self, start, stop
        if not math.isfinite(scale):
            return self, lo, lo
        if not factors:
            return assemble(Constant, value=scale), start, stop
        if len(factors) == 1 and scale == 1.0:
            return factors[0], start, stop
        return assemble(Product, factors=tuple(factors), scale=scale, _scales=(scale,)), start, stop

    def breakpoints(self, stop: int) -> tuple[int, ...]:
        return _union(f.breakpoints(stop) for f in self.factors)

    def __repr__(self) -> str:
        parts = [f"({f!r})" if isinstance(f, Sum) else repr(f) for f in self.factors]
        if self.scale != 1.0 or len(parts) == 1:
            parts.insert(0, repr(self.scale))
        return " * ".join(parts)


@dataclass(slots=True, repr=False, eq=False)
class Sum(Schedule):
    r"""The sum of schedules, plus a constant ``offset``.

    .. math::
        s(t) = c + \sum_i s_i(t)

    where :math:`s_i` are ``terms`` and :math:`c` is ``offset``. Nested sums are
    flattened. Useful for schedules stated as ``low + (high - low) * shape``.

    Args:
        terms: The schedules to add; at least one.
        offset: A constant added to the sum.

    Raises:
        TypeError: a term is not a schedule, or ``offset`` is not a number.
        ValueError: there is no term, or ``offset`` is not finite.

    Example:
        >>> (0.1 + 0.9 * sc.cosine(10))(10)
        0.1
    """

    _name: ClassVar[str] = "sum"

    terms: Sequence[Schedule]
    offset: float = 0.0
    _offsets: tuple[float, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        offsets = [_checks.real("offset", self.offset)]
        flat: list[Schedule] = []
        for term in _schedules("terms", self.terms):
            if isinstance(term, Sum):
                flat.extend(term.terms)
                offsets.extend(term._offsets)
            else:
                flat.append(term)
        if not flat:
            raise ValueError("a sum needs at least one schedule")
        kept = tuple(x for x in offsets if x != 0.0)
        object.__setattr__(self, "terms", tuple(flat))
        object.__setattr__(self, "offset", _checks.real("offset", math.fsum(kept) + 0.0))  # exactly rounded
        object.__setattr__(self, "_offsets", kept)

    def _evaluate(self, t: Any, ops: Ops) -> Any:
        terms = self.terms
        value = terms[0]._evaluate(t, ops)
        for term in terms[1:]:
            value = value + term._evaluate(t, ops)
        return value if self.offset == 0.0 else value + self.offset

    def _restrict(self, lo: float, hi: float) -> Restriction:
        # Terms keep their order, constants included: a sum may cancel, so folding
        # constants first would not round as the whole-array evaluation does.
        terms, start, stop = [], 0.0, math.inf
        for term in self.terms:
            part, begin, end = term._restrict(lo, hi)
            start, stop = max(start, begin), min(stop, end)
            terms.append(part)
        if all(part is term for part, term in zip(terms, self.terms, strict=True)):
            return self, start, stop
        if all(type(part) is Constant for part in terms):
            value = terms[0].value  # type: ignore[attr-defined]
            for part in terms[1:]:
                value = value + part.value  # type: ignore[attr-defined]
            value = value if self.offset == 0.0 else value + self.offset
            if not math.isfinite(value):
                return self, lo, lo
            return assemble(Constant, value=value), start, stop
        return assemble(Sum, terms=tuple(terms), offset=self.offset, _offsets=self._offsets), start, stop

    def breakpoints(self, stop: int) -> tuple[int, ...]:
        return _union(term.breakpoints(stop) for term in self.terms)

    def __repr__(self) -> str:
        parts = [repr(term) for term in self.terms]
        if self.offset != 0.0 or len(parts) == 1:
            parts.append(repr(self.offset))
        return " + ".join(parts)


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


def _operand(verb: str, other: object) -> TypeError:
    return TypeError(
        f"a schedule can only be {verb} a schedule or a number, got {_checks.describe(other, show_type=True)}"
    )


def multiply(a: object, b: object) -> Schedule:
    """``a * b`` for a schedule and a schedule or a number."""
    if isinstance(a, Schedule) and isinstance(b, Schedule):
        return Product((a, b))
    if isinstance(a, Schedule) and _is_number(b):
        return Product((a,), scale=_checks.real("scale", b))
    if _is_number(a) and isinstance(b, Schedule):
        return Product((b,), scale=_checks.real("scale", a))
    raise _operand("multiplied by", b if isinstance(a, Schedule) else a)


def divide(a: Schedule, b: object) -> Schedule:
    """``a / b`` for a number ``b``: scaling by ``1 / b``."""
    if not _is_number(b):
        raise _operand("divided by", b)
    divisor = _checks.real("divisor", b)
    if divisor == 0:
        raise ValueError("divisor must be a finite number other than 0, got 0")
    return Product((a,), scale=1.0 / divisor)


def add(a: object, b: object) -> Schedule:
    """``a + b`` for a schedule and a schedule or a number."""
    if isinstance(a, Schedule) and isinstance(b, Schedule):
        return Sum((a, b))
    if isinstance(a, Schedule) and _is_number(b):
        return Sum((a,), offset=_checks.real("offset", b))
    if _is_number(a) and isinstance(b, Schedule):
        return Sum((b,), offset=_checks.real("offset", a))
    raise _operand("added to", b if isinstance(a, Schedule) else a)


def negate(value: object) -> object:
    """``-value`` for a schedule or a number (used by ``a - b``)."""
    if isinstance(value, Schedule):
        return Product((value,), scale=-1.0)
    if _is_number(value):
        return -value  # type: ignore[operator]
    raise _operand("subtracted from", value)


@dataclass(slots=True, repr=False, eq=False)
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

    _name: ClassVar[str] = "join"
    _positional: ClassVar[int] = 2

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

    def _evaluate(self, t: Any, ops: Ops) -> Any:
        pieces = [_bind(piece, ops) for piece in self.schedules]
        return ops.piecewise(t, self.boundaries, pieces)

    def _restrict(self, lo: float, hi: float) -> Restriction:
        bounds = self.boundaries
        i = bisect_right(bounds, lo)
        if i < len(bounds) and hi >= bounds[i]:
            return self, lo, lo
        begin = bounds[i - 1] if i else 0
        end = bounds[i] if i < len(bounds) else math.inf
        part, start, stop = self.schedules[i]._restrict(lo - begin, hi - begin)
        return shifted(part, begin), max(begin, begin + start), min(end, begin + stop)

    def breakpoints(self, stop: int) -> tuple[int, ...]:
        starts = (0, *self.boundaries)
        ends = (*self.boundaries, stop)
        points: list[int] = list(self.boundaries)
        for piece, begin, end in zip(self.schedules, starts, ends, strict=True):
            if begin < stop:
                points.extend(begin + p for p in piece.breakpoints(min(end, stop) - begin))
        return _union([points], stop)


def _bind(schedule: Schedule, ops: Ops) -> Any:
    return lambda local: schedule._evaluate(local, ops)


_CYCLE_LIMIT = 2**63  # growing cycles are laid out up to this step


@dataclass(slots=True, repr=False, eq=False)
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

    _name: ClassVar[str] = "cycle"
    _positional: ClassVar[int] = 2

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

    def _evaluate(self, t: Any, ops: Ops) -> Any:
        if self.growth == 1:
            return self.schedule._evaluate(ops.mod(t, self.period), ops)
        boundaries = self._starts[1:]
        start = ops.select_int(t, boundaries, self._starts)
        stretch = ops.select(t, boundaries, self._stretch)
        return self.schedule._evaluate(ops.real(t - start) / stretch, ops)

    def _restrict(self, lo: float, hi: float) -> Restriction:
        if self.growth != 1:
            return self, 0, math.inf
        k = lo // self.period
        if hi // self.period != k:
            return self, lo, lo
        begin = int(k) * self.period
        part, start, stop = self.schedule._restrict(lo - begin, hi - begin)
        region = max(begin, begin + start), min(begin + self.period, begin + stop)
        return shifted(part, begin, exact=True), *region

    def breakpoints(self, stop: int) -> tuple[int, ...]:
        inner = self.schedule.breakpoints(self.period)
        points: list[int] = []
        begin, stretch = 0, 1
        while begin < stop:
            points.append(begin)
            points.extend(begin + p * stretch for p in inner)
            begin += self.period * stretch
            stretch *= self.growth
        return _union([points], stop)


@dataclass(slots=True, repr=False, eq=False)
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

    _name: ClassVar[str] = "per_epoch"
    _positional: ClassVar[int] = 2

    schedule: Schedule
    steps_per_epoch: int

    def __post_init__(self) -> None:
        object.__setattr__(self, "schedule", _schedule("schedule", self.schedule))
        object.__setattr__(self, "steps_per_epoch", _checks.length("steps_per_epoch", self.steps_per_epoch))

    def _evaluate(self, t: Any, ops: Ops) -> Any:
        return self.schedule._evaluate(ops.floordiv(t, self.steps_per_epoch), ops)

    def _restrict(self, lo: float, hi: float) -> Restriction:
        epoch = lo // self.steps_per_epoch
        if hi // self.steps_per_epoch != epoch:
            return self, lo, lo
        begin = int(epoch) * self.steps_per_epoch
        part, _, _ = self.schedule._restrict(epoch, epoch)
        if type(part) is not Constant:
            part = _Held(self.schedule, epoch)
        return part, begin, begin + self.steps_per_epoch

    def breakpoints(self, stop: int) -> tuple[int, ...]:
        epochs = -(-stop // self.steps_per_epoch)
        inner = self.schedule.breakpoints(epochs)
        return _union([[p * self.steps_per_epoch for p in inner]], stop)


@dataclass(slots=True, repr=False, eq=False)
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

    _name: ClassVar[str] = "per_sample"
    _positional: ClassVar[int] = 2

    schedule: Schedule
    samples_per_step: int

    def __post_init__(self) -> None:
        object.__setattr__(self, "schedule", _schedule("schedule", self.schedule))
        object.__setattr__(
            self, "samples_per_step", _checks.length("samples_per_step", self.samples_per_step)
        )

    def _evaluate(self, t: Any, ops: Ops) -> Any:
        inner, size = self.schedule, self.samples_per_step
        if isinstance(inner, PerEpoch) and ops.fits(inner.steps_per_epoch * size):
            # Epochs of N samples: floor(t B / N) without forming t B, which would wrap
            # around in JAX's int32 counts; every term here stays below N B.
            n = inner.steps_per_epoch
            epochs = ops.floordiv(t, n) * size + ops.floordiv(ops.mod(t, n) * size, n)
            return inner.schedule._evaluate(epochs, ops)
        samples, ops = ops.times(t, size)
        return inner._evaluate(samples, ops)

    def breakpoints(self, stop: int) -> tuple[int, ...]:
        size = self.samples_per_step
        inner = self.schedule.breakpoints(stop * size)
        return _union([[-(-p // size) for p in inner]], stop)


@dataclass(slots=True, repr=False, eq=False)
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

    _name: ClassVar[str] = "clip"

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

    def _evaluate(self, t: Any, ops: Ops) -> Any:
        value = self.schedule._evaluate(t, ops)
        if self.low is not None:
            value = ops.maximum(value, self.low)
        if self.high is not None:
            value = ops.minimum(value, self.high)
        return value

    def _restrict(self, lo: float, hi: float) -> Restriction:
        part, start, stop = self.schedule._restrict(lo, hi)
        if part is self.schedule:
            return self, start, stop
        if type(part) is Constant:
            value = part.value
            if self.low is not None:
                value = max(value, self.low)
            if self.high is not None:
                value = min(value, self.high)
            return assemble(Constant, value=value), start, stop
        return assemble(Clip, schedule=part, low=self.low, high=self.high), start, stop

    def breakpoints(self, stop: int) -> tuple[int, ...]:
        return self.schedule.breakpoints(stop)


def _union(groups: Any, stop: int | None = None) -> tuple[int, ...]:
    points = {p for group in groups for p in group}
    if stop is not None:
        points = {p for p in points if 0 < p < stop}
    return tuple(sorted(points))


join = Join
cycle = Cycle
per_epoch = PerEpoch
per_sample = PerSample
clip = Clip
