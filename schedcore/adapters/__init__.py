"""Thin adapters that run a schedcore schedule inside a training framework.

``from schedcore import adapters`` imports no framework. ``adapters.torch``,
``adapters.chainer``, ``adapters.optax`` and ``adapters.keras`` import theirs when
first touched; when
it is missing, the ``ImportError`` names it and the extra that installs it.
Every adapter sets ``base * s(t)``, where ``t`` counts completed updates.
"""

from __future__ import annotations

import importlib
from types import ModuleType

__all__ = ["chainer", "keras", "optax", "torch"]


def __getattr__(name: str) -> ModuleType:
    if name in __all__:
        module = importlib.import_module(f"{__name__}.{name}")
        globals()[name] = module
        return module
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def require(package: str, extra: str) -> ModuleType:
    """Import a framework for an adapter, or explain how to install it.

    Raises:
        ImportError: ``package`` is not installed; the message ends in the
            ``pip install "schedcore[<extra>]"`` command that installs it.
    """
    try:
        return importlib.import_module(package)
    except ImportError as error:
        raise ImportError(
            f"schedcore.adapters.{package} needs {package}, which is not installed;"
            f' install it with: pip install "schedcore[{extra}]"'
        ) from error
