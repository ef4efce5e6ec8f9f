"""The :class:`Schedule` base class, :func:`register`, and the arithmetic of schedules.

A schedule class is a frozen dataclass whose :meth:`Schedule.formula` states its curve
once, over :class:`~schedcore.operations.Operations`; :func:`register` makes it one
(and gives it its name in ``repr``, ``to_dict`` and ``parse``). Everything else is
derived from the formula here and in the private modules: calling with Python
numbers (:mod:`schedcore._scalar`), with numpy arrays (:mod:`schedcore._chunked`),
with JAX, torch and array-API arrays (:mod:`schedcore._backend`), and the
breakpoints (:mod:`schedcore._graph`). :class:`Product` and :class:`Sum`, which
``*`` and ``+`` build, live here with the operators that build them.
"""

from __future__ import annotations

import abc
import dataclasses
import itertools
import math
import sys
from collections.abc import Callable, Iterator

from schedcore import _backend, _checks

TYPE_CHECKING = False  # typing is only imported by type checkers: see DEVELOPERS.md
if TYPE_CHECKING:
    from collections.abc import Sequence
    from typing import Any, ClassVar, TypeVar, cast, overload

    from typing_extensions import dataclass_transform

    from schedcore.operations import Operations

    ArrayT = TypeVar("ArrayT")
else:  # what these do at run time, without importing typing

    def cast(kind: object, value: object) -> object:
        return value

    def dataclass_transform(**kwargs: object) -> Callable[[object], object]:
        return lambda decorator: decorator  # it only informs type checkers


__all__ = ["MAX_NESTING", "REGISTRY", "Product", "Schedule", "Sum", "register"]

_MAX_SCALAR_STEP = _backend.MAX_SCALAR_STEP

#: Every registered schedule class by the name its ``repr`` and ``to_dict`` use.
REGISTRY: dict[str, type[Schedule]] = {}
#: Deepest nesting of schedules inside schedules (a product of a sum of a join ...).
MAX_NESTING = 100


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

    A new kind of schedule is a class with one method, :meth:`formula`, decorated
    with :func:`schedcore.register`; see the "Writing a schedule" page of the docs.
    """

    #: Caches, no part of the value (not compared, not pickled): ``_scalar`` is the
    #: function generated for Python number steps (:mod:`schedcore._scalar`),
    #: ``_compiled`` the recorded graphs and numpy programs by step kind, ``_depth``
    #: how deep schedules nest in this one.
    __slots__ = ("__weakref__", "_compiled", "_depth", "_scalar")
    _scalar: Callable[[Any], float]
    _compiled: dict[Any, Any]
    _depth: int

    #: Name of the constructor in ``repr``, ``to_dict`` and ``parse`` (set by :func:`register`).
    _name: ClassVar[str] = ""
    #: How many leading fields ``repr`` writes positionally.
    _positional: ClassVar[int] = 1

    @abc.abstractmethod
    def formula(self, t: Any, ops: Operations) -> Any:
        """The multiplier at the step ``t``, written with the operations ``ops``.

        This is the one place a schedule's curve is stated; every way of evaluating
        it is derived from it. Call the schedule, ``s(t)``, to evaluate it: ``t`` is
        then checked and the fast paths are used. A formula takes no Python ``if`` on
        the value of ``t`` (use ``ops.where``, ``ops.select``, ``ops.piecewise``); see
        :mod:`schedcore.operations` for the operations.
        """

    if TYPE_CHECKING:

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
        return _evaluate(self, t, None, None)  # also raises for a bad Python number

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

    def _compiled_cache(self) -> dict[Any, Any]:
        """The cache of recorded graphs and programs, by step kind."""
        try:
            return self._compiled
        except AttributeError:
            cache: dict[Any, Any] = {}
            object.__setattr__(self, "_compiled", cache)
            return cache

    if TYPE_CHECKING:

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

        Numpy arrays are evaluated in cache-sized chunks, each by a program derived
        from the formula for the steps it holds (between two milestones a multistep
        is a constant, past its end a decay is its end value), and arrays of two
        million steps or more are shared among threads; the values are those of the
        whole-array evaluation, bit for bit, whatever the chunking and threads.

        Args:
            t: A step: a Python number, or an array (numpy, JAX, torch, array API).
            dtype: Floating dtype of the result for an array ``t``: a name such as
                ``"float32"`` or the array library's own dtype object, of 32 bits or
                more. ``None`` keeps the rule of ``s(t)``: the steps' floating dtype,
                else the library's default float. JAX needs ``jax_enable_x64`` for
                ``"float64"``.
            threads: For numpy arrays, the most threads to use; ``None`` uses up to
                ``min(CPUs, 8)``, one per million steps, from two million steps on;
                ``1`` keeps to the calling thread. Other libraries parallelise by
                themselves and ignore it.

        Returns:
            A Python ``float`` for a number, else an array of the step's library and shape.

        Raises:
            TypeError: ``t`` is not a number or a supported array (float16 steps
                included), ``dtype`` is not a floating dtype of its library of 32 bits
                or more or is given with a Python number step, or ``threads`` is not an
                int.
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
        return _evaluate(self, t, dtype, threads)

    def breakpoints(self, stop: int, *, limit: int | None = None) -> tuple[int, ...]:
        """Steps in ``(0, stop)`` where the curve changes its formula, in order.

        With ``limit``, only the first ``limit`` of them. Examples are the end of a
        warmup, milestones, join boundaries, the start of each cycle, each drop of a
        step decay and each epoch of ``per_epoch``; smooth schedules have none. They are
        derived from the formula: each is the first step of a region of steps on which
        the formula's comparisons (``ops.reached``, ``select``, ``piecewise``, the ends
        of ``elapsed`` and ``remaining``, ``floordiv``) all come out the same way. The
        cost is that of the regions below ``stop``, not of ``stop``: a decision that
        repeats every ``n`` steps (a step decay) gives its whole run at once.

        Raises:
            TypeError: ``stop`` or ``limit`` is not an int.
            ValueError: ``stop`` or ``limit`` is negative.

        Example:
            >>> (sc.warmup(100) * sc.multistep([300], gamma=0.1)).breakpoints(1000)
            (100, 300)
            >>> sc.step_decay(10, gamma=0.5).breakpoints(10**9, limit=3)
            (10, 20, 30)
        """
        stop = _checks.length("stop", stop, minimum=0)
        points: Iterator[int] = (point for run in self._breakpoint_runs(stop) for point in run)
        if limit is not None:
            points = itertools.islice(points, _checks.length("limit", limit, minimum=0))
        return tuple(points)

    def _breakpoint_runs(self, stop: int) -> Iterator[Sequence[int]]:
        """:meth:`breakpoints` as runs of ranges, one at a time (for runs with very many)."""
        from schedcore import _graph

        cache = self._compiled_cache()
        graph = cache.get("breakpoints")
        if graph is None:
            graph = cache["breakpoints"] = _graph.record(self.formula, _backend.SCALAR)
        return _graph.breakpoint_runs(graph, 0, stop)

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
        _nest(self)

    def _compared(self) -> tuple[Any, ...]:
        return tuple(getattr(self, name) for name in _fields(type(self))[1])

    # --- data -------------------------------------------------------------------

    def _arguments(self) -> list[tuple[dataclasses.Field[Any], Any]]:
        return [(f, getattr(self, f.name)) for f in dataclasses.fields(self) if f.init]  # type: ignore[arg-type]

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-safe description that :func:`schedcore.from_dict` rebuilds.

        Raises:
            TypeError: the class was not registered with :func:`schedcore.register`.
        """
        if REGISTRY.get(self._name) is not type(self):
            raise TypeError(
                f"{type(self).__name__} has no name to rebuild it from: decorate the class with"
                " @schedcore.register(name)"
            )
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
        return f"{self._name or type(self).__name__}({', '.join(parts)})"

    # --- arithmetic ---------------------------------------------------------------

    def __mul__(self, other: object) -> Schedule:
        return multiply(self, other)

    def __rmul__(self, other: object) -> Schedule:
        return multiply(other, self)

    def __truediv__(self, other: object) -> Schedule:
        return divide(self, other)

    def __add__(self, other: object) -> Schedule:
        return add(self, other)

    def __radd__(self, other: object) -> Schedule:
        return add(other, self)

    def __sub__(self, other: object) -> Schedule:
        return add(self, negate(other))

    def __rsub__(self, other: object) -> Schedule:
        return add(other, negate(self))

    def __neg__(self) -> Schedule:
        return multiply(-1.0, self)

    def __pos__(self) -> Schedule:
        return self

    def _repr_html_(self) -> str:
        """The curve and the summary, for Jupyter; see :mod:`schedcore._notebook`."""
        from schedcore import _notebook  # imported the first time a notebook shows a schedule

        return _notebook.html(self)


#: ``evaluator(schedule, steps, dtype, threads)``: a schedule's values at an array of steps.
if TYPE_CHECKING:
    Evaluator = Callable[[Schedule, Any, Any, "int | None"], Any]
_EVALUATORS: dict[type, Evaluator] = {}


def _evaluate(schedule: Schedule, t: Any, dtype: Any, threads: int | None) -> Any:
    """``schedule`` at ``t``, any step but a plain ``int`` or ``float`` without a dtype.

    Numpy arrays and numpy scalars go to :mod:`schedcore._chunked` (a scalar gives a
    numpy scalar, as numpy's own functions do); everything else is evaluated in one
    piece by :func:`schedcore._backend.evaluate_whole`, in ``dtype`` when one is given.
    """
    kind = type(t)
    evaluator = _EVALUATORS.get(kind)
    if evaluator is None:
        numpy = sys.modules.get("numpy")
        if numpy is not None and (kind is numpy.ndarray or issubclass(kind, numpy.generic)):
            from schedcore import _chunked  # imported once numpy steps are seen

            evaluator = _chunked.evaluate if kind is numpy.ndarray else _chunked.evaluate_scalar
        else:
            evaluator = _backend.evaluate_whole
        _EVALUATORS[kind] = evaluator
    return evaluator(schedule, t, dtype, threads)


if TYPE_CHECKING:
    ScheduleT = TypeVar("ScheduleT", bound=type[Schedule])


@dataclass_transform(eq_default=False, field_specifiers=(dataclasses.field, dataclasses.Field))
def register(name: str, *, positional: int = 1) -> Callable[[ScheduleT], ScheduleT]:
    r"""Make a class a schedule: a frozen dataclass, known to ``repr``, ``to_dict`` and ``parse``.

    The class derives from :class:`Schedule`, declares its parameters as dataclass
    fields, checks them in ``__post_init__`` (normalised values are set with
    ``object.__setattr__``) and states its curve in :meth:`Schedule.formula`. The
    decorator makes it a slotted dataclass whose instances are immutable values (equal
    by their fields, hashable, picklable), registers it under ``name`` for
    :func:`schedcore.parse` and :func:`schedcore.from_dict`, and limits nesting to
    :data:`MAX_NESTING` levels. Every way of evaluating a schedule then works for it.

    Args:
        name: The constructor's name in ``repr``, ``to_dict`` and ``parse``; an
            identifier not already registered.
        positional: How many leading fields ``repr`` writes without their names.

    Raises:
        TypeError: the class does not derive from :class:`Schedule`, or ``name`` is
            not a str.
        ValueError: ``name`` is not an identifier, or another class has it.

    Example:
        A multiplier that halves every ``every`` updates (the "Writing a schedule" page
        of the docs works through a complete one)::

            @sc.register("halving")
            class Halving(sc.Schedule):
                r'''Halve every ``every`` updates: :math:`s(t) = 2^{-\lfloor t / n \rfloor}`.'''

                every: int

                def formula(self, t, ops):
                    return ops.exp(ops.cast(ops.floordiv(t, self.every)) * -math.log(2))

        after which ``Halving(10)(25) == 0.25`` and ``sc.parse("halving(10)")`` reads it.
    """
    if not isinstance(name, str):
        raise TypeError(_checks.must_be("name", "a str", name, show_type=True))
    if not name.isidentifier():
        raise ValueError(_checks.must_be("name", "an identifier", name))

    def decorate(cls: ScheduleT) -> ScheduleT:
        if not (isinstance(cls, type) and issubclass(cls, Schedule)):
            raise TypeError(_checks.must_be("the registered class", "a Schedule subclass", cls))
        known = REGISTRY.get(name)
        if known is not None and known.__qualname__ != cls.__qualname__:
            raise ValueError(
                f"the schedule name {name!r} is taken by {known.__module__}.{known.__qualname__}"
            )
        check = cls.__dict__.get("__post_init__")

        def __post_init__(self: Schedule) -> None:
            if check is not None:
                check(self)
            _nest(self)

        cls.__post_init__ = __post_init__  # type: ignore[attr-defined]
        cls._name = name
        cls._positional = positional
        made = dataclasses.dataclass(slots=True, repr=False, eq=False)(cls)
        REGISTRY[name] = made
        return cast("ScheduleT", made)

    return decorate


def _children(value: Any) -> Iterator[Schedule]:
    if isinstance(value, Schedule):
        yield value
    elif isinstance(value, tuple):
        for item in value:
            yield from _children(item)


def _nest(schedule: Schedule) -> None:
    """Set how deep schedules nest in ``schedule``; refuse more than :data:`MAX_NESTING`."""
    depth = 1
    for name in _fields(type(schedule))[0]:
        for child in _children(getattr(schedule, name, None)):
            depth = max(depth, getattr(child, "_depth", 1) + 1)
    if depth > MAX_NESTING:
        raise ValueError(
            f"schedules can nest {MAX_NESTING} levels deep; this {schedule._name or type(schedule).__name__}"
            f" would make {depth} (build long sums and products with one sc.compose or sum, not in a loop)"
        )
    object.__setattr__(schedule, "_depth", depth)


_FIELDS: dict[type, tuple[tuple[str, ...], tuple[str, ...]]] = {}


def _fields(cls: type) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The names of all fields of a schedule class, and of those equality compares."""
    names = _FIELDS.get(cls)
    if names is None:
        fields = dataclasses.fields(cls)
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


# --- products and sums ----------------------------------------------------------------


def _schedule(name: str, value: object) -> Schedule:
    if not isinstance(value, Schedule):
        raise TypeError(_checks.must_be(name, "a schedule", value, show_type=True))
    return value


def schedules(name: str, values: object) -> tuple[Schedule, ...]:
    """Check a list of schedules and return it as a tuple."""
    if not isinstance(values, list | tuple):
        raise TypeError(_checks.must_be(name, "a list of schedules", values, show_type=True))
    return tuple(_schedule(f"{name}[{i}]", value) for i, value in enumerate(values))


def _is_number(value: object) -> bool:
    return _checks.is_real(value)


@register("product")
class Product(Schedule):
    r"""The product of schedules, times a constant ``scale``.

    .. math::
        s(t) = c \prod_i s_i(t)

    where :math:`s_i` are ``factors`` and :math:`c` is ``scale``; the factors are
    multiplied from left to right, and the scale last. Nested products are
    flattened, so grouping does not matter: ``(a * b) * c == a * (b * c)``.

    Args:
        factors: The schedules to multiply; at least one.
        scale: A constant factor.

    Raises:
        TypeError: a factor is not a schedule, or ``scale`` is not a number.
        ValueError: there is no factor, or ``scale`` is not finite.

    Example:
        >>> (2 * sc.warmup(4) * sc.multistep([2], gamma=0.5))(2)
        0.5
    """

    factors: Sequence[Schedule]
    scale: float = 1.0
    _scales: tuple[float, ...] = dataclasses.field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        # The scale is the product of every number scale met while flattening, taken in
        # sorted order, so that neither grouping nor order can change its last bit.
        scales = [_checks.real("scale", self.scale)]
        flat: list[Schedule] = []
        for factor in schedules("factors", self.factors):
            if isinstance(factor, Product):
                flat.extend(factor.factors)
                scales.extend(factor._scales)
            else:
                flat.append(factor)
        if not flat:
            raise ValueError("a product needs at least one schedule")
        folded = tuple(sorted(x for x in scales if x != 1.0))
        scale = math.prod(folded) + 0.0
        if not math.isfinite(scale):
            raise ValueError(f"scale overflows: the product of the scales {list(folded)} is {scale}")
        object.__setattr__(self, "factors", tuple(flat))
        object.__setattr__(self, "scale", scale)
        object.__setattr__(self, "_scales", folded)

    def formula(self, t: Any, ops: Operations) -> Any:
        factors = self.factors
        value = factors[0].formula(t, ops)
        for factor in factors[1:]:
            value = value * factor.formula(t, ops)
        return value if self.scale == 1.0 else value * self.scale

    def __repr__(self) -> str:
        parts = [f"({f!r})" if isinstance(f, Sum) else repr(f) for f in self.factors]
        if self.scale != 1.0 or len(parts) == 1:
            parts.insert(0, repr(self.scale))
        return " * ".join(parts)


@register("sum")
class Sum(Schedule):
    r"""The sum of schedules, plus a constant ``offset``.

    .. math::
        s(t) = c + \sum_i s_i(t)

    where :math:`s_i` are ``terms`` and :math:`c` is ``offset``; the terms are added
    from left to right, and the offset last. Nested sums are flattened. Useful for
    schedules stated as ``low + (high - low) * shape``.

    Args:
        terms: The schedules to add; at least one.
        offset: A constant added to the sum.

    Raises:
        TypeError: a term is not a schedule, or ``offset`` is not a number.
        ValueError: there is no term, or ``offset`` is not finite (also when the
            offsets of nested sums add up beyond the largest float).

    Example:
        >>> (0.1 + 0.9 * sc.cosine(10))(10)
        0.1
    """

    terms: Sequence[Schedule]
    offset: float = 0.0
    _offsets: tuple[float, ...] = dataclasses.field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        offsets = [_checks.real("offset", self.offset)]
        flat: list[Schedule] = []
        for term in schedules("terms", self.terms):
            if isinstance(term, Sum):
                flat.extend(term.terms)
                offsets.extend(term._offsets)
            else:
                flat.append(term)
        if not flat:
            raise ValueError("a sum needs at least one schedule")
        kept = tuple(x for x in offsets if x != 0.0)
        try:
            offset = math.fsum(kept) + 0.0  # exactly rounded
        except OverflowError:
            offset = math.inf
        if not math.isfinite(offset):
            raise ValueError(f"offset overflows: the sum of the offsets {list(kept)} is not finite")
        object.__setattr__(self, "terms", tuple(flat))
        object.__setattr__(self, "offset", offset)
        object.__setattr__(self, "_offsets", kept)

    def formula(self, t: Any, ops: Operations) -> Any:
        terms = self.terms
        value = terms[0].formula(t, ops)
        for term in terms[1:]:
            value = value + term.formula(t, ops)
        return value if self.offset == 0.0 else value + self.offset

    def __repr__(self) -> str:
        parts = [repr(term) for term in self.terms]
        if self.offset != 0.0 or len(parts) == 1:
            parts.append(repr(self.offset))
        return " + ".join(parts)


def _operand(verb: str, other: object) -> TypeError:
    return TypeError(
        f"a schedule can only be {verb} a schedule or a number, got {_checks.describe(other, show_type=True)}"
    )


def multiply(a: object, b: object) -> Schedule:
    """``a * b`` for a schedule and a schedule or a number."""
    if isinstance(a, Schedule) and isinstance(b, Schedule):
        return Product((a, b))
    if isinstance(a, Schedule) and _is_number(b):
        return Product((a,), scale=_checks.real("scale", b))
    if _is_number(a) and isinstance(b, Schedule):
        return Product((b,), scale=_checks.real("scale", a))
    raise _operand("multiplied by", b if isinstance(a, Schedule) else a)


def divide(a: Schedule, b: object) -> Schedule:
    """``a / b`` for a number ``b``: scaling by ``1 / b``."""
    if not _is_number(b):
        raise _operand("divided by", b)
    divisor = _checks.real("divisor", b)
    if divisor == 0:
        raise ValueError("divisor must be a finite number other than 0, got 0")
    scale = 1.0 / divisor
    if not math.isfinite(scale):
        raise ValueError(f"divisor must leave a finite scale, got {divisor!r} (1 / divisor overflows)")
    return Product((a,), scale=scale)


def add(a: object, b: object) -> Schedule:
    """``a + b`` for a schedule and a schedule or a number."""
    if isinstance(a, Schedule) and isinstance(b, Schedule):
        return Sum((a, b))
    if isinstance(a, Schedule) and _is_number(b):
        return Sum((a,), offset=_checks.real("offset", b))
    if _is_number(a) and isinstance(b, Schedule):
        return Sum((b,), offset=_checks.real("offset", a))
    raise _operand("added to", b if isinstance(a, Schedule) else a)


def negate(value: object) -> object:
    """``-value`` for a schedule or a number (used by ``a - b``)."""
    if isinstance(value, Schedule):
        return Product((value,), scale=-1.0)
    if _is_number(value):
        return -value  # type: ignore[operator]
    raise _operand("subtracted from", value)
