#!/usr/bin/env bash
# Render the HTML hunt report and screenshot it in headless Chromium, to check how it looks.
#
#   scripts/screenshot_report.sh [OUT.png] [HUNT ARGS...]
#
# Default: the demo data with the demo context (or tests/data/report when the demo is absent).
# Needs Chromium (Debian: apt-get install chromium). The page loads with no network and no profile.
# TRAILHUNT=path/to/trailhunt picks the CLI; WIDTH and HEIGHT set the window (default 1400x4000).
set -euo pipefail
cd "$(dirname "$0")/.."

out="${1:-report.png}"
shift || true
if [ "$#" -eq 0 ]; then
  if [ -d fixtures/demo ]; then
    set -- fixtures/demo --context fixtures/contexts/demo.yaml
  else
    set -- tests/data/report/payloads.json tests/data/report/baseline.json --context tests/data/report/context.yaml
  fi
fi

browser="$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)"
if [ -z "$browser" ]; then
  echo "no Chromium found: apt-get install chromium" >&2
  exit 2
fi

# The trailhunt to run: $TRAILHUNT, else the checkout's .venv, else the one on PATH.
trailhunt="${TRAILHUNT:-}"
if [ -z "$trailhunt" ]; then
  if [ -x .venv/bin/trailhunt ]; then trailhunt=.venv/bin/trailhunt; else trailhunt="$(command -v trailhunt)"; fi
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
"$trailhunt" hunt "$@" --format html --output "$work/report.html" || [ $? -eq 1 ]

"$browser" --headless --no-sandbox --disable-gpu --no-first-run --disable-background-networking \
  --disable-component-update --disable-sync --user-data-dir="$(mktemp -d -p "$work")" \
  --hide-scrollbars --window-size="${WIDTH:-1400},${HEIGHT:-4000}" \
  --screenshot="$(realpath -m "$out")" "file://$work/report.html" 2>"$work/chromium.log" || {
  cat "$work/chromium.log" >&2
  exit 1
}
echo "$out"
