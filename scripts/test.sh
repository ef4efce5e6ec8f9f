#!/usr/bin/env bash
# Run every test suite of schedcore, creating the environments it needs on first use.
#
#   bash scripts/test.sh            all suites: main, integrations, chainer, bare, docs
#   bash scripts/test.sh main bare  only these
#
# Suites (each in a virtual environment under $SCHEDCORE_ENVS, default .envs/):
#   main     numpy 2, torch==2.13.0 (CPU), jax + optax, pytorch_warmup, transformers, timm, keras,
#            mmengine, fvcore, Composer (its scheduler code), and the
#            frameworks below: ruff, mypy (strict) and pytest over everything, parity tests
#            included, but the integrations.
#   integrations  in the main environment: small real trainings with Lightning, the
#            transformers Trainer, accelerate, flax + orbax, torch.compile and Keras (model.fit on
#            the JAX and torch backends), each resumed
#            from a checkpoint in a new process (tests/integrations/), and the examples of
#            the framework guides (docs/guides/*.md).
#   chainer  numpy<2 and chainer 7.8.1 (built from source, see requirements/chainer.txt):
#            mypy and pytest; the core's tests run here too, against numpy 1.
#   bare     no third-party package besides the test runner: proves the core needs nothing.
#   docs     mkdocs-material + mkdocstrings, matplotlib: the CLI tests, the examples in the
#            pages (doctests), mypy on the build scripts, and `mkdocs build --strict`, which
#            draws every figure from the code and fails on a broken link or reference.
# An environment is rebuilt when its requirements file changes. A suite that fails or
# collects no test fails the run; the exit status is non-zero when any suite failed.
set -uo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
envs=${SCHEDCORE_ENVS:-$root/.envs}
python=${PYTHON:-python3}
export PIP_DISABLE_PIP_VERSION_CHECK=1 PYTHONDONTWRITEBYTECODE=1

say() { printf '\n=== %s\n' "$*"; }

# make_env NAME: create $envs/NAME from requirements/NAME.txt unless it is up to date.
make_env() {
    local name=$1 dir=$envs/$1 stamp
    stamp=$(cat requirements/"$name"*.txt | sha256sum | cut -c1-16)
    if [ -f "$dir/.stamp" ] && [ "$(cat "$dir/.stamp")" = "$stamp" ]; then
        return 0
    fi
    say "creating the $name environment in $dir"
    rm -rf "$dir"
    "$python" -m venv "$dir" || return 1
    "$dir/bin/python" -m pip install -q --upgrade pip || return 1
    if [ "$name" = chainer ]; then
        # chainer 7.8.1 has no wheel: build it against an older setuptools, without isolation.
        "$dir/bin/python" -m pip install -q -r requirements/chainer-build.txt || return 1
        "$dir/bin/python" -m pip install -q --no-build-isolation -r requirements/chainer.txt || return 1
    else
        "$dir/bin/python" -m pip install -q -r requirements/"$name".txt || return 1
    fi
    if [ -f requirements/"$name"-nodeps.txt ]; then
        # Peers whose declared dependencies would replace torch (or pull a CUDA torchvision):
        # installed without them; what they really import is pinned in requirements/$name.txt.
        "$dir/bin/python" -m pip install -q --no-deps -r requirements/"$name"-nodeps.txt || return 1
    fi
    echo "$stamp" >"$dir/.stamp"
}

# pytest_suite NAME ARGS...: pytest in the NAME environment; "no tests collected" is a failure.
pytest_suite() {
    local name=$1
    shift
    "$envs/$name/bin/python" -m pytest "$@"
    local status=$?
    if [ $status -eq 5 ]; then
        echo "the $name suite collected no test" >&2
    fi
    return $status
}

run_main() {
    local bin=$envs/main/bin status=0
    "$bin/ruff" check . || status=1
    "$bin/ruff" format --check . || status=1
    "$bin/mypy" || status=1
    SCHEDCORE_REQUIRE=numpy,jax,optax,torch,pytorch_warmup,transformers,timm,keras,array_api_strict,mpmath,matplotlib,yaml,mmengine,fvcore,composer \
        pytest_suite main -q --ignore=tests/integrations || status=1
    return $status
}

run_integrations() {
    # ruff and mypy cover these files in the main suite, against the same packages.
    SCHEDCORE_REQUIRE=torch,lightning,transformers,accelerate,flax,orbax,jax,optax,keras \
        pytest_suite main -q tests/integrations docs/guides --doctest-glob='*.md'
}

run_chainer() {
    local status=0
    # The Chainer test modules are checked here, against the real (untyped) chainer.
    "$envs/chainer/bin/mypy" schedcore tests/chainer_training.py tests/adapters/test_chainer.py \
        tests/compat/test_chainer.py --exclude 'schedcore/adapters/(torch|optax)\.py' || status=1
    SCHEDCORE_REQUIRE=numpy,chainer,mpmath pytest_suite chainer -q || status=1
    return $status
}

run_bare() {
    local status=0
    "$envs/bare/bin/mypy" schedcore --exclude 'schedcore/adapters/(torch|optax|chainer)\.py' || status=1
    SCHEDCORE_REQUIRE= SCHEDCORE_FORBID=numpy,torch,jax,chainer pytest_suite bare -q || status=1
    return $status
}

run_docs() {
    local bin=$envs/docs/bin status=0 site
    # docs/step_convention.py imports the peer libraries: the main suite type-checks it.
    "$bin/mypy" --follow-imports=silent docs/hooks.py docs/griffe_rst.py || status=1
    SCHEDCORE_REQUIRE=numpy,matplotlib,yaml \
        pytest_suite docs -q tests/test_cli.py docs --doctest-glob='*.md' || status=1
    site=$(mktemp -d) || return 1
    NO_MKDOCS_2_WARNING=1 "$bin/mkdocs" build --strict --quiet --site-dir "$site" || status=1
    rm -rf "$site"
    return $status
}

suites=("$@")
[ ${#suites[@]} -eq 0 ] && suites=(main integrations chainer bare docs)
failed=()
for suite in "${suites[@]}"; do
    env=$suite
    case $suite in
    main | chainer | bare | docs) ;;
    integrations) env=main ;; # shares the main environment: one torch install, not two
    *)
        echo "unknown suite: $suite (expected main, integrations, chainer, bare or docs)" >&2
        exit 2
        ;;
    esac
    if ! make_env "$env"; then
        failed+=("$suite (environment)")
        continue
    fi
    say "suite: $suite"
    "run_$suite" || failed+=("$suite")
done

if [ ${#failed[@]} -gt 0 ]; then
    say "FAILED: ${failed[*]}"
    exit 1
fi
say "all suites passed: ${suites[*]}"
