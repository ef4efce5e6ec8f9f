"""Test configuration shared by ``tests/``, the doctests in ``schedcore/`` and the pages.

Each suite of ``scripts/test.sh`` says which optional libraries it must have
(``SCHEDCORE_REQUIRE``) and which it must not (``SCHEDCORE_FORBID``): a test module
that calls ``pytest.importorskip`` for a required library fails instead of skipping,
so a missing install step cannot turn a parity suite silently green.

A documentation page whose examples need a framework says so in a comment,
``<!-- doctest-requires: torch, lightning -->``: where one is missing (the docs suite has
no torch), its examples are skipped as ``importorskip`` would, and where the suite
requires it (the integrations suite), that skip is a failure.
"""

from __future__ import annotations

import importlib.util
import os
import re
from collections.abc import Generator
from typing import Any

import pytest

import schedcore

try:
    from hypothesis import settings
except ImportError:  # pragma: no cover - hypothesis is in every test environment
    pass
else:
    settings.register_profile("schedcore", deadline=None, print_blob=True)
    settings.load_profile("schedcore")


def _names(variable: str) -> set[str]:
    return {name for name in os.environ.get(variable, "").split(",") if name}


# Keras 3 picks its backend once, at import, from KERAS_BACKEND (its default, TensorFlow, is
# not installed): the tests that import keras in this process run it on JAX; the real
# trainings on each backend run in processes of their own (tests/integrations/).
os.environ.setdefault("KERAS_BACKEND", "jax")

REQUIRED = _names("SCHEDCORE_REQUIRE")
FORBIDDEN = _names("SCHEDCORE_FORBID")
_IMPORT_SKIP = re.compile(r"could not import '([^']+)'")


def _installed(module: str) -> bool:
    try:
        return importlib.util.find_spec(module) is not None
    except ModuleNotFoundError:  # the parent of a dotted name ("orbax" of "orbax.checkpoint")
        return False


# ``--doctest-modules`` imports every module: adapters need their framework, and the
# test helpers (imported by the tests that need them) hold no doctests, nor do the
# training scripts of the integrations suite.
collect_ignore_glob = ["tests/integrations/*_runs.py", "tests/compat/*_runs.py"]
collect_ignore = ["tests/reference.py", "tests/strategies.py"] + [
    f"schedcore/adapters/{name}.py"
    for name, package in (("torch", "torch"), ("optax", "optax"), ("chainer", "chainer"), ("keras", "keras"))
    if not _installed(package)
]


_PAGE_REQUIRES = re.compile(r"<!--\s*doctest-requires:\s*([\w., ]+?)\s*-->")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    pages: dict[str, list[str]] = {}
    for item in items:
        path = item.path
        if path.suffix != ".md":
            continue
        if str(path) not in pages:
            match = _PAGE_REQUIRES.search(path.read_text(encoding="utf-8"))
            modules = [name.strip() for name in match.group(1).split(",")] if match else []
            pages[str(path)] = [name for name in modules if name and not _installed(name)]
        for module in pages[str(path)][:1]:
            item.add_marker(pytest.mark.skip(reason=f"could not import {module!r}"))


def pytest_sessionstart(session: pytest.Session) -> None:
    present = sorted(module for module in FORBIDDEN if _installed(module))
    if present:
        raise pytest.UsageError(f"this suite must run without {', '.join(present)}, but they are installed")


@pytest.fixture(autouse=True)
def _schedcore_in_doctests(doctest_namespace: dict[str, Any]) -> None:
    doctest_namespace["sc"] = schedcore


def _required_but_skipped(report: Any) -> str | None:
    if not (report.skipped and REQUIRED):
        return None
    match = _IMPORT_SKIP.search(str(report.longrepr))
    if match and match.group(1).split(".")[0] in REQUIRED:
        return match.group(1)
    return None


@pytest.hookimpl(hookwrapper=True)
def pytest_make_collect_report(collector: pytest.Collector) -> Generator[None, Any, None]:
    outcome = yield
    report = outcome.get_result()
    module = _required_but_skipped(report)
    if module:
        report.outcome = "failed"
        report.longrepr = f"{module} is required in this suite (SCHEDCORE_REQUIRE) but could not be imported"


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Generator[None, Any, None]:
    outcome = yield
    report = outcome.get_result()
    module = _required_but_skipped(report)
    if module:
        report.outcome = "failed"
        report.longrepr = f"{module} is required in this suite (SCHEDCORE_REQUIRE) but could not be imported"
