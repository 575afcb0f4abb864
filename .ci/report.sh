#!/usr/bin/env bash
# CI, DR evidence report: install Debian's chromium, then run the report tests with the
# headless-Chromium render made mandatory (AIXDR_REQUIRE_CHROMIUM=1: no chromium is a
# failure, not a skip). The HTML report of a DR scenario run (production adopted, replica
# booted at DR, `boot`) is parsed for every step and command and rendered to a 1280x2000
# PNG that must not be blank; the PNG is kept as $AIXDR_REPORT_PNG (default
# dist/evidence.png). The fleet page (that LPAR with its evidence page linked, and one never
# tested) likewise, kept as $AIXDR_FLEET_PNG (default dist/fleet.png). Exits non-zero on
# any failure. PYTHON: the interpreter with the project installed (default python3).
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
export AIXDR_FLEET_PNG=${AIXDR_FLEET_PNG:-$PWD/dist/fleet.png}
rm -f "$AIXDR_REPORT_PNG" "$AIXDR_FLEET_PNG"
echo "== report tests with the Chromium render"
"${PYTHON:-python3}" -m pytest -q -p no:cacheprovider tests/unit/test_evidence.py \
    tests/e2e/test_report.py
for png in "$AIXDR_REPORT_PNG" "$AIXDR_FLEET_PNG"; do
    [ -s "$png" ] || { echo "report: FAIL: no PNG at $png" >&2; exit 1; }
done
echo "report: ok: the evidence page rendered to $AIXDR_REPORT_PNG, the fleet page to $AIXDR_FLEET_PNG"
