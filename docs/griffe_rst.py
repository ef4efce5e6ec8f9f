r"""A griffe extension that lets mkdocstrings render schedcore's reST-flavoured docstrings.

schedcore's docstrings are Google style, as ``help()`` and IDEs show them, with the
few reStructuredText constructs that read well as plain text too. Before mkdocstrings
renders a docstring as Markdown, this extension rewrites them:

* a ``.. math::`` directive and its indented block become a ``$$ ... $$`` display
  (typeset by MathJax through ``pymdownx.arithmatex``);
* ``:math:`x``` becomes ``$x$``; the other roles (``:func:``, ``:class:``, ``:mod:``,
  ``:meth:``, ``:data:``) become code spans of their target;
* ``Example:`` becomes ``Examples:``, the section name griffe's Google parser knows,
  so doctests render as code;
* a paragraph ending in ``::`` (a reST literal block) ends in ``:``, the indented
  block after it being a Markdown code block already.

It also drops private parameters (``_levels``...) from the ``__init__`` that griffe's
dataclasses extension writes: schedcore's derived fields are ``field(init=False)``
made by a helper, which static analysis cannot see through, and no public
constructor takes a private argument.

mkdocs.yml loads it after the built-in dataclasses extension, with
``extensions: [dataclasses, docs/griffe_rst.py]`` in the python handler's options.
"""

from __future__ import annotations

import re
from typing import Any

import griffe

_ROLE = re.compile(r":(?P<role>math|func|class|mod|meth|data|attr|obj|exc):`(?P<text>[^`]+)`")
_DIRECTIVE = re.compile(r"^(?P<indent>[ \t]*)\.\. math::[ \t]*$")
_EXAMPLE = re.compile(r"^(?P<indent>[ \t]*)Example:[ \t]*$")


def _role(match: re.Match[str]) -> str:
    text = match.group("text")
    if match.group("role") == "math":
        return f"${text}$"
    return f"`{text.lstrip('~')}`"


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip())


def convert(text: str) -> str:
    """Rewrite the reST constructs of a docstring into Markdown (see the module docstring)."""
    lines = text.splitlines()
    out: list[str] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        directive = _DIRECTIVE.match(line)
        if directive:
            indent = directive.group("indent")
            body: list[str] = []
            i += 1
            while i < len(lines) and (not lines[i].strip() or _indent(lines[i]) > len(indent)):
                body.append(lines[i])
                i += 1
            while body and not body[-1].strip():
                body.pop()
            content = [b for b in body if b.strip()]
            depth = min((_indent(b) for b in content), default=0)
            out.extend(["", f"{indent}$$", *(f"{indent}{b[depth:]}" for b in content), f"{indent}$$", ""])
            continue
        line = _EXAMPLE.sub(r"\g<indent>Examples:", line)
        if line.rstrip().endswith("::") and not line.strip().startswith(".."):
            line = line.rstrip()[:-1]
        out.append(_ROLE.sub(_role, line))
        i += 1
    return "\n".join(out)


class RestToMarkdown(griffe.Extension):
    """Rewrite every loaded docstring with :func:`convert`; drop private ``__init__`` parameters."""

    def on_instance(self, *, obj: griffe.Object, **kwargs: Any) -> None:
        """Convert the docstring of each object as griffe loads it."""
        if obj.docstring is not None:
            obj.docstring.value = convert(obj.docstring.value)

    def on_package(self, *, pkg: griffe.Module, **kwargs: Any) -> None:
        """Remove private parameters from the dataclass ``__init__`` methods of the package."""
        _prune(pkg, set())


def _prune(obj: griffe.Module | griffe.Class, seen: set[str]) -> None:
    if obj.path in seen:
        return
    seen.add(obj.path)
    for member in obj.members.values():
        if member.is_alias:
            continue
        if isinstance(member, griffe.Module | griffe.Class):
            _prune(member, seen)
    init = obj.members.get("__init__") if isinstance(obj, griffe.Class) else None
    if isinstance(init, griffe.Function):
        for parameter in [p.name for p in init.parameters if p.name.startswith("_")]:
            del init.parameters[parameter]
