"""Schedules as data: repr, to_dict / from_dict, parse, pickling, hashing."""

from __future__ import annotations

import builtins
import copy
import json
import pickle
import re
import weakref
from pathlib import Path
from typing import Any, cast

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import schedcore as sc
from tests import strategies

SPEC_EXAMPLE = "warmup(1000) * multistep([30000, 60000], gamma=0.1) * polynomial(90000, power=0.5)"


@given(s=strategies.schedules())
def test_parse_reads_back_the_repr(s: sc.Schedule) -> None:
    assert sc.parse(repr(s)) == s


@given(s=strategies.schedules())
def test_from_dict_rebuilds_the_to_dict(s: sc.Schedule) -> None:
    data = s.to_dict()
    assert sc.from_dict(json.loads(json.dumps(data, allow_nan=False))) == s


@given(s=strategies.schedules())
def test_schedules_are_hashable_picklable_values(s: sc.Schedule) -> None:
    twin = pickle.loads(pickle.dumps(s))
    assert twin == s
    assert hash(twin) == hash(s)
    assert copy.deepcopy(s) == s
    assert weakref.ref(s)() is s
    assert len({s, twin}) == 1


def test_schedules_are_immutable() -> None:
    s = sc.warmup(10)
    with pytest.raises(AttributeError):
        s.steps = 20  # type: ignore[misc]


def test_equal_arguments_make_equal_schedules() -> None:
    loose = cast(Any, sc)  # integral floats are accepted for lengths
    assert sc.linear(0, 1, 10) == loose.linear(0.0, 1.0, 10.0)
    assert sc.multistep([10, 20], 0.1) == sc.multistep((10, 20), gamma=0.1)
    warm: sc.Schedule = sc.warmup(10)
    assert warm != sc.linear(0.0, 1.0, 10)  # equal curves, different constructors


def test_the_spec_example_parses_and_prints_the_same() -> None:
    s = sc.parse(SPEC_EXAMPLE)
    assert s == sc.warmup(1000) * sc.multistep([30000, 60000], gamma=0.1) * sc.polynomial(90000, power=0.5)
    assert repr(s) == SPEC_EXAMPLE


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("warmup(1e3)", sc.warmup(1000), id="scientific"),
        pytest.param("warmup(1_000, start=-0.5)", sc.warmup(1000, start=-0.5), id="negative"),
        pytest.param("-0.5 * cosine(10)", -0.5 * sc.cosine(10), id="negative-scale"),
        pytest.param("2 * 3 * cosine(10)", 6 * sc.cosine(10), id="number-product"),
        pytest.param("cosine(10) / 4", 0.25 * sc.cosine(10), id="division"),
        pytest.param("0.1 + 0.9 * cosine(10)", 0.1 + 0.9 * sc.cosine(10), id="sum"),
        pytest.param("1 - warmup(10)", 1 - sc.warmup(10), id="difference"),
        pytest.param(
            "join([warmup(10), cosine(90)], [10])", sc.join([sc.warmup(10), sc.cosine(90)], [10]), id="join"
        ),
        pytest.param(
            "cycle(cosine(100, end=0.1), 100, growth=2)",
            sc.cycle(sc.cosine(100, end=0.1), 100, growth=2),
            id="cycle",
        ),
        pytest.param("compose(warmup(10), cosine(20))", sc.warmup(10) * sc.cosine(20), id="compose"),
        pytest.param("one_cycle(1000, anneal='linear')", sc.one_cycle(1000, anneal="linear"), id="string"),
        pytest.param("one_cycle(1000, three_phase=True)", sc.one_cycle(1000, three_phase=True), id="bool"),
        pytest.param("cyclic(5, None, start=0.1)", sc.cyclic(5, start=0.1), id="none"),
        pytest.param("multistep((1, 2), 0.5)", sc.multistep([1, 2], 0.5), id="tuple"),
        pytest.param("  warmup(\n 10)  ", sc.warmup(10), id="whitespace"),
        pytest.param(
            "sc.warmup(10) * schedcore.cosine(90, end=0.1)",
            sc.warmup(10) * sc.cosine(90, end=0.1),
            id="python-code",
        ),
    ],
)
def test_parse_reads_the_schedule_grammar(text: str, expected: sc.Schedule) -> None:
    assert sc.parse(text) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        pytest.param(
            "warmup(10).__class__",
            "attributes are not allowed at column 1: 'warmup(10).__class__'",
            id="attribute",
        ),
        pytest.param("__import__('os')", "unknown schedule '__import__' at column 1", id="import"),
        pytest.param(
            "os.system('ls')", "only schedule constructors can be called at column 1: 'os.system'", id="call"
        ),
        pytest.param("(lambda: 1)()", "only schedule constructors can be called", id="lambda-call"),
        pytest.param(
            "np.cos(1)", "only schedule constructors can be called at column 1: 'np.cos'", id="module"
        ),
        pytest.param(
            "sc.os.system('ls')", "only schedule constructors can be called at column 1", id="nested"
        ),
        pytest.param(
            "sc.nothing(1)", "unknown schedule 'nothing' at column 1: 'sc.nothing'", id="sc-unknown"
        ),
        pytest.param(
            "lambda: warmup(1)", "Lambda is not allowed in a schedule expression at column 1", id="lambda"
        ),
        pytest.param("[warmup(i) for i in [1]]", "ListComp is not allowed", id="comprehension"),
        pytest.param("warmup(10) ** 2", "operator Pow is not allowed at column 1", id="power"),
        pytest.param("warmup", "warmup must be called, as in warmup(...) at column 1", id="bare-name"),
        pytest.param(
            "foo(3)",
            "unknown schedule 'foo' at column 1: 'foo'; expected one of clip, compose, constant",
            id="unknown",
        ),
        pytest.param("warmup(steps)", "unknown name 'steps' at column 8: 'steps'", id="name"),
        pytest.param("warmup(*[10])", "*arguments are not allowed", id="star"),
        pytest.param("warmup(**{'steps': 1})", "**arguments are not allowed", id="double-star"),
        pytest.param(
            "warmup(0)", "warmup: steps must be a positive int, got 0 at column 1: 'warmup(0)'", id="invalid"
        ),
        pytest.param("warmup(10, bogus=1)", "warmup: ", id="bad-keyword"),
        pytest.param("warmup(10", "invalid schedule expression at column", id="syntax"),
        pytest.param("3", "schedule expression '3' is 3, not a schedule", id="number"),
        pytest.param("", "schedule expression is empty", id="empty"),
        pytest.param("warmup(1e999)", "numbers must be finite at column 8: '1e999'", id="inf"),
        pytest.param("warmup(10) * 'x'", "cannot do arithmetic with str 'x'", id="str-arithmetic"),
        pytest.param("cosine(10) / 0", "divisor must be a finite number other than 0", id="zero-division"),
        pytest.param("warmup(1j)", "complex literals are not allowed", id="complex"),
        pytest.param("warmup(10) if 1 else 2", "IfExp is not allowed", id="conditional"),
        pytest.param("warmup(x := 3)", "NamedExpr is not allowed", id="walrus"),
        pytest.param("-'a'", "cannot negate str 'a'", id="negate-str"),
    ],
)
def test_parse_rejects_everything_else_with_a_located_message(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=re.escape(message)):
        sc.parse(text)


def test_parse_limits_the_length_of_the_text() -> None:
    text = "warmup(10)" + " " * 10_000
    with pytest.raises(
        ValueError, match=r"^schedule expression is 10010 characters long; the limit is 10000$"
    ):
        sc.parse(text)


def test_parse_limits_nesting_depth() -> None:
    deep = "cycle(" * 33 + "warmup(1)" + ", 2)" * 33
    with pytest.raises(ValueError, match="nests deeper than 32 levels at column 198"):
        sc.parse(deep)
    assert sc.parse("cycle(" * 20 + "warmup(1)" + ", 2)" * 20)


def test_parse_reads_long_products_as_one_level() -> None:
    text = " * ".join(["warmup(2)"] * 100)
    assert len(sc.parse(text).factors) == 100  # type: ignore[attr-defined]


def test_parse_rejects_text_that_is_not_a_string() -> None:
    with pytest.raises(TypeError, match=r"^text must be a str, got bytes b'warmup\(1\)'$"):
        sc.parse(b"warmup(1)")  # type: ignore[arg-type]


def test_to_dict_is_plain_json_data() -> None:
    s = sc.join([sc.warmup(10), 0.5 * sc.cosine(90)], [10])
    assert s.to_dict() == {
        "type": "join",
        "schedules": [
            {"type": "warmup", "steps": 10, "start": 0.0},
            {
                "type": "product",
                "factors": [{"type": "cosine", "steps": 90, "end": 0.0, "power": 1.0, "k": 1.0}],
                "scale": 0.5,
            },
        ],
        "boundaries": [10],
    }


@pytest.mark.parametrize(
    ("data", "message"),
    [
        pytest.param([1, 2], "from_dict expects a dict with a 'type' key, got [1, 2]", id="list"),
        pytest.param({"steps": 3}, "from_dict: $ has unknown type None; known:", id="no-type"),
        pytest.param({"type": "bogus"}, "from_dict: $ has unknown type str 'bogus'", id="unknown-type"),
        pytest.param(
            {"type": "warmup", "step": 3}, "from_dict: $ (warmup) has no parameter str 'step'", id="key"
        ),
        pytest.param({"type": "warmup"}, "from_dict: $ (warmup): ", id="missing"),
        pytest.param(
            {"type": "warmup", "steps": "3"},
            "from_dict: $ (warmup): steps must be a positive int, got str '3'",
            id="str",
        ),
        pytest.param(
            {"type": "product", "factors": [{"type": "warmup", "steps": 0}]},
            "from_dict: $.factors[0] (warmup): steps must be a positive int, got 0",
            id="nested",
        ),
        pytest.param(
            {"type": "constant", "value": float("nan")}, "value must be a finite number, got nan", id="nan"
        ),
        pytest.param(
            {"type": "constant", "value": object}, "from_dict: $.value holds an unsupported value", id="obj"
        ),
    ],
)
def test_from_dict_rejects_bad_data_with_a_value_error(data: object, message: str) -> None:
    with pytest.raises(ValueError, match=re.escape(message)):
        sc.from_dict(data)


def test_from_dict_limits_nesting_depth() -> None:
    data: dict[str, object] = {"type": "warmup", "steps": 1}
    for _ in range(40):
        data = {"type": "cycle", "schedule": data, "period": 2}
    with pytest.raises(ValueError, match="nests deeper than 32 levels"):
        sc.from_dict(data)


# --- safety: parse and from_dict never run code, and fail only with ValueError ---------

GRAMMAR_CHARS = "abcdefghijklmnopqrstuvwxyz_0123456789()[]{},.=*/+-'\" \n:eE"


@settings(max_examples=300)
@given(text=st.text(max_size=300))
def test_random_text_parses_or_raises_value_error(text: str) -> None:
    try:
        result = sc.parse(text)
    except ValueError:
        return
    assert isinstance(result, sc.Schedule)


@st.composite
def mutated_specs(draw: st.DrawFn) -> str:
    text = repr(draw(strategies.schedules()))
    for _ in range(draw(st.integers(1, 4))):
        i = draw(st.integers(0, len(text)))
        j = draw(st.integers(i, min(len(text), i + 8)))
        action = draw(st.sampled_from(["delete", "insert", "duplicate", "replace"]))
        if action == "delete":
            text = text[:i] + text[j:]
        elif action == "insert":
            text = text[:i] + draw(st.text(GRAMMAR_CHARS, min_size=1, max_size=4)) + text[i:]
        elif action == "duplicate":
            text = text[:j] + text[i:j] + text[j:]
        else:
            text = text[:i] + draw(st.text(GRAMMAR_CHARS, min_size=1, max_size=3)) + text[j:]
    return text


@settings(max_examples=300)
@given(text=mutated_specs())
def test_mutated_specs_parse_or_raise_value_error(text: str) -> None:
    try:
        result = sc.parse(text)
    except ValueError:
        return
    assert isinstance(result, sc.Schedule)
    assert sc.parse(repr(result)) == result


json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**70), 2**70) | st.floats() | st.text(max_size=12),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4),
    max_leaves=12,
)


@st.composite
def mutated_dicts(draw: st.DrawFn) -> object:
    data = draw(strategies.schedules()).to_dict()
    node: dict[str, Any] = data
    while True:  # walk down to a random nested schedule and change one of its entries
        children = [v for v in node.values() if isinstance(v, dict)]
        children += [i for v in node.values() if isinstance(v, list) for i in v if isinstance(i, dict)]
        if not children or not draw(st.booleans()):
            break
        node = draw(st.sampled_from(children))
    key = draw(st.sampled_from([*node.keys(), "extra"]))
    node[key] = draw(json_values)
    return data


@settings(max_examples=300)
@given(data=json_values | mutated_dicts())
def test_random_and_mutated_dicts_load_or_raise_value_error(data: object) -> None:
    try:
        result = sc.from_dict(data)
    except ValueError:
        return
    assert isinstance(result, sc.Schedule)


def test_parse_never_calls_eval_or_exec(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    def forbidden(*args: object, **kwargs: object) -> None:
        raise AssertionError("parse must not evaluate code")

    monkeypatch.setattr(builtins, "eval", forbidden)
    monkeypatch.setattr(builtins, "exec", forbidden)
    marker = tmp_path / "pwned"
    for text in (
        f"__import__('os').system('touch {marker}')",
        f"warmup(open('{marker}', 'w').write('x'))",
        "warmup(10).__class__.__init__.__globals__",
        "[c for c in ().__class__.__base__.__subclasses__()]",
    ):
        with pytest.raises(ValueError, match="at column"):
            sc.parse(text)
    assert not marker.exists()
    assert sc.parse(SPEC_EXAMPLE) == sc.parse(SPEC_EXAMPLE)


def test_the_longest_accepted_expression_is_10000_characters() -> None:
    unit = "warmup(10) * "
    text = unit * ((10_000 - len("warmup(10)")) // len(unit)) + "warmup(10)"
    text += " " * (10_000 - len(text))
    assert len(text) == 10_000
    assert isinstance(sc.parse(text), sc.Schedule)
    with pytest.raises(ValueError, match="characters long; the limit is 10000"):
        sc.parse(text + " ")


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("-" * 9_999 + "1", id="unary-chain"),
        pytest.param("(" * 5_000 + "warmup(1)" + ")" * 4_990, id="unbalanced-brackets"),
        pytest.param("warmup(" + "1" * 5_000 + ")", id="huge-int-literal"),
        pytest.param("a." * 4_999 + "a", id="attribute-chain"),
        pytest.param("warmup(1)\x00", id="null-byte"),
    ],
)
def test_pathological_text_is_a_value_error(text: str) -> None:
    with pytest.raises(ValueError):  # noqa: PT011 - each has its own message; none may escape as another error
        sc.parse(text)
