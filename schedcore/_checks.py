"""Argument checks shared by every constructor.

Each check either returns the normalised value (an ``int`` for lengths, a ``float``
for real parameters, a ``tuple`` for sequences) or raises ``TypeError`` /
``ValueError`` with a message that names the parameter and the bad value, e.g.
``steps must be a positive int, got 0``.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Callable, Iterable

TYPE_CHECKING = False  # typing is only imported by type checkers: see DEVELOPERS.md
if TYPE_CHECKING:
    from typing import Any

__all__ = [
    "choice",
    "derived",
    "describe",
    "flag",
    "is_real",
    "length",
    "lengths",
    "must_be",
    "real",
    "reals",
]


def describe(value: object, *, show_type: bool = False) -> str:
    """Render ``value`` for an error message: ``0``, ``float 2.5``, ``str '10'``."""
    try:
        text = repr(value)
    except ValueError:  # an int beyond Python's limit on digits it converts to text
        text = f"<an int of {value.bit_length()} bits>" if isinstance(value, int) else "<unprintable>"
    if len(text) > 60:
        text = text[:57] + "..."
    if value is not None and (show_type or isinstance(value, bool | str | bytes)):
        return f"{type(value).__name__} {text}"
    return text


def must_be(name: str, what: str, value: object, *, show_type: bool = False) -> str:
    """Build the message ``"<name> must be <what>, got <value>"``."""
    return f"{name} must be {what}, got {describe(value, show_type=show_type)}"


def is_real(value: object) -> bool:
    """Whether ``value`` is a real number (``bool`` is not)."""
    return isinstance(value, numbers.Real) and not isinstance(value, bool)


_is_real = is_real


#: Lengths are counts of updates; no training run comes near 2**63 of them.
MAX_LENGTH = 2**63 - 1


def length(name: str, value: object, *, minimum: int = 1) -> int:
    """Check a length (a count of updates) and return it as an ``int``.

    ints are accepted, and so are floats with an integral value (``3e6``); anything
    else (``2.5``, ``"10"``, ``True``) is a ``TypeError``; a value below ``minimum``
    or above ``2**63 - 1`` is a ``ValueError``.
    """
    what = "a positive int" if minimum == 1 else f"an int >= {minimum}"
    if isinstance(value, numbers.Integral) and not isinstance(value, bool):
        number = int(value)
    elif _is_real(value) and _whole(value):
        number = int(float(value))  # type: ignore[arg-type]
    else:
        raise TypeError(must_be(name, what, value, show_type=True))
    if number < minimum:
        raise ValueError(must_be(name, what, value))
    if number > MAX_LENGTH:
        raise ValueError(must_be(name, f"{what} below 2**63", value))
    return number


def _whole(value: Any) -> bool:
    try:
        number = float(value)
    except OverflowError:
        return False
    return math.isfinite(number) and number.is_integer()


def real(
    name: str,
    value: object,
    *,
    above: float | None = None,
    at_least: float | None = None,
    below: float | None = None,
    at_most: float | None = None,
) -> float:
    """Check a finite real number within optional bounds and return it as a ``float``."""
    bounds = []
    if above is not None:
        bounds.append(f"> {above:g}")
    if at_least is not None:
        bounds.append(f">= {at_least:g}")
    if below is not None:
        bounds.append(f"< {below:g}")
    if at_most is not None:
        bounds.append(f"<= {at_most:g}")
    what = "a finite number" + (" " + " and ".join(bounds) if bounds else "")
    if not _is_real(value):
        raise TypeError(must_be(name, what, value, show_type=True))
    try:
        number = float(value)  # type: ignore[arg-type]
    except OverflowError:  # an int beyond the floats: 10**400
        raise ValueError(must_be(name, what, value)) from None
    if not math.isfinite(number):
        raise ValueError(must_be(name, what, value))
    if (
        (above is not None and not number > above)
        or (at_least is not None and not number >= at_least)
        or (below is not None and not number < below)
        or (at_most is not None and not number <= at_most)
    ):
        raise ValueError(must_be(name, what, value))
    return number + 0.0  # turns -0.0 into 0.0 so that reprs stay tidy


def sequence(name: str, value: object, what: str) -> list[Any]:
    """The items of a list, tuple, range or 1-d array (numpy, torch, JAX), unchecked."""
    if hasattr(value, "tolist") and not isinstance(value, str | bytes):
        value = value.tolist()  # a numpy array of milestones
    if isinstance(value, list | tuple | range):
        return list(value)
    raise TypeError(must_be(name, what, value, show_type=True))


def lengths(
    name: str,
    value: object,
    *,
    strictly_increasing: bool = False,
    allow_empty: bool = True,
    minimum: int = 1,
) -> tuple[int, ...]:
    """Check a list of lengths (milestones, boundaries) and return it as a tuple."""
    what = "a list of positive ints" if minimum == 1 else f"a list of ints >= {minimum}"
    items = sequence(name, value, what)
    if not items and not allow_empty:
        raise ValueError(f"{name} must not be empty")
    result = tuple(length(f"{name}[{i}]", item, minimum=minimum) for i, item in enumerate(items))
    for i in range(1, len(result)):
        if result[i] < result[i - 1] or (strictly_increasing and result[i] == result[i - 1]):
            order = "strictly increasing" if strictly_increasing else "non-decreasing"
            raise ValueError(f"{name} must be {order}, got {list(result)}")
    return result


def derived(expression: str, compute: Callable[[], float], **arguments: object) -> float:
    """Compute a number from checked arguments; one that is not finite names them all.

    ``compute`` may overflow or divide by zero; that too is a ``ValueError``:
    ``derived("eta_min / base_lr", lambda: 1e300 / 1e-300, eta_min=1e300, base_lr=1e-300)``
    raises ``eta_min / base_lr must be a finite number, got eta_min=1e+300 and base_lr=1e-300``.
    """
    try:
        number = compute()
    except (OverflowError, ZeroDivisionError):
        number = math.nan
    if math.isfinite(number):
        return number
    shown = [f"{key}={describe(item)}" for key, item in arguments.items()]
    listed = shown[0] if len(shown) == 1 else ", ".join(shown[:-1]) + " and " + shown[-1]
    raise ValueError(f"{expression} must be a finite number, got {listed}")


def reals(name: str, value: object, **bounds: float) -> tuple[float, ...]:
    """Check a list of finite real numbers and return it as a tuple of floats."""
    items = sequence(name, value, "a list of finite numbers")
    return tuple(real(f"{name}[{i}]", item, **bounds) for i, item in enumerate(items))


def choice(name: str, value: object, options: Iterable[str]) -> str:
    """Check that ``value`` is one of the strings in ``options``."""
    allowed = tuple(options)
    if not isinstance(value, str):
        raise TypeError(must_be(name, f"one of {allowed}", value, show_type=True))
    if value not in allowed:
        raise ValueError(must_be(name, f"one of {allowed}", value))
    return value


def flag(name: str, value: object) -> bool:
    """Check a ``bool`` option."""
    if not isinstance(value, bool):
        raise TypeError(must_be(name, "a bool", value, show_type=True))
    return value
