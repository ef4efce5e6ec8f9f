r"""timm's ``timm.scheduler`` classes and ``create_scheduler_v2``, as schedcore schedules.

Each constructor takes the scheduler's own name and arguments (less ``optimizer`` and
``initialize``) plus ``base_lr=`` and ``updates_per_epoch=``, and returns a
**multiplier** of one param group's learning rate. Build one per group and wrap them
together; stepped once after every optimizer update, the optimizer then sees at every
update the learning rate timm's scheduler sets when it is driven as timm's ``train.py``
drives it (``step_update(num_updates)`` after each update, ``step(epoch + 1)`` after each
epoch of ``updates_per_epoch`` updates)::

    schedules = [
        compat.timm.CosineLRScheduler(
            300, lr_min=1e-5, warmup_t=5, warmup_lr_init=1e-6,
            base_lr=group["lr"], updates_per_epoch=len(loader),
        )
        for group in optimizer.param_groups
    ]
    scheduler = adapters.torch.wrap(optimizer, schedules)

The mapping:

* **Absolute values become multipliers.** timm's ``lr_min`` and ``warmup_lr_init`` are
  learning rates; ``base_lr`` (the group's learning rate) turns them into the multipliers
  ``lr_min / base_lr`` and ``warmup_lr_init / base_lr``. It is needed only where they are
  not 0.
* **Epochs and updates.** With ``t_in_epochs=True`` (timm's default) every length
  (``t_initial``, ``warmup_t``, ``decay_t``, the milestones) counts epochs, the value
  changes once per epoch, and ``updates_per_epoch`` is required: the schedule is
  ``sc.per_epoch(f, updates_per_epoch)``. With ``t_in_epochs=False`` the lengths count
  updates and ``updates_per_epoch`` is not needed.
* **The first update** runs at the value timm sets when it is built, ``warmup_lr_init``
  with a warmup and the group's learning rate without one; timm's first ``step`` or
  ``step_update`` comes after it. That matters only for :func:`TanhLRScheduler` (whose
  curve starts a hair below 1) and for a milestone at 1 in :func:`MultiStepLRScheduler`.

timm quirks reproduced:

* ``warmup_prefix=False`` (the default of the cosine, tanh and poly schedulers): the
  warmup overlaps the schedule, which runs in the global step, so the learning rate
  climbs to the group's learning rate at step ``warmup_t`` and then **drops** to the
  schedule's value there (for a cosine, to its value ``warmup_t`` steps in). The tanh
  scheduler instead warms up to that value, so it does not drop. With
  ``warmup_prefix=True`` the schedule starts after the warmup.
* ``lr_min`` stays where it is while ``cycle_decay`` lowers each cycle's peak: cycle
  :math:`i` runs from ``lr_min`` to :math:`d^i` times the learning rate.
* After ``cycle_limit`` cycles the learning rate is ``lr_min`` for good (for the tanh
  curve too, which ends above it).
* :func:`MultiStepLRScheduler` applies milestone :math:`m` one step early, at
  :math:`m - 1` (timm compares :math:`t + 1` with the milestones and keeps that
  convention).

Differences:

* timm finds the cycle of a step with a floating-point logarithm,
  :math:`\lfloor \log_g(1 - t (1 - g) / T) \rfloor`. Where a cycle starts exactly at a
  whole step, that logarithm can fall a hair short of the whole number
  (:math:`\log_3 243 = 4.999999999999999`), and timm then runs the step at the end of
  the previous cycle, at ``lr_min``, instead of restarting (``cycle_mul=3``: the step
  :math:`121 T`). schedcore decides the cycle exactly (``cycle_mul`` read as the decimal
  number it prints as) and restarts there. Everywhere else the values agree.
* The noise options (``noise_range_t`` here, ``noise`` in :func:`create_scheduler_v2`)
  draw from torch's random generator at every step; no closed form reproduces that, so a
  noise range is refused with an error naming it. ``noise_pct``, ``noise_std`` and
  ``noise_seed`` change nothing without a range, in timm as here; they are checked and
  accepted.
* ``PlateauLRScheduler`` reacts to a metric, so it is not a function of the step and has
  no constructor here: keep timm's (or PyTorch's ``ReduceLROnPlateau``) and multiply a
  schedcore warmup on top with :func:`schedcore.adapters.torch.dampen`.
* A param group's ``lr_scale`` (timm multiplies the scheduled value by it) is not read:
  give ``base_lr`` the scaled learning rate.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Callable, Mapping, Sequence
from fractions import Fraction
from typing import Any

import schedcore as sc
from schedcore import _checks
from schedcore._base import Schedule

__all__ = [
    "CosineLRScheduler",
    "MultiStepLRScheduler",
    "PolyLRScheduler",
    "StepLRScheduler",
    "TanhLRScheduler",
    "create_scheduler_v2",
]

NoiseRange = Sequence[float] | float | None
Shape = Callable[[int, float], Schedule]  # (cycle length, end multiplier) -> one cycle's curve


class _Options:
    """The checked arguments every timm scheduler shares, in multipliers."""

    def __init__(self, arguments: Mapping[str, object]) -> None:
        """Check the arguments of a constructor, given as ``locals()`` at its start."""
        _no_noise(
            "noise_range_t",
            arguments["noise_range_t"],
            arguments["noise_pct"],
            arguments["noise_std"],
            arguments["noise_seed"],
        )
        self.warmup = _checks.length("warmup_t", arguments["warmup_t"], minimum=0)
        first = _checks.real("warmup_lr_init", arguments["warmup_lr_init"], at_least=0.0)
        self.prefix = _checks.flag("warmup_prefix", arguments["warmup_prefix"])
        self.in_epochs = _checks.flag("t_in_epochs", arguments["t_in_epochs"])
        low = _checks.real("lr_min", arguments.get("lr_min", 0.0), at_least=0.0)
        updates_per_epoch = arguments["updates_per_epoch"]
        if updates_per_epoch is not None:
            updates = _checks.length("updates_per_epoch", updates_per_epoch)
        elif self.in_epochs:
            raise ValueError(
                "updates_per_epoch must be a positive int with t_in_epochs=True: the lengths count"
                " epochs, and the schedule is stepped once per update"
            )
        self.per_epoch = updates if self.in_epochs else None  # in updates, it is not needed
        base_lr = arguments["base_lr"]
        base = None if base_lr is None else _checks.real("base_lr", base_lr, above=0.0)
        self.floor = _multiplier("lr_min", low, base)
        self.start = _multiplier("warmup_lr_init", first, base) if self.warmup else 0.0

    def build(self, main: Schedule, warm_to: float = 1.0) -> Schedule:
        """Warmup, then ``main`` (in timm's time), then the whole in updates."""
        schedule = main
        if self.warmup:
            ramp = sc.linear(self.start, warm_to, self.warmup)
            after = main if self.prefix else sc.shift(main, self.warmup)
            schedule = sc.join([ramp, after], [self.warmup])
        first = self.start if self.warmup else 1.0  # what timm sets when it is built
        if schedule(0) != first:
            schedule = sc.join([sc.constant(first), sc.shift(schedule, 1)], [1])
        return schedule if self.per_epoch is None else sc.per_epoch(schedule, self.per_epoch)

    def warm_target(self, main: Schedule) -> float:
        """The multiplier a tanh warmup climbs to: the schedule's at ``warmup_t`` (timm's rule)."""
        return 1.0 if self.prefix or not self.warmup else main(self.warmup)


def _multiplier(name: str, value: float, base: float | None) -> float:
    if value == 0.0:
        return 0.0
    if base is None:
        raise ValueError(
            f"{name}={value!r} is an absolute learning rate: pass base_lr= (the param group's learning"
            f" rate), so that it becomes the multiplier {name} / base_lr"
        )
    return _checks.derived(f"{name} / base_lr", lambda: value / base, **{name: value, "base_lr": base})


def _no_noise(name: str, noise: object, pct: object, std: object, seed: object) -> None:
    _checks.real("noise_pct", pct)
    _checks.real("noise_std", std)
    whole = isinstance(seed, numbers.Integral) or (isinstance(seed, float) and seed.is_integer())
    if isinstance(seed, bool) or not whole:
        raise TypeError(_checks.must_be("noise_seed", "an int", seed, show_type=True))
    if not -(2**63) <= seed < 2**63:  # type: ignore[operator]
        raise ValueError(_checks.must_be("noise_seed", "an int of 64 bits", seed))
    if noise is not None:
        raise ValueError(
            f"{name} must be None, got {_checks.describe(noise)}: timm's learning-rate noise draws from"
            " torch's random generator at every step, which no schedule reproduces"
        )


def _cycles(
    shape: Shape, t_initial: object, floor: float, cycle_mul: object, cycle_decay: object, cycle_limit: object
) -> Schedule:
    """The restarts of timm: cycle ``i`` runs ``shape`` from ``cycle_decay ** i`` down to ``floor``."""
    period = _checks.length("t_initial", t_initial)
    growth = _checks.real("cycle_mul", cycle_mul, at_least=1.0)
    decay = _checks.real("cycle_decay", cycle_decay, above=0.0, at_most=1.0)
    limit = _checks.length("cycle_limit", cycle_limit, minimum=0)
    if limit == 0:
        return sc.constant(floor)
    if limit == 1:
        return sc.join([shape(period, floor), sc.constant(floor)], [period])
    try:
        layout = sc.cycle(sc.constant(1.0), period, growth)
    except ValueError:
        raise ValueError(
            f"cycle_mul={growth!r} is so close to 1 that more than 100000 cycles of t_initial={period}"
            " start before step 2**63; use cycle_mul=1 or a larger factor"
        ) from None
    if decay == 1.0 or floor == 0.0:
        main: Schedule = sc.cycle(shape(period, floor if decay == 1.0 else 0.0), period, growth, decay)
    else:  # floor + (decay ** i - floor) * curve: the floor does not decay
        curve = shape(period, 0.0)
        main = sc.cycle(curve, period, growth, decay) + floor * (1.0 - sc.cycle(curve, period, growth))
    # Where the last cycle ends, if that is a step: c_L >= T g^(L-1) passes 2**63 when this does.
    beyond = math.log(period) + (limit - 1) * math.log(growth) > math.log(_checks.MAX_LENGTH)
    end = limit * period if growth == 1.0 else (0 if beyond else layout.start(limit))
    if beyond or end > _checks.MAX_LENGTH:
        return main
    return sc.join([main, sc.constant(floor)], [end])


def CosineLRScheduler(
    t_initial: int,
    lr_min: float = 0.0,
    cycle_mul: float = 1.0,
    cycle_decay: float = 1.0,
    cycle_limit: int = 1,
    warmup_t: int = 0,
    warmup_lr_init: float = 0.0,
    warmup_prefix: bool = False,
    t_in_epochs: bool = True,
    noise_range_t: NoiseRange = None,
    noise_pct: float = 0.67,
    noise_std: float = 1.0,
    noise_seed: int = 42,
    k_decay: float = 1.0,
    *,
    base_lr: float | None = None,
    updates_per_epoch: int | None = None,
) -> Schedule:
    r"""``timm.scheduler.CosineLRScheduler``: cosine cycles with warmup, restarts and k-decay.

    Cycle :math:`i` lasts :math:`T g^i` (``t_initial``, ``cycle_mul``) and within it

    .. math::
        \mathrm{lr} = l + (d^{\,i} b - l)\,\frac{1 + \cos(\pi\,(\tau / T_i)^k)}{2}

    where :math:`\tau` is the time since the cycle started, :math:`b` is ``base_lr``,
    :math:`l` is ``lr_min``, :math:`d` is ``cycle_decay`` and :math:`k` is ``k_decay``;
    after ``cycle_limit`` cycles it is :math:`l`. Builds ``sc.cosine(T, end=lr_min /
    base_lr, k=k_decay)`` repeated with ``sc.cycle(..., growth=cycle_mul,
    decay=cycle_decay)``, joined with the warmup ``sc.linear(warmup_lr_init / base_lr,
    1, warmup_t)``. See the module docstring for the warmup drop with
    ``warmup_prefix=False``.

    Args:
        t_initial: Length of the first cycle, in epochs (``t_in_epochs``) or updates.
        lr_min: The learning rate at the bottom of each cycle, in absolute terms.
        cycle_mul: Factor by which each cycle is longer than the one before; ``>= 1``.
        cycle_decay: Factor by which each cycle's peak is lower; in ``(0, 1]`` (timm also
            runs peaks that grow, until they overflow; that is refused here).
        cycle_limit: Number of cycles; an int ``>= 0``.
        warmup_t: Length of the linear warmup; an int ``>= 0``.
        warmup_lr_init: The learning rate at the start of the warmup, in absolute terms.
        warmup_prefix: Start the cycles after the warmup instead of under it.
        t_in_epochs: Lengths count epochs (then ``updates_per_epoch`` is required).
        noise_range_t: Must be ``None``: timm's noise is random (see the module docstring).
        noise_pct: Accepted; it changes nothing without a noise range.
        noise_std: Accepted; it changes nothing without a noise range.
        noise_seed: Accepted; it changes nothing without a noise range.
        k_decay: The exponent :math:`k` of the time; ``> 0``.
        base_lr: The param group's learning rate; needed when ``lr_min`` or
            ``warmup_lr_init`` is used and not 0.
        updates_per_epoch: Optimizer updates per epoch; a positive int.

    Raises:
        TypeError: an argument has the wrong type.
        ValueError: an argument is out of range, a noise range is given, ``base_lr`` is
            missing where a learning rate must become a multiplier, or
            ``updates_per_epoch`` is missing with ``t_in_epochs=True``.

    Example:
        >>> from schedcore import compat
        >>> s = compat.timm.CosineLRScheduler(4, warmup_t=2, t_in_epochs=False)
        >>> [round(s(t), 6) for t in range(6)]
        [0.0, 0.5, 0.5, 0.146447, 0.0, 0.0]
    """
    options = _Options(locals())
    k = _checks.real("k_decay", k_decay, above=0.0)

    def shape(period: int, end: float) -> Schedule:
        return sc.cosine(period, end=end, k=k)

    return options.build(_cycles(shape, t_initial, options.floor, cycle_mul, cycle_decay, cycle_limit))


def TanhLRScheduler(
    t_initial: int,
    lb: float = -7.0,
    ub: float = 3.0,
    lr_min: float = 0.0,
    cycle_mul: float = 1.0,
    cycle_decay: float = 1.0,
    cycle_limit: int = 1,
    warmup_t: int = 0,
    warmup_lr_init: float = 0.0,
    warmup_prefix: bool = False,
    t_in_epochs: bool = True,
    noise_range_t: NoiseRange = None,
    noise_pct: float = 0.67,
    noise_std: float = 1.0,
    noise_seed: int = 42,
    *,
    base_lr: float | None = None,
    updates_per_epoch: int | None = None,
) -> Schedule:
    r"""``timm.scheduler.TanhLRScheduler``: hyperbolic-tangent cycles with warmup and restarts.

    Within cycle :math:`i` (laid out as for :func:`CosineLRScheduler`)

    .. math::
        \mathrm{lr} = l + (d^{\,i} b - l)\,\frac{1 - \tanh(a (1 - \tau / T_i) + c\,\tau / T_i)}{2}

    where :math:`a` is ``lb`` and :math:`c` is ``ub``; after ``cycle_limit`` cycles it is
    :math:`l`. Builds ``sc.tanh_decay(T, lower=lb, upper=ub, end=lr_min / base_lr)`` in
    ``sc.cycle``. timm quirks reproduced: the curve starts a hair below the group's
    learning rate (:math:`(1 - \tanh(-7))/2 = 0.9999992`), but the first update runs at
    the learning rate itself, which timm sets when it is built; with
    ``warmup_prefix=False`` the warmup climbs to the curve's value at ``warmup_t``, so
    there is no drop; past the last cycle the learning rate is ``lr_min``, not the end of
    the curve.

    Args:
        t_initial: Length of the first cycle, in epochs (``t_in_epochs``) or updates.
        lb: The argument of :math:`\tanh` at the start of a cycle.
        ub: The argument at its end; above ``lb``.
        lr_min: The learning rate the curve falls towards, in absolute terms.
        cycle_mul: Factor by which each cycle is longer than the one before; ``>= 1``.
        cycle_decay: Factor by which each cycle's peak is lower; in ``(0, 1]`` (timm also
            runs peaks that grow, until they overflow; that is refused here).
        cycle_limit: Number of cycles; an int ``>= 0``.
        warmup_t: Length of the linear warmup; an int ``>= 0``.
        warmup_lr_init: The learning rate at the start of the warmup, in absolute terms.
        warmup_prefix: Start the cycles after the warmup instead of under it.
        t_in_epochs: Lengths count epochs (then ``updates_per_epoch`` is required).
        noise_range_t: Must be ``None``: timm's noise is random (see the module docstring).
        noise_pct: Accepted; it changes nothing without a noise range.
        noise_std: Accepted; it changes nothing without a noise range.
        noise_seed: Accepted; it changes nothing without a noise range.
        base_lr: The param group's learning rate; needed when ``lr_min`` or
            ``warmup_lr_init`` is used and not 0.
        updates_per_epoch: Optimizer updates per epoch; a positive int.

    Raises:
        TypeError: an argument has the wrong type.
        ValueError: an argument is out of range (``lb >= ub`` included), a noise range is
            given, or ``base_lr`` / ``updates_per_epoch`` is missing where needed.

    Example:
        >>> from schedcore import compat
        >>> s = compat.timm.TanhLRScheduler(10, t_in_epochs=False)
        >>> [round(s(t), 6) for t in (0, 1, 5, 9, 10)]
        [1.0, 0.999994, 0.982014, 0.017986, 0.0]
    """
    options = _Options(locals())
    lower = _checks.real("lb", lb)
    upper = _checks.real("ub", ub)
    if not lower < upper:
        raise ValueError(f"lb must be below ub, got lb={lower!r} and ub={upper!r}")

    def shape(period: int, end: float) -> Schedule:
        return sc.tanh_decay(period, lower=lower, upper=upper, end=end)

    main = _cycles(shape, t_initial, options.floor, cycle_mul, cycle_decay, cycle_limit)
    return options.build(main, warm_to=options.warm_target(main))


def PolyLRScheduler(
    t_initial: int,
    power: float = 0.5,
    lr_min: float = 0.0,
    cycle_mul: float = 1.0,
    cycle_decay: float = 1.0,
    cycle_limit: int = 1,
    warmup_t: int = 0,
    warmup_lr_init: float = 0.0,
    warmup_prefix: bool = False,
    t_in_epochs: bool = True,
    noise_range_t: NoiseRange = None,
    noise_pct: float = 0.67,
    noise_std: float = 1.0,
    noise_seed: int = 42,
    k_decay: float = 1.0,
    *,
    base_lr: float | None = None,
    updates_per_epoch: int | None = None,
) -> Schedule:
    r"""``timm.scheduler.PolyLRScheduler``: polynomial cycles with warmup, restarts and k-decay.

    Within cycle :math:`i` (laid out as for :func:`CosineLRScheduler`)

    .. math::
        \mathrm{lr} = l + (d^{\,i} b - l)\,\big(1 - (\tau / T_i)^k\big)^{p}

    where :math:`p` is ``power`` and :math:`k` is ``k_decay``; after ``cycle_limit``
    cycles it is :math:`l`. Builds ``sc.polynomial(T, power=power, end=lr_min / base_lr,
    k=k_decay)`` in ``sc.cycle``, with the warmup and its drop as for
    :func:`CosineLRScheduler`.

    Args:
        t_initial: Length of the first cycle, in epochs (``t_in_epochs``) or updates.
        power: The exponent :math:`p`; ``>= 0``.
        lr_min: The learning rate at the end of each cycle, in absolute terms.
        cycle_mul: Factor by which each cycle is longer than the one before; ``>= 1``.
        cycle_decay: Factor by which each cycle's peak is lower; in ``(0, 1]`` (timm also
            runs peaks that grow, until they overflow; that is refused here).
        cycle_limit: Number of cycles; an int ``>= 0``.
        warmup_t: Length of the linear warmup; an int ``>= 0``.
        warmup_lr_init: The learning rate at the start of the warmup, in absolute terms.
        warmup_prefix: Start the cycles after the warmup instead of under it.
        t_in_epochs: Lengths count epochs (then ``updates_per_epoch`` is required).
        noise_range_t: Must be ``None``: timm's noise is random (see the module docstring).
        noise_pct: Accepted; it changes nothing without a noise range.
        noise_std: Accepted; it changes nothing without a noise range.
        noise_seed: Accepted; it changes nothing without a noise range.
        k_decay: The exponent :math:`k` of the time; ``> 0``.
        base_lr: The param group's learning rate; needed when ``lr_min`` or
            ``warmup_lr_init`` is used and not 0.
        updates_per_epoch: Optimizer updates per epoch; a positive int.

    Raises:
        TypeError: an argument has the wrong type.
        ValueError: an argument is out of range, a noise range is given, or ``base_lr`` /
            ``updates_per_epoch`` is missing where needed.

    Example:
        >>> from schedcore import compat
        >>> s = compat.timm.PolyLRScheduler(4, power=1.0, t_in_epochs=False)
        >>> [s(t) for t in range(6)]
        [1.0, 0.75, 0.5, 0.25, 0.0, 0.0]
    """
    options = _Options(locals())
    exponent = _checks.real("power", power, at_least=0.0)
    k = _checks.real("k_decay", k_decay, above=0.0)

    def shape(period: int, end: float) -> Schedule:
        return sc.polynomial(period, power=exponent, end=end, k=k)

    return options.build(_cycles(shape, t_initial, options.floor, cycle_mul, cycle_decay, cycle_limit))


def StepLRScheduler(
    decay_t: float,
    decay_rate: float = 1.0,
    warmup_t: int = 0,
    warmup_lr_init: float = 0.0,
    warmup_prefix: bool = True,
    t_in_epochs: bool = True,
    noise_range_t: NoiseRange = None,
    noise_pct: float = 0.67,
    noise_std: float = 1.0,
    noise_seed: int = 42,
    *,
    base_lr: float | None = None,
    updates_per_epoch: int | None = None,
) -> Schedule:
    r"""``timm.scheduler.StepLRScheduler``: multiply by ``decay_rate`` every ``decay_t``, after a warmup.

    .. math::
        \mathrm{lr} = b\,r^{\lfloor t / n \rfloor}

    where :math:`n` is ``decay_t`` (a whole or fractional length, as in timm, which
    computes ``t // decay_t``) and :math:`r` is ``decay_rate``; :math:`t` is measured
    from the end of the warmup (``warmup_prefix=True``, the default here) or from 0.
    Builds ``sc.step_decay(decay_t, decay_rate)`` (for a fractional ``decay_t`` =
    :math:`N / B`, the exact ``sc.per_sample(sc.per_epoch(sc.step_decay(1, r), N), B)``)
    after the warmup ``sc.linear(warmup_lr_init / base_lr, 1, warmup_t)``.

    Args:
        decay_t: The interval between two decays; ``> 0``.
        decay_rate: The factor of each decay; ``> 0``.
        warmup_t: Length of the linear warmup; an int ``>= 0``.
        warmup_lr_init: The learning rate at the start of the warmup, in absolute terms.
        warmup_prefix: Count the decays from the end of the warmup.
        t_in_epochs: Lengths count epochs (then ``updates_per_epoch`` is required).
        noise_range_t: Must be ``None``: timm's noise is random (see the module docstring).
        noise_pct: Accepted; it changes nothing without a noise range.
        noise_std: Accepted; it changes nothing without a noise range.
        noise_seed: Accepted; it changes nothing without a noise range.
        base_lr: The param group's learning rate; needed when ``warmup_lr_init`` is used
            and not 0.
        updates_per_epoch: Optimizer updates per epoch; a positive int.

    Raises:
        TypeError: an argument has the wrong type.
        ValueError: an argument is out of range, a noise range is given, or ``base_lr`` /
            ``updates_per_epoch`` is missing where needed.

    Example:
        >>> from schedcore import compat
        >>> s = compat.timm.StepLRScheduler(2, decay_rate=0.5, updates_per_epoch=3)
        >>> [s(t) for t in range(0, 15, 3)]
        [1.0, 1.0, 0.5, 0.5, 0.25]
    """
    options = _Options(locals())
    every = _checks.real("decay_t", decay_t, above=0.0)
    rate = _checks.real("decay_rate", decay_rate, above=0.0)
    ratio = Fraction(every)  # t // decay_t = floor(t B / N) for decay_t = N / B, exactly
    if max(ratio.numerator, ratio.denominator) > _checks.MAX_LENGTH:
        raise ValueError(
            _checks.must_be("decay_t", "a number > 0 that is N / B with N and B below 2**63", decay_t)
        )
    if ratio.denominator == 1:
        main: Schedule = sc.step_decay(ratio.numerator, rate)
    else:
        main = sc.per_sample(sc.per_epoch(sc.step_decay(1, rate), ratio.numerator), ratio.denominator)
    return options.build(main)


def MultiStepLRScheduler(
    decay_t: Sequence[int],
    decay_rate: float = 1.0,
    warmup_t: int = 0,
    warmup_lr_init: float = 0.0,
    warmup_prefix: bool = True,
    t_in_epochs: bool = True,
    noise_range_t: NoiseRange = None,
    noise_pct: float = 0.67,
    noise_std: float = 1.0,
    noise_seed: int = 42,
    *,
    base_lr: float | None = None,
    updates_per_epoch: int | None = None,
) -> Schedule:
    r"""``timm.scheduler.MultiStepLRScheduler``: multiply by ``decay_rate`` at each milestone, one step early.

    .. math::
        \mathrm{lr} = b\,r^{\,|\{m \in M : m \le t + 1\}|}

    where :math:`M` is ``decay_t`` and :math:`r` is ``decay_rate``; :math:`t` is measured
    from the end of the warmup (``warmup_prefix=True``, the default here) or from 0.
    timm quirk reproduced: milestone :math:`m` applies at :math:`t = m - 1`, one step
    before PyTorch's ``MultiStepLR`` would apply it (timm compares :math:`t + 1` and keeps
    that convention on purpose); a milestone at 1 would apply to the first update, which
    still runs at the group's learning rate (timm sets it when it is built). Builds
    ``sc.multistep([m - 1 for m in decay_t], decay_rate)`` after the warmup.

    Args:
        decay_t: The milestones; sorted ints ``>= 0`` (timm bisects them, so they must
            be sorted).
        decay_rate: The factor of each decay; ``> 0``.
        warmup_t: Length of the linear warmup; an int ``>= 0``.
        warmup_lr_init: The learning rate at the start of the warmup, in absolute terms.
        warmup_prefix: Count the milestones from the end of the warmup.
        t_in_epochs: Lengths count epochs (then ``updates_per_epoch`` is required).
        noise_range_t: Must be ``None``: timm's noise is random (see the module docstring).
        noise_pct: Accepted; it changes nothing without a noise range.
        noise_std: Accepted; it changes nothing without a noise range.
        noise_seed: Accepted; it changes nothing without a noise range.
        base_lr: The param group's learning rate; needed when ``warmup_lr_init`` is used
            and not 0.
        updates_per_epoch: Optimizer updates per epoch; a positive int.

    Raises:
        TypeError: an argument has the wrong type.
        ValueError: an argument is out of range, the milestones are not sorted, a noise
            range is given, or ``base_lr`` / ``updates_per_epoch`` is missing where needed.

    Example:
        >>> from schedcore import compat
        >>> s = compat.timm.MultiStepLRScheduler([3, 5], decay_rate=0.1, t_in_epochs=False)
        >>> [round(s(t), 6) for t in range(6)]
        [1.0, 1.0, 0.1, 0.1, 0.01, 0.01]
    """
    options = _Options(locals())
    milestones = _checks.lengths("decay_t", decay_t, minimum=0)
    rate = _checks.real("decay_rate", decay_rate, above=0.0)
    early = [m - 1 for m in milestones]
    at_once = sum(1 for m in early if m <= 0)
    _checks.derived(
        "decay_rate ** len(decay_t)",
        lambda: rate ** len(milestones),
        decay_rate=rate,
        decay_t=list(milestones),
    )
    scale = rate**at_once
    main = sc.multistep(early[at_once:], rate)
    return options.build(main if at_once == 0 else scale * main)


_SCHEDS = ("cosine", "tanh", "step", "multistep", "poly", "constant", "none")


def create_scheduler_v2(
    sched: str = "cosine",
    num_epochs: int = 300,
    decay_epochs: float | None = None,
    decay_milestones: Sequence[int] = (90, 180, 270),
    cooldown_epochs: int = 0,
    patience_epochs: int = 10,
    decay_rate: float = 0.1,
    min_lr: float = 0.0,
    warmup_lr: float = 1e-5,
    warmup_epochs: int = 0,
    warmup_prefix: bool = False,
    noise: NoiseRange = None,
    noise_pct: float = 0.67,
    noise_std: float = 1.0,
    noise_seed: int = 42,
    cycle_mul: float = 1.0,
    cycle_decay: float = 0.1,
    cycle_limit: int = 1,
    k_decay: float = 1.0,
    decay_fn: str | None = None,
    stable_timescale: float | None = None,
    plateau_mode: str = "max",
    step_on_epochs: bool = True,
    updates_per_epoch: int = 0,
    *,
    base_lr: float | None = None,
) -> tuple[Schedule | None, int]:
    r"""``timm.scheduler.create_scheduler_v2``: a scheduler by name, and the number of epochs to train.

    Takes timm's arguments (less ``optimizer``; plus ``base_lr``, one param group's
    learning rate) and returns ``(schedule, num_epochs)``: the schedule of that group, as
    the constructors above build it, and the ``num_epochs`` timm returns (for the
    cycle-based schedules the length of ``cycle_limit`` cycles plus the warmup when it is
    a prefix plus ``cooldown_epochs``, as timm computes it; otherwise ``num_epochs``, plus
    ``warmup_epochs`` with ``warmup_prefix``). ``sched="none"`` returns ``(None,
    num_epochs)``, as timm does (the learning rate is left alone). The schedule is driven
    per update; timm's ``step_on_epochs`` chooses whether its value changes per epoch or
    per update, and ``updates_per_epoch`` is needed either way.

    Differences: ``"plateau"`` reacts to a metric and is refused (see the module
    docstring for :func:`schedcore.adapters.torch.dampen`); ``"wsd"`` and ``"rsqrt"``
    (timm's ``WSDLRScheduler``) are refused too, naming ``sched``; a ``noise`` range is
    refused, naming ``noise``. ``patience_epochs``, ``plateau_mode``, ``decay_fn`` and
    ``stable_timescale`` belong to the refused schedulers; they are checked and change
    nothing, as in timm.

    Args:
        sched: ``"cosine"``, ``"tanh"``, ``"step"``, ``"multistep"``, ``"poly"``,
            ``"constant"`` or ``"none"``.
        num_epochs: The schedule's length in epochs (the first cycle's).
        decay_epochs: The interval of ``"step"`` (default 90).
        decay_milestones: The milestones of ``"multistep"``, in epochs.
        cooldown_epochs: Epochs at ``min_lr`` added to the returned count.
        patience_epochs: ``"plateau"`` only.
        decay_rate: The factor of ``"step"`` / ``"multistep"``, the power of ``"poly"``.
        min_lr: The learning rate the cycles fall to, in absolute terms.
        warmup_lr: The learning rate at the start of the warmup, in absolute terms.
        warmup_epochs: Length of the warmup in epochs.
        warmup_prefix: Put the warmup before the schedule instead of under it.
        noise: Must be ``None``.
        noise_pct: Accepted; it changes nothing without a noise range.
        noise_std: Accepted; it changes nothing without a noise range.
        noise_seed: Accepted; it changes nothing without a noise range.
        cycle_mul: See :func:`CosineLRScheduler`.
        cycle_decay: See :func:`CosineLRScheduler`.
        cycle_limit: See :func:`CosineLRScheduler`.
        k_decay: See :func:`CosineLRScheduler`.
        decay_fn: ``"wsd"`` / ``"rsqrt"`` only; ``None`` or a str.
        stable_timescale: ``"rsqrt"`` only; ``None`` or a number.
        plateau_mode: ``"plateau"`` only; ``"max"`` or ``"min"``.
        step_on_epochs: Change the value once per epoch (``True``) or every update.
        updates_per_epoch: Optimizer updates per epoch; a positive int.
        base_lr: The param group's learning rate; needed when ``min_lr`` or a used
            ``warmup_lr`` is not 0.

    Raises:
        TypeError: an argument has the wrong type.
        ValueError: an argument is out of range, ``sched`` is unknown or refused, or a
            noise range is given.

    Example:
        >>> from schedcore import compat
        >>> s, epochs = compat.timm.create_scheduler_v2(
        ...     "cosine", num_epochs=10, warmup_epochs=2, warmup_prefix=True, updates_per_epoch=5,
        ...     base_lr=0.1,
        ... )
        >>> epochs, round(s(0), 6), s(10), s(60)
        (12, 0.0001, 1.0, 0.0)
    """
    if sched in ("plateau", "wsd", "rsqrt"):
        reason = (
            "it reacts to a metric, so it is not a function of the step: keep timm's scheduler and multiply"
            " a schedcore warmup on top with schedcore.adapters.torch.dampen"
            if sched == "plateau"
            else "timm's WSDLRScheduler has no constructor in schedcore.compat.timm"
        )
        raise ValueError(f"sched={sched!r} is not supported: {reason}")
    name = _checks.choice("sched", sched, _SCHEDS)
    epochs = _checks.length("num_epochs", num_epochs)
    growth = _checks.real("cycle_mul", cycle_mul, at_least=1.0)
    _checks.real("cycle_decay", cycle_decay, above=0.0, at_most=1.0)
    count = max(1, _checks.length("cycle_limit", cycle_limit, minimum=0))
    _checks.real("k_decay", k_decay, above=0.0)
    interval = 90.0 if decay_epochs is None else _checks.real("decay_epochs", decay_epochs, above=0.0)
    milestones = _checks.lengths("decay_milestones", decay_milestones, minimum=0)
    cooldown = _checks.length("cooldown_epochs", cooldown_epochs, minimum=0)
    _checks.length("patience_epochs", patience_epochs, minimum=0)
    _checks.choice("plateau_mode", plateau_mode, ("max", "min"))
    if decay_fn is not None and not isinstance(decay_fn, str):
        raise TypeError(_checks.must_be("decay_fn", "None or a str", decay_fn, show_type=True))
    if stable_timescale is not None:
        _checks.real("stable_timescale", stable_timescale, above=0.0)
    _no_noise("noise", noise, noise_pct, noise_std, noise_seed)
    per_epoch = _checks.flag("step_on_epochs", step_on_epochs)
    updates = _checks.length("updates_per_epoch", updates_per_epoch, minimum=0)
    if updates == 0:
        raise ValueError(
            "updates_per_epoch must be a positive int, got 0: the schedule is stepped once per update"
        )
    warmup = _checks.length("warmup_epochs", warmup_epochs, minimum=0)
    scale = 1 if per_epoch else updates

    def in_steps(name: str, value: int) -> int:  # a length of epochs, in timm's steps
        if value * scale > _checks.MAX_LENGTH:
            raise ValueError(
                f"{name} * updates_per_epoch must be below 2**63, got {name}={value} and"
                f" updates_per_epoch={updates}"
            )
        return value * scale

    t_initial, warmup_t = in_steps("num_epochs", epochs), in_steps("warmup_epochs", warmup)
    steps = [in_steps("decay_milestones", m) for m in milestones]
    ratio = Fraction(interval) * scale
    if max(ratio.numerator, ratio.denominator) > _checks.MAX_LENGTH:
        raise ValueError(
            f"decay_epochs must be a number > 0 that is N / B with N and B below 2**63 in updates,"
            f" got decay_epochs={interval!r}"
        )
    if name == "poly":
        rate = _checks.real("decay_rate", decay_rate, at_least=0.0)
    else:
        rate = _checks.real("decay_rate", decay_rate, above=0.0)
    if name == "multistep":
        _checks.derived(
            "decay_rate ** len(decay_milestones)",
            lambda: rate ** len(steps),
            decay_rate=rate,
            decay_milestones=list(milestones),
        )
    first = _checks.real("warmup_lr", warmup_lr, at_least=0.0)
    low = _checks.real("min_lr", min_lr, at_least=0.0)
    base = None if base_lr is None else _checks.real("base_lr", base_lr, above=0.0)
    if name != "none":
        _multiplier("warmup_lr", first if warmup_t else 0.0, base)
        _multiplier("min_lr", low if name in ("cosine", "tanh", "poly") else 0.0, base)
    common: dict[str, Any] = {
        "warmup_t": warmup_t,
        "warmup_lr_init": first,
        "warmup_prefix": warmup_prefix,
        "t_in_epochs": per_epoch,
        "noise_seed": noise_seed,
        "base_lr": base_lr,
        "updates_per_epoch": updates,
    }
    cycles: dict[str, Any] = {"cycle_mul": cycle_mul, "cycle_decay": cycle_decay, "cycle_limit": cycle_limit}
    schedule: Schedule | None
    if name == "cosine":
        schedule = CosineLRScheduler(t_initial, lr_min=low, k_decay=k_decay, **cycles, **common)
    elif name == "tanh":
        schedule = TanhLRScheduler(t_initial, lr_min=low, **cycles, **common)
    elif name == "poly":
        schedule = PolyLRScheduler(t_initial, power=rate, lr_min=low, k_decay=k_decay, **cycles, **common)
    elif name == "step":
        schedule = StepLRScheduler(interval * scale, decay_rate=rate, **common)
    elif name == "constant":
        schedule = StepLRScheduler(1, decay_rate=1.0, **common)
    elif name == "multistep":
        schedule = MultiStepLRScheduler(steps, decay_rate=rate, **common)
    else:
        schedule = None
    if name in ("cosine", "tanh", "poly"):  # timm's get_cycle_length(), then the cooldown
        if growth == 1.0:
            length = t_initial * count
        else:
            span = _checks.derived(
                "num_epochs * (cycle_mul ** cycle_limit - 1) / (cycle_mul - 1)",
                lambda: -t_initial * (growth**count - 1) / (1 - growth),
                num_epochs=epochs,
                cycle_mul=growth,
                cycle_limit=count,
            )
            length = math.floor(span)
        length += (warmup_t if warmup_prefix else 0) + cooldown * scale
        total = length if per_epoch else length // updates
    else:
        total = epochs + (warmup if warmup_prefix else 0)
    return schedule, total
