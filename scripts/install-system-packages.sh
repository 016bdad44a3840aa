#!/usr/bin/env bash
# Install the Debian/Ubuntu packages listed in system-packages.txt that are missing.
# Quick when everything is there (one dpkg-query). Elsewhere: say what to install.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
mapfile -t wanted < <(grep -v -e '^#' -e '^\s*$' "$here/system-packages.txt")

if ! command -v dpkg-query >/dev/null 2>&1 || ! command -v apt-get >/dev/null 2>&1; then
  echo "Not a Debian/Ubuntu system: install the equivalents of these packages yourself:" >&2
  printf '  %s\n' "${wanted[@]}" >&2
  echo "(Orthanc with its DICOMweb plugin, Mesa OSMesa, Xvfb, Qt's xcb libraries, CJK fonts, gnome-keyring)" >&2
  exit 0
fi

missing=()
for pkg in "${wanted[@]}"; do
  status=$(dpkg-query -W -f='${db:Status-Status}' "$pkg" 2>/dev/null || true)
  [ "$status" = "installed" ] || missing+=("$pkg")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
  echo "Missing system packages; install them with:" >&2
  echo "  sudo apt-get install --no-install-recommends ${missing[*]}" >&2
  exit 1
fi
echo "Installing system packages: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# policy-rc.d keeps Debian from starting the system-wide Orthanc on 8042: we never use it.
policy=/usr/sbin/policy-rc.d
created_policy=0
if [ ! -e "$policy" ]; then
  printf '#!/bin/sh\nexit 101\n' > "$policy" && chmod +x "$policy" && created_policy=1
fi
apt-get install -y -qq --no-install-recommends "${missing[@]}"
[ "$created_policy" -eq 1 ] && rm -f "$policy"
if command -v systemctl >/dev/null 2>&1 && [ -d /run/systemd/system ]; then
  systemctl disable --now orthanc >/dev/null 2>&1 || true
fi
