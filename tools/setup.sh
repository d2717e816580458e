#!/usr/bin/env bash
# One entry point for a fresh machine (Python 3.11+): creates .venv, installs the tool, then
#   build  – validates the shipped records (the site and labels join this step with issues #3/#4)
#   test   – runs the whole test suite
# Re-running is cheap: pip only installs what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

PY=${PYTHON:-python3}
if ! "$PY" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
  echo "setup: cần Python 3.11 trở lên (python3 --version: $("$PY" --version 2>&1))" >&2
  exit 1
fi
if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --disable-pip-version-check --upgrade pip >/dev/null
.venv/bin/python -m pip install --quiet --disable-pip-version-check -e '.[test]'

case "${1:-build}" in
  build)
    .venv/bin/ocop validate --root .
    ;;
  test)
    shift || true
    set +e
    .venv/bin/python -m pytest "$@"
    rc=$?
    set -e
    [ "$rc" -eq 5 ] && { echo "setup: pytest collected no test" >&2; exit 1; }
    exit "$rc"
    ;;
  *)
    echo "usage: tools/setup.sh [build|test] [pytest args…]" >&2
    exit 2
    ;;
esac
