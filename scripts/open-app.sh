#!/usr/bin/env bash
# Open the demo app. usage: open-app.sh PYTHON PLATFORM_DIR [app args...]
# On a desktop: the app on this display, using the desktop's keyring (sign in with the
# README's demo credentials). With no display (a server): a virtual X display (Xvfb) and
# a private, throwaway keyring already holding the demo passwords, so the demo is
# signed in; look at it with the screenshot command printed below.
set -euo pipefail
py=$1; platform_dir=$2; shift 2
if [ -n "${DISPLAY:-}" ] || [ -n "${WAYLAND_DISPLAY:-}" ]; then
  exec "$py" "$@"
fi
echo "No display found: opening Qingying on a virtual X display (Xvfb :99)." >&2
echo "Look at it with: DISPLAY=:99 import -window root shot.png" >&2
if ! pgrep -f "Xvfb :99" >/dev/null; then
  Xvfb :99 -screen 0 1600x1000x24 -nolisten tcp >/dev/null 2>&1 &
  sleep 1
fi
export DISPLAY=:99 QT_QPA_PLATFORM=xcb
keyring_home=$(mktemp -d)
export XDG_DATA_HOME=$keyring_home
exec dbus-run-session -- bash -c '
  head -c 24 /dev/urandom | base64 | gnome-keyring-daemon --unlock --components=secrets >/dev/null
  "$0" -m viewer.demo sign-in --dir "$1"
  shift
  exec "$0" "$@"' "$py" "$platform_dir" "$@"
