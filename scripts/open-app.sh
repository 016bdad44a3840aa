#!/usr/bin/env bash
# Open the app on this machine's display; with no display, on a virtual one (Xvfb),
# so `make demo` works on a headless server too (look at it with scripts/screenshot.sh).
set -euo pipefail
if [ -n "${DISPLAY:-}" ] || [ -n "${WAYLAND_DISPLAY:-}" ]; then
  exec "$@"
fi
echo "No display found: opening Qingying on a virtual X display (Xvfb)." >&2
echo "Take a look with: DISPLAY=:99 import -window root shot.png" >&2
if ! pgrep -f "Xvfb :99" >/dev/null; then
  Xvfb :99 -screen 0 1600x1000x24 -nolisten tcp >/dev/null 2>&1 &
  sleep 1
fi
export DISPLAY=:99 QT_QPA_PLATFORM=xcb
exec "$@"
