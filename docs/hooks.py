"""mkdocs hooks: figures drawn from the code, and checks that keep the site complete.

Pages show schedules with a fenced block whose body is a ``schedcore show``
command line::

    ```schedcore-show
    schedcore show "warmup(1000) * cosine(9000)" --plot warmup-cosine.svg
    ```

When the site is built, the hook runs the command with :func:`schedcore.cli.main`,
the very code behind the ``schedcore`` program: a command with ``--plot NAME``
becomes the picture (served as ``figures/NAME``) and the command under it; any other
command becomes the command and what it prints. So every figure and every output on
the site is drawn from the code at build time, and a command that fails fails the
build. The step-convention figure is drawn by :mod:`docs.step_convention`.

The errors page gets the test suite's table of bad inputs in place of its marker
line, so the page shows exactly the messages the tests check.

Three checks fail the build (``PluginError``):

* the gallery (``gallery.md``) must plot every schedule constructor in
  ``schedcore.__all__``;
* the pages under ``reference/`` must document every name in ``schedcore.__all__``
  with a ``::: identifier`` block (the name itself, or the class it is an alias of);
* the docstring of every schedule constructor must give its formula (``.. math::``).
"""

from __future__ import annotations

import io
import posixpath
import re
import shlex
import sys
import tempfile
from contextlib import redirect_stderr
from dataclasses import fields
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # build against this checkout's schedcore, installed or not

import schedcore as sc  # noqa: E402
from docs import step_convention  # noqa: E402
from schedcore import cli  # noqa: E402
from schedcore._base import Schedule  # noqa: E402
from tests import bad_inputs  # noqa: E402

_BLOCK = re.compile(
    r"^(?P<indent>[ \t]*)```schedcore-show(?:[ \t]+exit=(?P<status>\d+))?[ \t]*\n"
    r"(?P<body>.*?)\n(?P=indent)```[ \t]*$",
    re.MULTILINE | re.DOTALL,
)
_DIRECTIVE = re.compile(r"^::: +(?P<identifier>\S+)", re.MULTILINE)
FIGURES = "figures"
GALLERY = "gallery.md"
ERRORS, ERRORS_MARKER = "errors.md", "<!-- schedcore-errors -->"
STEP_CONVENTION_FIGURE = f"{FIGURES}/step-convention.svg"

#: Markdown to put in place of each block, by page and block text; filled by ``on_files``.
_replacements: dict[tuple[str, str], str] = {}


def _argv(body: str, where: str) -> list[str]:
    """The arguments after ``schedcore`` of a block's command line."""
    argv = shlex.split(body.replace("\\\n", " "))
    if argv[:2] != ["schedcore", "show"]:
        raise PluginError(
            f"{where}: a schedcore-show block holds a 'schedcore show ...' command, got {body!r}"
        )
    return argv[1:]


def _plot_name(argv: list[str], where: str) -> str | None:
    if "--plot" not in argv:
        return None
    name = argv[argv.index("--plot") + 1]
    if "/" in name or not re.fullmatch(r"[\w.-]+\.(svg|png)", name):
        raise PluginError(f"{where}: --plot takes a plain .svg or .png file name, got {name!r}")
    return name


def _run(argv: list[str], where: str, expected: int = 0) -> tuple[str, str]:
    """Run ``schedcore`` with ``argv``; return its stdout and stderr.

    An exit status other than ``expected`` fails the build.
    """
    out, err = io.StringIO(), io.StringIO()
    with redirect_stderr(err):
        status = cli.main(argv, out=out)
    if status != expected:
        raise PluginError(
            f"{where}: 'schedcore {shlex.join(argv)}' exited with {status}, not {expected}: {err.getvalue()}"
        )
    return out.getvalue(), err.getvalue()


def _render(block: re.Match[str], page_uri: str, config: MkDocsConfig, files: Files, drawn: set[str]) -> str:
    """Run one block's command; return its Markdown, and add its figure to the site.

    A block opened with ``schedcore-show exit=N`` shows a command that fails: it must
    exit with status ``N``, and the page shows the command and its error.
    """
    body = block.group("body")
    where = f"{page_uri}: {body.strip()}"
    argv = _argv(body, where)
    command = "```bash\n" + body.strip() + "\n```"
    name = _plot_name(argv, where)
    if block.group("status") is not None:
        _, error = _run(argv, where, expected=int(block.group("status")))
        markdown = f"```text\n$ {body.strip()}\n{error.rstrip()}\n```"
    elif name is None:
        output = _run(argv, where)[0].rstrip()
        markdown = f"{command}\n\n```text\n{output}\n```"
    else:
        if name in drawn:
            raise PluginError(f"{where}: another block already draws {name}")
        drawn.add(name)
        with tempfile.TemporaryDirectory() as folder:
            target = Path(folder) / name
            plot_argv = [*argv]
            plot_argv[plot_argv.index("--plot") + 1] = str(target)
            _run(plot_argv, where)
            files.append(File.generated(config, f"{FIGURES}/{name}", content=target.read_bytes()))
        link = posixpath.relpath(f"{FIGURES}/{name}", posixpath.dirname(page_uri) or ".")
        spec = argv[1] if len(argv) > 1 and not argv[1].startswith("--") else cli.EXAMPLE
        markdown = f"![{spec}]({link})\n\n{command}"
    indent = block.group("indent")
    return "\n".join(indent + line if line else line for line in markdown.splitlines())


def _names(schedule: object) -> set[str]:
    """The constructor names a schedule is built from, nested schedules included."""
    if isinstance(schedule, tuple | list):
        return {name for item in schedule for name in _names(item)}
    if not isinstance(schedule, Schedule):
        return set()
    found = {type(schedule)._name}
    for field in fields(schedule):  # type: ignore[arg-type]
        found |= _names(getattr(schedule, field.name))
    return found


def _gallery_names(source: str) -> set[str]:
    names: set[str] = set()
    for match in _BLOCK.finditer(source):
        argv = _argv(match.group("body"), GALLERY)
        args = cli._parser().parse_args(argv)
        for spec in [args.spec or cli.EXAMPLE, *args.compare]:
            names |= _names(cli.load(spec))
    return names


def _constructors() -> dict[str, str]:
    """The schedule constructors of ``schedcore.__all__``, with the ``_name`` of what they build."""
    constructors = {"compose": "product"}  # compose(...) builds the product a * b
    for name in sc.__all__:
        obj = getattr(sc, name)
        if isinstance(obj, type) and issubclass(obj, Schedule) and obj is not Schedule:
            constructors[name] = obj._name
    return constructors


def _check_formulas() -> None:
    missing = [name for name in _constructors() if ".. math::" not in (getattr(sc, name).__doc__ or "")]
    if missing:
        raise PluginError(f"the docstrings of {', '.join(missing)} give no formula (a '.. math::' block)")


def _check_gallery(source: str) -> None:
    constructors = _constructors()
    missing = sorted(name for name, kind in constructors.items() if kind not in _gallery_names(source))
    if missing:
        raise PluginError(
            f"{GALLERY} has no plot of {', '.join(missing)}: every schedule constructor needs one"
        )


def _check_reference(identifiers: set[str]) -> None:
    missing = []
    for name in sc.__all__:
        obj = getattr(sc, name)
        accepted = {f"schedcore.{name}"}
        if hasattr(obj, "__qualname__"):
            accepted.add(f"{obj.__module__}.{obj.__qualname__}")
        if not accepted & identifiers:
            missing.append(name)
    if missing:
        raise PluginError(
            f"the API reference (docs/reference/) does not document {', '.join(missing)},"
            " which schedcore.__all__ exports; add a '::: schedcore.<name>' block for each"
        )


def on_files(files: Files, config: MkDocsConfig) -> Files:
    """Draw every figure, prepare every block's Markdown, and run the checks."""
    _replacements.clear()
    drawn: set[str] = set()
    identifiers: set[str] = set()
    gallery_seen = False
    for file in list(files.documentation_pages()):
        source = file.content_string
        uri = file.src_uri
        if uri.startswith("reference/"):
            identifiers |= {m.group("identifier") for m in _DIRECTIVE.finditer(source)}
        for match in _BLOCK.finditer(source):
            _replacements[(uri, match.group(0))] = _render(match, uri, config, files, drawn)
        if uri == GALLERY:
            _check_gallery(source)  # after the blocks ran: each command is valid
            gallery_seen = True
    if not gallery_seen:
        raise PluginError(f"docs/{GALLERY} is missing")
    _check_reference(identifiers)
    _check_formulas()
    files.append(File.generated(config, STEP_CONVENTION_FIGURE, content=step_convention.figure("svg")))
    return files


def _errors_table() -> str:
    """The test suite's table of bad inputs (``tests/bad_inputs.py``), as Markdown."""
    lines: list[str] = []
    for section, cases in bad_inputs.SECTIONS.items():
        lines += [f"## {section}", "", "| code | raises |", "|---|---|"]
        for case in cases:
            message = case.message.replace("|", "\\|")
            lines.append(f"| `{case.code}` | `{case.error.__name__}`: `{message}` |")
        lines.append("")
    return "\n".join(lines)


def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    """Put each block's prepared Markdown in its place, and the errors table on its page."""
    uri = page.file.src_uri
    if uri == ERRORS:
        if ERRORS_MARKER not in markdown:
            raise PluginError(f"docs/{ERRORS} must hold the line {ERRORS_MARKER}")
        markdown = markdown.replace(ERRORS_MARKER, _errors_table())
    return _BLOCK.sub(lambda match: _replacements[(uri, match.group(0))], markdown)
