#!/usr/bin/env bash
# Build the Debian package from the PyInstaller bundle, with the ordinary Debian tools.
# usage: build-deb.sh BUNDLE_DIR OUT_DIR   (prints the .deb's path)
# /opt/qingying (the bundle), /usr/bin/qingying, the desktop entry with the qingying://
# handler, the icon, the docs; debconf questions for the site config (preseedable).
set -euo pipefail
bundle=$(cd "$1" && pwd)
out=$2
root=$(cd "$(dirname "$0")/.." && pwd)
deb=$root/packaging/debian
version=$("$bundle/qingying" --version | awk '{print $2}')
arch=$(dpkg --print-architecture)
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
install -d "$stage/DEBIAN" "$stage/opt" "$stage/usr/bin" "$stage/usr/share/applications" \
  "$stage/usr/share/icons/hicolor/scalable/apps" "$stage/usr/share/doc/qingying"
cp -a "$bundle" "$stage/opt/qingying"
install -m 0755 "$deb/qingying.sh" "$stage/usr/bin/qingying"
install -m 0644 "$deb/qingying.desktop" "$stage/usr/share/applications/qingying.desktop"
install -m 0644 "$root/resources/icons/qingying.svg" \
  "$stage/usr/share/icons/hicolor/scalable/apps/qingying.svg"
install -m 0644 "$root/packaging/site-config.example.toml" "$root/docs/deployment.md" \
  "$stage/usr/share/doc/qingying/"
for script in config postinst prerm postrm; do
  install -m 0755 "$deb/$script" "$stage/DEBIAN/$script"
done
install -m 0644 "$deb/templates" "$stage/DEBIAN/templates"
size=$(du -sk "$stage/opt" "$stage/usr" | awk '{s += $1} END {print s}')
sed -e "s/@VERSION@/$version/" -e "s/@ARCH@/$arch/" -e "s/@SIZE@/$size/" \
  "$deb/control.in" > "$stage/DEBIAN/control"
mkdir -p "$out"
target="$(cd "$out" && pwd)/qingying_${version}_${arch}.deb"
# zstd: as small as xz's within a few per cent here, in seconds instead of minutes.
dpkg-deb --root-owner-group -Zzstd --build "$stage" "$target" >/dev/null
echo "$target"
