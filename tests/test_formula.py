"""A schedule's formula is the one source of its values: every path follows it, and users add their own."""

from __future__ import annotations

import ast
import math
import pickle
import re
from collections.abc import Iterator
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import schedcore as sc
from schedcore import _backend, schedules
from schedcore._base import REGISTRY
from schedcore.operations import round_up

CORE = Path(sc.__file__).parent


@pytest.fixture(autouse=True)
def _forget_test_classes() -> Iterator[None]:
    """Classes the tests register leave the registry afterwards: parse's messages list it."""
    before = dict(REGISTRY)
    yield
    REGISTRY.clear()
    REGISTRY.update(before)


@sc.register("rex_decay")
class RexDecay(sc.Schedule):
    r"""A user's shape: the REX decay, :math:`s(t) = 2r / (1 + r)`, :math:`r = (T - \min(t, T)) / T`."""

    steps: int

    def __post_init__(self) -> None:
        if isinstance(self.steps, bool) or not isinstance(self.steps, int) or self.steps < 1:
            raise ValueError(f"steps must be a positive int, got {self.steps!r}")

    def formula(self, t: Any, ops: sc.Operations) -> Any:
        left = ops.remaining(t, self.steps)
        return left / (0.5 + 0.5 * left)


REGISTRY.pop("rex_decay")  # registered again by the tests that use the name


def _cubed(self: Any, t: Any, ops: sc.Operations) -> Any:
    return ops.remaining(t, self.steps) ** 3.0


def every_path(s: sc.Schedule, steps: list[int]) -> dict[str, list[float]]:
    """The values at ``steps`` on every path that can be run here."""
    np = pytest.importorskip("numpy")
    values: dict[str, list[float]] = {
        "python int": [s(t) for t in steps],
        "python float": [s(float(t)) for t in steps],
        "the adapters' function": [s._scalar_function()(t) for t in steps],
        "small numpy": s(np.array(steps)).tolist(),
        "float32": s.evaluate(np.array(steps), dtype="float32").astype(float).tolist(),
        "product": (2.0 * s * sc.constant(0.5))(np.array(steps)).tolist(),
    }
    long = np.tile(np.array(steps), 3_000_000 // len(steps) + 1)
    values["chunked numpy, threads"] = s.evaluate(long, threads=2)[: len(steps)].tolist()
    return values


def check_every_path(s: sc.Schedule, steps: list[int], expected: list[float]) -> None:
    for path, got in every_path(s, steps).items():
        tolerance = 1e-6 if path == "float32" else 1e-12
        assert got == pytest.approx(expected, rel=tolerance, abs=1e-12), path
    jnp = pytest.importorskip("jax.numpy")
    jax = pytest.importorskip("jax")
    counts = jnp.asarray(steps, dtype=jnp.int32)
    assert jax.jit(s)(counts).tolist() == pytest.approx(expected, rel=1e-6, abs=1e-7), "jax"
    optax_adapter = pytest.importorskip("schedcore.adapters.optax")
    lr = jax.jit(optax_adapter.wrap(s, 0.5))
    assert [float(lr(jnp.asarray(t))) for t in steps] == pytest.approx(
        [0.5 * e for e in expected], rel=1e-6, abs=1e-7
    ), "optax adapter"
    torch = pytest.importorskip("torch")
    got = s(torch.tensor(steps)).tolist()
    assert got == pytest.approx(expected, rel=1e-6, abs=1e-7), "torch"
    torch_adapter = pytest.importorskip("schedcore.adapters.torch")
    optimizer = torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=0.5)
    scheduler = torch_adapter.wrap(optimizer, s)
    used = []
    for _ in range(max(steps) + 1):
        used.append(optimizer.param_groups[0]["lr"])
        optimizer.step()
        scheduler.step()
    assert [used[t] for t in steps] == pytest.approx([0.5 * e for e in expected], rel=1e-12), "torch adapter"


STEPS = [0, 3, 7, 10, 15]


def test_changing_a_class_formula_changes_every_path(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(schedules.Polynomial, "formula", _cubed)
    s = sc.polynomial(10)  # a fresh schedule: caches belong to the value, not the class
    check_every_path(s, STEPS, [(1 - min(t, 10) / 10) ** 3 for t in STEPS])


def test_changing_a_formula_changes_a_short_cycle_s_table(monkeypatch: pytest.MonkeyPatch) -> None:
    # numpy reads a cycle shorter than a chunk from a table of its period (schedcore._chunked)
    monkeypatch.setattr(schedules.Polynomial, "formula", _cubed)
    steps = [*STEPS, 23, 24]
    check_every_path(sc.cycle(sc.polynomial(10), 12), steps, [(1 - min(t % 12, 10) / 10) ** 3 for t in steps])


def test_a_user_defined_shape_works_on_every_path() -> None:
    REGISTRY["rex_decay"] = RexDecay
    s = RexDecay(10)
    expected = [2 * (1 - min(t, 10) / 10) / (2 - min(t, 10) / 10) for t in STEPS]
    check_every_path(s, STEPS, expected)


@sc.register("halfway_drop")
class HalfwayDrop(sc.Schedule):
    """A user's shape: 1 before time 5/2, then 0.5 (a threshold between whole steps)."""

    def formula(self, t: Any, ops: sc.Operations) -> Any:
        return ops.select(t, [Fraction(5, 2)], [1.0, 0.5])


REGISTRY.pop("halfway_drop")


def test_a_fractional_threshold_is_reached_at_its_ceiling_by_steps_and_exactly_by_times() -> None:
    check_every_path(HalfwayDrop(), [0, 2, 3, 4], [1.0, 1.0, 0.5, 0.5])
    check_every_path(sc.stretch(HalfwayDrop(), 2), [0, 4, 5, 6], [1.0, 1.0, 0.5, 0.5])  # step 5 is time 2.5
    assert (HalfwayDrop()(2.4999999999999996), HalfwayDrop()(2.5)) == (1.0, 0.5)


@given(q=st.fractions(min_value=0, max_value=2**70, max_denominator=2**80))
def test_a_threshold_rounds_up_to_the_least_float_that_reaches_it(q: Fraction) -> None:
    np = pytest.importorskip("numpy")
    for bits, dtype in ((53, np.float64), (24, np.float32)):
        up = round_up(q, bits)
        assert Fraction(up) >= q
        assert float(dtype(up)) == up  # the dtype holds it
        below = np.nextafter(dtype(up), dtype(0))
        assert up == 0 or Fraction(float(below)) < q


def test_a_user_defined_shape_is_a_value_with_a_name() -> None:
    REGISTRY["rex_decay"] = RexDecay
    s = RexDecay(10)
    assert repr(s) == "rex_decay(10)"
    assert sc.parse("rex_decay(10) * warmup(2)") == s * sc.warmup(2)
    assert sc.from_dict(s.to_dict()) == s
    assert s.breakpoints(100) == (10,)
    assert hash(s) == hash(RexDecay(10))
    with pytest.raises(ValueError, match=r"^steps must be a positive int, got 0$"):
        RexDecay(0)


def test_a_formula_cannot_branch_on_the_step() -> None:
    @sc.register("branching_test")
    class Branching(sc.Schedule):
        steps: int

        def formula(self, t: Any, ops: sc.Operations) -> Any:
            return 1.0 if t < self.steps else 0.0

    with pytest.raises(TypeError, match="cannot branch on the step with a Python `if`"):
        Branching(3)(1)


def test_a_name_is_registered_once() -> None:
    message = "the schedule name 'warmup' is taken by schedcore.schedules.Warmup"
    with pytest.raises(ValueError, match=f"^{re.escape(message)}$"):

        @sc.register("warmup")
        class Other(sc.Schedule):
            def formula(self, t: Any, ops: sc.Operations) -> Any:
                return ops.full(t, 1.0)


def test_an_unregistered_class_has_no_dict_form() -> None:
    class Plain(sc.Schedule):
        __slots__ = ()

        def formula(self, t: Any, ops: sc.Operations) -> Any:
            return ops.full(t, 1.0)

    assert Plain()(3) == 1.0
    with pytest.raises(TypeError, match=re.escape("decorate the class with @schedcore.register")):
        Plain().to_dict()


def test_schedules_nest_at_most_a_hundred_levels() -> None:
    s: sc.Schedule = sc.cosine(100)
    for _ in range(49):  # 2 levels each: a sum of a product of the sum before
        s = 0.9 * s + 0.1 * sc.cosine(100)
    with pytest.raises(ValueError, match=r"^schedules can nest 100 levels deep; this sum would make 101"):
        0.9 * s + 0.1 * sc.cosine(100)
    assert s(50) == pytest.approx(_backend.cast(s.formula(50, _backend.SCALAR)))
    twin = pickle.loads(pickle.dumps(s))  # deeper than parse and from_dict read (32 levels)
    assert twin == s
    assert hash(twin) == hash(s)
    assert repr(s).count("cosine(100)") > 40


def _runtime_nodes(tree: ast.AST) -> list[ast.AST]:
    """Every node of a module but those under ``if TYPE_CHECKING:`` (imports for mypy only)."""
    nodes: list[ast.AST] = []
    stack = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, ast.If) and isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING":
            stack.extend(node.orelse)
            continue
        nodes.append(node)
        stack.extend(ast.iter_child_nodes(node))
    return nodes


def _imports(path: Path) -> set[str]:
    """The schedcore modules a module imports at run time, at any level (also inside functions)."""
    names = set()
    for node in _runtime_nodes(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("schedcore"):
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names if alias.name.startswith("schedcore"))
    return {
        name
        for name in names
        if (CORE / (name.removeprefix("schedcore.").replace(".", "/") + ".py")).exists()
    }


def _core() -> dict[str, set[str]]:
    """The core's modules and what they import (the command line and the notebook display use it)."""
    outside = ("__init__.py", "__main__.py", "cli.py", "_notebook.py")
    modules = [p for p in CORE.glob("*.py") if p.name not in outside]
    return {f"schedcore.{p.stem}": _imports(p) - {f"schedcore.{p.stem}"} for p in modules}


def test_the_core_modules_import_each_other_without_a_cycle() -> None:
    graph = _core()
    state: dict[str, int] = {}

    def visit(module: str, path: list[str]) -> None:
        if state.get(module) == 1:
            raise AssertionError(f"import cycle: {' -> '.join([*path, module])}")
        if state.get(module) == 2:
            return
        state[module] = 1
        for other in sorted(graph.get(module, ())):
            visit(other, [*path, module])
        state[module] = 2

    for module in graph:
        visit(module, [])


def test_no_evaluation_module_knows_a_schedule_class() -> None:
    classes = {cls.__name__ for cls in vars(sc._base).get("REGISTRY", {}).values()} - {"Product", "Sum"}
    for module in ("operations", "_backend", "_graph", "_scalar", "_chunked", "_base"):
        path = CORE / f"{module}.py"
        assert not {"schedcore.schedules", "schedcore.combinators"} & _imports(path), module
        words = set(re.findall(r"\b[A-Z][A-Za-z]+\b", path.read_text()))
        assert not classes & words, f"{module} names {classes & words}"


def test_exp_of_a_formula_is_inf_not_an_error_on_python_numbers() -> None:
    s = sc.exponential(2.0) * sc.warmup(1)
    assert s(5000) == math.inf
