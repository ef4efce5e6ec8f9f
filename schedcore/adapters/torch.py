r"""Run schedcore schedules as PyTorch learning-rate schedulers.

:func:`wrap` returns a real :class:`torch.optim.lr_scheduler.LRScheduler`, so it works
wherever one is expected: a hand-written loop, ``ChainedScheduler``, ``SequentialLR``,
Lightning (``"interval": "step"``), the Hugging Face ``Trainer`` and accelerate. After
construction and ``k`` calls of ``step()``,

.. math::
    \texttt{group[key]} = b_g \, s_g(k)

for every param group :math:`g`, where :math:`b_g` is the group's base value and
:math:`s_g` its schedule. The value is computed from ``k`` each time (never by
multiplying the previous value), so it does not drift, and a resumed run continues with
exactly the values of the uninterrupted one.

The scheduler is built on the protocol PyTorch documents for subclasses, and on nothing
else of torch's: ``LRScheduler.__init__`` records ``initial_lr`` and takes the first
step; ``LRScheduler.step()`` advances ``last_epoch``, warns when it runs before
``optimizer.step()``, calls :meth:`Scheduler.get_lr` (``_get_closed_form_lr`` for the
deprecated ``step(epoch)`` and for ``SequentialLR``'s milestones) and writes the values
into ``group["lr"]``, filling a tensor in place. ``state_dict`` and ``load_state_dict``
are overridden, so that the state is plain data and is checked when it is loaded.
Supported: torch 2.13 (``pip install "schedcore[torch]"``), the version the tests run.

:func:`dampen` is the ``pytorch_warmup`` pattern: a multiplier applied on top of
whatever another scheduler sets, inside a ``with dampener.dampening():`` block.

Importing this module imports torch; without it, the ``ImportError`` says how to
install it (``pip install "schedcore[torch]"``).
"""

from __future__ import annotations

import contextlib
import math
import numbers
import warnings
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING, Any

from schedcore import _checks
from schedcore._base import Schedule
from schedcore.adapters import require

torch = require("torch", "torch")

if TYPE_CHECKING:
    from torch import Tensor
    from torch.optim import Optimizer
    from torch.optim.lr_scheduler import LRScheduler
else:
    Tensor = torch.Tensor
    Optimizer = torch.optim.Optimizer
    LRScheduler = torch.optim.lr_scheduler.LRScheduler

__all__ = ["Dampener", "Key", "Scheduler", "dampen", "wrap"]


#: A param-group hyperparameter: its name (``"lr"``, ``"momentum"``, ``"weight_decay"``),
#: or the name of a tuple hyperparameter and an index into it (``("betas", 0)``).
Key = str | tuple[str, int]

_OVERWRITTEN = (
    "param_groups[0]['lr'] is {found!r} at step {t}, not the {set!r} this scheduler set:"
    " another scheduler changed it, such as one of torch's chainable schedulers in the same"
    " ChainedScheduler. A schedcore scheduler sets base * s(t) outright, so it does not"
    " multiply with them: multiply the schedules instead and wrap the product,"
    " adapters.torch.wrap(optimizer, sc.compose(a, b)) (or a * b), with torch's shapes"
    " from schedcore.compat.torch."
)


# --- param-group access ---------------------------------------------------------------


def _check_key(key: object, name: str = "key") -> tuple[str, int | None]:
    if isinstance(key, str):
        return key, None
    if (
        isinstance(key, tuple)
        and len(key) == 2
        and isinstance(key[0], str)
        and isinstance(key[1], int)
        and not isinstance(key[1], bool)
    ):
        return key[0], key[1]
    raise TypeError(
        _checks.must_be(name, "a hyperparameter name or a (name, index) pair", key, show_type=True)
    )


def _key_text(name: str, index: int | None) -> str:
    return repr(name) if index is None else repr((name, index))


def _read(group: dict[str, Any], name: str, index: int | None, where: str) -> Any:
    """The hyperparameter ``name`` (element ``index`` of it) of a group, checked."""
    if name not in group:
        known = ", ".join(sorted(k for k in group if k != "params"))
        raise ValueError(f"{where} has no hyperparameter {name!r}; it has: {known}")
    value = group[name]
    if index is not None:
        if not isinstance(value, tuple | list) or not -len(value) <= index < len(value):
            raise ValueError(
                f"key {(name, index)!r} needs {where}[{name!r}] to be a tuple with an element"
                f" {index}, got {_checks.describe(value)}"
            )
        value = value[index]
    if not isinstance(value, Tensor) and not (
        isinstance(value, numbers.Real) and not isinstance(value, bool)
    ):
        raise TypeError(
            _checks.must_be(
                f"{where}[{_key_text(name, index)}]", "a number or a tensor", value, show_type=True
            )
        )
    return value


def _write(group: dict[str, Any], name: str, index: int | None, value: float) -> None:
    """Set a group's hyperparameter; a tensor is filled in place, a tuple is rebuilt."""
    if index is None:
        current = group[name]
        if isinstance(current, Tensor):
            current.fill_(value)
        else:
            group[name] = value
        return
    items = group[name]
    current = items[index]
    if isinstance(current, Tensor):
        current.fill_(value)
    else:
        replaced = list(items)
        replaced[index] = value
        group[name] = type(items)(replaced)


def _as_float(value: Any) -> float:
    return float(value.item()) if isinstance(value, Tensor) else float(value)


def _copy(value: Any) -> Any:
    """A copy that does not alias the group's tensor (as PyTorch's ``get_last_lr``)."""
    return value.detach().clone() if isinstance(value, Tensor) else value


def _schedules(schedule: object, count: int) -> tuple[Schedule, ...]:
    if isinstance(schedule, Schedule):
        return (schedule,) * count
    if not isinstance(schedule, list | tuple):
        raise TypeError(
            _checks.must_be("schedule", "a schedule or a list of schedules", schedule, show_type=True)
        )
    if len(schedule) != count:
        raise ValueError(
            f"schedule is a list of {len(schedule)} schedule{'s' if len(schedule) != 1 else ''}, but the"
            f" optimizer has {count}"
            f" param group{'s' if count != 1 else ''}; pass one schedule per group, or a single schedule"
        )
    for i, item in enumerate(schedule):
        if not isinstance(item, Schedule):
            raise TypeError(_checks.must_be(f"schedule[{i}]", "a schedule", item, show_type=True))
    return tuple(schedule)


def _base(name: str, value: object) -> float:
    """A base value: torch's optimizers refuse negative hyperparameters, and so does this."""
    return _checks.real(name, value, at_least=0)


def _bases(base: object, count: int) -> list[float] | None:
    if base is None:
        return None
    if isinstance(base, list | tuple):
        if len(base) != count:
            raise ValueError(
                f"base is a list of {len(base)} value{'s' if len(base) != 1 else ''}, but the optimizer"
                f" has {count} param group{'s' if count != 1 else ''}"
            )
        return [_base(f"base[{i}]", b) for i, b in enumerate(base)]
    return [_base("base", base)] * count


def _check_optimizer(optimizer: object) -> Optimizer:
    if not isinstance(optimizer, Optimizer):
        raise TypeError(_checks.must_be("optimizer", "a torch.optim.Optimizer", optimizer, show_type=True))
    return optimizer


def _check_groups(optimizer: Optimizer, expected: int, kind: str) -> None:
    found = len(optimizer.param_groups)
    if found != expected:
        raise ValueError(
            f"the optimizer has {found} param groups, but this {kind} was built for {expected};"
            f" build a new {kind} after add_param_group()"
        )


# --- the scheduler ----------------------------------------------------------------------


class Scheduler(LRScheduler):
    r"""A PyTorch scheduler that sets ``group[key] = base * schedule(t)``; built by :func:`wrap`.

    ``last_epoch`` is the step :math:`t` (the number of ``step()`` calls since
    construction, plus ``last_step + 1``); ``base_lrs`` holds each group's base value
    for ``key`` (the learning rate for the default ``key="lr"``); ``get_last_lr()``
    returns the groups' current values for ``key``, as copies.

    The schedule is a closed form of the step, so there is no state besides the step
    and the bases: :meth:`state_dict` is plain data, and :meth:`load_state_dict` checks
    it and sets the values of the loaded step at once.
    """

    def __init__(
        self,
        optimizer: Optimizer,
        schedules: Sequence[Schedule],
        *,
        key: Key = "lr",
        base: Sequence[float] | None = None,
        last_step: int = -1,
    ) -> None:
        name, index = _check_key(key)
        self._key: Key = key
        self._name = name
        self._index = index
        self._is_lr = name == "lr" and index is None
        self._schedules = tuple(schedules)
        bases = self._initial_bases(optimizer, base, last_step)
        self._bases = bases
        self._find_functions()
        # The value last set in group 0, to notice another scheduler's writes.
        self._set: Any = optimizer.param_groups[0]["lr"]
        self._warned = False
        if last_step >= 0:
            # LRScheduler.__init__ resumes from each group's "initial_lr" and refuses a
            # group without one. A scheduler given its bases has none to read: record them
            # (for another key, the lr as it is, which is what torch records at a start).
            for g, group in enumerate(optimizer.param_groups):
                group.setdefault("initial_lr", bases[g] if self._is_lr else _copy(group["lr"]))
        super().__init__(optimizer, last_epoch=last_step)  # takes the first step, through get_lr
        self.base_lrs: list[float | Tensor] = list(bases)  # torch's name, for readers

    def _initial_bases(
        self, optimizer: Optimizer, base: Sequence[float] | None, last_step: int
    ) -> list[float]:
        """Each group's base: ``base``, or the value recorded in ``initial_<name>``."""
        name, index = self._name, self._index
        remember = f"initial_{name}"
        bases: list[float] = []
        for g, group in enumerate(optimizer.param_groups):
            where = f"param_groups[{g}]"
            _read(group, name, index, where)  # the group must have the hyperparameter
            if last_step == -1:
                # Kept in the group (as torch's "initial_lr"), so later schedulers and
                # SequentialLR agree on the base; an existing record wins, as in torch.
                group.setdefault(remember, _copy(group[name]) if index is None else tuple(group[name]))
            if base is not None:
                bases.append(float(base[g]))
                continue
            if remember not in group:
                raise ValueError(
                    f"last_step={last_step} resumes a run, which takes the base value from"
                    f" {where}[{remember!r}], but there is none: load the optimizer's state"
                    " first, or pass base="
                )
            recorded = group[remember]
            bases.append(_as_float(recorded if index is None else recorded[index]))
        return bases

    def _find_functions(self) -> None:
        # Each schedule's compiled scalar function, called with last_epoch, an int >= 0 by
        # construction, so Schedule.__call__'s check of the step would only cost time.
        # One schedule for every group (the common case) is evaluated once per step.
        first = self._schedules[0]
        self._shared = all(s is first for s in self._schedules)
        self._single = len(self._schedules) == 1
        self._one = self._shared and self._is_lr
        self._function: Callable[[Any], float] = first._scalar_function()
        self._functions = tuple(s._scalar_function() for s in self._schedules)

    # --- the subclass protocol: values for the step last_epoch ---------------------------

    def _values(self, t: int) -> list[float]:
        if self._shared:
            multiplier = self._function(t)
            return [b * multiplier for b in self._bases]
        return [b * f(t) for b, f in zip(self._bases, self._functions, strict=True)]

    def get_lr(self) -> list[float | Tensor]:
        """Return ``base * schedule(last_epoch)`` for every group; called by ``step()``.

        For ``key="lr"``, ``LRScheduler.step()`` writes these values into the groups. For
        another key, this sets ``group[key]`` itself (as torch's ``OneCycleLR`` sets the
        momentum) and returns the groups' learning rates unchanged. It warns, once, when
        another scheduler has changed the learning rate since the last step (see
        :func:`wrap`). To read the values in use, call :meth:`get_last_lr`.
        """
        t = self.last_epoch
        if not self._one:
            values = self._values(t)
            if not self._is_lr:
                return self._set_other_key(values)
        else:  # the common case, at every step: one group, or one schedule for all, and "lr"
            values = [self._bases[0] * self._function(t)] if self._single else self._values(t)
        groups = self.optimizer.param_groups
        found = groups[0]["lr"]
        if found is not self._set:  # step() wrote the very float returned last time, or a tensor
            self._notice(found, t)
        if len(groups) != len(values):
            _check_groups(self.optimizer, len(values), "scheduler")
        self._set = values[0]
        return values  # type: ignore[return-value]

    def _notice(self, found: Any, t: int) -> None:
        """Warn, once, when another scheduler wrote the learning rate since the last step.

        A float the scheduler did not set (a loaded optimizer state holds the same value)
        means another scheduler wrote it. ``t == 0`` is the first step, also the one
        ``SequentialLR`` takes after resetting the learning rates; a tensor is filled in
        place and is not read (that would wait for the device).
        """
        if type(found) is float and found != self._set and t > 0 and not self._warned:
            self._warned = True
            warnings.warn(_OVERWRITTEN.format(found=found, t=t, set=self._set), UserWarning, stacklevel=5)

    def _get_closed_form_lr(self) -> list[float | Tensor]:
        # What step(epoch) and SequentialLR (at a milestone) call after setting last_epoch.
        t = self.last_epoch
        if isinstance(t, bool) or not isinstance(t, int) or t < 0:
            raise ValueError(_checks.must_be("epoch", "an int >= 0", t))
        values = self._values(t)
        if not self._is_lr:
            return self._set_other_key(values)
        self._set = values[0]
        return values  # type: ignore[return-value]

    def _set_other_key(self, values: list[float]) -> list[float | Tensor]:
        groups = self.optimizer.param_groups
        _check_groups(self.optimizer, len(self._bases), "scheduler")
        for group, value in zip(groups, values, strict=True):
            _write(group, self._name, self._index, value)
        return [group["lr"] for group in groups]  # step() writes them back unchanged

    def get_last_lr(self) -> list[float | Tensor]:
        """Return each group's current value for ``key``: copies, never the group's tensors."""
        return [
            _copy(_read(group, self._name, self._index, f"param_groups[{g}]"))
            for g, group in enumerate(self.optimizer.param_groups)
        ]

    # --- checkpoints ------------------------------------------------------------------

    def state_dict(self) -> dict[str, Any]:
        """Return the scheduler's state: plain data, no schedule and no optimizer.

        It holds ``key``, ``last_epoch`` and ``base_lrs``, and loads with
        ``torch.load(..., weights_only=True)``.
        """
        return {"key": self._key, "last_epoch": self.last_epoch, "base_lrs": list(self._bases)}

    def load_state_dict(self, state_dict: dict[str, Any]) -> None:
        """Load a state from :meth:`state_dict` and set the loaded step's values at once.

        The optimizer's state may be loaded before or after: either way the next
        update uses the value the saved run would have used. The state is checked
        first; a bad one changes neither the scheduler nor the optimizer.

        Raises:
            TypeError: the state or one of its entries has the wrong type.
            ValueError: the state is for another key or another number of param groups,
                misses an entry, has an unknown one, or holds a step below -1 or a base
                that is not a finite number >= 0.
        """
        entries = _state_entries(state_dict, self, ("last_epoch", "base_lrs"), _LEGACY_ENTRIES)
        t = _checks.length("state_dict['last_epoch']", entries["last_epoch"], minimum=-1)
        bases = [
            _base(f"state_dict['base_lrs'][{i}]", b)
            for i, b in enumerate(_per_group(entries, "base_lrs", self, "base value"))
        ]
        self._bases = bases
        self.base_lrs = list(bases)
        self.last_epoch = t
        if t == -1:
            return  # a scheduler SequentialLR has not started yet: it sets nothing
        values = self._values(t)
        for group, value in zip(self.optimizer.param_groups, values, strict=True):
            _write(group, self._name, self._index, value)
        self._set = values[0]

    # --- the rest ---------------------------------------------------------------------

    def __getstate__(self) -> dict[str, Any]:
        # The compiled scalar functions are rebuilt on unpickling (they cannot be pickled).
        state = dict(self.__dict__)
        del state["_function"], state["_functions"]
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        self._find_functions()

    @property
    def key(self) -> Key:
        """The hyperparameter this scheduler sets."""
        return self._key

    @property
    def schedules(self) -> tuple[Schedule, ...]:
        """The schedule of each param group."""
        return self._schedules

    def __repr__(self) -> str:
        shown = repr(self._schedules[0]) if self._shared else repr(list(self._schedules))
        return f"<schedcore Scheduler key={self._key!r} t={self.last_epoch} schedule={shown}>"


def wrap(
    optimizer: Optimizer,
    schedule: Schedule | Sequence[Schedule],
    *,
    key: Key = "lr",
    base: float | Sequence[float] | None = None,
    last_step: int = -1,
) -> Scheduler:
    r"""Drive a param-group hyperparameter of ``optimizer`` with a schedule.

    .. math::
        \texttt{group[key]} = b_g \, s_g(t)

    where :math:`t` is ``last_epoch``: ``last_step + 1`` at construction, plus one per
    ``step()``, so with the default ``last_step=-1`` the first update uses
    :math:`s(0)`. Call ``scheduler.step()`` after ``optimizer.step()``, once per update.

    Args:
        optimizer: A ``torch.optim.Optimizer``.
        schedule: One schedule for every param group, or a list with one per group.
        key: The hyperparameter to set: ``"lr"``, ``"momentum"``, ``"weight_decay"``, any
            other key of the param groups, or ``(name, index)`` for an element of a tuple
            hyperparameter, e.g. ``("betas", 0)`` for Adam's :math:`\beta_1`. A tensor
            value is filled in place (capturable and compiled optimizers keep their
            tensor, and a ``torch.compile``\ d step is not recompiled).
        base: :math:`b_g`. ``None`` takes each group's value at construction and keeps
            it in the group as ``initial_<name>`` (``initial_lr``, ``initial_momentum``;
            for ``("betas", 0)`` the whole tuple, as ``initial_betas``); a value already
            recorded there by an earlier scheduler is used instead, as PyTorch does. A
            number (finite, ``>= 0``) applies to every group; a list gives one per group.
            Use ``base=1.0`` for schedules stated in absolute values, and pass the base
            when the group holds a float32 tensor (``base=None`` would read it rounded).
        last_step: The last step already taken, as PyTorch's ``last_epoch``: ``-1`` starts
            a new run. A value ``k >= 0`` starts at step ``k + 1``; with ``base=None`` it
            needs the ``initial_<name>`` recorded in the groups (load the optimizer's
            state first). Usually :meth:`Scheduler.load_state_dict` is simpler.

    Returns:
        A :class:`Scheduler`, a real ``torch.optim.lr_scheduler.LRScheduler``: it works in
        ``ChainedScheduler``, ``SequentialLR``, Lightning and the Hugging Face ``Trainer``.
        It sets its value outright: beside torch's chainable schedulers (which multiply the
        value they find) in one ``ChainedScheduler`` it would undo their factors, so it
        warns once when it finds the learning rate changed by another scheduler;
        multiply the schedules instead (``sc.compose``, ``*``).

    Raises:
        TypeError: ``optimizer`` is not an optimizer, ``schedule`` not a schedule or a
            list of them, ``key`` not a name or a ``(name, index)`` pair, or ``base``
            not a number or a list of numbers.
        ValueError: a list has the wrong length, a group lacks the hyperparameter, a
            base is not finite or below 0, or ``last_step`` is below -1.

    Example:
        >>> import torch
        >>> from schedcore import adapters
        >>> opt = torch.optim.SGD([torch.nn.Parameter(torch.zeros(2))], lr=0.1)
        >>> scheduler = adapters.torch.wrap(opt, sc.warmup(4) * sc.multistep([6], gamma=0.1))
        >>> lrs = []
        >>> for _ in range(8):
        ...     lrs.append(opt.param_groups[0]["lr"])  # the value this update uses
        ...     opt.step()
        ...     scheduler.step()
        >>> [round(lr, 6) for lr in lrs]
        [0.0, 0.025, 0.05, 0.075, 0.1, 0.1, 0.01, 0.01]
    """
    optimizer = _check_optimizer(optimizer)
    count = len(optimizer.param_groups)
    schedules = _schedules(schedule, count)
    _check_key(key)
    bases = _bases(base, count)
    start = _checks.length("last_step", last_step, minimum=-1)
    return Scheduler(optimizer, schedules, key=key, base=bases, last_step=start)


# --- dampening ------------------------------------------------------------------------


class Dampener:
    r"""Multiplies a schedule onto whatever other schedulers set; built by :func:`dampen`.

    Use it as ``pytorch_warmup``'s warmup schedulers::

        optimizer.step()
        with dampener.dampening():
            lr_scheduler.step()  # any scheduler(s), or none

    Entering the block restores each group's undampened value, so the schedulers inside
    see their own values; leaving it records the new undampened values and multiplies
    them by :math:`s(t)`. ``last_step`` is the step :math:`t` of the factor in use.
    """

    def __init__(
        self, optimizer: Optimizer, schedules: Sequence[Schedule], *, key: Key, last_step: int
    ) -> None:
        self.optimizer = optimizer
        self._key = key
        self._name, self._index = _check_key(key)
        self._schedules = tuple(schedules)
        self.last_step = last_step
        self._undampened = self._record()
        self._dampen()

    def _record(self) -> list[Any]:
        return [
            _copy(_read(group, self._name, self._index, f"param_groups[{g}]"))
            for g, group in enumerate(self.optimizer.param_groups)
        ]

    def _restore(self) -> None:
        for group, value in zip(self.optimizer.param_groups, self._undampened, strict=True):
            if isinstance(value, Tensor):
                _read(group, self._name, self._index, "").copy_(value)
            else:
                _write(group, self._name, self._index, value)

    def _dampen(self) -> None:
        self.last_step += 1
        t = self.last_step
        groups = self.optimizer.param_groups
        _check_groups(self.optimizer, len(self._schedules), "dampener")
        for group, value, schedule in zip(groups, self._undampened, self._schedules, strict=True):
            factor = schedule(t)
            if isinstance(value, Tensor):
                target = _read(group, self._name, self._index, "")
                target.copy_(value)
                target.mul_(factor)
            else:
                _write(group, self._name, self._index, value * factor)

    @contextlib.contextmanager
    def dampening(self) -> Iterator[None]:
        """Run schedulers on the undampened values, then dampen with the next factor."""
        self._restore()
        yield
        self._undampened = self._record()
        self._dampen()

    def factors(self) -> list[float]:
        """The factor each group's value is multiplied by now, :math:`s(t)`."""
        return [s(self.last_step) for s in self._schedules]

    def state_dict(self) -> dict[str, Any]:
        """Return the state: the step and the undampened values; plain data."""
        return {
            "key": self._key,
            "last_step": self.last_step,
            "undampened": [_copy(v) for v in self._undampened],
        }

    def load_state_dict(self, state_dict: dict[str, Any]) -> None:
        """Load a state from :meth:`state_dict` and dampen the loaded values at once.

        The state is checked first; a bad one changes neither the dampener nor the
        optimizer.

        Raises:
            TypeError: the state or one of its entries has the wrong type.
            ValueError: the state is for another key or another number of param groups,
                misses an entry, has an unknown one, or holds a step below 0 or a value
                that is not a finite number >= 0.
        """
        entries = _state_entries(state_dict, self, ("last_step", "undampened"), ())
        t = _checks.length("state_dict['last_step']", entries["last_step"], minimum=0)
        undampened = [
            _undampened(f"state_dict['undampened'][{i}]", v)
            for i, v in enumerate(_per_group(entries, "undampened", self, "value"))
        ]
        self._undampened = undampened
        self.last_step = t - 1
        self._dampen()

    def __repr__(self) -> str:
        return (
            f"<schedcore Dampener key={self._key!r} t={self.last_step} schedules={list(self._schedules)!r}>"
        )


def dampen(
    optimizer: Optimizer,
    schedule: Schedule | Sequence[Schedule],
    *,
    key: Key = "lr",
    last_step: int = -1,
) -> Dampener:
    r"""Multiply a schedule onto the value other schedulers set (``pytorch_warmup``'s pattern).

    .. math::
        \texttt{group[key]} = v_g \, s_g(t)

    where :math:`v_g` is the value the group would have without the dampener (what the
    other schedulers set, or the constant value when there is none) and :math:`t` is
    ``last_step + 1`` at construction, plus one per ``dampening()`` block. Build it
    after the other schedulers, and step them inside its block::

        scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=10_000)
        warmup = adapters.torch.dampen(optimizer, compat.pytorch_warmup.LinearWarmup(2_000))
        for batch in loader:
            ...
            optimizer.step()
            with warmup.dampening():
                scheduler.step()

    Args:
        optimizer: A ``torch.optim.Optimizer``.
        schedule: The factor, one schedule for every group or a list with one per group;
            ``schedcore.compat.pytorch_warmup`` builds ``pytorch_warmup``'s.
        key: The hyperparameter to dampen, as in :func:`wrap`.
        last_step: The last step already taken; ``-1`` starts a new run.

    Returns:
        A :class:`Dampener`, with ``dampening()``, ``state_dict()`` and
        ``load_state_dict()``.

    Raises:
        TypeError: an argument has the wrong type (see :func:`wrap`).
        ValueError: a list has the wrong length, or a group lacks the hyperparameter.

    Example:
        >>> import torch
        >>> from schedcore import adapters
        >>> opt = torch.optim.SGD([torch.nn.Parameter(torch.zeros(2))], lr=0.1)
        >>> warmup = adapters.torch.dampen(opt, sc.warmup(2, start=0.5))
        >>> lrs = []
        >>> for _ in range(3):
        ...     lrs.append(opt.param_groups[0]["lr"])
        ...     opt.step()
        ...     with warmup.dampening():
        ...         pass  # other schedulers step here
        >>> [round(lr, 6) for lr in lrs]
        [0.05, 0.075, 0.1]
    """
    optimizer = _check_optimizer(optimizer)
    schedules = _schedules(schedule, len(optimizer.param_groups))
    _check_key(key)
    start = _checks.length("last_step", last_step, minimum=-1)
    return Dampener(optimizer, schedules, key=key, last_step=start)


# --- loading a state ---------------------------------------------------------------------

# Entries that states saved by schedcore 0.1's scheduler also hold; they are not needed.
_LEGACY_ENTRIES = ("_step_count", "_last_lr")


def _state_entries(
    state_dict: object, owner: Scheduler | Dampener, required: tuple[str, ...], ignored: tuple[str, ...]
) -> dict[str, Any]:
    """The entries of a saved state, once it is known to be one of ``owner``'s kind and key.

    Raises:
        TypeError: the state is not a dict, or its key is not a key.
        ValueError: an entry is missing or unknown, or the state is for another key.
    """
    kind = type(owner).__name__
    if not isinstance(state_dict, dict):
        raise TypeError(
            _checks.must_be("state_dict", f"a dict from {kind}.state_dict()", state_dict, show_type=True)
        )
    known = ("key", *required)
    unknown = sorted(str(k) for k in state_dict if k not in known and k not in ignored)
    if unknown:
        raise ValueError(
            f"state_dict has an unknown entry {unknown[0]!r}; a {kind} state has {', '.join(known)}"
        )
    for name in required:
        if name not in state_dict:
            present = ", ".join(repr(k) for k in state_dict) or "nothing"
            raise ValueError(
                f"state_dict has no {name!r} entry (a {kind} state has {', '.join(known)}); it has {present}"
            )
    key = state_dict.get("key", "lr")
    if isinstance(key, list):
        key = tuple(key)  # a key saved as JSON
    _check_key(key, "state_dict['key']")
    if key != owner._key:
        raise ValueError(f"the state is for key={key!r}, but this {kind.lower()} sets key={owner._key!r}")
    return state_dict


def _per_group(entries: dict[str, Any], name: str, owner: Scheduler | Dampener, what: str) -> list[Any]:
    """The per-group list saved under ``name``, checked against the optimizer's groups."""
    values = entries[name]
    if not isinstance(values, list | tuple):
        raise TypeError(_checks.must_be(f"state_dict[{name!r}]", "a list", values, show_type=True))
    groups = len(owner.optimizer.param_groups)
    if len(values) != groups:
        plural = "s" if len(values) != 1 else ""
        raise ValueError(
            f"the state has {len(values)} {what}{plural}, but the optimizer has {groups} param groups"
        )
    return list(values)


def _undampened(name: str, value: object) -> Any:
    """A saved undampened value: a number, or a one-element tensor, finite and >= 0."""
    if isinstance(value, Tensor):
        if value.numel() != 1 or not math.isfinite(float(value)) or float(value) < 0:
            raise ValueError(_checks.must_be(name, "a finite number >= 0", value))
        return _copy(value)
    return _base(name, value)
