#!/usr/bin/env bash
# Run the whole test suite headless. usage: run-tests.sh PYTHON [pytest args...]
# Qt draws offscreen and VTK through OSMesa; the keyring tests get a real SecretService
# (gnome-keyring in a private D-Bus session, its files in a throwaway folder).
set -euo pipefail
py=$1; shift
export QT_QPA_PLATFORM=offscreen
export VTK_DEFAULT_OPENGL_WINDOW=vtkOSOpenGLRenderWindow
export MESA_SHADER_CACHE_DISABLE=true

if command -v dbus-run-session >/dev/null 2>&1 && command -v gnome-keyring-daemon >/dev/null 2>&1; then
  keyring_home=$(mktemp -d)
  trap 'rm -rf "$keyring_home"' EXIT
  export QINGYING_TEST_KEYRING_HOME=$keyring_home
  dbus-run-session -- bash -c '
    export XDG_DATA_HOME="$QINGYING_TEST_KEYRING_HOME" KEYRING_PW=$(head -c 24 /dev/urandom | base64)
    printf %s "$KEYRING_PW" | gnome-keyring-daemon --unlock --components=secrets >/dev/null
    unset KEYRING_PW
    export QINGYING_REAL_KEYRING=1
    exec "$0" -m pytest "$@"' "$py" "$@"
else
  echo "note: no dbus-run-session/gnome-keyring here; the real-keyring tests will be skipped" >&2
  "$py" -m pytest "$@"
fi
