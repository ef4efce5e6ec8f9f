"""Schedules as data: :func:`from_dict` and the expression reader :func:`parse`.

``parse`` reads the same text that ``repr`` writes, for example::

    warmup(1000) * multistep([30000, 60000], gamma=0.1) * polynomial(90000, power=0.5)

It walks the syntax tree from the standard library's :mod:`ast` and accepts only
the schedule grammar: calls of the public constructors with positional and keyword
arguments, numbers, strings, ``True`` / ``False`` / ``None``, lists, and ``*``,
``/``, ``+``, ``-`` between schedules and numbers. Nothing is ever evaluated as
Python code. Anything else, text longer than 10,000 characters, or nesting deeper
than 32 levels is a ``ValueError`` that gives the column and quotes the text.
"""

from __future__ import annotations

import ast
import dataclasses
import math
import numbers

from schedcore import _checks, combinators
from schedcore._base import REGISTRY, Schedule

TYPE_CHECKING = False  # typing is only imported by type checkers: see DEVELOPERS.md
if TYPE_CHECKING:
    from typing import Any

__all__ = ["MAX_DEPTH", "MAX_LENGTH", "ParseError", "from_dict", "parse"]

#: Longest expression :func:`parse` reads, in characters.
MAX_LENGTH = 10_000
#: Deepest nesting of calls, lists and brackets that :func:`parse` and
#: :func:`from_dict` accept.
MAX_DEPTH = 32

_OPEN, _CLOSE = "([{", ")]}"
_PRODUCT_AND_SUM = {"product", "sum"}  # written with ``*`` and ``+`` in expressions


def _constructors() -> dict[str, Any]:
    names: dict[str, Any] = {n: c for n, c in REGISTRY.items() if n not in _PRODUCT_AND_SUM}
    names["compose"] = combinators.compose
    return names


# --- from_dict ------------------------------------------------------------------------


def from_dict(data: object) -> Schedule:
    """Rebuild a schedule from the output of :meth:`Schedule.to_dict`.

    ``data`` is a dict with a ``"type"`` key naming the constructor and one key per
    argument; nested schedules are nested dicts. The constructors check every value.

    Raises:
        ValueError: ``data`` does not describe a valid schedule; the message says
            where (``$.factors[1]``) and why.

    Example:
        >>> sc.from_dict({"type": "warmup", "steps": 100})
        warmup(100)
    """
    value = _from_data(data, "$", 0)
    if not isinstance(value, Schedule):
        raise ValueError(f"from_dict expects a dict with a 'type' key, got {_checks.describe(data)}")
    return value


def _from_data(data: object, path: str, depth: int) -> Any:
    if depth > MAX_DEPTH:
        raise ValueError(f"from_dict: {path} nests deeper than {MAX_DEPTH} levels")
    if isinstance(data, dict):
        return _schedule_from_dict(data, path, depth)
    if isinstance(data, list | tuple):
        return [_from_data(item, f"{path}[{i}]", depth + 1) for i, item in enumerate(data)]
    if data is None or isinstance(data, bool | int | float | str):
        return data
    raise ValueError(f"from_dict: {path} holds an unsupported value {_checks.describe(data, show_type=True)}")


def _schedule_from_dict(data: dict[Any, Any], path: str, depth: int) -> Schedule:
    kind = data.get("type")
    cls = REGISTRY.get(kind) if isinstance(kind, str) else None
    if cls is None:
        known = ", ".join(sorted(REGISTRY))
        raise ValueError(f"from_dict: {path} has unknown type {_checks.describe(kind)}; known: {known}")
    parameters = [f.name for f in dataclasses.fields(cls) if f.init]  # type: ignore[arg-type]
    arguments = {}
    for key, value in data.items():
        if key == "type":
            continue
        if key not in parameters:
            raise ValueError(
                f"from_dict: {path} ({kind}) has no parameter {_checks.describe(key)};"
                f" it takes {', '.join(parameters)}"
            )
        arguments[key] = _from_data(value, f"{path}.{key}", depth + 1)
    try:
        return cls(**arguments)
    except (TypeError, ValueError, OverflowError) as error:
        raise ValueError(f"from_dict: {path} ({kind}): {error}") from error


# --- parse ----------------------------------------------------------------------------


#: The package's names in Python code: ``sc.cosine(100)`` reads as ``cosine(100)``.
_PACKAGE = ("sc", "schedcore")


class ParseError(ValueError):
    """A schedule expression that :func:`parse` cannot read; the message says where and why."""


ParseError.__module__ = "schedcore"  # where users catch it: schedcore.ParseError


def parse(text: str) -> Schedule:
    """Read a schedule expression, such as the ``repr`` of a schedule.

    The constructors may also be written as in Python code, ``sc.cosine(100)`` or
    ``schedcore.cosine(100)``.

    Raises:
        TypeError: ``text`` is not a string.
        ParseError: the text is not a valid schedule expression (a ``ValueError``); the
            message gives the column and quotes the offending part.

    Example:
        >>> sc.parse("warmup(10) * multistep([30, 60], gamma=0.1)")
        warmup(10) * multistep([30, 60], gamma=0.1)
    """
    if not isinstance(text, str):
        raise TypeError(_checks.must_be("text", "a str", text, show_type=True))
    if len(text) > MAX_LENGTH:
        raise ParseError(f"schedule expression is {len(text)} characters long; the limit is {MAX_LENGTH}")
    source = text.strip()
    if not source:
        raise ParseError("schedule expression is empty")
    _check_brackets(source)
    try:
        tree = ast.parse(source, mode="eval")
    except SyntaxError as error:
        column = f" at column {error.offset}" if error.offset else ""
        raise ParseError(f"invalid schedule expression{column}: {error.msg}: {_quote(source)}") from None
    except (RecursionError, MemoryError):
        raise ParseError(f"schedule expression nests too deeply: {_quote(source)}") from None
    except ValueError as error:  # e.g. null bytes, or an int literal with too many digits
        raise ParseError(f"invalid schedule expression: {error}") from None
    value = _Reader(source).read(tree.body, 0)
    if not isinstance(value, Schedule):
        raise ParseError(
            f"schedule expression {_quote(source)} is {_checks.describe(value)}, not a schedule;"
            " write constant(...) for a constant"
        )
    return value


def _quote(text: str, limit: int = 60) -> str:
    return repr(text if len(text) <= limit else text[: limit - 3] + "...")


def _check_brackets(source: str) -> None:
    depth = 0
    for column, char in enumerate(source, start=1):
        if char in _OPEN:
            depth += 1
            if depth > MAX_DEPTH:
                raise ParseError(
                    f"schedule expression nests deeper than {MAX_DEPTH} levels at column {column}:"
                    f" {_quote(source[max(0, column - 30) : column + 10])}"
                )
        elif char in _CLOSE:
            depth -= 1


class _Reader:
    """Turns an expression tree into a schedule, accepting only the grammar."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.constructors = _constructors()

    def fail(self, node: ast.AST, reason: str, hint: str = "") -> ParseError:
        segment = ast.get_source_segment(self.source, node) or ""
        line = getattr(node, "lineno", 1)
        where = f"column {getattr(node, 'col_offset', 0) + 1}"
        if "\n" in self.source:
            where = f"line {line}, {where}"
        return ParseError(f"{reason} at {where}: {_quote(segment)}" + (f"; {hint}" if hint else ""))

    def read(self, node: ast.AST, depth: int) -> Any:
        if depth > MAX_DEPTH:
            raise self.fail(node, f"nesting deeper than {MAX_DEPTH} levels")
        if isinstance(node, ast.Constant):
            return self.constant(node)
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub | ast.UAdd):
            value = self.read(node.operand, depth + 1)
            if not (isinstance(value, Schedule) or _is_number(value)):
                raise self.fail(node, f"cannot negate {_checks.describe(value, show_type=True)}")
            return -value if isinstance(node.op, ast.USub) else value
        if isinstance(node, ast.BinOp):
            return self.chain(node, depth)
        if isinstance(node, ast.List | ast.Tuple):
            return [self.read(item, depth + 1) for item in node.elts]
        if isinstance(node, ast.Call):
            return self.call(node, depth)
        if isinstance(node, ast.Name):
            if node.id in self.constructors:
                raise self.fail(node, f"{node.id} must be called, as in {node.id}(...)")
            raise self.fail(node, f"unknown name {node.id!r}", f"expected one of {self.known()}")
        if isinstance(node, ast.Attribute):
            raise self.fail(node, "attributes are not allowed")
        raise self.fail(node, f"{type(node).__name__} is not allowed in a schedule expression")

    def known(self) -> str:
        return ", ".join(sorted(self.constructors))

    def constant(self, node: ast.Constant) -> Any:
        value = node.value
        if value is None or isinstance(value, bool | str):
            return value
        if isinstance(value, int | float):
            if not math.isfinite(value):
                raise self.fail(node, "numbers must be finite")
            return value
        raise self.fail(node, f"{type(value).__name__} literals are not allowed")

    def chain(self, node: ast.BinOp, depth: int) -> Any:
        # Walk the left spine iteratively, so that long sums and products do not count
        # as nesting: ``a * b * c`` is one level, not three.
        steps: list[ast.BinOp] = []
        left: ast.AST = node
        while isinstance(left, ast.BinOp):
            steps.append(left)
            left = left.left
        value = self.read(left, depth + 1)
        for step in reversed(steps):
            if not isinstance(step.op, ast.Mult | ast.Div | ast.Add | ast.Sub):
                raise self.fail(step, f"operator {type(step.op).__name__} is not allowed")
            value = self.arithmetic(step, value, self.read(step.right, depth + 1), step.op)
        return value

    def arithmetic(self, node: ast.AST, a: Any, b: Any, op: ast.AST) -> Any:
        for operand in (a, b):
            if not (isinstance(operand, Schedule) or _is_number(operand)):
                raise self.fail(
                    node, f"cannot do arithmetic with {_checks.describe(operand, show_type=True)}"
                )
        try:
            if isinstance(op, ast.Mult):
                result = a * b
            elif isinstance(op, ast.Div):
                result = a / b
            elif isinstance(op, ast.Add):
                result = a + b
            else:
                result = a - b
        except (TypeError, ValueError, ZeroDivisionError, OverflowError) as error:
            raise self.fail(node, str(error) or type(error).__name__) from None
        if _is_number(result) and not math.isfinite(result):
            raise self.fail(node, "the result is not a finite number")
        return result

    def call(self, node: ast.Call, depth: int) -> Schedule:
        func = node.func
        if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and func.value.id in _PACKAGE:
            name = func.attr  # sc.cosine(100), pasted from Python code
        elif isinstance(func, ast.Name):
            name = func.id
        else:
            raise self.fail(func, "only schedule constructors can be called")
        constructor = self.constructors.get(name)
        if constructor is None:
            raise self.fail(node.func, f"unknown schedule {name!r}", f"expected one of {self.known()}")
        args = []
        for arg in node.args:
            if isinstance(arg, ast.Starred):
                raise self.fail(arg, "*arguments are not allowed")
            args.append(self.read(arg, depth + 1))
        kwargs = {}
        for keyword in node.keywords:
            if keyword.arg is None:
                raise self.fail(keyword.value, "**arguments are not allowed")
            kwargs[keyword.arg] = self.read(keyword.value, depth + 1)
        try:
            return constructor(*args, **kwargs)  # type: ignore[no-any-return]
        except (TypeError, ValueError, OverflowError) as error:
            raise self.fail(node, f"{name}: {error}") from None


def _is_number(value: object) -> bool:
    return isinstance(value, numbers.Real) and not isinstance(value, bool)
