"""The primitives of :class:`~schedcore.operations.Operations` for each kind of step.

:func:`namespace` picks the implementation from the type of ``t``: Python numbers
use :mod:`math`; numpy, JAX and torch arrays use their own library (found in
``sys.modules``: the array exists, so its library is loaded); any other array that
has ``__array_namespace__`` uses the array API standard. This module imports no
array library.

Each class here implements only the primitives (``where``, ``minimum``, ``lookup``,
the math functions, ...); the operations on steps are written once, in
:class:`~schedcore.operations.Operations`. :func:`evaluate_whole` runs a schedule's
formula with these operations over a whole array at once: it is the reference that
the fast paths of :mod:`schedcore._scalar` and :mod:`schedcore._chunked` reproduce.
"""

from __future__ import annotations

import importlib
import math
import sys
from bisect import bisect_right
from collections.abc import Callable, Sequence

from schedcore import _checks
from schedcore.operations import Operations

TYPE_CHECKING = False  # typing is only imported by type checkers: see DEVELOPERS.md
if TYPE_CHECKING:
    from typing import Any

    Array = Any

__all__ = ["SCALAR", "ArrayOps", "ScalarOps", "evaluate_whole", "namespace"]

MAX_SCALAR_STEP = 2**1023  # larger Python ints cannot be turned into a float

_NARROW_STEPS = (
    "steps must not be {dtype}, which holds too few whole numbers for a step count (float16 stops"
    " at 65504); use integer, float32 or float64 steps"
)


# --- Python numbers -----------------------------------------------------------------------
# The math functions give what numpy gives instead of raising: the generated function
# of schedcore._scalar may skip these wrappers only where it knows they cannot raise.


def exp(x: float) -> float:
    """:func:`math.exp`, ``inf`` on overflow."""
    try:
        return math.exp(x)
    except OverflowError:
        return math.inf


def expm1(x: float) -> float:
    """:func:`math.expm1`, ``inf`` on overflow."""
    try:
        return math.expm1(x)
    except OverflowError:
        return math.inf


def log(x: float) -> float:
    """:func:`math.log`: ``-inf`` at 0, NaN below."""
    if x > 0:
        return math.log(x)
    return -math.inf if x == 0 else math.nan


def log1p(x: float) -> float:
    """:func:`math.log1p`: ``-inf`` at -1, NaN below."""
    if x > -1:
        return math.log1p(x)
    return -math.inf if x == -1 else math.nan


def sin(x: float) -> float:
    """:func:`math.sin`, NaN for an infinite ``x``."""
    return math.sin(x) if math.isfinite(x) else math.nan


def cos(x: float) -> float:
    """:func:`math.cos`, NaN for an infinite ``x``."""
    return math.cos(x) if math.isfinite(x) else math.nan


def sqrt(x: float) -> float:
    """:func:`math.sqrt`, NaN below 0."""
    return math.sqrt(x) if x >= 0 else math.nan


def floor(x: float) -> float:
    """:func:`math.floor` as a float; infinities and NaN stay as they are."""
    return float(math.floor(x)) if math.isfinite(x) else x


def power(x: float, p: float) -> float:
    """``x ** p`` with numpy's results where Python raises or turns complex."""
    try:
        result = x**p
    except OverflowError:
        odd = float(p).is_integer() and int(p) % 2 == 1
        return -math.inf if x < 0 and odd else math.inf
    except ZeroDivisionError:  # 0.0 ** negative
        return math.inf
    return math.nan if isinstance(result, complex) else result


def cast(x: Any) -> float:
    """``float(x)``, ``inf`` for an int too large for a float."""
    try:
        return float(x)
    except OverflowError:
        return math.inf if x > 0 else -math.inf


class ScalarOps(Operations):
    """Python ``int`` / ``float`` steps, evaluated with :mod:`math`."""

    is_scalar = True

    def where(self, condition: Any, a: Any, b: Any) -> Any:
        return a if condition else b

    def minimum(self, x: Any, c: Any) -> Any:
        return c if c < x else x  # what min(x, c) returns, also between an int and a float

    def maximum(self, x: Any, c: Any) -> Any:
        return c if c > x else x

    exp = staticmethod(exp)
    expm1 = staticmethod(expm1)
    log = staticmethod(log)
    log1p = staticmethod(log1p)
    sin = staticmethod(sin)
    cos = staticmethod(cos)

    def tanh(self, x: Any) -> Any:
        return math.tanh(x)

    sqrt = staticmethod(sqrt)
    floor = staticmethod(floor)
    power = staticmethod(power)

    def full(self, t: Any, value: float) -> Any:
        return float(value)

    def cast(self, x: Any) -> Any:
        return cast(x)

    def real(self, t: Any) -> Any:
        return t

    def lookup(self, x: Any, thresholds: Sequence[Any], values: Sequence[Any], steps: bool = False) -> Any:
        return values[bisect_right(thresholds, x)]

    def widened(self) -> ScalarOps:
        return self


SCALAR = ScalarOps()


# --- arrays -------------------------------------------------------------------------------


class ArrayOps(Operations):
    """Arrays of a numpy-like library (``jax.numpy``, and the base of the others).

    Args:
        xp: The library's namespace module.
        dtype: Floating dtype of the result: the step's own if it is floating,
            else the library's default float.
        int_max: Largest value of an integer step dtype, ``None`` for float steps.
        float_bits: Significand bits of a float step dtype, ``None`` for integer steps.
        convert: Cast steps of another dtype to ``dtype`` before any arithmetic
            (:meth:`real`), for a result dtype the caller asked for; otherwise the
            library's own promotion rules apply.
    """

    is_scalar = False

    def __init__(
        self, xp: Any, dtype: Any, int_max: int | None, float_bits: int | None, *, convert: bool = False
    ) -> None:
        self.xp = xp
        self.dtype = dtype
        self.int_max = int_max
        self.float_bits = float_bits
        self.convert = convert

    def widened(self) -> ArrayOps:
        return type(self)(self.xp, self.dtype, None, self._bits(self.dtype), convert=self.convert)

    def _bits(self, dtype: Any) -> int:
        return int(self.xp.finfo(dtype).nmant) + 1

    def with_dtype(self, dtype: Any) -> ArrayOps:
        """These operations computing in ``dtype`` (a name or a dtype of the library).

        Raises:
            TypeError: ``dtype`` is not a floating dtype of the library of 32 bits or more.
        """
        resolved = self._floating(dtype)
        if self._bits(resolved) < 24:
            raise TypeError(_checks.must_be("dtype", "a floating dtype of 32 bits or more", dtype))
        return type(self)(self.xp, resolved, self.int_max, self.float_bits, convert=True)

    def _floating(self, dtype: Any) -> Any:
        try:
            resolved = self.xp.dtype(dtype)
            floating = self.xp.issubdtype(resolved, self.xp.floating)
        except TypeError:
            floating = False
        if not floating:
            raise TypeError(_checks.must_be("dtype", "a real floating dtype", dtype))
        return resolved

    def where(self, condition: Array, a: Any, b: Any) -> Array:
        return self.xp.where(condition, a, b)

    def minimum(self, x: Array, c: Any) -> Array:
        return self.xp.minimum(x, c)

    def maximum(self, x: Array, c: Any) -> Array:
        return self.xp.maximum(x, c)

    def exp(self, x: Array) -> Array:
        return self.xp.exp(x)

    def expm1(self, x: Array) -> Array:
        return self.xp.expm1(x)

    def log(self, x: Array) -> Array:
        return self.xp.log(x)

    def log1p(self, x: Array) -> Array:
        return self.xp.log1p(x)

    def sin(self, x: Array) -> Array:
        return self.xp.sin(x)

    def cos(self, x: Array) -> Array:
        return self.xp.cos(x)

    def tanh(self, x: Array) -> Array:
        return self.xp.tanh(x)

    def sqrt(self, x: Array) -> Array:
        return self.xp.sqrt(x)

    def floor(self, x: Array) -> Array:
        return self.xp.floor(x)

    def power(self, x: Array, p: float) -> Array:
        return x**p

    def full(self, t: Array, value: float) -> Array:
        return self.xp.full_like(t, value, dtype=self.dtype)

    def cast(self, x: Array) -> Array:
        return x.astype(self.dtype)

    def real(self, t: Array) -> Array:
        """``t`` itself (numpy, JAX and torch promote by themselves), or cast when converting."""
        if self.convert and t.dtype != self.dtype:
            return self.cast(t)
        return t

    def lookup(
        self, x: Array, thresholds: Sequence[Any], values: Sequence[Any], steps: bool = False
    ) -> Array:
        result = x * 0 + values[0] if steps else self.full(x, values[0])
        for m, value in zip(thresholds, values[1:], strict=False):
            result = self.where(x >= m, value, result)
        return result


class NumpyOps(ArrayOps):
    """numpy arrays: like :class:`ArrayOps`, with ``searchsorted`` for step functions."""

    def lookup(
        self, x: Array, thresholds: Sequence[Any], values: Sequence[Any], steps: bool = False
    ) -> Array:
        np = self.xp
        edges = np.asarray(thresholds, dtype=x.dtype)  # exact: each is within x's range and precision
        table = np.asarray(values, dtype=x.dtype if steps else self.dtype)
        return table[np.searchsorted(edges, x, side="right")]

    def cast(self, x: Array) -> Array:
        return self.xp.asarray(x).astype(self.dtype, copy=False)


class TorchOps(ArrayOps):
    """torch tensors, on any device."""

    def _bits(self, dtype: Any) -> int:
        return {self.xp.float64: 53, self.xp.float32: 24}.get(dtype, 11)

    def _floating(self, dtype: Any) -> Any:
        resolved = getattr(self.xp, dtype, None) if isinstance(dtype, str) else dtype
        if not (isinstance(resolved, self.xp.dtype) and resolved.is_floating_point):
            raise TypeError(_checks.must_be("dtype", "a real floating dtype", dtype))
        return resolved

    def full(self, t: Array, value: float) -> Array:
        return self.xp.full_like(t, value, dtype=self.dtype)

    def cast(self, x: Array) -> Array:
        return x.to(self.dtype)

    def minimum(self, x: Array, c: Any) -> Array:
        return self.xp.clamp(x, max=c) if isinstance(c, int | float) else self.xp.minimum(x, c)

    def maximum(self, x: Array, c: Any) -> Array:
        return self.xp.clamp(x, min=c) if isinstance(c, int | float) else self.xp.maximum(x, c)


class ArrayApiOps(ArrayOps):
    """Any array that implements the Python array API standard (2023.12)."""

    def _bits(self, dtype: Any) -> int:
        return 53 if dtype == self.xp.float64 else 24

    def _floating(self, dtype: Any) -> Any:
        resolved = getattr(self.xp, dtype, None) if isinstance(dtype, str) else dtype
        try:
            floating = resolved is not None and self.xp.isdtype(resolved, "real floating")
        except (TypeError, ValueError):
            floating = False
        if not floating:
            raise TypeError(_checks.must_be("dtype", "a real floating dtype", dtype))
        return resolved

    def where(self, condition: Array, a: Any, b: Any) -> Array:
        # The standard's ``where`` takes arrays only: numbers take the other side's dtype.
        arrays = [x for x in (a, b) if not isinstance(x, int | float)]
        like = arrays[0] if arrays else self.xp.astype(condition, self.dtype)

        def fill(x: Any) -> Array:
            return self.xp.full_like(like, x) if isinstance(x, int | float) else x

        return self.xp.where(condition, fill(a), fill(b))

    def floor(self, x: Array) -> Array:
        return self.xp.floor(x)

    def cast(self, x: Array) -> Array:
        return self.xp.astype(x, self.dtype)

    def real(self, t: Array) -> Array:
        if self.int_max is None and not (self.convert and t.dtype != self.dtype):
            return t
        return self.cast(t)  # the standard keeps ints and floats apart

    def minimum(self, x: Array, c: Any) -> Array:
        return self.xp.clip(x, max=c)

    def maximum(self, x: Array, c: Any) -> Array:
        return self.xp.clip(x, min=c)


Ops = Operations


def _bad_steps(t: Array, np: Any) -> str:
    flat = np.asarray(t).reshape(-1)
    bad = np.flatnonzero(~((flat >= 0) & np.isfinite(flat)))
    index = int(bad[0])
    where = f" at index {index}" if flat.size > 1 else ""
    return f"steps must be finite and >= 0, got {flat[index].item()!r}{where}"


def numpy_step_ops(np: Any, dtype: Any) -> NumpyOps:
    """The operations for numpy steps of ``dtype`` (already checked to be ints or floats)."""
    if dtype.kind == "f":
        return NumpyOps(np, dtype, None, int(np.finfo(dtype).nmant) + 1)
    return NumpyOps(np, np.dtype(np.float64), int(np.iinfo(dtype).max), None)


def check_numpy_dtype(dtype: Any) -> None:
    """Raise ``TypeError`` for numpy steps that are not ints or floats of 32 bits or more."""
    if dtype.kind not in "iuf":
        raise TypeError(f"steps must be an array of ints or floats, got dtype {dtype}")
    if dtype.kind == "f" and dtype.itemsize < 4:
        raise TypeError(_NARROW_STEPS.format(dtype=dtype))


def _numpy_ops(t: Array) -> ArrayOps:
    np = sys.modules["numpy"]
    dtype = np.asarray(t).dtype
    check_numpy_dtype(dtype)
    if np.size(t):
        low = np.min(t)
        if dtype.kind == "f":
            if not (low >= 0 and np.max(t) < math.inf):
                raise ValueError(_bad_steps(t, np))
        elif low < 0:
            raise ValueError(_bad_steps(t, np))
    return numpy_step_ops(np, dtype)


def _jax_ops(t: Array) -> ArrayOps:
    jnp = sys.modules.get("jax.numpy") or importlib.import_module("jax.numpy")
    dtype = t.dtype
    if jnp.issubdtype(dtype, jnp.floating):
        bits = int(jnp.finfo(dtype).nmant) + 1
        if bits < 24:
            raise TypeError(_NARROW_STEPS.format(dtype=dtype))
        return ArrayOps(jnp, dtype, None, bits)
    if not jnp.issubdtype(dtype, jnp.integer):
        raise TypeError(f"steps must be an array of ints or floats, got dtype {dtype}")
    return ArrayOps(jnp, jnp.result_type(float), int(jnp.iinfo(dtype).max), None)


def _torch_ops(t: Array) -> ArrayOps:
    torch = sys.modules["torch"]
    if t.layout != torch.strided:
        raise TypeError(f"steps must be a dense tensor, got a tensor with layout {t.layout}")
    dtype = t.dtype
    if t.is_floating_point():
        if dtype not in (torch.float32, torch.float64):
            raise TypeError(_NARROW_STEPS.format(dtype=dtype))
        return TorchOps(torch, dtype, None, 53 if dtype == torch.float64 else 24)
    if dtype not in (torch.int8, torch.int16, torch.int32, torch.int64, torch.uint8):
        if dtype in (torch.uint16, torch.uint32, torch.uint64):  # torch barely supports them
            raise TypeError(f"steps must not be {dtype}, which few torch operations support; use torch.int64")
        raise TypeError(f"steps must be a tensor of ints or floats, got dtype {dtype}")  # complex, bool
    return TorchOps(torch, torch.get_default_dtype(), int(torch.iinfo(dtype).max), None)


def _array_api_ops(t: Array) -> ArrayOps:
    xp = t.__array_namespace__()
    if xp.isdtype(t.dtype, "real floating"):
        return ArrayApiOps(xp, t.dtype, None, 53 if t.dtype == xp.float64 else 24)
    if not xp.isdtype(t.dtype, "integral"):
        raise TypeError(f"steps must be an array of ints or floats, got dtype {t.dtype}")
    default = xp.__array_namespace_info__().default_dtypes()["real floating"]
    return ArrayApiOps(xp, default, int(xp.iinfo(t.dtype).max), None)


_LIBRARIES: dict[str, Callable[[Array], Operations]] = {
    "numpy": _numpy_ops,
    "jax": _jax_ops,
    "jaxlib": _jax_ops,
    "torch": _torch_ops,
}
_BY_TYPE: dict[type, Callable[[Array], Operations]] = {}


def check_scalar(t: int | float) -> None:
    """Raise ``ValueError`` for a negative, NaN, infinite or too large Python step."""
    if not 0 <= t < MAX_SCALAR_STEP:
        raise ValueError(_checks.must_be("step", "a finite number >= 0", t))


def namespace(t: Any) -> Operations:
    """Return the operations for step ``t``, checking numpy steps on the way.

    Raises:
        TypeError: ``t`` is not a number or a supported array.
        ValueError: a Python or numpy step is negative, NaN or infinite.
    """
    kind = type(t)
    if kind is int or kind is float:
        check_scalar(t)
        return SCALAR
    factory = _BY_TYPE.get(kind)
    if factory is None:
        factory = _factory(t)
        _BY_TYPE[kind] = factory
    return factory(t)


def _factory(t: Any) -> Callable[[Array], Operations]:
    library = type(t).__module__.partition(".")[0]
    if library in _LIBRARIES:
        return _LIBRARIES[library]
    if isinstance(t, bool):
        raise TypeError(_checks.must_be("step", "an int, a float or an array", t))
    if isinstance(t, int | float):
        return _scalar_subclass
    if hasattr(t, "__array_namespace__"):
        return _array_api_ops
    raise TypeError(
        _checks.must_be(
            "step", "an int, a float or an array (numpy, JAX, torch, array API)", t, show_type=True
        )
    )


def _scalar_subclass(t: Any) -> Operations:
    check_scalar(t)
    return SCALAR


def evaluate_whole(schedule: Any, t: Any, dtype: Any, threads: int | None) -> Any:
    """Evaluate ``schedule``'s formula at all of ``t`` at once with :func:`namespace`'s operations.

    The reference evaluation: an array of ``t``'s shape in the result's dtype, or a
    Python float for a Python number.
    """
    ops = namespace(t)
    if isinstance(ops, ScalarOps):
        if dtype is not None:
            raise TypeError(
                "dtype applies to arrays of steps; a Python number step gives a Python float,"
                f" got dtype={dtype!r}"
            )
        return cast(schedule.formula(t, ops))
    assert isinstance(ops, ArrayOps)
    if dtype is not None:
        ops = ops.with_dtype(dtype)
    try:
        value = schedule.formula(t, ops)
    except OverflowError as error:
        # JAX takes a Python int as its default int (int32 without jax_enable_x64), so an
        # integer of the schedule beyond it cannot meet uint32 (uint64 with x64) steps.
        raise TypeError(
            f"steps of dtype {t.dtype} cannot meet this schedule's integers in"
            f" {ops.xp.__name__.partition('.')[0]} ({error}); use signed steps: int32, or"
            " int64 (JAX: with jax_enable_x64)"
        ) from error
    return finish(ops, t, value)


def finish(ops: Any, t: Any, value: Any) -> Any:
    """A formula's value as an array of ``t``'s shape in the result's dtype."""
    if isinstance(value, int | float):
        return ops.full(t, value)
    if value.dtype != ops.dtype:
        return ops.cast(value)
    return value
