"""Run a schedcore schedule as a Chainer trainer extension.

>>> import chainer
>>> from schedcore import adapters
>>> shift = adapters.chainer.wrap(sc.warmup(100) * sc.cosine(10_000), "lr")
>>> shift.default_name, shift.trigger, shift.priority == chainer.training.PRIORITY_READER
('schedcore_lr', (1, 'iteration'), True)

``trainer.extend(shift)`` then keeps ``optimizer.lr == base * s(k)`` after iteration
``k`` (``k`` completed updates, so the first update uses ``s(0)``), also right after
``initialize`` and after a snapshot is resumed: the value is computed from the
trainer's own iteration count, never accumulated.
"""

from __future__ import annotations

import math
from typing import Any, cast

from schedcore import _checks
from schedcore._base import Schedule
from schedcore.adapters import require
from schedcore.combinators import per_epoch as _per_epoch
from schedcore.combinators import per_sample

chainer = require("chainer", "chainer")
_Extension: Any = chainer.training.Extension  # chainer ships no type information

__all__ = ["ScheduleShift", "per_epoch", "wrap"]


class ScheduleShift(_Extension):  # type: ignore[misc]
    """A trainer extension that sets ``optimizer.<attr> = base * schedule(t)``.

    ``t`` is the trainer's iteration count (``trainer.updater.iteration``), the number
    of updates already completed. Build it with :func:`wrap`.

    Attributes:
        trigger: ``(1, "iteration")``: the value is set after every update.
        priority: ``PRIORITY_READER``, as Chainer's own ``*Shift`` extensions, so
            writers such as ``observe_lr`` record the value the update used before
            this extension sets the next one.
    """

    trigger = (1, "iteration")
    priority = chainer.training.PRIORITY_READER

    def __init__(self, schedule: Schedule, attr: str, base: float | None, optimizer: Any) -> None:
        self._schedule = schedule
        self._attr = attr
        self._given_base = base
        self._base = base
        self._optimizer = optimizer
        self._holder: Any = None  # the object that holds the attribute, found at initialize
        self._t: int | None = None

    @property
    def schedule(self) -> Schedule:
        """The schedule of multipliers."""
        return self._schedule

    @property
    def attr(self) -> str:
        """The optimizer attribute this extension sets."""
        return self._attr

    @property
    def base(self) -> float | None:
        """The value multiplied by the schedule; ``None`` until training starts if not given."""
        return self._base

    @property
    def t(self) -> int | None:
        """The step of the value set last, ``None`` before the first."""
        return self._t

    @property
    def default_name(self) -> str:
        """``schedcore_<attr>``, or ``schedcore_<optimizer>_<attr>`` for an optimizer given by name.

        Two extensions that set different attributes, or the same attribute of
        optimizers given by name, never share a name, so their snapshot entries stay
        apart whatever order they are registered in.
        """
        if isinstance(self._optimizer, str):
            return f"schedcore_{self._optimizer}_{self._attr}"
        return f"schedcore_{self._attr}"

    def initialize(self, trainer: Any) -> None:
        """Find the optimizer, resolve ``base`` and set the value for the current iteration.

        On a fresh trainer that is ``base * s(0)``; on a trainer resumed from a
        snapshot at iteration ``k`` it is ``base * s(k)``, with the ``base`` stored in
        the snapshot.

        Raises:
            ValueError: the optimizer is not one of the updater's, or has no such
                attribute (Adam's learning rate is ``alpha``).
            TypeError: ``base`` is ``None`` and the attribute is not a number.
        """
        self._holder = None
        self._resolve(trainer)

    def __call__(self, trainer: Any) -> None:
        """Set the value for the updates completed so far."""
        holder = self._holder
        if holder is None:
            holder = self._resolve(trainer)
        t = trainer.updater.iteration
        # The iteration count is a non-negative int, so the checks of ``schedule(t)``
        # are skipped (the compiled scalar function): they would double the cost of a call.
        base = cast(float, self._base)  # resolved with the holder
        setattr(holder, self._attr, base * self._schedule._scalar_function()(t))
        self._t = t

    def serialize(self, serializer: Any) -> None:
        """Store (or load) ``t`` and the resolved ``base``.

        After a resume, an extension built with ``base=None`` takes the stored base,
        not the optimizer's current (already scheduled) value.
        """
        t = serializer("t", self._t)
        self._t = None if t is None else int(t)
        base = serializer("base", self._base)
        if self._given_base is None:
            self._base = None if base is None else float(base)

    def _resolve(self, trainer: Any) -> Any:
        optimizer = _find_optimizer(trainer, self._optimizer)
        _check_attribute(optimizer, self._attr)
        if self._base is None:
            self._base = _checks.real(
                f"{type(optimizer).__name__}.{self._attr}", getattr(optimizer, self._attr)
            )
        self._holder = _holder(optimizer, self._attr)
        self(trainer)
        return self._holder


def wrap(
    schedule: Schedule, attr: str = "lr", *, base: float | None = None, optimizer: Any = None
) -> ScheduleShift:
    """Run ``schedule`` as a trainer extension that sets an optimizer attribute.

    After iteration ``k`` (``k`` completed updates), at ``initialize`` and after a
    snapshot is resumed, ``optimizer.<attr> == base * schedule(k)``: the first update
    uses ``schedule(0)``. Register it with ``trainer.extend(wrap(...))``.

    Args:
        schedule: The multipliers. For absolute values (``compat.chainer``) use
            ``base=1.0``; for an epoch-based schedule, :func:`per_epoch`.
        attr: The optimizer attribute: ``"lr"``, ``"momentum"``, Adam's ``"alpha"``,
            ``"beta1"``, ``"eps"``, ``"weight_decay_rate"``, ...
        base: The value ``schedule`` multiplies. ``None`` takes the attribute's value
            when training starts, and keeps it in snapshots, so a resumed run uses the
            same base rather than the optimizer's already scheduled value.
        optimizer: The optimizer to set: ``None`` for the updater's main optimizer,
            the name of another one (``"dis"``), or the optimizer object itself.

    Returns:
        A ``chainer.training.Extension`` with trigger ``(1, "iteration")``, priority
        ``PRIORITY_READER`` and default name ``schedcore_<attr>``.

    Raises:
        TypeError: ``schedule`` is not a schedule, ``attr`` is not a str, ``base`` is
            not a number, or ``optimizer`` is not an optimizer, a name or ``None``.
        ValueError: ``attr`` is not a Python name, ``base`` is not finite, or the
            optimizer object given has no hyperparameter ``attr``.

    Example:
        >>> from schedcore import adapters
        >>> shift = adapters.chainer.wrap(sc.multistep([30_000], gamma=0.1), "alpha", base=1e-3)
        >>> shift.default_name
        'schedcore_alpha'
    """
    if not isinstance(schedule, Schedule):
        raise TypeError(_checks.must_be("schedule", "a schedule", schedule, show_type=True))
    if not isinstance(attr, str):
        raise TypeError(_checks.must_be("attr", "the name of an optimizer attribute", attr, show_type=True))
    if not attr.isidentifier():
        raise ValueError(_checks.must_be("attr", "the name of an optimizer attribute", attr))
    if base is not None:
        base = _checks.real("base", base)
    if isinstance(optimizer, chainer.Optimizer):
        _check_attribute(optimizer, attr)
    elif optimizer is not None and not isinstance(optimizer, str):
        raise TypeError(
            _checks.must_be(
                "optimizer", "a chainer.Optimizer, the name of one, or None", optimizer, show_type=True
            )
        )
    return ScheduleShift(schedule, attr, base, optimizer)


def per_epoch(schedule: Schedule, source: Any, *, iterator: str = "main") -> Schedule:
    r"""Drive an epoch-based schedule every iteration, with the trainer's own epochs.

    Reads the dataset size :math:`N` and the batch size :math:`B` from the iterator
    and returns the schedule that sees :math:`\lfloor t B / N \rfloor`, the number of
    epochs Chainer's iterators count after :math:`t` updates: ``sc.per_epoch(schedule,
    N // B)`` when :math:`B` divides :math:`N`, else ``sc.per_sample(sc.per_epoch(schedule,
    N), B)`` (both reduced by their common divisor). So ``per_epoch(sc.multistep([30],
    gamma=0.1), trainer)`` drops exactly when ``trainer.updater.epoch`` reaches 30,
    also when the last batch of an epoch runs into the next one.

    Args:
        schedule: A schedule whose step is the number of completed epochs.
        source: A ``Trainer`` or an updater (its ``iterator`` is used), or the
            iterator itself: anything with ``dataset`` and ``batch_size``.
        iterator: The name of the updater's iterator.

    Returns:
        The schedule driven by the iteration count.

    Raises:
        TypeError: ``source`` has no iterator with ``dataset`` and ``batch_size``.
        ValueError: the dataset is empty.
    """
    updater = getattr(source, "updater", source)
    found = updater.get_iterator(iterator) if hasattr(updater, "get_iterator") else source
    dataset = getattr(found, "dataset", None)
    batch_size = getattr(found, "batch_size", None)
    if dataset is None or batch_size is None:
        raise TypeError(
            _checks.must_be(
                "source",
                "a Trainer, an updater or an iterator with dataset and batch_size",
                source,
                show_type=True,
            )
        )
    batch_size = _checks.length("batch_size", batch_size)
    size = len(dataset)
    if size == 0:
        raise ValueError("per_epoch needs a non-empty dataset, got one of length 0")
    common = math.gcd(size, batch_size)
    epochs = _per_epoch(schedule, size // common)
    return epochs if batch_size == common else per_sample(epochs, batch_size // common)


def _find_optimizer(trainer: Any, optimizer: Any) -> Any:
    if optimizer is None or isinstance(optimizer, str):
        name = optimizer or "main"
        optimizers = trainer.updater.get_all_optimizers()
        if name not in optimizers:
            known = ", ".join(repr(n) for n in sorted(optimizers))
            raise ValueError(f"optimizer must name one of the updater's optimizers ({known}), got {name!r}")
        return optimizers[name]
    return optimizer


def _holder(optimizer: Any, attr: str) -> Any:
    """The object to set ``attr`` on: the hyperparameters, when ``attr`` is an alias of one.

    ``optimizer.lr = v`` sets ``optimizer.hyperparam.lr`` through a
    ``HyperparameterProxy``; setting the hyperparameter directly does the same, faster.
    """
    proxy = getattr(type(optimizer), attr, None)
    hyperparam = getattr(optimizer, "hyperparam", None)
    if isinstance(proxy, chainer.optimizer.HyperparameterProxy) and attr in vars(hyperparam):
        return hyperparam
    return optimizer


def _check_attribute(optimizer: Any, attr: str) -> None:
    """Refuse an attribute that setting would silently add instead of change."""
    hyperparam = getattr(optimizer, "hyperparam", None)
    if hyperparam is not None:
        names = hyperparam.get_dict()
        ok = attr in names and hasattr(type(optimizer), attr)
    else:
        names = [name for name in vars(optimizer) if not name.startswith("_")]
        ok = hasattr(optimizer, attr)
    if not ok:
        known = ", ".join(sorted(names))
        raise ValueError(
            f"attr must be a hyperparameter of {type(optimizer).__name__} ({known}), got {attr!r}"
        )
