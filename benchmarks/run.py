"""Run schedcore's benchmarks against its peers; print a table, write RESULTS.md and JSON.

    python benchmarks/run.py                  every case, each in its own process
    python benchmarks/run.py V1 S2            only these cases
    python benchmarks/run.py --rounds 15      more rounds (default 9) per contender
    python benchmarks/run.py --profile V1     cProfile of the schedcore side of a case

Each case runs in a fresh process with the interpreter of its environment:
``$SCHEDCORE_ENVS/chainer/bin/python`` for the Chainer case, ``$SCHEDCORE_ENVS/main/bin/python``
for the others (``$SCHEDCORE_ENVS`` defaults to ``.envs`` in the repository; without
those environments, the interpreter running this script). A case whose library or
adapter cannot be imported is reported as unavailable, with the reason.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import pstats
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))  # schedcore from this checkout, whatever the working directory

import cases  # noqa: E402 - after the path is set
from timing import Unavailable  # noqa: E402

ORDER = ["E1", "E2", "V1", "V2", "V3", "S1", "S2", "S3", "S4", "J1", "I1"]
TIMEOUT = 1800  # seconds for one case


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "cases", nargs="*", metavar="CASE", help=f"cases to run (default: all of {' '.join(ORDER)})"
    )
    parser.add_argument("--rounds", type=int, default=9, help="rounds per contender, at least 5 (default 9)")
    parser.add_argument("--profile", metavar="CASE", help="print a cProfile of schedcore's side of CASE")
    parser.add_argument("--case", help=argparse.SUPPRESS)  # internal: run one case in this process
    parser.add_argument("--output", type=Path, default=HERE, help="where RESULTS.md and results.json go")
    args = parser.parse_args()
    if args.rounds < 5:
        parser.error("--rounds must be at least 5")
    if args.case:
        return _run_here(args.case, args.rounds)
    if args.profile:
        return _profile(args.profile.upper())
    chosen = [name.upper() for name in args.cases] or ORDER
    unknown = sorted(set(chosen) - set(ORDER))
    if unknown:
        parser.error(f"unknown case(s) {', '.join(unknown)}; the cases are {' '.join(ORDER)}")
    machine = cases.machine()  # the load average before the cases run
    cpu = cases.cpu_times()
    results = []
    for name in chosen:
        print(f"running {name} ...", file=sys.stderr, flush=True)
        results.append(_run_in_process(name, args.rounds))
    machine["interpreters"] = {env: _describe(_interpreter(env)) for env in ("main", "chainer")}
    machine["load_average_after"] = cases.load_average()
    machine["cpu_steal"] = cases.steal_share(cpu, cases.cpu_times())
    machine["commit"] = _commit()
    report = {"machine": machine, "rounds": args.rounds, "results": results}
    print(_table(results))
    args.output.mkdir(parents=True, exist_ok=True)
    (args.output / "results.json").write_text(json.dumps(report, indent=1) + "\n")
    (args.output / "RESULTS.md").write_text(_markdown(report))
    print(f"\nwrote {args.output / 'RESULTS.md'} and {args.output / 'results.json'}", file=sys.stderr)
    return 0


# --- running cases -------------------------------------------------------------------


def _run_here(name: str, rounds: int) -> int:
    """Run one case in this process and print its JSON on the last line."""
    try:
        result: dict[str, Any] = cases.CASES[name](rounds).to_json()
    except Unavailable as reason:
        result = {"case": name, "status": "unavailable", "reason": str(reason)}
    print(json.dumps(result))
    return 0


def _run_in_process(name: str, rounds: int) -> dict[str, Any]:
    python = _interpreter(cases.ENVIRONMENT.get(name, "main"))
    if python is None:
        env = cases.ENVIRONMENT.get(name, "main")
        return {"case": name, "status": "unavailable", "reason": f"no {env} environment in {_envs()}"}
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]))
    command = [python, str(HERE / "run.py"), "--case", name, "--rounds", str(rounds)]
    started, cpu = time.perf_counter(), cases.cpu_times()
    try:
        done = subprocess.run(command, capture_output=True, text=True, env=env, timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        return {"case": name, "status": "failed", "reason": f"no result after {TIMEOUT} s"}
    lines = done.stdout.strip().splitlines()
    try:
        result: dict[str, Any] = json.loads(lines[-1])
    except (IndexError, json.JSONDecodeError):
        tail = done.stderr.strip().splitlines()[-3:]
        return {
            "case": name,
            "status": "failed",
            "reason": f"exit status {done.returncode}: {' / '.join(tail)}",
        }
    result["python"] = python
    result["seconds"] = round(time.perf_counter() - started, 1)
    result["cpu_steal"] = cases.steal_share(cpu, cases.cpu_times())
    return result


def _envs() -> Path:
    return Path(os.environ.get("SCHEDCORE_ENVS", ROOT / ".envs"))


def _interpreter(env: str) -> str | None:
    candidate = _envs() / env / "bin" / "python"
    if candidate.exists():
        return str(candidate)
    return sys.executable if env == "main" else None


def _describe(python: str | None) -> str | None:
    if python is None:
        return None
    code = (
        "import platform, importlib.metadata as m\n"
        "found = []\n"
        "for name in ('numpy', 'chainer', 'torch', 'jax', 'optax'):\n"
        "    try: found.append(f'{name} {m.version(name)}')\n"
        "    except m.PackageNotFoundError: pass\n"
        "try:\n"
        "    import numpy\n"
        "    umath = getattr(numpy, '_core', None) or numpy.core\n"
        "    features = umath._multiarray_umath.__cpu_features__\n"
        "    targets = umath._multiarray_umath.__cpu_dispatch__\n"
        "    used = [t for t in targets if features.get(t)] or ['baseline only']\n"
        "    unused = ' '.join(t for t in targets if not features.get(t))\n"
        "    found.append('numpy SIMD ' + ' '.join(used) + (f' (not {unused})' if unused else ''))\n"
        "except Exception: pass\n"
        "print(', '.join([f'Python {platform.python_version()}', *found]))"
    )
    try:
        done = subprocess.run([python, "-c", code], capture_output=True, text=True, check=True)
    except (OSError, subprocess.CalledProcessError):
        return python
    return f"{python}: {done.stdout.strip()}"


def _commit() -> str | None:
    try:
        done = subprocess.run(
            ["git", "-C", str(ROOT), "describe", "--always", "--dirty"],
            capture_output=True,
            text=True,
            check=True,
        )
    except (OSError, subprocess.CalledProcessError):
        return None
    return done.stdout.strip()


def _profile(name: str) -> int:
    if name not in cases.PROFILE:
        print(f"no profile for {name}; profiles: {' '.join(cases.PROFILE)}", file=sys.stderr)
        return 2
    try:
        target = cases.PROFILE[name]()
    except Unavailable as reason:
        print(f"{name} is unavailable: {reason}", file=sys.stderr)
        return 1
    target()  # warm up: imports, page faults, caches
    profiler = cProfile.Profile()
    profiler.runcall(target)
    text = io.StringIO()
    pstats.Stats(profiler, stream=text).sort_stats("tottime").print_stats(25)
    print(text.getvalue())
    return 0


# --- reporting ------------------------------------------------------------------------


def _format(value: float, unit: str) -> str:
    if unit == "x":
        return f"{value:.2f}x"
    if unit in ("ms", "us", "s"):
        return f"{value:.3g} {unit}" if value < 100 else f"{value:.0f} {unit}"
    return f"{value:.3g} {unit}"


def _verdict(check: dict[str, Any]) -> str:
    if check["target"] is None:
        return "info"
    return "met" if check["met"] else "NOT MET"


def _target(check: dict[str, Any]) -> str:
    return "" if check["target"] is None else f"<= {_format(check['target'], check['unit'])}"


def _table(results: list[dict[str, Any]]) -> str:
    rows = [("case", "check", "value (median)", "min-max", "target", "")]
    for result in results:
        if result["status"] != "ok":
            rows.append((result["case"], f"{result['status']}: {result['reason']}", "", "", "", ""))
            continue
        for check in result["checks"]:
            spread = ""
            if "min" in check:
                spread = f"{_format(check['min'], check['unit'])}-{_format(check['max'], check['unit'])}"
            rows.append(
                (
                    result["case"],
                    check["name"],
                    _format(check["value"], check["unit"]),
                    spread,
                    _target(check),
                    _verdict(check),
                )
            )
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    widths[1] = min(widths[1], 70)
    lines = [
        "  ".join(cell[:70].ljust(width) for cell, width in zip(row, widths, strict=True)) for row in rows
    ]
    lines.insert(1, "  ".join("-" * width for width in widths))
    return "\n".join(lines)


def _steal(report: dict[str, Any]) -> str:
    """The whole run's CPU steal, and each case's, as percentages."""

    def percent(share: float | None) -> str:
        return "unknown" if share is None else f"{share:.0%}"

    per_case = ", ".join(f"{r['case']} {percent(r.get('cpu_steal'))}" for r in report["results"])
    return f"{percent(report['machine'].get('cpu_steal'))} over the run ({per_case})"


def _markdown(report: dict[str, Any]) -> str:
    machine = report["machine"]
    out = [
        "# Benchmark results",
        "",
        "Written by `python benchmarks/run.py` (see `benchmarks/README.md`). Ratios are the result:",
        "each is the median of per-round ratios of two contenders timed side by side, in",
        f"alternation, over {report['rounds']} rounds; absolute times depend on the machine and its load.",
        "",
        "## Machine",
        "",
        f"- CPU: {machine['cpu']}, {machine['cpus']} logical CPUs",
        f"- OS: {machine['platform']}",
        f"- Python: {machine['implementation']} {machine['python']}",
        f"- Interpreters: main `{machine['interpreters']['main']}`,"
        f" chainer `{machine['interpreters']['chainer']}`",
        "- Libraries: "
        + ", ".join(
            f"{name} {machine.get(name)}"
            for name in ("numpy", "jax", "jaxlib", "optax", "torch", "chainer")
            if machine.get(name)
        ),
        f"- Python speed: one call of `lambda t: t * 2.0` took {machine.get('python_call_ns')} ns in the"
        " interpreter that ran run.py (the absolute times S2, S4, V3 and I1 scale with it)",
        f"- schedcore commit: `{machine['commit']}`",
        f"- Load average (1, 5, 15 min) before: {machine['load_average']},"
        f" after: {machine['load_average_after']}",
        f"- CPU steal (the share of CPU time the hypervisor gave to others): {_steal(report)}",
        f"- Date: {machine['time']}",
        "",
        "## Targets",
        "",
        "| case | check | value (median) | min-max | target | |",
        "|---|---|---|---|---|---|",
    ]
    for result in report["results"]:
        if result["status"] != "ok":
            out.append(f"| {result['case']} | {result['status']}: {result['reason']} | | | | |")
            continue
        for check in result["checks"]:
            spread = ""
            if "min" in check:
                spread = f"{_format(check['min'], check['unit'])} - {_format(check['max'], check['unit'])}"
            out.append(
                f"| {result['case']} | {check['name']} | {_format(check['value'], check['unit'])} | {spread}"
                f" | {_target(check)} | {_verdict(check)} |"
            )
    out += ["", "## Cases", ""]
    for result in report["results"]:
        out.append(f"### {result['case']}" + (f": {result['title']}" if "title" in result else ""))
        out.append("")
        if result["status"] != "ok":
            out += [f"{result['status'].capitalize()}: {result['reason']}", ""]
            continue
        unit = result["unit"]
        out += [f"| contender | median ({unit}) | min | max |", "|---|---|---|---|"]
        for name, stats in result["contenders"].items():
            per = (
                f" (per operation, {stats['ops_per_round']} per round)" if stats["ops_per_round"] > 1 else ""
            )
            out.append(f"| {name}{per} | {stats['median']:.4g} | {stats['min']:.4g} | {stats['max']:.4g} |")
        out.append("")
        if "scaling" in result["extra"]:
            out += ["| n | schedcore (us) | ns/step | floor (us) | floor ns/step |", "|---|---|---|---|---|"]
            for row in result["extra"]["scaling"]:
                out.append(
                    f"| {row['n']:.0e} | {row['schedcore_us']:.4g} | {row['ns_per_step']:.3g}"
                    f" | {row['floor_us']:.4g} | {row['floor_ns_per_step']:.3g} |"
                )
            out.append("")
        if "importtime_top" in result["extra"]:
            out += ["Largest own import times (`python -X importtime -c 'import schedcore'`):", ""]
            out += ["| module | self (ms) | cumulative (ms) |", "|---|---|---|"]
            for row in result["extra"]["importtime_top"]:
                out.append(f"| {row['module']} | {row['self_ms']:.2f} | {row['cumulative_ms']:.2f} |")
            out.append("")
        others = {k: v for k, v in result["extra"].items() if k not in ("scaling", "importtime_top")}
        for key, value in others.items():
            out.append(f"- {key.replace('_', ' ')}: {value}")
        for note in result["notes"]:
            out.append(f"- {note}")
        out.append("")
    return "\n".join(out)


if __name__ == "__main__":
    sys.exit(main())
