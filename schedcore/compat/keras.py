r"""Keras 3's learning-rate schedules, rebuilt from core schedules, with Keras's names and arguments.

Each constructor takes the arguments of the ``keras.optimizers.schedules`` class of
the same name, less ``name``, and returns a schedcore schedule of **absolute values**
(Keras states its schedules in learning-rate units), so run it with the default
``base=1.0``::

    from schedcore import adapters, compat

    lr = compat.keras.CosineDecay(0.0, 100_000, warmup_target=3e-4, warmup_steps=1_000)
    optimizer = keras.optimizers.AdamW(learning_rate=adapters.keras.wrap(lr))

Through :func:`schedcore.adapters.keras.wrap` the optimizer sees Keras's values
(float64: relative 1e-9; float32: relative 1e-6 of Keras's value, or of the exact
value where Keras's own float32 arithmetic strays), with Keras's quirks, each listed
in the constructor's docstring. Where Keras's float32 arithmetic is inexact,
schedcore is exact instead:

* step functions compare the integer counter: Keras computes ``step / decay_steps``
  and its ``floor`` or ``ceil`` in float32 (under JAX's ``jit``, XLA multiplies by
  ``1 / decay_steps``, which can land a multiple one step late), and decides the
  cycle of ``CosineDecayRestarts`` from a float32 logarithm;
* ramps are measured from the integer distance to their end, and cosines as
  :math:`\sin^2`: Keras's ``1 - step / decay_steps`` and ``1 + cos(...)`` lose their
  relative accuracy near their end.

What schedcore does not copy: arguments Keras accepts but that no schedule can mean
(a fractional ``decay_steps``, negative rates and powers that give NaN, boundaries
that do not increase, a ``t_mul`` below 1, whose cycles shrink to nothing) are errors
here, raised at construction with the parameter and the value.

This module holds no formula of its own and imports no framework.
"""

from __future__ import annotations

from collections.abc import Sequence

from schedcore import _checks
from schedcore._base import Schedule
from schedcore.combinators import _MAX_CYCLES, cycle, join, per_epoch
from schedcore.schedules import (
    constant,
    cosine,
    exponential,
    inverse,
    linear,
    piecewise_constant,
    polynomial,
    step_decay,
)

__all__ = [
    "CosineDecay",
    "CosineDecayRestarts",
    "ExponentialDecay",
    "InverseTimeDecay",
    "PiecewiseConstantDecay",
    "PolynomialDecay",
]


def _scaled(value: float, schedule: Schedule) -> Schedule:
    """``value * schedule``, without a factor of 1 in the ``repr``."""
    return schedule if value == 1.0 else value * schedule


def ExponentialDecay(
    initial_learning_rate: float, decay_steps: int, decay_rate: float, staircase: bool = False
) -> Schedule:
    r"""``keras.optimizers.schedules.ExponentialDecay``: ``decay_rate`` per ``decay_steps`` updates.

    .. math::
        v(t) = I\,r^{t / T} \qquad (r^{\lfloor t / T \rfloor} \text{ with } \texttt{staircase})

    where :math:`I` is ``initial_learning_rate``, :math:`r` is ``decay_rate`` and
    :math:`T` is ``decay_steps``. Builds ``I * exponential(r, every=T)``
    (``I * step_decay(T, gamma=r)`` with ``staircase``).

    Quirks reproduced: ``decay_rate=0`` gives ``I`` at step 0 and 0 from step 1 on
    (``I`` for ``T`` steps with ``staircase``), as Keras's ``0 ** p`` does.

    How schedcore differs: the staircase drops at every multiple of :math:`T`, an
    integer comparison (Keras's float32 ``floor(step / T)`` can drop one step late);
    the power is :math:`\exp(t \ln(r) / T)` with :math:`\ln r` in float64, so it stays
    within 1e-6 in float32 at large steps, where Keras's float32 ``r ** (t / T)``
    drifts.

    Args:
        initial_learning_rate: Value at step 0.
        decay_steps: Updates over which the value is multiplied by ``decay_rate``; a
            positive int (Keras also takes ``2.5``).
        decay_rate: Factor per ``decay_steps``, ``>= 0``.
        staircase: Decay at whole multiples of ``decay_steps`` only.

    Raises:
        TypeError: ``decay_steps`` is not a whole number, ``staircase`` is not a bool,
            or a value is not a number.
        ValueError: ``decay_steps < 1``, ``decay_rate < 0`` (NaN in Keras), or a value
            is not finite.

    Example:
        >>> ExponentialDecay(0.1, decay_steps=1_000, decay_rate=0.5, staircase=True)
        0.1 * step_decay(1000, gamma=0.5)
    """
    init = _checks.real("initial_learning_rate", initial_learning_rate)
    steps = _checks.length("decay_steps", decay_steps)
    rate = _checks.real("decay_rate", decay_rate, at_least=0.0)
    stairs = _checks.flag("staircase", staircase)
    if rate == 0.0:  # 0 ** 0 is 1, 0 ** p is 0
        return piecewise_constant([steps if stairs else 1], [init, 0.0])
    return _scaled(init, step_decay(steps, gamma=rate) if stairs else exponential(rate, every=steps))


def PiecewiseConstantDecay(boundaries: Sequence[int], values: Sequence[float]) -> Schedule:
    r"""``keras.optimizers.schedules.PiecewiseConstantDecay``: ``values[i]`` after ``boundaries[i-1]``.

    .. math::
        v(t) = v_k, \qquad k = |\{b \in B : b < t\}|

    where :math:`B` is ``boundaries`` and :math:`v` is ``values``: Keras's value is
    ``values[0]`` while ``step <= boundaries[0]``, so each value starts one step
    **after** its boundary. Builds ``piecewise_constant([b + 1 for b in B], values)``
    (the core's pieces start at their boundary, ``t >= b``).

    Quirks reproduced: the switch at ``t > b``, not ``t >= b``: with
    ``boundaries=[100]`` step 100 still uses ``values[0]``. An empty ``boundaries``
    (an ``IndexError`` in Keras) is the constant ``values[0]``.

    Args:
        boundaries: Steps after which the value changes; strictly increasing ints
            ``>= 0``.
        values: The values, one more than ``boundaries``.

    Raises:
        TypeError: an argument is not a list of the right kind.
        ValueError: a boundary is negative or ``2**63 - 1`` or more, the boundaries do
            not increase, or the lengths do not match.

    Example:
        >>> s = PiecewiseConstantDecay([100, 200], [0.1, 0.01, 0.001])
        >>> s
        piecewise_constant([101, 201], [0.1, 0.01, 0.001])
        >>> s(100), s(101)
        (0.1, 0.01)
    """
    bounds = _checks.lengths("boundaries", boundaries, strictly_increasing=True, minimum=0)
    levels = _checks.reals("values", values)
    if bounds and bounds[-1] >= _checks.MAX_LENGTH:
        index = len(bounds) - 1
        raise ValueError(_checks.must_be(f"boundaries[{index}]", "an int below 2**63 - 1", bounds[-1]))
    if len(levels) != len(bounds) + 1:
        raise ValueError(
            f"PiecewiseConstantDecay got {len(bounds)} boundaries and {len(levels)} values;"
            f" it needs {len(bounds) + 1} values"
        )
    return piecewise_constant([b + 1 for b in bounds], levels)


def PolynomialDecay(
    initial_learning_rate: float,
    decay_steps: int,
    end_learning_rate: float = 0.0001,
    power: float = 1.0,
    cycle: bool = False,
) -> Schedule:
    r"""``keras.optimizers.schedules.PolynomialDecay``: a power from the initial to the end value.

    .. math::
        v(t) = (I - E)\,\bigl(1 - \min(t, T) / T\bigr)^{p} + E

    where :math:`I` is ``initial_learning_rate``, :math:`E` is ``end_learning_rate``,
    :math:`p` is ``power`` and :math:`T` is ``decay_steps``. With ``cycle=True`` the
    horizon :math:`T` becomes the first multiple of ``decay_steps`` at or above
    :math:`t` (``decay_steps`` at step 0) and :math:`t` is not clipped. Builds
    ``(I - E) * polynomial(T, power=p, extend=cycle) + E`` (``linear(I, E, T)`` for a
    line without ``cycle``).

    Quirks reproduced: with ``cycle=True`` the value is :math:`E` at each multiple of
    ``decay_steps`` and jumps up right after it, to a fraction of the way back
    (:math:`1/(k+1)` of :math:`I - E` after the :math:`k`-th multiple, for
    ``power=1``), not to :math:`I`: the decay is spread over a longer horizon, it does
    not restart.

    How schedcore differs: the distance to the horizon is an exact integer, so the
    value is exactly :math:`E` at each multiple and keeps its relative accuracy just
    before it in float32 (Keras's ``1 - step / decay_steps`` loses it; without
    ``cycle``, under JAX's ``jit`` it even rounds below 0 at the end, so Keras never
    quite reaches :math:`E`, and a fractional ``power`` gives NaN from there on).

    Args:
        initial_learning_rate: Value at step 0.
        decay_steps: Length of the decay in updates; a positive int.
        end_learning_rate: Value at the end of the decay.
        power: Exponent of the polynomial, ``>= 0``.
        cycle: Spread the decay over the next multiple of ``decay_steps`` instead of
            staying at ``end_learning_rate``.

    Raises:
        TypeError: ``decay_steps`` is not a whole number, ``cycle`` is not a bool, or a
            value is not a number.
        ValueError: ``decay_steps < 1``, ``power < 0`` (infinite at the end in Keras),
            a value is not finite, or ``initial_learning_rate - end_learning_rate``
            overflows.

    Example:
        >>> s = PolynomialDecay(1.0, 100, end_learning_rate=0.0, cycle=True)
        >>> s(100), s(101), s(150)
        (0.0, 0.495, 0.25)
    """
    init = _checks.real("initial_learning_rate", initial_learning_rate)
    steps = _checks.length("decay_steps", decay_steps)
    end = _checks.real("end_learning_rate", end_learning_rate)
    exponent = _checks.real("power", power, at_least=0.0)
    extend = _checks.flag("cycle", cycle)
    if init == end or exponent == 0.0:
        return constant(init)  # (I - E) * x ** 0 + E, with 0 ** 0 = 1
    if exponent == 1.0 and not extend:
        return linear(init, end, steps)
    height = _checks.derived(
        "initial_learning_rate - end_learning_rate",
        lambda: init - end,
        initial_learning_rate=init,
        end_learning_rate=end,
    )
    curve = height * polynomial(steps, power=exponent, extend=extend)
    return curve + end if end != 0.0 else curve


def InverseTimeDecay(
    initial_learning_rate: float, decay_steps: int, decay_rate: float, staircase: bool = False
) -> Schedule:
    r"""``keras.optimizers.schedules.InverseTimeDecay``: ``initial_learning_rate / (1 + r t / T)``.

    .. math::
        v(t) = \frac{I}{1 + r\,t / T} \qquad
        \Bigl(\frac{I}{1 + r \lfloor t / T \rfloor} \text{ with } \texttt{staircase}\Bigr)

    where :math:`I` is ``initial_learning_rate``, :math:`r` is ``decay_rate`` and
    :math:`T` is ``decay_steps``. Builds ``I * inverse(r / T, power=1.0)``
    (``I * per_epoch(inverse(r, power=1.0), T)`` with ``staircase``).

    How schedcore differs: the staircase counts whole multiples of :math:`T` exactly
    (Keras's float32 ``floor(step / T)`` can count one step late).

    Args:
        initial_learning_rate: Value at step 0.
        decay_steps: Updates per unit of time of the decay; a positive int (Keras also
            takes ``2.5``).
        decay_rate: Rate of the decay, ``>= 0``.
        staircase: Decay at whole multiples of ``decay_steps`` only.

    Raises:
        TypeError: ``decay_steps`` is not a whole number, ``staircase`` is not a bool,
            or a value is not a number.
        ValueError: ``decay_steps < 1``, ``decay_rate < 0`` (a pole and negative values
            in Keras), or a value is not finite.

    Example:
        >>> InverseTimeDecay(0.1, decay_steps=10, decay_rate=0.5)(20)
        0.05
    """
    init = _checks.real("initial_learning_rate", initial_learning_rate)
    steps = _checks.length("decay_steps", decay_steps)
    rate = _checks.real("decay_rate", decay_rate, at_least=0.0)
    stairs = _checks.flag("staircase", staircase)
    if rate == 0.0:
        return constant(init)
    decay = per_epoch(inverse(rate, power=1.0), steps) if stairs else inverse(rate / steps, power=1.0)
    return _scaled(init, decay)


def CosineDecay(
    initial_learning_rate: float,
    decay_steps: int,
    alpha: float = 0.0,
    *,
    warmup_target: float | None = None,
    warmup_steps: int = 0,
) -> Schedule:
    r"""``keras.optimizers.schedules.CosineDecay``: an optional linear warmup, then a cosine decay.

    Without ``warmup_target``, a cosine from :math:`I` to :math:`\alpha I` over
    :math:`T` updates:

    .. math::
        v(t) = I\,\Bigl((1 - \alpha)\,\frac{1 + \cos(\pi \min(t, T) / T)}{2} + \alpha\Bigr)

    where :math:`I` is ``initial_learning_rate``, :math:`T` is ``decay_steps`` and
    :math:`\alpha` is ``alpha``; builds ``I * cosine(T, end=alpha)``. With
    ``warmup_target`` :math:`W` and ``warmup_steps`` :math:`S`, a line from :math:`I`
    to :math:`W` over :math:`S` updates, then the cosine from :math:`W` to
    :math:`\alpha W`, which lasts :math:`T` more updates; builds
    ``join([linear(I, W, S), W * cosine(T, end=alpha)], [S])``.

    Quirks reproduced: ``warmup_steps`` is ignored without ``warmup_target`` (no
    warmup); with ``warmup_target`` and ``warmup_steps=0`` the decay starts from
    ``warmup_target`` at step 0 and ``initial_learning_rate`` is never used.

    How schedcore differs: the cosine is evaluated as :math:`\sin^2`, so in float32
    the values near the end keep their relative accuracy (Keras's ``1 + cos`` cancels
    there) and reach :math:`\alpha W` exactly. ``warmup_target`` and
    ``warmup_steps`` are keyword-only: in Keras they follow ``name``, so a positional
    call cannot mean the same.

    Args:
        initial_learning_rate: Value at step 0 (where the warmup starts, if any).
        decay_steps: Length of the decay in updates; a positive int.
        alpha: Final value as a fraction of the value the decay starts from.
        warmup_target: Value the warmup reaches, or ``None`` for no warmup.
        warmup_steps: Length of the warmup in updates; an int ``>= 0``.

    Raises:
        TypeError: a length is not a whole number, or a value is not a number.
        ValueError: ``decay_steps < 1``, ``warmup_steps < 0``, or a value is not finite.

    Example:
        >>> CosineDecay(0.0, 1_000, alpha=0.1, warmup_target=1e-3, warmup_steps=100)
        join([linear(0.0, 0.001, 100), 0.001 * cosine(1000, end=0.1)], [100])
    """
    init = _checks.real("initial_learning_rate", initial_learning_rate)
    steps = _checks.length("decay_steps", decay_steps)
    floor = _checks.real("alpha", alpha)
    target = None if warmup_target is None else _checks.real("warmup_target", warmup_target)
    warmup = _checks.length("warmup_steps", warmup_steps, minimum=0)
    if target is None:
        return _scaled(init, cosine(steps, end=floor))
    decay = _scaled(target, cosine(steps, end=floor))
    return join([linear(init, target, warmup), decay], [warmup]) if warmup else decay


def CosineDecayRestarts(
    initial_learning_rate: float,
    first_decay_steps: int,
    t_mul: float = 2.0,
    m_mul: float = 1.0,
    alpha: float = 0.0,
) -> Schedule:
    r"""``keras.optimizers.schedules.CosineDecayRestarts``: cosine cycles, each ``t_mul`` times longer.

    .. math::
        v(t) = I\,\Bigl(\alpha + (1 - \alpha)\,m^{i}\,
        \frac{1 + \cos(\pi (t - c_i) / (P g^i))}{2}\Bigr)
        \quad\text{for } c_i \le t < c_{i+1}

    where :math:`I` is ``initial_learning_rate``, :math:`P` is ``first_decay_steps``,
    :math:`g` is ``t_mul``, :math:`m` is ``m_mul``, :math:`\alpha` is ``alpha`` and
    cycle :math:`i` starts at :math:`c_i = P (g^i - 1) / (g - 1)` (:math:`iP` for
    :math:`g = 1`). Builds
    ``I * (alpha + (1 - alpha) * cycle(cosine(P), P, growth=t_mul, decay=m_mul))``.

    Quirks reproduced: ``m_mul`` scales the cosine's height above the floor
    :math:`\alpha I`, not the floor, which stays. A fractional ``t_mul`` restarts at
    the first step at or after each :math:`c_i` (``t_mul=1.5``,
    ``first_decay_steps=10``: at 10, 25, 48, 82, ...).

    How schedcore differs: Keras finds the cycle as
    :math:`\lfloor \ln(1 + (t/P)(g - 1)) / \ln g \rfloor` and its fraction as a
    difference of large numbers, in float32: around a restart the step can land in
    the neighbouring cycle (the value near :math:`\alpha I` instead of :math:`I`, or
    the reverse), and late in a long cycle the fraction loses digits. schedcore lays
    the cycles out in exact rational arithmetic on the decimal ``t_mul`` is written as
    (``1.1`` is 11/10: a first cycle of 100 restarts at 210, 331, 465, ...), which is
    also where Keras's float64 arithmetic puts them.

    Args:
        initial_learning_rate: Value at step 0.
        first_decay_steps: Length of the first cycle in updates; a positive int.
        t_mul: Factor by which each cycle is longer than the one before, ``>= 1``.
        m_mul: Factor by which each cycle's height is scaled from the one before, ``>= 0``.
        alpha: Floor of every cycle, as a fraction of ``initial_learning_rate``.

    Raises:
        TypeError: ``first_decay_steps`` is not a whole number, or a value is not a number.
        ValueError: ``first_decay_steps < 1``, ``t_mul < 1`` (cycles that shrink: NaN in
            Keras past their sum), ``m_mul < 0``, a value is not finite, ``t_mul`` so
            close to 1 that more than 100,000 cycles start before step ``2**63``, or
            ``m_mul`` so large that its power at the last of them overflows.

    Example:
        >>> s = CosineDecayRestarts(0.1, 10, t_mul=1.5, m_mul=0.5, alpha=0.1)
        >>> round(s(0), 12), round(s(10), 12), round(s(25), 12)
        (0.1, 0.055, 0.0325)
    """
    init = _checks.real("initial_learning_rate", initial_learning_rate)
    period = _checks.length("first_decay_steps", first_decay_steps)
    growth = _checks.real("t_mul", t_mul, at_least=1.0)
    decay = _checks.real("m_mul", m_mul, at_least=0.0)
    floor = _checks.real("alpha", alpha)
    try:
        shape: Schedule = cycle(cosine(period), period, growth=growth, decay=decay)
    except ValueError as error:  # the cycles laid out before 2**63: too many, or too high
        if "overflows" in str(error):
            raise ValueError(
                f"CosineDecayRestarts overflows: m_mul={decay!r} to the power of the number of cycles"
                f" before step 2**63 is not finite (with t_mul={growth!r})"
            ) from None
        raise ValueError(
            f"CosineDecayRestarts with first_decay_steps={period} and t_mul={growth!r} starts more than"
            f" {_MAX_CYCLES} cycles before step 2**63; t_mul must be larger"
        ) from None
    if floor != 0.0:
        shape = floor + (1.0 - floor) * shape
    return _scaled(init, shape)
