"""The package as a whole: public names, no dependencies, lazy adapters."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

import schedcore as sc
from schedcore import adapters, compat
from tests import processes

ROOT = Path(__file__).resolve().parent.parent


def test_every_public_name_exists_and_is_documented() -> None:
    for name in sc.__all__:
        obj = getattr(sc, name)
        if name != "__version__":
            assert obj.__doc__, name


def test_the_package_ships_type_information() -> None:
    assert (ROOT / "schedcore" / "py.typed").is_file()


def modules_loaded_by(statement: str) -> list[str]:
    """The modules a fresh process loads for ``statement``, beyond those it starts with."""
    code = (
        "import json, sys\n"
        "before = set(sys.modules)\n"
        f"{statement}\n"
        "print(json.dumps(sorted(set(sys.modules) - before)))\n"
    )
    loaded: list[str] = processes.last_json(processes.python("-c", code))
    return loaded


def test_importing_schedcore_and_its_adapters_imports_no_third_party_module() -> None:
    new = {
        m.split(".")[0] for m in modules_loaded_by("import schedcore, schedcore.adapters, schedcore.compat")
    }
    assert sorted(new - set(sys.stdlib_module_names) - {"schedcore"}) == []


def test_importing_schedcore_leaves_typing_to_the_type_checkers() -> None:
    """``typing`` is a tenth of the import time; the core only names it for type checkers."""
    assert [m for m in modules_loaded_by("import schedcore") if m.startswith("typing")] == []


def test_adapters_and_compat_are_attributes_of_schedcore_without_importing_them() -> None:
    code = (
        "import json, sys\n"
        "import schedcore as sc\n"
        "names = [sc.adapters.__name__, sc.compat.__name__, sc.compat.torch.__name__]\n"
        "frameworks = [m for m in ('numpy', 'torch', 'jax', 'optax', 'chainer') if m in sys.modules]\n"
        "print(json.dumps([names, frameworks]))\n"
    )
    assert processes.last_json(processes.python("-c", code)) == [
        ["schedcore.adapters", "schedcore.compat", "schedcore.compat.torch"],
        [],
    ]
    with pytest.raises(AttributeError, match=r"^module 'schedcore' has no attribute 'adapter'$"):
        _ = sc.adapter  # type: ignore[attr-defined]


def test_a_missing_framework_names_the_extra_that_installs_it() -> None:
    with pytest.raises(ImportError, match=r'install it with: pip install "schedcore\[torch\]"$'):
        adapters.require("schedcore_no_such_framework", "torch")


def test_unknown_adapter_and_compat_names_are_attribute_errors() -> None:
    with pytest.raises(AttributeError, match="has no attribute 'mxnet'"):
        _ = adapters.mxnet
    with pytest.raises(AttributeError, match="has no attribute 'mxnet'"):
        _ = compat.mxnet


def test_the_every_shape_benchmark_covers_every_public_shape() -> None:
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "shapes", Path(__file__).parent.parent / "benchmarks" / "shapes.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["shapes"] = module  # dataclasses look their module up there
    try:
        spec.loader.exec_module(module)
    finally:
        del sys.modules["shapes"]
    covered = {shape.name for shape in module.SHAPES}
    public = {
        name
        for name in sc.__all__
        if isinstance(getattr(sc, name), type)
        and issubclass(getattr(sc, name), sc.Schedule)
        and name != "Schedule"
    } | {"compose", "sum"}
    assert public <= covered, f"benchmarks/shapes.py has no entry for {sorted(public - covered)}"
