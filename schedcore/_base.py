"""The :class:`Schedule` base class: calling, value semantics, arithmetic, ``repr``, ``to_dict``."""

from __future__ import annotations

import abc
import dataclasses
import math
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar, overload

from schedcore import _backend, _checks

if TYPE_CHECKING:
    from collections.abc import Callable

    from schedcore._backend import Ops

__all__ = ["REGISTRY", "Schedule"]

ArrayT = TypeVar("ArrayT")
_MAX_SCALAR_STEP = _backend.MAX_SCALAR_STEP

#: Every public schedule class by the name its ``repr`` and ``to_dict`` use.
REGISTRY: dict[str, type[Schedule]] = {}


class Schedule(abc.ABC):
    """A pure, immutable function from the step ``t`` to a multiplier.

    ``t`` is the number of optimizer updates already completed, so the first update
    uses ``s(0)``. Schedules are values: equal when built from equal arguments,
    hashable, picklable, and their ``repr`` is a constructor expression that
    :func:`schedcore.parse` reads back. They compose with ``*`` (the product of the
    multipliers, or scaling by a number) and ``+``.

    Calling a schedule:

    * a Python ``int`` or ``float`` gives a Python ``float``;
    * a numpy, JAX or torch array (or any array-API array) gives an array of the
      same library, on the same device, in the step's floating dtype (the library's
      default float for integer steps). JAX arrays work inside ``jit``, ``vmap``,
      ``grad`` and ``scan``;
    * a negative, NaN or infinite Python or numpy step raises ``ValueError``. JAX and
      torch arrays are not checked, since a check would wait for the device: there,
      a negative step gives whatever the closed form gives at that step.
    """

    #: Caches, no part of the value (not compared, not pickled): ``_scalar`` is the
    #: function generated for Python number steps (:mod:`schedcore._scalar`), ``_memo``
    #: the last :meth:`_restrict` result of the chunked numpy evaluation.
    __slots__ = ("__weakref__", "_memo", "_scalar")
    _memo: tuple[Schedule, float, float]
    _scalar: Callable[[Any], float]

    #: Name of the constructor in ``repr``, ``to_dict`` and ``parse``.
    _name: ClassVar[str] = ""
    #: How many leading fields ``repr`` writes positionally.
    _positional: ClassVar[int] = 1

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "_name" in cls.__dict__:
            REGISTRY[cls._name] = cls  # the slotted copy made by @dataclass wins

    @overload
    def __call__(self, t: int | float) -> float: ...

    @overload
    def __call__(self, t: ArrayT) -> ArrayT: ...

    def __call__(self, t: Any) -> Any:
        """Evaluate the multiplier at step ``t`` (a number or an array of steps)."""
        kind = type(t)
        if (kind is int or kind is float) and 0 <= t < _MAX_SCALAR_STEP:  # the adapters' hot path
            try:
                scalar = self._scalar
            except AttributeError:
                scalar = self._compile_scalar()
            return scalar(t)
        return _backend.evaluate(self, t, None, None)  # also raises for a bad Python number

    def _compile_scalar(self) -> Callable[[Any], float]:
        from schedcore import _scalar  # imported on the first call with a Python number

        scalar = _scalar.compile_scalar(self)
        object.__setattr__(self, "_scalar", scalar)
        return scalar

    def _scalar_function(self) -> Callable[[Any], float]:
        """The function behind ``s(t)`` for Python numbers, without the check of ``t``.

        For adapters that call the schedule once per update with a step they know to
        be a finite Python number ``>= 0`` (the framework's own counter): it saves the
        type and range check of :meth:`__call__`, a third of a scalar call.
        """
        try:
            return self._scalar
        except AttributeError:
            return self._compile_scalar()

    @overload
    def evaluate(self, t: int | float, *, dtype: None = None, threads: int | None = None) -> float: ...

    @overload
    def evaluate(self, t: ArrayT, *, dtype: Any = None, threads: int | None = None) -> ArrayT: ...

    def evaluate(self, t: Any, *, dtype: Any = None, threads: int | None = None) -> Any:
        """Evaluate at ``t`` like ``s(t)``, choosing the result's dtype and the threads used.

        ``s.evaluate(t)`` is ``s(t)``. With ``dtype``, an array of steps gives an array of
        that floating dtype, computed in it: ``dtype="float32"`` on integer steps is what
        JAX does by default (every continuous part from the exact integer distance to
        its end, so values are within about 1e-6 relative of float64, ends exact, no
        NaN) and about twice as fast as float64 on numpy. Step functions still compare
        the steps themselves, exactly.

        Numpy arrays are evaluated in cache-sized chunks, each restricted to the parts
        of the schedule its steps reach (a multistep between two milestones is a
        constant, a decay past its end is its end value), and arrays of two million
        steps or more are shared among threads; the values are those of the
        array-generic evaluation (to 1e-12 relative in float64, bit for bit but for the
        order of constant factors) whatever the chunking and threads.

        Args:
            t: A step: a Python number, or an array (numpy, JAX, torch, array API).
            dtype: Floating dtype of the result for an array ``t``: a name such as
                ``"float32"`` or the array library's own dtype object. ``None`` keeps the
                rule of ``s(t)``: the steps' floating dtype, else the library's default
                float. JAX needs ``jax_enable_x64`` for ``"float64"``.
            threads: For numpy arrays, the most threads to use; ``None`` uses up to
                ``min(CPUs, 8)``, one per million steps, from two million steps on;
                ``1`` keeps to the calling thread. Other libraries parallelise by
                themselves and ignore it.

        Returns:
            A Python ``float`` for a number, else an array of the step's library and shape.

        Raises:
            TypeError: ``t`` is not a number or a supported array, ``dtype`` is not a
                floating dtype of its library or is given with a Python number step, or
                ``threads`` is not an int.
            ValueError: a Python or numpy step is negative, NaN or infinite, or
                ``threads`` is below 1.

        Example:
            ``s.evaluate(np.arange(10**7), dtype="float32")`` gives ten million float32
            values; on a Python number it is ``s(t)``:

            >>> s = sc.warmup(2) * sc.polynomial(4, power=0.5)
            >>> s.evaluate(3) == s(3) == 0.5
            True
        """
        if threads is not None:
            _checks.length("threads", threads)
        kind = type(t)
        if dtype is None and (kind is int or kind is float):
            return self(t)
        return _backend.evaluate(self, t, dtype, threads)

    @abc.abstractmethod
    def _evaluate(self, t: Any, ops: Ops) -> Any:
        """Evaluate at ``t`` with the array operations ``ops``; ``t`` is already checked."""

    def _restrict(self, lo: float, hi: float) -> tuple[Schedule, float, float]:
        """A simpler schedule equal to this one on the steps ``lo <= t <= hi``.

        Returns ``(schedule, start, stop)``: ``schedule`` gives this schedule's values
        (to rounding) for every step in ``[lo, hi]`` — a multistep between two
        milestones is a :func:`~schedcore.constant`, and products fold constant factors
        into their scale. ``[start, stop)`` is the region around ``[lo, hi]`` where it
        is the restriction of every range, so a caller may reuse it there; it is empty
        (``start == stop == lo``) when ``[lo, hi]`` straddles a point where the
        schedule changes its formula. The chunked numpy evaluation calls it for every
        chunk whose steps leave the current region. This default, for schedules that
        never simplify, is the schedule itself, everywhere.
        """
        return self, 0, math.inf

    def breakpoints(self, stop: int) -> tuple[int, ...]:
        """Steps in ``(0, stop)`` where the curve changes its formula, in order.

        Examples are the end of a warmup, milestones and join boundaries. Smooth
        schedules have none.
        """
        return ()

    # --- value semantics -----------------------------------------------------------
    # Immutability, equality, hashing and pickling are the same for every schedule
    # class, so they are written once here: @dataclass(frozen=True, eq=True) would
    # generate them for each class with exec, about 0.2 ms per class at import.
    # Fields are set once, by __init__ or by object.__setattr__ in __post_init__.

    def __setattr__(self, name: str, value: Any) -> None:
        if hasattr(self, name):
            raise dataclasses.FrozenInstanceError(f"cannot assign to field {name!r}")
        object.__setattr__(self, name, value)

    def __delattr__(self, name: str) -> None:
        raise dataclasses.FrozenInstanceError(f"cannot delete field {name!r}")

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Schedule) or other.__class__ is not self.__class__:
            return NotImplemented
        return self._compared() == other._compared()

    def __hash__(self) -> int:
        return hash(self._compared())

    def __getstate__(self) -> tuple[Any, ...]:
        return tuple(getattr(self, name) for name in _fields(type(self))[0])

    def __setstate__(self, state: tuple[Any, ...]) -> None:
        for name, value in zip(_fields(type(self))[0], state, strict=True):
            object.__setattr__(self, name, value)

    def _compared(self) -> tuple[Any, ...]:
        return tuple(getattr(self, name) for name in _fields(type(self))[1])

    # --- data -------------------------------------------------------------------

    def _arguments(self) -> list[tuple[dataclasses.Field[Any], Any]]:
        return [(f, getattr(self, f.name)) for f in dataclasses.fields(self) if f.init]  # type: ignore[arg-type]

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-safe description that :func:`schedcore.from_dict` rebuilds."""
        data: dict[str, Any] = {"type": self._name}
        for f, value in self._arguments():
            data[f.name] = _to_data(value)
        return data

    def __repr__(self) -> str:
        parts = []
        for i, (f, value) in enumerate(self._arguments()):
            if i < self._positional:
                parts.append(_to_source(value))
            elif f.default is dataclasses.MISSING or value != f.default:
                parts.append(f"{f.name}={_to_source(value)}")
        return f"{self._name}({', '.join(parts)})"

    # --- arithmetic ---------------------------------------------------------------

    def __mul__(self, other: object) -> Schedule:
        from schedcore import combinators

        return combinators.multiply(self, other)

    def __rmul__(self, other: object) -> Schedule:
        from schedcore import combinators

        return combinators.multiply(other, self)

    def __truediv__(self, other: object) -> Schedule:
        from schedcore import combinators

        return combinators.divide(self, other)

    def __add__(self, other: object) -> Schedule:
        from schedcore import combinators

        return combinators.add(self, other)

    def __radd__(self, other: object) -> Schedule:
        from schedcore import combinators

        return combinators.add(other, self)

    def __sub__(self, other: object) -> Schedule:
        from schedcore import combinators

        return combinators.add(self, combinators.negate(other))

    def __rsub__(self, other: object) -> Schedule:
        from schedcore import combinators

        return combinators.add(other, combinators.negate(self))

    def __neg__(self) -> Schedule:
        from schedcore import combinators

        return combinators.multiply(-1.0, self)

    def __pos__(self) -> Schedule:
        return self

    def _repr_html_(self) -> str:
        """The curve and the summary, for Jupyter; see :mod:`schedcore._notebook`."""
        from schedcore import _notebook  # imported the first time a notebook shows a schedule

        return _notebook.html(self)


ScheduleT = TypeVar("ScheduleT", bound=Schedule)


def assemble(cls: type[ScheduleT], **fields: Any) -> ScheduleT:
    """An instance of ``cls`` from fields that are already checked and normalised.

    For :meth:`Schedule._restrict`, which builds constants and products from parts of
    valid schedules on every region of the steps: ``__init__`` would check them again.
    """
    instance = object.__new__(cls)
    for name, value in fields.items():
        object.__setattr__(instance, name, value)
    return instance


_FIELDS: dict[type, tuple[tuple[str, ...], tuple[str, ...]]] = {}


def _fields(cls: type) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The names of all fields of a schedule class, and of those equality compares."""
    names = _FIELDS.get(cls)
    if names is None:
        fields = dataclasses.fields(cls)  # type: ignore[arg-type]
        names = _FIELDS[cls] = (tuple(f.name for f in fields), tuple(f.name for f in fields if f.compare))
    return names


def _to_data(value: Any) -> Any:
    if isinstance(value, Schedule):
        return value.to_dict()
    if isinstance(value, tuple):
        return [_to_data(item) for item in value]
    return value


def _to_source(value: Any) -> str:
    if isinstance(value, tuple):
        return "[" + ", ".join(_to_source(item) for item in value) + "]"
    return repr(value)
