r"""The primitive schedules: closed forms of the step ``t``.

Every schedule here is an immutable dataclass: equal by value, hashable, picklable,
with a ``repr`` that :func:`schedcore.parse` reads back. ``t`` counts completed
updates, so the first update uses :math:`s(0)`. Continuous parts are computed from
the exact integer distances ``min(t, T)`` and ``T - min(t, T)``, measured from the
end that keeps the result accurate, so every curve reaches its end value exactly at
``t = T`` and float32 evaluation stays within about 1e-6 of float64. Step
functions compare ``t`` with integer milestones exactly.
"""

from __future__ import annotations

import math
from dataclasses import field

from schedcore import _checks
from schedcore._base import Schedule, register

TYPE_CHECKING = False  # typing is only imported by type checkers: see DEVELOPERS.md
if TYPE_CHECKING:
    from collections.abc import Sequence
    from typing import Any

    from schedcore.operations import Operations

__all__ = [
    "Constant",
    "Cosine",
    "CosineWave",
    "Cyclic",
    "Exponential",
    "ExponentialWarmup",
    "Inverse",
    "InverseSqrt",
    "Linear",
    "Multistep",
    "OneCycle",
    "PiecewiseConstant",
    "PiecewiseLinear",
    "Polynomial",
    "RadamWarmup",
    "StepDecay",
    "TanhDecay",
    "Warmup",
    "Wsd",
    "constant",
    "cosine",
    "cosine_wave",
    "cyclic",
    "exponential",
    "exponential_warmup",
    "inverse",
    "inverse_sqrt",
    "linear",
    "multistep",
    "one_cycle",
    "piecewise_constant",
    "piecewise_linear",
    "polynomial",
    "radam_warmup",
    "step_decay",
    "tanh_decay",
    "warmup",
    "wsd",
]

_HALF_PI = math.pi / 2
_LOG_POWER = 1024  # |power| above which inverse() goes through log1p: 1 + x has lost x
_TINY_POWER = 1e-30  # below it, x ** p is 1 for every float32 x > 0 (|p ln x| < 1e-28)


def _store(schedule: Schedule, **values: Any) -> None:
    """Set normalised fields on a frozen dataclass from its ``__post_init__``."""
    for name, value in values.items():
        object.__setattr__(schedule, name, value)


def _hidden() -> Any:
    """A derived field: not an argument, not compared, not in ``repr``."""
    return field(init=False, repr=False, compare=False)


def _line(ops: Operations, t: Any, start: float, end: float, steps: int) -> Any:
    """``start + (end - start) * min(t, T) / T`` with ``T = steps``, exact at both ends.

    A curve that ends nearer zero than it starts is measured from its end, so values
    close to zero keep their relative accuracy; either way ``t >= T`` gives ``end``
    (selected, since XLA may compute ``t / T`` as ``t * (1 / T)``, a little above 1).
    Ends so far apart that ``end - start`` overflows are weighed separately.
    """
    if not math.isfinite(end - start):
        done, left = ops.progress(t, steps)
        return ops.where(ops.reached(t, steps), end, start * left + end * done)
    if abs(end) < abs(start):
        return end + (start - end) * ops.remaining(t, steps)
    done = ops.elapsed(t, steps)
    if start != 0.0:
        done = start + (end - start) * done
    elif end != 1.0:  # from 0, the same value with one operation
        done = end * done
    return ops.where(ops.reached(t, steps), end, done)


def _power(ops: Operations, x: Any, power: float) -> Any:
    """``x ** power`` for ``x >= 0``, the common exponents by cheaper, exact operations.

    An exponent so small that float32 would round it to 0 (where ``0 ** 0`` is 1)
    gives its limit: 1 where ``x > 0``, 0 where ``x = 0``, in ``x``'s dtype.
    """
    if power == 1.0:
        return x
    if power == 0.5:
        return ops.sqrt(x)
    if power == 2.0:
        return x * x
    if 0.0 < power < _TINY_POWER:
        return ops.where(x > 0, x * 0.0 + 1.0, x)
    return x**power


def _toward(end: float, shape: Any) -> Any:
    """``end + (1 - end) * shape``: a shape's 1 stays 1 and its 0 becomes ``end``."""
    return shape if end == 0.0 else end + (1.0 - end) * shape


def _cosine_fall(ops: Operations, remaining_fraction: Any) -> Any:
    """``(1 + cos(pi * u)) / 2`` written as ``sin(pi / 2 * (1 - u)) ** 2``.

    The argument is the remaining fraction ``1 - u``, so the curve is accurate
    where it approaches zero and exactly zero when nothing remains.
    """
    half = ops.sin(_HALF_PI * remaining_fraction)
    return half * half


def _remaining_power(ops: Operations, t: Any, steps: int, k: float) -> Any:
    """``1 - u ** k`` with ``u = min(t, T) / T``, accurate at both ends.

    Near the end it is ``-expm1(k * log1p(-r))`` from the exact remaining fraction
    ``r = 1 - u`` (``1 - u ** k`` would cancel there); near the start ``u ** k`` is small
    and ``1 - u ** k`` is accurate as it is. ``k = 1`` is the remaining fraction itself.
    """
    done, left = ops.progress(t, steps)
    return _k_curve(ops, done, left, k)


def _k_curve(ops: Operations, done: Any, left: Any, k: float) -> Any:
    """``1 - done ** k`` given ``done`` and the exactly computed ``left = 1 - done``."""
    if k == 1.0:
        return left
    near_end = -ops.expm1(k * ops.log1p(-ops.minimum(left, 0.5)))  # clamped: never log1p(-1)
    return ops.where(left <= 0.5, near_end, 1.0 - done**k)


@register("constant")
class Constant(Schedule):
    r"""A constant multiplier.

    .. math::
        s(t) = c

    where :math:`c` is ``value``.

    Args:
        value: The multiplier at every step.

    Raises:
        TypeError: ``value`` is not a real number.
        ValueError: ``value`` is not finite.

    Example:
        >>> sc.constant(0.5)(10)
        0.5

    See also: ``torch.optim.lr_scheduler.ConstantLR`` (a constant factor for a while),
    ``optax.constant_schedule``.
    """

    value: float = 1.0

    def __post_init__(self) -> None:
        _store(self, value=_checks.real("value", self.value))

    def formula(self, t: Any, ops: Operations) -> Any:
        return ops.full(t, self.value)


@register("linear", positional=3)
class Linear(Schedule):
    r"""A straight line from ``start`` to ``end`` over ``steps`` updates, then flat.

    .. math::
        s(t) = a + (b - a)\,u, \qquad u = \min(t, T) / T

    where :math:`a` is ``start``, :math:`b` is ``end`` and :math:`T` is ``steps``;
    :math:`s(0) = a` and :math:`s(t) = b` for every :math:`t \ge T`.

    Args:
        start: Multiplier at step 0.
        end: Multiplier reached at ``steps`` and kept afterwards.
        steps: Length of the ramp in updates; a positive int.

    Raises:
        TypeError: ``steps`` is not an int, or ``start`` / ``end`` is not a number.
        ValueError: ``steps`` is below 1, or ``start`` / ``end`` is not finite.

    Example:
        >>> sc.linear(1.0, 0.5, 10)(4)
        0.8

    See also: ``torch.optim.lr_scheduler.LinearLR`` (``start_factor``, ``end_factor``,
    ``total_iters``), ``optax.linear_schedule``.
    """

    start: float
    end: float
    steps: int

    def __post_init__(self) -> None:
        _store(
            self,
            start=_checks.real("start", self.start),
            end=_checks.real("end", self.end),
            steps=_checks.length("steps", self.steps),
        )

    def formula(self, t: Any, ops: Operations) -> Any:
        return _line(ops, t, self.start, self.end, self.steps)


@register("warmup")
class Warmup(Schedule):
    r"""A linear warmup from ``start`` to 1 over ``steps`` updates, then 1.

    .. math::
        s(t) = a + (1 - a)\,\min(t, T) / T

    where :math:`T` is ``steps`` and :math:`a` is ``start``; :math:`s(0) = a`, so with
    the default ``start=0`` the first update runs at multiplier 0 (as Chainer's
    ``WarmupShift`` from 0 and the transformers warmups do); pass ``start=`` for a
    non-zero first step, e.g. ``warmup(1000, start=1e-3)``. :math:`s(t) = 1` for
    every :math:`t \ge T`. Equal in value to ``linear(start, 1.0, steps)``.

    Args:
        steps: Length of the warmup in updates; a positive int.
        start: Multiplier at step 0.

    Raises:
        TypeError: ``steps`` is not an int, or ``start`` is not a number.
        ValueError: ``steps`` is below 1, or ``start`` is not finite.

    Example:
        >>> sc.warmup(4)(1)
        0.25

    See also: ``transformers.get_constant_schedule_with_warmup``,
    ``pytorch_warmup.LinearWarmup`` (which peaks one update earlier, see
    :mod:`schedcore.compat.pytorch_warmup`).
    """

    steps: int
    start: float = 0.0

    def __post_init__(self) -> None:
        _store(
            self,
            steps=_checks.length("steps", self.steps),
            start=_checks.real("start", self.start),
        )

    def formula(self, t: Any, ops: Operations) -> Any:
        return _line(ops, t, self.start, 1.0, self.steps)


@register("multistep")
class Multistep(Schedule):
    r"""Multiply by ``gamma`` at each milestone.

    .. math::
        s(t) = \gamma^{\,|\{m \in M : m \le t\}|}

    where :math:`M` is ``milestones`` and :math:`\gamma` is ``gamma``; :math:`s(0) = 1`
    (milestones are positive). A repeated milestone counts twice, as in PyTorch's
    ``MultiStepLR``; an empty list is the constant 1. The count is an exact integer
    comparison, so a milestone at ``2**24 + 1`` switches exactly there, also with
    JAX's int32 counts.

    Args:
        milestones: Steps at which the multiplier drops; positive, non-decreasing ints.
        gamma: Factor applied at each milestone; ``> 0``.

    Raises:
        TypeError: ``milestones`` is not a list of ints, or ``gamma`` is not a number.
        ValueError: a milestone is below 1, the list decreases, or ``gamma <= 0``.

    Example:
        >>> sc.multistep([2, 4], gamma=0.5)(4)
        0.25

    See also: ``torch.optim.lr_scheduler.MultiStepLR``; Chainer's ``MultistepShift``
    (which advances at most one milestone per iteration, see
    :mod:`schedcore.compat.chainer`).
    """

    milestones: Sequence[int]
    gamma: float
    _levels: tuple[float, ...] = _hidden()

    def __post_init__(self) -> None:
        milestones = _checks.lengths("milestones", self.milestones)
        gamma = _checks.real("gamma", self.gamma, above=0.0)
        try:
            levels = tuple(gamma**k for k in range(len(milestones) + 1))
        except OverflowError:
            raise ValueError(
                f"multistep overflows: gamma={gamma!r} to the power {len(milestones)} is not finite"
            ) from None
        _store(self, milestones=milestones, gamma=gamma, _levels=levels)

    def formula(self, t: Any, ops: Operations) -> Any:
        return ops.select(t, self.milestones, self._levels)


@register("step_decay")
class StepDecay(Schedule):
    r"""Multiply by ``gamma`` every ``every`` updates.

    .. math::
        s(t) = \gamma^{\lfloor t / n \rfloor}

    where :math:`n` is ``every`` and :math:`\gamma` is ``gamma``; :math:`s(0) = 1`. The
    power is computed as :math:`\exp(k \ln\gamma)` with :math:`\ln\gamma` in float64.

    Args:
        every: Updates between two drops; a positive int.
        gamma: Factor applied at each drop; ``> 0``.

    Raises:
        TypeError: ``every`` is not an int, or ``gamma`` is not a number.
        ValueError: ``every`` is below 1, or ``gamma <= 0``.

    Example:
        >>> sc.step_decay(10, gamma=0.5)(25)
        0.25

    See also: ``torch.optim.lr_scheduler.StepLR`` (``step_size``),
    ``optax.exponential_decay(staircase=True)``.
    """

    every: int
    gamma: float
    _log_gamma: float = _hidden()

    def __post_init__(self) -> None:
        gamma = _checks.real("gamma", self.gamma, above=0.0)
        _store(
            self,
            every=_checks.length("every", self.every),
            gamma=gamma,
            _log_gamma=math.log(gamma),
        )

    def formula(self, t: Any, ops: Operations) -> Any:
        drops = ops.cast(ops.floordiv(t, self.every))
        return ops.exp(drops * self._log_gamma)


@register("exponential")
class Exponential(Schedule):
    r"""Exponential decay (or growth) by ``rate`` per ``every`` updates.

    .. math::
        s(t) = r^{\,t / n} = \exp\!\big(t \cdot \ln(r) / n\big)

    where :math:`r` is ``rate`` and :math:`n` is ``every``; :math:`s(0) = 1`. The
    logarithm is taken in float64, so float32 evaluation stays accurate at large
    ``t`` (``exponential(0.99999)`` at ``t = 10**6`` is off by about 1e-6, not 6%).

    Args:
        rate: Factor per ``every`` updates; ``> 0``.
        every: Updates over which the factor ``rate`` applies; a positive int.

    Raises:
        TypeError: ``rate`` is not a number, or ``every`` is not an int.
        ValueError: ``rate <= 0`` or not finite, or ``every`` is below 1.

    Example:
        >>> sc.exponential(0.5)(2)
        0.25

    See also: ``torch.optim.lr_scheduler.ExponentialLR`` (``gamma``),
    ``optax.exponential_decay`` (``decay_rate`` per ``transition_steps``).
    """

    rate: float
    every: int = 1
    _log_rate: float = _hidden()

    def __post_init__(self) -> None:
        rate = _checks.real("rate", self.rate, above=0.0)
        every = _checks.length("every", self.every)
        _store(self, rate=rate, every=every, _log_rate=math.log(rate) / every)

    def formula(self, t: Any, ops: Operations) -> Any:
        return ops.exp(ops.real(t) * self._log_rate)


@register("polynomial")
class Polynomial(Schedule):
    r"""Polynomial decay of the multiplier from 1 to ``end`` over ``steps`` updates.

    .. math::
        s(t) = e + (1 - e)\,(1 - u^{k})^{p}, \qquad u = \min(t, T) / T

    where :math:`T` is ``steps``, :math:`p` is ``power``, :math:`e` is ``end`` and
    :math:`k` is ``k`` (1 by default; other values are the "k-decay" of Zhang and Li,
    2020, which keeps the rate high longer for :math:`k > 1`); :math:`t` counts
    completed updates, so the first update uses :math:`s(0) = 1`, and
    :math:`s(t) = e` for every :math:`t \ge T`. With :math:`k \ne 1`, :math:`1 - u^k`
    is computed as :math:`-\mathrm{expm1}(k \ln(1 - r))` from the exact remaining
    fraction :math:`r = 1 - u` near the end, so the curve stays accurate there.

    With ``extend=True`` the decay does not stop at :math:`T`: its horizon is the
    first multiple of :math:`T` at or above :math:`t`,

    .. math::
        s(t) = e + (1 - e)\left(1 - \frac{t}{H(t)}\right)^{p}, \qquad
        H(t) = T \max(1, \lceil t / T \rceil)

    so :math:`s(kT) = e` at every multiple, and right after it the curve jumps up
    (to about :math:`1/(k+1)` of the way, for :math:`p = 1`) and falls to :math:`e`
    again over the longer horizon :math:`(k+1)T`. The distance :math:`H(t) - t` is
    computed in the step's integers, so each multiple is exact.

    Args:
        steps: Length of the decay in updates; a positive int.
        power: Exponent, ``>= 0``; ``1.0`` draws a straight line.
        end: Multiplier reached at ``steps`` and kept afterwards.
        k: Exponent of the time, ``> 0`` (timm's ``k_decay``).
        extend: Extend the horizon to the next multiple of ``steps`` instead of
            staying at ``end``.

    Raises:
        TypeError: ``steps`` is not an int, ``power`` / ``end`` / ``k`` is not a number,
            or ``extend`` is not a bool.
        ValueError: ``steps`` is below 1, ``power < 0``, ``k <= 0``, or ``end`` is not finite.

    Example:
        >>> sc.polynomial(4, power=2.0)(2)
        0.25
        >>> [sc.polynomial(4, extend=True)(t) for t in (4, 5, 8)]
        [0.0, 0.375, 0.0]

    See also: ``torch.optim.lr_scheduler.PolynomialLR`` (the same curve with
    ``end=0``), ``optax.polynomial_schedule``, Chainer's ``PolynomialShift``,
    ``timm.scheduler.PolyLRScheduler`` (``k_decay``); Keras's
    ``PolynomialDecay(cycle=True)`` is ``extend=True``.
    """

    steps: int
    power: float = 1.0
    end: float = 0.0
    k: float = 1.0
    extend: bool = False

    def __post_init__(self) -> None:
        _store(
            self,
            steps=_checks.length("steps", self.steps),
            power=_checks.real("power", self.power, at_least=0.0),
            end=_checks.real("end", self.end),
            k=_checks.real("k", self.k, above=0.0),
            extend=_checks.flag("extend", self.extend),
        )

    def formula(self, t: Any, ops: Operations) -> Any:
        steps = self.steps
        if self.extend and ops.fits(steps):
            # The distance to the horizon, H(t) - t: steps - t mod steps, 0 at a multiple but T at 0.
            into = ops.mod(t, steps)
            left = ops.where(into > 0, ops.at(steps) - into, ops.where(t > 0, into, ops.at(steps)))
            done, left = ops.cast(t), ops.cast(left)  # in the result's floats: t + left may overflow
            horizon = done + left
            shape = _k_curve(ops, done / horizon, left / horizon, self.k)
        else:  # (a horizon beyond the step's integers is never reached: the decay of t < T)
            shape = _remaining_power(ops, t, steps, self.k)
        return _toward(self.end, _power(ops, shape, self.power))


@register("cosine")
class Cosine(Schedule):
    r"""Cosine annealing from 1 to ``end`` over ``steps`` updates, then flat.

    .. math::
        s(t) = e + (1 - e)\left(\frac{1 + \cos(\pi u^{k})}{2}\right)^{p},
        \qquad u = \min(t, T) / T

    where :math:`T` is ``steps``, :math:`e` is ``end``, :math:`p` is ``power`` and
    :math:`k` is ``k`` (1 by default; other values are the "k-decay" of Zhang and Li,
    2020); :math:`s(0) = 1` and :math:`s(t) = e` for every :math:`t \ge T`. It is
    evaluated as :math:`\sin^2(\tfrac{\pi}{2}(1 - u^k))`, exact at the end, with
    :math:`1 - u^k` computed as for :class:`Polynomial`.

    Args:
        steps: Length of the decay in updates; a positive int.
        end: Multiplier reached at ``steps`` and kept afterwards.
        power: Exponent of the cosine factor (optax's ``exponent``), ``>= 0``.
        k: Exponent of the time, ``> 0`` (timm's ``k_decay``).

    Raises:
        TypeError: ``steps`` is not an int, or ``end`` / ``power`` / ``k`` is not a number.
        ValueError: ``steps`` is below 1, ``power < 0``, ``k <= 0``, or ``end`` is not finite.

    Example:
        >>> round(sc.cosine(10)(5), 12), sc.cosine(10)(10)
        (0.5, 0.0)

    See also: ``optax.cosine_decay_schedule`` (``alpha`` is ``end``);
    ``torch.optim.lr_scheduler.CosineAnnealingLR`` keeps oscillating past ``T_max``:
    that is :func:`cosine_wave`; ``timm.scheduler.CosineLRScheduler`` (``k_decay``).
    """

    steps: int
    end: float = 0.0
    power: float = 1.0
    k: float = 1.0

    def __post_init__(self) -> None:
        _store(
            self,
            steps=_checks.length("steps", self.steps),
            end=_checks.real("end", self.end),
            power=_checks.real("power", self.power, at_least=0.0),
            k=_checks.real("k", self.k, above=0.0),
        )

    def formula(self, t: Any, ops: Operations) -> Any:
        shape = _cosine_fall(ops, _remaining_power(ops, t, self.steps, self.k))
        return _toward(self.end, _power(ops, shape, self.power))


@register("cosine_wave")
class CosineWave(Schedule):
    r"""A cosine that keeps oscillating: ``cycles`` full waves per ``steps`` updates.

    .. math::
        s(t) = e + (1 - e)\,\frac{1 + \cos(2\pi c\, t / T)}{2}

    where :math:`T` is ``steps``, :math:`c` is ``cycles`` and :math:`e` is ``end``;
    :math:`s(0) = 1`. With the default ``cycles=0.5`` it falls to :math:`e` at
    :math:`t = T` and rises back to 1 at :math:`2T`, as PyTorch's
    ``CosineAnnealingLR`` does past ``T_max``.

    With ``restart=True`` each wave falls and then jumps back to 1 (hard restarts):

    .. math::
        s(t) = e + (1 - e)\,\frac{1 + \cos(\pi\,\{c\,t / T\})}{2}

    where :math:`\{x\}` is the fractional part; ``cycles`` must then be a whole
    number, and :math:`\{c t / T\}` is computed exactly as :math:`(c t \bmod T) / T`
    (without forming :math:`c t`, which could overflow the step's integers).
    Without restarts, when a wave lasts a whole number of updates :math:`P = T / c`
    (as with the default ``cycles=0.5``) the step is reduced modulo it exactly and
    the wave is computed as :math:`\sin^2(\tfrac{\pi}{2}(P - 2\tau) / P)`,
    :math:`\tau = t \bmod P`, so the curve stays accurate at any step and its troughs
    are exactly :math:`e`; otherwise the cosine's argument carries the usual rounding,
    about :math:`10^{-16}\,c\,t / T`. Waves shorter than one update
    (:math:`c > T`, or :math:`c \ge T` with ``restart=True``) are evaluated with
    :math:`c` less a whole multiple of :math:`T`, which gives the same values at every
    whole step.

    Args:
        steps: Updates over which ``cycles`` waves happen; a positive int.
        cycles: Number of waves per ``steps``; ``> 0``.
        end: Multiplier at the bottom of each wave.
        restart: Jump back to 1 at the end of each fall instead of rising smoothly.

    Raises:
        TypeError: ``steps`` is not an int, or a parameter has the wrong type.
        ValueError: ``steps`` is below 1, ``cycles <= 0``, or ``restart=True`` with a
            fractional ``cycles``.

    Example:
        >>> sc.cosine_wave(10)(20)
        1.0

    See also: ``transformers.get_cosine_schedule_with_warmup`` (``num_cycles``),
    ``transformers.get_cosine_with_hard_restarts_schedule_with_warmup``.
    """

    steps: int
    cycles: float = 0.5
    end: float = 0.0
    restart: bool = False
    _waves: float = _hidden()  # cycles, less whole multiples of steps: the same wave at every step
    _period: int = _hidden()  # the updates of one wave when they are a whole number, else 0

    def __post_init__(self) -> None:
        steps = _checks.length("steps", self.steps)
        restart = _checks.flag("restart", self.restart)
        if restart:
            cycles: float = _checks.length("cycles", self.cycles)
        else:
            cycles = _checks.real("cycles", self.cycles, above=0.0)
        numerator, denominator = cycles.as_integer_ratio()  # exact: one wave lasts steps / cycles
        if cycles > steps:  # more than a wave per update: only the part below steps shows at whole steps
            numerator %= denominator * steps
        period = steps * denominator // numerator if numerator else 0
        whole = numerator != 0 and steps * denominator % numerator == 0 and period <= _checks.MAX_LENGTH
        _store(
            self,
            steps=steps,
            cycles=cycles,
            end=_checks.real("end", self.end),
            restart=restart,
            _waves=numerator / denominator,
            _period=period if whole else 0,  # then reduce t exactly
        )

    def formula(self, t: Any, ops: Operations) -> Any:
        steps = self.steps
        if self.restart:
            phase = ops.mulmod(ops.mod(t, steps), int(self._waves), steps)
            shape = _cosine_fall(ops, 1.0 - ops.real(phase) / float(steps))
        elif self._period and ops.fits(self._period):
            # cos(pi t / P) as sin(pi / 2 * (P - 2 tau) / P), tau = t mod P: exactly 0 at the
            # troughs. P - 2 tau is formed in floats from P - tau > 0 and tau, so that unsigned
            # steps never wrap around below 0 (exact below 2**53, as the integer difference was).
            period = self._period
            tau = ops.mod(t, period)
            half = ops.sin((_HALF_PI / period) * (ops.cast(ops.at(period) - tau) - ops.cast(tau)))
            shape = half * half
        else:
            half = ops.cos((math.pi * self._waves / steps) * ops.real(t))
            shape = half * half
        return _toward(self.end, shape)


@register("inverse", positional=2)
class Inverse(Schedule):
    r"""Inverse decay.

    .. math::
        s(t) = (1 + \gamma t)^{-p}

    where :math:`\gamma` is ``gamma`` and :math:`p` is ``power``; :math:`s(0) = 1`. A
    negative power makes it grow, to ``inf`` where the value overflows. For
    :math:`|p| > 1024` it is evaluated as :math:`\exp(-p \ln(1 + \gamma t))` with an
    accurate :math:`\ln(1 + x)`, which keeps a :math:`\gamma t` too small to change
    :math:`1 + \gamma t` (there ``(1 + 1e-16) ** -1e16`` would be 1, not :math:`e^{-1}`).

    Args:
        gamma: Rate of the decay, ``>= 0``.
        power: Exponent.

    Raises:
        TypeError: ``gamma`` or ``power`` is not a number.
        ValueError: ``gamma < 0`` or a parameter is not finite.

    Example:
        >>> sc.inverse(1.0, power=1.0)(3)
        0.25

    See also: Chainer's ``InverseShift``, Caffe's ``inv`` policy.
    """

    gamma: float
    power: float

    def __post_init__(self) -> None:
        _store(
            self,
            gamma=_checks.real("gamma", self.gamma, at_least=0.0),
            power=_checks.real("power", self.power),
        )

    def formula(self, t: Any, ops: Operations) -> Any:
        x = self.gamma * ops.real(t)
        if abs(self.power) > _LOG_POWER:
            return ops.exp(-self.power * ops.log1p(x))
        return ops.power(1.0 + x, -self.power)


@register("inverse_sqrt")
class InverseSqrt(Schedule):
    r"""Inverse square-root decay with time scale ``steps``.

    .. math::
        s(t) = \frac{1}{\sqrt{1 + t / T}}

    where :math:`T` is ``steps``; :math:`s(0) = 1` and :math:`s(3T) = 1/2`. It is
    evaluated as :math:`\sqrt{T / (t + T)}`: one rounded division before the root.
    Put a warmup before it with :func:`schedcore.join`.

    Args:
        steps: Time scale in updates; a positive int.

    Raises:
        TypeError: ``steps`` is not an int.
        ValueError: ``steps`` is below 1.

    Example:
        >>> sc.inverse_sqrt(100)(300)
        0.5

    See also: ``transformers.get_inverse_sqrt_schedule`` (after its warmup, with
    ``timescale`` as ``steps``); the "Noam" / T5 rsqrt schedules.
    """

    steps: int

    def __post_init__(self) -> None:
        _store(self, steps=_checks.length("steps", self.steps))

    def formula(self, t: Any, ops: Operations) -> Any:
        scale = float(self.steps)
        return ops.sqrt(scale / (ops.real(t) + scale))


@register("piecewise_constant", positional=2)
class PiecewiseConstant(Schedule):
    r"""Constant pieces: ``values[i]`` from ``boundaries[i-1]`` up to ``boundaries[i]``.

    .. math::
        s(t) = v_k, \qquad k = |\{b \in B : b \le t\}|

    where :math:`B` is ``boundaries`` and :math:`v` is ``values``; :math:`s(0) = v_0`,
    and :math:`s(t) = v_n` from the last boundary on. A piece starts at its boundary
    (``t >= b``), as in ``optax.piecewise_constant_schedule``.

    Args:
        boundaries: Steps where the value changes; positive, strictly increasing ints.
        values: One more value than boundaries.

    Raises:
        TypeError: an argument is not a list of the right kind.
        ValueError: the lengths do not match, or the boundaries do not increase.

    Example:
        >>> sc.piecewise_constant([10, 20], [1.0, 0.5, 0.1])(15)
        0.5

    See also: ``optax.piecewise_constant_schedule`` (scales instead of values),
    ``torch.optim.lr_scheduler.ConstantLR``, Keras ``PiecewiseConstantDecay``
    (which switches one step later, at ``t > b``).
    """

    boundaries: Sequence[int]
    values: Sequence[float]

    def __post_init__(self) -> None:
        boundaries = _checks.lengths("boundaries", self.boundaries, strictly_increasing=True)
        values = _checks.reals("values", self.values)
        if len(values) != len(boundaries) + 1:
            raise ValueError(
                f"piecewise_constant got {len(boundaries)} boundaries and {len(values)} values;"
                f" it needs {len(boundaries) + 1} values"
            )
        _store(self, boundaries=boundaries, values=values)

    def formula(self, t: Any, ops: Operations) -> Any:
        return ops.select(t, self.boundaries, self.values)


@register("piecewise_linear", positional=2)
class PiecewiseLinear(Schedule):
    r"""Straight lines through the points ``(boundaries[i], values[i])``.

    .. math::
        s(t) = v_i + (v_{i+1} - v_i)\,\frac{t - b_i}{b_{i+1} - b_i}
        \quad\text{for } b_i \le t < b_{i+1}

    where :math:`b` is ``boundaries`` and :math:`v` is ``values``;
    :math:`s(t) = v_0` before the first point and :math:`v_n` from the last one on.

    Args:
        boundaries: Steps of the points; non-negative, strictly increasing ints.
        values: Value at each point; as many as ``boundaries``, at least one.

    Raises:
        TypeError: an argument is not a list of the right kind.
        ValueError: the lengths differ or are zero, or the boundaries do not increase.

    Example:
        >>> sc.piecewise_linear([0, 10, 30], [0.0, 1.0, 0.0])(20)
        0.5

    See also: ``optax.piecewise_interpolate_schedule('linear', ...)``, ``numpy.interp``.
    """

    boundaries: Sequence[int]
    values: Sequence[float]

    def __post_init__(self) -> None:
        boundaries = _checks.lengths(
            "boundaries", self.boundaries, strictly_increasing=True, allow_empty=False, minimum=0
        )
        values = _checks.reals("values", self.values)
        if len(values) != len(boundaries):
            raise ValueError(
                f"piecewise_linear got {len(boundaries)} boundaries and {len(values)} values;"
                " it needs one value per boundary"
            )
        _store(self, boundaries=boundaries, values=values)

    def formula(self, t: Any, ops: Operations) -> Any:
        b, v = self.boundaries, self.values
        pieces: list[Any] = []
        starts: list[int] = []
        if b[0] > 0:
            pieces.append(lambda local: ops.full(local, v[0]))
            starts.append(b[0])
        for i in range(len(b) - 1):
            pieces.append(_segment(ops, v[i], v[i + 1], b[i + 1] - b[i]))
            starts.append(b[i + 1])
        if not pieces:
            pieces.append(lambda local: ops.full(local, v[0]))
        return ops.piecewise(t, starts[: len(pieces) - 1], pieces)


def _segment(ops: Operations, start: float, end: float, steps: int) -> Any:
    return lambda local: _line(ops, local, start, end, steps)


@register("one_cycle")
class OneCycle(Schedule):
    r"""The one-cycle policy: rise from ``start`` to 1, then anneal to ``end``.

    With :math:`T` = ``steps`` and :math:`f` = ``peak_at``, the phases end at the
    (possibly fractional) steps :math:`e_1 = fT - 1` and :math:`e_2 = T - 1`; with
    ``three_phase`` at :math:`e_1 = fT - 1`, :math:`e_2 = 2fT - 2`, :math:`e_3 = T - 1`.
    Phase :math:`i` runs from :math:`e_{i-1}` (:math:`e_0 = 0`) to :math:`e_i` and
    anneals from :math:`a_i` to :math:`b_i`:

    .. math::
        s(t) = b_i + (a_i - b_i)\,g(w), \qquad w = \frac{e_i - t}{e_i - e_{i-1}}

    where :math:`g(w) = w` for ``anneal="linear"`` and
    :math:`g(w) = \sin^2(\pi w / 2) = (1 + \cos(\pi (1 - w)))/2` for ``anneal="cos"``.
    The two phases go ``start -> 1 -> end``; the three phases
    ``start -> 1 -> start -> end``. Step :math:`t` belongs to the first phase with
    :math:`t < \lfloor e_i \rfloor + 1`: for whole steps that is :math:`t \le e_i`, an
    exact integer comparison, as in PyTorch; a fractional step past :math:`e_i` but
    before the next whole step (inside a ``stretch`` or a growing ``cycle``) takes the
    phase's end value :math:`b_i`. :math:`s(0) =` ``start``, and :math:`s(t) =` ``end``
    for every :math:`t \ge T - 1`.

    Args:
        steps: Total length of the cycle in updates; a positive int.
        peak_at: Fraction of ``steps`` spent rising, in ``(0, 1)``.
        start: Multiplier at step 0 (PyTorch: ``1 / div_factor``).
        end: Multiplier at the end (PyTorch: ``1 / (div_factor * final_div_factor)``).
        anneal: ``"cos"`` or ``"linear"``.
        three_phase: Come back down to ``start`` before the final anneal.

    Raises:
        TypeError: an argument has the wrong type.
        ValueError: a phase would be empty (``peak_at * steps`` must exceed 1 and
            leave room for the later phases), or a value is out of range.

    Example:
        >>> s = sc.one_cycle(10, peak_at=0.2, start=0.0, end=0.0, anneal="linear")
        >>> [s(t) for t in (0, 1, 5, 9)]
        [0.0, 1.0, 0.5, 0.0]

    See also: ``torch.optim.lr_scheduler.OneCycleLR``, which extrapolates past its
    last step and raises after it; this one stays at ``end``.
    """

    steps: int
    peak_at: float = 0.3
    start: float = 0.04
    end: float = 4e-6
    anneal: str = "cos"
    three_phase: bool = False
    _ends: tuple[float, ...] = _hidden()
    _starts: tuple[int, ...] = _hidden()

    def __post_init__(self) -> None:
        steps = _checks.length("steps", self.steps)
        peak_at = _checks.real("peak_at", self.peak_at, above=0.0, below=1.0)
        anneal = _checks.choice("anneal", self.anneal, ("cos", "linear"))
        three_phase = _checks.flag("three_phase", self.three_phase)
        rise_end = float(peak_at * steps) - 1
        ends = (rise_end, float(2 * peak_at * steps) - 2) if three_phase else (rise_end,)
        ends = (*ends, float(steps - 1))
        previous = 0.0
        for end_step in ends:
            if not end_step > previous:
                raise ValueError(
                    f"one_cycle needs every phase to last more than 0 steps; with steps={steps}"
                    f" and peak_at={peak_at} the phase ends are {[round(e, 6) for e in ends]}"
                )
            previous = end_step
        _store(
            self,
            steps=steps,
            peak_at=peak_at,
            start=_checks.real("start", self.start),
            end=_checks.real("end", self.end),
            anneal=anneal,
            three_phase=three_phase,
            _ends=ends,
            _starts=tuple(math.floor(e) + 1 for e in ends[:-1]),
        )

    def _levels(self) -> tuple[float, ...]:
        if self.three_phase:
            return (self.start, 1.0, self.start, self.end)
        return (self.start, 1.0, self.end)

    def formula(self, t: Any, ops: Operations) -> Any:
        levels = self._levels()
        pieces = []
        begin = 0.0
        for i, end_step in enumerate(self._ends):
            origin = self._starts[i - 1] if i else 0  # where the phase's local time is 0
            pieces.append(self._phase(ops, levels[i], levels[i + 1], begin - origin, end_step - origin))
            begin = end_step
        starts, last = self._starts, self.steps - 1
        if last > (starts[-1] if starts else 0):  # the value the last phase ends on, from then on
            starts = (*starts, last)
            pieces.append(lambda local: ops.full(local, levels[-1]))
        return ops.piecewise(t, starts, pieces)

    def _phase(self, ops: Operations, a: float, b: float, begin: float, end: float) -> Any:
        """Anneal from ``a`` at local time ``begin`` to ``b`` at ``end`` (both fractional).

        The fraction is measured from the side whose value is nearer zero, so that
        side keeps its relative accuracy, and each side's value is exact.
        """
        length = end - begin
        cosine = self.anneal == "cos"
        from_start = abs(a) < abs(b)

        def phase(local: Any) -> Any:
            if from_start:
                done = ops.minimum(ops.maximum(ops.real(local) - begin, 0.0) / length, 1.0)
                rising = a + (b - a) * (_cosine_fall(ops, done) if cosine else done)
                return ops.where(ops.real(local) >= end, b, rising)
            left = ops.maximum(end - ops.real(local), 0.0) / length
            return b + (a - b) * (_cosine_fall(ops, left) if cosine else left)

        return phase


@register("cyclic")
class Cyclic(Schedule):
    r"""A triangle wave between ``start`` and 1 (the "triangular" cyclical policy).

    .. math::
        s(t) = a + (1 - a)\,x(t \bmod P), \qquad
        x(\tau) = \begin{cases} \tau / U & \tau < U \\ (P - \tau) / D & \tau \ge U \end{cases}

    where :math:`U` is ``steps_up``, :math:`D` is ``steps_down`` (``steps_up`` if not
    given), :math:`P = U + D` and :math:`a` is ``start``; :math:`s(0) = a`, the peak 1
    is at :math:`t = U` and the wave repeats every :math:`P` updates.

    Args:
        steps_up: Updates from the bottom to the peak; a positive int.
        steps_down: Updates from the peak back down; a positive int, default ``steps_up``.
        start: Multiplier at the bottom of the wave.

    Raises:
        TypeError: a length is not an int, or ``start`` is not a number.
        ValueError: a length is below 1, or ``start`` is not finite.

    Example:
        >>> [round(sc.cyclic(4, start=0.2)(t), 12) for t in (0, 2, 4, 6, 8)]
        [0.2, 0.6, 1.0, 0.6, 0.2]

    See also: ``torch.optim.lr_scheduler.CyclicLR(mode="triangular")``; its other
    modes multiply the height by :func:`step_decay` or :func:`exponential`, see
    :mod:`schedcore.compat.torch`.
    """

    steps_up: int
    steps_down: int | None = None
    start: float = 0.0

    def __post_init__(self) -> None:
        up = _checks.length("steps_up", self.steps_up)
        down = up if self.steps_down is None else _checks.length("steps_down", self.steps_down)
        _store(self, steps_up=up, steps_down=down, start=_checks.real("start", self.start))

    def formula(self, t: Any, ops: Operations) -> Any:
        up, down = self.steps_up, int(self.steps_down or self.steps_up)
        tau = ops.mod(t, up + down)
        rise = _segment(ops, self.start, 1.0, up)
        fall = _segment(ops, 1.0, self.start, down)
        return ops.piecewise(tau, (up,), (rise, fall))


_WARMUP_SHAPES = ("linear", "cosine", "1-sqrt")
_DECAY_SHAPES = ("linear", "cosine", "1-sqrt")


@register("wsd", positional=3)
class Wsd(Schedule):
    r"""Warmup-stable-decay: rise to 1, hold, decay to ``end``.

    With :math:`W` = ``warmup``, :math:`S` = ``stable``, :math:`D` = ``decay`` and
    :math:`e` = ``end``:

    .. math::
        s(t) = \begin{cases}
        e + (1 - e)\,f_w(t / W) & t < W \\
        1 & W \le t < W + S \\
        e + (1 - e)\,f_d\big((t - W - S) / D\big) & W + S \le t < W + S + D \\
        e & t \ge W + S + D
        \end{cases}

    where the warmup shape :math:`f_w(u)` is :math:`u` (``"linear"``),
    :math:`(1 - \cos \pi u)/2` (``"cosine"``) or :math:`1 - \sqrt{1 - u}` (``"1-sqrt"``),
    and the decay shape :math:`f_d(p)` is :math:`1 - p`, :math:`(1 + \cos \pi p)/2` or
    :math:`1 - \sqrt{p}`. :math:`s(0) = e` (1 when ``warmup=0``).

    Args:
        warmup: Updates of the warmup; an int ``>= 0``.
        stable: Updates at 1; an int ``>= 0``.
        decay: Updates of the decay; an int ``>= 0``.
        end: Multiplier at the start of the warmup and at the end of the decay.
        warmup_shape: ``"linear"``, ``"cosine"`` or ``"1-sqrt"``.
        decay_shape: ``"linear"``, ``"cosine"`` or ``"1-sqrt"``.

    Raises:
        TypeError: an argument has the wrong type.
        ValueError: a length is negative, a shape is unknown, or ``end`` is not finite.

    Example:
        >>> sc.wsd(10, 80, 10, decay_shape="linear")(95)
        0.5

    See also: ``transformers.get_wsd_schedule`` (``min_lr_ratio`` is ``end``).
    """

    warmup: int
    stable: int
    decay: int
    end: float = 0.0
    warmup_shape: str = "linear"
    decay_shape: str = "cosine"

    def __post_init__(self) -> None:
        _store(
            self,
            warmup=_checks.length("warmup", self.warmup, minimum=0),
            stable=_checks.length("stable", self.stable, minimum=0),
            decay=_checks.length("decay", self.decay, minimum=0),
            end=_checks.real("end", self.end),
            warmup_shape=_checks.choice("warmup_shape", self.warmup_shape, _WARMUP_SHAPES),
            decay_shape=_checks.choice("decay_shape", self.decay_shape, _DECAY_SHAPES),
        )

    def formula(self, t: Any, ops: Operations) -> Any:
        end, w, s, d = self.end, self.warmup, self.stable, self.decay
        pieces: list[Any] = []
        bounds: list[int] = []
        if w:
            pieces.append(lambda local: end + (1.0 - end) * self._rise(ops, local))
            bounds.append(w)
        if s:
            pieces.append(lambda local: ops.full(local, 1.0))
            bounds.append(w + s)
        if d:
            pieces.append(lambda local: end + (1.0 - end) * self._fall(ops, local))
            bounds.append(w + s + d)
        pieces.append(lambda local: ops.full(local, end))
        return ops.piecewise(t, bounds[: len(pieces) - 1], pieces)

    def _rise(self, ops: Operations, t: Any) -> Any:
        if self.warmup_shape == "linear":
            return ops.elapsed(t, self.warmup)
        if self.warmup_shape == "cosine":
            return _cosine_fall(ops, ops.elapsed(t, self.warmup))  # (1 - cos(pi u)) / 2
        done, left = ops.progress(t, self.warmup)
        return done / (1.0 + ops.sqrt(left))  # 1 - sqrt(1 - u), exact near 0

    def _fall(self, ops: Operations, t: Any) -> Any:
        if self.decay_shape == "linear":
            return ops.remaining(t, self.decay)
        if self.decay_shape == "cosine":
            return _cosine_fall(ops, ops.remaining(t, self.decay))
        done, left = ops.progress(t, self.decay)
        return left / (1.0 + ops.sqrt(done))  # 1 - sqrt(p), exact near the end


@register("exponential_warmup")
class ExponentialWarmup(Schedule):
    r"""An exponential warmup from ``start`` towards 1 with time constant ``steps``.

    .. math::
        s(t) = 1 - (1 - a)\,e^{-t / \tau}

    where :math:`\tau` is ``steps`` and :math:`a` is ``start``; :math:`s(0) = a`, and
    after :math:`\tau` updates the gap to 1 has shrunk by the factor :math:`e`. It is
    evaluated as :math:`a + (1 - a)\,(1 - e^{-t/\tau})`, so :math:`s(0)` is exactly
    :math:`a`; near :math:`t = 0` the rise :math:`1 - e^{-t/\tau}` is accurate to about
    :math:`10^{-16}` absolute rather than relative, as ``pytorch_warmup`` computes it,
    and costs about half of what :math:`\mathrm{expm1}` would (the C library's
    ``expm1`` takes about twice as long as its ``exp``).

    Args:
        steps: The time constant :math:`\tau` in updates; a positive int.
        start: Multiplier at step 0.

    Raises:
        TypeError: ``steps`` is not an int, or ``start`` is not a number.
        ValueError: ``steps`` is below 1, or ``start`` is not finite.

    Example:
        >>> round(sc.exponential_warmup(100)(100), 6)
        0.632121

    See also: ``pytorch_warmup.ExponentialWarmup``, whose factor at update ``t`` is
    :math:`1 - e^{-(t+1)/\tau}`: ``start = 1 - exp(-1/tau)``, see
    :mod:`schedcore.compat.pytorch_warmup`.
    """

    steps: int
    start: float = 0.0

    def __post_init__(self) -> None:
        _store(
            self,
            steps=_checks.length("steps", self.steps),
            start=_checks.real("start", self.start),
        )

    def formula(self, t: Any, ops: Operations) -> Any:
        return _toward(self.start, 1.0 - ops.exp(ops.real(t) * (-1.0 / self.steps)))


def _radam_constants(beta2: float) -> tuple[int, float, float]:
    r"""The offset (the smallest ``n >= 1`` with ``rho_n > 4``) and ``c = 2/e - 2/L - 1``.

    Both in 60-digit decimal arithmetic, from the float's exact value, with
    ``e = 1 - beta2`` and ``L = -ln(beta2)``. In floats, ``1 - beta2**n`` cancels: for
    ``beta2`` near 1 a float formula picks an ``n`` that the exact one rejects (at
    ``0.999999`` it gives 4, where ``rho_4`` is 3.9999975), and ``rho_inf - ...`` loses
    ``1e-16 * rho_inf`` (1e-9 at ``0.9999999``), where rho_n is a small number.
    """
    from decimal import Decimal, localcontext  # imported here, as by combinators._cycle_layout

    with localcontext() as context:
        context.prec = 60
        b = Decimal(beta2)  # the float's exact value
        rho_inf = 2 / (1 - b) - 1
        n, power = 1, b
        while not rho_inf - 2 * n * power / (1 - power) > 4:
            n, power = n + 1, power * b
            if n > 10_000:  # only where rho_inf is about 4, right above beta2 = 0.6
                raise ValueError(_checks.must_be("beta2", "a finite number > 0.6 and < 1", beta2))
        rate = -b.ln()
        return n, float(2 / (1 - b) - 2 / rate - 1), float(rate)


# 1 - x / expm1(x) = x/2 - x^2/12 + x^4/720 - x^6/30240 + x^8/1209600 - ...: below 0.1 the
# series (whose next term is below 1e-18) is exact where expm1(x) - x would cancel.
_SERIES_BELOW = 0.1


@register("radam_warmup")
class RadamWarmup(Schedule):
    r"""The RAdam warmup factor for Adam with second-moment decay ``beta2``.

    .. math::
        s(t) = \sqrt{\frac{(\rho_n - 4)(\rho_n - 2)\,\rho_\infty}
                          {(\rho_\infty - 4)(\rho_\infty - 2)\,\rho_n}},
        \qquad n = t + \delta

    where :math:`\rho_\infty = 2 / (1 - \beta_2) - 1`,
    :math:`\rho_n = \rho_\infty - 2 n \beta_2^n / (1 - \beta_2^n)`, :math:`\beta_2` is
    ``beta2`` and :math:`\delta` is the smallest :math:`n \ge 1` with
    :math:`\rho_n > 4`, decided in exact arithmetic. :math:`s(0) > 0`, and
    :math:`s(t)` rises towards 1. With :math:`L = -\ln\beta_2` and :math:`x = nL`,
    :math:`\rho_n` is evaluated as :math:`c + (2/L)\,(1 - x / \mathrm{expm1}(x))`, where the
    constant :math:`c = 2/(1 - \beta_2) - 2/L - 1` (a small number; the two large terms
    cancel) is computed in 60-digit arithmetic, and :math:`1 - x/\mathrm{expm1}(x)` by its
    series below :math:`x = 0.1`: :math:`s(t)` stays within
    about 1e-14 relative of the exact value for every ``beta2`` up to 0.9999999 (a float
    formula loses :math:`10^{-16}\rho_\infty`, 1e-9 there).

    Args:
        beta2: Adam's second-moment decay, in ``(0.6, 1)``.

    Raises:
        TypeError: ``beta2`` is not a number.
        ValueError: ``beta2`` is not in ``(0.6, 1)``.

    Example:
        >>> round(sc.radam_warmup(0.999)(0), 6), round(sc.radam_warmup(0.999)(1000), 6)
        (0.017312, 0.646639)

    See also: ``pytorch_warmup.RAdamWarmup`` (Ma and Yarats, 2019), whose float
    arithmetic picks another offset for ``beta2 >= 0.999999`` (see
    :mod:`schedcore.compat.pytorch_warmup`).
    """

    beta2: float
    _offset: int = _hidden()
    _rho_inf: float = _hidden()
    _constant: float = _hidden()  # c = 2/(1 - beta2) - 2/L - 1
    _rate: float = _hidden()  # L = -ln(beta2)

    def __post_init__(self) -> None:
        beta2 = _checks.real("beta2", self.beta2, above=0.6, below=1.0)
        offset, constant, rate = _radam_constants(beta2)
        _store(
            self,
            beta2=beta2,
            _offset=offset,
            _rho_inf=2.0 / (1 - beta2) - 1,
            _constant=constant,
            _rate=rate,
        )

    def formula(self, t: Any, ops: Operations) -> Any:
        rho_inf, rate = self._rho_inf, self._rate
        n = ops.real(t) + float(self._offset)  # a float: int32 steps near 2**31 must not wrap
        x = n * rate
        small = ops.minimum(x, _SERIES_BELOW)  # the series only where it is taken
        square = small * small
        series = small * 0.5 - square * (
            1.0 / 12 - square * (1.0 / 720 - square * (1.0 / 30240 - square * (1.0 / 1209600)))
        )
        minus = -x
        direct = 1.0 + x * ops.exp(minus) / ops.expm1(minus)  # 1 - x / expm1(x), without overflow
        rho = self._constant + (2.0 / rate) * ops.where(x < _SERIES_BELOW, series, direct)
        scale = rho_inf / ((rho_inf - 4) * (rho_inf - 2))
        return ops.sqrt(ops.maximum((rho - 4) * (rho - 2) * scale / rho, 0.0))


@register("tanh_decay")
class TanhDecay(Schedule):
    r"""Hyperbolic-tangent decay from near 1 to near ``end`` over ``steps`` updates, then flat.

    .. math::
        s(t) = e + (1 - e)\,\frac{1 - \tanh\big(a + (b - a)\,u\big)}{2},
        \qquad u = \min(t, T) / T

    where :math:`T` is ``steps``, :math:`a` is ``lower``, :math:`b` is ``upper`` and
    :math:`e` is ``end`` (Hsueh et al., 2019); :math:`s(0) = e + (1 - e)(1 - \tanh a)/2`
    (0.9999992 of the way from :math:`e` to 1 with the default :math:`a = -7`), and
    :math:`s(t) = e + (1 - e)(1 - \tanh b)/2` for every :math:`t \ge T` (0.0025 of the
    way with :math:`b = 3`). It is evaluated as :math:`1 / (1 + e^{2x})` with
    :math:`2x = 2a + 2(b - a)\,u`, which equals :math:`(1 - \tanh x)/2` and keeps its
    relative accuracy where it nears 0.

    Args:
        steps: Length of the decay in updates; a positive int.
        lower: The argument of :math:`\tanh` at step 0.
        upper: The argument at ``steps``; above ``lower``.
        end: The multiplier the curve falls towards.

    Raises:
        TypeError: ``steps`` is not an int, or a bound or ``end`` is not a number.
        ValueError: ``steps`` is below 1, a value is not finite, or ``lower >= upper``.

    Example:
        >>> s = sc.tanh_decay(10, lower=-3.0, upper=3.0)
        >>> round(s(0), 6), s(5), round(s(10), 6)
        (0.997527, 0.5, 0.002473)

    See also: ``timm.scheduler.TanhLRScheduler`` (``lb``, ``ub``, ``lr_min``), see
    :mod:`schedcore.compat.timm`.
    """

    steps: int
    lower: float = -7.0
    upper: float = 3.0
    end: float = 0.0

    def __post_init__(self) -> None:
        lower = _checks.real("lower", self.lower)
        upper = _checks.real("upper", self.upper)
        if not lower < upper:
            raise ValueError(f"tanh_decay needs lower < upper, got lower={lower!r} and upper={upper!r}")
        _store(
            self,
            steps=_checks.length("steps", self.steps),
            lower=lower,
            upper=upper,
            end=_checks.real("end", self.end),
        )

    def formula(self, t: Any, ops: Operations) -> Any:
        twice = 2.0 * self.lower + (2.0 * (self.upper - self.lower)) * ops.elapsed(t, self.steps)  # 2x
        return _toward(self.end, 1.0 / (1.0 + ops.exp(twice)))


# The constructors: ``sc.polynomial(...)`` builds a :class:`Polynomial`.
constant = Constant
linear = Linear
warmup = Warmup
multistep = Multistep
step_decay = StepDecay
exponential = Exponential
polynomial = Polynomial
cosine = Cosine
cosine_wave = CosineWave
inverse = Inverse
inverse_sqrt = InverseSqrt
piecewise_constant = PiecewiseConstant
piecewise_linear = PiecewiseLinear
one_cycle = OneCycle
cyclic = Cyclic
wsd = Wsd
exponential_warmup = ExponentialWarmup
radam_warmup = RadamWarmup
tanh_decay = TanhDecay
