"""The :class:`Schedule` base class: calling, arithmetic, ``repr`` and ``to_dict``."""

from __future__ import annotations

import abc
import dataclasses
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar, overload

from schedcore import _backend

if TYPE_CHECKING:
    from schedcore._backend import Ops

__all__ = ["REGISTRY", "Schedule"]

ArrayT = TypeVar("ArrayT")

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

    __slots__ = ("__weakref__",)

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
        if type(t) is int or type(t) is float:  # the hot path of the adapters
            _backend.check_scalar(t)
            return float(self._evaluate(t, _backend.SCALAR))
        ops = _backend.namespace(t)
        if ops.is_scalar:
            return float(self._evaluate(t, ops))
        return self._evaluate(t, ops)

    @abc.abstractmethod
    def _evaluate(self, t: Any, ops: Ops) -> Any:
        """Evaluate at ``t`` with the array operations ``ops``; ``t`` is already checked."""

    def breakpoints(self, stop: int) -> tuple[int, ...]:
        """Steps in ``(0, stop)`` where the curve changes its formula, in order.

        Examples are the end of a warmup, milestones and join boundaries. Smooth
        schedules have none.
        """
        return ()

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
