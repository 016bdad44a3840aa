#!/usr/bin/env bash
# Start the app on a private Xvfb screen, wait for it to draw, save a PNG of the screen.
# usage: screenshot.sh PYTHON OUT.png ARGS...   (ARGS go to PYTHON)
set -euo pipefail
py=$1; out=$2; shift 2
display=":$((90 + RANDOM % 9))"
Xvfb "$display" -screen 0 1400x900x24 -nolisten tcp >/dev/null 2>&1 &
xvfb=$!
trap 'kill $app $xvfb 2>/dev/null || true' EXIT
sleep 1
DISPLAY=$display QT_QPA_PLATFORM=xcb "$py" "$@" &
app=$!
sleep "${SCREENSHOT_DELAY:-4}"
DISPLAY=$display import -window root "$out"
echo "saved $out"
