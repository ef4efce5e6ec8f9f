r"""PyTorch's closed-form ``torch.optim.lr_scheduler`` classes, as schedcore schedules.

Each constructor takes the scheduler's own name and arguments (less ``optimizer``,
``last_epoch`` and ``verbose``) and returns a core schedule. Run it with
:func:`schedcore.adapters.torch.wrap` and the optimizer sees the values PyTorch's
scheduler would set, at every step, past the end included::

    scheduler = adapters.torch.wrap(optimizer, compat.torch.MultiStepLR([30, 80], gamma=0.1))

Multipliers and absolute values:

* most return a **multiplier** of the group's initial learning rate, as PyTorch's
  schedulers scale ``initial_lr``: wrap them with the default ``base=None``;
* :func:`CyclicLR` and :func:`OneCycleLR` ignore the optimizer's learning rate, so they
  return **absolute** values: wrap them with ``base=1.0``; so do :func:`CyclicMomentum`
  and :func:`OneCycleMomentum`, the momentum (or Adam's ``betas[0]``) the same
  schedulers set with ``cycle_momentum=True``, which take the same arguments::

      options = dict(max_lr=0.1, total_steps=10_000, base_momentum=0.85, max_momentum=0.95)
      lr = adapters.torch.wrap(optimizer, compat.torch.OneCycleLR(**options), base=1.0)
      beta1 = adapters.torch.wrap(
          optimizer, compat.torch.OneCycleMomentum(**options), key=("betas", 0), base=1.0
      )

  (``key="momentum"`` for SGD; step both after each update). A list of learning rates or
  momenta, one per param group as PyTorch takes them, gives a list of schedules, one per
  group, which ``wrap`` takes as it is;
* :func:`CosineAnnealingLR` and :func:`CosineAnnealingWarmRestarts` mix an absolute
  ``eta_min`` with the group's learning rate: give them ``base_lr=`` (the group's initial
  learning rate) when ``eta_min`` is not 0, and build one per group when the groups'
  learning rates differ; so does :func:`SWALR` (``torch.optim.swa_utils``), whose
  ``swa_lr`` is absolute.

PyTorch computes several of these recursively (each value from the previous one). The
closed forms here agree with those recursions to about 1e-12 relative over 10,000
steps, and to about 1e-16 of the initial learning rate where the value nears zero (where
the recursion's own rounding dominates).

The schedulers that take user functions or metrics have no constructor here:

* ``LambdaLR(optimizer, lr_lambda)``: a closed form is what a schedcore schedule is;
  write the lambda as a schedule expression (``sc.warmup(...) * sc.cosine(...)``) and
  wrap it. An arbitrary Python function is not a schedule value (it cannot be
  printed, compared, saved or evaluated over an array).
* ``MultiplicativeLR(optimizer, lr_lambda)``: ``lr_t = lr_{t-1} * f(t)`` is the
  product of ``f`` over the steps; for a constant factor ``f = g`` that is
  ``sc.exponential(g)``; for a factor that changes at known steps, ``sc.multistep`` or
  ``sc.piecewise_constant``.
* ``ReduceLROnPlateau``: it reacts to a metric, so it is not a function of the step.
  Keep PyTorch's scheduler for it; a schedcore warmup can still be multiplied on top
  with :func:`schedcore.adapters.torch.dampen`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import schedcore as sc
from schedcore import _checks
from schedcore._base import Schedule
from schedcore.combinators import _schedules

__all__ = [
    "SWALR",
    "ChainedScheduler",
    "ConstantLR",
    "CosineAnnealingLR",
    "CosineAnnealingWarmRestarts",
    "CyclicLR",
    "CyclicMomentum",
    "ExponentialLR",
    "LinearLR",
    "MultiStepLR",
    "OneCycleLR",
    "OneCycleMomentum",
    "PolynomialLR",
    "SequentialLR",
    "StepLR",
]


def _schedule_list(name: str, values: object) -> list[Schedule]:
    pieces = list(_schedules(name, values))
    if not pieces:
        raise ValueError(f"{name} must not be empty")
    return pieces


def _ints(name: str, values: object) -> list[int]:
    items = _checks.sequence(name, values, "a list of ints >= 0")  # torch takes numpy arrays too
    return [_checks.length(f"{name}[{i}]", v, minimum=0) for i, v in enumerate(items)]


def _per_group(name: str, value: object) -> list[object] | None:
    """The items of a per-group list (PyTorch's form for several param groups), or None for one value."""
    if isinstance(value, list | tuple):
        if not value:
            raise ValueError(f"{name} must not be empty")
        return list(value)
    return None


def _groups(**values: object) -> list[dict[str, object]]:
    """One dict of arguments per param group: lists are spread, single values repeated."""
    lists = {name: items for name, value in values.items() if (items := _per_group(name, value)) is not None}
    counts = {len(items) for items in lists.values()}
    if len(counts) > 1:
        raise ValueError(
            f"{' and '.join(lists)} must be lists of one item per param group, as long as each other;"
            f" got {' and '.join(str(len(items)) for items in lists.values())} items"
        )
    count = counts.pop() if counts else 1
    return [
        {name: (lists[name][i] if name in lists else value) for name, value in values.items()}
        for i in range(count)
    ]


def _check_reals(**values: object) -> None:
    """Check numbers that do not change this schedule (another one uses them), or lists of them."""
    for group in _groups(**values):
        for name, value in group.items():
            _checks.real(name, value)


def _one_or_list(schedules: list[Schedule], values: Mapping[str, object]) -> Schedule | list[Schedule]:
    """A single schedule, or a list of them where a per-group list was given."""
    if any(isinstance(value, list | tuple) for value in values.values()):
        return schedules
    return schedules[0]


def _floor_multiplier(eta_min: object, base_lr: object) -> float:
    """``eta_min / base_lr``: the multiplier at the bottom of a cosine."""
    low = _checks.real("eta_min", eta_min)
    if base_lr is None:
        if low != 0.0:
            raise ValueError(
                f"eta_min={low!r} is an absolute learning rate: pass base_lr= (the param group's"
                " initial learning rate), so that it becomes the multiplier eta_min / base_lr"
            )
        return 0.0
    base = _checks.real("base_lr", base_lr)
    if base == 0.0:
        raise ValueError("base_lr must be a finite number other than 0, got 0.0")
    return _checks.derived("eta_min / base_lr", lambda: low / base, eta_min=low, base_lr=base)


def StepLR(step_size: int, gamma: float = 0.1) -> Schedule:
    r"""``torch.optim.lr_scheduler.StepLR``: multiply by ``gamma`` every ``step_size`` steps.

    Builds ``sc.step_decay(step_size, gamma)``:

    .. math::
        s(t) = \gamma^{\lfloor t / n \rfloor}, \qquad n = \texttt{step\_size}

    PyTorch multiplies the previous value by ``gamma`` at each multiple of
    ``step_size``; this closed form agrees with that to rounding.

    Args:
        step_size: Steps between two decays; a positive int.
        gamma: Factor of each decay; ``> 0`` (PyTorch also runs ``gamma <= 0``, which
            zeroes or flips the learning rate; that is rejected here).

    Raises:
        TypeError: ``step_size`` is not an int, or ``gamma`` is not a number.
        ValueError: ``step_size`` is below 1, or ``gamma <= 0``.

    Example:
        >>> from schedcore import compat
        >>> [compat.torch.StepLR(2, gamma=0.5)(t) for t in range(5)]
        [1.0, 1.0, 0.5, 0.5, 0.25]
    """
    every = _checks.length("step_size", step_size)
    rate = _checks.real("gamma", gamma, above=0.0)
    return sc.step_decay(every, rate)


def MultiStepLR(milestones: Sequence[int], gamma: float = 0.1) -> Schedule:
    r"""``torch.optim.lr_scheduler.MultiStepLR``: multiply by ``gamma`` at each milestone.

    Builds ``sc.multistep(sorted(milestones), gamma)``:

    .. math::
        s(t) = \gamma^{\,|\{m \in M : m \le t\}|}

    PyTorch quirks reproduced: the milestones may come in any order (PyTorch counts
    them); a repeated milestone applies ``gamma`` once per repeat; a milestone at 0
    applies at construction, so it scales the whole run (it becomes a constant factor).

    Args:
        milestones: Steps at which the multiplier drops; ints ``>= 0``, in any order.
        gamma: Factor of each drop; ``> 0``.

    Raises:
        TypeError: ``milestones`` is not a list of ints, or ``gamma`` is not a number.
        ValueError: a milestone is negative, ``gamma <= 0``, or ``gamma`` to the power
            of the milestones at 0 overflows.

    Example:
        >>> from schedcore import compat
        >>> [compat.torch.MultiStepLR([3, 1], gamma=0.5)(t) for t in range(5)]
        [1.0, 0.5, 0.5, 0.25, 0.25]
    """
    points = sorted(_ints("milestones", milestones))
    rate = _checks.real("gamma", gamma, above=0.0)
    at_zero = points.count(0)
    schedule = sc.multistep(points[at_zero:], rate)
    if not at_zero:
        return schedule
    scale = _checks.derived(
        "gamma to the power of the milestones at 0", lambda: rate**at_zero, gamma=rate, milestones=points
    )
    return scale * schedule


def ConstantLR(factor: float = 1.0 / 3, total_iters: int = 5) -> Schedule:
    r"""``torch.optim.lr_scheduler.ConstantLR``: ``factor`` for ``total_iters`` steps, then 1.

    Builds ``sc.piecewise_constant([total_iters], [factor, 1.0])``:

    .. math::
        s(t) = \begin{cases} f & t < T \\ 1 & t \ge T \end{cases}

    PyTorch quirks reproduced: with ``total_iters=0`` PyTorch applies ``factor`` at
    construction and never undoes it, so the result is ``sc.constant(factor)``.

    Differences: with ``factor=0`` PyTorch divides by zero at step ``total_iters``
    (``ZeroDivisionError``); this returns 1 from there on.

    Args:
        factor: The multiplier before ``total_iters``; in ``[0, 1]``, as PyTorch checks.
        total_iters: The step at which the multiplier returns to 1; an int ``>= 0``.

    Raises:
        TypeError: an argument has the wrong type.
        ValueError: ``factor`` is outside ``[0, 1]``, or ``total_iters`` is negative.

    Example:
        >>> from schedcore import compat
        >>> [compat.torch.ConstantLR(0.5, total_iters=2)(t) for t in range(4)]
        [0.5, 0.5, 1.0, 1.0]
    """
    f = _checks.real("factor", factor, at_least=0.0, at_most=1.0)
    length = _checks.length("total_iters", total_iters, minimum=0)
    if length == 0:
        return sc.constant(f)
    return sc.piecewise_constant([length], [f, 1.0])


def LinearLR(start_factor: float = 1.0 / 3, end_factor: float = 1.0, total_iters: int = 5) -> Schedule:
    r"""``torch.optim.lr_scheduler.LinearLR``: a line from ``start_factor`` to ``end_factor``.

    Builds ``sc.linear(start_factor, end_factor, total_iters)``:

    .. math::
        s(t) = a + (b - a)\,\min(t, T) / T

    PyTorch computes it recursively; this closed form agrees to rounding. PyTorch quirk
    reproduced: with ``total_iters=0`` the multiplier stays at ``start_factor`` forever
    (``sc.constant(start_factor)``).

    Args:
        start_factor: Multiplier at step 0; in ``(0, 1]``, as PyTorch checks.
        end_factor: Multiplier from ``total_iters`` on; in ``[0, 1]``.
        total_iters: Length of the line in steps; an int ``>= 0``.

    Raises:
        TypeError: an argument has the wrong type.
        ValueError: a factor is out of its range, or ``total_iters`` is negative.

    Example:
        >>> from schedcore import compat
        >>> [compat.torch.LinearLR(0.5, 1.0, total_iters=2)(t) for t in range(4)]
        [0.5, 0.75, 1.0, 1.0]
    """
    start = _checks.real("start_factor", start_factor, above=0.0, at_most=1.0)
    end = _checks.real("end_factor", end_factor, at_least=0.0, at_most=1.0)
    length = _checks.length("total_iters", total_iters, minimum=0)
    if length == 0:
        return sc.constant(start)
    return sc.linear(start, end, length)


def ExponentialLR(gamma: float) -> Schedule:
    r"""``torch.optim.lr_scheduler.ExponentialLR``: multiply by ``gamma`` at every step.

    Builds ``sc.exponential(gamma)``:

    .. math::
        s(t) = \gamma^{t}

    PyTorch multiplies the previous value by ``gamma``; this closed form agrees to
    rounding (about ``t`` times 1e-16 relative).

    Args:
        gamma: Factor per step; ``> 0``.

    Raises:
        TypeError: ``gamma`` is not a number.
        ValueError: ``gamma <= 0``.

    Example:
        >>> from schedcore import compat
        >>> round(compat.torch.ExponentialLR(0.5)(3), 12)
        0.125
    """
    return sc.exponential(_checks.real("gamma", gamma, above=0.0))


def PolynomialLR(total_iters: int = 5, power: float = 1.0) -> Schedule:
    r"""``torch.optim.lr_scheduler.PolynomialLR``: polynomial decay to 0 over ``total_iters``.

    Builds ``sc.polynomial(total_iters, power=power)``:

    .. math::
        s(t) = (1 - \min(t, T) / T)^{p}

    PyTorch computes it recursively; this closed form agrees to rounding. PyTorch quirk
    reproduced: ``total_iters=0`` leaves the learning rate alone (``sc.constant(1.0)``).

    Args:
        total_iters: Length of the decay in steps; an int ``>= 0``.
        power: Exponent; ``>= 0`` (a negative power divides by zero in PyTorch).

    Raises:
        TypeError: an argument has the wrong type.
        ValueError: ``total_iters`` or ``power`` is negative.

    Example:
        >>> from schedcore import compat
        >>> [compat.torch.PolynomialLR(4, power=2.0)(t) for t in range(6)]
        [1.0, 0.5625, 0.25, 0.0625, 0.0, 0.0]
    """
    length = _checks.length("total_iters", total_iters, minimum=0)
    exponent = _checks.real("power", power, at_least=0.0)
    if length == 0:
        return sc.constant(1.0)
    return sc.polynomial(length, power=exponent)


def CosineAnnealingLR(T_max: int, eta_min: float = 0.0, *, base_lr: float | None = None) -> Schedule:
    r"""``torch.optim.lr_scheduler.CosineAnnealingLR``: a cosine that keeps going past ``T_max``.

    Builds ``sc.cosine_wave(T_max, end=eta_min / base_lr)``:

    .. math::
        s(t) = e + (1 - e)\,\frac{1 + \cos(\pi t / T)}{2}, \qquad e = \eta_{min} / b

    where :math:`T` is ``T_max`` and :math:`b` is ``base_lr``. PyTorch quirk reproduced:
    the scheduler has no end. It reaches ``eta_min`` at ``T_max`` and then rises again,
    back to the initial learning rate at ``2 * T_max``, and so on (a cosine that stops
    at its end is ``sc.cosine``). PyTorch computes it recursively; the closed form
    agrees to rounding (the recursion's own rounding, about 1e-16 of the initial
    learning rate near ``eta_min``, is carried into the next rise, where it can grow
    to ``1e-16 * (T_max / pi)**2`` relative).

    Args:
        T_max: Steps from the initial learning rate down to ``eta_min``; a positive int.
        eta_min: The learning rate at the bottom, in absolute terms.
        base_lr: The param group's initial learning rate; needed when ``eta_min`` is
            not 0, to turn it into a multiplier.

    Raises:
        TypeError: an argument has the wrong type.
        ValueError: ``T_max`` is below 1, ``eta_min`` is not 0 and ``base_lr`` is
            missing or 0, or ``eta_min / base_lr`` overflows.

    Example:
        >>> from schedcore import compat
        >>> s = compat.torch.CosineAnnealingLR(10, eta_min=0.01, base_lr=0.1)
        >>> round(s(0), 12), round(s(10), 12), round(s(20), 12)
        (1.0, 0.1, 1.0)
    """
    steps = _checks.length("T_max", T_max)
    return sc.cosine_wave(steps, end=_floor_multiplier(eta_min, base_lr))


def CosineAnnealingWarmRestarts(
    T_0: int, T_mult: int = 1, eta_min: float = 0.0, *, base_lr: float | None = None
) -> Schedule:
    r"""``torch.optim.lr_scheduler.CosineAnnealingWarmRestarts``: cosines with warm restarts.

    Builds ``sc.cycle(sc.cosine(T_0, end=eta_min / base_lr), T_0, growth=T_mult)``: cycle
    :math:`i` lasts :math:`T_i = T_0 \cdot m^i` steps, and within it

    .. math::
        s(t) = e + (1 - e)\,\frac{1 + \cos(\pi\,T_{cur} / T_i)}{2}, \qquad e = \eta_{min} / b

    where :math:`T_{cur}` counts the steps since the last restart, :math:`m` is
    ``T_mult`` and :math:`b` is ``base_lr``.

    Args:
        T_0: Length of the first cycle in steps; a positive int.
        T_mult: Factor by which each cycle is longer than the one before; an int ``>= 1``.
        eta_min: The learning rate at the bottom, in absolute terms.
        base_lr: The param group's initial learning rate; needed when ``eta_min`` is
            not 0, to turn it into a multiplier.

    Raises:
        TypeError: an argument has the wrong type.
        ValueError: ``T_0`` or ``T_mult`` is below 1, ``eta_min`` is not 0 and
            ``base_lr`` is missing or 0, or ``eta_min / base_lr`` overflows.

    Example:
        >>> from schedcore import compat
        >>> s = compat.torch.CosineAnnealingWarmRestarts(4, T_mult=2)
        >>> [round(s(t), 6) for t in (0, 2, 4, 8, 12)]
        [1.0, 0.5, 1.0, 0.5, 1.0]
    """
    period = _checks.length("T_0", T_0)
    growth = _checks.length("T_mult", T_mult)
    floor = _floor_multiplier(eta_min, base_lr)
    return sc.cycle(sc.cosine(period, end=floor), period, growth=growth)


_CYCLIC_MODES = ("triangular", "triangular2", "exp_range")


def _cyclic_shape(
    step_size_up: object,
    step_size_down: object,
    mode: object,
    gamma: object,
    scale_fn: object,
    scale_mode: object,
    cycle_momentum: object,
) -> Schedule:
    """CyclicLR's triangle times its amplitude, from 0 to 1: the shape of its lr and its momentum."""
    up = _checks.length("step_size_up", step_size_up)
    down = up if step_size_down is None else _checks.length("step_size_down", step_size_down)
    kind = _checks.choice("mode", mode, _CYCLIC_MODES)
    rate = _checks.real("gamma", gamma, above=0.0)
    if scale_fn is not None:
        raise TypeError(
            f"scale_fn must be None, got {_checks.describe(scale_fn, show_type=True)}: a Python function"
            " is not a schedule; multiply the triangle by a schedule instead"
        )
    _checks.choice("scale_mode", scale_mode, ("cycle", "iterations"))
    _checks.flag("cycle_momentum", cycle_momentum)
    if kind == "exp_range" and rate > 1.0:
        raise ValueError(
            f"gamma must be <= 1 in mode 'exp_range', got {rate!r}: the amplitude gamma**t would grow"
            " without bound (PyTorch raises OverflowError once it passes the largest float)"
        )
    shape: Schedule = sc.cyclic(up, down)
    if kind == "triangular2":
        shape = shape * sc.step_decay(up + down, 0.5)
    elif kind == "exp_range" and rate != 1.0:
        shape = shape * sc.exponential(rate)
    return shape


def _between(low_name: str, low: object, high_name: str, high: object, shape: Schedule) -> Schedule:
    """``low + (high - low) * shape``, the two ends checked under their names."""
    a = _checks.real(low_name, low)
    b = _checks.real(high_name, high)
    height = _checks.derived(f"{high_name} - {low_name}", lambda: b - a, **{high_name: b, low_name: a})
    return height * shape + a


def CyclicLR(
    base_lr: float | Sequence[float],
    max_lr: float | Sequence[float],
    step_size_up: int = 2000,
    step_size_down: int | None = None,
    mode: str = "triangular",
    gamma: float = 1.0,
    scale_fn: None = None,
    scale_mode: str = "cycle",
    cycle_momentum: bool = True,
    base_momentum: float | Sequence[float] = 0.8,
    max_momentum: float | Sequence[float] = 0.9,
) -> Schedule | list[Schedule]:
    r"""``torch.optim.lr_scheduler.CyclicLR`` (the learning rate): absolute values.

    Wrap it with ``base=1.0``. With :math:`U` = ``step_size_up``, :math:`D` =
    ``step_size_down`` and :math:`x(t)` the triangle wave from 0 up to 1 at :math:`U` and
    back to 0 at :math:`U + D` (``sc.cyclic(U, D)``), it builds

    .. math::
        \mathrm{lr}(t) = l + (h - l)\,x(t)\,a(t)

    where :math:`l` is ``base_lr``, :math:`h` is ``max_lr`` and the amplitude :math:`a(t)`
    is 1 (``"triangular"``), :math:`2^{-\lfloor t / (U + D) \rfloor}` (``"triangular2"``,
    ``sc.step_decay(U + D, 0.5)``) or :math:`\gamma^{t}` (``"exp_range"``,
    ``sc.exponential(gamma)``). Lists of ``base_lr`` / ``max_lr`` (one per param group,
    as PyTorch takes them; a single value is used for every group) give a list of
    schedules, one per group. The momentum PyTorch cycles with ``cycle_momentum=True`` is
    :func:`CyclicMomentum`, called with the same arguments; the arguments that concern it
    are checked here and change nothing in the learning rate.

    Differences: ``gamma > 1`` in ``"exp_range"`` mode, an amplitude that grows until
    PyTorch raises ``OverflowError``, is refused; ``scale_fn`` is a user function, refused
    (multiply the triangle by a schedule instead), and ``scale_mode`` matters only with it.

    Args:
        base_lr: The learning rate at the bottom of each cycle, or one per param group.
        max_lr: The learning rate at the top of the first cycle, or one per param group.
        step_size_up: Steps from the bottom to the top; a positive int.
        step_size_down: Steps from the top back down; a positive int, default
            ``step_size_up``.
        mode: ``"triangular"``, ``"triangular2"`` or ``"exp_range"``.
        gamma: The per-step decay of the amplitude in ``"exp_range"`` mode; ``> 0``, and
            ``<= 1`` in that mode.
        scale_fn: Must be ``None``.
        scale_mode: ``"cycle"`` or ``"iterations"``; used by PyTorch only with ``scale_fn``.
        cycle_momentum: Whether PyTorch also cycles the momentum (see :func:`CyclicMomentum`).
        base_momentum: See :func:`CyclicMomentum`.
        max_momentum: See :func:`CyclicMomentum`.

    Raises:
        TypeError: an argument has the wrong type, or ``scale_fn`` is given.
        ValueError: a step size is below 1, ``mode`` is unknown, ``gamma <= 0``,
            ``gamma > 1`` in ``"exp_range"`` mode, ``max_lr - base_lr`` overflows, or the
            per-group lists differ in length.

    Example:
        >>> from schedcore import compat
        >>> s = compat.torch.CyclicLR(0.1, 0.5, step_size_up=2, mode="triangular2")
        >>> [round(s(t), 6) for t in range(7)]
        [0.1, 0.3, 0.5, 0.3, 0.1, 0.2, 0.3]
        >>> [s(2) for s in compat.torch.CyclicLR([0.1, 0.2], 0.5, step_size_up=2)]
        [0.5, 0.5]
    """
    shape = _cyclic_shape(step_size_up, step_size_down, mode, gamma, scale_fn, scale_mode, cycle_momentum)
    _check_reals(base_momentum=base_momentum, max_momentum=max_momentum)
    values = {"base_lr": base_lr, "max_lr": max_lr}
    schedules = [
        _between("base_lr", group["base_lr"], "max_lr", group["max_lr"], shape) for group in _groups(**values)
    ]
    return _one_or_list(schedules, values)


def CyclicMomentum(
    base_lr: float | Sequence[float],
    max_lr: float | Sequence[float],
    step_size_up: int = 2000,
    step_size_down: int | None = None,
    mode: str = "triangular",
    gamma: float = 1.0,
    scale_fn: None = None,
    scale_mode: str = "cycle",
    cycle_momentum: bool = True,
    base_momentum: float | Sequence[float] = 0.8,
    max_momentum: float | Sequence[float] = 0.9,
) -> Schedule | list[Schedule]:
    r"""The momentum ``torch.optim.lr_scheduler.CyclicLR`` sets with ``cycle_momentum=True``.

    Takes :func:`CyclicLR`'s arguments and returns the momentum (absolute values, wrap
    with ``key="momentum"`` or ``key=("betas", 0)`` and ``base=1.0``): it moves opposite
    to the learning rate, with the same triangle and the same amplitude,

    .. math::
        m(t) = M - (M - m_0)\,x(t)\,a(t)

    where :math:`M` is ``max_momentum``, :math:`m_0` is ``base_momentum`` and
    :math:`x(t)\,a(t)` is the shape of :func:`CyclicLR` (so in ``"triangular2"`` and
    ``"exp_range"`` modes the momentum's swing shrinks as the learning rate's does). The
    first update runs at ``max_momentum``, which PyTorch sets when it is built. Lists of
    momenta (one per param group) give a list of schedules.

    Args:
        base_lr: As for :func:`CyclicLR`; checked, it does not change the momentum.
        max_lr: As for :func:`CyclicLR`; checked, it does not change the momentum.
        step_size_up: As for :func:`CyclicLR`.
        step_size_down: As for :func:`CyclicLR`.
        mode: As for :func:`CyclicLR`.
        gamma: As for :func:`CyclicLR`.
        scale_fn: Must be ``None``.
        scale_mode: As for :func:`CyclicLR`.
        cycle_momentum: Must be ``True``: with ``False`` PyTorch leaves the momentum alone,
            so there is nothing to schedule.
        base_momentum: The momentum at the top of the learning rate's cycle, or one per
            param group.
        max_momentum: The momentum at its bottom (and at step 0), or one per param group.

    Raises:
        TypeError: an argument has the wrong type, or ``scale_fn`` is given.
        ValueError: as for :func:`CyclicLR`, or ``cycle_momentum`` is ``False``.

    Example:
        >>> from schedcore import compat
        >>> s = compat.torch.CyclicMomentum(0.1, 0.5, step_size_up=2, mode="triangular2")
        >>> [round(s(t), 6) for t in range(7)]
        [0.9, 0.85, 0.8, 0.85, 0.9, 0.875, 0.85]
    """
    shape = _cyclic_shape(step_size_up, step_size_down, mode, gamma, scale_fn, scale_mode, cycle_momentum)
    _check_reals(base_lr=base_lr, max_lr=max_lr)
    if not cycle_momentum:
        raise ValueError(
            "cycle_momentum must be True for CyclicMomentum, got False: with it PyTorch leaves the"
            " momentum alone, so there is no momentum schedule to wrap"
        )
    values = {"base_momentum": base_momentum, "max_momentum": max_momentum}
    schedules = [
        _between("max_momentum", group["max_momentum"], "base_momentum", group["base_momentum"], shape)
        for group in _groups(**values)
    ]
    return _one_or_list(schedules, values)


def _one_cycle_length(total_steps: object, epochs: object, steps_per_epoch: object) -> tuple[int, str]:
    """OneCycleLR's checked length, and how it was given (for the errors that name it)."""
    given = {
        name: _checks.length(name, value)
        for name, value in (
            ("total_steps", total_steps),
            ("epochs", epochs),
            ("steps_per_epoch", steps_per_epoch),
        )
        if value is not None
    }
    if "total_steps" in given:  # PyTorch ignores epochs and steps_per_epoch then
        steps = given["total_steps"]
        count = f"total_steps={steps}"
    elif "epochs" in given and "steps_per_epoch" in given:
        steps = given["epochs"] * given["steps_per_epoch"]
        count = f"epochs={given['epochs']} and steps_per_epoch={given['steps_per_epoch']}"
        if steps > _checks.MAX_LENGTH:
            raise ValueError(f"epochs * steps_per_epoch must be below 2**63, got {count}")
    else:
        raise ValueError("OneCycleLR needs total_steps, or both epochs and steps_per_epoch")
    return steps, count


def _one_cycle_phases(
    steps: int, count: str, pct_start: object, anneal_strategy: object, three_phase: object
) -> tuple[float, str, bool]:
    """OneCycleLR's phases checked for a cycle of ``steps``: ``(pct_start, anneal_strategy, three_phase)``.

    ``count`` says how ``steps`` was given, for the error when a phase would be empty.
    """
    rise = _checks.real("pct_start", pct_start, above=0.0, below=1.0)
    anneal = _checks.choice("anneal_strategy", anneal_strategy, ("cos", "linear"))
    three = _checks.flag("three_phase", three_phase)
    # PyTorch's phases end at these steps; each must last more than 0 steps.
    ends = [float(rise * steps) - 1, *([float(2 * rise * steps) - 2] if three else []), float(steps - 1)]
    if not all(b > a for a, b in zip([0.0, *ends[:-1]], ends, strict=True)):
        raise ValueError(
            f"OneCycleLR needs every phase to last more than 0 steps; with {count}, pct_start={rise}"
            f" and three_phase={three} the phases end at steps {[round(e, 6) for e in ends]}"
        )
    return rise, anneal, three


def _one_cycle(
    steps: int,
    count: str,
    pct_start: object,
    anneal_strategy: object,
    div_factor: object,
    final_div_factor: object,
    three_phase: object,
) -> Schedule:
    """PyTorch's one-cycle shape from its arguments, checked (also mmengine's, which copies it)."""
    rise, anneal, three = _one_cycle_phases(steps, count, pct_start, anneal_strategy, three_phase)
    first = _checks.real("div_factor", div_factor, above=0.0)
    final = _checks.real("final_div_factor", final_div_factor, above=0.0)
    start = _checks.derived("1 / div_factor", lambda: 1.0 / first, div_factor=first)
    end = _checks.derived(
        "1 / (div_factor * final_div_factor)",
        lambda: 1.0 / (first * final),
        div_factor=first,
        final_div_factor=final,
    )
    return sc.one_cycle(steps, peak_at=rise, start=start, end=end, anneal=anneal, three_phase=three)


def OneCycleLR(
    max_lr: float | Sequence[float],
    total_steps: int | None = None,
    epochs: int | None = None,
    steps_per_epoch: int | None = None,
    pct_start: float = 0.3,
    anneal_strategy: str = "cos",
    cycle_momentum: bool = True,
    base_momentum: float | Sequence[float] = 0.85,
    max_momentum: float | Sequence[float] = 0.95,
    div_factor: float = 25.0,
    final_div_factor: float = 1e4,
    three_phase: bool = False,
) -> Schedule | list[Schedule]:
    r"""``torch.optim.lr_scheduler.OneCycleLR`` (the learning rate): absolute values.

    Wrap it with ``base=1.0``. Builds ``max_lr * sc.one_cycle(total_steps,
    peak_at=pct_start, start=1 / div_factor, end=1 / (div_factor * final_div_factor),
    anneal=anneal_strategy, three_phase=three_phase)``: the learning rate rises from
    ``max_lr / div_factor`` to ``max_lr`` until step ``pct_start * total_steps - 1``, then
    anneals to ``max_lr / (div_factor * final_div_factor)`` at step ``total_steps - 1``
    (with ``three_phase``, it first comes back down to the start, symmetrically). A list of
    ``max_lr`` (one per param group) gives a list of schedules. The momentum PyTorch
    cycles with ``cycle_momentum=True`` (the default) is :func:`OneCycleMomentum`, called
    with the same arguments; the momentum arguments are checked here and change nothing in
    the learning rate.

    Differences: PyTorch extrapolates the last phase at step ``total_steps`` and raises
    ``ValueError`` at any later step; this schedule holds the final learning rate from
    step ``total_steps - 1`` on.

    Args:
        max_lr: The peak learning rate, or one per param group.
        total_steps: Length of the cycle in steps; or give ``epochs`` and
            ``steps_per_epoch``.
        epochs: With ``steps_per_epoch``, ``total_steps = epochs * steps_per_epoch``; when
            ``total_steps`` is given too, both are checked and, as in PyTorch, not used.
        steps_per_epoch: See ``epochs``.
        pct_start: Fraction of the cycle spent rising, in ``(0, 1)``.
        anneal_strategy: ``"cos"`` or ``"linear"``.
        cycle_momentum: Whether PyTorch also cycles the momentum (see
            :func:`OneCycleMomentum`).
        base_momentum: See :func:`OneCycleMomentum`.
        max_momentum: See :func:`OneCycleMomentum`.
        div_factor: ``max_lr / div_factor`` is the initial learning rate; ``> 0``.
        final_div_factor: The final learning rate is the initial one divided by this;
            ``> 0``.
        three_phase: Rise, come back down to the initial learning rate, then anneal.

    Raises:
        TypeError: an argument has the wrong type.
        ValueError: neither ``total_steps`` nor both ``epochs`` and ``steps_per_epoch``
            are given, a value is out of range, or a phase would be empty.

    Example:
        >>> from schedcore import compat
        >>> s = compat.torch.OneCycleLR(1.0, total_steps=10, pct_start=0.2, anneal_strategy="linear")
        >>> [round(s(t), 6) for t in (0, 1, 9)]
        [0.04, 1.0, 4e-06]
    """
    steps, count = _one_cycle_length(total_steps, epochs, steps_per_epoch)
    shape = _one_cycle(steps, count, pct_start, anneal_strategy, div_factor, final_div_factor, three_phase)
    _checks.flag("cycle_momentum", cycle_momentum)
    _check_reals(base_momentum=base_momentum, max_momentum=max_momentum)
    values = {"max_lr": max_lr}
    schedules = [_checks.real("max_lr", group["max_lr"]) * shape for group in _groups(**values)]
    return _one_or_list(schedules, values)


def OneCycleMomentum(
    max_lr: float | Sequence[float],
    total_steps: int | None = None,
    epochs: int | None = None,
    steps_per_epoch: int | None = None,
    pct_start: float = 0.3,
    anneal_strategy: str = "cos",
    cycle_momentum: bool = True,
    base_momentum: float | Sequence[float] = 0.85,
    max_momentum: float | Sequence[float] = 0.95,
    div_factor: float = 25.0,
    final_div_factor: float = 1e4,
    three_phase: bool = False,
) -> Schedule | list[Schedule]:
    r"""The momentum ``torch.optim.lr_scheduler.OneCycleLR`` sets with ``cycle_momentum=True``.

    Takes :func:`OneCycleLR`'s arguments and returns the momentum (absolute values, wrap
    with ``key="momentum"`` for SGD or ``key=("betas", 0)`` for Adam, and ``base=1.0``).
    It moves opposite to the learning rate, over the same phases and with the same
    anneal: from ``max_momentum`` down to ``base_momentum`` while the learning rate rises,
    back up to ``max_momentum`` while it falls (with ``three_phase``, back up while it
    comes down, then held at ``max_momentum`` during the final anneal). Builds
    ``max_momentum + (base_momentum - max_momentum) * sc.one_cycle(total_steps,
    peak_at=pct_start, start=0, end=0, anneal=anneal_strategy, three_phase=three_phase)``.
    The first update runs at ``max_momentum``, which PyTorch sets when it is built. Lists
    of momenta (one per param group) give a list of schedules.

    Args:
        max_lr: As for :func:`OneCycleLR`; checked, it does not change the momentum.
        total_steps: As for :func:`OneCycleLR`.
        epochs: As for :func:`OneCycleLR`.
        steps_per_epoch: As for :func:`OneCycleLR`.
        pct_start: As for :func:`OneCycleLR`.
        anneal_strategy: As for :func:`OneCycleLR`.
        cycle_momentum: Must be ``True``: with ``False`` PyTorch leaves the momentum alone,
            so there is nothing to schedule.
        base_momentum: The momentum at the learning rate's peak, or one per param group.
        max_momentum: The momentum at the start and at the end, or one per param group.
        div_factor: As for :func:`OneCycleLR`; checked.
        final_div_factor: As for :func:`OneCycleLR`; checked.
        three_phase: As for :func:`OneCycleLR`.

    Raises:
        TypeError: an argument has the wrong type.
        ValueError: as for :func:`OneCycleLR`, or ``cycle_momentum`` is ``False``.

    Example:
        >>> from schedcore import compat
        >>> s = compat.torch.OneCycleMomentum(1.0, total_steps=10, pct_start=0.2, anneal_strategy="linear")
        >>> [round(s(t), 6) for t in (0, 1, 5, 9)]
        [0.95, 0.85, 0.9, 0.95]
    """
    steps, count = _one_cycle_length(total_steps, epochs, steps_per_epoch)
    rise, anneal, three = _one_cycle_phases(steps, count, pct_start, anneal_strategy, three_phase)
    _check_reals(max_lr=max_lr)
    _checks.real("div_factor", div_factor, above=0.0)
    _checks.real("final_div_factor", final_div_factor, above=0.0)
    if not _checks.flag("cycle_momentum", cycle_momentum):
        raise ValueError(
            "cycle_momentum must be True for OneCycleMomentum, got False: with it PyTorch leaves the"
            " momentum alone, so there is no momentum schedule to wrap"
        )
    swing = sc.one_cycle(steps, peak_at=rise, start=0.0, end=0.0, anneal=anneal, three_phase=three)
    values = {"base_momentum": base_momentum, "max_momentum": max_momentum}
    schedules = [
        _between("max_momentum", group["max_momentum"], "base_momentum", group["base_momentum"], swing)
        for group in _groups(**values)
    ]
    return _one_or_list(schedules, values)


def _ratio(name: str, value: object, base_name: str, base_value: object) -> float:
    """``value / base_value``, both checked under their names (the base ``> 0``)."""
    top = _checks.real(name, value)
    base = _checks.real(base_name, base_value, above=0.0)
    return _checks.derived(f"{name} / {base_name}", lambda: top / base, **{name: top, base_name: base})


def SWALR(
    swa_lr: float | Sequence[float],
    anneal_epochs: int = 10,
    anneal_strategy: str = "cos",
    *,
    base_lr: float | Sequence[float],
) -> Schedule | list[Schedule]:
    r"""``torch.optim.swa_utils.SWALR``: anneal the learning rate to ``swa_lr``, then hold it.

    .. math::
        \mathrm{lr}(t) = b + (s - b)\,\alpha\big(\min(t / A, 1)\big)

    where :math:`b` is ``base_lr`` (the group's learning rate when ``SWALR`` is built),
    :math:`s` is ``swa_lr``, :math:`A` is ``anneal_epochs`` and :math:`\alpha(u)` is
    :math:`(1 - \cos \pi u)/2` (``"cos"``) or :math:`u` (``"linear"``); as a multiplier
    of :math:`b`, ``sc.cosine(A, end=swa_lr / base_lr)`` or ``sc.linear(1, swa_lr /
    base_lr, A)``. PyTorch computes it recursively, each value from the group's current
    one; the closed form agrees with that to rounding. PyTorch quirk reproduced: with
    ``anneal_epochs=0`` the first update already runs at ``swa_lr``. Like PyTorch's, it
    counts its own steps: wrap it when the SWA phase starts (``SequentialLR`` /
    ``sc.join`` put it after another schedule), and step it as often as you stepped
    ``SWALR`` (PyTorch's examples step it once per epoch). Lists of ``swa_lr`` and
    ``base_lr`` (one per param group) give a list of schedules.

    Args:
        swa_lr: The learning rate to anneal to, in absolute terms, or one per param group.
        anneal_epochs: Steps of the anneal; an int ``>= 0``.
        anneal_strategy: ``"cos"`` or ``"linear"``.
        base_lr: The param group's learning rate, or one per param group; ``> 0``.

    Raises:
        TypeError: an argument has the wrong type.
        ValueError: a value is out of range, ``swa_lr / base_lr`` overflows, or the
            per-group lists differ in length.

    Example:
        >>> from schedcore import compat
        >>> s = compat.torch.SWALR(0.05, anneal_epochs=4, anneal_strategy="linear", base_lr=0.1)
        >>> [round(s(t), 6) for t in range(6)]
        [1.0, 0.875, 0.75, 0.625, 0.5, 0.5]
    """
    steps = _checks.length("anneal_epochs", anneal_epochs, minimum=0)
    strategy = _checks.choice("anneal_strategy", anneal_strategy, ("cos", "linear"))
    values = {"swa_lr": swa_lr, "base_lr": base_lr}
    schedules: list[Schedule] = []
    for group in _groups(**values):
        end = _ratio("swa_lr", group["swa_lr"], "base_lr", group["base_lr"])
        if steps == 0:
            schedules.append(sc.constant(end))
        elif strategy == "cos":
            schedules.append(sc.cosine(steps, end=end))
        else:
            schedules.append(sc.linear(1.0, end, steps))
    return _one_or_list(schedules, values)


def SequentialLR(schedulers: Sequence[Schedule], milestones: Sequence[int]) -> Schedule:
    r"""``torch.optim.lr_scheduler.SequentialLR``: one schedule after another, each restarted.

    Builds ``sc.join(schedulers, milestones)``: schedule :math:`i` runs from milestone
    :math:`m_{i-1}` (0 for the first) and sees the local step :math:`t - m_{i-1}`, as
    PyTorch restarts each scheduler at its milestone:

    .. math::
        s(t) = s_i(t - m_{i-1}) \quad\text{for } m_{i-1} \le t < m_i

    PyTorch quirks reproduced: every piece multiplies the same initial learning rate
    (``SequentialLR`` resets the learning rate to ``initial_lr``, and each scheduler
    restarts from its closed form at its milestone); PyTorch does not check the
    milestones, and a scheduler whose milestone equals the next one (or a first
    scheduler with a milestone at 0) never runs: it is left out here too.

    Differences: decreasing milestones are an error here (PyTorch misbehaves); nested
    ``SequentialLR`` / ``ChainedScheduler`` pieces after the first crash in PyTorch (they
    have no ``get_lr``), and work here. A piece started at a milestone is restarted by
    PyTorch with its closed form at step 0, not by its constructor: that differs only
    for ``ConstantLR(total_iters=0)`` (PyTorch then runs 1, not ``factor``, in a later
    piece). Absolute-valued pieces (:func:`CyclicLR`, :func:`OneCycleLR`) overwrite
    PyTorch's ``initial_lr``; to mix them with multipliers here, scale the multipliers by
    the learning rate and wrap with ``base=1.0``.

    Args:
        schedulers: The pieces, in order; at least one.
        milestones: The step at which each piece after the first starts; one fewer than
            ``schedulers``, non-decreasing ints ``>= 0``.

    Raises:
        TypeError: a piece is not a schedule, or a milestone is not an int.
        ValueError: the counts do not match, or a milestone is negative or smaller than
            the one before.

    Example:
        >>> from schedcore import compat
        >>> s = compat.torch.SequentialLR(
        ...     [compat.torch.LinearLR(0.5, 1.0, total_iters=2), compat.torch.ExponentialLR(0.5)], [2]
        ... )
        >>> [round(s(t), 12) for t in range(5)]
        [0.5, 0.75, 1.0, 0.5, 0.25]
    """
    pieces = _schedule_list("schedulers", schedulers)
    points = _ints("milestones", milestones)
    if len(points) != len(pieces) - 1:
        raise ValueError(
            f"SequentialLR got {len(pieces)} schedulers and {len(points)} milestones; it needs"
            f" {len(pieces) - 1} milestones"
        )
    for i in range(1, len(points)):
        if points[i] < points[i - 1]:
            raise ValueError(f"milestones must be non-decreasing, got {points}")
    starts = [0, *points]
    kept = [
        (piece, start)
        for i, (piece, start) in enumerate(zip(pieces, starts, strict=True))
        if i == len(pieces) - 1 or starts[i + 1] > start  # a piece with no steps never runs
    ]
    if len(kept) == 1:
        return kept[0][0]
    return sc.join([piece for piece, _ in kept], [start for _, start in kept[1:]])


def ChainedScheduler(schedulers: Sequence[Schedule]) -> Schedule:
    r"""``torch.optim.lr_scheduler.ChainedScheduler``: all the schedules at once, multiplied.

    Builds ``sc.compose(*schedulers)``:

    .. math::
        s(t) = \prod_i s_i(t)

    This is what PyTorch's chaining gives for its chainable (multiplicative) schedulers:
    :func:`StepLR`, :func:`MultiStepLR`, :func:`ConstantLR`, :func:`LinearLR`,
    :func:`ExponentialLR`, :func:`PolynomialLR` and :func:`CosineAnnealingLR` with
    ``eta_min=0``. Differences: PyTorch's non-chainable schedulers
    (``CosineAnnealingWarmRestarts``, ``CyclicLR``, ``OneCycleLR``) and
    ``CosineAnnealingLR`` with ``eta_min`` set overwrite or shift what the earlier ones set,
    so PyTorch's result depends on the order; here it is always the product.

    Args:
        schedulers: The schedules to multiply; at least one.

    Raises:
        TypeError: an element is not a schedule.
        ValueError: the list is empty.

    Example:
        >>> from schedcore import compat
        >>> s = compat.torch.ChainedScheduler(
        ...     [compat.torch.ConstantLR(0.5, total_iters=2), compat.torch.ExponentialLR(0.5)]
        ... )
        >>> [round(s(t), 12) for t in range(4)]
        [0.5, 0.25, 0.25, 0.125]
    """
    return sc.compose(*_schedule_list("schedulers", schedulers))
