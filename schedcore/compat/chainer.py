"""Chainer's ``*Shift`` trainer extensions, rebuilt from core schedules.

Each constructor takes the extension's own arguments, minus ``attr`` and ``optimizer``
(which go to :func:`schedcore.adapters.chainer.wrap`), and returns a schedule that,
through the adapter, sets the values the extension sets::

    # trainer.extend(extensions.ExponentialShift("lr", 0.99, init=0.1, target=1e-3))
    trainer.extend(adapters.chainer.wrap(compat.chainer.ExponentialShift(0.99, init=0.1, target=1e-3),
                                         "lr", base=1.0))

Chainer states values absolutely, so with ``init`` given the schedule gives the value
itself: wrap it with ``base=1.0``. With ``init=None`` (Chainer: take the attribute's
value when training starts) it gives the multiplier: wrap it with ``base=None``, which
does the same and also keeps that value in snapshots.

How the counts line up: a Chainer extension counts its own calls in ``_t``, one per
iteration, and the call after update ``k`` sets the value for ``_t = k``; ``initialize``
sets the value for ``_t = 0``. So ``_t`` is the trainer's iteration, which is the
adapter's ``t``, and the first update uses the value for 0.

What the adapter does differently: it recomputes the value from the trainer's
iteration in ``initialize``, so a run resumed from a snapshot continues with the value
the uninterrupted run used. ``WarmupShift`` and ``MultistepShift`` instead set their
start value again in ``initialize``, and the tutorial's ``PolynomialShift`` cannot be
resumed; the others restore their last value, as the adapter does.

This module holds no formulas and imports no framework.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING

from schedcore import _checks
from schedcore.combinators import clip, per_sample
from schedcore.schedules import (
    exponential,
    inverse,
    linear,
    multistep,
    piecewise_constant,
    piecewise_linear,
    polynomial,
    step_decay,
)

if TYPE_CHECKING:
    from schedcore._base import Schedule

__all__ = [
    "ExponentialShift",
    "InverseShift",
    "LinearShift",
    "MultistepShift",
    "PolynomialShift",
    "StepShift",
    "TutorialPolynomialShift",
    "WarmupShift",
]


def WarmupShift(warmup_start: float, warmup_iter: int, init: float) -> Schedule:
    r"""Chainer's ``WarmupShift``: from ``warmup_start`` to ``init`` over ``warmup_iter`` iterations.

    Builds ``linear(warmup_start, init, warmup_iter)``:

    .. math::
        v(t) = a + (b - a)\,\min(t, T) / T

    where :math:`a` is ``warmup_start``, :math:`b` is ``init`` and :math:`T` is
    ``warmup_iter``; Chainer computes :math:`(t\,b + (T - t)\,a) / T`, the same value to
    a few ulps, and leaves :math:`b` in place after :math:`T`. Absolute values: wrap
    with ``base=1.0``.

    Chainer quirks: its ``initialize`` sets ``warmup_start`` also on a resumed trainer,
    so the first update after a resume at iteration ``k < T`` runs at ``warmup_start``,
    and after a resume past the warmup the attribute stays at ``warmup_start`` for the
    rest of the run (its ``__call__`` stops setting it after ``T``). The adapter
    continues with :math:`v(k)`. Chainer's ``warmup_start=None`` (read the attribute)
    needs the optimizer's value, so here it must be given as a number.

    Args:
        warmup_start: The value for the first update.
        warmup_iter: Iterations of the warmup; a positive int.
        init: The value reached after ``warmup_iter`` iterations and kept.

    Raises:
        TypeError: ``warmup_start`` or ``init`` is not a number (``None`` included), or
            ``warmup_iter`` is not an int.
        ValueError: ``warmup_iter`` is below 1, or a value is not finite.

    Example:
        >>> WarmupShift(0.0, 4, 0.1)(2)
        0.05
    """
    start = _checks.real("warmup_start", warmup_start)
    end = _checks.real("init", init)
    return linear(start, end, _checks.length("warmup_iter", warmup_iter))


def MultistepShift(gamma: float, step_value: Sequence[int], init: float | None) -> Schedule:
    r"""Chainer's ``MultistepShift``: multiply by ``gamma`` at each of ``step_value``.

    Builds ``init * multistep(milestones, gamma)`` (``multistep(...)`` when ``init`` is
    ``None``):

    .. math::
        v(t) = c\,\gamma^{\,|\{k : a_k \le t\}|}, \qquad a_k = \max(a_{k-1} + 1,\ m_k),
        \quad a_0 = 0

    where :math:`c` is ``init``, :math:`\gamma` is ``gamma`` and :math:`m_k` are
    ``step_value``. The :math:`a_k` reproduce a Chainer quirk: the extension advances
    at most one step per iteration, so a repeated milestone takes effect one iteration
    later than in PyTorch's ``MultiStepLR`` (``[5, 5]`` drops at 5 and 6, not twice at
    5) and a milestone 0 at iteration 1. Absolute values: wrap with ``base=1.0``; with
    ``init=None``, wrap with ``base=None``.

    Chainer quirk not reproduced: its ``initialize`` sets ``init`` again on a resumed
    trainer (with ``init=None`` it reads the new optimizer's value, which snapshots do
    not keep), so the first update after a resume runs at the undecayed value before
    the decay resumes. The adapter continues exactly.

    Args:
        gamma: Factor applied at each step; ``> 0``.
        step_value: The iterations at which the steps start; non-decreasing ints
            ``>= 0`` (Chainer takes any order; a decreasing list is refused here).
        init: The value before the first step, or ``None`` for the multiplier.

    Raises:
        TypeError: an argument has the wrong type.
        ValueError: ``gamma <= 0``, a step is negative, or the steps decrease.

    Example:
        >>> MultistepShift(0.5, [2, 2], init=1.0).breakpoints(10)
        (2, 3)
    """
    rate = _checks.real("gamma", gamma, above=0.0)
    milestones: list[int] = []
    for m in _checks.lengths("step_value", step_value, minimum=0):
        milestones.append(max(milestones[-1] + 1 if milestones else 1, m))
    return _absolute(multistep(milestones, rate), init)


def PolynomialShift(
    rate: float, max_count: int, init: float | None = None, target: float | None = None
) -> Schedule:
    r"""Chainer's ``PolynomialShift``: ``init * (1 - t / max_count) ** rate``, then 0.

    Builds ``init * polynomial(max_count, power=rate)``, clipped at ``target`` when one
    is given (see below):

    .. math::
        v(t) = c\,\big(1 - \min(t, M) / M\big)^{r}

    where :math:`c` is ``init``, :math:`M` is ``max_count`` and :math:`r` is ``rate``;
    :math:`v(t) = 0` for :math:`t \ge M` (for ``rate > 0``). Absolute values: wrap with
    ``base=1.0``; with ``init=None`` (and no ``target``), wrap with ``base=None``.

    ``target``: Chainer tests it from the first iteration on (not in ``initialize``) as
    ``target / value > 1``, so for a decreasing value it is a floor the value stops at,
    a target of the other sign is never reached, and a target already passed at
    ``init`` is set from iteration 1 on (``piecewise_constant([1], [init, target])``).
    With ``rate = 0`` it tests ``target / value < 1``. Chainer crashes once the value
    reaches 0 (at ``max_count``): ``target / 0`` raises ``ZeroDivisionError``. Here
    the value there is the evidently intended one, ``target`` (0 for a target of the
    other sign). After a resume Chainer restores its last value, as the adapter does.

    Args:
        rate: The exponent; ``>= 0`` (a negative one divides by zero at ``max_count``
            in Chainer too).
        max_count: Iterations to reach 0; a positive int.
        init: The value at iteration 0, or ``None`` for the multiplier.
        target: The value at which the shift stops, or ``None``.

    Raises:
        TypeError: an argument has the wrong type.
        ValueError: ``rate < 0``, ``max_count`` is below 1, ``target`` without
            ``init``, or ``init = 0`` with a ``target``.

    Example:
        >>> s = PolynomialShift(1.0, 10, init=0.1, target=0.02)
        >>> round(s(5), 12), s(9), s(10)
        (0.05, 0.02, 0.02)
    """
    shape = polynomial(_checks.length("max_count", max_count), power=_checks.real("rate", rate, at_least=0.0))
    # rate > 0 tests target / value > 1; rate = 0 (a constant) tests target / value < 1.
    constant = shape.power == 0
    return _stop_at(shape, init, target, cap=constant, other_sign_stops=constant)


def ExponentialShift(rate: float, init: float | None = None, target: float | None = None) -> Schedule:
    r"""Chainer's ``ExponentialShift``: multiply by ``rate`` every iteration.

    Builds ``init * exponential(rate)``, clipped at ``target`` when one is given:

    .. math::
        v(t) = c\,r^{t}

    where :math:`c` is ``init`` and :math:`r` is ``rate``. Chainer computes
    ``rate ** t``, the core :math:`\exp(t \ln r)`: they agree to about
    :math:`t\,|\ln r| \cdot 10^{-16}` relative. Absolute values: wrap with ``base=1.0``;
    with ``init=None`` (and no ``target``), wrap with ``base=None``.

    ``target``: tested from iteration 1 on as ``value / target > 1`` for ``rate > 1``
    (a cap) and ``< 1`` otherwise (a floor). So a target already passed at ``init``, and
    for ``rate <= 1`` a target of the other sign, is set from iteration 1 on; for
    ``rate > 1`` a target of the other sign is never reached. ``target=0`` makes
    Chainer divide by zero at the first iteration; here it is a floor never reached
    (``rate <= 1``) or passed at once (``rate > 1``). After a resume Chainer restores
    its last value, as the adapter does.

    Args:
        rate: The factor per iteration; ``> 0`` (Chainer's ``rate=0`` is refused).
        init: The value at iteration 0, or ``None`` for the multiplier.
        target: The value at which the shift stops, or ``None``.

    Raises:
        TypeError: an argument has the wrong type.
        ValueError: ``rate <= 0``, ``target`` without ``init``, or ``init = 0`` with a
            ``target``.

    Example:
        >>> ExponentialShift(0.5, init=1.0, target=0.2)(3)
        0.2
    """
    factor = _checks.real("rate", rate, above=0.0)
    shape = exponential(factor)
    return _stop_at(shape, init, target, cap=factor > 1, other_sign_stops=factor <= 1)


def LinearShift(value_range: Sequence[float], time_range: Sequence[int]) -> Schedule:
    r"""Chainer's ``LinearShift``: hold, move linearly, hold.

    Builds ``piecewise_linear([t1, t2], [v1, v2])``:

    .. math::
        v(t) = \begin{cases} v_1 & t \le t_1 \\
        v_1 + (v_2 - v_1)\,(t - t_1) / (t_2 - t_1) & t_1 < t < t_2 \\
        v_2 & t \ge t_2 \end{cases}

    where ``value_range`` is :math:`(v_1, v_2)` and ``time_range`` is
    :math:`(t_1, t_2)`. Chainer tests :math:`t \le t_1` first, so with
    :math:`t_2 \le t_1` the value steps from :math:`v_1` to :math:`v_2` at
    :math:`t_1 + 1` (``piecewise_constant([t1 + 1], [v1, v2])``). Absolute values:
    wrap with ``base=1.0``. After a resume Chainer restores its last value, as the
    adapter does.

    Args:
        value_range: The first and last values.
        time_range: The iterations where the change starts and ends; ints ``>= 0``.

    Raises:
        TypeError: an argument has the wrong type.
        ValueError: a range does not have two entries, or a time is negative.

    Example:
        >>> LinearShift((0.5, 0.9), (10, 20))(15)
        0.7
    """
    values = _checks.reals("value_range", value_range)
    if len(values) != 2:
        raise ValueError(f"value_range must have two values (first, last), got {list(values)}")
    if not isinstance(time_range, tuple | list) or len(time_range) != 2:
        raise TypeError(_checks.must_be("time_range", "a pair of ints >= 0", time_range, show_type=True))
    times = [_checks.length(f"time_range[{i}]", t, minimum=0) for i, t in enumerate(time_range)]
    (v1, v2), (t1, t2) = values, times
    if t2 <= t1:
        return piecewise_constant([t1 + 1], [v1, v2])
    return piecewise_linear([t1, t2], [v1, v2])


def StepShift(gamma: float, step: int, init: float | None = None, target: float | None = None) -> Schedule:
    r"""Chainer's ``StepShift``: multiply by ``gamma`` every ``step`` iterations.

    Builds ``init * step_decay(step, gamma)``, clipped at ``target`` when one is given:

    .. math::
        v(t) = c\,\gamma^{\lfloor t / k \rfloor}

    where :math:`c` is ``init``, :math:`\gamma` is ``gamma`` and :math:`k` is ``step``.
    Absolute values: wrap with ``base=1.0``; with ``init=None`` (and no ``target``),
    wrap with ``base=None``.

    ``target``: tested from iteration 1 on as ``value / target > 1`` for ``gamma > 1``
    (a cap) and ``< 1`` otherwise (a floor); a target already passed at ``init``, and
    for ``gamma <= 1`` a target of the other sign, is set from iteration 1 on. (Chainer
    computes the value as a numpy float, so ``target=0`` does not crash: it is never
    reached for ``gamma <= 1`` and set from iteration 1 on for ``gamma > 1``, as here.)
    After a resume Chainer restores its last value, as the adapter does.

    Args:
        gamma: The factor; ``> 0``.
        step: Iterations between two multiplications; a positive int.
        init: The value at iteration 0, or ``None`` for the multiplier.
        target: The value at which the shift stops, or ``None``.

    Raises:
        TypeError: an argument has the wrong type.
        ValueError: ``gamma <= 0``, ``step`` is below 1, ``target`` without ``init``,
            or ``init = 0`` with a ``target``.

    Example:
        >>> StepShift(0.5, 10, init=0.1)(25)
        0.025
    """
    factor = _checks.real("gamma", gamma, above=0.0)
    shape = step_decay(_checks.length("step", step), factor)
    return _stop_at(shape, init, target, cap=factor > 1, other_sign_stops=factor <= 1)


def InverseShift(
    gamma: float, power: float, init: float | None = None, target: float | None = None
) -> Schedule:
    r"""Chainer's ``InverseShift``: Caffe's ``inv`` policy.

    Builds ``init * inverse(gamma, power)``, clipped at ``target`` when one is given:

    .. math::
        v(t) = c\,(1 + \gamma t)^{-p}

    where :math:`c` is ``init``, :math:`\gamma` is ``gamma`` and :math:`p` is ``power``;
    the same arithmetic as Chainer's. Absolute values: wrap with ``base=1.0``; with
    ``init=None`` (and no ``target``), wrap with ``base=None``.

    ``target``: tested from iteration 1 on as ``value / target > 1`` for ``power < 0``
    (a cap) and ``< 1`` otherwise (a floor); a target already passed at ``init``, and
    for ``power >= 0`` a target of the other sign, is set from iteration 1 on.
    ``target=0`` makes Chainer divide by zero at the first iteration; here it is a
    floor never reached (``power >= 0``) or passed at once (``power < 0``). After a
    resume Chainer restores its last value, as the adapter does.

    Args:
        gamma: The rate; ``>= 0``.
        power: The exponent.
        init: The value at iteration 0, or ``None`` for the multiplier.
        target: The value at which the shift stops, or ``None``.

    Raises:
        TypeError: an argument has the wrong type.
        ValueError: ``gamma < 0``, ``target`` without ``init``, or ``init = 0`` with a
            ``target``.

    Example:
        >>> InverseShift(1.0, 1.0, init=0.5)(4)
        0.1
    """
    exponent = _checks.real("power", power)
    shape = inverse(_checks.real("gamma", gamma, at_least=0.0), exponent)
    return _stop_at(shape, init, target, cap=exponent < 0, other_sign_stops=exponent >= 0)


def TutorialPolynomialShift(
    power: float,
    stop_trigger: Sequence[object],
    batchsize: int | None = None,
    len_dataset: int | None = None,
) -> Schedule:
    r"""The ``PolynomialShift`` of Chainer's "Trainer Extensions" tutorial.

    A multiplier: the tutorial takes the attribute's value when training starts, so
    wrap it with ``base=None``. Builds ``polynomial(M, power=power)`` for a stop
    trigger in iterations and ``per_sample(polynomial(E * N, power=power), B)`` for one
    in epochs (reduced by the common divisor of ``E * N`` and ``B``):

    .. math::
        s(t) = \big(1 - \min(t, M) / M\big)^{p}, \qquad M = E\,N / B

    where :math:`p` is ``power``, and :math:`M` is the stop trigger's count of
    iterations, or for :math:`E` epochs of ``len_dataset`` :math:`N` samples in batches
    of ``batchsize`` :math:`B`, the (possibly fractional) iteration count the tutorial
    computes. Computing :math:`t B / (E N)` with integers keeps it exact.

    Tutorial quirks: past :math:`M` it raises a negative number to the power ``power``,
    which is a complex number in Python; that happens at the last call of a run when
    :math:`M` is not whole, and for every call after :math:`M`. Here the value is 0
    there. Its snapshots cannot be resumed with Chainer 7.8.1: ``_last_value`` starts
    as the int 0, and ``load_npz`` refuses to load the stored float into it
    (``TypeError: Cannot safely deserialize``); its ``initialize`` would not restore
    the value anyway. The adapter continues exactly.

    Args:
        power: The exponent; ``>= 0``.
        stop_trigger: The trainer's stop trigger, ``(count, "iteration")`` or
            ``(count, "epoch")``.
        batchsize: The batch size; needed for a trigger in epochs.
        len_dataset: The number of samples in the dataset; needed for a trigger in epochs.

    Raises:
        TypeError: an argument has the wrong type.
        ValueError: ``power < 0``, a count is below 1, the trigger's unit is neither
            ``"iteration"`` nor ``"epoch"``, a trigger in epochs without ``batchsize``
            and ``len_dataset``, or ``stop_trigger[0] * len_dataset`` reaches ``2**63``.

    Example:
        >>> s = TutorialPolynomialShift(1.0, (2, "epoch"), batchsize=3, len_dataset=10)
        >>> s
        per_sample(polynomial(20), 3)
        >>> round(s(5), 12), s(7)
        (0.25, 0.0)
    """
    exponent = _checks.real("power", power, at_least=0.0)
    if not isinstance(stop_trigger, tuple | list) or len(stop_trigger) != 2:
        raise TypeError(_checks.must_be("stop_trigger", "a pair (count, unit)", stop_trigger, show_type=True))
    count = _checks.length("stop_trigger[0]", stop_trigger[0])
    unit = _checks.choice("stop_trigger[1]", stop_trigger[1], ("iteration", "epoch"))
    size = None if batchsize is None else _checks.length("batchsize", batchsize)
    dataset = None if len_dataset is None else _checks.length("len_dataset", len_dataset)
    if unit == "iteration":
        return polynomial(count, power=exponent)
    if size is None or dataset is None:
        raise ValueError(
            "a stop_trigger in epochs needs batchsize and len_dataset to count the iterations,"
            f" got batchsize={batchsize!r} and len_dataset={len_dataset!r}"
        )
    samples = count * dataset
    if samples > _checks.MAX_LENGTH:
        raise ValueError(
            "stop_trigger[0] * len_dataset (the samples of the run) must be below 2**63,"
            f" got stop_trigger[0]={count} and len_dataset={dataset}"
        )
    common = math.gcd(samples, size)
    shape = polynomial(samples // common, power=exponent)
    return shape if size == common else per_sample(shape, size // common)


def _absolute(shape: Schedule, init: float | None) -> Schedule:
    """The values ``init * shape``, or the multiplier ``shape`` when ``init`` is ``None``."""
    if init is None:
        return shape
    return _checks.real("init", init) * shape


def _stop_at(
    shape: Schedule, init: float | None, target: float | None, *, cap: bool, other_sign_stops: bool
) -> Schedule:
    """``init * shape`` with Chainer's ``target``, set by the extension after each call.

    ``shape`` starts at 1. For a target of the same sign as ``init`` (or 0), Chainer's
    ratio test makes ``target`` a cap (``cap``: the value stops when it rises past it)
    or a floor on the magnitude; a target already passed at ``init`` is set from
    iteration 1 on, since Chainer tests it in ``__call__`` only. A target of the other
    sign is set from iteration 1 on when ``other_sign_stops``, else never reached.
    """
    if target is None:
        return _absolute(shape, init)
    stop = _checks.real("target", target)
    if init is None:
        raise ValueError(
            f"target needs init: the target {stop!r} is a value, and without init the schedule"
            " is a multiplier (give init, and wrap with base=1.0)"
        )
    start = _checks.real("init", init)
    if start == 0:
        raise ValueError(f"init must be non-zero when a target is given, got 0 (target={stop!r})")
    relative = stop / start  # where the target lies on the multiplier's scale
    jump = piecewise_constant([1], [start, stop])
    if relative < 0:
        return jump if other_sign_stops else start * shape
    if (relative < 1) if cap else (relative > 1):  # already passed at init
        return jump
    values = start * shape
    if cap == (start > 0):  # a cap on the multiplier bounds a positive value from above
        return clip(values, high=stop)
    return clip(values, low=stop)
