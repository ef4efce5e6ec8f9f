"""``schedcore show``: summaries checked against the schedule itself, errors, charts, plots.

These tests run in every suite: with numpy (one vectorized call) in main, chainer and
docs, and in the bare suite through the pure-Python fallback, which the other suites
also exercise by hiding numpy from the CLI.
"""

from __future__ import annotations

import io
import json
import math
import re
import struct
import subprocess
import sys
import zlib
from pathlib import Path
from typing import Any

import pytest

import schedcore as sc
from schedcore import cli

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = sc.parse(cli.EXAMPLE)


def run(*argv: str) -> tuple[int, str]:
    """Run the CLI in-process; return its exit status and its stdout."""
    out = io.StringIO()
    status = cli.main(list(argv), out=out)
    return status, out.getvalue()


def summaries(*argv: str) -> list[dict[str, Any]]:
    status, text = run(*argv, "--json")
    assert status == 0
    data = json.loads(text)
    return list(data["schedules"])


def every_value(s: sc.Schedule, n: int) -> list[float]:
    return [s(t) for t in range(n)]  # the scalar path: no numpy, no vectorization


@pytest.fixture(params=[pytest.param(True, id="numpy"), pytest.param(False, id="python")])
def numpy_or_not(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Run a test with numpy (skipped where it is missing) and with the pure-Python fallback."""
    if request.param:
        pytest.importorskip("numpy")
        return "numpy"
    hidden = cli._installed
    monkeypatch.setattr(cli, "_installed", lambda module: module != "numpy" and hidden(module))
    return "python"


def hide(monkeypatch: pytest.MonkeyPatch, module: str) -> None:
    hidden = cli._installed
    monkeypatch.setattr(cli, "_installed", lambda name: name != module and hidden(name))


# --- the summary ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("spec", "n"),
    [
        pytest.param(cli.EXAMPLE, 100_000, id="example"),
        pytest.param("join([warmup(50), cosine(450, end=0.1)], [50])", 700, id="join"),
        pytest.param("cycle(cosine(30), 30) * 0.5", 100, id="cycle"),
        pytest.param("exponential(0.99) + 0.25", 1, id="one-step"),
    ],
)
def test_the_json_summary_holds_the_schedules_own_values(spec: str, n: int, numpy_or_not: str) -> None:
    s = sc.parse(spec)
    values = every_value(s, n)
    (data,) = summaries("show", spec, "--steps", str(n))
    assert data["expression"] == repr(s)
    assert data["steps"] == n
    assert data["first"] == {"step": 0, "value": s(0)}
    assert data["last"] == {"step": n - 1, "value": s(n - 1)}
    assert data["breakpoints_total"] == len(s.breakpoints(n))
    assert [p["step"] for p in data["breakpoints"]] == list(s.breakpoints(n))
    for point in data["breakpoints"]:
        assert point["value"] == pytest.approx(s(point["step"]), rel=1e-12, abs=1e-300)
        assert point["before"] == pytest.approx(s(point["step"] - 1), rel=1e-12, abs=1e-300)
    assert data["min"]["value"] == pytest.approx(min(values), rel=1e-12)
    assert data["min"]["step"] == values.index(data["min"]["value"])
    assert data["max"]["value"] == pytest.approx(max(values), rel=1e-12)
    assert data["max"]["step"] == values.index(data["max"]["value"])
    assert data["sum"] == pytest.approx(math.fsum(values), rel=1e-12)
    assert data["exact"] is True
    assert data["evaluated"] == n


def test_the_text_summary_prints_each_value_with_six_significant_digits() -> None:
    status, text = run("show")
    assert status == 0
    n = 100_000
    values = every_value(EXAMPLE, n)
    lines = text.splitlines()
    assert lines[0] == cli.EXAMPLE
    assert lines[1] == "steps 0 .. 99999 (100000 steps), " + lines[1].split("), ", 1)[1]

    def row(step: int) -> list[str]:
        (found,) = [line.split() for line in lines if line.split()[:1] == [str(step)]]
        return found

    assert row(0) == ["0", f"{EXAMPLE(0):.6g}", "first", "step"]
    for b in (1000, 30000, 60000, 90000):
        assert row(b) == [str(b), f"{EXAMPLE(b):.6g}", f"{EXAMPLE(b - 1):.6g}", "breakpoint"]
    assert row(n - 1) == [str(n - 1), f"{EXAMPLE(n - 1):.6g}", "last", "step"]
    stats = {line.split()[0]: line.split()[1:] for line in lines if line[:5] in ("  min", "  max", "  sum")}
    assert stats["min"][:3] == [f"{min(values):.6g}", "at", "step"]
    assert stats["max"] == [f"{max(values):.6g}", "at", "step", str(values.index(max(values)))]
    assert stats["sum"][0] == f"{math.fsum(values):.6g}"
    assert "LR area" in " ".join(stats["sum"])


def test_without_spec_the_built_in_example_is_shown_over_a_run_past_its_last_breakpoint() -> None:
    (data,) = summaries("show")
    assert data["expression"] == cli.EXAMPLE
    assert data["steps"] == 100_000  # the last breakpoint, 90_000, plus 10%, rounded up


def test_long_runs_are_sampled_with_exact_breakpoints_and_a_close_sum(
    numpy_or_not: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cli, "NUMPY_DENSE_LIMIT", 10_000)
    monkeypatch.setattr(cli, "PYTHON_DENSE_LIMIT", 10_000)
    monkeypatch.setattr(cli, "_NUMPY_SAMPLES", 4_001)
    n = 200_000
    values = every_value(EXAMPLE, n)
    (data,) = summaries("show", "--steps", str(n))
    assert data["exact"] is False
    assert data["evaluated"] < n / 4
    for point in data["breakpoints"]:
        assert point["value"] == EXAMPLE(point["step"])
        assert point["before"] == EXAMPLE(point["step"] - 1)
    assert data["max"] == {"step": 1000, "value": max(values)}  # the pieces are monotonic
    assert data["min"]["value"] == min(values)
    assert data["sum"] == pytest.approx(math.fsum(values), rel=1e-5)
    text = run("show", "--steps", str(n))[1]
    assert "sampled; min, max and sum are estimates" in text
    assert re.search(r"^  sum  ~\S+ ", text, re.MULTILINE)


def test_numpy_and_the_pure_python_fallback_agree(monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("numpy")
    spec = "one_cycle(5000, peak_at=0.25) * step_decay(700, gamma=0.5)"
    vectorized = summaries("show", spec, "--steps", "6000")
    hide(monkeypatch, "numpy")
    scalar = summaries("show", spec, "--steps", "6000")
    assert scalar[0].pop("sum") == pytest.approx(vectorized[0].pop("sum"), rel=1e-12)
    assert scalar == vectorized


def test_thousands_of_breakpoints_are_capped_to_the_first_and_last_ten() -> None:
    s = sc.step_decay(10, gamma=0.999)
    (data,) = summaries("show", repr(s), "--steps", "10000")
    assert data["breakpoints_total"] == 999
    assert [p["step"] for p in data["breakpoints"]] == [*range(10, 110, 10), *range(9900, 10000, 10)]
    text = run("show", repr(s), "--steps", "10000")[1]
    assert "979 more breakpoints" in text


def test_overflowing_values_are_written_as_strings_in_json(numpy_or_not: str) -> None:
    (data,) = summaries("show", "exponential(2.0)", "--steps", "1100")
    assert data["last"]["value"] == "inf"
    assert data["sum"] == "inf"
    assert data["first"]["value"] == 1.0


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        pytest.param(cli.EXAMPLE, 100_000, id="example"),
        pytest.param("exponential(0.99)", 10_000, id="no-breakpoint"),
        pytest.param("warmup(10) * cosine(90)", 100, id="short"),
        pytest.param("cyclic(5)", 400, id="periodic"),
    ],
)
def test_default_steps_cover_the_breakpoints(spec: str, expected: int) -> None:
    assert cli.default_steps([sc.parse(spec)]) == expected


def test_compare_summarizes_every_schedule_over_the_same_run() -> None:
    data = summaries("show", "warmup(100)", "--compare", "cosine(300)", "multistep([50], gamma=0.5)")
    assert [d["expression"] for d in data] == ["warmup(100)", "cosine(300)", "multistep([50], gamma=0.5)"]
    assert {d["steps"] for d in data} == {400}  # cosine(300) sets the run: 330, rounded up


# --- reading SPEC -----------------------------------------------------------------------


def test_a_json_file_of_the_to_dict_form_is_read(tmp_path: Path) -> None:
    path = tmp_path / "schedule.json"
    path.write_text(json.dumps(EXAMPLE.to_dict()))
    assert cli.load(str(path)) == EXAMPLE
    (data,) = summaries("show", str(path), "--steps", "1000")
    assert data["expression"] == cli.EXAMPLE


def test_a_json_file_may_hold_an_expression_string(tmp_path: Path) -> None:
    path = tmp_path / "schedule.json"
    path.write_text(json.dumps("warmup(10) * cosine(90)"))
    assert cli.load(str(path)) == sc.warmup(10) * sc.cosine(90)


def test_a_yaml_file_is_read_with_pyyaml(tmp_path: Path) -> None:
    yaml = pytest.importorskip("yaml")
    path = tmp_path / "schedule.yaml"
    path.write_text(yaml.safe_dump(EXAMPLE.to_dict()))
    assert cli.load(str(path)) == EXAMPLE


def test_a_yaml_file_without_pyyaml_says_what_to_install(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    hide(monkeypatch, "yaml")
    monkeypatch.chdir(tmp_path)
    Path("s.yml").write_text("type: warmup\nsteps: 10\n")
    assert run("show", "s.yml") == (2, "")
    assert capsys.readouterr().err == (
        "schedcore show: error: SPEC: s.yml is a YAML file, and reading YAML needs PyYAML, which is"
        " not installed: pip install pyyaml (JSON files and expressions need nothing)\n"
    )


FILES = {
    "bad.json": "{'type': 'warmup'}",
    "list.json": "[1, 2]",
    "zero.json": '{"type": "warmup", "steps": 0}',
    "typo.json": '"warmup(10) * cosin(5)"',
}


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        pytest.param(
            ["warmup(1000"],
            "SPEC: invalid schedule expression at column 7: '(' was never closed: 'warmup(1000'",
            id="unclosed",
        ),
        pytest.param(
            ["warmup(-3)"],
            "SPEC: warmup: steps must be a positive int, got -3 at column 1: 'warmup(-3)'",
            id="bad-argument",
        ),
        pytest.param(
            ["warmup(10) * cosine(5).steps"],
            "SPEC: attributes are not allowed at column 14: 'cosine(5).steps'",
            id="attribute",
        ),
        pytest.param(
            ["lambda t: 1.0"],
            "SPEC: Lambda is not allowed in a schedule expression at column 1: 'lambda t: 1.0'",
            id="lambda",
        ),
        pytest.param(
            ["warmup(10)", "--compare", "cosine(10)", "cosine(0)"],
            "--compare #2: cosine: steps must be a positive int, got 0 at column 1: 'cosine(0)'",
            id="compare",
        ),
        pytest.param(
            ["missing.json"],
            "SPEC: cannot read missing.json: [Errno 2] No such file or directory: 'missing.json'",
            id="missing-file",
        ),
        pytest.param(
            ["bad.json"],
            "SPEC: bad.json is not valid JSON: Expecting property name enclosed in double quotes:"
            " line 1 column 2 (char 1)",
            id="bad-json",
        ),
        pytest.param(
            ["list.json"],
            "SPEC: list.json must hold a schedule's to_dict() form (an object with a 'type' key)"
            " or an expression string, got list",
            id="json-list",
        ),
        pytest.param(
            ["zero.json"],
            "SPEC: zero.json: from_dict: $ (warmup): steps must be a positive int, got 0",
            id="json-bad-value",
        ),
        pytest.param(
            ["warmup(10)", "--json", "--ascii"],
            "--json and --ascii both write to stdout; choose one",
            id="json-and-ascii",
        ),
    ],
)
def test_a_bad_spec_exits_2_with_one_line_that_points_at_the_text(
    argv: list[str],
    message: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.chdir(tmp_path)
    for name, text in FILES.items():
        Path(name).write_text(text)
    assert run("show", *argv) == (2, "")
    assert capsys.readouterr().err == f"schedcore show: error: {message}\n"


def test_an_unknown_name_in_a_file_quotes_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    Path("typo.json").write_text(FILES["typo.json"])
    with pytest.raises(
        ValueError, match=re.escape("typo.json: unknown schedule 'cosin' at column 14: 'cosin'")
    ):
        cli.load("typo.json")


@pytest.mark.parametrize(
    ("text", "steps"),
    [
        pytest.param("1000", 1000, id="int"),
        pytest.param("100_000", 100_000, id="underscores"),
        pytest.param("1e6", 1_000_000, id="scientific"),
    ],
)
def test_steps_are_read_as_a_positive_int(text: str, steps: int) -> None:
    (data,) = summaries("show", "warmup(10)", "--steps", text)
    assert data["steps"] == steps


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("0", id="zero"),
        pytest.param("-5", id="negative"),
        pytest.param("2.5", id="fraction"),
        pytest.param("ten", id="word"),
        pytest.param("inf", id="infinite"),
        pytest.param("1e19", id="beyond-64-bit-steps"),
    ],
)
def test_bad_steps_exit_2_with_a_usage_message(text: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert run("show", "--steps", text)[0] == 2
    assert capsys.readouterr().err.endswith(
        f"schedcore show: error: argument --steps: must be a positive int up to 2**63 - 1, got {text!r}\n"
    )


@pytest.mark.parametrize(
    ("spec", "steps", "total", "last"),
    [
        pytest.param("cycle(step_decay(1, gamma=0.99), 100000000)", "100", 99, 99, id="a-long-cycle"),
        pytest.param("step_decay(1, 0.99)", "1e12", 10**12 - 1, 10**12 - 1, id="a-drop-at-every-step"),
        pytest.param("cycle(cosine(10), 10)", "1e12", 10**11 - 1, 10**12 - 10, id="a-short-cycle"),
    ],
)
def test_breakpoints_cost_what_their_runs_cost_not_the_range(
    spec: str, steps: str, total: int, last: int
) -> None:
    (data,) = summaries("show", spec, "--steps", steps)
    assert data["breakpoints_total"] == total
    assert data["breakpoints"][-1]["step"] == last


def test_a_range_too_irregular_to_list_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    spec = "cycle(cosine(7), 7) * cycle(cosine(11), 11)"  # the two periods keep interrupting each other
    assert run("show", spec, "--steps", "1e12")[0] == 2
    error = capsys.readouterr().err
    assert error.startswith("schedcore show: error: --steps 1000000000000: ")
    assert error.endswith(
        "changes its formula irregularly more than 100000 times before step 1000000000000;"
        " show a shorter run with --steps\n"
    )


def test_import_loads_a_module_that_registers_a_schedule(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "my_shapes.py").write_text(
        "import schedcore as sc\n\n"
        "@sc.register('halve_at')\n"
        "class HalveAt(sc.Schedule):\n"
        "    step: int\n\n"
        "    def formula(self, t, ops):\n"
        "        return ops.select(t, [self.step], [1.0, 0.5])\n"
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    from schedcore._base import REGISTRY

    monkeypatch.setitem(REGISTRY, "placeholder", sc.schedules.Constant)  # restored, with the new name gone
    monkeypatch.delitem(REGISTRY, "placeholder")
    (data,) = summaries("show", "--import", "my_shapes", "halve_at(5) * warmup(2)", "--steps", "10")
    REGISTRY.pop("halve_at", None)
    assert data["breakpoints"][0]["step"] == 2
    assert [b["value"] for b in data["breakpoints"]] == [1.0, 0.5]


def test_import_of_a_missing_module_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert run("show", "--import", "no_such_module_here", "warmup(10)")[0] == 2
    assert capsys.readouterr().err == (
        "schedcore show: error: --import no_such_module_here: ModuleNotFoundError: No module named"
        " 'no_such_module_here'\n"
    )


# --- drawing --------------------------------------------------------------------------------


def test_ascii_draws_the_curve_in_the_terminal(numpy_or_not: str) -> None:
    status, text = run("show", "warmup(4)", "--steps", "8", "--ascii", "--width", "8", "--height", "5")
    assert status == 0
    chart = text.split("\n\n")[-1]
    assert chart.splitlines() == [
        "  1 |    ****",
        "    |   **",
        "0.5 |  **",
        "    | **",
        "  0 |**",
        "    +--------",
        "     0   4  7",
        "     step t",
    ]


def test_ascii_overlays_compared_schedules_with_a_legend() -> None:
    argv = ["multistep([3], gamma=0.5)", "--compare", "warmup(4)", "--steps", "6", "--ascii", "--height", "3"]
    status, text = run("show", *argv)
    assert status == 0
    chart = text[text.index("  1 |") :]
    assert chart.splitlines() == [
        "  1 |***ooo",
        "0.5 |  oo**",
        "  0 |ooo",
        "    +------",
        "     0  3 5",
        "     step t",
        "",
        "  *  multistep([3], gamma=0.5)",
        "  o  warmup(4)",
    ]


def test_ascii_draws_a_long_sampled_run_within_its_width(numpy_or_not: str) -> None:
    status, text = run("show", "--steps", "1e6", "--ascii", "--width", "60", "--height", "10")
    assert status == 0
    chart = text.split("\n\n")[-1].splitlines()
    plot = [line.split("|", 1)[1] for line in chart[:10]]
    assert all(len(row) <= 60 for row in plot)
    assert plot[-1].startswith("*")  # s(0) = 0 at the bottom left
    assert plot[0][:2].strip() == "*"  # the warmup reaches the top in the first columns
    assert chart[11].split() == ["0", "500000", "999999"]


def test_log_spaces_the_ascii_rows_by_powers_of_ten(numpy_or_not: str) -> None:
    argv = [
        "multistep([2, 4], gamma=0.1)",
        "--steps",
        "6",
        "--ascii",
        "--log",
        "--width",
        "6",
        "--height",
        "3",
    ]
    status, text = run("show", *argv)
    assert status == 0
    assert text.split("\n\n")[-1].splitlines()[:3] == ["   1 |***", " 0.1 |  ***", "0.01 |    **"]


def test_log_leaves_values_at_zero_out_of_the_chart(numpy_or_not: str) -> None:
    status, text = run(
        "show", "warmup(4)", "--steps", "8", "--ascii", "--log", "--width", "8", "--height", "3"
    )
    assert status == 0
    rows = [line.split("|", 1)[1] for line in text.split("\n\n")[-1].splitlines()[:3]]
    assert [row[:1].strip() for row in rows] == ["", "", ""]  # s(0) = 0 has no place on a log axis
    assert rows[2].startswith(" *")  # s(1) = 0.25, the smallest positive value, at the bottom


def test_log_plots_a_log_scale_value_axis(tmp_path: Path) -> None:
    pytest.importorskip("matplotlib")
    texts = {}
    for scale in ("linear", "log"):
        path = tmp_path / f"{scale}.svg"
        flags = ["--log"] if scale == "log" else []
        assert (
            run("show", "multistep([2, 4], gamma=0.1)", "--steps", "6", "--plot", str(path), *flags)[0] == 0
        )
        texts[scale] = re.findall(r"<!-- (.*?) -->", path.read_text())  # matplotlib's text, as comments
    assert {"$\\mathdefault{10^{-2}}$", "$\\mathdefault{10^{0}}$"} <= set(texts["log"])
    assert not any("10^" in text for text in texts["linear"])


def test_log_without_a_drawing_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert run("show", "--log") == (2, "")
    assert capsys.readouterr().err == (
        "schedcore show: error: --log sets the scale of a drawing: use it with --plot FILE or --ascii\n"
    )


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert data[12:16] == b"IHDR"
    width, height = struct.unpack(">II", data[16:24])
    assert zlib.crc32(data[12:29]) == struct.unpack(">I", data[29:33])[0]
    return width, height


def test_plot_writes_a_png_of_the_curve(tmp_path: Path) -> None:
    pytest.importorskip("matplotlib")
    image = pytest.importorskip("matplotlib.image")
    path = tmp_path / "lr.png"
    status, text = run("show", "--steps", "1e6", "--plot", str(path))
    assert status == 0
    assert text.endswith(f"wrote {path}\n")
    assert png_size(path.read_bytes()) == (1200, 675)
    pixels = image.imread(str(path))
    blue = (abs(pixels[..., 0] - 0x1F / 255) < 0.05) & (abs(pixels[..., 2] - 0xB4 / 255) < 0.05)
    assert blue.sum() > 500  # the curve is drawn in matplotlib's first colour


def test_the_readme_image_is_the_built_in_example_as_the_cli_draws_it(tmp_path: Path) -> None:
    image = pytest.importorskip("matplotlib.image")
    path = tmp_path / "example.png"
    assert run("show", "--plot", str(path))[0] == 0
    committed = image.imread(str(ROOT / "docs" / "images" / "example.png"))
    drawn = image.imread(str(path))
    assert committed.shape == drawn.shape
    differing = (abs(committed - drawn).max(axis=-1) > 0.1).mean()
    assert differing < 0.002, "regenerate it: schedcore show --plot docs/images/example.png"


def test_plot_writes_svg_and_keeps_stdout_json_only(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pytest.importorskip("matplotlib")
    path = tmp_path / "lr.svg"
    status, text = run("show", "cosine(100)", "--compare", "warmup(50)", "--plot", str(path), "--json")
    assert status == 0
    assert len(json.loads(text)["schedules"]) == 2
    assert capsys.readouterr().err == f"wrote {path}\n"
    svg = path.read_text()
    assert svg.startswith("<?xml")
    assert svg.rstrip().endswith("</svg>")


def test_plot_refuses_a_format_matplotlib_cannot_write(capsys: pytest.CaptureFixture[str]) -> None:
    pytest.importorskip("matplotlib")
    assert run("show", "--plot", "lr.txt") == (2, "")
    err = capsys.readouterr().err
    assert err.startswith("schedcore show: error: --plot lr.txt: matplotlib cannot write 'txt'; use one of: ")
    assert ".png, " in err
    assert ".svg" in err
    assert err.count("\n") == 1


def test_plot_without_matplotlib_says_what_to_install(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    hide(monkeypatch, "matplotlib")
    assert run("show", "--plot", "lr.png") == (1, "")
    assert capsys.readouterr().err == (
        "schedcore show: error: --plot needs matplotlib, which is not installed;"
        ' install it with: pip install "schedcore[plot]"'
        " (or draw in the terminal with --ascii, which needs nothing)\n"
    )


def test_plot_into_a_missing_folder_fails_with_status_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pytest.importorskip("matplotlib")
    target = tmp_path / "no" / "lr.png"
    assert run("show", "--plot", str(target))[0] == 1
    err = capsys.readouterr().err
    assert err.startswith(f"schedcore show: error: --plot {target}: cannot write it: ")
    assert err.count("\n") == 1


# --- as a program -----------------------------------------------------------------------


def program(*argv: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "schedcore", *argv], capture_output=True, text=True, cwd=ROOT, check=False
    )


def test_python_m_schedcore_show_prints_the_summary() -> None:
    result = program("show", "warmup(10) * cosine(90)", "--steps", "100")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[0] == "warmup(10) * cosine(90)"
    assert result.stderr == ""


def test_python_m_schedcore_reports_a_bad_spec_in_one_line_without_traceback() -> None:
    result = program("show", "warmup(10) * import os")
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr == (
        "schedcore show: error: SPEC: invalid schedule expression at column 14: invalid syntax:"
        " 'warmup(10) * import os'\n"
    )


def test_a_reader_that_goes_away_ends_the_program_quietly() -> None:
    # schedcore show ... | head: the pipe closes before the summary is written.
    process = subprocess.Popen(
        [sys.executable, "-m", "schedcore", "show", "--ascii"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=ROOT,
    )
    assert process.stdout is not None
    assert process.stderr is not None
    process.stdout.close()
    errors = process.stderr.read()
    assert (process.wait(timeout=120), errors) == (1, b"")


def test_a_command_is_required_and_the_version_is_printed() -> None:
    result = program()
    assert result.returncode == 2
    assert "the following arguments are required: COMMAND" in result.stderr
    version = program("--version")
    assert (version.returncode, version.stdout) == (0, f"schedcore {sc.__version__}\n")


def test_the_console_script_runs_cli_main() -> None:
    tomllib = pytest.importorskip("tomllib")
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())
    assert project["project"]["scripts"] == {"schedcore": "schedcore.cli:main"}


def test_the_cli_imports_no_third_party_module_until_it_needs_one() -> None:
    code = (
        "import sys, json\n"
        "before = set(sys.modules)\n"
        "import schedcore.cli, schedcore.__main__\n"
        "new = {m.split('.')[0] for m in set(sys.modules) - before}\n"
        "print(json.dumps(sorted(new - set(sys.stdlib_module_names) - {'schedcore'})))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True
    )
    assert json.loads(result.stdout) == []
