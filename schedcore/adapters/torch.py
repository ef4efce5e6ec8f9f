r"""Run schedcore schedules as PyTorch learning-rate schedulers.

:func:`wrap` returns a real :class:`torch.optim.lr_scheduler.LRScheduler`, so it works
wherever one is expected: a hand-written loop, ``ChainedScheduler``, ``SequentialLR``,
Lightning (``"interval": "step"``) and the Hugging Face ``Trainer``. After construction
and ``k`` calls of ``step()``,

.. math::
    \texttt{group[key]} = b_g \, s_g(k)

for every param group :math:`g`, where :math:`b_g` is the group's base value and
:math:`s_g` its schedule. The value is computed from ``k`` each time (never by
multiplying the previous value), so it does not drift, and a resumed run continues with
exactly the values of the uninterrupted one.

:func:`dampen` is the ``pytorch_warmup`` pattern: a multiplier applied on top of
whatever another scheduler sets, inside a ``with dampener.dampening():`` block.

Importing this module imports torch; without it, the ``ImportError`` says how to
install it (``pip install "schedcore[torch]"``).
"""

from __future__ import annotations

import contextlib
import functools
import numbers
import warnings
import weakref
from collections.abc import Iterator, Sequence
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

# The first sentence matches PyTorch's own warning, so filters written for it apply.
_EARLY_STEP = (
    "Detected call of `lr_scheduler.step()` before `optimizer.step()`. The first scheduler"
    " step moves the schedule from t=0 to t=1, so the update at t=0 would be skipped: call"
    " optimizer.step() first, then scheduler.step()."
)
_REPLACED_STEP = (
    "optimizer.step was replaced after the learning rate scheduler was created, so the"
    " scheduler cannot check that optimizer.step() runs before scheduler.step()."
)
_GET_LR_OUTSIDE_STEP = "get_lr() computes a new value; to read the value in use, call get_last_lr()."
_EPOCH_ARGUMENT = (
    "scheduler.step(epoch) is deprecated in PyTorch; schedcore sets the step to `epoch`"
    " (the schedule is a closed form, so this is exact), but prefer scheduler.step()."
)


# --- param-group access ---------------------------------------------------------------


def _check_key(key: object) -> tuple[str, int | None]:
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
        _checks.must_be("key", "a hyperparameter name or a (name, index) pair", key, show_type=True)
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


def _bases(base: object, count: int) -> list[float] | None:
    if base is None:
        return None
    if isinstance(base, list | tuple):
        if len(base) != count:
            raise ValueError(
                f"base is a list of {len(base)} value{'s' if len(base) != 1 else ''}, but the optimizer"
                f" has {count} param group{'s' if count != 1 else ''}"
            )
        return [_checks.real(f"base[{i}]", b) for i, b in enumerate(base)]
    return [_checks.real("base", base)] * count


def _check_optimizer(optimizer: object) -> Optimizer:
    if not isinstance(optimizer, Optimizer):
        raise TypeError(_checks.must_be("optimizer", "a torch.optim.Optimizer", optimizer, show_type=True))
    return optimizer


def _watch_optimizer_steps(optimizer: Optimizer) -> None:
    """Make ``optimizer.step()`` leave a mark, as PyTorch's own schedulers do.

    PyTorch's schedulers warn when their ``step()`` runs before any ``optimizer.step()``.
    They find out through a replacement of ``optimizer.step`` that sets
    ``optimizer._opt_called``, itself marked ``_wrapped_by_lr_sched``. This installs the
    same marks (once per optimizer, shared with PyTorch's schedulers), so the warning
    behaves identically whichever scheduler was created first.
    """
    bound = optimizer.step
    method = getattr(bound, "__func__", None)
    if hasattr(bound, "_wrapped_by_lr_sched") or method is None:
        return  # already marked, or not a method: then the warning says it was replaced
    owner = weakref.ref(optimizer)

    @functools.wraps(method)
    def step_and_mark(*args: Any, **kwargs: Any) -> Any:
        target = owner()
        target._opt_called = True  # type: ignore[union-attr]
        return method(target, *args, **kwargs)

    step_and_mark._wrapped_by_lr_sched = True  # type: ignore[attr-defined]
    optimizer.step = step_and_mark  # type: ignore[method-assign]


def _warn_about_step_order(optimizer: Optimizer) -> None:
    if not hasattr(optimizer.step, "_wrapped_by_lr_sched"):
        warnings.warn(_REPLACED_STEP, UserWarning, stacklevel=3)
    elif not getattr(optimizer, "_opt_called", False):
        warnings.warn(_EARLY_STEP, UserWarning, stacklevel=3)


# --- the scheduler ----------------------------------------------------------------------


class Scheduler(LRScheduler):
    r"""A PyTorch scheduler that sets ``group[key] = base * schedule(t)``; built by :func:`wrap`.

    ``last_epoch`` is the step :math:`t` (the number of ``step()`` calls since
    construction, plus ``last_step + 1``); ``base_lrs`` holds each group's base value
    for ``key`` (the learning rate for the default ``key="lr"``); ``get_last_lr()``
    returns the values last set, for ``key``.

    The schedule is a closed form of the step, so there is no state besides the step
    and the bases: :meth:`state_dict` is plain data, and :meth:`load_state_dict` sets
    the values of the loaded step at once.
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
        # LRScheduler.__init__ is not called: it would record and set "lr" whatever the
        # key, and take a full step() through get_lr. Everything it sets is set here.
        self.optimizer = optimizer
        name, index = _check_key(key)
        self._key: Key = key
        self._name = name
        self._index = index
        self._schedules = tuple(schedules)
        # One schedule for every group (the common case) is evaluated once per step.
        self._shared = all(s is self._schedules[0] for s in self._schedules)
        self._plain = self._shared and index is None
        groups = optimizer.param_groups
        remember = f"initial_{name}"
        bases: list[float] = []
        for g, group in enumerate(groups):
            where = f"param_groups[{g}]"
            _read(group, name, index, where)  # the group must have the hyperparameter
            if last_step == -1:
                # Kept in the group (as torch's "initial_lr"), so later schedulers and
                # SequentialLR agree on the base; an existing record wins, as in torch.
                group.setdefault(remember, _copy(group[name]) if index is None else tuple(group[name]))
            if base is None:
                if remember not in group:
                    raise ValueError(
                        f"last_step={last_step} resumes a run, which takes the base value from"
                        f" {where}[{remember!r}], but there is none: load the optimizer's state"
                        " first, or pass base="
                    )
                recorded = group[remember]
                initial = recorded if index is None else recorded[index]
                bases.append(_as_float(initial))
            else:
                bases.append(float(base[g]))
        self.base_lrs: list[float] = bases  # type: ignore[assignment]
        self.last_epoch = last_step
        self._last_lr: list[float | Tensor] = []
        _watch_optimizer_steps(optimizer)
        self._initial_step()

    # --- stepping ---------------------------------------------------------------------

    def step(self, epoch: int | None = None) -> None:
        """Advance to the next step and set ``group[key] = base * schedule(t)``.

        Call it after ``optimizer.step()``. As with PyTorch's schedulers, a first
        ``step()`` before any ``optimizer.step()`` warns, since it skips ``t = 0``.

        Args:
            epoch: Deprecated by PyTorch; sets the step to ``epoch`` instead of
                advancing it (exact here, since the schedule is a closed form).
        """
        # A lean step(): LRScheduler.step's bookkeeping costs more than the schedule.
        # The observable state (last_epoch, _step_count, _last_lr, the order warning)
        # is the same as after PyTorch's.
        if self._step_count == 1:
            _warn_about_step_order(self.optimizer)
        self._step_count += 1
        if epoch is None:
            self.last_epoch += 1
        else:
            warnings.warn(_EPOCH_ARGUMENT, UserWarning, stacklevel=2)
            self._set_step(epoch)
        self._apply()

    def _update_lr(self, epoch: int | None = None) -> None:
        # What SequentialLR calls, with epoch=0, to start this scheduler at a milestone.
        if epoch is None:
            self.last_epoch += 1
        else:
            self._set_step(epoch)
        self._apply()

    def _set_step(self, epoch: object) -> None:
        if isinstance(epoch, bool) or not isinstance(epoch, int) or epoch < 0:
            raise ValueError(_checks.must_be("epoch", "an int >= 0", epoch))
        self.last_epoch = epoch

    def _values(self) -> list[float]:
        t = self.last_epoch
        if self._shared:
            multiplier = self._schedules[0](t)
            return [b * multiplier for b in self.base_lrs]  # type: ignore[operator]
        return [b * s(t) for b, s in zip(self.base_lrs, self._schedules, strict=True)]  # type: ignore[operator]

    def _apply(self) -> None:
        """Set every group's value for step ``last_epoch``."""
        groups = self.optimizer.param_groups
        bases = self.base_lrs
        if len(groups) != len(bases):
            raise ValueError(
                f"the optimizer has {len(groups)} param groups, but this scheduler was built for"
                f" {len(bases)}; build a new scheduler after add_param_group()"
            )
        # The schedules are evaluated by their compiled scalar function: t is an int >= 0
        # by construction, so Schedule.__call__'s checks would only cost time. The
        # function is looked up at each step rather than kept here, so that the
        # scheduler stays picklable.
        t = self.last_epoch
        if self._plain:  # the common case, at every step: one schedule, float values
            multiplier = self._schedules[0]._scalar_function()(t)
            name = self._name
            values: list[Any] = []
            for g, group in enumerate(groups):
                if type(group[name]) is not float and isinstance(group[name], Tensor):
                    break
                value = bases[g] * multiplier
                group[name] = value
                values.append(value)
            else:
                self._last_lr = values
                return
        self._apply_to_any(t)

    def _apply_to_any(self, t: int) -> None:
        """:meth:`_apply` for tensors, tuple elements and one schedule per group."""
        groups, bases, schedules = self.optimizer.param_groups, self.base_lrs, self._schedules
        name, index = self._name, self._index
        values: list[Any] = []
        copies = False
        for g, group in enumerate(groups):
            value = bases[g] * schedules[g]._scalar_function()(t)
            _write(group, name, index, value)
            copies = copies or isinstance(_read(group, name, index, ""), Tensor)
            values.append(value)
        if copies:  # as PyTorch's: tensors for tensor values, never aliasing the group's
            values = [_copy(_read(group, name, index, "")) for group in groups]
        self._last_lr = values

    def get_lr(self) -> list[float | Tensor]:
        """Return ``base * schedule(last_epoch)`` for every group (warns outside ``step()``).

        To read the values in use, call :meth:`get_last_lr` instead.
        """
        if not self._get_lr_called_within_step:
            warnings.warn(_GET_LR_OUTSIDE_STEP, UserWarning, stacklevel=2)
        return list(self._values())

    def _get_closed_form_lr(self) -> list[float]:
        return self._values()

    # --- checkpoints ------------------------------------------------------------------

    def state_dict(self) -> dict[str, Any]:
        """Return the scheduler's state: plain data, no schedule and no optimizer.

        It loads with ``torch.load(..., weights_only=True)``.
        """
        return {
            "key": self._key,
            "last_epoch": self.last_epoch,
            "_step_count": self._step_count,
            "base_lrs": list(self.base_lrs),
            "_last_lr": [_copy(value) for value in self._last_lr],
        }

    def load_state_dict(self, state_dict: dict[str, Any]) -> None:
        """Load a state from :meth:`state_dict` and set the loaded step's values at once.

        The optimizer's state may be loaded before or after: either way the next
        update uses the value the saved run would have used.

        Raises:
            ValueError: the state is for another key or another number of param groups.
        """
        bases = [float(b) for b in _saved_values(state_dict, "base_lrs", self, "scheduler")]
        self.base_lrs = bases  # type: ignore[assignment]
        self.last_epoch = int(state_dict["last_epoch"])
        self._step_count = int(state_dict.get("_step_count", self._step_count))
        self._apply()

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
            number applies to every group; a list gives one per group. Use ``base=1.0``
            for schedules stated in absolute values.
        last_step: The last step already taken, as PyTorch's ``last_epoch``: ``-1`` starts
            a new run. A value ``k >= 0`` starts at step ``k + 1``; with ``base=None`` it
            needs the ``initial_<name>`` recorded in the groups (load the optimizer's
            state first). Usually :meth:`Scheduler.load_state_dict` is simpler.

    Returns:
        A :class:`Scheduler`, a real ``torch.optim.lr_scheduler.LRScheduler``: it works in
        ``ChainedScheduler``, ``SequentialLR``, Lightning and the Hugging Face ``Trainer``.

    Raises:
        TypeError: ``optimizer`` is not an optimizer, ``schedule`` not a schedule or a
            list of them, ``key`` not a name or a ``(name, index)`` pair, or ``base``
            not a number or a list of numbers.
        ValueError: a list has the wrong length, a group lacks the hyperparameter, or
            ``last_step`` is below -1.

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
        if len(groups) != len(self._schedules):
            raise ValueError(
                f"the optimizer has {len(groups)} param groups, but this dampener was built for"
                f" {len(self._schedules)}"
            )
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

        Raises:
            ValueError: the state is for another key or another number of param groups.
        """
        undampened = _saved_values(state_dict, "undampened", self, "dampener")
        self._undampened = [_copy(v) for v in undampened]
        self.last_step = int(state_dict["last_step"]) - 1
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


def _saved_values(state_dict: dict[str, Any], name: str, owner: Any, kind: str) -> list[Any]:
    """The per-group values saved under ``name``, once the state is known to fit ``owner``.

    Raises:
        ValueError: the state is for another key or another number of param groups.
    """
    key = state_dict.get("key", "lr")
    if isinstance(key, list):
        key = tuple(key)
    if key != owner._key:
        raise ValueError(f"the state is for key={key!r}, but this {kind} sets key={owner._key!r}")
    values = list(state_dict[name])
    groups = len(owner.optimizer.param_groups)
    if len(values) != groups:
        what = "base values" if name == "base_lrs" else "values"
        raise ValueError(f"the state has {len(values)} {what}, but the optimizer has {groups} param groups")
    return values
