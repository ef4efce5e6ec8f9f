"""Python-number steps: one function generated from the schedule's recorded formula.

``s(t)`` for a Python ``int`` or ``float`` is the hot path of the adapters: once per
optimizer update. Running ``formula(t, ops)`` for it costs a dozen Python calls for
``warmup * multistep * polynomial`` (the operations object, its helpers, each
factor). Instead the formula is recorded once as an expression graph
(:mod:`schedcore._graph`) and turned into the source of a single function, e.g.::

    def scalar(t):
        if t < 3000000:
            if t < 1000:
                return ((t / 1000.0) * sqrt(((9000000 - t) / 9000000.0)))
            return sqrt(((9000000 - t) / 9000000.0))
        if t < 6000000:
            return (0.1 * sqrt(((9000000 - t) / 9000000.0)))
        ...

compiled with :func:`exec` (as :mod:`dataclasses` builds its methods), registered with
:mod:`linecache` so that tracebacks show it, and kept on the schedule. Each node
becomes the Python operation that :class:`~schedcore._backend.ScalarOps` performs for
it, in the same order, so the float is the one ``formula(t, SCALAR)`` gives; a value
used twice is computed once into a local variable, and the branches of a ``where``
(the pieces of a join, the two sides of a warmup's end) are ``if`` blocks, computed
only when taken. The math functions are called directly where an interval analysis
of the graph shows they cannot overflow or leave their domain, and through the
non-raising wrappers of :mod:`schedcore._backend` elsewhere. Where the formula has
only a few regions (:func:`schedcore._graph.specialize`: the steps on which every
comparison, clamp and branch is decided), the function finds the region of ``t`` with
a binary search on their ends and returns that region's specialization, as above: the
decided operations are gone, and each constant folded with Python's own arithmetic, so
the float is still the formula's. A formula too large for Python's compiler is called
as it is, ``formula(t, SCALAR)``.

The source is built only from the graph's operations and the schedule's own checked
numbers; nothing a user typed reaches :func:`exec` as text.
"""

from __future__ import annotations

import itertools
import linecache
import math
import re
from bisect import bisect_right
from collections.abc import Callable, Iterator
from typing import Any

from schedcore import _backend
from schedcore._graph import BINARY, Graph, Node, Specialized, _first_after, record, specialize

__all__ = ["compile_scalar"]

Scalar = Callable[[Any], float]

_CHAIN = 8  # a lookup with more thresholds than this uses bisect
_REGIONS = 8  # a formula with at most this many regions returns each one's specialization
_REGION_NODES = 100  # unless it has more nodes than this: each region would cost a walk of them all
_DEPTH = 40  # an expression nested deeper than this is split into statements
_SYMBOLS = {
    "add": "+",
    "sub": "-",
    "mul": "*",
    "truediv": "/",
    "floordiv": "//",
    "mod": "%",
    "pow": "**",
    "ge": ">=",
    "gt": ">",
    "le": "<=",
    "lt": "<",
}
_EXP_LIMIT = 709.0  # math.exp and math.expm1 overflow just above 709.78
#: The Python-number steps, as float bounds: ``0 <= t < 2**1023``.
_ALL_STEPS = (0.0, float(_backend.MAX_SCALAR_STEP))
#: ``float(x)`` of an int raises from about ``2**1024`` on: half that leaves the rounding of
#: the bounds a wide margin, and holds every Python-number step.
_CAST_LIMIT = _ALL_STEPS[1]
_FLOATS = ("truediv", "exp", "expm1", "log", "log1p", "sin", "cos", "tanh", "sqrt", "floor", "power", "cast")
_SERIAL = itertools.count(1)


def compile_scalar(schedule: Any) -> Scalar:
    """The function ``t -> float(schedule(t))`` for a checked Python number ``t``."""
    formula = schedule.formula
    graph = record(formula, _backend.SCALAR)
    root = graph.root
    if not isinstance(root, Node):
        value = _backend.cast(root)
        return lambda t: value
    try:
        source, names = _source(graph)
        filename = f"<schedcore formula #{next(_SERIAL)} of {type(schedule).__name__}>"
        code = compile(source, filename, "exec")
    except (SyntaxError, RecursionError, MemoryError):
        scalar = _backend.SCALAR
        return lambda t: _backend.cast(formula(t, scalar))  # too large for Python's compiler
    linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
    exec(code, names)  # only our operations and numbers: see the module docstring
    compiled: Scalar = names["scalar"]
    return compiled


class _If:
    """An ``if`` / ``elif`` / ``else`` statement: ``arms`` of (condition, block), then ``otherwise``."""

    __slots__ = ("arms", "otherwise")

    def __init__(self) -> None:
        self.arms: list[tuple[str, list[Any]]] = []
        self.otherwise: list[Any] = []


def _render(block: list[Any], indent: str, lines: list[str]) -> None:
    for item in block:
        if isinstance(item, str):
            lines.append(indent + item)
            continue
        for i, (condition, body) in enumerate(item.arms):
            lines.append(f"{indent}{'if' if i == 0 else 'elif'} {condition}:")
            _render(body, indent + "    ", lines)
        lines.append(indent + "else:")
        _render(item.otherwise, indent + "    ", lines)


#: The callables the generated source may name, besides the numbers it keeps as names.
_FUNCTIONS: dict[str, Any] = {
    "exp": math.exp,
    "expm1": math.expm1,
    "log": math.log,
    "log1p": math.log1p,
    "sin": math.sin,
    "cos": math.cos,
    "tanh": math.tanh,
    "sqrt": math.sqrt,
    "bisect_right": bisect_right,
    "_exp": _backend.exp,
    "_expm1": _backend.expm1,
    "_log": _backend.log,
    "_log1p": _backend.log1p,
    "_sin": _backend.sin,
    "_cos": _backend.cos,
    "_sqrt": _backend.sqrt,
    "_floor": _backend.floor,
    "_power": _backend.power,
    "_cast": _backend.cast,
}


def _source(graph: Graph) -> tuple[str, dict[str, Any]]:
    """The source of ``def scalar(t)`` for ``graph``, and the names it uses.

    Where the formula has at most :data:`_REGIONS` regions from step 0 on, the function
    first finds the region of ``t`` (a binary search written as ``if`` statements on the
    regions' ends) and returns that region's specialization, in which the decided
    comparisons, clamps and branches are gone; else it computes the whole formula.
    """
    names = dict(_FUNCTIONS)
    counter = itertools.count(1)
    lines = ["def scalar(t):"]
    regions = _regions(graph)
    if regions is None:
        _render(_Emitter(graph, names, counter).body(graph.root), "    ", lines)
    else:
        _dispatch(graph, regions, names, counter, "    ", lines)
    return "\n".join(lines) + "\n", names


def _regions(graph: Graph) -> list[Specialized] | None:
    """The formula specialized on each of its regions in turn from step 0, if they are few.

    ``None`` when there are more than :data:`_REGIONS`, when one is not decided, when
    two leave a gap between them (steps between whole numbers that neither holds), or
    when the formula has more than :data:`_REGION_NODES` nodes.
    """
    if len(graph.order) > _REGION_NODES:
        return None
    regions: list[Specialized] = []
    point: Any = 0
    while len(regions) < _REGIONS:
        spec = specialize(graph, (point, 0), (point, 1))
        if not spec.decided or (regions and spec.lower > regions[-1].upper):
            return None
        regions.append(spec)
        if not spec.upper[0] < _backend.MAX_SCALAR_STEP:  # the last region
            return regions
        point = _first_after(spec.upper)
    return None


def _dispatch(
    graph: Graph,
    regions: list[Specialized],
    names: dict[str, Any],
    counter: Iterator[int],
    indent: str,
    lines: list[str],
) -> None:
    """The statements that find the region of ``t`` among ``regions`` and return its value."""
    if len(regions) == 1:
        spec = regions[0]
        low, high = _step_range(spec)
        specialized = Graph(spec.root, graph.step, graph.target)
        _render(_Emitter(specialized, names, counter, (low, high)).body(spec.root), indent, lines)
        return
    middle = len(regions) // 2
    bound, closed = regions[middle - 1].upper
    if not isinstance(bound, int) and bound == math.floor(bound):
        bound = math.floor(bound)
    elif not isinstance(bound, int) and abs(bound) < 2**53:
        # No float and no whole number lies strictly between an end and the float next to
        # it on the region's side, so comparing with that float decides the same.
        bound = _outward(bound, -math.inf if closed else math.inf)
    threshold = _Emitter.number(bound, names, counter)
    lines.append(f"{indent}if t {'<=' if closed else '<'} {threshold}:")
    _dispatch(graph, regions[:middle], names, counter, indent + "    ", lines)
    _dispatch(graph, regions[middle:], names, counter, indent, lines)


def _step_range(spec: Specialized) -> tuple[float, float]:
    """Float bounds of the steps of a region, widened by an ulp where a cut is not a float."""
    low, high = spec.lower[0], spec.upper[0]
    first, limit = _ALL_STEPS
    low = first if not low > first else _outward(low, -math.inf)
    high = limit if not high < limit else _outward(high, math.inf)
    return low, high


def _outward(value: Any, direction: float) -> float:
    """The float nearest to ``value`` on the side of ``direction`` (``value`` itself if a float)."""
    near = float(value)
    return near if near == value or (near > value) == (direction > 0) else math.nextafter(near, direction)


class _Emitter:
    """Turns a recorded graph into statements that end in ``return``, for steps in ``steps``.

    ``names`` (the source's globals) and ``counter`` (for fresh local and global names)
    are shared by the emitters of one function.
    """

    def __init__(
        self,
        graph: Graph,
        names: dict[str, Any],
        counter: Iterator[int],
        steps: tuple[float, float] = _ALL_STEPS,
    ) -> None:
        self.graph = graph
        self.uses: dict[int, int] = {}
        for node in graph.order:
            for arg in node.args:
                if isinstance(arg, Node):
                    self.uses[id(arg)] = self.uses.get(id(arg), 0) + 1
        self.bounds = _bounds(graph.order, steps)
        self.floats = _float_nodes(graph.order)
        self.names = names
        self.counter = counter
        self.indices: dict[tuple[str, Any], tuple[str, list[Any]]] = {}  # (step, thresholds) -> index

    def body(self, root: Any) -> list[Any]:
        """The statements that compute ``root`` (a node or a constant) and return it as a float."""
        if not isinstance(root, Node):
            return [f"return {self.constant(_backend.cast(root))}"]
        block: list[Any] = []
        text, _ = self.expression(root, block, {})
        if id(root) not in self.floats:
            text = f"_cast({text})"
        return [*block, f"return {text}"]

    # --- names and numbers

    def fresh(self) -> str:
        return f"v{next(self.counter)}"

    def constant(self, value: Any) -> str:
        return self.number(value, self.names, self.counter)

    @staticmethod
    def number(value: Any, names: dict[str, Any], counter: Iterator[int]) -> str:
        """A number as source: a literal where its repr is exact, else a global name."""
        if isinstance(value, bool):
            return repr(value)
        if isinstance(value, int) and abs(value) < 10**30:
            return repr(value) if value >= 0 else f"({value!r})"
        if isinstance(value, float) and math.isfinite(value):
            return repr(value) if math.copysign(1.0, value) > 0 else f"({value!r})"
        name = f"_k{next(counter)}"
        names[name] = value
        return name

    # --- expressions

    def expression(self, x: Any, block: list[Any], env: dict[int, str]) -> tuple[str, int]:
        """The text of ``x`` and its nesting depth, with the statements it needs put in ``block``.

        ``env`` maps nodes already computed in this block (or around it) to their
        variables. The walk is iterative; only ``where`` recurses, into its branches.
        """
        if not isinstance(x, Node):
            return self.constant(x), 0
        done: dict[int, tuple[str, int]] = {}
        stack: list[tuple[Node, bool]] = [(x, False)]
        while stack:
            node, expanded = stack.pop()
            key = id(node)
            if key in env or key in done:
                continue
            if not expanded and node.op != "where":
                stack.append((node, True))
                stack.extend((a, False) for a in node.args if isinstance(a, Node))
                continue
            if node.op == "where":
                text, depth = self.where(node, block, env)
            else:
                args = [self.operand(a, env, done) for a in node.args]
                text, depth = self.text(node, args, block)
            if (self.uses.get(key, 0) > 1 or depth > _DEPTH) and not _atomic(text):
                name = self.fresh()
                block.append(f"{name} = {text}")
                env[key] = name
            else:
                done[key] = (text, depth)
        return self.operand(x, env, done)

    def operand(self, x: Any, env: dict[int, str], done: dict[int, tuple[str, int]]) -> tuple[str, int]:
        if not isinstance(x, Node):
            return self.constant(x), 0
        if x.op == "step":
            return "t", 0
        if id(x) in env:
            return env[id(x)], 0
        return done[id(x)]

    def atom(self, operand: tuple[str, int], block: list[Any]) -> str:
        """An operand that is safe to write twice: a name or a number."""
        text = operand[0]
        if _atomic(text):
            return text
        name = self.fresh()
        block.append(f"{name} = {text}")
        return name

    def text(self, node: Node, args: list[tuple[str, int]], block: list[Any]) -> tuple[str, int]:
        op = node.op
        depth = 1 + max((d for _, d in args), default=0)
        if op == "step":
            return "t", 0
        if op in BINARY:
            return f"({args[0][0]} {_SYMBOLS[op]} {args[1][0]})", depth
        if op == "neg":
            return f"(-{args[0][0]})", depth
        if op in ("minimum", "maximum"):
            x, c = self.atom(args[0], block), self.atom(args[1], block)
            return f"({c} if {c} {'<' if op == 'minimum' else '>'} {x} else {x})", depth
        if op == "lookup":
            return self.lookup(node, self.atom(args[0], block), block), depth
        if op == "power":
            return self.power(node, args[0][0]), depth
        if op == "cast":
            low, high = self.bounds.get(id(node.args[0]), _ANY)
            safe = math.isfinite(low) and math.isfinite(high) and max(-low, high) <= _CAST_LIMIT
            return f"{'float' if safe else '_cast'}({args[0][0]})", depth
        if op == "real":
            return args[0][0], depth - 1
        return f"{self.function_name(node)}({args[0][0]})", depth

    def function_name(self, node: Node) -> str:
        """The math function, or its non-raising wrapper where the argument may need it."""
        op = node.op
        low, high = self.bounds.get(id(node.args[0]), _ANY)
        safe = {
            "exp": high < _EXP_LIMIT,
            "expm1": high < _EXP_LIMIT,
            "log": low > 0,
            "log1p": low > -1,
            "sin": math.isfinite(low) and math.isfinite(high),
            "cos": math.isfinite(low) and math.isfinite(high),
            "sqrt": low >= 0,
            "tanh": True,
            "floor": False,
        }[op]
        return op if safe else f"_{op}"

    def power(self, node: Node, base: str) -> str:
        p = node.param
        low, _ = self.bounds.get(id(node.args[0]), _ANY)
        result_low, result_high = self.bounds.get(id(node), _ANY)
        safe = (low > 0 or (low >= 0 and p >= 0)) and math.isfinite(result_high) and math.isfinite(result_low)
        return f"({base} ** {self.constant(p)})" if safe else f"_power({base}, {self.constant(p)})"

    def lookup(self, node: Node, x: str, block: list[Any]) -> str:
        thresholds, values, _ = node.param
        if len(thresholds) > _CHAIN:  # lookups with the same thresholds share one bisect
            index = self.indices.get((x, thresholds))
            if index is None or index[1] is not block:
                name = self.fresh()
                block.append(f"{name} = bisect_right({self.constant(thresholds)}, {x})")
                index = self.indices[(x, thresholds)] = (name, block)
            return f"{self.constant(values)}[{index[0]}]"
        parts = [
            f"{self.constant(v)} if {x} < {self.constant(m)} else"
            for m, v in zip(thresholds, values, strict=False)
        ]
        return "(" + " ".join([*parts, self.constant(values[-1])]) + ")"

    def where(self, node: Node, block: list[Any], env: dict[int, str]) -> tuple[str, int]:
        """A ``where``, and the ``where`` s that are only its ``else`` branch, as one ``if``."""
        chain = [node]
        while True:
            inner = chain[-1].args[2]
            if not (isinstance(inner, Node) and inner.op == "where" and self.uses.get(id(inner)) == 1):
                break
            chain.append(inner)
        conditions = [self.expression(w.args[0], block, env)[0] for w in chain]
        branches = [self.branch(w.args[1], env) for w in chain]
        otherwise = self.branch(chain[-1].args[2], env)
        if len(chain) == 1 and not branches[0][0] and not otherwise[0]:
            (_, yes, d1), (_, no, d2) = branches[0], otherwise
            return f"({yes} if {conditions[0]} else {no})", 1 + max(d1, d2)
        name = self.fresh()
        statement = _If()
        for condition, (body, text, _) in zip(conditions, branches, strict=True):
            statement.arms.append((condition, [*body, f"{name} = {text}"]))
        statement.otherwise = [*otherwise[0], f"{name} = {otherwise[1]}"]
        block.append(statement)
        env[id(node)] = name
        return name, 0

    def branch(self, x: Any, env: dict[int, str]) -> tuple[list[Any], str, int]:
        body: list[Any] = []
        text, depth = self.expression(x, body, dict(env))
        return body, text, depth


_ATOM = re.compile(r"[A-Za-z_]\w*|\(?-?[0-9][0-9.e+-]*\)?|True|False")


def _atomic(text: str) -> bool:
    """A name or a number: safe to write twice, nothing to compute."""
    return _ATOM.fullmatch(text) is not None


_ANY = (-math.inf, math.inf)


def _float_nodes(order: list[Node]) -> set[int]:
    """The nodes whose Python value is always a float (``t`` may be an int)."""
    floats: set[int] = set()

    def is_float(x: Any) -> bool:
        return isinstance(x, float) or (isinstance(x, Node) and id(x) in floats)

    for node in order:
        op = node.op
        if op in _FLOATS or (
            op == "lookup" and not node.param[2] and all(isinstance(v, float) for v in node.param[1])
        ):
            floats.add(id(node))
        elif op in ("add", "sub", "mul", "pow", "floordiv", "mod", "neg", "minimum", "maximum"):
            if any(is_float(a) for a in node.args):
                floats.add(id(node))
        elif op == "where" and is_float(node.args[1]) and is_float(node.args[2]):
            floats.add(id(node))
    return floats


def _bounds(order: list[Node], steps: tuple[float, float]) -> dict[int, tuple[float, float]]:
    """Bounds of every node's value for any step in ``steps`` (conservative)."""
    bounds: dict[int, tuple[float, float]] = {}

    def of(x: Any) -> tuple[float, float]:
        if isinstance(x, Node):
            return bounds.get(id(x), _ANY)
        if isinstance(x, int | float):
            value = float(x) if not isinstance(x, int) or abs(x) < 2**1000 else math.copysign(math.inf, x)
            return value, value
        return _ANY

    for node in order:
        if node.op == "step":
            bounds[id(node)] = steps
            continue
        try:
            low, high = _transfer(node, [of(a) for a in node.args])
        except (OverflowError, ValueError, ZeroDivisionError, TypeError):
            low, high = _ANY
        if math.isnan(low) or math.isnan(high):
            low, high = _ANY
        bounds[id(node)] = (low, high)
    return bounds


def _products(a: tuple[float, float], b: tuple[float, float]) -> tuple[float, float]:
    values = [x * y for x in a for y in b]
    if any(math.isnan(v) for v in values):
        return _ANY
    return min(values), max(values)


def _monotone(f: Callable[[float], float], low: float, high: float) -> tuple[float, float]:
    return f(low), f(high)


def _transfer(node: Node, args: list[tuple[float, float]]) -> tuple[float, float]:
    """The bounds of one operation's value from its operands' bounds."""
    op = node.op
    if op in ("ge", "gt", "le", "lt"):
        return 0.0, 1.0
    if op == "add":
        return args[0][0] + args[1][0], args[0][1] + args[1][1]
    if op == "sub":
        return args[0][0] - args[1][1], args[0][1] - args[1][0]
    if op == "mul":
        return _products(args[0], args[1])
    if op == "truediv":
        (bl, bh) = args[1]
        if bl <= 0 <= bh:
            return _ANY
        return _products(args[0], (1 / bh, 1 / bl))
    if op == "neg":
        return -args[0][1], -args[0][0]
    if op in ("minimum", "maximum"):
        pick = min if op == "minimum" else max
        return pick(args[0][0], args[1][0]), pick(args[0][1], args[1][1])
    if op == "where":
        return min(args[1][0], args[2][0]), max(args[1][1], args[2][1])
    if op == "lookup":
        values = [float(v) for v in node.param[1]]
        return min(values), max(values)
    if op == "mod":
        n_low, n_high = args[1]
        return (0.0, n_high) if n_low > 0 else _ANY
    if op == "floordiv":
        if args[1][0] <= 0 or args[0][0] < 0:
            return _ANY
        return 0.0, args[0][1] / args[1][0]
    if op in ("sin", "cos", "tanh"):
        return -1.0, 1.0
    low, high = args[0]
    if op in ("exp", "expm1"):
        f = _backend.exp if op == "exp" else _backend.expm1
        return _monotone(f, low, high)
    if op == "sqrt":
        return math.sqrt(max(low, 0.0)), math.sqrt(high) if high >= 0 else 0.0
    if op in ("log", "log1p"):
        f = _backend.log if op == "log" else _backend.log1p
        return _monotone(f, max(low, -1.0 if op == "log1p" else 0.0), high)
    if op == "floor":
        return float(math.floor(low)) if math.isfinite(low) else low, high
    if op in ("power", "pow"):
        if op == "pow" and args[1][0] != args[1][1]:
            return _ANY
        exponent = float(node.param) if op == "power" else args[1][0]
        if low < 0:
            return _ANY
        ends = [_backend.power(low, exponent), _backend.power(high, exponent)]
        return min(ends), max(ends)
    if op in ("cast", "real"):
        return low, high
    return _ANY
