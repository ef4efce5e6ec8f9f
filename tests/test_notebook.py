"""A schedule in Jupyter: its curve and its summary, with or without matplotlib."""

from __future__ import annotations

import html
import importlib.util

import pytest

import schedcore as sc
from schedcore import _notebook, cli
from tests import processes

S = sc.warmup(100) * sc.multistep([600], gamma=0.1)


def _summary(schedule: sc.Schedule) -> str:
    curve = cli.evaluate(schedule, cli.default_steps([schedule]))
    return cli.format_summary(cli.summary(curve), curve.method)


def test_with_matplotlib_a_schedule_shows_its_plot_and_summary() -> None:
    pytest.importorskip("matplotlib")
    shown = S._repr_html_()
    assert shown.startswith('<div class="schedcore-schedule"><div class="schedcore-plot"><svg ')
    assert "</svg></div>" in shown
    assert f"<pre>{html.escape(_summary(S))}</pre>" in shown
    assert "multistep([600], gamma=0.1)" in shown  # the plot's title, as the CLI draws it


def test_without_matplotlib_it_shows_the_terminal_chart_and_the_summary(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(_notebook, "_has_matplotlib", lambda: False)
    curve = cli.evaluate(S, cli.default_steps([S]))
    assert S._repr_html_() == (
        '<div class="schedcore-schedule">'
        f"<pre>{html.escape(cli.ascii_chart([curve]))}</pre><pre>{html.escape(_summary(S))}</pre></div>"
    )
    assert "<svg" not in S._repr_html_()


def test_the_check_for_matplotlib_is_true_to_the_environment() -> None:
    assert _notebook._has_matplotlib() is (importlib.util.find_spec("matplotlib") is not None)


def test_the_plain_repr_is_still_the_expression() -> None:
    assert repr(S) == "warmup(100) * multistep([600], gamma=0.1)"
    assert sc.parse(repr(S)) == S


def test_import_schedcore_loads_neither_the_display_nor_the_command_line() -> None:
    code = (
        "import json, sys\n"
        "import schedcore\n"
        "loaded = [m for m in ('schedcore._notebook', 'schedcore.cli', 'matplotlib') if m in sys.modules]\n"
        "print(json.dumps(loaded))\n"
    )
    assert processes.last_json(processes.python("-c", code)) == []
