#!/usr/bin/env bash
# CI, DR evidence report: install Debian's chromium, then run the report tests with the
# headless-Chromium render made mandatory (AIXDR_REQUIRE_CHROMIUM=1: no chromium is a
# failure, not a skip). The HTML report of a DR scenario run (production adopted, replica
# booted at DR, `boot`) is parsed for every step and command and rendered to a 1280x2000
# PNG that must not be blank; the PNG is kept as $AIXDR_REPORT_PNG (default
# dist/evidence.png). Exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v chromium >/dev/null; then
    echo "== apt-get install chromium"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq chromium >/dev/null
fi
chromium --version

mkdir -p dist
export AIXDR_REQUIRE_CHROMIUM=1
export AIXDR_REPORT_PNG=${AIXDR_REPORT_PNG:-$PWD/dist/evidence.png}
rm -f "$AIXDR_REPORT_PNG"
echo "== report tests with the Chromium render"
python3 -m pytest -q -p no:cacheprovider tests/unit/test_evidence.py tests/e2e/test_report.py
[ -s "$AIXDR_REPORT_PNG" ] || { echo "report: FAIL: no PNG at $AIXDR_REPORT_PNG" >&2; exit 1; }
echo "report: ok: the evidence page rendered to $AIXDR_REPORT_PNG"
