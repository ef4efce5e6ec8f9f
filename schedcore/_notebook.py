"""How a schedule shows itself in Jupyter: its curve and its summary.

:meth:`Schedule._repr_html_` calls :func:`html`, which evaluates the run that
``schedcore show`` would (up to just past the last breakpoint) and returns the summary
with an SVG plot when matplotlib is installed, or with the terminal chart otherwise.
This module, the command line's and matplotlib are imported only when a notebook first
shows a schedule, so ``import schedcore`` stays as fast as it was.
"""

from __future__ import annotations

import html as markup
import importlib.util
import io
from typing import TYPE_CHECKING

from schedcore import cli

if TYPE_CHECKING:
    from schedcore._base import Schedule

__all__ = ["html"]


def _has_matplotlib() -> bool:
    return importlib.util.find_spec("matplotlib") is not None


def _svg(curve: cli.Curve) -> str:
    """The plot of ``schedcore show --plot``, as an ``<svg>`` element to put in a page."""
    buffer = io.BytesIO()
    cli.draw([curve], buffer, "svg")
    text = buffer.getvalue().decode("utf-8")
    return text[text.index("<svg") :].strip()  # without the XML declaration and the doctype


def html(schedule: Schedule) -> str:
    """The curve and the summary of ``schedule``, as an HTML fragment.

    The run is ``schedcore show``'s default, past the last breakpoint. With matplotlib
    the curve is an inline SVG; without it, the terminal chart of ``--ascii``.
    """
    n = cli.default_steps([schedule])
    curve = cli.evaluate(schedule, n)
    text = cli.format_summary(cli.summary(curve), curve.method)
    if _has_matplotlib():
        picture = f'<div class="schedcore-plot">{_svg(curve)}</div>'
    else:
        picture = f"<pre>{markup.escape(cli.ascii_chart([curve]))}</pre>"
    return f'<div class="schedcore-schedule">{picture}<pre>{markup.escape(text)}</pre></div>'
