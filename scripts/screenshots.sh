#!/usr/bin/env bash
# Makes the two screenshots of the README's "Pictures" section, docs/images/report.png and
# docs/images/verify.png: a small release benchmark shown by `brl report RUN --html`, and
# `brl verify --html` of an oracle fixture, both drawn by headless Chromium.
# Needs chromium (Debian: apt-get install -y chromium). Writes only docs/images/*.png; the
# benchmark database and the pages go to a temporary folder.
set -euo pipefail
cd "$(dirname "$0")/.."

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
swift build -c release --product brl
brl=.build/release/brl

"$brl" bench --loss rs --neg 1e3..1e6 --pos 100 --repeats 3 --budget 2 --db "$work/bench.sqlite" >/dev/null
"$brl" report latest --db "$work/bench.sqlite" --html "$work/report.html" >/dev/null
"$brl" verify fixtures/oracle/rs_medium.npz --html "$work/verify.html" >/dev/null

mkdir -p docs/images
shoot() {  # page png width height
  chromium --headless --no-sandbox --disable-gpu --hide-scrollbars \
    --user-data-dir="$work/profile" --screenshot="$2" --window-size="$3,$4" "file://$1" \
    >/dev/null 2>&1
}
shoot "$work/report.html" docs/images/report.png 1100 1250
shoot "$work/verify.html" docs/images/verify.png 1100 1250
ls -l docs/images/report.png docs/images/verify.png
