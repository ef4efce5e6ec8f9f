r"""The ``transformers`` learning-rate schedules (``get_*_schedule*``), as schedcore schedules.

``transformers`` builds each schedule as a ``LambdaLR`` whose function is a multiplier of
the param group's initial learning rate; these constructors return the same multipliers
as schedcore schedules (the same names and arguments, less ``optimizer`` and
``last_epoch``). Wrap them with the default ``base=None``::

    schedule = compat.transformers.get_linear_schedule_with_warmup(500, 10_000)
    scheduler = adapters.torch.wrap(optimizer, schedule)
    trainer = transformers.Trainer(..., optimizers=(optimizer, scheduler))

Every warmup here starts at 0: the first update runs at learning rate 0, as in
``transformers`` (``sc.warmup(W)``, :math:`t / W` for :math:`t < W`). Past
``num_training_steps`` each schedule does what ``transformers`` does: the linear and
polynomial ones hold their end value, the hard-restart cosine drops to 0, and the
plain cosine keeps oscillating (:math:`\cos` has no end).
"""

from __future__ import annotations

import inspect
import json
import math
from collections.abc import Callable, Mapping
from fractions import Fraction
from typing import Any

import schedcore as sc
from schedcore import _checks
from schedcore._base import Schedule

__all__ = [
    "create_scheduler",
    "get_constant_schedule",
    "get_constant_schedule_with_warmup",
    "get_cosine_schedule_with_warmup",
    "get_cosine_with_hard_restarts_schedule_with_warmup",
    "get_cosine_with_min_lr_schedule_with_warmup",
    "get_cosine_with_min_lr_schedule_with_warmup_lr_rate",
    "get_inverse_sqrt_schedule",
    "get_linear_schedule_with_warmup",
    "get_polynomial_decay_schedule_with_warmup",
    "get_scheduler",
    "get_wsd_schedule",
]

_SHAPES = ("linear", "cosine", "1-sqrt")


def _steps(name: str, value: object) -> int:
    return _checks.length(name, value, minimum=0)


def _after_warmup(warmup: int, schedule: Schedule) -> Schedule:
    """``warmup`` steps of ``t / warmup``, then ``schedule`` in its local time."""
    if warmup == 0:
        return schedule
    return sc.join([sc.warmup(warmup), schedule], [warmup])


def get_constant_schedule() -> Schedule:
    """``transformers.get_constant_schedule``: the initial learning rate throughout.

    Builds ``sc.constant(1.0)``.

    Example:
        >>> from schedcore import compat
        >>> compat.transformers.get_constant_schedule()
        constant(1.0)
    """
    return sc.constant(1.0)


def get_constant_schedule_with_warmup(num_warmup_steps: int) -> Schedule:
    r"""``transformers.get_constant_schedule_with_warmup``: a linear warmup from 0, then 1.

    .. math::
        s(t) = \min(t / W, 1)

    where :math:`W` is ``num_warmup_steps``. Builds ``sc.warmup(num_warmup_steps)``
    (``sc.constant(1.0)`` without warmup).

    Args:
        num_warmup_steps: :math:`W`, an int ``>= 0``.

    Raises:
        TypeError: ``num_warmup_steps`` is not an int.
        ValueError: ``num_warmup_steps`` is negative.

    Example:
        >>> from schedcore import compat
        >>> [compat.transformers.get_constant_schedule_with_warmup(4)(t) for t in range(6)]
        [0.0, 0.25, 0.5, 0.75, 1.0, 1.0]
    """
    warmup = _steps("num_warmup_steps", num_warmup_steps)
    return sc.warmup(warmup) if warmup else sc.constant(1.0)


def get_linear_schedule_with_warmup(num_warmup_steps: int, num_training_steps: int) -> Schedule:
    r"""``transformers.get_linear_schedule_with_warmup``: warm up from 0, then decay linearly to 0.

    .. math::
        s(t) = \begin{cases} t / W & t < W \\
        \max\big(0, (N - t) / \max(1, N - W)\big) & t \ge W \end{cases}

    where :math:`W` is ``num_warmup_steps`` and :math:`N` is ``num_training_steps``.
    Builds ``sc.join([sc.warmup(W), sc.linear(1.0, 0.0, N - W)], [W])``; 0 from :math:`N`
    on (and right after the warmup when :math:`N \le W`, as in ``transformers``).

    Args:
        num_warmup_steps: :math:`W`, an int ``>= 0``.
        num_training_steps: :math:`N`, an int ``>= 0``.

    Raises:
        TypeError: an argument is not an int.
        ValueError: an argument is negative.

    Example:
        >>> from schedcore import compat
        >>> s = compat.transformers.get_linear_schedule_with_warmup(2, 6)
        >>> [s(t) for t in range(8)]
        [0.0, 0.5, 1.0, 0.75, 0.5, 0.25, 0.0, 0.0]
    """
    warmup = _steps("num_warmup_steps", num_warmup_steps)
    total = _steps("num_training_steps", num_training_steps)
    decay = total - warmup
    return _after_warmup(warmup, sc.linear(1.0, 0.0, decay) if decay > 0 else sc.constant(0.0))


def get_cosine_schedule_with_warmup(
    num_warmup_steps: int, num_training_steps: int, num_cycles: float = 0.5
) -> Schedule:
    r"""``transformers.get_cosine_schedule_with_warmup``: warm up from 0, then a cosine wave.

    .. math::
        s(t) = \begin{cases} t / W & t < W \\
        \frac{1}{2}\big(1 + \cos(2\pi c\,(t - W) / D)\big) & t \ge W \end{cases}

    where :math:`W` is ``num_warmup_steps``, :math:`D = \max(1, N - W)` with :math:`N` =
    ``num_training_steps``, and :math:`c` is ``num_cycles``. Builds
    ``sc.join([sc.warmup(W), sc.cosine_wave(D, cycles=c)], [W])``. With the default
    ``num_cycles=0.5`` the cosine reaches 0 at :math:`N`; as in ``transformers`` it does
    not stop there, and rises again after :math:`N` (``sc.cosine`` stops).

    Args:
        num_warmup_steps: :math:`W`, an int ``>= 0``.
        num_training_steps: :math:`N`, an int ``>= 0``.
        num_cycles: :math:`c`, the number of cosine waves over :math:`D`; ``>= 0``.

    Raises:
        TypeError: an argument has the wrong type.
        ValueError: an argument is negative.

    Example:
        >>> from schedcore import compat
        >>> s = compat.transformers.get_cosine_schedule_with_warmup(2, 6)
        >>> [round(s(t), 6) for t in (0, 1, 2, 4, 6, 10)]
        [0.0, 0.5, 1.0, 0.5, 0.0, 1.0]
    """
    warmup = _steps("num_warmup_steps", num_warmup_steps)
    total = _steps("num_training_steps", num_training_steps)
    cycles = _checks.real("num_cycles", num_cycles, at_least=0.0)
    decay = max(1, total - warmup)
    wave = sc.cosine_wave(decay, cycles=cycles) if cycles > 0 else sc.constant(1.0)
    return _after_warmup(warmup, wave)


def get_cosine_with_hard_restarts_schedule_with_warmup(
    num_warmup_steps: int, num_training_steps: int, num_cycles: float = 1
) -> Schedule:
    r"""``transformers.get_cosine_with_hard_restarts_schedule_with_warmup``: falling cosines with restarts.

    .. math::
        s(t) = \begin{cases} t / W & t < W \\
        \frac{1}{2}\big(1 + \cos(\pi\,\{c\,(t - W) / D\})\big) & W \le t < W + D \\
        0 & t \ge W + D \end{cases}

    where :math:`\{x\}` is the fractional part, :math:`W` is ``num_warmup_steps``,
    :math:`D = \max(1, N - W)` with :math:`N` = ``num_training_steps``, and :math:`c` is
    ``num_cycles``, whole or fractional as in ``transformers`` (``2.5`` falls twice and
    then half way). With :math:`c = p / q` (the decimal number it prints as), it builds
    ``sc.join([sc.warmup(W), sc.join([sc.cosine_wave(q D, cycles=p, restart=True),
    sc.constant(0.0)], [D])], [W])``: :math:`\{c\,\tau / D\} = \{p\,\tau / (q D)\}`, computed
    exactly from integers, so each restart is exactly at 1. ``num_cycles=0`` holds 1
    until :math:`N`, as in ``transformers``.

    Args:
        num_warmup_steps: :math:`W`, an int ``>= 0``.
        num_training_steps: :math:`N`, an int ``>= 0``.
        num_cycles: :math:`c`, the number of falling cosines; ``>= 0``.

    Raises:
        TypeError: an argument has the wrong type.
        ValueError: a step count is negative, ``num_cycles`` is negative, or its
            denominator times :math:`D` reaches 2**63.

    Example:
        >>> from schedcore import compat
        >>> s = compat.transformers.get_cosine_with_hard_restarts_schedule_with_warmup(0, 8, num_cycles=2)
        >>> [round(s(t), 6) for t in (0, 2, 4, 6, 8)]
        [1.0, 0.5, 1.0, 0.5, 0.0]
        >>> s = compat.transformers.get_cosine_with_hard_restarts_schedule_with_warmup(0, 10, num_cycles=2.5)
        >>> [round(s(t), 6) for t in (0, 2, 4, 8, 9, 10)]
        [1.0, 0.5, 1.0, 1.0, 0.853553, 0.0]
    """
    warmup = _steps("num_warmup_steps", num_warmup_steps)
    total = _steps("num_training_steps", num_training_steps)
    cycles = _checks.real("num_cycles", num_cycles, at_least=0.0)
    decay = max(1, total - warmup)
    ratio = Fraction(repr(cycles))
    if ratio.numerator > _checks.MAX_LENGTH or ratio.denominator * decay > _checks.MAX_LENGTH:
        raise ValueError(
            f"num_cycles must be p / q with p and q * (num_training_steps - num_warmup_steps) below"
            f" 2**63, got {cycles!r} = {ratio.numerator}/{ratio.denominator} and {decay} steps"
        )
    falling: Schedule = (
        sc.cosine_wave(ratio.denominator * decay, cycles=ratio.numerator, restart=True)
        if ratio
        else sc.constant(1.0)
    )
    return _after_warmup(warmup, sc.join([falling, sc.constant(0.0)], [decay]))


def get_cosine_with_min_lr_schedule_with_warmup(
    num_warmup_steps: int,
    num_training_steps: int,
    num_cycles: float = 0.5,
    min_lr: float | None = None,
    min_lr_rate: float | None = None,
    *,
    lr_init: float | None = None,
) -> Schedule:
    r"""``transformers.get_cosine_with_min_lr_schedule_with_warmup``: a cosine wave above a floor.

    .. math::
        s(t) = \begin{cases} t / W & t < W \\
        m + (1 - m)\,\frac{1}{2}\big(1 + \cos(2\pi c\,(t - W) / D)\big) & t \ge W \end{cases}

    where :math:`W` is ``num_warmup_steps``, :math:`D = \max(1, N - W)` with :math:`N` =
    ``num_training_steps``, :math:`c` is ``num_cycles`` and :math:`m` is ``min_lr_rate``
    (or ``min_lr / lr_init``). Builds ``sc.join([sc.warmup(W), sc.cosine_wave(D,
    cycles=c, end=m)], [W])``; like :func:`get_cosine_schedule_with_warmup`, the wave goes
    on past :math:`N`.

    ``min_lr`` is an absolute learning rate, which ``transformers`` divides by the
    optimizer's default learning rate: give that as ``lr_init`` with ``min_lr``.

    Args:
        num_warmup_steps: :math:`W`, an int ``>= 0``.
        num_training_steps: :math:`N`, an int ``>= 0``.
        num_cycles: :math:`c`, the number of cosine waves over :math:`D`; ``>= 0``.
        min_lr: The floor in absolute terms; give ``lr_init`` too. Exclusive with
            ``min_lr_rate``.
        min_lr_rate: The floor as a multiplier, in ``[0, 1]``.
        lr_init: The optimizer's default learning rate, ``optimizer.defaults["lr"]``.

    Raises:
        TypeError: an argument has the wrong type.
        ValueError: an argument is out of range, both or neither of ``min_lr`` and
            ``min_lr_rate`` are given, or ``min_lr`` comes without ``lr_init`` or above it.

    Example:
        >>> from schedcore import compat
        >>> s = compat.transformers.get_cosine_with_min_lr_schedule_with_warmup(0, 4, min_lr_rate=0.1)
        >>> [round(s(t), 6) for t in range(5)]
        [1.0, 0.868198, 0.55, 0.231802, 0.1]
    """
    warmup = _steps("num_warmup_steps", num_warmup_steps)
    total = _steps("num_training_steps", num_training_steps)
    cycles = _checks.real("num_cycles", num_cycles, at_least=0.0)
    floor = _min_lr_rate(min_lr, min_lr_rate, lr_init)
    decay = max(1, total - warmup)
    wave = sc.cosine_wave(decay, cycles=cycles, end=floor) if cycles > 0 else sc.constant(1.0)
    return _after_warmup(warmup, wave)


def _min_lr_rate(min_lr: object, min_lr_rate: object, lr_init: object) -> float:
    """The floor as a multiplier: ``min_lr_rate``, or ``min_lr / lr_init``; exactly one of them."""
    low = None if min_lr is None else _checks.real("min_lr", min_lr, at_least=0.0)
    rate = (
        None if min_lr_rate is None else _checks.real("min_lr_rate", min_lr_rate, at_least=0.0, at_most=1.0)
    )
    start_lr = None if lr_init is None else _checks.real("lr_init", lr_init, above=0.0)
    if rate is not None and low is None:
        floor = rate
    elif low is not None and rate is None:
        if start_lr is None:
            raise ValueError(
                "min_lr is an absolute learning rate: pass lr_init= (the optimizer's default lr),"
                " so that it becomes the multiplier min_lr / lr_init"
            )
        if not low <= start_lr:
            raise ValueError(f"min_lr must be <= lr_init, got min_lr={low} and lr_init={start_lr}")
        floor = low / start_lr
    else:
        raise ValueError(
            f"give one of min_lr (with lr_init) and min_lr_rate, got min_lr={low} and min_lr_rate={rate}"
        )
    return floor


def get_cosine_with_min_lr_schedule_with_warmup_lr_rate(
    num_warmup_steps: int,
    num_training_steps: int,
    num_cycles: float = 0.5,
    min_lr: float | None = None,
    min_lr_rate: float | None = None,
    warmup_lr_rate: float | None = None,
    *,
    lr_init: float | None = None,
) -> Schedule:
    r"""``transformers.get_cosine_with_min_lr_schedule_with_warmup_lr_rate``: the same, one step ahead.

    .. math::
        s(t) = egin{cases} (t + 1) / \max(1, W) & t < W 	ext{ (no warmup\_lr\_rate)} \
        r + (1 - r)\, t / \max(1, W - 1) & t < W 	ext{ (warmup\_lr\_rate } r) \
        m + (1 - m)\,rac{1}{2}ig(1 + \cos(2\pi c\,(t - W + 1) / D)ig) & t \ge W \end{cases}

    where :math:`W` is ``num_warmup_steps``, :math:`D = \max(1, N - W)` with :math:`N` =
    ``num_training_steps``, :math:`c` is ``num_cycles`` and :math:`m` is ``min_lr_rate``
    (or ``min_lr / lr_init``). transformers quirks reproduced: the warmup reaches 1 at
    step :math:`W - 1`, and the cosine is one step ahead (its first value is already
    below 1, and with the default ``num_cycles=0.5`` it reaches :math:`m` at step
    :math:`N - 1`, then rises again as the plain cosine does); with
    ``num_warmup_steps=0`` there is no warmup and the cosine starts one step in. Builds
    ``sc.join([sc.warmup(W - 1, start=1 / W), sc.shift(sc.cosine_wave(D, cycles=c,
    end=m), 1)], [W])`` (``sc.linear(r, 1, W - 1)`` with ``warmup_lr_rate``).

    ``min_lr`` is absolute: give the optimizer's default learning rate as ``lr_init``.

    Args:
        num_warmup_steps: :math:`W`, an int ``>= 0``.
        num_training_steps: :math:`N`, an int ``>= 0``.
        num_cycles: :math:`c`, the number of cosine waves over :math:`D`; ``>= 0``.
        min_lr: The floor in absolute terms; give ``lr_init`` too. Exclusive with
            ``min_lr_rate``.
        min_lr_rate: The floor as a multiplier, in ``[0, 1]``.
        warmup_lr_rate: The multiplier the warmup starts from; ``None`` starts it at
            :math:`1 / W`.
        lr_init: The optimizer's default learning rate, ``optimizer.defaults["lr"]``.

    Raises:
        TypeError: an argument has the wrong type.
        ValueError: an argument is out of range, or the floor is given twice, not at all,
            or as ``min_lr`` without ``lr_init`` or above it.

    Example:
        >>> from schedcore import compat
        >>> s = compat.transformers.get_cosine_with_min_lr_schedule_with_warmup_lr_rate(2, 6, min_lr_rate=0.0)
        >>> [round(s(t), 6) for t in range(7)]
        [0.5, 1.0, 0.853553, 0.5, 0.146447, 0.0, 0.146447]
    """
    warmup = _steps("num_warmup_steps", num_warmup_steps)
    total = _steps("num_training_steps", num_training_steps)
    cycles = _checks.real("num_cycles", num_cycles, at_least=0.0)
    floor = _min_lr_rate(min_lr, min_lr_rate, lr_init)
    first = None if warmup_lr_rate is None else _checks.real("warmup_lr_rate", warmup_lr_rate)
    decay = max(1, total - warmup)
    wave = sc.cosine_wave(decay, cycles=cycles, end=floor) if cycles > 0 else sc.constant(1.0)
    after = sc.shift(wave, 1)
    if warmup == 0:
        return after
    start = 1.0 / warmup if first is None else first
    ramp = sc.constant(start) if warmup == 1 else sc.linear(start, 1.0, warmup - 1)
    return sc.join([ramp, after], [warmup])


def get_polynomial_decay_schedule_with_warmup(
    num_warmup_steps: int,
    num_training_steps: int,
    lr_end: float = 1e-7,
    power: float = 1.0,
    *,
    lr_init: float,
) -> Schedule:
    r"""``transformers.get_polynomial_decay_schedule_with_warmup``: warm up, then decay to ``lr_end``.

    .. math::
        s(t) = \begin{cases} t / W & t < W \\
        e + (1 - e)\,\big(1 - (t - W) / (N - W)\big)^{p} & W \le t \le N \\
        e & t > N \end{cases}, \qquad e = \mathrm{lr\_end} / \mathrm{lr\_init}

    where :math:`W` is ``num_warmup_steps``, :math:`N` is ``num_training_steps`` and
    :math:`p` is ``power``. Builds ``sc.join([sc.warmup(W), sc.polynomial(N - W,
    power=p, end=e)], [W])``.

    ``lr_end`` is an absolute learning rate: ``transformers`` divides it by the
    optimizer's default learning rate (``optimizer.defaults["lr"]``), and so must this:
    pass that value as ``lr_init``. The multiplier then applies to every param group's
    initial learning rate, as in ``transformers``.

    Quirk reproduced: with ``power=0`` the multiplier is 1 up to and including
    step :math:`N` (``0 ** 0 == 1``), then ``e``. Differences: with :math:`N \le W`
    ``transformers`` divides by zero at step :math:`N = W`; this holds ``e`` after the
    warmup.

    Args:
        num_warmup_steps: :math:`W`, an int ``>= 0``.
        num_training_steps: :math:`N`, an int ``>= 0``.
        lr_end: The final learning rate, in absolute terms; below ``lr_init``.
        power: :math:`p`, ``>= 0`` (a negative power divides by zero in ``transformers``).
        lr_init: The optimizer's default learning rate, ``optimizer.defaults["lr"]``; ``> 0``.

    Raises:
        TypeError: an argument has the wrong type.
        ValueError: an argument is out of range, or ``lr_end >= lr_init``.

    Example:
        >>> from schedcore import compat
        >>> s = compat.transformers.get_polynomial_decay_schedule_with_warmup(0, 4, lr_end=0.01, lr_init=0.1)
        >>> [round(s(t), 6) for t in range(6)]
        [1.0, 0.775, 0.55, 0.325, 0.1, 0.1]
    """
    warmup = _steps("num_warmup_steps", num_warmup_steps)
    total = _steps("num_training_steps", num_training_steps)
    end_lr = _checks.real("lr_end", lr_end)
    start_lr = _checks.real("lr_init", lr_init, above=0.0)
    exponent = _checks.real("power", power, at_least=0.0)
    if not start_lr > end_lr:
        raise ValueError(f"lr_end ({end_lr!r}) must be smaller than lr_init ({start_lr!r})")
    end = _checks.derived("lr_end / lr_init", lambda: end_lr / start_lr, lr_end=end_lr, lr_init=start_lr)
    decay = total - warmup
    if decay <= 0:
        after: Schedule = sc.constant(end)
    elif exponent == 0.0:
        after = sc.piecewise_constant([decay + 1], [1.0, end])
    else:
        after = sc.polynomial(decay, power=exponent, end=end)
    return _after_warmup(warmup, after)


def get_inverse_sqrt_schedule(num_warmup_steps: int, timescale: int | None = None) -> Schedule:
    r"""``transformers.get_inverse_sqrt_schedule``: warm up from 0, then :math:`1 / \sqrt{\cdot}` decay.

    .. math::
        s(t) = \begin{cases} t / W & t < W \\
        1 / \sqrt{1 + (t - W) / \tau} & t \ge W \end{cases}

    where :math:`W` is ``num_warmup_steps`` and :math:`\tau` is ``timescale`` (by default
    ``num_warmup_steps``, or 10,000 without warmup, as in ``transformers``). Builds
    ``sc.join([sc.warmup(W), sc.inverse_sqrt(timescale)], [W])``.

    Args:
        num_warmup_steps: :math:`W`, an int ``>= 0``.
        timescale: :math:`\tau`, a positive int, or ``None`` for the default.

    Raises:
        TypeError: an argument is not an int.
        ValueError: ``num_warmup_steps`` is negative or ``timescale`` is below 1.

    Example:
        >>> from schedcore import compat
        >>> s = compat.transformers.get_inverse_sqrt_schedule(4)
        >>> [s(t) for t in (0, 2, 4, 16)]
        [0.0, 0.5, 1.0, 0.5]
    """
    warmup = _steps("num_warmup_steps", num_warmup_steps)
    scale = (warmup or 10_000) if timescale is None else _checks.length("timescale", timescale)
    return _after_warmup(warmup, sc.inverse_sqrt(scale))


def get_wsd_schedule(
    num_warmup_steps: int,
    num_decay_steps: int,
    num_training_steps: int | None = None,
    num_stable_steps: int | None = None,
    warmup_type: str = "linear",
    decay_type: str = "cosine",
    min_lr_ratio: float = 0.0,
    num_cycles: float = 0.5,
) -> Schedule:
    r"""``transformers.get_wsd_schedule``: warmup, stable, decay.

    With :math:`W` = ``num_warmup_steps``, :math:`S` = ``num_stable_steps`` (by default
    ``num_training_steps - W - D``), :math:`D` = ``num_decay_steps`` and :math:`m` =
    ``min_lr_ratio``:

    .. math::
        s(t) = \begin{cases}
        m + (1 - m)\,f_w(t / W) & t < W \\
        1 & W \le t < W + S \\
        m + (1 - m)\,f_d\big((t - W - S) / D\big) & W + S \le t < W + S + D \\
        m & t \ge W + S + D
        \end{cases}

    where :math:`f_w(u)` is :math:`u`, :math:`(1 - \cos \pi u)/2` or
    :math:`1 - \sqrt{1 - u}` (``warmup_type`` ``"linear"``, ``"cosine"``, ``"1-sqrt"``)
    and :math:`f_d(p)` is :math:`1 - p`, :math:`(1 + \cos 2\pi c p)/2` or
    :math:`1 - \sqrt{p}` (``decay_type``; :math:`c` is ``num_cycles``). Builds
    ``sc.wsd(W, S, D, end=m, warmup_shape=..., decay_shape=...)``; for a cosine decay
    with ``num_cycles`` other than 0.5, the decay piece is
    ``sc.cosine_wave(D, cycles=num_cycles, end=m)``.

    Differences: when both ``num_training_steps`` and ``num_stable_steps`` are given
    and disagree, ``transformers`` warns and uses ``num_stable_steps``; this raises.

    Args:
        num_warmup_steps: :math:`W`, an int ``>= 0``.
        num_decay_steps: :math:`D`, an int ``>= 0``.
        num_training_steps: :math:`W + S + D`; give it or ``num_stable_steps``.
        num_stable_steps: :math:`S`, an int ``>= 0``.
        warmup_type: ``"linear"``, ``"cosine"`` or ``"1-sqrt"``.
        decay_type: ``"linear"``, ``"cosine"`` or ``"1-sqrt"``.
        min_lr_ratio: :math:`m`, the multiplier at the start and the end; ``>= 0``.
        num_cycles: :math:`c`, for the cosine decay; ``>= 0``.

    Raises:
        TypeError: an argument has the wrong type.
        ValueError: a step count is negative, neither ``num_training_steps`` nor
            ``num_stable_steps`` is given, or they disagree, or a type is unknown.

    Example:
        >>> from schedcore import compat
        >>> s = compat.transformers.get_wsd_schedule(2, 2, num_stable_steps=2, decay_type="linear")
        >>> [s(t) for t in range(7)]
        [0.0, 0.5, 1.0, 1.0, 1.0, 0.5, 0.0]
    """
    warmup = _steps("num_warmup_steps", num_warmup_steps)
    decay = _steps("num_decay_steps", num_decay_steps)
    warmup_shape = _checks.choice("warmup_type", warmup_type, _SHAPES)
    decay_shape = _checks.choice("decay_type", decay_type, _SHAPES)
    floor = _checks.real("min_lr_ratio", min_lr_ratio, at_least=0.0)
    cycles = _checks.real("num_cycles", num_cycles, at_least=0.0)
    if num_stable_steps is not None:
        stable = _steps("num_stable_steps", num_stable_steps)
        if num_training_steps is not None:
            total = _steps("num_training_steps", num_training_steps)
            if warmup + stable + decay != total:
                raise ValueError(
                    f"num_training_steps={total} disagrees with num_warmup_steps + num_stable_steps"
                    f" + num_decay_steps = {warmup + stable + decay}; give one of the two"
                )
    elif num_training_steps is not None:
        total = _steps("num_training_steps", num_training_steps)
        stable = total - warmup - decay
        if stable < 0:
            raise ValueError(
                f"num_training_steps={total} is shorter than num_warmup_steps + num_decay_steps"
                f" = {warmup + decay}"
            )
    else:
        raise ValueError("get_wsd_schedule needs num_training_steps or num_stable_steps")
    if decay_shape != "cosine" or cycles == 0.5 or decay == 0:
        return sc.wsd(warmup, stable, decay, end=floor, warmup_shape=warmup_shape, decay_shape=decay_shape)
    pieces: list[Schedule] = []
    starts: list[int] = []
    if warmup + stable:
        pieces.append(sc.wsd(warmup, stable, 0, end=floor, warmup_shape=warmup_shape))
        starts.append(warmup + stable)
    pieces.append(sc.cosine_wave(decay, cycles=cycles, end=floor) if cycles > 0 else sc.constant(1.0))
    pieces.append(sc.constant(floor))
    starts.append(warmup + stable + decay)
    return sc.join(pieces, starts)


#: ``transformers.SchedulerType`` values and the function each names (``TYPE_TO_SCHEDULER_FUNCTION``).
_BY_NAME: dict[str, Callable[..., Schedule]] = {
    "linear": get_linear_schedule_with_warmup,
    "cosine": get_cosine_schedule_with_warmup,
    "cosine_with_restarts": get_cosine_with_hard_restarts_schedule_with_warmup,
    "polynomial": get_polynomial_decay_schedule_with_warmup,
    "constant": get_constant_schedule,
    "constant_with_warmup": get_constant_schedule_with_warmup,
    "inverse_sqrt": get_inverse_sqrt_schedule,
    "cosine_with_min_lr": get_cosine_with_min_lr_schedule_with_warmup,
    "cosine_warmup_with_min_lr": get_cosine_with_min_lr_schedule_with_warmup_lr_rate,
    "warmup_stable_decay": get_wsd_schedule,
}
_NOT_STEP_BASED = ("reduce_lr_on_plateau", "greedy")


def get_scheduler(
    name: str,
    num_warmup_steps: int | None = None,
    num_training_steps: int | None = None,
    scheduler_specific_kwargs: Mapping[str, Any] | None = None,
) -> Schedule:
    r"""``transformers.get_scheduler``: the schedule a ``SchedulerType`` name stands for.

    ``name`` is a ``SchedulerType`` value (or the enum member itself): ``"linear"``,
    ``"cosine"``, ``"cosine_with_restarts"``, ``"polynomial"``, ``"constant"``,
    ``"constant_with_warmup"``, ``"inverse_sqrt"``, ``"cosine_with_min_lr"``,
    ``"cosine_warmup_with_min_lr"`` or ``"warmup_stable_decay"``; it calls the function of
    this module that ``transformers`` calls, with the same arguments: ``"constant"`` takes
    none of them, ``"constant_with_warmup"`` only ``num_warmup_steps``,
    ``"inverse_sqrt"`` no ``num_training_steps``, and the others all three.
    ``scheduler_specific_kwargs`` are that function's other arguments; where
    ``transformers`` reads a value from the optimizer, it comes here under the name the
    function gives it: ``lr_init`` (``optimizer.defaults["lr"]``) for ``"polynomial"``,
    and for ``"cosine_with_min_lr"`` / ``"cosine_warmup_with_min_lr"`` with ``min_lr``.

    Differences: ``"reduce_lr_on_plateau"`` and ``"greedy"`` react to metrics, so they
    are not functions of the step: they are refused (keep transformers' scheduler; a
    schedcore warmup can go on top with :func:`schedcore.adapters.torch.dampen`).

    Args:
        name: The ``SchedulerType`` value.
        num_warmup_steps: The warmup, required by every name but ``"constant"``.
        num_training_steps: The length, required by every name but ``"constant"``,
            ``"constant_with_warmup"`` and ``"inverse_sqrt"`` (and optional for
            ``"warmup_stable_decay"``).
        scheduler_specific_kwargs: The function's other arguments, a dict.

    Raises:
        TypeError: an argument has the wrong type, or ``scheduler_specific_kwargs`` names
            an argument the function does not take.
        ValueError: ``name`` is unknown or refused, a required count is missing, or the
            function refuses its arguments.

    Example:
        >>> from schedcore import compat
        >>> compat.transformers.get_scheduler("cosine", 10, 100) == (
        ...     compat.transformers.get_cosine_schedule_with_warmup(10, 100)
        ... )
        True
        >>> compat.transformers.get_scheduler("polynomial", 0, 4, {"lr_end": 0.01, "lr_init": 0.1})(2)
        0.55
    """
    key = getattr(name, "value", name)  # a SchedulerType member is a str enum
    if key in _NOT_STEP_BASED:
        raise ValueError(
            f"name={key!r} is not supported: it reacts to a metric, so it is not a function of the step;"
            " keep transformers' scheduler (schedcore.adapters.torch.dampen can multiply a warmup on top)"
        )
    kind = _checks.choice("name", key, tuple(_BY_NAME))
    function = _BY_NAME[kind]
    if scheduler_specific_kwargs is None:
        extra: dict[str, Any] = {}
    elif isinstance(scheduler_specific_kwargs, Mapping):
        extra = dict(scheduler_specific_kwargs)
    else:
        raise TypeError(
            _checks.must_be(
                "scheduler_specific_kwargs", "None or a dict", scheduler_specific_kwargs, show_type=True
            )
        )
    if kind == "constant":
        return function()
    counts: dict[str, Any] = {"num_warmup_steps": num_warmup_steps}
    if kind not in ("constant_with_warmup", "inverse_sqrt"):
        counts["num_training_steps"] = num_training_steps
    for count, value in counts.items():
        if value is None and not (count == "num_training_steps" and kind == "warmup_stable_decay"):
            raise ValueError(f"name={kind!r} requires {count}, got None")
    if kind == "constant_with_warmup":
        extra = {}  # transformers passes it nothing else
    accepted = set(inspect.signature(function).parameters) - set(counts)
    unknown = sorted(str(k) for k in extra if k not in accepted)
    if unknown:
        raise TypeError(
            f"scheduler_specific_kwargs has {', '.join(unknown)}, which {function.__name__} does not take;"
            f" it takes {', '.join(sorted(accepted)) or 'nothing more'}"
        )
    missing = [
        parameter.name
        for parameter in inspect.signature(function).parameters.values()
        if parameter.kind is inspect.Parameter.KEYWORD_ONLY
        and parameter.default is inspect.Parameter.empty
        and parameter.name not in extra
    ]
    if missing:
        raise TypeError(
            f"scheduler_specific_kwargs must give {', '.join(missing)} for name={kind!r}: transformers"
            " reads it from the optimizer (lr_init is optimizer.defaults['lr'])"
        )
    return function(**counts, **extra)


def create_scheduler(args: object, num_training_steps: int) -> Schedule:
    r"""The schedule ``transformers.Trainer.create_scheduler`` builds from its ``TrainingArguments``.

    ``args`` is a ``TrainingArguments`` or anything with the same attributes (nothing
    of ``transformers`` is imported): ``lr_scheduler_type``, ``warmup_steps``,
    ``lr_scheduler_kwargs`` and ``learning_rate``. As the Trainer does, it calls
    :func:`get_scheduler` with ``num_warmup_steps`` from ``warmup_steps``: a value
    ``>= 1`` is truncated to an int, a fraction in ``[0, 1)`` is that share of
    ``num_training_steps``, **rounded up** (``math.ceil``, so ``0.1`` of 1,005 steps is
    101); ``lr_scheduler_kwargs`` (a dict, or a JSON string as on the command line) are
    the ``scheduler_specific_kwargs``. The Trainer's optimizer has ``lr=learning_rate``, so
    that is ``lr_init`` where :func:`get_scheduler` needs it and the kwargs lack it.
    Wrap the result with ``adapters.torch.wrap(optimizer, schedule)`` and give the Trainer
    both (``optimizers=(optimizer, scheduler)``).

    Args:
        args: The training arguments (duck-typed).
        num_training_steps: The number of optimizer updates, as the Trainer computes it
            (``max_steps``, or epochs times updates per epoch).

    Raises:
        TypeError: ``args`` lacks an attribute, or an attribute has the wrong type.
        ValueError: as for :func:`get_scheduler`.

    Example:
        >>> from types import SimpleNamespace
        >>> from schedcore import compat
        >>> args = SimpleNamespace(
        ...     lr_scheduler_type="linear", warmup_steps=0.1, lr_scheduler_kwargs={}, learning_rate=5e-5
        ... )
        >>> compat.transformers.create_scheduler(args, 1_005)
        join([warmup(101), linear(1.0, 0.0, 904)], [101])
    """
    values = {}
    for attribute in ("lr_scheduler_type", "warmup_steps", "lr_scheduler_kwargs", "learning_rate"):
        if not hasattr(args, attribute):
            raise TypeError(
                f"args must have the TrainingArguments attribute {attribute},"
                f" got {_checks.describe(args, show_type=True)}"
            )
        values[attribute] = getattr(args, attribute)
    total = _steps("num_training_steps", num_training_steps)
    ratio = _checks.real("args.warmup_steps", values["warmup_steps"], at_least=0.0)
    warmup = int(ratio) if ratio >= 1 else math.ceil(total * ratio)  # TrainingArguments.get_warmup_steps
    kwargs = values["lr_scheduler_kwargs"]
    if isinstance(kwargs, str):
        try:
            kwargs = json.loads(kwargs)
        except ValueError:
            raise ValueError(
                f"args.lr_scheduler_kwargs must be a dict or its JSON text, got {_checks.describe(kwargs)}"
            ) from None
    if kwargs is None:
        kwargs = {}
    if not isinstance(kwargs, Mapping):
        raise TypeError(
            _checks.must_be("args.lr_scheduler_kwargs", "None, a dict or JSON text", kwargs, show_type=True)
        )
    kwargs = dict(kwargs)
    name = getattr(values["lr_scheduler_type"], "value", values["lr_scheduler_type"])
    function = _BY_NAME.get(name) if isinstance(name, str) else None
    reads_lr = function is not None and "lr_init" in inspect.signature(function).parameters
    if reads_lr and "lr_init" not in kwargs and (name == "polynomial" or kwargs.get("min_lr") is not None):
        kwargs["lr_init"] = _checks.real("args.learning_rate", values["learning_rate"], above=0.0)
    return get_scheduler(name, warmup, total, kwargs)
