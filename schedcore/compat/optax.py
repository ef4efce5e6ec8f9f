r"""optax's schedules, rebuilt from core schedules, with optax's names and arguments.

Each constructor takes the arguments of the optax function of the same name and
returns a schedcore schedule of **absolute values** (optax states its schedules in
learning-rate units, not as multipliers), so run it with the default ``base=1.0``::

    from schedcore import adapters, compat

    lr = compat.optax.warmup_cosine_decay_schedule(0.0, 3e-4, 1_000, 100_000)
    opt = optax.adamw(learning_rate=adapters.optax.wrap(lr))

Through :func:`schedcore.adapters.optax.wrap` the optimizer sees optax's values (float64:
relative 1e-9; float32: relative 1e-6 of optax's value, or of the exact value where
optax's own float32 arithmetic strays), with optax's quirks, each listed in the
constructor's docstring. Where optax's float32 arithmetic is inexact, schedcore is
exact instead, and the docstring says so:

* step functions compare the integer count with the boundary: optax's
  ``exponential_decay(staircase=True)`` computes ``floor(count / transition_steps)`` in
  floating point, which XLA evaluates as ``count * (1 / transition_steps)`` and so
  decays one count late at some multiples (float32 with ``transition_steps=41``,
  float64 with ``49``), and early past ``2**24`` in float32;
* ramps are measured from the integer distance to their end: optax's float32
  ``polynomial_schedule`` never quite reaches ``end_value`` (``-4.7e-08`` instead of 0),
  and its cosines lose their relative accuracy near zero.

What schedcore does not copy: arguments optax accepts but that no schedule can mean
(lengths that are not whole numbers, negative decay rates, negative boundaries in
the interpolated and joined schedules, ``pct_start`` outside ``[0, 1]``) are errors
here, raised at construction with the parameter and the value; optax's schedule
values may be JAX arrays, schedcore's are Python numbers.

This module holds no formula of its own and imports no framework.
"""

from __future__ import annotations

import math
import numbers
import operator
from collections.abc import Iterable, Mapping
from functools import partial
from typing import Any

from schedcore import _checks
from schedcore._base import Schedule
from schedcore.combinators import _schedules, clip, join
from schedcore.schedules import (
    constant,
    cosine,
    exponential,
    linear,
    piecewise_constant,
    piecewise_linear,
    polynomial,
    step_decay,
    wsd,
)

__all__ = [
    "constant_schedule",
    "cosine_decay_schedule",
    "cosine_onecycle_schedule",
    "exponential_decay",
    "join_schedules",
    "linear_onecycle_schedule",
    "linear_schedule",
    "piecewise_constant_schedule",
    "piecewise_interpolate_schedule",
    "polynomial_schedule",
    "sgdr_schedule",
    "warmup_constant_schedule",
    "warmup_cosine_decay_schedule",
    "warmup_exponential_decay_schedule",
]


# --- argument checks for optax's conventions -----------------------------------------


def _whole(name: str, value: object) -> int:
    """An integral number of any sign (optax gives meaning to zero and negative counts)."""
    if isinstance(value, numbers.Integral) and not isinstance(value, bool):
        number = int(value)
    elif (
        isinstance(value, numbers.Real)
        and not isinstance(value, bool)
        and math.isfinite(float(value))
        and float(value).is_integer()
    ):
        number = int(float(value))
    else:
        raise TypeError(_checks.must_be(name, "an int", value, show_type=True))
    if abs(number) > _checks.MAX_LENGTH:
        raise ValueError(_checks.must_be(name, "an int between -2**63 and 2**63", value))
    return number


def _scales(name: str, value: object, *, negative: bool = True) -> list[tuple[int, float]]:
    """The ``{boundary: scale}`` dict as ``(boundary, scale)`` pairs, sorted as optax sorts them.

    With ``negative=False`` a boundary below 0 is an error.
    """
    if value is None:
        return []
    if not isinstance(value, Mapping):
        raise TypeError(_checks.must_be(name, "a dict {step: scale} or None", value, show_type=True))
    pairs = []
    for key, scale in value.items():
        step = _whole(f"{name} key", key) if negative else _checks.length(f"{name} key", key, minimum=0)
        pairs.append((step, _checks.real(f"{name}[{step}]", scale, at_least=0.0)))
    return sorted(pairs)


def _points(
    init: float, pairs: list[tuple[int, float]], **arguments: object
) -> tuple[list[int], list[float]]:
    """The boundaries (from 0) and the values of optax's running products ``init * scale * ...``.

    A boundary at or below 0 scales the first value. ``arguments`` are the caller's, named
    in the error raised where a product is not a finite number.
    """
    boundaries, values = [0], [init]
    for step, scale in pairs:
        product = partial(operator.mul, values[-1], scale)
        value = _checks.derived(f"the value at count {max(step, 0)}", product, **arguments)
        if step <= 0:
            values[0] = value
        else:
            boundaries.append(step)
            values.append(value)
    return boundaries, values


# --- building blocks ----------------------------------------------------------------


def _scaled(value: float, schedule: Schedule) -> Schedule:
    """``value * schedule``, without a factor of 1 in the ``repr``."""
    return schedule if value == 1.0 else value * schedule


def _held(schedule: Schedule, value: float, begin: int) -> Schedule:
    """Hold ``value`` for ``begin`` updates, then run ``schedule`` in local time."""
    return join([constant(value), schedule], [begin]) if begin > 0 else schedule


def _cosine_segment(start: float, end: float, steps: int) -> Schedule:
    r"""``end + (start - end) * (1 + cos(pi t / steps)) / 2`` on ``[0, steps)``.

    The curve is stated from the side nearer zero, so that side keeps its relative
    accuracy in float32: a fall is ``start * cosine(steps, end=end / start)``, a rise
    is ``end`` times a cosine warmup from ``start / end`` (``wsd`` with a cosine warmup;
    a join replaces it at ``steps``, where ``wsd`` would drop).
    """
    if start == end:
        return constant(start)
    if abs(end) < abs(start):
        return _scaled(start, cosine(steps, end=end / start))
    return _scaled(end, wsd(steps, 0, 0, end=start / end, warmup_shape="cosine"))


def _polynomial(init: float, end: float, power: float, steps: int, begin: int) -> Schedule:
    """:func:`polynomial_schedule` from checked arguments (also the warmup of the others)."""
    if steps <= 0 or init == end:
        return constant(init)
    curve: Schedule
    if power == 1.0:
        curve = linear(init, end, steps)
    else:
        curve = (init - end) * polynomial(steps, power=power)
        curve = curve + end if end != 0.0 else curve
    return _held(curve, init, max(begin, 0))


def _cosine_decay(init: float, steps: int, alpha: float, exponent: float) -> Schedule:
    """:func:`cosine_decay_schedule` from checked arguments."""
    return _scaled(init, cosine(steps, end=alpha, power=exponent))


def _exponential_decay(
    init: float,
    transition_steps: object,
    decay_rate: object,
    transition_begin: object,
    staircase: object,
    end_value: object,
) -> Schedule:
    """:func:`exponential_decay` from a checked start ``init``; the other arguments are checked here.

    They have the same names in :func:`warmup_exponential_decay_schedule`, which starts
    the decay from its ``peak_value``.
    """
    steps = _whole("transition_steps", transition_steps)
    rate = _checks.real("decay_rate", decay_rate)
    begin = _whole("transition_begin", transition_begin)
    stairs = _checks.flag("staircase", staircase)
    end = None if end_value is None else _checks.real("end_value", end_value)
    if steps <= 0 or rate == 0.0:
        return constant(init)
    rate = _checks.real("decay_rate", rate, above=0.0)
    decay = step_decay(steps, gamma=rate) if stairs else exponential(rate, every=steps)
    curve = _held(_scaled(init, decay), init, max(begin, 0))
    if end is None:
        return curve
    return clip(curve, low=end) if rate < 1.0 else clip(curve, high=end)


def _interpolated(kind: str, points: list[int], values: list[float]) -> Schedule:
    """:func:`piecewise_interpolate_schedule` through checked ``points`` (from 0) and ``values``."""
    if kind == "linear":
        return piecewise_linear(points, values)
    if len(points) == 1:
        return constant(values[0])
    pieces = [
        _cosine_segment(values[k], values[k + 1], points[k + 1] - points[k]) for k in range(len(points) - 1)
    ]
    return join([*pieces, constant(values[-1])], points[1:])


def _joined(pieces: list[Schedule], boundaries: list[int]) -> Schedule:
    """Join checked pieces as optax does, leaving out what its ``zip`` drops and the pieces it hides."""
    used = min(len(pieces) - 1, len(boundaries))
    starts = [0, *boundaries[:used]]
    visible: list[tuple[int, Schedule]] = []
    limit: float = math.inf
    for start, piece in reversed(list(zip(starts, pieces[: used + 1], strict=True))):
        if start < limit:  # a later piece starts no later: this one never runs
            visible.append((start, piece))
            limit = start
    visible.reverse()  # the first visible piece starts at 0
    if len(visible) == 1:
        return visible[0][1]
    return join([piece for _, piece in visible], [start for start, _ in visible[1:]])


# --- the constructors ---------------------------------------------------------------


def constant_schedule(value: float) -> Schedule:
    """``optax.constant_schedule``: the same value at every count.

    Builds ``constant(value)``.

    Args:
        value: The value.

    Raises:
        TypeError: ``value`` is not a number (optax also takes arrays).
        ValueError: ``value`` is not finite.

    Example:
        >>> constant_schedule(5e-4)(1_000)
        0.0005
    """
    return constant(_checks.real("value", value))


def polynomial_schedule(
    init_value: float,
    end_value: float,
    power: float,
    transition_steps: int,
    transition_begin: int = 0,
) -> Schedule:
    r"""``optax.polynomial_schedule``: from ``init_value`` to ``end_value`` along a power.

    .. math::
        v(t) = (I - E)\,\bigl(1 - \min(\max(t - B, 0), T) / T\bigr)^{P} + E

    where :math:`I` is ``init_value``, :math:`E` is ``end_value``, :math:`P` is
    ``power``, :math:`T` is ``transition_steps`` and :math:`B` is ``transition_begin``.
    Builds ``(I - E) * polynomial(T, power=P) + E`` (``linear(I, E, T)`` when
    :math:`P = 1`), after ``constant(I)`` for :math:`B` updates through ``join``.

    Quirks reproduced: ``transition_steps <= 0`` gives ``constant(init_value)``; a
    negative ``transition_begin`` falls back to 0.

    How schedcore differs: ``end_value`` is reached exactly at :math:`B + T` (optax's
    float32 ``1 - count / T`` never quite gets there: ``-4.7e-08`` instead of 0 for a
    decay of 1 to 0 over 1000 counts). A rise with ``power != 1`` is stated from its
    end, as optax states it, so in float32 its first values carry an absolute error of
    about ``1e-7 * |end_value|``, like optax's own.

    Args:
        init_value: Value before and at ``transition_begin``.
        end_value: Value from ``transition_begin + transition_steps`` on.
        power: Exponent of the polynomial, ``>= 0``.
        transition_steps: Length of the transition in updates.
        transition_begin: Updates at ``init_value`` before the transition starts.

    Raises:
        TypeError: a length is not a whole number, or a value is not a number.
        ValueError: a value is not finite, a length is ``2**63`` or more in magnitude,
            ``power < 0``, or (with ``power != 1``) ``init_value - end_value`` overflows.

    Example:
        >>> s = polynomial_schedule(1.0, 0.01, power=2, transition_steps=100, transition_begin=5)
        >>> [round(s(t), 4) for t in (0, 5, 6, 104, 105, 110)]
        [1.0, 1.0, 0.9803, 0.0101, 0.01, 0.01]
    """
    init = _checks.real("init_value", init_value)
    end = _checks.real("end_value", end_value)
    exponent = _checks.real("power", power, at_least=0.0)
    steps = _whole("transition_steps", transition_steps)
    begin = _whole("transition_begin", transition_begin)
    if exponent != 1.0:  # the curve is scaled by init_value - end_value
        _checks.derived("init_value - end_value", lambda: init - end, init_value=init, end_value=end)
    return _polynomial(init, end, exponent, steps, begin)


def linear_schedule(
    init_value: float,
    end_value: float,
    transition_steps: int,
    transition_begin: int = 0,
) -> Schedule:
    r"""``optax.linear_schedule``: a straight line from ``init_value`` to ``end_value``.

    .. math::
        v(t) = I + (E - I)\,\min(\max(t - B, 0), T) / T

    where :math:`I` is ``init_value``, :math:`E` is ``end_value``, :math:`T` is
    ``transition_steps`` and :math:`B` is ``transition_begin``. Builds
    ``linear(I, E, T)``, after ``constant(I)`` for :math:`B` updates through ``join``:
    :func:`polynomial_schedule` with ``power=1``, as in optax.

    Quirks reproduced: ``transition_steps <= 0`` gives ``constant(init_value)``; a
    negative ``transition_begin`` falls back to 0.

    How schedcore differs: the line is exact at both ends in float32 (optax's
    ``1 - count / T`` overshoots ``end_value`` by a few 1e-8).

    Args:
        init_value: Value before and at ``transition_begin``.
        end_value: Value from ``transition_begin + transition_steps`` on.
        transition_steps: Length of the transition in updates.
        transition_begin: Updates at ``init_value`` before the transition starts.

    Raises:
        TypeError: a length is not a whole number, or a value is not a number.
        ValueError: a value is not finite, or a length is ``2**63`` or more in magnitude.

    Example:
        >>> linear_schedule(0.0, 1e-3, transition_steps=100)
        linear(0.0, 0.001, 100)
    """
    return polynomial_schedule(init_value, end_value, 1.0, transition_steps, transition_begin)


def cosine_decay_schedule(
    init_value: float,
    decay_steps: int,
    alpha: float = 0.0,
    exponent: float = 1.0,
) -> Schedule:
    r"""``optax.cosine_decay_schedule``: cosine decay from ``init_value`` to ``alpha * init_value``.

    .. math::
        v(t) = I\,\Bigl((1 - \alpha)\,\Bigl(\frac{1 + \cos(\pi \min(t, T) / T)}{2}\Bigr)^{p} + \alpha\Bigr)

    where :math:`I` is ``init_value``, :math:`T` is ``decay_steps``, :math:`\alpha` is
    ``alpha`` and :math:`p` is ``exponent``. Builds
    ``I * cosine(T, end=alpha, power=exponent)``.

    How schedcore differs: the cosine is evaluated as :math:`\sin^2`, so in float32
    the values near the end keep their relative accuracy (optax's ``1 + cos`` cancels
    there) and reach ``alpha * init_value`` exactly at :math:`T`.

    Args:
        init_value: Value at count 0.
        decay_steps: Length of the decay in updates; a positive int.
        alpha: Final value as a fraction of ``init_value``.
        exponent: Power of the cosine factor, ``>= 0``.

    Raises:
        TypeError: ``decay_steps`` is not a whole number (optax also takes ``2.5``),
            or a value is not a number.
        ValueError: ``decay_steps < 1`` (as optax), a value is not finite, or
            ``exponent < 0``.

    Example:
        >>> s = cosine_decay_schedule(0.1, decay_steps=100, alpha=0.1)
        >>> s
        0.1 * cosine(100, end=0.1)
        >>> round(s(50), 12), round(s(100), 12), s(100) == s(1_000)
        (0.055, 0.01, True)
    """
    return _cosine_decay(
        _checks.real("init_value", init_value),
        _checks.length("decay_steps", decay_steps),
        _checks.real("alpha", alpha),
        _checks.real("exponent", exponent, at_least=0.0),
    )


def exponential_decay(
    init_value: float,
    transition_steps: int,
    decay_rate: float,
    transition_begin: int = 0,
    staircase: bool = False,
    end_value: float | None = None,
) -> Schedule:
    r"""``optax.exponential_decay``: ``init_value`` times ``decay_rate`` per ``transition_steps``.

    .. math::
        v(t) = \operatorname{clip}\bigl(I\, r^{\,p(t)}, E\bigr), \qquad
        p(t) = \frac{\max(t - B, 0)}{T}
        \quad\Bigl(\Bigl\lfloor \frac{\max(t - B, 0)}{T} \Bigr\rfloor \text{ with staircase}\Bigr)

    where :math:`I` is ``init_value``, :math:`r` is ``decay_rate``, :math:`T` is
    ``transition_steps``, :math:`B` is ``transition_begin`` and the clip bounds the
    value below by :math:`E` = ``end_value`` when :math:`r < 1`, above when
    :math:`r \ge 1`. Builds ``I * exponential(r, every=T)`` (``I * step_decay(T, r)``
    with ``staircase``), after ``constant(I)`` for :math:`B` updates through ``join``,
    inside ``clip(..., low=E)`` or ``clip(..., high=E)``.

    Quirks reproduced: ``transition_steps <= 0`` or ``decay_rate == 0`` gives
    ``constant(init_value)``, whatever ``end_value``; a negative ``transition_begin``
    falls back to 0; with ``decay_rate == 1`` the ``end_value`` is an upper bound, so
    an ``end_value`` below ``init_value`` replaces it from the first count.

    How schedcore differs: the staircase drops exactly at :math:`B + kT`, an integer
    comparison. optax computes :math:`\lfloor (t - B) / T \rfloor` in floating point,
    and XLA turns the division into a multiplication by :math:`1 / T`, so optax decays
    one count late at some multiples (float32 with ``transition_steps=41``, float64
    with ``49``), and early or late past ``2**24`` in float32. A negative
    ``decay_rate`` (NaN or alternating signs in optax) is an error here.

    Args:
        init_value: Value up to ``transition_begin``.
        transition_steps: Updates over which the value is multiplied by ``decay_rate``.
        decay_rate: Factor per ``transition_steps``; ``> 0`` (or 0, see above).
        transition_begin: Updates at ``init_value`` before the decay starts.
        staircase: Drop by whole factors every ``transition_steps`` updates.
        end_value: Bound on the value, or ``None``.

    Raises:
        TypeError: a length is not a whole number, a value is not a number, or
            ``staircase`` is not a bool.
        ValueError: a value is not finite, a length is ``2**63`` or more in magnitude,
            or ``decay_rate < 0``.

    Example:
        >>> s = exponential_decay(1.0, transition_steps=10, decay_rate=0.5, staircase=True)
        >>> s(9), s(10), s(25)
        (1.0, 0.5, 0.25)
    """
    return _exponential_decay(
        _checks.real("init_value", init_value),
        transition_steps,
        decay_rate,
        transition_begin,
        staircase,
        end_value,
    )


def piecewise_constant_schedule(
    init_value: float,
    boundaries_and_scales: Mapping[int, float] | None = None,
) -> Schedule:
    r"""``optax.piecewise_constant_schedule``: multiply by a scale at each boundary.

    .. math::
        v(t) = I \prod_{b \le t} c_b

    where :math:`I` is ``init_value`` and :math:`c_b` is the scale of boundary
    :math:`b` in ``boundaries_and_scales``. Builds
    ``piecewise_constant(boundaries, values)`` with the running products as values.

    Quirks reproduced: a boundary applies from its own count on (``t >= b``); scales
    must be ``>= 0``; a boundary at 0 or below scales the value from the first count
    (folded into the first value).

    How schedcore differs: nothing in values (boundaries are exact integer
    comparisons in both). optax cannot trace a boundary beyond ``2**31 - 1`` next to
    its int32 count (``OverflowError``); here such a boundary is never reached.

    Args:
        init_value: Value before the first boundary.
        boundaries_and_scales: ``{count: scale}``; ``None`` or ``{}`` for a constant.

    Raises:
        TypeError: not a dict, a boundary is not a whole number, or a scale is not a number.
        ValueError: a scale is negative or not finite, a boundary is ``2**63`` or more
            in magnitude, or a running product of the scales overflows.

    Example:
        >>> s = piecewise_constant_schedule(1.0, {100: 0.1, 200: 0.01})
        >>> s
        piecewise_constant([100, 200], [1.0, 0.1, 0.001])
        >>> s(99), s(100), s(250)
        (1.0, 0.1, 0.001)
    """
    init = _checks.real("init_value", init_value)
    pairs = _scales("boundaries_and_scales", boundaries_and_scales)
    points, values = _points(init, pairs, init_value=init, boundaries_and_scales=boundaries_and_scales)
    if len(points) == 1:
        return constant(values[0])
    return piecewise_constant(points[1:], values)


def piecewise_interpolate_schedule(
    interpolate_type: str,
    init_value: float,
    boundaries_and_scales: Mapping[int, float] | None = None,
) -> Schedule:
    r"""``optax.piecewise_interpolate_schedule``: interpolate between running products.

    With the boundaries :math:`0 = b_0 < b_1 < \dots < b_n` and the values
    :math:`v_0 = I`, :math:`v_k = v_{k-1} c_{b_k}` (``init_value`` times the scales of
    ``boundaries_and_scales`` so far):

    .. math::
        v(t) = v_k + (v_{k+1} - v_k)\,g\Bigl(\frac{t - b_k}{b_{k+1} - b_k}\Bigr)
        \quad\text{for } b_k \le t < b_{k+1}, \qquad v(t) = v_n \text{ for } t \ge b_n

    where :math:`g(p) = p` (``"linear"``) or :math:`g(p) = (1 - \cos \pi p) / 2`
    (``"cosine"``). Builds ``piecewise_linear([0, b_1, ...], [v_0, v_1, ...])`` for
    ``"linear"``; for ``"cosine"``, a ``join`` of one cosine per interval (a falling
    one is ``v_k * cosine(...)``, a rising one ``v_{k+1} * wsd(...)`` with a cosine
    warmup), then ``constant(v_n)``.

    Quirks reproduced: the first interval starts at count 0, so the value moves from
    ``init_value`` towards the first product right away; the interval sizes of 0 that
    optax treats as 1 arise only from a boundary at 0, whose scale then applies from
    the first count; scales must be ``>= 0``.

    How schedcore differs: each piece is stated from its end nearer zero, so float32
    values keep their relative accuracy there (optax's ``cos + 1`` cancels), and
    interval ends are exact. A negative boundary, which makes optax start an interval
    before count 0, is an error here.

    Args:
        interpolate_type: ``"linear"`` or ``"cosine"``.
        init_value: Value at count 0.
        boundaries_and_scales: ``{count: scale}``; ``None`` or ``{}`` for a constant.

    Raises:
        TypeError: a dict or its entries have the wrong type.
        ValueError: ``interpolate_type`` is unknown, a scale is negative, a boundary
            is negative, or a running product of the scales overflows.

    Example:
        >>> s = piecewise_interpolate_schedule("linear", 1.0, {4: 0.1, 8: 0.01})
        >>> [round(s(t), 6) for t in range(0, 11, 2)]
        [1.0, 0.55, 0.1, 0.0505, 0.001, 0.001]
    """
    kind = _checks.choice("interpolate_type", interpolate_type, ("linear", "cosine"))
    init = _checks.real("init_value", init_value)
    # A boundary at 0 gives the empty interval [0, 0): its scale applies from count 0.
    pairs = _scales("boundaries_and_scales", boundaries_and_scales, negative=False)
    points, values = _points(init, pairs, init_value=init, boundaries_and_scales=boundaries_and_scales)
    return _interpolated(kind, points, values)


def join_schedules(schedules: list[Schedule], boundaries: list[int]) -> Schedule:
    r"""``optax.join_schedules``: run schedules one after another, each in local time.

    .. math::
        v(t) = s_k(t - b_k) \quad\text{with } k \text{ the last index such that } t \ge b_k

    where :math:`s_k` are ``schedules``, :math:`b_k` are ``boundaries`` (and
    :math:`b_0 = 0`). Builds ``join(schedules, boundaries)`` after dropping what
    optax ignores.

    Quirks reproduced: like optax's ``zip``, extra schedules (or extra boundaries) are
    ignored, where :func:`schedcore.join` checks the counts (here they are still
    checked: an extra piece must be a schedule, an extra boundary an int); later pieces win,
    so boundaries that do not increase hide the pieces they overtake (with
    ``[10, 5]`` the middle piece never runs); a boundary of 0 hides every piece
    before it.

    How schedcore differs: the pieces are schedcore schedules (for example from this
    module), not optax functions; a negative boundary (a piece starting before count
    0 in optax) and an empty list are errors here.

    Args:
        schedules: The pieces, in order.
        boundaries: The count at which each piece after the first starts.

    Raises:
        TypeError: a piece is not a schedule, or a boundary is not a whole number.
        ValueError: there is no schedule, or a boundary is negative.

    Example:
        >>> s = join_schedules([constant_schedule(1.0), linear_schedule(1.0, 0.0, 10)], [5])
        >>> s
        join([constant(1.0), linear(1.0, 0.0, 10)], [5])
        >>> s(4), s(10), s(15)
        (1.0, 0.5, 0.0)
    """
    pieces = list(_schedules("schedules", schedules))
    items = _checks.sequence("boundaries", boundaries, "a list of ints")
    starts = [_checks.length(f"boundaries[{i}]", b, minimum=0) for i, b in enumerate(items)]
    if not pieces:
        raise ValueError("schedules must not be empty")
    return _joined(pieces, starts)


def warmup_constant_schedule(init_value: float, peak_value: float, warmup_steps: int) -> Schedule:
    r"""``optax.warmup_constant_schedule``: a linear warmup, then ``peak_value``.

    .. math::
        v(t) = I + (P - I)\,\min(t, W) / W

    where :math:`I` is ``init_value``, :math:`P` is ``peak_value`` and :math:`W` is
    ``warmup_steps``. Builds ``linear(I, P, W)`` through :func:`linear_schedule`,
    as optax does.

    Quirks reproduced: ``warmup_steps <= 0`` gives ``constant(init_value)``, never
    reaching ``peak_value``.

    Args:
        init_value: Value at count 0.
        peak_value: Value from ``warmup_steps`` on.
        warmup_steps: Length of the warmup in updates.

    Raises:
        TypeError: ``warmup_steps`` is not a whole number, or a value is not a number.
        ValueError: a value is not finite, or ``warmup_steps`` is ``2**63`` or more in
            magnitude.

    Example:
        >>> warmup_constant_schedule(0.0, 1e-3, 100)(50)
        0.0005
    """
    init = _checks.real("init_value", init_value)
    peak = _checks.real("peak_value", peak_value)
    return _polynomial(init, peak, 1.0, _whole("warmup_steps", warmup_steps), 0)


def warmup_cosine_decay_schedule(
    init_value: float,
    peak_value: float,
    warmup_steps: int,
    decay_steps: int,
    end_value: float = 0.0,
    exponent: float = 1.0,
) -> Schedule:
    r"""``optax.warmup_cosine_decay_schedule``: linear warmup, then cosine decay.

    .. math::
        v(t) = \begin{cases}
        I + (P - I)\,t / W & t < W \\
        P\,\Bigl((1 - \alpha)\,\Bigl(\frac{1 + \cos(\pi \min(t - W, D - W) / (D - W))}{2}\Bigr)^{p}
        + \alpha\Bigr) & t \ge W
        \end{cases}

    where :math:`I` is ``init_value``, :math:`P` is ``peak_value``, :math:`W` is
    ``warmup_steps``, :math:`D` is ``decay_steps`` (the total length, warmup
    included), :math:`p` is ``exponent`` and :math:`\alpha = E / P` with :math:`E` =
    ``end_value``. Builds, as optax, ``join([linear(I, P, W), P * cosine(D - W,
    end=alpha, power=p)], [W])`` from :func:`linear_schedule`,
    :func:`cosine_decay_schedule` and :func:`join_schedules`.

    Quirks reproduced: ``warmup_steps=0`` starts the cosine at count 0 (at ``peak_value``);
    ``peak_value=0`` makes every value after the warmup 0, whatever ``end_value``;
    ``end_value`` goes through ``end_value / peak_value``, so it is reached up to one
    rounding.

    How schedcore differs: a negative ``warmup_steps`` is an error (optax would shift
    the cosine to start before count 0); see :func:`cosine_decay_schedule` for the
    float32 accuracy near the end.

    Args:
        init_value: Value at count 0.
        peak_value: Value at the end of the warmup.
        warmup_steps: Length of the warmup in updates; an int ``>= 0``.
        decay_steps: Length of the whole schedule, warmup included; more than
            ``warmup_steps``.
        end_value: Value from ``decay_steps`` on.
        exponent: Power of the cosine factor, ``>= 0``.

    Raises:
        TypeError: a length is not a whole number, or a value is not a number.
        ValueError: ``warmup_steps < 0``, ``decay_steps <= warmup_steps`` (optax's
            cosine needs a positive length), a value is out of range, or
            ``end_value / peak_value`` overflows.

    Example:
        >>> s = warmup_cosine_decay_schedule(0.0, 1.0, warmup_steps=10, decay_steps=110, end_value=0.1)
        >>> s
        join([linear(0.0, 1.0, 10), cosine(100, end=0.1)], [10])
        >>> s(5), s(10), round(s(60), 12), s(110)
        (0.5, 1.0, 0.55, 0.1)
    """
    init = _checks.real("init_value", init_value)
    peak = _checks.real("peak_value", peak_value)
    warmup = _checks.length("warmup_steps", warmup_steps, minimum=0)
    total = _whole("decay_steps", decay_steps)
    end = _checks.real("end_value", end_value)
    power = _checks.real("exponent", exponent, at_least=0.0)
    if total <= warmup:
        raise ValueError(
            f"decay_steps must be greater than warmup_steps (the cosine lasts"
            f" decay_steps - warmup_steps updates), got decay_steps={total} and warmup_steps={warmup}"
        )
    alpha = 0.0
    if peak != 0.0:
        alpha = _checks.derived("end_value / peak_value", lambda: end / peak, end_value=end, peak_value=peak)
    warmup_part = _polynomial(init, peak, 1.0, warmup, 0)
    return _joined([warmup_part, _cosine_decay(peak, total - warmup, alpha, power)], [warmup])


def warmup_exponential_decay_schedule(
    init_value: float,
    peak_value: float,
    warmup_steps: int,
    transition_steps: int,
    decay_rate: float,
    transition_begin: int = 0,
    staircase: bool = False,
    end_value: float | None = None,
) -> Schedule:
    r"""``optax.warmup_exponential_decay_schedule``: linear warmup, then exponential decay.

    .. math::
        v(t) = \begin{cases}
        I + (P - I)\,t / W & t < W \\
        d(t - W) & t \ge W
        \end{cases}

    where :math:`I` is ``init_value``, :math:`P` is ``peak_value``, :math:`W` is
    ``warmup_steps`` and :math:`d` is :func:`exponential_decay` from ``peak_value``
    with the remaining arguments. Builds, as optax, ``join([linear(I, P, W), d], [W])``
    from :func:`linear_schedule`, :func:`exponential_decay` and :func:`join_schedules`.

    Quirks reproduced: those of :func:`exponential_decay` (``transition_begin`` counts
    from the end of the warmup; ``transition_steps <= 0`` or ``decay_rate == 0``
    holds ``peak_value``) and ``warmup_steps=0`` starting the decay at count 0.

    How schedcore differs: a negative ``warmup_steps`` is an error; the staircase
    drops at exact counts (see :func:`exponential_decay`).

    Args:
        init_value: Value at count 0.
        peak_value: Value at the end of the warmup.
        warmup_steps: Length of the warmup in updates; an int ``>= 0``.
        transition_steps: Updates over which the value is multiplied by ``decay_rate``.
        decay_rate: Factor per ``transition_steps``; ``> 0`` (or 0: no decay).
        transition_begin: Updates at ``peak_value`` after the warmup before the decay.
        staircase: Drop by whole factors every ``transition_steps`` updates.
        end_value: Bound on the decayed value, or ``None``.

    Raises:
        TypeError: a length is not a whole number, a value is not a number, or
            ``staircase`` is not a bool.
        ValueError: ``warmup_steps < 0``, ``decay_rate < 0``, a length is ``2**63`` or
            more in magnitude, or a value is not finite.

    Example:
        >>> s = warmup_exponential_decay_schedule(0.0, 1.0, 10, transition_steps=5, decay_rate=0.5)
        >>> s(5), s(10), s(20)
        (0.5, 1.0, 0.25)
    """
    init = _checks.real("init_value", init_value)
    peak = _checks.real("peak_value", peak_value)
    warmup = _checks.length("warmup_steps", warmup_steps, minimum=0)
    decay = _exponential_decay(peak, transition_steps, decay_rate, transition_begin, staircase, end_value)
    return _joined([_polynomial(init, peak, 1.0, warmup, 0), decay], [warmup])


def _onecycle_factors(div_factor: float, final_div_factor: float) -> tuple[float, float]:
    return (
        _checks.real("div_factor", div_factor, above=0.0),
        _checks.real("final_div_factor", final_div_factor, above=0.0),
    )


def _onecycle(
    kind: str, peak: float, div: float, scales: dict[int, float], factors: dict[str, float]
) -> Schedule:
    """The one-cycle schedules: ``piecewise_interpolate_schedule(kind, peak / div, scales)``.

    Where two boundaries of ``scales`` coincide, its dict literal kept the later scale, as
    optax's does. ``factors`` are the caller's arguments, named where a value overflows.
    """
    first = _checks.derived("peak_value / div_factor", lambda: peak / div, **factors)
    points, values = _points(first, sorted(scales.items()), **factors)
    return _interpolated(kind, points, values)


def cosine_onecycle_schedule(
    transition_steps: int,
    peak_value: float,
    pct_start: float = 0.3,
    div_factor: float = 25.0,
    final_div_factor: float = 1e4,
) -> Schedule:
    r"""``optax.cosine_onecycle_schedule``: a cosine rise to ``peak_value``, then a cosine fall.

    With :math:`T` = ``transition_steps``, :math:`P` = ``peak_value``, :math:`A = P / d`
    (:math:`d` = ``div_factor``) and the peak at :math:`K = \operatorname{int}(f T)`
    (:math:`f` = ``pct_start``):

    .. math::
        v(t) = \begin{cases}
        A + (P - A)\,\frac{1 - \cos(\pi t / K)}{2} & t < K \\
        P + (A / F - P)\,\frac{1 - \cos(\pi (t - K) / (T - K))}{2} & K \le t < T \\
        A / F & t \ge T
        \end{cases}

    where :math:`F` is ``final_div_factor``. Builds, as optax,
    :func:`piecewise_interpolate_schedule` ``("cosine", P / d, {K: d, T: 1 / (d F)})``:
    a ``join`` of a cosine rise, a cosine fall and a constant.

    Quirks reproduced: the ``int()`` truncation of ``pct_start * transition_steps``
    (``pct_start=0.29`` with 100 steps peaks at count 28: ``0.29 * 100`` is
    ``28.999999999999996``); with ``pct_start=0`` the fall starts at count 0 from
    ``peak_value``; with ``pct_start=1`` both boundaries are ``T``, the dict keeps the
    second, and the schedule falls from ``P / d`` without ever reaching the peak. This
    is optax's schedule, not PyTorch's ``OneCycleLR`` (whose phases end one step
    earlier, see :func:`schedcore.one_cycle`).

    How schedcore differs: ``pct_start`` must lie in ``[0, 1]`` and the factors must
    be positive; values near the final one keep their float32 relative accuracy.

    Args:
        transition_steps: Length of the cycle in updates; a positive int.
        peak_value: The largest value.
        pct_start: Fraction of the cycle spent rising, in ``[0, 1]``.
        div_factor: ``peak_value / div_factor`` is the first value; ``> 0``.
        final_div_factor: The last value is the first divided by this; ``> 0``.

    Raises:
        TypeError: ``transition_steps`` is not a whole number, or a value is not a number.
        ValueError: ``transition_steps < 1`` (as optax), a value is out of range, or a
            value of the schedule overflows.

    Example:
        >>> s = cosine_onecycle_schedule(100, peak_value=1.0, pct_start=0.3)
        >>> s(0), s(30), s(100)
        (0.04, 1.0, 4e-06)
    """
    steps = _checks.length("transition_steps", transition_steps)
    peak = _checks.real("peak_value", peak_value)
    start = _checks.real("pct_start", pct_start, at_least=0.0, at_most=1.0)
    div, final_div = _onecycle_factors(div_factor, final_div_factor)
    factors = {"peak_value": peak, "div_factor": div, "final_div_factor": final_div}
    last = _checks.derived("1 / (div_factor * final_div_factor)", lambda: 1.0 / (div * final_div), **factors)
    return _onecycle("cosine", peak, div, {int(start * steps): div, steps: last}, factors)


def linear_onecycle_schedule(
    transition_steps: int,
    peak_value: float,
    pct_start: float = 0.3,
    pct_final: float = 0.85,
    div_factor: float = 25.0,
    final_div_factor: float = 1e4,
) -> Schedule:
    r"""``optax.linear_onecycle_schedule``: up to ``peak_value``, back down, then to the end value.

    With :math:`T` = ``transition_steps``, :math:`P` = ``peak_value``, :math:`A = P / d`
    (:math:`d` = ``div_factor``), :math:`K_1 = \operatorname{int}(f_1 T)` and
    :math:`K_2 = \operatorname{int}(f_2 T)` (:math:`f_1` = ``pct_start``, :math:`f_2` =
    ``pct_final``), straight lines through the points

    .. math::
        (0, A), \quad (K_1, P), \quad (K_2, A), \quad (T, A / F)

    and :math:`A / F` from :math:`T` on, where :math:`F` is ``final_div_factor``.
    Builds, as optax, :func:`piecewise_interpolate_schedule`
    ``("linear", P / d, {K_1: d, K_2: 1 / d, T: 1 / F})``, which is
    ``piecewise_linear([0, K_1, K_2, T], [A, P, A, A / F])``.

    Quirks reproduced: the ``int()`` truncation of both boundaries; when two
    boundaries coincide (``pct_start == pct_final``, or ``pct_final=1``) the dict keeps
    the later scale, so the peak (or the return to ``P / d``) is skipped.

    How schedcore differs: the fractions must satisfy
    ``0 <= pct_start <= pct_final <= 1`` and the factors must be positive.

    Args:
        transition_steps: Length of the cycle in updates; a positive int.
        peak_value: The largest value.
        pct_start: Fraction of the cycle spent rising.
        pct_final: Fraction of the cycle at which the value is back at ``peak_value / div_factor``.
        div_factor: ``peak_value / div_factor`` is the first value; ``> 0``.
        final_div_factor: The last value is the first divided by this; ``> 0``.

    Raises:
        TypeError: ``transition_steps`` is not a whole number, or a value is not a number.
        ValueError: ``transition_steps < 1`` (as optax), a value is out of range, or a
            value of the schedule overflows.

    Example:
        >>> s = linear_onecycle_schedule(100, peak_value=1.0)
        >>> [round(s(t), 9) for t in (0, 30, 85, 100, 200)]
        [0.04, 1.0, 0.04, 4e-06, 4e-06]
    """
    steps = _checks.length("transition_steps", transition_steps)
    peak = _checks.real("peak_value", peak_value)
    start = _checks.real("pct_start", pct_start, at_least=0.0, at_most=1.0)
    final = _checks.real("pct_final", pct_final, at_least=0.0, at_most=1.0)
    if final < start:
        raise ValueError(f"pct_final must be >= pct_start, got pct_final={final} and pct_start={start}")
    div, final_div = _onecycle_factors(div_factor, final_div_factor)
    factors = {"peak_value": peak, "div_factor": div, "final_div_factor": final_div}
    back = _checks.derived("1 / div_factor", lambda: 1.0 / div, div_factor=div)
    last = _checks.derived("1 / final_div_factor", lambda: 1.0 / final_div, final_div_factor=final_div)
    return _onecycle(
        "linear", peak, div, {int(start * steps): div, int(final * steps): back, steps: last}, factors
    )


def sgdr_schedule(cosine_kwargs: Iterable[Mapping[str, Any]]) -> Schedule:
    r"""``optax.sgdr_schedule``: warm restarts, one warmup-cosine cycle after another.

    .. math::
        v(t) = c_k(t - S_k) \quad\text{for } S_k \le t < S_{k+1}, \qquad
        S_k = \sum_{j < k} D_j

    where :math:`c_k` is :func:`warmup_cosine_decay_schedule` called with the
    ``k``-th dict of ``cosine_kwargs`` and :math:`D_j` is that dict's ``decay_steps``.
    Builds, as optax, ``join([c_0, c_1, ...], [S_1, S_2, ...])``.

    Quirks reproduced: each cycle lasts its ``decay_steps`` (its warmup included);
    the last cycle holds its ``end_value`` forever.

    How schedcore differs: an empty list is an error (optax fails at the first
    count); a bad argument names its cycle (``cosine_kwargs[1]: ...``).

    Args:
        cosine_kwargs: One dict of :func:`warmup_cosine_decay_schedule` arguments per cycle.

    Raises:
        TypeError: ``cosine_kwargs`` is not a list, a cycle is not a dict, or has wrong
            arguments.
        ValueError: there is no cycle, a cycle's arguments are out of range, or the
            cycles start at ``2**63`` or later.

    Example:
        >>> cycle = {"init_value": 0.0, "peak_value": 1.0, "warmup_steps": 2, "decay_steps": 10}
        >>> s = sgdr_schedule([cycle, cycle])
        >>> s(2), s(10), s(12)
        (1.0, 0.0, 1.0)
    """
    if isinstance(cosine_kwargs, str | bytes | Mapping) or not isinstance(cosine_kwargs, Iterable):
        raise TypeError(
            _checks.must_be("cosine_kwargs", "a list of dicts of arguments", cosine_kwargs, show_type=True)
        )
    cycles = list(cosine_kwargs)
    if not cycles:
        raise ValueError("sgdr_schedule needs at least one cycle in cosine_kwargs, got none")
    schedules: list[Schedule] = []
    boundaries: list[int] = []
    for i, kwargs in enumerate(cycles):
        if not isinstance(kwargs, Mapping):
            raise TypeError(
                _checks.must_be(f"cosine_kwargs[{i}]", "a dict of arguments", kwargs, show_type=True)
            )
        try:  # the dict's keys are the caller's names: the message keeps them, after its place
            schedules.append(warmup_cosine_decay_schedule(**kwargs))
        except (TypeError, ValueError) as error:
            raise type(error)(f"cosine_kwargs[{i}]: {error}") from None
        boundaries.append(
            (boundaries[-1] if boundaries else 0) + _whole("decay_steps", kwargs["decay_steps"])
        )
    starts = boundaries[:-1]  # where each cycle after the first starts; the last never ends
    if starts and starts[-1] > _checks.MAX_LENGTH:
        raise ValueError(
            f"the cycles of cosine_kwargs must start before 2**63, got decay_steps adding up to {starts[-1]}"
        )
    return _joined(schedules, starts)
