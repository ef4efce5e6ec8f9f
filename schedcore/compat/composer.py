r"""MosaicML Composer's schedulers (``composer.optim.scheduler``), as schedcore schedules.

Each constructor takes the scheduler's name and arguments and, since Composer states
time in strings, what its ``State`` supplies to convert them: ``max_duration`` (the
trainer's, as given: ``"90ep"``, ``"10000ba"``), ``dataloader_len`` (batches per epoch,
needed for ``ep`` times and an epoch ``max_duration``) and the trainer's
``scale_schedule_ratio``. It returns the multiplier of the optimizer's learning rate at
every update, as Composer's ``Trainer`` applies it; wrap it with
:func:`schedcore.adapters.torch.wrap`::

    schedule = compat.composer.CosineAnnealingWithWarmupScheduler(
        t_warmup="0.1dur", max_duration="90ep", dataloader_len=1000)
    scheduler = adapters.torch.wrap(optimizer, schedule)

**Time strings**, converted as Composer's ``_convert_time`` does, into whole batches:

* ``"500ba"``: ``int(500 * scale_schedule_ratio)`` batches;
* ``"2ep"``: ``2 * dataloader_len`` batches, then ``int(... * scale_schedule_ratio)``;
* ``"0.1dur"``: a fraction of the trainer's ``max_duration``, which the trainer has
  already scaled (``int(value * scale_schedule_ratio)`` in its own unit):
  ``int(0.1 * dataloader_len * epochs)`` batches for an epoch ``max_duration``,
  ``int(0.1 * batches)`` for a batch one. The ratio does not apply again.

The warmups of the ``*WithWarmup`` schedulers are not scaled by the ratio unless
``scale_warmup=True``; even then the switch to the main schedule stays at the unscaled
``t_warmup``, where Composer leaves it. Sample, token and wall-clock times (``sp``,
``tok``, ``sec``) are not step counts and are refused.

**One batch late.** Composer's trainer steps its schedulers after each batch but before it
advances the timestamp, so the value for update :math:`k \ge 1` is computed at batch
:math:`k - 1`: every constructor here returns ``join([constant(a(0)), a], [1])`` of the
scheduler's own curve ``a`` (update 0 also runs at ``a(0)``), which is what the optimizer
sees. Composer's schedulers multiply when several are given: ``sc.compose`` them, and
apply the delay once (``a * b`` of two of these is already right).
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

import schedcore as sc
from schedcore import _checks
from schedcore._base import Schedule

__all__ = [
    "ConstantScheduler",
    "ConstantWithWarmupScheduler",
    "CosineAnnealingScheduler",
    "CosineAnnealingWarmRestartsScheduler",
    "CosineAnnealingWithWarmupScheduler",
    "ExponentialScheduler",
    "LinearScheduler",
    "LinearWithWarmupScheduler",
    "MultiStepScheduler",
    "MultiStepWithWarmupScheduler",
    "PolynomialScheduler",
    "PolynomialWithWarmupScheduler",
    "StepScheduler",
]

_UNITS = {"ba": "ba", "batch": "ba", "ep": "ep", "epoch": "ep", "dur": "dur", "duration": "dur"}
_OTHER_UNITS = ("iter", "sp", "tok", "sec", "iteration", "sample", "token", "second")
_TIME = re.compile(r"^(.+?)(ba|ep|dur|iter|sp|tok|sec)$", re.IGNORECASE)
_MAX_RESTARTS = 1_000  # CosineAnnealingWarmRestartsScheduler lays out at most this many cycles


@dataclass(frozen=True)
class _Clock:
    """What Composer's ``State`` gives ``_convert_time``: the scaled run length and the epoch."""

    unit: str  # of max_duration: "ba" or "ep"
    length: int  # max_duration's value after scale_schedule_ratio
    batches: int | None  # dataloader_len
    ratio: float

    def batches_in(self, name: str, text: object, *, scaled: bool = True) -> int:
        """The time string ``text`` in whole batches, as ``_convert_time`` computes it."""
        value, unit = _parse(name, text)
        if unit == "dur":
            if self.unit == "ep":
                batches = int(value * self._epoch(name, text) * self.length)
            else:
                batches = int(value * self.length)
        else:
            if unit == "ep":
                value = value * self._epoch(name, text)
            batches = int(value * self.ratio) if scaled else int(value)
        if batches > _checks.MAX_LENGTH:
            raise ValueError(f"{name}={text!r} is 2**63 batches or more (after scale_schedule_ratio)")
        return batches

    def _epoch(self, name: str, text: object) -> int:
        if self.batches is None:
            raise ValueError(f"{name}={text!r} counts epochs: pass dataloader_len (the batches of an epoch)")
        return self.batches


def _parse(name: str, text: object) -> tuple[float, str]:
    """A time string as Composer's ``Time.from_timestring`` reads it: (value, unit)."""
    what = "a time string such as '500ba', '2ep' or '0.1dur'"
    if not isinstance(text, str):
        raise TypeError(_checks.must_be(name, what, text, show_type=True))
    match = _TIME.match(text.strip())
    if match is None:
        raise ValueError(_checks.must_be(name, what, text))
    number, unit = match.group(1), match.group(2).lower()
    if unit in _OTHER_UNITS:
        raise ValueError(
            f"{name} must be in batches, epochs or a fraction of the run ('ba', 'ep', 'dur'), got {text!r}:"
            " samples, tokens, iterations and seconds are not counts of optimizer updates here"
        )
    try:
        value = float(number)
    except ValueError:
        raise ValueError(_checks.must_be(name, what, text)) from None
    if not math.isfinite(value) or value < 0:
        raise ValueError(_checks.must_be(name, "a time string with a finite value >= 0", text))
    if unit != "dur" and not value.is_integer():
        raise ValueError(_checks.must_be(name, f"a whole number of {_UNITS[unit]}", text))
    return value, _UNITS[unit]


def _clock(max_duration: object, dataloader_len: object, scale_schedule_ratio: object) -> _Clock:
    value, unit = _parse("max_duration", max_duration)
    if unit == "dur":
        raise ValueError(_checks.must_be("max_duration", "in batches or epochs ('ba', 'ep')", max_duration))
    batches = None if dataloader_len is None else _checks.length("dataloader_len", dataloader_len)
    ratio = _checks.real("scale_schedule_ratio", scale_schedule_ratio, above=0.0)
    length = int(int(value) * ratio)  # the trainer's _scale_max_duration_by_ssr
    if length > _checks.MAX_LENGTH:
        raise ValueError(f"scale_schedule_ratio={ratio!r} makes max_duration={max_duration!r} 2**63 or more")
    if length == 0:
        raise ValueError(
            f"scale_schedule_ratio={ratio!r} reduces max_duration={max_duration!r} to 0, as Composer's"
            " trainer refuses"
        )
    if unit == "ep" and batches is None:
        raise ValueError(
            f"max_duration={max_duration!r} counts epochs: pass dataloader_len (the batches of an epoch)"
        )
    return _Clock(unit, length, batches, ratio)


def _span(clock: _Clock, name: str, text: object) -> int:
    """A duration that Composer divides by: at least one batch."""
    batches = clock.batches_in(name, text)
    if batches == 0:
        raise ValueError(
            f"{name}={text!r} is 0 batches here (after scale_schedule_ratio): Composer divides by it and"
            " fails"
        )
    return batches


def _rate(name: str, value: object) -> float:
    return _checks.real(name, value, above=0.0)


def _as_trained(curve: Schedule) -> Schedule:
    """The curve one batch late, as Composer's trainer applies it: update k runs at curve(k - 1)."""
    return sc.join([sc.constant(curve(0)), curve], [1])


def _milestones(clock: _Clock, milestones: object, gamma: float, offset: int = 0) -> Schedule:
    """``gamma`` to the number of milestones reached, on a clock started at batch ``offset``."""
    if not isinstance(milestones, list | tuple):
        raise TypeError(_checks.must_be("milestones", "a list of time strings", milestones, show_type=True))
    points = sorted(clock.batches_in(f"milestones[{i}]", m) - offset for i, m in enumerate(milestones))
    passed = sum(1 for m in points if m <= 0)
    scale = _checks.derived(
        "gamma to the power of the milestones already reached", lambda: gamma**passed, gamma=gamma
    )
    schedule: Schedule = sc.multistep([m for m in points if m > 0], gamma)
    return schedule if scale == 1.0 else scale * schedule


def StepScheduler(
    step_size: str,
    gamma: float = 0.1,
    *,
    max_duration: str,
    dataloader_len: int | None = None,
    scale_schedule_ratio: float = 1.0,
) -> Schedule:
    r"""Composer's ``StepScheduler``: multiply by ``gamma`` every ``step_size``.

    Builds ``sc.step_decay(step_size, gamma)`` with ``step_size`` in batches, one batch
    late (see the module's docstring):

    .. math::
        \alpha(k) = \gamma^{\lfloor k / \rho \rfloor}

    Args:
        step_size: Time between two decays, a time string (``"30ep"``).
        gamma: Factor of each decay; ``> 0``.
        max_duration: The trainer's ``max_duration``, in ``ba`` or ``ep``.
        dataloader_len: Batches per epoch; needed for times in ``ep``.
        scale_schedule_ratio: The trainer's ``scale_schedule_ratio``; ``> 0``.

    Raises:
        TypeError: an argument has the wrong type.
        ValueError: a time string is malformed or comes to 0 batches, ``gamma <= 0``, or
            ``dataloader_len`` is missing where an epoch needs it.

    Example:
        >>> from schedcore import compat
        >>> s = compat.composer.StepScheduler("2ba", gamma=0.5, max_duration="10ba")
        >>> [s(t) for t in range(6)]
        [1.0, 1.0, 1.0, 0.5, 0.5, 0.25]
    """
    clock = _clock(max_duration, dataloader_len, scale_schedule_ratio)
    return _as_trained(sc.step_decay(_span(clock, "step_size", step_size), _rate("gamma", gamma)))


def MultiStepScheduler(
    milestones: Sequence[str],
    gamma: float = 0.1,
    *,
    max_duration: str,
    dataloader_len: int | None = None,
    scale_schedule_ratio: float = 1.0,
) -> Schedule:
    r"""Composer's ``MultiStepScheduler``: multiply by ``gamma`` at each milestone.

    Builds ``sc.multistep(milestones, gamma)`` with the milestones in batches (sorted; one
    at 0 applies from the start), one batch late:

    .. math::
        \alpha(k) = \gamma^{\,|\{m : m \le k\}|}

    Args:
        milestones: Time strings at which the multiplier drops.
        gamma: Factor of each drop; ``> 0``.
        max_duration: The trainer's ``max_duration``, in ``ba`` or ``ep``.
        dataloader_len: Batches per epoch; needed for times in ``ep``.
        scale_schedule_ratio: The trainer's ``scale_schedule_ratio``; ``> 0``.

    Raises:
        TypeError: an argument has the wrong type.
        ValueError: a time string is malformed, ``gamma <= 0``, or ``dataloader_len`` is
            missing where an epoch needs it.

    Example:
        >>> from schedcore import compat
        >>> s = compat.composer.MultiStepScheduler(["1ep", "2ep"], 0.5, max_duration="3ep", dataloader_len=2)
        >>> [s(t) for t in range(7)]
        [1.0, 1.0, 1.0, 0.5, 0.5, 0.25, 0.25]
    """
    clock = _clock(max_duration, dataloader_len, scale_schedule_ratio)
    return _as_trained(_milestones(clock, milestones, _rate("gamma", gamma)))


def ConstantScheduler(
    alpha: float = 1.0,
    t_max: str = "1dur",
    *,
    max_duration: str,
    dataloader_len: int | None = None,
    scale_schedule_ratio: float = 1.0,
) -> Schedule:
    r"""Composer's ``ConstantScheduler``: ``alpha`` until ``t_max``, then 1.

    Builds ``sc.piecewise_constant([t_max], [alpha, 1.0])``, one batch late.

    Args:
        alpha: The multiplier before ``t_max``.
        t_max: When the multiplier returns to 1, a time string.
        max_duration: The trainer's ``max_duration``, in ``ba`` or ``ep``.
        dataloader_len: Batches per epoch; needed for times in ``ep``.
        scale_schedule_ratio: The trainer's ``scale_schedule_ratio``; ``> 0``.

    Raises:
        TypeError: an argument has the wrong type.
        ValueError: a time string is malformed, or ``dataloader_len`` is missing where an
            epoch needs it.

    Example:
        >>> from schedcore import compat
        >>> s = compat.composer.ConstantScheduler(0.5, "2ba", max_duration="4ba")
        >>> [s(t) for t in range(5)]
        [0.5, 0.5, 0.5, 1.0, 1.0]
    """
    clock = _clock(max_duration, dataloader_len, scale_schedule_ratio)
    value = _checks.real("alpha", alpha)
    end = clock.batches_in("t_max", t_max)
    return _as_trained(sc.piecewise_constant([end], [value, 1.0]) if end else sc.constant(1.0))


def LinearScheduler(
    alpha_i: float = 1.0,
    alpha_f: float = 0.0,
    t_max: str = "1dur",
    *,
    max_duration: str,
    dataloader_len: int | None = None,
    scale_schedule_ratio: float = 1.0,
) -> Schedule:
    r"""Composer's ``LinearScheduler``: a line from ``alpha_i`` to ``alpha_f`` over ``t_max``, then flat.

    Builds ``sc.linear(alpha_i, alpha_f, t_max)``, one batch late:

    .. math::
        \alpha(k) = \alpha_i + (\alpha_f - \alpha_i) \min(k / t_{max}, 1)

    Args:
        alpha_i: Multiplier at the start.
        alpha_f: Multiplier from ``t_max`` on.
        t_max: Length of the line, a time string.
        max_duration: The trainer's ``max_duration``, in ``ba`` or ``ep``.
        dataloader_len: Batches per epoch; needed for times in ``ep``.
        scale_schedule_ratio: The trainer's ``scale_schedule_ratio``; ``> 0``.

    Raises:
        TypeError: an argument has the wrong type.
        ValueError: a time string is malformed or ``t_max`` comes to 0 batches, or
            ``dataloader_len`` is missing where an epoch needs it.

    Example:
        >>> from schedcore import compat
        >>> s = compat.composer.LinearScheduler(max_duration="4ba")
        >>> [s(t) for t in range(6)]
        [1.0, 1.0, 0.75, 0.5, 0.25, 0.0]
    """
    clock = _clock(max_duration, dataloader_len, scale_schedule_ratio)
    start, end = _checks.real("alpha_i", alpha_i), _checks.real("alpha_f", alpha_f)
    return _as_trained(sc.linear(start, end, _span(clock, "t_max", t_max)))


def ExponentialScheduler(
    gamma: float,
    decay_period: str = "1ep",
    *,
    max_duration: str,
    dataloader_len: int | None = None,
    scale_schedule_ratio: float = 1.0,
) -> Schedule:
    r"""Composer's ``ExponentialScheduler``: multiply by ``gamma`` per ``decay_period``, smoothly.

    Builds ``sc.exponential(gamma, every=decay_period)``, one batch late:

    .. math::
        \alpha(k) = \gamma^{k / \rho}

    Args:
        gamma: Factor per ``decay_period``; ``> 0``.
        decay_period: A time string; default one epoch.
        max_duration: The trainer's ``max_duration``, in ``ba`` or ``ep``.
        dataloader_len: Batches per epoch; needed for times in ``ep``.
        scale_schedule_ratio: The trainer's ``scale_schedule_ratio``; ``> 0``.

    Raises:
        TypeError: an argument has the wrong type.
        ValueError: a time string is malformed or ``decay_period`` comes to 0 batches,
            ``gamma <= 0``, or ``dataloader_len`` is missing where an epoch needs it.

    Example:
        >>> from schedcore import compat
        >>> s = compat.composer.ExponentialScheduler(0.25, "2ba", max_duration="4ba")
        >>> [s(t) for t in range(4)]
        [1.0, 1.0, 0.5, 0.25]
    """
    clock = _clock(max_duration, dataloader_len, scale_schedule_ratio)
    return _as_trained(
        sc.exponential(_rate("gamma", gamma), every=_span(clock, "decay_period", decay_period))
    )


def CosineAnnealingScheduler(
    t_max: str = "1dur",
    alpha_f: float = 0.0,
    *,
    max_duration: str,
    dataloader_len: int | None = None,
    scale_schedule_ratio: float = 1.0,
) -> Schedule:
    r"""Composer's ``CosineAnnealingScheduler``: a cosine from 1 to ``alpha_f`` over ``t_max``, then flat.

    Builds ``sc.cosine(t_max, end=alpha_f)``, one batch late.

    Args:
        t_max: Length of the decay, a time string.
        alpha_f: Multiplier at the end.
        max_duration: The trainer's ``max_duration``, in ``ba`` or ``ep``.
        dataloader_len: Batches per epoch; needed for times in ``ep``.
        scale_schedule_ratio: The trainer's ``scale_schedule_ratio``; ``> 0``.

    Raises:
        TypeError: an argument has the wrong type.
        ValueError: a time string is malformed or ``t_max`` comes to 0 batches, or
            ``dataloader_len`` is missing where an epoch needs it.

    Example:
        >>> from schedcore import compat
        >>> s = compat.composer.CosineAnnealingScheduler(max_duration="4ba")
        >>> [round(s(t), 6) for t in range(6)]
        [1.0, 1.0, 0.853553, 0.5, 0.146447, 0.0]
    """
    clock = _clock(max_duration, dataloader_len, scale_schedule_ratio)
    end = _checks.real("alpha_f", alpha_f)
    return _as_trained(sc.cosine(_span(clock, "t_max", t_max), end=end))


def CosineAnnealingWarmRestartsScheduler(
    t_0: str,
    t_mult: float = 1.0,
    alpha_f: float = 0.0,
    *,
    max_duration: str,
    dataloader_len: int | None = None,
    scale_schedule_ratio: float = 1.0,
) -> Schedule:
    r"""Composer's ``CosineAnnealingWarmRestartsScheduler``: cosines from 1 to ``alpha_f``, restarted.

    Cycle :math:`i` lasts :math:`L_i` batches, :math:`L_0` = ``t_0`` and
    :math:`L_{i+1} = \lfloor m L_i \rfloor` with :math:`m` = ``t_mult``, truncated to
    whole batches at every cycle as Composer does (so its cycles are not
    :math:`t_0 m^i`): a ``sc.join`` of ``sc.cosine(L_i, end=alpha_f)``, ending in
    ``sc.cycle`` once the length stops changing; one batch late.

    Composer quirks reproduced: the truncation, also where it keeps the cycles from
    growing (``int(1.001 * 1000)`` is 1000). Differences: where the cycles shrink to 0
    batches (``t_mult < 1``) Composer raises; this keeps the last value from there on.

    Args:
        t_0: Length of the first cycle, a time string.
        t_mult: Factor on each cycle's length; ``> 0``.
        alpha_f: Multiplier at the bottom of each cycle.
        max_duration: The trainer's ``max_duration``, in ``ba`` or ``ep``.
        dataloader_len: Batches per epoch; needed for times in ``ep``.
        scale_schedule_ratio: The trainer's ``scale_schedule_ratio``; ``> 0``.

    Raises:
        TypeError: an argument has the wrong type.
        ValueError: a time string is malformed or ``t_0`` comes to 0 batches, more than
            1,000 cycles start before step :math:`2^{63}`, or ``dataloader_len`` is
            missing where an epoch needs it.

    Example:
        >>> from schedcore import compat
        >>> s = compat.composer.CosineAnnealingWarmRestartsScheduler("2ba", 2.0, max_duration="10ba")
        >>> [round(s(t), 6) for t in range(8)]
        [1.0, 1.0, 0.5, 1.0, 0.853553, 0.5, 0.146447, 1.0]
    """
    clock = _clock(max_duration, dataloader_len, scale_schedule_ratio)
    first = _span(clock, "t_0", t_0)
    growth = _rate("t_mult", t_mult)
    end = _checks.real("alpha_f", alpha_f)
    if growth.is_integer():  # int(m * L) is m * L: the core's growing cycles, exactly
        return _as_trained(sc.cycle(sc.cosine(first, end=end), first, growth=int(growth)))
    lengths, start = [first], first  # start: where the cycle after the last one begins
    while start <= _checks.MAX_LENGTH:
        following = int(growth * lengths[-1])
        if following in (0, lengths[-1]):
            break
        if len(lengths) >= _MAX_RESTARTS:
            raise ValueError(
                f"t_mult={growth!r} with t_0={t_0!r} starts more than {_MAX_RESTARTS} cycles before step"
                " 2**63; use t_mult=1.0 or a larger factor"
            )
        lengths.append(following)
        start += following
    # A cycle too long for a length (it starts before step 2**63 and ends after it) is a stretched cosine.
    pieces: list[Schedule] = [
        sc.cosine(n, end=end) if n <= _checks.MAX_LENGTH else sc.stretch(sc.cosine(1, end=end), float(n))
        for n in lengths
    ]
    last = lengths[-1]
    if int(growth * last) == last:  # the cycles keep this length from here on
        pieces[-1] = sc.cycle(pieces[-1], last)
    elif int(growth * last) == 0:  # Composer raises from here on
        pieces.append(sc.constant(pieces[-1](last - 1)))
    starts = [sum(lengths[: i + 1]) for i in range(len(pieces) - 1)]
    kept = [s for s in starts if s <= _checks.MAX_LENGTH]
    curve = pieces[0] if len(pieces) == 1 else sc.join(pieces[: len(kept) + 1], kept)
    return _as_trained(curve)


def PolynomialScheduler(
    power: float,
    t_max: str = "1dur",
    alpha_f: float = 0.0,
    *,
    max_duration: str,
    dataloader_len: int | None = None,
    scale_schedule_ratio: float = 1.0,
) -> Schedule:
    r"""Composer's ``PolynomialScheduler``: polynomial decay to ``alpha_f`` over ``t_max``.

    Builds ``sc.polynomial(t_max, power=power, end=alpha_f)``, one batch late:

    .. math::
        \alpha(k) = \alpha_f + (1 - \alpha_f)(1 - \min(k / t_{max}, 1))^{\kappa}

    Args:
        power: The exponent :math:`\kappa`; ``>= 0``.
        t_max: Length of the decay, a time string.
        alpha_f: Multiplier at the end.
        max_duration: The trainer's ``max_duration``, in ``ba`` or ``ep``.
        dataloader_len: Batches per epoch; needed for times in ``ep``.
        scale_schedule_ratio: The trainer's ``scale_schedule_ratio``; ``> 0``.

    Raises:
        TypeError: an argument has the wrong type.
        ValueError: a time string is malformed or ``t_max`` comes to 0 batches,
            ``power < 0``, or ``dataloader_len`` is missing where an epoch needs it.

    Example:
        >>> from schedcore import compat
        >>> s = compat.composer.PolynomialScheduler(2.0, max_duration="4ba")
        >>> [s(t) for t in range(6)]
        [1.0, 1.0, 0.5625, 0.25, 0.0625, 0.0]
    """
    clock = _clock(max_duration, dataloader_len, scale_schedule_ratio)
    exponent = _checks.real("power", power, at_least=0.0)
    end = _checks.real("alpha_f", alpha_f)
    return _as_trained(sc.polynomial(_span(clock, "t_max", t_max), power=exponent, end=end))


# --- the warmups ---------------------------------------------------------------------------------


def _warmed(clock: _Clock, t_warmup: object, scale_warmup: object, peak: float, main: Schedule) -> Schedule:
    """A linear warmup to ``peak`` until ``t_warmup``, then ``main`` (in local time), one batch late.

    The switch is at the unscaled ``t_warmup``; the ramp's own length is scaled by the
    ratio with ``scale_warmup`` (and stays at ``peak`` once it is done), as in Composer.
    """
    scaled = _checks.flag("scale_warmup", scale_warmup)
    switch = clock.batches_in("t_warmup", t_warmup, scaled=False)
    if switch == 0:
        return _as_trained(main)
    ramp = clock.batches_in("t_warmup", t_warmup, scaled=scaled)
    if ramp == 0:
        raise ValueError(
            f"t_warmup={t_warmup!r} is 0 batches after scale_schedule_ratio: Composer's warmup divides by it"
        )
    return _as_trained(sc.join([sc.linear(0.0, peak, ramp), main], [switch]))


def _check_covers_the_run(clock: _Clock, t_max: object) -> None:
    """Composer's ``_raise_if_max_duration_exceeds_t_max``: ``t_max`` as given against the trainer's run."""
    value, unit = _parse("t_max", t_max)
    if unit == "dur":
        return  # not comparable, Composer only logs
    run = clock.length
    if unit == clock.unit:
        enough = value >= run
    elif unit == "ba":  # against epochs
        enough = value >= run * (clock.batches or 0)
    else:
        enough = value * (clock.batches or 0) >= run
    if not enough:
        raise ValueError(
            f"t_max={t_max!r} must be at least max_duration, {run}{clock.unit} after scale_schedule_ratio, as"
            " Composer requires: otherwise the schedule is not defined for the whole run"
        )


def _main_length(clock: _Clock, t_warmup: object, t_max: object) -> int:
    end = clock.batches_in("t_max", t_max)
    _check_covers_the_run(clock, t_max)
    return end - clock.batches_in("t_warmup", t_warmup, scaled=False)


def MultiStepWithWarmupScheduler(
    t_warmup: str,
    milestones: Sequence[str],
    gamma: float = 0.1,
    scale_warmup: bool = False,
    *,
    max_duration: str,
    dataloader_len: int | None = None,
    scale_schedule_ratio: float = 1.0,
) -> Schedule:
    r"""Composer's ``MultiStepWithWarmupScheduler``: a linear warmup to 1, then ``gamma`` at each milestone.

    .. math::
        \alpha(k) = \begin{cases} \min(k / t_w', 1) & k < t_w \\
        \gamma^{\,|\{m : m \le k\}|} & k \ge t_w \end{cases}

    where :math:`t_w` is ``t_warmup`` and :math:`t_w'` the same scaled by the ratio with
    ``scale_warmup`` (else :math:`t_w`); one batch late. Composer quirk reproduced: the
    milestones count the global time, so those before the end of the warmup all apply
    at once when it ends.

    Args:
        t_warmup: Length of the warmup, a time string.
        milestones: Time strings at which the multiplier drops.
        gamma: Factor of each drop; ``> 0``.
        scale_warmup: Whether ``scale_schedule_ratio`` also scales the warmup's ramp.
        max_duration: The trainer's ``max_duration``, in ``ba`` or ``ep``.
        dataloader_len: Batches per epoch; needed for times in ``ep``.
        scale_schedule_ratio: The trainer's ``scale_schedule_ratio``; ``> 0``.

    Raises:
        TypeError: an argument has the wrong type.
        ValueError: a time string is malformed, the warmup comes to 0 batches,
            ``gamma <= 0``, or ``dataloader_len`` is missing where an epoch needs it.

    Example:
        >>> from schedcore import compat
        >>> s = compat.composer.MultiStepWithWarmupScheduler("2ba", ["3ba"], 0.5, max_duration="6ba")
        >>> [s(t) for t in range(6)]
        [0.0, 0.0, 0.5, 1.0, 0.5, 0.5]
    """
    clock = _clock(max_duration, dataloader_len, scale_schedule_ratio)
    switch = clock.batches_in("t_warmup", t_warmup, scaled=False)
    main = _milestones(clock, milestones, _rate("gamma", gamma), offset=switch)
    return _warmed(clock, t_warmup, scale_warmup, 1.0, main)


def LinearWithWarmupScheduler(
    t_warmup: str,
    alpha_i: float = 1.0,
    alpha_f: float = 0.0,
    t_max: str = "1dur",
    scale_warmup: bool = False,
    *,
    max_duration: str,
    dataloader_len: int | None = None,
    scale_schedule_ratio: float = 1.0,
) -> Schedule:
    r"""Composer's ``LinearWithWarmupScheduler``: a warmup to ``alpha_i``, then a line to ``alpha_f``.

    .. math::
        \alpha(k) = \begin{cases} \alpha_i \min(k / t_w', 1) & k < t_w \\
        \alpha_i + (\alpha_f - \alpha_i) \min\big((k - t_w) / (t_{max} - t_w), 1\big) & k \ge t_w \end{cases}

    (:math:`\alpha_i` after the warmup when :math:`t_{max} \le t_w`); one batch late.
    Composer quirks reproduced: the line starts after the warmup and still ends at
    ``t_max``; ``t_max`` given in batches or epochs must cover the trainer's run.

    Args:
        t_warmup: Length of the warmup, a time string.
        alpha_i: Multiplier at the end of the warmup.
        alpha_f: Multiplier at ``t_max``.
        t_max: When the line ends, a time string.
        scale_warmup: Whether ``scale_schedule_ratio`` also scales the warmup's ramp.
        max_duration: The trainer's ``max_duration``, in ``ba`` or ``ep``.
        dataloader_len: Batches per epoch; needed for times in ``ep``.
        scale_schedule_ratio: The trainer's ``scale_schedule_ratio``; ``> 0``.

    Raises:
        TypeError: an argument has the wrong type.
        ValueError: a time string is malformed, the warmup comes to 0 batches, ``t_max``
            is shorter than the run, or ``dataloader_len`` is missing where an epoch needs it.

    Example:
        >>> from schedcore import compat
        >>> s = compat.composer.LinearWithWarmupScheduler("2ba", max_duration="6ba")
        >>> [s(t) for t in range(8)]
        [0.0, 0.0, 0.5, 1.0, 0.75, 0.5, 0.25, 0.0]
    """
    clock = _clock(max_duration, dataloader_len, scale_schedule_ratio)
    start, end = _checks.real("alpha_i", alpha_i), _checks.real("alpha_f", alpha_f)
    return _linear_with_warmup(clock, t_warmup, start, end, t_max, scale_warmup)


def _linear_with_warmup(
    clock: _Clock, t_warmup: object, start: float, end: float, t_max: object, scale_warmup: object
) -> Schedule:
    length = _main_length(clock, t_warmup, t_max)
    main = sc.linear(start, end, length) if length > 0 else sc.constant(start)
    return _warmed(clock, t_warmup, scale_warmup, start, main)


def ConstantWithWarmupScheduler(
    t_warmup: str,
    alpha: float = 1.0,
    t_max: str = "1dur",
    scale_warmup: bool = False,
    *,
    max_duration: str,
    dataloader_len: int | None = None,
    scale_schedule_ratio: float = 1.0,
) -> Schedule:
    r"""Composer's ``ConstantWithWarmupScheduler``: a warmup to ``alpha``, then ``alpha``.

    Composer builds it as ``LinearWithWarmupScheduler(alpha_i=alpha, alpha_f=alpha)``, and
    so does this: after the warmup the multiplier stays at ``alpha`` for good (unlike
    :func:`ConstantScheduler`, it does not return to 1 at ``t_max``); one batch late.

    Args:
        t_warmup: Length of the warmup, a time string.
        alpha: The multiplier after the warmup.
        t_max: Checked against the run as Composer checks it; a time string.
        scale_warmup: Whether ``scale_schedule_ratio`` also scales the warmup's ramp.
        max_duration: The trainer's ``max_duration``, in ``ba`` or ``ep``.
        dataloader_len: Batches per epoch; needed for times in ``ep``.
        scale_schedule_ratio: The trainer's ``scale_schedule_ratio``; ``> 0``.

    Raises:
        TypeError: an argument has the wrong type.
        ValueError: a time string is malformed, the warmup comes to 0 batches, ``t_max``
            is shorter than the run, or ``dataloader_len`` is missing where an epoch needs it.

    Example:
        >>> from schedcore import compat
        >>> s = compat.composer.ConstantWithWarmupScheduler("2ba", 0.5, max_duration="4ba")
        >>> [s(t) for t in range(5)]
        [0.0, 0.0, 0.25, 0.5, 0.5]
    """
    clock = _clock(max_duration, dataloader_len, scale_schedule_ratio)
    value = _checks.real("alpha", alpha)
    return _linear_with_warmup(clock, t_warmup, value, value, t_max, scale_warmup)


def CosineAnnealingWithWarmupScheduler(
    t_warmup: str,
    t_max: str = "1dur",
    alpha_f: float = 0.0,
    scale_warmup: bool = False,
    *,
    max_duration: str,
    dataloader_len: int | None = None,
    scale_schedule_ratio: float = 1.0,
) -> Schedule:
    r"""Composer's ``CosineAnnealingWithWarmupScheduler``: a warmup to 1, then a cosine to ``alpha_f``.

    The cosine runs from the end of the warmup to ``t_max``,
    ``sc.cosine(t_max - t_warmup, end=alpha_f)`` (1 when :math:`t_{max} \le t_w`); one
    batch late. Composer quirks reproduced as in :func:`LinearWithWarmupScheduler`.

    Args:
        t_warmup: Length of the warmup, a time string.
        t_max: When the cosine ends, a time string.
        alpha_f: Multiplier at the end.
        scale_warmup: Whether ``scale_schedule_ratio`` also scales the warmup's ramp.
        max_duration: The trainer's ``max_duration``, in ``ba`` or ``ep``.
        dataloader_len: Batches per epoch; needed for times in ``ep``.
        scale_schedule_ratio: The trainer's ``scale_schedule_ratio``; ``> 0``.

    Raises:
        TypeError: an argument has the wrong type.
        ValueError: a time string is malformed, the warmup comes to 0 batches, ``t_max``
            is shorter than the run, or ``dataloader_len`` is missing where an epoch needs it.

    Example:
        >>> from schedcore import compat
        >>> s = compat.composer.CosineAnnealingWithWarmupScheduler(
        ...     "0.25dur", max_duration="1ep", dataloader_len=8
        ... )
        >>> [round(s(t), 6) for t in range(0, 10, 2)]
        [0.0, 0.5, 0.933013, 0.5, 0.066987]
    """
    clock = _clock(max_duration, dataloader_len, scale_schedule_ratio)
    end = _checks.real("alpha_f", alpha_f)
    length = _main_length(clock, t_warmup, t_max)
    main = sc.cosine(length, end=end) if length > 0 else sc.constant(1.0)
    return _warmed(clock, t_warmup, scale_warmup, 1.0, main)


def PolynomialWithWarmupScheduler(
    t_warmup: str,
    power: float = 2.0,
    t_max: str = "1dur",
    alpha_f: float = 0.0,
    scale_warmup: bool = False,
    *,
    max_duration: str,
    dataloader_len: int | None = None,
    scale_schedule_ratio: float = 1.0,
) -> Schedule:
    r"""Composer's ``PolynomialWithWarmupScheduler``: a warmup to 1, then polynomial decay to ``alpha_f``.

    The decay runs from the end of the warmup to ``t_max``,
    ``sc.polynomial(t_max - t_warmup, power=power, end=alpha_f)`` (1 when
    :math:`t_{max} \le t_w`); one batch late. Composer quirks reproduced as in
    :func:`LinearWithWarmupScheduler`.

    Args:
        t_warmup: Length of the warmup, a time string.
        power: The exponent; ``>= 0``.
        t_max: When the decay ends, a time string.
        alpha_f: Multiplier at the end.
        scale_warmup: Whether ``scale_schedule_ratio`` also scales the warmup's ramp.
        max_duration: The trainer's ``max_duration``, in ``ba`` or ``ep``.
        dataloader_len: Batches per epoch; needed for times in ``ep``.
        scale_schedule_ratio: The trainer's ``scale_schedule_ratio``; ``> 0``.

    Raises:
        TypeError: an argument has the wrong type.
        ValueError: a time string is malformed, the warmup comes to 0 batches,
            ``power < 0``, ``t_max`` is shorter than the run, or ``dataloader_len`` is
            missing where an epoch needs it.

    Example:
        >>> from schedcore import compat
        >>> s = compat.composer.PolynomialWithWarmupScheduler("2ba", max_duration="4ba")
        >>> [s(t) for t in range(6)]
        [0.0, 0.0, 0.5, 1.0, 0.25, 0.0]
    """
    clock = _clock(max_duration, dataloader_len, scale_schedule_ratio)
    exponent = _checks.real("power", power, at_least=0.0)
    end = _checks.real("alpha_f", alpha_f)
    length = _main_length(clock, t_warmup, t_max)
    main = sc.polynomial(length, power=exponent, end=end) if length > 0 else sc.constant(1.0)
    return _warmed(clock, t_warmup, scale_warmup, 1.0, main)
