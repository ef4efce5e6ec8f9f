"""A schedule's formula as an expression graph, and what a range of steps decides in it.

:func:`record` runs a schedule's ``formula`` once with a :class:`Recorder`: an
:class:`~schedcore.operations.Operations` whose "arrays" are :class:`Node` objects.
The step operations (``select``, ``piecewise``, ``remaining``, ...) are written over
the primitives, so the graph holds only primitives: arithmetic, comparisons,
``where``, ``minimum`` / ``maximum``, ``lookup``, the math functions and casts. The
recorder takes its decisions about the step's type (which thresholds fit, whether
``times`` widens) from a *target*, the operations of the steps to be evaluated, and
for numpy targets every node carries a one-element *probe*, the value of its operation
on a probe step computed by numpy itself: that gives each node the dtype numpy's own
promotion rules give it in the whole-array evaluation.

:func:`specialize` then says what a range of steps decides (:class:`Specialized`):
step expressions are tracked as exact integer affine forms ``a * t + c``, so that a
comparison, ``minimum``, ``maximum``, ``lookup``, ``floordiv`` or ``mod`` of one with a
constant is settled when the whole range is on one side of its threshold. On integer
steps of numpy targets, a float expression that moves one way with the step (a cast
form scaled and shifted by constants, as ``stretch`` and ``per_sample`` make) settles a
comparison or clamp too: its values at the range's ends decide it, and bisection on
whole steps finds where the outcome changes. The
decided operations become constants or aliases, constants are folded (with the
target's own arithmetic, so the folded value is the value the whole-array evaluation
computes), and the result comes with the *region*, the steps on which every decision
taken holds. :mod:`schedcore._chunked` builds its numpy programs from these
specializations, and :meth:`Schedule.breakpoints` walks the regions.

Neither this module nor its users know any schedule class: a new formula gets all of
this by being written with the operations.
"""

from __future__ import annotations

import math
import operator
import sys
from collections.abc import Callable, Iterator, Sequence
from fractions import Fraction
from typing import Any

from schedcore.operations import Operations

__all__ = ["Graph", "Node", "Recorder", "Specialized", "breakpoint_runs", "nodes_of", "record", "specialize"]

#: Operations of two operands written with Python's operators.
BINARY: dict[str, Callable[[Any, Any], Any]] = {
    "add": operator.add,
    "sub": operator.sub,
    "mul": operator.mul,
    "truediv": operator.truediv,
    "floordiv": operator.floordiv,
    "mod": operator.mod,
    "pow": operator.pow,
    "ge": operator.ge,
    "gt": operator.gt,
    "le": operator.le,
    "lt": operator.lt,
}
#: The primitives of one value that each library implements as a method of its operations.
UNARY = ("exp", "expm1", "log", "log1p", "sin", "cos", "tanh", "sqrt", "floor", "cast", "real")
COMPARISONS = ("ge", "gt", "le", "lt")
_MIRRORED = {"ge": "le", "gt": "lt", "le": "ge", "lt": "gt"}  # c OP x is x MIRRORED c


class Node:
    """One operation of a recorded formula.

    Attributes:
        op: The primitive: a key of :data:`BINARY`, ``"neg"``, one of :data:`UNARY`,
            ``"where"``, ``"minimum"``, ``"maximum"``, ``"power"``, ``"lookup"``, or
            ``"step"`` for the step itself.
        args: The operands: nodes, or constants (Python numbers, numpy scalars).
        param: For ``lookup``, ``(thresholds, values, steps)``; for ``power``, the exponent.
        probe: For numpy targets, the operation's value at the probe step (a
            one-element array, whose dtype is the node's); ``None`` otherwise.
        origin: The recorded node this one stands for (itself, for recorded nodes):
            specializations rebuild nodes, and programs are cached by origin.
        exact: For a recorded ``lookup``, its thresholds as exact numbers, found on its
            first specialization (``None`` before).
    """

    __slots__ = ("args", "exact", "op", "origin", "param", "probe")
    __array_ufunc__ = None  # numpy scalars defer to the node's operators

    def __init__(self, op: str, args: tuple[Any, ...], param: Any = None, probe: Any = None) -> None:
        self.op = op
        self.args = args
        self.param = param
        self.probe = probe
        self.origin = self
        self.exact: list[Any] | None = None

    def __repr__(self) -> str:
        return f"<{self.op} node>"

    def with_args(self, args: tuple[Any, ...]) -> Node:
        """This operation on ``args``: itself if they are its own, else a new node of the same origin."""
        if all(a is b for a, b in zip(args, self.args, strict=True)):
            return self
        fresh = Node(self.op, args, self.param, self.probe)
        fresh.origin = self.origin
        return fresh

    def __bool__(self) -> bool:
        raise TypeError(
            "a schedule's formula cannot branch on the step with a Python `if`, `and`, `or` or"
            " `not`: choose between values with ops.where, ops.select or ops.piecewise"
        )

    def __eq__(self, other: object) -> bool:
        raise TypeError(
            "a formula cannot compare the step with ==; use ops.reached(t, m) (t >= m) or ops.where"
        )

    __ne__ = __eq__  # type: ignore[assignment]
    __hash__ = object.__hash__

    def _binary(self, op: str, a: Any, b: Any) -> Node:
        probe = None
        if self.probe is not None:
            probe = BINARY[op](_probe(a), _probe(b))
        return Node(op, (a, b), probe=probe)

    def __add__(self, other: Any) -> Node:
        return self._binary("add", self, other)

    def __radd__(self, other: Any) -> Node:
        return self._binary("add", other, self)

    def __sub__(self, other: Any) -> Node:
        return self._binary("sub", self, other)

    def __rsub__(self, other: Any) -> Node:
        return self._binary("sub", other, self)

    def __mul__(self, other: Any) -> Node:
        return self._binary("mul", self, other)

    def __rmul__(self, other: Any) -> Node:
        return self._binary("mul", other, self)

    def __truediv__(self, other: Any) -> Node:
        return self._binary("truediv", self, other)

    def __rtruediv__(self, other: Any) -> Node:
        return self._binary("truediv", other, self)

    def __floordiv__(self, other: Any) -> Node:
        return self._binary("floordiv", self, other)

    def __rfloordiv__(self, other: Any) -> Node:
        return self._binary("floordiv", other, self)

    def __mod__(self, other: Any) -> Node:
        return self._binary("mod", self, other)

    def __rmod__(self, other: Any) -> Node:
        return self._binary("mod", other, self)

    def __pow__(self, other: Any) -> Node:
        return self._binary("pow", self, other)

    def __rpow__(self, other: Any) -> Node:
        return self._binary("pow", other, self)

    def __ge__(self, other: Any) -> Node:
        return self._binary("ge", self, other)

    def __gt__(self, other: Any) -> Node:
        return self._binary("gt", self, other)

    def __le__(self, other: Any) -> Node:
        return self._binary("le", self, other)

    def __lt__(self, other: Any) -> Node:
        return self._binary("lt", self, other)

    def __neg__(self) -> Node:
        return Node("neg", (self,), probe=None if self.probe is None else -self.probe)

    def __pos__(self) -> Node:
        return self


def _probe(value: Any) -> Any:
    return value.probe if isinstance(value, Node) else value


def apply(target: Operations, op: str, args: Sequence[Any], param: Any) -> Any:
    """The value of the primitive ``op`` on concrete ``args``, with ``target``'s arithmetic."""
    if op in BINARY:
        return BINARY[op](args[0], args[1])
    if op == "neg":
        return -args[0]
    if op == "where":
        return target.where(args[0], args[1], args[2])
    if op == "minimum":
        return target.minimum(args[0], args[1])
    if op == "maximum":
        return target.maximum(args[0], args[1])
    if op == "power":
        return target.power(args[0], param)
    if op == "lookup":
        thresholds, values, steps = param
        return target.lookup(args[0], thresholds, values, steps)
    if op == "gather":  # a numpy table of a part's values at each remainder (schedcore._chunked)
        return param[args[0]]
    if op == "quotient":  # a floordiv that schedcore._chunked leaves to run
        return args[0] // args[1]
    return getattr(target, op)(args[0])


class Recorder(Operations):
    """Operations that record a formula as :class:`Node` objects instead of computing it.

    Args:
        target: The operations of the steps the graph is for; the recorder takes its
            step type from them (``int_max``, ``float_bits``) and, when ``probing``,
            computes each node's probe with them.
        probing: Whether nodes carry probes (numpy targets).
    """

    def __init__(self, target: Operations, probing: bool) -> None:
        self.target = target
        self.probing = probing
        self.int_max = target.int_max
        self.float_bits = target.float_bits

    def _make(self, op: str, args: tuple[Any, ...], param: Any = None) -> Any:
        if not any(isinstance(a, Node) for a in args):
            return apply(self.target, op, args, param)  # constants: folded as the target folds them
        probe = apply(self.target, op, [_probe(a) for a in args], param) if self.probing else None
        return Node(op, args, param, probe)

    def where(self, condition: Any, a: Any, b: Any) -> Any:
        return self._make("where", (condition, a, b))

    def minimum(self, x: Any, c: Any) -> Any:
        return self._make("minimum", (x, c))

    def maximum(self, x: Any, c: Any) -> Any:
        return self._make("maximum", (x, c))

    def exp(self, x: Any) -> Any:
        return self._make("exp", (x,))

    def expm1(self, x: Any) -> Any:
        return self._make("expm1", (x,))

    def log(self, x: Any) -> Any:
        return self._make("log", (x,))

    def log1p(self, x: Any) -> Any:
        return self._make("log1p", (x,))

    def sin(self, x: Any) -> Any:
        return self._make("sin", (x,))

    def cos(self, x: Any) -> Any:
        return self._make("cos", (x,))

    def tanh(self, x: Any) -> Any:
        return self._make("tanh", (x,))

    def sqrt(self, x: Any) -> Any:
        return self._make("sqrt", (x,))

    def floor(self, x: Any) -> Any:
        return self._make("floor", (x,))

    def power(self, x: Any, p: float) -> Any:
        return self._make("power", (x,), p)

    def full(self, t: Any, value: float) -> Any:
        if self.probing:  # a one-element array of the result's dtype: it stands for an array
            return self.target.full(_probe(t), value)
        return self.target.full(t, value)

    def cast(self, x: Any) -> Any:
        return self._identity_or("cast", x)

    def real(self, t: Any) -> Any:
        return self._identity_or("real", t)

    def _identity_or(self, op: str, x: Any) -> Any:
        if not isinstance(x, Node):
            return apply(self.target, op, (x,), None)
        if not self.probing:
            return x if op == "real" else Node(op, (x,))  # Python numbers: real is t itself
        probe = apply(self.target, op, (x.probe,), None)
        return x if probe is x.probe else Node(op, (x,), None, probe)

    def lookup(self, x: Any, thresholds: Sequence[Any], values: Sequence[Any], steps: bool = False) -> Any:
        return self._make("lookup", (x,), (tuple(thresholds), tuple(values), steps))

    def widened(self) -> Recorder:
        return Recorder(self.target.widened(), self.probing)


class Graph:
    """A recorded formula: its ``root`` (a node or a constant) and its ``step`` node."""

    __slots__ = ("order", "root", "step", "target", "wants_form")

    def __init__(self, root: Any, step: Node, target: Operations) -> None:
        self.root = root
        self.step = step
        self.target = target
        self.order = nodes_of(root)
        self.wants_form = _forms_wanted(self.order)


def record(formula: Callable[[Any, Operations], Any], target: Operations, probe_step: Any = None) -> Graph:
    """Record ``formula(t, ops)`` for steps of ``target``'s kind.

    Args:
        formula: A schedule's bound ``formula`` method.
        target: The operations of the steps to evaluate.
        probe_step: For numpy targets, a one-element array of the steps' dtype;
            ``None`` records without probes (Python numbers).
    """
    step = Node("step", (), probe=probe_step)
    recorder = Recorder(target, probing=probe_step is not None)
    return Graph(formula(step, recorder), step, target)


def nodes_of(root: Any) -> list[Node]:
    """The nodes ``root`` depends on, each after its operands (iterative: graphs may be deep)."""
    if not isinstance(root, Node):
        return []
    order: list[Node] = []
    seen: set[int] = set()
    stack: list[tuple[Node, bool]] = [(root, False)]
    while stack:
        node, expanded = stack.pop()
        if expanded:
            order.append(node)
            continue
        if id(node) in seen:
            continue
        seen.add(id(node))
        stack.append((node, True))
        for arg in reversed(node.args):
            if isinstance(arg, Node) and id(arg) not in seen:
                stack.append((arg, False))
    return order


def _forms_wanted(order: list[Node]) -> set[int]:
    """The nodes whose affine form some decision uses (so a ``mod`` is worth settling).

    A ``mod`` whose result only feeds float arithmetic (a cosine wave reducing its
    step) is left to run: settling it would only cut the steps into more regions.
    """
    wanted: set[int] = set()
    for node in reversed(order):  # consumers first
        op = node.op
        passes = op in ("add", "sub", "mul", "real", "cast", "where", "mod") and id(node) in wanted
        decides = op in COMPARISONS or op in ("minimum", "maximum", "lookup", "floordiv")
        if passes or decides:
            for arg in node.args[1:] if op == "where" else node.args:
                if isinstance(arg, Node):
                    wanted.add(id(arg))
    return wanted


# --- specialization ------------------------------------------------------------------------
# A cut bounds the steps on one side: a lower cut (X, 0) means t >= X and (X, 1) means
# t > X; an upper cut (Y, 0) means t < Y and (Y, 1) means t <= Y. So t satisfies a lower
# cut L when (t, 0.5) > L and an upper cut U when (t, 0.5) < U, and the intersection of
# cuts is the max of the lower ones and the min of the upper ones (tuple order).

Cut = tuple[Any, int]
EVERY_STEP: tuple[Cut, Cut] = ((0, 0), (math.inf, 0))


def _exact(value: Any) -> Any:
    """``value`` as an exact number: an int when it is whole, else a Fraction (inf stays)."""
    if hasattr(value, "dtype"):  # a numpy constant: a one-element array or a scalar
        value = value.item() if getattr(value, "size", 1) == 1 else value
    if isinstance(value, Fraction):
        return int(value) if value.denominator == 1 else value
    if hasattr(value, "__index__"):  # Python and numpy ints, bools
        return operator.index(value)
    value = float(value)
    if not math.isfinite(value):
        return value
    return int(value) if value.is_integer() else Fraction(value)


def _integer(value: Any) -> int | None:
    """``value`` if it is a whole number (a Python or numpy int, or a whole float), else ``None``."""
    if isinstance(value, bool) or value is None:
        return None
    try:
        number = _exact(value)
    except (TypeError, ValueError, OverflowError):
        return None
    return number if isinstance(number, int) else None


class Form:
    """A step expression's exact value ``a * t + c`` (``a >= 1``), and its dtype's limits."""

    __slots__ = ("a", "c", "lower", "mods", "upper")

    def __init__(
        self,
        a: int,
        c: int,
        lower: Cut = (-math.inf, 0),
        upper: Cut = (math.inf, 0),
        mods: tuple[int, ...] = (),
    ) -> None:
        self.a = a
        self.c = c
        self.lower = lower  # where the computed value is a * t + c
        self.upper = upper
        self.mods = mods  # the settled mods it is computed through: it restarts with their periods

    def like(self, a: int, c: int, lower: Cut | None = None, upper: Cut | None = None) -> Form:
        """A form derived from this one (through the same mods)."""
        return Form(
            a, c, self.lower if lower is None else lower, self.upper if upper is None else upper, self.mods
        )

    def at(self, t: Any) -> Any:
        return self.a * t + self.c if self.a != 1 else t + self.c

    def crossing(self, k: Any) -> Any:
        """The step where ``a * t + c`` equals ``k``."""
        k = _exact(k)
        if isinstance(k, float):  # infinite
            return k
        return (k - self.c) if self.a == 1 else Fraction(k - self.c, self.a)


class Specialized:
    """What a range of steps decides in a graph: see :func:`specialize`.

    Attributes:
        root: The specialized formula: a node (of a rebuilt graph) or a constant.
        lower, upper: The region: the steps on which every decision taken holds.
        decided: Whether every decision the forms allow was taken (no threshold
            inside the range); else the region is only the range itself.
    """

    __slots__ = ("decided", "horizon", "lower", "period", "root", "upper", "window")

    def __init__(self, root: Any, lower: Cut, upper: Cut, decided: bool) -> None:
        self.root = root
        self.lower = lower
        self.upper = upper
        self.decided = decided
        #: When the region ends where a ``floordiv`` or ``mod`` of the step changes, its
        #: period: that outcome keeps changing every ``period`` steps until ``horizon``,
        #: the next end of any other decision's region.
        self.period = 0
        self.horizon: Cut = upper
        #: When a ``mod`` of the step itself holds the other decisions in its period
        #: ``[start, start + period)``: ``(start, period, horizon)``, the region pattern
        #: repeating every period until ``horizon``, the next change of anything else.
        self.window: tuple[Any, int, Cut] | None = None


#: A decision's region: lower and upper cuts, its period (0: none), the mods the form it
#: used goes through, and for a mod its own id.
_Decision = tuple["Cut | None", "Cut | None", int, tuple[int, ...], "int | None"]


class _Specializer:
    def __init__(self, graph: Graph, lower: Cut, upper: Cut) -> None:
        self.graph = graph
        self.target = graph.target
        self.probing = graph.step.probe is not None
        lo, hi = _exact(lower[0]), _exact(upper[0])
        self.lo, self.hi = lo, hi  # the range's extremes (open or closed: extremes all the same)
        # The cuts of each node's decisions, and the nodes that could not decide: only
        # the nodes the specialized root still depends on count (a dead branch's don't).
        self.cuts: dict[int, list[_Decision]] = {}
        self.open: set[int] = set()
        self.chosen: dict[int, int] = {}  # a settled where: the operand it chose
        self.current: list[_Decision] = []
        self.unsettled = False
        self.new: dict[int, Any] = {}  # id(recorded node) -> its replacement: a node or a constant
        self.forms: dict[int, Form] = {}
        # Float nodes that move with the step one way only (numpy targets, integer steps):
        # id -> (1 rising or -1 falling, the node with an affine form it starts from).
        self.monotone: dict[int, tuple[int, Node]] = {}

    # --- region bookkeeping

    def holds(
        self,
        lower: Cut | None = None,
        upper: Cut | None = None,
        form: Form | None = None,
        period: int = 0,
        window: int | None = None,
    ) -> None:
        """Narrow the region to where a decision holds (and its form is exact).

        ``period``: the decision is a ``floordiv`` or ``mod`` of the step itself shifted,
        whose outcome changes again every ``period`` steps; ``window``: it is that
        ``mod`` node's id (for :func:`breakpoint_runs`).
        """
        lineage = form.mods if form is not None else ()
        if form is not None:
            self.current.append((form.lower, form.upper, 0, (), None))
        self.current.append((lower, upper, period, lineage, window))

    def typed(self, node: Node, value: Any) -> Any:
        """``value`` as a constant of ``node``'s dtype (numpy), as the array would hold it.

        A one-element array, not a numpy scalar: numpy 1 promotes scalars by their value,
        and the constant stands for an array.
        """
        if not self.probing:
            return value
        return sys.modules["numpy"].full(1, value, dtype=node.probe.dtype)

    def value(self, arg: Any) -> Any:
        return self.new[id(arg)] if isinstance(arg, Node) else arg

    def rebuilt(self, node: Node, args: tuple[Any, ...]) -> Any:
        if not any(isinstance(a, Node) for a in args):
            return apply(self.target, node.op, args, node.param)
        return node.with_args(args)

    # --- the walk

    def run(self) -> Specialized:
        step = self.graph.step
        wants = self.graph.wants_form
        for node in self.graph.order:
            if node is step:
                self.new[id(node)] = node
                self.forms[id(node)] = self.step_form(node)
                continue
            args = tuple(self.value(a) for a in node.args)
            forms = [self.valid(self.forms.get(id(a))) if isinstance(a, Node) else None for a in node.args]
            self.current, self.unsettled = [], False
            result, form = self.decide(node, args, forms, id(node) in wants)
            if self.current:
                self.cuts[id(node)] = self.current
            if self.unsettled:
                self.open.add(id(node))
            self.new[id(node)] = result
            if form is not None:
                self.forms[id(node)] = form
            elif isinstance(result, Node):
                self.follow(node)
        return self.region(self.value(self.graph.root))

    def region(self, root: Any) -> Specialized:
        """The region where the decisions the specialized root depends on hold."""
        lower, upper = EVERY_STEP
        decided = True
        live: list[_Decision] = []
        seen: set[int] = set()
        stack = [self.graph.root]
        while stack:
            node = stack.pop()
            if not isinstance(node, Node) or id(node) in seen:
                continue
            seen.add(id(node))
            decided = decided and id(node) not in self.open
            live.extend(self.cuts.get(id(node), ()))
            chosen = self.chosen.get(id(node))
            stack.extend(node.args if chosen is None else (node.args[0], node.args[chosen]))
        for low, high, _, _, _ in live:
            lower = low if low is not None and low > lower else lower
            upper = high if high is not None and high < upper else upper
        spec = Specialized(root, lower, upper, decided)
        self.patterns(spec, live)
        return spec

    @staticmethod
    def patterns(spec: Specialized, live: list[_Decision]) -> None:
        """Find the repetitions :func:`breakpoint_runs` uses: ``spec.period`` and ``spec.window``."""
        relative = {mod for _, _, _, lineage, _ in live for mod in lineage}  # mods others restart with
        uppers = [(high, period, mod) for _, high, period, _, mod in live if high is not None]
        repeating = {
            period for high, period, mod in uppers if high == spec.upper and period and mod not in relative
        }
        still = [
            high
            for high, period, mod in uppers
            if not (high == spec.upper and period and mod not in relative)
        ]
        if len(repeating) == 1 and all(high > spec.upper for high in still):
            spec.period = repeating.pop()
            spec.horizon = min([(math.inf, 0), *still, *(h for h, p, m in uppers if p and h != spec.upper)])
        raw = {
            mod: (low, period)
            for low, _, period, lineage, mod in live
            if period and mod is not None and low is not None and not lineage
        }
        if len(raw) == 1:
            ((mod, (start, period)),) = raw.items()
            assert start is not None
            others = [
                high
                for _, high, _, lineage, own in live
                if high is not None and mod not in lineage and own != mod
            ]
            spec.window = (start[0], period, min([(math.inf, 0), *others]))

    def valid(self, form: Form | None) -> Form | None:
        """``form``, if the whole range lies where it is exact (else nothing can be decided from it)."""
        if form is None or not ((self.lo, 0.5) > form.lower and (self.hi, 0.5) < form.upper):
            return None
        return form

    def step_form(self, step: Node) -> Form:
        bits = self.target.float_bits
        if bits is None:
            return Form(1, 0)
        return Form(1, 0, upper=(2**bits, 0))  # float steps hold whole numbers exactly up to 2**bits

    def decide(self, node: Node, args: tuple[Any, ...], forms: list[Form | None], wanted: bool) -> Any:
        op = node.op
        x, fx = (args[0], forms[0]) if forms else (None, None)
        if op in COMPARISONS:
            if fx is not None and not isinstance(args[1], Node):
                return self.compare(node, op, fx, node.args[0], args[1]), None
            if forms[1] is not None and not isinstance(args[0], Node):
                return self.compare(node, _MIRRORED[op], forms[1], node.args[1], args[0]), None
        elif op == "minimum" or op == "maximum":
            if fx is not None and not isinstance(args[1], Node):
                return self.clamp(node, op, x, fx, args[1])
        elif op == "lookup" and fx is not None:
            return self.lookup(node, fx, args)
        elif op == "floordiv" and fx is not None and _integer(args[1]) is not None:
            return self.floordiv(node, fx, _integer(args[1]))  # type: ignore[arg-type]
        elif op == "mod" and fx is not None and wanted and _integer(args[1]) is not None:
            return self.mod(node, x, fx, _integer(args[1]))  # type: ignore[arg-type]
        if op in _MONOTONE_DECISIONS and id(node.args[0]) in self.monotone and not isinstance(args[1], Node):
            decided = self.decide_monotone(node, op, x, args[1])
            if decided is not None:
                return decided, None
        if op in _LIMITS and id(node.args[0]) in self.monotone:
            constant = self.saturated(node, op, args)
            if constant is not None:
                return constant, None
        if op == "mul" and self.probing:
            constant = self.zero_product(node, args)
            if constant is not None:
                return constant, None
        if op == "where" and not isinstance(args[0], Node):
            self.chosen[id(node)] = 1 if args[0] else 2
            chosen = args[1] if args[0] else args[2]
            return self.converted(node, chosen), (forms[1] if args[0] else forms[2])
        result = self.rebuilt(node, args)
        return self.simplified(node, result, args), self.propagated(node, args, forms)

    def simplified(self, node: Node, result: Any, args: tuple[Any, ...]) -> Any:
        """``x * 1`` and ``x / 1`` are ``x``, bit for bit, when the dtype stays the same."""
        if not isinstance(result, Node) or result.op not in ("mul", "truediv"):
            return result
        a, b = args
        for kept, one in ((a, b), (b, a)) if result.op == "mul" else ((a, b),):
            if (
                isinstance(kept, Node)
                and not isinstance(one, Node | bool)
                and one == 1
                and (not self.probing or kept.probe.dtype == node.probe.dtype)
            ):
                return kept
        return result

    def converted(self, node: Node, value: Any) -> Any:
        """``value`` (a branch of a settled ``where``) in the ``where``'s own dtype."""
        if not self.probing:
            return value
        if isinstance(value, Node):
            if value.probe.dtype == node.probe.dtype:
                return value
            fresh = Node("cast_to", (value,), None, node.probe)
            fresh.origin = node.origin
            return fresh
        return self.typed(node, value)

    def propagated(self, node: Node, args: tuple[Any, ...], forms: list[Form | None]) -> Form | None:
        """The affine form of a cast, or of arithmetic on a form and an integer constant.

        Exact arithmetic only: integer dtypes (within their range, see :meth:`bounded`),
        and for float steps a cast that does not narrow and ``x - k``, which is exact
        for ``x >= k`` and keeps the sign below (float steps may be fractional, so
        ``x + k`` and ``x * k`` may round).
        """
        op = node.op
        if op in ("real", "cast"):
            return self.cast_form(node, forms[0])
        if op not in ("add", "sub", "mul") or len(forms) != 2:
            return None
        (fa, fb), (a, b) = forms, args
        if fb is not None and fa is None and op in ("add", "mul"):
            fa, fb, a, b = fb, None, b, a  # k + x and k * x
        k = _integer(b)
        if fa is None or fb is not None or k is None:
            return None
        if self.probing and node.probe.dtype.kind == "f":
            return fa.like(fa.a, fa.c - k) if op == "sub" else None
        if op == "add":
            return self.bounded(node, fa.like(fa.a, fa.c + k))
        if op == "sub":
            return self.bounded(node, fa.like(fa.a, fa.c - k))
        return self.bounded(node, fa.like(fa.a * k, fa.c * k)) if k >= 1 else None

    def cast_form(self, node: Node, fx: Form | None) -> Form | None:
        """A cast keeps the form where it converts exactly: whole numbers below ``2**bits``."""
        if fx is None:
            return None
        if not self.probing:
            limit = fx.crossing(2**53)  # Python floats
            return fx.like(fx.a, fx.c, upper=min(fx.upper, (limit, 0)))
        source, dtype = node.args[0].probe.dtype, node.probe.dtype
        if dtype.kind != "f":
            return None
        bits = _float_bits(dtype)
        if source.kind == "f":
            return fx if _float_bits(source) <= bits else None  # narrowing a fraction rounds it
        return fx.like(fx.a, fx.c, upper=min(fx.upper, (fx.crossing(2**bits), 0)))

    def bounded(self, node: Node, form: Form) -> Form:
        """``form`` limited to the steps where its integer dtype holds ``a * t + c``."""
        limits = self._int_limits(node)
        if limits is None:
            return form
        low, high = limits
        lower = max(form.lower, (form.crossing(low), 0))
        upper = min(form.upper, (form.crossing(high), 1))
        return form.like(form.a, form.c, lower, upper)

    def _int_limits(self, node: Node) -> tuple[int, int] | None:
        if not self.probing:
            return None
        dtype = node.probe.dtype
        return _iinfo(dtype) if dtype.kind in "iu" else None

    # --- float expressions that move one way with the step

    def follow(self, node: Node) -> None:
        """Note that ``node`` rises or falls with the step, if it does.

        Only for float nodes of numpy targets over integer steps: a cast of a node with an
        affine form, and ``x + c``, ``x - c``, ``c - x``, ``x * c``, ``x / c``, ``-x``,
        ``minimum(x, c)`` and ``maximum(x, c)`` of such a node and a finite constant.
        Rounding to nearest keeps the order, so these stay monotone in floats.
        """
        if not self.probing or self.target.int_max is None or node.probe.dtype.kind != "f":
            return
        op, args = node.op, node.args
        if op in ("cast", "real", "neg"):
            seen = self.moves(args[0])
            if seen is not None:
                self.monotone[id(node)] = (-seen[0] if op == "neg" else seen[0], seen[1])
            return
        if op not in _MONOTONE_ARITHMETIC or len(args) != 2:
            return
        (a, b), flip = args, 1
        if not isinstance(a, Node):
            if op in ("truediv", "minimum", "maximum"):
                return
            a, b, flip = b, a, (-1 if op == "sub" else 1)
        seen = self.moves(a)
        if seen is None or isinstance(b, Node | bool) or not _finite(b):
            return
        if op in ("mul", "truediv"):
            if b == 0:
                return
            flip = 1 if b > 0 else -1
        self.monotone[id(node)] = (seen[0] * flip, seen[1])

    def moves(self, x: Any) -> tuple[int, Node] | None:
        """How ``x`` moves with the step: rising from itself if it has an affine form."""
        if not isinstance(x, Node):
            return None
        if id(x) in self.forms:
            return (1, x)
        return self.monotone.get(id(x))

    def value_at(self, node: Node, step: int, memo: dict[int, Any]) -> Any:
        """``node``'s value at one whole step, as numpy computes it (its base from its form)."""
        known = memo.get(id(node))
        if known is not None:
            return known
        seen = self.monotone.get(id(node))
        if seen is None:  # the base: exactly a * t + c
            form = self.forms[id(node)]
            value = sys.modules["numpy"].full(1, form.at(step), dtype=node.probe.dtype)
        else:
            args = [self.value_at(a, step, memo) if isinstance(a, Node) else a for a in node.args]
            value = apply(self.target, node.op, args, node.param)
        memo[id(node)] = value
        return value

    def decide_monotone(self, node: Node, op: str, x: Any, k: Any) -> Any:
        """A comparison or clamp of a monotone float with a constant, if the range settles it.

        The outcome holds on an interval of steps around the range (the values move one
        way); its ends are found by bisection on whole steps, within the steps where the
        base's affine form holds. ``None`` if the range does not settle it.
        """
        arg = node.args[0]
        k = self.operand(arg, k)
        if not _finite(k):
            return None

        def outcome(step: int) -> bool:  # the condition that picks x (or True for a comparison)
            value = self.value_at(arg, step, {}).item()
            return bool(_KEEPS[op](value, k))

        low = self.holds_monotone(arg, outcome)
        if low is None:
            return None
        if op in COMPARISONS:
            return self.typed(node, low)
        if low:  # minimum(x, k) is x, or maximum(x, k) is x
            return self.converted(node, x)
        return self.typed(node, k)

    def holds_monotone(self, arg: Node, outcome: Callable[[int], bool], needed: bool | None = None) -> Any:
        """Narrow the region to the steps around the range where ``outcome`` keeps its value.

        ``outcome`` is a condition on the monotone node ``arg`` at a whole step that changes
        at most once as the step grows. If it is the same at both ends of the range (and
        that is ``needed``, when given), the region becomes the interval of whole steps on
        which it stays so, found by bisection within the steps where the base's affine
        form holds, and the outcome is returned; else ``None``, and nothing is narrowed.
        """
        base = self.monotone[id(arg)][1]
        form = self.forms[id(base)]
        top = self.target.int_max  # the greatest step (integer steps only)
        if top is None:
            return None
        low = outcome(self.lo)
        if low != outcome(self.hi) or (needed is not None and low != needed):
            return None
        first = max(0, _first_after(form.lower)) if form.lower[0] > -math.inf else 0  # its first step
        last = min(_first_after(form.upper) - 1, top)
        if base.probe.dtype.kind in "iu":  # where its dtype holds a * t + c
            smallest, largest = _iinfo(base.probe.dtype)
            first = max(first, -((form.c - smallest) // form.a))
            last = min(last, (largest - form.c) // form.a)
        if not (first <= self.lo and self.hi <= last):
            return None
        # The outcome holds from `start` to `stop` (whole steps): stretch both ways.
        start = _edge(outcome, low, first, self.lo, downwards=True)
        stop = _edge(outcome, low, self.hi, last, downwards=False)
        self.holds((start, 0) if start > 0 else None, (stop + 1, 0) if stop < top else None, form)
        return low

    def saturated(self, node: Node, op: str, args: tuple[Any, ...]) -> Any:
        """A function of a monotone float that stays at its limit over the range: that constant.

        Far enough below 0, ``exp`` underflows to 0 and ``expm1`` rounds to -1: these
        functions rise with their argument and never pass their limits, so where both ends
        of the range give the limit, every step between does. The constant is the one the
        target computes, so every value stays the same, bit for bit (RAdam's warmup, once
        ``beta2 ** n`` underflows, becomes a fill). ``None`` if the range does not settle
        it: short of the limit, the region then ends where the limit begins, and a range
        across that step is left undecided.
        """
        arg = node.args[0]
        limits = _LIMITS[op]

        def at_limit(step: int) -> bool:
            value = apply(self.target, op, (self.value_at(arg, step, {}),), node.param)
            return bool(value.item() in limits)

        if at_limit(self.lo) != at_limit(self.hi):  # the range crosses where it starts
            self.settled()
            return None
        if not self.holds_monotone(arg, at_limit):  # short of it: the region ends where it starts
            return None
        return self.typed(node, apply(self.target, op, (self.value_at(arg, self.lo, {}),), node.param).item())

    def zero_product(self, node: Node, args: tuple[Any, ...]) -> Any:
        """``x * 0`` (a zero left by :meth:`saturated`) of a monotone float ``x``: a constant.

        It is a zero of ``x``'s sign where ``x`` is finite and not zero, and NaN where ``x``
        is infinite: one constant over the steps where ``x`` keeps its sign and stays
        finite or infinite. ``None`` if the range does not settle it.
        """
        zeros = [a for a in args if not isinstance(a, Node | bool) and _is_zero(a)]
        moving = [a for a in node.args if isinstance(a, Node) and id(a) in self.monotone]
        if len(args) != 2 or len(zeros) != 1 or len(moving) != 1:
            return None
        arg = moving[0]

        def kind(step: int) -> Any:
            value = self.value_at(arg, step, {}).item()
            return None if value == 0 or value != value else (value > 0, _finite(value))

        seen = kind(self.lo)
        if (
            seen is None
            or kind(self.hi) != seen
            or not self.holds_monotone(arg, lambda s: kind(s) == seen, True)
        ):
            return None
        values = [self.value_at(arg, self.lo, {}) if isinstance(a, Node) else a for a in args]
        return self.typed(node, apply(self.target, "mul", values, None).item())

    # --- the decisions

    def settled(self) -> None:
        """Record that a decision the forms allow could not be taken on this range."""
        self.unsettled = True

    def operand(self, other: Any, k: Any) -> Any:
        """The constant ``k`` as numpy turns it when it meets ``other``'s array.

        A weak float next to float32 becomes a float32: decisions compare what numpy compares.
        """
        if not self.probing or not isinstance(other, Node):
            return k
        np = sys.modules["numpy"]
        return np.asarray(k, dtype=np.result_type(other.probe, k)).item()

    def compare(self, node: Node, op: str, fx: Form, other: Any, k: Any) -> Any:
        k_exact = _exact(self.operand(other, k))
        x_lo, x_hi = fx.at(self.lo), fx.at(self.hi)
        point = fx.crossing(k_exact)
        if op in ("ge", "lt"):
            if x_lo >= k_exact:
                self.holds((point, 0), None, fx)
                return self.typed(node, op == "ge")
            if x_hi < k_exact:
                self.holds(None, (point, 0), fx)
                return self.typed(node, op == "lt")
        else:
            if x_lo > k_exact:
                self.holds((point, 1), None, fx)
                return self.typed(node, op == "gt")
            if x_hi <= k_exact:
                self.holds(None, (point, 1), fx)
                return self.typed(node, op == "le")
        self.settled()
        return self.rebuilt(node, tuple(self.value(a) for a in node.args))

    def clamp(self, node: Node, op: str, x: Any, fx: Form, k: Any) -> tuple[Any, Form | None]:
        k_exact = _exact(k)
        x_lo, x_hi = fx.at(self.lo), fx.at(self.hi)
        point = fx.crossing(k_exact)
        if op == "minimum":  # where both are equal, the side that lasts: the constant
            if x_lo >= k_exact:
                self.holds((point, 0), None, fx)
                return self.typed(node, k), None
            if x_hi <= k_exact:  # up to the crossing, and at it only if the range reaches it
                self.holds(None, (point, int(x_hi == k_exact)), fx)
                return self.converted(node, x), fx
        else:
            if x_lo >= k_exact:
                self.holds((point, 0), None, fx)
                return self.converted(node, x), fx
            if x_hi <= k_exact:
                self.holds(None, (point, int(x_hi == k_exact)), fx)
                return self.typed(node, k), None
        self.settled()
        return self.rebuilt(node, (x, k)), None

    def lookup(self, node: Node, fx: Form, args: tuple[Any, ...]) -> tuple[Any, Form | None]:
        thresholds, values, _steps = node.param
        exact = node.origin.exact
        if exact is None:  # specializing is done once per region: a lookup converts once
            exact = node.origin.exact = [_exact(m) for m in thresholds]
        first = _bisect(exact, fx.at(self.lo))
        if first != _bisect(exact, fx.at(self.hi)):
            self.settled()
            return self.rebuilt(node, args), None
        lower = (fx.crossing(exact[first - 1]), 0) if first else None
        upper = (fx.crossing(exact[first]), 0) if first < len(exact) else None
        self.holds(lower, upper, fx)
        return self.typed(node, values[first]), None

    def floordiv(self, node: Node, fx: Form, n: int) -> tuple[Any, Form | None]:
        e = fx.at(self.lo) // n
        if e != fx.at(self.hi) // n:
            self.settled()
            return self.rebuilt(node, tuple(self.value(a) for a in node.args)), None
        e = int(e)
        self.holds((fx.crossing(e * n), 0), (fx.crossing((e + 1) * n), 0), fx, n if fx.a == 1 else 0)
        return self.typed(node, e), None

    def mod(self, node: Node, x: Any, fx: Form, n: int) -> tuple[Any, Form | None]:
        k = fx.at(self.lo) // n
        if k != fx.at(self.hi) // n:
            self.settled()
            return self.rebuilt(node, (x, n)), None
        offset = int(k) * n
        whole = fx.a == 1  # a period of n steps (per_sample's t * k would make it n / k)
        self.holds((fx.crossing(offset), 0), (fx.crossing(offset + n), 0), fx, n if whole else 0, id(node))
        if isinstance(x, Node):  # within one period, x % n is x - k n, exactly
            shifted = x - offset if offset else x
            if isinstance(shifted, Node):
                shifted.origin = node.origin
                shifted.probe = node.probe
            return shifted, Form(fx.a, fx.c - offset, fx.lower, fx.upper, (*fx.mods, id(node)))
        return self.typed(node, x - offset), None


#: The operations a monotone float node goes through, and those it settles.
_MONOTONE_ARITHMETIC = ("add", "sub", "mul", "truediv", "minimum", "maximum")
_MONOTONE_DECISIONS = ("ge", "gt", "le", "lt", "minimum", "maximum")
#: The functions that settle at a limit far from 0, and their limits.
_LIMITS: dict[str, tuple[float, ...]] = {"exp": (0.0,), "expm1": (-1.0,)}
#: For each decision on ``(x, k)``: the condition under which it gives True (comparisons)
#: or gives ``x`` (clamps; where ``x == k`` both are the same value).
_KEEPS: dict[str, Callable[[Any, Any], bool]] = {
    "ge": operator.ge,
    "gt": operator.gt,
    "le": operator.le,
    "lt": operator.lt,
    "minimum": operator.le,
    "maximum": operator.ge,
}


def _is_zero(value: Any) -> bool:
    try:
        return bool(value == 0)
    except (TypeError, ValueError):
        return False


def _finite(value: Any) -> bool:
    try:
        return math.isfinite(value)
    except (TypeError, OverflowError):
        return False


def _edge(holds: Callable[[int], bool], outcome: bool, lo: int, hi: int, *, downwards: bool) -> int:
    """The farthest whole step from the range where ``holds`` keeps ``outcome``.

    ``holds`` is monotone: its outcome changes at most once between ``lo`` and ``hi``.
    Downwards, ``holds(hi) == outcome`` and the result is the least such step in
    ``lo .. hi``; upwards, ``holds(lo) == outcome`` and it is the greatest in ``lo .. hi``.
    """
    bad, good = (lo, hi) if downwards else (hi, lo)  # the far end, and a step known to hold
    if holds(bad) == outcome:
        return bad
    while abs(good - bad) > 1:  # the edge lies between them
        middle = (good + bad) // 2
        if holds(middle) == outcome:
            good = middle
        else:
            bad = middle
    return good


def _bisect(points: list[Any], x: Any) -> int:
    lo, hi = 0, len(points)
    while lo < hi:
        mid = (lo + hi) // 2
        if x < points[mid]:
            hi = mid
        else:
            lo = mid + 1
    return lo


_IINFO: dict[Any, tuple[int, int]] = {}
_FINFO: dict[Any, int] = {}


def _iinfo(dtype: Any) -> tuple[int, int]:
    limits = _IINFO.get(dtype)
    if limits is None:
        info = sys.modules["numpy"].iinfo(dtype)
        limits = _IINFO[dtype] = (int(info.min), int(info.max))
    return limits


def _float_bits(dtype: Any) -> int:
    bits = _FINFO.get(dtype)
    if bits is None:
        bits = _FINFO[dtype] = int(sys.modules["numpy"].finfo(dtype).nmant) + 1
    return bits


def _first_after(cut: Cut) -> Any:
    """The first whole step past an upper cut (``inf`` for none)."""
    bound, closed = cut
    if not math.isfinite(bound):
        return math.inf
    return math.floor(bound) + 1 if closed else math.ceil(bound)


class Pattern(Sequence[int]):
    """Breakpoints that repeat: ``first + k * period + o`` for ``k < windows`` and ``o`` in ``offsets``."""

    def __init__(self, first: int, period: int, offsets: Sequence[int], windows: int) -> None:
        self.first, self.period, self.offsets, self.windows = first, period, tuple(offsets), windows

    def __len__(self) -> int:
        return self.windows * len(self.offsets)

    def __getitem__(self, i: Any) -> Any:
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(len(self)))]
        if i < 0:
            i += len(self)
        if not 0 <= i < len(self):
            raise IndexError(i)
        k, j = divmod(i, len(self.offsets))
        return self.first + k * self.period + self.offsets[j]

    def __iter__(self) -> Iterator[int]:
        for k in range(self.windows):
            base = self.first + k * self.period
            for offset in self.offsets:
                yield base + offset


def breakpoint_runs(graph: Graph, start: int, stop: int) -> Iterator[Sequence[int]]:
    """The steps in ``(start, stop)`` where a region of ``graph`` begins, in sorted runs.

    Each region is found by specializing at one step, so the cost is that of the regions
    met, not of ``stop``. A decision that changes every ``period`` steps (a step decay's
    drops, the epochs of ``per_epoch``) gives its run of breakpoints as one ``range``, up
    to the next change of anything else; and where a ``mod`` of the step (a ``cycle``)
    holds every other decision, one period is walked and repeated as a :class:`Pattern`.
    """
    if not isinstance(graph.root, Node):
        return
    point = start
    while point < stop:
        spec = specialize(graph, (point, 0), (point, 1))
        first = _first_after(spec.upper)
        if first >= stop:
            return
        if spec.window is not None and spec.window[0] == point:
            begin, period, horizon = spec.window
            end = min(stop, _first_after(horizon))
            windows = (end - begin) // period
            if windows >= 2:
                inner = [p for run in breakpoint_runs(graph, begin, begin + period) for p in run]
                yield inner
                offsets = [0, *(p - begin for p in inner)]
                yield Pattern(begin + period, period, offsets, windows - 1)
                point = begin + (windows - 1) * period + offsets[-1]
                continue
        if spec.period:
            run = range(first, min(stop, _first_after(spec.horizon)), spec.period)
            yield run
            point = run[-1]
        else:
            yield range(first, first + 1)
            point = first


def specialize(graph: Graph, lower: Cut, upper: Cut) -> Specialized:
    """What the steps between the cuts ``lower`` and ``upper`` decide in ``graph``.

    Every comparison, ``minimum``, ``maximum``, ``lookup``, ``floordiv`` (and ``mod``,
    where a decision uses it) of a step expression with a constant that the range
    settles is replaced by its outcome; constants are folded with the graph target's
    arithmetic. The region returned is where all those outcomes hold.
    """
    return _Specializer(graph, lower, upper).run()
