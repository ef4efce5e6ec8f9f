r"""OpenMMLab mmengine's parameter schedulers (``mmengine.optim.scheduler``), as schedcore schedules.

Each constructor takes the scheduler's name and arguments (less ``optimizer``,
``last_step`` and ``verbose``) and returns the multiplier mmengine's runner applies to
the group's initial value (``initial_lr``, ``initial_momentum``) at every **iteration**,
whatever the scheduler's own unit. Wrap it with :func:`schedcore.adapters.torch.wrap`
(``key="momentum"`` for the momentum schedulers; ``key=("betas", 0)`` for Adam, whose
``beta1`` mmengine's momentum schedulers drive)::

    scheduler = adapters.torch.wrap(optimizer, compat.mmengine.LinearLR(
        start_factor=0.001, by_epoch=False, begin=0, end=500))

:func:`build_param_scheduler` takes the list a config's ``param_scheduler=[...]`` holds
and gives the one schedule the runner applies.

**Windows and units.** A scheduler acts on the steps ``begin <= k < end`` of its unit and
sees the local step ``n = k - begin``; before ``begin`` it leaves the value alone, after
``end`` the value stays where it left it. With ``by_epoch=True`` (mmengine's default) the
unit is the epoch: the scheduler steps once per epoch (``ParamSchedulerHook``'s
``after_train_epoch``), so pass ``epoch_length`` (iterations per epoch, ``len(train_dataloader)``),
and the schedule holds each value for a whole epoch. ``convert_to_iter_based=True`` turns
it into an iteration scheduler as ``build_iter_from_epoch`` does: ``begin``, ``end`` (unless
it is mmengine's ``INF``) become ``int(x * epoch_length)``, and the lengths (``T_max``,
``step_size``, ``milestones``, ``periods``, ``total_steps``) are multiplied by it; rates
(``gamma``) are not.

**Chaining.** mmengine's schedulers are recursive: each step multiplies the group's current
value (``LinearLR``, ``ConstantLR``, ``ExponentialLR``, ``StepLR``, ``MultiStepLR``,
``PolyLR`` and ``CosineAnnealingLR`` without ``eta_min``), so schedulers whose windows
overlap multiply. Those that set the value instead (``eta_min`` of ``PolyLR`` and
``CosineAnnealingLR``, a ``CosineAnnealingLR`` running past ``T_max``, ``CosineRestartLR``
and ``OneCycleLR``) start from whatever value the group holds at their ``begin``, and need
a window of their own: overlapping another scheduler there, mmengine's result is a
recursion with no closed form, and this module refuses it.

mmengine's quirks reproduced (each constructor lists its own):

* ``LinearLR``, ``PolyLR`` and ``ConstantLR`` end at ``end - 1``, not at ``end``: their
  length is ``end - begin - 1`` steps (``total_iters``), one less than the torch scheduler
  of the same name with ``total_iters = end - begin``, which a port onto
  :mod:`schedcore.compat.torch` silently shifts;
* ``CosineAnnealingLR`` and ``CosineRestartLR`` never reach ``eta_min`` with their default
  periods: their last step in the window is ``n = T_max - 1``;
* milestones and step sizes count from ``begin``;
* with ``end`` left out, mmengine's ``INF = 10**9`` is the end (the runner's default, the
  train loop's length, is :func:`build_param_scheduler`'s ``max_epochs`` / ``max_iters``).

``ReduceOnPlateauLR`` reacts to a metric, so it is not a function of the step; keep
mmengine's scheduler for it.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import schedcore as sc
from schedcore import _checks
from schedcore._base import Schedule
from schedcore.compat.torch import _one_cycle

__all__ = [
    "ConstantLR",
    "ConstantMomentum",
    "ConstantParamScheduler",
    "CosineAnnealingLR",
    "CosineAnnealingMomentum",
    "CosineAnnealingParamScheduler",
    "CosineRestartLR",
    "CosineRestartMomentum",
    "CosineRestartParamScheduler",
    "ExponentialLR",
    "ExponentialMomentum",
    "ExponentialParamScheduler",
    "LinearLR",
    "LinearMomentum",
    "LinearParamScheduler",
    "MultiStepLR",
    "MultiStepMomentum",
    "MultiStepParamScheduler",
    "OneCycleLR",
    "OneCycleParamScheduler",
    "PolyLR",
    "PolyMomentum",
    "PolyParamScheduler",
    "StepLR",
    "StepMomentum",
    "StepParamScheduler",
    "build_param_scheduler",
]

#: mmengine's ``end`` when none is given: ``int(1e9)``.
INF = 10**9


@dataclass(frozen=True)
class _Units:
    """How a scheduler's steps map onto iterations."""

    begin: int  # in the scheduler's unit
    end: int
    per_epoch: int  # iterations per step of the scheduler (1 for iteration schedulers)
    scale: int  # factor on lengths given in epochs (epoch_length when converted, else 1)


@dataclass(frozen=True)
class _Part:
    """One scheduler: its window in iterations and the value it gives there.

    ``values(h)`` is the multiplier in the window, a schedule of the local iteration
    ``t - begin``, given ``h``, the multiplier the group holds when it starts (used only
    by the schedulers that set the value). ``multiplies`` tells those that multiply the
    group's value, which overlap freely, from those that set it; ``flat`` that the
    values stay put from the window's last step on, so no hold is needed after it.
    """

    label: str
    begin: int
    end: int
    multiplies: bool
    values: Callable[[float], Schedule]
    flat: bool = False


def _window(
    name: str, begin: object, end: object, by_epoch: object, epoch_length: object, convert: object
) -> _Units:
    first = _checks.length("begin", begin, minimum=0)
    last = _checks.length("end", end)
    if last <= first:
        raise ValueError(f"end must be larger than begin, got begin={first} and end={last}")
    epochs = _checks.flag("by_epoch", by_epoch)
    converted = _checks.flag("convert_to_iter_based", convert)
    if epoch_length is not None:
        _checks.length("epoch_length", epoch_length)
    if not epochs:
        if converted:
            raise ValueError(
                "convert_to_iter_based=True needs by_epoch=True: only an epoch-based scheduler converts"
            )
        return _Units(first, last, 1, 1)
    if epoch_length is None:
        raise ValueError(
            f"{name} with by_epoch=True steps once per epoch: pass epoch_length (the iterations of an"
            " epoch, len(train_dataloader)), or by_epoch=False for an iteration scheduler"
        )
    length = _checks.length("epoch_length", epoch_length)
    if last * length > _checks.MAX_LENGTH:
        raise ValueError(
            f"end * epoch_length must be below 2**63 iterations, got end={last} and epoch_length={length}"
        )
    if converted:  # build_iter_from_epoch: int(x * epoch_length), INF stays INF
        return _Units(first * length, last if last == INF else last * length, 1, length)
    return _Units(first, last, length, 1)


def _lengths_in(units: _Units, name: str, value: object, minimum: int = 1) -> int:
    """A length in the scheduler's unit, in iterations where it was converted."""
    number = _checks.length(name, value, minimum=minimum)
    if number * units.scale > _checks.MAX_LENGTH:
        raise ValueError(
            f"{name} * epoch_length must be below 2**63 iterations, got {name}={number} and"
            f" epoch_length={units.scale}"
        )
    return number * units.scale


def _part(
    label: str, units: _Units, local: Callable[[float], Schedule], *, multiplies: bool, flat: bool = False
) -> _Part:
    """The part for a scheduler whose values ``local(h)`` are stated in its own unit."""
    size = units.per_epoch

    def values(h: float) -> Schedule:
        schedule = local(h)
        return schedule if size == 1 else sc.per_epoch(schedule, size)

    return _Part(label, units.begin * size, units.end * size, multiplies, values, flat)


def _scaled(top: float, bottom: float, shape: Schedule) -> Schedule:
    """``bottom + (top - bottom) * shape``: a shape falling from 1 to 0 moved to fall from top to bottom."""
    height = _checks.derived("the start less eta_min", lambda: top - bottom, eta_min=bottom)
    if bottom == 0.0:
        return shape if height == 1.0 else height * shape
    return height * shape + bottom


def _floor(name: str, eta_min: object, eta_min_ratio: object, base_value: object, *, required: bool) -> float:
    """The multiplier at the bottom: ``eta_min_ratio``, or ``eta_min / base_value``."""
    base = None if base_value is None else _checks.real("base_value", base_value)
    ratio = None if eta_min_ratio is None else _checks.real("eta_min_ratio", eta_min_ratio)
    low = None if eta_min is None else _checks.real("eta_min", eta_min)
    if low is not None and ratio is not None:
        raise ValueError(
            f"{name} takes eta_min or eta_min_ratio, not both; got eta_min={low!r} and"
            f" eta_min_ratio={ratio!r}"
        )
    if ratio is not None:
        return ratio
    if low is None:
        if required:
            raise ValueError(f"{name} needs eta_min or eta_min_ratio, got neither")
        return 0.0
    if low == 0.0:
        return 0.0
    if base is None:
        raise ValueError(
            f"eta_min={low!r} is an absolute value: pass base_value= (the param group's initial value,"
            " initial_lr for the learning rate), so that it becomes the multiplier eta_min / base_value,"
            " or give eta_min_ratio instead"
        )
    if base == 0.0:
        raise ValueError("base_value must be a finite number other than 0, got 0.0")
    return _checks.derived("eta_min / base_value", lambda: low / base, eta_min=low, base_value=base)


def _assemble(parts: Sequence[_Part]) -> Schedule:
    """The multiplier the parts give together, as the runner steps them.

    The multiplying parts multiply; a part that sets the value has its window to itself,
    starts from the multiplier the others left at its ``begin`` and leaves its own last
    value for the parts after it to multiply.
    """
    setters = sorted((p for p in parts if not p.multiplies), key=lambda p: p.begin)
    for p in setters:
        for q in parts:
            if q is not p and q.begin < p.end and p.begin < q.end:
                raise ValueError(
                    f"{p.label} overlaps {q.label} (iterations [{p.begin}, {p.end}) and"
                    f" [{q.begin}, {q.end})): it sets the value instead of multiplying it, so where"
                    " another scheduler acts in its window mmengine's result is a recursion with no"
                    " closed form; give it a window of its own"
                )
    pieces: list[Schedule] = []
    starts: list[int] = []
    held, start, previous = 1.0, 0, None
    for setter in [*setters, None]:
        stop = None if setter is None else setter.begin
        if stop is None or stop > start:
            inside = [
                q for q in parts if q.multiplies and q.begin >= start and (stop is None or q.end <= stop)
            ]
            if inside or previous is None or not previous.flat:  # else the setter before goes on as it is
                factors = [_shifted(q, start) for q in inside]
                piece = sc.compose(*factors) if factors else sc.constant(1.0)
                piece = piece if held == 1.0 else (held * piece if factors else sc.constant(held))
                pieces.append(piece)
                starts.append(start)
                if stop is not None:
                    held = piece(stop - start)
        if setter is None:
            break
        values = setter.values(held)
        pieces.append(values)
        starts.append(setter.begin)
        held = values(setter.end - 1 - setter.begin)
        start, previous = setter.end, setter
    return pieces[0] if len(pieces) == 1 else sc.join(pieces, starts[1:])


def _shifted(part: _Part, start: int) -> Schedule:
    """A multiplying part in a piece that starts at ``start``: 1 before its window, held after."""
    values = part.values(1.0)
    begin, end = part.begin - start, part.end - start
    pieces, starts = [values], [begin]
    if begin > 0:
        pieces.insert(0, sc.constant(1.0))
        starts.insert(0, 0)
    if not part.flat:
        pieces.append(sc.constant(values(end - begin - 1)))
        starts.append(end)
    return pieces[0] if len(pieces) == 1 else sc.join(pieces, starts[1:])


def _constant_part(label: str, factor: object, units: _Units) -> _Part:
    f = _checks.real("factor", factor, at_least=0.0, at_most=1.0)
    total = units.end - units.begin - 1  # mmengine's total_iters: the step that undoes the factor
    if total == 0:
        return _part(label, units, lambda h: sc.constant(f), multiplies=True, flat=True)
    return _part(label, units, lambda h: sc.piecewise_constant([total], [f, 1.0]), multiplies=True, flat=True)


def _linear_part(label: str, start_factor: object, end_factor: object, units: _Units) -> _Part:
    start = _checks.real("start_factor", start_factor, above=0.0, at_most=1.0)
    end = _checks.real("end_factor", end_factor, at_least=0.0, at_most=1.0)
    total = units.end - units.begin - 1
    if total == 0:
        return _part(label, units, lambda h: sc.constant(start), multiplies=True, flat=True)
    return _part(label, units, lambda h: sc.linear(start, end, total), multiplies=True, flat=True)


def _exponential_part(label: str, gamma: object, units: _Units) -> _Part:
    rate = _checks.real("gamma", gamma, above=0.0)
    last = units.end - units.begin - 1
    _checks.derived("gamma ** (end - begin - 1)", lambda: rate**last, gamma=rate, end=units.end)
    return _part(label, units, lambda h: sc.exponential(rate), multiplies=True)


def _step_part(label: str, step_size: object, gamma: object, units: _Units) -> _Part:
    every = _lengths_in(units, "step_size", step_size)
    rate = _checks.real("gamma", gamma, above=0.0)
    drops = (units.end - units.begin - 1) // every
    _checks.derived(
        "gamma ** ((end - begin - 1) // step_size)", lambda: rate**drops, gamma=rate, end=units.end
    )
    return _part(label, units, lambda h: sc.step_decay(every, rate), multiplies=True)


def _multistep_part(label: str, milestones: object, gamma: object, units: _Units) -> _Part:
    items = _checks.sequence("milestones", milestones, "a list of ints >= 0")
    points = sorted(_lengths_in(units, f"milestones[{i}]", m, minimum=0) for i, m in enumerate(items))
    rate = _checks.real("gamma", gamma, above=0.0)
    window = units.end - units.begin
    at_zero = points.count(0)
    kept = [m for m in points if 0 < m < window]  # later milestones are never reached in the window
    scale = _checks.derived(
        "gamma to the power of the milestones at 0", lambda: rate**at_zero, gamma=rate, milestones=milestones
    )
    schedule: Schedule = sc.multistep(kept, rate)
    if scale != 1.0:
        schedule = scale * schedule
    return _part(label, units, lambda h: schedule, multiplies=True, flat=True)


def _cosine_part(label: str, T_max: object, bottom: float, units: _Units) -> _Part:
    window = units.end - units.begin
    given = 0 if T_max is None else _lengths_in(units, "T_max", T_max, minimum=0)
    period = given or window  # mmengine: T_max or (end - begin)
    past = window - 1 > period  # the window goes on past T_max: the cosine rises again
    if bottom == 0.0 and not past:
        return _part(label, units, lambda h: sc.cosine(period), multiplies=True)

    def values(h: float) -> Schedule:
        if not past:
            return sc.cosine(period, end=bottom) if h == 1.0 else _scaled(h, bottom, sc.cosine(period))
        # Past T_max mmengine restarts the rise from the base value, not from h.
        wave = sc.cosine_wave(period)
        if h == 1.0:
            return sc.cosine_wave(period, end=bottom)
        height = sc.piecewise_constant([period + 1], [h - bottom, 1.0 - bottom])
        return wave * height + bottom if bottom != 0.0 else wave * height

    return _part(label, units, values, multiplies=False, flat=window - 1 == period)


def _poly_part(label: str, bottom: float, power: object, units: _Units) -> _Part:
    exponent = _checks.real("power", power, at_least=0.0)
    total = units.end - units.begin - 1
    if total == 0:
        return _part(label, units, lambda h: sc.constant(1.0), multiplies=True, flat=True)
    if bottom == 0.0:
        return _part(label, units, lambda h: sc.polynomial(total, power=exponent), multiplies=True, flat=True)

    def values(h: float) -> Schedule:
        if h == 1.0:
            return sc.polynomial(total, power=exponent, end=bottom)
        return _scaled(h, bottom, sc.polynomial(total, power=exponent))

    return _part(label, units, values, multiplies=False, flat=True)


def _restart_part(
    label: str, periods: object, restart_weights: object, bottom: float, units: _Units
) -> _Part:
    items = _checks.sequence("periods", periods, "a list of positive ints")
    lengths = [_lengths_in(units, f"periods[{i}]", p) for i, p in enumerate(items)]
    weights = list(_checks.reals("restart_weights", restart_weights))
    if not lengths or len(lengths) != len(weights):
        raise ValueError(
            f"periods and restart_weights must have the same length, at least 1; got {len(lengths)}"
            f" periods and {len(weights)} restart_weights"
        )
    pieces = [
        sc.cosine(p, end=bottom) if w == 1.0 else _scaled(w, bottom, sc.cosine(p))
        for p, w in zip(lengths, weights, strict=True)
    ]
    starts = [sum(lengths[: i + 1]) for i in range(len(lengths))]
    last = pieces[-1](lengths[-1] - 1)  # past the periods mmengine keeps the value
    if starts[-1] > _checks.MAX_LENGTH:
        raise ValueError(f"periods must add up to less than 2**63, got {lengths}")
    schedule = sc.join([*pieces, sc.constant(last)], starts)
    return _part(
        label, units, lambda h: schedule, multiplies=False, flat=starts[-1] <= units.end - units.begin
    )


def _one_cycle_part(
    label: str,
    eta_max: object,
    total_steps: object,
    pct_start: object,
    anneal_strategy: object,
    div_factor: object,
    final_div_factor: object,
    three_phase: object,
    units: _Units,
    base_value: object,
) -> _Part:
    peak = _checks.real("eta_max", eta_max)
    window = units.end - units.begin
    steps = window if total_steps is None else _lengths_in(units, "total_steps", total_steps)
    if window > steps:
        raise ValueError(
            f"total_steps must be at least end - begin, got total_steps={steps} and a window of"
            f" {window} steps: mmengine extrapolates the last phase at step total_steps and raises after it"
        )
    shape = _one_cycle(
        steps, f"total_steps={steps}", pct_start, anneal_strategy, div_factor, final_div_factor, three_phase
    )  # mmengine's phases are PyTorch's
    if base_value is None:
        if units.begin != 0:
            raise ValueError(
                f"OneCycleLR sets absolute values, and before begin={units.begin} the group keeps its"
                " own: pass base_value= (the group's initial learning rate) to get multipliers of it"
            )
        scale = peak
    else:
        base = _checks.real("base_value", base_value)
        if base == 0.0:
            raise ValueError("base_value must be a finite number other than 0, got 0.0")
        scale = _checks.derived("eta_max / base_value", lambda: peak / base, eta_max=peak, base_value=base)
    schedule = shape if scale == 1.0 else scale * shape
    return _part(label, units, lambda h: schedule, multiplies=False, flat=window == steps)


def _units(label: str, a: Mapping[str, Any]) -> _Units:
    return _window(label, a["begin"], a["end"], a["by_epoch"], a["epoch_length"], a["convert_to_iter_based"])


def _bottom(label: str, a: Mapping[str, Any], *, required: bool = False) -> float:
    return _floor(label, a["eta_min"], a.get("eta_min_ratio"), a["base_value"], required=required)


#: Each kind of scheduler: its part, from its checked arguments.
_BUILDERS: dict[str, Callable[[str, Mapping[str, Any]], _Part]] = {
    "Constant": lambda label, a: _constant_part(label, a["factor"], _units(label, a)),
    "Linear": lambda label, a: _linear_part(label, a["start_factor"], a["end_factor"], _units(label, a)),
    "Exponential": lambda label, a: _exponential_part(label, a["gamma"], _units(label, a)),
    "Step": lambda label, a: _step_part(label, a["step_size"], a["gamma"], _units(label, a)),
    "MultiStep": lambda label, a: _multistep_part(label, a["milestones"], a["gamma"], _units(label, a)),
    "CosineAnnealing": lambda label, a: _cosine_part(label, a["T_max"], _bottom(label, a), _units(label, a)),
    "CosineRestart": lambda label, a: _restart_part(
        label, a["periods"], a["restart_weights"], _bottom(label, a, required=True), _units(label, a)
    ),
    "Poly": lambda label, a: _poly_part(
        label,
        _floor(label, _checks.real("eta_min", a["eta_min"]), None, a["base_value"], required=False),
        a["power"],
        _units(label, a),
    ),
    "OneCycle": lambda label, a: _one_cycle_part(
        label,
        a["eta_max"],
        a["total_steps"],
        a["pct_start"],
        a["anneal_strategy"],
        a["div_factor"],
        a["final_div_factor"],
        a["three_phase"],
        _units(label, a),
        a["base_value"],
    ),
}


def _build(kind: str, label: str, arguments: Mapping[str, Any]) -> Schedule:
    return _assemble([_BUILDERS[kind](label, arguments)])


# --- the constructors ---------------------------------------------------------------------------


def ConstantLR(
    factor: float = 1.0 / 3,
    begin: int = 0,
    end: int = INF,
    by_epoch: bool = True,
    *,
    epoch_length: int | None = None,
    convert_to_iter_based: bool = False,
) -> Schedule:
    r"""``ConstantLR`` (mmengine): ``factor`` until the last step of the window, then 1.

    In the window, with :math:`n` the local step and :math:`N = \texttt{end} -
    \texttt{begin} - 1`,

    .. math::
        s(n) = \begin{cases} f & n < N \\ 1 & n \ge N \end{cases}

    mmengine quirks reproduced: the factor is undone at ``end - 1``, not at ``end``; a
    window of one step (``end = begin + 1``) never undoes it. Differences: with
    ``factor=0`` mmengine divides by zero at step :math:`N`; this returns 1 there.

    Args:
        factor: The multiplier before the last step of the window; in ``[0, 1]``.
        begin: First step of the window (epochs with ``by_epoch``, else iterations).
        end: The step after the window; larger than ``begin``. Default mmengine's ``INF``.
        by_epoch: Whether the scheduler steps once per epoch.
        epoch_length: Iterations per epoch; needed with ``by_epoch=True``.
        convert_to_iter_based: Turn an epoch scheduler into an iteration one, as
            mmengine's ``build_iter_from_epoch`` does.

    Raises:
        TypeError: an argument has the wrong type.
        ValueError: ``factor`` is outside ``[0, 1]``, ``end <= begin``, or
            ``by_epoch=True`` without ``epoch_length``.

    Example:
        >>> from schedcore import compat
        >>> s = compat.mmengine.ConstantLR(0.5, end=3, by_epoch=False)
        >>> [s(t) for t in range(4)]
        [0.5, 0.5, 1.0, 1.0]
    """
    return _build("Constant", "ConstantLR", locals())


def LinearLR(
    start_factor: float = 1.0 / 3,
    end_factor: float = 1.0,
    begin: int = 0,
    end: int = INF,
    by_epoch: bool = True,
    *,
    epoch_length: int | None = None,
    convert_to_iter_based: bool = False,
) -> Schedule:
    r"""``LinearLR`` (mmengine): a line from ``start_factor`` to ``end_factor``, reached at ``end - 1``.

    Builds ``sc.linear(start_factor, end_factor, end - begin - 1)`` in the window:

    .. math::
        s(n) = a + (b - a)\,\min(n, N) / N, \qquad N = \texttt{end} - \texttt{begin} - 1

    mmengine quirk reproduced: the line ends at the window's last step, ``end - 1``, one
    step before ``torch.optim.lr_scheduler.LinearLR(total_iters=end - begin)`` would.
    mmengine computes it recursively; the closed form agrees to rounding. Differences:
    ``start_factor=0``, which mmengine accepts and then divides by at its second step,
    is refused.

    Args:
        start_factor: Multiplier at the window's first step; in ``(0, 1]``.
        end_factor: Multiplier from the window's last step on; in ``[0, 1]``.
        begin: First step of the window (epochs with ``by_epoch``, else iterations).
        end: The step after the window; larger than ``begin``.
        by_epoch: Whether the scheduler steps once per epoch.
        epoch_length: Iterations per epoch; needed with ``by_epoch=True``.
        convert_to_iter_based: Turn an epoch scheduler into an iteration one.

    Raises:
        TypeError: an argument has the wrong type.
        ValueError: a factor is out of its range, ``end <= begin``, or ``by_epoch=True``
            without ``epoch_length``.

    Example:
        >>> from schedcore import compat
        >>> s = compat.mmengine.LinearLR(0.5, 1.0, end=3, by_epoch=False)
        >>> [s(t) for t in range(4)]
        [0.5, 0.75, 1.0, 1.0]
    """
    return _build("Linear", "LinearLR", locals())


def ExponentialLR(
    gamma: float,
    begin: int = 0,
    end: int = INF,
    by_epoch: bool = True,
    *,
    epoch_length: int | None = None,
    convert_to_iter_based: bool = False,
) -> Schedule:
    r"""``ExponentialLR`` (mmengine): multiply by ``gamma`` at every step of the window.

    .. math::
        s(n) = \gamma^{\min(n,\, \texttt{end} - \texttt{begin} - 1)}

    mmengine quirk reproduced: ``convert_to_iter_based=True`` keeps ``gamma``, so the decay
    per epoch becomes a decay per iteration.

    Args:
        gamma: Factor per step; ``> 0``.
        begin: First step of the window.
        end: The step after the window; larger than ``begin``.
        by_epoch: Whether the scheduler steps once per epoch.
        epoch_length: Iterations per epoch; needed with ``by_epoch=True``.
        convert_to_iter_based: Turn an epoch scheduler into an iteration one.

    Raises:
        TypeError: an argument has the wrong type.
        ValueError: ``gamma <= 0``, ``end <= begin``, or ``by_epoch=True`` without
            ``epoch_length``.

    Example:
        >>> from schedcore import compat
        >>> s = compat.mmengine.ExponentialLR(0.5, end=3, by_epoch=True, epoch_length=2)
        >>> [s(t) for t in range(8)]
        [1.0, 1.0, 0.5, 0.5, 0.25, 0.25, 0.25, 0.25]
    """
    return _build("Exponential", "ExponentialLR", locals())


def StepLR(
    step_size: int,
    gamma: float = 0.1,
    begin: int = 0,
    end: int = INF,
    by_epoch: bool = True,
    *,
    epoch_length: int | None = None,
    convert_to_iter_based: bool = False,
) -> Schedule:
    r"""``StepLR`` (mmengine): multiply by ``gamma`` every ``step_size`` steps of the window.

    .. math::
        s(n) = \gamma^{\lfloor \min(n,\, \texttt{end} - \texttt{begin} - 1) / \texttt{step\_size} \rfloor}

    mmengine quirk reproduced: the steps count from ``begin``.

    Args:
        step_size: Steps between two decays; a positive int.
        gamma: Factor of each decay; ``> 0``.
        begin: First step of the window.
        end: The step after the window; larger than ``begin``.
        by_epoch: Whether the scheduler steps once per epoch.
        epoch_length: Iterations per epoch; needed with ``by_epoch=True``.
        convert_to_iter_based: Turn an epoch scheduler into an iteration one.

    Raises:
        TypeError: an argument has the wrong type.
        ValueError: ``step_size`` is below 1, ``gamma <= 0``, ``end <= begin``, or
            ``by_epoch=True`` without ``epoch_length``.

    Example:
        >>> from schedcore import compat
        >>> s = compat.mmengine.StepLR(2, gamma=0.5, begin=1, by_epoch=False)
        >>> [s(t) for t in range(6)]
        [1.0, 1.0, 1.0, 0.5, 0.5, 0.25]
    """
    return _build("Step", "StepLR", locals())


def MultiStepLR(
    milestones: Sequence[int],
    gamma: float = 0.1,
    begin: int = 0,
    end: int = INF,
    by_epoch: bool = True,
    *,
    epoch_length: int | None = None,
    convert_to_iter_based: bool = False,
) -> Schedule:
    r"""``MultiStepLR`` (mmengine): multiply by ``gamma`` at each milestone of the window.

    .. math::
        s(n) = \gamma^{\,|\{m \in M : m \le \min(n,\, \texttt{end} - \texttt{begin} - 1)\}|}

    mmengine quirks reproduced: milestones count from ``begin``; they may come in any
    order, a repeated one applies ``gamma`` once per repeat, one at 0 applies at once, and
    one at or past ``end - begin`` is never reached.

    Args:
        milestones: Local steps at which the value drops; ints ``>= 0``.
        gamma: Factor of each drop; ``> 0``.
        begin: First step of the window.
        end: The step after the window; larger than ``begin``.
        by_epoch: Whether the scheduler steps once per epoch.
        epoch_length: Iterations per epoch; needed with ``by_epoch=True``.
        convert_to_iter_based: Turn an epoch scheduler into an iteration one.

    Raises:
        TypeError: an argument has the wrong type.
        ValueError: a milestone is negative, ``gamma <= 0``, ``end <= begin``, or
            ``by_epoch=True`` without ``epoch_length``.

    Example:
        >>> from schedcore import compat
        >>> s = compat.mmengine.MultiStepLR([1, 3], gamma=0.5, by_epoch=True, epoch_length=2)
        >>> [s(t) for t in range(8)]
        [1.0, 1.0, 0.5, 0.5, 0.5, 0.5, 0.25, 0.25]
    """
    return _build("MultiStep", "MultiStepLR", locals())


def CosineAnnealingLR(
    T_max: int | None = None,
    eta_min: float | None = None,
    begin: int = 0,
    end: int = INF,
    by_epoch: bool = True,
    *,
    eta_min_ratio: float | None = None,
    epoch_length: int | None = None,
    convert_to_iter_based: bool = False,
    base_value: float | None = None,
) -> Schedule:
    r"""``CosineAnnealingLR`` (mmengine): a cosine from the group's value down to ``eta_min``.

    In the window, with :math:`T` = ``T_max``, :math:`e` = ``eta_min / base_value`` (or
    ``eta_min_ratio``) and :math:`h` the multiplier the group holds at ``begin`` (1 when
    nothing ran before):

    .. math::
        s(n) = e + (h - e)\,\frac{1 + \cos(\pi n / T)}{2} \quad (n \le T), \qquad
        s(n) = e + (1 - e)\,\frac{1 + \cos(\pi n / T)}{2} \quad (n > T)

    mmengine quirks reproduced: with the default ``T_max = end - begin`` (also for
    ``T_max=0``) the window's last step is :math:`n = T - 1`, so ``eta_min`` is never
    reached; past ``T_max`` the cosine rises again (as PyTorch's), and mmengine restarts
    that rise from the group's initial value, not from :math:`h`. Without ``eta_min`` and
    within ``T_max`` it multiplies the group's value and chains with overlapping
    schedulers; otherwise it sets it and needs a window of its own (see
    :func:`build_param_scheduler`).

    Args:
        T_max: Steps from the start down to ``eta_min``; a positive int, default
            ``end - begin``.
        eta_min: The value at the bottom, in absolute terms (default 0).
        begin: First step of the window.
        end: The step after the window; larger than ``begin``.
        by_epoch: Whether the scheduler steps once per epoch.
        eta_min_ratio: The bottom as a fraction of the group's initial value, instead of
            ``eta_min``.
        epoch_length: Iterations per epoch; needed with ``by_epoch=True``.
        convert_to_iter_based: Turn an epoch scheduler into an iteration one.
        base_value: The group's initial value; needed for an ``eta_min`` other than 0.

    Raises:
        TypeError: an argument has the wrong type.
        ValueError: a value is out of range, both ``eta_min`` and ``eta_min_ratio`` are
            given, ``eta_min`` is not 0 without ``base_value``, ``end <= begin``, or
            ``by_epoch=True`` without ``epoch_length``.

    Example:
        >>> from schedcore import compat
        >>> s = compat.mmengine.CosineAnnealingLR(eta_min_ratio=0.1, end=5, by_epoch=False)
        >>> [round(s(t), 6) for t in range(6)]
        [1.0, 0.914058, 0.689058, 0.410942, 0.185942, 0.185942]
    """
    return _build("CosineAnnealing", "CosineAnnealingLR", locals())


def CosineRestartLR(
    periods: Sequence[int],
    restart_weights: Sequence[float] = (1.0,),
    eta_min: float | None = None,
    eta_min_ratio: float | None = None,
    begin: int = 0,
    end: int = INF,
    by_epoch: bool = True,
    *,
    epoch_length: int | None = None,
    convert_to_iter_based: bool = False,
    base_value: float | None = None,
) -> Schedule:
    r"""``CosineRestartLR`` (mmengine): cosine periods, each restarting at its weight.

    Builds ``sc.join`` of one cosine per period, :math:`P_i` = ``periods[i]`` and
    :math:`w_i` = ``restart_weights[i]``; with :math:`\tau` the step within period
    :math:`i` and :math:`e` = ``eta_min / base_value`` (or ``eta_min_ratio``):

    .. math::
        s = e + (w_i - e)\,\frac{1 + \cos(\pi \tau / P_i)}{2}, \qquad 0 \le \tau < P_i

    and the last value is kept after the periods. mmengine quirks reproduced: a period's
    last step is :math:`\tau = P_i - 1`, so ``eta_min`` is never reached; each restart
    sets :math:`w_i` times the group's initial value, whatever ran before, so the
    scheduler needs a window of its own (see :func:`build_param_scheduler`).

    Args:
        periods: Length of each period; positive ints.
        restart_weights: The multiplier each period starts from; as many as ``periods``.
        eta_min: The value at the bottom, in absolute terms.
        eta_min_ratio: The bottom as a fraction of the group's initial value; give it or
            ``eta_min``, as mmengine requires one of them.
        begin: First step of the window.
        end: The step after the window; larger than ``begin``.
        by_epoch: Whether the scheduler steps once per epoch.
        epoch_length: Iterations per epoch; needed with ``by_epoch=True``.
        convert_to_iter_based: Turn an epoch scheduler into an iteration one.
        base_value: The group's initial value; needed for an ``eta_min`` other than 0.

    Raises:
        TypeError: an argument has the wrong type.
        ValueError: the lists are empty or of different lengths, neither or both of
            ``eta_min`` and ``eta_min_ratio`` are given, ``end <= begin``, or
            ``by_epoch=True`` without ``epoch_length``.

    Example:
        >>> from schedcore import compat
        >>> s = compat.mmengine.CosineRestartLR([2, 2], [1.0, 0.5], eta_min_ratio=0.0, by_epoch=False)
        >>> [round(s(t), 6) for t in range(6)]
        [1.0, 0.5, 0.5, 0.25, 0.25, 0.25]
    """
    return _build("CosineRestart", "CosineRestartLR", locals())


def PolyLR(
    eta_min: float = 0.0,
    power: float = 1.0,
    begin: int = 0,
    end: int = INF,
    by_epoch: bool = True,
    *,
    epoch_length: int | None = None,
    convert_to_iter_based: bool = False,
    base_value: float | None = None,
) -> Schedule:
    r"""``PolyLR`` (mmengine): polynomial decay to ``eta_min``, reached at ``end - 1``.

    In the window, with :math:`N = \texttt{end} - \texttt{begin} - 1`, :math:`p` =
    ``power``, :math:`e` = ``eta_min / base_value`` and :math:`h` the multiplier the
    group holds at ``begin``:

    .. math::
        s(n) = e + (h - e)\,(1 - \min(n, N) / N)^{p}

    mmengine quirk reproduced: the decay ends at the window's last step, ``end - 1``, one
    step before ``torch.optim.lr_scheduler.PolynomialLR(total_iters=end - begin)``; a
    one-step window changes nothing. With ``eta_min=0`` it multiplies the group's value
    and chains with overlapping schedulers; otherwise it sets it and needs a window of its
    own (see :func:`build_param_scheduler`).

    Args:
        eta_min: The value at the end, in absolute terms.
        power: Exponent; ``>= 0``.
        begin: First step of the window.
        end: The step after the window; larger than ``begin``.
        by_epoch: Whether the scheduler steps once per epoch.
        epoch_length: Iterations per epoch; needed with ``by_epoch=True``.
        convert_to_iter_based: Turn an epoch scheduler into an iteration one.
        base_value: The group's initial value; needed for an ``eta_min`` other than 0.

    Raises:
        TypeError: an argument has the wrong type.
        ValueError: ``power < 0``, ``eta_min`` is not 0 without ``base_value``,
            ``end <= begin``, or ``by_epoch=True`` without ``epoch_length``.

    Example:
        >>> from schedcore import compat
        >>> s = compat.mmengine.PolyLR(power=2.0, end=5, by_epoch=False)
        >>> [s(t) for t in range(6)]
        [1.0, 0.5625, 0.25, 0.0625, 0.0, 0.0]
    """
    return _build("Poly", "PolyLR", locals())


def OneCycleLR(
    eta_max: float = 0.0,
    total_steps: int | None = None,
    pct_start: float = 0.3,
    anneal_strategy: str = "cos",
    div_factor: float = 25.0,
    final_div_factor: float = 1e4,
    three_phase: bool = False,
    begin: int = 0,
    end: int = INF,
    by_epoch: bool = True,
    *,
    epoch_length: int | None = None,
    convert_to_iter_based: bool = False,
    base_value: float | None = None,
) -> Schedule:
    r"""``OneCycleLR`` (mmengine): the one-cycle policy in the window; absolute values.

    Builds ``eta_max * sc.one_cycle(total_steps, peak_at=pct_start, start=1 / div_factor,
    end=1 / (div_factor * final_div_factor), anneal=anneal_strategy,
    three_phase=three_phase)`` on the local step, as :func:`schedcore.compat.torch.OneCycleLR`
    does: the same phases as PyTorch's. Without ``base_value`` the values are learning
    rates (wrap with ``base=1.0``), and ``begin`` must be 0 (before it the group keeps its
    own value); with ``base_value`` (the group's initial learning rate) they are
    multipliers of it. The scheduler sets the value, so it needs a window of its own.

    Differences: mmengine extrapolates the last phase at local step ``total_steps`` and
    raises after it; a window longer than ``total_steps`` is refused here.

    Args:
        eta_max: The peak learning rate.
        total_steps: Length of the cycle; a positive int, default ``end - begin``.
        pct_start: Fraction of the cycle spent rising, in ``(0, 1)``.
        anneal_strategy: ``"cos"`` or ``"linear"``.
        div_factor: ``eta_max / div_factor`` is the initial learning rate; ``> 0``.
        final_div_factor: The final learning rate is the initial one divided by this.
        three_phase: Rise, come back down to the initial learning rate, then anneal.
        begin: First step of the window.
        end: The step after the window; larger than ``begin``.
        by_epoch: Whether the scheduler steps once per epoch.
        epoch_length: Iterations per epoch; needed with ``by_epoch=True``.
        convert_to_iter_based: Turn an epoch scheduler into an iteration one.
        base_value: The group's initial learning rate, for multipliers instead of values.

    Raises:
        TypeError: an argument has the wrong type.
        ValueError: a value is out of range, a phase would be empty, the window is longer
            than ``total_steps``, ``begin`` is not 0 without ``base_value``,
            ``end <= begin``, or ``by_epoch=True`` without ``epoch_length``.

    Example:
        >>> from schedcore import compat
        >>> s = compat.mmengine.OneCycleLR(
        ...     1.0, pct_start=0.2, anneal_strategy="linear", end=10, by_epoch=False
        ... )
        >>> [round(s(t), 6) for t in (0, 1, 9)]
        [0.04, 1.0, 4e-06]
    """
    return _build("OneCycle", "OneCycleLR", locals())


# --- the momentum and generic schedulers: the same shapes under other names ------------------------

_KINDS = (
    "Constant",
    "Linear",
    "Exponential",
    "Step",
    "MultiStep",
    "CosineAnnealing",
    "CosineRestart",
    "Poly",
)


def _variant(
    template: Callable[..., Schedule], kind: str, name: str, *, generic: bool
) -> Callable[..., Schedule]:
    """``template``'s shape under ``name``: ``*Momentum``, or ``*ParamScheduler`` with a ``param_name``."""
    signature = inspect.signature(template)
    annotations = dict(template.__annotations__)
    if generic:
        first = inspect.Parameter("param_name", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation="str")
        signature = signature.replace(parameters=[first, *signature.parameters.values()])
        annotations = {"param_name": "str", **annotations}
    target = "the hyperparameter named by ``param_name``" if generic else "the momentum"

    def variant(*args: Any, **kwargs: Any) -> Schedule:
        bound = signature.bind(*args, **kwargs)
        bound.apply_defaults()
        arguments = dict(bound.arguments)
        if generic:
            _param_name(arguments.pop("param_name"))
        return _build(kind, name, arguments)

    variant.__name__ = variant.__qualname__ = name
    variant.__module__ = __name__
    variant.__signature__ = signature  # type: ignore[attr-defined]
    variant.__annotations__ = annotations
    variant.__doc__ = (
        f"``{name}`` (mmengine): :func:`{template.__name__}` for {target}.\n\n"
        f"The same shape, arguments and quirks as :func:`{template.__name__}`; wrap the schedule"
        ' with the adapter\'s ``key=`` naming the hyperparameter (``key="momentum"``;'
        " ``key=(\"betas\", 0)`` for Adam's beta1, which mmengine's momentum schedulers drive)."
        + (
            '\n\nArgs:\n    param_name: The hyperparameter, e.g. ``"weight_decay"``; a str.'
            if generic
            else ""
        )
    )
    return variant


def _param_name(value: object) -> str:
    if not isinstance(value, str) or not value:
        raise TypeError(_checks.must_be("param_name", "a non-empty str", value, show_type=True))
    return value


ConstantMomentum = _variant(ConstantLR, "Constant", "ConstantMomentum", generic=False)
LinearMomentum = _variant(LinearLR, "Linear", "LinearMomentum", generic=False)
ExponentialMomentum = _variant(ExponentialLR, "Exponential", "ExponentialMomentum", generic=False)
StepMomentum = _variant(StepLR, "Step", "StepMomentum", generic=False)
MultiStepMomentum = _variant(MultiStepLR, "MultiStep", "MultiStepMomentum", generic=False)
CosineAnnealingMomentum = _variant(
    CosineAnnealingLR, "CosineAnnealing", "CosineAnnealingMomentum", generic=False
)
CosineRestartMomentum = _variant(CosineRestartLR, "CosineRestart", "CosineRestartMomentum", generic=False)
PolyMomentum = _variant(PolyLR, "Poly", "PolyMomentum", generic=False)
ConstantParamScheduler = _variant(ConstantLR, "Constant", "ConstantParamScheduler", generic=True)
LinearParamScheduler = _variant(LinearLR, "Linear", "LinearParamScheduler", generic=True)
ExponentialParamScheduler = _variant(ExponentialLR, "Exponential", "ExponentialParamScheduler", generic=True)
StepParamScheduler = _variant(StepLR, "Step", "StepParamScheduler", generic=True)
MultiStepParamScheduler = _variant(MultiStepLR, "MultiStep", "MultiStepParamScheduler", generic=True)
CosineAnnealingParamScheduler = _variant(
    CosineAnnealingLR, "CosineAnnealing", "CosineAnnealingParamScheduler", generic=True
)
CosineRestartParamScheduler = _variant(
    CosineRestartLR, "CosineRestart", "CosineRestartParamScheduler", generic=True
)
PolyParamScheduler = _variant(PolyLR, "Poly", "PolyParamScheduler", generic=True)
OneCycleParamScheduler = _variant(OneCycleLR, "OneCycle", "OneCycleParamScheduler", generic=True)

#: The scheduler of each ``type=`` name: its signature, its kind, and the hyperparameter it drives
#: (``None``: the config's ``param_name``).
_TYPES: dict[str, tuple[Callable[..., Schedule], str, str | None]] = {
    **{f"{k}LR": (globals()[f"{k}LR"], k, "lr") for k in (*_KINDS, "OneCycle")},
    **{f"{k}Momentum": (globals()[f"{k}LR"], k, "momentum") for k in _KINDS},
    **{f"{k}ParamScheduler": (globals()[f"{k}LR"], k, None) for k in (*_KINDS, "OneCycle")},
}


def build_param_scheduler(
    param_scheduler: Sequence[Mapping[str, Any]],
    *,
    param_name: str = "lr",
    epoch_length: int | None = None,
    max_epochs: int | None = None,
    max_iters: int | None = None,
    base_value: float | None = None,
) -> Schedule:
    r"""The schedule mmengine's runner applies to ``param_name``, from a config's ``param_scheduler``.

    Takes the list a config holds, ``param_scheduler=[dict(type="LinearLR", ...), ...]``
    (or one dict), and builds the multiplier of the group's initial value at every
    iteration, as mmengine's runner builds the schedulers and its ``ParamSchedulerHook``
    steps them: in list order, iteration schedulers after each iteration, epoch
    schedulers after each epoch. ``type`` is a scheduler's name (``"LinearLR"``,
    ``"CosineAnnealingMomentum"``, ``"PolyParamScheduler"`` with ``param_name=...``; an
    ``"mmengine."`` scope is allowed) or the class itself; the other keys are its
    arguments, and ``convert_to_iter_based=True`` converts it as the runner does.

    Schedulers whose windows overlap multiply (mmengine's schedulers multiply the group's
    current value); one that sets the value instead (``eta_min`` of ``PolyLR`` and
    ``CosineAnnealingLR``, ``CosineRestartLR``, ``OneCycleLR``) starts from the value the
    others left at its ``begin``, and must have its window to itself, else this raises.
    ``OneCycleLR`` gives absolute values unless ``base_value`` is given.

    Args:
        param_scheduler: The config's list of scheduler dicts (or one dict).
        param_name: The hyperparameter to build: ``"lr"`` takes the ``*LR`` schedulers,
            ``"momentum"`` the ``*Momentum`` ones, and ``*ParamScheduler`` entries count
            where their ``param_name`` matches.
        epoch_length: Iterations per epoch (``len(train_dataloader)``): the runner passes
            it to every scheduler; needed for the epoch-based ones.
        max_epochs: The train loop's epochs: the ``end`` of an epoch-based scheduler that
            gives none (mmengine's runner default), and with ``epoch_length`` the
            iterations of the run.
        max_iters: The train loop's iterations: the ``end`` of an iteration scheduler that
            gives none. Without it (or ``max_epochs``), a missing ``end`` is mmengine's
            ``INF``.
        base_value: The group's initial value, for an absolute ``eta_min`` or a
            ``OneCycleLR`` in multipliers.

    Returns:
        The multiplier at each iteration; ``constant(1.0)`` when no scheduler drives
        ``param_name``.

    Raises:
        TypeError: an entry is not a dict, has no ``type`` or an argument of the wrong type.
        ValueError: an unknown ``type`` (``ReduceOnPlateauLR`` included: it reacts to a
            metric), a bad argument, or a scheduler that sets the value overlapping another.

    Example:
        >>> from schedcore import compat
        >>> s = compat.mmengine.build_param_scheduler(
        ...     [
        ...         dict(type="LinearLR", start_factor=0.001, by_epoch=False, begin=0, end=500),
        ...         dict(type="MultiStepLR", by_epoch=True, milestones=[8, 11], gamma=0.1),
        ...     ],
        ...     epoch_length=1000,
        ...     max_epochs=12,
        ... )
        >>> s
        linear(0.001, 1.0, 499) * per_epoch(multistep([8, 11], gamma=0.1), 1000)
        >>> round(s(250), 6), s(9000)
        (0.501501, 0.1)
    """
    if isinstance(param_scheduler, Mapping):
        configs: list[Any] = [param_scheduler]
    elif isinstance(param_scheduler, list | tuple):
        configs = list(param_scheduler)
    else:
        raise TypeError(
            _checks.must_be("param_scheduler", "a list of scheduler dicts", param_scheduler, show_type=True)
        )
    target = _param_name(param_name)
    length = None if epoch_length is None else _checks.length("epoch_length", epoch_length)
    epochs = None if max_epochs is None else _checks.length("max_epochs", max_epochs)
    iters = None if max_iters is None else _checks.length("max_iters", max_iters)
    if iters is None and epochs is not None and length is not None:
        iters = epochs * length
    parts = []
    for i, config in enumerate(configs):
        where = f"param_scheduler[{i}]"
        if not isinstance(config, Mapping):
            raise TypeError(_checks.must_be(where, "a dict with a type", config, show_type=True))
        entry = {key: value for key, value in config.items() if key not in ("_scope_", "verbose")}
        kind_name = entry.pop("type", None)
        if isinstance(kind_name, type):
            kind_name = kind_name.__name__
        if not isinstance(kind_name, str):
            raise TypeError(
                _checks.must_be(where, "a dict whose type names a scheduler", config, show_type=True)
            )
        name = kind_name.removeprefix("mmengine.")
        if name not in _TYPES:
            known = ", ".join(sorted(_TYPES))
            raise ValueError(
                f"{where} has type={kind_name!r}, which is not one of mmengine's step schedulers here"
                f" ({known}); ReduceOnPlateau schedulers react to a metric and have no schedule"
            )
        template, kind, drives = _TYPES[name]
        label = f"{where} ({name})"
        if drives is None:
            if "param_name" not in entry:
                raise TypeError(f"{where} ({name}) needs a param_name, got {dict(config)!r}")
            drives = _param_name(entry.pop("param_name"))
        if drives != target:
            continue
        for key in ("optimizer", "last_step"):
            if key in entry and not (key == "last_step" and entry[key] == -1):
                raise ValueError(
                    f"{label} gives {key}={entry[key]!r}: a schedule needs neither an optimizer nor a"
                    " resume point"
                )
            entry.pop(key, None)
        by_epoch = entry.get("by_epoch", True)
        default_end = epochs if by_epoch else iters
        if "end" not in entry and default_end is not None:
            entry["end"] = default_end
        if length is not None and entry.setdefault("epoch_length", length) != length:
            raise ValueError(
                f"{label} gives epoch_length={entry['epoch_length']!r}, but its epochs are those of the train"
                f" loop, epoch_length={length}: leave it out of the config"
            )
        if "base_value" in inspect.signature(template).parameters:
            entry.setdefault("base_value", base_value)
        try:
            bound = inspect.signature(template).bind(**entry)
            bound.apply_defaults()
            parts.append((name, _BUILDERS[kind](label, bound.arguments)))
        except (TypeError, ValueError) as error:
            raise type(error)(f"{label}: {error}") from None
    if not parts:
        return sc.constant(1.0)
    cycles = [label for label, part in parts if label == "OneCycleLR" or label == "OneCycleParamScheduler"]
    if cycles and len(parts) > 1:
        raise ValueError(
            f"param_scheduler has a {cycles[0]} beside {len(parts) - 1} other schedulers of {target}: it"
            " sets the whole cycle (and mmengine resets the initial learning rate for the schedulers built"
            " after it); give it alone"
        )
    return _assemble([part for _, part in parts])
