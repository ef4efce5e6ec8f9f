r"""fvcore's ``ParamScheduler`` classes and detectron2's ``LRMultiplier``, as schedcore schedules.

fvcore states a schedule on the **fraction of the run**: its ``__call__(where)`` takes
``where`` in ``[0, 1)``. Each constructor here takes the scheduler's name and arguments
and returns a schedule whose step is that fraction, so ``s(0.25)`` is fvcore's value at a
quarter of the run. :func:`LRMultiplier` binds it to a run of ``max_iter`` updates as
detectron2's ``LRMultiplier`` does, ``base * m(t / max_iter)`` at update ``t``
(``sc.stretch(m, max_iter)``), and that is what to wrap::

    multiplier = compat.fvcore.WarmupParamScheduler(
        compat.fvcore.MultiStepParamScheduler([1.0, 0.1, 0.01], milestones=[60000, 80000], num_updates=90000),
        warmup_factor=0.001, warmup_length=1000 / 90000)
    scheduler = adapters.torch.wrap(optimizer, compat.fvcore.LRMultiplier(multiplier, max_iter=90000))

fvcore's values are absolute, and detectron2 uses them as multipliers of each group's
initial learning rate: wrap with the default ``base=None`` for that (``base=1.0`` for the
values themselves).

**Where the step functions switch.** fvcore decides its steps in floats, with a margin:
``MultiStepParamScheduler`` and ``StepParamScheduler`` index with
``int((where + 1e-6) * n)``, ``CompositeParamScheduler`` moves on once
``where + 1e-6 > `` the running total of ``lengths``. So a switch comes up to ``1e-6`` of
the run early (10 updates of a 10-million-update run), and where ``where`` falls within
rounding of the switch, the float arithmetic decides. These constructors find, at
construction, the smallest float ``where`` at which each of fvcore's float expressions
switches, and state the step function on a grid of :math:`2^{-62}` of the run
(``sc.stretch(..., 2**-62)``), which holds those floats exactly (switches below
:math:`2^{-10}` of the run are placed to within :math:`2^{-62}`): every switch happens at
the float ``where`` at which fvcore's happens, so also at the update detectron2's
``t / max_iter`` reaches it.

**Past the end** (``where >= 1``, updates detectron2 never trains): fvcore's
``ConstantParamScheduler`` and ``MultiStepParamScheduler`` raise, its
``StepParamScheduler`` raises an ``IndexError`` (for runs of more than a million updates
already in the last updates before the end), ``PolynomialDecayParamScheduler`` takes a
power of a negative number (complex, or rising again) and ``LinearParamScheduler``
extrapolates its line; here each of them keeps its value at the end. The cosine and the
exponential continue, as fvcore's do.
"""

from __future__ import annotations

import math
import struct
from collections.abc import Callable, Sequence

import schedcore as sc
from schedcore import _checks
from schedcore._base import Schedule
from schedcore.combinators import _schedules

__all__ = [
    "CompositeParamScheduler",
    "ConstantParamScheduler",
    "CosineParamScheduler",
    "ExponentialParamScheduler",
    "LRMultiplier",
    "LinearParamScheduler",
    "MultiStepParamScheduler",
    "PolynomialDecayParamScheduler",
    "StepParamScheduler",
    "StepWithFixedGammaParamScheduler",
    "WarmupParamScheduler",
]

#: fvcore's ``ParamScheduler.WHERE_EPSILON``: the margin its step functions add to ``where``.
WHERE_EPSILON = 1e-6
_GRID = 62  # step functions of where are stated in units of 2**-62 of the run
_UNIT = 2.0**-_GRID


def _bits(x: float) -> int:
    return int(struct.unpack("<q", struct.pack("<d", x))[0])


def _float(bits: int) -> float:
    return float(struct.unpack("<d", struct.pack("<q", bits))[0])


def _first(switched: Callable[[float], bool], high: float) -> float | None:
    """The smallest float ``where >= 0`` at which ``switched`` (false, then true) holds, or None.

    Non-negative floats are ordered as their bit patterns, so this bisects those.
    """
    if switched(0.0):
        return 0.0
    if not switched(high):
        return None
    low, top = 0, _bits(high)
    while top - low > 1:
        middle = (low + top) // 2
        if switched(_float(middle)):
            top = middle
        else:
            low = middle
    return _float(top)


def _grid(where: float) -> int:
    """``where`` on the grid of 2**-62 of the run: exact from 2**-10 on, else rounded up."""
    return math.ceil(math.ldexp(where, _GRID))


def _steps(switches: Sequence[float | None], values: Sequence[float]) -> Schedule:
    """``values[k]`` from the ``k``-th switch on (a fraction of the run; None: never), as a step function."""
    points: list[int] = []
    kept = [values[0]]
    for where, value in zip(switches, values[1:], strict=True):
        if where is None:
            break
        point = _grid(where)
        if point == 0 or (points and point == points[-1]):  # at the start, or with the switch before
            kept[-1] = value
        else:
            points.append(point)
            kept.append(value)
    if not points:
        return sc.constant(kept[0])
    return sc.stretch(sc.piecewise_constant(points, kept), _UNIT)


def _index_switches(scale: int, targets: Sequence[int]) -> list[float | None]:
    """Where fvcore's index ``int((where + 1e-6) * scale)`` first reaches each target, up to ``where = 1``."""

    def reaches(target: int) -> Callable[[float], bool]:
        return lambda where: int((where + WHERE_EPSILON) * scale) >= target

    return [_first(reaches(k), 1.0) for k in targets]


def _passes(total: float) -> Callable[[float], bool]:
    """The test of fvcore's ``CompositeParamScheduler`` for moving past a running total."""
    return lambda where: where + WHERE_EPSILON > total


def ConstantParamScheduler(value: float) -> Schedule:
    r"""``ConstantParamScheduler`` (fvcore): ``value`` over the whole run.

    Builds ``sc.constant(value)``. Differences: fvcore raises from ``where = 1`` on; this
    keeps ``value``.

    Args:
        value: The value.

    Raises:
        TypeError: ``value`` is not a number.
        ValueError: ``value`` is not finite.

    Example:
        >>> from schedcore import compat
        >>> compat.fvcore.ConstantParamScheduler(0.1)(0.5)
        0.1
    """
    return sc.constant(_checks.real("value", value))


def CosineParamScheduler(start_value: float, end_value: float) -> Schedule:
    r"""``CosineParamScheduler`` (fvcore): a half cosine from ``start_value`` to ``end_value``.

    .. math::
        s(w) = e + (a - e)\,\frac{1 + \cos(\pi w)}{2}

    where :math:`a` is ``start_value``, :math:`e` is ``end_value`` and :math:`w` is the
    fraction of the run (``sc.cosine_wave(1)``, scaled); as fvcore's, it rises again past
    the end.

    Args:
        start_value: The value at the start.
        end_value: The value at the end.

    Raises:
        TypeError: a value is not a number.
        ValueError: a value is not finite, or their difference overflows.

    Example:
        >>> from schedcore import compat
        >>> s = compat.fvcore.CosineParamScheduler(0.1, 0.0)
        >>> round(s(0.5), 12), s(1.0)
        (0.05, 0.0)
    """
    start = _checks.real("start_value", start_value)
    end = _checks.real("end_value", end_value)
    return _between(start, end, sc.cosine_wave(1))


def _between(start: float, end: float, shape: Schedule) -> Schedule:
    """``end + (start - end) * shape``, ``shape`` falling from 1 to 0."""
    height = _checks.derived("start_value - end_value", lambda: start - end, start_value=start, end_value=end)
    if end == 0.0:
        return shape if start == 1.0 else start * shape
    return height * shape + end


def ExponentialParamScheduler(start_value: float, decay: float) -> Schedule:
    r"""``ExponentialParamScheduler`` (fvcore): ``start_value * decay ** where``.

    Builds ``start_value * sc.exponential(decay)`` on the fraction of the run: ``decay`` is
    the factor over the whole run.

    Args:
        start_value: The value at the start.
        decay: The factor over the run; ``> 0`` (fvcore also takes others, which give
            complex numbers).

    Raises:
        TypeError: an argument is not a number.
        ValueError: ``decay <= 0`` or a value is not finite.

    Example:
        >>> from schedcore import compat
        >>> round(compat.fvcore.ExponentialParamScheduler(2.0, 0.02)(0.5), 12)
        0.282842712475
    """
    start = _checks.real("start_value", start_value)
    shape = sc.exponential(_checks.real("decay", decay, above=0.0))
    return shape if start == 1.0 else start * shape


def LinearParamScheduler(start_value: float, end_value: float) -> Schedule:
    r"""``LinearParamScheduler`` (fvcore): a line from ``start_value`` to ``end_value``.

    Builds ``sc.linear(start_value, end_value, 1)`` on the fraction of the run. Differences:
    past the end fvcore extrapolates the line (a decay goes below ``end_value``, to
    negative values); this keeps ``end_value``.

    Args:
        start_value: The value at the start.
        end_value: The value at the end.

    Raises:
        TypeError: a value is not a number.
        ValueError: a value is not finite.

    Example:
        >>> from schedcore import compat
        >>> compat.fvcore.LinearParamScheduler(0.0, 0.01)(0.25)
        0.0025
    """
    return sc.linear(_checks.real("start_value", start_value), _checks.real("end_value", end_value), 1)


def PolynomialDecayParamScheduler(base_value: float, power: float) -> Schedule:
    r"""``PolynomialDecayParamScheduler`` (fvcore): ``base_value * (1 - where) ** power``.

    Builds ``base_value * sc.polynomial(1, power=power)`` on the fraction of the run.
    Differences: past the end fvcore raises a negative number to ``power`` (a complex
    number for a fractional power); this keeps 0.

    Args:
        base_value: The value at the start.
        power: The exponent; ``>= 0``.

    Raises:
        TypeError: an argument is not a number.
        ValueError: ``power < 0`` or a value is not finite.

    Example:
        >>> from schedcore import compat
        >>> compat.fvcore.PolynomialDecayParamScheduler(0.1, 2.0)(0.5)
        0.025
    """
    base = _checks.real("base_value", base_value)
    shape = sc.polynomial(1, power=_checks.real("power", power, at_least=0.0))
    return shape if base == 1.0 else base * shape


def MultiStepParamScheduler(
    values: Sequence[float], num_updates: int | None = None, milestones: Sequence[int] | None = None
) -> Schedule:
    r"""``MultiStepParamScheduler`` (fvcore): ``values[i]`` between milestones, in units of ``num_updates``.

    The value at the fraction :math:`w` is ``values[k]``, :math:`k` the number of
    milestones :math:`m` with :math:`m \le \lfloor (w + 10^{-6})\,N \rfloor`,
    :math:`N` = ``num_updates``. As fvcore: without ``milestones`` the values split
    ``num_updates`` evenly (each lasting ``ceil(num_updates / len(values))``); without
    ``num_updates`` the last milestone is the end.

    Args:
        values: The value of each range; one more than the milestones.
        num_updates: The length of the run in the milestones' units.
        milestones: Where each range after the first starts; strictly increasing
            positive ints below ``num_updates``.

    Raises:
        TypeError: an argument has the wrong type.
        ValueError: both ``num_updates`` and ``milestones`` are missing, the counts do not
            match, a milestone is not in order or not below ``num_updates``, or
            ``num_updates`` is below the number of values (as fvcore checks).

    Example:
        >>> from schedcore import compat
        >>> s = compat.fvcore.MultiStepParamScheduler([1.0, 0.1, 0.01], num_updates=90, milestones=[30, 60])
        >>> s(0.3), s(0.4), s(0.7)  # the first milestone is at 30 / 90 of the run
        (1.0, 0.1, 0.01)
    """
    levels = _checks.reals("values", values)
    if not levels:
        raise ValueError("values must not be empty")
    if num_updates is None and milestones is None:
        raise ValueError("MultiStepParamScheduler needs num_updates or milestones, got neither")
    if milestones is None:
        total = _checks.length("num_updates", num_updates)
        width = math.ceil(total / float(len(levels)))
        points = [width * (i + 1) for i in range(len(levels) - 1)]
    else:
        points = list(_checks.lengths("milestones", milestones, strictly_increasing=True))
        expected = len(levels) - (0 if num_updates is None else 1)
        if len(points) != expected:
            raise ValueError(
                f"milestones must have {expected} entries for {len(levels)} values"
                f" ({'without' if num_updates is None else 'with'} num_updates), got {len(points)}"
            )
        if num_updates is None:
            total, points = points[-1], points[:-1]
        else:
            total = _checks.length("num_updates", num_updates)
    if total < len(levels):
        raise ValueError(
            f"num_updates must be at least the number of values, {len(levels)}, got num_updates={total}"
        )
    if points and points[-1] >= total:
        raise ValueError(f"milestones must be below num_updates={total}, got {points}")
    return _steps(_index_switches(total, points), levels)  # fvcore raises past where = 1


def StepParamScheduler(num_updates: float, values: Sequence[float]) -> Schedule:
    r"""``StepParamScheduler`` (fvcore): ``values`` in equal parts of the run.

    The value at the fraction :math:`w` is ``values[int((w + 1e-6) * n)]``, :math:`n`
    the number of values; ``num_updates`` is only checked, as in fvcore. Differences: where
    that index passes the last value (``where >= 1 - 1e-6``) fvcore raises an
    ``IndexError``; this keeps the last value.

    Args:
        num_updates: The run's length; a number ``> 0``, as fvcore checks.
        values: The values, at least one.

    Raises:
        TypeError: an argument has the wrong type.
        ValueError: ``num_updates <= 0`` or ``values`` is empty.

    Example:
        >>> from schedcore import compat
        >>> s = compat.fvcore.StepParamScheduler(120, [0.1, 0.01, 0.001, 0.0001])
        >>> s(0.2), s(0.3), s(0.99)
        (0.1, 0.01, 0.0001)
    """
    _checks.real("num_updates", num_updates, above=0.0)
    levels = _checks.reals("values", values)
    if not levels:
        raise ValueError("values must not be empty")
    return _steps(_index_switches(len(levels), range(1, len(levels))), levels)


def StepWithFixedGammaParamScheduler(
    base_value: float, num_decays: int, gamma: float, num_updates: int
) -> Schedule:
    r"""``StepWithFixedGammaParamScheduler`` (fvcore): ``num_decays`` drops by ``gamma``, evenly spaced.

    fvcore builds ``StepParamScheduler(num_updates, [base_value * gamma**k for k in 0 ..
    num_decays])`` (each value the one before times ``gamma``), and so does this.

    Args:
        base_value: The value at the start; ``> 0``.
        num_decays: How many drops; a positive int.
        gamma: The factor of each drop; ``> 0``.
        num_updates: The run's length; a positive int.

    Raises:
        TypeError: an argument has the wrong type.
        ValueError: a value is not positive, as fvcore checks.

    Example:
        >>> from schedcore import compat
        >>> s = compat.fvcore.StepWithFixedGammaParamScheduler(0.1, 3, 0.1, 120)
        >>> s(0.2), round(s(0.3), 12), round(s(0.99), 12)
        (0.1, 0.01, 0.0001)
    """
    base = _checks.real("base_value", base_value, above=0.0)
    decays = _checks.length("num_decays", num_decays)
    rate = _checks.real("gamma", gamma, above=0.0)
    _checks.length("num_updates", num_updates)
    if decays > 100_000:
        raise ValueError(_checks.must_be("num_decays", "at most 100000", num_decays))
    levels = [base]
    for _ in range(decays):
        levels.append(levels[-1] * rate)
    _checks.derived(
        "base_value * gamma ** num_decays",
        lambda: levels[-1] * 1.0,
        base_value=base,
        gamma=rate,
        num_decays=decays,
    )
    return StepParamScheduler(float(num_updates), levels)


_SCALINGS = ("rescaled", "fixed")


def CompositeParamScheduler(
    schedulers: Sequence[Schedule], lengths: Sequence[float], interval_scaling: Sequence[str]
) -> Schedule:
    r"""``CompositeParamScheduler`` (fvcore): schedulers one after another, each over a part of the run.

    Scheduler :math:`i` runs on the part of the run from :math:`c_{i-1}` to :math:`c_i`,
    the running totals of ``lengths`` (fvcore moves on once ``where + 1e-6 > c_i``); with
    ``"rescaled"`` it sees its own fraction :math:`(w - c_{i-1}) / l_i` (a
    ``sc.stretch`` by :math:`l_i` after :math:`c_{i-1}`), with ``"fixed"`` the run's
    :math:`w`. fvcore quirks reproduced: the last length becomes ``1 - sum(others)``
    when they do not add up to 1 (within 1e-3); a part starts up to ``1e-6`` early, and
    a rescaled scheduler then sees a slightly negative fraction.

    Args:
        schedulers: The parts' schedules, fractions of the run as this module builds them.
        lengths: The fraction of the run of each; ``>= 0``, adding up to 1 within 1e-3.
        interval_scaling: ``"rescaled"`` or ``"fixed"`` for each.

    Raises:
        TypeError: an argument has the wrong type.
        ValueError: the lists are empty or of different lengths, a length is negative, the
            lengths do not add up to 1, or a scaling is unknown.

    Example:
        >>> from schedcore import compat
        >>> s = compat.fvcore.CompositeParamScheduler(
        ...     [compat.fvcore.ConstantParamScheduler(0.42), compat.fvcore.CosineParamScheduler(0.42, 1e-4)],
        ...     lengths=[0.3, 0.7],
        ...     interval_scaling=["rescaled", "rescaled"],
        ... )
        >>> s(0.2), round(s(0.65), 6)
        (0.42, 0.21005)
    """
    pieces = list(_schedules("schedulers", schedulers))
    parts = list(_checks.reals("lengths", lengths, at_least=0.0))
    if not isinstance(interval_scaling, list | tuple):
        raise TypeError(
            _checks.must_be("interval_scaling", "a list of str", interval_scaling, show_type=True)
        )
    scalings = [
        _checks.choice(f"interval_scaling[{i}]", s, _SCALINGS) for i, s in enumerate(interval_scaling)
    ]
    if not pieces:
        raise ValueError("schedulers must not be empty")
    if not len(pieces) == len(parts) == len(scalings):
        raise ValueError(
            f"schedulers, lengths and interval_scaling must have the same length, got {len(pieces)},"
            f" {len(parts)} and {len(scalings)}"
        )
    total = sum(parts)  # summed as fvcore sums them
    if abs(total - 1.0) >= 1e-3:
        raise ValueError(f"lengths must add up to 1 (within 1e-3), got {parts} adding up to {total!r}")
    if total != 1.0:
        parts[-1] = 1.0 - sum(parts[:-1])  # fvcore's own correction
        if parts[-1] < 0.0:
            raise ValueError(f"lengths must leave the last part a length >= 0, got {list(lengths)}")
    ends, running = [], 0.0
    for part in parts:
        running += part  # fvcore's running total, summed in the same order
        ends.append(running)
    switches = [_first(_passes(end), 2.0) for end in ends[:-1]]  # where part i + 1 begins
    chosen: list[tuple[int, Schedule]] = []
    for i, piece in enumerate(pieces):
        begin = 0.0 if i == 0 else switches[i - 1]
        end_at = switches[i] if i < len(switches) else None
        if begin is None or (end_at is not None and _grid(end_at) <= _grid(begin)):
            continue  # a part that is never chosen
        if scalings[i] == "rescaled":
            if parts[i] == 0.0:
                raise ValueError(f"lengths[{i}] is 0 for a rescaled part that runs: fvcore divides by it")
            piece = sc.stretch(piece, parts[i], offset=ends[i] - parts[i])  # fvcore: running_total - length
        chosen.append((_grid(begin), piece))
    if len(chosen) == 1:
        return chosen[0][1]
    # On the grid of 2**-62 of the run, the join gives each part the time since its start;
    # the stretch gives the part the run's fraction back.
    parts_on_grid = [sc.stretch(piece, 2.0**_GRID, offset=-float(point)) for point, piece in chosen]
    return sc.stretch(sc.join(parts_on_grid, [point for point, _ in chosen[1:]]), _UNIT)


_WARMUPS = ("linear", "constant")


def WarmupParamScheduler(
    scheduler: Schedule,
    warmup_factor: float,
    warmup_length: float,
    warmup_method: str = "linear",
    rescale_interval: bool = False,
) -> Schedule:
    r"""detectron2's ``WarmupParamScheduler``: a warmup before ``scheduler``.

    detectron2 builds ``CompositeParamScheduler([warmup, scheduler], lengths=[warmup_length,
    1 - warmup_length], interval_scaling=["rescaled", "rescaled" if rescale_interval else
    "fixed"])`` with ``warmup`` a ``LinearParamScheduler`` from ``warmup_factor *
    scheduler(0)`` to ``scheduler(warmup_length)`` (``"linear"``) or a
    ``ConstantParamScheduler`` at ``warmup_factor * scheduler(0)`` (``"constant"``), and so
    does this (detectron2/solver/lr_scheduler.py). With the default ``"fixed"`` the
    scheduler sees the run's fraction, so it continues after the warmup where it would
    have been without it.

    Args:
        scheduler: The schedule after the warmup, a fraction of the run.
        warmup_factor: The warmup's first value, relative to ``scheduler``'s first.
        warmup_length: The warmup's fraction of the run, in ``[0, 1]`` (detectron2:
            ``warmup_iters / max_iter``).
        warmup_method: ``"linear"`` or ``"constant"``.
        rescale_interval: Whether ``scheduler`` runs rescaled over the rest of the run.

    Raises:
        TypeError: an argument has the wrong type.
        ValueError: ``warmup_length`` is outside ``[0, 1]`` or ``warmup_method`` is unknown.

    Example:
        >>> from schedcore import compat
        >>> steps = compat.fvcore.MultiStepParamScheduler([1.0, 0.1], milestones=[60, 90])
        >>> s = compat.fvcore.WarmupParamScheduler(steps, 0.001, 10 / 90)
        >>> s(0.0), round(s(5 / 90), 6), s(0.5), s(0.7)
        (0.001, 0.5005, 1.0, 0.1)
    """
    if not isinstance(scheduler, Schedule):
        raise TypeError(_checks.must_be("scheduler", "a schedule", scheduler, show_type=True))
    after = scheduler
    factor = _checks.real("warmup_factor", warmup_factor)
    length = _checks.real("warmup_length", warmup_length, at_least=0.0, at_most=1.0)
    method = _checks.choice("warmup_method", warmup_method, _WARMUPS)
    rescale = _checks.flag("rescale_interval", rescale_interval)
    start = _checks.derived("warmup_factor * scheduler(0)", lambda: factor * after(0.0), warmup_factor=factor)
    if method == "constant":
        warmup = ConstantParamScheduler(start)
    else:
        warmup = LinearParamScheduler(start, after(length))
    return CompositeParamScheduler(
        [warmup, after], [length, 1 - length], ["rescaled", "rescaled" if rescale else "fixed"]
    )


def LRMultiplier(multiplier: Schedule, max_iter: int) -> Schedule:
    r"""detectron2's ``LRMultiplier``: a fraction-of-run schedule bound to a run of ``max_iter`` updates.

    detectron2 documents it as: "Every step, the learning rate of each parameter becomes
    its initial value multiplied by the output of the given ParamScheduler", computed as
    ``multiplier(last_epoch / max_iter)`` (detectron2/solver/lr_scheduler.py). This builds
    ``sc.stretch(multiplier, max_iter)``, whose step ``t`` sees the same float
    ``t / max_iter``, so the step functions built here switch at the same update as
    detectron2's. Wrap it with the default ``base=None``: each group's initial learning
    rate times the multiplier, whatever their ratio. detectron2 imports nothing here.

    Args:
        multiplier: A schedule of the fraction of the run (any of this module's, or any
            schedule whose step is that fraction).
        max_iter: The run's length in updates; a positive int.

    Raises:
        TypeError: ``multiplier`` is not a schedule, or ``max_iter`` is not an int.
        ValueError: ``max_iter`` is below 1.

    Example:
        >>> from schedcore import compat
        >>> s = compat.fvcore.LRMultiplier(compat.fvcore.CosineParamScheduler(1.0, 0.0), max_iter=100)
        >>> round(s(50), 12), s(100)
        (0.5, 0.0)
    """
    if not isinstance(multiplier, Schedule):
        raise TypeError(_checks.must_be("multiplier", "a schedule", multiplier, show_type=True))
    return sc.stretch(multiplier, _checks.length("max_iter", max_iter))
